-- Sign-in attempts as the throttle counts them. A row is taken *before* the password is
-- checked, in the same step as the count (under a lock per account and one per address),
-- so of N attempts sent at once at most the limit are checked. A row counts as a failure
-- until its check succeeds (`succeeded`): an attempt still being checked counts too.
-- The audit log keeps its own record of every outcome; these rows are swept after a day.
CREATE TABLE sign_in_attempts (
    id          bigserial PRIMARY KEY,
    username    text NOT NULL,
    client_addr text,
    at          timestamptz NOT NULL DEFAULT now(),
    succeeded   boolean NOT NULL DEFAULT false
);
CREATE INDEX sign_in_attempts_username ON sign_in_attempts (username, at) WHERE NOT succeeded;
CREATE INDEX sign_in_attempts_client ON sign_in_attempts (client_addr, at) WHERE NOT succeeded;
CREATE INDEX sign_in_attempts_at ON sign_in_attempts (at);

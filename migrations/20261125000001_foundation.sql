-- Foundation: tenants, the transactional outbox and the consumers' bookkeeping.

CREATE TABLE tenants (
    id          text PRIMARY KEY CHECK (id ~ '^[a-z0-9][a-z0-9-]{1,62}$'),
    name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    status      text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended', 'archived')),
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);

-- Every state change writes its CloudEvent here in the same transaction; the relay
-- publishes rows in `seq` order and stamps `published_at`.
CREATE TABLE outbox (
    seq           bigserial PRIMARY KEY,
    id            uuid NOT NULL UNIQUE,
    topic         text NOT NULL,
    event_type    text NOT NULL,
    tenant_id     text NOT NULL,
    envelope      jsonb NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    published_at  timestamptz,
    attempts      integer NOT NULL DEFAULT 0,
    last_error    text
);

CREATE INDEX outbox_pending ON outbox (seq) WHERE published_at IS NULL;

-- Wake the relay when a transaction that wrote events commits (NOTIFY is transactional).
CREATE FUNCTION outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('stoa_outbox', '');
    RETURN NULL;
END $$;

CREATE TRIGGER outbox_notify AFTER INSERT ON outbox
    FOR EACH STATEMENT EXECUTE FUNCTION outbox_notify();

-- One row per (consumer, event) handled: a redelivered event is recognised and skipped.
CREATE TABLE processed_events (
    consumer      text NOT NULL,
    event_id      uuid NOT NULL,
    processed_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (consumer, event_id)
);

-- What the event-log consumer saw: deliberately without a unique key, so that a
-- duplicate delivery would show as a second row.
CREATE TABLE event_log (
    id           bigserial PRIMARY KEY,
    event_id     uuid NOT NULL,
    event_type   text NOT NULL,
    tenant_id    text NOT NULL,
    subject      text,
    occurred_at  timestamptz NOT NULL,
    handled_at   timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX event_log_event ON event_log (event_id);

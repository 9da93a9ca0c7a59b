-- Identity groundwork: users (local accounts and, later, identity-provider users) and the
-- append-only audit trail.

CREATE TABLE users (
    id                  uuid PRIMARY KEY,
    tenant_id           text NOT NULL REFERENCES tenants (id),
    username            text NOT NULL UNIQUE CHECK (username ~ '^[a-z0-9][a-z0-9._-]{1,62}$'),
    display_name        text NOT NULL CHECK (length(display_name) BETWEEN 1 AND 200),
    email               text,
    -- argon2id PHC string; NULL for users who sign in through the identity provider.
    password_hash       text,
    roles               text[] NOT NULL DEFAULT '{}',
    preferred_language  text CHECK (preferred_language IN ('en', 'fr', 'de', 'es')),
    created_at          timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX users_tenant ON users (tenant_id);

-- Who did what, when. Rows are written, never changed: the database refuses UPDATE,
-- DELETE and TRUNCATE whoever asks.
CREATE TABLE audit_log (
    id           bigserial PRIMARY KEY,
    at           timestamptz NOT NULL DEFAULT now(),
    tenant_id    text,
    actor        text NOT NULL,
    action       text NOT NULL,
    subject      text,
    client_addr  text,
    detail       jsonb NOT NULL DEFAULT '{}'
);

CREATE INDEX audit_log_tenant_at ON audit_log (tenant_id, at DESC);

CREATE FUNCTION audit_log_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only (% refused)', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END $$;

CREATE TRIGGER audit_log_no_update_delete BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_is_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_is_append_only();

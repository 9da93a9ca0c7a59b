-- Consumers: plans, applications and their credentials, subscriptions, notifications
-- (DESIGN §3). Tenant isolation as in `tenant_isolation`: every row names its tenant; a
-- subscription names two (the subscriber's application and the API's owner) and both see it.

CREATE TABLE plans (
    id                 uuid PRIMARY KEY,
    tenant_id          text NOT NULL REFERENCES tenants (id),
    slug               text NOT NULL,
    name               text NOT NULL,
    description        text NOT NULL DEFAULT '',
    rate_per_second    integer,
    rate_per_minute    integer,
    daily_quota        integer,
    monthly_quota      integer,
    requires_approval  boolean NOT NULL DEFAULT false,
    auto_approve_roles text[] NOT NULL DEFAULT '{}',
    max_ttl_days       integer,
    status             text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'retired')),
    created_at         timestamptz NOT NULL DEFAULT now(),
    UNIQUE (tenant_id, slug)
);

CREATE TABLE applications (
    id               uuid PRIMARY KEY,
    tenant_id        text NOT NULL REFERENCES tenants (id),
    owner_id         uuid NOT NULL REFERENCES users (id),
    name             text NOT NULL,
    description      text NOT NULL DEFAULT '',
    security_profile text NOT NULL CHECK (security_profile IN ('api_key', 'oauth2_confidential')),
    redirect_uris    text[] NOT NULL DEFAULT '{}',
    client_id        text NOT NULL UNIQUE,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    UNIQUE (owner_id, name)
);

-- Secrets are stored as SHA-256 of the secret (they carry 256 random bits: a slow hash
-- adds nothing) plus a visible prefix to find them and to show the owner which is which.
CREATE TABLE credentials (
    id             uuid PRIMARY KEY,
    tenant_id      text NOT NULL REFERENCES tenants (id),
    application_id uuid NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
    kind           text NOT NULL CHECK (kind IN ('api_key', 'client_secret', 'try_it')),
    prefix         text NOT NULL,
    secret_hash    bytea NOT NULL UNIQUE,
    status         text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'rotated', 'revoked')),
    -- A rotated secret keeps working until then.
    grace_until    timestamptz,
    expires_at     timestamptz,
    replaced_by    uuid REFERENCES credentials (id),
    last_used_at   timestamptz,
    created_by     uuid REFERENCES users (id),
    created_at     timestamptz NOT NULL DEFAULT now(),
    revoked_at     timestamptz
);
CREATE INDEX credentials_prefix ON credentials (prefix);
CREATE INDEX credentials_application ON credentials (application_id, created_at DESC);

CREATE TABLE subscriptions (
    id              uuid PRIMARY KEY,
    app_tenant_id   text NOT NULL REFERENCES tenants (id),
    application_id  uuid NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
    subscriber_id   uuid NOT NULL REFERENCES users (id),
    -- The API's (or MCP server's) tenant: its tenant-admins decide.
    api_tenant_id   text NOT NULL REFERENCES tenants (id),
    item_id         uuid NOT NULL REFERENCES catalog_items (id),
    plan_id         uuid REFERENCES plans (id),
    requested_tools text[] NOT NULL DEFAULT '{}',
    state           text NOT NULL CHECK (state IN ('pending', 'active', 'rejected', 'suspended', 'revoked', 'expired', 'cancelled')),
    reason          text,
    decided_by      uuid REFERENCES users (id),
    decided_at      timestamptz,
    expires_at      timestamptz,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now()
);
-- One live subscription per application, entry and plan.
CREATE UNIQUE INDEX subscriptions_live ON subscriptions (application_id, item_id, coalesce(plan_id, '00000000-0000-0000-0000-000000000000'::uuid))
    WHERE state IN ('pending', 'active', 'suspended');
CREATE INDEX subscriptions_queue ON subscriptions (api_tenant_id, state, created_at);

CREATE TABLE notifications (
    id           uuid PRIMARY KEY,
    tenant_id    text NOT NULL REFERENCES tenants (id),
    user_id      uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    -- The event it came from: a redelivered event makes no second notification.
    event_id     text NOT NULL,
    kind         text NOT NULL,
    subject      text NOT NULL DEFAULT '',
    link         text NOT NULL DEFAULT '',
    data         jsonb NOT NULL DEFAULT '{}',
    read_at      timestamptz,
    created_at   timestamptz NOT NULL DEFAULT now(),
    UNIQUE (user_id, event_id)
);
CREATE INDEX notifications_unread ON notifications (user_id, created_at DESC) WHERE read_at IS NULL;

DO $$
DECLARE t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['plans', 'applications', 'credentials', 'notifications'] LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
        EXECUTE format('CREATE POLICY tenant_isolation ON %I USING (stoa_own(tenant_id)) WITH CHECK (stoa_own(tenant_id))', t);
    END LOOP;
END $$;

-- Plans are read by subscribers of other tenants too (they choose one on an API's page).
CREATE POLICY plans_read ON plans FOR SELECT USING (status = 'active');

ALTER TABLE subscriptions ENABLE ROW LEVEL SECURITY;
ALTER TABLE subscriptions FORCE ROW LEVEL SECURITY;
CREATE POLICY both_sides ON subscriptions
    USING (stoa_own(app_tenant_id) OR stoa_own(api_tenant_id))
    WITH CHECK (stoa_own(app_tenant_id) OR stoa_own(api_tenant_id));

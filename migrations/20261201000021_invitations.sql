-- Invitations: a tenant-admin (or a platform admin, for a new tenant's first admin)
-- invites a person by e-mail address with a role. The link is single-use and expires
-- after 7 days; only its SHA-256 is kept. `mail_token` holds the link's secret in clear
-- only until the mailer has sent it (SMTP_URL), then it is emptied.
CREATE TABLE invitations (
    id           uuid PRIMARY KEY,
    tenant_id    text NOT NULL REFERENCES tenants (id),
    email        text NOT NULL CHECK (length(email) BETWEEN 3 AND 254),
    role         text NOT NULL CHECK (role IN ('viewer', 'devops', 'tenant-admin', 'stoa.security')),
    token_hash   bytea NOT NULL UNIQUE,
    mail_token   text,
    invited_by   text NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    sent_at      timestamptz NOT NULL DEFAULT now(),
    expires_at   timestamptz NOT NULL,
    emailed_at   timestamptz,
    accepted_at  timestamptz,
    accepted_by  uuid REFERENCES users (id) ON DELETE SET NULL,
    revoked_at   timestamptz
);

-- One open invitation per address and tenant.
CREATE UNIQUE INDEX invitations_open ON invitations (tenant_id, email)
    WHERE accepted_at IS NULL AND revoked_at IS NULL;
CREATE INDEX invitations_tenant ON invitations (tenant_id, created_at DESC);
CREATE INDEX invitations_unmailed ON invitations (sent_at) WHERE mail_token IS NOT NULL;

ALTER TABLE invitations ENABLE ROW LEVEL SECURITY;
ALTER TABLE invitations FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON invitations USING (stoa_own(tenant_id)) WITH CHECK (stoa_own(tenant_id));

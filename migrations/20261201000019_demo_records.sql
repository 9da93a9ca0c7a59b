-- The state of the demo tenant's stateful backends (CRM, payments: /demo-backends/…):
-- one row per record (a customer, a lead, a payment, a refund), as the backend's JSON.
-- Seeded with the demo dataset; what visitors create stays until the demo's reset, which
-- puts the dataset back.
CREATE TABLE demo_records (
    tenant_id  text NOT NULL DEFAULT 'demo' REFERENCES tenants (id),
    backend    text NOT NULL,
    kind       text NOT NULL,
    id         text NOT NULL,
    data       jsonb NOT NULL,
    PRIMARY KEY (backend, kind, id)
);

ALTER TABLE demo_records ENABLE ROW LEVEL SECURITY;
ALTER TABLE demo_records FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON demo_records USING (stoa_own(tenant_id)) WITH CHECK (stoa_own(tenant_id));

-- The demo MCP servers' remotes are STOA's own demo backends, relative to the portal
-- (answered in process by the gateway).
DO $$
DECLARE c text;
BEGIN
    FOR c IN SELECT conname FROM pg_constraint
             WHERE conrelid = 'catalog_items'::regclass AND contype = 'c'
               AND pg_get_constraintdef(oid) LIKE '%remote_url%'
    LOOP
        EXECUTE format('ALTER TABLE catalog_items DROP CONSTRAINT %I', c);
    END LOOP;
END $$;
ALTER TABLE catalog_items ADD CONSTRAINT catalog_items_remote_url
    CHECK (remote_url IS NULL OR (kind = 'mcp' AND (remote_url ~ '^https?://[^\s]+$'
                                                    OR remote_url ~ '^/demo-backends/mcp/[a-z0-9-]+$')));

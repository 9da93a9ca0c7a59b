-- Plans an API team manages (issue 33): archived rather than retired, an audience like
-- the catalog's, the entries that offer them, and limits that cannot be negative.

ALTER TABLE plans DROP CONSTRAINT plans_status_check;
UPDATE plans SET status = 'archived' WHERE status = 'retired';
ALTER TABLE plans ADD CONSTRAINT plans_status_check CHECK (status IN ('active', 'archived'));

ALTER TABLE plans
    ADD COLUMN audience text NOT NULL DEFAULT 'public' CHECK (audience IN ('public', 'internal', 'partner')),
    -- Offered on every API and MCP server of the tenant; otherwise on those `plan_offers` lists.
    ADD COLUMN everywhere boolean NOT NULL DEFAULT true,
    ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now(),
    ADD CONSTRAINT plans_limits_check CHECK (
        coalesce(rate_per_second, 0) >= 0 AND coalesce(rate_per_minute, 0) >= 0
        AND coalesce(daily_quota, 0) >= 0 AND coalesce(monthly_quota, 0) >= 0
        AND coalesce(max_ttl_days, 1) >= 1);

CREATE TABLE plan_offers (
    plan_id   uuid NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
    item_id   uuid NOT NULL REFERENCES catalog_items (id) ON DELETE CASCADE,
    tenant_id text NOT NULL REFERENCES tenants (id),
    PRIMARY KEY (plan_id, item_id)
);
CREATE INDEX plan_offers_item ON plan_offers (item_id);

ALTER TABLE plan_offers ENABLE ROW LEVEL SECURITY;
ALTER TABLE plan_offers FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON plan_offers USING (stoa_own(tenant_id)) WITH CHECK (stoa_own(tenant_id));
-- Subscribers of other tenants read which plans an entry offers.
CREATE POLICY offers_read ON plan_offers FOR SELECT USING (true);

-- A subscriber's move to another plan that needs an approver (issue 33): the old plan
-- stays in force until the request is decided.
ALTER TABLE subscriptions
    ADD COLUMN requested_plan_id uuid REFERENCES plans (id),
    ADD COLUMN plan_requested_at timestamptz;
CREATE INDEX subscriptions_plan_requests ON subscriptions (api_tenant_id, plan_requested_at)
    WHERE requested_plan_id IS NOT NULL;

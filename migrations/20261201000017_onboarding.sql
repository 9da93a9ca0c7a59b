-- The onboarding wizard (/onboarding): one row per user who started it, written by each
-- step, so the wizard resumes anywhere and the funnel is counted from what happened.
-- Time to first call = first_call_at - started_at.
CREATE TABLE onboarding (
    user_id          uuid PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    tenant_id        text NOT NULL REFERENCES tenants (id),
    use_case         text CHECK (use_case IN ('rest', 'mcp', 'both')),
    application_id   uuid REFERENCES applications (id) ON DELETE SET NULL,
    subscription_id  uuid REFERENCES subscriptions (id) ON DELETE SET NULL,
    started_at       timestamptz NOT NULL DEFAULT now(),
    use_case_at      timestamptz,
    application_at   timestamptz,
    subscription_at  timestamptz,
    first_call_at    timestamptz,
    completed_at     timestamptz,
    dismissed_at     timestamptz,
    -- The step the user is at, and since when (the funnel's "stalled at a step").
    step             text NOT NULL DEFAULT 'use_case'
                     CHECK (step IN ('use_case', 'application', 'subscription', 'first_call', 'done')),
    step_since       timestamptz NOT NULL DEFAULT now(),
    -- The first bytes of the first successful call's answer, kept by the gateway (status
    -- and latency come from metering).
    first_call_answer text,
    CHECK (first_call_at IS NULL OR first_call_at >= started_at)
);
CREATE INDEX onboarding_funnel ON onboarding (tenant_id, started_at);
CREATE INDEX onboarding_awaited ON onboarding (application_id) WHERE completed_at IS NULL;

ALTER TABLE onboarding ENABLE ROW LEVEL SECURITY;
ALTER TABLE onboarding FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON onboarding USING (stoa_own(tenant_id)) WITH CHECK (stoa_own(tenant_id));

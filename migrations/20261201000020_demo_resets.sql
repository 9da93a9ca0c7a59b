-- The demo tenant's resets: what put its dataset back, when, how long it took. A scheduled
-- reset names its slot (the schedule's time it is for): with several replicas, one slot
-- is reset once. A user of the demo tenant who signed in before the last reset that ended
-- (scheduled or manual) is signed out on their next request, and told why.
CREATE TABLE demo_resets (
    id           bigserial PRIMARY KEY,
    tenant_id    text NOT NULL DEFAULT 'demo' REFERENCES tenants (id),
    trigger      text NOT NULL CHECK (trigger IN ('seed', 'schedule', 'manual')),
    slot         timestamptz UNIQUE,
    actor        text NOT NULL,
    started_at   timestamptz NOT NULL DEFAULT now(),
    finished_at  timestamptz,
    duration_ms  integer,
    -- The secret the dataset's API keys are derived from (new at each reset: a key seen
    -- before a reset does not work after it).
    key_salt     text NOT NULL,
    summary      jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX demo_resets_finished ON demo_resets (tenant_id, finished_at DESC);

ALTER TABLE demo_resets ENABLE ROW LEVEL SECURITY;
ALTER TABLE demo_resets FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON demo_resets USING (stoa_own(tenant_id)) WITH CHECK (stoa_own(tenant_id));

-- Promotion history stays append-only, except for the demo tenant's rows while its reset
-- runs (the transaction sets stoa.demo_reset): what visitors requested there goes with the
-- reset. The audit log itself is never changed (the reset is one entry in it).
CREATE FUNCTION promotion_history_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' AND OLD.tenant_id = 'demo'
       AND current_setting('stoa.demo_reset', true) = 'on' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'promotion_history is append-only (% refused)', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END $$;
DROP TRIGGER promotion_history_append_only ON promotion_history;
CREATE TRIGGER promotion_history_append_only BEFORE UPDATE OR DELETE ON promotion_history
    FOR EACH ROW EXECUTE FUNCTION promotion_history_is_append_only();

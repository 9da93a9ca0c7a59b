-- ITSM: production promotion requests (DESIGN §3), their append-only history, and the
-- GitOps commits still to make. Four eyes is a property of the data: a decided request
-- names its decider, and the decider is never the requester.

CREATE TABLE promotion_counters (
    year integer PRIMARY KEY,
    last integer NOT NULL
);

CREATE TABLE promotion_requests (
    id              text PRIMARY KEY CHECK (id ~ '^PR-[0-9]{4}-[0-9]{4,}$'),
    tenant_id       text NOT NULL REFERENCES tenants (id),
    requester_id    uuid NOT NULL REFERENCES users (id),
    target_type     text NOT NULL CHECK (target_type IN ('api', 'application', 'policy')),
    target_name     text NOT NULL CHECK (length(target_name) BETWEEN 1 AND 200),
    target_version  text NOT NULL CHECK (length(target_version) BETWEEN 1 AND 100),
    item_id         uuid REFERENCES catalog_items (id),
    source_env      text NOT NULL DEFAULT 'staging' CHECK (source_env = 'staging'),
    target_env      text NOT NULL DEFAULT 'prod' CHECK (target_env = 'prod'),
    justification   text NOT NULL CHECK (length(trim(justification)) >= 20),
    release_notes   text NOT NULL DEFAULT '',
    impact          text NOT NULL CHECK (impact IN ('low', 'medium', 'high', 'critical')),
    rollback_plan   text NOT NULL DEFAULT '',
    scheduled_at    timestamptz,
    staging_tests_passed     boolean NOT NULL DEFAULT false,
    security_scan_passed     boolean NOT NULL DEFAULT false,
    performance_tests_passed boolean NOT NULL DEFAULT false,
    evidence_url    text,
    state           text NOT NULL DEFAULT 'pending'
                    CHECK (state IN ('pending', 'approved', 'deploying', 'deployed', 'failed', 'rejected', 'cancelled')),
    decided_by      uuid REFERENCES users (id),
    decided_at      timestamptz,
    reason          text,
    -- The deployment: AWX's job and the last status it reported.
    job_id          bigint,
    job_status      text,
    launch_attempts integer NOT NULL DEFAULT 0,
    next_launch_at  timestamptz,
    error           text,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    -- Four eyes: whoever decided is not the requester; a request past pending (other
    -- than cancelled by its requester) was decided by someone.
    CONSTRAINT four_eyes CHECK (decided_by IS NULL OR decided_by <> requester_id),
    CONSTRAINT decided CHECK ((state IN ('pending', 'cancelled')) = (decided_by IS NULL))
);
CREATE INDEX promotion_requests_tenant ON promotion_requests (tenant_id, state, created_at DESC);

CREATE TABLE promotion_history (
    id          bigserial PRIMARY KEY,
    request_id  text NOT NULL REFERENCES promotion_requests (id),
    tenant_id   text NOT NULL REFERENCES tenants (id),
    at          timestamptz NOT NULL DEFAULT now(),
    actor_id    uuid REFERENCES users (id),
    actor       text NOT NULL,
    action      text NOT NULL,
    from_state  text,
    to_state    text,
    comment     text,
    job_id      bigint,
    error       text
);
CREATE INDEX promotion_history_request ON promotion_history (request_id, id);

CREATE TRIGGER promotion_history_append_only BEFORE UPDATE OR DELETE ON promotion_history
    FOR EACH ROW EXECUTE FUNCTION audit_log_is_append_only();

-- A transition's YAML not yet committed to the GitOps repository (retried until it is).
CREATE TABLE gitops_outbox (
    id          bigserial PRIMARY KEY,
    history_id  bigint NOT NULL REFERENCES promotion_history (id),
    request_id  text NOT NULL,
    attempts    integer NOT NULL DEFAULT 0,
    last_error  text,
    created_at  timestamptz NOT NULL DEFAULT now()
);

DO $$
DECLARE t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['promotion_requests', 'promotion_history'] LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
        EXECUTE format('CREATE POLICY tenant_isolation ON %I USING (stoa_own(tenant_id)) WITH CHECK (stoa_own(tenant_id))', t);
    END LOOP;
END $$;

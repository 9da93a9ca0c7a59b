-- Metering: one row per call through STOA (our gateway or any STOA gateway), counted
-- exactly once, and the rollups the usage API reads.
--
-- Raw calls live in day partitions of `metering_calls` (kept METERING_RAW_DAYS by
-- dropping partitions). The key (event_id, at) makes a re-delivered event a no-op: a
-- re-sent event carries the same id and timestamp. Events older than the raw window
-- are counted in the rollups only, their ids kept in `metering_late_seen` for as long.
-- Rollups per minute, hour and day hold, per tenant × application × API × tool ×
-- status, the count, the bytes and a latency histogram (82 fixed logarithmic buckets,
-- app::domain::metering, one column each), so that percentiles of any period and group
-- are computed by adding histograms.

CREATE TABLE metering_calls (
    event_id        uuid NOT NULL,
    at              timestamptz NOT NULL,
    -- The API's (or MCP server's) tenant, as the event named it.
    tenant_id       text NOT NULL,
    -- The consumer: an application of ours (by client id), or unknown (null).
    application_id  uuid,
    app_tenant_id   text,
    consumer_id     text NOT NULL,
    api             text NOT NULL,
    tool_name       text NOT NULL,
    action          text NOT NULL,
    status          text NOT NULL,
    http_method     text,
    http_status     smallint,
    latency_ms      double precision NOT NULL,
    request_bytes   bigint NOT NULL,
    response_bytes  bigint NOT NULL,
    t_gateway_ms    double precision NOT NULL,
    t_backend_ms    double precision NOT NULL,
    try_it          boolean NOT NULL DEFAULT false,
    gateway_id      text,
    PRIMARY KEY (event_id, at)
) PARTITION BY RANGE (at);

CREATE INDEX metering_calls_recent ON metering_calls (tenant_id, at DESC);
CREATE INDEX metering_calls_application ON metering_calls (application_id, at DESC);

CREATE TABLE metering_late_seen (
    event_id  uuid NOT NULL,
    at        timestamptz NOT NULL,
    seen_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (event_id, at)
);
CREATE INDEX metering_late_seen_age ON metering_late_seen (seen_at);

-- The application's role cannot create tables: partitions are made and dropped by these
-- functions, which run as the migrations' owner and take only a date.
CREATE FUNCTION stoa_metering_partition(day date) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
DECLARE name text := 'metering_calls_' || to_char(day, 'YYYYMMDD');
BEGIN
    IF to_regclass(name) IS NULL THEN
        EXECUTE format('CREATE TABLE IF NOT EXISTS %I PARTITION OF metering_calls FOR VALUES FROM (%L) TO (%L)',
                       name, day::timestamp AT TIME ZONE 'UTC', (day + 1)::timestamp AT TIME ZONE 'UTC');
    END IF;
EXCEPTION WHEN duplicate_table OR unique_violation THEN
    NULL; -- another ingest made it first
END $$;

-- Drops the raw partitions of days before `keep_from`; returns how many.
CREATE FUNCTION stoa_metering_drop_before(keep_from date) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
DECLARE part record; dropped integer := 0;
BEGIN
    FOR part IN
        SELECT c.relname FROM pg_inherits i
        JOIN pg_class c ON c.oid = i.inhrelid
        JOIN pg_class p ON p.oid = i.inhparent
        WHERE p.relname = 'metering_calls' AND c.relname ~ '^metering_calls_[0-9]{8}$'
          AND to_date(right(c.relname, 8), 'YYYYMMDD') < keep_from
    LOOP
        EXECUTE format('DROP TABLE %I', part.relname);
        dropped := dropped + 1;
    END LOOP;
    RETURN dropped;
END $$;

REVOKE ALL ON FUNCTION stoa_metering_partition(date) FROM PUBLIC;
REVOKE ALL ON FUNCTION stoa_metering_drop_before(date) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION stoa_metering_partition(date) TO stoa_app;
GRANT EXECUTE ON FUNCTION stoa_metering_drop_before(date) TO stoa_app;

DO $$
DECLARE g text;
BEGIN
    FOREACH g IN ARRAY ARRAY['minute', 'hour', 'day'] LOOP
        EXECUTE format($t$
            CREATE TABLE %I (
                bucket          timestamptz NOT NULL,
                tenant_id       text NOT NULL,
                -- The nil uuid: calls of an unknown consumer.
                application_id  uuid NOT NULL,
                app_tenant_id   text,
                api             text NOT NULL,
                tool_name       text NOT NULL,
                status          text NOT NULL,
                calls           bigint NOT NULL,
                errors          bigint NOT NULL,
                request_bytes   bigint NOT NULL,
                response_bytes  bigint NOT NULL,
                latency_sum_ms  double precision NOT NULL,
                %s,
                PRIMARY KEY (bucket, tenant_id, application_id, api, tool_name, status)
            )$t$, 'usage_' || g,
            -- The latency histogram, one column per bucket (l0 … l81): summed by plain
            -- aggregates, which is what makes percentiles over a period cheap.
            (SELECT string_agg(format('l%s bigint NOT NULL DEFAULT 0', i), ', ' ORDER BY i)
             FROM generate_series(0, 81) AS i));
        EXECUTE format('CREATE INDEX %I ON %I (application_id, bucket)', 'usage_' || g || '_application', 'usage_' || g);
        EXECUTE format('CREATE INDEX %I ON %I (app_tenant_id, bucket)', 'usage_' || g || '_app_tenant', 'usage_' || g);
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', 'usage_' || g);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', 'usage_' || g);
        -- Both sides see a call: the API's tenant and the consumer's.
        EXECUTE format('CREATE POLICY both_sides ON %I USING (stoa_own(tenant_id) OR stoa_own(app_tenant_id))', 'usage_' || g);
    END LOOP;
END $$;

ALTER TABLE metering_calls ENABLE ROW LEVEL SECURITY;
ALTER TABLE metering_calls FORCE ROW LEVEL SECURITY;
CREATE POLICY both_sides ON metering_calls USING (stoa_own(tenant_id) OR stoa_own(app_tenant_id));

-- Where the Kafka ingest resumes: written in the transaction of the rollups it produced.
CREATE TABLE metering_offsets (
    topic        text NOT NULL,
    partition    integer NOT NULL,
    next_offset  bigint NOT NULL,
    updated_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (topic, partition)
);

-- Messages the ingest could not count, with why (bounded: the oldest are deleted).
CREATE TABLE metering_dead_letters (
    id            bigserial PRIMARY KEY,
    received_at   timestamptz NOT NULL DEFAULT now(),
    source        text NOT NULL,
    topic         text,
    partition     integer,
    kafka_offset  bigint,
    reason        text NOT NULL,
    payload       text NOT NULL
);

-- Quotas hold across replicas: each replica leases calls from these counters.
CREATE TABLE quota_usage (
    subscription_id  uuid NOT NULL,
    period           text NOT NULL CHECK (period IN ('day', 'month')),
    starts           date NOT NULL,
    used             bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (subscription_id, period, starts)
);

-- The home page's "events handled": a counter kept by a trigger, read in constant time.
CREATE TABLE platform_counters (
    name   text PRIMARY KEY,
    value  bigint NOT NULL
);
INSERT INTO platform_counters (name, value) SELECT 'events_handled', count(*) FROM event_log;

CREATE FUNCTION event_log_count() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE platform_counters SET value = value + (SELECT count(*) FROM added) WHERE name = 'events_handled';
    RETURN NULL;
END $$;

CREATE TRIGGER event_log_count AFTER INSERT ON event_log
    REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION event_log_count();

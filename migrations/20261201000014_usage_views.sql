-- Usage rollups, kept in several views so that a usage query reads few rows.
--
-- The first rollups kept one row per tenant × application × API × tool × status per
-- bucket: a platform-wide "last 7 days by application" had to add 82 histogram columns
-- over ~300 000 hour rows (about a second at 10 M calls). Each rollup table now holds,
-- per bucket, the same calls summed in six views, each keeping some dimensions and
-- folding the others ('' or the nil uuid):
--   0 fine         tenant, consumer's tenant, application, API, tool, status
--   1 application  consumer's tenant, application
--   2 api          tenant, API
--   3 pair         tenant, consumer's tenant
--   4 tenant       tenant
--   5 total        (nothing: the platform's calls)
-- A query reads the smallest view that keeps every dimension its scope, filters and
-- grouping need (app::db::metering::View). Counts per status are columns (in the fine
-- view, the row's own status holds them all), so every view answers the status figures;
-- the latency histogram of a row covers all its calls.

DO $$
DECLARE g text;
BEGIN
    FOREACH g IN ARRAY ARRAY['minute', 'hour', 'day'] LOOP
        EXECUTE format('ALTER TABLE %I RENAME TO %I', 'usage_' || g, 'usage_' || g || '_old');
        EXECUTE format('DROP POLICY both_sides ON %I', 'usage_' || g || '_old');
        EXECUTE format('ALTER INDEX %I RENAME TO %I', 'usage_' || g || '_pkey', 'usage_' || g || '_old_pkey');
        EXECUTE format('DROP INDEX %I', 'usage_' || g || '_application');
        EXECUTE format('DROP INDEX %I', 'usage_' || g || '_app_tenant');
        EXECUTE format($t$
            CREATE TABLE %I (
                bucket          timestamptz NOT NULL,
                view            smallint NOT NULL CHECK (view BETWEEN 0 AND 5),
                tenant_id       text NOT NULL,
                -- '' for a consumer that is not one of our applications.
                app_tenant_id   text NOT NULL,
                -- The nil uuid: an unknown consumer.
                application_id  uuid NOT NULL,
                api             text NOT NULL,
                tool_name       text NOT NULL,
                status          text NOT NULL,
                calls           bigint NOT NULL,
                success         bigint NOT NULL,
                failed          bigint NOT NULL,
                rate_limited    bigint NOT NULL,
                policy_denied   bigint NOT NULL,
                not_found       bigint NOT NULL,
                request_bytes   bigint NOT NULL,
                response_bytes  bigint NOT NULL,
                latency_sum_ms  double precision NOT NULL,
                %s,
                PRIMARY KEY (view, bucket, tenant_id, app_tenant_id, application_id, api, tool_name, status)
            ) WITH (fillfactor = 70)$t$, 'usage_' || g,
            (SELECT string_agg(format('l%s bigint NOT NULL DEFAULT 0', i), ', ' ORDER BY i)
             FROM generate_series(0, 81) AS i));
        -- Rows are updated in place by every ingest batch: room for HOT updates.
        EXECUTE format('CREATE INDEX %I ON %I (view, application_id, bucket)', 'usage_' || g || '_application', 'usage_' || g);
        EXECUTE format('CREATE INDEX %I ON %I (view, tenant_id, bucket)', 'usage_' || g || '_tenant', 'usage_' || g);
        EXECUTE format('CREATE INDEX %I ON %I (view, app_tenant_id, bucket)', 'usage_' || g || '_app_tenant', 'usage_' || g);
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', 'usage_' || g);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', 'usage_' || g);
        EXECUTE format('CREATE POLICY both_sides ON %I USING (stoa_own(tenant_id) OR stoa_own(app_tenant_id))', 'usage_' || g);

        -- What was counted before, in every view.
        EXECUTE format($t$
            INSERT INTO %1$I
            SELECT bucket, v.view,
                   CASE WHEN v.view IN (0, 2, 3, 4) THEN tenant_id ELSE '' END,
                   CASE WHEN v.view IN (0, 1, 3) THEN coalesce(app_tenant_id, '') ELSE '' END,
                   CASE WHEN v.view IN (0, 1) THEN application_id ELSE '00000000-0000-0000-0000-000000000000' END,
                   CASE WHEN v.view IN (0, 2) THEN api ELSE '' END,
                   CASE WHEN v.view = 0 THEN tool_name ELSE '' END,
                   CASE WHEN v.view = 0 THEN status ELSE '' END,
                   sum(calls),
                   coalesce(sum(calls) FILTER (WHERE status = 'success'), 0),
                   coalesce(sum(calls) FILTER (WHERE status = 'error'), 0),
                   coalesce(sum(calls) FILTER (WHERE status = 'rate_limited'), 0),
                   coalesce(sum(calls) FILTER (WHERE status = 'policy_denied'), 0),
                   coalesce(sum(calls) FILTER (WHERE status = 'not_found'), 0),
                   sum(request_bytes), sum(response_bytes), sum(latency_sum_ms), %2$s
            FROM %3$I, (VALUES (0), (1), (2), (3), (4), (5)) AS v(view)
            GROUP BY 1, 2, 3, 4, 5, 6, 7, 8$t$,
            'usage_' || g,
            (SELECT string_agg(format('sum(l%s)', i), ', ' ORDER BY i) FROM generate_series(0, 81) AS i),
            'usage_' || g || '_old');
        EXECUTE format('DROP TABLE %I', 'usage_' || g || '_old');
    END LOOP;
END $$;

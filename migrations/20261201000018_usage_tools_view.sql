-- One more rollup view, for the platform's breakdown by operation:
--   8 tools     tool only
-- The platform admin's "by operation or tool" read view 7 (tenant, API, tool): over 30
-- days about 10 000 day rows whose 82 histogram buckets are summed per group — 31 ms,
-- the longest read of the console dashboard at 10 M calls. Keyed by the tool alone it
-- has one row per tool and day (about 20 a day in the bench's data).
DO $$
DECLARE g text;
BEGIN
    FOREACH g IN ARRAY ARRAY['minute', 'hour', 'day'] LOOP
        EXECUTE format('ALTER TABLE %I DROP CONSTRAINT %I', 'usage_' || g, 'usage_' || g || '_view_check');
        EXECUTE format('ALTER TABLE %I ADD CONSTRAINT %I CHECK (view BETWEEN 0 AND 8)', 'usage_' || g,
                       'usage_' || g || '_view_check');
        -- What view 7 already counted.
        EXECUTE format($t$
            INSERT INTO %1$I
            SELECT bucket, 8, '', '', '00000000-0000-0000-0000-000000000000', '', tool_name, '',
                   sum(calls), sum(success), sum(failed), sum(rate_limited), sum(policy_denied), sum(not_found),
                   sum(request_bytes), sum(response_bytes), sum(latency_sum_ms), %2$s
            FROM %1$I WHERE view = 7
            GROUP BY bucket, tool_name$t$,
            'usage_' || g,
            (SELECT string_agg(format('sum(l%s)', i), ', ' ORDER BY i) FROM generate_series(0, 81) AS i));
    END LOOP;
END $$;

-- The raw calls in time order, for every caller's scope: the usage dashboards' last
-- calls and their CSV export page through them by (at, event_id), newest first; without
-- this index a platform admin's page sorted whole day partitions each time.
CREATE INDEX metering_calls_at ON metering_calls (at, event_id);

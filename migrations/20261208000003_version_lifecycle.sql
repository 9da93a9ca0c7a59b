-- A version's lifecycle (issue 33): when it was deprecated, its sunset, the version
-- callers should move to, and when it was retired.
ALTER TABLE api_versions
    ADD COLUMN deprecated_at timestamptz,
    ADD COLUMN sunset_at     timestamptz,
    ADD COLUMN successor     text CHECK (length(successor) BETWEEN 1 AND 50),
    ADD COLUMN retired_at    timestamptz;
-- Versions deprecated before this (the demo's seed) were deprecated when last changed.
UPDATE api_versions SET deprecated_at = updated_at WHERE status = 'deprecated';

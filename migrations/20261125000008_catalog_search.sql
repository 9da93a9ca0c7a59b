-- Full-text search beside row-level security. Under RLS, Postgres must apply the policy
-- before any non-leakproof condition, and `tsvector @@ tsquery` is not leakproof: the
-- GIN index on catalog_items.search can never be used, and every search scans the table
-- (measured: 30 ms for 10 000 entries instead of 0.4 ms). This side table holds only
-- entry ids and their search vectors, has no RLS, and is written only by a trigger; the
-- application finds candidate ids here through the index and then reads the entries from
-- catalog_items, whose policies still decide what is returned.
CREATE TABLE catalog_search (
    item_id  uuid PRIMARY KEY REFERENCES catalog_items (id) ON DELETE CASCADE,
    search   tsvector NOT NULL
);
CREATE INDEX catalog_search_vector ON catalog_search USING gin (search);

INSERT INTO catalog_search (item_id, search) SELECT id, search FROM catalog_items;

CREATE FUNCTION catalog_search_sync() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
SET search_path = public AS $$
BEGIN
    INSERT INTO catalog_search (item_id, search) VALUES (NEW.id, NEW.search)
    ON CONFLICT (item_id) DO UPDATE SET search = EXCLUDED.search;
    RETURN NULL;
END $$;

CREATE TRIGGER catalog_search_sync AFTER INSERT OR UPDATE ON catalog_items
    FOR EACH ROW EXECUTE FUNCTION catalog_search_sync();

-- The application reads it; only the trigger writes it.
REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON catalog_search FROM stoa_app;
GRANT SELECT ON catalog_search TO stoa_app;

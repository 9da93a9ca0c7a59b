-- Tenant isolation in the database (second layer under the code's own tenant filters).
--
-- The application's queries run as `stoa_app`: not a superuser, not the tables' owner,
-- no BYPASSRLS. Every connection of the application's pool does `SET ROLE stoa_app`
-- (app::db::pool); migrations keep running as the owner. Each transaction says whose
-- data it may see with two transaction-local settings (app::db::scope):
--   stoa.tenant_id  the caller's tenant
--   stoa.platform   'on' for platform admins and the server's own work (sign-in, seed)
-- A query with neither sees no tenant-scoped row at all.

DO $$
BEGIN
    CREATE ROLE stoa_app NOLOGIN NOSUPERUSER NOBYPASSRLS;
EXCEPTION WHEN duplicate_object OR unique_violation THEN
    NULL; -- roles are cluster-wide: another database of this cluster made it first
END $$;

-- A non-superuser owner must be a member to `SET ROLE stoa_app`.
DO $$
BEGIN
    IF NOT pg_has_role(current_user, 'stoa_app', 'MEMBER') THEN
        EXECUTE format('GRANT stoa_app TO %I', current_user);
    END IF;
END $$;

GRANT USAGE ON SCHEMA public TO stoa_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO stoa_app;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO stoa_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO stoa_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO stoa_app;
REVOKE ALL ON _sqlx_migrations FROM stoa_app;
GRANT USAGE ON SCHEMA tower_sessions TO stoa_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA tower_sessions TO stoa_app;

-- The audit trail: besides the triggers, the application may only append and read.
REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM stoa_app;

CREATE FUNCTION stoa_tenant() RETURNS text LANGUAGE sql STABLE AS
$$ SELECT nullif(current_setting('stoa.tenant_id', true), '') $$;

CREATE FUNCTION stoa_platform() RETURNS boolean LANGUAGE sql STABLE AS
$$ SELECT coalesce(current_setting('stoa.platform', true), '') = 'on' $$;

ALTER TABLE users ENABLE ROW LEVEL SECURITY;
ALTER TABLE users FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON users
    USING (stoa_platform() OR tenant_id = stoa_tenant())
    WITH CHECK (stoa_platform() OR tenant_id = stoa_tenant());

-- Rows without a tenant (failed sign-ins of unknown users) are platform rows.
ALTER TABLE audit_log ENABLE ROW LEVEL SECURITY;
ALTER TABLE audit_log FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON audit_log
    USING (stoa_platform() OR tenant_id = stoa_tenant())
    WITH CHECK (stoa_platform() OR tenant_id = stoa_tenant());

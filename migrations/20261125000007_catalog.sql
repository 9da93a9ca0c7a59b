-- The catalog: APIs and MCP servers in one searchable table, API versions with their
-- OpenAPI documents, deployments per environment, and MCP tools.

-- array_to_string is only STABLE; tags are plain text, so joining them is immutable.
CREATE FUNCTION stoa_words(text[]) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
$$ SELECT array_to_string($1, ' ') $$;

CREATE TABLE catalog_items (
    id                 uuid PRIMARY KEY,
    tenant_id          text NOT NULL REFERENCES tenants (id),
    kind               text NOT NULL CHECK (kind IN ('api', 'mcp')),
    slug               text NOT NULL CHECK (slug ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
    name               text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    description        text NOT NULL DEFAULT '' CHECK (length(description) <= 100000),
    category           text NOT NULL DEFAULT 'other' CHECK (category ~ '^[a-z0-9][a-z0-9-]{0,40}$'),
    tags               text[] NOT NULL DEFAULT '{}',
    audience           text NOT NULL DEFAULT 'public' CHECK (audience IN ('public', 'internal', 'partner')),
    auth_type          text NOT NULL DEFAULT 'api_key' CHECK (auth_type IN ('none', 'api_key', 'oauth2')),
    requires_approval  boolean NOT NULL DEFAULT false,
    status             text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published', 'retired')),
    owner_id           uuid REFERENCES users (id),
    -- Operation summaries (APIs) or tool names and descriptions (MCP servers).
    search_extra       text NOT NULL DEFAULT '',
    search             tsvector GENERATED ALWAYS AS (
                           setweight(to_tsvector('english', name), 'A')
                        || setweight(to_tsvector('english', stoa_words(tags)), 'B')
                        || setweight(to_tsvector('english', search_extra), 'C')
                        || setweight(to_tsvector('english', description), 'D')
                       ) STORED,
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now(),
    UNIQUE (tenant_id, kind, slug)
);

-- MCP servers are named platform-wide (`/mcp/:server`, the MCP registry listing).
CREATE UNIQUE INDEX catalog_items_mcp_slug ON catalog_items (slug) WHERE kind = 'mcp';
CREATE INDEX catalog_items_search ON catalog_items USING gin (search);
CREATE INDEX catalog_items_tags ON catalog_items USING gin (tags);
CREATE INDEX catalog_items_listing ON catalog_items (status, audience, name);

CREATE TABLE api_versions (
    id               uuid PRIMARY KEY,
    item_id          uuid NOT NULL REFERENCES catalog_items (id) ON DELETE CASCADE,
    tenant_id        text NOT NULL REFERENCES tenants (id),
    version          text NOT NULL CHECK (length(version) BETWEEN 1 AND 50),
    status           text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published', 'deprecated', 'retired')),
    format           text NOT NULL CHECK (format IN ('json', 'yaml')),
    -- As uploaded (served by the download link), and parsed.
    document         text NOT NULL,
    spec             jsonb NOT NULL,
    openapi          text NOT NULL,
    servers          text[] NOT NULL DEFAULT '{}',
    operation_count  integer NOT NULL DEFAULT 0,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    published_at     timestamptz,
    UNIQUE (item_id, version)
);

CREATE TABLE deployments (
    version_id   uuid NOT NULL REFERENCES api_versions (id) ON DELETE CASCADE,
    tenant_id    text NOT NULL REFERENCES tenants (id),
    environment  text NOT NULL CHECK (environment IN ('dev', 'staging', 'prod')),
    state        text NOT NULL DEFAULT 'deployed' CHECK (state IN ('pending', 'deployed', 'failed')),
    server_url   text,
    updated_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (version_id, environment)
);

CREATE TABLE mcp_tools (
    item_id       uuid NOT NULL REFERENCES catalog_items (id) ON DELETE CASCADE,
    tenant_id     text NOT NULL REFERENCES tenants (id),
    name          text NOT NULL CHECK (name ~ '^[A-Za-z0-9_.-]{1,64}$'),
    description   text NOT NULL DEFAULT '',
    input_schema  jsonb NOT NULL DEFAULT '{"type": "object"}',
    PRIMARY KEY (item_id, name)
);

-- Isolation: a tenant writes only its own rows; everyone may read what another tenant
-- published for the public or partners (the code narrows by role); internal and draft
-- entries never leave their tenant. Reading and writing are separate policies, so an
-- UPDATE aimed at another tenant's visible row matches nothing rather than failing.
CREATE FUNCTION stoa_own(tenant text) RETURNS boolean LANGUAGE sql STABLE AS
$$ SELECT stoa_platform() OR tenant = stoa_tenant() $$;

ALTER TABLE catalog_items ENABLE ROW LEVEL SECURITY;
ALTER TABLE catalog_items FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_read ON catalog_items FOR SELECT
    USING (stoa_own(tenant_id) OR (status = 'published' AND audience <> 'internal'));

ALTER TABLE api_versions ENABLE ROW LEVEL SECURITY;
ALTER TABLE api_versions FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_read ON api_versions FOR SELECT
    USING (stoa_own(tenant_id)
           OR (status <> 'draft' AND EXISTS (SELECT 1 FROM catalog_items i WHERE i.id = item_id)));

ALTER TABLE deployments ENABLE ROW LEVEL SECURITY;
ALTER TABLE deployments FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_read ON deployments FOR SELECT
    USING (stoa_own(tenant_id) OR EXISTS (SELECT 1 FROM api_versions v WHERE v.id = version_id));

ALTER TABLE mcp_tools ENABLE ROW LEVEL SECURITY;
ALTER TABLE mcp_tools FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_read ON mcp_tools FOR SELECT
    USING (stoa_own(tenant_id) OR EXISTS (SELECT 1 FROM catalog_items i WHERE i.id = item_id));

DO $$
DECLARE t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['catalog_items', 'api_versions', 'deployments', 'mcp_tools'] LOOP
        EXECUTE format('CREATE POLICY tenant_insert ON %I FOR INSERT WITH CHECK (stoa_own(tenant_id))', t);
        EXECUTE format('CREATE POLICY tenant_update ON %I FOR UPDATE USING (stoa_own(tenant_id)) WITH CHECK (stoa_own(tenant_id))', t);
        EXECUTE format('CREATE POLICY tenant_delete ON %I FOR DELETE USING (stoa_own(tenant_id))', t);
    END LOOP;
END $$;

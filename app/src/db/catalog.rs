//! Catalog storage: entries (APIs and MCP servers), API versions with their documents,
//! deployments, MCP tools; search with facets.

use crate::domain::catalog::{tsquery, Audience, AuthType, Kind, Sort, Viewer};
use crate::domain::openapi::Document;
use crate::model::catalog::{
    CatalogEntry, CatalogQuery, CatalogResults, Deployment, Facet, Facets, ItemDetail, McpTool, VersionInfo,
};
use crate::model::publishing::OwnItem;
use sqlx::{PgConnection, Postgres, QueryBuilder};
use uuid::Uuid;

/// An entry as its publisher describes it.
pub struct NewItem<'a> {
    pub tenant_id: &'a str,
    pub kind: Kind,
    pub slug: &'a str,
    pub name: &'a str,
    pub description: &'a str,
    pub category: &'a str,
    pub tags: &'a [String],
    pub audience: Audience,
    pub auth_type: AuthType,
    pub requires_approval: bool,
    pub owner_id: Option<Uuid>,
}

/// Creates the entry or updates its description; returns its id and whether it is new.
pub async fn upsert_item(db: &mut PgConnection, item: &NewItem<'_>) -> Result<(Uuid, bool), sqlx::Error> {
    sqlx::query_as(
        "INSERT INTO catalog_items
            (id, tenant_id, kind, slug, name, description, category, tags, audience, auth_type,
             requires_approval, owner_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
         ON CONFLICT (tenant_id, kind, slug) DO UPDATE
            SET name = EXCLUDED.name, description = EXCLUDED.description, category = EXCLUDED.category,
                tags = EXCLUDED.tags, audience = EXCLUDED.audience, auth_type = EXCLUDED.auth_type,
                requires_approval = EXCLUDED.requires_approval, updated_at = now()
         RETURNING id, (xmax = 0)",
    )
    .bind(Uuid::now_v7())
    .bind(item.tenant_id)
    .bind(item.kind.as_str())
    .bind(item.slug)
    .bind(item.name)
    .bind(item.description)
    .bind(item.category)
    .bind(item.tags)
    .bind(item.audience.as_str())
    .bind(item.auth_type.as_str())
    .bind(item.requires_approval)
    .bind(item.owner_id)
    .fetch_one(db)
    .await
}

/// Stores a version's document as a draft (replacing a draft of the same version). A
/// version that was published is never rewritten: `Ok(None)`.
pub async fn put_version(
    db: &mut PgConnection,
    item_id: Uuid,
    tenant_id: &str,
    raw: &str,
    doc: &Document,
) -> Result<Option<Uuid>, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO api_versions
            (id, item_id, tenant_id, version, format, document, spec, openapi, servers, operation_count)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
         ON CONFLICT (item_id, version) DO UPDATE
            SET format = EXCLUDED.format, document = EXCLUDED.document, spec = EXCLUDED.spec,
                openapi = EXCLUDED.openapi, servers = EXCLUDED.servers,
                operation_count = EXCLUDED.operation_count, updated_at = now()
            WHERE api_versions.status = 'draft'
         RETURNING id",
    )
    .bind(Uuid::now_v7())
    .bind(item_id)
    .bind(tenant_id)
    .bind(&doc.version)
    .bind(doc.format.as_str())
    .bind(raw)
    .bind(&doc.spec)
    .bind(&doc.openapi)
    .bind(&doc.servers)
    .bind(doc.operations.len() as i32)
    .fetch_optional(db)
    .await
}

/// Publishes a version: it and its entry become visible, and the entry's search text
/// takes this version's operations.
pub async fn publish_version(
    db: &mut PgConnection,
    version_id: Uuid,
    doc: &Document,
) -> Result<(), sqlx::Error> {
    let words: Vec<String> = doc
        .operations
        .iter()
        .flat_map(|o| [o.summary.clone(), o.operation_id.clone()])
        .flatten()
        .chain(doc.operations.iter().flat_map(|o| o.tags.clone()))
        .collect();
    let extra: String = words.join(" ").chars().take(200_000).collect();
    sqlx::query(
        "WITH v AS (
            UPDATE api_versions SET status = 'published', published_at = coalesce(published_at, now()),
                   updated_at = now()
            WHERE id = $1 RETURNING item_id)
         UPDATE catalog_items SET status = 'published', search_extra = $2, updated_at = now()
         WHERE id = (SELECT item_id FROM v)",
    )
    .bind(version_id)
    .bind(extra)
    .execute(db)
    .await?;
    Ok(())
}

/// Records that a version runs in `environment` at `server_url`.
pub async fn deploy(
    db: &mut PgConnection,
    version_id: Uuid,
    tenant_id: &str,
    environment: &str,
    server_url: Option<&str>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO deployments (version_id, tenant_id, environment, state, server_url)
         VALUES ($1, $2, $3, 'deployed', $4)
         ON CONFLICT (version_id, environment) DO UPDATE
            SET state = 'deployed', server_url = EXCLUDED.server_url, updated_at = now()",
    )
    .bind(version_id)
    .bind(tenant_id)
    .bind(environment)
    .bind(server_url)
    .execute(db)
    .await?;
    Ok(())
}

/// Replaces an MCP server's tools and publishes the server.
pub async fn set_tools(
    db: &mut PgConnection,
    item_id: Uuid,
    tenant_id: &str,
    tools: &[McpTool],
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM mcp_tools WHERE item_id = $1").bind(item_id).execute(&mut *db).await?;
    for t in tools {
        sqlx::query(
            "INSERT INTO mcp_tools (item_id, tenant_id, name, description, input_schema) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(item_id)
        .bind(tenant_id)
        .bind(&t.name)
        .bind(&t.description)
        .bind(&t.input_schema)
        .execute(&mut *db)
        .await?;
    }
    let extra: Vec<String> =
        tools.iter().map(|t| format!("{} {}", t.name.replace(['_', '.'], " "), t.description)).collect();
    sqlx::query(
        "UPDATE catalog_items SET status = 'published', search_extra = $2, updated_at = now() WHERE id = $1",
    )
    .bind(item_id)
    .bind(extra.join(" "))
    .execute(&mut *db)
    .await?;
    Ok(())
}

/// Appends whether entry `i` is one `user` holds an active subscription to, through an
/// application they own. The subscriptions are read once (`ARRAY(…)`), not per entry.
fn push_subscribed(b: &mut QueryBuilder<'_, Postgres>, user: Uuid) {
    b.push(
        "i.id = ANY (ARRAY(SELECT s.item_id FROM subscriptions s JOIN applications a ON a.id = s.application_id
                          WHERE s.state = 'active' AND a.owner_id = ",
    )
    .push_bind(user)
    .push("))");
}

/// Appends `WHERE …` for entries `viewer` may see ([`Viewer::sees`]) that match `query`.
/// Only the conditions in force are written (no `$n IS NULL OR …`), so the planner
/// sees exactly the query it runs.
fn push_where(
    b: &mut QueryBuilder<'_, Postgres>,
    viewer: &Viewer,
    query: &CatalogQuery,
    ts: &Option<String>,
) {
    b.push(" WHERE i.status = 'published' AND (i.audience = 'public'");
    if viewer.partner {
        b.push(" OR i.audience = 'partner'");
    }
    if viewer.internal {
        if viewer.every_tenant {
            b.push(" OR i.audience = 'internal'");
        } else if let Some(t) = &viewer.tenant_id {
            b.push(" OR (i.audience = 'internal' AND i.tenant_id = ").push_bind(t.clone()).push(")");
        }
    }
    if let Some(user) = viewer.subscriber {
        b.push(" OR ");
        push_subscribed(b, user);
    }
    b.push(")");
    if let Some(ts) = ts {
        // Candidates through the index of `catalog_search` (see its migration: RLS keeps
        // the planner from using an index on catalog_items itself).
        // `= ANY(ARRAY(…))` makes the candidates a value the planner looks up through the
        // primary key, rather than a join that scans catalog_items.
        b.push(" AND i.id = ANY (ARRAY(SELECT s.item_id FROM catalog_search s WHERE s.search @@ to_tsquery('english', ")
            .push_bind(ts.clone())
            .push(")))");
    }
    if let Some(kind) = query.kind {
        b.push(" AND i.kind = ").push_bind(kind.as_str());
    }
    if let Some(category) = &query.category {
        b.push(" AND i.category = ").push_bind(category.clone());
    }
    if let Some(tag) = &query.tag {
        b.push(" AND i.tags @> ARRAY[").push_bind(tag.clone()).push("]::text[]");
    }
    if let Some(audience) = query.audience {
        b.push(" AND i.audience = ").push_bind(audience.as_str());
    }
    if let Some(auth) = query.auth_type {
        b.push(" AND i.auth_type = ").push_bind(auth.as_str());
    }
}

/// One page of entries visible to `viewer` matching `query`, with facet counts over all
/// matches — one statement: the matches are found once and both the page and the facets
/// are computed from them.
pub async fn search(
    db: &mut PgConnection,
    viewer: &Viewer,
    query: &CatalogQuery,
    limit: i64,
    offset: i64,
) -> Result<CatalogResults, sqlx::Error> {
    let ts = query.q.as_deref().and_then(tsquery);
    let sort = match (query.sort, ts.is_some()) {
        (Sort::Relevance, true) => "rank DESC, name",
        (Sort::Relevance, false) | (Sort::Name, _) => "lower(name), tenant_id",
        (Sort::Updated, _) => "updated_at DESC, name",
    };
    #[derive(serde::Deserialize)]
    struct Row {
        tenant_id: String,
        kind: String,
        slug: String,
        name: String,
        excerpt: String,
        category: String,
        tags: Vec<String>,
        audience: String,
        auth_type: String,
        latest_version: Option<String>,
        updated_at: String,
        subscribed: bool,
    }
    let mut b = QueryBuilder::new(
        "WITH m AS MATERIALIZED (
            SELECT i.id, i.tenant_id, i.kind, i.slug, i.name, left(i.description, 400) AS excerpt, i.category,
                   i.tags, i.audience, i.auth_type, i.updated_at, ",
    );
    match viewer.subscriber {
        Some(user) => push_subscribed(&mut b, user),
        None => {
            b.push("false");
        }
    }
    b.push(" AS subscribed, ");
    match &ts {
        Some(ts) => {
            b.push("ts_rank(i.search, to_tsquery('english', ").push_bind(ts.clone()).push(")) AS rank")
        }
        None => b.push("0::real AS rank"),
    };
    b.push(" FROM catalog_items i");
    push_where(&mut b, viewer, query, &ts);
    b.push(format!(
        "), page AS (
            SELECT m.*, row_number() OVER (ORDER BY {sort}) AS ord FROM m ORDER BY {sort} LIMIT "
    ))
    .push_bind(limit)
    .push(" OFFSET ")
    .push_bind(offset)
    .push(
        ")
         SELECT (SELECT count(*) FROM m),
                (SELECT coalesce(jsonb_agg(jsonb_build_object(
                        'tenant_id', p.tenant_id, 'kind', p.kind, 'slug', p.slug, 'name', p.name,
                        'excerpt', p.excerpt, 'category', p.category, 'tags', p.tags, 'audience', p.audience,
                        'auth_type', p.auth_type, 'subscribed', p.subscribed,
                        'updated_at', to_char(p.updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'),
                        'latest_version', (SELECT v.version FROM api_versions v
                                           WHERE v.item_id = p.id AND v.status IN ('published', 'deprecated')
                                           ORDER BY v.status = 'published' DESC,
                                                    EXISTS (SELECT 1 FROM deployments d WHERE d.version_id = v.id
                                                            AND d.environment = 'prod' AND d.state = 'deployed') DESC,
                                                    v.published_at DESC NULLS LAST
                                           LIMIT 1))
                        ORDER BY p.ord), '[]')
                   FROM page p),
                (SELECT coalesce(jsonb_agg(jsonb_build_array(kind, n) ORDER BY n DESC, kind), '[]')
                   FROM (SELECT kind, count(*) n FROM m GROUP BY kind) x),
                (SELECT coalesce(jsonb_agg(jsonb_build_array(category, n) ORDER BY n DESC, category), '[]')
                   FROM (SELECT category, count(*) n FROM m GROUP BY category) x),
                (SELECT coalesce(jsonb_agg(jsonb_build_array(tag, n) ORDER BY n DESC, tag), '[]')
                   FROM (SELECT tag, count(*) n FROM m, unnest(m.tags) tag GROUP BY tag ORDER BY n DESC, tag LIMIT 200) x),
                (SELECT coalesce(jsonb_agg(jsonb_build_array(audience, n) ORDER BY n DESC, audience), '[]')
                   FROM (SELECT audience, count(*) n FROM m GROUP BY audience) x),
                (SELECT coalesce(jsonb_agg(jsonb_build_array(auth_type, n) ORDER BY n DESC, auth_type), '[]')
                   FROM (SELECT auth_type, count(*) n FROM m GROUP BY auth_type) x)",
    );
    type FacetJson = sqlx::types::Json<Vec<(String, i64)>>;
    #[allow(clippy::type_complexity)]
    let (total, rows, kind, category, tag, audience, auth_type): (
        i64,
        sqlx::types::Json<Vec<Row>>,
        FacetJson,
        FacetJson,
        FacetJson,
        FacetJson,
        FacetJson,
    ) = b.build_query_as().fetch_one(&mut *db).await?;
    let facet = |j: FacetJson| j.0.into_iter().map(|(value, count)| Facet { value, count }).collect();
    let entries = rows
        .0
        .into_iter()
        .map(|r| CatalogEntry {
            tenant_id: r.tenant_id,
            kind: Kind::parse(&r.kind).unwrap_or(Kind::Api),
            slug: r.slug,
            name: r.name,
            excerpt: r.excerpt,
            category: r.category,
            tags: r.tags,
            audience: Audience::parse(&r.audience).unwrap_or(Audience::Public),
            auth_type: AuthType::parse(&r.auth_type).unwrap_or(AuthType::ApiKey),
            latest_version: r.latest_version,
            updated_at: r.updated_at,
            subscribed: r.subscribed,
        })
        .collect();
    Ok(CatalogResults {
        entries,
        total,
        facets: Facets {
            kind: facet(kind),
            category: facet(category),
            tag: facet(tag),
            audience: facet(audience),
            auth_type: facet(auth_type),
        },
    })
}

/// One entry with its versions (APIs) or tools (MCP servers), if `viewer` may see it.
pub async fn detail(
    db: &mut PgConnection,
    viewer: &Viewer,
    tenant_id: &str,
    kind: Kind,
    slug: &str,
) -> Result<Option<(Uuid, ItemDetail)>, sqlx::Error> {
    find_detail(db, Some(viewer), tenant_id, kind, slug).await
}

/// One of the tenant's own entries whatever its status and audience, drafts included
/// (the publisher's console; call it in the tenant's scope).
pub async fn own_detail(
    db: &mut PgConnection,
    tenant_id: &str,
    kind: Kind,
    slug: &str,
) -> Result<Option<ItemDetail>, sqlx::Error> {
    Ok(find_detail(db, None, tenant_id, kind, slug).await?.map(|(_, d)| d))
}

/// `viewer` `None`: the owner, who sees every status and drafts.
async fn find_detail(
    db: &mut PgConnection,
    viewer: Option<&Viewer>,
    tenant_id: &str,
    kind: Kind,
    slug: &str,
) -> Result<Option<(Uuid, ItemDetail)>, sqlx::Error> {
    #[derive(sqlx::FromRow)]
    struct Row {
        id: Uuid,
        name: String,
        description: String,
        category: String,
        tags: Vec<String>,
        audience: String,
        auth_type: String,
        requires_approval: bool,
        updated_at: chrono::DateTime<chrono::Utc>,
        remote_url: Option<String>,
    }
    let mut b = QueryBuilder::new(
        "SELECT i.id, i.name, i.description, i.category, i.tags, i.audience, i.auth_type, i.requires_approval,
                i.updated_at, i.remote_url
         FROM catalog_items i",
    );
    match viewer {
        Some(viewer) => {
            push_where(&mut b, viewer, &CatalogQuery { kind: Some(kind), ..Default::default() }, &None)
        }
        None => {
            b.push(" WHERE i.kind = ").push_bind(kind.as_str());
        }
    }
    b.push(" AND i.tenant_id = ").push_bind(tenant_id).push(" AND i.slug = ").push_bind(slug);
    let row: Option<Row> = b.build_query_as().fetch_optional(&mut *db).await?;
    let Some(r) = row else { return Ok(None) };
    let versions = versions_of(&mut *db, r.id, viewer.is_none()).await?;
    let tools: Vec<(String, String, serde_json::Value)> = sqlx::query_as(
        "SELECT name, description, input_schema FROM mcp_tools WHERE item_id = $1 ORDER BY name",
    )
    .bind(r.id)
    .fetch_all(&mut *db)
    .await?;
    let seen = match viewer {
        Some(v) => crate::db::plans::Seen::by(v, tenant_id),
        None => crate::db::plans::Seen { internal: true, partner: true },
    };
    let plans = crate::db::plans::offered(&mut *db, r.id, seen).await?;
    let detail = ItemDetail {
        remote_url: r.remote_url,
        endpoint: None,
        plans,
        tenant_id: tenant_id.to_owned(),
        kind,
        slug: slug.to_owned(),
        name: r.name,
        description: r.description,
        category: r.category,
        tags: r.tags,
        audience: Audience::parse(&r.audience).unwrap_or(Audience::Public),
        auth_type: AuthType::parse(&r.auth_type).unwrap_or(AuthType::ApiKey),
        requires_approval: r.requires_approval,
        updated_at: crate::db::rfc3339(r.updated_at),
        versions,
        tools: tools
            .into_iter()
            .map(|(name, description, input_schema)| McpTool { name, description, input_schema })
            .collect(),
    };
    Ok(Some((r.id, detail)))
}

/// An entry's versions, newest first, with their deployments (drafts too when
/// `with_drafts`: the owner's console).
pub async fn versions_of(
    db: &mut PgConnection,
    item_id: Uuid,
    with_drafts: bool,
) -> Result<Vec<VersionInfo>, sqlx::Error> {
    #[derive(sqlx::FromRow)]
    struct V {
        id: Uuid,
        version: String,
        status: String,
        openapi: String,
        operation_count: i32,
        published_at: Option<chrono::DateTime<chrono::Utc>>,
        sunset_at: Option<chrono::DateTime<chrono::Utc>>,
        successor: Option<String>,
    }
    let versions: Vec<V> = sqlx::query_as(
        "SELECT id, version, status, openapi, operation_count, published_at, sunset_at, successor FROM api_versions
         WHERE item_id = $1 AND ($2 OR status <> 'draft')
         ORDER BY published_at DESC NULLS FIRST, created_at DESC, version DESC",
    )
    .bind(item_id)
    .bind(with_drafts)
    .fetch_all(&mut *db)
    .await?;
    let deployments: Vec<(Uuid, String, String, Option<String>)> = sqlx::query_as(
        "SELECT d.version_id, d.environment, d.state, d.server_url FROM deployments d
         JOIN api_versions v ON v.id = d.version_id WHERE v.item_id = $1
         ORDER BY array_position(ARRAY['dev', 'staging', 'prod'], d.environment)",
    )
    .bind(item_id)
    .fetch_all(&mut *db)
    .await?;
    Ok(versions
        .into_iter()
        .map(|v| VersionInfo {
            deployments: deployments
                .iter()
                .filter(|d| d.0 == v.id)
                .map(|d| Deployment {
                    environment: d.1.clone(),
                    state: d.2.clone(),
                    server_url: d.3.clone(),
                    gateway_url: None,
                })
                .collect(),
            version: v.version,
            status: v.status,
            openapi: v.openapi,
            operation_count: v.operation_count,
            published_at: v.published_at.map(crate::db::rfc3339),
            sunset_at: v.sunset_at.map(crate::db::rfc3339),
            successor: v.successor,
        })
        .collect())
}

/// The tenant's own entries for its console (every status and audience), newest first.
/// Runs inside the tenant's scope, so RLS alone would already narrow it.
pub async fn tenant_items(db: &mut PgConnection, tenant_id: &str) -> Result<Vec<OwnItem>, sqlx::Error> {
    #[derive(sqlx::FromRow)]
    struct Row {
        id: Uuid,
        kind: String,
        slug: String,
        name: String,
        status: String,
        audience: String,
        updated_at: chrono::DateTime<chrono::Utc>,
        tool_count: i64,
    }
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT i.id, i.kind, i.slug, i.name, i.status, i.audience, i.updated_at,
                (SELECT count(*) FROM mcp_tools t WHERE t.item_id = i.id) AS tool_count
         FROM catalog_items i WHERE i.tenant_id = $1 ORDER BY i.updated_at DESC, i.slug LIMIT 500",
    )
    .bind(tenant_id)
    .fetch_all(&mut *db)
    .await?;
    let mut items = Vec::with_capacity(rows.len());
    for r in rows {
        let kind = Kind::parse(&r.kind).unwrap_or(Kind::Api);
        let versions = if kind == Kind::Api { versions_of(&mut *db, r.id, true).await? } else { vec![] };
        items.push(OwnItem {
            kind,
            slug: r.slug,
            name: r.name,
            status: r.status,
            audience: Audience::parse(&r.audience).unwrap_or(Audience::Public),
            updated_at: crate::db::rfc3339(r.updated_at),
            tool_count: r.tool_count,
            versions,
        });
    }
    Ok(items)
}

/// A version of the tenant's API: (version id, status, document as uploaded).
pub async fn own_version(
    db: &mut PgConnection,
    tenant_id: &str,
    slug: &str,
    version: &str,
) -> Result<Option<(Uuid, String, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT v.id, v.status, v.document FROM api_versions v JOIN catalog_items i ON i.id = v.item_id
         WHERE i.tenant_id = $1 AND i.kind = 'api' AND i.slug = $2 AND v.version = $3",
    )
    .bind(tenant_id)
    .bind(slug)
    .bind(version)
    .fetch_optional(db)
    .await
}

/// A published version's parsed document.
pub async fn version_spec(
    db: &mut PgConnection,
    item_id: Uuid,
    version: &str,
) -> Result<Option<serde_json::Value>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT spec FROM api_versions WHERE item_id = $1 AND version = $2 AND status <> 'draft'",
    )
    .bind(item_id)
    .bind(version)
    .fetch_optional(db)
    .await
}

/// A published version's document as uploaded: (format, text).
pub async fn version_raw(
    db: &mut PgConnection,
    item_id: Uuid,
    version: &str,
) -> Result<Option<(String, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT format, document FROM api_versions WHERE item_id = $1 AND version = $2 AND status <> 'draft'",
    )
    .bind(item_id)
    .bind(version)
    .fetch_optional(db)
    .await
}

/// The tenant of the entry of `kind` named `slug` (MCP server names are unique across
/// tenants; an API's is within its tenant, the first found).
pub async fn tenant_of(db: &mut PgConnection, kind: Kind, slug: &str) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT tenant_id FROM catalog_items WHERE kind = $1 AND slug = $2")
        .bind(kind.as_str())
        .bind(slug)
        .fetch_optional(db)
        .await
}

/// The id of `tenant`'s entry of `kind` named `slug`.
pub async fn id_of(
    db: &mut PgConnection,
    tenant: &str,
    kind: Kind,
    slug: &str,
) -> Result<Option<Uuid>, sqlx::Error> {
    sqlx::query_scalar("SELECT id FROM catalog_items WHERE tenant_id = $1 AND kind = $2 AND slug = $3")
        .bind(tenant)
        .bind(kind.as_str())
        .bind(slug)
        .fetch_optional(db)
        .await
}

/// The slug of the MCP server with this id.
pub async fn mcp_slug(db: &mut PgConnection, id: Uuid) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT slug FROM catalog_items WHERE id = $1 AND kind = 'mcp'")
        .bind(id)
        .fetch_optional(db)
        .await
}

/// What the gateway calls for an API: the version deployed, its server and document,
/// and where it stands in its lifecycle.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct GatewayRoute {
    pub item_id: Uuid,
    pub version: String,
    pub server_url: String,
    pub spec: serde_json::Value,
    /// `published`, `deprecated` or `retired`.
    pub status: String,
    pub deprecated_at: Option<chrono::DateTime<chrono::Utc>>,
    pub sunset_at: Option<chrono::DateTime<chrono::Utc>>,
    pub successor: Option<String>,
}

/// What the gateway calls for `tenant`'s API `slug` in `environment`: the version asked
/// for or else the one deployed there most recently (published, deprecated or retired —
/// a retired one is answered 410, never replaced by an older deployment), with a server
/// URL. Run it in the platform scope: the caller's key, not their tenant, decides access.
pub async fn gateway_route(
    db: &mut PgConnection,
    tenant_id: &str,
    slug: &str,
    environment: &str,
    version: Option<&str>,
) -> Result<Option<GatewayRoute>, sqlx::Error> {
    sqlx::query_as(
        "SELECT i.id AS item_id, v.version, d.server_url, v.spec, v.status, v.deprecated_at, v.sunset_at, v.successor
         FROM catalog_items i
         JOIN api_versions v ON v.item_id = i.id AND v.status IN ('published', 'deprecated', 'retired')
         JOIN deployments d ON d.version_id = v.id AND d.environment = $3 AND d.state = 'deployed'
         WHERE i.tenant_id = $1 AND i.kind = 'api' AND i.slug = $2 AND i.status = 'published'
           AND d.server_url IS NOT NULL AND ($4::text IS NULL OR v.version = $4)
         ORDER BY d.updated_at DESC, v.created_at DESC, v.id DESC -- ties (one seed transaction): the version stored last
         LIMIT 1",
    )
    .bind(tenant_id)
    .bind(slug)
    .bind(environment)
    .bind(version)
    .fetch_optional(db)
    .await
}

/// Sets (or clears) an MCP server's remote endpoint.
pub async fn set_remote_url(
    db: &mut PgConnection,
    item_id: Uuid,
    url: Option<&str>,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE catalog_items SET remote_url = $2 WHERE id = $1")
        .bind(item_id)
        .bind(url)
        .execute(db)
        .await?;
    Ok(())
}

/// What the gateway forwards `server`'s MCP calls to: (entry id, tenant, remote URL) of a
/// published MCP server with a remote (platform scope: the key decides access).
pub async fn mcp_route(
    db: &mut PgConnection,
    server: &str,
) -> Result<Option<(Uuid, String, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, tenant_id, remote_url FROM catalog_items
         WHERE kind = 'mcp' AND slug = $1 AND status = 'published' AND remote_url IS NOT NULL",
    )
    .bind(server)
    .fetch_optional(db)
    .await
}

/// The tools of `tenant`'s MCP server `slug` (the onboarding wizard asks for all of them).
pub async fn tool_names(db: &mut PgConnection, tenant: &str, slug: &str) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT t.name FROM mcp_tools t JOIN catalog_items i ON i.id = t.item_id
         WHERE i.tenant_id = $1 AND i.slug = $2 AND i.kind = 'mcp' ORDER BY t.name",
    )
    .bind(tenant)
    .bind(slug)
    .fetch_all(db)
    .await
}

//! The catalog as pages and the REST API see it: search with facets, one entry's detail.

use crate::domain::catalog::{Audience, AuthType, Kind, Sort};
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// Entries per page.
pub const PER_PAGE: i64 = 20;

/// A search as typed (query string of `/catalog`, or `/v1/catalog/apis`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CatalogParams {
    pub q: Option<String>,
    #[serde(rename = "type")]
    pub kind: Option<String>,
    pub category: Option<String>,
    pub tag: Option<String>,
    pub audience: Option<String>,
    pub auth: Option<String>,
    pub sort: Option<String>,
    pub page: Option<String>,
}

/// A search, parsed: unknown facet values and bad page numbers fall back to "any" and 1
/// (links from older pages keep working).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CatalogQuery {
    pub q: Option<String>,
    pub kind: Option<Kind>,
    pub category: Option<String>,
    pub tag: Option<String>,
    pub audience: Option<Audience>,
    pub auth_type: Option<AuthType>,
    pub sort: Sort,
    pub page: i64,
}

impl Default for CatalogQuery {
    fn default() -> CatalogQuery {
        CatalogQuery {
            q: None,
            kind: None,
            category: None,
            tag: None,
            audience: None,
            auth_type: None,
            sort: Sort::Relevance,
            page: 1,
        }
    }
}

impl CatalogParams {
    pub fn parse(&self) -> CatalogQuery {
        let text = |v: &Option<String>| {
            v.as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(|s| s.chars().take(200).collect::<String>())
        };
        CatalogQuery {
            q: text(&self.q),
            kind: text(&self.kind).and_then(|k| Kind::parse(&k)),
            category: text(&self.category),
            tag: text(&self.tag),
            audience: text(&self.audience).and_then(|a| Audience::parse(&a)),
            auth_type: text(&self.auth).and_then(|a| AuthType::parse(&a)),
            sort: text(&self.sort).and_then(|s| Sort::parse(&s)).unwrap_or_default(),
            page: text(&self.page)
                .and_then(|p| p.parse().ok())
                .filter(|p| (1..=10_000).contains(p))
                .unwrap_or(1),
        }
    }
}

/// One entry in a result list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CatalogEntry {
    pub tenant_id: String,
    pub kind: Kind,
    pub slug: String,
    pub name: String,
    /// The start of the description (Markdown source).
    pub excerpt: String,
    pub category: String,
    pub tags: Vec<String>,
    pub audience: Audience,
    pub auth_type: AuthType,
    pub latest_version: Option<String>,
    pub updated_at: String,
}

impl CatalogEntry {
    /// Where the entry's page is.
    pub fn href(&self) -> String {
        match self.kind {
            Kind::Api => format!("/apis/{}/{}", self.tenant_id, self.slug),
            Kind::Mcp => format!("/mcp/{}", self.slug),
        }
    }
}

/// A facet value and how many results have it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Facet {
    pub value: String,
    pub count: i64,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Facets {
    pub kind: Vec<Facet>,
    pub category: Vec<Facet>,
    pub tag: Vec<Facet>,
    pub audience: Vec<Facet>,
    pub auth_type: Vec<Facet>,
}

/// One page of results.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CatalogResults {
    pub entries: Vec<CatalogEntry>,
    pub total: i64,
    pub facets: Facets,
}

/// Where a version runs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deployment {
    pub environment: String,
    pub state: String,
    pub server_url: Option<String>,
}

/// A published (or deprecated / retired) version.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VersionInfo {
    pub version: String,
    pub status: String,
    pub openapi: String,
    pub operation_count: i32,
    pub published_at: Option<String>,
    pub deployments: Vec<Deployment>,
}

pub use crate::domain::mcp::McpTool;

/// A plan of the entry's tenant, as subscribers compare them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct PlanInfo {
    pub slug: String,
    pub name: String,
    pub description: String,
    pub rate_per_second: Option<i32>,
    pub rate_per_minute: Option<i32>,
    pub daily_quota: Option<i32>,
    pub monthly_quota: Option<i32>,
    pub requires_approval: bool,
}

/// One entry, whole.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ItemDetail {
    pub tenant_id: String,
    pub kind: Kind,
    pub slug: String,
    pub name: String,
    pub description: String,
    pub category: String,
    pub tags: Vec<String>,
    pub audience: Audience,
    pub auth_type: AuthType,
    pub requires_approval: bool,
    pub updated_at: String,
    pub versions: Vec<VersionInfo>,
    pub tools: Vec<McpTool>,
    /// The plans one can subscribe with.
    #[serde(default)]
    pub plans: Vec<PlanInfo>,
}

/// Searches the catalog as the current visitor (signed in or not).
#[server(endpoint = "search_catalog")]
pub async fn search_catalog(params: CatalogParams) -> Result<CatalogResults, AppError> {
    let state = crate::state::app_state()?;
    let user =
        crate::auth::guard(crate::auth::current_user().as_ref(), crate::domain::permission::Access::Public)?;
    server::search(&state.pool, user.as_ref(), &params.parse()).await
}

/// One API with the parsed document of `version` (default: the current one).
#[server(endpoint = "api_page")]
pub async fn api_page(
    tenant: String,
    api: String,
    version: Option<String>,
) -> Result<(ItemDetail, Option<(String, serde_json::Value)>), AppError> {
    let state = crate::state::app_state()?;
    let user =
        crate::auth::guard(crate::auth::current_user().as_ref(), crate::domain::permission::Access::Public)?;
    server::item(&state.pool, user.as_ref(), &tenant, Kind::Api, &api, version.as_deref())
        .await
        .map_err(AppError::with_response_status)
}

/// One MCP server with its tools.
#[server(endpoint = "mcp_page")]
pub async fn mcp_page(server: String) -> Result<ItemDetail, AppError> {
    let state = crate::state::app_state()?;
    let user =
        crate::auth::guard(crate::auth::current_user().as_ref(), crate::domain::permission::Access::Public)?;
    server::mcp_server(&state.pool, user.as_ref(), &server).await.map_err(AppError::with_response_status)
}

#[cfg(feature = "ssr")]
pub use server::{item, mcp_server, search, viewer_scope};

#[cfg(feature = "ssr")]
mod server {
    use super::*;
    use crate::auth::CurrentUser;
    use crate::db::scope::{self, Scope};
    use crate::domain::catalog::Viewer;

    /// The viewer's audience rights and the transaction scope that goes with them.
    pub fn viewer_scope(user: Option<&CurrentUser>) -> (Viewer, Scope<'_>) {
        match user {
            None => (Viewer::anonymous(), Scope::Tenant("")),
            Some(u) => (Viewer::of(&u.tenant_id, &u.roles), Scope::of(u)),
        }
    }

    pub async fn search(
        pool: &sqlx::PgPool,
        user: Option<&CurrentUser>,
        query: &CatalogQuery,
    ) -> Result<CatalogResults, AppError> {
        let (viewer, scope) = viewer_scope(user);
        let mut tx = scope::begin(pool, scope).await?;
        let results =
            crate::db::catalog::search(&mut tx, &viewer, query, PER_PAGE, (query.page - 1) * PER_PAGE)
                .await?;
        tx.commit().await?;
        Ok(results)
    }

    /// An MCP server by its platform-wide name.
    pub async fn mcp_server(
        pool: &sqlx::PgPool,
        user: Option<&CurrentUser>,
        slug: &str,
    ) -> Result<ItemDetail, AppError> {
        let (viewer, scope) = viewer_scope(user);
        let mut tx = scope::begin(pool, scope).await?;
        let tenant: Option<String> =
            sqlx::query_scalar("SELECT tenant_id FROM catalog_items WHERE kind = 'mcp' AND slug = $1")
                .bind(slug)
                .fetch_optional(&mut *tx)
                .await?;
        let Some(tenant) = tenant else { return Err(AppError::NotFound) };
        let found = crate::db::catalog::detail(&mut tx, &viewer, &tenant, Kind::Mcp, slug).await?;
        tx.commit().await?;
        found.map(|(_, d)| d).ok_or(AppError::NotFound)
    }

    /// One entry and, for APIs, the parsed document of `version` (default: the newest
    /// published one). `NotFound` when it does not exist or is not visible.
    pub async fn item(
        pool: &sqlx::PgPool,
        user: Option<&CurrentUser>,
        tenant: &str,
        kind: Kind,
        slug: &str,
        version: Option<&str>,
    ) -> Result<(ItemDetail, Option<(String, serde_json::Value)>), AppError> {
        let (viewer, scope) = viewer_scope(user);
        let mut tx = scope::begin(pool, scope).await?;
        let Some((id, detail)) = crate::db::catalog::detail(&mut tx, &viewer, tenant, kind, slug).await?
        else {
            return Err(AppError::NotFound);
        };
        let chosen = match version {
            Some(v) => {
                detail.versions.iter().find(|x| x.version == v).ok_or(AppError::NotFound)?.version.clone()
            }
            None => {
                match detail.versions.iter().find(|v| v.status == "published").or(detail.versions.first()) {
                    Some(v) => v.version.clone(),
                    None => return Ok((detail, None)),
                }
            }
        };
        let spec = crate::db::catalog::version_spec(&mut tx, id, &chosen).await?;
        tx.commit().await?;
        Ok((detail, spec.map(|s| (chosen, s))))
    }
}

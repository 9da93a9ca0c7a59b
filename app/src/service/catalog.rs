//! The catalog as pages and the REST API see it: search with facets, one entry's detail.

use crate::auth::CurrentUser;
use crate::db::scope::{self, Scope};
use crate::domain::catalog::Kind;
use crate::domain::catalog::Viewer;
use crate::error::AppError;
use crate::model::catalog::*;

/// The viewer's audience rights and the transaction scope that goes with them.
pub fn viewer_scope(user: Option<&CurrentUser>) -> (Viewer, Scope<'_>) {
    match user {
        None => (Viewer::anonymous(), Scope::Tenant("")),
        Some(u) => (Viewer::of(&u.tenant_id, &u.roles).subscribed_as(u.id), Scope::of(u)),
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
        crate::db::catalog::search(&mut tx, &viewer, query, PER_PAGE, (query.page - 1) * PER_PAGE).await?;
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
    let tenant = crate::db::catalog::tenant_of(&mut tx, Kind::Mcp, slug).await?;
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
    let Some((id, detail)) = crate::db::catalog::detail(&mut tx, &viewer, tenant, kind, slug).await? else {
        return Err(AppError::NotFound);
    };
    let chosen = match version {
        Some(v) => detail.versions.iter().find(|x| x.version == v).ok_or(AppError::NotFound)?.version.clone(),
        // The one callers get in production, else the newest published, else the newest.
        None => match (detail.versions.iter())
            .find(|v| v.status == "published" && v.deployments.iter().any(|d| d.environment == "prod"))
            .or_else(|| detail.versions.iter().find(|v| v.status == "published"))
            .or(detail.versions.first())
        {
            Some(v) => v.version.clone(),
            None => return Ok((detail, None)),
        },
    };
    let spec = crate::db::catalog::version_spec(&mut tx, id, &chosen).await?;
    tx.commit().await?;
    Ok((detail, spec.map(|s| (chosen, s))))
}

/// A version's document as uploaded: its format (`json` or `yaml`) and text, when the
/// viewer may see the API.
pub async fn document(
    pool: &sqlx::PgPool,
    user: Option<&CurrentUser>,
    tenant: &str,
    api: &str,
    version: &str,
) -> Result<(String, String), AppError> {
    let (viewer, scope) = viewer_scope(user);
    let mut tx = scope::begin(pool, scope).await?;
    let Some((id, _)) = crate::db::catalog::detail(&mut tx, &viewer, tenant, Kind::Api, api).await? else {
        return Err(AppError::NotFound);
    };
    let found = crate::db::catalog::version_raw(&mut tx, id, version).await?;
    tx.commit().await?;
    found.ok_or(AppError::NotFound)
}

/// Marks each deployment of an API in the gateway's environment with the URL it is
/// called at through STOA (`/gw/{tenant}/{api}`); an MCP server with the URL its
/// clients connect to (`/gw/mcp/{server}`).
pub fn mark_gateway(detail: &mut ItemDetail, config: &crate::config::Config) {
    if detail.kind == Kind::Mcp {
        detail.endpoint = Some(crate::domain::catalog::mcp_url(&config.gateway.public_url, &detail.slug));
        return;
    }
    let url =
        crate::domain::catalog::gateway_url(&config.gateway.public_url, &detail.tenant_id, &detail.slug);
    for d in detail.versions.iter_mut().flat_map(|v| v.deployments.iter_mut()) {
        if d.environment == config.gateway.environment && d.state == "deployed" && d.server_url.is_some() {
            d.gateway_url = Some(url.clone());
        }
    }
}

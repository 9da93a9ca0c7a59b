//! The catalog as pages and the REST API see it: search with facets, one entry's detail.

#[cfg(feature = "ssr")]
use crate::domain::catalog::Kind;
use crate::error::AppError;
use crate::model::catalog::*;
use leptos::prelude::*;

/// Searches the catalog as the current visitor (signed in or not).
#[server(endpoint = "search_catalog")]
pub async fn search_catalog(params: CatalogParams) -> Result<CatalogResults, AppError> {
    let state = crate::state::app_state()?;
    let user =
        crate::auth::guard(crate::auth::current_user().as_ref(), crate::domain::permission::Access::Public)?;
    crate::service::catalog::search(&state.pool, user.as_ref(), &params.parse()).await
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
    let (mut detail, document) = crate::service::catalog::item(
        &state.pool,
        user.as_ref(),
        &tenant,
        Kind::Api,
        &api,
        version.as_deref(),
    )
    .await
    .map_err(AppError::with_response_status)?;
    crate::service::catalog::mark_gateway(&mut detail, &state.config);
    Ok((detail, document))
}

/// One MCP server with its tools.
#[server(endpoint = "mcp_page")]
pub async fn mcp_page(server: String) -> Result<ItemDetail, AppError> {
    let state = crate::state::app_state()?;
    let user =
        crate::auth::guard(crate::auth::current_user().as_ref(), crate::domain::permission::Access::Public)?;
    let mut detail = crate::service::catalog::mcp_server(&state.pool, user.as_ref(), &server)
        .await
        .map_err(AppError::with_response_status)?;
    crate::service::catalog::mark_gateway(&mut detail, &state.config);
    Ok(detail)
}

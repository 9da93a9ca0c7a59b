//! REST: catalog.

use super::*;
use app::domain::catalog::Kind;
use app::model::catalog::{CatalogParams, CatalogQuery, CatalogResults};

/// This resource's routes, in the order the document lists them.
pub(super) fn routes() -> Vec<(RestRoute, MethodRouter<AppState>)> {
    vec![
        (
            RestRoute {
                method: "GET",
                path: "/v1/catalog/apis",
                access: Access::Public,
                summary: "Search the catalog's APIs (q, category, tag, audience, auth, sort, page)",
            },
            get(catalog_apis),
        ),
        (
            RestRoute {
                method: "POST",
                path: "/v1/catalog/apis",
                access: Access::Granted(Permission::PublishApis),
                summary: "Store an API version from an OpenAPI document (JSON or YAML, up to 10 MB) in the caller's tenant; `publish: true` publishes it",
            },
            post(publish_api).layer(axum::extract::DefaultBodyLimit::max(12 * 1024 * 1024)),
        ),
        (
            RestRoute {
                method: "GET",
                path: "/v1/catalog/apis/{tenant}/{api}",
                access: Access::Public,
                summary: "One API: description, versions, deployments",
            },
            get(catalog_api),
        ),
        (
            RestRoute {
                method: "GET",
                path: "/v1/catalog/apis/{tenant}/{api}/versions/{version}/document",
                access: Access::Public,
                summary: "A version's OpenAPI document as uploaded (JSON or YAML)",
            },
            get(catalog_document),
        ),
        (
            RestRoute {
                method: "GET",
                path: "/v1/mcp/servers",
                access: Access::Public,
                summary: "Search the catalog's MCP servers (q, category, tag, page)",
            },
            get(mcp_servers),
        ),
        (
            RestRoute {
                method: "POST",
                path: "/v1/mcp/servers",
                access: Access::Granted(Permission::PublishApis),
                summary: "Store and publish an MCP server of the caller's tenant with its tools (`tools`: MCP tools/list entries, input schemas checked as JSON Schema)",
            },
            post(publish_mcp).layer(axum::extract::DefaultBodyLimit::max(12 * 1024 * 1024)),
        ),
        (
            RestRoute {
                method: "GET",
                path: "/v0/servers",
                access: Access::Public,
                summary: "MCP servers in the shape of the MCP Registry API (v0)",
            },
            get(mcp_registry),
        ),
    ]
}

async fn search_kind(
    state: &AppState,
    caller: Caller,
    params: Result<Query<CatalogParams>, axum::extract::rejection::QueryRejection>,
    kind: Kind,
) -> Result<CatalogResults, AppError> {
    let Query(params) = params.map_err(|_| AppError::BadRequest)?;
    let query = CatalogQuery { kind: Some(kind), ..params.parse() };
    app::service::catalog::search(&state.pool, caller.as_ref().map(|c| &c.0), &query).await
}

async fn catalog_apis(
    State(state): State<AppState>,
    caller: Caller,
    params: Result<Query<CatalogParams>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<CatalogResults>, AppError> {
    Ok(Json(search_kind(&state, caller, params, Kind::Api).await?))
}

async fn mcp_servers(
    State(state): State<AppState>,
    caller: Caller,
    params: Result<Query<CatalogParams>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<CatalogResults>, AppError> {
    Ok(Json(search_kind(&state, caller, params, Kind::Mcp).await?))
}

async fn publish_api(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    JsonBody(req): JsonBody<app::model::publishing::PublishRequest>,
) -> Result<(StatusCode, Json<app::model::publishing::PublishOutcome>), AppError> {
    let outcome = app::service::publishing::publish(&state.pool, &user, &req).await?;
    let status = if outcome.created { StatusCode::CREATED } else { StatusCode::OK };
    Ok((status, Json(outcome)))
}

async fn publish_mcp(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    JsonBody(req): JsonBody<app::model::publishing::McpPublishRequest>,
) -> Result<(StatusCode, Json<app::model::publishing::PublishOutcome>), AppError> {
    let tools = if req.tools.is_null() { String::new() } else { req.tools.to_string() };
    let outcome = app::service::publishing::publish_mcp(&state.pool, &user, &req.meta, &tools).await?;
    let status = if outcome.created { StatusCode::CREATED } else { StatusCode::OK };
    Ok((status, Json(outcome)))
}

async fn catalog_api(
    State(state): State<AppState>,
    caller: Caller,
    Path((tenant, api)): Path<(String, String)>,
) -> Result<Json<app::model::catalog::ItemDetail>, AppError> {
    let (detail, _) = app::service::catalog::item(
        &state.pool,
        caller.as_ref().map(|c| &c.0),
        &tenant,
        Kind::Api,
        &api,
        None,
    )
    .await?;
    Ok(Json(detail))
}

async fn catalog_document(
    State(state): State<AppState>,
    caller: Caller,
    Path((tenant, api, version)): Path<(String, String, String)>,
) -> Result<Response, AppError> {
    let user = caller.as_ref().map(|c| &c.0);
    let (viewer, scope) = app::service::catalog::viewer_scope(user);
    let mut tx = scope::begin(&state.pool, scope).await?;
    let Some((id, _)) = app::db::catalog::detail(&mut tx, &viewer, &tenant, Kind::Api, &api).await? else {
        return Err(AppError::NotFound);
    };
    let (format, text) =
        app::db::catalog::version_raw(&mut tx, id, &version).await?.ok_or(AppError::NotFound)?;
    tx.commit().await?;
    let (content_type, ext) =
        if format == "yaml" { ("application/yaml", "yaml") } else { ("application/json", "json") };
    let disposition =
        format!("attachment; filename=\"{api}-{}.{ext}\"", version.replace(['"', '\\', '/'], "_"));
    Ok((
        [
            (axum::http::header::CONTENT_TYPE, content_type.to_owned()),
            (axum::http::header::CONTENT_DISPOSITION, disposition),
        ],
        text,
    )
        .into_response())
}

/// The MCP Registry API's `GET /v0/servers` shape: `{servers: [...], metadata: {count}}`.
async fn mcp_registry(State(state): State<AppState>, caller: Caller) -> Result<Json<Value>, AppError> {
    let query =
        CatalogQuery { kind: Some(Kind::Mcp), sort: app::domain::catalog::Sort::Name, ..Default::default() };
    let results = app::service::catalog::search(&state.pool, caller.as_ref().map(|c| &c.0), &query).await?;
    let base = state.config.public_url.trim_end_matches('/').to_owned();
    let servers: Vec<Value> = results
        .entries
        .iter()
        .map(|e| {
            json!({
                "name": format!("dev.gostoa/{}", e.slug),
                "description": app::markdown::to_plain_text(&e.excerpt, 280),
                "version": e.latest_version.clone().unwrap_or_else(|| "1.0.0".into()),
                "remotes": [{ "type": "streamable-http", "url": format!("{base}/mcp/{}", e.slug) }],
                "_meta": { "dev.gostoa/catalog": { "tenant": e.tenant_id, "category": e.category, "tags": e.tags, "updated_at": e.updated_at } },
            })
        })
        .collect();
    Ok(Json(json!({ "servers": servers, "metadata": { "count": servers.len() } })))
}

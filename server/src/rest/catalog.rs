//! REST: the catalog (APIs and MCP servers): search, details, documents, publishing,
//! and the MCP Registry view.

use super::*;
use app::domain::catalog::Kind;
use app::model::catalog::{CatalogParams, CatalogQuery, CatalogResults, ItemDetail};
use app::model::publishing::{McpPublishRequest, PublishOutcome, PublishRequest};

/// This resource's routes, in the order the document lists them.
pub(super) fn routes() -> Vec<(RestRoute, MethodRouter<AppState>)> {
    const PUBLISH: Access = Access::Granted(Permission::PublishApis);
    let upload_limit = || axum::extract::DefaultBodyLimit::max(12 * 1024 * 1024);
    vec![
        (
            RestRoute::get("/v1/catalog/apis", Access::Public, "searchApis")
                .summary("Search the catalog's APIs (q, category, tag, audience, auth, sort, page)")
                .query::<CatalogParams>()
                .ok::<CatalogResults>(),
            get(catalog_apis),
        ),
        (
            RestRoute::post("/v1/catalog/apis", PUBLISH, "publishApi")
                .summary("Store an API version from an OpenAPI document (JSON or YAML, up to 10 MB) in the caller's tenant; `publish: true` publishes it")
                .body::<PublishRequest>(|| {
                    json!({
                        "name": "Parcel tracking", "description": "Where a parcel is.", "category": "logistics",
                        "tags": ["parcels"], "audience": "Public", "auth_type": "ApiKey", "publish": true,
                        "environments": ["staging"],
                        "document": "openapi: 3.0.3\ninfo: {title: Parcel tracking, version: 1.0.0}\npaths:\n  /parcels/{id}:\n    get:\n      parameters: [{name: id, in: path, required: true, schema: {type: string}}]\n      responses: {'200': {description: The parcel}}\n",
                    })
                })
                .created::<PublishOutcome>()
                .also(&[200])
                .errors(&[409, 413]),
            post(publish_api).layer(upload_limit()),
        ),
        (
            RestRoute::get("/v1/catalog/apis/{tenant}/{api}", Access::Public, "getApi")
                .summary("One API: description, versions, deployments")
                .ok::<ItemDetail>(),
            get(catalog_api),
        ),
        (
            RestRoute::get("/v1/catalog/apis/{tenant}/{api}/versions/{version}/document", Access::Public, "getApiDocument")
                .summary("A version's OpenAPI document as uploaded (JSON or YAML)")
                .document(&["application/json", "application/yaml"]),
            get(catalog_document),
        ),
        (
            RestRoute::post("/v1/catalog/apis/{tenant}/{api}/versions/{version}/deprecate", PUBLISH, "deprecateApiVersion")
                .summary("Deprecate a published version of the caller's tenant's API: a sunset at least 7 days ahead (a date, or an RFC 3339 instant) and optionally a published successor; its gateway answers then carry Deprecation (RFC 9745), Sunset (RFC 8594) and Link rel=\"successor-version\". Deprecating again moves the sunset")
                .body::<Deprecation>(|| json!({ "sunset": "2027-03-31", "successor": "1.1.0" }))
                .ok::<app::model::publishing::VersionLifecycle>(),
            post(deprecate_version),
        ),
        (
            RestRoute::post("/v1/catalog/apis/{tenant}/{api}/versions/{version}/retire", PUBLISH, "retireApiVersion")
                .summary("Retire a published or deprecated version (confirm: true): the gateway answers 410 version_retired for it, its document stays downloadable; refused (422 naming them) while it is the API's last served version and applications hold active subscriptions")
                .body::<Retirement>(|| json!({ "confirm": true }))
                .ok::<app::model::publishing::VersionLifecycle>(),
            post(retire_version),
        ),
        (
            RestRoute::get("/v1/mcp/servers", Access::Public, "searchMcpServers")
                .summary("Search the catalog's MCP servers (q, category, tag, page)")
                .query::<CatalogParams>()
                .ok::<CatalogResults>(),
            get(mcp_servers),
        ),
        (
            RestRoute::post("/v1/mcp/servers", PUBLISH, "publishMcpServer")
                .summary("Store and publish an MCP server of the caller's tenant with its tools (`tools`: MCP tools/list entries, input schemas checked as JSON Schema)")
                .body::<McpPublishRequest>(|| {
                    json!({
                        "name": "Parcel tools", "description": "Track parcels from an agent.", "tags": ["parcels"],
                        "remote_url": "https://parcels.example.com/mcp",
                        "tools": [{ "name": "track_parcel", "description": "Where a parcel is",
                                    "inputSchema": { "type": "object", "properties": { "id": { "type": "string" } }, "required": ["id"] } }],
                    })
                })
                .created::<PublishOutcome>()
                .also(&[200])
                .errors(&[409, 413]),
            post(publish_mcp).layer(upload_limit()),
        ),
        (
            RestRoute::get("/v0/servers", Access::Public, "mcpRegistryServers")
                .summary("MCP servers in the shape of the MCP Registry API (v0)")
                .ok::<RegistryServers>(),
            get(mcp_registry),
        ),
    ]
}

async fn search_kind(
    state: &AppState,
    caller: Caller,
    params: CatalogParams,
    kind: Kind,
) -> Result<CatalogResults, AppError> {
    let query = CatalogQuery { kind: Some(kind), ..params.parse() };
    app::service::catalog::search(&state.pool, caller.as_ref().map(|c| &c.0), &query).await
}

async fn catalog_apis(
    State(state): State<AppState>,
    caller: Caller,
    QueryParams(params): QueryParams<CatalogParams>,
) -> Result<Json<CatalogResults>, AppError> {
    Ok(Json(search_kind(&state, caller, params, Kind::Api).await?))
}

async fn mcp_servers(
    State(state): State<AppState>,
    caller: Caller,
    QueryParams(params): QueryParams<CatalogParams>,
) -> Result<Json<CatalogResults>, AppError> {
    Ok(Json(search_kind(&state, caller, params, Kind::Mcp).await?))
}

async fn publish_api(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    JsonBody(req): JsonBody<PublishRequest>,
) -> Result<(StatusCode, Json<PublishOutcome>), AppError> {
    let outcome = app::service::publishing::publish(&state.pool, &user, &req).await?;
    let status = if outcome.created { StatusCode::CREATED } else { StatusCode::OK };
    Ok((status, Json(outcome)))
}

async fn publish_mcp(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    JsonBody(req): JsonBody<McpPublishRequest>,
) -> Result<(StatusCode, Json<PublishOutcome>), AppError> {
    let tools = if req.tools.is_null() { String::new() } else { req.tools.to_string() };
    let outcome = app::service::publishing::publish_mcp(
        &state.pool,
        &user,
        &req.meta,
        &tools,
        req.remote_url.as_deref(),
    )
    .await?;
    let status = if outcome.created { StatusCode::CREATED } else { StatusCode::OK };
    Ok((status, Json(outcome)))
}

async fn catalog_api(
    State(state): State<AppState>,
    caller: Caller,
    params: Params,
) -> Result<Json<ItemDetail>, AppError> {
    let (tenant, api) = (params.text("tenant")?, params.text("api")?);
    let user = caller.as_ref().map(|c| &c.0);
    let (mut detail, _) =
        app::service::catalog::item(&state.pool, user, tenant, Kind::Api, api, None).await?;
    app::service::catalog::mark_gateway(&mut detail, &state.config);
    Ok(Json(detail))
}

async fn catalog_document(
    State(state): State<AppState>,
    caller: Caller,
    params: Params,
) -> Result<Response, AppError> {
    let (tenant, api, version) = (params.text("tenant")?, params.text("api")?, params.text("version")?);
    let user = caller.as_ref().map(|c| &c.0);
    let (format, text) = app::service::catalog::document(&state.pool, user, tenant, api, version).await?;
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

/// The MCP Registry API's `GET /v0/servers` answer.
#[derive(Serialize, JsonSchema)]
struct RegistryServers {
    servers: Vec<RegistryServer>,
    metadata: RegistryMetadata,
}

/// One server, as the MCP Registry describes it.
#[derive(Serialize, JsonSchema)]
struct RegistryServer {
    /// `dev.gostoa/<slug>`.
    name: String,
    description: String,
    version: String,
    remotes: Vec<Remote>,
    #[serde(rename = "_meta")]
    meta: RegistryMeta,
}

/// Where a server answers.
#[derive(Serialize, JsonSchema)]
struct Remote {
    /// `streamable-http`.
    #[serde(rename = "type")]
    transport: &'static str,
    url: String,
}

/// Our own part of a server's metadata.
#[derive(Serialize, JsonSchema)]
struct RegistryMeta {
    #[serde(rename = "dev.gostoa/catalog")]
    catalog: CatalogMeta,
}

/// Where the server sits in our catalog.
#[derive(Serialize, JsonSchema)]
struct CatalogMeta {
    tenant: String,
    category: String,
    tags: Vec<String>,
    updated_at: String,
}

/// How many servers there are.
#[derive(Serialize, JsonSchema)]
struct RegistryMetadata {
    count: usize,
}

/// The MCP Registry API's `GET /v0/servers` shape: `{servers: [...], metadata: {count}}`.
async fn mcp_registry(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<RegistryServers>, AppError> {
    let query =
        CatalogQuery { kind: Some(Kind::Mcp), sort: app::domain::catalog::Sort::Name, ..Default::default() };
    let results = app::service::catalog::search(&state.pool, caller.as_ref().map(|c| &c.0), &query).await?;
    let servers: Vec<RegistryServer> = results
        .entries
        .into_iter()
        .map(|e| RegistryServer {
            name: format!("dev.gostoa/{}", e.slug),
            description: app::markdown::to_plain_text(&e.excerpt, 280),
            version: e.latest_version.clone().unwrap_or_else(|| "1.0.0".into()),
            // The gateway's MCP endpoint: what an MCP client can talk to.
            remotes: vec![Remote {
                transport: "streamable-http",
                url: app::domain::catalog::mcp_url(&state.config.gateway.public_url, &e.slug),
            }],
            meta: RegistryMeta {
                catalog: CatalogMeta {
                    tenant: e.tenant_id,
                    category: e.category,
                    tags: e.tags,
                    updated_at: e.updated_at,
                },
            },
        })
        .collect();
    let metadata = RegistryMetadata { count: servers.len() };
    Ok(Json(RegistryServers { servers, metadata }))
}

/// A deprecation.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct Deprecation {
    /// When the version is retired: `YYYY-MM-DD` (the end of that day, UTC) or an RFC 3339
    /// instant, at least 7 days ahead.
    #[schemars(length(min = 10, max = 40))]
    sunset: String,
    /// A published version of the same API callers should move to.
    #[serde(default)]
    #[schemars(length(min = 1, max = 50))]
    successor: Option<String>,
}

async fn deprecate_version(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    params: Params,
    JsonBody(body): JsonBody<Deprecation>,
) -> Result<Json<app::model::publishing::VersionLifecycle>, AppError> {
    let (tenant, api, version) = (params.text("tenant")?, params.text("api")?, params.text("version")?);
    let done = app::service::lifecycle::deprecate(
        &state.pool,
        &user,
        tenant,
        api,
        version,
        &body.sunset,
        body.successor.as_deref(),
    )
    .await?;
    Ok(Json(done))
}

/// A retirement's confirmation.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct Retirement {
    /// Must be true: callers get 410 from then on.
    #[schemars(extend("const" = true))]
    confirm: bool,
}

async fn retire_version(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    params: Params,
    JsonBody(body): JsonBody<Retirement>,
) -> Result<Json<app::model::publishing::VersionLifecycle>, AppError> {
    let (tenant, api, version) = (params.text("tenant")?, params.text("api")?, params.text("version")?);
    Ok(Json(app::service::lifecycle::retire(&state.pool, &user, tenant, api, version, body.confirm).await?))
}

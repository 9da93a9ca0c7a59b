//! The versioned JSON API (`/v1`, DESIGN §6). Callers authenticate with the session
//! cookie or `Authorization: Bearer <access token>` from the identity provider.
//!
//! Every route is declared once in [`routes`] with the access it needs; the router applies
//! the one guard (`app::auth::guard`) from that declaration, the OpenAPI document lists
//! the same table, and the permission-matrix test enumerates it — a route cannot be
//! mounted without saying who may call it.

use app::api::audit::AuditQuery;
use app::api::catalog::{CatalogParams, CatalogQuery, CatalogResults};
use app::auth::CurrentUser;
use app::db::scope::{self, Scope};
use app::domain::catalog::Kind;
use app::domain::permission::{Access, Permission};
use app::error::AppError;
use app::state::AppState;
use axum::extract::{Path, Query, Request, State};
use axum::http::header::{AUTHORIZATION, WWW_AUTHENTICATE};
use axum::http::{HeaderValue, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, MethodRouter};
use axum::{Extension, Json, Router};
use serde_json::{json, Value};

/// One REST route: what it is and who may call it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RestRoute {
    pub method: &'static str,
    pub path: &'static str,
    pub access: Access,
    pub summary: &'static str,
}

/// Every REST route with its handler.
pub fn routes() -> Vec<(RestRoute, MethodRouter<AppState>)> {
    vec![
        (
            RestRoute {
                method: "GET",
                path: "/v1/openapi.json",
                access: Access::Public,
                summary: "This document",
            },
            get(openapi),
        ),
        (
            RestRoute {
                method: "GET",
                path: "/v1/me",
                access: Access::SignedIn,
                summary: "The caller: username, name, tenant and roles",
            },
            get(me),
        ),
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
        (
            RestRoute {
                method: "GET",
                path: "/v1/applications",
                access: Access::Granted(Permission::ManageOwnApplications),
                summary: "The caller's applications",
            },
            get(applications),
        ),
        (
            RestRoute {
                method: "POST",
                path: "/v1/applications",
                access: Access::Granted(Permission::ManageOwnApplications),
                summary: "Create an application: name, description, security_profile (api_key | oauth2_confidential), redirect_uris",
            },
            post(create_application),
        ),
        (
            RestRoute {
                method: "GET",
                path: "/v1/applications/{id}",
                access: Access::Granted(Permission::ManageOwnApplications),
                summary: "One of the caller's applications with its credentials (never their secrets)",
            },
            get(application),
        ),
        (
            RestRoute {
                method: "DELETE",
                path: "/v1/applications/{id}",
                access: Access::Granted(Permission::ManageOwnApplications),
                summary: "Delete an application: its credentials stop working, its subscriptions are revoked",
            },
            axum::routing::delete(delete_application),
        ),
        (
            RestRoute {
                method: "POST",
                path: "/v1/applications/{id}/keys",
                access: Access::Granted(Permission::ManageOwnApplications),
                summary: "Issue an API key (or client secret) — the response is the only time it is shown; optional expires_in_days",
            },
            post(issue_key),
        ),
        (
            RestRoute {
                method: "POST",
                path: "/v1/applications/{id}/keys/{key}/rotate",
                access: Access::Granted(Permission::ManageOwnApplications),
                summary: "Rotate a key: a new one now (shown once), the old one valid for grace_period_hours (1-168, default 24)",
            },
            post(rotate_key),
        ),
        (
            RestRoute {
                method: "DELETE",
                path: "/v1/applications/{id}/keys/{key}",
                access: Access::Granted(Permission::ManageOwnApplications),
                summary: "Revoke a key at once",
            },
            axum::routing::delete(revoke_key),
        ),
        (
            RestRoute {
                method: "POST",
                path: "/v1/keys/verify",
                access: Access::Public,
                summary: "For gateways: is this API key valid, for which application, with which active subscriptions and plan limits, and is it the previous key of a rotation",
            },
            post(verify_key),
        ),
        (
            RestRoute {
                method: "GET",
                path: "/v1/subscriptions",
                access: Access::Granted(Permission::Subscribe),
                summary: "The caller's subscriptions (kind: api | mcp)",
            },
            get(subscriptions),
        ),
        (
            RestRoute {
                method: "POST",
                path: "/v1/subscriptions",
                access: Access::Granted(Permission::Subscribe),
                summary: "Subscribe an application: application_id, kind (api | mcp), tenant (APIs), entry, plan, tools (MCP), ttl_days; active at once or pending approval",
            },
            post(create_subscription),
        ),
        (
            RestRoute {
                method: "DELETE",
                path: "/v1/subscriptions/{id}",
                access: Access::Granted(Permission::Subscribe),
                summary: "Cancel one of the caller's subscriptions",
            },
            axum::routing::delete(cancel_subscription),
        ),
        (
            RestRoute {
                method: "GET",
                path: "/v1/subscriptions/queue",
                access: Access::Granted(Permission::DecideSubscriptions),
                summary: "Subscriptions to the caller's tenant's APIs and MCP servers (state, default pending)",
            },
            get(subscription_queue),
        ),
        (
            RestRoute {
                method: "POST",
                path: "/v1/subscriptions/{id}/decision",
                access: Access::Granted(Permission::DecideSubscriptions),
                summary: "Decide on a subscription of the caller's tenant: action (approve | reject | suspend | reactivate | revoke), reason (rejections: 10 characters or more)",
            },
            post(decide_subscription),
        ),
        (
            RestRoute {
                method: "GET",
                path: "/v1/mcp/subscriptions",
                access: Access::Granted(Permission::Subscribe),
                summary: "The caller's MCP subscriptions with the access of each requested tool (enabled | pending | disabled)",
            },
            get(mcp_subscriptions),
        ),
        (
            RestRoute {
                method: "POST",
                path: "/v1/mcp/subscriptions",
                access: Access::Granted(Permission::Subscribe),
                summary: "Subscribe to an MCP server: server_id (name or id), plan, requested_tools, optional application_id; the response carries an API key, shown this once",
            },
            post(create_mcp_subscription),
        ),
        (
            RestRoute {
                method: "DELETE",
                path: "/v1/mcp/subscriptions/{id}",
                access: Access::Granted(Permission::Subscribe),
                summary: "Cancel an MCP subscription",
            },
            axum::routing::delete(cancel_mcp_subscription),
        ),
        (
            RestRoute {
                method: "POST",
                path: "/v1/mcp/subscriptions/{id}/rotate-key",
                access: Access::Granted(Permission::Subscribe),
                summary: "A new API key for an MCP subscription (shown once); the previous one works for grace_period_hours (1-168, default 24)",
            },
            post(rotate_mcp_key),
        ),
        (
            RestRoute {
                method: "GET",
                path: "/v1/requests/prod",
                access: Access::Granted(Permission::RequestPromotion),
                summary: "Production promotion requests of the caller's tenant (filters: state, q = id or API name, mine, requester = username, environment = staging | prod, tenant for cpi-admins; sort = newest | oldest; page, per_page)",
            },
            get(promotion_requests),
        ),
        (
            RestRoute {
                method: "POST",
                path: "/v1/requests/prod",
                access: Access::Granted(Permission::RequestPromotion),
                summary: "Ask to promote an API version deployed in staging to prod: target_type, target_name, target_version, justification (20+ characters), impact, release_notes, rollback_plan, scheduled_at, pre-checks, evidence_url",
            },
            post(create_promotion_request),
        ),
        (
            RestRoute {
                method: "GET",
                path: "/v1/requests/prod/stats",
                access: Access::Granted(Permission::RequestPromotion),
                summary: "Counters: pending, approved today, rejected today, deployed this week",
            },
            get(promotion_stats),
        ),
        (
            RestRoute {
                method: "GET",
                path: "/v1/requests/prod/{id}",
                access: Access::Granted(Permission::RequestPromotion),
                summary: "One promotion request with its history",
            },
            get(promotion_request),
        ),
        (
            RestRoute {
                method: "POST",
                path: "/v1/requests/prod/{id}/approve",
                access: Access::Granted(Permission::DecidePromotions),
                summary: "Approve a pending request (never one's own)",
            },
            post(approve_promotion_request),
        ),
        (
            RestRoute {
                method: "POST",
                path: "/v1/requests/prod/{id}/reject",
                access: Access::Granted(Permission::DecidePromotions),
                summary: "Reject a pending request with a reason (10+ characters; never one's own)",
            },
            post(reject_promotion_request),
        ),
        (
            RestRoute {
                method: "POST",
                path: "/v1/requests/prod/{id}/cancel",
                access: Access::Granted(Permission::RequestPromotion),
                summary: "The requester cancels a pending request",
            },
            post(cancel_promotion_request),
        ),
        (
            RestRoute {
                method: "POST",
                path: "/v1/requests/prod/{id}/comments",
                access: Access::Granted(Permission::RequestPromotion),
                summary: "Comment on a request (1-5000 characters); the requester and the thread are notified",
            },
            post(comment_promotion_request),
        ),
        (
            RestRoute {
                method: "GET",
                path: "/v1/audit",
                access: Access::Granted(Permission::ReadAudit),
                summary:
                    "The audit trail, newest first (filters: actor, action, from, to, tenant, page, per_page)",
            },
            get(audit),
        ),
    ]
}

/// The declarations alone, for the OpenAPI document and the tests.
pub fn declared() -> Vec<RestRoute> {
    routes().into_iter().map(|(r, _)| r).collect()
}

/// The `/v1` router: bearer authentication, then the guard of each route.
pub fn router(state: &AppState) -> Router<AppState> {
    build(state, |path| !SESSIONLESS.contains(&path))
}

/// Routes machines call without a cookie (gateways verifying keys on every call): mounted
/// outside the session layers, like the operations endpoints.
pub const SESSIONLESS: &[&str] = &["/v1/keys/verify"];

/// The [`SESSIONLESS`] routes, guarded like every other.
pub fn sessionless_router(state: &AppState) -> Router<AppState> {
    build(state, |path| SESSIONLESS.contains(&path))
}

fn build(state: &AppState, wanted: impl Fn(&str) -> bool) -> Router<AppState> {
    let mut router = Router::new();
    for (route, handler) in routes().into_iter().filter(|(r, _)| wanted(r.path)) {
        let access = route.access;
        let guarded = handler.route_layer(axum::middleware::from_fn(move |req: Request, next: Next| {
            enforce(access, req, next)
        }));
        router = router.route(route.path, guarded);
    }
    router.layer(axum::middleware::from_fn_with_state(state.clone(), authenticate))
}

async fn enforce(access: Access, mut req: Request, next: Next) -> Response {
    let user = req.extensions().get::<CurrentUser>().cloned();
    match app::auth::guard(user.as_ref(), access) {
        Ok(Some(user)) => {
            req.extensions_mut().insert(user);
            next.run(req).await
        }
        Ok(None) => next.run(req).await,
        Err(AppError::Unauthorized) => {
            let mut res = AppError::Unauthorized.into_response();
            res.headers_mut().insert(WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
            res
        }
        Err(e) => e.into_response(),
    }
}

/// A bearer token, when present, decides who the caller is (it replaces any session
/// user); an invalid one is refused outright rather than treated as anonymous.
async fn authenticate(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let Some(header) = req.headers().get(AUTHORIZATION) else {
        return next.run(req).await;
    };
    let token =
        header.to_str().ok().and_then(|h| h.strip_prefix("Bearer ")).map(str::trim).map(str::to_owned);
    let refused = |why: &str| {
        tracing::info!(reason = why, "bearer token refused");
        let mut res = AppError::Unauthorized.into_response();
        res.headers_mut()
            .insert(WWW_AUTHENTICATE, HeaderValue::from_static("Bearer error=\"invalid_token\""));
        res
    };
    let Some(token) = token.filter(|t| !t.is_empty()) else {
        return refused("not a bearer token");
    };
    let claims = match state.identity.verify_bearer(&token).await {
        Ok(claims) => claims,
        Err(e) => return refused(&e.to_string()),
    };
    let user = async {
        let mut tx = scope::begin(&state.pool, Scope::Platform).await?;
        let user = app::db::users::upsert_from_provider(&mut tx, &claims).await?;
        tx.commit().await?;
        Ok::<_, app::db::users::UpsertError>(user)
    }
    .await;
    match user {
        Ok(user) => {
            req.extensions_mut().remove::<CurrentUser>();
            req.extensions_mut().insert(user);
            next.run(req).await
        }
        Err(app::db::users::UpsertError::Database(e)) => AppError::from(e).into_response(),
        Err(e) => refused(&e.to_string()),
    }
}

async fn me(Extension(user): Extension<CurrentUser>) -> Json<Value> {
    let roles: Vec<&str> = user.roles.iter().map(|r| r.as_str()).collect();
    Json(json!({
        "username": user.username,
        "display_name": user.display_name,
        "tenant_id": user.tenant_id,
        "roles": roles,
    }))
}

async fn audit(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    query: Result<Query<AuditQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<app::api::audit::AuditPage>, AppError> {
    let Query(query) = query.map_err(|_| AppError::BadRequest)?;
    Ok(Json(app::api::audit::load(&state.pool, &user, &query).await?))
}

type Caller = Option<Extension<CurrentUser>>;

async fn search_kind(
    state: &AppState,
    caller: Caller,
    params: Result<Query<CatalogParams>, axum::extract::rejection::QueryRejection>,
    kind: Kind,
) -> Result<CatalogResults, AppError> {
    let Query(params) = params.map_err(|_| AppError::BadRequest)?;
    let query = CatalogQuery { kind: Some(kind), ..params.parse() };
    app::api::catalog::search(&state.pool, caller.as_ref().map(|c| &c.0), &query).await
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
    body: Result<Json<app::api::publishing::PublishRequest>, axum::extract::rejection::JsonRejection>,
) -> Result<(axum::http::StatusCode, Json<app::api::publishing::PublishOutcome>), AppError> {
    let Json(req) = body.map_err(|_| AppError::BadRequest)?;
    let outcome = app::api::publishing::publish(&state.pool, &user, &req).await?;
    let status = if outcome.created { axum::http::StatusCode::CREATED } else { axum::http::StatusCode::OK };
    Ok((status, Json(outcome)))
}

async fn publish_mcp(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    body: Result<Json<app::api::publishing::McpPublishRequest>, axum::extract::rejection::JsonRejection>,
) -> Result<(axum::http::StatusCode, Json<app::api::publishing::PublishOutcome>), AppError> {
    let Json(req) = body.map_err(|_| AppError::BadRequest)?;
    let tools = if req.tools.is_null() { String::new() } else { req.tools.to_string() };
    let outcome = app::api::publishing::publish_mcp(&state.pool, &user, &req.meta, &tools).await?;
    let status = if outcome.created { axum::http::StatusCode::CREATED } else { axum::http::StatusCode::OK };
    Ok((status, Json(outcome)))
}

type JsonBody<T> = Result<Json<T>, axum::extract::rejection::JsonRejection>;

fn app_id(id: &str) -> Result<uuid::Uuid, AppError> {
    uuid::Uuid::parse_str(id).map_err(|_| AppError::NotFound)
}

async fn applications(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
) -> Result<Json<Vec<app::api::applications::AppSummary>>, AppError> {
    Ok(Json(app::api::applications::list(&state.pool, &user).await?))
}

/// The REST shape of an application: redirect URIs as a list.
#[derive(serde::Deserialize)]
struct NewApplication {
    #[serde(default)]
    name: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    security_profile: String,
    #[serde(default)]
    redirect_uris: Vec<String>,
}

async fn create_application(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    body: JsonBody<NewApplication>,
) -> Result<(axum::http::StatusCode, Json<app::api::applications::AppDetail>), AppError> {
    let Json(body) = body.map_err(|_| AppError::BadRequest)?;
    let form = app::api::applications::AppForm {
        name: body.name,
        description: body.description,
        security_profile: body.security_profile,
        redirect_uris: body.redirect_uris.join("\n"),
    };
    let id = app::api::applications::save(&state.pool, &user, None, &form).await?;
    let detail = app::api::applications::get(&state.pool, &user, id).await?;
    Ok((axum::http::StatusCode::CREATED, Json(detail)))
}

async fn application(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Path(id): Path<String>,
) -> Result<Json<app::api::applications::AppDetail>, AppError> {
    Ok(Json(app::api::applications::get(&state.pool, &user, app_id(&id)?).await?))
}

async fn delete_application(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Path(id): Path<String>,
) -> Result<axum::http::StatusCode, AppError> {
    app::api::applications::delete(&state.pool, &user, app_id(&id)?).await?;
    Ok(axum::http::StatusCode::NO_CONTENT)
}

#[derive(serde::Deserialize, Default)]
struct NewKey {
    #[serde(default)]
    expires_in_days: Option<i64>,
}

async fn issue_key(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Path(id): Path<String>,
    body: Option<Json<NewKey>>,
) -> Result<(axum::http::StatusCode, Json<app::api::applications::IssuedSecret>), AppError> {
    let days = body.and_then(|b| b.0.expires_in_days);
    if days.is_some_and(|d| !(1..=3650).contains(&d)) {
        return Err(AppError::field("expires_in_days", "out-of-range"));
    }
    let issued = app::api::applications::issue(&state.pool, &user, app_id(&id)?, days).await?;
    Ok((axum::http::StatusCode::CREATED, Json(issued)))
}

#[derive(serde::Deserialize, Default)]
struct Rotation {
    #[serde(default)]
    grace_period_hours: Option<i64>,
}

async fn rotate_key(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Path((id, key)): Path<(String, String)>,
    body: Option<Json<Rotation>>,
) -> Result<(axum::http::StatusCode, Json<app::api::applications::IssuedSecret>), AppError> {
    let hours =
        body.and_then(|b| b.0.grace_period_hours).unwrap_or(app::domain::credential::DEFAULT_GRACE_HOURS);
    if !app::domain::credential::GRACE_HOURS.contains(&hours) {
        return Err(AppError::field("grace_period_hours", "out-of-range"));
    }
    let issued = app::api::applications::rotate(&state.pool, &user, app_id(&key)?, hours).await?;
    if issued.application_id != app_id(&id)? {
        return Err(AppError::NotFound);
    }
    Ok((axum::http::StatusCode::CREATED, Json(issued)))
}

async fn revoke_key(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Path((id, key)): Path<(String, String)>,
) -> Result<axum::http::StatusCode, AppError> {
    let (app, key) = (app_id(&id)?, app_id(&key)?);
    let detail = app::api::applications::get(&state.pool, &user, app).await?;
    if !detail.credentials.iter().any(|c| c.id == key) {
        return Err(AppError::NotFound);
    }
    app::api::applications::revoke(&state.pool, &user, key).await?;
    Ok(axum::http::StatusCode::NO_CONTENT)
}

#[derive(serde::Deserialize)]
struct Presented {
    key: String,
}

async fn verify_key(State(state): State<AppState>, body: JsonBody<Presented>) -> Result<Response, AppError> {
    let Json(body) = body.map_err(|_| AppError::BadRequest)?;
    let answer = app::api::applications::verify(&state.pool, &body.key).await?;
    Ok(([(axum::http::header::CONTENT_TYPE, "application/json")], answer.json.clone()).into_response())
}

async fn catalog_api(
    State(state): State<AppState>,
    caller: Caller,
    Path((tenant, api)): Path<(String, String)>,
) -> Result<Json<app::api::catalog::ItemDetail>, AppError> {
    let (detail, _) =
        app::api::catalog::item(&state.pool, caller.as_ref().map(|c| &c.0), &tenant, Kind::Api, &api, None)
            .await?;
    Ok(Json(detail))
}

async fn catalog_document(
    State(state): State<AppState>,
    caller: Caller,
    Path((tenant, api, version)): Path<(String, String, String)>,
) -> Result<Response, AppError> {
    let user = caller.as_ref().map(|c| &c.0);
    let (viewer, scope) = app::api::catalog::viewer_scope(user);
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
    let results = app::api::catalog::search(&state.pool, caller.as_ref().map(|c| &c.0), &query).await?;
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

async fn openapi() -> Json<Value> {
    Json(openapi_document())
}

/// Slug of this API's own entry in the demo tenant's catalog.
pub const OWN_API_SLUG: &str = "stoa-portal-api";

/// Publishes this API's OpenAPI document in the catalog (the demo tenant's
/// `stoa-portal-api`, deployed in prod at `public_url`), so that our own catalog page
/// renders it. The version carries the document's fingerprint: a changed route table is
/// a new version, an unchanged one is left as it is.
pub async fn publish_own_document(pool: &sqlx::PgPool, public_url: &str) -> Result<(), sqlx::Error> {
    use app::domain::catalog::{Audience, AuthType};
    let mut doc = openapi_document();
    let fingerprint: String =
        app::secrets::digest(&doc.to_string())[..4].iter().map(|b| format!("{b:02x}")).collect();
    doc["info"]["version"] = json!(format!("1.0.0-{fingerprint}"));
    doc["info"]["description"] = json!("The portal's and console's REST API (`/v1`).");
    doc["servers"] = json!([{ "url": public_url.trim_end_matches('/'), "description": "Production" }]);
    let raw = serde_json::to_string_pretty(&doc).map_err(|e| sqlx::Error::Protocol(e.to_string()))?;
    let tags = vec!["stoa".to_owned(), "rest".to_owned(), "itsm".to_owned()];
    let item = app::db::catalog::NewItem {
        tenant_id: app::db::seed::DEMO_TENANT,
        kind: Kind::Api,
        slug: OWN_API_SLUG,
        name: "STOA Portal API",
        description: "Everything the portal and the console do, for automation: the catalog, applications and keys, subscriptions, production promotion requests. Bearer tokens from the identity provider or the session cookie.",
        category: "platform",
        tags: &tags,
        audience: Audience::Public,
        auth_type: AuthType::OAuth2,
        requires_approval: false,
        owner_id: None,
    };
    let mut tx = scope::begin(pool, Scope::Platform).await?;
    app::db::demo_catalog::import(&mut tx, &item, &raw, &["prod"]).await?;
    tx.commit().await
}

/// The OpenAPI 3.1 document of every declared route.
pub fn openapi_document() -> Value {
    let mut paths = serde_json::Map::new();
    for r in declared() {
        let security = match r.access {
            Access::Public => json!([]),
            _ => json!([{ "bearer": [] }, { "session": [] }]),
        };
        let mut responses = json!({ "200": { "description": "OK" } });
        if r.access != Access::Public {
            responses["401"] = json!({ "$ref": "#/components/responses/Error" });
        }
        if let Access::Granted(p) = r.access {
            responses["403"] = json!({ "$ref": "#/components/responses/Error" });
            responses["200"]["x-stoa-permission"] = json!(format!("{p:?}"));
        }
        let entry = paths.entry(r.path).or_insert_with(|| json!({}));
        entry[r.method.to_ascii_lowercase()] =
            json!({ "summary": r.summary, "security": security, "responses": responses });
    }
    json!({
        "openapi": "3.1.0",
        "info": { "title": "STOA Portal & Console API", "version": "1" },
        "paths": paths,
        "components": {
            "securitySchemes": {
                "bearer": { "type": "http", "scheme": "bearer", "bearerFormat": "JWT" },
                "session": { "type": "apiKey", "in": "cookie", "name": crate::session::COOKIE },
            },
            "responses": {
                "Error": {
                    "description": "An error: `{code, message, fields?}`",
                    "content": { "application/json": { "schema": {
                        "type": "object",
                        "required": ["code", "message"],
                        "properties": {
                            "code": { "type": "string" },
                            "message": { "type": "string" },
                            "fields": { "type": "array", "items": { "type": "object" } },
                        },
                    } } },
                },
            },
        },
    })
}

/// Unused methods on declared paths answer 405 through axum; anything else under `/v1`
/// is a JSON 404 rather than the HTML page.
pub async fn not_found(method: Method) -> Response {
    tracing::debug!(%method, "unknown REST route");
    AppError::NotFound.into_response()
}

#[derive(serde::Deserialize)]
struct KindFilter {
    kind: Option<String>,
}

async fn subscriptions(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Query(filter): Query<KindFilter>,
) -> Result<Json<Value>, AppError> {
    let kind = filter.kind.as_deref().filter(|k| matches!(*k, "api" | "mcp"));
    let items = app::api::subscriptions::mine(&state.pool, &user, kind).await?;
    Ok(Json(json!({ "items": as_json(&items) })))
}

fn as_json(items: &[app::api::subscriptions::SubscriptionInfo]) -> Vec<Value> {
    items.iter().map(|s| s.to_json()).collect()
}

#[derive(serde::Deserialize)]
struct NewSubscription {
    application_id: uuid::Uuid,
    #[serde(default)]
    kind: Option<String>,
    #[serde(default)]
    tenant: Option<String>,
    entry: String,
    #[serde(default)]
    plan: Option<String>,
    #[serde(default)]
    tools: Vec<String>,
    #[serde(default)]
    ttl_days: Option<i64>,
}

async fn create_subscription(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    body: JsonBody<NewSubscription>,
) -> Result<(axum::http::StatusCode, Json<Value>), AppError> {
    let Json(body) = body.map_err(|_| AppError::BadRequest)?;
    let kind = match body.kind.as_deref() {
        None | Some("api") => Kind::Api,
        Some("mcp") => Kind::Mcp,
        Some(_) => return Err(AppError::field("kind", "unknown-kind")),
    };
    if kind == Kind::Api && body.tenant.is_none() {
        return Err(AppError::field("tenant", "required"));
    }
    let req = app::api::subscriptions::SubscribeRequest {
        kind,
        tenant: if kind == Kind::Api { body.tenant.as_deref() } else { None },
        slug: &body.entry,
        application: body.application_id,
        plan: body.plan.as_deref(),
        tools: &body.tools,
        ttl_days: body.ttl_days,
    };
    let done = app::api::subscriptions::subscribe(&state.pool, &user, &req).await?;
    let info = app::api::subscriptions::one(&state.pool, &user, done.id).await?;
    Ok((axum::http::StatusCode::CREATED, Json(info.to_json())))
}

async fn cancel_subscription(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Path(id): Path<String>,
) -> Result<axum::http::StatusCode, AppError> {
    app::api::subscriptions::cancel(&state.pool, &user, app_id(&id)?).await?;
    Ok(axum::http::StatusCode::NO_CONTENT)
}

#[derive(serde::Deserialize)]
struct StateFilter {
    state: Option<String>,
}

async fn subscription_queue(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Query(filter): Query<StateFilter>,
) -> Result<Json<Value>, AppError> {
    let wanted = filter.state.unwrap_or_else(|| "pending".into());
    if !app::api::subscriptions::QUEUE_STATES.contains(&wanted.as_str()) {
        return Err(AppError::field("state", "unknown-state"));
    }
    let page = app::api::subscriptions::queue(&state.pool, &user, &wanted).await?;
    Ok(Json(json!({
        "state": page.state,
        "pending": page.pending,
        "items": as_json(&page.items),
    })))
}

#[derive(serde::Deserialize)]
struct Decision {
    action: String,
    #[serde(default)]
    reason: Option<String>,
}

async fn decide_subscription(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Path(id): Path<String>,
    body: JsonBody<Decision>,
) -> Result<Json<Value>, AppError> {
    let Json(body) = body.map_err(|_| AppError::BadRequest)?;
    let id = app_id(&id)?;
    let action = app::domain::subscription::Action::parse(&body.action)
        .filter(|a| a.actor() == app::domain::subscription::Actor::Approver)
        .ok_or_else(|| AppError::field("action", "unknown-action"))?;
    app::api::subscriptions::decide(&state.pool, &user, &[id], action, body.reason.as_deref()).await?;
    let page = app::api::subscriptions::queue(&state.pool, &user, "pending").await?;
    Ok(Json(json!({ "id": id, "action": action.as_str(), "pending": page.pending })))
}

async fn mcp_subscriptions(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
) -> Result<Json<Value>, AppError> {
    let items = app::api::subscriptions::mine(&state.pool, &user, Some("mcp")).await?;
    Ok(Json(json!({ "items": as_json(&items) })))
}

async fn create_mcp_subscription(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    body: JsonBody<app::api::subscriptions::McpSubscribe>,
) -> Result<(axum::http::StatusCode, Json<Value>), AppError> {
    let Json(body) = body.map_err(|_| AppError::BadRequest)?;
    let (info, issued) = app::api::subscriptions::mcp_subscribe(&state.pool, &user, &body).await?;
    let mut out = info.to_json();
    out["api_key"] = json!(issued.secret);
    out["key_id"] = json!(issued.credential_id);
    Ok((axum::http::StatusCode::CREATED, Json(out)))
}

async fn cancel_mcp_subscription(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Path(id): Path<String>,
) -> Result<axum::http::StatusCode, AppError> {
    app::api::subscriptions::mcp_cancel(&state.pool, &user, app_id(&id)?).await?;
    Ok(axum::http::StatusCode::NO_CONTENT)
}

async fn rotate_mcp_key(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Path(id): Path<String>,
    body: Option<Json<Rotation>>,
) -> Result<(axum::http::StatusCode, Json<app::api::applications::IssuedSecret>), AppError> {
    let hours =
        body.and_then(|b| b.0.grace_period_hours).unwrap_or(app::domain::credential::DEFAULT_GRACE_HOURS);
    if !app::domain::credential::GRACE_HOURS.contains(&hours) {
        return Err(AppError::field("grace_period_hours", "out-of-range"));
    }
    let issued = app::api::subscriptions::mcp_rotate_key(&state.pool, &user, app_id(&id)?, hours).await?;
    Ok((axum::http::StatusCode::CREATED, Json(issued)))
}

#[derive(serde::Deserialize)]
struct RequestQuery {
    page: Option<i64>,
    per_page: Option<i64>,
    state: Option<String>,
    q: Option<String>,
    mine: Option<bool>,
    tenant: Option<String>,
    sort: Option<String>,
    requester: Option<String>,
    environment: Option<String>,
}

async fn promotion_requests(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Query(query): Query<RequestQuery>,
) -> Result<Json<Value>, AppError> {
    let per_page = query.per_page.unwrap_or(20).clamp(1, 100);
    let page = query.page.unwrap_or(1).max(1);
    let filter = app::api::promotions::RequestFilter {
        state: query.state,
        q: query.q,
        mine: query.mine.unwrap_or(false),
        tenant: query.tenant,
        sort: query.sort,
        requester: query.requester,
        environment: query.environment,
    };
    let items =
        app::api::promotions::list(&state.pool, &user, &filter, per_page, (page - 1) * per_page).await?;
    Ok(Json(json!({ "items": items, "page": page, "per_page": per_page })))
}

async fn promotion_stats(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
) -> Result<Json<app::api::promotions::RequestStats>, AppError> {
    Ok(Json(app::api::promotions::stats(&state.pool, &user).await?))
}

async fn create_promotion_request(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    body: JsonBody<app::api::promotions::RequestForm>,
) -> Result<(axum::http::StatusCode, Json<Value>), AppError> {
    let Json(mut form) = body.map_err(|_| AppError::BadRequest)?;
    if form.target_type.is_empty() {
        form.target_type = "api".into();
    }
    let id = app::api::promotions::create(&state.pool, &user, &form).await?;
    let request = app::api::promotions::get(&state.pool, &user, &id).await?;
    Ok((axum::http::StatusCode::CREATED, Json(json!(request))))
}

async fn promotion_request(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Path(id): Path<String>,
) -> Result<Json<Value>, AppError> {
    let request = app::api::promotions::get(&state.pool, &user, &id).await?;
    let history = app::api::promotions::history(&state.pool, &user, &id).await?;
    let mut out = json!(request);
    out["history"] = json!(history);
    Ok(Json(out))
}

#[derive(serde::Deserialize, Default)]
struct Reason {
    #[serde(default)]
    reason: Option<String>,
}

/// Moves a request; a request someone decided first answers 409 with who decided and how.
async fn move_request(
    state: &AppState,
    user: &CurrentUser,
    id: &str,
    action: app::domain::promotion::Action,
    reason: Option<&str>,
) -> Result<Json<Value>, Response> {
    match app::api::promotions::transition_request(&state.pool, user, id, action, reason).await {
        Ok(_) => {
            let request =
                app::api::promotions::get(&state.pool, user, id).await.map_err(|e| e.into_response())?;
            Ok(Json(json!(request)))
        }
        Err(AppError::Conflict { code }) => {
            let now =
                app::api::promotions::get(&state.pool, user, id).await.map_err(|e| e.into_response())?;
            let body = json!({
                "code": "conflict", "reason": code,
                "message": format!("{} is already {}", now.id, now.state),
                "state": now.state, "decided_by": now.decided_by, "decided_at": now.decided_at,
            });
            Err((axum::http::StatusCode::CONFLICT, Json(body)).into_response())
        }
        Err(e) => Err(e.into_response()),
    }
}

async fn approve_promotion_request(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Path(id): Path<String>,
) -> Result<Json<Value>, Response> {
    move_request(&state, &user, &id, app::domain::promotion::Action::Approve, None).await
}

async fn reject_promotion_request(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Path(id): Path<String>,
    body: Option<Json<Reason>>,
) -> Result<Json<Value>, Response> {
    let reason = body.map(|b| b.0).unwrap_or_default().reason;
    move_request(&state, &user, &id, app::domain::promotion::Action::Reject, reason.as_deref()).await
}

async fn cancel_promotion_request(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Path(id): Path<String>,
) -> Result<Json<Value>, Response> {
    move_request(&state, &user, &id, app::domain::promotion::Action::Cancel, None).await
}

#[derive(serde::Deserialize)]
struct NewComment {
    comment: String,
}

async fn comment_promotion_request(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Path(id): Path<String>,
    body: JsonBody<NewComment>,
) -> Result<(axum::http::StatusCode, Json<Value>), AppError> {
    let Json(body) = body.map_err(|_| AppError::BadRequest)?;
    app::api::promotions::comment(&state.pool, &user, &id, &body.comment).await?;
    let history = app::api::promotions::history(&state.pool, &user, &id).await?;
    Ok((axum::http::StatusCode::CREATED, Json(json!({ "history": history }))))
}

//! REST: subscriptions.

use super::*;
use app::domain::catalog::Kind;

/// This resource's routes, in the order the document lists them.
pub(super) fn routes() -> Vec<(RestRoute, MethodRouter<AppState>)> {
    vec![
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
    ]
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
    let items = app::service::subscriptions::mine(&state.pool, &user, kind).await?;
    Ok(Json(json!({ "items": as_json(&items) })))
}

fn as_json(items: &[app::model::subscriptions::SubscriptionInfo]) -> Vec<Value> {
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
    JsonBody(body): JsonBody<NewSubscription>,
) -> Result<(StatusCode, Json<Value>), AppError> {
    let kind = match body.kind.as_deref() {
        None | Some("api") => Kind::Api,
        Some("mcp") => Kind::Mcp,
        Some(_) => return Err(AppError::field("kind", "unknown-kind")),
    };
    if kind == Kind::Api && body.tenant.is_none() {
        return Err(AppError::field("tenant", "required"));
    }
    let req = app::service::subscriptions::SubscribeRequest {
        kind,
        tenant: if kind == Kind::Api { body.tenant.as_deref() } else { None },
        slug: &body.entry,
        application: body.application_id,
        plan: body.plan.as_deref(),
        tools: &body.tools,
        ttl_days: body.ttl_days,
    };
    let done = app::service::subscriptions::subscribe(&state.pool, &user, &req).await?;
    let info = app::service::subscriptions::one(&state.pool, &user, done.id).await?;
    Ok((StatusCode::CREATED, Json(info.to_json())))
}

async fn cancel_subscription(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    params: Params,
) -> Result<StatusCode, AppError> {
    app::service::subscriptions::cancel(&state.pool, &user, params.uuid("id")?).await?;
    Ok(StatusCode::NO_CONTENT)
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
    if !app::model::subscriptions::QUEUE_STATES.contains(&wanted.as_str()) {
        return Err(AppError::field("state", "unknown-state"));
    }
    let page = app::service::subscriptions::queue(&state.pool, &user, &wanted).await?;
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
    params: Params,
    JsonBody(body): JsonBody<Decision>,
) -> Result<Json<Value>, AppError> {
    let id = params.uuid("id")?;
    let action = app::domain::subscription::Action::parse(&body.action)
        .filter(|a| a.actor() == app::domain::subscription::Actor::Approver)
        .ok_or_else(|| AppError::field("action", "unknown-action"))?;
    app::service::subscriptions::decide(&state.pool, &user, &[id], action, body.reason.as_deref()).await?;
    let page = app::service::subscriptions::queue(&state.pool, &user, "pending").await?;
    Ok(Json(json!({ "id": id, "action": action.as_str(), "pending": page.pending })))
}

async fn mcp_subscriptions(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
) -> Result<Json<Value>, AppError> {
    let items = app::service::subscriptions::mine(&state.pool, &user, Some("mcp")).await?;
    Ok(Json(json!({ "items": as_json(&items) })))
}

async fn create_mcp_subscription(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    JsonBody(body): JsonBody<app::model::subscriptions::McpSubscribe>,
) -> Result<(StatusCode, Json<Value>), AppError> {
    let (info, issued) = app::service::subscriptions::mcp_subscribe(&state.pool, &user, &body).await?;
    let mut out = info.to_json();
    out["api_key"] = json!(issued.secret);
    out["key_id"] = json!(issued.credential_id);
    Ok((StatusCode::CREATED, Json(out)))
}

async fn cancel_mcp_subscription(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    params: Params,
) -> Result<StatusCode, AppError> {
    app::service::subscriptions::mcp_cancel(&state.pool, &user, params.uuid("id")?).await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn rotate_mcp_key(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    params: Params,
    OptionalJsonBody(body): OptionalJsonBody<app::model::applications::Rotation>,
) -> Result<(StatusCode, Json<app::model::applications::IssuedSecret>), AppError> {
    let hours = body.unwrap_or_default().hours()?;
    let issued =
        app::service::subscriptions::mcp_rotate_key(&state.pool, &user, params.uuid("id")?, hours).await?;
    Ok((StatusCode::CREATED, Json(issued)))
}

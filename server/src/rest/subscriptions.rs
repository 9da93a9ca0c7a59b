//! REST: subscriptions to APIs and MCP servers, and the approvers' queue.

use super::*;
use app::domain::catalog::Kind;
use app::domain::subscription::{self as sub, Action};
use app::model::applications::{IssuedSecret, Rotation};
use app::model::subscriptions::{McpSubscribe, PlanMoved, SubscriptionInfo, SubscriptionView};

const SUBSCRIBE: Access = Access::Granted(Permission::Subscribe);
const DECIDE: Access = Access::Granted(Permission::DecideSubscriptions);

/// This resource's routes, in the order the document lists them.
pub(super) fn routes() -> Vec<(RestRoute, MethodRouter<AppState>)> {
    vec![
        (
            RestRoute::get("/v1/subscriptions", SUBSCRIBE, "listSubscriptions")
                .summary("The caller's subscriptions (kind: api | mcp)")
                .query::<KindFilter>()
                .ok::<SubscriptionList>(),
            get(subscriptions),
        ),
        (
            RestRoute::post("/v1/subscriptions", SUBSCRIBE, "createSubscription")
                .summary("Subscribe an application: application_id, kind (api | mcp), tenant (APIs), entry, plan, tools (MCP), ttl_days; active at once or pending approval")
                .body::<NewSubscription>(|| {
                    json!({ "application_id": "0193a0c4-5a5e-7c1a-9d51-6f0b8e4f2a10", "kind": "api", "tenant": "demo", "entry": "weather-forecast", "plan": "free" })
                })
                .created::<SubscriptionView>()
                .errors(&[404]),
            post(create_subscription),
        ),
        (
            RestRoute::delete("/v1/subscriptions/{id}", SUBSCRIBE, "cancelSubscription")
                .summary("Cancel one of the caller's subscriptions")
                .errors(&[409]),
            axum::routing::delete(cancel_subscription),
        ),
        (
            RestRoute::get("/v1/subscriptions/queue", DECIDE, "subscriptionQueue")
                .summary("Subscriptions to the caller's tenant's APIs and MCP servers (state, default pending)")
                .query::<StateFilter>()
                .ok::<QueueView>(),
            get(subscription_queue),
        ),
        (
            RestRoute::post("/v1/subscriptions/{id}/decision", DECIDE, "decideSubscription")
                .summary("Decide on a subscription of the caller's tenant: action (approve | reject | suspend | reactivate | revoke), reason (rejections: 10 characters or more)")
                .body::<Decision>(|| json!({ "action": "reject", "reason": "This plan is for partners only." }))
                .ok::<Decided>()
                .errors(&[409]),
            post(decide_subscription),
        ),
        (
            RestRoute::post("/v1/subscriptions/{id}/plan", SUBSCRIBE, "changeSubscriptionPlan")
                .summary("Move one of the caller's active subscriptions to another plan its entry offers: in force at once (`changed`) when that plan needs no approval for the caller, else `requested` for the approvers while the old plan stays; the quota used in the period counts against the new plan")
                .body::<NewPlanChoice>(|| json!({ "plan": "premium" }))
                .ok::<PlanMoved>()
                .errors(&[409]),
            post(change_plan),
        ),
        (
            RestRoute::delete("/v1/subscriptions/{id}/plan-change", SUBSCRIBE, "withdrawPlanChange")
                .summary("Take back a move of one of the caller's subscriptions to another plan that waits for an approver (the old plan stays); 409 when nothing waits")
                .ok::<PlanMoved>()
                .errors(&[409]),
            axum::routing::delete(withdraw_plan_change),
        ),
        (
            RestRoute::post("/v1/subscriptions/{id}/plan-change", DECIDE, "decidePlanChange")
                .summary("Decide a subscriber's waiting move to another plan: approve (the new plan is in force at once) or reject with a reason of 10 characters or more (the old plan stays); 409 once decided")
                .body::<PlanChangeDecision>(|| json!({ "decision": "approve" }))
                .ok::<PlanMoved>()
                .errors(&[409]),
            post(decide_plan_change),
        ),
        (
            RestRoute::get("/v1/mcp/subscriptions", SUBSCRIBE, "listMcpSubscriptions")
                .summary("The caller's MCP subscriptions with the access of each requested tool (enabled | pending | disabled)")
                .ok::<SubscriptionList>(),
            get(mcp_subscriptions),
        ),
        (
            RestRoute::post("/v1/mcp/subscriptions", SUBSCRIBE, "createMcpSubscription")
                .summary("Subscribe to an MCP server: server_id (name or id), plan, requested_tools, optional application_id; the response carries an API key, shown this once")
                .body::<McpSubscribe>(|| json!({ "server_id": "weather", "plan": "free", "requested_tools": ["get_forecast"] }))
                .created::<McpSubscribed>()
                .errors(&[404, 409]),
            post(create_mcp_subscription),
        ),
        (
            RestRoute::delete("/v1/mcp/subscriptions/{id}", SUBSCRIBE, "cancelMcpSubscription")
                .summary("Cancel an MCP subscription")
                .errors(&[409]),
            axum::routing::delete(cancel_mcp_subscription),
        ),
        (
            RestRoute::post("/v1/mcp/subscriptions/{id}/rotate-key", SUBSCRIBE, "rotateMcpKey")
                .summary("A new API key for an MCP subscription (shown once); the previous one works for grace_period_hours (1-168, default 24)")
                .optional_body::<Rotation>(|| json!({ "grace_period_hours": 24 }))
                .created::<IssuedSecret>()
                .errors(&[409]),
            post(rotate_mcp_key),
        ),
    ]
}

/// A list of subscriptions.
#[derive(Serialize, JsonSchema)]
struct SubscriptionList {
    items: Vec<SubscriptionView>,
}

fn list(items: &[SubscriptionInfo]) -> SubscriptionList {
    SubscriptionList { items: items.iter().map(SubscriptionInfo::view).collect() }
}

/// Which kind of entry to list.
#[derive(Deserialize, JsonSchema)]
struct KindFilter {
    /// `api` or `mcp`; anything else: both.
    kind: Option<String>,
}

async fn subscriptions(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    QueryParams(filter): QueryParams<KindFilter>,
) -> Result<Json<SubscriptionList>, AppError> {
    let kind = filter.kind.as_deref().filter(|k| matches!(*k, "api" | "mcp"));
    let items = app::service::subscriptions::mine(&state.pool, &user, kind).await?;
    Ok(Json(list(&items)))
}

/// What to subscribe to, with which application and plan.
#[derive(Deserialize, JsonSchema)]
struct NewSubscription {
    application_id: uuid::Uuid,
    /// `api` (default) or `mcp`.
    #[serde(default)]
    kind: Option<EntryKind>,
    /// The API's tenant (required for APIs; MCP server names are unique).
    #[serde(default)]
    tenant: Option<String>,
    /// The API's or MCP server's slug.
    entry: String,
    /// A plan of the entry's tenant; required when the entry has plans.
    #[serde(default)]
    plan: Option<String>,
    /// MCP: the tools asked for (at least one).
    #[serde(default)]
    tools: Vec<String>,
    /// Days until the subscription ends (1 to the plan's longest, 365 when it sets none).
    #[serde(default, deserialize_with = "app::model::whole_number")]
    #[schemars(range(min = 1, max = 365))]
    ttl_days: Option<i64>,
}

/// What a subscription is to.
#[derive(Clone, Copy, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
enum EntryKind {
    Api,
    Mcp,
}

async fn create_subscription(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    JsonBody(body): JsonBody<NewSubscription>,
) -> Result<(StatusCode, Json<SubscriptionView>), AppError> {
    let kind = match body.kind {
        None | Some(EntryKind::Api) => Kind::Api,
        Some(EntryKind::Mcp) => Kind::Mcp,
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
    Ok((StatusCode::CREATED, Json(info.view())))
}

async fn cancel_subscription(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    params: Params,
) -> Result<StatusCode, AppError> {
    app::service::subscriptions::cancel(&state.pool, &user, params.uuid("id")?).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Which subscriptions the queue shows.
#[derive(Deserialize, JsonSchema)]
struct StateFilter {
    /// Default `pending`.
    state: Option<QueueState>,
}

/// The states the queue can show.
#[derive(Clone, Copy, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
enum QueueState {
    Pending,
    Active,
    Suspended,
    Rejected,
    Revoked,
    Cancelled,
}

impl QueueState {
    fn state(self) -> sub::State {
        match self {
            QueueState::Pending => sub::State::Pending,
            QueueState::Active => sub::State::Active,
            QueueState::Suspended => sub::State::Suspended,
            QueueState::Rejected => sub::State::Rejected,
            QueueState::Revoked => sub::State::Revoked,
            QueueState::Cancelled => sub::State::Cancelled,
        }
    }
}

/// The approval queue: subscriptions in one state, and how many wait.
#[derive(Serialize, JsonSchema)]
struct QueueView {
    state: sub::State,
    pending: i64,
    items: Vec<SubscriptionView>,
}

async fn subscription_queue(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    QueryParams(filter): QueryParams<StateFilter>,
) -> Result<Json<QueueView>, AppError> {
    let wanted = filter.state.unwrap_or(QueueState::Pending).state();
    let page = app::service::subscriptions::queue(&state.pool, &user, wanted).await?;
    Ok(Json(QueueView { state: wanted, pending: page.pending, items: list(&page.items).items }))
}

/// An approver's decision.
#[derive(Deserialize, JsonSchema)]
#[schemars(extend(
    "if" = { "properties": { "action": { "const": "reject" } }, "required": ["action"] },
    "then" = { "properties": { "action": { "const": "reject" }, "reason": { "type": "string", "pattern": app::model::TEN_CHARS } }, "required": ["reason"] },
))]
struct Decision {
    action: Decide,
    /// Why (rejections: 10 characters or more, not counting spaces around them).
    #[serde(default)]
    reason: Option<String>,
}

/// What an approver can do to a subscription.
#[derive(Clone, Copy, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
enum Decide {
    Approve,
    Reject,
    Suspend,
    Reactivate,
    Revoke,
}

/// A decision taken, and how many requests still wait.
#[derive(Serialize, JsonSchema)]
struct Decided {
    id: uuid::Uuid,
    action: Action,
    pending: i64,
}

async fn decide_subscription(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    params: Params,
    JsonBody(body): JsonBody<Decision>,
) -> Result<Json<Decided>, AppError> {
    let id = params.uuid("id")?;
    let action = match body.action {
        Decide::Approve => Action::Approve,
        Decide::Reject => Action::Reject,
        Decide::Suspend => Action::Suspend,
        Decide::Reactivate => Action::Reactivate,
        Decide::Revoke => Action::Revoke,
    };
    app::service::subscriptions::decide(&state.pool, &user, &[id], action, body.reason.as_deref()).await?;
    let page = app::service::subscriptions::queue(&state.pool, &user, sub::State::Pending).await?;
    Ok(Json(Decided { id, action, pending: page.pending }))
}

async fn mcp_subscriptions(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
) -> Result<Json<SubscriptionList>, AppError> {
    let items = app::service::subscriptions::mine(&state.pool, &user, Some("mcp")).await?;
    Ok(Json(list(&items)))
}

/// An MCP subscription just made, with its API key (shown this once).
#[derive(Serialize, JsonSchema)]
struct McpSubscribed {
    #[serde(flatten)]
    subscription: SubscriptionView,
    api_key: String,
    key_id: uuid::Uuid,
}

async fn create_mcp_subscription(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    JsonBody(body): JsonBody<McpSubscribe>,
) -> Result<(StatusCode, Json<McpSubscribed>), AppError> {
    let (info, issued) = app::service::subscriptions::mcp_subscribe(&state.pool, &user, &body).await?;
    let out =
        McpSubscribed { subscription: info.view(), api_key: issued.secret, key_id: issued.credential_id };
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
    OptionalJsonBody(body): OptionalJsonBody<Rotation>,
) -> Result<(StatusCode, Json<IssuedSecret>), AppError> {
    let hours = body.unwrap_or_default().hours()?;
    let issued =
        app::service::subscriptions::mcp_rotate_key(&state.pool, &user, params.uuid("id")?, hours).await?;
    Ok((StatusCode::CREATED, Json(issued)))
}

/// The plan to move to.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct NewPlanChoice {
    /// A plan's slug, one the subscription's entry offers.
    #[schemars(length(min = 1, max = 63))]
    plan: String,
}

async fn change_plan(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    params: Params,
    JsonBody(body): JsonBody<NewPlanChoice>,
) -> Result<Json<PlanMoved>, AppError> {
    Ok(Json(
        app::service::subscriptions::change_plan(&state.pool, &user, params.uuid("id")?, &body.plan).await?,
    ))
}

/// An approver's decision on a move to another plan.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(extend(
    "if" = { "properties": { "decision": { "const": "reject" } }, "required": ["decision"] },
    "then" = { "properties": { "decision": { "const": "reject" }, "reason": { "type": "string", "pattern": app::model::TEN_CHARS } }, "required": ["reason"] },
))]
struct PlanChangeDecision {
    decision: PlanDecide,
    /// Why (rejections: 10 characters or more, not counting spaces around them).
    #[serde(default)]
    reason: Option<String>,
}

#[derive(Clone, Copy, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
enum PlanDecide {
    Approve,
    Reject,
}

async fn decide_plan_change(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    params: Params,
    JsonBody(body): JsonBody<PlanChangeDecision>,
) -> Result<Json<PlanMoved>, AppError> {
    let approve = matches!(body.decision, PlanDecide::Approve);
    let id = params.uuid("id")?;
    Ok(Json(
        app::service::subscriptions::decide_plan_change(
            &state.pool,
            &user,
            id,
            approve,
            body.reason.as_deref(),
        )
        .await?,
    ))
}

async fn withdraw_plan_change(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    params: Params,
) -> Result<Json<PlanMoved>, AppError> {
    let id = params.uuid("id")?;
    Ok(Json(app::service::subscriptions::withdraw_plan_change(&state.pool, &user, id).await?))
}

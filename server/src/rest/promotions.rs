//! REST: production promotion requests (the ITSM console's API).

use super::*;
use app::domain::promotion::Action;
use app::model::promotions::{HistoryInfo, RequestFilter, RequestForm, RequestInfo, RequestStats};
use app::model::NOT_BLANK;

const REQUEST: Access = Access::Granted(Permission::RequestPromotion);
const DECIDE: Access = Access::Granted(Permission::DecidePromotions);

/// This resource's routes, in the order the document lists them.
pub(super) fn routes() -> Vec<(RestRoute, MethodRouter<AppState>)> {
    vec![
        (
            RestRoute::get("/v1/requests/prod", REQUEST, "listPromotionRequests")
                .summary("Production promotion requests of the caller's tenant (filters: state, q = id or API name, mine, requester = username, environment = staging | prod, tenant for cpi-admins; sort = newest | oldest; page, per_page)")
                .query::<RequestQuery>()
                .ok::<RequestList>(),
            get(promotion_requests),
        ),
        (
            RestRoute::post("/v1/requests/prod", REQUEST, "createPromotionRequest")
                .summary("Ask to promote an API version deployed in staging to prod: target_type, target_name, target_version, justification (20+ characters), impact, release_notes, rollback_plan, scheduled_at, pre-checks, evidence_url")
                .body::<RequestForm>(|| {
                    json!({
                        "target_type": "api", "target_name": "weather-forecast", "target_version": "1.1.0",
                        "justification": "Customers need the alerts endpoint in production.",
                        "impact": "low", "rollback_plan": "Redeploy 1.0.0.", "staging_tests_passed": true,
                    })
                })
                .created::<RequestInfo>(),
            post(create_promotion_request),
        ),
        (
            RestRoute::get("/v1/requests/prod/stats", REQUEST, "promotionRequestStats")
                .summary("Counters: pending, approved today, rejected today, deployed this week")
                .ok::<RequestStats>(),
            get(promotion_stats),
        ),
        (
            RestRoute::get("/v1/requests/prod/{id}", REQUEST, "getPromotionRequest")
                .summary("One promotion request with its history")
                .ok::<RequestWithHistory>(),
            get(promotion_request),
        ),
        (
            RestRoute::post("/v1/requests/prod/{id}/approve", DECIDE, "approvePromotionRequest")
                .summary("Approve a pending request (never one's own)")
                .ok::<RequestInfo>()
                .errors(&[409]),
            post(approve_promotion_request),
        ),
        (
            RestRoute::post("/v1/requests/prod/{id}/reject", DECIDE, "rejectPromotionRequest")
                .summary("Reject a pending request with a reason (10+ characters; never one's own)")
                .body::<Reason>(|| json!({ "reason": "Release notes are missing." }))
                .ok::<RequestInfo>()
                .errors(&[409]),
            post(reject_promotion_request),
        ),
        (
            RestRoute::post("/v1/requests/prod/{id}/cancel", REQUEST, "cancelPromotionRequest")
                .summary("The requester cancels a pending request")
                .ok::<RequestInfo>()
                .errors(&[409]),
            post(cancel_promotion_request),
        ),
        (
            RestRoute::post("/v1/requests/prod/{id}/comments", REQUEST, "commentPromotionRequest")
                .summary("Comment on a request (1-5000 characters); the requester and the thread are notified")
                .body::<NewComment>(|| json!({ "comment": "Staging tests are green since Monday." }))
                .created::<History>(),
            post(comment_promotion_request),
        ),
    ]
}

/// The list's filters, order and page.
#[derive(Deserialize, JsonSchema)]
struct RequestQuery {
    /// Default 1.
    page: Option<i64>,
    /// 1–100, default 20.
    per_page: Option<i64>,
    /// A state (`pending`, `approved`, …); anything else: every state.
    state: Option<String>,
    /// Part of a request id or of the API's name.
    q: Option<String>,
    /// Only the caller's own requests.
    mine: Option<bool>,
    /// One tenant (cpi-admins).
    tenant: Option<String>,
    /// `oldest` first; newest first otherwise.
    sort: Option<String>,
    /// Requests by this username.
    requester: Option<String>,
    /// `staging` or `prod`; anything else: both.
    environment: Option<String>,
}

/// A page of requests.
#[derive(Serialize, JsonSchema)]
struct RequestList {
    items: Vec<RequestInfo>,
    page: i64,
    per_page: i64,
}

async fn promotion_requests(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    QueryParams(query): QueryParams<RequestQuery>,
) -> Result<Json<RequestList>, AppError> {
    let per_page = query.per_page.unwrap_or(20).clamp(1, 100);
    let page = query.page.unwrap_or(1).clamp(1, 1_000_000);
    let filter = RequestFilter {
        state: query.state,
        q: query.q,
        mine: query.mine.unwrap_or(false),
        tenant: query.tenant,
        sort: query.sort,
        requester: query.requester,
        environment: query.environment,
    };
    let items =
        app::service::promotions::list(&state.pool, &user, &filter, per_page, (page - 1) * per_page).await?;
    Ok(Json(RequestList { items, page, per_page }))
}

async fn promotion_stats(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
) -> Result<Json<RequestStats>, AppError> {
    Ok(Json(app::service::promotions::stats(&state.pool, &user).await?))
}

async fn create_promotion_request(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    JsonBody(mut form): JsonBody<RequestForm>,
) -> Result<(StatusCode, Json<RequestInfo>), AppError> {
    if form.target_type.is_empty() {
        form.target_type = "api".into();
    }
    let id = app::service::promotions::create(&state.pool, &user, &form).await?;
    let request = app::service::promotions::get(&state.pool, &user, &id).await?;
    Ok((StatusCode::CREATED, Json(request)))
}

/// A request with its history, oldest entry first.
#[derive(Serialize, JsonSchema)]
struct RequestWithHistory {
    #[serde(flatten)]
    request: RequestInfo,
    history: Vec<HistoryInfo>,
}

async fn promotion_request(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    params: Params,
) -> Result<Json<RequestWithHistory>, AppError> {
    let id = params.text("id")?;
    let request = app::service::promotions::get(&state.pool, &user, id).await?;
    let history = app::service::promotions::history(&state.pool, &user, id).await?;
    Ok(Json(RequestWithHistory { request, history }))
}

/// Why a request is rejected.
#[derive(Deserialize, JsonSchema, Default)]
struct Reason {
    /// 10 characters or more, not counting spaces around them. Missing reads as `None`
    /// (serde's rule for `Option`), answered as too short; no `#[serde(default)]`, which
    /// would make schemars leave it out of the schema's `required` (schemathesis caught it).
    #[schemars(required, pattern(app::model::TEN_CHARS))]
    reason: Option<String>,
}

/// A decision someone else took first: the request's state, who decided and when.
#[derive(Serialize)]
struct Decided {
    code: &'static str,
    reason: String,
    message: String,
    state: app::domain::promotion::State,
    decided_by: Option<String>,
    decided_at: Option<String>,
}

/// Moves a request; a request someone decided first answers 409 with who decided and how.
async fn move_request(
    state: &AppState,
    user: &CurrentUser,
    id: &str,
    action: Action,
    reason: Option<&str>,
) -> Result<Json<RequestInfo>, Response> {
    match app::service::promotions::transition_request(&state.pool, user, id, action, reason).await {
        Ok(_) => {
            let request = app::service::promotions::get(&state.pool, user, id)
                .await
                .map_err(IntoResponse::into_response)?;
            Ok(Json(request))
        }
        Err(AppError::Conflict { code }) => {
            let now = app::service::promotions::get(&state.pool, user, id)
                .await
                .map_err(IntoResponse::into_response)?;
            let body = Decided {
                code: "conflict",
                reason: code,
                message: format!("{} is already {}", now.id, now.state.as_str()),
                state: now.state,
                decided_by: now.decided_by,
                decided_at: now.decided_at,
            };
            Err((StatusCode::CONFLICT, Json(body)).into_response())
        }
        Err(e) => Err(e.into_response()),
    }
}

async fn approve_promotion_request(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    params: Params,
) -> Result<Json<RequestInfo>, Response> {
    let id = params.text("id").map_err(IntoResponse::into_response)?;
    move_request(&state, &user, id, Action::Approve, None).await
}

async fn reject_promotion_request(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    params: Params,
    OptionalJsonBody(body): OptionalJsonBody<Reason>,
) -> Result<Json<RequestInfo>, Response> {
    let id = params.text("id").map_err(IntoResponse::into_response)?;
    let reason = body.unwrap_or_default().reason;
    move_request(&state, &user, id, Action::Reject, reason.as_deref()).await
}

async fn cancel_promotion_request(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    params: Params,
) -> Result<Json<RequestInfo>, Response> {
    let id = params.text("id").map_err(IntoResponse::into_response)?;
    move_request(&state, &user, id, Action::Cancel, None).await
}

/// A comment on a request's thread.
#[derive(Deserialize, JsonSchema)]
struct NewComment {
    /// 1–5 000 characters, not only spaces.
    #[schemars(length(min = 1, max = 5000), pattern(NOT_BLANK))]
    comment: String,
}

/// A request's history.
#[derive(Serialize, JsonSchema)]
struct History {
    history: Vec<HistoryInfo>,
}

async fn comment_promotion_request(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    params: Params,
    JsonBody(body): JsonBody<NewComment>,
) -> Result<(StatusCode, Json<History>), AppError> {
    let id = params.text("id")?;
    app::service::promotions::comment(&state.pool, &user, id, &body.comment).await?;
    let history = app::service::promotions::history(&state.pool, &user, id).await?;
    Ok((StatusCode::CREATED, Json(History { history })))
}

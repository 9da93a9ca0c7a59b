//! REST: promotions.

use super::*;

/// This resource's routes, in the order the document lists them.
pub(super) fn routes() -> Vec<(RestRoute, MethodRouter<AppState>)> {
    vec![
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
    ]
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
    let filter = app::model::promotions::RequestFilter {
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
    Ok(Json(json!({ "items": items, "page": page, "per_page": per_page })))
}

async fn promotion_stats(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
) -> Result<Json<app::model::promotions::RequestStats>, AppError> {
    Ok(Json(app::service::promotions::stats(&state.pool, &user).await?))
}

async fn create_promotion_request(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    JsonBody(mut form): JsonBody<app::model::promotions::RequestForm>,
) -> Result<(StatusCode, Json<Value>), AppError> {
    if form.target_type.is_empty() {
        form.target_type = "api".into();
    }
    let id = app::service::promotions::create(&state.pool, &user, &form).await?;
    let request = app::service::promotions::get(&state.pool, &user, &id).await?;
    Ok((StatusCode::CREATED, Json(json!(request))))
}

async fn promotion_request(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    params: Params,
) -> Result<Json<Value>, AppError> {
    let id = params.text("id")?;
    let request = app::service::promotions::get(&state.pool, &user, id).await?;
    let history = app::service::promotions::history(&state.pool, &user, id).await?;
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
    match app::service::promotions::transition_request(&state.pool, user, id, action, reason).await {
        Ok(_) => {
            let request =
                app::service::promotions::get(&state.pool, user, id).await.map_err(|e| e.into_response())?;
            Ok(Json(json!(request)))
        }
        Err(AppError::Conflict { code }) => {
            let now =
                app::service::promotions::get(&state.pool, user, id).await.map_err(|e| e.into_response())?;
            let body = json!({
                "code": "conflict", "reason": code,
                "message": format!("{} is already {}", now.id, now.state),
                "state": now.state, "decided_by": now.decided_by, "decided_at": now.decided_at,
            });
            Err((StatusCode::CONFLICT, Json(body)).into_response())
        }
        Err(e) => Err(e.into_response()),
    }
}

async fn approve_promotion_request(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    params: Params,
) -> Result<Json<Value>, Response> {
    let id = params.text("id").map_err(IntoResponse::into_response)?;
    move_request(&state, &user, id, app::domain::promotion::Action::Approve, None).await
}

async fn reject_promotion_request(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    params: Params,
    OptionalJsonBody(body): OptionalJsonBody<Reason>,
) -> Result<Json<Value>, Response> {
    let id = params.text("id").map_err(IntoResponse::into_response)?;
    let reason = body.unwrap_or_default().reason;
    move_request(&state, &user, id, app::domain::promotion::Action::Reject, reason.as_deref()).await
}

async fn cancel_promotion_request(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    params: Params,
) -> Result<Json<Value>, Response> {
    let id = params.text("id").map_err(IntoResponse::into_response)?;
    move_request(&state, &user, id, app::domain::promotion::Action::Cancel, None).await
}

#[derive(serde::Deserialize)]
struct NewComment {
    comment: String,
}

async fn comment_promotion_request(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    params: Params,
    JsonBody(body): JsonBody<NewComment>,
) -> Result<(StatusCode, Json<Value>), AppError> {
    let id = params.text("id")?;
    app::service::promotions::comment(&state.pool, &user, id, &body.comment).await?;
    let history = app::service::promotions::history(&state.pool, &user, id).await?;
    Ok((StatusCode::CREATED, Json(json!({ "history": history }))))
}

//! Subscriptions (DESIGN §3): an application subscribes to an API with a plan, or to an
//! MCP server with some of its tools; active at once when nobody needs to approve,
//! pending otherwise. The tenant-admins of the entry's tenant decide from
//! `/console/subscriptions` (approve, reject with a reason, in bulk; suspend, reactivate,
//! revoke); the subscriber can cancel and extend a subscription with an end date. Every
//! change writes its `stoa.subscription.events` event and an audit entry in the same
//! transaction. The plain form routes (subscribe, decide) live in `server/src/console.rs`.

use crate::error::AppError;
use crate::model::subscriptions::*;
use leptos::prelude::*;
#[cfg(feature = "ssr")]
use uuid::Uuid;

/// The approval queue of the user's tenant (every tenant for cpi-admins), `state`
/// defaulting to pending.
#[server(endpoint = "subscription_queue")]
pub async fn subscription_queue(state: Option<String>) -> Result<QueuePage, AppError> {
    let user = crate::auth::require(crate::domain::permission::Permission::DecideSubscriptions)?;
    let pool = crate::state::app_state()?.pool;
    let state = state
        .and_then(|s| crate::domain::subscription::State::parse(&s))
        .filter(|s| QUEUE_STATES.contains(s))
        .unwrap_or(crate::domain::subscription::State::Pending);
    crate::service::subscriptions::queue(&pool, &user, state).await
}

/// The subscriber cancels a subscription of one of their applications.
#[server(endpoint = "cancel_subscription")]
pub async fn cancel_subscription(id: String) -> Result<(), AppError> {
    let user = crate::auth::require(crate::domain::permission::Permission::Subscribe)?;
    let pool = crate::state::app_state()?.pool;
    let id = Uuid::parse_str(&id).map_err(|_| AppError::NotFound.with_response_status())?;
    let app = crate::service::subscriptions::cancel(&pool, &user, id)
        .await
        .map_err(AppError::with_response_status)?;
    leptos_axum::redirect(&format!("/apps/{app}?sub=cancelled#sub-{id}"));
    Ok(())
}

/// The subscriber pushes a subscription's end `days` further, within the plan's limit.
#[server(endpoint = "extend_subscription")]
pub async fn extend_subscription(id: String, application: String, days: String) -> Result<(), AppError> {
    let user = crate::auth::require(crate::domain::permission::Permission::Subscribe)?;
    let pool = crate::state::app_state()?.pool;
    let id = Uuid::parse_str(&id).map_err(|_| AppError::NotFound.with_response_status())?;
    let app = Uuid::parse_str(&application).map_err(|_| AppError::NotFound.with_response_status())?;
    match crate::service::subscriptions::extend(&pool, &user, id, days.trim().parse().unwrap_or(0)).await {
        Ok(app) => leptos_axum::redirect(&format!("/apps/{app}?sub=extended#sub-{id}")),
        Err(AppError::Validation(errors)) => {
            let code = errors.first().map(|e| e.code.clone()).unwrap_or_default();
            leptos_axum::redirect(&format!("/apps/{app}?sub_error={code}&sub_id={id}#sub-{id}"));
        }
        Err(e) => return Err(e.with_response_status()),
    }
    Ok(())
}

/// The subscriber moves an active subscription to another plan its entry offers: at once,
/// or as a request the approvers decide.
#[server(endpoint = "change_plan")]
pub async fn change_plan(id: String, application: String, plan: String) -> Result<(), AppError> {
    let user = crate::auth::require(crate::domain::permission::Permission::Subscribe)?;
    let pool = crate::state::app_state()?.pool;
    let id = Uuid::parse_str(&id).map_err(|_| AppError::NotFound.with_response_status())?;
    let app = Uuid::parse_str(&application).map_err(|_| AppError::NotFound.with_response_status())?;
    match crate::service::subscriptions::change_plan(&pool, &user, id, &plan).await {
        Ok(moved) => {
            let done = if moved.outcome == PlanMove::Changed { "plan-changed" } else { "plan-requested" };
            leptos_axum::redirect(&format!("/apps/{}?sub={done}#sub-{id}", moved.application_id));
        }
        Err(AppError::Validation(errors)) => {
            let code = errors.first().map(|e| e.code.clone()).unwrap_or_default();
            leptos_axum::redirect(&format!("/apps/{app}?sub_error={code}&sub_id={id}#sub-{id}"));
        }
        Err(AppError::Conflict { code }) => {
            leptos_axum::redirect(&format!("/apps/{app}?sub_error={code}&sub_id={id}#sub-{id}"));
        }
        Err(e) => return Err(e.with_response_status()),
    }
    Ok(())
}

/// An approver decides a waiting move to another plan (`decision`: `approve` or `reject`,
/// the latter with a reason).
#[server(endpoint = "decide_plan_change")]
pub async fn decide_plan_change(
    id: String,
    decision: String,
    reason: Option<String>,
) -> Result<(), AppError> {
    let user = crate::auth::require(crate::domain::permission::Permission::DecideSubscriptions)?;
    let pool = crate::state::app_state()?.pool;
    let id = Uuid::parse_str(&id).map_err(|_| AppError::NotFound.with_response_status())?;
    let approve = match decision.as_str() {
        "approve" => true,
        "reject" => false,
        _ => return Err(AppError::field("decision", "unknown-value").with_response_status()),
    };
    match crate::service::subscriptions::decide_plan_change(&pool, &user, id, approve, reason.as_deref())
        .await
    {
        Ok(_) => leptos_axum::redirect(&format!("/console/subscriptions?done=plan-{decision}#plan-changes")),
        Err(AppError::Validation(errors)) => {
            let code = errors.first().map(|e| e.code.clone()).unwrap_or_default();
            leptos_axum::redirect(&format!(
                "/console/subscriptions?error={code}&for=plan-{id}#plan-change-{id}"
            ));
        }
        Err(AppError::Conflict { code }) => {
            leptos_axum::redirect(&format!("/console/subscriptions?error={code}#plan-changes"));
        }
        Err(e) => return Err(e.with_response_status()),
    }
    Ok(())
}

/// The subscriber takes back a move to another plan that waits for an approver.
#[server(endpoint = "withdraw_plan_change")]
pub async fn withdraw_plan_change(id: String, application: String) -> Result<(), AppError> {
    let user = crate::auth::require(crate::domain::permission::Permission::Subscribe)?;
    let pool = crate::state::app_state()?.pool;
    let id = Uuid::parse_str(&id).map_err(|_| AppError::NotFound.with_response_status())?;
    let app = Uuid::parse_str(&application).map_err(|_| AppError::NotFound.with_response_status())?;
    match crate::service::subscriptions::withdraw_plan_change(&pool, &user, id).await {
        Ok(moved) => {
            leptos_axum::redirect(&format!("/apps/{}?sub=plan-withdrawn#sub-{id}", moved.application_id))
        }
        Err(AppError::Conflict { code }) => {
            leptos_axum::redirect(&format!("/apps/{app}?sub_error={code}&sub_id={id}#sub-{id}"));
        }
        Err(e) => return Err(e.with_response_status()),
    }
    Ok(())
}

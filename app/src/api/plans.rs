//! Server functions of the plans pages (`/console/plans`, `/console/plans/:id`). The
//! form posts to a plain route (`console::save_plan` in the server: its checkboxes are
//! repeated fields); a refused form comes back through the session.

use crate::error::AppError;
use crate::model::plans::*;
use leptos::prelude::*;

/// `/console/plans`: the tenant's plans (a platform admin may name one), and a refused
/// new-plan form.
#[server(endpoint = "load_plans")]
pub async fn load_plans(
    tenant: Option<String>,
    refused: Option<String>,
) -> Result<(PlansPage, Option<RefusedPlan>), AppError> {
    let user = crate::auth::require(crate::domain::permission::Permission::ReadPlans)?;
    let state = crate::state::app_state()?;
    let tenant = tenant.filter(|t| !t.is_empty());
    let page = crate::service::plans::page(&state.pool, &user, tenant.as_deref())
        .await
        .map_err(AppError::with_response_status)?;
    let refused = super::kept::<RefusedPlan>(FORM_KEY, refused, false).await?.filter(|r| r.id.is_none());
    Ok((page, refused))
}

/// `/console/plans/:id`: one plan, its subscriptions, and a refused edit of it.
#[server(endpoint = "load_plan")]
pub async fn load_plan(
    id: String,
    refused: Option<String>,
) -> Result<(PlanPage, Option<RefusedPlan>), AppError> {
    let user = crate::auth::require(crate::domain::permission::Permission::ReadPlans)?;
    let state = crate::state::app_state()?;
    let id = uuid::Uuid::parse_str(&id).map_err(|_| AppError::NotFound.with_response_status())?;
    let page =
        crate::service::plans::get(&state.pool, &user, id).await.map_err(AppError::with_response_status)?;
    let refused = super::kept::<RefusedPlan>(FORM_KEY, refused, false).await?.filter(|r| r.id == Some(id));
    Ok((page, refused))
}

/// Archives a plan once the page asked for a confirmation (`confirm=yes`).
#[server(endpoint = "archive_plan")]
pub async fn archive_plan(id: String, confirm: Option<String>) -> Result<(), AppError> {
    let user = crate::auth::require(crate::domain::permission::Permission::ManagePlans)?;
    let state = crate::state::app_state()?;
    let id = uuid::Uuid::parse_str(&id).map_err(|_| AppError::NotFound.with_response_status())?;
    if confirm.as_deref() != Some("yes") {
        leptos_axum::redirect(&format!("/console/plans/{id}?archive=ask#archive"));
        return Ok(());
    }
    crate::service::plans::archive(&state.pool, &user, id).await.map_err(AppError::with_response_status)?;
    leptos_axum::redirect(&format!("/console/plans/{id}?archived=1"));
    Ok(())
}

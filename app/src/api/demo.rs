//! Server functions of the console's demo page (`/console/demo`).

use crate::error::AppError;
use crate::model::demo::DemoState;
use leptos::prelude::*;

/// The demo tenant's state (platform admins).
#[server(endpoint = "load_demo_state")]
pub async fn load_demo_state() -> Result<DemoState, AppError> {
    let user = crate::auth::require(crate::domain::permission::Permission::ResetDemo)?;
    let state = crate::state::app_state()?;
    crate::service::demo::reset::state(&state.pool, &user, state.config.demo_reset_schedule.as_ref())
        .await
        .map_err(AppError::with_response_status)
}

/// Resets the demo tenant now (the page asked for a confirmation first); back to the
/// page with the result, or with why not.
#[server(endpoint = "reset_demo")]
pub async fn reset_demo(confirm: String) -> Result<(), AppError> {
    let user = crate::auth::require(crate::domain::permission::Permission::ResetDemo)?;
    let state = crate::state::app_state()?;
    match crate::service::demo::reset::reset_now(
        &state.pool,
        state.config.metering.raw_days,
        &user,
        confirm == "yes",
    )
    .await
    {
        Ok(done) => leptos_axum::redirect(&format!("/console/demo?done={}", done.id)),
        Err(AppError::Conflict { .. }) => leptos_axum::redirect("/console/demo?error=reset-running"),
        Err(e) => return Err(e.with_response_status()),
    }
    Ok(())
}

//! The usage dashboards (`/usage`, `/console/usage`).

use crate::error::AppError;
use crate::model::metering::{DashboardQuery, UsageDashboard};
use leptos::prelude::*;

/// One dashboard for one selection: `console` false for the user's own applications,
/// true for the calls to and of the user's tenant (every call for a platform admin).
#[server(endpoint = "usage_dashboard")]
pub async fn load_usage(query: DashboardQuery, console: bool) -> Result<UsageDashboard, AppError> {
    use crate::domain::permission::Permission;
    // The console's scope is checked by the service (a tenant's admin or auditor, a
    // platform admin).
    let user = if console { crate::auth::require_signed_in()? } else { crate::auth::require(Permission::ViewOwnUsage)? };
    let state = crate::state::app_state()?;
    crate::service::usage::dashboard(&state.pool, &user, &query, console, state.config.metering.raw_days)
        .await
        .map_err(AppError::with_response_status)
}

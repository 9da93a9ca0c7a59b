//! The usage dashboards (`/usage`, `/console/usage`).

use crate::error::AppError;
use crate::model::metering::{DashboardQuery, UsageDashboard};
use leptos::prelude::*;

/// `/usage` for one selection: the calls of the user's own applications.
#[server(endpoint = "usage_dashboard")]
pub async fn load_usage(query: DashboardQuery) -> Result<UsageDashboard, AppError> {
    dashboard(query, false, crate::domain::permission::Permission::ViewOwnUsage).await
}

/// `/console/usage` for one selection: the calls to and of the user's tenant (every call
/// for a platform admin).
#[server(endpoint = "console_usage_dashboard")]
pub async fn load_console_usage(query: DashboardQuery) -> Result<UsageDashboard, AppError> {
    dashboard(query, true, crate::domain::permission::Permission::ViewTenantUsage).await
}

#[cfg(feature = "ssr")]
async fn dashboard(
    query: DashboardQuery,
    console: bool,
    needs: crate::domain::permission::Permission,
) -> Result<UsageDashboard, AppError> {
    let user = crate::auth::require(needs)?;
    let state = crate::state::app_state()?;
    crate::service::usage::dashboard::dashboard(
        &state.pool,
        &user,
        &query,
        console,
        state.config.metering.raw_days,
    )
    .await
    .map_err(AppError::with_response_status)
}

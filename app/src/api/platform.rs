//! What the platform holds right now, shown on the home page.

use crate::error::AppError;
use crate::model::platform::*;
use leptos::prelude::*;

/// Reads the headline figures.
#[server(endpoint = "platform_status")]
pub async fn platform_status() -> Result<PlatformFigures, AppError> {
    let state = crate::state::app_state()?;
    crate::service::platform::status(&state.pool).await
}

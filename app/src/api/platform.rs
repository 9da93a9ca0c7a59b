//! What the platform holds right now, shown on the home page.

use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// Headline figures of the platform.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlatformFigures {
    /// Active tenants.
    pub tenants: i64,
    /// Events the in-process consumers have handled (each counted once).
    pub events_handled: i64,
}

/// Reads the headline figures.
#[server(endpoint = "platform_status")]
pub async fn platform_status() -> Result<PlatformFigures, AppError> {
    let state = crate::state::app_state()?;
    Ok(crate::db::platform::status(&state.pool).await?)
}

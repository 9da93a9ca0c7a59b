//! What the platform holds right now, shown on the home page.

use serde::{Deserialize, Serialize};

/// Headline figures of the platform.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
pub struct PlatformFigures {
    /// Active tenants.
    pub tenants: i64,
    /// Events the in-process consumers have handled (each counted once).
    pub events_handled: i64,
}

//! The demo tenant's state and resets, as the console (`/console/demo`) and the REST API
//! (`/v1/admin/demo`) show them.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// What started a reset.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum ResetTrigger {
    /// The first seed (the dataset written, nothing deleted).
    Seed,
    /// The schedule (`DEMO_RESET_SCHEDULE`).
    Schedule,
    /// A platform admin.
    Manual,
}

impl ResetTrigger {
    pub fn parse(s: &str) -> ResetTrigger {
        match s {
            "schedule" => ResetTrigger::Schedule,
            "manual" => ResetTrigger::Manual,
            _ => ResetTrigger::Seed,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            ResetTrigger::Seed => "seed",
            ResetTrigger::Schedule => "schedule",
            ResetTrigger::Manual => "manual",
        }
    }
}

/// One reset.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
pub struct ResetInfo {
    pub id: i64,
    pub trigger: ResetTrigger,
    /// Who: a username, `scheduler` or `seed`.
    pub actor: String,
    /// RFC 3339.
    pub started_at: String,
    pub finished_at: Option<String>,
    pub duration_ms: Option<i32>,
    /// Rows deleted, by table (what visitors had made).
    pub deleted: BTreeMap<String, u64>,
}

/// The demo tenant: its schedule, whether a reset runs now, the last resets.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
pub struct DemoState {
    /// The reset schedule (cron, UTC); none: no scheduled reset.
    pub schedule: Option<String>,
    /// The next scheduled reset (RFC 3339).
    pub next_reset: Option<String>,
    /// A reset is running now (on this replica or another).
    pub running: bool,
    /// The last resets, newest first (at most 10).
    pub resets: Vec<ResetInfo>,
}

//! The audit trail, for security auditors and platform admins (`/console/audit`, and
//! `GET /v1/audit` in the REST API, which share the query parsing below).

use serde::{Deserialize, Serialize};

/// Rows per page unless asked otherwise; the most one page may hold.
pub const DEFAULT_PER_PAGE: i64 = 50;

pub const MAX_PER_PAGE: i64 = 200;

/// The filters as typed into the form or the query string: every value optional text.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
pub struct AuditQuery {
    pub actor: Option<String>,
    pub action: Option<String>,
    /// `YYYY-MM-DD` (start of that day, UTC) or an RFC 3339 instant.
    pub from: Option<String>,
    /// `YYYY-MM-DD` (that whole day included) or an RFC 3339 instant (excluded).
    pub to: Option<String>,
    pub tenant: Option<String>,
    pub page: Option<String>,
    pub per_page: Option<String>,
}

/// One page of the trail.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
pub struct AuditPage {
    pub rows: Vec<AuditItem>,
    pub total: i64,
    pub page: i64,
    pub per_page: i64,
    /// Every action the trail holds, for the action filter.
    #[serde(default)]
    pub actions: Vec<String>,
}

/// One audited action, as shown.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
pub struct AuditItem {
    pub id: i64,
    /// RFC 3339, UTC.
    pub at: String,
    pub tenant_id: Option<String>,
    pub actor: String,
    pub action: String,
    pub subject: Option<String>,
    pub client_addr: Option<String>,
}

impl AuditPage {
    pub fn pages(&self) -> i64 {
        ((self.total + self.per_page - 1) / self.per_page).max(1)
    }
}

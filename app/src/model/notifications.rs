//! The signed-in user's notifications (`/notifications` and the bell in the header):
//! list, mark one read (optionally opening what it is about), mark all read.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// One notification as its recipient sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
pub struct NotificationInfo {
    pub id: Uuid,
    /// `subscription-pending`, `subscription-approved`, … (a translation key suffix).
    pub kind: String,
    /// What it is about: entry · plan · application.
    pub subject: String,
    /// Where to look (a path of this site).
    pub link: String,
    /// The approver's reason, for rejections.
    pub reason: Option<String>,
    /// For a request that waited for a decision: how it was decided since
    /// (`approved`, `rejected`, `cancelled`), and by whom (a display name).
    #[serde(default)]
    pub decided: Option<String>,
    #[serde(default)]
    pub decided_by: Option<String>,
    pub read: bool,
    pub created_at: String,
}

/// Notifications shown per page.
pub const PER_PAGE: i64 = 20;

/// A page of notifications.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
pub struct NotificationList {
    pub items: Vec<NotificationInfo>,
    pub total: i64,
    pub unread: i64,
    pub page: i64,
}

/// Every notification kind: the consumer's, and the expiry sweep's warning (their
/// translation keys are checked).
pub const KINDS: [&str; 18] = [
    "subscription-pending",
    "subscription-approved",
    "subscription-rejected",
    "subscription-suspended",
    "subscription-reactivated",
    "subscription-revoked",
    "subscription-expired",
    "subscription-expiring",
    "request-pending",
    "request-approved",
    "request-rejected",
    "request-deployed",
    "request-failed",
    "request-commented",
    "plan-changed",
    "plan-change-pending",
    "plan-change-approved",
    "plan-change-rejected",
];

/// The kinds that ask for a decision, and how a decision ends them (their translation
/// keys are checked).
pub const DECIDED_KINDS: [&str; 3] = ["subscription-pending", "request-pending", "plan-change-pending"];
pub const OUTCOMES: [&str; 3] = ["approved", "rejected", "cancelled"];

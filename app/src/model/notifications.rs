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
pub const KINDS: [&str; 14] = [
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
];

/// A path of this site to go to after marking read: never another origin.
pub fn local_path(next: &str) -> Option<&str> {
    (next.starts_with('/') && !next.starts_with("//") && !next.contains('\\') && !next.contains(['\r', '\n']))
        .then_some(next)
}

#[cfg(test)]
mod tests {
    use super::local_path;

    #[test]
    fn only_paths_of_this_site_are_followed() {
        assert_eq!(local_path("/apps/1#sub-2"), Some("/apps/1#sub-2"));
        for bad in
            ["https://evil.example", "//evil.example", "/\\evil.example", "apps", "/a\r\nSet-Cookie: x"]
        {
            assert_eq!(local_path(bad), None, "{bad}");
        }
    }
}

//! The signed-in user's notifications (`/notifications` and the bell in the header):
//! list, mark one read (optionally opening what it is about), mark all read.

use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// One notification as its recipient sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
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

/// The user's notifications, newest first (`page` from 1).
#[server(endpoint = "notifications_page")]
pub async fn notifications_page(page: Option<i64>) -> Result<NotificationList, AppError> {
    let user = crate::auth::require_signed_in()?;
    let pool = crate::state::app_state()?.pool;
    let page = page.unwrap_or(1).clamp(1, 10_000);
    server::page(&pool, &user, page).await
}

/// How many notifications the user has not read (the bell).
#[server(endpoint = "unread_notifications")]
pub async fn unread_notifications() -> Result<i64, AppError> {
    let user = crate::auth::require_signed_in()?;
    let pool = crate::state::app_state()?.pool;
    server::unread(&pool, &user).await
}

/// Marks one notification read, then goes to `next` (a path of this site; default the
/// notifications page).
#[server(endpoint = "mark_notification_read")]
pub async fn mark_notification_read(id: String, next: Option<String>) -> Result<(), AppError> {
    let user = crate::auth::require_signed_in()?;
    let pool = crate::state::app_state()?.pool;
    let id = Uuid::parse_str(&id).map_err(|_| AppError::NotFound.with_response_status())?;
    server::mark(&pool, &user, Some(id)).await?;
    leptos_axum::redirect(next.as_deref().and_then(local_path).unwrap_or("/notifications"));
    Ok(())
}

/// Marks every notification of the user read.
#[server(endpoint = "mark_all_notifications_read")]
pub async fn mark_all_notifications_read() -> Result<(), AppError> {
    let user = crate::auth::require_signed_in()?;
    let pool = crate::state::app_state()?.pool;
    let n = server::mark(&pool, &user, None).await?;
    leptos_axum::redirect(&format!("/notifications?marked={n}"));
    Ok(())
}

#[cfg(feature = "ssr")]
pub use server::{mark, page, unread};

#[cfg(feature = "ssr")]
mod server {
    use super::*;
    use crate::auth::CurrentUser;
    use crate::db::notifications as db;
    use crate::db::scope::{self, Scope};

    pub async fn page(
        pool: &sqlx::PgPool,
        user: &CurrentUser,
        page: i64,
    ) -> Result<NotificationList, AppError> {
        let mut tx = scope::begin(pool, Scope::Tenant(&user.tenant_id)).await?;
        let (items, total, unread) = db::list(&mut tx, user.id, (page - 1) * PER_PAGE).await?;
        tx.commit().await?;
        Ok(NotificationList { items, total, unread, page })
    }

    pub async fn unread(pool: &sqlx::PgPool, user: &CurrentUser) -> Result<i64, AppError> {
        let mut tx = scope::begin(pool, Scope::Tenant(&user.tenant_id)).await?;
        let n = db::unread(&mut tx, user.id).await?;
        tx.commit().await?;
        Ok(n)
    }

    /// Marks one or all read; how many changed.
    pub async fn mark(pool: &sqlx::PgPool, user: &CurrentUser, id: Option<Uuid>) -> Result<u64, AppError> {
        let mut tx = scope::begin(pool, Scope::Tenant(&user.tenant_id)).await?;
        let n = db::mark_read(&mut tx, user.id, id).await?;
        tx.commit().await?;
        Ok(n)
    }
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

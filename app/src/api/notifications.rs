//! The signed-in user's notifications (`/notifications` and the bell in the header):
//! list, mark one read (optionally opening what it is about), mark all read.

use crate::error::AppError;
use crate::model::notifications::*;
use leptos::prelude::*;
#[cfg(feature = "ssr")]
use uuid::Uuid;

/// The user's notifications, newest first (`page` from 1).
#[server(endpoint = "notifications_page")]
pub async fn notifications_page(page: Option<i64>) -> Result<NotificationList, AppError> {
    let user = crate::auth::require_signed_in()?;
    let pool = crate::state::app_state()?.pool;
    let page = page.unwrap_or(1).clamp(1, 10_000);
    crate::service::notifications::page(&pool, &user, page).await
}

/// How many notifications the user has not read (the bell).
#[server(endpoint = "unread_notifications")]
pub async fn unread_notifications() -> Result<i64, AppError> {
    let user = crate::auth::require_signed_in()?;
    let pool = crate::state::app_state()?.pool;
    crate::service::notifications::unread(&pool, &user).await
}

/// Marks one notification read, then goes to `next` (a path of this site; default the
/// notifications page).
#[server(endpoint = "mark_notification_read")]
pub async fn mark_notification_read(id: String, next: Option<String>) -> Result<(), AppError> {
    let user = crate::auth::require_signed_in()?;
    let pool = crate::state::app_state()?.pool;
    let id = Uuid::parse_str(&id).map_err(|_| AppError::NotFound.with_response_status())?;
    crate::service::notifications::mark(&pool, &user, Some(id)).await?;
    leptos_axum::redirect(next.as_deref().and_then(crate::auth::local_path).unwrap_or("/notifications"));
    Ok(())
}

/// Marks every notification of the user read.
#[server(endpoint = "mark_all_notifications_read")]
pub async fn mark_all_notifications_read() -> Result<(), AppError> {
    let user = crate::auth::require_signed_in()?;
    let pool = crate::state::app_state()?.pool;
    let n = crate::service::notifications::mark(&pool, &user, None).await?;
    leptos_axum::redirect(&format!("/notifications?marked={n}"));
    Ok(())
}

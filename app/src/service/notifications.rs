//! The signed-in user's notifications (`/notifications` and the bell in the header):
//! list, mark one read (optionally opening what it is about), mark all read.

use crate::auth::CurrentUser;
use crate::db::notifications as db;
use crate::db::scope::{self, Scope};
use crate::error::AppError;
use crate::model::notifications::*;
use uuid::Uuid;

pub async fn page(pool: &sqlx::PgPool, user: &CurrentUser, page: i64) -> Result<NotificationList, AppError> {
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

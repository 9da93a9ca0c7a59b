//! The platform's timed housekeeping: subscriptions whose end has come expire (with their
//! `subscription.expired` events), subscribers hear a few days before an end, deprecated
//! versions whose sunset has come are retired, and try-it keys past their five minutes are
//! deleted.

use app::db::scope::{self, Scope};
use sqlx::PgPool;

/// One pass; returns (expired, warned, try-it keys deleted).
pub async fn sweep_once(pool: &PgPool) -> Result<(usize, usize, u64), app::error::AppError> {
    let expired = app::service::subscriptions::expire_due(pool).await?;
    let retired = app::service::lifecycle::retire_due(pool).await?;
    if retired > 0 {
        tracing::info!(retired, "versions retired at their sunset");
    }
    let mut tx = scope::begin(pool, Scope::Platform).await?;
    let warned = app::db::notifications::warn_expiring(&mut tx).await?;
    let deleted = app::db::applications::delete_expired_try_it_keys(&mut tx).await?;
    tx.commit().await?;
    Ok((expired, warned, deleted))
}

/// Runs [`sweep_once`] every `period` until shutdown.
pub async fn run(pool: PgPool, period: std::time::Duration, shutdown: tokio_util::sync::CancellationToken) {
    crate::every(period, shutdown, || async {
        match sweep_once(&pool).await {
            Ok((0, 0, _)) => {}
            Ok((expired, warned, _)) => tracing::info!(expired, warned, "subscription sweep"),
            Err(e) => tracing::warn!(error = %e, "subscription sweep failed"),
        }
    })
    .await
}

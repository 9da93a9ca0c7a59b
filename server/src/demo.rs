//! The demo tenant's scheduled reset (`DEMO_RESET_SCHEDULE`): every replica sleeps until
//! the schedule's next time and asks for the reset of that slot; the first one does it,
//! the others find it running or done (`app::service::demo::reset`).

use app::domain::demo::schedule::Schedule;
use app::service::demo::reset::{reset, Outcome, Trigger};
use chrono::Utc;

/// Resets the demo tenant at each time of `schedule` until `shutdown`.
pub async fn scheduled_resets(
    pool: sqlx::PgPool,
    raw_days: u32,
    schedule: Schedule,
    shutdown: tokio_util::sync::CancellationToken,
) {
    loop {
        let Some(slot) = schedule.next_after(Utc::now()) else {
            tracing::warn!(schedule = schedule.text(), "the demo reset schedule has no next time");
            return;
        };
        let wait = (slot - Utc::now()).to_std().unwrap_or_default();
        tokio::select! {
            _ = shutdown.cancelled() => return,
            _ = tokio::time::sleep(wait) => {}
        }
        match reset(&pool, raw_days, Trigger::Schedule(slot)).await {
            Ok(Outcome::Done(row)) => {
                tracing::info!(%slot, duration_ms = row.duration_ms, "scheduled demo reset done")
            }
            Ok(Outcome::Running) => tracing::info!(%slot, "scheduled demo reset: another replica runs it"),
            Ok(Outcome::AlreadyDone) => tracing::info!(%slot, "scheduled demo reset: another replica did it"),
            Err(e) => tracing::error!(%slot, error = %e, "scheduled demo reset failed"),
        }
    }
}

/// The demo's live traffic: one call of a dataset consumer through the gateway every
/// `period` until `shutdown` (`DEMO_TRAFFIC=on`).
pub async fn traffic(
    state: app::state::AppState,
    period: std::time::Duration,
    shutdown: tokio_util::sync::CancellationToken,
) {
    let mut n = 0u64;
    crate::every(period, shutdown, || {
        n += 1;
        let (pool, gateway) = (state.pool.clone(), state.gateway.clone());
        let k = n;
        async move {
            match app::service::demo::traffic::one_call(&pool, &gateway, k).await {
                Ok(Some((api, status))) if status >= 500 => {
                    tracing::warn!(api, status, "demo traffic: a call failed")
                }
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "demo traffic: no call"),
            }
        }
    })
    .await
}

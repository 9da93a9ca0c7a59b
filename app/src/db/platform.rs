//! Platform-wide figures.

use crate::model::platform::PlatformFigures;
use sqlx::PgExecutor;

/// Counts active tenants and reads the handled events' counter (kept by a trigger on the
/// event log: constant time however long the log grows), in one round trip.
pub async fn status(db: impl PgExecutor<'_>) -> Result<PlatformFigures, sqlx::Error> {
    let (tenants, events_handled): (i64, i64) = sqlx::query_as(
        "SELECT (SELECT count(*) FROM tenants WHERE status = 'active'),
                (SELECT coalesce((SELECT value FROM platform_counters WHERE name = 'events_handled'), 0))",
    )
    .fetch_one(db)
    .await?;
    Ok(PlatformFigures { tenants, events_handled })
}

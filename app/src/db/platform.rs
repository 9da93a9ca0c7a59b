//! Platform-wide figures.

use crate::model::platform::PlatformFigures;
use sqlx::PgExecutor;

/// Counts active tenants and handled events in one round trip.
pub async fn status(db: impl PgExecutor<'_>) -> Result<PlatformFigures, sqlx::Error> {
    let (tenants, events_handled): (i64, i64) = sqlx::query_as(
        "SELECT (SELECT count(*) FROM tenants WHERE status = 'active'),
                (SELECT count(*) FROM event_log)",
    )
    .fetch_one(db)
    .await?;
    Ok(PlatformFigures { tenants, events_handled })
}

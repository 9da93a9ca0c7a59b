//! Quota leases: the calls of a plan's daily or monthly quota each replica takes ahead,
//! counted across replicas.

use crate::domain::metering::QuotaPeriod;
use chrono::NaiveDate;
use sqlx::PgConnection;
use uuid::Uuid;

/// Leases up to `want` calls of a quota of `limit` for `period` starting `starts`:
/// returns (calls granted, calls used across replicas after the lease).
pub async fn lease_quota(
    db: &mut PgConnection,
    subscription: Uuid,
    period: QuotaPeriod,
    starts: NaiveDate,
    want: i64,
    limit: i64,
) -> Result<(i64, i64), sqlx::Error> {
    sqlx::query("INSERT INTO quota_usage (subscription_id, period, starts) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING")
        .bind(subscription)
        .bind(period.as_str())
        .bind(starts)
        .execute(&mut *db)
        .await?;
    let used: i64 = sqlx::query_scalar(
        "SELECT used FROM quota_usage WHERE subscription_id = $1 AND period = $2 AND starts = $3 FOR UPDATE",
    )
    .bind(subscription)
    .bind(period.as_str())
    .bind(starts)
    .fetch_one(&mut *db)
    .await?;
    let granted = want.min(limit - used).max(0);
    if granted > 0 {
        sqlx::query(
            "UPDATE quota_usage SET used = used + $4 WHERE subscription_id = $1 AND period = $2 AND starts = $3",
        )
        .bind(subscription)
        .bind(period.as_str())
        .bind(starts)
        .bind(granted)
        .execute(&mut *db)
        .await?;
    }
    Ok((granted, used + granted))
}

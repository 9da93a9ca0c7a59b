//! Consumer bookkeeping: which events each consumer has handled, and the event log.

use crate::domain::event::CloudEvent;
use sqlx::{PgConnection, PgExecutor};
use uuid::Uuid;

/// Records that `consumer` handles `event_id` now. `false` means it already did: the
/// caller must skip the event. Run it in the transaction of the handling itself.
pub async fn claim_once(
    conn: &mut PgConnection,
    consumer: &str,
    event_id: Uuid,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "INSERT INTO processed_events (consumer, event_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
    )
    .bind(consumer)
    .bind(event_id)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Appends an event to the event log.
pub async fn append(conn: &mut PgConnection, event: &CloudEvent) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO event_log (event_id, event_type, tenant_id, subject, occurred_at)
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(event.id)
    .bind(&event.event_type)
    .bind(&event.tenantid)
    .bind(&event.subject)
    .bind(event.time)
    .execute(conn)
    .await?;
    Ok(())
}

/// How many times each of `ids` was logged (tests and diagnostics).
pub async fn times_logged(db: impl PgExecutor<'_>, ids: &[Uuid]) -> Result<Vec<(Uuid, i64)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT u.id, (SELECT count(*) FROM event_log l WHERE l.event_id = u.id)
         FROM unnest($1::uuid[]) AS u(id)",
    )
    .bind(ids)
    .fetch_all(db)
    .await
}

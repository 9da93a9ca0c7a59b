//! The transactional outbox (DESIGN §4): written with the change, drained by the relay.

use crate::domain::event::{CloudEvent, Topic};
use sqlx::types::Json;
use sqlx::{PgConnection, PgExecutor};
use uuid::Uuid;

/// Writes `event` to the outbox. Pass the transaction that makes the change, so the event
/// exists exactly when the change does.
pub async fn enqueue(conn: &mut PgConnection, topic: Topic, event: &CloudEvent) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO outbox (id, topic, event_type, tenant_id, envelope) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(event.id)
    .bind(topic.as_str())
    .bind(&event.event_type)
    .bind(&event.tenantid)
    .bind(Json(event))
    .execute(conn)
    .await?;
    Ok(())
}

/// A row claimed for publication.
#[derive(Debug, Clone)]
pub struct Pending {
    pub seq: i64,
    pub topic: String,
    pub event: CloudEvent,
}

/// Claims up to `limit` unpublished rows in order, skipping rows another relay holds.
/// The claim lasts as long as the caller's transaction.
pub async fn claim(conn: &mut PgConnection, limit: i64) -> Result<Vec<Pending>, sqlx::Error> {
    let rows: Vec<(i64, String, Json<CloudEvent>)> = sqlx::query_as(
        "SELECT seq, topic, envelope FROM outbox
         WHERE published_at IS NULL
         ORDER BY seq
         LIMIT $1
         FOR UPDATE SKIP LOCKED",
    )
    .bind(limit)
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(|(seq, topic, Json(event))| Pending { seq, topic, event }).collect())
}

/// Marks claimed rows as published.
pub async fn mark_published(conn: &mut PgConnection, seqs: &[i64]) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE outbox SET published_at = now() WHERE seq = ANY($1)")
        .bind(seqs)
        .execute(conn)
        .await?;
    Ok(())
}

/// Records a failed attempt on claimed rows (shown by metrics and in the logs).
pub async fn mark_failed(conn: &mut PgConnection, seqs: &[i64], error: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE outbox SET attempts = attempts + 1, last_error = $2 WHERE seq = ANY($1)")
        .bind(seqs)
        .bind(error)
        .execute(conn)
        .await?;
    Ok(())
}

/// Number of events waiting to be published.
pub async fn backlog(db: impl PgExecutor<'_>) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT count(*) FROM outbox WHERE published_at IS NULL").fetch_one(db).await
}

/// Whether the event with this id is in the outbox at all (tests: rolled-back events).
pub async fn contains(db: impl PgExecutor<'_>, id: Uuid) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM outbox WHERE id = $1)").bind(id).fetch_one(db).await
}

/// Deletes published rows older than `days`, keeping the table small.
pub async fn prune(db: impl PgExecutor<'_>, days: i32) -> Result<u64, sqlx::Error> {
    let done = sqlx::query("DELETE FROM outbox WHERE published_at < now() - make_interval(days => $1)")
        .bind(days)
        .execute(db)
        .await?;
    Ok(done.rows_affected())
}

#[cfg(test)]
mod tests {
    use super::*;
    use sqlx::PgPool;

    async fn write(pool: &PgPool, n: usize) {
        for _ in 0..n {
            let mut tx = pool.begin().await.expect("begin");
            let ev = CloudEvent::new("dev.gostoa.test.ping", "demo", None, serde_json::json!({}));
            enqueue(&mut tx, Topic::Platform, &ev).await.expect("enqueue");
            tx.commit().await.expect("commit");
        }
    }

    #[sqlx::test(migrations = "../migrations")]
    async fn a_claimed_row_is_skipped_by_other_claimers_until_released(pool: PgPool) {
        write(&pool, 3).await;
        let mut first = pool.begin().await.expect("begin");
        let a: Vec<i64> = claim(&mut first, 2).await.expect("claim").iter().map(|p| p.seq).collect();
        let mut second = pool.begin().await.expect("begin");
        let b: Vec<i64> = claim(&mut second, 10).await.expect("claim").iter().map(|p| p.seq).collect();
        assert_eq!(a.len(), 2);
        assert_eq!(b.len(), 1);
        assert!(a.iter().all(|s| !b.contains(s)), "no row claimed twice: {a:?} {b:?}");

        // The first claimer dies without publishing: its rows come back.
        first.rollback().await.expect("rollback");
        let mut third = pool.begin().await.expect("begin");
        let c: Vec<i64> = claim(&mut third, 10).await.expect("claim").iter().map(|p| p.seq).collect();
        assert_eq!(c, a);
    }

    #[sqlx::test(migrations = "../migrations")]
    async fn published_rows_leave_the_backlog(pool: PgPool) {
        write(&pool, 2).await;
        let mut tx = pool.begin().await.expect("begin");
        let seqs: Vec<i64> = claim(&mut tx, 10).await.expect("claim").iter().map(|p| p.seq).collect();
        mark_failed(&mut tx, &seqs[..1], "broker down").await.expect("fail");
        mark_published(&mut tx, &seqs[1..]).await.expect("publish");
        tx.commit().await.expect("commit");
        assert_eq!(backlog(&pool).await.expect("backlog"), 1);
    }
}

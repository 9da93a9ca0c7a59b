//! What the ingest reads and keeps besides the calls: the tenants and applications events
//! name, the Kafka offsets stored with the counts, and the dead letters.

use sqlx::{PgConnection, QueryBuilder};
use uuid::Uuid;

/// The application a consumer id names.
pub struct Consumer {
    pub client_id: String,
    pub application_id: Uuid,
    pub tenant_id: String,
}

/// Which of `ids` are tenants.
pub async fn known_tenants(db: &mut PgConnection, ids: &[String]) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT id FROM tenants WHERE id = ANY($1)").bind(ids).fetch_all(db).await
}

/// The applications these client ids name.
pub async fn consumers(db: &mut PgConnection, client_ids: &[String]) -> Result<Vec<Consumer>, sqlx::Error> {
    let rows: Vec<(String, Uuid, String)> =
        sqlx::query_as("SELECT client_id, id, tenant_id FROM applications WHERE client_id = ANY($1)")
            .bind(client_ids)
            .fetch_all(db)
            .await?;
    Ok(rows
        .into_iter()
        .map(|(client_id, application_id, tenant_id)| Consumer { client_id, application_id, tenant_id })
        .collect())
}

/// Where the ingest resumes reading `topic`: (partition, next offset).
pub async fn offsets(db: &mut PgConnection, topic: &str) -> Result<Vec<(i32, i64)>, sqlx::Error> {
    sqlx::query_as("SELECT partition, next_offset FROM metering_offsets WHERE topic = $1")
        .bind(topic)
        .fetch_all(db)
        .await
}

/// Records how far `topic` was counted (never backwards).
pub async fn store_offsets(
    db: &mut PgConnection,
    topic: &str,
    positions: &[(i32, i64)],
) -> Result<(), sqlx::Error> {
    if positions.is_empty() {
        return Ok(());
    }
    let (partitions, next): (Vec<i32>, Vec<i64>) = positions.iter().copied().unzip();
    sqlx::query(
        "INSERT INTO metering_offsets (topic, partition, next_offset)
         SELECT $1, p, n FROM unnest($2::int4[], $3::int8[]) AS x(p, n)
         ON CONFLICT (topic, partition) DO UPDATE
            SET next_offset = GREATEST(metering_offsets.next_offset, EXCLUDED.next_offset), updated_at = now()",
    )
    .bind(topic)
    .bind(&partitions)
    .bind(&next)
    .execute(db)
    .await?;
    Ok(())
}

/// A message that could not be counted.
pub struct DeadLetter {
    pub source: &'static str,
    pub position: Option<(String, i32, i64)>,
    pub reason: String,
    pub payload: String,
}

/// Most dead letters kept.
pub const DEAD_LETTERS_KEPT: i64 = 10_000;

/// Keeps `letters`, and only the newest [`DEAD_LETTERS_KEPT`].
pub async fn dead_letters(db: &mut PgConnection, letters: &[DeadLetter]) -> Result<(), sqlx::Error> {
    if letters.is_empty() {
        return Ok(());
    }
    let mut q = QueryBuilder::new(
        "INSERT INTO metering_dead_letters (source, topic, partition, kafka_offset, reason, payload) ",
    );
    q.push_values(letters, |mut b, l| {
        b.push_bind(l.source)
            .push_bind(l.position.as_ref().map(|p| p.0.clone()))
            .push_bind(l.position.as_ref().map(|p| p.1))
            .push_bind(l.position.as_ref().map(|p| p.2))
            .push_bind(&l.reason)
            .push_bind(&l.payload);
    });
    q.build().execute(&mut *db).await?;
    sqlx::query(
        "DELETE FROM metering_dead_letters WHERE id <= (SELECT max(id) FROM metering_dead_letters) - $1",
    )
    .bind(DEAD_LETTERS_KEPT)
    .execute(db)
    .await?;
    Ok(())
}

/// The newest dead letters: (reason, payload, offset).
pub async fn recent_dead_letters(
    db: &mut PgConnection,
    limit: i64,
) -> Result<Vec<(String, String, Option<i64>)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT reason, payload, kafka_offset FROM metering_dead_letters ORDER BY id DESC LIMIT $1",
    )
    .bind(limit)
    .fetch_all(db)
    .await
}

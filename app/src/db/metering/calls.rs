//! Raw calls: one row per counted call in day partitions (the raw window), and the ids
//! of late events (older than the window) seen, so that a re-delivered one counts once.

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::PgConnection;
use uuid::Uuid;

/// Makes the raw partition of `day` (a no-op when it exists).
pub async fn ensure_partition(db: &mut PgConnection, day: NaiveDate) -> Result<(), sqlx::Error> {
    sqlx::query("SELECT stoa_metering_partition($1)").bind(day).execute(db).await?;
    Ok(())
}

/// Drops the raw partitions of days before `keep_from`; how many.
pub async fn drop_raw_before(db: &mut PgConnection, keep_from: NaiveDate) -> Result<i32, sqlx::Error> {
    sqlx::query_scalar("SELECT stoa_metering_drop_before($1)").bind(keep_from).fetch_one(db).await
}

/// Forgets the ids of late events seen before `before`.
pub async fn forget_late_before(db: &mut PgConnection, before: DateTime<Utc>) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM metering_late_seen WHERE seen_at < $1").bind(before).execute(db).await?;
    Ok(())
}

/// Raw calls to store, column by column.
#[derive(Default)]
pub struct RawCalls {
    pub event_id: Vec<Uuid>,
    pub at: Vec<DateTime<Utc>>,
    pub tenant_id: Vec<String>,
    pub application_id: Vec<Option<Uuid>>,
    pub app_tenant_id: Vec<Option<String>>,
    pub consumer_id: Vec<String>,
    pub api: Vec<String>,
    pub tool_name: Vec<String>,
    pub action: Vec<String>,
    pub status: Vec<String>,
    pub http_method: Vec<Option<String>>,
    pub http_status: Vec<Option<i16>>,
    pub latency_ms: Vec<f64>,
    pub request_bytes: Vec<i64>,
    pub response_bytes: Vec<i64>,
    pub t_gateway_ms: Vec<f64>,
    pub t_backend_ms: Vec<f64>,
    pub try_it: Vec<bool>,
    pub gateway_id: Vec<Option<String>>,
}

/// Stores raw calls; returns the (event id, time) of those not seen before.
pub async fn insert_raw(
    db: &mut PgConnection,
    c: &RawCalls,
) -> Result<Vec<(Uuid, DateTime<Utc>)>, sqlx::Error> {
    if c.event_id.is_empty() {
        return Ok(vec![]);
    }
    sqlx::query_as(
        "INSERT INTO metering_calls (event_id, at, tenant_id, application_id, app_tenant_id, consumer_id, api,
                                     tool_name, action, status, http_method, http_status, latency_ms,
                                     request_bytes, response_bytes, t_gateway_ms, t_backend_ms, try_it, gateway_id)
         SELECT * FROM unnest($1::uuid[], $2::timestamptz[], $3::text[], $4::uuid[], $5::text[], $6::text[],
                              $7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::int2[],
                              $13::float8[], $14::int8[], $15::int8[], $16::float8[], $17::float8[],
                              $18::bool[], $19::text[])
         ON CONFLICT DO NOTHING
         RETURNING event_id, at",
    )
    .bind(&c.event_id)
    .bind(&c.at)
    .bind(&c.tenant_id)
    .bind(&c.application_id)
    .bind(&c.app_tenant_id)
    .bind(&c.consumer_id)
    .bind(&c.api)
    .bind(&c.tool_name)
    .bind(&c.action)
    .bind(&c.status)
    .bind(&c.http_method)
    .bind(&c.http_status)
    .bind(&c.latency_ms)
    .bind(&c.request_bytes)
    .bind(&c.response_bytes)
    .bind(&c.t_gateway_ms)
    .bind(&c.t_backend_ms)
    .bind(&c.try_it)
    .bind(&c.gateway_id)
    .fetch_all(db)
    .await
}

/// Notes events older than the raw window; returns those not seen before.
pub async fn insert_late(
    db: &mut PgConnection,
    ids: &[Uuid],
    ats: &[DateTime<Utc>],
) -> Result<Vec<(Uuid, DateTime<Utc>)>, sqlx::Error> {
    if ids.is_empty() {
        return Ok(vec![]);
    }
    sqlx::query_as(
        "INSERT INTO metering_late_seen (event_id, at) SELECT * FROM unnest($1::uuid[], $2::timestamptz[])
         ON CONFLICT DO NOTHING RETURNING event_id, at",
    )
    .bind(ids)
    .bind(ats)
    .fetch_all(db)
    .await
}

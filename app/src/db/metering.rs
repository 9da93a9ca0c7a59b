//! Metering's SQL: raw calls (day partitions), rollups with latency histograms, the
//! Kafka offsets stored with them, dead letters, quota counters and the usage reads.

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::{PgConnection, QueryBuilder};
use uuid::Uuid;

/// The application a consumer id names.
pub struct Consumer {
    pub client_id: String,
    pub application_id: Uuid,
    pub tenant_id: String,
}

/// Makes the raw partition of `day` (a no-op when it exists).
pub async fn ensure_partition(db: &mut PgConnection, day: NaiveDate) -> Result<(), sqlx::Error> {
    sqlx::query("SELECT stoa_metering_partition($1)").bind(day).execute(db).await?;
    Ok(())
}

/// Drops the raw partitions of days before `keep_from`; how many.
pub async fn drop_raw_before(db: &mut PgConnection, keep_from: NaiveDate) -> Result<i32, sqlx::Error> {
    sqlx::query_scalar("SELECT stoa_metering_drop_before($1)").bind(keep_from).fetch_one(db).await
}

/// Forgets rollups past their retention (minutes 7 days, hours 90 days) and the ids of
/// late events seen before `late_before`.
pub async fn prune(db: &mut PgConnection, late_before: DateTime<Utc>) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM usage_minute WHERE bucket < now() - interval '7 days'")
        .execute(&mut *db)
        .await?;
    sqlx::query("DELETE FROM usage_hour WHERE bucket < now() - interval '90 days'").execute(&mut *db).await?;
    sqlx::query("DELETE FROM metering_late_seen WHERE seen_at < $1")
        .bind(late_before)
        .execute(&mut *db)
        .await?;
    Ok(())
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

/// Rollup rows to add, column by column (keys unique within one call).
#[derive(Default)]
pub struct Rollups {
    pub bucket: Vec<DateTime<Utc>>,
    pub tenant_id: Vec<String>,
    pub application_id: Vec<Uuid>,
    pub app_tenant_id: Vec<Option<String>>,
    pub api: Vec<String>,
    pub tool_name: Vec<String>,
    pub status: Vec<String>,
    pub calls: Vec<i64>,
    pub errors: Vec<i64>,
    pub request_bytes: Vec<i64>,
    pub response_bytes: Vec<i64>,
    pub latency_sum_ms: Vec<f64>,
    /// Postgres array literals of the histograms.
    pub latency: Vec<String>,
}

/// Adds `r` to the rollup table of `granularity` (`minute`, `hour`, `day`).
pub async fn add_rollups(db: &mut PgConnection, granularity: &str, r: &Rollups) -> Result<(), sqlx::Error> {
    if r.bucket.is_empty() {
        return Ok(());
    }
    let table = match granularity {
        "minute" => "usage_minute",
        "hour" => "usage_hour",
        _ => "usage_day",
    };
    sqlx::query(&format!(
        "INSERT INTO {table} AS u (bucket, tenant_id, application_id, app_tenant_id, api, tool_name, status, calls,
                                   errors, request_bytes, response_bytes, latency_sum_ms, latency)
         SELECT b, t, a, at, api, tool, s, c, e, rq, rs, ls, l::bigint[]
         FROM unnest($1::timestamptz[], $2::text[], $3::uuid[], $4::text[], $5::text[], $6::text[], $7::text[],
                     $8::int8[], $9::int8[], $10::int8[], $11::int8[], $12::float8[], $13::text[])
              AS x(b, t, a, at, api, tool, s, c, e, rq, rs, ls, l)
         ORDER BY b, t, a, api, tool, s
         ON CONFLICT (bucket, tenant_id, application_id, api, tool_name, status) DO UPDATE
            SET calls = u.calls + EXCLUDED.calls, errors = u.errors + EXCLUDED.errors,
                request_bytes = u.request_bytes + EXCLUDED.request_bytes,
                response_bytes = u.response_bytes + EXCLUDED.response_bytes,
                latency_sum_ms = u.latency_sum_ms + EXCLUDED.latency_sum_ms,
                latency = stoa_hist_add(u.latency, EXCLUDED.latency)"
    ))
    .bind(&r.bucket)
    .bind(&r.tenant_id)
    .bind(&r.application_id)
    .bind(&r.app_tenant_id)
    .bind(&r.api)
    .bind(&r.tool_name)
    .bind(&r.status)
    .bind(&r.calls)
    .bind(&r.errors)
    .bind(&r.request_bytes)
    .bind(&r.response_bytes)
    .bind(&r.latency_sum_ms)
    .bind(&r.latency)
    .execute(db)
    .await?;
    Ok(())
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

/// Leases up to `want` calls of a quota of `limit` for `period` starting `starts`:
/// returns (calls granted, calls used across replicas after the lease).
pub async fn lease_quota(
    db: &mut PgConnection,
    subscription: Uuid,
    period: &str,
    starts: NaiveDate,
    want: i64,
    limit: i64,
) -> Result<(i64, i64), sqlx::Error> {
    sqlx::query("INSERT INTO quota_usage (subscription_id, period, starts) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING")
        .bind(subscription)
        .bind(period)
        .bind(starts)
        .execute(&mut *db)
        .await?;
    let used: i64 = sqlx::query_scalar(
        "SELECT used FROM quota_usage WHERE subscription_id = $1 AND period = $2 AND starts = $3 FOR UPDATE",
    )
    .bind(subscription)
    .bind(period)
    .bind(starts)
    .fetch_one(&mut *db)
    .await?;
    let granted = want.min(limit - used).max(0);
    if granted > 0 {
        sqlx::query(
            "UPDATE quota_usage SET used = used + $4 WHERE subscription_id = $1 AND period = $2 AND starts = $3",
        )
        .bind(subscription)
        .bind(period)
        .bind(starts)
        .bind(granted)
        .execute(&mut *db)
        .await?;
    }
    Ok((granted, used + granted))
}

/// Whose calls a usage query may read.
pub struct UsageScope<'a> {
    /// Every call (platform admins).
    pub every: bool,
    /// Calls of this user's applications.
    pub owner: Uuid,
    /// Calls to this tenant's APIs and of its applications (tenant admins).
    pub provider: Option<&'a str>,
}

/// The filters of a usage query.
pub struct UsageFilter<'a> {
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
    pub application_id: Option<Uuid>,
    pub api: Option<&'a str>,
    pub tool: Option<&'a str>,
    pub status: Option<&'a str>,
    pub tenant: Option<&'a str>,
}

/// One group's sums: key, calls, errors, request bytes, response bytes, latency sum, and
/// the merged histogram, per status.
#[derive(sqlx::FromRow)]
pub struct UsageSums {
    pub key: String,
    pub status: String,
    pub calls: i64,
    pub request_bytes: i64,
    pub response_bytes: i64,
    pub latency_sum_ms: f64,
    pub latency: Vec<i64>,
}

/// Sums the rollup of `granularity` over the filter, grouped by `group` (a column
/// expression: `bucket`, `application_id::text`, `api`, …) and status.
pub async fn usage(
    db: &mut PgConnection,
    granularity: &str,
    group: &str,
    scope: &UsageScope<'_>,
    f: &UsageFilter<'_>,
) -> Result<Vec<UsageSums>, sqlx::Error> {
    let table = match granularity {
        "minute" => "usage_minute",
        "hour" => "usage_hour",
        _ => "usage_day",
    };
    let key = match group {
        "bucket" => "to_char(bucket AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')",
        "application" => "application_id::text",
        "api" => "api",
        "tool" => "tool_name",
        "status" => "status",
        "tenant" => "tenant_id",
        _ => "''",
    };
    sqlx::query_as(&format!(
        "WITH f AS (
             SELECT {key} AS key, status, calls, request_bytes, response_bytes, latency_sum_ms, latency
             FROM {table}
             WHERE bucket >= $1 AND bucket < $2
               AND ($3 OR application_id IN (SELECT id FROM applications WHERE owner_id = $4)
                    OR ($5::text IS NOT NULL AND (tenant_id = $5 OR app_tenant_id = $5)))
               AND ($6::uuid IS NULL OR application_id = $6)
               AND ($7::text IS NULL OR api = $7)
               AND ($8::text IS NULL OR tool_name = $8)
               AND ($9::text IS NULL OR status = $9)
               AND ($10::text IS NULL OR tenant_id = $10)
         ),
         h AS (
             SELECT key, status, i, sum(n)::int8 AS n
             FROM f, unnest(f.latency) WITH ORDINALITY AS u(n, i)
             GROUP BY key, status, i
         )
         SELECT s.key, s.status, s.calls, s.request_bytes, s.response_bytes, s.latency_sum_ms,
                coalesce((SELECT array_agg(h.n ORDER BY h.i) FROM h WHERE h.key = s.key AND h.status = s.status),
                         '{{}}') AS latency
         FROM (SELECT key, status, sum(calls)::int8 AS calls, sum(request_bytes)::int8 AS request_bytes,
                      sum(response_bytes)::int8 AS response_bytes, sum(latency_sum_ms) AS latency_sum_ms
               FROM f GROUP BY key, status) s
         ORDER BY s.key, s.status"
    ))
    .bind(f.from)
    .bind(f.to)
    .bind(scope.every)
    .bind(scope.owner)
    .bind(scope.provider)
    .bind(f.application_id)
    .bind(f.api)
    .bind(f.tool)
    .bind(f.status)
    .bind(f.tenant)
    .fetch_all(db)
    .await
}

/// Names of applications, by id.
pub async fn application_names(
    db: &mut PgConnection,
    ids: &[Uuid],
) -> Result<Vec<(Uuid, String)>, sqlx::Error> {
    sqlx::query_as("SELECT id, name FROM applications WHERE id = ANY($1)").bind(ids).fetch_all(db).await
}

/// Calls counted in the day rollups (every tenant; constant work per day kept).
pub async fn total_calls(db: &mut PgConnection) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT coalesce(sum(calls), 0)::int8 FROM usage_day").fetch_one(db).await
}

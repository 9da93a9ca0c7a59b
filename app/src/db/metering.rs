//! Metering's SQL: raw calls (day partitions), rollups with latency histograms, the
//! Kafka offsets stored with them, dead letters, quota counters and the usage reads.

use crate::domain::metering::{CallStatus, Histogram};
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::{PgConnection, QueryBuilder};
use std::collections::BTreeMap;
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

/// One counted call, as the rollups see it.
pub struct Counted<'a> {
    pub tenant: &'a str,
    /// None: a consumer that is not one of our applications.
    pub application: Option<Uuid>,
    pub app_tenant: Option<&'a str>,
    pub api: &'a str,
    pub tool: &'a str,
    pub status: CallStatus,
    pub request_bytes: u64,
    pub response_bytes: u64,
    pub latency_ms: f64,
}

/// A rollup key: bucket, tenant, application (nil: unknown), API, tool, status.
type Key = (DateTime<Utc>, String, Uuid, String, String, CallStatus);

#[derive(Default)]
struct Sums {
    app_tenant: Option<String>,
    calls: i64,
    errors: i64,
    request_bytes: i64,
    response_bytes: i64,
    latency_sum: f64,
    latency: Histogram,
}

/// Calls summed by rollup key, in key order (so that concurrent writers lock rows in
/// the same order).
#[derive(Default)]
pub struct RollupSums(BTreeMap<Key, Sums>);

impl RollupSums {
    /// Adds one call to the row of `bucket`.
    pub fn add(&mut self, bucket: DateTime<Utc>, c: &Counted<'_>) {
        let key = (
            bucket,
            c.tenant.to_owned(),
            c.application.unwrap_or(Uuid::nil()),
            c.api.to_owned(),
            c.tool.to_owned(),
            c.status,
        );
        let s = self.0.entry(key).or_default();
        s.app_tenant = c.app_tenant.map(str::to_owned);
        s.calls += 1;
        s.errors += i64::from(c.status != CallStatus::Success);
        s.request_bytes += c.request_bytes.min(i64::MAX as u64) as i64;
        s.response_bytes += c.response_bytes.min(i64::MAX as u64) as i64;
        s.latency_sum += c.latency_ms;
        s.latency.record(c.latency_ms);
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The rows, column by column, for [`add_rollups`].
    pub fn into_columns(self) -> Rollups {
        let mut r = Rollups::default();
        for ((bucket, tenant, app, api, tool, status), s) in self.0 {
            r.bucket.push(bucket);
            r.tenant_id.push(tenant);
            r.application_id.push(app);
            r.app_tenant_id.push(s.app_tenant);
            r.api.push(api);
            r.tool_name.push(tool);
            r.status.push(status.as_str().to_owned());
            r.calls.push(s.calls);
            r.errors.push(s.errors);
            r.request_bytes.push(s.request_bytes);
            r.response_bytes.push(s.response_bytes);
            r.latency_sum_ms.push(s.latency_sum);
            r.latency.push(s.latency.to_pg());
        }
        r
    }
}

/// Adds `r` to the rollup table of `granularity` (`minute`, `hour`, `day`), in
/// statements of at most 10 000 rows.
pub async fn add_rollups(db: &mut PgConnection, granularity: &str, r: &Rollups) -> Result<(), sqlx::Error> {
    let table = match granularity {
        "minute" => "usage_minute",
        "hour" => "usage_hour",
        _ => "usage_day",
    };
    let n = crate::domain::metering::BUCKETS;
    let columns: Vec<String> = (0..n).map(|i| format!("l{i}")).collect();
    let from_array: Vec<String> = (1..=n).map(|i| format!("l[{i}]")).collect();
    let add: Vec<String> = (0..n).map(|i| format!("l{i} = u.l{i} + EXCLUDED.l{i}")).collect();
    let sql = format!(
        "INSERT INTO {table} AS u (bucket, tenant_id, application_id, app_tenant_id, api, tool_name, status, calls,
                                   errors, request_bytes, response_bytes, latency_sum_ms, {columns})
         SELECT b, t, a, at, api, tool, s, c, e, rq, rs, ls, {from_array}
         FROM (SELECT *, l_text::bigint[] AS l
               FROM unnest($1::timestamptz[], $2::text[], $3::uuid[], $4::text[], $5::text[], $6::text[],
                           $7::text[], $8::int8[], $9::int8[], $10::int8[], $11::int8[], $12::float8[], $13::text[])
                    AS x(b, t, a, at, api, tool, s, c, e, rq, rs, ls, l_text)) y
         ORDER BY b, t, a, api, tool, s
         ON CONFLICT (bucket, tenant_id, application_id, api, tool_name, status) DO UPDATE
            SET calls = u.calls + EXCLUDED.calls, errors = u.errors + EXCLUDED.errors,
                request_bytes = u.request_bytes + EXCLUDED.request_bytes,
                response_bytes = u.response_bytes + EXCLUDED.response_bytes,
                latency_sum_ms = u.latency_sum_ms + EXCLUDED.latency_sum_ms, {add}",
        columns = columns.join(", "),
        from_array = from_array.join(", "),
        add = add.join(", "),
    );
    let mut from = 0;
    while from < r.bucket.len() {
        let to = (from + 10_000).min(r.bucket.len());
        sqlx::query(&sql)
            .bind(&r.bucket[from..to])
            .bind(&r.tenant_id[from..to])
            .bind(&r.application_id[from..to])
            .bind(&r.app_tenant_id[from..to])
            .bind(&r.api[from..to])
            .bind(&r.tool_name[from..to])
            .bind(&r.status[from..to])
            .bind(&r.calls[from..to])
            .bind(&r.errors[from..to])
            .bind(&r.request_bytes[from..to])
            .bind(&r.response_bytes[from..to])
            .bind(&r.latency_sum_ms[from..to])
            .bind(&r.latency[from..to])
            .execute(&mut *db)
            .await?;
        from = to;
    }
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

/// A rollup row's bucket as RFC 3339 text (the series' keys).
const BUCKET_TEXT: &str = "to_char(bucket AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')";

/// One group's sums per status: calls, bytes, latency sum and the merged histogram.
#[derive(sqlx::FromRow)]
pub struct UsageSums {
    /// `true`: a point of the series (key = its bucket); `false`: a group of the breakdown.
    pub series: bool,
    pub key: String,
    pub status: String,
    pub calls: i64,
    pub request_bytes: i64,
    pub response_bytes: i64,
    pub latency_sum_ms: f64,
    /// The merged histogram (one count per bucket).
    pub latency: Vec<i64>,
}

/// Sums the rollup of `granularity` over the filter in one pass: per bucket and status
/// (the series) and, when `group` names one, per group and status (`application`,
/// `api`, `tool`, `status`, `tenant`).
pub async fn usage(
    db: &mut PgConnection,
    granularity: &str,
    group: Option<&str>,
    scope: &UsageScope<'_>,
    f: &UsageFilter<'_>,
) -> Result<Vec<UsageSums>, sqlx::Error> {
    let table = match granularity {
        "minute" => "usage_minute",
        "hour" => "usage_hour",
        _ => "usage_day",
    };
    let key = match group {
        Some("application") => "application_id::text",
        Some("api") => "api",
        Some("tool") => "tool_name",
        Some("status") => "status",
        Some("tenant") => "tenant_id",
        _ => "NULL::text",
    };
    let sets = if group.is_some() { "(bucket, status), (g, status)" } else { "(bucket, status)" };
    let histogram: Vec<String> =
        (0..crate::domain::metering::BUCKETS).map(|i| format!("sum(l{i})::int8")).collect();
    sqlx::query_as(&format!(
        "SELECT {series} AS series,
                {key_of_row} AS key,
                status, sum(calls)::int8 AS calls, sum(request_bytes)::int8 AS request_bytes,
                sum(response_bytes)::int8 AS response_bytes, sum(latency_sum_ms) AS latency_sum_ms,
                ARRAY[{histogram}] AS latency
         FROM (SELECT *, {key} AS g FROM {table}
               WHERE bucket >= $1 AND bucket < $2
                 AND ($3 OR application_id IN (SELECT id FROM applications WHERE owner_id = $4)
                      OR ($5::text IS NOT NULL AND (tenant_id = $5 OR app_tenant_id = $5)))
                 AND ($6::uuid IS NULL OR application_id = $6)
                 AND ($7::text IS NULL OR api = $7)
                 AND ($8::text IS NULL OR tool_name = $8)
                 AND ($9::text IS NULL OR status = $9)
                 AND ($10::text IS NULL OR tenant_id = $10)) f
         GROUP BY GROUPING SETS ({sets})",
        histogram = histogram.join(", "),
        // GROUPING() only takes an expression some set groups by.
        series = if group.is_some() { "grouping(g) = 1" } else { "true" },
        key_of_row = if group.is_some() {
            format!("CASE WHEN grouping(g) = 1 THEN {BUCKET_TEXT} ELSE coalesce(g, '') END")
        } else {
            BUCKET_TEXT.to_owned()
        },
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

//! Metering's SQL: raw calls (day partitions), rollups with latency histograms, the
//! Kafka offsets stored with them, dead letters, quota counters and the usage reads.

use crate::domain::metering::{day_of, hour_of, minute_of, CallStatus, Histogram, BUCKETS};
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::{PgConnection, QueryBuilder};
use std::collections::{BTreeMap, HashMap};
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

/// The views each rollup table keeps (migration `usage_views`): which dimensions a row
/// of the view keeps; the others are folded ('' or the nil uuid).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum View {
    /// Tenant, consumer's tenant, application, API, tool, status.
    Fine = 0,
    /// Consumer's tenant, application.
    Application = 1,
    /// Tenant, API.
    Api = 2,
    /// Tenant, consumer's tenant.
    Pair = 3,
    /// Tenant.
    Tenant = 4,
    /// Nothing: every call of the platform.
    Total = 5,
    /// Tenant, consumer's tenant, API, tool: a breakdown by operation without the fine
    /// view's applications and statuses (a fifth of its rows).
    Tool = 6,
    /// Tenant, API, tool: one tenant's breakdown by operation, a third fewer rows again.
    ApiTool = 7,
    /// Tool: the platform's breakdown by operation (one row per tool and bucket).
    Tools = 8,
}

/// Dimensions of a rollup row, as a set (for [`View::covering`]).
pub mod dim {
    pub const TENANT: u8 = 1;
    pub const APP_TENANT: u8 = 2;
    pub const APPLICATION: u8 = 4;
    pub const API: u8 = 8;
    pub const TOOL: u8 = 16;
    pub const STATUS: u8 = 32;
}

impl View {
    pub const ALL: [View; 9] = [
        View::Fine,
        View::Application,
        View::Api,
        View::Pair,
        View::Tenant,
        View::Total,
        View::Tool,
        View::ApiTool,
        View::Tools,
    ];

    /// The dimensions the view keeps.
    pub fn dims(self) -> u8 {
        use dim::*;
        match self {
            View::Fine => TENANT | APP_TENANT | APPLICATION | API | TOOL | STATUS,
            View::Application => APP_TENANT | APPLICATION,
            View::Api => TENANT | API,
            View::Pair => TENANT | APP_TENANT,
            View::Tenant => TENANT,
            View::Total => 0,
            View::Tool => TENANT | APP_TENANT | API | TOOL,
            View::ApiTool => TENANT | API | TOOL,
            View::Tools => TOOL,
        }
    }

    /// The view with the fewest rows that keeps every dimension of `needed`.
    pub fn covering(needed: u8) -> View {
        // From the smallest: a tenant has a few APIs, each called by a few applications.
        [
            View::Total,
            View::Tenant,
            View::Tools,
            View::Pair,
            View::Api,
            View::Application,
            View::ApiTool,
            View::Tool,
            View::Fine,
        ]
        .into_iter()
        .find(|v| v.dims() & needed == needed)
        .unwrap_or(View::Fine)
    }

    /// What `c` counts as in this view: (tenant, consumer's tenant, application, API, tool,
    /// status), folded dimensions empty.
    fn key_of<'a>(self, c: &Counted<'a>) -> (&'a str, &'a str, Uuid, &'a str, &'a str, &'static str) {
        let keeps = |d: u8| self.dims() & d != 0;
        (
            if keeps(dim::TENANT) { c.tenant } else { "" },
            if keeps(dim::APP_TENANT) { c.app_tenant.unwrap_or("") } else { "" },
            if keeps(dim::APPLICATION) { c.application.unwrap_or(Uuid::nil()) } else { Uuid::nil() },
            if keeps(dim::API) { c.api } else { "" },
            if keeps(dim::TOOL) { c.tool } else { "" },
            if keeps(dim::STATUS) { c.status.as_str() } else { "" },
        )
    }
}

/// Rollup rows to add, column by column (keys unique within one call).
#[derive(Default)]
pub struct Rollups {
    pub bucket: Vec<DateTime<Utc>>,
    pub view: Vec<i16>,
    pub tenant_id: Vec<String>,
    pub app_tenant_id: Vec<String>,
    pub application_id: Vec<Uuid>,
    pub api: Vec<String>,
    pub tool_name: Vec<String>,
    pub status: Vec<String>,
    pub calls: Vec<i64>,
    /// Calls per status, in [`STATUS_COLUMNS`] order.
    pub by_status: [Vec<i64>; 5],
    pub request_bytes: Vec<i64>,
    pub response_bytes: Vec<i64>,
    pub latency_sum_ms: Vec<f64>,
    /// The histograms, bucket by bucket (`latency[i][row]`).
    pub latency: Vec<Vec<i64>>,
}

impl Rollups {
    /// The same rows with every sum negated: adding them takes calls back out.
    pub fn negated(mut self) -> Rollups {
        let neg = |v: &mut Vec<i64>| v.iter_mut().for_each(|n| *n = -*n);
        neg(&mut self.calls);
        self.by_status.iter_mut().for_each(neg);
        neg(&mut self.request_bytes);
        neg(&mut self.response_bytes);
        self.latency_sum_ms.iter_mut().for_each(|n| *n = -*n);
        self.latency.iter_mut().for_each(neg);
        self
    }
}

/// Deletes the rollup rows left without calls (after calls were taken back out).
pub async fn drop_empty_rollups(db: &mut PgConnection) -> Result<u64, sqlx::Error> {
    let mut n = 0;
    for g in ["minute", "hour", "day"] {
        n += sqlx::query(&format!("DELETE FROM {} WHERE calls = 0", rollup_table(g)))
            .execute(&mut *db)
            .await?
            .rows_affected();
    }
    Ok(n)
}

/// The per-status count columns, in the order of [`Rollups::by_status`].
pub const STATUS_COLUMNS: [(CallStatus, &str); 5] = [
    (CallStatus::Success, "success"),
    (CallStatus::Error, "failed"),
    (CallStatus::RateLimited, "rate_limited"),
    (CallStatus::PolicyDenied, "policy_denied"),
    (CallStatus::NotFound, "not_found"),
];

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

/// A rollup key: bucket, view, tenant, consumer's tenant, application (nil: unknown or
/// folded), API, tool, status.
type Key = (DateTime<Utc>, View, String, String, Uuid, String, String, &'static str);

#[derive(Default)]
struct Sums {
    calls: i64,
    by_status: [i64; 5],
    request_bytes: i64,
    response_bytes: i64,
    latency_sum: f64,
    latency: Histogram,
}

impl Sums {
    /// Counts one call.
    fn count(&mut self, c: &Counted<'_>) {
        let status = STATUS_COLUMNS.iter().position(|(s, _)| *s == c.status).unwrap_or(1);
        self.calls += 1;
        self.by_status[status] += 1;
        self.request_bytes = self.request_bytes.saturating_add(c.request_bytes.min(i64::MAX as u64) as i64);
        self.response_bytes =
            self.response_bytes.saturating_add(c.response_bytes.min(i64::MAX as u64) as i64);
        self.latency_sum += c.latency_ms;
        self.latency.record(c.latency_ms);
    }

    /// Adds another row's sums.
    fn merge(&mut self, o: &Sums) {
        self.calls += o.calls;
        for (mine, theirs) in self.by_status.iter_mut().zip(o.by_status) {
            *mine += theirs;
        }
        self.request_bytes = self.request_bytes.saturating_add(o.request_bytes);
        self.response_bytes = self.response_bytes.saturating_add(o.response_bytes);
        self.latency_sum += o.latency_sum;
        self.latency.merge(&o.latency.0);
    }
}

/// Calls summed by rollup key, in key order (so that concurrent writers lock rows in
/// the same order).
#[derive(Default)]
pub struct RollupSums(BTreeMap<Key, Sums>);

impl RollupSums {
    /// Adds the sums of calls that share `c`'s dimensions to the rows of `bucket`.
    fn merge(&mut self, bucket: DateTime<Utc>, c: &Counted<'_>, sums: &Sums) {
        for view in View::ALL {
            let (t, ct, a, api, tool, s) = view.key_of(c);
            let key = (bucket, view, t.to_owned(), ct.to_owned(), a, api.to_owned(), tool.to_owned(), s);
            self.0.entry(key).or_default().merge(sums);
        }
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The rows, column by column, for [`add_rollups`].
    pub fn into_columns(self) -> Rollups {
        let n = self.0.len();
        let mut r =
            Rollups { latency: (0..BUCKETS).map(|_| Vec::with_capacity(n)).collect(), ..Default::default() };
        for ((bucket, view, tenant, app_tenant, app, api, tool, status), s) in self.0 {
            r.bucket.push(bucket);
            r.view.push(view as i16);
            r.tenant_id.push(tenant);
            r.app_tenant_id.push(app_tenant);
            r.application_id.push(app);
            r.api.push(api);
            r.tool_name.push(tool);
            r.status.push(status.to_owned());
            r.calls.push(s.calls);
            for (column, n) in r.by_status.iter_mut().zip(s.by_status) {
                column.push(n);
            }
            r.request_bytes.push(s.request_bytes);
            r.response_bytes.push(s.response_bytes);
            r.latency_sum_ms.push(s.latency_sum);
            for (column, n) in r.latency.iter_mut().zip(&s.latency.0) {
                column.push((*n).min(i64::MAX as u64) as i64);
            }
        }
        r
    }
}

/// A call's dimensions at its minute: the finest row a batch sums into.
type FineKey<'a> = (DateTime<Utc>, &'a str, Option<Uuid>, Option<&'a str>, &'a str, &'a str, CallStatus);

/// A batch's calls summed per minute and fine key first (one map update per call), then
/// spread into every view of the minute, hour and day rollups (one update per fine row).
#[derive(Default)]
pub struct Tally<'a>(HashMap<FineKey<'a>, Sums>);

impl<'a> Tally<'a> {
    /// Counts a call made at `at`.
    pub fn add(&mut self, at: DateTime<Utc>, c: &Counted<'a>) {
        let key = (minute_of(at), c.tenant, c.application, c.app_tenant, c.api, c.tool, c.status);
        self.0.entry(key).or_default().count(c);
    }

    /// The rows to add to the minute, hour and day rollups.
    pub fn rollups(&self) -> [RollupSums; 3] {
        let mut out = [RollupSums::default(), RollupSums::default(), RollupSums::default()];
        for ((minute, tenant, application, app_tenant, api, tool, status), sums) in &self.0 {
            let c = Counted {
                tenant,
                application: *application,
                app_tenant: *app_tenant,
                api,
                tool,
                status: *status,
                request_bytes: 0,
                response_bytes: 0,
                latency_ms: 0.0,
            };
            for (rollup, bucket) in out.iter_mut().zip([*minute, hour_of(*minute), day_of(*minute)]) {
                rollup.merge(bucket, &c, sums);
            }
        }
        out
    }
}

/// The rollup table of a granularity (`minute`, `hour`, `day`).
fn rollup_table(granularity: &str) -> &'static str {
    match granularity {
        "minute" => "usage_minute",
        "hour" => "usage_hour",
        _ => "usage_day",
    }
}

/// Adds `r` to the rollup table of `granularity` (`minute`, `hour`, `day`), in
/// statements of at most 10 000 rows.
pub async fn add_rollups(db: &mut PgConnection, granularity: &str, r: &Rollups) -> Result<(), sqlx::Error> {
    let table = rollup_table(granularity);
    let statuses: Vec<&str> = STATUS_COLUMNS.iter().map(|(_, c)| *c).collect();
    let histogram: Vec<String> = (0..BUCKETS).map(|i| format!("l{i}")).collect();
    // $1…$17: the key and the sums; $18…: the histogram's buckets.
    let arrays: Vec<String> = (18..18 + BUCKETS).map(|i| format!("${i}::int8[]")).collect();
    let add: Vec<String> = statuses
        .iter()
        .map(|c| c.to_string())
        .chain(["calls".into(), "request_bytes".into(), "response_bytes".into(), "latency_sum_ms".into()])
        .chain(histogram.iter().cloned())
        .map(|c| format!("{c} = u.{c} + EXCLUDED.{c}"))
        .collect();
    let sql = format!(
        "INSERT INTO {table} AS u (bucket, view, tenant_id, app_tenant_id, application_id, api, tool_name, status,
                                   calls, {statuses}, request_bytes, response_bytes, latency_sum_ms, {histogram})
         SELECT * FROM unnest($1::timestamptz[], $2::int2[], $3::text[], $4::text[], $5::uuid[], $6::text[],
                              $7::text[], $8::text[], $9::int8[], $10::int8[], $11::int8[], $12::int8[],
                              $13::int8[], $14::int8[], $15::int8[], $16::int8[], $17::float8[], {arrays})
         ON CONFLICT (view, bucket, tenant_id, app_tenant_id, application_id, api, tool_name, status) DO UPDATE
            SET {add}",
        statuses = statuses.join(", "),
        histogram = histogram.join(", "),
        arrays = arrays.join(", "),
        add = add.join(", "),
    );
    let mut from = 0;
    while from < r.bucket.len() {
        let to = (from + 10_000).min(r.bucket.len());
        let mut q = sqlx::query(&sql)
            .bind(&r.bucket[from..to])
            .bind(&r.view[from..to])
            .bind(&r.tenant_id[from..to])
            .bind(&r.app_tenant_id[from..to])
            .bind(&r.application_id[from..to])
            .bind(&r.api[from..to])
            .bind(&r.tool_name[from..to])
            .bind(&r.status[from..to])
            .bind(&r.calls[from..to]);
        for column in &r.by_status {
            q = q.bind(&column[from..to]);
        }
        q = q
            .bind(&r.request_bytes[from..to])
            .bind(&r.response_bytes[from..to])
            .bind(&r.latency_sum_ms[from..to]);
        for column in &r.latency {
            q = q.bind(&column[from..to]);
        }
        q.execute(&mut *db).await?;
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

/// The filters of a usage query (its period is given per read).
#[derive(Default)]
pub struct UsageFilter<'a> {
    pub application_id: Option<Uuid>,
    pub api: Option<&'a str>,
    pub tool: Option<&'a str>,
    pub status: Option<&'a str>,
    pub tenant: Option<&'a str>,
}

/// A rollup row's bucket as RFC 3339 text (the series' keys).
const BUCKET_TEXT: &str = "to_char(bucket AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')";
/// The first instant of a bucket's month (UTC), as RFC 3339.
const MONTH_TEXT: &str =
    "to_char(date_trunc('month', bucket AT TIME ZONE 'UTC'), 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')";

/// One group's (or one point's) sums: calls per status, bytes, latency sum and the
/// merged histogram.
#[derive(sqlx::FromRow)]
pub struct UsageSums {
    pub key: String,
    pub calls: i64,
    pub success: i64,
    pub failed: i64,
    pub rate_limited: i64,
    pub policy_denied: i64,
    pub not_found: i64,
    pub request_bytes: i64,
    pub response_bytes: i64,
    pub latency_sum_ms: f64,
    /// The merged histogram (one count per bucket).
    pub latency: Vec<i64>,
}

/// A range of one rollup's rows (`minute`, `hour`, `day`), added to a breakdown or taken
/// away from it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Tile {
    pub rollup: &'static str,
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
    pub minus: bool,
}

impl Tile {
    pub fn plus(rollup: &'static str, from: DateTime<Utc>, to: DateTime<Utc>) -> Tile {
        Tile { rollup, from, to, minus: false }
    }

    pub fn minus(rollup: &'static str, from: DateTime<Utc>, to: DateTime<Utc>) -> Tile {
        Tile { rollup, from, to, minus: true }
    }
}

/// Rows of `view` in `table` over [from, to), the scope and the filters.
fn push_rows<'a>(
    qb: &mut QueryBuilder<'a, sqlx::Postgres>,
    table: &str,
    view: View,
    (from, to): (DateTime<Utc>, DateTime<Utc>),
    scope: &UsageScope<'a>,
    f: &UsageFilter<'a>,
) {
    qb.push(format!(" FROM {table} WHERE view = "))
        .push_bind(view as i16)
        .push(" AND bucket >= ")
        .push_bind(from)
        .push(" AND bucket < ")
        .push_bind(to);
    // Folded dimensions ('' or nil) match no one: the caller picks a view that keeps the
    // dimensions its scope needs (View::covering).
    push_scope(qb, "", scope, f);
}

/// The scope's and the filters' conditions on rollup rows or raw calls (their columns
/// named with `prefix`).
fn push_scope<'a>(
    qb: &mut QueryBuilder<'a, sqlx::Postgres>,
    prefix: &str,
    scope: &UsageScope<'a>,
    f: &UsageFilter<'a>,
) {
    if !scope.every {
        match scope.provider {
            // Its own applications are its tenant's: both sides say it all, and each
            // side is an index (a sub-select in the OR would scan the table).
            Some(t) => {
                qb.push(format!(" AND ({prefix}tenant_id = "))
                    .push_bind(t)
                    .push(format!(" OR {prefix}app_tenant_id = "))
                    .push_bind(t)
                    .push(")");
            }
            None => {
                qb.push(format!(
                    " AND {prefix}application_id IN (SELECT id FROM applications WHERE owner_id = "
                ))
                .push_bind(scope.owner)
                .push(")");
            }
        }
    }
    if let Some(a) = f.application_id {
        qb.push(format!(" AND {prefix}application_id = ")).push_bind(a);
    }
    if let Some(api) = f.api {
        qb.push(format!(" AND {prefix}api = ")).push_bind(api);
    }
    if let Some(tool) = f.tool {
        qb.push(format!(" AND {prefix}tool_name = ")).push_bind(tool);
    }
    if let Some(s) = f.status {
        qb.push(format!(" AND {prefix}status = ")).push_bind(s);
    }
    if let Some(t) = f.tenant {
        qb.push(format!(" AND {prefix}tenant_id = ")).push_bind(t);
    }
}

/// The sums' select list, after the key; without `latency`, an empty histogram (summing
/// its 82 buckets is two thirds of a breakdown's time).
fn sums_columns(sign: &str, latency: bool) -> String {
    let statuses: Vec<String> =
        STATUS_COLUMNS.iter().map(|(_, c)| format!("({sign}sum({c}))::int8 AS {c}")).collect();
    let histogram = if latency {
        let buckets: Vec<String> = (0..BUCKETS).map(|i| format!("({sign}sum(l{i}))::int8")).collect();
        format!("ARRAY[{}]", buckets.join(", "))
    } else {
        "'{}'::int8[]".to_owned()
    };
    format!(
        "({sign}sum(calls))::int8 AS calls, {}, ({sign}sum(request_bytes))::int8 AS request_bytes,
         ({sign}sum(response_bytes))::int8 AS response_bytes, {sign}sum(latency_sum_ms) AS latency_sum_ms,
         {histogram} AS latency",
        statuses.join(", "),
    )
}

/// Settings of the transaction for usage reads, which sum ~90 columns over a few
/// thousand wide rows: no JIT (the estimate crosses its threshold, and compiling costs
/// more, tens of ms, than the sums); grouping by hashing, in memory — the row-level
/// security filter makes Postgres expect a few dozen rows and sort them, and sorting
/// thousands of 700-byte rows costs as much as summing them. These reads have no
/// ORDER BY. No parallel workers: a dashboard already runs its reads on two connections
/// at once, and workers on top of them only queue for the same cores (platform-wide
/// dashboards were 10–20 % slower with them).
pub async fn for_sums(db: &mut PgConnection) -> Result<(), sqlx::Error> {
    sqlx::query(
        "SELECT set_config('jit', 'off', true), set_config('work_mem', '32MB', true),
                set_config('enable_sort', 'off', true), set_config('max_parallel_workers_per_gather', '0', true)",
    )
    .execute(db)
    .await?;
    Ok(())
}

/// The series: sums per bucket of `granularity`'s rollup, read from `view`.
pub async fn usage_series(
    db: &mut PgConnection,
    granularity: &str,
    view: View,
    period: (DateTime<Utc>, DateTime<Utc>),
    scope: &UsageScope<'_>,
    f: &UsageFilter<'_>,
) -> Result<Vec<UsageSums>, sqlx::Error> {
    // Months are summed from the day rows.
    let (key, group) = if granularity == "month" { (MONTH_TEXT, "1") } else { (BUCKET_TEXT, "bucket") };
    let mut qb = QueryBuilder::new(format!("SELECT {key} AS key, {}", sums_columns("", true)));
    push_rows(&mut qb, rollup_table(granularity), view, period, scope, f);
    qb.push(format!(" GROUP BY {group}"));
    qb.build_query_as().fetch_all(db).await
}

/// How much of each group a breakdown reads: the latency histogram or not, and every
/// group or only `keys`.
#[derive(Clone, Copy, Debug)]
pub struct Detail<'a> {
    pub latency: bool,
    pub keys: Option<&'a [String]>,
}

impl Detail<'_> {
    /// Every group, with its histogram.
    pub const FULL: Detail<'static> = Detail { latency: true, keys: None };
}

/// The breakdown: sums per `group` (`application`, `api`, `tool`, `status`, `tenant`)
/// over `parts` — (granularity, from, to) ranges that tile the period, so that whole
/// days are read from day rows and only the edges from finer ones. One row per group
/// and part: the caller adds a group's rows.
pub async fn usage_breakdown(
    db: &mut PgConnection,
    group: &str,
    view: View,
    parts: &[Tile],
    scope: &UsageScope<'_>,
    f: &UsageFilter<'_>,
    detail: Detail<'_>,
) -> Result<Vec<UsageSums>, sqlx::Error> {
    let key = match group {
        "application" => "application_id::text",
        // Slugs are unique within a tenant only.
        "api" => "tenant_id || '/' || api",
        "tool" => "tool_name",
        "status" => "status",
        "tenant" => "tenant_id",
        // One group: the period's totals.
        _ => "''::text",
    };
    if parts.is_empty() {
        return Ok(Vec::new());
    }
    let mut qb = QueryBuilder::new("");
    for (i, t) in parts.iter().enumerate() {
        if i > 0 {
            qb.push(" UNION ALL ");
        }
        let sign = if t.minus { "-" } else { "" };
        qb.push(format!("(SELECT {key} AS key, {}", sums_columns(sign, detail.latency)));
        push_rows(&mut qb, rollup_table(t.rollup), view, (t.from, t.to), scope, f);
        if let Some(keys) = detail.keys {
            qb.push(format!(" AND {key} = ANY(")).push_bind(keys.to_vec()).push(")");
        }
        qb.push(format!(" GROUP BY {key})"));
    }
    qb.build_query_as().fetch_all(db).await
}

/// One raw call, as the last calls list shows it.
#[derive(sqlx::FromRow)]
pub struct CallRow {
    pub event_id: Uuid,
    pub at: DateTime<Utc>,
    pub application_id: Option<Uuid>,
    pub application: Option<String>,
    pub tenant_id: String,
    pub api: String,
    pub tool_name: String,
    pub status: String,
    pub http_method: Option<String>,
    pub http_status: Option<i16>,
    pub latency_ms: f64,
    pub request_bytes: i64,
    pub response_bytes: i64,
    pub try_it: bool,
}

/// Raw calls over [from, to) in the scope and the filters, newest first, strictly
/// before `before` (the previous page's last call) when given: `limit` of them.
pub async fn recent_calls(
    db: &mut PgConnection,
    (from, to): (DateTime<Utc>, DateTime<Utc>),
    before: Option<(DateTime<Utc>, Uuid)>,
    scope: &UsageScope<'_>,
    f: &UsageFilter<'_>,
    limit: i64,
) -> Result<Vec<CallRow>, sqlx::Error> {
    let mut qb = QueryBuilder::new(
        "SELECT c.event_id, c.at, c.application_id, a.name AS application, c.tenant_id, c.api, c.tool_name,
                c.status, c.http_method, c.http_status, c.latency_ms, c.request_bytes, c.response_bytes, c.try_it
         FROM metering_calls c LEFT JOIN applications a ON a.id = c.application_id WHERE c.at >= ",
    );
    qb.push_bind(from).push(" AND c.at < ").push_bind(to);
    if let Some((at, id)) = before {
        qb.push(" AND (c.at, c.event_id) < (").push_bind(at).push(", ").push_bind(id).push(")");
    }
    push_scope(&mut qb, "c.", scope, f);
    qb.push(" ORDER BY c.at DESC, c.event_id DESC LIMIT ").push_bind(limit);
    qb.build_query_as().fetch_all(db).await
}

/// One active subscription of a user's application, with its plan's quotas and the calls
/// it was admitted today and this month (counted from the day rollups: calls that
/// passed the plan's limits — succeeded or failed upstream).
#[derive(sqlx::FromRow)]
pub struct QuotaUse {
    pub application_id: Uuid,
    pub application: String,
    pub api_tenant_id: String,
    pub slug: String,
    pub name: String,
    pub kind: String,
    pub plan: Option<String>,
    pub daily_quota: Option<i32>,
    pub monthly_quota: Option<i32>,
    pub today: i64,
    pub month: i64,
}

/// The active subscriptions of `owner`'s applications (one application when given) and
/// their use since `day` and since `month` (both bucket starts of the day rollup).
pub async fn quota_use(
    db: &mut PgConnection,
    owner: Uuid,
    application: Option<Uuid>,
    day: DateTime<Utc>,
    month: DateTime<Utc>,
) -> Result<Vec<QuotaUse>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT s.application_id, a.name AS application, i.tenant_id AS api_tenant_id, i.slug, i.name, i.kind,
                p.name AS plan, p.daily_quota, p.monthly_quota,
                coalesce(u.today, 0)::int8 AS today, coalesce(u.month, 0)::int8 AS month
         FROM subscriptions s
         JOIN applications a ON a.id = s.application_id
         JOIN catalog_items i ON i.id = s.item_id
         LEFT JOIN plans p ON p.id = s.plan_id
         LEFT JOIN LATERAL (
             SELECT sum(d.success + d.failed) FILTER (WHERE d.bucket >= $3) AS today,
                    sum(d.success + d.failed) AS month
             FROM usage_day d
             WHERE d.view = {} AND d.application_id = s.application_id AND d.tenant_id = i.tenant_id
               AND d.api = i.slug AND d.bucket >= $4) u ON true
         WHERE a.owner_id = $1 AND s.state = 'active' AND ($2::uuid IS NULL OR s.application_id = $2)
         ORDER BY a.name, i.name",
        View::covering(dim::APPLICATION | dim::API | dim::TENANT) as i16
    ))
    .bind(owner)
    .bind(application)
    .bind(day)
    .bind(month)
    .fetch_all(db)
    .await
}

/// Whether any call of the scope was ever counted (the dashboards' empty state).
pub async fn any_call(db: &mut PgConnection, scope: &UsageScope<'_>) -> Result<bool, sqlx::Error> {
    let mut qb = QueryBuilder::new("SELECT EXISTS (SELECT 1");
    let view = match (scope.every, scope.provider) {
        (true, _) => View::Total,
        (false, Some(_)) => View::Pair,
        (false, None) => View::Application,
    };
    let ever = (DateTime::<Utc>::UNIX_EPOCH, Utc::now() + chrono::Duration::days(2));
    push_rows(&mut qb, "usage_day", view, ever, scope, &UsageFilter::default());
    qb.push(")");
    qb.build_query_scalar().fetch_one(db).await
}

/// Names and tenants of applications, by id.
pub async fn application_names(
    db: &mut PgConnection,
    ids: &[Uuid],
) -> Result<Vec<(Uuid, String, String)>, sqlx::Error> {
    sqlx::query_as("SELECT id, name, tenant_id FROM applications WHERE id = ANY($1)")
        .bind(ids)
        .fetch_all(db)
        .await
}

/// Calls counted in the day rollups (every tenant; constant work per day kept).
pub async fn total_calls(db: &mut PgConnection) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(&format!(
        "SELECT coalesce(sum(calls), 0)::int8 FROM usage_day WHERE view = {}",
        View::Total as i16
    ))
    .fetch_one(db)
    .await
}

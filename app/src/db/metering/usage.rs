//! Usage reads: series and breakdowns summed from the rollups, the last raw calls, quota
//! use and the dashboards' empty state.

use super::rollups::table;
use crate::domain::metering::rollup::{dim, Rollup, Tile, View, STATUS_COLUMNS};
use crate::domain::metering::BUCKETS;
use crate::model::metering::{Granularity, GroupBy};
use chrono::{DateTime, Utc};
use sqlx::{PgConnection, QueryBuilder};
use uuid::Uuid;

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

/// Rows of `view` in `rollup`'s table over [from, to), the scope and the filters.
fn push_rows<'a>(
    qb: &mut QueryBuilder<'a, sqlx::Postgres>,
    rollup: Rollup,
    view: View,
    (from, to): (DateTime<Utc>, DateTime<Utc>),
    scope: &UsageScope<'a>,
    f: &UsageFilter<'a>,
) {
    qb.push(format!(" FROM {} WHERE view = ", table(rollup)))
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

/// The series: sums per point of `granularity`, read from `view` of its rollup.
pub async fn usage_series(
    db: &mut PgConnection,
    granularity: Granularity,
    view: View,
    period: (DateTime<Utc>, DateTime<Utc>),
    scope: &UsageScope<'_>,
    f: &UsageFilter<'_>,
) -> Result<Vec<UsageSums>, sqlx::Error> {
    // Months are summed from the day rows.
    let (key, group) =
        if granularity == Granularity::Month { (MONTH_TEXT, "1") } else { (BUCKET_TEXT, "bucket") };
    let mut qb = QueryBuilder::new(format!("SELECT {key} AS key, {}", sums_columns("", true)));
    push_rows(&mut qb, granularity.rollup(), view, period, scope, f);
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

/// The breakdown: sums per `group` over `parts` — ranges of rollup rows that tile the
/// period, so that whole days are read from day rows and only the edges from finer ones.
/// One row per group and part: the caller adds a group's rows.
pub async fn usage_breakdown(
    db: &mut PgConnection,
    group: GroupBy,
    view: View,
    parts: &[Tile],
    scope: &UsageScope<'_>,
    f: &UsageFilter<'_>,
    detail: Detail<'_>,
) -> Result<Vec<UsageSums>, sqlx::Error> {
    let key = match group {
        GroupBy::Application => "application_id::text",
        // Slugs are unique within a tenant only.
        GroupBy::Api => "tenant_id || '/' || api",
        GroupBy::Tool => "tool_name",
        GroupBy::Status => "status",
        GroupBy::Tenant => "tenant_id",
        // One group: the period's totals.
        GroupBy::None => "''::text",
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
        push_rows(&mut qb, t.rollup, view, (t.from, t.to), scope, f);
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
    push_rows(&mut qb, Rollup::Day, view, ever, scope, &UsageFilter::default());
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

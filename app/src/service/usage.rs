//! Usage read back from the rollups and the raw calls: `GET /v1/usage`'s report and the
//! dashboards' (`/usage`, `/console/usage`) whole page in one transaction.

use crate::auth::CurrentUser;
use crate::db::metering::{self as db, dim, Detail, Tile, UsageFilter, UsageScope, UsageSums, View};
use crate::db::scope::{self, Visibility};
use crate::domain::metering::{day_of, hour_of, minute_of, month_of, CallStatus, Histogram, QuotaPeriod};
use crate::domain::permission::Permission;
use crate::error::AppError;
use crate::model::metering::{
    CallItem, Choice, DashboardQuery, Figures, Granularity, GroupBy, Period, QuotaBar, UsageDashboard,
    UsageGroup, UsagePoint, UsageQuery, UsageReport, BREAKDOWN_ROWS, MAX_POINTS,
};
use chrono::{DateTime, Datelike, Duration, NaiveDate, TimeZone, Utc};
use sqlx::PgConnection;
use std::collections::{BTreeMap, HashMap};
use uuid::Uuid;

/// Parses an RFC 3339 instant of a query.
/// Instants from 1970 to the year 9999: nothing was metered before, and a period (and
/// the one before it) stays within what RFC 3339 can write.
fn instant(field: &str, value: &str) -> Result<DateTime<Utc>, AppError> {
    let t = DateTime::parse_from_rfc3339(value.trim())
        .map(|t| t.with_timezone(&Utc))
        .map_err(|_| AppError::field(field, "invalid-instant"))?;
    if !(1970..=9999).contains(&t.year()) {
        return Err(AppError::field(field, "out-of-range"));
    }
    Ok(t)
}

/// The figures of rows of one group (one row per status and tile; a tile taken away
/// has negative sums, so rows are added signed and the result is never below zero).
fn figures(rows: &[&UsageSums]) -> Figures {
    let mut f = Figures::default();
    let mut signed = [0i64; 8];
    let mut buckets = vec![0i64; Histogram::default().0.len()];
    let mut sum = 0.0;
    for r in rows {
        let values = [
            r.calls,
            r.success,
            r.failed,
            r.rate_limited,
            r.policy_denied,
            r.not_found,
            r.request_bytes,
            r.response_bytes,
        ];
        for (total, v) in signed.iter_mut().zip(values) {
            *total += v;
        }
        sum += r.latency_sum_ms;
        for (bucket, n) in buckets.iter_mut().zip(&r.latency) {
            *bucket += n;
        }
    }
    let count = |n: i64| n.max(0) as u64;
    [
        f.calls,
        f.success,
        f.failed,
        f.rate_limited,
        f.policy_denied,
        f.not_found,
        f.request_bytes,
        f.response_bytes,
    ] = signed.map(count);
    let latency = Histogram(buckets.into_iter().map(count).collect());
    let sum = sum.max(0.0);
    f.errors = f.calls.saturating_sub(f.success);
    f.p50_ms = latency.quantile(0.50);
    f.p95_ms = latency.quantile(0.95);
    f.p99_ms = latency.quantile(0.99);
    f.mean_ms = (f.calls > 0).then(|| sum / f.calls as f64);
    f
}

/// The ranges of rollup rows whose sums are [from, to)'s (from on a boundary of `g`), so
/// that a breakdown reads as few rows as it can: whole days from day rows (whole hours
/// from hour rows for minutes), and each edge either from finer rows or as its coarse
/// row less the finer rows outside the period, whichever reads fewer. The coarse row of
/// a period that runs up to `now` holds nothing after it yet, so the last edge is that
/// row alone.
fn tiles(g: Granularity, from: DateTime<Utc>, to: DateTime<Utc>, now: DateTime<Utc>) -> Vec<Tile> {
    type Floor = fn(DateTime<Utc>) -> DateTime<Utc>;
    let (coarse, floor, width): (&str, Floor, Duration) = match g {
        Granularity::Minute => ("hour", hour_of, Duration::hours(1)),
        Granularity::Hour => ("day", day_of, Duration::days(1)),
        Granularity::Day | Granularity::Month => {
            return if from < to { vec![Tile::plus("day", from, to)] } else { vec![] }
        }
    };
    let fine = g.as_str();
    if from >= to {
        return vec![];
    }
    let start = floor(from);
    let mid_from = if start == from { from } else { start + width };
    let mid_to = floor(to);
    if mid_from > mid_to {
        // Within one coarse row.
        return vec![Tile::plus(fine, from, to)];
    }
    let mut parts = Vec::new();
    if from < mid_from {
        if from - start < mid_from - from {
            parts.extend([Tile::plus(coarse, start, mid_from), Tile::minus(fine, start, from)]);
        } else {
            parts.push(Tile::plus(fine, from, mid_from));
        }
    }
    if mid_from < mid_to {
        parts.push(Tile::plus(coarse, mid_from, mid_to));
    }
    if mid_to < to {
        let end = mid_to + width;
        if to >= now {
            parts.push(Tile::plus(coarse, mid_to, end));
        } else if end - to < to - mid_to {
            parts.extend([Tile::plus(coarse, mid_to, end), Tile::minus(fine, to, end)]);
        } else {
            parts.push(Tile::plus(fine, mid_to, to));
        }
    }
    // Adjacent coarse ranges read as one.
    let mut merged: Vec<Tile> = Vec::with_capacity(parts.len());
    for t in parts {
        match merged.iter_mut().find(|m| !m.minus && !t.minus && m.rollup == t.rollup && m.to == t.from) {
            Some(m) => m.to = t.to,
            None => merged.push(t),
        }
    }
    merged
}

/// A usage query understood: its period, buckets, scope and filters.
struct Selection<'a> {
    /// Start of the first bucket.
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    granularity: Granularity,
    points: i64,
    scope: UsageScope<'a>,
    filter: UsageFilter<'a>,
    /// The dimensions the scope and the filters need.
    needed: u8,
    /// When the selection was read.
    now: DateTime<Utc>,
}

impl<'a> Selection<'a> {
    /// Reads `q` for `user`; `scope` says whose calls.
    fn of(q: &'a UsageQuery, scope: UsageScope<'a>, now: DateTime<Utc>) -> Result<Selection<'a>, AppError> {
        let to = match &q.to {
            Some(t) => instant("to", t)?,
            None => now,
        };
        let period = q.period.unwrap_or_default();
        let from = match &q.from {
            Some(f) => instant("from", f)?,
            None if period == Period::Year => {
                to.checked_sub_months(chrono::Months::new(11)).unwrap_or(to - period.length())
            }
            None => to - period.length(),
        };
        if to < from {
            return Err(AppError::field("to", "before-from"));
        }
        let length = to - from;
        let granularity = q.granularity.unwrap_or(if period == Period::Year && q.from.is_none() {
            Granularity::Month
        } else {
            Granularity::for_length(length)
        });
        let width = granularity.width();
        // Buckets start on the granularity's boundaries.
        let from = match granularity {
            Granularity::Minute => minute_of(from),
            Granularity::Hour => hour_of(from),
            Granularity::Day => day_of(from),
            Granularity::Month => month_of(from),
        };
        let points = match granularity {
            Granularity::Month => {
                let months = |t: DateTime<Utc>| i64::from(t.year()) * 12 + i64::from(t.month0());
                months(to) - months(from) + i64::from(month_of(to) < to)
            }
            _ => ((to - from).num_seconds() + width.num_seconds() - 1) / width.num_seconds(),
        }
        .max(0);
        if points > MAX_POINTS {
            return Err(AppError::field("granularity", "too-many-points"));
        }
        let filter = UsageFilter {
            application_id: q.application_id,
            api: q.api.as_deref(),
            tool: q.tool.as_deref(),
            status: q.status.map(|s| s.as_str()),
            tenant: q.tenant.as_deref(),
        };
        // The dimensions the scope and the filters need: the smallest view keeping them is
        // read. A provider's own applications are its tenant's, so both sides suffice.
        let mut needed = match (scope.every, scope.provider) {
            (true, _) => 0,
            (false, Some(_)) => dim::TENANT | dim::APP_TENANT,
            (false, None) => dim::APPLICATION,
        };
        for (given, d) in [
            (filter.application_id.is_some(), dim::APPLICATION),
            (filter.api.is_some(), dim::API),
            (filter.tool.is_some(), dim::TOOL),
            (filter.status.is_some(), dim::STATUS),
            (filter.tenant.is_some(), dim::TENANT),
        ] {
            if given {
                needed |= d;
            }
        }
        Ok(Selection { from, to, granularity, points, scope, filter, needed, now })
    }

    /// The zero-filled series and its totals.
    async fn series(&self, tx: &mut PgConnection) -> Result<(Vec<UsagePoint>, Figures), AppError> {
        let rows = db::usage_series(
            tx,
            self.granularity.as_str(),
            View::covering(self.needed),
            (self.from, self.to),
            &self.scope,
            &self.filter,
        )
        .await?;
        let by_bucket: HashMap<&str, &UsageSums> = rows.iter().map(|r| (r.key.as_str(), r)).collect();
        let mut series = Vec::with_capacity(self.points as usize);
        let mut at = self.from;
        while at < self.to {
            let key = crate::db::rfc3339(at);
            let rows: Vec<&UsageSums> = by_bucket.get(key.as_str()).copied().into_iter().collect();
            series.push(UsagePoint { at: key, figures: figures(&rows) });
            at = self.granularity.next(at);
        }
        let all: Vec<&UsageSums> = rows.iter().collect();
        Ok((series, figures(&all)))
    }

    /// The breakdown by `group_by`, the most calls first.
    async fn groups(&self, tx: &mut PgConnection, group_by: GroupBy) -> Result<Vec<UsageGroup>, AppError> {
        self.groups_over(tx, group_by, (self.from, self.to)).await
    }

    /// The breakdown by `group_by` as a page shows it: every group's counts, and the
    /// latency percentiles of the `shown` busiest only (all of them when `None`). Summing
    /// the histograms of every group would cost twice the rest: a platform's 200
    /// applications over 30 days took 30 ms of the console dashboard's critical path.
    async fn groups_shown(
        &self,
        tx: &mut PgConnection,
        group_by: GroupBy,
        shown: Option<usize>,
    ) -> Result<Vec<UsageGroup>, AppError> {
        let Some(shown) = shown else { return self.groups(tx, group_by).await };
        let period = (self.from, self.to);
        let mut counted =
            self.read_groups(tx, group_by, period, Detail { latency: false, keys: None }).await?;
        let keys: Vec<String> = counted.iter().take(shown).map(|(raw, _)| raw.clone()).collect();
        if !keys.is_empty() {
            let timed =
                self.read_groups(tx, group_by, period, Detail { latency: true, keys: Some(&keys) }).await?;
            let timed: HashMap<String, Figures> =
                timed.into_iter().map(|(raw, g)| (raw, g.figures)).collect();
            for (raw, g) in counted.iter_mut().take(shown) {
                if let Some(f) = timed.get(raw.as_str()) {
                    g.figures = f.clone();
                }
            }
        }
        Ok(counted.into_iter().map(|(_, g)| g).collect())
    }

    async fn groups_over(
        &self,
        tx: &mut PgConnection,
        group_by: GroupBy,
        period: (DateTime<Utc>, DateTime<Utc>),
    ) -> Result<Vec<UsageGroup>, AppError> {
        let groups = self.read_groups(tx, group_by, period, Detail::FULL).await?;
        Ok(groups.into_iter().map(|(_, g)| g).collect())
    }

    /// The groups of the breakdown with their keys as stored, the most calls first.
    async fn read_groups(
        &self,
        tx: &mut PgConnection,
        group_by: GroupBy,
        (from, to): (DateTime<Utc>, DateTime<Utc>),
        detail: Detail<'_>,
    ) -> Result<Vec<(String, UsageGroup)>, AppError> {
        let (name, d) = match group_by {
            GroupBy::None => ("none", 0),
            GroupBy::Application => ("application", dim::APPLICATION),
            GroupBy::Api => ("api", dim::API | dim::TENANT),
            GroupBy::Tool => ("tool", dim::TOOL),
            GroupBy::Status => ("status", dim::STATUS),
            GroupBy::Tenant => ("tenant", dim::TENANT),
        };
        let parts = tiles(self.granularity, from, to, self.now);
        let view = View::covering(self.needed | d);
        let rows = db::usage_breakdown(tx, name, view, &parts, &self.scope, &self.filter, detail).await?;
        let mut by_group: BTreeMap<&str, Vec<&UsageSums>> = BTreeMap::new();
        for r in &rows {
            by_group.entry(r.key.as_str()).or_default().push(r);
        }
        let nil = Uuid::nil().to_string();
        let mut groups: Vec<(String, UsageGroup)> = by_group
            .into_iter()
            .map(|(key, rows)| {
                let unknown = group_by != GroupBy::None && (key == nil || key.is_empty());
                let group = UsageGroup {
                    key: if unknown { "unknown".to_owned() } else { key.to_owned() },
                    label: None,
                    tenant: None,
                    figures: figures(&rows),
                };
                (key.to_owned(), group)
            })
            .collect();
        // A group whose only rows were taken away (calls outside the period) is none.
        groups.retain(|(_, g)| g.figures.calls > 0);
        groups
            .sort_by(|(_, a), (_, b)| b.figures.calls.cmp(&a.figures.calls).then_with(|| a.key.cmp(&b.key)));
        Ok(groups)
    }
}

/// Names each application group with its application's name and tenant. The ids are
/// those of calls the user may see, so their names are read in the platform's scope: a
/// tenant admin sees the names of other tenants' applications calling its APIs (and
/// nothing else of them).
async fn name_applications(pool: &sqlx::PgPool, groups: &mut [UsageGroup]) -> Result<(), AppError> {
    let ids: Vec<Uuid> = groups.iter().filter_map(|g| Uuid::parse_str(&g.key).ok()).collect();
    if ids.is_empty() {
        return Ok(());
    }
    let mut tx = scope::begin(pool, scope::Scope::Platform).await?;
    let names: HashMap<String, (String, String)> = db::application_names(&mut tx, &ids)
        .await?
        .into_iter()
        .map(|(id, n, t)| (id.to_string(), (n, t)))
        .collect();
    tx.commit().await?;
    for g in groups {
        if let Some((name, tenant)) = names.get(&g.key) {
            g.label = Some(name.clone());
            g.tenant = Some(tenant.clone());
        }
    }
    Ok(())
}

/// Whose calls `user` may read where every visible call is wanted (`GET /v1/usage`, the
/// console): its own applications'; a tenant's admin also the calls to and of its
/// tenant; a platform admin every call.
fn visible_scope(user: &CurrentUser) -> UsageScope<'_> {
    let provider = user.may(Permission::ViewTenantUsage).then_some(user.tenant_id.as_str());
    UsageScope { every: Visibility::of(user) == Visibility::Every, owner: user.id, provider }
}

/// `GET /v1/usage`: the calls `user` may see over the query's period — the series, the
/// totals and the breakdown.
pub async fn usage(pool: &sqlx::PgPool, user: &CurrentUser, q: &UsageQuery) -> Result<UsageReport, AppError> {
    let sel = Selection::of(q, visible_scope(user), Utc::now())?;
    let group_by = q.group_by.unwrap_or_default();
    let mut tx = scope::begin(pool, Visibility::of(user).scope()).await?;
    db::for_sums(&mut tx).await?;
    let (series, totals) = sel.series(&mut tx).await?;
    let mut groups = match group_by {
        GroupBy::None => Vec::new(),
        g => sel.groups(&mut tx, g).await?,
    };
    tx.commit().await?;
    if group_by == GroupBy::Application {
        name_applications(pool, &mut groups).await?;
    }
    Ok(UsageReport {
        from: crate::db::rfc3339(sel.from),
        to: crate::db::rfc3339(sel.to),
        granularity: sel.granularity,
        group_by,
        totals,
        series,
        groups,
    })
}

/// Most days a custom period may span.
pub const MAX_CUSTOM_DAYS: i64 = 366;
/// Calls per page of the last calls list.
pub const CALLS_PER_PAGE: usize = 20;

/// The dashboard's selection as a usage query, or what is wrong with it (per field).
fn dashboard_query(
    dq: &DashboardQuery,
    now: DateTime<Utc>,
) -> Result<(UsageQuery, String, NaiveDate, NaiveDate), AppError> {
    let mut errors = Vec::new();
    let given = |v: &Option<String>| v.as_deref().map(str::trim).filter(|v| !v.is_empty()).map(str::to_owned);
    let period = given(&dq.period).unwrap_or_else(|| "24h".to_owned());
    let mut q = UsageQuery::default();
    let today = now.date_naive();
    let (mut from_day, mut to_day) = (today, today);
    match period.as_str() {
        "1h" | "24h" | "7d" | "30d" | "12m" => {
            let p: Period =
                serde_json::from_value(serde_json::Value::String(period.clone())).unwrap_or_default();
            q.period = Some(p);
            from_day = (now - p.length()).date_naive();
        }
        "custom" => {
            let day = |field: &str, v: &Option<String>| match given(v) {
                None => Err(crate::error::FieldError::new(field, "required")),
                Some(v) => NaiveDate::parse_from_str(&v, "%Y-%m-%d")
                    .map_err(|_| crate::error::FieldError::new(field, "invalid-date")),
            };
            match (day("from", &dq.from), day("to", &dq.to)) {
                (Ok(f), Ok(t)) if f > t => errors.push(crate::error::FieldError::new("to", "before-from")),
                (Ok(f), Ok(t)) if (t - f).num_days() >= MAX_CUSTOM_DAYS => {
                    errors.push(crate::error::FieldError::new("to", "too-long"))
                }
                (Ok(f), Ok(t)) => {
                    from_day = f;
                    to_day = t;
                    let start = Utc.from_utc_datetime(&f.and_hms_opt(0, 0, 0).unwrap_or_default());
                    let end = Utc
                        .from_utc_datetime(&(t + Duration::days(1)).and_hms_opt(0, 0, 0).unwrap_or_default());
                    q.from = Some(crate::db::rfc3339(start));
                    q.to = Some(crate::db::rfc3339(end.min(now.max(start))));
                }
                (f, t) => errors.extend([f.err(), t.err()].into_iter().flatten()),
            }
        }
        _ => errors.push(crate::error::FieldError::new("period", "unknown-period")),
    }
    if let Some(a) = given(&dq.application) {
        match Uuid::parse_str(&a) {
            Ok(id) => q.application_id = Some(id),
            Err(_) => errors.push(crate::error::FieldError::new("application", "unknown")),
        }
    }
    if let Some(api) = given(&dq.api) {
        match api.split_once('/') {
            Some((t, s)) if !t.is_empty() && !s.is_empty() => {
                q.tenant = Some(t.to_owned());
                q.api = Some(s.to_owned());
            }
            _ => errors.push(crate::error::FieldError::new("api", "unknown")),
        }
    }
    if let Some(s) = given(&dq.status) {
        match CallStatus::parse(&s) {
            Some(s) => q.status = Some(s),
            None => errors.push(crate::error::FieldError::new("status", "unknown")),
        }
    }
    if let Some(t) = given(&dq.tenant) {
        if q.tenant.as_deref().is_some_and(|at| at != t) {
            errors.push(crate::error::FieldError::new("tenant", "conflict"));
        }
        q.tenant = Some(t);
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    Ok((q, period, from_day, to_day))
}

/// `/usage` (`console` false: the calls of the user's own applications) and
/// `/console/usage` (the calls to and of the user's tenant; every call for a platform
/// admin): the whole page for one selection, read in one transaction.
pub async fn dashboard(
    pool: &sqlx::PgPool,
    user: &CurrentUser,
    dq: &DashboardQuery,
    console: bool,
    raw_days: u32,
) -> Result<UsageDashboard, AppError> {
    let now = Utc::now();
    let scope = dashboard_scope(user, console)?;
    let (q, period, from_day, to_day) = dashboard_query(dq, now)?;
    let sel = Selection::of(&q, scope, now)?;
    // The breakdown shown whole has every group's percentiles; the others their busiest.
    let shown = |which: &str| (dq.all.as_deref() != Some(which)).then_some(BREAKDOWN_ROWS);
    let before = match dq.before.as_deref().filter(|b| !b.is_empty()) {
        None => None,
        Some(b) => Some(
            b.split_once('~')
                .and_then(|(at, id)| Some((instant("before", at).ok()?, Uuid::parse_str(id).ok()?)))
                .ok_or_else(|| AppError::field("before", "invalid"))?,
        ),
    };
    let length = sel.to - sel.from;
    // The page's reads in two halves, on two connections at once (each its own
    // transaction in the user's scope): the page waits for the slower half, not the sum.
    // Halves of about equal time for a platform admin at 10 M calls (Postgres' log, 24 h:
    // series + previous + by application ≈ 24 ms, by API + by operation + by tenant +
    // last calls ≈ 28 ms; by API in the first half made it 33 | 19).
    // The second connection only if one is free now: a page holding its first while
    // waiting for a second deadlocked the pool under load (64 at once: every connection
    // somebody's first, 6 pages/s, the rest of the site starved until the pool's timeout).
    let vis = Visibility::of(user).scope();
    let mut first = scope::begin(pool, vis).await?;
    let mut second = scope::try_begin(pool, vis).await?;
    let figures_and_applications = async {
        let tx = &mut *first;
        db::for_sums(tx).await?;
        let (series, totals) = sel.series(tx).await?;
        let previous = sel
            .groups_over(tx, GroupBy::None, (sel.from - length, sel.from))
            .await?
            .into_iter()
            .next()
            .map(|g| g.figures)
            .unwrap_or_default();
        let by_application = sel.groups_shown(tx, GroupBy::Application, shown("application")).await?;
        let quotas = if console { vec![] } else { quota_bars(tx, user.id, q.application_id, now).await? };
        Ok::<_, AppError>((series, totals, previous, by_application, quotas))
    };
    let operations_and_calls = async |tx: &mut PgConnection| {
        db::for_sums(tx).await?;
        let by_api = sel.groups_shown(tx, GroupBy::Api, shown("api")).await?;
        let by_tool = sel.groups_shown(tx, GroupBy::Tool, shown("tool")).await?;
        let by_tenant = if console && sel.scope.every {
            sel.groups_shown(tx, GroupBy::Tenant, shown("tenant")).await?
        } else {
            vec![]
        };
        let raw_from = (now - Duration::days(i64::from(raw_days))).max(sel.from);
        let rows = db::recent_calls(
            tx,
            (raw_from, sel.to),
            before,
            &sel.scope,
            &sel.filter,
            CALLS_PER_PAGE as i64 + 1,
        )
        .await?;
        Ok::<_, AppError>((by_api, by_tool, by_tenant, rows))
    };
    let ((series, totals, previous, mut by_application, quotas), (by_api, by_tool, by_tenant, mut rows)) =
        match second.as_mut() {
            Some(tx) => futures::try_join!(figures_and_applications, operations_and_calls(tx))?,
            // No connection free (or a pool too small, a test's): one after the other.
            None => {
                let a = figures_and_applications.await?;
                (a, operations_and_calls(&mut first).await?)
            }
        };
    let any_call = totals.calls > 0
        || previous.calls > 0
        || !rows.is_empty()
        || db::any_call(&mut first, &sel.scope).await?;
    first.commit().await?;
    if let Some(tx) = second {
        tx.commit().await?;
    }
    name_applications(pool, &mut by_application).await?;

    let older = (rows.len() > CALLS_PER_PAGE).then(|| {
        rows.truncate(CALLS_PER_PAGE);
        let last = &rows[CALLS_PER_PAGE - 1];
        format!("{}~{}", crate::db::rfc3339(last.at), last.event_id)
    });
    let calls = rows
        .into_iter()
        .map(|r| CallItem {
            event_id: r.event_id,
            at: crate::db::rfc3339(r.at),
            application: r.application,
            api: format!("{}/{}", r.tenant_id, r.api),
            tool: r.tool_name,
            status: CallStatus::parse(&r.status).unwrap_or(CallStatus::Error),
            http_method: r.http_method,
            http_status: r.http_status.map(|s| s.max(0) as u16),
            latency_ms: r.latency_ms,
            request_bytes: r.request_bytes.max(0) as u64,
            response_bytes: r.response_bytes.max(0) as u64,
            try_it: r.try_it,
        })
        .collect();
    // The filters offer what the page shows, and the subscriptions.
    let mut applications: BTreeMap<String, String> = by_application
        .iter()
        .filter(|g| g.key != "unknown")
        .map(|g| (g.key.clone(), g.label.clone().unwrap_or_else(|| g.key.clone())))
        .collect();
    let mut apis: BTreeMap<String, String> = by_api.iter().map(|g| (g.key.clone(), g.key.clone())).collect();
    for b in &quotas {
        applications.insert(b.application_id.to_string(), b.application.clone());
        apis.insert(b.api.clone(), b.api_name.clone());
    }
    let choices = |m: BTreeMap<String, String>| {
        let mut v: Vec<Choice> = m.into_iter().map(|(value, label)| Choice { value, label }).collect();
        v.sort_by_key(|c| c.label.to_lowercase());
        v
    };
    Ok(UsageDashboard {
        console,
        period,
        from_day: from_day.to_string(),
        to_day: to_day.to_string(),
        report: UsageReport {
            from: crate::db::rfc3339(sel.from),
            to: crate::db::rfc3339(sel.to),
            granularity: sel.granularity,
            group_by: GroupBy::Application,
            totals,
            series,
            groups: by_application,
        },
        previous,
        by_api,
        by_tool,
        by_status: vec![],
        by_tenant,
        quotas,
        calls,
        older,
        any_call,
        applications: choices(applications),
        apis: choices(apis),
        raw_days,
        live: sel.to >= now && before.is_none(),
    })
}

/// What a CSV export holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExportKind {
    /// Every call of the selection (within the raw calls' retention), newest first.
    Calls,
    /// The figures per point of the series.
    Series,
}

impl ExportKind {
    pub fn parse(s: Option<&str>) -> Result<ExportKind, AppError> {
        match s.unwrap_or("series") {
            "calls" => Ok(ExportKind::Calls),
            "series" => Ok(ExportKind::Series),
            _ => Err(AppError::field("rows", "unknown")),
        }
    }
}

/// The columns of a CSV row's figures.
const FIGURE_COLUMNS: [&str; 13] = [
    "calls",
    "success",
    "errors",
    "failed",
    "not_found",
    "rate_limited",
    "policy_denied",
    "p50_ms",
    "p95_ms",
    "p99_ms",
    "mean_ms",
    "request_bytes",
    "response_bytes",
];

/// A CSV row's figures, in [`FIGURE_COLUMNS`] order.
fn figure_cells(f: &Figures) -> Vec<String> {
    let ms = |v: Option<f64>| v.map(|v| format!("{v:.3}")).unwrap_or_default();
    vec![
        f.calls.to_string(),
        f.success.to_string(),
        f.errors.to_string(),
        f.failed.to_string(),
        f.not_found.to_string(),
        f.rate_limited.to_string(),
        f.policy_denied.to_string(),
        ms(f.p50_ms),
        ms(f.p95_ms),
        ms(f.p99_ms),
        ms(f.mean_ms),
        f.request_bytes.to_string(),
        f.response_bytes.to_string(),
    ]
}

/// `GET /v1/usage` as CSV: one row per group of the breakdown when there is one (its key
/// and name first), otherwise one row per point of the series.
pub fn report_csv(report: &UsageReport) -> String {
    use crate::domain::csv::{push_line, text};
    let mut out = String::new();
    if report.group_by == GroupBy::None {
        push_line(&mut out, &[&["time"][..], &FIGURE_COLUMNS[..]].concat());
        for p in &report.series {
            push_line(&mut out, &[vec![p.at.clone()], figure_cells(&p.figures)].concat());
        }
    } else {
        push_line(&mut out, &[&["group", "label"][..], &FIGURE_COLUMNS[..]].concat());
        for g in &report.groups {
            let head = vec![text(&g.key), text(g.label.as_deref().unwrap_or_default())];
            push_line(&mut out, &[head, figure_cells(&g.figures)].concat());
        }
    }
    out
}

/// Rows fetched per query of a calls export (memory stays bounded by this page).
pub const EXPORT_PAGE: usize = 5_000;

fn dashboard_scope(user: &CurrentUser, console: bool) -> Result<UsageScope<'_>, AppError> {
    if console {
        if !user.may(Permission::ViewTenantUsage) {
            return Err(AppError::Forbidden);
        }
        Ok(visible_scope(user))
    } else if user.may(Permission::ViewOwnUsage) {
        Ok(UsageScope { every: false, owner: user.id, provider: None })
    } else {
        Err(AppError::Forbidden)
    }
}

/// Checks an export's selection before its answer starts (so a mistake is a 4xx, not a
/// cut-off file).
pub fn check_export(user: &CurrentUser, dq: &DashboardQuery, console: bool) -> Result<(), AppError> {
    let scope = dashboard_scope(user, console)?;
    let now = Utc::now();
    let (q, ..) = dashboard_query(dq, now)?;
    Selection::of(&q, scope, now)?;
    Ok(())
}

/// Writes the CSV of a dashboard's selection to `out`, a chunk at a time (a header row
/// first); stops early when `out` is closed (the download was abandoned).
pub async fn export(
    pool: &sqlx::PgPool,
    user: &CurrentUser,
    dq: &DashboardQuery,
    console: bool,
    raw_days: u32,
    kind: ExportKind,
    out: tokio::sync::mpsc::Sender<String>,
) -> Result<(), AppError> {
    use crate::domain::csv::{push_line, text};
    let now = Utc::now();
    let scope = dashboard_scope(user, console)?;
    let (q, ..) = dashboard_query(dq, now)?;
    let sel = Selection::of(&q, scope, now)?;
    let mut chunk = String::new();
    match kind {
        ExportKind::Series => {
            let mut tx = scope::begin(pool, Visibility::of(user).scope()).await?;
            db::for_sums(&mut tx).await?;
            let (series, _) = sel.series(&mut tx).await?;
            tx.commit().await?;
            push_line(&mut chunk, &[&["time"][..], &FIGURE_COLUMNS[..]].concat());
            for p in series {
                push_line(&mut chunk, &[vec![p.at.clone()], figure_cells(&p.figures)].concat());
            }
            let _ = out.send(chunk).await;
        }
        ExportKind::Calls => {
            push_line(
                &mut chunk,
                &[
                    "time",
                    "event_id",
                    "application_id",
                    "application",
                    "api",
                    "operation",
                    "method",
                    "status",
                    "http_status",
                    "latency_ms",
                    "request_bytes",
                    "response_bytes",
                    "try_it",
                ],
            );
            let raw_from = (now - Duration::days(i64::from(raw_days))).max(sel.from);
            let mut before = None;
            loop {
                // One short transaction per page: the export never holds a snapshot open
                // for minutes, and raw calls do not change once written.
                let mut tx = scope::begin(pool, Visibility::of(user).scope()).await?;
                let rows = db::recent_calls(
                    &mut tx,
                    (raw_from, sel.to),
                    before,
                    &sel.scope,
                    &sel.filter,
                    EXPORT_PAGE as i64,
                )
                .await?;
                tx.commit().await?;
                let full = rows.len() == EXPORT_PAGE;
                before = rows.last().map(|r| (r.at, r.event_id));
                for r in rows {
                    push_line(
                        &mut chunk,
                        &[
                            crate::db::rfc3339(r.at),
                            r.event_id.to_string(),
                            r.application_id.map(|a| a.to_string()).unwrap_or_default(),
                            text(r.application.as_deref().unwrap_or_default()),
                            format!("{}/{}", r.tenant_id, r.api),
                            text(&r.tool_name),
                            r.http_method.unwrap_or_default(),
                            r.status,
                            r.http_status.map(|s| s.to_string()).unwrap_or_default(),
                            format!("{:.3}", r.latency_ms),
                            r.request_bytes.to_string(),
                            r.response_bytes.to_string(),
                            r.try_it.to_string(),
                        ],
                    );
                }
                if out.send(std::mem::take(&mut chunk)).await.is_err() || !full {
                    break;
                }
            }
        }
    }
    Ok(())
}

/// The quotas of the active subscriptions of `owner`'s applications and their use.
async fn quota_bars(
    tx: &mut PgConnection,
    owner: Uuid,
    application: Option<Uuid>,
    now: DateTime<Utc>,
) -> Result<Vec<QuotaBar>, AppError> {
    // The gateway's own quota windows, so a bar resets exactly when the quota does.
    let midnight = |d: NaiveDate| Utc.from_utc_datetime(&d.and_hms_opt(0, 0, 0).unwrap_or_default());
    let (day, month) = (midnight(QuotaPeriod::Day.start(now)), midnight(QuotaPeriod::Month.start(now)));
    let (next_day, next_month) = (QuotaPeriod::Day.reset(now), QuotaPeriod::Month.reset(now));
    let rows = db::quota_use(tx, owner, application, day, month).await?;
    Ok(rows
        .into_iter()
        .map(|r| QuotaBar {
            application_id: r.application_id,
            application: r.application,
            api: format!("{}/{}", r.api_tenant_id, r.slug),
            api_name: r.name,
            kind: r.kind,
            plan: r.plan,
            today: r.today.max(0) as u64,
            daily_quota: r.daily_quota.map(|q| q.max(0) as u64),
            daily_reset: crate::db::rfc3339(next_day),
            daily_reset_minutes: (next_day - now).num_minutes().max(0),
            month: r.month.max(0) as u64,
            monthly_quota: r.monthly_quota.map(|q| q.max(0) as u64),
            monthly_reset: crate::db::rfc3339(next_month),
            monthly_reset_minutes: (next_month - now).num_minutes().max(0),
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::metering::{dim, View};
    use chrono::TimeZone;

    fn at(d: u32, h: u32, m: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, d, h, m, 0).single().expect("instant")
    }

    #[test]
    fn a_breakdown_reads_whole_days_from_day_rows_and_each_edge_the_cheaper_way() {
        let later = at(30, 0, 0);
        let (p, m) = (Tile::plus, Tile::minus);
        // Leading edge of 22 hours: its day less 2 hours; trailing edge of 5.5 hours in
        // the past: hour rows.
        assert_eq!(
            tiles(Granularity::Hour, at(3, 2, 0), at(10, 5, 30), later),
            vec![
                p("day", at(3, 0, 0), at(10, 0, 0)),
                m("hour", at(3, 0, 0), at(3, 2, 0)),
                p("hour", at(10, 0, 0), at(10, 5, 30))
            ]
        );
        // Leading edge of 4 hours: hour rows; trailing edge of 20 hours: its day less 4.
        assert_eq!(
            tiles(Granularity::Hour, at(3, 20, 0), at(10, 20, 0), later),
            vec![
                p("hour", at(3, 20, 0), at(4, 0, 0)),
                p("day", at(4, 0, 0), at(11, 0, 0)),
                m("hour", at(10, 20, 0), at(11, 0, 0))
            ]
        );
        // Up to now: today's row holds nothing later yet.
        assert_eq!(
            tiles(Granularity::Hour, at(3, 8, 0), at(10, 8, 17), at(10, 8, 17)),
            vec![p("day", at(3, 0, 0), at(11, 0, 0)), m("hour", at(3, 0, 0), at(3, 8, 0))]
        );
        // Starting at midnight: no leading edge.
        assert_eq!(
            tiles(Granularity::Hour, at(3, 0, 0), at(5, 0, 0), later),
            vec![p("day", at(3, 0, 0), at(5, 0, 0))]
        );
        // Within one day: hour rows only.
        assert_eq!(
            tiles(Granularity::Hour, at(3, 2, 0), at(3, 20, 10), later),
            vec![p("hour", at(3, 2, 0), at(3, 20, 10))]
        );
        // The last hour, now: two hour rows less the minutes before it.
        assert_eq!(
            tiles(Granularity::Minute, at(3, 2, 17), at(3, 3, 17), at(3, 3, 17)),
            vec![p("hour", at(3, 2, 0), at(3, 4, 0)), m("minute", at(3, 2, 0), at(3, 2, 17))]
        );
        assert_eq!(
            tiles(Granularity::Minute, at(3, 2, 47), at(3, 5, 3), later),
            vec![
                p("minute", at(3, 2, 47), at(3, 3, 0)),
                p("hour", at(3, 3, 0), at(3, 5, 0)),
                p("minute", at(3, 5, 0), at(3, 5, 3))
            ]
        );
        assert_eq!(
            tiles(Granularity::Day, at(3, 0, 0), at(9, 7, 0), later),
            vec![p("day", at(3, 0, 0), at(9, 7, 0))]
        );
    }

    #[test]
    fn the_last_twelve_months_are_twelve_calendar_months_read_from_day_rows() {
        let q = UsageQuery { period: Some(Period::Year), ..Default::default() };
        let scope = UsageScope { every: true, owner: Uuid::nil(), provider: None };
        let now = Utc.with_ymd_and_hms(2026, 3, 15, 10, 30, 0).single().expect("instant");
        let sel = Selection::of(&q, scope, now).expect("selection");
        assert_eq!(sel.granularity, Granularity::Month);
        assert_eq!(sel.from, Utc.with_ymd_and_hms(2025, 4, 1, 0, 0, 0).single().expect("instant"));
        assert_eq!(sel.points, 12);
        // February has 28 days: the next point starts on March 1st.
        let feb = Utc.with_ymd_and_hms(2026, 2, 1, 0, 0, 0).single().expect("instant");
        assert_eq!(
            Granularity::Month.next(feb),
            Utc.with_ymd_and_hms(2026, 3, 1, 0, 0, 0).single().expect("instant")
        );
        assert_eq!(tiles(Granularity::Month, sel.from, now, now), vec![Tile::plus("day", sel.from, now)]);
    }

    #[test]
    fn a_period_that_ends_before_it_starts_is_refused_whatever_the_resolution() {
        let now = Utc.with_ymd_and_hms(2026, 3, 15, 10, 30, 0).single().expect("instant");
        for granularity in [Granularity::Minute, Granularity::Hour, Granularity::Day, Granularity::Month] {
            let q = UsageQuery {
                from: Some("2000-01-01T00:00:00Z".into()),
                to: Some("1999-01-01T00:00:00Z".into()),
                granularity: Some(granularity),
                ..Default::default()
            };
            let scope = UsageScope { every: true, owner: Uuid::nil(), provider: None };
            let err = Selection::of(&q, scope, now).err().expect("refused");
            assert!(format!("{err:?}").contains("before-from"), "{granularity:?}: {err:?}");
        }
        let q = UsageQuery { to: Some("0000-01-01T00:00:00Z".into()), ..Default::default() };
        let scope = UsageScope { every: true, owner: Uuid::nil(), provider: None };
        let err = Selection::of(&q, scope, now).err().expect("refused");
        assert!(format!("{err:?}").contains("out-of-range"), "{err:?}");
    }

    #[test]
    fn a_query_reads_the_smallest_view_that_keeps_what_it_needs() {
        assert_eq!(View::covering(0), View::Total);
        assert_eq!(View::covering(dim::TENANT), View::Tenant);
        assert_eq!(View::covering(dim::TENANT | dim::APP_TENANT), View::Pair);
        assert_eq!(View::covering(dim::API), View::Api);
        assert_eq!(View::covering(dim::APPLICATION), View::Application);
        // A provider's breakdown by application needs both sides and the application.
        assert_eq!(View::covering(dim::TENANT | dim::APP_TENANT | dim::APPLICATION), View::Fine);
        assert_eq!(View::covering(dim::STATUS), View::Fine);
        assert_eq!(View::covering(dim::TOOL | dim::APPLICATION), View::Fine);
        // A breakdown by operation, the platform's or a provider's, and a provider's by API.
        assert_eq!(View::covering(dim::TOOL), View::Tools);
        assert_eq!(View::covering(dim::TENANT | dim::TOOL), View::ApiTool);
        assert_eq!(View::covering(dim::TENANT | dim::APP_TENANT | dim::TOOL), View::Tool);
        assert_eq!(View::covering(dim::TENANT | dim::APP_TENANT | dim::API), View::Tool);
    }
}

//! A usage query's plan: its period, points, scope and filters read ([`Selection`]), the
//! smallest view that keeps what it needs, and the ranges of rollup rows that tile its
//! period ([`tiles`]); the series and breakdowns read by that plan.

use crate::auth::CurrentUser;
use crate::db::metering::usage::{self as db, Detail, UsageFilter, UsageScope, UsageSums};
use crate::db::scope::{self, Visibility};
use crate::domain::metering::rollup::{dim, Rollup, Tile, View};
use crate::domain::metering::{day_of, hour_of, minute_of, month_of, Histogram};
use crate::domain::permission::Permission;
use crate::error::AppError;
use crate::model::metering::{
    Figures, Granularity, GroupBy, Period, UsageGroup, UsagePoint, UsageQuery, MAX_POINTS,
};
use chrono::{DateTime, Datelike, Utc};
use sqlx::PgConnection;
use std::collections::{BTreeMap, HashMap};
use uuid::Uuid;

/// Parses an RFC 3339 instant of a query.
/// Instants from 1970 to the year 9999: nothing was metered before, and a period (and
/// the one before it) stays within what RFC 3339 can write.
pub(super) fn instant(field: &str, value: &str) -> Result<DateTime<Utc>, AppError> {
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
pub(super) fn figures(rows: &[&UsageSums]) -> Figures {
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
    let fine = g.rollup();
    let coarse = match fine {
        Rollup::Minute => Rollup::Hour,
        Rollup::Hour => Rollup::Day,
        Rollup::Day => return if from < to { vec![Tile::plus(Rollup::Day, from, to)] } else { vec![] },
    };
    let (floor, width) = (|t| coarse.bucket_of(t), coarse.width());
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
pub(super) struct Selection<'a> {
    /// Start of the first bucket.
    pub(super) from: DateTime<Utc>,
    pub(super) to: DateTime<Utc>,
    pub(super) granularity: Granularity,
    pub(super) points: i64,
    pub(super) scope: UsageScope<'a>,
    pub(super) filter: UsageFilter<'a>,
    /// The dimensions the scope and the filters need.
    pub(super) needed: u8,
    /// When the selection was read.
    pub(super) now: DateTime<Utc>,
}

impl<'a> Selection<'a> {
    /// Reads `q` for `user`; `scope` says whose calls.
    pub(super) fn of(
        q: &'a UsageQuery,
        scope: UsageScope<'a>,
        now: DateTime<Utc>,
    ) -> Result<Selection<'a>, AppError> {
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
    pub(super) async fn series(&self, tx: &mut PgConnection) -> Result<(Vec<UsagePoint>, Figures), AppError> {
        let rows = db::usage_series(
            tx,
            self.granularity,
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
    pub(super) async fn groups(
        &self,
        tx: &mut PgConnection,
        group_by: GroupBy,
    ) -> Result<Vec<UsageGroup>, AppError> {
        self.groups_over(tx, group_by, (self.from, self.to)).await
    }

    /// The breakdown by `group_by` as a page shows it: every group's counts, and the
    /// latency percentiles of the `shown` busiest only (all of them when `None`). Summing
    /// the histograms of every group would cost twice the rest: a platform's 200
    /// applications over 30 days took 30 ms of the console dashboard's critical path.
    pub(super) async fn groups_shown(
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

    pub(super) async fn groups_over(
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
        let d = match group_by {
            GroupBy::None => 0,
            GroupBy::Application => dim::APPLICATION,
            GroupBy::Api => dim::API | dim::TENANT,
            GroupBy::Tool => dim::TOOL,
            GroupBy::Status => dim::STATUS,
            GroupBy::Tenant => dim::TENANT,
        };
        let parts = tiles(self.granularity, from, to, self.now);
        let view = View::covering(self.needed | d);
        let rows = db::usage_breakdown(tx, group_by, view, &parts, &self.scope, &self.filter, detail).await?;
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
pub(super) async fn name_applications(
    pool: &sqlx::PgPool,
    groups: &mut [UsageGroup],
) -> Result<(), AppError> {
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
pub(super) fn visible_scope(user: &CurrentUser) -> UsageScope<'_> {
    let provider = user.may(Permission::ViewTenantUsage).then_some(user.tenant_id.as_str());
    UsageScope { every: Visibility::of(user) == Visibility::Every, owner: user.id, provider }
}

#[cfg(test)]
mod tests {
    use super::*;
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
                p(Rollup::Day, at(3, 0, 0), at(10, 0, 0)),
                m(Rollup::Hour, at(3, 0, 0), at(3, 2, 0)),
                p(Rollup::Hour, at(10, 0, 0), at(10, 5, 30))
            ]
        );
        // Leading edge of 4 hours: hour rows; trailing edge of 20 hours: its day less 4.
        assert_eq!(
            tiles(Granularity::Hour, at(3, 20, 0), at(10, 20, 0), later),
            vec![
                p(Rollup::Hour, at(3, 20, 0), at(4, 0, 0)),
                p(Rollup::Day, at(4, 0, 0), at(11, 0, 0)),
                m(Rollup::Hour, at(10, 20, 0), at(11, 0, 0))
            ]
        );
        // Up to now: today's row holds nothing later yet.
        assert_eq!(
            tiles(Granularity::Hour, at(3, 8, 0), at(10, 8, 17), at(10, 8, 17)),
            vec![p(Rollup::Day, at(3, 0, 0), at(11, 0, 0)), m(Rollup::Hour, at(3, 0, 0), at(3, 8, 0))]
        );
        // Starting at midnight: no leading edge.
        assert_eq!(
            tiles(Granularity::Hour, at(3, 0, 0), at(5, 0, 0), later),
            vec![p(Rollup::Day, at(3, 0, 0), at(5, 0, 0))]
        );
        // Within one day: hour rows only.
        assert_eq!(
            tiles(Granularity::Hour, at(3, 2, 0), at(3, 20, 10), later),
            vec![p(Rollup::Hour, at(3, 2, 0), at(3, 20, 10))]
        );
        // The last hour, now: two hour rows less the minutes before it.
        assert_eq!(
            tiles(Granularity::Minute, at(3, 2, 17), at(3, 3, 17), at(3, 3, 17)),
            vec![p(Rollup::Hour, at(3, 2, 0), at(3, 4, 0)), m(Rollup::Minute, at(3, 2, 0), at(3, 2, 17))]
        );
        assert_eq!(
            tiles(Granularity::Minute, at(3, 2, 47), at(3, 5, 3), later),
            vec![
                p(Rollup::Minute, at(3, 2, 47), at(3, 3, 0)),
                p(Rollup::Hour, at(3, 3, 0), at(3, 5, 0)),
                p(Rollup::Minute, at(3, 5, 0), at(3, 5, 3))
            ]
        );
        assert_eq!(
            tiles(Granularity::Day, at(3, 0, 0), at(9, 7, 0), later),
            vec![p(Rollup::Day, at(3, 0, 0), at(9, 7, 0))]
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
        assert_eq!(
            tiles(Granularity::Month, sel.from, now, now),
            vec![Tile::plus(Rollup::Day, sel.from, now)]
        );
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

//! The rollups' arithmetic: the three rollups (minute, hour, day), the views each keeps,
//! and how a batch of calls sums into their rows (a [`Tally`] spread into [`RollupSums`],
//! written column by column as [`Rollups`]) — everything but the SQL that adds them.

use super::{day_of, hour_of, minute_of, CallStatus, Histogram, BUCKETS};
use chrono::{DateTime, Duration, Utc};
use std::collections::{BTreeMap, HashMap};
use uuid::Uuid;

/// A rollup: calls summed per bucket of one width.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Rollup {
    Minute,
    Hour,
    Day,
}

impl Rollup {
    /// Every rollup, finest first: each call is added to all three.
    pub const ALL: [Rollup; 3] = [Rollup::Minute, Rollup::Hour, Rollup::Day];

    /// The start of the bucket `at` falls in.
    pub fn bucket_of(self, at: DateTime<Utc>) -> DateTime<Utc> {
        match self {
            Rollup::Minute => minute_of(at),
            Rollup::Hour => hour_of(at),
            Rollup::Day => day_of(at),
        }
    }

    /// The width of a bucket.
    pub fn width(self) -> Duration {
        match self {
            Rollup::Minute => Duration::minutes(1),
            Rollup::Hour => Duration::hours(1),
            Rollup::Day => Duration::days(1),
        }
    }

    /// How long its rows are kept (day rows: for ever).
    pub fn retention(self) -> Option<Duration> {
        match self {
            Rollup::Minute => Some(Duration::days(7)),
            Rollup::Hour => Some(Duration::days(90)),
            Rollup::Day => None,
        }
    }
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

    /// The rows, column by column, as the rollup tables take them.
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

    /// The rows to add to each rollup, finest first.
    pub fn rollups(&self) -> [(Rollup, RollupSums); 3] {
        let mut out = Rollup::ALL.map(|r| (r, RollupSums::default()));
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
            for (rollup, rows) in &mut out {
                rows.merge(rollup.bucket_of(*minute), &c, sums);
            }
        }
        out
    }
}

/// A range of one rollup's rows, added to a breakdown or taken away from it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Tile {
    pub rollup: Rollup,
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
    pub minus: bool,
}

impl Tile {
    pub fn plus(rollup: Rollup, from: DateTime<Utc>, to: DateTime<Utc>) -> Tile {
        Tile { rollup, from, to, minus: false }
    }

    pub fn minus(rollup: Rollup, from: DateTime<Utc>, to: DateTime<Utc>) -> Tile {
        Tile { rollup, from, to, minus: true }
    }
}

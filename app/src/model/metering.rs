//! Metering on the wire: the STOA gateway's per-call event (`ToolCallEvent`, topic
//! `stoa.metering`), and what `GET /v1/usage` asks and answers.

use crate::domain::metering::CallStatus;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// One call, in the STOA gateway's own JSON shape. Fields marked optional may be absent;
/// `token_count`, `tool_tier` and `cost_units_microcents` have defaults. The fields after
/// `cost_units_microcents` are our gateway's additions: an event without them counts the
/// same. Unknown fields are ignored (other gateways may send more).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ToolCallEvent {
    pub event_id: Uuid,
    /// RFC 3339, UTC.
    pub timestamp: chrono::DateTime<chrono::Utc>,
    pub tenant_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_email: Option<String>,
    /// The application's client id.
    pub consumer_id: String,
    /// The MCP tool, or for HTTP `api-slug/operationId`.
    pub tool_name: String,
    pub action: String,
    pub latency_ms: f64,
    pub status: CallStatus,
    pub request_size_bytes: u64,
    pub response_size_bytes: u64,
    pub t_gateway_ms: f64,
    pub t_backend_ms: f64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scopes: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub roles: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gateway_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sub_account_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub master_account_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub department_id: Option<String>,
    #[serde(default)]
    pub token_count: u64,
    #[serde(default = "standard_tier")]
    pub tool_tier: String,
    #[serde(default)]
    pub cost_units_microcents: u64,
    // Our gateway's additions.
    /// The API's (or MCP server's) slug.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_id: Option<Uuid>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_version: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub http_method: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub http_status: Option<u16>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub try_it: bool,
}

fn standard_tier() -> String {
    "standard".to_owned()
}

impl ToolCallEvent {
    /// Reads one message; the error says what is wrong with it (kept in the dead-letter
    /// table). Numbers must be finite and not negative.
    pub fn parse(payload: &[u8]) -> Result<ToolCallEvent, String> {
        let event: ToolCallEvent = serde_json::from_slice(payload).map_err(|e| e.to_string())?;
        for (name, v) in [
            ("latency_ms", event.latency_ms),
            ("t_gateway_ms", event.t_gateway_ms),
            ("t_backend_ms", event.t_backend_ms),
        ] {
            if !v.is_finite() || v < 0.0 {
                return Err(format!("{name} must be a number of milliseconds, not {v}"));
            }
        }
        for (name, v) in [("tenant_id", &event.tenant_id), ("tool_name", &event.tool_name)] {
            if v.trim().is_empty() || v.len() > 200 || v.contains('\0') {
                return Err(format!("{name} must be 1-200 characters"));
            }
        }
        if event.consumer_id.len() > 200 || event.action.len() > 100 || event.consumer_id.contains('\0') {
            return Err("consumer_id or action is too long".to_owned());
        }
        Ok(event)
    }

    /// The API (or MCP server) the call went to: our gateway says so; for another
    /// gateway's HTTP call it is what comes before `/` in the tool name; otherwise unknown
    /// (empty).
    pub fn api_name(&self) -> &str {
        match &self.api {
            Some(api) => api,
            None => self.tool_name.split_once('/').map(|(api, _)| api).unwrap_or(""),
        }
    }
}

/// The period of a usage query when `from` and `to` are not given.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
pub enum Period {
    #[serde(rename = "1h")]
    Hour,
    #[default]
    #[serde(rename = "24h")]
    Day,
    #[serde(rename = "7d")]
    Week,
    #[serde(rename = "30d")]
    Month,
    /// The current month and the eleven before it, by month.
    #[serde(rename = "12m")]
    Year,
}

impl Period {
    pub fn length(self) -> chrono::Duration {
        match self {
            Period::Hour => chrono::Duration::hours(1),
            Period::Day => chrono::Duration::hours(24),
            Period::Week => chrono::Duration::days(7),
            Period::Month => chrono::Duration::days(30),
            // The longest twelve months; a series starts on the first of a month.
            Period::Year => chrono::Duration::days(335),
        }
    }
}

/// The width of a series' points, and which rollup answers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Granularity {
    Minute,
    Hour,
    Day,
    /// Calendar months (UTC), summed from the day rollups.
    Month,
}

impl Granularity {
    /// The rollup its points are summed from (months: the day rollup).
    pub fn rollup(self) -> crate::domain::metering::rollup::Rollup {
        use crate::domain::metering::rollup::Rollup;
        match self {
            Granularity::Minute => Rollup::Minute,
            Granularity::Hour => Rollup::Hour,
            Granularity::Day | Granularity::Month => Rollup::Day,
        }
    }

    /// The width of a point (the longest month's, for months).
    pub fn width(self) -> chrono::Duration {
        match self {
            Granularity::Month => chrono::Duration::days(31),
            g => g.rollup().width(),
        }
    }

    /// The start of the point after the one starting at `at`.
    pub fn next(self, at: chrono::DateTime<chrono::Utc>) -> chrono::DateTime<chrono::Utc> {
        match self {
            Granularity::Month => at.checked_add_months(chrono::Months::new(1)).unwrap_or(at + self.width()),
            g => at + g.width(),
        }
    }

    /// The natural width for a period of `length`: about 60 to 720 points.
    pub fn for_length(length: chrono::Duration) -> Granularity {
        if length <= chrono::Duration::hours(6) {
            Granularity::Minute
        } else if length <= chrono::Duration::days(14) {
            Granularity::Hour
        } else {
            Granularity::Day
        }
    }
}

/// How the answer's groups are formed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum GroupBy {
    #[default]
    None,
    Application,
    Api,
    Tool,
    Status,
    Tenant,
}

/// Most points a series may hold (the period's length over the granularity's width).
pub const MAX_POINTS: i64 = 1_500;

/// Groups a dashboard's breakdown shows (with their latency percentiles) unless it is
/// shown whole.
pub const BREAKDOWN_ROWS: usize = 10;

/// `GET /v1/usage`'s query.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct UsageQuery {
    /// The last hour, 24 hours (default), 7 or 30 days up to now; ignored when `from` is
    /// given.
    pub period: Option<Period>,
    /// Start, RFC 3339 (included).
    #[cfg_attr(feature = "ssr", schemars(extend("format" = "date-time")))]
    pub from: Option<String>,
    /// End, RFC 3339 (excluded; default now).
    #[cfg_attr(feature = "ssr", schemars(extend("format" = "date-time")))]
    pub to: Option<String>,
    /// Width of the series' points (default: from the period's length).
    pub granularity: Option<Granularity>,
    pub group_by: Option<GroupBy>,
    pub application_id: Option<Uuid>,
    /// An API's or MCP server's slug.
    #[cfg_attr(feature = "ssr", schemars(regex(pattern = crate::model::NO_NUL)))]
    pub api: Option<String>,
    #[cfg_attr(feature = "ssr", schemars(regex(pattern = crate::model::NO_NUL)))]
    pub tool: Option<String>,
    pub status: Option<CallStatus>,
    /// The API's tenant.
    #[cfg_attr(feature = "ssr", schemars(regex(pattern = crate::model::NO_NUL)))]
    pub tenant: Option<String>,
}

/// The figures of a set of calls.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
pub struct Figures {
    pub calls: u64,
    pub success: u64,
    /// Every call that did not succeed.
    pub errors: u64,
    pub rate_limited: u64,
    pub policy_denied: u64,
    pub not_found: u64,
    /// Upstream or gateway errors (`error`).
    pub failed: u64,
    pub request_bytes: u64,
    pub response_bytes: u64,
    /// Latency percentiles from merged histograms (upper bound of the bucket holding
    /// them, within 19 %); none without calls.
    pub p50_ms: Option<f64>,
    pub p95_ms: Option<f64>,
    pub p99_ms: Option<f64>,
    pub mean_ms: Option<f64>,
}

/// One point of the series.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
pub struct UsagePoint {
    /// Start of the point's bucket, RFC 3339.
    pub at: String,
    #[serde(flatten)]
    pub figures: Figures,
}

/// One group of the breakdown.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
pub struct UsageGroup {
    /// The application's id, the API as `tenant/slug`, the tool, the status or the tenant;
    /// `unknown` for calls of a consumer that is not one of our applications.
    pub key: String,
    /// The application's name, where the key is an application.
    pub label: Option<String>,
    /// The application's tenant, where the key is an application.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tenant: Option<String>,
    #[serde(flatten)]
    pub figures: Figures,
}

/// `GET /v1/usage`'s answer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
pub struct UsageReport {
    pub from: String,
    pub to: String,
    pub granularity: Granularity,
    pub group_by: GroupBy,
    pub totals: Figures,
    pub series: Vec<UsagePoint>,
    pub groups: Vec<UsageGroup>,
}

/// `/usage`'s and `/console/usage`'s selection, as the page's URL holds it (text, so a
/// mistyped link shows a message next to its field instead of failing).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DashboardQuery {
    /// `1h`, `24h` (default), `7d`, `30d` or `custom` (then `from` and `to`).
    pub period: Option<String>,
    /// Custom period: first day, `YYYY-MM-DD` (UTC).
    pub from: Option<String>,
    /// Custom period: last day, included.
    pub to: Option<String>,
    pub application: Option<String>,
    /// An API or MCP server, `tenant/slug`.
    pub api: Option<String>,
    pub status: Option<String>,
    /// The consumers' side: the API's tenant (console, platform admins).
    pub tenant: Option<String>,
    /// The last calls after this one (`{at}~{event_id}` of the previous page's last).
    pub before: Option<String>,
    /// The breakdown shown whole (`application`, `api`, `tool` or `tenant`); the others
    /// show their busiest groups only.
    pub all: Option<String>,
}

/// A quota of a subscription and what today and this month used of it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct QuotaBar {
    pub application_id: Uuid,
    pub application: String,
    /// `tenant/slug` of the API or MCP server.
    pub api: String,
    pub api_name: String,
    pub kind: String,
    pub plan: Option<String>,
    pub today: u64,
    pub daily_quota: Option<u64>,
    /// Next midnight UTC, RFC 3339.
    pub daily_reset: String,
    /// Minutes until then.
    pub daily_reset_minutes: i64,
    pub month: u64,
    pub monthly_quota: Option<u64>,
    /// The first of next month, RFC 3339.
    pub monthly_reset: String,
    pub monthly_reset_minutes: i64,
}

/// One call of the last calls list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CallItem {
    pub event_id: Uuid,
    pub at: String,
    pub application: Option<String>,
    /// `tenant/slug`.
    pub api: String,
    /// The operation or tool (`api/operationId`).
    pub tool: String,
    pub status: CallStatus,
    pub http_method: Option<String>,
    pub http_status: Option<u16>,
    pub latency_ms: f64,
    pub request_bytes: u64,
    pub response_bytes: u64,
    pub try_it: bool,
}

/// An application, API or tenant the filters offer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Choice {
    pub value: String,
    pub label: String,
}

/// Everything `/usage` (or `/console/usage`) shows for one selection.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct UsageDashboard {
    /// The console's view (calls to the user's tenant, or the platform's).
    pub console: bool,
    /// The selection as understood (period `1h`…`custom`, days for a custom one).
    pub period: String,
    pub from_day: String,
    pub to_day: String,
    /// The current period: totals, series, and by application.
    pub report: UsageReport,
    /// The previous period of the same length.
    pub previous: Figures,
    pub by_api: Vec<UsageGroup>,
    pub by_tool: Vec<UsageGroup>,
    pub by_status: Vec<UsageGroup>,
    /// The consumers' tenants (console).
    pub by_tenant: Vec<UsageGroup>,
    pub quotas: Vec<QuotaBar>,
    pub calls: Vec<CallItem>,
    /// The query value of the next page of calls, when there is one.
    pub older: Option<String>,
    /// Whether the user has ever been counted a call (the empty state otherwise).
    pub any_call: bool,
    pub applications: Vec<Choice>,
    pub apis: Vec<Choice>,
    /// Days the raw calls are kept (the last calls list's reach).
    pub raw_days: u32,
    /// Whether the period runs up to now (the page refreshes itself, with JavaScript).
    pub live: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_event_in_the_gateways_shape_with_optional_fields_absent_is_read() {
        let json = r#"{"event_id":"0193a4d2-7c1e-7000-8000-000000000001","timestamp":"2026-11-30T10:00:00Z",
            "tenant_id":"demo","consumer_id":"stoa_app_x","tool_name":"get_weather","action":"tools/call",
            "latency_ms":12,"status":"success","request_size_bytes":10,"response_size_bytes":200,
            "t_gateway_ms":1,"t_backend_ms":11}"#;
        let e = ToolCallEvent::parse(json.as_bytes()).expect("valid");
        assert_eq!(e.token_count, 0);
        assert_eq!(e.tool_tier, "standard");
        assert_eq!(e.api_name(), "");
        assert!(!e.try_it);
        // Our own additions are not written when unset.
        let back = serde_json::to_value(&e).expect("json");
        assert!(back.get("api").is_none() && back.get("try_it").is_none());
    }

    #[test]
    fn malformed_events_say_why() {
        let cases = [
            ("not json", "expected"),
            (r#"{"event_id":"x"}"#, "UUID"),
            (
                r#"{"event_id":"0193a4d2-7c1e-7000-8000-000000000001","timestamp":"yesterday","tenant_id":"demo","consumer_id":"c","tool_name":"t","action":"a","latency_ms":1,"status":"success","request_size_bytes":1,"response_size_bytes":1,"t_gateway_ms":1,"t_backend_ms":1}"#,
                "input",
            ),
            (
                r#"{"event_id":"0193a4d2-7c1e-7000-8000-000000000001","timestamp":"2026-11-30T10:00:00Z","tenant_id":"demo","consumer_id":"c","tool_name":"t","action":"a","latency_ms":-1,"status":"success","request_size_bytes":1,"response_size_bytes":1,"t_gateway_ms":1,"t_backend_ms":1}"#,
                "latency_ms",
            ),
            (
                r#"{"event_id":"0193a4d2-7c1e-7000-8000-000000000001","timestamp":"2026-11-30T10:00:00Z","tenant_id":"demo","consumer_id":"c","tool_name":"t","action":"a","latency_ms":1,"status":"great","request_size_bytes":1,"response_size_bytes":1,"t_gateway_ms":1,"t_backend_ms":1}"#,
                "unknown variant",
            ),
            (
                r#"{"event_id":"0193a4d2-7c1e-7000-8000-000000000001","timestamp":"2026-11-30T10:00:00Z","tenant_id":"demo","tool_name":"t","action":"a","latency_ms":1,"status":"success","request_size_bytes":1,"response_size_bytes":1,"t_gateway_ms":1,"t_backend_ms":1}"#,
                "consumer_id",
            ),
        ];
        for (json, says) in cases {
            let e = ToolCallEvent::parse(json.as_bytes()).expect_err(json);
            assert!(e.contains(says), "{json}: {e}");
        }
    }

    #[test]
    fn the_granularity_follows_the_period() {
        assert_eq!(Granularity::for_length(Period::Hour.length()), Granularity::Minute);
        assert_eq!(Granularity::for_length(Period::Day.length()), Granularity::Hour);
        assert_eq!(Granularity::for_length(Period::Week.length()), Granularity::Hour);
        assert_eq!(Granularity::for_length(Period::Month.length()), Granularity::Day);
    }
}

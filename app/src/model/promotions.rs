//! Production promotion requests (ITSM, DESIGN §3): devops and tenant-admins ask to
//! promote an API version from staging to production; tenant-admins of the tenant (or
//! cpi-admins) decide — never the requester (four eyes: refused here and by the database);
//! the requester may cancel while pending. Every transition is a history entry, an event
//! on `stoa.promotion.requests` and an audit entry, in one transaction.

use crate::domain::promotion::{Impact, State, TargetType};
use crate::error::FieldError;
use chrono::{DateTime, NaiveDateTime, Utc};
use serde::{Deserialize, Serialize};

/// Impacts a request can declare.
pub const IMPACTS: [&str; 4] = ["low", "medium", "high", "critical"];

/// What a request can promote.
pub const TARGET_TYPES: [&str; 3] = ["api", "application", "policy"];

/// The request form as typed (browser and REST alike).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
pub struct RequestForm {
    #[serde(default)]
    /// `api` (default), `application` or `policy`.
    #[cfg_attr(feature = "ssr", schemars(extend("enum" = ["", "api", "application", "policy"])))]
    pub target_type: String,
    /// The API's slug.
    #[serde(default)]
    #[cfg_attr(feature = "ssr", schemars(length(min = 1, max = 200), pattern(crate::model::NOT_BLANK)))]
    pub target_name: String,
    /// A version of the API deployed in staging.
    #[serde(default)]
    #[cfg_attr(feature = "ssr", schemars(length(min = 1, max = 100), pattern(crate::model::NOT_BLANK)))]
    pub target_version: String,
    /// Why: 20 characters or more once trimmed, at most 10 000.
    #[serde(default)]
    #[cfg_attr(feature = "ssr", schemars(length(max = 10000), pattern(crate::model::TWENTY_CHARS)))]
    pub justification: String,
    /// Markdown, at most 20 000 characters.
    #[serde(default)]
    #[cfg_attr(feature = "ssr", schemars(length(max = 20000)))]
    pub release_notes: String,
    #[serde(default)]
    #[cfg_attr(feature = "ssr", schemars(extend("enum" = ["low", "medium", "high", "critical"])))]
    pub impact: String,
    /// At most 10 000 characters.
    #[serde(default)]
    #[cfg_attr(feature = "ssr", schemars(length(max = 10000)))]
    pub rollback_plan: String,
    /// Empty: as soon as approved. RFC 3339, or `YYYY-MM-DDTHH:MM` (UTC) from a form.
    #[serde(default)]
    pub scheduled_at: String,
    #[serde(default)]
    pub staging_tests_passed: bool,
    #[serde(default)]
    pub security_scan_passed: bool,
    #[serde(default)]
    pub performance_tests_passed: bool,
    /// Empty, or an `http(s)://` link to test reports.
    #[serde(default)]
    #[cfg_attr(feature = "ssr", schemars(pattern(crate::model::OPTIONAL_HTTP_URL)))]
    pub evidence_url: String,
}

/// A request's schedule: when it may be deployed (`Some(None)`: as soon as approved;
/// `None`: not a date).
pub fn parse_schedule(s: &str) -> Option<Option<DateTime<Utc>>> {
    let s = s.trim();
    if s.is_empty() {
        return Some(None);
    }
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Some(Some(t.with_timezone(&Utc)));
    }
    NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M").ok().map(|t| Some(t.and_utc()))
}

/// Checks a form (the same rules in the browser and on the server); the schedule comes
/// back parsed. `now` bounds the schedule: it may not lie in the past.
pub fn check_form(form: &RequestForm, now: DateTime<Utc>) -> Result<Option<DateTime<Utc>>, Vec<FieldError>> {
    use crate::domain::promotion::MIN_JUSTIFICATION_CHARS;
    let mut errors = Vec::new();
    let mut error = |field: &str, code: &str| {
        errors.push(FieldError { field: field.into(), code: code.into(), detail: None })
    };
    if TargetType::parse(&form.target_type).is_none() {
        error("target_type", "unknown-target-type");
    }
    if form.target_name.trim().is_empty() || form.target_name.chars().count() > 200 {
        error("target_name", "required");
    }
    if form.target_version.trim().is_empty() || form.target_version.chars().count() > 100 {
        error("target_version", "required");
    }
    if !crate::domain::long_enough(Some(&form.justification), MIN_JUSTIFICATION_CHARS) {
        error("justification", "justification-too-short");
    }
    if form.justification.chars().count() > 10_000
        || form.release_notes.chars().count() > 20_000
        || form.rollback_plan.chars().count() > 10_000
    {
        error("justification", "too-long");
    }
    if Impact::parse(&form.impact).is_none() {
        error("impact", "unknown-impact");
    }
    let evidence = form.evidence_url.trim();
    if !(evidence.is_empty() || evidence.starts_with("https://") || evidence.starts_with("http://")) {
        error("evidence_url", "invalid-url");
    }
    let schedule = match parse_schedule(&form.scheduled_at) {
        Some(Some(t)) if t < now => {
            error("scheduled_at", "in-the-past");
            None
        }
        Some(t) => t,
        None => {
            error("scheduled_at", "invalid-date");
            None
        }
    };
    if errors.is_empty() {
        Ok(schedule)
    } else {
        Err(errors)
    }
}

/// A request as pages and REST show it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
pub struct RequestInfo {
    pub id: String,
    pub tenant_id: String,
    pub requester_id: uuid::Uuid,
    pub requester: String,
    pub target_type: TargetType,
    pub target_name: String,
    /// The API's name as the catalog shows it (its slug when it is gone).
    #[serde(default)]
    pub target_title: String,
    pub target_version: String,
    pub source_env: String,
    pub target_env: String,
    pub justification: String,
    pub release_notes: String,
    pub impact: Impact,
    pub rollback_plan: String,
    pub scheduled_at: Option<String>,
    pub staging_tests_passed: bool,
    pub security_scan_passed: bool,
    pub performance_tests_passed: bool,
    pub evidence_url: Option<String>,
    pub state: State,
    pub decided_by: Option<String>,
    pub decided_at: Option<String>,
    pub reason: Option<String>,
    pub job_id: Option<i64>,
    pub error: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

/// One entry of a request's history.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
pub struct HistoryInfo {
    pub at: String,
    pub actor: String,
    pub action: String,
    pub from_state: Option<State>,
    pub to_state: Option<State>,
    pub comment: Option<String>,
    pub job_id: Option<i64>,
    pub error: Option<String>,
}

/// Session key of a refused request form.
pub const FORM_KEY: &str = "requests.form";

/// A refused request form with its errors.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
pub struct RefusedRequest {
    pub form: RequestForm,
    pub errors: Vec<FieldError>,
}

/// What the requests list shows: filters and order (all optional).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
pub struct RequestFilter {
    pub state: Option<String>,
    /// Part of a request id or of the API's name.
    pub q: Option<String>,
    /// Only the viewer's own requests.
    #[serde(default)]
    pub mine: bool,
    /// One tenant (cpi-admins, who see every tenant).
    pub tenant: Option<String>,
    /// `oldest` first; newest first otherwise.
    pub sort: Option<String>,
    /// Requests by this username.
    #[serde(default)]
    pub requester: Option<String>,
    /// Requests from or to this environment (`staging`, `prod`).
    #[serde(default)]
    pub environment: Option<String>,
}

/// The counters above the list.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
pub struct RequestStats {
    pub pending: i64,
    pub approved_today: i64,
    pub rejected_today: i64,
    pub deployed_this_week: i64,
}

/// A page of the requests list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
pub struct RequestsPage {
    pub items: Vec<RequestInfo>,
    pub stats: RequestStats,
    pub filter: RequestFilter,
    pub page: i64,
    pub more: bool,
    /// The viewer may create requests / decide them.
    pub may_create: bool,
    pub may_decide: bool,
    /// The viewer sees every tenant (and may filter by one).
    pub every_tenant: bool,
}

/// One request with its history and what the viewer may do with it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
pub struct RequestPage {
    pub request: RequestInfo,
    pub history: Vec<HistoryInfo>,
    pub may_decide: bool,
    pub may_cancel: bool,
}

/// Requests shown per page.
pub const PER_PAGE: i64 = 20;

/// Longest comment.
pub const MAX_COMMENT_CHARS: usize = 5_000;

#[cfg(test)]
mod tests {
    use super::*;

    fn valid() -> RequestForm {
        RequestForm {
            target_type: "api".into(),
            target_name: "weather-forecast".into(),
            target_version: "1.1.0".into(),
            justification: "Customers need the alerts endpoint in production.".into(),
            impact: "low".into(),
            ..Default::default()
        }
    }

    #[test]
    fn the_form_names_every_bad_field() {
        let now = Utc::now();
        assert_eq!(check_form(&valid(), now), Ok(None));
        let bad = RequestForm {
            target_type: "database".into(),
            justification: "too short".into(),
            impact: "huge".into(),
            scheduled_at: "yesterday".into(),
            evidence_url: "ftp://x".into(),
            ..valid()
        };
        let fields: Vec<String> =
            check_form(&bad, now).expect_err("refused").into_iter().map(|e| e.field).collect();
        assert_eq!(fields, ["target_type", "justification", "impact", "evidence_url", "scheduled_at"]);
        let past = RequestForm { scheduled_at: "2020-01-01T10:00".into(), ..valid() };
        assert_eq!(check_form(&past, now).expect_err("refused")[0].code, "in-the-past");
        let later = RequestForm { scheduled_at: "2999-01-01T10:00".into(), ..valid() };
        assert!(check_form(&later, now).expect("valid").is_some());
        // Nineteen characters after trimming are not enough.
        let short = RequestForm { justification: format!("  {}  ", "x".repeat(19)), ..valid() };
        assert_eq!(check_form(&short, now).expect_err("refused")[0].code, "justification-too-short");
    }
}

//! Usage as CSV: a report's rows, and a dashboard's selection streamed a page at a time.

use super::dashboard::{dashboard_query, dashboard_scope};
use super::plan::Selection;
use crate::auth::CurrentUser;
use crate::db::metering::usage as db;
use crate::db::scope::{self, Visibility};
use crate::error::AppError;
use crate::model::metering::{DashboardQuery, Figures, GroupBy, UsageReport};
use chrono::{Duration, Utc};

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

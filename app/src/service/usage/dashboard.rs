//! The dashboards (`/usage`, `/console/usage`): a page's selection read from its form,
//! and the whole page for it in one pass (figures, breakdowns, quotas, last calls).

use super::plan::{instant, name_applications, visible_scope, Selection};
use crate::auth::CurrentUser;
use crate::db::metering::usage::{self as db, UsageScope};
use crate::db::scope::{self, Visibility};
use crate::domain::metering::{CallStatus, QuotaPeriod};
use crate::domain::permission::Permission;
use crate::error::AppError;
use crate::model::metering::{
    CallItem, Choice, DashboardQuery, GroupBy, Period, QuotaBar, UsageDashboard, UsageQuery, UsageReport,
    BREAKDOWN_ROWS,
};
use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use sqlx::PgConnection;
use std::collections::BTreeMap;
use uuid::Uuid;

/// Most days a custom period may span.
pub const MAX_CUSTOM_DAYS: i64 = 366;
/// Calls per page of the last calls list.
pub const CALLS_PER_PAGE: usize = 20;

/// The dashboard's selection as a usage query, or what is wrong with it (per field).
pub(super) fn dashboard_query(
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

pub(super) fn dashboard_scope(user: &CurrentUser, console: bool) -> Result<UsageScope<'_>, AppError> {
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

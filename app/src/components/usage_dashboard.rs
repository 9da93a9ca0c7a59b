//! The usage dashboard shared by `/usage` and `/console/usage`: the selection's form,
//! figures compared with the previous period, the charts, breakdowns, quota bars and the last
//! calls. The selection is a plain GET form, so every view is a URL and it all works without
//! JavaScript.

use crate::api::usage::{load_console_usage, load_usage};
use crate::components::chart::{CallsChart, LatencyChart};
use crate::components::error_view::PageError;
use crate::components::rcdata::PageTitle;
use crate::domain::chart::{fill, Fill};
use crate::domain::language::Language;
use crate::domain::metering::CallStatus;
use crate::domain::numbers::{bytes, change, count, decimal, millis, percent};
use crate::error::{AppError, FieldError};
use crate::i18n::{t, use_language};
use crate::model::metering::{
    CallItem, Choice, DashboardQuery, Figures, Granularity, QuotaBar, UsageDashboard, UsageGroup,
    BREAKDOWN_ROWS,
};
use crate::tr;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

fn base(console: bool) -> &'static str {
    if console {
        "/console/usage"
    } else {
        "/usage"
    }
}

#[component]
pub fn DashboardPage(console: bool) -> impl IntoView {
    let map = use_query_map();
    let query = map.with_untracked(|q| DashboardQuery {
        period: q.get("period"),
        from: q.get("from"),
        to: q.get("to"),
        application: q.get("application"),
        api: q.get("api"),
        status: q.get("status"),
        tenant: q.get("tenant"),
        before: q.get("before"),
        all: q.get("all"),
    });
    let request = query.clone();
    let data = Resource::new_blocking(
        move || request.clone(),
        move |q| async move {
            if console {
                load_console_usage(q).await
            } else {
                load_usage(q).await
            }
        },
    );
    let title = if console { tr!("usage-console-title") } else { tr!("usage-title") };
    view! {
        <PageTitle text=title />
        <Suspense fallback=|| view! { <p aria-busy="true">{tr!("loading")}</p> }>
            {move || {
                let query = query.clone();
                Suspend::new(async move {
                    match data.await {
                        Ok(d) => view! { <Dashboard query=query.clone() d /> }.into_any(),
                        Err(AppError::Validation(errors)) => view! {
                            <section>
                                <Heading console />
                                <Filters query=query.clone() console errors applications=vec![] apis=vec![] />
                            </section>
                        }
                        .into_any(),
                        Err(e) => view! { <PageError error=e next=base(console).to_owned() /> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

#[component]
fn Heading(console: bool) -> impl IntoView {
    view! {
        <h1 class="text-3xl font-bold tracking-tight">
            {if console { tr!("usage-console-heading") } else { tr!("usage-heading") }}
        </h1>
        <p class="mt-2 text-slate-600 dark:text-slate-300">
            {if console { tr!("usage-console-lead") } else { tr!("usage-lead") }}
        </p>
    }
}

/// The URL of the dashboard with `query`, `key` set to `value` (or removed), and the
/// last calls back on their first page.
fn href(console: bool, query: &DashboardQuery, key: &str, value: Option<&str>) -> String {
    let mut parts = Vec::new();
    for (k, v) in [
        ("period", &query.period),
        ("from", &query.from),
        ("to", &query.to),
        ("application", &query.application),
        ("api", &query.api),
        ("status", &query.status),
        ("tenant", &query.tenant),
        ("before", &query.before),
        ("all", &query.all),
    ] {
        let v = if k == key {
            value
        } else if k == "before" {
            None
        } else {
            v.as_deref()
        };
        if let Some(v) = v.filter(|v| !v.is_empty()) {
            parts.push(format!("{k}={}", crate::auth::encode_query_value(v)));
        }
    }
    if parts.is_empty() {
        base(console).to_owned()
    } else {
        format!("{}?{}", base(console), parts.join("&"))
    }
}

/// The CSV of the dashboard's selection: `rows` is `series` or `calls`.
fn csv_href(console: bool, query: &DashboardQuery, rows: &str) -> String {
    let page = href(console, query, "before", None);
    let (path, params) = page.split_once('?').unwrap_or((&page, ""));
    let sep = if params.is_empty() { "" } else { "&" };
    format!("{path}.csv?{params}{sep}rows={rows}")
}

fn field_message(errors: &[FieldError], field: &str) -> Option<String> {
    errors.iter().find(|e| e.field == field).map(|e| t(&format!("usage-error-{}", e.code)))
}

const STATUSES: [CallStatus; 5] = [
    CallStatus::Success,
    CallStatus::Error,
    CallStatus::NotFound,
    CallStatus::RateLimited,
    CallStatus::PolicyDenied,
];

fn status_key(s: CallStatus) -> &'static str {
    match s {
        CallStatus::Success => "usage-status-success",
        CallStatus::Error => "usage-status-error",
        CallStatus::NotFound => "usage-status-not-found",
        CallStatus::RateLimited => "usage-status-rate-limited",
        CallStatus::PolicyDenied => "usage-status-policy-denied",
    }
}

/// The selection form: period (or days), application, API, status.
#[component]
fn Filters(
    query: DashboardQuery,
    console: bool,
    errors: Vec<FieldError>,
    applications: Vec<Choice>,
    apis: Vec<Choice>,
) -> impl IntoView {
    let input = "mt-1 block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm shadow-card dark:border-slate-700 dark:bg-slate-900";
    let period = query.period.clone().filter(|p| !p.is_empty()).unwrap_or_else(|| "24h".to_owned());
    let message = |name: &str| {
        field_message(&errors, name).map(|m| {
            view! { <p id=format!("usage-{name}-error") class="mt-1 text-sm text-rose-700 dark:text-rose-300">{m}</p> }
        })
    };
    let invalid = |name: &str| field_message(&errors, name).map(|_| "true");
    let described = |name: &str| field_message(&errors, name).map(|_| format!("usage-{name}-error"));
    let option = |value: String, label: String, current: &Option<String>| {
        let selected = current.as_deref() == Some(value.as_str());
        view! { <option value=value selected=selected>{label}</option> }
    };
    let periods = [
        ("1h", tr!("usage-period-1h")),
        ("24h", tr!("usage-period-24h")),
        ("7d", tr!("usage-period-7d")),
        ("30d", tr!("usage-period-30d")),
        ("12m", tr!("usage-period-12m")),
        ("custom", tr!("usage-period-custom")),
    ];
    let current_period = Some(period.clone());
    // A labelled choice of the form, with its message when the value was refused.
    let select = |name: &'static str, label: String, options: AnyView| {
        view! {
            <div>
                <label for=format!("usage-{name}") class="block text-sm font-medium">{label}</label>
                <select id=format!("usage-{name}") name=name class=input aria-invalid=invalid(name) aria-describedby=described(name)>
                    {options}
                </select>
                {message(name)}
            </div>
        }
    };
    let all = || view! { <option value="">{tr!("usage-all")}</option> };
    view! {
        <form method="get" action=base(console) role="search" aria-label=tr!("usage-filters")
            class="mt-6 grid grid-cols-1 gap-4 rounded-xl border border-slate-200 bg-white p-4 shadow-card sm:grid-cols-2 lg:grid-cols-4 lg:items-end dark:border-slate-800 dark:bg-slate-900">
            {select("period", tr!("usage-period"),
                periods.into_iter().map(|(v, l)| option(v.to_owned(), l, &current_period)).collect_view().into_any())}
            <div>
                <label for="usage-from" class="block text-sm font-medium">{tr!("usage-from")}</label>
                <input id="usage-from" name="from" type="date" class=input value=query.from.clone().unwrap_or_default()
                    aria-invalid=invalid("from") aria-describedby=described("from") />
                {message("from")}
            </div>
            <div>
                <label for="usage-to" class="block text-sm font-medium">{tr!("usage-to")}</label>
                <input id="usage-to" name="to" type="date" class=input value=query.to.clone().unwrap_or_default()
                    aria-invalid=invalid("to") aria-describedby=described("to") />
                {message("to")}
            </div>
            {select("application", tr!("usage-application"), view! {
                {all()}
                {applications.into_iter().map(|c| option(c.value, c.label, &query.application)).collect_view()}
            }.into_any())}
            {select("api", tr!("usage-api"), view! {
                {all()}
                {apis.into_iter().map(|c| option(c.value, c.label, &query.api)).collect_view()}
            }.into_any())}
            {select("status", tr!("usage-status"), view! {
                {all()}
                {STATUSES.into_iter().map(|s| option(s.as_str().to_owned(), t(status_key(s)), &query.status)).collect_view()}
            }.into_any())}
            {query.tenant.clone().filter(|t| !t.is_empty()).map(|t| view! { <input type="hidden" name="tenant" value=t /> })}
            <div class="flex flex-wrap gap-2">
                <button type="submit" class="rounded-md bg-indigo-600 px-4 py-2 text-sm font-semibold text-white shadow-card hover:bg-indigo-500">
                    {tr!("usage-apply")}
                </button>
                <a href=base(console) class="rounded-md border border-slate-300 px-3 py-2 text-sm font-medium hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800">
                    {tr!("usage-reset")}
                </a>
            </div>
        </form>
        {(!errors.is_empty()).then(|| {
            // What is wrong with a part of the URL the form has no field for.
            let others: Vec<String> = ["before", "tenant", "granularity"]
                .into_iter()
                .filter_map(|f| field_message(&errors, f))
                .collect();
            view! {
                <p role="alert" class="mt-4 text-sm text-rose-700 dark:text-rose-300">
                    {tr!("error-validation")}
                    {others.into_iter().map(|m| view! { " " {m} }).collect_view()}
                    {query.before.is_some().then(|| view! {
                        " " <a href=href(console, &query, "before", None) class="underline">{tr!("usage-newest")}</a>
                    })}
                </p>
            }
        })}
    }
}

fn period_words(d: &UsageDashboard) -> String {
    match d.period.as_str() {
        "custom" => tr!("usage-period-days", { "from" => d.from_day.clone(), "to" => d.to_day.clone() }),
        p => t(&format!("usage-period-{p}")),
    }
}

/// Why the series has the resolution it has.
fn resolution_words(g: Granularity) -> String {
    match g {
        Granularity::Minute => tr!("usage-resolution-minute"),
        Granularity::Hour => tr!("usage-resolution-hour"),
        Granularity::Day => tr!("usage-resolution-day"),
        Granularity::Month => tr!("usage-resolution-month"),
    }
}

#[component]
fn Dashboard(query: DashboardQuery, d: UsageDashboard) -> impl IntoView {
    let console = d.console;
    let lang = use_language();
    let section = "mt-8 rounded-xl border border-slate-200 bg-white p-4 shadow-card dark:border-slate-800 dark:bg-slate-900";
    let empty = !d.any_call;
    // The console names each consumer's tenant with its application.
    let consumers: Vec<UsageGroup> = d
        .report
        .groups
        .iter()
        .cloned()
        .map(|mut g| {
            if let (true, Some(label), Some(tenant)) = (console, &g.label, &g.tenant) {
                g.label = Some(format!("{label} · {tenant}"));
            }
            g
        })
        .collect();
    // Each breakdown shows its busiest groups, with a link to show it whole (and back).
    let whole = |key: &'static str| Whole {
        shown: query.all.as_deref() == Some(key),
        more: href(console, &query, "all", Some(key)),
        less: href(console, &query, "all", None),
    };
    view! {
        <section>
            <Heading console />
            <Filters query=query.clone() console errors=vec![] applications=d.applications.clone() apis=d.apis.clone() />
            // Swapped in place every 5 s by /live.js while the period runs up to now.
            <script type="module" src="/live.js"></script>
            <div id="usage-live" data-live=if d.live { "on" } else { "off" }>
            {if empty {
                view! { <EmptyState console /> }.into_any()
            } else {
                view! {
                    <p class="mt-4 text-sm text-slate-600 dark:text-slate-400">
                        {period_words(&d)} " · " {resolution_words(d.report.granularity)} " · " {tr!("usage-times-utc")}
                    </p>
                    <Cards now=d.report.totals.clone() before=d.previous.clone() lang />
                    <p class="mt-4 flex flex-wrap items-center gap-3 text-sm">
                        <span>{tr!("usage-download")}</span>
                        <a href=csv_href(console, &query, "series") download class="text-indigo-700 underline hover:no-underline dark:text-indigo-300">{tr!("usage-download-series")}</a>
                        <a href=csv_href(console, &query, "calls") download class="text-indigo-700 underline hover:no-underline dark:text-indigo-300">{tr!("usage-download-calls")}</a>
                    </p>
                    <div class="mt-8 grid grid-cols-1 gap-8 lg:grid-cols-2">
                        <div class=section><CallsChart points=d.report.series.clone() granularity=d.report.granularity lang /></div>
                        <div class=section><LatencyChart points=d.report.series.clone() granularity=d.report.granularity lang /></div>
                    </div>
                    {(!d.quotas.is_empty()).then(|| view! { <div class=section><Quotas bars=d.quotas.clone() lang /></div> })}
                    <div class="mt-8 grid grid-cols-1 gap-8 lg:grid-cols-2">
                        <Breakdown title=if console { tr!("usage-top-consumers") } else { tr!("usage-by-application") } groups=consumers lang
                            whole=whole("application")
                            link=Box::new({ let q = query.clone(); move |k: &str| (k != "unknown").then(|| href(console, &q, "application", Some(k))) }) />
                        <Breakdown title=tr!("usage-by-api") groups=d.by_api.clone() lang whole=whole("api")
                            link=Box::new({ let q = query.clone(); move |k: &str| Some(href(console, &q, "api", Some(k))) }) />
                        <Breakdown title=tr!("usage-by-operation") groups=d.by_tool.clone() lang whole=whole("tool") link=Box::new(|_: &str| None) />
                        {(!d.by_tenant.is_empty()).then(|| view! {
                            <Breakdown title=tr!("usage-by-tenant") groups=d.by_tenant.clone() lang whole=whole("tenant")
                                link=Box::new({ let q = query.clone(); move |k: &str| Some(href(console, &q, "tenant", Some(k))) }) />
                        })}
                    </div>
                    <div class=section>
                        <LastCalls calls=d.calls.clone() raw_days=d.raw_days lang
                            older=d.older.clone().map(|o| href(console, &query, "before", Some(&o)))
                            newest=query.before.is_some().then(|| href(console, &query, "before", None)) />
                    </div>
                }.into_any()
            }}
            </div>
        </section>
    }
}

#[component]
fn EmptyState(console: bool) -> impl IntoView {
    let link =
        "rounded-md bg-indigo-600 px-4 py-2 text-sm font-semibold text-white shadow-card hover:bg-indigo-500";
    view! {
        <div class="mt-8 rounded-xl border border-dashed border-slate-300 p-8 text-center dark:border-slate-700">
            <h2 class="text-lg font-semibold">{tr!("usage-empty-heading")}</h2>
            <p class="mt-2 text-slate-600 dark:text-slate-400">
                {if console { tr!("usage-console-empty") } else { tr!("usage-empty") }}
            </p>
            {(!console).then(|| view! {
                <p class="mt-4 flex justify-center gap-3">
                    <a href="/catalog" class=link>{tr!("usage-empty-catalog")}</a>
                    <a href="/apps" class="rounded-md border border-slate-300 px-4 py-2 text-sm font-medium hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800">{tr!("usage-empty-apps")}</a>
                </p>
            })}
        </div>
    }
}

fn success_rate(f: &Figures) -> Option<f64> {
    (f.calls > 0).then(|| f.success as f64 / f.calls as f64 * 100.0)
}

/// "+12.5 % vs the previous period" (or points for a rate); nothing to compare with:
/// says so.
fn delta_words(now: Option<f64>, before: Option<f64>, points: bool, lang: Language) -> String {
    match (now, before) {
        (Some(n), Some(b)) if points => {
            let d = n - b;
            tr!("usage-delta-points", { "sign" => if d >= 0.0 { "+" } else { "" }, "value" => decimal(d, 1, lang) })
        }
        (Some(n), Some(b)) => match change(n, b) {
            Some(c) => {
                tr!("usage-delta", { "sign" => if c >= 0.0 { "+" } else { "" }, "value" => decimal(c, 1, lang) })
            }
            None => tr!("usage-delta-none"),
        },
        _ => tr!("usage-delta-none"),
    }
}

#[component]
fn Cards(now: Figures, before: Figures, lang: Language) -> impl IntoView {
    let ms = |v: Option<f64>| v.map(|v| format!("{} ms", millis(v, lang))).unwrap_or_else(|| "–".to_owned());
    let cards = vec![
        (
            tr!("usage-calls"),
            count(now.calls, lang),
            delta_words(Some(now.calls as f64), Some(before.calls as f64), false, lang),
        ),
        (
            tr!("usage-success-rate"),
            success_rate(&now).map(|r| percent(r, lang)).unwrap_or_else(|| "–".to_owned()),
            delta_words(success_rate(&now), success_rate(&before), true, lang),
        ),
        (
            tr!("usage-errors"),
            count(now.errors, lang),
            delta_words(Some(now.errors as f64), Some(before.errors as f64), false, lang),
        ),
        (tr!("usage-p50"), ms(now.p50_ms), delta_words(now.p50_ms, before.p50_ms, false, lang)),
        (tr!("usage-p95"), ms(now.p95_ms), delta_words(now.p95_ms, before.p95_ms, false, lang)),
        (tr!("usage-p99"), ms(now.p99_ms), delta_words(now.p99_ms, before.p99_ms, false, lang)),
    ];
    let classes = [
        (tr!("usage-status-error"), now.failed),
        (tr!("usage-status-not-found"), now.not_found),
        (tr!("usage-status-rate-limited"), now.rate_limited),
        (tr!("usage-status-policy-denied"), now.policy_denied),
    ];
    view! {
        <dl class="mt-4 grid grid-cols-1 gap-4 sm:grid-cols-3 lg:grid-cols-6">
            {cards.into_iter().map(|(label, value, delta)| view! {
                <div class="rounded-xl border border-slate-200 bg-white p-4 shadow-card dark:border-slate-800 dark:bg-slate-900">
                    <dt class="text-sm text-slate-600 dark:text-slate-400">{label}</dt>
                    <dd class="mt-1 text-2xl font-semibold tabular-figures">{value}</dd>
                    <dd class="mt-1 text-xs text-slate-600 dark:text-slate-400">{delta}</dd>
                </div>
            }).collect_view()}
        </dl>
        <p class="mt-3 text-sm text-slate-600 dark:text-slate-400">
            {tr!("usage-error-classes")} " "
            {classes.into_iter().map(|(l, n)| view! { <span class="mr-3 inline-block whitespace-nowrap">{l} ": " <strong class="tabular-figures">{count(n, lang)}</strong></span> }).collect_view()}
        </p>
    }
}

/// Where a breakdown's group leads (the dashboard filtered on it), if anywhere.
type GroupLink = Box<dyn Fn(&str) -> Option<String>>;

/// Whether a breakdown is shown whole, and the links to show it whole or not.
struct Whole {
    shown: bool,
    more: String,
    less: String,
}

/// A breakdown: each group's calls, success rate, errors and p95, linked to the
/// dashboard filtered on it where that is a filter; the busiest [`BREAKDOWN_ROWS`]
/// groups, or all of them.
#[component]
fn Breakdown(
    title: String,
    groups: Vec<UsageGroup>,
    lang: Language,
    link: GroupLink,
    whole: Whole,
) -> impl IntoView {
    let region = title.clone();
    let total = groups.len();
    let rows = if whole.shown { total } else { BREAKDOWN_ROWS };
    let link_class = "text-indigo-700 underline hover:no-underline dark:text-indigo-300";
    let footer = if whole.shown && total > BREAKDOWN_ROWS {
        Some(view! {
            <p class="mt-2 text-sm">
                <a href=whole.less class=link_class>{tr!("usage-show-busiest", { "rows" => BREAKDOWN_ROWS })}</a>
            </p>
        }.into_any())
    } else if total > BREAKDOWN_ROWS {
        Some(view! {
            <p class="mt-2 text-sm text-slate-600 dark:text-slate-400">
                {tr!("usage-busiest-of", { "rows" => BREAKDOWN_ROWS, "total" => count(total as u64, lang) })} " "
                <a href=whole.more class=link_class>{tr!("usage-show-all", { "total" => count(total as u64, lang) })}</a>
            </p>
        }.into_any())
    } else {
        None
    };
    let th = "px-3 py-2 text-left text-xs font-semibold uppercase tracking-wide text-slate-600 dark:text-slate-400";
    view! {
        <div class="rounded-xl border border-slate-200 bg-white p-4 shadow-card dark:border-slate-800 dark:bg-slate-900">
            <h2 class="text-lg font-semibold">{title.clone()}</h2>
            {if groups.is_empty() {
                view! { <p class="mt-2 text-sm text-slate-600 dark:text-slate-400">{tr!("usage-no-calls")}</p> }.into_any()
            } else {
                view! {
                    // Focusable, so that a keyboard can scroll it on a narrow screen.
                    <div class="mt-2 overflow-x-auto" tabindex="0" role="region" aria-label=region>
                        <table class="min-w-full divide-y divide-slate-200 dark:divide-slate-800">
                            <caption class="sr-only">{title}</caption>
                            <thead><tr>
                                <th scope="col" class=th>{tr!("usage-col-name")}</th>
                                <th scope="col" class=th>{tr!("usage-calls")}</th>
                                <th scope="col" class=th>{tr!("usage-success-rate")}</th>
                                <th scope="col" class=th>{tr!("usage-errors")}</th>
                                <th scope="col" class=th>{tr!("usage-p95")}</th>
                            </tr></thead>
                            <tbody class="divide-y divide-slate-100 text-sm tabular-figures dark:divide-slate-800 [&_td]:px-3 [&_td]:py-2">
                                {groups.into_iter().take(rows).map(|g| {
                                    let name = if g.key == "unknown" { tr!("usage-unknown-consumer") } else { g.label.clone().unwrap_or_else(|| g.key.clone()) };
                                    let cell = match link(&g.key) {
                                        Some(h) => view! { <a href=h class=link_class>{name}</a> }.into_any(),
                                        None => view! { <span class="font-mono text-xs">{name}</span> }.into_any(),
                                    };
                                    view! {
                                        <tr>
                                            <th scope="row" class="px-3 py-2 text-left text-sm font-normal">{cell}</th>
                                            <td>{count(g.figures.calls, lang)}</td>
                                            <td>{success_rate(&g.figures).map(|r| percent(r, lang)).unwrap_or_default()}</td>
                                            <td>{count(g.figures.errors, lang)}</td>
                                            <td>{g.figures.p95_ms.map(|v| format!("{} ms", millis(v, lang))).unwrap_or_default()}</td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                    {footer}
                }.into_any()
            }}
        </div>
    }
}

/// "in 5 h 12 min" or "in 12 days".
fn reset_words(minutes: i64) -> String {
    if minutes < 24 * 60 {
        tr!("usage-resets-in-hours", { "hours" => minutes / 60, "minutes" => minutes % 60 })
    } else {
        tr!("usage-resets-in-days", { "days" => (minutes + 24 * 60 - 1) / (24 * 60) })
    }
}

#[component]
fn Quotas(bars: Vec<QuotaBar>, lang: Language) -> impl IntoView {
    let bar = move |label: String, used: u64, limit: Option<u64>, reset: i64| {
        limit.map(|limit| {
            let pct = if limit == 0 { 100.0 } else { (used as f64 / limit as f64 * 100.0).min(100.0) };
            let colour = match fill(used, limit) {
                Fill::Low => "bg-emerald-600 dark:bg-emerald-400",
                Fill::Middle => "bg-amber-500 dark:bg-amber-400",
                Fill::High => "bg-rose-600 dark:bg-rose-400",
            };
            let level = match fill(used, limit) {
                Fill::Low => "low",
                Fill::Middle => "middle",
                Fill::High => "high",
            };
            let text = tr!("usage-quota-of", {
                "used" => count(used, lang),
                "limit" => count(limit, lang),
                "percent" => decimal(used as f64 / limit.max(1) as f64 * 100.0, 1, lang),
            });
            view! {
                <div class="mt-2" data-fill=level>
                    <div class="flex flex-wrap justify-between gap-x-3 text-sm">
                        <span>{label.clone()}</span> " "
                        <span class="tabular-figures">{text.clone()} " · " {reset_words(reset)}</span>
                    </div>
                    <div class="mt-1 h-2 w-full rounded-full bg-slate-200 dark:bg-slate-700" role="meter" aria-label=label.clone() aria-valuemin="0"
                        aria-valuemax=limit.to_string() aria-valuenow=used.min(limit).to_string() aria-valuetext=text>
                        <div class=format!("h-2 rounded-full {colour}") style=format!("width: {pct:.1}%")></div>
                    </div>
                </div>
            }
        })
    };
    view! {
        <h2 class="text-lg font-semibold">{tr!("usage-quotas")}</h2>
        <ul class="mt-2 divide-y divide-slate-100 dark:divide-slate-800">
            {bars.into_iter().map(|b| {
                let unlimited = b.daily_quota.is_none() && b.monthly_quota.is_none();
                view! {
                    <li class="py-3">
                        <p class="text-sm font-medium">
                            {b.application.clone()} " → " {b.api_name.clone()}
                            {b.plan.clone().map(|p| view! { <span class="text-slate-600 dark:text-slate-400">" (" {p} ")"</span> })}
                        </p>
                        {bar(tr!("usage-quota-today"), b.today, b.daily_quota, b.daily_reset_minutes)}
                        {bar(tr!("usage-quota-month"), b.month, b.monthly_quota, b.monthly_reset_minutes)}
                        {unlimited.then(|| view! {
                            <p class="mt-1 text-sm text-slate-600 dark:text-slate-400">{tr!("usage-quota-none", { "today" => count(b.today, lang), "month" => count(b.month, lang) })}</p>
                        })}
                    </li>
                }
            }).collect_view()}
        </ul>
    }
}

#[component]
fn LastCalls(
    calls: Vec<CallItem>,
    raw_days: u32,
    lang: Language,
    older: Option<String>,
    newest: Option<String>,
) -> impl IntoView {
    let th = "px-3 py-2 text-left text-xs font-semibold uppercase tracking-wide text-slate-600 dark:text-slate-400";
    let nav = "rounded-md border border-slate-300 px-3 py-1.5 text-sm font-medium hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800";
    view! {
        <h2 class="text-lg font-semibold">{tr!("usage-last-calls")}</h2>
        <p class="mt-1 text-sm text-slate-600 dark:text-slate-400">{tr!("usage-last-calls-kept", { "days" => raw_days })}</p>
        {if calls.is_empty() {
            view! { <p class="mt-2 text-sm text-slate-600 dark:text-slate-400">{tr!("usage-no-calls")}</p> }.into_any()
        } else {
            view! {
                <div class="mt-2 overflow-x-auto" tabindex="0" role="region" aria-label=tr!("usage-last-calls")>
                    <table class="min-w-full divide-y divide-slate-200 dark:divide-slate-800" id="usage-last-calls">
                        <caption class="sr-only">{tr!("usage-last-calls")}</caption>
                        <thead><tr>
                            <th scope="col" class=th>{tr!("usage-col-time")}</th>
                            <th scope="col" class=th>{tr!("usage-application")}</th>
                            <th scope="col" class=th>{tr!("usage-api")}</th>
                            <th scope="col" class=th>{tr!("usage-col-operation")}</th>
                            <th scope="col" class=th>{tr!("usage-status")}</th>
                            <th scope="col" class=th>{tr!("usage-col-latency")}</th>
                            <th scope="col" class=th>{tr!("usage-col-sizes")}</th>
                        </tr></thead>
                        // The cells' look is said once, on the body: 20 rows × 7 cells.
                        <tbody class="divide-y divide-slate-100 text-sm tabular-figures whitespace-nowrap dark:divide-slate-800 [&_td]:px-3 [&_td]:py-2">
                            {calls.into_iter().map(|c| view! {
                                <tr>
                                    <td><crate::components::when::When at=c.at.clone() exact=true /></td>
                                    <td>{c.application.clone().unwrap_or_else(|| tr!("usage-unknown-consumer"))}
                                        {c.try_it.then(|| view! { <span class="ml-1 rounded bg-slate-100 px-1 text-xs dark:bg-slate-800">{tr!("usage-try-it")}</span> })}</td>
                                    <td>{c.api.clone()}</td>
                                    <td class="font-mono text-xs">{c.http_method.clone().map(|m| format!("{m} ")).unwrap_or_default()}{c.tool.clone()}</td>
                                    <td>{t(status_key(c.status))}
                                        // The other kinds name their code already.
                                        {matches!(c.status, CallStatus::Success | CallStatus::Error).then_some(c.http_status).flatten().map(|s| format!(" ({s})"))}</td>
                                    <td>{format!("{} ms", millis(c.latency_ms, lang))}</td>
                                    <td>{format!("{} / {}", bytes(c.request_bytes, lang), bytes(c.response_bytes, lang))}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            }.into_any()
        }}
        <nav class="mt-3 flex gap-2" aria-label=tr!("usage-last-calls")>
            {newest.map(|h| view! { <a href=h class=nav>{tr!("usage-newest")}</a> })}
            {older.map(|h| view! { <a href=h class=nav rel="next">{tr!("usage-older")}</a> })}
        </nav>
    }
}

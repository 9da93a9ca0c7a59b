//! `/console/onboarding`: how users get through the onboarding wizard — of those who
//! started in a period, how many got past each step (a server-drawn bar chart and its
//! table), the times to first call, each tenant's funnel for a platform admin, and who
//! has been stuck at a step longer than the hours chosen. A plain GET form.

use crate::api::onboarding::load_onboarding_funnel;
use crate::components::data_table::DataTable;
use crate::components::error_view::PageError;
use crate::components::rcdata::PageTitle;
use crate::components::ui::{BUTTON, CARD, FIELD_ERROR, INPUT};
use crate::domain::language::Language;
use crate::domain::numbers::{count, duration};
use crate::domain::onboarding::Stage;
use crate::error::{AppError, FieldError};
use crate::i18n::{t, use_language};
use crate::model::onboarding::{FunnelQuery, FunnelReport, FunnelStage, StalledUser};
use crate::tr;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

const BASE: &str = "/console/onboarding";
const DAYS: [u32; 4] = [7, 30, 90, 365];

/// A number field of the form: absent when empty, `0` (refused next to the field) when
/// it is not a number.
fn number(value: Option<String>) -> Option<u32> {
    value.map(|v| v.trim().to_owned()).filter(|v| !v.is_empty()).map(|v| v.parse().unwrap_or(0))
}

/// The page.
#[component]
pub fn OnboardingFunnelPage() -> impl IntoView {
    let map = use_query_map();
    let query = map.with_untracked(|q| FunnelQuery {
        days: number(q.get("days")),
        stalled_hours: number(q.get("stalled_hours")),
        tenant: q.get("tenant").filter(|t| !t.trim().is_empty()),
    });
    let across = crate::auth::current_user()
        .is_some_and(|u| u.may(crate::domain::permission::Permission::ActAcrossTenants));
    let request = query.clone();
    let data = Resource::new_blocking(move || request.clone(), load_onboarding_funnel);
    view! {
        <PageTitle text=tr!("onboarding-funnel-title") />
        <Suspense fallback=|| view! { <p aria-busy="true">{tr!("loading")}</p> }>
            {move || {
                let query = query.clone();
                Suspend::new(async move {
                    match data.await {
                        Ok(report) => view! {
                            <section>
                                <Heading />
                                <Filters query=query.clone() errors=vec![] across tenants=report.tenants.clone() />
                                <Funnel report />
                            </section>
                        }
                        .into_any(),
                        Err(AppError::Validation(errors)) => view! {
                            <section>
                                <Heading />
                                <Filters query=query.clone() errors across tenants=vec![] />
                            </section>
                        }
                        .into_any(),
                        Err(e) => view! { <PageError error=e next=BASE.to_owned() /> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

#[component]
fn Heading() -> impl IntoView {
    view! {
        <h1 class="text-3xl font-bold tracking-tight">{tr!("onboarding-funnel-heading")}</h1>
        <p class="mt-2 text-slate-600 dark:text-slate-300">{tr!("onboarding-funnel-lead")}</p>
    }
}

/// The query string of the page's selection (for the CSV links and the tenants' rows).
fn params(days: u32, stalled_hours: u32, tenant: Option<&str>) -> String {
    let mut out = format!("days={days}&stalled_hours={stalled_hours}");
    if let Some(t) = tenant {
        out.push_str(&format!("&tenant={}", crate::auth::encode_query_value(t)));
    }
    out
}

#[component]
fn Filters(
    query: FunnelQuery,
    errors: Vec<FieldError>,
    across: bool,
    tenants: Vec<crate::model::onboarding::TenantChoice>,
) -> impl IntoView {
    let message = |field: &str| {
        errors.iter().find(|e| e.field == field).map(|_| {
            let key = format!("onboarding-funnel-error-{}", field.replace('_', "-"));
            view! { <p id=format!("funnel-{field}-error") class=FIELD_ERROR>{t(&key)}</p> }
        })
    };
    let refused = |field: &str| errors.iter().any(|e| e.field == field);
    let days = query.days.unwrap_or(crate::model::onboarding::FUNNEL_DAYS);
    let hours = match query.stalled_hours {
        Some(h) => h.to_string(),
        None => crate::model::onboarding::STALLED_HOURS.to_string(),
    };
    view! {
        <form method="get" action=BASE role="search" aria-label=tr!("onboarding-funnel-filters")
            class="mt-6 grid grid-cols-1 gap-4 rounded-xl border border-slate-200 bg-white p-4 shadow-card sm:grid-cols-2 lg:grid-cols-4 lg:items-end dark:border-slate-800 dark:bg-slate-900">
            <div>
                <label for="funnel-days" class="block text-sm font-medium">{tr!("onboarding-funnel-days")}</label>
                <select id="funnel-days" name="days" class=INPUT aria-invalid=refused("days").then_some("true")
                    aria-describedby=refused("days").then_some("funnel-days-error")>
                    {DAYS.into_iter().map(|d| view! {
                        <option value=d.to_string() selected=d == days>{tr!("onboarding-funnel-days-option", { "days" => d })}</option>
                    }).collect_view()}
                </select>
                {message("days")}
            </div>
            <div>
                <label for="funnel-stalled" class="block text-sm font-medium">{tr!("onboarding-funnel-stalled-hours")}</label>
                <input id="funnel-stalled" name="stalled_hours" type="number" min="1" max="720" required value=hours class=INPUT
                    aria-invalid=refused("stalled_hours").then_some("true")
                    aria-describedby=refused("stalled_hours").then_some("funnel-stalled_hours-error") />
                {message("stalled_hours")}
            </div>
            {across.then(|| view! {
                <div>
                    <label for="funnel-tenant" class="block text-sm font-medium">{tr!("onboarding-funnel-tenant")}</label>
                    // The portal's tenants to choose from; typed only when the list could not be read.
                    {if tenants.is_empty() {
                        view! {
                            <input id="funnel-tenant" name="tenant" type="text" maxlength="64" class=INPUT
                                value=query.tenant.clone().unwrap_or_default() aria-describedby="funnel-tenant-help"
                                aria-invalid=refused("tenant").then_some("true") />
                        }.into_any()
                    } else {
                        let chosen = query.tenant.clone().unwrap_or_default();
                        view! {
                            <select id="funnel-tenant" name="tenant" class=INPUT aria-describedby="funnel-tenant-help"
                                aria-invalid=refused("tenant").then_some("true")>
                                <option value="" selected=chosen.is_empty()>{tr!("onboarding-funnel-every-tenant")}</option>
                                {tenants.into_iter().map(|crate::model::onboarding::TenantChoice { id, name }| {
                                    let on = chosen == id;
                                    view! { <option value=id.clone() selected=on>{format!("{name} ({id})")}</option> }
                                }).collect_view()}
                            </select>
                        }.into_any()
                    }}
                    <p id="funnel-tenant-help" class="mt-1 text-xs text-slate-600 dark:text-slate-400">{tr!("onboarding-funnel-tenant-help")}</p>
                    {message("tenant")}
                </div>
            })}
            <div>
                <button type="submit" class=BUTTON>{tr!("onboarding-funnel-apply")}</button>
            </div>
        </form>
    }
}

fn percent(p: Option<f64>, lang: Language) -> String {
    p.map(|p| crate::domain::numbers::percent(p, lang)).unwrap_or_else(|| "–".to_owned())
}

fn stage_words(stage: Stage) -> String {
    t(&format!("onboarding-stage-{}", stage.slug()))
}

#[component]
fn Funnel(report: FunnelReport) -> impl IntoView {
    let lang = use_language();
    let f = report.funnel.clone();
    let query = params(report.days, report.stalled_hours, report.tenant.as_deref());
    let seconds = |s: Option<i64>| s.map(duration).unwrap_or_else(|| "–".to_owned());
    let cards = [
        (tr!("onboarding-funnel-started"), count(f.started.max(0) as u64, lang)),
        (tr!("onboarding-funnel-completed"), count(f.first_call.max(0) as u64, lang)),
        (
            tr!("onboarding-funnel-conversion"),
            percent(crate::domain::onboarding::conversion(f.first_call, f.started), lang),
        ),
        (tr!("onboarding-funnel-p50"), seconds(f.p50_seconds)),
        (tr!("onboarding-funnel-p90"), seconds(f.p90_seconds)),
    ];
    view! {
        <p class="mt-6 text-sm text-slate-600 dark:text-slate-400">
            {match report.tenant.clone() {
                Some(tenant) => tr!("onboarding-funnel-scope-tenant", { "days" => report.days, "tenant" => tenant }),
                None => tr!("onboarding-funnel-scope-all", { "days" => report.days }),
            }}
        </p>
        <dl class="mt-4 grid grid-cols-1 gap-4 sm:grid-cols-3 lg:grid-cols-5">
            {cards.into_iter().map(|(label, value)| view! {
                <div class=CARD>
                    <dt class="text-sm text-slate-600 dark:text-slate-400">{label}</dt>
                    <dd class="mt-1 text-2xl font-semibold tabular-figures">{value}</dd>
                </div>
            }).collect_view()}
        </dl>
        {if f.started == 0 {
            view! { <p class=CARD>{tr!("onboarding-funnel-empty")}</p> }.into_any()
        } else {
            view! {
                <section class=CARD aria-labelledby="funnel-chart-heading">
                    <h2 id="funnel-chart-heading" class="text-lg font-semibold">{tr!("onboarding-funnel-chart")}</h2>
                    <Chart stages=report.stages.clone() lang />
                    <StagesTable stages=report.stages.clone() lang />
                </section>
            }.into_any()
        }}
        {(!report.by_tenant.is_empty()).then(|| {
            let days = report.days;
            let hours = report.stalled_hours;
            view! {
                <section class=CARD aria-labelledby="funnel-tenants-heading">
                    <h2 id="funnel-tenants-heading" class="text-lg font-semibold">{tr!("onboarding-funnel-by-tenant")}</h2>
                    <div class="mt-2 overflow-x-auto" tabindex="0" role="region" aria-labelledby="funnel-tenants-heading">
                        <table class="min-w-full text-sm">
                            <thead><tr class="text-left text-xs uppercase tracking-wide text-slate-600 dark:text-slate-400 [&_th]:px-3 [&_th]:py-1">
                                <th scope="col">{tr!("onboarding-funnel-col-tenant")}</th>
                                {Stage::ALL.iter().map(|s| view! { <th scope="col">{stage_words(*s)}</th> }).collect_view()}
                                <th scope="col">{tr!("onboarding-funnel-p50")}</th>
                            </tr></thead>
                            <tbody class="tabular-figures [&_td]:px-3 [&_td]:py-1">
                                {report.by_tenant.clone().into_iter().map(|tf| {
                                    let href = format!("{BASE}?{}", params(days, hours, Some(&tf.tenant)));
                                    view! {
                                        <tr>
                                            <th scope="row" class="px-3 py-1 text-left font-medium"><a href=href class="text-indigo-700 underline dark:text-indigo-300">{tf.tenant.clone()}</a></th>
                                            {tf.funnel.stages().into_iter().map(|(_, n)| view! { <td>{count(n.max(0) as u64, lang)}</td> }).collect_view()}
                                            <td>{seconds(tf.funnel.p50_seconds)}</td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                </section>
            }
        })}
        <Stalled stalled=report.stalled.clone() total=report.stalled_total hours=report.stalled_hours lang />
        <p class="mt-6 flex flex-wrap gap-4 text-sm">
            <a href=format!("{BASE}.csv?{query}&rows=stages") class="text-indigo-700 underline dark:text-indigo-300" download="">{tr!("onboarding-funnel-csv")}</a>
            <a href=format!("{BASE}.csv?{query}&rows=stalled") class="text-indigo-700 underline dark:text-indigo-300" download="">{tr!("onboarding-funnel-csv-stalled")}</a>
        </p>
    }
}

/// Each stage a bar as long as its share of those who started.
#[component]
fn Chart(stages: Vec<FunnelStage>, lang: Language) -> impl IntoView {
    const W: f64 = 640.0;
    const LABEL: f64 = 150.0;
    const ROW: f64 = 34.0;
    const BAR: f64 = 22.0;
    let bar_space = W - LABEL - 120.0;
    let h = ROW * stages.len() as f64 + 8.0;
    let rows = stages
        .into_iter()
        .enumerate()
        .map(|(i, s)| {
            let y = 4.0 + i as f64 * ROW;
            let share = s.of_started_percent.unwrap_or(0.0) / 100.0;
            let width = (bar_space * share).max(if s.users > 0 { 2.0 } else { 0.0 });
            let value = format!("{} · {}", count(s.users.max(0) as u64, lang), percent(s.of_started_percent, lang));
            view! {
                <text x=format!("{:.0}", LABEL - 8.0) y=format!("{:.1}", y + BAR / 2.0 + 4.0) text-anchor="end" fill="currentColor" font-size="13">{stage_words(s.stage)}</text>
                <rect x=format!("{LABEL:.0}") y=format!("{y:.1}") width=format!("{width:.1}") height=format!("{BAR:.0}") rx="3" class="fill-indigo-600 dark:fill-indigo-400" />
                <text x=format!("{:.1}", LABEL + width + 6.0) y=format!("{:.1}", y + BAR / 2.0 + 4.0) fill="currentColor" font-size="13">{value}</text>
            }
        })
        .collect_view();
    view! {
        <svg viewBox=format!("0 0 {W:.0} {h:.0}") class="mt-3 w-full max-w-3xl text-slate-700 dark:text-slate-200" role="img" aria-labelledby="funnel-chart-title funnel-chart-desc">
            <title id="funnel-chart-title">{tr!("onboarding-funnel-chart")}</title>
            <desc id="funnel-chart-desc">{tr!("onboarding-funnel-chart-desc")}</desc>
            {rows}
        </svg>
    }
}

#[component]
fn StagesTable(stages: Vec<FunnelStage>, lang: Language) -> impl IntoView {
    view! {
        <DataTable caption=tr!("onboarding-funnel-chart")
            head=vec![
                tr!("onboarding-funnel-col-stage"),
                tr!("onboarding-funnel-col-users"),
                tr!("onboarding-funnel-col-of-started"),
                tr!("onboarding-funnel-col-of-previous"),
            ]
            rows=stages.iter().map(|s| vec![
                stage_words(s.stage),
                count(s.users.max(0) as u64, lang),
                percent(s.of_started_percent, lang),
                percent(s.of_previous_percent, lang),
            ]).collect() />
    }
}

#[component]
fn Stalled(stalled: Vec<StalledUser>, total: i64, hours: u32, lang: Language) -> impl IntoView {
    let shown = stalled.len();
    view! {
        <section class=CARD aria-labelledby="funnel-stalled-heading">
            <h2 id="funnel-stalled-heading" class="text-lg font-semibold">{tr!("onboarding-funnel-stalled-heading", { "hours" => hours })}</h2>
            {if stalled.is_empty() {
                view! { <p class="mt-2 text-sm">{tr!("onboarding-funnel-stalled-none")}</p> }.into_any()
            } else {
                view! {
                    <p class="mt-2 text-sm text-slate-600 dark:text-slate-400">
                        {tr!("onboarding-funnel-stalled-count", { "shown" => count(shown as u64, lang), "total" => count(total.max(0) as u64, lang) })}
                    </p>
                    <DataTable caption=tr!("onboarding-funnel-stalled-heading", { "hours" => hours })
                        head=vec![
                            tr!("onboarding-funnel-col-user"),
                            tr!("onboarding-funnel-col-tenant"),
                            tr!("onboarding-funnel-col-step"),
                            tr!("onboarding-funnel-col-since"),
                            tr!("onboarding-funnel-col-hours"),
                        ]
                        rows=stalled.into_iter().map(|s| vec![
                            format!("{} ({})", s.display_name, s.username),
                            s.tenant,
                            t(&format!("onboarding-step-{}", s.step.slug())),
                            crate::components::when::exact(&s.since),
                            count(s.hours.max(0) as u64, lang),
                        ]).collect() />
                }.into_any()
            }}
        </section>
    }
}

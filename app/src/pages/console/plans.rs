//! `/console/plans` (a tenant's plans: tenant-admins create, change and archive them;
//! devops read them) and `/console/plans/:id` (one plan, its edit form and
//! the subscriptions that use it). Plain forms and links: everything works without
//! JavaScript.

use crate::api::plans::{load_plan, load_plans, ArchivePlan};
use crate::components::data_table::DataTable;
use crate::components::error_view::PageError;
use crate::components::field::Field;
use crate::components::labels::{audience_key, kind_key};
use crate::components::rcdata::PageTitle;
use crate::components::ui::{BUTTON, CARD, DANGER, FIELD_ERROR, INPUT, NOTICE_OK, SECONDARY};
use crate::components::when::exact;
use crate::domain::catalog::Audience;
use crate::domain::plan::{EntryRef, Limits, PlanDraft, PlanStatus};
use crate::domain::role::Role;
use crate::error::FieldError;
use crate::i18n::t;
use crate::model::plans::*;
use crate::tr;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_router::hooks::{use_params_map, use_query_map};

/// The codes of the form's field errors (`plans-error-<code>`).
pub const ERROR_CODES: [&str; 16] = [
    "slug",
    "slug-taken",
    "required",
    "too-long",
    "control-characters",
    "at-least-one",
    "too-large",
    "above-per-minute",
    "above-monthly",
    "unknown-role",
    "ttl-out-of-range",
    "choose-entries",
    "unknown-entry",
    "not-a-number",
    "unknown-value",
    "unknown-tenant",
];

/// The roles a plan may approve at once, in the form's order.
const AUTO_ROLES: [Role; 4] = [Role::Viewer, Role::Devops, Role::TenantAdmin, Role::CpiAdmin];

fn status_label(s: PlanStatus) -> String {
    t(&format!("plans-status-{}", s.as_str()))
}

/// "5/s · 100/min · 1 000/day · 20 000/month", or "No limits".
fn limits_summary(l: Limits) -> String {
    let lang = crate::i18n::use_language();
    let n = |v: i64| crate::domain::numbers::count(u64::try_from(v).unwrap_or(0), lang);
    let parts: Vec<String> = [
        (l.rate_per_second, "plans-unit-second"),
        (l.rate_per_minute, "plans-unit-minute"),
        (l.daily_quota, "plans-unit-day"),
        (l.monthly_quota, "plans-unit-month"),
    ]
    .into_iter()
    .filter_map(|(v, unit)| v.map(|v| format!("{} {}", n(v), t(unit))))
    .collect();
    if parts.is_empty() {
        tr!("plans-no-limits")
    } else {
        parts.join(" · ")
    }
}

fn offered_summary(terms: &PlanDraft, entries: &[OfferableEntry]) -> String {
    if terms.everywhere {
        return tr!("plans-everywhere");
    }
    terms
        .offered_on
        .iter()
        .map(|e| {
            entries
                .iter()
                .find(|x| x.kind == e.kind && x.slug == e.slug)
                .map(|x| x.name.clone())
                .unwrap_or_else(|| e.slug.clone())
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// `/console/plans`.
#[component]
pub fn ConsolePlansPage() -> impl IntoView {
    let query = use_query_map();
    let (tenant, refused) = query.with_untracked(|q| (q.get("tenant"), q.get("refused")));
    let data = Resource::new_blocking(move || (tenant.clone(), refused.clone()), |(t, r)| load_plans(t, r));
    view! {
        <PageTitle text=tr!("plans-title") />
        <h1 class="text-3xl font-bold tracking-tight">{tr!("plans-console-heading")}</h1>
        <Suspense fallback=|| view! { <p aria-busy="true">{tr!("loading")}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok((page, refused)) => view! { <Plans page refused /> }.into_any(),
                    Err(e) => view! { <PageError error=e next="/console/plans".to_owned() /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Plans(page: PlansPage, refused: Option<RefusedPlan>) -> impl IntoView {
    let tenant = page.tenant_id.clone();
    let entries = page.entries.clone();
    let rows = page.plans.iter().map(|p| view! {
        <tr data-plan=p.terms.slug.clone() data-status=p.status.as_str()>
            <td><a class="font-medium text-brand-700 hover:underline dark:text-brand-300" href=format!("/console/plans/{}", p.id)>{p.terms.name.clone()}</a>
                <span class="ml-1 font-mono text-xs text-slate-500">{p.terms.slug.clone()}</span></td>
            <td>{status_label(p.status)}</td>
            <td>{limits_summary(p.terms.limits())}</td>
            <td>{if p.terms.requires_approval { tr!("plans-col-approval-yes") } else { tr!("plans-col-approval-no") }}</td>
            <td>{offered_summary(&p.terms, &entries)}</td>
            <td class="tabular-figures">{p.subscriptions}</td>
        </tr>
    }).collect_view();
    let th = "px-3 py-2 text-left text-xs font-semibold uppercase tracking-wide text-slate-600 dark:text-slate-400";
    view! {
        <p class="mt-2 text-slate-600 dark:text-slate-300">{tr!("plans-lead", { "tenant" => tenant })}</p>
        <section class=CARD aria-labelledby="plans-list-heading">
            <h2 id="plans-list-heading" class="text-lg font-semibold">{tr!("plans-list-heading", { "n" => page.plans.len() })}</h2>
            {if page.plans.is_empty() {
                view! { <p class="mt-2 text-sm">{tr!("plans-empty")}</p> }.into_any()
            } else {
                view! {
                    <div class="mt-3 overflow-x-auto" tabindex="0" role="region" aria-label=tr!("plans-list-caption")>
                        <table class="min-w-full text-sm [&_td]:px-3 [&_td]:py-2">
                            <caption class="sr-only">{tr!("plans-list-caption")}</caption>
                            <thead><tr>
                                <th scope="col" class=th>{tr!("plans-col-name")}</th>
                                <th scope="col" class=th>{tr!("plans-col-status")}</th>
                                <th scope="col" class=th>{tr!("plans-col-limits")}</th>
                                <th scope="col" class=th>{tr!("plans-col-approval")}</th>
                                <th scope="col" class=th>{tr!("plans-col-offered")}</th>
                                <th scope="col" class=th>{tr!("plans-col-subscriptions")}</th>
                            </tr></thead>
                            <tbody class="divide-y divide-slate-200 dark:divide-slate-800">{rows}</tbody>
                        </table>
                    </div>
                }.into_any()
            }}
        </section>
        {page.may_manage.then(|| {
            let RefusedPlan { draft, errors, .. } = refused.unwrap_or_default();
            view! {
                <section class=CARD id="plan-form" aria-labelledby="plan-new-heading">
                    <h2 id="plan-new-heading" class="text-lg font-semibold">{tr!("plans-new-heading")}</h2>
                    <PlanForm id=None tenant=page.tenant_id.clone() draft entries=page.entries.clone() errors />
                </section>
            }
        })}
    }
}

/// The plan form, new (`id` none) or an edit.
#[component]
fn PlanForm(
    id: Option<uuid::Uuid>,
    tenant: String,
    draft: PlanDraft,
    entries: Vec<OfferableEntry>,
    errors: Vec<FieldError>,
) -> impl IntoView {
    let error_of = {
        let errors = errors.clone();
        move |field: &str| {
            errors.iter().find(|e| e.field == field).map(|e| t(&format!("plans-error-{}", e.code)))
        }
    };
    let number = |v: Option<i64>| v.map(|v| v.to_string()).unwrap_or_default();
    let described = |field: &str, has: bool| has.then(|| format!("plan-{field}-error"));
    let description_error = error_of("description");
    let roles_error = error_of("auto_approve_roles");
    let offered_error = error_of("offered_on");
    let audience_error = error_of("audience");
    let everywhere = draft.everywhere;
    let offered = draft.offered_on.clone();
    let roles = draft.auto_approve_roles.clone();
    view! {
        {(!errors.is_empty()).then(|| view! { <p role="alert" class=format!("mt-2 {FIELD_ERROR} font-medium")>{tr!("error-validation")}</p> })}
        <form method="post" action=SAVE_PATH class="mt-4 grid grid-cols-1 gap-4 sm:grid-cols-2">
            <input type="hidden" name="id" value=id.map(|i| i.to_string()).unwrap_or_default() />
            <input type="hidden" name="tenant" value=tenant />
            <Field messages="plans-error" id="plan-slug" name="slug" label=tr!("plans-slug") value=draft.slug.clone()
                errors=errors.clone() hint=tr!("plans-slug-hint") autocomplete="off" />
            <Field messages="plans-error" id="plan-name" name="name" label=tr!("plans-name") value=draft.name.clone() errors=errors.clone() />
            <div class="sm:col-span-2">
                <label for="plan-description" class="block text-sm font-medium">{tr!("plans-description")}</label>
                <textarea id="plan-description" name="description" rows="3" class=INPUT aria-invalid=description_error.is_some().then_some("true")
                    aria-describedby=described("description", description_error.is_some()).unwrap_or_else(|| "plan-description-hint".to_owned())>{draft.description.clone()}</textarea>
                <p id="plan-description-hint" class="mt-1 text-xs text-slate-500 dark:text-slate-400">{tr!("plans-description-hint")}</p>
                {description_error.map(|m| view! { <p id="plan-description-error" class=FIELD_ERROR>{m}</p> })}
            </div>
            <Field messages="plans-error" id="plan-rate_per_second" name="rate_per_second" kind="number" min="1" required=false
                label=tr!("plans-rate-per-second") value=number(draft.rate_per_second) errors=errors.clone() placeholder=tr!("plans-unlimited") />
            <Field messages="plans-error" id="plan-rate_per_minute" name="rate_per_minute" kind="number" min="1" required=false
                label=tr!("plans-rate-per-minute") value=number(draft.rate_per_minute) errors=errors.clone() placeholder=tr!("plans-unlimited") />
            <Field messages="plans-error" id="plan-daily_quota" name="daily_quota" kind="number" min="1" required=false
                label=tr!("plans-daily-quota") value=number(draft.daily_quota) errors=errors.clone() placeholder=tr!("plans-unlimited") />
            <Field messages="plans-error" id="plan-monthly_quota" name="monthly_quota" kind="number" min="1" required=false
                label=tr!("plans-monthly-quota") value=number(draft.monthly_quota) errors=errors.clone() placeholder=tr!("plans-unlimited") />
            <Field messages="plans-error" id="plan-max_ttl_days" name="max_ttl_days" kind="number" min="1" required=false
                label=tr!("plans-max-ttl") value=number(draft.max_ttl_days) errors=errors.clone() placeholder=tr!("plans-max-ttl-default") />
            <div>
                <label for="plan-audience" class="block text-sm font-medium">{tr!("plans-audience")}</label>
                <select id="plan-audience" name="audience" class=INPUT aria-invalid=audience_error.is_some().then_some("true")>
                    {Audience::ALL.iter().map(|a| view! {
                        <option value=a.as_str() selected=*a == draft.audience>{t(audience_key(*a))}</option>
                    }).collect_view()}
                </select>
                {audience_error.map(|m| view! { <p id="plan-audience-error" class=FIELD_ERROR>{m}</p> })}
            </div>
            <fieldset class="sm:col-span-2">
                <legend class="text-sm font-medium">{tr!("plans-approval-legend")}</legend>
                <label class="mt-2 flex items-center gap-2 text-sm">
                    <input type="checkbox" name="requires_approval" value="yes" checked=draft.requires_approval />
                    {tr!("plans-requires-approval")}
                </label>
                <p class="mt-2 text-sm" id="plan-roles-hint">{tr!("plans-auto-approve")}</p>
                <div class="mt-1 flex flex-wrap gap-4" aria-describedby="plan-roles-hint">
                    {AUTO_ROLES.iter().map(|r| {
                        let name = r.as_str();
                        view! {
                            <label class="flex items-center gap-2 text-sm">
                                <input type="checkbox" name="auto_approve_roles" value=name checked=roles.iter().any(|x| x == name) />
                                {t(r.label_key())}
                            </label>
                        }
                    }).collect_view()}
                </div>
                {roles_error.map(|m| view! { <p class=FIELD_ERROR>{m}</p> })}
            </fieldset>
            <fieldset class="sm:col-span-2">
                <legend class="text-sm font-medium">{tr!("plans-offered-legend")}</legend>
                <label class="mt-2 flex items-center gap-2 text-sm">
                    <input type="radio" name="everywhere" value="yes" checked=everywhere />
                    {tr!("plans-offered-everywhere")}
                </label>
                <label class="mt-1 flex items-center gap-2 text-sm">
                    <input type="radio" name="everywhere" value="no" checked=!everywhere />
                    {tr!("plans-offered-some")}
                </label>
                {if entries.is_empty() {
                    view! { <p class="mt-2 text-sm text-slate-600 dark:text-slate-400">{tr!("plans-no-entries")}</p> }.into_any()
                } else {
                    view! {
                        <ul class="mt-2 grid grid-cols-1 gap-1 pl-6 sm:grid-cols-2">
                            {entries.iter().map(|e| {
                                let value = EntryRef { kind: e.kind, slug: e.slug.clone() }.form_value();
                                let checked = offered.iter().any(|o| o.kind == e.kind && o.slug == e.slug);
                                let id = format!("plan-offer-{}", value.replace('/', "-"));
                                view! {
                                    <li class="flex items-center gap-2 text-sm">
                                        <input type="checkbox" id=id.clone() name="offered_on" value=value checked=checked />
                                        <label for=id>{e.name.clone()} " " <span class="text-xs text-slate-500">"(" {t(kind_key(e.kind))} ")"</span></label>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any()
                }}
                {offered_error.map(|m| view! { <p id="plan-offered_on-error" class=FIELD_ERROR>{m}</p> })}
            </fieldset>
            <div class="sm:col-span-2">
                <button type="submit" class=BUTTON>{if id.is_some() { tr!("plans-save") } else { tr!("plans-create") }}</button>
            </div>
        </form>
    }
}

/// `/console/plans/:id`.
#[component]
pub fn ConsolePlanPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let id = params.with_untracked(|p| p.get("id").unwrap_or_default());
    let (refused, saved, archived, ask) = query.with_untracked(|q| {
        (q.get("refused"), q.get("saved").is_some(), q.get("archived").is_some(), q.get("archive").is_some())
    });
    let next = format!("/console/plans/{id}");
    let data = Resource::new_blocking(move || (id.clone(), refused.clone()), |(i, r)| load_plan(i, r));
    view! {
        <Suspense fallback=|| view! { <p aria-busy="true">{tr!("loading")}</p> }>
            {move || {
                let next = next.clone();
                Suspend::new(async move {
                    match data.await {
                        Ok((page, refused)) => view! { <Plan page refused saved archived ask /> }.into_any(),
                        Err(e) => view! { <PageTitle text=tr!("plans-title") /><PageError error=e next /> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

#[component]
fn Plan(
    page: PlanPage,
    refused: Option<RefusedPlan>,
    saved: bool,
    archived: bool,
    ask: bool,
) -> impl IntoView {
    let plan = page.plan.clone();
    let id = plan.id.to_string();
    let description = crate::markdown::to_safe_html(&plan.terms.description);
    let rows: Vec<Vec<String>> = page
        .subscriptions
        .iter()
        .map(|s| {
            vec![
                s.application.clone(),
                s.owner.clone(),
                s.tenant_id.clone(),
                s.entry.clone(),
                t(&format!("sub-state-{}", s.state)),
                exact(&s.since),
            ]
        })
        .collect();
    let head = vec![
        tr!("plans-sub-application"),
        tr!("plans-sub-owner"),
        tr!("plans-sub-tenant"),
        tr!("plans-sub-entry"),
        tr!("plans-sub-state"),
        tr!("plans-sub-since"),
    ];
    let (draft, errors) = match refused {
        Some(r) => (r.draft, r.errors),
        None => (plan.terms.clone(), Vec::new()),
    };
    view! {
        <PageTitle text=format!("{} · {}", plan.terms.name, tr!("plans-title")) />
        <nav aria-label=tr!("breadcrumb") class="text-sm text-slate-500 dark:text-slate-400">
            <a href="/console/plans" class="hover:underline">{tr!("plans-console-heading")}</a>
        </nav>
        <h1 class="mt-2 text-3xl font-bold tracking-tight">{plan.terms.name.clone()}</h1>
        <p class="mt-2 text-sm" data-status=plan.status.as_str()>
            <span class="font-mono">{plan.terms.slug.clone()}</span> " · " {status_label(plan.status)} " · "
            {limits_summary(plan.terms.limits())} " · " {offered_summary(&plan.terms, &page.entries)}
        </p>
        {saved.then(|| view! { <p role="status" class=format!("mt-6 {NOTICE_OK}")>{tr!("plans-saved")}</p> })}
        {archived.then(|| view! { <p role="status" class=format!("mt-6 {NOTICE_OK}")>{tr!("plans-archived-notice")}</p> })}
        <div class="prose prose-slate mt-4 max-w-none dark:prose-invert" inner_html=description></div>
        <section class=CARD aria-labelledby="plan-subs-heading">
            <h2 id="plan-subs-heading" class="text-lg font-semibold">{tr!("plans-subs-heading", { "n" => page.subscriptions.len() })}</h2>
            {if rows.is_empty() {
                view! { <p class="mt-2 text-sm">{tr!("plans-subs-empty")}</p> }.into_any()
            } else {
                view! { <DataTable caption=tr!("plans-subs-heading", { "n" => page.subscriptions.len() }) head rows /> }.into_any()
            }}
        </section>
        {page.may_manage.then(|| view! {
            <section class=CARD id="plan-form" aria-labelledby="plan-edit-heading">
                <h2 id="plan-edit-heading" class="text-lg font-semibold">{tr!("plans-edit-heading")}</h2>
                <p class="mt-1 text-sm text-slate-600 dark:text-slate-400">{tr!("plans-edit-lead")}</p>
                <PlanForm id=Some(plan.id) tenant=plan.tenant_id.clone() draft entries=page.entries.clone() errors />
            </section>
        })}
        {(page.may_manage && plan.status == PlanStatus::Active).then(|| view! {
            <section class=CARD id="archive" aria-labelledby="plan-archive-heading">
                <h2 id="plan-archive-heading" class="text-lg font-semibold">{tr!("plans-archive-heading")}</h2>
                <p class="mt-1 text-sm">{tr!("plans-archive-lead")}</p>
                <form method="post" action=ArchivePlan::url() class="mt-3 flex flex-wrap items-center gap-2">
                    <input type="hidden" name="id" value=id.clone() />
                    {if ask {
                        view! {
                            <input type="hidden" name="confirm" value="yes" />
                            <span id="archive-confirm" class="text-sm font-medium">{tr!("plans-archive-confirm", { "plan" => plan.terms.name.clone() })}</span>
                            <button type="submit" class=DANGER aria-describedby="archive-confirm">{tr!("plans-archive-yes")}</button>
                            <a href=format!("/console/plans/{id}") class=SECONDARY>{tr!("console-cancel")}</a>
                        }.into_any()
                    } else {
                        view! { <button type="submit" class=SECONDARY>{tr!("plans-archive")}</button> }.into_any()
                    }}
                </form>
            </section>
        })}
    }
}

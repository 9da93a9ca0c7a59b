//! `/console/audit`: the audit trail for security auditors and platform admins — filters
//! (actor, action, date range) in a plain GET form, newest first, paginated.

use crate::api::audit::audit_trail;
use crate::components::error_view::PageError;
use crate::components::pagination::Pagination;
use crate::components::rcdata::PageTitle;
use crate::error::{AppError, FieldError};
use crate::i18n::t;
use crate::model::audit::{AuditItem, AuditPage, AuditQuery};
use crate::tr;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// Actions the filter suggests (any text is accepted; a prefix ending in `.` matches a
/// family).
/// The action filter's choices: each family (`auth.`, every action it holds) before its
/// actions; the chosen one stays offered even when the trail no longer holds it.
fn action_choices(actions: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for a in actions {
        if let Some((family, _)) = a.split_once('.') {
            let family = format!("{family}.");
            if !out.contains(&family) {
                out.push(family);
            }
        }
        out.push(a.clone());
    }
    out
}

/// An entry's subject, linked to its page where it has one.
fn subject_cell(action: &str, subject: String) -> AnyView {
    let href = match action.split_once('.').map(|(f, _)| f) {
        Some("requests") if !subject.is_empty() => Some(format!("/console/requests/{subject}")),
        Some("tenants") if !subject.is_empty() => Some(format!("/console/tenants/{subject}")),
        _ => None,
    };
    match href {
        Some(href) => view! { <a href=href class="font-mono text-indigo-700 underline dark:text-indigo-300">{subject}</a> }.into_any(),
        None => view! { <span class="font-mono">{subject}</span> }.into_any(),
    }
}

/// The audit trail page.
#[component]
pub fn AuditTrailPage() -> impl IntoView {
    let map = use_query_map();
    let query = map.with_untracked(|q| AuditQuery {
        actor: q.get("actor"),
        action: q.get("action"),
        from: q.get("from"),
        to: q.get("to"),
        tenant: q.get("tenant"),
        page: q.get("page"),
        per_page: q.get("per_page"),
    });
    let request = query.clone();
    let trail = Resource::new_blocking(move || request.clone(), audit_trail);
    view! {
        <PageTitle text=tr!("audit-title") />
        <Suspense fallback=|| view! { <p aria-busy="true">{tr!("loading")}</p> }>
            {move || {
                let query = query.clone();
                Suspend::new(async move {
                    match trail.await {
                        Ok(page) => view! { <Trail query=query.clone() page errors=vec![] /> }.into_any(),
                        Err(AppError::Validation(errors)) => {
                            let empty = AuditPage { rows: vec![], total: 0, page: 1, per_page: 1, actions: vec![] };
                            view! { <Trail query=query.clone() page=empty errors /> }.into_any()
                        }
                        Err(e) => view! { <PageError error=e next="/console/audit".to_owned() /> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

fn field_message(errors: &[FieldError], field: &str) -> Option<String> {
    errors.iter().find(|e| e.field == field).map(|e| t(&format!("audit-error-{}", e.code)))
}

/// Filters, table and pagination.
#[component]
fn Trail(query: AuditQuery, page: AuditPage, errors: Vec<FieldError>) -> impl IntoView {
    let input = "mt-1 block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm shadow-card dark:border-slate-700 dark:bg-slate-900";
    let field = |name: &'static str, label: String, kind: &'static str, value: Option<String>| {
        let message = field_message(&errors, name);
        let id = format!("audit-{name}");
        let described = message.as_ref().map(|_| format!("{id}-error"));
        view! {
            <div>
                <label for=id.clone() class="block text-sm font-medium">{label}</label>
                <input id=id.clone() name=name type=kind value=value.unwrap_or_default() class=input
                    list=(name == "action").then_some("audit-actions")
                    aria-invalid=message.is_some().then_some("true") aria-describedby=described.clone() />
                {message.map(|m| view! {
                    <p id=described.unwrap_or_default() class="mt-1 text-sm text-rose-700 dark:text-rose-300">{m}</p>
                })}
            </div>
        }
    };
    let pages = page.pages();
    let link = {
        let query = query.clone();
        move |to: i64| {
            let mut parts = Vec::new();
            for (k, v) in [
                ("actor", &query.actor),
                ("action", &query.action),
                ("from", &query.from),
                ("to", &query.to),
                ("tenant", &query.tenant),
                ("per_page", &query.per_page),
            ] {
                if let Some(v) = v.as_deref().filter(|v| !v.is_empty()) {
                    parts.push(format!("{k}={}", crate::auth::encode_query_value(v)));
                }
            }
            parts.push(format!("page={to}"));
            format!("/console/audit?{}", parts.join("&"))
        }
    };
    let nav = "rounded-md border border-slate-300 px-3 py-1.5 text-sm font-medium hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800";
    view! {
        <section>
            <h1 class="text-3xl font-bold tracking-tight">{tr!("audit-heading")}</h1>
            <p class="mt-2 text-slate-600 dark:text-slate-300">{tr!("audit-lead")}</p>
            <form method="get" action="/console/audit" role="search" aria-label=tr!("audit-filters")
                class="mt-6 grid grid-cols-1 gap-4 rounded-xl border border-slate-200 bg-white p-4 shadow-card sm:grid-cols-2 lg:grid-cols-[minmax(0,1fr)_minmax(13rem,1.4fr)_minmax(0,1fr)_minmax(0,1fr)_auto] lg:items-end dark:border-slate-800 dark:bg-slate-900">
                {field("actor", tr!("audit-actor"), "text", query.actor.clone())}
                // The actions the trail holds, each family (`auth.`) first: a choice, not a guess.
                <div>
                    <label for="audit-action" class="block text-sm font-medium">{tr!("audit-action")}</label>
                    <select id="audit-action" name="action" class=input>
                        <option value="">{tr!("audit-all-actions")}</option>
                        {action_choices(&page.actions).into_iter().map(|a| {
                            let label = if a.ends_with('.') { tr!("audit-action-family", { "family" => a.clone() }) } else { a.clone() };
                            view! { <option value=a.clone() selected=query.action.as_deref() == Some(a.as_str())>{label}</option> }
                        }).collect_view()}
                    </select>
                </div>
                {field("from", tr!("audit-from"), "date", query.from.clone())}
                {field("to", tr!("audit-to"), "date", query.to.clone())}
                <div class="flex gap-2">
                    <button type="submit" class="rounded-md bg-indigo-600 px-4 py-2 text-sm font-semibold text-white shadow-card hover:bg-indigo-500">
                        {tr!("audit-apply")}
                    </button>
                    <a href="/console/audit" class=nav>{tr!("audit-reset")}</a>
                </div>
            </form>
            {(!errors.is_empty()).then(|| view! {
                <p role="alert" class="mt-4 text-sm text-rose-700 dark:text-rose-300">{tr!("error-validation")}</p>
            })}
            <p class="mt-6 text-sm text-slate-600 dark:text-slate-400" aria-live="polite">
                {tr!("audit-count", { "count" => page.total })}
            </p>
            {if page.rows.is_empty() {
                view! {
                    <p class="mt-4 rounded-xl border border-dashed border-slate-300 p-8 text-center text-slate-600 dark:border-slate-700 dark:text-slate-400">
                        {tr!("audit-empty")}
                    </p>
                }.into_any()
            } else {
                view! { <Table rows=page.rows.clone() /> }.into_any()
            }}
            <Pagination label=tr!("audit-pagination") page=page.page pages href=link />
        </section>
    }
}

#[component]
fn Table(rows: Vec<AuditItem>) -> impl IntoView {
    let th = "px-4 py-2 text-left text-xs font-semibold uppercase tracking-wide text-slate-500 dark:text-slate-400";
    let td = "px-4 py-2 text-sm";
    view! {
        <div class="mt-4 overflow-x-auto rounded-xl border border-slate-200 bg-white shadow-card dark:border-slate-800 dark:bg-slate-900">
            <table class="min-w-full divide-y divide-slate-200 dark:divide-slate-800">
                <caption class="sr-only">{tr!("audit-heading")}</caption>
                <thead>
                    <tr>
                        <th scope="col" class=th>{tr!("audit-col-at")}</th>
                        <th scope="col" class=th>{tr!("audit-col-tenant")}</th>
                        <th scope="col" class=th>{tr!("audit-actor")}</th>
                        <th scope="col" class=th>{tr!("audit-action")}</th>
                        <th scope="col" class=th>{tr!("audit-col-subject")}</th>
                        <th scope="col" class=th>{tr!("audit-col-client")}</th>
                    </tr>
                </thead>
                <tbody class="divide-y divide-slate-100 dark:divide-slate-800">
                    {rows.into_iter().map(|r| view! {
                        <tr>
                            <td class=td><crate::components::when::When at=r.at.clone() exact=true /></td>
                            <td class=td>{r.tenant_id.unwrap_or_else(|| "—".into())}</td>
                            <td class=td>{r.actor}</td>
                            <td class=format!("{td} font-mono")>{r.action.clone()}</td>
                            <td class=td>{subject_cell(&r.action, r.subject.unwrap_or_default())}</td>
                            <td class=format!("{td} font-mono")>{r.client_addr.unwrap_or_default()}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

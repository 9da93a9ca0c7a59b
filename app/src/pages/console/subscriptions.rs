//! Subscriptions in pages: the subscribe form of API and MCP pages, an application's
//! subscriptions (cancel, extend), and the approvers' queue `/console/subscriptions`
//! (approve, reject with a reason, in bulk; suspend, reactivate, revoke). Plain forms.

use crate::api::subscriptions::{subscription_queue, DecidePlanChange};
use crate::components::error_view::PageError;
use crate::components::load_once::LoadOnce;
use crate::components::rcdata::PageTitle;
use crate::components::subscribe::state_badge;
use crate::components::ui::{BUTTON, DANGER, FIELD_ERROR, INPUT, NOTICE_ERROR, NOTICE_OK, SECONDARY};
use crate::domain::subscription::State;
use crate::i18n::t;
use crate::model::subscriptions::{QueuePage, SubscriptionInfo, DECIDE_PATH, QUEUE_STATES};
use crate::tr;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_router::hooks::use_query_map;

/// `/console/subscriptions`: the approvers' queue.
#[component]
pub fn SubscriptionQueuePage() -> impl IntoView {
    let (state, confirm) = use_query_map().with_untracked(|q| (q.get("state"), q.get("confirm")));
    let next = format!("/console/subscriptions?state={}", state.clone().unwrap_or_else(|| "pending".into()));
    let page = LoadOnce::new(subscription_queue(state));
    view! {
        <PageTitle text=tr!("queue-title") />
        <Suspense fallback=|| view! { <p aria-busy="true">{tr!("loading")}</p> }>
            {move || {
                let (page, confirm, next) = (page.clone(), confirm.clone(), next.clone());
                Suspend::new(async move {
                    match page.get().await {
                        Ok(page) => view! { <Queue page confirm /> }.into_any(),
                        Err(e) => view! { <PageError error=e next /> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

#[component]
fn Queue(page: QueuePage, confirm: Option<String>) -> impl IntoView {
    let (done, n, skipped, error, error_for, typed) = use_query_map().with_untracked(|q| {
        (q.get("done"), q.get("n"), q.get("skipped"), q.get("error"), q.get("for"), q.get("reason"))
    });
    let plan_notice = match done.as_deref() {
        Some("plan-approve") => Some(tr!("queue-done-plan-approve")),
        Some("plan-reject") => Some(tr!("queue-done-plan-reject")),
        _ => None,
    };
    let notice = done
        .filter(|d| ["approve", "reject", "suspend", "reactivate", "revoke"].contains(&d.as_str()))
        .map(|d| {
            let n: i64 = n.and_then(|n| n.parse().ok()).unwrap_or(0);
            let skipped: i64 = skipped.and_then(|n| n.parse().ok()).unwrap_or(0);
            (tr!("queue-done", { "count" => n, "action" => t(&format!("queue-action-{d}")) }), skipped)
        });
    let current = page.state;
    let pending_tab = current == State::Pending;
    let empty = page.items.is_empty();
    let error_text = error.as_deref().map(|code| t(&format!("sub-error-{code}")));
    let bulk_error = error_text.clone().filter(|_| error_for.as_deref() == Some("bulk"));
    let plan_changes = page.plan_changes.clone();
    let plan_error_for = error_for.clone();
    let plan_error = error_text.clone();
    let th = "px-3 py-2 text-left text-xs font-semibold uppercase tracking-wide text-slate-500 dark:text-slate-400";
    view! {
        <section>
            <h1 class="text-3xl font-bold tracking-tight">{tr!("queue-heading")}</h1>
            <p class="mt-2 text-slate-600 dark:text-slate-300">{tr!("queue-lead", { "count" => page.pending })}</p>
            {notice.map(|(text, skipped)| view! {
                <p role="status" class=NOTICE_OK>{text} {(skipped > 0).then(|| view! { " " {tr!("queue-skipped", { "count" => skipped })} })}</p>
            })}
            {plan_notice.map(|n| view! { <p role="status" class=NOTICE_OK>{n}</p> })}
            {error_text.clone().filter(|_| error.as_deref() == Some("already-decided")).map(|e| view! { <p role="alert" class=NOTICE_ERROR>{e}</p> })}
            {(!plan_changes.is_empty()).then(|| view! {
                <PlanChanges items=plan_changes error_for=plan_error_for error=plan_error />
            })}
            <nav aria-label=tr!("queue-filter") class="mt-6 flex flex-wrap gap-2">
                {QUEUE_STATES.iter().map(|s| {
                    let here = *s == current;
                    let s = s.as_str();
                    view! {
                        <a href=format!("/console/subscriptions?state={s}") aria-current=here.then_some("page")
                            class=if here { "rounded-full bg-indigo-600 px-3 py-1 text-sm font-medium text-white" } else { "rounded-full border border-slate-300 px-3 py-1 text-sm dark:border-slate-700" }>
                            {t(&format!("sub-state-{s}"))}
                        </a>
                    }
                }).collect_view()}
            </nav>
            {if empty {
                view! { <p class="mt-8 rounded-xl border border-dashed border-slate-300 p-8 text-center text-slate-600 dark:border-slate-700 dark:text-slate-300">{tr!("queue-empty")}</p> }.into_any()
            } else {
                view! {
                    <div class="mt-6 overflow-x-auto rounded-xl border border-slate-200 bg-white shadow-card dark:border-slate-800 dark:bg-slate-900">
                        <table class="min-w-full divide-y divide-slate-200 dark:divide-slate-800">
                            <thead><tr>
                                {pending_tab.then(|| view! { <th scope="col" class=th><span class="sr-only">{tr!("queue-select")}</span></th> })}
                                <th scope="col" class=th>{tr!("queue-col-entry")}</th>
                                <th scope="col" class=th>{tr!("queue-col-subscriber")}</th>
                                <th scope="col" class=th>{tr!("queue-col-state")}</th>
                                <th scope="col" class=th>{tr!("queue-col-actions")}</th>
                            </tr></thead>
                            <tbody class="divide-y divide-slate-100 dark:divide-slate-800">
                                {page.items.into_iter().map(|s| {
                                    let row_error = error_text.clone().filter(|_| error_for.as_deref() == Some(s.id.to_string().as_str()) && error.as_deref() != Some("already-decided"));
                                    let typed = typed.clone().filter(|_| row_error.is_some()).unwrap_or_default();
                                    view! { <QueueRow s state=current.as_str().to_owned() selectable=pending_tab confirm=confirm.clone() error=row_error typed /> }
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                    {pending_tab.then(|| view! {
                        <form id="bulk" method="post" action=DECIDE_PATH class="mt-4 flex flex-wrap items-end gap-3 rounded-xl border border-slate-200 p-4 dark:border-slate-800">
                            <input type="hidden" name="state" value="pending" />
                            <input type="hidden" name="bulk" value="1" />
                            <p class="w-full text-sm font-medium">{tr!("queue-bulk")}</p>
                            <div class="min-w-64 flex-1">
                                <label for="bulk-reason" class="block text-xs font-medium">{tr!("queue-reason")}</label>
                                <input id="bulk-reason" name="reason" type="text" maxlength="500" class=INPUT
                                    value=typed.clone().filter(|_| bulk_error.is_some()).unwrap_or_default()
                                    aria-invalid=bulk_error.is_some().then_some("true") aria-describedby=bulk_error.is_some().then_some("bulk-reason-error") />
                                {bulk_error.clone().map(|e| view! { <p id="bulk-reason-error" class=FIELD_ERROR>{e}</p> })}
                            </div>
                            <button type="submit" name="action" value="approve" class=BUTTON>{tr!("queue-approve-selected")}</button>
                            <button type="submit" name="action" value="reject" class=SECONDARY>{tr!("queue-reject-selected")}</button>
                        </form>
                    })}
                }.into_any()
            }}
        </section>
    }
}

#[component]
fn QueueRow(
    s: SubscriptionInfo,
    state: String,
    selectable: bool,
    confirm: Option<String>,
    error: Option<String>,
    typed: String,
) -> impl IntoView {
    let id = s.id.to_string();
    let td = "px-3 py-3 align-top text-sm";
    let hidden = view! {
        <input type="hidden" name="id" value=id.clone() />
        <input type="hidden" name="state" value=state.clone() />
    };
    let confirming = confirm.as_deref() == Some(format!("revoke-{id}").as_str());
    let actions = match s.state {
        State::Pending => view! {
            <form method="post" action=DECIDE_PATH class="inline">
                {hidden.clone()}
                <button type="submit" name="action" value="approve" class=BUTTON>{tr!("queue-approve")}</button>
            </form>
            <form method="post" action=DECIDE_PATH class="mt-2 flex flex-wrap items-start gap-2">
                {hidden.clone()}
                <div>
                    <label for=format!("reason-{id}") class="block text-xs font-medium">{tr!("queue-reason")}</label>
                    <input id=format!("reason-{id}") name="reason" type="text" maxlength="500"
                        value=typed class="rounded-md border border-slate-300 px-2 py-1 text-sm dark:border-slate-700 dark:bg-slate-900"
                        aria-invalid=error.is_some().then_some("true") aria-describedby=error.is_some().then(|| format!("reason-{id}-error")) />
                    {error.clone().map(|e| view! { <p id=format!("reason-{id}-error") class=FIELD_ERROR>{e}</p> })}
                </div>
                <button type="submit" name="action" value="reject" class=SECONDARY>{tr!("queue-reject")}</button>
            </form>
        }
        .into_any(),
        State::Active | State::Suspended => {
            let toggle = if s.state == State::Active { ("suspend", tr!("queue-suspend")) } else { ("reactivate", tr!("queue-reactivate")) };
            view! {
                <div class="flex flex-wrap items-center gap-2">
                    <form method="post" action=DECIDE_PATH>
                        {hidden.clone()}
                        <button type="submit" name="action" value=toggle.0 class=SECONDARY>{toggle.1}</button>
                    </form>
                    {if confirming {
                        view! {
                            <form method="post" action=DECIDE_PATH class="flex items-center gap-2">
                                {hidden.clone()}
                                <span>{tr!("queue-revoke-confirm")}</span>
                                <button type="submit" name="action" value="revoke" class=DANGER>{tr!("queue-revoke")}</button>
                                <a href=format!("/console/subscriptions?state={state}#sub-{id}") class=SECONDARY>{tr!("console-cancel")}</a>
                            </form>
                        }.into_any()
                    } else {
                        view! { <a href=format!("/console/subscriptions?state={state}&confirm=revoke-{id}#sub-{id}") class=SECONDARY>{tr!("queue-revoke")} "…"</a> }.into_any()
                    }}
                </div>
            }
            .into_any()
        }
        _ => view! { <span class="text-slate-500">"—"</span> }.into_any(),
    };
    view! {
        <tr id=format!("sub-{id}") data-subscription=s.slug.clone()>
            {selectable.then(|| view! {
                <td class=td>
                    <input type="checkbox" name="id" value=id.clone() form="bulk" id=format!("pick-{id}")
                        aria-label=format!("{} · {}", s.item_name, s.application_name) />
                </td>
            })}
            <td class=td>
                <a href=s.href() class="font-medium hover:underline">{s.item_name.clone()}</a>
                <div class="text-xs text-slate-500">{s.plan_name.clone().unwrap_or_default()} {(!s.tools.is_empty()).then(|| format!(" · {}", s.tools.join(", ")))}</div>
            </td>
            <td class=td>
                <div class="font-medium">{s.application_name.clone()}</div>
                <div class="text-xs text-slate-500">{s.subscriber_name.clone()} " · " {s.app_tenant_id.clone()} " · " <crate::components::when::When at=s.created_at.clone() /></div>
            </td>
            <td class=td>
                {state_badge(s.state)}
                {s.reason.clone().map(|r| view! { <div class="mt-1 text-xs text-slate-600 dark:text-slate-400"><q>{r}</q></div> })}
            </td>
            <td class=td>{actions}</td>
        </tr>
    }
}

/// The moves to another plan waiting for a decision: approve, or reject with a reason.
#[component]
fn PlanChanges(
    items: Vec<SubscriptionInfo>,
    error_for: Option<String>,
    error: Option<String>,
) -> impl IntoView {
    view! {
        <section id="plan-changes" class="mt-6 rounded-xl border border-amber-300 p-4 dark:border-amber-800" aria-labelledby="plan-changes-heading">
            <h2 id="plan-changes-heading" class="text-lg font-semibold">{tr!("queue-plan-changes-heading", { "count" => items.len() })}</h2>
            <ul class="mt-3 divide-y divide-slate-200 dark:divide-slate-800">
                {items.into_iter().map(|s| {
                    let id = s.id.to_string();
                    let error = error.clone().filter(|_| error_for.as_deref() == Some(format!("plan-{id}").as_str()));
                    let line = tr!("queue-plan-change-line", {
                        "application" => s.application_name.clone(),
                        "from" => s.plan_name.clone().unwrap_or_default(),
                        "to" => s.requested_plan_name.clone().unwrap_or_default(),
                    });
                    view! {
                        <li id=format!("plan-change-{id}") class="flex flex-wrap items-start gap-4 py-3 text-sm" data-plan-change=s.slug.clone()>
                            <div class="min-w-64 grow">
                                <a href=s.href() class="font-medium hover:underline">{s.item_name.clone()}</a>
                                <p>{line}</p>
                                <p class="text-xs text-slate-500">{s.subscriber_name.clone()} " · " {s.app_tenant_id.clone()}</p>
                            </div>
                            <form method="post" action=DecidePlanChange::url()>
                                <input type="hidden" name="id" value=id.clone() />
                                <button type="submit" name="decision" value="approve" class=BUTTON>{tr!("queue-approve")}</button>
                            </form>
                            <form method="post" action=DecidePlanChange::url() class="flex flex-wrap items-start gap-2">
                                <input type="hidden" name="id" value=id.clone() />
                                <div>
                                    <label for=format!("plan-reason-{id}") class="block text-xs font-medium">{tr!("queue-reason")}</label>
                                    <input id=format!("plan-reason-{id}") name="reason" type="text" maxlength="500"
                                        class="rounded-md border border-slate-300 px-2 py-1 text-sm dark:border-slate-700 dark:bg-slate-900"
                                        aria-invalid=error.is_some().then_some("true") aria-describedby=error.is_some().then(|| format!("plan-reason-{id}-error")) />
                                    {error.clone().map(|e| view! { <p id=format!("plan-reason-{id}-error") class=FIELD_ERROR>{e}</p> })}
                                </div>
                                <button type="submit" name="decision" value="reject" class=SECONDARY>{tr!("queue-reject")}</button>
                            </form>
                        </li>
                    }
                }).collect_view()}
            </ul>
        </section>
    }
}

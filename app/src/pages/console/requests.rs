//! The ITSM console: `/console/requests` (the tenant's production promotion requests),
//! `/console/requests/new` (the request form) and `/console/requests/:id` (every field,
//! the timeline, and the actions the viewer may take). Plain forms.

use crate::api::promotions::{
    promotion_form, promotion_request, promotion_requests, CommentPromotionRequest, CreatePromotionRequest,
    MovePromotionRequest,
};
use crate::components::error_view::PageError;
use crate::components::load_once::LoadOnce;
use crate::components::rcdata::PageTitle;
use crate::components::ui::{BUTTON, CARD, DANGER, FIELD_ERROR, INPUT, NOTICE_ERROR, NOTICE_OK, SECONDARY};
use crate::domain::promotion::{Impact, State};
use crate::i18n::t;
use crate::model::promotions::{
    HistoryInfo, RefusedRequest, RequestFilter, RequestForm, RequestPage, RequestsPage,
};
use crate::tr;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_router::hooks::{use_params_map, use_query_map};

/// A request's state as a badge that says it in words, not only in colour.
fn state_badge(state: State) -> impl IntoView {
    let colour = match state {
        State::Deployed => "bg-emerald-100 text-emerald-900 dark:bg-emerald-950 dark:text-emerald-200",
        State::Approved | State::Deploying => "bg-sky-100 text-sky-900 dark:bg-sky-950 dark:text-sky-200",
        State::Pending => "bg-amber-100 text-amber-900 dark:bg-amber-950 dark:text-amber-200",
        State::Failed | State::Rejected => "bg-rose-100 text-rose-900 dark:bg-rose-950 dark:text-rose-200",
        State::Cancelled => "bg-slate-100 text-slate-700 dark:bg-slate-800 dark:text-slate-300",
    };
    let state = state.as_str();
    view! {
        <span class=format!("whitespace-nowrap rounded-full px-2.5 py-0.5 text-xs font-semibold {colour}") data-state=state.to_owned() data-badge="">
            {t(&format!("req-state-{state}"))}
        </span>
    }
}

/// `/console/requests`.
#[component]
pub fn RequestsListPage() -> impl IntoView {
    let (page, filter) = use_query_map().with_untracked(|q| {
        let text = |k: &str| q.get(k).filter(|v| !v.trim().is_empty());
        (
            q.get("page").and_then(|p| p.parse::<i64>().ok()),
            RequestFilter {
                state: text("state"),
                q: text("q"),
                mine: q.get("mine").is_some(),
                tenant: text("tenant"),
                sort: text("sort"),
                requester: text("requester"),
                environment: text("environment"),
            },
        )
    });
    let list = LoadOnce::new(promotion_requests(filter, page));
    view! {
        <PageTitle text=tr!("req-title") />
        <Suspense fallback=|| view! { <p aria-busy="true">{tr!("loading")}</p> }>
            {move || {
                let list = list.clone();
                Suspend::new(async move {
                    match list.get().await {
                        Ok(list) => view! { <RequestsList list /> }.into_any(),
                        Err(e) => view! { <PageError error=e next="/console/requests".to_owned() /> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

#[component]
fn RequestsList(list: RequestsPage) -> impl IntoView {
    let th = "px-3 py-2 text-left text-xs font-semibold uppercase tracking-wide text-slate-500 dark:text-slate-400";
    let td = "px-3 py-2 text-sm";
    let empty = list.items.is_empty();
    let page = list.page;
    let f = list.filter.clone();
    let keep = {
        let f = f.clone();
        move |p: i64| {
            let enc = crate::auth::encode_query_value;
            let mut href = format!("/console/requests?page={p}");
            for (k, v) in [
                ("state", &f.state),
                ("q", &f.q),
                ("tenant", &f.tenant),
                ("sort", &f.sort),
                ("requester", &f.requester),
                ("environment", &f.environment),
            ] {
                if let Some(v) = v {
                    href.push_str(&format!("&{k}={}", enc(v)));
                }
            }
            if f.mine {
                href.push_str("&mine=1");
            }
            href
        }
    };
    let stat = |label: String, n: i64, key: &'static str| {
        view! {
            <div class="rounded-xl border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900" data-stat=key>
                <p class="text-xs font-medium uppercase tracking-wide text-slate-500">{label}</p>
                <p class="mt-1 text-2xl font-semibold tabular-figures">{n}</p>
            </div>
        }
    };
    let s = list.stats.clone();
    let states = ["pending", "approved", "deploying", "deployed", "failed", "rejected", "cancelled"];
    view! {
        <section>
            <div class="flex flex-wrap items-end justify-between gap-4">
                <div>
                    <h1 class="text-3xl font-bold tracking-tight">{tr!("req-heading")}</h1>
                    <p class="mt-2 text-slate-600 dark:text-slate-300">{tr!("req-lead")}</p>
                </div>
                {list.may_create.then(|| view! { <a href="/console/requests/new" class=BUTTON>{tr!("req-new")}</a> })}
            </div>
            <div class="mt-6 grid grid-cols-2 gap-3 sm:grid-cols-4">
                {stat(tr!("req-stat-pending"), s.pending, "pending")}
                {stat(tr!("req-stat-approved-today"), s.approved_today, "approved_today")}
                {stat(tr!("req-stat-rejected-today"), s.rejected_today, "rejected_today")}
                {stat(tr!("req-stat-deployed-week"), s.deployed_this_week, "deployed_this_week")}
            </div>
            <form method="get" action="/console/requests" class="mt-6 flex flex-wrap items-end gap-3" role="search">
                <div>
                    <label for="req-f-q" class="block text-xs font-medium">{tr!("req-search")}</label>
                    <input id="req-f-q" name="q" type="search" value=f.q.clone().unwrap_or_default() class=INPUT />
                </div>
                <div>
                    <label for="req-f-state" class="block text-xs font-medium">{tr!("req-col-state")}</label>
                    <select id="req-f-state" name="state" class=INPUT>
                        <option value="">{tr!("req-any-state")}</option>
                        {states.iter().map(|st| view! { <option value=*st selected=f.state.as_deref() == Some(*st)>{t(&format!("req-state-{st}"))}</option> }).collect_view()}
                    </select>
                </div>
                <div>
                    <label for="req-f-requester" class="block text-xs font-medium">{tr!("req-col-requester")}</label>
                    <input id="req-f-requester" name="requester" type="text" placeholder=tr!("req-username") value=f.requester.clone().unwrap_or_default() class=INPUT />
                </div>
                <div>
                    <label for="req-f-environment" class="block text-xs font-medium">{tr!("req-environment")}</label>
                    <select id="req-f-environment" name="environment" class=INPUT>
                        <option value="">{tr!("req-any-environment")}</option>
                        {["staging", "prod"].map(|e| view! { <option value=e selected=f.environment.as_deref() == Some(e)>{t(&format!("env-{e}"))}</option> })}
                    </select>
                </div>
                {list.every_tenant.then(|| view! {
                    <div>
                        <label for="req-f-tenant" class="block text-xs font-medium">{tr!("req-tenant")}</label>
                        <input id="req-f-tenant" name="tenant" type="text" value=f.tenant.clone().unwrap_or_default() class=INPUT />
                    </div>
                })}
                <div>
                    <label for="req-f-sort" class="block text-xs font-medium">{tr!("req-sort")}</label>
                    <select id="req-f-sort" name="sort" class=INPUT>
                        <option value="newest">{tr!("req-sort-newest")}</option>
                        <option value="oldest" selected=f.sort.as_deref() == Some("oldest")>{tr!("req-sort-oldest")}</option>
                    </select>
                </div>
                <div class="flex items-center gap-2 pb-2">
                    <input type="checkbox" id="req-f-mine" name="mine" value="1" checked=f.mine />
                    <label for="req-f-mine" class="text-sm">{tr!("req-only-mine")}</label>
                </div>
                <button type="submit" class=SECONDARY>{tr!("req-filter")}</button>
            </form>
            {if empty {
                view! { <p class="mt-10 rounded-xl border border-dashed border-slate-300 p-8 text-center text-slate-600 dark:border-slate-700 dark:text-slate-300">{tr!("req-empty")}</p> }.into_any()
            } else {
                view! {
                    <div class="mt-6 overflow-x-auto rounded-xl border border-slate-200 bg-white shadow-card dark:border-slate-800 dark:bg-slate-900">
                        <table class="min-w-full divide-y divide-slate-200 dark:divide-slate-800">
                            <thead><tr>
                                <th scope="col" class=th>{tr!("req-col-id")}</th>
                                <th scope="col" class=th>{tr!("req-col-target")}</th>
                                <th scope="col" class=th>{tr!("req-impact")}</th>
                                <th scope="col" class=th>{tr!("req-col-requester")}</th>
                                <th scope="col" class=th>{tr!("req-col-state")}</th>
                                <th scope="col" class=th>{tr!("req-col-created")}</th>
                            </tr></thead>
                            <tbody class="divide-y divide-slate-100 dark:divide-slate-800">
                                {list.items.into_iter().map(|r| view! {
                                    <tr data-request=r.id.clone()>
                                        <td class=td><a href=format!("/console/requests/{}", r.id) class="font-mono font-medium text-indigo-700 hover:underline dark:text-indigo-300">{r.id.clone()}</a></td>
                                        <td class=td>{format!("{} {}", r.target_title, r.target_version)}</td>
                                        <td class=td>{t(&format!("req-impact-{}", r.impact.as_str()))}</td>
                                        <td class=td>{r.requester.clone()}</td>
                                        <td class=td>{state_badge(r.state)}</td>
                                        <td class=td><crate::components::when::When at=r.created_at.clone() /></td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                    <nav aria-label=tr!("req-pagination") class="mt-4 flex justify-between">
                        {(page > 1).then(|| view! { <a rel="prev" href=keep(page - 1) class=SECONDARY>{tr!("pagination-previous")}</a> })}
                        {list.more.then(|| view! { <a rel="next" href=keep(page + 1) class=SECONDARY>{tr!("pagination-next")}</a> })}
                    </nav>
                }.into_any()
            }}
        </section>
    }
}

/// `/console/requests/new`.
#[component]
pub fn NewRequestPage() -> impl IntoView {
    let refused = use_query_map().with_untracked(|q| q.get("refused"));
    let form = LoadOnce::new(promotion_form(refused));
    view! {
        <PageTitle text=tr!("req-new-title") />
        <Suspense fallback=|| view! { <p aria-busy="true">{tr!("loading")}</p> }>
            {move || {
                let form = form.clone();
                Suspend::new(async move {
                    match form.get().await {
                        Ok((targets, refused)) => view! { <NewRequest targets refused /> }.into_any(),
                        Err(e) => view! { <PageError error=e next="/console/requests/new".to_owned() /> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

#[component]
fn NewRequest(targets: Vec<(String, String)>, refused: Option<RefusedRequest>) -> impl IntoView {
    let RefusedRequest { form, errors } = refused.unwrap_or_else(|| RefusedRequest {
        form: RequestForm { impact: "low".into(), ..Default::default() },
        errors: vec![],
    });
    let error_for = |field: &str| {
        let field = if field == "target" { "target_version" } else { field };
        errors.iter().find(|e| e.field == field || (field == "target_version" && e.field == "target_name")).map(|e| {
            view! { <p id=format!("req-{field}-error") class=FIELD_ERROR>{t(&format!("req-error-{}", e.code))}</p> }
        })
    };
    let chosen = format!("{}@{}", form.target_name, form.target_version);
    let check = |name: &'static str, label: String, on: bool| {
        view! {
            <div class="flex items-center gap-2">
                <input type="checkbox" id=format!("req-{name}") name=name value="on" checked=on />
                <label for=format!("req-{name}") class="text-sm">{label}</label>
            </div>
        }
    };
    view! {
        <section class="mx-auto max-w-3xl">
            <p><a href="/console/requests" class="text-sm text-indigo-700 hover:underline dark:text-indigo-300">{tr!("req-back")}</a></p>
            <h1 class="mt-2 text-3xl font-bold tracking-tight">{tr!("req-new")}</h1>
            {(!errors.is_empty()).then(|| view! { <p role="alert" class=NOTICE_ERROR>{tr!("error-validation")}</p> })}
            <form method="post" action=CreatePromotionRequest::url() class=format!("{CARD} space-y-5")>
                <div>
                    <label for="req-target" class="block text-sm font-medium">{tr!("req-target")}</label>
                    <select id="req-target" name="target" required class=INPUT>
                        {targets.is_empty().then(|| view! { <option value="">{tr!("req-no-targets")}</option> })}
                        {targets.into_iter().map(|(name, version)| {
                            let value = format!("{name}@{version}");
                            let selected = value == chosen;
                            view! { <option value=value selected=selected>{format!("{name} {version}")}</option> }
                        }).collect_view()}
                    </select>
                    <p class="mt-1 text-xs text-slate-500">{tr!("req-target-hint")}</p>
                    {error_for("target")}
                </div>
                <div>
                    <label for="req-justification" class="block text-sm font-medium">{tr!("req-justification")}</label>
                    <textarea id="req-justification" name="justification" rows="3" required minlength="20" class=INPUT
                        aria-invalid=errors.iter().any(|e| e.field == "justification").then_some("true")>{crate::components::rcdata::escaped(&form.justification)}</textarea>
                    {error_for("justification")}
                </div>
                <div>
                    <label for="req-impact" class="block text-sm font-medium">{tr!("req-impact")}</label>
                    <select id="req-impact" name="impact" class=INPUT>
                        {Impact::ALL.iter().map(|i| { let i = i.as_str(); view! { <option value=i selected=form.impact == i>{t(&format!("req-impact-{i}"))}</option> } }).collect_view()}
                    </select>
                    {error_for("impact")}
                </div>
                <div>
                    <label for="req-release_notes" class="block text-sm font-medium">{tr!("req-release-notes")}</label>
                    <textarea id="req-release_notes" name="release_notes" rows="3" class=INPUT>{crate::components::rcdata::escaped(&form.release_notes)}</textarea>
                </div>
                <div>
                    <label for="req-rollback_plan" class="block text-sm font-medium">{tr!("req-rollback")}</label>
                    <textarea id="req-rollback_plan" name="rollback_plan" rows="2" class=INPUT>{crate::components::rcdata::escaped(&form.rollback_plan)}</textarea>
                </div>
                <div>
                    <label for="req-scheduled_at" class="block text-sm font-medium">{tr!("req-scheduled")}</label>
                    <input id="req-scheduled_at" name="scheduled_at" type="datetime-local" value=form.scheduled_at.clone() class=format!("{INPUT} max-w-xs") />
                    <p class="mt-1 text-xs text-slate-500">{tr!("req-scheduled-hint")}</p>
                    {error_for("scheduled_at")}
                </div>
                <fieldset class="space-y-2">
                    <legend class="text-sm font-medium">{tr!("req-checks")}</legend>
                    {check("staging_tests_passed", tr!("req-check-staging"), form.staging_tests_passed)}
                    {check("security_scan_passed", tr!("req-check-security"), form.security_scan_passed)}
                    {check("performance_tests_passed", tr!("req-check-performance"), form.performance_tests_passed)}
                </fieldset>
                <div>
                    <label for="req-evidence_url" class="block text-sm font-medium">{tr!("req-evidence")}</label>
                    <input id="req-evidence_url" name="evidence_url" type="url" value=form.evidence_url.clone() class=INPUT />
                    {error_for("evidence_url")}
                </div>
                <button type="submit" class=BUTTON>{tr!("req-submit")}</button>
            </form>
        </section>
    }
}

/// `/console/requests/:id`.
#[component]
pub fn RequestPage() -> impl IntoView {
    let id = use_params_map().with_untracked(|p| p.get("id")).unwrap_or_default();
    let next = format!("/console/requests/{id}");
    let page = LoadOnce::new(promotion_request(id));
    view! {
        <Suspense fallback=|| view! { <p aria-busy="true">{tr!("loading")}</p> }>
            {move || {
                let (page, next) = (page.clone(), next.clone());
                Suspend::new(async move {
                    match page.get().await {
                        Ok(page) => view! { <RequestView page /> }.into_any(),
                        Err(e) => view! { <PageError error=e next /> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

#[component]
fn RequestView(page: RequestPage) -> impl IntoView {
    let (created, done, error, typed, confirm_cancel) = use_query_map().with_untracked(|q| {
        (
            q.get("created"),
            q.get("done"),
            q.get("error"),
            q.get("reason"),
            q.get("confirm").as_deref() == Some("cancel"),
        )
    });
    let r = page.request;
    let row = |label: String, value: String| {
        view! { <div class="py-2 sm:grid sm:grid-cols-3 sm:gap-4"><dt class="text-sm font-medium text-slate-500">{label}</dt><dd class="text-sm sm:col-span-2 whitespace-pre-line">{value}</dd></div> }
    };
    let yes_no = |b: bool| if b { tr!("req-yes") } else { tr!("req-no") };
    let id = r.id.clone();
    let reason_error = error.as_deref() == Some("reason-too-short");
    // While the request moves without anyone's hand (approved, then deploying), /live.js
    // swaps the page's state in place every 2 s; pending pages are left alone (an
    // approver may be typing a reason).
    let moving = matches!(r.state, State::Approved | State::Deploying);
    view! {
        <PageTitle text=format!("{} · STOA", r.id) />
        <section class="mx-auto max-w-3xl">
            <p><a href="/console/requests" class="text-sm text-indigo-700 hover:underline dark:text-indigo-300">{tr!("req-back")}</a></p>
            {moving.then(|| view! { <script type="module" src="/live.js"></script> })}
            <div id="request-live" data-live=if moving { "on" } else { "off" } data-every="2000">
            <h1 class="mt-2 flex flex-wrap items-center gap-3 text-3xl font-bold tracking-tight">
                <span class="font-mono">{r.id.clone()}</span> {state_badge(r.state)}
            </h1>
            <p class="mt-2 text-slate-600 dark:text-slate-300">{format!("{} {} · staging → prod", r.target_title, r.target_version)}</p>
            {created.map(|_| view! { <p role="status" class=NOTICE_OK>{tr!("req-created")}</p> })}
            {done.map(|d| view! { <p role="status" class=NOTICE_OK>{t(&format!("req-done-{d}"))}</p> })}
            {error.clone().filter(|e| e == "already-decided").map(|_| view! { <p role="alert" class=NOTICE_ERROR>{tr!("req-error-already-decided")}</p> })}
            <dl class=format!("{CARD} divide-y divide-slate-100 dark:divide-slate-800")>
                {row(tr!("req-col-requester"), r.requester.clone())}
                {row(tr!("req-justification-shown"), r.justification.clone())}
                {row(tr!("req-impact"), t(&format!("req-impact-{}", r.impact.as_str())))}
                {row(tr!("req-release-notes"), r.release_notes.clone())}
                {row(tr!("req-rollback"), r.rollback_plan.clone())}
                {row(tr!("req-scheduled"), r.scheduled_at.as_deref().map(crate::components::when::exact).unwrap_or_else(|| tr!("req-asap")))}
                {row(tr!("req-check-staging"), yes_no(r.staging_tests_passed))}
                {row(tr!("req-check-security"), yes_no(r.security_scan_passed))}
                {row(tr!("req-check-performance"), yes_no(r.performance_tests_passed))}
                {row(tr!("req-evidence"), r.evidence_url.clone().unwrap_or_default())}
                {r.decided_by.clone().map(|d| row(tr!("req-decided-by"), format!("{d} · {}", r.decided_at.as_deref().map(crate::components::when::exact).unwrap_or_default())))}
                {r.reason.clone().map(|reason| row(tr!("req-reason"), reason))}
                {r.error.clone().map(|e| row(tr!("req-failure"), e))}
            </dl>
            {(page.may_decide || page.may_cancel).then(|| view! {
                <section class=CARD id="decide" aria-labelledby="decide-heading">
                    <h2 id="decide-heading" class="text-xl font-semibold">{tr!("req-actions")}</h2>
                    {page.may_decide.then(|| view! {
                        <div class="mt-4 flex flex-wrap items-start gap-4">
                            <form method="post" action=MovePromotionRequest::url()>
                                <input type="hidden" name="id" value=id.clone() />
                                <button type="submit" name="action" value="approve" class=BUTTON>{tr!("req-approve")}</button>
                            </form>
                            <form method="post" action=MovePromotionRequest::url() class="flex flex-1 flex-wrap items-start gap-2">
                                <input type="hidden" name="id" value=id.clone() />
                                <div class="min-w-64 flex-1">
                                    // A visible label, not a placeholder: the hint is read whole on a phone.
                                    <label for="req-reason" class="block text-sm font-medium">{tr!("req-reason-placeholder")}</label>
                                    <input id="req-reason" name="reason" type="text" maxlength="1000"
                                        value=typed.clone().unwrap_or_default() class=INPUT
                                        aria-invalid=reason_error.then_some("true") aria-describedby=reason_error.then_some("req-reason-error") />
                                    {reason_error.then(|| view! { <p id="req-reason-error" class=FIELD_ERROR>{tr!("req-error-reason-too-short")}</p> })}
                                </div>
                                <button type="submit" name="action" value="reject" class=DANGER>{tr!("req-reject")}</button>
                            </form>
                        </div>
                    })}
                    // Cancelling cannot be undone: the first press asks (a plain link, so
                    // without JavaScript too), the second cancels.
                    {page.may_cancel.then(|| if confirm_cancel {
                        view! {
                            <div class="mt-4 rounded-lg border border-amber-300 bg-amber-50 p-4 dark:border-amber-800 dark:bg-amber-950" role="alertdialog" aria-labelledby="cancel-confirm">
                                <p id="cancel-confirm" class="text-sm">{tr!("req-cancel-confirm")}</p>
                                <div class="mt-3 flex flex-wrap gap-3">
                                    <form method="post" action=MovePromotionRequest::url()>
                                        <input type="hidden" name="id" value=id.clone() />
                                        <button type="submit" name="action" value="cancel" class=DANGER autofocus>{tr!("req-cancel-yes")}</button>
                                    </form>
                                    <a href=format!("/console/requests/{id}#decide") class=SECONDARY>{tr!("req-cancel-keep")}</a>
                                </div>
                            </div>
                        }.into_any()
                    } else {
                        view! {
                            <form method="get" action=format!("/console/requests/{id}#decide") class="mt-4">
                                <button type="submit" name="confirm" value="cancel" class=SECONDARY>{tr!("req-cancel")}</button>
                            </form>
                        }.into_any()
                    })}
                </section>
            })}
            <Timeline history=page.history />
            </div>
            <CommentForm id=r.id.clone() />
        </section>
    }
}

#[component]
fn CommentForm(id: String) -> impl IntoView {
    let (error, typed) = use_query_map().with_untracked(|q| (q.get("error"), q.get("comment")));
    let invalid = error.as_deref() == Some("comment-length");
    view! {
        <form method="post" action=CommentPromotionRequest::url() class=CARD id="comment">
            <input type="hidden" name="id" value=id />
            <label for="req-comment" class="block text-sm font-medium">{tr!("req-comment")}</label>
            <textarea id="req-comment" name="comment" rows="3" required maxlength="5000" class=INPUT
                aria-invalid=invalid.then_some("true") aria-describedby=invalid.then_some("req-comment-error")>{crate::components::rcdata::escaped(&typed.filter(|_| invalid).unwrap_or_default())}</textarea>
            {invalid.then(|| view! { <p id="req-comment-error" class=FIELD_ERROR>{tr!("req-error-comment-length")}</p> })}
            <button type="submit" class=format!("mt-3 {SECONDARY}")>{tr!("req-comment-submit")}</button>
        </form>
    }
}

#[component]
fn Timeline(history: Vec<HistoryInfo>) -> impl IntoView {
    view! {
        <section class=CARD id="timeline" aria-labelledby="timeline-heading">
            <h2 id="timeline-heading" class="text-xl font-semibold">{tr!("req-timeline")}</h2>
            <ol class="mt-4 space-y-3 border-l-2 border-slate-200 pl-4 dark:border-slate-700">
                {history.into_iter().map(|h| view! {
                    <li data-action=h.action.clone()>
                        <p class="text-sm"><span class="font-medium">{h.actor.clone()}</span> " · "
                            // One transition per line: from → to when the line moved the
                            // request, what was done otherwise.
                            {match (h.from_state, h.to_state) {
                                (Some(from), Some(to)) => view! {
                                    <span data-transition=format!("{}-{}", from.as_str(), to.as_str())>
                                        {t(&format!("req-state-{}", from.as_str()))} " → " {t(&format!("req-state-{}", to.as_str()))}
                                    </span>
                                }.into_any(),
                                _ => t(&format!("req-action-{}", h.action)).into_any(),
                            }}</p>
                        {h.comment.clone().map(|c| view! { <p class="text-sm text-slate-600 dark:text-slate-400"><q>{c}</q></p> })}
                        {h.job_id.map(|job| view! { <p class="text-xs text-slate-600 dark:text-slate-400">{tr!("req-job", { "job" => job })}</p> })}
                        {h.error.clone().map(|e| view! { <p class="text-sm text-rose-700 dark:text-rose-300">{e}</p> })}
                        <p class="text-xs text-slate-500"><crate::components::when::When at=h.at.clone() /></p>
                    </li>
                }).collect_view()}
            </ol>
        </section>
    }
}

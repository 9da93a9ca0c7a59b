//! Subscribing: the subscribe section of an API or MCP page (with what to retry after a
//! refusal), and an application's subscriptions with their states.

use crate::api::subscriptions::{CancelSubscription, ChangePlan, ExtendSubscription, WithdrawPlanChange};
use crate::components::ui::{BUTTON, CARD, DANGER, FIELD_ERROR, INPUT, NOTICE_OK, SECONDARY};
use crate::domain::catalog::Kind;
use crate::domain::subscription::State;
use crate::i18n::t;
use crate::model::catalog::ItemDetail;
use crate::model::subscriptions::{SubscriptionInfo, SUBSCRIBE_PATH};
use crate::tr;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_router::hooks::use_query_map;

/// What the subscribe form shows again after a refusal (from the query string).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SubscribeRetry {
    pub error: Option<String>,
    pub detail: Option<String>,
    pub application: Option<String>,
    pub plan: Option<String>,
    pub tools: Vec<String>,
}

impl SubscribeRetry {
    /// Reads `subscribe_error`, `detail`, `application`, `plan` and `tool` from the query.
    pub fn from_query() -> SubscribeRetry {
        use_query_map().with_untracked(|q| SubscribeRetry {
            error: q.get("subscribe_error"),
            detail: q.get("detail"),
            application: q.get("application"),
            plan: q.get("plan"),
            tools: q.get_all("tool").unwrap_or_default(),
        })
    }
}

/// The state badge of a subscription.
pub fn state_badge(state: State) -> impl IntoView {
    let colour = match state {
        State::Active => "bg-emerald-100 text-emerald-900 dark:bg-emerald-950 dark:text-emerald-200",
        State::Pending => "bg-amber-100 text-amber-900 dark:bg-amber-950 dark:text-amber-200",
        State::Suspended => "bg-orange-100 text-orange-900 dark:bg-orange-950 dark:text-orange-200",
        _ => "bg-slate-100 text-slate-700 dark:bg-slate-800 dark:text-slate-300",
    };
    let state = state.as_str();
    view! {
        <span class=format!("whitespace-nowrap rounded-full px-2.5 py-0.5 text-xs font-semibold {colour}") data-state=state.to_owned() data-badge="">
            {t(&format!("sub-state-{state}"))}
        </span>
    }
}

/// An API or MCP page's "Subscribe" section: application, plan, tools (MCP), optional
/// end; visitors are asked to sign in, users without an application to create one.
#[component]
pub fn SubscribeSection(
    detail: ItemDetail,
    /// The user's applications: (id, name).
    apps: Vec<(String, String)>,
    retry: SubscribeRetry,
) -> impl IntoView {
    let user = crate::auth::current_user();
    let page = match detail.kind {
        Kind::Mcp => format!("/mcp/{}", detail.slug),
        Kind::Api => format!("/apis/{}/{}", detail.tenant_id, detail.slug),
    };
    let may = user.as_ref().is_some_and(|u| u.may(crate::domain::permission::Permission::Subscribe));
    let body = match (user.is_some(), may, apps.is_empty()) {
        (false, _, _) => view! {
            <p class="mt-3 text-sm">
                <a href=format!("/login?next={}", crate::auth::encode_next(Some(&page))) class="font-medium text-indigo-700 underline dark:text-indigo-300">{tr!("sub-sign-in")}</a>
            </p>
        }
        .into_any(),
        (true, false, _) => view! { <p class="mt-3 text-sm text-slate-600">{tr!("sub-not-allowed")}</p> }.into_any(),
        (true, true, true) => view! {
            <p class="mt-3 text-sm">{tr!("sub-need-app")} " " <a href="/apps/new" class="font-medium text-indigo-700 underline dark:text-indigo-300">{tr!("apps-new")}</a></p>
        }
        .into_any(),
        (true, true, false) => view! { <SubscribeForm detail apps retry /> }.into_any(),
    };
    view! {
        <section class=CARD id="subscribe" aria-labelledby="subscribe-heading">
            <h2 id="subscribe-heading" class="text-xl font-semibold">{tr!("sub-heading")}</h2>
            {body}
        </section>
    }
}

#[component]
pub fn SubscribeForm(
    detail: ItemDetail,
    apps: Vec<(String, String)>,
    retry: SubscribeRetry,
) -> impl IntoView {
    let error_on = |field: &str| {
        let field_of = |code: &str| match code {
            "choose-application" | "unknown-application" => "application",
            "choose-tools" | "unknown-tool" => "tools",
            "ttl-out-of-range" => "ttl_days",
            _ => "plan",
        };
        retry.error.as_deref().filter(|code| field_of(code) == field).map(|code| {
            let text = match &retry.detail {
                Some(d) => format!("{} {d}", t(&format!("sub-error-{code}"))),
                None => t(&format!("sub-error-{code}")),
            };
            view! { <p id=format!("sub-{field}-error") class=FIELD_ERROR>{text}</p> }
        })
    };
    let chosen_plan = retry.plan.clone().or_else(|| detail.plans.first().map(|p| p.slug.clone()));
    let is_mcp = detail.kind == Kind::Mcp;
    let tools_checked = |name: &str| retry.tools.is_empty() || retry.tools.iter().any(|x| x == name);
    view! {
        {retry.error.is_some().then(|| view! { <p role="alert" class="mt-2 text-sm font-medium text-rose-700 dark:text-rose-300">{tr!("error-validation")}</p> })}
        <form method="post" action=SUBSCRIBE_PATH class="mt-4 space-y-5">
            <input type="hidden" name="kind" value=detail.kind.as_str() />
            <input type="hidden" name="tenant" value=detail.tenant_id.clone() />
            <input type="hidden" name="slug" value=detail.slug.clone() />
            <div>
                <label for="sub-application" class="block text-sm font-medium">{tr!("sub-application")}</label>
                <select id="sub-application" name="application" class=INPUT aria-invalid=error_on("application").is_some().then_some("true")>
                    {apps.into_iter().map(|(id, name)| {
                        let selected = retry.application.as_deref() == Some(id.as_str());
                        view! { <option value=id selected=selected>{name}</option> }
                    }).collect_view()}
                </select>
                {error_on("application")}
            </div>
            {(!detail.plans.is_empty()).then(|| view! {
                <fieldset>
                    <legend class="text-sm font-medium">{tr!("sub-plan")}</legend>
                    <div class="mt-2 space-y-2">
                        {detail.plans.iter().map(|p| {
                            let id = format!("sub-plan-{}", p.slug);
                            let note = if p.requires_approval { tr!("plans-approval") } else { tr!("plans-instant") };
                            view! {
                                <div class="flex items-start gap-2">
                                    <input type="radio" name="plan" id=id.clone() value=p.slug.clone() required
                                        checked=chosen_plan.as_deref() == Some(p.slug.as_str()) class="mt-1" />
                                    <label for=id class="text-sm"><span class="font-medium">{p.name.clone()}</span> " — " {note}</label>
                                </div>
                            }
                        }).collect_view()}
                    </div>
                    {error_on("plan")}
                </fieldset>
            })}
            {is_mcp.then(|| view! {
                <fieldset>
                    <legend class="text-sm font-medium">{tr!("sub-tools")}</legend>
                    <div class="mt-2 grid grid-cols-1 gap-2 sm:grid-cols-2">
                        {detail.tools.iter().map(|tool| {
                            let id = format!("sub-tool-{}", tool.name);
                            view! {
                                <div class="flex items-center gap-2">
                                    <input type="checkbox" name="tools" id=id.clone() value=tool.name.clone() checked=tools_checked(&tool.name) />
                                    <label for=id class="font-mono text-sm">{tool.name.clone()}</label>
                                </div>
                            }
                        }).collect_view()}
                    </div>
                    {error_on("tools")}
                </fieldset>
            })}
            <div>
                <label for="sub-ttl_days" class="block text-sm font-medium">{tr!("sub-ttl")}</label>
                <input id="sub-ttl_days" name="ttl_days" type="number" min="1" max="3650" placeholder=tr!("apps-never") class=format!("{INPUT} max-w-xs")
                    aria-describedby="sub-ttl-hint" />
                <p id="sub-ttl-hint" class="mt-1 text-xs text-slate-500">{tr!("sub-ttl-hint")}</p>
                {error_on("ttl_days")}
            </div>
            <button type="submit" class=BUTTON>{tr!("sub-submit")}</button>
        </form>
    }
}

/// An application's subscriptions, with cancel (after confirmation) and extend.
#[component]
pub fn AppSubscriptions(
    app: String,
    subscriptions: Vec<SubscriptionInfo>,
    confirm: Option<String>,
) -> impl IntoView {
    let (subscribed, done, error, error_for) = use_query_map()
        .with_untracked(|q| (q.get("subscribed"), q.get("sub"), q.get("sub_error"), q.get("sub_id")));
    let notice = match (subscribed.as_deref(), done.as_deref()) {
        (Some("active"), _) => Some(tr!("sub-done-active")),
        (Some(_), _) => Some(tr!("sub-done-pending")),
        (None, Some("cancelled")) => Some(tr!("sub-done-cancelled")),
        (None, Some("extended")) => Some(tr!("sub-done-extended")),
        (None, Some("plan-changed")) => Some(tr!("sub-done-plan-changed")),
        (None, Some("plan-requested")) => Some(tr!("sub-done-plan-requested")),
        (None, Some("plan-withdrawn")) => Some(tr!("sub-done-plan-withdrawn")),
        _ => None,
    };
    let empty = subscriptions.is_empty();
    view! {
        <section class=CARD id="subscriptions" aria-labelledby="subscriptions-heading">
            <h2 id="subscriptions-heading" class="text-xl font-semibold">{tr!("sub-list-heading")}</h2>
            {notice.map(|n| view! { <p role="status" class=NOTICE_OK>{n}</p> })}
            {empty.then(|| view! {
                <p class="mt-2 text-sm text-slate-600 dark:text-slate-400">{tr!("sub-list-empty")} " " <a href="/catalog" class="text-indigo-700 underline dark:text-indigo-300">{tr!("nav-catalog")}</a></p>
            })}
            <ul class="mt-4 space-y-3">
                {subscriptions.into_iter().map(|s| {
                    let id = s.id.to_string();
                    let error = error.clone().filter(|_| error_for.as_deref() == Some(id.as_str()));
                    let confirming = confirm.as_deref() == Some(format!("cancel-{id}").as_str());
                    let live = s.state.is_live();
                    let extendable = s.state == State::Active && s.expires_at.is_some();
                    view! {
                        <li id=format!("sub-{id}") class="rounded-lg border border-slate-200 p-3 text-sm dark:border-slate-800" data-subscription=s.slug.clone()>
                            <div class="flex flex-wrap items-center justify-between gap-2">
                                <span>
                                    <a href=s.href() class="font-medium hover:underline">{s.item_name.clone()}</a>
                                    {s.plan_name.clone().map(|p| view! { " · " {p} })}
                                    " " {state_badge(s.state)}
                                </span>
                                <span class="text-xs text-slate-500">
                                    <crate::components::when::When at=s.created_at.clone() />
                                    {s.expires_at.clone().map(|e| view! { " · " {tr!("sub-ends", { "date" => crate::components::when::exact(&e) })} })}
                                </span>
                            </div>
                            {(!s.tools.is_empty()).then(|| view! {
                                <p class="mt-1 text-xs text-slate-600 dark:text-slate-400">{tr!("sub-tools")} ": " <span class="font-mono">{s.tools.join(", ")}</span></p>
                            })}
                            {s.requested_plan_name.clone().filter(|_| s.state == State::Active).map(|p| view! {
                                <form method="post" action=WithdrawPlanChange::url() class="mt-1 flex flex-wrap items-center gap-2 text-sm" data-requested-plan=s.requested_plan_slug.clone().unwrap_or_default()>
                                    <input type="hidden" name="id" value=s.id.to_string() />
                                    <input type="hidden" name="application" value=app.clone() />
                                    <span>{tr!("sub-plan-requested", { "plan" => p })}</span>
                                    <button type="submit" class=SECONDARY>{tr!("sub-withdraw-plan")}</button>
                                </form>
                            })}
                            {s.reason.clone().filter(|_| matches!(s.state, State::Rejected | State::Revoked | State::Suspended)).map(|r| view! {
                                <p class="mt-1 text-sm">{tr!("sub-reason")} " " <q>{r}</q></p>
                            })}
                            {live.then(|| view! {
                                <div class="mt-3 flex flex-wrap items-end gap-3">
                                    {(s.state == State::Active && !s.plan_choices.is_empty() && s.requested_plan_slug.is_none()).then(|| view! {
                                        <form method="post" action=ChangePlan::url() class="flex items-end gap-2">
                                            <input type="hidden" name="id" value=id.clone() />
                                            <input type="hidden" name="application" value=app.clone() />
                                            <div>
                                                <label for=format!("plan-{id}") class="block text-xs font-medium">{tr!("sub-change-plan-label")}</label>
                                                <select id=format!("plan-{id}") name="plan" class="mt-1 rounded-md border border-slate-300 px-2 py-1 dark:border-slate-700 dark:bg-slate-900">
                                                    {s.plan_choices.iter().map(|p| {
                                                        let label = if p.requires_approval { tr!("sub-plan-choice-approval", { "plan" => p.name.clone() }) } else { p.name.clone() };
                                                        view! { <option value=p.slug.clone()>{label}</option> }
                                                    }).collect_view()}
                                                </select>
                                            </div>
                                            <button type="submit" class=SECONDARY>{tr!("sub-change-plan")}</button>
                                        </form>
                                    })}
                                    {extendable.then(|| view! {
                                        <form method="post" action=ExtendSubscription::url() class="flex items-end gap-2">
                                            <input type="hidden" name="id" value=id.clone() />
                                            <input type="hidden" name="application" value=app.clone() />
                                            <div>
                                                <label for=format!("extend-{id}") class="block text-xs font-medium">{tr!("sub-extend-days")}</label>
                                                <input id=format!("extend-{id}") name="days" type="number" min="1" value="30" required
                                                    class="mt-1 w-24 rounded-md border border-slate-300 px-2 py-1 dark:border-slate-700 dark:bg-slate-900"
                                                    aria-invalid=error.is_some().then_some("true") />
                                            </div>
                                            <button type="submit" class=SECONDARY>{tr!("sub-extend")}</button>
                                        </form>
                                    })}
                                    {if confirming {
                                        view! {
                                            <form method="post" action=CancelSubscription::url() class="flex items-center gap-2">
                                                <input type="hidden" name="id" value=id.clone() />
                                                <span>{tr!("sub-cancel-confirm")}</span>
                                                <button type="submit" class=DANGER>{tr!("sub-cancel-yes")}</button>
                                                <a href=format!("/apps/{app}#sub-{id}") class=SECONDARY>{tr!("console-cancel")}</a>
                                            </form>
                                        }.into_any()
                                    } else {
                                        view! { <a href=format!("?confirm=cancel-{id}#sub-{id}") class=SECONDARY>{tr!("sub-cancel")}</a> }.into_any()
                                    }}
                                </div>
                            })}
                            {error.map(|code| view! { <p role="alert" class=FIELD_ERROR>{t(&format!("sub-error-{code}"))}</p> })}
                        </li>
                    }
                }).collect_view()}
            </ul>
        </section>
    }
}

//! `/onboarding` and `/onboarding/:step`: the wizard from a use case to a first call
//! through STOA — four plain forms the server stores, so it resumes anywhere.

use crate::api::onboarding::{
    load_onboarding, OnboardingApplication, OnboardingLeave, OnboardingRestart, OnboardingSubscribe,
    OnboardingUseCase,
};
use crate::components::copy::CopyButton;
use crate::components::error_view::PageError;
use crate::components::rcdata::PageTitle;
use crate::components::ui::{BUTTON, CARD, INPUT, NOTICE_ERROR, NOTICE_OK, SECONDARY};
use crate::domain::onboarding::{Access, Step, UseCase, STEPS};
use crate::i18n::t;
use crate::model::onboarding::{CallHint, OnboardingPage, WizardApplication};
use crate::tr;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_router::hooks::{use_params_map, use_query_map};

/// The wizard.
#[component]
pub fn WizardPage() -> impl IntoView {
    let step = use_params_map().with_untracked(|p| p.get("step"));
    let (issued, error, back) =
        use_query_map().with_untracked(|q| (q.get("issued"), q.get("error"), q.get("back")));
    let data = Resource::new_blocking(move || (step.clone(), issued.clone()), |(s, i)| load_onboarding(s, i));
    view! {
        <PageTitle text=tr!("onboarding-title") />
        <Suspense fallback=|| view! { <p aria-busy="true">{tr!("loading")}</p> }>
            {move || {
                let (error, back) = (error.clone(), back.clone());
                Suspend::new(async move {
                    match data.await {
                        Ok(page) => view! { <Wizard page error back /> }.into_any(),
                        Err(e) => view! { <PageError error=e next="/onboarding".to_owned() /> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

#[component]
fn Wizard(page: OnboardingPage, error: Option<String>, back: Option<String>) -> impl IntoView {
    let shown = page.shown;
    view! {
        <section class="mx-auto max-w-3xl">
            <h1 class="text-3xl font-bold tracking-tight">{tr!("onboarding-heading")}</h1>
            <p class="mt-2 text-slate-600 dark:text-slate-300">{tr!("onboarding-lead")}</p>
            {back.and_then(|b| Step::of_slug(&b)).map(|_| view! {
                <p role="alert" class=format!("mt-6 {NOTICE_ERROR}")>
                    {tr!("onboarding-sent-back", { "step" => t(&format!("onboarding-step-{}", shown.slug())) })}
                </p>
            })}
            {error.map(|code| view! {
                <p role="alert" class=format!("mt-6 {NOTICE_ERROR}")>{t(&format!("onboarding-error-{}", known_error(&code)))}</p>
            })}
            // With JavaScript, /live.js refetches the first call's step every 2 s and swaps
            // it in place: the call shows up without a reload, then the done step.
            {(shown == Step::FirstCall).then(|| view! { <script type="module" src="/live.js"></script> })}
            // The steps' marks are part of it: the first call's ✓ shows with its answer.
            <div id="onboarding-live" data-live=if shown == Step::FirstCall { "on" } else { "off" } data-every="2000">
                <Progress shown current=page.state.step />
                <div class=CARD>
                {match shown {
                    Step::UseCase => view! { <UseCaseStep chosen=page.state.use_case /> }.into_any(),
                    Step::Application => view! { <ApplicationStep page=page.clone() /> }.into_any(),
                    Step::Subscription => view! { <SubscriptionStep page=page.clone() /> }.into_any(),
                    Step::FirstCall => view! { <FirstCallStep page=page.clone() /> }.into_any(),
                    Step::Done => view! { <DoneStep page=page.clone() /> }.into_any(),
                }}
                </div>
            </div>
            <div class="mt-6 flex flex-wrap gap-3 text-sm">
                <form method="post" action=OnboardingLeave::url()>
                    <button type="submit" class=SECONDARY>{tr!("onboarding-leave")}</button>
                </form>
                <form method="post" action=OnboardingRestart::url()>
                    <button type="submit" class=SECONDARY>{tr!("onboarding-restart")}</button>
                </form>
            </div>
        </section>
    }
}

/// The error codes the page has words for (`onboarding-error-…`); others read as
/// `invalid`.
pub const ERRORS: &[&str] = &[
    "choose-use-case",
    "required",
    "too-long",
    "name-taken",
    "not-found",
    "choose-plan",
    "unknown-plan",
    "plan-archived",
    "already-subscribed",
    "needs-use-case",
    "needs-application",
    "needs-subscription",
    "invalid",
];

fn known_error(code: &str) -> &str {
    ERRORS.iter().find(|k| **k == code).copied().unwrap_or("invalid")
}

/// "Step 2 of 4" and the four steps, the current one marked.
#[component]
fn Progress(shown: Step, current: Step) -> impl IntoView {
    let steps = [Step::UseCase, Step::Application, Step::Subscription, Step::FirstCall];
    view! {
        <nav aria-label=tr!("onboarding-progress") class="mt-6">
            <p class="text-sm font-medium text-slate-600 dark:text-slate-400">
                {tr!("onboarding-step-of", { "n" => shown.number(), "of" => STEPS })}
            </p>
            <ol class="mt-2 grid grid-cols-2 gap-2 text-sm sm:grid-cols-4">
                {steps.into_iter().map(|s| {
                    let label = t(&format!("onboarding-step-{}", s.slug()));
                    let done = s < current;
                    let here = s == shown;
                    let class = if here {
                        "block rounded-md border-2 border-indigo-600 px-3 py-2 font-semibold"
                    } else {
                        "block rounded-md border border-slate-200 px-3 py-2 dark:border-slate-800"
                    };
                    let mark = if done { "✓ " } else { "" };
                    view! {
                        <li>
                            {if s <= current {
                                view! {
                                    <a href=format!("/onboarding/{}", s.slug()) class=class aria-current=here.then_some("step")>
                                        {mark}{label}
                                    </a>
                                }.into_any()
                            } else {
                                view! { <span class=format!("{class} text-slate-600 dark:text-slate-400")>{label}</span> }.into_any()
                            }}
                        </li>
                    }
                }).collect_view()}
            </ol>
        </nav>
    }
}

#[component]
fn UseCaseStep(chosen: Option<UseCase>) -> impl IntoView {
    let chosen = chosen.unwrap_or(UseCase::Rest);
    view! {
        <form method="post" action=OnboardingUseCase::url()>
            <fieldset>
                <legend class="text-lg font-semibold">{tr!("onboarding-use-case-legend")}</legend>
                <div class="mt-4 space-y-3">
                    {UseCase::ALL.iter().map(|u| {
                        let id = format!("use-case-{}", u.as_str());
                        view! {
                            <div class="flex items-start gap-3">
                                <input type="radio" name="use_case" id=id.clone() value=u.as_str() checked=*u == chosen class="mt-1" />
                                <label for=id>
                                    <span class="font-medium">{t(&format!("onboarding-use-case-{}", u.as_str()))}</span>
                                    <span class="block text-sm text-slate-600 dark:text-slate-400">{t(&format!("onboarding-use-case-{}-hint", u.as_str()))}</span>
                                </label>
                            </div>
                        }
                    }).collect_view()}
                </div>
            </fieldset>
            <button type="submit" class=format!("mt-6 {BUTTON}")>{tr!("onboarding-continue")}</button>
        </form>
    }
}

/// The wizard's application lost its key (revoked or expired): calls are refused with
/// 401 and never reach metering under it, so the wizard says so and offers a new key.
#[component]
fn KeyGone(application: WizardApplication) -> impl IntoView {
    view! {
        <div role="alert" class=format!("mt-4 {NOTICE_ERROR}")>
            <p>{tr!("onboarding-key-gone", { "app" => application.name.clone() })}</p>
            <form method="post" action=OnboardingApplication::url() class="mt-3">
                <input type="hidden" name="application" value=application.id.to_string() />
                <input type="hidden" name="new_key" value="true" />
                <button type="submit" class=BUTTON>{tr!("onboarding-key-new")}</button>
            </form>
        </div>
    }
}

#[component]
fn ApplicationStep(page: OnboardingPage) -> impl IntoView {
    let chosen = page.state.application.clone();
    if let (Some(key), Some(app)) = (page.issued_key.clone(), chosen.clone()) {
        let export = format!("export STOA_API_KEY={key}");
        return view! {
            <h2 id="key" class="text-lg font-semibold">{tr!("onboarding-key-heading", { "app" => app.name.clone() })}</h2>
            <p role="status" class=format!("mt-3 {NOTICE_OK}")>{tr!("onboarding-key-once")}</p>
            <label for="onboarding-key" class="mt-4 block text-sm font-medium">{tr!("onboarding-key-label")}</label>
            <input id="onboarding-key" type="text" readonly value=key class=format!("{INPUT} font-mono") />
            <CopyButton target="onboarding-key" />
            <p class="mt-4 text-sm">{tr!("onboarding-key-export")}</p>
            <pre tabindex="0" class="mt-2 overflow-x-auto rounded-md bg-slate-100 p-3 text-sm dark:bg-slate-800"><code>{export}</code></pre>
            <a href="/onboarding/subscription" class=format!("mt-6 inline-block {BUTTON}")>{tr!("onboarding-continue")}</a>
        }
        .into_any();
    }
    let apps = page.applications.clone();
    let has_apps = !apps.is_empty();
    view! {
        <h2 class="text-lg font-semibold">{tr!("onboarding-application-heading")}</h2>
        {chosen.clone().filter(|a| !a.has_key).map(|a| view! { <KeyGone application=a /> })}
        {chosen.map(|a| view! {
            <p class="mt-2 text-sm">
                {tr!("onboarding-application-chosen", { "app" => a.name })} " "
                <a href="/onboarding/subscription" class="text-indigo-700 underline dark:text-indigo-300">{tr!("onboarding-continue")}</a>
            </p>
        })}
        <form method="post" action=OnboardingApplication::url() class="mt-4 space-y-4">
            <input type="hidden" name="application" value="new" />
            <div>
                <label for="onboarding-app-name" class="block text-sm font-medium">{tr!("onboarding-application-name")}</label>
                <input id="onboarding-app-name" name="name" type="text" required maxlength="100" class=INPUT />
            </div>
            <div>
                <label for="onboarding-app-description" class="block text-sm font-medium">{tr!("onboarding-application-description")}</label>
                <input id="onboarding-app-description" name="description" type="text" maxlength="2000" class=INPUT />
            </div>
            <button type="submit" class=BUTTON>{tr!("onboarding-application-create")}</button>
        </form>
        {has_apps.then(|| view! {
            <form method="post" action=OnboardingApplication::url() class="mt-8 border-t border-slate-200 pt-6 dark:border-slate-800">
                <label for="onboarding-app-existing" class="block text-sm font-medium">{tr!("onboarding-application-existing")}</label>
                <select id="onboarding-app-existing" name="application" class=INPUT>
                    {apps.into_iter().map(|(id, name)| view! { <option value=id.to_string()>{name}</option> }).collect_view()}
                </select>
                <p class="mt-1 text-sm text-slate-600 dark:text-slate-400">{tr!("onboarding-application-new-key")}</p>
                <button type="submit" class=format!("mt-4 {SECONDARY}")>{tr!("onboarding-application-use")}</button>
            </form>
        })}
    }
    .into_any()
}

#[component]
fn SubscriptionStep(page: OnboardingPage) -> impl IntoView {
    let status = page.state.subscription.clone().map(|s| {
        let what = format!("{} · {}", s.name, s.plan.clone().unwrap_or_default());
        match s.access {
            Access::Pending => {
                view! { <p role="status" class=NOTICE_OK>{tr!("onboarding-pending", { "what" => what })}</p> }
                    .into_any()
            }
            Access::Refused => view! {
                <p role="alert" class=NOTICE_ERROR>
                    {tr!("onboarding-refused", { "what" => what })} " " {s.reason.clone().unwrap_or_default()}
                </p>
            }
            .into_any(),
            _ => {
                view! { <p class="text-sm">{tr!("onboarding-subscribed", { "what" => what })}</p> }.into_any()
            }
        }
    });
    let empty = page.suggestions.is_empty();
    view! {
        <h2 class="text-lg font-semibold">{tr!("onboarding-subscription-heading")}</h2>
        <div class="mt-3">{status}</div>
        {empty.then(|| view! {
            <p class="mt-4 text-sm">{tr!("onboarding-no-suggestion")} " " <a href="/catalog" class="text-indigo-700 underline dark:text-indigo-300">{tr!("onboarding-catalog")}</a></p>
        })}
        <ul class="mt-4 space-y-4">
            {page.suggestions.into_iter().map(|s| {
                let entry = format!("{}/{}/{}", s.kind, s.tenant, s.slug);
                view! {
                    <li class="rounded-lg border border-slate-200 p-4 dark:border-slate-800">
                        <h3 class="font-semibold">{s.name.clone()} <span class="text-sm font-normal text-slate-600 dark:text-slate-400">" · " {s.tenant.clone()}</span></h3>
                        <p class="mt-1 text-sm text-slate-600 dark:text-slate-400">{crate::markdown::to_plain_text(&s.excerpt, 220)}</p>
                        <div class="mt-3 flex flex-wrap gap-2">
                            {if s.plans.is_empty() {
                                view! {
                                    <form method="post" action=OnboardingSubscribe::url()>
                                        <input type="hidden" name="entry" value=entry.clone() />
                                        <button type="submit" class=SECONDARY>{tr!("onboarding-subscribe")}</button>
                                    </form>
                                }.into_any()
                            } else {
                                s.plans.into_iter().map(|p| {
                                    let label = if p.requires_approval {
                                        tr!("onboarding-plan-approval", { "plan" => p.name.clone() })
                                    } else {
                                        tr!("onboarding-plan", { "plan" => p.name.clone() })
                                    };
                                    view! {
                                        <form method="post" action=OnboardingSubscribe::url()>
                                            <input type="hidden" name="entry" value=entry.clone() />
                                            <input type="hidden" name="plan" value=p.slug.clone() />
                                            <button type="submit" class=SECONDARY>{label}</button>
                                        </form>
                                    }
                                }).collect_view().into_any()
                            }}
                        </div>
                    </li>
                }
            }).collect_view()}
        </ul>
    }
}

/// The commands of the first call, the key read from `$STOA_API_KEY` (the page never
/// shows it again).
fn commands(h: &CallHint) -> Vec<(String, String)> {
    let header = &h.key_header;
    match &h.body {
        Some(body) => vec![(
            "curl".into(),
            format!(
                "curl -sS -X POST '{}' -H \"{header}: $STOA_API_KEY\" -H 'Content-Type: application/json' -H 'Accept: application/json, text/event-stream' -d '{body}'",
                h.url
            ),
        ), (
            "MCP client configuration".into(),
            serde_json::to_string_pretty(&serde_json::json!({
                "mcpServers": { "stoa": { "url": h.url, "headers": { header: "${STOA_API_KEY}" } } }
            }))
            .unwrap_or_default(),
        )],
        None => vec![
            ("curl".into(), format!("curl -sS '{}' -H \"{header}: $STOA_API_KEY\"", h.url)),
            (
                "Python".into(),
                format!(
                    "import os, requests\nr = requests.get(\"{}\", headers={{\"{header}\": os.environ[\"STOA_API_KEY\"]}})\nprint(r.status_code, r.text[:200])",
                    h.url
                ),
            ),
            (
                "JavaScript".into(),
                format!(
                    "const r = await fetch(\"{}\", {{ headers: {{ \"{header}\": process.env.STOA_API_KEY }} }});\nconsole.log(r.status, (await r.text()).slice(0, 200));",
                    h.url
                ),
            ),
        ],
    }
}

#[component]
fn FirstCallStep(page: OnboardingPage) -> impl IntoView {
    let checked = use_query_map().with_untracked(|q| q.get("checked").is_some());
    let last = page.state.last_call.clone();
    let key_gone = page.state.application.clone().filter(|a| !a.has_key);
    view! {
        <div>
            <h2 class="text-lg font-semibold">{tr!("onboarding-first-call-heading")}</h2>
            {key_gone.map(|a| view! { <KeyGone application=a /> })}
            {page.hint.clone().map(|h| view! {
                <p class="mt-2 text-sm">{tr!("onboarding-first-call-lead", { "operation" => h.operation.clone() })}</p>
                // Long commands wrap (nothing is cut on a phone); each has its copy button.
                {commands(&h).into_iter().enumerate().map(|(i, (title, code))| view! {
                    <h3 class="mt-4 text-sm font-semibold">{title}</h3>
                    <pre tabindex="0" class="mt-1 whitespace-pre-wrap rounded-md bg-slate-100 p-3 text-sm [overflow-wrap:anywhere] dark:bg-slate-800"><code id=format!("command-{i}") data-command="">{code}</code></pre>
                    <CopyButton target=format!("command-{i}") />
                }).collect_view()}
            })}
            {last.map(|c| view! {
                <p role="alert" class=format!("mt-4 {NOTICE_ERROR}")>
                    {tr!("onboarding-call-failed", { "status" => c.http_status.map(|s| s.to_string()).unwrap_or_default() })} " "
                    {t(&format!("onboarding-fix-{}", c.status))}
                </p>
            })}
            // Pressed before any call reached the gateway: say so, and what to check.
            {(checked && page.state.last_call.is_none()).then(|| view! {
                <p role="status" class=format!("mt-4 {NOTICE_ERROR}") data-no-call="">{tr!("onboarding-no-call-yet")}</p>
            })}
            <p class="mt-4 text-sm text-slate-600 dark:text-slate-400">{tr!("onboarding-waiting")}</p>
            <form method="get" action="/onboarding/first-call" class="mt-4">
                <button type="submit" name="checked" value="1" class=BUTTON>{tr!("onboarding-check")}</button>
            </form>
        </div>
    }
}

#[component]
fn DoneStep(page: OnboardingPage) -> impl IntoView {
    let s = page.state;
    let seconds = s.time_to_first_call_seconds.unwrap_or_default();
    let api = s.subscription.as_ref().map(|x| {
        if x.kind == "mcp" {
            format!("/mcp/{}", x.slug)
        } else {
            format!("/apis/{}/{}", x.tenant, x.slug)
        }
    });
    view! {
        <h2 class="text-lg font-semibold">{tr!("onboarding-done-heading")}</h2>
        <p class="mt-2">{tr!("onboarding-done-time", { "minutes" => seconds / 60, "seconds" => seconds % 60 })}</p>
        {s.first_call.map(|c| view! {
            <p class="mt-2 text-sm">
                {tr!("onboarding-done-call", { "status" => c.http_status.map(|x| x.to_string()).unwrap_or_default(), "latency" => format!("{:.0}", c.latency_ms), "operation" => c.operation })}
            </p>
        })}
        {s.first_answer.map(|a| view! {
            <pre tabindex="0" class="mt-2 max-h-40 overflow-auto rounded-md bg-slate-100 p-3 text-xs dark:bg-slate-800"><code>{a}</code></pre>
        })}
        <ul class="mt-4 list-disc space-y-1 pl-5 text-sm">
            <li><a href="/usage" class="text-indigo-700 underline dark:text-indigo-300">{tr!("onboarding-done-usage")}</a></li>
            {api.map(|href| view! { <li><a href=href class="text-indigo-700 underline dark:text-indigo-300">{tr!("onboarding-done-api")}</a></li> })}
            <li><a href="/catalog" class="text-indigo-700 underline dark:text-indigo-300">{tr!("onboarding-catalog")}</a></li>
        </ul>
    }
}

//! `/console/demo`: the demo tenant for platform admins — its reset schedule and the next
//! reset, whether one runs now, "reset now" after a confirmation (a plain link and form:
//! works without JavaScript), and the last resets with what each deleted.

use crate::api::demo::{load_demo_state, ResetDemo};
use crate::components::data_table::DataTable;
use crate::components::error_view::PageError;
use crate::components::rcdata::PageTitle;
use crate::components::ui::{CARD, DANGER, NOTICE_ERROR, NOTICE_OK, SECONDARY};
use crate::components::when::exact;
use crate::i18n::t;
use crate::model::demo::{DemoState, ResetInfo};
use crate::tr;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_router::hooks::use_query_map;

const BASE: &str = "/console/demo";

/// Seconds from now until `rfc3339` (none when unreadable).
fn seconds_until(rfc3339: &str) -> Option<i64> {
    #[cfg(feature = "ssr")]
    {
        let at = chrono::DateTime::parse_from_rfc3339(rfc3339).ok()?;
        Some((at.with_timezone(&chrono::Utc) - chrono::Utc::now()).num_seconds().max(0))
    }
    #[cfg(not(feature = "ssr"))]
    {
        let _ = rfc3339;
        None
    }
}

/// The page.
#[component]
pub fn ConsoleDemoPage() -> impl IntoView {
    let query = use_query_map();
    let (confirm, done, error) = query.with_untracked(|q| {
        (q.get("confirm").is_some(), q.get("done").and_then(|d| d.parse::<i64>().ok()), q.get("error"))
    });
    let data = Resource::new_blocking(|| (), |_| load_demo_state());
    view! {
        <PageTitle text=tr!("demo-console-title") />
        <h1 class="text-3xl font-bold tracking-tight">{tr!("demo-console-heading")}</h1>
        <p class="mt-2 text-slate-600 dark:text-slate-300">{tr!("demo-console-lead")}</p>
        <Suspense fallback=|| view! { <p aria-busy="true">{tr!("loading")}</p> }>
            {move || {
                let error = error.clone();
                Suspend::new(async move {
                    match data.await {
                        Ok(state) => view! { <Demo state confirm done error /> }.into_any(),
                        Err(e) => view! { <PageError error=e next=BASE.to_owned() /> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

#[component]
fn Demo(state: DemoState, confirm: bool, done: Option<i64>, error: Option<String>) -> impl IntoView {
    let finished = done.and_then(|id| state.resets.iter().find(|r| r.id == id).cloned());
    let next = state.next_reset.clone().map(|at| {
        let wait = seconds_until(&at).map(crate::domain::numbers::duration).unwrap_or_default();
        (exact(&at), wait)
    });
    let schedule = state.schedule.clone();
    view! {
        {finished.map(|r| view! {
            <p role="status" class=format!("mt-6 {NOTICE_OK}")>
                {tr!("demo-reset-done", { "ms" => r.duration_ms.unwrap_or(0), "rows" => deleted_total(&r) })}
            </p>
        })}
        {(error.as_deref() == Some("reset-running")).then(|| view! {
            <p role="alert" class=format!("mt-6 {NOTICE_ERROR}")>{tr!("demo-reset-running")}</p>
        })}
        <section class=CARD aria-labelledby="demo-schedule">
            <h2 id="demo-schedule" class="text-lg font-semibold">{tr!("demo-schedule-heading")}</h2>
            <dl class="mt-3 grid grid-cols-1 gap-x-6 gap-y-2 text-sm sm:grid-cols-[auto_1fr]">
                <dt class="font-medium">{tr!("demo-schedule")}</dt>
                <dd><code>{schedule.unwrap_or_else(|| tr!("demo-schedule-off"))}</code></dd>
                <dt class="font-medium">{tr!("demo-next-reset")}</dt>
                <dd>{match next {
                    Some((at, wait)) => tr!("demo-next-at", { "at" => at, "wait" => wait }),
                    None => tr!("demo-schedule-off"),
                }}</dd>
                <dt class="font-medium">{tr!("demo-now")}</dt>
                <dd data-running=state.running.to_string()>
                    {if state.running { tr!("demo-running") } else { tr!("demo-idle") }}
                </dd>
            </dl>
        </section>
        <section class=CARD aria-labelledby="demo-reset">
            <h2 id="demo-reset" class="text-lg font-semibold">{tr!("demo-reset-heading")}</h2>
            <p class="mt-2 text-sm text-slate-700 dark:text-slate-300">{tr!("demo-reset-explain")}</p>
            {if confirm {
                view! {
                    <form method="post" action=ResetDemo::url() class="mt-4 flex flex-wrap items-center gap-3">
                        <p class="w-full font-medium" id="demo-confirm">{tr!("demo-reset-confirm")}</p>
                        <input type="hidden" name="confirm" value="yes" />
                        <button type="submit" class=DANGER aria-describedby="demo-confirm">{tr!("demo-reset-yes")}</button>
                        <a href=BASE class=SECONDARY>{tr!("demo-reset-cancel")}</a>
                    </form>
                }.into_any()
            } else {
                view! {
                    <a href=format!("{BASE}?confirm=1") class=format!("mt-4 inline-block {DANGER}")>{tr!("demo-reset-now")}</a>
                }.into_any()
            }}
        </section>
        <section class=CARD aria-labelledby="demo-history">
            <h2 id="demo-history" class="text-lg font-semibold">{tr!("demo-history-heading")}</h2>
            {if state.resets.is_empty() {
                view! { <p class="mt-2 text-sm">{tr!("demo-history-empty")}</p> }.into_any()
            } else {
                let rows = state.resets.iter().map(|r| vec![
                    exact(&r.started_at),
                    t(&format!("demo-trigger-{}", r.trigger.as_str())),
                    r.actor.clone(),
                    r.duration_ms.map(|ms| format!("{ms} ms")).unwrap_or_default(),
                    deleted_list(r),
                ]).collect();
                let head = vec![
                    tr!("demo-col-when"), tr!("demo-col-trigger"), tr!("demo-col-by"),
                    tr!("demo-col-duration"), tr!("demo-col-deleted"),
                ];
                view! { <DataTable caption=tr!("demo-history-heading") head rows /> }.into_any()
            }}
        </section>
    }
}

fn deleted_total(r: &ResetInfo) -> u64 {
    r.deleted.values().sum()
}

/// `applications 3, subscriptions 4`.
fn deleted_list(r: &ResetInfo) -> String {
    if r.deleted.is_empty() {
        return "—".into();
    }
    r.deleted.iter().map(|(table, n)| format!("{table} {n}")).collect::<Vec<_>>().join(", ")
}

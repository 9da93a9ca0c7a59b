//! `/`: what STOA is, how to start, and what the platform holds.

use crate::api::onboarding::OnboardingLeave;
use crate::api::platform::platform_status;
use crate::components::error_view::ErrorView;
use crate::components::rcdata::PageTitle;
use crate::components::ui::{BUTTON, SECONDARY};
use crate::tr;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;

/// The home page. Its figures are read while the page renders, with no `Resource` or
/// `Suspense`: the route waits for them (`SsrMode::Async`), and nothing outside an island
/// hydrates, so there is nothing to hand to the browser (the cheapest page, where that
/// machinery showed in the profile).
#[component]
pub fn HomePage() -> impl IntoView {
    let start_here = crate::auth::getting_started();
    view! {
        <PageTitle text=tr!("home-title") />
        {Suspend::new(async move {
            match platform_status().await {
                Ok(s) => view! { <Home tenants=s.tenants events=s.events_handled start_here /> }.into_any(),
                Err(e) => view! { <ErrorView error=e /> }.into_any(),
            }
        })}
    }
}

#[component]
fn Home(tenants: i64, events: i64, start_here: bool) -> impl IntoView {
    let steps = [
        (tr!("home-step-browse-title"), tr!("home-step-browse-body")),
        (tr!("home-step-app-title"), tr!("home-step-app-body")),
        (tr!("home-step-subscribe-title"), tr!("home-step-subscribe-body")),
    ];
    view! {
        <section class="grid grid-cols-1 gap-10 lg:grid-cols-[3fr_2fr] lg:items-center">
            <div>
                <p class="text-sm font-semibold uppercase tracking-wider text-indigo-600 dark:text-indigo-400">
                    {tr!("home-eyebrow")}
                </p>
                <h1 class="mt-3 text-4xl font-bold tracking-tight sm:text-5xl">{tr!("home-headline")}</h1>
                <p class="mt-5 max-w-2xl text-lg text-slate-600 dark:text-slate-300">{tr!("home-lead")}</p>
            </div>
            <dl class="grid grid-cols-2 gap-4" aria-label=tr!("home-figures-label")>
                <Figure label=tr!("home-figure-tenants") value=tenants />
                <Figure label=tr!("home-figure-events") value=events />
            </dl>
        </section>
        {start_here.then(|| view! {
            <section aria-labelledby="start-here" class="mt-10 rounded-xl border-2 border-indigo-300 bg-indigo-50 p-6 dark:border-indigo-700 dark:bg-indigo-950">
                <h2 id="start-here" class="text-xl font-semibold">{tr!("home-start-here")}</h2>
                <p class="mt-2 text-slate-700 dark:text-slate-200">{tr!("home-start-here-body")}</p>
                <div class="mt-4 flex flex-wrap items-center gap-3">
                    <a href="/onboarding" class=BUTTON>{tr!("home-start-here-action")}</a>
                    <form method="post" action=OnboardingLeave::url()>
                        <button type="submit" class=SECONDARY>{tr!("home-start-here-dismiss")}</button>
                    </form>
                </div>
            </section>
        })}
        <section class="mt-16" aria-labelledby="getting-started">
            <h2 id="getting-started" class="text-2xl font-semibold tracking-tight">{tr!("home-getting-started")}</h2>
            <ol class="mt-6 grid grid-cols-1 gap-6 md:grid-cols-3">
                {steps
                    .into_iter()
                    .enumerate()
                    .map(|(i, (title, body))| {
                        view! {
                            <li class="rounded-xl border border-slate-200 bg-white p-6 shadow-card dark:border-slate-800 dark:bg-slate-900">
                                <span aria-hidden="true" class="grid h-8 w-8 place-items-center rounded-full bg-indigo-50 text-sm font-semibold text-indigo-700 dark:bg-indigo-950 dark:text-indigo-300">
                                    {i + 1}
                                </span>
                                <h3 class="mt-4 font-semibold">{title}</h3>
                                <p class="mt-2 text-sm text-slate-600 dark:text-slate-400">{body}</p>
                            </li>
                        }
                    })
                    .collect_view()}
            </ol>
        </section>
    }
}

/// One headline number.
#[component]
fn Figure(label: String, value: i64) -> impl IntoView {
    view! {
        <div class="rounded-xl border border-slate-200 bg-white p-5 shadow-card dark:border-slate-800 dark:bg-slate-900">
            <dt class="text-sm text-slate-500 dark:text-slate-400">{label}</dt>
            <dd class="mt-1 text-3xl font-semibold tabular-figures">{value}</dd>
        </div>
    }
}

//! The frame of every page: header with navigation and language switcher, footer.

use crate::auth::current_user;
use crate::components::bell::Bell;
use crate::components::language_switcher::LanguageSwitcher;
use crate::components::nav::{console_entry, visible, CONSOLE, NAV};
use crate::i18n::t;
use crate::tr;
use leptos::prelude::*;
use leptos_router::hooks::use_location;

/// Header, main content and footer.
#[component]
pub fn Layout(children: Children) -> impl IntoView {
    view! {
        <a href="#main" class="sr-only focus:not-sr-only focus:absolute focus:m-2 focus:rounded focus:bg-white focus:p-2 focus:text-slate-900">
            {tr!("skip-to-content")}
        </a>
        <div class="flex min-h-screen flex-col">
            <Header />
            <DemoBanner />
            <div class="mx-auto w-full max-w-6xl flex-1 px-4 py-10 sm:px-6 lg:flex lg:gap-8">
                <ConsoleNav />
                <main id="main" class="min-w-0 flex-1">
                    {children()}
                </main>
            </div>
            <Footer />
        </div>
    }
}

/// For users of the demo tenant: its data is demo data, reset on a schedule (when next).
#[component]
fn DemoBanner() -> impl IntoView {
    demo_banner().map(|text| {
        view! {
            <div role="note" data-demo-banner="" class="border-b border-amber-200 bg-amber-50 text-amber-950 dark:border-amber-900 dark:bg-amber-950/60 dark:text-amber-100">
                <p class="mx-auto max-w-6xl px-4 py-2 text-sm sm:px-6">{text}</p>
            </div>
        }
    })
}

/// The banner's sentence, for a signed-in user of the demo tenant.
fn demo_banner() -> Option<String> {
    #[cfg(feature = "ssr")]
    {
        let user = current_user()?;
        if user.tenant_id != crate::domain::demo::dataset::DEMO_TENANT {
            return None;
        }
        let state = crate::state::app_state().ok()?;
        let Some(schedule) = state.config.demo_reset_schedule.as_ref() else {
            return Some(tr!("demo-banner-unscheduled"));
        };
        let now = chrono::Utc::now();
        let next = schedule.next_after(now)?;
        let wait = crate::domain::numbers::duration((next - now).num_seconds());
        Some(match schedule.daily() {
            Some((h, m)) => tr!("demo-banner-daily", { "time" => format!("{h:02}:{m:02}"), "wait" => wait }),
            None => {
                tr!("demo-banner", { "at" => crate::components::when::exact(&crate::db::rfc3339(next)), "wait" => wait })
            }
        })
    }
    #[cfg(not(feature = "ssr"))]
    None
}

/// Product name, navigation for the visitor's roles, language switcher, sign-in link.
#[component]
fn Header() -> impl IntoView {
    let user = current_user();
    let roles = user.as_ref().map(|u| u.roles.clone()).unwrap_or_default();
    let path = use_location().pathname.get_untracked();
    let link = "block whitespace-nowrap rounded-md px-2.5 py-2 text-sm font-medium md:px-2 text-slate-700 hover:bg-slate-100 hover:text-slate-900 aria-[current=page]:bg-slate-100 aria-[current=page]:text-slate-900 dark:text-slate-300 dark:hover:bg-slate-800 dark:hover:text-white dark:aria-[current=page]:bg-slate-800 dark:aria-[current=page]:text-white";
    let current = |here: bool| here.then_some("page");
    let console = console_entry(&roles).map(|href| {
        view! {
            <li><a href=href class=link aria-current=current(path.starts_with("/console"))>{tr!("nav-console")}</a></li>
        }
    });
    let getting_started = crate::auth::getting_started().then(|| {
        view! {
            <li><a href="/onboarding" class=link aria-current=current(path.starts_with("/onboarding"))>{tr!("nav-getting-started")}</a></li>
        }
    });
    let items = visible(NAV, &roles)
        .map(|item| {
            view! {
                <li>
                    <a href=item.href class=link aria-current=current(path == item.href)>
                        {t(item.label)}
                    </a>
                </li>
            }
        })
        .collect_view();
    view! {
        <header class="border-b border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
            // One line on a desktop. On a phone one bar: the brand, the bell and a "Menu"
            // that unfolds the rest — a checkbox and its label, so without JavaScript too.
            <div class="mx-auto flex max-w-6xl flex-wrap items-center gap-x-3 gap-y-2 px-4 py-3 sm:px-6">
                <a href="/" class="flex items-center gap-2 text-lg font-semibold tracking-tight">
                    <span aria-hidden="true" class="grid h-8 w-8 place-items-center rounded-lg bg-indigo-600 text-sm font-bold text-white">"S"</span>
                    <span>"STOA"</span>
                    <span class="hidden text-sm font-normal text-slate-500 2xl:inline dark:text-slate-400">{tr!("brand-tagline")}</span>
                </a>
                <div class="ml-auto flex items-center gap-1 md:order-last md:ml-0">
                    {user.is_some().then(|| view! { <Bell /> })}
                </div>
                <input type="checkbox" id="menu-toggle" class="peer sr-only md:hidden" aria-controls="site-menu" aria-label=tr!("nav-menu") />
                <label for="menu-toggle" class="cursor-pointer select-none rounded-md border border-slate-300 px-3 py-1.5 text-sm font-medium peer-focus-visible:ring-2 peer-focus-visible:ring-indigo-500 md:hidden dark:border-slate-700">
                    {tr!("nav-menu")}
                </label>
                <div id="site-menu" class="hidden w-full flex-col gap-3 peer-checked:flex md:flex md:w-auto md:flex-1 md:flex-row md:items-center md:gap-3">
                    <nav aria-label=tr!("nav-label") class="md:flex-1">
                        <ul class="flex flex-col gap-1 md:flex-row md:flex-wrap md:items-center md:gap-0.5">{items}{getting_started}{console}</ul>
                    </nav>
                    <div class="flex flex-wrap items-center gap-3">
                        <LanguageSwitcher />
                        {match user {
                            Some(user) => view! {
                                <form method="post" action="/logout" class="flex items-center gap-3">
                                    // Initials beside the menu on a desktop (the name is the link's), the
                                    // name itself in the phone's menu and on very wide screens.
                                    <a href="/profile" aria-label=user.display_name.clone() title=user.display_name.clone()
                                        class="flex items-center gap-2 text-sm font-medium hover:underline">
                                        <span aria-hidden="true" class="hidden h-8 w-8 place-items-center rounded-full bg-indigo-100 text-xs font-bold text-indigo-800 md:grid dark:bg-indigo-950 dark:text-indigo-200">
                                            {initials(&user.display_name)}
                                        </span>
                                        <span class="max-w-48 truncate md:hidden 2xl:inline">{user.display_name.clone()}</span>
                                    </a>
                                    <button type="submit" class="whitespace-nowrap rounded-md border border-slate-300 px-3 py-2 text-sm font-semibold hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800">
                                        {tr!("nav-sign-out")}
                                    </button>
                                </form>
                            }.into_any(),
                            None => view! {
                                <a href="/login" class="whitespace-nowrap rounded-md bg-indigo-600 px-3 py-2 text-sm font-semibold text-white shadow-card hover:bg-indigo-500">
                                    {tr!("nav-sign-in")}
                                </a>
                            }.into_any(),
                        }}
                    </div>
                </div>
            </div>
        </header>
    }
}

/// Up to two initials of a name ("Tara Tenant-Admin" → "TT").
fn initials(name: &str) -> String {
    name.split([' ', '-']).filter_map(|w| w.chars().next()).take(2).flat_map(char::to_uppercase).collect()
}

/// The console's side bar on `/console/…` pages, grouped: a column beside the page on
/// wide screens, a wrapped row above it on narrow ones (no JavaScript needed).
#[component]
fn ConsoleNav() -> impl IntoView {
    let path = use_location().pathname.get_untracked();
    if !path.starts_with("/console") {
        return None;
    }
    let roles = current_user().map(|u| u.roles).unwrap_or_default();
    let groups: Vec<_> = CONSOLE
        .iter()
        .map(|g| (g.label, visible(g.items, &roles).collect::<Vec<_>>()))
        .filter(|(_, items)| !items.is_empty())
        .collect();
    if groups.is_empty() {
        return None;
    }
    let link = "block rounded-md px-3 py-1.5 text-sm text-slate-700 hover:bg-slate-100 aria-[current=page]:bg-indigo-50 aria-[current=page]:font-semibold aria-[current=page]:text-indigo-800 dark:text-slate-300 dark:hover:bg-slate-800 dark:aria-[current=page]:bg-indigo-950 dark:aria-[current=page]:text-indigo-200";
    Some(view! {
        <nav aria-label=tr!("console-nav-label") class="mb-8 lg:mb-0 lg:w-52 lg:shrink-0">
            <ul class="flex flex-wrap gap-x-6 gap-y-3 lg:flex-col">
                {groups.into_iter().map(|(label, items)| view! {
                    <li>
                        <p class="px-3 text-xs font-semibold uppercase tracking-wide text-slate-600 dark:text-slate-400">{t(label)}</p>
                        <ul class="mt-1 flex flex-wrap gap-1 lg:flex-col">
                            {items.into_iter().map(|i| {
                                let here = path == i.href || path.starts_with(&format!("{}/", i.href));
                                view! { <li><a href=i.href class=link aria-current=here.then_some("page")>{t(i.label)}</a></li> }
                            }).collect_view()}
                        </ul>
                    </li>
                }).collect_view()}
            </ul>
        </nav>
    })
}

#[component]
fn Footer() -> impl IntoView {
    view! {
        <footer class="border-t border-slate-200 py-6 text-sm text-slate-500 dark:border-slate-800 dark:text-slate-400">
            <div class="mx-auto flex max-w-6xl flex-wrap justify-between gap-2 px-4 sm:px-6">
                <p>{tr!("footer-copyright")}</p>
                <p>{tr!("footer-no-js")}</p>
            </div>
        </footer>
    }
}

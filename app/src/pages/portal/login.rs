//! `/login`: sign in with a local account (the identity provider's button joins it when
//! an issuer is configured).

use crate::api::auth::Login;
use crate::components::rcdata::PageTitle;
use crate::tr;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_router::hooks::use_query_map;

/// The sign-in page; works as a plain form with JavaScript off.
#[component]
pub fn LoginPage() -> impl IntoView {
    let query = use_query_map();
    let error = query.with_untracked(|q| q.get("error"));
    let throttled = error.as_deref() == Some("throttled");
    let failed = error.as_deref() == Some("invalid") || throttled;
    let provider_error = match error.as_deref() {
        Some("provider") => Some(tr!("login-provider-failed")),
        Some("tenant") => Some(tr!("login-provider-tenant", {
            "tenant" => query.with_untracked(|q| q.get("tenant")).unwrap_or_default().chars().take(64).collect::<String>()
        })),
        Some("conflict") => Some(tr!("login-provider-conflict")),
        _ => None,
    };
    let demo_reset = query.with_untracked(|q| q.get("notice")).as_deref() == Some("demo-reset");
    let (with_provider, with_local) = sign_in_methods();
    let next = query.with_untracked(|q| q.get("next")).unwrap_or_else(|| "/".to_owned());
    let field = "mt-1 block w-full rounded-md border border-slate-300 bg-white px-3 py-2 shadow-card focus:border-indigo-500 dark:border-slate-700 dark:bg-slate-900";
    view! {
        <PageTitle text=tr!("login-title") />
        <section class="mx-auto max-w-md">
            <h1 class="text-3xl font-bold tracking-tight">{tr!("login-heading")}</h1>
            <p class="mt-2 text-slate-600 dark:text-slate-300">{tr!("login-lead")}</p>
            {demo_reset.then(|| view! {
                <p id="demo-reset" role="status" class="mt-6 rounded-md bg-amber-50 p-3 text-sm text-amber-900 dark:bg-amber-950/50 dark:text-amber-100">
                    {tr!("login-demo-reset")}
                </p>
            })}
            {provider_error.map(|message| view! {
                <p id="provider-error" role="alert" class="mt-6 rounded-md bg-rose-50 p-3 text-sm text-rose-800 dark:bg-rose-950/50 dark:text-rose-200">
                    {message}
                </p>
            })}
            {with_provider.then(|| view! {
                <a href=format!("/auth/oidc/start?next={}", crate::auth::encode_next(Some(&next)))
                    class="mt-8 flex w-full items-center justify-center rounded-md border border-indigo-600 px-4 py-2 font-semibold text-indigo-700 hover:bg-indigo-50 dark:text-indigo-300 dark:hover:bg-indigo-950">
                    {tr!("login-provider")}
                </a>
            })}
            {with_local.then(|| view! {
            <form method="post" action=Login::url() class="mt-8 space-y-5 rounded-xl border border-slate-200 bg-white p-6 shadow-card dark:border-slate-800 dark:bg-slate-900">
                {failed.then(|| view! {
                    <p id="login-error" role="alert" class="rounded-md bg-rose-50 p-3 text-sm text-rose-800 dark:bg-rose-950/50 dark:text-rose-200">
                        {if throttled { tr!("login-throttled") } else { tr!("login-failed") }}
                    </p>
                })}
                <input type="hidden" name="next" value=next />
                <div>
                    <label for="username" class="block text-sm font-medium">{tr!("login-username")}</label>
                    <input id="username" name="username" type="text" required autocomplete="username" autocapitalize="none"
                        aria-invalid=failed.then_some("true") aria-describedby=failed.then_some("login-error") class=field />
                </div>
                <div>
                    <label for="password" class="block text-sm font-medium">{tr!("login-password")}</label>
                    <input id="password" name="password" type="password" required autocomplete="current-password"
                        aria-invalid=failed.then_some("true") aria-describedby=failed.then_some("login-error") class=field />
                </div>
                <button type="submit" class="w-full rounded-md bg-indigo-600 px-4 py-2 font-semibold text-white shadow-card hover:bg-indigo-500">
                    {tr!("login-submit")}
                </button>
            </form>
            <aside class="mt-6 rounded-xl border border-dashed border-slate-300 p-4 text-sm text-slate-600 dark:border-slate-700 dark:text-slate-400">
                <h2 class="font-semibold text-slate-800 dark:text-slate-200">{tr!("login-demo-heading")}</h2>
                <p class="mt-1">{tr!("login-demo-body")}</p>
                <p class="mt-2 font-mono">"alice · bob · carol · dave · tara · carl · sam — stoa-demo"</p>
            </aside>
            })}
        </section>
    }
}

/// Which ways to sign in this server offers: (identity provider, local accounts).
fn sign_in_methods() -> (bool, bool) {
    #[cfg(feature = "ssr")]
    {
        use_context::<crate::state::AppState>()
            .map(|s| (s.identity.enabled(), s.config.local_accounts))
            .unwrap_or((false, true))
    }
    #[cfg(not(feature = "ssr"))]
    {
        (false, true)
    }
}

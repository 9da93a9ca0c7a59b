//! `/profile`: who you are here, your preferred language, sign out.

use crate::api::profile::SaveProfile;
use crate::auth::current_user;
use crate::components::rcdata::PageTitle;
use crate::domain::language::Language;
use crate::i18n::{t, use_language};
use crate::tr;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;

/// The profile page; signed-out visitors are sent to sign in first.
#[component]
pub fn ProfilePage() -> impl IntoView {
    let Some(user) = current_user() else {
        #[cfg(feature = "ssr")]
        leptos_axum::redirect("/login?next=/profile");
        return ().into_any();
    };
    let current = use_language();
    let roles = user.roles.iter().map(|r| t(r.label_key())).collect::<Vec<_>>().join(", ");
    let row = "grid gap-1 px-6 py-4 sm:grid-cols-3 sm:gap-4";
    view! {
        <PageTitle text=tr!("profile-title") />
        <section class="mx-auto max-w-2xl">
            <h1 class="text-3xl font-bold tracking-tight">{user.display_name.clone()}</h1>
            <dl class="mt-8 divide-y divide-slate-200 rounded-xl border border-slate-200 bg-white shadow-card dark:divide-slate-800 dark:border-slate-800 dark:bg-slate-900">
                <div class=row>
                    <dt class="text-sm text-slate-500 dark:text-slate-400">{tr!("profile-username")}</dt>
                    <dd class="col-span-2 font-mono">{user.username.clone()}</dd>
                </div>
                <div class=row>
                    <dt class="text-sm text-slate-500 dark:text-slate-400">{tr!("profile-tenant")}</dt>
                    <dd class="col-span-2">{user.tenant_id.clone()}</dd>
                </div>
                <div class=row>
                    <dt class="text-sm text-slate-500 dark:text-slate-400">{tr!("profile-roles")}</dt>
                    <dd class="col-span-2">{roles}</dd>
                </div>
            </dl>
            <form method="post" action=SaveProfile::url() class="mt-8 rounded-xl border border-slate-200 bg-white p-6 shadow-card dark:border-slate-800 dark:bg-slate-900">
                <label for="profile-language" class="block text-sm font-medium">{tr!("profile-language")}</label>
                <p id="profile-language-help" class="mt-1 text-sm text-slate-500 dark:text-slate-400">{tr!("profile-language-help")}</p>
                <div class="mt-3 flex gap-3">
                    <select id="profile-language" name="language" aria-describedby="profile-language-help"
                        class="rounded-md border border-slate-300 bg-white px-3 py-2 dark:border-slate-700 dark:bg-slate-900">
                        {Language::ALL.into_iter().map(|l| view! {
                            <option value=l.code() selected=l == current lang=l.code()>{l.autonym()}</option>
                        }).collect_view()}
                    </select>
                    <button type="submit" class="rounded-md bg-indigo-600 px-4 py-2 font-semibold text-white hover:bg-indigo-500">
                        {tr!("profile-save")}
                    </button>
                </div>
            </form>
            <form method="post" action="/logout" class="mt-6">
                <button type="submit" class="rounded-md border border-slate-300 px-4 py-2 font-semibold hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800">
                    {tr!("nav-sign-out")}
                </button>
            </form>
        </section>
    }
    .into_any()
}

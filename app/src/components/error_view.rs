//! How an [`AppError`] looks to a person: a translated sentence, never library text.

use crate::error::AppError;
use crate::i18n::t;
use crate::tr;
use leptos::prelude::*;

/// A translated error panel. On the server it also sets the response status.
#[component]
pub fn ErrorView(error: AppError) -> impl IntoView {
    #[cfg(feature = "ssr")]
    let error = error.with_response_status();
    let status = error.status();
    view! {
        <section role="alert" class="mx-auto max-w-xl rounded-xl border border-rose-200 bg-rose-50 p-8 text-center dark:border-rose-900 dark:bg-rose-950/40">
            <p class="text-sm font-semibold uppercase tracking-wide text-rose-700 dark:text-rose-300">
                {tr!("error-title")} " " {status}
            </p>
            <h1 class="mt-2 text-2xl font-bold">{t(error.message_key())}</h1>
            // What the reader can do: a mistyped address is theirs to fix, a failure on
            // our side is the platform team's to hear of.
            {match &error {
                AppError::NotFound => view! {
                    <p class="mt-4 text-slate-600 dark:text-slate-300">
                        {tr!("error-hint-not-found")} " "
                        <a href="/catalog" class="font-medium text-indigo-700 underline dark:text-indigo-300">{tr!("catalog-show-all")}</a>
                    </p>
                }.into_any(),
                AppError::Internal | AppError::Unavailable => view! {
                    <p class="mt-4 text-slate-600 dark:text-slate-300">{tr!("error-hint")}</p>
                }.into_any(),
                _ => ().into_any(),
            }}
            <a href="/" class="mt-6 inline-block rounded-md bg-indigo-600 px-4 py-2 text-sm font-semibold text-white hover:bg-indigo-500">
                {tr!("error-back-home")}
            </a>
        </section>
    }
}

/// An error on a page that needs a signed-in user: a visitor (or an ended session) is
/// sent to sign in and brought back to `next`; anything else is an [`ErrorView`].
#[component]
pub fn PageError(error: AppError, next: String) -> impl IntoView {
    if error == AppError::Unauthorized {
        let login = format!("/login?next={}", crate::auth::encode_next(Some(&next)));
        #[cfg(feature = "ssr")]
        leptos_axum::redirect(&login);
        view! { <p><a href=login>{tr!("nav-sign-in")}</a></p> }.into_any()
    } else {
        view! { <ErrorView error /> }.into_any()
    }
}

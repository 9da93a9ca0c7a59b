//! The language switcher: a plain form (works with JavaScript off) whose select submits
//! itself on change when the island is hydrated.

use crate::api::preferences::SetLanguage;
use crate::domain::language::Language;
use crate::i18n::use_language;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_fluent::tr;

/// Language picker posting to the `SetLanguage` server function.
#[component]
pub fn LanguageSwitcher() -> impl IntoView {
    view! {
        <form method="post" action=SetLanguage::url() class="flex items-center gap-2">
            <label for="language-select" class="sr-only">{tr!("language-label")}</label>
            <LanguageSelect current=use_language() />
            <noscript>
                <button type="submit" class="rounded-md border border-slate-300 px-2 py-1 text-sm dark:border-slate-700">
                    {tr!("language-apply")}
                </button>
            </noscript>
        </form>
    }
}

/// The select itself. An island: the only part of the header that ships wasm, to submit
/// its form as soon as a language is picked.
#[island]
fn LanguageSelect(current: Language) -> impl IntoView {
    let submit = move |ev: leptos::ev::Event| {
        #[cfg(feature = "hydrate")]
        {
            use wasm_bindgen::JsCast;
            if let Some(form) = ev
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlSelectElement>().ok())
                .and_then(|s| s.form())
            {
                let _ = form.request_submit();
            }
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = ev;
    };
    view! {
        <select
            id="language-select"
            name="lang"
            on:change=submit
            class="rounded-md border border-slate-300 bg-white py-1 pl-2 pr-8 text-sm dark:border-slate-700 dark:bg-slate-900"
        >
            {Language::ALL
                .into_iter()
                .map(|l| {
                    view! {
                        <option value=l.code() selected=l == current lang=l.code()>
                            {l.autonym()}
                        </option>
                    }
                })
                .collect_view()}
        </select>
    }
}

//! The language switcher: a plain form (works with JavaScript off) whose select submits
//! itself on change when the island is hydrated.

use crate::api::preferences::SetLanguage;
use crate::domain::language::Language;
use crate::i18n::use_language;
use crate::tr;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;

/// Language picker posting to the `SetLanguage` server function.
#[component]
pub fn LanguageSwitcher() -> impl IntoView {
    view! {
        <form method="post" action=SetLanguage::url() class="flex items-center gap-2">
            <label for="language-select" class="sr-only">{tr!("language-label")}</label>
            <LanguageSelect />
            <noscript>
                <button type="submit" class="rounded-md border border-slate-300 px-2 py-1 text-sm dark:border-slate-700">
                    {tr!("language-apply")}
                </button>
            </noscript>
        </form>
    }
}

/// The select itself. An island: the only part of the header that ships wasm, to submit
/// its form as soon as a language is picked. `data-ready` marks it as hydrated.
///
/// No props: the current language is only needed for the server-rendered markup, so
/// the bundle needs no JSON deserialiser for island props.
#[island]
fn LanguageSelect() -> impl IntoView {
    // Rendered on the server only; in the browser the markup is already there.
    let current = use_language();
    let select = NodeRef::<leptos::html::Select>::new();
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        if let Some(el) = select.get() {
            let _ = el.set_attribute("data-ready", "");
        }
    });
    let on_change = move |_| {
        #[cfg(feature = "hydrate")]
        if let Some(el) = select.get_untracked() {
            submit_form_of(&el);
        }
    };
    view! {
        <select
            id="language-select"
            name="lang"
            node_ref=select
            on:change=on_change
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

#[cfg(feature = "hydrate")]
fn submit_form_of(select: &web_sys::HtmlSelectElement) {
    if let Some(form) = select.form() {
        let _ = form.request_submit();
    }
}

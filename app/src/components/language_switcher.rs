//! The language switcher: a plain form (works with JavaScript off). Hydrated, its select
//! submits itself when a language is picked with the pointer or confirmed with Enter; a
//! change by the arrow keys only moves through the options (and shows the Apply button),
//! so keyboard users are not sent to another language by a single ArrowDown.

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
            // Shown by the island once the arrow keys changed the choice.
            <button type="submit" data-apply="" hidden
                class="rounded-md border border-slate-300 px-2 py-1 text-sm dark:border-slate-700">
                {tr!("language-apply")}
            </button>
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
    // Whether the last interaction was the pointer's (a pick in the opened list).
    let by_pointer = StoredValue::new(false);
    let on_change = move |_| {
        #[cfg(feature = "hydrate")]
        if let Some(el) = select.get_untracked() {
            if by_pointer.get_value() {
                submit_form_of(&el);
            } else {
                show_apply(&el);
            }
        }
    };
    let on_keydown = move |ev: leptos::ev::KeyboardEvent| {
        by_pointer.set_value(false);
        if ev.key() == "Enter" {
            ev.prevent_default();
            #[cfg(feature = "hydrate")]
            if let Some(el) = select.get_untracked() {
                submit_form_of(&el);
            }
        }
    };
    view! {
        <select
            id="language-select"
            name="lang"
            node_ref=select
            on:pointerdown=move |_| by_pointer.set_value(true)
            on:keydown=on_keydown
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

#[cfg(feature = "hydrate")]
fn show_apply(select: &web_sys::HtmlSelectElement) {
    if let Some(button) = select.form().and_then(|f| f.query_selector("[data-apply]").ok().flatten()) {
        let _ = button.remove_attribute("hidden");
    }
}

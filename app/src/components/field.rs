//! A labelled input with its hint and its error next to it, for the console's forms.

use crate::components::ui::{FIELD_ERROR, INPUT};
use crate::error::FieldError;
use crate::i18n::t;
use leptos::prelude::*;

/// One labelled input with its error next to it.
#[component]
pub fn Field(
    id: &'static str,
    name: &'static str,
    label: String,
    value: String,
    errors: Vec<FieldError>,
    /// The prefix of the errors' messages: `<messages>-<code>`.
    messages: &'static str,
    #[prop(default = "text")] kind: &'static str,
    #[prop(optional)] hint: Option<String>,
    #[prop(optional)] autocomplete: Option<&'static str>,
    #[prop(default = true)] required: bool,
    /// A number's least value.
    #[prop(optional)]
    min: Option<&'static str>,
    #[prop(optional)] placeholder: Option<String>,
) -> impl IntoView {
    let error = errors.iter().find(|e| e.field == name).map(|e| t(&format!("{messages}-{}", e.code)));
    let error_id = format!("{id}-error");
    let hint_id = format!("{id}-hint");
    let described = match (&error, &hint) {
        (Some(_), _) => Some(error_id.clone()),
        (None, Some(_)) => Some(hint_id.clone()),
        _ => None,
    };
    view! {
        <div>
            <label for=id class="block text-sm font-medium">{label}</label>
            <input id=id name=name type=kind required=required value=value class=INPUT autocomplete=autocomplete min=min placeholder=placeholder
                aria-invalid=error.is_some().then_some("true") aria-describedby=described />
            {hint.map(|h| view! { <p id=hint_id class="mt-1 text-xs text-slate-500 dark:text-slate-400">{h}</p> })}
            {error.map(|m| view! { <p id=error_id class=FIELD_ERROR>{m}</p> })}
        </div>
    }
}

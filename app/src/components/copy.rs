//! A "Copy" button for a read-only field (an API key shown once): hidden without
//! JavaScript (the field can be selected and copied by hand), shown and wired by
//! `/copy.js`, which says "Copied" in the button's own language.

use crate::components::ui::SECONDARY;
use crate::tr;
use leptos::prelude::*;

/// The button copying the value of the element whose id is `target`.
#[component]
pub fn CopyButton(#[prop(into)] target: String) -> impl IntoView {
    view! {
        <script type="module" src="/copy.js"></script>
        <button type="button" hidden data-copy=target data-copied=tr!("copy-done") class=format!("mt-2 {SECONDARY}")>
            {tr!("copy-button")}
        </button>
    }
}

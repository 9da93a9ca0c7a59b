//! A table of figures behind a chart (or on its own): captioned for screen readers,
//! scrollable by keyboard when it is long.

use leptos::prelude::*;

/// `rows` of cells under `head`, captioned `caption`.
#[component]
pub fn DataTable(caption: String, head: Vec<String>, rows: Vec<Vec<String>>) -> impl IntoView {
    let region = caption.clone();
    let th = "px-3 py-1 text-left text-xs font-semibold uppercase tracking-wide text-slate-600 dark:text-slate-400";
    view! {
        // Focusable, so that a keyboard can scroll it.
        <div class="mt-2 max-h-80 overflow-auto" tabindex="0" role="region" aria-label=region>
            <table class="min-w-full text-sm">
                <caption class="sr-only">{caption}</caption>
                <thead><tr>{head.into_iter().map(|h| view! { <th scope="col" class=th>{h}</th> }).collect_view()}</tr></thead>
                <tbody class="tabular-figures [&_td]:px-3 [&_td]:py-1">
                    {rows.into_iter().map(|r| view! {
                        <tr>{r.into_iter().map(|c| view! { <td>{c}</td> }).collect_view()}</tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

//! The Tailwind classes our forms and notices share, so that every page's buttons look
//! alike (and the CSS has one copy of each).

/// The main action of a form.
pub const BUTTON: &str =
    "rounded-md bg-indigo-600 px-4 py-2 text-sm font-semibold text-white shadow-card hover:bg-indigo-500";
/// A secondary action, or a link that looks like one.
pub const SECONDARY: &str = "rounded-md border border-slate-300 px-3 py-1.5 text-sm font-medium hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800";
/// A destructive action, after confirmation.
pub const DANGER: &str =
    "rounded-md bg-rose-600 px-3 py-1.5 text-sm font-semibold text-white hover:bg-rose-500";
/// Text inputs, selects and text areas.
pub const INPUT: &str = "mt-1 block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm shadow-card dark:border-slate-700 dark:bg-slate-900";
/// A section of a page.
pub const CARD: &str =
    "mt-8 rounded-xl border border-slate-200 bg-white p-6 shadow-card dark:border-slate-800 dark:bg-slate-900";
/// "Done" notices (`role="status"`).
pub const NOTICE_OK: &str =
    "mt-6 rounded-md bg-emerald-50 p-3 text-sm text-emerald-900 dark:bg-emerald-950/50 dark:text-emerald-100";
/// Error notices (`role="alert"`).
pub const NOTICE_ERROR: &str =
    "mt-6 rounded-md bg-rose-50 p-3 text-sm text-rose-800 dark:bg-rose-950/50 dark:text-rose-200";
/// A field's error message, next to it.
pub const FIELD_ERROR: &str = "mt-1 text-sm text-rose-700 dark:text-rose-300";

/// A URL that may wrap on a narrow screen at its slashes, dots and question marks only
/// (never inside a word): `<wbr>` after each.
pub fn breakable_url(url: &str) -> impl leptos::prelude::IntoView {
    use leptos::prelude::*;
    let mut parts = Vec::new();
    let mut start = 0;
    for (i, c) in url.char_indices() {
        if matches!(c, '/' | '.' | '?' | '&') && i + 1 < url.len() {
            parts.push(url[start..=i].to_owned());
            start = i + 1;
        }
    }
    let last = url[start..].to_owned();
    view! { {parts.into_iter().map(|p| view! { {p}<wbr /> }).collect_view()}{last} }
}

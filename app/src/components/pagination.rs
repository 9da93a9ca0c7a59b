//! Previous / "page n of m" / next links: plain links, so paging works without
//! JavaScript and every page has its own URL.

use crate::tr;
use leptos::prelude::*;

/// Page links for `page` of `pages` (nothing when there is one page); `href` builds the
/// URL of a page number.
#[component]
pub fn Pagination(
    label: String,
    page: i64,
    pages: i64,
    href: impl Fn(i64) -> String + 'static,
) -> impl IntoView {
    let link = "rounded-md border border-slate-300 px-3 py-1.5 text-sm font-medium hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800";
    (pages > 1).then(|| {
        view! {
            <nav aria-label=label class="mt-4 flex items-center justify-between">
                {(page > 1).then(|| view! { <a rel="prev" href=href(page - 1) class=link>{tr!("pagination-previous")}</a> })}
                <span class="text-sm">{tr!("pagination-page-of", { "page" => page, "pages" => pages })}</span>
                {(page < pages).then(|| view! { <a rel="next" href=href(page + 1) class=link>{tr!("pagination-next")}</a> })}
            </nav>
        }
    })
}

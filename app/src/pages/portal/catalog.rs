//! `/catalog`: APIs and MCP servers — full-text search, facets with counts, sort,
//! pagination. A plain GET form: every state is a URL, and it all works without
//! JavaScript.

use crate::api::catalog::search_catalog;
use crate::components::error_view::ErrorView;
use crate::components::labels::{audience_key, auth_key, catalog_href, kind_key};
use crate::components::load_once::LoadOnce;
use crate::components::pagination::Pagination;
use crate::components::rcdata::PageTitle;
use crate::domain::catalog::{Audience, AuthType, Kind, Sort};
use crate::i18n::t;
use crate::model::catalog::{CatalogEntry, CatalogParams, CatalogQuery, CatalogResults, Facet, PER_PAGE};
use crate::tr;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// The catalog page.
#[component]
pub fn CatalogPage() -> impl IntoView {
    let params = use_query_map().with_untracked(|q| CatalogParams {
        q: q.get("q"),
        kind: q.get("type"),
        category: q.get("category"),
        tag: q.get("tag"),
        audience: q.get("audience"),
        auth: q.get("auth"),
        sort: q.get("sort"),
        page: q.get("page"),
    });
    let query = params.parse();
    // Not a Resource: results are rendered to HTML, never serialized into the page.
    let results = LoadOnce::new(search_catalog(params));
    view! {
        <PageTitle text=tr!("catalog-title") />
        <Suspense fallback=|| view! { <p aria-busy="true">{tr!("loading")}</p> }>
            {move || {
                let (query, results) = (query.clone(), results.clone());
                Suspend::new(async move {
                    match results.get().await {
                        Ok(results) => view! { <Catalog query results /> }.into_any(),
                        Err(e) => view! { <ErrorView error=e /> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

#[component]
fn Catalog(query: CatalogQuery, results: CatalogResults) -> impl IntoView {
    let input = "block w-full rounded-md border border-slate-300 bg-white px-3 py-2 shadow-card dark:border-slate-700 dark:bg-slate-900";
    let pages = ((results.total + PER_PAGE - 1) / PER_PAGE).max(1);
    let filtered = query.kind.is_some()
        || query.category.is_some()
        || query.tag.is_some()
        || query.audience.is_some()
        || query.auth_type.is_some();
    let hidden = [
        ("type", query.kind.map(|k| k.as_str().to_owned())),
        ("category", query.category.clone()),
        ("tag", query.tag.clone()),
        ("audience", query.audience.map(|a| a.as_str().to_owned())),
        ("auth", query.auth_type.map(|a| a.as_str().to_owned())),
    ];
    let sort = query.sort;
    let sort_option = move |s: Sort, key: &str| {
        view! { <option value=s.as_str() selected=sort == s>{t(key)}</option> }
    };
    let page_link = {
        let query = query.clone();
        move |page: i64| catalog_href(&CatalogQuery { page, ..query.clone() })
    };
    let search_form = view! {
        <form id="catalog-search" method="get" action="/catalog" role="search" class="mt-6 flex flex-wrap items-end gap-3">
            <div class="min-w-[16rem] flex-1">
                <label for="catalog-q" class="block text-sm font-medium">{tr!("catalog-search-label")}</label>
                <input id="catalog-q" name="q" type="search" value=query.q.clone().unwrap_or_default() aria-controls="catalog-live"
                    placeholder=tr!("catalog-search-placeholder") autocomplete="off" class=format!("mt-1 {input}") />
            </div>
            <div>
                <label for="catalog-sort" class="block text-sm font-medium">{tr!("catalog-sort")}</label>
                <select id="catalog-sort" name="sort" class=format!("mt-1 {input}")>
                    {sort_option(Sort::Relevance, "catalog-sort-relevance")}
                    {sort_option(Sort::Name, "catalog-sort-name")}
                    {sort_option(Sort::Updated, "catalog-sort-updated")}
                </select>
            </div>
            {hidden.into_iter().filter_map(|(name, value)| value.map(|v| view! { <input type="hidden" name=name value=v /> })).collect_view()}
            <button type="submit" class="rounded-md bg-indigo-600 px-4 py-2 font-semibold text-white shadow-card hover:bg-indigo-500">
                {tr!("catalog-search")}
            </button>
        </form>
    };
    view! {
        <section>
            <h1 class="text-3xl font-bold tracking-tight">{tr!("catalog-heading")}</h1>
            <p class="mt-2 text-slate-600 dark:text-slate-300">{tr!("catalog-lead")}</p>
            {search_form}
            // Search as you type (public/live-search.js): 1 KB of plain JavaScript.
            <script type="module" src="/live-search.js"></script>
            <div id="catalog-live" class="mt-8 grid grid-cols-1 gap-8 lg:grid-cols-[14rem_minmax(0,1fr)]">
                <aside aria-label=tr!("catalog-facets")>
                    {filtered.then(|| view! {
                        <a href=catalog_href(&CatalogQuery { q: query.q.clone(), sort: query.sort, ..Default::default() })
                            class="mb-4 inline-block text-sm font-medium text-indigo-700 hover:underline dark:text-indigo-300">
                            {tr!("catalog-clear-filters")}
                        </a>
                    })}
                    <FacetList title=tr!("catalog-facet-type") facets=results.facets.kind.clone() selected=query.kind.map(|k| k.as_str().to_owned())
                        label=|v: &str| Kind::parse(v).map(|k| t(kind_key(k))).unwrap_or_else(|| v.to_owned())
                        href={let q = query.clone(); move |v: Option<&str>| catalog_href(&CatalogQuery { kind: v.and_then(Kind::parse), page: 1, ..q.clone() })} />
                    <FacetList title=tr!("catalog-facet-category") facets=results.facets.category.clone() selected=query.category.clone()
                        label=|v: &str| v.to_owned()
                        href={let q = query.clone(); move |v: Option<&str>| catalog_href(&CatalogQuery { category: v.map(str::to_owned), page: 1, ..q.clone() })} />
                    <FacetList title=tr!("catalog-facet-tag") facets=results.facets.tag.clone() selected=query.tag.clone()
                        label=|v: &str| v.to_owned()
                        href={let q = query.clone(); move |v: Option<&str>| catalog_href(&CatalogQuery { tag: v.map(str::to_owned), page: 1, ..q.clone() })} />
                    <FacetList title=tr!("catalog-facet-audience") facets=results.facets.audience.clone() selected=query.audience.map(|a| a.as_str().to_owned())
                        label=|v: &str| Audience::parse(v).map(|a| t(audience_key(a))).unwrap_or_else(|| v.to_owned())
                        href={let q = query.clone(); move |v: Option<&str>| catalog_href(&CatalogQuery { audience: v.and_then(Audience::parse), page: 1, ..q.clone() })} />
                    <FacetList title=tr!("catalog-facet-auth") facets=results.facets.auth_type.clone() selected=query.auth_type.map(|a| a.as_str().to_owned())
                        label=|v: &str| AuthType::parse(v).map(|a| t(auth_key(a))).unwrap_or_else(|| v.to_owned())
                        href={let q = query.clone(); move |v: Option<&str>| catalog_href(&CatalogQuery { auth_type: v.and_then(AuthType::parse), page: 1, ..q.clone() })} />
                </aside>
                <div>
                    <p class="text-sm text-slate-600 dark:text-slate-400" aria-live="polite">
                        {tr!("catalog-count", { "count" => results.total })}
                    </p>
                    {if results.entries.is_empty() && results.total > 0 {
                        // Past the last page: the results exist, on earlier pages.
                        view! {
                            <div class="mt-4 rounded-xl border border-dashed border-slate-300 p-8 text-center dark:border-slate-700">
                                <p class="text-slate-700 dark:text-slate-300">{tr!("catalog-past-last", { "page" => query.page, "pages" => pages })}</p>
                                <a href=page_link(1) class="mt-3 inline-block text-sm font-medium text-indigo-700 hover:underline dark:text-indigo-300">{tr!("catalog-first-page")}</a>
                            </div>
                        }.into_any()
                    } else if results.entries.is_empty() {
                        let message = if query.q.is_some() || filtered { tr!("catalog-no-results") } else { tr!("catalog-empty") };
                        view! {
                            <div class="mt-4 rounded-xl border border-dashed border-slate-300 p-8 text-center dark:border-slate-700">
                                <p class="text-slate-700 dark:text-slate-300">{message}</p>
                                {(query.q.is_some() || filtered).then(|| view! {
                                    <a href="/catalog" class="mt-3 inline-block text-sm font-medium text-indigo-700 hover:underline dark:text-indigo-300">{tr!("catalog-show-all")}</a>
                                })}
                            </div>
                        }.into_any()
                    } else {
                        view! {
                            <ul class="mt-4 grid grid-cols-1 gap-4">
                                {results.entries.into_iter().map(|e| view! { <EntryCard entry=e /> }).collect_view()}
                            </ul>
                        }.into_any()
                    }}
                    <Pagination label=tr!("catalog-pagination") page=query.page pages href=page_link.clone() />
                </div>
            </div>
        </section>
    }
}

/// How many values of a facet show before the others fold.
const FACET_SHOWN: usize = 8;

/// One facet: its values with counts, each a link that selects it (or clears it).
#[component]
fn FacetList(
    title: String,
    facets: Vec<Facet>,
    selected: Option<String>,
    label: impl Fn(&str) -> String + 'static,
    href: impl Fn(Option<&str>) -> String + 'static,
) -> impl IntoView {
    if facets.is_empty() {
        return ().into_any();
    }
    let item = |f: Facet| {
        let on = selected.as_deref() == Some(f.value.as_str());
        let link = if on { href(None) } else { href(Some(&f.value)) };
        view! {
            <li>
                <a href=link aria-current=on.then_some("true")
                    class=if on { "flex justify-between gap-2 rounded px-2 py-1 text-sm font-semibold bg-indigo-50 text-indigo-800 dark:bg-indigo-950 dark:text-indigo-200" } else { "flex justify-between gap-2 rounded px-2 py-1 text-sm hover:bg-slate-100 dark:hover:bg-slate-800" }>
                    <span class="break-words">{label(&f.value)}</span>
                    <span class="tabular-figures text-slate-500">{f.count}</span>
                </a>
            </li>
        }
    };
    // The most frequent values show; the others (a chosen one stays in view) fold under
    // a disclosure that opens without JavaScript.
    let (mut shown, mut folded): (Vec<Facet>, Vec<Facet>) = (Vec::new(), Vec::new());
    for (i, f) in facets.into_iter().enumerate() {
        if i < FACET_SHOWN || selected.as_deref() == Some(f.value.as_str()) {
            shown.push(f)
        } else {
            folded.push(f)
        }
    }
    let more = folded.len();
    let folded = folded.into_iter().map(item).collect_view();
    view! {
        <section class="mb-6">
            <h2 class="text-xs font-semibold uppercase tracking-wide text-slate-500 dark:text-slate-400">{title}</h2>
            <ul class="mt-2 space-y-1">
                {shown.into_iter().map(item).collect_view()}
            </ul>
            {(more > 0).then(|| view! {
                <details class="mt-1">
                    <summary class="cursor-pointer rounded px-2 py-1 text-sm font-medium text-indigo-700 hover:underline dark:text-indigo-300">
                        {tr!("catalog-facet-more", { "count" => more })}
                    </summary>
                    <ul class="mt-1 space-y-1">{folded}</ul>
                </details>
            })}
        </section>
    }
    .into_any()
}

#[component]
fn EntryCard(entry: CatalogEntry) -> impl IntoView {
    let badge = "whitespace-nowrap rounded-full bg-slate-100 px-2 py-0.5 text-xs font-medium text-slate-700 dark:bg-slate-800 dark:text-slate-300";
    let excerpt = crate::markdown::to_plain_text(&entry.excerpt, 220);
    view! {
        <li class="rounded-xl border border-slate-200 bg-white p-5 shadow-card dark:border-slate-800 dark:bg-slate-900">
            <div class="flex flex-wrap items-baseline gap-2">
                <h2 class="text-lg font-semibold">
                    <a href=entry.href() class="hover:underline">{entry.name.clone()}</a>
                </h2>
                <span class=badge>{t(kind_key(entry.kind))}</span>
                {entry.latest_version.clone().map(|v| view! { <span class=badge>"v" {v}</span> })}
                {(entry.audience != Audience::Public).then(|| view! { <span class=badge>{t(audience_key(entry.audience))}</span> })}
                {entry.subscribed.then(|| view! {
                    <span class="rounded-full bg-emerald-100 px-2 py-0.5 text-xs font-medium text-emerald-800 dark:bg-emerald-950 dark:text-emerald-200" data-subscribed="true">
                        {tr!("catalog-subscribed")}
                    </span>
                })}
            </div>
            <p class="mt-1 text-xs text-slate-500 dark:text-slate-400">{entry.tenant_id.clone()} " · " {entry.category.clone()} " · " {t(auth_key(entry.auth_type))}</p>
            <p class="mt-2 text-sm text-slate-700 dark:text-slate-300">{excerpt}</p>
            <ul class="mt-3 flex flex-wrap gap-1" aria-label=tr!("catalog-facet-tag")>
                {entry.tags.iter().map(|tag| view! {
                    <li><a href=catalog_href(&CatalogQuery { tag: Some(tag.clone()), ..Default::default() })
                        class="rounded bg-indigo-50 px-2 py-0.5 text-xs text-indigo-800 hover:underline dark:bg-indigo-950 dark:text-indigo-200">{tag.clone()}</a></li>
                }).collect_view()}
            </ul>
        </li>
    }
}

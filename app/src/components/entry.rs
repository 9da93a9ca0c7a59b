//! An entry's page head shared by APIs and MCP servers: its header and its plans.

use crate::components::labels::{audience_key, auth_key, catalog_href};
use crate::components::rcdata::PageTitle;
use crate::i18n::t;
use crate::model::catalog::ItemDetail;
use crate::model::catalog::PlanInfo;
use crate::tr;
use leptos::prelude::*;

/// The plans of the entry's tenant: limits, and whether a subscription needs approval.
#[component]
pub fn Plans(plans: Vec<PlanInfo>) -> impl IntoView {
    let lang = crate::i18n::use_language();
    let limit = move |label: String, value: Option<i32>| {
        value.map(|v| {
            let v = crate::domain::numbers::count(u64::try_from(v).unwrap_or(0), lang);
            view! { <li><span class="text-slate-500">{label}</span> " " <span class="font-medium tabular-figures">{v}</span></li> }
        })
    };
    (!plans.is_empty()).then(|| view! {
        <section class="mt-10" aria-labelledby="plans">
            <h2 id="plans" class="text-xl font-semibold">{tr!("plans-heading")}</h2>
            <ul class="mt-3 grid grid-cols-1 gap-4 sm:grid-cols-2">
                {plans.into_iter().map(|p| view! {
                    <li class="rounded-xl border border-slate-200 bg-white p-4 shadow-card dark:border-slate-800 dark:bg-slate-900" data-plan=p.slug.clone()>
                        <h3 class="font-semibold">{p.name.clone()}</h3>
                        <p class="mt-1 text-sm text-slate-600 dark:text-slate-400" inner_html=crate::markdown::to_safe_inline_html(&p.description)></p>
                        <ul class="mt-3 space-y-1 text-sm">
                            {limit(tr!("plans-per-second"), p.rate_per_second)}
                            {limit(tr!("plans-per-minute"), p.rate_per_minute)}
                            {limit(tr!("plans-per-day"), p.daily_quota)}
                            {limit(tr!("plans-per-month"), p.monthly_quota)}
                        </ul>
                        <p class="mt-3 text-xs font-medium">
                            {if p.requires_approval { tr!("plans-approval") } else { tr!("plans-instant") }}
                        </p>
                    </li>
                }).collect_view()}
            </ul>
        </section>
    })
}

/// Badges and Markdown description shared by API and MCP pages.
#[component]
pub fn EntryHeader(detail: ItemDetail) -> impl IntoView {
    let badge = "whitespace-nowrap rounded-full bg-slate-100 px-2.5 py-0.5 text-xs font-medium text-slate-700 dark:bg-slate-800 dark:text-slate-300";
    let description = crate::markdown::to_safe_html(&detail.description);
    view! {
        <PageTitle text=format!("{} · STOA", detail.name) />
        <nav aria-label=tr!("breadcrumb") class="text-sm text-slate-500 dark:text-slate-400">
            <a href="/catalog" class="hover:underline">{tr!("nav-catalog")}</a>
            " / " {detail.tenant_id.clone()}
        </nav>
        <h1 class="mt-2 text-3xl font-bold tracking-tight">{detail.name.clone()}</h1>
        <div class="mt-3 flex flex-wrap gap-2">
            <span class=badge>{t(audience_key(detail.audience))}</span>
            <span class=badge>{t(auth_key(detail.auth_type))}</span>
            <a class=badge href=catalog_href(&crate::model::catalog::CatalogQuery { category: Some(detail.category.clone()), ..Default::default() })>{detail.category.clone()}</a>
            {detail.requires_approval.then(|| view! { <span class=badge>{tr!("api-requires-approval")}</span> })}
            {detail.tags.iter().map(|tag| view! {
                <a href=catalog_href(&crate::model::catalog::CatalogQuery { tag: Some(tag.clone()), ..Default::default() })
                    class="rounded bg-indigo-50 px-2 py-0.5 text-xs text-indigo-800 hover:underline dark:bg-indigo-950 dark:text-indigo-200">{tag.clone()}</a>
            }).collect_view()}
        </div>
        <div class="prose mt-6 max-w-3xl text-slate-700 dark:text-slate-300 [&_a]:text-indigo-700 dark:[&_a]:text-indigo-300 [&_a]:underline [&_ul]:list-disc [&_ul]:pl-6 [&_p]:mt-3" inner_html=description></div>
        <UsageLinks tenant=detail.tenant_id.clone() slug=detail.slug.clone() />
    }
}

/// "Your usage of this API" (and, for whoever may see its tenant's usage, "Who calls
/// it"): the dashboards pre-filtered on this API or MCP server.
#[component]
fn UsageLinks(tenant: String, slug: String) -> impl IntoView {
    use crate::domain::permission::Permission;
    let user = crate::auth::current_user();
    let api = crate::auth::encode_query_value(&format!("{tenant}/{slug}"));
    let link = "text-sm text-indigo-700 underline hover:no-underline dark:text-indigo-300";
    let own = user.as_ref().is_some_and(|u| u.may(Permission::ViewOwnUsage));
    let console = user.as_ref().is_some_and(|u| {
        u.may(Permission::ViewTenantUsage) && (u.tenant_id == tenant || u.may(Permission::ActAcrossTenants))
    });
    (own || console).then(|| view! {
        <p class="mt-4 flex flex-wrap gap-4">
            {own.then(|| view! { <a href=format!("/usage?period=7d&api={api}") class=link>{tr!("usage-of-this-api")}</a> })}
            {console.then(|| view! { <a href=format!("/console/usage?period=7d&api={api}") class=link>{tr!("usage-console-of-this-api")}</a> })}
        </p>
    })
}

//! `/apis/:tenant/:api`: an API's overview (Markdown description), versions and where
//! each runs, and its operations rendered on the server from the OpenAPI document —
//! parameters, request bodies, responses, schemas with `$ref`s resolved, examples.

use crate::api::applications::my_applications;
use crate::api::catalog::api_page;
use crate::api::tryit::last_try;
use crate::components::entry::{EntryHeader, Plans};
use crate::components::error_view::ErrorView;
use crate::components::load_once::LoadOnce;
use crate::components::operations::{Operations, TryIt};
use crate::components::subscribe::{SubscribeRetry, SubscribeSection};
use crate::i18n::t;
use crate::model::catalog::ItemDetail;
use crate::model::tryit::TryResult;
use crate::tr;
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};
use serde_json::Value;
use std::sync::Arc;

/// The API detail page.
#[component]
pub fn ApiDetailPage() -> impl IntoView {
    let params = use_params_map();
    let tenant = params.with_untracked(|p| p.get("tenant")).unwrap_or_default();
    let api = params.with_untracked(|p| p.get("api")).unwrap_or_default();
    let (version, selected, tried) =
        use_query_map().with_untracked(|q| (q.get("version"), q.get("op"), q.get("tried")));
    let signed_in = crate::auth::current_user().is_some();
    // The parsed document can be large: shared, not copied, between Suspense's walks.
    let page = LoadOnce::new(async move {
        let (tried, apps) = if signed_in {
            let tried = match tried {
                Some(token) => last_try(token).await.ok().flatten(),
                None => None,
            };
            // Subscribing chooses one of these, try-it sends a key of one (none for roles
            // without applications).
            (tried, my_applications().await.unwrap_or_default())
        } else {
            (None, vec![])
        };
        api_page(tenant, api, version)
            .await
            .map(|(detail, spec)| (detail, spec.map(|(v, s)| (v, Arc::new(s))), tried, apps))
    });
    view! {
        <Suspense fallback=|| view! { <p aria-busy="true">{tr!("loading")}</p> }>
            {move || {
                let (page, selected) = (page.clone(), selected.clone());
                Suspend::new(async move {
                    match page.get().await {
                        Ok((detail, spec, tried, all)) => {
                            let apps = all.iter().filter(|a| a.security_profile == crate::model::applications::SecurityProfile::ApiKey).map(|a| (a.id.to_string(), a.name.clone())).collect();
                            let sub_apps = all.into_iter().map(|a| (a.id.to_string(), a.name)).collect();
                            view! { <ApiDetail detail spec selected tried signed_in apps sub_apps /> }.into_any()
                        }
                        Err(e) => view! { <ErrorView error=e /> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

#[component]
fn ApiDetail(
    detail: ItemDetail,
    spec: Option<(String, Arc<Value>)>,
    tried: Option<TryResult>,
    signed_in: bool,
    /// The user's API-key applications: (id, name).
    apps: Vec<(String, String)>,
    /// Every application of the user's: (id, name).
    sub_apps: Vec<(String, String)>,
    selected: Option<String>,
) -> impl IntoView {
    let base = format!("/apis/{}/{}", detail.tenant_id, detail.slug);
    let current = spec.as_ref().map(|(v, _)| v.clone());
    let th = "px-4 py-2 text-left text-xs font-semibold uppercase tracking-wide text-slate-500 dark:text-slate-400";
    let download = current
        .as_ref()
        .map(|v| format!("/v1/catalog/apis/{}/{}/versions/{}/document", detail.tenant_id, detail.slug, v));
    // The version shown is deprecated or retired: say so, and where to go.
    let lifecycle = current.as_ref().and_then(|c| detail.versions.iter().find(|v| &v.version == c)).and_then(|v| {
        let successor = v.successor.clone().map(|s| {
            let href = format!("{base}?version={}", crate::auth::encode_query_value(&s));
            view! { " " <a href=href class="font-medium underline">{tr!("api-lifecycle-successor", { "version" => s })}</a> }
        });
        match v.status.as_str() {
            "deprecated" => Some(view! {
                <p role="note" class="mt-6 rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900 dark:border-amber-800 dark:bg-amber-950/50 dark:text-amber-100" data-lifecycle="deprecated">
                    {match &v.sunset_at {
                        Some(at) => tr!("api-lifecycle-deprecated-until", { "version" => v.version.clone(), "date" => crate::components::when::exact(at) }),
                        None => tr!("api-lifecycle-deprecated", { "version" => v.version.clone() }),
                    }}
                    {successor}
                </p>
            }.into_any()),
            "retired" => Some(view! {
                <p role="note" class="mt-6 rounded-md border border-rose-300 bg-rose-50 p-3 text-sm text-rose-900 dark:border-rose-800 dark:bg-rose-950/50 dark:text-rose-100" data-lifecycle="retired">
                    {tr!("api-lifecycle-retired", { "version" => v.version.clone() })}
                    {successor}
                </p>
            }.into_any()),
            _ => None,
        }
    });
    view! {
        <article>
            <EntryHeader detail=detail.clone() />
            {lifecycle}
            <Plans plans=detail.plans.clone() />
            <SubscribeSection detail=detail.clone() apps=sub_apps retry=SubscribeRetry::from_query() />
            <section class="mt-10" aria-labelledby="versions">
                <h2 id="versions" class="text-xl font-semibold">{tr!("api-versions")}</h2>
                <div class="mt-3 overflow-x-auto rounded-xl border border-slate-200 bg-white shadow-card dark:border-slate-800 dark:bg-slate-900">
                    <table class="min-w-full divide-y divide-slate-200 dark:divide-slate-800">
                        <thead><tr>
                            <th scope="col" class=th>{tr!("api-version")}</th>
                            <th scope="col" class=th>{tr!("api-status")}</th>
                            <th scope="col" class=th>{tr!("api-deployed-in")}</th>
                            <th scope="col" class=th>{tr!("api-operations")}</th>
                        </tr></thead>
                        <tbody class="divide-y divide-slate-100 dark:divide-slate-800">
                            {detail.versions.iter().map(|v| {
                                let here = current.as_deref() == Some(v.version.as_str());
                                view! {
                                    <tr>
                                        <td class="px-4 py-2 text-sm font-medium">
                                            <a href=format!("{base}?version={}", crate::auth::encode_query_value(&v.version))
                                                aria-current=here.then_some("page") class="hover:underline">{v.version.clone()}</a>
                                        </td>
                                        <td class="px-4 py-2 text-sm">{t(&format!("api-status-{}", v.status))}</td>
                                        <td class="px-4 py-2 text-sm">
                                            {v.deployments.iter().map(|d| view! {
                                                <span class="mr-2 inline-block rounded bg-emerald-50 px-2 py-0.5 text-xs font-medium text-emerald-800 dark:bg-emerald-950 dark:text-emerald-200"
                                                    title=d.server_url.clone().unwrap_or_default() data-environment=d.environment.clone()>{t(&format!("env-{}", d.environment))}</span>
                                                {d.gateway_url.clone().map(|url| view! {
                                                    <code class="mr-2 text-xs" data-gateway-url="">{crate::components::ui::breakable_url(&url)}</code>
                                                })}
                                            }).collect_view()}
                                        </td>
                                        <td class="px-4 py-2 text-sm tabular-figures">{v.operation_count}</td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
                {download.map(|href| view! {
                    <a href=href download class="mt-3 inline-block text-sm font-medium text-indigo-700 hover:underline dark:text-indigo-300">
                        {tr!("api-download")}
                    </a>
                })}
            </section>
            {match spec {
                None => view! { <p class="mt-10 text-slate-600">{tr!("api-no-version")}</p> }.into_any(),
                Some((version, spec)) => {
                    let page = format!("{base}?version={}", crate::auth::encode_query_value(&version));
                    let environments = detail
                        .versions
                        .iter()
                        .find(|v| v.version == version)
                        .map(|v| v.deployments.iter().filter(|d| d.server_url.is_some()).map(|d| d.environment.clone()).collect())
                        .unwrap_or_default();
                    let selected = selected.or_else(|| tried.as_ref().map(|t| t.form.op.clone()));
                    let try_it = TryIt {
                        tenant: detail.tenant_id.clone(),
                        api: detail.slug.clone(),
                        version,
                        environments,
                        signed_in,
                        back: page.clone(),
                        tried,
                        apps,
                    };
                    view! { <Operations spec page selected try_it /> }.into_any()
                }
            }}
        </article>
    }
}

//! `/mcp/:server`: an MCP server and its tools, each with its input schema.

use crate::api::applications::my_applications;
use crate::api::catalog::mcp_page;
use crate::components::copy::CopyButton;
use crate::components::entry::{EntryHeader, Plans};
use crate::components::error_view::ErrorView;
use crate::components::load_once::LoadOnce;
use crate::components::subscribe::{SubscribeRetry, SubscribeSection};
use crate::model::catalog::ItemDetail;
use crate::tr;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

/// The MCP server page.
#[component]
pub fn McpDetailPage() -> impl IntoView {
    let server = use_params_map().with_untracked(|p| p.get("server")).unwrap_or_default();
    let signed_in = crate::auth::current_user().is_some();
    let page = LoadOnce::new(async move {
        let apps = if signed_in { my_applications().await.unwrap_or_default() } else { vec![] };
        mcp_page(server).await.map(|detail| (detail, apps))
    });
    view! {
        <Suspense fallback=|| view! { <p aria-busy="true">{tr!("loading")}</p> }>
            {move || {
                let page = page.clone();
                Suspend::new(async move {
                    match page.get().await {
                        Ok((detail, apps)) => {
                            let apps = apps.into_iter().map(|a| (a.id.to_string(), a.name)).collect();
                            view! { <McpDetail detail apps /> }.into_any()
                        }
                        Err(e) => view! { <ErrorView error=e /> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

#[component]
fn McpDetail(detail: ItemDetail, apps: Vec<(String, String)>) -> impl IntoView {
    let tools = detail.tools.clone();
    let plans = detail.plans.clone();
    view! {
        <article>
            <EntryHeader detail=detail.clone() />
            {detail.endpoint.clone().map(|url| view! {
                <section class="mt-6" aria-labelledby="endpoint">
                    <h2 id="endpoint" class="text-xl font-semibold">{tr!("mcp-endpoint")}</h2>
                    <p class="mt-2 text-sm text-slate-600 dark:text-slate-400">{tr!("mcp-endpoint-lead")}</p>
                    <p class="mt-2 flex flex-wrap items-center gap-2">
                        <code id="mcp-endpoint" class="rounded bg-slate-100 px-2 py-1 font-mono text-sm [overflow-wrap:anywhere] dark:bg-slate-800" data-endpoint="">{url}</code>
                    </p>
                    <CopyButton target="mcp-endpoint" />
                </section>
            })}
            <Plans plans />
            <SubscribeSection detail apps retry=SubscribeRetry::from_query() />
            <section class="mt-10" aria-labelledby="tools">
                <h2 id="tools" class="text-xl font-semibold">{tr!("mcp-tools")}</h2>
                {if tools.is_empty() {
                    view! { <p class="mt-3 text-slate-600">{tr!("mcp-no-tools")}</p> }.into_any()
                } else {
                    view! {
                        <ul class="mt-4 space-y-4">
                            {tools.into_iter().map(|tool| {
                                let schema = serde_json::to_string_pretty(&tool.input_schema).unwrap_or_default();
                                let props: Vec<(String, String, bool, String)> = tool.input_schema.get("properties")
                                    .and_then(|p| p.as_object())
                                    .map(|p| p.iter().map(|(name, s)| {
                                        let required = tool.input_schema.get("required").and_then(|r| r.as_array())
                                            .is_some_and(|r| r.iter().any(|x| x.as_str() == Some(name)));
                                        let ty = s.get("type").and_then(|t| t.as_str()).unwrap_or("any").to_owned();
                                        let d = s.get("description").and_then(|t| t.as_str()).unwrap_or_default().to_owned();
                                        (name.clone(), ty, required, d)
                                    }).collect())
                                    .unwrap_or_default();
                                view! {
                                    <li id=format!("tool-{}", tool.name) class="rounded-xl border border-slate-200 bg-white p-5 shadow-card dark:border-slate-800 dark:bg-slate-900">
                                        <h3 class="font-mono text-base font-semibold">{tool.name.clone()}</h3>
                                        <p class="mt-1 text-sm text-slate-700 dark:text-slate-300">{tool.description.clone()}</p>
                                        <h4 class="mt-3 text-xs font-semibold uppercase text-slate-500">{tr!("mcp-input")}</h4>
                                        {if props.is_empty() {
                                            view! { <p class="text-sm text-slate-600">{tr!("mcp-no-input")}</p> }.into_any()
                                        } else {
                                            view! {
                                                <ul class="mt-1 space-y-1 text-sm">
                                                    {props.into_iter().map(|(name, ty, required, d)| view! {
                                                        <li>
                                                            <span class="font-mono">{name}</span>
                                                            {required.then(|| view! { <span class="text-rose-700 dark:text-rose-300" title=tr!("api-required")>" *"</span> })}
                                                            " " <span class="font-mono text-xs text-slate-500">{ty}</span>
                                                            {(!d.is_empty()).then(|| view! { <span class="text-slate-600 dark:text-slate-400">" — " {d}</span> })}
                                                        </li>
                                                    }).collect_view()}
                                                </ul>
                                            }.into_any()
                                        }}
                                        <details class="mt-3">
                                            <summary class="cursor-pointer text-sm font-medium">{tr!("mcp-schema")}</summary>
                                            <pre class="mt-2 overflow-x-auto rounded bg-slate-50 p-3 text-xs dark:bg-slate-950">{schema}</pre>
                                        </details>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any()
                }}
            </section>
        </article>
    }
}

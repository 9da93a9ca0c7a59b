//! The publisher's console: `/console/apis` lists the tenant's APIs (with their versions,
//! drafts included, and deployments) and MCP servers, with "publish" and "deploy"
//! actions; `/console/apis/new` and `/console/mcp/new` are the publishing forms (paste or
//! upload, plain multipart forms that work with JavaScript off).

use crate::api::publishing::{
    console_apis, publishing_form, DeployVersion, DeprecateVersion, PublishVersion, RetireVersion,
};
use crate::components::error_view::PageError;
use crate::components::load_once::LoadOnce;
use crate::components::rcdata::PageTitle;
use crate::components::ui::{BUTTON, DANGER, FIELD_ERROR, INPUT, SECONDARY};
use crate::domain::catalog::{Audience, AuthType, Kind};
use crate::error::FieldError;
use crate::i18n::t;
use crate::model::publishing::{ConsoleForm, FormState, OwnItem, UPLOAD_PATH};
use crate::tr;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_router::hooks::use_query_map;

const ENVIRONMENTS: [&str; 3] = ["dev", "staging", "prod"];
/// `/console/apis`.
#[component]
pub fn ConsoleApisPage() -> impl IntoView {
    let notice = use_query_map().with_untracked(|q| (q.get("done"), q.get("failed"), q.get("api")));
    let items = LoadOnce::new(console_apis());
    view! {
        <PageTitle text=tr!("console-apis-title") />
        <Suspense fallback=|| view! { <p aria-busy="true">{tr!("loading")}</p> }>
            {move || {
                let (notice, items) = (notice.clone(), items.clone());
                Suspend::new(async move {
                    match items.get().await {
                        Ok(items) => view! { <OwnCatalog items notice /> }.into_any(),
                        Err(e) => view! { <PageError error=e next="/console/apis".to_owned() /> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

#[component]
fn OwnCatalog(
    items: Vec<OwnItem>,
    notice: (Option<String>, Option<String>, Option<String>),
) -> impl IntoView {
    let (done, failed, api) = notice;
    let api = api.unwrap_or_default();
    let message = match (done.as_deref(), failed.as_deref()) {
        (Some(done), _) => Some((
            true,
            t(&format!(
                "console-done-{}",
                known(done, &["draft", "published", "deployed", "mcp-stored", "deprecated", "retired"])
            )),
        )),
        (None, Some(code)) => Some((false, t(&format!("error-{}", code.replace('_', "-"))))),
        _ => None,
    };
    let empty = items.is_empty();
    view! {
        <section>
            <div class="flex flex-wrap items-end justify-between gap-4">
                <div>
                    <h1 class="text-3xl font-bold tracking-tight">{tr!("console-apis-heading")}</h1>
                    <p class="mt-2 text-slate-600 dark:text-slate-300">{tr!("console-apis-lead")}</p>
                </div>
                <div class="flex gap-2">
                    <a href="/console/apis/new" class=BUTTON>{tr!("console-new-api")}</a>
                    <a href="/console/mcp/new" class=SECONDARY>{tr!("console-new-mcp")}</a>
                </div>
            </div>
            {message.map(|(ok, text)| {
                let class = if ok {
                    "mt-6 rounded-md bg-emerald-50 p-3 text-sm text-emerald-900 dark:bg-emerald-950/50 dark:text-emerald-100"
                } else {
                    "mt-6 rounded-md bg-rose-50 p-3 text-sm text-rose-800 dark:bg-rose-950/50 dark:text-rose-200"
                };
                view! { <p id="console-notice" role="status" class=class>{text} " " <strong>{api.clone()}</strong></p> }
            })}
            {empty.then(|| view! {
                <p id="console-empty" class="mt-10 rounded-xl border border-dashed border-slate-300 p-8 text-center text-slate-600 dark:border-slate-700 dark:text-slate-300">
                    {tr!("console-empty")}
                </p>
            })}
            <ul class="mt-8 space-y-4">
                {items.into_iter().map(|item| view! { <OwnEntry item /> }).collect_view()}
            </ul>
        </section>
    }
}

/// `value` if it is one of `allowed`, else the first (query values are user input).
fn known<'a>(value: &'a str, allowed: &[&'a str]) -> &'a str {
    allowed.iter().find(|a| **a == value).copied().unwrap_or(allowed[0])
}

#[component]
fn OwnEntry(item: OwnItem) -> impl IntoView {
    let published = item.status == "published";
    let tenant = crate::auth::current_user().map(|u| u.tenant_id).unwrap_or_default();
    let (public_href, edit_href) = match item.kind {
        Kind::Api => {
            (format!("/apis/{tenant}/{}", item.slug), format!("/console/apis/new?edit={}", item.slug))
        }
        Kind::Mcp => (format!("/mcp/{}", item.slug), format!("/console/mcp/new?edit={}", item.slug)),
    };
    let slug = item.slug.clone();
    let kind_key = if item.kind == Kind::Api { "kind-api" } else { "kind-mcp" };
    view! {
        <li class="rounded-xl border border-slate-200 bg-white p-5 shadow-card dark:border-slate-800 dark:bg-slate-900" data-entry=item.slug.clone()>
            <div class="flex flex-wrap items-baseline justify-between gap-3">
                <h2 class="text-lg font-semibold">
                    {if published {
                        view! { <a href=public_href class="hover:underline">{item.name.clone()}</a> }.into_any()
                    } else {
                        view! { <span>{item.name.clone()}</span> }.into_any()
                    }}
                </h2>
                <div class="flex flex-wrap items-center gap-2 text-xs">
                    <span class="rounded bg-slate-100 px-2 py-0.5 dark:bg-slate-800">{t(kind_key)}</span>
                    <span class="rounded bg-slate-100 px-2 py-0.5 dark:bg-slate-800">{t(crate::components::labels::audience_key(item.audience))}</span>
                    <span class="rounded bg-slate-100 px-2 py-0.5 font-semibold dark:bg-slate-800">{t(&format!("api-status-{}", item.status))}</span>
                    <a href=edit_href class=SECONDARY>{tr!("console-edit")}</a>
                </div>
            </div>
            {(item.kind == Kind::Mcp).then(|| view! {
                <p class="mt-2 text-sm text-slate-600 dark:text-slate-300">{tr!("console-tool-count", { "count" => item.tool_count })}</p>
            })}
            {(item.kind == Kind::Api).then(|| view! {
                <div class="mt-4 overflow-x-auto">
                <table class="w-full text-left text-sm">
                    <caption class="sr-only">{tr!("api-versions")}</caption>
                    <thead class="text-slate-500 dark:text-slate-400">
                        <tr>
                            <th scope="col" class="py-1 pr-4 font-medium">{tr!("api-version")}</th>
                            <th scope="col" class="py-1 pr-4 font-medium">{tr!("api-status")}</th>
                            <th scope="col" class="py-1 pr-4 font-medium">{tr!("api-deployed-in")}</th>
                            <th scope="col" class="py-1 font-medium">{tr!("console-actions")}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {item.versions.clone().into_iter().map(|v| {
                            let draft = v.status == "draft";
                            let served = matches!(v.status.as_str(), "published" | "deprecated");
                            let successors: Vec<String> = item.versions.iter()
                                .filter(|o| o.status == "published" && o.version != v.version)
                                .map(|o| o.version.clone())
                                .collect();
                            let lifecycle = LifecycleQuery::for_row(&slug, &v.version);
                            let slug = slug.clone();
                            let deployed: Vec<String> = v.deployments.iter().map(|d| d.environment.clone()).collect();
                            // Deploy offers the next environment the version is not in yet.
                            let next = ENVIRONMENTS.iter().find(|e| !deployed.iter().any(|d| d == *e)).copied();
                            view! {
                                <tr id=format!("version-{}-{}", slug, v.version) class="border-t border-slate-100 align-top dark:border-slate-800" data-version=v.version.clone() data-status=v.status.clone()>
                                    <td class="py-2 pr-4 font-mono">{v.version.clone()}</td>
                                    <td class="py-2 pr-4">
                                        {t(&format!("api-status-{}", v.status))}
                                        {v.sunset_at.clone().filter(|_| v.status == "deprecated").map(|at| view! {
                                            <div class="text-xs text-slate-500">{tr!("console-sunset-until", { "date" => crate::components::when::exact(&at) })}</div>
                                        })}
                                        {v.successor.clone().map(|s| view! { <div class="text-xs text-slate-500">{tr!("console-successor-is", { "version" => s })}</div> })}
                                    </td>
                                    <td class="py-2 pr-4">{if deployed.is_empty() { "—".to_owned() } else { deployed.iter().map(|e| t(&format!("env-{e}"))).collect::<Vec<_>>().join(", ") }}</td>
                                    <td class="flex flex-wrap gap-2 py-2">
                                        {draft.then(|| view! {
                                            <form method="post" action=PublishVersion::url()>
                                                <input type="hidden" name="api" value=slug.clone() />
                                                <input type="hidden" name="version" value=v.version.clone() />
                                                <button type="submit" class=BUTTON>{tr!("console-publish")}</button>
                                            </form>
                                        })}
                                        <form method="post" action=DeployVersion::url() class="flex items-center gap-2">
                                            <input type="hidden" name="api" value=slug.clone() />
                                            <input type="hidden" name="version" value=v.version.clone() />
                                            <label class="sr-only" for=format!("env-{}-{}", slug, v.version)>{tr!("console-environment")}</label>
                                            <select id=format!("env-{}-{}", slug, v.version) name="environment" class="rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm dark:border-slate-700 dark:bg-slate-900">
                                                {ENVIRONMENTS.iter().map(|e| view! { <option value=*e selected=next == Some(*e)>{t(&format!("env-{e}"))}</option> }).collect_view()}
                                            </select>
                                            <button type="submit" class=SECONDARY>{tr!("console-deploy")}</button>
                                        </form>
                                        {served.then(|| view! { <Lifecycle api=slug.clone() version=v.version.clone() successors lifecycle /> })}
                                    </td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
                </div>
            })}
        </li>
    }
}

/// What the query says of one version row: asked to confirm a retirement, or refused.
#[derive(Clone, Debug, Default)]
struct LifecycleQuery {
    confirm_retire: bool,
    error: Option<(String, String)>,
}

impl LifecycleQuery {
    fn for_row(api: &str, version: &str) -> LifecycleQuery {
        use_query_map().with_untracked(|q| {
            let here = q.get("version").as_deref() == Some(version);
            LifecycleQuery {
                confirm_retire: here && q.get("retire").as_deref() == Some(api),
                error: q
                    .get("lifecycle_error")
                    .filter(|_| here && q.get("api").as_deref() == Some(api))
                    .map(|code| (code, q.get("detail").unwrap_or_default())),
            }
        })
    }
}

/// The codes a deprecation or retirement is refused with (`console-lifecycle-error-<code>`).
pub const LIFECYCLE_ERRORS: [&str; 7] = [
    "sunset-past",
    "sunset-too-soon",
    "invalid-date",
    "unknown-successor",
    "not-published",
    "has-subscribers",
    "required",
];

/// A served version's "Deprecate…" (a date and a successor, in a disclosure that works
/// without JavaScript) and "Retire…" (after a confirmation).
#[component]
fn Lifecycle(
    api: String,
    version: String,
    successors: Vec<String>,
    lifecycle: LifecycleQuery,
) -> impl IntoView {
    let id = format!("{api}-{version}");
    // The earliest sunset allowed (rendered on the server: this is no island).
    #[cfg(feature = "ssr")]
    let earliest = (chrono::Utc::now() + chrono::Duration::days(crate::domain::lifecycle::MIN_SUNSET_DAYS))
        .format("%Y-%m-%d")
        .to_string();
    #[cfg(not(feature = "ssr"))]
    let earliest = String::new();
    let error = lifecycle.error.clone().map(|(code, detail)| {
        let code = known(&code, &LIFECYCLE_ERRORS).to_owned();
        crate::i18n::t_with(&format!("console-lifecycle-error-{code}"), "detail", detail)
    });
    let open = error.is_some();
    view! {
        <details class="w-full" open=open>
            <summary class="cursor-pointer text-sm font-medium">{tr!("console-deprecate")}</summary>
            <form method="post" action=DeprecateVersion::url() class="mt-2 flex flex-wrap items-end gap-2">
                <input type="hidden" name="api" value=api.clone() />
                <input type="hidden" name="version" value=version.clone() />
                <div>
                    <label for=format!("sunset-{id}") class="block text-xs font-medium">{tr!("console-sunset")}</label>
                    <input id=format!("sunset-{id}") name="sunset" type="date" required min=earliest.clone() value=earliest
                        class="mt-1 rounded-md border border-slate-300 px-2 py-1 text-sm dark:border-slate-700 dark:bg-slate-900"
                        aria-invalid=open.then_some("true") aria-describedby=open.then(|| format!("lifecycle-{id}-error")) />
                </div>
                <div>
                    <label for=format!("successor-{id}") class="block text-xs font-medium">{tr!("console-successor")}</label>
                    <select id=format!("successor-{id}") name="successor" class="mt-1 rounded-md border border-slate-300 px-2 py-1 text-sm dark:border-slate-700 dark:bg-slate-900">
                        <option value="">{tr!("console-no-successor")}</option>
                        {successors.into_iter().map(|s| view! { <option value=s.clone()>{s.clone()}</option> }).collect_view()}
                    </select>
                </div>
                <button type="submit" class=SECONDARY>{tr!("console-deprecate-submit")}</button>
            </form>
        </details>
        <form method="post" action=RetireVersion::url() class="flex flex-wrap items-center gap-2">
            <input type="hidden" name="api" value=api.clone() />
            <input type="hidden" name="version" value=version.clone() />
            {if lifecycle.confirm_retire {
                view! {
                    <input type="hidden" name="confirm" value="yes" />
                    <span id=format!("retire-{id}") class="text-sm font-medium">{tr!("console-retire-confirm", { "version" => version.clone() })}</span>
                    <button type="submit" class=DANGER aria-describedby=format!("retire-{id}")>{tr!("console-retire-yes")}</button>
                    <a href="/console/apis" class=SECONDARY>{tr!("console-cancel")}</a>
                }.into_any()
            } else {
                view! { <button type="submit" class=SECONDARY>{tr!("console-retire")}</button> }.into_any()
            }}
        </form>
        {error.map(|m| view! { <p id=format!("lifecycle-{id}-error") role="alert" class=FIELD_ERROR>{m}</p> })}
    }
}

/// `/console/apis/new` (`?edit=<api>` to start from an existing API).
#[component]
pub fn PublishApiPage() -> impl IntoView {
    view! { <PublishPage kind=Kind::Api /> }
}

/// `/console/mcp/new` (`?edit=<server>`).
#[component]
pub fn PublishMcpPage() -> impl IntoView {
    view! { <PublishPage kind=Kind::Mcp /> }
}

#[component]
fn PublishPage(kind: Kind) -> impl IntoView {
    let (edit, refused) = use_query_map().with_untracked(|q| (q.get("edit"), q.get("refused")));
    let here = match kind {
        Kind::Api => "/console/apis/new",
        Kind::Mcp => "/console/mcp/new",
    };
    let state = LoadOnce::new(publishing_form(kind.as_str().to_owned(), edit, refused));
    view! {
        <PageTitle text=if kind == Kind::Api { tr!("console-new-api") } else { tr!("console-new-mcp") } />
        <Suspense fallback=|| view! { <p aria-busy="true">{tr!("loading")}</p> }>
            {move || {
                let state = state.clone();
                Suspend::new(async move {
                    match state.get().await {
                        Ok(state) => view! { <PublishFormView kind state /> }.into_any(),
                        Err(e) => view! { <PageError error=e next=here.to_owned() /> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

/// The translated message of a field's error, with the location in the document when
/// the server gave one.
fn message(e: &FieldError) -> String {
    let code = if e.field == "form" {
        format!("error-{}", e.code.replace('_', "-"))
    } else {
        format!("publish-error-{}", e.code)
    };
    match &e.detail {
        Some(detail) => format!("{} {}", t(&code), detail),
        None => t(&code),
    }
}

#[component]
fn PublishFormView(kind: Kind, state: FormState) -> impl IntoView {
    let FormState { form, errors, .. } = state;
    let api = kind == Kind::Api;
    let error_for = {
        let errors = errors.clone();
        move |field: &str| errors.iter().find(|e| e.field == field).map(message)
    };
    let text_field = {
        let error_for = error_for.clone();
        move |name: &'static str, label: String, hint: Option<String>, value: String, required: bool| {
            let error = error_for(name);
            let id = format!("publish-{name}");
            let described = match (&error, &hint) {
                (Some(_), _) => Some(format!("{id}-error")),
                (None, Some(_)) => Some(format!("{id}-hint")),
                _ => None,
            };
            view! {
                <div>
                    <label for=id.clone() class="block text-sm font-medium">{label}</label>
                    <input id=id.clone() name=name type="text" value=value class=INPUT required=required
                        aria-invalid=error.is_some().then_some("true") aria-describedby=described />
                    {hint.map(|h| view! { <p id=format!("{id}-hint") class="mt-1 text-xs text-slate-500 dark:text-slate-400">{h}</p> })}
                    {error.map(|m| view! { <p id=format!("{id}-error") class="mt-1 text-sm text-rose-700 dark:text-rose-300">{m}</p> })}
                </div>
            }
        }
    };
    let area = {
        let error_for = error_for.clone();
        move |name: &'static str, label: String, hint: String, value: String, rows: u32, mono: bool| {
            let error = error_for(name);
            let id = format!("publish-{name}");
            let described = if error.is_some() { format!("{id}-error") } else { format!("{id}-hint") };
            let class = if mono { format!("{INPUT} font-mono") } else { INPUT.to_owned() };
            view! {
                <div>
                    <label for=id.clone() class="block text-sm font-medium">{label}</label>
                    <textarea id=id.clone() name=name rows=rows class=class spellcheck="false"
                        aria-invalid=error.is_some().then_some("true") aria-describedby=described>{crate::components::rcdata::escaped(&value)}</textarea>
                    <p id=format!("{id}-hint") class="mt-1 text-xs text-slate-500 dark:text-slate-400">{hint}</p>
                    {error.map(|m| view! { <p id=format!("{id}-error") role="alert" class="mt-1 text-sm text-rose-700 dark:text-rose-300">{m}</p> })}
                </div>
            }
        }
    };
    let editing = !form.slug.is_empty() && errors.is_empty();
    let ConsoleForm {
        name,
        slug,
        description,
        category,
        tags,
        audience,
        auth_type,
        requires_approval,
        document,
        publish,
        environments,
        tools,
        remote_url,
        ..
    } = form;
    let audience = Audience::parse(&audience).unwrap_or(Audience::Public);
    let auth_type = AuthType::parse(&auth_type).unwrap_or(AuthType::ApiKey);
    let (file_name, file_label, file_accept) = if api {
        ("document_file", tr!("publish-document-file"), ".json,.yaml,.yml,application/json,application/yaml")
    } else {
        ("tools_file", tr!("publish-tools-file"), ".json,application/json")
    };
    view! {
        <section class="mx-auto max-w-3xl">
            <p><a href="/console/apis" class="text-sm text-indigo-700 hover:underline dark:text-indigo-300">{tr!("console-back")}</a></p>
            <h1 class="mt-2 text-3xl font-bold tracking-tight">{if api { tr!("console-new-api") } else { tr!("console-new-mcp") }}</h1>
            <p class="mt-2 text-slate-600 dark:text-slate-300">{if api { tr!("publish-api-lead") } else { tr!("publish-mcp-lead") }}</p>
            {(!errors.is_empty()).then(|| view! {
                <div id="publish-errors" role="alert" tabindex="-1" class="mt-6 rounded-md bg-rose-50 p-4 text-sm text-rose-800 dark:bg-rose-950/50 dark:text-rose-200">
                    <p class="font-semibold">{tr!("error-validation")}</p>
                    <ul class="mt-2 list-disc pl-5">
                        {errors.iter().map(|e| {
                            let target = if e.field == "form" { "#publish-errors".to_owned() } else { format!("#publish-{}", e.field) };
                            view! { <li><a href=target class="underline">{message(e)}</a></li> }
                        }).collect_view()}
                    </ul>
                </div>
            })}
            <form method="post" action=UPLOAD_PATH enctype="multipart/form-data"
                class="mt-8 space-y-6 rounded-xl border border-slate-200 bg-white p-6 shadow-card dark:border-slate-800 dark:bg-slate-900">
                <input type="hidden" name="kind" value=kind.as_str() />
                {text_field("name", tr!("publish-name"), None, name, true)}
                {text_field("slug", tr!("publish-slug"), Some(if editing { tr!("publish-slug-edit-hint") } else { tr!("publish-slug-hint") }), slug, false)}
                {area("description", tr!("publish-description"), tr!("publish-description-hint"), description, 6, false)}
                <div class="grid grid-cols-1 gap-6 sm:grid-cols-2">
                    {text_field("category", tr!("publish-category"), Some(tr!("publish-category-hint")), category, false)}
                    {text_field("tags", tr!("publish-tags"), Some(tr!("publish-tags-hint")), tags, false)}
                </div>
                <div class="grid grid-cols-1 gap-6 sm:grid-cols-2">
                    <div>
                        <label for="publish-audience" class="block text-sm font-medium">{tr!("catalog-facet-audience")}</label>
                        <select id="publish-audience" name="audience" class=INPUT>
                            {[Audience::Public, Audience::Internal, Audience::Partner].into_iter().map(|a| view! {
                                <option value=a.as_str() selected=a == audience>{t(crate::components::labels::audience_key(a))}</option>
                            }).collect_view()}
                        </select>
                    </div>
                    <div>
                        <label for="publish-auth_type" class="block text-sm font-medium">{tr!("catalog-facet-auth")}</label>
                        <select id="publish-auth_type" name="auth_type" class=INPUT>
                            {[AuthType::ApiKey, AuthType::OAuth2, AuthType::None].into_iter().map(|a| view! {
                                <option value=a.as_str() selected=a == auth_type>{t(crate::components::labels::auth_key(a))}</option>
                            }).collect_view()}
                        </select>
                    </div>
                </div>
                <div class="flex items-center gap-2">
                    <input id="publish-requires_approval" name="requires_approval" type="checkbox" checked=requires_approval class="h-4 w-4" />
                    <label for="publish-requires_approval" class="text-sm">{tr!("api-requires-approval")}</label>
                </div>
                {if api {
                    area("document", tr!("publish-document"), tr!("publish-document-hint"), document, 14, true).into_any()
                } else {
                    view! {
                        {text_field("remote_url", tr!("publish-remote-url"), Some(tr!("publish-remote-url-hint")), remote_url, false)}
                        {area("tools", tr!("publish-tools"), tr!("publish-tools-hint"), tools, 14, true)}
                    }.into_any()
                }}
                <div>
                    <label for=format!("publish-{file_name}") class="block text-sm font-medium">{file_label}</label>
                    <input id=format!("publish-{file_name}") name=file_name type="file" accept=file_accept class="mt-1 block w-full text-sm" />
                </div>
                {api.then(|| view! {
                    <fieldset>
                        <legend class="text-sm font-medium">{tr!("publish-environments")}</legend>
                        <div class="mt-2 flex flex-wrap gap-4">
                            {ENVIRONMENTS.iter().map(|e| {
                                let id = format!("publish-env-{e}");
                                view! {
                                    <label for=id.clone() class="flex items-center gap-2 text-sm">
                                        <input id=id.clone() name="environments" type="checkbox" value=*e checked=environments.iter().any(|x| x == e) class="h-4 w-4" />
                                        {t(&format!("env-{e}"))}
                                    </label>
                                }
                            }).collect_view()}
                        </div>
                        {error_for("environments").map(|m| view! { <p class="mt-1 text-sm text-rose-700 dark:text-rose-300">{m}</p> })}
                    </fieldset>
                    <div class="flex items-center gap-2">
                        <input id="publish-publish" name="publish" type="checkbox" checked=publish class="h-4 w-4" />
                        <label for="publish-publish" class="text-sm">{tr!("publish-now")}</label>
                    </div>
                })}
                <div class="flex gap-3">
                    <button type="submit" class=BUTTON>{if api { tr!("publish-submit-api") } else { tr!("publish-submit-mcp") }}</button>
                    <a href="/console/apis" class=SECONDARY>{tr!("console-cancel")}</a>
                </div>
            </form>
        </section>
    }
}

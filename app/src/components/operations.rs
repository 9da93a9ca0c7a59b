//! The OpenAPI operations view: an API version's operations rendered on the server from its
//! document — parameters, bodies, responses, schemas with `$ref`s resolved — each with its
//! "Try it" form and answer.

use crate::i18n::t;
use crate::model::tryit::{TryResult, TRY_PATH};
use crate::tr;
use leptos::prelude::*;
use serde_json::Value;
use std::sync::Arc;

/// How deep nested schemas are unfolded before "…".
const SCHEMA_DEPTH: usize = 6;

/// Up to this many operations, every one is rendered in full on the page; beyond it the
/// page lists them and renders in full only the one chosen (`?op=`), so a document of
/// thousands of operations stays a page of reasonable size.
const INLINE_OPERATIONS: usize = 40;

/// Operations grouped by their first tag, paths in alphabetical order.
#[component]
pub fn Operations(spec: Arc<Value>, page: String, selected: Option<String>, try_it: TryIt) -> impl IntoView {
    let mut groups: Vec<(String, Vec<AnyView>)> = Vec::new();
    let count: usize = spec
        .get("paths")
        .and_then(Value::as_object)
        .map(|p| {
            p.values()
                .map(|i| crate::domain::openapi::METHODS.iter().filter(|m| i.get(**m).is_some()).count())
                .sum()
        })
        .unwrap_or(0);
    let inline = count <= INLINE_OPERATIONS;
    if let Some(paths) = spec.get("paths").and_then(Value::as_object) {
        // Postgres' jsonb does not keep key order: show paths alphabetically.
        let mut paths: Vec<(&String, &Value)> = paths.iter().collect();
        paths.sort_by(|a, b| a.0.cmp(b.0));
        for (path, item) in paths {
            let shared = item.get("parameters").and_then(Value::as_array).cloned().unwrap_or_default();
            for method in crate::domain::openapi::METHODS {
                let Some(op) = item.get(method) else { continue };
                let tag = op
                    .get("tags")
                    .and_then(Value::as_array)
                    .and_then(|t| t.first())
                    .and_then(Value::as_str)
                    .unwrap_or("default")
                    .to_owned();
                let anchor = format!(
                    "op-{method}-{}",
                    path.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '-' }).collect::<String>()
                );
                let view = if inline || selected.as_deref() == Some(anchor.as_str()) {
                    // The operation a link (or the way back from signing in) names is open.
                    let open = !inline
                        || selected.as_deref() == Some(anchor.as_str())
                        || try_it.tried.as_ref().is_some_and(|t| t.form.op == anchor);
                    operation(
                        &spec,
                        OpAt { path, method, op, shared: &shared, anchor: &anchor },
                        open,
                        &try_it,
                    )
                } else {
                    operation_link(path, method, op, &format!("{page}&op={anchor}#{anchor}"))
                };
                match groups.iter_mut().find(|(t, _)| *t == tag) {
                    Some((_, ops)) => ops.push(view),
                    None => groups.push((tag, vec![view])),
                }
            }
        }
    }
    view! {
        <section class="mt-10" aria-labelledby="operations">
            <h2 id="operations" class="text-xl font-semibold">{tr!("api-operations")}</h2>
            {(!inline).then(|| view! { <p class="mt-2 text-sm text-slate-600 dark:text-slate-400">{tr!("api-operations-many", { "count" => count })}</p> })}
            {groups.into_iter().map(|(tag, ops)| view! {
                <section class="mt-6">
                    <h3 class="text-lg font-semibold">{tag}</h3>
                    <div class="mt-2 space-y-2">{ops}</div>
                </section>
            }).collect_view()}
        </section>
    }
}

fn method_class(method: &str) -> &'static str {
    match method {
        "get" => "bg-sky-100 text-sky-900 dark:bg-sky-950 dark:text-sky-200",
        "post" => "bg-emerald-100 text-emerald-900 dark:bg-emerald-950 dark:text-emerald-200",
        "put" | "patch" => "bg-amber-100 text-amber-900 dark:bg-amber-950 dark:text-amber-200",
        "delete" => "bg-rose-100 text-rose-900 dark:bg-rose-950 dark:text-rose-200",
        _ => "bg-slate-100 text-slate-900 dark:bg-slate-800 dark:text-slate-200",
    }
}

fn text<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
    v.get(key).and_then(Value::as_str)
}

/// A compact row linking to the operation's full rendering (large documents).
fn operation_link(path: &str, method: &str, op: &Value, href: &str) -> AnyView {
    view! {
        <a href=href.to_owned() class="flex flex-wrap items-center gap-3 rounded-lg border border-slate-200 bg-white px-4 py-2 hover:border-indigo-400 dark:border-slate-800 dark:bg-slate-900">
            <span class=format!("w-16 rounded px-2 py-0.5 text-center font-mono text-xs font-bold uppercase {}", method_class(method))>{method.to_owned()}</span>
            <code class="font-mono text-sm">{path.to_owned()}</code>
            <span class="text-sm text-slate-600 dark:text-slate-400">{text(op, "summary").unwrap_or_default().to_owned()}</span>
        </a>
    }
    .into_any()
}

/// One operation of the document, where it is and how the page names it.
struct OpAt<'a> {
    path: &'a str,
    method: &'a str,
    op: &'a Value,
    /// Path-level parameters.
    shared: &'a [Value],
    anchor: &'a str,
}

fn operation(root: &Value, at: OpAt<'_>, open: bool, try_it: &TryIt) -> AnyView {
    let OpAt { path, method, op, shared, anchor } = at;
    let resolve = |v: &Value| crate::domain::openapi::resolve(root, v, 8).clone();
    let mut params: Vec<Value> = shared.iter().map(resolve).collect();
    for p in op.get("parameters").and_then(Value::as_array).into_iter().flatten() {
        let p = resolve(p);
        params.retain(|q| !(text(q, "name") == text(&p, "name") && text(q, "in") == text(&p, "in")));
        params.push(p);
    }
    let description = text(op, "description").map(crate::markdown::to_safe_html);
    let body = op.get("requestBody").map(resolve);
    let responses: Vec<(String, Value)> = op
        .get("responses")
        .and_then(Value::as_object)
        .map(|m| m.iter().map(|(k, v)| (k.clone(), resolve(v))).collect())
        .unwrap_or_default();
    let deprecated = op.get("deprecated").and_then(Value::as_bool).unwrap_or(false);
    let try_section = try_form(try_it, path, method, anchor, &params, body.as_ref());
    let th = "py-1 pr-4 text-left text-xs font-semibold uppercase text-slate-500";
    view! {
        <details id=anchor.to_owned() open=open class="group rounded-lg border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
            <summary class="flex cursor-pointer flex-wrap items-center gap-3 px-4 py-3">
                <span class=format!("w-16 rounded px-2 py-0.5 text-center font-mono text-xs font-bold uppercase {}", method_class(method))>{method.to_owned()}</span>
                <code class=if deprecated { "font-mono text-sm line-through" } else { "font-mono text-sm" }>{path.to_owned()}</code>
                <span class="text-sm text-slate-600 dark:text-slate-400">{text(op, "summary").unwrap_or_default().to_owned()}</span>
            </summary>
            <div class="border-t border-slate-200 px-4 py-4 text-sm dark:border-slate-800">
                {description.map(|html| view! { <div class="mb-4 [&_p]:mt-2" inner_html=html></div> })}
                {(!params.is_empty()).then(|| view! {
                    <h4 class="font-semibold">{tr!("api-parameters")}</h4>
                    <div class="overflow-x-auto">
                    <table class="mt-2 w-full">
                        <thead><tr>
                            <th scope="col" class=th>{tr!("api-param-name")}</th>
                            <th scope="col" class=th>{tr!("api-param-in")}</th>
                            <th scope="col" class=th>{tr!("api-param-type")}</th>
                            <th scope="col" class=th>{tr!("api-param-description")}</th>
                        </tr></thead>
                        <tbody>
                            {params.iter().map(|p| {
                                let required = p.get("required").and_then(Value::as_bool).unwrap_or(false);
                                view! {
                                    <tr class="align-top">
                                        <td class="py-1 pr-4 font-mono">{text(p, "name").unwrap_or_default().to_owned()}{required.then_some(" *")}</td>
                                        <td class="py-1 pr-4">{text(p, "in").unwrap_or_default().to_owned()}</td>
                                        <td class="py-1 pr-4 font-mono">{p.get("schema").map(|s| type_label(root, s)).unwrap_or_default()}</td>
                                        <td class="py-1 [&_code]:font-mono" inner_html=crate::markdown::to_safe_inline_html(text(p, "description").unwrap_or_default())></td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                    </div>
                })}
                {body.map(|b| view! {
                    <h4 class="mt-4 font-semibold">{tr!("api-request-body")}</h4>
                    {media(root, &b)}
                })}
                <h4 class="mt-4 font-semibold">{tr!("api-responses")}</h4>
                <ul class="mt-2 space-y-3">
                    {responses.iter().map(|(code, r)| view! {
                        <li>
                            <span class="font-mono font-semibold">{code.clone()}</span>
                            " " <span class="[&_code]:font-mono" inner_html=crate::markdown::to_safe_inline_html(text(r, "description").unwrap_or_default())></span>
                            {media(root, r)}
                        </li>
                    }).collect_view()}
                </ul>
                {try_section}
            </div>
        </details>
    }
    .into_any()
}

/// The schema and example of the first media type of a request body or response.
fn media(root: &Value, holder: &Value) -> AnyView {
    let Some((content_type, media)) =
        holder.get("content").and_then(Value::as_object).and_then(|c| c.iter().next())
    else {
        return ().into_any();
    };
    let example = media
        .get("example")
        .or_else(|| {
            media
                .get("examples")
                .and_then(Value::as_object)
                .and_then(|e| e.values().next())
                .and_then(|e| e.get("value"))
        })
        .map(|e| serde_json::to_string_pretty(e).unwrap_or_default());
    view! {
        <div class="mt-1 rounded-md bg-slate-50 p-3 dark:bg-slate-950">
            <p class="font-mono text-xs text-slate-500">{content_type.clone()}</p>
            {media.get("schema").map(|s| schema_tree(root, s, 0, &mut Vec::new()))}
            {example.map(|e| view! {
                <p class="mt-2 text-xs font-semibold uppercase text-slate-500">{tr!("api-example")}</p>
                <pre class="mt-1 overflow-x-auto text-xs">{e}</pre>
            })}
        </div>
    }
    .into_any()
}

/// A one-line type: `string (uuid)`, `array of Pet`, `Pet`.
fn type_label(root: &Value, schema: &Value) -> String {
    if let Some(name) = text(schema, "$ref").and_then(|r| r.rsplit('/').next()) {
        return name.to_owned();
    }
    let schema = crate::domain::openapi::resolve(root, schema, 8);
    let ty = match schema.get("type") {
        Some(Value::String(t)) => t.clone(),
        Some(Value::Array(list)) => list.iter().filter_map(Value::as_str).collect::<Vec<_>>().join(" | "),
        _ if schema.get("properties").is_some() => "object".into(),
        _ => "any".into(),
    };
    if ty == "array" {
        let item = schema.get("items").map(|i| type_label(root, i)).unwrap_or_else(|| "any".into());
        return format!("array of {item}");
    }
    match text(schema, "format") {
        Some(f) => format!("{ty} ({f})"),
        None => ty,
    }
}

/// A schema unfolded as nested property lists, `$ref`s resolved, up to [`SCHEMA_DEPTH`].
fn schema_tree(root: &Value, schema: &Value, depth: usize, seen: &mut Vec<String>) -> AnyView {
    // A schema that contains itself (directly or not) is named, not unfolded again.
    let reference = text(schema, "$ref").map(str::to_owned);
    if let Some(r) = &reference {
        if seen.contains(r) {
            return view! { <p class="ml-4 text-slate-500">"↺ " {r.rsplit('/').next().unwrap_or_default().to_owned()}</p> }.into_any();
        }
        seen.push(r.clone());
    }
    let label = type_label(root, schema);
    let resolved = crate::domain::openapi::resolve(root, schema, 8);
    let target = if text(resolved, "type") == Some("array") {
        resolved.get("items").map(|i| crate::domain::openapi::resolve(root, i, 8)).unwrap_or(resolved)
    } else {
        resolved
    };
    let props = target.get("properties").and_then(Value::as_object);
    let required: Vec<&str> = target
        .get("required")
        .and_then(Value::as_array)
        .map(|r| r.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let nested = match props {
        Some(_) if depth >= SCHEMA_DEPTH => view! { <p class="ml-4 text-slate-500">"…"</p> }.into_any(),
        Some(props) => view! {
            <ul class="ml-4 mt-1 space-y-1 border-l border-slate-200 pl-3 dark:border-slate-800">
                {props.iter().map(|(name, p)| {
                    let is_required = required.contains(&name.as_str());
                    let inner = crate::domain::openapi::resolve(root, p, 8);
                    let has_children = inner.get("properties").is_some()
                        || inner.get("items").map(|i| crate::domain::openapi::resolve(root, i, 8).get("properties").is_some()).unwrap_or(false);
                    view! {
                        <li>
                            <span class="font-mono">{name.clone()}</span>
                            {is_required.then(|| view! { <span class="text-rose-700 dark:text-rose-300" title=tr!("api-required")>" *"</span> })}
                            " " <span class="font-mono text-xs text-slate-500">{type_label(root, p)}</span>
                            {text(inner, "description").map(|d| view! { <span class="text-slate-600 dark:text-slate-400">" — " <span inner_html=crate::markdown::to_safe_inline_html(d)></span></span> })}
                            {has_children.then(|| schema_tree(root, p, depth + 1, seen))}
                        </li>
                    }
                }).collect_view()}
            </ul>
        }
        .into_any(),
        None => ().into_any(),
    };
    if reference.is_some() {
        seen.pop();
    }
    view! {
        <div>
            {(depth == 0).then(|| view! { <p class="font-mono text-xs">{label}</p> })}
            {nested}
        </div>
    }
    .into_any()
}

/// What the try-it forms of a page need to know.
#[derive(Clone)]
pub struct TryIt {
    pub tenant: String,
    pub api: String,
    pub version: String,
    /// Environments where this version runs at a registered server.
    pub environments: Vec<String>,
    pub signed_in: bool,
    /// This page (with its version), to come back to after signing in.
    pub back: String,
    pub tried: Option<TryResult>,
    /// The user's applications whose key may go with a try: (id, name).
    pub apps: Vec<(String, String)>,
}

/// The "Try it" form of an operation, and the last answer when it was this operation's.
fn try_form(
    try_it: &TryIt,
    path: &str,
    method: &str,
    anchor: &str,
    params: &[Value],
    body: Option<&Value>,
) -> AnyView {
    let input = "mt-1 block w-full rounded-md border border-slate-300 bg-white px-3 py-1.5 font-mono text-sm dark:border-slate-700 dark:bg-slate-950";
    let heading = view! { <h4 class="mt-6 border-t border-slate-200 pt-4 font-semibold dark:border-slate-800">{tr!("tryit-heading")}</h4> };
    if !try_it.signed_in {
        let login = format!(
            "/login?next={}",
            crate::auth::encode_next(Some(&format!("{}&op={anchor}#{anchor}", try_it.back)))
        );
        return view! { {heading} <p class="mt-2"><a href=login class="text-indigo-700 underline dark:text-indigo-300">{tr!("tryit-sign-in")}</a></p> }.into_any();
    }
    if try_it.environments.is_empty() {
        return view! { {heading} <p class="mt-2 text-slate-600 dark:text-slate-400">{tr!("tryit-not-deployed")}</p> }.into_any();
    }
    let tried = try_it.tried.as_ref().filter(|t| t.form.op == anchor);
    let previous =
        |location: &str, name: &str| tried.and_then(|t| t.form.value(location, name)).map(str::to_owned);
    let fields: Vec<AnyView> = params
        .iter()
        .filter_map(|p| {
            let location = text(p, "in")?;
            if !matches!(location, "path" | "query" | "header") {
                return None;
            }
            let name = text(p, "name")?;
            let required = p.get("required").and_then(Value::as_bool).unwrap_or(false) || location == "path";
            let id = format!("{anchor}-try-{location}-{name}");
            let example = p.get("example").or_else(|| p.pointer("/schema/example")).or_else(|| p.pointer("/schema/default"))
                .map(|e| e.as_str().map(str::to_owned).unwrap_or_else(|| e.to_string()));
            let value = previous(location, name).or(if location == "path" { example } else { None }).unwrap_or_default();
            Some(view! {
                <div>
                    <label for=id.clone() class="block text-xs font-medium"><span class="font-mono">{name.to_owned()}</span> " (" {location.to_owned()} ")" {required.then_some(" *")}</label>
                    <input id=id name=format!("p.{location}.{name}") type="text" value=value required=required class=input />
                </div>
            }.into_any())
        })
        .collect();
    let body_text = body.map(|b| {
        tried.map(|t| t.form.body.clone()).unwrap_or_else(|| {
            b.pointer("/content")
                .and_then(Value::as_object)
                .and_then(|c| c.values().next())
                .and_then(|m| m.get("example"))
                .map(|e| serde_json::to_string_pretty(e).unwrap_or_default())
                .unwrap_or_default()
        })
    });
    let chosen_env = tried.map(|t| t.form.environment.clone());
    let chosen_app =
        tried.map(|t| t.form.application.clone()).or_else(|| try_it.apps.first().map(|a| a.0.clone()));
    let app_id = format!("{anchor}-try-app");
    let env_id = format!("{anchor}-try-env");
    let body_id = format!("{anchor}-try-body");
    view! {
        {heading}
        <form method="post" action=TRY_PATH class="mt-2 space-y-3" data-try=anchor.to_owned()>
            <input type="hidden" name="tenant" value=try_it.tenant.clone() />
            <input type="hidden" name="api" value=try_it.api.clone() />
            <input type="hidden" name="version" value=try_it.version.clone() />
            <input type="hidden" name="method" value=method.to_owned() />
            <input type="hidden" name="path" value=path.to_owned() />
            <input type="hidden" name="op" value=anchor.to_owned() />
            <div>
                <label for=env_id.clone() class="block text-xs font-medium">{tr!("console-environment")}</label>
                <select id=env_id name="environment" class=input>
                    {try_it.environments.iter().map(|e| view! {
                        <option value=e.clone() selected=chosen_env.as_deref() == Some(e.as_str())>{t(&format!("env-{e}"))}</option>
                    }).collect_view()}
                </select>
            </div>
            <div>
                <label for=app_id.clone() class="block text-xs font-medium">{tr!("tryit-application")}</label>
                <select id=app_id name="application" class=input>
                    <option value="">{tr!("tryit-no-application")}</option>
                    {try_it.apps.iter().map(|(id, name)| view! {
                        <option value=id.clone() selected=chosen_app.as_deref() == Some(id.as_str())>{name.clone()}</option>
                    }).collect_view()}
                </select>
                {try_it.apps.is_empty().then(|| view! { <p class="mt-1 text-xs"><a href="/apps/new" class="text-indigo-700 underline dark:text-indigo-300">{tr!("tryit-no-apps")}</a></p> })}
            </div>
            <div class="grid grid-cols-1 gap-3 sm:grid-cols-2">{fields}</div>
            {body_text.map(|b| view! {
                <div>
                    <label for=body_id.clone() class="block text-xs font-medium">{tr!("api-request-body")}</label>
                    <textarea id=body_id name="body" rows="6" class=input spellcheck="false">{crate::components::rcdata::escaped(&b)}</textarea>
                </div>
            })}
            <p class="text-xs text-slate-500 dark:text-slate-400">{tr!("tryit-note")}</p>
            <button type="submit" class="rounded-md bg-indigo-600 px-4 py-1.5 text-sm font-semibold text-white hover:bg-indigo-500">{tr!("tryit-send")}</button>
        </form>
        {tried.map(try_answer)}
    }
    .into_any()
}

/// The answer (or the refusal) of the last try.
fn try_answer(tried: &TryResult) -> AnyView {
    let summary = match (&tried.error, tried.status) {
        (Some(code), _) => view! { <p role="alert" class="font-medium text-rose-700 dark:text-rose-300">{t(&format!("tryit-error-{code}"))}</p> }.into_any(),
        (None, Some(status)) => {
            let class = if status < 400 { "text-emerald-700 dark:text-emerald-300" } else { "text-rose-700 dark:text-rose-300" };
            view! {
                <p class="font-medium">
                    <span class=format!("font-mono {class}") data-status=status.to_string()>{tr!("tryit-status", { "status" => status })}</span>
                    " · " {tr!("tryit-latency", { "ms" => tried.latency_ms })}
                </p>
            }.into_any()
        }
        (None, None) => ().into_any(),
    };
    view! {
        <section class="mt-4 rounded-md border border-slate-200 bg-slate-50 p-3 dark:border-slate-800 dark:bg-slate-950" aria-label=tr!("tryit-answer") id="try-answer">
            {(!tried.request_line.is_empty()).then(|| view! { <p class="break-all font-mono text-xs text-slate-500">{tried.request_line.clone()}</p> })}
            {summary}
            {tried.credential.then(|| view! { <p class="text-xs text-slate-500">{tr!("tryit-with-credential")}</p> })}
            {(!tried.headers.is_empty()).then(|| view! {
                <details class="mt-2">
                    <summary class="cursor-pointer text-xs font-semibold uppercase text-slate-500">{tr!("tryit-headers")}</summary>
                    <dl class="mt-1 grid grid-cols-[auto_1fr] gap-x-3 font-mono text-xs">
                        {tried.headers.iter().map(|(k, v)| view! { <dt class="text-slate-500">{k.clone()}</dt><dd class="break-all">{v.clone()}</dd> }).collect_view()}
                    </dl>
                </details>
            })}
            // A JSON answer reads indented; the bytes as they came stay one click away.
            {tried.status.is_some().then(|| match serde_json::from_str::<Value>(&tried.body).ok().filter(|v| v.is_object() || v.is_array()) {
                Some(json) => view! {
                    <pre class="mt-2 max-h-96 overflow-auto whitespace-pre-wrap break-all text-xs" data-try-body="" data-pretty="">
                        {serde_json::to_string_pretty(&json).unwrap_or_default()}
                    </pre>
                    <details class="mt-2">
                        <summary class="cursor-pointer text-xs font-semibold uppercase text-slate-500">{tr!("tryit-raw")}</summary>
                        <pre class="mt-1 max-h-96 overflow-auto whitespace-pre-wrap break-all text-xs" data-try-raw="">{tried.body.clone()}</pre>
                    </details>
                }.into_any(),
                None => view! {
                    <pre class="mt-2 max-h-96 overflow-auto whitespace-pre-wrap break-all text-xs" data-try-body="">{tried.body.clone()}</pre>
                }.into_any(),
            })}
            {tried.truncated.then(|| view! { <p class="mt-1 text-xs text-slate-500">{tr!("tryit-truncated")}</p> })}
        </section>
    }
    .into_any()
}

//! `/apps`: the signed-in user's applications; `/apps/new` and `/apps/:id`: one
//! application — its details form, its credentials (issue, rotate with a grace period,
//! revoke; a new secret is shown once), and deletion after confirmation. Plain forms.

use crate::api::applications::{
    application_page, my_applications, DeleteApplication, IssueCredential, RevokeCredential,
    RotateCredential, SaveApplication,
};
use crate::components::copy::CopyButton;
use crate::components::error_view::PageError;
use crate::components::load_once::LoadOnce;
use crate::components::rcdata::PageTitle;
use crate::components::subscribe::AppSubscriptions;
use crate::components::ui::{BUTTON, CARD, DANGER, INPUT, SECONDARY};
use crate::domain::credential::Status;
use crate::error::FieldError;
use crate::i18n::t;
use crate::model::applications::{
    AppDetail, AppForm, AppSummary, CredentialInfo, IssuedSecret, RefusedApp, SecurityProfile,
};
use crate::tr;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_router::hooks::{use_params_map, use_query_map};

/// `/apps`.
#[component]
pub fn AppsPage() -> impl IntoView {
    let deleted = use_query_map().with_untracked(|q| q.get("deleted").is_some());
    let apps = LoadOnce::new(my_applications());
    view! {
        <PageTitle text=tr!("apps-title") />
        <Suspense fallback=|| view! { <p aria-busy="true">{tr!("loading")}</p> }>
            {move || {
                let apps = apps.clone();
                Suspend::new(async move {
                    match apps.get().await {
                        Ok(apps) => view! { <AppList apps deleted /> }.into_any(),
                        Err(e) => view! { <PageError error=e next="/apps".to_owned() /> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

#[component]
fn AppList(apps: Vec<AppSummary>, deleted: bool) -> impl IntoView {
    let empty = apps.is_empty();
    view! {
        <section>
            <div class="flex flex-wrap items-end justify-between gap-4">
                <div>
                    <h1 class="text-3xl font-bold tracking-tight">{tr!("apps-heading")}</h1>
                    <p class="mt-2 text-slate-600 dark:text-slate-300">{tr!("apps-lead")}</p>
                </div>
                <a href="/apps/new" class=BUTTON>{tr!("apps-new")}</a>
            </div>
            {deleted.then(|| view! { <p role="status" class="mt-6 rounded-md bg-emerald-50 p-3 text-sm text-emerald-900 dark:bg-emerald-950/50 dark:text-emerald-100">{tr!("apps-deleted")}</p> })}
            {empty.then(|| view! {
                <p class="mt-10 rounded-xl border border-dashed border-slate-300 p-8 text-center text-slate-600 dark:border-slate-700 dark:text-slate-300">{tr!("apps-empty")}</p>
            })}
            <ul class="mt-8 grid grid-cols-1 gap-4 sm:grid-cols-2">
                {apps.into_iter().map(|a| view! {
                    <li class="rounded-xl border border-slate-200 bg-white p-5 shadow-card dark:border-slate-800 dark:bg-slate-900">
                        <h2 class="text-lg font-semibold"><a href=format!("/apps/{}", a.id) class="hover:underline">{a.name.clone()}</a></h2>
                        <p class="mt-1 text-sm text-slate-600 dark:text-slate-400">{a.description.clone()}</p>
                        <p class="mt-3 text-xs text-slate-500">
                            {t(&format!("apps-profile-{}", a.security_profile.as_str()))} " · " {tr!("apps-credential-count", { "count" => a.credentials })}
                        </p>
                    </li>
                }).collect_view()}
            </ul>
        </section>
    }
}

/// `/apps/:id` (and `/apps/new`).
#[component]
pub fn AppPage() -> impl IntoView {
    let id = use_params_map().with_untracked(|p| p.get("id")).unwrap_or_default();
    let (issued, refused, confirm, revoked, error, saved) = use_query_map().with_untracked(|q| {
        (
            q.get("issued"),
            q.get("refused"),
            q.get("confirm"),
            q.get("revoked").is_some(),
            q.get("error"),
            q.get("saved"),
        )
    });
    let here = format!("/apps/{id}");
    let page = LoadOnce::new(application_page(id, issued, refused));
    view! {
        <Suspense fallback=|| view! { <p aria-busy="true">{tr!("loading")}</p> }>
            {move || {
                let (page, confirm, here, error, saved) = (page.clone(), confirm.clone(), here.clone(), error.clone(), saved.clone());
                Suspend::new(async move {
                    match page.get().await {
                        Ok((detail, issued, refused)) => view! { <AppView detail issued refused confirm revoked error saved /> }.into_any(),
                        Err(e) => view! { <PageError error=e next=here /> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

fn message(e: &FieldError) -> String {
    match &e.detail {
        Some(detail) => format!("{} {detail}", t(&format!("apps-error-{}", e.code))),
        None => t(&format!("apps-error-{}", e.code)),
    }
}

#[component]
fn AppView(
    detail: Option<AppDetail>,
    issued: Option<IssuedSecret>,
    refused: Option<RefusedApp>,
    confirm: Option<String>,
    revoked: bool,
    error: Option<String>,
    saved: Option<String>,
) -> impl IntoView {
    let title = detail.as_ref().map(|d| d.name.clone()).unwrap_or_else(|| tr!("apps-new"));
    let (form, errors) = match (refused, &detail) {
        (Some(r), _) => (r.form, r.errors),
        (None, Some(d)) => (
            AppForm {
                name: d.name.clone(),
                description: d.description.clone(),
                security_profile: d.security_profile.as_str().to_owned(),
                redirect_uris: d.redirect_uris.join("\n"),
            },
            vec![],
        ),
        (None, None) => (AppForm { security_profile: "api_key".into(), ..Default::default() }, vec![]),
    };
    view! {
        <PageTitle text=format!("{title} · STOA") />
        <section class="mx-auto max-w-3xl">
            <p><a href="/apps" class="text-sm text-indigo-700 hover:underline dark:text-indigo-300">{tr!("apps-back")}</a></p>
            <h1 class="mt-2 text-3xl font-bold tracking-tight">{title}</h1>
            {detail.as_ref().map(|d| view! {
                <p class="mt-2 text-sm text-slate-600 dark:text-slate-400">
                    {tr!("apps-client-id")} " " <code class="font-mono">{d.client_id.clone()}</code>
                    " · " <a href=format!("/usage?period=7d&application={}", d.id) class="text-indigo-700 underline hover:no-underline dark:text-indigo-300">{tr!("usage-of-this-application")}</a>
                </p>
            })}
            {saved.filter(|_| detail.is_some()).map(|s| view! {
                <p role="status" class="mt-6 rounded-md bg-emerald-50 p-3 text-sm text-emerald-900 dark:bg-emerald-950/50 dark:text-emerald-100" data-saved=s.clone()>
                    {if s == "created" { tr!("apps-created") } else { tr!("apps-updated") }}
                </p>
            })}
            {issued.map(|s| view! { <Issued secret=s /> })}
            {revoked.then(|| view! { <p role="status" class="mt-6 rounded-md bg-emerald-50 p-3 text-sm text-emerald-900 dark:bg-emerald-950/50 dark:text-emerald-100">{tr!("apps-revoked")}</p> })}
            {error.map(|_| view! { <p role="alert" class="mt-6 rounded-md bg-rose-50 p-3 text-sm text-rose-800 dark:bg-rose-950/50 dark:text-rose-200">{tr!("apps-error-out-of-range")}</p> })}
            {detail.clone().map(|d| view! { <Credentials detail=d confirm=confirm.clone() /> })}
            {detail.clone().map(|d| view! { <AppSubscriptions app=d.id.to_string() subscriptions=d.subscriptions confirm=confirm.clone() /> })}
            <AppFormView id=detail.as_ref().map(|d| d.id.to_string()) form errors />
            {detail.map(|d| view! { <DangerZone id=d.id.to_string() name=d.name confirm=confirm.clone() /> })}
        </section>
    }
}

#[component]
fn Issued(secret: IssuedSecret) -> impl IntoView {
    view! {
        <div role="alert" class="mt-6 rounded-xl border-2 border-amber-400 bg-amber-50 p-5 dark:bg-amber-950/40" id="issued-secret">
            <h2 class="font-semibold">{tr!("apps-issued-heading")}</h2>
            <p class="mt-1 text-sm">{tr!("apps-issued-once")}</p>
            <label for="issued-value" class="sr-only">{tr!("apps-issued-heading")}</label>
            <input id="issued-value" type="text" readonly value=secret.secret.clone() class=format!("{INPUT} font-mono") />
            <CopyButton target="issued-value" />
            {secret.grace_until.map(|g| view! { <p class="mt-2 text-sm">{tr!("apps-issued-grace", { "until" => crate::components::when::exact(&g) })}</p> })}
        </div>
    }
}

#[component]
fn Credentials(detail: AppDetail, confirm: Option<String>) -> impl IntoView {
    let kind_label = if detail.security_profile == SecurityProfile::Oauth2Confidential {
        tr!("apps-new-secret")
    } else {
        tr!("apps-new-key")
    };
    let app = detail.id.to_string();
    view! {
        <section class=CARD id="credentials" aria-labelledby="credentials-heading">
            <h2 id="credentials-heading" class="text-xl font-semibold">{tr!("apps-credentials")}</h2>
            {detail.credentials.is_empty().then(|| view! { <p class="mt-2 text-sm text-slate-600 dark:text-slate-400">{tr!("apps-no-credentials")}</p> })}
            <ul class="mt-4 space-y-3">
                {detail.credentials.into_iter().map(|c| view! { <Credential c app=app.clone() confirm=confirm.clone() /> }).collect_view()}
            </ul>
            <form method="post" action=IssueCredential::url() class="mt-6 flex flex-wrap items-end gap-3">
                <input type="hidden" name="application" value=app.clone() />
                <div>
                    <label for="expires_in_days" class="block text-sm font-medium">{tr!("apps-expires-in")}</label>
                    <input id="expires_in_days" name="expires_in_days" type="number" min="1" max="3650" placeholder=tr!("apps-never") class=INPUT />
                </div>
                <button type="submit" class=BUTTON>{kind_label}</button>
            </form>
        </section>
    }
}

#[component]
fn Credential(c: CredentialInfo, app: String, confirm: Option<String>) -> impl IntoView {
    let status = if c.status == Status::Rotated && c.usable {
        tr!("apps-status-grace", { "until" => crate::components::when::exact(&c.grace_until.clone().unwrap_or_default()) })
    } else if c.status == Status::Active && !c.usable {
        tr!("apps-status-expired")
    } else {
        t(&format!("apps-status-{}", c.status.as_str()))
    };
    let id = c.id.to_string();
    let confirming = confirm.as_deref() == Some(format!("revoke-{id}").as_str());
    view! {
        <li class="rounded-lg border border-slate-200 p-3 text-sm dark:border-slate-800" data-credential=c.prefix.clone()>
            <div class="flex flex-wrap items-center justify-between gap-2">
                <span><code class="font-mono">{format!("{}…", c.prefix)}</code> " · " {status}</span>
                <span class="text-xs text-slate-500"><crate::components::when::When at=c.created_at.clone() />{c.expires_at.clone().map(|e| view! { " → " <crate::components::when::When at=e /> })}</span>
            </div>
            {(c.status == Status::Active && c.usable).then(|| view! {
                <div class="mt-3 flex flex-wrap items-end gap-3">
                    <form method="post" action=RotateCredential::url() class="flex items-end gap-2">
                        <input type="hidden" name="credential" value=id.clone() />
                        <div>
                            <label for=format!("grace-{id}") class="block text-xs font-medium">{tr!("apps-grace-hours")}</label>
                            <input id=format!("grace-{id}") name="grace_hours" type="number" min="1" max="168" value="24" class="mt-1 w-24 rounded-md border border-slate-300 px-2 py-1 dark:border-slate-700 dark:bg-slate-900" />
                        </div>
                        <button type="submit" class=SECONDARY>{tr!("apps-rotate")}</button>
                    </form>
                    {if confirming {
                        view! {
                            <form method="post" action=RevokeCredential::url() class="flex items-center gap-2" role="group" aria-label=tr!("apps-revoke-confirm")>
                                <input type="hidden" name="credential" value=id.clone() />
                                <span>{tr!("apps-revoke-confirm")}</span>
                                <button type="submit" class=DANGER>{tr!("apps-revoke-yes")}</button>
                                <a href=format!("/apps/{app}#credentials") class=SECONDARY>{tr!("console-cancel")}</a>
                            </form>
                        }.into_any()
                    } else {
                        view! { <a href=format!("?confirm=revoke-{id}#credentials") class=SECONDARY>{tr!("apps-revoke")}</a> }.into_any()
                    }}
                </div>
            })}
        </li>
    }
}

#[component]
fn AppFormView(id: Option<String>, form: AppForm, errors: Vec<FieldError>) -> impl IntoView {
    let error_for = |field: &str| errors.iter().find(|e| e.field == field).map(message);
    let field_error = move |field: &'static str| {
        error_for(field).map(|m| view! { <p id=format!("app-{field}-error") class="mt-1 text-sm text-rose-700 dark:text-rose-300">{m}</p> })
    };
    let invalid = |field: &str| errors.iter().any(|e| e.field == field).then_some("true");
    let described =
        |field: &str| errors.iter().any(|e| e.field == field).then(|| format!("app-{field}-error"));
    let editing = id.is_some();
    view! {
        <section class=CARD id="app-form" aria-labelledby="app-form-heading">
            <h2 id="app-form-heading" class="text-xl font-semibold">{if editing { tr!("apps-details") } else { tr!("apps-new") }}</h2>
            {(!errors.is_empty()).then(|| view! { <p role="alert" class="mt-2 text-sm font-medium text-rose-700 dark:text-rose-300">{tr!("error-validation")}</p> })}
            <form method="post" action=SaveApplication::url() class="mt-4 space-y-5">
                <input type="hidden" name="id" value=id.unwrap_or_default() />
                <div>
                    <label for="app-name" class="block text-sm font-medium">{tr!("publish-name")}</label>
                    <input id="app-name" name="name" type="text" required maxlength="100" value=form.name class=INPUT
                        aria-invalid=invalid("name") aria-describedby=described("name") />
                    {field_error("name")}
                </div>
                <div>
                    <label for="app-description" class="block text-sm font-medium">{tr!("publish-description")}</label>
                    <textarea id="app-description" name="description" rows="3" class=INPUT
                        aria-invalid=invalid("description") aria-describedby=described("description")>{crate::components::rcdata::escaped(&form.description)}</textarea>
                    {field_error("description")}
                </div>
                <div>
                    <label for="app-security_profile" class="block text-sm font-medium">{tr!("apps-profile")}</label>
                    <select id="app-security_profile" name="security_profile" class=INPUT aria-invalid=invalid("security_profile")>
                        {SecurityProfile::ALL.iter().map(|p| { let p = p.as_str(); view! { <option value=p selected=form.security_profile == p>{t(&format!("apps-profile-{p}"))}</option> } }).collect_view()}
                    </select>
                    {field_error("security_profile")}
                </div>
                <div>
                    <label for="app-redirect_uris" class="block text-sm font-medium">{tr!("apps-redirect-uris")}</label>
                    <textarea id="app-redirect_uris" name="redirect_uris" rows="3" class=format!("{INPUT} font-mono")
                        aria-invalid=invalid("redirect_uris") aria-describedby=described("redirect_uris").unwrap_or_else(|| "app-redirect-hint".into())>{crate::components::rcdata::escaped(&form.redirect_uris)}</textarea>
                    <p id="app-redirect-hint" class="mt-1 text-xs text-slate-500">{tr!("apps-redirect-hint")}</p>
                    {field_error("redirect_uris")}
                </div>
                <button type="submit" class=BUTTON>{if editing { tr!("apps-save") } else { tr!("apps-create") }}</button>
            </form>
        </section>
    }
}

#[component]
fn DangerZone(id: String, name: String, confirm: Option<String>) -> impl IntoView {
    let confirming = confirm.as_deref() == Some("delete");
    view! {
        <section class="mt-8 rounded-xl border border-rose-200 p-6 dark:border-rose-900" id="danger" aria-labelledby="danger-heading">
            <h2 id="danger-heading" class="text-xl font-semibold">{tr!("apps-delete")}</h2>
            <p class="mt-1 text-sm text-slate-600 dark:text-slate-400">{tr!("apps-delete-lead")}</p>
            {if confirming {
                view! {
                    <form method="post" action=DeleteApplication::url() class="mt-4 flex flex-wrap items-center gap-3">
                        <input type="hidden" name="id" value=id.clone() />
                        <p class="font-medium">{tr!("apps-delete-confirm", { "name" => name })}</p>
                        <button type="submit" class=DANGER>{tr!("apps-delete-yes")}</button>
                        <a href=format!("/apps/{id}#danger") class=SECONDARY>{tr!("console-cancel")}</a>
                    </form>
                }.into_any()
            } else {
                view! { <a href="?confirm=delete#danger" class=format!("mt-4 inline-block {SECONDARY}")>{tr!("apps-delete")}</a> }.into_any()
            }}
        </section>
    }
}

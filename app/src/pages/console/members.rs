//! `/console/members` (tenant-admins: members, invitations — invite, resend, revoke after
//! a confirmation), `/console/tenants` (platform admins: tenants, a new tenant with its
//! first tenant-admin invited) and `/invitations/:token` (the invited person chooses a
//! username and a password). Plain forms and links: everything works without JavaScript.

use crate::api::members::{
    load_invitation, load_members, load_tenant, load_tenants, AcceptInvitation, CreateTenant, InviteMember,
    ResendInvitation, RevokeInvitation,
};
use crate::components::copy::CopyButton;
use crate::components::data_table::DataTable;
use crate::components::error_view::PageError;
use crate::components::field::Field;
use crate::components::rcdata::PageTitle;
use crate::components::ui::{BUTTON, CARD, DANGER, FIELD_ERROR, INPUT, NOTICE_ERROR, NOTICE_OK, SECONDARY};
use crate::components::when::exact;
use crate::domain::invitation::{Status, MIN_PASSWORD, ROLES};
use crate::domain::language::Language;
use crate::error::FieldError;
use crate::i18n::t;
use crate::model::members::*;
use crate::tr;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_router::hooks::{use_params_map, use_query_map};

/// The label of a role by its canonical name.
fn role_label(name: &str) -> String {
    crate::domain::role::Role::parse(name).map(|r| t(r.label_key())).unwrap_or_else(|| name.to_owned())
}

/// The codes of the forms' field errors (`members-error-<code>`).
pub const ERROR_CODES: [&str; 13] = [
    "too-long",
    "control-characters",
    "required",
    "email",
    "has-account",
    "already-invited",
    "unavailable",
    "invalid",
    "above-yours",
    "slug",
    "taken",
    "username",
    "too-short",
];

/// The statuses a tenant may have (`tenants-status-<status>`).
pub const TENANT_STATUSES: [&str; 3] = ["active", "suspended", "archived"];

fn message(e: &FieldError) -> String {
    t(&format!("members-error-{}", e.code))
}

/// The link of an invitation just made, to copy (no e-mail is sent), or that it was sent.
#[component]
fn InvitedNotice(invited: Invited) -> impl IntoView {
    let email = invited.invitation.email.clone();
    view! {
        <div role="status" class=format!("mt-6 {NOTICE_OK}") id="invited">
            {match invited.link {
                Some(link) => view! {
                    <p class="font-medium">{tr!("members-invited-copy", { "email" => email })}</p>
                    <label for="invitation-link" class="mt-2 block text-sm">{tr!("members-link")}</label>
                    <input id="invitation-link" type="text" readonly value=link class=format!("{INPUT} font-mono") />
                    <CopyButton target="invitation-link" />
                }.into_any(),
                None => view! { <p class="font-medium">{tr!("members-invited-mailed", { "email" => email })}</p> }.into_any(),
            }}
        </div>
    }
}

/// `/console/members`.
#[component]
pub fn ConsoleMembersPage() -> impl IntoView {
    let query = use_query_map();
    let (invited, refused, confirm, revoked, error) = query.with_untracked(|q| {
        (q.get("invited"), q.get("refused"), q.get("revoke"), q.get("revoked").is_some(), q.get("error"))
    });
    let data =
        Resource::new_blocking(move || (invited.clone(), refused.clone()), |(i, r)| load_members(i, r));
    view! {
        <PageTitle text=tr!("members-title") />
        <h1 class="text-3xl font-bold tracking-tight">{tr!("members-heading")}</h1>
        <Suspense fallback=|| view! { <p aria-busy="true">{tr!("loading")}</p> }>
            {move || {
                let (confirm, error) = (confirm.clone(), error.clone());
                Suspend::new(async move {
                    match data.await {
                        Ok((page, invited, refused)) => view! {
                            <Members page invited refused confirm revoked error />
                        }.into_any(),
                        Err(e) => view! { <PageError error=e next="/console/members".to_owned() /> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

#[component]
fn Members(
    page: MembersPage,
    invited: Option<Invited>,
    refused: Option<RefusedInvite>,
    confirm: Option<String>,
    revoked: bool,
    error: Option<String>,
) -> impl IntoView {
    let RefusedInvite { form, errors } = refused.unwrap_or_default();
    let role_error = errors.iter().find(|e| e.field == "role").map(message);
    let chosen = if form.role.is_empty() { "viewer".to_owned() } else { form.role.clone() };
    // The invited person has no profile yet: the inviter says which language to write in
    // (the one they read the page in, unless they choose another).
    let language = Language::parse(&form.language).unwrap_or_else(crate::i18n::use_language);
    let tenant = page.tenant_name.clone();
    view! {
        <p class="mt-2 text-slate-600 dark:text-slate-300">{tr!("members-lead", { "tenant" => tenant })}</p>
        {invited.map(|invited| view! { <InvitedNotice invited /> })}
        {revoked.then(|| view! { <p role="status" class=format!("mt-6 {NOTICE_OK}")>{tr!("members-revoked")}</p> })}
        {(error.as_deref() == Some("closed")).then(|| view! {
            <p role="alert" class=format!("mt-6 {NOTICE_ERROR}")>{tr!("members-closed")}</p>
        })}
        <section class=CARD id="invite" aria-labelledby="invite-heading">
            <h2 id="invite-heading" class="text-lg font-semibold">{tr!("members-invite-heading")}</h2>
            <p class="mt-1 text-sm text-slate-600 dark:text-slate-400">
                {if page.mails { tr!("members-invite-lead-mail") } else { tr!("members-invite-lead-link") }}
            </p>
            {(!errors.is_empty()).then(|| view! { <p role="alert" class=format!("mt-2 {FIELD_ERROR} font-medium")>{tr!("error-validation")}</p> })}
            <form method="post" action=InviteMember::url() class="mt-4 grid grid-cols-1 gap-4 sm:grid-cols-[2fr_1fr_1fr_auto] sm:items-end">
                <Field messages="members-error" id="invite-email" name="email" kind="email" label=tr!("members-email") value=form.email.clone()
                    errors=errors.clone() autocomplete="off" />
                <div>
                    <label for="invite-role" class="block text-sm font-medium">{tr!("members-role")}</label>
                    <select id="invite-role" name="role" class=INPUT aria-invalid=role_error.is_some().then_some("true")
                        aria-describedby=role_error.is_some().then_some("invite-role-error")>
                        {ROLES.iter().map(|r| {
                            let name = r.as_str();
                            view! { <option value=name selected=chosen == name>{role_label(name)}</option> }
                        }).collect_view()}
                    </select>
                    {role_error.map(|m| view! { <p id="invite-role-error" class=FIELD_ERROR>{m}</p> })}
                </div>
                <div>
                    <label for="invite-language" class="block text-sm font-medium">{tr!("members-language")}</label>
                    <select id="invite-language" name="language" class=INPUT>
                        {Language::ALL.into_iter().map(|l| view! {
                            <option value=l.code() lang=l.code() selected=l == language>{l.autonym()}</option>
                        }).collect_view()}
                    </select>
                </div>
                <button type="submit" class=BUTTON>{if page.mails { tr!("members-invite") } else { tr!("members-invite-link") }}</button>
            </form>
        </section>
        <section class=CARD id="invitations" aria-labelledby="invitations-heading">
            <h2 id="invitations-heading" class="text-lg font-semibold">{tr!("members-invitations-heading")}</h2>
            {if page.invitations.is_empty() {
                view! { <p class="mt-2 text-sm">{tr!("members-invitations-empty")}</p> }.into_any()
            } else {
                view! {
                    <ul class="mt-3 divide-y divide-slate-200 dark:divide-slate-800">
                        {page.invitations.into_iter().map(|i| view! { <InvitationRow i confirm=confirm.clone() /> }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
        <section class=CARD aria-labelledby="members-list-heading">
            <h2 id="members-list-heading" class="text-lg font-semibold">{tr!("members-list-heading", { "n" => page.members.len() })}</h2>
            {
                let rows = page.members.iter().map(|m| vec![
                    m.username.clone(),
                    m.display_name.clone(),
                    m.email.clone().unwrap_or_default(),
                    m.roles.iter().map(|r| role_label(r)).collect::<Vec<_>>().join(", "),
                    if m.provider { tr!("members-sign-in-provider") } else { tr!("members-sign-in-password") },
                    exact(&m.created_at),
                    m.last_sign_in.as_deref().map(exact).unwrap_or_else(|| tr!("members-never")),
                ]).collect();
                let head = vec![
                    tr!("members-col-username"), tr!("members-col-name"), tr!("members-email"),
                    tr!("members-role"), tr!("members-col-sign-in"), tr!("members-col-since"), tr!("members-col-last-sign-in"),
                ];
                view! { <DataTable caption=tr!("members-list-caption") head rows /> }
            }
        </section>
    }
}

#[component]
fn InvitationRow(i: InvitationInfo, confirm: Option<String>) -> impl IntoView {
    let id = i.id.to_string();
    let open = matches!(i.status, Status::Pending | Status::Expired);
    let confirming = confirm.as_deref() == Some(id.as_str());
    let status = t(&format!("members-status-{}", i.status.as_str()));
    let when = match i.status {
        Status::Pending => tr!("members-expires", { "at" => exact(&i.expires_at) }),
        Status::Expired => tr!("members-expired-at", { "at" => exact(&i.expires_at) }),
        Status::Accepted => {
            tr!("members-accepted-by", { "user" => i.accepted_by.clone().unwrap_or_default() })
        }
        Status::Revoked => String::new(),
    };
    let email = i.email.clone();
    view! {
        <li class="flex flex-wrap items-center gap-x-4 gap-y-2 py-3" data-invitation=i.email.clone() data-status=i.status.as_str()>
            <div class="min-w-0 grow">
                <p class="font-medium">{i.email.clone()}" · "{role_label(&i.role)}</p>
                <p class="text-sm text-slate-600 dark:text-slate-400">
                    <span class="font-semibold">{status}</span>" · "{tr!("members-invited-by", { "user" => i.invited_by.clone(), "at" => exact(&i.sent_at) })}
                    {(!when.is_empty()).then(|| format!(" · {when}"))}
                </p>
            </div>
            {open.then(|| view! {
                <form method="post" action=ResendInvitation::url()>
                    <input type="hidden" name="id" value=id.clone() />
                    <button type="submit" class=SECONDARY aria-label=tr!("members-resend-label", { "email" => email.clone() })>{tr!("members-resend")}</button>
                </form>
            })}
            {(i.status == Status::Pending).then(|| if confirming {
                view! {
                    <form method="post" action=RevokeInvitation::url() class="flex flex-wrap items-center gap-2">
                        <input type="hidden" name="id" value=id.clone() />
                        <input type="hidden" name="confirm" value="yes" />
                        <span id=format!("revoke-{id}") class="text-sm font-medium">{tr!("members-revoke-confirm", { "email" => email.clone() })}</span>
                        <button type="submit" class=DANGER aria-describedby=format!("revoke-{id}")>{tr!("members-revoke-yes")}</button>
                        <a href="/console/members#invitations" class=SECONDARY>{tr!("console-cancel")}</a>
                    </form>
                }.into_any()
            } else {
                view! {
                    <a href=format!("/console/members?revoke={id}#invitations") class=SECONDARY
                        aria-label=tr!("members-revoke-label", { "email" => email.clone() })>{tr!("members-revoke")}</a>
                }.into_any()
            })}
        </li>
    }
}

/// `/console/tenants`.
#[component]
pub fn ConsoleTenantsPage() -> impl IntoView {
    let query = use_query_map();
    let (created, refused) = query.with_untracked(|q| (q.get("created"), q.get("refused")));
    let data =
        Resource::new_blocking(move || (created.clone(), refused.clone()), |(c, r)| load_tenants(c, r));
    view! {
        <PageTitle text=tr!("tenants-title") />
        <h1 class="text-3xl font-bold tracking-tight">{tr!("tenants-heading")}</h1>
        <p class="mt-2 text-slate-600 dark:text-slate-300">{tr!("tenants-lead")}</p>
        <Suspense fallback=|| view! { <p aria-busy="true">{tr!("loading")}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok((page, created, refused)) => view! { <Tenants page created refused /> }.into_any(),
                    Err(e) => view! { <PageError error=e next="/console/tenants".to_owned() /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// `/console/tenants/:id`: one tenant, its members and what it publishes.
#[component]
pub fn ConsoleTenantPage() -> impl IntoView {
    let id = use_params_map().with_untracked(|p| p.get("id")).unwrap_or_default();
    let here = format!("/console/tenants/{id}");
    let data = Resource::new_blocking(move || id.clone(), load_tenant);
    view! {
        <Suspense fallback=|| view! { <p aria-busy="true">{tr!("loading")}</p> }>
            {move || {
                let here = here.clone();
                Suspend::new(async move {
                    match data.await {
                        Ok(page) => view! { <TenantView page /> }.into_any(),
                        Err(e) => view! { <PageError error=e next=here /> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

#[component]
fn TenantView(page: TenantPage) -> impl IntoView {
    let t = page.tenant;
    let rows = page
        .members
        .iter()
        .map(|m| {
            vec![
                m.username.clone(),
                m.display_name.clone(),
                m.roles.iter().map(|r| role_label(r)).collect::<Vec<_>>().join(", "),
                exact(&m.created_at),
            ]
        })
        .collect();
    let head = vec![
        tr!("members-col-username"),
        tr!("members-col-name"),
        tr!("members-role"),
        tr!("members-col-since"),
    ];
    view! {
        <PageTitle text=format!("{} · STOA", t.name) />
        <p><a href="/console/tenants" class="text-sm text-indigo-700 hover:underline dark:text-indigo-300">{tr!("tenants-back")}</a></p>
        <h1 class="mt-2 text-3xl font-bold tracking-tight">{t.name.clone()}</h1>
        <p class="mt-2 text-slate-600 dark:text-slate-300">
            <code class="font-mono">{t.id.clone()}</code> " · " {crate::i18n::t(&format!("tenants-status-{}", t.status))}
            " · " {tr!("members-col-since")} " " {exact(&t.created_at)}
            " · " <a href=format!("/console/usage?tenant={}", crate::auth::encode_query_value(&t.id)) class="text-indigo-700 underline dark:text-indigo-300">{tr!("tenants-usage")}</a>
        </p>
        <section class=CARD aria-labelledby="tenant-members-heading">
            <h2 id="tenant-members-heading" class="text-lg font-semibold">{tr!("members-list-heading", { "n" => page.members.len() })}</h2>
            <DataTable caption=tr!("members-list-caption") head rows />
        </section>
        <section class=CARD aria-labelledby="tenant-entries-heading">
            <h2 id="tenant-entries-heading" class="text-lg font-semibold">{tr!("tenants-entries", { "n" => page.entries.len() })}</h2>
            {if page.entries.is_empty() {
                view! { <p class="mt-2 text-sm">{tr!("tenants-entries-empty")}</p> }.into_any()
            } else {
                view! {
                    <ul class="mt-3 divide-y divide-slate-200 text-sm dark:divide-slate-800">
                        {page.entries.into_iter().map(|(kind, slug, name, status)| {
                            let href = if kind == "mcp" { format!("/mcp/{slug}") } else { format!("/apis/{}/{slug}", t.id) };
                            view! {
                                <li class="flex flex-wrap justify-between gap-2 py-2">
                                    <a href=href class="font-medium text-indigo-700 underline dark:text-indigo-300">{name}</a>
                                    <span class="text-slate-600 dark:text-slate-400">{crate::i18n::t(&format!("kind-{kind}"))} " · " {crate::i18n::t(&format!("api-status-{status}"))}</span>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
    }
}

#[component]
fn Tenants(page: TenantsPage, created: Option<Invited>, refused: Option<RefusedTenant>) -> impl IntoView {
    let RefusedTenant { form, errors } = refused.unwrap_or_default();
    let th = "px-3 py-1 text-left text-xs font-semibold uppercase tracking-wide text-slate-600 dark:text-slate-400";
    let heads = [
        tr!("tenants-col-slug"),
        tr!("tenants-col-name"),
        tr!("tenants-col-status"),
        tr!("tenants-col-members"),
        tr!("tenants-col-invitations"),
        tr!("members-col-since"),
    ];
    // Each row opens its tenant's page.
    let table = view! {
        <div class="mt-2 max-h-96 overflow-auto" tabindex="0" role="region" aria-label=tr!("tenants-list-caption")>
            <table class="min-w-full text-sm">
                <caption class="sr-only">{tr!("tenants-list-caption")}</caption>
                <thead><tr>{heads.into_iter().map(|h| view! { <th scope="col" class=th>{h}</th> }).collect_view()}</tr></thead>
                <tbody class="tabular-figures [&_td]:px-3 [&_td]:py-1">
                    {page.tenants.iter().map(|t| view! {
                        <tr data-tenant=t.id.clone()>
                            <td><a href=format!("/console/tenants/{}", t.id) class="font-mono text-indigo-700 underline dark:text-indigo-300">{t.id.clone()}</a></td>
                            <td>{t.name.clone()}</td>
                            <td>{crate::i18n::t(&format!("tenants-status-{}", t.status))}</td>
                            <td>{t.members}</td>
                            <td>{t.invitations}</td>
                            <td>{exact(&t.created_at)}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    };
    view! {
        {created.map(|invited| view! {
            <p role="status" class=format!("mt-6 {NOTICE_OK}")>{tr!("tenants-created")}</p>
            <InvitedNotice invited />
        })}
        <section class=CARD id="new-tenant" aria-labelledby="new-tenant-heading">
            <h2 id="new-tenant-heading" class="text-lg font-semibold">{tr!("tenants-new-heading")}</h2>
            {(!errors.is_empty()).then(|| view! { <p role="alert" class=format!("mt-2 {FIELD_ERROR} font-medium")>{tr!("error-validation")}</p> })}
            <form method="post" action=CreateTenant::url() class="mt-4 grid grid-cols-1 gap-4 sm:grid-cols-3 sm:items-start">
                <Field messages="members-error" id="tenant-slug" name="slug" label=tr!("tenants-col-slug") value=form.slug errors=errors.clone()
                    hint=tr!("tenants-slug-hint") autocomplete="off" />
                <Field messages="members-error" id="tenant-name" name="name" label=tr!("tenants-col-name") value=form.name errors=errors.clone() />
                <Field messages="members-error" id="tenant-admin" name="admin_email" kind="email" label=tr!("tenants-admin-email") value=form.admin_email
                    errors=errors.clone() hint=tr!("tenants-admin-hint") autocomplete="off" />
                <div class="sm:col-span-3"><button type="submit" class=BUTTON>{tr!("tenants-create")}</button></div>
            </form>
        </section>
        <section class=CARD aria-labelledby="tenants-list-heading">
            <h2 id="tenants-list-heading" class="text-lg font-semibold">{tr!("tenants-list-heading", { "n" => page.tenants.len() })}</h2>
            {table}
        </section>
    }
}

/// `/invitations/:token`: the invited person's page.
#[component]
pub fn InvitationPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let token = params.with_untracked(|p| p.get("token").unwrap_or_default());
    let (refused, error) = query.with_untracked(|q| (q.get("refused"), q.get("error")));
    let data = Resource::new_blocking(
        {
            let token = token.clone();
            move || (token.clone(), refused.clone())
        },
        |(t, r)| load_invitation(t, r),
    );
    view! {
        <PageTitle text=tr!("invitation-title") />
        <div class="mx-auto max-w-xl">
            <h1 class="text-3xl font-bold tracking-tight">{tr!("invitation-heading")}</h1>
            <Suspense fallback=|| view! { <p aria-busy="true">{tr!("loading")}</p> }>
                {move || {
                    let (token, error) = (token.clone(), error.clone());
                    Suspend::new(async move {
                        match data.await {
                            Ok((view, refused)) => view! { <Invitation token view refused error /> }.into_any(),
                            Err(_) => view! {
                                <p role="alert" class=format!("mt-6 {NOTICE_ERROR}")>{tr!("invitation-unknown")}</p>
                            }.into_any(),
                        }
                    })
                }}
            </Suspense>
        </div>
    }
}

#[component]
fn Invitation(
    token: String,
    view: InvitationView,
    refused: Option<RefusedAccept>,
    error: Option<String>,
) -> impl IntoView {
    let RefusedAccept { form, errors } = refused.unwrap_or_default();
    let who = view.invited_by.clone();
    let closed = match (view.status, error.as_deref()) {
        (_, Some("invitation-has-account")) => Some(tr!("invitation-has-account", { "who" => who.clone() })),
        (Status::Pending, Some("invitation-other-address")) => {
            Some(tr!("invitation-other-address", { "email" => view.email.clone(), "who" => who.clone() }))
        }
        (Status::Pending, Some("invitation-other-tenant")) => Some(
            tr!("invitation-other-tenant", { "tenant" => view.tenant_name.clone(), "who" => who.clone() }),
        ),
        (Status::Pending, _) => None,
        (Status::Accepted, _) => Some(tr!("invitation-used")),
        (Status::Expired, _) => Some(tr!("invitation-expired", { "who" => who.clone() })),
        (Status::Revoked, _) => Some(tr!("invitation-revoked", { "who" => who.clone() })),
    };
    let lead = tr!("invitation-lead", {
        "who" => view.invited_by.clone(), "tenant" => view.tenant_name.clone(), "role" => role_label(&view.role)
    });
    match closed {
        Some(why) => view! {
            <p role="alert" class=format!("mt-6 {NOTICE_ERROR}") data-invitation-status=view.status.as_str()>{why}</p>
            <p class="mt-4"><a href="/login" class="underline">{tr!("invitation-sign-in")}</a></p>
        }
        .into_any(),
        None => view! {
            <p class="mt-2 text-slate-600 dark:text-slate-300">{lead}</p>
            <section class=CARD id="accept" aria-labelledby="accept-heading">
                <h2 id="accept-heading" class="text-lg font-semibold">{tr!("invitation-choose")}</h2>
                {(!errors.is_empty()).then(|| view! { <p role="alert" class=format!("mt-2 {FIELD_ERROR} font-medium")>{tr!("error-validation")}</p> })}
                <form method="post" action=AcceptInvitation::url() class="mt-4 space-y-4">
                    <input type="hidden" name="token" value=token.clone() />
                    <p class="text-sm">{tr!("invitation-email", { "email" => view.email.clone() })}</p>
                    <Field messages="members-error" id="accept-username" name="username" label=tr!("login-username") value=form.username
                        errors=errors.clone() hint=tr!("invitation-username-hint") autocomplete="username" />
                    <Field messages="members-error" id="accept-display-name" name="display_name" label=tr!("invitation-display-name")
                        value=form.display_name errors=errors.clone() autocomplete="name" />
                    <Field messages="members-error" id="accept-password" name="password" kind="password" label=tr!("login-password") value=String::new()
                        errors=errors.clone() hint=tr!("invitation-password-hint", { "n" => MIN_PASSWORD }) autocomplete="new-password" />
                    <button type="submit" class=BUTTON>{tr!("invitation-accept")}</button>
                </form>
                {view.provider.then(|| view! {
                    <p class="mt-6 text-sm text-slate-600 dark:text-slate-400">{tr!("invitation-provider")}</p>
                    <a href=format!("/auth/oidc/start?next=/onboarding&invitation={}", crate::auth::encode_query_value(&token))
                        class=format!("mt-2 inline-block {SECONDARY}")>{tr!("login-provider")}</a>
                })}
            </section>
        }
        .into_any(),
    }
}

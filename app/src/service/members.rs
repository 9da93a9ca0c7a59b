//! Members, invitations and tenants: a tenant-admin invites people by e-mail address with
//! a role (`/console/members`); a platform admin creates tenants and invites each one's
//! first tenant-admin (`/console/tenants`); the invited person opens the single-use link
//! (`/invitations/:token`), chooses a username and a password and lands in the wizard.
//! Links live [`VALID_DAYS`] days; only their hash is kept (and, with `SMTP_URL`, the
//! link itself until the mailer has sent it).

use crate::auth::{password, CurrentUser};
use crate::db::scope::{self, Scope, Visibility};
use crate::db::{invitations, tenants, users};
use crate::domain::event::{actions, types, Topic};
use crate::domain::invitation::{self, Status, MIN_PASSWORD, VALID_DAYS};
use crate::domain::language::Language;
use crate::domain::permission::Permission;
use crate::domain::role::Role;
use crate::domain::text_problem;
use crate::error::{AppError, FieldError};
use crate::model::members::*;
use crate::service::journal::{self, Actor, Entry};
use uuid::Uuid;

/// How invitation links reach people.
#[derive(Clone, Copy, Debug)]
pub struct Delivery<'a> {
    /// The portal's address, the links' base.
    pub public_url: &'a str,
    /// Whether the mailer sends them (`SMTP_URL`); otherwise they are shown to copy.
    pub mails: bool,
}

impl Delivery<'_> {
    /// As the server is configured: mailed when `SMTP_URL` is set.
    pub fn of(config: &crate::config::Config) -> Delivery<'_> {
        Delivery { public_url: &config.public_url, mails: config.smtp_url.is_some() }
    }

    fn link(&self, token: &str) -> String {
        format!("{}/invitations/{token}", self.public_url.trim_end_matches('/'))
    }
}

/// The members page of the user's own tenant.
pub async fn page(
    pool: &sqlx::PgPool,
    user: &CurrentUser,
    delivery: Delivery<'_>,
) -> Result<MembersPage, AppError> {
    user.must(Permission::ManageMembers)?;
    let tenant = user.tenant_id.as_str();
    let mut tx = scope::begin(pool, Scope::Tenant(tenant)).await?;
    let tenant_name = tenants::name(&mut *tx, tenant).await?.unwrap_or_else(|| tenant.to_owned());
    let members = invitations::members(&mut *tx, tenant).await?;
    let invitations = invitations::list(&mut *tx, tenant).await?;
    tx.commit().await?;
    Ok(MembersPage { tenant_id: tenant.to_owned(), tenant_name, members, invitations, mails: delivery.mails })
}

/// The e-mail address of a form, checked: lower-case and plausible.
fn address(field: &str, raw: &str) -> Result<String, FieldError> {
    let email = raw.trim().to_lowercase();
    if email.is_empty() {
        return Err(FieldError::new(field, "required"));
    }
    if !invitation::plausible_email(&email) {
        return Err(FieldError::new(field, "email"));
    }
    Ok(email)
}

/// Refuses an address that already has an account anywhere on the portal (409
/// `has-account`).
async fn without_account(pool: &sqlx::PgPool, email: &str) -> Result<(), AppError> {
    let mut tx = scope::begin(pool, Scope::Platform).await?;
    let found = invitations::account_with_email(&mut *tx, email).await?;
    tx.commit().await?;
    match found {
        None => Ok(()),
        Some(_) => Err(AppError::Conflict { code: "has-account".into() }),
    }
}

/// The conflicts a form shows next to one of its fields: (code, field of the invitation
/// form, field of the new-tenant form).
pub const FIELD_CONFLICTS: [(&str, &str); 3] =
    [("has-account", "email"), ("already-invited", "email"), ("slug-taken", "slug")];

/// A conflict as the error next to the form's field it concerns (`email` becomes
/// `admin_email` on the new-tenant form).
pub fn conflict_field(e: &AppError, tenant_form: bool) -> Option<FieldError> {
    let AppError::Conflict { code } = e else { return None };
    let (code, field) = FIELD_CONFLICTS.iter().find(|(c, _)| c == code)?;
    let field = if tenant_form && *field == "email" { "admin_email" } else { field };
    Some(FieldError::new(field, code.trim_start_matches("slug-")))
}

/// Who an invitation is for: an address, a role, the language it is written in.
struct Invitee<'a> {
    email: &'a str,
    role: Role,
    language: Option<Language>,
}

/// Writes an invitation (a new one, or a new link for `renewing`, whose language stays)
/// with its journal entry.
async fn write_invitation(
    tx: &mut sqlx::PgConnection,
    user: &CurrentUser,
    tenant: &str,
    Invitee { email, role, language }: Invitee<'_>,
    renewing: Option<Uuid>,
    delivery: Delivery<'_>,
) -> Result<Invited, AppError> {
    let (token, hash) = crate::secrets::link_token().map_err(|e| AppError::internal("random", e))?;
    let id = renewing.unwrap_or_else(Uuid::now_v7);
    let new = invitations::NewInvitation {
        id,
        tenant_id: tenant,
        email,
        role: role.as_str(),
        token_hash: &hash,
        mail_token: delivery.mails.then_some(token.as_str()),
        invited_by: &user.username,
        expires_at: chrono::Utc::now() + chrono::Duration::days(VALID_DAYS),
        language: language.map(Language::code),
    };
    let (written, action) = match renewing {
        None => (invitations::insert(&mut *tx, &new).await?, actions::MEMBER_INVITED),
        Some(_) => (invitations::renew(&mut *tx, &new).await?, actions::INVITATION_RESENT),
    };
    if !written {
        let code = if renewing.is_none() { "already-invited" } else { "invitation-closed" };
        return Err(AppError::Conflict { code: code.into() });
    }
    let id_text = id.to_string();
    journal::write(
        &mut *tx,
        Actor::User(user),
        Entry {
            topic: Topic::Platform,
            event_type: types::MEMBER_INVITED,
            tenant,
            subject: format!("invitations/{id}"),
            action,
            id: &id_text,
            data: serde_json::json!({ "id": id, "role": role.as_str(), "expires_in_days": VALID_DAYS }),
            detail: Some(serde_json::json!({ "email": email, "role": role.as_str() })),
        },
    )
    .await?;
    let (_, info) = invitations::get(&mut *tx, id).await?.ok_or(AppError::NotFound)?;
    Ok(Invited { invitation: info, link: (!delivery.mails).then(|| delivery.link(&token)) })
}

/// Invites `form.email` into the user's own tenant with `form.role`.
pub async fn invite(
    pool: &sqlx::PgPool,
    user: &CurrentUser,
    form: &InviteForm,
    delivery: Delivery<'_>,
) -> Result<Invited, AppError> {
    user.must(Permission::ManageMembers)?;
    let mut errors = Vec::new();
    let role = invitation::invitable(&form.role);
    if role.is_none() {
        errors.push(FieldError::new("role", "invalid"));
    }
    let email = address("email", &form.email).map_err(|e| errors.push(e)).ok();
    let language = match form.language.trim() {
        "" => None,
        tag => Language::parse(tag).or_else(|| {
            errors.push(FieldError::new("language", "invalid"));
            None
        }),
    };
    let (Some(email), Some(role), true) = (email, role, errors.is_empty()) else {
        return Err(AppError::Validation(errors));
    };
    // Only a role the inviter holds themselves (a tenant-admin does not make auditors,
    // who read the audit log): 403, shown next to the role on the form.
    if !user.roles.iter().any(|held| held.includes(role)) {
        return Err(AppError::Forbidden);
    }
    without_account(pool, &email).await?;
    let tenant = user.tenant_id.as_str();
    let mut tx = scope::begin(pool, Scope::Tenant(tenant)).await?;
    let invited =
        write_invitation(&mut tx, user, tenant, Invitee { email: &email, role, language }, None, delivery)
            .await?;
    tx.commit().await?;
    Ok(invited)
}

/// An invitation the user may manage (their tenant's; any, for platform admins).
async fn managed(
    tx: &mut sqlx::PgConnection,
    user: &CurrentUser,
    id: Uuid,
) -> Result<(String, InvitationInfo), AppError> {
    user.must(Permission::ManageMembers)?;
    let found = invitations::get(&mut *tx, id).await?;
    match (found, Visibility::of(user).tenant()) {
        (Some((tenant, _)), Some(own)) if tenant != own => Err(AppError::NotFound),
        (Some(found), _) => Ok(found),
        (None, _) => Err(AppError::NotFound),
    }
}

/// Sends an open (or expired) invitation again with a new link valid for 7 days; the
/// previous link stops working.
pub async fn resend(
    pool: &sqlx::PgPool,
    user: &CurrentUser,
    id: Uuid,
    delivery: Delivery<'_>,
) -> Result<Invited, AppError> {
    let mut tx = scope::begin(pool, Scope::of(user)).await?;
    let (tenant, info) = managed(&mut tx, user, id).await?;
    if !matches!(info.status, Status::Pending | Status::Expired) {
        return Err(AppError::Conflict { code: "invitation-closed".into() });
    }
    let role = Role::parse(&info.role).unwrap_or(Role::Viewer);
    let invited = write_invitation(
        &mut tx,
        user,
        &tenant,
        Invitee { email: &info.email, role, language: None },
        Some(id),
        delivery,
    )
    .await?;
    tx.commit().await?;
    Ok(invited)
}

/// Takes an open invitation back (after a confirmation): its link stops working.
pub async fn revoke(
    pool: &sqlx::PgPool,
    user: &CurrentUser,
    id: Uuid,
    confirmed: bool,
) -> Result<InvitationInfo, AppError> {
    if !confirmed {
        user.must(Permission::ManageMembers)?;
        return Err(AppError::field("confirm", "required"));
    }
    let mut tx = scope::begin(pool, Scope::of(user)).await?;
    let (tenant, info) = managed(&mut tx, user, id).await?;
    if !invitations::revoke(&mut tx, id).await? {
        return Err(AppError::Conflict { code: "invitation-closed".into() });
    }
    let id_text = id.to_string();
    journal::write(
        &mut tx,
        Actor::User(user),
        Entry {
            topic: Topic::Platform,
            event_type: types::INVITATION_REVOKED,
            tenant: &tenant,
            subject: format!("invitations/{id}"),
            action: actions::INVITATION_REVOKED,
            id: &id_text,
            data: serde_json::json!({ "id": id }),
            detail: Some(serde_json::json!({ "email": info.email })),
        },
    )
    .await?;
    let (_, info) = invitations::get(&mut *tx, id).await?.ok_or(AppError::NotFound)?;
    tx.commit().await?;
    Ok(info)
}

/// What the invitation page shows for a link (not found: no such link).
pub async fn view(pool: &sqlx::PgPool, token: &str, provider: bool) -> Result<InvitationView, AppError> {
    let mut tx = scope::begin(pool, Scope::Platform).await?;
    let found = invitations::by_link(&mut tx, &crate::secrets::hash(token)).await?;
    tx.commit().await?;
    let found = found.ok_or(AppError::NotFound)?;
    Ok(InvitationView {
        status: found.status,
        email: found.email,
        role: found.role,
        tenant_name: found.tenant_name,
        invited_by: found.invited_by,
        provider,
    })
}

/// Uses the invitation up for `user`, with its journal entry (`method`: how they sign in).
async fn joined(
    tx: &mut sqlx::PgConnection,
    found: &invitations::ByLink,
    user: &CurrentUser,
    method: &str,
) -> Result<(), AppError> {
    invitations::accept(&mut *tx, found.id, user.id).await?;
    let id_text = found.id.to_string();
    journal::write(
        &mut *tx,
        Actor::User(user),
        Entry {
            topic: Topic::Platform,
            event_type: types::MEMBER_JOINED,
            tenant: &found.tenant_id,
            subject: format!("invitations/{}", found.id),
            action: actions::MEMBER_JOINED,
            id: &id_text,
            data: serde_json::json!({ "invitation": found.id, "user": user.id, "role": found.role }),
            detail: Some(serde_json::json!({ "email": found.email, "role": found.role, "method": method })),
        },
    )
    .await
}

/// Makes the invited person's account with the invitation's tenant, address and role,
/// and uses the link up. The caller signs them in.
pub async fn accept(pool: &sqlx::PgPool, token: &str, form: &AcceptForm) -> Result<CurrentUser, AppError> {
    let username = form.username.trim().to_lowercase();
    let display_name = form.display_name.trim().to_owned();
    let mut errors = Vec::new();
    if !invitation::valid_username(&username) {
        errors.push(FieldError::new("username", "username"));
    }
    if let Some(code) = text_problem(&display_name, 200) {
        errors.push(FieldError::new("display_name", code));
    }
    match form.password.chars().count() {
        n if n < MIN_PASSWORD => errors.push(FieldError::new("password", "too-short")),
        n if n > 1000 => errors.push(FieldError::new("password", "too-long")),
        _ => {}
    }
    let mut tx = scope::begin(pool, Scope::Platform).await?;
    let found =
        invitations::by_link(&mut tx, &crate::secrets::hash(token)).await?.ok_or(AppError::NotFound)?;
    if found.status != Status::Pending {
        return Err(AppError::Conflict { code: format!("invitation-{}", found.status.as_str()) });
    }
    if errors.is_empty() && users::exists(&mut *tx, &username).await? {
        errors.push(FieldError::new("username", "taken"));
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    if invitations::account_with_email(&mut *tx, &found.email).await?.is_some() {
        return Err(AppError::Conflict { code: "invitation-has-account".into() });
    }
    let hash =
        password::hash(form.password.clone()).await.map_err(|e| AppError::internal("password hash", e))?;
    let role = Role::parse(&found.role).unwrap_or(Role::Viewer);
    let created = users::create_local(
        &mut *tx,
        &users::NewLocalUser {
            tenant_id: &found.tenant_id,
            username: &username,
            display_name: &display_name,
            email: Some(&found.email),
            roles: &[role],
            password_hash: &hash,
        },
    )
    .await?;
    if !created {
        return Err(AppError::field("username", "taken"));
    }
    let user = users::credentials(&mut *tx, &username).await?.map(|(u, _)| u).ok_or(AppError::NotFound)?;
    if let Some(language) = &found.language {
        // The account starts in the language its invitation was written in.
        users::set_preferred_language(&mut *tx, user.id, language).await?;
    }
    joined(&mut tx, &found, &user, "password").await?;
    users::record_sign_in(&mut tx, &user, "invitation", None).await?;
    tx.commit().await?;
    Ok(user)
}

/// Uses an invitation up for `user`, who just signed in through the identity provider:
/// their provider's address must be the invited one and their tenant the invitation's
/// (tenant and roles keep following the provider).
pub async fn accept_with_provider(
    pool: &sqlx::PgPool,
    token: &str,
    user: &CurrentUser,
    email: Option<&str>,
) -> Result<(), AppError> {
    let mut tx = scope::begin(pool, Scope::Platform).await?;
    let found =
        invitations::by_link(&mut tx, &crate::secrets::hash(token)).await?.ok_or(AppError::NotFound)?;
    let refused = |code: &str| AppError::Conflict { code: code.to_owned() };
    if found.status != Status::Pending {
        return Err(refused(&format!("invitation-{}", found.status.as_str())));
    }
    if email.map(|e| e.trim().to_lowercase()).as_deref() != Some(found.email.as_str()) {
        return Err(refused("invitation-other-address"));
    }
    if user.tenant_id != found.tenant_id {
        return Err(refused("invitation-other-tenant"));
    }
    joined(&mut tx, &found, user, "oidc").await?;
    tx.commit().await?;
    Ok(())
}

/// Every tenant (platform admins).
pub async fn tenants_page(
    pool: &sqlx::PgPool,
    user: &CurrentUser,
    delivery: Delivery<'_>,
) -> Result<TenantsPage, AppError> {
    user.must(Permission::ManageTenants)?;
    let mut tx = scope::begin(pool, Scope::Platform).await?;
    let tenants = tenants::list(&mut *tx).await?;
    tx.commit().await?;
    Ok(TenantsPage { tenants, mails: delivery.mails })
}

/// One tenant, its members and its entries (platform admins).
pub async fn tenant_page(pool: &sqlx::PgPool, user: &CurrentUser, id: &str) -> Result<TenantPage, AppError> {
    user.must(Permission::ManageTenants)?;
    let mut tx = scope::begin(pool, Scope::Platform).await?;
    let tenant = tenants::one(&mut *tx, id).await?.ok_or(AppError::NotFound)?;
    let members = invitations::members(&mut *tx, id).await?;
    let entries = crate::db::catalog::tenant_items(&mut tx, id)
        .await?
        .into_iter()
        .map(|i| (i.kind.as_str().to_owned(), i.slug, i.name, i.status))
        .collect();
    tx.commit().await?;
    Ok(TenantPage { tenant, members, entries })
}

/// Creates a tenant and invites its first tenant-admin.
pub async fn create_tenant(
    pool: &sqlx::PgPool,
    user: &CurrentUser,
    form: &TenantForm,
    delivery: Delivery<'_>,
) -> Result<Invited, AppError> {
    user.must(Permission::ManageTenants)?;
    let slug = form.slug.trim().to_lowercase();
    let name = form.name.trim();
    let mut errors = Vec::new();
    if !invitation::valid_slug(&slug) {
        errors.push(FieldError::new("slug", "slug"));
    }
    if let Some(code) = text_problem(name, 200) {
        errors.push(FieldError::new("name", code));
    }
    let email = address("admin_email", &form.admin_email).map_err(|e| errors.push(e)).ok();
    let (Some(email), true) = (email, errors.is_empty()) else {
        return Err(AppError::Validation(errors));
    };
    without_account(pool, &email).await?;
    let mut tx = scope::begin(pool, Scope::Platform).await?;
    if !tenants::create(&mut *tx, &slug, name).await? {
        return Err(AppError::Conflict { code: "slug-taken".into() });
    }
    // One plan to start with, so that the tenant's first API can be subscribed.
    crate::db::plans::upsert(&mut tx, &crate::db::plans::NewPlan::starting(&slug)).await?;
    journal::write(
        &mut tx,
        Actor::User(user),
        Entry {
            topic: Topic::Platform,
            event_type: types::TENANT_CREATED,
            tenant: &slug,
            subject: format!("tenants/{slug}"),
            action: actions::TENANT_CREATED,
            id: &slug,
            data: serde_json::json!({ "id": slug, "name": name }),
            detail: None,
        },
    )
    .await?;
    let invited = write_invitation(
        &mut tx,
        user,
        &slug,
        Invitee { email: &email, role: Role::TenantAdmin, language: None },
        None,
        delivery,
    )
    .await?;
    tx.commit().await?;
    Ok(invited)
}

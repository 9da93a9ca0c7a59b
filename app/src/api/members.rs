//! Server functions of the members and tenants pages (`/console/members`,
//! `/console/tenants`) and of the invitation page (`/invitations/:token`). Every form
//! answers with a redirect: to the page with what happened, or back to the form with why.

use crate::error::AppError;
use crate::model::members::*;
use leptos::prelude::*;
#[cfg(feature = "ssr")]
use uuid::Uuid;

/// Session key of an invitation just made (its link shown once without SMTP).
pub const INVITED_KEY: &str = "members-invited";
/// Session key of a refused invitation form.
pub const INVITE_FORM_KEY: &str = "members-invite-form";
/// Session key of a refused new-tenant form.
pub const TENANT_FORM_KEY: &str = "tenants-form";
/// Session key of a refused acceptance.
pub const ACCEPT_FORM_KEY: &str = "invitation-form";

#[cfg(feature = "ssr")]
use super::{keep, kept, session};

/// A refused form's errors: its invalid fields, or the conflict shown next to the field
/// it concerns (any other conflict is the answer).
#[cfg(feature = "ssr")]
fn refused_fields(e: AppError, tenant_form: bool) -> Result<Vec<crate::error::FieldError>, AppError> {
    match e {
        AppError::Validation(errors) => Ok(errors),
        // The caller may manage members (checked first): the role is above theirs.
        AppError::Forbidden if !tenant_form => Ok(vec![crate::error::FieldError::new("role", "above-yours")]),
        other => match crate::service::members::conflict_field(&other, tenant_form) {
            Some(field) => Ok(vec![field]),
            None => Err(other.with_response_status()),
        },
    }
}

/// The members page: the tenant's members and invitations, the invitation just made
/// (`invited`) and a refused invitation form (`refused`).
#[server(endpoint = "load_members")]
pub async fn load_members(
    invited: Option<String>,
    refused: Option<String>,
) -> Result<(MembersPage, Option<Invited>, Option<RefusedInvite>), AppError> {
    let user = crate::auth::require(crate::domain::permission::Permission::ManageMembers)?;
    let state = crate::state::app_state()?;
    let page = crate::service::members::page(
        &state.pool,
        &user,
        crate::service::members::Delivery::of(&state.config),
    )
    .await
    .map_err(AppError::with_response_status)?;
    let invited = kept::<Invited>(INVITED_KEY, invited, true).await?;
    let refused = kept::<RefusedInvite>(INVITE_FORM_KEY, refused, false).await?;
    Ok((page, invited, refused))
}

/// Invites an address into the user's tenant with a role.
#[server(endpoint = "invite_member")]
pub async fn invite_member(email: String, role: String, language: Option<String>) -> Result<(), AppError> {
    let user = crate::auth::require(crate::domain::permission::Permission::ManageMembers)?;
    let state = crate::state::app_state()?;
    let form = InviteForm { email, role, language: language.unwrap_or_default() };
    match crate::service::members::invite(
        &state.pool,
        &user,
        &form,
        crate::service::members::Delivery::of(&state.config),
    )
    .await
    {
        Ok(invited) => {
            let token = keep(INVITED_KEY, invited).await?;
            leptos_axum::redirect(&format!("/console/members?invited={token}#invitations"));
        }
        Err(e @ (AppError::Validation(_) | AppError::Conflict { .. } | AppError::Forbidden)) => {
            let errors = refused_fields(e, false)?;
            let token = keep(INVITE_FORM_KEY, RefusedInvite { form, errors }).await?;
            leptos_axum::redirect(&format!("/console/members?refused={token}#invite"));
        }
        Err(e) => return Err(e.with_response_status()),
    }
    Ok(())
}

/// Sends an invitation again with a new link (the previous one stops working).
#[server(endpoint = "resend_invitation")]
pub async fn resend_invitation(id: String) -> Result<(), AppError> {
    let user = crate::auth::require(crate::domain::permission::Permission::ManageMembers)?;
    let state = crate::state::app_state()?;
    let id = Uuid::parse_str(&id).map_err(|_| AppError::NotFound.with_response_status())?;
    match crate::service::members::resend(
        &state.pool,
        &user,
        id,
        crate::service::members::Delivery::of(&state.config),
    )
    .await
    {
        Ok(invited) => {
            let token = keep(INVITED_KEY, invited).await?;
            leptos_axum::redirect(&format!("/console/members?invited={token}#invitations"));
        }
        Err(AppError::Conflict { .. }) => leptos_axum::redirect("/console/members?error=closed#invitations"),
        Err(e) => return Err(e.with_response_status()),
    }
    Ok(())
}

/// Takes an invitation back (the page asked for a confirmation: `confirm=yes`).
#[server(endpoint = "revoke_invitation")]
pub async fn revoke_invitation(id: String, confirm: Option<String>) -> Result<(), AppError> {
    let user = crate::auth::require(crate::domain::permission::Permission::ManageMembers)?;
    let state = crate::state::app_state()?;
    let id = Uuid::parse_str(&id).map_err(|_| AppError::NotFound.with_response_status())?;
    let confirmed = confirm.as_deref() == Some("yes");
    match crate::service::members::revoke(&state.pool, &user, id, confirmed).await {
        Ok(_) => leptos_axum::redirect("/console/members?revoked=1#invitations"),
        Err(AppError::Conflict { .. }) => leptos_axum::redirect("/console/members?error=closed#invitations"),
        Err(e) => return Err(e.with_response_status()),
    }
    Ok(())
}

/// The tenants page, the tenant just created (`created`) and a refused form (`refused`).
#[server(endpoint = "load_tenants")]
pub async fn load_tenants(
    created: Option<String>,
    refused: Option<String>,
) -> Result<(TenantsPage, Option<Invited>, Option<RefusedTenant>), AppError> {
    let user = crate::auth::require(crate::domain::permission::Permission::ManageTenants)?;
    let state = crate::state::app_state()?;
    let page = crate::service::members::tenants_page(
        &state.pool,
        &user,
        crate::service::members::Delivery::of(&state.config),
    )
    .await
    .map_err(AppError::with_response_status)?;
    let created = kept::<Invited>(INVITED_KEY, created, true).await?;
    let refused = kept::<RefusedTenant>(TENANT_FORM_KEY, refused, false).await?;
    Ok((page, created, refused))
}

/// One tenant's page (platform admins).
#[server(endpoint = "load_tenant")]
pub async fn load_tenant(id: String) -> Result<TenantPage, AppError> {
    let user = crate::auth::require(crate::domain::permission::Permission::ManageTenants)?;
    let state = crate::state::app_state()?;
    crate::service::members::tenant_page(&state.pool, &user, &id)
        .await
        .map_err(AppError::with_response_status)
}

/// Creates a tenant and invites its first tenant-admin.
#[server(endpoint = "create_tenant")]
pub async fn create_tenant(slug: String, name: String, admin_email: String) -> Result<(), AppError> {
    let user = crate::auth::require(crate::domain::permission::Permission::ManageTenants)?;
    let state = crate::state::app_state()?;
    let form = TenantForm { slug, name, admin_email };
    match crate::service::members::create_tenant(
        &state.pool,
        &user,
        &form,
        crate::service::members::Delivery::of(&state.config),
    )
    .await
    {
        Ok(invited) => {
            let token = keep(INVITED_KEY, invited).await?;
            leptos_axum::redirect(&format!("/console/tenants?created={token}"));
        }
        Err(e @ (AppError::Validation(_) | AppError::Conflict { .. })) => {
            let errors = refused_fields(e, true)?;
            let token = keep(TENANT_FORM_KEY, RefusedTenant { form, errors }).await?;
            leptos_axum::redirect(&format!("/console/tenants?refused={token}#new-tenant"));
        }
        Err(e) => return Err(e.with_response_status()),
    }
    Ok(())
}

/// What an invitation link leads to (anyone holding the link), and a refused acceptance.
#[server(endpoint = "load_invitation")]
pub async fn load_invitation(
    token: String,
    refused: Option<String>,
) -> Result<(InvitationView, Option<RefusedAccept>), AppError> {
    let state = crate::state::app_state()?;
    let view = crate::service::members::view(&state.pool, &token, state.identity.enabled())
        .await
        .map_err(AppError::with_response_status)?;
    let refused = kept::<RefusedAccept>(ACCEPT_FORM_KEY, refused, false).await?;
    Ok((view, refused))
}

/// Accepts an invitation with a username and a password: the account is made, the link
/// used up, the person signed in and sent to the onboarding wizard.
#[server(endpoint = "accept_invitation")]
pub async fn accept_invitation(
    token: String,
    username: String,
    display_name: String,
    password: String,
) -> Result<(), AppError> {
    let state = crate::state::app_state()?;
    let form = AcceptForm { username, display_name, password };
    let back = format!("/invitations/{}", crate::auth::encode_query_value(&token));
    match crate::service::members::accept(&state.pool, &token, &form).await {
        Ok(user) => {
            crate::api::auth::start_session(&session().await?, &user).await?;
            leptos_axum::redirect("/onboarding");
        }
        Err(AppError::Validation(errors)) => {
            let form = AcceptForm { password: String::new(), ..form };
            let token = keep(ACCEPT_FORM_KEY, RefusedAccept { form, errors }).await?;
            leptos_axum::redirect(&format!("{back}?refused={token}#accept"));
        }
        Err(AppError::Conflict { code }) => {
            leptos_axum::redirect(&format!("{back}?error={}", crate::auth::encode_query_value(&code)))
        }
        Err(e) => return Err(e.with_response_status()),
    }
    Ok(())
}

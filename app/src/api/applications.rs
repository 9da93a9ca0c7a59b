//! Applications and their credentials (`/apps`, `/apps/:id`, REST `/v1/applications`):
//! create, edit, delete; API keys and client secrets issued, rotated with a grace period,
//! revoked — each secret shown exactly once. And the gateways' `POST /v1/keys/verify`.

use crate::error::AppError;
use crate::model::applications::*;
use leptos::prelude::*;
#[cfg(feature = "ssr")]
use uuid::Uuid;

/// The signed-in user's applications.
#[server(endpoint = "my_applications")]
pub async fn my_applications() -> Result<Vec<AppSummary>, AppError> {
    let user = crate::auth::require(crate::domain::permission::Permission::ManageOwnApplications)?;
    let state = crate::state::app_state()?;
    crate::service::applications::list(&state.pool, &user).await
}

/// One of the user's applications, with the secret just issued (shown once) when
/// `issued` names it, and a refused edit when `refused` names one.
#[server(endpoint = "application_page")]
pub async fn application_page(
    id: String,
    issued: Option<String>,
    refused: Option<String>,
) -> Result<(Option<AppDetail>, Option<IssuedSecret>, Option<RefusedApp>), AppError> {
    let user = crate::auth::require(crate::domain::permission::Permission::ManageOwnApplications)?;
    let state = crate::state::app_state()?;
    let session: tower_sessions::Session =
        leptos_axum::extract().await.map_err(|e| AppError::internal("session extractor", e))?;
    let refused = match refused {
        Some(token) => crate::flash::read::<RefusedApp>(&session, FORM_KEY, &token)
            .await
            .map_err(|e| AppError::internal("session read", e))?,
        None => None,
    };
    if id == "new" {
        return Ok((None, None, refused));
    }
    let id = Uuid::parse_str(&id).map_err(|_| AppError::NotFound.with_response_status())?;
    let detail = crate::service::applications::get(&state.pool, &user, id)
        .await
        .map_err(AppError::with_response_status)?;
    let issued = match issued {
        Some(token) => crate::flash::take::<IssuedSecret>(&session, ISSUED_KEY, &token)
            .await
            .map_err(|e| AppError::internal("session read", e))?
            .filter(|s| s.application_id == id),
        None => None,
    };
    Ok((Some(detail), issued, refused))
}

/// Creates (`id` empty) or changes an application; back to its page, or to the form
/// with the errors and what was typed.
#[server(endpoint = "save_application")]
pub async fn save_application(
    id: Option<String>,
    name: String,
    description: String,
    security_profile: String,
    redirect_uris: String,
) -> Result<(), AppError> {
    let user = crate::auth::require(crate::domain::permission::Permission::ManageOwnApplications)?;
    let state = crate::state::app_state()?;
    let form = AppForm { name, description, security_profile, redirect_uris };
    let id = id
        .filter(|i| !i.is_empty())
        .map(|i| Uuid::parse_str(&i))
        .transpose()
        .map_err(|_| AppError::NotFound)?;
    match crate::service::applications::save(&state.pool, &user, id, &form).await {
        Ok(saved) => {
            let what = if id.is_none() { "created" } else { "updated" };
            leptos_axum::redirect(&format!("/apps/{saved}?saved={what}"))
        }
        Err(AppError::Validation(errors)) => {
            let session: tower_sessions::Session =
                leptos_axum::extract().await.map_err(|e| AppError::internal("session extractor", e))?;
            let token = crate::flash::keep(&session, FORM_KEY, RefusedApp { form, errors })
                .await
                .map_err(|e| AppError::internal("session write", e))?;
            let page = id.map(|i| i.to_string()).unwrap_or_else(|| "new".into());
            leptos_axum::redirect(&format!("/apps/{page}?refused={token}#app-form"));
        }
        Err(e) => return Err(e.with_response_status()),
    }
    Ok(())
}

/// Deletes an application after confirmation (its credentials and subscriptions are
/// revoked); back to the list.
#[server(endpoint = "delete_application")]
pub async fn delete_application(id: String) -> Result<(), AppError> {
    let user = crate::auth::require(crate::domain::permission::Permission::ManageOwnApplications)?;
    let state = crate::state::app_state()?;
    let id = Uuid::parse_str(&id).map_err(|_| AppError::NotFound.with_response_status())?;
    crate::service::applications::delete(&state.pool, &user, id)
        .await
        .map_err(AppError::with_response_status)?;
    leptos_axum::redirect("/apps?deleted=1");
    Ok(())
}

/// Issues a new API key (or client secret, for OAuth2 applications), optionally expiring
/// after `expires_in_days`; the page shows it once.
#[server(endpoint = "issue_credential")]
pub async fn issue_credential(application: String, expires_in_days: Option<String>) -> Result<(), AppError> {
    let user = crate::auth::require(crate::domain::permission::Permission::ManageOwnApplications)?;
    let state = crate::state::app_state()?;
    let id = Uuid::parse_str(&application).map_err(|_| AppError::NotFound.with_response_status())?;
    let Ok(days) = crate::domain::credential::ExpiryDays::parse(expires_in_days.as_deref()) else {
        leptos_axum::redirect(&format!("/apps/{id}?error=expiry#credentials"));
        return Err(AppError::field("expires_in_days", "out-of-range"));
    };
    let issued = crate::service::applications::issue(&state.pool, &user, id, days)
        .await
        .map_err(AppError::with_response_status)?;
    show_once(id, issued).await
}

/// Rotates a credential: a new secret now, the previous one still valid for
/// `grace_hours` (1–168, default 24).
#[server(endpoint = "rotate_credential")]
pub async fn rotate_credential(credential: String, grace_hours: Option<String>) -> Result<(), AppError> {
    let user = crate::auth::require(crate::domain::permission::Permission::ManageOwnApplications)?;
    let state = crate::state::app_state()?;
    let id = Uuid::parse_str(&credential).map_err(|_| AppError::NotFound.with_response_status())?;
    let Some(hours) = crate::domain::credential::GraceHours::parse(grace_hours.as_deref()) else {
        return Err(AppError::field("grace_hours", "out-of-range").with_response_status());
    };
    let issued = crate::service::applications::rotate(&state.pool, &user, None, id, hours)
        .await
        .map_err(AppError::with_response_status)?;
    show_once(issued.application_id, issued).await
}

/// Revokes a credential at once.
#[server(endpoint = "revoke_credential")]
pub async fn revoke_credential(credential: String) -> Result<(), AppError> {
    let user = crate::auth::require(crate::domain::permission::Permission::ManageOwnApplications)?;
    let state = crate::state::app_state()?;
    let id = Uuid::parse_str(&credential).map_err(|_| AppError::NotFound.with_response_status())?;
    let app = crate::service::applications::revoke(&state.pool, &user, id)
        .await
        .map_err(AppError::with_response_status)?;
    leptos_axum::redirect(&format!("/apps/{app}?revoked=1#credentials"));
    Ok(())
}

/// Keeps a fresh secret for one view of its application's page and goes there.
#[cfg(feature = "ssr")]
async fn show_once(app: Uuid, issued: IssuedSecret) -> Result<(), AppError> {
    let session: tower_sessions::Session =
        leptos_axum::extract().await.map_err(|e| AppError::internal("session extractor", e))?;
    let token = crate::flash::keep(&session, ISSUED_KEY, issued)
        .await
        .map_err(|e| AppError::internal("session write", e))?;
    leptos_axum::redirect(&format!("/apps/{app}?issued={token}#credentials"));
    Ok(())
}

//! Publishing (devops and tenant admins, own tenant): API versions from OpenAPI documents
//! and MCP servers with their tools, from `POST /v1/catalog/apis`, `POST /v1/mcp/servers`
//! and the `/console/apis` forms. Every field is checked and reported against its name; a
//! malformed document or tool schema says what and where.

#[cfg(feature = "ssr")]
use crate::domain::catalog::{Audience, AuthType, Kind};
use crate::error::AppError;
use crate::model::publishing::*;
use leptos::prelude::*;

/// The tenant's entries, for `/console/apis`.
#[server(endpoint = "console_apis")]
pub async fn console_apis() -> Result<Vec<OwnItem>, AppError> {
    let user = crate::auth::require(crate::domain::permission::Permission::PublishApis)?;
    let state = crate::state::app_state()?;
    crate::service::publishing::own_items(&state.pool, &user).await
}

/// What the publishing form of `kind` shows: the refused submission `refused` with its
/// errors if the session still holds it, else the entry `edit` of the tenant, else an
/// empty form.
#[server(endpoint = "console_form")]
pub async fn publishing_form(
    kind: String,
    edit: Option<String>,
    refused: Option<String>,
) -> Result<FormState, AppError> {
    let user = crate::auth::require(crate::domain::permission::Permission::PublishApis)?;
    let kind = Kind::parse(&kind).ok_or(AppError::NotFound)?;
    if let Some(token) = refused.filter(|t| !t.is_empty()) {
        let session: tower_sessions::Session =
            leptos_axum::extract().await.map_err(|e| AppError::internal("session extractor", e))?;
        let kept = crate::flash::read::<FormState>(&session, FORM_STATE_KEY, &token)
            .await
            .map_err(|e| AppError::internal("session read", e))?
            .filter(|s| s.form.kind == kind.as_str());
        if let Some(kept) = kept {
            return Ok(kept);
        }
    }
    let mut form = ConsoleForm {
        kind: kind.as_str().into(),
        audience: Audience::Public.as_str().into(),
        auth_type: AuthType::ApiKey.as_str().into(),
        environments: vec!["dev".into()],
        ..Default::default()
    };
    if let Some(slug) = edit.filter(|s| !s.is_empty()) {
        let state = crate::state::app_state()?;
        let detail = crate::service::publishing::own_detail(&state.pool, &user, kind, &slug)
            .await
            .map_err(AppError::with_response_status)?;
        form = ConsoleForm { environments: form.environments, ..ConsoleForm::of(&detail) };
    }
    Ok(FormState { form, ..Default::default() })
}

/// Publishes a draft version of the tenant's API; back to the console.
#[server(endpoint = "console_publish_version")]
pub async fn publish_version(api: String, version: String) -> Result<(), AppError> {
    let user = crate::auth::require(crate::domain::permission::Permission::PublishApis)?;
    let state = crate::state::app_state()?;
    let outcome = crate::service::publishing::publish_draft(&state.pool, &user, &api, &version).await;
    leptos_axum::redirect(&crate::service::publishing::console_url(&outcome, &api, "published"));
    Ok(())
}

/// Deploys a version of the tenant's API to an environment; back to the console.
#[server(endpoint = "console_deploy_version")]
pub async fn deploy_version(api: String, version: String, environment: String) -> Result<(), AppError> {
    let user = crate::auth::require(crate::domain::permission::Permission::PublishApis)?;
    let state = crate::state::app_state()?;
    let outcome = crate::service::publishing::deploy(&state.pool, &user, &api, &version, &environment).await;
    leptos_axum::redirect(&crate::service::publishing::console_url(&outcome, &api, "deployed"));
    Ok(())
}

/// Where a lifecycle form goes back to: the console with what happened, or with why it was
/// refused next to the version's form.
#[cfg(feature = "ssr")]
fn lifecycle_back(
    outcome: Result<crate::model::publishing::VersionLifecycle, AppError>,
    api: &str,
    version: &str,
    done: &str,
) -> Result<String, AppError> {
    let enc = crate::auth::encode_query_value;
    match outcome {
        Ok(_) => Ok(format!("/console/apis?done={done}&api={}", enc(api))),
        Err(AppError::Validation(errors)) => {
            let e =
                errors.into_iter().next().unwrap_or_else(|| crate::error::FieldError::new("form", "invalid"));
            Ok(format!(
                "/console/apis?lifecycle_error={}&detail={}&api={}&version={}#version-{}-{}",
                enc(&e.code),
                enc(e.detail.as_deref().unwrap_or_default()),
                enc(api),
                enc(version),
                enc(api),
                enc(version)
            ))
        }
        Err(e) => Err(e.with_response_status()),
    }
}

/// Deprecates a published version of the tenant's API with a sunset (a date at least a
/// week ahead) and optionally a successor; back to the console.
#[server(endpoint = "console_deprecate_version")]
pub async fn deprecate_version(
    api: String,
    version: String,
    sunset: String,
    successor: Option<String>,
) -> Result<(), AppError> {
    let user = crate::auth::require(crate::domain::permission::Permission::PublishApis)?;
    let state = crate::state::app_state()?;
    let outcome = crate::service::lifecycle::deprecate(
        &state.pool,
        &user,
        &user.tenant_id,
        &api,
        &version,
        &sunset,
        successor.as_deref(),
    )
    .await;
    leptos_axum::redirect(&lifecycle_back(outcome, &api, &version, "deprecated")?);
    Ok(())
}

/// Retires a version of the tenant's API once the page asked (`confirm=yes`).
#[server(endpoint = "console_retire_version")]
pub async fn retire_version(api: String, version: String, confirm: Option<String>) -> Result<(), AppError> {
    let user = crate::auth::require(crate::domain::permission::Permission::PublishApis)?;
    let state = crate::state::app_state()?;
    let enc = crate::auth::encode_query_value;
    if confirm.as_deref() != Some("yes") {
        let to = format!(
            "/console/apis?retire={}&version={}#version-{}-{}",
            enc(&api),
            enc(&version),
            enc(&api),
            enc(&version)
        );
        leptos_axum::redirect(&to);
        return Ok(());
    }
    let outcome =
        crate::service::lifecycle::retire(&state.pool, &user, &user.tenant_id, &api, &version, true).await;
    leptos_axum::redirect(&lifecycle_back(outcome, &api, &version, "retired")?);
    Ok(())
}

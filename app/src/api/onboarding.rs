//! The onboarding wizard's server functions (`/onboarding`): each step a plain form that
//! goes on to the next step, or back to its own with the reason.

use crate::error::AppError;
use crate::model::onboarding::OnboardingPage;
use leptos::prelude::*;

/// Where the key issued in step 2 waits for its one showing.
#[cfg(feature = "ssr")]
const KEY_FLASH: &str = "onboarding.key";

/// The step `step` (a slug; default the current one) of the signed-in user's wizard.
/// A step whose prerequisites are missing sends back to the current one, saying which
/// was asked for. `issued` names the key to show once.
#[server(endpoint = "load_onboarding")]
pub async fn load_onboarding(
    step: Option<String>,
    issued: Option<String>,
) -> Result<OnboardingPage, AppError> {
    use crate::domain::onboarding::Step;
    let user = crate::auth::require(crate::domain::permission::Permission::ManageOwnApplications)?;
    let state = crate::state::app_state()?;
    let asked = step.as_deref().and_then(Step::of_slug);
    let mut page = crate::service::onboarding::page(
        &state.pool,
        &user,
        &state.config.gateway.public_url,
        asked.unwrap_or(Step::Done),
    )
    .await?;
    if let Some(asked) = asked.filter(|a| *a > page.state.step) {
        leptos_axum::redirect(&format!("/onboarding/{}?back={}", page.state.step.slug(), asked.slug()));
        return Ok(page);
    }
    if let Some(token) = issued {
        let session: tower_sessions::Session =
            leptos_axum::extract().await.map_err(|e| AppError::internal("session extractor", e))?;
        let secret =
            crate::flash::take::<crate::model::applications::IssuedSecret>(&session, KEY_FLASH, &token)
                .await
                .map_err(|e| AppError::internal("session read", e))?;
        let current_app = page.state.application.as_ref().map(|a| a.id);
        page.issued_key = secret.filter(|s| Some(s.application_id) == current_app).map(|s| s.secret);
    }
    Ok(page)
}

/// Step 1: the use case.
#[server(endpoint = "onboarding_use_case")]
pub async fn onboarding_use_case(use_case: Option<String>) -> Result<(), AppError> {
    use crate::domain::onboarding::UseCase;
    let user = crate::auth::require(crate::domain::permission::Permission::ManageOwnApplications)?;
    let state = crate::state::app_state()?;
    let Some(use_case) = use_case.as_deref().and_then(UseCase::parse) else {
        leptos_axum::redirect("/onboarding/use-case?error=choose-use-case");
        return Ok(());
    };
    match crate::service::onboarding::choose_use_case(&state.pool, &user, use_case).await {
        Ok(_) => leptos_axum::redirect("/onboarding/application"),
        Err(e) => back("use-case", &e)?,
    }
    Ok(())
}

/// Step 2: an application of the user's (`application` its id) or a new one; the new
/// key is shown once on the same step.
#[server(endpoint = "onboarding_application")]
pub async fn onboarding_application(
    application: Option<String>,
    name: Option<String>,
    description: Option<String>,
    new_key: Option<String>,
) -> Result<(), AppError> {
    use crate::model::onboarding::ChooseApplication;
    let user = crate::auth::require(crate::domain::permission::Permission::ManageOwnApplications)?;
    let state = crate::state::app_state()?;
    let existing = application.as_deref().filter(|a| !a.is_empty() && *a != "new");
    let choice = match existing.map(uuid::Uuid::parse_str) {
        Some(Ok(id)) => ChooseApplication {
            application_id: Some(id),
            new_key: new_key.is_some_and(|v| v == "true"),
            ..Default::default()
        },
        Some(Err(_)) => return back("application", &AppError::NotFound),
        None => ChooseApplication { application_id: None, name, description, new_key: false },
    };
    match crate::service::onboarding::choose_application(&state.pool, &user, &choice).await {
        Ok((_, Some(issued))) => {
            let session: tower_sessions::Session =
                leptos_axum::extract().await.map_err(|e| AppError::internal("session extractor", e))?;
            let token = crate::flash::keep(&session, KEY_FLASH, issued)
                .await
                .map_err(|e| AppError::internal("session write", e))?;
            leptos_axum::redirect(&format!("/onboarding/application?issued={token}#key"));
        }
        Ok((_, None)) => leptos_axum::redirect("/onboarding/subscription"),
        Err(e) => back("application", &e)?,
    }
    Ok(())
}

/// Step 3: subscribe the wizard's application to `entry` (`kind/tenant/slug`) with
/// `plan`.
#[server(endpoint = "onboarding_subscribe")]
pub async fn onboarding_subscribe(entry: String, plan: Option<String>) -> Result<(), AppError> {
    use crate::model::onboarding::ChooseSubscription;
    let user = crate::auth::require(crate::domain::permission::Permission::ManageOwnApplications)?;
    let state = crate::state::app_state()?;
    let mut parts = entry.splitn(3, '/');
    let (Some(kind), Some(tenant), Some(slug)) = (parts.next(), parts.next(), parts.next()) else {
        return back("subscription", &AppError::NotFound);
    };
    let choice = ChooseSubscription { kind: kind.into(), tenant: tenant.into(), slug: slug.into(), plan };
    match crate::service::onboarding::choose_subscription(&state.pool, &user, &choice).await {
        Ok(s) => leptos_axum::redirect(&format!("/onboarding/{}", s.step.slug())),
        Err(e) => back("subscription", &e)?,
    }
    Ok(())
}

/// Leaves the wizard (it stays where it was; the navigation stops offering it).
#[server(endpoint = "onboarding_leave")]
pub async fn onboarding_leave() -> Result<(), AppError> {
    let user = crate::auth::require(crate::domain::permission::Permission::ManageOwnApplications)?;
    let state = crate::state::app_state()?;
    crate::service::onboarding::dismiss(&state.pool, &user).await?;
    leptos_axum::redirect("/");
    Ok(())
}

/// Starts the wizard over (applications and subscriptions stay).
#[server(endpoint = "onboarding_restart")]
pub async fn onboarding_restart() -> Result<(), AppError> {
    let user = crate::auth::require(crate::domain::permission::Permission::ManageOwnApplications)?;
    let state = crate::state::app_state()?;
    crate::service::onboarding::restart(&state.pool, &user).await?;
    leptos_axum::redirect("/onboarding/use-case");
    Ok(())
}

/// Back to `step` with the reason, for the errors a user can mend; the others as they are.
#[cfg(feature = "ssr")]
fn back(step: &str, e: &AppError) -> Result<(), AppError> {
    let code = match e {
        AppError::Validation(fields) => {
            fields.first().map(|f| f.code.clone()).unwrap_or_else(|| "invalid".into())
        }
        AppError::Conflict { code } => code.clone(),
        AppError::NotFound => "not-found".into(),
        other => return Err(other.clone()),
    };
    leptos_axum::redirect(&format!("/onboarding/{step}?error={}", crate::auth::encode_query_value(&code)));
    Ok(())
}

/// The onboarding funnel of the console (`/console/onboarding`).
#[server(endpoint = "load_onboarding_funnel")]
pub async fn load_onboarding_funnel(
    query: crate::model::onboarding::FunnelQuery,
) -> Result<crate::model::onboarding::FunnelReport, AppError> {
    let user = crate::auth::require(crate::domain::permission::Permission::ViewOnboardingFunnel)?;
    let state = crate::state::app_state()?;
    crate::service::onboarding::funnel(&state.pool, &user, &query)
        .await
        .map_err(AppError::with_response_status)
}

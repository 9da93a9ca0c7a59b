//! The signed-in user's own settings.

use crate::error::AppError;
use leptos::prelude::*;

/// Stores the preferred language on the account (applied at every sign-in) and switches
/// the current display to it.
#[server(endpoint = "save_profile")]
pub async fn save_profile(language: String) -> Result<(), AppError> {
    use crate::domain::language::Language;
    let user = crate::auth::require_signed_in().inspect_err(|_| {
        // The session ended while the page was open: sign in again, then come back.
        leptos_axum::redirect("/login?next=/profile");
    })?;
    let state = crate::state::app_state()?;
    let lang = Language::parse(&language)
        .ok_or_else(|| AppError::field("language", "unsupported").with_response_status())?;
    crate::service::account::set_language(&state.pool, &user, lang).await?;
    crate::api::preferences::set_language_cookie(lang)?;
    Ok(())
}

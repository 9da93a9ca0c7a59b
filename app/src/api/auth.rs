//! Signing in with a local account. (Signing out is `POST /logout`, a plain route.)

use crate::error::AppError;
use leptos::prelude::*;

/// Checks a local account's password; on success renews the session id and stores the
/// user in it. Always answers with a redirect: to `next` on success, back to the form
/// with `?error=invalid` otherwise — the same message whether or not the user exists —
/// or `?error=throttled` after too many recent failures for the account or the address
/// (then not even the right password gets in until the window has passed).
#[server(endpoint = "login")]
pub async fn login(username: String, password: String, next: Option<String>) -> Result<(), AppError> {
    use crate::auth::safe_next;
    use crate::service::account::{self, SignIn};

    let state = crate::state::app_state()?;
    if !state.config.local_accounts {
        // Only the identity provider signs people in here (LOCAL_ACCOUNTS=off).
        return Err(AppError::NotFound.with_response_status());
    }
    let session: tower_sessions::Session =
        leptos_axum::extract().await.map_err(|e| AppError::internal("session extractor", e))?;
    let username = username.trim().to_ascii_lowercase();
    let client = client_addr();
    let back = |error: &str| crate::auth::login_error_url(error, next.as_deref());
    match account::sign_in(&state.pool, &username, password, client.as_deref()).await? {
        SignIn::Throttled => leptos_axum::redirect(&back("throttled")),
        SignIn::Refused => leptos_axum::redirect(&back("invalid")),
        SignIn::Accepted { user, language } => {
            start_session(&session, &user).await?;
            if let Some(lang) = language {
                crate::api::preferences::set_language_cookie(lang)?;
            }
            leptos_axum::redirect(safe_next(next.as_deref()));
        }
    }
    Ok(())
}

/// Signs `user` in on this session: a new session id (no fixation), the user in it.
#[cfg(feature = "ssr")]
pub async fn start_session(
    session: &tower_sessions::Session,
    user: &crate::auth::CurrentUser,
) -> Result<(), AppError> {
    use crate::auth::{SessionUser, SESSION_USER_KEY};
    session.cycle_id().await.map_err(|e| AppError::internal("session cycle", e))?;
    let stored = SessionUser { id: user.id, signed_in_at: chrono::Utc::now().timestamp() };
    session.insert(SESSION_USER_KEY, stored).await.map_err(|e| AppError::internal("session insert", e))
}

/// The client's address as the listener saw it (no proxy headers are trusted yet).
#[cfg(feature = "ssr")]
fn client_addr() -> Option<String> {
    use axum::extract::ConnectInfo;
    use_context::<axum::http::request::Parts>()
        .and_then(|p| p.extensions.get::<ConnectInfo<std::net::SocketAddr>>().map(|c| c.0.ip().to_string()))
}

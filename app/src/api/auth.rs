//! Signing in with a local account. (Signing out is `POST /logout`, a plain route.)

use crate::error::AppError;
use leptos::prelude::*;

/// Failed attempts allowed per account within [`THROTTLE_MINUTES`].
pub const MAX_FAILURES_PER_ACCOUNT: i64 = 5;
/// Failed attempts allowed per client address within [`THROTTLE_MINUTES`].
pub const MAX_FAILURES_PER_CLIENT: i64 = 20;
/// The throttling window.
pub const THROTTLE_MINUTES: i32 = 15;

/// Checks a local account's password; on success renews the session id and stores the
/// user in it. Always answers with a redirect: to `next` on success, back to the form
/// with `?error=invalid` otherwise — the same message whether or not the user exists —
/// or `?error=throttled` after too many recent failures for the account or the address
/// (then not even the right password gets in until the window has passed).
#[server(endpoint = "login")]
pub async fn login(username: String, password: String, next: Option<String>) -> Result<(), AppError> {
    use crate::auth::{password, safe_next, SessionUser, SESSION_USER_KEY};
    use crate::db::scope::{self, Scope};
    use crate::db::{audit, users};

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
    // Sign-in happens before anyone's tenant is known: the server's own, platform-wide work.
    let mut tx = scope::begin(&state.pool, Scope::Platform).await?;
    let (by_account, by_client) =
        audit::recent_sign_in_failures(&mut *tx, &username, client.as_deref(), THROTTLE_MINUTES).await?;
    if by_account >= MAX_FAILURES_PER_ACCOUNT || by_client >= MAX_FAILURES_PER_CLIENT {
        let entry = audit::AuditEntry::anonymous(
            crate::domain::event::actions::SIGN_IN_THROTTLED,
            &username,
            client.as_deref(),
            serde_json::json!({ "by_account": by_account, "by_client": by_client }),
        );
        audit::record(&mut *tx, &entry).await?;
        tx.commit().await?;
        leptos_axum::redirect(&back("throttled"));
        return Ok(());
    }
    let found = users::credentials(&mut *tx, &username).await?;
    tx.commit().await?;
    let (user, hash) = match found {
        Some((user, hash)) => (Some(user), hash),
        None => (None, None),
    };
    let verified = password::verify(password, hash).await;
    let mut tx = scope::begin(&state.pool, Scope::Platform).await?;
    match user.filter(|_| verified) {
        None => {
            let entry = audit::AuditEntry::anonymous(
                crate::domain::event::actions::SIGN_IN_FAILED,
                &username,
                client.as_deref(),
                serde_json::json!({}),
            );
            audit::record(&mut *tx, &entry).await?;
            tx.commit().await?;
            leptos_axum::redirect(&back("invalid"));
        }
        Some(user) => {
            session.cycle_id().await.map_err(|e| AppError::internal("session cycle", e))?;
            let stored = SessionUser { id: user.id, signed_in_at: chrono::Utc::now().timestamp() };
            session
                .insert(SESSION_USER_KEY, stored)
                .await
                .map_err(|e| AppError::internal("session insert", e))?;
            let preferred = users::record_sign_in(&mut tx, &user, "local", client.as_deref()).await?;
            tx.commit().await?;
            if let Some(lang) = preferred.as_deref().and_then(crate::domain::language::Language::parse) {
                crate::api::preferences::set_language_cookie(lang)?;
            }
            leptos_axum::redirect(safe_next(next.as_deref()));
        }
    }
    Ok(())
}

/// The client's address as the listener saw it (no proxy headers are trusted yet).
#[cfg(feature = "ssr")]
fn client_addr() -> Option<String> {
    use axum::extract::ConnectInfo;
    use_context::<axum::http::request::Parts>()
        .and_then(|p| p.extensions.get::<ConnectInfo<std::net::SocketAddr>>().map(|c| c.0.ip().to_string()))
}

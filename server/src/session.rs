//! Server-side sessions (tower-sessions, Postgres store) and the middleware that turns a
//! session into a `CurrentUser` request extension for pages and server functions.

use app::auth::{SessionUser, ABSOLUTE_SESSION_SECS, SESSION_USER_KEY};
use app::db::audit;
use app::db::scope::{self, Scope};
use app::state::AppState;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use tower_sessions::cookie::time::Duration;
use tower_sessions::cookie::SameSite;
use tower_sessions::{Expiry, Session, SessionManagerLayer};
use tower_sessions_sqlx_store::PostgresStore;

/// Name of the session cookie.
pub const COOKIE: &str = "stoa_session";

/// Sessions in Postgres; cookie HttpOnly, SameSite=Lax (Strict would drop the session on
/// the identity provider's redirect back), Secure behind https; 2 h idle expiry.
pub fn layer(state: &AppState) -> SessionManagerLayer<PostgresStore> {
    SessionManagerLayer::new(PostgresStore::new(state.pool.clone()))
        .with_name(COOKIE)
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_secure(state.config.secure_cookies())
        .with_expiry(Expiry::OnInactivity(Duration::hours(2)))
}

/// Deletes expired sessions every `period` until `shutdown` (sessions past their expiry
/// are already refused; this keeps the table from growing without bound).
pub async fn sweep_expired(
    state: AppState,
    period: std::time::Duration,
    shutdown: tokio_util::sync::CancellationToken,
) {
    use tower_sessions::ExpiredDeletion;
    let store = PostgresStore::new(state.pool.clone());
    crate::every(period, shutdown, || async {
        if let Err(e) = store.delete_expired().await {
            tracing::warn!(error = %e, "expired-session sweep failed");
        }
        if let Err(e) = app::service::account::sweep_sign_in_attempts(&state.pool).await {
            tracing::warn!(error = ?e, "sign-in attempts sweep failed");
        }
    })
    .await
}

/// Puts the session's user into the request (or ends a session past its absolute age).
pub async fn load_user(
    State(state): State<AppState>,
    session: Session,
    mut req: Request,
    next: Next,
) -> Response {
    let stored = match session.get::<SessionUser>(SESSION_USER_KEY).await {
        Ok(stored) => stored,
        Err(e) => {
            tracing::warn!(error = %e, "session lookup failed");
            return match lookup_failed(&mut req) {
                Some(res) => res,
                None => next.run(req).await,
            };
        }
    };
    if let Some(stored) = stored {
        if chrono::Utc::now().timestamp() - stored.signed_in_at > ABSOLUTE_SESSION_SECS {
            let _ = session.flush().await;
        } else {
            match session_user(&state, stored.id).await {
                // The demo was reset since this sign-in: the session ends, and a page
                // says why (the demo's operators stay signed in).
                Ok(Some(row))
                    if row.reset_at.is_some_and(|at| at.timestamp() > stored.signed_in_at)
                        && !row.user.may(app::domain::permission::Permission::ResetDemo) =>
                {
                    let _ = session.flush().await;
                    // A page, or a form posted without JavaScript: to the sign-in page,
                    // which says why. The REST API and scripts get their usual 401.
                    let path = req.uri().path();
                    let html = req
                        .headers()
                        .get(axum::http::header::ACCEPT)
                        .and_then(|a| a.to_str().ok())
                        .is_some_and(|a| a.contains("text/html"));
                    let page =
                        !(path.starts_with("/v1/") || path.starts_with("/gw/") || path.starts_with("/api/"));
                    if page || (html && path.starts_with("/api/")) {
                        let next = if req.method() == axum::http::Method::GET {
                            req.uri().path_and_query().map(|p| p.as_str()).unwrap_or("/")
                        } else {
                            "/"
                        };
                        let to =
                            format!("/login?notice=demo-reset&next={}", app::auth::encode_next(Some(next)));
                        return Redirect::to(&to).into_response();
                    }
                }
                Ok(Some(row)) => {
                    req.extensions_mut().insert(row.user);
                    if row.getting_started {
                        req.extensions_mut().insert(app::auth::GettingStarted);
                    }
                }
                Ok(None) => {
                    let _ = session.flush().await;
                }
                Err(e) => {
                    tracing::warn!(error = %e, "session user lookup failed");
                    if let Some(res) = lookup_failed(&mut req) {
                        return res;
                    }
                }
            }
        }
    }
    next.run(req).await
}

/// The session or its user could not be read (the database is away): the caller is not
/// anonymous, so "sign in" would be wrong. The REST API answers 503 at once; pages and
/// server functions that need a user say "unavailable" (`app::auth::SessionUnavailable`).
fn lookup_failed(req: &mut Request) -> Option<Response> {
    if req.uri().path().starts_with("/v1/") {
        return Some(app::error::AppError::Unavailable.into_response());
    }
    req.extensions_mut().insert(app::auth::SessionUnavailable);
    None
}

/// `POST /logout`: deletes the server-side session, records it, and goes back to the home
/// page — through the identity provider's end-session endpoint when the user signed in
/// there and it offers one (RP-initiated logout).
pub async fn logout(State(state): State<AppState>, session: Session) -> Response {
    let id_token: Option<String> = session.get(app::oidc::ID_TOKEN_KEY).await.ok().flatten();
    if let Ok(Some(stored)) = session.get::<SessionUser>(SESSION_USER_KEY).await {
        if let Ok(Some(user)) = user_by_id(&state, stored.id).await {
            let entry = audit::AuditEntry::by(
                &user,
                app::domain::event::actions::SIGN_OUT,
                None,
                serde_json::json!({}),
            );
            if let Err(e) = record(&state, &entry).await {
                tracing::error!(error = %e, "audit of sign-out failed");
            }
        }
    }
    if let Err(e) = session.flush().await {
        tracing::error!(error = %e, "session delete failed");
    }
    let provider = match id_token {
        Some(token) => state.identity.logout_url(&token).await,
        None => None,
    };
    Redirect::to(provider.as_deref().unwrap_or("/")).into_response()
}

/// The session's user and whether the wizard is ahead of them: the server's own
/// lookup, before any tenant is known.
async fn session_user(
    state: &AppState,
    id: uuid::Uuid,
) -> Result<Option<app::db::users::SessionRow>, sqlx::Error> {
    let mut tx = scope::begin(&state.pool, Scope::Platform).await?;
    let user = app::db::users::session_user(&mut *tx, id).await?;
    tx.commit().await?;
    Ok(user)
}

/// The session's user: the server's own lookup, before any tenant is known.
async fn user_by_id(state: &AppState, id: uuid::Uuid) -> Result<Option<app::auth::CurrentUser>, sqlx::Error> {
    let mut tx = scope::begin(&state.pool, Scope::Platform).await?;
    let user = app::db::users::by_id(&mut *tx, id).await?;
    tx.commit().await?;
    Ok(user)
}

async fn record(state: &AppState, entry: &audit::AuditEntry<'_>) -> Result<(), sqlx::Error> {
    let mut tx = scope::begin(&state.pool, Scope::Platform).await?;
    audit::record(&mut *tx, entry).await?;
    tx.commit().await
}

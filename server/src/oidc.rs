//! Sign-in through the identity provider: `GET /auth/oidc/start` sends the browser to the
//! provider (PKCE, state, nonce kept in the session), `GET /auth/callback` brings it back.
//! Any failure lands on `/login` with one translated sentence; the detail is logged.

use app::auth::{safe_next, SessionUser, SESSION_USER_KEY};
use app::db::scope::{self, Scope};
use app::db::users;
use app::domain::language::Language;
use app::oidc::{Pending, ID_TOKEN_KEY, PENDING_KEY};
use app::state::AppState;
use axum::extract::{ConnectInfo, Query, State};
use axum::http::header::SET_COOKIE;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Extension;
use serde::Deserialize;
use std::net::SocketAddr;
use tower_sessions::Session;

#[derive(Deserialize)]
pub struct Start {
    next: Option<String>,
    /// An invitation link's secret: the sign-in accepts that invitation.
    invitation: Option<String>,
}

/// `GET /auth/oidc/start?next=/path`
pub async fn start(State(state): State<AppState>, session: Session, Query(q): Query<Start>) -> Response {
    let next = safe_next(q.next.as_deref()).to_owned();
    match state.identity.begin(&next).await {
        Ok((url, mut pending)) => match session
            .insert(PENDING_KEY, {
                pending.invitation = q.invitation.filter(|t| !t.is_empty() && t.len() <= 200);
                pending
            })
            .await
        {
            Ok(()) => Redirect::to(&url).into_response(),
            Err(e) => failed(&next, "provider", &e),
        },
        Err(e) => failed(&next, "provider", &e),
    }
}

#[derive(Deserialize)]
pub struct Callback {
    code: Option<String>,
    state: Option<String>,
    error: Option<String>,
}

/// `GET /auth/callback?code=…&state=…` (or `?error=…` when the user cancelled).
pub async fn callback(
    State(state): State<AppState>,
    session: Session,
    connect: Option<Extension<ConnectInfo<SocketAddr>>>,
    Query(q): Query<Callback>,
) -> Response {
    // One use only: a replayed callback finds nothing pending.
    let pending: Option<Pending> = session.remove(PENDING_KEY).await.ok().flatten();
    let Some(pending) = pending else {
        return failed("/", "provider", &"callback without a pending sign-in");
    };
    let next = pending.next.clone();
    if let Some(error) = q.error {
        return failed(&next, "provider", &format!("provider answered `{error}`"));
    }
    let (Some(code), Some(returned_state)) = (q.code, q.state) else {
        return failed(&next, "provider", &"callback without code or state");
    };
    let (claims, id_token) = match state.identity.finish(&pending, &code, &returned_state).await {
        Ok(done) => done,
        Err(e) => return failed(&next, "provider", &e),
    };
    let client = connect.map(|c| c.0 .0.ip().to_string());
    let signed_in = async {
        let mut tx = scope::begin(&state.pool, Scope::Platform).await.map_err(users::UpsertError::from)?;
        let user = users::upsert_from_provider(&mut tx, &claims).await?;
        let language = users::record_sign_in(&mut tx, &user, "oidc", client.as_deref()).await?;
        tx.commit().await?;
        Ok::<_, users::UpsertError>((user, language))
    }
    .await;
    let (user, language) = match signed_in {
        Ok(done) => done,
        Err(e @ users::UpsertError::UnknownTenant(_)) => {
            // The sign-in page names the tenant, so that they know what to ask for.
            tracing::warn!(detail = %e, "sign-in through the identity provider failed");
            let url = format!(
                "{}&tenant={}",
                app::auth::login_error_url("tenant", Some(&next)),
                app::auth::encode_query_value(&claims.tenant_id.chars().take(64).collect::<String>())
            );
            return Redirect::to(&url).into_response();
        }
        Err(e @ users::UpsertError::UsernameTaken(_)) => return failed(&next, "conflict", &e),
        Err(e) => return failed(&next, "provider", &e),
    };
    // Through an invitation: it is used up by this account (same address, same tenant),
    // or the invitation's page says why not, and nobody is signed in.
    if let Some(token) = pending.invitation.as_deref() {
        let accepted =
            app::service::members::accept_with_provider(&state.pool, token, &user, claims.email.as_deref())
                .await;
        if let Err(e) = accepted {
            tracing::warn!(error = %e, "invitation through the identity provider refused");
            let code = match e {
                app::error::AppError::Conflict { code } => code,
                _ => "invitation-unknown".to_owned(),
            };
            let page = format!("/invitations/{}", app::auth::encode_query_value(token));
            return Redirect::to(&format!("{page}?error={}", app::auth::encode_query_value(&code)))
                .into_response();
        }
    }
    let stored = SessionUser { id: user.id, signed_in_at: chrono::Utc::now().timestamp() };
    let session_ok = async {
        session.cycle_id().await?;
        session.insert(SESSION_USER_KEY, stored).await?;
        session.insert(ID_TOKEN_KEY, id_token).await
    }
    .await;
    if let Err(e) = session_ok {
        return failed(&next, "provider", &e);
    }
    let mut res = Redirect::to(safe_next(Some(&next))).into_response();
    if let Some(lang) = language.as_deref().and_then(Language::parse) {
        if let Ok(v) = lang.cookie().parse() {
            res.headers_mut().append(SET_COOKIE, v);
        }
    }
    res
}

fn failed(next: &str, error: &str, detail: &dyn std::fmt::Display) -> Response {
    tracing::warn!(%detail, "sign-in through the identity provider failed");
    Redirect::to(&app::auth::login_error_url(error, Some(next))).into_response()
}

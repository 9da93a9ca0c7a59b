//! "Try it" on an API page: the portal's own server sends the request to the server
//! registered for the chosen environment and shows what came back. The form posts to
//! `POST /try-it` (a plain route of the server); the result waits in the session
//! (`crate::flash`) and the page shows it next to the operation (`?tried=<token>`).

use crate::error::AppError;
use crate::model::tryit::*;
use leptos::prelude::*;

/// The last try-it result of this session, if `token` names it.
#[server(endpoint = "try_result")]
pub async fn last_try(token: String) -> Result<Option<TryResult>, AppError> {
    crate::auth::require_signed_in()?;
    let session: tower_sessions::Session =
        leptos_axum::extract().await.map_err(|e| AppError::internal("session extractor", e))?;
    crate::flash::read::<TryResult>(&session, RESULT_KEY, &token)
        .await
        .map_err(|e| AppError::internal("session read", e))
}

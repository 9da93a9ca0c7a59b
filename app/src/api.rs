//! Server functions, one file per resource. Thin: state and user, parse, `db::`, map errors.

pub mod applications;
pub mod audit;
pub mod auth;
pub mod catalog;
pub mod demo;
pub mod members;
pub mod notifications;
pub mod onboarding;
pub mod plans;
pub mod platform;
pub mod preferences;
pub mod profile;
pub mod promotions;
pub mod publishing;
pub mod subscriptions;
pub mod tryit;
pub mod usage;

#[cfg(feature = "ssr")]
async fn session() -> Result<tower_sessions::Session, crate::error::AppError> {
    leptos_axum::extract().await.map_err(|e| crate::error::AppError::internal("session extractor", e))
}

/// What a form route kept in the session under `key` for `token` (a refused form, an
/// answer shown once: `once` forgets it as it is read).
#[cfg(feature = "ssr")]
async fn kept<T: serde::de::DeserializeOwned>(
    key: &str,
    token: Option<String>,
    once: bool,
) -> Result<Option<T>, crate::error::AppError> {
    let Some(token) = token else { return Ok(None) };
    let session = session().await?;
    let read = if once {
        crate::flash::take::<T>(&session, key, &token).await
    } else {
        crate::flash::read::<T>(&session, key, &token).await
    };
    read.map_err(|e| crate::error::AppError::internal("session read", e))
}

/// Keeps `value` in the session under `key`; answers its token.
#[cfg(feature = "ssr")]
async fn keep<T: serde::Serialize>(key: &str, value: T) -> Result<String, crate::error::AppError> {
    crate::flash::keep(&session().await?, key, value)
        .await
        .map_err(|e| crate::error::AppError::internal("session write", e))
}

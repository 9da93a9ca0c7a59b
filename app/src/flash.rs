//! Values that survive one redirect: a form post keeps something in the server-side
//! session under a fresh token and redirects to a page with `?…=<token>`; the page reads
//! it back. Used for refused forms (kept until replaced, so a reload shows them again)
//! and for secrets shown once (taken on the first read, and never older than
//! [`MAX_AGE_SECS`]).

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use tower_sessions::Session;

/// A kept value is not shown after this long.
pub const MAX_AGE_SECS: i64 = 300;

#[derive(Serialize, Deserialize)]
struct Kept<T> {
    token: String,
    at: i64,
    value: T,
}

/// Keeps `value` under `key` (replacing what was there) and returns its token.
pub async fn keep<T: Serialize>(
    session: &Session,
    key: &str,
    value: T,
) -> Result<String, tower_sessions::session::Error> {
    let token = uuid::Uuid::new_v4().simple().to_string();
    let kept = Kept { token: token.clone(), at: chrono::Utc::now().timestamp(), value };
    session.insert(key, kept).await?;
    Ok(token)
}

fn matching<T>(kept: Option<Kept<T>>, token: &str, max_age: Option<i64>) -> Option<T> {
    let now = chrono::Utc::now().timestamp();
    kept.filter(|k| k.token == token && max_age.is_none_or(|m| now - k.at <= m)).map(|k| k.value)
}

/// The value kept under `key` if `token` names it (it stays for a reload).
pub async fn read<T: DeserializeOwned>(
    session: &Session,
    key: &str,
    token: &str,
) -> Result<Option<T>, tower_sessions::session::Error> {
    Ok(matching(session.get::<Kept<T>>(key).await?, token, None))
}

/// The value kept under `key` if `token` names it, removed from the session: a second
/// read finds nothing.
pub async fn take<T: DeserializeOwned>(
    session: &Session,
    key: &str,
    token: &str,
) -> Result<Option<T>, tower_sessions::session::Error> {
    let kept = session.get::<Kept<T>>(key).await?;
    if kept.as_ref().is_some_and(|k| k.token == token) {
        session.remove_value(key).await?;
    }
    Ok(matching(kept, token, Some(MAX_AGE_SECS)))
}

/// Drops whatever is kept under `key`.
pub async fn forget(session: &Session, key: &str) -> Result<(), tower_sessions::session::Error> {
    session.remove_value(key).await.map(|_| ())
}

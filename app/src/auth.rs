//! Who is asking: the signed-in user as every page and server function sees it, and (on
//! the server) password hashing for local accounts.

use crate::domain::permission::{allows, Access, Permission};
use crate::domain::role::Role;
use crate::error::AppError;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// A signed-in user.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CurrentUser {
    pub id: Uuid,
    pub username: String,
    pub display_name: String,
    pub tenant_id: String,
    pub roles: Vec<Role>,
}

impl CurrentUser {
    /// Whether this user's roles grant `permission`.
    pub fn may(&self, permission: Permission) -> bool {
        allows(&self.roles, permission)
    }

    /// `Forbidden` unless this user's roles grant `permission` (services check it before
    /// they change anything).
    pub fn must(&self, permission: Permission) -> Result<(), crate::error::AppError> {
        if self.may(permission) {
            Ok(())
        } else {
            Err(crate::error::AppError::Forbidden)
        }
    }
}

#[cfg(feature = "ssr")]
pub mod password {
    //! argon2id hashes (PHC strings), computed off the async threads.

    use argon2::password_hash::rand_core::OsRng;
    use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
    use argon2::Argon2;
    use std::sync::LazyLock;

    /// A hash of a password nobody has, verified when the user does not exist so that a
    /// wrong username takes as long as a wrong password.
    static DUMMY: LazyLock<String> =
        LazyLock::new(|| hash_blocking("not-a-real-password").unwrap_or_default());

    fn hash_blocking(password: &str) -> Result<String, String> {
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| e.to_string())
    }

    fn verify_blocking(password: &str, phc: Option<&str>) -> bool {
        let target = phc.unwrap_or(DUMMY.as_str());
        let Ok(parsed) = PasswordHash::new(target) else { return false };
        let ok = Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok();
        ok && phc.is_some()
    }

    /// Hashes `password` with argon2id and a random salt.
    pub async fn hash(password: String) -> Result<String, String> {
        tokio::task::spawn_blocking(move || hash_blocking(&password)).await.map_err(|e| e.to_string())?
    }

    /// Checks `password` against a stored hash; `None` (unknown user) costs the same and
    /// fails.
    pub async fn verify(password: String, phc: Option<String>) -> bool {
        tokio::task::spawn_blocking(move || verify_blocking(&password, phc.as_deref())).await.unwrap_or(false)
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[tokio::test]
        async fn a_hash_verifies_its_password_only() {
            let phc = hash("correct horse".into()).await.expect("hash");
            assert!(phc.starts_with("$argon2id$"));
            assert!(verify("correct horse".into(), Some(phc.clone())).await);
            assert!(!verify("Correct horse".into(), Some(phc)).await);
            assert!(!verify("correct horse".into(), None).await, "unknown user never verifies");
            assert!(!verify("x".into(), Some("garbage".into())).await);
        }
    }
}

/// The one authorization guard: every server function and every REST route asks it.
/// `Unauthorized` (401) without a user, `Forbidden` (403) when their roles fall short.
pub fn guard(user: Option<&CurrentUser>, access: Access) -> Result<Option<CurrentUser>, AppError> {
    match (access, user) {
        (Access::Public, user) => Ok(user.cloned()),
        (_, None) => Err(AppError::Unauthorized),
        (Access::SignedIn, Some(user)) => Ok(Some(user.clone())),
        (Access::Granted(p), Some(user)) if user.may(p) => Ok(Some(user.clone())),
        (Access::Granted(_), Some(_)) => Err(AppError::Forbidden),
    }
}

/// The guard inside a server function: the signed-in user holding `permission`; the
/// refusal also sets the response status (401 / 403).
#[cfg(feature = "ssr")]
pub fn require(permission: Permission) -> Result<CurrentUser, AppError> {
    require_access(Access::Granted(permission))
}

/// The guard inside a server function for anything a signed-in user may do.
#[cfg(feature = "ssr")]
pub fn require_signed_in() -> Result<CurrentUser, AppError> {
    require_access(Access::SignedIn)
}

#[cfg(feature = "ssr")]
fn require_access(access: Access) -> Result<CurrentUser, AppError> {
    match guard(current_user().as_ref(), access) {
        Ok(Some(user)) => Ok(user),
        // The session names a user the database could not be asked about: not "sign in".
        Ok(None) | Err(AppError::Unauthorized) if session_unavailable() => {
            Err(AppError::Unavailable.with_response_status())
        }
        Ok(None) => Err(AppError::Unauthorized.with_response_status()),
        Err(e) => Err(e.with_response_status()),
    }
}

/// What the session stores about its user.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionUser {
    pub id: Uuid,
    /// Unix seconds; the session ends `ABSOLUTE_SESSION_SECS` after this, active or not.
    pub signed_in_at: i64,
}

/// Session key of [`SessionUser`].
pub const SESSION_USER_KEY: &str = "user";

/// Longest a session lives, however active (12 h).
pub const ABSOLUTE_SESSION_SECS: i64 = 12 * 3600;

/// A path of this site to send a browser to, or `None`: it starts with one `/`, and has no
/// backslash, space or control character (browsers drop tabs and newlines from a URL and
/// read `\` as `/`, so `/\t/evil.example` and `/\\evil.example` would leave the site).
pub fn local_path(next: &str) -> Option<&str> {
    let bytes = next.as_bytes();
    let ok = bytes.first() == Some(&b'/')
        && bytes.get(1) != Some(&b'/')
        && !bytes.iter().any(|&b| b == b'\\' || b <= b' ' || b == 0x7f);
    ok.then_some(next)
}

/// Where to go after signing in: a [`local_path`], else home.
pub fn safe_next(next: Option<&str>) -> &str {
    next.and_then(local_path).unwrap_or("/")
}

/// Back to the sign-in form with an error code (`invalid`, `throttled`, `provider`,
/// `tenant`, `conflict`), keeping where the user wanted to go.
pub fn login_error_url(error: &str, next: Option<&str>) -> String {
    format!("/login?error={error}&next={}", encode_next(next))
}

/// `next` made safe ([`safe_next`]) and percent-encoded for a query string.
pub fn encode_next(next: Option<&str>) -> String {
    encode_query_value(safe_next(next))
}

/// Percent-encodes a value for a query string (unreserved characters and `/` kept).
pub fn encode_query_value(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Put into a request by the session middleware when the signed-in user has the
/// onboarding wizard ahead of them (see `db::users::session_user`).
#[derive(Clone, Copy, Debug)]
pub struct GettingStarted;

/// Request marker: the session has a user, but looking them up failed (the database is
/// away). Pages that need a user answer "unavailable" rather than "sign in".
#[derive(Clone, Copy, Debug)]
pub struct SessionUnavailable;

#[cfg(feature = "ssr")]
fn session_unavailable() -> bool {
    leptos::prelude::use_context::<axum::http::request::Parts>()
        .is_some_and(|parts| parts.extensions.get::<SessionUnavailable>().is_some())
}

/// Whether the request's user has the onboarding wizard ahead of them (and may use it):
/// the navigation's "Getting started" link and the home page's "Start here" card.
pub fn getting_started() -> bool {
    #[cfg(feature = "ssr")]
    {
        leptos::prelude::use_context::<axum::http::request::Parts>().is_some_and(|parts| {
            parts.extensions.get::<GettingStarted>().is_some()
                && parts
                    .extensions
                    .get::<CurrentUser>()
                    .is_some_and(|u| u.may(crate::domain::permission::Permission::ManageOwnApplications))
        })
    }
    #[cfg(not(feature = "ssr"))]
    {
        false
    }
}

/// The signed-in user of the request being handled, as the session middleware found it.
pub fn current_user() -> Option<CurrentUser> {
    #[cfg(feature = "ssr")]
    {
        leptos::prelude::use_context::<axum::http::request::Parts>()
            .and_then(|parts| parts.extensions.get::<CurrentUser>().cloned())
    }
    #[cfg(not(feature = "ssr"))]
    {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_guard_tells_anonymous_from_forbidden() {
        let viewer = CurrentUser {
            id: Uuid::nil(),
            username: "alice".into(),
            display_name: "Alice".into(),
            tenant_id: "demo".into(),
            roles: vec![Role::Viewer],
        };
        assert_eq!(guard(None, Access::Public), Ok(None));
        assert_eq!(guard(None, Access::SignedIn), Err(AppError::Unauthorized));
        assert_eq!(guard(None, Access::Granted(Permission::ReadAudit)), Err(AppError::Unauthorized));
        assert_eq!(guard(Some(&viewer), Access::SignedIn), Ok(Some(viewer.clone())));
        assert_eq!(guard(Some(&viewer), Access::Granted(Permission::ReadAudit)), Err(AppError::Forbidden));
        assert!(guard(Some(&viewer), Access::Granted(Permission::BrowseCatalog)).is_ok());
    }

    #[test]
    fn only_same_site_paths_are_followed() {
        for (next, want) in [
            (Some("/apps"), "/apps"),
            (Some("//evil.example/x"), "/"),
            (Some("https://evil.example"), "/"),
            (Some("/\\evil"), "/"),
            (Some("/\t/evil.example"), "/"),
            (Some("/\n/evil.example"), "/"),
            (Some(" //evil.example"), "/"),
            (Some("/a\r\nSet-Cookie: x"), "/"),
            (Some("/apps/1?x=2#sub-3"), "/apps/1?x=2#sub-3"),
            (None, "/"),
        ] {
            assert_eq!(safe_next(next), want, "{next:?}");
        }
    }
}

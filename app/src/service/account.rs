//! The user's own account: local sign-in (throttled per account and per address, each
//! attempt counted before its password is checked) and preferences. The session itself —
//! its id, its cookie — is the caller's (`api::auth`), this floor decides and records.

use crate::auth::{password, CurrentUser};
use crate::db::scope::{self, Scope};
use crate::db::{audit, sign_ins, users};
use crate::domain::event::actions;
use crate::domain::language::Language;
use crate::error::AppError;

/// Failed attempts allowed per account within [`THROTTLE_MINUTES`].
pub const MAX_FAILURES_PER_ACCOUNT: i64 = 5;
/// Failed attempts allowed per client address within [`THROTTLE_MINUTES`].
pub const MAX_FAILURES_PER_CLIENT: i64 = 20;
/// How far back failures count, in minutes.
pub const THROTTLE_MINUTES: i32 = 15;

/// How a sign-in went.
#[derive(Debug)]
pub enum SignIn {
    /// Too many recent failures for the account or the address: not even the right
    /// password gets in until the window has passed.
    Throttled,
    /// Unknown user or wrong password (the same answer for both).
    Refused,
    /// Signed in, with the language the account prefers, if any.
    Accepted { user: CurrentUser, language: Option<Language> },
}

/// Checks a local account's password and records the attempt in the audit log. The
/// attempt is counted before the password is checked, in one step with the throttle's
/// check (`db::sign_ins`): attempts sent at once cannot outrun the limits.
pub async fn sign_in(
    pool: &sqlx::PgPool,
    username: &str,
    secret: String,
    client: Option<&str>,
) -> Result<SignIn, AppError> {
    let limits = sign_ins::Limits {
        minutes: THROTTLE_MINUTES,
        per_account: MAX_FAILURES_PER_ACCOUNT,
        per_client: MAX_FAILURES_PER_CLIENT,
    };
    // Sign-in happens before anyone's tenant is known: the server's own, platform-wide work.
    let mut tx = scope::begin(pool, Scope::Platform).await?;
    let attempt = match sign_ins::take_attempt(&mut tx, username, client, limits).await? {
        sign_ins::Attempt::Taken(id) => id,
        sign_ins::Attempt::Throttled { by_account, by_client } => {
            let detail = serde_json::json!({ "by_account": by_account, "by_client": by_client });
            let entry = audit::AuditEntry::anonymous(actions::SIGN_IN_THROTTLED, username, client, detail);
            audit::record(&mut *tx, &entry).await?;
            tx.commit().await?;
            return Ok(SignIn::Throttled);
        }
    };
    let found = users::credentials(&mut *tx, username).await?;
    tx.commit().await?;
    let (user, hash) = match found {
        Some((user, hash)) => (Some(user), hash),
        None => (None, None),
    };
    let verified = password::verify(secret, hash).await;
    let mut tx = scope::begin(pool, Scope::Platform).await?;
    let known = user.as_ref().map(|u| u.tenant_id.clone());
    let outcome = match user.filter(|_| verified) {
        None => {
            // A known account's failure is its tenant's to audit (its auditors see who
            // tries their accounts); an unknown name's is the platform's. Never the password.
            let entry = audit::AuditEntry {
                tenant_id: known.as_deref(),
                ..audit::AuditEntry::anonymous(
                    actions::SIGN_IN_FAILED,
                    username,
                    client,
                    serde_json::json!({ "known_account": known.is_some() }),
                )
            };
            audit::record(&mut *tx, &entry).await?;
            SignIn::Refused
        }
        Some(user) => {
            sign_ins::succeeded(&mut tx, attempt).await?;
            let preferred = users::record_sign_in(&mut tx, &user, "local", client).await?;
            SignIn::Accepted { user, language: preferred.as_deref().and_then(Language::parse) }
        }
    };
    tx.commit().await?;
    Ok(outcome)
}

/// Forgets the throttle's day-old attempts (the session sweep's work).
pub async fn sweep_sign_in_attempts(pool: &sqlx::PgPool) -> Result<u64, AppError> {
    let mut tx = scope::begin(pool, Scope::Platform).await?;
    let n = sign_ins::sweep(&mut tx).await?;
    tx.commit().await?;
    Ok(n)
}

/// Stores the language the user prefers (applied at every sign-in).
pub async fn set_language(pool: &sqlx::PgPool, user: &CurrentUser, lang: Language) -> Result<(), AppError> {
    let mut tx = scope::begin(pool, Scope::of(user)).await?;
    users::set_preferred_language(&mut *tx, user.id, lang.code()).await?;
    tx.commit().await?;
    Ok(())
}

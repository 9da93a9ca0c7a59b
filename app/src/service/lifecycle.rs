//! A published version's lifecycle (issue 33): the API team (devops, tenant-admins of the
//! API's tenant) deprecates it with a sunset at least [`MIN_SUNSET_DAYS`] ahead and
//! optionally a successor, then retires it. The gateway reads both from its routes: a
//! deprecated version's answers carry `Deprecation`, `Sunset` and the successor's `Link`;
//! a retired one is answered 410. Each step writes its event and audit entry.

use crate::auth::CurrentUser;
use crate::db::lifecycle as db;
use crate::db::scope::{self, Scope};
use crate::domain::event::{actions, types, Topic};
use crate::domain::lifecycle::{parse_sunset, sunset_problem, MIN_SUNSET_DAYS};
use crate::domain::permission::Permission;
use crate::error::{AppError, FieldError};
use crate::model::publishing::VersionLifecycle;
use crate::service::journal;
use serde_json::json;

fn version_field(code: &str, detail: Option<String>) -> AppError {
    AppError::Validation(vec![FieldError { field: "version".into(), code: code.into(), detail }])
}

async fn record(
    tx: &mut sqlx::PgConnection,
    (actor, tenant): (journal::Actor<'_>, &str),
    (event_type, action): (&str, &str),
    done: &VersionLifecycle,
) -> Result<(), AppError> {
    let entry = journal::Entry {
        topic: Topic::ApiLifecycle,
        event_type,
        tenant,
        subject: format!("apis/{tenant}/{}", done.api),
        action,
        id: &done.api,
        data: json!({
            "api": done.api, "version": done.version, "status": done.status,
            "deprecated_at": done.deprecated_at, "sunset_at": done.sunset_at, "successor": done.successor,
        }),
        detail: None,
    };
    journal::write(tx, actor, entry).await
}

/// Deprecates a published (or moves a deprecated) version of the user's tenant's API.
pub async fn deprecate(
    pool: &sqlx::PgPool,
    user: &CurrentUser,
    tenant: &str,
    api: &str,
    version: &str,
    sunset: &str,
    successor: Option<&str>,
) -> Result<VersionLifecycle, AppError> {
    user.must(Permission::PublishApis)?;
    let now = chrono::Utc::now();
    let sunset = match parse_sunset(sunset) {
        None => return Err(AppError::field("sunset", "invalid-date")),
        Some(at) => match sunset_problem(at, now) {
            Some(code) => {
                let earliest = (now + chrono::Duration::days(MIN_SUNSET_DAYS)).format("%Y-%m-%d").to_string();
                return Err(AppError::Validation(vec![FieldError {
                    detail: Some(earliest),
                    ..FieldError::new("sunset", code)
                }]));
            }
            None => at,
        },
    };
    if tenant != user.tenant_id {
        return Err(AppError::NotFound);
    }
    let successor = successor.map(str::trim).filter(|s| !s.is_empty());
    let mut tx = scope::begin(pool, Scope::Tenant(&user.tenant_id)).await?;
    let (id, item, status) =
        db::lock_version(&mut tx, tenant, api, version).await?.ok_or(AppError::NotFound)?;
    if !matches!(status.as_str(), "published" | "deprecated") {
        return Err(version_field("not-published", Some(status)));
    }
    if let Some(s) = successor {
        let ok = s != version && db::status_of(&mut tx, item, s).await?.as_deref() == Some("published");
        if !ok {
            return Err(AppError::field("successor", "unknown-successor"));
        }
    }
    db::deprecate(&mut tx, id, sunset, successor).await?;
    let done = db::one(&mut tx, id).await?;
    let by = (journal::Actor::User(user), user.tenant_id.as_str());
    record(&mut tx, by, (types::API_VERSION_DEPRECATED, actions::API_VERSION_DEPRECATED), &done).await?;
    tx.commit().await?;
    Ok(done)
}

/// Retires a published or deprecated version: the gateway answers 410 for it, its
/// document stays downloadable. Refused while it is the entry's last served version and
/// applications hold active subscriptions (they are named).
pub async fn retire(
    pool: &sqlx::PgPool,
    user: &CurrentUser,
    tenant: &str,
    api: &str,
    version: &str,
    confirmed: bool,
) -> Result<VersionLifecycle, AppError> {
    user.must(Permission::PublishApis)?;
    if !confirmed {
        return Err(AppError::field("confirm", "required"));
    }
    if tenant != user.tenant_id {
        return Err(AppError::NotFound);
    }
    let mut tx = scope::begin(pool, Scope::Tenant(&user.tenant_id)).await?;
    let (id, item, status) =
        db::lock_version(&mut tx, tenant, api, version).await?.ok_or(AppError::NotFound)?;
    if !matches!(status.as_str(), "published" | "deprecated") {
        return Err(version_field("not-published", Some(status)));
    }
    if !db::others_served(&mut tx, item, id).await? {
        let holders = db::active_subscribers(&mut tx, item).await?;
        if !holders.is_empty() {
            return Err(version_field("has-subscribers", Some(holders.join(", "))));
        }
    }
    db::retire(&mut tx, id).await?;
    let done = db::one(&mut tx, id).await?;
    let by = (journal::Actor::User(user), user.tenant_id.as_str());
    record(&mut tx, by, (types::API_VERSION_RETIRED, actions::API_VERSION_RETIRED), &done).await?;
    tx.commit().await?;
    Ok(done)
}

/// Retires the deprecated versions whose sunset has come (the platform's sweep, as
/// `sunset`); returns how many. Two replicas sweeping at once retire each one once.
pub async fn retire_due(pool: &sqlx::PgPool) -> Result<usize, AppError> {
    let mut tx = scope::begin(pool, Scope::Platform).await?;
    let due = db::due(&mut tx).await?;
    for (id, tenant) in &due {
        db::retire(&mut tx, *id).await?;
        let done = db::one(&mut tx, *id).await?;
        let by = (journal::Actor::System("sunset"), tenant.as_str());
        record(&mut tx, by, (types::API_VERSION_RETIRED, actions::API_VERSION_RETIRED), &done).await?;
    }
    tx.commit().await?;
    Ok(due.len())
}

//! Applications and their credentials (`/apps`, `/apps/:id`, REST `/v1/applications`):
//! create, edit, delete; API keys and client secrets issued, rotated with a grace period,
//! revoked — each secret shown exactly once. And the gateways' `POST /v1/keys/verify`.

use crate::auth::CurrentUser;
use crate::db::applications::{self as db, NewApp};
use crate::db::outbox;
use crate::db::scope::{self, Scope};
use crate::domain::credential::{visible_prefix, ExpiryDays, GraceHours, Kind};
use crate::domain::event::{actions, types, CloudEvent, Topic};
use crate::error::AppError;
use crate::model::applications::*;
use crate::service::journal;
use serde_json::json;
use uuid::Uuid;

/// Journals a change to an application of `user`'s.
async fn record(
    tx: &mut sqlx::PgConnection,
    user: &CurrentUser,
    id: Uuid,
    event_type: &str,
    action: &str,
    data: serde_json::Value,
) -> Result<(), AppError> {
    let entry = journal::Entry {
        topic: Topic::AppLifecycle,
        event_type,
        tenant: &user.tenant_id,
        subject: format!("applications/{}/{id}", user.tenant_id),
        action,
        id: &id.to_string(),
        data,
        detail: None,
    };
    journal::write(tx, journal::Actor::User(user), entry).await
}

pub async fn list(pool: &sqlx::PgPool, user: &CurrentUser) -> Result<Vec<AppSummary>, AppError> {
    let mut tx = scope::begin(pool, Scope::Tenant(&user.tenant_id)).await?;
    let apps = db::list(&mut tx, user.id).await?;
    tx.commit().await?;
    Ok(apps)
}

pub async fn get(pool: &sqlx::PgPool, user: &CurrentUser, id: Uuid) -> Result<AppDetail, AppError> {
    let mut tx = scope::begin(pool, Scope::Tenant(&user.tenant_id)).await?;
    let Some(mut app) = db::get(&mut tx, user.id, id).await? else {
        return Err(AppError::NotFound);
    };
    // The plans each active subscription may move to, as its entry offers them to the user.
    let viewer = crate::domain::catalog::Viewer::of(&user.tenant_id, &user.roles);
    for s in app.subscriptions.iter_mut().filter(|s| s.state == crate::domain::subscription::State::Active) {
        let seen = crate::db::plans::Seen::by(&viewer, &s.api_tenant_id);
        s.plan_choices = crate::db::plans::offered(&mut tx, s.item_id, seen)
            .await?
            .into_iter()
            .filter(|p| s.plan_slug.as_deref() != Some(p.slug.as_str()))
            .map(|p| crate::model::subscriptions::PlanChoice {
                slug: p.slug,
                name: p.name,
                requires_approval: p.requires_approval,
            })
            .collect();
    }
    tx.commit().await?;
    Ok(app)
}

/// Creates (`id` None) or updates an application; returns its id.
pub async fn save(
    pool: &sqlx::PgPool,
    user: &CurrentUser,
    id: Option<Uuid>,
    form: &AppForm,
) -> Result<Uuid, AppError> {
    let uris = check_form(form).map_err(AppError::Validation)?;
    let app = NewApp {
        tenant_id: &user.tenant_id,
        owner_id: user.id,
        name: form.name.trim(),
        description: form.description.trim(),
        security_profile: &form.security_profile,
        redirect_uris: &uris,
    };
    let mut tx = scope::begin(pool, Scope::Tenant(&user.tenant_id)).await?;
    let id = save_in(&mut tx, user, id, &app).await?;
    crate::keycache::commit(tx).await?;
    Ok(id)
}

/// Stores a checked application inside the caller's transaction (in `user`'s
/// tenant scope), with its event and audit entry.
pub async fn save_in(
    tx: &mut sqlx::PgConnection,
    user: &CurrentUser,
    id: Option<Uuid>,
    app: &NewApp<'_>,
) -> Result<Uuid, AppError> {
    let created = id.is_none();
    let stored = match id {
        None => db::create(&mut *tx, app).await.map(|id| (id, true)),
        Some(id) => db::update(&mut *tx, id, app).await.map(|found| (id, found)),
    };
    let (id, found) = match stored {
        Err(sqlx::Error::Database(e)) if e.constraint() == Some("applications_owner_id_name_key") => {
            return Err(AppError::field("name", "name-taken"));
        }
        other => other?,
    };
    if !found {
        return Err(AppError::NotFound);
    }
    let (event, action) = if created {
        (types::APP_CREATED, actions::APP_CREATED)
    } else {
        (types::APP_UPDATED, actions::APP_UPDATED)
    };
    record(
        &mut *tx,
        user,
        id,
        event,
        action,
        json!({ "name": app.name, "security_profile": app.security_profile }),
    )
    .await?;
    Ok(id)
}

/// Deletes an application: its live subscriptions are revoked first (their events
/// tell the API owners), then the application goes with its credentials and
/// subscriptions.
pub async fn delete(pool: &sqlx::PgPool, user: &CurrentUser, id: Uuid) -> Result<(), AppError> {
    let mut tx = scope::begin(pool, Scope::Tenant(&user.tenant_id)).await?;
    let Some(tenant) = db::owned(&mut tx, user.id, id).await? else {
        return Err(AppError::NotFound);
    };
    let revoked = crate::db::subscriptions::revoke_for_application(&mut tx, id).await?;
    for (sub, api_tenant) in &revoked {
        let e = CloudEvent::new(
            types::SUBSCRIPTION_REVOKED,
            api_tenant,
            Some(format!("subscriptions/{sub}")),
            json!({ "subscription": sub, "state": "revoked", "action": "application-deleted",
                    "reason": "application deleted" }),
        );
        outbox::enqueue(&mut tx, Topic::SubscriptionEvents, &e).await?;
    }
    db::delete(&mut tx, user.id, id).await?;
    record(
        &mut tx,
        user,
        id,
        types::APP_DELETED,
        actions::APP_DELETED,
        json!({ "tenant": tenant, "subscriptions_revoked": revoked.len() }),
    )
    .await?;
    crate::keycache::commit(tx).await?;
    Ok(())
}

fn kind_for(profile: &str) -> Kind {
    if profile == "oauth2_confidential" {
        Kind::ClientSecret
    } else {
        Kind::ApiKey
    }
}

fn mint(kind: Kind) -> Result<crate::secrets::Minted, AppError> {
    crate::secrets::mint(kind).map_err(|e| AppError::internal("secret generator", e))
}

/// Issues a new secret for an application of `user`.
pub async fn issue(
    pool: &sqlx::PgPool,
    user: &CurrentUser,
    app: Uuid,
    expires: Option<ExpiryDays>,
) -> Result<IssuedSecret, AppError> {
    let mut tx = scope::begin(pool, Scope::Tenant(&user.tenant_id)).await?;
    let issued = issue_in(&mut tx, user, app, expires).await?;
    crate::keycache::commit(tx).await?;
    Ok(issued)
}

/// [`issue`] inside the caller's transaction (in `user`'s tenant scope).
pub async fn issue_in(
    tx: &mut sqlx::PgConnection,
    user: &CurrentUser,
    app: Uuid,
    expires: Option<ExpiryDays>,
) -> Result<IssuedSecret, AppError> {
    let profile = db::security_profile(&mut *tx, user.id, app).await?.ok_or(AppError::NotFound)?;
    let kind = kind_for(&profile);
    let minted = mint(kind)?;
    let expires_at = expires.map(|d| chrono::Utc::now() + chrono::Duration::days(d.days()));
    let id =
        db::insert_credential(&mut *tx, &user.tenant_id, app, kind.as_str(), &minted, expires_at, user.id)
            .await?;
    record(
        &mut *tx,
        user,
        app,
        types::APP_UPDATED,
        actions::CREDENTIAL_ISSUED,
        json!({ "credential": id, "prefix": minted.prefix, "kind": kind.as_str() }),
    )
    .await?;
    Ok(IssuedSecret {
        application_id: app,
        credential_id: id,
        kind,
        secret: minted.secret,
        replaces: None,
        grace_until: None,
    })
}

/// A short-lived API key for the try-it proxy, for one of `user`'s applications.
pub async fn try_it_key(pool: &sqlx::PgPool, user: &CurrentUser, app: Uuid) -> Result<String, AppError> {
    let mut tx = scope::begin(pool, Scope::Tenant(&user.tenant_id)).await?;
    db::owned(&mut tx, user.id, app).await?.ok_or(AppError::NotFound)?;
    let minted = mint(Kind::TryIt)?;
    let expires_at = Some(chrono::Utc::now() + chrono::Duration::minutes(5));
    db::insert_credential(&mut tx, &user.tenant_id, app, Kind::TryIt.as_str(), &minted, expires_at, user.id)
        .await?;
    tx.commit().await?;
    Ok(minted.secret)
}

/// Rotates a credential of `user`: a new one now, the old one until the grace ends. When
/// the caller names the application (`app`), a credential of another one is not found —
/// and nothing changes.
pub async fn rotate(
    pool: &sqlx::PgPool,
    user: &CurrentUser,
    app: Option<Uuid>,
    credential: Uuid,
    grace: GraceHours,
) -> Result<IssuedSecret, AppError> {
    let mut tx = scope::begin(pool, Scope::Tenant(&user.tenant_id)).await?;
    let issued = rotate_in(&mut tx, user, app, credential, grace).await?;
    crate::keycache::commit(tx).await?;
    Ok(issued)
}

/// [`rotate`] inside the caller's transaction (in `user`'s tenant scope).
pub async fn rotate_in(
    tx: &mut sqlx::PgConnection,
    user: &CurrentUser,
    expected_app: Option<Uuid>,
    credential: Uuid,
    grace: GraceHours,
) -> Result<IssuedSecret, AppError> {
    let (app, kind, status, expires_at) =
        db::credential_of(&mut *tx, user.id, credential).await?.ok_or(AppError::NotFound)?;
    if expected_app.is_some_and(|expected| expected != app) {
        return Err(AppError::NotFound);
    }
    if status != "active" || kind == Kind::TryIt.as_str() {
        return Err(AppError::Conflict { code: "not-active".into() });
    }
    let kind = Kind::parse(&kind).unwrap_or(Kind::ApiKey);
    let minted = mint(kind)?;
    let id =
        db::insert_credential(&mut *tx, &user.tenant_id, app, kind.as_str(), &minted, expires_at, user.id)
            .await?;
    let grace_until = chrono::Utc::now() + chrono::Duration::hours(grace.hours());
    db::mark_rotated(&mut *tx, credential, id, grace_until).await?;
    record(
        &mut *tx,
        user,
        app,
        types::APP_SECRET_ROTATED,
        actions::CREDENTIAL_ROTATED,
        json!({ "credential": id, "replaces": credential, "grace_hours": grace.hours() }),
    )
    .await?;
    Ok(IssuedSecret {
        application_id: app,
        credential_id: id,
        kind,
        secret: minted.secret,
        replaces: Some(credential),
        grace_until: Some(crate::db::rfc3339(grace_until)),
    })
}

/// Revokes a credential of `user`; returns its application.
pub async fn revoke(pool: &sqlx::PgPool, user: &CurrentUser, credential: Uuid) -> Result<Uuid, AppError> {
    let mut tx = scope::begin(pool, Scope::Tenant(&user.tenant_id)).await?;
    let (app, _, _, _) = db::credential_of(&mut tx, user.id, credential).await?.ok_or(AppError::NotFound)?;
    db::revoke(&mut tx, credential).await?;
    record(
        &mut tx,
        user,
        app,
        types::APP_UPDATED,
        actions::CREDENTIAL_REVOKED,
        json!({ "credential": credential }),
    )
    .await?;
    crate::keycache::commit(tx).await?;
    Ok(app)
}

/// Checks a presented key: active and not expired, or rotated and within its grace
/// period. A recent answer for the same key comes from memory ([`crate::keycache`]);
/// otherwise the database decides, comparing hashes in constant time, once for all the
/// callers asking for that key at the same time.
pub async fn verify(
    pool: &sqlx::PgPool,
    key: &str,
) -> Result<std::sync::Arc<crate::keycache::Verified>, AppError> {
    Ok(verify_counted(pool, key).await?.answer)
}

/// [`verify`] for an anonymous caller at `address`: once the address has asked about
/// more unknown keys this minute than `misses` allows, a key neither in memory nor of a
/// prefix that verified lately (a key in use) is refused (429) before the database is
/// asked.
pub async fn verify_from(
    pool: &sqlx::PgPool,
    misses: &crate::throttle::PerAddress,
    address: Option<std::net::IpAddr>,
    key: &str,
) -> Result<std::sync::Arc<crate::keycache::Verified>, AppError> {
    let Some(address) = address else { return verify(pool, key).await };
    let cache = crate::keycache::cache();
    if misses.exhausted(address) {
        if let Some(answer) = cache.remembered(crate::secrets::digest(key)).await {
            return Ok(answer);
        }
        if !visible_prefix(key).is_some_and(|p| cache.vouched(p)) {
            return Err(AppError::TooManyRequests);
        }
    }
    let hit = verify_counted(pool, key).await?;
    if hit.looked_up && !hit.answer.answer.valid {
        misses.count(address);
    }
    Ok(hit.answer)
}

async fn verify_counted(pool: &sqlx::PgPool, key: &str) -> Result<crate::keycache::Hit, AppError> {
    let digest = crate::secrets::digest(key);
    let lookup = async {
        let (answer, until, credential) = verify_in_database(pool, key).await?;
        let now = chrono::Utc::now();
        let until = match until {
            Some(t) => std::time::Instant::now() + (t - now).to_std().unwrap_or_default(),
            None => std::time::Instant::now() + crate::keycache::TTL,
        };
        let answer = std::sync::Arc::new(crate::keycache::Verified::new(answer));
        Ok::<_, AppError>(crate::keycache::Looked { answer, until, credential })
    };
    let cache = crate::keycache::cache();
    let hit = cache.verified(digest, lookup).await.map_err(|e| (*e).clone())?;
    if hit.looked_up && hit.answer.answer.valid {
        if let Some(prefix) = visible_prefix(key) {
            cache.vouch(prefix);
        }
    }
    if let Some(credential) = hit.touch {
        let pool = pool.clone();
        tokio::spawn(async move {
            if let Err(e) = touch(&pool, credential).await {
                tracing::warn!(error = %e, "could not note a key's use");
            }
        });
    }
    Ok(hit)
}

async fn touch(pool: &sqlx::PgPool, credential: Uuid) -> Result<(), sqlx::Error> {
    let mut tx = scope::begin(pool, Scope::Platform).await?;
    db::touch(&mut tx, credential).await?;
    tx.commit().await
}

/// The database's answer, with when it stops holding (the key's end, its grace
/// period's end or a subscription's end, whichever comes first) and the credential.
async fn verify_in_database(
    pool: &sqlx::PgPool,
    key: &str,
) -> Result<(Verification, Option<chrono::DateTime<chrono::Utc>>, Option<Uuid>), AppError> {
    let invalid =
        Verification { valid: false, application: None, previous_key: false, subscriptions: vec![] };
    let Some(prefix) = visible_prefix(key) else {
        return Ok((invalid, None, None));
    };
    let mut tx = scope::begin(pool, Scope::Platform).await?;
    let candidates = db::candidates(&mut tx, prefix).await?;
    let now = chrono::Utc::now();
    let found = candidates.into_iter().find(|c| crate::secrets::matches(key, &c.secret_hash));
    let Some(c) = found else {
        tx.commit().await?;
        return Ok((invalid, None, None));
    };
    let active = c.status == "active" && c.expires_at.is_none_or(|e| e > now);
    let in_grace = c.status == "rotated" && c.grace_until.is_some_and(|g| g > now);
    if !(active || in_grace) || c.kind == Kind::ClientSecret.as_str() {
        tx.commit().await?;
        return Ok((invalid, None, None));
    }
    if c.last_used_at.is_none_or(|t| now - t > chrono::Duration::minutes(1)) {
        db::touch(&mut tx, c.id).await?;
    }
    let subscriptions = db::verified_subscriptions(&mut tx, c.application_id).await?;
    tx.commit().await?;
    let ends = [c.expires_at, if active { None } else { c.grace_until }]
        .into_iter()
        .chain(subscriptions.iter().map(|(_, e)| *e))
        .flatten()
        .min();
    let answer = Verification {
        valid: true,
        application: Some(VerifiedApplication {
            id: c.application_id,
            name: c.application_name,
            client_id: c.client_id,
            tenant_id: c.tenant_id,
        }),
        previous_key: in_grace && !active,
        subscriptions: subscriptions.into_iter().map(|(s, _)| s).collect(),
    };
    Ok((answer, ends, Some(c.id)))
}

//! Applications and their credentials (`/apps`, `/apps/:id`, REST `/v1/applications`):
//! create, edit, delete; API keys and client secrets issued, rotated with a grace period,
//! revoked — each secret shown exactly once. And the gateways' `POST /v1/keys/verify`.

use crate::error::{AppError, FieldError};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Security profiles an application can have.
pub const PROFILES: [&str; 2] = ["api_key", "oauth2_confidential"];
/// Most redirect URIs per application.
pub const MAX_REDIRECT_URIS: usize = 10;
/// Session key of a secret waiting to be shown.
pub const ISSUED_KEY: &str = "apps.issued";
/// Session key of a refused application form.
pub const FORM_KEY: &str = "apps.form";

/// One application in the owner's list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppSummary {
    pub id: Uuid,
    pub name: String,
    pub description: String,
    pub security_profile: String,
    /// Credentials not revoked.
    pub credentials: i64,
    pub created_at: String,
}

/// A credential as its owner sees it: never the secret.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CredentialInfo {
    pub id: Uuid,
    pub kind: String,
    pub prefix: String,
    pub status: String,
    pub created_at: String,
    pub expires_at: Option<String>,
    pub grace_until: Option<String>,
    /// Verifies right now.
    pub usable: bool,
}

/// One application, whole.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppDetail {
    pub id: Uuid,
    pub name: String,
    pub description: String,
    pub security_profile: String,
    pub redirect_uris: Vec<String>,
    pub client_id: String,
    pub created_at: String,
    pub credentials: Vec<CredentialInfo>,
    /// Its subscriptions, newest first.
    #[serde(default)]
    pub subscriptions: Vec<crate::api::subscriptions::SubscriptionInfo>,
}

/// A secret just issued: the only time it is shown.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct IssuedSecret {
    pub application_id: Uuid,
    pub credential_id: Uuid,
    pub kind: String,
    pub secret: String,
    /// The credential it replaces, during its grace period.
    pub replaces: Option<Uuid>,
    pub grace_until: Option<String>,
}

/// The application form as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppForm {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub security_profile: String,
    /// One per line (form) — the REST body sends a list.
    #[serde(default)]
    pub redirect_uris: String,
}

/// A refused form with its errors.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RefusedApp {
    pub form: AppForm,
    pub errors: Vec<FieldError>,
}

/// A redirect URI an authorization server may send a code to: absolute https, or http on
/// the loopback interface (native and development clients, RFC 8252); no fragment.
pub fn valid_redirect_uri(uri: &str) -> bool {
    let Some((scheme, rest)) = uri.split_once("://") else { return false };
    let host = rest.split(['/', '?']).next().unwrap_or_default();
    let host_only = host.rsplit_once(':').map(|(h, _)| h).unwrap_or(host);
    let loopback = matches!(host_only, "localhost" | "127.0.0.1" | "[::1]");
    !uri.contains('#')
        && !uri.chars().any(char::is_whitespace)
        && !host_only.is_empty()
        && !host.contains('@')
        && (scheme == "https" || (scheme == "http" && loopback))
}

/// Checks a form; the redirect URIs come back as a list.
pub fn check_form(form: &AppForm) -> Result<Vec<String>, Vec<FieldError>> {
    let mut errors = Vec::new();
    let mut error = |field: &str, code: &str| {
        errors.push(FieldError { field: field.into(), code: code.into(), detail: None })
    };
    let name = form.name.trim();
    if name.is_empty() || name.chars().count() > 100 {
        error("name", "length-1-100");
    }
    if form.description.chars().count() > 2_000 {
        error("description", "too-long");
    }
    if !PROFILES.contains(&form.security_profile.as_str()) {
        error("security_profile", "unknown-profile");
    }
    let uris: Vec<String> =
        form.redirect_uris.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_owned).collect();
    if uris.len() > MAX_REDIRECT_URIS {
        error("redirect_uris", "too-many");
    } else if let Some(bad) = uris.iter().find(|u| !valid_redirect_uri(u)) {
        errors.push(FieldError {
            field: "redirect_uris".into(),
            code: "invalid-uri".into(),
            detail: Some(bad.clone()),
        });
    } else if form.security_profile == "oauth2_confidential" && uris.is_empty() {
        error("redirect_uris", "required-for-oauth2");
    }
    if errors.is_empty() {
        Ok(uris)
    } else {
        Err(errors)
    }
}

/// The signed-in user's applications.
#[server(endpoint = "my_applications")]
pub async fn my_applications() -> Result<Vec<AppSummary>, AppError> {
    let user = crate::auth::require(crate::domain::permission::Permission::ManageOwnApplications)?;
    let state = crate::state::app_state()?;
    server::list(&state.pool, &user).await
}

/// One of the user's applications, with the secret just issued (shown once) when
/// `issued` names it, and a refused edit when `refused` names one.
#[server(endpoint = "application_page")]
pub async fn application_page(
    id: String,
    issued: Option<String>,
    refused: Option<String>,
) -> Result<(Option<AppDetail>, Option<IssuedSecret>, Option<RefusedApp>), AppError> {
    let user = crate::auth::require(crate::domain::permission::Permission::ManageOwnApplications)?;
    let state = crate::state::app_state()?;
    let session: tower_sessions::Session =
        leptos_axum::extract().await.map_err(|e| AppError::internal("session extractor", e))?;
    let refused = match refused {
        Some(token) => crate::flash::read::<RefusedApp>(&session, FORM_KEY, &token)
            .await
            .map_err(|e| AppError::internal("session read", e))?,
        None => None,
    };
    if id == "new" {
        return Ok((None, None, refused));
    }
    let id = Uuid::parse_str(&id).map_err(|_| AppError::NotFound.with_response_status())?;
    let detail = server::get(&state.pool, &user, id).await.map_err(AppError::with_response_status)?;
    let issued = match issued {
        Some(token) => crate::flash::take::<IssuedSecret>(&session, ISSUED_KEY, &token)
            .await
            .map_err(|e| AppError::internal("session read", e))?
            .filter(|s| s.application_id == id),
        None => None,
    };
    Ok((Some(detail), issued, refused))
}

/// Creates (`id` empty) or changes an application; back to its page, or to the form
/// with the errors and what was typed.
#[server(endpoint = "save_application")]
pub async fn save_application(
    id: Option<String>,
    name: String,
    description: String,
    security_profile: String,
    redirect_uris: String,
) -> Result<(), AppError> {
    let user = crate::auth::require(crate::domain::permission::Permission::ManageOwnApplications)?;
    let state = crate::state::app_state()?;
    let form = AppForm { name, description, security_profile, redirect_uris };
    let id = id
        .filter(|i| !i.is_empty())
        .map(|i| Uuid::parse_str(&i))
        .transpose()
        .map_err(|_| AppError::NotFound)?;
    match server::save(&state.pool, &user, id, &form).await {
        Ok(id) => leptos_axum::redirect(&format!("/apps/{id}")),
        Err(AppError::Validation(errors)) => {
            let session: tower_sessions::Session =
                leptos_axum::extract().await.map_err(|e| AppError::internal("session extractor", e))?;
            let token = crate::flash::keep(&session, FORM_KEY, RefusedApp { form, errors })
                .await
                .map_err(|e| AppError::internal("session write", e))?;
            let page = id.map(|i| i.to_string()).unwrap_or_else(|| "new".into());
            leptos_axum::redirect(&format!("/apps/{page}?refused={token}#app-form"));
        }
        Err(e) => return Err(e.with_response_status()),
    }
    Ok(())
}

/// Deletes an application after confirmation (its credentials and subscriptions are
/// revoked); back to the list.
#[server(endpoint = "delete_application")]
pub async fn delete_application(id: String) -> Result<(), AppError> {
    let user = crate::auth::require(crate::domain::permission::Permission::ManageOwnApplications)?;
    let state = crate::state::app_state()?;
    let id = Uuid::parse_str(&id).map_err(|_| AppError::NotFound.with_response_status())?;
    server::delete(&state.pool, &user, id).await.map_err(AppError::with_response_status)?;
    leptos_axum::redirect("/apps?deleted=1");
    Ok(())
}

/// Issues a new API key (or client secret, for OAuth2 applications), optionally expiring
/// after `expires_in_days`; the page shows it once.
#[server(endpoint = "issue_credential")]
pub async fn issue_credential(application: String, expires_in_days: Option<String>) -> Result<(), AppError> {
    let user = crate::auth::require(crate::domain::permission::Permission::ManageOwnApplications)?;
    let state = crate::state::app_state()?;
    let id = Uuid::parse_str(&application).map_err(|_| AppError::NotFound.with_response_status())?;
    let days = match expires_in_days.as_deref().map(str::trim).filter(|d| !d.is_empty()) {
        None => None,
        Some(d) => Some(d.parse::<i64>().ok().filter(|d| (1..=3650).contains(d)).ok_or_else(|| {
            leptos_axum::redirect(&format!("/apps/{id}?error=expiry#credentials"));
            AppError::field("expires_in_days", "out-of-range")
        })?),
    };
    let issued = server::issue(&state.pool, &user, id, days).await.map_err(AppError::with_response_status)?;
    show_once(id, issued).await
}

/// Rotates a credential: a new secret now, the previous one still valid for
/// `grace_hours` (1–168, default 24).
#[server(endpoint = "rotate_credential")]
pub async fn rotate_credential(credential: String, grace_hours: Option<String>) -> Result<(), AppError> {
    let user = crate::auth::require(crate::domain::permission::Permission::ManageOwnApplications)?;
    let state = crate::state::app_state()?;
    let id = Uuid::parse_str(&credential).map_err(|_| AppError::NotFound.with_response_status())?;
    let Some(hours) = crate::domain::credential::grace_hours(grace_hours.as_deref()) else {
        return Err(AppError::field("grace_hours", "out-of-range").with_response_status());
    };
    let issued =
        server::rotate(&state.pool, &user, id, hours).await.map_err(AppError::with_response_status)?;
    show_once(issued.application_id, issued).await
}

/// Revokes a credential at once.
#[server(endpoint = "revoke_credential")]
pub async fn revoke_credential(credential: String) -> Result<(), AppError> {
    let user = crate::auth::require(crate::domain::permission::Permission::ManageOwnApplications)?;
    let state = crate::state::app_state()?;
    let id = Uuid::parse_str(&credential).map_err(|_| AppError::NotFound.with_response_status())?;
    let app = server::revoke(&state.pool, &user, id).await.map_err(AppError::with_response_status)?;
    leptos_axum::redirect(&format!("/apps/{app}?revoked=1#credentials"));
    Ok(())
}

/// Keeps a fresh secret for one view of its application's page and goes there.
#[cfg(feature = "ssr")]
async fn show_once(app: Uuid, issued: IssuedSecret) -> Result<(), AppError> {
    let session: tower_sessions::Session =
        leptos_axum::extract().await.map_err(|e| AppError::internal("session extractor", e))?;
    let token = crate::flash::keep(&session, ISSUED_KEY, issued)
        .await
        .map_err(|e| AppError::internal("session write", e))?;
    leptos_axum::redirect(&format!("/apps/{app}?issued={token}#credentials"));
    Ok(())
}

#[cfg(feature = "ssr")]
pub use server::{
    delete, get, issue, issue_in, list, revoke, rotate, rotate_in, save, save_in, verify, Verification,
};

#[cfg(feature = "ssr")]
mod server {
    use super::*;
    use crate::auth::CurrentUser;
    use crate::db::applications::{self as db, NewApp};
    use crate::db::scope::{self, Scope};
    use crate::db::{audit, outbox};
    use crate::domain::credential::{visible_prefix, Kind};
    use crate::domain::event::{types, CloudEvent, Topic};
    use serde_json::json;

    fn subject(user: &CurrentUser, id: Uuid) -> Option<String> {
        Some(format!("applications/{}/{id}", user.tenant_id))
    }

    async fn record(
        tx: &mut sqlx::PgConnection,
        user: &CurrentUser,
        id: Uuid,
        event: &str,
        action: &str,
        data: serde_json::Value,
    ) -> Result<(), AppError> {
        let e = CloudEvent::new(event, &user.tenant_id, subject(user, id), data.clone());
        outbox::enqueue(&mut *tx, Topic::AppLifecycle, &e).await?;
        let id = id.to_string();
        let entry =
            audit::AuditEntry { subject: Some(&id), ..audit::AuditEntry::by(user, action, None, data) };
        audit::record(&mut *tx, &entry).await?;
        Ok(())
    }

    pub async fn list(pool: &sqlx::PgPool, user: &CurrentUser) -> Result<Vec<AppSummary>, AppError> {
        let mut tx = scope::begin(pool, Scope::Tenant(&user.tenant_id)).await?;
        let apps = db::list(&mut tx, user.id).await?;
        tx.commit().await?;
        Ok(apps)
    }

    pub async fn get(pool: &sqlx::PgPool, user: &CurrentUser, id: Uuid) -> Result<AppDetail, AppError> {
        let mut tx = scope::begin(pool, Scope::Tenant(&user.tenant_id)).await?;
        let app = db::get(&mut tx, user.id, id).await?;
        tx.commit().await?;
        app.ok_or(AppError::NotFound)
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
        let (event, action) =
            if created { (types::APP_CREATED, "apps.created") } else { (types::APP_UPDATED, "apps.updated") };
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
        let revoked: Vec<(Uuid, String)> = sqlx::query_as(
            "UPDATE subscriptions SET state = 'revoked', reason = 'application deleted', updated_at = now()
             WHERE application_id = $1 AND state IN ('pending', 'active', 'suspended')
             RETURNING id, api_tenant_id",
        )
        .bind(id)
        .fetch_all(&mut *tx)
        .await?;
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
            "apps.deleted",
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
        expires_in_days: Option<i64>,
    ) -> Result<IssuedSecret, AppError> {
        let mut tx = scope::begin(pool, Scope::Tenant(&user.tenant_id)).await?;
        let issued = issue_in(&mut tx, user, app, expires_in_days).await?;
        crate::keycache::commit(tx).await?;
        Ok(issued)
    }

    /// [`issue`] inside the caller's transaction (in `user`'s tenant scope).
    pub async fn issue_in(
        tx: &mut sqlx::PgConnection,
        user: &CurrentUser,
        app: Uuid,
        expires_in_days: Option<i64>,
    ) -> Result<IssuedSecret, AppError> {
        let profile: String =
            sqlx::query_scalar("SELECT security_profile FROM applications WHERE id = $1 AND owner_id = $2")
                .bind(app)
                .bind(user.id)
                .fetch_optional(&mut *tx)
                .await?
                .ok_or(AppError::NotFound)?;
        let kind = kind_for(&profile);
        let minted = mint(kind)?;
        let expires_at = expires_in_days.map(|d| chrono::Utc::now() + chrono::Duration::days(d));
        let id = db::insert_credential(
            &mut *tx,
            &user.tenant_id,
            app,
            kind.as_str(),
            &minted,
            expires_at,
            user.id,
        )
        .await?;
        record(
            &mut *tx,
            user,
            app,
            types::APP_UPDATED,
            "apps.credential-issued",
            json!({ "credential": id, "prefix": minted.prefix, "kind": kind.as_str() }),
        )
        .await?;
        Ok(IssuedSecret {
            application_id: app,
            credential_id: id,
            kind: kind.as_str().into(),
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
        db::insert_credential(
            &mut tx,
            &user.tenant_id,
            app,
            Kind::TryIt.as_str(),
            &minted,
            expires_at,
            user.id,
        )
        .await?;
        tx.commit().await?;
        Ok(minted.secret)
    }

    /// Rotates a credential of `user`: a new one now, the old one until the grace ends.
    pub async fn rotate(
        pool: &sqlx::PgPool,
        user: &CurrentUser,
        credential: Uuid,
        grace_hours: i64,
    ) -> Result<IssuedSecret, AppError> {
        let mut tx = scope::begin(pool, Scope::Tenant(&user.tenant_id)).await?;
        let issued = rotate_in(&mut tx, user, credential, grace_hours).await?;
        crate::keycache::commit(tx).await?;
        Ok(issued)
    }

    /// [`rotate`] inside the caller's transaction (in `user`'s tenant scope).
    pub async fn rotate_in(
        tx: &mut sqlx::PgConnection,
        user: &CurrentUser,
        credential: Uuid,
        grace_hours: i64,
    ) -> Result<IssuedSecret, AppError> {
        let (app, kind, status, expires_at) =
            db::credential_of(&mut *tx, user.id, credential).await?.ok_or(AppError::NotFound)?;
        if status != "active" || kind == Kind::TryIt.as_str() {
            return Err(AppError::Conflict { code: "not-active".into() });
        }
        let kind = Kind::parse(&kind).unwrap_or(Kind::ApiKey);
        let minted = mint(kind)?;
        let id = db::insert_credential(
            &mut *tx,
            &user.tenant_id,
            app,
            kind.as_str(),
            &minted,
            expires_at,
            user.id,
        )
        .await?;
        let grace_until = chrono::Utc::now() + chrono::Duration::hours(grace_hours);
        db::mark_rotated(&mut *tx, credential, id, grace_until).await?;
        record(
            &mut *tx,
            user,
            app,
            types::APP_SECRET_ROTATED,
            "apps.credential-rotated",
            json!({ "credential": id, "replaces": credential, "grace_hours": grace_hours }),
        )
        .await?;
        Ok(IssuedSecret {
            application_id: app,
            credential_id: id,
            kind: kind.as_str().into(),
            secret: minted.secret,
            replaces: Some(credential),
            grace_until: Some(crate::db::rfc3339(grace_until)),
        })
    }

    /// Revokes a credential of `user`; returns its application.
    pub async fn revoke(pool: &sqlx::PgPool, user: &CurrentUser, credential: Uuid) -> Result<Uuid, AppError> {
        let mut tx = scope::begin(pool, Scope::Tenant(&user.tenant_id)).await?;
        let (app, _, _, _) =
            db::credential_of(&mut tx, user.id, credential).await?.ok_or(AppError::NotFound)?;
        db::revoke(&mut tx, credential).await?;
        record(
            &mut tx,
            user,
            app,
            types::APP_UPDATED,
            "apps.credential-revoked",
            json!({ "credential": credential }),
        )
        .await?;
        crate::keycache::commit(tx).await?;
        Ok(app)
    }

    /// What `POST /v1/keys/verify` answers.
    #[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
    pub struct Verification {
        pub valid: bool,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub application: Option<serde_json::Value>,
        /// The key is the previous one of a rotation, still in its grace period.
        pub previous_key: bool,
        pub subscriptions: Vec<serde_json::Value>,
    }

    /// Checks a presented key: active and not expired, or rotated and within its grace
    /// period. A recent answer for the same key comes from memory ([`crate::keycache`]);
    /// otherwise the database decides, comparing hashes in constant time.
    pub async fn verify(
        pool: &sqlx::PgPool,
        key: &str,
    ) -> Result<std::sync::Arc<crate::keycache::Verified>, AppError> {
        let cache = crate::keycache::cache();
        let digest = crate::secrets::digest(key);
        if let Some(hit) = cache.get(&digest) {
            if let Some(credential) = hit.touch {
                let pool = pool.clone();
                tokio::spawn(async move {
                    if let Err(e) = touch(&pool, credential).await {
                        tracing::warn!(error = %e, "could not note a key's use");
                    }
                });
            }
            return Ok(hit.answer);
        }
        let generation = cache.generation();
        let (answer, until, credential) = verify_in_database(pool, key).await?;
        let answer = std::sync::Arc::new(crate::keycache::Verified::new(answer));
        let now = chrono::Utc::now();
        let until = match until {
            Some(t) => std::time::Instant::now() + (t - now).to_std().unwrap_or_default(),
            None => std::time::Instant::now() + crate::keycache::TTL,
        };
        cache.put(generation, digest, answer.clone(), until, credential);
        Ok(answer)
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
        let subscriptions: Vec<(serde_json::Value, Option<chrono::DateTime<chrono::Utc>>)> = sqlx::query_as(
            "SELECT jsonb_build_object(
                    'id', s.id, 'api', i.tenant_id || '/' || i.slug, 'kind', i.kind,
                    'tools', s.requested_tools, 'expires_at', s.expires_at,
                    'plan', CASE WHEN p.id IS NULL THEN NULL ELSE jsonb_build_object(
                        'slug', p.slug, 'rate_per_second', p.rate_per_second, 'rate_per_minute', p.rate_per_minute,
                        'daily_quota', p.daily_quota, 'monthly_quota', p.monthly_quota) END),
                    s.expires_at
             FROM subscriptions s JOIN catalog_items i ON i.id = s.item_id LEFT JOIN plans p ON p.id = s.plan_id
             WHERE s.application_id = $1 AND s.state = 'active' AND (s.expires_at IS NULL OR s.expires_at > now())
             ORDER BY i.slug",
        )
        .bind(c.application_id)
        .fetch_all(&mut *tx)
        .await?;
        tx.commit().await?;
        let ends = [c.expires_at, if active { None } else { c.grace_until }]
            .into_iter()
            .chain(subscriptions.iter().map(|(_, e)| *e))
            .flatten()
            .min();
        let answer = Verification {
            valid: true,
            application: Some(json!({
                "id": c.application_id, "name": c.application_name, "client_id": c.client_id, "tenant_id": c.tenant_id,
            })),
            previous_key: in_grace && !active,
            subscriptions: subscriptions.into_iter().map(|(s, _)| s).collect(),
        };
        Ok((answer, ends, Some(c.id)))
    }
}

#[cfg(feature = "ssr")]
pub use server::try_it_key;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redirect_uris_are_https_or_loopback_http() {
        for ok in [
            "https://app.example.com/callback",
            "http://localhost:8080/cb",
            "http://127.0.0.1/cb",
            "https://x.io",
        ] {
            assert!(valid_redirect_uri(ok), "{ok}");
        }
        for bad in [
            "http://app.example.com/cb",
            "https://app.example.com/cb#frag",
            "javascript:alert(1)",
            "https://user@evil.example/cb",
            "https:///nohost",
            "https://a b.example",
            "ftp://files.example",
        ] {
            assert!(!valid_redirect_uri(bad), "{bad}");
        }
    }

    #[test]
    fn the_form_names_every_bad_field() {
        let form = AppForm {
            name: " ".into(),
            description: String::new(),
            security_profile: "saml".into(),
            redirect_uris: "http://evil.example/cb".into(),
        };
        let fields: Vec<String> =
            check_form(&form).expect_err("refused").into_iter().map(|e| e.field).collect();
        assert_eq!(fields, ["name", "security_profile", "redirect_uris"]);
        let oauth = AppForm {
            name: "Mobile".into(),
            security_profile: "oauth2_confidential".into(),
            ..Default::default()
        };
        assert_eq!(check_form(&oauth).expect_err("refused")[0].code, "required-for-oauth2");
        let ok = AppForm {
            name: "Mobile".into(),
            security_profile: "oauth2_confidential".into(),
            redirect_uris: "https://m.example/cb\n\nhttp://localhost:3000/cb\n".into(),
            ..Default::default()
        };
        assert_eq!(check_form(&ok).expect("valid").len(), 2);
    }
}

//! Applications and their credentials. Every query names the owner: a user reaches only
//! their own applications (row-level security adds the tenant on top).

use crate::db::{decode, rfc3339};
use crate::domain::credential::{Kind, Status};
use crate::model::applications::{
    AppDetail, AppSummary, CredentialInfo, SecurityProfile, VerifiedSubscription,
};
use crate::secrets::Minted;
use chrono::{DateTime, Utc};
use sqlx::PgConnection;
use uuid::Uuid;

/// An application as its owner describes it.
pub struct NewApp<'a> {
    pub tenant_id: &'a str,
    pub owner_id: Uuid,
    pub name: &'a str,
    pub description: &'a str,
    pub security_profile: &'a str,
    pub redirect_uris: &'a [String],
}

/// Creates an application; its OAuth2 client id is public and random.
pub async fn create(db: &mut PgConnection, app: &NewApp<'_>) -> Result<Uuid, sqlx::Error> {
    let id = Uuid::now_v7();
    sqlx::query(
        "INSERT INTO applications (id, tenant_id, owner_id, name, description, security_profile, redirect_uris, client_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(id)
    .bind(app.tenant_id)
    .bind(app.owner_id)
    .bind(app.name)
    .bind(app.description)
    .bind(app.security_profile)
    .bind(app.redirect_uris)
    .bind(format!("stoa-{}", Uuid::new_v4().simple()))
    .execute(db)
    .await?;
    Ok(id)
}

/// Changes an application of `app.owner_id`; false when there is none with that id.
pub async fn update(db: &mut PgConnection, id: Uuid, app: &NewApp<'_>) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE applications SET name = $3, description = $4, security_profile = $5, redirect_uris = $6,
                updated_at = now()
         WHERE id = $1 AND owner_id = $2",
    )
    .bind(id)
    .bind(app.owner_id)
    .bind(app.name)
    .bind(app.description)
    .bind(app.security_profile)
    .bind(app.redirect_uris)
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Deletes an application of `owner` (its credentials go with it); false if none.
pub async fn delete(db: &mut PgConnection, owner: Uuid, id: Uuid) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("DELETE FROM applications WHERE id = $1 AND owner_id = $2")
        .bind(id)
        .bind(owner)
        .execute(db)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// The owner's applications, newest first.
pub async fn list(db: &mut PgConnection, owner: Uuid) -> Result<Vec<AppSummary>, sqlx::Error> {
    let rows: Vec<(Uuid, String, String, String, i64, DateTime<Utc>)> = sqlx::query_as(
        "SELECT a.id, a.name, a.description, a.security_profile,
                (SELECT count(*) FROM credentials c WHERE c.application_id = a.id AND c.status <> 'revoked' AND c.kind <> 'try_it'),
                a.created_at
         FROM applications a WHERE a.owner_id = $1 ORDER BY a.created_at DESC",
    )
    .bind(owner)
    .fetch_all(db)
    .await?;
    rows.into_iter()
        .map(|(id, name, description, profile, credentials, created_at)| {
            Ok(AppSummary {
                id,
                name,
                description,
                security_profile: decode(&profile, SecurityProfile::parse)?,
                credentials,
                created_at: rfc3339(created_at),
            })
        })
        .collect()
}

/// One application of `owner` with its credentials (try-it keys left out).
pub async fn get(db: &mut PgConnection, owner: Uuid, id: Uuid) -> Result<Option<AppDetail>, sqlx::Error> {
    #[derive(sqlx::FromRow)]
    struct A {
        name: String,
        description: String,
        security_profile: String,
        redirect_uris: Vec<String>,
        client_id: String,
        created_at: DateTime<Utc>,
    }
    let row: Option<A> = sqlx::query_as(
        "SELECT name, description, security_profile, redirect_uris, client_id, created_at
         FROM applications WHERE id = $1 AND owner_id = $2",
    )
    .bind(id)
    .bind(owner)
    .fetch_optional(&mut *db)
    .await?;
    let Some(A { name, description, security_profile, redirect_uris, client_id, created_at }) = row else {
        return Ok(None);
    };
    #[derive(sqlx::FromRow)]
    struct C {
        id: Uuid,
        kind: String,
        prefix: String,
        status: String,
        created_at: DateTime<Utc>,
        expires_at: Option<DateTime<Utc>>,
        grace_until: Option<DateTime<Utc>>,
        usable: bool,
    }
    let credentials: Vec<C> = sqlx::query_as(
        "SELECT id, kind, prefix, status, created_at, expires_at, grace_until,
                (status = 'active' AND (expires_at IS NULL OR expires_at > now()))
                 OR (status = 'rotated' AND grace_until > now()) AS usable
         FROM credentials WHERE application_id = $1 AND kind <> 'try_it'
         ORDER BY created_at DESC",
    )
    .bind(id)
    .fetch_all(&mut *db)
    .await?;
    let subscriptions =
        crate::db::subscriptions::list(&mut *db, crate::db::subscriptions::Filter::Application(id), 500)
            .await?;
    Ok(Some(AppDetail {
        subscriptions,
        id,
        name,
        description,
        security_profile: decode(&security_profile, SecurityProfile::parse)?,
        redirect_uris,
        client_id,
        created_at: rfc3339(created_at),
        credentials: credentials
            .into_iter()
            .map(|c| {
                Ok(CredentialInfo {
                    id: c.id,
                    kind: decode(&c.kind, Kind::parse)?,
                    prefix: c.prefix,
                    status: decode(&c.status, Status::parse)?,
                    created_at: rfc3339(c.created_at),
                    expires_at: c.expires_at.map(rfc3339),
                    grace_until: c.grace_until.map(rfc3339),
                    usable: c.usable,
                })
            })
            .collect::<Result<_, sqlx::Error>>()?,
    }))
}

/// The tenant of an application of `owner`, if it is theirs.
pub async fn owned(db: &mut PgConnection, owner: Uuid, id: Uuid) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT tenant_id FROM applications WHERE id = $1 AND owner_id = $2")
        .bind(id)
        .bind(owner)
        .fetch_optional(db)
        .await
}

/// Stores a minted secret for an application.
pub async fn insert_credential(
    db: &mut PgConnection,
    tenant_id: &str,
    application_id: Uuid,
    kind: &str,
    minted: &Minted,
    expires_at: Option<DateTime<Utc>>,
    created_by: Uuid,
) -> Result<Uuid, sqlx::Error> {
    let id = Uuid::now_v7();
    sqlx::query(
        "INSERT INTO credentials (id, tenant_id, application_id, kind, prefix, secret_hash, expires_at, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(id)
    .bind(tenant_id)
    .bind(application_id)
    .bind(kind)
    .bind(&minted.prefix)
    .bind(&minted.hash)
    .bind(expires_at)
    .bind(created_by)
    .execute(db)
    .await?;
    Ok(id)
}

/// A credential of one of `owner`'s applications: (application id, kind, status, expiry).
pub async fn credential_of(
    db: &mut PgConnection,
    owner: Uuid,
    credential: Uuid,
) -> Result<Option<(Uuid, String, String, Option<DateTime<Utc>>)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT c.application_id, c.kind, c.status, c.expires_at FROM credentials c
         JOIN applications a ON a.id = c.application_id
         WHERE c.id = $1 AND a.owner_id = $2 FOR UPDATE OF c",
    )
    .bind(credential)
    .bind(owner)
    .fetch_optional(db)
    .await
}

/// Marks `old` rotated: it keeps working until `grace_until`, then `new` alone does.
pub async fn mark_rotated(
    db: &mut PgConnection,
    old: Uuid,
    new: Uuid,
    grace_until: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE credentials SET status = 'rotated', grace_until = $2, replaced_by = $3 WHERE id = $1",
    )
    .bind(old)
    .bind(grace_until)
    .bind(new)
    .execute(db)
    .await?;
    Ok(())
}

/// Revokes a credential (and, for a rotated one's successor chain, nothing else).
pub async fn revoke(db: &mut PgConnection, credential: Uuid) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE credentials SET status = 'revoked', revoked_at = now() WHERE id = $1 AND status <> 'revoked'",
    )
    .bind(credential)
    .execute(db)
    .await?;
    Ok(())
}

/// What verification needs of the credentials whose visible prefix is `prefix`.
#[derive(sqlx::FromRow)]
pub struct Candidate {
    pub id: Uuid,
    pub secret_hash: Vec<u8>,
    pub kind: String,
    pub status: String,
    pub expires_at: Option<DateTime<Utc>>,
    pub grace_until: Option<DateTime<Utc>>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub application_id: Uuid,
    pub application_name: String,
    pub client_id: String,
    pub tenant_id: String,
}

/// Credentials with this visible prefix (normally one). Run in the platform scope: the
/// caller is a gateway, not a tenant.
pub async fn candidates(db: &mut PgConnection, prefix: &str) -> Result<Vec<Candidate>, sqlx::Error> {
    sqlx::query_as(
        "SELECT c.id, c.secret_hash, c.kind, c.status, c.expires_at, c.grace_until, c.last_used_at,
                a.id AS application_id, a.name AS application_name, a.client_id, a.tenant_id
         FROM credentials c JOIN applications a ON a.id = c.application_id
         WHERE c.prefix = $1",
    )
    .bind(prefix)
    .fetch_all(db)
    .await
}

/// Notes that a credential was used (at most once a minute, to keep verification cheap).
pub async fn touch(db: &mut PgConnection, credential: Uuid) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE credentials SET last_used_at = now() WHERE id = $1")
        .bind(credential)
        .execute(db)
        .await?;
    Ok(())
}

/// Deletes try-it keys that expired more than an hour ago (platform scope); how many.
pub async fn delete_expired_try_it_keys(db: &mut PgConnection) -> Result<u64, sqlx::Error> {
    let done = sqlx::query(
        "DELETE FROM credentials WHERE kind = 'try_it' AND expires_at < now() - interval '1 hour'",
    )
    .execute(db)
    .await?;
    Ok(done.rows_affected())
}

/// The security profile of an application of `owner`.
pub async fn security_profile(
    db: &mut PgConnection,
    owner: Uuid,
    app: Uuid,
) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT security_profile FROM applications WHERE id = $1 AND owner_id = $2")
        .bind(app)
        .bind(owner)
        .fetch_optional(db)
        .await
}

/// The application of `owner` with this name.
pub async fn named(db: &mut PgConnection, owner: Uuid, name: &str) -> Result<Option<Uuid>, sqlx::Error> {
    sqlx::query_scalar("SELECT id FROM applications WHERE owner_id = $1 AND name = $2")
        .bind(owner)
        .bind(name)
        .fetch_optional(db)
        .await
}

/// The newest active API key of an application.
pub async fn current_api_key(db: &mut PgConnection, app: Uuid) -> Result<Option<Uuid>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT id FROM credentials WHERE application_id = $1 AND kind = 'api_key' AND status = 'active'
         ORDER BY created_at DESC LIMIT 1",
    )
    .bind(app)
    .fetch_optional(db)
    .await
}

/// An application's active subscriptions as key verification reports them, each with
/// its end.
pub async fn verified_subscriptions(
    db: &mut PgConnection,
    app: Uuid,
) -> Result<Vec<(VerifiedSubscription, Option<DateTime<Utc>>)>, sqlx::Error> {
    let rows: Vec<(sqlx::types::Json<VerifiedSubscription>, Option<DateTime<Utc>>)> = sqlx::query_as(
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
    .bind(app)
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(|(s, end)| (s.0, end)).collect())
}

/// The channel on which a committed change to keys, applications or subscriptions is
/// announced to every replica (their verified-key caches forget what they hold).
pub const KEYS_CHANNEL: &str = "stoa_keys";

/// Announces, when the transaction commits, that verified keys may have changed
/// (`NOTIFY` is transactional: a rolled-back change announces nothing).
pub async fn announce_key_change(db: impl sqlx::PgExecutor<'_>) -> Result<(), sqlx::Error> {
    sqlx::query("SELECT pg_notify($1, '')").bind(KEYS_CHANNEL).execute(db).await?;
    Ok(())
}

//! Users: local accounts now, identity-provider users from the identity issue on.

use crate::auth::CurrentUser;
use crate::domain::role::{parse_roles, Role};
use sqlx::PgExecutor;
use uuid::Uuid;

/// A new local account.
pub struct NewLocalUser<'a> {
    pub tenant_id: &'a str,
    pub username: &'a str,
    pub display_name: &'a str,
    pub email: Option<&'a str>,
    pub roles: &'a [Role],
    pub password_hash: &'a str,
}

/// Creates a local account unless the username exists; returns whether it was created.
pub async fn create_local(db: impl PgExecutor<'_>, user: &NewLocalUser<'_>) -> Result<bool, sqlx::Error> {
    let roles: Vec<&str> = user.roles.iter().map(|r| r.as_str()).collect();
    let done = sqlx::query(
        "INSERT INTO users (id, tenant_id, username, display_name, email, password_hash, roles)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (username) DO NOTHING",
    )
    .bind(Uuid::now_v7())
    .bind(user.tenant_id)
    .bind(user.username)
    .bind(user.display_name)
    .bind(user.email)
    .bind(user.password_hash)
    .bind(&roles)
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Whether a user with this username exists.
pub async fn exists(db: impl PgExecutor<'_>, username: &str) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM users WHERE username = $1)")
        .bind(username)
        .fetch_one(db)
        .await
}

/// The user and their password hash, for a sign-in attempt.
pub async fn credentials(
    db: impl PgExecutor<'_>,
    username: &str,
) -> Result<Option<(CurrentUser, Option<String>)>, sqlx::Error> {
    #[derive(sqlx::FromRow)]
    struct Row {
        id: Uuid,
        username: String,
        display_name: String,
        tenant_id: String,
        roles: Vec<String>,
        password_hash: Option<String>,
    }
    let row: Option<Row> = sqlx::query_as(
        "SELECT id, username, display_name, tenant_id, roles, password_hash FROM users WHERE username = $1",
    )
    .bind(username)
    .fetch_optional(db)
    .await?;
    Ok(row.map(|r| {
        let roles = parse_roles(r.roles.iter().map(String::as_str));
        let user = CurrentUser {
            id: r.id,
            username: r.username,
            display_name: r.display_name,
            tenant_id: r.tenant_id,
            roles,
        };
        (user, r.password_hash)
    }))
}

/// The user with this id (sessions store the id only).
pub async fn by_id(db: impl PgExecutor<'_>, id: Uuid) -> Result<Option<CurrentUser>, sqlx::Error> {
    let row: Option<(String, String, String, Vec<String>)> =
        sqlx::query_as("SELECT username, display_name, tenant_id, roles FROM users WHERE id = $1")
            .bind(id)
            .fetch_optional(db)
            .await?;
    Ok(row.map(|(username, display_name, tenant_id, roles)| CurrentUser {
        id,
        username,
        display_name,
        tenant_id,
        roles: parse_roles(roles.iter().map(String::as_str)),
    }))
}

/// What the session check reads about a session's user.
pub struct SessionRow {
    pub user: CurrentUser,
    /// Whether the navigation offers the onboarding wizard: not left nor finished, and
    /// started or without any application yet.
    pub getting_started: bool,
    /// When the user's tenant was last reset (the demo's, by schedule or by hand): a
    /// session from before it ends.
    pub reset_at: Option<chrono::DateTime<chrono::Utc>>,
}

/// The user of a session (none: no such user any more).
pub async fn session_user(db: impl PgExecutor<'_>, id: Uuid) -> Result<Option<SessionRow>, sqlx::Error> {
    type Row = (String, String, String, Vec<String>, bool, Option<chrono::DateTime<chrono::Utc>>);
    let row: Option<Row> = sqlx::query_as(
        "SELECT u.username, u.display_name, u.tenant_id, u.roles,
                coalesce(o.dismissed_at IS NULL AND o.completed_at IS NULL AND o.first_call_at IS NULL, true)
                AND (o.user_id IS NOT NULL OR NOT EXISTS (SELECT 1 FROM applications a WHERE a.owner_id = u.id)),
                (SELECT max(r.finished_at) FROM demo_resets r WHERE r.tenant_id = u.tenant_id AND r.trigger <> 'seed')
         FROM users u LEFT JOIN onboarding o ON o.user_id = u.id WHERE u.id = $1",
    )
    .bind(id)
    .fetch_optional(db)
    .await?;
    Ok(row.map(|(username, display_name, tenant_id, roles, getting_started, reset_at)| SessionRow {
        user: CurrentUser {
            id,
            username,
            display_name,
            tenant_id,
            roles: parse_roles(roles.iter().map(String::as_str)),
        },
        getting_started,
        reset_at,
    }))
}

/// Why a provider's user cannot be taken in.
#[derive(Debug, thiserror::Error)]
pub enum UpsertError {
    #[error("tenant `{0}` is not known here")]
    UnknownTenant(String),
    #[error("username `{0}` belongs to another account")]
    UsernameTaken(String),
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

/// Creates or refreshes the user the identity provider vouches for (name, email, tenant
/// and roles follow the provider at every sign-in).
pub async fn upsert_from_provider(
    db: &mut sqlx::PgConnection,
    claims: &crate::oidc::Claims,
) -> Result<CurrentUser, UpsertError> {
    let known: bool = sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM tenants WHERE id = $1)")
        .bind(&claims.tenant_id)
        .fetch_one(&mut *db)
        .await?;
    if !known {
        return Err(UpsertError::UnknownTenant(claims.tenant_id.clone()));
    }
    let roles: Vec<&str> = claims.roles.iter().map(|r| r.as_str()).collect();
    let id: Result<Uuid, sqlx::Error> = sqlx::query_scalar(
        "INSERT INTO users (id, tenant_id, username, display_name, email, roles, oidc_subject)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (oidc_subject) DO UPDATE
            SET tenant_id = EXCLUDED.tenant_id, username = EXCLUDED.username,
                display_name = EXCLUDED.display_name, email = EXCLUDED.email, roles = EXCLUDED.roles
         RETURNING id",
    )
    .bind(Uuid::now_v7())
    .bind(&claims.tenant_id)
    .bind(&claims.username)
    .bind(claims.name.chars().take(200).collect::<String>())
    .bind(&claims.email)
    .bind(&roles)
    .bind(&claims.subject)
    .fetch_one(&mut *db)
    .await;
    let id = match id {
        Err(sqlx::Error::Database(e)) if e.constraint() == Some("users_username_key") => {
            return Err(UpsertError::UsernameTaken(claims.username.clone()));
        }
        other => other?,
    };
    Ok(CurrentUser {
        id,
        username: claims.username.clone(),
        display_name: claims.name.clone(),
        tenant_id: claims.tenant_id.clone(),
        roles: claims.roles.clone(),
    })
}

/// Records a completed sign-in (`method`: `local` or `oidc`) in the audit trail and
/// returns the user's preferred language, to apply from now on.
pub async fn record_sign_in(
    db: &mut sqlx::PgConnection,
    user: &CurrentUser,
    method: &str,
    client_addr: Option<&str>,
) -> Result<Option<String>, sqlx::Error> {
    let entry = crate::db::audit::AuditEntry::by(
        user,
        crate::domain::event::actions::SIGN_IN,
        client_addr,
        serde_json::json!({ "method": method }),
    );
    crate::db::audit::record(&mut *db, &entry).await?;
    preferred_language(&mut *db, user.id).await
}

/// Stores the language a user wants at sign-in.
pub async fn set_preferred_language(
    db: impl PgExecutor<'_>,
    id: Uuid,
    code: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE users SET preferred_language = $2 WHERE id = $1")
        .bind(id)
        .bind(code)
        .execute(db)
        .await?;
    Ok(())
}

/// The language a user chose on their profile, if any.
pub async fn preferred_language(db: impl PgExecutor<'_>, id: Uuid) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT preferred_language FROM users WHERE id = $1").bind(id).fetch_one(db).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use sqlx::PgPool;

    #[sqlx::test(migrations = "../migrations")]
    async fn a_local_account_round_trips_with_its_roles(pool: PgPool) {
        crate::db::tenants::upsert(&pool, "acme", "Acme").await.expect("tenant");
        let user = NewLocalUser {
            tenant_id: "acme",
            username: "dave",
            display_name: "Dave Devops",
            email: None,
            roles: &[Role::Devops],
            password_hash: "$argon2id$dummy",
        };
        assert!(create_local(&pool, &user).await.expect("create"));
        assert!(!create_local(&pool, &user).await.expect("second time: no-op"));
        let (found, hash) = credentials(&pool, "dave").await.expect("query").expect("found");
        assert_eq!((found.tenant_id.as_str(), found.roles.as_slice()), ("acme", [Role::Devops].as_slice()));
        assert_eq!(hash.as_deref(), Some("$argon2id$dummy"));
        assert!(credentials(&pool, "nobody").await.expect("query").is_none());
    }

    #[sqlx::test(migrations = "../migrations")]
    async fn provider_users_follow_the_provider_and_never_take_a_local_name(pool: PgPool) {
        crate::db::tenants::upsert(&pool, "acme", "Acme").await.expect("tenant");
        let mut claims = crate::oidc::Claims {
            subject: "kc-1".into(),
            username: "olga".into(),
            email: None,
            name: "Olga".into(),
            tenant_id: "acme".into(),
            roles: vec![Role::Viewer],
        };
        let mut conn = pool.acquire().await.expect("conn");
        let first = upsert_from_provider(&mut conn, &claims).await.expect("created");
        claims.roles = vec![Role::TenantAdmin];
        let again = upsert_from_provider(&mut conn, &claims).await.expect("refreshed");
        assert_eq!(first.id, again.id, "same subject, same user");
        assert_eq!(by_id(&mut *conn, first.id).await.expect("q").expect("u").roles, [Role::TenantAdmin]);
        let local = NewLocalUser {
            tenant_id: "acme",
            username: "dave",
            display_name: "Dave",
            email: None,
            roles: &[Role::Devops],
            password_hash: "$argon2id$dummy",
        };
        create_local(&mut *conn, &local).await.expect("local");
        let squatter =
            crate::oidc::Claims { subject: "kc-2".into(), username: "dave".into(), ..claims.clone() };
        assert!(matches!(
            upsert_from_provider(&mut conn, &squatter).await,
            Err(UpsertError::UsernameTaken(_))
        ));
        let stranger = crate::oidc::Claims { subject: "kc-3".into(), tenant_id: "initech".into(), ..claims };
        assert!(matches!(
            upsert_from_provider(&mut conn, &stranger).await,
            Err(UpsertError::UnknownTenant(_))
        ));
    }
}

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
}

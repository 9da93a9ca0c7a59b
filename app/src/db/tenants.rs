//! Tenants.

use sqlx::PgExecutor;

/// Creates a tenant or renames an existing one; returns whether it was created.
pub async fn upsert(db: impl PgExecutor<'_>, id: &str, name: &str) -> Result<bool, sqlx::Error> {
    let created: bool = sqlx::query_scalar(
        "INSERT INTO tenants (id, name) VALUES ($1, $2)
         ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, updated_at = now()
         RETURNING (xmax = 0)",
    )
    .bind(id)
    .bind(name)
    .fetch_one(db)
    .await?;
    Ok(created)
}

/// Creates a tenant; false when the slug is taken.
pub async fn create(db: impl PgExecutor<'_>, id: &str, name: &str) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("INSERT INTO tenants (id, name) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING")
        .bind(id)
        .bind(name)
        .execute(db)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// A tenant's name.
pub async fn name(db: impl PgExecutor<'_>, id: &str) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT name FROM tenants WHERE id = $1").bind(id).fetch_optional(db).await
}

/// Every tenant with its members and open invitations, by slug (platform scope).
pub async fn list(db: impl PgExecutor<'_>) -> Result<Vec<crate::model::members::TenantInfo>, sqlx::Error> {
    rows(db, None).await
}

/// One tenant with its members and open invitations (platform scope).
pub async fn one(
    db: impl PgExecutor<'_>,
    id: &str,
) -> Result<Option<crate::model::members::TenantInfo>, sqlx::Error> {
    Ok(rows(db, Some(id)).await?.pop())
}

async fn rows(
    db: impl PgExecutor<'_>,
    id: Option<&str>,
) -> Result<Vec<crate::model::members::TenantInfo>, sqlx::Error> {
    type Raw = (String, String, String, i64, i64, chrono::DateTime<chrono::Utc>);
    let rows: Vec<Raw> = sqlx::query_as(
        "SELECT t.id, t.name, t.status,
                (SELECT count(*) FROM users u WHERE u.tenant_id = t.id),
                (SELECT count(*) FROM invitations i WHERE i.tenant_id = t.id
                   AND i.accepted_at IS NULL AND i.revoked_at IS NULL AND i.expires_at > now()),
                t.created_at
         FROM tenants t WHERE ($1::text IS NULL OR t.id = $1) ORDER BY t.id LIMIT 1000",
    )
    .bind(id)
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, name, status, members, invitations, created_at)| crate::model::members::TenantInfo {
            id,
            name,
            status,
            members,
            invitations,
            created_at: created_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use sqlx::PgPool;

    #[sqlx::test(migrations = "../migrations")]
    async fn upsert_creates_once_then_renames(pool: PgPool) {
        assert!(upsert(&pool, "acme", "Acme").await.expect("create"));
        assert!(!upsert(&pool, "acme", "Acme Corp").await.expect("rename"));
        let name: String = sqlx::query_scalar("SELECT name FROM tenants WHERE id = 'acme'")
            .fetch_one(&pool)
            .await
            .expect("row");
        assert_eq!(name, "Acme Corp");
    }

    #[sqlx::test(migrations = "../migrations")]
    async fn the_database_refuses_a_malformed_slug(pool: PgPool) {
        assert!(upsert(&pool, "Not A Slug!", "x").await.is_err());
    }
}

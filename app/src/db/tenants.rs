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

//! The audit trail: append-only (the database refuses UPDATE, DELETE and TRUNCATE).

use sqlx::PgExecutor;

/// One audited action.
#[derive(Debug, Clone)]
pub struct AuditEntry<'a> {
    pub tenant_id: Option<&'a str>,
    /// Username, or `anonymous` / `system`.
    pub actor: &'a str,
    /// Dotted verb, e.g. `auth.sign-in`, `auth.sign-in-failed`.
    pub action: &'a str,
    pub subject: Option<&'a str>,
    pub client_addr: Option<&'a str>,
    pub detail: serde_json::Value,
}

/// Appends `entry`; pass the transaction of the audited change.
pub async fn record(db: impl PgExecutor<'_>, entry: &AuditEntry<'_>) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO audit_log (tenant_id, actor, action, subject, client_addr, detail)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(entry.tenant_id)
    .bind(entry.actor)
    .bind(entry.action)
    .bind(entry.subject)
    .bind(entry.client_addr)
    .bind(&entry.detail)
    .fetch_one(db)
    .await
}

#[cfg(test)]
mod tests {
    use super::*;
    use sqlx::PgPool;

    #[sqlx::test(migrations = "../migrations")]
    async fn audit_rows_cannot_be_changed_or_removed(pool: PgPool) {
        let entry = AuditEntry {
            tenant_id: Some("demo"),
            actor: "tara",
            action: "auth.sign-in",
            subject: None,
            client_addr: Some("127.0.0.1"),
            detail: serde_json::json!({}),
        };
        let id = record(&pool, &entry).await.expect("append");
        for sql in
            ["UPDATE audit_log SET actor = 'mallory' WHERE id = $1", "DELETE FROM audit_log WHERE id = $1"]
        {
            let err = sqlx::query(sql).bind(id).execute(&pool).await.expect_err("refused");
            assert!(err.to_string().contains("append-only"), "{err}");
        }
        let err = sqlx::query("TRUNCATE audit_log").execute(&pool).await.expect_err("refused");
        assert!(err.to_string().contains("append-only"), "{err}");
        let actor: String = sqlx::query_scalar("SELECT actor FROM audit_log WHERE id = $1")
            .bind(id)
            .fetch_one(&pool)
            .await
            .expect("row");
        assert_eq!(actor, "tara");
    }
}

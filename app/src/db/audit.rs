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

impl<'a> AuditEntry<'a> {
    /// An action by someone not signed in (failed or throttled sign-ins), about `subject`.
    pub fn anonymous(
        action: &'a str,
        subject: &'a str,
        client_addr: Option<&'a str>,
        detail: serde_json::Value,
    ) -> AuditEntry<'a> {
        AuditEntry {
            tenant_id: None,
            actor: "anonymous",
            action,
            subject: Some(subject),
            client_addr,
            detail,
        }
    }
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

/// Failed sign-ins within the last `minutes`: for this account, and from this address.
pub async fn recent_sign_in_failures(
    db: impl PgExecutor<'_>,
    username: &str,
    client_addr: Option<&str>,
    minutes: i32,
) -> Result<(i64, i64), sqlx::Error> {
    sqlx::query_as(
        "SELECT count(*) FILTER (WHERE subject = $1),
                count(*) FILTER (WHERE $2::text IS NOT NULL AND client_addr = $2)
         FROM audit_log
         WHERE action = 'auth.sign-in-failed' AND at > now() - make_interval(mins => $3)
           AND (subject = $1 OR client_addr = $2)",
    )
    .bind(username)
    .bind(client_addr)
    .bind(minutes)
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

    #[sqlx::test(migrations = "../migrations")]
    async fn failures_are_counted_per_account_and_per_address(pool: PgPool) {
        for (user, addr) in [("tara", "10.0.0.1"), ("tara", "10.0.0.2"), ("dave", "10.0.0.1")] {
            let entry = AuditEntry {
                tenant_id: None,
                actor: "anonymous",
                action: "auth.sign-in-failed",
                subject: Some(user),
                client_addr: Some(addr),
                detail: serde_json::json!({}),
            };
            record(&pool, &entry).await.expect("append");
        }
        let counts = |u: &'static str, a: Option<&'static str>| {
            let pool = pool.clone();
            async move { recent_sign_in_failures(&pool, u, a, 15).await.expect("count") }
        };
        assert_eq!(counts("tara", Some("10.0.0.1")).await, (2, 2));
        assert_eq!(counts("sam", Some("10.0.0.2")).await, (0, 1));
        assert_eq!(counts("dave", None).await, (1, 0));
    }
}

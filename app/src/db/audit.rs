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
    /// An action by a signed-in user, in their tenant.
    pub fn by(
        user: &'a crate::auth::CurrentUser,
        action: &'a str,
        client_addr: Option<&'a str>,
        detail: serde_json::Value,
    ) -> AuditEntry<'a> {
        AuditEntry {
            tenant_id: Some(&user.tenant_id),
            actor: &user.username,
            action,
            subject: None,
            client_addr,
            detail,
        }
    }

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

/// The actions the trail holds (as far as the caller's scope sees), by name: what the
/// action filter offers.
pub async fn actions(db: &mut sqlx::PgConnection) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT DISTINCT action FROM audit_log ORDER BY action LIMIT 500").fetch_all(db).await
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

/// Filters of the audit trail view; every one optional.
#[derive(Clone, Debug, Default)]
pub struct AuditFilter {
    /// The start of a username, in any case (`ta` finds `tara`; `anonymous` the visitors).
    pub actor: Option<String>,
    /// Exact action, or a prefix ending with `.` (`auth.` = every sign-in event).
    pub action: Option<String>,
    pub from: Option<chrono::DateTime<chrono::Utc>>,
    /// Exclusive upper bound.
    pub until: Option<chrono::DateTime<chrono::Utc>>,
    /// Only this tenant's rows (platform admins); others see their own tenant anyway.
    pub tenant_id: Option<String>,
}

/// One row of the audit trail as views show it.
#[derive(Clone, Debug, PartialEq, serde::Serialize, sqlx::FromRow)]
pub struct AuditRow {
    pub id: i64,
    pub at: chrono::DateTime<chrono::Utc>,
    pub tenant_id: Option<String>,
    pub actor: String,
    pub action: String,
    pub subject: Option<String>,
    pub client_addr: Option<String>,
}

/// One page of the audit trail, newest first, and how many rows match in total. Rows of
/// other tenants are left out by the caller's transaction scope (row-level security).
pub async fn search(
    db: &mut sqlx::PgConnection,
    filter: &AuditFilter,
    limit: i64,
    offset: i64,
) -> Result<(Vec<AuditRow>, i64), sqlx::Error> {
    const WHERE: &str = "WHERE ($1::text IS NULL OR starts_with(lower(actor), lower($1)))
          AND ($2::text IS NULL OR action = $2 OR (right($2, 1) = '.' AND starts_with(action, $2)))
          AND ($3::timestamptz IS NULL OR at >= $3)
          AND ($4::timestamptz IS NULL OR at < $4)
          AND ($5::text IS NULL OR tenant_id = $5)";
    let total: i64 = sqlx::query_scalar(&format!("SELECT count(*) FROM audit_log {WHERE}"))
        .bind(&filter.actor)
        .bind(&filter.action)
        .bind(filter.from)
        .bind(filter.until)
        .bind(&filter.tenant_id)
        .fetch_one(&mut *db)
        .await?;
    let rows = sqlx::query_as(&format!(
        "SELECT id, at, tenant_id, actor, action, subject, client_addr FROM audit_log {WHERE}
         ORDER BY at DESC, id DESC LIMIT $6 OFFSET $7"
    ))
    .bind(&filter.actor)
    .bind(&filter.action)
    .bind(filter.from)
    .bind(filter.until)
    .bind(&filter.tenant_id)
    .bind(limit)
    .bind(offset)
    .fetch_all(&mut *db)
    .await?;
    Ok((rows, total))
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
    async fn the_trail_filters_pages_and_keeps_to_the_callers_tenant(owner: PgPool) {
        for (tenant, actor, action) in [
            ("demo", "tara", "auth.sign-in"),
            ("demo", "tara", "auth.sign-out"),
            ("demo", "dave", "auth.sign-in"),
            ("globex", "gina", "auth.sign-in"),
        ] {
            let entry = AuditEntry {
                tenant_id: Some(tenant),
                actor,
                action,
                subject: None,
                client_addr: None,
                detail: serde_json::json!({}),
            };
            record(&owner, &entry).await.expect("append");
        }
        let app = crate::db::as_app_role(&owner);
        let page = |scope: crate::db::scope::Scope<'static>, filter: AuditFilter, limit: i64, offset: i64| {
            let app = app.clone();
            async move {
                let mut tx = crate::db::scope::begin(&app, scope).await.expect("begin");
                let (rows, total) = search(&mut tx, &filter, limit, offset).await.expect("search");
                (rows.into_iter().map(|r| format!("{}:{}", r.actor, r.action)).collect::<Vec<_>>(), total)
            }
        };
        use crate::db::scope::Scope::{Platform, Tenant};
        let (rows, total) = page(Tenant("demo"), AuditFilter::default(), 2, 0).await;
        assert_eq!((rows, total), (vec!["dave:auth.sign-in".to_owned(), "tara:auth.sign-out".to_owned()], 3));
        let (rows, _) = page(Tenant("demo"), AuditFilter::default(), 2, 2).await;
        assert_eq!(rows, ["tara:auth.sign-in"]);
        let tara =
            AuditFilter { actor: Some("tara".into()), action: Some("auth.".into()), ..Default::default() };
        assert_eq!(page(Tenant("demo"), tara, 10, 0).await.1, 2);
        let exact = AuditFilter { action: Some("auth.sign-in".into()), ..Default::default() };
        assert_eq!(page(Tenant("demo"), exact.clone(), 10, 0).await.1, 2);
        assert_eq!(page(Platform, exact, 10, 0).await.1, 3, "platform admins see every tenant");
        let gina = AuditFilter { actor: Some("gina".into()), ..Default::default() };
        assert_eq!(page(Tenant("demo"), gina, 10, 0).await.1, 0, "another tenant's rows stay hidden");
        let future =
            AuditFilter { from: Some(chrono::Utc::now() + chrono::Duration::hours(1)), ..Default::default() };
        assert_eq!(page(Platform, future, 10, 0).await.1, 0);
    }
}

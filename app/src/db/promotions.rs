//! Production promotion requests (ITSM): numbering `PR-YYYY-NNNN`, the request rows, and
//! their append-only history. Every history entry also queues its GitOps commit
//! (`gitops_outbox`), in the same transaction, so no record is lost when git is slow or
//! down.

use chrono::{DateTime, Utc};
use sqlx::PgConnection;
use uuid::Uuid;

/// A request as its requester describes it.
pub struct NewRequest<'a> {
    pub tenant_id: &'a str,
    pub requester_id: Uuid,
    pub target_type: &'a str,
    pub target_name: &'a str,
    pub target_version: &'a str,
    pub item_id: Option<Uuid>,
    pub justification: &'a str,
    pub release_notes: &'a str,
    pub impact: &'a str,
    pub rollback_plan: &'a str,
    pub scheduled_at: Option<DateTime<Utc>>,
    pub staging_tests_passed: bool,
    pub security_scan_passed: bool,
    pub performance_tests_passed: bool,
    pub evidence_url: Option<&'a str>,
}

/// The next id of `year`: `PR-2026-0001`, `PR-2026-0002`… (platform-wide; the counter row
/// is locked until the transaction ends, so ids are never shared).
pub async fn next_id(db: &mut PgConnection, year: i32) -> Result<String, sqlx::Error> {
    let n: i32 = sqlx::query_scalar(
        "INSERT INTO promotion_counters (year, last) VALUES ($1, 1)
         ON CONFLICT (year) DO UPDATE SET last = promotion_counters.last + 1 RETURNING last",
    )
    .bind(year)
    .fetch_one(db)
    .await?;
    Ok(format!("PR-{year}-{n:04}"))
}

/// Stores a new (pending) request.
pub async fn insert(db: &mut PgConnection, id: &str, r: &NewRequest<'_>) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO promotion_requests (id, tenant_id, requester_id, target_type, target_name, target_version, item_id,
                justification, release_notes, impact, rollback_plan, scheduled_at, staging_tests_passed,
                security_scan_passed, performance_tests_passed, evidence_url)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)",
    )
    .bind(id)
    .bind(r.tenant_id)
    .bind(r.requester_id)
    .bind(r.target_type)
    .bind(r.target_name)
    .bind(r.target_version)
    .bind(r.item_id)
    .bind(r.justification)
    .bind(r.release_notes)
    .bind(r.impact)
    .bind(r.rollback_plan)
    .bind(r.scheduled_at)
    .bind(r.staging_tests_passed)
    .bind(r.security_scan_passed)
    .bind(r.performance_tests_passed)
    .bind(r.evidence_url)
    .execute(db)
    .await?;
    Ok(())
}

/// One entry of a request's history.
pub struct HistoryEntry<'a> {
    pub request_id: &'a str,
    pub tenant_id: &'a str,
    pub actor_id: Option<Uuid>,
    /// Username, or `system` / `awx`.
    pub actor: &'a str,
    /// `create`, a transition (`approve`, `reject`, …) or `comment`.
    pub action: &'a str,
    pub from_state: Option<&'a str>,
    pub to_state: Option<&'a str>,
    pub comment: Option<&'a str>,
    pub job_id: Option<i64>,
    pub error: Option<&'a str>,
}

/// Appends a history entry and queues its GitOps commit; returns the entry's id.
pub async fn append_history(db: &mut PgConnection, e: &HistoryEntry<'_>) -> Result<i64, sqlx::Error> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO promotion_history (request_id, tenant_id, actor_id, actor, action, from_state, to_state, comment,
                                        job_id, error)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
    )
    .bind(e.request_id)
    .bind(e.tenant_id)
    .bind(e.actor_id)
    .bind(e.actor)
    .bind(e.action)
    .bind(e.from_state)
    .bind(e.to_state)
    .bind(e.comment)
    .bind(e.job_id)
    .bind(e.error)
    .fetch_one(&mut *db)
    .await?;
    sqlx::query("INSERT INTO gitops_outbox (history_id, request_id) VALUES ($1, $2)")
        .bind(id)
        .bind(e.request_id)
        .execute(db)
        .await?;
    Ok(id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::users::{create_local, NewLocalUser};
    use crate::domain::role::Role;
    use sqlx::PgPool;

    async fn user(pool: &PgPool, name: &str) -> Uuid {
        let new = NewLocalUser {
            tenant_id: "demo",
            username: name,
            display_name: name,
            email: None,
            roles: &[Role::TenantAdmin],
            password_hash: "$argon2id$dummy",
        };
        create_local(pool, &new).await.expect("user");
        sqlx::query_scalar("SELECT id FROM users WHERE username = $1")
            .bind(name)
            .fetch_one(pool)
            .await
            .expect("id")
    }

    #[sqlx::test(migrations = "../migrations")]
    async fn ids_count_per_year_and_the_database_refuses_a_self_approval(pool: PgPool) {
        crate::db::tenants::upsert(&pool, "demo", "Demo").await.expect("tenant");
        let (rita, tom) = (user(&pool, "rita").await, user(&pool, "tom").await);
        let mut tx = pool.begin().await.expect("tx");
        assert_eq!(next_id(&mut tx, 2026).await.expect("id"), "PR-2026-0001");
        assert_eq!(next_id(&mut tx, 2026).await.expect("id"), "PR-2026-0002");
        assert_eq!(next_id(&mut tx, 2027).await.expect("id"), "PR-2027-0001");
        let new = NewRequest {
            tenant_id: "demo",
            requester_id: rita,
            target_type: "api",
            target_name: "weather-forecast",
            target_version: "1.1.0",
            item_id: None,
            justification: "Customers need the alerts endpoint in production.",
            release_notes: "",
            impact: "low",
            rollback_plan: "",
            scheduled_at: None,
            staging_tests_passed: true,
            security_scan_passed: true,
            performance_tests_passed: false,
            evidence_url: None,
        };
        insert(&mut tx, "PR-2026-0001", &new).await.expect("stored");
        tx.commit().await.expect("commit");
        // A direct update that lets the requester decide is refused by the database…
        let own = sqlx::query(
            "UPDATE promotion_requests SET state = 'approved', decided_by = requester_id, decided_at = now()",
        )
        .execute(&pool)
        .await;
        let code =
            own.expect_err("refused").into_database_error().and_then(|e| e.constraint().map(str::to_owned));
        assert_eq!(code.as_deref(), Some("four_eyes"));
        // …and so is one that approves without naming who decided.
        let nobody = sqlx::query("UPDATE promotion_requests SET state = 'approved'").execute(&pool).await;
        let code = nobody
            .expect_err("refused")
            .into_database_error()
            .and_then(|e| e.constraint().map(str::to_owned));
        assert_eq!(code.as_deref(), Some("decided"));
        // Someone else may.
        sqlx::query("UPDATE promotion_requests SET state = 'approved', decided_by = $1, decided_at = now()")
            .bind(tom)
            .execute(&pool)
            .await
            .expect("four eyes");
        // History is append-only.
        let mut tx = pool.begin().await.expect("tx");
        let entry = HistoryEntry {
            request_id: "PR-2026-0001",
            tenant_id: "demo",
            actor_id: Some(tom),
            actor: "tom",
            action: "approve",
            from_state: Some("pending"),
            to_state: Some("approved"),
            comment: None,
            job_id: None,
            error: None,
        };
        append_history(&mut tx, &entry).await.expect("history");
        tx.commit().await.expect("commit");
        assert!(sqlx::query("UPDATE promotion_history SET actor = 'mallory'").execute(&pool).await.is_err());
        assert!(sqlx::query("DELETE FROM promotion_history").execute(&pool).await.is_err());
        let queued: i64 =
            sqlx::query_scalar("SELECT count(*) FROM gitops_outbox").fetch_one(&pool).await.expect("n");
        assert_eq!(queued, 1, "its GitOps commit is queued with it");
    }
}

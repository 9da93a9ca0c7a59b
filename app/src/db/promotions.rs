//! Production promotion requests (ITSM): numbering `PR-YYYY-NNNN`, the request rows, and
//! their append-only history. Every history entry also queues its GitOps commit
//! (`gitops_outbox`), in the same transaction, so no record is lost when git is slow or
//! down.

use crate::db::decode;
use crate::db::rfc3339;
use crate::domain::promotion::{Impact, State, TargetType};
use crate::model::promotions::{HistoryInfo, RequestFilter, RequestInfo, RequestStats};
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

/// The API version a request promotes: one of the tenant's, deployed in staging; its
/// entry's id, and whether it already runs in prod.
pub async fn staging_target(
    db: &mut PgConnection,
    tenant: &str,
    name: &str,
    version: &str,
) -> Result<Option<(Uuid, bool)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT i.id, EXISTS (SELECT 1 FROM deployments p WHERE p.version_id = v.id AND p.environment = 'prod'
                              AND p.state = 'deployed')
         FROM catalog_items i JOIN api_versions v ON v.item_id = i.id
         JOIN deployments d ON d.version_id = v.id AND d.environment = 'staging' AND d.state = 'deployed'
         WHERE i.tenant_id = $1 AND i.kind = 'api' AND i.slug = $2 AND v.version = $3",
    )
    .bind(tenant)
    .bind(name)
    .bind(version)
    .fetch_optional(db)
    .await
}

/// What a transition needs of a request, locked until the transaction ends.
#[derive(sqlx::FromRow)]
pub struct Locked {
    pub tenant_id: String,
    pub requester_id: Uuid,
    pub state: String,
    pub target_name: String,
    pub target_version: String,
}

/// Locks a request (of `tenant` only, when given) until the transaction ends.
pub async fn lock(
    db: &mut PgConnection,
    id: &str,
    tenant: Option<&str>,
) -> Result<Option<Locked>, sqlx::Error> {
    sqlx::query_as(
        "SELECT tenant_id, requester_id, state, target_name, target_version FROM promotion_requests
         WHERE id = $1 AND ($2::text IS NULL OR tenant_id = $2) FOR UPDATE",
    )
    .bind(id)
    .bind(tenant)
    .fetch_optional(db)
    .await
}

/// A person's transition: the new state, who decided (approvers) and why.
pub async fn set_decided(
    db: &mut PgConnection,
    id: &str,
    to: State,
    decided_by: Option<Uuid>,
    reason: Option<&str>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE promotion_requests SET state = $2, decided_by = coalesce($3, decided_by),
                decided_at = CASE WHEN $3 IS NULL THEN decided_at ELSE now() END,
                reason = coalesce($4, reason), updated_at = now()
         WHERE id = $1",
    )
    .bind(id)
    .bind(to.as_str())
    .bind(decided_by)
    .bind(reason)
    .execute(db)
    .await?;
    Ok(())
}

/// A deployment's transition: the new state, the job and the error when there is one.
pub async fn set_deployment_state(
    db: &mut PgConnection,
    id: &str,
    to: State,
    job_id: Option<i64>,
    error: Option<&str>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE promotion_requests SET state = $2, job_id = coalesce($3, job_id), error = coalesce($4, error),
                updated_at = now()
         WHERE id = $1",
    )
    .bind(id)
    .bind(to.as_str())
    .bind(job_id)
    .bind(error)
    .execute(db)
    .await?;
    Ok(())
}

/// The API version a request deploys: its id, tenant and the document's servers.
pub async fn deploy_target(
    db: &mut PgConnection,
    id: &str,
) -> Result<Option<(Uuid, String, Vec<String>)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT v.id, r.tenant_id, v.servers FROM promotion_requests r
         JOIN api_versions v ON v.item_id = r.item_id AND v.version = r.target_version WHERE r.id = $1",
    )
    .bind(id)
    .fetch_optional(db)
    .await
}

/// An approved request due for deployment.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Due {
    pub id: String,
    pub tenant_id: String,
    pub target_name: String,
    pub target_version: String,
}

/// Approved requests whose time has come and whose next launch attempt is due.
pub async fn due(db: &mut PgConnection) -> Result<Vec<Due>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, tenant_id, target_name, target_version FROM promotion_requests
         WHERE state = 'approved' AND (scheduled_at IS NULL OR scheduled_at <= now())
           AND (next_launch_at IS NULL OR next_launch_at <= now())
         ORDER BY decided_at, id LIMIT 20",
    )
    .fetch_all(db)
    .await
}

/// Counts a failed launch of an approved request and sets when the next one may be
/// tried (5 s × 2^attempts, at most 5 minutes); the attempts so far and the tenant.
pub async fn note_launch_failure(
    db: &mut PgConnection,
    id: &str,
    error: &str,
) -> Result<Option<(i32, String)>, sqlx::Error> {
    sqlx::query_as(
        "UPDATE promotion_requests SET launch_attempts = launch_attempts + 1, error = $2, updated_at = now(),
                next_launch_at = now() + make_interval(secs => least(300, 5 * power(2, launch_attempts)))
         WHERE id = $1 AND state = 'approved' RETURNING launch_attempts, tenant_id",
    )
    .bind(id)
    .bind(error)
    .fetch_optional(db)
    .await
}

/// Requests deploying for longer than `quiet` seconds, with their AWX job.
pub async fn deploying_jobs(db: &mut PgConnection, quiet: i64) -> Result<Vec<(String, i64)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, job_id FROM promotion_requests
         WHERE state = 'deploying' AND job_id IS NOT NULL AND updated_at <= now() - make_interval(secs => $1)
         ORDER BY updated_at LIMIT 50",
    )
    .bind(quiet as f64)
    .fetch_all(db)
    .await
}

/// The request an AWX job deploys.
pub async fn request_of_job(db: &mut PgConnection, job: i64) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT id FROM promotion_requests WHERE job_id = $1")
        .bind(job)
        .fetch_optional(db)
        .await
}

/// A tenant's API versions deployed in staging and not yet in prod: (name, version), by name.
pub async fn staging_targets(
    db: &mut PgConnection,
    tenant: &str,
) -> Result<Vec<(String, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT i.slug, v.version FROM catalog_items i JOIN api_versions v ON v.item_id = i.id
         JOIN deployments d ON d.version_id = v.id AND d.environment = 'staging' AND d.state = 'deployed'
         WHERE i.tenant_id = $1 AND i.kind = 'api'
           AND NOT EXISTS (SELECT 1 FROM deployments p WHERE p.version_id = v.id AND p.environment = 'prod'
                           AND p.state = 'deployed')
         ORDER BY i.slug, v.version",
    )
    .bind(tenant)
    .fetch_all(db)
    .await
}

/// The tenant of a request (of `tenant` only, when given).
pub async fn tenant_of(
    db: &mut PgConnection,
    id: &str,
    tenant: Option<&str>,
) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT tenant_id FROM promotion_requests WHERE id = $1 AND ($2::text IS NULL OR tenant_id = $2)",
    )
    .bind(id)
    .bind(tenant)
    .fetch_optional(db)
    .await
}

/// The list's counters (of `tenant` only, when given).
pub async fn stats(db: &mut PgConnection, tenant: Option<&str>) -> Result<RequestStats, sqlx::Error> {
    let (pending, approved_today, rejected_today, deployed_this_week): (i64, i64, i64, i64) = sqlx::query_as(
        "SELECT count(*) FILTER (WHERE state = 'pending'),
                count(*) FILTER (WHERE state IN ('approved', 'deploying', 'deployed', 'failed')
                                   AND decided_at >= date_trunc('day', now())),
                count(*) FILTER (WHERE state = 'rejected' AND decided_at >= date_trunc('day', now())),
                count(*) FILTER (WHERE state = 'deployed' AND updated_at >= date_trunc('week', now()))
         FROM promotion_requests WHERE ($1::text IS NULL OR tenant_id = $1)",
    )
    .bind(tenant)
    .fetch_one(db)
    .await?;
    Ok(RequestStats { pending, approved_today, rejected_today, deployed_this_week })
}

/// `text` for `ILIKE`, its wildcards taken literally.
fn like(text: &str) -> String {
    let escaped = text.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
    format!("%{escaped}%")
}

/// Requests (of `tenant` only, when given; one when `id` names it), filtered as the list
/// asks; `viewer` is who "mine" means.
pub async fn list(
    db: &mut PgConnection,
    tenant: Option<&str>,
    viewer: Uuid,
    filter: &RequestFilter,
    id: Option<&str>,
    limit: i64,
    offset: i64,
) -> Result<Vec<RequestInfo>, sqlx::Error> {
    #[derive(sqlx::FromRow)]
    struct Row {
        id: String,
        tenant_id: String,
        requester_id: Uuid,
        requester: String,
        target_type: String,
        target_name: String,
        target_title: String,
        target_version: String,
        source_env: String,
        target_env: String,
        justification: String,
        release_notes: String,
        impact: String,
        rollback_plan: String,
        scheduled_at: Option<DateTime<Utc>>,
        staging_tests_passed: bool,
        security_scan_passed: bool,
        performance_tests_passed: bool,
        evidence_url: Option<String>,
        state: String,
        decided_by: Option<String>,
        decided_at: Option<DateTime<Utc>>,
        reason: Option<String>,
        job_id: Option<i64>,
        error: Option<String>,
        created_at: DateTime<Utc>,
        updated_at: DateTime<Utc>,
    }
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT r.id, r.tenant_id, r.requester_id, u.display_name AS requester, r.target_type, r.target_name,
                coalesce(i.name, r.target_name) AS target_title, r.target_version, r.source_env, r.target_env, r.justification, r.release_notes, r.impact,
                r.rollback_plan, r.scheduled_at, r.staging_tests_passed, r.security_scan_passed,
                r.performance_tests_passed, r.evidence_url, r.state, d.display_name AS decided_by, r.decided_at,
                r.reason, r.job_id, r.error, r.created_at, r.updated_at
         FROM promotion_requests r JOIN users u ON u.id = r.requester_id LEFT JOIN users d ON d.id = r.decided_by
         LEFT JOIN catalog_items i ON i.id = r.item_id
         WHERE ($1::text IS NULL OR r.id = $1) AND ($2::text IS NULL OR r.tenant_id = $2)
           AND ($5::text IS NULL OR r.state = $5)
           AND ($6::text IS NULL OR r.id ILIKE $6 OR r.target_name ILIKE $6)
           AND ($7::uuid IS NULL OR r.requester_id = $7)
           AND ($8::text IS NULL OR r.tenant_id = $8)
           AND ($10::text IS NULL OR u.username = $10)
           AND ($11::text IS NULL OR r.source_env = $11 OR r.target_env = $11)
         ORDER BY CASE WHEN $9 THEN r.created_at END ASC, r.created_at DESC, r.id DESC LIMIT $3 OFFSET $4",
    )
    .bind(id)
    .bind(tenant)
    .bind(limit)
    .bind(offset)
    .bind(filter.state.as_deref().filter(|s| State::parse(s).is_some()))
    .bind(filter.q.as_deref().map(str::trim).filter(|q| !q.is_empty()).map(like))
    .bind(filter.mine.then_some(viewer))
    .bind(filter.tenant.as_deref().filter(|t| !t.is_empty()))
    .bind(filter.sort.as_deref() == Some("oldest"))
    .bind(filter.requester.as_deref().map(str::trim).filter(|r| !r.is_empty()))
    .bind(filter.environment.as_deref().filter(|e| matches!(*e, "staging" | "prod")))
    .fetch_all(db)
    .await?;
    rows.into_iter()
        .map(|r| {
            Ok(RequestInfo {
                id: r.id,
                tenant_id: r.tenant_id,
                requester_id: r.requester_id,
                requester: r.requester,
                target_type: decode(&r.target_type, TargetType::parse)?,
                target_name: r.target_name,
                target_title: r.target_title,
                target_version: r.target_version,
                source_env: r.source_env,
                target_env: r.target_env,
                justification: r.justification,
                release_notes: r.release_notes,
                impact: decode(&r.impact, Impact::parse)?,
                rollback_plan: r.rollback_plan,
                scheduled_at: r.scheduled_at.map(rfc3339),
                staging_tests_passed: r.staging_tests_passed,
                security_scan_passed: r.security_scan_passed,
                performance_tests_passed: r.performance_tests_passed,
                evidence_url: r.evidence_url,
                state: decode(&r.state, State::parse)?,
                decided_by: r.decided_by,
                decided_at: r.decided_at.map(rfc3339),
                reason: r.reason,
                job_id: r.job_id,
                error: r.error,
                created_at: rfc3339(r.created_at),
                updated_at: rfc3339(r.updated_at),
            })
        })
        .collect()
}

/// A request's history (of `tenant` only, when given), oldest first.
pub async fn history(
    db: &mut PgConnection,
    id: &str,
    tenant: Option<&str>,
) -> Result<Vec<HistoryInfo>, sqlx::Error> {
    #[derive(sqlx::FromRow)]
    struct Row {
        at: DateTime<Utc>,
        actor: String,
        action: String,
        from_state: Option<String>,
        to_state: Option<String>,
        comment: Option<String>,
        job_id: Option<i64>,
        error: Option<String>,
    }
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT at, actor, action, from_state, to_state, comment, job_id, error FROM promotion_history
         WHERE request_id = $1 AND ($2::text IS NULL OR tenant_id = $2) ORDER BY id",
    )
    .bind(id)
    .bind(tenant)
    .fetch_all(db)
    .await?;
    rows.into_iter()
        .map(|r| {
            Ok(HistoryInfo {
                at: rfc3339(r.at),
                actor: r.actor,
                action: r.action,
                from_state: r.from_state.as_deref().map(|s| decode(s, State::parse)).transpose()?,
                to_state: r.to_state.as_deref().map(|s| decode(s, State::parse)).transpose()?,
                comment: r.comment,
                job_id: r.job_id,
                error: r.error,
            })
        })
        .collect()
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

//! Production promotion requests (ITSM, DESIGN §3): devops and tenant-admins ask to
//! promote an API version from staging to production; tenant-admins of the tenant (or
//! cpi-admins) decide — never the requester (four eyes: refused here and by the database);
//! the requester may cancel while pending. Every transition is a history entry, an event
//! on `stoa.promotion.requests` and an audit entry, in one transaction.

use crate::auth::CurrentUser;
use crate::db::promotions::{self as db, HistoryEntry, NewRequest};
use crate::db::scope::{self, Scope};
use crate::db::{audit, outbox, rfc3339};
use crate::domain::event::{types, CloudEvent, Topic};
use crate::domain::permission::Permission;
use crate::domain::promotion::{transition, Action, Actor, Refused, State};
use crate::error::AppError;
use crate::model::promotions::*;
use chrono::Datelike;
use chrono::{DateTime, Utc};
use serde_json::json;
use uuid::Uuid;

/// Writes a request's event and audit entry.
async fn record(
    tx: &mut sqlx::PgConnection,
    user: &CurrentUser,
    event_type: &str,
    audit_action: &str,
    id: &str,
    tenant: &str,
    data: serde_json::Value,
) -> Result<(), AppError> {
    let mut data = data;
    data["request"] = json!(id);
    let e = CloudEvent::new(event_type, tenant, Some(format!("requests/prod/{id}")), data.clone());
    outbox::enqueue(&mut *tx, Topic::PromotionRequests, &e).await?;
    let entry =
        audit::AuditEntry { subject: Some(id), ..audit::AuditEntry::by(user, audit_action, None, data) };
    audit::record(&mut *tx, &entry).await?;
    Ok(())
}

/// The API version a request promotes: one of the tenant's, deployed in staging.
async fn staging_target(
    tx: &mut sqlx::PgConnection,
    tenant: &str,
    name: &str,
    version: &str,
) -> Result<Option<Uuid>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT i.id FROM catalog_items i JOIN api_versions v ON v.item_id = i.id
         JOIN deployments d ON d.version_id = v.id AND d.environment = 'staging' AND d.state = 'deployed'
         WHERE i.tenant_id = $1 AND i.kind = 'api' AND i.slug = $2 AND v.version = $3",
    )
    .bind(tenant)
    .bind(name)
    .bind(version)
    .fetch_optional(tx)
    .await
}

/// Creates a pending request in the user's tenant; returns its id.
pub async fn create(pool: &sqlx::PgPool, user: &CurrentUser, form: &RequestForm) -> Result<String, AppError> {
    let now = Utc::now();
    let scheduled_at = check_form(form, now).map_err(AppError::Validation)?;
    let mut tx = scope::begin(pool, Scope::Tenant(&user.tenant_id)).await?;
    let (name, version) = (form.target_name.trim(), form.target_version.trim());
    let item_id = match form.target_type.as_str() {
        "api" => Some(
            staging_target(&mut tx, &user.tenant_id, name, version)
                .await?
                .ok_or_else(|| AppError::field("target_version", "not-in-staging"))?,
        ),
        _ => None,
    };
    let id = db::next_id(&mut tx, now.year()).await?;
    let evidence = Some(form.evidence_url.trim()).filter(|e| !e.is_empty());
    let new = NewRequest {
        tenant_id: &user.tenant_id,
        requester_id: user.id,
        target_type: &form.target_type,
        target_name: name,
        target_version: version,
        item_id,
        justification: form.justification.trim(),
        release_notes: form.release_notes.trim(),
        impact: &form.impact,
        rollback_plan: form.rollback_plan.trim(),
        scheduled_at,
        staging_tests_passed: form.staging_tests_passed,
        security_scan_passed: form.security_scan_passed,
        performance_tests_passed: form.performance_tests_passed,
        evidence_url: evidence,
    };
    db::insert(&mut tx, &id, &new).await?;
    let entry = HistoryEntry {
        request_id: &id,
        tenant_id: &user.tenant_id,
        actor_id: Some(user.id),
        actor: &user.username,
        action: "create",
        from_state: None,
        to_state: Some(State::Pending.as_str()),
        comment: None,
        job_id: None,
        error: None,
    };
    db::append_history(&mut tx, &entry).await?;
    let data = json!({
        "target": { "type": form.target_type, "name": name, "version": version },
        "source_env": "staging", "target_env": "prod", "impact": form.impact, "requester": user.username,
        "scheduled_at": scheduled_at.map(rfc3339), "state": "pending",
    });
    record(&mut tx, user, types::REQUEST_CREATED, "requests.created", &id, &user.tenant_id, data).await?;
    tx.commit().await?;
    Ok(id)
}

/// What a transition needs of a request, locked until the transaction ends.
#[derive(sqlx::FromRow)]
struct Locked {
    tenant_id: String,
    requester_id: Uuid,
    state: String,
    target_name: String,
    target_version: String,
}

/// Locks a request (of `tenant` only, when given) for a transition; with its state.
async fn lock(
    tx: &mut sqlx::PgConnection,
    id: &str,
    tenant: Option<&str>,
) -> Result<(Locked, State), AppError> {
    let locked: Option<Locked> = sqlx::query_as(
        "SELECT tenant_id, requester_id, state, target_name, target_version FROM promotion_requests
         WHERE id = $1 AND ($2::text IS NULL OR tenant_id = $2) FOR UPDATE",
    )
    .bind(id)
    .bind(tenant)
    .fetch_optional(tx)
    .await?;
    let l = locked.ok_or(AppError::NotFound)?;
    let from = State::parse(&l.state).ok_or(AppError::Internal)?;
    Ok((l, from))
}

/// An approver's decision (approve, or reject with a reason), or the requester's
/// cancel. Of two people deciding at once, the second finds the request decided:
/// a conflict (REST shows who decided and how).
pub async fn transition_request(
    pool: &sqlx::PgPool,
    user: &CurrentUser,
    id: &str,
    action: Action,
    reason: Option<&str>,
) -> Result<State, AppError> {
    let every_tenant = user.may(Permission::ActAcrossTenants);
    let mut tx = scope::begin(pool, Scope::of(user)).await?;
    let tenant = (!every_tenant).then_some(user.tenant_id.as_str());
    let (l, from) = lock(&mut tx, id, tenant).await?;
    let own = l.requester_id == user.id;
    let actor = if action == Action::Cancel { Actor::Requester } else { Actor::Approver };
    if actor == Actor::Approver && !user.may(Permission::DecidePromotions) {
        return Err(AppError::Forbidden);
    }
    let reason = reason.map(str::trim).filter(|r| !r.is_empty());
    let to = match transition(from, action, actor, own, reason) {
        Ok(to) => to,
        Err(Refused::OwnRequest) | Err(Refused::WrongActor) => return Err(AppError::Forbidden),
        Err(Refused::ReasonTooShort) => return Err(AppError::field("reason", "reason-too-short")),
        Err(Refused::WrongState) => return Err(AppError::Conflict { code: "already-decided".into() }),
    };
    let decided_by = (actor == Actor::Approver).then_some(user.id);
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
    .execute(&mut *tx)
    .await?;
    let entry = HistoryEntry {
        request_id: id,
        tenant_id: &l.tenant_id,
        actor_id: Some(user.id),
        actor: &user.username,
        action: action.as_str(),
        from_state: Some(from.as_str()),
        to_state: Some(to.as_str()),
        comment: reason,
        job_id: None,
        error: None,
    };
    db::append_history(&mut tx, &entry).await?;
    let data = json!({
        "target": { "name": l.target_name, "version": l.target_version },
        "from": from.as_str(), "state": to.as_str(), "by": user.username, "by_id": user.id, "reason": reason,
    });
    let audit_action = format!("requests.{}", action.as_str());
    record(&mut tx, user, action.event_type(), &audit_action, id, &l.tenant_id, data).await?;
    tx.commit().await?;
    Ok(to)
}

/// A transition of the deployment (start, succeed, fail), recorded as `actor` (the
/// built-in deployer, or AWX). One that no longer applies — a duplicate or late report
/// — changes nothing and answers `None`.
pub async fn system_transition(
    pool: &sqlx::PgPool,
    id: &str,
    action: Action,
    actor: &str,
    job_id: Option<i64>,
    error: Option<&str>,
) -> Result<Option<State>, AppError> {
    let mut tx = scope::begin(pool, Scope::Platform).await?;
    let (l, from) = lock(&mut tx, id, None).await?;
    let Ok(to) = transition(from, action, Actor::System, false, None) else {
        tx.commit().await?;
        return Ok(None);
    };
    sqlx::query(
        "UPDATE promotion_requests SET state = $2, job_id = coalesce($3, job_id), error = coalesce($4, error),
                updated_at = now()
         WHERE id = $1",
    )
    .bind(id)
    .bind(to.as_str())
    .bind(job_id)
    .bind(error)
    .execute(&mut *tx)
    .await?;
    let entry = HistoryEntry {
        request_id: id,
        tenant_id: &l.tenant_id,
        actor_id: None,
        actor,
        action: action.as_str(),
        from_state: Some(from.as_str()),
        to_state: Some(to.as_str()),
        comment: None,
        job_id,
        error,
    };
    db::append_history(&mut tx, &entry).await?;
    let data = json!({
        "request": id, "target": { "name": l.target_name, "version": l.target_version },
        "from": from.as_str(), "state": to.as_str(), "by": actor, "job_id": job_id, "error": error,
    });
    let e =
        CloudEvent::new(action.event_type(), &l.tenant_id, Some(format!("requests/prod/{id}")), data.clone());
    outbox::enqueue(&mut tx, Topic::PromotionRequests, &e).await?;
    let audit_action = format!("requests.{}", action.as_str());
    let entry = audit::AuditEntry {
        tenant_id: Some(&l.tenant_id),
        actor,
        action: &audit_action,
        subject: Some(id),
        client_addr: None,
        detail: data,
    };
    audit::record(&mut *tx, &entry).await?;
    tx.commit().await?;
    Ok(Some(to))
}

/// The built-in deployer's work: the request's API version runs in prod, at the
/// document's production server.
pub async fn deploy_in_catalog(pool: &sqlx::PgPool, id: &str) -> Result<(), AppError> {
    let mut tx = scope::begin(pool, Scope::Platform).await?;
    let target: Option<(Uuid, String, Vec<String>)> = sqlx::query_as(
        "SELECT v.id, r.tenant_id, v.servers FROM promotion_requests r
         JOIN api_versions v ON v.item_id = r.item_id AND v.version = r.target_version WHERE r.id = $1",
    )
    .bind(id)
    .fetch_optional(&mut *tx)
    .await?;
    let Some((version, tenant, servers)) = target else {
        return Err(AppError::Conflict { code: "no-api-version".into() });
    };
    let url = crate::domain::openapi::server_for(&servers, "prod");
    crate::db::catalog::deploy(&mut tx, version, &tenant, "prod", url).await?;
    tx.commit().await?;
    Ok(())
}

/// An approved request due for deployment.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Due {
    pub id: String,
    pub tenant_id: String,
    pub target_name: String,
    pub target_version: String,
}

/// Approved requests whose time has come (none scheduled, or scheduled before now) and
/// whose next launch attempt is due.
pub async fn due_for_deployment(pool: &sqlx::PgPool) -> Result<Vec<Due>, AppError> {
    let mut tx = scope::begin(pool, Scope::Platform).await?;
    let due = sqlx::query_as(
        "SELECT id, tenant_id, target_name, target_version FROM promotion_requests
         WHERE state = 'approved' AND (scheduled_at IS NULL OR scheduled_at <= now())
           AND (next_launch_at IS NULL OR next_launch_at <= now())
         ORDER BY decided_at, id LIMIT 20",
    )
    .fetch_all(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(due)
}

/// Notes a launch that did not happen (AWX unreachable or refusing): the error is in
/// the timeline, the next attempt waits 5 s × 2^attempts (at most 5 minutes). Returns
/// the attempts made so far.
pub async fn launch_failed(pool: &sqlx::PgPool, id: &str, error: &str) -> Result<i32, AppError> {
    let mut tx = scope::begin(pool, Scope::Platform).await?;
    let row: Option<(i32, String)> = sqlx::query_as(
        "UPDATE promotion_requests SET launch_attempts = launch_attempts + 1, error = $2, updated_at = now(),
                next_launch_at = now() + make_interval(secs => least(300, 5 * power(2, launch_attempts)))
         WHERE id = $1 AND state = 'approved' RETURNING launch_attempts, tenant_id",
    )
    .bind(id)
    .bind(error)
    .fetch_optional(&mut *tx)
    .await?;
    let Some((attempts, tenant)) = row else {
        tx.commit().await?;
        return Ok(0);
    };
    let entry = HistoryEntry {
        request_id: id,
        tenant_id: &tenant,
        actor_id: None,
        actor: "deployer",
        action: "launch-retry",
        from_state: Some("approved"),
        to_state: Some("approved"),
        comment: None,
        job_id: None,
        error: Some(error),
    };
    db::append_history(&mut tx, &entry).await?;
    tx.commit().await?;
    Ok(attempts)
}

/// Requests deploying for longer than `quiet` seconds with their AWX job: the
/// reconciler asks AWX about them (AWX does not retry a webhook it failed to deliver).
pub async fn deploying_jobs(pool: &sqlx::PgPool, quiet: i64) -> Result<Vec<(String, i64)>, AppError> {
    let mut tx = scope::begin(pool, Scope::Platform).await?;
    let jobs = sqlx::query_as(
        "SELECT id, job_id FROM promotion_requests
         WHERE state = 'deploying' AND job_id IS NOT NULL AND updated_at <= now() - make_interval(secs => $1)
         ORDER BY updated_at LIMIT 50",
    )
    .bind(quiet as f64)
    .fetch_all(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(jobs)
}

/// The request an AWX job deploys.
pub async fn request_of_job(pool: &sqlx::PgPool, job: i64) -> Result<Option<String>, AppError> {
    let mut tx = scope::begin(pool, Scope::Platform).await?;
    let id = sqlx::query_scalar("SELECT id FROM promotion_requests WHERE job_id = $1")
        .bind(job)
        .fetch_optional(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(id)
}

/// The tenant's API versions deployed in staging: (name, version), by name.
pub async fn staging_targets(
    pool: &sqlx::PgPool,
    user: &CurrentUser,
) -> Result<Vec<(String, String)>, AppError> {
    let mut tx = scope::begin(pool, Scope::Tenant(&user.tenant_id)).await?;
    let targets = sqlx::query_as(
        "SELECT i.slug, v.version FROM catalog_items i JOIN api_versions v ON v.item_id = i.id
         JOIN deployments d ON d.version_id = v.id AND d.environment = 'staging' AND d.state = 'deployed'
         WHERE i.tenant_id = $1 AND i.kind = 'api' ORDER BY i.slug, v.version",
    )
    .bind(&user.tenant_id)
    .fetch_all(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(targets)
}

/// Adds a comment to a request's thread (1 to 5 000 characters); everyone else in the
/// thread and the requester are told.
pub async fn comment(pool: &sqlx::PgPool, user: &CurrentUser, id: &str, text: &str) -> Result<(), AppError> {
    if text.trim().is_empty() || text.chars().count() > MAX_COMMENT_CHARS {
        return Err(AppError::field("comment", "comment-length"));
    }
    let text = text.trim();
    if text.is_empty() {
        return Err(AppError::field("comment", "comment-length"));
    }
    let every_tenant = user.may(Permission::ActAcrossTenants);
    let mut tx = scope::begin(pool, Scope::of(user)).await?;
    let tenant: String = sqlx::query_scalar(
        "SELECT tenant_id FROM promotion_requests WHERE id = $1 AND ($2 OR tenant_id = $3)",
    )
    .bind(id)
    .bind(every_tenant)
    .bind(&user.tenant_id)
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(AppError::NotFound)?;
    let entry = HistoryEntry {
        request_id: id,
        tenant_id: &tenant,
        actor_id: Some(user.id),
        actor: &user.username,
        action: "comment",
        from_state: None,
        to_state: None,
        comment: Some(text),
        job_id: None,
        error: None,
    };
    db::append_history(&mut tx, &entry).await?;
    let data = json!({ "by": user.username, "by_id": user.id, "comment": text });
    record(&mut tx, user, types::REQUEST_COMMENTED, "requests.commented", id, &tenant, data).await?;
    tx.commit().await?;
    Ok(())
}

/// One request the user may see (their tenant's; every tenant for cpi-admins).
pub async fn get(pool: &sqlx::PgPool, user: &CurrentUser, id: &str) -> Result<RequestInfo, AppError> {
    let mut tx = scope::begin(pool, Scope::of(user)).await?;
    let found = list_in(&mut tx, user, &RequestFilter::default(), Some(id), 1, 0).await?.pop();
    tx.commit().await?;
    found.ok_or(AppError::NotFound)
}

/// The user's tenant's requests (every tenant for cpi-admins), newest first.
pub async fn list(
    pool: &sqlx::PgPool,
    user: &CurrentUser,
    filter: &RequestFilter,
    limit: i64,
    offset: i64,
) -> Result<Vec<RequestInfo>, AppError> {
    let mut tx = scope::begin(pool, Scope::of(user)).await?;
    let found = list_in(&mut tx, user, filter, None, limit, offset).await?;
    tx.commit().await?;
    Ok(found)
}

/// The counters of the user's tenant (every tenant for cpi-admins).
pub async fn stats(pool: &sqlx::PgPool, user: &CurrentUser) -> Result<RequestStats, AppError> {
    let mut tx = scope::begin(pool, Scope::of(user)).await?;
    let (pending, approved_today, rejected_today, deployed_this_week): (i64, i64, i64, i64) = sqlx::query_as(
        "SELECT count(*) FILTER (WHERE state = 'pending'),
                count(*) FILTER (WHERE state IN ('approved', 'deploying', 'deployed', 'failed')
                                   AND decided_at >= date_trunc('day', now())),
                count(*) FILTER (WHERE state = 'rejected' AND decided_at >= date_trunc('day', now())),
                count(*) FILTER (WHERE state = 'deployed' AND updated_at >= date_trunc('week', now()))
         FROM promotion_requests WHERE ($1 OR tenant_id = $2)",
    )
    .bind(user.may(Permission::ActAcrossTenants))
    .bind(&user.tenant_id)
    .fetch_one(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(RequestStats { pending, approved_today, rejected_today, deployed_this_week })
}

/// `text` for `ILIKE`, its wildcards taken literally.
fn like(text: &str) -> String {
    let escaped = text.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
    format!("%{escaped}%")
}

async fn list_in(
    tx: &mut sqlx::PgConnection,
    user: &CurrentUser,
    filter: &RequestFilter,
    id: Option<&str>,
    limit: i64,
    offset: i64,
) -> Result<Vec<RequestInfo>, AppError> {
    #[derive(sqlx::FromRow)]
    struct Row {
        id: String,
        tenant_id: String,
        requester_id: Uuid,
        requester: String,
        target_type: String,
        target_name: String,
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
                r.target_version, r.source_env, r.target_env, r.justification, r.release_notes, r.impact,
                r.rollback_plan, r.scheduled_at, r.staging_tests_passed, r.security_scan_passed,
                r.performance_tests_passed, r.evidence_url, r.state, d.display_name AS decided_by, r.decided_at,
                r.reason, r.job_id, r.error, r.created_at, r.updated_at
         FROM promotion_requests r JOIN users u ON u.id = r.requester_id LEFT JOIN users d ON d.id = r.decided_by
         WHERE ($1::text IS NULL OR r.id = $1) AND ($2 OR r.tenant_id = $3)
           AND ($6::text IS NULL OR r.state = $6)
           AND ($7::text IS NULL OR r.id ILIKE $7 OR r.target_name ILIKE $7)
           AND ($8::uuid IS NULL OR r.requester_id = $8)
           AND ($9::text IS NULL OR r.tenant_id = $9)
           AND ($11::text IS NULL OR u.username = $11)
           AND ($12::text IS NULL OR r.source_env = $12 OR r.target_env = $12)
         ORDER BY CASE WHEN $10 THEN r.created_at END ASC, r.created_at DESC, r.id DESC LIMIT $4 OFFSET $5",
    )
    .bind(id)
    .bind(user.may(Permission::ActAcrossTenants))
    .bind(&user.tenant_id)
    .bind(limit)
    .bind(offset)
    .bind(filter.state.as_deref().filter(|s| State::parse(s).is_some()))
    .bind(filter.q.as_deref().map(str::trim).filter(|q| !q.is_empty()).map(like))
    .bind(filter.mine.then_some(user.id))
    .bind(filter.tenant.as_deref().filter(|t| !t.is_empty()))
    .bind(filter.sort.as_deref() == Some("oldest"))
    .bind(filter.requester.as_deref().map(str::trim).filter(|r| !r.is_empty()))
    .bind(filter.environment.as_deref().filter(|e| matches!(*e, "staging" | "prod")))
    .fetch_all(&mut *tx)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| RequestInfo {
            id: r.id,
            tenant_id: r.tenant_id,
            requester_id: r.requester_id,
            requester: r.requester,
            target_type: r.target_type,
            target_name: r.target_name,
            target_version: r.target_version,
            source_env: r.source_env,
            target_env: r.target_env,
            justification: r.justification,
            release_notes: r.release_notes,
            impact: r.impact,
            rollback_plan: r.rollback_plan,
            scheduled_at: r.scheduled_at.map(rfc3339),
            staging_tests_passed: r.staging_tests_passed,
            security_scan_passed: r.security_scan_passed,
            performance_tests_passed: r.performance_tests_passed,
            evidence_url: r.evidence_url,
            state: r.state,
            decided_by: r.decided_by,
            decided_at: r.decided_at.map(rfc3339),
            reason: r.reason,
            job_id: r.job_id,
            error: r.error,
            created_at: rfc3339(r.created_at),
            updated_at: rfc3339(r.updated_at),
        })
        .collect())
}

/// A request's history, oldest first.
pub async fn history(
    pool: &sqlx::PgPool,
    user: &CurrentUser,
    id: &str,
) -> Result<Vec<HistoryInfo>, AppError> {
    let mut tx = scope::begin(pool, Scope::of(user)).await?;
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
         WHERE request_id = $1 AND ($2 OR tenant_id = $3) ORDER BY id",
    )
    .bind(id)
    .bind(user.may(Permission::ActAcrossTenants))
    .bind(&user.tenant_id)
    .fetch_all(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(rows
        .into_iter()
        .map(|r| HistoryInfo {
            at: rfc3339(r.at),
            actor: r.actor,
            action: r.action,
            from_state: r.from_state,
            to_state: r.to_state,
            comment: r.comment,
            job_id: r.job_id,
            error: r.error,
        })
        .collect())
}

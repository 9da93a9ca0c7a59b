//! Production promotion requests (ITSM, DESIGN §3): devops and tenant-admins ask to
//! promote an API version from staging to production; tenant-admins of the tenant (or
//! cpi-admins) decide — never the requester (four eyes: refused here and by the database);
//! the requester may cancel while pending. Every transition is a history entry, an event
//! on `stoa.promotion.requests` and an audit entry, in one transaction.

use crate::auth::CurrentUser;
use crate::db::promotions::Locked;
use crate::db::promotions::{self as db, HistoryEntry, NewRequest};
use crate::db::rfc3339;
use crate::db::scope::{self, Scope, Visibility};
use crate::domain::event::{actions, types, Topic};
use crate::domain::permission::Permission;
use crate::domain::promotion::{transition, Action, Actor, Refused, State};
use crate::error::AppError;
use crate::model::promotions::*;
use crate::service::journal;
use chrono::Datelike;
use chrono::Utc;
use serde_json::json;

/// Journals a change to a request, in its tenant.
async fn record(
    tx: &mut sqlx::PgConnection,
    actor: journal::Actor<'_>,
    event_type: &str,
    action: &str,
    id: &str,
    tenant: &str,
    mut data: serde_json::Value,
) -> Result<(), AppError> {
    data["request"] = json!(id);
    let entry = journal::Entry {
        topic: Topic::PromotionRequests,
        event_type,
        tenant,
        subject: format!("requests/prod/{id}"),
        action,
        id,
        data,
        detail: None,
    };
    journal::write(tx, actor, entry).await
}

/// Creates a pending request in the user's tenant; returns its id.
pub async fn create(pool: &sqlx::PgPool, user: &CurrentUser, form: &RequestForm) -> Result<String, AppError> {
    let now = Utc::now();
    let scheduled_at = check_form(form, now).map_err(AppError::Validation)?;
    let mut tx = scope::begin(pool, Scope::Tenant(&user.tenant_id)).await?;
    let (name, version) = (form.target_name.trim(), form.target_version.trim());
    let item_id = match form.target_type.as_str() {
        "api" => match db::staging_target(&mut tx, &user.tenant_id, name, version).await? {
            None => return Err(AppError::field("target_version", "not-in-staging")),
            Some((_, true)) => return Err(AppError::field("target_version", "already-in-prod")),
            Some((item, false)) => Some(item),
        },
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
    record(
        &mut tx,
        journal::Actor::User(user),
        types::REQUEST_CREATED,
        actions::REQUEST_CREATED,
        &id,
        &user.tenant_id,
        data,
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Locks a request (visible to `vis`) for a transition; with its state.
async fn lock(
    tx: &mut sqlx::PgConnection,
    id: &str,
    vis: Visibility<'_>,
) -> Result<(Locked, State), AppError> {
    let l = db::lock(tx, id, vis.tenant()).await?.ok_or(AppError::NotFound)?;
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
    let vis = Visibility::of(user);
    let mut tx = scope::begin(pool, vis.scope()).await?;
    let (l, from) = lock(&mut tx, id, vis).await?;
    let own = l.requester_id == user.id;
    let actor = if action == Action::Cancel { Actor::Requester } else { Actor::Approver };
    if actor == Actor::Approver && !user.may(Permission::DecidePromotions) {
        return Err(AppError::Forbidden);
    }
    let reason = reason.map(str::trim).filter(|r| !r.is_empty());
    let to = match transition(from, action, actor, own, reason) {
        Ok(to) => to,
        Err(Refused::OwnRequest) => return Err(AppError::Refused { code: "own-request".into() }),
        Err(Refused::WrongActor) => return Err(AppError::Forbidden),
        Err(Refused::ReasonTooShort) => return Err(AppError::field("reason", "reason-too-short")),
        Err(Refused::WrongState) => return Err(AppError::Conflict { code: "already-decided".into() }),
    };
    let decided_by = (actor == Actor::Approver).then_some(user.id);
    db::set_decided(&mut tx, id, to, decided_by, reason).await?;
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
    let actor = journal::Actor::User(user);
    record(&mut tx, actor, action.event_type(), action.audit_action(), id, &l.tenant_id, data).await?;
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
    let (l, from) = lock(&mut tx, id, Visibility::Every).await?;
    let Ok(to) = transition(from, action, Actor::System, false, None) else {
        tx.commit().await?;
        return Ok(None);
    };
    db::set_deployment_state(&mut tx, id, to, job_id, error).await?;
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
    let actor = journal::Actor::System(actor);
    record(&mut tx, actor, action.event_type(), action.audit_action(), id, &l.tenant_id, data).await?;
    tx.commit().await?;
    Ok(Some(to))
}

/// The built-in deployer's work: the request's API version runs in prod, at the
/// document's production server.
pub async fn deploy_in_catalog(pool: &sqlx::PgPool, id: &str) -> Result<(), AppError> {
    let mut tx = scope::begin(pool, Scope::Platform).await?;
    let target = db::deploy_target(&mut tx, id).await?;
    let Some((version, tenant, servers)) = target else {
        return Err(AppError::Conflict { code: "no-api-version".into() });
    };
    let url = crate::domain::openapi::server_for(&servers, "prod");
    crate::db::catalog::deploy(&mut tx, version, &tenant, "prod", url).await?;
    tx.commit().await?;
    Ok(())
}

pub use crate::db::promotions::Due;

/// Approved requests whose time has come (none scheduled, or scheduled before now) and
/// whose next launch attempt is due.
pub async fn due_for_deployment(pool: &sqlx::PgPool) -> Result<Vec<Due>, AppError> {
    let mut tx = scope::begin(pool, Scope::Platform).await?;
    let due = db::due(&mut tx).await?;
    tx.commit().await?;
    Ok(due)
}

/// Notes a launch that did not happen (AWX unreachable or refusing): the error is in
/// the timeline, the next attempt waits 5 s × 2^attempts (at most 5 minutes). Returns
/// the attempts made so far.
pub async fn launch_failed(pool: &sqlx::PgPool, id: &str, error: &str) -> Result<i32, AppError> {
    let mut tx = scope::begin(pool, Scope::Platform).await?;
    let row = db::note_launch_failure(&mut tx, id, error).await?;
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
    let jobs = db::deploying_jobs(&mut tx, quiet).await?;
    tx.commit().await?;
    Ok(jobs)
}

/// The request an AWX job deploys.
pub async fn request_of_job(pool: &sqlx::PgPool, job: i64) -> Result<Option<String>, AppError> {
    let mut tx = scope::begin(pool, Scope::Platform).await?;
    let id = db::request_of_job(&mut tx, job).await?;
    tx.commit().await?;
    Ok(id)
}

/// The tenant's API versions deployed in staging: (name, version), by name.
pub async fn staging_targets(
    pool: &sqlx::PgPool,
    user: &CurrentUser,
) -> Result<Vec<(String, String)>, AppError> {
    let mut tx = scope::begin(pool, Scope::Tenant(&user.tenant_id)).await?;
    let targets = db::staging_targets(&mut tx, &user.tenant_id).await?;
    tx.commit().await?;
    Ok(targets)
}

/// Adds a comment to a request's thread (1 to 5 000 characters); everyone else in the
/// thread and the requester are told.
pub async fn comment(pool: &sqlx::PgPool, user: &CurrentUser, id: &str, text: &str) -> Result<(), AppError> {
    let trimmed = text.trim();
    if trimmed.is_empty() || text.chars().count() > MAX_COMMENT_CHARS {
        return Err(AppError::field("comment", "comment-length"));
    }
    let text = trimmed;
    let vis = Visibility::of(user);
    let mut tx = scope::begin(pool, vis.scope()).await?;
    let tenant = db::tenant_of(&mut tx, id, vis.tenant()).await?.ok_or(AppError::NotFound)?;
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
    let actor = journal::Actor::User(user);
    record(&mut tx, actor, types::REQUEST_COMMENTED, actions::REQUEST_COMMENTED, id, &tenant, data).await?;
    tx.commit().await?;
    Ok(())
}

/// One request the user may see (their tenant's; every tenant for cpi-admins).
pub async fn get(pool: &sqlx::PgPool, user: &CurrentUser, id: &str) -> Result<RequestInfo, AppError> {
    let vis = Visibility::of(user);
    let mut tx = scope::begin(pool, vis.scope()).await?;
    let found =
        db::list(&mut tx, vis.tenant(), user.id, &RequestFilter::default(), Some(id), 1, 0).await?.pop();
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
    let vis = Visibility::of(user);
    let mut tx = scope::begin(pool, vis.scope()).await?;
    let found = db::list(&mut tx, vis.tenant(), user.id, filter, None, limit, offset).await?;
    tx.commit().await?;
    Ok(found)
}

/// The counters of the user's tenant (every tenant for cpi-admins).
pub async fn stats(pool: &sqlx::PgPool, user: &CurrentUser) -> Result<RequestStats, AppError> {
    let vis = Visibility::of(user);
    let mut tx = scope::begin(pool, vis.scope()).await?;
    let stats = db::stats(&mut tx, vis.tenant()).await?;
    tx.commit().await?;
    Ok(stats)
}

/// A request's history, oldest first.
pub async fn history(
    pool: &sqlx::PgPool,
    user: &CurrentUser,
    id: &str,
) -> Result<Vec<HistoryInfo>, AppError> {
    let vis = Visibility::of(user);
    let mut tx = scope::begin(pool, vis.scope()).await?;
    let history = db::history(&mut tx, id, vis.tenant()).await?;
    tx.commit().await?;
    Ok(history)
}

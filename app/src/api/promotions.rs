//! Production promotion requests (ITSM, DESIGN §3): devops and tenant-admins ask to
//! promote an API version from staging to production; tenant-admins of the tenant (or
//! cpi-admins) decide — never the requester (four eyes: refused here and by the database);
//! the requester may cancel while pending. Every transition is a history entry, an event
//! on `stoa.promotion.requests` and an audit entry, in one transaction.

use crate::error::FieldError;
use chrono::{DateTime, NaiveDateTime, Utc};
use serde::{Deserialize, Serialize};

/// Impacts a request can declare.
pub const IMPACTS: [&str; 4] = ["low", "medium", "high", "critical"];
/// What a request can promote.
pub const TARGET_TYPES: [&str; 3] = ["api", "application", "policy"];

/// The request form as typed (browser and REST alike).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestForm {
    #[serde(default)]
    pub target_type: String,
    #[serde(default)]
    pub target_name: String,
    #[serde(default)]
    pub target_version: String,
    #[serde(default)]
    pub justification: String,
    #[serde(default)]
    pub release_notes: String,
    #[serde(default)]
    pub impact: String,
    #[serde(default)]
    pub rollback_plan: String,
    /// Empty: as soon as approved. RFC 3339, or `YYYY-MM-DDTHH:MM` (UTC) from a form.
    #[serde(default)]
    pub scheduled_at: String,
    #[serde(default)]
    pub staging_tests_passed: bool,
    #[serde(default)]
    pub security_scan_passed: bool,
    #[serde(default)]
    pub performance_tests_passed: bool,
    #[serde(default)]
    pub evidence_url: String,
}

/// A request's schedule: when it may be deployed (`Some(None)`: as soon as approved;
/// `None`: not a date).
pub fn parse_schedule(s: &str) -> Option<Option<DateTime<Utc>>> {
    let s = s.trim();
    if s.is_empty() {
        return Some(None);
    }
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Some(Some(t.with_timezone(&Utc)));
    }
    NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M").ok().map(|t| Some(t.and_utc()))
}

/// Checks a form (the same rules in the browser and on the server); the schedule comes
/// back parsed. `now` bounds the schedule: it may not lie in the past.
pub fn check_form(form: &RequestForm, now: DateTime<Utc>) -> Result<Option<DateTime<Utc>>, Vec<FieldError>> {
    use crate::domain::promotion::MIN_JUSTIFICATION_CHARS;
    let mut errors = Vec::new();
    let mut error = |field: &str, code: &str| {
        errors.push(FieldError { field: field.into(), code: code.into(), detail: None })
    };
    if !TARGET_TYPES.contains(&form.target_type.as_str()) {
        error("target_type", "unknown-target-type");
    }
    if form.target_name.trim().is_empty() || form.target_name.chars().count() > 200 {
        error("target_name", "required");
    }
    if form.target_version.trim().is_empty() || form.target_version.chars().count() > 100 {
        error("target_version", "required");
    }
    if !crate::domain::long_enough(Some(&form.justification), MIN_JUSTIFICATION_CHARS) {
        error("justification", "justification-too-short");
    }
    if form.justification.chars().count() > 10_000
        || form.release_notes.chars().count() > 20_000
        || form.rollback_plan.chars().count() > 10_000
    {
        error("justification", "too-long");
    }
    if !IMPACTS.contains(&form.impact.as_str()) {
        error("impact", "unknown-impact");
    }
    let evidence = form.evidence_url.trim();
    if !(evidence.is_empty() || evidence.starts_with("https://") || evidence.starts_with("http://")) {
        error("evidence_url", "invalid-url");
    }
    let schedule = match parse_schedule(&form.scheduled_at) {
        Some(Some(t)) if t < now => {
            error("scheduled_at", "in-the-past");
            None
        }
        Some(t) => t,
        None => {
            error("scheduled_at", "invalid-date");
            None
        }
    };
    if errors.is_empty() {
        Ok(schedule)
    } else {
        Err(errors)
    }
}

/// A request as pages and REST show it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestInfo {
    pub id: String,
    pub tenant_id: String,
    pub requester_id: uuid::Uuid,
    pub requester: String,
    pub target_type: String,
    pub target_name: String,
    pub target_version: String,
    pub source_env: String,
    pub target_env: String,
    pub justification: String,
    pub release_notes: String,
    pub impact: String,
    pub rollback_plan: String,
    pub scheduled_at: Option<String>,
    pub staging_tests_passed: bool,
    pub security_scan_passed: bool,
    pub performance_tests_passed: bool,
    pub evidence_url: Option<String>,
    pub state: String,
    pub decided_by: Option<String>,
    pub decided_at: Option<String>,
    pub reason: Option<String>,
    pub job_id: Option<i64>,
    pub error: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

/// One entry of a request's history.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryInfo {
    pub at: String,
    pub actor: String,
    pub action: String,
    pub from_state: Option<String>,
    pub to_state: Option<String>,
    pub comment: Option<String>,
    pub job_id: Option<i64>,
    pub error: Option<String>,
}

/// Session key of a refused request form.
pub const FORM_KEY: &str = "requests.form";

/// A refused request form with its errors.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RefusedRequest {
    pub form: RequestForm,
    pub errors: Vec<FieldError>,
}

/// What the requests list shows: filters and order (all optional).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestFilter {
    pub state: Option<String>,
    /// Part of a request id or of the API's name.
    pub q: Option<String>,
    /// Only the viewer's own requests.
    #[serde(default)]
    pub mine: bool,
    /// One tenant (cpi-admins, who see every tenant).
    pub tenant: Option<String>,
    /// `oldest` first; newest first otherwise.
    pub sort: Option<String>,
    /// Requests by this username.
    #[serde(default)]
    pub requester: Option<String>,
    /// Requests from or to this environment (`staging`, `prod`).
    #[serde(default)]
    pub environment: Option<String>,
}

/// The counters above the list.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestStats {
    pub pending: i64,
    pub approved_today: i64,
    pub rejected_today: i64,
    pub deployed_this_week: i64,
}

/// A page of the requests list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestsPage {
    pub items: Vec<RequestInfo>,
    pub stats: RequestStats,
    pub filter: RequestFilter,
    pub page: i64,
    pub more: bool,
    /// The viewer may create requests / decide them.
    pub may_create: bool,
    pub may_decide: bool,
    /// The viewer sees every tenant (and may filter by one).
    pub every_tenant: bool,
}

/// One request with its history and what the viewer may do with it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestPage {
    pub request: RequestInfo,
    pub history: Vec<HistoryInfo>,
    pub may_decide: bool,
    pub may_cancel: bool,
}

/// Requests shown per page.
pub const PER_PAGE: i64 = 20;
/// Longest comment.
pub const MAX_COMMENT_CHARS: usize = 5_000;

/// Adds a comment to a request's thread; back to the thread, or to the form with the
/// error and the text kept.
#[leptos::server(endpoint = "comment_promotion_request")]
pub async fn comment_promotion_request(id: String, comment: String) -> Result<(), crate::error::AppError> {
    let user = crate::auth::require(crate::domain::permission::Permission::RequestPromotion)?;
    let pool = crate::state::app_state()?.pool;
    let enc = crate::auth::encode_query_value;
    match server::comment(&pool, &user, &id, &comment).await {
        Ok(()) => leptos_axum::redirect(&format!("/console/requests/{}?done=comment#timeline", enc(&id))),
        Err(crate::error::AppError::Validation(_)) => leptos_axum::redirect(&format!(
            "/console/requests/{}?error=comment-length&comment={}#comment",
            enc(&id),
            enc(&comment.chars().take(MAX_COMMENT_CHARS + 1).collect::<String>())
        )),
        Err(e) => return Err(e.with_response_status()),
    }
    Ok(())
}

/// The requests of the user's tenant (every tenant for cpi-admins), newest first.
#[leptos::server(endpoint = "promotion_requests")]
pub async fn promotion_requests(
    filter: RequestFilter,
    page: Option<i64>,
) -> Result<RequestsPage, crate::error::AppError> {
    use crate::domain::permission::Permission;
    let user = crate::auth::require(Permission::RequestPromotion)?;
    let pool = crate::state::app_state()?.pool;
    let page = page.unwrap_or(1).clamp(1, 10_000);
    let mut items = server::list(&pool, &user, &filter, PER_PAGE + 1, (page - 1) * PER_PAGE).await?;
    let more = items.len() as i64 > PER_PAGE;
    items.truncate(PER_PAGE as usize);
    let stats = server::stats(&pool, &user).await?;
    Ok(RequestsPage {
        items,
        stats,
        filter,
        page,
        more,
        may_create: true,
        may_decide: user.may(Permission::DecidePromotions),
        every_tenant: user.may(Permission::ActAcrossTenants),
    })
}

/// One request: every field, the history, and the actions the viewer may take (never a
/// decision on their own request).
#[leptos::server(endpoint = "promotion_request")]
pub async fn promotion_request(id: String) -> Result<RequestPage, crate::error::AppError> {
    use crate::domain::permission::Permission;
    let user = crate::auth::require(Permission::RequestPromotion)?;
    let pool = crate::state::app_state()?.pool;
    let request =
        server::get(&pool, &user, &id).await.map_err(crate::error::AppError::with_response_status)?;
    let history = server::history(&pool, &user, &id).await?;
    let pending = request.state == "pending";
    let own = request.requester_id == user.id;
    Ok(RequestPage {
        may_decide: pending && !own && user.may(Permission::DecidePromotions),
        may_cancel: pending && own,
        request,
        history,
    })
}

/// The new-request form: the tenant's API versions deployed in staging (name, version),
/// and a refused form when `refused` names one.
#[leptos::server(endpoint = "promotion_form")]
pub async fn promotion_form(
    refused: Option<String>,
) -> Result<(Vec<(String, String)>, Option<RefusedRequest>), crate::error::AppError> {
    let user = crate::auth::require(crate::domain::permission::Permission::RequestPromotion)?;
    let pool = crate::state::app_state()?.pool;
    let targets = server::staging_targets(&pool, &user).await?;
    let refused = match refused {
        Some(token) => {
            let session: tower_sessions::Session = leptos_axum::extract()
                .await
                .map_err(|e| crate::error::AppError::internal("session extractor", e))?;
            crate::flash::read::<RefusedRequest>(&session, FORM_KEY, &token)
                .await
                .map_err(|e| crate::error::AppError::internal("session read", e))?
        }
        None => None,
    };
    Ok((targets, refused))
}

pub use form_post::*;

/// The form's server function takes one argument per field (a plain form posts them so):
/// more than clippy's limit, allowed here only.
#[allow(clippy::too_many_arguments)]
mod form_post {
    #[cfg(feature = "ssr")]
    use super::*;

    /// Creates a request from the form (`target` is `name@version`); on to its page, or back
    /// to the form with the errors and what was typed.
    #[leptos::server(endpoint = "create_promotion_request")]
    pub async fn create_promotion_request(
        target: String,
        justification: String,
        impact: String,
        release_notes: Option<String>,
        rollback_plan: Option<String>,
        scheduled_at: Option<String>,
        staging_tests_passed: Option<String>,
        security_scan_passed: Option<String>,
        performance_tests_passed: Option<String>,
        evidence_url: Option<String>,
    ) -> Result<(), crate::error::AppError> {
        let user = crate::auth::require(crate::domain::permission::Permission::RequestPromotion)?;
        let pool = crate::state::app_state()?.pool;
        let (name, version) = target.rsplit_once('@').unwrap_or((target.as_str(), ""));
        let form = RequestForm {
            target_type: "api".into(),
            target_name: name.to_owned(),
            target_version: version.to_owned(),
            justification,
            impact,
            release_notes: release_notes.unwrap_or_default(),
            rollback_plan: rollback_plan.unwrap_or_default(),
            scheduled_at: scheduled_at.unwrap_or_default(),
            staging_tests_passed: staging_tests_passed.is_some(),
            security_scan_passed: security_scan_passed.is_some(),
            performance_tests_passed: performance_tests_passed.is_some(),
            evidence_url: evidence_url.unwrap_or_default(),
        };
        match server::create(&pool, &user, &form).await {
            Ok(id) => leptos_axum::redirect(&format!("/console/requests/{id}?created=1")),
            Err(crate::error::AppError::Validation(errors)) => {
                let session: tower_sessions::Session = leptos_axum::extract()
                    .await
                    .map_err(|e| crate::error::AppError::internal("session extractor", e))?;
                let token = crate::flash::keep(&session, FORM_KEY, RefusedRequest { form, errors })
                    .await
                    .map_err(|e| crate::error::AppError::internal("session write", e))?;
                leptos_axum::redirect(&format!("/console/requests/new?refused={token}"));
            }
            Err(e) => return Err(e.with_response_status()),
        }
        Ok(())
    }
}

/// Approves, rejects (with `reason`) or cancels a request; back to its page with what
/// happened, or with the error (a reason too short, someone decided first).
#[leptos::server(endpoint = "move_promotion_request")]
pub async fn move_promotion_request(
    id: String,
    action: String,
    reason: Option<String>,
) -> Result<(), crate::error::AppError> {
    use crate::domain::promotion::Action;
    let user = crate::auth::require(crate::domain::permission::Permission::RequestPromotion)?;
    let pool = crate::state::app_state()?.pool;
    let action = Action::parse(&action)
        .filter(|a| matches!(a, Action::Approve | Action::Reject | Action::Cancel))
        .ok_or_else(|| crate::error::AppError::BadRequest.with_response_status())?;
    let enc = crate::auth::encode_query_value;
    match server::transition_request(&pool, &user, &id, action, reason.as_deref()).await {
        Ok(_) => leptos_axum::redirect(&format!("/console/requests/{}?done={}", enc(&id), action.as_str())),
        Err(crate::error::AppError::Validation(_)) => leptos_axum::redirect(&format!(
            "/console/requests/{}?error=reason-too-short&reason={}#decide",
            enc(&id),
            enc(reason.as_deref().unwrap_or_default())
        )),
        Err(crate::error::AppError::Conflict { .. }) => {
            leptos_axum::redirect(&format!("/console/requests/{}?error=already-decided", enc(&id)))
        }
        Err(e) => return Err(e.with_response_status()),
    }
    Ok(())
}

#[cfg(feature = "ssr")]
pub use server::*;

#[cfg(feature = "ssr")]
mod server {
    use super::*;
    use crate::auth::CurrentUser;
    use crate::db::promotions::{self as db, HistoryEntry, NewRequest};
    use crate::db::scope::{self, Scope};
    use crate::db::{audit, outbox, rfc3339};
    use crate::domain::event::{types, CloudEvent, Topic};
    use crate::domain::permission::Permission;
    use crate::domain::promotion::{transition, Action, Actor, Refused, State};
    use crate::error::AppError;
    use chrono::Datelike;
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
    pub async fn create(
        pool: &sqlx::PgPool,
        user: &CurrentUser,
        form: &RequestForm,
    ) -> Result<String, AppError> {
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
        let e = CloudEvent::new(
            action.event_type(),
            &l.tenant_id,
            Some(format!("requests/prod/{id}")),
            data.clone(),
        );
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
    pub async fn comment(
        pool: &sqlx::PgPool,
        user: &CurrentUser,
        id: &str,
        text: &str,
    ) -> Result<(), AppError> {
        let text = text.trim();
        if text.is_empty() || text.chars().count() > MAX_COMMENT_CHARS {
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
        let (pending, approved_today, rejected_today, deployed_this_week): (i64, i64, i64, i64) =
            sqlx::query_as(
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
}

#[cfg(test)]
mod tests {
    use super::*;

    fn valid() -> RequestForm {
        RequestForm {
            target_type: "api".into(),
            target_name: "weather-forecast".into(),
            target_version: "1.1.0".into(),
            justification: "Customers need the alerts endpoint in production.".into(),
            impact: "low".into(),
            ..Default::default()
        }
    }

    #[test]
    fn the_form_names_every_bad_field() {
        let now = Utc::now();
        assert_eq!(check_form(&valid(), now), Ok(None));
        let bad = RequestForm {
            target_type: "database".into(),
            justification: "too short".into(),
            impact: "huge".into(),
            scheduled_at: "yesterday".into(),
            evidence_url: "ftp://x".into(),
            ..valid()
        };
        let fields: Vec<String> =
            check_form(&bad, now).expect_err("refused").into_iter().map(|e| e.field).collect();
        assert_eq!(fields, ["target_type", "justification", "impact", "evidence_url", "scheduled_at"]);
        let past = RequestForm { scheduled_at: "2020-01-01T10:00".into(), ..valid() };
        assert_eq!(check_form(&past, now).expect_err("refused")[0].code, "in-the-past");
        let later = RequestForm { scheduled_at: "2999-01-01T10:00".into(), ..valid() };
        assert!(check_form(&later, now).expect("valid").is_some());
        // Nineteen characters after trimming are not enough.
        let short = RequestForm { justification: format!("  {}  ", "x".repeat(19)), ..valid() };
        assert_eq!(check_form(&short, now).expect_err("refused")[0].code, "justification-too-short");
    }
}

//! Subscriptions (DESIGN §3): an application subscribes to an API with a plan, or to an
//! MCP server with some of its tools; active at once when nobody needs to approve,
//! pending otherwise. The tenant-admins of the entry's tenant decide from
//! `/console/subscriptions` (approve, reject with a reason, in bulk; suspend, reactivate,
//! revoke); the subscriber can cancel and extend a subscription with an end date. Every
//! change writes its `stoa.subscription.events` event and an audit entry in the same
//! transaction. The plain form routes (subscribe, decide) live in `server/src/console.rs`.

use crate::auth::CurrentUser;
use crate::db::scope::{self, Scope, Visibility};
use crate::db::subscriptions::{self as db, Filter, Locked, NewSubscription};
use crate::domain::catalog::{Kind, Viewer};
use crate::domain::event::{actions, types, Topic};
use crate::domain::subscription::{transition, Action, Actor, Refused, State};
use crate::error::AppError;
use crate::error::FieldError;
use crate::model::applications::IssuedSecret;
use crate::model::subscriptions::*;
use crate::service::journal;
use serde_json::json;
use uuid::Uuid;

/// What a subscriber asks for.
pub struct SubscribeRequest<'a> {
    pub kind: Kind,
    /// The API's tenant; `None` for MCP servers (their names are unique).
    pub tenant: Option<&'a str>,
    pub slug: &'a str,
    pub application: Uuid,
    pub plan: Option<&'a str>,
    pub tools: &'a [String],
    pub ttl_days: Option<i64>,
}

/// A subscription just asked for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Subscribed {
    pub id: Uuid,
    pub state: State,
    pub application_id: Uuid,
}

/// The outcome of a (bulk) decision.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decided {
    pub done: Vec<Uuid>,
    /// Not in a state the action applies to any more (decided by someone else), or
    /// not the approver's to decide.
    pub skipped: usize,
}

fn field(field: &str, code: &str, detail: Option<String>) -> AppError {
    AppError::Validation(vec![FieldError { field: field.into(), code: code.into(), detail }])
}

/// Journals a change to a subscription, in its API's tenant. `actor` `None`: the platform.
async fn record(
    tx: &mut sqlx::PgConnection,
    actor: Option<&CurrentUser>,
    event_type: &str,
    action: &str,
    sub: Uuid,
    api_tenant: &str,
    mut data: serde_json::Value,
) -> Result<(), AppError> {
    data["subscription"] = json!(sub);
    let entry = journal::Entry {
        topic: Topic::SubscriptionEvents,
        event_type,
        tenant: api_tenant,
        subject: format!("subscriptions/{sub}"),
        action,
        id: &sub.to_string(),
        data,
        detail: None,
    };
    let actor = actor.map(journal::Actor::User).unwrap_or(journal::Actor::System("system"));
    journal::write(tx, actor, entry).await
}

fn locked_data(l: &Locked, to: State, action: &str, reason: Option<&str>) -> serde_json::Value {
    json!({
        "application": l.application_id, "subscriber": l.subscriber_id, "app_tenant": l.app_tenant_id,
        "api": l.api, "kind": l.kind, "plan": l.plan, "from": l.state, "state": to.as_str(),
        "action": action, "reason": reason,
    })
}

/// Asks for a subscription (one transaction).
pub async fn subscribe(
    pool: &sqlx::PgPool,
    user: &CurrentUser,
    req: &SubscribeRequest<'_>,
) -> Result<Subscribed, AppError> {
    let mut tx = scope::begin(pool, Scope::Tenant(&user.tenant_id)).await?;
    let done = subscribe_in(&mut tx, user, req).await?;
    crate::keycache::commit(tx).await?;
    Ok(done)
}

/// [`subscribe`] inside the caller's transaction (in `user`'s tenant scope).
pub async fn subscribe_in(
    tx: &mut sqlx::PgConnection,
    user: &CurrentUser,
    req: &SubscribeRequest<'_>,
) -> Result<Subscribed, AppError> {
    let Some(app_tenant) = crate::db::applications::owned(&mut *tx, user.id, req.application).await? else {
        return Err(field("application", "unknown-application", None));
    };
    let tenant = match req.tenant {
        Some(t) => t.to_owned(),
        None => {
            crate::db::catalog::tenant_of(&mut *tx, req.kind, req.slug).await?.ok_or(AppError::NotFound)?
        }
    };
    let viewer = Viewer::of(&user.tenant_id, &user.roles);
    let (item_id, detail) = crate::db::catalog::detail(&mut *tx, &viewer, &tenant, req.kind, req.slug)
        .await?
        .ok_or(AppError::NotFound)?;
    let plan = match req.plan.filter(|p| !p.is_empty()) {
        Some(slug) => {
            let plan = db::plan(&mut *tx, &tenant, slug)
                .await?
                .ok_or_else(|| field("plan", "unknown-plan", None))?;
            if plan.status != "active" {
                return Err(field("plan", "plan-archived", None));
            }
            // Offered on this entry, to this subscriber.
            if !detail.plans.iter().any(|p| p.slug == plan.slug) {
                return Err(field("plan", "unknown-plan", None));
            }
            Some(plan)
        }
        None if detail.plans.is_empty() => None,
        None => return Err(field("plan", "choose-plan", None)),
    };
    let tools: Vec<String> = if req.kind == Kind::Mcp {
        if req.tools.is_empty() {
            return Err(field("tools", "choose-tools", None));
        }
        if let Some(unknown) = req.tools.iter().find(|t| !detail.tools.iter().any(|x| &x.name == *t)) {
            return Err(field("tools", "unknown-tool", Some(unknown.clone())));
        }
        let mut tools = req.tools.to_vec();
        tools.sort();
        tools.dedup();
        tools
    } else {
        vec![]
    };
    let max_ttl = plan.as_ref().and_then(|p| p.max_ttl_days).map(i64::from).unwrap_or(MAX_TTL_DAYS);
    let expires_at = match req.ttl_days {
        None => None,
        Some(d) if (1..=max_ttl).contains(&d) => Some(chrono::Utc::now() + chrono::Duration::days(d)),
        Some(_) => return Err(field("ttl_days", "ttl-out-of-range", Some(max_ttl.to_string()))),
    };
    let needs_approval = detail.requires_approval || plan.as_ref().is_some_and(|p| p.requires_approval);
    let auto = plan
        .as_ref()
        .is_some_and(|p| user.roles.iter().any(|r| p.auto_approve_roles.iter().any(|a| a == r.as_str())));
    let state = if needs_approval && !auto { State::Pending } else { State::Active };
    let new = NewSubscription {
        app_tenant_id: &app_tenant,
        application_id: req.application,
        subscriber_id: user.id,
        api_tenant_id: &tenant,
        item_id,
        plan_id: plan.as_ref().map(|p| p.id),
        requested_tools: &tools,
        state,
        expires_at,
    };
    let id = match db::insert(&mut *tx, &new).await {
        Err(sqlx::Error::Database(e)) if e.constraint() == Some("subscriptions_live") => {
            return Err(field("plan", "already-subscribed", None));
        }
        other => other?,
    };
    let data = json!({
        "application": req.application, "subscriber": user.id, "app_tenant": app_tenant,
        "api": format!("{tenant}/{}", req.slug), "kind": req.kind.as_str(),
        "plan": plan.as_ref().map(|p| &p.slug), "tools": tools, "state": state.as_str(), "action": "create",
        "expires_at": expires_at.map(crate::db::rfc3339), "auto_approved": needs_approval && auto,
    });
    record(
        &mut *tx,
        Some(user),
        types::SUBSCRIPTION_CREATED,
        actions::SUBSCRIPTION_CREATED,
        id,
        &tenant,
        data,
    )
    .await?;
    Ok(Subscribed { id, state, application_id: req.application })
}

/// An approver's decision on one or several subscriptions of their tenant (every
/// tenant for cpi-admins). Each subscription is locked while it is decided: of two
/// approvers deciding the same one at once, the second finds it decided and is
/// skipped — one decision, one event. Deciding one subscription that someone else
/// decided first is a conflict; one that is not the approver's is not found.
pub async fn decide(
    pool: &sqlx::PgPool,
    user: &CurrentUser,
    ids: &[Uuid],
    action: Action,
    reason: Option<&str>,
) -> Result<Decided, AppError> {
    if action.actor() != Actor::Approver {
        return Err(AppError::BadRequest);
    }
    let reason = reason.map(str::trim).filter(|r| !r.is_empty());
    if action == Action::Reject && transition(State::Pending, action, Actor::Approver, reason).is_err() {
        return Err(field("reason", "reason-too-short", None));
    }
    if ids.is_empty() {
        return Err(field("ids", "choose-subscriptions", None));
    }
    let vis = Visibility::of(user);
    let mut tx = scope::begin(pool, vis.scope()).await?;
    let tenant = vis.tenant();
    let locked = db::lock_for_approver(&mut tx, ids, tenant).await?;
    let mut done = Vec::new();
    for l in &locked {
        let from = State::parse(&l.state).ok_or(AppError::Internal)?;
        match transition(from, action, Actor::Approver, reason) {
            Ok(to) => {
                db::set_state(&mut tx, l.id, to, reason, Some(user.id)).await?;
                let data = locked_data(l, to, action.as_str(), reason);
                record(
                    &mut tx,
                    Some(user),
                    action.event_type(),
                    action.audit_action(),
                    l.id,
                    &l.api_tenant_id,
                    data,
                )
                .await?;
                done.push(l.id);
            }
            Err(Refused::WrongState) => {}
            Err(_) => return Err(AppError::BadRequest),
        }
    }
    crate::keycache::commit(tx).await?;
    if ids.len() == 1 && done.is_empty() {
        return Err(if locked.is_empty() {
            AppError::NotFound
        } else {
            AppError::Conflict { code: "already-decided".into() }
        });
    }
    Ok(Decided { skipped: ids.len() - done.len(), done })
}

/// The subscriber cancels; returns the application.
pub async fn cancel(pool: &sqlx::PgPool, user: &CurrentUser, id: Uuid) -> Result<Uuid, AppError> {
    let mut tx = scope::begin(pool, Scope::Tenant(&user.tenant_id)).await?;
    let app = cancel_in(&mut tx, user, id, None).await?;
    crate::keycache::commit(tx).await?;
    Ok(app)
}

async fn cancel_in(
    tx: &mut sqlx::PgConnection,
    user: &CurrentUser,
    id: Uuid,
    kind: Option<Kind>,
) -> Result<Uuid, AppError> {
    let l = db::lock_for_subscriber(&mut *tx, id, user.id).await?.ok_or(AppError::NotFound)?;
    if kind.is_some_and(|k| k.as_str() != l.kind) {
        return Err(AppError::NotFound);
    }
    let from = State::parse(&l.state).ok_or(AppError::Internal)?;
    let to = transition(from, Action::Cancel, Actor::Subscriber, None)
        .map_err(|_| AppError::Conflict { code: "not-live".into() })?;
    db::set_state(&mut *tx, id, to, None, None).await?;
    let data = locked_data(&l, to, "cancel", None);
    record(
        &mut *tx,
        Some(user),
        Action::Cancel.event_type(),
        Action::Cancel.audit_action(),
        id,
        &l.api_tenant_id,
        data,
    )
    .await?;
    Ok(l.application_id)
}

/// The subscriber pushes an active subscription's end `days` further; the new end
/// may not lie beyond the plan's longest subscription from today. Returns the
/// application.
pub async fn extend(pool: &sqlx::PgPool, user: &CurrentUser, id: Uuid, days: i64) -> Result<Uuid, AppError> {
    let mut tx = scope::begin(pool, Scope::Tenant(&user.tenant_id)).await?;
    let l = db::lock_for_subscriber(&mut tx, id, user.id).await?.ok_or(AppError::NotFound)?;
    let (Some(end), "active") = (l.expires_at, l.state.as_str()) else {
        return Err(AppError::Conflict { code: "not-extendable".into() });
    };
    let max = l.max_ttl_days.map(i64::from).unwrap_or(MAX_TTL_DAYS);
    let now = chrono::Utc::now();
    let new_end = end.max(now) + chrono::Duration::days(days);
    if days < 1 || new_end > now + chrono::Duration::days(max) {
        return Err(field("days", "beyond-plan", Some(max.to_string())));
    }
    db::set_expiry(&mut tx, id, new_end).await?;
    let mut data = locked_data(&l, State::Active, "extend", None);
    data["expires_at"] = json!(crate::db::rfc3339(new_end));
    record(
        &mut tx,
        Some(user),
        types::SUBSCRIPTION_EXTENDED,
        actions::SUBSCRIPTION_EXTENDED,
        id,
        &l.api_tenant_id,
        data,
    )
    .await?;
    crate::keycache::commit(tx).await?;
    Ok(l.application_id)
}

/// The subscriber moves an active subscription to another plan its entry offers them:
/// at once when that plan needs no approval for them, otherwise as a request in the
/// approvers' queue while the old plan stays in force. The quota already used in the
/// period stays with the subscription, so it counts against the new plan.
pub async fn change_plan(
    pool: &sqlx::PgPool,
    user: &CurrentUser,
    id: Uuid,
    plan: &str,
) -> Result<PlanMoved, AppError> {
    let mut tx = scope::begin(pool, Scope::Tenant(&user.tenant_id)).await?;
    let l = db::lock_for_subscriber(&mut tx, id, user.id).await?.ok_or(AppError::NotFound)?;
    if l.state != State::Active.as_str() {
        return Err(AppError::Conflict { code: "not-active".into() });
    }
    let slug = plan.trim();
    if slug.is_empty() {
        return Err(field("plan", "choose-plan", None));
    }
    if l.plan.as_deref() == Some(slug) {
        return Err(field("plan", "same-plan", None));
    }
    let terms = db::plan(&mut tx, &l.api_tenant_id, slug)
        .await?
        .ok_or_else(|| field("plan", "unknown-plan", None))?;
    if terms.status != "active" {
        return Err(field("plan", "plan-archived", None));
    }
    let viewer = Viewer::of(&user.tenant_id, &user.roles);
    let seen = crate::db::plans::Seen::by(&viewer, &l.api_tenant_id);
    let offered = crate::db::plans::offered(&mut tx, l.item_id, seen).await?;
    if !offered.iter().any(|p| p.slug == terms.slug) {
        return Err(field("plan", "unknown-plan", None));
    }
    let auto = user.roles.iter().any(|r| terms.auto_approve_roles.iter().any(|a| a == r.as_str()));
    let needs_approval = (l.entry_requires_approval || terms.requires_approval) && !auto;
    let mut data = locked_data(&l, State::Active, "change", None);
    data["to_plan"] = json!(terms.slug);
    let outcome = if needs_approval {
        db::request_plan(&mut tx, id, Some(terms.id)).await?;
        data["action"] = json!("request");
        record(
            &mut tx,
            Some(user),
            types::SUBSCRIPTION_PLAN_CHANGE_REQUESTED,
            actions::SUBSCRIPTION_PLAN_CHANGE_REQUESTED,
            id,
            &l.api_tenant_id,
            data,
        )
        .await?;
        PlanMove::Requested
    } else {
        if !move_to_plan(&mut tx, user, &l, terms.id, data).await? {
            return Err(field("plan", "already-subscribed", None));
        }
        PlanMove::Changed
    };
    crate::keycache::commit(tx).await?;
    let (plan, requested_plan) = match outcome {
        PlanMove::Requested => (l.plan.clone(), Some(terms.slug)),
        _ => (Some(terms.slug), None),
    };
    Ok(PlanMoved { subscription: id, application_id: l.application_id, outcome, plan, requested_plan })
}

/// The subscriber takes back a move to another plan that waits for an approver; the
/// subscription stays on its plan. Nothing waiting is a conflict.
pub async fn withdraw_plan_change(
    pool: &sqlx::PgPool,
    user: &CurrentUser,
    id: Uuid,
) -> Result<PlanMoved, AppError> {
    let mut tx = scope::begin(pool, Scope::Tenant(&user.tenant_id)).await?;
    let l = db::lock_for_subscriber(&mut tx, id, user.id).await?.ok_or(AppError::NotFound)?;
    let Some(requested) = l.requested_plan.clone() else {
        return Err(AppError::Conflict { code: "already-decided".into() });
    };
    db::request_plan(&mut tx, id, None).await?;
    let mut data = locked_data(&l, State::Active, "withdraw", None);
    data["to_plan"] = json!(requested);
    data["by"] = json!(user.display_name);
    let (event, action) =
        (types::SUBSCRIPTION_PLAN_CHANGE_WITHDRAWN, actions::SUBSCRIPTION_PLAN_CHANGE_WITHDRAWN);
    record(&mut tx, Some(user), event, action, id, &l.api_tenant_id, data).await?;
    tx.commit().await?;
    Ok(PlanMoved {
        subscription: id,
        application_id: l.application_id,
        outcome: PlanMove::Withdrawn,
        plan: l.plan.clone(),
        requested_plan: None,
    })
}

/// Puts the locked subscription on `plan` and journals it; `false` (nothing written)
/// when its application already holds a live subscription to the entry on that plan.
async fn move_to_plan(
    tx: &mut sqlx::PgConnection,
    user: &CurrentUser,
    l: &Locked,
    plan: Uuid,
    data: serde_json::Value,
) -> Result<bool, AppError> {
    if !db::set_plan(&mut *tx, l.id, plan).await? {
        return Ok(false);
    }
    let (event, action) = (types::SUBSCRIPTION_PLAN_CHANGED, actions::SUBSCRIPTION_PLAN_CHANGED);
    record(tx, Some(user), event, action, l.id, &l.api_tenant_id, data).await?;
    Ok(true)
}

/// An approver of the entry's tenant decides a waiting move to another plan: approved,
/// the subscription is on the new plan at once; rejected (with a reason of at least 10
/// characters), it stays on the old one. A move decided by someone else first is a
/// conflict.
pub async fn decide_plan_change(
    pool: &sqlx::PgPool,
    user: &CurrentUser,
    id: Uuid,
    approve: bool,
    reason: Option<&str>,
) -> Result<PlanMoved, AppError> {
    if !user.may(crate::domain::permission::Permission::DecideSubscriptions) {
        return Err(AppError::Forbidden);
    }
    let reason = reason.map(str::trim).filter(|r| !r.is_empty());
    if !approve && !crate::domain::long_enough(reason, crate::domain::subscription::MIN_REASON_CHARS) {
        return Err(field("reason", "reason-too-short", None));
    }
    let vis = Visibility::of(user);
    let mut tx = scope::begin(pool, vis.scope()).await?;
    let l = db::lock_for_approver(&mut tx, &[id], vis.tenant()).await?.pop().ok_or(AppError::NotFound)?;
    let (Some(requested), Some(requested_slug), "active") =
        (l.requested_plan_id, l.requested_plan.clone(), l.state.as_str())
    else {
        return Err(AppError::Conflict { code: "already-decided".into() });
    };
    let mut data = locked_data(&l, State::Active, if approve { "approve" } else { "reject" }, reason);
    data["to_plan"] = json!(requested_slug);
    data["by"] = json!(user.display_name);
    let outcome = if approve {
        if !move_to_plan(&mut tx, user, &l, requested, data).await? {
            return Err(AppError::Conflict { code: "already-subscribed".into() });
        }
        PlanMove::Changed
    } else {
        db::request_plan(&mut tx, id, None).await?;
        record(
            &mut tx,
            Some(user),
            types::SUBSCRIPTION_PLAN_CHANGE_REJECTED,
            actions::SUBSCRIPTION_PLAN_CHANGE_REJECTED,
            id,
            &l.api_tenant_id,
            data,
        )
        .await?;
        PlanMove::Rejected
    };
    crate::keycache::commit(tx).await?;
    let plan = if approve { Some(requested_slug) } else { l.plan.clone() };
    Ok(PlanMoved { subscription: id, application_id: l.application_id, outcome, plan, requested_plan: None })
}

/// The approval queue. It shows the subscribers' applications, which live in other
/// tenants: it reads in the platform scope and names the approver's tenant itself.
pub async fn queue(pool: &sqlx::PgPool, user: &CurrentUser, state: State) -> Result<QueuePage, AppError> {
    let tenant = Visibility::of(user).tenant();
    let mut tx = scope::begin(pool, Scope::Platform).await?;
    let items = db::list(&mut tx, Filter::Queue { tenant, state: Some(state) }, QUEUE_LIMIT).await?;
    let pending = db::pending_count(&mut tx, tenant).await?;
    let plan_changes = db::list(&mut tx, Filter::PlanChanges { tenant }, QUEUE_LIMIT).await?;
    tx.commit().await?;
    Ok(QueuePage { state, items, pending, plan_changes })
}

/// The user's subscriptions (REST), of one kind if given.
pub async fn mine(
    pool: &sqlx::PgPool,
    user: &CurrentUser,
    kind: Option<&str>,
) -> Result<Vec<SubscriptionInfo>, AppError> {
    let mut tx = scope::begin(pool, Scope::Tenant(&user.tenant_id)).await?;
    let items = db::list(&mut tx, Filter::Subscriber { owner: user.id, kind }, 1_000).await?;
    tx.commit().await?;
    Ok(items)
}

/// One subscription of the user's.
pub async fn one(pool: &sqlx::PgPool, user: &CurrentUser, id: Uuid) -> Result<SubscriptionInfo, AppError> {
    let mut tx = scope::begin(pool, Scope::Tenant(&user.tenant_id)).await?;
    let found = db::list(&mut tx, Filter::One { id, owner: user.id }, 1).await?.pop();
    tx.commit().await?;
    found.ok_or(AppError::NotFound)
}

/// Subscribes to an MCP server and issues an API key for it, shown this once; all in
/// one transaction.
pub async fn mcp_subscribe(
    pool: &sqlx::PgPool,
    user: &CurrentUser,
    req: &McpSubscribe,
) -> Result<(SubscriptionInfo, IssuedSecret), AppError> {
    let mut tx = scope::begin(pool, Scope::Tenant(&user.tenant_id)).await?;
    let slug: String = match Uuid::parse_str(&req.server_id) {
        Ok(id) => crate::db::catalog::mcp_slug(&mut tx, id).await?.ok_or(AppError::NotFound)?,
        Err(_) => req.server_id.clone(),
    };
    let app = match req.application_id {
        Some(app) => app,
        None => {
            let name = format!("MCP · {slug}");
            let existing: Option<Uuid> = crate::db::applications::named(&mut tx, user.id, &name).await?;
            match existing {
                Some(id) => id,
                None => {
                    let new = crate::db::applications::NewApp {
                        tenant_id: &user.tenant_id,
                        owner_id: user.id,
                        name: &name,
                        description: "Created for an MCP subscription.",
                        security_profile: "api_key",
                        redirect_uris: &[],
                    };
                    crate::service::applications::save_in(&mut tx, user, None, &new).await?
                }
            }
        }
    };
    let request = SubscribeRequest {
        kind: Kind::Mcp,
        tenant: None,
        slug: &slug,
        application: app,
        plan: req.plan.as_deref(),
        tools: &req.requested_tools,
        ttl_days: req.ttl_days,
    };
    let done = subscribe_in(&mut tx, user, &request).await?;
    let issued = crate::service::applications::issue_in(&mut tx, user, app, None).await?;
    let info = db::list(&mut tx, Filter::One { id: done.id, owner: user.id }, 1)
        .await?
        .pop()
        .ok_or(AppError::Internal)?;
    crate::keycache::commit(tx).await?;
    Ok((info, issued))
}

/// A new key for an MCP subscription's application; the previous one keeps working
/// for `grace`.
pub async fn mcp_rotate_key(
    pool: &sqlx::PgPool,
    user: &CurrentUser,
    id: Uuid,
    grace: crate::domain::credential::GraceHours,
) -> Result<IssuedSecret, AppError> {
    let mut tx = scope::begin(pool, Scope::Tenant(&user.tenant_id)).await?;
    let l = db::lock_for_subscriber(&mut tx, id, user.id).await?.ok_or(AppError::NotFound)?;
    if l.kind != "mcp" {
        return Err(AppError::NotFound);
    }
    if !State::parse(&l.state).is_some_and(State::is_live) {
        return Err(AppError::Conflict { code: "not-live".into() });
    }
    let current: Option<Uuid> = crate::db::applications::current_api_key(&mut tx, l.application_id).await?;
    let issued = match current {
        Some(key) => {
            crate::service::applications::rotate_in(&mut tx, user, Some(l.application_id), key, grace).await?
        }
        None => crate::service::applications::issue_in(&mut tx, user, l.application_id, None).await?,
    };
    let from = State::parse(&l.state).unwrap_or(State::Active);
    let mut data = locked_data(&l, from, "rotate-key", None);
    data["grace_hours"] = json!(grace.hours());
    record(
        &mut tx,
        Some(user),
        types::SUBSCRIPTION_KEY_ROTATED,
        actions::SUBSCRIPTION_KEY_ROTATED,
        id,
        &l.api_tenant_id,
        data,
    )
    .await?;
    crate::keycache::commit(tx).await?;
    Ok(issued)
}

/// `DELETE /v1/mcp/subscriptions/{id}`: the subscriber cancels.
pub async fn mcp_cancel(pool: &sqlx::PgPool, user: &CurrentUser, id: Uuid) -> Result<(), AppError> {
    let mut tx = scope::begin(pool, Scope::Tenant(&user.tenant_id)).await?;
    cancel_in(&mut tx, user, id, Some(Kind::Mcp)).await?;
    crate::keycache::commit(tx).await?;
    Ok(())
}

/// Expires active subscriptions whose end has come (the platform's own action, run
/// by a background task); returns how many.
pub async fn expire_due(pool: &sqlx::PgPool) -> Result<usize, AppError> {
    let mut tx = scope::begin(pool, Scope::Platform).await?;
    let due = db::expire_due(&mut tx).await?;
    for l in &due {
        let data = locked_data(l, State::Expired, "expire", None);
        record(
            &mut tx,
            None,
            Action::Expire.event_type(),
            Action::Expire.audit_action(),
            l.id,
            &l.api_tenant_id,
            data,
        )
        .await?;
    }
    crate::keycache::commit(tx).await?;
    Ok(due.len())
}

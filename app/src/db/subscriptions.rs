//! Subscriptions: an application's access to an API (with a plan) or an MCP server (with
//! tools). A row names two tenants — the subscriber's application and the entry's owner —
//! and both see it under row-level security; who may *decide* is narrowed here, by the
//! entry's tenant.

use crate::db::rfc3339;
use crate::domain::catalog::Kind;
use crate::domain::subscription::State;
use crate::model::subscriptions::SubscriptionInfo;
use chrono::{DateTime, Utc};
use sqlx::{PgConnection, QueryBuilder};
use uuid::Uuid;

/// A subscription about to be stored.
pub struct NewSubscription<'a> {
    pub app_tenant_id: &'a str,
    pub application_id: Uuid,
    pub subscriber_id: Uuid,
    pub api_tenant_id: &'a str,
    pub item_id: Uuid,
    pub plan_id: Option<Uuid>,
    pub requested_tools: &'a [String],
    pub state: State,
    pub expires_at: Option<DateTime<Utc>>,
}

/// Stores a subscription; the `subscriptions_live` index refuses a second live one for
/// the same application, entry and plan.
pub async fn insert(db: &mut PgConnection, s: &NewSubscription<'_>) -> Result<Uuid, sqlx::Error> {
    let id = Uuid::now_v7();
    sqlx::query(
        "INSERT INTO subscriptions (id, app_tenant_id, application_id, subscriber_id, api_tenant_id, item_id,
                                    plan_id, requested_tools, state, expires_at, decided_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, CASE WHEN $9 = 'active' THEN now() END)",
    )
    .bind(id)
    .bind(s.app_tenant_id)
    .bind(s.application_id)
    .bind(s.subscriber_id)
    .bind(s.api_tenant_id)
    .bind(s.item_id)
    .bind(s.plan_id)
    .bind(s.requested_tools)
    .bind(s.state.as_str())
    .bind(s.expires_at)
    .execute(db)
    .await?;
    Ok(id)
}

/// A plan as a subscription needs it.
#[derive(sqlx::FromRow)]
pub struct PlanTerms {
    pub id: Uuid,
    pub slug: String,
    pub requires_approval: bool,
    pub auto_approve_roles: Vec<String>,
    pub max_ttl_days: Option<i32>,
    /// `active` or `archived`.
    pub status: String,
}

/// A plan of `tenant` by slug (archived ones only to the tenant's own scope).
pub async fn plan(db: &mut PgConnection, tenant: &str, slug: &str) -> Result<Option<PlanTerms>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, slug, requires_approval, auto_approve_roles, max_ttl_days, status FROM plans
         WHERE tenant_id = $1 AND slug = $2",
    )
    .bind(tenant)
    .bind(slug)
    .fetch_optional(db)
    .await
}

/// What a decision or a subscriber's action needs of a subscription, locked until the
/// transaction ends: two callers deciding at once are served one after the other, and
/// the second sees the first one's state.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Locked {
    pub id: Uuid,
    pub state: String,
    pub application_id: Uuid,
    pub subscriber_id: Uuid,
    pub app_tenant_id: String,
    pub api_tenant_id: String,
    pub api: String,
    pub kind: String,
    pub plan: Option<String>,
    pub max_ttl_days: Option<i32>,
    pub expires_at: Option<DateTime<Utc>>,
    pub item_id: Uuid,
    /// Whether every subscription to the entry waits for an approver.
    pub entry_requires_approval: bool,
    /// The plan a move waits for, if any.
    pub requested_plan_id: Option<Uuid>,
    pub requested_plan: Option<String>,
}

const LOCKED: &str =
    "SELECT s.id, s.state, s.application_id, s.subscriber_id, s.app_tenant_id, s.api_tenant_id,
        i.tenant_id || '/' || i.slug AS api, i.kind, p.slug AS plan, p.max_ttl_days, s.expires_at, s.item_id,
        i.requires_approval AS entry_requires_approval, s.requested_plan_id, (SELECT rp.slug FROM plans rp WHERE rp.id = s.requested_plan_id) AS requested_plan
 FROM subscriptions s JOIN catalog_items i ON i.id = s.item_id LEFT JOIN plans p ON p.id = s.plan_id";

/// Subscriptions among `ids` that approvers of `tenant` decide (`None`: every tenant),
/// locked in id order (so that two bulk decisions cannot deadlock).
pub async fn lock_for_approver(
    db: &mut PgConnection,
    ids: &[Uuid],
    tenant: Option<&str>,
) -> Result<Vec<Locked>, sqlx::Error> {
    let mut b = QueryBuilder::new(LOCKED);
    b.push(" WHERE s.id = ANY(").push_bind(ids).push(")");
    if let Some(t) = tenant {
        b.push(" AND s.api_tenant_id = ").push_bind(t);
    }
    b.push(" ORDER BY s.id FOR UPDATE OF s");
    b.build_query_as().fetch_all(db).await
}

/// A subscription of one of `owner`'s applications, locked.
pub async fn lock_for_subscriber(
    db: &mut PgConnection,
    id: Uuid,
    owner: Uuid,
) -> Result<Option<Locked>, sqlx::Error> {
    let mut b = QueryBuilder::new(LOCKED);
    b.push(" JOIN applications a ON a.id = s.application_id WHERE s.id = ")
        .push_bind(id)
        .push(" AND a.owner_id = ")
        .push_bind(owner)
        .push(" FOR UPDATE OF s");
    b.build_query_as().fetch_optional(db).await
}

/// Puts a locked subscription on `plan` (any waiting move is settled); `false` when the
/// application already has a live subscription to the entry with that plan.
pub async fn set_plan(db: &mut PgConnection, id: Uuid, plan: Uuid) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE subscriptions s SET plan_id = $2, requested_plan_id = NULL, plan_requested_at = NULL, updated_at = now()
         WHERE s.id = $1 AND NOT EXISTS (
             SELECT 1 FROM subscriptions o WHERE o.application_id = s.application_id AND o.item_id = s.item_id
               AND o.plan_id = $2 AND o.id <> s.id AND o.state IN ('pending', 'active', 'suspended'))",
    )
    .bind(id)
    .bind(plan)
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Notes (or, with `None`, forgets) a move to `plan` waiting for an approver.
pub async fn request_plan(db: &mut PgConnection, id: Uuid, plan: Option<Uuid>) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE subscriptions SET requested_plan_id = $2,
                plan_requested_at = CASE WHEN $2::uuid IS NULL THEN NULL ELSE now() END, updated_at = now()
         WHERE id = $1",
    )
    .bind(id)
    .bind(plan)
    .execute(db)
    .await?;
    Ok(())
}

/// Moves a locked subscription to `to`, noting who decided and why.
pub async fn set_state(
    db: &mut PgConnection,
    id: Uuid,
    to: State,
    reason: Option<&str>,
    decided_by: Option<Uuid>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE subscriptions SET state = $2, reason = coalesce($3, reason), decided_by = coalesce($4, decided_by),
                decided_at = CASE WHEN $4 IS NULL THEN decided_at ELSE now() END, updated_at = now()
         WHERE id = $1",
    )
    .bind(id)
    .bind(to.as_str())
    .bind(reason)
    .bind(decided_by)
    .execute(db)
    .await?;
    Ok(())
}

/// Sets a subscription's end.
pub async fn set_expiry(
    db: &mut PgConnection,
    id: Uuid,
    expires_at: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE subscriptions SET expires_at = $2, updated_at = now() WHERE id = $1")
        .bind(id)
        .bind(expires_at)
        .execute(db)
        .await?;
    Ok(())
}

/// Which subscriptions a listing shows.
pub enum Filter<'a> {
    /// Those of one application (its owner's page).
    Application(Uuid),
    /// Those of one user's applications (REST, MCP subscriptions).
    Subscriber { owner: Uuid, kind: Option<&'a str> },
    /// Those an approver of `tenant` decides (`None`: every tenant), in `state` if given.
    Queue { tenant: Option<&'a str>, state: Option<State> },
    /// One, by id, if one of `owner`'s applications holds it.
    One { id: Uuid, owner: Uuid },
    /// Active ones of `tenant`'s entries (`None`: every tenant) with a move to another
    /// plan waiting for an approver.
    PlanChanges { tenant: Option<&'a str> },
}

/// Subscriptions as pages and REST show them, newest first (the queue: oldest first).
/// The queue joins the subscribers' applications, which live in other tenants: call it in
/// the platform scope; the filter names the tenant.
pub async fn list(
    db: &mut PgConnection,
    filter: Filter<'_>,
    limit: i64,
) -> Result<Vec<SubscriptionInfo>, sqlx::Error> {
    #[derive(sqlx::FromRow)]
    struct Row {
        id: Uuid,
        application_id: Uuid,
        application_name: String,
        subscriber_name: String,
        app_tenant_id: String,
        api_tenant_id: String,
        kind: String,
        slug: String,
        item_name: String,
        item_id: Uuid,
        plan_slug: Option<String>,
        plan_name: Option<String>,
        requested_plan_slug: Option<String>,
        requested_plan_name: Option<String>,
        max_ttl_days: Option<i32>,
        tools: Vec<String>,
        state: String,
        reason: Option<String>,
        expires_at: Option<DateTime<Utc>>,
        created_at: DateTime<Utc>,
        decided_at: Option<DateTime<Utc>>,
    }
    let mut b = QueryBuilder::new(
        "SELECT s.id, s.application_id, a.name AS application_name, u.display_name AS subscriber_name,
                s.app_tenant_id, s.api_tenant_id, i.kind, i.slug, i.name AS item_name, i.id AS item_id,
                p.slug AS plan_slug, p.name AS plan_name, rp.slug AS requested_plan_slug,
                rp.name AS requested_plan_name, p.max_ttl_days, s.requested_tools AS tools, s.state,
                s.reason, s.expires_at, s.created_at, s.decided_at
         FROM subscriptions s JOIN applications a ON a.id = s.application_id JOIN users u ON u.id = s.subscriber_id
         JOIN catalog_items i ON i.id = s.item_id LEFT JOIN plans p ON p.id = s.plan_id
         LEFT JOIN plans rp ON rp.id = s.requested_plan_id WHERE ",
    );
    let oldest_first = matches!(filter, Filter::Queue { .. } | Filter::PlanChanges { .. });
    match filter {
        Filter::Application(app) => {
            b.push("s.application_id = ").push_bind(app);
        }
        Filter::Subscriber { owner, kind } => {
            b.push("a.owner_id = ").push_bind(owner);
            if let Some(kind) = kind {
                b.push(" AND i.kind = ").push_bind(kind.to_owned());
            }
        }
        Filter::Queue { tenant, state } => {
            b.push("true");
            if let Some(t) = tenant {
                b.push(" AND s.api_tenant_id = ").push_bind(t.to_owned());
            }
            if let Some(state) = state {
                b.push(" AND s.state = ").push_bind(state.as_str());
            }
        }
        Filter::PlanChanges { tenant } => {
            b.push("s.requested_plan_id IS NOT NULL AND s.state = 'active'");
            if let Some(t) = tenant {
                b.push(" AND s.api_tenant_id = ").push_bind(t.to_owned());
            }
        }
        Filter::One { id, owner } => {
            b.push("s.id = ").push_bind(id).push(" AND a.owner_id = ").push_bind(owner);
        }
    }
    b.push(if oldest_first { " ORDER BY s.created_at, s.id" } else { " ORDER BY s.created_at DESC, s.id" });
    b.push(" LIMIT ").push_bind(limit);
    let rows: Vec<Row> = b.build_query_as().fetch_all(db).await?;
    rows.into_iter()
        .map(|r| {
            Ok(SubscriptionInfo {
                id: r.id,
                application_id: r.application_id,
                application_name: r.application_name,
                subscriber_name: r.subscriber_name,
                app_tenant_id: r.app_tenant_id,
                api_tenant_id: r.api_tenant_id,
                kind: crate::db::decode(&r.kind, Kind::parse)?,
                slug: r.slug,
                item_name: r.item_name,
                item_id: r.item_id,
                plan_slug: r.plan_slug,
                plan_name: r.plan_name,
                requested_plan_slug: r.requested_plan_slug,
                requested_plan_name: r.requested_plan_name,
                plan_choices: Vec::new(),
                max_ttl_days: r.max_ttl_days,
                tools: r.tools,
                state: crate::db::decode(&r.state, State::parse)?,
                reason: r.reason,
                expires_at: r.expires_at.map(rfc3339),
                created_at: rfc3339(r.created_at),
                decided_at: r.decided_at.map(rfc3339),
            })
        })
        .collect()
}

/// Pending subscriptions per API tenant (the bell of approvers counts them too).
pub async fn pending_count(db: &mut PgConnection, tenant: Option<&str>) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT count(*) FROM subscriptions WHERE state = 'pending' AND ($1::text IS NULL OR api_tenant_id = $1)",
    )
    .bind(tenant)
    .fetch_one(db)
    .await
}

/// Active subscriptions whose end has come, moved to `expired` (platform scope).
pub async fn expire_due(db: &mut PgConnection) -> Result<Vec<Locked>, sqlx::Error> {
    let due: Vec<Locked> = sqlx::query_as(&format!(
        "{LOCKED} WHERE s.state = 'active' AND s.expires_at <= now() ORDER BY s.id FOR UPDATE OF s SKIP LOCKED LIMIT 500"
    ))
    .fetch_all(&mut *db)
    .await?;
    let ids: Vec<Uuid> = due.iter().map(|d| d.id).collect();
    sqlx::query("UPDATE subscriptions SET state = 'expired', updated_at = now() WHERE id = ANY($1)")
        .bind(&ids)
        .execute(db)
        .await?;
    Ok(due)
}

/// Revokes an application's live subscriptions (it is being deleted); returns each one
/// with the tenant of its entry.
pub async fn revoke_for_application(
    db: &mut PgConnection,
    app: Uuid,
) -> Result<Vec<(Uuid, String)>, sqlx::Error> {
    sqlx::query_as(
        "UPDATE subscriptions SET state = 'revoked', reason = 'application deleted', updated_at = now()
         WHERE application_id = $1 AND state IN ('pending', 'active', 'suspended')
         RETURNING id, api_tenant_id",
    )
    .bind(app)
    .fetch_all(db)
    .await
}

/// Whether `application` holds a suspended subscription to the entry `item` (why a key
/// without an active one is refused).
pub async fn is_suspended(db: &mut PgConnection, application: Uuid, item: Uuid) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM subscriptions WHERE application_id = $1 AND item_id = $2 AND state = 'suspended')",
    )
    .bind(application)
    .bind(item)
    .fetch_one(db)
    .await
}

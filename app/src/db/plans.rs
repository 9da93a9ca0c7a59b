//! Plans: what a subscription allows (rates, quotas) and whether it needs approval.

use crate::domain::catalog::{Audience, Kind};
use crate::domain::plan::{EntryRef, PlanDraft, PlanStatus};
use crate::model::plans::{ManagedPlan, OfferableEntry, PlanSubscription};
use sqlx::PgConnection;
use uuid::Uuid;

/// A plan as its tenant defines it.
pub struct NewPlan<'a> {
    pub tenant_id: &'a str,
    pub slug: &'a str,
    pub name: &'a str,
    pub description: &'a str,
    pub rate_per_second: Option<i32>,
    pub rate_per_minute: Option<i32>,
    pub daily_quota: Option<i32>,
    pub monthly_quota: Option<i32>,
    pub requires_approval: bool,
    pub auto_approve_roles: &'a [&'a str],
}

impl<'a> NewPlan<'a> {
    /// The plan a new tenant starts with: `default`, no limits, no approval.
    pub fn starting(tenant_id: &'a str) -> NewPlan<'a> {
        NewPlan {
            tenant_id,
            slug: "default",
            name: "Default",
            description: "Every API of the tenant, without limits or approval.",
            rate_per_second: None,
            rate_per_minute: None,
            daily_quota: None,
            monthly_quota: None,
            requires_approval: false,
            auto_approve_roles: &[],
        }
    }
}

/// Creates or updates a plan; returns its id.
pub async fn upsert(db: &mut PgConnection, plan: &NewPlan<'_>) -> Result<Uuid, sqlx::Error> {
    let roles: Vec<String> = plan.auto_approve_roles.iter().map(|r| (*r).to_owned()).collect();
    sqlx::query_scalar(
        "INSERT INTO plans (id, tenant_id, slug, name, description, rate_per_second, rate_per_minute,
                            daily_quota, monthly_quota, requires_approval, auto_approve_roles)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
         ON CONFLICT (tenant_id, slug) DO UPDATE
            SET name = EXCLUDED.name, description = EXCLUDED.description,
                rate_per_second = EXCLUDED.rate_per_second, rate_per_minute = EXCLUDED.rate_per_minute,
                daily_quota = EXCLUDED.daily_quota, monthly_quota = EXCLUDED.monthly_quota,
                requires_approval = EXCLUDED.requires_approval, auto_approve_roles = EXCLUDED.auto_approve_roles
         RETURNING id",
    )
    .bind(Uuid::now_v7())
    .bind(plan.tenant_id)
    .bind(plan.slug)
    .bind(plan.name)
    .bind(plan.description)
    .bind(plan.rate_per_second)
    .bind(plan.rate_per_minute)
    .bind(plan.daily_quota)
    .bind(plan.monthly_quota)
    .bind(plan.requires_approval)
    .bind(&roles)
    .fetch_one(db)
    .await
}

/// Which plans a visitor may see of a tenant's (the catalog's audience rule, decided
/// by `domain::catalog::Viewer::sees` for the plan's tenant).
#[derive(Clone, Copy, Debug)]
pub struct Seen {
    pub internal: bool,
    pub partner: bool,
}

impl Seen {
    pub fn by(viewer: &crate::domain::catalog::Viewer, tenant: &str) -> Seen {
        use crate::domain::catalog::Audience;
        Seen {
            internal: viewer.sees(tenant, Audience::Internal),
            partner: viewer.sees(tenant, Audience::Partner),
        }
    }
}

/// The active plans an entry offers to a visitor, as subscribers compare them: the ones
/// without approval first, then by monthly quota.
pub async fn offered(
    db: &mut PgConnection,
    item: Uuid,
    seen: Seen,
) -> Result<Vec<crate::model::catalog::PlanInfo>, sqlx::Error> {
    sqlx::query_as(
        "SELECT p.slug, p.name, p.description, p.rate_per_second, p.rate_per_minute, p.daily_quota,
                p.monthly_quota, p.requires_approval
         FROM plans p JOIN catalog_items i ON i.tenant_id = p.tenant_id AND i.id = $1
         WHERE p.status = 'active'
           AND (p.everywhere OR EXISTS (SELECT 1 FROM plan_offers o WHERE o.plan_id = p.id AND o.item_id = i.id))
           AND (p.audience = 'public' OR (p.audience = 'internal' AND $2) OR (p.audience = 'partner' AND $3))
         ORDER BY p.requires_approval, coalesce(p.monthly_quota, 0), p.slug",
    )
    .bind(item)
    .bind(seen.internal)
    .bind(seen.partner)
    .fetch_all(db)
    .await
}

#[derive(sqlx::FromRow)]
struct Row {
    id: Uuid,
    tenant_id: String,
    slug: String,
    name: String,
    description: String,
    rate_per_second: Option<i32>,
    rate_per_minute: Option<i32>,
    daily_quota: Option<i32>,
    monthly_quota: Option<i32>,
    requires_approval: bool,
    auto_approve_roles: Vec<String>,
    max_ttl_days: Option<i32>,
    audience: String,
    everywhere: bool,
    status: String,
    updated_at: chrono::DateTime<chrono::Utc>,
    subscriptions: i64,
    offered_on: Vec<String>,
}

impl From<Row> for ManagedPlan {
    fn from(r: Row) -> ManagedPlan {
        ManagedPlan {
            id: r.id,
            tenant_id: r.tenant_id,
            status: PlanStatus::parse(&r.status).unwrap_or(PlanStatus::Archived),
            terms: PlanDraft {
                slug: r.slug,
                name: r.name,
                description: r.description,
                rate_per_second: r.rate_per_second.map(i64::from),
                rate_per_minute: r.rate_per_minute.map(i64::from),
                daily_quota: r.daily_quota.map(i64::from),
                monthly_quota: r.monthly_quota.map(i64::from),
                requires_approval: r.requires_approval,
                auto_approve_roles: r.auto_approve_roles,
                max_ttl_days: r.max_ttl_days.map(i64::from),
                audience: Audience::parse(&r.audience).unwrap_or(Audience::Public),
                everywhere: r.everywhere,
                offered_on: r.offered_on.iter().filter_map(|v| EntryRef::from_form_value(v)).collect(),
            },
            subscriptions: r.subscriptions,
            updated_at: crate::db::rfc3339(r.updated_at),
        }
    }
}

const MANAGED: &str =
    "SELECT p.id, p.tenant_id, p.slug, p.name, p.description, p.rate_per_second, p.rate_per_minute,
        p.daily_quota, p.monthly_quota, p.requires_approval, p.auto_approve_roles, p.max_ttl_days, p.audience,
        p.everywhere, p.status, p.updated_at,
        (SELECT count(*) FROM subscriptions s
         WHERE s.plan_id = p.id AND s.state IN ('pending', 'active', 'suspended')) AS subscriptions,
        ARRAY(SELECT i.kind || '/' || i.slug FROM plan_offers o JOIN catalog_items i ON i.id = o.item_id
              WHERE o.plan_id = p.id ORDER BY 1) AS offered_on
     FROM plans p";

/// The plans of `tenant` (every tenant's: `None`), active first, newest change first.
pub async fn list(db: &mut PgConnection, tenant: Option<&str>) -> Result<Vec<ManagedPlan>, sqlx::Error> {
    let rows: Vec<Row> = sqlx::query_as(&format!(
        "{MANAGED} WHERE ($1::text IS NULL OR p.tenant_id = $1)
         ORDER BY p.status, p.tenant_id, p.updated_at DESC, p.slug LIMIT 500"
    ))
    .bind(tenant)
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(ManagedPlan::from).collect())
}

/// One plan by id, if the transaction's scope may see it and it belongs to `tenant`
/// (`None`: any tenant).
pub async fn one(
    db: &mut PgConnection,
    id: Uuid,
    tenant: Option<&str>,
) -> Result<Option<ManagedPlan>, sqlx::Error> {
    let row: Option<Row> =
        sqlx::query_as(&format!("{MANAGED} WHERE p.id = $1 AND ($2::text IS NULL OR p.tenant_id = $2)"))
            .bind(id)
            .bind(tenant)
            .fetch_optional(db)
            .await?;
    Ok(row.map(ManagedPlan::from))
}

/// Locks a plan for a change (two admins saving at once are served one after the other).
pub async fn lock(
    db: &mut PgConnection,
    id: Uuid,
    tenant: Option<&str>,
) -> Result<Option<ManagedPlan>, sqlx::Error> {
    let found: Option<Uuid> = sqlx::query_scalar(
        "SELECT id FROM plans WHERE id = $1 AND ($2::text IS NULL OR tenant_id = $2) FOR UPDATE",
    )
    .bind(id)
    .bind(tenant)
    .fetch_optional(&mut *db)
    .await?;
    match found {
        Some(id) => one(db, id, None).await,
        None => Ok(None),
    }
}

/// Whether another plan of `tenant` than `except` has this slug.
pub async fn slug_taken(
    db: &mut PgConnection,
    tenant: &str,
    slug: &str,
    except: Option<Uuid>,
) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM plans WHERE tenant_id = $1 AND slug = $2 AND id IS DISTINCT FROM $3)",
    )
    .bind(tenant)
    .bind(slug)
    .bind(except)
    .fetch_one(db)
    .await
}

/// Writes a checked draft: a new plan of `tenant` (`id` none) or the plan `id`. A slug
/// another plan holds is the caller's to refuse first (the unique index refuses a race).
pub async fn save(
    db: &mut PgConnection,
    tenant: &str,
    id: Option<Uuid>,
    d: &PlanDraft,
) -> Result<Uuid, sqlx::Error> {
    let small = |v: Option<i64>| v.map(|v| i32::try_from(v).unwrap_or(i32::MAX));
    let id = sqlx::query_scalar(
        "INSERT INTO plans (id, tenant_id, slug, name, description, rate_per_second, rate_per_minute, daily_quota,
                            monthly_quota, requires_approval, auto_approve_roles, max_ttl_days, audience, everywhere)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
         ON CONFLICT (id) DO UPDATE
            SET slug = EXCLUDED.slug, name = EXCLUDED.name, description = EXCLUDED.description,
                rate_per_second = EXCLUDED.rate_per_second, rate_per_minute = EXCLUDED.rate_per_minute,
                daily_quota = EXCLUDED.daily_quota, monthly_quota = EXCLUDED.monthly_quota,
                requires_approval = EXCLUDED.requires_approval, auto_approve_roles = EXCLUDED.auto_approve_roles,
                max_ttl_days = EXCLUDED.max_ttl_days, audience = EXCLUDED.audience, everywhere = EXCLUDED.everywhere,
                updated_at = now()
            WHERE plans.tenant_id = EXCLUDED.tenant_id
         RETURNING id",
    )
    .bind(id.unwrap_or_else(Uuid::now_v7))
    .bind(tenant)
    .bind(&d.slug)
    .bind(&d.name)
    .bind(&d.description)
    .bind(small(d.rate_per_second))
    .bind(small(d.rate_per_minute))
    .bind(small(d.daily_quota))
    .bind(small(d.monthly_quota))
    .bind(d.requires_approval)
    .bind(&d.auto_approve_roles)
    .bind(small(d.max_ttl_days))
    .bind(d.audience.as_str())
    .bind(d.everywhere)
    .fetch_one(&mut *db)
    .await?;
    Ok(id)
}

/// Makes `entries` (of the plan's tenant) the ones that offer the plan; answers those
/// that are no entry of the tenant (then the caller rolls back).
pub async fn set_offers(
    db: &mut PgConnection,
    plan: Uuid,
    tenant: &str,
    entries: &[EntryRef],
) -> Result<Vec<EntryRef>, sqlx::Error> {
    sqlx::query("DELETE FROM plan_offers WHERE plan_id = $1").bind(plan).execute(&mut *db).await?;
    let wanted: Vec<String> = entries.iter().map(EntryRef::form_value).collect();
    let found: Vec<String> = sqlx::query_scalar(
        "INSERT INTO plan_offers (plan_id, item_id, tenant_id)
         SELECT $1, i.id, i.tenant_id FROM catalog_items i
         WHERE i.tenant_id = $2 AND (i.kind || '/' || i.slug) = ANY($3)
         RETURNING (SELECT i2.kind || '/' || i2.slug FROM catalog_items i2 WHERE i2.id = item_id)",
    )
    .bind(plan)
    .bind(tenant)
    .bind(&wanted)
    .fetch_all(&mut *db)
    .await?;
    Ok(entries.iter().filter(|e| !found.contains(&e.form_value())).cloned().collect())
}

/// Archives an active plan; `false` when it was archived already.
pub async fn archive(db: &mut PgConnection, id: Uuid) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE plans SET status = 'archived', updated_at = now() WHERE id = $1 AND status = 'active'",
    )
    .bind(id)
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The live subscriptions (active, suspended, pending) with a plan, newest first.
pub async fn subscriptions_of(
    db: &mut PgConnection,
    plan: Uuid,
) -> Result<Vec<PlanSubscription>, sqlx::Error> {
    #[derive(sqlx::FromRow)]
    struct Row {
        id: Uuid,
        application: String,
        owner: String,
        tenant_id: String,
        entry: String,
        state: String,
        since: chrono::DateTime<chrono::Utc>,
    }
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT s.id, a.name AS application, u.display_name AS owner, s.app_tenant_id AS tenant_id,
                i.name AS entry, s.state, s.created_at AS since
         FROM subscriptions s JOIN applications a ON a.id = s.application_id JOIN users u ON u.id = s.subscriber_id
         JOIN catalog_items i ON i.id = s.item_id
         WHERE s.plan_id = $1 AND s.state IN ('pending', 'active', 'suspended')
         ORDER BY s.created_at DESC LIMIT 200",
    )
    .bind(plan)
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| PlanSubscription {
            id: r.id,
            application: r.application,
            owner: r.owner,
            tenant_id: r.tenant_id,
            entry: r.entry,
            state: r.state,
            since: crate::db::rfc3339(r.since),
        })
        .collect())
}

/// The tenant's APIs and MCP servers a plan may be offered on, by name.
pub async fn offerable(db: &mut PgConnection, tenant: &str) -> Result<Vec<OfferableEntry>, sqlx::Error> {
    let rows: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT kind, slug, name FROM catalog_items WHERE tenant_id = $1 ORDER BY kind, lower(name), slug LIMIT 500",
    )
    .bind(tenant)
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(kind, slug, name)| OfferableEntry {
            kind: Kind::parse(&kind).unwrap_or(Kind::Api),
            slug,
            name,
        })
        .collect())
}

/// The demo plans of a tenant: free (no approval) and premium (approval; tenant-admins
/// are approved at once).
pub async fn seed_demo(db: &mut PgConnection, tenant_id: &str) -> Result<(), sqlx::Error> {
    upsert(
        &mut *db,
        &NewPlan {
            tenant_id,
            slug: "free",
            name: "Free",
            description: "For trying things out: 5 requests per second, 1 000 a day.",
            rate_per_second: Some(5),
            rate_per_minute: Some(100),
            daily_quota: Some(1_000),
            monthly_quota: Some(20_000),
            requires_approval: false,
            auto_approve_roles: &[],
        },
    )
    .await?;
    upsert(
        &mut *db,
        &NewPlan {
            tenant_id,
            slug: "premium",
            name: "Premium",
            description: "For production: 100 requests per second, 1 million a month. Needs approval.",
            rate_per_second: Some(100),
            rate_per_minute: Some(5_000),
            daily_quota: Some(100_000),
            monthly_quota: Some(1_000_000),
            requires_approval: true,
            auto_approve_roles: &["tenant-admin"],
        },
    )
    .await?;
    Ok(())
}

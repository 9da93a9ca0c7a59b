//! Plans: what a subscription allows (rates, quotas) and whether it needs approval.

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

/// The active plans of `tenant`, as subscribers compare them: the ones without approval
/// first, then by monthly quota.
pub async fn active_of(
    db: &mut PgConnection,
    tenant: &str,
) -> Result<Vec<crate::model::catalog::PlanInfo>, sqlx::Error> {
    sqlx::query_as(
        "SELECT slug, name, description, rate_per_second, rate_per_minute, daily_quota, monthly_quota, requires_approval
         FROM plans WHERE tenant_id = $1 AND status = 'active'
         ORDER BY requires_approval, coalesce(monthly_quota, 0), slug",
    )
    .bind(tenant)
    .fetch_all(db)
    .await
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

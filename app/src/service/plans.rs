//! Plans (issue 33): a tenant's team defines them (tenant-admins change them, devops
//! read them); an entry offers them to subscribers. A change to an active
//! plan's limits reaches every replica's gateway with the key cache's announcement and
//! is told to the plan's subscribers (the `plan-updated` event).

use crate::auth::CurrentUser;
use crate::db::plans as db;
use crate::db::scope::{self, Visibility};
use crate::domain::event::{actions, types, Topic};
use crate::domain::permission::Permission;
use crate::domain::plan::{PlanDraft, PlanStatus};
use crate::error::{AppError, FieldError};
use crate::model::plans::{ManagedPlan, PlanPage, PlansPage};
use crate::service::journal::{self, Actor, Entry};
use uuid::Uuid;

/// `/console/plans` of the caller's tenant (a platform admin may name another).
pub async fn page(
    pool: &sqlx::PgPool,
    user: &CurrentUser,
    tenant: Option<&str>,
) -> Result<PlansPage, AppError> {
    user.must(Permission::ReadPlans)?;
    let tenant = tenant_for(user, tenant)?;
    let mut tx = scope::begin(pool, scope::Scope::Tenant(&tenant)).await?;
    let plans = db::list(&mut tx, Some(&tenant)).await?;
    let entries = db::offerable(&mut tx, &tenant).await?;
    tx.commit().await?;
    Ok(PlansPage { tenant_id: tenant, plans, may_manage: user.may(Permission::ManagePlans), entries })
}

/// The plans the caller may read: their tenant's, every tenant's for a platform admin
/// (`tenant` narrows it).
pub async fn list(
    pool: &sqlx::PgPool,
    user: &CurrentUser,
    tenant: Option<&str>,
) -> Result<Vec<ManagedPlan>, AppError> {
    user.must(Permission::ReadPlans)?;
    let visibility = Visibility::of(user);
    let tenant = match (visibility, tenant) {
        (Visibility::Every, t) => t.map(str::to_owned),
        (Visibility::Tenant(own), None) => Some(own.to_owned()),
        (Visibility::Tenant(own), Some(t)) if t == own => Some(own.to_owned()),
        (Visibility::Tenant(_), Some(_)) => return Err(AppError::Forbidden),
    };
    let mut tx = scope::begin(pool, visibility.scope()).await?;
    let plans = db::list(&mut tx, tenant.as_deref()).await?;
    tx.commit().await?;
    Ok(plans)
}

/// One plan with the subscriptions that use it; another tenant's is not found.
pub async fn get(pool: &sqlx::PgPool, user: &CurrentUser, id: Uuid) -> Result<PlanPage, AppError> {
    user.must(Permission::ReadPlans)?;
    let visibility = Visibility::of(user);
    let mut tx = scope::begin(pool, visibility.scope()).await?;
    let plan = db::one(&mut tx, id, visibility.tenant()).await?.ok_or(AppError::NotFound)?;
    let subscriptions = db::subscriptions_of(&mut tx, id).await?;
    let entries = db::offerable(&mut tx, &plan.tenant_id).await?;
    tx.commit().await?;
    Ok(PlanPage { plan, subscriptions, may_manage: user.may(Permission::ManagePlans), entries })
}

/// The tenant a plan is made in: the caller's own, or the one a platform admin names.
fn tenant_for(user: &CurrentUser, asked: Option<&str>) -> Result<String, AppError> {
    match asked.map(str::trim).filter(|t| !t.is_empty()) {
        None => Ok(user.tenant_id.clone()),
        Some(t) if t == user.tenant_id => Ok(user.tenant_id.clone()),
        Some(t) if user.may(Permission::ActAcrossTenants) => Ok(t.to_owned()),
        Some(_) => Err(AppError::Forbidden),
    }
}

/// The draft checked against the rules and the tenant (slug free, entries its own).
async fn checked(
    tx: &mut sqlx::PgConnection,
    tenant: &str,
    id: Option<Uuid>,
    draft: PlanDraft,
) -> Result<PlanDraft, AppError> {
    let draft = draft.normalized();
    let mut errors = draft.problems();
    if errors.iter().all(|e| e.field != "slug") && db::slug_taken(&mut *tx, tenant, &draft.slug, id).await? {
        errors.push(FieldError::new("slug", "slug-taken"));
    }
    if errors.is_empty() {
        // As it is stored: a plan offered everywhere lists no entry.
        Ok(PlanDraft { offered_on: draft.offers().to_vec(), ..draft })
    } else {
        Err(AppError::Validation(errors))
    }
}

/// Writes the plan and its offers; an entry that is not the tenant's refuses it all.
async fn write(
    tx: &mut sqlx::PgConnection,
    tenant: &str,
    id: Option<Uuid>,
    draft: &PlanDraft,
) -> Result<Uuid, AppError> {
    let id = db::save(&mut *tx, tenant, id, draft).await.map_err(|e| match e {
        // Two saves of one slug at once: the unique index refuses the second.
        sqlx::Error::Database(ref d) if d.code().as_deref() == Some("23505") => {
            AppError::field("slug", "slug-taken")
        }
        e => AppError::from(e),
    })?;
    let unknown = db::set_offers(&mut *tx, id, tenant, draft.offers()).await?;
    if let Some(first) = unknown.first() {
        return Err(AppError::Validation(vec![FieldError {
            detail: Some(first.form_value()),
            ..FieldError::new("offered_on", "unknown-entry")
        }]));
    }
    Ok(id)
}

fn data(plan: &ManagedPlan, limits_changed: bool) -> serde_json::Value {
    let t = &plan.terms;
    serde_json::json!({
        "plan": plan.id, "slug": t.slug, "name": t.name, "status": plan.status.as_str(),
        "rate_per_second": t.rate_per_second, "rate_per_minute": t.rate_per_minute,
        "daily_quota": t.daily_quota, "monthly_quota": t.monthly_quota,
        "requires_approval": t.requires_approval, "limits_changed": limits_changed,
    })
}

async fn journal(
    tx: &mut sqlx::PgConnection,
    user: &CurrentUser,
    plan: &ManagedPlan,
    (event_type, action): (&str, &str),
    limits_changed: bool,
) -> Result<(), AppError> {
    let id = plan.id.to_string();
    journal::write(
        tx,
        Actor::User(user),
        Entry {
            topic: Topic::ApiLifecycle,
            event_type,
            tenant: &plan.tenant_id,
            subject: format!("plans/{}", plan.id),
            action,
            id: &id,
            data: data(plan, limits_changed),
            detail: None,
        },
    )
    .await
}

/// Creates a plan in the caller's tenant (or the one a platform admin names).
pub async fn create(
    pool: &sqlx::PgPool,
    user: &CurrentUser,
    tenant: Option<&str>,
    draft: PlanDraft,
) -> Result<ManagedPlan, AppError> {
    user.must(Permission::ManagePlans)?;
    let tenant = tenant_for(user, tenant)?;
    let mut tx = scope::begin(pool, scope::Scope::Tenant(&tenant)).await?;
    if crate::db::tenants::name(&mut *tx, &tenant).await?.is_none() {
        return Err(AppError::field("tenant", "unknown-tenant"));
    }
    let draft = checked(&mut tx, &tenant, None, draft).await?;
    let id = write(&mut tx, &tenant, None, &draft).await?;
    let plan = db::one(&mut tx, id, None).await?.ok_or(AppError::Internal)?;
    journal(&mut tx, user, &plan, (types::PLAN_CREATED, actions::PLAN_CREATED), false).await?;
    tx.commit().await?;
    Ok(plan)
}

/// Changes a plan. New limits apply to its subscriptions from their next window: every
/// replica's key cache forgets what it holds when this commits, and the subscribers hear
/// of it. An archived plan can be edited too (its subscriptions keep running).
pub async fn update(
    pool: &sqlx::PgPool,
    user: &CurrentUser,
    id: Uuid,
    draft: PlanDraft,
) -> Result<ManagedPlan, AppError> {
    user.must(Permission::ManagePlans)?;
    let visibility = Visibility::of(user);
    let mut tx = scope::begin(pool, visibility.scope()).await?;
    let before = db::lock(&mut tx, id, visibility.tenant()).await?.ok_or(AppError::NotFound)?;
    let tenant = before.tenant_id.clone();
    let draft = checked(&mut tx, &tenant, Some(id), draft).await?;
    if draft == before.terms {
        tx.commit().await?;
        return Ok(before);
    }
    write(&mut tx, &tenant, Some(id), &draft).await?;
    let plan = db::one(&mut tx, id, None).await?.ok_or(AppError::Internal)?;
    let limits_changed = before.terms.limits_differ(&draft) && before.subscriptions > 0;
    journal(&mut tx, user, &plan, (types::PLAN_UPDATED, actions::PLAN_UPDATED), limits_changed).await?;
    crate::keycache::commit(tx).await?;
    Ok(plan)
}

/// Archives a plan: no new subscriptions; the existing ones keep running. Archiving an
/// archived plan changes nothing.
pub async fn archive(pool: &sqlx::PgPool, user: &CurrentUser, id: Uuid) -> Result<ManagedPlan, AppError> {
    user.must(Permission::ManagePlans)?;
    let visibility = Visibility::of(user);
    let mut tx = scope::begin(pool, visibility.scope()).await?;
    let before = db::lock(&mut tx, id, visibility.tenant()).await?.ok_or(AppError::NotFound)?;
    if before.status == PlanStatus::Archived {
        tx.commit().await?;
        return Ok(before);
    }
    db::archive(&mut tx, id).await?;
    let plan = db::one(&mut tx, id, None).await?.ok_or(AppError::Internal)?;
    journal(&mut tx, user, &plan, (types::PLAN_ARCHIVED, actions::PLAN_ARCHIVED), false).await?;
    tx.commit().await?;
    Ok(plan)
}

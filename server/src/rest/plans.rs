//! REST: a tenant's plans (devops read them, tenant-admins change them).

use super::*;
use app::domain::plan::PlanDraft;
use app::model::plans::{ManagedPlan, PlanPage};
use app::service::plans;

const READ: Access = Access::Granted(Permission::ReadPlans);
const MANAGE: Access = Access::Granted(Permission::ManagePlans);

fn example() -> Value {
    json!({
        "slug": "gold", "name": "Gold", "description": "For production: **50** calls a second.",
        "rate_per_second": 50, "rate_per_minute": 2000, "daily_quota": 100000, "monthly_quota": 2000000,
        "requires_approval": true, "auto_approve_roles": ["tenant-admin"], "max_ttl_days": 365,
        "audience": "Public", "everywhere": false, "offered_on": [{ "kind": "Api", "slug": "weather-forecast" }]
    })
}

/// This resource's routes, in the order the document lists them.
pub(super) fn routes() -> Vec<(RestRoute, MethodRouter<AppState>)> {
    vec![
        (
            RestRoute::get("/v1/plans", READ, "listPlans")
                .summary("The caller's tenant's plans, archived ones included, each with its live subscriptions' count (a platform admin: every tenant's, or `tenant`'s)")
                .query::<PlanFilter>()
                .ok::<Vec<ManagedPlan>>(),
            get(list),
        ),
        (
            RestRoute::post("/v1/plans", MANAGE, "createPlan")
                .summary("Create a plan in the caller's tenant (a platform admin may name `tenant`); 422 names the field: a per-second rate above the per-minute one, a daily quota above the monthly, a limit under 1, a slug taken (`slug-taken`), an entry that is not the tenant's")
                .query::<PlanFilter>()
                .body::<PlanDraft>(example)
                .created::<ManagedPlan>(),
            post(create),
        ),
        (
            RestRoute::get("/v1/plans/{id}", READ, "getPlan")
                .summary("One plan of the caller's tenant, with the subscriptions that use it (active, suspended, pending)")
                .ok::<PlanPage>(),
            get(one),
        ),
        (
            RestRoute::put("/v1/plans/{id}", MANAGE, "updatePlan")
                .summary("Replace a plan's terms; new limits apply to its subscriptions from their next window, on every gateway replica within seconds, and its subscribers are notified")
                .body::<PlanDraft>(example)
                .ok::<ManagedPlan>(),
            put(update),
        ),
        (
            RestRoute::post("/v1/plans/{id}/archive", MANAGE, "archivePlan")
                .summary("Archive a plan: no new subscriptions; the existing ones keep running (archiving twice changes nothing)")
                .ok::<ManagedPlan>(),
            post(archive),
        ),
    ]
}

/// Which tenant's plans.
#[derive(Deserialize, JsonSchema)]
struct PlanFilter {
    /// A platform admin's choice of tenant (others: their own, 403 for another).
    #[serde(default)]
    #[schemars(length(min = 1, max = 63))]
    tenant: Option<String>,
}

async fn list(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    QueryParams(q): QueryParams<PlanFilter>,
) -> Result<Json<Vec<ManagedPlan>>, AppError> {
    Ok(Json(plans::list(&state.pool, &user, q.tenant.as_deref()).await?))
}

async fn create(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    QueryParams(q): QueryParams<PlanFilter>,
    JsonBody(body): JsonBody<PlanDraft>,
) -> Result<(StatusCode, Json<ManagedPlan>), AppError> {
    Ok((StatusCode::CREATED, Json(plans::create(&state.pool, &user, q.tenant.as_deref(), body).await?)))
}

async fn one(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    params: Params,
) -> Result<Json<PlanPage>, AppError> {
    Ok(Json(plans::get(&state.pool, &user, params.uuid("id")?).await?))
}

async fn update(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    params: Params,
    JsonBody(body): JsonBody<PlanDraft>,
) -> Result<Json<ManagedPlan>, AppError> {
    Ok(Json(plans::update(&state.pool, &user, params.uuid("id")?, body).await?))
}

async fn archive(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    params: Params,
) -> Result<Json<ManagedPlan>, AppError> {
    Ok(Json(plans::archive(&state.pool, &user, params.uuid("id")?).await?))
}

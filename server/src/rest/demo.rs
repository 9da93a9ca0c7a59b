//! REST: the demo tenant's state and its reset, for platform admins.

use super::*;
use app::model::demo::{DemoState, ResetInfo};

const RESET: Access = Access::Granted(Permission::ResetDemo);

/// This resource's routes, in the order the document lists them.
pub(super) fn routes() -> Vec<(RestRoute, MethodRouter<AppState>)> {
    vec![
        (
            RestRoute::get("/v1/admin/demo", RESET, "getDemo")
                .summary("The demo tenant: its reset schedule (cron, UTC), the next scheduled reset, whether a reset runs now, the last resets with what each deleted")
                .ok::<DemoState>(),
            get(demo_state),
        ),
        (
            RestRoute::post("/v1/admin/demo/reset", RESET, "resetDemo")
                .summary("Reset the demo tenant to its dataset now (confirm: true): what visitors created there goes, demo users are signed out; 409 when a reset runs already")
                .body::<ResetRequest>(|| json!({ "confirm": true }))
                .ok::<ResetInfo>()
                .errors(&[409]),
            post(reset_demo),
        ),
    ]
}

async fn demo_state(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
) -> Result<Json<DemoState>, AppError> {
    let schedule = state.config.demo_reset_schedule.as_ref();
    Ok(Json(app::service::demo::reset::state(&state.pool, &user, schedule).await?))
}

/// A reset's confirmation.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct ResetRequest {
    /// Must be true: a reset deletes what visitors made.
    confirm: bool,
}

async fn reset_demo(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    JsonBody(body): JsonBody<ResetRequest>,
) -> Result<Json<ResetInfo>, AppError> {
    Ok(Json(
        app::service::demo::reset::reset_now(
            &state.pool,
            state.config.metering.raw_days,
            &user,
            body.confirm,
        )
        .await?,
    ))
}

//! REST: the audit trail.

use super::*;
use app::model::audit::{AuditPage, AuditQuery};

/// This resource's routes, in the order the document lists them.
pub(super) fn routes() -> Vec<(RestRoute, MethodRouter<AppState>)> {
    vec![(
        RestRoute::get("/v1/audit", Access::Granted(Permission::ReadAudit), "auditTrail")
            .summary(
                "The audit trail, newest first (filters: actor, action, from, to, tenant, page, per_page)",
            )
            .query::<AuditQuery>()
            .ok::<AuditPage>(),
        get(audit),
    )]
}

async fn audit(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    QueryParams(query): QueryParams<AuditQuery>,
) -> Result<Json<AuditPage>, AppError> {
    Ok(Json(app::service::audit::load(&state.pool, &user, &query).await?))
}

//! REST: audit.

use super::*;
use app::model::audit::AuditQuery;

/// This resource's routes, in the order the document lists them.
pub(super) fn routes() -> Vec<(RestRoute, MethodRouter<AppState>)> {
    vec![(
        RestRoute {
            method: "GET",
            path: "/v1/audit",
            access: Access::Granted(Permission::ReadAudit),
            summary:
                "The audit trail, newest first (filters: actor, action, from, to, tenant, page, per_page)",
        },
        get(audit),
    )]
}

async fn audit(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    query: Result<Query<AuditQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<app::model::audit::AuditPage>, AppError> {
    let Query(query) = query.map_err(|_| AppError::BadRequest)?;
    Ok(Json(app::service::audit::load(&state.pool, &user, &query).await?))
}

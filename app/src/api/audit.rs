//! The audit trail, for security auditors and platform admins (`/console/audit`, and
//! `GET /v1/audit` in the REST API, which share the query parsing below).

use crate::error::AppError;
use crate::model::audit::*;
use leptos::prelude::*;

/// The trail, filtered and paginated. Guarded by `ReadAudit`.
#[server(endpoint = "audit_trail")]
pub async fn audit_trail(query: AuditQuery) -> Result<AuditPage, AppError> {
    use crate::domain::permission::Permission;
    let user = crate::auth::require(Permission::ReadAudit)?;
    let state = crate::state::app_state()?;
    crate::service::audit::load(&state.pool, &user, &query).await.map_err(AppError::with_response_status)
}

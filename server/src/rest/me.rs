//! REST: me.

use super::*;

/// This resource's routes, in the order the document lists them.
pub(super) fn routes() -> Vec<(RestRoute, MethodRouter<AppState>)> {
    vec![(
        RestRoute {
            method: "GET",
            path: "/v1/me",
            access: Access::SignedIn,
            summary: "The caller: username, name, tenant and roles",
        },
        get(me),
    )]
}

async fn me(Extension(user): Extension<CurrentUser>) -> Json<Value> {
    let roles: Vec<&str> = user.roles.iter().map(|r| r.as_str()).collect();
    Json(json!({
        "username": user.username,
        "display_name": user.display_name,
        "tenant_id": user.tenant_id,
        "roles": roles,
    }))
}

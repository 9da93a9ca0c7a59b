//! REST: the caller.

use super::*;

/// This resource's routes, in the order the document lists them.
pub(super) fn routes() -> Vec<(RestRoute, MethodRouter<AppState>)> {
    vec![(
        RestRoute::get("/v1/me", Access::SignedIn, "getMe")
            .summary("The caller: username, name, tenant and roles")
            .ok::<Me>(),
        get(me),
    )]
}

/// Who is calling.
#[derive(Serialize, JsonSchema)]
struct Me {
    username: String,
    display_name: String,
    tenant_id: String,
    /// Role codes (`viewer`, `devops`, `tenant-admin`, …).
    roles: Vec<String>,
}

async fn me(Extension(user): Extension<CurrentUser>) -> Json<Me> {
    Json(Me {
        username: user.username,
        display_name: user.display_name,
        tenant_id: user.tenant_id,
        roles: user.roles.iter().map(|r| r.as_str().to_owned()).collect(),
    })
}

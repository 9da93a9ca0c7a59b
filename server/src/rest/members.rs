//! REST: a tenant's members and invitations (tenant-admins), and tenants (platform admins).

use super::*;
use app::model::members::{InvitationInfo, InviteForm, Invited, MembersPage, TenantForm, TenantsPage};
use app::service::members::{self, Delivery};

const MEMBERS: Access = Access::Granted(Permission::ManageMembers);
const TENANTS: Access = Access::Granted(Permission::ManageTenants);

/// This resource's routes, in the order the document lists them.
pub(super) fn routes() -> Vec<(RestRoute, MethodRouter<AppState>)> {
    vec![
        (
            RestRoute::get("/v1/members", MEMBERS, "listMembers")
                .summary("The caller's tenant: its members and its invitations with their status (pending, accepted, expired, revoked)")
                .ok::<MembersPage>(),
            get(list_members),
        ),
        (
            RestRoute::post("/v1/invitations", MEMBERS, "invite")
                .summary("Invite an e-mail address into the caller's tenant with a role; the single-use link (7 days) is mailed through SMTP_URL, else returned once in `link`; 409 `has-account` when the address has an account, `already-invited` when an invitation waits")
                .body::<NewInvitation>(|| json!({ "email": "ann@example.com", "role": "devops", "language": "fr" }))
                .created::<Invited>()
                .errors(&[409]),
            post(invite),
        ),
        (
            RestRoute::post("/v1/invitations/{id}/resend", MEMBERS, "resendInvitation")
                .summary("Send a pending or expired invitation again with a new link valid 7 days (the previous link stops working); 409 once accepted or revoked")
                .ok::<Invited>()
                .errors(&[409]),
            post(resend),
        ),
        (
            RestRoute::post("/v1/invitations/{id}/revoke", MEMBERS, "revokeInvitation")
                .summary("Revoke a pending invitation (confirm: true): its link stops working; 409 once accepted or revoked")
                .body::<Confirmation>(|| json!({ "confirm": true }))
                .ok::<InvitationInfo>()
                .errors(&[409]),
            post(revoke),
        ),
        (
            RestRoute::get("/v1/tenants", TENANTS, "listTenants")
                .summary("Every tenant with its members and open invitations")
                .ok::<TenantsPage>(),
            get(list_tenants),
        ),
        (
            RestRoute::post("/v1/tenants", TENANTS, "createTenant")
                .summary("Create a tenant and invite its first tenant-admin (the invitation is answered, with its link when no e-mail is sent); 409 `slug-taken` or `has-account`")
                .body::<NewTenant>(|| json!({ "slug": "acme", "name": "Acme Corp", "admin_email": "olga@acme.example" }))
                .created::<Invited>()
                .errors(&[409]),
            post(create_tenant),
        ),
    ]
}

async fn list_members(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
) -> Result<Json<MembersPage>, AppError> {
    Ok(Json(members::page(&state.pool, &user, Delivery::of(&state.config)).await?))
}

/// An invitation to make.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct NewInvitation {
    /// The person's e-mail address (without an account on this portal).
    #[schemars(length(min = 3, max = 254), pattern(EMAIL))]
    email: String,
    /// At most the caller's own role (403 otherwise).
    role: InvitedRole,
    /// The language of the e-mail and of the account it makes; English when absent.
    #[serde(default)]
    language: Option<InvitationLanguage>,
}

/// The languages an invitation may be written in.
#[derive(Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
enum InvitationLanguage {
    En,
    Fr,
    De,
    Es,
}

impl InvitationLanguage {
    fn code(&self) -> &'static str {
        match self {
            InvitationLanguage::En => "en",
            InvitationLanguage::Fr => "fr",
            InvitationLanguage::De => "de",
            InvitationLanguage::Es => "es",
        }
    }
}

/// `something@something.tld`, no spaces, no control characters.
const EMAIL: &str = r"^[^@\s\x00-\x1f\x7f-\x9f]+@[^@\s.\x00-\x1f\x7f-\x9f]+(\.[^@\s.\x00-\x1f\x7f-\x9f]+)+$";

/// The roles an invitation may name.
#[derive(Deserialize, JsonSchema)]
enum InvitedRole {
    #[serde(rename = "viewer")]
    Viewer,
    #[serde(rename = "devops")]
    Devops,
    #[serde(rename = "tenant-admin")]
    TenantAdmin,
    #[serde(rename = "stoa.security")]
    Security,
}

impl InvitedRole {
    fn name(&self) -> &'static str {
        match self {
            InvitedRole::Viewer => "viewer",
            InvitedRole::Devops => "devops",
            InvitedRole::TenantAdmin => "tenant-admin",
            InvitedRole::Security => "stoa.security",
        }
    }
}

async fn invite(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    JsonBody(body): JsonBody<NewInvitation>,
) -> Result<(StatusCode, Json<Invited>), AppError> {
    let language = body.language.map(|l| l.code().to_owned()).unwrap_or_default();
    let form = InviteForm { email: body.email, role: body.role.name().to_owned(), language };
    Ok((
        StatusCode::CREATED,
        Json(members::invite(&state.pool, &user, &form, Delivery::of(&state.config)).await?),
    ))
}

async fn resend(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    params: Params,
) -> Result<Json<Invited>, AppError> {
    Ok(Json(members::resend(&state.pool, &user, params.uuid("id")?, Delivery::of(&state.config)).await?))
}

/// A revocation's confirmation.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct Confirmation {
    /// Must be true: the link stops working.
    #[schemars(extend("const" = true))]
    confirm: bool,
}

async fn revoke(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    params: Params,
    JsonBody(body): JsonBody<Confirmation>,
) -> Result<Json<InvitationInfo>, AppError> {
    Ok(Json(members::revoke(&state.pool, &user, params.uuid("id")?, body.confirm).await?))
}

async fn list_tenants(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
) -> Result<Json<TenantsPage>, AppError> {
    Ok(Json(members::tenants_page(&state.pool, &user, Delivery::of(&state.config)).await?))
}

/// A tenant to create.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct NewTenant {
    /// Its identifier: 2–63 lower-case letters, digits and hyphens.
    #[schemars(pattern(r"^[a-z0-9][a-z0-9-]{1,62}$"))]
    slug: String,
    #[schemars(length(min = 1, max = 200), pattern(app::model::NOT_BLANK))]
    name: String,
    /// Its first tenant-admin, invited.
    #[schemars(length(min = 3, max = 254), pattern(EMAIL))]
    admin_email: String,
}

async fn create_tenant(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    JsonBody(body): JsonBody<NewTenant>,
) -> Result<(StatusCode, Json<Invited>), AppError> {
    let form = TenantForm { slug: body.slug, name: body.name, admin_email: body.admin_email };
    Ok((
        StatusCode::CREATED,
        Json(members::create_tenant(&state.pool, &user, &form, Delivery::of(&state.config)).await?),
    ))
}

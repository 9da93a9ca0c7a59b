//! Members, invitations and tenants as the console (`/console/members`,
//! `/console/tenants`) and the invitation page (`/invitations/:token`) show them.

use crate::domain::invitation::Status;
use crate::error::FieldError;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// A member of a tenant.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
pub struct Member {
    pub username: String,
    pub display_name: String,
    pub email: Option<String>,
    /// Canonical role names.
    pub roles: Vec<String>,
    /// Signs in through the identity provider (no local password).
    pub provider: bool,
    /// RFC 3339.
    pub created_at: String,
    /// RFC 3339; `None`: never signed in.
    #[serde(default)]
    pub last_sign_in: Option<String>,
}

/// An invitation, as its tenant's admins see it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
pub struct InvitationInfo {
    pub id: Uuid,
    pub email: String,
    /// Canonical role name.
    pub role: String,
    pub status: Status,
    /// Who invited (a username).
    pub invited_by: String,
    /// When the current link was sent (RFC 3339).
    pub sent_at: String,
    /// When the current link stops working (RFC 3339).
    pub expires_at: String,
    /// Whether the e-mail with the current link was sent.
    pub emailed: bool,
    /// The username of the account made with it, once accepted.
    pub accepted_by: Option<String>,
}

/// The members page: the tenant's members and invitations.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
pub struct MembersPage {
    pub tenant_id: String,
    pub tenant_name: String,
    pub members: Vec<Member>,
    pub invitations: Vec<InvitationInfo>,
    /// Whether invitations are e-mailed (`SMTP_URL`); otherwise the link is shown to copy.
    pub mails: bool,
}

/// The invitation form.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
pub struct InviteForm {
    pub email: String,
    /// `viewer`, `devops`, `tenant-admin` or `stoa.security`.
    pub role: String,
    /// The language of the e-mail and of the account (`en`, `fr`, `de`, `es`); empty: English.
    #[serde(default)]
    pub language: String,
}

/// An invitation form that was refused, with why (kept for one redirect).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct RefusedInvite {
    pub form: InviteForm,
    pub errors: Vec<FieldError>,
}

/// An invitation just made or sent again: its link, shown once when no e-mail is sent.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
pub struct Invited {
    pub invitation: InvitationInfo,
    /// The link to give the person (none when it was handed to the mailer).
    pub link: Option<String>,
}

/// What the invitation page shows the invited person.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
pub struct InvitationView {
    pub status: Status,
    pub email: String,
    pub role: String,
    pub tenant_name: String,
    /// Who invited (their display name), to ask for a new link.
    pub invited_by: String,
    /// Whether the identity provider's sign-in is offered too.
    pub provider: bool,
}

/// The form that accepts an invitation with a password.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
pub struct AcceptForm {
    pub username: String,
    pub display_name: String,
    /// Never kept or sent back.
    #[serde(default, skip_serializing)]
    pub password: String,
}

/// An acceptance that was refused (the password is not kept).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct RefusedAccept {
    pub form: AcceptForm,
    pub errors: Vec<FieldError>,
}

/// A tenant as platform admins see it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
pub struct TenantInfo {
    pub id: String,
    pub name: String,
    /// `active`, `suspended` or `archived`.
    pub status: String,
    pub members: i64,
    /// Open invitations.
    pub invitations: i64,
    /// RFC 3339.
    pub created_at: String,
}

/// The new-tenant form.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
pub struct TenantForm {
    /// The tenant's id: lower-case letters, digits and hyphens.
    pub slug: String,
    pub name: String,
    /// The address of its first tenant-admin, who is invited.
    pub admin_email: String,
}

/// A new-tenant form that was refused, with why.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct RefusedTenant {
    pub form: TenantForm,
    pub errors: Vec<FieldError>,
}

/// The tenants page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
pub struct TenantsPage {
    pub tenants: Vec<TenantInfo>,
    pub mails: bool,
}

/// One tenant as a platform admin opens it: its members and what it publishes.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
pub struct TenantPage {
    pub tenant: TenantInfo,
    pub members: Vec<Member>,
    /// Its APIs and MCP servers: (kind, slug, name, status).
    pub entries: Vec<(String, String, String, String)>,
}

//! Authorization as data (DESIGN §1): one `Permission` enum and one role → permissions
//! table. The guards of the identity issue ask `allows(roles, permission)`; tenant scope
//! (own tenant vs every tenant) is the separate `ActAcrossTenants` permission.

use super::role::Role;
use serde::{Deserialize, Serialize};

/// Something a user may be allowed to do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Permission {
    /// Read the catalog's public APIs and MCP servers.
    BrowseCatalog,
    /// Create, edit and delete one's own applications and credentials.
    ManageOwnApplications,
    /// Subscribe one's applications to plans and MCP servers.
    Subscribe,
    /// See one's own usage.
    ViewOwnUsage,
    /// See APIs of audience `internal`.
    SeeInternalApis,
    /// Publish API versions of the own tenant.
    PublishApis,
    /// Create promotion requests for the own tenant.
    RequestPromotion,
    /// See APIs of audience `partner`.
    SeePartnerApis,
    /// Approve or reject subscriptions of the own tenant.
    DecideSubscriptions,
    /// Approve or reject promotion requests of the own tenant (never one's own).
    DecidePromotions,
    /// Everything above applies to every tenant, not only one's own.
    ActAcrossTenants,
    /// Reset the demo tenant.
    ResetDemo,
    /// Read the audit log.
    ReadAudit,
    /// Read everything of the own tenant, without changing anything.
    ReadTenantData,
}

use Permission::*;

const VIEWER: &[Permission] = &[BrowseCatalog, ManageOwnApplications, Subscribe, ViewOwnUsage];
const DEVOPS: &[Permission] = &[
    BrowseCatalog,
    ManageOwnApplications,
    Subscribe,
    ViewOwnUsage,
    SeeInternalApis,
    PublishApis,
    RequestPromotion,
];
const TENANT_ADMIN: &[Permission] = &[
    BrowseCatalog,
    ManageOwnApplications,
    Subscribe,
    ViewOwnUsage,
    SeeInternalApis,
    PublishApis,
    RequestPromotion,
    SeePartnerApis,
    DecideSubscriptions,
    DecidePromotions,
];
const CPI_ADMIN: &[Permission] = &[
    BrowseCatalog,
    ManageOwnApplications,
    Subscribe,
    ViewOwnUsage,
    SeeInternalApis,
    PublishApis,
    RequestPromotion,
    SeePartnerApis,
    DecideSubscriptions,
    DecidePromotions,
    ActAcrossTenants,
    ResetDemo,
    ReadAudit,
    ReadTenantData,
];
const SECURITY: &[Permission] = &[BrowseCatalog, SeeInternalApis, SeePartnerApis, ReadAudit, ReadTenantData];

/// The permissions one role grants.
pub fn granted_by(role: Role) -> &'static [Permission] {
    match role {
        Role::Viewer => VIEWER,
        Role::Devops => DEVOPS,
        Role::TenantAdmin => TENANT_ADMIN,
        Role::CpiAdmin => CPI_ADMIN,
        Role::Security => SECURITY,
    }
}

/// Whether any of `roles` grants `permission`.
pub fn allows(roles: &[Role], permission: Permission) -> bool {
    roles.iter().any(|r| granted_by(*r).contains(&permission))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_design_matrix() {
        // (permission, viewer, devops, tenant-admin, cpi-admin, security)
        let table = [
            (BrowseCatalog, true, true, true, true, true),
            (ManageOwnApplications, true, true, true, true, false),
            (SeeInternalApis, false, true, true, true, true),
            (PublishApis, false, true, true, true, false),
            (RequestPromotion, false, true, true, true, false),
            (SeePartnerApis, false, false, true, true, true),
            (DecideSubscriptions, false, false, true, true, false),
            (DecidePromotions, false, false, true, true, false),
            (ActAcrossTenants, false, false, false, true, false),
            (ResetDemo, false, false, false, true, false),
            (ReadAudit, false, false, false, true, true),
        ];
        let roles = [Role::Viewer, Role::Devops, Role::TenantAdmin, Role::CpiAdmin, Role::Security];
        for (permission, v, d, t, c, s) in table {
            for (role, want) in roles.iter().zip([v, d, t, c, s]) {
                assert_eq!(allows(&[*role], permission), want, "{role:?} {permission:?}");
            }
        }
    }

    #[test]
    fn the_ladder_only_adds() {
        let ladder = [Role::Viewer, Role::Devops, Role::TenantAdmin, Role::CpiAdmin];
        for pair in ladder.windows(2) {
            for p in granted_by(pair[0]) {
                assert!(granted_by(pair[1]).contains(p), "{:?} loses {p:?}", pair[1]);
            }
        }
    }

    #[test]
    fn security_is_additive() {
        assert!(!allows(&[Role::Viewer], ReadAudit));
        assert!(allows(&[Role::Viewer, Role::Security], ReadAudit));
        assert!(!allows(&[Role::Security], DecidePromotions));
    }
}

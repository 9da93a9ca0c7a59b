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
    /// See the calls to the own tenant's APIs and of its applications (the console's
    /// usage dashboard).
    ViewTenantUsage,
    /// See how the own tenant's users get through the onboarding wizard (the console's
    /// funnel; every tenant's with `ActAcrossTenants`).
    ViewOnboardingFunnel,
    /// Invite people to the own tenant, resend and revoke invitations, list its members.
    ManageMembers,
    /// Create and list tenants.
    ManageTenants,
    /// See the own tenant's plans, archived ones included, and who subscribes with them
    /// (every tenant's with `ActAcrossTenants`).
    ReadPlans,
    /// Create, change and archive the own tenant's plans.
    ManagePlans,
}

impl Permission {
    /// Every permission.
    pub const ALL: [Permission; 20] = [
        Permission::BrowseCatalog,
        Permission::ManageOwnApplications,
        Permission::Subscribe,
        Permission::ViewOwnUsage,
        Permission::SeeInternalApis,
        Permission::PublishApis,
        Permission::RequestPromotion,
        Permission::SeePartnerApis,
        Permission::DecideSubscriptions,
        Permission::DecidePromotions,
        Permission::ActAcrossTenants,
        Permission::ResetDemo,
        Permission::ReadAudit,
        Permission::ReadTenantData,
        Permission::ViewTenantUsage,
        Permission::ViewOnboardingFunnel,
        Permission::ManageMembers,
        Permission::ManageTenants,
        Permission::ReadPlans,
        Permission::ManagePlans,
    ];

    /// The role table of DESIGN §1, one permission at a time.
    pub fn granted_to(self, role: Role) -> bool {
        use Role::{CpiAdmin, Devops, Security, TenantAdmin, Viewer};
        match self {
            Permission::BrowseCatalog => true,
            Permission::ManageOwnApplications | Permission::Subscribe | Permission::ViewOwnUsage => {
                role != Security
            }
            Permission::SeeInternalApis => role != Viewer,
            Permission::PublishApis | Permission::RequestPromotion => {
                matches!(role, Devops | TenantAdmin | CpiAdmin)
            }
            Permission::SeePartnerApis => matches!(role, TenantAdmin | CpiAdmin | Security),
            Permission::DecideSubscriptions | Permission::DecidePromotions => {
                matches!(role, TenantAdmin | CpiAdmin)
            }
            Permission::ActAcrossTenants | Permission::ResetDemo => role == CpiAdmin,
            Permission::ReadAudit | Permission::ReadTenantData => matches!(role, CpiAdmin | Security),
            Permission::ViewTenantUsage => matches!(role, TenantAdmin | CpiAdmin | Security),
            Permission::ViewOnboardingFunnel | Permission::ManageMembers => {
                matches!(role, TenantAdmin | CpiAdmin)
            }
            Permission::ManageTenants => role == CpiAdmin,
            Permission::ReadPlans => matches!(role, Devops | TenantAdmin | CpiAdmin),
            Permission::ManagePlans => matches!(role, TenantAdmin | CpiAdmin),
        }
    }
}

/// What a server function or REST route asks of its caller.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Access {
    /// Anyone, signed in or not.
    Public,
    /// Any signed-in user, whatever their roles.
    SignedIn,
    /// A signed-in user whose roles grant this permission.
    Granted(Permission),
}

/// The permissions one role grants.
pub fn granted_by(role: Role) -> impl Iterator<Item = Permission> {
    Permission::ALL.into_iter().filter(move |p| p.granted_to(role))
}

/// Whether any of `roles` grants `permission`.
pub fn allows(roles: &[Role], permission: Permission) -> bool {
    roles.iter().any(|r| permission.granted_to(*r))
}

#[cfg(test)]
mod tests {
    use super::*;
    use Permission::*;

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
            (ManageMembers, false, false, true, true, false),
            (ManageTenants, false, false, false, true, false),
            (ReadPlans, false, true, true, true, false),
            (ManagePlans, false, false, true, true, false),
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
                assert!(p.granted_to(pair[1]), "{:?} loses {p:?}", pair[1]);
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

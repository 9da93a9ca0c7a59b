//! The navigation model: which entries a visitor sees, by role.
//!
//! Entries are data so that the header, tests and later issues agree on one table; an
//! entry appears here only once its page exists.

use crate::domain::permission::{allows, Permission};
use crate::domain::role::Role;

/// One entry of the main navigation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NavItem {
    pub href: &'static str,
    /// Fluent key of the label.
    pub label: &'static str,
    /// `None`: everyone, signed in or not. `Some(p)`: users whose roles grant `p`.
    pub requires: Option<Permission>,
}

/// The main navigation, in display order: the portal's few entries. The console's
/// entries are in [`CONSOLE`], shown as a side bar on `/console/…` pages and reached from
/// the header's one "Console" entry.
pub const NAV: &[NavItem] = &[
    NavItem { href: "/", label: "nav-home", requires: None },
    NavItem { href: "/catalog", label: "nav-catalog", requires: None },
    NavItem { href: "/apps", label: "nav-apps", requires: Some(Permission::ManageOwnApplications) },
    NavItem { href: "/usage", label: "nav-usage", requires: Some(Permission::ViewOwnUsage) },
];

/// One group of the console's side bar.
pub struct NavGroup {
    /// Fluent key of the group's heading.
    pub label: &'static str,
    pub items: &'static [NavItem],
}

/// The console's navigation, grouped, in display order.
pub const CONSOLE: &[NavGroup] = &[
    NavGroup {
        label: "console-group-catalog",
        items: &[
            NavItem { href: "/console/apis", label: "nav-publish", requires: Some(Permission::PublishApis) },
            NavItem {
                href: "/console/plans",
                label: "nav-console-plans",
                requires: Some(Permission::ReadPlans),
            },
        ],
    },
    NavGroup {
        label: "console-group-access",
        items: &[NavItem {
            href: "/console/subscriptions",
            label: "nav-subscriptions",
            requires: Some(Permission::DecideSubscriptions),
        }],
    },
    NavGroup {
        label: "console-group-promotions",
        items: &[NavItem {
            href: "/console/requests",
            label: "nav-requests",
            requires: Some(Permission::RequestPromotion),
        }],
    },
    NavGroup {
        label: "console-group-usage",
        items: &[
            NavItem {
                href: "/console/usage",
                label: "nav-console-usage",
                requires: Some(Permission::ViewTenantUsage),
            },
            NavItem {
                href: "/console/onboarding",
                label: "nav-console-onboarding",
                requires: Some(Permission::ViewOnboardingFunnel),
            },
        ],
    },
    NavGroup {
        label: "console-group-administration",
        items: &[
            NavItem {
                href: "/console/members",
                label: "nav-console-members",
                requires: Some(Permission::ManageMembers),
            },
            NavItem {
                href: "/console/tenants",
                label: "nav-console-tenants",
                requires: Some(Permission::ManageTenants),
            },
            NavItem { href: "/console/audit", label: "nav-audit", requires: Some(Permission::ReadAudit) },
            NavItem {
                href: "/console/demo",
                label: "nav-console-demo",
                requires: Some(Permission::ResetDemo),
            },
        ],
    },
];

/// Where the header's "Console" entry leads a visitor holding `roles`: the first console
/// page they may open (none: no entry).
pub fn console_entry(roles: &[Role]) -> Option<&'static str> {
    CONSOLE.iter().flat_map(|g| visible(g.items, roles)).map(|i| i.href).next()
}

/// The entries of `items` visible to a visitor holding `roles` (empty = signed out).
pub fn visible<'a>(items: &'a [NavItem], roles: &'a [Role]) -> impl Iterator<Item = &'a NavItem> {
    items.iter().filter(move |item| item.requires.is_none_or(|p| allows(roles, p)))
}

#[cfg(test)]
mod tests {
    use super::*;

    const TABLE: &[NavItem] = &[
        NavItem { href: "/", label: "a", requires: None },
        NavItem { href: "/apps", label: "b", requires: Some(Permission::ManageOwnApplications) },
        NavItem { href: "/console/requests", label: "c", requires: Some(Permission::RequestPromotion) },
        NavItem { href: "/console/audit", label: "d", requires: Some(Permission::ReadAudit) },
    ];

    fn hrefs(roles: &[Role]) -> Vec<&'static str> {
        visible(TABLE, roles).map(|i| i.href).collect()
    }

    #[test]
    fn navigation_grows_with_role() {
        assert_eq!(hrefs(&[]), ["/"]);
        assert_eq!(hrefs(&[Role::Viewer]), ["/", "/apps"]);
        assert_eq!(hrefs(&[Role::TenantAdmin]), ["/", "/apps", "/console/requests"]);
        assert_eq!(hrefs(&[Role::Security]), ["/", "/console/audit"]);
        assert_eq!(hrefs(&[Role::CpiAdmin]), ["/", "/apps", "/console/requests", "/console/audit"]);
    }

    #[test]
    fn the_console_entry_leads_to_the_first_console_page_a_role_may_open() {
        assert_eq!(console_entry(&[]), None);
        assert_eq!(console_entry(&[Role::Viewer]), None);
        assert_eq!(console_entry(&[Role::Devops]), Some("/console/apis"));
        assert_eq!(console_entry(&[Role::Security]), Some("/console/usage"));
        assert_eq!(console_entry(&[Role::TenantAdmin]), Some("/console/apis"));
        // The header keeps the portal's few entries, whatever the roles.
        assert_eq!(visible(NAV, &[Role::CpiAdmin, Role::Security]).count(), 4);
    }
}

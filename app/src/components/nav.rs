//! The navigation model: which entries a visitor sees, by role.
//!
//! Entries are data so that the header, tests and later issues agree on one table; an
//! entry appears here only once its page exists.

use crate::domain::role::Role;

/// One entry of the main navigation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NavItem {
    pub href: &'static str,
    /// Fluent key of the label.
    pub label: &'static str,
    /// `None`: everyone, signed in or not. `Some(r)`: users holding a role that includes `r`.
    pub min_role: Option<Role>,
}

/// The main navigation, in display order.
pub const NAV: &[NavItem] = &[NavItem { href: "/", label: "nav-home", min_role: None }];

/// The entries of `items` visible to a visitor holding `roles` (empty = signed out).
pub fn visible<'a>(items: &'a [NavItem], roles: &'a [Role]) -> impl Iterator<Item = &'a NavItem> {
    items.iter().filter(move |item| match item.min_role {
        None => true,
        Some(min) => roles.iter().any(|r| r.includes(min)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const TABLE: &[NavItem] = &[
        NavItem { href: "/", label: "a", min_role: None },
        NavItem { href: "/apps", label: "b", min_role: Some(Role::Viewer) },
        NavItem { href: "/console/requests", label: "c", min_role: Some(Role::Devops) },
    ];

    fn hrefs(roles: &[Role]) -> Vec<&'static str> {
        visible(TABLE, roles).map(|i| i.href).collect()
    }

    #[test]
    fn navigation_grows_with_role() {
        assert_eq!(hrefs(&[]), ["/"]);
        assert_eq!(hrefs(&[Role::Viewer]), ["/", "/apps"]);
        assert_eq!(hrefs(&[Role::TenantAdmin]), ["/", "/apps", "/console/requests"]);
        assert_eq!(hrefs(&[Role::Security]), ["/"]);
    }
}

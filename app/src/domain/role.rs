//! Personas (DESIGN §1): the roles a user may hold, as the identity provider names them.

use serde::{Deserialize, Serialize};

/// A role, ordered from least to most privileged for the cumulative ones. `Security` is
/// additive and read-only, so it sits apart from the ladder.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Role {
    Viewer,
    Devops,
    TenantAdmin,
    CpiAdmin,
    Security,
}

impl Role {
    /// Parses a role name from a token or a local account, accepting STOA's `stoa.*`
    /// aliases. Unknown names are `None`; a user with no known role is a viewer.
    pub fn parse(name: &str) -> Option<Role> {
        match name.trim() {
            "viewer" | "stoa.consumer" => Some(Role::Viewer),
            "devops" | "stoa.developer" => Some(Role::Devops),
            "tenant-admin" | "stoa.product_owner" => Some(Role::TenantAdmin),
            "cpi-admin" | "stoa.admin" => Some(Role::CpiAdmin),
            "stoa.security" => Some(Role::Security),
            _ => None,
        }
    }

    /// The key of its label in `locales/` (`role-viewer`, …).
    pub fn label_key(self) -> &'static str {
        match self {
            Role::Viewer => "role-viewer",
            Role::Devops => "role-devops",
            Role::TenantAdmin => "role-tenant-admin",
            Role::CpiAdmin => "role-cpi-admin",
            Role::Security => "role-security",
        }
    }

    /// The canonical name, stored in the database and used as a CSS/test hook.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Viewer => "viewer",
            Role::Devops => "devops",
            Role::TenantAdmin => "tenant-admin",
            Role::CpiAdmin => "cpi-admin",
            Role::Security => "stoa.security",
        }
    }

    /// Whether holding `self` includes everything `other` may do on the
    /// viewer → devops → tenant-admin → cpi-admin ladder.
    pub fn includes(self, other: Role) -> bool {
        match (self, other) {
            (Role::Security, Role::Security) => true,
            (Role::Security, _) | (_, Role::Security) => false,
            (a, b) => a >= b,
        }
    }
}

/// Parses a list of role names, dropping unknown ones; an empty result means viewer.
pub fn parse_roles<'a>(names: impl IntoIterator<Item = &'a str>) -> Vec<Role> {
    let mut roles: Vec<Role> = names.into_iter().filter_map(Role::parse).collect();
    roles.sort();
    roles.dedup();
    if roles.is_empty() {
        roles.push(Role::Viewer);
    }
    roles
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aliases_map_to_the_same_role() {
        for (a, b) in [
            ("viewer", "stoa.consumer"),
            ("devops", "stoa.developer"),
            ("tenant-admin", "stoa.product_owner"),
            ("cpi-admin", "stoa.admin"),
        ] {
            assert_eq!(Role::parse(a), Role::parse(b));
            assert!(Role::parse(a).is_some());
        }
    }

    #[test]
    fn unknown_roles_fall_back_to_viewer() {
        assert_eq!(parse_roles(["offline_access", "uma_authorization"]), vec![Role::Viewer]);
        assert_eq!(
            parse_roles(["stoa.admin", "cpi-admin", "stoa.security"]),
            vec![Role::CpiAdmin, Role::Security]
        );
    }

    #[test]
    fn ladder_is_cumulative_and_security_is_apart() {
        assert!(Role::CpiAdmin.includes(Role::Devops));
        assert!(Role::TenantAdmin.includes(Role::Viewer));
        assert!(!Role::Devops.includes(Role::TenantAdmin));
        assert!(!Role::CpiAdmin.includes(Role::Security));
        assert!(!Role::Security.includes(Role::Viewer));
    }
}

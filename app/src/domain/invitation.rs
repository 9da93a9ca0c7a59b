//! Invitations and tenants: who may be invited with which role, how long a link lives,
//! where an invitation stands, and what a tenant's slug, a username, a password and an
//! e-mail address must look like.

use crate::domain::role::Role;
use serde::{Deserialize, Serialize};

/// How long an invitation link works.
pub const VALID_DAYS: i64 = 7;
/// The shortest password an invited person may choose.
pub const MIN_PASSWORD: usize = 12;

/// Where an invitation stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Sent, not used yet, still valid.
    Pending,
    /// Used: the account exists.
    Accepted,
    /// Not used within [`VALID_DAYS`].
    Expired,
    /// Taken back by an admin.
    Revoked,
}

codes!(Status { Pending = "pending", Accepted = "accepted", Expired = "expired", Revoked = "revoked" });

/// An invitation's status from its dates (`now` and the others as Unix seconds).
pub fn status(now: i64, expires_at: i64, accepted: bool, revoked: bool) -> Status {
    if accepted {
        Status::Accepted
    } else if revoked {
        Status::Revoked
    } else if now >= expires_at {
        Status::Expired
    } else {
        Status::Pending
    }
}

/// The roles an invitation may name (platform admins are not invited into a tenant).
pub const ROLES: [Role; 4] = [Role::Viewer, Role::Devops, Role::TenantAdmin, Role::Security];

/// The role an invitation form names, if it may be invited.
pub fn invitable(name: &str) -> Option<Role> {
    Role::parse(name).filter(|r| ROLES.contains(r))
}

/// A plausible e-mail address: something@something.tld, no spaces or control characters,
/// at most 254 characters.
pub fn plausible_email(v: &str) -> bool {
    v.chars().count() <= 254
        && !v.contains(|c: char| c.is_whitespace() || c.is_control())
        && v.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty()
                && !domain.contains('@')
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
        })
}

/// A tenant's slug (its id): 2–63 characters, lower-case letters, digits and hyphens,
/// not starting with a hyphen.
pub fn valid_slug(v: &str) -> bool {
    (2..=63).contains(&v.len())
        && v.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !v.starts_with('-')
}

/// A username: 2–63 characters, lower-case letters, digits, `.`, `_` and `-`, starting
/// with a letter or a digit.
pub fn valid_username(v: &str) -> bool {
    (2..=63).contains(&v.len())
        && v.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-".contains(&b))
        && v.bytes().next().is_some_and(|b| b.is_ascii_alphanumeric())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_follows_the_dates_and_the_marks() {
        assert_eq!(status(10, 20, false, false), Status::Pending);
        assert_eq!(status(20, 20, false, false), Status::Expired);
        assert_eq!(status(30, 20, true, false), Status::Accepted);
        assert_eq!(status(10, 20, false, true), Status::Revoked);
    }

    #[test]
    fn only_tenant_roles_are_invited() {
        assert_eq!(invitable("devops"), Some(Role::Devops));
        assert_eq!(invitable("stoa.product_owner"), Some(Role::TenantAdmin));
        assert_eq!(invitable("cpi-admin"), None);
        assert_eq!(invitable("root"), None);
    }

    #[test]
    fn addresses_slugs_and_usernames() {
        assert!(plausible_email("ann@example.com"));
        for bad in [
            "ann",
            "a\0n@example.com",
            "@example.com",
            "ann@example",
            "ann @example.com",
            "a@b@c.com",
            "ann@.com",
        ] {
            assert!(!plausible_email(bad), "{bad}");
        }
        assert!(valid_slug("acme-2"));
        for bad in ["a", "-acme", "Acme", "acme corp", &"a".repeat(64)] {
            assert!(!valid_slug(bad), "{bad}");
        }
        assert!(valid_username("ann.lee"));
        for bad in ["a", ".ann", "Ann", "ann lee"] {
            assert!(!valid_username(bad), "{bad}");
        }
    }
}

//! Credentials as users see them: API keys (`stoa_sk_…`) and OAuth2 client secrets
//! (`stoa_cs_…`), 32 random bytes each, shown once; the portal keeps a hash and a visible
//! prefix. Rotation leaves the previous secret working for a grace period.

use serde::{Deserialize, Serialize};

/// What comes before the random part of an API key.
pub const API_KEY_PREFIX: &str = "stoa_sk_";
/// What comes before the random part of a client secret.
pub const CLIENT_SECRET_PREFIX: &str = "stoa_cs_";
/// Random bytes in a secret.
pub const SECRET_BYTES: usize = 32;
/// Characters of a secret shown to tell it apart (its kind marker and 6 more).
pub const VISIBLE_CHARS: usize = 14;

/// Grace period of a rotation, in hours: allowed range and default.
pub const GRACE_HOURS: std::ops::RangeInclusive<i64> = 1..=168;
pub const DEFAULT_GRACE_HOURS: i64 = 24;
/// How many days a new key may be given before it expires.
pub const EXPIRY_DAYS: std::ops::RangeInclusive<i64> = 1..=3650;

/// A kind of secret.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    ApiKey,
    ClientSecret,
    /// A short-lived API key the try-it proxy mints for one request.
    TryIt,
}

/// Where a credential stands: rotated ones work until their grace period ends.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Active,
    Rotated,
    Revoked,
}

codes!(Kind { ApiKey = "api_key", ClientSecret = "client_secret", TryIt = "try_it" });
codes!(Status { Active = "active", Rotated = "rotated", Revoked = "revoked" });

impl Kind {
    /// The text a secret of this kind starts with.
    pub fn marker(self) -> &'static str {
        match self {
            Kind::ApiKey | Kind::TryIt => API_KEY_PREFIX,
            Kind::ClientSecret => CLIENT_SECRET_PREFIX,
        }
    }
}

/// The part of a secret stored in clear to find it and to show which one it is.
pub fn visible_prefix(secret: &str) -> Option<&str> {
    let looks_right = (secret.starts_with(API_KEY_PREFIX) || secret.starts_with(CLIENT_SECRET_PREFIX))
        && secret.is_ascii()
        && secret.len() > VISIBLE_CHARS;
    looks_right.then(|| &secret[..VISIBLE_CHARS])
}

/// A rotation's grace period: whole hours within [`GRACE_HOURS`]. The only way to one is
/// through its checks, so the services that take one need not check again, and REST and
/// the pages share the rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct GraceHours(i64);

impl GraceHours {
    /// `hours`, or the default when none is given; `None` outside 1–168.
    pub fn new(hours: Option<i64>) -> Option<GraceHours> {
        let hours = hours.unwrap_or(DEFAULT_GRACE_HOURS);
        GRACE_HOURS.contains(&hours).then_some(GraceHours(hours))
    }

    /// A grace period as typed in a form (blank: the default).
    pub fn parse(typed: Option<&str>) -> Option<GraceHours> {
        match typed.map(str::trim).filter(|t| !t.is_empty()) {
            None => GraceHours::new(None),
            Some(t) => t.parse::<i64>().ok().and_then(|h| GraceHours::new(Some(h))),
        }
    }

    pub fn hours(self) -> i64 {
        self.0
    }
}

/// A number that is not one, or not within its range.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OutOfRange;

/// How long a new key lives: whole days within [`EXPIRY_DAYS`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ExpiryDays(i64);

impl ExpiryDays {
    /// `days`; `None` outside 1–3650.
    pub fn new(days: i64) -> Option<ExpiryDays> {
        EXPIRY_DAYS.contains(&days).then_some(ExpiryDays(days))
    }

    /// An expiry as typed in a form: blank is no expiry (`Ok(None)`), anything else must be
    /// a number of days in range.
    pub fn parse(typed: Option<&str>) -> Result<Option<ExpiryDays>, OutOfRange> {
        match typed.map(str::trim).filter(|t| !t.is_empty()) {
            None => Ok(None),
            Some(t) => t.parse::<i64>().ok().and_then(ExpiryDays::new).map(Some).ok_or(OutOfRange),
        }
    }

    pub fn days(self) -> i64 {
        self.0
    }
}

/// A grace period as typed (hours), defaulting to 24; `None` outside 1–168.
pub fn grace_hours(typed: Option<&str>) -> Option<i64> {
    GraceHours::parse(typed).map(GraceHours::hours)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_tell_secrets_apart_without_revealing_them() {
        let key = format!("{API_KEY_PREFIX}{}", "A".repeat(43));
        assert_eq!(visible_prefix(&key), Some("stoa_sk_AAAAAA"));
        assert_eq!(visible_prefix("stoa_sk_short"), None);
        assert_eq!(visible_prefix("sk_live_0123456789abcdef"), None);
        assert_eq!(visible_prefix("stoa_sk_ééééééééééé"), None);
    }

    #[test]
    fn grace_periods_stay_between_one_hour_and_a_week() {
        assert_eq!(grace_hours(None), Some(24));
        assert_eq!(grace_hours(Some(" ")), Some(24));
        assert_eq!(grace_hours(Some("1")), Some(1));
        assert_eq!(grace_hours(Some("168")), Some(168));
        assert_eq!(grace_hours(Some("0")), None);
        assert_eq!(grace_hours(Some("169")), None);
        assert_eq!(grace_hours(Some("two")), None);
    }
}

//! Plans (DESIGN §3): what a subscription allows. The rules a plan's values follow,
//! checked before anything is written, so that a refused form writes nothing.

use super::catalog::{Audience, Kind};
use super::role::Role;
use crate::error::FieldError;
use serde::{Deserialize, Serialize};

/// Whether a plan can still be chosen.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
#[serde(rename_all = "lowercase")]
pub enum PlanStatus {
    /// Offered to new subscriptions.
    Active,
    /// No new subscriptions; the existing ones keep running.
    Archived,
}

codes!(PlanStatus { Active = "active", Archived = "archived" });

/// The longest a plan may let a subscription run, in days.
pub const MAX_TTL_DAYS: i64 = 3650;
/// The longest description, in characters.
pub const MAX_DESCRIPTION: usize = 4000;
/// The largest limit the columns hold.
pub const MAX_LIMIT: i64 = i32::MAX as i64;

/// A plan's rates and quotas; `None` is unlimited.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Limits {
    pub rate_per_second: Option<i64>,
    pub rate_per_minute: Option<i64>,
    pub daily_quota: Option<i64>,
    pub monthly_quota: Option<i64>,
}

impl Limits {
    /// What is wrong with these limits, field by field: a limit under 1 (leave it empty
    /// for no limit) or beyond what a column holds, a per-second rate above the
    /// per-minute one, a daily quota above the monthly one.
    pub fn problems(&self) -> Vec<FieldError> {
        let mut errors = Vec::new();
        for (field, value) in [
            ("rate_per_second", self.rate_per_second),
            ("rate_per_minute", self.rate_per_minute),
            ("daily_quota", self.daily_quota),
            ("monthly_quota", self.monthly_quota),
        ] {
            match value {
                Some(v) if v < 1 => errors.push(FieldError::new(field, "at-least-one")),
                Some(v) if v > MAX_LIMIT => errors.push(FieldError::new(field, "too-large")),
                _ => {}
            }
        }
        if errors.is_empty() {
            if let (Some(s), Some(m)) = (self.rate_per_second, self.rate_per_minute) {
                if s > m {
                    errors.push(FieldError::new("rate_per_second", "above-per-minute"));
                }
            }
            if let (Some(d), Some(m)) = (self.daily_quota, self.monthly_quota) {
                if d > m {
                    errors.push(FieldError::new("daily_quota", "above-monthly"));
                }
            }
        }
        errors
    }
}

/// One catalog entry of the plan's tenant, by kind and slug.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
pub struct EntryRef {
    pub kind: Kind,
    #[cfg_attr(feature = "ssr", schemars(length(min = 1, max = 63)))]
    pub slug: String,
}

impl EntryRef {
    /// The form's value of a checkbox: `api/<slug>` or `mcp/<slug>`.
    pub fn form_value(&self) -> String {
        format!("{}/{}", self.kind.as_str(), self.slug)
    }

    /// Reads a checkbox's value back.
    pub fn from_form_value(value: &str) -> Option<EntryRef> {
        let (kind, slug) = value.split_once('/')?;
        let kind = Kind::parse(kind)?;
        (!slug.is_empty()).then(|| EntryRef { kind, slug: slug.to_owned() })
    }
}

/// A plan as its tenant defines it: what a create or an update carries.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct PlanDraft {
    /// Lower-case letters, digits and hyphens, 2–63 characters; unique in the tenant.
    #[cfg_attr(feature = "ssr", schemars(length(min = 2, max = 63), pattern(r"^[a-z0-9][a-z0-9-]*$")))]
    pub slug: String,
    #[cfg_attr(feature = "ssr", schemars(length(min = 1, max = 100), pattern(r"^[^\x00-\x1F\x7F-\x9F]*$")))]
    pub name: String,
    /// Markdown.
    #[serde(default)]
    #[cfg_attr(
        feature = "ssr",
        schemars(length(max = 4000), pattern(r"^[^\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F]*$"))
    )]
    pub description: String,
    /// Calls per second (per replica); none: no limit.
    #[serde(default)]
    #[cfg_attr(feature = "ssr", schemars(range(min = 1, max = 2147483647)))]
    pub rate_per_second: Option<i64>,
    /// Calls per minute (per replica); none: no limit.
    #[serde(default)]
    #[cfg_attr(feature = "ssr", schemars(range(min = 1, max = 2147483647)))]
    pub rate_per_minute: Option<i64>,
    /// Calls per UTC day, across replicas; none: no limit.
    #[serde(default)]
    #[cfg_attr(feature = "ssr", schemars(range(min = 1, max = 2147483647)))]
    pub daily_quota: Option<i64>,
    /// Calls per UTC month, across replicas; none: no limit.
    #[serde(default)]
    #[cfg_attr(feature = "ssr", schemars(range(min = 1, max = 2147483647)))]
    pub monthly_quota: Option<i64>,
    /// Whether a subscription waits for an approver.
    #[serde(default)]
    pub requires_approval: bool,
    /// Roles whose subscriptions are approved at once (`tenant-admin`, `devops`, …).
    #[serde(default)]
    pub auto_approve_roles: Vec<String>,
    /// The longest a subscription with this plan may run (none: 365 days).
    #[serde(default)]
    #[cfg_attr(feature = "ssr", schemars(range(min = 1, max = 3650)))]
    pub max_ttl_days: Option<i64>,
    /// Who may see and choose it, by the catalog's rule.
    #[serde(default = "public")]
    pub audience: Audience,
    /// Offered on every API and MCP server of the tenant (then `offered_on` is ignored).
    #[serde(default = "yes")]
    pub everywhere: bool,
    /// The entries that offer it, when not everywhere.
    #[serde(default)]
    pub offered_on: Vec<EntryRef>,
}

fn public() -> Audience {
    Audience::Public
}

fn yes() -> bool {
    true
}

impl Default for PlanDraft {
    fn default() -> PlanDraft {
        PlanDraft {
            slug: String::new(),
            name: String::new(),
            description: String::new(),
            rate_per_second: None,
            rate_per_minute: None,
            daily_quota: None,
            monthly_quota: None,
            requires_approval: false,
            auto_approve_roles: Vec::new(),
            max_ttl_days: None,
            audience: Audience::Public,
            everywhere: true,
            offered_on: Vec::new(),
        }
    }
}

/// A tenant's slug rule, also a plan's: 2–63 lower-case letters, digits and hyphens.
fn valid_slug(v: &str) -> bool {
    super::invitation::valid_slug(v)
}

impl PlanDraft {
    /// The draft with its texts trimmed and its lists in one order, as it is stored.
    pub fn normalized(mut self) -> PlanDraft {
        self.slug = self.slug.trim().to_lowercase();
        self.name = self.name.trim().to_owned();
        self.description = self.description.trim().to_owned();
        let mut roles: Vec<String> = self
            .auto_approve_roles
            .iter()
            .map(|r| Role::parse(r).map(|r| r.as_str().to_owned()).unwrap_or_else(|| r.trim().to_owned()))
            .collect();
        roles.sort();
        roles.dedup();
        self.auto_approve_roles = roles;
        self.offered_on.sort();
        self.offered_on.dedup();
        self
    }

    /// The entries that offer the plan: none listed when it is offered everywhere.
    pub fn offers(&self) -> &[EntryRef] {
        if self.everywhere {
            &[]
        } else {
            &self.offered_on
        }
    }

    /// What is wrong with the draft, field by field (empty: nothing). Whether the slug
    /// is taken and the entries exist are the database's to say.
    pub fn problems(&self) -> Vec<FieldError> {
        let mut errors = Vec::new();
        if !valid_slug(&self.slug) {
            errors.push(FieldError::new("slug", "slug"));
        }
        if let Some(code) = super::text_problem(&self.name, 100) {
            errors.push(FieldError::new("name", code));
        }
        if self.description.chars().count() > MAX_DESCRIPTION {
            errors.push(FieldError::new("description", "too-long"));
        } else if self.description.chars().any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t')) {
            errors.push(FieldError::new("description", "control-characters"));
        }
        errors.extend(self.limits().problems());
        if self.auto_approve_roles.iter().any(|r| Role::parse(r).is_none()) {
            errors.push(FieldError::new("auto_approve_roles", "unknown-role"));
        }
        if let Some(days) = self.max_ttl_days {
            if !(1..=MAX_TTL_DAYS).contains(&days) {
                errors.push(FieldError::new("max_ttl_days", "ttl-out-of-range"));
            }
        }
        if self.offered_on.iter().any(|e| e.slug.is_empty() || e.slug.chars().count() > 63) {
            errors.push(FieldError::new("offered_on", "unknown-entry"));
        } else if !self.everywhere && self.offered_on.is_empty() {
            errors.push(FieldError::new("offered_on", "choose-entries"));
        }
        errors
    }

    /// Whether going from `self` to `next` changes what existing subscriptions are allowed.
    pub fn limits_differ(&self, next: &PlanDraft) -> bool {
        self.limits() != next.limits() || self.max_ttl_days != next.max_ttl_days
    }

    /// The rates and quotas.
    pub fn limits(&self) -> Limits {
        Limits {
            rate_per_second: self.rate_per_second,
            rate_per_minute: self.rate_per_minute,
            daily_quota: self.daily_quota,
            monthly_quota: self.monthly_quota,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft() -> PlanDraft {
        PlanDraft { slug: "gold".into(), name: "Gold".into(), ..PlanDraft::default() }
    }

    fn codes(d: &PlanDraft) -> Vec<(String, String)> {
        d.problems().into_iter().map(|e| (e.field, e.code)).collect()
    }

    fn pair(field: &str, code: &str) -> (String, String) {
        (field.to_owned(), code.to_owned())
    }

    #[test]
    fn a_plain_draft_passes() {
        assert!(draft().problems().is_empty());
    }

    #[test]
    fn inconsistent_limits_are_refused_next_to_their_field() {
        let limits = |s, m, d, mo| Limits {
            rate_per_second: s,
            rate_per_minute: m,
            daily_quota: d,
            monthly_quota: mo,
        };
        let cases = [
            (limits(Some(10), Some(5), None, None), vec![pair("rate_per_second", "above-per-minute")]),
            (limits(None, None, Some(100), Some(99)), vec![pair("daily_quota", "above-monthly")]),
            (limits(Some(-1), None, None, None), vec![pair("rate_per_second", "at-least-one")]),
            (limits(None, Some(0), None, None), vec![pair("rate_per_minute", "at-least-one")]),
            (limits(None, None, None, Some(MAX_LIMIT + 1)), vec![pair("monthly_quota", "too-large")]),
            (limits(Some(5), Some(5), Some(10), Some(10)), vec![]),
            (limits(Some(5), None, Some(10), None), vec![]),
        ];
        for (limits, want) in cases {
            let d = PlanDraft {
                rate_per_second: limits.rate_per_second,
                rate_per_minute: limits.rate_per_minute,
                daily_quota: limits.daily_quota,
                monthly_quota: limits.monthly_quota,
                ..draft()
            };
            assert_eq!(codes(&d), want, "{limits:?}");
        }
    }

    #[test]
    fn slugs_names_roles_ttl_and_offers_are_checked() {
        assert_eq!(codes(&PlanDraft { slug: "Gold Plan".into(), ..draft() }), [pair("slug", "slug")]);
        assert_eq!(codes(&PlanDraft { name: " ".repeat(0), ..draft() }), [pair("name", "required")]);
        assert_eq!(
            codes(&PlanDraft { description: "a\u{7}b".into(), ..draft() }),
            [pair("description", "control-characters")]
        );
        assert!(codes(&PlanDraft { description: "# Gold\n\n* fast\r\n".into(), ..draft() }).is_empty());
        assert_eq!(
            codes(&PlanDraft { auto_approve_roles: vec!["root".into()], ..draft() }),
            [pair("auto_approve_roles", "unknown-role")]
        );
        assert_eq!(
            codes(&PlanDraft { max_ttl_days: Some(0), ..draft() }),
            [pair("max_ttl_days", "ttl-out-of-range")]
        );
        assert_eq!(
            codes(&PlanDraft { everywhere: false, ..draft() }),
            [pair("offered_on", "choose-entries")]
        );
    }

    #[test]
    fn normalizing_trims_sorts_and_a_plan_offered_everywhere_lists_no_entry() {
        let d = PlanDraft {
            slug: " Gold ".into(),
            auto_approve_roles: vec!["stoa.product_owner".into(), "devops".into(), "tenant-admin".into()],
            offered_on: vec![EntryRef { kind: Kind::Api, slug: "a".into() }],
            ..draft()
        }
        .normalized();
        assert_eq!(d.slug, "gold");
        assert_eq!(d.auto_approve_roles, ["devops", "tenant-admin"]);
        assert!(d.offers().is_empty());
    }

    #[test]
    fn entry_refs_round_trip_through_a_checkbox_value() {
        let e = EntryRef { kind: Kind::Mcp, slug: "weather".into() };
        assert_eq!(e.form_value(), "mcp/weather");
        assert_eq!(EntryRef::from_form_value("mcp/weather"), Some(e));
        assert_eq!(EntryRef::from_form_value("x/weather"), None);
        assert_eq!(EntryRef::from_form_value("api/"), None);
    }
}

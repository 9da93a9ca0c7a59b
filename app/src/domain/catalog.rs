//! The catalog's vocabulary: what an entry is, who may see it, how a search is asked.

use super::permission::Permission;
use super::role::Role;
use serde::{Deserialize, Serialize};

/// API or MCP server.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
pub enum Kind {
    Api,
    Mcp,
}

/// Who an entry is meant for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
pub enum Audience {
    Public,
    Internal,
    Partner,
}

/// How consumers authenticate to an API.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
pub enum AuthType {
    None,
    ApiKey,
    OAuth2,
}

/// Result order.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
pub enum Sort {
    /// Best match first (by name, then tags, then operations, then description); by name
    /// when there is no search text.
    #[default]
    Relevance,
    Name,
    Updated,
}

codes!(Kind { Api = "api", Mcp = "mcp" });
codes!(Audience { Public = "public", Internal = "internal", Partner = "partner" });
codes!(AuthType { None = "none", ApiKey = "api_key", OAuth2 = "oauth2" });
codes!(Sort { Relevance = "relevance", Name = "name", Updated = "updated" });

/// What one visitor may see of the catalog (DESIGN §1): everyone the public entries;
/// devops and up their own tenant's internal ones; tenant admins, platform admins and
/// auditors partner entries; platform admins every tenant's internal entries.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
pub struct Viewer {
    /// `None` for visitors who are not signed in.
    pub tenant_id: Option<String>,
    pub internal: bool,
    pub partner: bool,
    pub every_tenant: bool,
    /// The signed-in user: the entries they hold an active subscription to (through
    /// an application they own) are theirs to see whatever the audience.
    pub subscriber: Option<uuid::Uuid>,
}

impl Viewer {
    pub fn anonymous() -> Viewer {
        Viewer { tenant_id: None, internal: false, partner: false, every_tenant: false, subscriber: None }
    }

    /// The same rights, plus whatever `user` is subscribed to.
    pub fn subscribed_as(self, user: uuid::Uuid) -> Viewer {
        Viewer { subscriber: Some(user), ..self }
    }

    pub fn of(tenant_id: &str, roles: &[Role]) -> Viewer {
        let may = |p: Permission| super::permission::allows(roles, p);
        Viewer {
            tenant_id: Some(tenant_id.to_owned()),
            internal: may(Permission::SeeInternalApis),
            partner: may(Permission::SeePartnerApis),
            every_tenant: may(Permission::ActAcrossTenants),
            subscriber: None,
        }
    }

    /// Whether an entry of `tenant` for `audience` is visible to this viewer.
    pub fn sees(&self, tenant: &str, audience: Audience) -> bool {
        match audience {
            Audience::Public => true,
            Audience::Partner => self.partner,
            Audience::Internal => {
                self.internal && (self.every_tenant || self.tenant_id.as_deref() == Some(tenant))
            }
        }
    }
}

/// The URL a deployed API is called at through the gateway reached at `gateway_url`
/// (`GATEWAY_PUBLIC_URL`): the one place that spells it.
pub fn gateway_url(gateway_url: &str, tenant: &str, api: &str) -> String {
    format!("{gateway_url}/gw/{tenant}/{api}")
}

/// The URL of an MCP server's remote through the gateway reached at `gateway_url`.
pub fn mcp_url(gateway_url: &str, server: &str) -> String {
    format!("{gateway_url}/gw/mcp/{server}")
}

/// Turns what a user typed into a `to_tsquery` expression: words only (letters and
/// digits, at most 8), all required, the last one as a prefix so results follow typing.
/// `None` when nothing searchable is left.
pub fn tsquery(text: &str) -> Option<String> {
    let words: Vec<String> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .take(8)
        .map(str::to_lowercase)
        .collect();
    let (last, rest) = words.split_last()?;
    let mut q: Vec<String> = rest.to_vec();
    q.push(format!("{last}:*"));
    Some(q.join(" & "))
}

/// Slugs: lowercase letters, digits and dashes, from a name.
pub fn slugify(name: &str) -> String {
    let mut slug = String::new();
    for c in name.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            slug.push(c);
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    slug.trim_end_matches('-').chars().take(63).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn audiences_per_role() {
        let see = |roles: &[Role], tenant: &str, audience| Viewer::of("acme", roles).sees(tenant, audience);
        use Audience::*;
        assert!(Viewer::anonymous().sees("acme", Public));
        assert!(!Viewer::anonymous().sees("acme", Internal));
        assert!(!see(&[Role::Viewer], "acme", Internal));
        assert!(!see(&[Role::Viewer], "acme", Partner));
        assert!(see(&[Role::Devops], "acme", Internal));
        assert!(!see(&[Role::Devops], "globex", Internal), "internal stays inside its tenant");
        assert!(!see(&[Role::Devops], "acme", Partner));
        assert!(see(&[Role::TenantAdmin], "globex", Partner));
        assert!(see(&[Role::CpiAdmin], "globex", Internal));
    }

    #[test]
    fn search_text_becomes_a_safe_prefix_query() {
        assert_eq!(tsquery("Pay ments!").as_deref(), Some("pay & ments:*"));
        assert_eq!(tsquery("weath").as_deref(), Some("weath:*"));
        assert_eq!(tsquery("'); DROP TABLE x; --").as_deref(), Some("drop & table & x:*"));
        assert_eq!(tsquery("  !! "), None);
    }

    #[test]
    fn codes_round_trip() {
        for a in Audience::ALL {
            assert_eq!(Audience::parse(a.as_str()), Some(*a));
        }
        assert_eq!(AuthType::parse("oauth2"), Some(AuthType::OAuth2));
        assert_eq!(Sort::parse("nonsense"), None);
        assert_eq!(slugify("Weather & Forecast API v2"), "weather-forecast-api-v2");
    }
}

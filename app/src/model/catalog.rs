//! The catalog as pages and the REST API see it: search with facets, one entry's detail.

use crate::domain::catalog::{Audience, AuthType, Kind, Sort};
use serde::{Deserialize, Serialize};

/// Entries per page.
pub const PER_PAGE: i64 = 20;

/// A search as typed (query string of `/catalog`, or `/v1/catalog/apis`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
pub struct CatalogParams {
    pub q: Option<String>,
    #[serde(rename = "type")]
    pub kind: Option<String>,
    pub category: Option<String>,
    pub tag: Option<String>,
    pub audience: Option<String>,
    pub auth: Option<String>,
    pub sort: Option<String>,
    pub page: Option<String>,
}

/// A search, parsed: unknown facet values and bad page numbers fall back to "any" and 1
/// (links from older pages keep working).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
pub struct CatalogQuery {
    pub q: Option<String>,
    pub kind: Option<Kind>,
    pub category: Option<String>,
    pub tag: Option<String>,
    pub audience: Option<Audience>,
    pub auth_type: Option<AuthType>,
    pub sort: Sort,
    pub page: i64,
}

impl Default for CatalogQuery {
    fn default() -> CatalogQuery {
        CatalogQuery {
            q: None,
            kind: None,
            category: None,
            tag: None,
            audience: None,
            auth_type: None,
            sort: Sort::Relevance,
            page: 1,
        }
    }
}

impl CatalogParams {
    pub fn parse(&self) -> CatalogQuery {
        let text = |v: &Option<String>| {
            v.as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(|s| s.chars().take(200).collect::<String>())
        };
        CatalogQuery {
            q: text(&self.q),
            kind: text(&self.kind).and_then(|k| Kind::parse(&k)),
            category: text(&self.category),
            tag: text(&self.tag),
            audience: text(&self.audience).and_then(|a| Audience::parse(&a)),
            auth_type: text(&self.auth).and_then(|a| AuthType::parse(&a)),
            sort: text(&self.sort).and_then(|s| Sort::parse(&s)).unwrap_or_default(),
            page: text(&self.page)
                .and_then(|p| p.parse().ok())
                .filter(|p| (1..=10_000).contains(p))
                .unwrap_or(1),
        }
    }
}

/// One entry in a result list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
pub struct CatalogEntry {
    pub tenant_id: String,
    pub kind: Kind,
    pub slug: String,
    pub name: String,
    /// The start of the description (Markdown source).
    pub excerpt: String,
    pub category: String,
    pub tags: Vec<String>,
    pub audience: Audience,
    pub auth_type: AuthType,
    /// The newest published version (a deprecated one only when nothing newer is published).
    pub latest_version: Option<String>,
    pub updated_at: String,
    /// Whether the viewer holds an active subscription to it (they see it whatever its
    /// audience).
    #[serde(default)]
    pub subscribed: bool,
}

impl CatalogEntry {
    /// Where the entry's page is.
    pub fn href(&self) -> String {
        match self.kind {
            Kind::Api => format!("/apis/{}/{}", self.tenant_id, self.slug),
            Kind::Mcp => format!("/mcp/{}", self.slug),
        }
    }
}

/// A facet value and how many results have it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
pub struct Facet {
    pub value: String,
    pub count: i64,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
pub struct Facets {
    pub kind: Vec<Facet>,
    pub category: Vec<Facet>,
    pub tag: Vec<Facet>,
    pub audience: Vec<Facet>,
    pub auth_type: Vec<Facet>,
}

/// One page of results.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
pub struct CatalogResults {
    pub entries: Vec<CatalogEntry>,
    pub total: i64,
    pub facets: Facets,
}

/// Where a version runs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
pub struct Deployment {
    pub environment: String,
    pub state: String,
    pub server_url: Option<String>,
    /// Where this deployment is called through STOA (the gateway's environment only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gateway_url: Option<String>,
}

/// A published (or deprecated / retired) version.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
pub struct VersionInfo {
    pub version: String,
    pub status: String,
    pub openapi: String,
    pub operation_count: i32,
    pub published_at: Option<String>,
    pub deployments: Vec<Deployment>,
    /// Deprecated: when it is retired (RFC 3339).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sunset_at: Option<String>,
    /// Deprecated or retired: the version to move to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub successor: Option<String>,
}

pub use crate::domain::mcp::McpTool;

/// A plan of the entry's tenant, as subscribers compare them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct PlanInfo {
    pub slug: String,
    pub name: String,
    pub description: String,
    pub rate_per_second: Option<i32>,
    pub rate_per_minute: Option<i32>,
    pub daily_quota: Option<i32>,
    pub monthly_quota: Option<i32>,
    pub requires_approval: bool,
}

/// One entry, whole.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
pub struct ItemDetail {
    pub tenant_id: String,
    pub kind: Kind,
    pub slug: String,
    pub name: String,
    pub description: String,
    pub category: String,
    pub tags: Vec<String>,
    pub audience: Audience,
    pub auth_type: AuthType,
    pub requires_approval: bool,
    pub updated_at: String,
    pub versions: Vec<VersionInfo>,
    pub tools: Vec<McpTool>,
    /// The plans one can subscribe with.
    #[serde(default)]
    pub plans: Vec<PlanInfo>,
    /// MCP servers: the endpoint the gateway forwards to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remote_url: Option<String>,
    /// MCP servers: the URL clients connect to, through the gateway (streamable HTTP).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub endpoint: Option<String>,
}

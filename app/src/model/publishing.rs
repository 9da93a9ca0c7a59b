//! Publishing (devops and tenant admins, own tenant): API versions from OpenAPI documents
//! and MCP servers with their tools, from `POST /v1/catalog/apis`, `POST /v1/mcp/servers`
//! and the `/console/apis` forms. Every field is checked and reported against its name; a
//! malformed document or tool schema says what and where.

use crate::domain::catalog::{Audience, AuthType, Kind};
use crate::error::FieldError;
use crate::model::catalog::VersionInfo;
use serde::{Deserialize, Serialize};

/// How an entry presents itself in the catalog (APIs and MCP servers alike).
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
pub struct Metadata {
    pub name: String,
    /// Defaults to a slug of the name.
    #[serde(default)]
    pub slug: Option<String>,
    /// Markdown.
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub category: Option<String>,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub audience: Option<Audience>,
    #[serde(default)]
    pub auth_type: Option<AuthType>,
    #[serde(default)]
    pub requires_approval: bool,
}

/// An API version to store: `POST /v1/catalog/apis`.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
pub struct PublishRequest {
    #[serde(flatten)]
    pub meta: Metadata,
    /// The OpenAPI document, JSON or YAML text.
    pub document: String,
    /// Publish at once (otherwise the version stays a draft).
    #[serde(default)]
    pub publish: bool,
    /// Environments the version is deployed to (dev / staging / prod).
    #[serde(default)]
    pub environments: Vec<String>,
}

/// An MCP server to store and publish: `POST /v1/mcp/servers`. `tools` is MCP's
/// `tools/list` array (`name`, `description`, `inputSchema`).
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
pub struct McpPublishRequest {
    #[serde(flatten)]
    pub meta: Metadata,
    #[serde(default)]
    pub tools: serde_json::Value,
    /// The server's streamable-HTTP endpoint (`http(s)://…`), which the gateway's
    /// `/gw/mcp/{server}` forwards to; none: listed, not callable through STOA.
    #[serde(default)]
    #[cfg_attr(feature = "ssr", schemars(pattern(crate::model::OPTIONAL_HTTP_URL)))]
    pub remote_url: Option<String>,
}

/// What was stored.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
pub struct PublishOutcome {
    pub tenant_id: String,
    pub kind: Kind,
    pub slug: String,
    /// The API version (empty for an MCP server).
    pub version: String,
    pub status: String,
    /// Operations of the version, or tools of the server.
    pub operations: usize,
    pub created: bool,
}

/// One of the tenant's own entries, as its console lists it (drafts included).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
pub struct OwnItem {
    pub kind: Kind,
    pub slug: String,
    pub name: String,
    pub status: String,
    pub audience: Audience,
    pub updated_at: String,
    pub tool_count: i64,
    pub versions: Vec<VersionInfo>,
}

/// The console's publishing form as typed. When the server refuses it, it goes back to
/// the form through the session with the errors, so nothing typed is lost.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
pub struct ConsoleForm {
    /// `api` or `mcp`.
    pub kind: String,
    pub name: String,
    pub slug: String,
    pub description: String,
    pub category: String,
    /// Comma-separated.
    pub tags: String,
    pub audience: String,
    pub auth_type: String,
    pub requires_approval: bool,
    /// The OpenAPI document (APIs), pasted or read from the uploaded file.
    pub document: String,
    pub publish: bool,
    pub environments: Vec<String>,
    /// The tools JSON (MCP servers).
    pub tools: String,
    /// The MCP server's endpoint.
    pub remote_url: String,
}

impl ConsoleForm {
    /// The metadata part, as the REST body would carry it.
    pub fn metadata(&self) -> Metadata {
        let some = |s: &str| Some(s.trim().to_owned()).filter(|s| !s.is_empty());
        Metadata {
            name: self.name.clone(),
            slug: some(&self.slug),
            description: self.description.clone(),
            category: some(&self.category),
            tags: self.tags.split(',').map(|t| t.trim().to_owned()).filter(|t| !t.is_empty()).collect(),
            audience: Audience::parse(&self.audience),
            auth_type: AuthType::parse(&self.auth_type),
            requires_approval: self.requires_approval,
        }
    }

    /// The form of an existing entry, to edit it.
    pub fn of(detail: &crate::model::catalog::ItemDetail) -> ConsoleForm {
        ConsoleForm {
            kind: detail.kind.as_str().into(),
            name: detail.name.clone(),
            slug: detail.slug.clone(),
            description: detail.description.clone(),
            category: detail.category.clone(),
            tags: detail.tags.join(", "),
            audience: detail.audience.as_str().into(),
            auth_type: detail.auth_type.as_str().into(),
            requires_approval: detail.requires_approval,
            tools: if detail.tools.is_empty() {
                String::new()
            } else {
                serde_json::to_string_pretty(&serde_json::json!({ "tools": detail.tools
                    .iter()
                    .map(|t| serde_json::json!({ "name": t.name, "description": t.description, "inputSchema": t.input_schema }))
                    .collect::<Vec<_>>() }))
                .unwrap_or_default()
            },
            remote_url: detail.remote_url.clone().unwrap_or_default(),
            ..Default::default()
        }
    }
}

/// A refused form and why. The server keeps the last one in the session
/// (`crate::flash`) and sends the browser to the form with `?refused=<token>`, so
/// reloading that page shows it again and a fresh form starts empty.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
pub struct FormState {
    pub form: ConsoleForm,
    pub errors: Vec<FieldError>,
}

/// Where the publishing forms post (`multipart/form-data`, a plain axum route of the
/// server so a document can be uploaded as a file).
pub const UPLOAD_PATH: &str = "/console/apis/upload";

/// Session key of the refused form.
pub const FORM_STATE_KEY: &str = "console.publish.form";

/// Where a version stands in its lifecycle.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
pub struct VersionLifecycle {
    pub api: String,
    pub version: String,
    /// `published`, `deprecated` or `retired`.
    pub status: String,
    /// RFC 3339.
    pub deprecated_at: Option<String>,
    /// RFC 3339: when it is retired (or was meant to be).
    pub sunset_at: Option<String>,
    /// The version callers should move to.
    pub successor: Option<String>,
    pub retired_at: Option<String>,
}

//! Subscriptions (DESIGN §3): an application subscribes to an API with a plan, or to an
//! MCP server with some of its tools; active at once when nobody needs to approve,
//! pending otherwise. The tenant-admins of the entry's tenant decide from
//! `/console/subscriptions` (approve, reject with a reason, in bulk; suspend, reactivate,
//! revoke); the subscriber can cancel and extend a subscription with an end date. Every
//! change writes its `stoa.subscription.events` event and an audit entry in the same
//! transaction. The plain form routes (subscribe, decide) live in `server/src/console.rs`.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Where an API or MCP page's subscribe form posts (a form route: tools are checkboxes).
pub const SUBSCRIBE_PATH: &str = "/subscribe";

/// Where the approval queue's forms post (one subscription or several at once).
pub const DECIDE_PATH: &str = "/console/subscriptions/decide";

/// Longest subscription (days) when the plan sets no limit.
pub const MAX_TTL_DAYS: i64 = 365;

/// Most subscriptions the queue shows at once.
pub const QUEUE_LIMIT: i64 = 200;

/// A subscription as subscribers and approvers see it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubscriptionInfo {
    pub id: Uuid,
    pub application_id: Uuid,
    pub application_name: String,
    pub subscriber_name: String,
    pub app_tenant_id: String,
    pub api_tenant_id: String,
    /// `api` or `mcp`.
    pub kind: String,
    pub slug: String,
    pub item_name: String,
    pub item_id: Uuid,
    pub plan_slug: Option<String>,
    pub plan_name: Option<String>,
    pub max_ttl_days: Option<i32>,
    pub tools: Vec<String>,
    pub state: String,
    pub reason: Option<String>,
    pub expires_at: Option<String>,
    pub created_at: String,
    pub decided_at: Option<String>,
}

impl SubscriptionInfo {
    /// The entry's catalog page.
    pub fn href(&self) -> String {
        if self.kind == "mcp" {
            format!("/mcp/{}", self.slug)
        } else {
            format!("/apis/{}/{}", self.api_tenant_id, self.slug)
        }
    }

    /// Whether the requested tools can be called: `enabled`, `pending` or `disabled`.
    pub fn tool_access(&self) -> &'static str {
        match self.state.as_str() {
            "active" => "enabled",
            "pending" => "pending",
            _ => "disabled",
        }
    }

    /// The subscription as REST shows it (MCP subscriptions: access per tool).
    pub fn to_json(&self) -> serde_json::Value {
        let access = self.tool_access();
        serde_json::json!({
            "id": self.id,
            "application": { "id": self.application_id, "name": self.application_name },
            "kind": self.kind,
            "entry": { "id": self.item_id, "tenant_id": self.api_tenant_id, "slug": self.slug, "name": self.item_name },
            "plan": self.plan_slug,
            "state": self.state,
            "reason": self.reason,
            "tools": self.tools.iter().map(|t| serde_json::json!({ "name": t, "access": access })).collect::<Vec<_>>(),
            "expires_at": self.expires_at,
            "created_at": self.created_at,
            "decided_at": self.decided_at,
        })
    }
}

/// The subscribe form as posted from an API or MCP page.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubscribeForm {
    /// `api` or `mcp`.
    pub kind: String,
    /// The API's tenant (MCP server names are unique platform-wide).
    pub tenant: String,
    pub slug: String,
    pub application: String,
    pub plan: String,
    pub tools: Vec<String>,
    pub ttl_days: String,
}

/// The approval queue: subscriptions in one state, and how many wait.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueuePage {
    pub state: String,
    pub items: Vec<SubscriptionInfo>,
    pub pending: i64,
}

/// The states the queue can be filtered by.
pub const QUEUE_STATES: [&str; 6] = ["pending", "active", "suspended", "rejected", "revoked", "cancelled"];

/// `POST /v1/mcp/subscriptions`.
#[derive(Clone, Debug, Deserialize)]
pub struct McpSubscribe {
    /// The MCP server's name, or its id.
    pub server_id: String,
    #[serde(default)]
    pub plan: Option<String>,
    #[serde(default)]
    pub requested_tools: Vec<String>,
    /// An application of the user's; default: one named after the server, created
    /// when missing.
    #[serde(default)]
    pub application_id: Option<Uuid>,
    #[serde(default)]
    pub ttl_days: Option<i64>,
}

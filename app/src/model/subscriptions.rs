//! Subscriptions (DESIGN §3): an application subscribes to an API with a plan, or to an
//! MCP server with some of its tools; active at once when nobody needs to approve,
//! pending otherwise. The tenant-admins of the entry's tenant decide from
//! `/console/subscriptions` (approve, reject with a reason, in bulk; suspend, reactivate,
//! revoke); the subscriber can cancel and extend a subscription with an end date. Every
//! change writes its `stoa.subscription.events` event and an audit entry in the same
//! transaction. The plain form routes (subscribe, decide) live in `server/src/console.rs`.

use crate::domain::catalog::Kind;
use crate::domain::subscription::State;
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
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
pub struct SubscriptionInfo {
    pub id: Uuid,
    pub application_id: Uuid,
    pub application_name: String,
    pub subscriber_name: String,
    pub app_tenant_id: String,
    pub api_tenant_id: String,
    pub kind: Kind,
    pub slug: String,
    pub item_name: String,
    pub item_id: Uuid,
    pub plan_slug: Option<String>,
    pub plan_name: Option<String>,
    /// A move to this plan waits for an approver (the current plan stays in force).
    #[serde(default)]
    pub requested_plan_slug: Option<String>,
    #[serde(default)]
    pub requested_plan_name: Option<String>,
    /// The other plans its entry offers the subscriber (filled on the application's page).
    #[serde(default)]
    pub plan_choices: Vec<PlanChoice>,
    pub max_ttl_days: Option<i32>,
    pub tools: Vec<String>,
    pub state: State,
    pub reason: Option<String>,
    pub expires_at: Option<String>,
    pub created_at: String,
    pub decided_at: Option<String>,
}

impl SubscriptionInfo {
    /// The entry's catalog page.
    pub fn href(&self) -> String {
        if self.kind == Kind::Mcp {
            format!("/mcp/{}", self.slug)
        } else {
            format!("/apis/{}/{}", self.api_tenant_id, self.slug)
        }
    }

    /// Whether the requested tools can be called: `enabled`, `pending` or `disabled`.
    pub fn tool_access(&self) -> &'static str {
        match self.state {
            State::Active => "enabled",
            State::Pending => "pending",
            _ => "disabled",
        }
    }

    /// The subscription as REST shows it (MCP subscriptions: access per tool).
    pub fn view(&self) -> SubscriptionView {
        let access = self.tool_access();
        SubscriptionView {
            id: self.id,
            application: AppRef { id: self.application_id, name: self.application_name.clone() },
            kind: self.kind.as_str().to_owned(),
            entry: EntryRef {
                id: self.item_id,
                tenant_id: self.api_tenant_id.clone(),
                slug: self.slug.clone(),
                name: self.item_name.clone(),
            },
            plan: self.plan_slug.clone(),
            state: self.state,
            reason: self.reason.clone(),
            tools: self
                .tools
                .iter()
                .map(|t| ToolAccess { name: t.clone(), access: access.to_owned() })
                .collect(),
            expires_at: self.expires_at.clone(),
            created_at: self.created_at.clone(),
            decided_at: self.decided_at.clone(),
        }
    }
}

/// A subscription as the REST API shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
pub struct SubscriptionView {
    pub id: Uuid,
    pub application: AppRef,
    /// `api` or `mcp`.
    #[cfg_attr(feature = "ssr", schemars(extend("enum" = ["api", "mcp"])))]
    pub kind: String,
    pub entry: EntryRef,
    /// The plan's slug.
    pub plan: Option<String>,
    pub state: State,
    /// Why it was rejected, suspended or revoked.
    pub reason: Option<String>,
    /// MCP: the tools asked for, and whether they can be called now.
    pub tools: Vec<ToolAccess>,
    /// RFC 3339; none: no end.
    pub expires_at: Option<String>,
    pub created_at: String,
    pub decided_at: Option<String>,
}

/// An application, by id and name.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
pub struct AppRef {
    pub id: Uuid,
    pub name: String,
}

/// A catalog entry (API or MCP server), by id, tenant and slug.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
pub struct EntryRef {
    pub id: Uuid,
    pub tenant_id: String,
    pub slug: String,
    pub name: String,
}

/// A requested MCP tool and whether it can be called.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
pub struct ToolAccess {
    pub name: String,
    #[cfg_attr(feature = "ssr", schemars(extend("enum" = ["enabled", "pending", "disabled"])))]
    pub access: String,
}

/// The subscribe form as posted from an API or MCP page.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
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
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
pub struct QueuePage {
    pub state: State,
    pub items: Vec<SubscriptionInfo>,
    pub pending: i64,
    /// Active subscriptions whose subscribers asked to move to a plan needing approval.
    #[serde(default)]
    pub plan_changes: Vec<SubscriptionInfo>,
}

/// A plan a subscription may move to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
pub struct PlanChoice {
    pub slug: String,
    pub name: String,
    /// Whether the move waits for an approver (for this subscriber).
    pub requires_approval: bool,
}

/// What a move to another plan did.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum PlanMove {
    /// In force at once.
    Changed,
    /// Waiting for an approver; the old plan stays in force.
    Requested,
    /// An approver refused it; the old plan stays.
    Rejected,
    /// The subscriber took it back; the old plan stays.
    Withdrawn,
}

/// The answer to a move to another plan, or to its decision.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
pub struct PlanMoved {
    pub subscription: Uuid,
    pub application_id: Uuid,
    pub outcome: PlanMove,
    /// The plan in force now.
    pub plan: Option<String>,
    /// The plan asked for, while it waits.
    pub requested_plan: Option<String>,
}

/// The states the queue can be filtered by.
pub const QUEUE_STATES: [State; 6] =
    [State::Pending, State::Active, State::Suspended, State::Rejected, State::Revoked, State::Cancelled];

/// `POST /v1/mcp/subscriptions`.
#[derive(Clone, Debug, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
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
    /// Days until the subscription ends (1 to the plan's longest, 365 when it sets none).
    #[serde(default, deserialize_with = "crate::model::whole_number")]
    #[cfg_attr(feature = "ssr", schemars(range(min = 1, max = 365)))]
    pub ttl_days: Option<i64>,
}

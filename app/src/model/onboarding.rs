//! The onboarding wizard as pages and REST see it (`/onboarding`, `/v1/me/onboarding`):
//! where a user stands, what they chose, and the first call the gateway saw.

use crate::domain::onboarding::{Access, Step, UseCase};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The application chosen in the wizard.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
pub struct WizardApplication {
    pub id: Uuid,
    pub name: String,
    /// Its gateway client id (what metering counts calls under).
    pub client_id: String,
    /// Whether it has an API key the gateway accepts (false once revoked or expired:
    /// the wizard offers a new one).
    pub has_key: bool,
}

/// The subscription chosen in the wizard.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
pub struct WizardSubscription {
    pub id: Uuid,
    /// `api` or `mcp`.
    pub kind: String,
    /// The API's (or MCP server's) tenant and slug.
    pub tenant: String,
    pub slug: String,
    pub name: String,
    pub plan: Option<String>,
    pub access: Access,
    /// The approver's reason, when refused.
    pub reason: Option<String>,
}

/// A call through the gateway with a key of the wizard's application, as the last step
/// shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
pub struct SeenCall {
    /// RFC 3339.
    pub at: String,
    pub http_status: Option<u16>,
    /// `success`, `error`, `not_found`, `rate_limited`, `policy_denied`.
    pub status: String,
    pub latency_ms: f64,
    pub operation: String,
}

/// When each step was done (RFC 3339), or not yet.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
pub struct StepTimes {
    pub started_at: Option<String>,
    pub use_case_at: Option<String>,
    pub application_at: Option<String>,
    pub subscription_at: Option<String>,
    pub first_call_at: Option<String>,
    pub completed_at: Option<String>,
}

/// Where a user stands in the wizard.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
pub struct OnboardingState {
    /// Whether the user started the wizard (a user who never did is at its first step).
    pub started: bool,
    /// The step the user is at: the first one not done.
    pub step: Step,
    pub use_case: Option<UseCase>,
    pub application: Option<WizardApplication>,
    pub subscription: Option<WizardSubscription>,
    /// The first successful call through the gateway (from metering).
    pub first_call: Option<SeenCall>,
    /// The latest call when none succeeded yet: a refused one says what to fix.
    pub last_call: Option<SeenCall>,
    /// The first bytes of the first successful call's answer, as the gateway saw them.
    pub first_answer: Option<String>,
    pub times: StepTimes,
    /// First successful call − wizard start, in seconds.
    pub time_to_first_call_seconds: Option<i64>,
    /// The user left the wizard (the navigation no longer offers it).
    pub dismissed: bool,
}

/// REST: the use case chosen.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
pub struct ChooseUseCase {
    pub use_case: UseCase,
}

/// REST: an existing application (`application_id`) or a new one (`name`, `description`).
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
pub struct ChooseApplication {
    pub application_id: Option<Uuid>,
    /// A new key for the chosen application even when it is chosen already (its key
    /// was revoked or lost).
    pub new_key: bool,
    pub name: Option<String>,
    pub description: Option<String>,
}

/// REST: the API or MCP server to subscribe to, and the plan.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
pub struct ChooseSubscription {
    /// `api` or `mcp`.
    pub kind: String,
    pub tenant: String,
    pub slug: String,
    pub plan: Option<String>,
}

/// An API or MCP server the subscription step suggests, with its tenant's plans.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Suggestion {
    /// `api` or `mcp`.
    pub kind: String,
    pub tenant: String,
    pub slug: String,
    pub name: String,
    pub excerpt: String,
    pub plans: Vec<crate::model::catalog::PlanInfo>,
}

/// The exact first call to make: through the gateway, for an operation without a body.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CallHint {
    /// `GET https://…/gw/demo/weather/forecast?…` or the MCP endpoint.
    pub method: String,
    pub url: String,
    /// The operation (or tool) called.
    pub operation: String,
    /// MCP: the JSON-RPC message to send.
    pub body: Option<String>,
    /// The header the key goes in.
    pub key_header: String,
}

/// Everything a step of `/onboarding` shows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OnboardingPage {
    pub state: OnboardingState,
    /// The step shown (may be before the current one: going back is allowed).
    pub shown: Step,
    /// The user's applications (step 2).
    pub applications: Vec<(Uuid, String)>,
    /// Step 3's suggestions.
    pub suggestions: Vec<Suggestion>,
    /// Step 4's call.
    pub hint: Option<CallHint>,
    /// The key just issued, shown once (step 2).
    pub issued_key: Option<String>,
}

/// `GET /v1/admin/onboarding/funnel` and `/console/onboarding`: which users, which
/// stall.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
pub struct FunnelQuery {
    /// The users who started the wizard in the last `days` days (1–365; 30 when absent).
    #[cfg_attr(feature = "ssr", schemars(range(min = 1, max = 365)))]
    pub days: Option<u32>,
    /// A user at a step for more than this many hours is stalled (1–720; 24 when absent).
    #[cfg_attr(feature = "ssr", schemars(range(min = 1, max = 720)))]
    pub stalled_hours: Option<u32>,
    /// One tenant's users (platform admins; everyone else sees their own tenant's).
    /// Empty: every tenant's (platform admins) or the caller's own.
    #[cfg_attr(feature = "ssr", schemars(length(max = 64)))]
    pub tenant: Option<String>,
}

/// Days of the funnel when none is asked for.
pub const FUNNEL_DAYS: u32 = 30;
/// Hours after which a user at a step is stalled, when none is asked for.
pub const STALLED_HOURS: u32 = 24;
/// Stalled users listed (the total is given).
pub const STALLED_ROWS: usize = 100;

/// One stage of the funnel.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
pub struct FunnelStage {
    pub stage: crate::domain::onboarding::Stage,
    pub users: i64,
    /// Share of the users who started, in percent (none without any).
    pub of_started_percent: Option<f64>,
    /// Share of the previous stage's users, in percent.
    pub of_previous_percent: Option<f64>,
}

/// A user at a step for longer than the chosen hours.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
pub struct StalledUser {
    pub username: String,
    pub display_name: String,
    pub tenant: String,
    pub step: Step,
    /// Since when (RFC 3339).
    pub since: String,
    pub hours: i64,
}

/// One tenant's funnel (platform admins, every tenant).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
pub struct TenantFunnel {
    pub tenant: String,
    pub funnel: crate::domain::onboarding::Funnel,
}

/// How users get through the onboarding wizard.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
pub struct FunnelReport {
    /// The users who started in `from..to` (RFC 3339).
    pub from: String,
    pub to: String,
    pub days: u32,
    pub stalled_hours: u32,
    /// The tenant whose users are counted; none: every tenant's.
    pub tenant: Option<String>,
    pub funnel: crate::domain::onboarding::Funnel,
    pub stages: Vec<FunnelStage>,
    /// Each tenant's funnel, when every tenant's users are counted.
    pub by_tenant: Vec<TenantFunnel>,
    /// The longest stalled first, at most [`STALLED_ROWS`].
    pub stalled: Vec<StalledUser>,
    pub stalled_total: i64,
    /// For a platform admin: every tenant, for the tenant filter.
    #[serde(default)]
    pub tenants: Vec<TenantChoice>,
}

/// A tenant the funnel can be narrowed to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
pub struct TenantChoice {
    pub id: String,
    pub name: String,
}

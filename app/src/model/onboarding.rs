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

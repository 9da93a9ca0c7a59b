//! Plans as the console manages them (`/console/plans`, REST `/v1/plans`).

use crate::domain::catalog::Kind;
use crate::domain::plan::{PlanDraft, PlanStatus};
use crate::error::FieldError;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Where the console's plan form posts (a plain form: it carries lists of checkboxes).
pub const SAVE_PATH: &str = "/console/plans/save";
/// Session key of a refused plan form.
pub const FORM_KEY: &str = "plans-form";

/// A plan of a tenant, as its team sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
pub struct ManagedPlan {
    pub id: Uuid,
    pub tenant_id: String,
    pub status: PlanStatus,
    /// What the plan allows and who it is for.
    pub terms: PlanDraft,
    /// Subscriptions with this plan that are active, suspended or waiting for a decision.
    pub subscriptions: i64,
    /// RFC 3339.
    pub updated_at: String,
}

/// One entry of the tenant a plan may be offered on.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
pub struct OfferableEntry {
    pub kind: Kind,
    pub slug: String,
    pub name: String,
}

/// `/console/plans`: a tenant's plans, newest change first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
pub struct PlansPage {
    pub tenant_id: String,
    pub plans: Vec<ManagedPlan>,
    /// Whether the caller may create, change and archive them.
    pub may_manage: bool,
    /// The tenant's APIs and MCP servers, for "offered on".
    pub entries: Vec<OfferableEntry>,
}

/// A subscription with a plan, as the plan's page lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
pub struct PlanSubscription {
    pub id: Uuid,
    pub application: String,
    pub owner: String,
    /// The subscriber's tenant.
    pub tenant_id: String,
    /// The entry subscribed to (its name).
    pub entry: String,
    pub state: String,
    /// RFC 3339.
    pub since: String,
}

/// `/console/plans/{id}`: one plan and the subscriptions that use it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
pub struct PlanPage {
    pub plan: ManagedPlan,
    /// Active, suspended and pending ones, newest first (at most 200).
    pub subscriptions: Vec<PlanSubscription>,
    pub may_manage: bool,
    pub entries: Vec<OfferableEntry>,
}

/// A refused plan form, shown again with its errors next to the fields.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RefusedPlan {
    /// The plan being changed (none: a new one).
    pub id: Option<Uuid>,
    pub draft: PlanDraft,
    pub errors: Vec<FieldError>,
}

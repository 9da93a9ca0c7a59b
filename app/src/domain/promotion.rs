//! The promotion request state machine (DESIGN §3): a request to promote an API version
//! from staging to production, decided by someone other than its requester (four eyes),
//! then deployed.
//!
//! ```text
//! pending ──approve──▶ approved ──start──▶ deploying ──succeed──▶ deployed
//!    │                    │                   └───────fail──────▶ failed
//!    ├──reject──▶ rejected └──fail (launch gave up)──────────────▶ failed
//!    └──cancel──▶ cancelled
//! ```

use serde::{Deserialize, Serialize};

/// Where a request stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum State {
    Pending,
    Approved,
    Deploying,
    Deployed,
    Failed,
    Rejected,
    Cancelled,
}

/// How much a promotion may disturb production, as its requester judges.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Impact {
    Low,
    Medium,
    High,
    Critical,
}

/// What a request promotes (the console offers API versions; the deployer deploys APIs).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum TargetType {
    Api,
    Application,
    Policy,
}

/// Something that moves a request.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Action {
    Approve,
    Reject,
    Cancel,
    /// The deployment job was launched.
    Start,
    /// The deployment job succeeded.
    Succeed,
    /// The deployment job failed, or could not be launched.
    Fail,
}

/// Who moves it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Actor {
    /// The person who asked.
    Requester,
    /// A tenant-admin of the request's tenant, or a cpi-admin — never the requester.
    Approver,
    /// The deployer (AWX, or the built-in one).
    System,
}

/// Why a transition is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Refused {
    #[error("not allowed from this state")]
    WrongState,
    #[error("not yours to take")]
    WrongActor,
    #[error("nobody decides their own request")]
    OwnRequest,
    #[error("a reason of at least 10 characters is required")]
    ReasonTooShort,
}

/// Shortest rejection reason.
pub const MIN_REASON_CHARS: usize = 10;
/// Shortest justification.
pub const MIN_JUSTIFICATION_CHARS: usize = 20;

codes!(State {
    Pending = "pending",
    Approved = "approved",
    Deploying = "deploying",
    Deployed = "deployed",
    Failed = "failed",
    Rejected = "rejected",
    Cancelled = "cancelled",
});
codes!(Impact { Low = "low", Medium = "medium", High = "high", Critical = "critical" });
codes!(TargetType { Api = "api", Application = "application", Policy = "policy" });
codes!(Action {
    Approve = "approve",
    Reject = "reject",
    Cancel = "cancel",
    Start = "start",
    Succeed = "succeed",
    Fail = "fail",
});

impl Action {
    /// Who may take it.
    pub fn actor(self) -> Actor {
        match self {
            Action::Approve | Action::Reject => Actor::Approver,
            Action::Cancel => Actor::Requester,
            Action::Start | Action::Succeed | Action::Fail => Actor::System,
        }
    }

    /// What the audit trail calls it.
    pub fn audit_action(self) -> &'static str {
        match self {
            Action::Approve => "requests.approve",
            Action::Reject => "requests.reject",
            Action::Cancel => "requests.cancel",
            Action::Start => "requests.start",
            Action::Succeed => "requests.succeed",
            Action::Fail => "requests.fail",
        }
    }

    /// The `stoa.promotion.requests` type it emits.
    pub fn event_type(self) -> &'static str {
        use super::event::types;
        match self {
            Action::Approve => types::REQUEST_APPROVED,
            Action::Reject => types::REQUEST_REJECTED,
            Action::Cancel => types::REQUEST_CANCELLED,
            Action::Start => types::DEPLOYMENT_STARTED,
            Action::Succeed => types::DEPLOYMENT_SUCCEEDED,
            Action::Fail => types::DEPLOYMENT_FAILED,
        }
    }
}

/// The state `action` by `actor` leads to from `from`, or why not. `own` says whether the
/// actor is the request's requester; `reason` is checked for rejections.
pub fn transition(
    from: State,
    action: Action,
    actor: Actor,
    own: bool,
    reason: Option<&str>,
) -> Result<State, Refused> {
    use State::*;
    let to = match (from, action) {
        (Pending, Action::Approve) => Approved,
        (Pending, Action::Reject) => Rejected,
        (Pending, Action::Cancel) => Cancelled,
        (Approved, Action::Start) => Deploying,
        (Deploying, Action::Succeed) => Deployed,
        (Approved | Deploying, Action::Fail) => Failed,
        _ => return Err(Refused::WrongState),
    };
    if action.actor() != actor {
        return Err(Refused::WrongActor);
    }
    if actor == Actor::Approver && own {
        return Err(Refused::OwnRequest);
    }
    if actor == Actor::Requester && !own {
        return Err(Refused::WrongActor);
    }
    if action == Action::Reject && !super::long_enough(reason, MIN_REASON_CHARS) {
        return Err(Refused::ReasonTooShort);
    }
    Ok(to)
}

#[cfg(test)]
mod tests {
    use super::*;
    use State::*;

    /// Every allowed transition; everything else is refused.
    const ALLOWED: &[(State, Action, State)] = &[
        (Pending, Action::Approve, Approved),
        (Pending, Action::Reject, Rejected),
        (Pending, Action::Cancel, Cancelled),
        (Approved, Action::Start, Deploying),
        (Approved, Action::Fail, Failed),
        (Deploying, Action::Succeed, Deployed),
        (Deploying, Action::Fail, Failed),
    ];

    const REASON: Option<&str> = Some("Load tests are still red");

    /// Whether `actor` is the requester in the allowed case.
    fn own(actor: Actor) -> bool {
        actor == Actor::Requester
    }

    #[test]
    fn every_state_and_action_pair_is_allowed_or_refused_as_the_table_says() {
        let mut checked = 0;
        for &from in State::ALL {
            for &action in Action::ALL {
                let actor = action.actor();
                let got = transition(from, action, actor, own(actor), REASON);
                match ALLOWED.iter().find(|(f, a, _)| *f == from && *a == action) {
                    Some((_, _, to)) => assert_eq!(got, Ok(*to), "{from:?} --{action:?}-->"),
                    None => {
                        assert_eq!(got, Err(Refused::WrongState), "{from:?} --{action:?}--> must be refused")
                    }
                }
                checked += 1;
            }
        }
        assert_eq!(checked, 42);
    }

    #[test]
    fn only_the_right_actor_takes_an_action_and_nobody_decides_their_own_request() {
        for (from, action, to) in ALLOWED {
            for actor in [Actor::Requester, Actor::Approver, Actor::System] {
                for is_own in [false, true] {
                    let got = transition(*from, *action, actor, is_own, REASON);
                    let want = if actor != action.actor() {
                        Err(Refused::WrongActor)
                    } else if actor == Actor::Approver && is_own {
                        Err(Refused::OwnRequest)
                    } else if actor == Actor::Requester && !is_own {
                        Err(Refused::WrongActor)
                    } else {
                        Ok(*to)
                    };
                    assert_eq!(got, want, "{actor:?} (own: {is_own}) --{action:?}--> from {from:?}");
                }
            }
        }
    }

    #[test]
    fn a_rejection_needs_a_reason_of_ten_characters() {
        let reject = |r| transition(Pending, Action::Reject, Actor::Approver, false, r);
        assert_eq!(reject(None), Err(Refused::ReasonTooShort));
        assert_eq!(reject(Some("  short  ")), Err(Refused::ReasonTooShort));
        assert_eq!(reject(Some("0123456789")), Ok(Rejected));
    }
}

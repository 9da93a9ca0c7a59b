//! The subscription state machine (DESIGN §3): which action moves a subscription from
//! which state to which, who may take it, and the event it emits.
//!
//! ```text
//! pending ──approve──▶ active ──suspend──▶ suspended
//!    │                  │  ▲ ◀─reactivate──┘   │
//!    ├─reject─▶ rejected │  └───────────────────┤
//!    └─cancel─▶ cancelled◀──cancel── active | suspended
//!                        active | suspended ──revoke──▶ revoked
//!                        active ──expire──▶ expired
//! ```

use serde::{Deserialize, Serialize};

/// Where a subscription stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum State {
    Pending,
    Active,
    Rejected,
    Suspended,
    Revoked,
    Expired,
    Cancelled,
}

/// Something someone does to a subscription.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Action {
    Approve,
    Reject,
    Suspend,
    Reactivate,
    Revoke,
    Expire,
    Cancel,
}

/// Who takes an action.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Actor {
    /// A tenant-admin of the API's tenant (or a cpi-admin).
    Approver,
    /// The owner of the subscribing application.
    Subscriber,
    /// The platform itself (expiry).
    System,
}

/// Why a transition is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Refused {
    #[error("not allowed from this state")]
    WrongState,
    #[error("not yours to take")]
    WrongActor,
    #[error("a reason of at least 10 characters is required")]
    ReasonTooShort,
}

/// Shortest rejection reason.
pub const MIN_REASON_CHARS: usize = 10;

codes!(State {
    Pending = "pending",
    Active = "active",
    Rejected = "rejected",
    Suspended = "suspended",
    Revoked = "revoked",
    Expired = "expired",
    Cancelled = "cancelled",
});
codes!(Action {
    Approve = "approve",
    Reject = "reject",
    Suspend = "suspend",
    Reactivate = "reactivate",
    Revoke = "revoke",
    Expire = "expire",
    Cancel = "cancel",
});

impl State {
    /// Still counts against "one live subscription per application and plan".
    pub fn is_live(self) -> bool {
        matches!(self, State::Pending | State::Active | State::Suspended)
    }
}

impl Action {
    /// Who may take it.
    pub fn actor(self) -> Actor {
        match self {
            Action::Approve | Action::Reject | Action::Suspend | Action::Reactivate | Action::Revoke => {
                Actor::Approver
            }
            Action::Cancel => Actor::Subscriber,
            Action::Expire => Actor::System,
        }
    }

    /// What the audit trail calls it.
    pub fn audit_action(self) -> &'static str {
        match self {
            Action::Approve => "subscriptions.approve",
            Action::Reject => "subscriptions.reject",
            Action::Suspend => "subscriptions.suspend",
            Action::Reactivate => "subscriptions.reactivate",
            Action::Revoke => "subscriptions.revoke",
            Action::Cancel => "subscriptions.cancelled",
            Action::Expire => "subscriptions.expired",
        }
    }

    /// The `stoa.subscription.events` type it emits.
    pub fn event_type(self) -> &'static str {
        use super::event::types;
        match self {
            Action::Approve => types::SUBSCRIPTION_APPROVED,
            Action::Reject => types::SUBSCRIPTION_REJECTED,
            Action::Suspend => types::SUBSCRIPTION_SUSPENDED,
            Action::Reactivate => types::SUBSCRIPTION_REACTIVATED,
            Action::Revoke | Action::Cancel => types::SUBSCRIPTION_REVOKED,
            Action::Expire => types::SUBSCRIPTION_EXPIRED,
        }
    }
}

/// The state `action` by `actor` leads to from `from`, or why not. `reason` is checked
/// for rejections.
pub fn transition(from: State, action: Action, actor: Actor, reason: Option<&str>) -> Result<State, Refused> {
    use State::*;
    let to = match (from, action) {
        (Pending, Action::Approve) => Active,
        (Pending, Action::Reject) => Rejected,
        (Active, Action::Suspend) => Suspended,
        (Suspended, Action::Reactivate) => Active,
        (Active | Suspended, Action::Revoke) => Revoked,
        (Active, Action::Expire) => Expired,
        (Pending | Active | Suspended, Action::Cancel) => Cancelled,
        _ => return Err(Refused::WrongState),
    };
    if action.actor() != actor {
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

    /// Every allowed transition, with its actor; everything else is refused.
    const ALLOWED: &[(State, Action, State)] = &[
        (Pending, Action::Approve, Active),
        (Pending, Action::Reject, Rejected),
        (Pending, Action::Cancel, Cancelled),
        (Active, Action::Suspend, Suspended),
        (Active, Action::Revoke, Revoked),
        (Active, Action::Expire, Expired),
        (Active, Action::Cancel, Cancelled),
        (Suspended, Action::Reactivate, Active),
        (Suspended, Action::Revoke, Revoked),
        (Suspended, Action::Cancel, Cancelled),
    ];

    const REASON: Option<&str> = Some("Not a production use case");

    #[test]
    fn every_state_and_action_pair_is_allowed_or_refused_as_the_table_says() {
        let mut checked = 0;
        for &from in State::ALL {
            for &action in Action::ALL {
                let got = transition(from, action, action.actor(), REASON);
                match ALLOWED.iter().find(|(f, a, _)| *f == from && *a == action) {
                    Some((_, _, to)) => assert_eq!(got, Ok(*to), "{from:?} --{action:?}-->"),
                    None => {
                        assert_eq!(got, Err(Refused::WrongState), "{from:?} --{action:?}--> must be refused")
                    }
                }
                checked += 1;
            }
        }
        assert_eq!(checked, 49);
    }

    #[test]
    fn only_the_right_actor_takes_an_action() {
        for (from, action, _) in ALLOWED {
            for actor in [Actor::Approver, Actor::Subscriber, Actor::System] {
                let got = transition(*from, *action, actor, REASON);
                if actor == action.actor() {
                    assert!(got.is_ok(), "{actor:?} may {action:?}");
                } else {
                    assert_eq!(got, Err(Refused::WrongActor), "{actor:?} may not {action:?}");
                }
            }
        }
    }

    #[test]
    fn a_rejection_needs_a_reason_of_ten_characters() {
        let reject = |r| transition(Pending, Action::Reject, Actor::Approver, r);
        assert_eq!(reject(None), Err(Refused::ReasonTooShort));
        assert_eq!(reject(Some("   too short   ")), Err(Refused::ReasonTooShort));
        assert_eq!(reject(Some("0123456789")), Ok(Rejected));
    }

    #[test]
    fn states_and_actions_round_trip_through_their_codes() {
        for &s in State::ALL {
            assert_eq!(State::parse(s.as_str()), Some(s));
        }
        for &a in Action::ALL {
            assert_eq!(Action::parse(a.as_str()), Some(a));
        }
        assert!(Pending.is_live() && Active.is_live() && Suspended.is_live());
        assert!(!Rejected.is_live() && !Revoked.is_live() && !Expired.is_live() && !Cancelled.is_live());
    }
}

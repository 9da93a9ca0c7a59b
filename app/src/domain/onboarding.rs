//! The onboarding wizard (`/onboarding`): its four steps, which one a user is at, which
//! ones they may open, and the funnel's figures over many users' progress.
//!
//! ```text
//! use case ──▶ application ──▶ subscription ──▶ first call ──▶ done
//!                                  │ pending: waits (the user may come back)
//!                                  │ refused: back to choosing a plan
//! ```
//!
//! Each step needs the ones before it; a step already done may be opened again (to
//! change the use case, pick another application or plan) without losing what follows
//! until the user changes it.

use serde::{Deserialize, Serialize};

/// What the user means to call: it chooses what the next steps suggest and which
/// snippets the last one shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum UseCase {
    /// REST APIs.
    Rest,
    /// MCP tools for an AI agent.
    Mcp,
    Both,
}

codes!(UseCase { Rest = "rest", Mcp = "mcp", Both = "both" });

impl UseCase {
    /// Whether REST APIs are suggested and their snippets shown.
    pub fn rest(self) -> bool {
        matches!(self, UseCase::Rest | UseCase::Both)
    }

    /// Whether MCP servers are suggested and their configuration shown.
    pub fn mcp(self) -> bool {
        matches!(self, UseCase::Mcp | UseCase::Both)
    }
}

/// A step of the wizard, in order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Step {
    UseCase,
    Application,
    Subscription,
    FirstCall,
    Done,
}

codes!(Step {
    UseCase = "use_case",
    Application = "application",
    Subscription = "subscription",
    FirstCall = "first_call",
    Done = "done",
});

/// Steps a user goes through (the done page is not one).
pub const STEPS: i64 = 4;

impl Step {
    /// "Step n of 4" (the done page is 4 too: nothing is left).
    pub fn number(self) -> i64 {
        match self {
            Step::UseCase => 1,
            Step::Application => 2,
            Step::Subscription => 3,
            Step::FirstCall | Step::Done => 4,
        }
    }

    /// The URL segment of the step (`/onboarding/use-case`…).
    pub fn slug(self) -> &'static str {
        match self {
            Step::UseCase => "use-case",
            Step::Application => "application",
            Step::Subscription => "subscription",
            Step::FirstCall => "first-call",
            Step::Done => "done",
        }
    }

    /// The step named by a URL segment.
    pub fn of_slug(slug: &str) -> Option<Step> {
        Step::ALL.iter().copied().find(|s| s.slug() == slug)
    }
}

/// Where the chosen subscription stands, as the wizard sees it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Access {
    /// No subscription chosen yet (or the chosen one is gone).
    None,
    /// Waiting for an approver.
    Pending,
    /// Calls may be made.
    Active,
    /// Refused, cancelled, revoked, suspended or expired: another plan is needed.
    Refused,
}

/// What a user has done of the wizard.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Progress {
    pub use_case: Option<UseCase>,
    /// An application of theirs, with a live API key.
    pub application: bool,
    pub access: Option<Access>,
    /// A successful call through the gateway with a key of that application.
    pub first_call: bool,
}

impl Progress {
    /// The step the user is at: the first one not done.
    pub fn current(&self) -> Step {
        if self.use_case.is_none() {
            Step::UseCase
        } else if !self.application {
            Step::Application
        } else if self.access != Some(Access::Active) {
            Step::Subscription
        } else if !self.first_call {
            Step::FirstCall
        } else {
            Step::Done
        }
    }

    /// Whether `step` may be opened: every step before it is done. Otherwise the step to
    /// go back to (skipping ahead by URL).
    pub fn open(&self, step: Step) -> Result<Step, Step> {
        let current = self.current();
        if step <= current {
            Ok(step)
        } else {
            Err(current)
        }
    }
}

/// The funnel over a set of users' progress: how many reached each step, and the
/// times to first call.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
pub struct Funnel {
    /// Users who started the wizard.
    pub started: i64,
    /// Users who chose a use case, an application, an active subscription, made a
    /// first call (in that order: each counts those who went at least that far).
    pub use_case: i64,
    pub application: i64,
    pub subscription: i64,
    pub first_call: i64,
    /// Median and 90th percentile of the time to first call, in seconds (nearest rank).
    pub p50_seconds: Option<i64>,
    pub p90_seconds: Option<i64>,
}

/// A stage of the funnel: started, then past each of the four steps.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    Started,
    UseCase,
    Application,
    Subscription,
    FirstCall,
}

codes!(Stage {
    Started = "started",
    UseCase = "use_case",
    Application = "application",
    Subscription = "subscription",
    FirstCall = "first_call",
});

impl Stage {
    /// Its Fluent key's tail (`onboarding-stage-…`).
    pub fn slug(self) -> &'static str {
        match self {
            Stage::Started => "started",
            Stage::UseCase => "use-case",
            Stage::Application => "application",
            Stage::Subscription => "subscription",
            Stage::FirstCall => "first-call",
        }
    }
}

impl Funnel {
    /// The users at each stage, in order.
    pub fn stages(&self) -> [(Stage, i64); 5] {
        [
            (Stage::Started, self.started),
            (Stage::UseCase, self.use_case),
            (Stage::Application, self.application),
            (Stage::Subscription, self.subscription),
            (Stage::FirstCall, self.first_call),
        ]
    }
}

/// One user's progress as the funnel needs it: the last step they got past, and the
/// seconds from start to first call when they made one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Reached {
    pub step: Step,
    pub first_call_seconds: Option<i64>,
}

/// The nearest-rank `q`-quantile of sorted `values` (`q` in 0..=1).
pub fn nearest_rank(sorted: &[i64], q: f64) -> Option<i64> {
    if sorted.is_empty() {
        return None;
    }
    let rank = ((q * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    Some(sorted[rank - 1])
}

/// The funnel of `users`.
pub fn funnel(users: &[Reached]) -> Funnel {
    let past = |s: Step| users.iter().filter(|u| u.step > s).count() as i64;
    let mut times: Vec<i64> = users.iter().filter_map(|u| u.first_call_seconds).collect();
    times.sort_unstable();
    Funnel {
        started: users.len() as i64,
        use_case: past(Step::UseCase),
        application: past(Step::Application),
        subscription: past(Step::Subscription),
        first_call: past(Step::FirstCall),
        p50_seconds: nearest_rank(&times, 0.5),
        p90_seconds: nearest_rank(&times, 0.9),
    }
}

/// The share of `of` that `part` is, in percent (none when `of` is zero).
pub fn conversion(part: i64, of: i64) -> Option<f64> {
    (of > 0).then(|| part as f64 * 100.0 / of as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(use_case: bool, application: bool, access: Option<Access>, first_call: bool) -> Progress {
        Progress { use_case: use_case.then_some(UseCase::Rest), application, access, first_call }
    }

    #[test]
    fn the_current_step_is_the_first_not_done() {
        for (p, step) in [
            (at(false, false, None, false), Step::UseCase),
            (at(true, false, None, false), Step::Application),
            (at(true, true, None, false), Step::Subscription),
            (at(true, true, Some(Access::Pending), false), Step::Subscription),
            (at(true, true, Some(Access::Refused), false), Step::Subscription),
            (at(true, true, Some(Access::Active), false), Step::FirstCall),
            (at(true, true, Some(Access::Active), true), Step::Done),
            // A subscription refused after the first call: a new plan is needed again.
            (at(true, true, Some(Access::Refused), true), Step::Subscription),
        ] {
            assert_eq!(p.current(), step, "{p:?}");
        }
    }

    #[test]
    fn skipping_ahead_sends_back_and_going_back_is_allowed() {
        let p = at(true, false, None, false);
        assert_eq!(p.open(Step::UseCase), Ok(Step::UseCase));
        assert_eq!(p.open(Step::Application), Ok(Step::Application));
        assert_eq!(p.open(Step::Subscription), Err(Step::Application));
        assert_eq!(p.open(Step::FirstCall), Err(Step::Application));
        assert_eq!(p.open(Step::Done), Err(Step::Application));
    }

    #[test]
    fn steps_have_numbers_slugs_and_codes() {
        assert_eq!(Step::ALL.iter().map(|s| s.number()).collect::<Vec<_>>(), vec![1, 2, 3, 4, 4]);
        for s in Step::ALL {
            assert_eq!(Step::of_slug(s.slug()), Some(*s));
            assert_eq!(Step::parse(s.as_str()), Some(*s));
        }
        assert_eq!(Step::of_slug("nowhere"), None);
        assert!(UseCase::Both.rest() && UseCase::Both.mcp() && !UseCase::Rest.mcp() && !UseCase::Mcp.rest());
    }

    #[test]
    fn the_funnel_counts_who_got_past_each_step_and_the_times_to_first_call() {
        // 10 users: 2 stopped at the use case, 2 at the application, 1 at the
        // subscription, 1 at the first call, 4 done in 60, 120, 180 and 600 s.
        let mut users = Vec::new();
        for (step, n) in
            [(Step::UseCase, 2), (Step::Application, 2), (Step::Subscription, 1), (Step::FirstCall, 1)]
        {
            users.extend((0..n).map(|_| Reached { step, first_call_seconds: None }));
        }
        for s in [600, 60, 180, 120] {
            users.push(Reached { step: Step::Done, first_call_seconds: Some(s) });
        }
        let f = funnel(&users);
        assert_eq!((f.started, f.use_case, f.application, f.subscription, f.first_call), (10, 8, 6, 5, 4));
        assert_eq!((f.p50_seconds, f.p90_seconds), (Some(120), Some(600)));
        assert_eq!(conversion(f.first_call, f.started), Some(40.0));
        assert_eq!(conversion(1, 0), None);
        assert_eq!(funnel(&[]), Funnel::default());
        assert_eq!(
            f.stages().map(|(s, n)| (s.as_str(), n)),
            [("started", 10), ("use_case", 8), ("application", 6), ("subscription", 5), ("first_call", 4)]
        );
    }
}

//! The demo tenant's dataset, defined once: the consumers Alice, Bob and Carol with
//! their applications and subscriptions, promotion requests in different states with
//! their history, and notifications. Ids are derived from names (the same row has the
//! same id after every reset), times are offsets before the reset. The personas'
//! accounts and the catalog are seeded by `db::seed` and `db::demo_catalog`; the demo
//! backends' records by their modules. Pure data: `db::demo_reset` writes it.

use sha2::{Digest, Sha256};
use uuid::Uuid;

/// The id of the dataset's row `kind`/`name`: stable across resets and machines.
pub fn id(kind: &str, name: &str) -> Uuid {
    let digest = Sha256::digest(format!("stoa-demo:{kind}:{name}").as_bytes());
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&digest[..16]);
    Uuid::new_v8(bytes)
}

/// A consumer who is not one of the personas: username, display name (role viewer).
pub const CONSUMERS: &[(&str, &str)] = &[("bob", "Bob Consumer"), ("carol", "Carol Consumer")];

/// An application of the dataset and what it subscribes to.
pub struct App {
    pub owner: &'static str,
    pub name: &'static str,
    pub description: &'static str,
    /// Days before the reset it was created.
    pub days_ago: i64,
    pub subscriptions: &'static [Sub],
}

/// A subscription: an API (with a plan) or an MCP server (with its tools), and its state.
pub struct Sub {
    pub kind: &'static str,
    pub slug: &'static str,
    pub plan: Option<&'static str>,
    pub tools: &'static [&'static str],
    pub state: &'static str,
    /// Who decided (a username), and why when rejected.
    pub decided_by: Option<&'static str>,
    pub reason: Option<&'static str>,
}

const fn api(
    slug: &'static str,
    plan: &'static str,
    state: &'static str,
    decided_by: Option<&'static str>,
) -> Sub {
    Sub { kind: "api", slug, plan: Some(plan), tools: &[], state, decided_by, reason: None }
}

/// The consumers' applications: Alice uses all three demo APIs, Bob the weather, Carol
/// the CRM and payments (and waits for a decision on a second payments plan).
pub const APPS: &[App] = &[
    App {
        owner: "alice",
        name: "Trip planner",
        description: "Plans weekend trips: forecasts, bookings paid by card, customers in the CRM.",
        days_ago: 35,
        subscriptions: &[
            api("weather-forecast", "free", "active", None),
            api("customer-crm", "free", "active", None),
            api("payments", "premium", "active", Some("tara")),
        ],
    },
    App {
        owner: "alice",
        name: "Trip assistant",
        description: "An assistant that answers travellers with the weather MCP server.",
        days_ago: 12,
        subscriptions: &[Sub {
            kind: "mcp",
            slug: "weather",
            plan: Some("free"),
            tools: &["get_alerts", "get_forecast", "search_places"],
            state: "active",
            decided_by: None,
            reason: None,
        }],
    },
    App {
        owner: "bob",
        name: "Weather widget",
        description: "A forecast widget for the intranet's home page.",
        days_ago: 33,
        subscriptions: &[api("weather-forecast", "free", "active", None)],
    },
    App {
        owner: "carol",
        name: "Web shop",
        description: "The shop's checkout and its customer accounts.",
        days_ago: 31,
        subscriptions: &[
            api("customer-crm", "free", "active", None),
            api("payments", "premium", "active", Some("tara")),
        ],
    },
    App {
        owner: "carol",
        name: "Shop back office",
        description: "Refunds and reporting for the shop's staff.",
        days_ago: 2,
        subscriptions: &[
            api("payments", "free", "pending", None),
            Sub {
                kind: "api",
                slug: "weather-forecast",
                plan: Some("premium"),
                tools: &[],
                state: "rejected",
                decided_by: Some("tara"),
                reason: Some("The back office does not need forecasts; the free plan is enough for a test."),
            },
        ],
    },
];

/// A promotion request of the dataset, with its history after `create`.
pub struct Request {
    /// The request's number within the dataset (its id is `PR-<year>-9<number>`).
    pub number: u32,
    pub requester: &'static str,
    pub api: &'static str,
    pub version: &'static str,
    pub impact: &'static str,
    pub justification: &'static str,
    pub release_notes: &'static str,
    pub days_ago: i64,
    /// (actor, action, from, to, comment) after the creation, in order (a comment has no
    /// states: empty).
    pub history: &'static [(&'static str, &'static str, &'static str, &'static str, Option<&'static str>)],
}

/// The dataset's promotion requests: one waiting, one deployed, one rejected, one
/// cancelled (none the deployer would act on).
pub const REQUESTS: &[Request] = &[
    Request {
        number: 1,
        requester: "dave",
        api: "weather-forecast",
        version: "1.1.0",
        impact: "medium",
        justification: "Real operations (places, daily forecast, alerts) replace the generated CRUD; partners asked for date ranges.",
        release_notes: "New: /places, /forecast with from/to, /alerts. 1.0.0 is deprecated.",
        days_ago: 20,
        history: &[
            ("sam", "comment", "", "", Some("Security scan attached; no new data leaves the tenant.")),
            ("tara", "approve", "pending", "approved", Some("Approved for Tuesday's window.")),
            ("system", "start", "approved", "deploying", None),
            ("awx", "succeed", "deploying", "deployed", None),
        ],
    },
    Request {
        number: 2,
        requester: "dave",
        api: "customer-crm",
        version: "3.3.0",
        impact: "high",
        justification: "Leads can be converted into customers from the API; the sales team needs it before the trade fair.",
        release_notes: "New: POST /leads/{id}/convert; search on customers and leads.",
        days_ago: 6,
        history: &[(
            "tara",
            "reject",
            "pending",
            "rejected",
            Some("Personal data: the DPO's review is missing. Attach it and ask again."),
        )],
    },
    Request {
        number: 3,
        requester: "dave",
        api: "payments",
        version: "2.1.0",
        impact: "critical",
        justification: "Refunds in several parts and the balance endpoint, asked for by the shop team for the holiday season.",
        release_notes: "New: partial refunds, GET /balance; SEPA debits settle after processing.",
        days_ago: 1,
        history: &[("sam", "comment", "", "", Some("Please attach the PCI-DSS scope statement before approval."))],
    },
    Request {
        number: 4,
        requester: "dave",
        api: "notifications",
        version: "1.0.0",
        impact: "low",
        justification: "Re-deploying the same version to test the pipeline end to end after the runner upgrade.",
        release_notes: "No change.",
        days_ago: 9,
        history: &[("dave", "cancel", "pending", "cancelled", Some("Not needed: the runner test passed on staging."))],
    },
];

/// A notification of the dataset: user, kind, subject, link, days before the reset,
/// read or not.
pub const NOTIFICATIONS: &[(&str, &str, &str, &str, i64, bool)] = &[
    (
        "alice",
        "subscription-approved",
        "Your subscription to Payments API (premium) was approved.",
        "/apps",
        34,
        true,
    ),
    (
        "carol",
        "subscription-approved",
        "Your subscription to Payments API (premium) was approved.",
        "/apps",
        30,
        true,
    ),
    (
        "carol",
        "subscription-rejected",
        "Your subscription to Weather Forecast API (premium) was rejected.",
        "/apps",
        1,
        false,
    ),
    (
        "tara",
        "subscription-pending",
        "Carol Consumer asks for Payments API (free) for Shop back office.",
        "/console/subscriptions",
        2,
        false,
    ),
    (
        "tara",
        "request-pending",
        "Dave Devops asks to promote Payments API 2.1.0 to production.",
        "/console/requests",
        1,
        false,
    ),
    (
        "dave",
        "request-rejected",
        "Your request to promote Customer CRM API 3.3.0 was rejected.",
        "/console/requests",
        5,
        false,
    ),
    (
        "dave",
        "request-deployed",
        "Weather Forecast API 1.1.0 is deployed in production.",
        "/console/requests",
        18,
        true,
    ),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_stable_and_distinct() {
        assert_eq!(id("app", "alice/Trip planner"), id("app", "alice/Trip planner"));
        assert_ne!(id("app", "alice/Trip planner"), id("app", "bob/Weather widget"));
        assert_ne!(id("app", "x"), id("subscription", "x"));
        // Every application's name is unique per owner; every request number unique.
        let mut names: Vec<_> = APPS.iter().map(|a| (a.owner, a.name)).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), APPS.len());
        let owners = ["alice", "bob", "carol"];
        assert!(APPS.iter().all(|a| owners.contains(&a.owner)));
    }
}

//! The demo tenant's dataset, defined once: the consumers Alice, Bob and Carol with
//! their applications and subscriptions, promotion requests in different states with
//! their history, and notifications. Ids are derived from names (the same row has the
//! same id after every reset), times are offsets before the reset. The personas'
//! accounts and the catalog are seeded by `service::demo::seed`; the demo
//! backends' records by their modules. Pure data: `db::demo::reset` writes it.

use crate::domain::role::Role;
use sha2::{Digest, Sha256};
use uuid::Uuid;

/// The demo tenant's id: its catalog every user may try, its dataset reset every day.
pub const DEMO_TENANT: &str = "demo";

/// The id of the dataset's row `kind`/`name`: stable across resets and machines.
pub fn id(kind: &str, name: &str) -> Uuid {
    let digest = Sha256::digest(format!("stoa-demo:{kind}:{name}").as_bytes());
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&digest[..16]);
    Uuid::new_v8(bytes)
}

/// One beta user per persona (DESIGN §1): username, display name, role.
pub const BETA_USERS: [(&str, &str, Role); 5] = [
    ("alice", "Alice Consumer", Role::Viewer),
    ("dave", "Dave Devops", Role::Devops),
    ("tara", "Tara Tenant-Admin", Role::TenantAdmin),
    ("carl", "Carl Platform-Admin", Role::CpiAdmin),
    ("sam", "Sam Security", Role::Security),
];

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

/// What a notification of the dataset is about: the subscription of `owner`'s
/// application `app` to `slug` with `plan`, or the request promoting `api` `version`.
#[derive(Clone, Copy, Debug)]
pub enum About {
    Subscription { owner: &'static str, app: &'static str, slug: &'static str, plan: &'static str },
    Request { api: &'static str, version: &'static str },
}

/// A notification of the dataset, shaped as the notification consumer makes them: its
/// subject names things (entry · plan · application, or request · entry version), the
/// sentence is the kind's, in the reader's language.
pub struct Note {
    pub user: &'static str,
    pub kind: &'static str,
    pub subject: &'static str,
    pub about: About,
    pub read: bool,
}

/// Hours after its application was created that a dataset subscription was asked for,
/// and decided.
pub const SUBSCRIBED_AFTER_HOURS: i64 = 1;
pub const SUBSCRIPTION_DECIDED_AFTER_HOURS: i64 = 2;
/// Hours between two steps of a dataset request's history.
pub const REQUEST_STEP_HOURS: i64 = 2;

impl Request {
    /// Hours after its creation that the request's `i`-th history step (0: created) happened.
    pub fn step_hours(i: usize) -> i64 {
        i as i64 * REQUEST_STEP_HOURS
    }

    /// Hours after its creation that the request reached `state`, if it did.
    pub fn hours_to(&self, state: &str) -> Option<i64> {
        match state {
            "pending" => Some(0),
            _ => self.history.iter().position(|h| h.3 == state).map(|i| Request::step_hours(i + 1)),
        }
    }

    /// Hours after its creation that someone approved or rejected it, if anyone did.
    pub fn decided_hours(&self) -> Option<i64> {
        let i = self.history.iter().position(|h| matches!(h.1, "approve" | "reject"))?;
        Some(Request::step_hours(i + 1))
    }
}

impl Note {
    /// How long before the reset it was sent, in hours: when what it tells happened (a
    /// subscription or request made or decided), so that it and the page it links to say
    /// the same time.
    pub fn hours_ago(&self) -> i64 {
        let state = self.kind.rsplit('-').next().unwrap_or_default();
        match self.about {
            About::Subscription { owner, app, .. } => {
                let created =
                    APPS.iter().find(|a| a.owner == owner && a.name == app).map_or(0, |a| a.days_ago * 24);
                match state {
                    "pending" => created - SUBSCRIBED_AFTER_HOURS,
                    _ => created - SUBSCRIPTION_DECIDED_AFTER_HOURS,
                }
            }
            About::Request { api, version } => {
                let Some(r) = REQUESTS.iter().find(|r| r.api == api && r.version == version) else {
                    return 0;
                };
                r.days_ago * 24 - r.hours_to(state).unwrap_or(0)
            }
        }
    }
}

const fn sub(owner: &'static str, app: &'static str, slug: &'static str, plan: &'static str) -> About {
    About::Subscription { owner, app, slug, plan }
}

pub const NOTIFICATIONS: &[Note] = &[
    Note {
        user: "alice",
        kind: "subscription-approved",
        subject: "Payments API · premium · Trip planner",
        about: sub("alice", "Trip planner", "payments", "premium"),
        read: true,
    },
    Note {
        user: "carol",
        kind: "subscription-approved",
        subject: "Payments API · premium · Web shop",
        about: sub("carol", "Web shop", "payments", "premium"),
        read: true,
    },
    Note {
        user: "carol",
        kind: "subscription-rejected",
        subject: "Weather Forecast API · premium · Shop back office",
        about: sub("carol", "Shop back office", "weather-forecast", "premium"),
        read: false,
    },
    Note {
        user: "tara",
        kind: "subscription-pending",
        subject: "Payments API · free · Shop back office",
        about: sub("carol", "Shop back office", "payments", "free"),
        read: false,
    },
    Note {
        user: "tara",
        kind: "request-pending",
        subject: "Payments API 2.1.0",
        about: About::Request { api: "payments", version: "2.1.0" },
        read: false,
    },
    Note {
        user: "dave",
        kind: "request-rejected",
        subject: "Customer CRM API 3.3.0",
        about: About::Request { api: "customer-crm", version: "3.3.0" },
        read: false,
    },
    Note {
        user: "dave",
        kind: "request-deployed",
        subject: "Weather Forecast API 1.1.0",
        about: About::Request { api: "weather-forecast", version: "1.1.0" },
        read: true,
    },
];

/// A stream of calls of the dataset's history: an application calling an API (or an MCP
/// server), how many times on a weekday, and its operations (id, method, weight,
/// answer's size in bytes).
struct Traffic {
    owner: &'static str,
    app: &'static str,
    api: &'static str,
    mcp: bool,
    weekday_calls: f64,
    operations: &'static [(&'static str, &'static str, u32, u64)],
}

const WEATHER: &[(&str, &str, u32, u64)] =
    &[("getForecast", "GET", 60, 1_450), ("searchPlaces", "GET", 25, 520), ("listAlerts", "GET", 15, 310)];

/// The consumers' calls: Alice plans trips, Bob's widget polls the weather, Carol's shop
/// sells (the back office waits for its subscription: no calls).
const TRAFFIC: &[Traffic] = &[
    Traffic {
        owner: "alice",
        app: "Trip planner",
        api: "weather-forecast",
        mcp: false,
        weekday_calls: 40.0,
        operations: WEATHER,
    },
    Traffic {
        owner: "alice",
        app: "Trip planner",
        api: "customer-crm",
        mcp: false,
        weekday_calls: 18.0,
        operations: &[
            ("listCustomers", "GET", 50, 2_100),
            ("getCustomer", "GET", 30, 380),
            ("createLead", "POST", 20, 420),
        ],
    },
    Traffic {
        owner: "alice",
        app: "Trip planner",
        api: "payments",
        mcp: false,
        weekday_calls: 12.0,
        operations: &[
            ("createPayment", "POST", 55, 410),
            ("getPayment", "GET", 35, 410),
            ("refundPayment", "POST", 10, 260),
        ],
    },
    Traffic {
        owner: "alice",
        app: "Trip assistant",
        api: "weather",
        mcp: true,
        weekday_calls: 25.0,
        operations: &[
            ("get_forecast", "POST", 60, 1_600),
            ("get_alerts", "POST", 25, 400),
            ("search_places", "POST", 15, 600),
        ],
    },
    Traffic {
        owner: "bob",
        app: "Weather widget",
        api: "weather-forecast",
        mcp: false,
        weekday_calls: 80.0,
        operations: WEATHER,
    },
    Traffic {
        owner: "carol",
        app: "Web shop",
        api: "customer-crm",
        mcp: false,
        weekday_calls: 30.0,
        operations: &[
            ("getCustomer", "GET", 45, 380),
            ("updateCustomer", "PATCH", 20, 380),
            ("createCustomer", "POST", 35, 380),
        ],
    },
    Traffic {
        owner: "carol",
        app: "Web shop",
        api: "payments",
        mcp: false,
        weekday_calls: 25.0,
        operations: &[
            ("createPayment", "POST", 60, 410),
            ("capturePayment", "POST", 15, 410),
            ("getBalance", "GET", 25, 180),
        ],
    },
];

/// How busy each hour of a day is (UTC): office hours, a lunch dip, quiet nights.
const HOURS: [u32; 24] = [1, 1, 1, 1, 1, 2, 4, 7, 10, 12, 12, 11, 8, 10, 12, 12, 11, 9, 6, 4, 3, 2, 2, 1];

/// One call of the history.
#[derive(Clone, Debug, PartialEq)]
pub struct PastCall {
    pub id: Uuid,
    /// The calling application's id.
    pub application: Uuid,
    pub api: &'static str,
    pub mcp: bool,
    pub operation: &'static str,
    pub method: &'static str,
    pub at: chrono::DateTime<chrono::Utc>,
    pub http_status: u16,
    pub latency_ms: f64,
    pub request_bytes: u64,
    pub response_bytes: u64,
}

/// The days of history the dataset has.
pub const HISTORY_DAYS: i64 = 30;

/// The calls of the `HISTORY_DAYS` days before `today` (UTC): the same calls, with the
/// same ids, for the same day, whoever computes them. Weekends are quieter; the Payments
/// API has an error burst nine days ago (13:00–17:00), the weather one seventeen days ago
/// (09:00–12:00); the CRM was
/// slow five days ago; Bob's widget is sometimes over its free plan's rate.
pub fn history(today: chrono::NaiveDate) -> Vec<PastCall> {
    use super::kit::unit;
    use chrono::{Datelike, TimeZone, Weekday};
    let total: u32 = HOURS.iter().sum();
    let mut out = Vec::new();
    for days_ago in 1..=HISTORY_DAYS {
        let date = today - chrono::Duration::days(days_ago);
        let d = date.to_string();
        let weekend = matches!(date.weekday(), Weekday::Sat | Weekday::Sun);
        let midnight = chrono::Utc.from_utc_datetime(&date.and_hms_opt(0, 0, 0).unwrap_or_default());
        for t in TRAFFIC {
            let stream = format!("{}/{}/{}", t.owner, t.app, t.api);
            let application = id("application", &format!("{}/{}", t.owner, t.app));
            let factor = if weekend { 0.35 } else { 1.0 } * (0.8 + 0.4 * unit(&[&stream, &d, "n"]));
            let n = (t.weekday_calls * factor).round() as u32;
            // During an incident the clients retry: more calls, in its hours.
            let incident: Option<(i64, i64)> = match (t.api, days_ago) {
                ("payments", 9) => Some((13, 4)),
                ("weather-forecast", 17) => Some((9, 3)),
                _ => None,
            };
            let retries = if incident.is_some() { 8 } else { 0 };
            let weights: u32 = t.operations.iter().map(|o| o.2).sum();
            for i in 0..n + retries {
                let key = format!("{stream}/{d}/{i}");
                let pick = |salt: &str| unit(&[&key, salt]);
                // The hour by the day's rhythm (a retry: in the incident's hours), then a
                // second within it.
                let mut at = (pick("h") * f64::from(total)) as u32;
                let hour = HOURS.iter().position(|w| {
                    let here = at < *w;
                    at = at.saturating_sub(*w);
                    here
                });
                let hour = match incident {
                    Some((from, hours)) if i >= n => from + (pick("i") * hours as f64) as i64,
                    _ => hour.unwrap_or(12) as i64,
                };
                let second = (pick("s") * 3_600.0) as i64;
                let at = midnight + chrono::Duration::seconds(hour * 3_600 + second);
                let mut w = (pick("o") * f64::from(weights)) as u32;
                let op = t.operations.iter().find(|o| {
                    let here = w < o.2;
                    w = w.saturating_sub(o.2);
                    here
                });
                let (operation, method, _, bytes) = *op.unwrap_or(&t.operations[0]);
                let burst = match incident {
                    Some((from, hours)) if (from..from + hours).contains(&hour) => i >= n || pick("e") < 0.6,
                    _ => false,
                };
                let http_status = if burst {
                    if t.api == "payments" {
                        502
                    } else {
                        503
                    }
                } else if t.owner == "bob" && pick("r") < 0.03 {
                    429
                } else if pick("x") < 0.01 {
                    404
                } else if method == "POST" && !t.mcp {
                    201
                } else {
                    200
                };
                let slow = if t.api == "customer-crm" && days_ago == 5 { 5.0 } else { 1.0 };
                let latency_ms = ((12.0 + 60.0 * pick("l").powi(3)) * slow * 10.0).round() / 10.0;
                let failed = http_status >= 400;
                out.push(PastCall {
                    id: id("call", &key),
                    application,
                    api: t.api,
                    mcp: t.mcp,
                    operation,
                    method,
                    at,
                    http_status,
                    latency_ms,
                    request_bytes: if method == "GET" { 0 } else { 180 },
                    response_bytes: if failed { 120 } else { bytes },
                });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_history_has_a_rhythm_bursts_and_is_the_same_for_the_same_day() {
        let today = chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap_or_default();
        let calls = history(today);
        assert_eq!(calls, history(today), "deterministic");
        assert!((4_000..8_000).contains(&calls.len()), "{} calls", calls.len());
        let first = today - chrono::Duration::days(HISTORY_DAYS);
        assert!(calls.iter().all(|c| c.at.date_naive() >= first && c.at.date_naive() < today));
        // Weekdays busier than weekends; office hours busier than nights.
        use chrono::{Datelike, Timelike};
        let per = |f: &dyn Fn(&PastCall) -> bool| calls.iter().filter(|c| f(c)).count() as f64;
        let weekend = per(&|c| c.at.weekday().number_from_monday() >= 6) / 8.0;
        let weekday = per(&|c| c.at.weekday().number_from_monday() < 6) / 22.0;
        assert!(weekday > 2.0 * weekend, "{weekday} vs {weekend} a day");
        assert!(per(&|c| (9..17).contains(&c.at.hour())) > 4.0 * per(&|c| c.at.hour() < 6));
        // The payments burst nine days ago, the slow CRM day.
        let burst = today - chrono::Duration::days(9);
        assert!(per(&|c| c.at.date_naive() == burst && c.http_status == 502) >= 3.0);
        let slow = today - chrono::Duration::days(5);
        let mean = |f: &dyn Fn(&PastCall) -> bool| {
            let l: Vec<f64> = calls.iter().filter(|c| f(c)).map(|c| c.latency_ms).collect();
            l.iter().sum::<f64>() / l.len().max(1) as f64
        };
        assert!(
            mean(&|c| c.api == "customer-crm" && c.at.date_naive() == slow)
                > 3.0 * mean(&|c| c.api == "customer-crm" && c.at.date_naive() != slow)
        );
        assert!(per(&|c| c.http_status == 429) > 10.0, "Bob over his rate");
        // Tomorrow's history shares 29 days with today's, call for call.
        let tomorrow = history(today + chrono::Duration::days(1));
        let shared = tomorrow.iter().filter(|c| c.at.date_naive() < today).count();
        assert_eq!(shared, calls.iter().filter(|c| c.at.date_naive() > first).count());
    }

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

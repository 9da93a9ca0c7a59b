//! What a journey starts from: applications (with a key, a subscription, a client id),
//! the echo API published on a real upstream with its plans, the wizard done, events in
//! the outbox delivered, and metering events in the STOA gateway's shape.

use super::app::{json_call, TestApp};
use super::doubles::upstream::{upstream_seeing, Seen};
use super::people::demo_cookie;
use app::db::{event_log, outbox};
use app::domain::event::{CloudEvent, Topic};
use serde_json::{json, Value};
use server::events::relay::{Relay, Sink};
use server::events::Dispatcher;
use sqlx::PgPool;
use uuid::Uuid;

/// A new API-key application of `cookie`'s user, over REST: its id.
pub async fn application(app: &TestApp, cookie: &str, name: &str) -> String {
    let body = json!({ "name": name, "security_profile": "api_key" });
    let (status, created) = json_call(app, "POST", "/v1/applications", Some(cookie), body).await;
    assert_eq!(status, 201, "{created}");
    created["id"].as_str().expect("id").to_owned()
}

pub fn document(server: &str) -> String {
    document_version(server, "1.0.0")
}

/// The echo API's document at `version` (its successors in lifecycle journeys).
pub fn document_version(server: &str, version: &str) -> String {
    json!({
        "openapi": "3.0.3",
        "info": { "title": "Echo", "version": version },
        "servers": [{ "url": server }],
        "paths": {
            "/orders/{id}": {
                "get": { "operationId": "getOrder", "responses": { "200": { "description": "OK" } } },
                "put": { "operationId": "putOrder", "responses": { "200": { "description": "OK" } } }
            },
            "/slow": { "get": { "operationId": "slow", "responses": { "200": { "description": "OK" } } } }
        }
    })
    .to_string()
}

/// Publishes the echo API (prod at `server`) in the demo tenant as dave.
pub async fn publish(app: &TestApp, slug: &str, server: &str) {
    let dave = demo_cookie(app, "dave").await;
    let body = json!({ "name": slug, "slug": slug, "document": document(server), "publish": true, "environments": ["prod"] });
    let (status, out) = json_call(app, "POST", "/v1/catalog/apis", Some(&dave), body).await;
    assert_eq!(status, 201, "{out}");
}

/// The seeded platform with the echo API published in the demo tenant on a real
/// upstream (loopback allowed) and a plan `open` without limits: most gateway journeys
/// start there.
pub async fn echo_platform(pool: &PgPool) -> TestApp {
    app::service::demo::seed::run(pool).await.expect("seed");
    let port = upstream_seeing(Seen::default()).await;
    let app = TestApp::with_env(pool.clone(), &[("TRY_IT_ALLOWED_NETWORKS", "127.0.0.1/32")]);
    publish(&app, "echo", &format!("http://127.0.0.1:{port}/v1")).await;
    plan(pool, "open", None, None).await;
    app
}

/// A plan of the demo tenant with these limits.
pub async fn plan(pool: &PgPool, slug: &str, per_minute: Option<i32>, daily: Option<i32>) {
    let mut conn = pool.acquire().await.expect("conn");
    app::db::plans::upsert(
        &mut conn,
        &app::db::plans::NewPlan {
            slug,
            name: slug,
            description: "",
            rate_per_minute: per_minute,
            daily_quota: daily,
            ..app::db::plans::NewPlan::starting("demo")
        },
    )
    .await
    .expect("plan");
}

/// An application of `cookie`'s user with a key; subscribed to `entry` with `plan` when
/// given. Returns (application id, key, subscription id).
pub async fn client(
    app: &TestApp,
    cookie: &str,
    name: &str,
    entry: &str,
    plan: Option<&str>,
) -> (String, String, String) {
    client_in(app, cookie, name, "demo", entry, plan).await
}

/// A new application of `cookie`'s user with an API key, subscribed to `tenant`'s `entry`
/// on `plan` (active at once): its id, key and subscription id.
pub async fn client_in(
    app: &TestApp,
    cookie: &str,
    name: &str,
    tenant: &str,
    entry: &str,
    plan: Option<&str>,
) -> (String, String, String) {
    let id = application(app, cookie, name).await;
    let (_, key) =
        json_call(app, "POST", &format!("/v1/applications/{id}/keys"), Some(cookie), json!({})).await;
    let key = key["secret"].as_str().expect("secret").to_owned();
    let mut subscription = String::new();
    if let Some(plan) = plan {
        let body = json!({ "application_id": id, "tenant": tenant, "entry": entry, "plan": plan });
        let (status, sub) = json_call(app, "POST", "/v1/subscriptions", Some(cookie), body).await;
        assert_eq!((status, sub["state"].as_str()), (201, Some("active")), "{sub}");
        subscription = sub["id"].as_str().expect("id").to_owned();
    }
    (id, key, subscription)
}

/// One event exactly as a STOA gateway writes it: no field of ours, optional ones absent.
pub fn stoa_event(
    consumer: &str,
    tool: &str,
    status: &str,
    latency_ms: u64,
    at: chrono::DateTime<chrono::Utc>,
) -> Value {
    json!({
        "event_id": Uuid::new_v4(),
        "timestamp": at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
        "tenant_id": "demo",
        "consumer_id": consumer,
        "tool_name": tool,
        "action": "tools/call",
        "latency_ms": latency_ms,
        "status": status,
        "request_size_bytes": 120,
        "response_size_bytes": 2048,
        "t_gateway_ms": 1,
        "t_backend_ms": latency_ms.saturating_sub(1),
        "token_count": 0,
        "tool_tier": "standard",
        "cost_units_microcents": 0
    })
}

/// A client id of a new application `name` of `cookie`'s user, and its id.
pub async fn new_application(app: &TestApp, cookie: &str, pool: &PgPool, name: &str) -> (String, String) {
    let id = application(app, cookie, name).await;
    (client_id(pool, &id).await, id)
}

/// The gateway client id of an application (what a STOA gateway's events name).
pub async fn client_id(pool: &PgPool, application: &str) -> String {
    sqlx::query_scalar("SELECT client_id FROM applications WHERE id = $1::uuid")
        .bind(application)
        .fetch_one(pool)
        .await
        .expect("client id")
}

pub async fn wizard(app: &TestApp, cookie: &str) -> Value {
    let (status, state) = json_call(app, "GET", "/v1/me/onboarding", Some(cookie), Value::Null).await;
    assert_eq!(status, 200, "{state}");
    state
}

/// The wizard's state once it is done and holds the first answer (the gateway records
/// them off the request's path), or the last one read after 10 s.
pub async fn wizard_done(app: &TestApp, cookie: &str) -> Value {
    let mut state = Value::Null;
    for _ in 0..100 {
        state = wizard(app, cookie).await;
        if state["step"] == "done" && state["first_answer"].is_string() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    state
}

/// Runs the outbox through the in-process consumers (event log, notifications).
pub async fn deliver(pool: &PgPool) {
    let mut relay = Relay::new(pool.clone(), Sink::InProcess(Dispatcher::standard(pool.clone())));
    while relay.drain_once().await.expect("drain") > 0 {}
}

/// Writes `n` events, each in its own committed transaction, as state changes will.
pub async fn write_events(pool: &PgPool, n: usize) -> Vec<Uuid> {
    let mut ids = Vec::with_capacity(n);
    for i in 0..n {
        let mut tx = pool.begin().await.expect("begin");
        let ev = CloudEvent::new("dev.gostoa.test.ping", "demo", None, serde_json::json!({ "i": i }));
        outbox::enqueue(&mut tx, Topic::Platform, &ev).await.expect("enqueue");
        tx.commit().await.expect("commit");
        ids.push(ev.id);
    }
    ids
}

/// Writes an event in a transaction that then rolls back; returns its id.
pub async fn write_rolled_back_event(pool: &PgPool) -> Uuid {
    let mut tx = pool.begin().await.expect("begin");
    let ev = CloudEvent::new("dev.gostoa.test.ghost", "demo", None, serde_json::json!({}));
    outbox::enqueue(&mut tx, Topic::Platform, &ev).await.expect("enqueue");
    tx.rollback().await.expect("rollback");
    ev.id
}

/// Asserts each id was handled by the event log exactly once.
pub async fn assert_logged_once(pool: &PgPool, ids: &[Uuid]) {
    let counts = event_log::times_logged(pool, ids).await.expect("counts");
    let wrong: Vec<_> = counts.iter().filter(|(_, n)| *n != 1).collect();
    assert!(wrong.is_empty(), "events not handled exactly once: {wrong:?}");
    assert_eq!(counts.len(), ids.len());
}

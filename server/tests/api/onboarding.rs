//! The onboarding wizard over REST: each step stored, skipping ahead refused with the
//! step to do first, steps sent twice changing nothing, another user's application not
//! found, and the first call made through the gateway with the wizard's key detected
//! from metering — with the time to it.

use crate::gateway::{call, client, plan, publish};
use crate::helpers::{demo_cookie, json_call, upstream_seeing, Seen, TestApp};
use serde_json::{json, Value};
use sqlx::PgPool;

async fn wizard(app: &TestApp, cookie: &str) -> Value {
    let (status, state) = json_call(app, "GET", "/v1/me/onboarding", Some(cookie), Value::Null).await;
    assert_eq!(status, 200, "{state}");
    state
}

#[sqlx::test(migrations = "../migrations")]
async fn the_wizard_goes_from_use_case_to_a_first_call_through_the_gateway(pool: PgPool) {
    app::db::seed::run(&pool).await.expect("seed");
    let seen = Seen::default();
    let port = upstream_seeing(seen.clone()).await;
    let app = TestApp::with_env(pool.clone(), &[("TRY_IT_ALLOWED_NETWORKS", "127.0.0.1/32")]);
    publish(&app, "echo", &format!("http://127.0.0.1:{port}/v1")).await;
    plan(&pool, "open", None, None).await;
    let alice = demo_cookie(&app, "alice").await;

    // Not started: at the first step.
    let state = wizard(&app, &alice).await;
    assert_eq!(
        (state["started"].as_bool(), state["step"].as_str()),
        (Some(false), Some("use_case")),
        "{state}"
    );
    // Skipping ahead is refused with the step to do first, and nothing is created.
    let (status, out) = json_call(
        &app,
        "POST",
        "/v1/me/onboarding/subscription",
        Some(&alice),
        json!({ "kind": "api", "tenant": "demo", "slug": "echo", "plan": "open" }),
    )
    .await;
    assert_eq!((status, out["reason"].as_str()), (409, Some("needs-use-case")), "{out}");
    let (status, out) =
        json_call(&app, "POST", "/v1/me/onboarding/application", Some(&alice), json!({ "name": "Too soon" }))
            .await;
    assert_eq!((status, out["reason"].as_str()), (409, Some("needs-use-case")), "{out}");

    // Step 1.
    let (status, state) =
        json_call(&app, "POST", "/v1/me/onboarding/use-case", Some(&alice), json!({ "use_case": "rest" }))
            .await;
    assert_eq!((status, state["step"].as_str()), (200, Some("application")), "{state}");
    // Step 2: a new application and its key, once; the same again issues nothing.
    let body = json!({ "name": "First steps", "description": "From the wizard" });
    let (status, chosen) =
        json_call(&app, "POST", "/v1/me/onboarding/application", Some(&alice), body.clone()).await;
    assert_eq!(status, 200, "{chosen}");
    let key = chosen["issued"]["secret"].as_str().expect("key shown once").to_owned();
    assert_eq!(chosen["state"]["step"], "subscription", "{chosen}");
    let (status, again) = json_call(&app, "POST", "/v1/me/onboarding/application", Some(&alice), body).await;
    assert_eq!((status, &again["issued"]), (200, &Value::Null), "{again}");
    let apps: i64 = sqlx::query_scalar("SELECT count(*) FROM applications WHERE name = 'First steps'")
        .fetch_one(&pool)
        .await
        .expect("count");
    assert_eq!(apps, 1);
    // Another user's application is not found, whatever its id.
    let dave = demo_cookie(&app, "dave").await;
    let (dave_app, _, _) = client(&app, &dave, "Dave's own", "echo", None).await;
    let (status, _) = json_call(
        &app,
        "POST",
        "/v1/me/onboarding/application",
        Some(&alice),
        json!({ "application_id": dave_app }),
    )
    .await;
    assert_eq!(status, 404);
    assert_eq!(wizard(&app, &alice).await["application"]["name"], "First steps");

    // Step 3: a plan without approval; active at once. Twice: one subscription.
    let choice = json!({ "kind": "api", "tenant": "demo", "slug": "echo", "plan": "open" });
    let (status, state) =
        json_call(&app, "POST", "/v1/me/onboarding/subscription", Some(&alice), choice.clone()).await;
    assert_eq!((status, state["step"].as_str()), (200, Some("first_call")), "{state}");
    assert_eq!(state["subscription"]["access"], "active", "{state}");
    let (status, _) = json_call(&app, "POST", "/v1/me/onboarding/subscription", Some(&alice), choice).await;
    assert_eq!(status, 200);
    let subs: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM subscriptions s JOIN applications a ON a.id = s.application_id WHERE a.name = 'First steps'",
    )
    .fetch_one(&pool)
    .await
    .expect("count");
    assert_eq!(subs, 1);

    // Step 4: a refused call first (no such operation), then a real one with the key.
    assert_eq!(call(&app, "GET", "/gw/demo/echo/nowhere", Some(&key)).await.status, 404);
    let ok = call(&app, "GET", "/gw/demo/echo/orders/1", Some(&key)).await;
    assert_eq!(ok.status, 200, "{}", ok.body);
    assert!(ok.body.contains("/v1/orders/1"), "the upstream answered: {}", ok.body);
    // Metering counts in the background: the wizard sees the call within a few seconds.
    let mut state = Value::Null;
    for _ in 0..100 {
        state = wizard(&app, &alice).await;
        if state["step"] == "done" {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(state["step"], "done", "{state}");
    assert_eq!(state["first_call"]["http_status"], 200, "{state}");
    assert_eq!(state["first_call"]["operation"], "echo/getOrder", "{state}");
    let ttfc = state["time_to_first_call_seconds"].as_i64().expect("time to first call");
    assert!((0..60).contains(&ttfc), "{state}");
    for t in
        ["started_at", "use_case_at", "application_at", "subscription_at", "first_call_at", "completed_at"]
    {
        assert!(state["times"][t].is_string(), "{t}: {state}");
    }
    // Starting over forgets the progress, not the application.
    let (status, _) = json_call(&app, "DELETE", "/v1/me/onboarding", Some(&alice), Value::Null).await;
    assert_eq!(status, 204);
    assert_eq!(wizard(&app, &alice).await["started"], false);
}

#[sqlx::test(migrations = "../migrations")]
async fn a_plan_that_needs_approval_waits_and_a_refusal_sends_back_to_the_plans(pool: PgPool) {
    app::db::seed::run(&pool).await.expect("seed");
    let app = TestApp::new(pool.clone());
    publish(&app, "echo", "http://127.0.0.1:9/v1").await;
    {
        let mut conn = pool.acquire().await.expect("conn");
        app::db::plans::upsert(
            &mut conn,
            &app::db::plans::NewPlan {
                tenant_id: "demo",
                slug: "partners",
                name: "Partners",
                description: "",
                rate_per_second: None,
                rate_per_minute: None,
                daily_quota: None,
                monthly_quota: None,
                requires_approval: true,
                auto_approve_roles: &[],
            },
        )
        .await
        .expect("plan");
    }
    let alice = demo_cookie(&app, "alice").await;
    let tara = demo_cookie(&app, "tara").await;
    json_call(&app, "POST", "/v1/me/onboarding/use-case", Some(&alice), json!({ "use_case": "both" })).await;
    json_call(&app, "POST", "/v1/me/onboarding/application", Some(&alice), json!({ "name": "Waiting" }))
        .await;
    let (status, state) = json_call(
        &app,
        "POST",
        "/v1/me/onboarding/subscription",
        Some(&alice),
        json!({ "kind": "api", "tenant": "demo", "slug": "echo", "plan": "partners" }),
    )
    .await;
    assert_eq!(status, 200, "{state}");
    assert_eq!(
        (state["step"].as_str(), state["subscription"]["access"].as_str()),
        (Some("subscription"), Some("pending"))
    );
    // The first call cannot be the step yet.
    let id = state["subscription"]["id"].as_str().expect("id").to_owned();
    let (status, _) = json_call(
        &app,
        "POST",
        &format!("/v1/subscriptions/{id}/decision"),
        Some(&tara),
        json!({ "action": "reject", "reason": "Partners only, sorry." }),
    )
    .await;
    assert_eq!(status, 200);
    let state = wizard(&app, &alice).await;
    assert_eq!(state["step"], "subscription", "{state}");
    assert_eq!(state["subscription"]["access"], "refused", "{state}");
    assert_eq!(state["subscription"]["reason"], "Partners only, sorry.", "{state}");
}

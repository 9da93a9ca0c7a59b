//! The onboarding wizard over REST: each step stored, skipping ahead refused with the
//! step to do first, steps sent twice changing nothing, another user's application not
//! found, and the first call made through the gateway with the wizard's key detected
//! from metering — with the time to it.

use crate::util::{
    call, client, demo_cookie, echo_platform, json_call, publish, wizard, wizard_done, TestApp,
};
use serde_json::{json, Value};
use sqlx::PgPool;

#[sqlx::test(migrations = "../migrations")]
async fn the_wizard_goes_from_use_case_to_a_first_call_through_the_gateway(pool: PgPool) {
    let app = echo_platform(&pool).await;
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
    let state = wizard_done(&app, &alice).await;
    assert_eq!(state["step"], "done", "{state}");
    assert_eq!(state["first_call"]["http_status"], 200, "{state}");
    assert_eq!(state["first_call"]["operation"], "echo/getOrder", "{state}");
    // The answer's first bytes, kept by the gateway for the waiting wizard.
    let answer = state["first_answer"].as_str().expect("the first answer");
    assert!(answer.contains("/v1/orders/1") && answer.len() <= 512, "{answer}");
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
    app::service::demo::seed::run(&pool).await.expect("seed");
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

/// The wizard's pages as a browser without JavaScript sees them: each step a form that
/// goes on to the next, the key shown once, a step opened too early sending back to the
/// current one with the reason, a tampered form changing nothing of anyone else's.
#[sqlx::test(migrations = "../migrations")]
async fn the_pages_walk_the_steps_with_plain_forms(pool: PgPool) {
    let app = echo_platform(&pool).await;
    let alice = demo_cookie(&app, "alice").await;
    let cookie = [("cookie", alice.as_str())];

    let page = app.get("/onboarding", &cookie).await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(
        page.body.contains("Step 1 of 4") && page.body.contains("What do you want to call?"),
        "{}",
        page.body
    );
    // Opening the last step first sends back to the first, saying so.
    let early = app.get("/onboarding/first-call", &cookie).await;
    assert_eq!(early.header("location"), Some("/onboarding/use-case?back=first-call"), "{}", early.status);
    let back = app.get("/onboarding/use-case?back=first-call", &cookie).await;
    assert!(back.body.contains("That step needs the ones before it: first, Use case."), "{}", back.body);

    let res = app.post_form("/api/onboarding_use_case", "use_case=rest", &cookie).await;
    assert_eq!(res.header("location"), Some("/onboarding/application"));
    let res = app
        .post_form("/api/onboarding_application", "application=new&name=Paged&description=", &cookie)
        .await;
    let to = res.header("location").expect("to the key").to_owned();
    assert!(to.starts_with("/onboarding/application?issued="), "{to}");
    let shown = app.get(&to, &cookie).await;
    assert!(shown.body.contains("you will not see it again"), "{}", shown.body);
    let key = shown
        .body
        .split("export STOA_API_KEY=")
        .nth(1)
        .expect("key")
        .split('<')
        .next()
        .expect("key")
        .to_owned();
    assert!(key.starts_with("stoa_sk_"), "{key}");
    // Shown once: the same link again shows no key.
    assert!(!app.get(&to, &cookie).await.body.contains(&key));
    // A tampered form naming someone else's application is refused, nothing changes.
    let dave = demo_cookie(&app, "dave").await;
    let (dave_app, _, _) = client(&app, &dave, "Dave's", "echo", None).await;
    let res = app.post_form("/api/onboarding_application", &format!("application={dave_app}"), &cookie).await;
    assert_eq!(res.header("location"), Some("/onboarding/application?error=not-found"));
    assert!(app
        .get("/onboarding/application?error=not-found", &cookie)
        .await
        .body
        .contains("That is not one of yours"));
    assert_eq!(wizard(&app, &alice).await["application"]["name"], "Paged");

    let step3 = app.get("/onboarding/subscription", &cookie).await;
    assert!(step3.body.contains("Plan open"), "{}", step3.body);
    let res = app.post_form("/api/onboarding_subscribe", "entry=api/demo/echo&plan=open", &cookie).await;
    assert_eq!(res.header("location"), Some("/onboarding/first-call"));
    let step4 = app.get("/onboarding/first-call", &cookie).await;
    let curl =
        step4.body.split("data-command=\"\">").nth(1).expect("curl").split("</code>").next().expect("code");
    assert!(curl.contains("http://127.0.0.1:3000/gw/demo/echo/"), "{curl}");
    assert!(curl.contains("X-API-Key: $STOA_API_KEY") && !step4.body.contains(&key), "{curl}");
    // Each command has its copy button; asking before any call says what to check.
    assert!(
        step4.body.contains(r#"data-copy="command-0""#) && step4.body.contains(r#"data-copy="command-2""#)
    );
    assert!(!step4.body.contains("No call seen yet"));
    let early = app.get("/onboarding/first-call?checked=1", &cookie).await.body;
    assert!(early.contains("No call seen yet. Check that the command ran"), "{early}");
    let path = curl.split("http://127.0.0.1:3000").nth(1).expect("path").split('\'').next().expect("path");

    // The key revoked before the call: the step says so and offers a new one.
    let app_id = wizard(&app, &alice).await["application"]["id"].as_str().expect("app").to_owned();
    let (_, detail) =
        json_call(&app, "GET", &format!("/v1/applications/{app_id}"), Some(&alice), Value::Null).await;
    let key_id = detail["credentials"][0]["id"].as_str().expect("key id").to_owned();
    let (status, _) = json_call(
        &app,
        "DELETE",
        &format!("/v1/applications/{app_id}/keys/{key_id}"),
        Some(&alice),
        Value::Null,
    )
    .await;
    assert_eq!(status, 204);
    assert_eq!(call(&app, "GET", path, Some(&key)).await.status, 401);
    let gone = app.get("/onboarding/first-call", &cookie).await.body;
    assert!(gone.contains("has no valid API key any more"), "{gone}");
    let res = app
        .post_form("/api/onboarding_application", &format!("application={app_id}&new_key=true"), &cookie)
        .await;
    let to = res.header("location").expect("to the new key").to_owned();
    let shown = app.get(&to, &cookie).await.body;
    let key = shown
        .split("export STOA_API_KEY=")
        .nth(1)
        .expect("new key")
        .split('<')
        .next()
        .expect("key")
        .to_owned();
    assert!(key.starts_with("stoa_sk_"), "{key}");
    assert!(!app.get("/onboarding/first-call", &cookie).await.body.contains("has no valid API key any more"));

    // The call as shown (through the test's router: same path and header).
    assert_eq!(call(&app, "GET", path, Some(&key)).await.status, 200);
    let mut done = String::new();
    for _ in 0..100 {
        done = app.get("/onboarding/first-call", &cookie).await.body;
        if done.contains("Your first call went through") {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(done.contains("Your first call went through") && done.contains("Time to first call:"), "{done}");
    // The steps' marks are in the part the page swaps by itself: the ✓ comes with it.
    let live = done.split(r#"id="onboarding-live""#).nth(1).expect("live region");
    assert!(live.contains("✓ <!>First call"), "{live}");
}

/// Where the wizard is offered: the home page's "Start here" card for a signed-in user
/// without any application, and the navigation's "Getting started" link until the wizard
/// is left or done; a user who already has an application is not pressed.
#[sqlx::test(migrations = "../migrations")]
async fn the_wizard_is_offered_until_it_is_left_or_done(pool: PgPool) {
    let app = echo_platform(&pool).await;
    let alice = demo_cookie(&app, "alice").await;
    let cookie = [("cookie", alice.as_str())];
    let offered = |body: &str| (body.contains("Start here"), body.contains(">Getting started</a>"));

    // Anonymous visitors are not offered it.
    assert_eq!(offered(&app.get("/", &[]).await.body), (false, false));
    // A new user without an application: the card and the link.
    let home = app.get("/", &cookie).await;
    assert_eq!(offered(&home.body), (true, true), "{}", home.body);
    // "Not now" on the card: neither any more, on every page.
    let res = app.post_form("/api/onboarding_leave", "", &cookie).await;
    assert_eq!(res.header("location"), Some("/"));
    assert_eq!(offered(&app.get("/", &cookie).await.body), (false, false));
    assert_eq!(offered(&app.get("/catalog", &cookie).await.body), (false, false));
    // "Not now" is not a start: the funnel does not count it.
    let tara = demo_cookie(&app, "tara").await;
    let started = || async {
        let (_, r) = json_call(&app, "GET", "/v1/admin/onboarding/funnel", Some(&tara), Value::Null).await;
        r["funnel"]["started"].as_i64()
    };
    assert_eq!(started().await, Some(0));
    // Opening the wizard again brings them back while it is under way.
    let (status, _) = json_call(&app, "POST", "/v1/me/onboarding", Some(&alice), Value::Null).await;
    assert_eq!(status, 200);
    json_call(&app, "POST", "/v1/me/onboarding/use-case", Some(&alice), json!({ "use_case": "rest" })).await;
    json_call(&app, "POST", "/v1/me/onboarding/application", Some(&alice), json!({ "name": "Offered" }))
        .await;
    assert_eq!(offered(&app.get("/catalog", &cookie).await.body), (false, true));
    assert_eq!(offered(&app.get("/", &cookie).await.body), (true, true));
    assert_eq!(started().await, Some(1));

    // Sam (security officer) may not have applications: nothing offered.
    let sam = demo_cookie(&app, "sam").await;
    assert_eq!(offered(&app.get("/", &[("cookie", sam.as_str())]).await.body), (false, false));
    // Dave has an application of his own and never opened the wizard: nothing offered.
    let dave = demo_cookie(&app, "dave").await;
    client(&app, &dave, "Already mine", "echo", None).await;
    assert_eq!(offered(&app.get("/", &[("cookie", dave.as_str())]).await.body), (false, false));
}

/// One generated user's progress: tenant, step column, hours since start, hours at the
/// step, seconds to first call, left the wizard.
struct Progress(&'static str, &'static str, i64, i64, Option<i64>, bool);

/// Writes `rows` as users and their wizard progress (the pool is the owner: no RLS).
async fn progress_rows(pool: &PgPool, rows: &[Progress]) {
    for (i, Progress(tenant, step, started_h, at_step_h, first_call_s, left)) in rows.iter().enumerate() {
        app::db::tenants::upsert(pool, tenant, tenant).await.expect("tenant");
        let username = format!("funnel-{tenant}-{i:02}");
        let user = app::db::users::NewLocalUser {
            tenant_id: tenant,
            username: &username,
            display_name: &format!("Funnel user {i}"),
            email: None,
            roles: &[app::domain::role::Role::Viewer],
            password_hash: "unused",
        };
        app::db::users::create_local(pool, &user).await.expect("user");
        sqlx::query(
            "INSERT INTO onboarding (user_id, tenant_id, started_at, use_case_at, step, step_since, first_call_at,
                                     dismissed_at)
             SELECT id, tenant_id, now() - make_interval(hours => $2),
                    CASE WHEN $3 <> 'use_case' THEN now() - make_interval(hours => $2) END,
                    $3, now() - make_interval(hours => $4),
                    now() - make_interval(hours => $2) + make_interval(secs => $5),
                    CASE WHEN $6 THEN now() END
             FROM users WHERE username = $1",
        )
        .bind(&username)
        .bind(*started_h as i32)
        .bind(*step)
        .bind(*at_step_h as i32)
        .bind(first_call_s.map(|s| s as f64))
        .bind(*left)
        .execute(pool)
        .await
        .expect("progress");
    }
}

/// The funnel counted from generated progress with known figures: per stage, the share
/// of the stage before, nearest-rank p50 / p90 of the time to first call, the users
/// stalled more than N hours (not those who left), a tenant admin held to their tenant,
/// a platform admin seeing each tenant, the CSV and the page.
#[sqlx::test(migrations = "../migrations")]
async fn the_funnel_counts_generated_progress_exactly(pool: PgPool) {
    app::service::demo::seed::run(&pool).await.expect("seed");
    let app = TestApp::new(pool.clone());
    use Progress as P;
    progress_rows(
        &pool,
        &[
            // demo: 2 at the use case, 3 with an application (one left the wizard there),
            // 1 subscribed, 1 waiting for its first call, 4 done in 60, 120, 180 and
            // 600 s (one of them seen by the gateway before the wizard was opened
            // again), one who started 40 days ago, and one who said "Not now" before the
            // first step (not counted: they never started).
            P("demo", "use_case", 60, 50, None, false),
            P("demo", "use_case", 55, 50, None, false),
            P("demo", "application", 200, 100, None, true),
            P("demo", "use_case", 200, 100, None, true),
            P("demo", "application", 12, 10, None, false),
            P("demo", "application", 12, 10, None, false),
            P("demo", "subscription", 40, 30, None, false),
            P("demo", "first_call", 3, 2, None, false),
            P("demo", "done", 100, 99, Some(60), false),
            P("demo", "done", 100, 99, Some(120), false),
            P("demo", "subscription", 100, 99, Some(180), false),
            P("demo", "done", 100, 99, Some(600), false),
            P("demo", "application", 960, 900, None, false),
            // acme: 1 done in 30 s, 2 with an application.
            P("acme", "done", 5, 4, Some(30), false),
            P("acme", "application", 5, 4, None, false),
            P("acme", "application", 5, 4, None, false),
        ],
    )
    .await;
    let tara = demo_cookie(&app, "tara").await;
    let carl = demo_cookie(&app, "carl").await;
    let funnel = |cookie: &str, query: &str| {
        let (app, cookie) = (&app, cookie.to_owned());
        let path = format!("/v1/admin/onboarding/funnel?{query}");
        async move { json_call(app, "GET", &path, Some(&cookie), Value::Null).await }
    };

    // A tenant admin: their tenant's users who started in the last 30 days.
    let (status, r) = funnel(&tara, "days=30&stalled_hours=24").await;
    assert_eq!(status, 200, "{r}");
    assert_eq!(r["tenant"], "demo");
    let users: Vec<i64> = r["stages"]
        .as_array()
        .expect("stages")
        .iter()
        .map(|s| s["users"].as_i64().expect("number"))
        .collect();
    assert_eq!(users, [11, 9, 6, 5, 4], "{r}");
    assert_eq!(r["stages"][4]["of_previous_percent"], 80.0, "{r}");
    assert_eq!(r["stages"][1]["of_started_percent"].as_f64().map(|p| (p * 10.0).round()), Some(818.0));
    assert_eq!(
        (r["funnel"]["p50_seconds"].as_i64(), r["funnel"]["p90_seconds"].as_i64()),
        (Some(120), Some(600))
    );
    // Stalled more than 24 h: the two at the use case (50 h, the longest first) and the
    // subscribed one (30 h); not the one who left, not those at a step for less.
    let stalled: Vec<(&str, i64)> = r["stalled"]
        .as_array()
        .expect("stalled")
        .iter()
        .map(|s| (s["step"].as_str().expect("text"), s["hours"].as_i64().expect("number")))
        .collect();
    assert_eq!(stalled, [("use_case", 50), ("use_case", 50), ("subscription", 30)], "{r}");
    assert_eq!(r["stalled_total"], 3);
    assert_eq!(funnel(&tara, "stalled_hours=1").await.1["stalled_total"], 6);
    assert_eq!(funnel(&tara, "days=90").await.1["stages"][0]["users"], 12);
    // Held to their tenant; out-of-range values refused next to their field.
    assert_eq!(funnel(&tara, "tenant=acme").await.0, 403);
    assert_eq!(funnel(&tara, "tenant=").await.1["tenant"], "demo");
    assert_eq!(funnel(&carl, &format!("tenant={}", "x".repeat(65))).await.0, 422);
    let (status, out) = funnel(&tara, "days=400&stalled_hours=721").await;
    assert_eq!(status, 422, "{out}");
    let fields: Vec<&str> =
        out["fields"].as_array().expect("fields").iter().filter_map(|e| e["field"].as_str()).collect();
    assert_eq!(fields, ["days", "stalled_hours"], "{out}");
    let alice = demo_cookie(&app, "alice").await;
    assert_eq!(funnel(&alice, "").await.0, 403);

    // A platform admin: every tenant, and each one's funnel.
    let (_, r) = funnel(&carl, "").await;
    assert_eq!(r["tenant"], Value::Null);
    assert_eq!(r["funnel"]["started"], 14);
    assert_eq!(r["funnel"]["first_call"], 5);
    let tenants: Vec<(&str, i64, i64)> = r["by_tenant"]
        .as_array()
        .expect("by tenant")
        .iter()
        .map(|t| {
            (
                t["tenant"].as_str().expect("text"),
                t["funnel"]["started"].as_i64().expect("number"),
                t["funnel"]["first_call"].as_i64().expect("number"),
            )
        })
        .collect();
    assert_eq!(tenants, [("acme", 3, 1), ("demo", 11, 4)]);
    assert_eq!(funnel(&carl, "tenant=acme").await.1["funnel"]["p50_seconds"], 30);

    // The CSV: every tenant's stages after the total, and the stalled users.
    let csv = app.get("/console/onboarding.csv?rows=stages", &[("cookie", carl.as_str())]).await;
    assert_eq!(csv.status, 200);
    assert!(
        csv.body.starts_with("tenant,stage,users,of_started_percent,of_previous_percent\r\n"),
        "{}",
        csv.body
    );
    assert!(csv.body.contains("*,first_call,5,35.7,83.3\r\n"), "{}", csv.body);
    assert!(csv.body.contains("acme,started,3,100.0,\r\n"), "{}", csv.body);
    let csv = app.get("/console/onboarding.csv?rows=stalled", &[("cookie", tara.as_str())]).await;
    assert_eq!(csv.body.lines().count(), 4, "{}", csv.body);
    assert!(csv.body.contains(",demo,use_case,"), "{}", csv.body);

    // The page: chart, table and stalled users; a bad number refused next to its field.
    let page = app.get("/console/onboarding", &[("cookie", tara.as_str())]).await;
    assert_eq!(page.status, 200);
    for text in
        ["Users at each stage", "Made a first call", "3 of 3, the longest stalled first.", "Funnel user 0"]
    {
        assert!(page.body.contains(text), "{text}: {}", page.body);
    }
    assert!(!page.body.contains("By tenant"));
    let page = app.get("/console/onboarding", &[("cookie", carl.as_str())]).await;
    assert!(page.body.contains("By tenant") && page.body.contains("tenant=acme"), "{}", page.body);
    // The tenant filter is a choice among the portal's tenants (issue 31, item 10).
    assert!(page.body.contains(r#"<select id="funnel-tenant""#), "{}", page.body);
    assert!(page.body.contains(r#"<option value="acme">"#) && page.body.contains(r#"<option value="demo">"#));
    let chosen = app.get("/console/onboarding?tenant=acme", &[("cookie", carl.as_str())]).await.body;
    assert!(chosen.contains(r#"<option value="acme" selected"#), "{chosen}");
    let page = app.get("/console/onboarding?stalled_hours=abc", &[("cookie", tara.as_str())]).await;
    assert!(page.body.contains("Enter a whole number of hours from 1 to 720."), "{}", page.body);
}

/// The MCP use case: the wizard suggests MCP servers, shows a client configuration and
/// a `tools/call` of a tool that needs no arguments through the gateway's MCP endpoint,
/// and that call, made as shown, ends the wizard.
#[sqlx::test(migrations = "../migrations")]
async fn an_mcp_tools_call_as_shown_ends_the_wizard(pool: PgPool) {
    use crate::util::{mcp_call, mcp_upstream};
    app::service::demo::seed::run(&pool).await.expect("seed");
    let port = mcp_upstream(Default::default()).await;
    let app = TestApp::with_env(pool.clone(), &[("TRY_IT_ALLOWED_NETWORKS", "127.0.0.1/32")]);
    let dave = demo_cookie(&app, "dave").await;
    // `admin_reset` comes first by name but needs an argument: the wizard skips it.
    let tools = json!([
        { "name": "admin_reset", "description": "Reset", "inputSchema": { "type": "object",
          "properties": { "confirm": { "type": "boolean" } }, "required": ["confirm"] } },
        { "name": "get_forecast", "description": "A forecast", "inputSchema": { "type": "object" } }
    ]);
    let body = json!({ "name": "Forecasts", "slug": "forecasts", "tools": tools,
                       "remote_url": format!("http://127.0.0.1:{port}/mcp") });
    assert_eq!(json_call(&app, "POST", "/v1/mcp/servers", Some(&dave), body).await.0, 201);

    let alice = demo_cookie(&app, "alice").await;
    let cookie = [("cookie", alice.as_str())];
    json_call(&app, "POST", "/v1/me/onboarding/use-case", Some(&alice), json!({ "use_case": "mcp" })).await;
    let (_, chosen) =
        json_call(&app, "POST", "/v1/me/onboarding/application", Some(&alice), json!({ "name": "Agent" }))
            .await;
    let key = chosen["issued"]["secret"].as_str().expect("key").to_owned();
    let step3 = app.get("/onboarding/subscription", &cookie).await.body;
    assert!(step3.contains("Forecasts") && step3.contains("mcp/demo/forecasts"), "{step3}");
    let (status, state) = json_call(
        &app,
        "POST",
        "/v1/me/onboarding/subscription",
        Some(&alice),
        json!({ "kind": "mcp", "tenant": "demo", "slug": "forecasts", "plan": "free" }),
    )
    .await;
    assert_eq!((status, state["step"].as_str()), (200, Some("first_call")), "{state}");

    let step4 = app.get("/onboarding/first-call", &cookie).await.body;
    assert!(step4.contains("MCP client configuration") && step4.contains("mcpServers"), "{step4}");
    let curl = step4.split("data-command=\"\">").nth(1).expect("curl").split("</code>").next().expect("code");
    assert!(curl.contains("http://127.0.0.1:3000/gw/mcp/forecasts"), "{curl}");
    // The message as shown (the page escapes its quotes).
    let message = curl.split(" -d '").nth(1).expect("body").trim_end_matches('\'').replace("&quot;", "\"");
    let message: Value = serde_json::from_str(&message).expect("JSON-RPC message");
    assert_eq!(message["params"]["name"], "get_forecast", "{message}");
    let res = mcp_call(&app, Some(&key), message).await;
    assert_eq!(res.status, 200, "{}", res.body);
    let state = wizard_done(&app, &alice).await;
    assert_eq!(state["step"], "done", "{state}");
    assert_eq!(state["first_call"]["operation"], "get_forecast", "{state}");
    assert!(state["first_answer"].as_str().is_some_and(|a| a.contains("called get_forecast")), "{state}");
}

/// Issue 31, item 4: the suggestions of step 3 read as text, not as Markdown source.
#[sqlx::test(migrations = "../migrations")]
async fn the_suggestions_read_as_text(pool: PgPool) {
    app::service::demo::seed::run(&pool).await.expect("seed");
    let app = TestApp::new(pool);
    let alice = demo_cookie(&app, "alice").await;
    json_call(&app, "POST", "/v1/me/onboarding/use-case", Some(&alice), json!({ "use_case": "rest" })).await;
    json_call(&app, "POST", "/v1/me/onboarding/application", Some(&alice), json!({ "name": "Reader" })).await;
    let step3 = app.get("/onboarding/subscription", &[("cookie", alice.as_str())]).await.body;
    assert!(step3.contains("Weather Forecast API"), "{step3}");
    assert!(step3.contains("Hourly and daily forecasts,"), "{step3}");
    assert!(!step3.contains("**") && !step3.contains("](http"), "{step3}");
}

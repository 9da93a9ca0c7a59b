//! Plans an API team manages (issue 33): tenant-admins create, change and archive them
//! from `/console/plans` (a plain form) or REST `/v1/plans`; devops read them; another
//! tenant sees none of them. A plan offered on one API is chosen there only, the gateway
//! holds its subscribers to it, changed limits reach both replicas within seconds and its
//! subscribers hear of it, an archived plan takes no new subscriptions.

use crate::util::{
    call, client, deliver, demo_cookie, echo_platform, field_errors, json_call, location, server_process,
    user_in, wait_ready, TestApp,
};
use app::domain::role::Role;
use serde_json::{json, Value};
use sqlx::PgPool;

async fn count(pool: &PgPool, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(pool).await.expect(sql)
}

/// A plan of the demo tenant made by tara over REST: its id.
async fn plan(app: &TestApp, tara: &str, body: Value) -> String {
    let (status, made) = json_call(app, "POST", "/v1/plans", Some(tara), body).await;
    assert_eq!(status, 201, "{made}");
    made["id"].as_str().expect("id").to_owned()
}

#[sqlx::test(migrations = "../migrations")]
async fn a_plan_offered_on_one_api_is_chosen_there_and_the_gateway_holds_its_subscribers_to_it(pool: PgPool) {
    let app = echo_platform(&pool).await;
    let tara = demo_cookie(&app, "tara").await;
    let plans_before = count(&pool, "SELECT count(*) FROM plans").await;

    // The console's form, as a browser without JavaScript posts it: inconsistent limits
    // come back next to their fields, with what was typed, and write nothing.
    let form = "id=&tenant=demo&slug=gold-echo&name=Gold+echo&description=**Two**+a+minute\
                &rate_per_second=10&rate_per_minute=5&daily_quota=100&monthly_quota=99\
                &audience=public&everywhere=no&offered_on=api%2Fecho";
    let refused = app.post_form("/console/plans/save", form, &[("cookie", &tara)]).await;
    assert_eq!(refused.status, 303, "{}", refused.body);
    let back = location(&refused);
    assert!(back.starts_with("/console/plans?refused="), "{back}");
    let page = app.get(&back, &[("cookie", &tara)]).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Cannot be above the calls per minute."), "{}", page.body);
    assert!(page.body.contains("Cannot be above the calls per month."));
    assert!(page.body.contains(r#"value="gold-echo""#), "what was typed is kept");
    assert_eq!(count(&pool, "SELECT count(*) FROM plans").await, plans_before, "nothing written");

    let form = "id=&tenant=demo&slug=gold-echo&name=Gold+echo&description=**Two**+a+minute\
                &rate_per_second=&rate_per_minute=2&daily_quota=&monthly_quota=\
                &audience=public&everywhere=no&offered_on=api%2Fecho";
    let saved = app.post_form("/console/plans/save", form, &[("cookie", &tara)]).await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    let to = location(&saved);
    assert!(to.starts_with("/console/plans/") && to.ends_with("?saved=1"), "{to}");
    let page = app.get(&to, &[("cookie", &tara)]).await;
    assert!(page.body.contains("The plan is saved."), "{}", page.body);
    assert!(page.body.contains("<strong>Two</strong> a minute"), "the description is Markdown");
    assert!(page.body.contains("2 per minute"));

    // Offered on the echo API only.
    let echo = app.get("/apis/demo/echo", &[]).await;
    assert!(echo.body.contains(r#"data-plan="gold-echo""#), "the echo API offers it");
    let weather = app.get("/apis/demo/weather-forecast", &[]).await;
    assert!(!weather.body.contains(r#"data-plan="gold-echo""#), "another API does not");
    assert!(weather.body.contains(r#"data-plan="free""#), "plans offered everywhere stay");

    let alice = demo_cookie(&app, "alice").await;
    let id = crate::util::application(&app, &alice, "Elsewhere").await;
    let body =
        json!({ "application_id": id, "tenant": "demo", "entry": "weather-forecast", "plan": "gold-echo" });
    let (status, refused) = json_call(&app, "POST", "/v1/subscriptions", Some(&alice), body).await;
    assert_eq!(status, 422, "{refused}");
    assert_eq!(field_errors(&refused), [("plan".to_owned(), "unknown-plan".to_owned())]);

    // The gateway holds a subscriber to the plan's two calls a minute.
    let (_, key, _) = client(&app, &alice, "Gold client", "echo", Some("gold-echo")).await;
    if chrono::Utc::now().timestamp() % 60 > 55 {
        tokio::time::sleep(std::time::Duration::from_secs(6)).await;
    }
    for _ in 0..2 {
        let res = call(&app, "GET", "/gw/demo/echo/orders/1", Some(&key)).await;
        assert_eq!(res.status, 200, "{}", res.body);
        assert_eq!(res.header("x-ratelimit-limit"), Some("2"));
    }
    let limited = call(&app, "GET", "/gw/demo/echo/orders/1", Some(&key)).await;
    assert_eq!(limited.status, 429, "{}", limited.body);
}

#[sqlx::test(migrations = "../migrations")]
async fn changed_limits_reach_both_replicas_within_five_seconds_and_only_subscribers_hear_of_it(
    pool: PgPool,
) {
    let app = echo_platform(&pool).await;
    let tara = demo_cookie(&app, "tara").await;
    let id = plan(&app, &tara, json!({ "slug": "roomy", "name": "Roomy", "rate_per_minute": 1000 })).await;
    let alice = demo_cookie(&app, "alice").await;
    let (_, key, _) = client(&app, &alice, "Roomy client", "echo", Some("roomy")).await;

    let dir =
        std::env::temp_dir().join(format!("stoa-plans-{}-{}", std::process::id(), uuid::Uuid::new_v4()));
    let env = [("TRY_IT_ALLOWED_NETWORKS", "127.0.0.1/32")];
    let spawn = |n: u8| server_process(&pool, &dir.join(n.to_string()), &env);
    let ((_one, a), (_two, b)) = (spawn(1), spawn(2));
    let http = reqwest::Client::new();
    for base in [&a, &b] {
        wait_ready(&http, base).await;
    }
    let limit_on = |base: String| {
        let (http, key) = (http.clone(), key.clone());
        async move {
            let res = http.get(format!("{base}/gw/demo/echo/orders/1")).header("x-api-key", key).send().await;
            let res = res.expect("gateway call");
            (
                res.status().as_u16(),
                res.headers().get("x-ratelimit-limit").and_then(|v| v.to_str().ok()).map(str::to_owned),
            )
        }
    };
    for base in [&a, &b] {
        assert_eq!(limit_on(base.clone()).await, (200, Some("1000".to_owned())), "{base}");
    }

    // Changed through replica B, as tara's browser would (sessions live in Postgres).
    let res = http
        .put(format!("{b}/v1/plans/{id}"))
        .header("cookie", &tara)
        .json(&json!({ "slug": "roomy", "name": "Roomy", "rate_per_minute": 3 }))
        .send()
        .await
        .expect("update");
    assert_eq!(res.status(), 200, "{:?}", res.text().await);
    let changed = std::time::Instant::now();
    for base in [&a, &b] {
        loop {
            let (status, limit) = limit_on(base.clone()).await;
            if status == 429 || limit.as_deref() == Some("3") {
                break;
            }
            assert!(
                changed.elapsed() < std::time::Duration::from_secs(5),
                "{base} still applies the old limit"
            );
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
    }
    println!("both replicas applied the new limit {:?} after the change", changed.elapsed());
    drop((_one, _two));
    let _ = std::fs::remove_dir_all(&dir);

    // Only the plan's subscribers hear of it, once, with a link to their subscription.
    deliver(&pool).await;
    deliver(&pool).await;
    let told: Vec<(String, String)> = sqlx::query_as(
        "SELECT u.username, n.link FROM notifications n JOIN users u ON u.id = n.user_id WHERE n.kind = 'plan-changed'",
    )
    .fetch_all(&pool)
    .await
    .expect("notifications");
    assert_eq!(told.len(), 1, "{told:?}");
    assert_eq!(told[0].0, "alice");
    assert!(told[0].1.starts_with("/apps/"), "{told:?}");
    let page = app.get("/notifications", &[("cookie", &alice)]).await;
    assert!(page.body.contains("The limits of your plan changed"), "{}", page.body);

    // A change that leaves the limits alone tells nobody.
    let (status, _) = json_call(
        &app,
        "PUT",
        &format!("/v1/plans/{id}"),
        Some(&tara),
        json!({ "slug": "roomy", "name": "Roomy, renamed", "rate_per_minute": 3 }),
    )
    .await;
    assert_eq!(status, 200);
    deliver(&pool).await;
    assert_eq!(count(&pool, "SELECT count(*) FROM notifications WHERE kind = 'plan-changed'").await, 1);
    assert_eq!(
        count(&pool, "SELECT count(*) FROM audit_log WHERE action = 'plans.updated'").await,
        2,
        "each change is audited"
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn an_archived_plan_takes_no_new_subscriptions_and_keeps_the_ones_it_has(pool: PgPool) {
    let app = echo_platform(&pool).await;
    let tara = demo_cookie(&app, "tara").await;
    let id = plan(&app, &tara, json!({ "slug": "silver", "name": "Silver" })).await;
    let alice = demo_cookie(&app, "alice").await;
    let (_, key, _) = client(&app, &alice, "Silver client", "echo", Some("silver")).await;

    // Without JavaScript: the page asks first, then archives.
    let ask = app.post_form("/api/archive_plan", &format!("id={id}"), &[("cookie", &tara)]).await;
    assert!(location(&ask).ends_with("?archive=ask#archive"), "{:?}", ask.header("location"));
    assert_eq!(count(&pool, "SELECT count(*) FROM plans WHERE status = 'archived'").await, 0);
    let page = app.get(&location(&ask), &[("cookie", &tara)]).await;
    assert!(page.body.contains("Archive Silver? Nobody can choose it afterwards."), "{}", page.body);
    let done =
        app.post_form("/api/archive_plan", &format!("id={id}&confirm=yes"), &[("cookie", &tara)]).await;
    assert!(location(&done).ends_with("?archived=1"), "{:?}", done.header("location"));
    let (status, again) =
        json_call(&app, "POST", &format!("/v1/plans/{id}/archive"), Some(&tara), json!({})).await;
    assert_eq!(
        (status, again["status"].as_str()),
        (200, Some("archived")),
        "archiving twice changes nothing"
    );
    assert_eq!(count(&pool, "SELECT count(*) FROM audit_log WHERE action = 'plans.archived'").await, 1);

    let app_id = crate::util::application(&app, &alice, "Too late").await;
    let body = json!({ "application_id": app_id, "tenant": "demo", "entry": "echo", "plan": "silver" });
    let (status, refused) = json_call(&app, "POST", "/v1/subscriptions", Some(&alice), body).await;
    assert_eq!(status, 422, "{refused}");
    assert_eq!(field_errors(&refused), [("plan".to_owned(), "plan-archived".to_owned())]);
    assert!(
        !app.get("/apis/demo/echo", &[]).await.body.contains(r#"data-plan="silver""#),
        "no longer offered"
    );

    // The existing subscription keeps running and is listed on the plan's page.
    assert_eq!(call(&app, "GET", "/gw/demo/echo/orders/1", Some(&key)).await.status, 200);
    let (status, page) = json_call(&app, "GET", &format!("/v1/plans/{id}"), Some(&tara), Value::Null).await;
    assert_eq!(status, 200, "{page}");
    let subs = page["subscriptions"].as_array().expect("subscriptions");
    assert_eq!(subs.len(), 1, "{page}");
    assert_eq!(subs[0]["application"], "Silver client");
    let html = app.get(&format!("/console/plans/{id}"), &[("cookie", &tara)]).await;
    assert!(
        html.body.contains("Silver client") && html.body.contains(r#"data-status="archived""#),
        "{}",
        html.body
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn devops_read_plans_only_tenant_admins_change_them_and_other_tenants_see_none(pool: PgPool) {
    app::service::demo::seed::run(&pool).await.expect("seed");
    let app = TestApp::new(pool.clone());
    let (tara, dave) = (demo_cookie(&app, "tara").await, demo_cookie(&app, "dave").await);
    let (status, listed) = json_call(&app, "GET", "/v1/plans", Some(&dave), Value::Null).await;
    assert_eq!(status, 200, "{listed}");
    let slugs: Vec<&str> =
        listed.as_array().expect("list").iter().filter_map(|p| p["terms"]["slug"].as_str()).collect();
    assert!(slugs.contains(&"free") && slugs.contains(&"premium"), "{slugs:?}");
    let free = listed.as_array().expect("list").iter().find(|p| p["terms"]["slug"] == "free").expect("free");
    let free_id = free["id"].as_str().expect("id").to_owned();
    assert_eq!(free["terms"]["rate_per_second"], 5);

    // Devops read, and change nothing: no form on their page.
    let body = json!({ "slug": "free", "name": "Free", "rate_per_second": 500 });
    let (status, _) =
        json_call(&app, "PUT", &format!("/v1/plans/{free_id}"), Some(&dave), body.clone()).await;
    assert_eq!(status, 403);
    let (status, _) =
        json_call(&app, "POST", "/v1/plans", Some(&dave), json!({ "slug": "d", "name": "D" })).await;
    assert_eq!(status, 403);
    let page = app.get("/console/plans", &[("cookie", &dave)]).await;
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains(r#"data-plan="premium""#) && !page.body.contains(r#"id="plan-form""#),
        "{}",
        page.body
    );
    assert!(app.get("/console/plans", &[("cookie", &tara)]).await.body.contains(r#"id="plan-form""#));

    // Bad values, next to their field; nothing written.
    let before = count(&pool, "SELECT count(*) FROM plans").await;
    for (body, want) in [
        (json!({ "slug": "free", "name": "Again" }), ("slug", "slug-taken")),
        (json!({ "slug": "q", "name": "Q" }), ("slug", "slug")),
        (
            json!({ "slug": "quota", "name": "Q", "daily_quota": 10, "monthly_quota": 5 }),
            ("daily_quota", "above-monthly"),
        ),
        (json!({ "slug": "neg", "name": "N", "rate_per_minute": -1 }), ("rate_per_minute", "at-least-one")),
        (
            json!({ "slug": "some", "name": "S", "everywhere": false, "offered_on": [{ "kind": "Api", "slug": "nope" }] }),
            ("offered_on", "unknown-entry"),
        ),
        (json!({ "slug": "none", "name": "N", "everywhere": false }), ("offered_on", "choose-entries")),
        (
            json!({ "slug": "roles", "name": "R", "auto_approve_roles": ["root"] }),
            ("auto_approve_roles", "unknown-role"),
        ),
    ] {
        let (status, refused) = json_call(&app, "POST", "/v1/plans", Some(&tara), body.clone()).await;
        assert_eq!(status, 422, "{body}: {refused}");
        assert!(
            field_errors(&refused).contains(&(want.0.to_owned(), want.1.to_owned())),
            "{body}: {refused}"
        );
    }
    let (status, refused) = json_call(
        &app,
        "PUT",
        &format!("/v1/plans/{free_id}"),
        Some(&tara),
        json!({ "slug": "premium", "name": "Free" }),
    )
    .await;
    assert_eq!((status, field_errors(&refused)), (422, vec![("slug".to_owned(), "slug-taken".to_owned())]));
    assert_eq!(count(&pool, "SELECT count(*) FROM plans").await, before, "nothing written");
    let (status, _) =
        json_call(&app, "POST", "/v1/plans?tenant=globex", Some(&tara), json!({ "slug": "x1", "name": "X" }))
            .await;
    assert_eq!(status, 403, "a tenant-admin makes plans in their own tenant only");

    // Another tenant's admin sees none of the demo tenant's plans and changes none.
    let gina = user_in(&app, &pool, "globex", "gina", &[Role::TenantAdmin]).await;
    let (status, theirs) = json_call(&app, "GET", "/v1/plans", Some(&gina), Value::Null).await;
    assert_eq!(status, 200);
    assert!(theirs.as_array().expect("list").iter().all(|p| p["tenant_id"] == "globex"), "{theirs}");
    for (method, path) in [
        ("GET", format!("/v1/plans/{free_id}")),
        ("PUT", format!("/v1/plans/{free_id}")),
        ("POST", format!("/v1/plans/{free_id}/archive")),
    ] {
        let (status, _) = json_call(&app, method, &path, Some(&gina), body.clone()).await;
        assert_eq!(status, 404, "{method} {path}");
    }
    let page = app.get(&format!("/console/plans/{free_id}"), &[("cookie", &gina)]).await;
    assert_eq!(page.status, 404);
    // Slugs are the tenant's own: globex may have its `free` too.
    let (status, made) =
        json_call(&app, "POST", "/v1/plans", Some(&gina), json!({ "slug": "free", "name": "Globex free" }))
            .await;
    assert_eq!((status, made["tenant_id"].as_str()), (201, Some("globex")), "{made}");
    assert_eq!(
        count(
            &pool,
            "SELECT count(*) FROM plans WHERE tenant_id = 'demo' AND slug = 'free' AND rate_per_second = 5"
        )
        .await,
        1,
        "demo's free unchanged"
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn a_subscriber_changes_plan_at_once_or_through_the_approvers_and_the_quota_used_counts(pool: PgPool) {
    let app = echo_platform(&pool).await;
    let tara = demo_cookie(&app, "tara").await;
    plan(&app, &tara, json!({ "slug": "small", "name": "Small", "daily_quota": 3 })).await;
    plan(&app, &tara, json!({ "slug": "big", "name": "Big", "daily_quota": 10 })).await;
    plan(
        &app,
        &tara,
        json!({ "slug": "gated", "name": "Gated", "daily_quota": 100, "requires_approval": true }),
    )
    .await;
    let gone = plan(&app, &tara, json!({ "slug": "gone", "name": "Gone" })).await;
    let (status, _) =
        json_call(&app, "POST", &format!("/v1/plans/{gone}/archive"), Some(&tara), json!({})).await;
    assert_eq!(status, 200);
    let alice = demo_cookie(&app, "alice").await;
    let (application, key, sub) = client(&app, &alice, "Mover", "echo", Some("small")).await;
    for _ in 0..2 {
        assert_eq!(call(&app, "GET", "/gw/demo/echo/orders/1", Some(&key)).await.status, 200);
    }

    // The application's page offers the other plans, without JavaScript.
    let page = app.get(&format!("/apps/{application}"), &[("cookie", &alice)]).await;
    assert!(page.body.contains(r#"action="/api/change_plan""#), "{}", page.body);
    assert!(page.body.contains(r#"<option value="big">Big</option>"#), "{}", page.body);
    assert!(page.body.contains("Gated (needs approval)"));
    assert!(
        !page.body.contains(r#"<option value="gone">"#) && !page.body.contains(r#"<option value="small">"#)
    );

    // At once: the two calls already made count against the new daily quota.
    let moved = app
        .post_form(
            "/api/change_plan",
            &format!("id={sub}&application={application}&plan=big"),
            &[("cookie", &alice)],
        )
        .await;
    assert!(location(&moved).contains("sub=plan-changed"), "{:?} {}", moved.header("location"), moved.body);
    let res = call(&app, "GET", "/gw/demo/echo/orders/1", Some(&key)).await;
    assert_eq!(
        (res.header("x-ratelimit-limit"), res.header("x-ratelimit-remaining")),
        (Some("10"), Some("7"))
    );

    // Refused, next to the field.
    let path = format!("/v1/subscriptions/{sub}/plan");
    for (plan, code) in [("big", "same-plan"), ("gone", "plan-archived"), ("nope", "unknown-plan")] {
        let (status, refused) = json_call(&app, "POST", &path, Some(&alice), json!({ "plan": plan })).await;
        assert_eq!(
            (status, field_errors(&refused)),
            (422, vec![("plan".to_owned(), code.to_owned())]),
            "{plan}"
        );
    }
    let bob = demo_cookie(&app, "bob").await;
    let (status, _) = json_call(&app, "POST", &path, Some(&bob), json!({ "plan": "gated" })).await;
    assert_eq!(status, 404, "another user's subscription");

    // Through the approvers: the old plan stays in force meanwhile.
    let (status, asked) = json_call(&app, "POST", &path, Some(&alice), json!({ "plan": "gated" })).await;
    assert_eq!(
        (status, asked["outcome"].as_str(), asked["plan"].as_str()),
        (200, Some("requested"), Some("big")),
        "{asked}"
    );
    let res = call(&app, "GET", "/gw/demo/echo/orders/1", Some(&key)).await;
    assert_eq!(res.header("x-ratelimit-limit"), Some("10"));
    let queue = app.get("/console/subscriptions", &[("cookie", &tara)]).await;
    assert!(queue.body.contains("Mover asks to move from Big to Gated."), "{}", queue.body);
    let decide = format!("/v1/subscriptions/{sub}/plan-change");
    let dave = demo_cookie(&app, "dave").await;
    let (status, _) = json_call(&app, "POST", &decide, Some(&dave), json!({ "decision": "approve" })).await;
    assert_eq!(status, 403, "devops do not decide");
    let (status, refused) =
        json_call(&app, "POST", &decide, Some(&tara), json!({ "decision": "reject", "reason": "short" }))
            .await;
    assert_eq!(status, 422, "{refused}");
    let reason = "Gated is for partners only.";
    let (status, rejected) =
        json_call(&app, "POST", &decide, Some(&tara), json!({ "decision": "reject", "reason": reason }))
            .await;
    assert_eq!(
        (status, rejected["outcome"].as_str(), rejected["plan"].as_str()),
        (200, Some("rejected"), Some("big"))
    );
    let (status, _) = json_call(&app, "POST", &decide, Some(&tara), json!({ "decision": "approve" })).await;
    assert_eq!(status, 409, "nothing waits any more");

    // Asked, then withdrawn by the subscriber (the old plan stays), once.
    let (status, _) = json_call(&app, "POST", &path, Some(&alice), json!({ "plan": "gated" })).await;
    assert_eq!(status, 200);
    let (status, withdrawn) = json_call(&app, "DELETE", &decide, Some(&alice), Value::Null).await;
    assert_eq!(
        (status, withdrawn["outcome"].as_str(), withdrawn["plan"].as_str()),
        (200, Some("withdrawn"), Some("big"))
    );
    assert_eq!(json_call(&app, "DELETE", &decide, Some(&alice), Value::Null).await.0, 409, "nothing waits");

    // Asked again and approved from the queue's plain form: in force at once.
    let (status, _) = json_call(&app, "POST", &path, Some(&alice), json!({ "plan": "gated" })).await;
    assert_eq!(status, 200);
    let approved = app
        .post_form("/api/decide_plan_change", &format!("id={sub}&decision=approve"), &[("cookie", &tara)])
        .await;
    assert!(location(&approved).contains("done=plan-approve"), "{:?}", approved.header("location"));
    let res = call(&app, "GET", "/gw/demo/echo/orders/1", Some(&key)).await;
    assert_eq!(res.header("x-ratelimit-limit"), Some("100"));

    // One event and audit entry per change; the approvers and the subscriber hear of it.
    for (action, n) in [
        ("subscriptions.plan-changed", 2),
        ("subscriptions.plan-change-requested", 3),
        ("subscriptions.plan-change-rejected", 1),
        ("subscriptions.plan-change-withdrawn", 1),
    ] {
        let sql = format!("SELECT count(*) FROM audit_log WHERE action = '{action}'");
        assert_eq!(count(&pool, &sql).await, n, "{action}");
    }
    deliver(&pool).await;
    let told: Vec<(String, String)> = sqlx::query_as(
        "SELECT u.username, n.kind FROM notifications n JOIN users u ON u.id = n.user_id
         WHERE n.kind LIKE 'plan-change-%' ORDER BY 1, 2",
    )
    .fetch_all(&pool)
    .await
    .expect("notifications");
    let has = |who: &str, kind: &str| told.iter().filter(|(u, k)| u == who && k == kind).count();
    assert_eq!(
        (has("alice", "plan-change-approved"), has("alice", "plan-change-rejected")),
        (1, 1),
        "{told:?}"
    );
    assert_eq!(has("tara", "plan-change-pending"), 3, "{told:?}");
    // Each of tara's requests for a decision is settled, with the outcome and who ended it.
    let settled: Vec<(Option<String>, Option<String>)> = sqlx::query_as(
        "SELECT n.data->>'decided', n.data->>'decided_by' FROM notifications n JOIN users u ON u.id = n.user_id
         WHERE u.username = 'tara' AND n.kind = 'plan-change-pending' ORDER BY n.created_at",
    )
    .fetch_all(&pool)
    .await
    .expect("settled");
    let outcomes: Vec<(&str, &str)> =
        settled.iter().map(|(d, by)| (d.as_deref().unwrap_or(""), by.as_deref().unwrap_or(""))).collect();
    assert_eq!(
        outcomes,
        [
            ("rejected", "Tara Tenant-Admin"),
            ("cancelled", "Alice Consumer"),
            ("approved", "Tara Tenant-Admin")
        ],
        "each request for a decision is settled with its outcome and who ended it"
    );
}

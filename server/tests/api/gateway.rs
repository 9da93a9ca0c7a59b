//! The gateway, end to end: an API published with its prod server on a real echo
//! upstream, keys and subscriptions made over REST, calls through `/gw/…` — the allowed
//! call, every refusal, the plan's rate and quota with their headers, the credential
//! kept from the upstream — and the calls found again in `/v1/usage`.

use crate::util::{
    call, client, demo_cookie, json_call, mcp_call, mcp_upstream, plan, publish, upstream_seeing, Seen,
    TestApp, TestResponse,
};
use serde_json::{json, Value};
use sqlx::PgPool;

fn json_of(res: &TestResponse) -> Value {
    serde_json::from_str(&res.body).unwrap_or(Value::Null)
}

/// The usage `cookie`'s user sees, once it has counted `calls` calls (the ingest runs in
/// the background).
async fn usage_reaching(app: &TestApp, cookie: &str, query: &str, calls: u64) -> Value {
    let mut last = Value::Null;
    for _ in 0..100 {
        let (status, report) =
            json_call(app, "GET", &format!("/v1/usage?{query}"), Some(cookie), Value::Null).await;
        assert_eq!(status, 200, "{report}");
        if report["totals"]["calls"].as_u64() == Some(calls) {
            return report;
        }
        last = report;
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("usage never reached {calls} calls: {}", last["totals"]);
}

#[sqlx::test(migrations = "../migrations")]
async fn calls_go_through_with_a_subscribed_key_and_every_refusal_says_why(pool: PgPool) {
    app::service::demo::seed::run(&pool).await.expect("seed");
    let seen = Seen::default();
    let port = upstream_seeing(seen.clone()).await;
    let app = TestApp::with_env(
        pool.clone(),
        &[("TRY_IT_ALLOWED_NETWORKS", "127.0.0.1/32"), ("GATEWAY_TIMEOUT_SECS", "1")],
    );
    publish(&app, "echo", &format!("http://127.0.0.1:{port}/v1")).await;
    // The API's page shows where its prod deployment is called through STOA.
    let page = app.get("/apis/demo/echo", &[]).await;
    // (It may wrap after its slashes and dots: `<wbr>`, never inside a word.)
    let text = page.body.replace("<wbr>", "").replace("<!>", "");
    assert!(text.contains("http://127.0.0.1:3000/gw/demo/echo</code>"), "{}", page.body);
    let alice = demo_cookie(&app, "alice").await;
    let (app_id, key, sub) = client(&app, &alice, "Storefront", "echo", Some("free")).await;
    let (_, idle_key, _) = client(&app, &alice, "Idle", "echo", None).await;

    // Allowed: the upstream gets the declared path and query, neither the key nor the cookie.
    // (An id with an encoded `/` is refused since issue 30, item 4: trust.rs.)
    let ok = call(&app, "GET", "/gw/demo/echo/orders/A%207?expand=lines", Some(&key)).await;
    assert_eq!(ok.status, 200, "{}", ok.body);
    let echo = json_of(&ok);
    assert_eq!(echo["path"], "/v1/orders/A%207");
    assert_eq!(echo["query"], "expand=lines");
    assert_eq!(echo["api_key"], "", "the key is removed before forwarding");
    assert_eq!(echo["cookie"], "", "the portal's cookie is not forwarded");
    assert!(seen.lock().expect("seen").is_empty());
    // The free plan: 100 a minute; the headers say how many are left and when it resets.
    // Every metered answer names its metering event, to quote to support.
    let mut call_ids = vec![ok.header("x-stoa-call-id").expect("call id").to_owned()];
    assert_eq!(ok.header("x-ratelimit-limit"), Some("100"));
    assert_eq!(ok.header("x-ratelimit-remaining"), Some("99"));
    let reset: i64 = ok.header("x-ratelimit-reset").and_then(|v| v.parse().ok()).expect("reset");
    let now = chrono::Utc::now().timestamp();
    assert!(reset > now - 1 && reset <= now + 60 && reset % 60 == 0, "{reset}");

    // Refusals, each in the same JSON shape.
    let cases: Vec<(&str, &str, Option<&str>, u16, &str)> = vec![
        ("GET", "/gw/demo/echo/orders/1", None, 401, "missing_key"),
        ("GET", "/gw/demo/echo/orders/1", Some("stoa_sk_forgedforgedforgedforgedforged"), 401, "invalid_key"),
        ("GET", "/gw/demo/echo/orders/1", Some(idle_key.as_str()), 403, "no_subscription"),
        ("POST", "/gw/demo/echo/orders/1", Some(key.as_str()), 404, "unknown_operation"),
        ("GET", "/gw/demo/echo/admin", Some(key.as_str()), 404, "unknown_operation"),
        ("GET", "/gw/demo/nothing-here/x", Some(key.as_str()), 404, "unknown_api"),
        ("GET", "/gw/demo/echo/slow", Some(key.as_str()), 504, "upstream_timeout"),
    ];
    for (method, path, key, status, code) in &cases {
        let res = call(&app, method, path, *key).await;
        assert_eq!(res.status.as_u16(), *status, "{method} {path}: {}", res.body);
        let body = json_of(&res);
        assert_eq!(body["error"], *code, "{path}: {body}");
        assert!(body["message"].as_str().is_some_and(|m| !m.is_empty()), "{body}");
        match res.header("x-stoa-call-id") {
            Some(id) if *code != "unknown_api" => call_ids.push(id.to_owned()),
            None if *code == "unknown_api" => {}
            other => panic!("{path} ({code}): call id {other:?}"),
        }
    }
    // A suspended subscription is named as such.
    let tara = demo_cookie(&app, "tara").await;
    let (status, out) = json_call(
        &app,
        "POST",
        &format!("/v1/subscriptions/{sub}/decision"),
        Some(&tara),
        json!({ "action": "suspend", "reason": "Suspended while we look into it." }),
    )
    .await;
    assert_eq!(status, 200, "{out}");
    let res = call(&app, "GET", "/gw/demo/echo/orders/1", Some(&key)).await;
    assert_eq!((res.status.as_u16(), json_of(&res)["error"].clone()), (403, json!("subscription_suspended")));

    // Metered: alice sees her applications' calls (the refusals made with her keys
    // included); the unknown-API call is not metered (no API, no tenant to count it for).
    let report = usage_reaching(&app, &alice, "period=1h&group_by=application", 6).await;
    let storefront =
        report["groups"].as_array().expect("groups").iter().find(|g| g["key"] == app_id).cloned();
    let storefront = storefront.expect("storefront's calls");
    assert_eq!(storefront["label"], "Storefront");
    assert_eq!(storefront["calls"], 5, "{report}");
    assert_eq!(storefront["success"], 1, "{report}");
    assert_eq!(storefront["not_found"], 2, "{report}");
    assert_eq!(storefront["policy_denied"], 1, "{report}");
    assert_eq!(storefront["failed"], 1, "the timeout: {report}");
    assert!(storefront["p50_ms"].as_f64().is_some(), "{report}");
    // The tenant admin of the API's tenant also sees the calls without a valid key.
    let tara_view = usage_reaching(&app, &tara, "period=24h&group_by=application", 8).await;
    let unknown =
        tara_view["groups"].as_array().expect("groups").iter().find(|g| g["key"] == "unknown").cloned();
    assert_eq!(unknown.expect("unknown consumer")["calls"], 2, "{tara_view}");
    // Raw calls carry the operation id, the HTTP status and the backend's share.
    let ops: Vec<(String, i16)> = sqlx::query_as(
        "SELECT tool_name, http_status FROM metering_calls WHERE application_id = $1::uuid ORDER BY at",
    )
    .bind(&app_id)
    .fetch_all(&pool)
    .await
    .expect("raw");
    assert_eq!(ops[0], ("echo/getOrder".to_owned(), 200));
    let metered: Vec<String> =
        sqlx::query_scalar("SELECT event_id::text FROM metering_calls WHERE event_id::text = ANY($1)")
            .bind(&call_ids)
            .fetch_all(&pool)
            .await
            .expect("ids");
    assert_eq!(metered.len(), call_ids.len(), "each quoted id is a metered call: {call_ids:?}");
    assert!(ops.contains(&("echo/slow".to_owned(), 504)), "{ops:?}");
}

#[sqlx::test(migrations = "../migrations")]
async fn rates_and_quotas_answer_429_with_when_to_come_back(pool: PgPool) {
    app::service::demo::seed::run(&pool).await.expect("seed");
    let port = upstream_seeing(Seen::default()).await;
    let app = TestApp::with_env(pool.clone(), &[("TRY_IT_ALLOWED_NETWORKS", "127.0.0.1/32")]);
    publish(&app, "echo", &format!("http://127.0.0.1:{port}/v1")).await;
    plan(&pool, "two-a-minute", Some(2), None).await;
    plan(&pool, "three-a-day", None, Some(3)).await;
    let alice = demo_cookie(&app, "alice").await;
    let (_, rate_key, _) = client(&app, &alice, "Rated", "echo", Some("two-a-minute")).await;
    let (_, quota_key, _) = client(&app, &alice, "Quoted", "echo", Some("three-a-day")).await;

    // The per-minute rate. (A minute's boundary between the calls would reset it: wait
    // for a fresh minute when too close to one.)
    if chrono::Utc::now().timestamp() % 60 > 55 {
        tokio::time::sleep(std::time::Duration::from_secs(6)).await;
    }
    for remaining in ["1", "0"] {
        let res = call(&app, "GET", "/gw/demo/echo/orders/1", Some(&rate_key)).await;
        assert_eq!(res.status, 200, "{}", res.body);
        assert_eq!(res.header("x-ratelimit-remaining"), Some(remaining));
    }
    let limited = call(&app, "GET", "/gw/demo/echo/orders/1", Some(&rate_key)).await;
    assert_eq!(limited.status, 429, "{}", limited.body);
    let body = json_of(&limited);
    assert_eq!(body["error"], "rate_limited");
    let retry = body["retry_after_secs"].as_i64().expect("retry_after_secs");
    assert!((1..=60).contains(&retry), "{retry}");
    assert_eq!(limited.header("retry-after"), Some(retry.to_string().as_str()));
    assert_eq!(limited.header("x-ratelimit-remaining"), Some("0"));
    assert_eq!(limited.header("x-ratelimit-limit"), Some("2"));

    // The daily quota: three calls, then refused until midnight UTC.
    let midnight = app::domain::metering::QuotaPeriod::Day.reset(chrono::Utc::now()).timestamp();
    for remaining in ["2", "1", "0"] {
        let res = call(&app, "GET", "/gw/demo/echo/orders/1", Some(&quota_key)).await;
        assert_eq!(res.status, 200, "{}", res.body);
        assert_eq!(res.header("x-ratelimit-remaining"), Some(remaining));
        assert_eq!(res.header("x-ratelimit-reset"), Some(midnight.to_string().as_str()));
    }
    let over = call(&app, "GET", "/gw/demo/echo/orders/1", Some(&quota_key)).await;
    assert_eq!(over.status, 429, "{}", over.body);
    let body = json_of(&over);
    assert_eq!(body["error"], "quota_exceeded");
    assert_eq!(over.header("x-ratelimit-reset"), Some(midnight.to_string().as_str()));
    let retry: i64 = over.header("retry-after").and_then(|v| v.parse().ok()).expect("retry-after");
    assert!((retry - (midnight - chrono::Utc::now().timestamp())).abs() <= 2, "{retry}");
    // The quota holds across replicas: a second gateway (another process's memory, same
    // database) finds it used up too.
    let other = TestApp::with_env(pool.clone(), &[("TRY_IT_ALLOWED_NETWORKS", "127.0.0.1/32")]);
    let res = call(&other, "GET", "/gw/demo/echo/orders/1", Some(&quota_key)).await;
    assert_eq!((res.status.as_u16(), json_of(&res)["error"].clone()), (429, json!("quota_exceeded")));
    // Both refusals were metered as rate-limited.
    let report = usage_reaching(&app, &alice, "period=1h&group_by=status", 8).await;
    let limited =
        report["groups"].as_array().expect("groups").iter().find(|g| g["key"] == "rate_limited").cloned();
    assert_eq!(limited.expect("rate_limited group")["calls"], 3, "{report}");
}

#[sqlx::test(migrations = "../migrations")]
async fn mcp_through_the_gateway_lists_and_calls_only_the_granted_tools(pool: PgPool) {
    app::service::demo::seed::run(&pool).await.expect("seed");
    let seen = Seen::default();
    let port = mcp_upstream(seen.clone()).await;
    let app = TestApp::with_env(pool.clone(), &[("TRY_IT_ALLOWED_NETWORKS", "127.0.0.1/32")]);
    let dave = demo_cookie(&app, "dave").await;
    let tools = json!([
        { "name": "get_forecast", "description": "A forecast", "inputSchema": { "type": "object" } },
        { "name": "get_alerts", "description": "Alerts", "inputSchema": { "type": "object" } },
        { "name": "admin_reset", "description": "Reset", "inputSchema": { "type": "object" } }
    ]);
    // A remote that is not an http(s) URL is refused next to its field.
    let bad = json!({ "name": "Forecasts", "slug": "forecasts", "tools": tools, "remote_url": "ftp://x" });
    let (status, out) = json_call(&app, "POST", "/v1/mcp/servers", Some(&dave), bad).await;
    assert_eq!((status, out["fields"][0]["field"].as_str()), (422, Some("remote_url")), "{out}");
    let body = json!({ "name": "Forecasts", "slug": "forecasts", "tools": tools,
                       "remote_url": format!("http://127.0.0.1:{port}/mcp") });
    let (status, out) = json_call(&app, "POST", "/v1/mcp/servers", Some(&dave), body).await;
    assert_eq!(status, 201, "{out}");
    // The registry names the gateway's endpoint, which MCP clients can talk to.
    let (_, registry) = json_call(&app, "GET", "/v0/servers", None, Value::Null).await;
    let forecasts = registry["servers"]
        .as_array()
        .expect("servers")
        .iter()
        .find(|s| s["name"] == "dev.gostoa/forecasts")
        .cloned();
    assert_eq!(forecasts.expect("listed")["remotes"][0]["url"], "http://127.0.0.1:3000/gw/mcp/forecasts");

    let alice = demo_cookie(&app, "alice").await;
    let body = json!({ "server_id": "forecasts", "plan": "free", "requested_tools": ["get_forecast", "get_alerts"] });
    let (status, created) = json_call(&app, "POST", "/v1/mcp/subscriptions", Some(&alice), body).await;
    assert_eq!((status, created["state"].as_str()), (201, Some("active")), "{created}");
    let key = created["api_key"].as_str().expect("key").to_owned();

    let res =
        mcp_call(&app, None, json!({ "jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {} }))
            .await;
    assert_eq!((res.status.as_u16(), json_of(&res)["error"].clone()), (401, json!("missing_key")));
    let res = mcp_call(
        &app,
        Some(&key),
        json!({ "jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {} }),
    )
    .await;
    assert_eq!(res.status, 200, "{}", res.body);
    assert_eq!(json_of(&res)["result"]["serverInfo"]["name"], "forecasts");
    assert_eq!(res.header("mcp-session-id"), Some("session-1"), "the transport's headers come back");
    // tools/list: only what the subscription grants.
    let res = mcp_call(&app, Some(&key), json!({ "jsonrpc": "2.0", "id": 2, "method": "tools/list" })).await;
    let names: Vec<String> = json_of(&res)["result"]["tools"]
        .as_array()
        .expect("tools")
        .iter()
        .filter_map(|t| t["name"].as_str().map(str::to_owned))
        .collect();
    assert_eq!(names, ["get_forecast", "get_alerts"], "{}", res.body);
    // tools/call: a granted tool goes through, any other is refused before the server.
    let call = |name: &str| json!({ "jsonrpc": "2.0", "id": 3, "method": "tools/call", "params": { "name": name, "arguments": {} } });
    let res = mcp_call(&app, Some(&key), call("get_forecast")).await;
    assert_eq!(res.status, 200, "{}", res.body);
    assert_eq!(json_of(&res)["result"]["content"][0]["text"], "called get_forecast");
    let res = mcp_call(&app, Some(&key), call("admin_reset")).await;
    assert_eq!(
        (res.status.as_u16(), json_of(&res)["error"].clone()),
        (403, json!("tool_not_granted")),
        "{}",
        res.body
    );
    let res = mcp_call(&app, Some(&key), json!([1, 2])).await;
    assert_eq!((res.status.as_u16(), json_of(&res)["error"].clone()), (400, json!("invalid_message")));
    // The key never reached the MCP server.
    assert!(seen.lock().expect("seen").is_empty(), "{:?}", seen.lock().expect("seen"));
    // Metered: each message made with her key (4), tool calls under the tool's name.
    let report = usage_reaching(&app, &alice, "period=1h&group_by=tool", 4).await;
    let tool = |k: &str| report["groups"].as_array().and_then(|g| g.iter().find(|x| x["key"] == k).cloned());
    assert_eq!(tool("get_forecast").expect("get_forecast")["success"], 1, "{report}");
    assert_eq!(tool("admin_reset").expect("admin_reset")["policy_denied"], 1, "{report}");
    assert_eq!(tool("forecasts/tools/list").expect("tools/list")["calls"], 1, "{report}");
}

/// Issue 31, item 12: the API's root, with or without its trailing slash, is the API's
/// `/` — never the portal's HTML 404 page.
#[sqlx::test(migrations = "../migrations")]
async fn the_root_of_an_api_is_reached_with_or_without_the_slash(pool: PgPool) {
    app::service::demo::seed::run(&pool).await.expect("seed");
    let port = upstream_seeing(Seen::default()).await;
    let app = TestApp::with_env(pool.clone(), &[("TRY_IT_ALLOWED_NETWORKS", "127.0.0.1/32")]);
    let dave = demo_cookie(&app, "dave").await;
    let document = json!({
        "openapi": "3.0.3",
        "info": { "title": "Rooted", "version": "1.0.0" },
        "servers": [{ "url": format!("http://127.0.0.1:{port}/v1") }],
        "paths": { "/": { "get": { "operationId": "index", "responses": { "200": { "description": "OK" } } } } }
    })
    .to_string();
    let body = json!({ "name": "Rooted", "slug": "rooted", "document": document, "publish": true, "environments": ["prod"] });
    assert_eq!(json_call(&app, "POST", "/v1/catalog/apis", Some(&dave), body).await.0, 201);
    plan(&pool, "open", None, None).await;
    let alice = demo_cookie(&app, "alice").await;
    let (_, key, _) = client(&app, &alice, "Root caller", "rooted", Some("open")).await;
    for path in ["/gw/demo/rooted/", "/gw/demo/rooted", "/gw/demo/rooted/?x=1"] {
        let res = call(&app, "GET", path, Some(&key)).await;
        assert_eq!(res.status, 200, "{path}: {}", res.body);
        assert!(res.header("content-type").is_some_and(|c| c.starts_with("application/json")), "{path}");
        assert_eq!(json_of(&res)["path"], "/v1/", "{path}: the API's root");
    }
    // Without a key: the gateway's JSON refusal, not the portal's page.
    let res = call(&app, "GET", "/gw/demo/rooted/", None).await;
    assert_eq!(res.status, 401, "{}", res.body);
    assert!(!res.body.contains("<html"), "{}", res.body);
}

//! STOA's demo backends: the demo weather, CRM and payments APIs answer offline —
//! directly under `/demo-backends`, through the gateway with a subscribed key, and from
//! try-it — with nothing listening anywhere else, and not at all with `DEMO=off`. Every
//! operation of their stored documents answers as the document says.

use crate::util::{call, client, demo_cookie, TestApp};
use serde_json::Value;
use sqlx::PgPool;

#[sqlx::test(migrations = "../migrations")]
async fn the_demo_weather_api_answers_offline_directly_through_the_gateway_and_from_try_it(pool: PgPool) {
    app::service::demo::seed::run(&pool).await.expect("seed");
    let app = TestApp::new(pool.clone());
    // Directly: a forecast for the place asked, a clear 400 for a missing parameter.
    let res =
        app.get("/demo-backends/weather/v1/forecast?place=paris&from=2026-06-01&to=2026-06-03", &[]).await;
    assert_eq!(res.status, 200, "{}", res.body);
    let body: Value = serde_json::from_str(&res.body).expect("json");
    assert_eq!(
        (body["place"]["name"].as_str(), body["days"].as_array().map(Vec::len)),
        (Some("Paris"), Some(3))
    );
    let res = app.get("/demo-backends/weather/v1/forecast", &[]).await;
    assert_eq!(res.status, 400);
    assert!(res.body.contains("place is required"), "{}", res.body);
    assert_eq!(app.get("/demo-backends/nothing/here", &[]).await.status, 404);

    // The demo API's document names the backend, and the API page shows its operations.
    let page = app.get("/apis/demo/weather-forecast", &[]).await;
    assert!(page.body.contains("Daily forecast for a place and a date range"), "{}", page.body);

    // Through the gateway with a subscribed key: the same answer, metered.
    let alice = demo_cookie(&app, "alice").await;
    let (_, key, _) = client(&app, &alice, "Weather watcher", "weather-forecast", Some("free")).await;
    let res = call(&app, "GET", "/gw/demo/weather-forecast/forecast?place=lyon", Some(&key)).await;
    assert_eq!(res.status, 200, "{}", res.body);
    assert!(res.body.contains("\"Lyon\""), "{}", res.body);
    let res = call(&app, "GET", "/gw/demo/weather-forecast/places?q=", Some(&key)).await;
    assert_eq!(res.status, 400, "{}", res.body);
    assert_eq!(call(&app, "GET", "/gw/demo/weather-forecast/forecast?place=lyon", None).await.status, 401);

    // Try-it without an application: answered in process (no private address reached).
    let form = "tenant=demo&api=weather-forecast&version=1.1.0&environment=prod&method=get&path=%2Fplaces%2F%7Bid%7D&op=op-get--places--id-&p.path.id=tokyo";
    let res = app.post_form("/try-it", form, &[("cookie", alice.as_str())]).await;
    let location = res.header("location").expect("to the page").to_owned();
    let page = app.get(&location, &[("cookie", alice.as_str())]).await.body;
    assert!(page.contains("HTTP 200") && page.contains("Asia/Tokyo"), "{page}");
}

#[sqlx::test(migrations = "../migrations")]
async fn with_demo_off_the_backends_do_not_answer(pool: PgPool) {
    app::service::demo::seed::run(&pool).await.expect("seed");
    let app = TestApp::with_env(pool.clone(), &[("DEMO", "off")]);
    assert_eq!(app.get("/demo-backends/weather/v1/places?q=par", &[]).await.status, 404);
    let alice = demo_cookie(&app, "alice").await;
    let (_, key, _) = client(&app, &alice, "Weather watcher", "weather-forecast", Some("free")).await;
    let res = call(&app, "GET", "/gw/demo/weather-forecast/places?q=par", Some(&key)).await;
    assert_eq!(res.status, 502, "{}", res.body);
    assert!(res.body.contains("DEMO=off"), "{}", res.body);
}

/// The onboarding wizard on the demo's own weather API: the command it shows fills the
/// operation's required parameters from the document's examples, and that exact call
/// succeeds through the gateway and ends the wizard — with no upstream anywhere.
#[sqlx::test(migrations = "../migrations")]
async fn the_wizard_ends_with_a_real_call_of_the_demo_weather_api(pool: PgPool) {
    use serde_json::json;
    app::service::demo::seed::run(&pool).await.expect("seed");
    let app = TestApp::new(pool.clone());
    let alice = demo_cookie(&app, "alice").await;
    let choice = json!({ "kind": "api", "tenant": "demo", "slug": "weather-forecast", "plan": "free" });
    let (key, curl) = wizard_to_first_call(&app, &alice, "rest", "Forecasts", choice).await;
    let path = curl.split("http://127.0.0.1:3000").nth(1).expect("path").split('\'').next().expect("path");
    // The first operation without path parameters (the stored document's paths are in
    // key order), its required `region` filled with the document's example.
    assert_eq!(path, "/gw/demo/weather-forecast/alerts?region=FR", "{curl}");
    let res = call(&app, "GET", path, Some(&key)).await;
    assert_eq!(res.status, 200, "{}", res.body);
    assert!(res.body.contains("\"region\":\"FR\""), "{}", res.body);
    let state = crate::util::wizard_done(&app, &alice).await;
    assert_eq!(state["step"], "done", "{state}");
}

/// A call through the gateway with a key and a JSON body.
async fn send(app: &TestApp, method: &str, path: &str, key: &str, body: &str) -> crate::util::TestResponse {
    let req = axum::http::Request::builder()
        .method(method)
        .uri(path)
        .header("x-api-key", key)
        .header("content-type", "application/json")
        .body(axum::body::Body::from(body.to_owned()))
        .expect("request");
    app.send(req).await
}

/// `body` against the schema `doc` gives for `op`'s `status` answer: the errors found.
fn mismatches(doc: &Value, op: &Value, status: u16, body: &str) -> Vec<String> {
    let answer = &op["responses"][status.to_string()];
    if answer.is_null() {
        return vec![format!("{status} is not documented")];
    }
    let schema = &answer["content"]["application/json"]["schema"];
    if schema.is_null() {
        return if body.is_empty() {
            vec![]
        } else {
            vec![format!("a body where none is documented: {body}")]
        };
    }
    let mut root = serde_json::json!({ "components": doc["components"].clone() });
    root["$ref"] = schema["$ref"].clone();
    let validator = jsonschema::validator_for(&root).expect("the document's schema compiles");
    let body: Value = serde_json::from_str(body).unwrap_or(Value::Null);
    validator.iter_errors(&body).map(|e| format!("{e} at {}", e.instance_path())).collect()
}

/// What the document shows for `op`: the path with its parameters' examples, the query of
/// every parameter with an example, and the body's example.
fn shown(path: &str, op: &Value) -> (String, Vec<(String, String)>, String) {
    let mut path = path.to_owned();
    let mut query = Vec::new();
    for p in op["parameters"].as_array().into_iter().flatten() {
        let example = match &p["example"] {
            Value::String(s) => s.clone(),
            Value::Null => continue,
            v => v.to_string(),
        };
        let name = p["name"].as_str().unwrap_or_default();
        match p["in"].as_str() {
            Some("path") => path = path.replace(&format!("{{{name}}}"), &example),
            _ => query.push((name.to_owned(), example)),
        }
    }
    let body = &op["requestBody"]["content"]["application/json"]["example"];
    (path, query, if body.is_null() { String::new() } else { body.to_string() })
}

fn with_query(path: &str, query: &[(String, String)]) -> String {
    if query.is_empty() {
        return path.to_owned();
    }
    let q = url::form_urlencoded::Serializer::new(String::new()).extend_pairs(query).finish();
    format!("{path}?{q}")
}

/// The must-show: every operation of the three demo APIs' stored documents, called
/// through the gateway as its document shows (on a freshly reset store), answers 2xx with
/// a body its documented schema accepts; the same operation with a required parameter
/// left out or a wrong body answers 400 (an unknown id 404), also as documented.
#[sqlx::test(migrations = "../migrations")]
async fn every_operation_of_the_demo_apis_answers_through_the_gateway_as_its_document_says(pool: PgPool) {
    app::service::demo::seed::run(&pool).await.expect("seed");
    let app = TestApp::new(pool.clone());
    let tara = demo_cookie(&app, "tara").await;
    let reset = || async {
        let mut tx = pool.begin().await.expect("tx");
        app::db::demo::records::seed(&mut tx, chrono::Utc::now(), true).await.expect("dataset");
        tx.commit().await.expect("commit");
    };
    let mut counted = (0, 0);
    for (slug, version, operations) in
        [("weather-forecast", "1.1.0", 4), ("customer-crm", "3.3.0", 10), ("payments", "2.1.0", 8)]
    {
        let (_, key, _) = client(&app, &tara, slug, slug, Some("premium")).await;
        let raw = app
            .get(
                &format!("/v1/catalog/apis/demo/{slug}/versions/{version}/document"),
                &[("cookie", tara.as_str())],
            )
            .await;
        assert_eq!(raw.status, 200, "{slug}");
        let doc = app::domain::openapi::parse(raw.body.as_bytes()).expect("a valid document").spec;
        let ops = app::domain::openapi::each_operation(&doc);
        assert_eq!(ops.len(), operations, "{slug}");
        for (method, template, op) in ops {
            let id = op["operationId"].as_str().unwrap_or_default();
            let method = method.to_ascii_uppercase();
            let (path, query, body) = shown(template, op);
            reset().await;
            let res =
                send(&app, &method, &with_query(&format!("/gw/demo/{slug}{path}"), &query), &key, &body)
                    .await;
            assert!(res.status.is_success(), "{slug} {id}: {} {}", res.status, res.body);
            let wrong = mismatches(&doc, op, res.status.as_u16(), &res.body);
            assert!(wrong.is_empty(), "{slug} {id} {}: {wrong:?} in {}", res.status, res.body);
            counted.0 += 1;

            // Invalid: a required query parameter left out, else a body that is no object,
            // else a bad `limit`, else an unknown id.
            let required: Vec<&str> = op["parameters"]
                .as_array()
                .into_iter()
                .flatten()
                .filter(|p| p["in"] == "query" && p["required"] == true)
                .filter_map(|p| p["name"].as_str())
                .collect();
            let lists = op["parameters"].as_array().into_iter().flatten().any(|p| p["name"] == "limit");
            let (path, query, body, want) = if let Some(name) = required.first() {
                let q: Vec<_> = query.iter().filter(|(k, _)| k != name).cloned().collect();
                (path, q, body, 400)
            } else if op["requestBody"].is_object() {
                (path, query, "[1, 2]".to_owned(), 400)
            } else if lists {
                (path, vec![("limit".to_owned(), "0".to_owned())], body, 400)
            } else if template.contains('{') {
                (shown(&template.replace("{id}", "nope_0000"), op).0, query, body, 404)
            } else {
                continue; // nothing to get wrong (the balance)
            };
            let res =
                send(&app, &method, &with_query(&format!("/gw/demo/{slug}{path}"), &query), &key, &body)
                    .await;
            assert_eq!(res.status, want, "{slug} {id} invalid: {}", res.body);
            let wrong = mismatches(&doc, op, res.status.as_u16(), &res.body);
            assert!(wrong.is_empty(), "{slug} {id} {}: {wrong:?} in {}", res.status, res.body);
            counted.1 += 1;
        }
    }
    assert_eq!(counted, (22, 21));
}

/// A customer created through the gateway is readable until the demo's dataset is put
/// back; a payment follows its life cycle across calls; a bad body changes nothing.
#[sqlx::test(migrations = "../migrations")]
async fn what_a_visitor_creates_stays_until_the_dataset_is_put_back(pool: PgPool) {
    app::service::demo::seed::run(&pool).await.expect("seed");
    let app = TestApp::new(pool.clone());
    let tara = demo_cookie(&app, "tara").await;
    let (_, crm, _) = client(&app, &tara, "CRM", "customer-crm", Some("premium")).await;
    let (_, pay, _) = client(&app, &tara, "Pay", "payments", Some("premium")).await;
    let count = || async {
        sqlx::query_scalar::<_, i64>("SELECT count(*) FROM demo_records")
            .fetch_one(&pool)
            .await
            .expect("count")
    };
    let seeded = count().await;
    assert_eq!(seeded, 8 + 6 + 8 + 2, "customers, leads, payments, refunds");

    let res = send(
        &app,
        "POST",
        "/gw/demo/customer-crm/customers",
        &crm,
        r#"{"name":"Ada Byron","email":"ada@analytical.example"}"#,
    )
    .await;
    assert_eq!(res.status, 201, "{}", res.body);
    let res = send(&app, "GET", "/gw/demo/customer-crm/customers?q=analytical", &crm, "").await;
    assert!(res.body.contains("cus_0009"), "{}", res.body);
    // The same record read again through the gateway; directly, the CRM (an internal
    // API) is not there.
    assert_eq!(send(&app, "GET", "/gw/demo/customer-crm/customers/cus_0009", &crm, "").await.status, 200);
    assert_eq!(app.get("/demo-backends/crm/v1/customers/cus_0009", &[]).await.status, 404);
    let res = send(
        &app,
        "POST",
        "/gw/demo/customer-crm/customers",
        &crm,
        r#"{"name":"Ada","email":"ada@analytical.example"}"#,
    )
    .await;
    assert_eq!(res.status, 409, "{}", res.body);
    let res = send(&app, "POST", "/gw/demo/customer-crm/customers", &crm, "{not json").await;
    assert_eq!(res.status, 400);
    assert!(res.body.contains("not valid JSON"), "{}", res.body);
    assert_eq!(count().await, seeded + 1, "nothing half-done");

    let res = send(
        &app,
        "POST",
        "/gw/demo/payments/payments",
        &pay,
        r#"{"amount":10000,"currency":"EUR","capture":false}"#,
    )
    .await;
    assert_eq!(res.status, 201, "{}", res.body);
    let res = send(&app, "POST", "/gw/demo/payments/payments/pay_0009/capture", &pay, "").await;
    assert!(res.body.contains("\"succeeded\""), "{}", res.body);
    let res =
        send(&app, "POST", "/gw/demo/payments/payments/pay_0009/refunds", &pay, r#"{"amount":2500}"#).await;
    assert_eq!(res.status, 201, "{}", res.body);
    let res = send(&app, "GET", "/gw/demo/payments/payments/pay_0009", &pay, "").await;
    assert!(
        res.body.contains("partially_refunded") && res.body.contains("\"amount_refunded\":2500"),
        "{}",
        res.body
    );
    let res = send(&app, "DELETE", "/gw/demo/customer-crm/customers/cus_0009", &crm, "").await;
    assert_eq!((res.status.as_u16(), res.body.as_str()), (204, ""));

    // Seeding again keeps the visitors' records; putting the dataset back drops them.
    app::service::demo::seed::run(&pool).await.expect("seed again");
    assert_eq!(count().await, seeded + 2, "the payment and its refund stay");
    let mut tx = pool.begin().await.expect("tx");
    app::db::demo::records::seed(&mut tx, chrono::Utc::now(), true).await.expect("dataset");
    tx.commit().await.expect("commit");
    assert_eq!(count().await, seeded);
    assert_eq!(send(&app, "GET", "/gw/demo/payments/payments/pay_0009", &pay, "").await.status, 404);
}

/// One MCP message to `server` through the gateway.
async fn mcp(app: &TestApp, server: &str, key: &str, message: Value) -> (u16, Value, String) {
    let req = axum::http::Request::post(format!("/gw/mcp/{server}"))
        .header("content-type", "application/json")
        .header("accept", "application/json, text/event-stream")
        .header("authorization", format!("Bearer {key}"))
        .body(axum::body::Body::from(message.to_string()))
        .expect("request");
    let res = app.send(req).await;
    (res.status.as_u16(), serde_json::from_str(&res.body).unwrap_or(Value::Null), res.body)
}

/// The three demo MCP servers answer MCP through the gateway, offline: `initialize`,
/// notifications, `tools/list`, and every tool called with the arguments its input schema
/// shows — answered by the demo REST backend it stands for (a lead created by an agent is
/// in the CRM). Wrong arguments get JSON-RPC's -32602 naming the problem. The wizard's MCP
/// call, as shown, works on the demo weather server.
#[sqlx::test(migrations = "../migrations")]
async fn the_demo_mcp_servers_answer_through_the_gateway_with_checked_arguments(pool: PgPool) {
    use crate::util::json_call;
    use serde_json::json;
    app::service::demo::seed::run(&pool).await.expect("seed");
    let app = TestApp::new(pool.clone());
    let tara = demo_cookie(&app, "tara").await;
    for server in ["weather", "crm", "payments"] {
        let tools = app::domain::demo::mcp::tools(server);
        let names: Vec<&str> = tools.iter().map(|t| t.name.as_str()).collect();
        let body = json!({ "server_id": server, "plan": "premium", "requested_tools": names });
        let (status, created) = json_call(&app, "POST", "/v1/mcp/subscriptions", Some(&tara), body).await;
        assert_eq!((status, created["state"].as_str()), (201, Some("active")), "{created}");
        let key = created["api_key"].as_str().expect("key").to_owned();

        let init = json!({ "jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
            "protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": { "name": "test", "version": "1" } } });
        let (status, answer, _) = mcp(&app, server, &key, init).await;
        assert_eq!(
            (status, answer["result"]["serverInfo"]["name"].as_str()),
            (200, Some(format!("stoa-demo-{server}").as_str()))
        );
        let (status, _, body) =
            mcp(&app, server, &key, json!({ "jsonrpc": "2.0", "method": "notifications/initialized" })).await;
        assert_eq!((status, body.as_str()), (202, ""));
        let (_, listed, _) =
            mcp(&app, server, &key, json!({ "jsonrpc": "2.0", "id": 2, "method": "tools/list" })).await;
        assert_eq!(listed["result"]["tools"].as_array().map(Vec::len), Some(3), "{listed}");
        for tool in &tools {
            let arguments = app::domain::mcp::example_arguments(&tool.input_schema);
            let call = json!({ "jsonrpc": "2.0", "id": 3, "method": "tools/call", "params": { "name": tool.name, "arguments": arguments } });
            let (status, answer, body) = mcp(&app, server, &key, call).await;
            assert_eq!(status, 200, "{body}");
            assert_eq!(answer["result"]["isError"], false, "{server} {}: {body}", tool.name);
            assert!(answer["result"]["structuredContent"].is_object(), "{body}");
            assert!(
                answer["result"]["content"][0]["text"].as_str().is_some_and(|t| t.starts_with('{')),
                "{body}"
            );
            // A required argument of the wrong type: refused before anything is done.
            if let Some(first) = tool.input_schema["required"][0].as_str() {
                let mut wrong = arguments.clone();
                wrong[first] = json!([]);
                let call = json!({ "jsonrpc": "2.0", "id": 4, "method": "tools/call", "params": { "name": tool.name, "arguments": wrong } });
                let (status, answer, body) = mcp(&app, server, &key, call).await;
                assert_eq!((status, answer["error"]["code"].as_i64()), (200, Some(-32602)), "{body}");
                assert!(answer["error"]["message"].as_str().is_some_and(|m| m.contains(first)), "{body}");
            }
        }
    }
    // What an agent did is in the backend: the lead created through the CRM server.
    let (status, leads) = app
        .gateway
        .in_process_answer("GET", "/demo-backends/crm/v1/leads", Some("q=fischer"), &[])
        .await
        .expect("the CRM backend");
    assert_eq!(status, 200, "{leads}");
    assert!(leads.to_string().contains("Tom Fischer") && leads.to_string().contains("lead_0007"), "{leads}");
    // Directly: the MCP servers are reached through the gateway only.
    assert_eq!(app.get("/demo-backends/mcp/weather", &[]).await.status, 404);
    assert_eq!(app.get("/demo-backends/mcp/nowhere", &[]).await.status, 404);

    // The wizard's call on the demo weather server, as shown, ends the wizard.
    let alice = demo_cookie(&app, "alice").await;
    let choice = json!({ "kind": "mcp", "tenant": "demo", "slug": "weather", "plan": "free" });
    let (key, curl) = wizard_to_first_call(&app, &alice, "mcp", "Agent", choice).await;
    let message = curl.split(" -d '").nth(1).expect("body").trim_end_matches('\'').replace("&quot;", "\"");
    let message: Value = serde_json::from_str(&message).expect("JSON-RPC message");
    // The first tool by name, its required argument filled from the schema's example.
    assert_eq!(
        message["params"],
        json!({ "name": "get_alerts", "arguments": { "region": "FR" } }),
        "{message}"
    );
    let (status, answer, body) = mcp(&app, "weather", &key, message).await;
    assert_eq!((status, answer["result"]["isError"].as_bool()), (200, Some(false)), "{body}");
    let state = crate::util::wizard_done(&app, &alice).await;
    assert_eq!(state["step"], "done", "{state}");
}

/// The wizard walked over REST to its last step for `cookie`'s user: a use case, a new
/// application `name`, the subscription `choice`. The application's key, and the command
/// the last step shows (as HTML).
async fn wizard_to_first_call(
    app: &TestApp,
    cookie: &str,
    use_case: &str,
    name: &str,
    choice: Value,
) -> (String, String) {
    use crate::util::json_call;
    use serde_json::json;
    json_call(app, "POST", "/v1/me/onboarding/use-case", Some(cookie), json!({ "use_case": use_case })).await;
    let (_, chosen) =
        json_call(app, "POST", "/v1/me/onboarding/application", Some(cookie), json!({ "name": name })).await;
    let key = chosen["issued"]["secret"].as_str().expect("key").to_owned();
    let (status, state) =
        json_call(app, "POST", "/v1/me/onboarding/subscription", Some(cookie), choice).await;
    assert_eq!((status, state["step"].as_str()), (200, Some("first_call")), "{state}");
    let page = app.get("/onboarding/first-call", &[("cookie", cookie)]).await.body;
    let curl = page.split("data-command=\"\">").nth(1).expect("curl").split("</code>").next().expect("code");
    (key, curl.to_owned())
}

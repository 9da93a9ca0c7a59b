//! The try-it proxy, end to end: an API published with a server on a local upstream, the
//! form posted as a browser does, the answer shown on the page — and the refusals.

use crate::util::{session_cookie, sign_in, upstream, upstream_seeing, Seen, TestApp};
use axum::body::Body;
use axum::http::Request;
use serde_json::json;
use sqlx::PgPool;

fn document(server: &str) -> String {
    json!({
        "openapi": "3.0.3",
        "info": { "title": "Echo", "version": "1.0.0" },
        "servers": [{ "url": server }],
        "paths": {
            "/orders/{id}": {
                "parameters": [{ "name": "id", "in": "path", "required": true, "schema": { "type": "string" } }],
                "get": {
                    "summary": "Read an order",
                    "parameters": [
                        { "name": "expand", "in": "query", "schema": { "type": "string" } },
                        { "name": "X-Request-Id", "in": "header", "schema": { "type": "string" } }
                    ],
                    "responses": { "200": { "description": "OK" } }
                },
                "put": {
                    "summary": "Replace an order",
                    "requestBody": { "content": { "application/json": { "schema": { "type": "object" } } } },
                    "responses": { "200": { "description": "OK" } }
                }
            }
        }
    })
    .to_string()
}

/// Publishes the echo API (prod at `server`) as dave; returns his cookie.
async fn publish(app: &TestApp, slug: &str, server: &str) -> String {
    let dave = session_cookie(&sign_in(app, "dave", "stoa-demo", None).await).expect("dave");
    let body = json!({ "name": slug, "slug": slug, "document": document(server), "publish": true, "environments": ["prod"] });
    let req = Request::post("/v1/catalog/apis")
        .header("content-type", "application/json")
        .header("cookie", &dave)
        .body(Body::from(body.to_string()))
        .expect("request");
    let res = app.send(req).await;
    assert_eq!(res.status, 201, "{}", res.body);
    dave
}

/// Posts the try-it form and follows the redirect to the page: (location, page body).
async fn try_it(app: &TestApp, cookie: &str, form: &str) -> (String, String) {
    let res = app.post_form("/try-it", form, &[("cookie", cookie)]).await;
    assert_eq!(res.status, 303, "{}", res.body);
    let location = res.header("location").expect("location").to_owned();
    let page = app.get(&location, &[("cookie", cookie)]).await;
    (location, page.body)
}

const GET_ORDER: &str = "tenant=demo&api=echo&version=1.0.0&environment=prod&method=get&path=%2Forders%2F%7Bid%7D&op=op-get--orders--id-";

#[sqlx::test(migrations = "../migrations")]
async fn the_proxy_calls_the_registered_server_and_shows_the_answer(pool: PgPool) {
    app::service::demo::seed::run(&pool).await.expect("seed");
    let port = upstream().await;
    let app = TestApp::with_env(pool, &[("TRY_IT_ALLOWED_NETWORKS", "127.0.0.1/32")]);
    let dave = publish(&app, "echo", &format!("http://127.0.0.1:{port}/v1")).await;
    let form = format!(
        "{GET_ORDER}&p.path.id=A%207&p.query.expand=lines&p.header.X-Request-Id=req-42&p.query.undeclared=x"
    );
    let (location, page) = try_it(&app, &dave, &form).await;
    assert!(
        location.starts_with("/apis/demo/echo?version=1.0.0&op=op-get--orders--id-&tried="),
        "{location}"
    );
    assert!(page.contains("HTTP 200"), "{page}");
    assert!(page.contains(&format!("GET http://127.0.0.1:{port}/v1/orders/A%207?expand=lines")), "{page}");
    // The upstream saw the declared parameters only, and no portal cookie.
    assert!(
        page.contains("&quot;path&quot;:&quot;/v1/orders/A%207&quot;")
            || page.contains(r#""path":"/v1/orders/A%207""#),
        "{page}"
    );
    assert!(page.contains("req-42") && !page.contains("undeclared"), "{page}");
    assert!(page.contains(r#""cookie":"""#) || page.contains("&quot;cookie&quot;:&quot;&quot;"), "{page}");
    assert!(page.contains("(hidden)") && !page.contains("upstream=secret"), "set-cookie is not shown");
    // A body goes out with the operation's content type.
    let put = "tenant=demo&api=echo&version=1.0.0&environment=prod&method=put&path=%2Forders%2F%7Bid%7D&op=op-put--orders--id-&p.path.id=9&body=%7B%22qty%22%3A3%7D";
    let (_, page) = try_it(&app, &dave, put).await;
    assert!(page.contains("HTTP 200") && page.contains("qty"), "{page}");
    // A visitor is sent to sign in first.
    let res = app.post_form("/try-it", GET_ORDER, &[]).await;
    assert!(
        res.header("location").unwrap_or_default().starts_with("/login?next="),
        "{:?}",
        res.header("location")
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn the_proxy_refuses_private_addresses_and_urls_outside_the_registered_servers(pool: PgPool) {
    app::service::demo::seed::run(&pool).await.expect("seed");
    let port = upstream().await;
    // No exception configured: 127.0.0.1 is private.
    let app = TestApp::new(pool.clone());
    let dave = publish(&app, "echo", &format!("http://127.0.0.1:{port}/v1")).await;
    let (_, page) = try_it(&app, &dave, &format!("{GET_ORDER}&p.path.id=1")).await;
    assert!(
        page.contains("The server’s address is private") || page.contains("address is private or internal"),
        "{page}"
    );
    // Names that resolve to private addresses, and the cloud metadata address, too.
    publish(&app, "echo-local", &format!("http://localhost:{port}/v1")).await;
    let (_, page) =
        try_it(&app, &dave, &format!("{}&p.path.id=1", GET_ORDER.replace("api=echo&", "api=echo-local&")))
            .await;
    assert!(page.contains("address is private or internal"), "{page}");
    publish(&app, "echo-metadata", "http://169.254.169.254/v1").await;
    let (_, page) =
        try_it(&app, &dave, &format!("{}&p.path.id=1", GET_ORDER.replace("api=echo&", "api=echo-metadata&")))
            .await;
    assert!(page.contains("address is private or internal"), "{page}");

    // With the exception, still only the registered server and the document's operations.
    let app = TestApp::with_env(pool, &[("TRY_IT_ALLOWED_NETWORKS", "127.0.0.1/32")]);
    let (_, page) = try_it(&app, &dave, &format!("{GET_ORDER}&p.path.id=..")).await;
    assert!(
        page.contains("would leave the API’s registered server")
            || page.contains("registered server, so it was not sent"),
        "{page}"
    );
    let other_path = GET_ORDER.replace("path=%2Forders%2F%7Bid%7D", "path=%2Fadmin");
    let (_, page) = try_it(&app, &dave, &other_path).await;
    assert!(page.contains("This operation is not in this version of the API."), "{page}");
    let staging = GET_ORDER.replace("environment=prod", "environment=staging");
    let (_, page) = try_it(&app, &dave, &format!("{staging}&p.path.id=1")).await;
    assert!(page.contains("not deployed in that environment"), "{page}");
    let header = format!("{GET_ORDER}&p.path.id=1&p.header.X-Request-Id=a%0D%0AHost%3A%20evil");
    let (_, page) = try_it(&app, &dave, &header).await;
    assert!(page.contains("cannot be set here"), "{page}");
}

#[sqlx::test(migrations = "../migrations")]
async fn with_an_application_the_call_goes_through_the_gateway(pool: PgPool) {
    app::service::demo::seed::run(&pool).await.expect("seed");
    let seen = Seen::default();
    let port = upstream_seeing(seen.clone()).await;
    let app = TestApp::with_env(pool.clone(), &[("TRY_IT_ALLOWED_NETWORKS", "127.0.0.1/32")]);
    let dave = publish(&app, "echo", &format!("http://127.0.0.1:{port}/v1")).await;
    let created = app
        .post_form(
            "/api/save_application",
            "name=Echo+client&description=&security_profile=api_key&redirect_uris=",
            &[("cookie", &dave)],
        )
        .await;
    let id = created
        .header("location")
        .expect("redirect")
        .trim_start_matches("/apps/")
        .trim_end_matches("?saved=created")
        .to_owned();
    let page = app.get("/apis/demo/echo", &[("cookie", &dave)]).await;
    assert!(
        page.body.contains(&format!(r#"<option value="{id}" selected>Echo client</option>"#)),
        "{}",
        page.body
    );
    // Without a subscription the gateway refuses, and says why.
    let (_, page) = try_it(&app, &dave, &format!("{GET_ORDER}&p.path.id=1&application={id}")).await;
    assert!(page.contains("HTTP 403") && page.contains("no_subscription"), "{page}");
    // Subscribed: through the gateway — answered, the key kept from the upstream, the
    // call limited by the plan and metered as try-it.
    let body = json!({ "application_id": id, "tenant": "demo", "entry": "echo", "plan": "free" });
    let (status, sub) = crate::util::json_call(&app, "POST", "/v1/subscriptions", Some(&dave), body).await;
    assert_eq!(status, 201, "{sub}");
    let (_, page) = try_it(&app, &dave, &format!("{GET_ORDER}&p.path.id=1&application={id}")).await;
    assert!(page.contains("HTTP 200") && page.contains("valid for five minutes"), "{page}");
    assert!(page.contains("GET http://127.0.0.1:3000/gw/demo/echo/orders/1"), "{page}");
    assert!(page.contains("x-ratelimit-remaining"), "the plan's headers are shown: {page}");
    assert!(seen.lock().expect("seen").is_empty(), "the upstream never sees the key");
    let mut try_it_calls = 0;
    for _ in 0..50 {
        try_it_calls = sqlx::query_scalar::<_, i64>(
            "SELECT count(*) FROM metering_calls WHERE application_id = $1::uuid AND try_it",
        )
        .bind(&id)
        .fetch_one(&pool)
        .await
        .expect("count");
        if try_it_calls == 2 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(try_it_calls, 2, "both try-it calls are metered as try-it");
    // Someone else's application is refused, and nothing is sent.
    let alice = session_cookie(&sign_in(&app, "alice", "stoa-demo", None).await).expect("alice");
    let (_, page) = try_it(&app, &alice, &format!("{GET_ORDER}&p.path.id=1&application={id}")).await;
    assert!(page.contains("That application is not one of yours."), "{page}");
    assert!(seen.lock().expect("seen").is_empty());
}

/// Issue 31, item 9: "Sign in to try this operation" comes back to the operation, open.
#[sqlx::test(migrations = "../migrations")]
async fn signing_in_to_try_comes_back_to_the_operation_open(pool: PgPool) {
    app::service::demo::seed::run(&pool).await.expect("seed");
    let app = TestApp::new(pool);
    let anchor = "op-get--forecast";
    let page = app.get(&format!("/apis/demo/weather-forecast?version=1.1.0&op={anchor}"), &[]).await.body;
    let login = page
        .split("href=\"")
        .map(|h| h.split('"').next().unwrap_or_default().replace("&amp;", "&"))
        .find(|h| h.starts_with("/login?next=") && h.ends_with(&format!("op%3D{anchor}%23{anchor}")))
        .expect("the operation's sign-in link");
    let form = app.get(&login, &[]).await.body;
    let next = form
        .split("name=\"next\" value=\"")
        .nth(1)
        .and_then(|r| r.split('"').next())
        .expect("next kept by the form")
        .replace("&amp;", "&");
    assert!(next.ends_with(&format!("op={anchor}#{anchor}")), "{next}");
    let body = format!(
        "username=alice&password={}&next={}",
        app::service::demo::seed::BETA_PASSWORD,
        app::auth::encode_query_value(&next)
    );
    let signed = app.post_form("/api/login", &body, &[]).await;
    let to = signed.header("location").expect("redirect").to_owned();
    assert_eq!(to, next, "back where the link was");
    let cookie = crate::util::session_cookie(&signed).expect("session");
    let back = app.get(&to, &[("cookie", &cookie)]).await.body;
    let details = back.split(&format!("id=\"{anchor}\"")).nth(1).expect("the operation");
    assert!(details[..details.find('>').unwrap_or(0)].contains("open"), "opened: {}", &details[..200]);
}

//! The REST API's own refusals: a body that is not JSON, not sent as JSON or of the wrong
//! shape gets our `{code, message, fields}` error naming the field — never axum's plain
//! text, never a 500 — and nothing is written.

use crate::util::{demo_cookie as cookie, TestApp};
use axum::body::Body;
use axum::http::Request;
use serde_json::Value;
use sqlx::PgPool;

/// Sends `body` as is with `content_type`; the status, the content type and the JSON.
async fn raw(
    app: &TestApp,
    path: &str,
    cookie: &str,
    content_type: &str,
    body: &str,
) -> (u16, String, Value) {
    let req = Request::post(path)
        .header("content-type", content_type)
        .header("cookie", cookie)
        .body(Body::from(body.to_owned()))
        .expect("request");
    let res = app.send(req).await;
    let kind = res.headers.get("content-type").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    (res.status.as_u16(), kind, serde_json::from_str(&res.body).unwrap_or(Value::Null))
}

#[sqlx::test(migrations = "../migrations")]
async fn malformed_bodies_get_our_error_shape_naming_the_field_and_change_nothing(pool: PgPool) {
    app::service::demo::seed::run(&pool).await.expect("seed");
    let app = TestApp::new(pool.clone());
    let tara = cookie(&app, "tara").await;
    let count = |table: &'static str| {
        let pool = pool.clone();
        async move {
            sqlx::query_scalar::<_, i64>(&format!("SELECT count(*) FROM {table}"))
                .fetch_one(&pool)
                .await
                .expect("count")
        }
    };
    let before =
        (count("applications").await, count("subscriptions").await, count("promotion_requests").await);

    let cases = [
        // Not JSON at all.
        ("/v1/applications", "application/json", r#"{"name": "Half"#, "body"),
        // JSON of the wrong shape: a number where an id goes.
        (
            "/v1/subscriptions",
            "application/json",
            r#"{"application_id": 42, "entry": "weather"}"#,
            "application_id",
        ),
        // JSON sent as plain text.
        ("/v1/requests/prod", "text/plain", r#"{"target_name": "weather-forecast"}"#, "body"),
        // A required field left out.
        ("/v1/keys/verify", "application/json", r#"{"secret": "stoa_sk_x"}"#, "key"),
    ];
    for (path, content_type, body, field) in cases {
        let (status, kind, out) = raw(&app, path, &tara, content_type, body).await;
        assert!(status == 400 || status == 422, "{path}: {status} {out}");
        assert!(kind.starts_with("application/json"), "{path}: {kind}");
        assert!(out["code"].is_string() && out["message"].is_string(), "{path}: {out}");
        assert_eq!(out["fields"][0]["field"], field, "{path}: {out}");
    }
    let after =
        (count("applications").await, count("subscriptions").await, count("promotion_requests").await);
    assert_eq!(before, after, "nothing written");
}

#[sqlx::test(migrations = "../migrations")]
async fn bad_query_strings_and_ids_get_our_error_shape_naming_the_parameter(pool: PgPool) {
    app::service::demo::seed::run(&pool).await.expect("seed");
    let app = TestApp::new(pool.clone());
    let tara = cookie(&app, "tara").await;
    for (path, field) in [
        ("/v1/requests/prod?page=abc", "page"),
        ("/v1/subscriptions/queue?state=bogus", "state"),
        ("/v1/requests/prod?q=a%00b", "q"),
        ("/v1/applications/not-an-id", "id"),
        ("/v1/catalog/apis/demo/a%00b", "api"),
    ] {
        let res = app.get(path, &[("cookie", &tara)]).await;
        let out: Value = serde_json::from_str(&res.body).unwrap_or(Value::Null);
        assert_eq!(res.status, 422, "{path}: {}", res.body);
        assert_eq!(out["fields"][0]["field"], field, "{path}: {out}");
    }
}

/// Every `$ref` of the document names a schema it holds.
fn refs(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(r)) = map.get("$ref") {
                out.push(r.clone());
            }
            map.values().for_each(|v| refs(v, out));
        }
        Value::Array(items) => items.iter().for_each(|v| refs(v, out)),
        _ => {}
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn the_document_describes_every_operation_and_the_catalog_shows_its_schemas(pool: PgPool) {
    app::service::demo::seed::run(&pool).await.expect("seed");
    server::seed::publish_own_document(&pool, "https://portal.example").await.expect("published");
    let app = TestApp::new(pool.clone());
    let doc: Value = serde_json::from_str(&app.get("/v1/openapi.json", &[]).await.body).expect("json");
    let mut ids = Vec::new();
    for (path, methods) in doc["paths"].as_object().expect("paths") {
        for (method, op) in methods.as_object().expect("methods") {
            let name = format!("{method} {path}");
            ids.push(op["operationId"].as_str().unwrap_or_else(|| panic!("{name}: operationId")).to_owned());
            assert!(op["responses"]["401"].is_object(), "{name}: 401 documented");
            let success = op["responses"].as_object().expect("responses").keys().find(|s| s.starts_with('2'));
            let success = success.unwrap_or_else(|| panic!("{name}: a success answer"));
            if success != "204" {
                let content = &op["responses"][success]["content"];
                assert!(
                    content
                        .as_object()
                        .is_some_and(|c| c.values().all(|m| m["schema"].is_object() || m["schema"] == true)),
                    "{name}"
                );
            }
            if let Some(body) = op.get("requestBody") {
                let media = &body["content"]["application/json"];
                assert!(
                    media["schema"].is_object() && !media["example"].is_null(),
                    "{name}: body schema and example"
                );
            }
            for param in op["parameters"].as_array().expect("parameters") {
                assert!(param["schema"].is_object(), "{name}: {param}");
            }
        }
    }
    let count = ids.len();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), count, "operationIds are unique");
    let mut found = Vec::new();
    refs(&doc, &mut found);
    assert!(found.len() > 30, "schemas are referenced, not inlined away");
    for r in found {
        let pointer = r.strip_prefix('#').unwrap_or_else(|| panic!("local ref: {r}"));
        assert!(doc.pointer(pointer).is_some_and(Value::is_object), "{r} resolves");
    }
    // Our own catalog page renders the bodies' and answers' fields. The document has more
    // operations than the page unfolds at once: each opens from its link.
    let page = app.get("/apis/demo/stoa-portal-api", &[]).await;
    assert_eq!(page.status, 200);
    let opened = |anchor: &str| {
        let href = page
            .body
            .split("href=\"")
            .map(|h| h.split('"').next().unwrap_or_default().replace("&amp;", "&"))
            .find(|h| h.ends_with(&format!("op={anchor}#{anchor}")))
            .unwrap_or_else(|| panic!("{anchor}: no link"));
        let app = &app;
        async move { app.get(&href, &[]).await.body }
    };
    let create = opened("op-post--v1-applications").await;
    let rotate = opened("op-post--v1-applications--id--keys--key--rotate").await;
    let verify = opened("op-post--v1-keys-verify").await;
    for field in ["security_profile", "redirect_uris"] {
        assert!(create.contains(field), "{field} missing from the catalog page");
    }
    assert!(rotate.contains("grace_period_hours"), "grace_period_hours missing from the catalog page");
    assert!(verify.contains("previous_key"), "previous_key missing from the catalog page");
}

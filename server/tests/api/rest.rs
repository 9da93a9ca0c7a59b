//! The REST API's own refusals: a body that is not JSON, not sent as JSON or of the wrong
//! shape gets our `{code, message, fields}` error naming the field — never axum's plain
//! text, never a 500 — and nothing is written.

use crate::helpers::{demo_cookie as cookie, TestApp};
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
    app::db::seed::run(&pool).await.expect("seed");
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

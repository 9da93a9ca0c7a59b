//! `POST /v1/catalog/apis`: publishing an OpenAPI document into the caller's tenant.

use crate::helpers::{session_cookie, sign_in, TestApp};
use axum::body::Body;
use axum::http::Request;
use serde_json::{json, Value};
use sqlx::PgPool;

async fn post(app: &TestApp, cookie: &str, body: &Value) -> (u16, Value) {
    let req = Request::post("/v1/catalog/apis")
        .header("content-type", "application/json")
        .header("cookie", cookie)
        .body(Body::from(body.to_string()))
        .expect("request");
    let res = app.send(req).await;
    (res.status.as_u16(), serde_json::from_str(&res.body).unwrap_or(Value::Null))
}

const YAML: &str = "openapi: 3.0.3\ninfo:\n  title: Loyalty\n  version: 1.0.0\nservers:\n  - url: https://loyalty.example/v1\npaths:\n  /points:\n    get:\n      summary: Read loyalty points\n      responses:\n        '200':\n          description: OK\n";

#[sqlx::test(migrations = "../migrations")]
async fn a_developer_publishes_and_the_catalog_finds_it(pool: PgPool) {
    app::db::seed::run(&pool).await.expect("seed");
    let app = TestApp::new(pool.clone());
    let dave = session_cookie(&sign_in(&app, "dave", "stoa-demo", None).await).expect("dave");
    let body = json!({
        "name": "Loyalty Points API", "description": "Points *earned* by members.", "category": "crm",
        "tags": ["loyalty", "Points"], "document": YAML, "publish": true, "environments": ["staging", "prod"]
    });
    let (status, out) = post(&app, &dave, &body).await;
    assert_eq!(status, 201, "{out}");
    assert_eq!(
        (out["tenant_id"].as_str(), out["slug"].as_str(), out["version"].as_str()),
        (Some("demo"), Some("loyalty-points-api"), Some("1.0.0"))
    );
    let page = app.get("/catalog?q=loyalty", &[]).await;
    assert!(
        page.body.contains("Loyalty Points API"),
        "published and searchable, by an operation summary too"
    );
    let detail = app.get("/apis/demo/loyalty-points-api", &[]).await;
    assert!(detail.body.contains("Read loyalty points") && detail.body.contains(">staging<"));
    // A published version is never rewritten.
    let (status, out) = post(&app, &dave, &body).await;
    assert_eq!(status, 409, "{out}");
    let (events, audited): (i64, i64) = sqlx::query_as(
        "SELECT (SELECT count(*) FROM outbox WHERE envelope->>'subject' = 'apis/demo/loyalty-points-api'),
                (SELECT count(*) FROM audit_log WHERE action = 'catalog.api-version-stored' AND actor = 'dave')",
    )
    .fetch_one(&pool)
    .await
    .expect("counts");
    assert_eq!((events, audited), (2, 1), "api-created + api-version-published, one audit row");
}

#[sqlx::test(migrations = "../migrations")]
async fn a_malformed_document_is_refused_with_its_location_and_nothing_is_stored(pool: PgPool) {
    app::db::seed::run(&pool).await.expect("seed");
    let app = TestApp::new(pool.clone());
    let tara = session_cookie(&sign_in(&app, "tara", "stoa-demo", None).await).expect("tara");
    let bad = YAML.replace(
        "summary: Read loyalty points\n",
        "summary: Read loyalty points\n      parameters:\n        - name: x\n          in: body\n",
    );
    let (status, out) =
        post(&app, &tara, &json!({ "name": "Bad", "document": bad, "environments": ["moon"] })).await;
    assert_eq!(status, 422, "{out}");
    let fields = out["fields"].as_array().expect("fields");
    let doc = fields.iter().find(|f| f["field"] == "document").expect("document error");
    assert!(
        doc["detail"].as_str().expect("detail").starts_with("/paths/~1points/get/parameters/0/in"),
        "{doc}"
    );
    assert!(fields.iter().any(|f| f["field"] == "environments"));
    let (status, _) = post(&app, &tara, &json!({ "name": "Bad", "document": "openapi: [" })).await;
    assert_eq!(status, 422);
    let stored: i64 = sqlx::query_scalar("SELECT count(*) FROM catalog_items WHERE slug = 'bad'")
        .fetch_one(&pool)
        .await
        .expect("count");
    assert_eq!(stored, 0);
    let alice = session_cookie(&sign_in(&app, "alice", "stoa-demo", None).await).expect("alice");
    let (status, _) = post(&app, &alice, &json!({ "name": "Mine", "document": YAML })).await;
    assert_eq!(status, 403, "a consumer does not publish");
}

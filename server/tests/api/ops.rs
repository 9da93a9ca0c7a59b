//! Operations endpoints: health, readiness, metrics, request ids.

use crate::util::TestApp;
use axum::http::StatusCode;
use sqlx::PgPool;

#[sqlx::test(migrations = "../migrations")]
async fn healthz_and_readyz_answer(pool: PgPool) {
    let app = TestApp::new(pool);
    let res = app.get("/healthz", &[]).await;
    assert_eq!((res.status, res.body.as_str()), (StatusCode::OK, "ok"));
    let res = app.get("/readyz", &[]).await;
    assert_eq!(res.status, StatusCode::OK);
    assert!(res.body.contains(r#""database":"up""#));
}

#[tokio::test]
async fn readyz_fails_without_database_while_healthz_stays_up() {
    let app = TestApp::with_dead_database();
    assert_eq!(app.get("/healthz", &[]).await.status, StatusCode::OK);
    let res = app.get("/readyz", &[]).await;
    assert_eq!(res.status, StatusCode::SERVICE_UNAVAILABLE);
}

#[sqlx::test(migrations = "../migrations")]
async fn metrics_count_requests_by_route_and_show_the_backlog(pool: PgPool) {
    app::service::demo::seed::run(&pool).await.expect("seed writes its events");
    let app = TestApp::new(pool.clone());
    app.get("/healthz", &[]).await;
    app.get("/healthz", &[]).await;
    app.get("/nowhere", &[]).await;
    let res = app.get("/metrics", &[]).await;
    assert_eq!(res.status, StatusCode::OK);
    assert!(
        res.body.contains(r#"stoa_http_requests_total{method="GET",route="/healthz",status="200"} 2"#),
        "{}",
        res.body
    );
    assert!(res.body.contains(r#"route="fallback",status="404"} 1"#));
    assert!(res.body.contains(r#"stoa_http_request_duration_seconds_count{route="/healthz"} 2"#));
    let written: i64 =
        sqlx::query_scalar("SELECT count(*) FROM outbox").fetch_one(&pool).await.expect("count");
    assert!(
        res.body.contains(&format!("stoa_outbox_backlog {written}")),
        "no relay runs here, so the seed's events wait"
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn every_response_carries_a_request_id(pool: PgPool) {
    let app = TestApp::new(pool);
    let res = app.get("/healthz", &[]).await;
    let id = res.header("x-request-id").expect("generated id");
    assert_eq!(id.len(), 36, "a UUID: {id}");
    let res = app.get("/healthz", &[("x-request-id", "trace-me-42")]).await;
    assert_eq!(res.header("x-request-id"), Some("trace-me-42"));
}

/// Every page and REST answer says: no sniffing, a short referrer, no framing elsewhere.
#[sqlx::test(migrations = "../migrations")]
async fn pages_and_rest_answers_carry_the_security_headers(pool: PgPool) {
    app::service::demo::seed::run(&pool).await.expect("seed");
    let app = TestApp::new(pool);
    for path in ["/", "/catalog", "/login", "/v1/catalog/apis", "/v1/nothing-here", "/healthz"] {
        let res = app.get(path, &[]).await;
        assert_eq!(res.header("x-content-type-options"), Some("nosniff"), "{path}");
        assert_eq!(res.header("referrer-policy"), Some("strict-origin-when-cross-origin"), "{path}");
        assert!(
            res.header("content-security-policy").is_some_and(|c| c.contains("frame-ancestors 'none'")),
            "{path}"
        );
    }
}

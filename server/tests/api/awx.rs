//! Deployment through AWX, against the AWX test double (`awx_double.rs`): launch with
//! extra_vars, webhook success and failure, duplicate and out-of-order callbacks, a missed
//! callback recovered by the reconciler, a wrong secret, and an unreachable AWX.

use crate::util::doubles::awx::AwxDouble;
use crate::util::{demo_cookie, json_call, TestApp};
use app::awx::Awx;
use axum::body::Body;
use axum::http::Request;
use serde_json::{json, Value};
use sqlx::PgPool;

struct Setup {
    app: TestApp,
    double: AwxDouble,
    awx: Awx,
    dave: String,
    tara: String,
}

async fn setup(pool: &PgPool) -> Setup {
    app::service::demo::seed::run(pool).await.expect("seed");
    let double = AwxDouble::start().await;
    let env: Vec<(&str, String)> = double.env();
    let env_refs: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let app = TestApp::with_env(pool.clone(), &env_refs);
    let config = app::config::Config::from_lookup(|k| match k {
        "DATABASE_URL" => Some("postgres://test@127.0.0.1:1/test".to_owned()),
        _ => env.iter().find(|(name, _)| *name == k).map(|(_, v)| v.clone()),
    })
    .expect("config");
    let awx = Awx::new(config.awx.expect("AWX configured"));
    let (dave, tara) = (demo_cookie(&app, "dave").await, demo_cookie(&app, "tara").await);
    Setup { app, double, awx, dave, tara }
}

/// A request by dave approved by tara; its id.
async fn approved(s: &Setup) -> String {
    let body = json!({
        "target_name": "weather-forecast", "target_version": "1.2.0", "impact": "low",
        "justification": "Customers need the alerts endpoint in production.",
    });
    let (status, out) = json_call(&s.app, "POST", "/v1/requests/prod", Some(&s.dave), body).await;
    assert_eq!(status, 201, "{out}");
    let id = out["id"].as_str().expect("id").to_owned();
    let (status, _) =
        json_call(&s.app, "POST", &format!("/v1/requests/prod/{id}/approve"), Some(&s.tara), json!({})).await;
    assert_eq!(status, 200);
    id
}

async fn webhook(s: &Setup, secret: &str, job: i64, status: &str) -> (u16, Value) {
    let req = Request::post("/webhooks/awx/job-complete")
        .header("content-type", "application/json")
        .header("authorization", format!("Bearer {secret}"))
        .body(Body::from(AwxDouble::notification(job, status).to_string()))
        .expect("request");
    let res = s.app.send(req).await;
    (res.status.as_u16(), serde_json::from_str(&res.body).unwrap_or(Value::Null))
}

async fn request(s: &Setup, id: &str) -> Value {
    json_call(&s.app, "GET", &format!("/v1/requests/prod/{id}"), Some(&s.dave), Value::Null).await.1
}

fn actions(r: &Value) -> Vec<String> {
    r["history"]
        .as_array()
        .expect("history")
        .iter()
        .map(|h| h["action"].as_str().unwrap_or_default().to_owned())
        .collect()
}

#[sqlx::test(migrations = "../migrations")]
async fn a_launched_job_reports_success_once_and_later_reports_change_nothing(pool: PgPool) {
    let s = setup(&pool).await;
    let id = approved(&s).await;
    assert_eq!(server::deployer::run_once(&pool, Some(&s.awx)).await.expect("pass"), 1);
    let r = request(&s, &id).await;
    assert_eq!(r["state"], "deploying");
    let job = r["job_id"].as_i64().expect("job id");
    let launched = s.double.jobs.lock().expect("jobs").launched.clone();
    assert_eq!(launched.len(), 1);
    assert_eq!(launched[0]["promotion_request"], id.as_str());
    assert_eq!(
        (launched[0]["api"].as_str(), launched[0]["version"].as_str()),
        (Some("weather-forecast"), Some("1.2.0"))
    );
    assert_eq!(launched[0]["target_environment"], "prod");
    // A wrong secret: 401, nothing changes.
    assert_eq!(webhook(&s, "guess", job, "successful").await.0, 401);
    assert_eq!(request(&s, &id).await["state"], "deploying");
    // Still running: nothing yet.
    assert_eq!(
        webhook(&s, "hook-secret", job, "running").await,
        (200, json!({ "request": id, "changed": false }))
    );
    assert_eq!(
        webhook(&s, "hook-secret", job, "successful").await,
        (200, json!({ "request": id, "changed": true }))
    );
    // The same report again, and a late contradicting one: no change.
    assert_eq!(webhook(&s, "hook-secret", job, "successful").await.1["changed"], false);
    assert_eq!(webhook(&s, "hook-secret", job, "failed").await.1["changed"], false);
    let r = request(&s, &id).await;
    assert_eq!(r["state"], "deployed");
    assert_eq!(actions(&r), ["create", "approve", "start", "succeed"]);
    // An unknown job is not ours.
    assert_eq!(webhook(&s, "hook-secret", 999_999, "successful").await.0, 404);
}

#[sqlx::test(migrations = "../migrations")]
async fn a_failed_job_fails_the_request_with_the_reason(pool: PgPool) {
    let s = setup(&pool).await;
    let id = approved(&s).await;
    server::deployer::run_once(&pool, Some(&s.awx)).await.expect("pass");
    let job = request(&s, &id).await["job_id"].as_i64().expect("job");
    assert_eq!(webhook(&s, "hook-secret", job, "error").await.1["changed"], true);
    let r = request(&s, &id).await;
    assert_eq!(r["state"], "failed");
    assert!(r["error"].as_str().unwrap_or_default().contains(&format!("AWX job {job} error")), "{r}");
}

#[sqlx::test(migrations = "../migrations")]
async fn the_reconciler_recovers_a_missed_callback(pool: PgPool) {
    let s = setup(&pool).await;
    let id = approved(&s).await;
    server::deployer::run_once(&pool, Some(&s.awx)).await.expect("pass");
    let job = request(&s, &id).await["job_id"].as_i64().expect("job");
    // Running: the reconciler leaves it.
    assert_eq!(server::deployer::reconcile(&pool, &s.awx, 0).await.expect("pass"), 0);
    // AWX finished, its webhook never arrived.
    s.double.jobs.lock().expect("jobs").status.insert(job, "successful".into());
    assert_eq!(server::deployer::reconcile(&pool, &s.awx, 0).await.expect("pass"), 1);
    assert_eq!(request(&s, &id).await["state"], "deployed");
    // A late webhook afterwards changes nothing.
    assert_eq!(webhook(&s, "hook-secret", job, "successful").await.1["changed"], false);
}

#[sqlx::test(migrations = "../migrations")]
async fn an_unreachable_awx_is_retried_with_backoff_then_the_request_fails(pool: PgPool) {
    let s = setup(&pool).await;
    let id = approved(&s).await;
    s.double.jobs.lock().expect("jobs").refuse_launches = 1;
    server::deployer::run_once(&pool, Some(&s.awx)).await.expect("pass");
    let r = request(&s, &id).await;
    assert_eq!(r["state"], "approved", "still approved, retried later");
    assert_eq!(actions(&r).last().map(String::as_str), Some("launch-retry"), "visible in the timeline");
    // Not before its time.
    assert_eq!(server::deployer::run_once(&pool, Some(&s.awx)).await.expect("pass"), 0);
    sqlx::query("UPDATE promotion_requests SET next_launch_at = now() WHERE id = $1")
        .bind(&id)
        .execute(&pool)
        .await
        .expect("time");
    server::deployer::run_once(&pool, Some(&s.awx)).await.expect("pass");
    assert_eq!(request(&s, &id).await["state"], "deploying", "the second attempt launched");
    // AWX down for good: after the last attempt the request fails, saying why.
    let other = approved(&s).await;
    s.double.jobs.lock().expect("jobs").refuse_launches = 100;
    for _ in 0..server::deployer::MAX_LAUNCH_ATTEMPTS {
        sqlx::query("UPDATE promotion_requests SET next_launch_at = now() WHERE id = $1")
            .bind(&other)
            .execute(&pool)
            .await
            .expect("time");
        server::deployer::run_once(&pool, Some(&s.awx)).await.expect("pass");
    }
    let r = request(&s, &other).await;
    assert_eq!(r["state"], "failed", "{r}");
    assert!(r["error"].as_str().unwrap_or_default().contains("AWX launch failed 5 times"), "{r}");
    assert_eq!(actions(&r).iter().filter(|a| *a == "launch-retry").count(), 5);
}

//! A test double of AWX (it cannot run here): an HTTP server on 127.0.0.1 that speaks the
//! two calls of AWX's REST API STOA makes — `POST /api/v2/job_templates/{id}/launch/`
//! (bearer token, `{"extra_vars": …}` → 201 `{"job": n, …}`) and `GET /api/v2/jobs/{id}/`
//! (`{"id", "status", "job_explanation", …}`) — and builds the body of AWX's job
//! notification webhook. Tests set what it answers.

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

pub const TOKEN: &str = "awx-test-token";
pub const TEMPLATE: i64 = 42;

#[derive(Default)]
pub struct Jobs {
    next: i64,
    /// Launches refused with 503 before one is accepted.
    pub refuse_launches: u32,
    /// Every accepted launch's extra_vars.
    pub launched: Vec<Value>,
    /// Job id → status.
    pub status: HashMap<i64, String>,
}

/// The double, running.
pub struct AwxDouble {
    pub url: String,
    pub jobs: Arc<Mutex<Jobs>>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for AwxDouble {
    fn drop(&mut self) {
        self.task.abort();
    }
}

fn authorized(headers: &HeaderMap) -> bool {
    headers.get("authorization").and_then(|v| v.to_str().ok()) == Some(&format!("Bearer {TOKEN}"))
}

async fn launch(
    State(jobs): State<Arc<Mutex<Jobs>>>,
    Path(template): Path<i64>,
    headers: HeaderMap,
    Json(body): Json<Value>,
) -> Response {
    if !authorized(&headers) {
        return (
            StatusCode::UNAUTHORIZED,
            Json(json!({ "detail": "Authentication credentials were not provided." })),
        )
            .into_response();
    }
    if template != TEMPLATE {
        return (StatusCode::NOT_FOUND, Json(json!({ "detail": "Not found." }))).into_response();
    }
    let mut jobs = jobs.lock().expect("jobs");
    if jobs.refuse_launches > 0 {
        jobs.refuse_launches -= 1;
        return (StatusCode::SERVICE_UNAVAILABLE, "upstream unavailable").into_response();
    }
    jobs.next += 1;
    let id = 1000 + jobs.next;
    jobs.launched.push(body.get("extra_vars").cloned().unwrap_or(Value::Null));
    jobs.status.insert(id, "pending".into());
    (
        StatusCode::CREATED,
        Json(json!({ "job": id, "id": id, "type": "job", "status": "pending", "ignored_fields": {} })),
    )
        .into_response()
}

async fn job(State(jobs): State<Arc<Mutex<Jobs>>>, Path(id): Path<i64>, headers: HeaderMap) -> Response {
    if !authorized(&headers) {
        return StatusCode::UNAUTHORIZED.into_response();
    }
    match jobs.lock().expect("jobs").status.get(&id) {
        Some(status) => Json(json!({ "id": id, "type": "job", "status": status, "failed": status != "successful", "job_explanation": "" }))
            .into_response(),
        None => (StatusCode::NOT_FOUND, Json(json!({ "detail": "Not found." }))).into_response(),
    }
}

impl AwxDouble {
    pub async fn start() -> AwxDouble {
        let jobs = Arc::new(Mutex::new(Jobs::default()));
        let app = Router::new()
            .route("/api/v2/job_templates/{id}/launch/", post(launch))
            .route("/api/v2/jobs/{id}/", get(job))
            .with_state(jobs.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let url = format!("http://{}", listener.local_addr().expect("addr"));
        let task = tokio::spawn(async move {
            axum::serve(listener, app).await.expect("double serves");
        });
        AwxDouble { url, jobs, task }
    }

    /// The environment STOA needs to use this double.
    pub fn env(&self) -> Vec<(&'static str, String)> {
        vec![
            ("AWX_URL", self.url.clone()),
            ("AWX_TOKEN", TOKEN.into()),
            ("AWX_JOB_TEMPLATE_ID", TEMPLATE.to_string()),
            ("AWX_WEBHOOK_SECRET", "hook-secret".into()),
        ]
    }

    /// The body AWX's webhook notification sends when job `id` ends in `status`.
    pub fn notification(id: i64, status: &str) -> Value {
        json!({
            "id": id, "name": "stoa-promote", "url": format!("https://awx.example/#/jobs/playbook/{id}"),
            "created_by": "admin", "started": "2026-11-26T05:00:00Z", "finished": "2026-11-26T05:01:00Z",
            "status": status, "traceback": "", "inventory": "prod", "project": "stoa", "playbook": "promote.yml",
            "credential": "stoa", "limit": "", "extra_vars": "{}", "hosts": {},
        })
    }
}

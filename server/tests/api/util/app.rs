//! The application under test: the real router over a test's pool, and one-call
//! requests — forms, REST, the gateway, MCP.

use app::config::Config;
use app::state::AppState;
use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode};
use http_body_util::BodyExt;
use leptos::config::LeptosOptions;
use serde_json::Value;
use sqlx::PgPool;
use tower::ServiceExt;

/// The application under test.
#[derive(Clone)]
pub struct TestApp {
    pub router: axum::Router,
    pub state: AppState,
    /// The gateway the router serves under `/gw`.
    pub gateway: std::sync::Arc<gateway::Gateway>,
}

/// A finished response, body read to the end.
pub struct TestResponse {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
}

impl TestApp {
    pub fn new(pool: PgPool) -> TestApp {
        TestApp::with_env(pool, &[])
    }

    /// An app configured with these environment variables on top of the defaults.
    pub fn with_env(pool: PgPool, env: &[(&str, &str)]) -> TestApp {
        let config = Config::from_lookup(|k| match k {
            "DATABASE_URL" => Some("postgres://test@127.0.0.1:1/test".to_owned()),
            _ => env.iter().find(|(name, _)| *name == k).map(|(_, v)| (*v).to_owned()),
        })
        .expect("test config");
        let leptos_options = LeptosOptions::builder().output_name("stoa").site_root("target/site").build();
        let state = AppState::new(leptos_options, app::db::as_app_role(&pool), config);
        // The gateway's calls are counted in process, as in embedded mode (a Kafka-mode
        // test drains the meter itself).
        if !env.iter().any(|(k, _)| *k == "KAFKA_BROKERS") {
            tokio::spawn(server::metering::in_process(
                state.meter.clone(),
                state.pool.clone(),
                state.config.metering.raw_days,
                tokio_util::sync::CancellationToken::new(),
            ));
        }
        let gateway = server::gateway_of(&state);
        TestApp { state: state.clone(), gateway: gateway.clone(), router: server::routers(state, gateway).0 }
    }

    /// An app whose database cannot be reached (nothing listens on port 1).
    pub fn with_dead_database() -> TestApp {
        let pool = sqlx::postgres::PgPoolOptions::new()
            .acquire_timeout(std::time::Duration::from_millis(300))
            .connect_lazy("postgres://nobody@127.0.0.1:1/none")
            .expect("lazy pool");
        TestApp::new(pool)
    }

    pub async fn send(&self, req: Request<Body>) -> TestResponse {
        let res = self.router.clone().oneshot(req).await.expect("router answers");
        let status = res.status();
        let headers = res.headers().clone();
        let bytes = res.into_body().collect().await.expect("body").to_bytes();
        TestResponse { status, headers, body: String::from_utf8_lossy(&bytes).into_owned() }
    }

    pub async fn get(&self, path: &str, headers: &[(&str, &str)]) -> TestResponse {
        let mut req = Request::get(path);
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        self.send(req.body(Body::empty()).expect("request")).await
    }

    /// A plain HTML form post, as a browser with JavaScript off sends it.
    pub async fn post_form(&self, path: &str, form: &str, headers: &[(&str, &str)]) -> TestResponse {
        let mut req = Request::post(path)
            .header("content-type", "application/x-www-form-urlencoded")
            .header("accept", "text/html,application/xhtml+xml");
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        self.send(req.body(Body::from(form.to_owned())).expect("request")).await
    }
}

impl TestResponse {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

/// A `multipart/form-data` body of text fields: (content type, body). A field named
/// `*_file` is sent as a file upload.
pub fn multipart(fields: &[(&str, &str)]) -> (String, String) {
    const BOUNDARY: &str = "stoa-test-boundary-7d1f";
    let mut body = String::new();
    for (name, value) in fields {
        body.push_str(&format!("--{BOUNDARY}\r\n"));
        if name.ends_with("_file") {
            body.push_str(&format!(
                "Content-Disposition: form-data; name=\"{name}\"; filename=\"upload.yaml\"\r\nContent-Type: application/octet-stream\r\n\r\n"
            ));
        } else {
            body.push_str(&format!("Content-Disposition: form-data; name=\"{name}\"\r\n\r\n"));
        }
        body.push_str(value);
        body.push_str("\r\n");
    }
    body.push_str(&format!("--{BOUNDARY}--\r\n"));
    (format!("multipart/form-data; boundary={BOUNDARY}"), body)
}

/// A JSON request (REST); the status and the parsed body (`Null` when not JSON).
pub async fn json_call(
    app: &TestApp,
    method: &str,
    path: &str,
    cookie: Option<&str>,
    body: serde_json::Value,
) -> (u16, serde_json::Value) {
    let mut req = Request::builder().method(method).uri(path).header("content-type", "application/json");
    if let Some(c) = cookie {
        req = req.header("cookie", c);
    }
    let res = app.send(req.body(Body::from(body.to_string())).expect("request")).await;
    (res.status.as_u16(), serde_json::from_str(&res.body).unwrap_or(serde_json::Value::Null))
}

/// A gateway request with `key` (`x-api-key`), sent with a portal session cookie that
/// the gateway must not honour.
pub async fn call(app: &TestApp, method: &str, path: &str, key: Option<&str>) -> TestResponse {
    let mut req = Request::builder().method(method).uri(path).header("cookie", "stoa_session=portal-secret");
    if let Some(key) = key {
        req = req.header("x-api-key", key);
    }
    app.send(req.body(Body::empty()).expect("request")).await
}

/// An MCP message to the gateway's `forecasts` server, with `key` as a bearer token.
pub async fn mcp_call(app: &TestApp, key: Option<&str>, message: Value) -> TestResponse {
    let mut req = Request::post("/gw/mcp/forecasts")
        .header("content-type", "application/json")
        .header("accept", "application/json, text/event-stream");
    if let Some(key) = key {
        req = req.header("authorization", format!("Bearer {key}"));
    }
    app.send(req.body(Body::from(message.to_string())).expect("request")).await
}

/// Where a redirect points.
pub fn location(res: &TestResponse) -> String {
    res.header("location").unwrap_or_else(|| panic!("a redirect, got {} {}", res.status, res.body)).to_owned()
}

/// The `(field, code)` pairs of a refusal in our `{code, message, fields}` shape.
pub fn field_errors(body: &serde_json::Value) -> Vec<(String, String)> {
    body["fields"]
        .as_array()
        .map(|f| {
            f.iter()
                .map(|e| {
                    (
                        e["field"].as_str().unwrap_or("").to_owned(),
                        e["code"].as_str().unwrap_or("").to_owned(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

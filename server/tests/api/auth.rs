//! Local sign-in, server-side sessions and sign-out.

use crate::util::{session_cookie, sign_in, TestApp};
use axum::http::StatusCode;
use sqlx::PgPool;

/// Audit rows with this action (and this actor, when given).
async fn audited(pool: &PgPool, action: &str, actor: Option<&str>) -> i64 {
    sqlx::query_scalar(
        "SELECT count(*) FROM audit_log WHERE action = $1 AND ($2::text IS NULL OR actor = $2)",
    )
    .bind(action)
    .bind(actor)
    .fetch_one(pool)
    .await
    .expect("audit count")
}

#[sqlx::test(migrations = "../migrations")]
async fn a_beta_user_signs_in_and_the_header_knows_them(pool: PgPool) {
    app::service::demo::seed::run(&pool).await.expect("seed");
    let app = TestApp::new(pool.clone());

    let res = sign_in(&app, "tara", "stoa-demo", None).await;
    assert_eq!(res.status, StatusCode::FOUND);
    assert_eq!(res.header("location"), Some("/"));
    let set = res.header("set-cookie").expect("session cookie");
    assert!(set.contains("HttpOnly") && set.contains("SameSite=Lax"), "{set}");
    let cookie = session_cookie(&res).expect("stoa_session");

    let home = app.get("/", &[("cookie", &cookie)]).await;
    assert!(home.body.contains("Tara Tenant-Admin"));
    assert!(home.body.contains("Sign out"));
    assert_eq!(audited(&pool, "auth.sign-in", Some("tara")).await, 1);
}

#[sqlx::test(migrations = "../migrations")]
async fn a_wrong_password_and_an_unknown_user_get_the_same_answer(pool: PgPool) {
    app::service::demo::seed::run(&pool).await.expect("seed");
    let app = TestApp::new(pool.clone());
    let wrong = sign_in(&app, "tara", "guess", None).await;
    let unknown = sign_in(&app, "nobody", "guess", None).await;
    for res in [&wrong, &unknown] {
        assert_eq!(res.status, StatusCode::FOUND);
        assert_eq!(res.header("location"), Some("/login?error=invalid&next=/"));
        assert!(session_cookie(res).is_none(), "no session for a failed sign-in");
    }
    let page = app.get("/login?error=invalid", &[]).await;
    assert!(page.body.contains("Wrong username or password."));
    assert_eq!(audited(&pool, "auth.sign-in-failed", None).await, 2);
}

#[sqlx::test(migrations = "../migrations")]
async fn signing_in_renews_the_session_id(pool: PgPool) {
    app::service::demo::seed::run(&pool).await.expect("seed");
    let app = TestApp::new(pool);
    let first = session_cookie(&sign_in(&app, "alice", "stoa-demo", None).await).expect("first session");
    let second = session_cookie(&sign_in(&app, "tara", "stoa-demo", Some(&first)).await).expect("renewed");
    assert_ne!(first, second);
    // The old id no longer identifies anyone.
    let old = app.get("/", &[("cookie", &first)]).await;
    assert!(old.body.contains("Sign in") && !old.body.contains("Alice Consumer"));
    let new = app.get("/", &[("cookie", &second)]).await;
    assert!(new.body.contains("Tara Tenant-Admin"));
}

#[sqlx::test(migrations = "../migrations")]
async fn signing_out_deletes_the_session_on_the_server(pool: PgPool) {
    app::service::demo::seed::run(&pool).await.expect("seed");
    let app = TestApp::new(pool.clone());
    let cookie = session_cookie(&sign_in(&app, "dave", "stoa-demo", None).await).expect("session");
    let res = app.post_form("/logout", "", &[("cookie", &cookie)]).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    assert_eq!(res.header("location"), Some("/"));
    // Replaying the old cookie does not bring the session back.
    let home = app.get("/", &[("cookie", &cookie)]).await;
    assert!(!home.body.contains("Dave Devops"));
    let sessions: i64 = sqlx::query_scalar("SELECT count(*) FROM tower_sessions.session")
        .fetch_one(&pool)
        .await
        .expect("count");
    assert_eq!(sessions, 0);
}

#[sqlx::test(migrations = "../migrations")]
async fn the_sweeper_deletes_expired_sessions_only(pool: PgPool) {
    app::service::demo::seed::run(&pool).await.expect("seed");
    let app = TestApp::new(pool.clone());
    session_cookie(&sign_in(&app, "dave", "stoa-demo", None).await).expect("live session");
    sqlx::query(
        "INSERT INTO tower_sessions.session (id, data, expiry_date) VALUES ('stale', '\\x00', now() - interval '1 day')",
    )
    .execute(&pool)
    .await
    .expect("stale session");
    let count = |sql: &'static str| {
        let pool = pool.clone();
        async move { sqlx::query_scalar::<_, i64>(sql).fetch_one(&pool).await.expect("count") }
    };
    let shutdown = tokio_util::sync::CancellationToken::new();
    let state = app::state::AppState::new(
        leptos::config::LeptosOptions::builder().output_name("stoa").build(),
        app::db::as_app_role(&pool),
        app::config::Config::from_lookup(|k| {
            (k == "DATABASE_URL").then(|| "postgres://x@127.0.0.1:1/x".to_owned())
        })
        .expect("config"),
    );
    let sweeper = tokio::spawn(server::session::sweep_expired(
        state,
        std::time::Duration::from_millis(50),
        shutdown.clone(),
    ));
    for _ in 0..100 {
        if count("SELECT count(*) FROM tower_sessions.session WHERE id = 'stale'").await == 0 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    shutdown.cancel();
    sweeper.await.expect("sweeper stops on shutdown");
    assert_eq!(count("SELECT count(*) FROM tower_sessions.session WHERE id = 'stale'").await, 0);
    assert_eq!(count("SELECT count(*) FROM tower_sessions.session").await, 1, "the live one stays");
}

#[sqlx::test(migrations = "../migrations")]
async fn next_never_leaves_the_site(pool: PgPool) {
    app::service::demo::seed::run(&pool).await.expect("seed");
    let app = TestApp::new(pool);
    let res = app
        .post_form("/api/login", "username=alice&password=stoa-demo&next=%2F%2Fevil.example%2F", &[])
        .await;
    assert_eq!(res.header("location"), Some("/"));
}

#[sqlx::test(migrations = "../migrations")]
async fn repeated_failures_throttle_the_account_even_for_the_right_password(pool: PgPool) {
    app::service::demo::seed::run(&pool).await.expect("seed");
    let app = TestApp::new(pool);
    for _ in 0..5 {
        let res = sign_in(&app, "carl", "guess", None).await;
        assert_eq!(res.header("location"), Some("/login?error=invalid&next=/"));
    }
    let res = sign_in(&app, "carl", "stoa-demo", None).await;
    assert_eq!(res.header("location"), Some("/login?error=throttled&next=/"));
    assert!(session_cookie(&res).is_none());
    let page = app.get("/login?error=throttled", &[]).await;
    assert!(page.body.contains("Too many failed attempts."));
    // Another account is not affected.
    let res = sign_in(&app, "alice", "stoa-demo", None).await;
    assert_eq!(res.header("location"), Some("/"));
}

/// Issue 30, item 2: guesses sent at once. Each attempt is counted before its password is
/// checked, in one step with the throttle's check, so of 50 concurrent sign-ins (49 wrong,
/// one right, the right one last) at most the account's limit of 5 are checked.
#[sqlx::test(migrations = "../migrations")]
async fn fifty_sign_ins_at_once_check_at_most_the_accounts_limit(pool: PgPool) {
    app::service::demo::seed::run(&pool).await.expect("seed");
    let app = TestApp::new(pool.clone());
    let tries: Vec<_> = (0..50)
        .map(|i| {
            let app = app.clone();
            let password = if i == 49 { "stoa-demo" } else { "guess" };
            tokio::spawn(async move {
                sign_in(&app, "carl", password, None).await.header("location").map(str::to_owned)
            })
        })
        .collect();
    let mut throttled = 0;
    for t in tries {
        if t.await.expect("task").as_deref() == Some("/login?error=throttled&next=/") {
            throttled += 1;
        }
    }
    let checked = audited(&pool, "auth.sign-in-failed", None).await
        + audited(&pool, "auth.sign-in", Some("carl")).await;
    assert!(checked <= 5, "{checked} passwords checked of 50 sent at once");
    assert_eq!(throttled, 50 - checked, "every other attempt is throttled");
    assert_eq!(audited(&pool, "auth.sign-in-throttled", None).await, 50 - checked);
}

#[sqlx::test(migrations = "../migrations")]
async fn a_cross_site_post_is_refused_and_a_same_origin_one_is_not(pool: PgPool) {
    app::service::demo::seed::run(&pool).await.expect("seed");
    let app = TestApp::new(pool);
    let cookie = session_cookie(&sign_in(&app, "dave", "stoa-demo", None).await).expect("session");

    let attacks: [&[(&str, &str)]; 2] =
        [&[("sec-fetch-site", "cross-site")], &[("origin", "https://evil.example")]];
    for headers in attacks {
        let mut h = headers.to_vec();
        h.push(("cookie", &cookie));
        let res = app.post_form("/logout", "", &h).await;
        assert_eq!(res.status, StatusCode::FORBIDDEN, "{headers:?}");
        let res = app.post_form("/api/set_language", "lang=de", &h).await;
        assert_eq!(res.status, StatusCode::FORBIDDEN, "server functions too: {headers:?}");
    }
    // Still signed in: the forged sign-out did nothing.
    assert!(app.get("/", &[("cookie", &cookie)]).await.body.contains("Dave Devops"));

    let res = app.post_form("/logout", "", &[("cookie", &cookie), ("sec-fetch-site", "same-origin")]).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
}

#[sqlx::test(migrations = "../migrations")]
async fn the_profile_shows_the_user_and_its_language_returns_at_next_sign_in(pool: PgPool) {
    app::service::demo::seed::run(&pool).await.expect("seed");
    let app = TestApp::new(pool);

    let res = app.get("/profile", &[("accept", "text/html")]).await;
    assert_eq!(res.status, StatusCode::FOUND, "signed-out visitors go to sign in");
    assert_eq!(res.header("location"), Some("/login?next=/profile"));
    let res = app.post_form("/api/save_profile", "language=de", &[]).await;
    assert_eq!(res.header("location"), Some("/login?next=/profile"), "an expired session signs in again");
    assert!(res.header("set-cookie").is_none());

    let cookie = session_cookie(&sign_in(&app, "tara", "stoa-demo", None).await).expect("session");
    let page = app.get("/profile", &[("cookie", &cookie)]).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Tenant administrator") && page.body.contains(">demo<"));

    let res = app.post_form("/api/save_profile", "language=de", &[("cookie", &cookie)]).await;
    assert_eq!(res.status, StatusCode::FOUND);
    assert!(res.header("set-cookie").is_some_and(|c| c.starts_with("stoa_lang=de;")));

    // A later sign-in, on a browser without the language cookie, gets German again.
    let res = sign_in(&app, "tara", "stoa-demo", None).await;
    let cookies: Vec<&str> =
        res.headers.get_all("set-cookie").iter().filter_map(|v| v.to_str().ok()).collect();
    assert!(cookies.iter().any(|c| c.starts_with("stoa_lang=de;")), "{cookies:?}");
}

#[sqlx::test(migrations = "../migrations")]
async fn with_local_accounts_off_the_form_and_its_endpoint_are_gone(pool: PgPool) {
    app::service::demo::seed::run(&pool).await.expect("seed");
    let app = TestApp::with_env(
        pool,
        &[
            ("OIDC_ISSUER_URL", "http://127.0.0.1:1"),
            ("OIDC_CLIENT_ID", "stoa-portal"),
            ("LOCAL_ACCOUNTS", "off"),
        ],
    );
    let page = app.get("/login", &[]).await;
    assert!(page.body.contains("Sign in with your organisation"));
    assert!(!page.body.contains(r#"name="password""#), "no password form");
    let res = sign_in(&app, "tara", "stoa-demo", None).await;
    assert!(session_cookie(&res).is_none(), "a seeded local account cannot sign in");
    let home = app.get("/", &[]).await;
    assert!(!home.body.contains("Tara Tenant-Admin"));
}

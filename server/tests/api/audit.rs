//! `/console/audit`: who may see the trail, what it shows, how filters and bad input look.

use crate::helpers::{session_cookie, sign_in, TestApp};
use sqlx::PgPool;

async fn signed_in(pool: PgPool, user: &str) -> (TestApp, String) {
    app::db::seed::run(&pool).await.expect("seed");
    let app = TestApp::new(pool);
    let res = sign_in(&app, user, app::db::seed::BETA_PASSWORD, None).await;
    (app, session_cookie(&res).expect("signed in"))
}

async fn page(app: &TestApp, path: &str, cookie: &str) -> crate::helpers::TestResponse {
    app.get(path, &[("cookie", cookie), ("accept", "text/html")]).await
}

#[sqlx::test(migrations = "../migrations")]
async fn the_auditor_sees_sign_ins_newest_first_with_filters(pool: PgPool) {
    let (app, cookie) = signed_in(pool, "sam").await;
    sign_in(&app, "alice", "wrong", None).await;
    let res = page(&app, "/console/audit", &cookie).await;
    assert_eq!(res.status, 200, "{}", res.body);
    assert!(res.body.contains("Audit trail"));
    assert!(res.body.contains(r#"href="/console/audit""#), "the navigation offers the trail");
    // Sam's own sign-in is there; alice's failed attempt is a platform row (no tenant
    // yet), so a tenant's auditor does not see it.
    assert!(res.body.contains("auth.sign-in</td>"), "{}", res.body);
    assert!(!res.body.contains("auth.sign-in-failed</td>"));
    let res = page(&app, "/console/audit?actor=nobody", &cookie).await;
    assert!(res.body.contains("No audit entries match these filters."));
    assert!(res.body.contains(r#"value="nobody""#), "the filter stays filled in");
}

#[sqlx::test(migrations = "../migrations")]
async fn bad_filters_are_explained_next_to_their_field(pool: PgPool) {
    let (app, cookie) = signed_in(pool, "carl").await;
    let res = page(&app, "/console/audit?from=yesterday&to=2026-01-01", &cookie).await;
    assert_eq!(res.status, 422, "{}", res.body);
    assert!(res.body.contains(r#"id="audit-from-error""#), "{}", res.body);
    assert!(res.body.contains("Enter a date as YYYY-MM-DD."));
    assert!(res.body.contains(r#"aria-invalid="true""#));
}

#[sqlx::test(migrations = "../migrations")]
async fn others_are_refused_and_visitors_sent_to_sign_in(pool: PgPool) {
    let (app, cookie) = signed_in(pool, "tara").await;
    let res = page(&app, "/console/audit", &cookie).await;
    assert_eq!(res.status, 403);
    assert!(res.body.contains("You are not allowed to see this page."));
    assert!(!res.body.contains(r#"href="/console/audit""#), "no navigation entry for tara");
    let res = app.get("/console/audit", &[("accept", "text/html")]).await;
    assert_eq!(res.status, 302);
    assert_eq!(res.header("location"), Some("/login?next=/console/audit"));
}

//! The usage dashboards, as pages: a consumer's calls through the gateway on `/usage`
//! (figures, charts with their tables, quota bar, last calls), nobody else's; the same
//! calls in the tenant admin's `/console/usage`; bad selections answered next to their
//! field.

use crate::gateway::{call, client, plan, publish};
use crate::helpers::{demo_cookie, json_call, upstream_seeing, Seen, TestApp};
use serde_json::Value;
use sqlx::PgPool;

/// Waits until `cookie`'s user has `calls` calls counted in the last hour.
async fn counted(app: &TestApp, cookie: &str, calls: u64) {
    for _ in 0..100 {
        let (_, report) = json_call(app, "GET", "/v1/usage?period=1h", Some(cookie), Value::Null).await;
        if report["totals"]["calls"].as_u64() == Some(calls) {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("never counted {calls} calls");
}

#[sqlx::test(migrations = "../migrations")]
async fn a_consumer_sees_its_calls_and_quota_and_the_tenant_admin_sees_them_too(pool: PgPool) {
    app::db::seed::run(&pool).await.expect("seed");
    let port = upstream_seeing(Seen::default()).await;
    let app = TestApp::with_env(pool.clone(), &[("TRY_IT_ALLOWED_NETWORKS", "127.0.0.1/32")]);
    publish(&app, "echo", &format!("http://127.0.0.1:{port}/v1")).await;
    plan(&pool, "ten-a-day", None, Some(10)).await;
    let alice = demo_cookie(&app, "alice").await;
    // Before any call: the empty state leads to the catalog.
    let page = app.get("/usage", &[("cookie", &alice)]).await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("No call yet") && page.body.contains("href=\"/catalog\""), "{}", page.body);

    let (app_id, key, _) = client(&app, &alice, "Dashboard app", "echo", Some("ten-a-day")).await;
    for _ in 0..6 {
        assert_eq!(call(&app, "GET", "/gw/demo/echo/orders/7", Some(&key)).await.status, 200);
    }
    assert_eq!(call(&app, "GET", "/gw/demo/echo/nowhere", Some(&key)).await.status, 404);
    counted(&app, &alice, 7).await;

    let page = app.get("/usage?period=1h", &[("cookie", &alice)]).await;
    assert_eq!(page.status, 200, "{}", page.body);
    // (Leptos's hydration markers aside.)
    let body = &page.body.replace("<!>", "");
    assert!(!body.contains("No call yet"), "{body}");
    // The figures: 7 calls, 6 of them succeeded (85.7 %), one unknown operation.
    assert!(body.contains(">7</dd>"), "{body}");
    assert!(body.contains("85.7 %"), "{body}");
    assert!(body.contains("Unknown operation (404): <strong class=\"tabular-nums\">1</strong>"), "{body}");
    // Both charts, drawn on the server, with their data as tables.
    assert_eq!(body.matches("role=\"img\"").count(), 2, "{body}");
    assert!(
        body.contains("The chart&#x27;s data as a table") || body.contains("The chart's data as a table")
    );
    // The breakdowns name the application (a link filtering on it) and the operation.
    assert!(body.contains(&format!("application={app_id}")), "{body}");
    assert!(body.contains("Dashboard app") && body.contains("echo/getOrder"), "{body}");
    // The quota bar: the six admitted calls of ten (the unknown operation was refused
    // before the plan counted it): 60 %, amber.
    assert!(body.contains("6 of 10 (60.0 %)"), "{body}");
    assert!(body.contains("data-fill=\"middle\""), "{body}");
    // The last calls, newest first.
    let table = body.split("id=\"usage-last-calls\"").nth(1).expect("last calls table");
    assert_eq!(table.matches("<tr>").count(), 1 + 7, "{table}");
    assert!(table.find("Unknown operation (404)").expect("404 row") < table.find("(200)").expect("200 row"));

    // Filtered on the application, the same; on a made-up one, nothing (no leak).
    let page = app.get(&format!("/usage?period=1h&application={app_id}"), &[("cookie", &alice)]).await;
    assert!(page.body.contains(">7</dd>"), "{}", page.body);
    let other = uuid::Uuid::new_v4();
    let page = app.get(&format!("/usage?period=1h&application={other}"), &[("cookie", &alice)]).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains(">0</dd>") && !page.body.contains("echo/getOrder"), "{}", page.body);

    // Another user of the tenant sees none of it.
    let dave = demo_cookie(&app, "dave").await;
    let page = app.get("/usage?period=1h", &[("cookie", &dave)]).await;
    assert!(page.body.contains("No call yet") && !page.body.contains("Dashboard app"), "{}", page.body);
    // The tenant's admin sees the calls to its API, by consumer.
    let tara = demo_cookie(&app, "tara").await;
    let page = app.get("/console/usage?period=1h", &[("cookie", &tara)]).await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("Dashboard app") && page.body.contains(">7</dd>"), "{}", page.body);
    // A consumer has no console.
    let page = app.get("/console/usage", &[("cookie", &alice)]).await;
    assert_eq!(page.status, 403, "{}", page.body);
    // Signed out: a link to sign in and come back here.
    let page = app.get("/usage", &[]).await;
    assert_eq!(page.status, 401);
    assert!(page.body.contains("href=\"/login?next=/usage\""), "{}", page.body);
}

#[sqlx::test(migrations = "../migrations")]
async fn a_bad_selection_is_answered_next_to_its_field(pool: PgPool) {
    app::db::seed::run(&pool).await.expect("seed");
    let app = TestApp::new(pool.clone());
    let alice = demo_cookie(&app, "alice").await;
    for (query, says) in [
        ("period=2y", "Choose one of the periods offered."),
        ("period=custom&from=2026-11-20&to=2026-11-10", "The last day must not come before the first."),
        ("period=custom&from=2016-01-01&to=2026-01-01", "A custom period spans at most 366 days."),
        ("period=custom&from=yesterday&to=2026-01-01", "Give a day as YYYY-MM-DD."),
        ("application=not-an-id", "Choose one of the values offered."),
        ("status=great", "Choose one of the values offered."),
        ("before=garbage", "This link is not valid any more"),
    ] {
        let page = app.get(&format!("/usage?{query}"), &[("cookie", &alice)]).await;
        assert!(page.status.as_u16() == 200 || page.status.as_u16() == 422, "{query}: {}", page.status);
        assert!(page.body.contains(says), "{query}: {}", page.body);
        assert!(page.body.contains("aria-invalid=\"true\"") || query.starts_with("before"), "{query}");
    }
    // A custom period of whole days is understood.
    let page = app.get("/usage?period=custom&from=2026-11-01&to=2026-11-07", &[("cookie", &alice)]).await;
    assert_eq!(page.status, 200, "{}", page.body);
}

#[sqlx::test(migrations = "../migrations")]
async fn the_selection_downloads_as_csv_every_row_and_only_the_users(pool: PgPool) {
    app::db::seed::run(&pool).await.expect("seed");
    let port = upstream_seeing(Seen::default()).await;
    let app = TestApp::with_env(pool.clone(), &[("TRY_IT_ALLOWED_NETWORKS", "127.0.0.1/32")]);
    publish(&app, "echo", &format!("http://127.0.0.1:{port}/v1")).await;
    plan(&pool, "open", None, None).await;
    let alice = demo_cookie(&app, "alice").await;
    // A name a spreadsheet would take for a formula, and a comma.
    let (app_id, key, _) = client(&app, &alice, "=cmd, really", "echo", Some("open")).await;
    for _ in 0..12 {
        assert_eq!(call(&app, "GET", "/gw/demo/echo/orders/7", Some(&key)).await.status, 200);
    }
    counted(&app, &alice, 12).await;

    // Asked for as a browser asks (compressed).
    let gz =
        app.get("/usage.csv?period=1h&rows=calls", &[("cookie", &alice), ("accept-encoding", "gzip")]).await;
    assert_eq!((gz.status.as_u16(), gz.header("content-encoding")), (200, Some("gzip")));
    let csv = app.get("/usage.csv?period=1h&rows=calls", &[("cookie", &alice)]).await;
    assert_eq!(csv.status, 200, "{}", csv.body);
    assert_eq!(csv.header("content-type"), Some("text/csv; charset=utf-8"));
    assert!(csv
        .header("content-disposition")
        .is_some_and(|d| d.starts_with("attachment; filename=\"stoa-usage-calls-")));
    let lines: Vec<&str> = csv.body.split("\r\n").filter(|l| !l.is_empty()).collect();
    assert_eq!(lines.len(), 1 + 12, "{}", csv.body);
    assert!(lines[0].starts_with("time,event_id,application_id,application,api,operation"), "{}", lines[0]);
    assert!(
        lines[1].contains(&format!(",{app_id},\"'=cmd, really\",demo/echo,echo/getOrder,GET,success,200,")),
        "{}",
        lines[1]
    );
    // The series: a header and one row per minute of the hour, the calls all counted.
    let csv = app.get("/usage.csv?period=1h", &[("cookie", &alice)]).await;
    let rows: Vec<Vec<&str>> =
        csv.body.split("\r\n").skip(1).filter(|l| !l.is_empty()).map(|l| l.split(',').collect()).collect();
    assert!((60..=61).contains(&rows.len()), "{}", csv.body);
    assert_eq!(rows.iter().map(|r| r[1].parse::<u64>().expect("calls")).sum::<u64>(), 12);

    // Someone else's selection is empty, the console's is refused to a consumer and
    // served to the tenant's admin, and a bad selection is a 422 before any byte.
    let dave = demo_cookie(&app, "dave").await;
    let csv = app.get("/usage.csv?period=1h&rows=calls", &[("cookie", &dave)]).await;
    assert_eq!(csv.body.split("\r\n").filter(|l| !l.is_empty()).count(), 1, "{}", csv.body);
    assert_eq!(app.get("/console/usage.csv?period=1h", &[("cookie", &alice)]).await.status, 403);
    let tara = demo_cookie(&app, "tara").await;
    let csv = app.get("/console/usage.csv?period=1h&rows=calls", &[("cookie", &tara)]).await;
    assert_eq!(csv.body.split("\r\n").filter(|l| !l.is_empty()).count(), 1 + 12, "{}", csv.body);
    assert_eq!(app.get("/usage.csv?period=2y", &[("cookie", &alice)]).await.status, 422);
    assert_eq!(app.get("/usage.csv?rows=everything", &[("cookie", &alice)]).await.status, 422);
    assert_eq!(app.get("/usage.csv", &[]).await.status, 401);
}

/// The header keeps the portal's few entries and one "Console" entry; console pages have
/// the console's grouped side bar, the current page marked, only what the role may open.
#[sqlx::test(migrations = "../migrations")]
async fn the_console_has_its_own_side_bar_and_the_header_stays_short(pool: PgPool) {
    app::db::seed::run(&pool).await.expect("seed");
    let app = TestApp::new(pool.clone());
    let tara = demo_cookie(&app, "tara").await;
    let page = app.get("/console/usage", &[("cookie", &tara)]).await;
    assert_eq!(page.status, 200, "{}", page.body);
    let body = page.body.replace("<!>", "");
    let header = body
        .split("aria-label=\"Main navigation\"")
        .nth(1)
        .and_then(|h| h.split("</nav>").next())
        .expect("header nav");
    let entries: Vec<&str> = header.split("href=\"").skip(1).filter_map(|h| h.split('"').next()).collect();
    assert_eq!(entries, ["/", "/catalog", "/apps", "/usage", "/console/apis"], "{header}");
    assert!(header.contains("<a href=\"/console/apis\" aria-current=\"page\""), "{header}");
    let side =
        body.split("aria-label=\"Console\"").nth(1).and_then(|h| h.split("</nav>").next()).expect("side bar");
    let links: Vec<&str> = side.split("href=\"").skip(1).filter_map(|h| h.split('"').next()).collect();
    assert_eq!(
        links,
        ["/console/apis", "/console/subscriptions", "/console/requests", "/console/usage"],
        "{side}"
    );
    assert!(!side.contains("Administration") && side.contains("Access"), "{side}");
    assert!(side.contains("href=\"/console/usage\" aria-current=\"page\""), "{side}");
    assert_eq!(side.matches("aria-current").count(), 1, "{side}");
    // A consumer's pages have no side bar and no console entry.
    let alice = demo_cookie(&app, "alice").await;
    let page = app.get("/usage", &[("cookie", &alice)]).await;
    assert!(
        !page.body.contains("aria-label=\"Console\"") && !page.body.contains(">Console</a>"),
        "{}",
        page.body
    );
}

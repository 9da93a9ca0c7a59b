//! The usage dashboards, as pages: a consumer's calls through the gateway on `/usage`
//! (figures, charts with their tables, quota bar, last calls), nobody else's; the same
//! calls in the tenant admin's `/console/usage`; bad selections answered next to their
//! field.

use crate::util::{
    call, client, client_id, demo_cookie, echo_platform, json_call, plan, publish, upstream_seeing, Seen,
    TestApp,
};
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
    app::service::demo::seed::run(&pool).await.expect("seed");
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
    assert!(body.contains("Unknown operation (404): <strong class=\"tabular-figures\">1</strong>"), "{body}");
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
    // The label and its figures stay apart in the text too ("Today 6 of 10", not
    // "Today6 of 10", issue 31, item 5).
    assert!(body.contains("Today</span> <span"), "{body}");
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
    app::service::demo::seed::run(&pool).await.expect("seed");
    let app = TestApp::new(pool.clone());
    let alice = demo_cookie(&app, "alice").await;
    for (query, says) in [
        ("period=2y", "Choose one of the periods offered."),
        ("period=custom&from=2026-11-20&to=2026-11-10", "The last day must not come before the first."),
        ("period=custom&from=2016-01-01&to=2026-01-01", "A custom period spans at most 366 days."),
        ("period=custom&from=yesterday&to=2026-01-01", "Give a day as YYYY-MM-DD."),
        ("period=custom&from=0000-01-01&to=0000-01-02", "Give a day between the years 1970 and 9999."),
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
    let app = echo_platform(&pool).await;
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
    app::service::demo::seed::run(&pool).await.expect("seed");
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
    // "Getting started" too: tara has no application yet (the wizard is offered until
    // it is left or done).
    assert_eq!(entries, ["/", "/catalog", "/apps", "/usage", "/onboarding", "/console/apis"], "{header}");
    assert!(header.contains("<a href=\"/console/apis\" aria-current=\"page\""), "{header}");
    let side =
        body.split("aria-label=\"Console\"").nth(1).and_then(|h| h.split("</nav>").next()).expect("side bar");
    let links: Vec<&str> = side.split("href=\"").skip(1).filter_map(|h| h.split('"').next()).collect();
    assert_eq!(
        links,
        [
            "/console/apis",
            "/console/plans",
            "/console/subscriptions",
            "/console/requests",
            "/console/usage",
            "/console/onboarding",
            "/console/members"
        ],
        "{side}"
    );
    // Administration holds the members page only (no audit trail, no demo reset).
    assert!(side.contains("Administration") && side.contains("Access"), "{side}");
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

/// Counts `events` (STOA gateway events) through the metering ingest, as the consumer of
/// the gateway's topic does.
async fn ingested(pool: &PgPool, events: &[Value]) {
    use app::service::metering::ingest::{ingest, Message};
    let payloads: Vec<Vec<u8>> = events.iter().map(|e| serde_json::to_vec(e).expect("json")).collect();
    let messages: Vec<Message> = payloads.iter().map(|p| Message { payload: p, position: None }).collect();
    let out = ingest(pool, 7, "test", None, &messages).await.expect("ingest");
    assert_eq!((out.counted, out.dead), (events.len(), 0), "{out:?}");
}

/// The figure card `label` of a dashboard page.
fn card_of(body: &str, label: &str) -> String {
    let after = body.split(&format!("{label}</dt>")).nth(1).unwrap_or_else(|| panic!("{label}: {body}"));
    after.split("</div>").next().expect("card").to_owned()
}

/// The nearest-rank `q`-quantile of `values` (sorted).
fn nearest_rank(values: &[u64], q: f64) -> f64 {
    values[((q * values.len() as f64).ceil() as usize).clamp(1, values.len()) - 1] as f64
}

/// The figures and their deltas are those of the raw events they came from; the quota
/// bars change colour exactly at 60 % and above 80 %.
#[sqlx::test(migrations = "../migrations")]
async fn the_figures_are_those_of_the_raw_events_they_came_from(pool: PgPool) {
    use crate::util::stoa_event;
    app::service::demo::seed::run(&pool).await.expect("seed");
    let app = TestApp::new(pool.clone());
    publish(&app, "echo", "http://127.0.0.1:9/v1").await;
    plan(&pool, "hundred-a-day", None, Some(100)).await;
    let alice = demo_cookie(&app, "alice").await;
    let now = chrono::Utc::now();
    // The last 24 hours: 200 calls of 1..=200 ms, every tenth failed, every tenth from the
    // fifth rate-limited, every tenth from the third denied by a policy. The 24 hours
    // before: 100 calls of 10 ms, all successful.
    let (figures_app, _, _) = client(&app, &alice, "Figures", "echo", Some("hundred-a-day")).await;
    let figures_client = client_id(&pool, &figures_app).await;
    let status = |i: u64| match i % 10 {
        0 => "error",
        5 => "rate_limited",
        3 => "policy_denied",
        _ => "success",
    };
    let mut events: Vec<Value> = (1..=200u64)
        .map(|i| {
            stoa_event(
                &figures_client,
                "echo/getOrder",
                status(i),
                i,
                now - chrono::Duration::seconds(i as i64),
            )
        })
        .collect();
    events.extend((0..100).map(|_| {
        stoa_event(&figures_client, "echo/getOrder", "success", 10, now - chrono::Duration::hours(30))
    }));
    // Four applications that used 59, 60, 80 and 81 calls of their daily 100.
    for used in [59u64, 60, 80, 81] {
        let (id, _, _) = client(&app, &alice, &format!("Quota {used}"), "echo", Some("hundred-a-day")).await;
        let client = client_id(&pool, &id).await;
        events.extend((0..used).map(|_| stoa_event(&client, "echo/getOrder", "success", 5, now)));
    }
    ingested(&pool, &events).await;

    // Read as the service answers the page, and as the page shows it.
    let latencies: Vec<u64> = (1..=200).collect();
    let page = app.get(&format!("/usage?period=24h&application={figures_app}"), &[("cookie", &alice)]).await;
    assert_eq!(page.status, 200, "{}", page.body);
    let body = page.body.replace("<!>", "");
    let card = |label: &str| card_of(&body, label);
    assert!(card("Calls").contains(">200</dd>") && card("Calls").contains("+100.0 % vs the previous period"));
    assert!(card("Success rate").contains(">70.0 %</dd>"), "{}", card("Success rate"));
    assert!(card("Success rate").contains("−30.0 points vs the previous period"), "{}", card("Success rate"));
    assert!(card("Errors").contains(">60</dd>") && card("Errors").contains("nothing to compare with"));
    for (class, n) in
        [("Failed (other 4xx, 5xx)", 20), ("Rate-limited (429)", 20), ("Refused by policy (401, 403)", 20)]
    {
        assert!(
            body.contains(&format!("{class}: <strong class=\"tabular-figures\">{n}</strong>")),
            "{class}: {body}"
        );
    }
    let user = app::auth::CurrentUser {
        id: sqlx::query_scalar("SELECT id FROM users WHERE username = 'alice'")
            .fetch_one(&pool)
            .await
            .expect("alice"),
        username: "alice".into(),
        display_name: "Alice".into(),
        tenant_id: "demo".into(),
        roles: vec![app::domain::role::Role::Viewer],
    };
    let dq = app::model::metering::DashboardQuery {
        period: Some("24h".into()),
        application: Some(figures_app.clone()),
        ..Default::default()
    };
    let d = app::service::usage::dashboard::dashboard(&pool, &user, &dq, false, 7).await.expect("dashboard");
    let t = &d.report.totals;
    assert_eq!((t.calls, t.success, t.failed, t.rate_limited, t.policy_denied), (200, 140, 20, 20, 20));
    assert_eq!(t.request_bytes, 200 * 120);
    assert_eq!(t.mean_ms, Some(100.5));
    // Percentiles from the histograms: the upper bound of the bucket holding the exact
    // nearest-rank value (buckets are 19 % wide).
    for (name, got, q) in [("p50", t.p50_ms, 0.5), ("p95", t.p95_ms, 0.95), ("p99", t.p99_ms, 0.99)] {
        let exact = nearest_rank(&latencies, q);
        let got = got.expect(name);
        assert!((exact..=exact * 1.19).contains(&got), "{name}: {got} for {exact}");
    }
    assert_eq!(d.previous.calls, 100);
    let p50_before = d.previous.p50_ms.expect("p50 before");
    assert!((10.0..=11.9).contains(&p50_before), "{p50_before}");
    // The series holds every call of the period, in its buckets.
    assert_eq!(d.report.series.iter().map(|p| p.figures.calls).sum::<u64>(), 200);

    // Many pages at once on a small pool: each reads on a second connection only if one
    // is free, so none waits for a connection while holding one (which deadlocked the
    // pool: every connection somebody's first, all waiting until the pool's timeout).
    let small = sqlx::postgres::PgPoolOptions::new()
        .max_connections(4)
        .acquire_timeout(std::time::Duration::from_secs(3))
        .connect_with(pool.connect_options().as_ref().clone())
        .await
        .expect("small pool");
    let pages = futures::future::join_all(
        (0..16).map(|_| app::service::usage::dashboard::dashboard(&small, &user, &dq, false, 7)),
    )
    .await;
    for page in pages {
        assert_eq!(page.expect("dashboard on a busy pool").report.totals.calls, 200);
    }

    // The last 12 months, by month: both periods' calls in the current month's point.
    let page = app.get(&format!("/usage?period=12m&application={figures_app}"), &[("cookie", &alice)]).await;
    let body = page.body.replace("<!>", "");
    assert!(body.contains("one point per month"), "{body}");
    assert!(card_of(&body, "Calls").contains(">300</dd>"), "{body}");
    let table =
        body.split("id=\"usage-calls-data\"").nth(1).and_then(|t| t.split("</table>").next()).expect("data");
    assert_eq!(table.matches("<tr>").count(), 1 + 12, "{table}");
    let month = now.format("%Y-%m").to_string();
    assert!(table.contains(&format!(">{month}</td>")), "{table}");

    // The quota bars: 59 % green, 60 % and 80 % amber, 81 % red.
    let page = app.get("/usage?period=24h", &[("cookie", &alice)]).await;
    let body = page.body.replace("<!>", "");
    for (used, fill) in [(59, "low"), (60, "middle"), (80, "middle"), (81, "high")] {
        let bar = body
            .split(&format!(">{used} of 100 ("))
            .next()
            .and_then(|before| before.rsplit("data-fill=\"").next())
            .and_then(|f| f.split('"').next())
            .expect("bar");
        assert_eq!(bar, fill, "{used} %");
        assert!(body.contains(&format!("{used} of 100 ({used}.0 %)")), "{used}: {body}");
    }
}

/// Whose calls each sees: a consumer only its own applications' (whatever it asks for),
/// a tenant admin the calls to its tenant's APIs — by consumers of other tenants too —
/// but not those consumers' calls elsewhere.
#[sqlx::test(migrations = "../migrations")]
async fn each_sees_only_the_calls_it_may(pool: PgPool) {
    use crate::util::user_in;
    use crate::util::{new_application, stoa_event};
    use app::domain::role::Role;
    app::service::demo::seed::run(&pool).await.expect("seed");
    let app = TestApp::new(pool.clone());
    let alice = demo_cookie(&app, "alice").await;
    let gus = user_in(&app, &pool, "globex", "gus", &[Role::Viewer]).await;
    let gina = user_in(&app, &pool, "globex", "gina", &[Role::TenantAdmin]).await;
    let (alice_client, alice_app) = new_application(&app, &alice, &pool, "Alice's agent").await;
    let (gus_client, gus_app) = new_application(&app, &gus, &pool, "Gus's agent").await;
    let now = chrono::Utc::now();
    // Alice calls the demo tenant's weather 5 times; Gus calls it 3 times and his own
    // tenant's CRM 4 times.
    let mut events: Vec<Value> =
        (0..5).map(|_| stoa_event(&alice_client, "weather/forecast", "success", 8, now)).collect();
    events.extend((0..3).map(|_| stoa_event(&gus_client, "weather/forecast", "success", 8, now)));
    events.extend((0..4).map(|_| {
        let mut e = stoa_event(&gus_client, "crm/search", "success", 8, now);
        e["tenant_id"] = "globex".into();
        e
    }));
    ingested(&pool, &events).await;
    let totals = |r: &Value| r["totals"]["calls"].as_u64().expect("calls");
    let v1 = |cookie: &str, query: &str| {
        let (app, cookie, query) = (&app, cookie.to_owned(), query.to_owned());
        async move {
            let (status, r) =
                json_call(app, "GET", &format!("/v1/usage?{query}"), Some(&cookie), Value::Null).await;
            assert_eq!(status, 200, "{r}");
            r
        }
    };

    // Each consumer: its own calls, on the page and over REST.
    assert_eq!(totals(&v1(&alice, "period=1h").await), 5);
    assert_eq!(totals(&v1(&gus, "period=1h").await), 7);
    let page = app.get("/usage?period=1h", &[("cookie", &gus)]).await.body.replace("<!>", "");
    assert!(page.contains("Gus&#x27;s agent") || page.contains("Gus's agent"), "{page}");
    assert!(!page.contains("Alice") && page.contains(">7</dd>"), "{page}");
    // Asking for the other's application, API or tenant shows nothing of it.
    for query in [format!("application={alice_app}"), "api=demo/weather".to_owned(), "tenant=demo".to_owned()]
    {
        let page = app.get(&format!("/usage?period=1h&{query}"), &[("cookie", &gus)]).await;
        let body = page.body.replace("<!>", "");
        assert!(!body.contains("Alice"), "{query}: {body}");
        if query.starts_with("application") {
            assert!(body.contains(">0</dd>"), "{query}: {body}");
        }
    }
    let r = v1(&alice, &format!("period=1h&application_id={gus_app}")).await;
    assert_eq!(totals(&r), 0, "{r}");

    // The demo tenant's admin: the 8 calls to its weather API, Gus's application among
    // the consumers with its 3 calls — not his 4 calls to globex.
    let tara = demo_cookie(&app, "tara").await;
    let r = v1(&tara, "period=1h&group_by=application").await;
    assert_eq!(totals(&r), 8, "{r}");
    let gus_group = r["groups"].as_array().expect("groups").iter().find(|g| g["key"] == gus_app.as_str());
    assert_eq!(gus_group.map(|g| g["calls"].clone()), Some(3.into()), "{r}");
    let page = app.get("/console/usage?period=1h", &[("cookie", &tara)]).await.body.replace("<!>", "");
    assert!(page.contains(">8</dd>") && !page.contains("crm/search"), "{page}");
    // Among the top consumers, with its tenant.
    assert!(page.contains("Top consumers") && page.contains("agent · globex"), "{page}");
    let r = v1(&tara, "period=1h&tenant=globex").await;
    assert_eq!(totals(&r), 0, "{r}");
    // Globex's admin: Gus's 7 calls (its consumer, wherever he calls), not Alice's.
    let r = v1(&gina, "period=1h&group_by=application").await;
    assert_eq!(totals(&r), 7, "{r}");
    assert!(r["groups"].as_array().expect("groups").iter().all(|g| g["key"] != alice_app.as_str()), "{r}");
    // Over REST as CSV too: the same groups, the same lines.
    let csv = app
        .get("/v1/usage?period=1h&group_by=application", &[("cookie", &tara), ("accept", "text/csv")])
        .await;
    assert_eq!(csv.header("content-type"), Some("text/csv; charset=utf-8"), "{}", csv.body);
    let lines: Vec<&str> = csv.body.split("\r\n").filter(|l| !l.is_empty()).collect();
    assert!(lines[0].starts_with("group,label,calls,success,errors,"), "{}", csv.body);
    assert!(lines.iter().any(|l| l.starts_with(&format!("{gus_app},Gus's agent,3,3,0,"))), "{}", csv.body);
    assert_eq!(
        lines[1..]
            .iter()
            .map(|l| l.split(',').nth(2).and_then(|c| c.parse::<u64>().ok()).expect("calls"))
            .sum::<u64>(),
        8
    );
    // The CSV of the calls follows the same lines.
    let csv = app.get("/console/usage.csv?period=1h&rows=calls", &[("cookie", &tara)]).await;
    assert_eq!(csv.body.split("\r\n").filter(|l| !l.is_empty()).count(), 1 + 8, "{}", csv.body);
    let csv = app.get("/usage.csv?period=1h&rows=calls", &[("cookie", &gus)]).await;
    assert_eq!(csv.body.split("\r\n").filter(|l| !l.is_empty()).count(), 1 + 7, "{}", csv.body);
}

/// A breakdown shows its ten busiest groups and says how many there are; "Show all"
/// shows every one, and a link goes back.
#[sqlx::test(migrations = "../migrations")]
async fn a_long_breakdown_shows_its_busiest_and_all_on_demand(pool: PgPool) {
    use crate::util::stoa_event;
    app::service::demo::seed::run(&pool).await.expect("seed");
    let app = TestApp::new(pool.clone());
    publish(&app, "echo", "http://127.0.0.1:9/v1").await;
    let alice = demo_cookie(&app, "alice").await;
    let now = chrono::Utc::now();
    // Twelve applications; "Busy n" made n calls.
    let mut events = Vec::new();
    for n in 1..=12u64 {
        let (id, _, _) = client(&app, &alice, &format!("Busy {n}"), "echo", None).await;
        let client = client_id(&pool, &id).await;
        events.extend((0..n).map(|_| stoa_event(&client, "echo/getOrder", "success", 5, now)));
    }
    ingested(&pool, &events).await;

    let page = app.get("/usage?period=24h", &[("cookie", &alice)]).await;
    assert_eq!(page.status, 200, "{}", page.body);
    let body = page.body.replace("<!>", "").replace("&amp;", "&");
    let breakdown =
        body.split("By application</h2>").nth(1).expect("breakdown").split("</table>").next().expect("table");
    assert!(breakdown.contains(">Busy 12</a>") && breakdown.contains(">Busy 3</a>"), "{breakdown}");
    assert!(!breakdown.contains(">Busy 2</a>") && !breakdown.contains(">Busy 1</a>"), "{breakdown}");
    // The groups shown have their latency percentiles (read for them alone).
    let row = |table: &str, name: &str| {
        table
            .split(&format!(">{name}</a>"))
            .nth(1)
            .and_then(|r| r.split("</tr>").next())
            .unwrap_or_default()
            .to_owned()
    };
    assert!(row(breakdown, "Busy 3").contains(" ms</td>"), "{breakdown}");
    assert!(body.contains("The 10 busiest of 12."), "{body}");
    assert!(body.contains("<a href=\"/usage?period=24h&all=application\""), "{body}");

    let page = app.get("/usage?period=24h&all=application", &[("cookie", &alice)]).await;
    let body = page.body.replace("<!>", "").replace("&amp;", "&");
    let breakdown =
        body.split("By application</h2>").nth(1).expect("breakdown").split("</table>").next().expect("table");
    assert!(breakdown.contains(">Busy 1</a>") && breakdown.contains(">Busy 12</a>"), "{breakdown}");
    assert!(row(breakdown, "Busy 1").contains(" ms</td>"), "{breakdown}");
    assert!(body.contains("Show the 10 busiest only"), "{body}");
    // The other breakdowns (one API, one operation) have nothing to hide.
    assert_eq!(body.matches("busiest of").count(), 0, "{body}");
}

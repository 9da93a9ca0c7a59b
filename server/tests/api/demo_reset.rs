//! The demo tenant's reset: it puts the dataset back and touches nothing else — every
//! other tenant's rows, table by table, are the same before and after (a digest per
//! table), and the demo's rows equal a fresh seed's, twice in a row. One reset at a time;
//! a demo user signed in before it is told why they are signed out.

use crate::util::{demo_cookie, json_call, user_in, TestApp};
use app::domain::role::Role;
use app::service::demo::reset::{reset, Outcome, Trigger};
use serde_json::{json, Value};
use sqlx::PgPool;
use std::collections::BTreeMap;

/// Tables the comparison leaves out, and why: the event consumers' bookkeeping (written
/// asynchronously by whoever handles an event, never by the reset), the reset's own
/// records, the migrations.
const SKIPPED: &[&str] = &[
    "_sqlx_migrations",
    "event_log",
    "processed_events",
    "platform_counters",
    "demo_resets",
    "metering_offsets",
];

/// Journals: the reset appends to them (its audit entry, its event), so the demo's rows
/// are not compared — other tenants' rows are.
const JOURNALS: &[&str] = &["audit_log", "outbox"];

/// Columns left out of every digest: times (relative to each reset), the dataset keys'
/// hash and visible prefix (new at each reset, on purpose), and serial ids of history
/// rows (their content is compared).
fn skipped_column(table: &str, column: &str, data_type: &str) -> bool {
    data_type.starts_with("timestamp")
        || (table == "credentials" && matches!(column, "secret_hash" | "prefix"))
        || (matches!(table, "promotion_history" | "gitops_outbox") && matches!(column, "id" | "history_id"))
        || (table == "outbox" && matches!(column, "seq" | "attempts" | "last_error"))
}

/// Which rows are the demo's: `Some(true)` the demo's, `Some(false)` another tenant's,
/// as an SQL condition per table; None: the table has no tenant.
fn owner(table: &str, columns: &[String]) -> Option<(String, String)> {
    let has = |c: &str| columns.iter().any(|x| x == c);
    if table.starts_with("usage_") {
        // Rollups: a row of the demo's own calls, or one without the demo at all (the
        // platform's totals, with neither tenant, count both: left out).
        return Some((
            "tenant_id = 'demo' AND app_tenant_id = 'demo'".into(),
            "tenant_id <> 'demo' AND app_tenant_id <> 'demo' AND NOT (tenant_id = '' AND app_tenant_id = '')"
                .into(),
        ));
    }
    if has("app_tenant_id") {
        return Some(("app_tenant_id = 'demo'".into(), "app_tenant_id IS DISTINCT FROM 'demo'".into()));
    }
    if has("tenant_id") {
        return Some(("tenant_id = 'demo'".into(), "tenant_id IS DISTINCT FROM 'demo'".into()));
    }
    match table {
        "quota_usage" => Some((
            "subscription_id IN (SELECT id FROM subscriptions WHERE app_tenant_id = 'demo')".into(),
            "subscription_id NOT IN (SELECT id FROM subscriptions WHERE app_tenant_id = 'demo')".into(),
        )),
        "gitops_outbox" => Some((
            "request_id IN (SELECT id FROM promotion_requests WHERE tenant_id = 'demo')".into(),
            "request_id IN (SELECT id FROM promotion_requests WHERE tenant_id <> 'demo')".into(),
        )),
        _ => None,
    }
}

/// Per table: (other tenants' rows, the demo's rows) as digests (with the row count).
async fn digests(pool: &PgPool) -> (BTreeMap<String, String>, BTreeMap<String, String>) {
    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT c.relname::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition ORDER BY 1",
    )
    .fetch_all(pool)
    .await
    .expect("tables");
    let (mut others, mut demo) = (BTreeMap::new(), BTreeMap::new());
    for table in tables.iter().filter(|t| !SKIPPED.contains(&t.as_str())) {
        let columns: Vec<(String, String)> = sqlx::query_as(
            "SELECT column_name::text, data_type::text FROM information_schema.columns
             WHERE table_schema = 'public' AND table_name = $1 ORDER BY ordinal_position",
        )
        .bind(table)
        .fetch_all(pool)
        .await
        .expect("columns");
        let names: Vec<String> = columns.iter().map(|c| c.0.clone()).collect();
        let kept: Vec<String> = columns
            .iter()
            .filter(|(c, t)| !skipped_column(table, c, t))
            .map(|(c, t)| match t.as_str() {
                // The records' own times are relative to the reset.
                "jsonb" if table == "demo_records" => format!("({c} - 'created_at' - 'updated_at')::text"),
                // Sums of floats depend on the order they were added in (the ingest's
                // maps): equal to the sixth decimal.
                "double precision" => format!("round({c}::numeric, 6)::text"),
                _ => format!("{c}::text"),
            })
            .collect();
        let row = format!("concat_ws('|', {})", kept.join(", "));
        let digest = |condition: String| {
            let sql = format!(
                "SELECT count(*)::text || ':' || coalesce(md5(string_agg(r, E'\\n' ORDER BY r)), '')
                 FROM (SELECT {row} AS r FROM {table} WHERE {condition}) AS rows"
            );
            async move { sqlx::query_scalar::<_, String>(&sql).fetch_one(pool).await.expect("digest") }
        };
        match owner(table, &names) {
            Some((mine, theirs)) => {
                others.insert(table.clone(), digest(theirs).await);
                if !JOURNALS.contains(&table.as_str()) {
                    demo.insert(table.clone(), digest(mine).await);
                }
            }
            None => {
                others.insert(table.clone(), digest("true".into()).await);
            }
        }
    }
    (others, demo)
}

/// The tables whose digests differ.
fn differing(a: &BTreeMap<String, String>, b: &BTreeMap<String, String>) -> Vec<String> {
    a.iter()
        .filter(|(k, v)| b.get(*k) != Some(v))
        .map(|(k, v)| format!("{k}: {v} → {:?}", b.get(k)))
        .collect()
}

/// An application of `cookie`'s user, subscribed to `tenant`'s `entry` on the free plan,
/// and one call through the gateway with its key.
async fn consumer_activity(
    app: &TestApp,
    pool: &PgPool,
    cookie: &str,
    tenant: &str,
    entry: &str,
    name: &str,
) {
    let (id, key, _) = crate::util::client_in(app, cookie, name, tenant, entry, Some("free")).await;
    if tenant == "demo" {
        crate::util::call(app, "GET", &format!("/gw/{tenant}/{entry}/places?q=par"), Some(&key)).await;
        return;
    }
    // Another tenant's calls (its upstreams do not answer here): through the ingest, as
    // its gateway would report them.
    let client: String = sqlx::query_scalar("SELECT client_id FROM applications WHERE id = $1::uuid")
        .bind(&id)
        .fetch_one(pool)
        .await
        .expect("client id");
    for status in ["success", "error"] {
        let mut event =
            crate::util::stoa_event(&client, &format!("{entry}/list"), status, 40, chrono::Utc::now());
        event["tenant_id"] = json!(tenant);
        let payload = event.to_string();
        let message = app::service::metering::ingest::Message { payload: payload.as_bytes(), position: None };
        let done = app::service::metering::ingest::ingest(&app.state.pool, 7, "test", None, &[message])
            .await
            .expect("ingest");
        assert_eq!(done.counted, 1);
    }
}

/// Waits until the metering has counted `n` calls in all, besides the dataset's history.
async fn counted(pool: &PgPool, n: i64) {
    for _ in 0..100 {
        let have: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM metering_calls WHERE gateway_id IS DISTINCT FROM 'stoa-demo-history'",
        )
        .fetch_one(pool)
        .await
        .expect("calls");
        if have >= n {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("{n} calls were not counted");
}

/// What demo visitors do: an application with a subscription and a call, a promotion
/// request with a comment, a CRM customer, a preferred language.
async fn visitors(app: &TestApp, pool: &PgPool) {
    let alice = demo_cookie(app, "alice").await;
    consumer_activity(app, pool, &alice, "demo", "weather-forecast", "Visitor's app").await;
    let dave = demo_cookie(app, "dave").await;
    let body = json!({
        "target_name": "weather-forecast", "target_version": "1.2.0",
        "justification": "A visitor tries the promotion flow of the demo.", "impact": "low",
        "staging_tests_passed": true,
    });
    let (status, created) = json_call(app, "POST", "/v1/requests/prod", Some(&dave), body).await;
    assert_eq!(status, 201, "{created}");
    let id = created["id"].as_str().expect("id");
    let comment = json!({ "comment": "Looks good from the visitor's side." });
    json_call(app, "POST", &format!("/v1/requests/prod/{id}/comments"), Some(&dave), comment).await;
    // A record written to the CRM backend (as the gateway does for a subscribed caller).
    let body = br#"{"name":"Visitor","email":"visitor@example.com"}"#;
    let (status, created) = app
        .gateway
        .in_process_answer("POST", "/demo-backends/crm/v1/customers", None, body)
        .await
        .expect("the CRM backend");
    assert_eq!(status, 201, "{created}");
    // Tara invites two people: one joins, the other's invitation waits.
    let tara = demo_cookie(app, "tara").await;
    crate::util::invite_and_join(app, &tara, "joined@example.com", Some("visitor-joined")).await;
    crate::util::invite_and_join(app, &tara, "waiting@example.com", None).await;
    sqlx::query("UPDATE users SET preferred_language = 'de' WHERE username = 'alice'")
        .execute(pool)
        .await
        .expect("language");
}

fn done(outcome: Outcome) -> app::db::demo::reset::ResetRow {
    match outcome {
        Outcome::Done(row) => row,
        other => panic!("the reset did not run: {other:?}"),
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn the_reset_touches_nothing_else_and_puts_the_dataset_back_twice(pool: PgPool) {
    app::service::demo::seed::run(&pool).await.expect("seed");
    app::service::demo::seed::dataset(&pool).await.expect("dataset");
    app::service::demo::reset::write_history(&pool, 7).await.expect("history");
    server::seed::publish_own_document(&pool, "http://127.0.0.1:3000").await.expect("own API");
    let app = TestApp::new(pool.clone());
    let (_, seeded) = digests(&pool).await;

    // Two other tenants at work: their applications, subscriptions, calls, a request.
    let olga = user_in(&app, &pool, "oasis", "olga", &[Role::TenantAdmin]).await;
    consumer_activity(&app, &pool, &olga, "oasis", "shipment-tracking", "Olga's tracker").await;
    crate::util::invite_and_join(&app, &olga, "oscar@oasis.example", Some("oscar")).await;
    crate::util::invite_and_join(&app, &olga, "otto@oasis.example", None).await;
    let hugo = user_in(&app, &pool, "helios", "hugo", &[Role::Devops]).await;
    consumer_activity(&app, &pool, &hugo, "helios", "grid-status", "Hugo's grid").await;
    let carl = app::db::users::by_id(&pool, user_id(&pool, "carl").await).await.expect("carl").expect("carl");
    for round in 1..=2 {
        // Visitors at work in the demo (the platform-wide request counter moves with them).
        visitors(&app, &pool).await;
        counted(&pool, 5).await;
        let (others, visited) = digests(&pool).await;
        assert!(!differing(&seeded, &visited).is_empty(), "the visitors changed the demo");
        let row = done(reset(&app.state.pool, 7, Trigger::Manual(&carl)).await.expect("reset"));
        assert!(row.summary["deleted"]["applications"].as_u64().unwrap_or(0) >= 1, "{}", row.summary);
        let (others_after, demo_after) = digests(&pool).await;
        assert_eq!(
            differing(&others, &others_after),
            Vec::<String>::new(),
            "round {round}: other tenants untouched"
        );
        assert_eq!(
            differing(&seeded, &demo_after),
            Vec::<String>::new(),
            "round {round}: the demo as seeded"
        );
    }
    // The reset is one audit entry per run, and one event.
    let audited: i64 =
        sqlx::query_scalar("SELECT count(*) FROM audit_log WHERE action = 'demo.reset' AND actor = 'carl'")
            .fetch_one(&pool)
            .await
            .expect("audit");
    assert_eq!(audited, 2);
}

async fn user_id(pool: &PgPool, username: &str) -> uuid::Uuid {
    sqlx::query_scalar("SELECT id FROM users WHERE username = $1")
        .bind(username)
        .fetch_one(pool)
        .await
        .expect("user")
}

/// One reset at a time: while one holds the lock, another says so and does nothing; a
/// demo user signed in before the reset is signed out and told why, a form they send
/// answers with that page (never a 500), and the operator stays signed in.
#[sqlx::test(migrations = "../migrations")]
async fn one_reset_at_a_time_and_demo_users_are_told_why_they_were_signed_out(pool: PgPool) {
    app::service::demo::seed::run(&pool).await.expect("seed");
    app::service::demo::seed::dataset(&pool).await.expect("dataset");
    let app = TestApp::new(pool.clone());
    let alice = demo_cookie(&app, "alice").await;
    let carl_cookie = demo_cookie(&app, "carl").await;
    let carl = app::db::users::by_id(&pool, user_id(&pool, "carl").await).await.expect("carl").expect("carl");
    let mut holder = pool.begin().await.expect("tx");
    assert!(app::db::demo::reset::try_lock(&mut holder).await.expect("lock"));
    assert!(matches!(reset(&app.state.pool, 7, Trigger::Manual(&carl)).await, Ok(Outcome::Running)));
    holder.commit().await.expect("release");
    // A reset needs its permission.
    let dave = app::db::users::by_id(&pool, user_id(&pool, "dave").await).await.expect("dave").expect("dave");
    assert!(reset(&app.state.pool, 7, Trigger::Manual(&dave)).await.is_err());
    // Sessions from before the reset (a second later: sign-ins are counted in seconds).
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    done(reset(&app.state.pool, 7, Trigger::Manual(&carl)).await.expect("reset"));
    let res = app.get("/apps", &[("cookie", alice.as_str())]).await;
    assert_eq!(res.status, 303);
    let to = res.header("location").expect("to sign-in").to_owned();
    assert!(to.starts_with("/login?notice=demo-reset&next=/apps"), "{to}");
    let page = app.get(&to, &[]).await.body;
    assert!(page.contains("The demo was reset to its starting data"), "{page}");
    // The session is gone: the same cookie is anonymous now.
    let res = app.get("/apps", &[("cookie", alice.as_str())]).await;
    assert!(res.header("location").is_some_and(|l| !l.contains("demo-reset")), "{:?}", res.headers);
    // A form sent with a session from before the reset.
    let bob = demo_cookie(&app, "bob").await;
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    done(reset(&app.state.pool, 7, Trigger::Manual(&carl)).await.expect("reset"));
    let res = app.post_form("/api/mark_notification_read", "id=", &[("cookie", bob.as_str())]).await;
    assert_eq!(res.status, 303, "{}", res.body);
    assert!(res.header("location").is_some_and(|l| l.contains("notice=demo-reset")));
    // The operator is still signed in.
    let (status, me) = json_call(&app, "GET", "/v1/me", Some(&carl_cookie), Value::Null).await;
    assert_eq!(status, 200, "{me}");
    // The dataset's consumers are there again, with their applications.
    let bob = demo_cookie(&app, "bob").await;
    let apps = app.get("/apps", &[("cookie", bob.as_str())]).await.body;
    assert!(apps.contains("Weather widget"), "{apps}");
}

/// The scheduled reset fires at the configured time, once, with two server processes
/// running on the same database (each sleeps until the slot; one resets it, the other
/// finds it running or done).
#[sqlx::test(migrations = "../migrations")]
async fn the_scheduled_reset_fires_once_with_two_server_processes(pool: PgPool) {
    use chrono::Timelike;
    app::service::demo::seed::run(&pool).await.expect("seed");
    app::service::demo::seed::dataset(&pool).await.expect("dataset");
    let app = TestApp::new(pool.clone());
    let alice = demo_cookie(&app, "alice").await;
    consumer_activity(&app, &pool, &alice, "demo", "weather-forecast", "Visitor's app").await;
    // A slot a few seconds ahead, in the six-field form (seconds first).
    let slot = (chrono::Utc::now() + chrono::Duration::seconds(8)).with_nanosecond(0).expect("whole second");
    let schedule = format!("{} {} {} * * *", slot.second(), slot.minute(), slot.hour());
    let dir = std::env::temp_dir().join(format!("stoa-demo-reset-{}", std::process::id()));
    let spawn = |n: u8| {
        crate::util::server_process(&pool, &dir.join(n.to_string()), &[("DEMO_RESET_SCHEDULE", &schedule)]).0
    };
    let (mut one, mut two) = (spawn(1), spawn(2));
    let resets = || async {
        sqlx::query_as::<_, (String, Option<chrono::DateTime<chrono::Utc>>)>(
            "SELECT trigger, slot FROM demo_resets WHERE trigger = 'schedule' AND finished_at IS NOT NULL",
        )
        .fetch_all(&pool)
        .await
        .expect("resets")
    };
    assert!(resets().await.is_empty(), "nothing before the slot");
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(40);
    while resets().await.is_empty() && tokio::time::Instant::now() < deadline {
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    // Both processes have woken up by now; give the second its chance to do it again.
    tokio::time::sleep(std::time::Duration::from_secs(3)).await;
    assert_eq!(resets().await, vec![("schedule".to_owned(), Some(slot))], "one reset, at the slot");
    for server in [&mut one, &mut two] {
        assert!(server.0.try_wait().expect("status").is_none(), "both servers ran through the slot");
    }
    let audited: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM audit_log WHERE action = 'demo.reset' AND actor = 'scheduler'",
    )
    .fetch_one(&pool)
    .await
    .expect("audit");
    assert_eq!(audited, 1);
    let visitor: i64 = sqlx::query_scalar("SELECT count(*) FROM applications WHERE name = 'Visitor''s app'")
        .fetch_one(&pool)
        .await
        .expect("apps");
    assert_eq!(visitor, 0, "what the visitor made is gone");
    let _ = std::fs::remove_dir_all(&dir);
}

/// The console's demo page: the schedule and the next reset, "reset now" only after a
/// confirmation (plain link and form), the result, the history; the same over REST; the
/// banner on every page for the demo's users, and for no one else.
#[sqlx::test(migrations = "../migrations")]
async fn the_console_resets_after_a_confirmation_and_demo_users_see_the_banner(pool: PgPool) {
    app::service::demo::seed::run(&pool).await.expect("seed");
    app::service::demo::seed::dataset(&pool).await.expect("dataset");
    let app = TestApp::new(pool.clone());
    let carl = demo_cookie(&app, "carl").await;
    let cookie = [("cookie", carl.as_str())];
    let page = app.get("/console/demo", &cookie).await.body;
    assert!(page.contains("0 4 * * *") && page.contains("Reset the demo…"), "{page}");
    assert!(!page.contains("Yes, reset the demo"), "no form before the confirmation");
    assert!(page.contains("First seed"), "the seed is the first line of the history: {page}");
    let confirm = app.get("/console/demo?confirm=1", &cookie).await.body;
    assert!(
        confirm.contains("Yes, reset the demo") && confirm.contains("Its users are signed out"),
        "{confirm}"
    );
    // Without the confirmation's field: refused, nothing done.
    let res = app.post_form("/api/reset_demo", "confirm=no", &cookie).await;
    assert_eq!(res.status, 422, "{}", res.body);
    let res = app.post_form("/api/reset_demo", "confirm=yes", &cookie).await;
    assert!(res.status.is_redirection(), "{} {}", res.status, res.body);
    let to = res.header("location").expect("back to the page").to_owned();
    assert!(to.starts_with("/console/demo?done="), "{to}");
    let page = app.get(&to, &cookie).await.body;
    assert!(page.contains("The demo was reset in"), "{page}");
    assert!(page.contains("By hand") && page.contains("carl"), "{page}");
    // REST: the state, a confirmed reset, and who may not.
    let (status, state) = json_call(&app, "GET", "/v1/admin/demo", Some(&carl), Value::Null).await;
    assert_eq!((status, state["schedule"].as_str()), (200, Some("0 4 * * *")), "{state}");
    assert!(state["next_reset"].as_str().is_some_and(|t| t.ends_with("T04:00:00Z")), "{state}");
    assert_eq!(state["resets"].as_array().map(Vec::len), Some(2), "{state}");
    let (status, done) =
        json_call(&app, "POST", "/v1/admin/demo/reset", Some(&carl), json!({ "confirm": true })).await;
    assert_eq!((status, done["trigger"].as_str()), (200, Some("manual")), "{done}");
    let tara = demo_cookie(&app, "tara").await;
    let (status, _) =
        json_call(&app, "POST", "/v1/admin/demo/reset", Some(&tara), json!({ "confirm": true })).await;
    assert_eq!(status, 403);
    assert_eq!(app.get("/console/demo", &[("cookie", tara.as_str())]).await.status, 403);
    // The banner: on every page of a demo user, with the next reset's distance.
    for path in ["/", "/catalog", "/apps"] {
        let body = app.get(path, &[("cookie", tara.as_str())]).await.body;
        assert!(body.contains("Demo data — reset every day at 04:00 UTC (next in "), "{path}: {body}");
    }
    let fr = app.get("/", &[("cookie", tara.as_str()), ("accept-language", "fr")]).await.body;
    assert!(fr.contains("Données de démonstration"), "{fr}");
    let gina = user_in(&app, &pool, "globex", "gina", &[Role::TenantAdmin]).await;
    assert!(!app.get("/", &[("cookie", gina.as_str())]).await.body.contains("data-demo-banner"));
    assert!(!app.get("/", &[]).await.body.contains("data-demo-banner"), "not for visitors");
}

/// The dataset's 30 days of history go through the metering ingest once (written again,
/// nothing is counted twice), and Alice's usage shows them; the live traffic calls the
/// demo backends through the gateway with the dataset's keys — which a reset changes.
#[sqlx::test(migrations = "../migrations")]
async fn the_history_is_counted_once_and_the_live_traffic_goes_through_the_gateway(pool: PgPool) {
    use server::demo::one_call;
    app::service::demo::seed::run(&pool).await.expect("seed");
    app::service::demo::seed::dataset(&pool).await.expect("dataset");
    let app = TestApp::new(pool.clone());
    let today = chrono::Utc::now().date_naive();
    let expected = app::domain::demo::dataset::history(today).len();
    let counted = app::service::demo::reset::write_history(&pool, 7).await.expect("history");
    assert_eq!(counted, expected);
    assert_eq!(app::service::demo::reset::write_history(&pool, 7).await.expect("again"), 0, "counted once");
    let alice = demo_cookie(&app, "alice").await;
    let from =
        format!("{}T00:00:00Z", today - chrono::Duration::days(app::domain::demo::dataset::HISTORY_DAYS));
    let (status, usage) =
        json_call(&app, "GET", &format!("/v1/usage?from={from}"), Some(&alice), Value::Null).await;
    assert_eq!(status, 200, "{usage}");
    let alices: usize = app::domain::demo::dataset::history(today)
        .iter()
        .filter(|c| {
            [("alice", "Trip planner"), ("alice", "Trip assistant")].iter().any(|(o, a)| {
                c.application == app::domain::demo::dataset::id("application", &format!("{o}/{a}"))
            })
        })
        .count();
    assert_eq!(usage["totals"]["calls"].as_u64(), Some(alices as u64), "{}", usage["totals"]);
    assert!(usage["totals"]["errors"].as_u64().unwrap_or(0) > 0, "errors show: {}", usage["totals"]);

    // The live traffic: each call of the rotation succeeds through the gateway.
    for n in 0..9 {
        let (api, status) = one_call(&app.state.pool, &app.gateway, n).await.expect("call").expect("a call");
        assert_eq!(status, 200, "{api}");
    }
    for _ in 0..100 {
        let live: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM metering_calls WHERE gateway_id IS DISTINCT FROM 'stoa-demo-history' AND status = 'success'",
        )
        .fetch_one(&pool)
        .await
        .expect("live");
        if live == 9 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    // After a reset the dataset's keys are new: the rotation still works, an old key not.
    let salt: String = sqlx::query_scalar("SELECT key_salt FROM demo_resets ORDER BY id DESC LIMIT 1")
        .fetch_one(&pool)
        .await
        .expect("salt");
    let app_id = app::domain::demo::dataset::id("application", "bob/Weather widget");
    let old_key = app::db::demo::reset::dataset_key(app_id, &salt);
    let carl = app::db::users::by_id(&pool, user_id(&pool, "carl").await).await.expect("carl").expect("carl");
    let row = done(reset(&app.state.pool, 7, Trigger::Manual(&carl)).await.expect("reset"));
    // The raw window's days were taken out with the visitors' calls and are counted again;
    // older days were never taken out, and are not counted twice.
    let recent = app::domain::demo::dataset::history(today)
        .iter()
        .filter(|c| c.at.date_naive() > today - chrono::Duration::days(7))
        .count();
    assert_eq!(row.summary["history"]["calls"].as_u64(), Some(recent as u64), "{}", row.summary);
    let (_, status) = one_call(&app.state.pool, &app.gateway, 1).await.expect("call").expect("a call");
    assert_eq!(status, 200);
    let res =
        crate::util::call(&app, "GET", "/gw/demo/weather-forecast/forecast?place=paris", Some(&old_key))
            .await;
    assert_eq!(res.status, 401, "{}", res.body);
}

/// Forms sent while a reset runs (their sessions from before it): each gets an answer
/// that is not a 500 — done before the reset, refused after it, or sent to sign in — and
/// nothing is left half-made.
#[sqlx::test(migrations = "../migrations")]
async fn forms_arriving_during_a_reset_get_an_answer_and_leave_nothing_half_made(pool: PgPool) {
    app::service::demo::seed::run(&pool).await.expect("seed");
    app::service::demo::seed::dataset(&pool).await.expect("dataset");
    let app = TestApp::new(pool.clone());
    let carl = app::db::users::by_id(&pool, user_id(&pool, "carl").await).await.expect("carl").expect("carl");
    let mut statuses = BTreeMap::new();
    for round in 0..3 {
        let alice = demo_cookie(&app, "alice").await;
        let made = app
            .post_form(
                "/api/save_application",
                "name=Mid-journey&description=&security_profile=api_key&redirect_uris=",
                &[("cookie", alice.as_str())],
            )
            .await;
        let page = made.header("location").expect("to the application").to_owned();
        let id = page.trim_start_matches("/apps/").trim_end_matches("?saved=created").to_owned();
        tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
        let (pool2, carl2) = (app.state.pool.clone(), carl.clone());
        let resetting = tokio::spawn(async move { reset(&pool2, 7, Trigger::Manual(&carl2)).await });
        // Forms every 40 ms while it runs: a key for the application the reset deletes, a
        // new application, a subscription of it.
        let mut sent = Vec::new();
        for i in 0..40 {
            let (app, alice, id) = (&app, alice.clone(), id.clone());
            sent.push(async move {
                tokio::time::sleep(std::time::Duration::from_millis(40 * i)).await;
                let (path, form) = match i % 3 {
                    0 => ("/api/issue_credential", format!("application={id}")),
                    1 => (
                        "/api/save_application",
                        format!(
                            "name=During+{round}-{i}&description=&security_profile=api_key&redirect_uris="
                        ),
                    ),
                    _ => (
                        "/subscribe",
                        format!("application={id}&kind=api&tenant=demo&slug=weather-forecast&plan=free"),
                    ),
                };
                let res = app.post_form(path, &form, &[("cookie", alice.as_str())]).await;
                (path, res.status.as_u16(), res.body)
            });
        }
        for (path, status, body) in futures::future::join_all(sent).await {
            assert!(status < 500, "{path} during reset {round}: {status} {body}");
            *statuses.entry(status).or_insert(0) += 1;
        }
        assert!(matches!(resetting.await.expect("task"), Ok(Outcome::Done(_))), "reset {round}");
    }
    // The reset deleted the application it found; nothing points at what is gone.
    let orphans: i64 = sqlx::query_scalar(
        "SELECT (SELECT count(*) FROM credentials c WHERE NOT EXISTS (SELECT 1 FROM applications a WHERE a.id = c.application_id))
              + (SELECT count(*) FROM subscriptions s WHERE s.application_id IS NOT NULL
                   AND NOT EXISTS (SELECT 1 FROM applications a WHERE a.id = s.application_id))",
    )
    .fetch_one(&pool)
    .await
    .expect("orphans");
    assert_eq!(orphans, 0);
    let left: i64 = sqlx::query_scalar("SELECT count(*) FROM applications WHERE name = 'Mid-journey'")
        .fetch_one(&pool)
        .await
        .expect("left");
    assert_eq!(left, 0, "the applications made before each reset are gone");
    // Some forms were refused or sent to sign in (after the reset), not all done.
    assert!(statuses.keys().any(|s| *s >= 300), "{statuses:?}");
}

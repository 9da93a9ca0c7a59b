//! The metering ingest: events in the STOA gateway's exact shape (only its fields,
//! optional ones absent) counted once — re-sent, re-read after a restart, in process or
//! from a real Kafka-protocol broker — bad messages kept as dead letters, unknown
//! consumers counted under "unknown", and the result read back through `/v1/usage`.

use crate::util::{demo_cookie, json_call, new_application, stoa_event, KillOnDrop, TestApp};
use app::service::metering::ingest::{ingest, Message};
use serde_json::{json, Value};
use sqlx::PgPool;
use std::time::Duration;
use tokio_util::sync::CancellationToken;
use uuid::Uuid;

async fn usage(app: &TestApp, cookie: &str, query: &str) -> Value {
    let (status, report) =
        json_call(app, "GET", &format!("/v1/usage?{query}"), Some(cookie), Value::Null).await;
    assert_eq!(status, 200, "{report}");
    report
}

fn group<'a>(report: &'a Value, key: &str) -> Option<&'a Value> {
    report["groups"].as_array()?.iter().find(|g| g["key"] == key)
}

#[sqlx::test(migrations = "../migrations")]
async fn events_count_once_and_bad_ones_become_dead_letters(pool: PgPool) {
    app::service::demo::seed::run(&pool).await.expect("seed");
    let app = TestApp::new(pool.clone());
    let alice = demo_cookie(&app, "alice").await;
    let carl = demo_cookie(&app, "carl").await;
    let (client, app_id) = new_application(&app, &alice, &pool, "Agent").await;
    let now = chrono::Utc::now();
    let mut events: Vec<Value> = (0..40)
        .map(|i| {
            stoa_event(&client, "get_weather", if i % 10 == 0 { "error" } else { "success" }, 5 + i, now)
        })
        .collect();
    events
        .extend((0..5).map(|_| stoa_event("someone-elses-gateway-client", "get_weather", "success", 9, now)));
    // Ten days ago: older than the raw window, counted in the day rollups only.
    events.push(stoa_event(&client, "get_weather", "success", 7, now - chrono::Duration::days(10)));
    let payloads: Vec<Vec<u8>> = events.iter().map(|e| serde_json::to_vec(e).expect("json")).collect();
    let mut bad: Vec<Vec<u8>> = vec![b"not json at all".to_vec(), b"{}".to_vec()];
    let mut wrong_type = events[0].clone();
    wrong_type["event_id"] = json!(Uuid::new_v4());
    wrong_type["latency_ms"] = json!("fast");
    bad.push(serde_json::to_vec(&wrong_type).expect("json"));
    let mut unknown_tenant = events[0].clone();
    unknown_tenant["event_id"] = json!(Uuid::new_v4());
    unknown_tenant["tenant_id"] = json!("atlantis");
    bad.push(serde_json::to_vec(&unknown_tenant).expect("json"));
    let mut all = payloads.clone();
    all.extend(bad.clone());
    let messages: Vec<Message> = all.iter().map(|p| Message { payload: p, position: None }).collect();
    let first = ingest(&pool, 7, "test", None, &messages).await.expect("ingest");
    assert_eq!((first.counted, first.dead), (46, 4), "{first:?}");
    // The same events again: nothing new.
    let again = ingest(&pool, 7, "test", None, &messages[..46]).await.expect("ingest");
    assert_eq!((again.counted, again.duplicates), (0, 46), "{again:?}");
    let reasons: Vec<String> = sqlx::query_scalar("SELECT reason FROM metering_dead_letters ORDER BY id")
        .fetch_all(&pool)
        .await
        .expect("dead letters");
    assert_eq!(reasons.len(), 4, "{reasons:?}");
    assert!(reasons[0].contains("expected"), "{reasons:?}");
    assert!(reasons[1].contains("missing field `event_id`"), "{reasons:?}");
    assert!(reasons[2].contains("invalid type"), "{reasons:?}");
    assert!(reasons[3].contains("unknown tenant `atlantis`"), "{reasons:?}");

    // Alice sees her application's 40 calls of today; the platform admin all 45, the
    // unknown consumer's under "unknown".
    let mine = usage(&app, &alice, "period=1h&group_by=application").await;
    assert_eq!(mine["totals"]["calls"], 40, "{}", mine["totals"]);
    assert_eq!(mine["totals"]["failed"], 4);
    assert_eq!(group(&mine, &app_id).expect("her application")["label"], "Agent");
    let everyone = usage(&app, &carl, "period=1h&group_by=application").await;
    assert_eq!(everyone["totals"]["calls"], 45, "{}", everyone["totals"]);
    assert_eq!(group(&everyone, "unknown").expect("unknown consumer")["calls"], 5);
    // Percentiles come from the merged histogram: 5..44 ms, p50 ≈ 24 ms within a bucket.
    let p50 = mine["totals"]["p50_ms"].as_f64().expect("p50");
    assert!((24.0..=24.0 * 1.19).contains(&p50), "{p50}");
    // Thirty days by day include the late event once.
    let month = usage(&app, &alice, "period=30d").await;
    assert_eq!(month["totals"]["calls"], 41, "{}", month["totals"]);
    // Bad queries are told which parameter is wrong.
    let (status, out) = json_call(&app, "GET", "/v1/usage?period=1y", Some(&alice), Value::Null).await;
    assert_eq!(status, 422, "{out}");
    let (status, out) =
        json_call(&app, "GET", "/v1/usage?period=30d&granularity=minute", Some(&alice), Value::Null).await;
    assert_eq!((status, out["fields"][0]["field"].as_str()), (422, Some("granularity")), "{out}");
    // A period that ends before it starts, or out of the years a call can have, at any resolution.
    for (query, field, code) in [
        ("from=2000-01-01T00:00:00Z&to=1999-01-01T00:00:00Z&granularity=month", "to", "before-from"),
        ("from=2000-01-01T00:00:00Z&to=1999-01-01T00:00:00Z&granularity=minute", "to", "before-from"),
        ("to=0000-01-01T00:00:00Z&period=12m", "to", "out-of-range"),
    ] {
        let (status, out) =
            json_call(&app, "GET", &format!("/v1/usage?{query}"), Some(&alice), Value::Null).await;
        let got = (status, out["fields"][0]["field"].as_str(), out["fields"][0]["code"].as_str());
        assert_eq!(got, (422, Some(field), Some(code)), "{query}: {out}");
    }
    // Signed out: no usage.
    let (status, _) = json_call(&app, "GET", "/v1/usage", None, Value::Null).await;
    assert_eq!(status, 401);
}

#[sqlx::test(migrations = "../migrations")]
async fn the_kafka_ingest_counts_the_gateways_events_once_across_a_restart(pool: PgPool) {
    use rdkafka::producer::{FutureProducer, FutureRecord};
    app::service::demo::seed::run(&pool).await.expect("seed");
    let (broker, _dir, _port, cfg) = crate::util::fresh_broker().await;
    let topic = format!("stoa.metering.{}", Uuid::new_v4().simple());
    server::metering::ensure_topic(&cfg, &topic).await.expect("topic");
    let app = TestApp::new(pool.clone());
    let alice = demo_cookie(&app, "alice").await;
    let (client, _) = new_application(&app, &alice, &pool, "Agent").await;
    let producer: FutureProducer =
        rdkafka::ClientConfig::new().set("bootstrap.servers", &cfg.brokers).create().expect("producer");
    let now = chrono::Utc::now();
    let events: Vec<Vec<u8>> = (0..200)
        .map(|i| {
            serde_json::to_vec(&stoa_event(&client, "list_customers", "success", 3 + i % 50, now))
                .expect("json")
        })
        .collect();
    let send_all = |payloads: Vec<Vec<u8>>| {
        let producer = producer.clone();
        let topic = topic.clone();
        async move {
            for p in payloads {
                producer
                    .send(FutureRecord::to(&topic).key("demo").payload(&p), Duration::from_secs(10))
                    .await
                    .expect("delivered");
            }
        }
    };
    send_all(events[..120].to_vec()).await;
    send_all(vec![b"{\"event_id\": 42}".to_vec()]).await;

    let counted = |expected: i64| {
        let pool = pool.clone();
        async move {
            for _ in 0..150 {
                let n = counted(&pool).await;
                if n == expected {
                    return;
                }
                assert!(n < expected, "counted {n}, more than {expected}");
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            panic!("never counted {expected}");
        }
    };
    let stop = CancellationToken::new();
    let ingest =
        tokio::spawn(server::metering::consume(cfg.clone(), topic.clone(), pool.clone(), 7, stop.clone()));
    counted(120).await;
    // Stopped, then the rest and the first 120 again; a new consumer resumes from the
    // offsets stored with the rollups, and the re-sent events are recognised.
    stop.cancel();
    ingest.await.expect("stopped");
    send_all(events[120..].to_vec()).await;
    send_all(events[..120].to_vec()).await;
    let stop = CancellationToken::new();
    let ingest =
        tokio::spawn(server::metering::consume(cfg.clone(), topic.clone(), pool.clone(), 7, stop.clone()));
    counted(200).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    counted(200).await;
    let (reason, offset): (String, Option<i64>) =
        sqlx::query_as("SELECT reason, kafka_offset FROM metering_dead_letters")
            .fetch_one(&pool)
            .await
            .expect("dead");
    assert!(reason.contains("invalid type"), "{reason}");
    assert_eq!(offset, Some(120), "the dead letter names its offset");
    let report = usage(&app, &alice, "period=1h").await;
    assert_eq!(report["totals"]["calls"], 200, "{}", report["totals"]);
    stop.cancel();
    ingest.await.expect("stopped");
    broker.stop().await;
}

/// The sum of every counted call, after checking that every view of the day rollups
/// (fine, by application, by API, by tenant pair, by tenant, in total, by operation with
/// and without the consumer's tenant) counts the same calls.
async fn counted(pool: &PgPool) -> i64 {
    let per_view: Vec<(i16, i64)> =
        sqlx::query_as("SELECT view, sum(calls)::int8 FROM usage_day GROUP BY view ORDER BY view")
            .fetch_all(pool)
            .await
            .expect("sums");
    let n = per_view.first().map_or(0, |(_, n)| *n);
    assert!(per_view.iter().all(|(_, v)| *v == n), "the views disagree: {per_view:?}");
    assert!(
        per_view.is_empty() || per_view.len() == app::domain::metering::rollup::View::ALL.len(),
        "a view is missing: {per_view:?}"
    );
    n
}

/// Waits until `expected` calls are counted (and fails at once if more are).
async fn await_counted(pool: &PgPool, expected: i64, limit: Duration) {
    let deadline = tokio::time::Instant::now() + limit;
    loop {
        let n = counted(pool).await;
        assert!(n <= expected, "counted {n}, more than {expected}");
        if n == expected {
            return;
        }
        assert!(tokio::time::Instant::now() < deadline, "counted {n} of {expected}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn with_the_broker_down_calls_are_answered_and_what_fits_is_counted_once_later(pool: PgPool) {
    use crate::util::{call, client, plan, publish};
    app::service::demo::seed::run(&pool).await.expect("seed");
    let port = crate::util::upstream().await;
    let kafka_port = crate::util::free_port();
    let cfg = app::config::KafkaConfig {
        brokers: format!("127.0.0.1:{kafka_port}"),
        group_id: format!("test-{}", Uuid::new_v4()),
    };
    let topic = format!("stoa.metering.{}", Uuid::new_v4().simple());
    let app = TestApp::with_env(
        pool.clone(),
        &[
            ("TRY_IT_ALLOWED_NETWORKS", "127.0.0.1/32"),
            ("KAFKA_BROKERS", &cfg.brokers),
            ("METERING_BUFFER", "100"),
        ],
    );
    let stop = CancellationToken::new();
    let publisher = tokio::spawn(server::metering::publish(
        app.state.meter.clone(),
        cfg.clone(),
        topic.clone(),
        stop.clone(),
    ));
    publish(&app, "echo", &format!("http://127.0.0.1:{port}/v1")).await;
    plan(&pool, "unlimited", None, None).await;
    let alice = demo_cookie(&app, "alice").await;
    let (_, key, _) = client(&app, &alice, "Busy", "echo", Some("unlimited")).await;

    // No broker: every call is still answered; the buffer keeps 100, the rest is dropped
    // and counted.
    for _ in 0..300 {
        let res = call(&app, "GET", "/gw/demo/echo/orders/1", Some(&key)).await;
        assert_eq!(res.status, 200, "{}", res.body);
    }
    let dropped = app.state.meter.dropped();
    assert!(dropped >= 100, "dropped {dropped}");
    let metrics = app.get("/metrics", &[]).await.body;
    assert!(metrics.contains(&format!("stoa_metering_events_dropped_total {dropped}")), "{metrics}");

    // The broker comes: what was kept is published and counted, once.
    let dir = std::env::temp_dir().join(format!("stoa-tansu-{}", Uuid::new_v4()));
    std::fs::create_dir_all(&dir).expect("dir");
    let broker = crate::util::Broker::start(kafka_port, &dir).await;
    let ingest =
        tokio::spawn(server::metering::consume(cfg.clone(), topic.clone(), pool.clone(), 7, stop.clone()));
    let kept = 300 - app.state.meter.dropped() as i64;
    await_counted(&pool, kept, Duration::from_secs(60)).await;
    tokio::time::sleep(Duration::from_millis(700)).await;
    await_counted(&pool, kept, Duration::from_secs(1)).await;
    stop.cancel();
    let _ = publisher.await;
    let _ = ingest.await;
    broker.stop().await;
}

#[sqlx::test(migrations = "../migrations")]
async fn a_server_killed_while_ingesting_loses_and_doubles_nothing(pool: PgPool) {
    use rdkafka::producer::{FutureProducer, FutureRecord};
    app::service::demo::seed::run(&pool).await.expect("seed");
    let (broker, dir, _port, cfg) = crate::util::fresh_broker().await;
    let topic = format!("stoa.metering.{}", Uuid::new_v4().simple());
    server::metering::ensure_topic(&cfg, &topic).await.expect("topic");
    let producer: FutureProducer = rdkafka::ClientConfig::new()
        .set("bootstrap.servers", &cfg.brokers)
        .set("linger.ms", "20")
        .create()
        .expect("producer");
    let total = 30_000;
    let now = chrono::Utc::now();
    let mut deliveries = Vec::new();
    for i in 0..total {
        let e = serde_json::to_vec(&stoa_event("some-client", "get_weather", "success", 3 + i % 30, now))
            .expect("json");
        let key = format!("k{}", i % 3);
        deliveries
            .push(producer.send_result(FutureRecord::to(&topic).key(&key).payload(&e)).expect("queued"));
    }
    for d in deliveries {
        d.await.expect("delivered").expect("acknowledged");
    }
    // The server as a process, reading the topic into this test's database.
    let url = crate::util::database_url(&pool);
    let spawn = || {
        std::process::Command::new(env!("CARGO_BIN_EXE_server"))
            .arg("serve")
            .env("DATABASE_URL", &url)
            .env("PORT", crate::util::free_port().to_string())
            .env("KAFKA_BROKERS", &cfg.brokers)
            .env("KAFKA_GROUP_ID", &cfg.group_id)
            .env("METERING_TOPIC", &topic)
            .env("RUST_LOG", "warn")
            .env("DATA_DIR", dir.join("data"))
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .map(KillOnDrop)
            .expect("server starts")
    };
    let mut server = spawn();
    // Killed (SIGKILL) once some but not all events are counted.
    let deadline = tokio::time::Instant::now() + Duration::from_secs(120);
    loop {
        let n = counted(&pool).await;
        if n > 0 {
            assert!(n < total as i64, "all counted before the kill; make the topic longer");
            break;
        }
        assert!(tokio::time::Instant::now() < deadline, "the server counted nothing");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    server.0.kill().expect("SIGKILL");
    server.0.wait().expect("reaped");
    let at_kill = counted(&pool).await;
    // Restarted: it resumes from the offsets stored with the rollups.
    let mut server = spawn();
    await_counted(&pool, total as i64, Duration::from_secs(120)).await;
    tokio::time::sleep(Duration::from_secs(1)).await;
    await_counted(&pool, total as i64, Duration::from_secs(1)).await;
    let raw: i64 = sqlx::query_scalar("SELECT count(DISTINCT event_id) FROM metering_calls")
        .fetch_one(&pool)
        .await
        .expect("raw");
    assert_eq!(raw, total as i64);
    server.0.kill().expect("stop");
    server.0.wait().expect("reaped");
    broker.stop().await;
    eprintln!("killed at {at_kill} of {total} counted");
}

/// Every answer of `/v1/usage` is read from the smallest rollup view that keeps what the
/// query needs, and its breakdown from day rows with finer edges: whatever the view,
/// the period or the grouping, the groups add up to the totals and the totals are the
/// same calls and latencies.
#[sqlx::test(migrations = "../migrations")]
async fn every_view_and_tiling_of_the_rollups_gives_the_same_figures(pool: PgPool) {
    use app::auth::CurrentUser;
    use app::domain::role::Role;
    use app::model::metering::{GroupBy, Period, UsageQuery};
    use bench::metering::{generate, owner, tenant};
    generate(&pool, 30_000, 30).await.expect("generated");
    let user = |id: Uuid, t: String, role: Role| CurrentUser {
        id,
        username: format!("u-{id}"),
        display_name: "U".into(),
        tenant_id: t,
        roles: vec![role],
    };
    let users = [
        ("platform admin", user(Uuid::nil(), "demo".into(), Role::CpiAdmin)),
        ("tenant admin", user(owner(3), tenant(3), Role::TenantAdmin)),
        ("consumer", user(owner(5), tenant(5), Role::Viewer)),
    ];
    for (who, u) in &users {
        for period in [Period::Hour, Period::Day, Period::Week, Period::Month] {
            let plain = app::service::usage::report::usage(
                &pool,
                u,
                &UsageQuery { period: Some(period), ..Default::default() },
            )
            .await
            .expect("usage");
            assert!(plain.totals.calls > 0 || period == Period::Hour, "{who} {period:?}: no calls");
            for group_by in
                [GroupBy::Application, GroupBy::Api, GroupBy::Tool, GroupBy::Status, GroupBy::Tenant]
            {
                let q = UsageQuery { period: Some(period), group_by: Some(group_by), ..Default::default() };
                let r = app::service::usage::report::usage(&pool, u, &q).await.expect("usage");
                let what = format!("{who}, {period:?} by {group_by:?}");
                assert_eq!(r.totals, plain.totals, "{what}: totals");
                let calls: u64 = r.groups.iter().map(|g| g.figures.calls).sum();
                assert_eq!(calls, r.totals.calls, "{what}: groups add up");
                let bytes: u64 = r.groups.iter().map(|g| g.figures.response_bytes).sum();
                assert_eq!(bytes, r.totals.response_bytes, "{what}: bytes add up");
                let success: u64 = r.series.iter().map(|p| p.figures.success).sum();
                assert_eq!(success, r.totals.success, "{what}: series adds up");
                if group_by == GroupBy::Api && *who == "platform admin" && period == Period::Month {
                    // Every tenant has an `api-0`: the groups keep them apart.
                    assert!(r
                        .groups
                        .iter()
                        .all(|g| g.key.starts_with("bench-usage-") && g.key.contains("/api-")));
                    assert!(r.groups.len() > 5, "{what}: {} groups", r.groups.len());
                }
            }
        }
    }
    // The consumer's figures are its applications' calls, read from the fine view too.
    let (_, consumer) = &users[2];
    let week =
        UsageQuery { period: Some(Period::Week), group_by: Some(GroupBy::Application), ..Default::default() };
    let r = app::service::usage::report::usage(&pool, consumer, &week).await.expect("usage");
    for g in &r.groups {
        let app_id: Uuid = g.key.parse().expect("an application");
        let one = UsageQuery {
            period: Some(Period::Week),
            application_id: Some(app_id),
            tool: None,
            ..Default::default()
        };
        let by_tool = UsageQuery { group_by: Some(GroupBy::Tool), ..one.clone() };
        let a = app::service::usage::report::usage(&pool, consumer, &one).await.expect("usage");
        let b = app::service::usage::report::usage(&pool, consumer, &by_tool).await.expect("usage");
        assert_eq!(exact(&a.totals), exact(&g.figures), "the application's own figures");
        assert_eq!(exact(&b.totals), exact(&g.figures), "the same, read from the fine view");
    }
}

/// The figures without the mean latency, whose last bits depend on the order of the sum.
fn exact(f: &app::model::metering::Figures) -> app::model::metering::Figures {
    let mean = f.mean_ms.map(|m| (m * 1e6).round() / 1e6);
    app::model::metering::Figures { mean_ms: mean, ..f.clone() }
}

/// The housekeeping sweep forgets what is past its retention — minute rows after 7 days,
/// hour rows after 90, the ids of late events once the raw window has passed them — and
/// keeps every day row: the year's figures stay whole.
#[sqlx::test(migrations = "../migrations")]
async fn the_sweep_forgets_what_is_past_its_retention_and_keeps_every_day(pool: PgPool) {
    use app::db::metering::rollups::table;
    use app::domain::metering::rollup::Rollup;
    app::service::demo::seed::run(&pool).await.expect("seed");
    let now = chrono::Utc::now();
    let payloads: Vec<Vec<u8>> = [1, 8, 91, 400]
        .into_iter()
        .map(|days| stoa_event("a-client", "get_weather", "success", 5, now - chrono::Duration::days(days)))
        .map(|e| serde_json::to_vec(&e).expect("json"))
        .collect();
    let messages: Vec<Message> = payloads.iter().map(|p| Message { payload: p, position: None }).collect();
    assert_eq!(ingest(&pool, 7, "test", None, &messages).await.expect("ingest").counted, 4);
    let buckets = async |rollup: Rollup| -> i64 {
        sqlx::query_scalar(&format!("SELECT count(DISTINCT bucket) FROM {}", table(rollup)))
            .fetch_one(&pool)
            .await
            .expect("buckets")
    };
    let late = async || -> i64 {
        sqlx::query_scalar("SELECT count(*) FROM metering_late_seen").fetch_one(&pool).await.expect("late")
    };
    for rollup in Rollup::ALL {
        assert_eq!(buckets(rollup).await, 4, "{rollup:?} rows of each call");
    }
    assert_eq!(late().await, 3, "the calls older than the raw window are noted as late");
    // One late id was noted before the raw window began.
    sqlx::query(
        "UPDATE metering_late_seen SET seen_at = now() - interval '8 days'
         WHERE event_id = (SELECT event_id FROM metering_late_seen LIMIT 1)",
    )
    .execute(&pool)
    .await
    .expect("age a late id");

    app::service::metering::ingest::sweep(&pool, 7).await.expect("sweep");
    assert_eq!(buckets(Rollup::Minute).await, 1, "minute rows are kept 7 days");
    assert_eq!(buckets(Rollup::Hour).await, 2, "hour rows are kept 90 days");
    assert_eq!(buckets(Rollup::Day).await, 4, "day rows are kept");
    assert_eq!(counted(&pool).await, 4, "every call is still in the day rollups");
    assert_eq!(late().await, 2, "a late id older than the raw window is forgotten");
}

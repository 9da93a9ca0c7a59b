//! Faults with real processes (issue 17): a slow upstream behind the gateway and try-it;
//! a replica killed (SIGKILL) in the middle of approvals and their relay while another
//! goes on; Postgres stopped and started again under a server's load. (The broker's
//! outages are in `kafka.rs` and `metering.rs`.)

use crate::util::{demo_cookie, server_process, server_process_at, wait_ready, OwnPostgres, TestApp};
use serde_json::{json, Value};
use sqlx::PgPool;
use std::time::{Duration, Instant};

/// An upstream that answers `/slow` after 30 s and everything else at once.
async fn delaying_upstream() -> u16 {
    let app = axum::Router::new().fallback(|req: axum::extract::Request| async move {
        if req.uri().path().ends_with("/slow") {
            tokio::time::sleep(Duration::from_secs(30)).await;
        }
        ([("content-type", "application/json")], json!({ "path": req.uri().path() }).to_string())
    });
    crate::util::serve_upstream(app).await
}

#[sqlx::test(migrations = "../migrations")]
async fn a_slow_upstream_gets_a_clear_504_in_bounded_time_and_other_calls_go_on(pool: PgPool) {
    use crate::util::{call, client, plan, publish};
    app::service::demo::seed::run(&pool).await.expect("seed");
    let port = delaying_upstream().await;
    let app = TestApp::with_env(
        pool.clone(),
        &[("TRY_IT_ALLOWED_NETWORKS", "127.0.0.1/32"), ("GATEWAY_TIMEOUT_SECS", "2")],
    );
    publish(&app, "echo", &format!("http://127.0.0.1:{port}/v1")).await;
    plan(&pool, "open", None, None).await;
    let alice = demo_cookie(&app, "alice").await;
    let (_, key, _) = client(&app, &alice, "Patient", "echo", Some("open")).await;

    // 16 calls to the slow operation, then 64 to a quick one while those wait.
    let started = Instant::now();
    let slow: Vec<_> = (0..16)
        .map(|_| {
            let (app, key) = (app.clone(), key.clone());
            tokio::spawn(async move {
                let res = call(&app, "GET", "/gw/demo/echo/slow", Some(&key)).await;
                (res.status.as_u16(), res.body, started.elapsed())
            })
        })
        .collect();
    tokio::time::sleep(Duration::from_millis(200)).await;
    let quick: Vec<_> = (0..64)
        .map(|i| {
            let (app, key) = (app.clone(), key.clone());
            tokio::spawn(async move {
                let res = call(&app, "GET", &format!("/gw/demo/echo/orders/{i}"), Some(&key)).await;
                (res.status.as_u16(), started.elapsed())
            })
        })
        .collect();
    let mut quick_done = Duration::ZERO;
    for q in quick {
        let (status, at) = q.await.expect("quick call");
        assert_eq!(status, 200, "a quick call failed while slow ones waited");
        quick_done = quick_done.max(at);
    }
    let mut first_slow = Duration::MAX;
    for s in slow {
        let (status, body, at) = s.await.expect("slow call");
        let body: Value = serde_json::from_str(&body).expect("json");
        assert_eq!((status, body["error"].as_str()), (504, Some("upstream_timeout")), "{body}");
        assert!(
            body["message"].as_str().is_some_and(|m| m.contains("2 s")),
            "says how long it waited: {body}"
        );
        // Bounded: the gateway's 2 s, not the upstream's 30 s.
        assert!(at < Duration::from_secs(15), "a slow call waited {at:?}");
        first_slow = first_slow.min(at);
    }
    assert!(
        quick_done < first_slow,
        "the quick calls were not held up: all done at {quick_done:?}, first timeout at {first_slow:?}"
    );

    // Try-it on the slow operation: the page says the server did not answer in time.
    let form = "tenant=demo&api=echo&version=1.0.0&environment=prod&method=get&path=%2Fslow&op=op-get--slow";
    let t0 = Instant::now();
    let res = app.post_form("/try-it", form, &[("cookie", &alice)]).await;
    assert_eq!(res.status, 303, "{}", res.body);
    assert!(t0.elapsed() < Duration::from_secs(25), "try-it waited {:?}", t0.elapsed());
    let page = app.get(res.header("location").expect("location"), &[("cookie", &alice)]).await;
    assert!(page.body.contains("did not answer within 10 seconds"), "{}", page.body);
}

/// A signed-in session against `base` (sessions live in Postgres: any replica knows it).
async fn sign_in_at(base: &str, user: &str) -> String {
    let http =
        reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().expect("client");
    let res = http
        .post(format!("{base}/api/login"))
        .header("accept", "text/html")
        .form(&[("username", user), ("password", "stoa-demo"), ("next", "/")])
        .send()
        .await
        .expect("sign in");
    assert!(res.status().is_redirection(), "{}", res.status());
    res.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with("stoa_session="))
        .map(|c| c.split(';').next().unwrap_or_default().to_owned())
        .expect("session cookie")
}

/// A JSON call through the first replica that answers (as a load balancer retries a
/// connection that was refused).
async fn through(
    http: &reqwest::Client,
    bases: &[&str],
    path: &str,
    cookie: &str,
    body: Value,
) -> (u16, Value) {
    for base in bases {
        match http.post(format!("{base}{path}")).header("cookie", cookie).json(&body).send().await {
            Ok(res) => {
                let status = res.status().as_u16();
                return (status, res.json().await.unwrap_or(Value::Null));
            }
            Err(e) if e.is_connect() => continue,
            Err(e) => return (0, json!({ "transport": e.to_string() })),
        }
    }
    panic!("no replica answered {path}");
}

#[sqlx::test(migrations = "../migrations")]
async fn a_replica_killed_mid_approvals_and_relay_loses_and_doubles_nothing(pool: PgPool) {
    app::service::demo::seed::run(&pool).await.expect("seed");
    let dir = std::env::temp_dir().join(format!("stoa-kill-{}", uuid::Uuid::new_v4()));
    let ((mut a_proc, a), (_b_proc, b)) =
        (server_process(&pool, &dir.join("a"), &[]), server_process(&pool, &dir.join("b"), &[]));
    let http = reqwest::Client::new();
    wait_ready(&http, &a).await;
    wait_ready(&http, &b).await;
    let alice = sign_in_at(&a, "alice").await;
    let tara = sign_in_at(&b, "tara").await;

    // 40 applications of alice's, each asking for the premium plan (it waits for Tara).
    let mut subs = Vec::new();
    for i in 0..40 {
        let base = if i % 2 == 0 { &a } else { &b };
        let (status, app) = through(
            &http,
            &[base],
            "/v1/applications",
            &alice,
            json!({ "name": format!("Killed {i}"), "security_profile": "api_key" }),
        )
        .await;
        assert_eq!(status, 201, "{app}");
        let body = json!({ "application_id": app["id"], "tenant": "demo", "entry": "weather-forecast", "plan": "premium" });
        let (status, sub) = through(&http, &[base], "/v1/subscriptions", &alice, body).await;
        assert_eq!(status, 201, "{sub}");
        subs.push(sub["id"].as_str().expect("id").to_owned());
    }
    // Tara approves them all, half through each replica, 8 at a time; A is killed with
    // SIGKILL after the first few decisions, while its relay has events in hand.
    let decided = futures::future::join_all(subs.iter().enumerate().map(|(i, id)| {
        let (http, tara, a, b) = (http.clone(), tara.clone(), a.clone(), b.clone());
        let id = id.clone();
        async move {
            tokio::time::sleep(Duration::from_millis(25 * i as u64)).await;
            let order: [&str; 2] = if i % 2 == 0 { [&a, &b] } else { [&b, &a] };
            let path = format!("/v1/subscriptions/{id}/decision");
            through(&http, &order, &path, &tara, json!({ "action": "approve" })).await
        }
    }));
    let killer = async {
        tokio::time::sleep(Duration::from_millis(300)).await;
        a_proc.0.kill().expect("SIGKILL");
        a_proc.0.wait().expect("reaped");
    };
    let (answers, ()) = tokio::join!(decided, killer);
    // A decision whose connection died with A may or may not have been made: it is made
    // once either way. Ask again through B what is still pending.
    for (id, (status, _)) in subs.iter().zip(&answers) {
        if *status != 200 {
            let path = format!("/v1/subscriptions/{id}/decision");
            let (status, out) = through(&http, &[&b], &path, &tara, json!({ "action": "approve" })).await;
            assert!(status == 200 || status == 409, "{status} {out}");
        }
    }

    // B relays what A left: every event published, each handled once.
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let (pending, unlogged): (i64, i64) = sqlx::query_as(
            "SELECT (SELECT count(*) FROM outbox WHERE published_at IS NULL),
                    (SELECT count(*) FROM outbox o WHERE NOT EXISTS (SELECT 1 FROM event_log e WHERE e.event_id = o.id))",
        )
        .fetch_one(&pool)
        .await
        .expect("outbox");
        if pending == 0 && unlogged == 0 {
            break;
        }
        assert!(Instant::now() < deadline, "{pending} events unpublished, {unlogged} not handled after 30 s");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let doubled: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM (SELECT event_id FROM event_log GROUP BY event_id HAVING count(*) > 1) d",
    )
    .fetch_one(&pool)
    .await
    .expect("doubles");
    assert_eq!(doubled, 0, "an event was handled twice");
    // Each subscription approved once: its state, one approval event, one notice to alice.
    let per_sub: Vec<(String, i64, i64)> = sqlx::query_as(
        "SELECT s.state,
                (SELECT count(*) FROM outbox o WHERE o.event_type = 'dev.gostoa.subscription.approved'
                   AND o.envelope->'data'->>'subscription' = s.id::text),
                (SELECT count(*) FROM notifications n JOIN users u ON u.id = n.user_id
                   WHERE u.username = 'alice' AND n.kind = 'subscription-approved' AND n.data->>'subscription' = s.id::text)
         FROM subscriptions s WHERE s.id::text = ANY($1)",
    )
    .bind(&subs)
    .fetch_all(&pool)
    .await
    .expect("subscriptions");
    assert_eq!(per_sub.len(), 40);
    for (state, events, notices) in &per_sub {
        assert_eq!((state.as_str(), *events, *notices), ("active", 1, 1), "{per_sub:?}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// What one request of the load got, and when it started.
struct Outcome {
    started: Instant,
    status: u16,
    /// The application a 201 made.
    created: Option<String>,
}

#[tokio::test]
async fn postgres_restarted_under_load_the_server_recovers_alone_and_nothing_is_half_written() {
    let pg = OwnPostgres {
        dir: std::env::temp_dir().join(format!("stoa-pg-restart-{}", uuid::Uuid::new_v4())),
        port: crate::util::free_port(),
    };
    pg.pg("start");
    let url = pg.url();
    let seeded = std::process::Command::new(env!("CARGO_BIN_EXE_server"))
        .arg("seed")
        .env("DATABASE_URL", &url)
        .env("RUST_LOG", "warn")
        .stdout(std::process::Stdio::null())
        .status()
        .expect("seed");
    assert!(seeded.success());
    let (mut server, base) = server_process_at(&url, &pg.dir.join("data-dir"), &[]);
    let http = reqwest::Client::builder().timeout(Duration::from_secs(20)).build().expect("client");
    wait_ready(&http, &base).await;
    let alice = sign_in_at(&base, "alice").await;

    // Load: 6 connections, each creating applications and reading the catalog.
    let stop = tokio_util::sync::CancellationToken::new();
    let load: Vec<_> = (0..6)
        .map(|w| {
            let (http, base, alice, stop) = (http.clone(), base.clone(), alice.clone(), stop.clone());
            tokio::spawn(async move {
                let mut out = Vec::new();
                let mut n = 0;
                while !stop.is_cancelled() {
                    n += 1;
                    let started = Instant::now();
                    let (status, created) = if n % 2 == 0 {
                        let body =
                            json!({ "name": format!("Outage {w}-{n}"), "security_profile": "api_key" });
                        match http
                            .post(format!("{base}/v1/applications"))
                            .header("cookie", &alice)
                            .json(&body)
                            .send()
                            .await
                        {
                            Ok(res) => {
                                let status = res.status().as_u16();
                                let v: Value = res.json().await.unwrap_or(Value::Null);
                                (status, v["id"].as_str().map(str::to_owned))
                            }
                            Err(_) => (0, None),
                        }
                    } else {
                        match http.get(format!("{base}/catalog")).send().await {
                            Ok(res) => (res.status().as_u16(), None),
                            Err(_) => (0, None),
                        }
                    };
                    out.push(Outcome { started, status, created });
                    tokio::time::sleep(Duration::from_millis(20)).await;
                }
                out
            })
        })
        .collect();

    tokio::time::sleep(Duration::from_secs(2)).await;
    pg.pg("stop");
    // Not ready while the database is away.
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let status =
            http.get(format!("{base}/readyz")).send().await.map(|r| r.status().as_u16()).unwrap_or(0);
        if status == 503 {
            break;
        }
        assert!(Instant::now() < deadline, "/readyz still says {status} with the database stopped");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // Longer than the pool's 5 s wait for a connection: requests must give up, not hang.
    tokio::time::sleep(Duration::from_secs(7)).await;
    pg.pg("start");
    // Ready again, without a restart.
    let deadline = Instant::now() + Duration::from_secs(30);
    while http.get(format!("{base}/readyz")).send().await.map(|r| r.status().as_u16()).unwrap_or(0) != 200 {
        assert!(Instant::now() < deadline, "not ready 30 s after the database came back");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let recovered = Instant::now();
    tokio::time::sleep(Duration::from_secs(3)).await;
    stop.cancel();
    let mut outcomes = Vec::new();
    for l in load {
        outcomes.extend(l.await.expect("load"));
    }
    assert!(server.0.try_wait().expect("status").is_none(), "the server stopped");

    // After recovery, every request succeeds.
    let after: Vec<&Outcome> = outcomes.iter().filter(|o| o.started > recovered).collect();
    assert!(after.len() > 20, "too little load after recovery: {}", after.len());
    let failed: Vec<u16> =
        after.iter().filter(|o| !(200..300).contains(&o.status)).map(|o| o.status).collect();
    assert!(failed.is_empty(), "requests failed after recovery: {failed:?}");
    // During the outage the answers said "unavailable" (503), not hangs (the client waits
    // 20 s) nor internal errors.
    let during: Vec<u16> =
        outcomes.iter().filter(|o| !(200..300).contains(&o.status)).map(|o| o.status).collect();
    assert!(!during.is_empty(), "no request saw the outage");
    assert!(during.iter().all(|s| *s == 503), "answers during the outage: {during:?}");

    // All or nothing: each application has its event and its audit entry, and each
    // application an answer named exists.
    let db = sqlx::PgPool::connect(&url).await.expect("db");
    let half: Vec<(String, i64, i64)> = sqlx::query_as(
        "SELECT a.name,
                (SELECT count(*) FROM outbox o WHERE o.event_type = 'dev.gostoa.app.app-created'
                   AND o.envelope::text LIKE '%' || a.id::text || '%'),
                (SELECT count(*) FROM audit_log l WHERE l.action = 'apps.created'
                   AND (l.subject = a.id::text OR l.detail::text LIKE '%' || a.id::text || '%'))
         FROM applications a WHERE a.name LIKE 'Outage %'",
    )
    .fetch_all(&db)
    .await
    .expect("applications");
    assert!(!half.is_empty());
    for (name, events, audits) in &half {
        assert_eq!((*events, *audits), (1, 1), "{name}: half written");
    }
    let acknowledged: Vec<String> = outcomes.iter().filter_map(|o| o.created.clone()).collect();
    let found: i64 = sqlx::query_scalar("SELECT count(*) FROM applications WHERE id::text = ANY($1)")
        .bind(&acknowledged)
        .fetch_one(&db)
        .await
        .expect("found");
    assert_eq!(found as usize, acknowledged.len(), "an application answered 201 is missing");
    db.close().await;
    drop(server);
}

//! The event backbone in Kafka mode, against a real Kafka-protocol broker (tansu) that the
//! test starts, stops and restarts. Storage is a SQLite file, so a restart is a restart,
//! not a new empty broker.

use crate::events::{assert_logged_once, write_events, write_rolled_back_event};
use app::config::KafkaConfig;
use app::db::{event_log, outbox};
use server::events::kafka::{consume, KafkaPublisher};
use server::events::relay::{Relay, Sink};
use server::events::{Dispatcher, Handled};
use sqlx::PgPool;
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;
use tokio::process::{Child, Command};
use tokio::sync::broadcast;
use tokio_util::sync::CancellationToken;
use uuid::Uuid;

/// A tansu broker process on a port of its own.
pub(crate) struct Broker {
    child: Child,
}

fn tansu() -> PathBuf {
    let home = std::env::var("HOME").unwrap_or_default();
    let cargo_bin = PathBuf::from(home).join(".cargo/bin/tansu");
    if cargo_bin.exists() {
        cargo_bin
    } else {
        PathBuf::from("tansu")
    }
}

pub(crate) fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").expect("bind").local_addr().expect("addr").port()
}

impl Broker {
    /// Starts tansu in `dir`, storing everything in `dir/tansu.db` (tansu resolves a
    /// SQLite path against its working directory).
    pub(crate) async fn start(port: u16, dir: &Path) -> Broker {
        let url = format!("tcp://127.0.0.1:{port}");
        let log =
            std::fs::OpenOptions::new().create(true).append(true).open(dir.join("broker.log")).expect("log");
        let child = Command::new(tansu())
            .arg("broker")
            .args(["--listener-url", &url, "--advertised-listener-url", &url])
            .args(["--storage-engine", "sqlite://tansu.db"])
            .current_dir(dir)
            .stdout(Stdio::null())
            .stderr(log)
            .kill_on_drop(true)
            .spawn()
            .expect("tansu starts (make test installs it)");
        // Ready when it accepts connections.
        let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
        while tokio::net::TcpStream::connect(("127.0.0.1", port)).await.is_err() {
            assert!(tokio::time::Instant::now() < deadline, "tansu did not listen on {port}");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        Broker { child }
    }

    pub(crate) async fn stop(mut self) {
        self.child.kill().await.expect("kill tansu");
    }
}

/// Waits until every id in `ids` was handled by the event log (each notice arrives once
/// per first-time handling), or fails after `limit`.
async fn await_handled(rx: &mut broadcast::Receiver<Handled>, ids: &[Uuid], limit: Duration) {
    let mut waiting: HashSet<Uuid> = ids.iter().copied().collect();
    let wait = async {
        while !waiting.is_empty() {
            match rx.recv().await {
                Ok(h) => {
                    waiting.remove(&h.event_id);
                }
                Err(broadcast::error::RecvError::Lagged(n)) => panic!("missed {n} notices"),
                Err(broadcast::error::RecvError::Closed) => panic!("dispatcher gone"),
            }
        }
    };
    if tokio::time::timeout(limit, wait).await.is_err() {
        panic!("{} event(s) not handled within {limit:?}", ids.len());
    }
}

/// A broker on a free port with its storage in a fresh directory, and the settings of a
/// new consumer group for it: (broker, directory, port, settings).
pub(crate) async fn fresh_broker() -> (Broker, PathBuf, u16, KafkaConfig) {
    let dir = std::env::temp_dir().join(format!("stoa-tansu-{}", Uuid::new_v4()));
    std::fs::create_dir_all(&dir).expect("broker dir");
    let port = free_port();
    let broker = Broker::start(port, &dir).await;
    let cfg =
        KafkaConfig { brokers: format!("127.0.0.1:{port}"), group_id: format!("test-{}", Uuid::new_v4()) };
    (broker, dir, port, cfg)
}

#[sqlx::test(migrations = "../migrations")]
async fn kafka_mode_delivers_each_event_once_across_a_broker_outage(pool: PgPool) {
    let (broker, dir, port, cfg) = fresh_broker().await;
    let dispatcher = Dispatcher::standard(pool.clone());
    let mut handled = dispatcher.subscribe();
    let shutdown = CancellationToken::new();
    let consumer = tokio::spawn(consume(cfg.clone(), dispatcher, shutdown.clone()));
    let relay =
        tokio::spawn(Relay::new(pool.clone(), Sink::Kafka(KafkaPublisher::new(cfg))).run(shutdown.clone()));

    // Phase 1: N events in N transactions, one rolled back among them.
    let ghost = write_rolled_back_event(&pool).await;
    let first = write_events(&pool, 40).await;
    await_handled(&mut handled, &first, Duration::from_secs(60)).await;

    // Phase 2: the broker goes away; new events wait in the outbox.
    broker.stop().await;
    let second = write_events(&pool, 40).await;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
    loop {
        let tried: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM outbox WHERE id = ANY($1) AND published_at IS NULL AND attempts > 0",
        )
        .bind(&second)
        .fetch_one(&pool)
        .await
        .expect("count");
        if tried > 0 {
            break;
        }
        assert!(tokio::time::Instant::now() < deadline, "the relay never tried while the broker was down");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert_eq!(outbox::backlog(&pool).await.expect("backlog"), 40, "nothing lost, nothing marked published");
    let early = event_log::times_logged(&pool, &second).await.expect("counts");
    assert!(early.iter().all(|(_, n)| *n == 0), "nothing handled while the broker was down");

    // Phase 3: the broker comes back on the same storage; everything arrives, once.
    let broker = Broker::start(port, &dir).await;
    await_handled(&mut handled, &second, Duration::from_secs(90)).await;

    shutdown.cancel();
    let _ = tokio::join!(consumer, relay);
    broker.stop().await;
    std::fs::remove_dir_all(&dir).ok();

    let all: Vec<Uuid> = first.iter().chain(&second).copied().collect();
    assert_logged_once(&pool, &all).await;
    assert_eq!(outbox::backlog(&pool).await.expect("backlog"), 0);
    assert!(!outbox::contains(&pool, ghost).await.expect("lookup"));
    assert_eq!(
        event_log::times_logged(&pool, &[ghost]).await.expect("count")[0].1,
        0,
        "a rolled-back event is never published"
    );
}

/// The same subscription journey as without Kafka: the request's event travels through
/// the broker to the notification consumer, which tells the tenant-admins.
#[sqlx::test(migrations = "../migrations")]
async fn kafka_mode_notifies_approvers_of_a_pending_subscription(pool: PgPool) {
    app::service::demo::seed::run(&pool).await.expect("seed");
    let (broker, dir, _, cfg) = fresh_broker().await;
    let shutdown = CancellationToken::new();
    let consumer = tokio::spawn(consume(cfg.clone(), Dispatcher::standard(pool.clone()), shutdown.clone()));
    let relay =
        tokio::spawn(Relay::new(pool.clone(), Sink::Kafka(KafkaPublisher::new(cfg))).run(shutdown.clone()));

    let app = crate::helpers::TestApp::new(pool.clone());
    let alice = crate::helpers::demo_cookie(&app, "alice").await;
    let body = serde_json::json!({ "name": "Through Kafka", "security_profile": "api_key" });
    let (_, created) = crate::helpers::json_call(&app, "POST", "/v1/applications", Some(&alice), body).await;
    let body = serde_json::json!({
        "application_id": created["id"], "tenant": "demo", "entry": "weather-forecast", "plan": "premium",
    });
    let (status, sub) =
        crate::helpers::json_call(&app, "POST", "/v1/subscriptions", Some(&alice), body).await;
    assert_eq!((status, sub["state"].as_str()), (201, Some("pending")), "{sub}");

    let deadline = tokio::time::Instant::now() + Duration::from_secs(90);
    let subjects: Vec<String> = loop {
        let found: Vec<String> = sqlx::query_scalar(
            "SELECT n.subject FROM notifications n JOIN users u ON u.id = n.user_id
             WHERE u.username = 'tara' AND n.kind = 'subscription-pending'",
        )
        .fetch_all(&pool)
        .await
        .expect("notifications");
        if !found.is_empty() {
            break found;
        }
        assert!(tokio::time::Instant::now() < deadline, "no notification through Kafka");
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    shutdown.cancel();
    let _ = tokio::join!(consumer, relay);
    broker.stop().await;
    std::fs::remove_dir_all(&dir).ok();
    assert_eq!(subjects, ["Weather Forecast API · Premium · Through Kafka"]);
}

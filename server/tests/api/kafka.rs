//! The event backbone in Kafka mode, against a real Kafka-protocol broker (tansu) that the
//! test starts, stops and restarts. Storage is a SQLite file, so a restart is a restart,
//! not a new empty broker.

use crate::util::{assert_logged_once, fresh_broker, write_events, write_rolled_back_event, Broker};
use app::db::{event_log, outbox};
use server::events::kafka::{consume, KafkaPublisher};
use server::events::relay::{Relay, Sink};
use server::events::{Dispatcher, Handled};
use sqlx::PgPool;
use std::collections::HashSet;
use std::time::Duration;
use tokio::sync::broadcast;
use tokio_util::sync::CancellationToken;
use uuid::Uuid;

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

    let app = crate::util::TestApp::new(pool.clone());
    let alice = crate::util::demo_cookie(&app, "alice").await;
    let application = crate::util::application(&app, &alice, "Through Kafka").await;
    let body = serde_json::json!({
        "application_id": application, "tenant": "demo", "entry": "weather-forecast", "plan": "premium",
    });
    let (status, sub) = crate::util::json_call(&app, "POST", "/v1/subscriptions", Some(&alice), body).await;
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

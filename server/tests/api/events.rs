//! The event backbone in embedded mode (no Kafka): outbox → relay → in-process consumers.

use crate::util::{assert_logged_once, write_events, write_rolled_back_event};
use app::db::{event_log, outbox};
use app::domain::event::CloudEvent;
use server::events::relay::{Relay, Sink};
use server::events::Dispatcher;
use sqlx::PgPool;

#[sqlx::test(migrations = "../migrations")]
async fn embedded_relay_hands_each_committed_event_to_the_consumers_once(pool: PgPool) {
    let ghost = write_rolled_back_event(&pool).await;
    let ids = write_events(&pool, 50).await;
    let mut relay =
        Relay::new(pool.clone(), Sink::InProcess(Dispatcher::standard(pool.clone()))).batch_size(16);

    let mut published = 0;
    loop {
        let n = relay.drain_once().await.expect("drain");
        if n == 0 {
            break;
        }
        published += n;
    }

    assert_eq!(published, 50);
    assert_logged_once(&pool, &ids).await;
    assert_eq!(outbox::backlog(&pool).await.expect("backlog"), 0);
    assert!(
        !outbox::contains(&pool, ghost).await.expect("lookup"),
        "a rolled-back event never reaches the outbox"
    );
    assert_eq!(event_log::times_logged(&pool, &[ghost]).await.expect("count")[0].1, 0);
}

#[sqlx::test(migrations = "../migrations")]
async fn a_redelivered_event_is_handled_once(pool: PgPool) {
    let dispatcher = Dispatcher::standard(pool.clone());
    let ev = CloudEvent::new("dev.gostoa.test.ping", "demo", None, serde_json::json!({}));
    dispatcher.dispatch(&ev).await.expect("first delivery");
    dispatcher.dispatch(&ev).await.expect("second delivery is a no-op");
    assert_logged_once(&pool, &[ev.id]).await;
}

#[sqlx::test(migrations = "../migrations")]
async fn concurrent_relays_share_the_outbox_without_doubling(pool: PgPool) {
    let ids = write_events(&pool, 300).await;
    let relays = (0..3).map(|_| {
        let mut relay =
            Relay::new(pool.clone(), Sink::InProcess(Dispatcher::standard(pool.clone()))).batch_size(10);
        tokio::spawn(async move {
            let mut total = 0;
            // Stop after two empty claims in a row: the others may hold the rest.
            let mut empty = 0;
            while empty < 2 {
                match relay.drain_once().await.expect("drain") {
                    0 => empty += 1,
                    n => {
                        empty = 0;
                        total += n;
                    }
                }
            }
            total
        })
    });
    let mut total = 0;
    for relay in relays.collect::<Vec<_>>() {
        total += relay.await.expect("relay task");
    }
    // Whatever a relay skipped because another held it, someone published — once.
    let mut leftover = Relay::new(pool.clone(), Sink::InProcess(Dispatcher::standard(pool.clone())));
    total += leftover.drain_once().await.expect("drain");
    assert_eq!(total, 300, "each row published by exactly one relay");
    assert_logged_once(&pool, &ids).await;
}

#[sqlx::test(migrations = "../migrations")]
async fn the_seed_event_travels_the_whole_path(pool: PgPool) {
    let event = app::service::demo::seed::run(&pool).await.expect("seed");
    let dispatcher = Dispatcher::standard(pool.clone());
    let mut handled = dispatcher.subscribe();
    let mut relay = Relay::new(pool.clone(), Sink::InProcess(dispatcher));
    // The seed's own event, then the demo catalog's stoa.api.lifecycle events.
    let written: i64 =
        sqlx::query_scalar("SELECT count(*) FROM outbox").fetch_one(&pool).await.expect("count");
    assert!(written > 1);
    assert_eq!(relay.drain_once().await.expect("drain"), written as usize);
    let first = handled.recv().await.expect("handled notice");
    assert_eq!((first.consumer, first.event_id), ("event-log", event.id));
    let figures = app::db::platform::status(&pool).await.expect("figures");
    assert_eq!((figures.tenants, figures.events_handled), (3, written));
}

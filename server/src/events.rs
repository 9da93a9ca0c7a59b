//! The event backbone (DESIGN §4): the outbox relay, the Kafka producer and consumer
//! group, and the in-process consumers every event ends up at.
//!
//! Delivery is at-least-once end to end; consumers get exactly-once *effects* by
//! recording `(consumer, event id)` in the same transaction as their work.

pub mod consumers;
pub mod kafka;
pub mod relay;

use app::domain::event::CloudEvent;
use futures::future::BoxFuture;
use sqlx::{PgConnection, PgPool};
use std::sync::Arc;
use tokio::sync::broadcast;
use uuid::Uuid;

/// Something that reacts to events: notifications, read models, the event log…
pub trait Consumer: Send + Sync {
    /// Stable name, the key of its dedupe records.
    fn name(&self) -> &'static str;

    /// Whether it cares about events of this type.
    fn wants(&self, event_type: &str) -> bool;

    /// Handles one event inside `conn`'s transaction: commits with the dedupe record,
    /// or rolls back with it.
    fn handle<'a>(
        &'a self,
        conn: &'a mut PgConnection,
        event: &'a CloudEvent,
    ) -> BoxFuture<'a, Result<(), sqlx::Error>>;
}

/// A consumer finished with an event (broadcast to whoever listens: tests, live views).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Handled {
    pub consumer: &'static str,
    pub event_id: Uuid,
}

/// Hands each event to every interested consumer, once per consumer.
#[derive(Clone)]
pub struct Dispatcher {
    pool: PgPool,
    consumers: Arc<Vec<Arc<dyn Consumer>>>,
    handled: broadcast::Sender<Handled>,
}

impl Dispatcher {
    /// A dispatcher over `consumers`.
    pub fn new(pool: PgPool, consumers: Vec<Arc<dyn Consumer>>) -> Dispatcher {
        let (handled, _) = broadcast::channel(16_384);
        Dispatcher { pool, consumers: Arc::new(consumers), handled }
    }

    /// The standard set of consumers.
    pub fn standard(pool: PgPool) -> Dispatcher {
        Dispatcher::new(pool, vec![Arc::new(consumers::EventLog), Arc::new(consumers::Notifications)])
    }

    /// Receives a [`Handled`] for every first-time handling from now on.
    pub fn subscribe(&self) -> broadcast::Receiver<Handled> {
        self.handled.subscribe()
    }

    /// Delivers `event`. A consumer that already handled it is skipped; an error leaves
    /// that consumer's work rolled back so a redelivery can retry it.
    pub async fn dispatch(&self, event: &CloudEvent) -> Result<(), sqlx::Error> {
        for consumer in self.consumers.iter().filter(|c| c.wants(&event.event_type)) {
            let mut tx = self.pool.begin().await?;
            if !app::db::event_log::claim_once(&mut tx, consumer.name(), event.id).await? {
                tracing::debug!(consumer = consumer.name(), event_id = %event.id, "duplicate delivery skipped");
                continue;
            }
            consumer.handle(&mut tx, event).await?;
            tx.commit().await?;
            let _ = self.handled.send(Handled { consumer: consumer.name(), event_id: event.id });
        }
        Ok(())
    }
}

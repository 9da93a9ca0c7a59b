//! The outbox relay: claims unpublished rows (`FOR UPDATE SKIP LOCKED`, so replicas share
//! the work without doubling it), publishes them, marks them published — all in one
//! transaction, so a crash between publish and mark only means a redelivery.

use super::kafka::KafkaPublisher;
use super::Dispatcher;
use app::db::outbox::{self, Pending};
use sqlx::postgres::PgListener;
use sqlx::PgPool;
use std::time::Duration;
use tokio_util::sync::CancellationToken;

/// Where claimed events go.
pub enum Sink {
    /// Embedded mode (no `KAFKA_BROKERS`): straight to the in-process consumers.
    InProcess(Dispatcher),
    /// Kafka mode: to the broker; the consumer group feeds the consumers.
    Kafka(KafkaPublisher),
}

impl Sink {
    async fn publish(&mut self, batch: &[Pending]) -> Result<(), String> {
        match self {
            Sink::InProcess(dispatcher) => {
                for pending in batch {
                    dispatcher.dispatch(&pending.event).await.map_err(|e| format!("consumer failed: {e}"))?;
                }
                Ok(())
            }
            Sink::Kafka(publisher) => publisher.publish(batch).await,
        }
    }
}

/// The relay loop's settings and sink.
pub struct Relay {
    pool: PgPool,
    sink: Sink,
    batch_size: i64,
    poll_interval: Duration,
}

impl Relay {
    /// A relay publishing batches of up to 256 events, polling every second besides
    /// the database's notifications.
    pub fn new(pool: PgPool, sink: Sink) -> Relay {
        Relay { pool, sink, batch_size: 256, poll_interval: Duration::from_secs(1) }
    }

    /// Sets how many events one transaction claims.
    pub fn batch_size(mut self, n: i64) -> Relay {
        self.batch_size = n.max(1);
        self
    }

    /// Publishes one batch; returns how many events it published.
    pub async fn drain_once(&mut self) -> Result<usize, String> {
        let mut tx = self.pool.begin().await.map_err(|e| format!("database: {e}"))?;
        let batch = outbox::claim(&mut tx, self.batch_size).await.map_err(|e| format!("database: {e}"))?;
        if batch.is_empty() {
            return Ok(0);
        }
        let seqs: Vec<i64> = batch.iter().map(|p| p.seq).collect();
        match self.sink.publish(&batch).await {
            Ok(()) => {
                outbox::mark_published(&mut tx, &seqs).await.map_err(|e| format!("database: {e}"))?;
                tx.commit().await.map_err(|e| format!("database: {e}"))?;
                Ok(batch.len())
            }
            Err(e) => {
                outbox::mark_failed(&mut tx, &seqs, &e).await.map_err(|e| format!("database: {e}"))?;
                tx.commit().await.map_err(|e| format!("database: {e}"))?;
                Err(e)
            }
        }
    }

    /// Runs until `shutdown`: drains, then waits for a NOTIFY from a committing writer
    /// or the poll interval; backs off exponentially (up to 10 s) while publishing fails.
    pub async fn run(mut self, shutdown: CancellationToken) {
        let mut listener = self.listen().await;
        let mut backoff = Duration::from_millis(100);
        loop {
            if shutdown.is_cancelled() {
                return;
            }
            match self.drain_once().await {
                Ok(n) if n as i64 == self.batch_size => continue,
                Ok(n) => {
                    if n > 0 {
                        tracing::debug!(published = n, "outbox batch published");
                    }
                    backoff = Duration::from_millis(100);
                    let wake = async {
                        match listener.as_mut() {
                            Some(l) => {
                                if l.recv().await.is_err() {
                                    tokio::time::sleep(self.poll_interval).await;
                                }
                            }
                            None => tokio::time::sleep(self.poll_interval).await,
                        }
                    };
                    tokio::select! {
                        _ = shutdown.cancelled() => return,
                        _ = tokio::time::timeout(self.poll_interval, wake) => {}
                    }
                    if listener.is_none() {
                        listener = self.listen().await;
                    }
                }
                Err(e) => {
                    tracing::warn!(error = %e, retry_in_ms = backoff.as_millis() as u64, "outbox relay: publish failed, events stay in the outbox");
                    if let Sink::Kafka(publisher) = &mut self.sink {
                        publisher.reset();
                    }
                    tokio::select! {
                        _ = shutdown.cancelled() => return,
                        _ = tokio::time::sleep(backoff) => {}
                    }
                    backoff = (backoff * 2).min(Duration::from_secs(10));
                }
            }
        }
    }

    async fn listen(&self) -> Option<PgListener> {
        let mut listener = PgListener::connect_with(&self.pool).await.ok()?;
        listener.listen("stoa_outbox").await.ok()?;
        Some(listener)
    }
}

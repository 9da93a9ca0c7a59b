//! Metering's background work: draining the gateway's buffer (to Kafka, or straight into
//! the ingest in embedded mode), the Kafka ingest that counts any STOA gateway's events
//! and resumes from the offsets stored with its rollups, and the hourly housekeeping.

use app::config::KafkaConfig;
use app::model::metering::ToolCallEvent;
use app::service::metering::ingest::{self as metering, Message};
use app::service::metering::meter::Meter;
use rdkafka::admin::{AdminClient, AdminOptions, NewTopic, TopicReplication};
use rdkafka::client::DefaultClientContext;
use rdkafka::consumer::{Consumer as _, StreamConsumer};
use rdkafka::error::{KafkaError, RDKafkaErrorCode};
use rdkafka::message::Message as _;
use rdkafka::producer::{BaseRecord, DeliveryResult, Producer, ProducerContext, ThreadedProducer};
use rdkafka::{ClientContext, Offset, TopicPartitionList};
use std::sync::Arc;
use std::time::Duration;
use tokio_util::sync::CancellationToken;

/// Most events counted in one transaction.
pub const BATCH: usize = 5_000;
/// How long the in-process ingest gathers events before counting them.
const GATHER: Duration = Duration::from_millis(100);
/// Partitions of the metering topic when we create it (keyed by tenant).
const PARTITIONS: i32 = 3;

/// Counts the events our gateway recorded, in process (embedded mode): batches of up to
/// [`BATCH`], retried while the database is away (the buffer fills meanwhile, and the
/// gateway drops and counts what does not fit).
pub async fn in_process(meter: Arc<Meter>, pool: sqlx::PgPool, raw_days: u32, shutdown: CancellationToken) {
    let Some(mut rx) = meter.take_receiver() else { return };
    let mut batch: Vec<ToolCallEvent> = Vec::with_capacity(BATCH);
    loop {
        let n = tokio::select! {
            _ = shutdown.cancelled() => 0,
            n = rx.recv_many(&mut batch, BATCH) => n,
        };
        if n == 0 {
            return;
        }
        // Under load, gather for a moment: one transaction per 100 ms (or BATCH events)
        // costs the database far less than one per handful of calls.
        let gather = tokio::time::sleep(GATHER);
        tokio::pin!(gather);
        while batch.len() < BATCH {
            let room = BATCH - batch.len();
            tokio::select! {
                _ = &mut gather => break,
                n = rx.recv_many(&mut batch, room) => if n == 0 { break },
            }
        }
        let mut backoff = Duration::from_millis(100);
        let events = std::mem::take(&mut batch);
        loop {
            match metering::ingest_events(&pool, raw_days, events.clone()).await {
                Ok(_) => break,
                Err(e) => {
                    tracing::warn!(error = %e, events = events.len(), "metering: ingest failed, retrying");
                    tokio::select! {
                        _ = shutdown.cancelled() => return,
                        _ = tokio::time::sleep(backoff) => {}
                    }
                    backoff = (backoff * 2).min(Duration::from_secs(5));
                }
            }
        }
    }
}

/// Counts deliveries the broker never acknowledged.
struct Delivery(Arc<Meter>);

impl ClientContext for Delivery {}

impl ProducerContext for Delivery {
    type DeliveryOpaque = ();

    fn delivery(&self, result: &DeliveryResult<'_>, _: ()) {
        if result.is_err() {
            self.0.lost(1);
        }
    }
}

/// Creates the metering topic when missing.
pub async fn ensure_topic(cfg: &KafkaConfig, topic: &str) -> Result<(), String> {
    let admin: AdminClient<DefaultClientContext> =
        crate::events::kafka::base_config(cfg).create().map_err(|e| format!("kafka admin: {e}"))?;
    let opts = AdminOptions::new()
        .operation_timeout(Some(Duration::from_secs(5)))
        .request_timeout(Some(Duration::from_secs(5)));
    let new = [NewTopic::new(topic, PARTITIONS, TopicReplication::Fixed(1))];
    for result in admin.create_topics(&new, &opts).await.map_err(|e| format!("kafka admin: {e}"))? {
        match result {
            Ok(_) | Err((_, RDKafkaErrorCode::TopicAlreadyExists)) => {}
            Err((topic, code)) => return Err(format!("create topic {topic}: {code}")),
        }
    }
    Ok(())
}

/// Publishes the events our gateway recorded to `topic`, keyed by tenant, in the STOA
/// gateway's JSON shape. While the broker is away the producer keeps what its queue
/// holds (and retries); when that is full this task waits, the meter's buffer fills,
/// and further events are dropped and counted.
pub async fn publish(meter: Arc<Meter>, cfg: KafkaConfig, topic: String, shutdown: CancellationToken) {
    let Some(mut rx) = meter.take_receiver() else { return };
    let meter_capacity = meter.capacity();
    let producer: ThreadedProducer<Delivery> = match crate::events::kafka::base_config(&cfg)
        .set("enable.idempotence", "true")
        .set("acks", "all")
        .set("linger.ms", "20")
        .set("compression.type", "lz4")
        // The producer holds as many as the buffer: together what fits during an outage.
        .set("queue.buffering.max.messages", meter_capacity.to_string())
        // Keep retrying through a broker outage of up to five minutes.
        .set("message.timeout.ms", "300000")
        .create_with_context(Delivery(meter.clone()))
    {
        Ok(p) => p,
        Err(e) => {
            tracing::error!(error = %e, "metering: kafka producer cannot be created");
            return;
        }
    };
    while let Err(e) = ensure_topic(&cfg, &topic).await {
        tracing::warn!(error = %e, "metering: topic not ready, retrying");
        tokio::select! {
            _ = shutdown.cancelled() => return,
            _ = tokio::time::sleep(Duration::from_secs(1)) => {}
        }
    }
    let mut batch = Vec::with_capacity(1024);
    loop {
        let n = tokio::select! {
            _ = shutdown.cancelled() => 0,
            n = rx.recv_many(&mut batch, 1024) => n,
        };
        if n == 0 {
            break;
        }
        for event in batch.drain(..) {
            let Ok(payload) = serde_json::to_vec(&event) else { continue };
            let mut record = BaseRecord::to(&topic).key(&event.tenant_id).payload(&payload);
            loop {
                match producer.send(record) {
                    Ok(()) => break,
                    Err((KafkaError::MessageProduction(RDKafkaErrorCode::QueueFull), back)) => {
                        record = back;
                        tokio::time::sleep(Duration::from_millis(50)).await;
                        if shutdown.is_cancelled() {
                            meter.lost(1);
                            break;
                        }
                    }
                    Err((e, _)) => {
                        tracing::warn!(error = %e, "metering: event not enqueued");
                        meter.lost(1);
                        break;
                    }
                }
            }
        }
    }
    let _ = producer.flush(Duration::from_secs(5));
}

/// Reads `topic` from the offsets stored in Postgres (not the group's: those would
/// commit apart from the rollups) and counts each batch in one transaction with the
/// offsets after it. Every partition is read by this replica; a second replica reading
/// the same events counts nothing twice (the raw rows' keys refuse them).
pub async fn consume(
    cfg: KafkaConfig,
    topic: String,
    pool: sqlx::PgPool,
    raw_days: u32,
    shutdown: CancellationToken,
) {
    let consumer: StreamConsumer = loop {
        let attempt = async {
            ensure_topic(&cfg, &topic).await?;
            let consumer: StreamConsumer = crate::events::kafka::base_config(&cfg)
                .set("group.id", format!("{}-metering", cfg.group_id))
                .set("enable.auto.commit", "false")
                .set("enable.auto.offset.store", "false")
                .set("fetch.wait.max.ms", "50")
                // Read ahead two batches, not librdkafka's default 64 MiB: what a replica
                // that falls behind would otherwise fill and keep (the soak's RSS creep).
                .set("queued.max.messages.kbytes", "8192")
                .set("queued.min.messages", (2 * BATCH).to_string())
                .create()
                .map_err(|e| format!("kafka consumer: {e}"))?;
            let metadata = consumer
                .fetch_metadata(Some(&topic), Duration::from_secs(5))
                .map_err(|e| format!("kafka metadata: {e}"))?;
            let partitions: Vec<i32> = metadata
                .topics()
                .iter()
                .find(|t| t.name() == topic)
                .map(|t| t.partitions().iter().map(|p| p.id()).collect())
                .unwrap_or_default();
            if partitions.is_empty() {
                return Err("metering topic has no partitions yet".to_owned());
            }
            let stored = {
                let mut conn = pool.acquire().await.map_err(|e| format!("database: {e}"))?;
                app::db::metering::ingest::offsets(&mut conn, &topic)
                    .await
                    .map_err(|e| format!("database: {e}"))?
            };
            let mut list = TopicPartitionList::new();
            for p in partitions {
                let offset = stored
                    .iter()
                    .find(|(sp, _)| *sp == p)
                    .map_or(Offset::Beginning, |(_, next)| Offset::Offset(*next));
                list.add_partition_offset(&topic, p, offset).map_err(|e| format!("kafka assign: {e}"))?;
            }
            consumer.assign(&list).map_err(|e| format!("kafka assign: {e}"))?;
            Ok::<_, String>(consumer)
        }
        .await;
        match attempt {
            Ok(c) => break c,
            Err(e) => {
                tracing::warn!(error = %e, "metering ingest: not ready, retrying");
                tokio::select! {
                    _ = shutdown.cancelled() => return,
                    _ = tokio::time::sleep(Duration::from_secs(1)) => {}
                }
            }
        }
    };
    // Two batches at a time: while one is counted (mostly Postgres's work), the next is
    // read and gathered. They are counted one after the other, in order, so the offsets
    // each transaction stores only ever move forward.
    let mut counting: Option<tokio::task::JoinHandle<bool>> = None;
    loop {
        // A batch: what arrives until BATCH messages or 50 ms without one.
        let mut batch = Vec::new();
        loop {
            let wait = if batch.is_empty() { Duration::from_secs(1) } else { Duration::from_millis(50) };
            let next = tokio::select! {
                _ = shutdown.cancelled() => return,
                m = tokio::time::timeout(wait, consumer.recv()) => m,
            };
            match next {
                Ok(Ok(m)) => {
                    batch.push(m.detach());
                    if batch.len() >= BATCH {
                        break;
                    }
                }
                Ok(Err(e)) => {
                    tracing::warn!(error = %e, "metering ingest: receive failed");
                    break;
                }
                Err(_) => break,
            }
        }
        if batch.is_empty() {
            continue;
        }
        let messages: Vec<Message> = batch
            .iter()
            .map(|m| Message {
                payload: m.payload().unwrap_or_default(),
                position: Some((m.partition(), m.offset())),
            })
            .collect();
        let parsed = metering::parse("kafka", Some(&topic), &messages);
        drop(messages);
        if let Some(previous) = counting.take() {
            if !previous.await.unwrap_or(false) {
                return;
            }
        }
        counting =
            Some(tokio::spawn(count_batch(pool.clone(), raw_days, topic.clone(), parsed, shutdown.clone())));
    }
}

/// Counts one batch read from Kafka, retried while the database is away; false when the
/// server stops first.
async fn count_batch(
    pool: sqlx::PgPool,
    raw_days: u32,
    topic: String,
    batch: metering::Parsed,
    shutdown: CancellationToken,
) -> bool {
    let mut backoff = Duration::from_millis(100);
    loop {
        match metering::count_parsed(&pool, raw_days, Some(&topic), &batch).await {
            Ok(done) => {
                tracing::debug!(
                    counted = done.counted,
                    duplicates = done.duplicates,
                    dead = done.dead,
                    "metering: batch counted"
                );
                return true;
            }
            Err(e) => {
                tracing::warn!(error = %e, "metering ingest: batch failed, retrying");
                tokio::select! {
                    _ = shutdown.cancelled() => return false,
                    _ = tokio::time::sleep(backoff) => {}
                }
                backoff = (backoff * 2).min(Duration::from_secs(5));
            }
        }
    }
}

/// The hourly housekeeping (partitions, raw window, rollup retention).
pub async fn sweep(pool: sqlx::PgPool, raw_days: u32, shutdown: CancellationToken) {
    crate::every(Duration::from_secs(3600), shutdown, || {
        let pool = pool.clone();
        async move {
            if let Err(e) = metering::sweep(&pool, raw_days).await {
                tracing::warn!(error = %e, "metering: housekeeping failed");
            }
        }
    })
    .await;
}

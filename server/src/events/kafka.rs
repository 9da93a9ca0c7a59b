//! Kafka: the idempotent producer behind the relay, and the consumer group that feeds the
//! in-process consumers.

use super::Dispatcher;
use app::config::KafkaConfig;
use app::db::outbox::Pending;
use app::domain::event::{CloudEvent, Topic};
use rdkafka::admin::{AdminClient, AdminOptions, NewTopic, TopicReplication};
use rdkafka::client::DefaultClientContext;
use rdkafka::config::ClientConfig;
use rdkafka::consumer::{Consumer as _, StreamConsumer};
use rdkafka::error::RDKafkaErrorCode;
use rdkafka::message::Message;
use rdkafka::producer::{FutureProducer, FutureRecord};
use std::time::Duration;
use tokio_util::sync::CancellationToken;

/// Partitions per topic; the key (tenant id) keeps one tenant's events in order.
const PARTITIONS: i32 = 3;

/// How long the producer keeps trying one message before the batch counts as failed
/// (and its events stay in the outbox for the next attempt).
const DELIVERY_TIMEOUT: Duration = Duration::from_secs(10);

pub(crate) fn base_config(cfg: &KafkaConfig) -> ClientConfig {
    let mut c = ClientConfig::new();
    c.set("bootstrap.servers", &cfg.brokers)
        // Notice a restarted or re-created broker's topics quickly.
        .set("topic.metadata.refresh.interval.ms", "2000")
        .set("reconnect.backoff.max.ms", "2000");
    c
}

/// Creates our topics when missing. Safe to call from every replica at every start.
pub async fn ensure_topics(cfg: &KafkaConfig) -> Result<(), String> {
    let admin: AdminClient<DefaultClientContext> =
        base_config(cfg).create().map_err(|e| format!("kafka admin: {e}"))?;
    let topics: Vec<NewTopic> = Topic::ALL
        .iter()
        .map(|t| NewTopic::new(t.as_str(), PARTITIONS, TopicReplication::Fixed(1)))
        .collect();
    // Bounded, so that a missing broker fails the attempt rather than stalling the relay.
    let opts = AdminOptions::new()
        .operation_timeout(Some(Duration::from_secs(5)))
        .request_timeout(Some(Duration::from_secs(5)));
    let results = admin.create_topics(&topics, &opts).await.map_err(|e| format!("kafka admin: {e}"))?;
    for result in results {
        match result {
            Ok(_) | Err((_, RDKafkaErrorCode::TopicAlreadyExists)) => {}
            Err((topic, code)) => return Err(format!("create topic {topic}: {code}")),
        }
    }
    Ok(())
}

/// The relay's producer: idempotent, `acks=all`, key = tenant id.
pub struct KafkaPublisher {
    cfg: KafkaConfig,
    producer: Option<FutureProducer>,
    topics_ready: bool,
}

impl KafkaPublisher {
    /// A publisher for `cfg`; connects on first use.
    pub fn new(cfg: KafkaConfig) -> KafkaPublisher {
        KafkaPublisher { cfg, producer: None, topics_ready: false }
    }

    /// Drops the producer after a failure: an idempotent producer that lost its broker
    /// may be left fenced, so the next attempt starts with a fresh one (and re-checks
    /// the topics, which a replaced broker may not have).
    pub fn reset(&mut self) {
        self.producer = None;
        self.topics_ready = false;
    }

    fn producer(&mut self) -> Result<&FutureProducer, String> {
        if self.producer.is_none() {
            let producer: FutureProducer = base_config(&self.cfg)
                .set("enable.idempotence", "true")
                .set("acks", "all")
                .set("linger.ms", "5")
                .set("message.timeout.ms", DELIVERY_TIMEOUT.as_millis().to_string())
                .create()
                .map_err(|e| format!("kafka producer: {e}"))?;
            self.producer = Some(producer);
        }
        self.producer.as_ref().ok_or_else(|| "kafka producer missing".to_owned())
    }

    /// Sends the batch and waits for every acknowledgement; any failure fails the batch.
    pub async fn publish(&mut self, batch: &[Pending]) -> Result<(), String> {
        if !self.topics_ready {
            ensure_topics(&self.cfg).await?;
            self.topics_ready = true;
        }
        let producer = self.producer()?;
        let mut deliveries = Vec::with_capacity(batch.len());
        for pending in batch {
            let payload = serde_json::to_vec(&pending.event).map_err(|e| format!("encode: {e}"))?;
            let record = FutureRecord::to(&pending.topic).key(&pending.event.tenantid).payload(&payload);
            let delivery = producer.send_result(record).map_err(|(e, _)| format!("kafka enqueue: {e}"))?;
            deliveries.push(delivery);
        }
        for delivery in deliveries {
            match delivery.await {
                Ok(Ok(_)) => {}
                Ok(Err((e, _))) => return Err(format!("kafka delivery: {e}")),
                Err(_) => return Err("kafka delivery cancelled".to_owned()),
            }
        }
        Ok(())
    }
}

/// Reads every topic in the consumer group `cfg.group_id` and dispatches each event;
/// the offset is stored only after the consumers committed, so a crash redelivers.
pub async fn consume(cfg: KafkaConfig, dispatcher: Dispatcher, shutdown: CancellationToken) {
    loop {
        if let Err(e) = ensure_topics(&cfg).await {
            tracing::warn!(error = %e, "kafka consumer: topics not ready, retrying");
            tokio::select! {
                _ = shutdown.cancelled() => return,
                _ = tokio::time::sleep(Duration::from_secs(1)) => continue,
            }
        }
        break;
    }
    let consumer: StreamConsumer = match base_config(&cfg)
        .set("group.id", &cfg.group_id)
        .set("enable.auto.commit", "true")
        .set("enable.auto.offset.store", "false")
        .set("auto.commit.interval.ms", "500")
        .set("auto.offset.reset", "earliest")
        // librdkafka reads ahead up to 64 MiB by default: memory a replica that falls
        // behind fills and keeps (the soak's RSS creep). Our events are small and few.
        .set("queued.max.messages.kbytes", "1024")
        .set("queued.min.messages", "1000")
        .create()
    {
        Ok(c) => c,
        Err(e) => {
            tracing::error!(error = %e, "kafka consumer: cannot be created");
            return;
        }
    };
    let topics: Vec<&str> = Topic::ALL.iter().map(|t| t.as_str()).collect();
    if let Err(e) = consumer.subscribe(&topics) {
        tracing::error!(error = %e, "kafka consumer: cannot subscribe");
        return;
    }
    loop {
        let message = tokio::select! {
            _ = shutdown.cancelled() => return,
            m = consumer.recv() => m,
        };
        let message = match message {
            Ok(m) => m,
            Err(e) => {
                tracing::warn!(error = %e, "kafka consumer: receive failed");
                tokio::select! {
                    _ = shutdown.cancelled() => return,
                    _ = tokio::time::sleep(Duration::from_millis(500)) => continue,
                }
            }
        };
        match message.payload().map(serde_json::from_slice::<CloudEvent>) {
            Some(Ok(event)) => {
                let mut backoff = Duration::from_millis(100);
                while let Err(e) = dispatcher.dispatch(&event).await {
                    tracing::warn!(error = %e, event_id = %event.id, "consumer failed, retrying");
                    tokio::select! {
                        _ = shutdown.cancelled() => return,
                        _ = tokio::time::sleep(backoff) => {}
                    }
                    backoff = (backoff * 2).min(Duration::from_secs(10));
                }
            }
            // A message we cannot read would block its partition forever: log and skip.
            _ => tracing::error!(
                topic = message.topic(),
                offset = message.offset(),
                "kafka consumer: skipping unreadable message"
            ),
        }
        if let Err(e) = consumer.store_offset_from_message(&message) {
            tracing::warn!(error = %e, "kafka consumer: cannot store offset");
        }
    }
}

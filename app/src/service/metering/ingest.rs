//! The ingest: counts the events of any STOA gateway exactly once, and the housekeeping of
//! what it keeps (raw partitions, rollups past retention, late ids).
//!
//! Exactly once: an event's raw row (key: event id and time) is written in the same
//! transaction as the rollups it adds to and, for Kafka, the offsets it came from. A
//! re-delivered event finds its raw row and adds nothing; a crash rolls all three back
//! together, and the consumer resumes from the stored offsets.

use crate::db::metering::calls::{self, RawCalls};
use crate::db::metering::ingest::{self as db_ingest, DeadLetter};
use crate::db::metering::rollups::{self, Sign};
use crate::db::scope::{self, Scope};
use crate::domain::metering::rollup::{Counted, Rollup, Tally};
use crate::model::metering::ToolCallEvent;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Mutex;
use uuid::Uuid;

/// One message as read from the topic.
pub struct Message<'a> {
    pub payload: &'a [u8],
    /// Kafka partition and offset.
    pub position: Option<(i32, i64)>,
}

/// What one ingest call did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Ingested {
    /// Events counted for the first time.
    pub counted: usize,
    /// Events seen before (ignored).
    pub duplicates: usize,
    /// Messages kept as dead letters.
    pub dead: usize,
}

/// Longest a dead letter's payload is kept, in bytes.
const DEAD_PAYLOAD_BYTES: usize = 4096;

/// Days whose raw partition this process made or found.
static PARTITIONS: Mutex<Option<HashSet<NaiveDate>>> = Mutex::new(None);

/// The first day of the raw window.
fn window_start(raw_days: u32, now: DateTime<Utc>) -> NaiveDate {
    now.date_naive() - Duration::days(i64::from(raw_days.max(1)) - 1)
}

/// Makes sure the raw partitions of `days` exist (outside any ingest transaction:
/// making a partition locks the parent table).
async fn ensure_partitions(
    pool: &sqlx::PgPool,
    days: impl IntoIterator<Item = NaiveDate>,
) -> Result<(), sqlx::Error> {
    let missing: Vec<NaiveDate> = {
        let known = PARTITIONS.lock().unwrap_or_else(|e| e.into_inner());
        days.into_iter().filter(|d| !known.as_ref().is_some_and(|k| k.contains(d))).collect()
    };
    for day in missing {
        let mut conn = pool.acquire().await?;
        calls::ensure_partition(&mut conn, day).await?;
        PARTITIONS.lock().unwrap_or_else(|e| e.into_inner()).get_or_insert_with(HashSet::new).insert(day);
    }
    Ok(())
}

/// Counts messages read from Kafka `topic` (or handed over in process, without
/// positions): valid events once, malformed ones as dead letters, and the positions
/// after them — all in one transaction.
pub async fn ingest(
    pool: &sqlx::PgPool,
    raw_days: u32,
    source: &'static str,
    topic: Option<&str>,
    messages: &[Message<'_>],
) -> Result<Ingested, sqlx::Error> {
    count_parsed(pool, raw_days, topic, &parse(source, topic, messages)).await
}

/// A batch of messages read and checked, ready to be counted ([`count_parsed`]): the
/// Kafka ingest reads the next batch while the previous one is counted.
pub struct Parsed {
    source: &'static str,
    events: Vec<(ToolCallEvent, Option<(i32, i64)>)>,
    dead: Vec<DeadLetter>,
    positions: Vec<(i32, i64)>,
}

/// Reads a batch of messages: the events, the dead letters, the positions after them.
pub fn parse(source: &'static str, topic: Option<&str>, messages: &[Message<'_>]) -> Parsed {
    let mut dead = Vec::new();
    let mut events = Vec::with_capacity(messages.len());
    let mut positions: BTreeMap<i32, i64> = BTreeMap::new();
    for m in messages {
        if let Some((partition, offset)) = m.position {
            let next = positions.entry(partition).or_insert(offset + 1);
            *next = (*next).max(offset + 1);
        }
        match ToolCallEvent::parse(m.payload) {
            Ok(e) => events.push((e, m.position)),
            Err(reason) => dead.push(dead_letter(source, topic, m.position, reason, m.payload)),
        }
    }
    Parsed { source, events, dead, positions: positions.into_iter().collect() }
}

/// Counts a parsed batch of Kafka `topic`'s (or of the process's) in one transaction.
pub async fn count_parsed(
    pool: &sqlx::PgPool,
    raw_days: u32,
    topic: Option<&str>,
    batch: &Parsed,
) -> Result<Ingested, sqlx::Error> {
    count(pool, raw_days, batch.source, topic, &batch.events, &batch.dead, &batch.positions).await
}

/// Counts events our own gateway handed over in process.
pub async fn ingest_events(
    pool: &sqlx::PgPool,
    raw_days: u32,
    events: Vec<ToolCallEvent>,
) -> Result<Ingested, sqlx::Error> {
    let events: Vec<_> = events.into_iter().map(|e| (e, None)).collect();
    count(pool, raw_days, "in-process", None, &events, &[], &[]).await
}

fn dead_letter(
    source: &'static str,
    topic: Option<&str>,
    position: Option<(i32, i64)>,
    reason: String,
    payload: &[u8],
) -> DeadLetter {
    let mut payload = String::from_utf8_lossy(&payload[..payload.len().min(DEAD_PAYLOAD_BYTES)]).into_owned();
    payload.retain(|c| c != '\0');
    DeadLetter {
        source,
        position: position.map(|(p, o)| (topic.unwrap_or_default().to_owned(), p, o)),
        reason,
        payload,
    }
}

async fn count(
    pool: &sqlx::PgPool,
    raw_days: u32,
    source: &'static str,
    topic: Option<&str>,
    events: &[(ToolCallEvent, Option<(i32, i64)>)],
    dead: &[DeadLetter],
    positions: &[(i32, i64)],
) -> Result<Ingested, sqlx::Error> {
    let now = Utc::now();
    let start = window_start(raw_days, now);
    let mut tenants: Vec<String> = events.iter().map(|(e, _)| e.tenant_id.clone()).collect();
    tenants.sort();
    tenants.dedup();
    let mut clients: Vec<String> = events.iter().map(|(e, _)| e.consumer_id.clone()).collect();
    clients.sort();
    clients.dedup();
    let days: HashSet<NaiveDate> = events
        .iter()
        .map(|(e, _)| e.timestamp.date_naive())
        .filter(|d| *d >= start && *d <= now.date_naive() + Duration::days(1))
        .collect();
    ensure_partitions(pool, days.iter().copied()).await?;

    let mut attempt = 0;
    loop {
        let mut tx = scope::begin(pool, Scope::Platform).await?;
        let result = async {
            let known: HashSet<String> =
                db_ingest::known_tenants(&mut tx, &tenants).await?.into_iter().collect();
            let consumers: HashMap<String, (Uuid, String)> = db_ingest::consumers(&mut tx, &clients)
                .await?
                .into_iter()
                .map(|c| (c.client_id, (c.application_id, c.tenant_id)))
                .collect();
            let mut raw = RawCalls::default();
            let mut late: (Vec<Uuid>, Vec<DateTime<Utc>>) = (vec![], vec![]);
            let mut seen = HashSet::new();
            let mut kept: HashMap<Uuid, &ToolCallEvent> = HashMap::new();
            let mut dead_here = Vec::new();
            for (e, position) in events {
                if !known.contains(&e.tenant_id) {
                    dead_here.push(dead_letter(
                        source,
                        topic,
                        *position,
                        format!("unknown tenant `{}`", e.tenant_id),
                        &serde_json::to_vec(e).unwrap_or_default(),
                    ));
                    continue;
                }
                if e.timestamp > now + Duration::days(1) {
                    dead_here.push(dead_letter(
                        source,
                        topic,
                        *position,
                        "timestamp is more than a day ahead".to_owned(),
                        &serde_json::to_vec(e).unwrap_or_default(),
                    ));
                    continue;
                }
                if !seen.insert(e.event_id) {
                    continue; // the same event twice in one batch
                }
                kept.insert(e.event_id, e);
                if e.timestamp.date_naive() < start {
                    late.0.push(e.event_id);
                    late.1.push(e.timestamp);
                    continue;
                }
                let consumer = consumers.get(&e.consumer_id);
                raw.event_id.push(e.event_id);
                raw.at.push(e.timestamp);
                raw.tenant_id.push(e.tenant_id.clone());
                raw.application_id.push(consumer.map(|c| c.0));
                raw.app_tenant_id.push(consumer.map(|c| c.1.clone()));
                raw.consumer_id.push(e.consumer_id.clone());
                raw.api.push(e.api_name().to_owned());
                raw.tool_name.push(e.tool_name.clone());
                raw.action.push(e.action.clone());
                raw.status.push(e.status.as_str().to_owned());
                raw.http_method.push(e.http_method.clone());
                raw.http_status.push(e.http_status.map(|s| s as i16));
                raw.latency_ms.push(e.latency_ms);
                raw.request_bytes.push(e.request_size_bytes.min(i64::MAX as u64) as i64);
                raw.response_bytes.push(e.response_size_bytes.min(i64::MAX as u64) as i64);
                raw.t_gateway_ms.push(e.t_gateway_ms);
                raw.t_backend_ms.push(e.t_backend_ms);
                raw.try_it.push(e.try_it);
                raw.gateway_id.push(e.gateway_id.clone());
            }
            let mut fresh = calls::insert_raw(&mut tx, &raw).await?;
            fresh.extend(calls::insert_late(&mut tx, &late.0, &late.1).await?);
            // Sum what is new into the three rollups.
            let mut tally = Tally::default();
            for (id, _) in &fresh {
                let Some(e) = kept.get(id) else { continue };
                let consumer = consumers.get(&e.consumer_id);
                let call = Counted {
                    tenant: &e.tenant_id,
                    application: consumer.map(|c| c.0),
                    app_tenant: consumer.map(|c| c.1.as_str()),
                    api: e.api_name(),
                    tool: &e.tool_name,
                    status: e.status,
                    request_bytes: e.request_size_bytes,
                    response_bytes: e.response_size_bytes,
                    latency_ms: e.latency_ms,
                };
                tally.add(e.timestamp, &call);
            }
            rollups::add_tally(&mut tx, &tally, &Rollup::ALL, Sign::Add).await?;
            db_ingest::dead_letters(&mut tx, dead).await?;
            db_ingest::dead_letters(&mut tx, &dead_here).await?;
            if let Some(topic) = topic {
                db_ingest::store_offsets(&mut tx, topic, positions).await?;
            }
            let counted = fresh.len();
            Ok::<_, sqlx::Error>(Ingested {
                counted,
                duplicates: seen.len() - counted,
                dead: dead.len() + dead_here.len(),
            })
        }
        .await;
        match result {
            Ok(done) => {
                tx.commit().await?;
                return Ok(done);
            }
            // Two ingests adding to the same rollup rows may deadlock: one of them retries.
            Err(sqlx::Error::Database(e))
                if attempt < 5 && matches!(e.code().as_deref(), Some("40P01") | Some("40001")) =>
            {
                attempt += 1;
                drop(tx);
                tokio::time::sleep(std::time::Duration::from_millis(20 * attempt)).await;
            }
            // A partition this process believed made is gone (dropped, or another
            // database): forget what it believed and make them again.
            Err(sqlx::Error::Database(e)) if attempt < 5 && e.code().as_deref() == Some("23514") => {
                attempt += 1;
                drop(tx);
                *PARTITIONS.lock().unwrap_or_else(|e| e.into_inner()) = None;
                ensure_partitions(pool, days.iter().copied()).await?;
            }
            Err(e) => return Err(e),
        }
    }
}

/// The housekeeping pass: partitions for today and tomorrow, raw days past the window
/// dropped, rollups past their retention and old late ids forgotten.
pub async fn sweep(pool: &sqlx::PgPool, raw_days: u32) -> Result<(), sqlx::Error> {
    let now = Utc::now();
    ensure_partitions(pool, [now.date_naive(), now.date_naive() + Duration::days(1)]).await?;
    let start = window_start(raw_days, now);
    let mut tx = scope::begin(pool, Scope::Platform).await?;
    let dropped = calls::drop_raw_before(&mut tx, start).await?;
    rollups::prune(&mut tx).await?;
    calls::forget_late_before(&mut tx, now - Duration::days(i64::from(raw_days))).await?;
    tx.commit().await?;
    if dropped > 0 {
        PARTITIONS
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get_or_insert_with(HashSet::new)
            .retain(|d| *d >= start);
        tracing::info!(dropped, "metering: raw days past the window dropped");
    }
    Ok(())
}

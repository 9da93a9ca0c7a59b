//! What `POST /v1/keys/verify` answered lately, kept in memory for a few seconds so that a
//! gateway asking about the same key again is answered without the database.
//!
//! Entries are keyed by the SHA-256 of the presented key (never the key), hold valid and
//! invalid answers alike, and live [`TTL`] at most — less when the key, its grace period
//! or one of its subscriptions ends sooner. Every change to applications, credentials or
//! subscriptions made by this process empties the cache once its transaction has
//! committed ([`commit`]); a change made by another replica reaches this one through
//! Postgres `NOTIFY` (the server's key listener), within [`TTL`] at worst if the listener
//! is reconnecting.
//! A generation counter keeps an answer read before such a change from being stored
//! after it.

use crate::model::applications::Verification;
use axum::body::Bytes;
use sqlx::{Postgres, Transaction};
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, LazyLock, RwLock};
use std::time::{Duration, Instant};
use uuid::Uuid;

/// Longest an answer is reused.
pub const TTL: Duration = Duration::from_secs(5);
/// Most answers kept; past it the cache starts over (random keys cannot grow it forever).
pub const MAX_ENTRIES: usize = 100_000;
/// `last_used_at` is written at most this often per credential.
pub const TOUCH_EVERY: Duration = Duration::from_secs(60);

/// An answer, with its JSON as sent (serialized once, not on every hit).
#[derive(Debug)]
pub struct Verified {
    pub answer: Verification,
    pub json: Bytes,
}

impl Verified {
    pub fn new(answer: Verification) -> Verified {
        let json = serde_json::to_vec(&answer).map(Bytes::from).unwrap_or_default();
        Verified { answer, json }
    }
}

struct Entry {
    answer: Arc<Verified>,
    until: Instant,
    /// The credential that verified, and when its use was last written.
    credential: Option<(Uuid, Instant)>,
}

/// The cache (one per process).
pub struct KeyCache {
    entries: RwLock<HashMap<[u8; 32], Entry>>,
    generation: AtomicU64,
}

static CACHE: LazyLock<KeyCache> =
    LazyLock::new(|| KeyCache { entries: RwLock::new(HashMap::new()), generation: AtomicU64::new(0) });

/// The process's cache.
pub fn cache() -> &'static KeyCache {
    &CACHE
}

/// A cached answer that is due a `last_used_at` write.
pub struct Hit {
    pub answer: Arc<Verified>,
    pub touch: Option<Uuid>,
}

impl KeyCache {
    /// The generation to hand back to [`KeyCache::put`].
    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::Acquire)
    }

    /// A live answer for this key digest.
    pub fn get(&self, digest: &[u8; 32]) -> Option<Hit> {
        let now = Instant::now();
        {
            let entries = self.entries.read().unwrap_or_else(|e| e.into_inner());
            let entry = entries.get(digest).filter(|e| e.until > now)?;
            let due = entry.credential.filter(|(_, t)| now.duration_since(*t) >= TOUCH_EVERY);
            if due.is_none() {
                return Some(Hit { answer: entry.answer.clone(), touch: None });
            }
        }
        // Due a write: note it under the write lock so that one caller does it.
        let mut entries = self.entries.write().unwrap_or_else(|e| e.into_inner());
        let entry = entries.get_mut(digest).filter(|e| e.until > now)?;
        let touch = match &mut entry.credential {
            Some((id, t)) if now.duration_since(*t) >= TOUCH_EVERY => {
                *t = now;
                Some(*id)
            }
            _ => None,
        };
        Some(Hit { answer: entry.answer.clone(), touch })
    }

    /// Keeps an answer until `until` (at most [`TTL`] from now), unless the cache was
    /// emptied since `generation` was read.
    pub fn put(
        &self,
        generation: u64,
        digest: [u8; 32],
        answer: Arc<Verified>,
        until: Instant,
        credential: Option<Uuid>,
    ) {
        let now = Instant::now();
        let until = until.min(now + TTL);
        if until <= now {
            return;
        }
        let mut entries = self.entries.write().unwrap_or_else(|e| e.into_inner());
        if self.generation() != generation {
            return;
        }
        if entries.len() >= MAX_ENTRIES {
            entries.clear();
        }
        entries.insert(digest, Entry { answer, until, credential: credential.map(|c| (c, now)) });
    }

    /// Forgets every answer.
    pub fn clear(&self) {
        let mut entries = self.entries.write().unwrap_or_else(|e| e.into_inner());
        self.generation.fetch_add(1, Ordering::AcqRel);
        entries.clear();
    }
}

/// Commits a transaction that changed applications, credentials or subscriptions, then
/// empties the cache; the commit announces the change to the other replicas, whose
/// listener empties theirs ([`crate::db::applications::KEYS_CHANNEL`]).
pub async fn commit(mut tx: Transaction<'static, Postgres>) -> Result<(), sqlx::Error> {
    let announced = crate::db::applications::announce_key_change(&mut *tx).await;
    let done = match announced {
        Ok(()) => tx.commit().await,
        Err(e) => Err(e),
    };
    cache().clear();
    done
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(valid: bool) -> Arc<Verified> {
        Arc::new(Verified::new(Verification {
            valid,
            application: None,
            previous_key: false,
            subscriptions: vec![],
        }))
    }

    fn fresh() -> KeyCache {
        KeyCache { entries: RwLock::new(HashMap::new()), generation: AtomicU64::new(0) }
    }

    #[test]
    fn an_answer_is_reused_until_it_ends_and_never_after_a_change() {
        let cache = fresh();
        let soon = Instant::now() + Duration::from_secs(60);
        cache.put(cache.generation(), [1; 32], answer(true), soon, None);
        assert!(cache.get(&[1; 32]).expect("hit").answer.answer.valid);
        assert!(cache.get(&[2; 32]).is_none());
        // An answer whose key ends now is not kept.
        cache.put(cache.generation(), [3; 32], answer(true), Instant::now(), None);
        assert!(cache.get(&[3; 32]).is_none());
        // Read before a change, stored after it: dropped.
        let before = cache.generation();
        cache.clear();
        assert!(cache.get(&[1; 32]).is_none());
        cache.put(before, [1; 32], answer(true), soon, None);
        assert!(cache.get(&[1; 32]).is_none());
    }

    #[test]
    fn a_used_credential_is_due_a_write_once_a_minute() {
        let cache = fresh();
        let id = Uuid::now_v7();
        cache.put(cache.generation(), [7; 32], answer(true), Instant::now() + TTL, Some(id));
        assert_eq!(cache.get(&[7; 32]).expect("hit").touch, None, "just written by the database path");
        // Pretend the last write was long ago.
        cache.entries.write().expect("lock").get_mut(&[7; 32]).expect("entry").credential =
            Some((id, Instant::now() - TOUCH_EVERY));
        assert_eq!(cache.get(&[7; 32]).expect("hit").touch, Some(id));
        assert_eq!(cache.get(&[7; 32]).expect("hit").touch, None, "one caller writes it");
    }
}

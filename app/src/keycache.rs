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
use moka::future::Cache;
use sqlx::{Postgres, Transaction};
use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, LazyLock, Mutex};
use std::time::{Duration, Instant};
use uuid::Uuid;

/// Longest an answer is reused.
pub const TTL: Duration = Duration::from_secs(5);
/// Most answers kept. Past it, moka's TinyLFU policy keeps the keys asked for often: a
/// flood of random keys, each asked once, does not push out the keys in use.
pub const MAX_ENTRIES: u64 = 100_000;
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

/// What the database answered for a key: the answer, until when it holds, and the
/// credential that verified.
pub struct Looked {
    pub answer: Arc<Verified>,
    pub until: Instant,
    pub credential: Option<Uuid>,
}

struct Entry {
    answer: Arc<Verified>,
    until: Instant,
    /// The credential that verified, and when its use was last written.
    credential: Option<(Uuid, Mutex<Instant>)>,
}

/// Each entry lives until its answer stops holding, [`TTL`] at most.
struct UntilItEnds;

impl moka::Expiry<Slot, Arc<Entry>> for UntilItEnds {
    fn expire_after_create(&self, _: &Slot, entry: &Arc<Entry>, created_at: Instant) -> Option<Duration> {
        Some(entry.until.saturating_duration_since(created_at).min(TTL))
    }
}

/// A key digest and the generation it was looked up in: a lookup started before a
/// change is never joined, nor its answer found, by a caller who came after it.
type Slot = ([u8; 32], u64);

/// How long a key that verified keeps its visible prefix vouched for ([`KeyCache::vouched`]).
pub const VOUCHED_FOR: Duration = Duration::from_secs(600);

/// The cache (one per process).
pub struct KeyCache {
    entries: Cache<Slot, Arc<Entry>>,
    generation: AtomicU64,
    /// Visible prefixes of keys that verified lately: a caller past its unknown keys
    /// still has these looked up (a key in use keeps working once its answer expires).
    vouched: moka::sync::Cache<String, ()>,
}

static CACHE: LazyLock<KeyCache> = LazyLock::new(|| KeyCache::new(MAX_ENTRIES));

/// The process's cache.
pub fn cache() -> &'static KeyCache {
    &CACHE
}

/// An answer, and the credential due a `last_used_at` write if there is one.
pub struct Hit {
    pub answer: Arc<Verified>,
    pub touch: Option<Uuid>,
    /// Whether the answer came from the database for this caller (not from memory,
    /// nor from another caller's lookup of the same key).
    pub looked_up: bool,
}

impl KeyCache {
    fn new(capacity: u64) -> KeyCache {
        KeyCache {
            entries: Cache::builder().max_capacity(capacity).expire_after(UntilItEnds).build(),
            generation: AtomicU64::new(0),
            vouched: moka::sync::Cache::builder().max_capacity(capacity).time_to_live(VOUCHED_FOR).build(),
        }
    }

    /// The answer for this key digest: from memory while one holds, otherwise from
    /// `lookup`, run once however many callers ask for the same key at the same time.
    pub async fn verified<E, F>(&self, digest: [u8; 32], lookup: F) -> Result<Hit, Arc<E>>
    where
        E: Send + Sync + 'static,
        F: Future<Output = Result<Looked, E>>,
    {
        let slot = (digest, self.generation.load(Ordering::Acquire));
        if let Some(entry) = self.entries.get(&slot).await {
            return Ok(Hit { answer: entry.answer.clone(), touch: due(&entry), looked_up: false });
        }
        let entry = self
            .entries
            .entry(slot)
            .or_try_insert_with(async move {
                let looked = lookup.await?;
                let now = Instant::now();
                Ok(Arc::new(Entry {
                    answer: looked.answer,
                    until: looked.until.min(now + TTL),
                    credential: looked.credential.map(|c| (c, Mutex::new(now))),
                }))
            })
            .await?;
        // A lookup of this caller's own wrote `last_used_at` itself.
        let looked_up = entry.is_fresh();
        let entry = entry.into_value();
        let touch = if looked_up { None } else { due(&entry) };
        Ok(Hit { answer: entry.answer.clone(), touch, looked_up })
    }

    /// The answer in memory for this key digest, if one holds.
    pub async fn remembered(&self, digest: [u8; 32]) -> Option<Arc<Verified>> {
        let slot = (digest, self.generation.load(Ordering::Acquire));
        self.entries.get(&slot).await.map(|e| e.answer.clone())
    }

    /// Notes that a key with this visible prefix verified.
    pub fn vouch(&self, prefix: &str) {
        self.vouched.insert(prefix.to_owned(), ());
    }

    /// Whether a key with this visible prefix verified within [`VOUCHED_FOR`].
    pub fn vouched(&self, prefix: &str) -> bool {
        self.vouched.contains_key(prefix)
    }

    /// Forgets every answer; a lookup still running keeps its answer to its callers.
    pub fn clear(&self) {
        self.generation.fetch_add(1, Ordering::AcqRel);
        self.entries.invalidate_all();
    }
}

/// The entry's credential when its last `last_used_at` write is [`TOUCH_EVERY`] old, noted
/// as written now so that one caller writes it.
fn due(entry: &Entry) -> Option<Uuid> {
    let (id, touched) = entry.credential.as_ref()?;
    let mut touched = touched.lock().unwrap_or_else(|e| e.into_inner());
    let now = Instant::now();
    if now.duration_since(*touched) < TOUCH_EVERY {
        return None;
    }
    *touched = now;
    Some(*id)
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
    use std::convert::Infallible;
    use std::sync::atomic::AtomicU32;

    fn looked(valid: bool, until: Instant, credential: Option<Uuid>) -> Looked {
        let answer = Arc::new(Verified::new(Verification {
            valid,
            application: None,
            previous_key: false,
            subscriptions: vec![],
        }));
        Looked { answer, until, credential }
    }

    async fn ask(cache: &KeyCache, digest: u8, valid: bool, until: Instant) -> Hit {
        let lookup = async move { Ok::<_, Infallible>(looked(valid, until, None)) };
        cache.verified([digest; 32], lookup).await.expect("lookup")
    }

    #[tokio::test]
    async fn an_answer_is_reused_until_it_ends_and_never_after_a_change() {
        let cache = KeyCache::new(100);
        let soon = Instant::now() + Duration::from_secs(60);
        assert!(ask(&cache, 1, true, soon).await.looked_up);
        let again = ask(&cache, 1, false, soon).await;
        assert!(!again.looked_up && again.answer.answer.valid, "from memory");
        // An answer whose key ends now is not kept.
        ask(&cache, 3, true, Instant::now()).await;
        assert!(ask(&cache, 3, true, soon).await.looked_up);
        // After a change, the database is asked again.
        cache.clear();
        let after = ask(&cache, 1, false, soon).await;
        assert!(after.looked_up && !after.answer.answer.valid);
    }

    #[tokio::test]
    async fn callers_asking_for_one_key_at_once_share_one_lookup() {
        let cache = Arc::new(KeyCache::new(100));
        let lookups = Arc::new(AtomicU32::new(0));
        let soon = Instant::now() + Duration::from_secs(60);
        let callers: Vec<_> = (0..20)
            .map(|_| {
                let (cache, lookups) = (cache.clone(), lookups.clone());
                tokio::spawn(async move {
                    let lookup = async move {
                        lookups.fetch_add(1, Ordering::SeqCst);
                        tokio::time::sleep(Duration::from_millis(50)).await;
                        Ok::<_, Infallible>(looked(true, soon, None))
                    };
                    cache.verified([9; 32], lookup).await.expect("lookup").answer.answer.valid
                })
            })
            .collect();
        for caller in callers {
            assert!(caller.await.expect("caller"));
        }
        assert_eq!(lookups.load(Ordering::SeqCst), 1);
    }

    #[tokio::test]
    async fn a_flood_of_keys_each_asked_once_does_not_push_out_a_key_in_use() {
        let cache = KeyCache::new(1_000);
        let soon = Instant::now() + Duration::from_secs(60);
        ask(&cache, 0, true, soon).await;
        for n in 0..20_000u32 {
            // The key in use is asked about now and then during the flood.
            if n % 100 == 0 {
                assert!(!ask(&cache, 0, false, soon).await.looked_up, "the key in use was evicted at {n}");
            }
            let mut digest = [0xff; 32];
            digest[..4].copy_from_slice(&n.to_be_bytes());
            let lookup = async move { Ok::<_, Infallible>(looked(false, soon, None)) };
            cache.verified(digest, lookup).await.expect("lookup");
        }
        cache.entries.run_pending_tasks().await;
        assert!(cache.entries.entry_count() <= 1_000, "bounded: {}", cache.entries.entry_count());
        assert!(!ask(&cache, 0, false, soon).await.looked_up, "the key in use was evicted");
    }

    #[tokio::test]
    async fn a_used_credential_is_due_a_write_once_a_minute() {
        let cache = KeyCache::new(100);
        let id = Uuid::now_v7();
        let until = Instant::now() + TTL;
        let lookup = async move { Ok::<_, Infallible>(looked(true, until, Some(id))) };
        assert_eq!(
            cache.verified([7; 32], lookup).await.expect("first").touch,
            None,
            "written by the lookup"
        );
        let hit = || async { ask(&cache, 7, true, until).await.touch };
        assert_eq!(hit().await, None);
        // Pretend the last write was long ago.
        let entry = cache.entries.get(&([7; 32], 0)).await.expect("entry");
        *entry.credential.as_ref().expect("credential").1.lock().expect("lock") =
            Instant::now() - TOUCH_EVERY;
        assert_eq!(hit().await, Some(id));
        assert_eq!(hit().await, None, "one caller writes it");
    }
}

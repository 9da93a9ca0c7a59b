//! Counts per caller's address over a minute, in memory (per replica), bounded: what an
//! anonymous caller may do that costs the platform — unknown keys looked up
//! (`/v1/keys/verify`), direct reads of the demo backends.

use std::net::IpAddr;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// The window: an address's count starts when it is first counted and ends a minute later.
pub const WINDOW: Duration = Duration::from_secs(60);
/// Addresses counted at once; past it, the least used are forgotten first.
const MAX_ADDRESSES: u64 = 100_000;

/// At most `limit` counted events per address per [`WINDOW`].
pub struct PerAddress {
    counts: moka::sync::Cache<IpAddr, Arc<AtomicU32>>,
    limit: u32,
}

impl PerAddress {
    /// `limit` per address and minute; 0 counts nothing and never refuses.
    pub fn new(limit: u32) -> PerAddress {
        PerAddress {
            counts: moka::sync::Cache::builder().max_capacity(MAX_ADDRESSES).time_to_live(WINDOW).build(),
            limit,
        }
    }

    /// Whether `address` has used up its window.
    pub fn exhausted(&self, address: IpAddr) -> bool {
        self.limit > 0 && self.counts.get(&address).is_some_and(|n| n.load(Ordering::Relaxed) >= self.limit)
    }

    /// Counts one event for `address`.
    pub fn count(&self, address: IpAddr) {
        if self.limit > 0 {
            self.counts.get_with(address, || Arc::new(AtomicU32::new(0))).fetch_add(1, Ordering::Relaxed);
        }
    }

    /// Counts one event for `address` if its window has room: whether it had.
    pub fn take(&self, address: IpAddr) -> bool {
        if self.limit == 0 {
            return true;
        }
        let n = self.counts.get_with(address, || Arc::new(AtomicU32::new(0)));
        n.fetch_add(1, Ordering::Relaxed) < self.limit
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_past_its_limit_is_refused_and_others_are_not() {
        let counted = PerAddress::new(3);
        let (a, b): (IpAddr, IpAddr) = ("192.0.2.1".parse().expect("a"), "192.0.2.2".parse().expect("b"));
        for _ in 0..3 {
            assert!(!counted.exhausted(a));
            counted.count(a);
        }
        assert!(counted.exhausted(a));
        assert!(!counted.exhausted(b));
        assert!((0..3).all(|_| counted.take(b)) && !counted.take(b), "three taken, the fourth refused");
        let unlimited = PerAddress::new(0);
        (0..10).for_each(|_| unlimited.count(a));
        assert!(!unlimited.exhausted(a) && unlimited.take(a));
    }
}

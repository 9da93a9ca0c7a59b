//! The meter: the bounded buffer our gateway hands its per-call events to, drained by the
//! publisher (Kafka) or the in-process ingest.

use crate::model::metering::ToolCallEvent;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use tokio::sync::mpsc;

/// The gateway's side: events wait here for the publisher (Kafka) or the in-process
/// ingest. Recording never blocks; when the buffer is full the event is dropped and
/// counted.
pub struct Meter {
    tx: mpsc::Sender<ToolCallEvent>,
    rx: Mutex<Option<mpsc::Receiver<ToolCallEvent>>>,
    recorded: AtomicU64,
    dropped: AtomicU64,
    /// Events that left the buffer but could not be delivered (the broker refused or
    /// timed out): counted with the dropped ones.
    lost: AtomicU64,
}

impl Meter {
    /// A meter holding at most `capacity` events.
    pub fn new(capacity: usize) -> Meter {
        let (tx, rx) = mpsc::channel(capacity.max(1));
        Meter {
            tx,
            rx: Mutex::new(Some(rx)),
            recorded: AtomicU64::new(0),
            dropped: AtomicU64::new(0),
            lost: AtomicU64::new(0),
        }
    }

    /// Hands one event over, or counts it dropped.
    pub fn record(&self, event: ToolCallEvent) {
        match self.tx.try_send(event) {
            Ok(()) => self.recorded.fetch_add(1, Ordering::Relaxed),
            Err(_) => self.dropped.fetch_add(1, Ordering::Relaxed),
        };
    }

    /// The receiving end, for the one task that drains it.
    pub fn take_receiver(&self) -> Option<mpsc::Receiver<ToolCallEvent>> {
        self.rx.lock().ok()?.take()
    }

    /// Events handed over since start.
    pub fn recorded(&self) -> u64 {
        self.recorded.load(Ordering::Relaxed)
    }

    /// Events dropped: the buffer was full, or the broker never took them.
    pub fn dropped(&self) -> u64 {
        self.dropped.load(Ordering::Relaxed) + self.lost.load(Ordering::Relaxed)
    }

    /// Counts `n` events that could not be delivered after they left the buffer.
    pub fn lost(&self, n: u64) {
        self.lost.fetch_add(n, Ordering::Relaxed);
    }

    /// Most events the buffer holds.
    pub fn capacity(&self) -> usize {
        self.tx.max_capacity()
    }

    /// Events waiting in the buffer.
    pub fn waiting(&self) -> usize {
        self.tx.max_capacity() - self.tx.capacity()
    }
}

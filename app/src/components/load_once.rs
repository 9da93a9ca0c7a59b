//! A page's data, loaded once per request.
//!
//! On the server, `<Suspense>` walks its children more than once before the real render
//! (to discover every resource they read), and each walk calls the children closure
//! again: a `Suspend::new(server_fn(...))` written inline starts the server function —
//! its database queries — up to three times per page view. [`LoadOnce`] is created
//! outside the closure and shared by every walk, so the work starts once and keeps going
//! across walks; each walk gets a copy of the result, so keep large parts behind an `Arc`.

use futures::future::{BoxFuture, FutureExt, Shared};
use std::future::Future;

/// A future's result, computed once, handed to every walk that asks.
pub struct LoadOnce<T: Clone + Send + Sync + 'static>(Shared<BoxFuture<'static, T>>);

impl<T: Clone + Send + Sync + 'static> Clone for LoadOnce<T> {
    fn clone(&self) -> Self {
        LoadOnce(self.0.clone())
    }
}

impl<T: Clone + Send + Sync + 'static> LoadOnce<T> {
    /// Wraps `load`; nothing runs until the first walk polls it.
    pub fn new(load: impl Future<Output = T> + Send + 'static) -> LoadOnce<T> {
        LoadOnce(load.boxed().shared())
    }

    /// The result, once there.
    pub async fn get(self) -> T {
        self.0.await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[tokio::test]
    async fn the_work_runs_once_however_many_times_it_is_awaited() {
        static RUNS: AtomicUsize = AtomicUsize::new(0);
        let once = LoadOnce::new(async {
            RUNS.fetch_add(1, Ordering::SeqCst);
            tokio::task::yield_now().await;
            42
        });
        // A walk that polls once and gives up, as Suspense's dry runs do.
        let walk = once.clone().get();
        futures::pin_mut!(walk);
        assert!(futures::poll!(walk.as_mut()).is_pending());
        // Another walk that completes, and the real render after it: same result.
        assert_eq!(once.clone().get().await, 42);
        assert_eq!(once.get().await, 42);
        assert_eq!(RUNS.load(Ordering::SeqCst), 1);
    }
}

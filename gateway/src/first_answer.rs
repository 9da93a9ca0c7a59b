//! The first answer of an application whose owner waits for it in the onboarding
//! wizard: the gateway offers every successful answer, and the first bytes of one of an
//! awaited application are kept, off the request's path.
//!
//! Which applications are awaited is read from Postgres at most every
//! [`REFRESH`] and kept in memory, so that a call of any other application costs a
//! lookup in a set.

use std::collections::HashSet;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};
use uuid::Uuid;

/// How long the set of awaited applications is trusted.
pub const REFRESH: Duration = Duration::from_secs(2);

pub(super) struct FirstAnswers {
    pool: sqlx::PgPool,
    /// Read by every successful call; written at most every [`REFRESH`].
    awaited: RwLock<Awaited>,
    /// One refresh at a time; the others wait for its result.
    refreshing: tokio::sync::Mutex<()>,
}

#[derive(Default)]
struct Awaited {
    read_at: Option<Instant>,
    ids: Arc<HashSet<Uuid>>,
}

impl Awaited {
    fn fresh(&self) -> bool {
        self.read_at.is_some_and(|t| t.elapsed() < REFRESH)
    }
}

impl FirstAnswers {
    pub(super) fn new(pool: sqlx::PgPool) -> Arc<FirstAnswers> {
        Arc::new(FirstAnswers {
            pool,
            awaited: RwLock::new(Awaited::default()),
            refreshing: tokio::sync::Mutex::new(()),
        })
    }

    /// A successful answer of `application` (not try-it): kept when its owner waits.
    pub(super) fn offer(self: &Arc<Self>, application: Uuid, body: &axum::body::Bytes) {
        let (fresh, waits) = {
            let a = self.awaited.read().unwrap_or_else(|e| e.into_inner());
            (a.fresh(), a.ids.contains(&application))
        };
        if fresh && !waits {
            return;
        }
        let body = body.clone();
        let me = self.clone();
        tokio::spawn(async move {
            if !fresh && !me.refresh().await {
                return;
            }
            if !me.forget(application) {
                return;
            }
            if let Err(e) = app::service::onboarding::keep_first_answer(&me.pool, application, &body).await {
                tracing::warn!(error = %e, "the first answer of an onboarding call was not kept");
            }
        });
    }

    /// Reads the awaited set again unless another task just did; false when it cannot
    /// be read.
    async fn refresh(&self) -> bool {
        let _one = self.refreshing.lock().await;
        if self.awaited.read().unwrap_or_else(|e| e.into_inner()).fresh() {
            return true;
        }
        match app::service::onboarding::awaited(&self.pool).await {
            Ok(ids) => {
                let mut a = self.awaited.write().unwrap_or_else(|e| e.into_inner());
                *a = Awaited { read_at: Some(Instant::now()), ids: Arc::new(ids.into_iter().collect()) };
                true
            }
            Err(e) => {
                tracing::warn!(error = %e, "the applications awaited by the onboarding wizard were not read");
                false
            }
        }
    }

    /// Takes `application` out of the set: true when it was awaited (only the first of
    /// its answers is written).
    fn forget(&self, application: Uuid) -> bool {
        let mut a = self.awaited.write().unwrap_or_else(|e| e.into_inner());
        if !a.ids.contains(&application) {
            return false;
        }
        Arc::make_mut(&mut a.ids).remove(&application);
        true
    }
}

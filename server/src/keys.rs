//! The verified-key cache across replicas: every replica listens on
//! `db::applications::KEYS_CHANNEL`; a change committed anywhere (a revoked key, a deleted
//! application, a suspended subscription, a demo reset) empties this replica's cache
//! within moments. While the listener reconnects, the cache is emptied on reconnection
//! (a notification may have been missed) and its entries' [`app::keycache::TTL`] bounds
//! what could be stale.

use sqlx::postgres::PgListener;
use sqlx::PgPool;
use std::time::Duration;
use tokio_util::sync::CancellationToken;

/// Listens until shutdown.
pub async fn listen(pool: PgPool, shutdown: CancellationToken) {
    let mut backoff = Duration::from_millis(200);
    loop {
        let connected = async {
            let mut listener = PgListener::connect_with(&pool).await?;
            listener.listen(app::db::applications::KEYS_CHANNEL).await?;
            Ok::<_, sqlx::Error>(listener)
        }
        .await;
        match connected {
            Ok(mut listener) => {
                backoff = Duration::from_millis(200);
                app::keycache::cache().clear();
                loop {
                    tokio::select! {
                        _ = shutdown.cancelled() => return,
                        got = listener.recv() => match got {
                            Ok(_) => app::keycache::cache().clear(),
                            Err(e) => {
                                tracing::warn!(error = %e, "key listener lost its connection; reconnecting");
                                break;
                            }
                        },
                    }
                }
            }
            Err(e) => tracing::warn!(error = %e, "key listener cannot connect; retrying"),
        }
        tokio::select! {
            _ = shutdown.cancelled() => return,
            _ = tokio::time::sleep(backoff) => {}
        }
        backoff = (backoff * 2).min(Duration::from_secs(5));
    }
}

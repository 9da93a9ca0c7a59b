//! Database access, one file per table family. Functions take `impl PgExecutor` or a
//! connection so that callers can pass a transaction.

pub mod audit;
pub mod event_log;
pub mod outbox;
pub mod platform;
pub mod seed;
pub mod tenants;
pub mod users;

use sqlx::migrate::Migrator;
use sqlx::postgres::PgPoolOptions;
use sqlx::PgPool;
use std::time::Duration;

/// The schema migrations, embedded in the binary.
pub static MIGRATOR: Migrator = sqlx::migrate!("../migrations");

/// Opens the pool lazily: the server starts (and `/healthz` answers) even while the
/// database is still coming up; `/readyz` tells when it is reachable.
pub fn pool(url: &str, max_connections: u32) -> Result<PgPool, sqlx::Error> {
    PgPoolOptions::new()
        .max_connections(max_connections)
        .acquire_timeout(Duration::from_secs(5))
        .connect_lazy(url)
}

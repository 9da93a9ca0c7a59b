//! Database access, one file per table family. Functions take `impl PgExecutor` or a
//! connection so that callers can pass a transaction.

pub mod applications;
pub mod audit;
pub mod catalog;
pub mod demo;
pub mod event_log;
pub mod invitations;
pub mod lifecycle;
pub mod metering;
pub mod notifications;
pub mod onboarding;
pub mod outbox;
pub mod plans;
pub mod platform;
pub mod promotions;
pub mod scope;
pub mod sign_ins;
pub mod subscriptions;
pub mod tenants;
pub mod users;

use sqlx::migrate::Migrator;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::PgPool;
use std::time::Duration;

/// The schema migrations, embedded in the binary.
pub static MIGRATOR: Migrator = sqlx::migrate!("../migrations");

/// The role the application's queries run as (see migration `tenant_isolation`).
pub const APP_ROLE: &str = "stoa_app";

/// The application's pool: every connection runs as [`APP_ROLE`], under row-level
/// security. Opened lazily: the server starts (and `/healthz` answers) even while the
/// database is still coming up; `/readyz` tells when it is reachable.
pub fn pool(url: &str, max_connections: u32) -> Result<PgPool, sqlx::Error> {
    let options: PgConnectOptions = url.parse()?;
    Ok(app_role_options(max_connections).connect_lazy_with(options))
}

/// A pool as the database URL's own user (the tables' owner), for migrations only.
pub async fn owner_pool(url: &str) -> Result<PgPool, sqlx::Error> {
    PgPoolOptions::new().max_connections(1).acquire_timeout(Duration::from_secs(5)).connect(url).await
}

/// The application's view of the database `owner` reaches (tests build their app on it).
pub fn as_app_role(owner: &PgPool) -> PgPool {
    app_role_options(owner.options().get_max_connections())
        .connect_lazy_with((*owner.connect_options()).clone())
}

fn app_role_options(max_connections: u32) -> PgPoolOptions {
    PgPoolOptions::new()
        .max_connections(max_connections)
        .acquire_timeout(Duration::from_secs(5))
        .after_connect(|conn, _meta| {
            Box::pin(async move {
                sqlx::query(&format!("SET ROLE {APP_ROLE}")).execute(conn).await?;
                Ok(())
            })
        })
}

/// A timestamp as pages and REST bodies show it: RFC 3339, whole seconds, `Z`.
pub fn rfc3339(t: chrono::DateTime<chrono::Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// A stored code (a state, a kind) as its enum. A code the enum does not know means the
/// database and the program disagree: a decoding error, never a silent default.
pub fn decode<T>(code: &str, parse: fn(&str) -> Option<T>) -> Result<T, sqlx::Error> {
    parse(code).ok_or_else(|| sqlx::Error::Decode(format!("unknown code `{code}`").into()))
}

//! `AppState`: what every handler and server function may use, handed in, never global.

use crate::config::Config;
use crate::error::AppError;
use crate::oidc::Identity;
use axum::extract::FromRef;
use leptos::prelude::*;
use sqlx::PgPool;
use std::sync::Arc;

/// Shared server state: Leptos options, the database pool, the configuration and the
/// identity provider.
#[derive(Clone, FromRef)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub pool: PgPool,
    pub config: Arc<Config>,
    pub identity: Arc<Identity>,
    /// Where the gateway's per-call events wait to be published or counted.
    pub meter: Arc<crate::service::metering::meter::Meter>,
    /// STOA's demo backends (`/demo-backends`), the gateway's in-process upstream (the
    /// gateway itself is the server's: `server::gateway_of`).
    pub demo: Arc<crate::service::demo::backends::Backends>,
    /// Unknown keys asked of `/v1/keys/verify`, per caller's address.
    pub key_misses: Arc<crate::throttle::PerAddress>,
}

impl AppState {
    pub fn new(leptos_options: LeptosOptions, pool: PgPool, config: Config) -> AppState {
        let identity = Arc::new(Identity::new(config.oidc.clone(), &config.public_url));
        let meter = Arc::new(crate::service::metering::meter::Meter::new(config.metering.buffer));
        let demo = Arc::new(crate::service::demo::backends::Backends::new(pool.clone(), config.demo));
        let key_misses = Arc::new(crate::throttle::PerAddress::new(config.unknown_keys_per_minute));
        AppState { leptos_options, pool, config: Arc::new(config), identity, meter, demo, key_misses }
    }
}

/// The state inside a server function or a page being rendered.
pub fn app_state() -> Result<AppState, AppError> {
    use_context::<AppState>().ok_or_else(|| AppError::internal("state", "AppState not provided"))
}

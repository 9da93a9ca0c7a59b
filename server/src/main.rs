//! `server [serve|migrate|seed]`: configuration, pool, migrations, background tasks and
//! the listener — nothing else.

use app::config::Config;
use app::state::AppState;
use server::events::{self, relay::Relay, relay::Sink, Dispatcher};
use std::process::ExitCode;
use tokio_util::sync::CancellationToken;

/// jemalloc instead of glibc's allocator: the gateway allocates per call on every worker,
/// and glibc's arena locks showed in its profile; with jemalloc the gateway part of
/// `make bench` served 33 % more calls (13 687 → 18 198 req/s, one run after the other).
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

#[tokio::main]
async fn main() -> ExitCode {
    let config = match Config::from_env() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    server::telemetry::init(config.log_format);
    let command = std::env::args().nth(1).unwrap_or_else(|| "serve".to_owned());
    let result = match command.as_str() {
        "serve" => serve(config).await,
        "migrate" => migrate(&config).await.map(|_| ()),
        "seed" => seed(&config).await,
        other => Err(format!("unknown command `{other}`; use serve, migrate or seed")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!("{e}");
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn migrate(config: &Config) -> Result<sqlx::PgPool, String> {
    let owner = app::db::owner_pool(&config.database_url).await.map_err(|e| format!("database: {e}"))?;
    app::db::MIGRATOR.run(&owner).await.map_err(|e| format!("migrations: {e}"))?;
    owner.close().await;
    app::db::pool(&config.database_url, config.database_max_connections).map_err(|e| format!("database: {e}"))
}

async fn seed(config: &Config) -> Result<(), String> {
    let pool = migrate(config).await?;
    let event = app::service::demo::seed::run(&pool).await.map_err(|e| format!("seed: {e}"))?;
    app::service::demo::seed::dataset(&pool).await.map_err(|e| format!("seed (demo dataset): {e}"))?;
    app::service::demo::reset::write_history(&pool, config.metering.raw_days)
        .await
        .map_err(|e| format!("seed (demo history): {e}"))?;
    server::seed::publish_own_document(&pool, &config.public_url)
        .await
        .map_err(|e| format!("seed (own API document): {e}"))?;
    tracing::info!(event_id = %event.id, "demo tenant seeded");
    Ok(())
}

async fn serve(config: Config) -> Result<(), String> {
    let pool = migrate(&config).await?;
    let leptos_options = server::leptos_options(&config)?;
    let addr = leptos_options.site_addr;
    let shutdown = CancellationToken::new();
    let dispatcher = Dispatcher::standard(pool.clone());
    let mut tasks = Vec::new();
    let sink = match &config.kafka {
        None => Sink::InProcess(dispatcher),
        Some(kafka) => {
            tasks.push(tokio::spawn(events::kafka::consume(kafka.clone(), dispatcher, shutdown.clone())));
            Sink::Kafka(events::kafka::KafkaPublisher::new(kafka.clone()))
        }
    };
    tasks.push(tokio::spawn(Relay::new(pool.clone(), sink).run(shutdown.clone())));
    tasks.push(tokio::spawn(server::keys::listen(pool.clone(), shutdown.clone())));
    tasks.push(tokio::spawn(server::expiry::run(
        pool.clone(),
        std::time::Duration::from_secs(60),
        shutdown.clone(),
    )));

    let gitops =
        server::gitops::GitOps { dir: config.data_dir.join("gitops"), remote: config.gitops_remote.clone() };
    tasks.push(tokio::spawn(gitops.run(pool.clone(), std::time::Duration::from_secs(2), shutdown.clone())));
    if let Some(url) = &config.smtp_url {
        let mailer = server::mailer::Mailer::new(url, &config.public_url)?;
        tasks.push(tokio::spawn(mailer.run(
            pool.clone(),
            std::time::Duration::from_secs(2),
            shutdown.clone(),
        )));
    }
    let awx = config.awx.clone().map(app::awx::Awx::new);
    tasks.push(tokio::spawn(server::deployer::run(
        pool.clone(),
        awx,
        std::time::Duration::from_secs(2),
        shutdown.clone(),
    )));
    if let Some(schedule) = config.demo_reset_schedule.clone().filter(|_| config.demo) {
        tasks.push(tokio::spawn(server::demo::scheduled_resets(
            pool.clone(),
            config.metering.raw_days,
            schedule,
            shutdown.clone(),
        )));
    }
    let state = AppState::new(leptos_options, pool, config);
    let gateway = server::gateway_of(&state);
    // Metering: our gateway's events to the topic (Kafka) or straight into the ingest.
    let metering = state.config.metering.clone();
    match &state.config.kafka {
        None => tasks.push(tokio::spawn(server::metering::in_process(
            state.meter.clone(),
            state.pool.clone(),
            metering.raw_days,
            shutdown.clone(),
        ))),
        Some(kafka) => {
            tasks.push(tokio::spawn(server::metering::publish(
                state.meter.clone(),
                kafka.clone(),
                metering.topic.clone(),
                shutdown.clone(),
            )));
            tasks.push(tokio::spawn(server::metering::consume(
                kafka.clone(),
                metering.topic.clone(),
                state.pool.clone(),
                metering.raw_days,
                shutdown.clone(),
            )));
        }
    }
    tasks.push(tokio::spawn(server::metering::sweep(
        state.pool.clone(),
        metering.raw_days,
        shutdown.clone(),
    )));
    tasks.push(tokio::spawn(server::session::sweep_expired(
        state.clone(),
        std::time::Duration::from_secs(600),
        shutdown.clone(),
    )));
    if state.config.demo && state.config.demo_traffic {
        tasks.push(tokio::spawn(server::demo::traffic(
            state.pool.clone(),
            gateway.clone(),
            std::time::Duration::from_secs(2),
            shutdown.clone(),
        )));
    }
    let gateway_port = state.config.gateway.port;
    let (app, gateway) = server::routers(state, gateway);
    // The gateway's own origin: a second listener, stopped with the first.
    if let (Some(port), Some(gateway)) = (gateway_port, gateway) {
        let gateway_addr = std::net::SocketAddr::new(addr.ip(), port);
        let listener = tokio::net::TcpListener::bind(gateway_addr)
            .await
            .map_err(|e| format!("bind {gateway_addr} (GATEWAY_PORT): {e}"))?;
        tracing::info!(addr = %gateway_addr, "gateway listening");
        let listener = axum::serve::ListenerExt::tap_io(listener, |tcp| {
            let _ = tcp.set_nodelay(true);
        });
        let stop = shutdown.clone();
        tasks.push(tokio::spawn(async move {
            let served =
                axum::serve(listener, gateway.into_make_service_with_connect_info::<std::net::SocketAddr>())
                    .with_graceful_shutdown(stop.cancelled_owned())
                    .await;
            if let Err(e) = served {
                tracing::error!(error = %e, "gateway listener failed");
            }
        }));
    }
    let listener = tokio::net::TcpListener::bind(addr).await.map_err(|e| format!("bind {addr}: {e}"))?;
    tracing::info!(%addr, "listening");
    // Streamed SSR sends many small chunks: without TCP_NODELAY, Nagle holds them back.
    let listener = axum::serve::ListenerExt::tap_io(listener, |tcp| {
        let _ = tcp.set_nodelay(true);
    });
    axum::serve(listener, app.into_make_service_with_connect_info::<std::net::SocketAddr>())
        .with_graceful_shutdown(shutdown_signal())
        .await
        .map_err(|e| format!("serve: {e}"))?;
    shutdown.cancel();
    for task in tasks {
        let _ = task.await;
    }
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
}

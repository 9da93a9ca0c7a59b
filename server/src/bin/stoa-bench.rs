//! Catalog benchmarks, driven by `scripts/bench.sh` (`make bench`) against a database
//! seeded by `stoa-bench generate`:
//!
//!   stoa-bench generate <apis> <big-document-bytes>
//!   stoa-bench measure      search p50/p95/p99 (in process, as a visitor and as a tenant
//!                           admin) and server-side time of the big document's API page
//!   stoa-bench bare <port>  a bare axum JSON handler running the catalog page's query,
//!                           the yardstick for the page's requests/s
//!
//! Reads DATABASE_URL (and the usual server variables for `measure`).

use app::db::bench_catalog;
use app::db::scope::{self, Scope};
use app::domain::catalog::Viewer;
use app::domain::role::Role;
use app::model::catalog::{CatalogQuery, PER_PAGE};
use std::time::{Duration, Instant};

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

async fn search_once(pool: &sqlx::PgPool, viewer: &Viewer, q: &str) -> Result<i64, String> {
    let scope = match &viewer.tenant_id {
        None => Scope::Tenant(""),
        Some(t) => Scope::Tenant(t),
    };
    let mut tx = scope::begin(pool, scope).await.map_err(|e| e.to_string())?;
    let query = CatalogQuery { q: Some(q.to_owned()), ..Default::default() };
    let r =
        app::db::catalog::search(&mut tx, viewer, &query, PER_PAGE, 0).await.map_err(|e| e.to_string())?;
    tx.commit().await.map_err(|e| e.to_string())?;
    Ok(r.total)
}

async fn measure(pool: sqlx::PgPool) -> Result<(), String> {
    let queries = bench_catalog::sample_queries();
    let items: i64 = {
        let mut tx = scope::begin(&pool, Scope::Platform).await.map_err(|e| e.to_string())?;
        sqlx::query_scalar("SELECT count(*) FROM catalog_items")
            .fetch_one(&mut *tx)
            .await
            .map_err(|e| e.to_string())?
    };
    for (label, viewer) in
        [("visitor", Viewer::anonymous()), ("tenant-admin", Viewer::of("bench-03", &[Role::TenantAdmin]))]
    {
        // Warm up with one full pass: right after `generate` the caches are cold and
        // autovacuum is still busy with the fresh tables.
        for q in &queries {
            search_once(&pool, &viewer, q).await?;
        }
        let mut times = Vec::new();
        let mut hits = 0;
        for _ in 0..3 {
            for q in &queries {
                let start = Instant::now();
                hits += search_once(&pool, &viewer, q).await?;
                times.push(start.elapsed());
            }
        }
        times.sort();
        println!(
            "search ({label}, {items} entries, {} queries, {} matches avg): p50 {}  p95 {}  p99 {}",
            times.len(),
            hits / times.len() as i64,
            ms(percentile(&times, 0.5)),
            ms(percentile(&times, 0.95)),
            ms(percentile(&times, 0.99)),
        );
    }

    // The big document's page, rendered by the real router in process (database read,
    // JSON decode, SSR), as a visitor.
    use tower::ServiceExt;
    let config = app::config::Config::from_env().map_err(|e| e.to_string())?;
    let options = leptos::config::LeptosOptions::builder()
        .output_name("stoa")
        .site_root(config.site_root.to_string_lossy().into_owned())
        .build();
    let router = server::router(app::state::AppState::new(options, pool.clone(), config));
    let bytes: i64 = sqlx::query_scalar(
        "SELECT octet_length(v.document)::bigint FROM api_versions v JOIN catalog_items i ON i.id = v.item_id
         WHERE i.slug = 'enterprise-data-hub'",
    )
    .fetch_one(&pool)
    .await
    .map_err(|e| e.to_string())?;
    let mut times = Vec::new();
    let mut html = 0;
    for _ in 0..7 {
        let req = axum::http::Request::get("/apis/bench-big/enterprise-data-hub")
            .header("accept", "text/html")
            .body(axum::body::Body::empty())
            .map_err(|e| e.to_string())?;
        let start = Instant::now();
        let res = router.clone().oneshot(req).await.map_err(|e| e.to_string())?;
        let status = res.status();
        let body =
            http_body_util::BodyExt::collect(res.into_body()).await.map_err(|e| e.to_string())?.to_bytes();
        times.push(start.elapsed());
        html = body.len();
        if !status.is_success() {
            return Err(format!("big page answered {status}"));
        }
    }
    times.sort();
    println!(
        "API page of a {:.1} MB document ({} KB of HTML): median {}  max {}",
        bytes as f64 / 1_048_576.0,
        html / 1024,
        ms(percentile(&times, 0.5)),
        ms(times.last().copied().unwrap_or(Duration::ZERO)),
    );
    Ok(())
}

async fn bare(pool: sqlx::PgPool, port: u16) -> Result<(), String> {
    use axum::extract::{Query, State};
    use axum::Json;
    #[derive(serde::Deserialize)]
    struct Q {
        q: Option<String>,
    }
    async fn handler(
        State(pool): State<sqlx::PgPool>,
        Query(q): Query<Q>,
    ) -> Result<Json<app::model::catalog::CatalogResults>, app::error::AppError> {
        let viewer = Viewer::anonymous();
        let query = CatalogQuery { q: q.q, ..Default::default() };
        let mut tx = scope::begin(&pool, Scope::Tenant("")).await?;
        let r = app::db::catalog::search(&mut tx, &viewer, &query, PER_PAGE, 0).await?;
        tx.commit().await?;
        Ok(Json(r))
    }
    let app = axum::Router::new().route("/search", axum::routing::get(handler)).with_state(pool);
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await.map_err(|e| e.to_string())?;
    let listener = axum::serve::ListenerExt::tap_io(listener, |tcp| {
        let _ = tcp.set_nodelay(true);
    });
    axum::serve(listener, app).await.map_err(|e| e.to_string())
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let url = std::env::var("DATABASE_URL").unwrap_or_default();
    let result = async {
        let pool = app::db::pool(&url, 16).map_err(|e| e.to_string())?;
        match args.first().map(String::as_str) {
            Some("generate") => {
                let apis = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(10_000);
                let big = args.get(2).and_then(|a| a.parse().ok()).unwrap_or(5 * 1024 * 1024);
                let start = Instant::now();
                let size = bench_catalog::generate(&pool, apis, big).await.map_err(|e| e.to_string())?;
                println!(
                    "generated {apis} APIs and a {size}-byte document in {:.1} s",
                    start.elapsed().as_secs_f64()
                );
                Ok(())
            }
            Some("measure") => measure(pool).await,
            Some("bare") => bare(pool, args.get(1).and_then(|p| p.parse().ok()).unwrap_or(3201)).await,
            _ => Err("usage: stoa-bench generate <apis> <bytes> | measure | bare <port>".into()),
        }
    }
    .await;
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("stoa-bench: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}

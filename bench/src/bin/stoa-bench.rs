//! Catalog benchmarks, driven by `scripts/bench.sh` (`make bench`) against a database
//! seeded by `stoa-bench generate`:
//!
//!   stoa-bench generate <apis> <big-document-bytes>
//!   stoa-bench measure      search p50/p95/p99 (in process, as a visitor and as a tenant
//!                           admin) and server-side time of the big document's API page
//!   stoa-bench bare <port>  a bare axum JSON handler running the catalog page's query,
//!                           the yardstick for the page's requests/s
//!   stoa-bench pages-bare <port>   the main pages' database work (home, catalog, API page,
//!                           apps, usage, requests) behind the site's session layer, as JSON:
//!                           the yardstick of each page's requests/s
//!
//!   stoa-bench usage-generate <events> <days>   rollups of that many calls (20 tenants,
//!                           200 applications), written by the ingest's rollup writer
//!   stoa-bench usage-measure   server time of `/v1/usage`'s usual queries: p50/p95/p99
//!   stoa-bench dashboard-measure   server time of `/usage` (a consumer with ten
//!                           applications) and `/console/usage` (platform and tenant
//!                           admins) over 24 h, 7 d and 30 d: the whole page's reads
//!   stoa-bench export-measure <rows>   that many raw calls written, then exported as CSV
//!                           (every call of 7 days): time, bytes and the process's peak RSS
//!   stoa-bench upstream <port>   a bare HTTP upstream answering a small JSON body, the
//!                           yardstick of the gateway
//!   stoa-bench ingest <brokers> <topic> <events>   produces that many events in the STOA
//!                           gateway's shape to a fresh topic, then times the ingest
//!                           counting them into rollups
//!
//! Reads DATABASE_URL (and the usual server variables for `measure`).

use app::db::scope::{self, Scope};
use app::domain::catalog::Viewer;
use app::domain::role::Role;
use app::model::catalog::{CatalogQuery, PER_PAGE};
use bench::catalog as bench_catalog;
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

async fn measure(pool: sqlx::PgPool, config: app::config::Config) -> Result<(), String> {
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
    let router = server::router(app_state(pool.clone(), config)?);
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
    serve(app, port).await
}

/// The main pages' database work with no page around it: the same session layer and user
/// lookup as the site, then the service calls each page makes, answered as JSON. The
/// yardstick of each page's requests/s (`scripts/bench.sh`).
async fn pages_bare(pool: sqlx::PgPool, config: app::config::Config, port: u16) -> Result<(), String> {
    use app::auth::CurrentUser;
    use app::domain::catalog::Kind;
    use app::error::AppError;
    use app::model::catalog::CatalogParams;
    use app::service;
    use app::state::AppState;
    use axum::extract::{Path, State};
    use axum::{Extension, Json};
    type Answer<T> = Result<Json<T>, AppError>;
    type User = Option<Extension<CurrentUser>>;
    fn visitor(user: User) -> Option<CurrentUser> {
        user.map(|Extension(u)| u)
    }
    fn signed_in(user: User) -> Result<CurrentUser, AppError> {
        visitor(user).ok_or(AppError::Unauthorized)
    }
    async fn home(State(s): State<AppState>) -> Answer<app::model::platform::PlatformFigures> {
        Ok(Json(service::platform::status(&s.pool).await?))
    }
    async fn catalog(State(s): State<AppState>, user: User) -> Answer<app::model::catalog::CatalogResults> {
        let user = visitor(user);
        Ok(Json(service::catalog::search(&s.pool, user.as_ref(), &CatalogParams::default().parse()).await?))
    }
    async fn api(
        State(s): State<AppState>,
        user: User,
        Path((tenant, api)): Path<(String, String)>,
    ) -> Answer<serde_json::Value> {
        let user = visitor(user);
        // Signed in, the page also lists the user's applications (to subscribe, to try).
        let apps = match &user {
            Some(u) => service::applications::list(&s.pool, u).await?,
            None => vec![],
        };
        let (detail, document) =
            service::catalog::item(&s.pool, user.as_ref(), &tenant, Kind::Api, &api, None).await?;
        Ok(Json(serde_json::json!({ "detail": detail, "document": document, "apps": apps })))
    }
    async fn apps(
        State(s): State<AppState>,
        user: User,
    ) -> Answer<Vec<app::model::applications::AppSummary>> {
        Ok(Json(service::applications::list(&s.pool, &signed_in(user)?).await?))
    }
    async fn usage(State(s): State<AppState>, user: User) -> Answer<app::model::metering::UsageDashboard> {
        let user = signed_in(user)?;
        let q = app::model::metering::DashboardQuery::default();
        Ok(Json(
            service::usage::dashboard::dashboard(&s.pool, &user, &q, false, s.config.metering.raw_days)
                .await?,
        ))
    }
    async fn requests(State(s): State<AppState>, user: User) -> Answer<serde_json::Value> {
        let user = signed_in(user)?;
        let filter = app::model::promotions::RequestFilter::default();
        let per_page = app::model::promotions::PER_PAGE;
        let items = service::promotions::list(&s.pool, &user, &filter, per_page + 1, 0).await?;
        let stats = service::promotions::stats(&s.pool, &user).await?;
        Ok(Json(serde_json::json!({ "items": items, "stats": stats })))
    }
    let state = app_state(pool, config)?;
    let app = axum::Router::new()
        .route("/", axum::routing::get(home))
        .route("/catalog", axum::routing::get(catalog))
        .route("/apis/{tenant}/{api}", axum::routing::get(api))
        .route("/apps", axum::routing::get(apps))
        .route("/usage", axum::routing::get(usage))
        .route("/console/requests", axum::routing::get(requests))
        .layer(axum::middleware::from_fn_with_state(state.clone(), server::session::load_user))
        .layer(server::session::layer(&state))
        .with_state(state);
    serve(app, port).await
}

/// Serves `app` on 127.0.0.1:`port` as the server does (no Nagle delay on its sockets).
async fn serve(app: axum::Router, port: u16) -> Result<(), String> {
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await.map_err(|e| e.to_string())?;
    let listener = axum::serve::ListenerExt::tap_io(listener, |tcp| {
        let _ = tcp.set_nodelay(true);
    });
    axum::serve(listener, app).await.map_err(|e| e.to_string())
}

/// The server's state as `server serve` makes it from `config`.
fn app_state(pool: sqlx::PgPool, config: app::config::Config) -> Result<app::state::AppState, String> {
    Ok(app::state::AppState::new(server::leptos_options(&config)?, pool, config))
}

/// `/v1/usage`'s usual queries (24 h, 7 d, 30 d; by application and by API), as a
/// platform admin (every call) and as a tenant admin (one tenant's), in process.
async fn usage_measure(pool: sqlx::PgPool) -> Result<(), String> {
    use app::model::metering::{GroupBy, Period, UsageQuery};
    let admin = app::auth::CurrentUser {
        id: uuid::Uuid::nil(),
        username: "bench-cpi".into(),
        display_name: "Bench".into(),
        tenant_id: "demo".into(),
        roles: vec![Role::CpiAdmin],
    };
    let tenant_admin = app::auth::CurrentUser {
        id: bench::metering::owner(3),
        username: "usage-admin-03".into(),
        display_name: "Bench".into(),
        tenant_id: bench::metering::tenant(3),
        roles: vec![Role::TenantAdmin],
    };
    let calls: i64 = {
        let mut tx = scope::begin(&pool, Scope::Platform).await.map_err(|e| e.to_string())?;
        app::db::metering::usage::total_calls(&mut tx).await.map_err(|e| e.to_string())?
    };
    let mut all = Vec::new();
    for (who, user) in [("platform admin", &admin), ("tenant admin", &tenant_admin)] {
        for period in [Period::Day, Period::Week, Period::Month] {
            for group_by in [GroupBy::Application, GroupBy::Api] {
                let q = UsageQuery { period: Some(period), group_by: Some(group_by), ..Default::default() };
                let mut times = Vec::new();
                let mut seen = 0;
                for i in 0..12 {
                    let start = Instant::now();
                    let r = app::service::usage::report::usage(&pool, user, &q)
                        .await
                        .map_err(|e| e.to_string())?;
                    if i >= 2 {
                        times.push(start.elapsed()); // the first two warm the caches
                    }
                    seen = r.totals.calls;
                }
                println!("usage ({who}, {period:?} by {group_by:?}, {seen} calls): {}", spread(&mut times));
                all.extend(times);
            }
        }
    }
    println!("usage over {calls} counted calls, all usual queries: {}", overall(&mut all));
    Ok(())
}

/// "p50 …  p95 …  max …" of one measured query.
fn spread(times: &mut [Duration]) -> String {
    times.sort();
    format!(
        "p50 {}  p95 {}  max {}",
        ms(percentile(times, 0.5)),
        ms(percentile(times, 0.95)),
        ms(times.last().copied().unwrap_or(Duration::ZERO))
    )
}

/// "p50 …  p95 …  p99 …" of every measured query together.
fn overall(times: &mut [Duration]) -> String {
    times.sort();
    format!(
        "p50 {}  p95 {}  p99 {}",
        ms(percentile(times, 0.5)),
        ms(percentile(times, 0.95)),
        ms(percentile(times, 0.99))
    )
}

fn bench_user(id: uuid::Uuid, tenant: String, role: Role) -> app::auth::CurrentUser {
    app::auth::CurrentUser {
        id,
        username: format!("bench-{}", role.as_str()),
        display_name: "Bench".into(),
        tenant_id: tenant,
        roles: vec![role],
    }
}

/// The dashboards' whole read (figures, previous period, series, three or four
/// breakdowns, quotas, last calls) for the usual periods, in process.
async fn dashboard_measure(pool: sqlx::PgPool) -> Result<(), String> {
    use app::model::metering::DashboardQuery;
    use bench::metering::{owner, tenant};
    let consumer = bench_user(owner(3), tenant(3), Role::Viewer);
    let tenant_admin = bench_user(owner(3), tenant(3), Role::TenantAdmin);
    let platform = bench_user(uuid::Uuid::nil(), "demo".into(), Role::CpiAdmin);
    let mut all = Vec::new();
    for (who, user, console) in [
        ("/usage, consumer of 10 applications", &consumer, false),
        ("/console/usage, tenant admin", &tenant_admin, true),
        ("/console/usage, platform admin", &platform, true),
    ] {
        for period in ["24h", "7d", "30d"] {
            let q = DashboardQuery { period: Some(period.into()), ..Default::default() };
            let mut times = Vec::new();
            let mut seen = 0;
            for i in 0..12 {
                let start = Instant::now();
                let d = app::service::usage::dashboard::dashboard(&pool, user, &q, console, 7)
                    .await
                    .map_err(|e| e.to_string())?;
                if i >= 2 {
                    times.push(start.elapsed());
                }
                seen = d.report.totals.calls;
            }
            println!("{who}, {period} ({seen} calls): {}", spread(&mut times));
            all.extend(times);
        }
    }
    println!("dashboards, all: {}", overall(&mut all));
    Ok(())
}

fn peak_rss_mib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
        / 1024
}

/// Writes `rows` raw calls over the last 6 days (one application of the generated
/// tenants), then exports every call of the last 7 days as CSV, reading the stream as a
/// client would.
async fn export_measure(pool: sqlx::PgPool, rows: i64) -> Result<(), String> {
    use app::model::metering::DashboardQuery;
    let now = chrono::Utc::now();
    {
        let mut tx = scope::begin(&pool, Scope::Platform).await.map_err(|e| e.to_string())?;
        for d in 0..8 {
            app::db::metering::calls::ensure_partition(
                &mut tx,
                (now - chrono::Duration::days(d)).date_naive(),
            )
            .await
            .map_err(|e| e.to_string())?;
        }
        sqlx::query(
            "INSERT INTO metering_calls (event_id, at, tenant_id, application_id, app_tenant_id, consumer_id, api,
                 tool_name, action, status, http_method, http_status, latency_ms, request_bytes, response_bytes,
                 t_gateway_ms, t_backend_ms)
             SELECT gen_random_uuid(), now() - make_interval(secs => (i * 0.518) % 518400), 'bench-usage-03',
                    $2, 'bench-usage-03', 'bench-usage-client-3', 'api-1', 'api-1/op' || (i % 4), 'get',
                    CASE WHEN i % 20 = 0 THEN 'error' ELSE 'success' END, 'GET',
                    CASE WHEN i % 20 = 0 THEN 502 ELSE 200 END, 3 + i % 40, 200, 1500 + i % 3000, 1, 2 + i % 40
             FROM generate_series(1, $1) AS i",
        )
        .bind(rows)
        .bind(uuid::Uuid::from_u128(0xa0_0000 + 3))
        .execute(&mut *tx)
        .await
        .map_err(|e| e.to_string())?;
        tx.commit().await.map_err(|e| e.to_string())?;
        sqlx::query("ANALYZE metering_calls").execute(&pool).await.map_err(|e| e.to_string())?;
    }
    let platform = bench_user(uuid::Uuid::nil(), "demo".into(), Role::CpiAdmin);
    let q = DashboardQuery { period: Some("7d".into()), ..Default::default() };
    let before = peak_rss_mib();
    let (tx, mut rx) = tokio::sync::mpsc::channel::<String>(2);
    let start = Instant::now();
    let writer = tokio::spawn({
        let pool = pool.clone();
        async move {
            app::service::usage::export::export(
                &pool,
                &platform,
                &q,
                true,
                7,
                app::service::usage::export::ExportKind::Calls,
                tx,
            )
            .await
        }
    });
    let (mut bytes, mut lines) = (0usize, 0usize);
    while let Some(chunk) = rx.recv().await {
        bytes += chunk.len();
        lines += chunk.matches("\r\n").count();
    }
    writer.await.map_err(|e| e.to_string())?.map_err(|e| e.to_string())?;
    let secs = start.elapsed().as_secs_f64();
    println!(
        "CSV export of every call of 7 days: {} rows ({:.1} MB) in {secs:.1} s ({:.0} rows/s); peak RSS {before} MiB before, {} MiB after",
        lines.saturating_sub(1),
        bytes as f64 / 1e6,
        lines as f64 / secs,
        peak_rss_mib()
    );
    Ok(())
}

/// A bare upstream: every path answers the same small JSON body.
async fn upstream(port: u16) -> Result<(), String> {
    let app = axum::Router::new().fallback(|| async {
        ([("content-type", "application/json")], r#"{"id":"A-7","status":"shipped","lines":3}"#)
    });
    serve(app, port).await
}

/// Produces `events` events in the STOA gateway's shape (for the seeded demo tenant and
/// a demo application's client id), then counts them with the ingest and reports the
/// rate from its first to its last batch.
/// Event `i` of the ingest bench, in the STOA gateway's shape: spread over the hour
/// before `now`, seven operations, one error in twenty.
fn bench_event(i: usize, now: chrono::DateTime<chrono::Utc>, client: &str) -> Vec<u8> {
    let event = serde_json::json!({
        "event_id": uuid::Uuid::now_v7(),
        "timestamp": (now - chrono::Duration::milliseconds((i % 3_600_000) as i64)).to_rfc3339(),
        "tenant_id": "demo",
        "consumer_id": client,
        "tool_name": format!("weather-forecast/op{}", i % 7),
        "action": "get",
        "latency_ms": 3 + i % 40,
        "status": if i % 20 == 0 { "error" } else { "success" },
        "request_size_bytes": 150,
        "response_size_bytes": 1800,
        "t_gateway_ms": 1,
        "t_backend_ms": 2 + i % 40,
    });
    serde_json::to_vec(&event).unwrap_or_default()
}

/// The client id of the seeded database's first application (the bench's consumer).
async fn bench_client(pool: &sqlx::PgPool) -> Result<String, String> {
    let mut tx = scope::begin(pool, Scope::Platform).await.map_err(|e| e.to_string())?;
    let client = sqlx::query_scalar("SELECT client_id FROM applications ORDER BY created_at LIMIT 1")
        .fetch_optional(&mut *tx)
        .await
        .map_err(|e| e.to_string())?
        .unwrap_or_else(|| "unknown-bench-client".into());
    Ok(client)
}

/// The ingest without a broker: `events` payloads in memory, counted in batches of the
/// Kafka ingest's size, one after the other — what the ingest itself can do.
async fn ingest_direct(pool: sqlx::PgPool, events: usize) -> Result<(), String> {
    let client = bench_client(&pool).await?;
    let now = chrono::Utc::now();
    let payloads: Vec<Vec<u8>> = (0..events).map(|i| bench_event(i, now, &client)).collect();
    let start = Instant::now();
    let mut counted = 0;
    for chunk in payloads.chunks(server::metering::BATCH) {
        let messages: Vec<app::service::metering::ingest::Message> = chunk
            .iter()
            .map(|p| app::service::metering::ingest::Message { payload: p, position: None })
            .collect();
        let done = app::service::metering::ingest::ingest(&pool, 7, "bench", None, &messages)
            .await
            .map_err(|e| e.to_string())?;
        counted += done.counted;
    }
    let secs = start.elapsed().as_secs_f64();
    println!(
        "ingest without a broker: {counted} events counted in {secs:.1} s ({:.0} events/s)",
        counted as f64 / secs
    );
    Ok(())
}

async fn ingest(pool: sqlx::PgPool, brokers: String, topic: String, events: usize) -> Result<(), String> {
    use rdkafka::producer::{FutureProducer, FutureRecord, Producer};
    let cfg = app::config::KafkaConfig { brokers: brokers.clone(), group_id: "stoa-bench".into() };
    server::metering::ensure_topic(&cfg, &topic).await?;
    let client = bench_client(&pool).await?;
    let producer: FutureProducer = rdkafka::ClientConfig::new()
        .set("bootstrap.servers", &brokers)
        .set("linger.ms", "20")
        .set("message.timeout.ms", "120000")
        .set("queue.buffering.max.messages", "1000000")
        .create()
        .map_err(|e| e.to_string())?;
    let produce_start = Instant::now();
    let now = chrono::Utc::now();
    let mut pending = Vec::new();
    for i in 0..events {
        let payload = bench_event(i, now, &client);
        let key = format!("demo-{}", i % 3);
        let record = FutureRecord::to(&topic).key(&key).payload(&payload);
        pending.push(producer.send_result(record).map_err(|(e, _)| e.to_string())?);
        if pending.len() >= 20_000 {
            for d in pending.drain(..) {
                d.await.map_err(|_| "cancelled".to_string())?.map_err(|(e, _)| e.to_string())?;
            }
        }
    }
    for d in pending.drain(..) {
        d.await.map_err(|_| "cancelled".to_string())?.map_err(|(e, _)| e.to_string())?;
    }
    producer.flush(Duration::from_secs(30)).map_err(|e| e.to_string())?;
    println!("produced {events} events to {topic} in {:.1} s", produce_start.elapsed().as_secs_f64());
    // The broker alone: how fast these events can be read back, counting nothing.
    {
        use rdkafka::consumer::{Consumer, StreamConsumer};
        let reader: StreamConsumer = rdkafka::ClientConfig::new()
            .set("bootstrap.servers", &brokers)
            .set("group.id", "stoa-bench-read")
            .set("enable.auto.commit", "false")
            .set("fetch.wait.max.ms", "50")
            .create()
            .map_err(|e| e.to_string())?;
        let metadata =
            reader.fetch_metadata(Some(&topic), Duration::from_secs(5)).map_err(|e| e.to_string())?;
        let mut list = rdkafka::TopicPartitionList::new();
        for t in metadata.topics().iter().filter(|t| t.name() == topic) {
            for p in t.partitions() {
                list.add_partition_offset(&topic, p.id(), rdkafka::Offset::Beginning)
                    .map_err(|e| e.to_string())?;
            }
        }
        reader.assign(&list).map_err(|e| e.to_string())?;
        let start = Instant::now();
        let mut read = 0usize;
        while read < events {
            match tokio::time::timeout(Duration::from_secs(30), reader.recv()).await {
                Ok(Ok(_)) => read += 1,
                Ok(Err(e)) => return Err(format!("reading back: {e}")),
                Err(_) => return Err(format!("reading back stalled after {read} events")),
            }
        }
        let secs = start.elapsed().as_secs_f64();
        println!("read back alone: {read} events in {secs:.1} s ({:.0} events/s)", read as f64 / secs);
    }
    let before: i64 = {
        let mut tx = scope::begin(&pool, Scope::Platform).await.map_err(|e| e.to_string())?;
        app::db::metering::usage::total_calls(&mut tx).await.map_err(|e| e.to_string())?
    };
    let stop = tokio_util::sync::CancellationToken::new();
    let start = Instant::now();
    let task = tokio::spawn(server::metering::consume(cfg, topic, pool.clone(), 7, stop.clone()));
    let mut first: Option<(Instant, i64)> = None;
    loop {
        tokio::time::sleep(Duration::from_millis(200)).await;
        let counted = {
            let mut tx = scope::begin(&pool, Scope::Platform).await.map_err(|e| e.to_string())?;
            app::db::metering::usage::total_calls(&mut tx).await.map_err(|e| e.to_string())? - before
        };
        if counted > 0 && first.is_none() {
            first = Some((Instant::now(), counted));
        }
        if counted >= events as i64 {
            let (t0, n0) = first.unwrap_or((start, 0));
            let steady = (counted - n0) as f64 / t0.elapsed().as_secs_f64().max(1e-3);
            println!(
                "ingest: {counted} events counted in {:.1} s from start ({:.0} events/s overall, {:.0} events/s from the first batch on)",
                start.elapsed().as_secs_f64(),
                counted as f64 / start.elapsed().as_secs_f64(),
                steady
            );
            break;
        }
        if start.elapsed() > Duration::from_secs(1200) {
            return Err(format!("ingest counted only {counted} of {events} in 20 minutes"));
        }
    }
    stop.cancel();
    let _ = task.await;
    Ok(())
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = async {
        // The server's configuration, read once; its pool size (DATABASE_MAX_CONNECTIONS,
        // else its default), so that the bare handlers compared with its pages wait for
        // connections as it does.
        let config = app::config::Config::from_env().map_err(|e| e.to_string())?;
        let pool = app::db::pool(&config.database_url, config.database_max_connections).map_err(|e| e.to_string())?;
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
            Some("measure") => measure(pool, config).await,
            Some("bare") => bare(pool, args.get(1).and_then(|p| p.parse().ok()).unwrap_or(3201)).await,
            Some("pages-bare") => pages_bare(pool, config, args.get(1).and_then(|p| p.parse().ok()).unwrap_or(3203)).await,
            Some("usage-generate") => {
                let events = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(10_000_000);
                let days = args.get(2).and_then(|a| a.parse().ok()).unwrap_or(30);
                let start = Instant::now();
                let rows = bench::metering::generate(&pool, events, days).await.map_err(|e| e.to_string())?;
                println!(
                    "generated the rollups of {events} calls over {days} days ({rows} rows) in {:.1} s",
                    start.elapsed().as_secs_f64()
                );
                Ok(())
            }
            Some("usage-measure") => usage_measure(pool).await,
            Some("dashboard-measure") => dashboard_measure(pool).await,
            Some("export-measure") => {
                export_measure(pool, args.get(1).and_then(|a| a.parse().ok()).unwrap_or(1_000_000)).await
            }
            Some("upstream") => upstream(args.get(1).and_then(|p| p.parse().ok()).unwrap_or(3202)).await,
            Some("ingest") => {
                let brokers = args.get(1).cloned().unwrap_or_else(|| "127.0.0.1:9092".into());
                let topic = args.get(2).cloned().unwrap_or_else(|| "stoa.metering.bench".into());
                let events = args.get(3).and_then(|a| a.parse().ok()).unwrap_or(2_000_000);
                ingest(pool, brokers, topic, events).await
            }
            Some("ingest-direct") => {
                let events = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(2_000_000);
                ingest_direct(pool, events).await
            }
            _ => Err("usage: stoa-bench generate <apis> <bytes> | measure | bare <port> | pages-bare <port> | usage-generate <events> <days> \
                      | usage-measure | upstream <port> | ingest <brokers> <topic> <events> | ingest-direct <events>"
                .into()),
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

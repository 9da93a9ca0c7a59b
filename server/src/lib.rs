//! The STOA server: Leptos pages and server functions, operations endpoints, and the
//! event backbone. `router(state)` is everything a request can reach; `main.rs` only
//! wires configuration, the pool, background tasks and the listener.

pub mod console;
pub mod csrf;
pub mod demo;
pub mod deployer;
pub mod events;
pub mod expiry;
pub mod export;
pub mod gitops;
pub mod health;
pub mod keys;
pub mod mailer;
pub mod metering;
pub mod metrics;
pub mod oidc;
pub mod plain;
pub mod rest;
pub mod seed;
pub mod session;
pub mod telemetry;

use app::state::AppState;
use app::{document, shell, App};
use axum::routing::{any, get, post};
use axum::Router;
use gateway::http as gw;
use gateway::Gateway;
use leptos_axum::{file_and_error_handler_with_context, generate_route_list, LeptosRoutes};
use std::sync::Arc;
use tower::ServiceBuilder;
use tower_http::compression::CompressionLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::{DefaultOnResponse, TraceLayer};

/// Builds the whole HTTP surface for `state` on one listener: the portal, with the
/// gateway under `/gw` (sandboxed there) — or, when the gateway has a listener of its own
/// (`GATEWAY_PORT`), `/gw` redirecting to it. [`routers`] gives both.
pub fn router(state: AppState) -> Router {
    let gateway = gateway_of(&state);
    routers(state, gateway).0
}

/// The gateway of `state`: its configuration, pool and meter, with STOA's demo backends
/// as its in-process upstream.
pub fn gateway_of(state: &AppState) -> Arc<Gateway> {
    Arc::new(Gateway::new(state.pool.clone(), state.meter.clone(), &state.config, state.demo.clone()))
}

/// The portal's router, and the gateway's own when `GATEWAY_PORT` gives it a listener;
/// both count into one `/metrics`.
pub fn routers(state: AppState, gateway: Arc<Gateway>) -> (Router, Option<Router>) {
    let metrics = Arc::new(metrics::Metrics::new(state.meter.clone(), Some(gateway.clone())));
    let routes = generate_route_list(App);
    let pages = Router::new()
        .leptos_routes_with_context(&state, routes, page_policy, {
            let options = state.leptos_options.clone();
            move || document(&options)
        })
        .fallback(file_and_error_handler_with_context::<AppState, _>(page_policy, shell))
        .layer(axum::middleware::from_fn(clean_query));
    // Sessions only where a user can matter: pages, server functions, sign-out. The
    // operations endpoints stay free of cookie and session work.
    let mut with_sessions = Router::new();
    for (route, handler) in console::routes().into_iter().chain(export::routes()) {
        with_sessions = with_sessions.route(route.path, handler);
    }
    let with_sessions = with_sessions
        .route("/logout", post(session::logout))
        .route("/auth/oidc/start", get(oidc::start))
        .route("/auth/callback", get(oidc::callback))
        .merge(rest::router(&state))
        .route("/v1/{*rest}", any(rest::not_found))
        .route("/v0/{*rest}", any(rest::not_found))
        .merge(pages)
        .layer(axum::middleware::from_fn_with_state(state.clone(), session::load_user))
        .layer(session::layer(&state));
    // The gateway: callers are identified by their key only, so none of the site's
    // layers (same-origin check, compression, the request log) is any use there; its
    // record of each call is the metering event. Counted and given a request id.
    let own_listener = state.config.gateway.port.is_some();
    let gateway_on_portal = if own_listener {
        gw::redirects(&state.config.gateway.public_url)
    } else {
        gw::routes().layer(axum::middleware::from_fn(gw::sandboxed))
    }
    .with_state(gateway.clone())
    .merge(
        Router::new().route("/demo-backends/{*path}", any(demo::demo_backend)).with_state(state.demo.clone()),
    );
    let gateway_on_portal = counted(gateway_on_portal, &metrics);
    let own = own_listener.then(|| {
        let routes = gw::routes()
            .route("/healthz", get(health::healthz))
            .fallback(rest::not_found)
            .with_state(gateway.clone());
        counted(routes, &metrics)
    });
    let site = Router::new()
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .route("/metrics", get(metrics::render))
        .route(deployer::WEBHOOK_PATH, post(deployer::job_complete))
        .merge(rest::sessionless_router(&state))
        .merge(with_sessions)
        .layer(axum::middleware::from_fn_with_state(state.clone(), csrf::same_origin))
        .layer(axum::middleware::from_fn(security_headers))
        .layer(axum::middleware::from_fn(server_fn_status))
        .layer(axum::middleware::from_fn_with_state(metrics.clone(), metrics::track))
        .layer(CompressionLayer::new().gzip(true))
        .layer(
            // In request order: assign an id (or keep the caller's), trace, echo the id.
            ServiceBuilder::new()
                .layer(SetRequestIdLayer::new(telemetry::REQUEST_ID, MakeRequestUuid))
                .layer(
                    TraceLayer::new_for_http()
                        .make_span_with(telemetry::RequestSpan)
                        .on_response(DefaultOnResponse::new().level(tracing::Level::INFO)),
                )
                .layer(PropagateRequestIdLayer::new(telemetry::REQUEST_ID)),
        )
        .layer(axum::Extension(metrics))
        .layer(axum::Extension(gateway))
        .with_state(state);
    (Router::new().merge(gateway_on_portal).merge(site), own)
}

/// The gateway's routes, counted and given a request id of the gateway's own (a caller's
/// would reach the upstream as if the gateway had made it).
fn counted(routes: Router, metrics: &Arc<metrics::Metrics>) -> Router {
    routes.layer(axum::middleware::from_fn_with_state(metrics.clone(), metrics::track)).layer(
        ServiceBuilder::new()
            .map_request(|mut req: axum::extract::Request| {
                req.headers_mut().remove(telemetry::REQUEST_ID);
                req
            })
            .layer(SetRequestIdLayer::new(telemetry::REQUEST_ID, MakeRequestUuid))
            .layer(PropagateRequestIdLayer::new(telemetry::REQUEST_ID)),
    )
}

/// The site's Leptos options from `config`: what the server serves with, and what the
/// bench's bare handlers share its state with.
pub fn leptos_options(config: &app::config::Config) -> Result<leptos::config::LeptosOptions, String> {
    let addr = std::net::SocketAddr::new(config.host.parse().map_err(|e| format!("HOST: {e}"))?, config.port);
    Ok(leptos::config::LeptosOptions::builder()
        .output_name("stoa")
        .site_root(config.site_root.to_string_lossy().into_owned())
        .site_pkg_dir("pkg")
        .site_addr(addr)
        .env(leptos::config::Env::PROD)
        .build())
}

/// Runs `pass` every `period` until `shutdown`: the loop of every background task
/// (sweeps, the deployer, the GitOps record). A pass's errors are its own to log.
pub async fn every<F, Fut>(
    period: std::time::Duration,
    shutdown: tokio_util::sync::CancellationToken,
    mut pass: F,
) where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    let mut tick = tokio::time::interval(period);
    loop {
        tokio::select! {
            _ = shutdown.cancelled() => return,
            _ = tick.tick() => pass().await,
        }
    }
}

/// The site's Content-Security-Policy. Scripts: our own files, and inline only those that
/// carry this response's nonce (Leptos puts it on its own and on the islands loader): no
/// `unsafe-inline`. `wasm-unsafe-eval` lets the browser compile the islands' WebAssembly.
/// No plugins, no `<base>` elsewhere, no framing by other sites. (No `form-action`: Chrome
/// applies it to the redirect after signing out, which goes to the identity provider.)
pub fn content_security_policy(nonce: Option<&str>) -> String {
    let inline = nonce.map(|n| format!(" 'nonce-{n}'")).unwrap_or_default();
    format!(
        "script-src 'self'{inline} 'wasm-unsafe-eval'; object-src 'none'; base-uri 'self'; frame-ancestors 'none'"
    )
}

/// Every page's context: its policy names the nonce Leptos made for it.
fn page_policy() {
    use leptos::prelude::use_context;
    if let (Some(nonce), Some(res)) =
        (leptos::nonce::use_nonce(), use_context::<leptos_axum::ResponseOptions>())
    {
        if let Ok(v) = axum::http::HeaderValue::from_str(&content_security_policy(Some(&nonce))) {
            res.insert_header(axum::http::header::CONTENT_SECURITY_POLICY, v);
        }
    }
}

/// A server function's error answered with its own status: Leptos answers every error of
/// a server function 500 (with the `serverfnerror` header) unless the function set
/// another, and a function that never ran — its arguments missing or unreadable, its
/// body too large — could not. The body is the error as JSON ([`app::error::AppError`]);
/// a caller's mistake becomes its 4xx.
async fn server_fn_status(
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    use axum::http::StatusCode;
    use axum::response::IntoResponse;
    use leptos::server_fn::error::SERVER_FN_ERROR_HEADER;
    let res = next.run(req).await;
    if res.status() != StatusCode::INTERNAL_SERVER_ERROR
        || !res.headers().contains_key(SERVER_FN_ERROR_HEADER)
    {
        return res;
    }
    let (mut parts, body) = res.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, 64 * 1024).await else {
        return (parts, axum::body::Body::empty()).into_response();
    };
    if let Ok(error) = serde_json::from_slice::<app::error::AppError>(&bytes) {
        parts.status = StatusCode::from_u16(error.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    }
    (parts, axum::body::Body::from(bytes)).into_response()
}

/// Headers on every answer of the site (not the gateway's, which are its upstream's):
/// no MIME sniffing, no full address in the `Referer` sent elsewhere, and the script
/// policy above (pages set theirs with their nonce; the rest get it without one).
/// A page asked for with empty parameters (`?from=&to=&application=`, what a plain
/// form sends for the fields left blank) is redirected to its address without them: the
/// address bar and the links shared keep what was chosen.
async fn clean_query(req: axum::extract::Request, next: axum::middleware::Next) -> axum::response::Response {
    use axum::response::IntoResponse;
    if req.method() == axum::http::Method::GET {
        if let Some(query) =
            req.uri().query().filter(|q| q.split('&').any(|p| p.is_empty() || p.ends_with('=')))
        {
            let kept: Vec<&str> = query.split('&').filter(|p| !p.is_empty() && !p.ends_with('=')).collect();
            let path = req.uri().path();
            let to = if kept.is_empty() { path.to_owned() } else { format!("{path}?{}", kept.join("&")) };
            if let Ok(location) = axum::http::HeaderValue::from_str(&to) {
                return (axum::http::StatusCode::FOUND, [(axum::http::header::LOCATION, location)])
                    .into_response();
            }
        }
    }
    next.run(req).await
}

/// How long browsers keep the site's built files: `/pkg/…?v=…` names one content (the
/// pages link them with their digest, `app::components::islands_loader`), so a year and
/// immutable; without the digest, ask again each time (`no-cache` revalidates).
fn cache_control(uri: &axum::http::Uri) -> Option<&'static str> {
    if !uri.path().starts_with("/pkg/") {
        return None;
    }
    let versioned = uri.query().is_some_and(|q| q.split('&').any(|p| p.starts_with("v=") && p.len() > 2));
    Some(if versioned { "public, max-age=31536000, immutable" } else { "no-cache" })
}

async fn security_headers(
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    use axum::http::header::{HeaderValue, CONTENT_SECURITY_POLICY, REFERRER_POLICY, X_CONTENT_TYPE_OPTIONS};
    static NO_INLINE: std::sync::LazyLock<HeaderValue> = std::sync::LazyLock::new(|| {
        HeaderValue::from_str(&content_security_policy(None)).expect("header-safe")
    });
    let cache = cache_control(req.uri());
    let mut res = next.run(req).await;
    let ok = res.status().is_success();
    let headers = res.headers_mut();
    if let (Some(cache), true) = (cache, ok) {
        headers.insert(axum::http::header::CACHE_CONTROL, HeaderValue::from_static(cache));
    }
    headers.entry(X_CONTENT_TYPE_OPTIONS).or_insert(HeaderValue::from_static("nosniff"));
    headers.entry(REFERRER_POLICY).or_insert(HeaderValue::from_static("strict-origin-when-cross-origin"));
    headers.entry(CONTENT_SECURITY_POLICY).or_insert_with(|| NO_INLINE.clone());
    res
}

#[cfg(test)]
mod tests {
    #[test]
    fn only_files_named_by_their_content_are_kept_for_a_year() {
        let of = |uri: &str| super::cache_control(&uri.parse().expect("uri"));
        assert_eq!(of("/pkg/stoa.css?v=0123456789abcdef"), Some("public, max-age=31536000, immutable"));
        assert_eq!(of("/pkg/stoa.wasm?x=1&v=0123456789abcdef"), Some("public, max-age=31536000, immutable"));
        assert_eq!(of("/pkg/stoa.js"), Some("no-cache"));
        assert_eq!(of("/pkg/stoa.js?v="), Some("no-cache"));
        assert_eq!(of("/catalog?v=1"), None);
        assert_eq!(of("/live.js"), None);
    }

    #[tokio::test]
    async fn empty_parameters_leave_the_address() {
        use tower::ServiceExt;
        let app = axum::Router::new()
            .route("/usage", axum::routing::get(|| async { "page" }))
            .layer(axum::middleware::from_fn(super::clean_query));
        let location = |uri: &'static str| {
            let app = app.clone();
            async move {
                let req = axum::http::Request::get(uri).body(axum::body::Body::empty()).expect("request");
                let res = app.oneshot(req).await.expect("answer");
                (
                    res.status().as_u16(),
                    res.headers().get("location").map(|v| v.to_str().unwrap_or("").to_owned()),
                )
            }
        };
        assert_eq!(
            location("/usage?from=&to=&application=&period=7d").await,
            (302, Some("/usage?period=7d".into()))
        );
        assert_eq!(location("/usage?from=&to=").await, (302, Some("/usage".into())));
        assert_eq!(location("/usage?a=1&&b=2").await, (302, Some("/usage?a=1&b=2".into())));
        assert_eq!(location("/usage?period=7d").await, (200, None));
        assert_eq!(location("/usage").await, (200, None));
    }
}

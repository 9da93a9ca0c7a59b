//! The gateway: `ANY /gw/{tenant}/{api}/{*path}` calls an API of the catalog where the
//! gateway's environment deploys it, for a caller whose key belongs to an application
//! with an active subscription, on an operation of the deployed document, within the
//! plan's limits — and meters every call, refusals included.
//!
//! Outbound, the same safety as try-it: only the registered server, its addresses
//! resolved once and pinned (private ranges refused unless allowed), no redirects,
//! bounded time and sizes. The caller's key is removed before forwarding; keys, headers
//! and bodies are never logged.
//!
//! Limits: the per-second and per-minute rates are counted in this replica (like Kong's
//! "local" policy: with n replicas a client may get up to n times the rate); daily and
//! monthly quotas hold across replicas — each replica leases calls from a counter in
//! Postgres, a few at a time, one at a time near the end of the quota.

use crate::tryit::resolve;
use app::db::scope::{self, Scope};
use app::domain::metering::{CallStatus, QuotaPeriod};
use app::domain::openapi::api_key_slot;
use app::keycache::Verified;
use app::model::applications::VerifiedSubscription;
use app::model::metering::ToolCallEvent;
use app::service::metering::meter::Meter;
use axum::body::Bytes;
use axum::http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode};
use chrono::{DateTime, NaiveDate, Utc};
use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};
use uuid::Uuid;

mod first_answer;
mod headers;
pub mod http;
mod in_process;
mod limits;
mod mcp;
pub mod tryit;
use headers::{connection_names, forwarded, query_without_key, HOP_BY_HOP};
use limits::Limits;
pub use mcp::McpCall;

pub use app::service::in_process::InProcess;

/// Largest request body forwarded.
pub const MAX_REQUEST_BYTES: usize = 1024 * 1024;
/// Largest response body returned.
pub const MAX_RESPONSE_BYTES: usize = 10 * 1024 * 1024;
/// How long a route (document, server, addresses) is reused before it is read again.
const ROUTE_TTL: Duration = Duration::from_secs(5);

/// A call as it arrived.
pub struct Call {
    pub tenant: String,
    pub api: String,
    pub method: Method,
    /// The path after `/gw/{tenant}/{api}`, as sent (still percent-encoded), from `/`.
    pub path: String,
    pub query: Option<String>,
    pub headers: HeaderMap,
    pub body: Bytes,
    /// Made by the portal's try-it for a signed-in user.
    pub try_it: bool,
    /// Try-it's choice of version and environment (else: the gateway's environment, the
    /// version deployed there last).
    pub target: Option<(String, String)>,
}

/// What goes back to the caller.
pub struct Answer {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Bytes,
}

/// One operation of the deployed document.
struct Operation {
    method: Method,
    segments: Vec<Segment>,
    id: String,
}

enum Segment {
    Literal(String),
    Parameter,
}

/// A deployed API as the gateway calls it.
struct Route {
    item_id: Uuid,
    version: String,
    upstream: Upstream,
    operations: Vec<Operation>,
    key: (String, String),
    /// `Deprecation`, `Sunset` and the successor's `Link`, on every answer of a deprecated
    /// or retired version (written once per route, cloned per answer).
    lifecycle: Vec<(axum::http::HeaderName, HeaderValue)>,
    /// Retired: answered 410, with the successor to move to when there is one.
    retired: Option<Option<String>>,
}

/// Where a route's calls go.
enum Upstream {
    /// An HTTP server, through a client pinned to its resolved addresses.
    Http { server: url::Url, client: reqwest::Client },
    /// A server relative to the portal that the [`InProcess`] upstream serves (STOA's
    /// demo backends), answered in process: nothing leaves the server.
    InProcess { base: String },
}

/// A route read at a time (none: no such API deployed here).
type Cached = (Instant, Option<Arc<Route>>);

/// An MCP server's route read at a time.
type McpCached = (Instant, Option<Arc<mcp::McpRoute>>);

/// Tenant, API, and try-it's version and environment.
type RouteKey = (String, String, Option<(String, String)>);

/// The gateway of one process: routes and limits in memory.
pub struct Gateway {
    pool: sqlx::PgPool,
    meter: Arc<Meter>,
    environment: String,
    timeout: Duration,
    allowed: Vec<ipnet::IpNet>,
    gateway_id: String,
    /// The portal's public URL (demo backends' documents name servers relative to it).
    public_url: String,
    /// Where callers reach this gateway (`GATEWAY_PUBLIC_URL`).
    gateway_url: String,
    routes: RwLock<HashMap<RouteKey, Cached>>,
    mcp_routes: RwLock<HashMap<String, McpCached>>,
    limits: Mutex<Limits>,
    /// Outbound clients by host and pinned addresses.
    clients: Mutex<HashMap<(String, Vec<std::net::SocketAddr>), reqwest::Client>>,
    /// The onboarding wizard's first answers.
    first_answers: Arc<first_answer::FirstAnswers>,
    /// The upstream answered in this process (the demo backends).
    in_process: Arc<dyn InProcess>,
    /// Server-sent events of MCP servers dropped because they were not JSON-RPC.
    mcp_events_dropped: std::sync::atomic::AtomicU64,
}

/// The answer header naming a metered call: its metering event's id, to quote to support
/// (and what the cluster's counts match the load balancer's log against).
pub const CALL_ID_HEADER: &str = "x-stoa-call-id";

/// A new metering event id, named in the answer's [`CALL_ID_HEADER`].
fn stamp_call_id(answer: &mut Answer) -> Uuid {
    let event_id = Uuid::now_v7();
    if let Ok(v) = axum::http::HeaderValue::from_str(&event_id.to_string()) {
        answer.headers.insert(CALL_ID_HEADER, v);
    }
    event_id
}

/// A refusal, in the gateway's JSON shape.
struct Refusal {
    status: StatusCode,
    code: &'static str,
    message: String,
    retry_after: Option<i64>,
}

impl Refusal {
    fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Refusal {
        Refusal { status, code, message: message.into(), retry_after: None }
    }
}

/// The `X-RateLimit-*` values of an answer: limit, remaining, reset (epoch seconds).
#[derive(Clone, Copy, Debug)]
struct Window {
    limit: i64,
    remaining: i64,
    reset: i64,
}

impl Gateway {
    pub fn new(
        pool: sqlx::PgPool,
        meter: Arc<Meter>,
        config: &app::config::Config,
        in_process: Arc<dyn InProcess>,
    ) -> Gateway {
        Gateway {
            first_answers: first_answer::FirstAnswers::new(pool.clone()),
            pool,
            meter,
            environment: config.gateway.environment.clone(),
            timeout: Duration::from_secs(config.gateway.timeout_secs),
            allowed: config.try_it_allowed_networks.clone(),
            gateway_id: format!("stoa-portal@{}", config.public_url),
            public_url: config.public_url.clone(),
            gateway_url: config.gateway.public_url.clone(),
            routes: RwLock::new(HashMap::new()),
            mcp_routes: RwLock::new(HashMap::new()),
            limits: Mutex::new(Limits::default()),
            clients: Mutex::new(HashMap::new()),
            in_process,
            mcp_events_dropped: std::sync::atomic::AtomicU64::new(0),
        }
    }

    /// Server-sent events of MCP servers dropped since start because they could not be
    /// read as JSON-RPC (a `tools/list` answer is filtered failing closed).
    pub fn mcp_events_dropped(&self) -> u64 {
        self.mcp_events_dropped.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// The portal's public URL (a demo backend's documents name servers relative to it).
    pub fn public_url(&self) -> &str {
        &self.public_url
    }

    /// The URL this gateway calls `tenant`'s API `api` at.
    pub fn url_of(&self, tenant: &str, api: &str) -> String {
        app::domain::catalog::gateway_url(&self.gateway_url, tenant, api)
    }

    /// Handles one call, metering it whatever its outcome.
    pub async fn handle(&self, call: Call) -> Answer {
        let started = Instant::now();
        let mut meta = Meta::default();
        let outcome = self.exchange(&call, &mut meta).await;
        let mut answer = match outcome {
            Ok(answer) => answer,
            Err(refusal) => refusal_answer(&refusal, meta.window),
        };
        if let Some(w) = meta.window {
            set_window(&mut answer.headers, w);
        }
        if let Some(route) = &meta.route {
            for (name, value) in &route.lifecycle {
                answer.headers.insert(name.clone(), value.clone());
            }
            let event_id = stamp_call_id(&mut answer);
            self.record(
                event_id,
                Metered {
                    tenant: call.tenant.clone(),
                    tool_name: format!("{}/{}", call.api, meta.operation.as_deref().unwrap_or("unknown")),
                    action: call.method.as_str().to_ascii_lowercase(),
                    api: call.api.clone(),
                    api_id: route.item_id,
                    api_version: Some(route.version.clone()),
                    http_method: call.method.as_str().to_owned(),
                    request_bytes: call.body.len(),
                    try_it: call.try_it,
                },
                &meta,
                &answer,
                started,
            );
        }
        answer
    }

    /// Hands the metering event of a finished call to the meter.
    fn record(&self, event_id: Uuid, m: Metered, meta: &Meta, answer: &Answer, started: Instant) {
        let latency_ms = started.elapsed().as_secs_f64() * 1000.0;
        let status = CallStatus::of_http(answer.status.as_u16());
        if let (CallStatus::Success, false, Some(application)) = (status, m.try_it, meta.application) {
            self.first_answers.offer(application, &answer.body);
        }
        self.meter.record(ToolCallEvent {
            event_id,
            timestamp: Utc::now(),
            tenant_id: m.tenant,
            user_id: None,
            user_email: None,
            consumer_id: meta.consumer.clone().unwrap_or_else(|| "anonymous".to_owned()),
            tool_name: m.tool_name,
            action: m.action,
            latency_ms,
            status,
            request_size_bytes: m.request_bytes as u64,
            response_size_bytes: answer.body.len() as u64,
            t_gateway_ms: (latency_ms - meta.backend_ms).max(0.0),
            t_backend_ms: meta.backend_ms,
            scopes: None,
            roles: None,
            gateway_id: Some(self.gateway_id.clone()),
            sub_account_id: None,
            master_account_id: None,
            department_id: None,
            token_count: 0,
            tool_tier: "standard".to_owned(),
            cost_units_microcents: 0,
            api: Some(m.api),
            api_id: Some(m.api_id),
            api_version: m.api_version,
            http_method: Some(m.http_method),
            http_status: Some(answer.status.as_u16()),
            try_it: m.try_it,
        });
    }

    async fn exchange(&self, call: &Call, meta: &mut Meta) -> Result<Answer, Refusal> {
        let route = self.route(&call.tenant, &call.api, call.target.clone()).await?.ok_or_else(|| {
            Refusal::new(
                StatusCode::NOT_FOUND,
                "unknown_api",
                "No API of that name is deployed behind this gateway.",
            )
        })?;
        meta.route = Some(route.clone());
        if let Some(successor) = &route.retired {
            let message = match successor {
                Some(s) => format!("Version {} of this API is retired; move to version {s}.", route.version),
                None => format!("Version {} of this API is retired.", route.version),
            };
            return Err(Refusal::new(StatusCode::GONE, "version_retired", message));
        }
        // The key, where the document says it goes.
        let (location, name) = &route.key;
        let key = if location == "query" {
            call.query.as_deref().and_then(|q| {
                url::form_urlencoded::parse(q.as_bytes())
                    .find(|(k, _)| k == name.as_str())
                    .map(|(_, v)| v.into_owned())
            })
        } else {
            call.headers.get(name.as_str()).and_then(|v| v.to_str().ok()).map(str::to_owned)
        };
        let Some(key) = key.filter(|k| !k.trim().is_empty()) else {
            return Err(Refusal::new(
                StatusCode::UNAUTHORIZED,
                "missing_key",
                format!("Send your API key in the `{name}` {location}."),
            ));
        };
        let wanted = format!("{}/{}", call.tenant, call.api);
        let subscription = self.subscription(&key, "api", &wanted, route.item_id, meta).await?;
        let operation = route.operation(&call.method, &call.path).ok_or_else(|| {
            Refusal::new(
                StatusCode::NOT_FOUND,
                "unknown_operation",
                "No operation of this API matches this method and path.",
            )
        })?;
        meta.operation = Some(operation.id.clone());
        self.admit(&subscription, meta).await?;
        if call.body.len() > MAX_REQUEST_BYTES {
            return Err(Refusal::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "too_large",
                format!("Request bodies are limited to {} KiB.", MAX_REQUEST_BYTES / 1024),
            ));
        }
        self.forward(&route, call, &key, meta).await
    }

    /// The active subscription of the key's application to the entry `wanted`
    /// (`tenant/slug`, of `kind`), or why there is none.
    async fn subscription(
        &self,
        key: &str,
        kind: &str,
        wanted: &str,
        item_id: Uuid,
        meta: &mut Meta,
    ) -> Result<VerifiedSubscription, Refusal> {
        let verified: Arc<Verified> =
            app::service::applications::verify(&self.pool, key.trim()).await.map_err(|_| {
                Refusal::new(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "unavailable",
                    "Keys cannot be checked now; try again.",
                )
            })?;
        let Some(application) = verified.answer.application.as_ref().filter(|_| verified.answer.valid) else {
            return Err(Refusal::new(
                StatusCode::UNAUTHORIZED,
                "invalid_key",
                "This API key is not valid (unknown, revoked or expired).",
            ));
        };
        meta.consumer = Some(application.client_id.clone());
        meta.application = Some(application.id);
        if let Some(s) = verified.answer.subscriptions.iter().find(|s| s.kind == kind && s.api == wanted) {
            return Ok(s.clone());
        }
        let suspended = async {
            let mut tx = scope::begin(&self.pool, Scope::Platform).await?;
            let s = app::db::subscriptions::is_suspended(&mut tx, application.id, item_id).await?;
            tx.commit().await?;
            Ok::<_, sqlx::Error>(s)
        }
        .await
        .unwrap_or(false);
        Err(if suspended {
            Refusal::new(
                StatusCode::FORBIDDEN,
                "subscription_suspended",
                "The subscription of this application to this entry is suspended.",
            )
        } else {
            Refusal::new(
                StatusCode::FORBIDDEN,
                "no_subscription",
                "This application has no active subscription to this entry.",
            )
        })
    }

    /// The lifecycle fields of a deprecated or retired version's answers: `Deprecation`
    /// (RFC 9745), `Sunset` (RFC 8594) and `Link: <successor's page>; rel="successor-version"`.
    fn lifecycle_headers(
        &self,
        tenant: &str,
        api: &str,
        found: &app::db::catalog::GatewayRoute,
    ) -> Vec<(axum::http::HeaderName, HeaderValue)> {
        use app::domain::lifecycle::{deprecation_header, successor_link, sunset_header};
        if found.status == "published" {
            return Vec::new();
        }
        let mut fields = Vec::new();
        if let Some(at) = found.deprecated_at {
            fields.push((axum::http::HeaderName::from_static("deprecation"), deprecation_header(at)));
        }
        if let Some(at) = found.sunset_at {
            fields.push((axum::http::HeaderName::from_static("sunset"), sunset_header(at)));
        }
        if let Some(successor) = &found.successor {
            let page = format!(
                "{}/apis/{tenant}/{api}?version={}",
                self.public_url.trim_end_matches('/'),
                app::auth::encode_query_value(successor)
            );
            fields.push((axum::http::header::LINK, successor_link(&page)));
        }
        fields
            .into_iter()
            .filter_map(|(name, value)| HeaderValue::from_str(&value).ok().map(|v| (name, v)))
            .collect()
    }

    /// The route of `tenant`'s API `api`, from memory when read lately.
    async fn route(
        &self,
        tenant: &str,
        api: &str,
        target: Option<(String, String)>,
    ) -> Result<Option<Arc<Route>>, Refusal> {
        if [tenant, api].iter().any(|slug| slug.contains('\0')) {
            // No slug holds U+0000 (Postgres could not even be asked).
            return Ok(None);
        }
        let key = (tenant.to_owned(), api.to_owned(), target);
        if let Some((at, route)) = self.routes.read().unwrap_or_else(|e| e.into_inner()).get(&key) {
            if at.elapsed() < ROUTE_TTL {
                return Ok(route.clone());
            }
        }
        let found = async {
            let mut tx = scope::begin(&self.pool, Scope::Platform).await?;
            let (environment, version) = match &key.2 {
                Some((version, environment)) => (environment.as_str(), Some(version.as_str())),
                None => (self.environment.as_str(), None),
            };
            let found = app::db::catalog::gateway_route(&mut tx, tenant, api, environment, version).await?;
            tx.commit().await?;
            Ok::<_, sqlx::Error>(found)
        }
        .await
        .map_err(|e| {
            tracing::error!(error = %e, "gateway: route lookup failed");
            Refusal::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "unavailable",
                "The gateway cannot read its routes now; try again.",
            )
        })?;
        let route = match found {
            None => None,
            Some(found) => {
                let lifecycle = self.lifecycle_headers(tenant, api, &found);
                let retired = (found.status == "retired").then(|| found.successor.clone());
                let upstream = if self.serves_in_process(&found.server_url) {
                    if let Some(off) = self.in_process.off() {
                        return Err(Refusal::new(StatusCode::BAD_GATEWAY, "upstream_unavailable", off));
                    }
                    Upstream::InProcess { base: found.server_url.trim_end_matches('/').to_owned() }
                } else {
                    let server = url::Url::parse(&found.server_url)
                        .ok()
                        .filter(|u| matches!(u.scheme(), "http" | "https") && u.host_str().is_some())
                        .ok_or_else(|| {
                            Refusal::new(
                                StatusCode::BAD_GATEWAY,
                                "upstream_unavailable",
                                "The API's registered server is not a valid URL.",
                            )
                        })?;
                    let client = self.pinned_client(&server, "The API's registered server").await?;
                    Upstream::Http { server, client }
                };
                Some(Arc::new(Route {
                    item_id: found.item_id,
                    version: found.version,
                    upstream,
                    operations: operations(&found.spec),
                    key: api_key_slot(&found.spec),
                    lifecycle,
                    retired,
                }))
            }
        };
        let mut routes = self.routes.write().unwrap_or_else(|e| e.into_inner());
        if routes.len() > 10_000 {
            routes.clear();
        }
        routes.insert(key, (Instant::now(), route.clone()));
        Ok(route)
    }

    async fn forward(
        &self,
        route: &Route,
        call: &Call,
        key: &str,
        meta: &mut Meta,
    ) -> Result<Answer, Refusal> {
        let (server, client) = match &route.upstream {
            Upstream::Http { server, client } => (server, client),
            Upstream::InProcess { base } => return Ok(self.answer_in_process(base, call, key, meta).await),
        };
        // The upstream URL: the registered server's base path and the caller's path.
        let mut url = server.clone();
        let base = server.path().trim_end_matches('/');
        url.set_path(&format!("{base}{}", call.path));
        // The key leaves the call wherever the caller put it (the document's place or
        // another): it never reaches the upstream.
        url.set_query(query_without_key(call.query.as_deref(), key).as_deref());
        let mut request = client.request(call.method.clone(), url);
        let connection = connection_names(&call.headers);
        for (name, value) in &call.headers {
            if forwarded(name.as_str(), value, &connection, key)
                && !name.as_str().eq_ignore_ascii_case(&route.key.1)
            {
                request = request.header(name, value);
            }
        }
        if !call.body.is_empty() {
            request = request.body(call.body.clone());
        }
        let sent = Instant::now();
        let response = request.send().await;
        let response = match response {
            Ok(r) => r,
            Err(e) => {
                meta.backend_ms = sent.elapsed().as_secs_f64() * 1000.0;
                tracing::info!(api = %call.api, timeout = e.is_timeout(), "gateway: upstream did not answer");
                return Err(if e.is_timeout() {
                    Refusal::new(
                        StatusCode::GATEWAY_TIMEOUT,
                        "upstream_timeout",
                        format!("The API did not answer within {} s.", self.timeout.as_secs()),
                    )
                } else {
                    Refusal::new(
                        StatusCode::BAD_GATEWAY,
                        "upstream_unavailable",
                        "The API's server could not be reached.",
                    )
                });
            }
        };
        let answer = self.read_answer(response, "The API").await;
        meta.backend_ms = sent.elapsed().as_secs_f64() * 1000.0;
        answer
    }

    /// A client for `url`'s host only: its addresses resolved once (private ones refused
    /// unless allowed) and pinned, no redirects, bounded time.
    async fn pinned_client(&self, url: &url::Url, what: &str) -> Result<reqwest::Client, Refusal> {
        let unavailable =
            |message: String| Refusal::new(StatusCode::BAD_GATEWAY, "upstream_unavailable", message);
        let addrs = resolve(url, &self.allowed)
            .await
            .map_err(|r| unavailable(format!("{what} cannot be called ({}).", r.code())))?;
        // The same host on the same addresses keeps its client, and so its open
        // connections, across route refreshes.
        let host = url.host_str().unwrap_or_default().to_owned();
        let mut addrs = addrs;
        addrs.sort();
        let pinned = (host, addrs);
        if let Some(client) = self.clients.lock().unwrap_or_else(|e| e.into_inner()).get(&pinned) {
            return Ok(client.clone());
        }
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .no_proxy()
            .connect_timeout(Duration::from_secs(3))
            .timeout(self.timeout)
            .resolve_to_addrs(&pinned.0, &pinned.1)
            .user_agent("STOA-gateway/1")
            .build()
            .map_err(|_| unavailable(format!("No client for {what}.")))?;
        let mut clients = self.clients.lock().unwrap_or_else(|e| e.into_inner());
        if clients.len() > 1_000 {
            clients.clear();
        }
        clients.insert(pinned, client.clone());
        Ok(client)
    }

    /// An upstream's answer as the caller gets it: without hop-by-hop headers, the body
    /// read up to [`MAX_RESPONSE_BYTES`] (502 beyond), a stalled body a 504.
    async fn read_answer(&self, mut response: reqwest::Response, what: &str) -> Result<Answer, Refusal> {
        let status = response.status();
        let mut headers = HeaderMap::new();
        for (name, value) in response.headers() {
            if !HOP_BY_HOP.contains(&name.as_str()) {
                headers.append(name.clone(), value.clone());
            }
        }
        let mut body: Vec<u8> = Vec::new();
        loop {
            match response.chunk().await {
                Ok(Some(chunk)) => {
                    if body.len() + chunk.len() > MAX_RESPONSE_BYTES {
                        return Err(Refusal::new(
                            StatusCode::BAD_GATEWAY,
                            "upstream_too_large",
                            format!("{what}'s answer is larger than this gateway forwards."),
                        ));
                    }
                    body.extend_from_slice(&chunk);
                }
                Ok(None) => break,
                Err(e) if e.is_timeout() => {
                    return Err(Refusal::new(
                        StatusCode::GATEWAY_TIMEOUT,
                        "upstream_timeout",
                        format!("{what} did not finish its answer within {} s.", self.timeout.as_secs()),
                    ))
                }
                Err(_) => {
                    return Err(Refusal::new(
                        StatusCode::BAD_GATEWAY,
                        "upstream_unavailable",
                        format!("{what}'s answer was cut off."),
                    ))
                }
            }
        }
        Ok(Answer { status, headers, body: Bytes::from(body) })
    }
}

/// What a metering event says of the call itself (the rest comes from its [`Meta`] and
/// answer).
struct Metered {
    tenant: String,
    tool_name: String,
    action: String,
    api: String,
    api_id: Uuid,
    api_version: Option<String>,
    http_method: String,
    request_bytes: usize,
    try_it: bool,
}

/// What the call taught us, for its metering event and headers.
#[derive(Default)]
struct Meta {
    route: Option<Arc<Route>>,
    consumer: Option<String>,
    application: Option<Uuid>,
    operation: Option<String>,
    window: Option<Window>,
    backend_ms: f64,
}

/// Whether a segment of a path as sent, once decoded, would leave where it stands: a dot
/// segment in any spelling (`..`, `%2e%2e`, `.%2E`), or a separator (`/`, `\\`) or NUL
/// hidden in it. URL libraries and upstreams normalise such segments, so a call that
/// holds one would reach another path than the operation it matched.
pub fn unsafe_segment(raw: &str) -> bool {
    let decoded: Vec<u8> = percent_encoding::percent_decode_str(raw).collect();
    matches!(decoded.as_slice(), b"." | b"..") || decoded.iter().any(|b| matches!(b, b'/' | b'\\' | 0))
}

impl Route {
    /// The operation `method` `path` names; none for a path holding an
    /// [`unsafe_segment`].
    fn operation(&self, method: &Method, path: &str) -> Option<&Operation> {
        let parts: Vec<&str> = path.trim_start_matches('/').split('/').collect();
        if parts.iter().any(|p| unsafe_segment(p)) {
            return None;
        }
        self.operations.iter().find(|op| {
            (op.method == *method || (*method == Method::HEAD && op.method == Method::GET))
                && op.segments.len() == parts.len()
                && op.segments.iter().zip(&parts).all(|(s, p)| match s {
                    Segment::Literal(l) => l == p,
                    Segment::Parameter => !p.is_empty(),
                })
        })
    }
}

/// The operations of a document: method, path template, operation id (or `METHOD
/// /template` when the document gives none).
fn operations(spec: &Value) -> Vec<Operation> {
    let mut out = Vec::new();
    for (method, template, op) in app::domain::openapi::each_operation(spec) {
        let Ok(m) = Method::from_bytes(method.to_ascii_uppercase().as_bytes()) else { continue };
        let segments = template
            .trim_start_matches('/')
            .split('/')
            .map(|s| {
                if s.starts_with('{') && s.ends_with('}') {
                    Segment::Parameter
                } else {
                    Segment::Literal(s.to_owned())
                }
            })
            .collect();
        let id = op
            .get("operationId")
            .and_then(Value::as_str)
            .map(str::to_owned)
            .unwrap_or_else(|| format!("{} {template}", method.to_ascii_uppercase()));
        out.push(Operation { method: m, segments, id });
    }
    // Literal segments win over parameters: `/orders/mine` before `/orders/{id}`.
    out.sort_by_key(|op| {
        std::cmp::Reverse(op.segments.iter().filter(|s| matches!(s, Segment::Literal(_))).count())
    });
    out
}

fn set_window(headers: &mut HeaderMap, w: Window) {
    for (name, value) in [
        ("x-ratelimit-limit", w.limit),
        ("x-ratelimit-remaining", w.remaining),
        ("x-ratelimit-reset", w.reset),
    ] {
        if let Ok(v) = HeaderValue::from_str(&value.to_string()) {
            headers.insert(HeaderName::from_static(name), v);
        }
    }
}

fn refusal_answer(r: &Refusal, _window: Option<Window>) -> Answer {
    let mut body = json!({ "error": r.code, "message": r.message });
    let mut headers = HeaderMap::new();
    headers.insert(axum::http::header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    if let Some(secs) = r.retry_after {
        body["retry_after_secs"] = json!(secs);
        if let Ok(v) = HeaderValue::from_str(&secs.to_string()) {
            headers.insert(axum::http::header::RETRY_AFTER, v);
        }
    }
    Answer { status: r.status, headers, body: Bytes::from(body.to_string()) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_match_the_documents_templates_literals_first() {
        let spec = json!({ "paths": {
            "/orders/{id}": { "get": { "operationId": "getOrder" }, "delete": {} },
            "/orders/mine": { "get": { "operationId": "myOrders" } },
            "/health": { "get": { "operationId": "health" } }
        }});
        let route = Route {
            item_id: Uuid::nil(),
            version: "1".into(),
            upstream: Upstream::InProcess { base: "/demo-backends/x".into() },
            operations: operations(&spec),
            key: ("header".into(), "X-API-Key".into()),
            lifecycle: Vec::new(),
            retired: None,
        };
        let id = |m: Method, p: &str| route.operation(&m, p).map(|o| o.id.clone());
        assert_eq!(id(Method::GET, "/orders/7"), Some("getOrder".into()));
        assert_eq!(id(Method::GET, "/orders/mine"), Some("myOrders".into()));
        assert_eq!(id(Method::DELETE, "/orders/7"), Some("DELETE /orders/{id}".into()));
        assert_eq!(id(Method::HEAD, "/health"), Some("health".into()));
        assert_eq!(id(Method::POST, "/orders/7"), None);
        assert_eq!(id(Method::GET, "/orders/7/lines"), None);
        assert_eq!(id(Method::GET, "/orders/.."), None);
        for dots in ["%2e%2e", "%2E%2e", ".%2e", "%2e.", "%2e", ".", "a%2fb", "a%2Fb", "a%5cb", "a%00"] {
            assert_eq!(id(Method::GET, &format!("/orders/{dots}")), None, "{dots}");
        }
        assert_eq!(id(Method::GET, "/orders/%2e%2e%2e"), Some("getOrder".into()), "three dots are a name");
        assert_eq!(id(Method::GET, "/orders/a.b"), Some("getOrder".into()));
        assert_eq!(id(Method::GET, "/admin"), None);
    }
}

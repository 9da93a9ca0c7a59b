//! `/metrics` in the OpenMetrics text format (which Prometheus scrapes), with the
//! maintained `prometheus-client` crate: request counts and latency histograms per route,
//! the outbox backlog, and the meter's counters.
//!
//! Every label is bounded by our own code, never by what a caller sends: the route is the
//! matched template (or `fallback`), the method one of HTTP's nine (else `other`), the
//! status a three-digit code. A caller cannot add a series.

use app::service::metering::meter::Meter;
use app::state::AppState;
use axum::extract::{MatchedPath, Request, State};
use axum::http::header::CONTENT_TYPE;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Extension;
use gateway::Gateway;
use prometheus_client::collector::Collector;
use prometheus_client::encoding::{DescriptorEncoder, EncodeLabelSet, EncodeMetric};
use prometheus_client::metrics::counter::{ConstCounter, Counter};
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::{ConstGauge, Gauge};
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::registry::Registry;
use std::sync::atomic::AtomicI64;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Upper bounds of the latency buckets, in seconds.
const BUCKETS: [f64; 12] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0];

/// A request's method as a label: HTTP's nine as they are spelled, `other` for anything
/// a caller invents.
fn method_label(method: &axum::http::Method) -> &'static str {
    use axum::http::Method;
    const KNOWN: [Method; 9] = [
        Method::GET,
        Method::HEAD,
        Method::POST,
        Method::PUT,
        Method::DELETE,
        Method::PATCH,
        Method::OPTIONS,
        Method::CONNECT,
        Method::TRACE,
    ];
    KNOWN.iter().find(|m| *m == method).map_or("other", |m| m.as_str())
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    method: &'static str,
    route: String,
    status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RouteLabel {
    route: String,
}

/// The registry and the metrics requests update.
pub struct Metrics {
    registry: Registry,
    requests: Family<RequestLabels, Counter>,
    latency: Family<RouteLabel, Histogram>,
    database_up: Gauge<i64, AtomicI64>,
    backlog: Gauge<i64, AtomicI64>,
}

impl Metrics {
    /// A registry with the site's metrics, and `meter`'s and `gateway`'s tallies read at
    /// each scrape.
    pub fn new(meter: Arc<Meter>, gateway: Option<Arc<Gateway>>) -> Metrics {
        let mut registry = Registry::default();
        let requests = Family::<RequestLabels, Counter>::default();
        registry.register("stoa_http_requests", "HTTP requests served.", requests.clone());
        // A fn pointer as the constructor: the type `Family<_, Histogram>` defaults to.
        let latency = Family::<RouteLabel, Histogram>::new_with_constructor(
            (|| Histogram::new(BUCKETS)) as fn() -> Histogram,
        );
        // No unit suffix added: the name says seconds already.
        registry.register(
            "stoa_http_request_duration_seconds",
            "Time to the response head.",
            latency.clone(),
        );
        let database_up = Gauge::<i64, AtomicI64>::default();
        registry.register(
            "stoa_database_up",
            "Whether the database answered this scrape.",
            database_up.clone(),
        );
        let backlog = Gauge::<i64, AtomicI64>::default();
        registry.register("stoa_outbox_backlog", "Events written but not yet published.", backlog.clone());
        registry.register_collector(Box::new(Tallies { meter, gateway }));
        Metrics { registry, requests, latency, database_up, backlog }
    }

    /// Records one finished request.
    pub fn observe(&self, method: &axum::http::Method, route: &str, status: u16, elapsed: Duration) {
        let labels = RequestLabels { method: method_label(method), route: route.to_owned(), status };
        self.requests.get_or_create(&labels).inc();
        self.latency.get_or_create(&RouteLabel { route: route.to_owned() }).observe(elapsed.as_secs_f64());
    }

    /// The text exposition of everything recorded.
    pub fn render(&self) -> String {
        let mut out = String::new();
        if let Err(e) = prometheus_client::encoding::text::encode(&mut out, &self.registry) {
            tracing::warn!(error = %e, "metrics could not be encoded");
        }
        out
    }
}

/// Tallies the meter and the gateway keep themselves, read as they are at each scrape:
/// counters (they only grow) and a gauge.
struct Tallies {
    meter: Arc<Meter>,
    gateway: Option<Arc<Gateway>>,
}

impl std::fmt::Debug for Tallies {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Tallies")
    }
}

impl Collector for Tallies {
    fn encode(&self, mut encoder: DescriptorEncoder) -> Result<(), std::fmt::Error> {
        if let Some(gateway) = &self.gateway {
            constant(
                &mut encoder,
                "stoa_gateway_mcp_events_dropped",
                "Server-sent events of MCP servers dropped because they could not be read as JSON-RPC.",
                ConstCounter::new(gateway.mcp_events_dropped()),
            )?;
        }
        constant(
            &mut encoder,
            "stoa_metering_events_recorded",
            "Metering events the gateway handed over since start.",
            ConstCounter::new(self.meter.recorded()),
        )?;
        constant(
            &mut encoder,
            "stoa_metering_events_dropped",
            "Metering events dropped since start: buffer full while the broker or database was away, or never acknowledged.",
            ConstCounter::new(self.meter.dropped()),
        )?;
        constant(
            &mut encoder,
            "stoa_metering_buffer",
            "Metering events waiting to be published or counted.",
            ConstGauge::new(i64::try_from(self.meter.waiting()).unwrap_or(i64::MAX)),
        )
    }
}

/// Encodes one value read at this scrape under `name`.
fn constant(
    encoder: &mut DescriptorEncoder,
    name: &str,
    help: &str,
    metric: impl EncodeMetric,
) -> Result<(), std::fmt::Error> {
    let kind = metric.metric_type();
    metric.encode(encoder.encode_descriptor(name, help, None, kind)?)
}

/// Middleware recording every request under its route template.
pub async fn track(State(metrics): State<Arc<Metrics>>, req: Request, next: Next) -> Response {
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "fallback".to_owned(), |p| p.as_str().to_owned());
    let method = req.method().clone();
    let started = Instant::now();
    let res = next.run(req).await;
    metrics.observe(&method, &route, res.status().as_u16(), started.elapsed());
    res
}

/// `GET /metrics`.
pub async fn render(
    State(state): State<AppState>,
    Extension(metrics): Extension<Arc<Metrics>>,
) -> impl IntoResponse {
    match app::db::outbox::backlog(&state.pool).await {
        Ok(n) => {
            metrics.database_up.set(1);
            metrics.backlog.set(n);
        }
        Err(_) => {
            metrics.database_up.set(0);
        }
    }
    ([(CONTENT_TYPE, "application/openmetrics-text; version=1.0.0; charset=utf-8")], metrics.render())
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::Method;

    #[test]
    fn renders_counters_and_cumulative_buckets() {
        let m = Metrics::new(Arc::new(Meter::new(100)), None);
        m.observe(&Method::GET, "/", 200, Duration::from_millis(3));
        m.observe(&Method::GET, "/", 200, Duration::from_millis(30));
        m.observe(&Method::GET, "/", 404, Duration::from_micros(500));
        let text = m.render();
        assert!(
            text.contains("stoa_http_requests_total{method=\"GET\",route=\"/\",status=\"200\"} 2"),
            "{text}"
        );
        assert!(text.contains("stoa_http_requests_total{method=\"GET\",route=\"/\",status=\"404\"} 1"));
        assert!(
            text.contains("stoa_http_request_duration_seconds_bucket{le=\"0.001\",route=\"/\"} 1")
                || text.contains("stoa_http_request_duration_seconds_bucket{route=\"/\",le=\"0.001\"} 1")
        );
        assert!(text.contains("stoa_http_request_duration_seconds_count{route=\"/\"} 3"));
        assert!(text.contains("# TYPE stoa_metering_events_dropped counter"));
        assert!(text.contains("stoa_metering_events_dropped_total 0"));
    }

    #[test]
    fn methods_nobody_defined_share_one_label() {
        let m = Metrics::new(Arc::new(Meter::new(100)), None);
        for i in 0..500 {
            let method =
                Method::from_bytes(format!("X{i}{}", "Y".repeat(i % 50)).as_bytes()).expect("method");
            m.observe(&method, "/gw/{tenant}/{api}", 404, Duration::from_millis(1));
        }
        let text = m.render();
        let series = text.lines().filter(|l| l.starts_with("stoa_http_requests_total")).count();
        assert_eq!(series, 1, "{text}");
        assert!(text.contains(
            "stoa_http_requests_total{method=\"other\",route=\"/gw/{tenant}/{api}\",status=\"404\"} 500"
        ));
    }
}

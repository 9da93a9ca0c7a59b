//! `/metrics` in the Prometheus text format: request counts and latency histograms per
//! route, and the outbox backlog. Hand-rolled: a few counters do not justify a global
//! recorder, and keeping them in the router keeps tests independent.

use app::state::AppState;
use axum::extract::{MatchedPath, Request, State};
use axum::http::header::CONTENT_TYPE;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Extension;
use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Upper bounds of the latency buckets, in seconds.
const BUCKETS: [f64; 12] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0];

#[derive(Default)]
struct Histogram {
    buckets: [u64; BUCKETS.len()],
    sum: f64,
    count: u64,
}

/// Request counters and latency histograms, keyed by route template (bounded cardinality).
#[derive(Default)]
pub struct Metrics {
    requests: Mutex<BTreeMap<(String, String, u16), u64>>,
    latency: Mutex<BTreeMap<String, Histogram>>,
}

impl Metrics {
    /// Records one finished request.
    pub fn observe(&self, method: &str, route: &str, status: u16, elapsed: Duration) {
        if let Ok(mut requests) = self.requests.lock() {
            *requests.entry((method.to_owned(), route.to_owned(), status)).or_default() += 1;
        }
        let secs = elapsed.as_secs_f64();
        if let Ok(mut latency) = self.latency.lock() {
            let h = latency.entry(route.to_owned()).or_default();
            for (i, bound) in BUCKETS.iter().enumerate() {
                if secs <= *bound {
                    h.buckets[i] += 1;
                }
            }
            h.sum += secs;
            h.count += 1;
        }
    }

    /// The Prometheus text exposition of everything recorded, plus `extra` gauges.
    pub fn render(&self, gauges: &[(&str, &str, f64)]) -> String {
        let mut out = String::new();
        out.push_str("# HELP stoa_http_requests_total HTTP requests served.\n");
        out.push_str("# TYPE stoa_http_requests_total counter\n");
        if let Ok(requests) = self.requests.lock() {
            for ((method, route, status), n) in requests.iter() {
                let _ = writeln!(
                    out,
                    "stoa_http_requests_total{{method=\"{method}\",route=\"{}\",status=\"{status}\"}} {n}",
                    escape(route)
                );
            }
        }
        out.push_str("# HELP stoa_http_request_duration_seconds Time to the response head.\n");
        out.push_str("# TYPE stoa_http_request_duration_seconds histogram\n");
        if let Ok(latency) = self.latency.lock() {
            for (route, h) in latency.iter() {
                let route = escape(route);
                for (bound, n) in BUCKETS.iter().zip(h.buckets) {
                    let _ = writeln!(
                        out,
                        "stoa_http_request_duration_seconds_bucket{{route=\"{route}\",le=\"{bound}\"}} {n}"
                    );
                }
                let _ = writeln!(
                    out,
                    "stoa_http_request_duration_seconds_bucket{{route=\"{route}\",le=\"+Inf\"}} {}",
                    h.count
                );
                let _ =
                    writeln!(out, "stoa_http_request_duration_seconds_sum{{route=\"{route}\"}} {}", h.sum);
                let _ = writeln!(
                    out,
                    "stoa_http_request_duration_seconds_count{{route=\"{route}\"}} {}",
                    h.count
                );
            }
        }
        for (name, help, value) in gauges {
            let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} gauge\n{name} {value}");
        }
        out
    }
}

fn escape(label: &str) -> String {
    label.replace('\\', "\\\\").replace('"', "\\\"")
}

/// Middleware recording every request under its route template.
pub async fn track(State(metrics): State<Arc<Metrics>>, req: Request, next: Next) -> Response {
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "fallback".to_owned(), |p| p.as_str().to_owned());
    let method = req.method().as_str().to_owned();
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
    let backlog = app::db::outbox::backlog(&state.pool).await;
    let mut gauges = vec![(
        "stoa_database_up",
        "Whether the database answered this scrape.",
        if backlog.is_ok() { 1.0 } else { 0.0 },
    )];
    if let Ok(n) = backlog {
        gauges.push(("stoa_outbox_backlog", "Events written but not yet published.", n as f64));
    }
    gauges.push((
        "stoa_metering_events_recorded",
        "Metering events the gateway handed over since start.",
        state.meter.recorded() as f64,
    ));
    gauges.push((
        "stoa_metering_events_dropped",
        "Metering events dropped since start: buffer full while the broker or database was away, or never acknowledged.",
        state.meter.dropped() as f64,
    ));
    gauges.push((
        "stoa_metering_buffer",
        "Metering events waiting to be published or counted.",
        state.meter.waiting() as f64,
    ));
    ([(CONTENT_TYPE, "text/plain; version=0.0.4")], metrics.render(&gauges))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_counters_and_cumulative_buckets() {
        let m = Metrics::default();
        m.observe("GET", "/", 200, Duration::from_millis(3));
        m.observe("GET", "/", 200, Duration::from_millis(30));
        m.observe("GET", "/", 404, Duration::from_micros(500));
        let text = m.render(&[("stoa_outbox_backlog", "help", 7.0)]);
        assert!(
            text.contains("stoa_http_requests_total{method=\"GET\",route=\"/\",status=\"200\"} 2"),
            "{text}"
        );
        assert!(text.contains("stoa_http_requests_total{method=\"GET\",route=\"/\",status=\"404\"} 1"));
        assert!(text.contains("stoa_http_request_duration_seconds_bucket{route=\"/\",le=\"0.001\"} 1"));
        assert!(text.contains("stoa_http_request_duration_seconds_bucket{route=\"/\",le=\"0.005\"} 2"));
        assert!(text.contains("stoa_http_request_duration_seconds_bucket{route=\"/\",le=\"+Inf\"} 3"));
        assert!(text.contains("stoa_outbox_backlog 7"));
    }
}

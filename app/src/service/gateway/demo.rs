//! The gateway's side of STOA's demo backends: their answers in process (the demo APIs'
//! deployments, whose documents name a server under `/demo-backends/`), and what a
//! direct call without a key may get.

use super::{headers::query_without_key, Answer, Call, Gateway, Meta};
use axum::body::Bytes;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode};
use serde_json::{json, Value};
use std::time::Instant;

impl Gateway {
    /// A demo backend's answer (none when they are off or none is at `path`); a `Null`
    /// body is no body.
    pub async fn demo_answer(
        &self,
        method: &str,
        path: &str,
        query: Option<&str>,
        body: &[u8],
    ) -> Option<(u16, Value)> {
        if !self.demo {
            return None;
        }
        crate::service::demo::answer(&self.pool, method, path, query, body).await
    }

    /// A direct call's answer (`/demo-backends/…` without a key, from `address`): what
    /// [`crate::service::demo::direct`] allows, within its reads per address and minute.
    pub async fn demo_direct(
        &self,
        address: Option<std::net::IpAddr>,
        method: &str,
        path: &str,
        query: Option<&str>,
    ) -> Option<(u16, Value)> {
        use crate::domain::demo_backend::error;
        use crate::service::demo::{direct, Direct};
        if !self.demo {
            return None;
        }
        match direct(method, path) {
            Direct::Closed => None,
            Direct::ReadOnly => Some(error(
                405,
                "method_not_allowed",
                "Direct calls to the demo backends only read; call the API through the gateway, with a key.",
            )),
            Direct::Read if address.is_some_and(|a| !self.direct_reads.take(a)) => Some(error(
                429,
                "too_many_requests",
                "Too many direct calls from this address; wait a minute, or call through the gateway.",
            )),
            Direct::Read => self.demo_answer("GET", path, query, &[]).await,
        }
    }

    /// A demo backend's answer to `call` (the key taken out of the query, as for any
    /// upstream).
    pub(super) async fn answer_in_process(
        &self,
        base: &str,
        call: &Call,
        key: &str,
        meta: &mut Meta,
    ) -> Answer {
        let sent = Instant::now();
        let query = query_without_key(call.query.as_deref(), key);
        let path = format!("{base}{}", call.path);
        let (status, body) = crate::service::demo::answer(
            &self.pool,
            call.method.as_str(),
            &path,
            query.as_deref(),
            &call.body,
        )
        .await
        .unwrap_or_else(|| {
            (404, json!({ "code": "not_found", "message": "No demo backend has that path." }))
        });
        meta.backend_ms = sent.elapsed().as_secs_f64() * 1000.0;
        let mut headers = HeaderMap::new();
        headers.insert(axum::http::header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
        let body = if call.method == Method::HEAD || body.is_null() {
            Bytes::new()
        } else {
            Bytes::from(body.to_string())
        };
        Answer { status: StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_GATEWAY), headers, body }
    }
}

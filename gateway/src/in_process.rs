//! The gateway's one seam to upstreams inside this process: a deployment's server or an
//! MCP remote that is a path relative to the portal, served by the
//! [`app::service::in_process::InProcess`] upstream the server hands the gateway (STOA's
//! demo backends). The gateway and try-it resolve it here; neither knows what answers.

use super::{headers::query_without_key, Answer, Call, Gateway, Meta};
use axum::body::Bytes;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode};
use serde_json::{json, Value};
use std::time::Instant;

impl Gateway {
    /// Whether calls for `server` are answered in process.
    pub fn serves_in_process(&self, server: &str) -> bool {
        self.in_process.serves(server)
    }

    /// The in-process answer at `path` (none when it is off or nothing is there); a
    /// `Null` body is no body.
    pub async fn in_process_answer(
        &self,
        method: &str,
        path: &str,
        query: Option<&str>,
        body: &[u8],
    ) -> Option<(u16, Value)> {
        if self.in_process.off().is_some() {
            return None;
        }
        self.in_process.answer(method, path, query, body).await
    }

    /// Why in-process upstreams do not answer here, if they are off.
    pub(super) fn in_process_off(&self) -> Option<&'static str> {
        self.in_process.off()
    }

    /// The in-process answer to `call` (the key taken out of the query, as for any
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
        let (status, body) = self
            .in_process
            .answer(call.method.as_str(), &path, query.as_deref(), &call.body)
            .await
            .unwrap_or_else(|| {
                (404, json!({ "code": "not_found", "message": "Nothing answers at that path." }))
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

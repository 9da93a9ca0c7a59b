//! `POST /gw/mcp/{server}`: MCP over streamable HTTP through STOA. JSON-RPC 2.0 messages
//! go to the server's registered remote for a caller whose key belongs to an application
//! with an active subscription to the server: `tools/list` answers only the tools the
//! subscription grants, `tools/call` of any other tool is refused (403
//! `tool_not_granted`), everything else (`initialize`, notifications, `ping`) passes.
//! The plan's limits apply and every message is metered (a tool call under its tool's
//! name).

use super::{refusal_answer, set_window, Answer, Gateway, Meta, Metered, Refusal};
use axum::body::Bytes;
use axum::http::{HeaderMap, StatusCode};
use serde_json::Value;
use std::sync::Arc;
use std::time::Instant;
use uuid::Uuid;

/// Headers of the MCP transport passed on to the remote, and back.
const MCP_HEADERS: &[&str] =
    &["content-type", "accept", "mcp-session-id", "mcp-protocol-version", "last-event-id"];

/// A registered MCP server as the gateway calls it.
pub(super) struct McpRoute {
    item_id: Uuid,
    tenant: String,
    remote: Remote,
}

/// Where an MCP server answers.
enum Remote {
    /// An HTTP endpoint, through a client pinned to its resolved addresses.
    Http { url: url::Url, client: reqwest::Client },
    /// A remote relative to the portal that the in-process upstream serves (STOA's demo
    /// MCP servers, `/demo-backends/mcp/…`).
    InProcess { path: String },
}

/// An MCP message as it arrived.
pub struct McpCall {
    pub server: String,
    pub headers: HeaderMap,
    pub body: Bytes,
}

impl Gateway {
    /// Handles one MCP message, metering it whatever its outcome.
    pub async fn handle_mcp(&self, call: McpCall) -> Answer {
        let started = Instant::now();
        let mut meta = Meta::default();
        let mut tenant = None;
        let mut method = String::from("unknown");
        let mut tool = None;
        let outcome = self.exchange_mcp(&call, &mut meta, &mut tenant, &mut method, &mut tool).await;
        let mut answer = match outcome {
            Ok(answer) => answer,
            Err(refusal) => refusal_answer(&refusal, meta.window),
        };
        if let Some(w) = meta.window {
            set_window(&mut answer.headers, w);
        }
        if let Some((tenant, item_id)) = tenant {
            let metered = Metered {
                tenant,
                tool_name: tool.unwrap_or_else(|| format!("{}/{method}", call.server)),
                action: method,
                api: call.server.clone(),
                api_id: item_id,
                api_version: None,
                http_method: "POST".to_owned(),
                request_bytes: call.body.len(),
                try_it: false,
            };
            let event_id = super::stamp_call_id(&mut answer);
            self.record(event_id, metered, &meta, &answer, started);
        }
        answer
    }

    async fn exchange_mcp(
        &self,
        call: &McpCall,
        meta: &mut Meta,
        tenant: &mut Option<(String, Uuid)>,
        method: &mut String,
        tool: &mut Option<String>,
    ) -> Result<Answer, Refusal> {
        let route = self.mcp_route(&call.server).await?.ok_or_else(|| {
            Refusal::new(
                StatusCode::NOT_FOUND,
                "unknown_server",
                "No MCP server of that name can be called through this gateway.",
            )
        })?;
        *tenant = Some((route.tenant.clone(), route.item_id));
        // The message: one JSON-RPC request or notification.
        let message: Value = serde_json::from_slice(&call.body).map_err(|_| {
            Refusal::new(
                StatusCode::BAD_REQUEST,
                "invalid_message",
                "The body is not a JSON-RPC 2.0 message.",
            )
        })?;
        let Some(name) = message.get("method").and_then(Value::as_str) else {
            return Err(Refusal::new(
                StatusCode::BAD_REQUEST,
                "invalid_message",
                "Send one JSON-RPC 2.0 message with a `method` (batches are not accepted).",
            ));
        };
        *method = name.to_owned();
        // The key: `X-API-Key`, or `Authorization: Bearer`.
        let header = |n: &str| call.headers.get(n).and_then(|v| v.to_str().ok()).map(str::trim);
        let key = header("x-api-key")
            .or_else(|| header("authorization").and_then(|a| a.strip_prefix("Bearer ")).map(str::trim))
            .filter(|k| !k.is_empty())
            .map(str::to_owned);
        let Some(key) = key else {
            return Err(Refusal::new(
                StatusCode::UNAUTHORIZED,
                "missing_key",
                "Send your API key in `X-API-Key` or `Authorization: Bearer`.",
            ));
        };
        let wanted = format!("{}/{}", route.tenant, call.server);
        let subscription = self.subscription(&key, "mcp", &wanted, route.item_id, meta).await?;
        if name == "tools/call" {
            let called = message.pointer("/params/name").and_then(Value::as_str).unwrap_or_default();
            *tool = Some(called.to_owned());
            if !subscription.tools.iter().any(|t| t == called) {
                return Err(Refusal::new(
                    StatusCode::FORBIDDEN,
                    "tool_not_granted",
                    format!("The subscription does not grant the tool `{called}`."),
                ));
            }
        }
        self.admit(&subscription, meta).await?;
        let (url, client) = match &route.remote {
            Remote::Http { url, client } => (url, client),
            Remote::InProcess { path } => {
                let sent = Instant::now();
                let off = self.in_process_off().unwrap_or("Nothing answers at the MCP server's remote.");
                let (status, message) = self
                    .in_process_answer("POST", path, None, &call.body)
                    .await
                    .ok_or_else(|| Refusal::new(StatusCode::BAD_GATEWAY, "upstream_unavailable", off))?;
                meta.backend_ms = sent.elapsed().as_secs_f64() * 1000.0;
                let mut headers = HeaderMap::new();
                let mut body = Bytes::new();
                if !message.is_null() {
                    headers.insert(
                        axum::http::header::CONTENT_TYPE,
                        axum::http::HeaderValue::from_static("application/json"),
                    );
                    body = Bytes::from(message.to_string());
                }
                if name == "tools/list" {
                    body = self.granted_only(&headers, &body, &subscription.tools).await?;
                }
                let status = StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_GATEWAY);
                return Ok(Answer { status, headers, body });
            }
        };
        let mut request = client.post(url.clone());
        for name in MCP_HEADERS {
            if let Some(v) = call.headers.get(*name) {
                request = request.header(*name, v.clone());
            }
        }
        let sent = Instant::now();
        let response = request.body(call.body.clone()).send().await;
        let response = match response {
            Ok(r) => r,
            Err(e) => {
                meta.backend_ms = sent.elapsed().as_secs_f64() * 1000.0;
                return Err(if e.is_timeout() {
                    Refusal::new(
                        StatusCode::GATEWAY_TIMEOUT,
                        "upstream_timeout",
                        "The MCP server did not answer in time.",
                    )
                } else {
                    Refusal::new(
                        StatusCode::BAD_GATEWAY,
                        "upstream_unavailable",
                        "The MCP server could not be reached.",
                    )
                });
            }
        };
        let answer = self.read_answer(response, "The MCP server").await;
        meta.backend_ms = sent.elapsed().as_secs_f64() * 1000.0;
        let mut answer = answer?;
        if name == "tools/list" {
            answer.body = self.granted_only(&answer.headers, &answer.body, &subscription.tools).await?;
        }
        Ok(answer)
    }

    async fn mcp_route(&self, server: &str) -> Result<Option<Arc<McpRoute>>, Refusal> {
        if server.contains('\0') {
            // No slug holds U+0000 (Postgres could not even be asked).
            return Ok(None);
        }
        if let Some((at, route)) = self.mcp_routes.read().unwrap_or_else(|e| e.into_inner()).get(server) {
            if at.elapsed() < super::ROUTE_TTL {
                return Ok(route.clone());
            }
        }
        let found = async {
            let mut tx = app::db::scope::begin(&self.pool, app::db::scope::Scope::Platform).await?;
            let found = app::db::catalog::mcp_route(&mut tx, server).await?;
            tx.commit().await?;
            Ok::<_, sqlx::Error>(found)
        }
        .await
        .map_err(|_| {
            Refusal::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "unavailable",
                "The gateway cannot read its routes now; try again.",
            )
        })?;
        let route = match found {
            None => None,
            Some((item_id, tenant, path)) if self.serves_in_process(&path) => {
                Some(Arc::new(McpRoute { item_id, tenant, remote: Remote::InProcess { path } }))
            }
            Some((item_id, tenant, url)) => {
                let url = url::Url::parse(&url).map_err(|_| {
                    Refusal::new(
                        StatusCode::BAD_GATEWAY,
                        "upstream_unavailable",
                        "The MCP server's remote is not a valid URL.",
                    )
                })?;
                let client = self.pinned_client(&url, "The MCP server's remote").await?;
                Some(Arc::new(McpRoute { item_id, tenant, remote: Remote::Http { url, client } }))
            }
        };
        let mut routes = self.mcp_routes.write().unwrap_or_else(|e| e.into_inner());
        if routes.len() > 10_000 {
            routes.clear();
        }
        routes.insert(server.to_owned(), (Instant::now(), route.clone()));
        Ok(route)
    }
}

impl Gateway {
    /// A `tools/list` answer with only the granted tools left, failing closed: a JSON
    /// answer that is not JSON-RPC is refused (502); of server-sent events (read as the
    /// SSE specification says, multi-line `data` joined, by the parser the official Rust
    /// MCP SDK uses) every complete event is filtered, and one whose data is not
    /// JSON-RPC — or anything after a line the parser cannot read — is dropped and
    /// counted ([`Gateway::mcp_events_dropped`]), never passed on.
    async fn granted_only(
        &self,
        headers: &HeaderMap,
        body: &Bytes,
        granted: &[String],
    ) -> Result<Bytes, Refusal> {
        let invalid = || {
            Refusal::new(
                StatusCode::BAD_GATEWAY,
                "upstream_invalid",
                "The MCP server's answer is not JSON-RPC 2.0.",
            )
        };
        let events = headers
            .get(axum::http::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|t| t.trim_start().to_ascii_lowercase().starts_with("text/event-stream"));
        if !events {
            let message = serde_json::from_slice::<Value>(body).map_err(|_| invalid())?;
            return Ok(Bytes::from(granted_message(message, granted).ok_or_else(invalid)?.to_string()));
        }
        let (out, dropped) = granted_events(body.clone(), granted).await;
        if dropped > 0 {
            self.mcp_events_dropped.fetch_add(dropped, std::sync::atomic::Ordering::Relaxed);
            tracing::warn!(dropped, "gateway: MCP events that are not JSON-RPC were dropped");
        }
        Ok(out)
    }
}

/// One JSON-RPC message (or batch) with only the granted tools in a `tools/list` result;
/// none when it is not JSON-RPC.
fn granted_message(message: Value, granted: &[String]) -> Option<Value> {
    match message {
        Value::Array(batch) => batch
            .into_iter()
            .map(|m| granted_message(m, granted))
            .collect::<Option<Vec<_>>>()
            .map(Value::Array),
        Value::Object(_) => {
            let mut message = message;
            if let Some(tools) = message.pointer_mut("/result/tools").and_then(Value::as_array_mut) {
                tools.retain(|t| {
                    t.get("name").and_then(Value::as_str).is_some_and(|n| granted.iter().any(|g| g == n))
                });
            }
            Some(message)
        }
        _ => None,
    }
}

/// A stream of server-sent events with every message filtered by [`granted_message`] and
/// written again on one `data` line; (the events, how many were dropped). An event
/// without data (a priming `id`, a `retry`) passes without one.
async fn granted_events(body: Bytes, granted: &[String]) -> (Bytes, u64) {
    use futures::StreamExt;
    let chunks = futures::stream::iter([Ok::<_, std::io::Error>(body)]);
    let mut events = sse_stream::SseStream::from_bytes_stream(chunks);
    let mut out = Vec::new();
    let mut dropped = 0;
    while let Some(event) = events.next().await {
        let Ok(mut event) = event else {
            // A line the parser cannot read: nothing after it is trusted.
            dropped += 1;
            break;
        };
        match event.data.take().filter(|d| !d.is_empty()) {
            None => {}
            Some(data) => {
                match serde_json::from_str::<Value>(&data).ok().and_then(|m| granted_message(m, granted)) {
                    Some(message) => event.data = Some(message.to_string()),
                    None => {
                        dropped += 1;
                        continue;
                    }
                }
            }
        }
        out.extend_from_slice(&Bytes::from(event));
    }
    (Bytes::from(out), dropped)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn granted() -> Vec<String> {
        vec!["get_forecast".to_owned()]
    }

    #[test]
    fn tools_list_keeps_only_granted_tools_in_json() {
        let json: Value = serde_json::from_str(
            r#"{"jsonrpc":"2.0","id":1,"result":{"tools":[{"name":"get_forecast"},{"name":"get_alerts"}]}}"#,
        )
        .expect("json");
        let out = granted_message(json, &granted()).expect("json-rpc");
        assert_eq!(out["result"]["tools"].as_array().map(Vec::len), Some(1));
        assert_eq!(granted_message(Value::String("x".into()), &granted()), None);
    }

    async fn filtered(sse: &str) -> (String, u64) {
        let (out, dropped) = granted_events(Bytes::from(sse.to_owned()), &granted()).await;
        (String::from_utf8_lossy(&out).into_owned(), dropped)
    }

    #[tokio::test]
    async fn events_are_read_whole_and_filtered_even_over_several_data_lines() {
        let one_line = "event: message\ndata: {\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"tools\":[{\"name\":\"get_alerts\"},{\"name\":\"get_forecast\"}]}}\n\n";
        let (text, dropped) = filtered(one_line).await;
        assert!(text.starts_with("event: message\ndata: "), "{text}");
        assert!(text.contains("get_forecast") && !text.contains("get_alerts"), "{text}");
        assert_eq!(dropped, 0);
        // Issue 30, item 3: the SSE specification joins data lines; each line alone is
        // not JSON, and the whole must still be filtered.
        let split = "id: 7\nevent: message\ndata: {\"jsonrpc\":\"2.0\",\"id\":1,\ndata: \"result\":{\"tools\":[\ndata: {\"name\":\"get_alerts\"},{\"name\":\"get_forecast\"}]}}\n\n";
        let (text, dropped) = filtered(split).await;
        assert!(text.contains("get_forecast") && !text.contains("get_alerts"), "{text}");
        assert!(text.contains("id: 7"), "{text}");
        assert_eq!(dropped, 0);
    }

    #[tokio::test]
    async fn what_cannot_be_read_as_json_rpc_is_dropped_and_counted() {
        let sse = "data: {\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"tools\":[{\"name\":\"get_alerts\"}]}}\n\nid: 3\ndata:\n\ndata: not json get_alerts\n\n";
        let (text, dropped) = filtered(sse).await;
        assert!(!text.contains("get_alerts"), "{text}");
        assert!(text.contains("\"tools\":[]"), "the answer passes, filtered: {text}");
        assert!(text.contains("id: 3"), "the priming event passes without data: {text}");
        assert_eq!(dropped, 1);
        // A line the parser cannot read: nothing after it passes.
        let (text, dropped) =
            filtered("bogus-field: 1\ndata: {\"result\":{\"tools\":[{\"name\":\"get_alerts\"}]}}\n\n").await;
        assert!(!text.contains("get_alerts"), "{text}");
        assert_eq!(dropped, 1);
    }
}

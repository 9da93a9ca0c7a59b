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
    /// One of STOA's demo MCP servers (`/demo-backends/mcp/…`), answered in process.
    Demo { path: String },
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
            Remote::Demo { path } => {
                let sent = Instant::now();
                let (status, message) =
                    self.demo_answer("POST", path, None, &call.body).await.ok_or_else(|| {
                        Refusal::new(
                            StatusCode::BAD_GATEWAY,
                            "upstream_unavailable",
                            "The demo backends are off on this server (DEMO=off).",
                        )
                    })?;
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
                    body = granted_only(&body, &subscription.tools);
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
            answer.body = granted_only(&answer.body, &subscription.tools);
        }
        Ok(answer)
    }

    async fn mcp_route(&self, server: &str) -> Result<Option<Arc<McpRoute>>, Refusal> {
        if let Some((at, route)) = self.mcp_routes.read().unwrap_or_else(|e| e.into_inner()).get(server) {
            if at.elapsed() < super::ROUTE_TTL {
                return Ok(route.clone());
            }
        }
        let found = async {
            let mut tx = crate::db::scope::begin(&self.pool, crate::db::scope::Scope::Platform).await?;
            let found = crate::db::catalog::mcp_route(&mut tx, server).await?;
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
            Some((item_id, tenant, path)) if path.starts_with(crate::service::demo::PREFIX) => {
                Some(Arc::new(McpRoute { item_id, tenant, remote: Remote::Demo { path } }))
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

/// A `tools/list` answer (JSON, or server-sent events carrying JSON) with only the
/// granted tools left.
fn granted_only(body: &Bytes, granted: &[String]) -> Bytes {
    let filter = |mut message: Value| -> Value {
        if let Some(tools) = message.pointer_mut("/result/tools").and_then(Value::as_array_mut) {
            tools.retain(|t| {
                t.get("name").and_then(Value::as_str).is_some_and(|n| granted.iter().any(|g| g == n))
            });
        }
        message
    };
    if let Ok(message) = serde_json::from_slice::<Value>(body) {
        return Bytes::from(filter(message).to_string());
    }
    // Server-sent events: each `data:` line is a message.
    let text = String::from_utf8_lossy(body);
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        match line.strip_prefix("data:").map(str::trim).and_then(|d| serde_json::from_str::<Value>(d).ok()) {
            Some(message) => {
                out.push_str("data: ");
                out.push_str(&filter(message).to_string());
                out.push('\n');
            }
            None => out.push_str(line),
        }
    }
    Bytes::from(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tools_list_keeps_only_granted_tools_in_json_and_events() {
        let granted = vec!["get_forecast".to_owned()];
        let json =
            br#"{"jsonrpc":"2.0","id":1,"result":{"tools":[{"name":"get_forecast"},{"name":"get_alerts"}]}}"#;
        let out: Value =
            serde_json::from_slice(&granted_only(&Bytes::from_static(json), &granted)).expect("json");
        assert_eq!(out["result"]["tools"].as_array().map(Vec::len), Some(1));
        let sse = "event: message\ndata: {\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"tools\":[{\"name\":\"get_alerts\"},{\"name\":\"get_forecast\"}]}}\n\n";
        let out = granted_only(&Bytes::from(sse), &granted);
        let text = String::from_utf8_lossy(&out);
        assert!(text.starts_with("event: message\ndata: "), "{text}");
        assert!(text.contains("get_forecast") && !text.contains("get_alerts"), "{text}");
    }
}

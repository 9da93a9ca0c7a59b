//! Real upstream servers on 127.0.0.1 for the gateway, try-it and the fault tests: an
//! echo that keeps the keys it saw, an MCP server, or any router.

use serde_json::{json, Value};

pub type Seen = std::sync::Arc<std::sync::Mutex<Vec<String>>>;

/// A real HTTP server on 127.0.0.1 that echoes what it receives as JSON (an API key only
/// by its prefix); the keys it saw are kept for the test.
pub async fn upstream() -> u16 {
    upstream_seeing(Seen::default()).await
}

pub async fn upstream_seeing(seen: Seen) -> u16 {
    use axum::extract::Request as Incoming;
    let app = axum::Router::new().fallback(move |req: Incoming| {
        let seen = seen.clone();
        async move {
            let (parts, body) = req.into_parts();
            if parts.uri.path().ends_with("/slow") {
                tokio::time::sleep(std::time::Duration::from_secs(3)).await;
            }
            let body = axum::body::to_bytes(body, 1 << 20).await.unwrap_or_default();
            let header =
                |n: &str| parts.headers.get(n).and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
            if !header("x-api-key").is_empty() {
                seen.lock().expect("seen").push(header("x-api-key"));
            }
            let echo = serde_json::json!({
                "method": parts.method.as_str(),
                "path": parts.uri.path(),
                "query": parts.uri.query(),
                "request_id": header("x-request-id"),
                "cookie": header("cookie"),
                "api_key": header("x-api-key").chars().take(14).collect::<String>(),
                "body": String::from_utf8_lossy(&body),
            });
            ([("content-type", "application/json"), ("set-cookie", "upstream=secret")], echo.to_string())
        }
    });
    serve_upstream(app).await
}

/// Serves `app` on a free port of 127.0.0.1 for the rest of the test: the upstreams the
/// gateway, try-it and the fault tests call. Returns the port.
pub async fn serve_upstream(app: axum::Router) -> u16 {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let port = listener.local_addr().expect("addr").port();
    tokio::spawn(async move { axum::serve(listener, app).await.expect("upstream serves") });
    port
}

/// A real MCP server on 127.0.0.1 (streamable HTTP, JSON answers) with three tools; it
/// records the headers it was sent.
pub async fn mcp_upstream(seen: Seen) -> u16 {
    use axum::extract::Request as Incoming;
    let app = axum::Router::new().fallback(move |req: Incoming| {
        let seen = seen.clone();
        async move {
            let (parts, body) = req.into_parts();
            for name in ["x-api-key", "authorization", "cookie"] {
                if let Some(v) = parts.headers.get(name) {
                    seen.lock().expect("seen").push(format!("{name}: {}", v.to_str().unwrap_or_default()));
                }
            }
            let body = axum::body::to_bytes(body, 1 << 20).await.unwrap_or_default();
            let message: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
            let id = message["id"].clone();
            let result = match message["method"].as_str() {
                Some("initialize") => json!({ "protocolVersion": "2025-06-18", "capabilities": { "tools": {} },
                                               "serverInfo": { "name": "forecasts", "version": "1.0.0" } }),
                Some("tools/list") => json!({ "tools": [
                    { "name": "get_forecast", "inputSchema": { "type": "object" } },
                    { "name": "get_alerts", "inputSchema": { "type": "object" } },
                    { "name": "admin_reset", "inputSchema": { "type": "object" } } ] }),
                Some("tools/call") => json!({ "content": [{ "type": "text",
                    "text": format!("called {}", message["params"]["name"].as_str().unwrap_or_default()) }] }),
                _ => json!({}),
            };
            let answer = json!({ "jsonrpc": "2.0", "id": id, "result": result });
            ([("content-type", "application/json"), ("mcp-session-id", "session-1")], answer.to_string())
        }
    });
    serve_upstream(app).await
}

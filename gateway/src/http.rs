//! `ANY /gw/{tenant}/{api}/{*path}`: the HTTP side of the gateway — it reads the call,
//! hands it to the [`Gateway`] and writes the answer. Outside the session layers:
//! a caller is identified by its API key only, and no cookie is read or set.
//!
//! An upstream's answer is a page of somebody else's. Served from the portal's origin it
//! would run as the portal (read `/v1/me`, pass the same-origin check, replace the
//! session cookie), so the gateway has a listener of its own (`GATEWAY_PORT`,
//! `GATEWAY_PUBLIC_URL`) — the portal's `/gw` then redirects there — and wherever it
//! answers from the portal's origin, every answer is [`sandboxed`].

use crate::{Call, Gateway, McpCall, MAX_REQUEST_BYTES};
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, post};
use axum::Router;
use std::sync::Arc;

/// The gateway's routes: APIs and MCP servers.
pub fn routes() -> Router<Arc<Gateway>> {
    Router::new()
        .route("/gw/mcp/{server}", post(mcp))
        .route("/gw/{tenant}/{api}", any(call))
        // The API's root with its trailing slash (`{*path}` matches no empty path).
        .route("/gw/{tenant}/{api}/", any(call))
        .route("/gw/{tenant}/{api}/{*path}", any(call))
}

/// The portal's `/gw` when the gateway has a listener of its own: a permanent redirect
/// (308 keeps the method and body) to the same path and query under `gateway_url`.
pub fn redirects(gateway_url: &str) -> Router<Arc<Gateway>> {
    let base: Arc<str> = Arc::from(gateway_url.trim_end_matches('/'));
    let to = move |uri: axum::http::Uri| {
        let base = base.clone();
        async move {
            let target = format!("{base}{}", uri.path_and_query().map(|p| p.as_str()).unwrap_or("/"));
            match HeaderValue::from_str(&target) {
                Ok(location) => {
                    (StatusCode::PERMANENT_REDIRECT, [(header::LOCATION, location)]).into_response()
                }
                Err(_) => app::error::AppError::NotFound.into_response(),
            }
        }
    };
    Router::new().route("/gw/{*rest}", any(to))
}

/// Headers of an upstream's answer that act on the origin serving it, not on the call:
/// cookies, wiping the site's data, widening a service worker's scope.
const ORIGIN_HEADERS: &[&str] = &["set-cookie", "set-cookie2", "clear-site-data", "service-worker-allowed"];

/// Middleware for the gateway's answers on the portal's origin: none of them acts on the
/// origin ([`ORIGIN_HEADERS`] removed), and each is a sandboxed document
/// (`Content-Security-Policy: sandbox`: no script, no form, no same-origin access) that
/// the browser may not sniff into another type.
pub async fn sandboxed(req: Request, next: axum::middleware::Next) -> Response {
    let mut res = next.run(req).await;
    let headers = res.headers_mut();
    for name in ORIGIN_HEADERS {
        headers.remove(*name);
    }
    headers.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static("sandbox"));
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    res
}

/// 413 in the gateway's JSON shape: `what` are limited to the gateway's size.
fn too_large(what: &str) -> Response {
    (
        StatusCode::PAYLOAD_TOO_LARGE,
        axum::Json(serde_json::json!({
            "error": "too_large",
            "message": format!("{what} are limited to {} KiB.", MAX_REQUEST_BYTES / 1024),
        })),
    )
        .into_response()
}

/// The path prefix of the gateway.
pub const PREFIX: &str = "/gw/";

/// Every method, every path under `/gw/{tenant}/{api}`.
pub async fn call(State(gateway): State<Arc<Gateway>>, req: Request) -> Response {
    let (parts, body) = req.into_parts();
    // The raw path (still percent-encoded) is what goes upstream.
    let rest = parts.uri.path().strip_prefix(PREFIX).unwrap_or_default();
    let mut segments = rest.splitn(3, '/');
    let tenant = segments.next().unwrap_or_default().to_owned();
    let api = segments.next().unwrap_or_default().to_owned();
    let path = format!("/{}", segments.next().unwrap_or_default());
    let body = match axum::body::to_bytes(body, MAX_REQUEST_BYTES + 1).await {
        Ok(b) => b,
        Err(_) => return too_large("Request bodies"),
    };
    let answer = gateway
        .handle(Call {
            tenant,
            api,
            method: parts.method,
            path,
            query: parts.uri.query().map(str::to_owned),
            headers: parts.headers,
            body,
            try_it: false,
            target: None,
        })
        .await;
    let mut res = Response::new(axum::body::Body::from(answer.body));
    *res.status_mut() = answer.status;
    *res.headers_mut() = answer.headers;
    res
}

/// `POST /gw/mcp/{server}`: one MCP message (JSON-RPC 2.0) for the server's remote.
pub async fn mcp(
    State(gateway): State<Arc<Gateway>>,
    axum::extract::Path(server): axum::extract::Path<String>,
    req: Request,
) -> Response {
    let (parts, body) = req.into_parts();
    let Ok(body) = axum::body::to_bytes(body, MAX_REQUEST_BYTES + 1).await else {
        return too_large("Messages");
    };
    let answer = gateway.handle_mcp(McpCall { server, headers: parts.headers, body }).await;
    let mut res = Response::new(axum::body::Body::from(answer.body));
    *res.status_mut() = answer.status;
    *res.headers_mut() = answer.headers;
    res
}

//! Cross-site request refusal: a state-changing request that a browser marks as coming
//! from another site is refused before it reaches a handler or server function.
//!
//! Browsers send `Sec-Fetch-Site` (all current ones) or at least `Origin` on cross-origin
//! POSTs; plain same-origin form posts carry `same-origin` and keep working without
//! JavaScript. Requests with neither header (curl, automation with bearer tokens) are not
//! browser-driven and pass.

use app::state::AppState;
use axum::extract::{Request, State};
use axum::http::header::{HOST, ORIGIN};
use axum::http::{Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// Whether a request with these headers may change state.
pub fn allowed(
    method: &Method,
    sec_fetch_site: Option<&str>,
    origin: Option<&str>,
    host: Option<&str>,
    public_url: &str,
) -> bool {
    if matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS) {
        return true;
    }
    if let Some(site) = sec_fetch_site {
        return matches!(site, "same-origin" | "none");
    }
    match origin {
        None => true,
        Some("null") => false,
        Some(origin) => {
            origin == public_url
                || host.is_some_and(|h| origin == format!("http://{h}") || origin == format!("https://{h}"))
        }
    }
}

/// Middleware applying [`allowed`]; refusal is a 403 JSON error.
pub async fn same_origin(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let ok = {
        let headers = req.headers();
        let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
        allowed(
            req.method(),
            header("sec-fetch-site"),
            header(ORIGIN.as_str()),
            header(HOST.as_str()),
            &state.config.public_url,
        )
    };
    if ok {
        next.run(req).await
    } else {
        tracing::warn!(method = %req.method(), path = %req.uri().path(), "cross-site request refused");
        (StatusCode::FORBIDDEN, axum::Json(serde_json::json!({ "code": "cross_site", "message": "Cross-site requests are not accepted." })))
            .into_response()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PUBLIC: &str = "https://portal.example";

    #[test]
    fn the_decision_table() {
        let post = Method::POST;
        let cases = [
            (Method::GET, Some("cross-site"), Some("https://evil.example"), true),
            (post.clone(), Some("same-origin"), Some(PUBLIC), true),
            (post.clone(), Some("none"), None, true),
            (post.clone(), Some("cross-site"), None, false),
            (post.clone(), Some("same-site"), None, false),
            (post.clone(), None, Some(PUBLIC), true),
            (post.clone(), None, Some("http://127.0.0.1:3000"), true),
            (post.clone(), None, Some("https://evil.example"), false),
            (post.clone(), None, Some("null"), false),
            (post.clone(), None, None, true),
            (Method::DELETE, Some("cross-site"), None, false),
        ];
        for (method, site, origin, want) in cases {
            assert_eq!(
                allowed(&method, site, origin, Some("127.0.0.1:3000"), PUBLIC),
                want,
                "{method} {site:?} {origin:?}"
            );
        }
    }
}

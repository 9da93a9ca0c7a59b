//! What of a call crosses to the upstream: no hop-by-hop header, nothing that would let a
//! caller steer what the upstream believes, and the caller's key in no place at all.

use super::CALL_ID_HEADER;
use axum::http::{HeaderMap, HeaderValue};

/// Headers that belong to one hop, never forwarded either way.
pub(super) const HOP_BY_HOP: &[&str] = &[
    "connection",
    "keep-alive",
    "proxy-authenticate",
    "proxy-authorization",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
    "host",
    "content-length",
];

/// Request headers never forwarded besides the hop-by-hop ones: the portal's cookies,
/// what would let a caller steer what the upstream believes (the method, the path, the
/// client's address, the proxies passed) and the gateway's own call id. Headers named in
/// `Connection`, any `X-Forwarded-*`, and any header carrying the caller's key go too.
const NOT_FORWARDED: &[&str] = &[
    "cookie",
    "forwarded",
    "via",
    "x-http-method-override",
    "x-http-method",
    "x-method-override",
    "x-original-url",
    "x-rewrite-url",
    "x-original-uri",
    "x-real-ip",
    "true-client-ip",
    "x-client-ip",
    "x-cluster-client-ip",
    "cf-connecting-ip",
    "fastly-client-ip",
    CALL_ID_HEADER,
];

/// Whether the header `name` (lowercase) with `value` goes to the upstream of a call whose
/// `Connection` header names `connection` and whose key is `key`.
pub(super) fn forwarded(name: &str, value: &HeaderValue, connection: &[String], key: &str) -> bool {
    !(HOP_BY_HOP.contains(&name)
        || NOT_FORWARDED.contains(&name)
        || name.starts_with("x-forwarded-")
        || connection.iter().any(|c| c == name)
        || carries(value.as_bytes(), key))
}

/// Whether `text` holds the caller's key (a key is never empty here).
fn carries(text: &[u8], key: &str) -> bool {
    let key = key.trim().as_bytes();
    !key.is_empty() && text.windows(key.len()).any(|w| w == key)
}

/// The query as the upstream gets it: every pair that carries the caller's key (in the
/// document's place or any other) left out; `None` when nothing is left.
pub(super) fn query_without_key(query: Option<&str>, key: &str) -> Option<String> {
    let q = query?;
    let kept: Vec<(String, String)> = url::form_urlencoded::parse(q.as_bytes())
        .filter(|(k, v)| !carries(v.as_bytes(), key) && !carries(k.as_bytes(), key))
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    let out = url::form_urlencoded::Serializer::new(String::new()).extend_pairs(kept).finish();
    (!out.is_empty()).then_some(out)
}

/// The names a `Connection` header lists (lowercase): one hop's, never forwarded
/// (RFC 9110 §7.6.1).
pub(super) fn connection_names(headers: &HeaderMap) -> Vec<String> {
    headers
        .get_all(axum::http::header::CONNECTION)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|n| n.trim().to_ascii_lowercase())
        .filter(|n| !n.is_empty())
        .collect()
}

//! The try-it proxy. It is not an open proxy: the request goes to the server URL
//! registered for the API version's deployment in the chosen environment, for an operation
//! of that version's document, with only the parameters the operation declares. The host
//! is resolved once, every address must be public (unless an operator allowed a private
//! network), and the connection is pinned to those addresses so a second DNS answer
//! cannot point elsewhere. No redirects are followed; time and sizes are bounded. Logs
//! name the method, host, status and latency — never parameters, headers or bodies.

use crate::Gateway;
use app::auth::CurrentUser;
use app::db::scope;
use app::domain::catalog::Kind;
use app::domain::openapi::api_key_slot;
use app::model::tryit::{TryForm, TryResult, MAX_REQUEST_BYTES, MAX_RESPONSE_BYTES, TIMEOUT_SECS};
use app::service::catalog::viewer_scope;
use axum::http::{HeaderName, HeaderValue};
use ipnet::IpNet;
use serde_json::Value;
use std::net::{IpAddr, SocketAddr};
use std::time::{Duration, Instant};

/// Headers a user may not set through parameters: the proxy or the credential owns them.
const FORBIDDEN_HEADERS: &[&str] = &[
    "host",
    "authorization",
    "proxy-authorization",
    "cookie",
    "content-length",
    "transfer-encoding",
    "connection",
    "te",
    "upgrade",
    "forwarded",
];

/// Why no answer can be shown: the code of a `tryit-error-*` message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    UnknownOperation,
    NotDeployed,
    MissingParameter,
    OutsideServers,
    PrivateAddress,
    NoSuchHost,
    TooLarge,
    Unreachable,
    Timeout,
    BadHeader,
    NoApplication,
}

impl Refusal {
    pub fn code(self) -> &'static str {
        match self {
            Refusal::UnknownOperation => "unknown-operation",
            Refusal::NotDeployed => "not-deployed",
            Refusal::MissingParameter => "missing-parameter",
            Refusal::OutsideServers => "outside-servers",
            Refusal::PrivateAddress => "private-address",
            Refusal::NoSuchHost => "no-such-host",
            Refusal::TooLarge => "too-large",
            Refusal::Unreachable => "unreachable",
            Refusal::Timeout => "timeout",
            Refusal::BadHeader => "bad-header",
            Refusal::NoApplication => "no-application",
        }
    }
}

/// Whether `ip` is an address of the public internet (not loopback, private, link-local,
/// shared, documentation, multicast, reserved…).
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            let [a, b, c, _] = v4.octets();
            !(v4.is_private()
                || v4.is_loopback()
                || v4.is_link_local()
                || v4.is_broadcast()
                || v4.is_documentation()
                || v4.is_unspecified()
                || v4.is_multicast()
                || a == 0
                || (a == 100 && (64..128).contains(&b)) // shared address space (CGNAT)
                || (a == 192 && b == 0 && c == 0)
                || (a == 198 && (b == 18 || b == 19)) // benchmarking
                || a >= 240)
        }
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return is_public(IpAddr::V4(v4));
            }
            let first = v6.segments()[0];
            !(v6.is_loopback()
                || v6.is_unspecified()
                || v6.is_multicast()
                || (first & 0xfe00) == 0xfc00 // unique local
                || (first & 0xffc0) == 0xfe80 // link-local
                || (first == 0x2001 && v6.segments()[1] == 0x0db8) // documentation
                || first == 0x0064 // NAT64 and IPv4-embedded ranges
                || first == 0x0000)
        }
    }
}

fn allowed(ip: IpAddr, exceptions: &[IpNet]) -> bool {
    is_public(ip) || exceptions.iter().any(|n| n.contains(&ip))
}

/// Percent-encodes a path parameter (everything but unreserved characters).
fn encode_segment(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The URL the form asks for, built from the registered server and the operation's
/// template; refused when it would leave the registered server.
pub fn target_url(server: &str, template: &str, form: &TryForm) -> Result<url::Url, Refusal> {
    let base = url::Url::parse(server).map_err(|_| Refusal::NotDeployed)?;
    if !matches!(base.scheme(), "http" | "https") || base.host_str().is_none() {
        return Err(Refusal::NotDeployed);
    }
    let mut path = String::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let close = rest[open..].find('}').ok_or(Refusal::UnknownOperation)? + open;
        path.push_str(&rest[..open]);
        let name = &rest[open + 1..close];
        let value = form.value("path", name).filter(|v| !v.is_empty()).ok_or(Refusal::MissingParameter)?;
        // A dot segment or a separator in any spelling would leave the operation's path.
        if crate::unsafe_segment(value) || value.contains(['/', '\\']) {
            return Err(Refusal::OutsideServers);
        }
        path.push_str(&encode_segment(value));
        rest = &rest[close + 1..];
    }
    path.push_str(rest);
    let joined = format!("{}{}", server.trim_end_matches('/'), path);
    let mut url = url::Url::parse(&joined).map_err(|_| Refusal::OutsideServers)?;
    // Still the registered server: same scheme, host, port, and under its path.
    let base_path = base.path().trim_end_matches('/');
    let under = url.path() == base_path || url.path().starts_with(&format!("{base_path}/"));
    if url.scheme() != base.scheme()
        || url.host_str() != base.host_str()
        || url.port_or_known_default() != base.port_or_known_default()
        || !under
        || url.username() != ""
        || url.password().is_some()
    {
        return Err(Refusal::OutsideServers);
    }
    url.set_fragment(None);
    let query: Vec<(&str, &str)> = form
        .params
        .iter()
        .filter(|(l, _, v)| l == "query" && !v.is_empty())
        .map(|(_, n, v)| (n.as_str(), v.as_str()))
        .collect();
    if !query.is_empty() {
        url.query_pairs_mut().extend_pairs(query);
    }
    Ok(url)
}

/// Resolves `url`'s host; every address must be allowed.
pub(crate) async fn resolve(url: &url::Url, exceptions: &[IpNet]) -> Result<Vec<SocketAddr>, Refusal> {
    let host = url.host_str().ok_or(Refusal::NoSuchHost)?;
    let port = url.port_or_known_default().ok_or(Refusal::NoSuchHost)?;
    let addrs: Vec<SocketAddr> = match host.trim_start_matches('[').trim_end_matches(']').parse::<IpAddr>() {
        Ok(ip) => vec![SocketAddr::new(ip, port)],
        Err(_) => tokio::time::timeout(Duration::from_secs(3), tokio::net::lookup_host((host, port)))
            .await
            .map_err(|_| Refusal::NoSuchHost)?
            .map_err(|_| Refusal::NoSuchHost)?
            .collect(),
    };
    if addrs.is_empty() {
        return Err(Refusal::NoSuchHost);
    }
    if addrs.iter().any(|a| !allowed(a.ip(), exceptions)) {
        return Err(Refusal::PrivateAddress);
    }
    Ok(addrs)
}

/// The parameters an operation declares (path-level ones included): (location, name).
fn declared_parameters(spec: &Value, item: &Value, op: &Value) -> Vec<(String, String)> {
    let resolve = |p: &Value| -> Option<Value> { Some(app::domain::openapi::resolve(spec, p, 8).clone()) };
    item.get("parameters")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .chain(op.get("parameters").and_then(Value::as_array).into_iter().flatten())
        .filter_map(resolve)
        .filter_map(|p| Some((p.get("in")?.as_str()?.to_owned(), p.get("name")?.as_str()?.to_owned())))
        .collect()
}

/// The header parameters the user filled, refused when they name a header the proxy
/// or the credential owns.
fn declared_headers(checked: &TryForm) -> Result<Vec<(HeaderName, HeaderValue)>, Refusal> {
    let mut out = Vec::new();
    for (location, name, value) in &checked.params {
        if location != "header" || value.is_empty() {
            continue;
        }
        let lower = name.to_ascii_lowercase();
        if FORBIDDEN_HEADERS.contains(&lower.as_str())
            || lower.starts_with("proxy-")
            || lower.starts_with("x-forwarded-")
        {
            return Err(Refusal::BadHeader);
        }
        let name = HeaderName::from_bytes(name.as_bytes()).map_err(|_| Refusal::BadHeader)?;
        let value = HeaderValue::from_str(value).map_err(|_| Refusal::BadHeader)?;
        out.push((name, value));
    }
    Ok(out)
}

/// The body to send, with the operation's content type, when it takes one.
fn body_of(form: &TryForm, op: &Value) -> Option<(String, String)> {
    if form.body.trim().is_empty() || op.get("requestBody").is_none() {
        return None;
    }
    let content_type = op
        .pointer("/requestBody/content")
        .and_then(Value::as_object)
        .and_then(|c| c.keys().next().cloned())
        .unwrap_or_else(|| "application/json".to_owned());
    Some((content_type, form.body.clone()))
}

/// An answer's headers as shown: cookies it sets are hidden.
fn shown_headers(headers: &reqwest::header::HeaderMap) -> Vec<(String, String)> {
    headers
        .iter()
        .map(|(k, v)| {
            let shown = if k == reqwest::header::SET_COOKIE {
                "(hidden)".to_owned()
            } else {
                String::from_utf8_lossy(v.as_bytes()).into_owned()
            };
            (k.as_str().to_owned(), shown)
        })
        .collect()
}

/// Sends `form` for `user` and describes what came back.
/// With an application chosen, the call goes through `gateway` (its key is checked
/// there, the plan's limits apply, the call is metered as try-it); without one, straight
/// to the registered server.
pub async fn send(
    pool: &sqlx::PgPool,
    gateway: &Gateway,
    exceptions: &[IpNet],
    user: &CurrentUser,
    form: TryForm,
) -> TryResult {
    let started = Instant::now();
    let mut result = TryResult { form: form.clone(), ..Default::default() };
    match exchange(pool, gateway, exceptions, user, &form, &mut result).await {
        Ok(()) => {}
        Err(refusal) => result.error = Some(refusal.code().to_owned()),
    }
    result.latency_ms = started.elapsed().as_millis() as u64;
    result
}

async fn exchange(
    pool: &sqlx::PgPool,
    gateway: &Gateway,
    exceptions: &[IpNet],
    user: &CurrentUser,
    form: &TryForm,
    result: &mut TryResult,
) -> Result<(), Refusal> {
    let method = form.method.to_ascii_lowercase();
    if !app::domain::openapi::METHODS.contains(&method.as_str()) {
        return Err(Refusal::UnknownOperation);
    }
    // What the user may see: the API, its version's document, the deployment's server.
    let (viewer, scope_of) = viewer_scope(Some(user));
    let loaded = async {
        let mut tx = scope::begin(pool, scope_of).await?;
        let found = app::db::catalog::detail(&mut tx, &viewer, &form.tenant, Kind::Api, &form.api).await?;
        let spec = match &found {
            Some((id, _)) => app::db::catalog::version_spec(&mut tx, *id, &form.version).await?,
            None => None,
        };
        tx.commit().await?;
        Ok::<_, sqlx::Error>((found, spec))
    }
    .await;
    let (Some((_, detail)), Some(spec)) = loaded.map_err(|e| {
        tracing::error!(error = %e, "try-it lookup failed");
        Refusal::Unreachable
    })?
    else {
        return Err(Refusal::UnknownOperation);
    };
    let item = spec.get("paths").and_then(|p| p.get(&form.path)).ok_or(Refusal::UnknownOperation)?;
    let op = item.get(&method).ok_or(Refusal::UnknownOperation)?;
    let server = detail
        .versions
        .iter()
        .find(|v| v.version == form.version)
        .and_then(|v| v.deployments.iter().find(|d| d.environment == form.environment))
        .and_then(|d| d.server_url.clone())
        .ok_or(Refusal::NotDeployed)?;
    // A server relative to the portal (a demo backend) is answered in process.
    let in_process = gateway.serves_in_process(&server);
    let server = if in_process { format!("{}{server}", gateway.public_url()) } else { server };
    // Only declared parameters go out.
    let declared = declared_parameters(&spec, item, op);
    let mut checked = form.clone();
    checked.params.retain(|(l, n, _)| declared.iter().any(|(dl, dn)| dl == l && dn == n));
    let mut url = target_url(&server, &form.path, &checked)?;
    result.request_line = format!("{} {}", method.to_ascii_uppercase(), url);
    // A credential of the chosen application: a fresh key valid for minutes, where the
    // document says API keys go (never shown, never logged).
    if form.body.len() > MAX_REQUEST_BYTES {
        return Err(Refusal::TooLarge);
    }
    let headers = declared_headers(&checked)?;
    let body = body_of(form, op);
    // With an application: a key of it, through the gateway — limited and metered like
    // any call, and the key never reaches the upstream.
    if let Ok(app) = uuid::Uuid::parse_str(form.application.trim()) {
        let key = app::service::applications::try_it_key(pool, user, app)
            .await
            .map_err(|_| Refusal::NoApplication)?;
        let (location, name) = api_key_slot(&spec);
        let mut headers = headers;
        let base = url::Url::parse(&server).map_err(|_| Refusal::NotDeployed)?;
        let path =
            url.path().strip_prefix(base.path().trim_end_matches('/')).unwrap_or(url.path()).to_owned();
        let path = if path.starts_with('/') { path } else { format!("/{path}") };
        let shown_query = url.query().map(|q| format!("?{q}")).unwrap_or_default();
        result.request_line = format!(
            "{} {}{path}{shown_query}",
            method.to_ascii_uppercase(),
            gateway.url_of(&form.tenant, &form.api)
        );
        if location == "query" {
            url.query_pairs_mut().append_pair(&name, &key);
        } else {
            let name = HeaderName::from_bytes(name.as_bytes()).map_err(|_| Refusal::BadHeader)?;
            let mut value = HeaderValue::from_str(&key).map_err(|_| Refusal::BadHeader)?;
            value.set_sensitive(true);
            headers.push((name, value));
        }
        let mut header_map = axum::http::HeaderMap::new();
        for (name, value) in headers {
            header_map.append(name, value);
        }
        let mut body_bytes = axum::body::Bytes::new();
        if let Some((content_type, text)) = body {
            if let Ok(v) = HeaderValue::from_str(&content_type) {
                header_map.insert(axum::http::header::CONTENT_TYPE, v);
            }
            body_bytes = axum::body::Bytes::from(text);
        }
        let answer = gateway
            .handle(crate::Call {
                tenant: form.tenant.clone(),
                api: form.api.clone(),
                method: axum::http::Method::from_bytes(method.to_ascii_uppercase().as_bytes())
                    .map_err(|_| Refusal::UnknownOperation)?,
                path,
                query: url.query().map(str::to_owned),
                headers: header_map,
                body: body_bytes,
                try_it: true,
                target: Some((form.version.clone(), form.environment.clone())),
            })
            .await;
        result.credential = true;
        result.status = Some(answer.status.as_u16());
        result.headers = shown_headers(&answer.headers);
        let end = answer.body.len().min(MAX_RESPONSE_BYTES);
        result.truncated = answer.body.len() > MAX_RESPONSE_BYTES;
        result.body = String::from_utf8_lossy(&answer.body[..end]).into_owned();
        tracing::info!(method = %method, status = result.status, "try-it answered through the gateway");
        return Ok(());
    }
    if in_process {
        // Answered in process: nothing goes over the network.
        let (status, body) = gateway
            .in_process_answer(
                &method.to_ascii_uppercase(),
                url.path(),
                url.query(),
                body.as_ref().map(|(_, text)| text.as_bytes()).unwrap_or_default(),
            )
            .await
            .ok_or(Refusal::NotDeployed)?;
        result.status = Some(status);
        result.body = if body.is_null() { String::new() } else { body.to_string() };
        return Ok(());
    }
    let addrs = resolve(&url, exceptions).await?;
    let host = url.host_str().unwrap_or_default().to_owned();
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .no_proxy()
        .connect_timeout(Duration::from_secs(3))
        .timeout(Duration::from_secs(TIMEOUT_SECS))
        .resolve_to_addrs(&host, &addrs)
        .user_agent("STOA-try-it/1")
        .build()
        .map_err(|_| Refusal::Unreachable)?;
    let mut request = client.request(
        reqwest::Method::from_bytes(method.to_ascii_uppercase().as_bytes())
            .map_err(|_| Refusal::UnknownOperation)?,
        url.clone(),
    );
    for (name, value) in headers {
        request = request.header(name, value);
    }
    if let Some((content_type, text)) = body {
        request = request.header(reqwest::header::CONTENT_TYPE, content_type).body(text);
    }
    let mut response = match request.send().await {
        Ok(r) => r,
        Err(e) => {
            tracing::info!(method = %method, host = %host, timeout = e.is_timeout(), "try-it: no answer");
            return Err(if e.is_timeout() { Refusal::Timeout } else { Refusal::Unreachable });
        }
    };
    result.status = Some(response.status().as_u16());
    result.headers = shown_headers(response.headers());
    let mut body: Vec<u8> = Vec::new();
    loop {
        match response.chunk().await {
            Ok(Some(chunk)) => {
                let room = MAX_RESPONSE_BYTES - body.len();
                if chunk.len() > room {
                    body.extend_from_slice(&chunk[..room]);
                    result.truncated = true;
                    break;
                }
                body.extend_from_slice(&chunk);
            }
            Ok(None) => break,
            Err(e) => {
                if e.is_timeout() {
                    return Err(Refusal::Timeout);
                }
                break;
            }
        }
    }
    result.body = String::from_utf8_lossy(&body).into_owned();
    tracing::info!(method = %method, host = %host, status = result.status, "try-it answered");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(params: &[(&str, &str, &str)]) -> TryForm {
        TryForm {
            params: params.iter().map(|(l, n, v)| ((*l).into(), (*n).into(), (*v).into())).collect(),
            ..Default::default()
        }
    }

    #[test]
    fn private_and_special_addresses_are_not_public() {
        for ip in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "255.255.255.255",
            "::1",
            "fe80::1",
            "fd00::1",
            "::ffff:127.0.0.1",
            "::ffff:10.0.0.1",
        ] {
            assert!(!is_public(ip.parse().expect("ip")), "{ip}");
        }
        for ip in ["93.184.216.34", "1.1.1.1", "2606:4700:4700::1111"] {
            assert!(is_public(ip.parse().expect("ip")), "{ip}");
        }
        let lab: Vec<IpNet> = vec!["127.0.0.0/8".parse().expect("net")];
        assert!(allowed("127.0.0.1".parse().expect("ip"), &lab));
        assert!(!allowed("10.0.0.1".parse().expect("ip"), &lab));
    }

    #[test]
    fn urls_stay_on_the_registered_server() {
        let server = "https://api.example.com/v1";
        let url =
            target_url(server, "/pets/{id}", &form(&[("path", "id", "a b&c"), ("query", "limit", "5")]))
                .expect("url");
        assert_eq!(url.as_str(), "https://api.example.com/v1/pets/a%20b%26c?limit=5");
        assert_eq!(target_url(server, "/{id}", &form(&[("path", "id", "..")])), Err(Refusal::OutsideServers));
        // Issue 30, item 4: nor any other spelling of a dot segment, nor a separator.
        for value in ["%2e%2e", ".%2E", "a/b", "a\\b", "%2f"] {
            let refused = target_url(server, "/{id}", &form(&[("path", "id", value)]));
            assert_eq!(refused, Err(Refusal::OutsideServers), "{value}");
        }
        assert_eq!(target_url(server, "/{id}", &form(&[])), Err(Refusal::MissingParameter));
        // A template cannot name another host or escape the base path.
        assert_eq!(target_url(server, "@evil.example/x", &form(&[])), Err(Refusal::OutsideServers));
        assert_eq!(target_url(server, "/../admin", &form(&[])), Err(Refusal::OutsideServers));
        assert_eq!(target_url("ftp://files.example", "/x", &form(&[])), Err(Refusal::NotDeployed));
    }
}

//! STOA's own demo backends (`/demo-backends/…`): the demo tenant's APIs answered in
//! process — by the gateway and try-it for the demo APIs' deployments (their documents
//! name a server relative to the portal), never over the network, and by the server's
//! route for direct calls where [`direct`] allows them (the public weather backend's reads). Off with `DEMO=off`. Weather is computed; CRM and payments keep their
//! records in Postgres (`demo_records`) until the demo's reset.

use crate::db::scope::{self, Scope};
use crate::domain::demo_backend::{error, Reply, Request, Store};
use crate::domain::{demo_crm, demo_mcp, demo_payments, demo_weather};
use chrono::{DateTime, Utc};
use sqlx::PgPool;

/// The prefix of every demo backend's path.
pub const PREFIX: &str = "/demo-backends/";

/// Direct reads (`/demo-backends/…` without the gateway) one address may make per minute.
pub const DIRECT_READS_PER_MINUTE: u32 = 120;

/// What a direct call (`/demo-backends/…` on the portal, no key) may get. Only the public
/// Weather API's backend is open, to reads: its answers are computed, no one's records.
/// The CRM (an internal API) and payments (a partner API, with approval) keep records
/// the demo's subscribers see, and the MCP servers stand for them: they are reached
/// through the gateway only, with a key, a subscription and a plan.
#[derive(Debug, PartialEq, Eq)]
pub enum Direct {
    /// A read of an open backend.
    Read,
    /// A write to an open backend: 405.
    ReadOnly,
    /// Not reachable directly: 404, as if nothing were there.
    Closed,
}

/// Whether a direct `method` on `path` is answered.
pub fn direct(method: &str, path: &str) -> Direct {
    let open =
        path.strip_prefix(demo_weather::BASE).is_some_and(|rest| rest.is_empty() || rest.starts_with('/'));
    match (open, method) {
        (false, _) => Direct::Closed,
        (true, "GET" | "HEAD") => Direct::Read,
        (true, _) => Direct::ReadOnly,
    }
}

/// A stateful backend: its store's name and how it answers.
type Stateful = (&'static str, fn(&Request, &mut Store, DateTime<Utc>) -> Reply);

/// The backend at `path` and the rest of the path below its base.
enum Backend<'a> {
    Weather(&'a str),
    Stateful(Stateful, &'a str),
}

fn backend(path: &str) -> Option<Backend<'_>> {
    let below = |base: &str| path.strip_prefix(base).filter(|rest| rest.is_empty() || rest.starts_with('/'));
    if let Some(rest) = below(demo_weather::BASE) {
        return Some(Backend::Weather(rest));
    }
    if let Some(rest) = below(demo_crm::BASE) {
        return Some(Backend::Stateful((demo_crm::BACKEND, demo_crm::answer), rest));
    }
    below(demo_payments::BASE)
        .map(|rest| Backend::Stateful((demo_payments::BACKEND, demo_payments::answer), rest))
}

/// What the demo backend at `path` (from `/demo-backends/`) answers to `method` with
/// `query` and `body`: a status and a JSON body (`Null`: none); none when no backend is
/// there. An MCP server (`/demo-backends/mcp/{server}`) takes one JSON-RPC message per
/// POST; a tool call is answered by the REST backend the tool stands for.
pub async fn answer(
    pool: &PgPool,
    method: &str,
    path: &str,
    query: Option<&str>,
    body: &[u8],
) -> Option<Reply> {
    let Some(server) = path.strip_prefix(demo_mcp::BASE) else {
        return rest(pool, method, path, query, body).await;
    };
    if !demo_mcp::SERVERS.contains(&server) {
        return None;
    }
    if method != "POST" {
        return Some(error(405, "method_not_allowed", "POST one JSON-RPC message (no event stream here)."));
    }
    match demo_mcp::step(server, body, Utc::now().date_naive())? {
        demo_mcp::Step::Answer(status, message) => Some((status, message)),
        demo_mcp::Step::Call { id, call } => {
            let reply = rest(pool, call.method, &call.path, call.query.as_deref(), &call.body).await?;
            Some((200, demo_mcp::tool_result(&id, reply)))
        }
    }
}

/// A REST backend's answer.
async fn rest(pool: &PgPool, method: &str, path: &str, query: Option<&str>, body: &[u8]) -> Option<Reply> {
    let pairs: Vec<(String, String)> =
        url::form_urlencoded::parse(query.unwrap_or_default().as_bytes()).into_owned().collect();
    let (backend, rest) = match backend(path)? {
        Backend::Weather(rest) => {
            return Some(demo_weather::answer(method, rest, &pairs, Utc::now().date_naive()))
        }
        Backend::Stateful(backend, rest) => (backend, rest),
    };
    let req = Request { method, path: rest, query: &pairs, body };
    Some(stateful(pool, backend, &req).await.unwrap_or_else(|e| {
        tracing::error!(error = %e, "demo backend: its records cannot be read or written");
        error(503, "unavailable", "The demo backend cannot reach its records now; try again.")
    }))
}

/// A stateful backend's answer: its records read (under its lock for a write), the
/// answer computed, what changed written back, all in one transaction.
async fn stateful(
    pool: &PgPool,
    (backend, answer): Stateful,
    req: &Request<'_>,
) -> Result<Reply, sqlx::Error> {
    let mut tx = scope::begin(pool, Scope::Platform).await?;
    if req.writes() {
        crate::db::demo::lock(&mut tx, backend).await?;
    }
    let mut store = crate::db::demo::store(&mut tx, backend).await?;
    let reply = answer(req, &mut store, Utc::now());
    let changes = store.changes();
    if !changes.is_empty() {
        crate::db::demo::apply(&mut tx, backend, &changes).await?;
    }
    tx.commit().await?;
    Ok(reply)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_public_weather_backend_is_read_directly() {
        assert_eq!(direct("GET", "/demo-backends/weather/v1/forecast"), Direct::Read);
        assert_eq!(direct("HEAD", "/demo-backends/weather/v1"), Direct::Read);
        assert_eq!(direct("POST", "/demo-backends/weather/v1/places"), Direct::ReadOnly);
        for path in [
            "/demo-backends/crm/v1/customers",
            "/demo-backends/payments/v1/balance",
            "/demo-backends/mcp/payments",
            "/demo-backends/weather/v1x",
        ] {
            assert_eq!(direct("GET", path), Direct::Closed, "{path}");
            assert_eq!(direct("POST", path), Direct::Closed, "{path}");
        }
    }
}

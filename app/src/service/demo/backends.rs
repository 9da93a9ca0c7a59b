//! STOA's own demo backends (`/demo-backends/…`): the demo tenant's live APIs and MCP
//! servers answered in process — by the gateway and try-it for the demo APIs'
//! deployments (their documents name a server relative to the portal), never over the
//! network, through [`Backends`], their [`InProcess`] upstream; and by the server's route
//! for direct calls where `domain::demo::direct` allows them (reads of an open backend).
//! Off with `DEMO=off`. Computed backends answer from the request alone; stateful ones
//! keep their records in Postgres (`demo_records`) until the demo's reset.

use crate::db::scope::{self, Scope};
use crate::domain::demo::kit::{error, Reply, Request};
use crate::domain::demo::{self, mcp, Answers, Backend, Direct};
use crate::service::in_process::InProcess;
use chrono::Utc;
use futures::future::BoxFuture;
use sqlx::PgPool;

/// Direct reads (`/demo-backends/…` without the gateway) one address may make per minute.
pub const DIRECT_READS_PER_MINUTE: u32 = 120;

/// The demo backends of one process (answering when `on`: `DEMO`), with their direct
/// reads per caller's address.
pub struct Backends {
    pool: PgPool,
    on: bool,
    direct_reads: crate::throttle::PerAddress,
}

impl Backends {
    pub fn new(pool: PgPool, on: bool) -> Backends {
        Backends { pool, on, direct_reads: crate::throttle::PerAddress::new(DIRECT_READS_PER_MINUTE) }
    }

    /// A direct call's answer (`/demo-backends/…` without a key, from `address`): what
    /// `domain::demo::direct` allows, within its reads per address and minute; none: 404.
    pub async fn direct(
        &self,
        address: Option<std::net::IpAddr>,
        method: &str,
        path: &str,
        query: Option<&str>,
    ) -> Option<Reply> {
        if !self.on {
            return None;
        }
        match demo::direct(method, path) {
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
            Direct::Read => answer(&self.pool, "GET", path, query, &[]).await,
        }
    }
}

impl InProcess for Backends {
    /// The demo's paths: its documents' servers and its MCP servers' remotes.
    fn serves(&self, server: &str) -> bool {
        server.starts_with(demo::PREFIX)
    }

    fn off(&self) -> Option<&'static str> {
        (!self.on).then_some("The demo backends are off on this server (DEMO=off).")
    }

    fn answer<'a>(
        &'a self,
        method: &'a str,
        path: &'a str,
        query: Option<&'a str>,
        body: &'a [u8],
    ) -> BoxFuture<'a, Option<Reply>> {
        Box::pin(answer(&self.pool, method, path, query, body))
    }
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
    let Some(server) = path.strip_prefix(demo::MCP_BASE) else {
        return rest(pool, method, path, query, body).await;
    };
    demo::mcp_server(path)?;
    if method != "POST" {
        return Some(error(405, "method_not_allowed", "POST one JSON-RPC message (no event stream here)."));
    }
    match mcp::step(server, body, Utc::now().date_naive())? {
        mcp::Step::Answer(status, message) => Some((status, message)),
        mcp::Step::Call { id, call } => {
            let reply = rest(pool, call.method, &call.path, call.query.as_deref(), &call.body).await?;
            Some((200, mcp::tool_result(&id, reply)))
        }
    }
}

/// A REST backend's answer.
async fn rest(pool: &PgPool, method: &str, path: &str, query: Option<&str>, body: &[u8]) -> Option<Reply> {
    let pairs: Vec<(String, String)> =
        url::form_urlencoded::parse(query.unwrap_or_default().as_bytes()).into_owned().collect();
    let (backend, rest) = demo::at(path)?;
    let req = Request { method, path: rest, query: &pairs, body };
    Some(match backend.answers {
        Answers::Computed(answer) => answer(&req, Utc::now()),
        Answers::Stateful { answer, .. } => stateful(pool, backend, answer, &req).await.unwrap_or_else(|e| {
            tracing::error!(error = %e, "demo backend: its records cannot be read or written");
            error(503, "unavailable", "The demo backend cannot reach its records now; try again.")
        }),
    })
}

/// A stateful backend's answer: its records read (under its lock for a write), the
/// answer computed, what changed written back, all in one transaction.
async fn stateful(
    pool: &PgPool,
    backend: &Backend,
    answer: crate::domain::demo::kit::StoreAnswer,
    req: &Request<'_>,
) -> Result<Reply, sqlx::Error> {
    use crate::db::demo::records;
    let mut tx = scope::begin(pool, Scope::Platform).await?;
    if req.writes() {
        records::lock(&mut tx, backend.name).await?;
    }
    let mut store = records::store(&mut tx, backend.name).await?;
    let reply = answer(req, &mut store, Utc::now());
    let changes = store.changes();
    if !changes.is_empty() {
        records::apply(&mut tx, backend.name, &changes).await?;
    }
    tx.commit().await?;
    Ok(reply)
}

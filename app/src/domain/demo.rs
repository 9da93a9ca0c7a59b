//! The demo wing, pure part: the demo tenant's live backends (weather, CRM, payments),
//! their MCP servers, the dataset a reset writes back, its catalog and its schedule.
//!
//! **One table**, [`BACKENDS`]: every place that lists the live backends reads it — the
//! in-process answer, direct reads, the MCP servers, the catalog's seed, the records a
//! reset writes back. A new live demo API is its module (a [`Backend`] constant: its
//! catalog entry, document, answers, optionally its MCP server) and one line here.

pub mod catalog;
pub mod crm;
pub mod dataset;
pub mod kit;
pub mod mcp;
pub mod payments;
pub mod schedule;
pub mod weather;

use crate::domain::catalog::Audience;
use crate::domain::mcp::McpTool;
use catalog::DemoApi;
use chrono::{DateTime, NaiveDate, Utc};
use kit::{Reply, Request, Seed, StoreAnswer};
use mcp::RestCall;
use serde_json::Value;

/// The prefix of every demo backend's path, relative to the portal.
pub const PREFIX: &str = "/demo-backends/";

/// How a backend answers a request below its base.
#[derive(Clone, Copy)]
pub enum Answers {
    /// From the request and the time alone: no records.
    Computed(fn(&Request, DateTime<Utc>) -> Reply),
    /// From its records, which a call may change; `seed` is what a reset at a time
    /// leaves.
    Stateful { answer: StoreAnswer, seed: Seed },
}

/// The MCP server standing for a backend (`/demo-backends/mcp/{name}`): its catalog entry
/// and its tools, each a REST call of the backend.
pub struct McpServer {
    pub name: &'static str,
    pub description: &'static str,
    pub audience: Audience,
    pub tools: fn() -> Vec<McpTool>,
    /// The REST call a tool call with valid arguments stands for (none: no such tool).
    pub call: fn(tool: &str, args: &Value, today: NaiveDate) -> Option<RestCall>,
}

/// One live demo backend.
pub struct Backend {
    /// Its name: the key of its records and of its MCP server.
    pub name: &'static str,
    /// Where it is served, relative to the portal (its documents' server).
    pub base: &'static str,
    /// The demo API it serves: its current version and its candidate are answered here.
    pub api: DemoApi,
    /// Its OpenAPI document for a version, with the API's description.
    pub document: fn(version: &str, description: &str) -> Value,
    pub answers: Answers,
    /// Whether a direct call (no key, no gateway) may read it: only for answers that are
    /// no one's records.
    pub open: bool,
    pub mcp: Option<McpServer>,
}

/// The live demo backends.
pub const BACKENDS: &[Backend] = &[weather::BACKEND, crm::BACKEND, payments::BACKEND];

/// The backend serving the demo API `slug`.
pub fn serving(slug: &str) -> Option<&'static Backend> {
    BACKENDS.iter().find(|b| b.api.slug == slug)
}

/// The backend at `path` and the rest of the path below its base.
pub fn at(path: &str) -> Option<(&'static Backend, &str)> {
    BACKENDS.iter().find_map(|b| {
        let rest = path.strip_prefix(b.base)?;
        (rest.is_empty() || rest.starts_with('/')).then_some((b, rest))
    })
}

/// Where the MCP servers are served (their remotes): `{MCP_BASE}{name}`.
pub const MCP_BASE: &str = "/demo-backends/mcp/";

/// The backend whose MCP server is at `path` (a remote such as `/demo-backends/mcp/crm`).
pub fn mcp_server(path: &str) -> Option<&'static Backend> {
    let name = path.strip_prefix(MCP_BASE)?;
    BACKENDS.iter().find(|b| b.name == name && b.mcp.is_some())
}

/// What a direct call may get (`/demo-backends/…` on the portal, no key).
#[derive(Debug, PartialEq, Eq)]
pub enum Direct {
    /// A read of an open backend.
    Read,
    /// A write to an open backend: 405.
    ReadOnly,
    /// Not reachable directly: 404, as if nothing were there.
    Closed,
}

/// Whether a direct `method` on `path` is answered: reads of an [`Backend::open`]
/// backend. The others keep records the demo's subscribers see, and the MCP servers
/// stand for them: they are reached through the gateway only, with a key, a
/// subscription and a plan.
pub fn direct(method: &str, path: &str) -> Direct {
    match (at(path).is_some_and(|(b, _)| b.open), method) {
        (false, _) => Direct::Closed,
        (true, "GET" | "HEAD") => Direct::Read,
        (true, _) => Direct::ReadOnly,
    }
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

    #[test]
    fn the_table_names_each_backend_api_and_server_once() {
        let names: std::collections::BTreeSet<_> = BACKENDS.iter().map(|b| b.name).collect();
        let apis: std::collections::BTreeSet<_> = BACKENDS.iter().map(|b| b.api.slug).collect();
        assert_eq!((names.len(), apis.len()), (BACKENDS.len(), BACKENDS.len()));
        for b in BACKENDS {
            assert!(b.base.starts_with(PREFIX) && !b.base.starts_with(MCP_BASE), "{}", b.base);
            assert_eq!(at(&format!("{}/x", b.base)).map(|(f, rest)| (f.name, rest)), Some((b.name, "/x")));
            assert_eq!(serving(b.api.slug).map(|f| f.name), Some(b.name));
            if b.mcp.is_some() {
                assert_eq!(mcp_server(&format!("{MCP_BASE}{}", b.name)).map(|f| f.name), Some(b.name));
            }
        }
        assert!(mcp_server("/demo-backends/mcp/nowhere").is_none());
    }
}

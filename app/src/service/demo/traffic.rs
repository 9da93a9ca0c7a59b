//! The demo's live traffic (`DEMO_TRAFFIC=on`): now and then one real call of a dataset
//! consumer through the gateway — with the application's dataset key, limited and
//! metered like any call — to a demo backend, so that an open usage dashboard moves.

use crate::db::demo::reset as demo_reset;
use crate::db::scope::{self, Scope};
use crate::domain::demo::dataset::id;
use crate::error::AppError;
use sqlx::PgPool;

/// One call of the rotation: owner, application, API (or MCP server), path and query
/// (or the MCP message).
const CALLS: &[(&str, &str, &str, &str)] = &[
    ("alice", "Trip planner", "weather-forecast", "/forecast?place=lyon"),
    ("bob", "Weather widget", "weather-forecast", "/forecast?place=berlin"),
    ("alice", "Trip planner", "customer-crm", "/customers?q=a&limit=5"),
    ("carol", "Web shop", "payments", "/balance"),
    ("bob", "Weather widget", "weather-forecast", "/alerts?region=DE"),
    ("carol", "Web shop", "customer-crm", "/customers/cus_0003"),
    (
        "alice",
        "Trip assistant",
        "mcp:weather",
        r#"{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"get_forecast","arguments":{"location":"Madrid","days":2}}}"#,
    ),
    ("alice", "Trip planner", "payments", "/payments?status=succeeded&limit=3"),
    ("bob", "Weather widget", "weather-forecast", "/forecast?place=paris"),
];

/// Where one call of the rotation goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    /// `GET {path}?{query}` of the demo tenant's API `api`.
    Rest { api: &'static str, path: &'static str, query: Option<&'static str> },
    /// One MCP message for `server`.
    Mcp { server: &'static str, message: &'static str },
}

/// One call of the rotation: with which key, to what.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DemoCall {
    /// The API (or `mcp:{server}`), as logs name it.
    pub api: &'static str,
    /// The dataset key of the consumer's application.
    pub key: String,
    pub target: Target,
}

/// The `n`th call of the rotation (none before the dataset has been written); the
/// gateway makes it (`server::demo::traffic`).
pub async fn nth_call(pool: &PgPool, n: u64) -> Result<Option<DemoCall>, AppError> {
    let mut tx = scope::begin(pool, Scope::Platform).await?;
    let last = demo_reset::recent(&mut tx, 1).await?.into_iter().next();
    tx.commit().await?;
    let Some(last) = last else { return Ok(None) };
    let (owner, app, api, what) = CALLS[(n % CALLS.len() as u64) as usize];
    let key = demo_reset::dataset_key(id("application", &format!("{owner}/{app}")), &last.key_salt);
    let target = match api.strip_prefix("mcp:") {
        Some(server) => Target::Mcp { server, message: what },
        None => {
            let (path, query) = what.split_once('?').map_or((what, None), |(p, q)| (p, Some(q)));
            Target::Rest { api, path, query }
        }
    };
    Ok(Some(DemoCall { api, key, target }))
}

//! The demo's live traffic (`DEMO_TRAFFIC=on`): now and then one real call of a dataset
//! consumer through the gateway — with the application's dataset key, limited and
//! metered like any call — to a demo backend, so that an open usage dashboard moves.

use crate::db::demo::reset as demo_reset;
use crate::db::scope::{self, Scope};
use crate::domain::demo::dataset::id;
use crate::domain::demo::dataset::DEMO_TENANT;
use crate::error::AppError;
use crate::service::gateway::{Call, Gateway, McpCall};
use axum::http::{HeaderMap, HeaderValue, Method};
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

/// Makes the `n`th call of the rotation; its API and the status the gateway answered
/// (none before the dataset has been written).
pub async fn one_call(
    pool: &PgPool,
    gateway: &Gateway,
    n: u64,
) -> Result<Option<(&'static str, u16)>, AppError> {
    let mut tx = scope::begin(pool, Scope::Platform).await?;
    let last = demo_reset::recent(&mut tx, 1).await?.into_iter().next();
    tx.commit().await?;
    let Some(last) = last else { return Ok(None) };
    let (owner, app, api, what) = CALLS[(n % CALLS.len() as u64) as usize];
    let key = demo_reset::dataset_key(id("application", &format!("{owner}/{app}")), &last.key_salt);
    let mut headers = HeaderMap::new();
    headers.insert("x-api-key", HeaderValue::from_str(&key).map_err(|_| AppError::Internal)?);
    headers.insert(axum::http::header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    let status = match api.strip_prefix("mcp:") {
        Some(server) => {
            let call = McpCall { server: server.to_owned(), headers, body: what.as_bytes().to_vec().into() };
            gateway.handle_mcp(call).await.status
        }
        None => {
            let (path, query) = what.split_once('?').map_or((what, None), |(p, q)| (p, Some(q.to_owned())));
            let call = Call {
                tenant: DEMO_TENANT.to_owned(),
                api: api.to_owned(),
                method: Method::GET,
                path: path.to_owned(),
                query,
                headers,
                body: Default::default(),
                try_it: false,
                target: None,
            };
            gateway.handle(call).await.status
        }
    };
    Ok(Some((api, status.as_u16())))
}

//! The demo tenant's scheduled reset (`DEMO_RESET_SCHEDULE`): every replica sleeps until
//! the schedule's next time and asks for the reset of that slot; the first one does it,
//! the others find it running or done (`app::service::demo::reset`).

use app::domain::demo::dataset::DEMO_TENANT;
use app::domain::demo::schedule::Schedule;
use app::error::AppError;
use app::service::demo::reset::{reset, Outcome, Trigger};
use app::service::demo::traffic::{nth_call, Target};
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use gateway::{Call, Gateway, McpCall};
use std::sync::Arc;

/// Resets the demo tenant at each time of `schedule` until `shutdown`.
pub async fn scheduled_resets(
    pool: sqlx::PgPool,
    raw_days: u32,
    schedule: Schedule,
    shutdown: tokio_util::sync::CancellationToken,
) {
    loop {
        let Some(slot) = schedule.next_after(Utc::now()) else {
            tracing::warn!(schedule = schedule.text(), "the demo reset schedule has no next time");
            return;
        };
        let wait = (slot - Utc::now()).to_std().unwrap_or_default();
        tokio::select! {
            _ = shutdown.cancelled() => return,
            _ = tokio::time::sleep(wait) => {}
        }
        match reset(&pool, raw_days, Trigger::Schedule(slot)).await {
            Ok(Outcome::Done(row)) => {
                tracing::info!(%slot, duration_ms = row.duration_ms, "scheduled demo reset done")
            }
            Ok(Outcome::Running) => tracing::info!(%slot, "scheduled demo reset: another replica runs it"),
            Ok(Outcome::AlreadyDone) => tracing::info!(%slot, "scheduled demo reset: another replica did it"),
            Err(e) => tracing::error!(%slot, error = %e, "scheduled demo reset failed"),
        }
    }
}

/// The demo's live traffic: one call of a dataset consumer through the gateway every
/// `period` until `shutdown` (`DEMO_TRAFFIC=on`).
pub async fn traffic(
    pool: sqlx::PgPool,
    gateway: Arc<Gateway>,
    period: std::time::Duration,
    shutdown: tokio_util::sync::CancellationToken,
) {
    let mut n = 0u64;
    crate::every(period, shutdown, || {
        n += 1;
        let (pool, gateway) = (pool.clone(), gateway.clone());
        let k = n;
        async move {
            match one_call(&pool, &gateway, k).await {
                Ok(Some((api, status))) if status >= 500 => {
                    tracing::warn!(api, status, "demo traffic: a call failed")
                }
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "demo traffic: no call"),
            }
        }
    })
    .await
}

/// Makes the `n`th call of the demo's rotation through `gateway`, with the consumer's
/// key — limited and metered like any call; its API and the status the gateway answered
/// (none before the dataset has been written).
pub async fn one_call(
    pool: &sqlx::PgPool,
    gateway: &Gateway,
    n: u64,
) -> Result<Option<(&'static str, u16)>, AppError> {
    let Some(call) = nth_call(pool, n).await? else { return Ok(None) };
    let mut headers = HeaderMap::new();
    headers.insert("x-api-key", HeaderValue::from_str(&call.key).map_err(|_| AppError::Internal)?);
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    let answer = match call.target {
        Target::Mcp { server, message } => {
            let body = message.as_bytes().to_vec().into();
            gateway.handle_mcp(McpCall { server: server.to_owned(), headers, body }).await
        }
        Target::Rest { api, path, query } => {
            gateway
                .handle(Call {
                    tenant: DEMO_TENANT.to_owned(),
                    api: api.to_owned(),
                    method: Method::GET,
                    path: path.to_owned(),
                    query: query.map(str::to_owned),
                    headers,
                    body: Default::default(),
                    try_it: false,
                    target: None,
                })
                .await
        }
    };
    Ok(Some((call.api, answer.status.as_u16())))
}

/// `ANY /demo-backends/{*path}`: STOA's demo backends for direct calls, as far as
/// [`app::domain::demo::direct`] opens them (reads of the public weather backend, so
/// many per address and minute); the gateway and try-it answer the demo APIs'
/// deployments in process. 404 when `DEMO=off`.
pub async fn demo_backend(
    State(demo): State<Arc<app::service::demo::backends::Backends>>,
    connect: Option<axum::Extension<axum::extract::ConnectInfo<std::net::SocketAddr>>>,
    req: Request,
) -> Response {
    let address = connect.map(|c| c.0 .0.ip());
    let (method, uri) = (req.method().clone(), req.uri().clone());
    match demo.direct(address, method.as_str(), uri.path(), uri.query()).await {
        Some((status, body)) => {
            let status = StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_GATEWAY);
            let mut res = if body.is_null() {
                status.into_response()
            } else {
                (status, axum::Json(body)).into_response()
            };
            if status == StatusCode::METHOD_NOT_ALLOWED {
                res.headers_mut()
                    .insert(axum::http::header::ALLOW, axum::http::HeaderValue::from_static("GET, HEAD"));
            }
            if method == axum::http::Method::HEAD {
                *res.body_mut() = axum::body::Body::empty();
            }
            res
        }
        None => app::error::AppError::NotFound.into_response(),
    }
}

//! Downloads as CSV. The usage dashboards' selection (`/usage.csv`,
//! `/console/usage.csv`, with the dashboard's own query and `rows=series|calls`): the
//! answer is streamed a page of rows at a time, so memory does not grow with the number
//! of rows. The onboarding funnel (`/console/onboarding.csv`, the page's own query and
//! `rows=stages|stalled`).

use crate::plain::PlainRoute;
use app::auth::CurrentUser;
use app::domain::permission::{Access, Permission};
use app::error::AppError;
use app::model::metering::DashboardQuery;
use app::service::usage::export::{self as usage, ExportKind};
use app::state::AppState;
use axum::body::Body;
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, MethodRouter};
use axum::Extension;

/// The usage of the user's own applications.
pub const OWN_USAGE: PlainRoute = PlainRoute::get("/usage.csv", Access::Granted(Permission::ViewOwnUsage));
/// The console's usage (the tenant's; every call for a platform admin).
pub const CONSOLE_USAGE: PlainRoute =
    PlainRoute::get("/console/usage.csv", Access::Granted(Permission::ViewTenantUsage));
/// The onboarding funnel.
pub const FUNNEL: PlainRoute =
    PlainRoute::get("/console/onboarding.csv", Access::Granted(Permission::ViewOnboardingFunnel));

/// The download routes and their handlers.
pub fn routes() -> Vec<(PlainRoute, MethodRouter<AppState>)> {
    vec![(OWN_USAGE, get(own)), (CONSOLE_USAGE, get(console)), (FUNNEL, get(funnel))]
}

/// The download routes as [`routes`] mounts them.
pub fn declared() -> Vec<PlainRoute> {
    routes().into_iter().map(|(route, _)| route).collect()
}

/// The signed-in user `access` admits and the download's query, or why not (sign in
/// first, forbidden, or a query that does not parse).
fn admit<Q>(
    user: Option<Extension<CurrentUser>>,
    access: Access,
    query: Result<Query<Q>, axum::extract::rejection::QueryRejection>,
) -> Result<(CurrentUser, Q), AppError> {
    let user = app::auth::guard(user.as_ref().map(|u| &u.0), access)?.ok_or(AppError::Unauthorized)?;
    let Ok(Query(query)) = query else {
        return Err(AppError::BadRequest);
    };
    Ok((user, query))
}

/// The funnel page's query and which rows.
#[derive(serde::Deserialize)]
pub struct FunnelExport {
    #[serde(flatten)]
    pub funnel: app::model::onboarding::FunnelQuery,
    pub rows: Option<String>,
}

async fn funnel(
    State(state): State<AppState>,
    user: Option<Extension<CurrentUser>>,
    query: Result<Query<FunnelExport>, axum::extract::rejection::QueryRejection>,
) -> Response {
    use app::service::onboarding::{funnel_csv, funnel_listing, FunnelRows, STALLED_CSV_ROWS};
    let (user, query) = match admit(user, FUNNEL.access, query) {
        Ok(admitted) => admitted,
        Err(e) => return e.into_response(),
    };
    let rows = match FunnelRows::parse(query.rows.as_deref()) {
        Ok(r) => r,
        Err(e) => return e.into_response(),
    };
    let report = match funnel_listing(&state.pool, &user, &query.funnel, STALLED_CSV_ROWS).await {
        Ok(r) => r,
        Err(e) => return e.into_response(),
    };
    let name = format!(
        "stoa-onboarding-{}-{}.csv",
        if rows == FunnelRows::Stalled { "stalled" } else { "funnel" },
        chrono::Utc::now().format("%Y%m%d-%H%M")
    );
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\"")),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        funnel_csv(&report, rows),
    )
        .into_response()
}

/// The dashboard's query and which rows.
#[derive(serde::Deserialize)]
pub struct ExportQuery {
    #[serde(flatten)]
    pub dashboard: DashboardQuery,
    pub rows: Option<String>,
}

async fn own(
    State(state): State<AppState>,
    user: Option<Extension<CurrentUser>>,
    query: Result<Query<ExportQuery>, axum::extract::rejection::QueryRejection>,
) -> Response {
    download(state, user, query, false).await
}

async fn console(
    State(state): State<AppState>,
    user: Option<Extension<CurrentUser>>,
    query: Result<Query<ExportQuery>, axum::extract::rejection::QueryRejection>,
) -> Response {
    download(state, user, query, true).await
}

async fn download(
    state: AppState,
    user: Option<Extension<CurrentUser>>,
    query: Result<Query<ExportQuery>, axum::extract::rejection::QueryRejection>,
    console: bool,
) -> Response {
    let (user, query) =
        match admit(user, if console { CONSOLE_USAGE.access } else { OWN_USAGE.access }, query) {
            Ok(admitted) => admitted,
            Err(e) => return e.into_response(),
        };
    let kind = match ExportKind::parse(query.rows.as_deref()) {
        Ok(k) => k,
        Err(e) => return e.into_response(),
    };
    if let Err(e) = usage::check_export(&user, &query.dashboard, console) {
        return e.into_response();
    }
    let (tx, rx) = tokio::sync::mpsc::channel::<String>(2);
    let raw_days = state.config.metering.raw_days;
    tokio::spawn(async move {
        if let Err(e) = usage::export(&state.pool, &user, &query.dashboard, console, raw_days, kind, tx).await
        {
            // The header is sent: the file ends short, and the log says why.
            tracing::warn!(error = %e, "usage export stopped");
        }
    });
    // Fused: the compression layer polls once more after the end.
    let body = futures::StreamExt::fuse(futures::stream::unfold(rx, |mut rx| async move {
        rx.recv().await.map(|chunk| (Ok::<_, std::io::Error>(chunk), rx))
    }));
    let name = format!(
        "stoa-usage-{}-{}.csv",
        if kind == ExportKind::Calls { "calls" } else { "series" },
        chrono::Utc::now().format("%Y%m%d-%H%M")
    );
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\"")),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        Body::from_stream(body),
    )
        .into_response()
}

//! REST: usage — what the calls through STOA add up to, as the dashboards will show it.

use super::*;
use app::model::metering::{UsageQuery, UsageReport};

/// This resource's routes, in the order the document lists them.
pub(super) fn routes() -> Vec<(RestRoute, MethodRouter<AppState>)> {
    vec![(
        RestRoute::get("/v1/usage", Access::Granted(Permission::ViewOwnUsage), "usage")
            .summary(
                "Calls through STOA over a period: totals, a series and a breakdown (by application, API, tool, \
                 status or tenant). A subscriber sees its own applications' calls, a tenant admin also the calls \
                 to its tenant's APIs, a platform admin every call.",
            )
            .query::<UsageQuery>()
            .ok::<UsageReport>()
            .or_as(&["text/csv"]),
        get(usage),
    )]
}

/// The report as JSON, or as CSV (`Accept: text/csv`): the breakdown's groups, or the
/// series without one.
async fn usage(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    headers: axum::http::HeaderMap,
    QueryParams(query): QueryParams<UsageQuery>,
) -> Result<Response, AppError> {
    let report = app::service::usage::report::usage(&state.pool, &user, &query).await?;
    Ok(if prefers(&headers, "text/csv") {
        let csv = app::service::usage::export::report_csv(&report);
        ([(axum::http::header::CONTENT_TYPE, "text/csv; charset=utf-8")], csv).into_response()
    } else {
        Json(report).into_response()
    })
}

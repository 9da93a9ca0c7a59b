//! `GET /v1/usage`: the series, totals and breakdown of the calls a user may see.

use super::plan::{name_applications, visible_scope, Selection};
use crate::auth::CurrentUser;
use crate::db::metering::usage as db;
use crate::db::scope::{self, Visibility};
use crate::error::AppError;
use crate::model::metering::{GroupBy, UsageQuery, UsageReport};
use chrono::Utc;

/// `GET /v1/usage`: the calls `user` may see over the query's period — the series, the
/// totals and the breakdown.
pub async fn usage(pool: &sqlx::PgPool, user: &CurrentUser, q: &UsageQuery) -> Result<UsageReport, AppError> {
    let sel = Selection::of(q, visible_scope(user), Utc::now())?;
    let group_by = q.group_by.unwrap_or_default();
    let mut tx = scope::begin(pool, Visibility::of(user).scope()).await?;
    db::for_sums(&mut tx).await?;
    let (series, totals) = sel.series(&mut tx).await?;
    let mut groups = match group_by {
        GroupBy::None => Vec::new(),
        g => sel.groups(&mut tx, g).await?,
    };
    tx.commit().await?;
    if group_by == GroupBy::Application {
        name_applications(pool, &mut groups).await?;
    }
    Ok(UsageReport {
        from: crate::db::rfc3339(sel.from),
        to: crate::db::rfc3339(sel.to),
        granularity: sel.granularity,
        group_by,
        totals,
        series,
        groups,
    })
}

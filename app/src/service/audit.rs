//! The audit trail, for security auditors and platform admins (`/console/audit`, and
//! `GET /v1/audit` in the REST API, which share the query parsing below).

use crate::auth::CurrentUser;
use crate::db::audit::{search, AuditFilter};
use crate::db::scope::{self, Scope};
use crate::domain::permission::Permission;
use crate::error::AppError;
use crate::error::FieldError;
use crate::model::audit::*;
use chrono::{DateTime, NaiveDate, Utc};

/// Parses `query`, checks the tenant filter against `user` and reads one page inside
/// the user's tenant scope.
pub async fn load(
    pool: &sqlx::PgPool,
    user: &CurrentUser,
    query: &AuditQuery,
) -> Result<AuditPage, AppError> {
    let (filter, page, per_page) = parse(query)?;
    if filter.tenant_id.as_deref().is_some_and(|t| t != user.tenant_id)
        && !user.may(Permission::ActAcrossTenants)
    {
        return Err(AppError::Forbidden);
    }
    let mut tx = scope::begin(pool, Scope::of(user)).await?;
    let (rows, total) = search(&mut tx, &filter, per_page, (page - 1) * per_page).await?;
    let actions = crate::db::audit::actions(&mut tx).await?;
    tx.commit().await?;
    let rows = rows
        .into_iter()
        .map(|r| AuditItem {
            id: r.id,
            at: crate::db::rfc3339(r.at),
            tenant_id: r.tenant_id,
            actor: r.actor,
            action: r.action,
            subject: r.subject,
            client_addr: r.client_addr,
        })
        .collect();
    Ok(AuditPage { rows, total, page, per_page, actions })
}

fn text(v: &Option<String>) -> Option<String> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned)
}

fn instant(v: &str, end_of_day: bool) -> Option<DateTime<Utc>> {
    if let Ok(d) = NaiveDate::parse_from_str(v, "%Y-%m-%d") {
        let d = if end_of_day { d.succ_opt()? } else { d };
        return Some(d.and_hms_opt(0, 0, 0)?.and_utc());
    }
    DateTime::parse_from_rfc3339(v).ok().map(|t| t.with_timezone(&Utc))
}

/// Turns the typed filters into a database filter, page and page size; every bad
/// value is reported against its field.
pub fn parse(q: &AuditQuery) -> Result<(AuditFilter, i64, i64), AppError> {
    let mut errors = Vec::new();
    let mut bad = |field: &str, code: &str| {
        errors.push(FieldError { field: field.to_owned(), code: code.to_owned(), detail: None });
    };
    let mut date = |field: &str, v: &Option<String>, end_of_day: bool| {
        let value = text(v)?;
        let t = instant(&value, end_of_day);
        if t.is_none() {
            bad(field, "invalid-date");
        }
        t
    };
    let from = date("from", &q.from, false);
    let until = date("to", &q.to, true);
    if let (Some(f), Some(u)) = (from, until) {
        if u <= f {
            bad("to", "before-from");
        }
    }
    let number = |v: &Option<String>, default: i64| match text(v) {
        None => Some(default),
        Some(s) => s.parse::<i64>().ok().filter(|n| *n >= 1),
    };
    let page = number(&q.page, 1).unwrap_or_else(|| {
        bad("page", "invalid-number");
        1
    });
    let per_page = number(&q.per_page, DEFAULT_PER_PAGE).unwrap_or_else(|| {
        bad("per_page", "invalid-number");
        DEFAULT_PER_PAGE
    });
    if per_page > MAX_PER_PAGE {
        bad("per_page", "too-large");
    }
    if page > 100_000 {
        bad("page", "too-large");
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let filter = AuditFilter {
        actor: text(&q.actor).map(|a| a.to_ascii_lowercase()),
        action: text(&q.action),
        from,
        until,
        tenant_id: text(&q.tenant),
    };
    Ok((filter, page, per_page))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_cover_whole_days_and_bad_values_name_their_field() {
        let q = AuditQuery {
            from: Some("2026-11-01".into()),
            to: Some("2026-11-01".into()),
            actor: Some(" Tara ".into()),
            ..Default::default()
        };
        let (f, page, per_page) = parse(&q).expect("valid");
        assert_eq!(f.actor.as_deref(), Some("tara"));
        assert_eq!((f.until.expect("until") - f.from.expect("from")).num_hours(), 24);
        assert_eq!((page, per_page), (1, DEFAULT_PER_PAGE));
        let q = AuditQuery {
            from: Some("yesterday".into()),
            page: Some("0".into()),
            per_page: Some("5000".into()),
            ..Default::default()
        };
        let Err(AppError::Validation(fields)) = parse(&q) else { panic!("invalid") };
        let names: Vec<_> = fields.iter().map(|f| (f.field.as_str(), f.code.as_str())).collect();
        assert_eq!(names, [("from", "invalid-date"), ("page", "invalid-number"), ("per_page", "too-large")]);
        let q = AuditQuery {
            from: Some("2026-11-02".into()),
            to: Some("2026-11-01".into()),
            ..Default::default()
        };
        assert!(matches!(parse(&q), Err(AppError::Validation(f)) if f[0].code == "before-from"));
    }
}

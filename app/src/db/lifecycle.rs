//! A version's lifecycle in the database: deprecated with a sunset and a successor, then
//! retired (run in the API's tenant scope).

use crate::model::publishing::VersionLifecycle;
use chrono::{DateTime, Utc};
use sqlx::PgConnection;
use uuid::Uuid;

/// A version of `tenant`'s API, locked for a change: (id, entry id, status).
pub async fn lock_version(
    db: &mut PgConnection,
    tenant: &str,
    api: &str,
    version: &str,
) -> Result<Option<(Uuid, Uuid, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT v.id, v.item_id, v.status FROM api_versions v JOIN catalog_items i ON i.id = v.item_id
         WHERE i.tenant_id = $1 AND i.kind = 'api' AND i.slug = $2 AND v.version = $3 FOR UPDATE OF v",
    )
    .bind(tenant)
    .bind(api)
    .bind(version)
    .fetch_optional(db)
    .await
}

/// The status of another version of the same entry.
pub async fn status_of(
    db: &mut PgConnection,
    item: Uuid,
    version: &str,
) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT status FROM api_versions WHERE item_id = $1 AND version = $2")
        .bind(item)
        .bind(version)
        .fetch_optional(db)
        .await
}

/// Deprecates a version (the first deprecation's time is kept when the sunset moves).
pub async fn deprecate(
    db: &mut PgConnection,
    id: Uuid,
    sunset: DateTime<Utc>,
    successor: Option<&str>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE api_versions SET status = 'deprecated', deprecated_at = coalesce(deprecated_at, now()),
                sunset_at = $2, successor = $3, updated_at = now() WHERE id = $1",
    )
    .bind(id)
    .bind(sunset)
    .bind(successor)
    .execute(db)
    .await?;
    Ok(())
}

/// Retires a version.
pub async fn retire(db: &mut PgConnection, id: Uuid) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE api_versions SET status = 'retired', retired_at = now(), updated_at = now() WHERE id = $1",
    )
    .bind(id)
    .execute(db)
    .await?;
    Ok(())
}

/// Whether another version of the entry than `id` is still served (published or deprecated).
pub async fn others_served(db: &mut PgConnection, item: Uuid, id: Uuid) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM api_versions WHERE item_id = $1 AND id <> $2 AND status IN ('published', 'deprecated'))",
    )
    .bind(item)
    .bind(id)
    .fetch_one(db)
    .await
}

/// The applications (and their owners) with an active subscription to the entry.
pub async fn active_subscribers(db: &mut PgConnection, item: Uuid) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT a.name || ' (' || u.display_name || ')' FROM subscriptions s
         JOIN applications a ON a.id = s.application_id JOIN users u ON u.id = s.subscriber_id
         WHERE s.item_id = $1 AND s.state = 'active' ORDER BY a.name LIMIT 20",
    )
    .bind(item)
    .fetch_all(db)
    .await
}

/// Deprecated versions whose sunset has come, locked (another sweep skips them): (id, tenant).
pub async fn due(db: &mut PgConnection) -> Result<Vec<(Uuid, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, tenant_id FROM api_versions WHERE status = 'deprecated' AND sunset_at <= now()
         ORDER BY sunset_at LIMIT 500 FOR UPDATE SKIP LOCKED",
    )
    .fetch_all(db)
    .await
}

/// A version's lifecycle as it stands.
pub async fn one(db: &mut PgConnection, id: Uuid) -> Result<VersionLifecycle, sqlx::Error> {
    #[derive(sqlx::FromRow)]
    struct Row {
        api: String,
        version: String,
        status: String,
        deprecated_at: Option<DateTime<Utc>>,
        sunset_at: Option<DateTime<Utc>>,
        successor: Option<String>,
        retired_at: Option<DateTime<Utc>>,
    }
    let r: Row = sqlx::query_as(
        "SELECT i.slug AS api, v.version, v.status, v.deprecated_at, v.sunset_at, v.successor, v.retired_at
         FROM api_versions v JOIN catalog_items i ON i.id = v.item_id WHERE v.id = $1",
    )
    .bind(id)
    .fetch_one(db)
    .await?;
    let at = |t: Option<DateTime<Utc>>| t.map(crate::db::rfc3339);
    Ok(VersionLifecycle {
        api: r.api,
        version: r.version,
        status: r.status,
        deprecated_at: at(r.deprecated_at),
        sunset_at: at(r.sunset_at),
        successor: r.successor,
        retired_at: at(r.retired_at),
    })
}

//! The demo catalog's SQL beyond the publishers' path (`service::demo::seed` publishes
//! through `service::publishing`): which versions of a demo API are stored, and its older
//! versions deprecated as seeded.

use sqlx::PgConnection;

/// The versions of `tenant`'s API `slug` stored, whatever their status.
pub async fn stored_versions(
    db: &mut PgConnection,
    tenant: &str,
    slug: &str,
) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT v.version FROM api_versions v JOIN catalog_items i ON i.id = v.item_id
         WHERE i.tenant_id = $1 AND i.kind = 'api' AND i.slug = $2",
    )
    .bind(tenant)
    .bind(slug)
    .fetch_all(db)
    .await
}

/// Marks `versions` of `tenant`'s API `slug` deprecated where they are published (older
/// versions of a multi-version API, once the new one is out).
pub async fn deprecate(
    db: &mut PgConnection,
    tenant: &str,
    slug: &str,
    versions: &[&str],
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE api_versions SET status = 'deprecated', deprecated_at = coalesce(deprecated_at, now())
         WHERE item_id = (SELECT id FROM catalog_items WHERE tenant_id = $1 AND kind = 'api' AND slug = $2)
           AND version = ANY($3) AND status = 'published'",
    )
    .bind(tenant)
    .bind(slug)
    .bind(versions)
    .execute(db)
    .await
    .map(|_| ())
}

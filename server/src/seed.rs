//! Seeding what the server itself knows: our own REST API, published in the demo
//! tenant's catalog (the demo tenant itself is `app::db::seed`).

use app::db::scope::{self, Scope};
use app::domain::catalog::Kind;
use serde_json::json;

/// Slug of this API's own entry in the demo tenant's catalog.
pub const OWN_API_SLUG: &str = app::db::demo_catalog::OWN_API_SLUG;

/// Publishes this API's OpenAPI document in the catalog (the demo tenant's
/// `stoa-portal-api`, deployed in prod at `public_url`), so that our own catalog page
/// renders it. The version carries the document's fingerprint: a changed route table is
/// a new version, an unchanged one is left as it is.
pub async fn publish_own_document(pool: &sqlx::PgPool, public_url: &str) -> Result<(), sqlx::Error> {
    use app::domain::catalog::{Audience, AuthType};
    let mut doc = crate::rest::openapi_document();
    let fingerprint: String =
        app::secrets::digest(&doc.to_string())[..4].iter().map(|b| format!("{b:02x}")).collect();
    doc["info"]["version"] = json!(format!("1.0.0-{fingerprint}"));
    doc["info"]["description"] = json!("The portal's and console's REST API (`/v1`).");
    doc["servers"] = json!([{ "url": public_url.trim_end_matches('/'), "description": "Production" }]);
    let raw = serde_json::to_string_pretty(&doc).map_err(|e| sqlx::Error::Protocol(e.to_string()))?;
    let tags = vec!["stoa".to_owned(), "rest".to_owned(), "itsm".to_owned()];
    let item = app::db::catalog::NewItem {
        tenant_id: app::domain::demo_dataset::DEMO_TENANT,
        kind: Kind::Api,
        slug: OWN_API_SLUG,
        name: "STOA Portal API",
        description: "Everything the portal and the console do, for automation: the catalog, applications and keys, subscriptions, production promotion requests. Bearer tokens from the identity provider or the session cookie.",
        category: "platform",
        tags: &tags,
        audience: Audience::Public,
        auth_type: AuthType::OAuth2,
        requires_approval: false,
        owner_id: None,
    };
    let mut tx = scope::begin(pool, Scope::Platform).await?;
    app::db::demo_catalog::import(&mut tx, &item, &raw, &["prod"]).await?;
    tx.commit().await
}

//! Seeding what the server itself knows: our own REST API, published in the demo
//! tenant's catalog through the publishers' path (the demo tenant itself is
//! `app::service::demo::seed`).

use app::db::scope::{self, Scope};
use app::domain::catalog::{Audience, AuthType};
use app::domain::demo::dataset::DEMO_TENANT;
use app::error::AppError;
use app::model::publishing::{Metadata, PublishRequest};
use app::service::publishing::Publisher;
use serde_json::json;

/// Slug of this API's own entry in the demo tenant's catalog.
pub const OWN_API_SLUG: &str = app::domain::demo::catalog::OWN_API_SLUG;

/// Publishes this API's OpenAPI document in the catalog (the demo tenant's
/// `stoa-portal-api`, deployed in prod at `public_url`), so that our own catalog page
/// renders it. The version carries the document's fingerprint: a changed route table is
/// a new version, an unchanged one is left as it is.
pub async fn publish_own_document(pool: &sqlx::PgPool, public_url: &str) -> Result<(), sqlx::Error> {
    let mut doc = crate::rest::openapi_document();
    let fingerprint: String =
        app::secrets::digest(&doc.to_string())[..4].iter().map(|b| format!("{b:02x}")).collect();
    doc["info"]["version"] = json!(format!("1.0.0-{fingerprint}"));
    doc["info"]["description"] = json!("The portal's and console's REST API (`/v1`).");
    doc["servers"] = json!([{ "url": public_url.trim_end_matches('/'), "description": "Production" }]);
    let raw = serde_json::to_string_pretty(&doc).map_err(|e| sqlx::Error::Protocol(e.to_string()))?;
    let req = PublishRequest {
        meta: Metadata {
            name: "STOA Portal API".into(),
            slug: Some(OWN_API_SLUG.into()),
            description: "Everything the portal and the console do, for automation: the catalog, applications and keys, subscriptions, production promotion requests. Bearer tokens from the identity provider or the session cookie.".into(),
            category: Some("platform".into()),
            tags: vec!["stoa".into(), "rest".into(), "itsm".into()],
            audience: Some(Audience::Public),
            auth_type: Some(AuthType::OAuth2),
            requires_approval: false,
        },
        document: raw,
        publish: true,
        environments: vec!["prod".into()],
    };
    let by = Publisher::platform(DEMO_TENANT, "server");
    let mut tx = scope::begin(pool, Scope::Platform).await?;
    match app::service::publishing::publish_in(&mut tx, by, &req).await {
        // This route table's version is already there.
        Err(AppError::Conflict { .. }) => return Ok(()),
        Err(e) => return Err(sqlx::Error::Protocol(format!("the portal's own API: {e}"))),
        Ok(_) => {}
    }
    tx.commit().await
}

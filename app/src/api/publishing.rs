//! Publishing an API version from an OpenAPI document (devops and tenant admins, own
//! tenant): `POST /v1/catalog/apis` now, the `/console/apis` page next. Every field is
//! checked and reported against its name; a malformed document says what and where.

use crate::domain::catalog::{Audience, AuthType};
use serde::{Deserialize, Serialize};

/// What a publisher sends.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct PublishRequest {
    pub name: String,
    /// Defaults to a slug of the name.
    #[serde(default)]
    pub slug: Option<String>,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub category: Option<String>,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub audience: Option<Audience>,
    #[serde(default)]
    pub auth_type: Option<AuthType>,
    #[serde(default)]
    pub requires_approval: bool,
    /// The OpenAPI document, JSON or YAML text.
    pub document: String,
    /// Publish at once (otherwise the version stays a draft).
    #[serde(default)]
    pub publish: bool,
    /// Environments the version is deployed to (dev / staging / prod).
    #[serde(default)]
    pub environments: Vec<String>,
}

/// What was stored.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublishOutcome {
    pub tenant_id: String,
    pub slug: String,
    pub version: String,
    pub status: String,
    pub operations: usize,
    pub created: bool,
}

#[cfg(feature = "ssr")]
pub use server::publish;

#[cfg(feature = "ssr")]
mod server {
    use super::*;
    use crate::auth::CurrentUser;
    use crate::db::catalog::{self, NewItem};
    use crate::db::scope::{self, Scope};
    use crate::db::{audit, outbox};
    use crate::domain::catalog::{slugify, Kind};
    use crate::domain::event::{types, CloudEvent, Topic};
    use crate::domain::openapi;
    use crate::error::{AppError, FieldError};
    use serde_json::json;

    fn field(errors: &mut Vec<FieldError>, field: &str, code: &str, detail: Option<String>) {
        errors.push(FieldError { field: field.into(), code: code.into(), detail });
    }

    /// Validates and stores `req` for `user`'s tenant, in one transaction with its events
    /// and audit row.
    pub async fn publish(
        pool: &sqlx::PgPool,
        user: &CurrentUser,
        req: &PublishRequest,
    ) -> Result<PublishOutcome, AppError> {
        let mut errors = Vec::new();
        let name = req.name.trim();
        if name.is_empty() || name.chars().count() > 200 {
            field(&mut errors, "name", "length-1-200", None);
        }
        let slug = req
            .slug
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .unwrap_or_else(|| slugify(name));
        let slug_ok = !slug.is_empty()
            && slug.len() <= 63
            && slug.starts_with(|c: char| c.is_ascii_alphanumeric())
            && slug.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
        if !slug_ok {
            field(&mut errors, "slug", "invalid-slug", None);
        }
        let category = req
            .category
            .as_deref()
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .unwrap_or("other")
            .to_ascii_lowercase();
        if slugify(&category) != category || category.len() > 40 {
            field(&mut errors, "category", "invalid-slug", None);
        }
        let tags: Vec<String> =
            req.tags.iter().map(|t| t.trim().to_ascii_lowercase()).filter(|t| !t.is_empty()).collect();
        if tags.len() > 20 || tags.iter().any(|t| t.len() > 40) {
            field(&mut errors, "tags", "too-many-or-too-long", None);
        }
        if req.description.len() > 100_000 {
            field(&mut errors, "description", "too-long", None);
        }
        let environments: Vec<&str> = req.environments.iter().map(String::as_str).collect();
        if environments.iter().any(|e| !matches!(*e, "dev" | "staging" | "prod")) {
            field(&mut errors, "environments", "unknown-environment", None);
        }
        let doc = match openapi::parse(req.document.as_bytes()) {
            Ok(doc) => Some(doc),
            Err(e) => {
                field(&mut errors, "document", "invalid-document", Some(e.to_string()));
                None
            }
        };
        let Some(doc) = doc.filter(|_| errors.is_empty()) else {
            return Err(AppError::Validation(errors));
        };
        let item = NewItem {
            tenant_id: &user.tenant_id,
            kind: Kind::Api,
            slug: &slug,
            name,
            description: &req.description,
            category: &category,
            tags: &tags,
            audience: req.audience.unwrap_or(crate::domain::catalog::Audience::Public),
            auth_type: req.auth_type.unwrap_or(crate::domain::catalog::AuthType::ApiKey),
            requires_approval: req.requires_approval,
            owner_id: Some(user.id),
        };
        let mut tx = scope::begin(pool, Scope::Tenant(&user.tenant_id)).await?;
        let (item_id, created) = catalog::upsert_item(&mut tx, &item).await?;
        let Some(version_id) =
            catalog::put_version(&mut tx, item_id, &user.tenant_id, &req.document, &doc).await?
        else {
            return Err(AppError::Conflict { code: "version-published".into() });
        };
        if req.publish {
            catalog::publish_version(&mut tx, version_id, &doc).await?;
        }
        for env in &environments {
            let url = doc.servers.first().map(String::as_str);
            catalog::deploy(&mut tx, version_id, &user.tenant_id, env, url).await?;
        }
        let subject = Some(format!("apis/{}/{}", user.tenant_id, slug));
        let kind = if created { types::API_CREATED } else { types::API_UPDATED };
        let e = CloudEvent::new(kind, &user.tenant_id, subject.clone(), json!({ "api": slug, "name": name }));
        outbox::enqueue(&mut tx, Topic::ApiLifecycle, &e).await?;
        if req.publish {
            let e = CloudEvent::new(
                types::API_VERSION_PUBLISHED,
                &user.tenant_id,
                subject,
                json!({ "api": slug, "version": doc.version, "operations": doc.operations.len() }),
            );
            outbox::enqueue(&mut tx, Topic::ApiLifecycle, &e).await?;
        }
        let status = if req.publish { "published" } else { "draft" };
        let entry = audit::AuditEntry {
            subject: Some(&slug),
            ..audit::AuditEntry::by(
                user,
                "catalog.api-version-stored",
                None,
                json!({ "version": doc.version, "status": status, "created": created }),
            )
        };
        audit::record(&mut *tx, &entry).await?;
        tx.commit().await?;
        Ok(PublishOutcome {
            tenant_id: user.tenant_id.clone(),
            slug,
            version: doc.version,
            status: status.into(),
            operations: doc.operations.len(),
            created,
        })
    }
}

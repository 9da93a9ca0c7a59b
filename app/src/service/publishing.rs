//! Publishing (devops and tenant admins, own tenant): API versions from OpenAPI documents
//! and MCP servers with their tools, from `POST /v1/catalog/apis`, `POST /v1/mcp/servers`
//! and the `/console/apis` forms. Every field is checked and reported against its name; a
//! malformed document or tool schema says what and where.

use crate::auth::CurrentUser;
use crate::db::catalog::{self, NewItem};
use crate::db::outbox;
use crate::db::scope::{self, Scope};
use crate::domain::catalog::slugify;
use crate::domain::catalog::{Audience, AuthType, Kind};
use crate::domain::event::{actions, types, CloudEvent, Topic};
use crate::domain::{mcp, openapi};
use crate::error::{AppError, FieldError};
use crate::model::publishing::*;
use crate::service::journal;
use serde_json::json;

/// Where a console action goes back to: the console, with what happened.
pub fn console_url(outcome: &Result<(), AppError>, api: &str, done: &str) -> String {
    let api = crate::auth::encode_query_value(api);
    match outcome {
        Ok(()) => format!("/console/apis?done={done}&api={api}"),
        Err(e) => format!("/console/apis?failed={}&api={api}", e.code()),
    }
}

fn field(errors: &mut Vec<FieldError>, field: &str, code: &str, detail: Option<String>) {
    errors.push(FieldError { field: field.into(), code: code.into(), detail });
}

/// Metadata with every rule applied: trimmed name, slug, category and tags.
struct Checked {
    name: String,
    slug: String,
    category: String,
    tags: Vec<String>,
}

fn check(meta: &Metadata, errors: &mut Vec<FieldError>) -> Checked {
    let name = meta.name.trim().to_owned();
    if name.is_empty() || name.chars().count() > 200 {
        field(errors, "name", "length-1-200", None);
    }
    let slug = meta
        .slug
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .unwrap_or_else(|| slugify(&name));
    let slug_ok = !slug.is_empty()
        && slug.len() <= 63
        && slug.starts_with(|c: char| c.is_ascii_alphanumeric())
        && slug.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if !slug_ok {
        field(errors, "slug", "invalid-slug", None);
    }
    let category = meta
        .category
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .unwrap_or("other")
        .to_ascii_lowercase();
    if slugify(&category) != category || category.len() > 40 {
        field(errors, "category", "invalid-slug", None);
    }
    let tags: Vec<String> =
        meta.tags.iter().map(|t| t.trim().to_ascii_lowercase()).filter(|t| !t.is_empty()).collect();
    if tags.len() > 20 || tags.iter().any(|t| t.len() > 40) {
        field(errors, "tags", "too-many-or-too-long", None);
    }
    if meta.description.len() > 100_000 {
        field(errors, "description", "too-long", None);
    }
    Checked { name, slug, category, tags }
}

/// Who publishes: a person, in their tenant (the owner of what they create), or the
/// platform for a tenant (the demo's seed, the server's own API: no owner).
#[derive(Clone, Copy, Debug)]
pub struct Publisher<'a> {
    pub tenant: &'a str,
    pub owner: Option<uuid::Uuid>,
    pub actor: journal::Actor<'a>,
}

impl<'a> Publisher<'a> {
    pub fn user(user: &'a CurrentUser) -> Publisher<'a> {
        Publisher { tenant: &user.tenant_id, owner: Some(user.id), actor: journal::Actor::User(user) }
    }

    /// The platform publishing in `tenant`, as `name` (the audit entry's actor).
    pub fn platform(tenant: &'a str, name: &'a str) -> Publisher<'a> {
        Publisher { tenant, owner: None, actor: journal::Actor::System(name) }
    }
}

fn new_item<'a>(by: &Publisher<'a>, kind: Kind, c: &'a Checked, meta: &'a Metadata) -> NewItem<'a> {
    NewItem {
        tenant_id: by.tenant,
        kind,
        slug: &c.slug,
        name: &c.name,
        description: &meta.description,
        category: &c.category,
        tags: &c.tags,
        audience: meta.audience.unwrap_or(Audience::Public),
        auth_type: meta.auth_type.unwrap_or(AuthType::ApiKey),
        requires_approval: meta.requires_approval,
        owner_id: by.owner,
    }
}

fn subject(tenant: &str, kind: Kind, slug: &str) -> String {
    let prefix = if kind == Kind::Api { "apis" } else { "mcp" };
    format!("{prefix}/{tenant}/{slug}")
}

/// Puts an existing entry's metadata back as `meta` says (its id), in the caller's transaction and
/// without an event: what a reset does to undo visitors' edits (nothing new is
/// published). Checked like a publication.
pub async fn restore_in(
    tx: &mut sqlx::PgConnection,
    by: Publisher<'_>,
    kind: Kind,
    meta: &Metadata,
) -> Result<uuid::Uuid, AppError> {
    let mut errors = Vec::new();
    let c = check(meta, &mut errors);
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    Ok(catalog::upsert_item(&mut *tx, &new_item(&by, kind, &c, meta)).await?.0)
}

/// Validates and stores `req` for `user`'s tenant, in one transaction with its events
/// and audit row.
pub async fn publish(
    pool: &sqlx::PgPool,
    user: &CurrentUser,
    req: &PublishRequest,
) -> Result<PublishOutcome, AppError> {
    let mut tx = scope::begin(pool, Scope::Tenant(&user.tenant_id)).await?;
    let outcome = publish_in(&mut tx, Publisher::user(user), req).await?;
    tx.commit().await?;
    Ok(outcome)
}

/// [`publish`] in the caller's transaction, by `by`: checked before anything is written;
/// the version, its deployments, its events and its audit row.
pub async fn publish_in(
    tx: &mut sqlx::PgConnection,
    by: Publisher<'_>,
    req: &PublishRequest,
) -> Result<PublishOutcome, AppError> {
    let mut errors = Vec::new();
    let c = check(&req.meta, &mut errors);
    if req.environments.iter().any(|e| !matches!(e.as_str(), "dev" | "staging" | "prod")) {
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
    let item = new_item(&by, Kind::Api, &c, &req.meta);
    let (item_id, created) = catalog::upsert_item(&mut *tx, &item).await?;
    let Some(version_id) = catalog::put_version(&mut *tx, item_id, by.tenant, &req.document, &doc).await?
    else {
        return Err(AppError::Conflict { code: "version-published".into() });
    };
    if req.publish {
        catalog::publish_version(&mut *tx, version_id, &doc).await?;
    }
    for env in &req.environments {
        let url = openapi::server_for(&doc.servers, env);
        catalog::deploy(&mut *tx, version_id, by.tenant, env, url).await?;
    }
    let subject = subject(by.tenant, Kind::Api, &c.slug);
    let status = if req.publish { "published" } else { "draft" };
    let entry = journal::Entry {
        topic: Topic::ApiLifecycle,
        event_type: if created { types::API_CREATED } else { types::API_UPDATED },
        tenant: by.tenant,
        subject: subject.clone(),
        action: actions::API_VERSION_STORED,
        id: &c.slug,
        data: json!({ "api": c.slug, "name": c.name }),
        detail: Some(json!({ "version": doc.version, "status": status, "created": created })),
    };
    journal::write(&mut *tx, by.actor, entry).await?;
    if req.publish {
        // The same change also publishes the version: its own event.
        let e = CloudEvent::new(
            types::API_VERSION_PUBLISHED,
            by.tenant,
            Some(subject),
            json!({ "api": c.slug, "version": doc.version, "operations": doc.operations.len() }),
        );
        outbox::enqueue(&mut *tx, Topic::ApiLifecycle, &e).await?;
    }
    Ok(PublishOutcome {
        tenant_id: by.tenant.to_owned(),
        kind: Kind::Api,
        slug: c.slug,
        version: doc.version,
        status: status.into(),
        operations: doc.operations.len(),
        created,
    })
}

/// Validates and stores an MCP server with its tools (input schemas checked as JSON
/// Schema), published at once, with its event and audit row.
pub async fn publish_mcp(
    pool: &sqlx::PgPool,
    user: &CurrentUser,
    meta: &Metadata,
    tools_text: &str,
    remote_url: Option<&str>,
) -> Result<PublishOutcome, AppError> {
    let mut tx = scope::begin(pool, Scope::Tenant(&user.tenant_id)).await?;
    let outcome = publish_mcp_in(&mut tx, Publisher::user(user), meta, tools_text, remote_url).await?;
    tx.commit().await?;
    Ok(outcome)
}

/// [`publish_mcp`] in the caller's transaction, by `by`.
pub async fn publish_mcp_in(
    tx: &mut sqlx::PgConnection,
    by: Publisher<'_>,
    meta: &Metadata,
    tools_text: &str,
    remote_url: Option<&str>,
) -> Result<PublishOutcome, AppError> {
    let mut errors = Vec::new();
    let c = check(meta, &mut errors);
    let remote_url = remote_url.map(str::trim).filter(|u| !u.is_empty());
    if let Some(url) = remote_url {
        let valid = url::Url::parse(url).is_ok_and(|u| {
            matches!(u.scheme(), "http" | "https")
                && u.host_str().is_some()
                && !url.contains(char::is_whitespace)
        });
        // Or one of STOA's demo MCP servers (the demo tenant's own remotes).
        let demo = crate::domain::demo::mcp_server(url).is_some();
        if !valid && !demo {
            field(&mut errors, "remote_url", "invalid-url", None);
        }
    }
    let tools = match mcp::parse_tools(tools_text) {
        Ok(tools) if tools.is_empty() => {
            field(&mut errors, "tools", "no-tools", None);
            None
        }
        Ok(tools) => Some(tools),
        Err(e) => {
            field(&mut errors, "tools", "invalid-tools", Some(e.to_string()));
            None
        }
    };
    let Some(tools) = tools.filter(|_| errors.is_empty()) else {
        return Err(AppError::Validation(errors));
    };
    let item = new_item(&by, Kind::Mcp, &c, meta);
    let (item_id, created) = match catalog::upsert_item(&mut *tx, &item).await {
        // MCP server names are unique platform-wide (they name the server in the registry).
        Err(sqlx::Error::Database(e)) if e.constraint() == Some("catalog_items_mcp_slug") => {
            return Err(AppError::field("slug", "slug-taken"));
        }
        stored => stored?,
    };
    catalog::set_tools(&mut *tx, item_id, by.tenant, &tools).await?;
    catalog::set_remote_url(&mut *tx, item_id, remote_url).await?;
    let names: Vec<&str> = tools.iter().map(|t| t.name.as_str()).collect();
    let entry = journal::Entry {
        topic: Topic::ApiLifecycle,
        event_type: if created { types::API_CREATED } else { types::API_UPDATED },
        tenant: by.tenant,
        subject: subject(by.tenant, Kind::Mcp, &c.slug),
        action: actions::MCP_SERVER_STORED,
        id: &c.slug,
        data: json!({ "mcp_server": c.slug, "name": c.name, "tools": names }),
        detail: Some(json!({ "tools": names, "created": created })),
    };
    journal::write(&mut *tx, by.actor, entry).await?;
    Ok(PublishOutcome {
        tenant_id: by.tenant.to_owned(),
        kind: Kind::Mcp,
        slug: c.slug,
        version: String::new(),
        status: "published".into(),
        operations: tools.len(),
        created,
    })
}

/// Publishes the draft `version` of the tenant's API `slug`.
pub async fn publish_draft(
    pool: &sqlx::PgPool,
    user: &CurrentUser,
    slug: &str,
    version: &str,
) -> Result<(), AppError> {
    let mut tx = scope::begin(pool, Scope::Tenant(&user.tenant_id)).await?;
    let (id, status, raw) =
        catalog::own_version(&mut tx, &user.tenant_id, slug, version).await?.ok_or(AppError::NotFound)?;
    if status != "draft" {
        return Err(AppError::Conflict { code: "version-published".into() });
    }
    let doc = openapi::parse(raw.as_bytes()).map_err(|e| AppError::internal("stored document", e))?;
    catalog::publish_version(&mut tx, id, &doc).await?;
    let entry = journal::Entry {
        topic: Topic::ApiLifecycle,
        event_type: types::API_VERSION_PUBLISHED,
        tenant: &user.tenant_id,
        subject: subject(&user.tenant_id, Kind::Api, slug),
        action: actions::API_VERSION_PUBLISHED,
        id: slug,
        data: json!({ "api": slug, "version": version, "operations": doc.operations.len() }),
        detail: Some(json!({ "version": version })),
    };
    journal::write(&mut tx, journal::Actor::User(user), entry).await?;
    tx.commit().await?;
    Ok(())
}

/// Records `version` of the tenant's API `slug` as deployed in `environment`, at the
/// document's server for that environment.
pub async fn deploy(
    pool: &sqlx::PgPool,
    user: &CurrentUser,
    slug: &str,
    version: &str,
    environment: &str,
) -> Result<(), AppError> {
    if !matches!(environment, "dev" | "staging" | "prod") {
        return Err(AppError::field("environment", "unknown-environment"));
    }
    let mut tx = scope::begin(pool, Scope::Tenant(&user.tenant_id)).await?;
    let (id, status, raw) =
        catalog::own_version(&mut tx, &user.tenant_id, slug, version).await?.ok_or(AppError::NotFound)?;
    if status == "retired" {
        return Err(AppError::Conflict { code: "version-retired".into() });
    }
    let doc = openapi::parse(raw.as_bytes()).map_err(|e| AppError::internal("stored document", e))?;
    catalog::deploy(
        &mut tx,
        id,
        &user.tenant_id,
        environment,
        openapi::server_for(&doc.servers, environment),
    )
    .await?;
    let entry = journal::Entry {
        topic: Topic::ApiLifecycle,
        event_type: types::API_UPDATED,
        tenant: &user.tenant_id,
        subject: subject(&user.tenant_id, Kind::Api, slug),
        action: actions::API_VERSION_DEPLOYED,
        id: slug,
        data: json!({ "api": slug, "version": version, "deployed_to": environment }),
        detail: Some(json!({ "version": version, "environment": environment })),
    };
    journal::write(&mut tx, journal::Actor::User(user), entry).await?;
    tx.commit().await?;
    Ok(())
}

/// The tenant's entries, drafts included, for `/console/apis`.
pub async fn own_items(pool: &sqlx::PgPool, user: &CurrentUser) -> Result<Vec<OwnItem>, AppError> {
    let mut tx = scope::begin(pool, Scope::Tenant(&user.tenant_id)).await?;
    let items = catalog::tenant_items(&mut tx, &user.tenant_id).await?;
    tx.commit().await?;
    Ok(items)
}

/// One of the tenant's entries, whole, for its edit form.
pub async fn own_detail(
    pool: &sqlx::PgPool,
    user: &CurrentUser,
    kind: Kind,
    slug: &str,
) -> Result<crate::model::catalog::ItemDetail, AppError> {
    let mut tx = scope::begin(pool, Scope::Tenant(&user.tenant_id)).await?;
    let found = catalog::own_detail(&mut tx, &user.tenant_id, kind, slug).await?;
    tx.commit().await?;
    found.ok_or(AppError::NotFound)
}

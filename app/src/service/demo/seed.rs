//! The demo tenant `make run` starts with: its tenants, personas and plans, its catalog —
//! published through the publishers' path (`service::publishing`, each version with its
//! events and audit entry, by the platform as [`SEED_ACTOR`]) — and its live backends'
//! records. Idempotent: running it again changes nothing but the seed event, which proves
//! the event path end to end on every run.

use crate::auth::password;
use crate::db::scope::{self, Scope};
use crate::db::{catalog as entries, outbox, tenants, users};
use crate::domain::catalog::{Audience, AuthType, Kind};
use crate::domain::demo::catalog::{apis, document, DemoApi, TENANTS};
use crate::domain::demo::dataset::{BETA_USERS, DEMO_TENANT};
use crate::domain::demo::{BACKENDS, MCP_BASE};
use crate::domain::event::{types, CloudEvent, Topic};
use crate::domain::role::Role;
use crate::error::AppError;
use crate::model::publishing::{Metadata, PublishRequest};
use crate::service::publishing::{self, Publisher};
use serde_json::json;
use sqlx::{PgConnection, PgPool};

/// Password of every beta account (local accounts, demo tenant only).
pub const BETA_PASSWORD: &str = "stoa-demo";

/// Who the audit log says published the demo catalog.
pub const SEED_ACTOR: &str = "demo-seed";

/// Seeds the demo tenants, their beta users, their catalog and one `demo-tenant-seeded`
/// event, in one transaction (passwords are hashed before it starts: hashing is slow on
/// purpose).
pub async fn run(pool: &PgPool) -> Result<CloudEvent, AppError> {
    let mut missing = Vec::new();
    let mut lookup = scope::begin(pool, Scope::Platform).await?;
    let mut absent = Vec::new();
    let consumers = crate::domain::demo::dataset::CONSUMERS.iter().map(|(u, d)| (*u, *d, Role::Viewer));
    for (username, display_name, role) in BETA_USERS.into_iter().chain(consumers) {
        if !users::exists(&mut *lookup, username).await? {
            absent.push((username, display_name, role));
        }
    }
    lookup.commit().await?;
    for (username, display_name, role) in absent {
        let hash = password::hash(BETA_PASSWORD.to_owned())
            .await
            .map_err(|e| AppError::internal("password hash", e))?;
        missing.push((username, display_name, role, hash));
    }
    let mut tx = scope::begin(pool, Scope::Platform).await?;
    let created = tenants::upsert(&mut *tx, DEMO_TENANT, "Demo Tenant").await?;
    crate::db::plans::seed_demo(&mut tx, DEMO_TENANT).await?;
    for (username, display_name, role, hash) in &missing {
        let user = users::NewLocalUser {
            tenant_id: DEMO_TENANT,
            username,
            display_name,
            email: None,
            roles: &[*role],
            password_hash: hash,
        };
        users::create_local(&mut *tx, &user).await?;
    }
    let event = CloudEvent::new(
        types::DEMO_TENANT_SEEDED,
        DEMO_TENANT,
        Some(format!("tenants/{DEMO_TENANT}")),
        json!({ "tenant_id": DEMO_TENANT, "created": created, "users_created": missing.len() }),
    );
    outbox::enqueue(&mut tx, Topic::Platform, &event).await?;
    for (id, name) in TENANTS {
        tenants::upsert(&mut *tx, id, name).await?;
        crate::db::plans::seed_demo(&mut tx, id).await?;
    }
    catalog(&mut tx, None).await?;
    tx.commit().await?;
    Ok(event)
}

/// Writes the demo's dataset where it is missing (`server seed` does, after [`run`]): the
/// consumers' applications, subscriptions, requests and notifications. Visitors' rows
/// stay; the demo's reset deletes them.
pub async fn dataset(pool: &PgPool) -> Result<(), sqlx::Error> {
    let mut tx = scope::begin(pool, Scope::Platform).await?;
    crate::db::demo::reset::seed(&mut tx, chrono::Utc::now()).await?;
    tx.commit().await
}

/// A demo API's entry as a publisher would fill the form.
fn metadata(api: &DemoApi) -> Metadata {
    Metadata {
        name: api.name.into(),
        slug: Some(api.slug.into()),
        description: api.description.into(),
        category: Some(api.category.into()),
        tags: api.tags.iter().map(|t| (*t).to_owned()).collect(),
        audience: Some(api.audience),
        auth_type: Some(api.auth),
        requires_approval: api.audience == Audience::Partner,
    }
}

/// Publishes the demo catalog of `tenant` (of every demo tenant: none) where it is
/// missing — each version as `DemoApi::placements` says, older ones then deprecated —
/// and the MCP servers of the live backends; puts the entries and tools that exist back
/// as seeded; writes the live backends' records where they have none.
pub async fn catalog(tx: &mut PgConnection, tenant: Option<&str>) -> Result<(), AppError> {
    for api in apis().filter(|a| tenant.is_none_or(|t| t == a.tenant)) {
        let by = Publisher::platform(api.tenant, SEED_ACTOR);
        let meta = metadata(api);
        let stored = crate::db::demo::catalog::stored_versions(&mut *tx, api.tenant, api.slug).await?;
        if !stored.is_empty() {
            publishing::restore_in(&mut *tx, by, Kind::Api, &meta).await?;
        }
        for p in api.placements().filter(|p| !stored.iter().any(|v| v == p.version)) {
            let req = PublishRequest {
                meta: meta.clone(),
                document: document(api, p.version),
                publish: true,
                environments: p.environments.iter().map(|e| (*e).to_owned()).collect(),
            };
            publishing::publish_in(&mut *tx, by, &req).await?;
        }
        let deprecated: Vec<&str> =
            api.placements().filter(|p| p.status == "deprecated").map(|p| p.version).collect();
        crate::db::demo::catalog::deprecate(&mut *tx, api.tenant, api.slug, &deprecated).await?;
    }
    if tenant.is_none_or(|t| t == DEMO_TENANT) {
        for (backend, server) in BACKENDS.iter().filter_map(|b| b.mcp.as_ref().map(|m| (b, m))) {
            let by = Publisher::platform(DEMO_TENANT, SEED_ACTOR);
            let meta = Metadata {
                name: server.name.into(),
                slug: Some(backend.name.into()),
                description: server.description.into(),
                category: Some(backend.api.category.into()),
                tags: vec!["mcp".into(), backend.api.category.into()],
                audience: Some(server.audience),
                auth_type: Some(AuthType::OAuth2),
                requires_approval: server.audience == Audience::Partner,
            };
            let tools = (server.tools)();
            // Served by the live backends: a remote relative to the portal.
            let remote = format!("{MCP_BASE}{}", backend.name);
            match entries::tenant_of(&mut *tx, Kind::Mcp, backend.name).await? {
                None => {
                    let text = json!(tools
                        .iter()
                        .map(|t| json!({ "name": t.name, "description": t.description, "inputSchema": t.input_schema }))
                        .collect::<Vec<_>>())
                    .to_string();
                    publishing::publish_mcp_in(&mut *tx, by, &meta, &text, Some(&remote)).await?;
                }
                Some(_) => {
                    let id = publishing::restore_in(&mut *tx, by, Kind::Mcp, &meta).await?;
                    entries::set_tools(&mut *tx, id, DEMO_TENANT, &tools).await?;
                    entries::set_remote_url(&mut *tx, id, Some(&remote)).await?;
                }
            }
        }
    }
    crate::db::demo::records::seed(&mut *tx, chrono::Utc::now(), false).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[sqlx::test(migrations = "../migrations")]
    async fn seeding_twice_keeps_one_tenant_and_one_account_per_persona(pool: PgPool) {
        let counts = || async {
            sqlx::query_as::<_, (i64, i64, i64, i64, i64, i64)>(
                "SELECT (SELECT count(*) FROM tenants), (SELECT count(*) FROM users),
                        (SELECT count(*) FROM outbox WHERE topic = 'stoa.platform.events'),
                        (SELECT count(*) FROM outbox WHERE topic = 'stoa.api.lifecycle'),
                        (SELECT count(*) FROM catalog_items), (SELECT count(*) FROM api_versions)",
            )
            .fetch_one(&pool)
            .await
            .expect("counts")
        };
        let seeded = || async {
            sqlx::query_scalar::<_, i64>("SELECT count(*) FROM audit_log WHERE actor = $1")
                .bind(SEED_ACTOR)
                .fetch_one(&pool)
                .await
                .expect("audit entries")
        };
        run(&pool).await.expect("first seed");
        // 3 tenants, 5 personas and 2 consumers; 12 APIs + 3 MCP servers; 20 API versions (one of
        // them the weather candidate in staging), each stored and published through the
        // publishers' path (two events and one audit entry each), and each MCP server (one
        // event and one audit entry).
        assert_eq!(counts().await, (3, 7, 1, 20 * 2 + 3, 15, 20));
        assert_eq!(seeded().await, 20 + 3, "every publication is audited, by the seed");
        run(&pool).await.expect("second seed");
        assert_eq!(counts().await, (3, 7, 2, 20 * 2 + 3, 15, 20), "only the seed event is new");
        assert_eq!(seeded().await, 20 + 3);
        let (tara, hash) = users::credentials(&pool, "tara").await.expect("query").expect("tara exists");
        assert_eq!(tara.roles, [Role::TenantAdmin]);
        assert!(password::verify(BETA_PASSWORD.to_owned(), hash).await, "beta password verifies");
    }
}

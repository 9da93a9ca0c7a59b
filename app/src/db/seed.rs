//! The demo tenant `make run` starts with. Idempotent: running it again changes nothing
//! but the seed event, which proves the event path end to end on every run.

use crate::auth::password;
use crate::db::scope::{self, Scope};
use crate::db::{outbox, tenants, users};
use crate::domain::demo_dataset::{BETA_USERS, DEMO_TENANT};
use crate::domain::event::{types, CloudEvent, Topic};
use crate::domain::role::Role;
use sqlx::PgPool;

/// Password of every beta account (local accounts, demo tenant only).
pub const BETA_PASSWORD: &str = "stoa-demo";

/// Seeds the demo tenant, its beta users, and one `demo-tenant-seeded` event, in one
/// transaction (passwords are hashed before it starts: hashing is slow on purpose).
pub async fn run(pool: &PgPool) -> Result<CloudEvent, sqlx::Error> {
    let mut missing = Vec::new();
    let mut lookup = scope::begin(pool, Scope::Platform).await?;
    let mut absent = Vec::new();
    let consumers = crate::domain::demo_dataset::CONSUMERS.iter().map(|(u, d)| (*u, *d, Role::Viewer));
    for (username, display_name, role) in BETA_USERS.into_iter().chain(consumers) {
        if !users::exists(&mut *lookup, username).await? {
            absent.push((username, display_name, role));
        }
    }
    lookup.commit().await?;
    for (username, display_name, role) in absent {
        let hash = password::hash(BETA_PASSWORD.to_owned())
            .await
            .map_err(|e| sqlx::Error::Protocol(format!("password hash: {e}")))?;
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
        serde_json::json!({ "tenant_id": DEMO_TENANT, "created": created, "users_created": missing.len() }),
    );
    outbox::enqueue(&mut tx, Topic::Platform, &event).await?;
    crate::db::demo_catalog::seed(&mut tx).await?;
    tx.commit().await?;
    Ok(event)
}

/// Writes the demo's dataset where it is missing (`server seed` does, after [`run`]): the
/// consumers' applications, subscriptions, requests and notifications. Visitors' rows
/// stay; the demo's reset deletes them.
pub async fn dataset(pool: &PgPool) -> Result<(), sqlx::Error> {
    let mut tx = scope::begin(pool, Scope::Platform).await?;
    crate::db::demo_reset::seed(&mut tx, chrono::Utc::now()).await?;
    tx.commit().await
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
        run(&pool).await.expect("first seed");
        // 3 tenants, 5 personas and 2 consumers; 12 APIs + 3 MCP servers; 20 API versions (one of
        // them the weather candidate in staging), each published with its event, and one creation
        // event per API.
        assert_eq!(counts().await, (3, 7, 1, 12 + 20, 15, 20));
        run(&pool).await.expect("second seed");
        assert_eq!(counts().await, (3, 7, 2, 12 + 20, 15, 20), "only the seed event is new");
        let (tara, hash) = users::credentials(&pool, "tara").await.expect("query").expect("tara exists");
        assert_eq!(tara.roles, [Role::TenantAdmin]);
        assert!(password::verify(BETA_PASSWORD.to_owned(), hash).await, "beta password verifies");
    }
}

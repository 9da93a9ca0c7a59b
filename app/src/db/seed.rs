//! The demo tenant `make run` starts with. Idempotent: running it again changes nothing
//! but the seed event, which proves the event path end to end on every run.

use crate::db::{outbox, tenants};
use crate::domain::event::{types, CloudEvent, Topic};
use sqlx::PgPool;

/// The demo tenant's id.
pub const DEMO_TENANT: &str = "demo";

/// Seeds the demo tenant and writes one `demo-tenant-seeded` event, in one transaction.
pub async fn run(pool: &PgPool) -> Result<CloudEvent, sqlx::Error> {
    let mut tx = pool.begin().await?;
    let created = tenants::upsert(&mut *tx, DEMO_TENANT, "Demo Tenant").await?;
    let event = CloudEvent::new(
        types::DEMO_TENANT_SEEDED,
        DEMO_TENANT,
        Some(format!("tenants/{DEMO_TENANT}")),
        serde_json::json!({ "tenant_id": DEMO_TENANT, "created": created }),
    );
    outbox::enqueue(&mut tx, Topic::Platform, &event).await?;
    tx.commit().await?;
    Ok(event)
}

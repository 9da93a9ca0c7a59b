//! The journal: a change writes its event (to the outbox, DESIGN §4) and its audit entry
//! in the transaction that makes it, through [`write`] — one function, so no change can
//! have one without the other. Event types and audit action names come from
//! `domain::event` (`types`, `actions`) and the state machines' `Action`s.

use crate::auth::CurrentUser;
use crate::db::{audit, outbox};
use crate::domain::event::{CloudEvent, Topic};
use crate::error::AppError;
use serde_json::Value;

/// Who made a change.
#[derive(Clone, Copy, Debug)]
pub enum Actor<'a> {
    /// A person (the audit entry names them, in their tenant).
    User(&'a CurrentUser),
    /// The platform itself — a background task, the built-in deployer, AWX — by name (the
    /// audit entry is in the change's tenant).
    System(&'a str),
}

/// One change, as the journal records it.
#[derive(Clone, Debug)]
pub struct Entry<'a> {
    pub topic: Topic,
    /// The event's type (`domain::event::types`).
    pub event_type: &'a str,
    /// The tenant the change belongs to (the event's, and a system change's audit entry's).
    pub tenant: &'a str,
    /// The event's subject (`subscriptions/<id>`, `requests/prod/<id>`, …).
    pub subject: String,
    /// The audit action (`domain::event::actions`).
    pub action: &'a str,
    /// What the audit entry is about (the resource's id or slug).
    pub id: &'a str,
    /// The event's data; the audit entry's detail too, unless [`Entry::detail`] says
    /// otherwise.
    pub data: Value,
    pub detail: Option<Value>,
}

/// Writes the change's event and audit entry inside the caller's transaction.
pub async fn write(tx: &mut sqlx::PgConnection, actor: Actor<'_>, entry: Entry<'_>) -> Result<(), AppError> {
    let event = CloudEvent::new(entry.event_type, entry.tenant, Some(entry.subject), entry.data.clone());
    outbox::enqueue(&mut *tx, entry.topic, &event).await?;
    let detail = entry.detail.unwrap_or(entry.data);
    let record = match actor {
        // A platform admin's change to the platform (tenants, members) is the affected
        // tenant's to audit: a tenant created is logged under the new tenant, not the
        // admin's own. Anything else is logged in the actor's tenant.
        Actor::User(user)
            if entry.topic == Topic::Platform
                && user.may(crate::domain::permission::Permission::ActAcrossTenants) =>
        {
            audit::AuditEntry {
                tenant_id: Some(entry.tenant),
                subject: Some(entry.id),
                ..audit::AuditEntry::by(user, entry.action, None, detail)
            }
        }
        Actor::User(user) => audit::AuditEntry {
            subject: Some(entry.id),
            ..audit::AuditEntry::by(user, entry.action, None, detail)
        },
        Actor::System(name) => audit::AuditEntry {
            tenant_id: Some(entry.tenant),
            actor: name,
            action: entry.action,
            subject: Some(entry.id),
            client_addr: None,
            detail,
        },
    };
    audit::record(&mut *tx, &record).await?;
    Ok(())
}

//! The in-process consumers: the event log and notifications. Later issues add usage
//! rollups…

use super::Consumer;
use app::domain::event::CloudEvent;
use futures::future::BoxFuture;
use futures::FutureExt;
use sqlx::PgConnection;

/// Keeps a log of every event the platform processed (shown as a figure on the home
/// page; the raw material of the audit and demo views).
pub struct EventLog;

impl Consumer for EventLog {
    fn name(&self) -> &'static str {
        "event-log"
    }

    fn wants(&self, _event_type: &str) -> bool {
        true
    }

    fn handle<'a>(
        &'a self,
        conn: &'a mut PgConnection,
        event: &'a CloudEvent,
    ) -> BoxFuture<'a, Result<(), sqlx::Error>> {
        app::db::event_log::append(conn, event).boxed()
    }
}

/// Turns `stoa.subscription.events`, `stoa.promotion.requests` and plans whose limits
/// changed into per-user notifications: approvers hear of pending requests, subscribers
/// and requesters of decisions and results, subscribers of new limits
/// (`app::db::notifications`).
pub struct Notifications;

impl Consumer for Notifications {
    fn name(&self) -> &'static str {
        "notifications"
    }

    fn wants(&self, event_type: &str) -> bool {
        event_type.starts_with("dev.gostoa.subscription.")
            || event_type.starts_with("dev.gostoa.promotion.")
            || event_type == app::domain::event::types::PLAN_UPDATED
    }

    fn handle<'a>(
        &'a self,
        conn: &'a mut PgConnection,
        event: &'a CloudEvent,
    ) -> BoxFuture<'a, Result<(), sqlx::Error>> {
        async move {
            // Recipients live in the subscriber's and the API's tenants.
            sqlx::query(
                "SELECT set_config('stoa.tenant_id', '', true), set_config('stoa.platform', 'on', true)",
            )
            .execute(&mut *conn)
            .await?;
            if event.event_type.starts_with("dev.gostoa.promotion.") {
                app::db::notifications::from_promotion_event(conn, event).await?;
            } else if event.event_type == app::domain::event::types::PLAN_UPDATED {
                app::db::notifications::from_plan_event(conn, event).await?;
            } else {
                app::db::notifications::from_subscription_event(conn, event).await?;
            }
            Ok(())
        }
        .boxed()
    }
}

//! The in-process consumers. Later issues add notifications, usage rollups…

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

//! The demo tenant's reset: one transaction that deletes what visitors created there,
//! writes the dataset back (catalog, backends' records, consumers' applications,
//! subscriptions, requests, notifications), records the reset (one audit entry, one
//! event, a `demo_resets` row) — under an advisory lock, so one reset runs at a time
//! across replicas; a scheduled reset names its slot, so one slot is reset once. Demo
//! users signed in before it are signed out on their next request (the session check).

use crate::auth::CurrentUser;
use crate::db::demo::reset::{self as demo_reset, ResetRow};
use crate::db::scope::{self, Scope};
use crate::domain::demo::dataset::DEMO_TENANT;
use crate::domain::demo::schedule::Schedule;
use crate::domain::event::{actions, types, Topic};
use crate::domain::permission::Permission;
use crate::error::AppError;
use crate::model::demo::{DemoState, ResetInfo, ResetTrigger};
use crate::service::journal::{self, Actor, Entry};
use chrono::{DateTime, Utc};
use serde_json::json;
use sqlx::PgPool;
use std::time::Instant;

/// What started a reset.
#[derive(Clone, Copy, Debug)]
pub enum Trigger<'a> {
    /// The schedule's slot (the time it was due).
    Schedule(DateTime<Utc>),
    /// A platform admin, from the console or the API.
    Manual(&'a CurrentUser),
}

/// How a reset request ended.
#[derive(Clone, Debug)]
pub enum Outcome {
    /// Done: the recorded reset.
    Done(ResetRow),
    /// Another reset is running (it holds the lock): nothing was done.
    Running,
    /// This slot was already reset (by another replica): nothing was done.
    AlreadyDone,
}

/// Resets the demo tenant (a manual reset needs `ResetDemo`), then writes its history
/// through the metering ingest (`raw_days`: the ingest's raw window).
pub async fn reset(pool: &PgPool, raw_days: u32, trigger: Trigger<'_>) -> Result<Outcome, AppError> {
    let (name, slot, actor) = match trigger {
        Trigger::Schedule(slot) => ("schedule", Some(slot), Actor::System("scheduler")),
        Trigger::Manual(user) => {
            if !user.may(Permission::ResetDemo) {
                return Err(AppError::Forbidden);
            }
            ("manual", None, Actor::User(user))
        }
    };
    let actor_name = match actor {
        Actor::User(u) => u.username.as_str(),
        Actor::System(s) => s,
    };
    let started = Instant::now();
    let now = Utc::now();
    let mut tx = scope::begin(pool, Scope::Platform).await?;
    if !demo_reset::try_lock(&mut tx).await? {
        return Ok(Outcome::Running);
    }
    let salt = demo_reset::salt();
    let Some(id) = demo_reset::start(&mut tx, name, slot, actor_name, &salt).await? else {
        return Ok(Outcome::AlreadyDone);
    };
    let mut deleted = demo_reset::clear(&mut tx).await?;
    deleted.push(("metering_calls", demo_reset::clear_usage(&mut tx).await?));
    crate::service::demo::seed::catalog(&mut tx, Some(DEMO_TENANT)).await?;
    demo_reset::restore_placements(&mut tx).await?;
    crate::db::demo::records::seed(&mut tx, now, true).await?;
    demo_reset::apply(&mut tx, now, &salt).await?;
    let deleted: serde_json::Map<String, serde_json::Value> =
        deleted.into_iter().filter(|(_, n)| *n > 0).map(|(t, n)| (t.to_owned(), json!(n))).collect();
    let ms = i32::try_from(started.elapsed().as_millis()).unwrap_or(i32::MAX);
    let summary = json!({ "deleted": deleted });
    journal::write(
        &mut tx,
        actor,
        Entry {
            topic: Topic::Platform,
            event_type: types::DEMO_TENANT_RESET,
            tenant: DEMO_TENANT,
            subject: format!("tenants/{DEMO_TENANT}"),
            action: actions::DEMO_RESET,
            id: DEMO_TENANT,
            data: json!({ "tenant_id": DEMO_TENANT, "trigger": name, "slot": slot, "reset": id, "duration_ms": ms, "deleted": summary["deleted"] }),
            detail: None,
        },
    )
    .await?;
    demo_reset::finish(&mut tx, id, ms, &summary).await?;
    // Keys and subscriptions changed: this replica forgets its verified keys at once
    // (the others within the cache's few seconds).
    crate::keycache::commit(tx).await?;
    // The history, counted like any calls (outside the reset's transaction: the ingest
    // has its own); the reset's time includes it.
    let written = Instant::now();
    let calls = write_history(pool, raw_days).await?;
    let history_ms = i32::try_from(written.elapsed().as_millis()).unwrap_or(i32::MAX);
    let mut tx = scope::begin(pool, Scope::Platform).await?;
    demo_reset::note_history(&mut tx, id, calls, history_ms).await?;
    let row = demo_reset::recent(&mut tx, 1).await?.into_iter().find(|r| r.id == id);
    tx.commit().await?;
    tracing::info!(reset = id, trigger = name, duration_ms = ms, history_ms, calls, "demo tenant reset");
    row.map(Outcome::Done).ok_or(AppError::Internal)
}

/// A recorded reset as shown.
pub fn info(row: &ResetRow) -> ResetInfo {
    let deleted = row.summary["deleted"]
        .as_object()
        .map(|m| m.iter().filter_map(|(k, v)| Some((k.clone(), v.as_u64()?))).collect())
        .unwrap_or_default();
    ResetInfo {
        id: row.id,
        trigger: ResetTrigger::parse(&row.trigger),
        actor: row.actor.clone(),
        started_at: crate::db::rfc3339(row.started_at),
        finished_at: row.finished_at.map(crate::db::rfc3339),
        duration_ms: row.duration_ms,
        deleted,
    }
}

/// The demo tenant's state for `user` (who needs `ResetDemo`).
pub async fn state(
    pool: &PgPool,
    user: &CurrentUser,
    schedule: Option<&Schedule>,
) -> Result<DemoState, AppError> {
    if !user.may(Permission::ResetDemo) {
        return Err(AppError::Forbidden);
    }
    let mut tx = scope::begin(pool, Scope::Platform).await?;
    let running = demo_reset::running(&mut tx).await?;
    let resets = demo_reset::recent(&mut tx, 10).await?;
    tx.commit().await?;
    Ok(DemoState {
        schedule: schedule.map(|s| s.text().to_owned()),
        next_reset: schedule.and_then(|s| s.next_after(Utc::now())).map(crate::db::rfc3339),
        running,
        resets: resets.iter().filter(|r| r.finished_at.is_some()).map(info).collect(),
    })
}

/// A manual reset as the console and the API answer it, once confirmed: the reset, or
/// 409 when another one runs.
pub async fn reset_now(
    pool: &PgPool,
    raw_days: u32,
    user: &CurrentUser,
    confirmed: bool,
) -> Result<ResetInfo, AppError> {
    if !user.may(Permission::ResetDemo) {
        return Err(AppError::Forbidden);
    }
    if !confirmed {
        return Err(AppError::field("confirm", "required"));
    }
    match reset(pool, raw_days, Trigger::Manual(user)).await? {
        Outcome::Done(row) => Ok(info(&row)),
        Outcome::Running | Outcome::AlreadyDone => Err(AppError::Conflict { code: "reset-running".into() }),
    }
}

/// Writes the dataset's history (the days before today) through the metering ingest: a
/// call counted before is not counted again. The number of calls newly counted.
pub async fn write_history(pool: &PgPool, raw_days: u32) -> Result<usize, sqlx::Error> {
    use crate::domain::metering::CallStatus;
    use crate::model::metering::ToolCallEvent;
    let events: Vec<ToolCallEvent> = crate::domain::demo::dataset::history(Utc::now().date_naive())
        .into_iter()
        .map(|c| ToolCallEvent {
            event_id: c.id,
            timestamp: c.at,
            tenant_id: DEMO_TENANT.to_owned(),
            user_id: None,
            user_email: None,
            consumer_id: format!("stoa-{}", c.application.simple()),
            tool_name: if c.mcp { c.operation.to_owned() } else { format!("{}/{}", c.api, c.operation) },
            action: if c.mcp { "tools/call".to_owned() } else { c.method.to_ascii_lowercase() },
            latency_ms: c.latency_ms,
            status: CallStatus::of_http(c.http_status),
            request_size_bytes: c.request_bytes,
            response_size_bytes: c.response_bytes,
            t_gateway_ms: (c.latency_ms * 0.1 * 10.0).round() / 10.0,
            t_backend_ms: (c.latency_ms * 0.9 * 10.0).round() / 10.0,
            scopes: None,
            roles: None,
            gateway_id: Some("stoa-demo-history".to_owned()),
            sub_account_id: None,
            master_account_id: None,
            department_id: None,
            token_count: 0,
            tool_tier: "standard".to_owned(),
            cost_units_microcents: 0,
            api: Some(c.api.to_owned()),
            api_id: None,
            api_version: None,
            http_method: Some(c.method.to_owned()),
            http_status: Some(c.http_status),
            try_it: false,
        })
        .collect();
    let mut counted = 0;
    for chunk in events.chunks(2_000) {
        counted +=
            crate::service::metering::ingest::ingest_events(pool, raw_days, chunk.to_vec()).await?.counted;
    }
    Ok(counted)
}

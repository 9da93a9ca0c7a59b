//! The demo tenant's reset in SQL: what visitors created there is deleted, the dataset
//! (`domain::demo::dataset`, the demo catalog, the demo backends' records) is written
//! back, and the reset is recorded (`demo_resets`). Everything runs in the caller's
//! transaction, under one advisory lock: one reset at a time across replicas. Other
//! tenants' rows are never touched: a row is the demo's when its tenant (for
//! subscriptions and usage: the calling application's tenant) is the demo's.

use crate::domain::demo::catalog::{apis, OWN_API_SLUG};
use crate::domain::demo::dataset::{self as dataset, id};
use crate::domain::demo::dataset::{BETA_USERS, DEMO_TENANT};
use crate::domain::demo::BACKENDS;
use crate::domain::openapi;
use chrono::{DateTime, Datelike, Duration, Utc};
use serde_json::json;
use sqlx::PgConnection;
use std::collections::HashMap;
use uuid::Uuid;

/// Takes the demo's reset lock until the transaction ends; false when another reset
/// holds it.
pub async fn try_lock(db: &mut PgConnection) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar("SELECT pg_try_advisory_xact_lock(hashtext('stoa.demo_reset'))").fetch_one(db).await
}

/// Waits for the demo's reset lock, held until the transaction ends.
pub async fn lock(db: &mut PgConnection) -> Result<(), sqlx::Error> {
    sqlx::query("SELECT pg_advisory_xact_lock(hashtext('stoa.demo_reset'))").execute(db).await.map(|_| ())
}

/// A reset as recorded.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct ResetRow {
    pub id: i64,
    pub trigger: String,
    pub slot: Option<DateTime<Utc>>,
    pub actor: String,
    pub started_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
    pub duration_ms: Option<i32>,
    pub key_salt: String,
    pub summary: serde_json::Value,
}

/// Whether a reset runs now (its lock is held), on this replica or another.
pub async fn running(db: &mut PgConnection) -> Result<bool, sqlx::Error> {
    // Taken for the rest of the caller's (read-only) transaction when free.
    Ok(!try_lock(db).await?)
}

/// Records a reset starting; none when `slot` was already reset (by another replica).
pub async fn start(
    db: &mut PgConnection,
    trigger: &str,
    slot: Option<DateTime<Utc>>,
    actor: &str,
    key_salt: &str,
) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO demo_resets (tenant_id, trigger, slot, actor, key_salt) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (slot) DO NOTHING RETURNING id",
    )
    .bind(DEMO_TENANT)
    .bind(trigger)
    .bind(slot)
    .bind(actor)
    .bind(key_salt)
    .fetch_optional(db)
    .await
}

/// Records a reset's end.
pub async fn finish(
    db: &mut PgConnection,
    id: i64,
    duration_ms: i32,
    summary: &serde_json::Value,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE demo_resets SET finished_at = now(), duration_ms = $2, summary = $3 WHERE id = $1")
        .bind(id)
        .bind(duration_ms)
        .bind(summary)
        .execute(db)
        .await
        .map(|_| ())
}

/// Adds the history's writing to a reset's record: its calls and time (in the reset's).
pub async fn note_history(db: &mut PgConnection, id: i64, calls: usize, ms: i32) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE demo_resets SET duration_ms = duration_ms + $2,
                summary = summary || jsonb_build_object('history', jsonb_build_object('calls', $3::bigint, 'ms', $2))
         WHERE id = $1",
    )
    .bind(id)
    .bind(ms)
    .bind(calls as i64)
    .execute(db)
    .await
    .map(|_| ())
}

/// The last resets, newest first.
pub async fn recent(db: &mut PgConnection, limit: i64) -> Result<Vec<ResetRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, trigger, slot, actor, started_at, finished_at, duration_ms, key_salt, summary
         FROM demo_resets WHERE tenant_id = $1 ORDER BY id DESC LIMIT $2",
    )
    .bind(DEMO_TENANT)
    .bind(limit)
    .fetch_all(db)
    .await
}

/// The demo tenant's rows that the reset deletes, counted by table.
pub type Counts = Vec<(&'static str, u64)>;

/// Deletes what visitors created in the demo tenant (its dataset rows too: they are
/// written back by [`apply`]).
pub async fn clear(db: &mut PgConnection) -> Result<Counts, sqlx::Error> {
    let mut counts = Vec::new();
    let t = DEMO_TENANT;
    // Promotion history is append-only but for this transaction's demo rows.
    sqlx::query("SELECT set_config('stoa.demo_reset', 'on', true)").execute(&mut *db).await?;
    let statements: &[(&str, &str)] = &[
        ("onboarding", "DELETE FROM onboarding WHERE tenant_id = $1"),
        ("notifications", "DELETE FROM notifications WHERE tenant_id = $1"),
        ("invitations", "DELETE FROM invitations WHERE tenant_id = $1"),
        (
            "quota_usage",
            "DELETE FROM quota_usage WHERE subscription_id IN (SELECT id FROM subscriptions WHERE app_tenant_id = $1)",
        ),
        (
            "gitops_outbox",
            "DELETE FROM gitops_outbox WHERE request_id IN (SELECT id FROM promotion_requests WHERE tenant_id = $1)",
        ),
        ("promotion_history", "DELETE FROM promotion_history WHERE tenant_id = $1"),
        ("promotion_requests", "DELETE FROM promotion_requests WHERE tenant_id = $1"),
        ("subscriptions", "DELETE FROM subscriptions WHERE app_tenant_id = $1"),
        ("credentials", "DELETE FROM credentials WHERE tenant_id = $1"),
        ("applications", "DELETE FROM applications WHERE tenant_id = $1"),
    ];
    for (table, sql) in statements {
        let done = sqlx::query(sql).bind(t).execute(&mut *db).await?;
        counts.push((*table, done.rows_affected()));
    }
    // The catalog: entries and versions that are not the dataset's (unless another
    // tenant's application subscribes to them: those stay).
    let (apis, versions) = dataset_catalog();
    let kept: Vec<String> = apis.iter().cloned().chain([OWN_API_SLUG.to_owned()]).collect();
    let mcp: Vec<String> = BACKENDS.iter().filter(|b| b.mcp.is_some()).map(|b| b.name.to_owned()).collect();
    let done = sqlx::query(
        "DELETE FROM catalog_items i WHERE i.tenant_id = $1
           AND NOT ((i.kind = 'api' AND i.slug = ANY($2)) OR (i.kind = 'mcp' AND i.slug = ANY($3)))
           AND NOT EXISTS (SELECT 1 FROM subscriptions s WHERE s.item_id = i.id)",
    )
    .bind(t)
    .bind(&kept)
    .bind(&mcp)
    .execute(&mut *db)
    .await?;
    counts.push(("catalog_items", done.rows_affected()));
    let done = sqlx::query(
        "DELETE FROM api_versions v USING catalog_items i
         WHERE v.item_id = i.id AND i.tenant_id = $1 AND i.kind = 'api' AND i.slug = ANY($2)
           AND (i.slug || '@' || v.version) <> ALL($3)",
    )
    .bind(t)
    .bind(&apis)
    .bind(&versions)
    .execute(&mut *db)
    .await?;
    counts.push(("api_versions", done.rows_affected()));
    // Users who are not in the dataset (invited or signed in through the identity
    // provider), unless something outside the demo still names them.
    let keep: Vec<&str> =
        BETA_USERS.iter().map(|u| u.0).chain(dataset::CONSUMERS.iter().map(|c| c.0)).collect();
    sqlx::query(
        "UPDATE catalog_items SET owner_id = NULL
         WHERE tenant_id = $1 AND owner_id IN (SELECT id FROM users WHERE tenant_id = $1 AND username <> ALL($2))",
    )
    .bind(t)
    .bind(&keep)
    .execute(&mut *db)
    .await?;
    let done = sqlx::query(
        "DELETE FROM users u WHERE u.tenant_id = $1 AND u.username <> ALL($2)
           AND NOT EXISTS (SELECT 1 FROM subscriptions s WHERE s.subscriber_id = u.id OR s.decided_by = u.id)
           AND NOT EXISTS (SELECT 1 FROM promotion_requests r WHERE r.requester_id = u.id OR r.decided_by = u.id)
           AND NOT EXISTS (SELECT 1 FROM promotion_history h WHERE h.actor_id = u.id)
           AND NOT EXISTS (SELECT 1 FROM catalog_items i WHERE i.owner_id = u.id)",
    )
    .bind(t)
    .bind(&keep)
    .execute(&mut *db)
    .await?;
    counts.push(("users", done.rows_affected()));
    // What the dataset's users changed about themselves.
    sqlx::query(
        "UPDATE users SET preferred_language = NULL WHERE tenant_id = $1 AND preferred_language IS NOT NULL",
    )
    .bind(t)
    .execute(&mut *db)
    .await?;
    Ok(counts)
}

/// Takes the demo's own usage back out: the calls of the demo's applications to the
/// demo's APIs, raw and summed (their rollups are subtracted, rows left empty deleted).
/// Calls between the demo and other tenants stay: they are the other tenant's too.
pub async fn clear_usage(db: &mut PgConnection) -> Result<u64, sqlx::Error> {
    use crate::db::metering::rollups::{add_tally, drop_empty_rollups, Sign};
    use crate::domain::metering::rollup::{Counted, Rollup, Tally};
    use crate::domain::metering::CallStatus;
    type Raw = (DateTime<Utc>, String, Option<Uuid>, Option<String>, String, String, String, i64, i64, f64);
    let rows: Vec<Raw> = sqlx::query_as(
        "SELECT at, tenant_id, application_id, app_tenant_id, api, tool_name, status, request_bytes, response_bytes,
                latency_ms
         FROM metering_calls WHERE tenant_id = $1 AND app_tenant_id = $1",
    )
    .bind(DEMO_TENANT)
    .fetch_all(&mut *db)
    .await?;
    let mut tally = Tally::default();
    for (at, tenant, application, app_tenant, api, tool, status, request, response, latency) in &rows {
        let Some(status) = CallStatus::parse(status) else { continue };
        let call = Counted {
            tenant,
            application: *application,
            app_tenant: app_tenant.as_deref(),
            api,
            tool,
            status,
            request_bytes: u64::try_from(*request).unwrap_or(0),
            response_bytes: u64::try_from(*response).unwrap_or(0),
            latency_ms: *latency,
        };
        tally.add(*at, &call);
    }
    add_tally(&mut *db, &tally, &Rollup::ALL, Sign::TakeBack).await?;
    drop_empty_rollups(&mut *db).await?;
    let done = sqlx::query("DELETE FROM metering_calls WHERE tenant_id = $1 AND app_tenant_id = $1")
        .bind(DEMO_TENANT)
        .execute(&mut *db)
        .await?;
    Ok(done.rows_affected())
}

/// The demo tenant's dataset APIs (slugs) and versions (`slug@version`).
fn dataset_catalog() -> (Vec<String>, Vec<String>) {
    let demo = apis().filter(|a| a.tenant == DEMO_TENANT);
    let apis = demo.clone().map(|a| a.slug.to_owned()).collect();
    let versions =
        demo.flat_map(|a| a.placements().map(move |p| format!("{}@{}", a.slug, p.version))).collect();
    (apis, versions)
}

/// Puts the demo catalog's plans, versions' statuses and deployments back as seeded (as
/// `DemoApi::placements` says), after `service::demo::seed::catalog` has put its entries
/// and tools back.
pub async fn restore_placements(db: &mut PgConnection) -> Result<(), sqlx::Error> {
    crate::db::plans::seed_demo(&mut *db, DEMO_TENANT).await?;
    let (slugs, _) = dataset_catalog();
    sqlx::query(
        "DELETE FROM deployments d USING api_versions v, catalog_items i
         WHERE d.version_id = v.id AND v.item_id = i.id AND i.tenant_id = $1 AND i.kind = 'api' AND i.slug = ANY($2)",
    )
    .bind(DEMO_TENANT)
    .bind(&slugs)
    .execute(&mut *db)
    .await?;
    for api in apis().filter(|a| a.tenant == DEMO_TENANT) {
        for p in api.placements() {
            let version_id: Option<Uuid> = sqlx::query_scalar(
                "UPDATE api_versions v SET status = $4 FROM catalog_items i
                 WHERE v.item_id = i.id AND i.tenant_id = $1 AND i.kind = 'api' AND i.slug = $2 AND v.version = $3
                 RETURNING v.id",
            )
            .bind(DEMO_TENANT)
            .bind(api.slug)
            .bind(p.version)
            .bind(p.status)
            .fetch_optional(&mut *db)
            .await?;
            let Some(version_id) = version_id else { continue };
            let doc = openapi::parse(crate::domain::demo::catalog::document(api, p.version).as_bytes())
                .map_err(|e| sqlx::Error::Protocol(format!("demo document: {e}")))?;
            for env in p.environments {
                let url = openapi::server_for(&doc.servers, env);
                crate::db::catalog::deploy(&mut *db, version_id, DEMO_TENANT, env, url).await?;
            }
        }
    }
    Ok(())
}

/// The API key the dataset gives `app` after the reset salted `salt`: the same for every
/// replica (the demo's live traffic calls with it), another after the next reset.
pub fn dataset_key(app: Uuid, salt: &str) -> String {
    use base64::Engine;
    use sha2::{Digest, Sha256};
    let bytes = Sha256::digest(format!("stoa-demo-key:{app}:{salt}").as_bytes());
    format!(
        "{}{}",
        crate::domain::credential::Kind::ApiKey.marker(),
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
    )
}

/// Writes the dataset where it is missing (its rows have fixed ids: writing it twice
/// changes nothing); the dataset's API keys are those of `salt`. Times are `now` less
/// each row's offset.
pub async fn apply(db: &mut PgConnection, now: DateTime<Utc>, salt: &str) -> Result<(), sqlx::Error> {
    let t = DEMO_TENANT;
    let users: HashMap<String, Uuid> =
        sqlx::query_as::<_, (String, Uuid)>("SELECT username, id FROM users WHERE tenant_id = $1")
            .bind(t)
            .fetch_all(&mut *db)
            .await?
            .into_iter()
            .collect();
    let user = |name: &str| users.get(name).copied();
    let items: HashMap<(String, String), Uuid> = sqlx::query_as::<_, (String, String, Uuid)>(
        "SELECT kind, slug, id FROM catalog_items WHERE tenant_id = $1",
    )
    .bind(t)
    .fetch_all(&mut *db)
    .await?
    .into_iter()
    .map(|(k, s, id)| ((k, s), id))
    .collect();
    let plans: HashMap<String, Uuid> =
        sqlx::query_as::<_, (String, Uuid)>("SELECT slug, id FROM plans WHERE tenant_id = $1")
            .bind(t)
            .fetch_all(&mut *db)
            .await?
            .into_iter()
            .collect();
    for app in dataset::APPS {
        let Some(owner) = user(app.owner) else { continue };
        let app_id = id("application", &format!("{}/{}", app.owner, app.name));
        let at = now - Duration::days(app.days_ago);
        sqlx::query(
            "INSERT INTO applications (id, tenant_id, owner_id, name, description, security_profile, redirect_uris,
                                       client_id, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, 'api_key', '{}', $6, $7, $7) ON CONFLICT DO NOTHING",
        )
        .bind(app_id)
        .bind(t)
        .bind(owner)
        .bind(app.name)
        .bind(app.description)
        .bind(format!("stoa-{}", app_id.simple()))
        .bind(at)
        .execute(&mut *db)
        .await?;
        // The dataset's key of this application: replaced at each reset.
        let secret = dataset_key(app_id, salt);
        let key_id = id("credential", &format!("{}/{}", app.owner, app.name));
        sqlx::query("DELETE FROM credentials WHERE id = $1").bind(key_id).execute(&mut *db).await?;
        sqlx::query(
            "INSERT INTO credentials (id, tenant_id, application_id, kind, prefix, secret_hash, created_by, created_at)
             VALUES ($1, $2, $3, 'api_key', $4, $5, $6, $7)",
        )
        .bind(key_id)
        .bind(t)
        .bind(app_id)
        .bind(crate::domain::credential::visible_prefix(&secret).unwrap_or_default())
        .bind(crate::secrets::hash(&secret))
        .bind(owner)
        .bind(at)
        .execute(&mut *db)
        .await?;
        for sub in app.subscriptions {
            let Some(item) = items.get(&(sub.kind.to_owned(), sub.slug.to_owned())) else { continue };
            let sub_id = id(
                "subscription",
                &format!("{}/{}/{}/{}", app.owner, app.name, sub.slug, sub.plan.unwrap_or("")),
            );
            let decided = sub.state != "pending";
            let tools: Vec<String> = sub.tools.iter().map(|s| (*s).to_owned()).collect();
            sqlx::query(
                "INSERT INTO subscriptions (id, app_tenant_id, application_id, subscriber_id, api_tenant_id, item_id,
                                            plan_id, requested_tools, state, reason, decided_by, decided_at,
                                            created_at, updated_at)
                 VALUES ($1, $2, $3, $4, $2, $5, $6, $7, $8, $9, $10, $11, $12, $12) ON CONFLICT DO NOTHING",
            )
            .bind(sub_id)
            .bind(t)
            .bind(app_id)
            .bind(owner)
            .bind(item)
            .bind(sub.plan.and_then(|p| plans.get(p).copied()))
            .bind(&tools)
            .bind(sub.state)
            .bind(sub.reason)
            .bind(sub.decided_by.and_then(user))
            .bind(decided.then_some(at + Duration::hours(dataset::SUBSCRIPTION_DECIDED_AFTER_HOURS)))
            .bind(at + Duration::hours(dataset::SUBSCRIBED_AFTER_HOURS))
            .execute(&mut *db)
            .await?;
        }
    }
    for r in dataset::REQUESTS {
        let Some(requester) = user(r.requester) else { continue };
        let at = now - Duration::days(r.days_ago);
        let pr = format!("PR-{}-9{:04}", at.year(), r.number);
        let (state, decider, reason) = request_outcome(r);
        let inserted = sqlx::query(
            "INSERT INTO promotion_requests (id, tenant_id, requester_id, target_type, target_name, target_version,
                    item_id, justification, release_notes, impact, rollback_plan, staging_tests_passed,
                    security_scan_passed, performance_tests_passed, state, decided_by, decided_at, reason,
                    created_at, updated_at)
             VALUES ($1, $2, $3, 'api', $4, $5, $6, $7, $8, $9, 'Redeploy the previous version from the catalog.',
                     true, true, true, $10, $11, $12, $13, $14, $14)
             ON CONFLICT DO NOTHING",
        )
        .bind(&pr)
        .bind(t)
        .bind(requester)
        .bind(r.api)
        .bind(r.version)
        .bind(items.get(&("api".to_owned(), r.api.to_owned())))
        .bind(r.justification)
        .bind(r.release_notes)
        .bind(r.impact)
        .bind(state)
        .bind(decider.and_then(user))
        .bind(r.decided_hours().filter(|_| decider.is_some()).map(|h| at + Duration::hours(h)))
        .bind(reason)
        .bind(at)
        .execute(&mut *db)
        .await?;
        if inserted.rows_affected() == 0 {
            continue;
        }
        let entries =
            std::iter::once((r.requester, "create", "", "pending", None)).chain(r.history.iter().copied());
        for (i, (actor, action, from, to, comment)) in entries.enumerate() {
            let history_id: i64 = sqlx::query_scalar(
                "INSERT INTO promotion_history (request_id, tenant_id, at, actor_id, actor, action, from_state, to_state, comment)
                 VALUES ($1, $2, $3, $4, $5, $6, NULLIF($7, ''), NULLIF($8, ''), $9) RETURNING id",
            )
            .bind(&pr)
            .bind(t)
            .bind(at + Duration::hours(dataset::Request::step_hours(i)))
            .bind(user(actor))
            .bind(actor)
            .bind(action)
            .bind(from)
            .bind(to)
            .bind(comment)
            .fetch_one(&mut *db)
            .await?;
            sqlx::query("INSERT INTO gitops_outbox (history_id, request_id) VALUES ($1, $2)")
                .bind(history_id)
                .bind(&pr)
                .execute(&mut *db)
                .await?;
        }
    }
    for (i, note) in dataset::NOTIFICATIONS.iter().enumerate() {
        let Some(owner) = user(note.user) else { continue };
        let at = now - Duration::hours(note.hours_ago());
        // What it is about, as the notification consumer writes it: a decision settles it
        // (app::db::notifications::settle) as it settles the consumer's.
        let (subject, data, link) = match note.about {
            dataset::About::Subscription { owner, app, slug, plan } => {
                let sub = id("subscription", &format!("{owner}/{app}/{slug}/{plan}"));
                let link = if note.kind == "subscription-pending" {
                    format!("/console/subscriptions#sub-{sub}")
                } else {
                    format!("/apps/{}#sub-{sub}", id("application", &format!("{owner}/{app}")))
                };
                (note.subject.to_owned(), json!({ "subscription": sub }), link)
            }
            dataset::About::Request { api, version } => {
                let Some(r) = dataset::REQUESTS.iter().find(|r| r.api == api && r.version == version) else {
                    continue;
                };
                let pr = format!("PR-{}-9{:04}", (now - Duration::days(r.days_ago)).year(), r.number);
                (
                    format!("{pr} · {}", note.subject),
                    json!({ "request": pr }),
                    format!("/console/requests/{pr}"),
                )
            }
        };
        let (kind, read) = (note.kind, &note.read);
        sqlx::query(
            "INSERT INTO notifications (id, tenant_id, user_id, event_id, kind, subject, link, data, read_at, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT DO NOTHING",
        )
        .bind(id("notification", &i.to_string()))
        .bind(t)
        .bind(owner)
        .bind(format!("demo-dataset-{i}"))
        .bind(kind)
        .bind(subject)
        .bind(&link)
        .bind(data)
        .bind(read.then_some(at + Duration::hours(1)))
        .bind(at)
        .execute(&mut *db)
        .await?;
    }
    crate::db::demo::records::seed(&mut *db, now, false).await?;
    Ok(())
}

/// A dataset request's state, decider and reason from its history.
fn request_outcome(r: &dataset::Request) -> (&'static str, Option<&'static str>, Option<&'static str>) {
    let mut state = "pending";
    let mut decider = None;
    let mut reason = None;
    for (actor, action, _, to, comment) in r.history {
        if !to.is_empty() {
            state = to;
        }
        match *action {
            "approve" => decider = Some(*actor),
            "reject" => {
                decider = Some(*actor);
                reason = *comment;
            }
            _ => {}
        }
    }
    (state, decider, reason)
}

/// A fresh secret for the dataset's keys.
pub fn salt() -> String {
    let mut bytes = [0u8; 16];
    let _ = getrandom::fill(&mut bytes);
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Writes the dataset where it is missing (the seed: visitors' rows stay), with the last
/// reset's keys, or a first `seed` record's.
pub async fn seed(db: &mut PgConnection, now: DateTime<Utc>) -> Result<(), sqlx::Error> {
    lock(&mut *db).await?;
    let salt = match recent(&mut *db, 1).await?.into_iter().next() {
        Some(last) => last.key_salt,
        None => {
            let salt = salt();
            if let Some(id) = start(&mut *db, "seed", None, "seed", &salt).await? {
                finish(&mut *db, id, 0, &json!({})).await?;
            }
            salt
        }
    };
    apply(db, now, &salt).await
}

//! Per-user notifications, made from events by the notification consumer: approvers hear
//! of new pending requests, subscribers of decisions and of coming expiries. One event
//! makes at most one notification per recipient (`UNIQUE (user_id, event_id)`), so a
//! redelivered event changes nothing.

use crate::db::rfc3339;
use crate::domain::event::{types, CloudEvent};
use crate::model::notifications::NotificationInfo;
use chrono::{DateTime, Utc};
use sqlx::PgConnection;
use uuid::Uuid;

use crate::model::notifications::PER_PAGE;
/// How long before its end a subscriber hears that a subscription expires.
pub const EXPIRY_WARNING_DAYS: i64 = 3;

/// One notification for one user.
pub struct NewNotification<'a> {
    pub tenant_id: &'a str,
    pub user_id: Uuid,
    pub event_id: &'a str,
    pub kind: &'a str,
    pub subject: &'a str,
    pub link: &'a str,
    pub data: serde_json::Value,
}

/// Stores a notification unless this user already has one for this event.
pub async fn insert(db: &mut PgConnection, n: &NewNotification<'_>) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "INSERT INTO notifications (id, tenant_id, user_id, event_id, kind, subject, link, data)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (user_id, event_id) DO NOTHING",
    )
    .bind(Uuid::now_v7())
    .bind(n.tenant_id)
    .bind(n.user_id)
    .bind(n.event_id)
    .bind(n.kind)
    .bind(n.subject)
    .bind(n.link)
    .bind(&n.data)
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// A user's notifications, newest first, with the total and the unread count.
pub async fn list(
    db: &mut PgConnection,
    user: Uuid,
    offset: i64,
) -> Result<(Vec<NotificationInfo>, i64, i64), sqlx::Error> {
    #[derive(sqlx::FromRow)]
    struct Row {
        id: Uuid,
        kind: String,
        subject: String,
        link: String,
        data: serde_json::Value,
        read_at: Option<DateTime<Utc>>,
        created_at: DateTime<Utc>,
    }
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT id, kind, subject, link, data, read_at, created_at FROM notifications
         WHERE user_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2 OFFSET $3",
    )
    .bind(user)
    .bind(PER_PAGE)
    .bind(offset)
    .fetch_all(&mut *db)
    .await?;
    let (total, unread): (i64, i64) = sqlx::query_as(
        "SELECT count(*), count(*) FILTER (WHERE read_at IS NULL) FROM notifications WHERE user_id = $1",
    )
    .bind(user)
    .fetch_one(db)
    .await?;
    let items = rows
        .into_iter()
        .map(|r| NotificationInfo {
            id: r.id,
            kind: r.kind,
            subject: r.subject,
            link: r.link,
            reason: r.data.get("reason").and_then(|v| v.as_str()).map(str::to_owned),
            decided: r.data.get("decided").and_then(|v| v.as_str()).map(str::to_owned),
            decided_by: r.data.get("decided_by").and_then(|v| v.as_str()).map(str::to_owned),
            read: r.read_at.is_some(),
            created_at: rfc3339(r.created_at),
        })
        .collect();
    Ok((items, total, unread))
}

/// How many of a user's notifications are unread.
pub async fn unread(db: &mut PgConnection, user: Uuid) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT count(*) FROM notifications WHERE user_id = $1 AND read_at IS NULL")
        .bind(user)
        .fetch_one(db)
        .await
}

/// Marks one (`Some`) or every (`None`) notification of `user` read; how many changed.
pub async fn mark_read(db: &mut PgConnection, user: Uuid, id: Option<Uuid>) -> Result<u64, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE notifications SET read_at = now()
         WHERE user_id = $1 AND read_at IS NULL AND ($2::uuid IS NULL OR id = $2)",
    )
    .bind(user)
    .bind(id)
    .execute(db)
    .await?;
    Ok(done.rows_affected())
}

/// Marks the notifications of `kind` that asked for a decision on `about` (a
/// subscription's or a request's id) as decided: `outcome` (`approved`, `rejected`,
/// `cancelled`) by `by`, and read for every recipient. Once: a redelivered event
/// changes nothing. Returns how many changed.
pub async fn settle(
    db: &mut PgConnection,
    kind: &str,
    about: &str,
    outcome: &str,
    by: &str,
) -> Result<u64, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE notifications SET read_at = coalesce(read_at, now()),
                data = data || jsonb_build_object('decided', $3::text, 'decided_by', $4::text)
         WHERE kind = $1 AND coalesce(data->>'subscription', data->>'request') = $2
           AND kind IN ('subscription-pending', 'request-pending', 'plan-change-pending') AND NOT data ? 'decided'",
    )
    .bind(kind)
    .bind(about)
    .bind(outcome)
    .bind(by)
    .execute(db)
    .await?;
    Ok(done.rows_affected())
}

/// What the notification consumer makes of a `stoa.subscription.events` event (run in
/// the platform scope: recipients live in two tenants). Returns how many it stored.
pub async fn from_subscription_event(
    db: &mut PgConnection,
    event: &CloudEvent,
) -> Result<usize, sqlx::Error> {
    let Some(id) =
        event.data.get("subscription").and_then(|v| v.as_str()).and_then(|s| Uuid::parse_str(s).ok())
    else {
        return Ok(0);
    };
    let state = event.data.get("state").and_then(|v| v.as_str()).unwrap_or_default();
    let action = event.data.get("action").and_then(|v| v.as_str()).unwrap_or_default();
    #[derive(sqlx::FromRow)]
    struct Sub {
        application_id: Uuid,
        application_name: String,
        subscriber_id: Uuid,
        app_tenant_id: String,
        api_tenant_id: String,
        item_name: String,
        plan_name: Option<String>,
        state: String,
        subscriber_name: String,
        decider_name: Option<String>,
    }
    // The application may be gone (deleted with its subscriptions): nobody to tell.
    let sub: Option<Sub> = sqlx::query_as(
        "SELECT s.application_id, a.name AS application_name, s.subscriber_id, s.app_tenant_id, s.api_tenant_id,
                i.name AS item_name, p.name AS plan_name, s.state, u.display_name AS subscriber_name,
                d.display_name AS decider_name
         FROM subscriptions s JOIN applications a ON a.id = s.application_id
         JOIN catalog_items i ON i.id = s.item_id LEFT JOIN plans p ON p.id = s.plan_id
         JOIN users u ON u.id = s.subscriber_id LEFT JOIN users d ON d.id = s.decided_by WHERE s.id = $1",
    )
    .bind(id)
    .fetch_optional(&mut *db)
    .await?;
    let Some(sub) = sub else { return Ok(0) };
    // A decision (or the subscriber's cancel) settles what asked the approvers for one.
    let outcome = match event.event_type.as_str() {
        types::SUBSCRIPTION_APPROVED => Some(("approved", sub.decider_name.as_deref())),
        types::SUBSCRIPTION_REJECTED => Some(("rejected", sub.decider_name.as_deref())),
        types::SUBSCRIPTION_REVOKED if action == "cancel" => {
            Some(("cancelled", Some(sub.subscriber_name.as_str())))
        }
        _ => None,
    };
    if let Some((outcome, by)) = outcome {
        settle(&mut *db, "subscription-pending", &id.to_string(), outcome, by.unwrap_or_default()).await?;
    }
    // A decided change of plan settles what asked the approvers for it.
    let plan_outcome = match event.event_type.as_str() {
        types::SUBSCRIPTION_PLAN_CHANGED if action == "approve" => Some("approved"),
        types::SUBSCRIPTION_PLAN_CHANGE_REJECTED => Some("rejected"),
        types::SUBSCRIPTION_PLAN_CHANGE_WITHDRAWN => Some("cancelled"),
        _ => None,
    };
    if let Some(outcome) = plan_outcome {
        let by = event.data.get("by").and_then(|v| v.as_str()).unwrap_or_default();
        settle(&mut *db, "plan-change-pending", &id.to_string(), outcome, by).await?;
    }
    // Decided before this event was read: nothing waits for anyone any more.
    if event.event_type == types::SUBSCRIPTION_CREATED && sub.state != "pending" {
        return Ok(0);
    }
    let subject = match &sub.plan_name {
        Some(plan) => format!("{} · {plan} · {}", sub.item_name, sub.application_name),
        None => format!("{} · {}", sub.item_name, sub.application_name),
    };
    let event_id = event.id.to_string();
    let reason = event.data.get("reason").cloned().unwrap_or(serde_json::Value::Null);
    let data = serde_json::json!({ "subscription": id, "reason": reason });
    // Approvers hear of requests waiting for them; subscribers of what others decided.
    let (recipients, tenant, kind, link): (Vec<Uuid>, &str, &str, String) = match event.event_type.as_str() {
        types::SUBSCRIPTION_CREATED if state == "pending" => (
            approvers(&mut *db, &sub.api_tenant_id).await?,
            &sub.api_tenant_id,
            "subscription-pending",
            format!("/console/subscriptions#sub-{id}"),
        ),
        types::SUBSCRIPTION_PLAN_CHANGE_REQUESTED => (
            approvers(&mut *db, &sub.api_tenant_id).await?,
            &sub.api_tenant_id,
            "plan-change-pending",
            format!("/console/subscriptions#plan-change-{id}"),
        ),
        types::SUBSCRIPTION_PLAN_CHANGED | types::SUBSCRIPTION_PLAN_CHANGE_REJECTED
            if matches!(action, "approve" | "reject") =>
        {
            let kind = if action == "approve" { "plan-change-approved" } else { "plan-change-rejected" };
            (
                vec![sub.subscriber_id],
                &sub.app_tenant_id,
                kind,
                format!("/apps/{}#sub-{id}", sub.application_id),
            )
        }
        types::SUBSCRIPTION_APPROVED
        | types::SUBSCRIPTION_REJECTED
        | types::SUBSCRIPTION_SUSPENDED
        | types::SUBSCRIPTION_REACTIVATED
        | types::SUBSCRIPTION_EXPIRED => {
            let kind = match event.event_type.as_str() {
                types::SUBSCRIPTION_APPROVED => "subscription-approved",
                types::SUBSCRIPTION_REJECTED => "subscription-rejected",
                types::SUBSCRIPTION_SUSPENDED => "subscription-suspended",
                types::SUBSCRIPTION_REACTIVATED => "subscription-reactivated",
                _ => "subscription-expired",
            };
            (
                vec![sub.subscriber_id],
                &sub.app_tenant_id,
                kind,
                format!("/apps/{}#sub-{id}", sub.application_id),
            )
        }
        types::SUBSCRIPTION_REVOKED if action == "revoke" => (
            vec![sub.subscriber_id],
            &sub.app_tenant_id,
            "subscription-revoked",
            format!("/apps/{}#sub-{id}", sub.application_id),
        ),
        _ => return Ok(0),
    };
    let mut stored = 0;
    for user in recipients {
        let n = NewNotification {
            tenant_id: tenant,
            user_id: user,
            event_id: &event_id,
            kind,
            subject: &subject,
            link: &link,
            data: data.clone(),
        };
        stored += usize::from(insert(&mut *db, &n).await?);
    }
    Ok(stored)
}

/// What the notification consumer makes of a `plan-updated` event whose limits changed
/// (platform scope): each subscriber with a live subscription on the plan hears of it
/// once, linked to their application. Returns how many it stored.
pub async fn from_plan_event(db: &mut PgConnection, event: &CloudEvent) -> Result<usize, sqlx::Error> {
    if event.event_type != types::PLAN_UPDATED
        || event.data.get("limits_changed").and_then(|v| v.as_bool()) != Some(true)
    {
        return Ok(0);
    }
    let Some(plan) = event.data.get("plan").and_then(|v| v.as_str()).and_then(|s| Uuid::parse_str(s).ok())
    else {
        return Ok(0);
    };
    let subscribers: Vec<(Uuid, String, Uuid, Uuid, String, String)> = sqlx::query_as(
        "SELECT DISTINCT ON (s.subscriber_id) s.subscriber_id, s.app_tenant_id, s.application_id, s.id,
                i.name || ' · ' || p.name || ' · ' || a.name, p.name
         FROM subscriptions s JOIN plans p ON p.id = s.plan_id JOIN catalog_items i ON i.id = s.item_id
         JOIN applications a ON a.id = s.application_id
         WHERE s.plan_id = $1 AND s.state IN ('pending', 'active', 'suspended')
         ORDER BY s.subscriber_id, s.created_at DESC",
    )
    .bind(plan)
    .fetch_all(&mut *db)
    .await?;
    let event_id = event.id.to_string();
    let mut stored = 0;
    for (user, tenant, application, subscription, subject, plan_name) in subscribers {
        let n = NewNotification {
            tenant_id: &tenant,
            user_id: user,
            event_id: &event_id,
            kind: "plan-changed",
            subject: &subject,
            link: &format!("/apps/{application}#sub-{subscription}"),
            data: serde_json::json!({ "subscription": subscription, "plan": plan_name, "limits": {
                "rate_per_second": event.data.get("rate_per_second"),
                "rate_per_minute": event.data.get("rate_per_minute"),
                "daily_quota": event.data.get("daily_quota"),
                "monthly_quota": event.data.get("monthly_quota"),
            }}),
        };
        stored += usize::from(insert(&mut *db, &n).await?);
    }
    Ok(stored)
}

/// The people who decide a tenant's subscriptions.
async fn approvers(db: &mut PgConnection, tenant: &str) -> Result<Vec<Uuid>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT id FROM users WHERE tenant_id = $1 AND roles && ARRAY['tenant-admin', 'stoa.product_owner']",
    )
    .bind(tenant)
    .fetch_all(db)
    .await
}

/// Tells subscribers whose active subscriptions end within [`EXPIRY_WARNING_DAYS`]
/// (platform scope); once per subscription and end date. Returns how many it stored.
pub async fn warn_expiring(db: &mut PgConnection) -> Result<usize, sqlx::Error> {
    #[derive(sqlx::FromRow)]
    struct Due {
        id: Uuid,
        application_id: Uuid,
        application_name: String,
        subscriber_id: Uuid,
        app_tenant_id: String,
        item_name: String,
        expires_at: DateTime<Utc>,
    }
    let due: Vec<Due> = sqlx::query_as(
        "SELECT s.id, s.application_id, a.name AS application_name, s.subscriber_id, s.app_tenant_id,
                i.name AS item_name, s.expires_at
         FROM subscriptions s JOIN applications a ON a.id = s.application_id JOIN catalog_items i ON i.id = s.item_id
         WHERE s.state = 'active' AND s.expires_at > now() AND s.expires_at <= now() + make_interval(days => $1::int)",
    )
    .bind(EXPIRY_WARNING_DAYS as i32)
    .fetch_all(&mut *db)
    .await?;
    let mut stored = 0;
    for d in due {
        let event_id = format!("expiring:{}:{}", d.id, d.expires_at.timestamp());
        let n = NewNotification {
            tenant_id: &d.app_tenant_id,
            user_id: d.subscriber_id,
            event_id: &event_id,
            kind: "subscription-expiring",
            subject: &format!("{} · {}", d.item_name, d.application_name),
            link: &format!("/apps/{}#sub-{}", d.application_id, d.id),
            data: serde_json::json!({ "subscription": d.id, "expires_at": rfc3339(d.expires_at) }),
        };
        stored += usize::from(insert(&mut *db, &n).await?);
    }
    Ok(stored)
}

/// What the notification consumer makes of a `stoa.promotion.requests` event (platform
/// scope): approvers hear of new requests, requesters of decisions and deployment
/// results, everyone in a request's thread of a new comment. Returns how many it stored.
pub async fn from_promotion_event(db: &mut PgConnection, event: &CloudEvent) -> Result<usize, sqlx::Error> {
    let Some(id) = event.data.get("request").and_then(|v| v.as_str()) else { return Ok(0) };
    let request: Option<(String, Uuid, String, String, String)> = sqlx::query_as(
        "SELECT r.tenant_id, r.requester_id, coalesce(i.name, r.target_name), r.target_version, r.state
         FROM promotion_requests r LEFT JOIN catalog_items i ON i.id = r.item_id WHERE r.id = $1",
    )
    .bind(id)
    .fetch_optional(&mut *db)
    .await?;
    let Some((tenant, requester, name, version, state)) = request else { return Ok(0) };
    let by: Option<Uuid> =
        event.data.get("by_id").and_then(|v| v.as_str()).and_then(|s| Uuid::parse_str(s).ok());
    let outcome = match event.event_type.as_str() {
        types::REQUEST_APPROVED => Some("approved"),
        types::REQUEST_REJECTED => Some("rejected"),
        types::REQUEST_CANCELLED => Some("cancelled"),
        _ => None,
    };
    if let Some(outcome) = outcome {
        let name: Option<String> = sqlx::query_scalar("SELECT display_name FROM users WHERE id = $1")
            .bind(by)
            .fetch_optional(&mut *db)
            .await?;
        let by = name.or_else(|| event.data.get("by").and_then(|v| v.as_str()).map(str::to_owned));
        settle(&mut *db, "request-pending", id, outcome, &by.unwrap_or_default()).await?;
    }
    if event.event_type == types::REQUEST_CREATED && state != "pending" {
        return Ok(0);
    }
    let (recipients, kind): (Vec<Uuid>, &str) = match event.event_type.as_str() {
        types::REQUEST_CREATED => (
            sqlx::query_scalar(
                "SELECT id FROM users WHERE tenant_id = $1 AND id <> $2
                   AND roles && ARRAY['tenant-admin', 'stoa.product_owner']",
            )
            .bind(&tenant)
            .bind(requester)
            .fetch_all(&mut *db)
            .await?,
            "request-pending",
        ),
        types::REQUEST_APPROVED => (vec![requester], "request-approved"),
        types::REQUEST_REJECTED => (vec![requester], "request-rejected"),
        types::DEPLOYMENT_SUCCEEDED => (vec![requester], "request-deployed"),
        types::DEPLOYMENT_FAILED => (vec![requester], "request-failed"),
        types::REQUEST_COMMENTED => {
            let mut thread: Vec<Uuid> = sqlx::query_scalar(
                "SELECT DISTINCT actor_id FROM promotion_history WHERE request_id = $1 AND action = 'comment'
                   AND actor_id IS NOT NULL",
            )
            .bind(id)
            .fetch_all(&mut *db)
            .await?;
            thread.push(requester);
            thread.sort();
            thread.dedup();
            thread.retain(|u| Some(*u) != by);
            (thread, "request-commented")
        }
        _ => return Ok(0),
    };
    let subject = format!("{id} · {name} {version}");
    let link = format!("/console/requests/{id}");
    let event_id = event.id.to_string();
    let reason = event.data.get("reason").or_else(|| event.data.get("error")).cloned().unwrap_or_default();
    let mut stored = 0;
    for user in recipients {
        let n = NewNotification {
            tenant_id: &tenant,
            user_id: user,
            event_id: &event_id,
            kind,
            subject: &subject,
            link: &link,
            data: serde_json::json!({ "request": id, "reason": reason }),
        };
        stored += usize::from(insert(&mut *db, &n).await?);
    }
    Ok(stored)
}

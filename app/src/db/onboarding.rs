//! The onboarding wizard's progress (`onboarding`, one row per user), and the first
//! successful gateway call of an application read from the raw calls.

use crate::domain::onboarding::{Reached, Step, UseCase};
use chrono::{DateTime, Utc};
use sqlx::PgConnection;
use uuid::Uuid;

/// A user's row.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Row {
    pub user_id: Uuid,
    pub tenant_id: String,
    pub use_case: Option<String>,
    pub application_id: Option<Uuid>,
    pub subscription_id: Option<Uuid>,
    pub started_at: DateTime<Utc>,
    pub use_case_at: Option<DateTime<Utc>>,
    pub application_at: Option<DateTime<Utc>>,
    pub subscription_at: Option<DateTime<Utc>>,
    pub first_call_at: Option<DateTime<Utc>>,
    pub completed_at: Option<DateTime<Utc>>,
    pub dismissed_at: Option<DateTime<Utc>>,
    pub step: String,
    pub step_since: DateTime<Utc>,
    pub first_call_answer: Option<String>,
}

const COLUMNS: &str =
    "user_id, tenant_id, use_case, application_id, subscription_id, started_at, use_case_at,
    application_at, subscription_at, first_call_at, completed_at, dismissed_at, step, step_since,
    first_call_answer";

/// The user's row, if they started the wizard.
pub async fn get(db: &mut PgConnection, user: Uuid) -> Result<Option<Row>, sqlx::Error> {
    sqlx::query_as(&format!("SELECT {COLUMNS} FROM onboarding WHERE user_id = $1 FOR UPDATE"))
        .bind(user)
        .fetch_optional(db)
        .await
}

/// Starts the wizard for `user` (nothing when it is started already); the row.
pub async fn start(
    db: &mut PgConnection,
    user: Uuid,
    tenant: &str,
    now: DateTime<Utc>,
) -> Result<Row, sqlx::Error> {
    sqlx::query(
        "INSERT INTO onboarding (user_id, tenant_id, started_at, step_since) VALUES ($1, $2, $3, $3)
         ON CONFLICT (user_id) DO NOTHING",
    )
    .bind(user)
    .bind(tenant)
    .bind(now)
    .execute(&mut *db)
    .await?;
    get(db, user).await?.ok_or(sqlx::Error::RowNotFound)
}

/// The use case chosen: the wizard is under way again if it was left. Left before its
/// first step (the home page's "Not now"), it starts now.
pub async fn set_use_case(
    db: &mut PgConnection,
    user: Uuid,
    use_case: UseCase,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE onboarding SET use_case = $2, use_case_at = coalesce(use_case_at, $3), dismissed_at = NULL,
             started_at = CASE WHEN use_case_at IS NULL AND dismissed_at IS NOT NULL THEN $3 ELSE started_at END
         WHERE user_id = $1",
    )
    .bind(user)
    .bind(use_case.as_str())
    .bind(now)
    .execute(db)
    .await
    .map(|_| ())
}

/// The application chosen (or created).
pub async fn set_application(
    db: &mut PgConnection,
    user: Uuid,
    application: Uuid,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE onboarding SET application_id = $2, application_at = coalesce(application_at, $3) WHERE user_id = $1",
    )
    .bind(user)
    .bind(application)
    .bind(now)
    .execute(db)
    .await
    .map(|_| ())
}

/// The subscription chosen (it may still wait for an approver).
pub async fn set_subscription(
    db: &mut PgConnection,
    user: Uuid,
    subscription: Uuid,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE onboarding SET subscription_id = $2, subscription_at = coalesce(subscription_at, $3) WHERE user_id = $1",
    )
    .bind(user)
    .bind(subscription)
    .bind(now)
    .execute(db)
    .await
    .map(|_| ())
}

/// The step the user is at now (its `since` moves only when the step changes).
pub async fn set_step(
    db: &mut PgConnection,
    user: Uuid,
    step: Step,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE onboarding SET step = $2, step_since = CASE WHEN step = $2 THEN step_since ELSE $3 END,
             completed_at = CASE WHEN $2 = 'done' THEN coalesce(completed_at, $3) ELSE completed_at END
         WHERE user_id = $1",
    )
    .bind(user)
    .bind(step.as_str())
    .bind(now)
    .execute(db)
    .await
    .map(|_| ())
}

/// The first successful call, once (a later one changes nothing).
pub async fn set_first_call(
    db: &mut PgConnection,
    user: Uuid,
    at: DateTime<Utc>,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE onboarding SET first_call_at = $2 WHERE user_id = $1 AND first_call_at IS NULL AND $2 >= started_at",
    )
    .bind(user)
    .bind(at)
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The first successful call of `application` through the gateway, seen by the gateway
/// itself when that application's owner waits for it in the wizard: its time (when
/// metering has not given it yet) and the first bytes of its answer.
pub async fn keep_first_answer(
    db: &mut PgConnection,
    application: Uuid,
    answer: &str,
    at: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE onboarding SET first_call_answer = $2, first_call_at = coalesce(first_call_at, $3)
         WHERE application_id = $1 AND first_call_answer IS NULL AND completed_at IS NULL AND $3 >= application_at",
    )
    .bind(application)
    .bind(answer)
    .bind(at)
    .execute(db)
    .await
    .map(|_| ())
}

/// The applications whose owners wait in the wizard for a first call (every tenant's).
pub async fn awaited(db: &mut PgConnection) -> Result<Vec<Uuid>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT application_id FROM onboarding
         WHERE application_id IS NOT NULL AND first_call_answer IS NULL AND completed_at IS NULL AND dismissed_at IS NULL",
    )
    .fetch_all(db)
    .await
}

/// Left (or restarted): dismissed hides the "Getting started" link.
pub async fn set_dismissed(
    db: &mut PgConnection,
    user: Uuid,
    at: Option<DateTime<Utc>>,
) -> Result<(), sqlx::Error> {
    // Taken up again after "Not now" (before any step): it starts now.
    sqlx::query(
        "UPDATE onboarding SET dismissed_at = $2,
             started_at = CASE WHEN $2 IS NULL AND dismissed_at IS NOT NULL AND use_case_at IS NULL
                               THEN now() ELSE started_at END,
             step_since = CASE WHEN $2 IS NULL AND dismissed_at IS NOT NULL AND use_case_at IS NULL
                               THEN now() ELSE step_since END
         WHERE user_id = $1",
    )
    .bind(user)
    .bind(at)
    .execute(db)
    .await
    .map(|_| ())
}

/// A call of the wizard's application through the gateway (not try-it), from metering.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct CallRow {
    pub at: DateTime<Utc>,
    pub http_status: Option<i16>,
    pub status: String,
    pub latency_ms: f64,
    pub tool_name: String,
}

/// The first successful call of `application` since `since`, and the latest call of
/// any outcome (the first when it succeeded).
pub async fn calls_since(
    db: &mut PgConnection,
    application: Uuid,
    since: DateTime<Utc>,
) -> Result<(Option<CallRow>, Option<CallRow>), sqlx::Error> {
    let first: Option<CallRow> = sqlx::query_as(
        "SELECT at, http_status, status, latency_ms, tool_name FROM metering_calls
         WHERE application_id = $1 AND at >= $2 AND NOT try_it AND status = 'success' ORDER BY at LIMIT 1",
    )
    .bind(application)
    .bind(since)
    .fetch_optional(&mut *db)
    .await?;
    let last: Option<CallRow> = sqlx::query_as(
        "SELECT at, http_status, status, latency_ms, tool_name FROM metering_calls
         WHERE application_id = $1 AND at >= $2 AND NOT try_it ORDER BY at DESC LIMIT 1",
    )
    .bind(application)
    .bind(since)
    .fetch_optional(db)
    .await?;
    Ok((first, last))
}

/// The wizard's application, if it is still the user's: name, client id, and whether
/// it has an API key the gateway accepts (not revoked nor expired).
pub async fn application(
    db: &mut PgConnection,
    owner: Uuid,
    id: Uuid,
) -> Result<Option<(String, String, bool)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT a.name, a.client_id, EXISTS (
             SELECT 1 FROM credentials c WHERE c.application_id = a.id AND c.kind = 'api_key'
             AND ((c.status = 'active' AND (c.expires_at IS NULL OR c.expires_at > now()))
                  OR (c.status = 'rotated' AND c.grace_until > now())))
         FROM applications a WHERE a.id = $1 AND a.owner_id = $2",
    )
    .bind(id)
    .bind(owner)
    .fetch_optional(db)
    .await
}

/// The wizard's subscription as it shows it.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct SubscriptionRow {
    pub id: Uuid,
    pub application_id: Uuid,
    pub kind: String,
    pub tenant_id: String,
    pub slug: String,
    pub name: String,
    pub plan: Option<String>,
    pub state: String,
    pub reason: Option<String>,
}

/// The subscription `id` of `subscriber`.
pub async fn subscription(
    db: &mut PgConnection,
    subscriber: Uuid,
    id: Uuid,
) -> Result<Option<SubscriptionRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT s.id, s.application_id, i.kind, i.tenant_id, i.slug, i.name, p.slug AS plan, s.state, s.reason
         FROM subscriptions s JOIN catalog_items i ON i.id = s.item_id LEFT JOIN plans p ON p.id = s.plan_id
         WHERE s.id = $1 AND s.subscriber_id = $2",
    )
    .bind(id)
    .bind(subscriber)
    .fetch_optional(db)
    .await
}

/// Removes the user's progress (restarting the wizard).
pub async fn delete(db: &mut PgConnection, user: Uuid) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM onboarding WHERE user_id = $1").bind(user).execute(db).await.map(|_| ())
}

/// Each user's tenant, furthest step and time to first call, of the users who started
/// in `from..to` (in `tenant`, or every tenant). Who left before choosing a use case
/// (the home page's "Not now") did not start.
pub async fn reached(
    db: &mut PgConnection,
    tenant: Option<&str>,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<Vec<(String, Reached)>, sqlx::Error> {
    // A first call seen by the gateway counts before the user came back to the wizard.
    let rows: Vec<(String, String, Option<f64>)> = sqlx::query_as(
        "SELECT tenant_id, CASE WHEN first_call_at IS NULL THEN step ELSE 'done' END,
                extract(epoch FROM first_call_at - started_at)::float8 FROM onboarding
         WHERE ($1::text IS NULL OR tenant_id = $1) AND started_at >= $2 AND started_at < $3
           AND NOT (use_case_at IS NULL AND dismissed_at IS NOT NULL)",
    )
    .bind(tenant)
    .bind(from)
    .bind(to)
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(tenant, step, seconds)| {
            let reached = Reached {
                step: Step::parse(&step).unwrap_or(Step::UseCase),
                first_call_seconds: seconds.map(|s| s.round() as i64),
            };
            (tenant, reached)
        })
        .collect())
}

/// A user stalled at a step.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct StalledRow {
    pub username: String,
    pub display_name: String,
    pub tenant_id: String,
    pub step: String,
    pub step_since: DateTime<Utc>,
}

/// The users who started in `from..to` and have been at a step (before the first call)
/// since before `before`, not having left the wizard: the longest stalled first, at most
/// `limit`, and how many in all.
pub async fn stalled(
    db: &mut PgConnection,
    tenant: Option<&str>,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    before: DateTime<Utc>,
    limit: i64,
) -> Result<(Vec<StalledRow>, i64), sqlx::Error> {
    const WHERE: &str = "($1::text IS NULL OR o.tenant_id = $1) AND o.started_at >= $2 AND o.started_at < $3
        AND o.step_since < $4 AND o.step <> 'done' AND o.first_call_at IS NULL AND o.dismissed_at IS NULL";
    let rows: Vec<StalledRow> = sqlx::query_as(&format!(
        "SELECT u.username, u.display_name, o.tenant_id, o.step, o.step_since
         FROM onboarding o JOIN users u ON u.id = o.user_id WHERE {WHERE}
         ORDER BY o.step_since, u.username LIMIT $5"
    ))
    .bind(tenant)
    .bind(from)
    .bind(to)
    .bind(before)
    .bind(limit)
    .fetch_all(&mut *db)
    .await?;
    let total: i64 = sqlx::query_scalar(&format!("SELECT count(*) FROM onboarding o WHERE {WHERE}"))
        .bind(tenant)
        .bind(from)
        .bind(to)
        .bind(before)
        .fetch_one(db)
        .await?;
    Ok((rows, total))
}

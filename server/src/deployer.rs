//! Deploys approved promotion requests once their time has come (DESIGN §5).
//!
//! With AWX configured, the job template is launched with `extra_vars` naming the request,
//! target and environments (→ `deploying` with the job id); a launch that fails is retried
//! with backoff, each attempt in the timeline, and after [`MAX_LAUNCH_ATTEMPTS`] the
//! request fails. AWX reports through `POST /webhooks/awx/job-complete` ([`job_complete`]);
//! the reconciler ([`reconcile`]) asks AWX about jobs whose report never came. Without AWX,
//! the built-in deployer applies the promotion to the catalog itself — the API version
//! becomes deployed in `prod` — through the same transitions: `start`, then `succeed` or
//! `fail` with the reason.

use app::awx::{outcome, Awx};
use app::domain::promotion::Action;
use app::state::AppState;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};
use sqlx::PgPool;

/// Who the history names for the built-in deployer.
pub const ACTOR: &str = "deployer";
/// Launches tried before a request fails.
pub const MAX_LAUNCH_ATTEMPTS: i32 = 5;
/// AWX's webhook path.
pub const WEBHOOK_PATH: &str = "/webhooks/awx/job-complete";

/// One pass over the requests due; returns how many were launched, deployed or failed.
pub async fn run_once(pool: &PgPool, awx: Option<&Awx>) -> Result<usize, app::error::AppError> {
    use app::service::promotions::{deploy_in_catalog, due_for_deployment, launch_failed, system_transition};
    let mut done = 0;
    for due in due_for_deployment(pool).await? {
        let id = due.id.as_str();
        let Some(awx) = awx else {
            if system_transition(pool, id, Action::Start, ACTOR, None, None).await?.is_none() {
                continue; // another replica took it
            }
            let (action, error) = match deploy_in_catalog(pool, id).await {
                Ok(()) => (Action::Succeed, None),
                Err(e) => (Action::Fail, Some(format!("built-in deployment failed: {e}"))),
            };
            system_transition(pool, id, action, ACTOR, None, error.as_deref()).await?;
            done += 1;
            continue;
        };
        let extra_vars = json!({
            "promotion_request": due.id, "tenant": due.tenant_id, "api": due.target_name,
            "version": due.target_version, "source_environment": "staging", "target_environment": "prod",
        });
        match awx.launch(&extra_vars).await {
            Ok(job) => {
                system_transition(pool, id, Action::Start, "awx", Some(job), None).await?;
                done += 1;
            }
            Err(e) => {
                tracing::warn!(request = %id, error = %e, "AWX launch failed");
                if launch_failed(pool, id, &e).await? >= MAX_LAUNCH_ATTEMPTS {
                    let why = format!("AWX launch failed {MAX_LAUNCH_ATTEMPTS} times: {e}");
                    system_transition(pool, id, Action::Fail, ACTOR, None, Some(&why)).await?;
                    done += 1;
                }
            }
        }
    }
    Ok(done)
}

/// Applies a finished job's status to its request; `true` when that changed something.
async fn apply(
    pool: &PgPool,
    id: &str,
    job: i64,
    status: &str,
    explanation: &str,
) -> Result<bool, app::error::AppError> {
    let Some(action) = outcome(status) else { return Ok(false) };
    let error = (action == Action::Fail).then(|| {
        if explanation.is_empty() {
            format!("AWX job {job} {status}")
        } else {
            format!("AWX job {job} {status}: {explanation}")
        }
    });
    let moved =
        app::service::promotions::system_transition(pool, id, action, "awx", Some(job), error.as_deref())
            .await?;
    Ok(moved.is_some())
}

/// Asks AWX about requests deploying for over `quiet` seconds; returns how many moved.
pub async fn reconcile(pool: &PgPool, awx: &Awx, quiet: i64) -> Result<usize, app::error::AppError> {
    let mut moved = 0;
    for (id, job) in app::service::promotions::deploying_jobs(pool, quiet).await? {
        match awx.job(job).await {
            Ok((status, explanation)) => {
                moved += usize::from(apply(pool, &id, job, &status, &explanation).await?)
            }
            Err(e) => tracing::warn!(request = %id, job, error = %e, "AWX job status unavailable"),
        }
    }
    Ok(moved)
}

/// `POST /webhooks/awx/job-complete`: AWX's notification (`id`, `status`, …), with the
/// shared secret as `Authorization: Bearer …`. The same job and status twice, a status
/// that would go backwards, or a job still running change nothing (200, `changed: false`).
pub async fn job_complete(State(state): State<AppState>, headers: HeaderMap, body: String) -> Response {
    let expected = state.config.awx.as_ref().and_then(|a| a.webhook_secret.clone());
    let presented = headers
        .get(axum::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim);
    let authentic = match (expected.as_deref(), presented) {
        (Some(want), Some(got)) => {
            use subtle::ConstantTimeEq;
            bool::from(want.as_bytes().ct_eq(got.as_bytes()))
        }
        _ => false,
    };
    if !authentic {
        tracing::info!("AWX webhook refused: wrong or missing secret");
        return app::error::AppError::Unauthorized.into_response();
    }
    let Ok(payload) = serde_json::from_str::<Value>(&body) else {
        return app::error::AppError::BadRequest.into_response();
    };
    let (Some(job), Some(status)) =
        (payload.get("id").and_then(Value::as_i64), payload.get("status").and_then(Value::as_str))
    else {
        return app::error::AppError::field("status", "required").into_response();
    };
    let explanation = payload.get("job_explanation").and_then(Value::as_str).unwrap_or_default();
    let result = async {
        let Some(id) = app::service::promotions::request_of_job(&state.pool, job).await? else {
            return Err(app::error::AppError::NotFound);
        };
        let changed = apply(&state.pool, &id, job, status, explanation).await?;
        Ok::<_, app::error::AppError>((id, changed))
    }
    .await;
    match result {
        Ok((id, changed)) => {
            (StatusCode::OK, Json(json!({ "request": id, "changed": changed }))).into_response()
        }
        Err(e) => e.into_response(),
    }
}

/// Runs the deployer (and, with AWX, the reconciler) every `period` until shutdown.
pub async fn run(
    pool: PgPool,
    awx: Option<Awx>,
    period: std::time::Duration,
    shutdown: tokio_util::sync::CancellationToken,
) {
    crate::every(period, shutdown, || async {
        if let Err(e) = run_once(&pool, awx.as_ref()).await {
            tracing::warn!(error = %e, "deployer pass failed");
        }
        if let Some(awx) = &awx {
            if let Err(e) = reconcile(&pool, awx, 60).await {
                tracing::warn!(error = %e, "AWX reconciliation failed");
            }
        }
    })
    .await
}

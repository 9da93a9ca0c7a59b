//! Deploys approved promotion requests once their time has come (DESIGN §5). Without AWX
//! configured, the built-in deployer applies the promotion to the catalog itself — the API
//! version becomes deployed in `prod` — and reports through the same transitions an AWX
//! job's would take: `start` (deploying), then `succeed` (deployed) or `fail` (failed,
//! with the reason).

use app::domain::promotion::Action;
use sqlx::PgPool;

/// Who the history names for the built-in deployer.
pub const ACTOR: &str = "deployer";

/// One pass over the requests due; returns how many were deployed or failed.
pub async fn run_once(pool: &PgPool) -> Result<usize, app::error::AppError> {
    let mut done = 0;
    for id in app::api::promotions::due_for_deployment(pool).await? {
        if app::api::promotions::system_transition(pool, &id, Action::Start, ACTOR, None, None)
            .await?
            .is_none()
        {
            continue; // another replica took it
        }
        let (action, error) = match app::api::promotions::deploy_in_catalog(pool, &id).await {
            Ok(()) => (Action::Succeed, None),
            Err(e) => (Action::Fail, Some(format!("built-in deployment failed: {e}"))),
        };
        app::api::promotions::system_transition(pool, &id, action, ACTOR, None, error.as_deref()).await?;
        done += 1;
    }
    Ok(done)
}

/// Runs [`run_once`] every `period` until shutdown.
pub async fn run(pool: PgPool, period: std::time::Duration, shutdown: tokio_util::sync::CancellationToken) {
    let mut tick = tokio::time::interval(period);
    loop {
        tokio::select! {
            _ = shutdown.cancelled() => return,
            _ = tick.tick() => if let Err(e) = run_once(&pool).await {
                tracing::warn!(error = %e, "deployer pass failed");
            },
        }
    }
}

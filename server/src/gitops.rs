//! The GitOps record (DESIGN §5): every transition of a promotion request becomes one
//! commit of `requests/prod/YYYY/MM/<id>.yaml` in a git repository, authored by whoever
//! made the transition. The repository is created under the data directory unless one
//! exists; with `GITOPS_REMOTE` set, commits are pushed there.
//!
//! Transitions queue their record in `gitops_outbox` in their own transaction; this
//! worker commits the queue in order and deletes what it committed. A failing commit
//! leaves the record queued (attempts and error noted) and stops the pass, so the next
//! pass retries it first: the transition stands, the record comes late, nothing is lost.
//!
//! Several replicas: one pass at a time holds a transaction-scoped advisory lock (the
//! others skip their turn), so the record stays one history in order. With a remote,
//! each pass first takes the remote's `main` as its start, and the queue rows are deleted
//! only once the push is accepted: a refused push leaves them queued, and the next pass
//! (on any replica) drops the unpushed local commits and makes them again, so the remote
//! gets every transition exactly once. Replicas need `GITOPS_REMOTE`; without it each
//! keeps the part of the record it wrote in its own data directory.

use app::db::scope::{self, Scope};
use serde::Serialize;
use sqlx::PgPool;
use std::path::{Path, PathBuf};
use tokio::process::Command;

/// Where the record lives.
#[derive(Clone, Debug)]
pub struct GitOps {
    pub dir: PathBuf,
    pub remote: Option<String>,
}

/// One queued record: the transition and the request as it is now.
#[derive(sqlx::FromRow)]
struct Queued {
    outbox_id: i64,
    request_id: String,
    tenant_id: String,
    actor: String,
    action: String,
    from_state: Option<String>,
    to_state: Option<String>,
    comment: Option<String>,
    job_id: Option<i64>,
    error: Option<String>,
    at: chrono::DateTime<chrono::Utc>,
    requester: String,
    target_type: String,
    target_name: String,
    target_version: String,
    justification: String,
    release_notes: String,
    impact: String,
    rollback_plan: String,
    scheduled_at: Option<chrono::DateTime<chrono::Utc>>,
    staging_tests_passed: bool,
    security_scan_passed: bool,
    performance_tests_passed: bool,
    evidence_url: Option<String>,
    created_at: chrono::DateTime<chrono::Utc>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Document<'a> {
    api_version: &'static str,
    kind: &'static str,
    metadata: Metadata<'a>,
    spec: Spec<'a>,
    status: Status<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Metadata<'a> {
    name: &'a str,
    tenant: &'a str,
    requester: &'a str,
    created_at: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Spec<'a> {
    target: Target<'a>,
    source_environment: &'static str,
    target_environment: &'static str,
    justification: &'a str,
    release_notes: &'a str,
    impact: &'a str,
    rollback_plan: &'a str,
    scheduled_at: Option<String>,
    pre_checks: PreChecks<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Target<'a> {
    #[serde(rename = "type")]
    kind: &'a str,
    name: &'a str,
    version: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PreChecks<'a> {
    staging_tests_passed: bool,
    security_scan_passed: bool,
    performance_tests_passed: bool,
    evidence_url: Option<&'a str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Status<'a> {
    state: &'a str,
    last_transition: Transition<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Transition<'a> {
    action: &'a str,
    actor: &'a str,
    at: String,
    from: Option<&'a str>,
    comment: Option<&'a str>,
    job_id: Option<i64>,
    error: Option<&'a str>,
}

impl Queued {
    /// The request's path in the repository.
    fn path(&self) -> String {
        format!("requests/prod/{}/{}.yaml", self.created_at.format("%Y/%m"), self.request_id)
    }

    /// The request's YAML as of this transition.
    fn yaml(&self) -> Result<String, String> {
        let doc = Document {
            api_version: "gostoa.dev/v1",
            kind: "PromotionRequest",
            metadata: Metadata {
                name: &self.request_id,
                tenant: &self.tenant_id,
                requester: &self.requester,
                created_at: app::db::rfc3339(self.created_at),
            },
            spec: Spec {
                target: Target {
                    kind: &self.target_type,
                    name: &self.target_name,
                    version: &self.target_version,
                },
                source_environment: "staging",
                target_environment: "prod",
                justification: &self.justification,
                release_notes: &self.release_notes,
                impact: &self.impact,
                rollback_plan: &self.rollback_plan,
                scheduled_at: self.scheduled_at.map(app::db::rfc3339),
                pre_checks: PreChecks {
                    staging_tests_passed: self.staging_tests_passed,
                    security_scan_passed: self.security_scan_passed,
                    performance_tests_passed: self.performance_tests_passed,
                    evidence_url: self.evidence_url.as_deref(),
                },
            },
            status: Status {
                state: self.to_state.as_deref().or(self.from_state.as_deref()).unwrap_or("pending"),
                last_transition: Transition {
                    action: &self.action,
                    actor: &self.actor,
                    at: app::db::rfc3339(self.at),
                    from: self.from_state.as_deref(),
                    comment: self.comment.as_deref(),
                    job_id: self.job_id,
                    error: self.error.as_deref(),
                },
            },
        };
        serde_norway::to_string(&doc).map_err(|e| e.to_string())
    }
}

async fn git(dir: &Path, args: &[&str]) -> Result<String, String> {
    let out = Command::new("git")
        .current_dir(dir)
        .args(args)
        .env("GIT_TERMINAL_PROMPT", "0")
        // git's automatic housekeeping in the foreground: left detached, it still held
        // HEAD.lock when the next pass committed (seen once in the soak, retried).
        .env("GIT_CONFIG_COUNT", "1")
        .env("GIT_CONFIG_KEY_0", "gc.autoDetach")
        .env("GIT_CONFIG_VALUE_0", "false")
        .output()
        .await
        .map_err(|e| format!("git {}: {e}", args.first().unwrap_or(&"")))?;
    if out.status.success() {
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    } else {
        Err(format!("git {}: {}", args.first().unwrap_or(&""), String::from_utf8_lossy(&out.stderr).trim()))
    }
}

impl GitOps {
    /// Creates the repository (branch `main`) unless it exists.
    pub async fn ensure_repository(&self) -> Result<(), String> {
        if self.dir.join(".git").exists() {
            return Ok(());
        }
        tokio::fs::create_dir_all(&self.dir).await.map_err(|e| format!("{}: {e}", self.dir.display()))?;
        git(&self.dir, &["init", "--quiet", "--initial-branch=main"]).await?;
        if let Some(remote) = &self.remote {
            git(&self.dir, &["remote", "add", "origin", remote]).await?;
        }
        Ok(())
    }

    /// Commits one record, authored by its actor.
    async fn commit(&self, q: &Queued) -> Result<(), String> {
        let path = q.path();
        let file = self.dir.join(&path);
        if let Some(parent) = file.parent() {
            tokio::fs::create_dir_all(parent).await.map_err(|e| format!("{}: {e}", parent.display()))?;
        }
        tokio::fs::write(&file, q.yaml()?).await.map_err(|e| format!("{}: {e}", file.display()))?;
        git(&self.dir, &["add", "--", &path]).await?;
        let author = format!("{} <{}@users.stoa.local>", q.actor, q.actor);
        let message = match (&q.from_state, &q.to_state) {
            (Some(from), Some(to)) if from != to => format!("{}: {} ({from} → {to})", q.request_id, q.action),
            _ => format!("{}: {}", q.request_id, q.action),
        };
        git(
            &self.dir,
            &[
                "-c",
                "user.name=STOA",
                "-c",
                "user.email=gitops@stoa.local",
                "commit",
                "--quiet",
                "--allow-empty",
                "--author",
                &author,
                "-m",
                &message,
            ],
        )
        .await?;
        Ok(())
    }

    /// With a remote: starts from the remote's `main`, dropping local commits it lacks
    /// (they are still queued, and are made again). The remote being away fails the pass.
    async fn take_remote(&self) -> Result<(), String> {
        if self.remote.is_none() {
            return Ok(());
        }
        git(&self.dir, &["fetch", "--quiet", "origin"]).await?;
        if git(&self.dir, &["rev-parse", "--verify", "--quiet", "refs/remotes/origin/main"]).await.is_ok() {
            git(&self.dir, &["reset", "--hard", "--quiet", "refs/remotes/origin/main"]).await?;
        } else if git(&self.dir, &["rev-parse", "--verify", "--quiet", "HEAD"]).await.is_ok() {
            // An empty remote and local commits it never accepted: start over.
            tokio::fs::remove_dir_all(&self.dir).await.map_err(|e| format!("{}: {e}", self.dir.display()))?;
            self.ensure_repository().await?;
        }
        Ok(())
    }

    /// Commits the queue in order; returns how many records were committed. Stops at the
    /// first failure (noted on the record) so that order is kept. Returns 0 at once when
    /// another replica's pass is running.
    pub async fn drain_once(&self, pool: &PgPool) -> Result<usize, String> {
        self.ensure_repository().await?;
        let mut tx = scope::begin(pool, Scope::Platform).await.map_err(|e| e.to_string())?;
        let ours: bool = sqlx::query_scalar("SELECT pg_try_advisory_xact_lock(hashtext('stoa.gitops'))")
            .fetch_one(&mut *tx)
            .await
            .map_err(|e| e.to_string())?;
        if !ours {
            return Ok(0);
        }
        self.take_remote().await?;
        let queued: Vec<Queued> = sqlx::query_as(
            "SELECT o.id AS outbox_id, h.request_id, h.tenant_id, h.actor, h.action, h.from_state, h.to_state,
                    h.comment, h.job_id, h.error, h.at, u.display_name AS requester, r.target_type, r.target_name,
                    r.target_version, r.justification, r.release_notes, r.impact, r.rollback_plan, r.scheduled_at,
                    r.staging_tests_passed, r.security_scan_passed, r.performance_tests_passed, r.evidence_url,
                    r.created_at
             FROM gitops_outbox o JOIN promotion_history h ON h.id = o.history_id
             JOIN promotion_requests r ON r.id = h.request_id JOIN users u ON u.id = r.requester_id
             ORDER BY o.id LIMIT 100 FOR UPDATE OF o SKIP LOCKED",
        )
        .fetch_all(&mut *tx)
        .await
        .map_err(|e| e.to_string())?;
        let mut done = 0;
        for q in &queued {
            match self.commit(q).await {
                Ok(()) => {
                    sqlx::query("DELETE FROM gitops_outbox WHERE id = $1")
                        .bind(q.outbox_id)
                        .execute(&mut *tx)
                        .await
                        .map_err(|e| e.to_string())?;
                    done += 1;
                }
                Err(e) => {
                    tracing::warn!(request = %q.request_id, error = %e, "GitOps commit failed; will retry");
                    sqlx::query(
                        "UPDATE gitops_outbox SET attempts = attempts + 1, last_error = $2 WHERE id = $1",
                    )
                    .bind(q.outbox_id)
                    .bind(&e)
                    .execute(&mut *tx)
                    .await
                    .map_err(|e| e.to_string())?;
                    break;
                }
            }
        }
        if done > 0 && self.remote.is_some() {
            // Refused or unreachable: the transaction rolls back, the records stay queued.
            git(&self.dir, &["push", "--quiet", "origin", "main"])
                .await
                .map_err(|e| format!("{e}; the records stay queued for the next pass"))?;
        }
        tx.commit().await.map_err(|e| e.to_string())?;
        Ok(done)
    }

    /// Drains the queue every `period` until shutdown.
    pub async fn run(
        self,
        pool: PgPool,
        period: std::time::Duration,
        shutdown: tokio_util::sync::CancellationToken,
    ) {
        crate::every(period, shutdown, || async {
            if let Err(e) = self.drain_once(&pool).await {
                tracing::warn!(error = %e, "GitOps pass failed");
            }
        })
        .await
    }
}

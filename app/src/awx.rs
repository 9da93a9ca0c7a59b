//! The AWX / Ansible Tower client (DESIGN §5): launch the promotion job template and read
//! a job's status — the two calls of AWX's REST API (`/api/v2/`) the deployment needs.

use crate::config::AwxConfig;
use crate::domain::promotion::Action;
use serde_json::Value;
use std::time::Duration;

/// What STOA needs of AWX.
#[derive(Clone, Debug)]
pub struct Awx {
    http: reqwest::Client,
    config: AwxConfig,
}

/// What a finished job means for a request: `succeed`, or `fail` with AWX's status; a job
/// still running (`new`, `pending`, `waiting`, `running`) means nothing yet.
pub fn outcome(status: &str) -> Option<Action> {
    match status {
        "successful" => Some(Action::Succeed),
        "failed" | "error" | "canceled" => Some(Action::Fail),
        _ => None,
    }
}

impl Awx {
    pub fn new(config: AwxConfig) -> Awx {
        let http = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(3))
            .timeout(Duration::from_secs(15))
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap_or_default();
        Awx { http, config }
    }

    /// The webhook's shared secret, when one is configured.
    pub fn webhook_secret(&self) -> Option<&str> {
        self.config.webhook_secret.as_deref()
    }

    fn url(&self, path: &str) -> String {
        format!("{}/api/v2/{path}", self.config.url.trim_end_matches('/'))
    }

    /// `POST /api/v2/job_templates/{id}/launch/` with `extra_vars`; the job's id.
    pub async fn launch(&self, extra_vars: &Value) -> Result<i64, String> {
        let url = self.url(&format!("job_templates/{}/launch/", self.config.job_template_id));
        let res = self
            .http
            .post(&url)
            .bearer_auth(&self.config.token)
            .json(&serde_json::json!({ "extra_vars": extra_vars }))
            .send()
            .await
            .map_err(|e| format!("AWX unreachable: {e}"))?;
        let status = res.status();
        if !status.is_success() {
            return Err(format!("AWX refused the launch: HTTP {}", status.as_u16()));
        }
        let body: Value =
            res.json().await.map_err(|e| format!("AWX answered something else than JSON: {e}"))?;
        body.get("job")
            .or_else(|| body.get("id"))
            .and_then(Value::as_i64)
            .ok_or_else(|| "AWX answered no job id".into())
    }

    /// `GET /api/v2/jobs/{id}/`: the job's status and AWX's explanation.
    pub async fn job(&self, job: i64) -> Result<(String, String), String> {
        let res = self
            .http
            .get(self.url(&format!("jobs/{job}/")))
            .bearer_auth(&self.config.token)
            .send()
            .await
            .map_err(|e| format!("AWX unreachable: {e}"))?;
        if !res.status().is_success() {
            return Err(format!("AWX job {job}: HTTP {}", res.status().as_u16()));
        }
        let body: Value = res.json().await.map_err(|e| format!("AWX job {job}: {e}"))?;
        let status = body.get("status").and_then(Value::as_str).unwrap_or_default().to_owned();
        let explanation = body.get("job_explanation").and_then(Value::as_str).unwrap_or_default().to_owned();
        Ok((status, explanation))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_finished_jobs_move_a_request() {
        assert_eq!(outcome("successful"), Some(Action::Succeed));
        for failed in ["failed", "error", "canceled"] {
            assert_eq!(outcome(failed), Some(Action::Fail));
        }
        for running in ["new", "pending", "waiting", "running", ""] {
            assert_eq!(outcome(running), None);
        }
    }
}

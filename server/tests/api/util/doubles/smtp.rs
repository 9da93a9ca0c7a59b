//! A real SMTP server (npm `smtp-server`, `end2end/smtp/sink.mjs`) that keeps every
//! message it receives as a JSON line.

use serde_json::Value;
use std::time::Duration;

/// The sink, running (stopped when dropped): its port and what it received.
pub struct SmtpSink {
    /// Held for its `kill_on_drop`.
    _child: tokio::process::Child,
    file: std::path::PathBuf,
    pub port: u16,
}

impl SmtpSink {
    pub async fn start() -> SmtpSink {
        let port =
            std::net::TcpListener::bind("127.0.0.1:0").expect("bind").local_addr().expect("addr").port();
        let file = std::env::temp_dir().join(format!("stoa-smtp-{}.jsonl", uuid::Uuid::new_v4()));
        let child = tokio::process::Command::new("node")
            .arg("../end2end/smtp/sink.mjs")
            .env("SMTP_PORT", port.to_string())
            .env("SMTP_SINK_FILE", &file)
            .stdout(std::process::Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .expect("node runs the SMTP sink (make test installs smtp-server)");
        let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
        while tokio::net::TcpStream::connect(("127.0.0.1", port)).await.is_err() {
            assert!(tokio::time::Instant::now() < deadline, "the SMTP sink did not listen");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        SmtpSink { _child: child, file, port }
    }

    pub fn received(&self) -> Vec<Value> {
        std::fs::read_to_string(&self.file)
            .unwrap_or_default()
            .lines()
            .map(|l| serde_json::from_str(l).expect("json line"))
            .collect()
    }
}

impl Drop for SmtpSink {
    /// The process stops with it (`kill_on_drop`); its file goes too.
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.file);
    }
}

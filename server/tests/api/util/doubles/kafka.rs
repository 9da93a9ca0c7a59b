//! A real Kafka-protocol broker (tansu) on a port of its own, stored in a SQLite file so
//! that a restart is a restart.

use crate::util::free_port;
use app::config::KafkaConfig;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;
use tokio::process::{Child, Command};
use uuid::Uuid;

/// A tansu broker process on a port of its own.
pub struct Broker {
    child: Child,
}

fn tansu() -> PathBuf {
    let home = std::env::var("HOME").unwrap_or_default();
    let cargo_bin = PathBuf::from(home).join(".cargo/bin/tansu");
    if cargo_bin.exists() {
        cargo_bin
    } else {
        PathBuf::from("tansu")
    }
}

impl Broker {
    /// Starts tansu in `dir`, storing everything in `dir/tansu.db` (tansu resolves a
    /// SQLite path against its working directory).
    pub async fn start(port: u16, dir: &Path) -> Broker {
        let url = format!("tcp://127.0.0.1:{port}");
        let log =
            std::fs::OpenOptions::new().create(true).append(true).open(dir.join("broker.log")).expect("log");
        let child = Command::new(tansu())
            .arg("broker")
            .args(["--listener-url", &url, "--advertised-listener-url", &url])
            .args(["--storage-engine", "sqlite://tansu.db"])
            .current_dir(dir)
            .stdout(Stdio::null())
            .stderr(log)
            .kill_on_drop(true)
            .spawn()
            .expect("tansu starts (make test installs it)");
        // Ready when it accepts connections.
        let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
        while tokio::net::TcpStream::connect(("127.0.0.1", port)).await.is_err() {
            assert!(tokio::time::Instant::now() < deadline, "tansu did not listen on {port}");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        Broker { child }
    }

    pub async fn stop(mut self) {
        self.child.kill().await.expect("kill tansu");
    }
}

/// A broker on a free port with its storage in a fresh directory, and the settings of a
/// new consumer group for it: (broker, directory, port, settings).
pub async fn fresh_broker() -> (Broker, PathBuf, u16, KafkaConfig) {
    let dir = std::env::temp_dir().join(format!("stoa-tansu-{}", Uuid::new_v4()));
    std::fs::create_dir_all(&dir).expect("broker dir");
    let port = free_port();
    let broker = Broker::start(port, &dir).await;
    let cfg =
        KafkaConfig { brokers: format!("127.0.0.1:{port}"), group_id: format!("test-{}", Uuid::new_v4()) };
    (broker, dir, port, cfg)
}

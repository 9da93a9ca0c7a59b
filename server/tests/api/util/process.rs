//! The processes a test starts: another replica (`server serve`), a Postgres of its
//! own, and what they need — free ports, the test database's URL, readiness.

use sqlx::PgPool;

/// Another replica: `server serve` on the test's database, with `env` on top, its data in
/// `data_dir`; (the process, killed when dropped; its base URL).
pub fn server_process(
    pool: &PgPool,
    data_dir: &std::path::Path,
    env: &[(&str, &str)],
) -> (KillOnDrop, String) {
    server_process_at(&database_url(pool), data_dir, env)
}

/// The URL of the test's own database (`sqlx::test` makes one per test).
pub fn database_url(pool: &PgPool) -> String {
    let database = pool.connect_options().get_database().expect("database").to_owned();
    let base = std::env::var("DATABASE_URL").expect("DATABASE_URL");
    format!("{}/{database}", base.rsplit_once('/').expect("url").0)
}

/// `server serve` on the database at `url`, as [`server_process`] does.
pub fn server_process_at(
    url: &str,
    data_dir: &std::path::Path,
    env: &[(&str, &str)],
) -> (KillOnDrop, String) {
    let port = free_port();
    let child = std::process::Command::new(env!("CARGO_BIN_EXE_server"))
        .arg("serve")
        .env("DATABASE_URL", url)
        .env("PORT", port.to_string())
        .env("RUST_LOG", "warn")
        .env("DATA_DIR", data_dir)
        .envs(env.iter().copied())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .map(KillOnDrop)
        .expect("server starts");
    (child, format!("http://127.0.0.1:{port}"))
}

/// Waits until `base`/readyz answers 2xx (up to 60 s).
pub async fn wait_ready(http: &reqwest::Client, base: &str) {
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(60);
    while !http.get(format!("{base}/readyz")).send().await.is_ok_and(|r| r.status().is_success()) {
        assert!(tokio::time::Instant::now() < deadline, "{base} did not become ready");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

/// A child process that a failing test does not leave running.
pub struct KillOnDrop(pub std::process::Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").expect("bind").local_addr().expect("addr").port()
}

/// A Postgres cluster of the test's own on a free port (`scripts/pg.sh` with
/// `STOA_PG_DIR`), so that stopping it touches no other test; removed when dropped.
pub struct OwnPostgres {
    pub dir: std::path::PathBuf,
    pub port: u16,
}

impl OwnPostgres {
    pub fn pg(&self, command: &str) {
        let status = std::process::Command::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../scripts/pg.sh"))
            .arg(command)
            .env("STOA_PG_DIR", &self.dir)
            .env("STOA_PG_PORT", self.port.to_string())
            .status()
            .expect("pg.sh");
        assert!(status.success(), "pg.sh {command}");
    }

    pub fn url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/stoa", self.port)
    }
}

impl Drop for OwnPostgres {
    fn drop(&mut self) {
        self.pg("stop");
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

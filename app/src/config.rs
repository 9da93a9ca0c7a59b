//! The server's configuration: one typed value read from the environment at startup.
//! A bad value stops the server with a message naming the variable and what it expects.

use std::fmt;
use std::path::PathBuf;

/// How logs are written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LogFormat {
    /// Readable lines for a terminal (default).
    Human,
    /// One JSON object per line, for log shippers.
    Json,
}

/// OpenID Connect client settings.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OidcConfig {
    pub issuer_url: String,
    pub client_id: String,
    pub client_secret: Option<String>,
    /// The `aud` bearer access tokens must carry (`OIDC_AUDIENCE`, default the client id).
    pub audience: Option<String>,
}

impl OidcConfig {
    /// The audience bearer tokens must be issued for.
    pub fn audience(&self) -> &str {
        self.audience.as_deref().unwrap_or(&self.client_id)
    }
}

/// AWX / Ansible Tower settings (used by the ITSM issue).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AwxConfig {
    pub url: String,
    pub token: String,
    pub job_template_id: i64,
    pub webhook_secret: Option<String>,
}

/// Kafka settings; absent = embedded mode (events go straight to in-process consumers).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KafkaConfig {
    pub brokers: String,
    pub group_id: String,
}

/// Metering: where call events go and how long raw calls are kept.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MeteringConfig {
    /// `METERING_TOPIC` (default `stoa.metering`): read by the ingest, written by our gateway.
    pub topic: String,
    /// `METERING_RAW_DAYS` (default 7, 1-90): days of raw calls kept.
    pub raw_days: u32,
    /// `METERING_BUFFER` (default 100 000): events held while the broker is away; more
    /// are dropped and counted.
    pub buffer: usize,
}

/// The gateway under `/gw`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GatewayConfig {
    /// `GATEWAY_ENVIRONMENT` (default `prod`): the deployments it calls.
    pub environment: String,
    /// `GATEWAY_TIMEOUT_SECS` (default 15, 1-300): longest wait for an upstream's answer.
    pub timeout_secs: u64,
    /// `GATEWAY_PORT` (default none): a listener of its own for the gateway, on `HOST`, so
    /// that upstreams' answers come from another origin than the portal's pages.
    pub port: Option<u16>,
    /// `GATEWAY_PUBLIC_URL` (default `http://HOST:GATEWAY_PORT` with a port, else
    /// `PUBLIC_URL`): where callers reach the gateway; `/gw/…` is under it.
    pub public_url: String,
}

impl GatewayConfig {
    /// Whether the gateway answers from the portal's own origin (no listener of its own):
    /// then its answers are sandboxed and never set cookies.
    pub fn shares_portal_origin(&self, portal_url: &str) -> bool {
        origin(&self.public_url) == origin(portal_url)
    }
}

/// `scheme://host[:port]` of an http(s) URL.
fn origin(url: &str) -> &str {
    let after_scheme = url.find("://").map(|i| i + 3).unwrap_or(0);
    match url[after_scheme..].find('/') {
        Some(i) => &url[..after_scheme + i],
        None => url,
    }
}

/// Everything the server reads from its environment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Config {
    pub host: String,
    pub port: u16,
    pub database_url: String,
    pub database_max_connections: u32,
    pub public_url: String,
    pub site_root: PathBuf,
    pub data_dir: PathBuf,
    pub kafka: Option<KafkaConfig>,
    pub oidc: Option<OidcConfig>,
    /// Username + password sign-in: on without an identity provider, or `LOCAL_ACCOUNTS=on`.
    pub local_accounts: bool,
    pub smtp_url: Option<String>,
    pub awx: Option<AwxConfig>,
    pub log_format: LogFormat,
    /// Networks the try-it proxy may reach although they are private (loopback, RFC 1918,
    /// link-local…): none by default. For a lab where the APIs run on such addresses, and
    /// for the tests' upstream on 127.0.0.1.
    pub try_it_allowed_networks: Vec<ipnet::IpNet>,
    /// Where the GitOps record of promotion requests is pushed (none: a local repository
    /// under the data directory only).
    pub gitops_remote: Option<String>,
    pub metering: MeteringConfig,
    pub gateway: GatewayConfig,
    /// Unknown keys `POST /v1/keys/verify` looks up per caller's address and minute
    /// (`KEY_VERIFY_UNKNOWN_PER_MINUTE`, 300; 0 = no limit); past it, 429.
    pub unknown_keys_per_minute: u32,
    /// `DEMO` (default `on`): the demo tenant's live backends under `/demo-backends`.
    pub demo: bool,
    /// `DEMO_RESET_SCHEDULE` (cron, UTC; default `0 4 * * *`; `off`: none): when the demo
    /// tenant is reset to its dataset.
    pub demo_reset_schedule: Option<crate::domain::demo::schedule::Schedule>,
    /// `DEMO_TRAFFIC` (default `off`; `make run` turns it on): a light live trickle of the
    /// demo consumers' calls through the gateway.
    pub demo_traffic: bool,
}

/// A variable with a value we cannot use.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigError {
    pub var: &'static str,
    pub problem: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "configuration error: {}: {}", self.var, self.problem)
    }
}

impl std::error::Error for ConfigError {}

fn err(var: &'static str, problem: impl Into<String>) -> ConfigError {
    ConfigError { var, problem: problem.into() }
}

fn http_url(var: &'static str, value: String) -> Result<String, ConfigError> {
    let ok = ["http://", "https://"]
        .iter()
        .any(|scheme| value.strip_prefix(scheme).is_some_and(|rest| !rest.is_empty() && !rest.contains(' ')));
    if ok {
        Ok(value.trim_end_matches('/').to_owned())
    } else {
        Err(err(var, format!("`{value}` is not an http(s) URL")))
    }
}

impl Config {
    /// Reads the process environment.
    pub fn from_env() -> Result<Config, ConfigError> {
        Config::from_lookup(|k| std::env::var(k).ok())
    }

    /// Reads configuration through `get` (the environment in production, a map in tests).
    /// Empty values count as unset.
    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Result<Config, ConfigError> {
        let get = |k: &str| get(k).map(|v| v.trim().to_owned()).filter(|v| !v.is_empty());

        let port = match get("PORT") {
            None => 3000,
            Some(v) => v
                .parse::<u16>()
                .ok()
                .filter(|p| *p > 0)
                .ok_or_else(|| err("PORT", format!("`{v}` is not a port number (1-65535)")))?,
        };
        let host = get("HOST").unwrap_or_else(|| "127.0.0.1".to_owned());
        if host.parse::<std::net::IpAddr>().is_err() {
            return Err(err("HOST", format!("`{host}` is not an IP address")));
        }
        let database_url = get("DATABASE_URL")
            .ok_or_else(|| err("DATABASE_URL", "is required (postgres://user@host:port/db)"))?;
        if !(database_url.starts_with("postgres://") || database_url.starts_with("postgresql://")) {
            return Err(err("DATABASE_URL", "must start with postgres:// or postgresql://"));
        }
        let database_max_connections =
            match get("DATABASE_MAX_CONNECTIONS") {
                None => 10,
                Some(v) => v.parse::<u32>().ok().filter(|n| (1..=1000).contains(n)).ok_or_else(|| {
                    err("DATABASE_MAX_CONNECTIONS", format!("`{v}` is not a number in 1-1000"))
                })?,
            };
        let public_url = match get("PUBLIC_URL") {
            None => format!("http://{host}:{port}"),
            Some(v) => http_url("PUBLIC_URL", v)?,
        };
        let kafka = get("KAFKA_BROKERS").map(|brokers| KafkaConfig {
            brokers,
            group_id: get("KAFKA_GROUP_ID").unwrap_or_else(|| "stoa-portal".to_owned()),
        });
        let oidc = match get("OIDC_ISSUER_URL") {
            None => None,
            Some(issuer) => Some(OidcConfig {
                issuer_url: http_url("OIDC_ISSUER_URL", issuer)?,
                client_id: get("OIDC_CLIENT_ID")
                    .ok_or_else(|| err("OIDC_CLIENT_ID", "is required when OIDC_ISSUER_URL is set"))?,
                client_secret: get("OIDC_CLIENT_SECRET"),
                audience: get("OIDC_AUDIENCE"),
            }),
        };
        let local_accounts = match get("LOCAL_ACCOUNTS").as_deref() {
            None => oidc.is_none(),
            Some("on") => true,
            Some("off") if oidc.is_some() => false,
            Some("off") => return Err(err("LOCAL_ACCOUNTS", "cannot be `off` without OIDC_ISSUER_URL")),
            Some(other) => return Err(err("LOCAL_ACCOUNTS", format!("`{other}` is neither `on` nor `off`"))),
        };
        let smtp_url = match get("SMTP_URL") {
            Some(v) if !(v.starts_with("smtp://") || v.starts_with("smtps://")) => {
                return Err(err("SMTP_URL", "must start with smtp:// or smtps://"));
            }
            other => other,
        };
        let awx = match get("AWX_URL") {
            None => None,
            Some(url) => Some(AwxConfig {
                url: http_url("AWX_URL", url)?,
                token: get("AWX_TOKEN").ok_or_else(|| err("AWX_TOKEN", "is required when AWX_URL is set"))?,
                job_template_id: {
                    let v = get("AWX_JOB_TEMPLATE_ID")
                        .ok_or_else(|| err("AWX_JOB_TEMPLATE_ID", "is required when AWX_URL is set"))?;
                    v.parse::<i64>().ok().filter(|n| *n > 0).ok_or_else(|| {
                        err("AWX_JOB_TEMPLATE_ID", format!("`{v}` is not a positive integer"))
                    })?
                },
                webhook_secret: get("AWX_WEBHOOK_SECRET"),
            }),
        };
        let log_format = match get("LOG_FORMAT").as_deref() {
            None | Some("human") => LogFormat::Human,
            Some("json") => LogFormat::Json,
            Some(other) => return Err(err("LOG_FORMAT", format!("`{other}` is neither `human` nor `json`"))),
        };
        let mut try_it_allowed_networks = Vec::new();
        for net in get("TRY_IT_ALLOWED_NETWORKS").unwrap_or_default().split(',').map(str::trim) {
            if net.is_empty() {
                continue;
            }
            let parsed = net
                .parse::<ipnet::IpNet>()
                .or_else(|_| net.parse::<std::net::IpAddr>().map(ipnet::IpNet::from))
                .map_err(|_| {
                    err("TRY_IT_ALLOWED_NETWORKS", format!("`{net}` is not an address or a CIDR network"))
                })?;
            try_it_allowed_networks.push(parsed);
        }
        let number = |var: &'static str, default: u64, range: std::ops::RangeInclusive<u64>| match get(var) {
            None => Ok(default),
            Some(v) => v.parse::<u64>().ok().filter(|n| range.contains(n)).ok_or_else(|| {
                err(var, format!("`{v}` is not a number in {}-{}", range.start(), range.end()))
            }),
        };
        let metering = MeteringConfig {
            topic: get("METERING_TOPIC").unwrap_or_else(|| "stoa.metering".to_owned()),
            raw_days: number("METERING_RAW_DAYS", 7, 1..=90)? as u32,
            buffer: number("METERING_BUFFER", 100_000, 100..=10_000_000)? as usize,
        };
        let environment = get("GATEWAY_ENVIRONMENT").unwrap_or_else(|| "prod".to_owned());
        if !matches!(environment.as_str(), "dev" | "staging" | "prod") {
            return Err(err("GATEWAY_ENVIRONMENT", format!("`{environment}` is not dev, staging or prod")));
        }
        let gateway_port = match get("GATEWAY_PORT") {
            None => None,
            Some(v) => Some(v.parse::<u16>().ok().filter(|p| *p > 0 && *p != port).ok_or_else(|| {
                err("GATEWAY_PORT", format!("`{v}` is not a port number (1-65535) other than PORT"))
            })?),
        };
        let gateway_public_url = match (get("GATEWAY_PUBLIC_URL"), gateway_port) {
            (Some(v), _) => http_url("GATEWAY_PUBLIC_URL", v)?,
            (None, Some(p)) => format!("http://{host}:{p}"),
            (None, None) => public_url.clone(),
        };
        let gateway = GatewayConfig {
            environment,
            timeout_secs: number("GATEWAY_TIMEOUT_SECS", 15, 1..=300)?,
            port: gateway_port,
            public_url: gateway_public_url,
        };
        let unknown_keys_per_minute = number("KEY_VERIFY_UNKNOWN_PER_MINUTE", 300, 0..=1_000_000)? as u32;
        let demo = match get("DEMO").as_deref() {
            None | Some("on") => true,
            Some("off") => false,
            Some(other) => return Err(err("DEMO", format!("`{other}` is neither `on` nor `off`"))),
        };
        let demo_reset_schedule = match get("DEMO_RESET_SCHEDULE").as_deref() {
            Some("off") => None,
            text => Some(
                crate::domain::demo::schedule::Schedule::parse(text.unwrap_or("0 4 * * *"))
                    .map_err(|e| err("DEMO_RESET_SCHEDULE", e))?,
            ),
        };
        let demo_traffic = match get("DEMO_TRAFFIC").as_deref() {
            None | Some("off") => false,
            Some("on") => true,
            Some(other) => return Err(err("DEMO_TRAFFIC", format!("`{other}` is neither `on` nor `off`"))),
        };
        Ok(Config {
            demo,
            demo_reset_schedule,
            demo_traffic,
            metering,
            gateway,
            unknown_keys_per_minute,
            gitops_remote: get("GITOPS_REMOTE").filter(|r| !r.trim().is_empty()),
            try_it_allowed_networks,
            host,
            port,
            database_url,
            database_max_connections,
            public_url,
            site_root: get("LEPTOS_SITE_ROOT").unwrap_or_else(|| "target/site".to_owned()).into(),
            data_dir: get("DATA_DIR").unwrap_or_else(|| "target/data".to_owned()).into(),
            kafka,
            oidc,
            local_accounts,
            smtp_url,
            awx,
            log_format,
        })
    }

    /// Whether cookies must carry `Secure` (the public URL is https).
    pub fn secure_cookies(&self) -> bool {
        self.public_url.starts_with("https://")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn load(pairs: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let mut map: HashMap<String, String> = [("DATABASE_URL", "postgres://u@127.0.0.1:5433/stoa")]
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        for (k, v) in pairs {
            map.insert(k.to_string(), v.to_string());
        }
        Config::from_lookup(|k| map.get(k).cloned())
    }

    #[test]
    fn defaults_are_sensible() {
        let c = load(&[]).expect("valid");
        assert_eq!(c.port, 3000);
        assert_eq!(c.public_url, "http://127.0.0.1:3000");
        assert_eq!(c.kafka, None);
        assert_eq!(c.log_format, LogFormat::Human);
        assert!(!c.secure_cookies());
        assert_eq!(c.metering.topic, "stoa.metering");
        assert_eq!(c.metering.raw_days, 7);
        assert_eq!(c.gateway.environment, "prod");
    }

    #[test]
    fn bad_values_name_the_variable() {
        let cases: &[(&[(&str, &str)], &str)] = &[
            (&[("PORT", "http")], "PORT"),
            (&[("PORT", "70000")], "PORT"),
            (&[("DATABASE_URL", "")], "DATABASE_URL"),
            (&[("DATABASE_URL", "mysql://x")], "DATABASE_URL"),
            (&[("PUBLIC_URL", "portal.example")], "PUBLIC_URL"),
            (&[("OIDC_ISSUER_URL", "https://id.example/realms/stoa")], "OIDC_CLIENT_ID"),
            (&[("SMTP_URL", "mail.example")], "SMTP_URL"),
            (
                &[("AWX_URL", "https://awx"), ("AWX_TOKEN", "t"), ("AWX_JOB_TEMPLATE_ID", "-3")],
                "AWX_JOB_TEMPLATE_ID",
            ),
            (&[("LOG_FORMAT", "xml")], "LOG_FORMAT"),
            (&[("HOST", "localhost:80")], "HOST"),
            (&[("METERING_RAW_DAYS", "0")], "METERING_RAW_DAYS"),
            (&[("GATEWAY_ENVIRONMENT", "qa")], "GATEWAY_ENVIRONMENT"),
            (&[("GATEWAY_TIMEOUT_SECS", "soon")], "GATEWAY_TIMEOUT_SECS"),
        ];
        for (pairs, var) in cases {
            let e = load(pairs).expect_err("must be refused");
            assert_eq!(e.var, *var, "{pairs:?}");
            assert!(e.to_string().contains(var));
        }
    }

    #[test]
    fn optional_integrations_parse() {
        let c = load(&[
            ("KAFKA_BROKERS", "127.0.0.1:9092"),
            ("PUBLIC_URL", "https://portal.example/"),
            ("LOG_FORMAT", "json"),
        ])
        .expect("valid");
        assert_eq!(c.kafka.as_ref().map(|k| k.group_id.as_str()), Some("stoa-portal"));
        assert_eq!(c.public_url, "https://portal.example");
        assert!(c.secure_cookies());
        assert_eq!(c.log_format, LogFormat::Json);
    }
}

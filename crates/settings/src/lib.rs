//! The one typed settings struct. Sources, lowest precedence first: the defaults below, an
//! optional TOML file (`--config` or `ZENALTO_CONFIG`), then `ZENALTO__SECTION__KEY` environment
//! variables. The embedded default run needs none of them.

use std::{net::SocketAddr, path::PathBuf};

use figment::{
    Figment,
    providers::{Env, Format, Serialized, Toml},
};
use serde::{Deserialize, Serialize};
use zenalto_domain::Secret;

pub mod example;
mod media;
mod networks;

pub use media::{MediaSettings, MediaStorageKind, PlanLimits, S3Settings};
pub use networks::NetworkSettings;

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Settings {
    /// Folder for the SQLite database, media and generated secrets.
    pub data_dir: PathBuf,
    pub server: ServerSettings,
    pub database: DatabaseSettings,
    pub auth: AuthSettings,
    pub mail: MailSettings,
    pub rate_limit: RateLimitSettings,
    pub log: LogSettings,
    pub workers: WorkerSettings,
    pub publishing: PublishingSettings,
    pub media: MediaSettings,
    pub ai: AiSettings,
    /// App credentials and URL overrides per network, by name (`x`, `linkedin`, …).
    pub networks: std::collections::BTreeMap<String, NetworkSettings>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ServerSettings {
    /// Address the HTTP server listens on.
    pub bind: SocketAddr,
    /// The URL people use to reach this server (links in e-mails, CORS, HSTS).
    pub public_url: String,
    /// Proxies (IP networks) whose `X-Forwarded-For` is believed. Empty: the peer address is the client.
    pub trusted_proxies: Vec<ipnet::IpNet>,
    /// Origins allowed by CORS in addition to the server's own. Empty: same-origin only.
    pub cors_origins: Vec<String>,
    /// Largest accepted request body, in bytes.
    pub body_limit_bytes: usize,
    /// Requests running longer than this are answered 503.
    pub request_timeout_secs: u64,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct DatabaseSettings {
    /// `postgres://user:password@host/db` for PostgreSQL; empty for the embedded SQLite file in `data_dir`.
    pub url: Secret<String>,
    /// Connection pool size (readers on SQLite; SQLite always has exactly one writer).
    pub max_connections: u32,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct AuthSettings {
    /// HMAC key for access tokens. Empty: generated on first start into `data_dir/secrets`.
    /// Set it (or share the secrets folder) when several processes serve the API.
    pub jwt_secret: Secret<String>,
    pub access_token_ttl_secs: i64,
    pub refresh_token_ttl_days: i64,
    /// Lifetime of e-mailed 6-digit codes.
    pub code_ttl_secs: i64,
    /// Wrong guesses allowed per code before it is spent.
    pub code_max_attempts: i64,
    /// Consecutive failed logins before the account is locked.
    pub lockout_threshold: i64,
    /// First lockout length; each further lockout doubles it (capped at a day).
    pub lockout_secs: i64,
    pub invitation_ttl_days: i64,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct MailSettings {
    pub from: String,
    /// `smtp://host:25`, `smtp://user:pass@host:587?tls=required` (STARTTLS) or `smtps://…` (TLS).
    /// Empty: mail stays in the local outbox (`zenalto admin outbox`) and is printed to the log.
    pub smtp_url: Secret<String>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RateLimitSettings {
    pub enabled: bool,
    /// Requests per minute per client IP (all routes).
    pub per_ip_per_minute: u32,
    /// Requests per minute per authenticated user or API key.
    pub per_user_per_minute: u32,
    /// Requests per minute per client IP on credential endpoints (login, codes, reset).
    pub auth_per_ip_per_minute: u32,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    Text,
    Json,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct LogSettings {
    pub format: LogFormat,
    /// A tracing filter, e.g. `info` or `zenalto=debug,sqlx=warn`.
    pub level: String,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct WorkerSettings {
    /// Run background workers inside `zenalto serve` (`--no-workers` turns this off).
    pub enabled: bool,
    /// How often idle workers look for work another process may have queued.
    pub poll_interval_ms: u64,
}

/// The publishing queue and the built-in sandbox network.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct PublishingSettings {
    /// Jobs claimed per round trip; larger batches cost fewer commits per post. A worker holds at
    /// most two claimed batches: one whose calls are in flight and the next.
    pub claim_batch: i64,
    /// How long a claimed job stays leased without a heartbeat before another worker may take it.
    pub lease_secs: i64,
    /// Network calls in flight at once per worker process.
    pub concurrency: usize,
    /// Network calls in flight at once per connected account.
    pub per_account_concurrency: usize,
    /// Publishes per minute per account and worker process (0: no budget).
    pub per_account_per_minute: u32,
    /// Publishes per minute per network and worker process, e.g. `{ x = 50 }`; unlisted: none.
    pub per_network_per_minute: std::collections::BTreeMap<String, u32>,
    /// Tries per target before it fails for good (transient errors only; permanent ones fail at once).
    pub max_attempts: i64,
    /// First retry delay; doubled per attempt, with equal jitter, capped by `retry_max_secs`.
    pub retry_base_secs: i64,
    pub retry_max_secs: i64,
    /// Time limit of one network call; past it the outcome is unknown and verified before a retry.
    pub network_timeout_secs: u64,
    pub sandbox: SandboxSettings,
}

/// The sandbox network keeps posts in the local database. The fault knobs make it misbehave like
/// a real network for tests and demos; they are off by default.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SandboxSettings {
    /// Percent of publishes answered with a server error before storing anything.
    pub fail_percent: u8,
    /// Percent answered with 429 "too many requests" and a reset a few seconds away.
    pub throttle_percent: u8,
    /// Percent that time out: half of them stored the post before the answer was lost.
    pub timeout_percent: u8,
    /// Added latency per call, in milliseconds.
    pub delay_ms: u64,
    /// When false (the default), a publish with a record key already used returns the post
    /// stored under it (like Bluesky record keys). When true, every call stores a new post, like
    /// a network without idempotency, so only Zenalto's ledger stands between a retry and a
    /// double post.
    pub ignore_record_keys: bool,
    /// Benchmark use only (`zenalto bench queue`): answer every publish at once with a made-up
    /// id and store nothing, so what is measured is the queue, not the sandbox's own writes.
    /// Nothing published this way can be found or verified afterwards: never turn it on for
    /// anything but a benchmark.
    pub discard: bool,
}

/// AI providers: the resilience around every call, the response cache and the monthly caps of
/// each plan. Providers, keys, prices and a workspace's own budget are set over the API.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct AiSettings {
    /// How long an identical request is answered from the cache (0 turns the cache off).
    pub cache_ttl_secs: u64,
    /// Answers kept in the cache; the oldest go first.
    pub cache_entries: usize,
    /// Time limit of one provider call, streaming included.
    pub call_timeout_secs: u64,
    /// Calls per provider for a transient error (timeout, 429, 5xx), the first included.
    pub retry_attempts: u32,
    /// First backoff, doubled per retry; a provider's `retry-after` replaces it.
    pub retry_base_ms: u64,
    /// Longest wait before a retry; a longer `retry-after` falls back to the next provider.
    pub retry_max_wait_secs: u64,
    /// Consecutive transient failures that open a provider's circuit breaker.
    pub breaker_threshold: u32,
    /// How long an open breaker skips its provider before one trial call.
    pub breaker_cooldown_secs: u64,
    /// Monthly caps per workspace plan (the workspace's `plan`); a plan not listed here uses
    /// `free`, and with no `free` entry nothing is capped beyond the workspace's own budget.
    pub plans: std::collections::BTreeMap<String, AiPlanLimits>,
}

/// What one plan allows each calendar month (UTC) of provider calls. Unset: no cap. The lower
/// of this and the workspace's own budget applies.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct AiPlanLimits {
    /// Spend on providers, in micro-dollars (1,000,000 = 1 USD).
    pub monthly_budget_micros: Option<u64>,
    /// Provider calls (cache hits and the local engine are free and not counted).
    pub monthly_requests: Option<u64>,
}

impl AiSettings {
    /// The caps of `plan`, falling back to `free`, then to none.
    pub fn limits(&self, plan: &str) -> AiPlanLimits {
        self.plans.get(plan).or_else(|| self.plans.get("free")).cloned().unwrap_or_default()
    }
}

impl Default for AiSettings {
    fn default() -> Self {
        Self {
            cache_ttl_secs: 24 * 3600,
            cache_entries: 10_000,
            call_timeout_secs: 60,
            retry_attempts: 3,
            retry_base_ms: 250,
            retry_max_wait_secs: 10,
            breaker_threshold: 5,
            breaker_cooldown_secs: 30,
            plans: std::collections::BTreeMap::new(),
        }
    }
}

impl Default for PublishingSettings {
    fn default() -> Self {
        Self {
            claim_batch: 256,
            lease_secs: 60,
            concurrency: 64,
            per_account_concurrency: 4,
            per_account_per_minute: 0,
            per_network_per_minute: std::collections::BTreeMap::new(),
            max_attempts: 6,
            retry_base_secs: 5,
            retry_max_secs: 15 * 60,
            network_timeout_secs: 30,
            sandbox: SandboxSettings::default(),
        }
    }
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            data_dir: PathBuf::from("zenalto-data"),
            server: ServerSettings::default(),
            database: DatabaseSettings::default(),
            auth: AuthSettings::default(),
            mail: MailSettings::default(),
            rate_limit: RateLimitSettings::default(),
            log: LogSettings::default(),
            workers: WorkerSettings::default(),
            publishing: PublishingSettings::default(),
            media: MediaSettings::default(),
            ai: AiSettings::default(),
            networks: Default::default(),
        }
    }
}

impl Default for ServerSettings {
    fn default() -> Self {
        Self {
            bind: SocketAddr::from(([127, 0, 0, 1], 8080)),
            public_url: "http://127.0.0.1:8080".into(),
            trusted_proxies: Vec::new(),
            cors_origins: Vec::new(),
            body_limit_bytes: 1024 * 1024,
            request_timeout_secs: 30,
        }
    }
}

impl Default for DatabaseSettings {
    fn default() -> Self {
        Self { url: Secret::default(), max_connections: 10 }
    }
}

impl Default for AuthSettings {
    fn default() -> Self {
        Self {
            jwt_secret: Secret::default(),
            access_token_ttl_secs: 15 * 60,
            refresh_token_ttl_days: 30,
            code_ttl_secs: 10 * 60,
            code_max_attempts: 5,
            lockout_threshold: 5,
            lockout_secs: 15 * 60,
            invitation_ttl_days: 7,
        }
    }
}

impl Default for MailSettings {
    fn default() -> Self {
        Self { from: "Zenalto <no-reply@zenalto.local>".into(), smtp_url: Secret::default() }
    }
}

impl Default for RateLimitSettings {
    fn default() -> Self {
        Self { enabled: true, per_ip_per_minute: 600, per_user_per_minute: 1200, auth_per_ip_per_minute: 30 }
    }
}

impl Default for LogSettings {
    fn default() -> Self {
        Self { format: LogFormat::Text, level: "info".into() }
    }
}

impl Default for WorkerSettings {
    fn default() -> Self {
        Self { enabled: true, poll_interval_ms: 1000 }
    }
}

/// Not `#[from]`/`#[source]`: the message already includes figment's, and a source would make
/// `{:#}` (how the binary prints errors) repeat it.
#[derive(Debug, thiserror::Error)]
#[error("invalid configuration: {0}")]
pub struct SettingsError(Box<figment::Error>);

impl Settings {
    /// Defaults, then the TOML file if given, then `ZENALTO__…` variables.
    pub fn load(file: Option<&std::path::Path>) -> Result<Self, SettingsError> {
        Self::figment(file).extract().map_err(|e| SettingsError(Box::new(e)))
    }

    pub fn figment(file: Option<&std::path::Path>) -> Figment {
        let mut figment = Figment::from(Serialized::defaults(Settings::default()));
        if let Some(file) = file {
            figment = figment.merge(Toml::file_exact(file));
        }
        figment.merge(Env::prefixed("ZENALTO__").split("__"))
    }

    /// Whether the database is the embedded SQLite file.
    pub fn uses_embedded_database(&self) -> bool {
        !self.database.url.is_set()
    }

    /// The database URL actually used: the configured one, or the SQLite file in the data folder.
    pub fn database_url(&self) -> String {
        if self.database.url.is_set() {
            self.database.url.expose().clone()
        } else {
            format!("sqlite://{}?mode=rwc", self.data_dir.join("zenalto.db").display())
        }
    }

    pub fn secrets_dir(&self) -> PathBuf {
        self.data_dir.join("secrets")
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::result_large_err)]
mod tests {
    use super::*;

    #[test]
    fn environment_overrides_file_overrides_defaults() {
        figment::Jail::expect_with(|jail| {
            jail.create_file("z.toml", "[server]\nbind = \"0.0.0.0:9000\"\n[database]\nmax_connections = 3\n")?;
            jail.set_env("ZENALTO__DATABASE__MAX_CONNECTIONS", "7");
            jail.set_env("ZENALTO__DATA_DIR", "/var/lib/zenalto");
            let s = Settings::load(Some(std::path::Path::new("z.toml"))).map_err(|e| e.to_string())?;
            assert_eq!(s.server.bind.port(), 9000);
            assert_eq!(s.database.max_connections, 7);
            assert_eq!(s.data_dir, PathBuf::from("/var/lib/zenalto"));
            assert_eq!(s.auth.access_token_ttl_secs, 900, "untouched defaults survive");
            Ok(())
        });
    }

    #[test]
    fn unknown_keys_are_rejected() {
        figment::Jail::expect_with(|jail| {
            jail.create_file("z.toml", "[server]\nbnid = \"0.0.0.0:9000\"\n")?;
            let err = Settings::load(Some(std::path::Path::new("z.toml"))).unwrap_err();
            assert!(err.to_string().contains("bnid"), "{err}");
            Ok(())
        });
    }

    #[test]
    fn default_database_is_sqlite_in_the_data_folder() {
        let s = Settings::default();
        assert!(s.uses_embedded_database());
        assert_eq!(s.database_url(), "sqlite://zenalto-data/zenalto.db?mode=rwc");
    }
}

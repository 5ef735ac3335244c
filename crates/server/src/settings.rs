//! Configuration: built-in defaults → optional `config/<environment>.toml` → environment variables.
//!
//! The deployment requirements' variable names work as written (`DATABASE_URL`, `PORT`, …; see
//! [`PLAIN_VARIABLES`]). Any setting can also be given with the `CREWPLOTS__` prefix and `__` between levels,
//! e.g. `CREWPLOTS__SESSION__IDLE_TIMEOUT_MINUTES=15`; where both forms are set, the plain name wins.
//! Secrets are `secrecy` types, so `Debug` of the settings never shows them. Validation errors name the
//! variable an operator has to fix and never echo its value.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use config::{Config, Environment, File};
use crewplots_crypto::KeyRing;
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;

/// Environment variables with a plain name, and the setting each one sets.
pub const PLAIN_VARIABLES: &[(&str, &str)] = &[
    ("APP_ENV", "app.env"),
    ("HOST", "app.host"),
    ("PORT", "app.port"),
    ("PUBLIC_URL", "app.public_url"),
    ("STATIC_DIR", "app.static_dir"),
    ("DATABASE_URL", "database.url"),
    ("MONGODB_URL", "mongodb.url"),
    ("MONGODB_DB_NAME", "mongodb.db_name"),
    ("REDIS_URL", "redis.url"),
    ("SESSION_SECRET", "session.secret"),
    ("ENCRYPTION_KEY", "encryption.key"),
    ("ENCRYPTION_OLD_KEYS", "encryption.old_keys"),
    ("METRICS_TOKEN", "metrics.token"),
    ("SMTP_URL", "mail.smtp_url"),
    ("MAIL_FROM", "mail.from"),
    ("RETENTION_DAYS", "retention.days"),
];

/// The name an operator knows a setting by: its plain variable if it has one, else the prefixed form.
pub fn variable_for(key: &str) -> String {
    PLAIN_VARIABLES
        .iter()
        .find(|(_, k)| *k == key)
        .map(|(v, _)| (*v).to_string())
        .unwrap_or_else(|| format!("CREWPLOTS__{}", key.replace('.', "__").to_uppercase()))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AppEnv {
    Development,
    Production,
}

impl AppEnv {
    fn as_str(self) -> &'static str {
        match self {
            Self::Development => "development",
            Self::Production => "production",
        }
    }
}

/// A configuration problem, as one line for the operator.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct SettingsError(String);

/// Validated settings the rest of the process uses.
#[derive(Debug)]
pub struct Settings {
    pub env: AppEnv,
    pub host: String,
    pub port: u16,
    pub public_url: String,
    pub static_dir: PathBuf,
    pub workers: usize,
    pub shutdown_timeout: Duration,
    pub readiness_timeout: Duration,
    pub database_url: SecretString,
    pub database_pool_size: usize,
    /// Waiting for a free connection, and creating or recycling one.
    pub database_timeout: Duration,
    /// Opening a connection (TCP, start-up, authentication).
    pub database_connect_timeout: Duration,
    /// Each statement's deadline (the server's `statement_timeout`; `0`: none set by us).
    pub database_statement_timeout: Duration,
    pub mongodb_url: SecretString,
    pub mongodb_db_name: String,
    /// Server selection, connecting, and each operation (each GridFS chunk of a transfer).
    pub mongodb_timeout: Duration,
    pub redis_url: SecretString,
    pub redis_key_prefix: String,
    pub redis_pool_size: usize,
    pub redis_timeout: Duration,
    pub session_secret: SecretString,
    pub session_idle_timeout: Duration,
    pub session_absolute_timeout: Duration,
    pub keyring: std::sync::Arc<KeyRing>,
    pub metrics_token: Option<SecretString>,
    pub bcrypt_cost: u32,
    /// Threads that run bcrypt (default: one per core) and how many hashes may wait for one (default: about
    /// one second of work, measured at start-up; 0: none wait); past that, logins answer 503 `busy` at once.
    pub hash_threads: usize,
    pub hash_queue: Option<usize>,
    /// Behind a reverse proxy: the client address is the last `X-Forwarded-For` entry.
    pub trust_forwarded_for: bool,
    pub throttle: ThrottleSettings,
    /// `smtp://…` or `smtps://…`; without it mails are held in the outbox for administrators to read.
    pub smtp_url: Option<SecretString>,
    pub mail_from: String,
    pub mail_poll_interval: Duration,
    /// Largest document accepted, in bytes.
    pub document_max_bytes: u64,
    /// Requests a minute one client address may make to the public calendar feeds.
    pub feed_requests_per_minute: u64,
    /// Days a rejected or withdrawn applicant's data is kept after the last change; 0: retention is off.
    pub retention_days: u32,
    /// How often the retention job runs (every instance tries; one at a time does the work).
    pub retention_interval: Duration,
    /// Warnings about settings that are accepted here but would be refused in production.
    pub warnings: Vec<String>,
}

/// Login throttling limits.
#[derive(Debug, Clone, Copy, Deserialize)]
pub struct ThrottleSettings {
    pub max_failures_per_account: u64,
    pub max_failures_per_ip: u64,
    pub free_failures: u64,
    pub delay_base_ms: u64,
    pub delay_max_ms: u64,
}

#[derive(Debug, Deserialize)]
struct Raw {
    app: RawApp,
    database: RawDatabase,
    mongodb: RawMongo,
    redis: RawRedis,
    session: RawSession,
    #[serde(default)]
    encryption: RawEncryption,
    #[serde(default)]
    metrics: RawMetrics,
    password: RawPassword,
    throttle: ThrottleSettings,
    mail: RawMail,
    documents: RawDocuments,
    feed: RawFeed,
    retention: RawRetention,
}

#[derive(Debug, Deserialize)]
struct RawRetention {
    days: u32,
    interval_minutes: u64,
}

#[derive(Debug, Deserialize)]
struct RawFeed {
    requests_per_minute: u64,
}

#[derive(Debug, Deserialize)]
struct RawDocuments {
    max_bytes: u64,
}

#[derive(Debug, Deserialize)]
struct RawMail {
    smtp_url: Option<SecretString>,
    from: String,
    poll_interval_ms: u64,
}

#[derive(Debug, Deserialize)]
struct RawApp {
    env: AppEnv,
    host: String,
    port: u16,
    public_url: Option<String>,
    static_dir: PathBuf,
    workers: usize,
    shutdown_timeout_seconds: u64,
    readiness_timeout_ms: u64,
    trust_forwarded_for: bool,
}

#[derive(Debug, Deserialize)]
struct RawDatabase {
    url: Option<SecretString>,
    pool_size: usize,
    timeout_ms: u64,
    connect_timeout_ms: u64,
    statement_timeout_ms: u64,
}

#[derive(Debug, Deserialize)]
struct RawMongo {
    url: Option<SecretString>,
    db_name: String,
    timeout_ms: u64,
}

#[derive(Debug, Deserialize)]
struct RawRedis {
    url: Option<SecretString>,
    key_prefix: String,
    pool_size: usize,
    timeout_ms: u64,
}

#[derive(Debug, Deserialize)]
struct RawSession {
    secret: Option<SecretString>,
    idle_timeout_minutes: u64,
    absolute_timeout_hours: u64,
}

#[derive(Debug, Default, Deserialize)]
struct RawEncryption {
    key: Option<SecretString>,
    old_keys: Option<SecretString>,
}

#[derive(Debug, Default, Deserialize)]
struct RawMetrics {
    token: Option<SecretString>,
}

#[derive(Debug, Deserialize)]
struct RawPassword {
    bcrypt_cost: u32,
    hash_threads: Option<usize>,
    hash_queue: Option<usize>,
}

impl Settings {
    /// Loads from the process environment and `config/` (or the folder in `CONFIG_DIR`).
    pub fn load() -> Result<Self, SettingsError> {
        let vars: HashMap<String, String> = std::env::vars().collect();
        let dir = vars
            .get("CONFIG_DIR")
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from("config"));
        Self::load_from(&vars, Some(&dir))
    }

    /// Loads from the given variables (instead of the process environment) and config folder.
    pub fn load_from(
        vars: &HashMap<String, String>,
        config_dir: Option<&Path>,
    ) -> Result<Self, SettingsError> {
        let env = match vars
            .get("APP_ENV")
            .or_else(|| vars.get("CREWPLOTS__APP__ENV"))
            .map(|s| s.trim().to_ascii_lowercase())
            .as_deref()
        {
            None | Some("") | Some("development") => AppEnv::Development,
            Some("production") => AppEnv::Production,
            Some(_) => {
                return Err(SettingsError(
                    "APP_ENV must be `development` or `production`".into(),
                ))
            }
        };
        let raw = read_raw(env, vars, config_dir)?;
        validate(raw)
    }

    /// Origins allowed to send state-changing requests: the public URL's, and in development the Vite dev
    /// server's.
    pub fn allowed_origins(&self) -> Vec<String> {
        let mut origins = vec![origin_of(&self.public_url)];
        if self.env == AppEnv::Development {
            origins.extend([
                "http://localhost:5173".to_string(),
                "http://127.0.0.1:5173".to_string(),
            ]);
        }
        origins
    }

    /// Where the HTTP server binds.
    pub fn bind_address(&self) -> String {
        format!("{}:{}", self.host, self.port)
    }
}

/// `https://crew.example.com/some/path` → `https://crew.example.com`.
fn origin_of(url: &str) -> String {
    match url.split_once("://") {
        Some((scheme, rest)) => format!("{scheme}://{}", rest.split('/').next().unwrap_or(rest)),
        None => url.to_string(),
    }
}

fn read_raw(
    env: AppEnv,
    vars: &HashMap<String, String>,
    config_dir: Option<&Path>,
) -> Result<Raw, SettingsError> {
    let development = env == AppEnv::Development;
    let mut builder = Config::builder()
        .set_default("app.env", env.as_str())
        .and_then(|b| {
            b.set_default(
                "app.host",
                if development { "127.0.0.1" } else { "0.0.0.0" },
            )
        })
        .and_then(|b| b.set_default("app.port", 5000))
        .and_then(|b| b.set_default("app.static_dir", "frontend/dist"))
        .and_then(|b| b.set_default("app.workers", 0))
        .and_then(|b| b.set_default("app.shutdown_timeout_seconds", 30))
        .and_then(|b| b.set_default("app.readiness_timeout_ms", 1000))
        // 0: twice the CPUs (at least 4); see `database_pool_size`.
        .and_then(|b| b.set_default("database.pool_size", 0))
        .and_then(|b| b.set_default("database.timeout_ms", 2000))
        // A stalled server must give a 503 within 2 s: connecting gets 1 s, and a statement's silence is
        // checked after 0.5 s with a connection attempt of that same 1 s (see
        // `crewplots_storage_postgres::Deadlines`); the statement deadline itself is for a busy server.
        .and_then(|b| b.set_default("database.connect_timeout_ms", 1000))
        .and_then(|b| b.set_default("database.statement_timeout_ms", 5000))
        .and_then(|b| b.set_default("mongodb.db_name", "crewplots"))
        // Bounds each operation too, so a stalled MongoDB degrades reads and refuses writes within 2 s.
        .and_then(|b| b.set_default("mongodb.timeout_ms", 1500))
        .and_then(|b| b.set_default("redis.key_prefix", "crewplots:"))
        .and_then(|b| b.set_default("redis.pool_size", 16))
        .and_then(|b| b.set_default("redis.timeout_ms", 1000))
        .and_then(|b| b.set_default("session.idle_timeout_minutes", 30))
        .and_then(|b| b.set_default("session.absolute_timeout_hours", 12))
        .and_then(|b| b.set_default("password.bcrypt_cost", 12))
        .and_then(|b| b.set_default("app.trust_forwarded_for", false))
        .and_then(|b| b.set_default("throttle.max_failures_per_account", 100))
        .and_then(|b| b.set_default("throttle.max_failures_per_ip", 1000))
        .and_then(|b| b.set_default("throttle.free_failures", 5))
        .and_then(|b| b.set_default("throttle.delay_base_ms", 1000))
        .and_then(|b| b.set_default("throttle.delay_max_ms", 60_000))
        .and_then(|b| b.set_default("mail.from", "Crew Plots <no-reply@localhost>"))
        .and_then(|b| b.set_default("mail.poll_interval_ms", 2000))
        .and_then(|b| b.set_default("documents.max_bytes", 10 * 1024 * 1024))
        // Calendar apps poll about once an hour; a whole venue behind one address stays far below this.
        .and_then(|b| b.set_default("feed.requests_per_minute", 120))
        .and_then(|b| b.set_default("retention.days", 180))
        .and_then(|b| b.set_default("retention.interval_minutes", 60))
        .map_err(|e| SettingsError(format!("internal default is invalid: {e}")))?;
    if development {
        // The ports of `cargo xtask dev`'s local stack; production has no defaults for these on purpose.
        builder = builder
            .set_default("app.public_url", "http://localhost:5000")
            .and_then(|b| {
                b.set_default(
                    "database.url",
                    "postgres://crewplots@127.0.0.1:55432/crewplots",
                )
            })
            .and_then(|b| {
                b.set_default(
                    "mongodb.url",
                    "mongodb://127.0.0.1:57017/?directConnection=true",
                )
            })
            .and_then(|b| b.set_default("redis.url", "redis://127.0.0.1:56379/0"))
            .map_err(|e| SettingsError(format!("internal default is invalid: {e}")))?;
    }
    if let Some(dir) = config_dir {
        builder = builder
            .add_source(File::from(dir.join(format!("{}.toml", env.as_str()))).required(false));
    }
    builder = builder.add_source(
        Environment::with_prefix("CREWPLOTS")
            .prefix_separator("__")
            .separator("__")
            .try_parsing(true)
            .source(Some(vars.clone().into_iter().collect())),
    );
    for (variable, key) in PLAIN_VARIABLES {
        let value = vars
            .get(*variable)
            .filter(|v| !v.trim().is_empty())
            .cloned();
        builder = builder
            .set_override_option(*key, value)
            .map_err(|e| SettingsError(format!("{variable}: {e}")))?;
    }
    let config = builder.build().map_err(explain)?;
    config.try_deserialize::<Raw>().map_err(explain)
}

/// Turns a `config` error into a line naming the variable (never the value).
fn explain(error: config::ConfigError) -> SettingsError {
    match error {
        config::ConfigError::Type {
            key: Some(key),
            expected,
            ..
        } => SettingsError(format!("{} must be {expected}", variable_for(&key))),
        config::ConfigError::NotFound(key) => {
            SettingsError(format!("{} is not set", variable_for(&key)))
        }
        config::ConfigError::FileParse { uri, .. } => SettingsError(format!(
            "configuration file {} is not valid TOML",
            uri.unwrap_or_default()
        )),
        other => SettingsError(format!("configuration is not valid: {other}")),
    }
}

fn required(value: Option<SecretString>, key: &str) -> Result<SecretString, SettingsError> {
    value
        .filter(|v| !v.expose_secret().trim().is_empty())
        .ok_or_else(|| SettingsError(format!("{} is not set", variable_for(key))))
}

fn ms(value: u64, key: &str) -> Result<Duration, SettingsError> {
    if value == 0 {
        return Err(SettingsError(format!(
            "{} must be greater than 0",
            variable_for(key)
        )));
    }
    Ok(Duration::from_millis(value))
}

fn check_url(url: &SecretString, key: &str, schemes: &[&str]) -> Result<(), SettingsError> {
    let text = url.expose_secret();
    let ok = schemes.iter().any(|s| text.starts_with(&format!("{s}://")));
    if ok {
        Ok(())
    } else {
        Err(SettingsError(format!(
            "{} must start with {}",
            variable_for(key),
            schemes
                .iter()
                .map(|s| format!("{s}://"))
                .collect::<Vec<_>>()
                .join(" or ")
        )))
    }
}

/// Why a session secret is weak, if it is.
fn session_secret_weakness(secret: &str) -> Option<&'static str> {
    if secret.to_ascii_uppercase().contains("CHANGE-ME") {
        return Some(
            "it is still the placeholder from .env.example (run `cargo xtask gen-secrets`)",
        );
    }
    if secret.len() < 64 {
        return Some("it must be at least 64 characters (e.g. `openssl rand -base64 64`)");
    }
    let distinct = secret
        .chars()
        .collect::<std::collections::BTreeSet<_>>()
        .len();
    if distinct < 16 {
        return Some("it repeats too few distinct characters to be random");
    }
    None
}

fn validate(raw: Raw) -> Result<Settings, SettingsError> {
    let production = raw.app.env == AppEnv::Production;
    let mut warnings = Vec::new();

    let database_url = required(raw.database.url, "database.url")?;
    check_url(&database_url, "database.url", &["postgres", "postgresql"])?;
    let mongodb_url = required(raw.mongodb.url, "mongodb.url")?;
    check_url(&mongodb_url, "mongodb.url", &["mongodb", "mongodb+srv"])?;
    let redis_url = required(raw.redis.url, "redis.url")?;
    check_url(&redis_url, "redis.url", &["redis", "rediss"])?;

    let public_url = raw
        .app
        .public_url
        .filter(|u| !u.trim().is_empty())
        .ok_or_else(|| {
            SettingsError("PUBLIC_URL is not set (e.g. https://crew.example.com)".into())
        })?;
    let public_url = public_url.trim_end_matches('/').to_string();
    if !(public_url.starts_with("https://") || public_url.starts_with("http://")) {
        return Err(SettingsError(
            "PUBLIC_URL must start with https:// or http://".into(),
        ));
    }
    if production && !public_url.starts_with("https://") {
        return Err(SettingsError(
            "PUBLIC_URL must use https:// in production".into(),
        ));
    }

    let session_secret = raw.session.secret.filter(|s| !s.expose_secret().is_empty()).ok_or_else(|| {
        SettingsError(if production {
            "SESSION_SECRET is not set (generate one with `cargo xtask gen-secrets`)".into()
        } else {
            "SESSION_SECRET is not set (`cargo xtask dev` generates development secrets; or set it)".into()
        })
    })?;
    if let Some(reason) = session_secret_weakness(session_secret.expose_secret()) {
        if production {
            return Err(SettingsError(format!(
                "SESSION_SECRET is too weak: {reason}"
            )));
        }
        warnings.push(format!(
            "SESSION_SECRET is too weak for production: {reason}"
        ));
    }

    let hash_threads = raw
        .password
        .hash_threads
        .filter(|&threads| threads > 0)
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, usize::from));

    let keyring = KeyRing::from_config(
        raw.encryption.key.as_ref(),
        raw.encryption.old_keys.as_ref(),
    )
    .map_err(|e| SettingsError(e.to_string()))?;

    if let Some(token) = &raw.metrics.token {
        if token.expose_secret().len() < 16 {
            return Err(SettingsError(
                "METRICS_TOKEN must be at least 16 characters".into(),
            ));
        }
    }

    let cost = raw.password.bcrypt_cost;
    if !(4..=31).contains(&cost) {
        return Err(SettingsError(
            "CREWPLOTS__PASSWORD__BCRYPT_COST must be between 4 and 31".into(),
        ));
    }
    if production && cost < 12 {
        return Err(SettingsError(
            "CREWPLOTS__PASSWORD__BCRYPT_COST must be at least 12 in production".into(),
        ));
    }

    let smtp_url = raw
        .mail
        .smtp_url
        .filter(|u| !u.expose_secret().trim().is_empty());
    if let Some(url) = &smtp_url {
        check_url(url, "mail.smtp_url", &["smtp", "smtps"])?;
    }
    if raw.mail.from.trim().is_empty() || !raw.mail.from.contains('@') {
        return Err(SettingsError(
            "MAIL_FROM must be an e-mail address (optionally `Name <address>`)".into(),
        ));
    }

    if raw.retention.days > 36_500 {
        return Err(SettingsError(
            "RETENTION_DAYS must be between 0 (off) and 36500".into(),
        ));
    }
    if raw.retention.interval_minutes == 0 {
        return Err(SettingsError(
            "CREWPLOTS__RETENTION__INTERVAL_MINUTES must be greater than 0".into(),
        ));
    }

    if raw.redis.pool_size == 0 {
        return Err(SettingsError("pool sizes must be greater than 0".into()));
    }
    if raw.session.idle_timeout_minutes == 0 || raw.session.absolute_timeout_hours == 0 {
        return Err(SettingsError(
            "session timeouts must be greater than 0".into(),
        ));
    }

    Ok(Settings {
        env: raw.app.env,
        host: raw.app.host,
        port: raw.app.port,
        public_url,
        static_dir: raw.app.static_dir,
        workers: raw.app.workers,
        shutdown_timeout: Duration::from_secs(raw.app.shutdown_timeout_seconds),
        readiness_timeout: ms(raw.app.readiness_timeout_ms, "app.readiness_timeout_ms")?,
        database_url,
        database_pool_size: database_pool_size(raw.database.pool_size),
        database_timeout: ms(raw.database.timeout_ms, "database.timeout_ms")?,
        database_connect_timeout: ms(
            raw.database.connect_timeout_ms,
            "database.connect_timeout_ms",
        )?,
        database_statement_timeout: Duration::from_millis(raw.database.statement_timeout_ms),
        mongodb_url,
        mongodb_db_name: raw.mongodb.db_name,
        mongodb_timeout: ms(raw.mongodb.timeout_ms, "mongodb.timeout_ms")?,
        redis_url,
        redis_key_prefix: raw.redis.key_prefix,
        redis_pool_size: raw.redis.pool_size,
        redis_timeout: ms(raw.redis.timeout_ms, "redis.timeout_ms")?,
        session_secret,
        session_idle_timeout: Duration::from_secs(raw.session.idle_timeout_minutes * 60),
        session_absolute_timeout: Duration::from_secs(raw.session.absolute_timeout_hours * 3600),
        keyring: std::sync::Arc::new(keyring),
        metrics_token: raw.metrics.token,
        bcrypt_cost: cost,
        hash_threads,
        hash_queue: raw.password.hash_queue,
        trust_forwarded_for: raw.app.trust_forwarded_for,
        throttle: raw.throttle,
        smtp_url,
        mail_from: raw.mail.from.trim().to_string(),
        mail_poll_interval: ms(raw.mail.poll_interval_ms, "mail.poll_interval_ms")?,
        feed_requests_per_minute: raw.feed.requests_per_minute.max(1),
        retention_days: raw.retention.days,
        retention_interval: Duration::from_secs(raw.retention.interval_minutes * 60),
        document_max_bytes: if raw.documents.max_bytes == 0 {
            return Err(SettingsError(
                "CREWPLOTS__DOCUMENTS__MAX_BYTES must be greater than 0".into(),
            ));
        } else {
            raw.documents.max_bytes
        },
        warnings,
    })
}

/// The PostgreSQL pool: as configured, or by default twice the CPUs of this machine (at least 4). More
/// connections than the database can run at once only make them wait inside PostgreSQL, where they thrash
/// (measured: the 5 000-application board on 2 cores had p99 ≈ 90 ms with 16 connections and ≈ 47 ms with
/// 4); waiting for a pooled connection in the app is cheaper.
fn database_pool_size(configured: usize) -> usize {
    if configured > 0 {
        return configured;
    }
    let cpus = std::thread::available_parallelism().map_or(2, std::num::NonZeroUsize::get);
    (2 * cpus).max(4)
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
    const SECRET: &str = "q7Vb0cXk2mN9pL4sT8wZ1yR6uE3iO5aD7fG0hJ2kL9zX4cV6bN8mQ1wE3rT5yU7iOp";

    fn production() -> HashMap<String, String> {
        [
            ("APP_ENV", "production"),
            ("PUBLIC_URL", "https://crew.example.com"),
            ("DATABASE_URL", "postgres://app:pw@postgres:5432/crewplots"),
            ("MONGODB_URL", "mongodb://app:pw@mongodb:27017/crewplots"),
            ("REDIS_URL", "redis://redis:6379/0"),
            ("SESSION_SECRET", SECRET),
            ("ENCRYPTION_KEY", KEY),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
    }

    fn error_for(vars: &HashMap<String, String>) -> String {
        Settings::load_from(vars, None).unwrap_err().to_string()
    }

    #[test]
    fn a_complete_production_configuration_loads_with_defaults() {
        let settings = Settings::load_from(&production(), None).unwrap();
        assert_eq!(settings.env, AppEnv::Production);
        assert_eq!(settings.port, 5000);
        assert_eq!(settings.host, "0.0.0.0");
        assert_eq!(settings.bcrypt_cost, 12);
        assert_eq!(settings.session_idle_timeout, Duration::from_secs(30 * 60));
        assert!(settings.warnings.is_empty());
    }

    #[test]
    fn each_missing_production_secret_or_url_is_named() {
        for variable in [
            "DATABASE_URL",
            "MONGODB_URL",
            "REDIS_URL",
            "SESSION_SECRET",
            "ENCRYPTION_KEY",
            "PUBLIC_URL",
        ] {
            let mut vars = production();
            vars.remove(variable);
            let message = error_for(&vars);
            assert!(message.starts_with(variable), "{variable}: {message}");
        }
    }

    #[test]
    fn a_weak_session_secret_stops_production_but_only_warns_in_development() {
        let mut vars = production();
        vars.insert("SESSION_SECRET".into(), "short".into());
        assert!(error_for(&vars).starts_with("SESSION_SECRET is too weak"));
        vars.insert("APP_ENV".into(), "development".into());
        let settings = Settings::load_from(&vars, None).unwrap();
        assert_eq!(settings.warnings.len(), 1);
    }

    #[test]
    fn the_env_example_placeholders_stop_production() {
        let mut vars = production();
        vars.insert(
            "SESSION_SECRET".into(),
            "CHANGE-ME-base64-of-64-random-bytes-run-cargo-xtask-gen-secrets-padding-padding"
                .into(),
        );
        assert!(error_for(&vars).contains("placeholder"));
        let mut vars = production();
        vars.insert(
            "ENCRYPTION_KEY".into(),
            "CHANGE-ME-base64-of-32-random-bytes-run-cargo-xtask-gen-secrets".into(),
        );
        assert!(error_for(&vars).starts_with("ENCRYPTION_KEY must be 32 random bytes"));
    }

    #[test]
    fn a_wrong_url_scheme_names_the_variable() {
        let mut vars = production();
        vars.insert("REDIS_URL".into(), "http://redis:6379".into());
        assert_eq!(
            error_for(&vars),
            "REDIS_URL must start with redis:// or rediss://"
        );
    }

    #[test]
    fn a_non_numeric_port_names_the_variable_without_echoing_it() {
        let mut vars = production();
        vars.insert("PORT".into(), "fivethousand".into());
        let message = error_for(&vars);
        assert!(message.starts_with("PORT must be"), "{message}");
        assert!(!message.contains("fivethousand"));
    }

    #[test]
    fn nested_overrides_use_the_prefix_and_plain_names_win() {
        let mut vars = production();
        vars.insert(
            "CREWPLOTS__SESSION__IDLE_TIMEOUT_MINUTES".into(),
            "15".into(),
        );
        vars.insert("CREWPLOTS__APP__PORT".into(), "7000".into());
        vars.insert("PORT".into(), "8080".into());
        let settings = Settings::load_from(&vars, None).unwrap();
        assert_eq!(settings.session_idle_timeout, Duration::from_secs(15 * 60));
        assert_eq!(settings.port, 8080);
    }

    #[test]
    fn a_config_file_sits_between_defaults_and_the_environment() {
        let dir = std::env::temp_dir().join(format!("crewplots-settings-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(
            dir.join("production.toml"),
            "[app]\nport = 6000\n[session]\nidle_timeout_minutes = 5\n",
        )
        .unwrap();
        let mut vars = production();
        vars.insert(
            "CREWPLOTS__SESSION__IDLE_TIMEOUT_MINUTES".into(),
            "9".into(),
        );
        let settings = Settings::load_from(&vars, Some(&dir)).unwrap();
        std::fs::remove_dir_all(&dir).unwrap();
        assert_eq!(settings.port, 6000);
        assert_eq!(settings.session_idle_timeout, Duration::from_secs(9 * 60));
    }

    #[test]
    fn production_refuses_a_low_bcrypt_cost_and_plain_http() {
        let mut vars = production();
        vars.insert("CREWPLOTS__PASSWORD__BCRYPT_COST".into(), "4".into());
        assert!(error_for(&vars).contains("at least 12"));
        let mut vars = production();
        vars.insert("PUBLIC_URL".into(), "http://crew.example.com".into());
        assert_eq!(
            error_for(&vars),
            "PUBLIC_URL must use https:// in production"
        );
    }

    #[test]
    fn the_allowed_origin_is_the_public_urls_and_development_adds_vite() {
        let mut vars = production();
        vars.insert("PUBLIC_URL".into(), "https://crew.example.com/".into());
        let settings = Settings::load_from(&vars, None).unwrap();
        assert_eq!(
            settings.allowed_origins(),
            vec!["https://crew.example.com".to_string()]
        );
        vars.insert("APP_ENV".into(), "development".into());
        vars.insert("PUBLIC_URL".into(), "http://localhost:5000".into());
        let settings = Settings::load_from(&vars, None).unwrap();
        assert!(settings
            .allowed_origins()
            .contains(&"http://localhost:5173".to_string()));
    }

    #[test]
    fn debug_output_redacts_every_secret() {
        let mut vars = production();
        vars.insert("METRICS_TOKEN".into(), "metrics-token-0123456789".into());
        vars.insert(
            "SMTP_URL".into(),
            "smtps://mailer:smtp-password-xyz@smtp.example.com:465".into(),
        );
        let shown = format!("{:?}", Settings::load_from(&vars, None).unwrap());
        for secret in [
            SECRET,
            KEY,
            "pw@",
            "metrics-token-0123456789",
            "smtp-password-xyz",
        ] {
            assert!(!shown.contains(secret), "Debug shows {secret}");
        }
    }

    #[test]
    fn retention_defaults_to_180_days_is_set_by_its_plain_name_and_0_switches_it_off() {
        let settings = Settings::load_from(&production(), None).unwrap();
        assert_eq!(settings.retention_days, 180);
        assert_eq!(settings.retention_interval, Duration::from_secs(3600));
        let mut vars = production();
        vars.insert("RETENTION_DAYS".into(), "0".into());
        assert_eq!(Settings::load_from(&vars, None).unwrap().retention_days, 0);
        vars.insert("RETENTION_DAYS".into(), "soon".into());
        assert!(error_for(&vars).starts_with("RETENTION_DAYS must be"));
        vars.insert("RETENTION_DAYS".into(), "30".into());
        vars.insert("CREWPLOTS__RETENTION__INTERVAL_MINUTES".into(), "0".into());
        assert!(error_for(&vars).contains("INTERVAL_MINUTES must be greater than 0"));
    }

    #[test]
    fn development_has_local_stack_defaults_but_still_needs_secrets() {
        let vars: HashMap<String, String> = HashMap::new();
        assert!(error_for(&vars).starts_with("SESSION_SECRET is not set"));
        let mut vars = HashMap::new();
        vars.insert("SESSION_SECRET".to_string(), SECRET.to_string());
        vars.insert("ENCRYPTION_KEY".to_string(), KEY.to_string());
        let settings = Settings::load_from(&vars, None).unwrap();
        assert_eq!(settings.host, "127.0.0.1");
        assert!(settings.database_url.expose_secret().contains(":55432/"));
    }
}

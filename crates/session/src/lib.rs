//! Redis-backed state that may be lost without losing data: sessions, login-throttling counters and short
//! caches.
//!
//! What lives here: the deadpool-redis pool, a key-value handle that puts every key under one prefix (so
//! that deployments or test runs sharing a Redis never see each other's keys) and bounds every command by a
//! timeout (so a stalled Redis turns into a quick error, not a hanging request), the actix-session store and
//! cookie policy, the per-user session index used for revocation, the login throttle, and request-rate limits.

use std::time::Duration;

mod index;
mod rate;
mod store;
mod throttle;

pub use index::SessionIndex;
pub use rate::{RateLimit, RateVerdict};
pub use store::{middleware, BoundedRedisStore, CookiePolicy, SESSION_ID, USER_ID};
pub use throttle::{LoginThrottle, ThrottlePolicy, Verdict};

use crewplots_domain::health::{BoxFuture, DependencyProbe, PoolUsage, ProbeFailure};
use deadpool_redis::redis::{self, AsyncCommands};
use deadpool_redis::{Pool, Runtime};

pub use deadpool_redis;

/// Why a Redis operation failed.
#[derive(Debug, thiserror::Error)]
pub enum RedisError {
    #[error("REDIS_URL is not a valid Redis connection string")]
    InvalidUrl,
    #[error("Redis is unavailable: {0}")]
    Unavailable(String),
    #[error("Redis did not answer within {0:?}")]
    Timeout(Duration),
    #[error("Redis command failed: {0}")]
    Command(#[from] redis::RedisError),
}

/// Builds a lazily connecting pool; `timeout` bounds connecting, waiting for a connection and recycling.
pub fn build_pool(url: &str, max_size: usize, timeout: Duration) -> Result<Pool, RedisError> {
    // Parse first so a malformed URL is reported as such rather than as a failed connection later.
    redis::parse_redis_url(url).ok_or(RedisError::InvalidUrl)?;
    deadpool_redis::Config::from_url(url)
        .builder()
        .map_err(|_| RedisError::InvalidUrl)?
        .max_size(max_size)
        .wait_timeout(Some(timeout))
        .create_timeout(Some(timeout))
        .recycle_timeout(Some(timeout))
        .runtime(Runtime::Tokio1)
        .build()
        .map_err(|_| RedisError::InvalidUrl)
}

/// Key-value access under one key prefix, every command bounded by a timeout.
#[derive(Clone)]
pub struct KeyValue {
    pool: Pool,
    prefix: String,
    timeout: Duration,
}

impl std::fmt::Debug for KeyValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KeyValue")
            .field("prefix", &self.prefix)
            .field("timeout", &self.timeout)
            .finish_non_exhaustive()
    }
}

impl KeyValue {
    pub fn new(pool: Pool, prefix: impl Into<String>, timeout: Duration) -> Self {
        Self {
            pool,
            prefix: prefix.into(),
            timeout,
        }
    }

    /// The full Redis key for one of ours.
    pub fn key(&self, key: &str) -> String {
        format!("{}{}", self.prefix, key)
    }

    /// The prefix every key of this handle starts with.
    pub fn prefix(&self) -> &str {
        &self.prefix
    }

    /// The time limit of every command.
    pub fn timeout(&self) -> Duration {
        self.timeout
    }

    /// The pool, for components (the session store) that issue their own commands.
    pub fn pool(&self) -> &Pool {
        &self.pool
    }

    /// Stores a value that expires after `ttl`.
    pub async fn set_with_ttl(
        &self,
        key: &str,
        value: &str,
        ttl: Duration,
    ) -> Result<(), RedisError> {
        let key = self.key(key);
        let seconds = ttl.as_secs().max(1);
        self.bounded(async move {
            let mut conn = self.connection().await?;
            conn.set_ex::<_, _, ()>(key, value, seconds).await?;
            Ok(())
        })
        .await
    }

    /// Reads a value; `None` when absent or expired.
    pub async fn get(&self, key: &str) -> Result<Option<String>, RedisError> {
        let key = self.key(key);
        self.bounded(async move {
            let mut conn = self.connection().await?;
            Ok(conn.get::<_, Option<String>>(key).await?)
        })
        .await
    }

    /// Seconds until a key expires (`None` when it does not exist or never expires).
    pub async fn ttl(&self, key: &str) -> Result<Option<u64>, RedisError> {
        let key = self.key(key);
        self.bounded(async move {
            let mut conn = self.connection().await?;
            let ttl: i64 = conn.ttl(key).await?;
            Ok(u64::try_from(ttl).ok())
        })
        .await
    }

    /// Removes a key.
    pub async fn delete(&self, key: &str) -> Result<(), RedisError> {
        let key = self.key(key);
        self.bounded(async move {
            let mut conn = self.connection().await?;
            conn.del::<_, ()>(key).await?;
            Ok(())
        })
        .await
    }

    /// Runs commands on one pooled connection under the time limit.
    pub async fn run<T, F, Fut>(&self, work: F) -> Result<T, RedisError>
    where
        F: FnOnce(deadpool_redis::Connection) -> Fut,
        Fut: std::future::Future<Output = Result<T, RedisError>>,
    {
        self.bounded(async move {
            let conn = self.connection().await?;
            work(conn).await
        })
        .await
    }

    async fn connection(&self) -> Result<deadpool_redis::Connection, RedisError> {
        self.pool
            .get()
            .await
            .map_err(|e| RedisError::Unavailable(e.to_string()))
    }

    async fn bounded<T>(
        &self,
        work: impl std::future::Future<Output = Result<T, RedisError>>,
    ) -> Result<T, RedisError> {
        tokio::time::timeout(self.timeout, work)
            .await
            .map_err(|_| RedisError::Timeout(self.timeout))?
    }
}

/// Readiness probe: `PING`.
#[derive(Clone)]
pub struct RedisProbe(pub Pool);

impl std::fmt::Debug for RedisProbe {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("RedisProbe")
    }
}

impl DependencyProbe for RedisProbe {
    fn name(&self) -> &'static str {
        "redis"
    }

    fn ping(&self) -> BoxFuture<'_, Result<(), ProbeFailure>> {
        Box::pin(async move {
            let mut conn = self
                .0
                .get()
                .await
                .map_err(|e| ProbeFailure(format!("no connection: {e}")))?;
            let reply: String = redis::cmd("PING")
                .query_async(&mut conn)
                .await
                .map_err(|e| ProbeFailure(format!("PING failed: {}", e.kind_str())))?;
            if reply == "PONG" {
                Ok(())
            } else {
                Err(ProbeFailure("unexpected reply to PING".into()))
            }
        })
    }

    fn pool_usage(&self) -> Option<PoolUsage> {
        let status = self.0.status();
        Some(PoolUsage {
            size: status.size,
            available: status.available,
            max_size: status.max_size,
        })
    }
}

trait KindStr {
    fn kind_str(&self) -> String;
}

impl KindStr for redis::RedisError {
    fn kind_str(&self) -> String {
        format!("{:?}", self.kind())
    }
}

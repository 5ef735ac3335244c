use std::str::FromStr;
use std::time::Duration;

use crewplots_domain::health::{BoxFuture, DependencyProbe, PoolUsage, ProbeFailure};
use deadpool_postgres::{Manager, ManagerConfig, Pool, RecyclingMethod, Runtime};

use crate::deadline::{Deadlines, WatchedConnect, SILENCE_GRACE};

/// Why a pool could not be built. Only configuration can fail here: the pool connects lazily.
#[derive(Debug, thiserror::Error)]
pub enum PoolError {
    #[error("DATABASE_URL is not a valid PostgreSQL connection string")]
    InvalidUrl,
    #[error("could not build the PostgreSQL pool: {0}")]
    Build(String),
}

/// Sizes and time limits of the pool.
#[derive(Debug, Clone, Copy)]
pub struct PoolOptions {
    pub max_size: usize,
    /// Limit for waiting on a free connection and for creating or recycling one. Kept short so that a
    /// database outage turns into a quick 503 instead of a hanging request.
    pub timeout: Duration,
}

impl Default for PoolOptions {
    fn default() -> Self {
        Self {
            max_size: 16,
            timeout: Duration::from_secs(2),
        }
    }
}

/// Builds a lazily connecting pool with the default [`Deadlines`].
pub fn build_pool(url: &str, options: PoolOptions) -> Result<Pool, PoolError> {
    build_pool_with(url, options, Deadlines::default())
}

/// Builds a lazily connecting pool. Nothing is contacted until the first query, so a database that is down
/// at start-up does not stop the process; readiness reports it instead.
///
/// Every statement on its connections has a deadline of its own (see [`crate::deadline`]): the server
/// cancels it after `deadlines.statement` (`statement_timeout`, unless the URL's `options` set one), and
/// the client notices a server that stopped answering within `deadlines.liveness_check` plus
/// `deadlines.connect` (1.5 s by default), so a hung database gives a quick "unavailable" rather than a
/// request that waits forever.
pub fn build_pool_with(
    url: &str,
    options: PoolOptions,
    deadlines: Deadlines,
) -> Result<Pool, PoolError> {
    let mut config = tokio_postgres::Config::from_str(url).map_err(|_| PoolError::InvalidUrl)?;
    config.connect_timeout(deadlines.connect);
    if config.get_application_name().is_none() {
        config.application_name("crewplots");
    }
    let mut server_options = config.get_options().unwrap_or_default().to_string();
    // The queries here are short index lookups; PostgreSQL's JIT compiler (on by default where it is built
    // in, as in the official image) costs tens of milliseconds per query whose estimate crosses its
    // threshold, which is most of the board's time. Operators can still turn it on in the URL's options.
    if !server_options.contains("jit") {
        server_options.push_str(" -c jit=off");
    }
    // The server stops a statement at its deadline (and so answers before the client gives up on it). An
    // operator's own `statement_timeout` in the URL wins; the client then only watches for a server that
    // stopped answering, since it does not interpret the operator's value.
    let silence_limit =
        if server_options.contains("statement_timeout") || deadlines.statement.is_zero() {
            None
        } else {
            server_options.push_str(&format!(
                " -c statement_timeout={}",
                deadlines.statement.as_millis()
            ));
            Some(deadlines.statement + SILENCE_GRACE)
        };
    config.options(server_options.trim());
    // A peer that vanished (a partition, a host gone without a reset) is found by the kernel: unacknowledged
    // data fails the socket after `tcp_user_timeout`, an idle pooled connection after the keepalive probes.
    // A URL that sets these keeps its values.
    if config.get_tcp_user_timeout().is_none() {
        config.tcp_user_timeout(TCP_USER_TIMEOUT);
    }
    if !url.contains("keepalives_idle") {
        config.keepalives_idle(KEEPALIVE_IDLE);
    }
    if config.get_keepalives_interval().is_none() {
        config.keepalives_interval(KEEPALIVE_INTERVAL);
    }
    if config.get_keepalives_retries().is_none() {
        config.keepalives_retries(KEEPALIVE_RETRIES);
    }
    let manager = Manager::from_connect(
        config,
        WatchedConnect {
            deadlines,
            silence_limit,
        },
        ManagerConfig {
            // A connection whose statement ran past its deadline was closed by the watch; the fast check
            // (`is_closed`) is then enough to keep it out of the pool.
            recycling_method: RecyclingMethod::Fast,
        },
    );
    Pool::builder(manager)
        .max_size(options.max_size)
        .wait_timeout(Some(options.timeout))
        .create_timeout(Some(options.timeout))
        .recycle_timeout(Some(options.timeout))
        .runtime(Runtime::Tokio1)
        .build()
        .map_err(|e| PoolError::Build(e.to_string()))
}

const TCP_USER_TIMEOUT: Duration = Duration::from_secs(10);
const KEEPALIVE_IDLE: Duration = Duration::from_secs(30);
const KEEPALIVE_INTERVAL: Duration = Duration::from_secs(10);
const KEEPALIVE_RETRIES: u32 = 3;

/// Readiness probe: a `SELECT 1` through the pool.
#[derive(Debug, Clone)]
pub struct PgProbe(pub Pool);

impl DependencyProbe for PgProbe {
    fn name(&self) -> &'static str {
        "postgres"
    }

    fn ping(&self) -> BoxFuture<'_, Result<(), ProbeFailure>> {
        Box::pin(async move {
            let client = self
                .0
                .get()
                .await
                .map_err(|e| ProbeFailure(format!("no connection: {e}")))?;
            client
                .simple_query("SELECT 1")
                .await
                .map_err(|e| ProbeFailure(format!("query failed: {e}")))?;
            Ok(())
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

use std::str::FromStr;
use std::time::Duration;

use crewplots_domain::health::{BoxFuture, DependencyProbe, PoolUsage, ProbeFailure};
use deadpool_postgres::{Manager, ManagerConfig, Pool, RecyclingMethod, Runtime};
use tokio_postgres::NoTls;

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
    /// Limit for connecting, for waiting on a free connection and for recycling one. Kept short so that a
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

/// Builds a lazily connecting pool. Nothing is contacted until the first query, so a database that is down
/// at start-up does not stop the process; readiness reports it instead.
pub fn build_pool(url: &str, options: PoolOptions) -> Result<Pool, PoolError> {
    let mut config = tokio_postgres::Config::from_str(url).map_err(|_| PoolError::InvalidUrl)?;
    config.connect_timeout(options.timeout);
    if config.get_application_name().is_none() {
        config.application_name("crewplots");
    }
    // The queries here are short index lookups; PostgreSQL's JIT compiler (on by default where it is built
    // in, as in the official image) costs tens of milliseconds per query whose estimate crosses its
    // threshold, which is most of the board's time. Operators can still turn it on in the URL's options.
    let server_options = config.get_options().unwrap_or_default().to_string();
    if !server_options.contains("jit") {
        config.options(format!("{server_options} -c jit=off").trim());
    }
    let manager = Manager::from_config(
        config,
        NoTls,
        ManagerConfig {
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

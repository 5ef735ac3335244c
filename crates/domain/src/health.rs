//! The port through which readiness checks and metrics ask a backing service whether it answers.
//!
//! Each storage crate implements [`DependencyProbe`] for its own service; the HTTP layer only sees this
//! trait, so it never has to know which driver sits behind a name.

use std::future::Future;
use std::pin::Pin;

/// A boxed future, the shape a dyn-compatible async trait method returns.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// Why a dependency is not usable right now. The text is for operators' logs and the readiness report; it
/// never contains credentials (probes describe the failure, not the connection string).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct ProbeFailure(pub String);

/// How full a connection pool is, for the metrics endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PoolUsage {
    /// Connections currently open (idle + in use).
    pub size: usize,
    /// Open connections waiting to be used.
    pub available: usize,
    /// The most the pool will open.
    pub max_size: usize,
}

/// A backing service that can be asked "do you answer?".
pub trait DependencyProbe: Send + Sync {
    /// Stable, lower-case name shown in `/health/ready` and metrics labels: `postgres`, `mongodb`, `redis`.
    fn name(&self) -> &'static str;

    /// One round trip to the service. Callers put their own time limit around it.
    fn ping(&self) -> BoxFuture<'_, Result<(), ProbeFailure>>;

    /// Pool statistics when the dependency is reached through a pool of ours.
    fn pool_usage(&self) -> Option<PoolUsage> {
        None
    }
}

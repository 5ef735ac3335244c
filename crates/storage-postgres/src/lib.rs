//! PostgreSQL implementations of the domain's storage ports, and the schema they rely on.
//!
//! What lives here: building the connection pool from a URL, the refinery migrations embedded from the
//! top-level `migrations/` folder (applied under a PostgreSQL advisory lock so that several instances may
//! start at once), and the stores themselves. Invariant: no table written from here holds sensitive personal
//! data; that goes to the encrypted MongoDB store.

mod accounts;
mod audit;
mod cash;
mod dashboard;
mod deadline;
mod documents;
mod exports;
mod hiring;
mod knowledge;
mod locations;
mod migrate;
mod notes;
mod notifications;
mod outbox;
mod pool;
mod retention;
mod scheduling;
mod shared;
mod store;

pub use deadline::{Deadlines, SILENCE_GRACE};
pub use deadpool_postgres::Pool;
pub use migrate::{migrate, migration_fingerprint, AppliedMigration, MigrateError};
pub use pool::{build_pool, build_pool_with, PgProbe, PoolError, PoolOptions};
pub use retention::AdvisoryLock;
pub use store::PgStore;

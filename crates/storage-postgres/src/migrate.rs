//! Schema migrations: the SQL files of the top-level `migrations/` folder, embedded at compile time.

use std::str::FromStr;
use std::time::Duration;

use tokio_postgres::NoTls;

mod embedded {
    refinery::embed_migrations!("../../migrations");
}

/// Key of the advisory lock every instance takes before migrating; the value spells "crewplot".
const MIGRATION_LOCK_KEY: i64 = 0x6372_6577_706c_6f74;

/// Why the schema could not be brought up to date.
#[derive(Debug, thiserror::Error)]
pub enum MigrateError {
    #[error("DATABASE_URL is not a valid PostgreSQL connection string")]
    InvalidUrl,
    #[error("cannot connect to PostgreSQL: {0}")]
    Connect(#[source] tokio_postgres::Error),
    #[error("cannot take the migration lock: {0}")]
    Lock(#[source] tokio_postgres::Error),
    #[error("a migration failed: {0}")]
    Migration(#[source] refinery::Error),
}

/// One migration that this call applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppliedMigration {
    pub version: i32,
    pub name: String,
}

/// Applies every pending migration and returns those it applied (empty when the schema was current).
///
/// Uses its own connection rather than the pool: the advisory lock is held by a session, and it must be the
/// same session that runs the migrations. A second instance starting at the same moment waits on the lock,
/// then finds nothing left to do.
pub async fn migrate(url: &str) -> Result<Vec<AppliedMigration>, MigrateError> {
    let mut config = tokio_postgres::Config::from_str(url).map_err(|_| MigrateError::InvalidUrl)?;
    config.connect_timeout(Duration::from_secs(5));
    config.application_name("crewplots-migrate");
    let (mut client, connection) = config.connect(NoTls).await.map_err(MigrateError::Connect)?;
    let connection = tokio::spawn(async move {
        if let Err(error) = connection.await {
            tracing::warn!(%error, "migration connection closed with an error");
        }
    });

    client
        .execute("SELECT pg_advisory_lock($1)", &[&MIGRATION_LOCK_KEY])
        .await
        .map_err(MigrateError::Lock)?;
    let report = embedded::migrations::runner()
        .set_abort_divergent(true)
        .run_async(&mut client)
        .await;
    // The lock is released by closing the session below even if this statement fails.
    let _ = client
        .execute("SELECT pg_advisory_unlock($1)", &[&MIGRATION_LOCK_KEY])
        .await;
    drop(client);
    let _ = connection.await;

    let report = report.map_err(MigrateError::Migration)?;
    Ok(report
        .applied_migrations()
        .iter()
        .map(|m| AppliedMigration {
            version: m.version(),
            name: m.name().to_string(),
        })
        .collect())
}

/// A short fingerprint of the embedded migrations (versions and checksums). Test harnesses name their
/// migrated template database after it, so a changed migration never reuses a stale template.
pub fn migration_fingerprint() -> String {
    let mut acc: u64 = 0xcbf2_9ce4_8422_2325;
    for migration in embedded::migrations::runner().get_migrations() {
        for byte in format!("{}:{};", migration.version(), migration.checksum()).bytes() {
            acc ^= u64::from(byte);
            acc = acc.wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("{acc:016x}")
}

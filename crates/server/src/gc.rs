//! The orphan sweep (`crewplots-server gc`, and once after every start): removes encrypted content that has
//! no PostgreSQL row — left by an upload, registration, note or letter interrupted between its two writes —
//! once it is older than a grace period, so a write still in flight on another instance is never touched.
//!
//! Invariants:
//! - One sweep at a time across all instances (scale-out rule, ARCHITECTURE.md): a sweep holds the PostgreSQL
//!   advisory lock [`LOCK_KEY`] on a connection of its own. [`sweep`] waits for a sweep running elsewhere to
//!   finish (up to [`LOCK_WAIT`]), so a sweep that was asked for always runs; [`sweep_unless_running`] skips
//!   instead, for work that another instance is doing right now anyway (the sweep after a start).
//! - "Older than the grace period" is decided at the precision MongoDB stores times in (whole milliseconds,
//!   truncated): content stamped in the cutoff's millisecond or before counts as old enough.

use std::collections::HashSet;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use crewplots_domain::ports::{AccountStore, BodyVault, DocumentStore, NoteStore, ProfileVault};
use crewplots_storage_mongo::{GridFsDocumentVault, MongoBodyVault, MongoProfileVault};
use crewplots_storage_postgres::{AdvisoryLock, PgStore};

/// The advisory lock key of the orphan sweep ("orphangc" in ASCII), distinct from the migrations' and the
/// retention job's.
pub const LOCK_KEY: i64 = 0x6f72_7068_616e_6763;

/// How long [`sweep`] waits for a sweep on another instance before it gives up (reporting `skipped_locked`).
pub const LOCK_WAIT: Duration = Duration::from_secs(300);

/// Pause between two attempts to take the lock while another instance holds it.
const LOCK_POLL: Duration = Duration::from_millis(100);

/// What a sweep removed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SweepReport {
    /// Another instance was sweeping: this sweep did nothing.
    pub skipped_locked: bool,
    pub documents_checked: usize,
    pub documents_removed: usize,
    pub profiles_checked: usize,
    pub profiles_removed: usize,
    pub bodies_checked: usize,
    pub bodies_removed: usize,
}

impl std::fmt::Display for SweepReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.skipped_locked {
            return f.write_str("another instance is sweeping; nothing done");
        }
        write!(
            f,
            "documents: {} checked, {} orphans removed; profiles: {} checked, {} orphans removed; \
             letters and note bodies: {} checked, {} orphans removed",
            self.documents_checked,
            self.documents_removed,
            self.profiles_checked,
            self.profiles_removed,
            self.bodies_checked,
            self.bodies_removed
        )
    }
}

/// One sweep over GridFS content, encrypted profiles and bodies, after any sweep running on another instance
/// has finished (`crewplots-server gc`). Reports `skipped_locked` only when that one takes longer than
/// [`LOCK_WAIT`].
pub async fn sweep(
    pg: &PgStore,
    documents: &GridFsDocumentVault,
    profiles: &MongoProfileVault,
    bodies: &MongoBodyVault,
    grace: Duration,
) -> anyhow::Result<SweepReport> {
    let deadline = Instant::now() + LOCK_WAIT;
    let lock = loop {
        if let Some(lock) = pg.try_advisory_lock(LOCK_KEY).await? {
            break lock;
        }
        if Instant::now() >= deadline {
            return Ok(skipped());
        }
        tokio::time::sleep(LOCK_POLL).await;
    };
    sweep_holding(lock, pg, documents, profiles, bodies, grace).await
}

/// One sweep, unless another instance is sweeping right now (then `skipped_locked` and nothing done).
pub async fn sweep_unless_running(
    pg: &PgStore,
    documents: &GridFsDocumentVault,
    profiles: &MongoProfileVault,
    bodies: &MongoBodyVault,
    grace: Duration,
) -> anyhow::Result<SweepReport> {
    match pg.try_advisory_lock(LOCK_KEY).await? {
        Some(lock) => sweep_holding(lock, pg, documents, profiles, bodies, grace).await,
        None => Ok(skipped()),
    }
}

fn skipped() -> SweepReport {
    SweepReport {
        skipped_locked: true,
        ..SweepReport::default()
    }
}

/// The sweep itself; `_lock` is released (its connection closed) when this returns.
async fn sweep_holding(
    _lock: AdvisoryLock,
    pg: &PgStore,
    documents: &GridFsDocumentVault,
    profiles: &MongoProfileVault,
    bodies: &MongoBodyVault,
    grace: Duration,
) -> anyhow::Result<SweepReport> {
    let cutoff = stored_time_cutoff(Utc::now() - chrono::Duration::from_std(grace)?);
    let mut report = SweepReport::default();

    let stored = documents.ids_before(cutoff).await?;
    report.documents_checked = stored.len();
    let known: HashSet<String> = pg.known_content_ids().await?.into_iter().collect();
    for id in stored.iter().filter(|id| !known.contains(*id)) {
        documents.remove(id).await?;
        report.documents_removed += 1;
    }

    let owners = profiles.owners_before(cutoff).await?;
    report.profiles_checked = owners.len();
    let existing: HashSet<uuid::Uuid> = pg.existing_users(&owners).await?.into_iter().collect();
    for owner in owners.iter().filter(|o| !existing.contains(o)) {
        profiles.erase(*owner).await?;
        report.profiles_removed += 1;
    }

    let ids = bodies.ids_before(cutoff).await?;
    report.bodies_checked = ids.len();
    let known: HashSet<uuid::Uuid> = pg.known_body_ids(&ids).await?.into_iter().collect();
    for id in ids.iter().filter(|id| !known.contains(*id)) {
        bodies.erase(*id).await?;
        report.bodies_removed += 1;
    }
    Ok(report)
}

/// The cutoff the vaults compare with ("stamped before"), for "written at or before `cutoff`": the start of
/// the next whole millisecond. MongoDB keeps times as whole milliseconds (truncated), and the vaults truncate
/// the cutoff too, so without this, content written in the cutoff's own millisecond would not count as old
/// enough — a sweep with no grace period would then keep an orphan written a moment before it started.
fn stored_time_cutoff(cutoff: DateTime<Utc>) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(cutoff.timestamp_millis().saturating_add(1)).unwrap_or(cutoff)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cutoff_includes_everything_stamped_in_its_millisecond() {
        // 123.456 ms past a second: writes up to then are stamped ...123 ms, so the vaults must look below 124.
        let cutoff = DateTime::from_timestamp_micros(1_700_000_000_123_456).unwrap();
        assert_eq!(
            stored_time_cutoff(cutoff).timestamp_millis(),
            1_700_000_000_124
        );
    }

    #[test]
    fn a_skipped_sweep_says_so() {
        assert_eq!(
            skipped().to_string(),
            "another instance is sweeping; nothing done"
        );
    }
}

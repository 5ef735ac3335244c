//! The orphan sweep (`crewplots-server gc`, and once after every start): removes encrypted content that has
//! no PostgreSQL row — left by an upload, registration, note or letter interrupted between its two writes —
//! once it is older than a grace period, so a write still in flight on another instance is never touched.

use std::collections::HashSet;
use std::time::Duration;

use chrono::Utc;
use crewplots_domain::ports::{AccountStore, BodyVault, DocumentStore, NoteStore, ProfileVault};
use crewplots_storage_mongo::{GridFsDocumentVault, MongoBodyVault, MongoProfileVault};
use crewplots_storage_postgres::PgStore;

/// What a sweep removed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SweepReport {
    pub documents_checked: usize,
    pub documents_removed: usize,
    pub profiles_checked: usize,
    pub profiles_removed: usize,
    pub bodies_checked: usize,
    pub bodies_removed: usize,
}

impl std::fmt::Display for SweepReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
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

/// One sweep over GridFS content and encrypted profiles.
pub async fn sweep(
    pg: &PgStore,
    documents: &GridFsDocumentVault,
    profiles: &MongoProfileVault,
    bodies: &MongoBodyVault,
    grace: Duration,
) -> anyhow::Result<SweepReport> {
    let cutoff = Utc::now() - chrono::Duration::from_std(grace)?;
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

//! The orphan sweep (`crewplots-server gc`, and once after every start): removes encrypted content that has
//! no PostgreSQL row — left by an upload or registration interrupted between its two writes — once it is
//! older than a grace period, so an upload still in flight on another instance is never touched.

use std::collections::HashSet;
use std::time::Duration;

use chrono::Utc;
use crewplots_domain::ports::{AccountStore, DocumentStore, ProfileVault};
use crewplots_storage_mongo::{GridFsDocumentVault, MongoProfileVault};
use crewplots_storage_postgres::PgStore;

/// What a sweep removed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SweepReport {
    pub documents_checked: usize,
    pub documents_removed: usize,
    pub profiles_checked: usize,
    pub profiles_removed: usize,
}

/// One sweep over GridFS content and encrypted profiles.
pub async fn sweep(
    pg: &PgStore,
    documents: &GridFsDocumentVault,
    profiles: &MongoProfileVault,
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
    Ok(report)
}

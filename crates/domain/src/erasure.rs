//! Erasing a person (SPEC §3): the one path every erasure takes — "delete my account", an administrator's
//! erasure and the retention job.
//!
//! Order and invariants: the encrypted content in MongoDB goes first (documents in GridFS, the profile with
//! its wrapped key, motivation letters and note bodies about the person); only when all of that succeeded
//! is the account deleted from PostgreSQL, with its audit line in the same transaction. If MongoDB is down
//! nothing is deleted from PostgreSQL, so a retry finds the person and finishes. Of two erasures of one
//! person at once, exactly one deletes the account and writes the audit line (the other gets `NotFound`).
//! Sessions are the caller's business (the HTTP layer revokes them; the background job has none to end
//! that matter: authentication reads the account, which is gone).

use uuid::Uuid;

use crate::accounts::AuditEvent;
use crate::ports::{
    AccountStore, BodyVault, DocumentStore, DocumentVault, ProfileVault, StoreError,
};

/// The stores an erasure touches.
#[derive(Clone, Copy)]
pub struct ErasureStores<'a> {
    pub accounts: &'a dyn AccountStore,
    pub documents: &'a dyn DocumentStore,
    pub vault: &'a dyn DocumentVault,
    pub profiles: &'a dyn ProfileVault,
    pub bodies: &'a dyn BodyVault,
}

impl std::fmt::Debug for ErasureStores<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ErasureStores").finish_non_exhaustive()
    }
}

/// Why an erasure stopped.
#[derive(Debug, thiserror::Error)]
pub enum ErasureError {
    /// The encrypted content store failed; nothing was deleted from PostgreSQL.
    #[error("the content store is unavailable: {0}")]
    ContentUnavailable(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// What an erasure removed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Erased {
    pub documents: usize,
}

/// Erases `person`; `audit` is written with the account's deletion, with the number of documents added.
pub async fn erase_person(
    stores: ErasureStores<'_>,
    person: Uuid,
    audit: AuditEvent,
) -> Result<Erased, ErasureError> {
    let documents = stores.documents.list_for_owner(person).await?;
    for document in &documents {
        stores
            .vault
            .delete(&document.gridfs_id)
            .await
            .map_err(|error| ErasureError::ContentUnavailable(error.to_string()))?;
    }
    stores
        .profiles
        .erase(person)
        .await
        .map_err(|error| ErasureError::ContentUnavailable(error.to_string()))?;
    // Motivation letters and the notes staff wrote about the person.
    stores
        .bodies
        .erase_owner(person)
        .await
        .map_err(|error| ErasureError::ContentUnavailable(error.to_string()))?;
    stores
        .accounts
        .erase_user(
            person,
            audit.detail("documents", documents.len().to_string()),
        )
        .await?;
    Ok(Erased {
        documents: documents.len(),
    })
}

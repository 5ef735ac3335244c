//! Key rotation over a collection of sealed objects whose `_id` is the object's UUID (profiles, bodies).

use crewplots_crypto::{sealed, KeyRing};
use crewplots_domain::ports::{StoreError, StoreResult};
use mongodb::bson::{doc, Document};
use uuid::Uuid;

use crate::profiles::store_error;
use crate::{MongoStore, SealedFields};

/// Progress of a key rotation over one collection.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RotationProgress {
    /// Objects re-wrapped by this run.
    pub rewrapped: u64,
    /// Objects still wrapped under a key other than the primary.
    pub remaining: u64,
}

/// Objects of `collection` whose data key is wrapped under another key than the primary.
pub(crate) async fn count_under_old_keys(
    store: &MongoStore,
    collection: &mongodb::Collection<Document>,
    keys: &KeyRing,
    fields: SealedFields,
) -> StoreResult<u64> {
    store
        .bounded(collection.count_documents(doc! { fields.kek: { "$ne": keys.primary().id() } }))
        .await
        .map_err(store_error)
}

/// Re-wraps every object's data key under the primary key, one document at a time (so an interrupted run
/// simply continues where it stopped). The sealed content is not touched. `report` is called at the start,
/// every 100 objects and at the end.
pub(crate) async fn rotate_collection(
    store: &MongoStore,
    collection: &mongodb::Collection<Document>,
    keys: &KeyRing,
    fields: SealedFields,
    mut report: impl FnMut(RotationProgress),
) -> StoreResult<RotationProgress> {
    let primary = keys.primary().id().to_string();
    let mut progress = RotationProgress {
        rewrapped: 0,
        remaining: count_under_old_keys(store, collection, keys, fields).await?,
    };
    report(progress);
    let mut cursor = store
        .bounded(
            collection
                .find(doc! { fields.kek: { "$ne": &primary } })
                .projection(doc! { "_id": 1, fields.kek: 1, fields.dek: 1 }),
        )
        .await
        .map_err(store_error)?;
    while let Some(document) = store.next(&mut cursor).await.map_err(store_error)? {
        let malformed =
            || StoreError::Other(format!("malformed document in {}", collection.name()));
        let id = document
            .get_str("_id")
            .map_err(|_| malformed())?
            .to_string();
        let object: Uuid = id.parse().map_err(|_| malformed())?;
        let kek = document.get_str(fields.kek).map_err(|_| malformed())?;
        let dek = document
            .get_binary_generic(fields.dek)
            .map_err(|_| malformed())?;
        let (new_kek, new_dek) = sealed::rewrap(keys, object.as_bytes(), kek, dek)
            .map_err(|e| StoreError::Other(format!("{} {id}: {e}", collection.name())))?;
        // Only replace what this run read: a concurrent save wins and is already under the primary key.
        store
            .bounded(collection.update_one(
                doc! { "_id": &id, fields.kek: kek },
                doc! { "$set": fields.rewrapped_bson(new_kek, new_dek) },
            ))
            .await
            .map_err(store_error)?;
        progress.rewrapped += 1;
        progress.remaining = progress.remaining.saturating_sub(1);
        if progress.rewrapped.is_multiple_of(100) {
            report(progress);
        }
    }
    progress.remaining = count_under_old_keys(store, collection, keys, fields).await?;
    report(progress);
    Ok(progress)
}

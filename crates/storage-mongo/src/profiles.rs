//! Encrypted profiles: one document per person in `profiles`, holding the sealed profile object.

use std::sync::Arc;

use async_trait::async_trait;
use crewplots_crypto::{sealed, KeyRing, ObjectContext};
use crewplots_domain::accounts::SensitiveProfile;
use crewplots_domain::ports::{ProfileVault, StoreError, StoreResult};
use mongodb::bson::{doc, Document};
use mongodb::error::ErrorKind;
use uuid::Uuid;

use crate::rotation::RotationProgress;
use crate::{describe, MongoStore, SealedFields};

const COLLECTION: &str = "profiles";
const KIND: &str = "profile";
const FIELDS: SealedFields = SealedFields {
    kek: "kek",
    dek: "dek",
    content: "ct",
};

/// The `ProfileVault` on MongoDB: seals with the key ring before writing, opens after reading.
#[derive(Clone)]
pub struct MongoProfileVault {
    store: MongoStore,
    keys: Arc<KeyRing>,
}

impl std::fmt::Debug for MongoProfileVault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("MongoProfileVault")
    }
}

impl MongoProfileVault {
    pub fn new(store: MongoStore, keys: Arc<KeyRing>) -> Self {
        Self { store, keys }
    }

    fn collection(&self) -> mongodb::Collection<Document> {
        self.store.database().collection(COLLECTION)
    }
}

pub(crate) fn store_error(error: mongodb::error::Error) -> StoreError {
    match *error.kind {
        ErrorKind::ServerSelection { .. }
        | ErrorKind::Io(_)
        | ErrorKind::ConnectionPoolCleared { .. } => StoreError::Unavailable(describe(&error)),
        _ => StoreError::Other(describe(&error)),
    }
}

#[async_trait]
impl ProfileVault for MongoProfileVault {
    async fn save(&self, owner: Uuid, profile: &SensitiveProfile) -> StoreResult<()> {
        let plain = serde_json::to_vec(profile).map_err(|e| StoreError::Other(e.to_string()))?;
        let ctx = ObjectContext {
            kind: KIND,
            object_id: owner.as_bytes(),
            owner_id: owner.as_bytes(),
        };
        let sealed =
            sealed::seal(&self.keys, &ctx, &plain).map_err(|e| StoreError::Other(e.to_string()))?;
        self.store
            .bounded(
                self.collection()
                    .replace_one(doc! { "_id": owner.to_string() }, {
                        let mut document = doc! { "_id": owner.to_string(), "v": 1 };
                        document.extend(FIELDS.to_bson(sealed));
                        document.insert("updatedAt", mongodb::bson::DateTime::now());
                        document
                    })
                    .upsert(true),
            )
            .await
            .map_err(store_error)?;
        Ok(())
    }

    async fn load(&self, owner: Uuid) -> StoreResult<Option<SensitiveProfile>> {
        let Some(document) = self
            .store
            .bounded(
                self.collection()
                    .find_one(doc! { "_id": owner.to_string() }),
            )
            .await
            .map_err(store_error)?
        else {
            return Ok(None);
        };
        let sealed = FIELDS
            .read(&document)
            .ok_or_else(|| StoreError::Other("malformed profile document".into()))?;
        let ctx = ObjectContext {
            kind: KIND,
            object_id: owner.as_bytes(),
            owner_id: owner.as_bytes(),
        };
        let plain = sealed::open(&self.keys, &ctx, &sealed)
            .map_err(|e| StoreError::Other(e.to_string()))?;
        serde_json::from_slice(&plain)
            .map(Some)
            .map_err(|_| StoreError::Other("profile does not decode".into()))
    }

    async fn erase(&self, owner: Uuid) -> StoreResult<()> {
        self.store
            .bounded(
                self.collection()
                    .delete_one(doc! { "_id": owner.to_string() }),
            )
            .await
            .map_err(store_error)?;
        Ok(())
    }

    async fn owners_before(
        &self,
        older_than: chrono::DateTime<chrono::Utc>,
    ) -> StoreResult<Vec<Uuid>> {
        crate::ids_updated_before(&self.store, &self.collection(), older_than).await
    }
}

impl MongoProfileVault {
    /// Profiles whose data key is wrapped under another key than the primary.
    pub async fn count_under_old_keys(&self) -> StoreResult<u64> {
        crate::rotation::count_under_old_keys(&self.store, &self.collection(), &self.keys, FIELDS)
            .await
    }

    /// Re-wraps every profile's data key under the primary key (resumable; content untouched).
    pub async fn rotate_keys(
        &self,
        report: impl FnMut(RotationProgress),
    ) -> StoreResult<RotationProgress> {
        crate::rotation::rotate_collection(
            &self.store,
            &self.collection(),
            &self.keys,
            FIELDS,
            report,
        )
        .await
    }
}

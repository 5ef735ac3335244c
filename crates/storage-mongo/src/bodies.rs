//! Encrypted rich-text bodies in the `sealed_bodies` collection: note bodies and motivation letters. The
//! owner (the person a body is about) is stored as an opaque id so a person's bodies can be erased together;
//! the kind and the owner are also bound into the sealed object, so a body moved to another person or kind
//! no longer opens.

use std::sync::Arc;

use async_trait::async_trait;
use crewplots_crypto::{sealed, KeyRing, ObjectContext};
use crewplots_domain::ports::{BodyVault, StoreError, StoreResult};
use mongodb::bson::{doc, Document};
use uuid::Uuid;

use crate::profiles::store_error;
use crate::rotation::RotationProgress;
use crate::{MongoStore, SealedFields};

pub(crate) const COLLECTION: &str = "sealed_bodies";
const FIELDS: SealedFields = SealedFields {
    kek: "kek",
    dek: "dek",
    content: "ct",
};

/// The `BodyVault` on MongoDB.
#[derive(Clone)]
pub struct MongoBodyVault {
    store: MongoStore,
    keys: Arc<KeyRing>,
}

impl std::fmt::Debug for MongoBodyVault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("MongoBodyVault")
    }
}

impl MongoBodyVault {
    pub fn new(store: MongoStore, keys: Arc<KeyRing>) -> Self {
        Self { store, keys }
    }

    fn collection(&self) -> mongodb::Collection<Document> {
        self.store.database().collection(COLLECTION)
    }

    /// Bodies whose data key is wrapped under another key than the primary.
    /// Ids of bodies last saved before `older_than` (for the orphan sweep).
    pub async fn ids_before(
        &self,
        older_than: chrono::DateTime<chrono::Utc>,
    ) -> StoreResult<Vec<Uuid>> {
        crate::ids_updated_before(&self.store, &self.collection(), older_than).await
    }

    pub async fn count_under_old_keys(&self) -> StoreResult<u64> {
        crate::rotation::count_under_old_keys(&self.store, &self.collection(), &self.keys, FIELDS)
            .await
    }

    /// Re-wraps every body's data key under the primary key (resumable; content untouched).
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

fn context<'a>(id: &'a Uuid, owner: &'a Uuid, kind: &'a str) -> ObjectContext<'a> {
    ObjectContext {
        kind,
        object_id: id.as_bytes(),
        owner_id: owner.as_bytes(),
    }
}

#[async_trait]
impl BodyVault for MongoBodyVault {
    async fn save(&self, id: Uuid, owner: Uuid, kind: &str, body: &str) -> StoreResult<()> {
        let sealed = sealed::seal(&self.keys, &context(&id, &owner, kind), body.as_bytes())
            .map_err(|e| StoreError::Other(e.to_string()))?;
        let mut document = doc! { "_id": id.to_string(), "owner": owner.to_string(), "v": 1 };
        document.extend(FIELDS.to_bson(sealed));
        document.insert("updatedAt", mongodb::bson::DateTime::now());
        self.store
            .bounded(
                self.collection()
                    .replace_one(doc! { "_id": id.to_string() }, document)
                    .upsert(true),
            )
            .await
            .map_err(store_error)?;
        Ok(())
    }

    async fn load(&self, id: Uuid, owner: Uuid, kind: &str) -> StoreResult<Option<String>> {
        let Some(document) = self
            .store
            .bounded(self.collection().find_one(doc! { "_id": id.to_string() }))
            .await
            .map_err(store_error)?
        else {
            return Ok(None);
        };
        let sealed = FIELDS
            .read(&document)
            .ok_or_else(|| StoreError::Other("malformed body document".into()))?;
        let plain = sealed::open(&self.keys, &context(&id, &owner, kind), &sealed)
            .map_err(|e| StoreError::Other(e.to_string()))?;
        String::from_utf8(plain)
            .map(Some)
            .map_err(|_| StoreError::Other("body is not UTF-8".into()))
    }

    async fn erase(&self, id: Uuid) -> StoreResult<()> {
        self.store
            .bounded(self.collection().delete_one(doc! { "_id": id.to_string() }))
            .await
            .map_err(store_error)?;
        Ok(())
    }

    async fn erase_owner(&self, owner: Uuid) -> StoreResult<u64> {
        let deleted = self
            .store
            .bounded(
                self.collection()
                    .delete_many(doc! { "owner": owner.to_string() }),
            )
            .await
            .map_err(store_error)?;
        Ok(deleted.deleted_count)
    }
}

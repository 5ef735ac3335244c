//! MongoDB implementations of the domain's ports for sensitive content.
//!
//! What lives here: the client built from `MONGODB_URL`, the GridFS bucket `sensitive_documents`, the
//! collections for encrypted profiles and rich-text bodies, and the indexes they need (created at start).
//! Invariant: MongoDB only ever receives ciphertext — the stores here seal content with the `crypto` crate
//! before writing it and open it after reading.
//!
//! Deadlines: the driver has no socket timeout, and a stalled server (a `SIGSTOP`ped process, a proxy that
//! accepts but never answers) keeps a request on an open connection waiting for as long as the server's
//! monitor takes to give up on it. So every operation here goes through [`MongoStore::bounded`] (cursors
//! batch by batch, GridFS transfers chunk by chunk) and fails as an I/O `TimedOut` — "unavailable" to the
//! stores' error mappings — once it has waited the store's timeout.

use std::time::Duration;

mod bodies;
mod documents;
mod profiles;
mod rotation;

pub use bodies::MongoBodyVault;
pub use documents::GridFsDocumentVault;

pub use profiles::MongoProfileVault;
pub use rotation::RotationProgress;

use crewplots_domain::health::{BoxFuture, DependencyProbe, ProbeFailure};
use mongodb::bson::doc;
use mongodb::options::{ClientOptions, GridFsBucketOptions, IndexOptions};
use mongodb::{Client, Database, IndexModel};

pub use mongodb;

/// Name of the GridFS bucket that holds encrypted documents.
pub const DOCUMENTS_BUCKET: &str = "sensitive_documents";

/// Why the MongoDB store could not be set up.
#[derive(Debug, thiserror::Error)]
pub enum MongoError {
    #[error("MONGODB_URL is not a valid MongoDB connection string")]
    InvalidUrl,
    #[error("MONGODB_DB_NAME must be 1–63 characters without '/', '.', ' ', '$' or quotes")]
    InvalidDatabaseName,
    #[error("MongoDB request failed: {0}")]
    Driver(#[from] mongodb::error::Error),
}

/// The handle every MongoDB-backed store is built from.
#[derive(Debug, Clone)]
pub struct MongoStore {
    client: Client,
    db: Database,
    /// The deadline of each operation, batch or chunk.
    timeout: Duration,
}

impl MongoStore {
    /// Parses the URL and prepares a client. The driver connects lazily, so a server that is down at
    /// start-up is reported by readiness rather than stopping the process. `timeout` bounds server
    /// selection, connecting and each operation (see the crate's deadlines), which is what turns an outage
    /// or a stalled server into a quick 503.
    pub async fn connect(url: &str, db_name: &str, timeout: Duration) -> Result<Self, MongoError> {
        if !valid_database_name(db_name) {
            return Err(MongoError::InvalidDatabaseName);
        }
        let mut options = ClientOptions::parse(url)
            .await
            .map_err(|_| MongoError::InvalidUrl)?;
        options.app_name.get_or_insert_with(|| "crewplots".into());
        options.server_selection_timeout = Some(timeout);
        options.connect_timeout = Some(timeout);
        let client = Client::with_options(options).map_err(|_| MongoError::InvalidUrl)?;
        let db = client.database(db_name);
        Ok(Self {
            client,
            db,
            timeout,
        })
    }

    /// Runs one operation within the store's deadline; past it, an I/O `TimedOut` error.
    pub(crate) async fn bounded<T>(
        &self,
        operation: impl std::future::IntoFuture<Output = mongodb::error::Result<T>>,
    ) -> mongodb::error::Result<T> {
        tokio::time::timeout(self.timeout, operation)
            .await
            .unwrap_or_else(|_| Err(self.timed_out()))
    }

    /// The next document of `cursor` (one batch round trip at most) within the store's deadline.
    pub(crate) async fn next<T>(
        &self,
        cursor: &mut mongodb::Cursor<T>,
    ) -> mongodb::error::Result<Option<T>>
    where
        T: serde::de::DeserializeOwned + Send + Sync + Unpin,
    {
        use futures_util::TryStreamExt;
        self.bounded(cursor.try_next()).await
    }

    /// Every document of `cursor`, each batch within the store's deadline.
    pub(crate) async fn collect<T>(
        &self,
        mut cursor: mongodb::Cursor<T>,
    ) -> mongodb::error::Result<Vec<T>>
    where
        T: serde::de::DeserializeOwned + Send + Sync + Unpin,
    {
        let mut all = Vec::new();
        while let Some(item) = self.next(&mut cursor).await? {
            all.push(item);
        }
        Ok(all)
    }

    /// The error of an operation that ran past the deadline.
    pub(crate) fn timed_out(&self) -> mongodb::error::Error {
        std::io::Error::new(
            std::io::ErrorKind::TimedOut,
            format!("MongoDB did not answer within {:?}", self.timeout),
        )
        .into()
    }

    /// The deadline of each operation.
    pub(crate) fn timeout(&self) -> Duration {
        self.timeout
    }

    /// The application database.
    pub fn database(&self) -> &Database {
        &self.db
    }

    /// The GridFS bucket of encrypted documents.
    pub fn documents_bucket(&self) -> mongodb::gridfs::GridFsBucket {
        self.db.gridfs_bucket(
            GridFsBucketOptions::builder()
                .bucket_name(DOCUMENTS_BUCKET.to_string())
                .build(),
        )
    }

    /// Creates every index the stores rely on. Idempotent; run at each start.
    pub async fn ensure_indexes(&self) -> Result<(), MongoError> {
        // GridFS's own indexes, created up front rather than on the first upload so that the unique
        // chunk index exists before two instances race to write.
        self.bounded(
            self.db
                .collection::<mongodb::bson::Document>(&format!("{DOCUMENTS_BUCKET}.chunks"))
                .create_index(
                    IndexModel::builder()
                        .keys(doc! { "files_id": 1, "n": 1 })
                        .options(IndexOptions::builder().unique(true).build())
                        .build(),
                ),
        )
        .await?;
        self.bounded(
            self.db
                .collection::<mongodb::bson::Document>(&format!("{DOCUMENTS_BUCKET}.files"))
                .create_index(
                    IndexModel::builder()
                        .keys(doc! { "filename": 1, "uploadDate": 1 })
                        .build(),
                ),
        )
        .await?;
        // Erasing a person deletes their bodies by owner.
        self.bounded(
            self.db
                .collection::<mongodb::bson::Document>(bodies::COLLECTION)
                .create_index(IndexModel::builder().keys(doc! { "owner": 1 }).build()),
        )
        .await?;
        Ok(())
    }

    /// Closes the client's connections; used at shutdown.
    pub async fn shutdown(self) {
        self.client.shutdown().await;
    }
}

fn valid_database_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() < 64
        && !name
            .chars()
            .any(|c| matches!(c, '/' | '\\' | '.' | ' ' | '"' | '$' | '\0'))
}

/// Readiness probe: the `ping` command.
#[derive(Debug, Clone)]
pub struct MongoProbe(pub MongoStore);

impl DependencyProbe for MongoProbe {
    fn name(&self) -> &'static str {
        "mongodb"
    }

    fn ping(&self) -> BoxFuture<'_, Result<(), ProbeFailure>> {
        Box::pin(async move {
            self.0
                .bounded(self.0.db.run_command(doc! { "ping": 1 }))
                .await
                .map(|_| ())
                .map_err(|e| ProbeFailure(describe(&e)))
        })
    }
}

/// A short description of a driver error without the connection string (the driver's own messages can
/// include the host list, never credentials, but they are long).
/// Bytes as a generic BSON binary value.
/// The `_id`s (UUID strings) of the documents of `collection` whose `updatedAt` is before `older_than`: the
/// candidates of the orphan sweep for sealed objects keyed by a UUID.
pub(crate) async fn ids_updated_before(
    store: &MongoStore,
    collection: &mongodb::Collection<mongodb::bson::Document>,
    older_than: chrono::DateTime<chrono::Utc>,
) -> crewplots_domain::ports::StoreResult<Vec<uuid::Uuid>> {
    let cutoff = mongodb::bson::DateTime::from_millis(older_than.timestamp_millis());
    let cursor = store
        .bounded(
            collection
                .find(doc! { "updatedAt": { "$lt": cutoff } })
                .projection(doc! { "_id": 1 }),
        )
        .await
        .map_err(profiles::store_error)?;
    let documents = store.collect(cursor).await.map_err(profiles::store_error)?;
    Ok(documents
        .iter()
        .filter_map(|d| d.get_str("_id").ok().and_then(|id| id.parse().ok()))
        .collect())
}

pub(crate) fn binary(bytes: Vec<u8>) -> mongodb::bson::Binary {
    mongodb::bson::Binary {
        subtype: mongodb::bson::spec::BinarySubtype::Generic,
        bytes,
    }
}

/// Where a sealed object's three parts live in a BSON document (the profile's top level, a GridFS file's
/// metadata for the sealed file name).
#[derive(Debug, Clone, Copy)]
pub(crate) struct SealedFields {
    pub kek: &'static str,
    pub dek: &'static str,
    pub content: &'static str,
}

impl SealedFields {
    /// The three fields to store.
    pub(crate) fn to_bson(self, sealed: crewplots_crypto::SealedObject) -> mongodb::bson::Document {
        doc! {
            self.kek: sealed.kek_id,
            self.dek: binary(sealed.wrapped_dek),
            self.content: binary(sealed.content),
        }
    }

    /// The two fields a key rotation replaces.
    pub(crate) fn rewrapped_bson(
        self,
        kek_id: String,
        wrapped_dek: Vec<u8>,
    ) -> mongodb::bson::Document {
        let dek = mongodb::bson::Binary {
            subtype: mongodb::bson::spec::BinarySubtype::Generic,
            bytes: wrapped_dek,
        };
        doc! { self.kek: kek_id, self.dek: dek }
    }

    /// The sealed object stored in `document`, or `None` when a part is missing or of the wrong type.
    pub(crate) fn read(
        self,
        document: &mongodb::bson::Document,
    ) -> Option<crewplots_crypto::SealedObject> {
        Some(crewplots_crypto::SealedObject {
            kek_id: document.get_str(self.kek).ok()?.to_string(),
            wrapped_dek: document.get_binary_generic(self.dek).ok()?.clone(),
            content: document.get_binary_generic(self.content).ok()?.clone(),
        })
    }
}

pub(crate) fn describe(error: &mongodb::error::Error) -> String {
    use mongodb::error::ErrorKind;
    match *error.kind {
        ErrorKind::ServerSelection { .. } => "no reachable server".to_string(),
        ErrorKind::Authentication { .. } => "authentication failed".to_string(),
        ErrorKind::Io(ref io) => format!("i/o error: {}", io.kind()),
        _ => "command failed".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::valid_database_name;

    #[test]
    fn database_names_follow_mongodb_rules() {
        assert!(valid_database_name("crewplots"));
        assert!(valid_database_name("test_0b1c"));
        assert!(!valid_database_name(""));
        assert!(!valid_database_name("a.b"));
        assert!(!valid_database_name("a/b"));
        assert!(!valid_database_name(&"x".repeat(64)));
    }
}

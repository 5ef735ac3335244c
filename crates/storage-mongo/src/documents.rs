//! Sealed document content in the GridFS bucket `sensitive_documents`. Uploads are sealed segment by segment
//! on their way into GridFS and downloads opened segment by segment on their way out, so memory stays
//! bounded by the envelope's segment size whatever the document's size. The GridFS file name is the
//! document id; the uploader's file name is sealed into the file's metadata.
//!
//! Every round trip has the store's deadline: each chunk written or read, the upload's close and abort, each
//! query. A transfer that stalls half-way fails as "unavailable" instead of waiting; an upload that fails
//! is aborted (its chunks removed), and what an abort cannot remove — MongoDB itself went away — is found
//! by [`GridFsDocumentVault::ids_before`] as chunks without a file, for the orphan sweep.

use std::sync::Arc;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use crewplots_crypto::stream::{decrypt_stream, encrypt_stream, StreamError};
use crewplots_crypto::{sealed, KeyRing, ObjectContext};
use crewplots_domain::documents::{ByteStream, StoredContent};
use crewplots_domain::ports::{DocumentVault, SendFuture, VaultError};
use futures_util::{AsyncWriteExt as _, StreamExt as _};
use mongodb::bson::oid::ObjectId;
use mongodb::bson::{doc, Bson};
use mongodb::error::ErrorKind;
use mongodb::options::GridFsUploadOptions;
use tokio_util::io::StreamReader;
use uuid::Uuid;

use crate::{binary, describe, MongoStore, SealedFields};

const CONTENT_KIND: &str = "document";
const NAME_KIND: &str = "document_name";
/// Where the sealed file name lives in the GridFS file's metadata.
const NAME_FIELDS: SealedFields = SealedFields {
    kek: "nameKek",
    dek: "nameDek",
    content: "name",
};
/// GridFS chunk size: a multiple of the envelope segment (64 KiB + 16-byte tag) is not needed; 255 KiB is
/// the GridFS default and keeps chunk documents small.
const CHUNK_SIZE: u32 = 255 * 1024;
/// GridFS chunks per round trip (about 1 MiB), both ways: fetched per cursor batch when downloading, and
/// inserted at once when uploading (the upload stream inserts every whole chunk its buffer holds at a
/// write, so a write of one 64 KiB segment at a time cost one round trip per chunk).
const CHUNKS_PER_BATCH: u32 = 4;
/// Bytes an upload hands the GridFS stream per write: whole chunks of one batch.
const WRITE_BATCH: usize = (CHUNK_SIZE * CHUNKS_PER_BATCH) as usize;
/// Room for a batch and the segment that takes it past [`WRITE_BATCH`] (64 KiB and its tag), so a batch
/// buffer never grows.
const BATCH_CAPACITY: usize = WRITE_BATCH + 65 * 1024;

/// The `DocumentVault` on GridFS.
#[derive(Clone)]
pub struct GridFsDocumentVault {
    store: MongoStore,
    keys: Arc<KeyRing>,
}

impl std::fmt::Debug for GridFsDocumentVault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("GridFsDocumentVault")
    }
}

fn vault_error(error: mongodb::error::Error) -> VaultError {
    match *error.kind {
        ErrorKind::ServerSelection { .. }
        | ErrorKind::Io(_)
        | ErrorKind::ConnectionPoolCleared { .. } => VaultError::Unavailable(describe(&error)),
        ErrorKind::GridFs(mongodb::error::GridFsErrorKind::FileNotFound { .. }) => {
            VaultError::NotFound
        }
        _ => VaultError::Other(describe(&error)),
    }
}

/// Aborts a failed upload (removing its chunks) within `deadline`; a failure is only logged.
async fn abort_within(
    mut upload: mongodb::gridfs::GridFsUploadStream,
    deadline: std::time::Duration,
) {
    match tokio::time::timeout(deadline, upload.abort()).await {
        Ok(Ok(())) => {}
        Ok(Err(error)) => {
            tracing::warn!(%error, "could not abort a failed upload; the sweep will remove it");
        }
        Err(_) => tracing::warn!("aborting a failed upload timed out; the sweep will remove it"),
    }
}

fn object_id(gridfs_id: &str) -> Result<ObjectId, VaultError> {
    ObjectId::parse_str(gridfs_id).map_err(|_| VaultError::NotFound)
}

impl GridFsDocumentVault {
    pub fn new(store: MongoStore, keys: Arc<KeyRing>) -> Self {
        Self { store, keys }
    }

    /// Removes a content file and its chunks; a missing file is not an error.
    pub async fn remove(&self, gridfs_id: &str) -> Result<(), VaultError> {
        match self
            .store
            .bounded(
                self.store
                    .documents_bucket()
                    .delete(Bson::ObjectId(object_id(gridfs_id)?)),
            )
            .await
            .map_err(vault_error)
        {
            Ok(()) | Err(VaultError::NotFound) => Ok(()),
            Err(other) => Err(other),
        }
    }

    /// Content ids uploaded before `older_than`: complete files, and the chunks of uploads that never
    /// completed (no file document; started before `older_than`, as the id's own timestamp tells).
    /// [`Self::remove`] removes either kind.
    pub async fn ids_before(&self, older_than: DateTime<Utc>) -> Result<Vec<String>, VaultError> {
        let cutoff = mongodb::bson::DateTime::from_millis(older_than.timestamp_millis());
        let files = self
            .store
            .bounded(
                self.store
                    .documents_bucket()
                    .find(doc! { "uploadDate": { "$lt": cutoff } }),
            )
            .await
            .map_err(vault_error)?;
        let mut ids: Vec<String> = self
            .store
            .collect(files)
            .await
            .map_err(vault_error)?
            .into_iter()
            .filter_map(|f| f.id.as_object_id().map(|o| o.to_hex()))
            .collect();
        ids.extend(self.unfinished_before(older_than).await?);
        Ok(ids)
    }

    /// Ids of uploads whose chunks exist without a file document, started before `older_than`. An id made
    /// in the cutoff's second counts as before it (ids have whole seconds).
    async fn unfinished_before(
        &self,
        older_than: DateTime<Utc>,
    ) -> Result<Vec<String>, VaultError> {
        let database = self.store.database();
        let seconds = u32::try_from(older_than.timestamp().saturating_add(1)).unwrap_or(u32::MAX);
        let below = ObjectId::from_parts(seconds, [0; 5], [0; 3]);
        // Chunk 0 is written first, so every unfinished upload that left anything has one.
        let first_chunks = self
            .store
            .bounded(
                database
                    .collection::<mongodb::bson::Document>(&format!(
                        "{}.chunks",
                        crate::DOCUMENTS_BUCKET
                    ))
                    .find(doc! { "n": 0, "files_id": { "$lt": below } })
                    .projection(doc! { "files_id": 1 }),
            )
            .await
            .map_err(vault_error)?;
        let started: Vec<ObjectId> = self
            .store
            .collect(first_chunks)
            .await
            .map_err(vault_error)?
            .iter()
            .filter_map(|c| c.get_object_id("files_id").ok())
            .collect();
        if started.is_empty() {
            return Ok(Vec::new());
        }
        let finished = self
            .store
            .bounded(
                database
                    .collection::<mongodb::bson::Document>(&format!(
                        "{}.files",
                        crate::DOCUMENTS_BUCKET
                    ))
                    .find(doc! { "_id": { "$in": &started } })
                    .projection(doc! { "_id": 1 }),
            )
            .await
            .map_err(vault_error)?;
        let finished: std::collections::HashSet<ObjectId> = self
            .store
            .collect(finished)
            .await
            .map_err(vault_error)?
            .iter()
            .filter_map(|f| f.get_object_id("_id").ok())
            .collect();
        Ok(started
            .into_iter()
            .filter(|id| !finished.contains(id))
            .map(|id| id.to_hex())
            .collect())
    }
}

#[async_trait(?Send)]
impl DocumentVault for GridFsDocumentVault {
    async fn store(
        &self,
        id: Uuid,
        owner: Uuid,
        file_name: &str,
        content: ByteStream,
    ) -> Result<StoredContent, VaultError> {
        let ctx = ObjectContext {
            kind: CONTENT_KIND,
            object_id: id.as_bytes(),
            owner_id: owner.as_bytes(),
        };
        let name = sealed::seal(
            &self.keys,
            &ObjectContext {
                kind: NAME_KIND,
                ..ctx
            },
            file_name.as_bytes(),
        )
        .map_err(|e| VaultError::Other(e.to_string()))?;
        let reader = StreamReader::new(content);
        let mut sealing = encrypt_stream(&self.keys, &ctx, reader)
            .map_err(|e| VaultError::Other(e.to_string()))?;

        let gridfs_id = ObjectId::new();
        let bucket = self.store.documents_bucket();
        let mut upload = self
            .store
            .bounded(
                bucket
                    .open_upload_stream(id.to_string())
                    .id(Bson::ObjectId(gridfs_id))
                    .with_options(
                        GridFsUploadOptions::builder()
                            .chunk_size_bytes(CHUNK_SIZE)
                            .metadata({
                                let mut metadata = doc! { "owner": owner.to_string() };
                                metadata.extend(NAME_FIELDS.to_bson(name));
                                metadata
                            })
                            .build(),
                    ),
            )
            .await
            .map_err(vault_error)?;
        let deadline = self.store.timeout();
        let unavailable = |e: std::io::Error| VaultError::Unavailable(e.to_string());
        let timed_out = || VaultError::Unavailable(self.store.timed_out().to_string());
        // Reading and sealing the next batch goes on while the last one is on its way to MongoDB: done in
        // turn, each would wait for the other (the issue measured half of raw GridFS's rate that way). Both
        // run in this task. Segments are sealed straight into the batch buffers, which travel to the writer
        // and come back empty: about three buffers in use, no copy between sealing and writing.
        let (full, mut to_write) = tokio::sync::mpsc::channel::<Result<Vec<u8>, StreamError>>(1);
        let (emptied, mut reusable) = tokio::sync::mpsc::channel::<Vec<u8>>(2);
        let reading = &mut sealing;
        let seal = async move {
            let mut batch = Vec::with_capacity(BATCH_CAPACITY);
            loop {
                match std::future::poll_fn(|cx| reading.poll_seal_into(cx, &mut batch)).await {
                    Some(Ok(())) if batch.len() < WRITE_BATCH => {}
                    Some(Ok(())) => {
                        if full.send(Ok(batch)).await.is_err() {
                            break; // the writer stopped at a failure
                        }
                        batch = reusable
                            .try_recv()
                            .unwrap_or_else(|_| Vec::with_capacity(BATCH_CAPACITY));
                    }
                    Some(Err(error)) => {
                        let _ = full.send(Err(error)).await;
                        break;
                    }
                    None => {
                        if !batch.is_empty() {
                            let _ = full.send(Ok(batch)).await;
                        }
                        break;
                    }
                }
            }
        };
        let writing = &mut upload;
        let write = async move {
            while let Some(batch) = to_write.recv().await {
                let mut batch = match batch {
                    Ok(batch) => batch,
                    Err(StreamError::Io(error)) => return Err(VaultError::Input(error)),
                    Err(other) => return Err(VaultError::Other(other.to_string())),
                };
                // The client's pace is its own; only the round trips to MongoDB have the deadline.
                match tokio::time::timeout(deadline, writing.write_all(&batch)).await {
                    Ok(result) => result.map_err(unavailable)?,
                    Err(_) => return Err(timed_out()),
                }
                batch.clear();
                let _ = emptied.try_send(batch);
            }
            Ok(())
        };
        let ((), written) = futures_util::future::join(seal, write).await;
        if let Err(error) = written {
            // Removes the chunks written so far: no content without a row. When MongoDB is what failed, in
            // the background, so that the request costs one deadline rather than two; what the abort cannot
            // remove, the sweep does.
            let abort = abort_within(upload, deadline);
            if matches!(error, VaultError::Unavailable(_)) {
                tokio::spawn(abort);
            } else {
                abort.await;
            }
            return Err(error);
        }
        match tokio::time::timeout(deadline, upload.close()).await {
            Ok(result) => result.map_err(unavailable)?,
            Err(_) => return Err(timed_out()),
        }
        Ok(StoredContent {
            gridfs_id: gridfs_id.to_hex(),
            size: sealing.plaintext_len(),
        })
    }

    async fn open(&self, id: Uuid, owner: Uuid, gridfs_id: &str) -> Result<ByteStream, VaultError> {
        // The chunks are read with a small cursor batch instead of through GridFS's download stream, whose
        // cursor prefetches batches of up to 16 MiB: memory then stays at a few chunks whatever the size.
        let file_id = object_id(gridfs_id)?;
        let database = self.store.database();
        let files = database
            .collection::<mongodb::bson::Document>(&format!("{}.files", crate::DOCUMENTS_BUCKET));
        if self
            .store
            .bounded(
                files
                    .find_one(doc! { "_id": file_id })
                    .projection(doc! { "_id": 1 }),
            )
            .await
            .map_err(vault_error)?
            .is_none()
        {
            return Err(VaultError::NotFound);
        }
        let cursor = self
            .store
            .bounded(
                database
                    .collection::<mongodb::bson::Document>(&format!(
                        "{}.chunks",
                        crate::DOCUMENTS_BUCKET
                    ))
                    .find(doc! { "files_id": file_id })
                    .sort(doc! { "n": 1 })
                    .projection(doc! { "data": 1 })
                    .batch_size(CHUNKS_PER_BATCH),
            )
            .await
            .map_err(vault_error)?;
        // Each batch of chunks within the deadline; the stream ends after its first error.
        let store = self.store.clone();
        let chunks = futures_util::stream::unfold(Some(cursor), move |cursor| {
            let store = store.clone();
            async move {
                let mut cursor = cursor?;
                match store.next(&mut cursor).await {
                    Ok(Some(chunk)) => Some((
                        chunk
                            .get_binary_generic("data")
                            .map(|data| bytes::Bytes::from(data.clone()))
                            .map_err(|_| {
                                std::io::Error::new(
                                    std::io::ErrorKind::InvalidData,
                                    "malformed chunk",
                                )
                            }),
                        Some(cursor),
                    )),
                    Ok(None) => None,
                    Err(error) => Some((Err(std::io::Error::other(describe(&error))), None)),
                }
            }
        });
        let download = StreamReader::new(Box::pin(chunks));
        let ctx = ObjectContext {
            kind: CONTENT_KIND,
            object_id: id.as_bytes(),
            owner_id: owner.as_bytes(),
        };
        let opening = decrypt_stream(&self.keys, &ctx, download)
            .await
            .map_err(|e| match e {
                StreamError::Io(io) => VaultError::Unavailable(io.to_string()),
                other => VaultError::Integrity(other.to_string()),
            })?;
        Ok(Box::pin(opening.map(|item| {
            item.map(bytes::Bytes::from).map_err(|e| match e {
                StreamError::Io(io) => io,
                other => std::io::Error::new(std::io::ErrorKind::InvalidData, other.to_string()),
            })
        })))
    }

    async fn original_name(
        &self,
        id: Uuid,
        owner: Uuid,
        gridfs_id: &str,
    ) -> Result<Option<String>, VaultError> {
        let mut files = self
            .store
            .bounded(
                self.store
                    .documents_bucket()
                    .find(doc! { "_id": object_id(gridfs_id)? }),
            )
            .await
            .map_err(vault_error)?;
        let Some(file) = self.store.next(&mut files).await.map_err(vault_error)? else {
            return Ok(None);
        };
        let Some(metadata) = file.metadata else {
            return Ok(None);
        };
        let sealed = NAME_FIELDS
            .read(&metadata)
            .ok_or_else(|| VaultError::Integrity("malformed name metadata".into()))?;
        let plain = sealed::open(
            &self.keys,
            &ObjectContext {
                kind: NAME_KIND,
                object_id: id.as_bytes(),
                owner_id: owner.as_bytes(),
            },
            &sealed,
        )
        .map_err(|e| VaultError::Integrity(e.to_string()))?;
        Ok(Some(String::from_utf8_lossy(&plain).into_owned()))
    }

    fn delete<'a>(&'a self, gridfs_id: &'a str) -> SendFuture<'a, Result<(), VaultError>> {
        Box::pin(self.remove(gridfs_id))
    }

    async fn content_ids_before(
        &self,
        older_than: DateTime<Utc>,
    ) -> Result<Vec<String>, VaultError> {
        self.ids_before(older_than).await
    }
}

impl GridFsDocumentVault {
    /// Documents whose keys are wrapped under another key than the primary (the sealed name is re-wrapped
    /// last, so it tells whether a document is done).
    pub async fn count_under_old_keys(&self) -> Result<u64, VaultError> {
        self.store
            .bounded(
                self.store
                    .database()
                    .collection::<mongodb::bson::Document>(&format!(
                        "{}.files",
                        crate::DOCUMENTS_BUCKET
                    ))
                    .count_documents(
                        doc! { "metadata.nameKek": { "$ne": self.keys.primary().id() } },
                    ),
            )
            .await
            .map_err(vault_error)
    }

    /// Re-wraps every document's data keys under the primary key: the envelope header in the first GridFS
    /// chunk (rewritten in place, same length; the segments are untouched) and then the sealed file name.
    /// Resumable: each document is finished on its own, and a document interrupted between its two steps
    /// is completed by the next run.
    pub async fn rotate_keys(
        &self,
        mut report: impl FnMut(crate::rotation::RotationProgress),
    ) -> Result<crate::rotation::RotationProgress, VaultError> {
        use crewplots_crypto::stream::{rewrap_header, EnvelopeHeader};
        let primary = self.keys.primary().id().to_string();
        let database = self.store.database();
        let files = database
            .collection::<mongodb::bson::Document>(&format!("{}.files", crate::DOCUMENTS_BUCKET));
        let chunks = database
            .collection::<mongodb::bson::Document>(&format!("{}.chunks", crate::DOCUMENTS_BUCKET));
        let mut progress = crate::rotation::RotationProgress {
            rewrapped: 0,
            remaining: self.count_under_old_keys().await?,
        };
        report(progress);
        let store = &self.store;
        let mut cursor = store
            .bounded(files.find(doc! { "metadata.nameKek": { "$ne": &primary } }))
            .await
            .map_err(vault_error)?;
        while let Some(file) = store.next(&mut cursor).await.map_err(vault_error)? {
            let malformed =
                |what: &str| VaultError::Integrity(format!("document file: malformed {what}"));
            let file_id = file.get("_id").cloned().ok_or_else(|| malformed("id"))?;
            let document: Uuid = file
                .get_str("filename")
                .ok()
                .and_then(|n| n.parse().ok())
                .ok_or_else(|| malformed("filename"))?;
            // 1. The content's header.
            if let Some(chunk) = store
                .bounded(chunks.find_one(doc! { "files_id": &file_id, "n": 0 }))
                .await
                .map_err(vault_error)?
            {
                let data = chunk
                    .get_binary_generic("data")
                    .map_err(|_| malformed("chunk"))?;
                let (header, length) = EnvelopeHeader::parse_prefix(data)
                    .map_err(|e| VaultError::Integrity(e.to_string()))?;
                if header.kek_id() != primary {
                    let rewrapped = rewrap_header(&self.keys, document.as_bytes(), &data[..length])
                        .map_err(|e| VaultError::Integrity(e.to_string()))?;
                    let mut updated = data.clone();
                    updated.splice(..length, rewrapped);
                    store
                        .bounded(chunks.update_one(
                            doc! { "_id": chunk.get("_id").cloned().ok_or_else(|| malformed("chunk id"))? },
                            doc! { "$set": { "data": binary(updated) } },
                        ))
                        .await
                        .map_err(vault_error)?;
                }
            }
            // 2. The sealed name, which marks the document as done.
            let metadata = file
                .get_document("metadata")
                .map_err(|_| malformed("metadata"))?;
            let kek = metadata
                .get_str("nameKek")
                .map_err(|_| malformed("name key"))?;
            let dek = metadata
                .get_binary_generic("nameDek")
                .map_err(|_| malformed("name key"))?;
            let (new_kek, new_dek) = sealed::rewrap(&self.keys, document.as_bytes(), kek, dek)
                .map_err(|e| VaultError::Integrity(e.to_string()))?;
            store
                .bounded(files.update_one(
                    doc! { "_id": &file_id },
                    doc! { "$set": { "metadata.nameKek": new_kek, "metadata.nameDek": binary(new_dek) } },
                ))
                .await
                .map_err(vault_error)?;
            progress.rewrapped += 1;
            progress.remaining = progress.remaining.saturating_sub(1);
            if progress.rewrapped.is_multiple_of(100) {
                report(progress);
            }
        }
        progress.remaining = self.count_under_old_keys().await?;
        report(progress);
        Ok(progress)
    }
}

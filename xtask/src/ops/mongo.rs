//! MongoDB for backup and restore in local mode, through the Rust driver (mongodump is not installable on
//! the build machine): each collection becomes its documents as concatenated raw BSON (the layout of
//! mongodump's `.bson` files) plus a JSON description of its options and indexes.
//!
//! Memory stays bounded: the backup streams a cursor to the file, the restore reads the file one document at
//! a time (a BSON document starts with its own little-endian length) and inserts in batches.

use std::collections::BTreeMap;
use std::future::IntoFuture as _;
use std::io::{self, Read, Write};
use std::time::Duration;

use anyhow::{bail, Context as _};
use mongodb::bson::{doc, Bson, Document, RawDocumentBuf};
use mongodb::options::ClientOptions;
use mongodb::{Client, Database};
use serde::{Deserialize, Serialize};

use super::Progress;

/// Documents per insert, and bytes per insert: well under the server's 48 MB message limit.
const BATCH_DOCUMENTS: usize = 1000;
const BATCH_BYTES: usize = 8 * 1024 * 1024;
/// A BSON document is at most 16 MiB; anything much larger means a damaged file, not a big document.
const MAX_DOCUMENT_BYTES: usize = 16 * 1024 * 1024 + 16 * 1024;

/// The `.indexes.json` member of a collection: how to recreate it before its documents go back in.
#[derive(Debug, Serialize, Deserialize)]
pub struct CollectionDescription {
    pub collection: String,
    /// The collection's creation options as `listCollections` reports them, in canonical extended JSON.
    pub options: serde_json::Value,
    /// Every index as `listIndexes` reports it, in canonical extended JSON.
    pub indexes: Vec<serde_json::Value>,
}

fn to_json(document: Document) -> serde_json::Value {
    Bson::Document(document).into_canonical_extjson()
}

fn from_json(value: &serde_json::Value) -> anyhow::Result<Document> {
    match Bson::try_from(value.clone()).context("not extended JSON")? {
        Bson::Document(document) => Ok(document),
        other => bail!("expected a document, found {other}"),
    }
}

/// The application database, reached from this machine.
#[derive(Debug)]
pub struct LocalMongo {
    runtime: tokio::runtime::Runtime,
    db: Database,
}

impl LocalMongo {
    pub fn connect(url: &str, database: &str) -> anyhow::Result<Self> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .context("cannot start the async runtime for the MongoDB driver")?;
        let db = runtime.block_on(async {
            let mut options = ClientOptions::parse(url)
                .await
                .context("MONGODB_URL is not a valid MongoDB connection string")?;
            options.app_name = Some("crewplots-xtask".into());
            options.server_selection_timeout = Some(Duration::from_secs(10));
            let client = Client::with_options(options)?;
            let db = client.database(database);
            db.run_command(doc! { "ping": 1 })
                .await
                .context("MongoDB does not answer")?;
            anyhow::Ok(db)
        })?;
        Ok(Self { runtime, db })
    }

    pub fn database_name(&self) -> &str {
        self.db.name()
    }

    /// The collections of the database (views and `system.*` left out) with their creation options, in the
    /// order a backup takes them: a GridFS bucket's `.files` before its `.chunks`, so that a file that is
    /// being uploaded during the backup is either absent or complete.
    pub fn collections(&self) -> anyhow::Result<Vec<(String, Document)>> {
        let mut found = self.runtime.block_on(async {
            let mut cursor = self
                .db
                .run_cursor_command(doc! { "listCollections": 1 })
                .await?;
            let mut found = Vec::new();
            while cursor.advance().await? {
                let info = cursor.deserialize_current()?;
                let kind = info.get_str("type").unwrap_or("collection");
                let Ok(name) = info.get_str("name") else {
                    continue;
                };
                if kind != "collection" || name.starts_with("system.") {
                    continue;
                }
                let options = info.get_document("options").cloned().unwrap_or_default();
                found.push((name.to_string(), options));
            }
            anyhow::Ok(found)
        })?;
        found.sort_by(|(a, _), (b, _)| dump_order(a).cmp(&dump_order(b)));
        Ok(found)
    }

    pub fn describe(&self, name: &str, options: Document) -> anyhow::Result<CollectionDescription> {
        let indexes = self.runtime.block_on(async {
            let mut cursor = self
                .db
                .run_cursor_command(doc! { "listIndexes": name })
                .await?;
            let mut indexes = Vec::new();
            while cursor.advance().await? {
                indexes.push(to_json(cursor.deserialize_current()?));
            }
            anyhow::Ok(indexes)
        })?;
        Ok(CollectionDescription {
            collection: name.to_string(),
            options: to_json(options),
            indexes,
        })
    }

    /// Writes every document of the collection to `out`, raw; returns how many.
    pub fn dump(
        &self,
        name: &str,
        out: &mut dyn Write,
        progress: &mut Progress,
    ) -> anyhow::Result<u64> {
        self.runtime.block_on(async {
            let collection = self.db.collection::<RawDocumentBuf>(name);
            let mut cursor = collection.find(doc! {}).await?;
            let mut documents = 0;
            while cursor.advance().await? {
                let bytes = cursor.current().as_bytes();
                out.write_all(bytes)?;
                documents += 1;
                progress.add(1, bytes.len() as u64);
            }
            Ok(documents)
        })
    }

    /// Replaces the collection: drop, create with its options, insert the documents of `data`, then build
    /// its indexes. Returns how many documents went in.
    pub fn restore(
        &self,
        description: &CollectionDescription,
        data: &mut dyn Read,
        progress: &mut Progress,
    ) -> anyhow::Result<u64> {
        let name = description.collection.as_str();
        let collection = self.db.collection::<RawDocumentBuf>(name);
        let options = from_json(&description.options)
            .with_context(|| format!("the options of {name} in the archive"))?;
        let mut create = doc! { "create": name };
        create.extend(options);
        self.runtime.block_on(async {
            collection.drop().await?;
            self.db.run_command(create).await?;
            anyhow::Ok(())
        })?;

        let mut documents = 0;
        let mut batch = Vec::new();
        let mut batch_bytes = 0;
        loop {
            let next = read_document(data)
                .with_context(|| format!("document {} of {name}", documents + 1))?;
            let end = next.is_none();
            if let Some(document) = next {
                batch_bytes += document.as_bytes().len();
                batch.push(document);
            }
            if !batch.is_empty()
                && (end || batch.len() >= BATCH_DOCUMENTS || batch_bytes >= BATCH_BYTES)
            {
                self.runtime.block_on(
                    collection
                        .insert_many(batch.iter())
                        .bypass_document_validation(true)
                        .into_future(),
                )?;
                documents += batch.len() as u64;
                progress.add(batch.len() as u64, batch_bytes as u64);
                batch.clear();
                batch_bytes = 0;
            }
            if end {
                break;
            }
        }

        let mut indexes = Vec::new();
        for index in &description.indexes {
            let mut spec =
                from_json(index).with_context(|| format!("an index of {name} in the archive"))?;
            if spec.get_str("name") == Ok("_id_") {
                continue; // made with the collection
            }
            spec.remove("v");
            spec.remove("ns");
            indexes.push(spec);
        }
        if !indexes.is_empty() {
            self.runtime
                .block_on(
                    self.db
                        .run_command(doc! { "createIndexes": name, "indexes": indexes })
                        .into_future(),
                )
                .with_context(|| format!("cannot recreate the indexes of {name}"))?;
        }
        Ok(documents)
    }

    /// Document count of every collection.
    pub fn counts(&self) -> anyhow::Result<BTreeMap<String, u64>> {
        let names: Vec<String> = self.collections()?.into_iter().map(|(n, _)| n).collect();
        self.runtime.block_on(async {
            let mut counts = BTreeMap::new();
            for name in names {
                let count = self
                    .db
                    .collection::<Document>(&name)
                    .count_documents(doc! {})
                    .await?;
                counts.insert(name, count);
            }
            Ok(counts)
        })
    }
}

/// Sort key that puts `<bucket>.files` right before `<bucket>.chunks`.
fn dump_order(name: &str) -> (&str, u8) {
    if let Some(bucket) = name.strip_suffix(".files") {
        (bucket, 0)
    } else if let Some(bucket) = name.strip_suffix(".chunks") {
        (bucket, 1)
    } else {
        (name, 0)
    }
}

/// The next document of a concatenated-BSON stream; `None` at a clean end.
fn read_document(data: &mut dyn Read) -> anyhow::Result<Option<RawDocumentBuf>> {
    let mut length = [0u8; 4];
    let mut filled = 0;
    while filled < length.len() {
        match data.read(&mut length[filled..]) {
            Ok(0) => break,
            Ok(read) => filled += read,
            Err(error) if error.kind() == io::ErrorKind::Interrupted => {}
            Err(error) => return Err(error.into()),
        }
    }
    if filled == 0 {
        return Ok(None);
    }
    if filled < length.len() {
        bail!("the data ends in the middle of a document");
    }
    let size = u32::from_le_bytes(length) as usize;
    if !(5..=MAX_DOCUMENT_BYTES).contains(&size) {
        bail!("impossible document length {size}: the data is damaged");
    }
    let mut bytes = vec![0u8; size];
    bytes[..4].copy_from_slice(&length);
    data.read_exact(&mut bytes[4..])
        .context("the data ends in the middle of a document")?;
    RawDocumentBuf::from_bytes(bytes)
        .map(Some)
        .context("not a valid BSON document")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bucket_is_dumped_files_first() {
        let mut names = vec![
            "sensitive_documents.chunks",
            "profiles",
            "sensitive_documents.files",
            "note_bodies",
        ];
        names.sort_by(|a, b| dump_order(a).cmp(&dump_order(b)));
        assert_eq!(
            names,
            [
                "note_bodies",
                "profiles",
                "sensitive_documents.files",
                "sensitive_documents.chunks"
            ]
        );
    }

    #[test]
    fn concatenated_documents_are_read_back_one_by_one() {
        let first = mongodb::bson::to_raw_document_buf(&doc! { "a": 1, "b": "x" }).unwrap();
        let second = mongodb::bson::to_raw_document_buf(&doc! { "c": [1, 2, 3] }).unwrap();
        let mut stream = Vec::new();
        stream.extend_from_slice(first.as_bytes());
        stream.extend_from_slice(second.as_bytes());
        let mut reader = stream.as_slice();
        assert_eq!(read_document(&mut reader).unwrap().unwrap(), first);
        assert_eq!(read_document(&mut reader).unwrap().unwrap(), second);
        assert!(read_document(&mut reader).unwrap().is_none());

        let mut truncated = &stream[..stream.len() - 1];
        read_document(&mut truncated).unwrap();
        assert!(read_document(&mut truncated).is_err());
    }

    #[test]
    fn index_descriptions_survive_the_trip_through_json() {
        let spec = doc! {
            "v": 2,
            "key": { "files_id": 1, "n": 1 },
            "name": "files_id_1_n_1",
            "unique": true,
            "partialFilterExpression": { "size": { "$gt": 1.5_f64 } },
        };
        assert_eq!(from_json(&to_json(spec.clone())).unwrap(), spec);
    }
}

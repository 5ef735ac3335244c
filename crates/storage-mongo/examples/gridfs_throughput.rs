//! Throughput of GridFS with and without our encryption, same driver, same server, same run.
//!
//! `cargo run --release -p crewplots-storage-mongo --example gridfs_throughput -- MONGODB_URL [MiB] [rounds]`
//! prints MB/s for a raw GridFS upload and download of random bytes, and for the same through the
//! encrypting `GridFsDocumentVault` (sealing while uploading, opening while downloading).

use std::sync::Arc;
use std::time::{Duration, Instant};

use base64::Engine as _;
use crewplots_crypto::KeyRing;
use crewplots_domain::ports::DocumentVault;
use crewplots_storage_mongo::{GridFsDocumentVault, MongoStore};
use futures_util::{AsyncReadExt, AsyncWriteExt, StreamExt};
use mongodb::bson::Bson;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let url = args
        .get(1)
        .ok_or("usage: gridfs_throughput MONGODB_URL [MiB] [rounds]")?;
    let mib: usize = args.get(2).map_or(Ok(100), |a| a.parse())?;
    let rounds: usize = args.get(3).map_or(Ok(3), |a| a.parse())?;
    let store = MongoStore::connect(url, "gridfs_throughput", Duration::from_secs(10)).await?;
    store.database().drop().await?;
    let key = base64::engine::general_purpose::STANDARD.encode(
        (0..32u8)
            .map(|i| i.wrapping_mul(73).wrapping_add(5))
            .collect::<Vec<_>>(),
    );
    let keys = Arc::new(KeyRing::from_config(
        Some(&secrecy::SecretString::from(key)),
        None,
    )?);
    let vault = GridFsDocumentVault::new(store.clone(), keys);

    let size = mib * 1024 * 1024;
    let chunk: Vec<u8> = (0..1024 * 1024).map(|i| (i * 31 % 251) as u8).collect();
    let mb = size as f64 / 1_000_000.0;
    let (mut raw_up, mut raw_down, mut enc_up, mut enc_down) = (vec![], vec![], vec![], vec![]);
    for round in 0..rounds {
        // Raw GridFS.
        let bucket = store.documents_bucket();
        let started = Instant::now();
        let mut upload = bucket.open_upload_stream(format!("raw-{round}")).await?;
        for _ in 0..mib {
            upload.write_all(&chunk).await?;
        }
        upload.close().await?;
        raw_up.push(mb / started.elapsed().as_secs_f64());
        let id: Bson = upload.id().clone();
        let started = Instant::now();
        let mut download = bucket.open_download_stream(id).await?;
        let mut buffer = vec![0u8; 256 * 1024];
        let mut total = 0usize;
        loop {
            let n = download.read(&mut buffer).await?;
            if n == 0 {
                break;
            }
            total += n;
        }
        assert_eq!(total, size);
        raw_down.push(mb / started.elapsed().as_secs_f64());

        // Through the encrypting vault.
        let document = uuid::Uuid::new_v4();
        let owner = uuid::Uuid::new_v4();
        let source = bytes::Bytes::from(chunk.clone());
        let content = Box::pin(futures_util::stream::iter(
            (0..mib).map(move |_| Ok(source.clone())),
        ));
        let started = Instant::now();
        let stored = vault.store(document, owner, "bench.pdf", content).await?;
        enc_up.push(mb / started.elapsed().as_secs_f64());
        let started = Instant::now();
        let mut opened = vault.open(document, owner, &stored.gridfs_id).await?;
        let mut total = 0usize;
        while let Some(part) = opened.next().await {
            total += part?.len();
        }
        assert_eq!(total, size);
        enc_down.push(mb / started.elapsed().as_secs_f64());
    }
    store.database().drop().await?;
    let median = |mut v: Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    println!("{mib} MiB, {rounds} rounds, median MB/s:");
    println!(
        "  raw GridFS      upload {:7.1}   download {:7.1}",
        median(raw_up.clone()),
        median(raw_down.clone())
    );
    println!(
        "  encrypted vault upload {:7.1}   download {:7.1}",
        median(enc_up.clone()),
        median(enc_down.clone())
    );
    println!(
        "  ratio encrypted/raw    upload {:.2}   download {:.2}",
        median(enc_up) / median(raw_up),
        median(enc_down) / median(raw_down)
    );
    Ok(())
}

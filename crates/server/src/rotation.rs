//! `crewplots-server rotate-keys`: re-wraps every stored data key under the primary key, printing progress
//! and, at the end, how many objects are still under old keys (0 when done). Interrupting it is safe: each
//! object is updated on its own, and the next run continues with what is left.

use std::time::Duration;

use crewplots_storage_mongo::{GridFsDocumentVault, MongoBodyVault, MongoProfileVault, MongoStore};
use secrecy::ExposeSecret;

use crate::settings::Settings;

/// Runs the rotation over every kind of encrypted object; returns how many remain under old keys.
pub async fn rotate(settings: &Settings) -> anyhow::Result<u64> {
    let store = MongoStore::connect(
        settings.mongodb_url.expose_secret(),
        &settings.mongodb_db_name,
        Duration::from_secs(10),
    )
    .await?;
    println!(
        "primary key {} ({} key(s) configured)",
        settings.keyring.primary().id(),
        settings.keyring.ids().count()
    );
    let profiles = MongoProfileVault::new(store.clone(), settings.keyring.clone());
    let profiles_left = profiles
        .rotate_keys(|p| {
            println!(
                "profiles: {} re-wrapped, {} still under old keys",
                p.rewrapped, p.remaining
            )
        })
        .await?
        .remaining;
    let bodies = MongoBodyVault::new(store.clone(), settings.keyring.clone());
    let bodies_left = bodies
        .rotate_keys(|p| {
            println!(
                "bodies: {} re-wrapped, {} still under old keys",
                p.rewrapped, p.remaining
            )
        })
        .await?
        .remaining;
    let documents = GridFsDocumentVault::new(store, settings.keyring.clone());
    let documents_left = documents
        .rotate_keys(|p| {
            println!(
                "documents: {} re-wrapped, {} still under old keys",
                p.rewrapped, p.remaining
            )
        })
        .await?
        .remaining;
    let remaining = profiles_left + bodies_left + documents_left;
    println!("remaining under old keys: {remaining}");
    Ok(remaining)
}

//! `crewplots-server rotate-keys`: re-wraps every stored data key under the primary key, printing progress
//! and, at the end, how many objects are still under old keys (0 when done). Interrupting it is safe: each
//! object is updated on its own, and the next run continues with what is left.

use std::time::Duration;

use crewplots_storage_mongo::{MongoProfileVault, MongoStore};
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
    let profiles = MongoProfileVault::new(store, settings.keyring.clone());
    let done = profiles
        .rotate_keys(|p| {
            println!(
                "profiles: {} re-wrapped, {} still under old keys",
                p.rewrapped, p.remaining
            )
        })
        .await?;
    println!("remaining under old keys: {}", done.remaining);
    Ok(done.remaining)
}

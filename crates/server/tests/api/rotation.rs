//! Key rotation: after `rotate-keys` to a new primary key and removal of the old key, every encrypted
//! object still decrypts.

use std::sync::Arc;

use base64::Engine as _;
use crewplots_domain::ports::ProfileVault;
use crewplots_server::settings::Settings;
use crewplots_storage_mongo::MongoProfileVault;
use serde_json::json;

use crate::support::{browser, spawn_app};

fn new_key() -> String {
    let bytes: Vec<u8> = uuid::Uuid::new_v4()
        .as_bytes()
        .iter()
        .chain(uuid::Uuid::new_v4().as_bytes())
        .copied()
        .collect();
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

#[tokio::test]
async fn after_rotating_and_removing_the_old_key_every_profile_still_decrypts() {
    let app = spawn_app().await;
    let old_key = app.vars["ENCRYPTION_KEY"].clone();
    let mut phones = Vec::new();
    for n in 0..3 {
        let phone = format!("+31 6 5555 000{n}");
        let username = format!("rot{n}{}", &uuid::Uuid::new_v4().simple().to_string()[..8]);
        let response = app
            .post_json(
                &browser(),
                "/api/auth/register",
                &json!({"firstName": "R", "lastName": "T", "email": format!("{username}@example.test"),
                        "username": username, "password": "rotation password", "phone": phone,
                        "privacyConsent": {"version": "2026-11", "accepted": true}}),
            )
            .await;
        assert_eq!(response.status(), 201);
        let id: uuid::Uuid = response.json::<serde_json::Value>().await.unwrap()["user"]["id"]
            .as_str()
            .unwrap()
            .parse()
            .unwrap();
        phones.push((id, phone));
    }

    let new = new_key();
    let mut vars = app.vars.clone();
    vars.insert("ENCRYPTION_KEY".into(), new.clone());
    vars.insert("ENCRYPTION_OLD_KEYS".into(), old_key.clone());
    let rotating = Settings::load_from(&vars, None).unwrap();
    assert_eq!(
        crewplots_server::rotation::rotate(&rotating).await.unwrap(),
        0
    );
    // Running it again finds nothing left to do.
    assert_eq!(
        crewplots_server::rotation::rotate(&rotating).await.unwrap(),
        0
    );

    vars.remove("ENCRYPTION_OLD_KEYS");
    let only_new = Settings::load_from(&vars, None).unwrap();
    let vault = MongoProfileVault::new(app.mongo.clone(), only_new.keyring.clone());
    for (id, phone) in &phones {
        let profile = vault.load(*id).await.unwrap().unwrap();
        assert_eq!(profile.phone.as_deref(), Some(phone.as_str()));
    }

    // And the old key alone can no longer open them.
    vars.insert("ENCRYPTION_KEY".into(), old_key);
    let only_old = Settings::load_from(&vars, None).unwrap();
    let stale = MongoProfileVault::new(app.mongo.clone(), Arc::clone(&only_old.keyring));
    assert!(stale.load(phones[0].0).await.is_err());
}

#[tokio::test]
async fn rotation_without_the_old_key_stops_with_a_clear_error() {
    let app = spawn_app().await;
    let response = app
        .post_json(
            &browser(),
            "/api/auth/register",
            &json!({"firstName": "R", "lastName": "T", "email": "lost@example.test", "username": "lost.key",
                    "password": "rotation password", "phone": "0612345678",
                    "privacyConsent": {"version": "2026-11", "accepted": true}}),
        )
        .await;
    assert_eq!(response.status(), 201);
    let mut vars = app.vars.clone();
    vars.insert("ENCRYPTION_KEY".into(), new_key());
    let settings = Settings::load_from(&vars, None).unwrap();
    let error = crewplots_server::rotation::rotate(&settings)
        .await
        .unwrap_err();
    assert!(error.to_string().contains("not configured"), "{error}");
}

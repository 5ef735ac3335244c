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

#[tokio::test]
async fn rotation_covers_documents_and_their_sealed_names() {
    use crewplots_domain::ports::DocumentVault;
    use futures_util::TryStreamExt;
    use reqwest::multipart::{Form, Part};

    let app = spawn_app().await;
    let owner = app.seed_user(crewplots_domain::Role::CrewMember, &[]).await;
    let client = app.login(&owner.username, crate::support::PASSWORD).await;
    let mut content = b"%PDF-1.7\n".to_vec();
    content.extend((0..300_000u32).map(|i| (i % 253) as u8));
    let form = Form::new().part(
        "file",
        Part::bytes(content.clone()).file_name("Rotated name.pdf"),
    );
    let response = client
        .post(app.url(&format!("/api/people/{}/documents?kind=resume", owner.id)))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201);
    let id: uuid::Uuid = response.json::<serde_json::Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    let gridfs_id: String = app
        .pg
        .get()
        .await
        .unwrap()
        .query_one("SELECT gridfs_id FROM documents WHERE id = $1", &[&id])
        .await
        .unwrap()
        .get(0);

    let mut vars = app.vars.clone();
    let old_key = vars["ENCRYPTION_KEY"].clone();
    vars.insert("ENCRYPTION_KEY".into(), new_key());
    vars.insert("ENCRYPTION_OLD_KEYS".into(), old_key);
    let rotating = Settings::load_from(&vars, None).unwrap();
    assert_eq!(
        crewplots_server::rotation::rotate(&rotating).await.unwrap(),
        0
    );

    vars.remove("ENCRYPTION_OLD_KEYS");
    let only_new = Settings::load_from(&vars, None).unwrap();
    let vault = crewplots_storage_mongo::GridFsDocumentVault::new(
        app.mongo.clone(),
        only_new.keyring.clone(),
    );
    let opened: Vec<actix_web::web::Bytes> = vault
        .open(id, owner.id, &gridfs_id)
        .await
        .unwrap()
        .try_collect()
        .await
        .unwrap();
    assert!(
        opened.concat() == content,
        "the document decrypts byte for byte under the new key alone"
    );
    assert_eq!(
        vault
            .original_name(id, owner.id, &gridfs_id)
            .await
            .unwrap()
            .as_deref(),
        Some("Rotated name.pdf")
    );
}

#[tokio::test]
async fn encrypted_bodies_are_bound_to_their_owner_and_kind_hide_their_text_and_survive_rotation() {
    use crewplots_domain::ports::BodyVault;
    use crewplots_storage_mongo::mongodb::bson::{doc, Document};
    use crewplots_storage_mongo::MongoBodyVault;

    let app = spawn_app().await;
    let settings = Settings::load_from(&app.vars, None).unwrap();
    let vault = MongoBodyVault::new(app.mongo.clone(), settings.keyring.clone());
    let (id, owner) = (uuid::Uuid::new_v4(), uuid::Uuid::new_v4());
    let text = "<p>Strong interview; MARKER-BODY-PLAINTEXT-0123456789abc</p>";
    vault.save(id, owner, "note_body", text).await.unwrap();
    assert_eq!(
        vault.load(id, owner, "note_body").await.unwrap().as_deref(),
        Some(text)
    );
    assert!(
        vault
            .load(id, uuid::Uuid::new_v4(), "note_body")
            .await
            .is_err(),
        "another owner"
    );
    assert!(
        vault.load(id, owner, "motivation_letter").await.is_err(),
        "another kind"
    );
    let stored = app
        .mongo
        .database()
        .collection::<Document>("sealed_bodies")
        .find_one(doc! {})
        .await
        .unwrap()
        .unwrap();
    let raw = crewplots_storage_mongo::mongodb::bson::to_vec(&stored).unwrap();
    assert!(
        !raw.windows(12).any(|w| w == b"MARKER-BODY-"),
        "plaintext in MongoDB"
    );

    let mut vars = app.vars.clone();
    let old = vars["ENCRYPTION_KEY"].clone();
    vars.insert("ENCRYPTION_KEY".into(), new_key());
    vars.insert("ENCRYPTION_OLD_KEYS".into(), old);
    assert_eq!(
        crewplots_server::rotation::rotate(&Settings::load_from(&vars, None).unwrap())
            .await
            .unwrap(),
        0
    );
    vars.remove("ENCRYPTION_OLD_KEYS");
    let only_new = MongoBodyVault::new(
        app.mongo.clone(),
        Settings::load_from(&vars, None).unwrap().keyring.clone(),
    );
    assert_eq!(
        only_new
            .load(id, owner, "note_body")
            .await
            .unwrap()
            .as_deref(),
        Some(text)
    );
    assert_eq!(only_new.erase_owner(owner).await.unwrap(), 1);
    assert_eq!(only_new.load(id, owner, "note_body").await.unwrap(), None);
}

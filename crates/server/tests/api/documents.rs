//! Encrypted documents and profiles end to end: upload through encryption into GridFS, download, review,
//! delete, and every access rule — against PostgreSQL and the MongoDB-compatible server.

use std::time::Duration;

use crewplots_domain::Role;
use crewplots_storage_mongo::mongodb::bson::{doc, Document};
use futures_util::TryStreamExt;
use reqwest::multipart::{Form, Part};
use serde_json::{json, Value};
use uuid::Uuid;

use crate::support::{free_port, spawn_app, spawn_app_with, test_vars, TestApp, PASSWORD};

/// A 32-byte marker that must never appear in MongoDB in plaintext.
const MARKER: &[u8; 32] = b"CREWPLOTS-PLAINTEXT-MARKER-0042!";

/// A small but real-looking PDF carrying the marker several times, `size` bytes long.
fn pdf(size: usize) -> Vec<u8> {
    let mut bytes = b"%PDF-1.7\n".to_vec();
    while bytes.len() < size {
        bytes.extend_from_slice(MARKER);
        bytes.extend((0..200u32).map(|i| (i * 7 % 251) as u8));
    }
    bytes.truncate(size.max(9));
    bytes
}

async fn upload(
    app: &TestApp,
    client: &reqwest::Client,
    owner: Uuid,
    kind: &str,
    content: Vec<u8>,
    name: &str,
) -> reqwest::Response {
    let form = Form::new().part(
        "file",
        Part::bytes(content)
            .file_name(name.to_string())
            .mime_str("application/pdf")
            .unwrap(),
    );
    client
        .post(app.url(&format!("/api/people/{owner}/documents?kind={kind}")))
        .multipart(form)
        .send()
        .await
        .unwrap()
}

async fn all_documents(app: &TestApp, collection: &str) -> Vec<Document> {
    app.mongo
        .database()
        .collection::<Document>(collection)
        .find(doc! {})
        .await
        .unwrap()
        .try_collect()
        .await
        .unwrap()
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

#[tokio::test]
async fn an_uploaded_document_round_trips_and_mongodb_holds_no_plaintext() {
    let app = spawn_app().await;
    let venue = app.seed_location("Docs venue").await;
    let applicant = app.seed_user(Role::Applicant, &[]).await;
    let client = app.login(&applicant.username, PASSWORD).await;
    // A profile with the marker too.
    let marker = String::from_utf8(MARKER.to_vec()).unwrap();
    let put = client
        .put(app.url(&format!("/api/people/{}/profile", applicant.id)))
        .json(&json!({"phone": "+31 6 1234 5678", "address": marker, "bankAccount": "NL91ABNA0417164300"}))
        .send()
        .await
        .unwrap();
    assert_eq!(put.status(), 200, "{}", put.text().await.unwrap());
    let _ = venue;

    let content = pdf(300 * 1024 + 5);
    let response = upload(
        &app,
        &client,
        applicant.id,
        "resume",
        content.clone(),
        "My CV <secret>.pdf",
    )
    .await;
    assert_eq!(response.status(), 201);
    let info: Value = response.json().await.unwrap();
    assert_eq!(info["kind"], "resume");
    assert_eq!(info["contentType"], "application/pdf");
    assert_eq!(info["sizeBytes"], content.len());
    assert_eq!(info["reviewState"], "pending");
    assert!(
        !info.to_string().contains("My CV"),
        "no original name in the metadata"
    );

    let list: Value = client
        .get(app.url(&format!("/api/people/{}/documents", applicant.id)))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(list.as_array().unwrap().len(), 1);

    let download = client
        .get(app.url(&format!(
            "/api/documents/{}/content",
            info["id"].as_str().unwrap()
        )))
        .send()
        .await
        .unwrap();
    assert_eq!(download.status(), 200);
    let headers = download.headers().clone();
    assert!(headers["content-disposition"]
        .to_str()
        .unwrap()
        .starts_with("attachment; filename=\"resume-"));
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert_eq!(headers["content-security-policy"], "sandbox");
    assert_eq!(headers["content-type"], "application/pdf");
    assert!(
        download.bytes().await.unwrap().as_ref() == content.as_slice(),
        "byte for byte"
    );

    for collection in [
        "sensitive_documents.chunks",
        "sensitive_documents.files",
        "profiles",
    ] {
        for document in all_documents(&app, collection).await {
            let raw = crewplots_storage_mongo::mongodb::bson::to_vec(&document).unwrap();
            assert!(!contains(&raw, MARKER), "plaintext marker in {collection}");
            assert!(
                !contains(&raw, b"My CV"),
                "original file name in {collection}"
            );
            assert!(!contains(&raw, b"NL91ABNA"), "bank account in {collection}");
        }
    }
    assert_eq!(app.audit_count("document.uploaded").await, 1);
    assert_eq!(app.audit_count("document.downloaded").await, 1);
}

#[tokio::test]
async fn a_flipped_byte_in_a_stored_chunk_fails_the_download_and_is_audited() {
    let app = spawn_app().await;
    let owner = app.seed_user(Role::Applicant, &[]).await;
    let client = app.login(&owner.username, PASSWORD).await;
    let content = pdf(50 * 1024);
    let info: Value = upload(
        &app,
        &client,
        owner.id,
        "id_card",
        content.clone(),
        "id.pdf",
    )
    .await
    .json()
    .await
    .unwrap();

    let chunks = app
        .mongo
        .database()
        .collection::<Document>("sensitive_documents.chunks");
    let chunk = chunks.find_one(doc! {"n": 0}).await.unwrap().unwrap();
    let mut data = chunk.get_binary_generic("data").unwrap().clone();
    let middle = data.len() / 2;
    data[middle] ^= 0x01;
    chunks
        .update_one(
            doc! {"_id": chunk.get("_id").unwrap().clone()},
            doc! {"$set": {"data": crewplots_storage_mongo::mongodb::bson::Binary {
                subtype: crewplots_storage_mongo::mongodb::bson::spec::BinarySubtype::Generic, bytes: data }}},
        )
        .await
        .unwrap();

    let response = client
        .get(app.url(&format!(
            "/api/documents/{}/content",
            info["id"].as_str().unwrap()
        )))
        .send()
        .await
        .unwrap();
    let status = response.status();
    let body = response.bytes().await.unwrap_or_default();
    assert_ne!(
        body.as_ref(),
        content.as_slice(),
        "never the (altered) content"
    );
    assert_eq!(status, 500);
    let error: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(error["error"]["code"], "document_corrupted");
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(app.audit_count("document.integrity_failure").await, 1);
}

#[tokio::test]
async fn the_type_is_decided_by_content_and_oversized_uploads_leave_nothing_behind() {
    let mut vars = test_vars().await;
    vars.insert(
        "CREWPLOTS__DOCUMENTS__MAX_BYTES".into(),
        (100 * 1024).to_string(),
    );
    let app = spawn_app_with(vars).await;
    app.wait_until_ready(Duration::from_secs(20)).await;
    let owner = app.seed_user(Role::Applicant, &[]).await;
    let client = app.login(&owner.username, PASSWORD).await;

    let html = b"<html><script>alert(1)</script></html>".to_vec();
    let refused = upload(&app, &client, owner.id, "resume", html, "cv.pdf").await;
    assert_eq!(refused.status(), 415);
    assert_eq!(
        refused.json::<Value>().await.unwrap()["error"]["code"],
        "unsupported_type"
    );

    let png = [
        &[0x89u8, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A][..],
        &[0u8; 100],
    ]
    .concat();
    let accepted = upload(&app, &client, owner.id, "other", png, "picture.pdf").await;
    assert_eq!(accepted.status(), 201);
    assert_eq!(
        accepted.json::<Value>().await.unwrap()["contentType"],
        "image/png"
    );

    let too_big = upload(
        &app,
        &client,
        owner.id,
        "resume",
        pdf(300 * 1024),
        "big.pdf",
    )
    .await;
    assert_eq!(too_big.status(), 413);
    assert_eq!(
        too_big.json::<Value>().await.unwrap()["error"]["code"],
        "too_large"
    );
    let files = all_documents(&app, "sensitive_documents.files").await;
    assert_eq!(files.len(), 1, "only the accepted PNG is stored");
    let chunks = all_documents(&app, "sensitive_documents.chunks").await;
    assert_eq!(chunks.len(), 1, "no chunks of the refused upload remain");
    let rows: i64 = app
        .pg
        .get()
        .await
        .unwrap()
        .query_one("SELECT count(*) FROM documents", &[])
        .await
        .unwrap()
        .get(0);
    assert_eq!(rows, 1);
}

#[tokio::test]
async fn nobody_reaches_another_persons_documents_or_profile_without_the_right() {
    let app = spawn_app().await;
    let here = app.seed_location("Here").await;
    let there = app.seed_location("There").await;
    let owner = app.seed_user(Role::CrewMember, &[here.id]).await;
    let owner_client = app.login(&owner.username, PASSWORD).await;
    owner_client
        .put(app.url(&format!("/api/people/{}/profile", owner.id)))
        .json(&json!({"phone": "+31 6 9999 0000", "bankAccount": "NL00TEST0123456789"}))
        .send()
        .await
        .unwrap();
    let info: Value = upload(
        &app,
        &owner_client,
        owner.id,
        "contract",
        pdf(2000),
        "c.pdf",
    )
    .await
    .json()
    .await
    .unwrap();
    let document = info["id"].as_str().unwrap().to_string();

    let other_applicant = app.seed_user(Role::Applicant, &[]).await;
    let manager_there = app.seed_user(Role::Manager, &[there.id]).await;
    for stranger in [&other_applicant, &manager_there] {
        let client = app.login(&stranger.username, PASSWORD).await;
        for path in [
            format!("/api/people/{}/profile", owner.id),
            format!("/api/people/{}/documents", owner.id),
            format!("/api/documents/{document}/content"),
        ] {
            let status = client.get(app.url(&path)).send().await.unwrap().status();
            assert_eq!(status, 404, "{} on {path}", stranger.username);
        }
        let review = client
            .post(app.url(&format!("/api/documents/{document}/review")))
            .json(&json!({"decision": "approved"}))
            .send()
            .await
            .unwrap();
        assert_eq!(review.status(), 404);
    }

    let floor = app.seed_user(Role::FloorManager, &[here.id]).await;
    let floor_client = app.login(&floor.username, PASSWORD).await;
    let profile: Value = floor_client
        .get(app.url(&format!("/api/people/{}/profile", owner.id)))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(profile["sensitive"]["phone"], "+31 6 9999 0000");
    assert!(
        profile["sensitive"]["bankAccount"].is_null(),
        "floor managers see the phone only"
    );
    let denied = floor_client
        .get(app.url(&format!("/api/people/{}/documents", owner.id)))
        .send()
        .await
        .unwrap();
    assert_eq!(denied.status(), 403);

    let own_review = owner_client
        .post(app.url(&format!("/api/documents/{document}/review")))
        .json(&json!({"decision": "approved"}))
        .send()
        .await
        .unwrap();
    assert_eq!(
        own_review.status(),
        403,
        "nobody reviews their own documents"
    );

    let manager = app.seed_user(Role::Manager, &[here.id]).await;
    let manager_client = app.login(&manager.username, PASSWORD).await;
    let full: Value = manager_client
        .get(app.url(&format!("/api/people/{}/profile", owner.id)))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(full["sensitive"]["bankAccount"], "NL00TEST0123456789");
    assert_eq!(full["sensitiveStatus"], "ok");
}

#[tokio::test]
async fn managers_review_with_a_reason_for_rejections_and_deleted_documents_are_gone() {
    let app = spawn_app().await;
    let venue = app.seed_location("Review venue").await;
    let owner = app.seed_user(Role::CrewMember, &[venue.id]).await;
    let manager = app.seed_user(Role::Manager, &[venue.id]).await;
    let owner_client = app.login(&owner.username, PASSWORD).await;
    let manager_client = app.login(&manager.username, PASSWORD).await;
    let info: Value = upload(
        &app,
        &owner_client,
        owner.id,
        "work_permit",
        pdf(1000),
        "wp.pdf",
    )
    .await
    .json()
    .await
    .unwrap();
    let id = info["id"].as_str().unwrap().to_string();

    let no_reason = manager_client
        .post(app.url(&format!("/api/documents/{id}/review")))
        .json(&json!({"decision": "rejected"}))
        .send()
        .await
        .unwrap();
    assert_eq!(no_reason.status(), 422);
    let rejected: Value = manager_client
        .post(app.url(&format!("/api/documents/{id}/review")))
        .json(&json!({"decision": "rejected", "reason": "Expired permit"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(rejected["reviewState"], "rejected");
    assert_eq!(rejected["reviewReason"], "Expired permit");
    let seen_by_owner: Value = owner_client
        .get(app.url(&format!("/api/people/{}/documents", owner.id)))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(
        seen_by_owner[0]["reviewReason"].is_null(),
        "review reasons are internal"
    );
    assert_eq!(app.audit_count("document.reviewed").await, 1);

    let deleted = owner_client
        .delete(app.url(&format!("/api/documents/{id}")))
        .send()
        .await
        .unwrap();
    assert_eq!(deleted.status(), 204);
    assert_eq!(
        owner_client
            .get(app.url(&format!("/api/documents/{id}/content")))
            .send()
            .await
            .unwrap()
            .status(),
        404
    );
    assert!(all_documents(&app, "sensitive_documents.files")
        .await
        .is_empty());
    assert!(all_documents(&app, "sensitive_documents.chunks")
        .await
        .is_empty());
}

#[tokio::test]
async fn documents_expiring_soon_are_listed_for_managers_of_the_owner() {
    let app = spawn_app().await;
    let venue = app.seed_location("Expiry venue").await;
    let owner = app.seed_user(Role::CrewMember, &[venue.id]).await;
    let manager = app.seed_user(Role::Manager, &[venue.id]).await;
    let elsewhere = app
        .seed_user(Role::Manager, &[app.seed_location("Elsewhere").await.id])
        .await;
    let owner_client = app.login(&owner.username, PASSWORD).await;
    let soon = (crate::support::venue_today() + chrono::Duration::days(10)).to_string();
    let later = (crate::support::venue_today() + chrono::Duration::days(200)).to_string();
    for date in [&soon, &later] {
        let form = Form::new().part("file", Part::bytes(pdf(500)).file_name("p.pdf"));
        let response = owner_client
            .post(app.url(&format!(
                "/api/people/{}/documents?kind=passport&expiresOn={date}",
                owner.id
            )))
            .multipart(form)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 201);
    }
    let list: Value = app
        .login(&manager.username, PASSWORD)
        .await
        .get(app.url("/api/documents/expiring?days=30"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(list.as_array().unwrap().len(), 1);
    assert_eq!(list[0]["document"]["expiresOn"], soon.as_str());
    assert_eq!(list[0]["ownerName"], "Test crew_member");
    let none: Value = app
        .login(&elsewhere.username, PASSWORD)
        .await
        .get(app.url("/api/documents/expiring"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(none, json!([]));
    assert_eq!(
        owner_client
            .get(app.url("/api/documents/expiring"))
            .send()
            .await
            .unwrap()
            .status(),
        403
    );
}

#[tokio::test]
async fn with_mongodb_down_profiles_still_answer_and_uploads_say_store_unavailable() {
    let mut vars = test_vars().await;
    vars.insert(
        "MONGODB_URL".into(),
        format!("mongodb://127.0.0.1:{}/?directConnection=true", free_port()),
    );
    vars.insert("CREWPLOTS__MONGODB__TIMEOUT_MS".into(), "500".into());
    let app = spawn_app_with(vars).await;
    let owner = app.seed_user(Role::CrewMember, &[]).await;
    let client = app.login(&owner.username, PASSWORD).await;
    let profile = client
        .get(app.url(&format!("/api/people/{}/profile", owner.id)))
        .send()
        .await
        .unwrap();
    assert_eq!(profile.status(), 200);
    let profile: Value = profile.json().await.unwrap();
    assert!(profile["sensitive"].is_null());
    assert_eq!(profile["sensitiveStatus"], "unavailable");
    assert_eq!(profile["username"], owner.username.as_str());

    let refused = upload(&app, &client, owner.id, "resume", pdf(1000), "cv.pdf").await;
    assert_eq!(refused.status(), 503);
    assert_eq!(
        refused.json::<Value>().await.unwrap()["error"]["code"],
        "store_unavailable"
    );
    let rows: i64 = app
        .pg
        .get()
        .await
        .unwrap()
        .query_one("SELECT count(*) FROM documents", &[])
        .await
        .unwrap()
        .get(0);
    assert_eq!(rows, 0, "no metadata row without content");
}

async fn seed_with_data(
    app: &TestApp,
) -> (crate::support::Seeded, reqwest::Client, Vec<u8>, String) {
    let owner = app.seed_user(Role::Applicant, &[]).await;
    let client = app.login(&owner.username, PASSWORD).await;
    let put = client
        .put(app.url(&format!("/api/people/{}/profile", owner.id)))
        .json(&json!({"phone": "+31 6 2222 3333", "bankAccount": "NL55ERASE000111222"}))
        .send()
        .await
        .unwrap();
    assert_eq!(put.status(), 200);
    let content = pdf(70_000);
    let info: Value = upload(
        app,
        &client,
        owner.id,
        "resume",
        content.clone(),
        "Curriculum Anna.pdf",
    )
    .await
    .json()
    .await
    .unwrap();
    (
        owner,
        client,
        content,
        info["id"].as_str().unwrap().to_string(),
    )
}

#[tokio::test]
async fn download_my_data_gives_a_zip_with_rows_profile_and_decrypted_documents() {
    use std::io::Read;
    let app = spawn_app().await;
    let (owner, client, content, document) = seed_with_data(&app).await;
    let response = client.get(app.url("/api/me/export")).send().await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "application/zip");
    let bytes = response.bytes().await.unwrap();
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let mut read = |name: &str| {
        let mut out = Vec::new();
        archive
            .by_name(name)
            .unwrap()
            .read_to_end(&mut out)
            .unwrap();
        out
    };
    let account: Value = serde_json::from_slice(&read("account.json")).unwrap();
    assert_eq!(account["user"]["username"], owner.username.as_str());
    let profile: Value = serde_json::from_slice(&read("profile.json")).unwrap();
    assert_eq!(profile["bankAccount"], "NL55ERASE000111222");
    let listed: Value = serde_json::from_slice(&read("documents.json")).unwrap();
    assert_eq!(listed[0]["id"], document.as_str());
    assert_eq!(listed[0]["originalName"], "Curriculum Anna.pdf");
    let file = listed[0]["file"].as_str().unwrap().to_string();
    assert!(
        read(&file) == content,
        "the document comes back decrypted, byte for byte"
    );
    assert_eq!(app.audit_count("data.exported").await, 1);
}

async fn nothing_left_in_mongodb(app: &TestApp) {
    for collection in [
        "sensitive_documents.files",
        "sensitive_documents.chunks",
        "profiles",
    ] {
        assert!(
            all_documents(app, collection).await.is_empty(),
            "{collection} still holds data"
        );
    }
}

#[tokio::test]
async fn deleting_my_account_erases_everything_but_an_anonymous_audit_trail() {
    let app = spawn_app().await;
    let (owner, client, _, document) = seed_with_data(&app).await;
    let admin = app.seed_user(Role::Administrator, &[]).await;
    let erased = client.delete(app.url("/api/me")).send().await.unwrap();
    assert_eq!(erased.status(), 204);
    nothing_left_in_mongodb(&app).await;
    assert_eq!(
        client
            .get(app.url("/api/auth/me"))
            .send()
            .await
            .unwrap()
            .status(),
        401
    );
    let admin_client = app.login(&admin.username, PASSWORD).await;
    for path in [
        format!("/api/documents/{document}/content"),
        format!("/api/people/{}/profile", owner.id),
    ] {
        assert_eq!(
            admin_client
                .get(app.url(&path))
                .send()
                .await
                .unwrap()
                .status(),
            404,
            "{path}"
        );
    }
    let pg = app.pg.get().await.unwrap();
    let users: i64 = pg
        .query_one("SELECT count(*) FROM users WHERE id = $1", &[&owner.id])
        .await
        .unwrap()
        .get(0);
    assert_eq!(users, 0);
    let trail: i64 = pg
        .query_one(
            "SELECT count(*) FROM audit_log WHERE subject_id = $1 AND action = 'account.erased'",
            &[&owner.id],
        )
        .await
        .unwrap()
        .get(0);
    assert_eq!(
        trail, 1,
        "the erasure itself is recorded, by opaque id only"
    );
    let dump: String = pg
        .query_one(
            "SELECT coalesce(string_agg(details::text || action, ' '), '') FROM audit_log",
            &[],
        )
        .await
        .unwrap()
        .get(0);
    assert!(!dump.contains(&owner.username) && !dump.contains("2222 3333"));
}

#[tokio::test]
async fn administrators_erase_people_but_nobody_else_does_and_nothing_happens_while_mongodb_is_down(
) {
    let app = spawn_app().await;
    let venue = app.seed_location("Erase venue").await;
    let (owner, _, _, _) = seed_with_data(&app).await;
    let manager = app.seed_user(Role::Manager, &[venue.id]).await;
    let admin = app.seed_user(Role::Administrator, &[]).await;
    let manager_client = app.login(&manager.username, PASSWORD).await;
    let refused = manager_client
        .delete(app.url(&format!("/api/people/{}", owner.id)))
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 403);
    let admin_client = app.login(&admin.username, PASSWORD).await;
    let own = admin_client
        .delete(app.url(&format!("/api/people/{}", admin.id)))
        .send()
        .await
        .unwrap();
    assert_eq!(own.status(), 403, "administrators cannot erase themselves");
    let ok = admin_client
        .delete(app.url(&format!("/api/people/{}", owner.id)))
        .send()
        .await
        .unwrap();
    assert_eq!(ok.status(), 204);
    nothing_left_in_mongodb(&app).await;

    // With MongoDB unreachable, erasure refuses before deleting anything.
    let mut vars = app.vars.clone();
    vars.insert(
        "MONGODB_URL".into(),
        format!("mongodb://127.0.0.1:{}/?directConnection=true", free_port()),
    );
    vars.insert("CREWPLOTS__MONGODB__TIMEOUT_MS".into(), "500".into());
    let down = spawn_app_with(vars).await;
    let victim = down.seed_user(Role::CrewMember, &[]).await;
    let admin_down = down.login(&admin.username, PASSWORD).await;
    // A document row pointing at content that cannot be reached.
    let response = admin_down
        .delete(down.url(&format!("/api/people/{}", victim.id)))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 503);
    let still: i64 = down
        .pg
        .get()
        .await
        .unwrap()
        .query_one("SELECT count(*) FROM users WHERE id = $1", &[&victim.id])
        .await
        .unwrap()
        .get(0);
    assert_eq!(still, 1, "nothing deleted while MongoDB is down");
}

#[tokio::test]
async fn the_sweep_removes_content_without_rows_and_keeps_everything_else() {
    use crewplots_domain::ports::{DocumentVault, ProfileVault};
    let app = spawn_app().await;
    let (owner, client, content, document) = seed_with_data(&app).await;
    let settings = crewplots_server::settings::Settings::load_from(&app.vars, None).unwrap();
    let vault = crewplots_storage_mongo::GridFsDocumentVault::new(
        app.mongo.clone(),
        settings.keyring.clone(),
    );
    // An upload interrupted after its content was stored but before its row was written.
    let orphan = vault
        .store(
            Uuid::new_v4(),
            owner.id,
            "orphan.pdf",
            Box::pin(futures_util::stream::once(async { Ok(pdf(1000).into()) })),
        )
        .await
        .unwrap();
    // A registration interrupted after its profile was stored.
    let profiles = crewplots_storage_mongo::MongoProfileVault::new(
        app.mongo.clone(),
        settings.keyring.clone(),
    );
    profiles
        .save(Uuid::new_v4(), &Default::default())
        .await
        .unwrap();

    let report = crewplots_server::startup::sweep_once(&settings, Duration::ZERO)
        .await
        .unwrap();
    assert_eq!(
        (report.documents_removed, report.profiles_removed),
        (1, 1),
        "{report:?}"
    );
    assert!(vault
        .open(Uuid::new_v4(), owner.id, &orphan.gridfs_id)
        .await
        .is_err());
    let kept = client
        .get(app.url(&format!("/api/documents/{document}/content")))
        .send()
        .await
        .unwrap();
    assert!(
        kept.bytes().await.unwrap().as_ref() == content.as_slice(),
        "referenced content stays"
    );
    let again = crewplots_server::startup::sweep_once(&settings, Duration::ZERO)
        .await
        .unwrap();
    assert_eq!((again.documents_removed, again.profiles_removed), (0, 0));
}

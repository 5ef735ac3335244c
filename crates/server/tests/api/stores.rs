//! The three stores, reached through our own crates: a migration applied, a session-like key written and
//! read, a GridFS file round-tripped.

use std::time::{Duration, Instant};

use crewplots_domain::ports::{AccountStore as _, StoreError};
use crewplots_domain::Role;
use crewplots_storage_mongo::mongodb::bson::doc;
use crewplots_storage_postgres::{PgStore, PoolOptions};
use futures_util::future::join_all;
use futures_util::{AsyncReadExt, AsyncWriteExt};

use crate::support::{empty_database, spawn_app, unique_name};

#[tokio::test]
async fn a_fresh_database_has_every_migration_applied() {
    let app = spawn_app().await;
    let client = app.pg.get().await.unwrap();
    let versions: Vec<i32> = client
        .query(
            "SELECT version FROM refinery_schema_history ORDER BY version",
            &[],
        )
        .await
        .unwrap()
        .iter()
        .map(|row| row.get(0))
        .collect();
    assert!(versions.contains(&1), "{versions:?}");
    let tables: i64 = client
        .query_one(
            "SELECT count(*) FROM information_schema.tables WHERE table_name = 'audit_log'",
            &[],
        )
        .await
        .unwrap()
        .get(0);
    assert_eq!(tables, 1);
}

#[tokio::test]
async fn the_audit_log_refuses_updates_and_deletes() {
    let app = spawn_app().await;
    let client = app.pg.get().await.unwrap();
    client
        .execute("INSERT INTO audit_log (action) VALUES ('test.event')", &[])
        .await
        .unwrap();
    let update = client
        .execute("UPDATE audit_log SET action = 'rewritten'", &[])
        .await;
    let error = update.unwrap_err();
    let message = error
        .as_db_error()
        .map(|e| e.message().to_string())
        .unwrap_or_default();
    assert_eq!(message, "audit_log is append-only");
    let delete = client.execute("DELETE FROM audit_log", &[]).await;
    assert!(delete.is_err());
}

#[tokio::test]
async fn two_instances_migrating_at_once_apply_each_migration_exactly_once() {
    let url = empty_database().await;
    let (a, b) = tokio::join!(
        crewplots_storage_postgres::migrate(&url),
        crewplots_storage_postgres::migrate(&url)
    );
    let (a, b) = (a.unwrap(), b.unwrap());
    assert!(!a.is_empty() || !b.is_empty());
    assert!(a.is_empty() || b.is_empty(), "both applied: {a:?} / {b:?}");
    let again = crewplots_storage_postgres::migrate(&url).await.unwrap();
    assert!(again.is_empty());
}

#[tokio::test]
async fn session_like_keys_are_written_read_and_expire_under_the_test_prefix() {
    let app = spawn_app().await;
    app.redis
        .set_with_ttl("session:abc", "{\"user\":1}", Duration::from_secs(60))
        .await
        .unwrap();
    assert_eq!(
        app.redis.get("session:abc").await.unwrap().as_deref(),
        Some("{\"user\":1}")
    );
    let ttl = app.redis.ttl("session:abc").await.unwrap().unwrap();
    assert!((1..=60).contains(&ttl), "ttl {ttl}");

    // The key really lives under this test's prefix in Redis.
    let raw =
        crewplots_session::KeyValue::new(app.redis.pool().clone(), "", Duration::from_secs(2));
    assert!(raw.get("session:abc").await.unwrap().is_none());
    assert!(raw
        .get(&app.redis.key("session:abc"))
        .await
        .unwrap()
        .is_some());

    app.redis.delete("session:abc").await.unwrap();
    assert!(app.redis.get("session:abc").await.unwrap().is_none());
}

#[tokio::test]
async fn a_file_round_trips_through_the_gridfs_bucket() {
    let app = spawn_app().await;
    // Several chunks (GridFS uses 255 KiB) plus a partial one.
    let content: Vec<u8> = (0..(700 * 1024 + 17)).map(|i| (i % 251) as u8).collect();

    let bucket = app.mongo.documents_bucket();
    let mut upload = bucket.open_upload_stream("roundtrip").await.unwrap();
    upload.write_all(&content).await.unwrap();
    upload.close().await.unwrap();
    let id = upload.id().clone();

    let mut download = bucket.open_download_stream(id).await.unwrap();
    let mut read_back = Vec::new();
    download.read_to_end(&mut read_back).await.unwrap();
    assert_eq!(read_back.len(), content.len());
    assert!(read_back == content);

    let chunks = app
        .mongo
        .database()
        .collection::<crewplots_storage_mongo::mongodb::bson::Document>(
            "sensitive_documents.chunks",
        )
        .count_documents(doc! {})
        .await
        .unwrap();
    assert_eq!(chunks, 3);
}

#[tokio::test]
async fn start_up_creates_the_unique_gridfs_chunk_index() {
    let app = spawn_app().await;
    let names = app
        .mongo
        .database()
        .collection::<crewplots_storage_mongo::mongodb::bson::Document>(
            "sensitive_documents.chunks",
        )
        .list_index_names()
        .await
        .unwrap();
    assert!(names.iter().any(|n| n == "files_id_1_n_1"), "{names:?}");
}

/// An HTTP worker's store pipelines the user read of every request on one connection, and takes a new one
/// when that connection is lost, without a restart.
#[tokio::test]
async fn a_workers_user_reads_share_one_connection_and_replace_it_when_lost() {
    let app = spawn_app().await;
    let user = app.seed_user(Role::Manager, &[]).await;
    let name = unique_name("shared_reads");
    let separator = if app.database_url.contains('?') {
        '&'
    } else {
        '?'
    };
    let pool = crewplots_storage_postgres::build_pool(
        &format!("{}{separator}application_name={name}", app.database_url),
        PoolOptions {
            max_size: 4,
            ..PoolOptions::default()
        },
    )
    .unwrap();
    let store = PgStore::for_requests(pool.clone());

    // The first read takes the connection (reads meanwhile would use pooled ones); the rest share it.
    store.user(user.id).await.unwrap().expect("the user");
    let reads = join_all((0..32).map(|_| store.user(user.id))).await;
    for read in reads {
        assert_eq!(read.unwrap().expect("the user").id, user.id);
    }
    assert_eq!(
        pool.status().size,
        1,
        "32 reads at once took more than one connection"
    );
    let before = backends_named(&app, &name).await;
    assert_eq!(before.len(), 1, "{before:?}");

    let admin = app.pg.get().await.unwrap();
    admin
        .execute("SELECT pg_terminate_backend($1)", &[&before[0]])
        .await
        .unwrap();
    // A read racing the loss may be answered "unavailable"; the ones after it run on a new connection.
    let deadline = Instant::now() + Duration::from_secs(2);
    loop {
        match store.user(user.id).await {
            Ok(found) => {
                assert_eq!(found.expect("the user").id, user.id);
                break;
            }
            Err(StoreError::Unavailable(_)) if Instant::now() < deadline => {
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
            Err(other) => panic!("no recovery from a lost shared connection: {other:?}"),
        }
    }
    let after = backends_named(&app, &name).await;
    assert_eq!(after.len(), 1, "{after:?}");
    assert_ne!(after, before);
}

/// Text PostgreSQL cannot hold (a NUL) is the caller's error, not a store fault: whatever slips past the
/// input rules answers 400 `invalid_characters` instead of 500.
#[tokio::test]
async fn text_with_a_nul_is_unstorable_not_a_store_fault() {
    let app = spawn_app().await;
    let store = PgStore::new(app.pg.clone());
    let answer = store.credentials("nul\u{0}name").await;
    assert!(
        matches!(answer, Err(StoreError::UnstorableText)),
        "{answer:?}"
    );
}

/// Process ids of the live backends of one application name.
async fn backends_named(app: &crate::support::TestApp, name: &str) -> Vec<i32> {
    app.pg
        .get()
        .await
        .unwrap()
        .query(
            "SELECT pid FROM pg_stat_activity WHERE application_name = $1",
            &[&name],
        )
        .await
        .unwrap()
        .iter()
        .map(|row| row.get(0))
        .collect()
}

//! `cargo xtask backup` and `cargo xtask restore` against the real test stack: a PostgreSQL database and a
//! MongoDB database of the test's own (GridFS bucket `sensitive_documents` included) are backed up, wiped
//! and restored, and must come back byte for byte; a damaged archive must be refused before anything is
//! touched.
//!
//! Needs the stack of `cargo xtask test`; by hand:
//! `cargo xtask services up --test && eval "$(cargo xtask services env --test)" && cargo test -p xtask --test backup_roundtrip`.
//! Every test makes uniquely named databases and a temporary output folder, so tests run in parallel.

// A test that fails by panicking with a message is the point here.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::Instant;

use futures_util::io::{AsyncReadExt as _, AsyncWriteExt as _};
use futures_util::TryStreamExt as _;
use mongodb::bson::spec::BinarySubtype;
use mongodb::bson::{doc, Binary, Bson, DateTime, Document, RawDocumentBuf};
use mongodb::gridfs::GridFsBucket;
use mongodb::options::{GridFsBucketOptions, IndexOptions};
use mongodb::IndexModel;
use rand::RngCore as _;
use ring::digest;

const BUCKET: &str = "sensitive_documents";

fn required(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| {
        panic!(
            "{name} is not set. Run the tests with `cargo xtask test`, or start the test stack with \
             `cargo xtask services up --test` and `eval \"$(cargo xtask services env --test)\"`."
        )
    })
}

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives one level below the repository root")
        .to_path_buf()
}

fn random_bytes(count: usize) -> Vec<u8> {
    let mut bytes = vec![0u8; count];
    rand::rng().fill_bytes(&mut bytes);
    bytes
}

/// A key ring with one random key, as the application builds it from ENCRYPTION_KEY.
fn test_keyring() -> std::sync::Arc<crewplots_crypto::KeyRing> {
    use base64::Engine as _;
    let key = base64::engine::general_purpose::STANDARD.encode(random_bytes(32));
    std::sync::Arc::new(
        crewplots_crypto::KeyRing::from_config(Some(&secrecy::SecretString::from(key)), None)
            .unwrap(),
    )
}

fn sha256(bytes: &[u8]) -> String {
    hex::encode(digest::digest(&digest::SHA256, bytes))
}

/// A PostgreSQL database and a MongoDB database of this test's own, and a folder for the archives.
struct Installation {
    admin_url: String,
    name: String,
    database_url: String,
    mongodb_url: String,
    mongo: mongodb::Database,
    out: tempfile::TempDir,
}

impl Installation {
    async fn create() -> Self {
        let admin_url = required("CREWPLOTS_TEST_DATABASE_URL");
        let mongodb_url = required("CREWPLOTS_TEST_MONGODB_URL");
        let name = format!("xtask_backup_{}", hex::encode(random_bytes(8)));
        let (base, _) = admin_url
            .rsplit_once('/')
            .expect("the admin URL ends with a database name");
        let database_url = format!("{base}/{name}");
        let mongo = mongodb::Client::with_uri_str(&mongodb_url)
            .await
            .expect("connect to the test MongoDB")
            .database(&name);
        let installation = Self {
            admin_url,
            name,
            database_url,
            mongodb_url,
            mongo,
            out: tempfile::tempdir().expect("a temporary folder"),
        };
        installation
            .admin()
            .await
            .batch_execute(&format!("CREATE DATABASE {}", installation.name))
            .await
            .expect("create the test database");
        installation
    }

    async fn connect(url: &str) -> tokio_postgres::Client {
        let (client, connection) = tokio_postgres::connect(url, tokio_postgres::NoTls)
            .await
            .expect("connect to the test PostgreSQL");
        tokio::spawn(connection);
        client
    }

    async fn admin(&self) -> tokio_postgres::Client {
        Self::connect(&self.admin_url).await
    }

    async fn pg(&self) -> tokio_postgres::Client {
        Self::connect(&self.database_url).await
    }

    fn bucket(&self) -> GridFsBucket {
        self.mongo.gridfs_bucket(
            GridFsBucketOptions::builder()
                .bucket_name(BUCKET.to_string())
                .build(),
        )
    }

    /// Runs the xtask binary with `args` and this installation's databases.
    fn xtask(&self, args: &[&str]) -> Output {
        let output = Command::new(env!("CARGO_BIN_EXE_xtask"))
            .args(args)
            .args(["--database-url", &self.database_url])
            .args(["--mongodb-url", &self.mongodb_url])
            .args(["--mongodb-db", &self.name])
            .env_remove("DATABASE_URL")
            .env_remove("MONGODB_URL")
            .env_remove("MONGODB_DB_NAME")
            .stdin(Stdio::null())
            .output()
            .expect("run the xtask binary");
        eprintln!(
            "--- xtask {} ({})\n{}{}",
            args.join(" "),
            output.status,
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        output
    }

    fn backup(&self) -> PathBuf {
        let out = self.out.path().to_str().unwrap().to_string();
        let output = self.xtask(&["backup", "--out", &out]);
        assert!(output.status.success(), "backup failed");
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(
            stdout.contains("ENCRYPTION_KEY (and ENCRYPTION_OLD_KEYS)")
                && stdout.contains("they are not in the archive"),
            "the backup must say that the keys are not in it"
        );
        let archives: Vec<PathBuf> = fs::read_dir(self.out.path())
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| {
                let name = p.file_name().unwrap().to_str().unwrap();
                name.starts_with("crewplots-backup-") && name.ends_with(".tar")
            })
            .collect();
        assert_eq!(archives.len(), 1, "one archive per backup: {archives:?}");
        let archive = archives.into_iter().next().unwrap();
        let checksum = fs::read_to_string(format!("{}.sha256", archive.display()))
            .expect("the archive has a .sha256 beside it");
        let (digest, file) = checksum.trim().split_once("  ").unwrap();
        assert_eq!(digest, sha256(&fs::read(&archive).unwrap()));
        assert_eq!(file, archive.file_name().unwrap().to_str().unwrap());
        archive
    }

    /// Drops and recreates the PostgreSQL database, drops the MongoDB database.
    async fn wipe(&self) {
        let admin = self.admin().await;
        admin
            .batch_execute(&format!("DROP DATABASE {} WITH (FORCE)", self.name))
            .await
            .expect("drop the test database");
        admin
            .batch_execute(&format!("CREATE DATABASE {}", self.name))
            .await
            .expect("recreate the test database");
        self.mongo.drop().await.expect("drop the MongoDB database");
    }

    async fn remove(self) {
        let _ = self
            .admin()
            .await
            .batch_execute(&format!(
                "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                self.name
            ))
            .await;
        let _ = self.mongo.drop().await;
    }

    // ---- seeding ---------------------------------------------------------------------------------------

    async fn seed_postgres(&self, members: i64) {
        let pg = self.pg().await;
        pg.batch_execute(
            "CREATE TABLE crew_member (
                 id          BIGSERIAL PRIMARY KEY,
                 name        TEXT NOT NULL,
                 photo       BYTEA,
                 profile     JSONB NOT NULL,
                 hired_at    TIMESTAMPTZ,
                 hourly_rate NUMERIC(10, 2),
                 note        TEXT
             );
             CREATE TABLE shift (
                 id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                 crew_member_id BIGINT NOT NULL REFERENCES crew_member (id),
                 starts_at      TIMESTAMPTZ NOT NULL,
                 ends_at        TIMESTAMPTZ NOT NULL CHECK (ends_at > starts_at)
             );
             CREATE INDEX shift_member_idx ON shift (crew_member_id, starts_at);",
        )
        .await
        .expect("create the seed tables");
        pg.execute(
            "INSERT INTO crew_member (name, photo, profile, hired_at, hourly_rate, note)
             SELECT 'Member ' || i || ' – Zoë ✓',
                    CASE WHEN i % 7 = 0 THEN NULL
                         ELSE decode(md5(i::text) || md5((i * 31)::text), 'hex') END,
                    jsonb_build_object('i', i, 'tags', jsonb_build_array('bar', i % 3),
                                       'quote', E'it''s \"quoted\"\\n and \\\\ escaped'),
                    timestamptz '2024-01-01 00:00:00+00' + i * interval '1 hour 7 minutes',
                    (i * 1.25)::numeric(10, 2),
                    CASE WHEN i % 5 = 0 THEN E'line one\\nline two\\ttab' END
             FROM generate_series(1, $1::bigint) AS i",
            &[&members],
        )
        .await
        .expect("seed crew_member");
        pg.execute(
            "INSERT INTO crew_member (name, photo, profile) VALUES ($1, $2, $3), ($4, $5, $6)",
            &[
                &"every byte value",
                &(0..=255u8).collect::<Vec<u8>>(),
                &serde_json::json!({ "kind": "all bytes" }),
                &"a random megabyte",
                &random_bytes(1024 * 1024),
                &serde_json::json!({ "nested": { "deep": [1, 2.5, null, true, "x"] } }),
            ],
        )
        .await
        .expect("seed binary rows");
        pg.execute(
            "INSERT INTO shift (crew_member_id, starts_at, ends_at)
             SELECT (i % $1::bigint) + 1, t, t + interval '8 hours'
             FROM generate_series(1, $1::bigint * 2) AS i,
                  LATERAL (SELECT timestamptz '2024-06-01 06:00:00+00' + i * interval '1 day') AS s(t)",
            &[&members],
        )
        .await
        .expect("seed shift");

        // The application's own audit log (append-only through a trigger, identity key, inet, jsonb).
        let audit_log = fs::read_to_string(repo_root().join("migrations/V1__audit_log.sql"))
            .expect("read migrations/V1__audit_log.sql");
        pg.batch_execute(&audit_log)
            .await
            .expect("create audit_log");
        pg.execute(
            "INSERT INTO audit_log (action, ip, details)
             SELECT 'backup.test_' || (i % 4), ('10.0.0.' || i)::inet, jsonb_build_object('n', i)
             FROM generate_series(1, 50) AS i",
            &[],
        )
        .await
        .expect("seed audit_log");
    }

    /// Uploads `content` to the bucket; returns its id.
    async fn upload(&self, filename: &str, content: &[u8]) -> Bson {
        let mut upload = self
            .bucket()
            .open_upload_stream(filename)
            .metadata(doc! { "purpose": "backup test", "bytes": content.len() as i64 })
            .await
            .expect("open an upload");
        upload.write_all(content).await.expect("upload");
        upload.close().await.expect("finish the upload");
        upload.id().clone()
    }

    async fn download(&self, id: &Bson) -> Vec<u8> {
        let mut download = self
            .bucket()
            .open_download_stream(id.clone())
            .await
            .expect("open a download");
        let mut content = Vec::new();
        download.read_to_end(&mut content).await.expect("download");
        content
    }

    async fn seed_mongo(&self, profiles: i32) {
        let collection = self.mongo.collection::<Document>("encrypted_profiles");
        let documents: Vec<Document> = (0..profiles)
            .map(|i| {
                doc! {
                    "person_id": format!("person-{i:05}"),
                    "location_id": i % 4,
                    "sealed": Binary { subtype: BinarySubtype::Generic, bytes: random_bytes(48 + i as usize) },
                    "key_id": Binary { subtype: BinarySubtype::Uuid, bytes: random_bytes(16) },
                    "updated_at": DateTime::from_millis(1_700_000_000_000 + i64::from(i) * 60_000),
                    "version": i64::from(i) * 1_000_000_007,
                    "score": f64::from(i) / 3.0,
                    "flags": [true, false, Bson::Null],
                    "name": "Zoë ✓ \"quoted\"",
                    "nested": { "list": [1, 2, { "deep": "value" }], "empty": {} },
                }
            })
            .collect();
        collection
            .insert_many(documents)
            .await
            .expect("seed profiles");
        collection
            .create_index(
                IndexModel::builder()
                    .keys(doc! { "person_id": 1 })
                    .options(IndexOptions::builder().unique(true).build())
                    .build(),
            )
            .await
            .expect("unique index");
        collection
            .create_index(
                IndexModel::builder()
                    .keys(doc! { "location_id": 1, "updated_at": -1 })
                    .options(
                        IndexOptions::builder()
                            .name("by_location_latest".to_string())
                            .build(),
                    )
                    .build(),
            )
            .await
            .expect("compound index");
        // An empty collection with an index must come back too.
        self.mongo
            .create_collection("note_bodies")
            .await
            .expect("create note_bodies");
        self.mongo
            .collection::<Document>("note_bodies")
            .create_index(IndexModel::builder().keys(doc! { "note_id": 1 }).build())
            .await
            .expect("note_bodies index");
    }

    // ---- fingerprints ----------------------------------------------------------------------------------

    /// Per table: row count and an MD5 of every row's text in key order; and every sequence's position.
    async fn postgres_fingerprint(&self) -> Vec<(String, i64, String)> {
        let pg = self.pg().await;
        let mut fingerprint = Vec::new();
        for table in ["crew_member", "shift", "audit_log"] {
            let row = pg
                .query_one(
                    &format!(
                        "SELECT count(*), coalesce(md5(string_agg(t::text, E'\\n' ORDER BY t.id)), '')
                         FROM {table} AS t"
                    ),
                    &[],
                )
                .await
                .unwrap_or_else(|e| panic!("fingerprint {table}: {e}"));
            fingerprint.push((table.to_string(), row.get(0), row.get(1)));
        }
        for row in pg
            .query(
                "SELECT sequencename::text, coalesce(last_value, 0) FROM pg_sequences
                 WHERE schemaname = 'public' ORDER BY 1",
                &[],
            )
            .await
            .unwrap()
        {
            fingerprint.push((row.get(0), row.get(1), "sequence".to_string()));
        }
        fingerprint
    }

    /// Per collection: document count, SHA-256 of all documents' raw bytes in `_id` order, index names.
    async fn mongo_fingerprint(&self) -> Vec<(String, usize, String, Vec<String>)> {
        let mut names = self.mongo.list_collection_names().await.unwrap();
        names.sort();
        let mut fingerprint = Vec::new();
        for name in names {
            let collection = self.mongo.collection::<RawDocumentBuf>(&name);
            let documents: Vec<RawDocumentBuf> = collection
                .find(doc! {})
                .sort(doc! { "_id": 1 })
                .await
                .unwrap()
                .try_collect()
                .await
                .unwrap();
            let mut context = digest::Context::new(&digest::SHA256);
            for document in &documents {
                context.update(document.as_bytes());
            }
            let mut indexes = collection.list_index_names().await.unwrap();
            indexes.sort();
            fingerprint.push((
                name,
                documents.len(),
                hex::encode(context.finish()),
                indexes,
            ));
        }
        fingerprint
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_backup_restores_every_row_and_every_gridfs_file_byte_for_byte() {
    let installation = Installation::create().await;
    installation.seed_postgres(300).await;
    installation.seed_mongo(250).await;
    let mut files = Vec::new();
    for (name, size) in [
        ("empty.bin", 0),
        ("one-byte.bin", 1),
        ("one-chunk.bin", 255 * 1024),
        ("several-mib.bin", 6 * 1024 * 1024 + 123),
    ] {
        let content = random_bytes(size);
        let id = installation.upload(name, &content).await;
        files.push((name, id, sha256(&content), size));
    }
    // Encrypted profiles, sealed exactly as the application seals them.
    let keys = test_keyring();
    let sealed_store = crewplots_storage_mongo::MongoStore::connect(
        &installation.mongodb_url,
        &installation.name,
        std::time::Duration::from_secs(5),
    )
    .await
    .unwrap();
    let vault = crewplots_storage_mongo::MongoProfileVault::new(sealed_store, keys.clone());
    let mut sealed = Vec::new();
    for n in 0..5 {
        use crewplots_domain::ports::ProfileVault;
        let owner = uuid::Uuid::new_v4();
        let profile = crewplots_domain::accounts::SensitiveProfile {
            phone: Some(format!("+31 6 0000 111{n}")),
            bank_account: Some(format!("NL00 BANK 0000 0000 0{n}")),
            ..Default::default()
        };
        vault.save(owner, &profile).await.unwrap();
        sealed.push((owner, profile));
    }
    let postgres_before = installation.postgres_fingerprint().await;
    let mongo_before = installation.mongo_fingerprint().await;
    assert!(
        mongo_before
            .iter()
            .any(|(name, count, _, _)| name == "sensitive_documents.chunks" && *count > 20),
        "the bucket holds several chunks: {mongo_before:?}"
    );

    let started = Instant::now();
    let archive = installation.backup();
    let backup_took = started.elapsed();
    let archive_arg = archive.to_str().unwrap().to_string();

    // Restoring over live data: what changed since the backup is undone.
    let pg = installation.pg().await;
    pg.batch_execute(
        "DELETE FROM shift WHERE id % 3 = 0;
         UPDATE crew_member SET name = 'changed', photo = NULL WHERE id % 2 = 0;
         INSERT INTO crew_member (name, profile) VALUES ('added after the backup', '{}');",
    )
    .await
    .expect("change rows after the backup");
    installation
        .upload("added-after-the-backup.bin", &random_bytes(1000))
        .await;
    installation
        .mongo
        .collection::<Document>("encrypted_profiles")
        .delete_many(doc! { "location_id": 1 })
        .await
        .unwrap();
    assert_ne!(installation.postgres_fingerprint().await, postgres_before);
    assert_ne!(installation.mongo_fingerprint().await, mongo_before);
    let output = installation.xtask(&["restore", &archive_arg, "--yes"]);
    assert!(output.status.success(), "restore over live data failed");
    assert_eq!(installation.postgres_fingerprint().await, postgres_before);
    assert_eq!(installation.mongo_fingerprint().await, mongo_before);

    // Restoring into empty databases.
    installation.wipe().await;
    assert!(installation
        .mongo
        .list_collection_names()
        .await
        .unwrap()
        .is_empty());
    let started = Instant::now();
    let output = installation.xtask(&["restore", &archive_arg, "--yes"]);
    let restore_took = started.elapsed();
    assert!(
        output.status.success(),
        "restore into empty databases failed"
    );
    eprintln!(
        "timings: backup {:.2} s, restore {:.2} s, archive {} bytes",
        backup_took.as_secs_f64(),
        restore_took.as_secs_f64(),
        fs::metadata(&archive).unwrap().len()
    );

    assert_eq!(installation.postgres_fingerprint().await, postgres_before);
    assert_eq!(installation.mongo_fingerprint().await, mongo_before);
    for (name, id, expected, size) in &files {
        let content = installation.download(id).await;
        assert_eq!(content.len(), *size, "{name} has its size back");
        assert_eq!(
            &sha256(&content),
            expected,
            "{name} comes back byte for byte"
        );
    }

    // Every encrypted object opens again with the same key (the key itself is never in the archive).
    for (owner, profile) in &sealed {
        use crewplots_domain::ports::ProfileVault;
        let restored = vault
            .load(*owner)
            .await
            .unwrap()
            .expect("the profile is back");
        assert!(
            &restored == profile,
            "profile {owner} decrypts to what was sealed"
        );
    }

    // What the restore brought back keeps working: sequences go on, the audit log stays append-only, the
    // unique index still refuses duplicates.
    let pg = installation.pg().await;
    pg.execute(
        "INSERT INTO shift (crew_member_id, starts_at, ends_at) VALUES (1, now(), now() + interval '1 hour')",
        &[],
    )
    .await
    .expect("the identity sequence continues after the restored rows");
    assert!(
        pg.execute("UPDATE audit_log SET action = 'rewritten'", &[])
            .await
            .is_err(),
        "the append-only trigger is restored"
    );
    let duplicate = installation
        .mongo
        .collection::<Document>("encrypted_profiles")
        .insert_one(doc! { "person_id": "person-00001" })
        .await;
    assert!(duplicate.is_err(), "the unique index is restored");

    installation.remove().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn restore_refuses_a_damaged_archive_and_leaves_both_databases_alone() {
    let installation = Installation::create().await;
    installation.seed_postgres(40).await;
    installation.seed_mongo(30).await;
    installation
        .upload("document.bin", &random_bytes(300 * 1024))
        .await;
    let archive = installation.backup();

    // Changes made after the backup: a restore would undo them, a refused one must not.
    installation
        .pg()
        .await
        .execute(
            "INSERT INTO crew_member (name, profile) VALUES ('after the backup', '{}')",
            &[],
        )
        .await
        .unwrap();
    installation
        .mongo
        .collection::<Document>("encrypted_profiles")
        .insert_one(doc! { "person_id": "after the backup" })
        .await
        .unwrap();
    let postgres_before = installation.postgres_fingerprint().await;
    let mongo_before = installation.mongo_fingerprint().await;
    let assert_untouched = |what: &str| {
        let what = what.to_string();
        let postgres_before = postgres_before.clone();
        let mongo_before = mongo_before.clone();
        let installation = &installation;
        async move {
            assert_eq!(
                installation.postgres_fingerprint().await,
                postgres_before,
                "{what}: PostgreSQL was changed"
            );
            assert_eq!(
                installation.mongo_fingerprint().await,
                mongo_before,
                "{what}: MongoDB was changed"
            );
        }
    };
    let archive_arg = archive.to_str().unwrap().to_string();

    // Without --yes and without a terminal to ask on, a restore does nothing.
    let output = installation.xtask(&["restore", &archive_arg]);
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("--yes"));
    assert_untouched("unconfirmed restore").await;

    // One byte flipped inside the PostgreSQL dump: the archive no longer matches its .sha256.
    let mut bytes = fs::read(&archive).unwrap();
    let dump_at = bytes
        .windows(5)
        .position(|w| w == b"PGDMP")
        .expect("the archive holds a custom-format dump");
    bytes[dump_at + 200] ^= 0x20;
    fs::write(&archive, &bytes).unwrap();
    let output = installation.xtask(&["restore", &archive_arg, "--yes"]);
    assert!(
        !output.status.success(),
        "a damaged archive must be refused"
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("does not match its checksum file"),
        "{stderr}"
    );
    assert_untouched("damaged archive").await;

    // The .sha256 rewritten to fit the damaged archive: the manifest still catches the member.
    let name = archive.file_name().unwrap().to_str().unwrap();
    fs::write(
        format!("{archive_arg}.sha256"),
        format!("{}  {name}\n", sha256(&bytes)),
    )
    .unwrap();
    let output = installation.xtask(&["restore", &archive_arg, "--yes"]);
    assert!(!output.status.success(), "a damaged member must be refused");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("postgres.dump") && stderr.contains("does not match the manifest"),
        "{stderr}"
    );
    assert_untouched("damaged member").await;

    installation.remove().await;
}

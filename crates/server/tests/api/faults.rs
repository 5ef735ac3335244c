//! Stores failing under a running server, through a [`ChaosProxy`] between the server and the real store:
//! cut (connections closed, new ones refused) and stall (connections open, nothing forwarded — a hung host).
//! For each of PostgreSQL, Redis and MongoDB: every request gets an answer, the right 503 (or, for MongoDB
//! reads, the `unavailable` degradation) comes within [`ANSWER_WITHIN`], readiness names the store, the
//! server recovers within [`RECOVER_WITHIN`] of the restore without a restart, and nothing is lost or half
//! written. The time limits are correctness bounds of SPEC §5 ("503 quickly"), not benchmarks; the server's
//! own deadlines (about 1.5 s for a stalled store) leave them a margin.

mod proxy;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crewplots_domain::Role;
use crewplots_storage_mongo::mongodb::bson::{doc, Document};
use crewplots_storage_mongo::MongoStore;
use crewplots_storage_postgres::PoolOptions;
use futures_util::TryStreamExt;
use reqwest::multipart::{Form, Part};
use serde_json::{json, Value};
use uuid::Uuid;

use self::proxy::{upstream_of, ChaosProxy};
use crate::support::{send_json, spawn_app_with, test_vars, Seeded, TestApp, PASSWORD};

/// A failing store must be answered for within this.
const ANSWER_WITHIN: Duration = Duration::from_secs(2);
/// After the store is back, requests must succeed again within this.
const RECOVER_WITHIN: Duration = Duration::from_secs(5);
/// A request that takes this long is hung: the test fails instead of waiting for it.
const HUNG: Duration = Duration::from_secs(15);

#[derive(Debug, Clone, Copy)]
enum Store {
    Postgres,
    Redis,
    MongoDb,
}

impl Store {
    fn variable(self) -> &'static str {
        match self {
            Self::Postgres => "DATABASE_URL",
            Self::Redis => "REDIS_URL",
            Self::MongoDb => "MONGODB_URL",
        }
    }

    /// Its name in `/health/ready`.
    fn check(self) -> &'static str {
        match self {
            Self::Postgres => "postgres",
            Self::Redis => "redis",
            Self::MongoDb => "mongodb",
        }
    }
}

#[derive(Debug, Clone, Copy)]
enum Fault {
    Cut,
    Stall,
}

impl Fault {
    fn apply(self, proxy: &ChaosProxy) {
        match self {
            Self::Cut => proxy.cut(),
            Self::Stall => proxy.stall(),
        }
    }
}

/// A ready server that reaches `store` through a proxy. The test's own handles (`app.pg`, `app.mongo`,
/// `app.vars`) go to the store directly, so checks and sweeps work while the proxy is cut.
async fn app_behind_proxy(store: Store) -> (TestApp, ChaosProxy) {
    let mut vars = test_vars().await;
    // Room for the concurrent requests next to the server's background work (the mail outbox).
    vars.insert("CREWPLOTS__DATABASE__POOL_SIZE".into(), "8".into());
    let direct = vars[store.variable()].clone();
    let proxy = ChaosProxy::start(upstream_of(&direct)).await;
    vars.insert(store.variable().into(), proxy.url_for(&direct));
    let mut app = spawn_app_with(vars).await;
    app.wait_until_ready(Duration::from_secs(20)).await;
    match store {
        Store::Postgres => {
            app.pg = crewplots_storage_postgres::build_pool(&direct, PoolOptions::default())
                .expect("direct pool");
            app.database_url = direct.clone();
        }
        Store::MongoDb => {
            app.mongo = MongoStore::connect(
                &direct,
                &app.vars["MONGODB_DB_NAME"],
                Duration::from_secs(5),
            )
            .await
            .expect("direct MongoDB client");
        }
        Store::Redis => {}
    }
    app.vars.insert(store.variable().into(), direct);
    (app, proxy)
}

/// Sends a request that must be answered (not hang); returns status, JSON body and how long it took.
async fn answered(request: reqwest::RequestBuilder) -> (u16, Value, Duration) {
    let started = Instant::now();
    let (status, body) = tokio::time::timeout(HUNG, send_json(request))
        .await
        .unwrap_or_else(|_| panic!("a request hung for {HUNG:?}"));
    (status.as_u16(), body, started.elapsed())
}

/// Asserts a quick 503 with `code`.
async fn quick_503(request: reqwest::RequestBuilder, code: &str, what: &str) -> Duration {
    let (status, body, took) = answered(request).await;
    assert_eq!(status, 503, "{what}: {body}");
    assert_eq!(body["error"]["code"], code, "{what}: {body}");
    assert!(took < ANSWER_WITHIN, "{what} took {took:?}");
    took
}

/// Asserts that readiness fails quickly and names `store` (and only it) as down.
async fn readiness_names(app: &TestApp, store: Store) -> Duration {
    let (status, body, took) = answered(app.client.get(app.url("/health/ready"))).await;
    assert_eq!(status, 503, "{body}");
    assert_eq!(body["checks"][store.check()]["status"], "down", "{body}");
    for other in ["postgres", "redis", "mongodb"] {
        if other != store.check() {
            assert_eq!(body["checks"][other]["status"], "ok", "{body}");
        }
    }
    assert!(took < ANSWER_WITHIN, "readiness took {took:?}");
    took
}

/// Repeats `check` until it holds; asserts that happens within [`RECOVER_WITHIN`] of now.
async fn recovers<F, Fut>(what: &str, mut check: F) -> Duration
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let started = Instant::now();
    loop {
        if check().await {
            return started.elapsed();
        }
        assert!(
            started.elapsed() < RECOVER_WITHIN,
            "{what} did not recover within {RECOVER_WITHIN:?}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn me_is_ok(app: &TestApp, client: &reqwest::Client) -> bool {
    let (status, _, _) = answered(client.get(app.url("/api/auth/me"))).await;
    status == 200
}

async fn ready(app: &TestApp) -> bool {
    let (status, _, _) = answered(app.client.get(app.url("/health/ready"))).await;
    status == 200
}

/// Several requests of the signed-in user at once, each answered with `code` quickly.
async fn every_request_is_answered(
    app: &TestApp,
    client: &reqwest::Client,
    code: &str,
) -> Duration {
    let requests = (0..4).map(|_| quick_503(client.get(app.url("/api/auth/me")), code, "me"));
    futures_util::future::join_all(requests)
        .await
        .into_iter()
        .max()
        .unwrap_or_default()
}

/// A store fault while signed in: quick 503s with `code`, readiness names the store, recovery without
/// restart. Prints what it measured.
async fn session_requests_survive(store: Store, code: &str) {
    let (app, proxy) = app_behind_proxy(store).await;
    let user = app.seed_user(Role::Manager, &[]).await;
    let client = app.login(&user.username, PASSWORD).await;
    for fault in [Fault::Stall, Fault::Cut] {
        fault.apply(&proxy);
        let answer = every_request_is_answered(&app, &client, code).await;
        let readiness = readiness_names(&app, store).await;
        proxy.restore();
        let recovery = recovers("the signed-in request", || me_is_ok(&app, &client)).await;
        let ready_again = recovers("readiness", || ready(&app)).await;
        eprintln!(
            "{store:?} {fault:?}: 503 after {answer:?}, readiness down after {readiness:?}, \
             recovered after {recovery:?} (ready after {ready_again:?})"
        );
    }
}

#[tokio::test]
async fn postgres_cut_or_stalled_gives_quick_503s_and_recovers_without_restart() {
    session_requests_survive(Store::Postgres, "service_unavailable").await;
}

#[tokio::test]
async fn redis_cut_or_stalled_gives_quick_503s_and_recovers_without_restart() {
    session_requests_survive(Store::Redis, "service_unavailable").await;
}

/// An application's status, the `to_status` of its newest history row, and how many status changes its
/// history and its audit log hold (the creation's history row is not a change).
async fn status_trail(app: &TestApp, application: Uuid) -> (String, Option<String>, i64, i64) {
    let client = app.pg.get().await.expect("direct connection");
    let row = client
        .query_one(
            "SELECT a.status,
                    (SELECT h.to_status FROM application_status_history h WHERE h.application_id = a.id
                     ORDER BY h.created_at DESC LIMIT 1) AS newest,
                    (SELECT count(*) FROM application_status_history h
                     WHERE h.application_id = a.id AND h.from_status IS NOT NULL),
                    (SELECT count(*) FROM audit_log l
                     WHERE l.action = 'application.status_changed' AND l.subject_id = a.id)
             FROM applications a WHERE a.id = $1",
            &[&application],
        )
        .await
        .expect("status trail");
    (row.get(0), row.get(1), row.get(2), row.get(3))
}

/// The next move of the status cycle new → contacted → rejected → new.
fn next_move(status: &str) -> Value {
    match status {
        "new" => json!({"to": "contacted", "notifyApplicant": true}),
        "contacted" => {
            json!({"to": "rejected", "reason": "Not this season.", "notifyApplicant": true})
        }
        _ => json!({"to": "new", "notifyApplicant": true}),
    }
}

/// Whether one of the app's connections to its database is inside a transaction, waiting for the client.
async fn app_mid_transaction(app: &TestApp) -> bool {
    let database = app.database_url.rsplit('/').next().unwrap_or_default();
    let client = app.pg.get().await.expect("direct connection");
    let row = client
        .query_one(
            "SELECT count(*) FROM pg_stat_activity
             WHERE datname = $1 AND application_name = 'crewplots' AND state = 'idle in transaction'",
            &[&database],
        )
        .await
        .expect("pg_stat_activity");
    row.get::<_, i64>(0) > 0
}

#[tokio::test]
async fn a_status_change_cut_mid_transaction_is_all_there_or_not_at_all() {
    let (app, proxy) = app_behind_proxy(Store::Postgres).await;
    let location = app.seed_location("Fault Street").await;
    let admin = app.seed_user(Role::Administrator, &[]).await;
    let applicant = app.seed_user(Role::Applicant, &[]).await;
    let application = app.seed_application(applicant.id, location.id).await;
    let client = app.login(&admin.username, PASSWORD).await;

    // Status changes one after another until the connection is caught inside a transaction: stall the
    // proxy, look (directly) whether the server holds an open transaction of the app, cut if it does.
    let changes = {
        let client = client.clone();
        let url = app.url(&format!("/api/applications/{application}/status"));
        let direct = app.pg.clone();
        tokio::spawn(async move {
            let mut outcomes = Vec::new();
            for _ in 0..400 {
                let status: String = direct
                    .get()
                    .await
                    .expect("direct connection")
                    .query_one(
                        "SELECT status FROM applications WHERE id = $1",
                        &[&application],
                    )
                    .await
                    .expect("status")
                    .get(0);
                let (code, body, _) = answered(client.post(&url).json(&next_move(&status))).await;
                outcomes.push(code);
                if code == 503 {
                    assert_eq!(body["error"]["code"], "service_unavailable", "{body}");
                    break;
                }
                assert_eq!(code, 200, "{body}");
            }
            outcomes
        })
    };
    // A few changes go through first.
    recovers("the first status changes", || async {
        status_trail(&app, application).await.2 >= 3
    })
    .await;
    let mut caught = false;
    let started = Instant::now();
    while !caught && started.elapsed() < Duration::from_secs(15) && !changes.is_finished() {
        proxy.stall();
        tokio::time::sleep(Duration::from_millis(20)).await;
        if app_mid_transaction(&app).await {
            proxy.cut();
            caught = true;
        } else {
            proxy.restore();
            tokio::time::sleep(Duration::from_millis(15)).await;
        }
    }
    let outcomes = tokio::time::timeout(HUNG, changes)
        .await
        .expect("the status changes finish")
        .expect("the status changes ran");
    assert!(caught, "no status change was caught inside its transaction");
    assert_eq!(outcomes.last(), Some(&503), "the cut change was refused");
    proxy.restore();

    // Each change that committed left its status, history row and audit line; the cut one left none.
    let (status, newest, history, audits) = status_trail(&app, application).await;
    let committed = i64::try_from(outcomes.iter().filter(|c| **c == 200).count()).unwrap();
    assert_eq!(
        newest.as_deref().unwrap_or("new"),
        status,
        "status and history agree"
    );
    assert_eq!(history, audits, "one audit line per history row");
    // The cut change is either wholly there (its commit reached the server before the cut, only the
    // answer was lost) or not at all; never a status without its history row and audit line.
    assert!(
        history == committed || history == committed + 1,
        "{history} history rows for {committed} acknowledged changes"
    );
    recovers("status changes", || async {
        let (status, _, _, _) = status_trail(&app, application).await;
        let (code, _, _) = answered(
            client
                .post(app.url(&format!("/api/applications/{application}/status")))
                .json(&next_move(&status)),
        )
        .await;
        code == 200
    })
    .await;
    eprintln!("status changes before the cut: {committed}");
}

/// A small but real-looking PDF of `size` bytes with a pattern that tells its offsets apart.
fn pdf(size: usize) -> Vec<u8> {
    let mut bytes = b"%PDF-1.7\n".to_vec();
    let mut i = 0u32;
    while bytes.len() < size {
        bytes.extend_from_slice(&i.to_le_bytes());
        i += 1;
    }
    bytes.truncate(size);
    bytes
}

fn upload_request(
    app: &TestApp,
    client: &reqwest::Client,
    owner: Uuid,
    part: Part,
) -> reqwest::RequestBuilder {
    client
        .post(app.url(&format!("/api/people/{owner}/documents?kind=resume")))
        .multipart(Form::new().part("file", part))
}

fn pdf_part(content: Vec<u8>) -> Part {
    Part::bytes(content)
        .file_name("cv.pdf")
        .mime_str("application/pdf")
        .expect("mime")
}

/// An applicant with a profile and one uploaded document (id and content).
async fn owner_with_document(app: &TestApp) -> (Seeded, reqwest::Client, Uuid, Vec<u8>) {
    let owner = app.seed_user(Role::Applicant, &[]).await;
    let client = app.login(&owner.username, PASSWORD).await;
    let (status, body, _) = answered(
        client
            .put(app.url(&format!("/api/people/{}/profile", owner.id)))
            .json(&json!({"phone": "+31 6 1234 5678"})),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let content = pdf(600_000);
    let (status, body, _) = answered(upload_request(
        app,
        &client,
        owner.id,
        pdf_part(content.clone()),
    ))
    .await;
    assert_eq!(status, 201, "{body}");
    let id = body["id"]
        .as_str()
        .expect("document id")
        .parse()
        .expect("uuid");
    (owner, client, id, content)
}

/// The document's content, if it downloads.
async fn download(app: &TestApp, client: &reqwest::Client, document: Uuid) -> Option<Vec<u8>> {
    let response = tokio::time::timeout(
        HUNG,
        client
            .get(app.url(&format!("/api/documents/{document}/content")))
            .send(),
    )
    .await
    .expect("the download hung")
    .ok()?;
    if response.status() != 200 {
        return None;
    }
    tokio::time::timeout(HUNG, response.bytes())
        .await
        .expect("the download body hung")
        .ok()
        .map(|b| b.to_vec())
}

#[tokio::test]
async fn mongodb_cut_or_stalled_degrades_reads_refuses_writes_and_recovers() {
    let (app, proxy) = app_behind_proxy(Store::MongoDb).await;
    let (owner, client, document, content) = owner_with_document(&app).await;
    let profile = app.url(&format!("/api/people/{}/profile", owner.id));
    for fault in [Fault::Stall, Fault::Cut] {
        fault.apply(&proxy);
        let (status, body, read) = answered(client.get(&profile)).await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(body["sensitiveStatus"], "unavailable", "{body}");
        assert!(body["sensitive"].is_null(), "{body}");
        assert!(read < ANSWER_WITHIN, "the degraded profile took {read:?}");
        let write = quick_503(
            upload_request(&app, &client, owner.id, pdf_part(pdf(20_000))),
            "store_unavailable",
            "upload",
        )
        .await;
        let readiness = readiness_names(&app, Store::MongoDb).await;
        proxy.restore();
        let recovery = recovers("the profile", || async {
            let (status, body, _) = answered(client.get(&profile)).await;
            status == 200 && body["sensitiveStatus"] == "ok"
        })
        .await;
        let downloaded = download(&app, &client, document).await;
        assert!(
            downloaded.as_deref() == Some(content.as_slice()),
            "the document uploaded before the fault comes back byte for byte"
        );
        eprintln!(
            "MongoDb {fault:?}: degraded read after {read:?}, upload 503 after {write:?}, readiness \
             down after {readiness:?}, recovered after {recovery:?}"
        );
    }
    let rows = app
        .pg
        .get()
        .await
        .expect("connection")
        .query_one("SELECT count(*) FROM documents", &[])
        .await
        .expect("count documents")
        .get::<_, i64>(0);
    assert_eq!(rows, 1, "the refused uploads left no rows");
}

async fn documents_in(app: &TestApp, collection: &str) -> Vec<Document> {
    app.mongo
        .database()
        .collection::<Document>(&format!("sensitive_documents.{collection}"))
        .find(doc! {})
        .await
        .expect("find")
        .try_collect()
        .await
        .expect("collect")
}

#[tokio::test]
async fn an_upload_cut_half_way_leaves_no_row_and_no_chunks_after_the_sweep() {
    let (app, proxy) = app_behind_proxy(Store::MongoDb).await;
    let (owner, client, document, content) = owner_with_document(&app).await;
    let chunks_before = documents_in(&app, "chunks").await.len();

    // 6 MB sent in 64 KiB slices; MongoDB is cut once 2 MB are through.
    const SIZE: usize = 6 * 1024 * 1024;
    const SLICE: usize = 64 * 1024;
    let sent = Arc::new(AtomicUsize::new(0));
    let body = {
        let sent = sent.clone();
        let bytes = pdf(SIZE);
        futures_util::stream::unfold(0usize, move |offset| {
            let sent = sent.clone();
            let slice = bytes
                .get(offset..SIZE.min(offset + SLICE))
                .map(<[u8]>::to_vec);
            async move {
                let slice = slice.filter(|s| !s.is_empty())?;
                tokio::time::sleep(Duration::from_millis(5)).await;
                sent.fetch_add(slice.len(), Ordering::SeqCst);
                Some((Ok::<_, std::io::Error>(slice), offset + SLICE))
            }
        })
    };
    let part = Part::stream_with_length(reqwest::Body::wrap_stream(body), SIZE as u64)
        .file_name("big.pdf")
        .mime_str("application/pdf")
        .expect("mime");
    let upload = tokio::spawn(upload_request(&app, &client, owner.id, part).send());
    while sent.load(Ordering::SeqCst) < 2 * 1024 * 1024 {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let chunks_at_cut = documents_in(&app, "chunks").await.len();
    proxy.cut();
    let cut_at = Instant::now();
    let answer = tokio::time::timeout(HUNG, upload)
        .await
        .expect("the upload hung")
        .expect("the upload task");
    // The server may answer before it has read the rest of the body; either way it is a refusal.
    if let Ok(response) = answer {
        assert_eq!(response.status(), 503);
        let body: Value = response.json().await.unwrap_or(Value::Null);
        assert_eq!(body["error"]["code"], "store_unavailable", "{body}");
    }
    let refused = cut_at.elapsed();
    proxy.restore();

    let rows = app
        .pg
        .get()
        .await
        .expect("connection")
        .query_one("SELECT count(*) FROM documents", &[])
        .await
        .expect("count documents")
        .get::<_, i64>(0);
    assert_eq!(rows, 1, "no metadata row for the cut upload");
    let left = documents_in(&app, "chunks")
        .await
        .len()
        .saturating_sub(chunks_before);

    let settings =
        crewplots_server::settings::Settings::load_from(&app.vars, None).expect("settings");
    crewplots_server::startup::sweep_once(&settings, Duration::ZERO)
        .await
        .expect("sweep");
    let files = documents_in(&app, "files").await;
    assert_eq!(files.len(), 1, "only the document uploaded before the cut");
    let file_id = files[0].get("_id").cloned().expect("file id");
    let chunks = documents_in(&app, "chunks").await;
    assert!(
        chunks.iter().all(|c| c.get("files_id") == Some(&file_id)),
        "no chunks of the cut upload remain"
    );
    assert_eq!(chunks.len(), chunks_before);
    assert!(
        download(&app, &client, document).await.as_deref() == Some(content.as_slice()),
        "the earlier document still decrypts byte for byte"
    );
    eprintln!(
        "upload cut half-way: {} chunks stored at the cut, {left} left behind, refused {refused:?} after \
         the cut, swept",
        chunks_at_cut.saturating_sub(chunks_before)
    );
}

#[tokio::test]
async fn a_download_stalled_half_way_ends_instead_of_hanging() {
    let (app, proxy) = app_behind_proxy(Store::MongoDb).await;
    let owner = app.seed_user(Role::Applicant, &[]).await;
    let client = app.login(&owner.username, PASSWORD).await;
    let content = pdf(4 * 1024 * 1024);
    let (status, body, _) = answered(upload_request(
        &app,
        &client,
        owner.id,
        pdf_part(content.clone()),
    ))
    .await;
    assert_eq!(status, 201, "{body}");
    let document = body["id"].as_str().expect("document id");

    let mut response = client
        .get(app.url(&format!("/api/documents/{document}/content")))
        .send()
        .await
        .expect("download starts");
    assert_eq!(response.status(), 200);
    let first = response
        .chunk()
        .await
        .expect("a first piece")
        .expect("not empty");
    proxy.stall();
    let stalled = Instant::now();
    // The rest: whatever was already on its way, then an error (or an early end), never a hang.
    let mut received = first.len();
    let outcome = tokio::time::timeout(HUNG, async {
        loop {
            match response.chunk().await {
                Ok(Some(piece)) => received += piece.len(),
                Ok(None) => return Ok(()),
                Err(error) => return Err(error),
            }
        }
    })
    .await
    .expect("the stalled download hung");
    let ended = stalled.elapsed();
    proxy.restore();
    assert!(
        outcome.is_err() || received < content.len(),
        "a download cut short by the store must not look complete"
    );
    assert!(
        ended < ANSWER_WITHIN + ANSWER_WITHIN,
        "the download ended {ended:?} after the stall"
    );
    assert!(
        download(&app, &client, document.parse().expect("uuid"))
            .await
            .as_deref()
            == Some(content.as_slice()),
        "after the restore the document downloads whole"
    );
    eprintln!(
        "download stalled after {} of {} bytes: ended {ended:?} later with {} bytes",
        first.len(),
        content.len(),
        received
    );
}

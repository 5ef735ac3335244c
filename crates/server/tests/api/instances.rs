//! Two real `crewplots-server` processes against one PostgreSQL database, one MongoDB database and one Redis
//! key prefix (the scale-out rule of ARCHITECTURE.md): sessions and revocations are shared, every outbox mail
//! goes out exactly once, an empty database is migrated exactly once when both start together, and the
//! orphan sweep and the retention job run on one instance (or command) at a time.

use std::collections::HashMap;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crewplots_domain::ports::{DocumentVault, ProfileVault, VaultError};
use crewplots_domain::Role;
use crewplots_storage_mongo::{GridFsDocumentVault, MongoBodyVault, MongoProfileVault};
use crewplots_storage_postgres::{AdvisoryLock, PgStore};
use serde_json::json;
use uuid::Uuid;

use crate::support::{
    attach_app, empty_database, free_port, small_pdf, test_vars, SmtpServer, TestApp, PASSWORD,
};

/// A `crewplots-server` process (the built binary), its output in a log file; killed on drop.
struct Instance {
    name: &'static str,
    child: Child,
    port: u16,
    log: PathBuf,
}

impl Instance {
    /// Starts `crewplots-server serve` with exactly `vars` (and a port of its own) as its environment.
    fn start(name: &'static str, vars: &HashMap<String, String>) -> Self {
        let port = free_port();
        let mut command = server_command(name, vars, &["serve"]);
        command.env("PORT", port.to_string());
        let log = log_path(vars, name);
        let child = command.spawn().expect("start crewplots-server");
        Self {
            name,
            child,
            port,
            log,
        }
    }

    fn address(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// Lines of the log (JSON, one event a line) whose message is `message`.
    fn logged(&self, message: &str) -> usize {
        let needle = format!("\"message\":\"{message}\"");
        self.log().lines().filter(|l| l.contains(&needle)).count()
    }

    async fn wait_until_ready(&mut self, limit: Duration) {
        let client = reqwest::Client::new();
        let deadline = Instant::now() + limit;
        loop {
            if let Ok(response) = client
                .get(format!("{}/health/ready", self.address()))
                .send()
                .await
            {
                if response.status() == 200 {
                    return;
                }
            }
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!("instance {} exited ({status}):\n{}", self.name, self.log());
            }
            assert!(
                Instant::now() < deadline,
                "instance {} not ready within {limit:?}:\n{}",
                self.name,
                self.log()
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

impl Drop for Instance {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn log_path(vars: &HashMap<String, String>, name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("instances-{}-{name}.log", vars["MONGODB_DB_NAME"]))
}

/// The binary with `args`, the environment cleared and set to `vars`, output to the log file of `name`.
fn server_command(name: &str, vars: &HashMap<String, String>, args: &[&str]) -> Command {
    let log = std::fs::File::create(log_path(vars, name)).expect("create the log file");
    let mut command = Command::new(env!("CARGO_BIN_EXE_crewplots-server"));
    command
        .args(args)
        .env_clear()
        .envs(vars)
        .env("RUST_LOG", "info,actix_server=warn")
        .stdin(Stdio::null())
        .stdout(log.try_clone().expect("log file handle"))
        .stderr(log);
    command
}

/// The migrations embedded in the binary: the `V<n>__<name>.sql` files of the top-level folder.
fn migration_count() -> usize {
    std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../../migrations"))
        .expect("read migrations/")
        .filter_map(Result::ok)
        .filter(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            name.starts_with('V') && name.contains("__") && name.ends_with(".sql")
        })
        .count()
}

/// Takes the advisory lock `key`, waiting while an instance holds it (their start-up runs are short).
async fn hold(store: &PgStore, key: i64) -> AdvisoryLock {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        if let Some(lock) = store.try_advisory_lock(key).await.unwrap() {
            return lock;
        }
        assert!(Instant::now() < deadline, "lock {key:x} never free");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn status(client: &reqwest::Client, app: &TestApp, path: &str) -> u16 {
    client
        .get(app.url(path))
        .send()
        .await
        .expect("send request")
        .status()
        .as_u16()
}

#[tokio::test]
async fn two_instances_share_sessions_send_each_mail_once_migrate_once_and_sweep_one_at_a_time() {
    let started = Instant::now();
    let mut smtp = SmtpServer::start();
    let mut vars = test_vars().await;
    vars.insert("DATABASE_URL".into(), empty_database().await);
    vars.insert("SMTP_URL".into(), format!("smtp://127.0.0.1:{}", smtp.port));
    vars.insert("MAIL_FROM".into(), "Crew Plots <crew@example.test>".into());
    vars.insert("CREWPLOTS__MAIL__POLL_INTERVAL_MS".into(), "100".into());

    // ---- both start at once against an empty database: one migrates, the other waits, both get ready.
    let mut first = Instance::start("a", &vars);
    let mut second = Instance::start("b", &vars);
    first.wait_until_ready(Duration::from_secs(20)).await;
    second.wait_until_ready(Duration::from_secs(20)).await;
    let a = attach_app(vars.clone(), first.address()).await;
    let b = attach_app(vars.clone(), second.address()).await;
    let migrations = migration_count();
    let history: Vec<(i32, i64)> = a
        .pg
        .get()
        .await
        .unwrap()
        .query(
            "SELECT version, count(*) FROM refinery_schema_history GROUP BY version ORDER BY version",
            &[],
        )
        .await
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect();
    assert_eq!(history.len(), migrations, "{history:?}");
    assert!(history.iter().all(|(_, n)| *n == 1), "{history:?}");
    assert_eq!(
        first.logged("migration applied") + second.logged("migration applied"),
        migrations,
        "every migration applied by exactly one instance\n--- a:\n{}\n--- b:\n{}",
        first.log(),
        second.log()
    );
    for instance in [&first, &second] {
        assert_eq!(
            instance.logged("applying migrations failed; retrying"),
            0,
            "{}",
            instance.log()
        );
    }

    // ---- a session made on one instance works on the other.
    let admin = a.seed_user(Role::Administrator, &[]).await;
    let crew = a.seed_user(Role::CrewMember, &[]).await;
    let made_on_a = a.login(&crew.username, PASSWORD).await;
    let me = made_on_a.get(b.url("/api/auth/me")).send().await.unwrap();
    assert_eq!(me.status(), 200);
    assert!(me.text().await.unwrap().contains(&crew.username));
    let made_on_b = b.login(&crew.username, PASSWORD).await;
    assert_eq!(status(&made_on_b, &a, "/api/auth/me").await, 200);

    // ---- revocation on one instance is seen by the other at the next request.
    // A password change on A ends the crew member's other session, which B then refuses.
    let new_password = "another correct horse battery staple";
    let changed = made_on_a
        .post(a.url("/api/auth/password"))
        .json(&json!({"currentPassword": PASSWORD, "newPassword": new_password}))
        .send()
        .await
        .unwrap();
    assert_eq!(changed.status(), 204);
    assert_eq!(status(&made_on_b, &b, "/api/auth/me").await, 401);
    assert_eq!(status(&made_on_a, &b, "/api/auth/me").await, 200);
    // An administrator on B ends every session of the account; A refuses the one that was left.
    let admin_on_b = b.login(&admin.username, PASSWORD).await;
    let revoked = admin_on_b
        .post(b.url(&format!("/api/admin/users/{}/revoke-sessions", crew.id)))
        .send()
        .await
        .unwrap();
    assert_eq!(revoked.status(), 204);
    assert_eq!(status(&made_on_a, &a, "/api/auth/me").await, 401);
    // Logging out on B ends the session on A too.
    let again = a.login(&crew.username, new_password).await;
    assert_eq!(status(&again, &b, "/api/auth/me").await, 200);
    let logout = again.post(b.url("/api/auth/logout")).send().await.unwrap();
    assert_eq!(logout.status(), 204);
    assert_eq!(status(&again, &a, "/api/auth/me").await, 401);

    // ---- both instances poll the one outbox: each mail reaches the SMTP server exactly once.
    let mut recipients = Vec::new();
    for i in 0..8 {
        let person = a.seed_user(Role::CrewMember, &[]).await;
        let email = format!("{}@example.test", person.username);
        let via = if i % 2 == 0 { &a } else { &b };
        let response = via
            .post_json(
                &via.client,
                "/api/auth/password-reset",
                &json!({"email": email}),
            )
            .await;
        assert_eq!(response.status(), 202);
        recipients.push(email);
    }
    // And a burst that both senders find due at the same moment (each claims up to 20 a round).
    let burst: Vec<String> = (0..40)
        .map(|i| format!("burst-{i}-{}@example.test", Uuid::new_v4().simple()))
        .collect();
    a.pg.get()
        .await
        .unwrap()
        .execute(
            "INSERT INTO email_outbox (id, to_address, subject, body_text, body_redacted)
             SELECT gen_random_uuid(), address, 'Burst', 'Hello', 'Hello' FROM unnest($1::TEXT[]) AS address",
            &[&burst],
        )
        .await
        .unwrap();
    recipients.extend(burst);
    let deadline = Instant::now() + Duration::from_secs(15);
    let outbox: i64 = loop {
        let row =
            a.pg.get()
                .await
                .unwrap()
                .query_one(
                    "SELECT count(*), count(*) FILTER (WHERE status <> 'sent') FROM email_outbox",
                    &[],
                )
                .await
                .unwrap();
        let (total, unsent): (i64, i64) = (row.get(0), row.get(1));
        if unsent == 0 && total >= 48 {
            break total;
        }
        assert!(
            Instant::now() < deadline,
            "{unsent} of {total} mails not sent"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    let outbox = usize::try_from(outbox).unwrap();
    let mut delivered = smtp.messages(outbox, Duration::from_secs(10));
    // A second sender of the same row would deliver at about the same time: give it a few polling rounds.
    delivered.extend(smtp.messages(1, Duration::from_millis(500)));
    assert_eq!(delivered.len(), outbox, "one delivery per outbox row");
    for email in &recipients {
        let to_them = delivered
            .iter()
            .filter(|m| m.lines().any(|l| l == format!("To: {email}")))
            .count();
        assert_eq!(to_them, 1, "deliveries to {email}");
    }

    eprintln!(
        "mails sent by a: {}, by b: {}",
        first.logged("mail sent"),
        second.logged("mail sent")
    );

    // ---- the orphan sweep: one at a time across instances and commands.
    // Each instance swept once after its start, or skipped because the other was sweeping at that moment
    // (it does not wait: its mailer and retention job start after the sweep); at least one swept.
    for instance in [&first, &second] {
        let (done, skipped) = (
            instance.logged("orphan sweep done"),
            instance.logged("orphan sweep skipped"),
        );
        assert_eq!(done + skipped, 1, "{}", instance.log());
    }
    assert!(
        first.logged("orphan sweep done") + second.logged("orphan sweep done") >= 1,
        "{}\n{}",
        first.log(),
        second.log()
    );
    let settings = crewplots_server::settings::Settings::load_from(&vars, None).unwrap();
    let vault = GridFsDocumentVault::new(a.mongo.clone(), settings.keyring.clone());
    let profiles = MongoProfileVault::new(a.mongo.clone(), settings.keyring.clone());
    let bodies = MongoBodyVault::new(a.mongo.clone(), settings.keyring.clone());
    let orphan_id = Uuid::new_v4();
    let orphan = vault
        .store(
            orphan_id,
            crew.id,
            "orphan.pdf",
            Box::pin(futures_util::stream::once(async { Ok(small_pdf().into()) })),
        )
        .await
        .unwrap();
    let orphan_profile = Uuid::new_v4();
    profiles
        .save(orphan_profile, &Default::default())
        .await
        .unwrap();
    // This test holds the sweep's lock, as a sweeping instance would.
    let store = PgStore::new(a.pg.clone());
    let lock = hold(&store, crewplots_server::gc::LOCK_KEY).await;
    let skipped = crewplots_server::gc::sweep_unless_running(
        &store,
        &vault,
        &profiles,
        &bodies,
        Duration::ZERO,
    )
    .await
    .unwrap();
    assert!(skipped.skipped_locked, "{skipped:?}");
    // `crewplots-server gc` waits for the sweep that runs elsewhere, then sweeps.
    let mut gc = server_command("gc", &vars, &["gc", "--grace-minutes", "0"])
        .spawn()
        .expect("start crewplots-server gc");
    tokio::time::sleep(Duration::from_millis(700)).await;
    assert!(
        gc.try_wait().unwrap().is_none(),
        "gc did not wait for the lock: {}",
        std::fs::read_to_string(log_path(&vars, "gc")).unwrap_or_default()
    );
    assert!(vault
        .open(orphan_id, crew.id, &orphan.gridfs_id)
        .await
        .is_ok());
    assert!(profiles.load(orphan_profile).await.unwrap().is_some());
    drop(lock);
    let deadline = Instant::now() + Duration::from_secs(15);
    let exit = loop {
        if let Some(exit) = gc.try_wait().unwrap() {
            break exit;
        }
        assert!(Instant::now() < deadline, "gc did not finish");
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    let printed = std::fs::read_to_string(log_path(&vars, "gc")).unwrap();
    assert!(exit.success(), "{printed}");
    assert!(
        printed.contains("documents: 1 checked, 1 orphans removed")
            && printed.contains("1 orphans removed; letters"),
        "{printed}"
    );
    assert!(matches!(
        vault.open(orphan_id, crew.id, &orphan.gridfs_id).await,
        Err(VaultError::NotFound)
    ));
    assert!(profiles.load(orphan_profile).await.unwrap().is_none());

    // ---- the retention job: a run while another holds its lock does nothing.
    let retention_lock = hold(&store, crewplots_server::retention::LOCK_KEY).await;
    let output = server_command("retention", &vars, &["retention"])
        .status()
        .expect("run crewplots-server retention");
    let printed = std::fs::read_to_string(log_path(&vars, "retention")).unwrap();
    assert!(output.success(), "{printed}");
    assert!(
        printed.contains("another instance is running retention; nothing done"),
        "{printed}"
    );
    drop(retention_lock);

    // Passed: the logs are not needed (a failed run keeps them in the target's tmp folder).
    drop((first, second));
    for name in ["a", "b", "gc", "retention"] {
        let _ = std::fs::remove_file(log_path(&vars, name));
    }
    eprintln!("two instances: {:?}", started.elapsed());
}

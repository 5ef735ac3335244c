//! The test harness: `spawn_app()` gives each test its own PostgreSQL database (cloned from a migrated
//! template), its own MongoDB database, its own Redis key prefix and an in-process server on a random port,
//! with a cookie-keeping HTTP client.

#![allow(dead_code)] // not every test module uses every helper

use std::collections::HashMap;
use std::net::TcpListener;
use std::time::{Duration, Instant};

use base64::Engine as _;
use crewplots_server::settings::Settings;
use crewplots_server::startup::Application;
use crewplots_session::KeyValue;
use crewplots_storage_mongo::MongoStore;
use crewplots_storage_postgres::{Pool, PoolOptions};
use tokio::sync::OnceCell;
use uuid::Uuid;

/// Where the stack of `cargo xtask test` (or `cargo xtask services up --test`) listens.
pub struct TestStack {
    pub postgres_admin_url: String,
    pub mongodb_url: String,
    pub redis_url: String,
}

pub fn stack() -> TestStack {
    let get = |name: &str| {
        std::env::var(name).unwrap_or_else(|_| {
            panic!(
                "{name} is not set. Run the tests with `cargo xtask test`, or start the test stack with \
                 `cargo xtask services up --test` and `eval \"$(cargo xtask services env --test)\"`."
            )
        })
    };
    TestStack {
        postgres_admin_url: get("CREWPLOTS_TEST_DATABASE_URL"),
        mongodb_url: get("CREWPLOTS_TEST_MONGODB_URL"),
        redis_url: get("CREWPLOTS_TEST_REDIS_URL"),
    }
}

/// The URL of another database on the same server as `admin_url`.
pub fn database_url(admin_url: &str, database: &str) -> String {
    let (base, _) = admin_url
        .rsplit_once('/')
        .expect("the admin URL ends with a database name");
    format!("{base}/{database}")
}

async fn admin_client() -> tokio_postgres::Client {
    let (client, connection) =
        tokio_postgres::connect(&stack().postgres_admin_url, tokio_postgres::NoTls)
            .await
            .expect("connect to the test PostgreSQL");
    tokio::spawn(connection);
    client
}

/// Today in the test venues' time zone (they are all in Amsterdam): the server judges dates there, so a
/// test that used the UTC date failed between midnight in Amsterdam and midnight UTC.
pub fn venue_today() -> chrono::NaiveDate {
    use crewplots_domain::scheduling::time::{local, zone};
    local(zone("Europe/Amsterdam"), chrono::Utc::now()).date()
}

/// A short unique name usable as a database name and key prefix.
pub fn unique_name(prefix: &str) -> String {
    format!("{prefix}_{}", Uuid::new_v4().simple())
}

static TEMPLATE: OnceCell<String> = OnceCell::const_new();

/// The name of a database with every migration applied, made once per migration set. Several test
/// processes may race here; an advisory lock serialises them and the template is published by renaming,
/// so nobody clones a half-migrated one.
async fn template_database() -> &'static str {
    TEMPLATE
        .get_or_init(|| async {
            let name = format!(
                "crewplots_tpl_{}",
                crewplots_storage_postgres::migration_fingerprint()
            );
            let admin = admin_client().await;
            admin
                .execute("SELECT pg_advisory_lock(4242)", &[])
                .await
                .expect("template lock");
            let exists = admin
                .query_opt("SELECT 1 FROM pg_database WHERE datname = $1", &[&name])
                .await
                .expect("look up template")
                .is_some();
            if !exists {
                let building = unique_name("tpl_building");
                admin
                    .batch_execute(&format!("CREATE DATABASE {building}"))
                    .await
                    .expect("create template");
                crewplots_storage_postgres::migrate(&database_url(
                    &stack().postgres_admin_url,
                    &building,
                ))
                .await
                .expect("migrate template");
                admin
                    .batch_execute(&format!("ALTER DATABASE {building} RENAME TO {name}"))
                    .await
                    .expect("publish template");
            }
            admin
                .execute("SELECT pg_advisory_unlock(4242)", &[])
                .await
                .expect("template unlock");
            name
        })
        .await
}

/// A new, migrated database of its own; returns its URL.
pub async fn fresh_database() -> String {
    let template = template_database().await;
    let name = unique_name("test");
    admin_client()
        .await
        .batch_execute(&format!("CREATE DATABASE {name} TEMPLATE {template}"))
        .await
        .expect("clone the template database");
    database_url(&stack().postgres_admin_url, &name)
}

/// A new, empty database (no migrations); returns its URL.
pub async fn empty_database() -> String {
    let name = unique_name("empty");
    admin_client()
        .await
        .batch_execute(&format!("CREATE DATABASE {name}"))
        .await
        .expect("create an empty database");
    database_url(&stack().postgres_admin_url, &name)
}

/// A port nothing listens on right now.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("bind an ephemeral port")
        .port()
}

fn random_base64(bytes: usize) -> String {
    let mut buffer = Vec::with_capacity(bytes);
    while buffer.len() < bytes {
        buffer.extend_from_slice(Uuid::new_v4().as_bytes());
    }
    buffer.truncate(bytes);
    base64::engine::general_purpose::STANDARD.encode(buffer)
}

/// A running server and direct handles on its stores.
pub struct TestApp {
    pub address: String,
    pub client: reqwest::Client,
    pub database_url: String,
    pub pg: Pool,
    pub mongo: MongoStore,
    pub redis: KeyValue,
    pub vars: HashMap<String, String>,
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(self.url(path))
            .send()
            .await
            .expect("send request")
    }
}

/// Sends a request and returns its status with the body as JSON (`Null` when the body is not JSON).
pub async fn send_json(
    request: reqwest::RequestBuilder,
) -> (reqwest::StatusCode, serde_json::Value) {
    let response = request.send().await.expect("send request");
    let status = response.status();
    let text = response.text().await.expect("read the response body");
    (
        status,
        serde_json::from_str(&text).unwrap_or(serde_json::Value::Null),
    )
}

/// The variables a test server starts with; tests adjust them before starting it.
pub async fn test_vars() -> HashMap<String, String> {
    let stack = stack();
    let database_url = fresh_database().await;
    let name = unique_name("t");
    [
        ("APP_ENV", "development".to_string()),
        ("HOST", "127.0.0.1".to_string()),
        ("PORT", "0".to_string()),
        ("PUBLIC_URL", "http://127.0.0.1".to_string()),
        ("DATABASE_URL", database_url),
        ("MONGODB_URL", stack.mongodb_url),
        ("MONGODB_DB_NAME", name.clone()),
        ("REDIS_URL", stack.redis_url),
        ("CREWPLOTS__REDIS__KEY_PREFIX", format!("{name}:")),
        ("SESSION_SECRET", random_base64(64)),
        ("ENCRYPTION_KEY", random_base64(32)),
        ("CREWPLOTS__PASSWORD__BCRYPT_COST", "4".to_string()),
        ("CREWPLOTS__APP__WORKERS", "1".to_string()),
        ("CREWPLOTS__DATABASE__POOL_SIZE", "4".to_string()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect()
}

/// Starts a server with default test settings and waits until it is ready.
pub async fn spawn_app() -> TestApp {
    let app = spawn_app_with(test_vars().await).await;
    app.wait_until_ready(Duration::from_secs(20)).await;
    app
}

/// Starts a server with the given variables, without waiting for its dependencies.
pub async fn spawn_app_with(vars: HashMap<String, String>) -> TestApp {
    let settings = Settings::load_from(&vars, None).expect("test settings are valid");
    let application = Application::build(settings)
        .await
        .expect("build the application");
    let address = format!("http://127.0.0.1:{}", application.port());
    tokio::spawn(application.run_until_stopped());
    let mut app = attach_app(vars, address).await;
    // Unlike `browser()`, no CSRF header by default: the tests of the CSRF check send their own.
    app.client = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("HTTP client");
    app
}

impl TestApp {
    /// Polls `/health/ready` until it answers 200.
    pub async fn wait_until_ready(&self, limit: Duration) {
        let deadline = Instant::now() + limit;
        loop {
            if let Ok(response) = self.client.get(self.url("/health/ready")).send().await {
                if response.status() == 200 {
                    return;
                }
            }
            assert!(
                Instant::now() < deadline,
                "the server did not become ready within {limit:?}"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

// ---- accounts ---------------------------------------------------------------------------------------

use crewplots_domain::accounts::{AuditEvent, Location, NewUser};
use crewplots_domain::ports::{AccountStore, LocationStore};
use crewplots_domain::{Role, UserStatus};
use crewplots_storage_postgres::PgStore;

/// The password every seeded account gets.
pub const PASSWORD: &str = "correct horse battery staple";

/// A client that behaves like the front end: keeps cookies and sends the CSRF header.
pub fn browser() -> reqwest::Client {
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert(
        "x-crewplots-csrf",
        reqwest::header::HeaderValue::from_static("1"),
    );
    reqwest::Client::builder()
        .cookie_store(true)
        .default_headers(headers)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("HTTP client")
}

/// A seeded account.
#[derive(Debug, Clone)]
pub struct Seeded {
    pub id: Uuid,
    pub username: String,
}

impl TestApp {
    pub fn store(&self) -> PgStore {
        PgStore::new(self.pg.clone())
    }

    /// Creates a location directly in the store.
    pub async fn seed_location(&self, name: &str) -> Location {
        let id = Uuid::new_v4();
        let code: String = Uuid::new_v4().simple().to_string()[..8].to_uppercase();
        self.store()
            .create(
                Location {
                    id,
                    name: name.to_string(),
                    timezone: "Europe/Amsterdam".into(),
                    active: true,
                    application_code: code,
                    address: None,
                    contact_email: None,
                    contact_phone: None,
                },
                AuditEvent::new("location.created"),
            )
            .await
            .expect("seed a location")
    }

    /// Creates an application (source `web`, status `new`) directly in the store.
    pub async fn seed_application(&self, applicant: Uuid, location: Uuid) -> Uuid {
        use crewplots_domain::hiring::{ApplicationSource, NewApplication};
        use crewplots_domain::ports::HiringStore;
        let id = Uuid::new_v4();
        HiringStore::create_application(
            &self.store(),
            NewApplication {
                id,
                applicant_id: applicant,
                location_id: location,
                position: "Bartender".into(),
                source: ApplicationSource::Web,
                availability: None,
                created_by: applicant,
            },
            None,
            AuditEvent::new("application.created"),
        )
        .await
        .expect("seed an application");
        id
    }

    /// Creates an active account with [`PASSWORD`] directly in the store.
    pub async fn seed_user(&self, role: Role, locations: &[Uuid]) -> Seeded {
        let id = Uuid::new_v4();
        let username = format!("u{}", &id.simple().to_string()[..12]);
        let hash = crewplots_crypto::password::hash(PASSWORD, 4).expect("hash");
        self.store()
            .create_user(
                NewUser {
                    id,
                    username: username.clone(),
                    email: format!("{username}@example.test"),
                    first_name: "Test".into(),
                    last_name: role.as_str().into(),
                    role,
                    status: UserStatus::Active,
                    password_hash: Some(hash),
                    location_ids: locations.to_vec(),
                    signup_location_id: None,
                    privacy_consent_version: None,
                },
                None,
                None,
                AuditEvent::new("user.created"),
            )
            .await
            .expect("seed a user");
        Seeded { id, username }
    }

    pub async fn post_json(
        &self,
        client: &reqwest::Client,
        path: &str,
        body: &serde_json::Value,
    ) -> reqwest::Response {
        client
            .post(self.url(path))
            .json(body)
            .send()
            .await
            .expect("send request")
    }

    /// Logs in and returns the client holding the session.
    pub async fn login(&self, username: &str, password: &str) -> reqwest::Client {
        let client = browser();
        let response = self
            .post_json(
                &client,
                "/api/auth/login",
                &serde_json::json!({"login": username, "password": password}),
            )
            .await;
        assert_eq!(
            response.status(),
            200,
            "login of {username}: {}",
            response.text().await.unwrap_or_default()
        );
        client
    }

    /// The `Set-Cookie` value of the session cookie in a response, if any.
    pub fn session_cookie(response: &reqwest::Response) -> Option<String> {
        response
            .headers()
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|v| v.starts_with("crewplots="))
            .map(str::to_string)
    }

    /// Uploads a small PDF as a document of `owner` (`query`: what follows `?`, e.g. `kind=other`), expects
    /// 201 and answers the document's id.
    pub async fn upload_pdf(&self, client: &reqwest::Client, owner: Uuid, query: &str) -> Uuid {
        let form = reqwest::multipart::Form::new().part(
            "file",
            reqwest::multipart::Part::bytes(small_pdf()).file_name("m.pdf"),
        );
        let response = client
            .post(self.url(&format!("/api/people/{owner}/documents?{query}")))
            .multipart(form)
            .send()
            .await
            .expect("upload");
        assert_eq!(response.status(), 201, "upload {query}");
        let body: serde_json::Value = response.json().await.expect("upload body");
        body["id"]
            .as_str()
            .expect("document id")
            .parse()
            .expect("uuid")
    }

    /// Rows of the audit log with this action.
    pub async fn audit_count(&self, action: &str) -> i64 {
        let client = self.pg.get().await.expect("connection");
        client
            .query_one(
                "SELECT count(*) FROM audit_log WHERE action = $1",
                &[&action],
            )
            .await
            .expect("count audit rows")
            .get(0)
    }
}

/// A small file the server sniffs as PDF.
pub fn small_pdf() -> Vec<u8> {
    let mut bytes = b"%PDF-1.7\n".to_vec();
    bytes.extend(std::iter::repeat_n(b'x', 2000));
    bytes
}

/// `name=value` of a `Set-Cookie` header.
pub fn cookie_pair(set_cookie: &str) -> String {
    set_cookie.split(';').next().unwrap_or_default().to_string()
}

// ---- several instances, SMTP ------------------------------------------------------------------------

/// Handles on the stores of `vars` and a client for a server already listening at `address` (e.g. a
/// `crewplots-server` process started by the test), like [`spawn_app_with`] gives for an in-process one.
pub async fn attach_app(vars: HashMap<String, String>, address: String) -> TestApp {
    let pg = crewplots_storage_postgres::build_pool(&vars["DATABASE_URL"], PoolOptions::default())
        .expect("test pool");
    let mongo = MongoStore::connect(
        &vars["MONGODB_URL"],
        &vars["MONGODB_DB_NAME"],
        Duration::from_secs(5),
    )
    .await
    .expect("test MongoDB client");
    let redis_pool = crewplots_session::build_pool(&vars["REDIS_URL"], 2, Duration::from_secs(2))
        .expect("test Redis pool");
    let redis = KeyValue::new(
        redis_pool,
        vars["CREWPLOTS__REDIS__KEY_PREFIX"].clone(),
        Duration::from_secs(2),
    );
    TestApp {
        address,
        client: browser(),
        database_url: vars["DATABASE_URL"].clone(),
        pg,
        mongo,
        redis,
        vars,
    }
}

/// A real SMTP server on loopback (aiosmtpd from the test stack's venv, `CREWPLOTS_TEST_PYTHON`) that
/// prints every message it receives; [`SmtpServer::messages`] reads them back one by one. Stopped on drop.
pub struct SmtpServer {
    pub port: u16,
    child: std::process::Child,
    lines: std::sync::mpsc::Receiver<String>,
    partial: Option<String>,
}

impl SmtpServer {
    pub fn start() -> Self {
        use std::io::BufRead as _;
        let python = std::env::var("CREWPLOTS_TEST_PYTHON").unwrap_or_else(|_| "python3".into());
        let port = free_port();
        let mut child = std::process::Command::new(python)
            .args(["-u", "-m", "aiosmtpd", "-n", "-l"])
            .arg(format!("127.0.0.1:{port}"))
            .args(["-c", "aiosmtpd.handlers.Debugging"])
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("start aiosmtpd (installed by `cargo xtask test`)");
        let stdout = child.stdout.take().expect("stdout");
        let (sender, lines) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in std::io::BufReader::new(stdout)
                .lines()
                .map_while(Result::ok)
            {
                if sender.send(line).is_err() {
                    break;
                }
            }
        });
        let deadline = Instant::now() + Duration::from_secs(15);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "aiosmtpd did not start");
            std::thread::sleep(Duration::from_millis(50));
        }
        Self {
            port,
            child,
            lines,
            partial: None,
        }
    }

    /// The messages (headers and body, as printed) received from now on: waits until `count` have come
    /// or `limit` has passed, whichever is first; never panics, so a caller can also check that no more came.
    pub fn messages(&mut self, count: usize, limit: Duration) -> Vec<String> {
        let deadline = Instant::now() + limit;
        let mut messages = Vec::new();
        while messages.len() < count {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                break;
            }
            let Ok(line) = self
                .lines
                .recv_timeout(left.min(Duration::from_millis(100)))
            else {
                continue;
            };
            if line.contains("---------- MESSAGE FOLLOWS ----------") {
                self.partial = Some(String::new());
            } else if line.contains("------------ END MESSAGE ------------") {
                messages.extend(self.partial.take());
            } else if let Some(message) = &mut self.partial {
                message.push_str(&line);
                message.push('\n');
            }
        }
        messages
    }

    /// Every line printed from now on until one contains `needle`; panics with what was printed if none
    /// does within `limit`.
    pub fn wait_for(&mut self, needle: &str, limit: Duration) -> String {
        let deadline = Instant::now() + limit;
        let mut seen = String::new();
        while Instant::now() < deadline {
            if let Ok(line) = self.lines.recv_timeout(Duration::from_millis(100)) {
                seen.push_str(&line);
                seen.push('\n');
                if line.contains(needle) {
                    return seen;
                }
            }
        }
        panic!("the SMTP server never saw {needle:?}; it printed:\n{seen}");
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

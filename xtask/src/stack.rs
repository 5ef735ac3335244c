//! The local stack: PostgreSQL, Redis and SecantusDB (a MongoDB-wire-compatible server) as plain processes
//! with their data under `target/<profile>-stack/`, on ports that do not clash with system services.
//!
//! Two profiles: `dev` keeps its data and secrets between runs; `test` is wiped and started fresh by
//! `cargo xtask test`. PostgreSQL refuses to run as root, so when we are root its files belong to the
//! unprivileged `postgres` user and its commands run through `runuser`.

use std::fs;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{bail, Context as _};
use base64::Engine as _;
use rand::RngCore;

use crate::prereq;
use crate::process::run;
use crate::ui;

/// The Python tools of the stack, from PyPI, in one venv: SecantusDB (a MongoDB-wire-compatible server on
/// WiredTiger), aiosmtpd (a real SMTP server the mail tests send to), icalendar (the calendar library the
/// feed tests parse our feeds with, instead of our own code), schemathesis (the API fuzzer of
/// `cargo xtask fuzz-api`) and openapi-spec-validator (an independent check of our OpenAPI 3.1 document).
const PYTHON_REQUIREMENTS: [&str; 5] = [
    "SecantusDB==0.7.0b3",
    "aiosmtpd==1.4.6",
    "icalendar==7.3.2",
    "schemathesis==4.32.5",
    "openapi-spec-validator==0.9.0",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Profile {
    Dev,
    Test,
}

/// One of the three services.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Service {
    Postgres,
    Redis,
    Mongo,
}

impl Service {
    pub const ALL: [Service; 3] = [Service::Postgres, Service::Redis, Service::Mongo];

    fn name(self) -> &'static str {
        match self {
            Self::Postgres => "PostgreSQL",
            Self::Redis => "Redis",
            Self::Mongo => "SecantusDB (MongoDB wire protocol)",
        }
    }
}

/// Paths, ports and secrets of one profile's stack.
#[derive(Debug)]
pub struct Stack {
    pub profile: Profile,
    dir: PathBuf,
    pg_port: u16,
    redis_port: u16,
    mongo_port: u16,
}

/// Secrets generated for a stack and kept in `secrets.env` beside its data (mode 0600).
#[derive(Debug, Clone)]
pub struct Secrets {
    pub postgres_password: String,
    pub session_secret: String,
    pub encryption_key: String,
}

pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

pub fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo_root().join("target"))
}

/// Random bytes from the operating system's generator (through `rand`).
pub fn random_bytes(count: usize) -> Vec<u8> {
    let mut buffer = vec![0u8; count];
    rand::rng().fill_bytes(&mut buffer);
    buffer
}

fn random_base64(bytes: usize) -> String {
    base64::engine::general_purpose::STANDARD.encode(random_bytes(bytes))
}

fn random_hex(bytes: usize) -> String {
    hex::encode(random_bytes(bytes))
}

/// `CREWPLOTS_STACK_PORT_OFFSET` (0–1000, default 0), added to every port of the local stacks.
fn port_offset() -> u16 {
    let Ok(raw) = std::env::var("CREWPLOTS_STACK_PORT_OFFSET") else {
        return 0;
    };
    match raw.trim().parse::<u16>() {
        Ok(offset) if offset <= 1000 => offset,
        _ => {
            eprintln!("warning: CREWPLOTS_STACK_PORT_OFFSET={raw:?} is not a number from 0 to 1000; using 0");
            0
        }
    }
}

impl Stack {
    pub fn new(profile: Profile) -> Self {
        let (name, pg_port, redis_port, mongo_port) = match profile {
            Profile::Dev => ("dev-stack", 55432, 56379, 57017),
            Profile::Test => ("test-stack", 55442, 56389, 57027),
        };
        // Two checkouts on one machine (a fresh clone beside a working copy) each get their own stack by
        // shifting every port: CREWPLOTS_STACK_PORT_OFFSET=100 puts the test stack on 55542, 56489, 57127.
        let offset = port_offset();
        Self {
            profile,
            dir: target_dir().join(name),
            pg_port: pg_port + offset,
            redis_port: redis_port + offset,
            mongo_port: mongo_port + offset,
        }
    }

    // ---- secrets -------------------------------------------------------------------------------------

    fn secrets_file(&self) -> PathBuf {
        self.dir.join("secrets.env")
    }

    /// Loads the stack's secrets, generating and saving them the first time.
    pub fn secrets(&self) -> anyhow::Result<Secrets> {
        let file = self.secrets_file();
        if let Ok(text) = fs::read_to_string(&file) {
            let get = |key: &str| {
                text.lines()
                    .find_map(|l| l.strip_prefix(&format!("{key}=")))
                    .map(str::to_string)
            };
            if let (Some(postgres_password), Some(session_secret), Some(encryption_key)) = (
                get("POSTGRES_PASSWORD"),
                get("SESSION_SECRET"),
                get("ENCRYPTION_KEY"),
            ) {
                return Ok(Secrets {
                    postgres_password,
                    session_secret,
                    encryption_key,
                });
            }
        }
        let secrets = Secrets {
            postgres_password: random_hex(24),
            session_secret: random_base64(64),
            encryption_key: random_base64(32),
        };
        fs::create_dir_all(&self.dir)?;
        let mut out =
            fs::File::create(&file).with_context(|| format!("cannot write {}", file.display()))?;
        fs::set_permissions(&file, fs::Permissions::from_mode(0o600))?;
        writeln!(
            out,
            "# Generated by cargo xtask for the local {:?} stack only. Never use these in production.\n\
             POSTGRES_PASSWORD={}\nSESSION_SECRET={}\nENCRYPTION_KEY={}",
            self.profile, secrets.postgres_password, secrets.session_secret, secrets.encryption_key
        )?;
        Ok(secrets)
    }

    // ---- URLs and environments -----------------------------------------------------------------------

    pub fn database_url(&self, secrets: &Secrets, database: &str) -> String {
        format!(
            "postgres://crewplots:{}@127.0.0.1:{}/{database}",
            secrets.postgres_password, self.pg_port
        )
    }

    fn mongodb_url(&self) -> String {
        format!(
            "mongodb://127.0.0.1:{}/?directConnection=true",
            self.mongo_port
        )
    }

    fn redis_url(&self) -> String {
        format!("redis://127.0.0.1:{}/0", self.redis_port)
    }

    /// Variables that point the server at this stack.
    pub fn server_env(&self) -> anyhow::Result<Vec<(String, String)>> {
        self.server_env_for("crewplots")
    }

    /// Variables that point the server at this stack, using the named PostgreSQL and MongoDB database.
    pub fn server_env_for(&self, database: &str) -> anyhow::Result<Vec<(String, String)>> {
        let secrets = self.secrets()?;
        Ok(vec![
            ("APP_ENV".into(), "development".into()),
            ("DATABASE_URL".into(), self.database_url(&secrets, database)),
            ("MONGODB_URL".into(), self.mongodb_url()),
            ("MONGODB_DB_NAME".into(), database.into()),
            ("REDIS_URL".into(), self.redis_url()),
            ("SESSION_SECRET".into(), secrets.session_secret),
            ("ENCRYPTION_KEY".into(), secrets.encryption_key),
        ])
    }

    /// Variables the integration tests read to find this stack (the tests make their own databases).
    pub fn test_env(&self) -> anyhow::Result<Vec<(String, String)>> {
        let secrets = self.secrets()?;
        let mut env = vec![
            (
                "CREWPLOTS_TEST_DATABASE_URL".into(),
                self.database_url(&secrets, "postgres"),
            ),
            ("CREWPLOTS_TEST_MONGODB_URL".into(), self.mongodb_url()),
            ("CREWPLOTS_TEST_REDIS_URL".into(), self.redis_url()),
        ];
        if let Some(redis) = prereq::which("redis-server") {
            env.push((
                "CREWPLOTS_TEST_REDIS_SERVER".into(),
                redis.display().to_string(),
            ));
        }
        env.push((
            "CREWPLOTS_TEST_PYTHON".into(),
            Self::venv_python().display().to_string(),
        ));
        Ok(env)
    }

    // ---- lifecycle -----------------------------------------------------------------------------------

    /// Starts whatever is not running; returns the services this call started.
    pub fn up(&self) -> anyhow::Result<Vec<Service>> {
        fs::create_dir_all(&self.dir)?;
        let secrets = self.secrets()?;
        let mut started = Vec::new();
        for service in Service::ALL {
            if self.is_running(service) {
                ui::info(&format!(
                    "{} already running on port {}",
                    service.name(),
                    self.port(service)
                ));
                continue;
            }
            ui::step(
                &format!("Starting {} on port {}", service.name(), self.port(service)),
                || match service {
                    Service::Postgres => self.start_postgres(&secrets),
                    Service::Redis => self.start_redis(),
                    Service::Mongo => self.start_mongo(),
                },
            )?;
            started.push(service);
        }
        Ok(started)
    }

    /// Stops the given services (all when `only` is `None`). Idempotent.
    pub fn down(&self, only: Option<&[Service]>) -> anyhow::Result<()> {
        for service in Service::ALL.into_iter().rev() {
            if only.is_some_and(|list| !list.contains(&service)) {
                continue;
            }
            let running = self.is_running(service) || self.pid_of(service).is_some_and(pid_alive);
            if !running {
                continue;
            }
            ui::step(&format!("Stopping {}", service.name()), || match service {
                Service::Postgres => self.stop_postgres(),
                Service::Redis | Service::Mongo => self.stop_by_pid(service),
            })?;
        }
        Ok(())
    }

    /// Deletes the stack's data (used by the test profile before each run).
    pub fn wipe(&self) -> anyhow::Result<()> {
        let pg = self.pg_dir();
        if let Ok(target) = fs::read_link(&pg) {
            let _ = fs::remove_dir_all(target);
        }
        if self.dir.exists() {
            fs::remove_dir_all(&self.dir)
                .with_context(|| format!("cannot remove {}", self.dir.display()))?;
        }
        Ok(())
    }

    pub fn port(&self, service: Service) -> u16 {
        match service {
            Service::Postgres => self.pg_port,
            Service::Redis => self.redis_port,
            Service::Mongo => self.mongo_port,
        }
    }

    /// One line per service: name, port, URL, state.
    pub fn print_status(&self) -> anyhow::Result<()> {
        let secrets = self.secrets()?;
        for service in Service::ALL {
            let url = match service {
                Service::Postgres => self
                    .database_url(
                        &secrets,
                        if self.profile == Profile::Dev {
                            "crewplots"
                        } else {
                            "postgres"
                        },
                    )
                    .replace(
                        &secrets.postgres_password,
                        "<POSTGRES_PASSWORD in secrets.env>",
                    ),
                Service::Redis => self.redis_url(),
                Service::Mongo => self.mongodb_url(),
            };
            let state = if self.is_running(service) {
                "running"
            } else {
                "stopped"
            };
            println!(
                "{:<36} port {:<6} {:<8} {}",
                service.name(),
                self.port(service),
                state,
                url
            );
        }
        println!("data and secrets: {}", self.dir.display());
        Ok(())
    }

    pub fn is_running(&self, service: Service) -> bool {
        let answers = port_open(self.port(service));
        match service {
            Service::Postgres => answers && self.pg_ctl_status(),
            Service::Redis => answers && redis_ping(self.redis_port),
            Service::Mongo => answers && self.pid_of(service).is_some_and(pid_alive),
        }
    }

    // ---- PostgreSQL ----------------------------------------------------------------------------------

    fn pg_dir(&self) -> PathBuf {
        self.dir.join("postgres")
    }

    /// The user that owns and runs the cluster: ourselves, or `postgres` when we are root.
    fn pg_user(&self) -> Option<&'static str> {
        prereq::is_root().then_some("postgres")
    }

    fn pg_command(&self, program: &str) -> anyhow::Result<Command> {
        let bin = prereq::postgres_bin_dir().context("PostgreSQL server binaries not found")?;
        let path = bin.join(program);
        Ok(match self.pg_user() {
            Some(user) => {
                let mut command = Command::new("runuser");
                command.args(["-u", user, "--"]).arg(path);
                command
            }
            None => Command::new(path),
        })
    }

    fn pg_ctl_status(&self) -> bool {
        let data = self.pg_dir().join("data");
        data.join("PG_VERSION").exists()
            && self.pg_command("pg_ctl").is_ok_and(|mut c| {
                c.arg("-D")
                    .arg(&data)
                    .arg("status")
                    .stdout(Stdio::null())
                    .stderr(Stdio::null())
                    .status()
                    .is_ok_and(|s| s.success())
            })
    }

    /// Makes the cluster's folder and gives it to the cluster's user. When that user cannot reach a folder
    /// under `target/` (e.g. the checkout lives in root's home), the cluster lives under /var/tmp and
    /// `target/<stack>/postgres` is a link to it.
    fn prepare_pg_dir(&self) -> anyhow::Result<PathBuf> {
        let pg = self.pg_dir();
        if pg.exists() {
            return Ok(pg);
        }
        let Some(user) = self.pg_user() else {
            fs::create_dir_all(&pg)?;
            return Ok(pg);
        };
        if ensure_user(user).is_err() {
            bail!("PostgreSQL must run as an unprivileged user, and user `{user}` does not exist");
        }
        let reachable = self.dir.ancestors().all(|a| {
            a.metadata()
                .map(|m| m.permissions().mode() & 0o001 != 0)
                .unwrap_or(true)
        });
        let real = if reachable {
            pg.clone()
        } else {
            let name = format!(
                "crewplots-{}-{}",
                match self.profile {
                    Profile::Dev => "dev",
                    Profile::Test => "test",
                },
                &random_hex(4)
            );
            let real = PathBuf::from("/var/tmp").join(name);
            fs::create_dir_all(&real)?;
            std::os::unix::fs::symlink(&real, &pg)?;
            ui::info(&format!(
                "PostgreSQL data lives in {} (linked from {})",
                real.display(),
                pg.display()
            ));
            real
        };
        fs::create_dir_all(&real)?;
        let status = Command::new("chown")
            .arg("-R")
            .arg(format!("{user}:"))
            .arg(&real)
            .status()?;
        if !status.success() {
            bail!("cannot give {} to {user}", real.display());
        }
        Ok(pg)
    }

    fn start_postgres(&self, secrets: &Secrets) -> anyhow::Result<()> {
        let pg = self.prepare_pg_dir()?;
        let data = pg.join("data");
        if !data.join("PG_VERSION").exists() {
            let pwfile = pg.join(".pwfile");
            fs::write(&pwfile, &secrets.postgres_password)?;
            fs::set_permissions(&pwfile, fs::Permissions::from_mode(0o600))?;
            if let Some(user) = self.pg_user() {
                Command::new("chown")
                    .arg(format!("{user}:"))
                    .arg(&pwfile)
                    .status()?;
            }
            let output = self
                .pg_command("initdb")?
                .arg("-D")
                .arg(&data)
                .args(["-U", "crewplots", "-E", "UTF8", "--no-locale"])
                .args(["--auth-host=scram-sha-256", "--auth-local=scram-sha-256"])
                .arg(format!("--pwfile={}", pwfile.display()))
                .output()
                .context("cannot run initdb")?;
            let _ = fs::remove_file(&pwfile);
            if !output.status.success() {
                bail!(
                    "initdb failed:\n{}",
                    String::from_utf8_lossy(&output.stderr)
                );
            }
        }
        let mut options = format!(
            "-p {} -c listen_addresses=127.0.0.1 -c unix_socket_directories='' -c max_connections=300",
            self.pg_port
        );
        if self.profile == Profile::Test {
            // Throw-away data: trade durability for speed.
            options.push_str(" -c fsync=off -c synchronous_commit=off -c full_page_writes=off");
            // The load runs count SQL statements per request with it.
            options.push_str(" -c shared_preload_libraries=pg_stat_statements");
        }
        let log = pg.join("server.log");
        let output = self
            .pg_command("pg_ctl")?
            .arg("-D")
            .arg(&data)
            .arg("-l")
            .arg(&log)
            .args(["-w", "-t", "60", "-o", &options, "start"])
            .stdin(Stdio::null())
            .output()
            .context("cannot run pg_ctl")?;
        if !output.status.success() {
            bail!(
                "PostgreSQL did not start:\n{}\n{}",
                String::from_utf8_lossy(&output.stderr),
                tail(&log)
            );
        }
        if self.profile == Profile::Dev {
            self.create_database(secrets, "crewplots")?;
        }
        Ok(())
    }

    pub fn create_database(&self, secrets: &Secrets, name: &str) -> anyhow::Result<()> {
        let bin = prereq::postgres_bin_dir().context("PostgreSQL binaries not found")?;
        let psql = |sql: &str| {
            Command::new(bin.join("psql"))
                .arg(self.database_url(secrets, "postgres"))
                .args(["-v", "ON_ERROR_STOP=1", "-tAc", sql])
                .output()
        };
        let exists = psql(&format!(
            "SELECT 1 FROM pg_database WHERE datname = '{name}'"
        ))?;
        if String::from_utf8_lossy(&exists.stdout).trim() == "1" {
            return Ok(());
        }
        let created = psql(&format!("CREATE DATABASE {name}"))?;
        if !created.status.success() {
            bail!(
                "cannot create database {name}: {}",
                String::from_utf8_lossy(&created.stderr)
            );
        }
        Ok(())
    }

    /// Drops a database (and the MongoDB database of the same name is left to the stack's wipe).
    pub fn drop_database(&self, secrets: &Secrets, name: &str) -> anyhow::Result<()> {
        let bin = prereq::postgres_bin_dir().context("PostgreSQL binaries not found")?;
        let dropped = Command::new(bin.join("psql"))
            .arg(self.database_url(secrets, "postgres"))
            .args(["-v", "ON_ERROR_STOP=1", "-tAc"])
            .arg(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            .output()?;
        if !dropped.status.success() {
            bail!(
                "cannot drop database {name}: {}",
                String::from_utf8_lossy(&dropped.stderr)
            );
        }
        Ok(())
    }

    fn stop_postgres(&self) -> anyhow::Result<()> {
        let output = self
            .pg_command("pg_ctl")?
            .arg("-D")
            .arg(self.pg_dir().join("data"))
            .args(["-m", "fast", "-w", "-t", "30", "stop"])
            .output()?;
        if !output.status.success() && self.pg_ctl_status() {
            bail!(
                "pg_ctl stop failed: {}",
                String::from_utf8_lossy(&output.stderr)
            );
        }
        Ok(())
    }

    // ---- Redis ---------------------------------------------------------------------------------------

    fn start_redis(&self) -> anyhow::Result<()> {
        let dir = self.dir.join("redis");
        fs::create_dir_all(&dir)?;
        let dir = dir.canonicalize()?;
        refuse_foreign(self.redis_port, "Redis")?;
        let redis = prereq::which("redis-server").context("redis-server not found")?;
        let status = Command::new(redis)
            .args([
                "--bind",
                "127.0.0.1",
                "--port",
                &self.redis_port.to_string(),
            ])
            .args(["--daemonize", "yes", "--protected-mode", "yes"])
            .arg("--pidfile")
            .arg(dir.join("redis.pid"))
            .arg("--logfile")
            .arg(dir.join("redis.log"))
            .arg("--dir")
            .arg(&dir)
            .args(["--save", ""])
            .args([
                "--appendonly",
                if self.profile == Profile::Dev {
                    "yes"
                } else {
                    "no"
                },
            ])
            .stdin(Stdio::null())
            .status()
            .context("cannot run redis-server")?;
        if !status.success() {
            bail!(
                "redis-server failed to start:\n{}",
                tail(&dir.join("redis.log"))
            );
        }
        wait_until(Duration::from_secs(15), || redis_ping(self.redis_port))
            .with_context(|| format!("Redis did not answer:\n{}", tail(&dir.join("redis.log"))))
    }

    // ---- SecantusDB ----------------------------------------------------------------------------------

    fn secantus_bin() -> PathBuf {
        target_dir().join("tools/secantus-venv/bin/secantusd-py")
    }

    /// The venv's Python, for tools started by the tests (aiosmtpd).
    pub fn venv_python() -> PathBuf {
        target_dir().join("tools/secantus-venv/bin/python")
    }

    /// Makes the virtual environment with the Python tools, once; later runs reuse it (and reinstall when
    /// the list of requirements changed).
    pub fn ensure_secantus() -> anyhow::Result<()> {
        let venv = target_dir().join("tools/secantus-venv");
        let marker = venv.join(".installed");
        let wanted = PYTHON_REQUIREMENTS.join(" ");
        if fs::read_to_string(&marker).is_ok_and(|m| m == wanted) && Self::secantus_bin().exists() {
            return Ok(());
        }
        ui::step(
            &format!("Installing {wanted} into {}", venv.display()),
            || {
                let python = prereq::python().context("python3 not found")?;
                // A working venv gets the changed list installed on top (a running SecantusDB of the other
                // stack keeps its files); only a broken one is made again.
                let usable = Command::new(venv.join("bin/python"))
                    .args(["-c", "import pip"])
                    .output()
                    .is_ok_and(|o| o.status.success());
                if !usable {
                    if venv.exists() {
                        fs::remove_dir_all(&venv)?;
                    }
                    fs::create_dir_all(venv.parent().unwrap_or(Path::new(".")))?;
                    run(
                        Command::new(python).args(["-m", "venv"]).arg(&venv),
                        "python3 -m venv",
                    )?;
                }
                run(
                    Command::new(venv.join("bin/pip"))
                        .args([
                            "install",
                            "--disable-pip-version-check",
                            "--progress-bar",
                            "on",
                        ])
                        .args(PYTHON_REQUIREMENTS),
                    "pip install",
                )?;
                fs::write(&marker, &wanted)?;
                Ok(())
            },
        )
    }

    fn start_mongo(&self) -> anyhow::Result<()> {
        Self::ensure_secantus()?;
        refuse_foreign(self.mongo_port, "SecantusDB")?;
        let dir = self.dir.join("mongo");
        fs::create_dir_all(dir.join("data"))?;
        let dir = dir.canonicalize()?;
        let log_path = dir.join("secantus.log");
        let log = fs::File::create(&log_path)?;
        let mut child = Command::new(Self::secantus_bin())
            .args([
                "--host",
                "127.0.0.1",
                "--port",
                &self.mongo_port.to_string(),
            ])
            .arg("--storage-path")
            .arg(dir.join("data"))
            .arg("--standalone")
            .stdin(Stdio::null())
            .stdout(log.try_clone()?)
            .stderr(log)
            // Its own process group: Ctrl-C in the terminal reaches the server, not the stack; the stack is
            // stopped deliberately afterwards.
            .process_group(0)
            .spawn()
            .context("cannot start secantusd-py")?;
        fs::write(dir.join("secantus.pid"), child.id().to_string())?;
        let deadline = Instant::now() + Duration::from_secs(60);
        while Instant::now() < deadline {
            if port_open(self.mongo_port) {
                return Ok(());
            }
            if let Ok(Some(status)) = child.try_wait() {
                bail!("secantusd-py exited ({status}):\n{}", tail(&log_path));
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        bail!("SecantusDB did not open its port:\n{}", tail(&log_path))
    }

    // ---- pid-file services ---------------------------------------------------------------------------

    fn pid_file(&self, service: Service) -> Option<PathBuf> {
        match service {
            Service::Postgres => None,
            Service::Redis => Some(self.dir.join("redis/redis.pid")),
            Service::Mongo => Some(self.dir.join("mongo/secantus.pid")),
        }
    }

    fn pid_of(&self, service: Service) -> Option<u32> {
        let text = fs::read_to_string(self.pid_file(service)?).ok()?;
        text.trim().parse().ok()
    }

    fn stop_by_pid(&self, service: Service) -> anyhow::Result<()> {
        let Some(pid) = self.pid_of(service) else {
            return Ok(());
        };
        signal(pid, "TERM");
        if wait_until(Duration::from_secs(15), || !pid_alive(pid)).is_err() {
            signal(pid, "KILL");
            wait_until(Duration::from_secs(5), || !pid_alive(pid))
                .with_context(|| format!("{} (pid {pid}) does not stop", service.name()))?;
        }
        if let Some(file) = self.pid_file(service) {
            let _ = fs::remove_file(file);
        }
        Ok(())
    }
}

fn ensure_user(user: &str) -> anyhow::Result<()> {
    let exists = Command::new("id")
        .arg("-u")
        .arg(user)
        .output()?
        .status
        .success();
    if exists {
        return Ok(());
    }
    run(
        Command::new("useradd").args([
            "--system",
            "--no-create-home",
            "--shell",
            "/usr/sbin/nologin",
            user,
        ]),
        "useradd",
    )
}

fn refuse_foreign(port: u16, what: &str) -> anyhow::Result<()> {
    if port_open(port) {
        bail!("port {port} is already in use by another program; {what} of this stack cannot start there");
    }
    Ok(())
}

pub fn port_open(port: u16) -> bool {
    TcpStream::connect_timeout(
        &SocketAddr::from(([127, 0, 0, 1], port)),
        Duration::from_millis(300),
    )
    .is_ok()
}

fn redis_ping(port: u16) -> bool {
    let Ok(mut stream) = TcpStream::connect_timeout(
        &SocketAddr::from(([127, 0, 0, 1], port)),
        Duration::from_millis(300),
    ) else {
        return false;
    };
    let _ = stream.set_read_timeout(Some(Duration::from_millis(500)));
    if stream.write_all(b"PING\r\n").is_err() {
        return false;
    }
    let mut reply = [0u8; 7];
    stream
        .read(&mut reply)
        .is_ok_and(|n| reply[..n].starts_with(b"+PONG"))
}

pub fn pid_alive(pid: u32) -> bool {
    Command::new("kill")
        .args(["-0", &pid.to_string()])
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
        // A zombie still answers kill -0; it is gone for our purposes.
        && !fs::read_to_string(format!("/proc/{pid}/stat")).is_ok_and(|s| s.contains(") Z "))
}

fn signal(pid: u32, name: &str) {
    let _ = Command::new("kill")
        .arg(format!("-{name}"))
        .arg(pid.to_string())
        .status();
}

fn wait_until(limit: Duration, mut done: impl FnMut() -> bool) -> anyhow::Result<()> {
    let deadline = Instant::now() + limit;
    while Instant::now() < deadline {
        if done() {
            return Ok(());
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    bail!("gave up after {limit:?}")
}

/// The last lines of a log, for error messages.
fn tail(path: &Path) -> String {
    let text = fs::read_to_string(path).unwrap_or_default();
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(15)..].join("\n")
}

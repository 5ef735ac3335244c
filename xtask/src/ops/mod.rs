//! Operator tasks: fresh secrets for `deploy/.env`, the compose wrapper, the first administrator, and
//! backup / restore of PostgreSQL and MongoDB (the GridFS bucket included).
//!
//! Backups talk to MongoDB through the Rust driver, which needs an async runtime; it is created inside
//! [`mongo`] for those commands only, so the rest of the xtask stays plain `std::process`.

mod archive;
mod backup;
mod compose;
mod mongo;
mod postgres;

use std::io::{self, Read, Write};
use std::os::unix::process::ExitStatusExt as _;
use std::path::PathBuf;
use std::process::{Command, ExitStatus};
use std::time::{Duration, Instant};

use anyhow::{bail, Context as _};
use base64::Engine as _;
use ring::digest;

use crate::stack::{self, random_bytes, Profile, Service, Stack};
use crate::tasks;
use crate::ui;

pub use backup::{backup, restore};
pub use compose::{compose, ComposeAction};

/// Where backup and restore find the databases. Without `--compose`: the URLs given here, else
/// `DATABASE_URL` / `MONGODB_URL` / `MONGODB_DB_NAME` from the environment, else the development stack.
#[derive(clap::Args, Debug, Clone)]
pub struct Target {
    /// Use the containers of deploy/docker-compose.yml (through `docker compose exec`) instead of databases
    /// reachable from this machine.
    #[arg(long)]
    pub compose: bool,
    /// With --compose: the stack's settings file [default: deploy/.env].
    #[arg(long, value_name = "PATH", requires = "compose")]
    pub env_file: Option<PathBuf>,
    /// PostgreSQL URL [default: DATABASE_URL, else the development stack]. Prefer the variable: a command
    /// line is visible to other users of the machine.
    #[arg(long, value_name = "URL", conflicts_with = "compose")]
    pub database_url: Option<String>,
    /// MongoDB URL [default: MONGODB_URL, else the development stack].
    #[arg(long, value_name = "URL", conflicts_with = "compose")]
    pub mongodb_url: Option<String>,
    /// MongoDB database name [default: MONGODB_DB_NAME, else crewplots].
    #[arg(long, value_name = "NAME", conflicts_with = "compose")]
    pub mongodb_db: Option<String>,
}

// ---- gen-secrets -------------------------------------------------------------------------------------

/// Prints one `NAME=value` line per secret of `deploy/.env`; the advice goes to standard error so that
/// standard output holds nothing but the lines.
pub fn gen_secrets() -> anyhow::Result<()> {
    let base64 = |count| base64::engine::general_purpose::STANDARD.encode(random_bytes(count));
    // Passwords and the metrics token are hex: they go unescaped into connection URLs and headers.
    let url_safe = |count| hex::encode(random_bytes(count));
    let secrets = [
        ("SESSION_SECRET", base64(64)),
        ("ENCRYPTION_KEY", base64(32)),
        ("POSTGRES_PASSWORD", url_safe(24)),
        ("MONGO_INITDB_ROOT_PASSWORD", url_safe(24)),
        ("MONGO_APP_PASSWORD", url_safe(24)),
        ("METRICS_TOKEN", url_safe(24)),
    ];
    let mut out = io::stdout().lock();
    for (name, value) in secrets {
        writeln!(out, "{name}={value}")?;
    }
    out.flush()?;
    eprintln!(
        "Paste these lines into deploy/.env in place of the CHANGE-ME-… placeholders (METRICS_TOKEN only if \
         you want /metrics), then store deploy/.env in your password manager: ENCRYPTION_KEY exists nowhere \
         else and every backup needs it."
    );
    Ok(())
}

// ---- create-admin ------------------------------------------------------------------------------------

/// Runs `crewplots-server create-admin` with the development stack's environment (or the process
/// environment when DATABASE_URL is set). The server reads the password from standard input itself.
pub fn create_admin(
    username: &str,
    email: &str,
    first_name: Option<&str>,
    last_name: Option<&str>,
) -> anyhow::Result<()> {
    let mut command = Command::new(tasks::server_binary(false));
    command
        .arg("create-admin")
        .args(["--username", username, "--email", email]);
    if let Some(first_name) = first_name {
        command.args(["--first-name", first_name]);
    }
    if let Some(last_name) = last_name {
        command.args(["--last-name", last_name]);
    }
    if std::env::var_os("DATABASE_URL").is_none() {
        let stack = Stack::new(Profile::Dev);
        if !stack.is_running(Service::Postgres) {
            bail!("DATABASE_URL is not set and the development stack is not running (`cargo xtask services up`)");
        }
        command.envs(stack.server_env()?);
    }
    ui::step(
        "Building the server (cargo build -p crewplots-server)",
        || {
            let mut build =
                Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
            build
                .current_dir(stack::repo_root())
                .args(["build", "-p", "crewplots-server"]);
            let status = build.status().context("cannot start cargo build")?;
            if !status.success() {
                bail!("cargo build failed ({status})");
            }
            Ok(())
        },
    )?;
    let status = command
        .status()
        .context("cannot start crewplots-server create-admin")?;
    exit_like(status)
}

/// Returns when `status` is success; otherwise ends this process with the same exit code, so that
/// scripts around `cargo xtask compose …` and `create-admin` see the underlying command's code.
fn exit_like(status: ExitStatus) -> anyhow::Result<()> {
    if status.success() {
        return Ok(());
    }
    let code = status
        .code()
        .or_else(|| status.signal().map(|signal| 128 + signal))
        .unwrap_or(1);
    std::process::exit(code)
}

// ---- shared helpers ----------------------------------------------------------------------------------

/// "1.5 MiB" and friends.
fn human_bytes(bytes: u64) -> String {
    const UNITS: [&str; 5] = ["bytes", "KiB", "MiB", "GiB", "TiB"];
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < UNITS.len() {
        value /= 1024.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{bytes} bytes")
    } else {
        format!("{value:.1} {}", UNITS[unit])
    }
}

/// A writer that hashes (SHA-256) and counts what passes through it.
struct Sha256Writer<W> {
    inner: W,
    hash: digest::Context,
    bytes: u64,
}

impl<W: Write> Sha256Writer<W> {
    fn new(inner: W) -> Self {
        Self {
            inner,
            hash: digest::Context::new(&digest::SHA256),
            bytes: 0,
        }
    }

    /// The inner writer, the hex digest and the byte count.
    fn finish(self) -> (W, String, u64) {
        (self.inner, hex::encode(self.hash.finish()), self.bytes)
    }
}

impl<W: Write> Write for Sha256Writer<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let written = self.inner.write(buf)?;
        self.hash.update(&buf[..written]);
        self.bytes += written as u64;
        Ok(written)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// A reader that hashes (SHA-256) and counts what passes through it.
struct Sha256Reader<R> {
    inner: R,
    hash: digest::Context,
    bytes: u64,
}

impl<R: Read> Sha256Reader<R> {
    fn new(inner: R) -> Self {
        Self {
            inner,
            hash: digest::Context::new(&digest::SHA256),
            bytes: 0,
        }
    }

    /// The hex digest and the byte count of what was read.
    fn finish(self) -> (String, u64) {
        (hex::encode(self.hash.finish()), self.bytes)
    }
}

impl<R: Read> Read for Sha256Reader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let read = self.inner.read(buf)?;
        self.hash.update(&buf[..read]);
        self.bytes += read as u64;
        Ok(read)
    }
}

/// SHA-256 of everything `reader` yields, and how many bytes that was.
fn sha256_of(reader: impl Read) -> io::Result<(String, u64)> {
    let mut hashing = Sha256Reader::new(reader);
    io::copy(&mut hashing, &mut io::sink())?;
    Ok(hashing.finish())
}

/// Progress of a long copy: a line every few seconds, and a final line.
struct Progress {
    label: String,
    started: Instant,
    last_report: Instant,
    documents: u64,
    bytes: u64,
}

impl Progress {
    const EVERY: Duration = Duration::from_secs(3);

    fn new(label: impl Into<String>) -> Self {
        let now = Instant::now();
        Self {
            label: label.into(),
            started: now,
            last_report: now,
            documents: 0,
            bytes: 0,
        }
    }

    fn add(&mut self, documents: u64, bytes: u64) {
        self.documents += documents;
        self.bytes += bytes;
        if self.last_report.elapsed() >= Self::EVERY {
            self.last_report = Instant::now();
            ui::info(&format!("{} … {}", self.label, self.describe()));
        }
    }

    fn describe(&self) -> String {
        format!(
            "{} document{}, {}",
            self.documents,
            if self.documents == 1 { "" } else { "s" },
            human_bytes(self.bytes)
        )
    }

    fn finish(&self) {
        ui::info(&format!(
            "{}: {} ({:.1} s)",
            self.label,
            self.describe(),
            self.started.elapsed().as_secs_f64()
        ));
    }
}

/// Where `:password` sits in `scheme://user:password@host…`, if the URL has one.
fn password_span(url: &str) -> Option<std::ops::Range<usize>> {
    let start = url.find("://")? + 3;
    let rest = &url[start..];
    let authority = &rest[..rest.find(['/', '?', '#']).unwrap_or(rest.len())];
    let at = authority.rfind('@')?;
    let colon = authority[..at].find(':')?;
    Some(start + colon..start + at)
}

/// The URL without its password, and the password (percent-decoded), so that the password can travel in
/// an environment variable instead of a command line that `ps` shows.
fn split_password(url: &str) -> (String, Option<String>) {
    match password_span(url) {
        None => (url.to_string(), None),
        Some(span) => {
            let password = percent_decode(&url[span.start + 1..span.end]);
            let mut without = url.to_string();
            without.replace_range(span, "");
            (without, Some(password))
        }
    }
}

/// A URL with its password replaced by `***`, for messages.
fn redact_url(url: &str) -> String {
    match password_span(url) {
        None => url.to_string(),
        Some(span) => {
            let mut redacted = url.to_string();
            redacted.replace_range(span, ":***");
            redacted
        }
    }
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let escaped = (bytes[i] == b'%')
            .then(|| text.get(i + 1..i + 3))
            .flatten()
            .and_then(|digits| u8::from_str_radix(digits, 16).ok());
        match escaped {
            Some(byte) => {
                decoded.push(byte);
                i += 3;
            }
            None => {
                decoded.push(bytes[i]);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&decoded).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_are_shown_in_binary_units() {
        assert_eq!(human_bytes(0), "0 bytes");
        assert_eq!(human_bytes(1023), "1023 bytes");
        assert_eq!(human_bytes(1536), "1.5 KiB");
        assert_eq!(human_bytes(5 * 1024 * 1024), "5.0 MiB");
    }

    #[test]
    fn passwords_in_urls_are_hidden_in_messages() {
        assert_eq!(
            redact_url("postgres://crewplots:s3cret@127.0.0.1:5432/crewplots"),
            "postgres://crewplots:***@127.0.0.1:5432/crewplots"
        );
        assert_eq!(
            redact_url("mongodb://127.0.0.1:27017/?directConnection=true"),
            "mongodb://127.0.0.1:27017/?directConnection=true"
        );
    }

    #[test]
    fn a_password_is_taken_out_of_a_url_and_decoded() {
        assert_eq!(
            split_password("postgres://crewplots:p%40ss%2Fw@db:5432/crewplots?sslmode=require"),
            (
                "postgres://crewplots@db:5432/crewplots?sslmode=require".to_string(),
                Some("p@ss/w".to_string())
            )
        );
        assert_eq!(
            split_password("postgres://crewplots@db/crewplots"),
            ("postgres://crewplots@db/crewplots".to_string(), None)
        );
        assert_eq!(
            split_password("host=db dbname=crewplots"),
            ("host=db dbname=crewplots".to_string(), None)
        );
    }

    #[test]
    fn the_sha256_helpers_agree_with_a_known_digest() {
        let (digest, bytes) = sha256_of(&b"abc"[..]).unwrap();
        assert_eq!(
            digest,
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(bytes, 3);
        let mut writer = Sha256Writer::new(Vec::new());
        writer.write_all(b"abc").unwrap();
        let (inner, written_digest, written) = writer.finish();
        assert_eq!(
            (inner.as_slice(), written_digest, written),
            (&b"abc"[..], digest, 3)
        );
    }
}

//! The raw baselines of `cargo xtask bench`, measured in the same run as our server:
//! - [`RawMe`]: what an authenticated request cannot do with less — one Redis GET of a real session's key and
//!   one primary-key select of the user's row, through the drivers the server uses, driven by the same load
//!   loop as the HTTP side;
//! - [`capture_statements`] + [`pgbench`]: the exact SQL statements one request runs (text and parameter
//!   values from PostgreSQL's own statement log of a second server process), replayed by `pgbench -f` with the
//!   values as pgbench variables, so they are sent as parameters of prepared statements as the server does;
//! - [`gridfs_round`]: GridFS upload and download through the `mongodb` driver, chunk size as the vault's;
//! - [`bcrypt_hash_ms`]: one hash at the server's cost.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{bail, Context as _};
use futures_util::{AsyncReadExt as _, AsyncWriteExt as _};
use mongodb::options::GridFsUploadOptions;

use super::load::{percentile_ms, Figures, Worker};

/// One Redis GET and one PostgreSQL primary-key select per operation, on this worker's own connections.
pub struct RawMe {
    redis: redis::aio::MultiplexedConnection,
    pg: tokio_postgres::Client,
    select: tokio_postgres::Statement,
    key: String,
    user: uuid::Uuid,
}

/// The columns of `users` the server reads for the current user (without its joins: the baseline is one
/// row by its primary key).
const USER_ROW: &str =
    "SELECT id, username, email, first_name, last_name, role, status, created_at, \
                        last_login_at, password_hash, signup_location_id FROM users WHERE id = $1";

impl RawMe {
    pub async fn connect(
        redis_url: &str,
        database_url: &str,
        key: &str,
        user: uuid::Uuid,
    ) -> anyhow::Result<Self> {
        let redis = redis::Client::open(redis_url)?
            .get_multiplexed_async_connection()
            .await?;
        let (pg, connection) = tokio_postgres::connect(database_url, tokio_postgres::NoTls).await?;
        tokio::spawn(async move {
            let _ = connection.await;
        });
        let select = pg.prepare(USER_ROW).await?;
        Ok(Self {
            redis,
            pg,
            select,
            key: key.to_string(),
            user,
        })
    }
}

impl Worker for RawMe {
    async fn call(&mut self) -> anyhow::Result<u16> {
        let session: Option<Vec<u8>> = redis::cmd("GET")
            .arg(&self.key)
            .query_async(&mut self.redis)
            .await?;
        if session.is_none() {
            bail!("the session key {} is gone", self.key);
        }
        self.pg.query_one(&self.select, &[&self.user]).await?;
        Ok(200)
    }
}

/// Session keys under a Redis key prefix, with the size of their values.
pub async fn session_keys(redis_url: &str, prefix: &str) -> anyhow::Result<Vec<(String, usize)>> {
    let mut redis = redis::Client::open(redis_url)?
        .get_multiplexed_async_connection()
        .await?;
    let keys: Vec<String> = redis::cmd("KEYS")
        .arg(format!("{prefix}*session*"))
        .query_async(&mut redis)
        .await?;
    let mut sized = Vec::new();
    for key in keys {
        // The session state is a string value; the per-user session index is a set.
        let kind: String = redis::cmd("TYPE").arg(&key).query_async(&mut redis).await?;
        if kind != "string" {
            continue;
        }
        let length: usize = redis::cmd("STRLEN")
            .arg(&key)
            .query_async(&mut redis)
            .await?;
        sized.push((key, length));
    }
    Ok(sized)
}

/// Deletes every Redis key under a prefix (the bench server's own).
pub async fn delete_keys(redis_url: &str, prefix: &str) -> anyhow::Result<usize> {
    let mut redis = redis::Client::open(redis_url)?
        .get_multiplexed_async_connection()
        .await?;
    let keys: Vec<String> = redis::cmd("KEYS")
        .arg(format!("{prefix}*"))
        .query_async(&mut redis)
        .await?;
    for chunk in keys.chunks(500) {
        let _: u64 = redis::cmd("DEL").arg(chunk).query_async(&mut redis).await?;
    }
    Ok(keys.len())
}

// ---- statements of a request, replayed by pgbench ----------------------------------------------------

/// One statement as the server ran it: its text and its parameter values (`None`: NULL).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement {
    pub text: String,
    pub parameters: Vec<Option<String>>,
}

/// One entry of PostgreSQL's stderr log: `<time> [<pid>] LEVEL:  message` plus its continuation lines.
fn log_entries(log: &str) -> Vec<(u32, String, String)> {
    let mut entries: Vec<(u32, String, String)> = Vec::new();
    for line in log.lines() {
        if let Some(rest) = line.strip_prefix('\t') {
            if let Some(last) = entries.last_mut() {
                last.2.push('\n');
                last.2.push_str(rest);
            }
            continue;
        }
        let Some(open) = line.find(" [") else {
            continue;
        };
        let after = &line[open + 2..];
        let Some((pid, rest)) = after.split_once("] ") else {
            continue;
        };
        let Ok(pid) = pid.parse::<u32>() else {
            continue;
        };
        let Some((level, message)) = rest.split_once(":  ") else {
            continue;
        };
        entries.push((pid, level.to_string(), message.to_string()));
    }
    entries
}

/// `$1 = 'a''b', $2 = NULL` → values.
fn parse_parameters(text: &str) -> anyhow::Result<Vec<(usize, Option<String>)>> {
    let mut values = Vec::new();
    let mut rest = text.trim();
    while !rest.is_empty() {
        let after_dollar = rest.strip_prefix('$').context("expected $N")?;
        let (number, after) = after_dollar
            .split_once(" = ")
            .context("expected $N = value")?;
        let number: usize = number.parse()?;
        if let Some(after_null) = after.strip_prefix("NULL") {
            values.push((number, None));
            rest = after_null;
        } else {
            let mut chars = after.char_indices();
            if chars.next().map(|(_, c)| c) != Some('\'') {
                bail!("expected a quoted value in {after:?}");
            }
            let mut value = String::new();
            let mut end = None;
            let mut chars = chars.peekable();
            while let Some((index, c)) = chars.next() {
                if c == '\'' {
                    if chars.peek().map(|(_, c)| *c) == Some('\'') {
                        chars.next();
                        value.push('\'');
                    } else {
                        end = Some(index + 1);
                        break;
                    }
                } else {
                    value.push(c);
                }
            }
            let end = end.context("unterminated parameter value")?;
            values.push((number, Some(value)));
            rest = &after[end..];
        }
        rest = rest.trim_start_matches(',').trim_start();
    }
    Ok(values)
}

/// The statements of `pids` in a slice of PostgreSQL's log written with `log_statement = all`.
pub fn statements_in_log(log: &str, pids: &[u32]) -> anyhow::Result<Vec<Statement>> {
    let mut statements: Vec<(u32, Statement)> = Vec::new();
    for (pid, level, message) in log_entries(log) {
        if !pids.contains(&pid) {
            continue;
        }
        if level == "LOG" {
            let text = if let Some(rest) = message.strip_prefix("execute ") {
                rest.split_once(": ").map(|(_, text)| text.to_string())
            } else {
                message.strip_prefix("statement: ").map(str::to_string)
            };
            if let Some(text) = text {
                statements.push((
                    pid,
                    Statement {
                        text,
                        parameters: Vec::new(),
                    },
                ));
            }
        } else if level == "DETAIL" {
            let lower = message.to_ascii_lowercase();
            if let Some(rest) = lower
                .starts_with("parameters: ")
                .then(|| &message["parameters: ".len()..])
            {
                // The parameters belong to the last statement of the same backend.
                if let Some((_, statement)) = statements.iter_mut().rev().find(|(p, _)| *p == pid) {
                    let parsed = parse_parameters(rest)?;
                    let count = parsed.iter().map(|(n, _)| *n).max().unwrap_or(0);
                    statement.parameters = vec![None; count];
                    for (number, value) in parsed {
                        statement.parameters[number - 1] = value;
                    }
                }
            }
        }
    }
    Ok(statements.into_iter().map(|(_, s)| s).collect())
}

/// A pgbench script of `statements` and its `-D name=value` variables: each `$N` becomes `:sK_N`, so pgbench
/// (`-M prepared`) sends it as a parameter of a prepared statement, as the server does; NULLs are written
/// in.
pub fn pgbench_script(statements: &[Statement]) -> (String, Vec<(String, String)>) {
    let mut script = String::new();
    let mut variables = Vec::new();
    for (index, statement) in statements.iter().enumerate() {
        let mut text = String::new();
        let mut chars = statement.text.chars().peekable();
        while let Some(c) = chars.next() {
            if c == '$' && chars.peek().is_some_and(char::is_ascii_digit) {
                let mut digits = String::new();
                while let Some(d) = chars.peek().copied().filter(char::is_ascii_digit) {
                    digits.push(d);
                    chars.next();
                }
                let number: usize = digits.parse().unwrap_or(0);
                match statement.parameters.get(number.wrapping_sub(1)) {
                    Some(Some(value)) => {
                        let name = format!("s{index}_{number}");
                        if !variables.iter().any(|(n, _)| *n == name) {
                            variables.push((name.clone(), value.clone()));
                        }
                        text.push(':');
                        text.push_str(&name);
                        if let Some(cast) = cast_for(value) {
                            text.push_str("::");
                            text.push_str(cast);
                        }
                    }
                    Some(None) => text.push_str("NULL"),
                    None => {
                        text.push('$');
                        text.push_str(&digits);
                    }
                }
            } else {
                text.push(c);
            }
        }
        script.push_str(text.trim().trim_end_matches(';'));
        script.push_str(";\n");
    }
    (script, variables)
}

/// The type a logged parameter value must be read as when PostgreSQL cannot infer it from the statement
/// alone (the server prepares some statements with explicit types, e.g. `$3 - interval '7 days'`): an
/// instant in PostgreSQL's output format is a `timestamptz`, a bare date a `date`.
fn cast_for(value: &str) -> Option<&'static str> {
    let bytes = value.as_bytes();
    let digits = |range: std::ops::Range<usize>| {
        bytes
            .get(range)
            .is_some_and(|b| b.iter().all(u8::is_ascii_digit))
    };
    let date = digits(0..4)
        && bytes.get(4) == Some(&b'-')
        && digits(5..7)
        && bytes.get(7) == Some(&b'-')
        && digits(8..10);
    if !date {
        return None;
    }
    if bytes.len() == 10 {
        return Some("date");
    }
    let instant = bytes.get(10) == Some(&b' ')
        && digits(11..13)
        && bytes.get(13) == Some(&b':')
        && value[10..]
            .rfind(['+', '-'])
            .is_some_and(|at| digits(10 + at + 1..10 + at + 3));
    instant.then_some("timestamptz")
}

/// Where to reach PostgreSQL for pgbench and psql.
pub struct PgTarget {
    pub port: u16,
    pub password: String,
    pub database: String,
}

/// How long pgbench runs.
#[derive(Debug, Clone, Copy)]
pub enum Limit {
    Seconds(u32),
    /// Per client.
    Transactions(u32),
}

/// `pgbench -M prepared -f script` at `clients` connections for `seconds`: transactions (= requests' worth
/// of statements) per second and latency percentiles from its per-transaction log.
pub fn pgbench(
    target: &PgTarget,
    script: &str,
    variables: &[(String, String)],
    clients: u32,
    limit: Limit,
    work_dir: &Path,
) -> anyhow::Result<Figures> {
    let bin = crate::prereq::postgres_bin_dir()
        .map(|dir| dir.join("pgbench"))
        .filter(|path| path.exists())
        .or_else(|| crate::prereq::which("pgbench"))
        .context("pgbench not found (it comes with Debian's postgresql packages)")?;
    std::fs::create_dir_all(work_dir)?;
    for entry in std::fs::read_dir(work_dir)? {
        let path = entry?.path();
        if path
            .file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with("pgbench_log"))
        {
            std::fs::remove_file(path)?;
        }
    }
    let script_path = work_dir.join("statements.sql");
    std::fs::write(&script_path, script)?;
    let mut command = Command::new(bin);
    command
        .current_dir(work_dir)
        .env("PGPASSWORD", &target.password)
        // The server's pool turns PostgreSQL's JIT off (crates/storage-postgres/src/pool.rs); so does this.
        .env("PGOPTIONS", "-c jit=off")
        .args(["-h", "127.0.0.1", "-p", &target.port.to_string()])
        .args(["-U", "crewplots", "-n", "-M", "prepared"])
        .args(["-c", &clients.to_string(), "-j", "2"])
        .args(match limit {
            Limit::Seconds(seconds) => ["-T".to_string(), seconds.to_string()],
            Limit::Transactions(count) => ["-t".to_string(), count.to_string()],
        })
        .args(["-l", "--log-prefix=pgbench_log"])
        .arg("-f")
        .arg(&script_path);
    for (name, value) in variables {
        command.arg("-D").arg(format!("{name}={value}"));
    }
    command.arg(&target.database);
    let output = command
        .stdin(Stdio::null())
        .output()
        .context("cannot run pgbench")?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    if !output.status.success() {
        bail!(
            "pgbench failed ({}):\n{stdout}\n{}",
            output.status,
            String::from_utf8_lossy(&output.stderr)
        );
    }
    let per_second = stdout
        .lines()
        .find(|l| l.starts_with("tps = "))
        .and_then(|l| l.split_whitespace().nth(2))
        .and_then(|v| v.parse::<f64>().ok())
        .with_context(|| format!("no tps in pgbench's output:\n{stdout}"))?;
    let failed = stdout
        .lines()
        .find_map(|l| l.strip_prefix("number of failed transactions: "))
        .and_then(|v| v.split_whitespace().next()?.parse::<u64>().ok())
        .unwrap_or(0);
    let mut latencies: Vec<u32> = Vec::new();
    for entry in std::fs::read_dir(work_dir)? {
        let path: PathBuf = entry?.path();
        if !path
            .file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with("pgbench_log"))
        {
            continue;
        }
        // client_id transaction_no time(µs) script_no time_epoch time_us
        for line in std::fs::read_to_string(&path)?.lines() {
            if let Some(us) = line
                .split_whitespace()
                .nth(2)
                .and_then(|v| v.parse::<u32>().ok())
            {
                latencies.push(us);
            }
        }
    }
    latencies.sort_unstable();
    Ok(Figures {
        per_second,
        p50_ms: percentile_ms(&latencies, 0.50),
        p99_ms: percentile_ms(&latencies, 0.99),
        ok: latencies.len() as u64,
        unavailable: 0,
        errors: failed,
    })
}

// ---- GridFS ------------------------------------------------------------------------------------------

/// The vault's GridFS chunk size (crates/storage-mongo/src/documents.rs).
const CHUNK_SIZE: u32 = 255 * 1024;

/// Uploads `mib` MiB of `pattern` (1 MiB) in 1 MiB writes and downloads it again: (upload MB/s, download
/// MB/s).
pub async fn gridfs_round(
    database: &mongodb::Database,
    mib: usize,
    pattern: &[u8],
) -> anyhow::Result<(f64, f64)> {
    let bucket = database.gridfs_bucket(None);
    let megabytes = (mib * 1024 * 1024) as f64 / 1_000_000.0;
    let started = Instant::now();
    let mut upload = bucket
        .open_upload_stream("raw.pdf")
        .with_options(
            GridFsUploadOptions::builder()
                .chunk_size_bytes(CHUNK_SIZE)
                .build(),
        )
        .await?;
    for _ in 0..mib {
        upload.write_all(pattern).await?;
    }
    upload.close().await?;
    let up = megabytes / started.elapsed().as_secs_f64();
    let id = upload.id().clone();
    let started = Instant::now();
    let mut download = bucket.open_download_stream(id.clone()).await?;
    let mut buffer = vec![0u8; 256 * 1024];
    let mut total = 0usize;
    loop {
        let n = download.read(&mut buffer).await?;
        if n == 0 {
            break;
        }
        total += n;
    }
    let down = megabytes / started.elapsed().as_secs_f64();
    anyhow::ensure!(total == mib * 1024 * 1024, "GridFS gave back {total} bytes");
    bucket.delete(id).await?;
    Ok((up, down))
}

// ---- bcrypt ------------------------------------------------------------------------------------------

/// The median time of three bcrypt hashes at `cost`, in milliseconds.
pub fn bcrypt_hash_ms(cost: u32) -> anyhow::Result<f64> {
    let mut times = Vec::new();
    for _ in 0..3 {
        let started = Instant::now();
        bcrypt::hash("bench administrator password", cost)?;
        times.push(started.elapsed());
    }
    times.sort();
    Ok(times
        .get(1)
        .copied()
        .unwrap_or(Duration::ZERO)
        .as_secs_f64()
        * 1000.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    const LOG: &str = "\
2025-01-01 10:00:00.000 UTC [42] LOG:  execute s1: SELECT a
\tFROM t WHERE id = $1 AND n = $2 AND x = $10
2025-01-01 10:00:00.001 UTC [42] DETAIL:  Parameters: $1 = 'it''s', $2 = NULL, $3 = '3', $4 = '4', $5 = '5', $6 = '6', $7 = '7', $8 = '8', $9 = '9', $10 = '{a,b}'
2025-01-01 10:00:00.002 UTC [43] LOG:  execute s1: SELECT other
2025-01-01 10:00:00.003 UTC [42] LOG:  statement: BEGIN
2025-01-01 10:00:00.004 UTC [42] LOG:  execute <unnamed>: SELECT 1
";

    #[test]
    fn statements_are_read_from_the_log_of_the_chosen_backends() {
        let statements = statements_in_log(LOG, &[42]).unwrap();
        assert_eq!(statements.len(), 3);
        assert_eq!(
            statements[0].text,
            "SELECT a\nFROM t WHERE id = $1 AND n = $2 AND x = $10"
        );
        assert_eq!(statements[0].parameters[0].as_deref(), Some("it's"));
        assert_eq!(statements[0].parameters[1], None);
        assert_eq!(statements[0].parameters[9].as_deref(), Some("{a,b}"));
        assert_eq!(statements[1].text, "BEGIN");
        assert_eq!(statements[2].text, "SELECT 1");
    }

    #[test]
    fn instants_and_dates_get_their_type() {
        assert_eq!(cast_for("2026-12-05 23:00:00+00"), Some("timestamptz"));
        assert_eq!(
            cast_for("2026-12-05 23:00:00.123456+05:30"),
            Some("timestamptz")
        );
        assert_eq!(cast_for("2026-12-05 23:00:00-03"), Some("timestamptz"));
        assert_eq!(cast_for("2026-12-05"), Some("date"));
        assert_eq!(cast_for("2026-12-05 23:00:00"), None);
        assert_eq!(cast_for("2026-W49"), None);
        assert_eq!(cast_for("0b8d6a9e-6c1f-4a43-9d7e-5c1f0e2a9b11"), None);
    }

    #[test]
    fn pgbench_scripts_use_variables_for_parameters_and_write_nulls_in() {
        let statements = statements_in_log(LOG, &[42]).unwrap();
        let (script, variables) = pgbench_script(&statements);
        assert_eq!(
            script,
            "SELECT a\nFROM t WHERE id = :s0_1 AND n = NULL AND x = :s0_10;\nBEGIN;\nSELECT 1;\n"
        );
        assert!(variables.contains(&("s0_1".to_string(), "it's".to_string())));
        assert!(variables.contains(&("s0_10".to_string(), "{a,b}".to_string())));
    }
}

//! `cargo xtask bench`: every scenario of our server against a raw baseline measured in the same run, at the
//! same concurrency, with the same client where the baseline is a client at all:
//! - `me`: `GET /api/auth/me` against one Redis GET of a real session key plus one primary-key select of the
//!   user's row, both driven by the load loop of [`super::load`];
//! - `board`: the hiring board (one venue, all venues) against its own SQL statements — captured from
//!   PostgreSQL's statement log, values included — replayed by `pgbench -M prepared`;
//! - `schedule`: the week grid and a crew member's shifts, the same way;
//! - `upload`: documents of 1, 20 and 100 MiB up and down through HTTP (sealed into GridFS) against GridFS
//!   alone through the same `mongodb` driver; the server's peak RSS growth meanwhile;
//! - `storm`: `/api/auth/me` p99 with and without 20 clients logging in over and over (who wait as a 503's
//!   `Retry-After` asks), at a steady rate of `/me` and at full load; logins per second, by themselves and
//!   beside the steady `/me`, against the machine's cores ÷ one bcrypt hash at the server's cost. A control
//!   row measures the steady `/me` beside threads that only spin at the bcrypt threads' idle priority: what
//!   using the idle cores at all costs.
//!
//! Warm-up, then rounds (each ours, then raw), medians. A table on screen and the figures with the git
//! commit in `target/bench/<time>-<commit>.json`, so two commits can be compared.

use std::io::{Read as _, Seek as _, SeekFrom};
use std::net::SocketAddr;
use std::process::{Command, Stdio};
use std::time::Duration;

use anyhow::{bail, Context as _};
use bytes::Bytes;
use hyper::Method;

use super::load::{self, Conn, Figures, GetWorker, LoginWorker, RssWatch, Sample};
use super::raw::{self, PgTarget, RawMe, Statement};
use super::{
    cpu_ms, first_location, login, schedule_setup, wait_ready, BenchServer, ServerConfig,
    BENCH_PASSWORD,
};
use crate::process::output_of;
use crate::stack;
use crate::tasks::free_port;
use crate::ui;

/// The scenarios, in the order they run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Scenario {
    Me,
    Board,
    Schedule,
    Upload,
    Storm,
}

pub struct BenchOptions {
    /// Scenarios to run (empty: all).
    pub only: Vec<Scenario>,
    /// Rounds, seconds per round, concurrent clients, and whether the database is kept.
    pub shape: super::LoadShape,
    pub applications: u32,
    pub locations: u32,
    /// Crew per location (schedule scenario).
    pub crew: u32,
    pub weeks: u32,
    /// Document sizes of the upload scenario, in MiB.
    pub sizes_mib: Vec<u32>,
    /// Clients logging in at once in the storm scenario.
    pub storm_clients: u32,
    /// `/api/auth/me` requests a second while the storm's p99 is measured.
    pub storm_me_rate: f64,
    /// The server's bcrypt cost (production: 12).
    pub bcrypt_cost: u32,
    /// Run this server binary instead of this checkout's release build.
    pub server_binary: Option<std::path::PathBuf>,
}

/// One figure of ours and of its baseline.
#[derive(Debug, Clone, Copy, Default, serde::Serialize)]
struct Measure {
    value: f64,
    p50_ms: Option<f64>,
    p99_ms: Option<f64>,
}

impl From<Figures> for Measure {
    fn from(f: Figures) -> Self {
        Self {
            value: f.per_second,
            p50_ms: Some(f.p50_ms),
            p99_ms: Some(f.p99_ms),
        }
    }
}

/// A line of the result table.
#[derive(Debug, Clone, serde::Serialize)]
struct Row {
    scenario: String,
    unit: &'static str,
    ours: Measure,
    baseline: String,
    raw: Measure,
    /// ours ÷ raw.
    ratio: f64,
    notes: String,
}

/// The median of each figure over rounds.
fn median(rounds: &[Figures]) -> Figures {
    let pick = |f: fn(&Figures) -> f64| {
        let mut values: Vec<f64> = rounds.iter().map(f).collect();
        values.sort_by(f64::total_cmp);
        values.get(values.len() / 2).copied().unwrap_or_default()
    };
    let total = |f: fn(&Figures) -> u64| rounds.iter().map(f).sum();
    Figures {
        per_second: pick(|r| r.per_second),
        p50_ms: pick(|r| r.p50_ms),
        p99_ms: pick(|r| r.p99_ms),
        ok: total(|r| r.ok),
        unavailable: total(|r| r.unavailable),
        errors: total(|r| r.errors),
    }
}

fn median_of(values: &[f64]) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    sorted.get(sorted.len() / 2).copied().unwrap_or_default()
}

fn round_line(label: &str, f: &Figures) -> String {
    format!(
        "{label} {:>8.0}/s  p50 {:>6.2} ms  p99 {:>7.2} ms",
        f.per_second, f.p50_ms, f.p99_ms
    )
}

struct Run<'a> {
    bench: &'a BenchServer,
    runtime: &'a tokio::runtime::Runtime,
    options: &'a BenchOptions,
    address: SocketAddr,
    rows: Vec<Row>,
    details: serde_json::Map<String, serde_json::Value>,
}

impl Run<'_> {
    fn warm_up(&self) -> Duration {
        Duration::from_secs(u64::from(self.options.shape.seconds.clamp(1, 2)))
    }

    fn round(&self) -> Duration {
        Duration::from_secs(u64::from(self.options.shape.seconds.max(1)))
    }

    fn get_workers(&self, path: &str, cookie: &str, count: u32) -> anyhow::Result<Vec<GetWorker>> {
        (0..count)
            .map(|_| {
                Ok(GetWorker {
                    conn: Conn::new(self.address)?,
                    path: path.to_string(),
                    cookie: cookie.to_string(),
                })
            })
            .collect()
    }

    /// One closed-loop HTTP round of `path`; also the server's CPU per request. Fails on any non-2xx.
    fn http_round(
        &self,
        path: &str,
        cookie: &str,
        duration: Duration,
    ) -> anyhow::Result<(Figures, f64)> {
        let pid = self.bench.server.id();
        let workers = self.get_workers(path, cookie, self.options.shape.connections)?;
        let before = cpu_ms(pid)?;
        let sample = self.runtime.block_on(load::run_group(workers, duration))?;
        let cpu = (cpu_ms(pid)? - before) / (sample.latencies_us.len().max(1) as f64);
        checked(path, &sample)?;
        Ok((sample.figures(), cpu))
    }

    /// Warm-up, then rounds of ours and of the raw baseline in turn; prints each round; the medians.
    fn compare(
        &self,
        name: &str,
        mut ours: impl FnMut(Duration) -> anyhow::Result<(Figures, f64)>,
        mut raw: impl FnMut(Duration) -> anyhow::Result<Figures>,
    ) -> anyhow::Result<(Figures, Figures, f64)> {
        ui::step(&format!("{name}: warm-up"), || {
            ours(self.warm_up())?;
            raw(self.warm_up())
        })?;
        let (mut our_rounds, mut raw_rounds, mut cpu) = (Vec::new(), Vec::new(), Vec::new());
        for index in 0..self.options.shape.rounds {
            let (o, c) = ours(self.round())?;
            let r = raw(self.round())?;
            println!(
                "  {name} round {}: {} | {} | ratio {:.2} | server CPU {c:.2} ms/request",
                index + 1,
                round_line("ours", &o),
                round_line("raw", &r),
                o.per_second / r.per_second.max(1e-9)
            );
            our_rounds.push(o);
            raw_rounds.push(r);
            cpu.push(c);
        }
        Ok((median(&our_rounds), median(&raw_rounds), median_of(&cpu)))
    }

    fn push(
        &mut self,
        scenario: &str,
        unit: &'static str,
        ours: Measure,
        baseline: &str,
        raw: Measure,
        notes: String,
    ) {
        self.rows.push(Row {
            scenario: scenario.to_string(),
            unit,
            ours,
            baseline: baseline.to_string(),
            raw,
            ratio: ours.value / raw.value.max(1e-9),
            notes,
        });
    }

    fn pg_target(&self) -> anyhow::Result<PgTarget> {
        let url = self.bench.setting("DATABASE_URL");
        let port = url
            .rsplit_once(':')
            .and_then(|(_, rest)| rest.split('/').next()?.parse().ok())
            .context("no port in DATABASE_URL")?;
        Ok(PgTarget {
            port,
            password: self.bench.stack.secrets()?.postgres_password,
            database: self.bench.database.clone(),
        })
    }

    /// An HTTP screen against pgbench replaying its statements.
    fn screen_vs_pgbench(
        &mut self,
        name: &str,
        path: &str,
        cookie: &str,
        statements: &[Statement],
        per_request: f64,
    ) -> anyhow::Result<()> {
        let (script, variables) = raw::pgbench_script(statements);
        let target = self.pg_target()?;
        let work_dir = stack::target_dir().join("bench").join("pgbench");
        let clients = self.options.shape.connections;
        self.details.insert(
            format!("{name}: statements"),
            serde_json::json!(statements.iter().map(|s| &s.text).collect::<Vec<_>>()),
        );
        // One transaction first: a statement pgbench cannot replay (a parameter type it cannot infer) leaves
        // this screen without a baseline instead of ending the run.
        if let Err(error) = raw::pgbench(
            &target,
            &script,
            &variables,
            1,
            raw::Limit::Transactions(1),
            &work_dir,
        ) {
            let first = format!("{error:#}")
                .lines()
                .find(|l| l.contains("ERROR"))
                .unwrap_or("pgbench failed")
                .to_string();
            println!("  {name}: pgbench cannot replay the statements ({first}); ours only");
            let mut rounds = Vec::new();
            for _ in 0..self.options.shape.rounds {
                rounds.push(self.http_round(path, cookie, self.round())?.0);
            }
            self.push(
                name,
                "req/s",
                median(&rounds).into(),
                "pgbench (could not replay; see notes)",
                Measure {
                    value: f64::NAN,
                    p50_ms: None,
                    p99_ms: None,
                },
                format!("{per_request:.1} SQL statements/request; pgbench: {first}"),
            );
            return Ok(());
        }
        let (ours, raw, cpu) = self.compare(
            name,
            |d| self.http_round(path, cookie, d),
            |d| {
                raw::pgbench(
                    &target,
                    &script,
                    &variables,
                    clients,
                    raw::Limit::Seconds(u32::try_from(d.as_secs()).unwrap_or(1).max(1)),
                    &work_dir,
                )
            },
        )?;
        self.push(
            name,
            "req/s",
            ours.into(),
            &format!("pgbench of its {} statements", statements.len()),
            raw.into(),
            format!("{per_request:.1} SQL statements/request; server CPU {cpu:.2} ms/request"),
        );
        Ok(())
    }
}

/// Fails when a load round got anything but 2xx answers.
fn checked(what: &str, sample: &Sample) -> anyhow::Result<()> {
    let figures = sample.figures();
    if figures.errors > 0 || figures.unavailable > 0 {
        bail!("{what} answered {}", sample.statuses_text());
    }
    if figures.ok == 0 {
        bail!("{what}: no request completed");
    }
    Ok(())
}

/// A second server process on the bench database whose PostgreSQL sessions log every statement with its
/// parameter values (`log_statement = all`, set for its connections only); each request is sent once to
/// warm up, then once more with its log lines read back.
fn capture(bench: &BenchServer, requests: &[(&str, &str)]) -> anyhow::Result<Vec<Vec<Statement>>> {
    const APPLICATION: &str = "crewplots_capture";
    let log_path = stack::target_dir()
        .join("test-stack")
        .join("postgres")
        .join("server.log");
    anyhow::ensure!(
        log_path.exists(),
        "PostgreSQL's log {} is not there",
        log_path.display()
    );
    let port = free_port()?;
    let base = format!("http://127.0.0.1:{port}");
    let mut env = bench.env.clone();
    for (name, value) in &mut env {
        match name.as_str() {
            "DATABASE_URL" => {
                let separator = if value.contains('?') { '&' } else { '?' };
                *value = format!(
                    "{value}{separator}application_name={APPLICATION}&options=-c%20log_statement%3Dall"
                );
            }
            "PORT" => *value = port.to_string(),
            "PUBLIC_URL" => value.clone_from(&base),
            _ => {}
        }
    }
    // No background work while requests are captured.
    env.push(("CREWPLOTS__MAIL__POLL_INTERVAL_MS".into(), "3600000".into()));
    env.push((
        "CREWPLOTS__RETENTION__INTERVAL_MINUTES".into(),
        "100000".into(),
    ));
    let log = std::fs::File::create(stack::target_dir().join("bench-capture-server.log"))?;
    let child = Command::new(&bench.binary)
        .envs(env)
        .stdin(Stdio::null())
        .stdout(log.try_clone()?)
        .stderr(log)
        .spawn()
        .context("cannot start the capturing server")?;
    struct Stop(std::process::Child);
    impl Drop for Stop {
        fn drop(&mut self) {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
    let _child = Stop(child);
    wait_ready(&base)?;
    // Its start-up work (migrations check, sweep, first retention run) is over before the first capture.
    std::thread::sleep(Duration::from_millis(500));
    let fetch = |path: &str, cookie: &str| {
        output_of(
            Command::new("curl").args([
                "-sf",
                "-o",
                "/dev/null",
                "-H",
                &format!("Cookie: {cookie}"),
                &format!("{base}{path}"),
            ]),
            path,
        )
    };
    let mut captured = Vec::new();
    for (path, cookie) in requests {
        fetch(path, cookie)?;
        let offset = std::fs::metadata(&log_path)?.len();
        fetch(path, cookie)?;
        std::thread::sleep(Duration::from_millis(300));
        let mut file = std::fs::File::open(&log_path)?;
        file.seek(SeekFrom::Start(offset))?;
        let mut text = String::new();
        file.read_to_string(&mut text)?;
        let pids: Vec<u32> = bench
            .psql(&format!(
                "SELECT pid FROM pg_stat_activity WHERE application_name = '{APPLICATION}'"
            ))?
            .lines()
            .filter_map(|l| l.trim().parse().ok())
            .collect();
        let statements = raw::statements_in_log(&text, &pids)?;
        anyhow::ensure!(
            !statements.is_empty(),
            "no statements of {path} in PostgreSQL's log"
        );
        captured.push(statements);
    }
    Ok(captured)
}

/// A multipart body with one part `file` of `mib` MiB of `pattern` (which starts like a PDF).
fn multipart(boundary: &str, pattern: &[u8], mib: u32) -> Bytes {
    let head = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"bench.pdf\"\r\n\
         Content-Type: application/pdf\r\n\r\n"
    );
    let tail = format!("\r\n--{boundary}--\r\n");
    let mut body = Vec::with_capacity(head.len() + pattern.len() * mib as usize + tail.len());
    body.extend_from_slice(head.as_bytes());
    for _ in 0..mib {
        body.extend_from_slice(pattern);
    }
    body.extend_from_slice(tail.as_bytes());
    Bytes::from(body)
}

/// 1 MiB that starts like a PDF (the server decides the type from the first bytes), the rest varied.
fn pdf_pattern() -> Vec<u8> {
    let mut pattern = b"%PDF-1.7\n".to_vec();
    pattern.extend((pattern.len()..1024 * 1024).map(|i| (i * 31 % 251) as u8));
    pattern
}

/// Uploads, downloads and deletes one document: (upload MB/s, download MB/s).
async fn http_document_round(
    conn: &mut Conn,
    cookie: &str,
    owner: &str,
    body: Bytes,
    mib: u32,
) -> anyhow::Result<(f64, f64)> {
    const BOUNDARY: &str = "crewplots-bench-boundary-7c1e";
    let megabytes = f64::from(mib) * 1024.0 * 1024.0 / 1_000_000.0;
    let content_type = format!("multipart/form-data; boundary={BOUNDARY}");
    let started = std::time::Instant::now();
    let answer = conn
        .send(
            Method::POST,
            &format!("/api/people/{owner}/documents?kind=other"),
            &[
                ("content-type", &content_type),
                ("x-crewplots-csrf", "1"),
                ("cookie", cookie),
            ],
            body,
            true,
        )
        .await?;
    let up = megabytes / started.elapsed().as_secs_f64();
    if answer.status.as_u16() != 201 {
        bail!(
            "upload of {mib} MiB answered {}: {}",
            answer.status,
            String::from_utf8_lossy(&answer.body)
        );
    }
    let id = answer.json()?["id"]
        .as_str()
        .context("no document id")?
        .to_string();
    let started = std::time::Instant::now();
    let answer = conn
        .send(
            Method::GET,
            &format!("/api/documents/{id}/content"),
            &[("cookie", cookie)],
            Bytes::new(),
            false,
        )
        .await?;
    let down = megabytes / started.elapsed().as_secs_f64();
    anyhow::ensure!(
        answer.status.as_u16() == 200 && answer.length == u64::from(mib) * 1024 * 1024,
        "download of {mib} MiB answered {} with {} bytes",
        answer.status,
        answer.length
    );
    let answer = conn
        .send(
            Method::DELETE,
            &format!("/api/documents/{id}"),
            &[("cookie", cookie), ("x-crewplots-csrf", "1")],
            Bytes::new(),
            true,
        )
        .await?;
    anyhow::ensure!(
        answer.status.is_success(),
        "delete answered {}",
        answer.status
    );
    Ok((up, down))
}

pub fn bench(options: &BenchOptions) -> anyhow::Result<()> {
    if super::rerun_in_release()? {
        return Ok(());
    }
    let wanted = |s: Scenario| options.only.is_empty() || options.only.contains(&s);
    anyhow::ensure!(options.shape.rounds >= 1, "--rounds must be at least 1");
    let started_at = chrono::Utc::now();
    let commit = git(&["rev-parse", "HEAD"]).unwrap_or_else(|| "unknown".into());
    let dirty =
        git(&["status", "--porcelain", "--untracked-files=no"]).is_some_and(|s| !s.is_empty());
    let max_mib = options.sizes_mib.iter().copied().max().unwrap_or(1);
    let seed_args = [
        "--applications".to_string(),
        if wanted(Scenario::Board) {
            options.applications
        } else {
            20
        }
        .to_string(),
        "--locations".into(),
        options.locations.to_string(),
        "--crew".into(),
        if wanted(Scenario::Schedule) {
            options.crew
        } else {
            0
        }
        .to_string(),
        "--weeks".into(),
        if wanted(Scenario::Schedule) {
            options.weeks
        } else {
            0
        }
        .to_string(),
    ];
    let bench = BenchServer::start_configured(
        &seed_args,
        options.shape.keep,
        ServerConfig {
            release: true,
            bcrypt_cost: options.bcrypt_cost,
            env: vec![(
                "CREWPLOTS__DOCUMENTS__MAX_BYTES".into(),
                (u64::from(max_mib.max(10)) * 1024 * 1024 + 1024 * 1024).to_string(),
            )],
            binary: options.server_binary.clone(),
        },
    )?;
    let pid = bench.server.id();
    let idle_rss = load::memory_kib(pid, "VmRSS")?;
    println!("server idle: RSS {:.1} MiB", idle_rss as f64 / 1024.0);
    let runtime = load::runtime()?;
    let mut run = Run {
        bench: &bench,
        runtime: &runtime,
        options,
        address: load::address(&bench.base)?,
        rows: Vec::new(),
        details: serde_json::Map::new(),
    };
    let admin: serde_json::Value = bench.get("/api/auth/me")?;
    let admin_id = admin["id"]
        .as_str()
        .context("no id in /api/auth/me")?
        .to_string();
    if wanted(Scenario::Me) {
        scenario_me(&mut run, &admin_id)?;
    }
    if wanted(Scenario::Board) {
        scenario_board(&mut run)?;
    }
    if wanted(Scenario::Schedule) {
        scenario_schedule(&mut run)?;
    }
    if wanted(Scenario::Upload) {
        scenario_upload(&mut run, &admin_id)?;
    }
    if wanted(Scenario::Storm) {
        scenario_storm(&mut run)?;
    }
    let after_rss = load::memory_kib(pid, "VmRSS")?;
    let peak_rss = load::memory_kib(pid, "VmHWM")?;
    let Run { rows, details, .. } = run;
    print_table(options, &rows);
    println!(
        "\nserver RSS: idle {:.1} MiB, after the run {:.1} MiB, peak {:.1} MiB",
        idle_rss as f64 / 1024.0,
        after_rss as f64 / 1024.0,
        peak_rss as f64 / 1024.0
    );
    let report = serde_json::json!({
        "commit": commit,
        "dirty": dirty,
        "startedAt": started_at.to_rfc3339(),
        "cores": cores(),
        "options": {
            "scenarios": options.only.iter().map(|s| format!("{s:?}").to_lowercase()).collect::<Vec<_>>(),
            "rounds": options.shape.rounds,
            "seconds": options.shape.seconds,
            "connections": options.shape.connections,
            "applications": options.applications,
            "locations": options.locations,
            "crew": options.crew,
            "weeks": options.weeks,
            "sizesMib": options.sizes_mib,
            "stormClients": options.storm_clients,
            "stormMeRate": options.storm_me_rate,
            "serverBinary": options.server_binary,
            "bcryptCost": options.bcrypt_cost,
        },
        "rssKib": {"idle": idle_rss, "afterRun": after_rss, "peak": peak_rss},
        "rows": rows,
        "details": details,
    });
    let dir = stack::target_dir().join("bench");
    std::fs::create_dir_all(&dir)?;
    let short: String = commit.chars().take(12).collect();
    let path = dir.join(format!(
        "{}-{short}{}.json",
        started_at.format("%Y%m%dT%H%M%SZ"),
        if dirty { "-dirty" } else { "" }
    ));
    std::fs::write(&path, serde_json::to_string_pretty(&report)?)?;
    println!("figures written to {}", path.display());
    Ok(())
}

/// What the storm and control rows owe to the kernel's scheduling groups, when it has them: `SCHED_IDLE`
/// ranks a thread below the others of its own group only. With autogroup on, each session is a group, so
/// the server's idle bcrypt threads compete with PostgreSQL's and Redis's processes as one normal group,
/// and a store woken meanwhile can wait for a time slice (measured on the 2-core CI machine: 4.9× with
/// autogroup, 1.6× without).
fn scheduling_groups_note() -> &'static str {
    match std::fs::read_to_string("/proc/sys/kernel/sched_autogroup_enabled") {
        Ok(value) if value.trim() == "1" => {
            "; kernel.sched_autogroup_enabled=1: SCHED_IDLE ranks the bcrypt threads below requests only \
             within the server's own scheduling group, not below PostgreSQL and Redis, so the threads also \
             step aside by themselves while requests are served (see README)"
        }
        _ => "",
    }
}

/// Threads that spin at the idle CPU priority until dropped: the storm scenario's control.
struct Spinners {
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
    threads: Vec<std::thread::JoinHandle<()>>,
}

impl Spinners {
    fn start(count: usize) -> Self {
        use std::sync::atomic::{AtomicBool, Ordering};
        let stop = std::sync::Arc::new(AtomicBool::new(false));
        let threads = (0..count)
            .map(|_| {
                let stop = std::sync::Arc::clone(&stop);
                std::thread::spawn(move || {
                    crewplots_crypto::password::lower_priority();
                    while !stop.load(Ordering::Relaxed) {
                        std::hint::spin_loop();
                    }
                })
            })
            .collect();
        Self { stop, threads }
    }
}

impl Drop for Spinners {
    fn drop(&mut self) {
        self.stop.store(true, std::sync::atomic::Ordering::Relaxed);
        for thread in self.threads.drain(..) {
            let _ = thread.join();
        }
    }
}

fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, usize::from)
}

/// Read-only git: the output of `git ARGS`, if it ran.
fn git(args: &[&str]) -> Option<String> {
    let output = Command::new("git")
        .args(args)
        .current_dir(stack::repo_root())
        .stderr(Stdio::null())
        .output()
        .ok()?;
    output
        .status
        .success()
        .then(|| String::from_utf8_lossy(&output.stdout).trim().to_string())
}

fn print_table(options: &BenchOptions, rows: &[Row]) {
    println!(
        "\nmedians of {} rounds × {} s, {} clients ({} cores):",
        options.shape.rounds,
        options.shape.seconds,
        options.shape.connections,
        cores()
    );
    println!(
        "  {:<34} {:>16} {:>17}  {:<44} {:>16} {:>17} {:>6}",
        "scenario", "ours", "p50/p99 ms", "raw baseline", "raw", "p50/p99 ms", "ratio"
    );
    let latency = |m: &Measure| match (m.p50_ms, m.p99_ms) {
        (Some(p50), Some(p99)) => format!("{p50:.2}/{p99:.2}"),
        _ => "-".to_string(),
    };
    for row in rows {
        println!(
            "  {:<34} {:>10.1} {:<5} {:>17}  {:<44} {:>10.1} {:<5} {:>17} {:>6.2}",
            row.scenario,
            row.ours.value,
            row.unit,
            latency(&row.ours),
            row.baseline,
            row.raw.value,
            row.unit,
            latency(&row.raw),
            row.ratio
        );
        if !row.notes.is_empty() {
            println!("  {:<34} {}", "", row.notes);
        }
    }
}

fn scenario_me(run: &mut Run<'_>, admin_id: &str) -> anyhow::Result<()> {
    let bench = run.bench;
    let redis_url = bench.setting("REDIS_URL");
    let database_url = bench.setting("DATABASE_URL");
    let keys = run
        .runtime
        .block_on(raw::session_keys(&redis_url, &bench.redis_prefix))?;
    let (key, size) = keys
        .into_iter()
        .next()
        .context("no session key of the bench server in Redis")?;
    println!("raw side: GET of the session key {key} ({size} bytes) + the users row of {admin_id}");
    let user: uuid::Uuid = admin_id.parse()?;
    let statements = bench.statements_per_request("/api/auth/me", 20)?;
    let connections = run.options.shape.connections;
    let (ours, raw, cpu) = run.compare(
        "GET /api/auth/me",
        |d| run.http_round("/api/auth/me", &bench.cookie, d),
        |d| {
            run.runtime.block_on(async {
                let mut workers = Vec::new();
                for _ in 0..connections {
                    workers.push(RawMe::connect(&redis_url, &database_url, &key, user).await?);
                }
                let sample = load::run_group(workers, d).await?;
                checked("raw Redis GET + select", &sample)?;
                Ok(sample.figures())
            })
        },
    )?;
    run.push(
        "GET /api/auth/me",
        "req/s",
        ours.into(),
        "1 Redis GET + 1 PostgreSQL PK select",
        raw.into(),
        format!("{statements:.1} SQL statements/request; server CPU {cpu:.2} ms/request"),
    );
    Ok(())
}

fn scenario_board(run: &mut Run<'_>) -> anyhow::Result<()> {
    let bench = run.bench;
    let location = first_location(&bench.base, &bench.cookie)?;
    let board = bench.get("/api/applications/board")?;
    println!("board: {} applications in total", board["total"]);
    let one = format!("/api/applications/board?location={location}");
    let all = "/api/applications/board".to_string();
    let captured = ui::step("Capturing the board's SQL statements", || {
        capture(bench, &[(&one, &bench.cookie), (&all, &bench.cookie)])
    })?;
    for ((name, path), statements) in [
        ("board, one location", &one),
        ("board, all locations", &all),
    ]
    .into_iter()
    .zip(captured)
    {
        let per_request = bench.statements_per_request(path, 20)?;
        run.screen_vs_pgbench(name, path, &bench.cookie, &statements, per_request)?;
    }
    Ok(())
}

fn scenario_schedule(run: &mut Run<'_>) -> anyhow::Result<()> {
    let bench = run.bench;
    let setup = schedule_setup(bench)?;
    let my_shifts = "/api/me/shifts?pastDays=30";
    let targets = [
        ("week grid", setup.grid_path.as_str(), bench.cookie.as_str()),
        ("my shifts", my_shifts, setup.crew_cookie.as_str()),
    ];
    let captured = ui::step("Capturing the scheduling screens' SQL statements", || {
        capture(
            bench,
            &targets.iter().map(|(_, p, c)| (*p, *c)).collect::<Vec<_>>(),
        )
    })?;
    for ((name, path, cookie), statements) in targets.into_iter().zip(captured) {
        let per_request = bench.statements_per_request_as(cookie, path, 20)?;
        run.screen_vs_pgbench(name, path, cookie, &statements, per_request)?;
    }
    run.details.insert(
        "schedule: other screens".into(),
        serde_json::json!({
            "location": setup.location,
            "eligible": setup.eligible_path,
            "published": setup.published_path,
            "feed": setup.feed_path,
            "weeks": setup.weeks.len(),
        }),
    );
    Ok(())
}

fn scenario_upload(run: &mut Run<'_>, admin_id: &str) -> anyhow::Result<()> {
    let bench = run.bench;
    let pid = bench.server.id();
    let pattern = pdf_pattern();
    let mongodb_url = bench.setting("MONGODB_URL");
    let raw_name = format!("{}_raw", bench.database);
    let address = run.address;
    let cookie = bench.cookie.clone();
    let rounds = run.options.shape.rounds;
    let sizes = run.options.sizes_mib.clone();
    let rss_before = load::memory_kib(pid, "VmRSS")?;
    let (results, peak) = run.runtime.block_on(async {
        let client = mongodb::Client::with_uri_str(&mongodb_url).await?;
        let database = client.database(&raw_name);
        let watch = RssWatch::start(pid);
        let mut conn = Conn::new(address)?;
        // Warm-up: one small document each way.
        let small = multipart("crewplots-bench-boundary-7c1e", &pattern, 1);
        http_document_round(&mut conn, &cookie, admin_id, small, 1).await?;
        raw::gridfs_round(&database, 1, &pattern).await?;
        let mut results = Vec::new();
        for &mib in &sizes {
            let body = multipart("crewplots-bench-boundary-7c1e", &pattern, mib);
            let (mut ours_up, mut ours_down, mut raw_up, mut raw_down) =
                (Vec::new(), Vec::new(), Vec::new(), Vec::new());
            for index in 0..rounds {
                let (up, down) =
                    http_document_round(&mut conn, &cookie, admin_id, body.clone(), mib).await?;
                let (r_up, r_down) = raw::gridfs_round(&database, mib as usize, &pattern).await?;
                println!(
                    "  {mib} MiB round {}: ours up {up:.1} MB/s, down {down:.1} MB/s | raw GridFS up \
                     {r_up:.1} MB/s, down {r_down:.1} MB/s",
                    index + 1
                );
                ours_up.push(up);
                ours_down.push(down);
                raw_up.push(r_up);
                raw_down.push(r_down);
            }
            results.push((
                mib,
                median_of(&ours_up),
                median_of(&ours_down),
                median_of(&raw_up),
                median_of(&raw_down),
            ));
        }
        let peak = watch.peak_kib();
        database.drop().await?;
        // Closed here, while the runtime still runs: a client dropped by the runtime's own shutdown makes
        // the driver's connection tasks panic on their closed channel.
        client.shutdown().await;
        anyhow::Ok((results, peak))
    })?;
    let growth = peak.saturating_sub(rss_before) as f64 / 1024.0;
    for (mib, up, down, r_up, r_down) in results {
        let mb = |value| Measure {
            value,
            p50_ms: None,
            p99_ms: None,
        };
        run.push(
            &format!("upload {mib} MiB"),
            "MB/s",
            mb(up),
            "GridFS upload, same driver",
            mb(r_up),
            String::new(),
        );
        run.push(
            &format!("download {mib} MiB"),
            "MB/s",
            mb(down),
            "GridFS download, same driver",
            mb(r_down),
            String::new(),
        );
    }
    if let Some(last) = run.rows.last_mut() {
        last.notes = format!(
            "server RSS during uploads/downloads: {:.1} MiB before, peak growth {growth:.1} MiB",
            rss_before as f64 / 1024.0
        );
    }
    run.details.insert(
        "upload: rss".into(),
        serde_json::json!({"beforeKib": rss_before, "peakKib": peak, "peakGrowthMib": growth}),
    );
    Ok(())
}

fn scenario_storm(run: &mut Run<'_>) -> anyhow::Result<()> {
    let bench = run.bench;
    let cost = run.options.bcrypt_cost;
    let hash_ms = ui::step(&format!("Timing one bcrypt hash at cost {cost}"), || {
        raw::bcrypt_hash_ms(cost)
    })?;
    let bound = cores() as f64 * 1000.0 / hash_ms.max(1e-9);
    println!(
        "  one hash {hash_ms:.1} ms; {} cores ÷ one hash = {bound:.1} logins/s",
        cores()
    );
    bench.create_admin("bench.storm")?;
    let body = serde_json::json!({"login": "bench.storm", "password": BENCH_PASSWORD});
    // The storm's account logs in once by itself first (a wrong-cost hash would be upgraded then).
    login(&bench.base, "bench.storm", BENCH_PASSWORD)?;
    let storm_clients = run.options.storm_clients;
    let connections = run.options.shape.connections;
    let address = run.address;
    let me_workers = |run: &Run<'_>| run.get_workers("/api/auth/me", &bench.cookie, connections);
    let login_workers = || -> anyhow::Result<Vec<LoginWorker>> {
        (0..storm_clients)
            .map(|_| {
                Ok(LoginWorker {
                    conn: Conn::new(address)?,
                    body: body.clone(),
                })
            })
            .collect()
    };
    let rate = run.options.storm_me_rate;
    // Warm-up: both at once, briefly.
    ui::step("storm: warm-up", || {
        let (me, logins) = (me_workers(run)?, login_workers()?);
        run.runtime.block_on(async {
            let (a, b) = tokio::join!(
                load::run_paced(me, run.warm_up(), rate),
                load::run_group(logins, run.warm_up())
            );
            a?;
            b?;
            anyhow::Ok(())
        })
    })?;
    // Two shapes of `/me` traffic: a steady rate (the staff's screens: the target), and as many requests as
    // the server answers (a saturated server shares its cores with bcrypt, so this one shows what is left).
    let (mut paced_quiet, mut paced_storm, mut full_quiet, mut full_storm, mut login_rounds) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let mut paced_spin = Vec::new();
    let (mut alone_rounds, mut alone_statuses) = (Vec::new(), Sample::default());
    let mut login_statuses = Sample::default();
    for index in 0..run.options.shape.rounds {
        let quiet = run
            .runtime
            .block_on(load::run_paced(me_workers(run)?, run.round(), rate))?;
        checked("/api/auth/me without the storm", &quiet)?;
        // The control: the same rate while every core spins at the idle priority the server's bcrypt
        // threads run at, in this process, sharing nothing with the server. What this costs `/me` is
        // what any use of the idle cores costs on this machine's scheduler, before any login work.
        let spinning = Spinners::start(cores());
        let spin = run
            .runtime
            .block_on(load::run_paced(me_workers(run)?, run.round(), rate));
        drop(spinning);
        let spin = spin?;
        checked("/api/auth/me beside idle-priority spinning", &spin)?;
        let (me, logins) = (me_workers(run)?, login_workers()?);
        let (during, logins) = run.runtime.block_on(async {
            let (a, b) = tokio::join!(
                load::run_paced(me, run.round(), rate),
                load::run_group(logins, run.round())
            );
            anyhow::Ok((a?, b?))
        })?;
        checked("/api/auth/me during the storm", &during)?;
        let full = run
            .runtime
            .block_on(load::run_group(me_workers(run)?, run.round()))?;
        checked("/api/auth/me at full load without the storm", &full)?;
        let (me, storm) = (me_workers(run)?, login_workers()?);
        let (full_during, _) = run.runtime.block_on(async {
            let (a, b) = tokio::join!(
                load::run_group(me, run.round()),
                load::run_group(storm, run.round())
            );
            anyhow::Ok((a?, b?))
        })?;
        checked("/api/auth/me at full load during the storm", &full_during)?;
        // The logins by themselves: the hashing threads step aside while requests are served, so beside the
        // steady `/me` they get the cores' time less what `/me` takes.
        let alone = run
            .runtime
            .block_on(load::run_group(login_workers()?, run.round()))?;
        alone_rounds.push(alone.figures());
        alone_statuses.merge(alone);
        let (q, d, l) = (quiet.figures(), during.figures(), logins.figures());
        let (fq, fd, sp) = (full.figures(), full_during.figures(), spin.figures());
        println!(
            "  storm round {}: me at {rate:.0}/s p99 {:.2} ms without, {:.2} ms during the storm ({:.2} ms \
             beside idle-priority spinning); logins {:.1}/s, p50 {:.0} ms, p99 {:.0} ms, answers {}; me at \
             full load p99 {:.2} ms ({:.0}/s) without, {:.2} ms ({:.0}/s) during",
            index + 1,
            q.p99_ms,
            d.p99_ms,
            sp.p99_ms,
            l.per_second,
            l.p50_ms,
            l.p99_ms,
            logins.statuses_text(),
            fq.p99_ms,
            fq.per_second,
            fd.p99_ms,
            fd.per_second,
        );
        paced_quiet.push(q);
        paced_storm.push(d);
        paced_spin.push(sp);
        full_quiet.push(fq);
        full_storm.push(fd);
        login_rounds.push(l);
        login_statuses.merge(logins);
    }
    let logins = median(&login_rounds);
    let p99 = |f: &Figures| Measure {
        value: f.p99_ms,
        p50_ms: Some(f.p50_ms),
        p99_ms: Some(f.p99_ms),
    };
    let (quiet, during) = (median(&paced_quiet), median(&paced_storm));
    run.push(
        &format!("me p99 at {rate:.0}/s, {storm_clients}-way storm"),
        "ms",
        p99(&during),
        "me p99 at the same rate without the storm",
        p99(&quiet),
        format!(
            "ratio is the slow-down (target ≤ 3×); {} and {} answers{}",
            during.ok,
            quiet.ok,
            scheduling_groups_note()
        ),
    );
    let spin = median(&paced_spin);
    run.push(
        &format!("control: me p99 at {rate:.0}/s, cores spinning"),
        "ms",
        p99(&spin),
        "me p99 at the same rate, cores idle",
        p99(&quiet),
        format!(
            "{} threads spin at idle priority (SCHED_IDLE, as the server's bcrypt threads) in the bench, \
             sharing nothing with the server: the slow-down any use of the idle cores brings here",
            cores()
        ),
    );
    let (quiet, during) = (median(&full_quiet), median(&full_storm));
    run.push(
        &format!("me p99 at full load, {storm_clients}-way storm"),
        "ms",
        p99(&during),
        "me p99 at full load without the storm",
        p99(&quiet),
        format!(
            "{connections} clients as fast as answered: {:.0} req/s during the storm, {:.0} without \
             (bcrypt takes its share of the cores)",
            during.per_second, quiet.per_second
        ),
    );
    let bound_measure = || Measure {
        value: bound,
        p50_ms: None,
        p99_ms: None,
    };
    let bound_name = format!(
        "{} cores ÷ bcrypt hash ({hash_ms:.0} ms, cost {cost})",
        cores()
    );
    let alone = median(&alone_rounds);
    run.push(
        &format!("logins, {storm_clients} clients"),
        "/s",
        alone.into(),
        &bound_name,
        bound_measure(),
        format!(
            "target ≥ 0.9; nothing else running; login answers over all rounds: {}; 503 busy: {}, errors: {}",
            alone_statuses.statuses_text(),
            alone.unavailable,
            alone.errors
        ),
    );
    run.push(
        &format!("logins, {storm_clients} clients, me at {rate:.0}/s"),
        "/s",
        logins.into(),
        &bound_name,
        bound_measure(),
        format!(
            "beside the storm row's steady me, which the hashing threads step aside for; login answers over \
             all rounds: {}; 503 busy: {}, errors: {}",
            login_statuses.statuses_text(),
            logins.unavailable,
            logins.errors
        ),
    );
    for (what, figures) in [("by themselves", &alone), ("beside me", &logins)] {
        if figures.errors > 0 {
            println!(
                "  note: {} logins {what} failed (not 200, not 503)",
                figures.errors
            );
        }
    }
    Ok(())
}

//! `cargo xtask soak --minutes N`: a steady, mixed load — not maximum throughput — from several simulated
//! users against a release server on a fresh test-stack database: staff open the board, application
//! details and notes, write notes, upload and download documents and read the week grid; crew read their
//! shifts; everyone logs out and in again now and then. Each user sends at a fixed pace (together `--rate`
//! requests per second), so latencies over time and memory over time are comparable minute by minute.
//!
//! Every minute: requests, p50/p99, errors and the server's RSS. At the end: errors by status and code,
//! figures per request kind, RSS drift (last minute against the first after the warm-up minute). Fails on
//! any 5xx, any request without an answer, or RSS drift over 10 %.

use std::collections::{BTreeMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{bail, Context as _};
use bytes::Bytes;
use hyper::Method;

use super::load::{self, percentile_ms, Answer, Conn};
use super::{schedule_setup, BenchServer, ServerConfig, BENCH_PASSWORD};
use crate::stack;

pub struct SoakOptions {
    pub minutes: u32,
    /// Requests per second, all users together.
    pub rate: u32,
    /// Simulated users (half staff, half crew).
    pub users: u32,
    pub bcrypt_cost: u32,
    pub keep: bool,
}

/// What a simulated user does next.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Op {
    Board,
    Application,
    Notes,
    WriteNote,
    Upload,
    Download,
    WeekGrid,
    MyShifts,
    Me,
    Relogin,
}

impl Op {
    fn name(self) -> &'static str {
        match self {
            Op::Board => "board",
            Op::Application => "application detail",
            Op::Notes => "notes",
            Op::WriteNote => "write note",
            Op::Upload => "document upload",
            Op::Download => "document download",
            Op::WeekGrid => "week grid",
            Op::MyShifts => "my shifts",
            Op::Me => "me",
            Op::Relogin => "logout + login",
        }
    }
}

/// A staff member's round: mostly reading the board and applications, sometimes writing.
const STAFF: &[Op] = &[
    Op::Board,
    Op::Application,
    Op::Notes,
    Op::WeekGrid,
    Op::Application,
    Op::Download,
    Op::Board,
    Op::WriteNote,
    Op::Application,
    Op::Upload,
    Op::WeekGrid,
    Op::Me,
    Op::Board,
    Op::Application,
    Op::Notes,
    Op::Download,
    Op::WeekGrid,
    Op::Application,
    Op::Board,
    Op::Relogin,
];

/// A crew member's round.
const CREW: &[Op] = &[
    Op::MyShifts,
    Op::Me,
    Op::MyShifts,
    Op::MyShifts,
    Op::Me,
    Op::MyShifts,
    Op::MyShifts,
    Op::Me,
    Op::MyShifts,
    Op::MyShifts,
    Op::Me,
    Op::MyShifts,
    Op::MyShifts,
    Op::Me,
    Op::MyShifts,
    Op::MyShifts,
    Op::Me,
    Op::MyShifts,
    Op::MyShifts,
    Op::Relogin,
];

/// One request as it went.
#[derive(Debug, Clone)]
struct Record {
    /// Since the soak started.
    at: Duration,
    op: Op,
    /// 0: no answer.
    status: u16,
    code: Option<String>,
    latency_us: u32,
}

/// What the users share: the seeded screens and the documents and notes they made.
struct World {
    grid_path: String,
    /// (application id, applicant id)
    applications: Vec<(String, String)>,
    admin_id: String,
    documents: Mutex<VecDeque<String>>,
    notes: Mutex<VecDeque<String>>,
    records: Mutex<Vec<Record>>,
    started: Instant,
    pdf: Bytes,
}

const BOUNDARY: &str = "crewplots-soak-boundary-51a2";
/// Documents and notes kept at most; older ones are deleted, so the data does not grow without bound.
const KEEP: usize = 10;

struct User {
    login: String,
    cookie: String,
    conn: Conn,
    ops: &'static [Op],
    next: usize,
    counter: usize,
}

impl User {
    fn record(&self, world: &World, op: Op, begun: Instant, answer: &anyhow::Result<Answer>) {
        let (status, code) = match answer {
            Ok(a) => (
                a.status.as_u16(),
                (!a.status.is_success()).then(|| a.error_code()).flatten(),
            ),
            Err(_) => (0, Some("no answer".to_string())),
        };
        let record = Record {
            at: begun.duration_since(world.started),
            op,
            status,
            code,
            latency_us: u32::try_from(begun.elapsed().as_micros()).unwrap_or(u32::MAX),
        };
        if let Ok(mut records) = world.records.lock() {
            records.push(record);
        }
    }

    async fn get(&mut self, world: &World, op: Op, path: &str) -> anyhow::Result<Answer> {
        let begun = Instant::now();
        let answer = self.conn.get(path, &self.cookie).await;
        self.record(world, op, begun, &answer);
        answer
    }

    async fn send(
        &mut self,
        world: &World,
        op: Op,
        method: Method,
        path: &str,
        body: Option<&serde_json::Value>,
    ) -> anyhow::Result<Answer> {
        let begun = Instant::now();
        let answer = match body {
            Some(body) => self.conn.json(method, path, &self.cookie, body).await,
            None => {
                self.conn
                    .send(
                        method,
                        path,
                        &[("cookie", &self.cookie), ("x-crewplots-csrf", "1")],
                        Bytes::new(),
                        true,
                    )
                    .await
            }
        };
        self.record(world, op, begun, &answer);
        answer
    }

    fn pick<'a>(&mut self, items: &'a [(String, String)]) -> Option<&'a (String, String)> {
        self.counter += 1;
        items.get(self.counter.wrapping_mul(7919) % items.len().max(1))
    }

    async fn step(&mut self, world: &World) -> anyhow::Result<()> {
        let op = self.ops[self.next % self.ops.len()];
        self.next += 1;
        match op {
            Op::Board => {
                self.get(world, op, "/api/applications/board").await?;
            }
            Op::Application => {
                if let Some((id, _)) = self.pick(&world.applications) {
                    self.get(world, op, &format!("/api/applications/{id}"))
                        .await?;
                }
            }
            Op::Notes => {
                if let Some((_, person)) = self.pick(&world.applications) {
                    self.get(world, op, &format!("/api/people/{person}/notes"))
                        .await?;
                }
            }
            Op::WriteNote => {
                if let Some((_, person)) = self.pick(&world.applications) {
                    let body =
                        serde_json::json!({"html": format!("<p>Soak note {}.</p>", self.counter)});
                    let answer = self
                        .send(
                            world,
                            op,
                            Method::POST,
                            &format!("/api/people/{person}/notes"),
                            Some(&body),
                        )
                        .await?;
                    if let Some(id) = answer
                        .json()
                        .ok()
                        .and_then(|v| v["id"].as_str().map(str::to_string))
                    {
                        let old = push_bounded(&world.notes, id);
                        if let Some(old) = old {
                            self.send(
                                world,
                                op,
                                Method::DELETE,
                                &format!("/api/notes/{old}"),
                                None,
                            )
                            .await?;
                        }
                    }
                }
            }
            Op::Upload => {
                let begun = Instant::now();
                let content_type = format!("multipart/form-data; boundary={BOUNDARY}");
                let answer = self
                    .conn
                    .send(
                        Method::POST,
                        &format!("/api/people/{}/documents?kind=other", world.admin_id),
                        &[
                            ("content-type", &content_type),
                            ("x-crewplots-csrf", "1"),
                            ("cookie", &self.cookie),
                        ],
                        world.pdf.clone(),
                        true,
                    )
                    .await;
                self.record(world, op, begun, &answer);
                if let Some(id) = answer?
                    .json()
                    .ok()
                    .and_then(|v| v["id"].as_str().map(str::to_string))
                {
                    if let Some(old) = push_bounded(&world.documents, id) {
                        self.send(
                            world,
                            op,
                            Method::DELETE,
                            &format!("/api/documents/{old}"),
                            None,
                        )
                        .await?;
                    }
                }
            }
            Op::Download => {
                let newest = world.documents.lock().ok().and_then(|d| d.back().cloned());
                if let Some(id) = newest {
                    let begun = Instant::now();
                    let answer = self
                        .conn
                        .send(
                            Method::GET,
                            &format!("/api/documents/{id}/content"),
                            &[("cookie", &self.cookie)],
                            Bytes::new(),
                            false,
                        )
                        .await;
                    // Deleted by another user meanwhile: not an error of the server.
                    if !matches!(&answer, Ok(a) if a.status.as_u16() == 404) {
                        self.record(world, op, begun, &answer);
                    }
                }
            }
            Op::WeekGrid => {
                let path = world.grid_path.clone();
                self.get(world, op, &path).await?;
            }
            Op::MyShifts => {
                self.get(world, op, "/api/me/shifts?pastDays=30").await?;
            }
            Op::Me => {
                self.get(world, op, "/api/auth/me").await?;
            }
            Op::Relogin => {
                self.send(world, op, Method::POST, "/api/auth/logout", None)
                    .await?;
                self.cookie.clear();
                let body = serde_json::json!({"login": self.login, "password": BENCH_PASSWORD});
                let answer = self
                    .send(world, op, Method::POST, "/api/auth/login", Some(&body))
                    .await?;
                self.cookie = answer
                    .session_cookie()
                    .context("the login answered without a session cookie")?;
            }
        }
        Ok(())
    }
}

/// Adds `id`; returns the oldest when more than [`KEEP`] are held.
fn push_bounded(list: &Mutex<VecDeque<String>>, id: String) -> Option<String> {
    let mut list = list.lock().ok()?;
    list.push_back(id);
    (list.len() > KEEP).then(|| list.pop_front()).flatten()
}

/// Every `{"id": …, "applicantId": …}` object in a JSON document (the board's cards).
fn cards(value: &serde_json::Value, out: &mut Vec<(String, String)>) {
    match value {
        serde_json::Value::Object(map) => {
            if let (Some(id), Some(applicant)) = (
                map.get("id").and_then(|v| v.as_str()),
                map.get("applicantId").and_then(|v| v.as_str()),
            ) {
                out.push((id.to_string(), applicant.to_string()));
            }
            map.values().for_each(|v| cards(v, out));
        }
        serde_json::Value::Array(items) => items.iter().for_each(|v| cards(v, out)),
        _ => {}
    }
}

/// Latency figures of some records: (count, p50 ms, p99 ms).
fn figures<'a>(records: impl Iterator<Item = &'a Record>) -> (usize, f64, f64) {
    let mut latencies: Vec<u32> = records
        .filter(|r| (200..300).contains(&r.status))
        .map(|r| r.latency_us)
        .collect();
    latencies.sort_unstable();
    (
        latencies.len(),
        percentile_ms(&latencies, 0.50),
        percentile_ms(&latencies, 0.99),
    )
}

fn is_error(record: &Record) -> bool {
    !(200..300).contains(&record.status)
}

pub fn soak(options: &SoakOptions) -> anyhow::Result<()> {
    if super::rerun_in_release()? {
        return Ok(());
    }
    anyhow::ensure!(options.minutes >= 1, "--minutes must be at least 1");
    anyhow::ensure!(
        options.rate >= 1 && options.users >= 2,
        "--rate ≥ 1 and --users ≥ 2"
    );
    let bench = BenchServer::start_configured(
        &[
            "--applications".into(),
            "300".into(),
            "--locations".into(),
            "3".into(),
            "--crew".into(),
            "12".into(),
            "--weeks".into(),
            "4".into(),
        ],
        options.keep,
        ServerConfig {
            release: true,
            bcrypt_cost: options.bcrypt_cost,
            ..ServerConfig::default()
        },
    )?;
    let setup = schedule_setup(&bench)?;
    let board = bench.get("/api/applications/board")?;
    let mut applications = Vec::new();
    cards(&board, &mut applications);
    anyhow::ensure!(!applications.is_empty(), "the board has no cards");
    let admin = bench.get("/api/auth/me")?;
    let admin_id = admin["id"].as_str().context("no id")?.to_string();
    let mut pdf = b"%PDF-1.7\n".to_vec();
    pdf.extend((0..256 * 1024).map(|i: usize| (i * 131 % 251) as u8));
    let mut body = format!(
        "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"soak.pdf\"\r\n\
         Content-Type: application/pdf\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(&pdf);
    body.extend_from_slice(format!("\r\n--{BOUNDARY}--\r\n").as_bytes());

    let pid = bench.server.id();
    let address = load::address(&bench.base)?;
    let runtime = load::runtime()?;
    let staff = options.users.div_ceil(2);
    let period = Duration::from_secs_f64(f64::from(options.users) / f64::from(options.rate));
    println!(
        "soak: {} minutes, {} requests/s from {} users ({staff} staff, {} crew, one request every {:.0} ms \
         each); {} applications on the board",
        options.minutes,
        options.rate,
        options.users,
        options.users - staff,
        period.as_secs_f64() * 1000.0,
        applications.len()
    );
    let total = Duration::from_secs(u64::from(options.minutes) * 60);
    let (records, rss) = runtime.block_on(async {
        // Each user logs in with a session of its own.
        let mut users = Vec::new();
        for index in 0..options.users {
            let login = if index < staff {
                "bench.admin".to_string()
            } else {
                setup.crew.clone()
            };
            let mut conn = Conn::new(address)?;
            let answer = conn
                .json(
                    Method::POST,
                    "/api/auth/login",
                    "",
                    &serde_json::json!({"login": login, "password": BENCH_PASSWORD}),
                )
                .await?;
            anyhow::ensure!(
                answer.status.is_success(),
                "login of {login}: {}",
                answer.status
            );
            let cookie = answer.session_cookie().context("no session cookie")?;
            users.push(User {
                login,
                cookie,
                conn,
                ops: if index < staff { STAFF } else { CREW },
                next: index as usize,
                counter: index as usize * 13,
            });
        }
        let world = Arc::new(World {
            grid_path: setup.grid_path.clone(),
            applications,
            admin_id,
            documents: Mutex::new(VecDeque::new()),
            notes: Mutex::new(VecDeque::new()),
            records: Mutex::new(Vec::new()),
            started: Instant::now(),
            pdf: Bytes::from(body),
        });
        let deadline = world.started + total;
        let count = users.len() as u32;
        let tasks: Vec<_> = users
            .into_iter()
            .enumerate()
            .map(|(index, mut user)| {
                let world = world.clone();
                tokio::spawn(async move {
                    // Spread the users over one period.
                    tokio::time::sleep(period * index as u32 / count).await;
                    let mut ticks = tokio::time::interval(period);
                    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
                    while Instant::now() < deadline {
                        ticks.tick().await;
                        if Instant::now() >= deadline {
                            break;
                        }
                        // Failures are recorded; the user goes on (a new connection if it broke).
                        let _ = user.step(&world).await;
                    }
                })
            })
            .collect();
        let mut rss = vec![(0u32, load::memory_kib(pid, "VmRSS")?)];
        println!(
            "  {:>6} {:>9} {:>8} {:>9} {:>9} {:>7} {:>9}",
            "minute", "requests", "req/s", "p50 ms", "p99 ms", "errors", "RSS MiB"
        );
        for minute in 1..=options.minutes {
            tokio::time::sleep_until(
                (world.started + Duration::from_secs(u64::from(minute) * 60)).into(),
            )
            .await;
            let kib = load::memory_kib(pid, "VmRSS")?;
            rss.push((minute, kib));
            let records = world.records.lock().map(|r| r.clone()).unwrap_or_default();
            let window = |r: &&Record| r.at.as_secs() / 60 == u64::from(minute - 1);
            let (ok, p50, p99) = figures(records.iter().filter(window));
            let errors = records
                .iter()
                .filter(window)
                .filter(|r| is_error(r))
                .count();
            println!(
                "  {minute:>6} {:>9} {:>8.1} {p50:>9.2} {p99:>9.2} {errors:>7} {:>9.1}",
                ok + errors,
                (ok + errors) as f64 / 60.0,
                kib as f64 / 1024.0
            );
        }
        for task in tasks {
            task.await?;
        }
        let records = world.records.lock().map(|r| r.clone()).unwrap_or_default();
        anyhow::Ok((records, rss))
    })?;

    // Per request kind.
    println!("\nper request kind:");
    let mut kinds: BTreeMap<Op, Vec<&Record>> = BTreeMap::new();
    for record in &records {
        kinds.entry(record.op).or_default().push(record);
    }
    for (op, list) in &kinds {
        let (ok, p50, p99) = figures(list.iter().copied());
        let errors = list.iter().filter(|r| is_error(r)).count();
        println!(
            "  {:<20} {:>7} ok {:>5} errors   p50 {p50:>8.2} ms   p99 {p99:>8.2} ms",
            op.name(),
            ok,
            errors
        );
    }
    let mut errors: BTreeMap<(u16, String, &str), usize> = BTreeMap::new();
    for record in records.iter().filter(|r| is_error(r)) {
        *errors
            .entry((
                record.status,
                record.code.clone().unwrap_or_else(|| "-".into()),
                record.op.name(),
            ))
            .or_default() += 1;
    }
    if errors.is_empty() {
        println!("errors: none");
    } else {
        println!("errors by status and code:");
        for ((status, code, op), count) in &errors {
            let status = if *status == 0 {
                "no answer".to_string()
            } else {
                status.to_string()
            };
            println!("  {status:>9} {code:<28} {op:<20} ×{count}");
        }
    }
    // Drift: the last sample against the first after the warm-up minute (the start when there is none).
    let first = rss
        .iter()
        .find(|(m, _)| *m == 1 && options.minutes >= 2)
        .or(rss.first())
        .map_or(0, |(_, kib)| *kib);
    let last = rss.last().map_or(0, |(_, kib)| *kib);
    let drift = (last as f64 - first as f64) / (first.max(1) as f64) * 100.0;
    println!(
        "RSS: {} → drift {drift:+.1} % (last {:.1} MiB against {:.1} MiB after the warm-up)",
        rss.iter()
            .map(|(m, kib)| format!("{m}′ {:.1}", *kib as f64 / 1024.0))
            .collect::<Vec<_>>()
            .join(", "),
        last as f64 / 1024.0,
        first as f64 / 1024.0
    );
    let dir = stack::target_dir().join("bench");
    std::fs::create_dir_all(&dir)?;
    let path = dir.join(format!(
        "soak-{}.json",
        chrono::Utc::now().format("%Y%m%dT%H%M%SZ")
    ));
    std::fs::write(
        &path,
        serde_json::to_string_pretty(&serde_json::json!({
            "minutes": options.minutes,
            "rate": options.rate,
            "users": options.users,
            "rssKib": rss.iter().map(|(m, kib)| serde_json::json!({"minute": m, "kib": kib})).collect::<Vec<_>>(),
            "driftPercent": drift,
            "errors": errors.iter().map(|((s, c, o), n)| serde_json::json!({"status": s, "code": c, "request": o, "count": n})).collect::<Vec<_>>(),
            "perMinute": (1..=options.minutes).map(|m| {
                let (ok, p50, p99) = figures(records.iter().filter(|r| r.at.as_secs() / 60 == u64::from(m - 1)));
                serde_json::json!({"minute": m, "ok": ok, "p50Ms": p50, "p99Ms": p99})
            }).collect::<Vec<_>>(),
        }))?,
    )?;
    println!("figures written to {}", path.display());
    let server_errors: usize = records
        .iter()
        .filter(|r| r.status >= 500 || r.status == 0)
        .count();
    if server_errors > 0 {
        bail!("{server_errors} requests answered 5xx or not at all");
    }
    if drift > 10.0 {
        bail!("RSS drifted {drift:+.1} % (more than 10 %)");
    }
    println!("soak passed: no 5xx, RSS drift {drift:+.1} %");
    Ok(())
}

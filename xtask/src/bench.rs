//! Load runs: a release server on a fresh database of the test stack, seeded with the server's own
//! `seed-demo`, then load against the screens measured, several rounds each; plus the SQL statements each
//! request runs (pg_stat_statements). `cargo xtask bench` ([`suite`]): every scenario against a raw
//! baseline measured in the same run with the same client (`bench-board` is its board scenario alone).
//! `cargo xtask bench-schedule` and `bench-knowledge`: `wrk` against `/health` (the baseline, same run) and
//! their screens. `cargo xtask soak` ([`soak`]): a steady mixed load for minutes. Prints every round and the
//! medians; numbers, not assertions — the machine is shared and noisy, so compare against the baseline.

use std::process::{Command, Stdio};
use std::time::Duration;

use anyhow::{bail, Context as _};

use crate::process::{output_of, run};
use crate::stack::{self, Profile, Stack};
use crate::tasks::{cargo, free_port, server_binary};
use crate::ui;

mod knowledge;
mod load;
mod raw;
mod soak;
mod suite;
pub use knowledge::{bench_knowledge, KnowledgeBench};
pub use soak::{soak, SoakOptions};
pub use suite::{bench, BenchOptions, Scenario};

/// One wrk round's figures.
#[derive(Debug, Clone, Copy)]
struct Round {
    requests_per_second: f64,
    p50_ms: f64,
    p99_ms: f64,
    /// CPU time the server process spent per request (the rest of the machine's time goes to PostgreSQL,
    /// Redis and wrk).
    server_cpu_ms: f64,
}

/// CPU time (user + system) the process has used so far, in milliseconds (Linux).
fn cpu_ms(pid: u32) -> anyhow::Result<f64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat"))?;
    // Fields after the command name (which may contain spaces) start after the last ')'.
    let fields: Vec<&str> = stat
        .rsplit_once(')')
        .map(|(_, rest)| rest.split_whitespace().collect())
        .unwrap_or_default();
    let ticks = |index: usize| -> anyhow::Result<f64> {
        Ok(fields
            .get(index)
            .context("short /proc stat line")?
            .parse::<f64>()?)
    };
    // utime and stime are fields 14 and 15 of the line, i.e. 11 and 12 after the name; 100 ticks a second.
    Ok((ticks(11)? + ticks(12)?) * 10.0)
}

/// Load-run settings shared by the scenarios (and their command-line options).
#[derive(Debug, Clone, Copy, clap::Args)]
pub struct LoadShape {
    #[arg(long, default_value_t = 3)]
    pub rounds: u32,
    /// Seconds per round.
    #[arg(long, default_value_t = 15)]
    pub seconds: u32,
    /// Concurrent clients (HTTP connections, raw workers, pgbench clients).
    #[arg(long, default_value_t = 16)]
    pub connections: u32,
    /// Keep the seeded database afterwards (to study query plans).
    #[arg(long)]
    pub keep: bool,
}

/// The scheduling scenario: the week grid, the eligible list and the crew's published week on a seeded
/// organisation of `locations` venues × `crew` crew × `weeks` weeks.
pub struct ScheduleBench {
    pub crew: u32,
    pub locations: u32,
    pub weeks: u32,
    pub shape: LoadShape,
}

/// A release server on a fresh, seeded database of the test stack, with an administrator logged in.
struct BenchServer {
    base: String,
    cookie: String,
    database: String,
    stack: Stack,
    server: std::process::Child,
    keep: bool,
    /// The server's environment and binary (a second process on the same database captures statements).
    env: Vec<(String, String)>,
    binary: std::path::PathBuf,
    /// This server's own Redis key prefix (its sessions; removed afterwards).
    redis_prefix: String,
}

/// How to start a [`BenchServer`].
struct ServerConfig {
    /// `false` runs the debug server (a smoke run of the bench itself; its figures mean nothing).
    release: bool,
    bcrypt_cost: u32,
    /// Further settings for the server.
    env: Vec<(String, String)>,
    /// A server binary to run instead of this checkout's build.
    binary: Option<std::path::PathBuf>,
}

impl Default for ServerConfig {
    fn default() -> Self {
        Self {
            release: true,
            // Logins are not what the older load runs measure.
            bcrypt_cost: 4,
            env: Vec::new(),
            binary: None,
        }
    }
}

/// The release server and xtask in one build: built apart, their dependencies get different feature sets
/// and every bench run would rebuild the shared ones (ring, rustls, the MongoDB driver) twice.
fn release_build() -> anyhow::Result<()> {
    run(
        cargo().args([
            "build",
            "--release",
            "-p",
            "crewplots-server",
            "-p",
            "xtask",
        ]),
        "release build",
    )
}

/// Runs this very command again from a release build of xtask, when this one is a debug build: the load
/// client of `bench` and `soak` shares the machine's cores with the server, and unoptimised it would take
/// more than its share. `Ok(false)`: this is the release build, go on.
fn rerun_in_release() -> anyhow::Result<bool> {
    if !cfg!(debug_assertions) {
        return Ok(false);
    }
    ui::step(
        "Building the load client and the server (cargo build --release)",
        release_build,
    )?;
    let binary = stack::target_dir().join("release").join("xtask");
    let status = Command::new(&binary)
        .args(std::env::args_os().skip(1))
        .status()
        .with_context(|| format!("cannot run {}", binary.display()))?;
    if !status.success() {
        bail!("the release build of the command failed ({status})");
    }
    Ok(true)
}

/// The bench administrator's password (a throwaway database).
const BENCH_PASSWORD: &str = "bench administrator password";

impl BenchServer {
    fn start(seed_args: &[String], keep: bool) -> anyhow::Result<Self> {
        Self::start_with(seed_args, keep, true)
    }

    /// `release: false` runs the debug server (a smoke run of the bench itself; its figures mean nothing).
    fn start_with(seed_args: &[String], keep: bool, release: bool) -> anyhow::Result<Self> {
        Self::start_configured(
            seed_args,
            keep,
            ServerConfig {
                release,
                ..ServerConfig::default()
            },
        )
    }

    fn start_configured(
        seed_args: &[String],
        keep: bool,
        config: ServerConfig,
    ) -> anyhow::Result<Self> {
        let release = config.release;
        if release {
            ui::step(
                "Building the release server (cargo build --release)",
                release_build,
            )?;
        } else {
            ui::step("Building the debug server (cargo build)", || {
                run(
                    cargo().args(["build", "-p", "crewplots-server"]),
                    "debug build",
                )
            })?;
        }
        let stack = Stack::new(Profile::Test);
        stack.up()?;
        let database = format!("crewplots_bench_{}", std::process::id());
        stack.create_database(&stack.secrets()?, &database)?;
        let port = free_port()?;
        let base = format!("http://127.0.0.1:{port}");
        let redis_prefix = format!("{database}:");
        let mut env = stack.server_env_for(&database)?;
        env.extend([
            ("PORT".to_string(), port.to_string()),
            ("PUBLIC_URL".to_string(), base.clone()),
            ("RUST_LOG".to_string(), "warn".to_string()),
            (
                "CREWPLOTS__PASSWORD__BCRYPT_COST".to_string(),
                config.bcrypt_cost.to_string(),
            ),
            (
                "CREWPLOTS__REDIS__KEY_PREFIX".to_string(),
                redis_prefix.clone(),
            ),
            // The feed's full path is measured, not its flood protection (tested in the API tests).
            (
                "CREWPLOTS__FEED__REQUESTS_PER_MINUTE".to_string(),
                "1000000000".to_string(),
            ),
        ]);
        env.extend(config.env);
        let binary = match config.binary {
            Some(binary) => std::fs::canonicalize(&binary)
                .with_context(|| format!("no server binary at {}", binary.display()))?,
            None => server_binary(release),
        };
        let log_path = stack::target_dir().join("bench-server.log");
        let log = std::fs::File::create(&log_path)?;
        let server = Command::new(&binary)
            .envs(env.iter().cloned())
            .stdin(Stdio::null())
            .stdout(log.try_clone()?)
            .stderr(log)
            .spawn()
            .context("cannot start the release server")?;
        let mut bench = Self {
            base,
            cookie: String::new(),
            database,
            stack,
            server,
            keep,
            env: env.clone(),
            binary: binary.clone(),
            redis_prefix,
        };
        ui::step("Waiting for the server", || wait_ready(&bench.base))?;
        ui::step(&format!("Seeding ({})", seed_args.join(" ")), || {
            run(
                Command::new(&binary)
                    .arg("seed-demo")
                    .args(seed_args)
                    .envs(env.iter().cloned())
                    .stdout(Stdio::null()),
                "seed-demo",
            )
        })?;
        // What autovacuum does within a minute of a bulk insert: statistics and the visibility map, which
        // index-only scans rely on. Measured without it, the first minute of a freshly seeded database.
        bench.psql("VACUUM ANALYZE")?;
        // Statement counts per request come from pg_stat_statements (preloaded by the test stack).
        bench.psql("CREATE EXTENSION IF NOT EXISTS pg_stat_statements")?;
        bench.create_admin("bench.admin")?;
        bench.cookie = login(&bench.base, "bench.admin", BENCH_PASSWORD)?;
        Ok(bench)
    }

    /// An administrator account with [`BENCH_PASSWORD`], made by the server's `create-admin`.
    fn create_admin(&self, username: &str) -> anyhow::Result<()> {
        let mut child = Command::new(&self.binary)
            .args([
                "create-admin",
                "--username",
                username,
                "--email",
                &format!("{username}@example.test"),
            ])
            .envs(self.env.iter().cloned())
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .spawn()?;
        if let Some(mut stdin) = child.stdin.take() {
            use std::io::Write as _;
            writeln!(stdin, "{BENCH_PASSWORD}")?;
        }
        if !child.wait()?.success() {
            bail!("create-admin {username} failed");
        }
        Ok(())
    }

    /// A setting of the server's environment (empty when unset).
    fn setting(&self, name: &str) -> String {
        self.env
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    }

    fn psql(&self, sql: &str) -> anyhow::Result<String> {
        let secrets = self.stack.secrets()?;
        let bin = crate::prereq::postgres_bin_dir().context("PostgreSQL binaries not found")?;
        output_of(
            Command::new(bin.join("psql"))
                .arg(self.stack.database_url(&secrets, &self.database))
                .args(["-qAtc", sql]),
            "psql",
        )
    }

    /// GET as the administrator, as JSON.
    fn get(&self, path: &str) -> anyhow::Result<serde_json::Value> {
        Ok(serde_json::from_str(&self.fetch(&self.cookie, path)?)?)
    }

    /// GET with a session cookie (empty: none), as text.
    fn fetch(&self, cookie: &str, path: &str) -> anyhow::Result<String> {
        output_of(
            Command::new("curl").args([
                "-sf",
                "-H",
                &format!("Cookie: {cookie}"),
                &format!("{}{path}", self.base),
            ]),
            path,
        )
    }

    /// SQL statements the server runs per request of `path`: the mean over `count` sequential requests
    /// (the session's user look-up included), from pg_stat_statements.
    fn statements_per_request(&self, path: &str, count: u32) -> anyhow::Result<f64> {
        self.statements_per_request_as(&self.cookie, path, count)
    }

    fn statements_per_request_as(
        &self,
        cookie: &str,
        path: &str,
        count: u32,
    ) -> anyhow::Result<f64> {
        self.psql("SELECT pg_stat_statements_reset()")?;
        for _ in 0..count {
            self.fetch(cookie, path)?;
        }
        let calls = self.psql(&format!(
            "SELECT COALESCE(sum(calls), 0) FROM pg_stat_statements
             WHERE dbid = (SELECT oid FROM pg_database WHERE datname = '{}')
               AND query NOT ILIKE '%pg_stat_statements%'",
            self.database
        ))?;
        Ok(calls.trim().parse::<f64>().unwrap_or(0.0) / f64::from(count))
    }

    /// Several wrk rounds per target, each with its own session cookie (empty: none); prints each round and
    /// returns the medians.
    fn measure_as(
        &mut self,
        targets: &[(String, String, String)],
        shape: &LoadShape,
    ) -> anyhow::Result<Vec<(String, Round)>> {
        if Command::new("wrk").arg("--version").output().is_err() {
            bail!("wrk is not installed: apt-get install -y wrk");
        }
        let mut medians = Vec::new();
        for (name, url, cookie) in targets {
            let mut rounds = Vec::new();
            for index in 0..shape.rounds {
                let before = cpu_ms(self.server.id())?;
                let mut round = wrk(url, cookie, shape)?;
                let requests = round.requests_per_second * f64::from(shape.seconds);
                round.server_cpu_ms = (cpu_ms(self.server.id())? - before) / requests.max(1.0);
                println!(
                    "  {name} round {}: {:.0} req/s, p50 {:.2} ms, p99 {:.2} ms, server CPU {:.2} ms/request",
                    index + 1,
                    round.requests_per_second,
                    round.p50_ms,
                    round.p99_ms,
                    round.server_cpu_ms
                );
                rounds.push(round);
            }
            medians.push((name.clone(), median(&rounds)));
        }
        Ok(medians)
    }
}

impl Drop for BenchServer {
    fn drop(&mut self) {
        let _ = self.server.kill();
        let _ = self.server.wait();
        if self.keep {
            println!("database {} kept on the test stack", self.database);
            return;
        }
        if let Err(error) = self
            .stack
            .secrets()
            .and_then(|secrets| self.stack.drop_database(&secrets, &self.database))
        {
            eprintln!("note: {error}");
        }
        // This server's sessions and its MongoDB database (GridFS content of the upload runs), on a thread
        // of their own: the drivers are async and this may run inside a runtime.
        let (redis_url, mongodb_url) = (self.setting("REDIS_URL"), self.setting("MONGODB_URL"));
        let (prefix, database) = (self.redis_prefix.clone(), self.database.clone());
        let cleanup = std::thread::spawn(move || -> anyhow::Result<()> {
            load::runtime()?.block_on(async {
                raw::delete_keys(&redis_url, &prefix).await?;
                mongodb::Client::with_uri_str(&mongodb_url)
                    .await?
                    .database(&database)
                    .drop()
                    .await?;
                anyhow::Ok(())
            })
        });
        match cleanup.join() {
            Ok(Err(error)) => eprintln!("note: cleaning up Redis and MongoDB: {error:#}"),
            Err(_) => eprintln!("note: cleaning up Redis and MongoDB failed"),
            Ok(Ok(())) => {}
        }
    }
}

fn print_medians(title: &str, medians: &[(String, Round)], statements: &[(String, f64)]) {
    println!("\n{title}");
    let baseline = medians
        .first()
        .map(|(_, r)| r.requests_per_second)
        .unwrap_or(0.0);
    for (name, round) in medians {
        let queries = statements
            .iter()
            .find(|(n, _)| n == name)
            .map_or_else(String::new, |(_, q)| {
                format!("   {q:.1} SQL statements/request")
            });
        println!(
            "  {name:<26} {:>8.0} req/s ({:>5.1} % of baseline)   p50 {:>7.2} ms   p99 {:>7.2} ms   server CPU {:>5.2} ms/request{queries}",
            round.requests_per_second,
            100.0 * round.requests_per_second / baseline.max(1.0),
            round.p50_ms,
            round.p99_ms,
            round.server_cpu_ms
        );
    }
}

/// The scheduling screens of a seeded organisation: the first venue's grid of this week, a shift's eligible
/// list, the published week, and the crew member with the most published shifts logged in with a calendar
/// feed.
struct ScheduleSetup {
    location: String,
    /// The crew member's login name (password [`BENCH_PASSWORD`]).
    crew: String,
    weeks: Vec<serde_json::Value>,
    grid_path: String,
    eligible_path: String,
    published_path: String,
    crew_cookie: String,
    feed_path: String,
}

fn schedule_setup(bench: &BenchServer) -> anyhow::Result<ScheduleSetup> {
    let location = first_location(&bench.base, &bench.cookie)?;
    let weeks = bench.get(&format!(
        "/api/locations/{location}/weeks?from=2000-W01&to=2100-W01"
    ))?;
    let weeks = weeks.as_array().cloned().unwrap_or_default();
    // This week: the one before the last (a draft next week).
    let this_week = weeks
        .iter()
        .rev()
        .nth(1)
        .and_then(|w| w["week"]["isoWeek"].as_str())
        .context("no seeded weeks")?
        .to_string();
    let grid_path = format!("/api/locations/{location}/weeks/{this_week}");
    let grid = bench.get(&grid_path)?;
    let shifts = grid["shifts"].as_array().cloned().unwrap_or_default();
    let shift = shifts
        .iter()
        .find(|s| s["open"].as_i64().unwrap_or(0) > 0)
        .or(shifts.first())
        .and_then(|s| s["id"].as_str())
        .context("the seeded week has no shifts")?
        .to_string();
    let totals = bench.psql(
        "SELECT (SELECT count(*) FROM schedule_weeks), (SELECT count(*) FROM shifts), \
                (SELECT count(*) FROM assignments), (SELECT count(*) FROM user_locations)",
    )?;
    println!(
        "seeded: {} weeks in the list of the first venue; grid of {this_week}: {} shifts, {} people; \
         weeks|shifts|assignments|memberships in the database: {}",
        weeks.len(),
        shifts.len(),
        grid["people"].as_array().map_or(0, Vec::len),
        totals.trim()
    );
    let eligible_path = format!("/api/shifts/{shift}/eligible");
    let published_path = format!("/api/locations/{location}/schedule/{this_week}");
    // The crew member with the most published shifts logs in (with the administrator's password hash, so
    // the bench knows it; seeded crew are invited, not yet active) and makes a calendar feed.
    let crew = bench.psql(
        "UPDATE users SET status = 'active',
                password_hash = (SELECT password_hash FROM users WHERE username = 'bench.admin')
         WHERE id = (SELECT user_id FROM published_assignments WHERE cancelled_at IS NULL
                     GROUP BY user_id ORDER BY count(*) DESC, user_id LIMIT 1)
         RETURNING username",
    )?;
    let crew = crew.trim().to_string();
    anyhow::ensure!(!crew.is_empty(), "no published shifts were seeded");
    let crew_cookie = login(&bench.base, &crew, BENCH_PASSWORD)?;
    let feed = output_of(
        Command::new("curl").args([
            "-sf",
            "-X",
            "POST",
            "-H",
            &format!("Cookie: {crew_cookie}"),
            "-H",
            "X-Crewplots-Csrf: 1",
            &format!("{}/api/me/calendar-feed", bench.base),
        ]),
        "calendar feed",
    )?;
    let feed: serde_json::Value = serde_json::from_str(&feed)?;
    let feed_url = feed["url"].as_str().context("no feed address")?.to_string();
    let feed_path = feed_url[feed_url.find("/api/").context("feed address")?..].to_string();
    let my_shifts = bench.fetch(&crew_cookie, "/api/me/shifts?pastDays=30")?;
    let my_shifts: serde_json::Value = serde_json::from_str(&my_shifts)?;
    let events = bench.fetch("", &feed_path)?.matches("BEGIN:VEVENT").count();
    println!(
        "crew member {crew}: {} upcoming and {} past shifts listed, {events} events in the feed",
        my_shifts["upcoming"].as_array().map_or(0, Vec::len),
        my_shifts["past"].as_array().map_or(0, Vec::len)
    );
    Ok(ScheduleSetup {
        location,
        crew,
        weeks,
        grid_path,
        eligible_path,
        published_path,
        crew_cookie,
        feed_path,
    })
}

pub fn bench_schedule(options: &ScheduleBench) -> anyhow::Result<()> {
    let shape = options.shape;
    let mut bench = BenchServer::start(
        &[
            "--applications".into(),
            "20".into(),
            "--locations".into(),
            options.locations.to_string(),
            "--crew".into(),
            options.crew.to_string(),
            "--weeks".into(),
            options.weeks.to_string(),
        ],
        shape.keep,
    )?;
    let ScheduleSetup {
        location,
        crew: _,
        weeks,
        grid_path,
        eligible_path,
        published_path,
        crew_cookie,
        feed_path,
    } = schedule_setup(&bench)?;
    let mut statements = Vec::new();
    for (name, path) in [
        ("week grid", &grid_path),
        ("eligible people", &eligible_path),
        ("published week", &published_path),
    ] {
        statements.push((name.to_string(), bench.statements_per_request(path, 20)?));
    }
    // The grid of an almost empty week (next week's draft has the same template): the count must not move.
    if let Some(first) = weeks.first().and_then(|w| w["week"]["isoWeek"].as_str()) {
        let path = format!("/api/locations/{location}/weeks/{first}");
        println!(
            "statements per grid request, first week vs this week: {:.1} vs {:.1}",
            bench.statements_per_request(&path, 10)?,
            statements[0].1
        );
    }
    statements.push((
        "my shifts".to_string(),
        bench.statements_per_request_as(&crew_cookie, "/api/me/shifts?pastDays=30", 20)?,
    ));
    statements.push((
        "calendar feed".to_string(),
        bench.statements_per_request_as("", &feed_path, 20)?,
    ));
    // The dashboard as the demo manager (every venue is theirs) and as the administrator (all venues): the
    // statement count must not grow with the number of venues.
    let manager = bench.psql(
        "UPDATE users SET status = 'active',
                password_hash = (SELECT password_hash FROM users WHERE username = 'bench.admin')
         WHERE id = (SELECT u.id FROM users u JOIN user_locations ul ON ul.user_id = u.id
                     WHERE u.role = 'manager' GROUP BY u.id ORDER BY count(*) DESC, u.id LIMIT 1)
         RETURNING username",
    )?;
    let manager = manager.trim().to_string();
    anyhow::ensure!(!manager.is_empty(), "no manager was seeded");
    let manager_cookie = login(&bench.base, &manager, BENCH_PASSWORD)?;
    let dashboard: serde_json::Value =
        serde_json::from_str(&bench.fetch(&manager_cookie, "/api/dashboard")?)?;
    println!(
        "dashboard of manager {manager}: {} locations, {} shifts this week",
        dashboard["locations"].as_array().map_or(0, Vec::len),
        dashboard["schedule"]["shifts"]
    );
    statements.push((
        "dashboard (manager)".to_string(),
        bench.statements_per_request_as(&manager_cookie, "/api/dashboard", 20)?,
    ));
    statements.push((
        "dashboard (administrator, all venues)".to_string(),
        bench.statements_per_request("/api/dashboard", 20)?,
    ));
    let base = bench.base.clone();
    let admin = bench.cookie.clone();
    let targets = [
        (
            "health (baseline)".to_string(),
            format!("{base}/health"),
            String::new(),
        ),
        (
            "week grid".to_string(),
            format!("{base}{grid_path}"),
            admin.clone(),
        ),
        (
            "eligible people".to_string(),
            format!("{base}{eligible_path}"),
            admin.clone(),
        ),
        (
            "published week".to_string(),
            format!("{base}{published_path}"),
            admin,
        ),
        (
            "my shifts".to_string(),
            format!("{base}/api/me/shifts?pastDays=30"),
            crew_cookie,
        ),
        (
            "calendar feed".to_string(),
            format!("{base}{feed_path}"),
            String::new(),
        ),
        (
            "dashboard (manager)".to_string(),
            format!("{base}/api/dashboard"),
            manager_cookie,
        ),
        (
            "dashboard (administrator, all venues)".to_string(),
            format!("{base}/api/dashboard"),
            bench.cookie.clone(),
        ),
    ];
    let medians = bench.measure_as(&targets, &shape)?;
    print_medians(
        &format!(
            "medians of {} rounds × {} s, {} connections; {} crew × {} locations × {} weeks:",
            shape.rounds,
            shape.seconds,
            shape.connections,
            options.crew,
            options.locations,
            options.weeks
        ),
        &medians,
        &statements,
    );
    Ok(())
}

fn wait_ready(base: &str) -> anyhow::Result<()> {
    for _ in 0..240 {
        let ok = Command::new("curl")
            .args(["-sf", "-o", "/dev/null", &format!("{base}/health/ready")])
            .status()
            .is_ok_and(|s| s.success());
        if ok {
            return Ok(());
        }
        std::thread::sleep(Duration::from_millis(250));
    }
    bail!("the server did not become ready within a minute")
}

/// Logs in and returns the `name=value` of the session cookie.
fn login(base: &str, login: &str, password: &str) -> anyhow::Result<String> {
    let headers = output_of(
        Command::new("curl").args([
            "-sf",
            "-D",
            "-",
            "-o",
            "/dev/null",
            "-H",
            "Content-Type: application/json",
            "-H",
            "X-Crewplots-Csrf: 1",
            "-d",
            &serde_json::json!({"login": login, "password": password}).to_string(),
            &format!("{base}/api/auth/login"),
        ]),
        "login",
    )?;
    headers
        .lines()
        .find_map(|line| {
            let (name, value) = line.split_once(':')?;
            name.eq_ignore_ascii_case("set-cookie").then(|| {
                value
                    .trim()
                    .split(';')
                    .next()
                    .unwrap_or_default()
                    .to_string()
            })
        })
        .context("the login answered without a session cookie")
}

fn first_location(base: &str, cookie: &str) -> anyhow::Result<String> {
    let body = output_of(
        Command::new("curl").args([
            "-sf",
            "-H",
            &format!("Cookie: {cookie}"),
            &format!("{base}/api/locations"),
        ]),
        "locations",
    )?;
    let locations: serde_json::Value = serde_json::from_str(&body)?;
    locations[0]["id"]
        .as_str()
        .map(str::to_string)
        .context("no location was seeded")
}

fn wrk(url: &str, cookie: &str, options: &LoadShape) -> anyhow::Result<Round> {
    let output = output_of(
        Command::new("wrk").args([
            "-t2",
            &format!("-c{}", options.connections),
            &format!("-d{}s", options.seconds),
            "--latency",
            "-H",
            &format!("Cookie: {cookie}"),
            url,
        ]),
        "wrk",
    )?;
    if output.contains("Non-2xx") {
        bail!("wrk saw error answers from {url}:\n{output}");
    }
    let latency = |label: &str| -> anyhow::Result<f64> {
        let line = output
            .lines()
            .find(|l| l.trim_start().starts_with(label))
            .with_context(|| format!("no {label} line in wrk's output:\n{output}"))?;
        parse_duration_ms(line.split_whitespace().nth(1).unwrap_or_default())
    };
    let requests_per_second = output
        .lines()
        .find(|l| l.starts_with("Requests/sec:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .context("no Requests/sec in wrk's output")?;
    Ok(Round {
        requests_per_second,
        p50_ms: latency("50%")?,
        p99_ms: latency("99%")?,
        server_cpu_ms: 0.0,
    })
}

/// `812.00us`, `4.21ms`, `1.02s` → milliseconds.
fn parse_duration_ms(text: &str) -> anyhow::Result<f64> {
    let (number, factor) = if let Some(n) = text.strip_suffix("us") {
        (n, 0.001)
    } else if let Some(n) = text.strip_suffix("ms") {
        (n, 1.0)
    } else if let Some(n) = text.strip_suffix('s') {
        (n, 1000.0)
    } else {
        bail!("unexpected duration {text:?}")
    };
    Ok(number.parse::<f64>()? * factor)
}

fn median(rounds: &[Round]) -> Round {
    let pick = |f: fn(&Round) -> f64| {
        let mut values: Vec<f64> = rounds.iter().map(f).collect();
        values.sort_by(f64::total_cmp);
        values.get(values.len() / 2).copied().unwrap_or_default()
    };
    Round {
        requests_per_second: pick(|r| r.requests_per_second),
        p50_ms: pick(|r| r.p50_ms),
        p99_ms: pick(|r| r.p99_ms),
        server_cpu_ms: pick(|r| r.server_cpu_ms),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrk_durations_are_read_in_milliseconds() {
        assert!((parse_duration_ms("812.00us").unwrap() - 0.812).abs() < 1e-9);
        assert!((parse_duration_ms("4.21ms").unwrap() - 4.21).abs() < 1e-9);
        assert!((parse_duration_ms("1.02s").unwrap() - 1020.0).abs() < 1e-9);
        assert!(parse_duration_ms("12").is_err());
    }
}

//! `cargo xtask bench-board`: the load run behind the board's speed target (SPEC §4.3, issue "Hiring"): a
//! release server on a fresh database of the test stack, N applications across M locations seeded with the
//! server's own `seed-demo`, then `wrk` with 16 connections against `/health` (the baseline, same run) and
//! the board of one location and of all locations, several rounds each. Prints every round and the medians;
//! numbers, not assertions — the machine is shared and noisy, so compare against the baseline.

use std::process::{Command, Stdio};
use std::time::Duration;

use anyhow::{bail, Context as _};

use crate::process::{output_of, run};
use crate::stack::{self, Profile, Stack};
use crate::tasks::{cargo, free_port, server_binary};
use crate::ui;

/// What to measure.
pub struct BoardBench {
    pub applications: u32,
    pub locations: u32,
    pub rounds: u32,
    pub seconds: u32,
    pub connections: u32,
    /// Leave the database in place afterwards (to study query plans).
    pub keep: bool,
}

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

pub fn bench_board(options: &BoardBench) -> anyhow::Result<()> {
    if Command::new("wrk").arg("--version").output().is_err() {
        bail!("wrk is not installed: apt-get install -y wrk");
    }
    ui::step(
        "Building the release server (cargo build --release)",
        || {
            run(
                cargo().args(["build", "--release", "-p", "crewplots-server"]),
                "release build",
            )
        },
    )?;
    let stack = Stack::new(Profile::Test);
    stack.up()?;
    let database = format!("crewplots_bench_{}", std::process::id());
    stack.create_database(&stack.secrets()?, &database)?;
    let port = free_port()?;
    let base = format!("http://127.0.0.1:{port}");
    let mut env = stack.server_env_for(&database)?;
    env.extend([
        ("PORT".to_string(), port.to_string()),
        ("PUBLIC_URL".to_string(), base.clone()),
        ("RUST_LOG".to_string(), "warn".to_string()),
        // Logins are not what is measured here.
        (
            "CREWPLOTS__PASSWORD__BCRYPT_COST".to_string(),
            "4".to_string(),
        ),
    ]);
    let binary = server_binary(true);
    let log_path = stack::target_dir().join("bench-server.log");
    let log = std::fs::File::create(&log_path)?;
    let mut server = Command::new(&binary)
        .envs(env.iter().cloned())
        .stdin(Stdio::null())
        .stdout(log.try_clone()?)
        .stderr(log)
        .spawn()
        .context("cannot start the release server")?;
    let result = (|| {
        ui::step("Waiting for the server", || wait_ready(&base))?;
        ui::step(
            &format!(
                "Seeding {} applications across {} locations",
                options.applications, options.locations
            ),
            || {
                run(
                    Command::new(&binary)
                        .args([
                            "seed-demo",
                            "--applications",
                            &options.applications.to_string(),
                            "--locations",
                            &options.locations.to_string(),
                        ])
                        .envs(env.iter().cloned())
                        .stdout(Stdio::null()),
                    "seed-demo",
                )
            },
        )?;
        // What autovacuum does within a minute of a bulk insert: statistics and the visibility map, which
        // index-only scans rely on. Measured without it, the first minute of a freshly seeded database.
        let secrets = stack.secrets()?;
        let bin = crate::prereq::postgres_bin_dir().context("PostgreSQL binaries not found")?;
        run(
            Command::new(bin.join("psql"))
                .arg(stack.database_url(&secrets, &database))
                .args(["-qc", "VACUUM ANALYZE"]),
            "VACUUM ANALYZE",
        )?;
        let password = "bench administrator password";
        let mut create = Command::new(&binary);
        create
            .args([
                "create-admin",
                "--username",
                "bench.admin",
                "--email",
                "bench.admin@example.test",
            ])
            .envs(env.iter().cloned())
            .stdin(Stdio::piped())
            .stdout(Stdio::null());
        let mut child = create.spawn()?;
        if let Some(mut stdin) = child.stdin.take() {
            use std::io::Write as _;
            writeln!(stdin, "{password}")?;
        }
        if !child.wait()?.success() {
            bail!("create-admin failed");
        }
        let cookie = login(&base, "bench.admin", password)?;
        let location = first_location(&base, &cookie)?;
        let cards = output_of(
            Command::new("curl").args([
                "-sf",
                "-H",
                &format!("Cookie: {cookie}"),
                &format!("{base}/api/applications/board"),
            ]),
            "board",
        )?;
        let board: serde_json::Value = serde_json::from_str(&cards)?;
        println!(
            "board: {} applications in total, {} bytes for all locations",
            board["total"],
            cards.len()
        );
        let targets = [
            ("health (baseline)", format!("{base}/health")),
            (
                "board, one location",
                format!("{base}/api/applications/board?location={location}"),
            ),
            (
                "board, all locations",
                format!("{base}/api/applications/board"),
            ),
        ];
        let mut medians = Vec::new();
        for (name, url) in &targets {
            let mut rounds = Vec::new();
            for index in 0..options.rounds {
                let before = cpu_ms(server.id())?;
                let mut round = wrk(url, &cookie, options)?;
                let requests = round.requests_per_second * f64::from(options.seconds);
                round.server_cpu_ms = (cpu_ms(server.id())? - before) / requests.max(1.0);
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
            medians.push((name, median(&rounds)));
        }
        println!(
            "\nmedians of {} rounds × {} s, {} connections, {} applications across {} locations:",
            options.rounds,
            options.seconds,
            options.connections,
            options.applications,
            options.locations
        );
        for (name, round) in &medians {
            println!(
                "  {name:<22} {:>8.0} req/s   p50 {:>7.2} ms   p99 {:>7.2} ms   server CPU {:>5.2} ms/request",
                round.requests_per_second, round.p50_ms, round.p99_ms, round.server_cpu_ms
            );
        }
        Ok(())
    })();
    let _ = server.kill();
    let _ = server.wait();
    if options.keep {
        println!("database {database} kept on the test stack");
    } else if let Err(error) = stack.drop_database(&stack.secrets()?, &database) {
        eprintln!("note: {error}");
    }
    result
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

fn wrk(url: &str, cookie: &str, options: &BoardBench) -> anyhow::Result<Round> {
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

//! API fuzzing: schemathesis (`st run`, from the project's Python venv) against the server's own
//! `/api/openapi.json`, once per role — anonymous, applicant, crew member, floor manager, manager and
//! administrator — each against a debug server on a fresh database of the test stack.
//!
//! Each role's organisation is made the way the product makes it (`create-admin`, then the API: a venue,
//! invited staff who set their password through the mailed link, a registered applicant who applies; see
//! `xtask/fuzz/crewplots_fuzz.py`). The fuzzer sends what a browser of that person sends: the session
//! cookie, `Origin` of the server and the CSRF header of the front end. The checks are `not_a_server_error`
//! and `response_schema_conformance`; operations that end or replace the caller's own session are left out
//! by operation (the list is [`excluded_operations`]). Before the first role, the served document is checked
//! by an independent OpenAPI 3.1 validator (`openapi-spec-validator`).
//!
//! `cargo xtask test` runs a bounded number of cases; `cargo xtask fuzz-api --cases N` runs longer.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Instant;

use anyhow::{bail, Context as _};

use crate::process::{output_of, run};
use crate::stack::{self, Profile, Stack};
use crate::tasks::{build_server, free_port, server_binary, wait_ready};
use crate::ui;

/// Cases per operation and role in `cargo xtask test`: keeps the whole step within a few minutes on two
/// cores.
pub const TEST_CASES: u32 = 6;

/// The roles fuzzed, in the order they run (the names `crewplots_fuzz.py provision --role` takes).
pub const ROLES: [&str; 6] = [
    "anonymous",
    "applicant",
    "crew_member",
    "floor_manager",
    "manager",
    "administrator",
];

/// Operations (by `operationId`) that would end, replace or lock out the fuzzing session itself: logging
/// out, changing one's own password (revokes the other sessions), erasing oneself, and logging in or
/// registering (a success renews the session, so the cookie the fuzzer holds dies). Anonymous callers have
/// no session to lose and fuzz them all. Operations that act on a person by id (deactivate, erase, revoke
/// sessions) stay in: the hook never hands them the caller's own id (`crewplots_fuzz.py`).
pub fn excluded_operations(role: &str) -> &'static [&'static str] {
    if role == "anonymous" {
        &[]
    } else {
        &["logout", "change_password", "erase_me", "login", "register"]
    }
}

const ADMIN_LOGIN: &str = "fuzz.admin";
const ADMIN_PASSWORD: &str = "fuzz administrator password";

fn fuzz_dir() -> PathBuf {
    stack::repo_root().join("xtask/fuzz")
}

fn venv_bin(program: &str) -> PathBuf {
    Stack::venv_python().with_file_name(program)
}

/// What one fuzz run does: cases per operation, the roles (in [`ROLES`] order) and, to replay a run, the
/// seed schemathesis printed.
pub struct Plan {
    pub cases: u32,
    pub roles: Vec<&'static str>,
    pub seed: Option<String>,
}

impl Plan {
    /// Every role, a fresh seed each.
    pub fn all_roles(cases: u32) -> Plan {
        Plan {
            cases,
            roles: ROLES.to_vec(),
            seed: None,
        }
    }
}

/// The roles named on the command line, in [`ROLES`] order; every role when none is named.
pub fn roles_named(names: &[String]) -> anyhow::Result<Vec<&'static str>> {
    if let Some(unknown) = names.iter().find(|name| !ROLES.contains(&name.as_str())) {
        bail!(
            "unknown role {unknown:?}; the roles are {}",
            ROLES.join(", ")
        );
    }
    Ok(ROLES
        .into_iter()
        .filter(|role| names.is_empty() || names.iter().any(|name| name == role))
        .collect())
}

/// `cargo xtask fuzz-api`: the test stack (started when needed, left running), then the fuzz run.
pub fn fuzz_api(plan: Plan) -> anyhow::Result<()> {
    crate::prereq::ensure(&[
        crate::prereq::Need::Postgres,
        crate::prereq::Need::Redis,
        crate::prereq::Need::PythonVenv,
    ])?;
    Stack::ensure_secantus()?;
    let stack = Stack::new(Profile::Test);
    stack.up()?;
    run_all(&stack, &plan)
}

/// Fuzzes the plan's roles with its cases per operation; fails with the roles that found something.
pub fn run_all(stack: &Stack, plan: &Plan) -> anyhow::Result<()> {
    let cases = plan.cases;
    let started = Instant::now();
    Stack::ensure_secantus()?;
    build_server()?;
    let work = stack::target_dir().join("fuzz");
    let _ = std::fs::remove_dir_all(&work);
    std::fs::create_dir_all(&work)?;
    let maildir = work.join("mail");
    let smtp_port = free_port()?;
    let mut smtp = crate::tasks::mailbox_smtp(smtp_port, &maildir, "the fuzz run")?;
    // Two roles at a time (each its own server and database): the fuzzer and the server each keep about one
    // core busy, so pairs use a two-core machine without the roles waiting on each other.
    let mut failures = Vec::new();
    let mut result = Ok(());
    for (pair_index, pair) in plan.roles.chunks(2).enumerate() {
        let outcomes: Vec<(&str, anyhow::Result<bool>)> = std::thread::scope(|scope| {
            let handles: Vec<_> = pair
                .iter()
                .enumerate()
                .map(|(index, role)| {
                    let run = RoleRun {
                        stack,
                        role,
                        cases,
                        seed: plan.seed.as_deref(),
                        work: &work,
                        maildir: &maildir,
                        smtp_port,
                        validate_document: pair_index == 0 && index == 0,
                    };
                    (*role, scope.spawn(move || run.run()))
                })
                .collect();
            handles
                .into_iter()
                .map(|(role, handle)| {
                    let outcome = handle.join().unwrap_or_else(|_| {
                        Err(anyhow::anyhow!("the fuzz run of {role} panicked"))
                    });
                    (role, outcome)
                })
                .collect()
        });
        for (role, outcome) in outcomes {
            match outcome {
                Ok(true) => {}
                Ok(false) => failures.push(role.to_string()),
                Err(error) => {
                    if result.is_ok() {
                        result = Err(error.context(format!("fuzzing as {role}")));
                    }
                }
            }
        }
        if result.is_err() {
            break;
        }
    }
    let _ = smtp.kill();
    let _ = smtp.wait();
    result?;
    let seconds = started.elapsed().as_secs_f64();
    if !failures.is_empty() {
        bail!(
            "the API fuzzer found failures as {} after {seconds:.0} s (reports in {})",
            failures.join(", "),
            work.display()
        );
    }
    let roles = if plan.roles.len() == ROLES.len() {
        "every role".to_string()
    } else {
        plan.roles.join(", ")
    };
    println!("✓ API fuzzing passed for {roles} in {seconds:.0} s ({cases} cases per operation)");
    Ok(())
}

struct RoleRun<'a> {
    stack: &'a Stack,
    role: &'a str,
    cases: u32,
    seed: Option<&'a str>,
    work: &'a Path,
    maildir: &'a Path,
    smtp_port: u16,
    validate_document: bool,
}

/// The server of one role; killed and its database dropped when it goes out of scope.
struct RoleServer<'a> {
    stack: &'a Stack,
    database: String,
    child: Child,
}

impl Drop for RoleServer<'_> {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        if let Err(error) = self
            .stack
            .secrets()
            .and_then(|secrets| self.stack.drop_database(&secrets, &self.database))
        {
            eprintln!("note: {error}");
        }
    }
}

impl RoleRun<'_> {
    /// Ok(false) when schemathesis reported failures.
    fn run(&self) -> anyhow::Result<bool> {
        let role = self.role;
        let database = format!("crewplots_fuzz_{role}_{}", std::process::id());
        let secrets = self.stack.secrets()?;
        self.stack.drop_database(&secrets, &database)?;
        self.stack.create_database(&secrets, &database)?;
        let port = free_port()?;
        let base = format!("http://127.0.0.1:{port}");
        let mut env = self.stack.server_env_for(&database)?;
        env.extend(
            [
                ("PORT", port.to_string()),
                ("PUBLIC_URL", base.clone()),
                ("CREWPLOTS__PASSWORD__BCRYPT_COST", "4".to_string()),
                ("RUST_LOG", "warn".to_string()),
                // Login throttling counts per address: each role's counters apart from the others'.
                (
                    "CREWPLOTS__REDIS__KEY_PREFIX",
                    format!("crewplots-fuzz-{role}-{}:", std::process::id()),
                ),
                ("SMTP_URL", format!("smtp://127.0.0.1:{}", self.smtp_port)),
                ("MAIL_FROM", "Crew Plots <fuzz@example.test>".to_string()),
                ("CREWPLOTS__MAIL__POLL_INTERVAL_MS", "200".to_string()),
            ]
            .map(|(key, value)| (key.to_string(), value)),
        );
        let log_path = self.work.join(format!("server-{role}.log"));
        let log = std::fs::File::create(&log_path)?;
        let child = Command::new(server_binary(false))
            .envs(env.iter().cloned())
            .stdin(Stdio::null())
            .stdout(log.try_clone()?)
            .stderr(log)
            .spawn()
            .context("cannot start the server")?;
        let _server = RoleServer {
            stack: self.stack,
            database,
            child,
        };
        wait_ready(port, std::time::Duration::from_secs(60)).with_context(|| {
            format!(
                "the server did not become ready; see {}",
                log_path.display()
            )
        })?;
        create_admin(&env)?;
        let provisioned = output_of(
            Command::new(Stack::venv_python())
                .arg(fuzz_dir().join("crewplots_fuzz.py"))
                .args(["provision", "--base", &base, "--maildir"])
                .arg(self.maildir)
                .args(["--admin", ADMIN_LOGIN, "--password", ADMIN_PASSWORD])
                .args(["--role", role]),
            "the fuzz organisation (crewplots_fuzz.py provision)",
        )?;
        let provisioned: serde_json::Value = serde_json::from_str(&provisioned)
            .context("crewplots_fuzz.py provision printed no JSON")?;
        let cookie = provisioned["cookie"].as_str().unwrap_or_default();
        if role != "anonymous" && cookie.is_empty() {
            bail!("no session cookie for {role}");
        }
        let document = format!("{base}/api/openapi.json");
        if self.validate_document {
            ui::step(
                "Validating the served OpenAPI document (openapi-spec-validator)",
                || {
                    let file = self.work.join("openapi.json");
                    run(
                        Command::new("curl")
                            .args(["-sSf", "-o"])
                            .arg(&file)
                            .arg(&document),
                        "fetching the OpenAPI document",
                    )?;
                    run(
                        Command::new(venv_bin("openapi-spec-validator"))
                            .args(["--schema", "3.1", "--validation-errors", "all"])
                            .arg(&file),
                        "openapi-spec-validator",
                    )
                },
            )?;
        }

        println!(
            "▸ Fuzzing the API as {role} ({} cases per operation)",
            self.cases
        );
        let started = Instant::now();
        let st_log = self.work.join(format!("schemathesis-{role}.log"));
        let mut st = Command::new(venv_bin("st"));
        // Run from the work folder: schemathesis keeps a cache folder in its working directory.
        st.current_dir(self.work)
            .args(["run", &document])
            .args([
                "--checks",
                "not_a_server_error,response_schema_conformance",
                "--max-examples",
                &self.cases.to_string(),
                // One thread: with two, hypothesis's lambda descriptions call `ast.parse` from both at once,
                // and CPython 3.11 (Debian's) then fails at random with "SystemError: AST constructor
                // recursion depth mismatch" (python/cpython#106905): a crash of the fuzzer, reported as
                // an error of whichever operation it was generating. Two roles run side by side anyway.
                "--workers",
                "1",
                "--no-color",
                "--output-truncate",
                "true",
                "--generation-database",
                "none",
                "--suppress-health-check",
                "too_slow",
                "--request-timeout",
                "30",
            ])
            .args(["--header", &format!("Origin: {base}")])
            .args(["--header", "X-Crewplots-Csrf: 1"])
            .args(["--report", "junit", "--report-dir"])
            .arg(self.work.join(format!("report-{role}")))
            .env("SCHEMATHESIS_HOOKS", fuzz_dir().join("crewplots_fuzz.py"))
            .env("CREWPLOTS_FUZZ_IDS", provisioned["ids"].to_string())
            .stdin(Stdio::null())
            .stdout(std::fs::File::create(&st_log)?)
            .stderr(std::fs::File::create(
                self.work.join(format!("schemathesis-{role}.err")),
            )?);
        if !cookie.is_empty() {
            st.args(["--header", &format!("Cookie: {cookie}")]);
        }
        if let Some(seed) = self.seed {
            st.args(["--seed", seed]);
        }
        for operation in excluded_operations(role) {
            st.args(["--exclude-operation-id", operation]);
        }
        let status = st.status().context("cannot start schemathesis (st)")?;
        let report = std::fs::read_to_string(&st_log).unwrap_or_default();
        let summary = report
            .lines()
            .rev()
            .find(|line| line.starts_with("====="))
            .unwrap_or("no summary")
            .trim_matches(|c| c == '=' || c == ' ');
        println!(
            "  {role}: {} after {:.1} s ({summary}; full report: {})",
            if status.success() { "passed" } else { "FAILED" },
            started.elapsed().as_secs_f64(),
            st_log.display()
        );
        if !status.success() {
            // The failures with their reproducing curl commands, for the person reading the test output.
            let failures = report
                .find("=== FAILURES ===")
                .or_else(|| report.find("=== ERRORS ==="))
                .map_or(report.as_str(), |at| &report[at..]);
            println!("{failures}");
            // The server's side of a 5xx: its error lines (never request bodies or secrets; see the
            // logging rules in ARCHITECTURE.md), so a failure in CI can be understood without the files.
            let log = std::fs::read_to_string(&log_path).unwrap_or_default();
            let errors: Vec<&str> = log
                .lines()
                .filter(|line| line.contains("ERROR") || line.contains("panicked"))
                .collect();
            if !errors.is_empty() {
                println!(
                    "  server errors of {role} (last {} of {}):",
                    errors.len().min(20),
                    errors.len()
                );
                for line in &errors[errors.len().saturating_sub(20)..] {
                    println!("  {line}");
                }
            }
        }
        Ok(status.success())
    }
}

fn create_admin(env: &[(String, String)]) -> anyhow::Result<()> {
    let mut child = Command::new(server_binary(false))
        .args([
            "create-admin",
            "--username",
            ADMIN_LOGIN,
            "--email",
            "fuzz.admin@example.test",
        ])
        .envs(env.iter().cloned())
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()?;
    if let Some(mut stdin) = child.stdin.take() {
        use std::io::Write as _;
        writeln!(stdin, "{ADMIN_PASSWORD}")?;
    }
    if !child.wait()?.success() {
        bail!("create-admin failed");
    }
    Ok(())
}

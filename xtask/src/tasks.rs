//! The tasks behind each subcommand.

use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Instant;

use anyhow::{bail, Context as _};

use crate::prereq::{self, Need};
use crate::process::run;
use crate::stack::{self, Profile, Stack};
use crate::ui;

fn frontend_dir() -> PathBuf {
    stack::repo_root().join("frontend")
}

fn has_frontend() -> bool {
    frontend_dir().join("package.json").exists()
}

fn stack_needs() -> Vec<Need> {
    let mut needs = vec![Need::Postgres, Need::Redis, Need::PythonVenv];
    if has_frontend() {
        needs.push(Need::Node);
    }
    needs
}

pub(crate) fn cargo() -> Command {
    let mut command = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    command.current_dir(stack::repo_root());
    command
}

pub(crate) fn server_binary(release: bool) -> PathBuf {
    stack::target_dir()
        .join(if release { "release" } else { "debug" })
        .join("crewplots-server")
}

pub(crate) fn build_server() -> anyhow::Result<()> {
    ui::step(
        "Building the server (cargo build -p crewplots-server)",
        || {
            let mut command = cargo();
            command.args(["build", "-p", "crewplots-server"]);
            run(&mut command, "cargo build")
        },
    )
}

fn build_frontend() -> anyhow::Result<()> {
    if !has_frontend() {
        return Ok(());
    }
    ui::step("Building the front end (npm ci && npm run build)", || {
        let dir = frontend_dir();
        if !dir.join("node_modules").exists() {
            let mut install = Command::new("npm");
            install
                .current_dir(&dir)
                .args(["ci", "--no-audit", "--no-fund"]);
            run(&mut install, "npm ci")?;
        }
        let mut build = Command::new("npm");
        build.current_dir(&dir).args(["run", "build"]);
        run(&mut build, "npm run build")
    })
}

pub fn dev(no_seed: bool) -> anyhow::Result<()> {
    prereq::ensure(&stack_needs())?;
    let stack = Stack::new(Profile::Dev);
    let started = stack.up()?;
    let result = (|| {
        build_frontend()?;
        build_server()?;
        let env = stack.server_env()?;
        ui::step("Applying migrations", || {
            let mut migrate = Command::new(server_binary(false));
            migrate.arg("migrate").envs(env.iter().cloned());
            run(&mut migrate, "crewplots-server migrate")
        })?;
        if !no_seed {
            // Seeds only a database without locations, so this acts once per fresh dev database. Its output
            // (including the demo passwords, printed once) goes straight to this terminal.
            ui::step(
                "Seeding the demo organisation (skipped when it has locations)",
                || {
                    let mut seed = Command::new(server_binary(false));
                    seed.arg("seed-demo")
                        .envs(env.iter().cloned())
                        .stdin(Stdio::null());
                    run(&mut seed, "crewplots-server seed-demo")
                        .context("`cargo xtask dev --no-seed` starts without demo data")
                },
            )?;
        }

        // Ctrl-C reaches the server (same process group) which shuts down gracefully; we only note it and
        // wait, then stop what we started.
        let interrupted = Arc::new(AtomicBool::new(false));
        let flag = interrupted.clone();
        ctrlc::set_handler(move || flag.store(true, Ordering::SeqCst))
            .context("cannot handle Ctrl-C")?;

        println!("\n  Crew Plots is starting on http://localhost:5000   (Ctrl-C stops the server and the stack)\n");
        let mut server = Command::new(server_binary(false));
        server.envs(env).stdin(Stdio::null());
        if has_frontend() {
            server.env("STATIC_DIR", frontend_dir().join("dist"));
        }
        let status = server.status().context("cannot start the server")?;
        if !status.success() && !interrupted.load(Ordering::SeqCst) {
            bail!("the server exited ({status})");
        }
        Ok(())
    })();
    if !started.is_empty() {
        println!();
        stack.down(Some(&started))?;
    }
    result
}

pub fn services_up(profile: Profile) -> anyhow::Result<()> {
    prereq::ensure(&[Need::Postgres, Need::Redis, Need::PythonVenv])?;
    let stack = Stack::new(profile);
    stack.up()?;
    stack.print_status()
}

pub fn services_down(profile: Profile) -> anyhow::Result<()> {
    Stack::new(profile).down(None)
}

pub fn services_status(profile: Profile) -> anyhow::Result<()> {
    Stack::new(profile).print_status()
}

pub fn services_env(profile: Profile) -> anyhow::Result<()> {
    let stack = Stack::new(profile);
    let env = match profile {
        Profile::Dev => stack.server_env()?,
        Profile::Test => stack.test_env()?,
    };
    for (key, value) in env {
        println!("export {key}='{value}'");
    }
    Ok(())
}

pub fn test(cargo_args: &[String]) -> anyhow::Result<()> {
    let started = Instant::now();
    let mut needs = stack_needs();
    needs.push(Need::DockerCompose);
    if has_frontend() {
        needs.push(Need::Chromium);
    }
    prereq::ensure(&needs)?;
    Stack::ensure_secantus()?;

    let stack = Stack::new(Profile::Test);
    ui::step("Resetting the ephemeral test stack", || {
        stack.down(None)?;
        stack.wipe()
    })?;
    stack.up()?;
    let env = stack.test_env()?;

    let mut failures = Vec::new();
    println!("▸ Rust tests (cargo test --workspace)");
    let mut command = cargo();
    command
        .args(["test", "--workspace", "--no-fail-fast"])
        .args(cargo_args)
        .envs(env.iter().cloned())
        // Tests log in many times; the production cost would make the suite take minutes.
        .env("CREWPLOTS__PASSWORD__BCRYPT_COST", "4");
    if let Err(error) = run(&mut command, "cargo test") {
        failures.push(error.to_string());
    }

    if has_frontend() && cargo_args.is_empty() {
        println!("▸ Front-end unit tests (npm test)");
        let dir = frontend_dir();
        let mut install = Command::new("npm");
        install
            .current_dir(&dir)
            .args(["ci", "--no-audit", "--no-fund"]);
        let mut test = Command::new("npm");
        test.current_dir(&dir).args(["test"]);
        match run(&mut install, "npm ci").and_then(|()| run(&mut test, "npm test")) {
            Ok(()) => {
                if let Err(error) = browser_tests(&stack) {
                    failures.push(format!("browser tests: {error:#}"));
                }
            }
            Err(error) => failures.push(error.to_string()),
        }
    }

    if cargo_args.is_empty() {
        // schemathesis against the served OpenAPI document, as every role (bounded: a few minutes).
        if let Err(error) = crate::fuzz::run_all(
            &stack,
            &crate::fuzz::Plan::all_roles(crate::fuzz::TEST_CASES),
        ) {
            failures.push(format!("API fuzzing: {error:#}"));
        }
    }

    stack.down(None)?;
    let seconds = started.elapsed().as_secs_f64();
    if failures.is_empty() {
        println!("✓ all test suites passed in {seconds:.0} s");
        Ok(())
    } else {
        bail!(
            "{} suite(s) failed after {seconds:.0} s: {}",
            failures.len(),
            failures.join("; ")
        )
    }
}

/// The browser tests: the production bundle served by a real server on a fresh database of the test stack,
/// an administrator made with `create-admin`, then `frontend/e2e/run.mjs` in headless Chromium. Screenshots
/// go to `target/e2e-screenshots/`.
fn browser_tests(stack: &Stack) -> anyhow::Result<()> {
    build_frontend_fresh()?;
    build_server()?;
    let database = format!("crewplots_e2e_{}", std::process::id());
    stack.create_database(&stack.secrets()?, &database)?;
    let port = free_port()?;
    let base_url = format!("http://127.0.0.1:{port}");
    // A real SMTP server whose mails land in a Maildir the browser tests read (invitations carry the link
    // a new manager sets their password with).
    let maildir = stack::target_dir().join("e2e-mail");
    let _ = std::fs::remove_dir_all(&maildir);
    let smtp_port = free_port()?;
    let mut smtp = mailbox_smtp(smtp_port, &maildir, "the browser tests")?;
    let mut env = stack.server_env_for(&database)?;
    env.extend([
        ("PORT".to_string(), port.to_string()),
        ("PUBLIC_URL".to_string(), base_url.clone()),
        (
            "STATIC_DIR".to_string(),
            frontend_dir().join("dist").display().to_string(),
        ),
        (
            "CREWPLOTS__PASSWORD__BCRYPT_COST".to_string(),
            "4".to_string(),
        ),
        ("RUST_LOG".to_string(), "warn".to_string()),
        (
            "SMTP_URL".to_string(),
            format!("smtp://127.0.0.1:{smtp_port}"),
        ),
        (
            "MAIL_FROM".to_string(),
            "Crew Plots <e2e@example.test>".to_string(),
        ),
        (
            "CREWPLOTS__MAIL__POLL_INTERVAL_MS".to_string(),
            "200".to_string(),
        ),
    ]);
    let log_path = stack::target_dir().join("e2e-server.log");
    let log = std::fs::File::create(&log_path)?;
    let mut server = Command::new(server_binary(false))
        .envs(env.iter().cloned())
        .stdin(Stdio::null())
        .stdout(log.try_clone()?)
        .stderr(log)
        .spawn()
        .context("cannot start the server for the browser tests")?;
    let result = (|| {
        ui::step(&format!("Waiting for the server on {base_url}"), || {
            wait_ready(port, std::time::Duration::from_secs(60)).with_context(|| {
                format!(
                    "the server did not become ready; see {}",
                    log_path.display()
                )
            })
        })?;
        let admin_password = "e2e administrator password";
        let mut create = Command::new(server_binary(false));
        create
            .args([
                "create-admin",
                "--username",
                "e2e.admin",
                "--email",
                "e2e.admin@example.test",
            ])
            .envs(env.iter().cloned())
            .stdin(Stdio::piped())
            .stdout(Stdio::null());
        let mut child = create.spawn()?;
        if let Some(mut stdin) = child.stdin.take() {
            use std::io::Write;
            writeln!(stdin, "{admin_password}")?;
        }
        if !child.wait()?.success() {
            bail!("create-admin failed");
        }
        println!("▸ Browser tests (frontend/e2e/run.mjs, headless Chromium)");
        let mut e2e = Command::new("node");
        e2e.current_dir(frontend_dir())
            .arg("e2e/run.mjs")
            .env("E2E_BASE_URL", &base_url)
            .env("E2E_ADMIN_LOGIN", "e2e.admin")
            .env("E2E_ADMIN_PASSWORD", admin_password)
            .env(
                "E2E_SCREENSHOT_DIR",
                stack::target_dir().join("e2e-screenshots"),
            )
            .env("E2E_MAILDIR", &maildir);
        run(&mut e2e, "browser tests")
    })();
    let _ = server.kill();
    let _ = server.wait();
    let _ = smtp.kill();
    let _ = smtp.wait();
    result
}

/// Builds the production bundle (always: the browser tests must see the current sources).
fn build_frontend_fresh() -> anyhow::Result<()> {
    ui::step("Building the front end (npm run build)", || {
        let mut build = Command::new("npm");
        build.current_dir(frontend_dir()).args(["run", "build"]);
        run(&mut build, "npm run build")
    })
}

pub(crate) fn free_port() -> anyhow::Result<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port())
}

/// Polls the server's own readiness check.
pub(crate) fn wait_ready(port: u16, limit: std::time::Duration) -> anyhow::Result<()> {
    let deadline = Instant::now() + limit;
    while Instant::now() < deadline {
        let status = Command::new(server_binary(false))
            .args(["healthcheck", "--port", &port.to_string()])
            .stderr(Stdio::null())
            .status()?;
        if status.success() {
            return Ok(());
        }
        std::thread::sleep(std::time::Duration::from_millis(250));
    }
    bail!("not ready after {limit:?}")
}

/// Writes the OpenAPI document for the front end and regenerates its types.
pub fn openapi() -> anyhow::Result<()> {
    build_server()?;
    let output = Command::new(server_binary(false)).arg("openapi").output()?;
    if !output.status.success() {
        bail!("crewplots-server openapi failed");
    }
    let target = frontend_dir().join("src/api/openapi.json");
    std::fs::write(&target, &output.stdout)?;
    ui::info(&format!("wrote {}", target.display()));
    let mut generate = Command::new("npm");
    generate
        .current_dir(frontend_dir())
        .args(["run", "gen:api"]);
    run(&mut generate, "npm run gen:api")
}

/// Runs a `crewplots-server` subcommand against `DATABASE_URL`/`MONGODB_URL` from the environment, or else
/// the running development stack.
fn server_subcommand(args: &[&str]) -> anyhow::Result<()> {
    build_server()?;
    let mut command = Command::new(server_binary(false));
    command.args(args);
    if std::env::var_os("DATABASE_URL").is_none() {
        let stack = Stack::new(Profile::Dev);
        if !stack.is_running(stack::Service::Postgres) {
            bail!("DATABASE_URL is not set and the development stack is not running (`cargo xtask services up`)");
        }
        command.envs(stack.server_env()?);
    }
    run(
        &mut command,
        &format!("crewplots-server {}", args.join(" ")),
    )
}

pub fn migrate() -> anyhow::Result<()> {
    server_subcommand(&["migrate"])
}

/// The orphan sweep: encrypted content without a database row, older than the grace period.
pub fn gc(grace_minutes: u64) -> anyhow::Result<()> {
    server_subcommand(&["gc", "--grace-minutes", &grace_minutes.to_string()])
}

/// One retention run: erases closed applicants past RETENTION_DAYS (not on hold).
pub fn retention() -> anyhow::Result<()> {
    server_subcommand(&["retention"])
}

pub fn build() -> anyhow::Result<()> {
    if has_frontend() {
        prereq::ensure(&[Need::Node])?;
    }
    ui::step("Release build of the server", || {
        let mut command = cargo();
        command.args(["build", "--release", "-p", "crewplots-server"]);
        run(&mut command, "cargo build --release")
    })?;
    build_frontend()?;
    ui::info(&format!("server: {}", server_binary(true).display()));
    if has_frontend() {
        ui::info(&format!(
            "front end: {}",
            frontend_dir().join("dist").display()
        ));
    }
    Ok(())
}

/// A real SMTP server on loopback (aiosmtpd from the stack's venv) that files every mail it receives in
/// the Maildir `maildir`.
pub fn mailbox_smtp(
    port: u16,
    maildir: &std::path::Path,
    purpose: &str,
) -> anyhow::Result<std::process::Child> {
    Command::new(Stack::venv_python())
        .args(["-m", "aiosmtpd", "-n", "-l", &format!("127.0.0.1:{port}")])
        .args(["-c", "aiosmtpd.handlers.Mailbox"])
        .arg(maildir)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .with_context(|| format!("cannot start aiosmtpd for {purpose}"))
}

//! `docker compose -f deploy/docker-compose.yml --env-file deploy/.env …` from the repository root: the
//! `compose` subcommand, and the `docker compose exec` steps of backup and restore in compose mode.
//!
//! In the containers, the database programs authenticate with what the containers already know: PostgreSQL
//! trusts its local socket, and the MongoDB root credentials come from the `mongodb` container's own
//! environment (set from the env file by compose), so no password appears on this machine's command lines.

use std::collections::BTreeMap;
use std::fs;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::{bail, Context as _};

use super::exit_like;
use super::postgres::{Summary, RESTORE_FLAGS, SUMMARY_SQL};
use crate::prereq;
use crate::process::output_of;
use crate::stack;

pub const COMPOSE_FILE: &str = "deploy/docker-compose.yml";
const DEFAULT_ENV_FILE: &str = "deploy/.env";

/// What `cargo xtask compose` runs.
#[derive(clap::ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum ComposeAction {
    /// Check the file and the settings and print the resolved configuration.
    Config,
    /// Build and start the stack in the background (`up -d --build`).
    Up,
    /// Stop and remove the containers (the data volumes stay).
    Down,
    /// Show the containers' logs.
    Logs,
    /// List the containers and their health.
    Ps,
}

impl ComposeAction {
    fn name(self) -> &'static str {
        match self {
            Self::Config => "config",
            Self::Up => "up",
            Self::Down => "down",
            Self::Logs => "logs",
            Self::Ps => "ps",
        }
    }
}

/// `cargo xtask compose ACTION [ARGS…]`: exits with the compose command's exit code.
pub fn compose(
    action: ComposeAction,
    env_file: Option<&Path>,
    args: &[String],
) -> anyhow::Result<()> {
    // `--env-file` is ours wherever it stands (compose itself only takes it before the action).
    let (late_env_file, args) = take_env_file(args)?;
    let compose = Compose::new(late_env_file.as_deref().or(env_file))?;
    let mut command = compose.command();
    command.arg(action.name());
    if action == ComposeAction::Up {
        command.args(up_defaults(&args));
    }
    command.args(&args);
    eprintln!("▸ {}", compose.describe(&command));
    let status = command
        .status()
        .with_context(|| format!("cannot start {}", compose.program.join(" ")))?;
    exit_like(status)
}

/// Takes `--env-file PATH` / `--env-file=PATH` out of the arguments meant for compose.
fn take_env_file(args: &[String]) -> anyhow::Result<(Option<PathBuf>, Vec<String>)> {
    let mut env_file = None;
    let mut rest = Vec::with_capacity(args.len());
    let mut words = args.iter();
    while let Some(word) = words.next() {
        if word == "--env-file" {
            let path = words.next().context("--env-file needs a path")?;
            env_file = Some(PathBuf::from(path));
        } else if let Some(path) = word.strip_prefix("--env-file=") {
            env_file = Some(PathBuf::from(path));
        } else {
            rest.push(word.clone());
        }
    }
    Ok((env_file, rest))
}

/// `-d --build`, minus what the given arguments already decide.
fn up_defaults(args: &[String]) -> Vec<&'static str> {
    let has = |flags: &[&str]| args.iter().any(|a| flags.contains(&a.as_str()));
    let mut defaults = Vec::new();
    if !has(&["-d", "--detach"]) {
        defaults.push("-d");
    }
    if !has(&["--build", "--no-build"]) {
        defaults.push("--build");
    }
    defaults
}

/// The compose program of this machine and the stack's settings file.
#[derive(Debug)]
pub struct Compose {
    program: Vec<String>,
    env_file: PathBuf,
    settings: BTreeMap<String, String>,
}

impl Compose {
    /// Finds the compose program and reads the env file (`deploy/.env` unless another is given; a relative
    /// path is taken from the current folder).
    pub fn new(env_file: Option<&Path>) -> anyhow::Result<Self> {
        let env_file = match env_file {
            Some(path) if path.is_relative() => std::env::current_dir()?.join(path),
            Some(path) => path.to_path_buf(),
            None => stack::repo_root().join(DEFAULT_ENV_FILE),
        };
        if !env_file.is_file() {
            bail!(
                "{} does not exist. Create it from the example and fill in the secrets:\n    \
                 cp deploy/.env.example deploy/.env && chmod 600 deploy/.env\n    \
                 cargo xtask gen-secrets\n(or choose another settings file with --env-file PATH)",
                env_file.display()
            );
        }
        let text = fs::read_to_string(&env_file)
            .with_context(|| format!("cannot read {}", env_file.display()))?;
        Ok(Self {
            program: program()?,
            env_file,
            settings: parse_env_file(&text),
        })
    }

    /// `docker compose -f deploy/docker-compose.yml --env-file FILE`, run from the repository root.
    pub fn command(&self) -> Command {
        let mut command = Command::new(&self.program[0]);
        command
            .args(&self.program[1..])
            .current_dir(stack::repo_root())
            .args(["-f", COMPOSE_FILE, "--env-file"])
            .arg(&self.env_file);
        command
    }

    fn describe(&self, command: &Command) -> String {
        let mut words = vec![command.get_program().to_string_lossy().into_owned()];
        words.extend(command.get_args().map(|a| a.to_string_lossy().into_owned()));
        words.join(" ")
    }

    /// `… exec -T SERVICE ARGS…`: a program in a running container, its standard streams unbuffered.
    fn exec(&self, service: &str, args: &[String]) -> Command {
        let mut command = self.command();
        command.args(["exec", "-T", service]).args(args);
        command
    }

    /// A value of the env file, or the compose file's default for it.
    pub fn setting(&self, name: &str, default: &str) -> String {
        self.settings
            .get(name)
            .filter(|value| !value.is_empty())
            .cloned()
            .unwrap_or_else(|| default.to_string())
    }

    pub fn postgres_user(&self) -> String {
        self.setting("POSTGRES_USER", "crewplots")
    }

    pub fn postgres_db(&self) -> String {
        self.setting("POSTGRES_DB", "crewplots")
    }

    pub fn mongo_db(&self) -> String {
        self.setting("MONGODB_DB_NAME", "crewplots")
    }

    /// `pg_dump -Fc` in the postgres container, written to `out`.
    pub fn pg_dump(&self, out: &mut dyn Write) -> anyhow::Result<()> {
        let args = pg_dump_args(&self.postgres_user(), &self.postgres_db());
        copy_from(
            self.exec("postgres", &args),
            out,
            "pg_dump (postgres container)",
        )
    }

    /// `pg_restore` in the postgres container, fed from `dump`.
    pub fn pg_restore(&self, dump: &mut dyn Read) -> anyhow::Result<()> {
        let args = pg_restore_args(&self.postgres_user(), &self.postgres_db());
        copy_into(
            self.exec("postgres", &args),
            dump,
            "pg_restore (postgres container)",
        )
    }

    pub fn pg_summary(&self) -> anyhow::Result<Summary> {
        let args = psql_args(&self.postgres_user(), &self.postgres_db());
        let output = output_of(
            self.exec("postgres", &args).stdin(Stdio::null()),
            "psql (postgres container)",
        )?;
        Summary::parse(&output)
    }

    /// `mongodump --archive --gzip` of the application database in the mongodb container, to `out`.
    pub fn mongodump(&self, out: &mut dyn Write) -> anyhow::Result<()> {
        copy_from(
            self.exec("mongodb", &mongodump_args(&self.mongo_db())),
            out,
            "mongodump (mongodb container)",
        )
    }

    /// `mongorestore --archive --gzip --drop` in the mongodb container, fed from `archive`; collections of
    /// `from_db` go to the stack's database.
    pub fn mongorestore(&self, archive: &mut dyn Read, from_db: &str) -> anyhow::Result<()> {
        copy_into(
            self.exec("mongodb", &mongorestore_args(from_db, &self.mongo_db())),
            archive,
            "mongorestore (mongodb container)",
        )
    }

    /// Document count of every collection of the application database (through mongosh).
    pub fn mongo_counts(&self) -> anyhow::Result<BTreeMap<String, u64>> {
        let output = output_of(
            self.exec("mongodb", &mongo_count_args(&self.mongo_db()))
                .stdin(Stdio::null()),
            "mongosh (mongodb container)",
        )?;
        let line = output
            .lines()
            .rev()
            .find(|line| !line.trim().is_empty())
            .unwrap_or("{}");
        serde_json::from_str(line.trim())
            .with_context(|| format!("unexpected answer from mongosh: {output:?}"))
    }
}

/// `docker compose` (v2) when the Docker CLI has it, else `docker-compose` (e.g. Debian's 1.29).
fn program() -> anyhow::Result<Vec<String>> {
    let v2 = Command::new("docker")
        .args(["compose", "version"])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if v2 {
        return Ok(vec!["docker".into(), "compose".into()]);
    }
    if prereq::which("docker-compose").is_some() {
        return Ok(vec!["docker-compose".into()]);
    }
    bail!(
        "neither `docker compose` (the Compose v2 plugin) nor `docker-compose` is installed \
         (see Prerequisites in deploy/README.md)"
    )
}

/// `NAME=value` lines of an env file; comments and blank lines skipped, surrounding quotes removed.
fn parse_env_file(text: &str) -> BTreeMap<String, String> {
    text.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .filter_map(|line| line.split_once('='))
        .map(|(name, value)| {
            let value = value.trim();
            let unquoted = ['"', '\'']
                .iter()
                .find_map(|q| value.strip_prefix(*q)?.strip_suffix(*q))
                .unwrap_or(value);
            (name.trim().to_string(), unquoted.to_string())
        })
        .collect()
}

fn strings(words: &[&str]) -> Vec<String> {
    words.iter().map(|w| (*w).to_string()).collect()
}

fn pg_dump_args(user: &str, db: &str) -> Vec<String> {
    strings(&["pg_dump", "--format=custom", "-U", user, db])
}

fn pg_restore_args(user: &str, db: &str) -> Vec<String> {
    let mut args = strings(&["pg_restore"]);
    args.extend(strings(&RESTORE_FLAGS));
    args.extend(strings(&["-U", user, "-d", db]));
    args
}

fn psql_args(user: &str, db: &str) -> Vec<String> {
    strings(&[
        "psql",
        "-X",
        "-q",
        "-t",
        "-A",
        "-v",
        "ON_ERROR_STOP=1",
        "-U",
        user,
        "-d",
        db,
        "-c",
        SUMMARY_SQL,
    ])
}

/// Root login for the MongoDB tools, expanded by the container's shell from the container's environment.
const MONGO_ROOT_LOGIN: &str = "--username \"$MONGO_INITDB_ROOT_USERNAME\" \
     --password \"$MONGO_INITDB_ROOT_PASSWORD\" --authenticationDatabase admin";

fn mongodump_args(db: &str) -> Vec<String> {
    let script = format!("exec mongodump --archive --gzip --db \"$1\" {MONGO_ROOT_LOGIN}");
    strings(&["sh", "-c", &script, "mongodump", db])
}

fn mongorestore_args(from_db: &str, to_db: &str) -> Vec<String> {
    let script = format!(
        "exec mongorestore --archive --gzip --drop --nsInclude \"$1.*\" --nsFrom \"$1.*\" --nsTo \"$2.*\" \
         {MONGO_ROOT_LOGIN}"
    );
    strings(&["sh", "-c", &script, "mongorestore", from_db, to_db])
}

const MONGO_COUNT_SCRIPT: &str = "const counts = {}; \
    for (const info of db.getCollectionInfos({ type: 'collection' })) { \
      if (!info.name.startsWith('system.')) { \
        counts[info.name] = db.getCollection(info.name).countDocuments({}); \
      } \
    } \
    print(JSON.stringify(counts));";

fn mongo_count_args(db: &str) -> Vec<String> {
    let script = format!("exec mongosh --quiet {MONGO_ROOT_LOGIN} --eval \"$2\" \"$1\"");
    strings(&["sh", "-c", &script, "mongosh", db, MONGO_COUNT_SCRIPT])
}

/// Runs `command` and copies its standard output to `out`.
fn copy_from(mut command: Command, out: &mut dyn Write, what: &str) -> anyhow::Result<()> {
    let mut child = command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .spawn()
        .with_context(|| format!("cannot start {what}"))?;
    let copied = match child.stdout.take() {
        Some(mut stdout) => io::copy(&mut stdout, out).map(|_| ()),
        None => Ok(()),
    };
    let status = child.wait()?;
    if !status.success() {
        bail!("{what} failed ({status})");
    }
    copied.with_context(|| format!("cannot store the output of {what}"))
}

/// Runs `command` with `data` on its standard input.
fn copy_into(mut command: Command, data: &mut dyn Read, what: &str) -> anyhow::Result<()> {
    let mut child = command
        .stdin(Stdio::piped())
        .spawn()
        .with_context(|| format!("cannot start {what}"))?;
    let copied = match child.stdin.take() {
        // The pipe closes when `stdin` is dropped at the end of this arm: the program sees the end.
        Some(mut stdin) => io::copy(data, &mut stdin).map(|_| ()),
        None => Ok(()),
    };
    let status = child.wait()?;
    if !status.success() {
        bail!("{what} failed ({status})");
    }
    copied.with_context(|| format!("cannot feed {what}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_env_file_is_read_like_compose_reads_it() {
        let settings = parse_env_file(
            "# comment\n\nPOSTGRES_DB=crew\nPOSTGRES_USER = \"owner\"\nEMPTY=\nURL=a=b\n",
        );
        assert_eq!(
            settings.get("POSTGRES_DB").map(String::as_str),
            Some("crew")
        );
        assert_eq!(
            settings.get("POSTGRES_USER").map(String::as_str),
            Some("owner")
        );
        assert_eq!(settings.get("URL").map(String::as_str), Some("a=b"));
        assert_eq!(settings.get("EMPTY").map(String::as_str), Some(""));
        assert_eq!(settings.len(), 4);
    }

    #[test]
    fn an_env_file_after_the_action_is_still_ours() {
        let (file, rest) = take_env_file(&strings(&["-f", "--env-file", "x.env", "app"])).unwrap();
        assert_eq!(file, Some(PathBuf::from("x.env")));
        assert_eq!(rest, strings(&["-f", "app"]));
        let (file, rest) = take_env_file(&strings(&["--env-file=y.env"])).unwrap();
        assert_eq!((file, rest), (Some(PathBuf::from("y.env")), Vec::new()));
        assert!(take_env_file(&strings(&["--env-file"])).is_err());
    }

    #[test]
    fn up_detaches_and_builds_unless_told_otherwise() {
        assert_eq!(up_defaults(&[]), ["-d", "--build"]);
        assert_eq!(up_defaults(&strings(&["--no-build", "app"])), ["-d"]);
        assert_eq!(up_defaults(&strings(&["--detach"])), ["--build"]);
    }

    #[test]
    fn container_commands_keep_passwords_inside_the_container() {
        let dump = mongodump_args("crewplots");
        assert_eq!(dump[..2], strings(&["sh", "-c"]));
        assert!(dump[2].contains("mongodump --archive --gzip --db \"$1\""));
        assert!(dump[2].contains("\"$MONGO_INITDB_ROOT_PASSWORD\""));
        assert_eq!(dump[4], "crewplots");
        let restore = mongorestore_args("old", "new");
        assert!(restore[2].contains("--archive --gzip --drop"));
        assert_eq!(restore[4..], strings(&["old", "new"]));
        assert_eq!(
            pg_restore_args("crewplots", "crewplots"),
            strings(&[
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                "-U",
                "crewplots",
                "-d",
                "crewplots"
            ])
        );
        assert_eq!(
            pg_dump_args("u", "d"),
            strings(&["pg_dump", "--format=custom", "-U", "u", "d"])
        );
    }
}

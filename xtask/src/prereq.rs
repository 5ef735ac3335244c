//! Prerequisites: find the programs the stack needs and, when running as root on Debian, install the
//! missing ones from Debian's packages. Otherwise print the exact command to run.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{bail, Context as _};

use crate::ui;

/// Something the tasks need from the machine.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Need {
    Postgres,
    Redis,
    PythonVenv,
    DockerCompose,
    Node,
    /// For the browser tests (driven by playwright-core; it cannot download its own browser here).
    Chromium,
}

impl Need {
    fn package(self) -> &'static [&'static str] {
        match self {
            Self::Postgres => &["postgresql"],
            Self::Redis => &["redis-server"],
            Self::PythonVenv => &["python3-venv"],
            Self::DockerCompose => &["docker-compose"],
            Self::Node => &["nodejs", "npm"],
            Self::Chromium => &["chromium"],
        }
    }

    fn present(self) -> bool {
        match self {
            Self::Postgres => postgres_bin_dir().is_some(),
            Self::Redis => which("redis-server").is_some(),
            Self::PythonVenv => python().is_some_and(|py| {
                Command::new(py)
                    .args(["-c", "import venv, ensurepip"])
                    .output()
                    .is_ok_and(|o| o.status.success())
            }),
            Self::DockerCompose => which("docker-compose").is_some(),
            Self::Node => which("node").is_some() && which("npm").is_some(),
            Self::Chromium => is_executable(Path::new("/usr/bin/chromium")),
        }
    }
}

/// Makes sure every need is met, installing with apt-get when we are root.
pub fn ensure(needs: &[Need]) -> anyhow::Result<()> {
    let missing: Vec<Need> = needs.iter().copied().filter(|n| !n.present()).collect();
    if missing.is_empty() {
        return Ok(());
    }
    let packages: Vec<&str> = missing
        .iter()
        .flat_map(|n| n.package().iter().copied())
        .collect();
    let command = format!(
        "apt-get install -y --no-install-recommends {}",
        packages.join(" ")
    );
    if !is_root() {
        bail!(
            "missing prerequisites; install them with:\n    sudo apt-get update && sudo {command}"
        );
    }
    ui::step(
        &format!("Installing {} from Debian's packages", packages.join(", ")),
        || {
            run_apt(&["update"])?;
            let mut args = vec!["install", "-y", "--no-install-recommends"];
            args.extend(packages.iter().copied());
            run_apt(&args)
        },
    )?;
    let still: Vec<Need> = missing.into_iter().filter(|n| !n.present()).collect();
    if !still.is_empty() {
        bail!("still missing after installing: {still:?}");
    }
    Ok(())
}

fn run_apt(args: &[&str]) -> anyhow::Result<()> {
    let status = Command::new("apt-get")
        .args(args)
        .env("DEBIAN_FRONTEND", "noninteractive")
        .status()
        .context("cannot run apt-get")?;
    if !status.success() {
        bail!("apt-get {} failed ({status})", args.join(" "));
    }
    Ok(())
}

pub fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

/// A program on PATH.
pub fn which(program: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(program))
        .find(|candidate| is_executable(candidate))
}

fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    path.metadata()
        .is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

/// The server binaries of PostgreSQL: version 15 (what production runs) when installed, else the newest.
pub fn postgres_bin_dir() -> Option<PathBuf> {
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(Result::ok)
        .filter_map(|entry| {
            let version = entry.file_name().to_str()?.parse::<u32>().ok()?;
            let bin = entry.path().join("bin");
            is_executable(&bin.join("initdb")).then_some((version, bin))
        })
        .collect();
    versions.sort();
    versions
        .iter()
        .find(|(v, _)| *v == 15)
        .or(versions.last())
        .map(|(_, bin)| bin.clone())
}

/// The Python interpreter used to make the SecantusDB virtual environment.
pub fn python() -> Option<PathBuf> {
    which("python3")
}

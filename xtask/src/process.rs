//! Running programs: one place for "run this, fail with its status" and "run this, give me its output".

use std::process::Command;

use anyhow::{bail, Context as _};

/// Runs a command whose output goes to the terminal; fails with its status.
pub fn run(command: &mut Command, what: &str) -> anyhow::Result<()> {
    let status = command
        .status()
        .with_context(|| format!("cannot start {what}"))?;
    if !status.success() {
        bail!("{what} failed ({status})");
    }
    Ok(())
}

/// Runs a command and returns its standard output (standard error goes to the terminal).
pub fn output_of(command: &mut Command, what: &str) -> anyhow::Result<String> {
    let output = command
        .stderr(std::process::Stdio::inherit())
        .output()
        .with_context(|| format!("cannot start {what}"))?;
    if !output.status.success() {
        bail!("{what} failed ({})", output.status);
    }
    String::from_utf8(output.stdout)
        .with_context(|| format!("{what} printed something that is not UTF-8"))
}

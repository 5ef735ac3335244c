//! PostgreSQL for backup and restore: Debian's `pg_dump` / `pg_restore` / `psql` against a URL (local mode),
//! and the row-count query that both modes run.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::Context as _;
use serde::Deserialize;

use super::split_password;
use crate::prereq;
use crate::process::{output_of, run};

/// The database's name and the row count of every table in the `public` schema, as one JSON object.
/// `query_to_xml` lets a single statement count tables whose names it only learns from the catalogue.
pub const SUMMARY_SQL: &str = "\
SELECT json_build_object(
  'database', current_database(),
  'tables', coalesce((
    SELECT json_object_agg(
      c.relname,
      (xpath('/row/n/text()',
             query_to_xml(format('SELECT count(*) AS n FROM public.%I', c.relname), false, true, '')))[1]::text::bigint
      ORDER BY c.relname)
    FROM pg_class c JOIN pg_namespace ns ON ns.oid = c.relnamespace
    WHERE ns.nspname = 'public' AND c.relkind IN ('r', 'p')
  ), '{}'::json))";

/// What [`SUMMARY_SQL`] returns.
#[derive(Debug, Deserialize)]
pub struct Summary {
    pub database: String,
    pub tables: BTreeMap<String, u64>,
}

impl Summary {
    pub fn parse(psql_output: &str) -> anyhow::Result<Self> {
        serde_json::from_str(psql_output.trim())
            .with_context(|| format!("unexpected answer to the row-count query: {psql_output:?}"))
    }
}

/// The flags of every `pg_restore` run: replace what the dump contains, all or nothing.
pub const RESTORE_FLAGS: [&str; 4] = [
    "--clean",
    "--if-exists",
    "--no-owner",
    "--single-transaction",
];

/// A PostgreSQL database reached from this machine.
#[derive(Debug)]
pub struct LocalPostgres {
    /// The connection URL without its password.
    url: String,
    password: Option<String>,
    bin: PathBuf,
}

impl LocalPostgres {
    pub fn new(url: &str) -> anyhow::Result<Self> {
        let (url, password) = split_password(url);
        // The stack's own version first (15, what production runs), else whatever PATH offers.
        let bin = prereq::postgres_bin_dir()
            .or_else(|| prereq::which("pg_dump").and_then(|p| p.parent().map(Path::to_path_buf)))
            .context(
                "PostgreSQL client programs (pg_dump, pg_restore, psql) not found: \
                 apt-get install postgresql-client",
            )?;
        Ok(Self { url, password, bin })
    }

    fn command(&self, program: &str) -> Command {
        let mut command = Command::new(self.bin.join(program));
        command
            .stdin(Stdio::null())
            .env("PGCONNECT_TIMEOUT", "10")
            .env("PGAPPNAME", "crewplots-xtask");
        if let Some(password) = &self.password {
            command.env("PGPASSWORD", password);
        }
        command
    }

    /// `pg_dump -Fc` into `file` (a real file, so the dump's table of contents records where each table's
    /// data starts).
    pub fn dump(&self, file: &Path) -> anyhow::Result<()> {
        run(
            self.command("pg_dump")
                .args(["--format=custom", "--dbname"])
                .arg(&self.url)
                .arg("--file")
                .arg(file),
            "pg_dump",
        )
    }

    /// `pg_restore` of a custom-format dump, in one transaction: on any error nothing changes.
    pub fn restore(&self, file: &Path) -> anyhow::Result<()> {
        run(
            self.command("pg_restore")
                .args(RESTORE_FLAGS)
                .arg("--dbname")
                .arg(&self.url)
                .arg(file),
            "pg_restore",
        )
    }

    pub fn summary(&self) -> anyhow::Result<Summary> {
        let output = output_of(
            self.command("psql")
                .args(["-X", "-q", "-t", "-A", "-v", "ON_ERROR_STOP=1", "--dbname"])
                .arg(&self.url)
                .args(["-c", SUMMARY_SQL]),
            "psql (row counts)",
        )?;
        Summary::parse(&output)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_row_count_answer_is_read_as_database_and_tables() {
        let summary = Summary::parse(
            "{\"database\" : \"crewplots\", \"tables\" : {\"audit_log\" : 3, \"shift\" : 0}}\n",
        )
        .unwrap();
        assert_eq!(summary.database, "crewplots");
        assert_eq!(summary.tables.get("audit_log"), Some(&3));
        assert_eq!(summary.tables.len(), 2);
        assert!(Summary::parse("{\"database\":\"x\",\"tables\":{}}")
            .unwrap()
            .tables
            .is_empty());
    }
}

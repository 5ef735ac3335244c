//! `cargo xtask backup` and `cargo xtask restore`: PostgreSQL first, then MongoDB, into one archive (see
//! [`super::archive`]); restore only after the archive has been checked, and then a comparison of row and
//! document counts with the manifest.
//!
//! PostgreSQL is dumped before MongoDB on purpose: a row that points at a MongoDB document (a profile, a
//! file) was written after that document, so the later MongoDB dump still contains it.

use std::collections::BTreeMap;
use std::fs;
use std::io::{self, BufRead as _, IsTerminal as _, Write as _};
use std::os::unix::fs::DirBuilderExt as _;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use anyhow::{bail, Context as _};
use chrono::{DateTime, NaiveDateTime, Utc};

use super::archive::{
    self, ArchiveWriter, CollectionEntry, Manifest, MongoLayout, MongoPart, PostgresPart,
    SourceKind, Verified, KEY_NOTICE, MONGO_ARCHIVE, POSTGRES_DUMP,
};
use super::compose::Compose;
use super::mongo::{CollectionDescription, LocalMongo};
use super::postgres::LocalPostgres;
use super::{human_bytes, redact_url, Progress, Target};
use crate::stack::{self, Profile, Service, Stack};
use crate::ui;

const STAMP_FORMAT: &str = "%Y%m%dT%H%M%SZ";

/// The databases of local mode, and where their addresses came from.
#[derive(Debug)]
struct Local {
    database_url: String,
    mongodb_url: String,
    mongodb_db: String,
}

impl Local {
    /// Flags, else the environment, else the development stack. Mixing an explicit PostgreSQL with the
    /// development MongoDB (or the reverse) is refused: a backup or restore would span two installations.
    fn resolve(target: &Target) -> anyhow::Result<Self> {
        let from_env = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
        let database_url = target
            .database_url
            .clone()
            .or_else(|| from_env("DATABASE_URL"));
        let mongodb_url = target
            .mongodb_url
            .clone()
            .or_else(|| from_env("MONGODB_URL"));
        let mongodb_db = target
            .mongodb_db
            .clone()
            .or_else(|| from_env("MONGODB_DB_NAME"));
        match (database_url, mongodb_url) {
            (Some(database_url), Some(mongodb_url)) => Ok(Self {
                database_url,
                mongodb_url,
                mongodb_db: mongodb_db.unwrap_or_else(|| "crewplots".into()),
            }),
            (None, None) => {
                let stack = Stack::new(Profile::Dev);
                if !(stack.is_running(Service::Postgres) && stack.is_running(Service::Mongo)) {
                    bail!(
                        "no databases given (--database-url and --mongodb-url, or DATABASE_URL and \
                         MONGODB_URL) and the development stack is not running (`cargo xtask services up`); \
                         for the production containers use --compose"
                    );
                }
                let env: BTreeMap<String, String> = stack.server_env()?.into_iter().collect();
                let get = |name: &str| {
                    env.get(name)
                        .cloned()
                        .with_context(|| format!("the development stack has no {name}"))
                };
                Ok(Self {
                    database_url: get("DATABASE_URL")?,
                    mongodb_url: get("MONGODB_URL")?,
                    mongodb_db: mongodb_db.map_or_else(|| get("MONGODB_DB_NAME"), Ok)?,
                })
            }
            (Some(_), None) => bail!(
                "a PostgreSQL URL is given but no MongoDB URL: give both (--mongodb-url or MONGODB_URL), \
                 so that the backup covers one installation"
            ),
            (None, Some(_)) => bail!(
                "a MongoDB URL is given but no PostgreSQL URL: give both (--database-url or DATABASE_URL), \
                 so that the backup covers one installation"
            ),
        }
    }
}

// ---- backup ------------------------------------------------------------------------------------------

/// Where a backup reads from.
#[derive(Debug)]
enum Source {
    Local(Local),
    Compose(Compose),
}

/// `cargo xtask backup`.
pub fn backup(out: Option<&Path>, keep_days: Option<u32>, target: &Target) -> anyhow::Result<()> {
    // Settle where the data comes from before anything is written.
    let source = if target.compose {
        Source::Compose(Compose::new(target.env_file.as_deref())?)
    } else {
        Source::Local(Local::resolve(target)?)
    };
    let out = match out {
        Some(dir) => dir.to_path_buf(),
        None => stack::repo_root().join("backups"),
    };
    if !out.exists() {
        fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(&out)
            .with_context(|| format!("cannot create {}", out.display()))?;
    }
    let started = Utc::now();
    let mtime = u64::try_from(started.timestamp()).unwrap_or_default();
    let mut writer = ArchiveWriter::create(&out, &started.format(STAMP_FORMAT).to_string(), mtime)?;
    let (postgres, mongo) = match &source {
        Source::Local(local) => backup_local(&mut writer, local)?,
        Source::Compose(compose) => backup_compose(&mut writer, compose)?,
    };
    let manifest = Manifest {
        format: archive::FORMAT.into(),
        format_version: archive::FORMAT_VERSION,
        created_at: started.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        source: if target.compose {
            SourceKind::Compose
        } else {
            SourceKind::Local
        },
        encryption_keys: KEY_NOTICE.into(),
        postgres,
        mongo,
        members: Vec::new(),
    };
    let rows: u64 = manifest.postgres.tables.values().sum();
    let documents: u64 = manifest.mongo.collections.iter().map(|c| c.documents).sum();
    let summary = format!(
        "PostgreSQL {}: {} tables, {rows} rows; MongoDB {}: {} collections, {documents} documents",
        manifest.postgres.database,
        manifest.postgres.tables.len(),
        manifest.mongo.database,
        manifest.mongo.collections.len()
    );
    let written = ui::step("Closing the archive", || writer.finish(manifest))?;
    println!(
        "✓ backup written: {} ({})\n  {summary}\n  SHA-256 {} (in {})",
        written.path.display(),
        human_bytes(written.bytes),
        written.sha256,
        archive::checksum_path(&written.path).display()
    );
    let pruned = keep_days.map_or(Ok(()), |days| prune(&out, days, &written.path));
    println!("\n  {KEY_NOTICE}");
    pruned
}

fn backup_local(
    writer: &mut ArchiveWriter,
    local: &Local,
) -> anyhow::Result<(PostgresPart, MongoPart)> {
    let postgres = LocalPostgres::new(&local.database_url)?;
    ui::info(&format!("PostgreSQL: {}", redact_url(&local.database_url)));
    ui::info(&format!(
        "MongoDB:    {} (database {})",
        redact_url(&local.mongodb_url),
        local.mongodb_db
    ));

    ui::step("PostgreSQL: pg_dump -Fc", || {
        let scratch = writer.scratch(POSTGRES_DUMP);
        postgres.dump(&scratch)?;
        writer.add_file(POSTGRES_DUMP, &scratch)?;
        ui::info(&writer.describe_last());
        Ok(())
    })?;
    let summary = ui::step("PostgreSQL: counting rows", || postgres.summary())?;
    for (table, rows) in &summary.tables {
        ui::info(&format!("{table}: {rows} rows"));
    }

    let mongo = ui::step("MongoDB: connecting", || {
        LocalMongo::connect(&local.mongodb_url, &local.mongodb_db)
    })?;
    let collections = ui::step(
        &format!("MongoDB: dumping the collections of {}", local.mongodb_db),
        || {
            let mut entries = Vec::new();
            for (name, options) in mongo.collections()? {
                let (data, indexes) = archive::collection_members(&name);
                let description = mongo.describe(&name, options)?;
                writer.add_with(&indexes, |out| {
                    serde_json::to_writer_pretty(&mut *out, &description)?;
                    Ok(out.write_all(b"\n")?)
                })?;
                let mut progress = Progress::new(&name);
                let documents =
                    writer.add_with(&data, |out| mongo.dump(&name, out, &mut progress))?;
                progress.finish();
                entries.push(CollectionEntry {
                    name,
                    documents,
                    data: Some(data),
                    indexes: Some(indexes),
                });
            }
            if entries.is_empty() {
                ui::info("no collections (an empty database)");
            }
            Ok(entries)
        },
    )?;
    Ok((
        PostgresPart {
            database: summary.database,
            dump: POSTGRES_DUMP.into(),
            tables: summary.tables,
        },
        MongoPart {
            database: mongo.database_name().to_string(),
            layout: MongoLayout::Bson,
            archive: None,
            collections,
        },
    ))
}

fn backup_compose(
    writer: &mut ArchiveWriter,
    compose: &Compose,
) -> anyhow::Result<(PostgresPart, MongoPart)> {
    ui::step("PostgreSQL: pg_dump -Fc in the postgres container", || {
        writer.add_with(POSTGRES_DUMP, |out| compose.pg_dump(out))?;
        ui::info(&writer.describe_last());
        Ok(())
    })?;
    let summary = ui::step("PostgreSQL: counting rows", || compose.pg_summary())?;
    ui::step(
        "MongoDB: mongodump --archive --gzip in the mongodb container",
        || {
            writer.add_with(MONGO_ARCHIVE, |out| compose.mongodump(out))?;
            ui::info(&writer.describe_last());
            Ok(())
        },
    )?;
    let counts = ui::step("MongoDB: counting documents", || compose.mongo_counts())?;
    for (name, documents) in &counts {
        ui::info(&format!("{name}: {documents} documents"));
    }
    Ok((
        PostgresPart {
            database: summary.database,
            dump: POSTGRES_DUMP.into(),
            tables: summary.tables,
        },
        MongoPart {
            database: compose.mongo_db(),
            layout: MongoLayout::MongodumpArchive,
            archive: Some(MONGO_ARCHIVE.into()),
            collections: counts
                .into_iter()
                .map(|(name, documents)| CollectionEntry {
                    name,
                    documents,
                    data: None,
                    indexes: None,
                })
                .collect(),
        },
    ))
}

/// Deletes `crewplots-backup-<stamp>.tar` (and its `.sha256`) older than `days` from `dir`, by the time in
/// the name; never `keep`, the archive just written.
fn prune(dir: &Path, days: u32, keep: &Path) -> anyhow::Result<()> {
    let limit = Utc::now() - chrono::Duration::days(i64::from(days));
    let mut deleted = 0;
    let mut entries: Vec<PathBuf> = fs::read_dir(dir)?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .collect();
    entries.sort();
    for path in entries {
        if path == keep {
            continue;
        }
        let Some(made) = path
            .file_name()
            .and_then(|n| n.to_str())
            .and_then(archive_time)
        else {
            continue;
        };
        if made >= limit {
            continue;
        }
        fs::remove_file(&path).with_context(|| format!("cannot delete {}", path.display()))?;
        let checksum = archive::checksum_path(&path);
        let _ = fs::remove_file(&checksum);
        ui::info(&format!(
            "deleted {} (older than {days} days) and its .sha256",
            path.display()
        ));
        deleted += 1;
    }
    if deleted == 0 {
        ui::info(&format!(
            "--keep-days {days}: no older backups to delete in {}",
            dir.display()
        ));
    }
    Ok(())
}

/// The time in the name `crewplots-backup-<yyyymmddThhmmssZ>.tar`.
fn archive_time(name: &str) -> Option<DateTime<Utc>> {
    let stamp = name.strip_prefix(archive::PREFIX)?.strip_suffix(".tar")?;
    NaiveDateTime::parse_from_str(stamp, STAMP_FORMAT)
        .ok()
        .map(|t| t.and_utc())
}

// ---- restore -----------------------------------------------------------------------------------------

/// `cargo xtask restore`.
pub fn restore(archive_path: &Path, yes: bool, target: &Target) -> anyhow::Result<()> {
    let verified = ui::step(&format!("Checking {}", archive_path.display()), || {
        archive::verify(archive_path)
    })?;
    let manifest = &verified.manifest;
    let rows: u64 = manifest.postgres.tables.values().sum();
    let documents: u64 = manifest.mongo.collections.iter().map(|c| c.documents).sum();
    println!(
        "  backup of {} ({} mode): PostgreSQL {} ({} tables, {rows} rows), MongoDB {} ({} collections, \
         {documents} documents)",
        manifest.created_at,
        match manifest.source {
            SourceKind::Local => "local",
            SourceKind::Compose => "compose",
        },
        manifest.postgres.database,
        manifest.postgres.tables.len(),
        manifest.mongo.database,
        manifest.mongo.collections.len()
    );
    match (target.compose, manifest.mongo.layout) {
        (false, MongoLayout::Bson) => restore_local(&verified, yes, target),
        (true, MongoLayout::MongodumpArchive) => restore_compose(&verified, yes, target),
        (false, MongoLayout::MongodumpArchive) => bail!(
            "this backup was taken with --compose (its MongoDB part is a mongodump archive): restore it with \
             --compose"
        ),
        (true, MongoLayout::Bson) => bail!(
            "this backup was taken in local mode (its MongoDB part is one .bson file per collection): \
             restore it without --compose, against databases reachable from here"
        ),
    }
}

/// Asks before data is replaced; `--yes` answers for scripts.
fn confirm(what: &str, yes: bool) -> anyhow::Result<()> {
    println!("\n  This replaces {what} with the backup's data.");
    if yes {
        return Ok(());
    }
    if !io::stdin().is_terminal() {
        bail!("restore replaces data and asks first; standard input is not a terminal, so confirm with --yes");
    }
    print!("  Type \"restore\" to go on: ");
    io::stdout().flush()?;
    let mut answer = String::new();
    io::stdin().lock().read_line(&mut answer)?;
    if answer.trim() != "restore" {
        bail!("cancelled; nothing was changed");
    }
    Ok(())
}

fn restore_local(verified: &Verified, yes: bool, target: &Target) -> anyhow::Result<()> {
    let manifest = &verified.manifest;
    let local = Local::resolve(target)?;
    let postgres = LocalPostgres::new(&local.database_url)?;
    let mongo = ui::step("MongoDB: connecting", || {
        LocalMongo::connect(&local.mongodb_url, &local.mongodb_db)
    })?;
    confirm(
        &format!(
            "the tables of PostgreSQL {} and {} collections of MongoDB {} (database {})",
            redact_url(&local.database_url),
            manifest.mongo.collections.len(),
            redact_url(&local.mongodb_url),
            local.mongodb_db
        ),
        yes,
    )?;

    // The dump goes to a private temporary file: pg_restore reads a custom-format dump best from a file.
    let scratch = std::env::temp_dir().join(format!(
        "crewplots-restore-{}-{}",
        std::process::id(),
        SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or_default()
    ));
    fs::DirBuilder::new().mode(0o700).create(&scratch)?;
    let dump = scratch.join(POSTGRES_DUMP);
    let restored = ui::step(
        "PostgreSQL: pg_restore --clean --if-exists --no-owner --single-transaction",
        || {
            verified.extract(&manifest.postgres.dump, &dump)?;
            postgres.restore(&dump)
        },
    );
    let _ = fs::remove_dir_all(&scratch);
    restored.context("PostgreSQL was not changed (the restore runs in one transaction)")?;

    let by_member: BTreeMap<&str, &CollectionEntry> = manifest
        .mongo
        .collections
        .iter()
        .filter_map(|c| Some((c.data.as_deref()?, c)))
        .collect();
    ui::step("MongoDB: restoring the collections", || {
        verified.for_each_member(|member, data| {
            let Some(entry) = by_member.get(member.path.as_str()) else {
                return Ok(());
            };
            let description = description_of(verified, entry)?;
            let mut progress = Progress::new(&entry.name);
            mongo
                .restore(&description, data, &mut progress)
                .with_context(|| {
                    format!(
                        "restoring {} failed: MongoDB is now only partly restored; run the restore again",
                        entry.name
                    )
                })?;
            progress.finish();
            Ok(())
        })
    })?;

    let now_rows = postgres.summary()?.tables;
    let now_documents = mongo.counts()?;
    compare(manifest, &now_rows, &now_documents)
}

fn description_of(
    verified: &Verified,
    entry: &CollectionEntry,
) -> anyhow::Result<CollectionDescription> {
    let member = entry
        .indexes
        .as_deref()
        .with_context(|| format!("the manifest names no description for {}", entry.name))?;
    let json = verified
        .small_members
        .get(member)
        .with_context(|| format!("{member} is missing"))?;
    let description: CollectionDescription =
        serde_json::from_slice(json).with_context(|| format!("{member} cannot be read"))?;
    if description.collection != entry.name {
        bail!(
            "{member} describes {}, not {}",
            description.collection,
            entry.name
        );
    }
    Ok(description)
}

fn restore_compose(verified: &Verified, yes: bool, target: &Target) -> anyhow::Result<()> {
    let manifest = &verified.manifest;
    let compose = Compose::new(target.env_file.as_deref())?;
    let mongo_archive = manifest
        .mongo
        .archive
        .clone()
        .unwrap_or_else(|| MONGO_ARCHIVE.into());
    confirm(
        &format!(
            "the tables of PostgreSQL database {} and the collections of MongoDB database {} in the compose \
             stack",
            compose.postgres_db(),
            compose.mongo_db()
        ),
        yes,
    )?;
    ui::step("PostgreSQL: pg_restore in the postgres container", || {
        verified.for_each_member(|member, data| {
            if member.path == manifest.postgres.dump {
                compose.pg_restore(data)?;
            }
            Ok(())
        })
    })
    .context("PostgreSQL was not changed (the restore runs in one transaction)")?;
    ui::step(
        "MongoDB: mongorestore --drop in the mongodb container",
        || {
            verified.for_each_member(|member, data| {
                if member.path == mongo_archive {
                    compose.mongorestore(data, &manifest.mongo.database)?;
                }
                Ok(())
            })
        },
    )?;
    let now_rows = compose.pg_summary()?.tables;
    let now_documents = compose.mongo_counts()?;
    compare(manifest, &now_rows, &now_documents)
}

/// Prints the restored counts next to the manifest's; fails when one differs.
fn compare(
    manifest: &Manifest,
    rows: &BTreeMap<String, u64>,
    documents: &BTreeMap<String, u64>,
) -> anyhow::Result<()> {
    let expected_documents: BTreeMap<String, u64> = manifest
        .mongo
        .collections
        .iter()
        .map(|c| (c.name.clone(), c.documents))
        .collect();
    let mut differences = 0;
    let mut table = |kind: &str, expected: &BTreeMap<String, u64>, now: &BTreeMap<String, u64>| {
        println!("  {kind:<40} {:>12} {:>12}", "in backup", "now");
        for (name, count) in expected {
            let current = now.get(name).copied();
            let same = current == Some(*count);
            if !same {
                differences += 1;
            }
            println!(
                "  {name:<40} {count:>12} {:>12} {}",
                current.map_or_else(|| "missing".to_string(), |c| c.to_string()),
                if same { "✓" } else { "✗" }
            );
        }
        for name in now.keys().filter(|n| !expected.contains_key(*n)) {
            println!(
                "  {name:<40} {:>12} {:>12} (not in the backup; left as it was)",
                "-", now[name]
            );
        }
    };
    println!();
    table("PostgreSQL table (rows)", &manifest.postgres.tables, rows);
    table(
        "MongoDB collection (documents)",
        &expected_documents,
        documents,
    );
    if differences > 0 {
        bail!("{differences} count(s) differ from the backup's manifest");
    }
    println!("\n✓ restore complete: every count matches the backup's manifest");
    println!(
        "  Log in and open a document to check that the ENCRYPTION_KEY in use can read the data."
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_backup_archives_have_a_time() {
        assert_eq!(
            archive_time("crewplots-backup-20250301T031500Z.tar").map(|t| t.to_rfc3339()),
            Some("2025-03-01T03:15:00+00:00".to_string())
        );
        assert!(archive_time("crewplots-backup-20250301T031500Z.tar.sha256").is_none());
        assert!(archive_time(".crewplots-backup-20250301T031500Z.tar.partial").is_none());
        assert!(archive_time("notes.tar").is_none());
    }

    #[test]
    fn pruning_deletes_old_archives_with_their_checksums_and_keeps_the_rest() {
        let dir = tempfile::tempdir().unwrap();
        let old = dir.path().join("crewplots-backup-20000101T000000Z.tar");
        let recent_name = format!(
            "crewplots-backup-{}.tar",
            (Utc::now() - chrono::Duration::days(1)).format(STAMP_FORMAT)
        );
        let recent = dir.path().join(recent_name);
        let other = dir.path().join("notes.txt");
        for path in [&old, &recent, &other] {
            fs::write(path, b"x").unwrap();
            fs::write(archive::checksum_path(path), b"x").unwrap();
        }
        prune(dir.path(), 14, &recent).unwrap();
        assert!(!old.exists() && !archive::checksum_path(&old).exists());
        assert!(recent.exists() && archive::checksum_path(&recent).exists());
        assert!(other.exists());
        prune(dir.path(), 0, &recent).unwrap();
        assert!(recent.exists(), "the archive just written is never deleted");
    }
}

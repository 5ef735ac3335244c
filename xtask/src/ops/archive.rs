//! The backup archive: one tar file `crewplots-backup-<UTC yyyymmddThhmmssZ>.tar` holding the dumps and a
//! `manifest.json` (what is inside, with each member's size and SHA-256), and beside it
//! `<archive>.sha256` in `sha256sum` format.
//!
//! Invariants: an archive under its final name is complete (it is written under a hidden `.partial` name
//! and renamed at the end); restore reads nothing from an archive whose checksum file or manifest does not
//! match it.

use std::collections::BTreeMap;
use std::fs::{self, File, OpenOptions};
use std::io::{self, BufReader, BufWriter, Read, Write};
use std::os::unix::fs::{DirBuilderExt as _, OpenOptionsExt as _};
use std::path::{Path, PathBuf};

use anyhow::{bail, Context as _};
use serde::{Deserialize, Serialize};

use super::{human_bytes, sha256_of, Sha256Reader, Sha256Writer};

pub const FORMAT: &str = "crewplots-backup";
pub const FORMAT_VERSION: u32 = 1;
pub const PREFIX: &str = "crewplots-backup-";
pub const MANIFEST: &str = "manifest.json";
pub const POSTGRES_DUMP: &str = "postgres.dump";
pub const MONGO_ARCHIVE: &str = "mongo.archive.gz";
pub const KEY_NOTICE: &str = "This backup can only be read with the ENCRYPTION_KEY (and \
    ENCRYPTION_OLD_KEYS) in use when it was made; they are not in the archive.";

/// Members kept in memory while checking (the manifest and the collection descriptions) are small; a
/// larger one means a damaged or foreign archive.
const MAX_SMALL_MEMBER: u64 = 64 * 1024 * 1024;

/// Where the dumps came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SourceKind {
    /// Databases reached from the machine running the xtask (development stack or URLs).
    Local,
    /// The containers of deploy/docker-compose.yml.
    Compose,
}

#[derive(Debug, Serialize, Deserialize)]
pub struct Manifest {
    pub format: String,
    pub format_version: u32,
    /// RFC 3339, UTC: when the backup started.
    pub created_at: String,
    pub source: SourceKind,
    /// Always [`KEY_NOTICE`]: for whoever opens the archive by hand.
    pub encryption_keys: String,
    pub postgres: PostgresPart,
    pub mongo: MongoPart,
    /// Every member except the manifest itself.
    pub members: Vec<Member>,
}

#[derive(Debug, Serialize, Deserialize)]
pub struct PostgresPart {
    pub database: String,
    /// The member holding the `pg_dump -Fc` output.
    pub dump: String,
    /// Row count of every table of the `public` schema, taken right after the dump.
    pub tables: BTreeMap<String, u64>,
}

#[derive(Debug, Serialize, Deserialize)]
pub struct MongoPart {
    pub database: String,
    pub layout: MongoLayout,
    /// With [`MongoLayout::MongodumpArchive`]: the member holding it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub archive: Option<String>,
    pub collections: Vec<CollectionEntry>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum MongoLayout {
    /// `mongo/<collection>.bson` and `mongo/<collection>.indexes.json` per collection (local mode).
    Bson,
    /// One `mongodump --archive --gzip` stream (compose mode).
    MongodumpArchive,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CollectionEntry {
    pub name: String,
    pub documents: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub indexes: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Member {
    pub path: String,
    pub bytes: u64,
    pub sha256: String,
}

/// The member names of a collection: its name with anything but letters, digits, `.`, `_` and `-`
/// percent-encoded.
pub fn collection_members(collection: &str) -> (String, String) {
    let mut safe = String::with_capacity(collection.len());
    for byte in collection.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'.' | b'_' | b'-') {
            safe.push(char::from(byte));
        } else {
            safe.push_str(&format!("%{byte:02X}"));
        }
    }
    (
        format!("mongo/{safe}.bson"),
        format!("mongo/{safe}.indexes.json"),
    )
}

/// `path` + `.sha256`.
pub fn checksum_path(archive: &Path) -> PathBuf {
    let mut name = archive.as_os_str().to_owned();
    name.push(".sha256");
    PathBuf::from(name)
}

// ---- writing -----------------------------------------------------------------------------------------

type TarWriter = tar::Builder<Sha256Writer<BufWriter<File>>>;

/// An archive being written. Dropping it before [`ArchiveWriter::finish`] removes everything it wrote.
pub struct ArchiveWriter {
    dir: PathBuf,
    name: String,
    partial: PathBuf,
    work: PathBuf,
    tar: Option<TarWriter>,
    members: Vec<Member>,
    mtime: u64,
}

impl std::fmt::Debug for ArchiveWriter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ArchiveWriter")
            .field("partial", &self.partial)
            .field("members", &self.members)
            .finish_non_exhaustive()
    }
}

/// A finished archive.
#[derive(Debug)]
pub struct Written {
    pub path: PathBuf,
    pub bytes: u64,
    pub sha256: String,
}

fn private_file(path: &Path) -> io::Result<File> {
    OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
}

impl ArchiveWriter {
    /// Starts `crewplots-backup-<stamp>.tar` in `dir` (under a hidden temporary name).
    pub fn create(dir: &Path, stamp: &str, mtime: u64) -> anyhow::Result<Self> {
        let name = format!("{PREFIX}{stamp}.tar");
        if dir.join(&name).exists() {
            bail!("{} already exists", dir.join(&name).display());
        }
        let partial = dir.join(format!(".{name}.partial"));
        let work = dir.join(format!(".{name}.work"));
        fs::DirBuilder::new()
            .mode(0o700)
            .create(&work)
            .with_context(|| format!("cannot create {}", work.display()))?;
        let file = match private_file(&partial) {
            Ok(file) => file,
            Err(error) => {
                let _ = fs::remove_dir_all(&work);
                return Err(error).with_context(|| format!("cannot create {}", partial.display()));
            }
        };
        Ok(Self {
            dir: dir.to_path_buf(),
            name,
            partial,
            work,
            tar: Some(tar::Builder::new(Sha256Writer::new(BufWriter::new(file)))),
            members: Vec::new(),
            mtime,
        })
    }

    /// A scratch file in the work folder, for a program that writes a member itself.
    pub fn scratch(&self, member: &str) -> PathBuf {
        self.work.join(member.replace('/', "_"))
    }

    /// Writes a member through `fill`, then moves it into the archive.
    pub fn add_with<T>(
        &mut self,
        member: &str,
        fill: impl FnOnce(&mut dyn Write) -> anyhow::Result<T>,
    ) -> anyhow::Result<T> {
        let path = self.scratch(member);
        let mut out = BufWriter::new(
            private_file(&path).with_context(|| format!("cannot create {}", path.display()))?,
        );
        let value = fill(&mut out)?;
        out.into_inner().map_err(io::IntoInnerError::into_error)?;
        self.add_file(member, &path)?;
        Ok(value)
    }

    /// Moves the file at `path` into the archive as `member`.
    pub fn add_file(&mut self, member: &str, path: &Path) -> anyhow::Result<()> {
        let file = File::open(path).with_context(|| format!("cannot read {}", path.display()))?;
        let size = file.metadata()?.len();
        let mut header = tar::Header::new_gnu();
        header.set_size(size);
        header.set_mode(0o600);
        header.set_mtime(self.mtime);
        header.set_entry_type(tar::EntryType::Regular);
        let mut reader = Sha256Reader::new(BufReader::new(file));
        self.tar
            .as_mut()
            .context("the archive is already closed")?
            .append_data(&mut header, member, &mut reader)
            .with_context(|| format!("cannot add {member} to the archive"))?;
        let (sha256, bytes) = reader.finish();
        if bytes != size {
            bail!("{} changed while it was being archived", path.display());
        }
        fs::remove_file(path)?;
        self.members.push(Member {
            path: member.to_string(),
            bytes,
            sha256,
        });
        Ok(())
    }

    /// A line such as `postgres.dump: 1.2 MiB` for the member added last.
    pub fn describe_last(&self) -> String {
        self.members.last().map_or_else(String::new, |member| {
            format!("{}: {}", member.path, human_bytes(member.bytes))
        })
    }

    /// Adds the manifest (with the member list filled in), closes the archive, writes its checksum file and
    /// gives both their final names.
    pub fn finish(mut self, mut manifest: Manifest) -> anyhow::Result<Written> {
        manifest.members = self.members.clone();
        let json = serde_json::to_vec_pretty(&manifest)?;
        let mut tar = self.tar.take().context("the archive is already closed")?;
        let mut header = tar::Header::new_gnu();
        header.set_size(json.len() as u64);
        header.set_mode(0o600);
        header.set_mtime(self.mtime);
        header.set_entry_type(tar::EntryType::Regular);
        tar.append_data(&mut header, MANIFEST, json.as_slice())?;
        let (buffered, sha256, bytes) = tar.into_inner()?.finish();
        let file = buffered
            .into_inner()
            .map_err(io::IntoInnerError::into_error)?;
        file.sync_all()?;
        drop(file);

        let path = self.dir.join(&self.name);
        let checksum = checksum_path(&path);
        let checksum_partial = self.dir.join(format!(".{}.sha256.partial", self.name));
        let mut out = private_file(&checksum_partial)?;
        writeln!(out, "{sha256}  {}", self.name)?;
        out.sync_all()?;
        fs::rename(&self.partial, &path)?;
        fs::rename(&checksum_partial, &checksum)?;
        File::open(&self.dir)?.sync_all()?;
        let _ = fs::remove_dir_all(&self.work);
        Ok(Written {
            path,
            bytes,
            sha256,
        })
    }
}

impl Drop for ArchiveWriter {
    fn drop(&mut self) {
        // Finished: `tar` was taken and the files renamed; the removals below then find nothing.
        if self.tar.take().is_some() {
            let _ = fs::remove_file(&self.partial);
        }
        let _ = fs::remove_dir_all(&self.work);
        let _ = fs::remove_file(self.dir.join(format!(".{}.sha256.partial", self.name)));
    }
}

// ---- checking and reading ----------------------------------------------------------------------------

/// An archive whose checksum file and manifest match it.
#[derive(Debug)]
pub struct Verified {
    pub path: PathBuf,
    pub manifest: Manifest,
    /// The small members (`*.indexes.json`), kept from the checking pass.
    pub small_members: BTreeMap<String, Vec<u8>>,
}

impl Verified {
    fn member(&self, name: &str) -> Option<&Member> {
        self.manifest.members.iter().find(|m| m.path == name)
    }

    /// Calls `visit` with each member the manifest lists, in archive order, and checks each one's digest
    /// again as it is read (the archive could have been replaced since it was checked).
    pub fn for_each_member(
        &self,
        mut visit: impl FnMut(&Member, &mut dyn Read) -> anyhow::Result<()>,
    ) -> anyhow::Result<()> {
        let mut archive = tar::Archive::new(BufReader::new(File::open(&self.path)?));
        for entry in archive.entries()? {
            let entry = entry?;
            let name = entry_name(&entry)?;
            let Some(member) = self.member(&name) else {
                continue;
            };
            let mut reader = Sha256Reader::new(entry);
            visit(member, &mut reader)?;
            io::copy(&mut reader, &mut io::sink())?;
            let (sha256, bytes) = reader.finish();
            if sha256 != member.sha256 || bytes != member.bytes {
                bail!(
                    "{name} changed in {} after it was checked",
                    self.path.display()
                );
            }
        }
        Ok(())
    }

    /// Copies one member to a new private file at `dest`, checking its digest.
    pub fn extract(&self, name: &str, dest: &Path) -> anyhow::Result<()> {
        let mut found = false;
        self.for_each_member(|member, data| {
            if member.path == name {
                let mut out = BufWriter::new(private_file(dest)?);
                io::copy(data, &mut out)?;
                out.into_inner()
                    .map_err(io::IntoInnerError::into_error)?
                    .sync_all()?;
                found = true;
            }
            Ok(())
        })?;
        if !found {
            bail!("{name} is not in {}", self.path.display());
        }
        Ok(())
    }
}

fn entry_name<R: Read>(entry: &tar::Entry<'_, R>) -> anyhow::Result<String> {
    let path = entry.path()?;
    path.to_str()
        .map(str::to_string)
        .with_context(|| format!("a member's name is not UTF-8: {}", path.display()))
}

/// Checks the archive against its `.sha256` file, then every member against the manifest. Nothing is
/// touched when either check fails.
pub fn verify(path: &Path) -> anyhow::Result<Verified> {
    let display = path.display();
    let checksum_file = checksum_path(path);
    let checksum_text = fs::read_to_string(&checksum_file).with_context(|| {
        format!(
            "cannot read the checksum file {}: without it the archive cannot be checked (an archive \
             without one may be incomplete)",
            checksum_file.display()
        )
    })?;
    let expected = checksum_text
        .split_whitespace()
        .next()
        .filter(|digest| digest.len() == 64 && digest.bytes().all(|b| b.is_ascii_hexdigit()))
        .map(str::to_ascii_lowercase)
        .with_context(|| format!("{} is not in sha256sum format", checksum_file.display()))?;
    let file = File::open(path).with_context(|| format!("cannot open {display}"))?;
    let (actual, bytes) = sha256_of(BufReader::new(file))?;
    if actual != expected {
        bail!(
            "{display} does not match its checksum file {}: expected SHA-256 {expected}, the archive has \
             {actual}. The archive is damaged or incomplete; nothing was restored.",
            checksum_file.display()
        );
    }
    crate::ui::info(&format!(
        "archive SHA-256 matches {} ({})",
        checksum_file.display(),
        human_bytes(bytes)
    ));

    let mut seen: BTreeMap<String, Member> = BTreeMap::new();
    let mut small_members = BTreeMap::new();
    let mut archive = tar::Archive::new(BufReader::new(File::open(path)?));
    for entry in archive
        .entries()
        .with_context(|| format!("{display} is not a tar archive"))?
    {
        let mut entry = entry.with_context(|| format!("{display} is not a valid tar archive"))?;
        let name = entry_name(&entry)?;
        if entry.header().entry_type() != tar::EntryType::Regular {
            bail!("{display} holds {name}, which is not a regular file: not a Crew Plots backup");
        }
        let keep = name == MANIFEST || name.ends_with(".indexes.json");
        let (sha256, bytes) = if keep {
            if entry.size() > MAX_SMALL_MEMBER {
                bail!("{name} in {display} is implausibly large");
            }
            let mut content = Vec::new();
            entry.read_to_end(&mut content)?;
            let digest = sha256_of(content.as_slice())?;
            small_members.insert(name.clone(), content);
            digest
        } else {
            sha256_of(&mut entry)?
        };
        let member = Member {
            path: name.clone(),
            bytes,
            sha256,
        };
        if seen.insert(name.clone(), member).is_some() {
            bail!("{display} holds {name} twice: not a Crew Plots backup");
        }
    }

    let manifest_json = small_members
        .remove(MANIFEST)
        .with_context(|| format!("{display} has no {MANIFEST}: not a Crew Plots backup"))?;
    let manifest: Manifest = serde_json::from_slice(&manifest_json)
        .with_context(|| format!("the {MANIFEST} of {display} cannot be read"))?;
    if manifest.format != FORMAT {
        bail!(
            "{display} is not a Crew Plots backup (format {:?})",
            manifest.format
        );
    }
    if manifest.format_version != FORMAT_VERSION {
        bail!(
            "{display} has format version {}; this xtask reads version {FORMAT_VERSION}",
            manifest.format_version
        );
    }
    for expected in &manifest.members {
        match seen.get(&expected.path) {
            None => bail!(
                "{} is listed in the manifest but missing from {display}; nothing was restored",
                expected.path
            ),
            Some(found) if found != expected => bail!(
                "{} in {display} does not match the manifest (expected {} bytes with SHA-256 {}, found {} \
                 bytes with SHA-256 {}); the archive is damaged, nothing was restored",
                expected.path,
                expected.bytes,
                expected.sha256,
                found.bytes,
                found.sha256
            ),
            Some(_) => {}
        }
    }
    if let Some(extra) = seen
        .keys()
        .find(|name| *name != MANIFEST && !manifest.members.iter().any(|m| &m.path == *name))
    {
        bail!("{display} holds {extra}, which the manifest does not list; nothing was restored");
    }
    small_members.retain(|name, _| manifest.members.iter().any(|m| &m.path == name));
    Ok(Verified {
        path: path.to_path_buf(),
        manifest,
        small_members,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn manifest() -> Manifest {
        Manifest {
            format: FORMAT.into(),
            format_version: FORMAT_VERSION,
            created_at: "2025-01-01T00:00:00Z".into(),
            source: SourceKind::Local,
            encryption_keys: KEY_NOTICE.into(),
            postgres: PostgresPart {
                database: "crewplots".into(),
                dump: POSTGRES_DUMP.into(),
                tables: BTreeMap::new(),
            },
            mongo: MongoPart {
                database: "crewplots".into(),
                layout: MongoLayout::Bson,
                archive: None,
                collections: Vec::new(),
            },
            members: Vec::new(),
        }
    }

    #[test]
    fn collection_names_become_safe_member_names() {
        assert_eq!(
            collection_members("sensitive_documents.chunks"),
            (
                "mongo/sensitive_documents.chunks.bson".to_string(),
                "mongo/sensitive_documents.chunks.indexes.json".to_string()
            )
        );
        assert_eq!(collection_members("a/b c").0, "mongo/a%2Fb%20c.bson");
    }

    #[test]
    fn a_written_archive_verifies_and_a_changed_byte_does_not() {
        let dir = tempfile::tempdir().unwrap();
        let mut writer = ArchiveWriter::create(dir.path(), "20250101T000000Z", 0).unwrap();
        writer
            .add_with(POSTGRES_DUMP, |out| Ok(out.write_all(b"PGDMP and more")?))
            .unwrap();
        let written = writer.finish(manifest()).unwrap();
        assert_eq!(
            written.path,
            dir.path().join("crewplots-backup-20250101T000000Z.tar")
        );
        let leftovers: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .filter(|n| n.starts_with('.'))
            .collect();
        assert!(leftovers.is_empty(), "{leftovers:?}");
        let checksum = fs::read_to_string(checksum_path(&written.path)).unwrap();
        assert_eq!(
            checksum,
            format!(
                "{}  crewplots-backup-20250101T000000Z.tar\n",
                written.sha256
            )
        );

        let verified = verify(&written.path).unwrap();
        assert_eq!(verified.manifest.members.len(), 1);
        let extracted = dir.path().join("dump");
        verified.extract(POSTGRES_DUMP, &extracted).unwrap();
        assert_eq!(fs::read(&extracted).unwrap(), b"PGDMP and more");

        let mut bytes = fs::read(&written.path).unwrap();
        let at = bytes.windows(5).position(|w| w == b"PGDMP").unwrap();
        bytes[at + 6] ^= 0x01;
        fs::write(&written.path, &bytes).unwrap();
        let error = verify(&written.path).unwrap_err().to_string();
        assert!(
            error.contains("does not match its checksum file"),
            "{error}"
        );

        let (digest, _) = sha256_of(bytes.as_slice()).unwrap();
        fs::write(
            checksum_path(&written.path),
            format!("{digest}  crewplots-backup-20250101T000000Z.tar\n"),
        )
        .unwrap();
        let error = verify(&written.path).unwrap_err().to_string();
        assert!(
            error.contains("postgres.dump") && error.contains("does not match the manifest"),
            "{error}"
        );
    }

    #[test]
    fn an_abandoned_archive_leaves_nothing_behind() {
        let dir = tempfile::tempdir().unwrap();
        let mut writer = ArchiveWriter::create(dir.path(), "20250101T000000Z", 0).unwrap();
        writer
            .add_with(POSTGRES_DUMP, |out| Ok(out.write_all(b"half")?))
            .unwrap();
        drop(writer);
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 0);
    }
}

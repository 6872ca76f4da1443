//! A case: a private directory holding the tantivy index and the case's
//! metadata (schema version, ingest history).
//!
//! ```text
//! CASE/            mode 0700
//!   case.json      metadata, mode 0600, replaced atomically
//!   index/         the tantivy index
//! ```

use crate::index::schema::{self, Fields, SCHEMA_VERSION};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use tantivy::{Index, IndexReader, ReloadPolicy};
use thiserror::Error;

const META_FILE: &str = "case.json";
const INDEX_DIR: &str = "index";

#[derive(Debug, Error)]
pub enum CaseError {
    #[error("no case at {0}: ingest events first (okhunt ingest --case {0} FILE)")]
    Missing(String),
    #[error(
        "{path} is not an okhunt case (it has no case.json but is not empty): choose another --case directory"
    )]
    NotACase { path: String },
    #[error("cannot create the case directory {path}: {source}")]
    Create {
        path: String,
        source: std::io::Error,
    },
    #[error("case metadata {path} is damaged: {reason}")]
    BadMeta { path: String, reason: String },
    #[error(
        "the case at {path} was built by another okhunt version (schema {found}, this okhunt uses {want}): ingest the source files again into a new case"
    )]
    SchemaVersion { path: String, found: u32, want: u32 },
    #[error("the index of the case at {path} cannot be opened: {reason}")]
    Index { path: String, reason: String },
    #[error(
        "the index of the case at {path} is damaged ({reason}): run okhunt repair --case {path}"
    )]
    Damaged { path: String, reason: String },
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

/// One ingest run, as recorded in the case.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct IngestRecord {
    pub batch: u64,
    pub started: DateTime<Utc>,
    pub finished: Option<DateTime<Utc>>,
    pub sources: Vec<String>,
    pub read: u64,
    pub added: u64,
    pub duplicates: u64,
    pub skipped: u64,
    /// Stopped by Ctrl-C (or SIGTERM) before reading everything: what was
    /// read is committed and `finished` is set, so the batch is settled;
    /// running the same command again adds the rest. (A killed run is
    /// different: it never gets `finished`.) Absent in older case.json.
    #[serde(default)]
    pub interrupted: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct CaseMeta {
    pub schema_version: u32,
    pub created: DateTime<Utc>,
    #[serde(default)]
    pub ingests: Vec<IngestRecord>,
    /// Every `okhunt repair` of the case, oldest first. Absent in older
    /// case.json, and left out while empty.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub repairs: Vec<RepairRecord>,
}

/// One `okhunt repair`, as recorded in the case.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct RepairRecord {
    pub at: DateTime<Utc>,
    /// Where the damaged index was moved (a directory name inside the case).
    pub moved_to: String,
    /// Events read back from the damaged index's stored originals.
    pub recovered: u64,
    /// Segments whose stored originals could not be read.
    pub segments_unreadable: u64,
    /// Sources ingested again (their own batches are in `ingests`).
    #[serde(default)]
    pub reingested: Vec<String>,
    /// Recorded sources that could not be read again (gone, or stdin).
    #[serde(default)]
    pub not_reingested: Vec<String>,
}

impl CaseMeta {
    pub fn next_batch(&self) -> u64 {
        self.ingests.iter().map(|i| i.batch).max().unwrap_or(0) + 1
    }

    /// The newest batch whose events are all in the index. The newest
    /// batch may still be being written (by another process, or by an
    /// ingest beside the TUI); one that was killed stays unfinished until
    /// a later batch supersedes it. One stopped by Ctrl-C committed what it
    /// read and has `finished` set: it is settled like any other.
    pub fn settled_batch(&self) -> u64 {
        match self.ingests.iter().max_by_key(|i| i.batch) {
            Some(last) if last.finished.is_none() => last.batch.saturating_sub(1),
            Some(last) => last.batch,
            None => 0,
        }
    }
}

/// An opened case.
pub struct Case {
    pub root: PathBuf,
    pub index: Index,
    pub fields: Fields,
    pub meta: CaseMeta,
}

/// The case directory: `--case`/`OKHUNT_CASE` when given (clap reads both),
/// else `$XDG_DATA_HOME/okhunt/cases/default`, else
/// `~/.local/share/okhunt/cases/default`.
pub fn resolve(explicit: Option<PathBuf>) -> PathBuf {
    if let Some(p) = explicit {
        return p;
    }
    let data = std::env::var_os("XDG_DATA_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local/share")))
        .unwrap_or_else(|| PathBuf::from("."));
    data.join("okhunt").join("cases").join("default")
}

impl Case {
    /// Open the case at `root`, creating it (mode 0700) when it does not
    /// exist. A new case is built in a private scratch directory beside
    /// `root` and renamed into place, so a crash never leaves a half-made
    /// case behind; an empty directory, or one holding only what an
    /// interrupted creation left, is taken as no case yet.
    pub fn open_or_create(root: &Path) -> Result<Case, CaseError> {
        if root.join(META_FILE).exists() {
            return Case::open(root);
        }
        let path = root.display().to_string();
        let create_err = |source| CaseError::Create {
            path: path.clone(),
            source,
        };
        let leftovers = match fs::read_dir(root) {
            Ok(entries) => creation_leftovers(entries)
                .ok_or_else(|| CaseError::NotACase { path: path.clone() })?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
            Err(e) => return Err(create_err(e)),
        };
        let parent = root
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        if !parent.exists() {
            create_private_dir(parent).map_err(create_err)?;
        }
        let scratch = scratch_sibling(root, "new");
        let built = build_new_case(&scratch);
        let result = built.and_then(|()| {
            for p in &leftovers {
                remove_path(p)?;
            }
            fs::rename(&scratch, root).map_err(CaseError::from)
        });
        if let Err(e) = result {
            let _ = fs::remove_dir_all(&scratch);
            // Another process may have created the case meanwhile.
            if root.join(META_FILE).exists() {
                return Case::open(root);
            }
            return Err(match e {
                CaseError::Io(source) => create_err(source),
                other => other,
            });
        }
        sync_dir(parent);
        Case::open(root)
    }

    /// Read case.json again: another process (or thread) may have ingested
    /// since this case was opened.
    pub fn reload_meta(&mut self) -> Result<(), CaseError> {
        self.meta = load_meta(&self.root)?;
        Ok(())
    }

    /// Open an existing case; a missing one is an error that says how to
    /// make it, a damaged index one that says how to repair it. Every
    /// segment is opened (about a millisecond per segment), so a missing,
    /// truncated or overwritten index file is found here rather than by
    /// the first query.
    pub fn open(root: &Path) -> Result<Case, CaseError> {
        let path = root.display().to_string();
        let meta_path = root.join(META_FILE);
        if !meta_path.exists() {
            return Err(
                if root.exists() && !root.join(INDEX_DIR).exists() && is_nonempty(root) {
                    CaseError::NotACase { path }
                } else {
                    CaseError::Missing(path)
                },
            );
        }
        let meta = load_meta(root)?;
        if meta.schema_version != SCHEMA_VERSION {
            return Err(CaseError::SchemaVersion {
                path,
                found: meta.schema_version,
                want: SCHEMA_VERSION,
            });
        }
        let index_dir = root.join(INDEX_DIR);
        if !index_dir.is_dir() {
            return Err(CaseError::Damaged {
                path,
                reason: "its index directory is missing".into(),
            });
        }
        let index = Index::open_in_dir(&index_dir).map_err(|e| index_error(root, &e))?;
        let fields = Fields::from_schema(&index.schema())
            .map_err(|reason| CaseError::Index { path, reason })?;
        let case = Case {
            root: root.to_path_buf(),
            index,
            fields,
            meta,
        };
        case.reader()?;
        Ok(case)
    }

    /// The index directory of the case at `root`.
    pub fn index_dir(root: &Path) -> PathBuf {
        root.join(INDEX_DIR)
    }

    /// A reader that sees exactly what was committed when it was made (or
    /// last reloaded): no background reloads surprise a query.
    pub fn reader(&self) -> Result<IndexReader, CaseError> {
        self.index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .map_err(|e: tantivy::TantivyError| index_error(&self.root, &e))
    }

    /// Write case.json atomically (temp file, then rename), mode 0600.
    pub fn save_meta(&self) -> Result<(), CaseError> {
        write_meta(&self.root, &self.meta)
    }
}

/// Read the case.json of the case at `root` (without opening its index).
pub fn load_meta(root: &Path) -> Result<CaseMeta, CaseError> {
    let meta_path = root.join(META_FILE);
    let text = fs::read_to_string(&meta_path)?;
    serde_json::from_str(&text).map_err(|e| CaseError::BadMeta {
        path: meta_path.display().to_string(),
        reason: e.to_string(),
    })
}

/// Write `meta` as the case.json of `root`: temp file, fsync, rename.
pub fn write_meta(root: &Path, meta: &CaseMeta) -> Result<(), CaseError> {
    let tmp = root.join(format!("{META_FILE}.tmp"));
    let text = serde_json::to_string_pretty(meta).map_err(std::io::Error::other)?;
    {
        let mut f = private_file(&tmp)?;
        f.write_all(text.as_bytes())?;
        f.sync_all()?;
    }
    fs::rename(&tmp, root.join(META_FILE))?;
    Ok(())
}

/// A tantivy error met opening the case's index: damage (a missing,
/// truncated or overwritten file) says to repair; anything else (a
/// permission, a lock) is told as it is.
fn index_error(root: &Path, e: &tantivy::TantivyError) -> CaseError {
    let path = root.display().to_string();
    match crate::integrity::damage::reason(e) {
        Some(reason) => CaseError::Damaged { path, reason },
        None => CaseError::Index {
            path,
            reason: e.to_string(),
        },
    }
}

/// Build an empty case (index and case.json) in `dir`, which must not exist.
fn build_new_case(dir: &Path) -> Result<(), CaseError> {
    create_private_dir(dir)?;
    let index_dir = dir.join(INDEX_DIR);
    create_private_dir(&index_dir)?;
    let (schema, _) = schema::build();
    Index::create_in_dir(&index_dir, schema).map_err(|e| CaseError::Index {
        path: dir.display().to_string(),
        reason: e.to_string(),
    })?;
    let meta = CaseMeta {
        schema_version: SCHEMA_VERSION,
        created: Utc::now(),
        ingests: Vec::new(),
        repairs: Vec::new(),
    };
    write_meta(dir, &meta)?;
    sync_dir(&index_dir);
    sync_dir(dir);
    Ok(())
}

/// What an interrupted creation may have left in an existing case
/// directory without case.json: `index/` holding no segment yet, and
/// `case.json.tmp`. `None` when the directory holds anything else (it is
/// not ours to take).
fn creation_leftovers(entries: fs::ReadDir) -> Option<Vec<PathBuf>> {
    let mut found = Vec::new();
    for entry in entries {
        let entry = entry.ok()?;
        let name = entry.file_name();
        let ok = if name == INDEX_DIR {
            empty_index(&entry.path())
        } else {
            name == std::ffi::OsStr::new(&format!("{META_FILE}.tmp"))
        };
        if !ok {
            return None;
        }
        found.push(entry.path());
    }
    Some(found)
}

/// A tantivy index directory with no segment in it (only its meta files
/// and locks): nothing was ever committed.
fn empty_index(dir: &Path) -> bool {
    let Ok(entries) = fs::read_dir(dir) else {
        return false;
    };
    entries.into_iter().all(|e| {
        e.ok().is_some_and(|e| {
            let name = e.file_name();
            let name = name.to_string_lossy();
            name.starts_with('.') || name == "meta.json"
        })
    })
}

fn remove_path(p: &Path) -> std::io::Result<()> {
    if p.is_dir() {
        fs::remove_dir_all(p)
    } else {
        fs::remove_file(p)
    }
}

/// A private scratch path beside `target` (same filesystem, so a rename
/// moves it into place atomically): `.NAME.okhunt-KIND-PID-NANOS`.
pub fn scratch_sibling(target: &Path, kind: &str) -> PathBuf {
    let name = target
        .file_name()
        .map_or_else(|| "case".into(), |n| n.to_string_lossy().into_owned());
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    let file = format!(".{name}.okhunt-{kind}-{}-{nanos}", std::process::id());
    match target.parent().filter(|p| !p.as_os_str().is_empty()) {
        Some(parent) => parent.join(file),
        None => PathBuf::from(file),
    }
}

/// Make a rename inside `dir` durable (best effort: not every platform
/// lets a directory be fsynced).
pub fn sync_dir(dir: &Path) {
    if let Ok(f) = fs::File::open(dir) {
        let _ = f.sync_all();
    }
}

fn is_nonempty(dir: &Path) -> bool {
    fs::read_dir(dir)
        .map(|mut d| d.next().is_some())
        .unwrap_or(false)
}

/// Create a directory (and parents) readable by its owner only.
pub fn create_private_dir(path: &Path) -> std::io::Result<()> {
    let mut b = fs::DirBuilder::new();
    b.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        b.mode(0o700);
    }
    b.create(path)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(path, fs::Permissions::from_mode(0o700))?;
    }
    Ok(())
}

/// Create (truncate) a file readable by its owner only.
pub fn private_file(path: &Path) -> std::io::Result<fs::File> {
    let mut o = fs::OpenOptions::new();
    o.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        o.mode(0o600);
    }
    o.open(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_batch_being_written_is_not_settled() {
        let record = |batch, done: bool| IngestRecord {
            batch,
            started: Utc::now(),
            finished: done.then(Utc::now),
            sources: Vec::new(),
            read: 0,
            added: 0,
            duplicates: 0,
            skipped: 0,
            interrupted: false,
        };
        let mut meta = CaseMeta {
            schema_version: SCHEMA_VERSION,
            created: Utc::now(),
            ingests: Vec::new(),
            repairs: Vec::new(),
        };
        assert_eq!(meta.settled_batch(), 0);
        meta.ingests.push(record(1, true));
        assert_eq!(meta.settled_batch(), 1);
        meta.ingests.push(record(2, false));
        assert_eq!(meta.settled_batch(), 1, "batch 2 is still being written");
        meta.ingests.push(record(3, true));
        assert_eq!(meta.settled_batch(), 3, "a killed batch 2 is superseded");
        meta.ingests.push(IngestRecord {
            interrupted: true,
            ..record(4, true)
        });
        assert_eq!(
            meta.settled_batch(),
            4,
            "a batch stopped by Ctrl-C committed what it read"
        );
    }

    #[test]
    fn creates_private_case_and_reopens() {
        let tmp = tempfile::tempdir().expect("tmp");
        let root = tmp.path().join("a/b/case");
        let case = Case::open_or_create(&root).expect("create");
        assert_eq!(case.meta.next_batch(), 1);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(&root).expect("meta").permissions().mode() & 0o777;
            assert_eq!(mode, 0o700);
            let mode = fs::metadata(root.join(META_FILE))
                .expect("meta")
                .permissions()
                .mode()
                & 0o777;
            assert_eq!(mode, 0o600);
        }
        drop(case);
        assert!(Case::open(&root).is_ok());
    }

    #[test]
    fn refuses_a_foreign_directory_and_a_missing_case() {
        let tmp = tempfile::tempdir().expect("tmp");
        fs::write(tmp.path().join("notes.txt"), "mine").expect("write");
        assert!(matches!(
            Case::open_or_create(tmp.path()),
            Err(CaseError::NotACase { .. })
        ));
        assert!(matches!(
            Case::open(&tmp.path().join("nope")),
            Err(CaseError::Missing(_))
        ));
    }
}

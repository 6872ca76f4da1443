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
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct CaseMeta {
    pub schema_version: u32,
    pub created: DateTime<Utc>,
    #[serde(default)]
    pub ingests: Vec<IngestRecord>,
}

impl CaseMeta {
    pub fn next_batch(&self) -> u64 {
        self.ingests.iter().map(|i| i.batch).max().unwrap_or(0) + 1
    }

    /// The newest batch whose events are all in the index. The newest
    /// batch may still be being written (by another process, or by an
    /// ingest beside the TUI); one that was killed stays unfinished until
    /// a later batch supersedes it.
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
    /// Open the case at `root`, creating it (mode 0700) when it does not exist.
    pub fn open_or_create(root: &Path) -> Result<Case, CaseError> {
        if root.join(META_FILE).exists() {
            return Case::open(root);
        }
        if root.exists() && fs::read_dir(root)?.next().is_some() {
            return Err(CaseError::NotACase {
                path: root.display().to_string(),
            });
        }
        create_private_dir(root).map_err(|source| CaseError::Create {
            path: root.display().to_string(),
            source,
        })?;
        let index_dir = root.join(INDEX_DIR);
        create_private_dir(&index_dir)?;
        let (schema, fields) = schema::build();
        let index = Index::create_in_dir(&index_dir, schema).map_err(|e| CaseError::Index {
            path: root.display().to_string(),
            reason: e.to_string(),
        })?;
        let meta = CaseMeta {
            schema_version: SCHEMA_VERSION,
            created: Utc::now(),
            ingests: Vec::new(),
        };
        let case = Case {
            root: root.to_path_buf(),
            index,
            fields,
            meta,
        };
        case.save_meta()?;
        Ok(case)
    }

    /// Read case.json again: another process (or thread) may have ingested
    /// since this case was opened.
    pub fn reload_meta(&mut self) -> Result<(), CaseError> {
        let meta_path = self.root.join(META_FILE);
        let text = fs::read_to_string(&meta_path)?;
        self.meta = serde_json::from_str(&text).map_err(|e| CaseError::BadMeta {
            path: meta_path.display().to_string(),
            reason: e.to_string(),
        })?;
        Ok(())
    }

    /// Open an existing case; a missing one is an error that says how to make it.
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
        let text = fs::read_to_string(&meta_path)?;
        let meta: CaseMeta = serde_json::from_str(&text).map_err(|e| CaseError::BadMeta {
            path: meta_path.display().to_string(),
            reason: e.to_string(),
        })?;
        if meta.schema_version != SCHEMA_VERSION {
            return Err(CaseError::SchemaVersion {
                path,
                found: meta.schema_version,
                want: SCHEMA_VERSION,
            });
        }
        let index = Index::open_in_dir(root.join(INDEX_DIR)).map_err(|e| CaseError::Index {
            path: path.clone(),
            reason: e.to_string(),
        })?;
        let fields = Fields::from_schema(&index.schema())
            .map_err(|reason| CaseError::Index { path, reason })?;
        Ok(Case {
            root: root.to_path_buf(),
            index,
            fields,
            meta,
        })
    }

    /// A reader that sees exactly what was committed when it was made (or
    /// last reloaded): no background reloads surprise a query.
    pub fn reader(&self) -> Result<IndexReader, CaseError> {
        self.index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .map_err(|e: tantivy::TantivyError| CaseError::Index {
                path: self.root.display().to_string(),
                reason: e.to_string(),
            })
    }

    /// Write case.json atomically (temp file, then rename), mode 0600.
    pub fn save_meta(&self) -> Result<(), CaseError> {
        let tmp = self.root.join(format!("{META_FILE}.tmp"));
        let text = serde_json::to_string_pretty(&self.meta).map_err(std::io::Error::other)?;
        {
            let mut f = private_file(&tmp)?;
            f.write_all(text.as_bytes())?;
            f.sync_all()?;
        }
        fs::rename(&tmp, self.root.join(META_FILE))?;
        Ok(())
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
        };
        let mut meta = CaseMeta {
            schema_version: SCHEMA_VERSION,
            created: Utc::now(),
            ingests: Vec::new(),
        };
        assert_eq!(meta.settled_batch(), 0);
        meta.ingests.push(record(1, true));
        assert_eq!(meta.settled_batch(), 1);
        meta.ingests.push(record(2, false));
        assert_eq!(meta.settled_batch(), 1, "batch 2 is still being written");
        meta.ingests.push(record(3, true));
        assert_eq!(meta.settled_batch(), 3, "a killed batch 2 is superseded");
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

//! The case's writer lock taken without opening the index (which may be
//! too damaged to open): the same lock file tantivy's `IndexWriter` takes,
//! so ingest, fetch and repair exclude one another.

use crate::index::writer::WriteError;
use std::path::Path;
use std::time::{Duration, Instant};
use tantivy::directory::error::LockError;
use tantivy::directory::{DirectoryLock, INDEX_WRITER_LOCK, MmapDirectory};
use tantivy::{Directory, TantivyError};

/// How long to wait for another writer, as ingest does.
const LOCK_WAIT: Duration = Duration::from_secs(3);

/// Take the writer lock of the index directory `index_dir` of the case at
/// `root`, waiting a few seconds for another writer; the lock is held
/// until the returned value is dropped.
pub fn writer_lock(root: &Path, index_dir: &Path) -> Result<DirectoryLock, WriteError> {
    let dir = MmapDirectory::open(index_dir).map_err(TantivyError::from)?;
    let deadline = Instant::now() + LOCK_WAIT;
    loop {
        match dir.acquire_lock(&INDEX_WRITER_LOCK) {
            Ok(lock) => return Ok(lock),
            Err(LockError::LockBusy) if Instant::now() < deadline => {
                std::thread::sleep(Duration::from_millis(100));
            }
            Err(LockError::LockBusy) => {
                return Err(WriteError::Busy(root.display().to_string()));
            }
            Err(e) => return Err(TantivyError::LockFailure(e, None).into()),
        }
    }
}

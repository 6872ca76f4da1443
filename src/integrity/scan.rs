//! `okhunt verify`'s walk: every live document of the case, its stored
//! original checked against the index, and the event-set digest.
//!
//! Read-only: it opens a reader (no writer lock), so it runs while another
//! process ingests and sees the last commit.

use super::canonical;
use super::digest::{EventSet, Tally, TooLarge};
use crate::case::{Case, CaseError};
use crate::okta::event::LogEvent;
use crate::okta::identity::derived_id;
use tantivy::columnar::StrColumn;
use tantivy::schema::Value as _;
use tantivy::{Directory, SegmentReader, TantivyDocument, TantivyError};

/// At most this many problems are described one by one.
const EXAMPLES: usize = 5;
/// Index keyword values are cut at this many bytes (see index/document.rs).
const MAX_KEYWORD_BYTES: usize = 2048;

/// What the walk found.
#[derive(Debug, Clone)]
pub struct Scan {
    /// Over the originals that could be read.
    pub tally: Tally,
    /// Live documents walked.
    pub documents: u64,
    /// Documents whose original is missing, cannot be read or is not JSON.
    pub unreadable: u64,
    /// Documents whose original's uuid is not the indexed uuid.
    pub mismatched: u64,
    /// Index files whose content fails their checksum.
    pub corrupt_files: Vec<String>,
    /// The first few problems, one line each.
    pub examples: Vec<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum ScanError {
    #[error(transparent)]
    Case(#[from] CaseError),
    #[error(transparent)]
    TooLarge(#[from] TooLarge),
    #[error("cannot read the index of the case: {0}")]
    Index(#[from] TantivyError),
}

#[derive(Default)]
struct Walk {
    set: EventSet,
    documents: u64,
    unreadable: u64,
    mismatched: u64,
    examples: Vec<String>,
}

impl Walk {
    fn example(&mut self, line: String) {
        if self.examples.len() < EXAMPLES {
            self.examples.push(line);
        }
    }
}

/// Walk every live document of `case`.
pub fn scan(case: &Case) -> Result<Scan, ScanError> {
    let reader = case.reader()?;
    let searcher = reader.searcher();
    let mut walk = Walk::default();
    for segment in searcher.segment_readers() {
        segment_walk(case, segment, &mut walk)?;
    }
    let mut corrupt_files = Vec::new();
    for segment in searcher.segment_readers() {
        corrupt_files.extend(checksum_failures(case, segment)?);
    }
    Ok(Scan {
        tally: walk.set.finish(),
        documents: walk.documents,
        unreadable: walk.unreadable,
        mismatched: walk.mismatched,
        corrupt_files,
        examples: walk.examples,
    })
}

fn segment_walk(case: &Case, segment: &SegmentReader, walk: &mut Walk) -> Result<(), ScanError> {
    let seg_name = segment.segment_id().uuid_string();
    let opened = segment
        .get_store_reader(1)
        .map_err(TantivyError::from)
        .and_then(|store| Ok((store, segment.fast_fields().str("uuid")?)));
    let (store, uuids) = match opened {
        Ok(v) => v,
        Err(e) => {
            let n = u64::from(segment.num_docs());
            walk.documents += n;
            walk.unreadable += n;
            walk.example(format!(
                "segment {seg_name}: its {n} stored originals cannot be read: {e}"
            ));
            return Ok(());
        }
    };
    let mut indexed = String::new();
    let docs = segment.doc_ids_alive();
    let originals = store.iter::<TantivyDocument>(segment.alive_bitset());
    for (doc, original) in docs.zip(originals) {
        walk.documents += 1;
        let source = match &original {
            Ok(d) => d.get_first(case.fields.source).and_then(|v| v.as_str()),
            Err(_) => None,
        };
        let Some(source) = source else {
            walk.unreadable += 1;
            walk.example(format!(
                "segment {seg_name} document {doc}: the stored original cannot be read"
            ));
            continue;
        };
        let (Ok(value), Ok(event)) = (
            serde_json::from_str::<serde_json::Value>(source),
            serde_json::from_str::<LogEvent>(source),
        ) else {
            walk.unreadable += 1;
            walk.example(format!(
                "segment {seg_name} document {doc}: the stored original is not JSON"
            ));
            continue;
        };
        let id = match event.uuid.as_deref() {
            Some(u) => u.to_string(),
            None => derived_id(source),
        };
        indexed_uuid(uuids.as_ref(), doc, &mut indexed);
        if !same_id(&id, &indexed) {
            walk.mismatched += 1;
            walk.example(format!(
                "event {}: its uuid is indexed as {:?}",
                crate::output::escape(&id),
                crate::output::escape(&indexed)
            ));
        }
        walk.set.add(&id, canonical::hash(&value))?;
    }
    Ok(())
}

/// The uuid the index holds for `doc` (empty when it holds none).
fn indexed_uuid(column: Option<&StrColumn>, doc: u32, out: &mut String) {
    out.clear();
    if let Some(c) = column {
        if let Some(ord) = c.term_ords(doc).next() {
            if c.ord_to_str(ord, out).is_err() {
                out.clear();
            }
        }
    }
}

/// Whether the indexed id is the event's id (cut as the index cuts long values).
fn same_id(id: &str, indexed: &str) -> bool {
    id == indexed
        || (id.len() > MAX_KEYWORD_BYTES
            && indexed.len() <= MAX_KEYWORD_BYTES
            && !indexed.is_empty()
            && id.starts_with(indexed))
}

/// Files of `segment` whose content does not match the checksum in their
/// footer. A file gone meanwhile (merged away by a writer in another
/// process) is not a failure: this reader still holds it mapped.
fn checksum_failures(case: &Case, segment: &SegmentReader) -> Result<Vec<String>, ScanError> {
    let prefix = segment.segment_id().uuid_string();
    let dir = Case::index_dir(&case.root);
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Ok(Vec::new());
    };
    let mut files: Vec<String> = entries
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(&prefix) && !n.ends_with(".temp"))
        .collect();
    files.sort();
    let directory = case.index.directory();
    let mut bad = Vec::new();
    for f in files {
        let path = std::path::Path::new(&f);
        match directory.validate_checksum(path) {
            Ok(true) => {}
            Ok(false) => bad.push(f),
            Err(e)
                if super::damage::read_reason(&e).is_some()
                    && directory.exists(path).unwrap_or(false) =>
            {
                bad.push(f);
            }
            Err(_) => {}
        }
    }
    Ok(bad)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_ids_compare_as_indexed() {
        assert!(same_id("abc", "abc"));
        assert!(!same_id("abc", "abd"));
        assert!(!same_id("abc", ""));
        let long = "x".repeat(3000);
        assert!(same_id(&long, &long[..2048]));
        assert!(!same_id(&long, ""));
    }
}

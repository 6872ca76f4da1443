//! What each fuzz target does with one input, kept apart from the
//! `fuzz_target!` wrappers so `tests/fuzz_regressions.rs` runs the very
//! same code in-process on stable (it includes this file by path).
//!
//! Each function drives the real read path with the input and checks a few
//! invariants the rest of okhunt relies on; a panic is a finding.

use okhunt::case::Case;
use okhunt::index::schema::Fields;
use okhunt::index::{document, query, search};
use okhunt::ingest::{self, Options};
use okhunt::okta::event::LogEvent;
use okhunt::okta::formats::for_each_event;
use okhunt::okta::identity::derived_id;
use okhunt::okta::records::{Item, Records, Start};
use okhunt::okta::source::Source;
use okhunt::okta::time::parse_published;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::OnceLock;
use std::sync::atomic::AtomicU64;
use tantivy::schema::Schema;

/// Bytes -> the per-record parse of ingest: envelope unwrapping, the
/// tolerant `LogEvent`, the `published` time.
pub fn event_parser(data: &[u8]) {
    for_each_event(data, &mut |r| {
        let Ok((text, event)) = r else { return };
        check_event(text, &event);
    });
}

/// What ingest stores must be one line of JSON that parses back to the
/// same usable event.
fn check_event(text: &str, event: &LogEvent<'_>) {
    assert!(!text.contains('\n'), "a stored event spans lines: {text:?}");
    let again: LogEvent = match serde_json::from_str(text) {
        Ok(e) => e,
        Err(e) => panic!("a stored event does not parse again ({e}): {text:?}"),
    };
    assert_eq!(again.uuid, event.uuid);
    let published = event.published.as_deref().unwrap_or_default();
    assert!(
        parse_published(published).is_some(),
        "an accepted event has no usable time: {published:?}"
    );
    // What the index writer does with it: an id, then the document.
    let id = match event.uuid.as_deref() {
        Some(u) => u.to_string(),
        None => derived_id(text),
    };
    let fields = &schema().1;
    let _ = document::build(fields, &id, text, event, 1);
}

fn schema() -> &'static (Schema, Fields) {
    static SCHEMA: OnceLock<(Schema, Fields)> = OnceLock::new();
    SCHEMA.get_or_init(okhunt::index::schema::build)
}

/// Bytes -> a file -> exactly what `okhunt ingest FILE` does with it:
/// gzip detection by magic bytes, `Records::open`, every item, and
/// `for_each_event` on each record.
pub fn format_detector(data: &[u8]) {
    let path = scratch_file();
    if std::fs::File::create(&path)
        .and_then(|mut f| f.write_all(data))
        .is_err()
    {
        return;
    }
    let Ok(input) = Source::File(path).open(Arc::new(AtomicU64::new(0))) else {
        return;
    };
    let Ok((start, records)) = Records::open(input) else {
        return;
    };
    if !matches!(start, Start::Json(_)) {
        return;
    }
    // Each item consumes at least one byte of the (decompressed) input;
    // a reader that yields more items than that is looping.
    let limit = 64 + data.len().saturating_mul(1032);
    let mut last_line = 0;
    for (n, item) in records.enumerate() {
        assert!(n < limit, "the record reader does not advance");
        match item {
            Ok(Item::Record { line, bytes }) => {
                assert!(line >= last_line, "lines went backwards");
                last_line = line;
                // Lines mode passes any non-blank line on (the parser
                // names what is wrong with it), trimmed.
                let trimmed = |b: &u8| !b.is_ascii_whitespace();
                assert!(
                    bytes.first().is_some_and(trimmed) && bytes.last().is_some_and(trimmed),
                    "a blank or untrimmed record: {bytes:?}"
                );
                event_parser(&bytes);
            }
            Ok(Item::Skip { line, reason }) => {
                assert!(line >= last_line, "lines went backwards");
                last_line = line;
                assert!(!reason.is_empty());
            }
            Err(_) => break,
        }
    }
}

/// One scratch file per process and thread.
fn scratch_file() -> PathBuf {
    let dir = if Path::new("/dev/shm").is_dir() {
        PathBuf::from("/dev/shm")
    } else {
        std::env::temp_dir()
    };
    let thread = format!("{:?}", std::thread::current().id());
    let thread: String = thread.chars().filter(char::is_ascii_digit).collect();
    dir.join(format!("okhunt-fuzz-{}-{thread}.input", std::process::id()))
}

/// A small case holding the fixture events, made once per process.
struct QueryCase {
    case: Case,
    reader: tantivy::IndexReader,
}

fn query_case() -> &'static QueryCase {
    static CASE: OnceLock<QueryCase> = OnceLock::new();
    CASE.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("okhunt-fuzz-case-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let built = build_case(&dir);
        // The reader holds every file it needs open (the reload policy is
        // manual), so the directory can go now: a static is never dropped.
        let _ = std::fs::remove_dir_all(&dir);
        let qc = match built {
            Ok(qc) => qc,
            Err(e) => panic!("cannot build the query case: {e}"),
        };
        // Make sure of that: every event readable, sorted by time.
        let searcher = qc.reader.searcher();
        let all = query::parse(&qc.case.fields, &searcher.schema().clone(), "*");
        let hits = all.and_then(|q| {
            search::ordered(&searcher, q.as_ref(), false, Some(10)).map_err(|e| query::QueryError {
                message: e.to_string(),
                position: None,
            })
        });
        match hits {
            Ok(h) if h.len() >= 5 => {
                for hit in h {
                    let source = search::source(&searcher, &qc.case.fields, hit.address);
                    assert!(
                        source.is_ok_and(|s| s.starts_with('{')),
                        "an unreadable event"
                    );
                }
            }
            other => panic!(
                "the query case is not searchable: {:?}",
                other.map(|h| h.len())
            ),
        }
        qc
    })
}

fn build_case(dir: &Path) -> Result<QueryCase, String> {
    // Relative to this file, which both the fuzz crate and the tests build.
    const EVENTS: &str = include_str!("../../fixtures/formats/events.ndjson");
    let mut case = Case::open_or_create(dir).map_err(|e| e.to_string())?;
    let events = dir.join("events.ndjson");
    std::fs::write(&events, EVENTS).map_err(|e| e.to_string())?;
    let opts = Options {
        threads: 1,
        heap_bytes: 16 * 1024 * 1024,
    };
    let progress = ingest::new_progress();
    let summary = ingest::run(&mut case, &[events], &opts, &progress, &mut |_| {})
        .map_err(|e| e.to_string())?;
    if summary.added == 0 {
        return Err("no event of the fixture was added".into());
    }
    let reader = case.reader().map_err(|e| e.to_string())?;
    Ok(QueryCase { case, reader })
}

/// Text -> the query parser of `okhunt search` and the TUI's `/` prompt,
/// then the query run on a small case.
pub fn query_parser(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let qc = query_case();
    let schema = qc.case.index.schema();
    match query::parse(&qc.case.fields, &schema, text) {
        Ok(q) => {
            let searcher = qc.reader.searcher();
            let q = query::and(q, query::time_range(&qc.case.fields, None, None));
            // Errors are fine (the UI shows them); panics are not.
            let _ = search::count(&searcher, q.as_ref());
            let _ = search::ordered(&searcher, q.as_ref(), false, Some(5));
        }
        Err(e) => {
            assert!(!e.message.is_empty(), "an empty error for {text:?}");
            if let Some(p) = e.position {
                assert!(p <= text.chars().count(), "{text:?}: {e}");
            }
        }
    }
}

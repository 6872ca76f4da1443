//! `okhunt PATH...`: the ingest that runs beside the TUI. A thread of its
//! own writes into the case while the worker keeps answering queries; the
//! loop turns the shared counters into `Msg::Ingest` for the gauge, and
//! the thread sends the final one.

use super::msg::{IngestStatus, Msg};
use crate::case::Case;
use crate::ingest::{self, Options, Problem, Progress, Summary};
use std::io::Write;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::mpsc::Sender;

/// Where skipped lines are listed (in the case directory, mode 0600).
pub const PROBLEMS_FILE: &str = "ingest-problems.txt";

/// An ingest in progress, as the loop sees it.
pub struct IngestJob {
    progress: Arc<Progress>,
    finished: bool,
}

impl IngestJob {
    /// Start ingesting `paths` into the case at `root`; the final status
    /// arrives on `answers`.
    pub fn start(
        root: PathBuf,
        paths: Vec<PathBuf>,
        answers: Sender<Msg>,
    ) -> std::io::Result<IngestJob> {
        let progress = ingest::new_progress();
        let shared = Arc::clone(&progress);
        std::thread::Builder::new()
            .name("okhunt-ingest".into())
            .spawn(move || {
                let done = ingest_into(&root, &paths, &shared);
                if let Err(e) = &done {
                    tracing::warn!("ingest failed: {e}");
                }
                let mut status = snapshot(&shared);
                status.done = Some(done);
                let _ = answers.send(Msg::Ingest(status));
            })?;
        Ok(IngestJob {
            progress,
            finished: false,
        })
    }

    /// The counters now, unless the ingest has ended (its final status is
    /// on the way and must not be overtaken).
    pub fn poll(&mut self, status_seen: Option<&IngestStatus>) -> Option<Msg> {
        if status_seen.is_some_and(|s| s.done.is_some()) {
            self.finished = true;
        }
        (!self.finished).then(|| Msg::Ingest(snapshot(&self.progress)))
    }
}

fn snapshot(p: &Progress) -> IngestStatus {
    IngestStatus {
        current: p.current(),
        bytes: p.bytes(),
        total: p.total(),
        events: p.events(),
        done: None,
    }
}

/// Run the ingest; its summary as one line, or why it failed.
fn ingest_into(
    root: &std::path::Path,
    paths: &[PathBuf],
    progress: &Progress,
) -> Result<String, String> {
    let mut case = Case::open_or_create(root).map_err(|e| e.to_string())?;
    let opts = Options {
        threads: std::thread::available_parallelism().map_or(2, |n| n.get().clamp(1, 4)),
        heap_bytes: 512 * 1024 * 1024,
    };
    let mut problems: Option<std::fs::File> = None;
    let problems_path = root.join(PROBLEMS_FILE);
    let mut report = |p: &Problem| {
        tracing::info!("ingest: {p}");
        if problems.is_none() {
            problems = crate::case::private_file(&problems_path).ok();
        }
        if let Some(f) = problems.as_mut() {
            let _ = writeln!(f, "{p}");
        }
    };
    let summary =
        ingest::run(&mut case, paths, &opts, progress, &mut report).map_err(|e| e.to_string())?;
    Ok(describe(&summary, &problems_path))
}

/// `ingested 2 files: 4,741 events added, 3 duplicates, 1 skipped (see …)`.
pub fn describe(s: &Summary, problems: &std::path::Path) -> String {
    let mut text = format!(
        "ingested {} file{}: {} events added, {} duplicates",
        s.files,
        if s.files == 1 { "" } else { "s" },
        s.added,
        s.duplicates
    );
    let skipped = s.skipped + s.failed_paths.len() as u64;
    if skipped > 0 {
        text.push_str(&format!(
            ", {} skipped (listed in {})",
            skipped,
            problems.display()
        ));
    }
    text
}

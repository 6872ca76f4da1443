//! `okhunt verify`: recount the case, read every stored original back and
//! print the digest of its event set. Read-only (no writer lock): it can
//! run beside an ingest and checks the last commit.

use crate::case::Case;
use crate::cli::{StatsFormat, VerifyArgs};
use crate::integrity::scan::{Scan, scan};
use crate::output::escape;
use serde_json::json;
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

pub fn run(case_dir: &Path, args: &VerifyArgs) -> anyhow::Result<ExitCode> {
    let started = Instant::now();
    let case = Case::open(case_dir)?;
    let found = scan(&case)?;
    let recorded: u64 = case.meta.ingests.iter().map(|i| i.added).sum();
    // case.json's counts are exact only when every batch finished and no
    // repair rebuilt the index; otherwise they are shown, not judged.
    let counts_exact =
        case.meta.ingests.iter().all(|i| i.finished.is_some()) && case.meta.repairs.is_empty();
    let problems = problems(&found);
    let root = case.root.display().to_string();
    let mut out = std::io::stdout().lock();
    match args.format {
        StatsFormat::Json => {
            let obj = json!({
                "case": root,
                "ok": problems.is_empty(),
                "digest": found.tally.digest,
                "documents": found.documents,
                "events": found.tally.events,
                "distinct": found.tally.distinct,
                "duplicates": found.tally.duplicates,
                "unreadable": found.unreadable,
                "mismatched": found.mismatched,
                "corrupt_files": found.corrupt_files,
                "recorded_added": recorded,
                "problems": problems,
                "examples": found.examples,
                "seconds": started.elapsed().as_secs_f64(),
            });
            writeln!(out, "{}", serde_json::to_string_pretty(&obj)?)?;
        }
        StatsFormat::Table => {
            writeln!(out, "case    {}", escape(&root))?;
            writeln!(out, "digest  {}", found.tally.digest)?;
            writeln!(
                out,
                "events  {} ({} distinct ids, {} duplicates)",
                found.tally.events, found.tally.distinct, found.tally.duplicates
            )?;
            let note = if recorded == found.documents {
                "matches"
            } else if counts_exact {
                "DIFFERS from"
            } else {
                "differs from (a batch was killed or the case repaired, so expected)"
            };
            writeln!(
                out,
                "index   {} documents; {note} the {recorded} events case.json records as added",
                found.documents
            )?;
            writeln!(
                out,
                "checked {} stored originals ({} unreadable, {} with a uuid unlike the index's), {} index files failing their checksum, in {:.1} s",
                found.documents,
                found.unreadable,
                found.mismatched,
                found.corrupt_files.len(),
                started.elapsed().as_secs_f64()
            )?;
            for e in &found.examples {
                writeln!(out, "  {e}")?;
            }
        }
    }
    drop(out);
    if problems.is_empty() {
        return Ok(ExitCode::SUCCESS);
    }
    for p in &problems {
        eprintln!("okhunt: {p}");
    }
    eprintln!(
        "okhunt: the case at {root} is damaged: run okhunt repair --case {root} (the damaged index is kept aside)"
    );
    Ok(ExitCode::from(1))
}

/// One plain sentence per kind of problem.
fn problems(s: &Scan) -> Vec<String> {
    let mut out = Vec::new();
    if s.unreadable > 0 {
        out.push(format!(
            "{} stored originals cannot be read back",
            s.unreadable
        ));
    }
    if s.mismatched > 0 {
        out.push(format!(
            "{} stored originals carry a uuid other than the one indexed",
            s.mismatched
        ));
    }
    if s.tally.duplicates > 0 {
        out.push(format!(
            "{} events are stored more than once (same uuid)",
            s.tally.duplicates
        ));
    }
    if !s.corrupt_files.is_empty() {
        out.push(format!(
            "index files fail their checksum: {}",
            s.corrupt_files.join(", ")
        ));
    }
    out
}

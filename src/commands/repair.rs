//! `okhunt repair`: rebuild a damaged index (see integrity/repair.rs) and
//! say what was recovered, from where, and what could not be.

use super::ingest::default_threads;
use crate::cli::RepairArgs;
use crate::ingest::Problem;
use crate::integrity::repair::{Options, repair};
use crate::integrity::stores::Listing;
use crate::output::escape;
use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

/// Problems met re-reading sources shown one by one before the rest are
/// only counted.
const SHOWN_PROBLEMS: u64 = 10;

pub fn run(case_dir: &Path, args: &RepairArgs) -> anyhow::Result<ExitCode> {
    let started = Instant::now();
    let opts = Options {
        from_sources: args.from_sources,
        threads: args.threads.unwrap_or_else(default_threads),
        heap_bytes: args.heap_mib.max(16) * 1024 * 1024,
    };
    let mut shown = 0u64;
    let mut problems = 0u64;
    let mut report_problem = |p: &Problem| {
        problems += 1;
        if shown < SHOWN_PROBLEMS {
            shown += 1;
            eprintln!("okhunt: {p}");
        }
    };
    let report = repair(case_dir, &opts, &mut report_problem)?;
    if problems > shown {
        eprintln!(
            "okhunt: {} more problems reading the sources again (run okhunt ingest on them with --errors FILE to list them)",
            problems - shown
        );
    }
    let root = case_dir.display();
    println!(
        "okhunt: rebuilt the index of the case at {root} in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    match &report.moved_to {
        Some(m) => println!("  the damaged index is kept as {root}/{m}"),
        None => println!("  the case had no index directory: rebuilt from its sources"),
    }
    if let Some(listing) = report.listing {
        let from = match listing {
            Listing::Meta => "listed in its meta.json",
            Listing::Disk => "found on disk (its meta.json is missing or unreadable)",
        };
        println!("  {} segments {from}", report.segments);
    }
    println!(
        "  {} events recovered from {} stored originals{}",
        report.recovered,
        report.originals,
        if report.undecodable > 0 {
            format!(
                " ({} could not be decoded and were skipped)",
                report.undecodable
            )
        } else {
            String::new()
        }
    );
    for (id, reason) in &report.segments_unreadable {
        println!("  segment {id} could not be read: {}", escape(reason));
    }
    if let Some(s) = &report.reingest {
        println!(
            "  sources read again: {} events read, {} added back, {} already present, {} skipped",
            s.read, s.added, s.duplicates, s.skipped
        );
        for p in &report.sources_read {
            println!("    {}", escape(p));
        }
    }
    for p in &report.sources_missing {
        println!("  source no longer there, not read again: {}", escape(p));
    }
    for b in &report.stdin_batches {
        println!("  batch {b} was read from stdin and cannot be read again");
    }
    for f in &report.fetched {
        println!(
            "  pulled from the Okta API, not fetched again: {} (run okhunt fetch again to fill any gap)",
            escape(f)
        );
    }
    // Events may be lost only when a segment was unreadable and some of
    // the case's sources could not be read again.
    let maybe_lost = !report.segments_unreadable.is_empty() && report.unread_sources();
    let failed_sources = report
        .reingest
        .as_ref()
        .is_some_and(|s| !s.failed_paths.is_empty());
    if maybe_lost || failed_sources {
        eprintln!(
            "okhunt: some events may not have been recovered: ingest the missing sources again, or compare okhunt verify's digest with another copy of the case"
        );
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}

//! `okhunt hunt`: run the hunts headless and print findings.

use super::{UsageError, time_bounds};
use crate::case::Case;
use crate::cli::{Format, HuntArgs};
use crate::hunt::{self, Finding};
use crate::okta::time::format_utc;
use crate::output::{table, terminal_width};
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

pub fn run(case_dir: &Path, args: &HuntArgs) -> anyhow::Result<ExitCode> {
    let hunts = hunt::all();
    if args.list {
        return list(&hunts);
    }
    let known: Vec<&str> = hunts.iter().map(|h| h.id()).collect();
    if let Some(bad) = args.hunts.iter().find(|id| !known.contains(&id.as_str())) {
        return Err(UsageError(format!(
            "unknown hunt '{bad}' (known: {})",
            known.join(", ")
        ))
        .into());
    }
    let (since, until) = time_bounds(args.since.as_deref(), args.until.as_deref())?;
    let case = Case::open(case_dir)?;
    let config = hunt::config::load(case_dir).map_err(anyhow::Error::msg)?;
    let reader = case.reader()?;
    let searcher = reader.searcher();
    let started = std::time::Instant::now();
    // The whole case with every hunt is what the case keeps; a narrowed run
    // is computed fresh and not stored.
    let (findings, how) = if args.hunts.is_empty() && since.is_none() && until.is_none() {
        let (f, freshness) = hunt::cache::findings(&case, &searcher, &config)?;
        let how = match freshness {
            hunt::cache::Freshness::Cached => "kept in the case, nothing new since the last run",
            hunt::cache::Freshness::Incremental => "re-ran over the time the new events touch",
            hunt::cache::Freshness::Full => "ran over the whole case",
        };
        (f, how)
    } else {
        let f = hunt::run(&searcher, &case.fields, &config, &args.hunts, since, until)?;
        (f, "ran over the range asked")
    };
    eprintln!(
        "okhunt: {} findings ({how}) in {:.2}s",
        findings.len(),
        started.elapsed().as_secs_f64()
    );
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    match args.format {
        Format::Json => writeln!(out, "{}", serde_json::to_string_pretty(&findings)?)?,
        Format::Ndjson => {
            for f in &findings {
                writeln!(out, "{}", serde_json::to_string(f)?)?;
            }
        }
        Format::Csv => write_csv(&mut out, &findings)?,
        Format::Table => write_table(&mut out, &findings)?,
    }
    Ok(ExitCode::SUCCESS)
}

fn list(hunts: &[Box<dyn hunt::Hunt>]) -> anyhow::Result<ExitCode> {
    let mut out = std::io::stdout().lock();
    for h in hunts {
        writeln!(
            out,
            "{:<22} {:<8} {}",
            h.id(),
            h.severity().as_str(),
            h.title()
        )?;
        writeln!(out, "    {}\n", h.description())?;
    }
    Ok(ExitCode::SUCCESS)
}

fn write_table(out: &mut dyn Write, findings: &[Finding]) -> anyhow::Result<()> {
    if findings.is_empty() {
        writeln!(out, "(no findings)")?;
        return Ok(());
    }
    let rows: Vec<Vec<String>> = findings
        .iter()
        .map(|f| {
            vec![
                f.severity.to_string(),
                f.hunt.to_string(),
                f.actor.clone().unwrap_or_default(),
                f.targets.join(" "),
                f.ips.join(" "),
                format_utc(f.first_seen),
                f.count.to_string(),
                f.summary.clone(),
            ]
        })
        .collect();
    let headers = [
        "SEVERITY",
        "HUNT",
        "ACTOR",
        "TARGETS",
        "IPS",
        "FIRST SEEN",
        "COUNT",
        "SUMMARY",
    ];
    out.write_all(
        table(
            &headers,
            &rows,
            terminal_width(),
            &[(2, 16), (3, 12), (4, 15), (7, 30)],
        )
        .as_bytes(),
    )?;
    Ok(())
}

fn write_csv(out: &mut dyn Write, findings: &[Finding]) -> anyhow::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record([
        "hunt",
        "severity",
        "title",
        "summary",
        "actor",
        "targets",
        "ips",
        "sessions",
        "first_seen",
        "last_seen",
        "count",
        "event_uuids",
    ])?;
    for f in findings {
        w.write_record([
            f.hunt.to_string(),
            f.severity.to_string(),
            f.title.clone(),
            f.summary.clone(),
            f.actor.clone().unwrap_or_default(),
            f.targets.join(" "),
            f.ips.join(" "),
            f.sessions.join(" "),
            format_utc(f.first_seen),
            format_utc(f.last_seen),
            f.count.to_string(),
            f.event_uuids.join(" "),
        ])?;
    }
    w.flush()?;
    Ok(())
}

//! `okhunt search`: events matching a query, in time order, as a table,
//! JSON, NDJSON or CSV.

use super::{UsageError, time_bounds};
use crate::case::Case;
use crate::cli::{Format, SearchArgs};
use crate::index::{query, search};
use crate::output::{EventRow, table, terminal_width};
use std::io::{BufWriter, Write};
use std::path::Path;
use std::process::ExitCode;

pub fn run(case_dir: &Path, args: &SearchArgs) -> anyhow::Result<ExitCode> {
    let (since, until) = time_bounds(args.since.as_deref(), args.until.as_deref())?;
    let case = Case::open(case_dir)?;
    let text = args.query.join(" ");
    let parsed = match query::parse(&case.fields, &case.index.schema(), &text) {
        Ok(q) => q,
        Err(e) => return Err(UsageError(with_caret(&e, &text)).into()),
    };
    let q = query::and(parsed, query::time_range(&case.fields, since, until));
    let reader = case.reader()?;
    let searcher = reader.searcher();
    let limit = args.limit.or(match args.format {
        Format::Table => Some(screenful()),
        _ => None,
    });
    let hits = search::ordered(&searcher, q.as_ref(), args.reverse, limit)?;
    let stdout = std::io::stdout();
    let mut out = BufWriter::with_capacity(1 << 20, stdout.lock());
    let sources = hits
        .iter()
        .map(|h| search::source(&searcher, &case.fields, h.address));
    let written = match args.format {
        Format::Ndjson => {
            for s in sources {
                writeln!(out, "{}", s?)?;
            }
            Ok(())
        }
        Format::Json => {
            out.write_all(b"[")?;
            for (i, s) in sources.enumerate() {
                out.write_all(if i == 0 { b"\n" } else { b",\n" })?;
                out.write_all(s?.as_bytes())?;
            }
            out.write_all(b"\n]\n")?;
            Ok(())
        }
        Format::Csv => write_csv(&mut out, &searcher, &case, &hits),
        Format::Table => {
            let total = search::count(&searcher, q.as_ref())?;
            write_table(&mut out, &searcher, &case, &hits, total)
        }
    };
    written?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

fn screenful() -> usize {
    ratatui::crossterm::terminal::size().map_or(50, |(_, h)| (h as usize).saturating_sub(4).max(10))
}

fn rows(
    searcher: &tantivy::Searcher,
    case: &Case,
    hits: &[search::Hit],
) -> anyhow::Result<Vec<EventRow>> {
    hits.iter()
        .map(|h| {
            let src = search::source(searcher, &case.fields, h.address)?;
            Ok(EventRow::from_source("", &src))
        })
        .collect()
}

fn write_table(
    out: &mut dyn Write,
    searcher: &tantivy::Searcher,
    case: &Case,
    hits: &[search::Hit],
    total: usize,
) -> anyhow::Result<()> {
    let cells: Vec<Vec<String>> = rows(searcher, case, hits)?
        .into_iter()
        .map(|r| {
            vec![
                table_time(&r.published),
                r.event_type,
                r.actor,
                r.target,
                r.ip,
                r.country,
                r.outcome,
            ]
        })
        .collect();
    let headers = [
        "TIME",
        "EVENT TYPE",
        "ACTOR",
        "TARGET",
        "IP",
        "COUNTRY",
        "OUTCOME",
    ];
    out.write_all(
        table(
            &headers,
            &cells,
            terminal_width(),
            &[(1, 24), (2, 18), (3, 12), (4, 15), (5, 8)],
        )
        .as_bytes(),
    )?;
    if total > hits.len() {
        writeln!(
            out,
            "({} of {} events shown; --limit N or --format ndjson for more)",
            hits.len(),
            total
        )?;
    } else if total == 0 {
        writeln!(out, "(no events match)")?;
    }
    Ok(())
}

fn write_csv(
    out: &mut dyn Write,
    searcher: &tantivy::Searcher,
    case: &Case,
    hits: &[search::Hit],
) -> anyhow::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record([
        "published",
        "eventType",
        "actor",
        "target",
        "ipAddress",
        "country",
        "city",
        "outcome",
        "sessionId",
        "displayMessage",
        "uuid",
    ])?;
    for h in hits {
        let src = search::source(searcher, &case.fields, h.address)?;
        let r = EventRow::from_source("", &src);
        w.write_record([
            &r.published,
            &r.event_type,
            &r.actor,
            &r.target,
            &r.ip,
            &r.country,
            &r.city,
            &r.outcome,
            &r.session,
            &r.message,
            &r.uuid,
        ])?;
    }
    w.flush()?;
    Ok(())
}

/// The error, then the query with a caret under the offending character.
fn with_caret(e: &query::QueryError, text: &str) -> String {
    match e.position {
        Some(p) if !text.is_empty() && text.chars().count() <= 200 => {
            let shown = crate::output::escape(text);
            format!(
                "{e}\n  {shown}\n  {}^",
                " ".repeat(p.min(shown.chars().count()))
            )
        }
        _ => e.to_string(),
    }
}

/// Table times to the second (`2024-03-13T16:51:40Z`); json, ndjson and csv
/// keep Okta's full precision.
fn table_time(published: &str) -> String {
    crate::okta::time::parse_published(published)
        .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
        .unwrap_or_else(|| published.to_string())
}

//! `okhunt stats`: what the case holds, or one user's activity.

use super::time_bounds;
use crate::case::Case;
use crate::cli::{StatsArgs, StatsFormat};
use crate::index::stats::{Counted, TopRequest, top};
use crate::index::{query, search};
use crate::okta::time::format_utc;
use crate::output::{escape, table, terminal_width};
use serde_json::json;
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;
use tantivy::Term;
use tantivy::query::{AllQuery, BooleanQuery, Occur, Query, TermQuery};
use tantivy::schema::IndexRecordOption;

pub fn run(case_dir: &Path, args: &StatsArgs) -> anyhow::Result<ExitCode> {
    let (since, until) = time_bounds(args.since.as_deref(), args.until.as_deref())?;
    let case = Case::open(case_dir)?;
    let f = &case.fields;
    let base: Box<dyn Query> = match &args.actor {
        Some(a) => Box::new(BooleanQuery::new(
            [f.actor, f.actor_id]
                .into_iter()
                .map(|field| {
                    let q: Box<dyn Query> = Box::new(TermQuery::new(
                        Term::from_field_text(field, a),
                        IndexRecordOption::Basic,
                    ));
                    (Occur::Should, q)
                })
                .collect(),
        )),
        None => Box::new(AllQuery),
    };
    let q = query::and(base, query::time_range(f, since, until));
    let reader = case.reader()?;
    let searcher = reader.searcher();
    let total = search::count(&searcher, q.as_ref())?;
    let first = search::ordered(&searcher, q.as_ref(), false, Some(1))?
        .first()
        .map(|h| h.published_ms);
    let last = search::ordered(&searcher, q.as_ref(), true, Some(1))?
        .first()
        .map(|h| h.published_ms);
    let n = args.top.max(1);
    let sections: Vec<(&str, TopRequest)> = if args.actor.is_some() {
        vec![
            ("event types", TopRequest::new("type", 1000).timed()),
            ("IPs", TopRequest::new("ip", n).timed().with("country")),
            ("countries", TopRequest::new("country", n).timed()),
            ("sessions", TopRequest::new("session", n).timed().with("ip")),
            ("user agents", TopRequest::new("ua", n).timed()),
        ]
    } else {
        vec![
            ("event types", TopRequest::new("type", n)),
            ("actors", TopRequest::new("actor", n)),
            ("IPs", TopRequest::new("ip", n).with("country")),
            ("countries", TopRequest::new("country", n)),
        ]
    };
    let requests: Vec<TopRequest> = sections.iter().map(|(_, r)| r.clone()).collect();
    let results = top(&searcher, q.as_ref(), &requests)?;
    let ms = |v: Option<i64>| {
        v.and_then(chrono::DateTime::from_timestamp_millis)
            .map(format_utc)
    };

    let mut out = std::io::stdout().lock();
    match args.format {
        StatsFormat::Json => {
            let mut obj = json!({
                "case": case.root.display().to_string(),
                "actor": args.actor,
                "events": total,
                "first": ms(first),
                "last": ms(last),
            });
            for ((name, _), counted) in sections.iter().zip(&results) {
                obj[name.replace(' ', "_").to_lowercase()] = counted
                    .iter()
                    .map(|c| {
                        json!({"value": c.value, "count": c.count, "first_seen": ms(c.first_seen_ms),
                               "last_seen": ms(c.last_seen_ms), "with": c.with})
                    })
                    .collect();
            }
            if args.actor.is_none() {
                obj["ingests"] = serde_json::to_value(&case.meta.ingests)?;
            }
            writeln!(out, "{}", serde_json::to_string_pretty(&obj)?)?;
        }
        StatsFormat::Table => {
            let who = args
                .actor
                .as_deref()
                .map_or_else(|| "case".to_string(), |a| escape(a).into_owned());
            writeln!(
                out,
                "{who}: {total} events, {} .. {}",
                ms(first).unwrap_or("-".into()),
                ms(last).unwrap_or("-".into())
            )?;
            if args.actor.is_none() {
                for i in &case.meta.ingests {
                    writeln!(
                        out,
                        "  ingest #{} {}: {} read, {} added, {} duplicates, {} skipped{}",
                        i.batch,
                        format_utc(i.started),
                        i.read,
                        i.added,
                        i.duplicates,
                        i.skipped,
                        if i.finished.is_none() {
                            " (interrupted)"
                        } else if i.interrupted {
                            " (stopped early: run it again to add the rest)"
                        } else {
                            ""
                        }
                    )?;
                }
            }
            for ((name, req), counted) in sections.iter().zip(&results) {
                writeln!(out, "\n{}", name.to_uppercase())?;
                write!(out, "{}", section(req, counted, &ms))?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn section(
    req: &TopRequest,
    counted: &[Counted],
    ms: &dyn Fn(Option<i64>) -> Option<String>,
) -> String {
    if counted.is_empty() {
        return "  (none)\n".to_string();
    }
    let mut headers = vec!["COUNT", "VALUE"];
    if let Some(w) = req.with {
        headers.push(if w == "country" { "COUNTRY" } else { "IP" });
    }
    if req.with_times {
        headers.extend(["FIRST SEEN", "LAST SEEN"]);
    }
    let rows: Vec<Vec<String>> = counted
        .iter()
        .map(|c| {
            let mut r = vec![c.count.to_string(), c.value.clone()];
            if req.with.is_some() {
                r.push(c.with.clone().unwrap_or_default());
            }
            if req.with_times {
                r.push(ms(c.first_seen_ms).unwrap_or_default());
                r.push(ms(c.last_seen_ms).unwrap_or_default());
            }
            r
        })
        .collect();
    table(&headers, &rows, terminal_width(), &[(1, 20)])
        .lines()
        .map(|l| format!("  {l}\n"))
        .collect()
}

//! Pivot and aggregation latency on an ingested case (a benchmark, not a
//! test): the same library calls the TUI worker makes, timed in-process.
//!
//! - pivot (actor, session, IP, events around): count the matches, the
//!   newest 100 by `published`, and fetch those 100 original events;
//!   warm (after one untimed pass) over many different values;
//! - cold: open the case and answer the first actor pivot (run with
//!   `--cold` in a fresh process; the page cache is what it is);
//! - aggregations the UI shows: counts by type, top IPs (with country and
//!   first/last seen), the histogram over the whole span.
//!
//! `cargo bench --bench pivots -- --case DIR [--rounds N] [--cold]`; prints
//! one `name p50_ms p99_ms max_ms count` line per figure (parsed by
//! `scripts/bench`).

use anyhow::{Context, bail};
use okhunt::app::profile;
use okhunt::case::Case;
use okhunt::index::schema::Fields;
use okhunt::index::search;
use okhunt::index::stats::{self, TopRequest};
use okhunt::index::{document, query};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};
use tantivy::Searcher;
use tantivy::query::{AllQuery, Query};

/// One aggregation the UI shows, run over the whole case.
type Aggregation = dyn Fn(&Searcher) -> anyhow::Result<()>;

/// The rows a pivot loads: the reference figure's "newest 100".
const ROWS: usize = 100;
/// Distinct values pivoted on, per kind.
const VALUES: usize = 200;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if !args.iter().any(|a| a == "--bench") {
        println!("pivots: a benchmark, run it with `cargo bench --bench pivots -- --case DIR`");
        return ExitCode::SUCCESS;
    }
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("pivots: {e:#}");
            ExitCode::FAILURE
        }
    }
}

struct Options {
    case: PathBuf,
    rounds: usize,
    cold: bool,
}

fn parse(args: &[String]) -> anyhow::Result<Options> {
    let mut case = None;
    let mut rounds = 3;
    let mut cold = false;
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--bench" => {}
            "--case" => case = Some(PathBuf::from(it.next().context("--case needs a value")?)),
            "--rounds" => {
                rounds = it
                    .next()
                    .context("--rounds needs a value")?
                    .parse()
                    .context("--rounds")?;
            }
            "--cold" => cold = true,
            other => bail!("unknown argument {other}; use --case DIR, --rounds N, --cold"),
        }
    }
    Ok(Options {
        case: case.context("--case DIR is required")?,
        rounds: rounds.max(1),
        cold,
    })
}

fn run(args: &[String]) -> anyhow::Result<()> {
    let opts = parse(args)?;
    if opts.cold {
        // Everything a fresh TUI does before its first pivot answers.
        let started = Instant::now();
        let case = Case::open(&opts.case)?;
        let reader = case.reader()?;
        let searcher = reader.searcher();
        let actor = stats::top(&searcher, &AllQuery, &[TopRequest::new("actor", 1)])?
            .into_iter()
            .flatten()
            .next()
            .context("empty case")?;
        let q = profile::term(case.fields.actor, &actor.value);
        pivot(&searcher, &case.fields, &q)?;
        report("cold: open + first actor pivot", &[started.elapsed()]);
        return Ok(());
    }
    let case = Case::open(&opts.case)?;
    let reader = case.reader()?;
    let searcher = reader.searcher();
    let fields = &case.fields;
    eprintln!(
        "pivots: {} events in {} segments",
        searcher.num_docs(),
        searcher.segment_readers().len()
    );

    // The values to pivot on: the most common ones and a long tail.
    let values = |field: &'static str| -> anyhow::Result<Vec<String>> {
        Ok(
            stats::top(&searcher, &AllQuery, &[TopRequest::new(field, VALUES)])?
                .into_iter()
                .flatten()
                .map(|c| c.value)
                .collect(),
        )
    };
    let actors = values("actor")?;
    let sessions = values("session")?;
    let ips = values("ip")?;
    // Events-around windows: +-5 minutes around the newest event of each
    // session (spread over the whole span).
    let mut moments = Vec::new();
    for s in &sessions {
        let q = profile::term(fields.session, s);
        if let Some(h) = search::ordered(&searcher, &q, true, Some(1))?.first() {
            moments.push(h.published_ms);
        }
    }

    let kinds: [(&str, Vec<Box<dyn Query>>); 4] = [
        (
            "pivot: actor",
            actors
                .iter()
                .map(|a| Box::new(profile::term(fields.actor, a)) as Box<dyn Query>)
                .collect(),
        ),
        (
            "pivot: session",
            sessions
                .iter()
                .map(|s| Box::new(profile::term(fields.session, s)) as Box<dyn Query>)
                .collect(),
        ),
        (
            "pivot: IP",
            ips.iter()
                .map(|ip| {
                    // Aggregations name IPs in v6 form (v4 mapped).
                    let ip = ip
                        .parse::<std::net::Ipv6Addr>()
                        .map_or_else(|_| ip.clone(), document::display_ip);
                    query::parse(fields, &case.index.schema(), &format!("ip:{ip}"))
                })
                .collect::<Result<_, _>>()
                .map_err(|e| anyhow::anyhow!("{e}"))?,
        ),
        (
            "pivot: events around (10 min)",
            moments
                .iter()
                .filter_map(|&t| {
                    // Whole seconds, as the TUI's events-around view asks.
                    let at = |ms: i64| chrono::DateTime::from_timestamp_millis(ms);
                    let second = t.div_euclid(1000) * 1000;
                    query::time_range(fields, at(second - 300_000), at(second + 301_000))
                })
                .collect(),
        ),
    ];
    let mut all = Vec::new();
    for (name, queries) in &kinds {
        if queries.is_empty() {
            continue;
        }
        // One untimed pass: warm means the pages are in memory.
        for q in queries {
            pivot(&searcher, fields, q.as_ref())?;
        }
        let mut times = Vec::new();
        for _ in 0..opts.rounds {
            for q in queries {
                let t = Instant::now();
                pivot(&searcher, fields, q.as_ref())?;
                times.push(t.elapsed());
            }
        }
        report(name, &times);
        all.extend(times);
    }
    report("pivot: all", &all);

    let aggregations: [(&str, &Aggregation); 3] = [
        ("aggregation: counts by type", &|s| {
            stats::top(s, &AllQuery, &[TopRequest::new("type", 50)])?;
            Ok(())
        }),
        ("aggregation: top IPs", &|s| {
            stats::top(
                s,
                &AllQuery,
                &[TopRequest::new("ip", 20).timed().with("country")],
            )?;
            Ok(())
        }),
        ("aggregation: histogram, all", &|s| {
            if let Some(span) = profile::overview(s, &AllQuery, &[])?.span {
                profile::histogram(s, &AllQuery, span)?;
            }
            Ok(())
        }),
    ];
    for (name, f) in aggregations {
        f(&searcher)?;
        let mut times = Vec::new();
        for _ in 0..opts.rounds.max(3) {
            let t = Instant::now();
            f(&searcher)?;
            times.push(t.elapsed());
        }
        report(name, &times);
    }
    Ok(())
}

/// One pivot as the reference figure defines it: count, newest 100, fetch
/// the 100 originals.
fn pivot(searcher: &Searcher, fields: &Fields, q: &dyn Query) -> anyhow::Result<usize> {
    let total = search::count(searcher, q)?;
    let hits = search::ordered(searcher, q, true, Some(ROWS))?;
    let mut bytes = 0;
    for h in hits {
        bytes += search::source(searcher, fields, h.address)?.len();
    }
    std::hint::black_box(bytes);
    Ok(total)
}

fn report(name: &str, times: &[Duration]) {
    let mut v = times.to_vec();
    v.sort();
    let pct = |p: f64| {
        let rank = (p / 100.0 * v.len() as f64).ceil() as usize;
        v[rank.clamp(1, v.len()) - 1]
    };
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "{name}\t{:.3}\t{:.3}\t{:.3}\t{}",
        ms(pct(50.0)),
        ms(pct(99.0)),
        ms(v[v.len() - 1]),
        v.len()
    );
}

//! `okhunt fetch`: pull the org's System Log into the case, show progress,
//! end with a summary and where the next run continues.

mod report;

use super::{UsageError, time_bounds};
use crate::case::{Case, CaseError};
use crate::cli::FetchArgs;
use crate::fetch::progress::FetchProgress;
use crate::fetch::pull::{self, Ended};
use crate::fetch::resume::{FetchState, overlap};
use crate::fetch::retry::RetryPolicy;
use crate::fetch::{CaseSink, ClientOptions, FetchConfig, FetchError, Fetcher, Org, Token};
use chrono::{Duration as Days, Utc};
use report::Reporter;
use std::path::Path;
use std::process::ExitCode;
use std::time::{Duration, Instant};

/// Without --since and without an earlier fetch: Okta's own default.
const DEFAULT_DAYS: i64 = 7;

enum Outcome {
    Done(Result<Ended, FetchError>),
    Interrupted,
}

pub fn run(case_dir: &Path, args: &FetchArgs) -> anyhow::Result<ExitCode> {
    let cfg = config(case_dir, args)?;
    tracing::info!(?cfg, "fetch");
    let started = Instant::now();
    let (reporter, progress) = Reporter::new();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let mut fetcher = Fetcher::new(&cfg, progress.clone()).map_err(usage)?;
    let mut sink = CaseSink::new(case_dir.to_path_buf(), cfg.sink_plan(), progress.clone());
    let follow = args.follow.then(|| Duration::from_secs(args.interval));
    let outcome = rt.block_on(async {
        let work = async {
            let ended = pull::pull(&mut fetcher, &mut sink).await?;
            if let Some(every) = follow {
                reporter.println(&format!(
                    "okhunt: caught up; polling every {}s (Ctrl-C to stop)",
                    every.as_secs()
                ));
                pull::follow(&mut fetcher, &mut sink, every).await?;
            }
            Ok(ended)
        };
        tokio::select! {
            r = work => Outcome::Done(r),
            () = interrupted() => Outcome::Interrupted,
        }
    });
    reporter.finish();
    let touched = sink.touched();
    let finished = sink.finish();
    // A pull refused at its first request says only why.
    let failed_at_once = matches!(outcome, Outcome::Done(Err(_))) && !touched;
    if !failed_at_once {
        print_summary(&progress, started.elapsed(), &cfg, case_dir);
    }
    finished?;
    match outcome {
        Outcome::Done(Ok(ended)) => {
            print_position(&cfg, case_dir, ended);
            Ok(ExitCode::SUCCESS)
        }
        Outcome::Interrupted if follow.is_some() => Ok(ExitCode::SUCCESS),
        Outcome::Interrupted => {
            eprintln!(
                "okhunt: interrupted; every page received is in the case: run okhunt fetch --org {} again (without --since) to continue",
                cfg.org
            );
            Ok(ExitCode::from(130))
        }
        Outcome::Done(Err(e)) => {
            if touched {
                eprintln!(
                    "okhunt: the pages received before the error are in the case: run okhunt fetch --org {} again (without --since) to continue",
                    cfg.org
                );
            }
            Err(usage(e))
        }
    }
}

/// Check the arguments and decide where the pull starts.
pub(crate) fn config(case_dir: &Path, args: &FetchArgs) -> anyhow::Result<FetchConfig> {
    let org = Org::parse(&args.org).map_err(UsageError)?;
    let token = Token::resolve(args.token_file.as_deref()).map_err(UsageError)?;
    let (since, until) = time_bounds(args.since.as_deref(), args.until.as_deref())?;
    let mut client = ClientOptions {
        max_rate: args.max_rate,
        ..ClientOptions::default()
    };
    let mut retry = RetryPolicy::default();
    if let Some(ms) = args.backoff_ms {
        retry.base = Duration::from_millis(ms.max(1));
    }
    if let Some(n) = args.attempts {
        retry.attempts = n.max(1);
    }
    client.retry = retry;
    if let Some(ms) = args.timeout_ms {
        client.read_timeout = Duration::from_millis(ms.max(1));
    }
    let mut cfg = FetchConfig {
        org,
        token,
        filter: args.filter.clone().filter(|f| !f.trim().is_empty()),
        query: args.query.clone().filter(|q| !q.trim().is_empty()),
        since: Utc::now() - Days::days(DEFAULT_DAYS),
        until,
        client,
    };
    // A directory that cannot take the events is said before any request.
    if case_dir.exists() {
        match Case::open(case_dir) {
            Ok(_) | Err(CaseError::Missing(_)) => {}
            Err(e) => return Err(e.into()),
        }
    }
    let state = if case_dir.join("case.json").exists() {
        FetchState::load(case_dir)?
    } else {
        FetchState::default()
    };
    cfg.since = match (since, state.get(&cfg.key())) {
        (Some(s), _) => s,
        (None, Some(c)) => {
            eprintln!(
                "okhunt: continuing where the last fetch stopped ({}), re-reading {} minutes before it for late events",
                fmt(c.position),
                overlap().num_minutes()
            );
            c.resume_since()
        }
        (None, None) => {
            eprintln!(
                "okhunt: no earlier fetch of {} in this case: starting {DEFAULT_DAYS} days back (--since goes further, up to Okta's 90 days)",
                cfg.org
            );
            cfg.since
        }
    };
    if let Some(u) = cfg.until {
        if u <= cfg.since {
            return Err(UsageError(format!(
                "--until {} is not after the start {}",
                fmt(u),
                fmt(cfg.since)
            ))
            .into());
        }
    }
    Ok(cfg)
}

/// A first Ctrl-C (SIGINT) stops the pull between two pages' writes.
async fn interrupted() {
    if tokio::signal::ctrl_c().await.is_err() {
        std::future::pending::<()>().await;
    }
}

/// Errors about how okhunt was called exit 2, the rest 1.
fn usage(e: FetchError) -> anyhow::Error {
    if e.is_config() {
        UsageError(e.to_string()).into()
    } else {
        e.into()
    }
}

fn fmt(t: chrono::DateTime<Utc>) -> String {
    crate::okta::time::format_utc(t)
}

fn print_summary(p: &FetchProgress, elapsed: Duration, cfg: &FetchConfig, case_dir: &Path) {
    let secs = elapsed.as_secs_f64().max(0.001);
    let events = FetchProgress::get(&p.events);
    eprintln!(
        "okhunt: {} pages, {} events read, {} added, {} duplicates, {} skipped in {:.1}s ({:.0} events/s) from {} into {}",
        FetchProgress::get(&p.pages),
        events,
        FetchProgress::get(&p.added),
        FetchProgress::get(&p.duplicates),
        FetchProgress::get(&p.skipped),
        secs,
        events as f64 / secs,
        cfg.org,
        case_dir.display()
    );
    let (waits, retries) = (FetchProgress::get(&p.waits), FetchProgress::get(&p.retries));
    if waits + retries > 0 {
        eprintln!(
            "okhunt: {} requests, {waits} rate-limit waits ({:.1}s in all), {retries} retries",
            FetchProgress::get(&p.requests),
            FetchProgress::get(&p.waited_ms) as f64 / 1000.0
        );
    }
}

fn print_position(cfg: &FetchConfig, case_dir: &Path, ended: Ended) {
    let Ok(state) = FetchState::load(case_dir) else {
        return;
    };
    let Some(c) = state.get(&cfg.key()) else {
        return;
    };
    let how = match ended {
        Ended::Complete => "the bounded pull is complete",
        Ended::CaughtUp => "caught up",
    };
    eprintln!(
        "okhunt: {how}; the case holds this org's events up to {}: okhunt fetch --org {} continues from there",
        fmt(c.position),
        cfg.org
    );
}

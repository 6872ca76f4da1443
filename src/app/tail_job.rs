//! `okhunt --org URL --follow`: a live tail beside the TUI. One thread
//! with its own tokio runtime catches the case up with the org (a polling
//! pull from where the last fetch stopped), then polls the saved next link
//! every interval; each step's outcome reaches the UI as `Msg::Tail`.

use super::msg::{Msg, TailStatus};
use crate::fetch::pull;
use crate::fetch::{CaseSink, FetchConfig, FetchProgress, Fetcher};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::mpsc::Sender;
use std::time::Duration;

/// Start tailing `cfg`'s org into the case at `root`.
pub fn start(
    cfg: FetchConfig,
    root: PathBuf,
    every: Duration,
    answers: Sender<Msg>,
) -> std::io::Result<()> {
    std::thread::Builder::new()
        .name("okhunt-tail".into())
        .spawn(move || tail(&cfg, root, every, &answers))?;
    Ok(())
}

fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

fn tail(cfg: &FetchConfig, root: PathBuf, every: Duration, answers: &Sender<Msg>) {
    let org = cfg.org.name();
    let mut status = TailStatus {
        org,
        every_secs: every.as_secs(),
        running: true,
        ..TailStatus::default()
    };
    let send = |s: &TailStatus| answers.send(Msg::Tail(s.clone())).is_ok();
    let fail = |mut s: TailStatus, e: String| {
        tracing::warn!("live tail stopped: {e}");
        s.running = false;
        s.error = Some(e);
        let _ = answers.send(Msg::Tail(s));
    };
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => return fail(status, format!("cannot start the tail's runtime: {e}")),
    };
    let progress = Arc::new(FetchProgress::new(None));
    let mut fetcher = match Fetcher::new(cfg, Arc::clone(&progress)) {
        Ok(f) => f,
        Err(e) => return fail(status, e.to_string()),
    };
    let mut sink = CaseSink::new(root, cfg.sink_plan(), Arc::clone(&progress));
    if !send(&status) {
        return;
    }
    let outcome = runtime.block_on(async {
        // Catch up first: everything since the last fetch.
        let before = FetchProgress::get(&progress.added);
        pull::pull(&mut fetcher, &mut sink).await?;
        status.last_poll_ms = Some(now_ms());
        status.new = FetchProgress::get(&progress.added) - before;
        status.added += status.new;
        if !send(&status) {
            return Ok(());
        }
        loop {
            tokio::time::sleep(every).await;
            let counts = pull::tail_once(&mut fetcher, &mut sink).await?;
            status.last_poll_ms = Some(now_ms());
            status.new = counts.added;
            status.added += counts.added;
            if !send(&status) {
                return Ok(()); // the UI is gone
            }
        }
    });
    let finished = sink.finish();
    if let Err(e) = outcome.and(finished.map(|_| ())) {
        fail(status, e.to_string());
    }
}

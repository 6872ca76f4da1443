//! The loops: a pull to its end, a live tail's step, and `--follow`. Each
//! page goes to the sink as it arrives. Dropping one of these futures
//! (Ctrl-C) is safe: what was written is committed, the page in flight is
//! fetched again next time.

use super::errors::FetchError;
use super::fetcher::Fetcher;
use super::sink::{PageCounts, PageSink};
use std::time::Duration;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ended {
    /// A bounded pull got its last page.
    Complete,
    /// A polling pull got an empty page: the case is up to date.
    CaughtUp,
}

/// Follow the paging rules to the end.
pub async fn pull<S: PageSink + ?Sized>(
    fetcher: &mut Fetcher,
    sink: &mut S,
) -> Result<Ended, FetchError> {
    while let Some(page) = fetcher.next_page().await? {
        sink.write_page(&page)?;
    }
    Ok(if fetcher.is_caught_up() {
        Ended::CaughtUp
    } else {
        Ended::Complete
    })
}

/// One step of a live tail: poll the saved next link, and while pages come
/// back with events keep reading until an empty one.
pub async fn tail_once<S: PageSink + ?Sized>(
    fetcher: &mut Fetcher,
    sink: &mut S,
) -> Result<PageCounts, FetchError> {
    let page = fetcher.poll_once().await?;
    let mut total = sink.write_page(&page)?;
    if !page.is_empty() {
        while let Some(page) = fetcher.next_page().await? {
            let c = sink.write_page(&page)?;
            total.read += c.read;
            total.added += c.added;
            total.duplicates += c.duplicates;
            total.skipped += c.skipped;
        }
    }
    Ok(total)
}

/// `--follow`: after the pull caught up, poll every `every` until the
/// future is dropped. Costs 60/`every` requests a minute when the org is
/// quiet, one more per 1000 new events.
pub async fn follow<S: PageSink + ?Sized>(
    fetcher: &mut Fetcher,
    sink: &mut S,
    every: Duration,
) -> Result<(), FetchError> {
    loop {
        tokio::time::sleep(every).await;
        tail_once(fetcher, sink).await?;
    }
}

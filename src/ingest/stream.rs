//! Read a source that may pause (stdin, a pipe, a FIFO) on its own thread.
//!
//! Reading such a source on the ingest thread would block in `read()`:
//! nothing would commit while the producer is quiet, and Ctrl-C would not
//! be noticed until the next byte arrived. Here a thread splits the input
//! into records and queues them; the ingest thread takes everything queued
//! at once (a batch, so the per-record hand-over cost is a push under an
//! uncontended lock) and, when nothing comes, wakes every `wait` to commit
//! on the timer and look at the stop flag.
//!
//! A partial batch is never held back: the ingest thread takes whatever is
//! queued, so an event that arrived just before the producer paused is
//! committed by the timer like any other.

use super::read::{self, Opened};
use crate::okta::records::Item;
use crate::okta::source::Source;
use std::io;
use std::mem;
use std::sync::atomic::AtomicU64;
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::Duration;

/// The reader waits once this many record bytes are queued and not yet
/// taken, so a producer faster than indexing cannot fill memory. (A single
/// record can still be up to `MAX_RECORD_BYTES`.)
const MAX_QUEUED_BYTES: usize = 16 * 1024 * 1024;
/// ... or this many records (small ones, e.g. a flood of blank-ish junk).
const MAX_QUEUED_ITEMS: usize = 8192;

/// What the ingest thread gets from the reader.
pub enum Fed {
    /// The source could not be opened, or is not JSON: the whole source's
    /// problem. Nothing follows it.
    Unusable(String),
    Item(io::Result<Item>),
}

pub enum Polled {
    Batch(Vec<Fed>),
    /// Nothing arrived within the wait.
    Idle,
    /// The source ended and everything it gave has been taken.
    Ended,
}

#[derive(Default)]
struct Queue {
    fed: Vec<Fed>,
    bytes: usize,
    /// The reader is done with the source.
    ended: bool,
    /// The ingest thread no longer wants anything (it was stopped).
    dropped: bool,
}

#[derive(Default)]
struct Shared {
    queue: Mutex<Queue>,
    /// Signalled when the queue changes, for whichever side waits.
    changed: Condvar,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, Queue> {
        // A poisoned lock means the other side panicked; the data (a list
        // of owned records) is still whole, so go on with it.
        self.queue.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// A source being read on its own thread.
pub struct Feed {
    shared: Arc<Shared>,
}

impl Feed {
    /// Start reading `src`; `read_bytes` counts the bytes taken from it.
    pub fn start(src: Source, read_bytes: Arc<AtomicU64>) -> io::Result<Feed> {
        let shared = Arc::new(Shared::default());
        let theirs = Arc::clone(&shared);
        // Not joined: a reader blocked in read() on a pipe nobody closes
        // cannot be woken, and it holds nothing that needs cleaning up.
        std::thread::Builder::new()
            .name("okhunt-read".into())
            .spawn(move || read_into(&src, read_bytes, &theirs))?;
        Ok(Feed { shared })
    }

    /// Take everything queued, waiting up to `wait` for something to come.
    pub fn poll(&self, wait: Duration) -> Polled {
        let mut q = self.shared.lock();
        if q.fed.is_empty() && !q.ended && !wait.is_zero() {
            q = match self.shared.changed.wait_timeout(q, wait) {
                Ok((q, _)) => q,
                Err(e) => e.into_inner().0,
            };
        }
        if q.fed.is_empty() {
            return if q.ended { Polled::Ended } else { Polled::Idle };
        }
        let was_full = is_full(&q);
        q.bytes = 0;
        let batch = mem::take(&mut q.fed);
        drop(q);
        if was_full {
            self.shared.changed.notify_all();
        }
        Polled::Batch(batch)
    }
}

impl Drop for Feed {
    fn drop(&mut self) {
        let mut q = self.shared.lock();
        q.dropped = true;
        q.fed.clear();
        drop(q);
        self.shared.changed.notify_all();
    }
}

fn is_full(q: &Queue) -> bool {
    q.bytes >= MAX_QUEUED_BYTES || q.fed.len() >= MAX_QUEUED_ITEMS
}

/// The reader thread: open, split into records, queue them.
fn read_into(src: &Source, read_bytes: Arc<AtomicU64>, shared: &Shared) {
    match read::open(src, read_bytes) {
        Opened::Records(records) => {
            for item in records {
                let size = match &item {
                    Ok(Item::Record { bytes, .. }) => bytes.len(),
                    _ => 0,
                };
                if !push(shared, Fed::Item(item), size) {
                    return;
                }
            }
        }
        Opened::Unusable(reason) => {
            push(shared, Fed::Unusable(reason), 0);
        }
    }
    shared.lock().ended = true;
    shared.changed.notify_all();
}

/// Queue one record, waiting while the queue is full. False when the
/// ingest thread has gone.
fn push(shared: &Shared, fed: Fed, size: usize) -> bool {
    let mut q = shared.lock();
    while is_full(&q) && !q.dropped {
        q = match shared.changed.wait(q) {
            Ok(q) => q,
            Err(e) => e.into_inner(),
        };
    }
    if q.dropped {
        return false;
    }
    let was_empty = q.fed.is_empty();
    q.fed.push(fed);
    q.bytes += size;
    drop(q);
    // Only the first record of a batch can find the ingest thread waiting.
    if was_empty {
        shared.changed.notify_all();
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn drain(feed: &Feed) -> (Vec<Fed>, u32) {
        let mut all = Vec::new();
        let mut idle = 0;
        loop {
            match feed.poll(Duration::from_millis(50)) {
                Polled::Batch(b) => all.extend(b),
                Polled::Idle => idle += 1,
                Polled::Ended => return (all, idle),
            }
            assert!(idle < 200, "the feed never ended");
        }
    }

    #[test]
    fn a_fifo_is_read_whole_and_ends() {
        let tmp = tempfile::tempdir().expect("tmp");
        let path = tmp.path().join("fifo");
        let status = std::process::Command::new("mkfifo")
            .arg(&path)
            .status()
            .expect("mkfifo");
        assert!(status.success());
        let writer_path = path.clone();
        let writer = std::thread::spawn(move || {
            let mut f = std::fs::File::create(&writer_path).expect("open fifo");
            f.write_all(b"{\"a\":1}\n").expect("write");
            f.flush().expect("flush");
            // A pause: the first record must reach the ingest thread now.
            std::thread::sleep(Duration::from_millis(300));
            f.write_all(b"{\"b\":2}\n").expect("write");
        });
        let counter = Arc::new(AtomicU64::new(0));
        let feed = Feed::start(Source::File(path), Arc::clone(&counter)).expect("start");
        let mut first = None;
        for _ in 0..100 {
            if let Polled::Batch(b) = feed.poll(Duration::from_millis(20)) {
                first = Some(b);
                break;
            }
        }
        let first = first.expect("the first record came before the pause ended");
        assert_eq!(first.len(), 1);
        let (rest, _) = drain(&feed);
        writer.join().expect("writer");
        assert_eq!(rest.len(), 1);
        assert!(matches!(
            &rest[0],
            Fed::Item(Ok(Item::Record { line: 2, .. }))
        ));
        assert_eq!(counter.load(std::sync::atomic::Ordering::Relaxed), 16);
    }

    #[test]
    fn a_source_that_is_not_json_is_unusable() {
        let tmp = tempfile::tempdir().expect("tmp");
        let path = tmp.path().join("x.csv");
        std::fs::write(&path, "a,b\n1,2\n").expect("write");
        let feed = Feed::start(Source::File(path), Arc::new(AtomicU64::new(0))).expect("start");
        let (all, _) = drain(&feed);
        assert!(matches!(&all[..], [Fed::Unusable(r)] if r.contains("not JSON")));
    }
}

//! The streaming loop. Activities wait in a min-heap by start time; each is
//! rendered when reached, and its events (which may lie a few minutes ahead)
//! wait in a second heap until no earlier event can still appear. Memory
//! holds about two days of compact activities plus minutes of rendered
//! lines, whatever the total size.

use super::Summary;
use super::activity::{Activity, UserDay};
use super::clock::{HOUR, Period};
use super::event::Line;
use super::expand::{self, View};
use super::plan;
use super::tenant::Tenant;
use rand_chacha::ChaCha8Rng;
use std::cmp::Ordering;
use std::collections::{BTreeMap, BinaryHeap};
use std::io::Write;

/// A heap entry ordered by (time, arrival), earliest first.
struct Queued<T> {
    at: i64,
    seq: u64,
    item: T,
}

impl<T> PartialEq for Queued<T> {
    fn eq(&self, other: &Self) -> bool {
        (self.at, self.seq) == (other.at, other.seq)
    }
}
impl<T> Eq for Queued<T> {}
impl<T> PartialOrd for Queued<T> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl<T> Ord for Queued<T> {
    fn cmp(&self, other: &Self) -> Ordering {
        (other.at, other.seq).cmp(&(self.at, self.seq))
    }
}

pub struct Engine<'t> {
    t: &'t Tenant,
    period: &'t Period,
    rng: ChaCha8Rng,
    acts: BinaryHeap<Queued<Activity>>,
    pending: BinaryHeap<Queued<Vec<u8>>>,
    days: BTreeMap<u32, Vec<Option<UserDay>>>,
    seq: u64,
    next_day: u32,
    /// Background events still allowed (None: no cap).
    budget: Option<u64>,
    summary: Summary,
}

impl<'t> Engine<'t> {
    pub fn new(
        t: &'t Tenant,
        period: &'t Period,
        rng: ChaCha8Rng,
        story: Vec<Line>,
        budget: Option<u64>,
    ) -> Self {
        let mut e = Engine {
            t,
            period,
            rng,
            acts: BinaryHeap::new(),
            pending: BinaryHeap::new(),
            days: BTreeMap::new(),
            seq: 0,
            next_day: 0,
            budget,
            summary: Summary {
                events: 0,
                bytes: 0,
            },
        };
        for (at, line) in story {
            e.queue_line(at, line);
        }
        e
    }

    fn queue_line(&mut self, at: i64, item: Vec<u8>) {
        self.seq += 1;
        self.pending.push(Queued {
            at,
            seq: self.seq,
            item,
        });
    }

    fn queue_act(&mut self, activity: Activity) {
        self.seq += 1;
        self.acts.push(Queued {
            at: activity.at,
            seq: self.seq,
            item: activity,
        });
    }

    pub fn run(mut self, out: &mut dyn Write) -> anyhow::Result<Summary> {
        let mut out = std::io::BufWriter::with_capacity(1 << 20, out);
        let mut batch: Vec<Line> = Vec::new();
        loop {
            // Plan every day whose activities could start before the next one.
            while self.next_day < self.period.days {
                let earliest = self.period.day_ms(self.next_day) - 12 * HOUR;
                match self.acts.peek() {
                    Some(next) if next.at < earliest => break,
                    _ => self.plan_next_day(),
                }
            }
            if self.budget == Some(0) {
                break;
            }
            let Some(Queued {
                at, item: activity, ..
            }) = self.acts.pop()
            else {
                break;
            };
            self.flush_before(at, &mut out)?;
            batch.clear();
            let mut later = Vec::new();
            let view = View {
                t: self.t,
                days: &self.days,
            };
            expand::expand(view, &mut self.rng, &mut batch, &mut later, activity)?;
            for a in later {
                self.queue_act(a);
            }
            for (line_at, line) in batch.drain(..) {
                match &mut self.budget {
                    Some(0) => break,
                    Some(left) => *left -= 1,
                    None => {}
                }
                self.queue_line(line_at, line);
            }
        }
        self.flush_before(i64::MAX, &mut out)?;
        out.flush()?;
        Ok(self.summary)
    }

    fn flush_before(&mut self, limit: i64, out: &mut impl Write) -> anyhow::Result<()> {
        while self.pending.peek().is_some_and(|q| q.at < limit) {
            if let Some(q) = self.pending.pop() {
                out.write_all(&q.item)?;
                self.summary.events += 1;
                self.summary.bytes += q.item.len() as u64;
            }
        }
        Ok(())
    }

    fn plan_next_day(&mut self) {
        let d = self.next_day;
        let mut acts = Vec::new();
        let days = plan::plan_day(&mut self.rng, self.t, self.period, d, &mut acts);
        self.days.insert(d, days);
        // Two days back are finished: their activities started before this
        // day's earliest possible activity and lasted well under a day.
        self.days.retain(|day, _| day + 2 >= d);
        for a in acts {
            self.queue_act(a);
        }
        self.next_day += 1;
    }
}

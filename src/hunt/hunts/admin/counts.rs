//! What the tenant logged in a time window, counted by event type on the
//! `type` fast field: cheap enough to run for every support window.

use crate::hunt::HuntContext;
use crate::index::query::time_range;
use chrono::DateTime;
use std::collections::{BTreeMap, HashMap};
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::StrColumn;
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

/// How many events of each type the tenant logged in `[from_ms, to_ms]`,
/// counted on the `type` fast field (no event is loaded).
pub fn type_counts_between(
    ctx: &HuntContext,
    from_ms: i64,
    to_ms: i64,
) -> tantivy::Result<Vec<(String, u64)>> {
    let from = DateTime::from_timestamp_millis(from_ms);
    let to = DateTime::from_timestamp_millis(to_ms.saturating_add(1));
    let Some(range) = time_range(ctx.fields, from, to) else {
        return Ok(Vec::new());
    };
    Ok(ctx
        .searcher
        .search(range.as_ref(), &TypeCounter)?
        .into_iter()
        .collect())
}

struct TypeCounter;

struct SegmentTypes {
    column: Option<StrColumn>,
    counts: HashMap<u64, u64>,
}

impl Collector for TypeCounter {
    type Fruit = BTreeMap<String, u64>;
    type Child = SegmentTypes;

    fn for_segment(
        &self,
        _: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<SegmentTypes> {
        Ok(SegmentTypes {
            column: reader.fast_fields().str("type")?,
            counts: HashMap::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(
        &self,
        fruits: Vec<BTreeMap<String, u64>>,
    ) -> tantivy::Result<BTreeMap<String, u64>> {
        let mut all = BTreeMap::new();
        for (t, n) in fruits.into_iter().flatten() {
            *all.entry(t).or_default() += n;
        }
        Ok(all)
    }
}

impl SegmentCollector for SegmentTypes {
    type Fruit = BTreeMap<String, u64>;

    fn collect(&mut self, doc: DocId, _: Score) {
        if let Some(ord) = self.column.as_ref().and_then(|c| c.term_ords(doc).next()) {
            *self.counts.entry(ord).or_default() += 1;
        }
    }

    fn harvest(self) -> BTreeMap<String, u64> {
        let mut out = BTreeMap::new();
        if let Some(column) = &self.column {
            for (ord, n) in self.counts {
                let mut name = String::new();
                if column.ord_to_str(ord, &mut name).unwrap_or(false) {
                    out.insert(name, n);
                }
            }
        }
        out
    }
}

//! Events in time order for a query: addresses sorted on the `published`
//! fast field (never a scan of stored JSON), then the originals fetched.

use super::schema::Fields;
use tantivy::collector::{Collector, SegmentCollector, TopDocs};
use tantivy::columnar::Column;
use tantivy::query::Query;
use tantivy::schema::Value;
use tantivy::{
    DocAddress, DocId, Order, Score, Searcher, SegmentOrdinal, SegmentReader, TantivyDocument,
};

/// A matching event: its time (ms since the epoch) and where it lives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Hit {
    pub published_ms: i64,
    pub address: DocAddress,
}

/// The events matching `query`, oldest first (newest first with
/// `reverse`), at most `limit` of them.
pub fn ordered(
    searcher: &Searcher,
    query: &dyn Query,
    reverse: bool,
    limit: Option<usize>,
) -> tantivy::Result<Vec<Hit>> {
    let order = if reverse { Order::Desc } else { Order::Asc };
    let mut hits: Vec<Hit> = match limit {
        // Top-K on the fast field: cost grows with K, not with the matches.
        Some(k) if k > 0 => searcher
            .search(
                query,
                &TopDocs::with_limit(k)
                    .order_by_fast_field::<tantivy::DateTime>("published", order),
            )?
            .into_iter()
            .map(|(t, address)| Hit {
                published_ms: t.map_or(i64::MIN, |t| t.into_timestamp_millis()),
                address,
            })
            .collect(),
        Some(_) => Vec::new(),
        None => searcher.search(query, &AllByTime)?,
    };
    // Equal times keep a stable order (segment, then doc) either way.
    hits.sort_unstable();
    if reverse {
        hits.reverse();
    }
    Ok(hits)
}

/// Count of matching events.
pub fn count(searcher: &Searcher, query: &dyn Query) -> tantivy::Result<usize> {
    searcher.search(query, &tantivy::collector::Count)
}

/// The original event JSON of a hit.
pub fn source(
    searcher: &Searcher,
    fields: &Fields,
    address: DocAddress,
) -> tantivy::Result<String> {
    let doc: TantivyDocument = searcher.doc(address)?;
    Ok(doc
        .get_first(fields.source)
        .and_then(|v| v.as_str())
        .unwrap_or_default()
        .to_string())
}

/// Every match with its time; 16 bytes per match.
struct AllByTime;

struct AllByTimeSegment {
    segment: SegmentOrdinal,
    published: Column<tantivy::DateTime>,
    hits: Vec<Hit>,
}

impl Collector for AllByTime {
    type Fruit = Vec<Hit>;
    type Child = AllByTimeSegment;

    fn for_segment(
        &self,
        segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<AllByTimeSegment> {
        Ok(AllByTimeSegment {
            segment,
            published: reader.fast_fields().date("published")?,
            hits: Vec::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<Vec<Hit>>) -> tantivy::Result<Vec<Hit>> {
        Ok(fruits.concat())
    }
}

impl SegmentCollector for AllByTimeSegment {
    type Fruit = Vec<Hit>;

    fn collect(&mut self, doc: DocId, _score: Score) {
        let published_ms = self
            .published
            .first(doc)
            .map_or(i64::MIN, |t| t.into_timestamp_millis());
        self.hits.push(Hit {
            published_ms,
            address: DocAddress::new(self.segment, doc),
        });
    }

    fn harvest(self) -> Vec<Hit> {
        self.hits
    }
}

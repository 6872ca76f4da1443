//! The facts of events, read from the index's fast fields (never from the
//! stored JSON): what hunts and correlations reason over.

use crate::index::document::display_ip;
use crate::index::schema::Fields;
use crate::index::search;
use chrono::{DateTime, Utc};
use std::net::Ipv6Addr;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::{Column, StrColumn};
use tantivy::query::Query;
use tantivy::{DocAddress, DocId, Score, Searcher, SegmentOrdinal, SegmentReader};

/// One event's indexed facts. Absent values are `None` / empty.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Facts {
    pub address: Option<DocAddress>,
    pub uuid: String,
    pub published_ms: i64,
    pub event_type: String,
    pub legacy_type: Option<String>,
    pub actor: Option<String>,
    pub actor_id: Option<String>,
    pub actor_name: Option<String>,
    pub actor_type: Option<String>,
    pub targets: Vec<String>,
    pub target_ids: Vec<String>,
    pub target_names: Vec<String>,
    pub target_types: Vec<String>,
    /// alternateId of the target of type User.
    pub target_user: Option<String>,
    /// displayName of the target of type AppInstance.
    pub target_app: Option<String>,
    pub session: Option<String>,
    pub root_session: Option<String>,
    pub credential: Option<String>,
    pub ip: Option<Ipv6Addr>,
    pub country: Option<String>,
    pub city: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub outcome: Option<String>,
    pub reason: Option<String>,
    pub ua: Option<String>,
    pub txn: Option<String>,
    pub txn_type: Option<String>,
    pub api_token: Option<String>,
    pub dthash: Option<String>,
    pub as_org: Option<String>,
    pub proxy: Option<bool>,
    pub batch: u64,
}

impl Facts {
    pub fn time(&self) -> DateTime<Utc> {
        DateTime::from_timestamp_millis(self.published_ms).unwrap_or_default()
    }

    /// The IP as people write it (`203.0.113.9`, not `::ffff:...`).
    pub fn ip_text(&self) -> Option<String> {
        self.ip.map(display_ip)
    }

    /// The actor as shown to people: alternateId, else id.
    pub fn who(&self) -> Option<&str> {
        self.actor.as_deref().or(self.actor_id.as_deref())
    }

    pub fn succeeded(&self) -> bool {
        matches!(self.outcome.as_deref(), Some("SUCCESS" | "ALLOW"))
    }

    pub fn failed(&self) -> bool {
        matches!(self.outcome.as_deref(), Some("FAILURE" | "DENY"))
    }
}

/// Facts of every event matching `query`, oldest first. Each distinct
/// string is decoded once per segment (see `correlate::fast`).
pub fn collect(searcher: &Searcher, query: &dyn Query) -> tantivy::Result<Vec<Facts>> {
    crate::hunt::correlate::fast::collect(searcher, query)
}

/// The same facts, one dictionary lookup per value: simple and slow, kept as
/// the reference the fast path is tested against.
pub fn collect_per_event(searcher: &Searcher, query: &dyn Query) -> tantivy::Result<Vec<Facts>> {
    let mut all = searcher.search(query, &FactsCollector)?;
    all.sort_by(|a, b| {
        a.published_ms
            .cmp(&b.published_ms)
            .then(a.address.cmp(&b.address))
    });
    Ok(all)
}

/// Facts of every event matching a query string (the search syntax).
pub fn collect_query(
    searcher: &Searcher,
    fields: &Fields,
    query: &str,
) -> tantivy::Result<Vec<Facts>> {
    let q = crate::index::query::parse(fields, searcher.schema(), query)
        .map_err(|e| tantivy::TantivyError::InvalidArgument(e.to_string()))?;
    collect(searcher, q.as_ref())
}

/// The stored original of an event, for the few facts that are not indexed
/// (debugData details). Use on evidence, not on whole populations.
pub fn original(searcher: &Searcher, fields: &Fields, f: &Facts) -> Option<String> {
    f.address
        .and_then(|a| search::source(searcher, fields, a).ok())
}

struct FactsCollector;

struct Columns {
    segment: SegmentOrdinal,
    published: Column<tantivy::DateTime>,
    ip: Option<Column<Ipv6Addr>>,
    lat: Option<Column<f64>>,
    lon: Option<Column<f64>>,
    proxy: Option<Column<bool>>,
    batch: Option<Column<u64>>,
    strs: Vec<Option<StrColumn>>,
    out: Vec<Facts>,
}

/// String fast fields read into `Facts`, in this order (shared with the
/// fast path in `correlate::fast`).
pub const STR_FIELDS: &[&str] = &[
    "uuid",
    "type",
    "legacy_type",
    "actor",
    "actor_id",
    "actor_name",
    "actor_type",
    "target",
    "target_id",
    "target_name",
    "target_type",
    "session",
    "root_session",
    "credential",
    "country",
    "city",
    "outcome",
    "reason",
    "ua",
    "txn",
    "txn_type",
    "api_token",
    "dthash",
    "as_org",
    "target_user",
    "target_app",
];

impl Collector for FactsCollector {
    type Fruit = Vec<Facts>;
    type Child = Columns;

    fn for_segment(
        &self,
        segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<Columns> {
        let ff = reader.fast_fields();
        let strs = STR_FIELDS
            .iter()
            .map(|f| ff.str(f))
            .collect::<tantivy::Result<Vec<_>>>()?;
        Ok(Columns {
            segment,
            published: ff.date("published")?,
            ip: ff.column_opt("ip")?,
            lat: ff.column_opt("lat")?,
            lon: ff.column_opt("lon")?,
            proxy: ff.column_opt("proxy")?,
            batch: ff.column_opt("batch")?,
            strs,
            out: Vec::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<Vec<Facts>>) -> tantivy::Result<Vec<Facts>> {
        Ok(fruits.concat())
    }
}

impl Columns {
    fn all(&self, i: usize, doc: DocId) -> Vec<String> {
        let Some(col) = &self.strs[i] else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for ord in col.term_ords(doc) {
            let mut s = String::new();
            if col.ord_to_str(ord, &mut s).unwrap_or(false) {
                out.push(s);
            }
        }
        out
    }

    fn one(&self, i: usize, doc: DocId) -> Option<String> {
        let col = self.strs[i].as_ref()?;
        let ord = col.term_ords(doc).next()?;
        let mut s = String::new();
        col.ord_to_str(ord, &mut s)
            .ok()
            .filter(|&found| found)
            .map(|_| s)
    }
}

impl SegmentCollector for Columns {
    type Fruit = Vec<Facts>;

    fn collect(&mut self, doc: DocId, _score: Score) {
        let f = Facts {
            address: Some(DocAddress::new(self.segment, doc)),
            uuid: self.one(0, doc).unwrap_or_default(),
            published_ms: self
                .published
                .first(doc)
                .map_or(0, |t| t.into_timestamp_millis()),
            event_type: self.one(1, doc).unwrap_or_default(),
            legacy_type: self.one(2, doc),
            actor: self.one(3, doc),
            actor_id: self.one(4, doc),
            actor_name: self.one(5, doc),
            actor_type: self.one(6, doc),
            targets: self.all(7, doc),
            target_ids: self.all(8, doc),
            target_names: self.all(9, doc),
            target_types: self.all(10, doc),
            session: self.one(11, doc),
            root_session: self.one(12, doc),
            credential: self.one(13, doc),
            country: self.one(14, doc),
            city: self.one(15, doc),
            outcome: self.one(16, doc),
            reason: self.one(17, doc),
            ua: self.one(18, doc),
            txn: self.one(19, doc),
            txn_type: self.one(20, doc),
            api_token: self.one(21, doc),
            dthash: self.one(22, doc),
            as_org: self.one(23, doc),
            target_user: self.one(24, doc),
            target_app: self.one(25, doc),
            ip: self.ip.as_ref().and_then(|c| c.first(doc)),
            lat: self.lat.as_ref().and_then(|c| c.first(doc)),
            lon: self.lon.as_ref().and_then(|c| c.first(doc)),
            proxy: self.proxy.as_ref().and_then(|c| c.first(doc)),
            batch: self.batch.as_ref().and_then(|c| c.first(doc)).unwrap_or(0),
        };
        self.out.push(f);
    }

    fn harvest(self) -> Vec<Facts> {
        self.out
    }
}

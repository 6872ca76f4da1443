//! Compact scans for the questions asked of whole populations ("which
//! sessions have more than one client?", "which users grant tokens from
//! many IPs?"): a row per event holds its address, time, IP and a few
//! string values interned as numbers, about 64 bytes instead of a full
//! [`Facts`] (some 700 bytes). A million events fit in tens of megabytes;
//! the few rows that matter then [`load`] as full facts.

use super::fast::{self, Terms};
use crate::hunt::facts::Facts;
use std::collections::HashMap;
use std::net::Ipv6Addr;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::{Column, StrColumn};
use tantivy::query::Query;
use tantivy::{DocAddress, DocId, Score, Searcher, SegmentOrdinal, SegmentReader};

/// One event: where to load it from, when, from which IP, and the first
/// value of each scanned column (an id into [`Scan::text`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Row<const N: usize> {
    pub address: DocAddress,
    pub published_ms: i64,
    pub ip: Option<Ipv6Addr>,
    pub values: [Option<u32>; N],
}

/// The rows of a scan, oldest first, and the strings their ids stand for.
#[derive(Debug, Default)]
pub struct Scan<const N: usize> {
    pub rows: Vec<Row<N>>,
    strings: Vec<String>,
    ids: HashMap<String, u32>,
}

impl<const N: usize> Scan<N> {
    /// The text of a value id.
    pub fn text(&self, id: Option<u32>) -> Option<&str> {
        id.and_then(|i| self.strings.get(i as usize))
            .map(String::as_str)
    }

    /// How many distinct strings the rows hold: every id is below it.
    pub fn distinct(&self) -> usize {
        self.strings.len()
    }

    /// The id `s` has in this scan, if any row holds it.
    pub fn id(&self, s: &str) -> Option<u32> {
        self.ids.get(s).copied()
    }

    /// Column `c`'s text in `row`.
    pub fn get(&self, row: &Row<N>, c: usize) -> Option<&str> {
        self.text(row.values.get(c).copied().flatten())
    }

    fn intern(&mut self, s: String) -> u32 {
        if let Some(&id) = self.ids.get(&s) {
            return id;
        }
        let id = u32::try_from(self.strings.len()).unwrap_or(u32::MAX);
        self.strings.push(s.clone());
        self.ids.insert(s, id);
        id
    }
}

/// Scan the events matching `query` for the string `columns` named
/// (schema field names; a multi-valued column gives its first value).
pub fn scan<const N: usize>(
    searcher: &Searcher,
    query: &dyn Query,
    columns: [&str; N],
) -> tantivy::Result<Scan<N>> {
    let mut found = searcher.search(query, &Scanner { columns })?;
    found.rows.sort_by(|a, b| {
        a.published_ms
            .cmp(&b.published_ms)
            .then(a.address.cmp(&b.address))
    });
    Ok(found)
}

/// Full facts (the string `columns` named, and every number) of the events
/// at `addresses`, oldest first.
pub fn load(
    searcher: &Searcher,
    addresses: &[DocAddress],
    columns: &[&str],
) -> tantivy::Result<Vec<Facts>> {
    let mut out = Vec::with_capacity(addresses.len());
    let mut by_segment: HashMap<SegmentOrdinal, Vec<DocId>> = HashMap::new();
    for a in addresses {
        by_segment.entry(a.segment_ord).or_default().push(a.doc_id);
    }
    for (segment, docs) in by_segment {
        let ff = searcher.segment_reader(segment).fast_fields();
        let published: Column<tantivy::DateTime> = ff.date("published")?;
        let (ip, lat, lon) = (
            ff.column_opt("ip")?,
            ff.column_opt("lat")?,
            ff.column_opt("lon")?,
        );
        let (proxy, batch) = (
            ff.column_opt::<bool>("proxy")?,
            ff.column_opt::<u64>("batch")?,
        );
        let first = out.len();
        out.extend(docs.iter().map(|&doc| {
            Facts {
                address: Some(DocAddress::new(segment, doc)),
                published_ms: published
                    .first(doc)
                    .map_or(0, |t| t.into_timestamp_millis()),
                ip: ip.as_ref().and_then(|c: &Column<Ipv6Addr>| c.first(doc)),
                lat: lat.as_ref().and_then(|c: &Column<f64>| c.first(doc)),
                lon: lon.as_ref().and_then(|c: &Column<f64>| c.first(doc)),
                proxy: proxy.as_ref().and_then(|c| c.first(doc)),
                batch: batch.as_ref().and_then(|c| c.first(doc)).unwrap_or(0),
                ..Facts::default()
            }
        }));
        fast::complete(searcher, &mut out[first..], columns)?;
    }
    out.sort_by(|a, b| {
        a.published_ms
            .cmp(&b.published_ms)
            .then(a.address.cmp(&b.address))
    });
    Ok(out)
}

struct Scanner<'c, const N: usize> {
    columns: [&'c str; N],
}

struct SegmentScan<const N: usize> {
    segment: SegmentOrdinal,
    published: Column<tantivy::DateTime>,
    ip: Option<Column<Ipv6Addr>>,
    strs: Vec<Option<StrColumn>>,
    docs: Vec<DocId>,
}

/// A segment's rows, with ids into its own string list.
struct Part<const N: usize> {
    rows: Vec<Row<N>>,
    strings: Vec<String>,
}

impl<const N: usize> Collector for Scanner<'_, N> {
    type Fruit = Scan<N>;
    type Child = SegmentScan<N>;

    fn for_segment(
        &self,
        segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<SegmentScan<N>> {
        let ff = reader.fast_fields();
        Ok(SegmentScan {
            segment,
            published: ff.date("published")?,
            ip: ff.column_opt("ip")?,
            strs: self
                .columns
                .iter()
                .map(|c| ff.str(c))
                .collect::<tantivy::Result<Vec<_>>>()?,
            docs: Vec::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, parts: Vec<tantivy::Result<Part<N>>>) -> tantivy::Result<Scan<N>> {
        let mut scan = Scan::default();
        for part in parts {
            let part = part?;
            let global: Vec<u32> = part.strings.into_iter().map(|s| scan.intern(s)).collect();
            scan.rows.extend(part.rows.into_iter().map(|mut r| {
                for v in &mut r.values {
                    *v = v.and_then(|local| global.get(local as usize).copied());
                }
                r
            }));
        }
        Ok(scan)
    }
}

impl<const N: usize> SegmentCollector for SegmentScan<N> {
    type Fruit = tantivy::Result<Part<N>>;

    fn collect(&mut self, doc: DocId, _score: Score) {
        self.docs.push(doc);
    }

    fn harvest(self) -> tantivy::Result<Part<N>> {
        let mut rows: Vec<Row<N>> = self
            .docs
            .iter()
            .map(|&doc| Row {
                address: DocAddress::new(self.segment, doc),
                published_ms: self
                    .published
                    .first(doc)
                    .map_or(0, |t| t.into_timestamp_millis()),
                ip: self.ip.as_ref().and_then(|c| c.first(doc)),
                values: [None; N],
            })
            .collect();
        let mut strings = Vec::new();
        for (c, col) in self.strs.iter().enumerate() {
            let Some(col) = col else { continue };
            let terms = Terms::resolve(col, &self.docs)?;
            let offset = strings.len();
            for (row, &doc) in rows.iter_mut().zip(&self.docs) {
                let index = col.term_ords(doc).next().and_then(|o| terms.index(o));
                row.values[c] = index.and_then(|i| u32::try_from(offset + i).ok());
            }
            strings.extend(terms.into_text());
        }
        Ok(Part { rows, strings })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hunt::correlate::testkit::*;

    #[test]
    fn rows_intern_values_and_load_back_as_facts() {
        let idx = TestIndex::from_events(&[
            Ev::new("a", at(9, 0, 0), "user.session.start")
                .user("jane@acme.com", "Jane")
                .origin(&SAN_FRANCISCO),
            Ev::new("b", at(9, 1, 0), "user.authentication.sso")
                .user("jane@acme.com", "Jane")
                .origin(&BUCHAREST),
            Ev::new("c", at(9, 2, 0), "system.import.start"),
        ]);
        let s = scan(
            &idx.searcher(),
            &tantivy::query::AllQuery,
            ["actor", "type"],
        )
        .expect("scan");
        assert_eq!(s.rows.len(), 3);
        assert_eq!(
            s.rows[0].values[0], s.rows[1].values[0],
            "one id for one actor"
        );
        assert_eq!(s.get(&s.rows[1], 1), Some("user.authentication.sso"));
        assert_eq!(s.get(&s.rows[2], 0), None);
        assert!(s.id("jane@acme.com").is_some());
        let addresses: Vec<_> = s.rows.iter().rev().map(|r| r.address).collect();
        let facts = load(&idx.searcher(), &addresses, fast::ALL).expect("load");
        let all = fast::collect(&idx.searcher(), &tantivy::query::AllQuery).expect("all");
        assert_eq!(facts, all);
    }
}

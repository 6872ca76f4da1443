//! The same [`Facts`] as [`crate::hunt::facts::collect`], read faster.
//!
//! `facts::collect` turns each string of each event into text with
//! `StrColumn::ord_to_str`, which decodes a dictionary block from its start
//! for every lookup: about 200 µs per event in a debug build, far too slow
//! for the hunts that read most of a case (every session event). Here the
//! matching addresses come first (a cheap scan), then each segment resolves
//! each column's distinct ordinals once, in one sorted pass over its dictionary
//! (`sorted_ords_to_term_cb`, what tantivy's own term aggregations use).
//! Most columns (type, actor, IP-side geo, agent, outcome) repeat a few
//! values, so each string is decoded once per segment, not once per event.
//!
//! The field list mirrors facts.rs; a test checks both give equal facts.

use crate::hunt::facts::{Facts, STR_FIELDS};
use crate::index::query;
use crate::index::schema::Fields;
use chrono::{DateTime, Utc};
use std::collections::BTreeMap;
use tantivy::columnar::StrColumn;
use tantivy::query::Query;
use tantivy::{DocAddress, DocId, Searcher, SegmentOrdinal};

/// Every string column: what `facts::collect` reads.
pub const ALL: &[&str] = STR_FIELDS;

/// Facts of every event matching `query`, oldest first (as `facts::collect`).
pub fn collect(searcher: &Searcher, query: &dyn Query) -> tantivy::Result<Vec<Facts>> {
    collect_columns(searcher, query, ALL)
}

/// Like [`collect`], reading only the string columns named (schema field
/// names, e.g. `"actor"`, `"session"`); the others stay empty. Time, IP,
/// geolocation, proxy and batch are always read.
pub fn collect_columns(
    searcher: &Searcher,
    query: &dyn Query,
    columns: &[&str],
) -> tantivy::Result<Vec<Facts>> {
    debug_assert!(
        columns.iter().all(|c| STR_FIELDS.contains(c)),
        "unknown column in {columns:?}"
    );
    // Addresses first (cheap), then the facts of exactly those events.
    let found = super::scan::scan(searcher, query, [])?;
    let addresses: Vec<DocAddress> = found.rows.iter().map(|r| r.address).collect();
    super::scan::load(searcher, &addresses, columns)
}

/// Facts of the events matching `q` (search syntax) between `since` and
/// `until`, oldest first, with the string `columns` named.
pub fn facts(
    searcher: &Searcher,
    fields: &Fields,
    q: &str,
    (since, until): (Option<DateTime<Utc>>, Option<DateTime<Utc>>),
    columns: &[&str],
) -> tantivy::Result<Vec<Facts>> {
    let parsed = query::parse(fields, searcher.schema(), q)
        .map_err(|e| tantivy::TantivyError::InvalidArgument(format!("hunt query '{q}': {e}")))?;
    collect_columns(
        searcher,
        query::and(parsed, query::time_range(fields, since, until)).as_ref(),
        columns,
    )
}

/// [`facts`] over a hunt's searcher and time range: `ctx.facts(q)`, faster,
/// and reading only `columns` (pass [`ALL`] for everything).
pub fn hunt_facts(
    ctx: &crate::hunt::HuntContext,
    q: &str,
    columns: &[&str],
) -> tantivy::Result<Vec<Facts>> {
    facts(ctx.searcher, ctx.fields, q, (ctx.since, ctx.until), columns)
}

/// Read the string columns `strs` (in `STR_FIELDS` order, `None` = skip)
/// of `docs` into the matching `facts`.
fn fill_strings(
    strs: &[Option<StrColumn>],
    docs: &[DocId],
    facts: &mut [&mut Facts],
) -> tantivy::Result<()> {
    for (i, col) in strs.iter().enumerate() {
        let Some(col) = col else { continue };
        let terms = Terms::resolve(col, docs)?;
        for (f, &doc) in facts.iter_mut().zip(docs) {
            let mut values = col.term_ords(doc).filter_map(|o| terms.get(o));
            fill(f, i, &mut values);
        }
    }
    Ok(())
}

/// Read more string `columns` into facts collected with fewer: a hunt
/// scans a whole population with the few columns it decides on, then
/// completes only its evidence. Facts without an address are left alone.
pub fn complete(searcher: &Searcher, facts: &mut [Facts], columns: &[&str]) -> tantivy::Result<()> {
    let mut by_segment: BTreeMap<SegmentOrdinal, Vec<&mut Facts>> = BTreeMap::new();
    for f in facts.iter_mut() {
        if let Some(a) = f.address {
            by_segment.entry(a.segment_ord).or_default().push(f);
        }
    }
    for (segment, mut group) in by_segment {
        let ff = searcher.segment_reader(segment).fast_fields();
        let strs = STR_FIELDS
            .iter()
            .map(|f| {
                if columns.contains(f) {
                    ff.str(f)
                } else {
                    Ok(None)
                }
            })
            .collect::<tantivy::Result<Vec<_>>>()?;
        let docs: Vec<DocId> = group
            .iter()
            .filter_map(|f| f.address.map(|a| a.doc_id))
            .collect();
        fill_strings(&strs, &docs, &mut group)?;
    }
    Ok(())
}

/// One column's distinct ordinals among the collected docs, and their text.
pub(crate) struct Terms {
    ords: Vec<u64>,
    text: Vec<String>,
}

impl Terms {
    /// Resolve every ordinal `docs` hold in one sorted pass.
    pub(crate) fn resolve(col: &StrColumn, docs: &[DocId]) -> tantivy::Result<Terms> {
        let mut ords: Vec<u64> = docs.iter().flat_map(|&d| col.term_ords(d)).collect();
        ords.sort_unstable();
        ords.dedup();
        let mut text = Vec::with_capacity(ords.len());
        col.dictionary().sorted_ords_to_term_cb(&ords, |b| {
            text.push(String::from_utf8_lossy(b).into_owned())
        })?;
        Ok(Terms { ords, text })
    }

    /// Where `ord`'s text is in [`Terms::into_text`].
    pub(crate) fn index(&self, ord: u64) -> Option<usize> {
        self.ords
            .binary_search(&ord)
            .ok()
            .filter(|&i| i < self.text.len())
    }

    fn get(&self, ord: u64) -> Option<String> {
        self.index(ord).and_then(|i| self.text.get(i)).cloned()
    }

    pub(crate) fn into_text(self) -> Vec<String> {
        self.text
    }
}

/// Put column `i`'s values (in `STR_FIELDS` order) into `f`.
fn fill(f: &mut Facts, i: usize, values: &mut dyn Iterator<Item = String>) {
    let one = |v: &mut dyn Iterator<Item = String>| v.next();
    match i {
        0 => f.uuid = one(values).unwrap_or_default(),
        1 => f.event_type = one(values).unwrap_or_default(),
        2 => f.legacy_type = one(values),
        3 => f.actor = one(values),
        4 => f.actor_id = one(values),
        5 => f.actor_name = one(values),
        6 => f.actor_type = one(values),
        7 => f.targets = values.collect(),
        8 => f.target_ids = values.collect(),
        9 => f.target_names = values.collect(),
        10 => f.target_types = values.collect(),
        11 => f.session = one(values),
        12 => f.root_session = one(values),
        13 => f.credential = one(values),
        14 => f.country = one(values),
        15 => f.city = one(values),
        16 => f.outcome = one(values),
        17 => f.reason = one(values),
        18 => f.ua = one(values),
        19 => f.txn = one(values),
        20 => f.txn_type = one(values),
        21 => f.api_token = one(values),
        22 => f.dthash = one(values),
        23 => f.as_org = one(values),
        24 => f.target_user = one(values),
        25 => f.target_app = one(values),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hunt::correlate::testkit::*;

    #[test]
    fn gives_exactly_what_facts_collect_gives() {
        let idx = TestIndex::from_events(&[
            Ev::new("a", at(9, 0, 0), "user.session.start")
                .user("jane@acme.com", "Jane")
                .origin(&SAN_FRANCISCO)
                .session("102s")
                .dthash("d1")
                .credential("PASSWORD")
                .ua("UA 1")
                .target("User", Some("kim@acme.com"), "Kim")
                .app("Slack"),
            Ev::new("b", at(9, 1, 0), "user.authentication.sso")
                .user("kim@acme.com", "Kim")
                .origin(&BUCHAREST)
                .proxy(),
            Ev::new("c", at(9, 2, 0), "system.import.start"),
        ]);
        let q = tantivy::query::AllQuery;
        let slow = crate::hunt::facts::collect_per_event(&idx.searcher(), &q).expect("slow");
        let fast = collect(&idx.searcher(), &q).expect("fast");
        assert_eq!(fast, slow);
        assert_eq!(fast.len(), 3);
        assert_eq!(fast[0].targets, ["kim@acme.com", "Slack"]);
        let mut lean = collect_columns(&idx.searcher(), &q, &["actor"]).expect("lean");
        assert_eq!(lean[0].actor.as_deref(), Some("jane@acme.com"));
        assert_eq!(lean[0].uuid, "");
        complete(&idx.searcher(), &mut lean[1..], &["uuid", "session"]).expect("complete");
        assert_eq!((lean[0].uuid.as_str(), lean[1].uuid.as_str()), ("", "b"));
    }
}

//! A guard for excluded clauses (`NOT "two words"`, `-"two words"`).
//!
//! tantivy 0.27 tests exclusions with `DocSet::seek_danger`, and its phrase
//! scorer's `seek_danger` assumes it is never asked about a document before
//! the one it stands on, which an exclusion does from the first document:
//! the result is wrong (an excluded phrase dropped most events; found by
//! the query fuzzer as a debug assertion). Wrapping the excluded query's
//! scorer leaves `seek_danger` to `DocSet`'s default, which looks at the
//! current document before seeking.

use tantivy::query::{EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::{DocId, DocSet, Score, SegmentReader, Term};

/// `inner`, safe to use as a `MustNot` clause.
#[derive(Debug)]
pub struct Excluded(Box<dyn Query>);

impl Excluded {
    pub fn new(inner: Box<dyn Query>) -> Excluded {
        Excluded(inner)
    }
}

impl Clone for Excluded {
    fn clone(&self) -> Excluded {
        Excluded(self.0.box_clone())
    }
}

impl Query for Excluded {
    fn weight(&self, scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(ExcludedWeight(self.0.weight(scoring)?)))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        self.0.query_terms(visitor);
    }
}

struct ExcludedWeight(Box<dyn Weight>);

impl Weight for ExcludedWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        Ok(Box::new(ExcludedScorer(self.0.scorer(reader, boost)?)))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        self.0.explain(reader, doc)
    }
}

/// Every `DocSet` method but `seek_danger` forwarded.
struct ExcludedScorer(Box<dyn Scorer>);

impl DocSet for ExcludedScorer {
    fn advance(&mut self) -> DocId {
        self.0.advance()
    }

    fn seek(&mut self, target: DocId) -> DocId {
        self.0.seek(target)
    }

    fn doc(&self) -> DocId {
        self.0.doc()
    }

    fn size_hint(&self) -> u32 {
        self.0.size_hint()
    }

    fn cost(&self) -> u64 {
        self.0.cost()
    }
}

impl Scorer for ExcludedScorer {
    fn score(&mut self) -> Score {
        self.0.score()
    }
}

//! The case index: schema, ingest, queries and counts over tantivy. Knows
//! the Okta event model, never the UI.

pub mod document;
pub mod exclusion;
pub mod query;
pub mod schema;
pub mod search;
pub mod stats;
pub mod term_counts;
pub mod timeline;
pub mod writer;

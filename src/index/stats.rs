//! Counts over the case through tantivy aggregations on fast fields: top
//! values of a field, and per-value first/last seen. Never reads stored JSON.

use super::document::display_ip;
use serde::Serialize;
use serde_json::{Value, json};
use tantivy::Searcher;
use tantivy::aggregation::agg_req::Aggregations;
use tantivy::aggregation::{AggContextParams, AggregationCollector, AggregationLimitsGuard};
use tantivy::query::Query;
use tantivy::tokenizer::TokenizerManager;

/// One value of a field with how often it occurs and when.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Counted {
    pub value: String,
    pub count: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_seen_ms: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_seen_ms: Option<i64>,
    /// The most frequent value of a companion field (e.g. an IP's country).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub with: Option<String>,
}

/// What to count: a field, how many values, and optionally a companion
/// field whose most common value is reported beside each.
#[derive(Debug, Clone)]
pub struct TopRequest {
    pub field: &'static str,
    pub size: usize,
    pub with_times: bool,
    pub with: Option<&'static str>,
}

impl TopRequest {
    pub fn new(field: &'static str, size: usize) -> TopRequest {
        TopRequest {
            field,
            size,
            with_times: false,
            with: None,
        }
    }
    pub fn timed(mut self) -> TopRequest {
        self.with_times = true;
        self
    }
    pub fn with(mut self, companion: &'static str) -> TopRequest {
        self.with = Some(companion);
        self
    }
}

/// Run every request in one pass over the matches of `query`.
pub fn top(
    searcher: &Searcher,
    query: &dyn Query,
    requests: &[TopRequest],
) -> tantivy::Result<Vec<Vec<Counted>>> {
    let mut req = serde_json::Map::new();
    for (i, r) in requests.iter().enumerate() {
        let mut sub = serde_json::Map::new();
        if r.with_times {
            sub.insert("first".into(), json!({"min": {"field": "published"}}));
            sub.insert("last".into(), json!({"max": {"field": "published"}}));
        }
        if let Some(w) = r.with {
            sub.insert("with".into(), json!({"terms": {"field": w, "size": 1}}));
        }
        let mut terms = json!({"terms": {"field": r.field, "size": r.size.max(1), "order": {"_count": "desc"}}});
        if !sub.is_empty() {
            terms["aggs"] = Value::Object(sub);
        }
        req.insert(format!("a{i}"), terms);
    }
    let aggs: Aggregations = serde_json::from_value(Value::Object(req))
        .map_err(|e| tantivy::TantivyError::InvalidArgument(e.to_string()))?;
    let ctx = AggContextParams::new(
        AggregationLimitsGuard::default(),
        TokenizerManager::default(),
    );
    let result = searcher.search(query, &AggregationCollector::from_aggs(aggs, ctx))?;
    let result = serde_json::to_value(result)
        .map_err(|e| tantivy::TantivyError::InternalError(e.to_string()))?;
    Ok(requests
        .iter()
        .enumerate()
        .map(|(i, r)| buckets(&result[format!("a{i}")], r.field == "ip"))
        .collect())
}

fn buckets(agg: &Value, is_ip: bool) -> Vec<Counted> {
    let Some(list) = agg["buckets"].as_array() else {
        return Vec::new();
    };
    list.iter()
        .map(|b| {
            let key = match &b["key"] {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            let value = if is_ip {
                key.parse().map(display_ip).unwrap_or(key)
            } else {
                key
            };
            Counted {
                value,
                count: b["doc_count"].as_u64().unwrap_or(0),
                first_seen_ms: metric_ms(&b["first"]),
                last_seen_ms: metric_ms(&b["last"]),
                with: b["with"]["buckets"][0]["key"].as_str().map(str::to_string),
            }
        })
        .collect()
}

/// A min/max over `published`: tantivy reports dates as nanoseconds in
/// `value` (and RFC 3339 in `value_as_string` in some versions).
fn metric_ms(v: &Value) -> Option<i64> {
    if let Some(s) = v["value_as_string"].as_str() {
        if let Some(t) = crate::okta::time::parse_published(s) {
            return Some(t.timestamp_millis());
        }
    }
    v["value"].as_f64().map(|ns| (ns / 1_000_000.0) as i64)
}

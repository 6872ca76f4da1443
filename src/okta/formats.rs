//! Recognise the shapes analysts hold Okta events in and unwrap each record
//! to the events inside it: a bare LogEvent, an array of them, an AWS
//! EventBridge envelope (`detail`), an Okta Event Hook delivery
//! (`data.events`), an ECS document (`event.original`) or a Splunk export
//! (`_raw` or `result._raw`). The shape is read from each record's content,
//! never from the file name.

use super::event::LogEvent;
use super::lenient;
use super::records::minify;
use serde::Deserialize;
use serde_json::value::RawValue;
use std::borrow::Cow;

/// Why a record yielded no event.
#[derive(Debug, Clone, PartialEq)]
pub enum Reject {
    /// Not valid JSON (serde's message, with column).
    Invalid(String),
    /// Valid JSON, but not an Okta event nor a known envelope.
    NotOkta(String),
    /// An Okta event okhunt cannot place on a timeline.
    Unusable(String),
}

impl std::fmt::Display for Reject {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Reject::Invalid(m) => write!(f, "invalid JSON: {m}"),
            Reject::NotOkta(m) => write!(f, "not an Okta event: {m}"),
            Reject::Unusable(m) => write!(f, "unusable Okta event: {m}"),
        }
    }
}

/// The keys that mark an envelope. Read only when a record is not a bare
/// event, so the common case costs one parse.
#[derive(Deserialize)]
struct Envelope<'a> {
    #[serde(borrow, default)]
    detail: Option<&'a RawValue>,
    #[serde(borrow, default, rename = "detail-type")]
    detail_type: Option<&'a RawValue>,
    #[serde(borrow, default, deserialize_with = "lenient::object")]
    data: Option<HookData<'a>>,
    #[serde(borrow, default, rename = "_raw", deserialize_with = "lenient::string")]
    raw: Option<Cow<'a, str>>,
    #[serde(borrow, default, deserialize_with = "lenient::object")]
    result: Option<SplunkResult<'a>>,
    #[serde(borrow, default, deserialize_with = "lenient::object")]
    event: Option<EcsEvent<'a>>,
}

#[derive(Deserialize)]
struct HookData<'a> {
    #[serde(borrow, default)]
    events: Option<Vec<&'a RawValue>>,
}

#[derive(Deserialize)]
struct SplunkResult<'a> {
    #[serde(borrow, default, rename = "_raw", deserialize_with = "lenient::string")]
    raw: Option<Cow<'a, str>>,
}

#[derive(Deserialize)]
struct EcsEvent<'a> {
    #[serde(borrow, default, deserialize_with = "lenient::string")]
    original: Option<Cow<'a, str>>,
}

/// Receives each event found (its compact JSON text and the parsed view),
/// or the reason a part of a record was rejected.
pub type OnEvent<'f> = dyn FnMut(Result<(&str, LogEvent<'_>), Reject>) + 'f;

/// Envelopes inside envelopes deeper than this are not followed.
const MAX_NESTING: u8 = 4;

/// Call `found` with each event in `record` (its compact JSON text and the
/// parsed view of it), or with the reason a part of it was rejected.
pub fn for_each_event(record: &[u8], found: &mut OnEvent<'_>) {
    // A record on one line (every NDJSON line) is stored as it came: it is
    // already one line of JSON. Only multi-line records (pretty-printed
    // arrays and objects) are compacted, so every stored event is one line.
    let compact;
    let bytes = if memchr::memchr(b'\n', record).is_some() {
        let mut c = Vec::with_capacity(record.len());
        minify(record, &mut c);
        compact = c;
        &compact[..]
    } else {
        record
    };
    match std::str::from_utf8(bytes) {
        Ok(text) => unwrap(text, 0, found),
        Err(e) => found(Err(Reject::Invalid(format!(
            "invalid UTF-8 at byte {}",
            e.valid_up_to() + 1
        )))),
    }
}

fn unwrap(text: &str, nesting: u8, found: &mut OnEvent<'_>) {
    if nesting > MAX_NESTING {
        return found(Err(Reject::NotOkta("envelopes nested too deep".into())));
    }
    if text.starts_with('[') {
        return match serde_json::from_str::<Vec<&RawValue>>(text) {
            Ok(items) => {
                for item in items {
                    unwrap(item.get(), nesting + 1, found);
                }
            }
            Err(e) => found(Err(Reject::Invalid(e.to_string()))),
        };
    }
    let event: LogEvent = match serde_json::from_str(text) {
        Ok(e) => e,
        Err(e) => return found(Err(rejection(e))),
    };
    let is_hook = event.event_type.as_deref() == Some("com.okta.event_hook");
    if event.event_type.is_some() && !is_hook {
        return match usable(&event) {
            Ok(()) => found(Ok((text, event))),
            Err(r) => found(Err(r)),
        };
    }
    let probe: Envelope = match serde_json::from_str(text) {
        Ok(p) => p,
        Err(e) => return found(Err(rejection(e))),
    };
    if let (Some(detail), Some(_)) = (probe.detail, probe.detail_type) {
        return unwrap(detail.get(), nesting + 1, found);
    }
    if let Some(events) = probe.data.and_then(|d| d.events) {
        for e in events {
            unwrap(e.get(), nesting + 1, found);
        }
        return;
    }
    let embedded = probe
        .raw
        .or_else(|| probe.result.and_then(|r| r.raw))
        .or_else(|| probe.event.and_then(|e| e.original));
    if let Some(inner) = embedded {
        return unwrap_embedded(&inner, nesting, found);
    }
    found(Err(Reject::NotOkta(
        "no eventType and no known envelope (EventBridge detail, Event Hook data.events, _raw, event.original)".into(),
    )))
}

/// An event carried as a JSON string (Splunk `_raw`, ECS `event.original`).
fn unwrap_embedded(inner: &str, nesting: u8, found: &mut OnEvent<'_>) {
    let mut compact = Vec::with_capacity(inner.len());
    minify(inner.trim().as_bytes(), &mut compact);
    match String::from_utf8(compact) {
        Ok(text) if text.starts_with('{') || text.starts_with('[') => {
            unwrap(&text, nesting + 1, found)
        }
        _ => found(Err(Reject::NotOkta(
            "embedded raw text is not a JSON event".into(),
        ))),
    }
}

fn rejection(e: serde_json::Error) -> Reject {
    if e.is_data() {
        Reject::NotOkta(e.to_string())
    } else {
        Reject::Invalid(e.to_string())
    }
}

fn usable(e: &LogEvent) -> Result<(), Reject> {
    match e.published.as_deref() {
        None => Err(Reject::Unusable("no published time".into())),
        Some(p) if super::time::parse_published(p).is_none() => Err(Reject::Unusable(format!(
            "published time '{}' is not a timestamp",
            short(p)
        ))),
        Some(_) => Ok(()),
    }
}

fn short(s: &str) -> &str {
    match s.char_indices().nth(40) {
        Some((i, _)) => &s[..i],
        None => s,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (compact text, uuid) of each event, or the rejection.
    fn run(record: &str) -> Vec<Result<(String, Option<String>), Reject>> {
        let mut out = Vec::new();
        for_each_event(record.as_bytes(), &mut |r| {
            out.push(r.map(|(t, e)| (t.to_string(), e.uuid.map(|u| u.into_owned()))))
        });
        out
    }

    const EV: &str =
        r#"{"uuid":"u1","published":"2024-03-01T10:00:00Z","eventType":"user.session.start"}"#;

    fn uuids(r: &[Result<(String, Option<String>), Reject>]) -> Vec<String> {
        r.iter()
            .filter_map(|x| x.as_ref().ok().and_then(|(_, u)| u.clone()))
            .collect()
    }

    #[test]
    fn bare_event_keeps_its_text() {
        // One line: stored exactly as it came.
        let one_line = format!("{{ {} }}", &EV[1..EV.len() - 1]);
        assert_eq!(
            run(&one_line),
            vec![Ok((one_line.clone(), Some("u1".to_string())))]
        );
        // Several lines: compacted to one line, same JSON value.
        let pretty = format!("{{\n  {}\n}}", &EV[1..EV.len() - 1]);
        assert_eq!(
            run(&pretty),
            vec![Ok((EV.to_string(), Some("u1".to_string())))]
        );
    }

    #[test]
    fn eventbridge() {
        let rec = format!(
            r#"{{"version":"0","id":"x","detail-type":"SystemLog","source":"aws.partner/okta.com/acme/x","time":"2024-03-01T10:00:01Z","detail":{EV}}}"#
        );
        assert_eq!(uuids(&run(&rec)), vec!["u1"]);
    }

    #[test]
    fn event_hook() {
        let rec = format!(
            r#"{{"eventType":"com.okta.event_hook","eventId":"e","data":{{"events":[{EV},{}]}}}}"#,
            EV.replace("u1", "u2")
        );
        let got = run(&rec);
        assert_eq!(uuids(&got), vec!["u1", "u2"]);
    }

    #[test]
    fn splunk_and_ecs() {
        let raw = serde_json::to_string(EV).expect("string");
        assert_eq!(
            uuids(&run(&format!(r#"{{"_raw":{raw},"host":"h"}}"#))),
            vec!["u1"]
        );
        assert_eq!(
            uuids(&run(&format!(
                r#"{{"preview":false,"result":{{"_raw":{raw}}}}}"#
            ))),
            vec!["u1"]
        );
        assert_eq!(
            uuids(&run(&format!(
                r#"{{"@timestamp":"x","event":{{"original":{raw},"dataset":"okta.system"}},"okta":{{}}}}"#
            ))),
            vec!["u1"]
        );
    }

    #[test]
    fn array_on_one_line() {
        assert_eq!(
            uuids(&run(&format!("[{EV},{}]", EV.replace("u1", "u2")))),
            vec!["u1", "u2"]
        );
    }

    #[test]
    fn rejections() {
        assert!(matches!(
            run(r#"{"name":"not okta"}"#)[0],
            Err(Reject::NotOkta(_))
        ));
        assert!(matches!(run(r#"{"uuid":"#)[0], Err(Reject::Invalid(_))));
        assert!(matches!(
            run(r#"{"eventType":"x"}"#)[0],
            Err(Reject::Unusable(_))
        ));
        assert!(matches!(
            run(r#"{"eventType":"x","published":"soon"}"#)[0],
            Err(Reject::Unusable(_))
        ));
        let mut bad = Vec::new();
        for_each_event(b"{\"eventType\":\"\xff\"}", &mut |r| bad.push(r.is_err()));
        assert_eq!(bad, vec![true]);
    }
}

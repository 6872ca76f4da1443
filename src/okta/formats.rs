//! Recognise the shapes analysts hold Okta events in and unwrap each record
//! to the events inside it: a bare LogEvent, an array of them, an AWS
//! EventBridge envelope (`detail`), an Okta Event Hook delivery
//! (`data.events`), an ECS document (`event.original`) or a Splunk export
//! (`_raw` or `result._raw`). The shape is read from each record's content,
//! never from the file name.

use super::event::LogEvent;
use super::lenient;
use super::records::minify;
use crate::output::escape;
use serde::Deserialize;
use serde::de::{Deserializer as _, SeqAccess, Visitor};
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
        // Reasons quote the event (a bad `published`, serde's excerpts):
        // its control characters must not reach the terminal raw.
        match self {
            Reject::Invalid(m) => write!(f, "invalid JSON: {}", escape(m)),
            Reject::NotOkta(m) => write!(f, "not an Okta event: {}", escape(m)),
            Reject::Unusable(m) => write!(f, "unusable Okta event: {}", escape(m)),
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
    /// Kept raw and walked element by element (see [`unwrap_array`]).
    #[serde(borrow, default)]
    events: Option<&'a RawValue>,
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

/// Deepest nesting of arrays and objects accepted in a record. serde_json
/// gives up at 128 with "recursion limit exceeded", but only where it
/// builds values: parts it skips (unknown fields) are read at any depth.
/// Every stored event must be readable by serde_json later (the event
/// view, ids of events without a uuid), so deeper records are refused
/// here with a plain reason, well below its limit. Real events nest ~5.
pub const MAX_DEPTH: usize = 100;

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
    if too_deep(bytes) {
        return found(Err(deep()));
    }
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
        return unwrap_array(text, nesting, found);
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
        let events = events.get();
        if events.starts_with('[') {
            return unwrap_array(events, nesting, found);
        }
        if events != "null" {
            return found(Err(Reject::NotOkta(
                "an Event Hook whose data.events is not a list".into(),
            )));
        }
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

/// Each element of a JSON array, one at a time as it is parsed: never a
/// list of them all, which for a 64 MiB array of tiny values would be
/// hundreds of MB. Elements that are not objects or arrays are counted and
/// reported once for the array, not once each.
fn unwrap_array(text: &str, nesting: u8, found: &mut OnEvent<'_>) {
    struct Each<'f, 'g> {
        nesting: u8,
        found: &'f mut OnEvent<'g>,
    }
    impl<'de> Visitor<'de> for Each<'_, '_> {
        /// How many elements were neither objects nor arrays.
        type Value = u64;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("an array")
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<u64, A::Error> {
            let mut scalars = 0;
            while let Some(item) = seq.next_element::<&'de RawValue>()? {
                let t = item.get();
                if t.starts_with('{') || t.starts_with('[') {
                    unwrap(t, self.nesting + 1, self.found);
                } else {
                    scalars += 1;
                }
            }
            Ok(scalars)
        }
    }
    let mut de = serde_json::Deserializer::from_str(text);
    let each = Each { nesting, found };
    let scalars = de.deserialize_seq(each).and_then(|n| de.end().map(|()| n));
    match scalars {
        Ok(0) => {}
        Ok(1) => found(Err(Reject::NotOkta(
            "an array element is not an object (a number, string, true, false or null)".into(),
        ))),
        Ok(n) => found(Err(Reject::NotOkta(format!(
            "{n} array elements are not objects (numbers, strings, true, false or null)"
        )))),
        Err(e) => found(Err(rejection(e))),
    }
}

/// An event carried as a JSON string (Splunk `_raw`, ECS `event.original`).
fn unwrap_embedded(inner: &str, nesting: u8, found: &mut OnEvent<'_>) {
    let mut compact = Vec::with_capacity(inner.len());
    minify(inner.trim().as_bytes(), &mut compact);
    match String::from_utf8(compact) {
        Ok(text) if too_deep(text.as_bytes()) => found(Err(deep())),
        Ok(text) if text.starts_with('{') || text.starts_with('[') => {
            unwrap(&text, nesting + 1, found)
        }
        _ => found(Err(Reject::NotOkta(
            "embedded raw text is not a JSON event".into(),
        ))),
    }
}

fn deep() -> Reject {
    Reject::Invalid(format!("nested deeper than {MAX_DEPTH} levels"))
}

/// True when arrays and objects in `json` nest deeper than [`MAX_DEPTH`].
fn too_deep(json: &[u8]) -> bool {
    // Fewer openers than the limit cannot nest deeper: one quick count
    // spares almost every record the scan below.
    let openers = json.iter().filter(|&&b| b == b'{' || b == b'[').count();
    if openers <= MAX_DEPTH {
        return false;
    }
    let mut depth = 0usize;
    let mut in_str = false;
    let mut esc = false;
    for &b in json {
        if in_str {
            if esc {
                esc = false;
            } else if b == b'\\' {
                esc = true;
            } else if b == b'"' {
                in_str = false;
            }
            continue;
        }
        match b {
            b'"' => in_str = true,
            b'{' | b'[' => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return true;
                }
            }
            b'}' | b']' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    false
}

/// serde_json's error, said plainly where its words are obscure.
fn rejection(e: serde_json::Error) -> Reject {
    let message = e.to_string();
    let at = format!("at line {} column {}", e.line(), e.column());
    let plain = |what: &str| Reject::Invalid(format!("{what} {at}"));
    if message.starts_with("recursion limit exceeded") {
        deep()
    } else if message.starts_with("lone leading surrogate")
        || message.starts_with("unexpected end of hex escape")
        || message.starts_with("invalid unicode code point")
    {
        plain("a string holds an unpaired UTF-16 surrogate escape (\\ud800 to \\udfff)")
    } else if message.starts_with("number out of range") {
        plain("a number too large to represent")
    } else if message.starts_with("control character") {
        plain("a raw control character (such as a NUL byte) inside a string")
    } else if e.is_data() {
        Reject::NotOkta(message)
    } else {
        Reject::Invalid(message)
    }
}

fn usable(e: &LogEvent) -> Result<(), Reject> {
    match e.published.as_deref() {
        None => Err(Reject::Unusable("no published time".into())),
        Some(p) if super::time::parse_published(p).is_none() => Err(Reject::Unusable(format!(
            "published time '{}' {}",
            short(p),
            super::time::published_error(p)
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

    fn reasons(record: &str) -> Vec<String> {
        run(record)
            .into_iter()
            .filter_map(|r| r.err().map(|e| e.to_string()))
            .collect()
    }

    #[test]
    fn deep_nesting_is_refused_plainly_at_any_depth() {
        let ev = &EV[..EV.len() - 1];
        for depth in [MAX_DEPTH + 1, 127, 128, 129, 100_000] {
            for (open, close) in [("[", "]"), ("{\"a\":", "}")] {
                let junk = format!("{}1{}", open.repeat(depth), close.repeat(depth));
                // In an unknown field (serde skips it at any depth), as a
                // whole record, and inside a Splunk `_raw` string.
                let in_field = format!("{ev},\"junk\":{junk}}}");
                let raw = serde_json::to_string(&in_field).expect("string");
                for record in [in_field.clone(), junk, format!("{{\"_raw\":{raw}}}")] {
                    let got = reasons(&record);
                    assert_eq!(got, vec![deep().to_string()], "depth {depth}");
                }
            }
        }
        // Just within the limit is an event like any other.
        let ok = format!("{ev},\"x\":{}1{}}}", "[".repeat(98), "]".repeat(98));
        assert_eq!(uuids(&run(&ok)), vec!["u1"]);
        assert_eq!(reasons(&"(".repeat(100_000)).len(), 1);
    }

    #[test]
    fn hostile_strings_get_plain_reasons() {
        let ev = &EV[..EV.len() - 1];
        let cases = [
            (r#""displayMessage":"\ud800""#, "unpaired UTF-16 surrogate"),
            (r#""displayMessage":"\udc00x""#, "unpaired UTF-16 surrogate"),
            (
                r#""displayMessage":"\ud800\u0041""#,
                "unpaired UTF-16 surrogate",
            ),
            ("\"displayMessage\":\"a\u{0}b\"", "raw control character"),
            (
                r#""client":{"geographicalContext":{"geolocation":{"lat":1e999}}}"#,
                "number too large",
            ),
        ];
        for (field, want) in cases {
            let got = reasons(&format!("{ev},{field}}}"));
            assert_eq!(got.len(), 1, "{field}: {got:?}");
            assert!(got[0].starts_with("invalid JSON: "), "{field}: {got:?}");
            assert!(got[0].contains(want), "{field}: {got:?}");
            assert!(got[0].contains("at line 1 column "), "{field}: {got:?}");
        }
        // Where serde never looks (an unknown field), they are harmless.
        let fine = format!(r#"{ev},"x":"\ud800","n":1e999,"big":123456789012345678901234567890}}"#);
        assert_eq!(uuids(&run(&fine)), vec!["u1"]);
        let big = format!(r#"{ev},"displayMessage":"{}"}}"#, "é".repeat(500_000));
        assert_eq!(uuids(&run(&big)), vec!["u1"]);
        let big = format!(r#"{ev},"actor":{{"alternateId":123456789012345678901234567890}}}}"#);
        assert_eq!(uuids(&run(&big)), vec!["u1"]);
        let nul = format!("{ev}}}\u{0}");
        assert!(reasons(&nul)[0].starts_with("invalid JSON: trailing characters"));
    }

    #[test]
    fn reasons_never_carry_raw_control_characters() {
        let got = reasons(r#"{"eventType":"x","published":"\u001b]0;pwned\u0007\u202e"}"#);
        assert_eq!(
            got,
            vec![
                r"unusable Okta event: published time '\x1b]0;pwned\x07\u{202e}' is not a timestamp"
            ]
        );
    }

    #[test]
    fn array_elements_are_taken_one_at_a_time() {
        let scalars = format!("[{EV},{}1,\"x\",null]", "0,".repeat(100_000));
        let got = run(&scalars);
        assert_eq!(uuids(&got), vec!["u1"]);
        assert_eq!(
            reasons(&scalars),
            vec![
                "not an Okta event: 100003 array elements are not objects (numbers, strings, true, false or null)"
            ]
        );
        // A syntax error late in an array keeps the events before it.
        let cut = format!("[{EV},{}", EV.replace("u1", "u2").replace('}', ""));
        let got = run(&cut);
        assert_eq!(uuids(&got), vec!["u1"]);
        assert!(reasons(&cut)[0].starts_with("invalid JSON: "));
        let hook = r#"{"eventType":"com.okta.event_hook","data":{"events":{"a":1}}}"#;
        assert_eq!(
            reasons(hook),
            vec!["not an Okta event: an Event Hook whose data.events is not a list"]
        );
        let hook = format!(
            r#"{{"eventType":"com.okta.event_hook","data":{{"events":[{EV},{}]}}}}"#,
            "1,".repeat(1000) + "2"
        );
        assert_eq!(uuids(&run(&hook)), vec!["u1"]);
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

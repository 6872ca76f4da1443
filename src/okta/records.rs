//! Split a byte stream into JSON records, one candidate event (or envelope)
//! at a time, without holding the file in memory.
//!
//! Two modes, chosen from the content: *lines* when the first line is one
//! complete JSON value (NDJSON and its relatives: a bad line costs only
//! itself), *values* otherwise (JSON arrays, several arrays concatenated,
//! pretty-printed objects), where the elements of a top-level array are
//! yielded one by one so a 500 MB array streams.

use std::io::{self, BufRead, Read};

/// The largest record kept. Bigger ones are skipped (and reported), so one
/// runaway line cannot exhaust memory.
pub const MAX_RECORD_BYTES: usize = 64 * 1024 * 1024;

#[derive(Debug, PartialEq)]
pub enum Item {
    /// A complete JSON value (object or array) starting on `line` (1-based).
    Record { line: u64, bytes: Vec<u8> },
    /// Something on `line` that cannot be a record, with the reason.
    Skip { line: u64, reason: String },
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Mode {
    Lines,
    Values,
}

/// What the stream starts with.
#[derive(Debug, PartialEq)]
pub enum Start {
    Empty,
    /// Not JSON: the first meaningful byte is neither `{` nor `[`.
    NotJson(u8),
    Json(Mode),
}

pub struct Records<R: BufRead> {
    input: R,
    mode: Mode,
    /// The line the next byte read belongs to.
    line: u64,
    /// Values mode: inside a top-level array whose elements are records.
    in_array: bool,
    done: bool,
    /// The largest record kept ([`MAX_RECORD_BYTES`]; smaller in tests).
    cap: usize,
}

/// The input after detection: what was read to decide the mode is put back
/// in front of the rest, and freed once it has been read again (it can be
/// a whole record, up to the cap).
pub struct Replayed<R> {
    head: Vec<u8>,
    pos: usize,
    rest: R,
}

impl<R: BufRead> Read for Replayed<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let n = {
            let buf = self.fill_buf()?;
            let n = buf.len().min(out.len());
            out[..n].copy_from_slice(&buf[..n]);
            n
        };
        self.consume(n);
        Ok(n)
    }
}

impl<R: BufRead> BufRead for Replayed<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        if self.pos < self.head.len() {
            return Ok(&self.head[self.pos..]);
        }
        if self.head.capacity() > 0 {
            self.head = Vec::new();
            self.pos = 0;
        }
        self.rest.fill_buf()
    }

    fn consume(&mut self, amt: usize) {
        if self.pos < self.head.len() {
            self.pos += amt;
        } else {
            self.rest.consume(amt);
        }
    }
}

impl<R: BufRead> Records<Replayed<R>> {
    /// Look at the start of `input` and decide the mode. What is read to
    /// decide is replayed, so nothing is lost and the decision never
    /// depends on how much one read happened to return.
    pub fn open(input: R) -> io::Result<(Start, Records<Replayed<R>>)> {
        Self::open_capped(input, MAX_RECORD_BYTES)
    }

    /// [`Records::open`] keeping records of at most `cap` bytes.
    fn open_capped(mut input: R, cap: usize) -> io::Result<(Start, Records<Replayed<R>>)> {
        skip_bom(&mut input)?;
        let mut line = 1;
        let (start, first) = loop {
            let Some(First { bytes, whole }) = read_first(&mut input, cap)? else {
                break (Start::Empty, Vec::new());
            };
            let text = trim(&bytes);
            match text.first() {
                // A blank line, or a stretch of a very long blank one.
                None => {
                    if whole {
                        line += 1;
                    }
                    continue;
                }
                Some(b'[') => break (Start::Json(Mode::Values), bytes),
                Some(b'{') if whole && one_value(text) => break (Start::Json(Mode::Lines), bytes),
                // An overlong first line is still NDJSON: its own record
                // reports the size, the lines after it are read normally.
                Some(b'{') if !whole => break (Start::Json(Mode::Lines), bytes),
                Some(b'{') => break (Start::Json(Mode::Values), bytes),
                Some(&other) => break (Start::NotJson(other), bytes),
            }
        };
        let mode = match start {
            Start::Json(m) => m,
            _ => Mode::Lines,
        };
        let done = !matches!(start, Start::Json(_));
        let replayed = Replayed {
            head: first,
            pos: 0,
            rest: input,
        };
        Ok((
            start,
            Records {
                input: replayed,
                mode,
                line,
                in_array: false,
                done,
                cap,
            },
        ))
    }
}

impl<R: BufRead> Records<R> {
    pub fn mode(&self) -> Mode {
        self.mode
    }

    fn next_line(&mut self) -> io::Result<Option<Item>> {
        loop {
            let line = self.line;
            let mut buf = Vec::new();
            let mut too_long = false;
            // Past the cap: everything seen so far was whitespace.
            let mut blank = false;
            let mut saw_any = false;
            loop {
                let chunk = self.input.fill_buf()?;
                if chunk.is_empty() {
                    break;
                }
                saw_any = true;
                let (take, end) = match memchr::memchr(b'\n', chunk) {
                    Some(i) => (i + 1, true),
                    None => (chunk.len(), false),
                };
                if !too_long {
                    if buf.len() + take > self.cap {
                        too_long = true;
                        blank = trim(&buf).is_empty();
                        buf = Vec::new();
                    } else {
                        buf.extend_from_slice(&chunk[..take]);
                    }
                }
                if too_long && blank {
                    blank = chunk[..take].iter().all(u8::is_ascii_whitespace);
                }
                self.input.consume(take);
                if end {
                    break;
                }
            }
            if !saw_any {
                return Ok(None);
            }
            self.line += 1;
            // A blank line is skipped silently, however long.
            if too_long && blank {
                continue;
            }
            if too_long {
                return Ok(Some(Item::Skip {
                    line,
                    reason: too_long_reason(self.cap),
                }));
            }
            let trimmed = trim(&buf);
            if trimmed.is_empty() {
                continue;
            }
            let (s, e) = trimmed_bounds(&buf);
            buf.truncate(e);
            buf.drain(..s);
            return Ok(Some(Item::Record { line, bytes: buf }));
        }
    }

    fn next_value(&mut self) -> io::Result<Option<Item>> {
        // Outside any record: skip separators, enter or leave the array.
        loop {
            let chunk = self.input.fill_buf()?;
            let Some(&b) = chunk.first() else {
                return Ok(None);
            };
            match b {
                b'\n' => {
                    self.line += 1;
                    self.input.consume(1);
                }
                b' ' | b'\t' | b'\r' | b',' => self.input.consume(1),
                b'[' if !self.in_array => {
                    self.in_array = true;
                    self.input.consume(1);
                }
                b']' if self.in_array => {
                    self.in_array = false;
                    self.input.consume(1);
                }
                b'{' | b'[' => return self.read_value().map(Some),
                _ => {
                    let line = self.line;
                    let what = if b.is_ascii_graphic() {
                        format!("'{}'", b as char)
                    } else {
                        format!("byte 0x{b:02x}")
                    };
                    let place = if self.in_array {
                        "in the array"
                    } else {
                        "outside any JSON value"
                    };
                    if b == b']' || b == b'}' {
                        // A stray closer: skip_scalar would stop on a `]`
                        // without consuming it and never move on.
                        self.skip_closers()?;
                    } else {
                        self.skip_scalar()?;
                    }
                    return Ok(Some(Item::Skip {
                        line,
                        reason: format!("unexpected {what} {place}: expected an event object"),
                    }));
                }
            }
        }
    }

    /// Skip a run of stray `]` and `}` (one report for the run).
    fn skip_closers(&mut self) -> io::Result<()> {
        loop {
            let chunk = self.input.fill_buf()?;
            let n = chunk
                .iter()
                .take_while(|&&b| b == b']' || b == b'}')
                .count();
            let all = n == chunk.len();
            self.input.consume(n);
            if n == 0 || !all {
                return Ok(());
            }
        }
    }

    /// Skip unusable elements up to the next object or array, the end of
    /// the array or the end of the line: one report for a run of them, not
    /// one per element (a line of a million numbers is one problem).
    fn skip_scalar(&mut self) -> io::Result<()> {
        let mut in_str = false;
        let mut esc = false;
        loop {
            let chunk = self.input.fill_buf()?;
            if chunk.is_empty() {
                return Ok(());
            }
            let mut used = 0;
            for &b in chunk {
                if in_str {
                    used += 1;
                    if esc {
                        esc = false;
                    } else if b == b'\\' {
                        esc = true;
                    } else if b == b'"' {
                        in_str = false;
                    } else if b == b'\n' {
                        self.input.consume(used);
                        self.line += 1;
                        return Ok(());
                    }
                    continue;
                }
                match b {
                    b']' | b'{' | b'[' | b'\n' => {
                        self.input.consume(used);
                        return Ok(());
                    }
                    b'"' => in_str = true,
                    _ => {}
                }
                used += 1;
            }
            self.input.consume(used);
        }
    }

    /// Read one balanced `{...}` or `[...]` value.
    fn read_value(&mut self) -> io::Result<Item> {
        let line = self.line;
        let mut buf = Vec::with_capacity(4096);
        let mut too_long = false;
        let mut depth: u32 = 0;
        let mut in_str = false;
        let mut esc = false;
        loop {
            let chunk = self.input.fill_buf()?;
            if chunk.is_empty() {
                let reason = if too_long {
                    too_long_reason(self.cap)
                } else {
                    "truncated: the input ends inside this JSON value".to_string()
                };
                return Ok(Item::Skip { line, reason });
            }
            let mut end = None;
            for (i, &b) in chunk.iter().enumerate() {
                if b == b'\n' {
                    self.line += 1;
                }
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
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' => {
                        depth = depth.saturating_sub(1);
                        if depth == 0 {
                            end = Some(i + 1);
                            break;
                        }
                    }
                    _ => {}
                }
            }
            let take = end.unwrap_or(chunk.len());
            if !too_long {
                if buf.len() + take > self.cap {
                    too_long = true;
                    buf = Vec::new();
                } else {
                    buf.extend_from_slice(&chunk[..take]);
                }
            }
            self.input.consume(take);
            if end.is_some() {
                return Ok(if too_long {
                    Item::Skip {
                        line,
                        reason: too_long_reason(self.cap),
                    }
                } else {
                    Item::Record { line, bytes: buf }
                });
            }
        }
    }
}

impl<R: BufRead> Iterator for Records<R> {
    type Item = io::Result<Item>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        let r = match self.mode {
            Mode::Lines => self.next_line(),
            Mode::Values => self.next_value(),
        };
        match r {
            Ok(Some(item)) => Some(Ok(item)),
            Ok(None) => {
                self.done = true;
                None
            }
            Err(e) => {
                self.done = true;
                Some(Err(e))
            }
        }
    }
}

fn too_long_reason(cap: usize) -> String {
    const MIB: usize = 1024 * 1024;
    if cap % MIB == 0 {
        format!("record larger than {} MiB, skipped", cap / MIB)
    } else {
        format!("record larger than {cap} bytes, skipped")
    }
}

fn skip_bom<R: BufRead>(input: &mut R) -> io::Result<()> {
    let buf = input.fill_buf()?;
    if buf.starts_with(&[0xEF, 0xBB, 0xBF]) {
        input.consume(3);
    }
    Ok(())
}

/// The start of the input, read to decide the mode.
struct First {
    bytes: Vec<u8>,
    /// The first line is all in `bytes` (with its newline, or up to the
    /// end of the input).
    whole: bool,
}

/// Read the first line, but no more than needed: only a line starting
/// with `{` is read whole (one value on it means NDJSON), and only up to
/// `cap` bytes. Anything else stops at its first meaningful byte, so a
/// one-line array of any size streams. Nothing read is dropped.
fn read_first<R: BufRead>(input: &mut R, cap: usize) -> io::Result<Option<First>> {
    let mut bytes = Vec::new();
    // The first byte that is not whitespace, once seen.
    let mut lead = None;
    loop {
        let chunk = input.fill_buf()?;
        if chunk.is_empty() {
            return Ok((!bytes.is_empty()).then_some(First { bytes, whole: true }));
        }
        let room = cap.saturating_sub(bytes.len()).max(1);
        let (take, end) = match memchr::memchr(b'\n', chunk) {
            Some(i) if i < room => (i + 1, true),
            _ => (chunk.len().min(room), false),
        };
        if lead.is_none() {
            lead = chunk[..take]
                .iter()
                .copied()
                .find(|c| !c.is_ascii_whitespace());
        }
        bytes.extend_from_slice(&chunk[..take]);
        input.consume(take);
        if end {
            return Ok(Some(First { bytes, whole: true }));
        }
        match lead {
            // Blank so far, or an object: read on, up to the cap (a blank
            // stretch that long is handed back to be dropped).
            None | Some(b'{') if bytes.len() < cap => {}
            _ => {
                return Ok(Some(First {
                    bytes,
                    whole: false,
                }));
            }
        }
    }
}

/// True when `line` holds exactly one balanced JSON object or array.
fn one_value(line: &[u8]) -> bool {
    let line = trim(line);
    let mut depth: i64 = 0;
    let mut in_str = false;
    let mut esc = false;
    for (i, &b) in line.iter().enumerate() {
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
            b'{' | b'[' => depth += 1,
            b'}' | b']' => {
                depth -= 1;
                if depth == 0 {
                    return i + 1 == line.len();
                }
            }
            _ => {}
        }
    }
    false
}

fn trimmed_bounds(b: &[u8]) -> (usize, usize) {
    let s = b
        .iter()
        .position(|c| !c.is_ascii_whitespace())
        .unwrap_or(b.len());
    let e = b
        .iter()
        .rposition(|c| !c.is_ascii_whitespace())
        .map_or(s, |i| i + 1);
    (s, e)
}

fn trim(b: &[u8]) -> &[u8] {
    let (s, e) = trimmed_bounds(b);
    &b[s..e]
}

/// Remove the whitespace between JSON tokens so every stored event is one
/// compact line; the JSON value (strings, numbers as written) is unchanged.
pub fn minify(input: &[u8], out: &mut Vec<u8>) {
    out.clear();
    out.reserve(input.len());
    let mut in_str = false;
    let mut esc = false;
    let mut start = 0;
    for (i, &b) in input.iter().enumerate() {
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
            b' ' | b'\n' | b'\r' | b'\t' => {
                out.extend_from_slice(&input[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    out.extend_from_slice(&input[start..]);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn items(s: &str) -> (Start, Vec<Item>) {
        let (start, r) = Records::open(s.as_bytes()).expect("open");
        (start, r.map(|i| i.expect("io")).collect())
    }

    fn rec(line: u64, s: &str) -> Item {
        Item::Record {
            line,
            bytes: s.as_bytes().to_vec(),
        }
    }

    #[test]
    fn ndjson_lines_with_a_bad_line() {
        let (start, got) = items("{\"a\":1}\n\n{\"b\": \"x\n{\"c\":[1,{}]}\n");
        assert_eq!(start, Start::Json(Mode::Lines));
        assert_eq!(
            got,
            vec![
                rec(1, "{\"a\":1}"),
                rec(3, "{\"b\": \"x"),
                rec(4, "{\"c\":[1,{}]}")
            ]
        );
    }

    #[test]
    fn arrays_concatenated_and_pretty() {
        let (start, got) = items("[\n  {\"a\": \"]\"},\n  {\"b\": {\"c\": 1}}\n]\n[{\"d\":2}]");
        assert_eq!(start, Start::Json(Mode::Values));
        assert_eq!(
            got,
            vec![
                rec(2, "{\"a\": \"]\"}"),
                rec(3, "{\"b\": {\"c\": 1}}"),
                rec(5, "{\"d\":2}")
            ]
        );
    }

    #[test]
    fn pretty_object_is_one_value() {
        let (start, got) = items("{\n \"data\": {\"events\": [{\"x\": 1}]}\n}\n");
        assert_eq!(start, Start::Json(Mode::Values));
        assert_eq!(
            got,
            vec![rec(1, "{\n \"data\": {\"events\": [{\"x\": 1}]}\n}")]
        );
    }

    #[test]
    fn truncated_array_reports_the_element_line() {
        let (_, got) = items("[{\"a\":1},\n{\"b\":");
        assert_eq!(got[0], rec(1, "{\"a\":1}"));
        assert!(matches!(&got[1], Item::Skip { line: 2, reason } if reason.contains("truncated")));
    }

    #[test]
    fn scalars_in_an_array_are_skipped() {
        let (_, got) = items("[1, {\"a\":1}, \"x,y\", {\"b\":2}]");
        assert!(matches!(got[0], Item::Skip { line: 1, .. }));
        assert_eq!(got[1], rec(1, "{\"a\":1}"));
        assert!(matches!(got[2], Item::Skip { .. }));
        assert_eq!(got[3], rec(1, "{\"b\":2}"));
    }

    #[test]
    fn not_json_and_empty() {
        assert_eq!(items("uuid,published\n1,2\n").0, Start::NotJson(b'u'));
        assert_eq!(items("").0, Start::Empty);
        assert_eq!(items("  \n\n ").0, Start::Empty);
        assert_eq!(items("\u{feff}{\"a\":1}\n").0, Start::Json(Mode::Lines));
    }

    fn items_capped(s: &str, cap: usize) -> (Start, Vec<Item>) {
        let (start, r) = Records::open_capped(s.as_bytes(), cap).expect("open");
        (start, r.map(|i| i.expect("io")).collect())
    }

    fn skip_at(item: &Item, want: u64, has: &str) -> bool {
        matches!(item, Item::Skip { line, reason } if *line == want && reason.contains(has))
    }

    #[test]
    fn stray_closers_are_skipped_and_reading_goes_on() {
        // A `]` outside any array once made the reader report it forever.
        let (_, got) = items("[{\"a\":1}]]]}\n{\"b\":2}\n1]");
        assert_eq!(got.len(), 5, "{got:?}");
        assert_eq!(got[0], rec(1, "{\"a\":1}"));
        assert!(skip_at(&got[1], 1, "unexpected ']' outside"));
        assert_eq!(got[2], rec(2, "{\"b\":2}"));
        assert!(skip_at(&got[3], 3, "'1'"));
        assert!(skip_at(&got[4], 3, "']'"));
    }

    #[test]
    fn a_run_of_scalars_is_one_problem() {
        let line = format!("[{}{{\"a\":1}}, 7, \"x\"]", "0,".repeat(10_000));
        let (_, got) = items(&line);
        assert_eq!(got.len(), 3, "{got:?}");
        assert!(skip_at(&got[0], 1, "'0' in the array"));
        assert_eq!(got[1], rec(1, "{\"a\":1}"));
        assert!(skip_at(&got[2], 1, "'7' in the array"));
    }

    #[test]
    fn a_one_line_array_longer_than_the_cap_streams() {
        // The first line used to be read whole and cut at the cap, losing
        // every element past it.
        let events: Vec<String> = (0..50).map(|i| format!("{{\"n\":{i}}}")).collect();
        let (start, got) = items_capped(&format!("[{}]", events.join(",")), 64);
        assert_eq!(start, Start::Json(Mode::Values));
        let want: Vec<Item> = events.iter().map(|e| rec(1, e)).collect();
        assert_eq!(got, want);
    }

    #[test]
    fn lines_over_the_cap_are_skipped_and_named() {
        let big = format!("{{\"x\":\"{}\"}}", "a".repeat(100));
        let text = format!("{big}\n{{\"b\":1}}\n{big}\n\n{{\"c\":2}}");
        let (start, got) = items_capped(&text, 32);
        assert_eq!(start, Start::Json(Mode::Lines));
        assert_eq!(got.len(), 4, "{got:?}");
        assert!(skip_at(&got[0], 1, "record larger than 32 bytes, skipped"));
        assert_eq!(got[1], rec(2, "{\"b\":1}"));
        assert!(skip_at(&got[2], 3, "larger than 32 bytes"));
        assert_eq!(got[3], rec(5, "{\"c\":2}"));
    }

    #[test]
    fn a_value_over_the_cap_in_an_array_is_skipped() {
        let big = format!("{{\"x\":\"{}\"}}", "]".repeat(100));
        let (_, got) = items_capped(&format!("[\n{big},\n{{\"b\":1}}\n]"), 32);
        assert_eq!(got.len(), 2, "{got:?}");
        assert!(skip_at(&got[0], 2, "larger than 32 bytes"));
        assert_eq!(got[1], rec(3, "{\"b\":1}"));
    }

    #[test]
    fn blank_lines_of_any_length_are_skipped() {
        let blank = " \t\r ".repeat(100);
        let text = format!("{blank}\n{blank}\n{{\"a\":1}}\n{blank}\n{{\"b\":2}}\n{blank}");
        let (start, got) = items_capped(&text, 32);
        assert_eq!(start, Start::Json(Mode::Lines));
        assert_eq!(got, vec![rec(3, "{\"a\":1}"), rec(5, "{\"b\":2}")]);
        assert_eq!(items_capped(&blank, 32).0, Start::Empty);
    }

    #[test]
    fn deep_nesting_and_odd_bytes_are_records_or_skips() {
        // Depth is the parser's business (formats.rs): here only balance.
        let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        let (_, got) = items(&format!("[{deep}]"));
        assert!(matches!(&got[..], [Item::Record { line: 1, bytes }] if bytes.len() == 200_000));
        let (_, got) = items(&"[".repeat(100_000));
        assert!(
            matches!(&got[..], [Item::Skip { line: 1, reason }] if reason.contains("truncated"))
        );
        let (_, got) = items("{\"a\":1}\n\u{0}\u{0}\n{\"b\":2}\n");
        assert_eq!(got[1], rec(2, "\u{0}\u{0}"));
        let (_, got) = items("[{\"a\":1},\u{0}\u{0},{\"b\":2}]");
        assert!(skip_at(&got[1], 1, "byte 0x00 in the array"));
        assert_eq!(got[2], rec(1, "{\"b\":2}"));
    }

    #[test]
    fn minify_keeps_strings() {
        let mut out = Vec::new();
        minify(b"{ \"a b\" : [1, 2],\n \"c\":\"x \\\" y\" }", &mut out);
        assert_eq!(out, b"{\"a b\":[1,2],\"c\":\"x \\\" y\"}");
    }
}

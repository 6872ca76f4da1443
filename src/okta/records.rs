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
}

/// The input after detection: the first line, read whole to decide the
/// mode, is put back in front of the rest.
pub type Replayed<R> = io::Chain<io::Cursor<Vec<u8>>, R>;

impl<R: BufRead> Records<Replayed<R>> {
    /// Look at the start of `input` and decide the mode. The first line is
    /// read whole (however long, however slowly it arrives) and replayed,
    /// so nothing is lost and the decision never depends on how much one
    /// read happened to return.
    pub fn open(mut input: R) -> io::Result<(Start, Records<Replayed<R>>)> {
        skip_bom(&mut input)?;
        let mut line = 1;
        let (start, first) = loop {
            let first = read_line_capped(&mut input)?;
            let Some(first) = first else {
                break (Start::Empty, Vec::new());
            };
            let text = trim(&first);
            match text.first() {
                None => {
                    line += 1;
                    continue;
                }
                Some(b'[') => break (Start::Json(Mode::Values), first),
                Some(b'{') if one_value(text) => break (Start::Json(Mode::Lines), first),
                // An overlong first line is still NDJSON: its own record
                // reports the size, the lines after it are read normally.
                Some(b'{') if first.len() > MAX_RECORD_BYTES => {
                    break (Start::Json(Mode::Lines), first);
                }
                Some(b'{') => break (Start::Json(Mode::Values), first),
                Some(&other) => break (Start::NotJson(other), first),
            }
        };
        let mode = match start {
            Start::Json(m) => m,
            _ => Mode::Lines,
        };
        let done = !matches!(start, Start::Json(_));
        let replayed = io::Cursor::new(first).chain(input);
        Ok((
            start,
            Records {
                input: replayed,
                mode,
                line,
                in_array: false,
                done,
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
                    if buf.len() + take > MAX_RECORD_BYTES {
                        too_long = true;
                        buf = Vec::new();
                    } else {
                        buf.extend_from_slice(&chunk[..take]);
                    }
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
            if too_long {
                return Ok(Some(Item::Skip {
                    line,
                    reason: too_long_reason(),
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
                    self.skip_scalar()?;
                    return Ok(Some(Item::Skip {
                        line,
                        reason: format!("unexpected {what} {place}: expected an event object"),
                    }));
                }
            }
        }
    }

    /// Skip an unusable element up to the next `,`, `]` or end of line.
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
                    b',' | b']' | b'\n' => {
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
                    too_long_reason()
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
                if buf.len() + take > MAX_RECORD_BYTES {
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
                        reason: too_long_reason(),
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

fn too_long_reason() -> String {
    format!(
        "record larger than {} MiB, skipped",
        MAX_RECORD_BYTES / (1024 * 1024)
    )
}

fn skip_bom<R: BufRead>(input: &mut R) -> io::Result<()> {
    let buf = input.fill_buf()?;
    if buf.starts_with(&[0xEF, 0xBB, 0xBF]) {
        input.consume(3);
    }
    Ok(())
}

/// Read one line including its newline; past `MAX_RECORD_BYTES` the rest
/// of the line is consumed but not kept (the record reports its size).
fn read_line_capped<R: BufRead>(input: &mut R) -> io::Result<Option<Vec<u8>>> {
    let mut buf = Vec::new();
    let mut saw_any = false;
    loop {
        let chunk = input.fill_buf()?;
        if chunk.is_empty() {
            return Ok(saw_any.then_some(buf));
        }
        saw_any = true;
        let (take, end) = match memchr::memchr(b'\n', chunk) {
            Some(i) => (i + 1, true),
            None => (chunk.len(), false),
        };
        if buf.len() <= MAX_RECORD_BYTES {
            buf.extend_from_slice(&chunk[..take]);
        }
        input.consume(take);
        if end {
            if !buf.ends_with(b"\n") {
                // Capped: keep the replayed line a line of its own.
                buf.push(b'\n');
            }
            return Ok(Some(buf));
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

    #[test]
    fn minify_keeps_strings() {
        let mut out = Vec::new();
        minify(b"{ \"a b\" : [1, 2],\n \"c\":\"x \\\" y\" }", &mut out);
        assert_eq!(out, b"{\"a b\":[1,2],\"c\":\"x \\\" y\"}");
    }
}

//! Keys as the keymap file spells them (`q`, `G`, `ctrl-c`, `pgdown`, `g g`):
//! parsing and the canonical display. `event.rs` converts terminal events to
//! the same form, so the two compare equal.
//!
//! Shift is never stored for characters: `G` is the character `G`. Terminals
//! disagree on whether they add SHIFT to an uppercase letter, so the letter
//! itself is the only reliable signal. Shift is kept for named keys
//! (`shift-up`), where it is the only signal.

use std::borrow::Borrow;
use std::fmt;
use std::str::FromStr;

/// The key itself, without modifiers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum KeyCode {
    Char(char),
    Enter,
    Esc,
    Tab,
    BackTab,
    Backspace,
    Delete,
    Insert,
    Up,
    Down,
    Left,
    Right,
    PageUp,
    PageDown,
    Home,
    End,
    /// F1 to F12; other numbers are refused when parsing.
    F(u8),
}

/// Canonical spelling first; the others are accepted aliases.
const NAMED: &[(&str, KeyCode)] = &[
    ("enter", KeyCode::Enter),
    ("return", KeyCode::Enter),
    ("esc", KeyCode::Esc),
    ("escape", KeyCode::Esc),
    ("tab", KeyCode::Tab),
    ("backtab", KeyCode::BackTab),
    ("backspace", KeyCode::Backspace),
    ("delete", KeyCode::Delete),
    ("del", KeyCode::Delete),
    ("insert", KeyCode::Insert),
    ("space", KeyCode::Char(' ')),
    ("up", KeyCode::Up),
    ("down", KeyCode::Down),
    ("left", KeyCode::Left),
    ("right", KeyCode::Right),
    ("pgup", KeyCode::PageUp),
    ("pageup", KeyCode::PageUp),
    ("pgdown", KeyCode::PageDown),
    ("pagedown", KeyCode::PageDown),
    ("home", KeyCode::Home),
    ("end", KeyCode::End),
];

pub(super) const MAX_F: u8 = 12;

/// A key with its modifiers. Field order gives a stable sort (used by the
/// snapshot and the help listing).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Key {
    pub code: KeyCode,
    pub ctrl: bool,
    pub alt: bool,
    /// Only ever true for named keys (see the module comment).
    pub shift: bool,
}

/// Why a key string was refused; the message is shown to the user as is.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct KeyParseError(pub String);

impl Key {
    /// A plain key without modifiers.
    pub const fn new(code: KeyCode) -> Key {
        Key {
            code,
            ctrl: false,
            alt: false,
            shift: false,
        }
    }

    /// A plain character key (`Key::char('G')` is what `G` parses to).
    pub const fn char(c: char) -> Key {
        Key::new(KeyCode::Char(c))
    }

    /// True when no modifier is held: in a text prompt such a character is
    /// text, not a command.
    pub fn is_plain_char(&self) -> bool {
        matches!(self.code, KeyCode::Char(_)) && !self.ctrl && !self.alt
    }
}

/// The uppercase form when it is a single character (`ß` uppercases to
/// `SS`, which no key produces; keep such characters as they are).
pub(super) fn single_uppercase(c: char) -> char {
    let mut up = c.to_uppercase();
    match (up.next(), up.next()) {
        (Some(u), None) => u,
        _ => c,
    }
}

/// Strip a case-insensitive modifier prefix such as `ctrl-`, but only when
/// something follows it: `-` alone and `ctrl--` are keys too.
fn strip_modifier<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    let head = s.get(..prefix.len())?;
    if s.len() > prefix.len() && head.eq_ignore_ascii_case(prefix) {
        s.get(prefix.len()..)
    } else {
        None
    }
}

fn parse_code(name: &str) -> Result<KeyCode, KeyParseError> {
    let mut chars = name.chars();
    if let (Some(c), None) = (chars.next(), chars.next()) {
        if c.is_control() || c.is_whitespace() {
            return Err(KeyParseError(format!(
                "key {name:?} is not printable; use a name such as space, tab or enter"
            )));
        }
        return Ok(KeyCode::Char(c));
    }
    let lower = name.to_ascii_lowercase();
    if let Some((_, code)) = NAMED.iter().find(|(n, _)| *n == lower) {
        return Ok(*code);
    }
    if let Some(num) = lower.strip_prefix('f')
        && let Ok(n) = num.parse::<u8>()
    {
        return if (1..=MAX_F).contains(&n) {
            Ok(KeyCode::F(n))
        } else {
            Err(KeyParseError(format!(
                "unknown key name '{name}' (function keys are f1 to f{MAX_F})"
            )))
        };
    }
    Err(KeyParseError(format!(
        "unknown key name '{name}' (expected one character, a modifier like ctrl-/alt-/shift-, or one of: {}, f1..f{MAX_F})",
        canonical_names().join(", ")
    )))
}

/// The canonical named keys, for error messages.
fn canonical_names() -> Vec<&'static str> {
    let mut seen: Vec<KeyCode> = Vec::new();
    let mut out = Vec::new();
    for (name, code) in NAMED {
        if !seen.contains(code) {
            seen.push(*code);
            out.push(*name);
        }
    }
    out
}

impl FromStr for Key {
    type Err = KeyParseError;

    fn from_str(s: &str) -> Result<Key, KeyParseError> {
        if s.is_empty() {
            return Err(KeyParseError("empty key".into()));
        }
        let (mut ctrl, mut alt, mut shift) = (false, false, false);
        let mut rest = s;
        loop {
            let (flag, tail) = if let Some(t) = strip_modifier(rest, "ctrl-") {
                (&mut ctrl, t)
            } else if let Some(t) = strip_modifier(rest, "alt-") {
                (&mut alt, t)
            } else if let Some(t) = strip_modifier(rest, "shift-") {
                (&mut shift, t)
            } else {
                break;
            };
            if *flag {
                return Err(KeyParseError(format!("modifier repeated in '{s}'")));
            }
            *flag = true;
            rest = tail;
        }
        let mut code = parse_code(rest)?;
        if shift {
            match code {
                KeyCode::Tab => {
                    code = KeyCode::BackTab;
                    shift = false;
                }
                KeyCode::BackTab => shift = false,
                // Shift on a character is the character itself (see the
                // module comment); refusing keeps `G` and `shift-g` from
                // being two spellings of one binding.
                KeyCode::Char(c) => {
                    let hint = single_uppercase(c);
                    return Err(KeyParseError(format!(
                        "write the character itself ('{hint}') instead of shift-"
                    )));
                }
                _ => {}
            }
        }
        Ok(Key {
            code,
            ctrl,
            alt,
            shift,
        })
    }
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.ctrl {
            f.write_str("ctrl-")?;
        }
        if self.alt {
            f.write_str("alt-")?;
        }
        if self.shift {
            f.write_str("shift-")?;
        }
        match self.code {
            KeyCode::Char(' ') => f.write_str("space"),
            KeyCode::Char(c) => write!(f, "{c}"),
            KeyCode::F(n) => write!(f, "f{n}"),
            code => {
                // Every non-character code has a canonical name in NAMED.
                let name = NAMED
                    .iter()
                    .find(|(_, c)| *c == code)
                    .map_or("?", |(n, _)| n);
                f.write_str(name)
            }
        }
    }
}

/// One key or a sequence typed in order (`g g`), written space-separated.
/// Ordered lexicographically, so every extension of a sequence sorts
/// directly after it (resolution relies on this for prefix lookups).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct KeySeq(pub Vec<Key>);

impl KeySeq {
    pub fn keys(&self) -> &[Key] {
        &self.0
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl From<Key> for KeySeq {
    fn from(key: Key) -> KeySeq {
        KeySeq(vec![key])
    }
}

impl Borrow<[Key]> for KeySeq {
    fn borrow(&self) -> &[Key] {
        &self.0
    }
}

impl FromStr for KeySeq {
    type Err = KeyParseError;

    fn from_str(s: &str) -> Result<KeySeq, KeyParseError> {
        let keys = s
            .split_whitespace()
            .map(str::parse)
            .collect::<Result<Vec<Key>, _>>()?;
        if keys.is_empty() {
            return Err(KeyParseError("empty key".into()));
        }
        Ok(KeySeq(keys))
    }
}

impl fmt::Display for KeySeq {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, key) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(" ")?;
            }
            write!(f, "{key}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(s: &str) -> Key {
        s.parse().expect("valid key")
    }

    #[test]
    fn canonical_forms_round_trip() {
        for s in [
            "q",
            "G",
            "/",
            "?",
            "-",
            "+",
            "ctrl-c",
            "alt-x",
            "ctrl-alt-x",
            "enter",
            "esc",
            "tab",
            "backtab",
            "space",
            "up",
            "down",
            "left",
            "right",
            "pgup",
            "pgdown",
            "home",
            "end",
            "f1",
            "f12",
            "backspace",
            "delete",
            "insert",
            "ctrl--",
            "shift-up",
            "ctrl-space",
        ] {
            assert_eq!(key(s).to_string(), s, "round trip of {s:?}");
        }
    }

    #[test]
    fn aliases_and_case_normalise() {
        assert_eq!(key("Escape").to_string(), "esc");
        assert_eq!(key("PageDown").to_string(), "pgdown");
        assert_eq!(key("CTRL-c").to_string(), "ctrl-c");
        assert_eq!(key("F5").to_string(), "f5");
        assert_eq!(key("shift-tab").to_string(), "backtab");
        assert_eq!(key("alt-ctrl-x").to_string(), "ctrl-alt-x");
        // Single characters stay case-sensitive.
        assert_ne!(key("g"), key("G"));
    }

    #[test]
    fn refuses_bad_keys() {
        for (s, needle) in [
            ("", "empty key"),
            ("foo", "unknown key name 'foo'"),
            ("f13", "function keys are f1 to f12"),
            ("shift-g", "write the character itself ('G')"),
            ("ctrl-ctrl-c", "modifier repeated"),
            ("alt-", "unknown key name 'alt-'"),
            ("\t", "not printable"),
        ] {
            let err = s.parse::<Key>().expect_err(s).to_string();
            assert!(err.contains(needle), "{s:?}: {err}");
        }
    }

    #[test]
    fn sequences_parse_and_display() {
        let seq: KeySeq = "g  g".parse().expect("sequence");
        assert_eq!(seq.len(), 2);
        assert_eq!(seq.to_string(), "g g");
        assert_eq!(
            "ctrl-w  j".parse::<KeySeq>().map(|s| s.to_string()),
            Ok("ctrl-w j".into())
        );
        assert!("   ".parse::<KeySeq>().is_err());
        assert!("g foo".parse::<KeySeq>().is_err());
    }
}

//! Keys as the terminal reports them: crossterm `KeyEvent`s turned into
//! [`Key`]s that compare equal to what the keymap file says.

use super::key::{Key, KeyCode, MAX_F, single_uppercase};
use ratatui::crossterm::event as ct;

impl Key {
    /// Convert a terminal key event. `None` for key releases (acting on
    /// them would fire every binding twice on terminals that report them),
    /// for keys a keymap cannot name (media keys, lone modifiers, F13+), and
    /// when Super/Hyper/Meta is held (no binding can mean that combination).
    pub fn from_event(event: &ct::KeyEvent) -> Option<Key> {
        if event.kind == ct::KeyEventKind::Release {
            return None;
        }
        let m = event.modifiers;
        if m.intersects(ct::KeyModifiers::SUPER | ct::KeyModifiers::HYPER | ct::KeyModifiers::META)
        {
            return None;
        }
        let mut shift = m.contains(ct::KeyModifiers::SHIFT);
        let code = match event.code {
            ct::KeyCode::Char(c) => {
                // Some platforms report shift+g as ('g', SHIFT); the file
                // says `G`. Either way shift is folded into the character.
                let c = if shift && c.is_lowercase() {
                    single_uppercase(c)
                } else {
                    c
                };
                shift = false;
                KeyCode::Char(c)
            }
            ct::KeyCode::Enter => KeyCode::Enter,
            ct::KeyCode::Esc => KeyCode::Esc,
            // Shift+Tab arrives as BackTab (usually with SHIFT) or as Tab
            // with SHIFT; both mean `backtab`.
            ct::KeyCode::BackTab => {
                shift = false;
                KeyCode::BackTab
            }
            ct::KeyCode::Tab if shift => {
                shift = false;
                KeyCode::BackTab
            }
            ct::KeyCode::Tab => KeyCode::Tab,
            ct::KeyCode::Backspace => KeyCode::Backspace,
            ct::KeyCode::Delete => KeyCode::Delete,
            ct::KeyCode::Insert => KeyCode::Insert,
            ct::KeyCode::Up => KeyCode::Up,
            ct::KeyCode::Down => KeyCode::Down,
            ct::KeyCode::Left => KeyCode::Left,
            ct::KeyCode::Right => KeyCode::Right,
            ct::KeyCode::PageUp => KeyCode::PageUp,
            ct::KeyCode::PageDown => KeyCode::PageDown,
            ct::KeyCode::Home => KeyCode::Home,
            ct::KeyCode::End => KeyCode::End,
            ct::KeyCode::F(n) if (1..=MAX_F).contains(&n) => KeyCode::F(n),
            _ => return None,
        };
        Some(Key {
            code,
            ctrl: m.contains(ct::KeyModifiers::CONTROL),
            alt: m.contains(ct::KeyModifiers::ALT),
            shift,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ct::{KeyEvent, KeyEventKind, KeyModifiers};

    fn key(s: &str) -> Key {
        s.parse().expect("valid key")
    }

    fn ev(code: ct::KeyCode, mods: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, mods)
    }

    #[test]
    fn events_normalise_shift_on_characters() {
        let shifted = ev(ct::KeyCode::Char('G'), KeyModifiers::SHIFT);
        assert_eq!(Key::from_event(&shifted), Some(key("G")));
        let bare = ev(ct::KeyCode::Char('G'), KeyModifiers::NONE);
        assert_eq!(Key::from_event(&bare), Some(key("G")));
        let lower_shift = ev(ct::KeyCode::Char('g'), KeyModifiers::SHIFT);
        assert_eq!(Key::from_event(&lower_shift), Some(key("G")));
        let ctrl = ev(ct::KeyCode::Char('c'), KeyModifiers::CONTROL);
        assert_eq!(Key::from_event(&ctrl), Some(key("ctrl-c")));
        let space = ev(ct::KeyCode::Char(' '), KeyModifiers::NONE);
        assert_eq!(Key::from_event(&space), Some(key("space")));
    }

    #[test]
    fn events_map_named_keys() {
        let cases = [
            (ct::KeyCode::BackTab, KeyModifiers::SHIFT, "backtab"),
            (ct::KeyCode::Tab, KeyModifiers::SHIFT, "backtab"),
            (ct::KeyCode::Tab, KeyModifiers::NONE, "tab"),
            (ct::KeyCode::Up, KeyModifiers::SHIFT, "shift-up"),
            (ct::KeyCode::PageDown, KeyModifiers::NONE, "pgdown"),
            (ct::KeyCode::F(1), KeyModifiers::NONE, "f1"),
            (ct::KeyCode::Esc, KeyModifiers::NONE, "esc"),
            (ct::KeyCode::Char('x'), KeyModifiers::ALT, "alt-x"),
        ];
        for (code, mods, want) in cases {
            assert_eq!(Key::from_event(&ev(code, mods)), Some(key(want)), "{want}");
        }
    }

    #[test]
    fn events_ignored() {
        let mut release = ev(ct::KeyCode::Char('q'), KeyModifiers::NONE);
        release.kind = KeyEventKind::Release;
        assert_eq!(Key::from_event(&release), None);
        let mut repeat = ev(ct::KeyCode::Char('j'), KeyModifiers::NONE);
        repeat.kind = KeyEventKind::Repeat;
        assert_eq!(Key::from_event(&repeat), Some(key("j")), "held keys repeat");
        assert_eq!(
            Key::from_event(&ev(ct::KeyCode::F(13), KeyModifiers::NONE)),
            None
        );
        assert_eq!(
            Key::from_event(&ev(ct::KeyCode::Null, KeyModifiers::NONE)),
            None
        );
        let sup = ev(ct::KeyCode::Char('q'), KeyModifiers::SUPER);
        assert_eq!(Key::from_event(&sup), None);
    }
}

//! From keys to actions: the context's own table first, then `[global]`
//! (television's InputMap), with multi-key sequences such as `g g`.

use super::Keymap;
use super::action::Action;
use super::context::Context;
use super::key::{Key, KeyCode};
use std::ops::Bound;

/// What a key means given the keys already typed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resolution {
    /// The keys typed so far complete this binding.
    Action(Action),
    /// The keys typed so far start a longer sequence: wait for more.
    Pending,
    /// Nothing is bound. In the prompt, a plain character is then text.
    Unbound,
}

impl Keymap {
    /// What `key` does in `context` after the keys in `pending`. Pure: the
    /// caller keeps `pending` (see [`Keymap::feed`] for the usual
    /// bookkeeping).
    pub fn resolve(&self, context: Context, pending: &[Key], key: Key) -> Resolution {
        let Some(map) = self.effective.get(&context) else {
            return Resolution::Unbound;
        };
        let mut typed = pending.to_vec();
        typed.push(key);
        if let Some(action) = map.get(typed.as_slice()) {
            return Resolution::Action(*action);
        }
        // Extensions of `typed` sort right after it, so the next key in
        // order tells whether any exists.
        let next = map
            .range::<[Key], _>((Bound::Excluded(typed.as_slice()), Bound::Unbounded))
            .next();
        match next {
            Some((seq, _)) if seq.keys().starts_with(&typed) => Resolution::Pending,
            _ => Resolution::Unbound,
        }
    }

    /// [`Keymap::resolve`] plus the bookkeeping of `pending` (keep it in the
    /// app state, empty to start). When a key breaks a half-typed sequence,
    /// the sequence is dropped and the key counts on its own (so `g` then
    /// `j` still moves down) — except `esc`, which only cancels the
    /// sequence, as in vim, rather than also going back.
    pub fn feed(&self, context: Context, pending: &mut Vec<Key>, key: Key) -> Resolution {
        let resolution = self.resolve(context, pending, key);
        match resolution {
            Resolution::Action(_) => pending.clear(),
            Resolution::Pending => pending.push(key),
            Resolution::Unbound if pending.is_empty() => {}
            Resolution::Unbound => {
                pending.clear();
                if key == Key::new(KeyCode::Esc) {
                    return Resolution::Unbound;
                }
                return self.feed(context, pending, key);
            }
        }
        resolution
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn k(s: &str) -> Key {
        s.parse().expect("key")
    }

    fn map(overlay: &str) -> Keymap {
        Keymap::with_overlay("t.toml", overlay).expect("valid keymap")
    }

    #[test]
    fn single_keys_resolve_pane_then_global() {
        let m = map("[findings]\n\"q\" = \"back\"\n");
        assert_eq!(
            m.resolve(Context::Findings, &[], k("q")),
            Resolution::Action(Action::Back),
            "pane shadows global"
        );
        assert_eq!(
            m.resolve(Context::Events, &[], k("q")),
            Resolution::Action(Action::Quit),
            "other panes keep global"
        );
        assert_eq!(
            m.resolve(Context::Findings, &[], k("F")),
            Resolution::Unbound
        );
    }

    #[test]
    fn sequences_wait_then_act() {
        let m = map("[global]\n\"g\" = \"unbind\"\n\"g g\" = \"top\"\n");
        assert_eq!(m.resolve(Context::Events, &[], k("g")), Resolution::Pending);
        assert_eq!(
            m.resolve(Context::Events, &[k("g")], k("g")),
            Resolution::Action(Action::Top)
        );
        assert_eq!(
            m.resolve(Context::Events, &[k("g")], k("x")),
            Resolution::Unbound
        );
    }

    #[test]
    fn feed_keeps_the_buffer() {
        let m = map("[global]\n\"g\" = \"unbind\"\n\"g g\" = \"top\"\n");
        let mut pending = Vec::new();
        let ctx = Context::Events;
        assert_eq!(m.feed(ctx, &mut pending, k("g")), Resolution::Pending);
        assert_eq!(pending, vec![k("g")]);
        assert_eq!(
            m.feed(ctx, &mut pending, k("g")),
            Resolution::Action(Action::Top)
        );
        assert!(pending.is_empty());

        // A breaking key counts on its own.
        m.feed(ctx, &mut pending, k("g"));
        assert_eq!(
            m.feed(ctx, &mut pending, k("j")),
            Resolution::Action(Action::MoveDown)
        );
        assert!(pending.is_empty());

        // Esc cancels the sequence without going back.
        m.feed(ctx, &mut pending, k("g"));
        assert_eq!(m.feed(ctx, &mut pending, k("esc")), Resolution::Unbound);
        assert!(pending.is_empty());
        assert_eq!(
            m.feed(ctx, &mut pending, k("esc")),
            Resolution::Action(Action::Back)
        );

        // A breaking key that itself starts a sequence starts a new one.
        let m = map("[global]\n\"g\" = \"unbind\"\n\"g g\" = \"top\"\n\"Z Z\" = \"quit\"\n");
        m.feed(ctx, &mut pending, k("g"));
        assert_eq!(m.feed(ctx, &mut pending, k("Z")), Resolution::Pending);
        assert_eq!(pending, vec![k("Z")]);
        assert_eq!(
            m.feed(ctx, &mut pending, k("Z")),
            Resolution::Action(Action::Quit)
        );
    }

    #[test]
    fn prompt_does_not_inherit_global() {
        let m = map("");
        assert_eq!(m.resolve(Context::Prompt, &[], k("q")), Resolution::Unbound);
        assert_eq!(
            m.resolve(Context::Prompt, &[], k("enter")),
            Resolution::Action(Action::Submit)
        );
        assert_eq!(
            m.resolve(Context::Prompt, &[], k("esc")),
            Resolution::Action(Action::Cancel)
        );
    }
}

//! Help and status-bar text, generated from the loaded bindings so they say
//! what the keys really do, rebindings included.

use super::Keymap;
use super::action::Action;
use super::context::Context;
use super::key::{KeyCode, KeySeq};
use std::fmt::Write;

/// The actions worth a place in the status bar of each context, most
/// important first. Unbound ones are left out.
fn hint_actions(context: Context) -> &'static [Action] {
    use Action::*;
    match context {
        Context::Global => &[Help, Quit],
        Context::Findings => &[Open, PivotActor, PivotSession, PivotIp, Query, Help, Quit],
        Context::Events => &[
            Open,
            PivotActor,
            PivotSession,
            PivotIp,
            EventsAround,
            Query,
            Filter,
            Help,
            Back,
        ],
        Context::Actor => &[
            Open,
            PivotTarget,
            PivotSession,
            PivotIp,
            EventsAround,
            TimeRange,
            Help,
            Back,
        ],
        Context::Session => &[
            Open,
            ToggleRootSession,
            PivotActor,
            PivotIp,
            PivotCorrelated,
            Help,
            Back,
        ],
        Context::Ip => &[
            Open,
            PivotActor,
            PivotSession,
            PivotCorrelated,
            EventsAround,
            Help,
            Back,
        ],
        Context::Correlated => &[Open, PivotIp, PivotSession, Help, Back],
        Context::Detail => &[
            Yank,
            YankJson,
            PivotActor,
            PivotSession,
            PivotIp,
            ToggleDetail,
            Back,
        ],
        Context::Prompt => &[Submit, Cancel],
        Context::Help => &[MoveDown, MoveUp, Back, Quit],
    }
}

/// How keys are ordered when listed, and which one a hint shows: plain
/// characters (what k9s, lnav and less users look for), then named keys,
/// then modified ones; within that, single keys before sequences and
/// letters before punctuation.
fn preference(seq: &KeySeq) -> (u8, usize, bool, String) {
    let class = seq.keys().first().map_or(3, |k| {
        if k.ctrl || k.alt || k.shift {
            2
        } else if matches!(k.code, KeyCode::Char(c) if c != ' ') {
            0
        } else {
            1
        }
    });
    let alnum = matches!(
        seq.keys().first().map(|k| k.code),
        Some(KeyCode::Char(c)) if c.is_alphanumeric()
    );
    (class, seq.len(), !alnum, seq.to_string())
}

impl Keymap {
    /// The keys bound to `action` in `context`, preferred first.
    pub fn keys_for(&self, context: Context, action: Action) -> Vec<&KeySeq> {
        let mut keys: Vec<&KeySeq> = self
            .bindings(context)
            .filter(|(_, a)| *a == action)
            .map(|(k, _)| k)
            .collect();
        keys.sort_by_cached_key(|k| preference(k));
        keys
    }

    /// The help overlay for `context` (pass the view under the overlay, not
    /// [`Context::Help`]): one line per bound action, in [`Action::ALL`]
    /// order, keys joined like `j/down`.
    pub fn help_lines(&self, context: Context) -> Vec<(String, &'static str)> {
        Action::ALL
            .iter()
            .filter_map(|&action| {
                let keys = self.keys_for(context, action);
                (!keys.is_empty()).then(|| (join(&keys), action.describe()))
            })
            .collect()
    }

    /// The status-bar hint for `context`, e.g.
    /// `enter open  a actor  s session  i ip  / query  ? help  q quit`.
    pub fn status_hints(&self, context: Context) -> String {
        hint_actions(context)
            .iter()
            .filter_map(|&action| {
                let key = self.keys_for(context, action).into_iter().next()?;
                Some(format!("{key} {}", action.label()))
            })
            .collect::<Vec<_>>()
            .join("  ")
    }

    /// Every table's own bindings (not what it inherits), grouped by action:
    /// the text of the snapshot test, and a reference listing for users.
    pub fn listing(&self) -> String {
        let mut sections = Vec::new();
        for &context in Context::ALL {
            let mut rows = Vec::new();
            for &action in Action::ALL {
                let mut keys: Vec<&KeySeq> = self
                    .table(context)
                    .filter(|(_, a)| *a == action)
                    .map(|(k, _)| k)
                    .collect();
                if !keys.is_empty() {
                    keys.sort_by_cached_key(|k| preference(k));
                    rows.push((join(&keys), action));
                }
            }
            sections.push((context, rows));
        }
        // One key column width for the whole listing, so it reads as a table.
        let width = sections
            .iter()
            .flat_map(|(_, rows)| rows.iter().map(|(keys, _)| keys.chars().count()))
            .max()
            .unwrap_or(0);
        let mut out = String::new();
        for (i, (context, rows)) in sections.into_iter().enumerate() {
            if i > 0 {
                out.push('\n');
            }
            let _ = writeln!(out, "[{context}]");
            for (keys, action) in rows {
                let _ = writeln!(
                    out,
                    "{keys:<width$}  {:<20} {}",
                    action.name(),
                    action.describe()
                );
            }
        }
        out
    }
}

fn join(keys: &[&KeySeq]) -> String {
    keys.iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_findings_hint() {
        let m = Keymap::builtin().expect("default");
        assert_eq!(
            m.status_hints(Context::Findings),
            "enter open  a actor  s session  i ip  / query  ? help  q quit"
        );
        assert_eq!(m.status_hints(Context::Prompt), "enter submit  esc cancel");
    }

    #[test]
    fn preferred_key_order() {
        let m = Keymap::builtin().expect("default");
        let keys = |a| {
            m.keys_for(Context::Events, a)
                .iter()
                .map(|k| k.to_string())
                .collect::<Vec<_>>()
        };
        assert_eq!(keys(Action::MoveDown), ["j", "down"]);
        assert_eq!(keys(Action::Quit), ["q", "ctrl-c"]);
    }

    #[test]
    fn help_lines_follow_action_order() {
        let m = Keymap::builtin().expect("default");
        let lines = m.help_lines(Context::Findings);
        assert_eq!(lines[0], ("q/ctrl-c".to_string(), "Quit okhunt"));
        assert!(lines.contains(&("j/down".to_string(), Action::MoveDown.describe())));
        // Each action at most once.
        let mut descs: Vec<_> = lines.iter().map(|(_, d)| *d).collect();
        descs.dedup();
        assert_eq!(descs.len(), lines.len());
    }
}

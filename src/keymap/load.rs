//! Loading: the built-in default, overlaid key by key with the user's file,
//! then validated as a whole (prefix conflicts can only be seen after the
//! merge). The user's file is never written: copying the default into the
//! user's directory would pin them to old defaults.

use super::action::{Action, UNBIND, known_names};
use super::context::{Context, known_tables};
use super::error::{KeymapError, KeymapErrors};
use super::key::{Key, KeySeq};
use super::{Binding, Keymap};
use std::collections::BTreeMap;
use std::ffi::OsString;
use std::path::{Path, PathBuf};

/// How errors in the built-in keymap name it.
pub const DEFAULT_FILE: &str = "default.toml";

/// The built-in keymap, shipped in the binary.
pub const DEFAULT_TOML: &str = include_str!("../../keymaps/default.toml");

/// One line of a keymap file, parsed.
struct Entry {
    context: Context,
    seq: KeySeq,
    written: String,
    /// `None` for `unbind`.
    action: Option<Action>,
}

impl Keymap {
    /// The built-in keymap alone.
    pub fn builtin() -> Result<Keymap, KeymapErrors> {
        build(None)
    }

    /// The built-in keymap overlaid with `text`; `file` is how errors name
    /// it (give the path the user knows).
    pub fn with_overlay(file: &str, text: &str) -> Result<Keymap, KeymapErrors> {
        build(Some((file, text)))
    }

    /// The keymap the app should use: the built-in one overlaid with
    /// `--keymap FILE` when given, else with the user's keymap file when it
    /// exists (see [`user_keymap_path`]). Call before the terminal goes raw
    /// and print the error (one line per problem) if it fails.
    pub fn load(flag: Option<&Path>) -> Result<Keymap, KeymapErrors> {
        let Some(path) = user_keymap_path(flag)? else {
            return Keymap::builtin();
        };
        let file = path.display().to_string();
        let text = std::fs::read_to_string(&path)
            .map_err(|e| KeymapError::new(&file, None, None, format!("cannot read: {e}")))?;
        Keymap::with_overlay(&file, &text)
    }
}

/// The user's keymap file from the environment: `$XDG_CONFIG_HOME/okhunt/keymap.toml`,
/// else `~/.config/okhunt/keymap.toml`; `flag` (`--keymap FILE`) wins.
pub fn user_keymap_path(flag: Option<&Path>) -> Result<Option<PathBuf>, KeymapError> {
    locate_user_file(
        flag,
        std::env::var_os("XDG_CONFIG_HOME"),
        std::env::var_os("HOME"),
    )
}

/// [`user_keymap_path`] with the environment passed in, so it can be tested
/// without touching the process environment. A `--keymap` file that does
/// not exist is an error (the user asked for it); a missing config-dir file
/// is not (most users never write one).
pub fn locate_user_file(
    flag: Option<&Path>,
    xdg_config_home: Option<OsString>,
    home: Option<OsString>,
) -> Result<Option<PathBuf>, KeymapError> {
    if let Some(path) = flag {
        if path.exists() {
            return Ok(Some(path.to_path_buf()));
        }
        return Err(KeymapError::new(
            &path.display().to_string(),
            None,
            None,
            "no such file (given with --keymap)",
        ));
    }
    // The XDG spec says to ignore a relative XDG_CONFIG_HOME.
    let config = xdg_config_home
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .or_else(|| home.map(|h| PathBuf::from(h).join(".config")));
    Ok(config
        .map(|c| c.join("okhunt").join("keymap.toml"))
        .filter(|p| p.exists()))
}

fn build(overlay: Option<(&str, &str)>) -> Result<Keymap, KeymapErrors> {
    let mut errors = Vec::new();
    let mut tables: BTreeMap<Context, BTreeMap<KeySeq, Binding>> = BTreeMap::new();
    let default = parse(DEFAULT_FILE, DEFAULT_TOML, &mut errors);
    apply(&mut tables, default, DEFAULT_FILE, false);
    if let Some((file, text)) = overlay {
        let user = parse(file, text, &mut errors);
        apply(&mut tables, user, file, true);
    }
    let mut effective = BTreeMap::new();
    for &context in Context::ALL {
        let merged = merge(&tables, context);
        check_prefixes(context, &merged, &mut errors);
        let actions = merged
            .into_iter()
            .filter_map(|(seq, (_, b))| b.action.map(|a| (seq.clone(), a)))
            .collect();
        effective.insert(context, actions);
    }
    if errors.is_empty() {
        Ok(Keymap { tables, effective })
    } else {
        Err(KeymapErrors(errors))
    }
}

/// Parse one file into entries, pushing every problem found (not just the
/// first) onto `errors`.
fn parse(file: &str, text: &str, errors: &mut Vec<KeymapError>) -> Vec<Entry> {
    let doc = match text.parse::<toml::Table>() {
        Ok(doc) => doc,
        Err(e) => {
            let line = e
                .span()
                .map(|s| text.get(..s.start).unwrap_or(text).lines().count().max(1));
            let at = line.map(|l| format!(" at line {l}")).unwrap_or_default();
            errors.push(KeymapError::new(
                file,
                None,
                None,
                format!("invalid TOML{at}: {}", e.message()),
            ));
            return Vec::new();
        }
    };
    let mut entries = Vec::new();
    for (name, value) in &doc {
        let Some(table) = value.as_table() else {
            errors.push(KeymapError::new(
                file,
                None,
                Some(name),
                "bindings belong in a table such as [global]",
            ));
            continue;
        };
        let Some(context) = Context::from_name(name) else {
            errors.push(KeymapError::new(
                file,
                Some(name),
                None,
                format!("unknown table (known: {})", known_tables()),
            ));
            continue;
        };
        // Two spellings of one key (`esc`, `escape`) in one table would
        // silently let one win.
        let mut seen: BTreeMap<KeySeq, &str> = BTreeMap::new();
        for (written, value) in table {
            let err = |message: String| KeymapError::new(file, Some(name), Some(written), message);
            let seq = match written.parse::<KeySeq>() {
                Ok(seq) => seq,
                Err(e) => {
                    errors.push(err(e.to_string()));
                    continue;
                }
            };
            let Some(value) = value.as_str() else {
                errors.push(err(format!(
                    "expected an action name in quotes (known: {})",
                    known_names()
                )));
                continue;
            };
            let action = if value == UNBIND {
                None
            } else {
                match value.parse::<Action>() {
                    Ok(a) => Some(a),
                    Err(e) => {
                        errors.push(err(e.to_string()));
                        continue;
                    }
                }
            };
            if let Some(first) = seen.insert(seq.clone(), written) {
                errors.push(err(format!("same key as {first:?} in this table")));
                continue;
            }
            entries.push(Entry {
                context,
                seq,
                written: written.clone(),
                action,
            });
        }
    }
    entries
}

/// Lay `entries` over `tables`, key by key.
fn apply(
    tables: &mut BTreeMap<Context, BTreeMap<KeySeq, Binding>>,
    entries: Vec<Entry>,
    file: &str,
    user: bool,
) {
    for e in entries {
        let table = tables.entry(e.context).or_default();
        // An unbind in a pane table stays as a marker: "this key does
        // nothing here", hiding a global binding of the same key. In
        // `[global]` and the modal tables nothing lies beneath, so the key
        // is simply removed.
        if e.action.is_none() && !e.context.inherits_global() {
            table.remove(&e.seq);
            continue;
        }
        table.insert(
            e.seq,
            Binding {
                action: e.action,
                written: e.written,
                file: file.to_string(),
                user,
            },
        );
    }
}

/// The bindings seen in `context`: its table over `[global]` (if it
/// inherits it), markers included, each with the table it came from.
fn merge(
    tables: &BTreeMap<Context, BTreeMap<KeySeq, Binding>>,
    context: Context,
) -> BTreeMap<&KeySeq, (Context, &Binding)> {
    let mut merged = BTreeMap::new();
    let mut layers = vec![context];
    if context.inherits_global() {
        layers.insert(0, Context::Global);
    }
    for layer in layers {
        for (seq, b) in tables.get(&layer).into_iter().flatten() {
            merged.insert(seq, (layer, b));
        }
    }
    merged
}

/// A key that is bound and also starts a longer sequence could never reach
/// the sequence (there is no timeout to tell them apart); refuse it.
fn check_prefixes(
    context: Context,
    merged: &BTreeMap<&KeySeq, (Context, &Binding)>,
    errors: &mut Vec<KeymapError>,
) {
    let live = |seq: &[Key]| {
        merged
            .get(&KeySeq(seq.to_vec()))
            .filter(|(_, b)| b.action.is_some())
            .copied()
    };
    for (seq, &(long_table, long)) in merged {
        if long.action.is_none() {
            continue;
        }
        for n in 1..seq.len() {
            let Some((short_table, short)) = live(&seq.keys()[..n]) else {
                continue;
            };
            // A conflict inside [global] shows in every pane; report it
            // once, from [global] itself.
            if context != Context::Global
                && short_table == Context::Global
                && long_table == Context::Global
            {
                continue;
            }
            // Blame the binding the user added (the default alone is
            // valid), else the pane's own, else the longer one.
            let weight = |t: Context, b: &Binding| (b.user, t != Context::Global);
            let (blamed, blamed_table, other, other_table) =
                if weight(short_table, short) > weight(long_table, long) {
                    (short, short_table, long, long_table)
                } else {
                    (long, long_table, short, short_table)
                };
            let other_action = other.action.map_or("", Action::name);
            errors.push(KeymapError::new(
                &blamed.file,
                Some(blamed_table.name()),
                Some(&blamed.written),
                format!(
                    "prefix conflict with {:?} ({other_action}) in [{other_table}] of {}: a key cannot both act and start a sequence; unbind one",
                    other.written, other.file
                ),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_loads() {
        let map = Keymap::builtin().expect("default keymap is valid");
        assert!(map.table(Context::Global).count() > 20);
    }

    #[test]
    fn locate_prefers_flag_then_xdg_then_home() {
        let dir = tempfile::tempdir().expect("tempdir");
        let flag = dir.path().join("mine.toml");
        std::fs::write(&flag, "").expect("write");
        let got = locate_user_file(Some(&flag), None, None).expect("flag file exists");
        assert_eq!(got, Some(flag));

        let missing = dir.path().join("nope.toml");
        let err = locate_user_file(Some(&missing), None, None).expect_err("missing flag file");
        assert!(
            err.to_string()
                .ends_with("nope.toml: no such file (given with --keymap)")
        );

        // No config file anywhere: fine, the default applies.
        let home = dir.path().join("home");
        assert_eq!(
            locate_user_file(None, None, Some(home.clone().into())).expect("ok"),
            None
        );

        let in_home = home.join(".config/okhunt/keymap.toml");
        std::fs::create_dir_all(in_home.parent().expect("parent")).expect("mkdir");
        std::fs::write(&in_home, "").expect("write");
        assert_eq!(
            locate_user_file(None, None, Some(home.clone().into())).expect("ok"),
            Some(in_home.clone())
        );
        // A relative XDG_CONFIG_HOME is ignored, per the XDG spec.
        assert_eq!(
            locate_user_file(None, Some("rel".into()), Some(home.clone().into())).expect("ok"),
            Some(in_home)
        );

        let xdg = dir.path().join("xdg");
        let in_xdg = xdg.join("okhunt/keymap.toml");
        std::fs::create_dir_all(in_xdg.parent().expect("parent")).expect("mkdir");
        std::fs::write(&in_xdg, "").expect("write");
        assert_eq!(
            locate_user_file(None, Some(xdg.into()), Some(home.into())).expect("ok"),
            Some(in_xdg)
        );
    }

    #[test]
    fn toml_syntax_error_names_line() {
        let err = Keymap::with_overlay("k.toml", "[global]\n\"q\" = \n").expect_err("bad toml");
        let text = err.to_string();
        assert!(
            text.starts_with("k.toml: invalid TOML at line 2: "),
            "{text}"
        );
        assert!(!text.contains('\n'), "{text}");
    }
}

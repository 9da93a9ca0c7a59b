//! Translation completeness check, shared by `build.rs` (which fails the build) and the
//! unit tests (which prove that it does).
//!
//! Rules: every locale folder holds exactly the same message ids as `en`, every file
//! parses, and every literal key used with `tr!` / `move_tr!` in the sources exists.

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

/// The languages we ship; `en` is the reference.
pub const LOCALES: [&str; 4] = ["en", "fr", "de", "es"];

/// Message ids defined in every `.ftl` file of one locale folder.
pub fn message_ids(dir: &Path) -> Result<BTreeSet<String>, String> {
    let mut ids = BTreeSet::new();
    let entries = fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut files: Vec<_> = entries.filter_map(Result::ok).map(|e| e.path()).collect();
    files.sort();
    for path in files.iter().filter(|p| p.extension().is_some_and(|x| x == "ftl")) {
        let text = fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
        let resource = fluent_syntax::parser::parse(text.as_str())
            .map_err(|(_, errs)| format!("{}: {} syntax error(s)", path.display(), errs.len()))?;
        for entry in resource.body {
            if let fluent_syntax::ast::Entry::Message(m) = entry {
                if !ids.insert(m.id.name.to_string()) {
                    return Err(format!("{}: `{}` defined twice", path.display(), m.id.name));
                }
            }
        }
    }
    Ok(ids)
}

/// Literal keys passed to `tr!(` / `move_tr!(` in the Rust sources under `src`.
pub fn used_keys(src: &Path) -> BTreeSet<String> {
    let mut keys = BTreeSet::new();
    let mut stack = vec![src.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = fs::read_dir(&dir) else { continue };
        for path in entries.filter_map(Result::ok).map(|e| e.path()) {
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|x| x == "rs") {
                let text = fs::read_to_string(&path).unwrap_or_default();
                for marker in ["tr!(\"", "tr!(\n"] {
                    for (i, _) in text.match_indices(marker) {
                        let rest = text[i + marker.len()..].trim_start_matches([' ', '\n', '"']);
                        let key: String =
                            rest.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '-').collect();
                        if !key.is_empty() {
                            keys.insert(key);
                        }
                    }
                }
            }
        }
    }
    keys
}

/// Every problem found, one line each; empty when the translations are complete.
pub fn check(locales: &Path, src: Option<&Path>) -> Vec<String> {
    let mut problems = Vec::new();
    let mut sets = Vec::new();
    for lang in LOCALES {
        match message_ids(&locales.join(lang)) {
            Ok(ids) => sets.push((lang, ids)),
            Err(e) => problems.push(e),
        }
    }
    let Some((_, reference)) = sets.iter().find(|(l, _)| *l == "en").cloned() else {
        problems.push("locale `en` is missing".to_owned());
        return problems;
    };
    for (lang, ids) in &sets {
        for missing in reference.difference(ids) {
            problems.push(format!("`{missing}` is missing in locale `{lang}`"));
        }
        for extra in ids.difference(&reference) {
            problems.push(format!("`{extra}` exists in `{lang}` but not in `en`"));
        }
    }
    if let Some(src) = src {
        for key in used_keys(src).difference(&reference) {
            problems.push(format!("`{key}` is used in the code but defined in no locale"));
        }
    }
    problems
}

//! The floors of the code point down (README "Layout"): `domain` (pure) ← `model` (wire
//! types) ← `db` (SQL) ← `service` (business operations) ← `api` / REST / pages. These
//! tests read the sources and fail when a lower floor names a higher one, or when modules
//! name each other in a circle.

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};

    /// Every `.rs` file under `dir`.
    fn sources(dir: PathBuf) -> Vec<PathBuf> {
        let mut out = Vec::new();
        let mut dirs = vec![dir];
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
                let path = entry.path();
                if path.is_dir() {
                    dirs.push(path);
                } else if path.extension().is_some_and(|e| e == "rs") {
                    out.push(path);
                }
            }
        }
        out
    }

    /// Every `.rs` file of a floor: `src/<floor>.rs` and everything under `src/<floor>/`.
    fn files(floor: &str) -> Vec<PathBuf> {
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut out = vec![src.join(format!("{floor}.rs"))];
        out.extend(sources(src.join(floor)));
        out.retain(|p| p.exists());
        out
    }

    #[test]
    fn lower_floors_never_name_higher_ones() {
        let rules: [(&str, &[&str]); 6] = [
            ("domain", &["model", "db", "service", "api", "pages", "components"]),
            ("model", &["db", "service", "api", "pages", "components"]),
            ("db", &["service", "api", "pages", "components"]),
            ("service", &["api", "pages", "components"]),
            ("api", &["pages", "components"]),
            // What pages share is a component; a component never renders a page.
            ("components", &["pages"]),
        ];
        let mut found = Vec::new();
        for (floor, above) in rules {
            let files = files(floor);
            assert!(!files.is_empty(), "no sources for {floor}");
            for file in files {
                let text = std::fs::read_to_string(&file).expect("source readable");
                for (n, line) in text.lines().enumerate() {
                    let code = line.trim_start();
                    if code.starts_with("//") {
                        continue;
                    }
                    for upper in above {
                        if code.contains(&format!("crate::{upper}::"))
                            || code.contains(&format!("crate::{upper};"))
                        {
                            found.push(format!("{}:{}: {floor} names {upper}", file.display(), n + 1));
                        }
                    }
                }
            }
        }
        assert!(found.is_empty(), "imports that point up:\n{}", found.join("\n"));
    }

    /// A page renders its route with components and never names another page: what two
    /// pages share (labels, an entry's header, the subscribe section, the operations view,
    /// the charts, the usage dashboard) is a component.
    #[test]
    fn pages_never_name_other_pages() {
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let pages = sources(src.join("pages"));
        assert!(pages.len() > 15, "read {} pages", pages.len());
        let mut found = Vec::new();
        for file in &pages {
            let rel = file.strip_prefix(src.join("pages")).expect("under pages");
            let here = rel.with_extension("").to_string_lossy().replace('/', "::");
            let text = std::fs::read_to_string(file).expect("source readable");
            for (n, line) in text.lines().enumerate() {
                let code = line.trim_start();
                if code.starts_with("//") {
                    continue;
                }
                for (at, _) in code.match_indices("crate::pages::") {
                    let named = &code[at + "crate::pages::".len()..];
                    if !named.starts_with(&format!("{here}::")) {
                        found.push(format!("{}:{}: {}", file.display(), n + 1, code));
                    }
                }
                if code.contains("super::") && !code.contains("use super::*") {
                    found.push(format!("{}:{}: {}", file.display(), n + 1, code));
                }
            }
        }
        assert!(found.is_empty(), "pages that name other pages:\n{}", found.join("\n"));
    }

    /// `src/db/demo/reset.rs` → `db::demo`, `src/service/usage/plan.rs` → `service::usage`,
    /// `src/error.rs` → `error`: modules two deep, the grain of a circle worth knowing.
    fn module_of(src: &Path, file: &Path) -> String {
        let rel = file.strip_prefix(src).expect("under src");
        let parts: Vec<String> = rel
            .iter()
            .take(2)
            .map(|p| p.to_string_lossy().trim_end_matches(".rs").to_owned())
            .filter(|p| p != "mod" && p != "lib")
            .collect();
        parts.join("::")
    }

    /// The modules a line names through `crate::…` paths (use-lists included, one level),
    /// and through `super::…` when `sup` is the floor a file sits directly in.
    fn named(
        code: &str,
        modules: &std::collections::BTreeSet<String>,
        here: &str,
        sup: Option<&str>,
    ) -> Vec<String> {
        let ident = |s: &str| s.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect::<String>();
        let resolve = |first: &str, second: &str| {
            let two = format!("{first}::{second}");
            if modules.contains(&two) {
                Some(two)
            } else {
                modules.contains(first).then(|| first.to_owned())
            }
        };
        let mut paths: Vec<String> = Vec::new();
        for (at, _) in code.match_indices("crate::") {
            paths.push(code[at + "crate::".len()..].to_owned());
        }
        if let Some(floor) = sup {
            for (at, _) in code.match_indices("super::") {
                if !code[..at].ends_with("super::") {
                    paths.push(format!("{floor}::{}", &code[at + "super::".len()..]));
                }
            }
        }
        let mut out = Vec::new();
        for path in paths {
            let first = ident(&path);
            match path[first.len()..].strip_prefix("::") {
                Some(group) if group.starts_with('{') => {
                    let inner = group[1..].split('}').next().unwrap_or_default();
                    for item in inner.split(',') {
                        out.extend(resolve(&first, &ident(item.trim())));
                    }
                }
                Some(next) => out.extend(resolve(&first, &ident(next))),
                None => out.extend(modules.contains(&first).then(|| first.clone())),
            }
        }
        // A module and the floor file that declares it (`db.rs` for `db::demo`) are one.
        out.retain(|m| {
            m != here && !here.starts_with(&format!("{m}::")) && !m.starts_with(&format!("{here}::"))
        });
        out
    }

    /// Circles of modules naming each other (strongly connected sets of more than one),
    /// each sorted.
    fn circles() -> Vec<Vec<String>> {
        use std::collections::{BTreeMap, BTreeSet};
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let files = sources(src.clone());
        let modules: BTreeSet<String> =
            files.iter().map(|f| module_of(&src, f)).filter(|m| !m.is_empty()).collect();
        let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for file in &files {
            let here = module_of(&src, file);
            let depth = file.strip_prefix(&src).map_or(0, |r| r.iter().count());
            let sup = (depth == 2).then(|| here.split("::").next().unwrap_or_default().to_owned());
            let text = std::fs::read_to_string(file).expect("source readable");
            // A file's own tests (its trailing `#[cfg(test)] mod …`) may use any module:
            // they are not what the module depends on.
            let product = text.split("\n#[cfg(test)]\nmod ").next().unwrap_or_default();
            for line in product.lines() {
                let code = line.trim_start();
                if code.starts_with("//") {
                    continue;
                }
                edges.entry(here.clone()).or_default().extend(named(code, &modules, &here, sup.as_deref()));
            }
        }
        // Tarjan's strongly connected components.
        struct Walk<'a> {
            edges: &'a BTreeMap<String, BTreeSet<String>>,
            index: BTreeMap<String, usize>,
            low: BTreeMap<String, usize>,
            stack: Vec<String>,
            on_stack: BTreeSet<String>,
            found: Vec<Vec<String>>,
        }
        fn visit(w: &mut Walk<'_>, v: &str) {
            let n = w.index.len();
            w.index.insert(v.to_owned(), n);
            w.low.insert(v.to_owned(), n);
            w.stack.push(v.to_owned());
            w.on_stack.insert(v.to_owned());
            for next in w.edges.get(v).into_iter().flatten() {
                if !w.index.contains_key(next) {
                    visit(w, next);
                    let low = w.low[v].min(w.low[next]);
                    w.low.insert(v.to_owned(), low);
                } else if w.on_stack.contains(next) {
                    let low = w.low[v].min(w.index[next]);
                    w.low.insert(v.to_owned(), low);
                }
            }
            if w.low[v] == w.index[v] {
                let mut set = Vec::new();
                while let Some(top) = w.stack.pop() {
                    w.on_stack.remove(&top);
                    let done = top == v;
                    set.push(top);
                    if done {
                        break;
                    }
                }
                if set.len() > 1 {
                    set.sort();
                    w.found.push(set);
                }
            }
        }
        let mut w = Walk {
            edges: &edges,
            index: BTreeMap::new(),
            low: BTreeMap::new(),
            stack: Vec::new(),
            on_stack: BTreeSet::new(),
            found: Vec::new(),
        };
        for m in &modules {
            if !w.index.contains_key(m) {
                visit(&mut w, m);
            }
        }
        w.found.sort();
        w.found
    }

    /// The circles issue 32 is to take apart; each one gone comes off this list (the test
    /// says so), and no new one may appear.
    const KNOWN_CIRCLES: &[&[&str]] = &[];

    #[test]
    fn no_new_import_circle_among_modules() {
        let found = circles();
        let known: Vec<Vec<String>> =
            KNOWN_CIRCLES.iter().map(|c| c.iter().map(|m| (*m).to_owned()).collect()).collect();
        let new: Vec<_> = found.iter().filter(|c| !known.contains(c)).collect();
        let gone: Vec<_> = known.iter().filter(|c| !found.contains(c)).collect();
        assert!(new.is_empty(), "modules that name each other in a circle: {new:?}");
        assert!(gone.is_empty(), "circles no longer there (take them off KNOWN_CIRCLES): {gone:?}");
    }
}

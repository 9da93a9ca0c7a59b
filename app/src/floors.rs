//! The floors of the code point down (README "Layout"): `domain` (pure) ← `model` (wire
//! types) ← `db` (SQL) ← `service` (business operations) ← `api` / REST / pages. This
//! test reads the sources and fails when a lower floor names a higher one.

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};

    /// Every `.rs` file of a floor: `src/<floor>.rs` and everything under `src/<floor>/`.
    fn files(floor: &str) -> Vec<PathBuf> {
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut out = vec![src.join(format!("{floor}.rs"))];
        let mut dirs = vec![src.join(floor)];
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
        out.retain(|p| p.exists());
        out
    }

    #[test]
    fn lower_floors_never_name_higher_ones() {
        let rules: [(&str, &[&str]); 4] = [
            ("domain", &["model", "db", "service", "api", "pages", "components"]),
            ("model", &["db", "service", "api", "pages", "components"]),
            ("db", &["service", "api", "pages", "components"]),
            ("service", &["api", "pages", "components"]),
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
}

//! The tests' fixtures, in one place: the app under test and its requests ([`app`]), the
//! people who use it ([`people`]), what a journey starts from ([`builders`]), the
//! processes a test starts ([`process`]) and the real servers or doubles it talks to
//! ([`doubles`]). The tests import them; they import no test (checked below).

pub mod app;
pub mod builders;
pub mod doubles;
pub mod people;
pub mod process;

pub use app::*;
pub use builders::*;
pub use doubles::{kafka::*, smtp::*, upstream::*};
pub use people::*;
pub use process::*;

/// Fixtures flow one way: every `crate::…` path of a test names `crate::util`, and the
/// fixtures name no test module.
#[test]
fn tests_take_their_fixtures_from_util_only() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/api");
    let mut files = vec![];
    let mut todo = vec![dir.clone()];
    while let Some(d) = todo.pop() {
        for entry in std::fs::read_dir(&d).expect("tests/api") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                todo.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                files.push(path);
            }
        }
    }
    let mut wrong = vec![];
    for path in &files {
        // This file names `crate::` in its check.
        if path.ends_with("util.rs") {
            continue;
        }
        let text = std::fs::read_to_string(path).expect("read");
        for (n, line) in text.lines().enumerate() {
            for (at, _) in line.match_indices("crate::") {
                let rest = &line[at + "crate::".len()..];
                if !rest.starts_with("util") {
                    wrong.push(format!("{}:{}: {}", path.display(), n + 1, line.trim()));
                }
            }
        }
    }
    assert!(files.len() > 30, "read {} files", files.len());
    assert!(wrong.is_empty(), "fixtures come from crate::util only:\n{}", wrong.join("\n"));
}

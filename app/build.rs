//! Fails the build when a translation is missing in any locale (see `i18n_check.rs`).

#[path = "i18n_check.rs"]
mod i18n_check;

use std::path::Path;

fn main() {
    let locales = Path::new("../locales");
    let src = Path::new("src");
    println!("cargo::rerun-if-changed=../locales");
    println!("cargo::rerun-if-changed=src");
    let problems = i18n_check::check(locales, Some(src));
    if !problems.is_empty() {
        for p in &problems {
            println!("cargo::error=translations: {p}");
        }
        panic!("{} translation problem(s):\n{}", problems.len(), problems.join("\n"));
    }
}

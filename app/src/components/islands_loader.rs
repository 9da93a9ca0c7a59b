//! The islands' loader: what Leptos' `HydrationScripts` does in islands mode, in a
//! tenth of its bytes, on every page.
//!
//! Leptos' own script (≈ 1.9 KB, 0.7 KB gzipped) walks the whole document for islands and
//! for `leptos-children` callbacks; our islands take no children and are not nested, so
//! calling each `leptos-island`'s function with its element is the whole of it. The
//! browser tests that islands hydrate (`shell.spec.ts`) guard it against a Leptos upgrade.

use leptos::prelude::*;

/// Preloads the bundle, then, when the browser is idle, starts the wasm and hydrates
/// each island.
#[component]
pub fn IslandsLoader(bundle: &'static Bundle) -> impl IntoView {
    // As `HydrationScripts` does in islands mode: the server renders no hydration data
    // for the page outside islands.
    #[cfg(feature = "ssr")]
    if let Some(sc) = Owner::current_shared_context() {
        sc.set_is_hydrating(false);
    }
    // The page's script policy allows inline scripts with this nonce only (`server::page_policy`).
    let nonce = leptos::nonce::use_nonce();
    view! {
        <link rel="modulepreload" href=bundle.js.as_str() crossorigin="" />
        <link rel="preload" href=bundle.wasm.as_str() r#as="fetch" r#type="application/wasm" crossorigin="" />
        <script type="module" nonce=nonce>{bundle.script.as_str()}</script>
    }
}

/// The bundle's script, wasm and stylesheet paths, and the loader's script: the same for
/// every page of a process, so made once (not formatted for each page). Each path carries
/// `?v=` and a digest of the built files, so a browser may keep them for a year
/// (`server::cache_control`) and still fetches the next build's.
pub struct Bundle {
    js: String,
    wasm: String,
    pub css: String,
    script: String,
}

/// A digest of the site's built files (script, wasm, stylesheet): 16 hex digits, the
/// same in every process serving the same files.
fn digest(root: &std::path::Path, files: &[&str]) -> String {
    use std::hash::Hasher;
    let mut h = std::hash::DefaultHasher::new();
    for f in files {
        h.write(f.as_bytes());
        h.write(&std::fs::read(root.join(f.trim_start_matches('/'))).unwrap_or_default());
    }
    format!("{:016x}", h.finish())
}

/// The stylesheet's path, once [`bundle`] has been made (the document makes it before
/// the page's body renders).
pub fn css_href() -> String {
    BUNDLE.get().map(|b| b.css.clone()).unwrap_or_else(|| "/pkg/stoa.css".to_owned())
}

static BUNDLE: std::sync::OnceLock<Bundle> = std::sync::OnceLock::new();

/// The process's [`Bundle`], made from `options` the first time (a process has one set
/// of options).
pub fn bundle(options: &LeptosOptions) -> &'static Bundle {
    BUNDLE.get_or_init(|| {
        let pkg = format!("/{}", options.site_pkg_dir);
        let js = format!("{pkg}/{}.js", options.output_name);
        // cargo-leptos names the wasm after the package; a plain cargo build, `_bg`.
        let wasm = match option_env!("LEPTOS_OUTPUT_NAME") {
            Some(_) => format!("{pkg}/{}.wasm", options.output_name),
            None => format!("{pkg}/{}_bg.wasm", options.output_name),
        };
        let css = format!("{pkg}/{}.css", options.output_name);
        let v = digest(std::path::Path::new(options.site_root.as_ref()), &[&js, &wasm, &css]);
        let (js, wasm, css) = (format!("{js}?v={v}"), format!("{wasm}?v={v}"), format!("{css}?v={v}"));
        let script = format!(
            "(self.requestIdleCallback||setTimeout)(()=>import(\"{js}\").then(async m=>{{\
             await m.default({{module_or_path:\"{wasm}\"}});m.hydrate();\
             for(const e of document.querySelectorAll(\"leptos-island\"))m[e.dataset.component]?.(e)}}))"
        );
        Bundle { js, wasm, css, script }
    })
}

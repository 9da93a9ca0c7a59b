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
pub fn IslandsLoader(options: LeptosOptions) -> impl IntoView {
    // As `HydrationScripts` does in islands mode: the server renders no hydration data
    // for the page outside islands.
    #[cfg(feature = "ssr")]
    if let Some(sc) = Owner::current_shared_context() {
        sc.set_is_hydrating(false);
    }
    let (js, wasm) = bundle(&options);
    let script = loader_script(&options);
    // The page's script policy allows inline scripts with this nonce only (`server::page_policy`).
    let nonce = leptos::nonce::use_nonce();
    view! {
        <link rel="modulepreload" href=js crossorigin="" />
        <link rel="preload" href=wasm r#as="fetch" r#type="application/wasm" crossorigin="" />
        <script type="module" nonce=nonce>{script}</script>
    }
}

/// The bundle's script and wasm paths.
fn bundle(options: &LeptosOptions) -> (String, String) {
    let pkg = format!("/{}", options.site_pkg_dir);
    let js = format!("{pkg}/{}.js", options.output_name);
    // cargo-leptos names the wasm after the package; a plain cargo build, `_bg`.
    let wasm = match option_env!("LEPTOS_OUTPUT_NAME") {
        Some(_) => format!("{pkg}/{}.wasm", options.output_name),
        None => format!("{pkg}/{}_bg.wasm", options.output_name),
    };
    (js, wasm)
}

/// The loader's script.
fn loader_script(options: &LeptosOptions) -> String {
    let (js, wasm) = bundle(options);
    format!(
        "(self.requestIdleCallback||setTimeout)(()=>import(\"{js}\").then(async m=>{{\
         await m.default({{module_or_path:\"{wasm}\"}});m.hydrate();\
         for(const e of document.querySelectorAll(\"leptos-island\"))m[e.dataset.component]?.(e)}}))"
    )
}

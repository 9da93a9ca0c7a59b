//! The browser side of STOA: wakes up the server-rendered islands.
//!
//! We ship islands, not full hydration (see README "Islands, not full hydration"): only
//! components marked `#[island]` are compiled into this bundle and hydrated, so a page
//! that needs no interactivity costs no wasm at all to read.

// Without this the islands defined in `app` are not linked into the bundle and the
// browser logs "Could not find WASM function for the island".
extern crate app;

use wasm_bindgen::prelude::wasm_bindgen;

/// Entry point called by the hydration script that `HydrationScripts` emits.
#[wasm_bindgen]
pub fn hydrate() {
    // Readable panics while developing; release builds abort on panic and skip the hook's
    // formatting code.
    #[cfg(debug_assertions)]
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
}

//! STOA portal and console: every page, component and server function.
//!
//! Compiled twice: with `ssr` into the server (pages rendered to HTML, database access),
//! with `hydrate` into the browser bundle (only the `#[island]` components).
#![recursion_limit = "256"]

pub mod api;
pub mod auth;
pub mod components;
pub mod domain;
pub mod error;
mod floors;
pub mod i18n;
pub mod markdown;
pub mod model;
pub mod pages;
pub mod routes;

/// The build-time translation check, compiled into the tests that prove it works.
#[cfg(test)]
#[path = "../i18n_check.rs"]
mod i18n_check;

#[cfg(feature = "ssr")]
pub mod awx;
#[cfg(feature = "ssr")]
pub mod config;
#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod flash;
#[cfg(feature = "ssr")]
pub mod keycache;
#[cfg(feature = "ssr")]
pub mod oidc;
#[cfg(feature = "ssr")]
pub mod secrets;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod state;
#[cfg(feature = "ssr")]
pub mod throttle;

use leptos::prelude::*;
use leptos_meta::MetaTags;

pub use routes::App;

/// The HTML document every page lives in. Rendered on the server only; the
/// `<html lang>` attribute is filled in by [`App`] through `leptos_meta::Html`.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    document(&options)
}

/// [`shell`] for a borrowed `options`: what each page's route renders, without copying the
/// options for every page (only the dev server's live reload, when it watches, needs them).
pub fn document(options: &LeptosOptions) -> impl IntoView {
    static WATCHED: std::sync::LazyLock<bool> =
        std::sync::LazyLock::new(|| std::env::var_os("LEPTOS_WATCH").is_some());
    let reload = WATCHED.then(|| view! { <AutoReload options=options.clone() /> });
    let bundle = crate::components::islands_loader::bundle(options);
    view! {
        <!DOCTYPE html>
        <html>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="color-scheme" content="light dark" />
                <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
                {reload}
                <crate::components::islands_loader::IslandsLoader bundle />
                <MetaTags />
            </head>
            <body class="min-h-screen bg-slate-50 text-slate-900 antialiased dark:bg-slate-950 dark:text-slate-100">
                <App />
            </body>
        </html>
    }
}

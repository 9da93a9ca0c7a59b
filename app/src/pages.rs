//! One file per route (or per family of routes): the portal's pages in `portal/`, the
//! console's in `console/`. A page renders its route with components; it never imports
//! another page (`floors.rs` checks), so what two pages share is a component.

pub mod console;
pub mod not_found;
pub mod portal;

//! Pure domain types: parsing, validation and state machines. No leptos, no sqlx, so
//! they run the same in the browser (instant feedback) and on the server (trust).

pub mod catalog;
pub mod event;
pub mod language;
pub mod mcp;
pub mod openapi;
pub mod permission;
pub mod role;

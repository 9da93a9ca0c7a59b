//! Reusable view pieces.

pub mod copy;
pub mod data_table;
pub mod error_view;
pub mod islands_loader;
pub mod language_switcher;
pub mod layout;
pub mod load_once;
pub mod nav;
pub mod pagination;
pub mod rcdata;
pub mod ui;
pub mod when;

//! Reusable view pieces.

pub mod bell;
pub mod chart;
pub mod copy;
pub mod data_table;
pub mod entry;
pub mod error_view;
pub mod field;
pub mod islands_loader;
pub mod labels;
pub mod language_switcher;
pub mod layout;
pub mod load_once;
pub mod nav;
pub mod operations;
pub mod pagination;
pub mod rcdata;
pub mod subscribe;
pub mod ui;
pub mod usage_dashboard;
pub mod when;

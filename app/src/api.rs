//! Server functions, one file per resource. Thin: state and user, parse, `db::`, map errors.

pub mod platform;
pub mod preferences;

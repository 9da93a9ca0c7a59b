//! The demo wing's SQL: the live backends' records, the demo catalog's versions as
//! seeded, and the reset.

pub mod catalog;
pub mod records;
pub mod reset;

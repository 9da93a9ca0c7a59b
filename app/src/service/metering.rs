//! Metering: the meter our gateway records each call on ([`meter`]), and the ingest that
//! counts events of any STOA gateway exactly once ([`ingest`]). The usage figures read
//! back are `service::usage`'s.

pub mod ingest;
pub mod meter;

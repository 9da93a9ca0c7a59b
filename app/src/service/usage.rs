//! Usage read back from the rollups and the raw calls, by what it answers: a query's
//! [`plan`], `GET /v1/usage`'s [`report`], the [`dashboard`]s' whole page, and the CSV
//! [`export`]s.

pub mod dashboard;
pub mod export;
mod plan;
pub mod report;

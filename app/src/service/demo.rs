//! The demo wing's operations: the live backends answered in process (the gateway's and
//! try-it's [`crate::service::in_process::InProcess`] upstream), the seed of the demo
//! tenant, its reset and its live traffic. What they list comes from one table,
//! `domain::demo::BACKENDS`.

pub mod backends;
pub mod reset;
pub mod seed;
pub mod traffic;

#[cfg(test)]
mod seeded_catalog;

//! Server functions, one file per resource. Thin: state and user, parse, `db::`, map errors.

pub mod applications;
pub mod audit;
pub mod auth;
pub mod catalog;
pub mod demo;
pub mod members;
pub mod notifications;
pub mod onboarding;
pub mod platform;
pub mod preferences;
pub mod profile;
pub mod promotions;
pub mod publishing;
pub mod subscriptions;
pub mod tryit;
pub mod usage;

//! Business operations per resource (server only): each takes a user or an actor, opens
//! the tenant scope, calls `db::`, writes the journal (event + audit entry) in the same
//! transaction and returns typed results. REST handlers, server functions, console form
//! routes and background tasks all call this floor — never `api::`.

pub mod account;
pub mod applications;
pub mod audit;
pub mod catalog;
pub mod demo;
pub mod in_process;
pub mod journal;
pub mod lifecycle;
pub mod members;
pub mod metering;
pub mod notifications;
pub mod onboarding;
pub mod plans;
pub mod platform;
pub mod promotions;
pub mod publishing;
pub mod subscriptions;
pub mod usage;

//! One file per route. Portal pages live in `portal/`, console pages in `console/`
//! (added by the catalog, subscription and ITSM issues).

pub mod api_detail;
pub mod apps;
pub mod audit;
pub mod catalog;
pub mod console_apis;
pub mod console_demo;
pub mod console_members;
pub mod home;
pub mod login;
pub mod mcp_detail;
pub mod not_found;
pub mod notifications;
pub mod onboarding;
pub mod onboarding_funnel;
pub mod profile;
pub mod requests;
pub mod subscriptions;
pub mod usage;

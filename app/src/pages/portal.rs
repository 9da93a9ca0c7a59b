//! The portal's pages: what API consumers browse and do — the catalog, an API's or MCP
//! server's page, applications, usage, the onboarding wizard, notifications, profile.

pub mod api_detail;
pub mod apps;
pub mod catalog;
pub mod home;
pub mod login;
pub mod mcp_detail;
pub mod notifications;
pub mod onboarding;
pub mod profile;
pub mod usage;

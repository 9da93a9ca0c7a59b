//! The console's pages (`/console/…`): publishing, the approval queue, promotion
//! requests, usage, the onboarding funnel, the audit trail, members and tenants (with the
//! invitation a member accepts), plans, the demo tenant.

pub mod apis;
pub mod audit;
pub mod demo;
pub mod funnel;
pub mod members;
pub mod plans;
pub mod requests;
pub mod subscriptions;
pub mod usage;

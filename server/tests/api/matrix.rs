//! The permission matrix: every server function and every REST route, called by a
//! visitor, by each persona of the demo tenant and by a user of another tenant.
//!
//! The tables below are the specification, written independently of the code's own
//! declarations. The first test fails when a server function or REST route exists without
//! an entry here (or an entry names one that no longer exists), so a new route cannot
//! ship without someone deciding who may call it.

use crate::util::{session_cookie, sign_in, TestApp, TestResponse};
use app::domain::permission::{Access, Permission};
use app::domain::role::Role;
use axum::body::Body;
use axum::http::Request;
use sqlx::PgPool;
use std::collections::BTreeSet;

/// One callable thing: how to call it with harmless, valid input, and who may.
struct Entry {
    method: &'static str,
    path: &'static str,
    /// Form body (server functions) or query string (REST GET).
    input: &'static str,
    access: Access,
    /// The same call aimed at the demo tenant's data, made by another tenant's user:
    /// the status it must get.
    foreign: Option<(&'static str, u16)>,
}

const SERVER_FNS: &[Entry] = &[
    Entry {
        method: "POST",
        path: "/api/withdraw_plan_change",
        input: "id=00000000-0000-0000-0000-000000000000&application=00000000-0000-0000-0000-000000000000",
        access: Access::Granted(Permission::Subscribe),
        foreign: None,
    },
    Entry {
        method: "POST",
        path: "/api/console_deprecate_version",
        // Refused (a sunset in the past): back to the console, nothing deprecated.
        input: "api=weather-forecast&version=1.1.0&sunset=2000-01-01",
        access: Access::Granted(Permission::PublishApis),
        foreign: None,
    },
    Entry {
        method: "POST",
        path: "/api/console_retire_version",
        // Not confirmed: the console asks first.
        input: "api=weather-forecast&version=1.1.0",
        access: Access::Granted(Permission::PublishApis),
        foreign: None,
    },
    Entry {
        method: "POST",
        path: "/api/change_plan",
        input: "id=00000000-0000-0000-0000-000000000000&application=00000000-0000-0000-0000-000000000000&plan=premium",
        access: Access::Granted(Permission::Subscribe),
        foreign: None,
    },
    Entry {
        method: "POST",
        path: "/api/decide_plan_change",
        input: "id=00000000-0000-0000-0000-000000000000&decision=approve",
        access: Access::Granted(Permission::DecideSubscriptions),
        foreign: None,
    },
    Entry {
        method: "POST",
        path: "/api/load_plans",
        input: "",
        access: Access::Granted(Permission::ReadPlans),
        foreign: None,
    },
    Entry {
        method: "POST",
        path: "/api/load_plan",
        input: "id=00000000-0000-0000-0000-000000000000",
        access: Access::Granted(Permission::ReadPlans),
        foreign: None,
    },
    Entry {
        method: "POST",
        path: "/api/archive_plan",
        input: "id=00000000-0000-0000-0000-000000000000&confirm=no",
        access: Access::Granted(Permission::ManagePlans),
        foreign: None,
    },
    Entry {
        method: "POST",
        path: "/api/search_catalog",
        input: "params[q]=weather",
        access: Access::Public,
        foreign: None,
    },
    Entry {
        method: "POST",
        path: "/api/api_page",
        input: "tenant=demo&api=weather-forecast",
        access: Access::Public,
        foreign: None,
    },
    Entry {
        method: "POST",
        path: "/api/mcp_page",
        input: "server=weather",
        access: Access::Public,
        foreign: None,
    },
    Entry { method: "POST", path: "/api/platform_status", input: "", access: Access::Public, foreign: None },
    Entry {
        method: "POST",
        path: "/api/set_language",
        input: "lang=fr",
        access: Access::Public,
        foreign: None,
    },
    Entry {
        method: "POST",
        path: "/api/login",
        input: "username=nobody&password=wrong",
        access: Access::Public,
        foreign: None,
    },
    Entry {
        method: "POST",
        path: "/api/save_profile",
        input: "language=de",
        access: Access::SignedIn,
        foreign: None,
    },
    Entry {
        method: "POST",
        path: "/api/console_apis",
        input: "",
        access: Access::Granted(Permission::PublishApis),
        foreign: None,
    },
    Entry {
        method: "POST",
        path: "/api/console_form",
        input: "kind=api",
        access: Access::Granted(Permission::PublishApis),
        // Another tenant's API is not there to edit.
        foreign: Some(("kind=api&edit=weather-forecast", 404)),
    },
    Entry {
        method: "POST",
        path: "/api/console_publish_version",
        input: "api=weather-forecast&version=1.1.0",
        access: Access::Granted(Permission::PublishApis),
        foreign: None,
    },
    Entry {
        method: "POST",
        path: "/api/console_deploy_version",
        input: "api=weather-forecast&version=1.1.0&environment=dev",
        access: Access::Granted(Permission::PublishApis),
        foreign: None,
    },
    Entry {
        method: "POST",
        path: "/api/my_applications",
        input: "",
        access: Access::Granted(Permission::ManageOwnApplications),
        foreign: None,
    },
    Entry {
        method: "POST",
        path: "/api/load_onboarding",
        input: "",
        access: Access::Granted(Permission::ManageOwnApplications),
        foreign: None,
    },
    Entry {
        method: "POST",
        path: "/api/load_demo_state",
        input: "",
        access: Access::Granted(Permission::ResetDemo),
        foreign: None,
    },
    Entry {
        method: "POST",
        path: "/api/load_members",
        input: "",
        access: Access::Granted(Permission::ManageMembers),
        foreign: None,
    },
    Entry {
        method: "POST",
        path: "/api/invite_member",
        // Refused (no such role): back to the form, nobody is invited.
        input: "email=matrix%40example.com&role=nobody",
        access: Access::Granted(Permission::ManageMembers),
        foreign: None,
    },
    Entry {
        method: "POST",
        path: "/api/resend_invitation",
        input: "id=00000000-0000-0000-0000-000000000000",
        access: Access::Granted(Permission::ManageMembers),
        foreign: None,
    },
    Entry {
        method: "POST",
        path: "/api/revoke_invitation",
        input: "id=00000000-0000-0000-0000-000000000000&confirm=no",
        access: Access::Granted(Permission::ManageMembers),
        foreign: None,
    },
    Entry {
        method: "POST",
        path: "/api/load_tenants",
        input: "",
        access: Access::Granted(Permission::ManageTenants),
        foreign: None,
    },
    Entry {
        method: "POST",
        path: "/api/load_tenant",
        input: "id=demo",
        access: Access::Granted(Permission::ManageTenants),
        foreign: None,
    },
    Entry {
        method: "POST",
        path: "/api/create_tenant",
        // Refused (a malformed slug): back to the form, no tenant is made.
        input: "slug=-&name=Matrix&admin_email=matrix%40example.com",
        access: Access::Granted(Permission::ManageTenants),
        foreign: None,
    },
    Entry {
        method: "POST",
        path: "/api/load_invitation",
        input: "token=inv_00000000-0000-0000-0000-000000000000",
        access: Access::Public,
        foreign: None,
    },
    Entry {
        method: "POST",
        path: "/api/accept_invitation",
        input: "token=inv_00000000-0000-0000-0000-000000000000&username=matrix&display_name=Matrix&password=matrix-password-1",
        access: Access::Public,
        foreign: None,
    },
    Entry {
        method: "POST",
        path: "/api/reset_demo",
        // Not confirmed: the platform admin gets 422, and the demo stays as it is for the
        // callers after them.
        input: "confirm=no",
        access: Access::Granted(Permission::ResetDemo),
        foreign: None,
    },
    Entry {
        method: "POST",
        path: "/api/load_onboarding_funnel",
        input: "query[days]=30",
        access: Access::Granted(Permission::ViewOnboardingFunnel),
        foreign: None,
    },
    Entry {
        method: "POST",
        path: "/api/onboarding_use_case",
        input: "use_case=rest",
        access: Access::Granted(Permission::ManageOwnApplications),
        foreign: None,
    },
    Entry {
        method: "POST",
        path: "/api/onboarding_application",
        input: "application=new&name=Matrix",
        access: Access::Granted(Permission::ManageOwnApplications),
        foreign: None,
    },
    Entry {
        method: "POST",
        path: "/api/onboarding_subscribe",
        input: "entry=api/demo/weather-forecast&plan=free",
        access: Access::Granted(Permission::ManageOwnApplications),
        foreign: None,
    },
    Entry {
        method: "POST",
        path: "/api/onboarding_leave",
        input: "",
        access: Access::Granted(Permission::ManageOwnApplications),
        foreign: None,
    },
    Entry {
        method: "POST",
        path: "/api/onboarding_restart",
        input: "",
        access: Access::Granted(Permission::ManageOwnApplications),
        foreign: None,
    },
    Entry {
        method: "POST",
        path: "/api/application_page",
        input: "id=new",
        access: Access::Granted(Permission::ManageOwnApplications),
        foreign: None,
    },
    Entry {
        method: "POST",
        path: "/api/save_application",
        input: "name=Matrix&description=&security_profile=api_key&redirect_uris=",
        access: Access::Granted(Permission::ManageOwnApplications),
        foreign: None,
    },
    Entry {
        method: "POST",
        path: "/api/delete_application",
        input: "id=00000000-0000-0000-0000-000000000000",
        access: Access::Granted(Permission::ManageOwnApplications),
        foreign: None,
    },
    Entry {
        method: "POST",
        path: "/api/issue_credential",
        input: "application=00000000-0000-0000-0000-000000000000",
        access: Access::Granted(Permission::ManageOwnApplications),
        foreign: None,
    },
    Entry {
        method: "POST",
        path: "/api/rotate_credential",
        input: "credential=00000000-0000-0000-0000-000000000000",
        access: Access::Granted(Permission::ManageOwnApplications),
        foreign: None,
    },
    Entry {
        method: "POST",
        path: "/api/revoke_credential",
        input: "credential=00000000-0000-0000-0000-000000000000",
        access: Access::Granted(Permission::ManageOwnApplications),
        foreign: None,
    },
    Entry {
        method: "POST",
        path: "/api/try_result",
        input: "token=none",
        access: Access::SignedIn,
        foreign: None,
    },
    Entry {
        method: "POST",
        path: "/api/subscription_queue",
        input: "",
        access: Access::Granted(Permission::DecideSubscriptions),
        foreign: None,
    },
    Entry {
        method: "POST",
        path: "/api/cancel_subscription",
        input: "id=00000000-0000-0000-0000-000000000000",
        access: Access::Granted(Permission::Subscribe),
        foreign: None,
    },
    Entry {
        method: "POST",
        path: "/api/extend_subscription",
        input:
            "id=00000000-0000-0000-0000-000000000000&application=00000000-0000-0000-0000-000000000000&days=1",
        access: Access::Granted(Permission::Subscribe),
        foreign: None,
    },
    Entry {
        method: "POST",
        path: "/api/notifications_page",
        input: "",
        access: Access::SignedIn,
        foreign: None,
    },
    Entry {
        method: "POST",
        path: "/api/unread_notifications",
        input: "",
        access: Access::SignedIn,
        foreign: None,
    },
    Entry {
        method: "POST",
        path: "/api/mark_notification_read",
        input: "id=00000000-0000-0000-0000-000000000000",
        access: Access::SignedIn,
        foreign: None,
    },
    Entry {
        method: "POST",
        path: "/api/mark_all_notifications_read",
        input: "",
        access: Access::SignedIn,
        foreign: None,
    },
    Entry {
        method: "POST",
        path: "/api/promotion_requests",
        input: "page=1&filter[state]=pending",
        access: Access::Granted(Permission::RequestPromotion),
        foreign: None,
    },
    Entry {
        method: "POST",
        path: "/api/promotion_request",
        input: "id=00000000-0000-0000-0000-000000000000",
        access: Access::Granted(Permission::RequestPromotion),
        foreign: None,
    },
    Entry {
        method: "POST",
        path: "/api/promotion_form",
        input: "",
        access: Access::Granted(Permission::RequestPromotion),
        foreign: None,
    },
    Entry {
        method: "POST",
        path: "/api/create_promotion_request",
        input: "target=weather-forecast%400.0.0&justification=short&impact=low",
        access: Access::Granted(Permission::RequestPromotion),
        foreign: None,
    },
    Entry {
        method: "POST",
        path: "/api/move_promotion_request",
        input: "id=00000000-0000-0000-0000-000000000000&action=approve",
        access: Access::Granted(Permission::RequestPromotion),
        foreign: None,
    },
    Entry {
        method: "POST",
        path: "/api/comment_promotion_request",
        input: "id=00000000-0000-0000-0000-000000000000&comment=Hello",
        access: Access::Granted(Permission::RequestPromotion),
        foreign: None,
    },
    Entry {
        method: "POST",
        path: "/api/usage_dashboard",
        input: "query[period]=24h",
        access: Access::Granted(Permission::ViewOwnUsage),
        foreign: None,
    },
    Entry {
        method: "POST",
        path: "/api/console_usage_dashboard",
        input: "query[period]=24h",
        access: Access::Granted(Permission::ViewTenantUsage),
        foreign: None,
    },
    Entry {
        method: "POST",
        path: "/api/audit_trail",
        input: "query[page]=1",
        access: Access::Granted(Permission::ReadAudit),
        foreign: Some(("query[tenant]=demo", 403)),
    },
];

const REST: &[Entry] = &[
    Entry {
        method: "DELETE",
        path: "/v1/subscriptions/{id}/plan-change",
        input: "",
        access: Access::Granted(Permission::Subscribe),
        foreign: None,
    },
    Entry {
        method: "POST",
        path: "/v1/catalog/apis/{tenant}/{api}/versions/{version}/deprecate",
        // Refused (a sunset in the past): nothing is deprecated.
        input: r#"{"sunset": "2000-01-01"}"#,
        access: Access::Granted(Permission::PublishApis),
        foreign: Some((r#"{"sunset": "2099-01-01"}"#, 404)),
    },
    Entry {
        method: "POST",
        path: "/v1/catalog/apis/{tenant}/{api}/versions/{version}/retire",
        // Not confirmed: nothing is retired.
        input: r#"{"confirm": false}"#,
        access: Access::Granted(Permission::PublishApis),
        foreign: Some((r#"{"confirm": true}"#, 404)),
    },
    Entry {
        method: "POST",
        path: "/v1/subscriptions/{id}/plan",
        input: r#"{"plan": "premium"}"#,
        access: Access::Granted(Permission::Subscribe),
        foreign: None,
    },
    Entry {
        method: "POST",
        path: "/v1/subscriptions/{id}/plan-change",
        input: r#"{"decision": "approve"}"#,
        access: Access::Granted(Permission::DecideSubscriptions),
        foreign: None,
    },
    Entry {
        method: "GET",
        path: "/v1/plans",
        input: "",
        access: Access::Granted(Permission::ReadPlans),
        // Another tenant's admin asking for the demo tenant's plans.
        foreign: Some(("tenant=demo", 403)),
    },
    Entry {
        method: "POST",
        path: "/v1/plans",
        // Refused (a malformed slug): no plan is made.
        input: r#"{"slug": "-", "name": "Matrix"}"#,
        access: Access::Granted(Permission::ManagePlans),
        foreign: None,
    },
    Entry {
        method: "GET",
        path: "/v1/plans/{id}",
        input: "",
        access: Access::Granted(Permission::ReadPlans),
        foreign: None,
    },
    Entry {
        method: "PUT",
        path: "/v1/plans/{id}",
        input: r#"{"slug": "matrix", "name": "Matrix"}"#,
        access: Access::Granted(Permission::ManagePlans),
        foreign: None,
    },
    Entry {
        method: "POST",
        path: "/v1/plans/{id}/archive",
        input: "",
        access: Access::Granted(Permission::ManagePlans),
        foreign: None,
    },
    Entry {
        method: "GET",
        path: "/v1/members",
        input: "",
        access: Access::Granted(Permission::ManageMembers),
        foreign: None,
    },
    Entry {
        method: "POST",
        path: "/v1/invitations",
        // Refused (no such role): nobody is invited.
        input: r#"{"email": "matrix@example.com", "role": "nobody"}"#,
        access: Access::Granted(Permission::ManageMembers),
        foreign: None,
    },
    Entry {
        method: "POST",
        path: "/v1/invitations/{id}/resend",
        input: "",
        access: Access::Granted(Permission::ManageMembers),
        foreign: None,
    },
    Entry {
        method: "POST",
        path: "/v1/invitations/{id}/revoke",
        input: r#"{"confirm": false}"#,
        access: Access::Granted(Permission::ManageMembers),
        foreign: None,
    },
    Entry {
        method: "GET",
        path: "/v1/tenants",
        input: "",
        access: Access::Granted(Permission::ManageTenants),
        foreign: None,
    },
    Entry {
        method: "POST",
        path: "/v1/tenants",
        // Refused (a malformed slug): no tenant is made.
        input: r#"{"slug": "-", "name": "Matrix", "admin_email": "matrix@example.com"}"#,
        access: Access::Granted(Permission::ManageTenants),
        foreign: None,
    },
    Entry {
        method: "GET",
        path: "/v1/admin/demo",
        input: "",
        access: Access::Granted(Permission::ResetDemo),
        foreign: None,
    },
    Entry {
        method: "POST",
        path: "/v1/admin/demo/reset",
        input: r#"{"confirm": false}"#,
        access: Access::Granted(Permission::ResetDemo),
        foreign: None,
    },
    Entry {
        method: "POST",
        path: "/v1/catalog/apis",
        input: r#"{"name": "Matrix API", "document": "{\"openapi\": \"3.1.0\", \"info\": {\"title\": \"M\", \"version\": \"0.1.0\"}, \"paths\": {}}"}"#,
        access: Access::Granted(Permission::PublishApis),
        foreign: None,
    },
    Entry {
        method: "GET",
        path: "/v1/catalog/apis",
        input: "q=weather",
        access: Access::Public,
        foreign: None,
    },
    Entry {
        method: "GET",
        path: "/v1/catalog/apis/{tenant}/{api}",
        input: "",
        access: Access::Public,
        foreign: None,
    },
    Entry {
        method: "GET",
        path: "/v1/catalog/apis/{tenant}/{api}/versions/{version}/document",
        input: "",
        access: Access::Public,
        foreign: None,
    },
    Entry { method: "GET", path: "/v1/mcp/servers", input: "", access: Access::Public, foreign: None },
    Entry {
        method: "POST",
        path: "/v1/mcp/servers",
        input: r#"{"name": "Matrix MCP", "tools": [{"name": "ping"}]}"#,
        access: Access::Granted(Permission::PublishApis),
        foreign: None,
    },
    Entry { method: "GET", path: "/v0/servers", input: "", access: Access::Public, foreign: None },
    Entry { method: "GET", path: "/v1/openapi.json", input: "", access: Access::Public, foreign: None },
    Entry { method: "GET", path: "/v1/me", input: "", access: Access::SignedIn, foreign: None },
    Entry {
        method: "GET",
        path: "/v1/me/onboarding",
        input: "",
        access: Access::Granted(Permission::ManageOwnApplications),
        foreign: None,
    },
    Entry {
        method: "POST",
        path: "/v1/me/onboarding",
        input: "",
        access: Access::Granted(Permission::ManageOwnApplications),
        foreign: None,
    },
    Entry {
        method: "DELETE",
        path: "/v1/me/onboarding",
        input: "",
        access: Access::Granted(Permission::ManageOwnApplications),
        foreign: None,
    },
    Entry {
        method: "POST",
        path: "/v1/me/onboarding/use-case",
        input: r#"{"use_case": "rest"}"#,
        access: Access::Granted(Permission::ManageOwnApplications),
        foreign: None,
    },
    Entry {
        method: "POST",
        path: "/v1/me/onboarding/application",
        input: r#"{"name": "Matrix app"}"#,
        access: Access::Granted(Permission::ManageOwnApplications),
        foreign: None,
    },
    Entry {
        method: "POST",
        path: "/v1/me/onboarding/subscription",
        input: r#"{"kind": "api", "tenant": "demo", "slug": "weather-forecast", "plan": "free"}"#,
        access: Access::Granted(Permission::ManageOwnApplications),
        foreign: None,
    },
    Entry {
        method: "GET",
        path: "/v1/admin/onboarding/funnel",
        input: "days=30",
        access: Access::Granted(Permission::ViewOnboardingFunnel),
        foreign: None,
    },
    Entry {
        method: "GET",
        path: "/v1/applications",
        input: "",
        access: Access::Granted(Permission::ManageOwnApplications),
        foreign: None,
    },
    Entry {
        method: "POST",
        path: "/v1/applications",
        input: r#"{"name": "Matrix REST", "security_profile": "api_key"}"#,
        access: Access::Granted(Permission::ManageOwnApplications),
        foreign: None,
    },
    Entry {
        method: "GET",
        path: "/v1/applications/{id}",
        input: "",
        access: Access::Granted(Permission::ManageOwnApplications),
        foreign: None,
    },
    Entry {
        method: "DELETE",
        path: "/v1/applications/{id}",
        input: "",
        access: Access::Granted(Permission::ManageOwnApplications),
        foreign: None,
    },
    Entry {
        method: "POST",
        path: "/v1/applications/{id}/keys",
        input: "{}",
        access: Access::Granted(Permission::ManageOwnApplications),
        foreign: None,
    },
    Entry {
        method: "POST",
        path: "/v1/applications/{id}/keys/{key}/rotate",
        input: "{}",
        access: Access::Granted(Permission::ManageOwnApplications),
        foreign: None,
    },
    Entry {
        method: "DELETE",
        path: "/v1/applications/{id}/keys/{key}",
        input: "",
        access: Access::Granted(Permission::ManageOwnApplications),
        foreign: None,
    },
    Entry {
        method: "POST",
        path: "/v1/keys/verify",
        input: r#"{"key": "stoa_sk_not-a-key-anyone-has"}"#,
        access: Access::Public,
        foreign: None,
    },
    Entry {
        method: "GET",
        path: "/v1/subscriptions",
        input: "",
        access: Access::Granted(Permission::Subscribe),
        foreign: None,
    },
    Entry {
        method: "POST",
        path: "/v1/subscriptions",
        input: r#"{"application_id": "00000000-0000-0000-0000-000000000000", "tenant": "demo", "entry": "weather-forecast", "plan": "free"}"#,
        access: Access::Granted(Permission::Subscribe),
        foreign: None,
    },
    Entry {
        method: "DELETE",
        path: "/v1/subscriptions/{id}",
        input: "",
        access: Access::Granted(Permission::Subscribe),
        foreign: None,
    },
    Entry {
        method: "GET",
        path: "/v1/subscriptions/queue",
        input: "state=pending",
        access: Access::Granted(Permission::DecideSubscriptions),
        foreign: None,
    },
    Entry {
        method: "POST",
        path: "/v1/subscriptions/{id}/decision",
        input: r#"{"action": "approve"}"#,
        access: Access::Granted(Permission::DecideSubscriptions),
        foreign: None,
    },
    Entry {
        method: "GET",
        path: "/v1/mcp/subscriptions",
        input: "",
        access: Access::Granted(Permission::Subscribe),
        foreign: None,
    },
    Entry {
        method: "POST",
        path: "/v1/mcp/subscriptions",
        input: r#"{"server_id": "weather", "plan": "free", "requested_tools": ["no-such-tool"]}"#,
        access: Access::Granted(Permission::Subscribe),
        foreign: None,
    },
    Entry {
        method: "DELETE",
        path: "/v1/mcp/subscriptions/{id}",
        input: "",
        access: Access::Granted(Permission::Subscribe),
        foreign: None,
    },
    Entry {
        method: "POST",
        path: "/v1/mcp/subscriptions/{id}/rotate-key",
        input: "{}",
        access: Access::Granted(Permission::Subscribe),
        foreign: None,
    },
    Entry {
        method: "GET",
        path: "/v1/requests/prod",
        input: "page=1",
        access: Access::Granted(Permission::RequestPromotion),
        foreign: None,
    },
    Entry {
        method: "POST",
        path: "/v1/requests/prod",
        input: r#"{"target_name": "weather-forecast", "target_version": "0.0.0", "justification": "short", "impact": "low"}"#,
        access: Access::Granted(Permission::RequestPromotion),
        foreign: None,
    },
    Entry {
        method: "GET",
        path: "/v1/requests/prod/stats",
        input: "",
        access: Access::Granted(Permission::RequestPromotion),
        foreign: None,
    },
    Entry {
        method: "GET",
        path: "/v1/requests/prod/{id}",
        input: "",
        access: Access::Granted(Permission::RequestPromotion),
        foreign: None,
    },
    Entry {
        method: "POST",
        path: "/v1/requests/prod/{id}/approve",
        input: "{}",
        access: Access::Granted(Permission::DecidePromotions),
        foreign: None,
    },
    Entry {
        method: "POST",
        path: "/v1/requests/prod/{id}/reject",
        input: r#"{"reason": "Not this week, sorry"}"#,
        access: Access::Granted(Permission::DecidePromotions),
        foreign: None,
    },
    Entry {
        method: "POST",
        path: "/v1/requests/prod/{id}/cancel",
        input: "{}",
        access: Access::Granted(Permission::RequestPromotion),
        foreign: None,
    },
    Entry {
        method: "POST",
        path: "/v1/requests/prod/{id}/comments",
        input: r#"{"comment": "Hello"}"#,
        access: Access::Granted(Permission::RequestPromotion),
        foreign: None,
    },
    Entry {
        method: "GET",
        path: "/v1/audit",
        input: "page=1",
        access: Access::Granted(Permission::ReadAudit),
        foreign: Some(("tenant=demo", 403)),
    },
    Entry {
        method: "GET",
        path: "/v1/usage",
        input: "period=1h",
        access: Access::Granted(Permission::ViewOwnUsage),
        foreign: None,
    },
];

/// The demo tenant's personas (seeded), by role.
const PERSONAS: [(&str, Role); 5] = [
    ("alice", Role::Viewer),
    ("dave", Role::Devops),
    ("tara", Role::TenantAdmin),
    ("carl", Role::CpiAdmin),
    ("sam", Role::Security),
];

#[test]
fn every_server_function_and_rest_route_is_in_the_matrix() {
    let key = |m: &str, p: &str| format!("{m} {p}");
    let actual_fns: BTreeSet<String> =
        leptos::server_fn::axum::server_fn_paths().map(|(p, m)| key(m.as_str(), p)).collect();
    let listed_fns: BTreeSet<String> = SERVER_FNS.iter().map(|e| key(e.method, e.path)).collect();
    assert_eq!(actual_fns, listed_fns, "server functions vs the matrix (left: the code)");
    let actual_rest: BTreeSet<String> =
        server::rest::declared().iter().map(|r| key(r.method, r.path)).collect();
    let listed_rest: BTreeSet<String> = REST.iter().map(|e| key(e.method, e.path)).collect();
    assert_eq!(actual_rest, listed_rest, "REST routes vs the matrix (left: the code)");
    // And the code declares the same access the matrix expects.
    for r in server::rest::declared() {
        let entry = REST.iter().find(|e| e.path == r.path && e.method == r.method).expect("listed");
        assert_eq!(r.access, entry.access, "{} {}", r.method, r.path);
    }
}

/// Concrete values for path parameters: demo tenant data every caller may see.
fn concrete(path: &str) -> String {
    path.replace("{tenant}", "demo")
        .replace("{api}", "weather-forecast")
        .replace("{version}", "1.1.0")
        .replace("{id}", NOBODY)
        .replace("{key}", NOBODY)
}

/// An id no one's application or credential has: calls that name it answer 404 to
/// everyone allowed to make them (and 401/403 to the others, first).
const NOBODY: &str = "00000000-0000-0000-0000-000000000000";

async fn call(app: &TestApp, entry: &Entry, input: &str, cookie: Option<&str>) -> TestResponse {
    let path = concrete(entry.path);
    let mut req = match entry.method {
        "GET" => Request::get(if input.is_empty() { path } else { format!("{path}?{input}") }),
        "DELETE" => Request::delete(path),
        "PUT" => Request::put(path).header("content-type", "application/json"),
        _ if input.starts_with('{') => Request::post(path).header("content-type", "application/json"),
        _ => Request::post(path).header("content-type", "application/x-www-form-urlencoded"),
    }
    .header("accept", "application/json");
    if let Some(c) = cookie {
        req = req.header("cookie", c);
    }
    let body =
        if matches!(entry.method, "GET" | "DELETE") { Body::empty() } else { Body::from(input.to_owned()) };
    app.send(req.body(body).expect("request")).await
}

fn names_nobody(entry: &Entry) -> bool {
    entry.path.contains("{id}") || entry.input.contains(NOBODY)
}

/// The status a caller with `roles` (none = visitor) must get.
fn expected(access: Access, roles: Option<&[Role]>) -> Result<(), u16> {
    match (access, roles) {
        (Access::Public, _) => Ok(()),
        (_, None) => Err(401),
        (Access::SignedIn, Some(_)) => Ok(()),
        (Access::Granted(p), Some(roles)) => {
            if roles.iter().any(|r| p.granted_to(*r)) {
                Ok(())
            } else {
                Err(403)
            }
        }
    }
}

async fn cookie_of(app: &TestApp, user: &str) -> String {
    let res = sign_in(app, user, app::service::demo::seed::BETA_PASSWORD, None).await;
    session_cookie(&res).unwrap_or_else(|| panic!("{user} signs in: {} {}", res.status, res.body))
}

#[sqlx::test(migrations = "../migrations")]
async fn every_role_and_a_foreign_tenant_get_what_the_matrix_says(pool: PgPool) {
    app::service::demo::seed::run(&pool).await.expect("seed");
    let app = TestApp::new(pool.clone());
    // Another tenant, with a user holding every tenant-level role there.
    let gina_cookie =
        crate::util::user_in(&app, &pool, "globex", "gina", &[Role::TenantAdmin, Role::Security]).await;

    let mut callers: Vec<(String, Option<Vec<Role>>, Option<String>)> = vec![("visitor".into(), None, None)];
    for (user, role) in PERSONAS {
        callers.push((user.into(), Some(vec![role]), Some(cookie_of(&app, user).await)));
    }
    callers.push((
        "gina (globex)".into(),
        Some(vec![Role::TenantAdmin, Role::Security]),
        Some(gina_cookie.clone()),
    ));

    let mut failures = Vec::new();
    for entry in SERVER_FNS.iter().chain(REST) {
        for (who, roles, cookie) in &callers {
            let res = call(&app, entry, entry.input, cookie.as_deref()).await;
            let got = res.status.as_u16();
            let ok = match expected(entry.access, roles.as_deref()) {
                Ok(()) => got < 400 || got == 422 || (got == 404 && names_nobody(entry)),
                Err(want) => got == want,
            };
            if !ok {
                failures.push(format!("{} {} as {who}: got {got} {}", entry.method, entry.path, res.body));
            }
            assert!(got < 500, "{} {} as {who}: {got} {}", entry.method, entry.path, res.body);
            // Tenant-scoped endpoints (those with a foreign probe) never show demo's rows
            // to globex; the catalog legitimately shows every tenant's public entries.
            if who.starts_with("gina") && entry.foreign.is_some() {
                assert!(
                    !res.body.contains("\"tenant_id\":\"demo\""),
                    "{} {} shows the demo tenant's data to globex: {}",
                    entry.method,
                    entry.path,
                    res.body
                );
            }
        }
        if let Some((input, want)) = entry.foreign {
            let res = call(&app, entry, input, Some(&gina_cookie)).await;
            if res.status.as_u16() != want {
                failures.push(format!(
                    "{} {} aimed at demo by gina: got {} {}",
                    entry.method, entry.path, res.status, res.body
                ));
            }
        }
    }
    assert!(failures.is_empty(), "matrix violations:\n{}", failures.join("\n"));
}

/// The console's multipart publishing form: a visitor is sent to sign in, a role without
/// `PublishApis` is refused, a publisher goes on to the console (or back to the form).
#[sqlx::test(migrations = "../migrations")]
async fn the_publishing_form_route_follows_the_matrix(pool: PgPool) {
    let declared: Vec<(&str, &str, Access)> =
        server::console::declared().iter().map(|r| (r.method, r.path, r.access)).collect();
    assert_eq!(
        declared,
        [
            ("POST", "/console/apis/upload", Access::Granted(Permission::PublishApis)),
            ("POST", "/try-it", Access::SignedIn),
            ("POST", "/subscribe", Access::Granted(Permission::Subscribe)),
            ("POST", "/console/subscriptions/decide", Access::Granted(Permission::DecideSubscriptions)),
            ("POST", "/console/plans/save", Access::Granted(Permission::ManagePlans)),
        ]
    );
    app::service::demo::seed::run(&pool).await.expect("seed");
    let app = TestApp::new(pool);
    let post = |cookie: Option<String>| {
        let (content_type, body) = crate::util::multipart(&[
            ("kind", "mcp"),
            ("name", "Matrix MCP"),
            ("tools", r#"[{"name": "ping"}]"#),
        ]);
        let mut req = Request::post("/console/apis/upload").header("content-type", content_type);
        if let Some(c) = cookie {
            req = req.header("cookie", c);
        }
        req.body(Body::from(body)).expect("request")
    };
    let res = app.send(post(None)).await;
    assert_eq!(res.status, 303);
    assert!(res.header("location").unwrap_or_default().starts_with("/login"), "{:?}", res.header("location"));
    for (user, role) in PERSONAS {
        let res = app.send(post(Some(cookie_of(&app, user).await))).await;
        if Permission::PublishApis.granted_to(role) {
            assert_eq!(res.status, 303, "{user}: {}", res.body);
            assert!(res.header("location").unwrap_or_default().starts_with("/console/"), "{user}");
        } else {
            assert_eq!(res.status, 403, "{user}: {}", res.body);
        }
    }
}

/// The usage and funnel downloads: a visitor is told to sign in, each persona gets the file or a
/// refusal as its roles say.
#[sqlx::test(migrations = "../migrations")]
async fn the_usage_downloads_follow_the_matrix(pool: PgPool) {
    let declared: Vec<(&str, &str, Access)> =
        server::export::declared().iter().map(|r| (r.method, r.path, r.access)).collect();
    assert_eq!(
        declared,
        [
            ("GET", "/usage.csv", Access::Granted(Permission::ViewOwnUsage)),
            ("GET", "/console/usage.csv", Access::Granted(Permission::ViewTenantUsage)),
            ("GET", "/console/onboarding.csv", Access::Granted(Permission::ViewOnboardingFunnel)),
        ]
    );
    app::service::demo::seed::run(&pool).await.expect("seed");
    let app = TestApp::new(pool);
    for (_, path, access) in declared {
        assert_eq!(app.get(path, &[]).await.status, 401, "{path}");
        let Access::Granted(permission) = access else { unreachable!() };
        for (user, role) in PERSONAS {
            let cookie = cookie_of(&app, user).await;
            let res = app.get(path, &[("cookie", &cookie)]).await;
            let want = if permission.granted_to(role) { 200 } else { 403 };
            assert_eq!(res.status.as_u16(), want, "{user} {path}: {}", res.body);
        }
    }
}

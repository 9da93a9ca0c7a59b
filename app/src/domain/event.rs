//! Domain events in their wire form: CloudEvents 1.0 JSON envelopes (DESIGN §4).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The `source` attribute of every event we emit.
pub const EVENT_SOURCE: &str = "/stoa/portal";

/// A Kafka topic of STOA's. Each event type belongs to exactly one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Topic {
    PromotionRequests,
    SubscriptionEvents,
    AppLifecycle,
    ApiLifecycle,
    AuditTrail,
    /// Platform housekeeping (seeding, demo resets): the foundation's own test traffic.
    Platform,
}

impl Topic {
    /// Every topic the relay publishes to and the consumer group reads.
    pub const ALL: [Topic; 6] = [
        Topic::PromotionRequests,
        Topic::SubscriptionEvents,
        Topic::AppLifecycle,
        Topic::ApiLifecycle,
        Topic::AuditTrail,
        Topic::Platform,
    ];

    /// The topic's name on the broker.
    pub fn as_str(self) -> &'static str {
        match self {
            Topic::PromotionRequests => "stoa.promotion.requests",
            Topic::SubscriptionEvents => "stoa.subscription.events",
            Topic::AppLifecycle => "stoa.app.lifecycle",
            Topic::ApiLifecycle => "stoa.api.lifecycle",
            Topic::AuditTrail => "stoa.audit.trail",
            Topic::Platform => "stoa.platform.events",
        }
    }

    /// Looks a topic up by its broker name.
    pub fn parse(name: &str) -> Option<Topic> {
        Topic::ALL.into_iter().find(|t| t.as_str() == name)
    }
}

/// Event types.
pub mod types {
    /// Written by the seed once per run: proves the outbox → relay → consumer path.
    pub const DEMO_TENANT_SEEDED: &str = "dev.gostoa.platform.demo-tenant-seeded";
    /// `stoa.platform.events`: the demo tenant was reset to its dataset.
    pub const DEMO_TENANT_RESET: &str = "dev.gostoa.platform.demo-tenant-reset";
    /// `stoa.api.lifecycle`: an API entered the catalog.
    pub const API_CREATED: &str = "dev.gostoa.api.api-created";
    /// `stoa.api.lifecycle`: an API's entry (metadata) changed.
    pub const API_UPDATED: &str = "dev.gostoa.api.api-updated";
    /// `stoa.api.lifecycle`: a version of an API was published.
    pub const API_VERSION_PUBLISHED: &str = "dev.gostoa.api.api-version-published";
    /// `stoa.api.lifecycle`: a tenant's team made a plan.
    pub const PLAN_CREATED: &str = "dev.gostoa.api.plan-created";
    /// `stoa.api.lifecycle`: a plan changed (`data.limits_changed`: its subscribers are told).
    pub const PLAN_UPDATED: &str = "dev.gostoa.api.plan-updated";
    /// `stoa.api.lifecycle`: a plan takes no new subscriptions.
    pub const PLAN_ARCHIVED: &str = "dev.gostoa.api.plan-archived";
    /// `stoa.api.lifecycle`: a version was deprecated (its sunset and successor in `data`).
    pub const API_VERSION_DEPRECATED: &str = "dev.gostoa.api.api-version-deprecated";
    /// `stoa.api.lifecycle`: a version was retired (the gateway answers 410 for it).
    pub const API_VERSION_RETIRED: &str = "dev.gostoa.api.api-version-retired";
    /// `stoa.app.lifecycle`: an application was created.
    pub const APP_CREATED: &str = "dev.gostoa.app.app-created";
    /// `stoa.app.lifecycle`: an application's details changed, or a credential was issued
    /// or revoked.
    pub const APP_UPDATED: &str = "dev.gostoa.app.app-updated";
    /// `stoa.app.lifecycle`: an application was deleted (its credentials and
    /// subscriptions revoked first).
    pub const APP_DELETED: &str = "dev.gostoa.app.app-deleted";
    /// `stoa.app.lifecycle`: a secret was rotated (the previous one works until its grace
    /// period ends).
    pub const APP_SECRET_ROTATED: &str = "dev.gostoa.app.app-secret-rotated";
    /// `stoa.subscription.events`: a subscription was asked for (active at once, or
    /// pending an approver's decision).
    pub const SUBSCRIPTION_CREATED: &str = "dev.gostoa.subscription.created";
    pub const SUBSCRIPTION_APPROVED: &str = "dev.gostoa.subscription.approved";
    pub const SUBSCRIPTION_REJECTED: &str = "dev.gostoa.subscription.rejected";
    pub const SUBSCRIPTION_SUSPENDED: &str = "dev.gostoa.subscription.suspended";
    pub const SUBSCRIPTION_REACTIVATED: &str = "dev.gostoa.subscription.reactivated";
    /// Revoked by an approver, cancelled by the subscriber, or gone with its application
    /// (`data.action` says which).
    pub const SUBSCRIPTION_REVOKED: &str = "dev.gostoa.subscription.revoked";
    pub const SUBSCRIPTION_EXPIRED: &str = "dev.gostoa.subscription.expired";
    /// The subscriber pushed a subscription's end further (within the plan's limit).
    pub const SUBSCRIPTION_EXTENDED: &str = "dev.gostoa.subscription.extended";
    /// `stoa.promotion.requests`: a production promotion was requested.
    pub const REQUEST_CREATED: &str = "dev.gostoa.promotion.request-created";
    pub const REQUEST_APPROVED: &str = "dev.gostoa.promotion.request-approved";
    pub const REQUEST_REJECTED: &str = "dev.gostoa.promotion.request-rejected";
    pub const REQUEST_CANCELLED: &str = "dev.gostoa.promotion.request-cancelled";
    pub const REQUEST_COMMENTED: &str = "dev.gostoa.promotion.request-commented";
    pub const DEPLOYMENT_STARTED: &str = "dev.gostoa.promotion.deployment-started";
    pub const DEPLOYMENT_SUCCEEDED: &str = "dev.gostoa.promotion.deployment-succeeded";
    pub const DEPLOYMENT_FAILED: &str = "dev.gostoa.promotion.deployment-failed";
    /// `stoa.platform.events`: someone was invited into a tenant (or sent a new link).
    pub const MEMBER_INVITED: &str = "dev.gostoa.platform.member-invited";
    /// `stoa.platform.events`: an invitation was taken back.
    pub const INVITATION_REVOKED: &str = "dev.gostoa.platform.invitation-revoked";
    /// `stoa.platform.events`: an invited person made their account.
    pub const MEMBER_JOINED: &str = "dev.gostoa.platform.member-joined";
    /// `stoa.platform.events`: a platform admin created a tenant.
    pub const TENANT_CREATED: &str = "dev.gostoa.platform.tenant-created";
    /// `stoa.subscription.events`: a subscription moved to another plan (`data.action`:
    /// `change` by its subscriber, `approve` by an approver).
    pub const SUBSCRIPTION_PLAN_CHANGED: &str = "dev.gostoa.subscription.plan-changed";
    /// A subscriber asked to move to a plan that needs an approver.
    pub const SUBSCRIPTION_PLAN_CHANGE_REQUESTED: &str = "dev.gostoa.subscription.plan-change-requested";
    /// An approver refused a move to another plan (the old plan stays).
    pub const SUBSCRIPTION_PLAN_CHANGE_REJECTED: &str = "dev.gostoa.subscription.plan-change-rejected";
    /// The subscriber took back a move to another plan that waited for an approver.
    pub const SUBSCRIPTION_PLAN_CHANGE_WITHDRAWN: &str = "dev.gostoa.subscription.plan-change-withdrawn";
    /// The key of an MCP subscription was rotated.
    pub const SUBSCRIPTION_KEY_ROTATED: &str = "dev.gostoa.subscription.key_rotated";
}

/// Audit action names (`<resource>.<what>`): what the audit trail calls each change. The
/// state machines name their transitions' actions themselves (`Action::audit_action`).
pub mod actions {
    pub const DEMO_RESET: &str = "demo.reset";
    pub const MEMBER_INVITED: &str = "members.invited";
    pub const INVITATION_RESENT: &str = "members.invitation-resent";
    pub const INVITATION_REVOKED: &str = "members.invitation-revoked";
    pub const MEMBER_JOINED: &str = "members.joined";
    pub const TENANT_CREATED: &str = "tenants.created";
    pub const SUBSCRIPTION_PLAN_CHANGED: &str = "subscriptions.plan-changed";
    pub const SUBSCRIPTION_PLAN_CHANGE_REQUESTED: &str = "subscriptions.plan-change-requested";
    pub const SUBSCRIPTION_PLAN_CHANGE_REJECTED: &str = "subscriptions.plan-change-rejected";
    pub const SUBSCRIPTION_PLAN_CHANGE_WITHDRAWN: &str = "subscriptions.plan-change-withdrawn";
    pub const API_VERSION_DEPRECATED: &str = "catalog.api-version-deprecated";
    pub const API_VERSION_RETIRED: &str = "catalog.api-version-retired";
    pub const PLAN_CREATED: &str = "plans.created";
    pub const PLAN_UPDATED: &str = "plans.updated";
    pub const PLAN_ARCHIVED: &str = "plans.archived";
    pub const SIGN_IN: &str = "auth.sign-in";
    pub const SIGN_IN_FAILED: &str = "auth.sign-in-failed";
    pub const SIGN_IN_THROTTLED: &str = "auth.sign-in-throttled";
    pub const SIGN_OUT: &str = "auth.sign-out";
    pub const APP_CREATED: &str = "apps.created";
    pub const APP_UPDATED: &str = "apps.updated";
    pub const APP_DELETED: &str = "apps.deleted";
    pub const CREDENTIAL_ISSUED: &str = "apps.credential-issued";
    pub const CREDENTIAL_ROTATED: &str = "apps.credential-rotated";
    pub const CREDENTIAL_REVOKED: &str = "apps.credential-revoked";
    pub const SUBSCRIPTION_CREATED: &str = "subscriptions.created";
    pub const SUBSCRIPTION_EXTENDED: &str = "subscriptions.extended";
    pub const SUBSCRIPTION_KEY_ROTATED: &str = "subscriptions.key-rotated";
    pub const REQUEST_CREATED: &str = "requests.created";
    pub const REQUEST_COMMENTED: &str = "requests.commented";
    pub const API_VERSION_STORED: &str = "catalog.api-version-stored";
    pub const API_VERSION_PUBLISHED: &str = "catalog.api-version-published";
    pub const API_VERSION_DEPLOYED: &str = "catalog.api-version-deployed";
    pub const MCP_SERVER_STORED: &str = "catalog.mcp-server-stored";
}

/// A CloudEvents 1.0 envelope with a JSON `data` payload and our `tenantid` extension.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CloudEvent {
    pub specversion: String,
    pub id: Uuid,
    pub source: String,
    #[serde(rename = "type")]
    pub event_type: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    pub time: DateTime<Utc>,
    pub datacontenttype: String,
    pub tenantid: String,
    pub data: serde_json::Value,
}

impl CloudEvent {
    /// A new event with a fresh time-ordered id, stamped now.
    pub fn new(
        event_type: &str,
        tenant_id: &str,
        subject: Option<String>,
        data: serde_json::Value,
    ) -> CloudEvent {
        CloudEvent {
            specversion: "1.0".to_owned(),
            id: Uuid::now_v7(),
            source: EVENT_SOURCE.to_owned(),
            event_type: event_type.to_owned(),
            subject,
            time: Utc::now(),
            datacontenttype: "application/json".to_owned(),
            tenantid: tenant_id.to_owned(),
            data,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serializes_as_cloudevents_json() {
        let ev = CloudEvent::new(
            types::DEMO_TENANT_SEEDED,
            "demo",
            Some("tenant/demo".into()),
            serde_json::json!({"k": 1}),
        );
        let json = serde_json::to_value(&ev).expect("serializable");
        for attr in
            ["specversion", "id", "source", "type", "subject", "time", "datacontenttype", "tenantid", "data"]
        {
            assert!(json.get(attr).is_some(), "missing {attr}");
        }
        assert_eq!(json["specversion"], "1.0");
        assert_eq!(json["type"], types::DEMO_TENANT_SEEDED);
        let back: CloudEvent = serde_json::from_value(json).expect("round trip");
        assert_eq!(back, ev);
    }

    #[test]
    fn topics_round_trip_by_name() {
        for t in Topic::ALL {
            assert_eq!(Topic::parse(t.as_str()), Some(t));
        }
        assert_eq!(Topic::parse("stoa.unknown"), None);
    }
}

//! The demo catalog `make run` starts with: 12 APIs over 3 tenants with real-looking
//! OpenAPI documents (several versions, tags, `$ref`d schemas; some YAML, some JSON) —
//! three of them served by the live backends of [`super::BACKENDS`], which also bring
//! their MCP servers. `service::demo::seed` publishes them through the publishers' path.

use crate::domain::catalog::{Audience, AuthType};
use crate::domain::openapi::Format;
use serde_json::{json, Map, Value};

/// The demo tenants besides `demo`.
pub const TENANTS: [(&str, &str); 2] = [("oasis", "Oasis Logistics"), ("helios", "Helios Energy")];

/// One resource of a generated API: its path segment, display name and fields.
pub struct Resource {
    pub path: &'static str,
    pub singular: &'static str,
    pub fields: &'static [(&'static str, &'static str)],
}

/// A demo API: where it lives and what it offers.
pub struct DemoApi {
    pub tenant: &'static str,
    pub slug: &'static str,
    pub name: &'static str,
    pub description: &'static str,
    pub category: &'static str,
    pub tags: &'static [&'static str],
    pub audience: Audience,
    pub auth: AuthType,
    pub resources: &'static [Resource],
    /// Versions, oldest first; the last one is the published current one.
    pub versions: &'static [&'static str],
    /// A newer version published and running in dev and staging only: what the demo's
    /// API team asks to promote to production.
    pub candidate: Option<&'static str>,
    pub format: Format,
}

/// A [`Resource`], short.
pub const fn r(
    path: &'static str,
    singular: &'static str,
    fields: &'static [(&'static str, &'static str)],
) -> Resource {
    Resource { path, singular, fields }
}

/// Slug of the portal's own REST API in the demo tenant's catalog (published by the
/// server from its route table; the demo's reset keeps it).
pub const OWN_API_SLUG: &str = "stoa-portal-api";

/// The demo APIs without a live backend: their documents are generated from their
/// resources, their servers are nowhere.
pub const GENERATED: &[DemoApi] = &[
    DemoApi {
        tenant: "demo",
        slug: "notifications",
        name: "Notifications API",
        description:
            "Send e-mail, SMS and push notifications from one call, with templates and delivery receipts.",
        category: "messaging",
        tags: &["email", "sms", "push"],
        audience: Audience::Public,
        auth: AuthType::ApiKey,
        resources: &[
            r("messages", "Message", &[("channel", "string"), ("to", "string"), ("template", "string")]),
            r("templates", "Template", &[("name", "string"), ("body", "string")]),
        ],
        versions: &["1.0.0"],
        candidate: None,
        format: Format::Json,
    },
    DemoApi {
        tenant: "oasis",
        slug: "shipment-tracking",
        name: "Shipment Tracking API",
        description:
            "Where is my parcel? Tracking events from pickup to delivery, with estimated arrival times.",
        category: "logistics",
        tags: &["tracking", "parcels", "eta"],
        audience: Audience::Public,
        auth: AuthType::ApiKey,
        resources: &[
            r(
                "shipments",
                "Shipment",
                &[("tracking_number", "string"), ("status", "string"), ("eta", "string")],
            ),
            r("events", "TrackingEvent", &[("shipment_id", "string"), ("kind", "string"), ("at", "string")]),
        ],
        versions: &["1.0.0", "1.1.0", "2.0.0"],
        candidate: None,
        format: Format::Yaml,
    },
    DemoApi {
        tenant: "oasis",
        slug: "fleet-telemetry",
        name: "Fleet Telemetry API",
        description: "Positions, fuel levels and driving hours of the truck fleet, every 30 seconds.",
        category: "logistics",
        tags: &["fleet", "telemetry", "iot"],
        audience: Audience::Internal,
        auth: AuthType::OAuth2,
        resources: &[
            r("vehicles", "Vehicle", &[("plate", "string"), ("model", "string")]),
            r("positions", "Position", &[("vehicle_id", "string"), ("lat", "number"), ("lon", "number")]),
        ],
        versions: &["0.9.0"],
        candidate: None,
        format: Format::Json,
    },
    DemoApi {
        tenant: "oasis",
        slug: "warehouse-inventory",
        name: "Warehouse Inventory API",
        description: "Stock levels, reservations and transfers across our warehouses, for partner retailers.",
        category: "logistics",
        tags: &["inventory", "stock", "warehouse"],
        audience: Audience::Partner,
        auth: AuthType::OAuth2,
        resources: &[
            r("items", "StockItem", &[("sku", "string"), ("quantity", "integer"), ("warehouse", "string")]),
            r("reservations", "Reservation", &[("sku", "string"), ("quantity", "integer")]),
        ],
        versions: &["1.0.0"],
        candidate: None,
        format: Format::Yaml,
    },
    DemoApi {
        tenant: "oasis",
        slug: "customs-declarations",
        name: "Customs Declarations API",
        description:
            "Prepare and file customs declarations for international shipments; duty and tax estimates.",
        category: "compliance",
        tags: &["customs", "duties", "trade"],
        audience: Audience::Public,
        auth: AuthType::ApiKey,
        resources: &[
            r(
                "declarations",
                "Declaration",
                &[("shipment_id", "string"), ("hs_code", "string"), ("value", "number")],
            ),
            r(
                "estimates",
                "DutyEstimate",
                &[("hs_code", "string"), ("country", "string"), ("duty", "number")],
            ),
        ],
        versions: &["1.0.0"],
        candidate: None,
        format: Format::Json,
    },
    DemoApi {
        tenant: "helios",
        slug: "energy-metering",
        name: "Energy Metering API",
        description: "Half-hourly smart-meter readings for electricity and gas, with consent management.",
        category: "energy",
        tags: &["metering", "smart-meter", "consumption"],
        audience: Audience::Public,
        auth: AuthType::OAuth2,
        resources: &[
            r("meters", "Meter", &[("mpan", "string"), ("kind", "string")]),
            r("readings", "Reading", &[("meter_id", "string"), ("kwh", "number"), ("at", "string")]),
        ],
        versions: &["1.0.0", "1.2.0"],
        candidate: None,
        format: Format::Yaml,
    },
    DemoApi {
        tenant: "helios",
        slug: "grid-status",
        name: "Grid Status API",
        description: "Live frequency, load and outages of the distribution grid, by region.",
        category: "energy",
        tags: &["grid", "outages", "realtime"],
        audience: Audience::Public,
        auth: AuthType::None,
        resources: &[
            r("regions", "Region", &[("name", "string"), ("load_mw", "number")]),
            r("outages", "Outage", &[("region_id", "string"), ("customers", "integer"), ("since", "string")]),
        ],
        versions: &["1.0.0"],
        candidate: None,
        format: Format::Json,
    },
    DemoApi {
        tenant: "helios",
        slug: "billing",
        name: "Billing API",
        description: "Invoices, tariffs and payment plans of energy customers, for partner comparison sites.",
        category: "payments",
        tags: &["invoices", "tariffs", "billing"],
        audience: Audience::Partner,
        auth: AuthType::OAuth2,
        resources: &[
            r("invoices", "Invoice", &[("customer_id", "string"), ("total", "number"), ("due", "string")]),
            r("tariffs", "Tariff", &[("name", "string"), ("unit_rate", "number")]),
        ],
        versions: &["2.1.0"],
        candidate: None,
        format: Format::Yaml,
    },
    DemoApi {
        tenant: "helios",
        slug: "carbon-intensity",
        name: "Carbon Intensity API",
        description:
            "Forecast of grams of CO₂ per kWh for the next 48 hours, to shift consumption to greener hours.",
        category: "energy",
        tags: &["carbon", "forecast", "sustainability"],
        audience: Audience::Public,
        auth: AuthType::None,
        resources: &[r(
            "intensity",
            "Intensity",
            &[("from", "string"), ("to", "string"), ("gco2_per_kwh", "number")],
        )],
        versions: &["1.0.0"],
        candidate: None,
        format: Format::Json,
    },
];

/// Every demo API: those of the live backends, then the generated ones.
pub fn apis() -> impl Iterator<Item = &'static DemoApi> + Clone {
    super::BACKENDS.iter().map(|b| &b.api).chain(GENERATED)
}

/// Where the seed runs a version of a demo API, and in which status.
pub struct Placement {
    pub version: &'static str,
    pub environments: &'static [&'static str],
    pub status: &'static str,
}

impl DemoApi {
    /// Its versions as seeded, oldest first: older ones deprecated in prod, the current
    /// one published everywhere, the candidate published in dev and staging only.
    pub fn placements(&self) -> impl Iterator<Item = Placement> + '_ {
        let last = self.versions.len() - 1;
        let released = self.versions.iter().enumerate().map(move |(i, version)| match i == last {
            true => Placement { version, environments: &["dev", "staging", "prod"], status: "published" },
            false => Placement { version, environments: &["prod"], status: "deprecated" },
        });
        let candidate = self.candidate.map(|version| Placement {
            version,
            environments: &["dev", "staging"],
            status: "published",
        });
        released.chain(candidate)
    }

    /// Whether `version` is served by a live demo backend (the current one and the candidate).
    pub fn live(&self, version: &str) -> bool {
        self.versions.last() == Some(&version) || self.candidate == Some(version)
    }
}

/// `weather` → `Weather`.
pub fn title_case(s: &str) -> String {
    let mut c = s.chars();
    c.next().map(|f| f.to_uppercase().collect::<String>() + c.as_str()).unwrap_or_default()
}

/// A realistic OpenAPI 3.1 document: list / create / read / update / delete per resource,
/// schemas under `components` referenced with `$ref`, error responses, one server per
/// environment.
pub fn spec(api: &DemoApi, version: &str) -> Value {
    // An API of a live backend: its current version and its candidate are the backend's.
    if let Some(backend) = super::serving(api.slug).filter(|_| api.live(version)) {
        return (backend.document)(version, api.description);
    }
    let base =
        |env: &str| format!("https://{env}{}.{}.stoa.example/v{}", api.slug, api.tenant, &version[..1]);
    let mut paths = Map::new();
    let mut schemas = Map::new();
    schemas.insert(
        "Error".into(),
        json!({ "type": "object", "required": ["code", "message"],
                "properties": { "code": { "type": "string", "example": "not_found" },
                                "message": { "type": "string" } } }),
    );
    for res in api.resources {
        let mut props = Map::new();
        props.insert("id".into(), json!({ "type": "string", "format": "uuid", "readOnly": true }));
        for (name, ty) in res.fields {
            props.insert((*name).into(), json!({ "type": ty, "description": format!("The {}'s {}.", res.singular.to_lowercase(), name.replace('_', " ")) }));
        }
        let required: Vec<&str> = res.fields.iter().take(2).map(|(n, _)| *n).collect();
        schemas.insert(
            res.singular.into(),
            json!({ "type": "object", "required": required, "properties": props }),
        );
        let one = json!({ "$ref": format!("#/components/schemas/{}", res.singular) });
        let tag = title_case(res.path);
        let err = |d: &str| json!({ "description": d, "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } });
        let id_param = json!({ "name": "id", "in": "path", "required": true, "schema": { "type": "string", "format": "uuid" } });
        paths.insert(
            format!("/{}", res.path),
            json!({
                "get": {
                    "operationId": format!("list{}", title_case(res.path)),
                    "summary": format!("List {}", res.path.replace('-', " ")),
                    "tags": [tag],
                    "parameters": [
                        { "name": "limit", "in": "query", "schema": { "type": "integer", "minimum": 1, "maximum": 100, "default": 20 } },
                        { "name": "cursor", "in": "query", "description": "Opaque cursor from the previous page.", "schema": { "type": "string" } }
                    ],
                    "responses": {
                        "200": { "description": "A page of results.", "content": { "application/json": { "schema": {
                            "type": "object", "properties": { "items": { "type": "array", "items": one }, "next_cursor": { "type": "string" } } } } } },
                        "401": err("Missing or invalid credentials.")
                    }
                },
                "post": {
                    "operationId": format!("create{}", res.singular),
                    "summary": format!("Create a {}", res.singular.to_lowercase()),
                    "tags": [tag],
                    "requestBody": { "required": true, "content": { "application/json": { "schema": one } } },
                    "responses": {
                        "201": { "description": "Created.", "content": { "application/json": { "schema": one } } },
                        "422": err("Some fields are invalid.")
                    }
                }
            }),
        );
        paths.insert(
            format!("/{}/{{id}}", res.path),
            json!({
                "parameters": [id_param],
                "get": {
                    "operationId": format!("get{}", res.singular),
                    "summary": format!("Get one {}", res.singular.to_lowercase()),
                    "tags": [tag],
                    "responses": {
                        "200": { "description": "Found.", "content": { "application/json": { "schema": one } } },
                        "404": err("No such resource.")
                    }
                },
                "patch": {
                    "operationId": format!("update{}", res.singular),
                    "summary": format!("Update a {}", res.singular.to_lowercase()),
                    "tags": [tag],
                    "requestBody": { "required": true, "content": { "application/json": { "schema": one } } },
                    "responses": { "200": { "description": "Updated.", "content": { "application/json": { "schema": one } } } }
                },
                "delete": {
                    "operationId": format!("delete{}", res.singular),
                    "summary": format!("Delete a {}", res.singular.to_lowercase()),
                    "tags": [tag],
                    "responses": { "204": { "description": "Deleted." }, "404": err("No such resource.") }
                }
            }),
        );
    }
    let security = match api.auth {
        AuthType::None => json!({}),
        AuthType::ApiKey => json!({ "apiKey": { "type": "apiKey", "in": "header", "name": "X-API-Key" } }),
        AuthType::OAuth2 => json!({ "oauth2": { "type": "oauth2", "flows": { "clientCredentials": {
            "tokenUrl": "https://auth.stoa.example/token", "scopes": { "read": "Read access", "write": "Write access" } } } } }),
    };
    json!({
        "openapi": "3.1.0",
        "info": { "title": api.name, "version": version, "description": api.description },
        "servers": [
            { "url": base(""), "description": "Production" },
            { "url": base("staging."), "description": "Staging" },
            { "url": base("dev."), "description": "Development" }
        ],
        "tags": api.resources.iter().map(|r| json!({ "name": title_case(r.path) })).collect::<Vec<_>>(),
        "paths": paths,
        "components": { "schemas": schemas, "securitySchemes": security }
    })
}

/// The document as a publisher would upload it, in the API's format.
pub fn document(api: &DemoApi, version: &str) -> String {
    let spec = spec(api, version);
    match api.format {
        Format::Json => serde_json::to_string_pretty(&spec).unwrap_or_default(),
        Format::Yaml => serde_norway::to_string(&spec).unwrap_or_default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::openapi;

    #[test]
    fn every_demo_document_is_valid_in_its_format() {
        for api in apis() {
            for v in api.placements().map(|p| p.version) {
                let raw = document(api, v);
                let doc = openapi::parse(raw.as_bytes()).unwrap_or_else(|e| panic!("{} {v}: {e}", api.slug));
                assert_eq!(doc.format, api.format);
                if doc.servers.len() == 1 && doc.servers[0].starts_with("/demo-backends/") {
                    // A live demo backend's document: its own operations, one server.
                    assert!(!doc.operations.is_empty(), "{} {v}", api.slug);
                    continue;
                }
                assert_eq!(doc.operations.len(), api.resources.len() * 5);
                assert_eq!(doc.servers.len(), 3);
            }
        }
        assert_eq!(apis().count(), 12);
        let tenants: std::collections::BTreeSet<_> = apis().map(|a| a.tenant).collect();
        assert_eq!(tenants.len(), 3);
    }
}

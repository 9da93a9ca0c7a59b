//! A synthetic catalog for benchmarks (`make bench`): N APIs of 5 operations each over 20
//! tenants, with names and descriptions drawn from a fixed vocabulary (deterministic), and
//! one API whose OpenAPI document is several megabytes. Published through the
//! publishers' path, as uploads are.

use app::db::scope::{self, Scope};
use app::domain::catalog::{Audience, AuthType};
use app::domain::demo::catalog::title_case;
use app::error::AppError;
use app::model::publishing::{Metadata, PublishRequest};
use app::service::publishing::{publish_in, Publisher};
use serde_json::{json, Map};
use sqlx::PgPool;

const WORDS: &[&str] = &[
    "account",
    "address",
    "alert",
    "analytics",
    "asset",
    "audit",
    "balance",
    "billing",
    "booking",
    "carbon",
    "cart",
    "catalog",
    "claim",
    "client",
    "contract",
    "customer",
    "delivery",
    "device",
    "document",
    "energy",
    "event",
    "fleet",
    "forecast",
    "fraud",
    "grid",
    "health",
    "identity",
    "inventory",
    "invoice",
    "journey",
    "ledger",
    "loan",
    "location",
    "loyalty",
    "market",
    "media",
    "meter",
    "notification",
    "order",
    "parcel",
    "partner",
    "payment",
    "payroll",
    "policy",
    "portfolio",
    "price",
    "product",
    "quote",
    "rate",
    "refund",
    "report",
    "reservation",
    "risk",
    "route",
    "sensor",
    "settlement",
    "shipment",
    "stock",
    "subscription",
    "supplier",
    "tariff",
    "tax",
    "ticket",
    "trade",
    "transfer",
    "travel",
    "vehicle",
    "wallet",
    "warehouse",
    "weather",
];
const CATEGORIES: &[&str] =
    &["payments", "logistics", "energy", "crm", "weather", "finance", "health", "travel"];
pub const BENCH_TENANTS: usize = 20;

/// A small deterministic generator (xorshift), so every run builds the same catalog.
pub(crate) struct Rng(pub(crate) u64);
impl Rng {
    pub(crate) fn next(&mut self) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 >> 11) as usize
    }
    fn word(&mut self) -> &'static str {
        WORDS[self.next() % WORDS.len()]
    }
}

/// One synthetic API document: one resource, five operations.
fn document(name: &str, resource: &str, version: &str) -> String {
    let schema = title_case(resource);
    let one = json!({ "$ref": format!("#/components/schemas/{schema}") });
    let spec = json!({
        "openapi": "3.1.0",
        "info": { "title": name, "version": version },
        "servers": [{ "url": format!("https://{resource}.bench.stoa.example/v1") }],
        "paths": {
            format!("/{resource}s"): {
                "get": { "operationId": format!("list{schema}s"), "summary": format!("List {resource}s"), "tags": [schema],
                         "responses": { "200": { "description": "OK", "content": { "application/json": { "schema": { "type": "array", "items": one } } } } } },
                "post": { "operationId": format!("create{schema}"), "summary": format!("Create a {resource}"), "tags": [schema],
                          "requestBody": { "content": { "application/json": { "schema": one } } },
                          "responses": { "201": { "description": "Created" } } }
            },
            format!("/{resource}s/{{id}}"): {
                "parameters": [{ "name": "id", "in": "path", "required": true, "schema": { "type": "string" } }],
                "get": { "operationId": format!("get{schema}"), "summary": format!("Get a {resource}"), "tags": [schema], "responses": { "200": { "description": "OK", "content": { "application/json": { "schema": one } } } } },
                "put": { "operationId": format!("replace{schema}"), "summary": format!("Replace a {resource}"), "tags": [schema], "responses": { "200": { "description": "OK" } } },
                "delete": { "operationId": format!("delete{schema}"), "summary": format!("Delete a {resource}"), "tags": [schema], "responses": { "204": { "description": "Deleted" } } }
            }
        },
        "components": { "schemas": { schema: { "type": "object", "properties": {
            "id": { "type": "string" }, "name": { "type": "string" }, "amount": { "type": "number" } } } } }
    });
    serde_json::to_string(&spec).unwrap_or_default()
}

/// A document of at least `min_bytes`: many resources with CRUD operations and schemas
/// of twenty fields each.
pub fn big_document(min_bytes: usize) -> String {
    let mut paths = Map::new();
    let mut schemas = Map::new();
    let mut i = 0;
    let mut size = 0;
    while size < min_bytes {
        let resource = format!("{}{i}", WORDS[i % WORDS.len()]);
        let schema = title_case(&resource);
        let mut props = Map::new();
        for f in 0..20 {
            props.insert(
                format!("field_{f}"),
                json!({ "type": if f % 3 == 0 { "number" } else { "string" }, "description": format!("Field {f} of the {resource}, as the upstream system records it.") }),
            );
        }
        props.insert(
            "owner".into(),
            json!({ "$ref": format!("#/components/schemas/{}", title_case(&format!("{}{}", WORDS[0], 0))) }),
        );
        schemas.insert(
            schema.clone(),
            json!({ "type": "object", "required": ["field_0", "field_1"], "properties": props }),
        );
        let one = json!({ "$ref": format!("#/components/schemas/{schema}") });
        let item = json!({
            "get": { "operationId": format!("list{schema}"), "summary": format!("List {resource} records"), "tags": [title_case(WORDS[i % WORDS.len()])],
                     "parameters": [{ "name": "limit", "in": "query", "schema": { "type": "integer" } }, { "name": "cursor", "in": "query", "schema": { "type": "string" } }],
                     "responses": { "200": { "description": "A page", "content": { "application/json": { "schema": { "type": "array", "items": one } } } } } },
            "post": { "operationId": format!("create{schema}"), "summary": format!("Create a {resource} record"), "tags": [title_case(WORDS[i % WORDS.len()])],
                      "requestBody": { "content": { "application/json": { "schema": one } } },
                      "responses": { "201": { "description": "Created", "content": { "application/json": { "schema": one } } } } }
        });
        // Pretty-printed size of the item and its schema, roughly.
        size += (item.to_string().len() + schemas[&schema].to_string().len()) * 3 / 2;
        paths.insert(format!("/{resource}"), item);
        i += 1;
    }
    let spec = json!({
        "openapi": "3.1.0",
        "info": { "title": "Enterprise Data Hub", "version": "1.0.0", "description": "A very large API, for benchmarks." },
        "servers": [{ "url": "https://hub.bench.stoa.example/v1" }],
        "paths": paths,
        "components": { "schemas": schemas }
    });
    serde_json::to_string_pretty(&spec).unwrap_or_default()
}

/// Publishes `document` in prod for `tenant`, by the bench (a version already there is
/// left as it is).
async fn publish(
    tx: &mut sqlx::PgConnection,
    tenant: &str,
    meta: Metadata,
    document: String,
) -> Result<(), sqlx::Error> {
    let req = PublishRequest { meta, document, publish: true, environments: vec!["prod".into()] };
    match publish_in(tx, Publisher::platform(tenant, "bench"), &req).await {
        Ok(_) | Err(AppError::Conflict { .. }) => Ok(()),
        Err(e) => Err(sqlx::Error::Protocol(format!("bench catalog: {e}"))),
    }
}

/// Generates `apis` synthetic APIs (idempotent per index) plus `bench-big/enterprise-data-hub`
/// with a document of at least `big_bytes`. Returns the size of that document.
pub async fn generate(pool: &PgPool, apis: usize, big_bytes: usize) -> Result<usize, sqlx::Error> {
    let mut rng = Rng(0x5eed_cafe_f00d_1234);
    let mut tx = scope::begin(pool, Scope::Platform).await?;
    for t in 0..BENCH_TENANTS {
        app::db::tenants::upsert(&mut *tx, &format!("bench-{t:02}"), &format!("Bench Tenant {t}")).await?;
    }
    app::db::tenants::upsert(&mut *tx, "bench-big", "Bench Big Documents").await?;
    tx.commit().await?;
    for chunk in (0..apis).collect::<Vec<_>>().chunks(500) {
        let mut tx = scope::begin(pool, Scope::Platform).await?;
        for &i in chunk {
            let (a, b, c) = (rng.word(), rng.word(), rng.word());
            let name = format!("{} {} API {i}", title_case(a), title_case(b));
            let slug = format!("{a}-{b}-{i}");
            let description = format!(
                "Manage {c} and {b} records for the {a} domain: lookups, changes and history. Generated entry {i}."
            );
            let tags: Vec<String> = vec![a.into(), c.into()];
            let audience = match i % 10 {
                0 => Audience::Internal,
                1 => Audience::Partner,
                _ => Audience::Public,
            };
            let tenant = format!("bench-{:02}", i % BENCH_TENANTS);
            let meta = Metadata {
                name: name.clone(),
                slug: Some(slug),
                description,
                category: Some(CATEGORIES[i % CATEGORIES.len()].into()),
                tags,
                audience: Some(audience),
                auth_type: Some(if i % 2 == 0 { AuthType::ApiKey } else { AuthType::OAuth2 }),
                requires_approval: false,
            };
            publish(&mut tx, &tenant, meta, document(&name, b, "1.0.0")).await?;
        }
        tx.commit().await?;
    }
    let big = big_document(big_bytes);
    let meta = Metadata {
        name: "Enterprise Data Hub".into(),
        slug: Some("enterprise-data-hub".into()),
        description: "A very large API, for benchmarks.".into(),
        category: Some("finance".into()),
        tags: vec!["data".into()],
        audience: Some(Audience::Public),
        auth_type: Some(AuthType::OAuth2),
        requires_approval: false,
    };
    let mut tx = scope::begin(pool, Scope::Platform).await?;
    publish(&mut tx, "bench-big", meta, big.clone()).await?;
    tx.commit().await?;
    // Fresh statistics, as autovacuum would give a few minutes later: without them the
    // first searches are planned for an empty table.
    sqlx::query("ANALYZE catalog_items, catalog_search, api_versions").execute(pool).await?;
    Ok(big.len())
}

/// The search texts the benchmark cycles through: single words, two words, prefixes.
pub fn sample_queries() -> Vec<String> {
    let mut rng = Rng(42);
    (0..200)
        .map(|i| match i % 3 {
            0 => rng.word().to_owned(),
            1 => format!("{} {}", rng.word(), rng.word()),
            _ => rng.word()[..3].to_owned(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_big_document_is_big_and_valid() {
        let doc = big_document(1024 * 1024);
        assert!(doc.len() >= 1024 * 1024);
        let parsed = app::domain::openapi::parse(doc.as_bytes()).expect("valid");
        assert!(parsed.operations.len() > 100);
    }

    #[test]
    fn synthetic_documents_are_valid() {
        let parsed =
            app::domain::openapi::parse(document("X API", "parcel", "1.0.0").as_bytes()).expect("valid");
        assert_eq!(parsed.operations.len(), 5);
    }
}

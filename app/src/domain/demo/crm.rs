//! The demo tenant's Customer CRM API as a live backend (served in-process under
//! `/demo-backends/crm/v1`): customers and leads with search, a lead's life cycle
//! (new → contacted → qualified → converted, or lost) and its conversion into a customer.
//! State lives in a [`Store`] (Postgres's `demo_records`, emptied by the demo's reset);
//! what a visitor creates stays readable until then.

use super::catalog::{r, DemoApi};
use super::kit::{
    choice, documented, documented_body, documented_error, email, error, error_schema, integer, object,
    object_or_empty, only, page, page_schema, paging_parameters, param, stamp, text, unit, Reply, Request,
    Store,
};
use super::mcp::{arg, tool, RestCall};
use super::{Answers, Backend, McpServer};
use crate::domain::catalog::{Audience, AuthType};
use crate::domain::mcp::McpTool;
use crate::domain::openapi::Format;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde_json::{json, Map, Value};

/// Where the backend is served, relative to the portal (the document's server).
pub const BASE: &str = "/demo-backends/crm/v1";

const CUSTOMER: &str = "customer";
const LEAD: &str = "lead";
const SOURCES: &[&str] = &["web", "event", "referral", "partner"];
/// The statuses a lead may be set to (`converted` comes from `/convert` only).
const SETTABLE: &[&str] = &["new", "contacted", "qualified", "lost"];
const STATUSES: &[&str] = &["new", "contacted", "qualified", "converted", "lost"];

/// The dataset's customers: name, e-mail, company, phone, days before the reset.
const CUSTOMERS: &[(&str, &str, &str, &str, i64)] = &[
    ("Amélie Laurent", "amelie.laurent@alpine-foods.example", "Alpine Foods", "+33 4 76 00 11 22", 60),
    ("Jonas Becker", "jonas.becker@nordlicht.example", "Nordlicht Energie", "+49 30 1234 5678", 52),
    ("Lucía Fernández", "lucia@verde-movilidad.example", "Verde Movilidad", "+34 91 555 0101", 45),
    ("Oliver Grant", "oliver.grant@harbourline.example", "Harbourline Freight", "+44 20 7946 0018", 38),
    ("Chloé Martin", "chloe.martin@atelier-lumiere.example", "Atelier Lumière", "+33 1 44 55 66 77", 30),
    ("Mateo Rossi", "mateo@rossi-logistica.example", "Rossi Logistica", "+39 02 1234 567", 21),
    ("Hannah Schulz", "h.schulz@kiefer-bau.example", "Kiefer Bau", "+49 89 2345 6789", 14),
    ("Noah Dubois", "noah.dubois@pixel-et-papier.example", "Pixel & Papier", "+33 5 61 22 33 44", 7),
];

/// The dataset's leads: name, e-mail, company, source, status, estimated value (EUR),
/// days before the reset.
const LEADS: &[(&str, &str, &str, &str, &str, i64, i64)] = &[
    ("Sofia Moreau", "sofia@greenloop.example", "GreenLoop", "web", "new", 12_000, 3),
    ("Ben Carter", "ben.carter@bright-dental.example", "Bright Dental", "referral", "qualified", 45_000, 9),
    ("Elena Petrova", "elena@kasa-studio.example", "Kasa Studio", "event", "contacted", 8_000, 12),
    ("Yusuf Demir", "yusuf@anatolia-trade.example", "Anatolia Trade", "partner", "lost", 30_000, 25),
    ("Clara Vogel", "clara.vogel@vogel-optik.example", "Vogel Optik", "web", "new", 5_000, 1),
    ("Marco Bianchi", "marco@bianchi-cicli.example", "Bianchi Cicli", "event", "qualified", 22_000, 5),
];

/// The backend's records as a reset leaves them, `now` being the reset's time.
pub fn seed(now: DateTime<Utc>) -> Store {
    let mut store = Store::default();
    for (i, (name, mail, company, phone, days)) in CUSTOMERS.iter().enumerate() {
        let id = format!("cus_{:04}", i + 1);
        let at = stamp(now - Duration::days(*days));
        store.put(
            CUSTOMER,
            &id,
            json!({ "id": id, "name": name, "email": mail, "company": company, "phone": phone,
                    "created_at": at, "updated_at": at }),
        );
    }
    for (i, (name, mail, company, source, status, value, days)) in LEADS.iter().enumerate() {
        let id = format!("lead_{:04}", i + 1);
        let at = stamp(now - Duration::days(*days));
        store.put(
            LEAD,
            &id,
            json!({ "id": id, "name": name, "email": mail, "company": company, "source": source,
                    "status": status, "estimated_value": value, "score": score(name, source, Some(company), Some(*value)),
                    "created_at": at, "updated_at": at }),
        );
    }
    Store::new(store.records().map(|(k, id, v)| (k.to_owned(), id.to_owned(), v.clone())))
}

/// A lead's score, 0 to 100: its source, whether the company is known, its value, and a
/// little of its name (the same lead always scores the same).
fn score(name: &str, source: &str, company: Option<&str>, value: Option<i64>) -> i64 {
    let base = match source {
        "referral" => 55,
        "partner" => 45,
        "event" => 40,
        _ => 25,
    };
    let company = if company.is_some() { 10 } else { 0 };
    let value = value.map_or(0, |v| (v / 2_500).min(20));
    let jitter = (unit(&[name, "score"]) * 10.0) as i64;
    (base + company + value + jitter).min(100)
}

/// The answer to `req` (below [`BASE`]) at `now`, changing `store` for writes.
pub fn answer(req: &Request, store: &mut Store, now: DateTime<Utc>) -> Reply {
    let segments = req.segments();
    let result = match (req.method, segments.as_slice()) {
        ("GET" | "HEAD", ["customers"]) => Ok(list_customers(req, store)),
        ("POST", ["customers"]) => create_customer(req, store, now),
        ("GET" | "HEAD", ["customers", id]) => {
            store.get(CUSTOMER, id).cloned().map(|c| (200, c)).ok_or_else(|| no_customer(id))
        }
        ("PATCH", ["customers", id]) => update_customer(req, store, id, now),
        ("DELETE", ["customers", id]) => match store.get(CUSTOMER, id) {
            Some(_) => {
                store.remove(CUSTOMER, id);
                Ok((204, Value::Null))
            }
            None => Err(no_customer(id)),
        },
        ("GET" | "HEAD", ["leads"]) => list_leads(req, store),
        ("POST", ["leads"]) => create_lead(req, store, now),
        ("GET" | "HEAD", ["leads", id]) => {
            store.get(LEAD, id).cloned().map(|l| (200, l)).ok_or_else(|| no_lead(id))
        }
        ("PATCH", ["leads", id]) => update_lead(req, store, id, now),
        ("POST", ["leads", id, "convert"]) => convert_lead(req, store, id, now),
        (_, ["customers"] | ["customers", _] | ["leads"] | ["leads", _] | ["leads", _, "convert"]) => {
            Err(error(405, "method_not_allowed", format!("{} is not allowed here.", req.method)))
        }
        _ => Err(error(404, "not_found", "No operation has that path.")),
    };
    result.unwrap_or_else(|e| e)
}

fn no_customer(id: &str) -> Reply {
    error(404, "unknown_customer", format!("No customer has the id {id:?}."))
}

fn no_lead(id: &str) -> Reply {
    error(404, "unknown_lead", format!("No lead has the id {id:?}."))
}

/// Whether `record`'s name, e-mail or company holds `q` (any case).
fn matches(record: &Value, q: &str) -> bool {
    ["name", "email", "company"]
        .iter()
        .any(|f| record[f].as_str().is_some_and(|v| v.to_lowercase().contains(q)))
}

fn list_customers(req: &Request, store: &Store) -> Reply {
    let q = param(req.query, "q").map(|q| q.trim().to_lowercase()).unwrap_or_default();
    let items = store.list(CUSTOMER).into_iter().filter(|c| matches(c, &q)).cloned().collect();
    page(items, req.query)
}

fn email_taken(store: &Store, mail: &str, except: Option<&str>) -> bool {
    store.list(CUSTOMER).iter().any(|c| c["email"] == mail && c["id"].as_str() != except)
}

fn create_customer(req: &Request, store: &mut Store, now: DateTime<Utc>) -> Result<Reply, Reply> {
    let body = object(req.body)?;
    only(&body, &["name", "email", "company", "phone"])?;
    let name = text(&body, "name", true, 100)?;
    let mail = email(&body, "email", true)?.unwrap_or_default();
    let company = text(&body, "company", false, 100)?;
    let phone = text(&body, "phone", false, 32)?;
    if email_taken(store, &mail, None) {
        return Err(error(409, "duplicate_email", format!("A customer already has the e-mail {mail}.")));
    }
    let id = store.next_id(CUSTOMER, "cus")?;
    let mut c = Map::new();
    c.insert("id".into(), json!(id));
    c.insert("name".into(), json!(name));
    c.insert("email".into(), json!(mail));
    if let Some(v) = company {
        c.insert("company".into(), json!(v));
    }
    if let Some(v) = phone {
        c.insert("phone".into(), json!(v));
    }
    c.insert("created_at".into(), json!(stamp(now)));
    c.insert("updated_at".into(), json!(stamp(now)));
    let c = Value::Object(c);
    store.put(CUSTOMER, &id, c.clone());
    Ok((201, c))
}

fn update_customer(req: &Request, store: &mut Store, id: &str, now: DateTime<Utc>) -> Result<Reply, Reply> {
    let mut c = store.get(CUSTOMER, id).cloned().ok_or_else(|| no_customer(id))?;
    let body = object(req.body)?;
    only(&body, &["name", "email", "company", "phone"])?;
    if let Some(v) = text(&body, "name", false, 100)? {
        c["name"] = json!(v);
    }
    if let Some(v) = email(&body, "email", false)? {
        if email_taken(store, &v, Some(id)) {
            return Err(error(409, "duplicate_email", format!("A customer already has the e-mail {v}.")));
        }
        c["email"] = json!(v);
    }
    for (field, max) in [("company", 100), ("phone", 32)] {
        if let Some(v) = text(&body, field, false, max)? {
            c[field] = json!(v);
        }
    }
    c["updated_at"] = json!(stamp(now));
    store.put(CUSTOMER, id, c.clone());
    Ok((200, c))
}

fn list_leads(req: &Request, store: &Store) -> Result<Reply, Reply> {
    let status = param(req.query, "status").filter(|s| !s.is_empty());
    if let Some(s) = status {
        if !STATUSES.contains(&s) {
            return Err(error(
                400,
                "invalid_parameter",
                format!("status must be one of {}.", STATUSES.join(", ")),
            ));
        }
    }
    let q = param(req.query, "q").map(|q| q.trim().to_lowercase()).unwrap_or_default();
    let items = store
        .list(LEAD)
        .into_iter()
        .filter(|l| status.is_none_or(|s| l["status"] == s) && matches(l, &q))
        .cloned()
        .collect();
    Ok(page(items, req.query))
}

fn create_lead(req: &Request, store: &mut Store, now: DateTime<Utc>) -> Result<Reply, Reply> {
    let body = object(req.body)?;
    only(&body, &["name", "email", "company", "source", "estimated_value"])?;
    let name = text(&body, "name", true, 100)?.unwrap_or_default();
    let mail = email(&body, "email", true)?;
    let company = text(&body, "company", false, 100)?;
    let source = choice(&body, "source", true, SOURCES)?.unwrap_or_default();
    let value = integer(&body, "estimated_value", false, 0, 100_000_000)?;
    let id = store.next_id(LEAD, "lead")?;
    let mut l = Map::new();
    l.insert("id".into(), json!(id));
    l.insert("name".into(), json!(name));
    l.insert("email".into(), json!(mail));
    if let Some(v) = &company {
        l.insert("company".into(), json!(v));
    }
    l.insert("source".into(), json!(source));
    l.insert("status".into(), json!("new"));
    if let Some(v) = value {
        l.insert("estimated_value".into(), json!(v));
    }
    l.insert("score".into(), json!(score(&name, &source, company.as_deref(), value)));
    l.insert("created_at".into(), json!(stamp(now)));
    l.insert("updated_at".into(), json!(stamp(now)));
    let l = Value::Object(l);
    store.put(LEAD, &id, l.clone());
    Ok((201, l))
}

fn update_lead(req: &Request, store: &mut Store, id: &str, now: DateTime<Utc>) -> Result<Reply, Reply> {
    let mut l = store.get(LEAD, id).cloned().ok_or_else(|| no_lead(id))?;
    let body = object(req.body)?;
    only(&body, &["name", "email", "company", "status", "estimated_value"])?;
    if l["status"] == "converted" {
        return Err(error(409, "lead_converted", "A converted lead cannot change; see its customer."));
    }
    if let Some(v) = text(&body, "name", false, 100)? {
        l["name"] = json!(v);
    }
    if let Some(v) = email(&body, "email", false)? {
        l["email"] = json!(v);
    }
    if let Some(v) = text(&body, "company", false, 100)? {
        l["company"] = json!(v);
    }
    if let Some(v) = choice(&body, "status", false, SETTABLE)? {
        l["status"] = json!(v);
    }
    if let Some(v) = integer(&body, "estimated_value", false, 0, 100_000_000)? {
        l["estimated_value"] = json!(v);
    }
    l["score"] = json!(score(
        l["name"].as_str().unwrap_or_default(),
        l["source"].as_str().unwrap_or_default(),
        l["company"].as_str(),
        l["estimated_value"].as_i64(),
    ));
    l["updated_at"] = json!(stamp(now));
    store.put(LEAD, id, l.clone());
    Ok((200, l))
}

/// A lead becomes a customer (the existing one when a customer has its e-mail).
fn convert_lead(req: &Request, store: &mut Store, id: &str, now: DateTime<Utc>) -> Result<Reply, Reply> {
    let mut l = store.get(LEAD, id).cloned().ok_or_else(|| no_lead(id))?;
    let body = object_or_empty(req.body)?;
    only(&body, &[])?;
    match l["status"].as_str() {
        Some("converted") => return Err(error(409, "lead_converted", "This lead is already a customer.")),
        Some("lost") => {
            return Err(error(
                409,
                "lead_lost",
                "A lost lead cannot be converted; set its status back first.",
            ))
        }
        _ => {}
    }
    let mail = l["email"].as_str().unwrap_or_default().to_owned();
    let existing = store.list(CUSTOMER).into_iter().find(|c| c["email"] == mail.as_str()).cloned();
    let customer = match existing {
        Some(c) => c,
        None => {
            let mut fields = json!({ "name": l["name"], "email": mail });
            if l["company"].is_string() {
                fields["company"] = l["company"].clone();
            }
            let fields = fields.to_string();
            let sub = Request { method: "POST", path: "/customers", query: &[], body: fields.as_bytes() };
            create_customer(&sub, store, now)?.1
        }
    };
    l["status"] = json!("converted");
    l["customer_id"] = customer["id"].clone();
    l["updated_at"] = json!(stamp(now));
    store.put(LEAD, id, l.clone());
    Ok((200, json!({ "lead": l, "customer": customer })))
}

/// What the backend answers to a request on a freshly seeded store at the examples' time.
fn example(method: &str, path: &str, query: &[(&str, &str)], body: &Value) -> Value {
    super::kit::example((answer, seed), method, path, query, body)
}

/// The API's OpenAPI document, `version` in its info; its examples are what the backend
/// answers.
pub fn document(version: &str, description: &str) -> Value {
    let new_customer = json!({ "name": "Inès Garnier", "email": "ines.garnier@garnier-vins.example", "company": "Garnier Vins" });
    let customer_patch = json!({ "phone": "+33 4 76 99 88 77" });
    let new_lead = json!({ "name": "Tom Fischer", "email": "tom@fischer-design.example", "company": "Fischer Design", "source": "web", "estimated_value": 15000 });
    let lead_patch = json!({ "status": "qualified" });
    let id_param = |name: &str, example: &str| json!({ "name": name, "in": "path", "required": true, "schema": { "type": "string" }, "example": example });
    let q = json!({ "name": "q", "in": "query", "description": "A part of the name, e-mail or company (any case).", "schema": { "type": "string" }, "example": "alp" });
    let mut customer_list = vec![q.clone()];
    customer_list.extend(paging_parameters());
    let mut lead_list = vec![
        json!({ "name": "status", "in": "query", "schema": { "type": "string", "enum": STATUSES }, "example": "qualified" }),
        json!({ "name": "q", "in": "query", "description": "A part of the name, e-mail or company (any case).", "schema": { "type": "string" } }),
    ];
    lead_list.extend(paging_parameters());
    let string = |max: u32| json!({ "type": "string", "minLength": 1, "maxLength": max });
    let stamp_schema = json!({ "type": "string", "format": "date-time" });
    json!({
        "openapi": "3.1.0",
        "info": { "title": "Customer CRM API", "version": version, "description": description },
        "servers": [{ "url": BASE, "description": "STOA's demo backend (answers offline; reset every day)" }],
        "security": [{ "apiKey": [] }],
        "tags": [{ "name": "Customers" }, { "name": "Leads" }],
        "paths": {
            "/customers": {
                "get": {
                    "operationId": "listCustomers", "summary": "Search customers", "tags": ["Customers"],
                    "description": "Newest first; `q` narrows to the customers whose name, e-mail or company holds it.",
                    "parameters": customer_list,
                    "responses": {
                        "200": documented("A page of customers.", "CustomerPage", example("GET", "/customers", &[("q", "alp")], &Value::Null)),
                        "400": documented_error("`limit` out of range or an unknown `starting_after`.")
                    }
                },
                "post": {
                    "operationId": "createCustomer", "summary": "Create a customer", "tags": ["Customers"],
                    "requestBody": documented_body("NewCustomer", new_customer.clone()),
                    "responses": {
                        "201": documented("The customer.", "Customer", example("POST", "/customers", &[], &new_customer)),
                        "400": documented_error("A field is missing, unknown or invalid."),
                        "409": documented_error("A customer already has this e-mail."),
                        "507": documented_error("The demo's store is full until its next reset.")
                    }
                }
            },
            "/customers/{id}": {
                "get": {
                    "operationId": "getCustomer", "summary": "One customer", "tags": ["Customers"],
                    "parameters": [id_param("id", "cus_0001")],
                    "responses": {
                        "200": documented("The customer.", "Customer", example("GET", "/customers/cus_0001", &[], &Value::Null)),
                        "404": documented_error("No such customer.")
                    }
                },
                "patch": {
                    "operationId": "updateCustomer", "summary": "Change a customer", "tags": ["Customers"],
                    "parameters": [id_param("id", "cus_0001")],
                    "requestBody": documented_body("CustomerPatch", customer_patch.clone()),
                    "responses": {
                        "200": documented("The customer as changed.", "Customer", example("PATCH", "/customers/cus_0001", &[], &customer_patch)),
                        "400": documented_error("A field is unknown or invalid."),
                        "404": documented_error("No such customer."),
                        "409": documented_error("Another customer has this e-mail.")
                    }
                },
                "delete": {
                    "operationId": "deleteCustomer", "summary": "Delete a customer", "tags": ["Customers"],
                    "parameters": [id_param("id", "cus_0008")],
                    "responses": {
                        "204": { "description": "Deleted." },
                        "404": documented_error("No such customer.")
                    }
                }
            },
            "/leads": {
                "get": {
                    "operationId": "listLeads", "summary": "Search leads", "tags": ["Leads"],
                    "description": "Newest first, narrowed by `status` and `q`.",
                    "parameters": lead_list,
                    "responses": {
                        "200": documented("A page of leads.", "LeadPage", example("GET", "/leads", &[("status", "qualified")], &Value::Null)),
                        "400": documented_error("An unknown status, `limit` out of range or an unknown `starting_after`.")
                    }
                },
                "post": {
                    "operationId": "createLead", "summary": "Create a lead", "tags": ["Leads"],
                    "description": "A new lead is `new`; its score (0–100) follows its source, company and value.",
                    "requestBody": documented_body("NewLead", new_lead.clone()),
                    "responses": {
                        "201": documented("The lead.", "Lead", example("POST", "/leads", &[], &new_lead)),
                        "400": documented_error("A field is missing, unknown or invalid."),
                        "507": documented_error("The demo's store is full until its next reset.")
                    }
                }
            },
            "/leads/{id}": {
                "get": {
                    "operationId": "getLead", "summary": "One lead", "tags": ["Leads"],
                    "parameters": [id_param("id", "lead_0002")],
                    "responses": {
                        "200": documented("The lead.", "Lead", example("GET", "/leads/lead_0002", &[], &Value::Null)),
                        "404": documented_error("No such lead.")
                    }
                },
                "patch": {
                    "operationId": "updateLead", "summary": "Change a lead or its status", "tags": ["Leads"],
                    "parameters": [id_param("id", "lead_0003")],
                    "requestBody": documented_body("LeadPatch", lead_patch.clone()),
                    "responses": {
                        "200": documented("The lead as changed.", "Lead", example("PATCH", "/leads/lead_0003", &[], &lead_patch)),
                        "400": documented_error("A field is unknown or invalid."),
                        "404": documented_error("No such lead."),
                        "409": documented_error("The lead is converted.")
                    }
                }
            },
            "/leads/{id}/convert": {
                "post": {
                    "operationId": "convertLead", "summary": "Convert a lead into a customer", "tags": ["Leads"],
                    "description": "The lead becomes `converted` and names its customer: a new one, or the customer who already has its e-mail.",
                    "parameters": [id_param("id", "lead_0002")],
                    "responses": {
                        "200": documented("The lead and its customer.", "Conversion", example("POST", "/leads/lead_0002/convert", &[], &Value::Null)),
                        "400": documented_error("The body is not empty."),
                        "404": documented_error("No such lead."),
                        "409": documented_error("The lead is already converted, or lost.")
                    }
                }
            }
        },
        "components": {
            "securitySchemes": { "apiKey": { "type": "apiKey", "in": "header", "name": "X-API-Key" } },
            "schemas": {
                "Error": error_schema(),
                "Customer": { "type": "object", "required": ["id", "name", "email", "created_at", "updated_at"], "properties": {
                    "id": { "type": "string", "pattern": "^cus_[0-9]{4,}$" }, "name": { "type": "string" },
                    "email": { "type": "string", "format": "email" }, "company": { "type": "string" }, "phone": { "type": "string" },
                    "created_at": stamp_schema, "updated_at": stamp_schema } },
                "NewCustomer": { "type": "object", "required": ["name", "email"], "additionalProperties": false, "properties": {
                    "name": string(100), "email": { "type": "string", "format": "email" }, "company": string(100), "phone": string(32) } },
                "CustomerPatch": { "type": "object", "additionalProperties": false, "properties": {
                    "name": string(100), "email": { "type": "string", "format": "email" }, "company": string(100), "phone": string(32) } },
                "CustomerPage": page_schema("Customer"),
                "Lead": { "type": "object", "required": ["id", "name", "email", "source", "status", "score", "created_at", "updated_at"], "properties": {
                    "id": { "type": "string", "pattern": "^lead_[0-9]{4,}$" }, "name": { "type": "string" },
                    "email": { "type": "string", "format": "email" }, "company": { "type": "string" },
                    "source": { "type": "string", "enum": SOURCES }, "status": { "type": "string", "enum": STATUSES },
                    "estimated_value": { "type": "integer", "minimum": 0, "description": "EUR." },
                    "score": { "type": "integer", "minimum": 0, "maximum": 100 },
                    "customer_id": { "type": "string", "description": "Once converted." },
                    "created_at": stamp_schema, "updated_at": stamp_schema } },
                "NewLead": { "type": "object", "required": ["name", "email", "source"], "additionalProperties": false, "properties": {
                    "name": string(100), "email": { "type": "string", "format": "email" }, "company": string(100),
                    "source": { "type": "string", "enum": SOURCES },
                    "estimated_value": { "type": "integer", "minimum": 0, "maximum": 100_000_000 } } },
                "LeadPatch": { "type": "object", "additionalProperties": false, "properties": {
                    "name": string(100), "email": { "type": "string", "format": "email" }, "company": string(100),
                    "status": { "type": "string", "enum": SETTABLE },
                    "estimated_value": { "type": "integer", "minimum": 0, "maximum": 100_000_000 } } },
                "LeadPage": page_schema("Lead"),
                "Conversion": { "type": "object", "required": ["lead", "customer"], "properties": {
                    "lead": { "$ref": "#/components/schemas/Lead" }, "customer": { "$ref": "#/components/schemas/Customer" } } }
            }
        }
    })
}

/// The backend, as the demo's table lists it.
pub const BACKEND: Backend = Backend {
    name: "crm",
    base: BASE,
    api: DemoApi {
        tenant: "demo",
        slug: "customer-crm",
        name: "Customer CRM API",
        description:
            "Contacts, accounts and leads of the sales team. Internal: personal data, handle with care.",
        category: "crm",
        tags: &["contacts", "leads", "sales"],
        audience: Audience::Internal,
        auth: AuthType::ApiKey,
        resources: &[
            r("contacts", "Contact", &[("name", "string"), ("email", "string"), ("account_id", "string")]),
            r("accounts", "Account", &[("name", "string"), ("industry", "string")]),
            r("leads", "Lead", &[("source", "string"), ("score", "integer")]),
        ],
        versions: &["3.2.0", "3.3.0"],
        candidate: None,
        format: Format::Yaml,
    },
    document,
    answers: Answers::Stateful { answer, seed },
    open: false,
    mcp: Some(McpServer {
        name: "CRM MCP server",
        description: "Search customers and create leads in the customer CRM from an assistant.",
        audience: Audience::Public,
        tools,
        call: tool_call,
    }),
};

/// The MCP server's tools.
fn tools() -> Vec<McpTool> {
    vec![
        tool(
            "search_customers",
            "Customers whose name, e-mail or company holds the query.",
            json!({ "type": "object", "required": ["query"], "additionalProperties": false, "properties": {
            "query": { "type": "string", "minLength": 1, "examples": ["alpine"] },
            "limit": { "type": "integer", "minimum": 1, "maximum": 100, "default": 10 } } }),
        ),
        tool(
            "get_customer",
            "One customer by id.",
            json!({ "type": "object", "required": ["customer_id"], "additionalProperties": false, "properties": {
            "customer_id": { "type": "string", "pattern": "^cus_[0-9]{4,}$", "examples": ["cus_0001"] } } }),
        ),
        tool(
            "create_lead",
            "Create a sales lead; it starts as new, with a score.",
            json!({ "type": "object", "required": ["name", "email", "source"], "additionalProperties": false, "properties": {
            "name": { "type": "string", "minLength": 1, "maxLength": 100, "examples": ["Tom Fischer"] },
            "email": { "type": "string", "format": "email", "examples": ["tom@fischer-design.example"] },
            "company": { "type": "string", "minLength": 1, "maxLength": 100 },
            "source": { "type": "string", "enum": ["web", "event", "referral", "partner"] },
            "estimated_value": { "type": "integer", "minimum": 0, "description": "EUR." } } }),
        ),
    ]
}

/// The REST call of the backend a tool call stands for.
fn tool_call(tool: &str, args: &Value, _today: NaiveDate) -> Option<RestCall> {
    Some(match tool {
        "search_customers" => {
            let limit = args["limit"].as_i64().unwrap_or(10).to_string();
            RestCall::get(format!("{BASE}/customers"), &[("q", arg(args, "query")), ("limit", limit)])
        }
        "get_customer" => RestCall::get(format!("{BASE}/customers/{}", arg(args, "customer_id")), &[]),
        "create_lead" => RestCall::post(format!("{BASE}/leads"), args),
        _ => return None,
    })
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::super::kit::{check, example_time};
    use super::*;

    fn call(store: &mut Store, method: &str, path: &str, query: &[(&str, &str)], body: &str) -> Reply {
        let query: Vec<(String, String)> =
            query.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect();
        answer(&Request { method, path, query: &query, body: body.as_bytes() }, store, example_time())
    }

    #[test]
    fn every_operation_answers_what_its_document_shows_and_bad_input_with_400() {
        let doc = document("3.3.0", "CRM.");
        let calls = check::shown_calls(&doc);
        assert_eq!(calls.len(), 10);
        for (operation, method, path, query, body) in calls {
            let req = Request { method: &method, path: &path, query: &query, body: &body };
            let (status, answer) = answer(&req, &mut seed(example_time()), example_time());
            assert!((200..300).contains(&status), "{operation}: {status} {answer}");
            check::against(&doc, &operation, status, &answer);
        }
        // Operation, method, path, query, body, status.
        type Bad<'a> = (&'a str, &'a str, &'a str, &'a [(&'a str, &'a str)], &'a str, u16);
        let bad: &[Bad] = &[
            ("createCustomer", "POST", "/customers", &[], "", 400),
            ("createCustomer", "POST", "/customers", &[], "[1]", 400),
            ("createCustomer", "POST", "/customers", &[], "{\"name\":\"X\"}", 400),
            (
                "createCustomer",
                "POST",
                "/customers",
                &[],
                "{\"name\":\"X\",\"email\":\"not-an-address\"}",
                400,
            ),
            (
                "createCustomer",
                "POST",
                "/customers",
                &[],
                "{\"name\":\"X\",\"email\":\"x@y.example\",\"vip\":true}",
                400,
            ),
            (
                "createCustomer",
                "POST",
                "/customers",
                &[],
                "{\"name\":\"X\",\"email\":\"Jonas.Becker@nordlicht.example\"}",
                409,
            ),
            ("listCustomers", "GET", "/customers", &[("limit", "0")], "", 400),
            ("listCustomers", "GET", "/customers", &[("starting_after", "cus_9999")], "", 400),
            ("getCustomer", "GET", "/customers/cus_9999", &[], "", 404),
            ("updateCustomer", "PATCH", "/customers/cus_0001", &[], "{\"name\":\"\"}", 400),
            (
                "updateCustomer",
                "PATCH",
                "/customers/cus_0001",
                &[],
                "{\"email\":\"jonas.becker@nordlicht.example\"}",
                409,
            ),
            ("deleteCustomer", "DELETE", "/customers/cus_9999", &[], "", 404),
            ("listLeads", "GET", "/leads", &[("status", "won")], "", 400),
            (
                "createLead",
                "POST",
                "/leads",
                &[],
                "{\"name\":\"X\",\"email\":\"x@y.example\",\"source\":\"tv\"}",
                400,
            ),
            (
                "createLead",
                "POST",
                "/leads",
                &[],
                "{\"name\":\"X\",\"email\":\"x@y.example\",\"source\":\"web\",\"estimated_value\":-1}",
                400,
            ),
            ("updateLead", "PATCH", "/leads/lead_0001", &[], "{\"status\":\"converted\"}", 400),
            ("convertLead", "POST", "/leads/lead_0004/convert", &[], "", 409),
            ("convertLead", "POST", "/leads/lead_0001/convert", &[], "{\"x\":1}", 400),
            ("getLead", "GET", "/leads/lead_9999", &[], "", 404),
        ];
        for (operation, method, path, query, body, want) in bad {
            let mut store = seed(example_time());
            let before = store.clone();
            let (status, answer) = call(&mut store, method, path, query, body);
            assert_eq!(status, *want, "{method} {path} {body}: {answer}");
            check::against(&doc, operation, status, &answer);
            assert!(answer["message"].as_str().is_some_and(|m| m.len() > 10), "{answer}");
            assert_eq!(store.records().count(), before.records().count(), "nothing half-done");
            assert!(store.changes().len() == before.changes().len(), "{operation} changed nothing");
        }
        assert_eq!(call(&mut seed(example_time()), "PUT", "/customers", &[], "{}").0, 405);
        assert_eq!(call(&mut seed(example_time()), "GET", "/accounts", &[], "").0, 404);
    }

    #[test]
    fn a_customer_created_is_readable_and_a_lead_goes_through_its_life_cycle() {
        let mut store = seed(example_time());
        let (s, c) = call(
            &mut store,
            "POST",
            "/customers",
            &[],
            r#"{"name":"Ada Byron","email":"Ada@Analytical.example"}"#,
        );
        assert_eq!((s, c["id"].as_str()), (201, Some("cus_0009")));
        assert_eq!(c["email"], "ada@analytical.example");
        let (s, read) = call(&mut store, "GET", "/customers/cus_0009", &[], "");
        assert_eq!((s, &read), (200, &c));
        // Search: by company, any case; pages follow each other.
        let (_, found) = call(&mut store, "GET", "/customers", &[("q", "ANALYTICAL")], "");
        assert_eq!(found["items"].as_array().map(Vec::len), Some(1));
        let (_, first) = call(&mut store, "GET", "/customers", &[("limit", "5")], "");
        assert_eq!(
            (first["items"][0]["id"].as_str(), first["has_more"].as_bool()),
            (Some("cus_0009"), Some(true))
        );
        let (_, second) =
            call(&mut store, "GET", "/customers", &[("limit", "5"), ("starting_after", "cus_0005")], "");
        assert_eq!(second["items"].as_array().map(Vec::len), Some(4));
        assert_eq!(second["has_more"], false);
        // A lead: new → contacted → qualified → converted into a new customer.
        let (s, l) = call(
            &mut store,
            "POST",
            "/leads",
            &[],
            r#"{"name":"Grace Hopper","email":"grace@cobol.example","source":"referral"}"#,
        );
        assert_eq!((s, l["status"].as_str(), l["id"].as_str()), (201, Some("new"), Some("lead_0007")));
        for status in ["contacted", "qualified"] {
            let (s, l) =
                call(&mut store, "PATCH", "/leads/lead_0007", &[], &format!(r#"{{"status":"{status}"}}"#));
            assert_eq!((s, l["status"].as_str()), (200, Some(status)));
        }
        let (s, conv) = call(&mut store, "POST", "/leads/lead_0007/convert", &[], "");
        assert_eq!((s, conv["customer"]["id"].as_str()), (200, Some("cus_0010")));
        assert_eq!(conv["lead"]["customer_id"], "cus_0010");
        assert_eq!(call(&mut store, "POST", "/leads/lead_0007/convert", &[], "").0, 409);
        assert_eq!(call(&mut store, "PATCH", "/leads/lead_0007", &[], r#"{"status":"new"}"#).0, 409);
        // Converting a lead whose e-mail a customer has links it to that customer.
        call(
            &mut store,
            "POST",
            "/leads",
            &[],
            r#"{"name":"Ada again","email":"ada@analytical.example","source":"web"}"#,
        );
        let (_, conv) = call(&mut store, "POST", "/leads/lead_0008/convert", &[], "");
        assert_eq!(conv["customer"]["id"], "cus_0009");
        // Delete, then gone.
        assert_eq!(call(&mut store, "DELETE", "/customers/cus_0009", &[], ""), (204, Value::Null));
        assert_eq!(call(&mut store, "GET", "/customers/cus_0009", &[], "").0, 404);
        // The same store at the same time gives the same seed.
        assert_eq!(
            seed(example_time()).records().collect::<Vec<_>>(),
            seed(example_time()).records().collect::<Vec<_>>()
        );
    }
}

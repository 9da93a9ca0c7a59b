//! The demo tenant's Payments API as a live backend (served in-process under
//! `/demo-backends/payments/v1`): payments with their life cycle — card payments captured
//! at once or authorised then captured or cancelled, SEPA debits processing for a minute
//! then succeeded, declines for a documented test amount — refunds, and the balance.
//! State lives in a [`Store`] (Postgres's `demo_records`, emptied by the demo's reset).

use super::catalog::{r, DemoApi};
use super::kit::{
    choice, documented, documented_body, documented_error, error, error_schema, integer, object,
    object_or_empty, only, page, page_schema, paging_parameters, param, stamp, text, Reply, Request, Store,
};
use super::mcp::{arg, tool, RestCall};
use super::{Answers, Backend, McpServer};
use crate::domain::catalog::{Audience, AuthType};
use crate::domain::mcp::McpTool;
use crate::domain::openapi::Format;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;

/// Where the backend is served, relative to the portal (the document's server).
pub const BASE: &str = "/demo-backends/payments/v1";

const PAYMENT: &str = "payment";
const REFUND: &str = "refund";
const CURRENCIES: &[&str] = &["EUR", "USD", "GBP", "CHF"];
const METHODS: &[&str] = &["card", "sepa_debit"];
const REASONS: &[&str] = &["requested_by_customer", "duplicate", "fraudulent"];
const STATUSES: &[&str] =
    &["requires_capture", "processing", "succeeded", "failed", "canceled", "partially_refunded", "refunded"];
/// The largest amount, in minor units.
const MAX_AMOUNT: i64 = 100_000_000;
/// How long a SEPA debit processes before it succeeds.
const SEPA_SECONDS: i64 = 60;

/// The dataset's payments: amount, currency, method, customer, description, status,
/// refunded amount, days before the reset.
#[allow(clippy::type_complexity)]
const PAYMENTS: &[(i64, &str, &str, &str, &str, &str, i64, i64)] = &[
    (12_900, "EUR", "card", "cus_0001", "Order 1042 — cheese selection", "succeeded", 0, 40),
    (4_500, "EUR", "card", "cus_0002", "Workshop seat", "partially_refunded", 1_500, 30),
    (2_500, "GBP", "card", "cus_0004", "Parcel insurance", "refunded", 2_500, 20),
    (4_002, "EUR", "card", "cus_0003", "Bike rental", "failed", 0, 15),
    (32_000, "EUR", "sepa_debit", "cus_0006", "Monthly freight invoice", "succeeded", 0, 10),
    (1_500, "USD", "card", "cus_0008", "Print proof", "canceled", 0, 5),
    (89_000, "EUR", "card", "cus_0005", "Lighting installation deposit", "requires_capture", 0, 2),
    (219_900, "CHF", "card", "cus_0007", "Scaffolding, three months", "succeeded", 0, 1),
];

/// The backend's records as a reset leaves them, `now` being the reset's time.
pub fn seed(now: DateTime<Utc>) -> Store {
    let mut store = Store::default();
    let mut refunds = 0;
    for (i, (amount, currency, method, customer, description, status, refunded, days)) in
        PAYMENTS.iter().enumerate()
    {
        let id = format!("pay_{:04}", i + 1);
        let at = stamp(now - Duration::days(*days));
        let mut p = json!({ "id": id, "amount": amount, "currency": currency, "method": method,
            "customer_id": customer, "description": description, "status": status,
            "amount_refunded": refunded, "created_at": at, "updated_at": at });
        if *status == "failed" {
            p["failure_code"] = json!("card_declined");
        }
        store.put(PAYMENT, &id, p);
        if *refunded > 0 {
            refunds += 1;
            let rid = format!("re_{refunds:04}");
            let rat = stamp(now - Duration::days(days - 1));
            store.put(
                REFUND,
                &rid,
                json!({ "id": rid, "payment_id": id, "amount": refunded, "currency": currency,
                        "reason": "requested_by_customer", "status": "succeeded", "created_at": rat }),
            );
        }
    }
    Store::new(store.records().map(|(k, id, v)| (k.to_owned(), id.to_owned(), v.clone())))
}

/// A payment as it stands at `now`: a SEPA debit still `processing` a minute after its
/// creation has succeeded.
fn current(p: &Value, now: DateTime<Utc>) -> Value {
    let mut p = p.clone();
    if p["status"] == "processing" {
        let created = p["created_at"].as_str().and_then(|t| DateTime::parse_from_rfc3339(t).ok());
        if let Some(created) = created {
            let settled = created.with_timezone(&Utc) + Duration::seconds(SEPA_SECONDS);
            if settled <= now {
                p["status"] = json!("succeeded");
                p["updated_at"] = json!(stamp(settled));
            }
        }
    }
    p
}

fn no_payment(id: &str) -> Reply {
    error(404, "unknown_payment", format!("No payment has the id {id:?}."))
}

/// The answer to `req` (below [`BASE`]) at `now`, changing `store` for writes.
pub fn answer(req: &Request, store: &mut Store, now: DateTime<Utc>) -> Reply {
    let segments = req.segments();
    let payment = |id: &str, store: &Store| {
        store.get(PAYMENT, id).map(|p| current(p, now)).ok_or_else(|| no_payment(id))
    };
    let result = match (req.method, segments.as_slice()) {
        ("GET" | "HEAD", ["payments"]) => list_payments(req, store, now),
        ("POST", ["payments"]) => create_payment(req, store, now),
        ("GET" | "HEAD", ["payments", id]) => payment(id, store).map(|p| (200, p)),
        ("POST", ["payments", id, "capture"]) => payment(id, store).and_then(|p| capture(req, store, p, now)),
        ("POST", ["payments", id, "cancel"]) => payment(id, store).and_then(|p| cancel(req, store, p, now)),
        ("GET" | "HEAD", ["payments", id, "refunds"]) => payment(id, store).map(|_| {
            let items = store.list(REFUND).into_iter().filter(|r| r["payment_id"] == *id).cloned().collect();
            page(items, req.query)
        }),
        ("POST", ["payments", id, "refunds"]) => payment(id, store).and_then(|p| refund(req, store, p, now)),
        ("GET" | "HEAD", ["balance"]) => Ok((200, balance(store, now))),
        (
            _,
            ["payments"] | ["payments", _] | ["payments", _, "capture" | "cancel" | "refunds"] | ["balance"],
        ) => Err(error(405, "method_not_allowed", format!("{} is not allowed here.", req.method))),
        _ => Err(error(404, "not_found", "No operation has that path.")),
    };
    result.unwrap_or_else(|e| e)
}

fn list_payments(req: &Request, store: &Store, now: DateTime<Utc>) -> Result<Reply, Reply> {
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
    let customer = param(req.query, "customer_id").filter(|s| !s.is_empty());
    let items = store
        .list(PAYMENT)
        .into_iter()
        .map(|p| current(p, now))
        .filter(|p| status.is_none_or(|s| p["status"] == s) && customer.is_none_or(|c| p["customer_id"] == c))
        .collect();
    Ok(page(items, req.query))
}

fn create_payment(req: &Request, store: &mut Store, now: DateTime<Utc>) -> Result<Reply, Reply> {
    let body = object(req.body)?;
    only(&body, &["amount", "currency", "method", "capture", "customer_id", "description"])?;
    let amount = integer(&body, "amount", true, 1, MAX_AMOUNT)?.unwrap_or_default();
    let currency = choice(&body, "currency", true, CURRENCIES)?.unwrap_or_default();
    let method = choice(&body, "method", false, METHODS)?.unwrap_or_else(|| "card".into());
    let capture = match body.get("capture") {
        None | Some(Value::Null) => true,
        Some(Value::Bool(b)) => *b,
        Some(_) => return Err(error(400, "invalid_field", "capture must be true or false.")),
    };
    if method == "sepa_debit" && (currency != "EUR" || !capture) {
        return Err(error(400, "invalid_field", "A SEPA debit is in EUR and captured at once."));
    }
    let customer = text(&body, "customer_id", false, 64)?;
    let description = text(&body, "description", false, 200)?;
    let id = store.next_id(PAYMENT, "pay")?;
    let status = match (method.as_str(), capture) {
        ("card", _) if amount % 1_000 == 2 => "failed",
        ("sepa_debit", _) => "processing",
        (_, true) => "succeeded",
        (_, false) => "requires_capture",
    };
    let mut p = Map::new();
    p.insert("id".into(), json!(id));
    p.insert("amount".into(), json!(amount));
    p.insert("currency".into(), json!(currency));
    p.insert("method".into(), json!(method));
    if let Some(v) = customer {
        p.insert("customer_id".into(), json!(v));
    }
    if let Some(v) = description {
        p.insert("description".into(), json!(v));
    }
    p.insert("status".into(), json!(status));
    if status == "failed" {
        p.insert("failure_code".into(), json!("card_declined"));
    }
    p.insert("amount_refunded".into(), json!(0));
    p.insert("created_at".into(), json!(stamp(now)));
    p.insert("updated_at".into(), json!(stamp(now)));
    let p = Value::Object(p);
    store.put(PAYMENT, &id, p.clone());
    Ok((201, p))
}

fn conflict(p: &Value, what: &str) -> Reply {
    error(
        409,
        "invalid_state",
        format!("A {} payment cannot be {what}.", p["status"].as_str().unwrap_or("?")),
    )
}

fn capture(req: &Request, store: &mut Store, mut p: Value, now: DateTime<Utc>) -> Result<Reply, Reply> {
    let body = object_or_empty(req.body)?;
    only(&body, &["amount"])?;
    if p["status"] != "requires_capture" {
        return Err(conflict(&p, "captured"));
    }
    let authorised = p["amount"].as_i64().unwrap_or_default();
    if let Some(amount) = integer(&body, "amount", false, 1, authorised)? {
        p["amount"] = json!(amount);
    }
    p["status"] = json!("succeeded");
    p["updated_at"] = json!(stamp(now));
    store.put(PAYMENT, p["id"].as_str().unwrap_or_default(), p.clone());
    Ok((200, p))
}

fn cancel(req: &Request, store: &mut Store, mut p: Value, now: DateTime<Utc>) -> Result<Reply, Reply> {
    let body = object_or_empty(req.body)?;
    only(&body, &[])?;
    if !matches!(p["status"].as_str(), Some("requires_capture" | "processing")) {
        return Err(conflict(&p, "cancelled"));
    }
    p["status"] = json!("canceled");
    p["updated_at"] = json!(stamp(now));
    store.put(PAYMENT, p["id"].as_str().unwrap_or_default(), p.clone());
    Ok((200, p))
}

fn refund(req: &Request, store: &mut Store, mut p: Value, now: DateTime<Utc>) -> Result<Reply, Reply> {
    let body = object_or_empty(req.body)?;
    only(&body, &["amount", "reason"])?;
    if !matches!(p["status"].as_str(), Some("succeeded" | "partially_refunded")) {
        return Err(conflict(&p, "refunded"));
    }
    let left = p["amount"].as_i64().unwrap_or_default() - p["amount_refunded"].as_i64().unwrap_or_default();
    let amount = match integer(&body, "amount", false, 1, MAX_AMOUNT)? {
        Some(a) if a > left => {
            return Err(error(
                400,
                "invalid_amount",
                format!("At most {left} is left to refund on this payment."),
            ))
        }
        Some(a) => a,
        None => left,
    };
    let reason = choice(&body, "reason", false, REASONS)?.unwrap_or_else(|| "requested_by_customer".into());
    let id = store.next_id(REFUND, "re")?;
    let payment_id = p["id"].as_str().unwrap_or_default().to_owned();
    let r = json!({ "id": id, "payment_id": payment_id, "amount": amount, "currency": p["currency"],
                    "reason": reason, "status": "succeeded", "created_at": stamp(now) });
    store.put(REFUND, &id, r.clone());
    let refunded = p["amount_refunded"].as_i64().unwrap_or_default() + amount;
    p["amount_refunded"] = json!(refunded);
    let full = refunded >= p["amount"].as_i64().unwrap_or_default();
    p["status"] = json!(if full { "refunded" } else { "partially_refunded" });
    p["updated_at"] = json!(stamp(now));
    store.put(PAYMENT, &payment_id, p);
    Ok((201, r))
}

/// Per currency: what succeeded payments leave after refunds (available), and what is
/// authorised or processing (pending).
fn balance(store: &Store, now: DateTime<Utc>) -> Value {
    let mut available: BTreeMap<String, i64> = BTreeMap::new();
    let mut pending: BTreeMap<String, i64> = BTreeMap::new();
    for p in store.list(PAYMENT).into_iter().map(|p| current(p, now)) {
        let currency = p["currency"].as_str().unwrap_or_default().to_owned();
        let amount = p["amount"].as_i64().unwrap_or_default();
        match p["status"].as_str() {
            Some("succeeded" | "partially_refunded" | "refunded") => {
                *available.entry(currency).or_default() +=
                    amount - p["amount_refunded"].as_i64().unwrap_or_default();
            }
            Some("requires_capture" | "processing") => *pending.entry(currency).or_default() += amount,
            _ => {}
        }
    }
    let list = |m: BTreeMap<String, i64>| -> Vec<Value> {
        m.into_iter().map(|(currency, amount)| json!({ "currency": currency, "amount": amount })).collect()
    };
    json!({ "available": list(available), "pending": list(pending) })
}

/// What the backend answers to a request on a freshly seeded store at the examples' time.
fn example(method: &str, path: &str, query: &[(&str, &str)], body: &Value) -> Value {
    super::kit::example((answer, seed), method, path, query, body)
}

/// The API's OpenAPI document, `version` in its info; its examples are what the backend
/// answers.
pub fn document(version: &str, description: &str) -> Value {
    let new_payment =
        json!({ "amount": 4990, "currency": "EUR", "customer_id": "cus_0001", "description": "Order 1077" });
    let capture_body = json!({ "amount": 80000 });
    let refund_body = json!({ "amount": 2900, "reason": "requested_by_customer" });
    let id_param = |example: &str| json!({ "name": "id", "in": "path", "required": true, "schema": { "type": "string" }, "example": example });
    let mut list_params = vec![
        json!({ "name": "status", "in": "query", "schema": { "type": "string", "enum": STATUSES }, "example": "succeeded" }),
        json!({ "name": "customer_id", "in": "query", "schema": { "type": "string" } }),
    ];
    list_params.extend(paging_parameters());
    let mut refund_params = vec![id_param("pay_0002")];
    refund_params.extend(paging_parameters());
    let stamp_schema = json!({ "type": "string", "format": "date-time" });
    let amount = json!({ "type": "integer", "minimum": 1, "maximum": MAX_AMOUNT, "description": "In the currency's minor unit (cents)." });
    let money = json!({ "type": "array", "items": { "type": "object", "required": ["currency", "amount"], "properties": {
        "currency": { "type": "string", "enum": CURRENCIES }, "amount": { "type": "integer" } } } });
    json!({
        "openapi": "3.1.0",
        "info": { "title": "Payments API", "version": version, "description": format!("{description}\n\n\
            Test amounts: a card payment whose amount ends in `002` (for example 4002, 40.02 €) is declined \
            (`failed`, `card_declined`). A SEPA debit is `processing` for a minute, then `succeeded`.") },
        "servers": [{ "url": BASE, "description": "STOA's demo backend (answers offline; reset every day)" }],
        "security": [{ "apiKey": [] }],
        "tags": [{ "name": "Payments" }, { "name": "Refunds" }, { "name": "Balance" }],
        "paths": {
            "/payments": {
                "get": {
                    "operationId": "listPayments", "summary": "List payments", "tags": ["Payments"],
                    "description": "Newest first, narrowed by `status` and `customer_id`.",
                    "parameters": list_params,
                    "responses": {
                        "200": documented("A page of payments.", "PaymentPage", example("GET", "/payments", &[("status", "succeeded")], &Value::Null)),
                        "400": documented_error("An unknown status, `limit` out of range or an unknown `starting_after`.")
                    }
                },
                "post": {
                    "operationId": "createPayment", "summary": "Create a payment", "tags": ["Payments"],
                    "description": "A card payment is captured at once (`succeeded`) unless `capture` is false (`requires_capture`).",
                    "requestBody": documented_body("NewPayment", new_payment.clone()),
                    "responses": {
                        "201": documented("The payment.", "Payment", example("POST", "/payments", &[], &new_payment)),
                        "400": documented_error("A field is missing, unknown or invalid."),
                        "507": documented_error("The demo's store is full until its next reset.")
                    }
                }
            },
            "/payments/{id}": {
                "get": {
                    "operationId": "getPayment", "summary": "One payment", "tags": ["Payments"],
                    "parameters": [id_param("pay_0001")],
                    "responses": {
                        "200": documented("The payment.", "Payment", example("GET", "/payments/pay_0001", &[], &Value::Null)),
                        "404": documented_error("No such payment.")
                    }
                }
            },
            "/payments/{id}/capture": {
                "post": {
                    "operationId": "capturePayment", "summary": "Capture an authorised payment", "tags": ["Payments"],
                    "description": "All of it, or less (`amount`).",
                    "parameters": [id_param("pay_0007")],
                    "requestBody": { "required": false, "content": { "application/json": {
                        "schema": { "$ref": "#/components/schemas/Capture" }, "example": capture_body } } },
                    "responses": {
                        "200": documented("The payment, succeeded.", "Payment", example("POST", "/payments/pay_0007/capture", &[], &capture_body)),
                        "400": documented_error("The amount is more than was authorised."),
                        "404": documented_error("No such payment."),
                        "409": documented_error("The payment is not waiting for a capture.")
                    }
                }
            },
            "/payments/{id}/cancel": {
                "post": {
                    "operationId": "cancelPayment", "summary": "Cancel an authorised or processing payment", "tags": ["Payments"],
                    "parameters": [id_param("pay_0007")],
                    "responses": {
                        "200": documented("The payment, canceled.", "Payment", example("POST", "/payments/pay_0007/cancel", &[], &Value::Null)),
                        "400": documented_error("The body is not empty."),
                        "404": documented_error("No such payment."),
                        "409": documented_error("The payment is past cancelling.")
                    }
                }
            },
            "/payments/{id}/refunds": {
                "get": {
                    "operationId": "listRefunds", "summary": "A payment's refunds", "tags": ["Refunds"],
                    "parameters": refund_params,
                    "responses": {
                        "200": documented("A page of refunds.", "RefundPage", example("GET", "/payments/pay_0002/refunds", &[], &Value::Null)),
                        "400": documented_error("`limit` out of range or an unknown `starting_after`."),
                        "404": documented_error("No such payment.")
                    }
                },
                "post": {
                    "operationId": "refundPayment", "summary": "Refund all or part of a payment", "tags": ["Refunds"],
                    "description": "Without `amount`, what is left. The payment becomes `partially_refunded` or `refunded`.",
                    "parameters": [id_param("pay_0001")],
                    "requestBody": { "required": false, "content": { "application/json": {
                        "schema": { "$ref": "#/components/schemas/NewRefund" }, "example": refund_body } } },
                    "responses": {
                        "201": documented("The refund.", "Refund", example("POST", "/payments/pay_0001/refunds", &[], &refund_body)),
                        "400": documented_error("More than is left to refund, or an invalid field."),
                        "404": documented_error("No such payment."),
                        "409": documented_error("The payment did not succeed or is refunded."),
                        "507": documented_error("The demo's store is full until its next reset.")
                    }
                }
            },
            "/balance": {
                "get": {
                    "operationId": "getBalance", "summary": "The balance per currency", "tags": ["Balance"],
                    "responses": {
                        "200": documented("Available (succeeded, less refunds) and pending (authorised or processing).", "Balance", example("GET", "/balance", &[], &Value::Null))
                    }
                }
            }
        },
        "components": {
            "securitySchemes": { "apiKey": { "type": "apiKey", "in": "header", "name": "X-API-Key" } },
            "schemas": {
                "Error": error_schema(),
                "Payment": { "type": "object", "required": ["id", "amount", "currency", "method", "status", "amount_refunded", "created_at", "updated_at"], "properties": {
                    "id": { "type": "string", "pattern": "^pay_[0-9]{4,}$" }, "amount": amount,
                    "currency": { "type": "string", "enum": CURRENCIES }, "method": { "type": "string", "enum": METHODS },
                    "customer_id": { "type": "string" }, "description": { "type": "string" },
                    "status": { "type": "string", "enum": STATUSES },
                    "failure_code": { "type": "string", "enum": ["card_declined"] },
                    "amount_refunded": { "type": "integer", "minimum": 0 },
                    "created_at": stamp_schema, "updated_at": stamp_schema } },
                "NewPayment": { "type": "object", "required": ["amount", "currency"], "additionalProperties": false, "properties": {
                    "amount": amount, "currency": { "type": "string", "enum": CURRENCIES },
                    "method": { "type": "string", "enum": METHODS, "default": "card" },
                    "capture": { "type": "boolean", "default": true },
                    "customer_id": { "type": "string", "minLength": 1, "maxLength": 64 },
                    "description": { "type": "string", "minLength": 1, "maxLength": 200 } } },
                "Capture": { "type": "object", "additionalProperties": false, "properties": { "amount": amount } },
                "NewRefund": { "type": "object", "additionalProperties": false, "properties": {
                    "amount": amount, "reason": { "type": "string", "enum": REASONS } } },
                "Refund": { "type": "object", "required": ["id", "payment_id", "amount", "currency", "reason", "status", "created_at"], "properties": {
                    "id": { "type": "string", "pattern": "^re_[0-9]{4,}$" }, "payment_id": { "type": "string" },
                    "amount": amount, "currency": { "type": "string", "enum": CURRENCIES },
                    "reason": { "type": "string", "enum": REASONS }, "status": { "type": "string", "enum": ["succeeded"] },
                    "created_at": stamp_schema } },
                "PaymentPage": page_schema("Payment"),
                "RefundPage": page_schema("Refund"),
                "Balance": { "type": "object", "required": ["available", "pending"], "properties": {
                    "available": money.clone(), "pending": money } }
            }
        }
    })
}

/// The backend, as the demo's table lists it.
pub const BACKEND: Backend = Backend {
    name: "payments",
    base: BASE,
    api: DemoApi {
        tenant: "demo",
        slug: "payments",
        name: "Payments API",
        description: "Accept card and SEPA payments, issue refunds and follow settlements. PCI-DSS scope stays on our side.",
        category: "payments",
        tags: &["payments", "refunds", "sepa"],
        audience: Audience::Partner,
        auth: AuthType::ApiKey,
        resources: &[
            r("payments", "Payment", &[("amount", "integer"), ("currency", "string"), ("status", "string")]),
            r("refunds", "Refund", &[("payment_id", "string"), ("amount", "integer"), ("reason", "string")]),
            r("settlements", "Settlement", &[("date", "string"), ("total", "integer")]),
        ],
        versions: &["1.0.0", "2.0.0", "2.1.0"],
        candidate: None,
        format: Format::Json,
    },
    document,
    answers: Answers::Stateful { answer, seed },
    open: false,
    mcp: Some(McpServer {
        name: "Payments MCP server",
        description: "Take payments and refunds through the Payments API, and read the balance, with the caller's limits.",
        audience: Audience::Partner,
        tools,
        call: tool_call,
    }),
};

/// The MCP server's tools.
fn tools() -> Vec<McpTool> {
    vec![
        tool(
            "create_payment",
            "Take a card payment (captured at once), in minor units of the currency.",
            json!({ "type": "object", "required": ["amount", "currency"], "additionalProperties": false, "properties": {
            "amount": { "type": "integer", "minimum": 1, "maximum": 100_000_000, "examples": [4990] },
            "currency": { "type": "string", "enum": ["EUR", "USD", "GBP", "CHF"] },
            "customer_id": { "type": "string" },
            "description": { "type": "string", "maxLength": 200 } } }),
        ),
        tool(
            "refund_payment",
            "Refund all or part of a payment.",
            json!({ "type": "object", "required": ["payment_id"], "additionalProperties": false, "properties": {
            "payment_id": { "type": "string", "examples": ["pay_0001"] },
            "amount": { "type": "integer", "minimum": 1 },
            "reason": { "type": "string", "enum": ["requested_by_customer", "duplicate", "fraudulent"] } } }),
        ),
        tool(
            "get_balance",
            "The merchant balance per currency: available and pending.",
            json!({ "type": "object", "additionalProperties": false, "properties": {} }),
        ),
    ]
}

/// The REST call of the backend a tool call stands for.
fn tool_call(tool: &str, args: &Value, _today: NaiveDate) -> Option<RestCall> {
    Some(match tool {
        "create_payment" => RestCall::post(format!("{BASE}/payments"), args),
        "refund_payment" => {
            let mut body = args.clone();
            if let Some(o) = body.as_object_mut() {
                o.remove("payment_id");
            }
            RestCall::post(format!("{BASE}/payments/{}/refunds", arg(args, "payment_id")), &body)
        }
        "get_balance" => RestCall::get(format!("{BASE}/balance"), &[]),
        _ => return None,
    })
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::super::kit::{check, example_time};
    use super::*;

    fn call(store: &mut Store, method: &str, path: &str, body: &str, now: DateTime<Utc>) -> Reply {
        answer(&Request { method, path, query: &[], body: body.as_bytes() }, store, now)
    }

    #[test]
    fn every_operation_answers_what_its_document_shows_and_bad_input_with_400() {
        let doc = document("2.1.0", "Payments.");
        let calls = check::shown_calls(&doc);
        assert_eq!(calls.len(), 8);
        for (operation, method, path, query, body) in calls {
            let req = Request { method: &method, path: &path, query: &query, body: &body };
            let (status, answer) = answer(&req, &mut seed(example_time()), example_time());
            assert!((200..300).contains(&status), "{operation}: {status} {answer}");
            check::against(&doc, &operation, status, &answer);
        }
        let t = example_time();
        let bad: &[(&str, &str, &str, &str, u16)] = &[
            ("createPayment", "POST", "/payments", "", 400),
            ("createPayment", "POST", "/payments", r#"{"amount":0,"currency":"EUR"}"#, 400),
            ("createPayment", "POST", "/payments", r#"{"amount":"12","currency":"EUR"}"#, 400),
            ("createPayment", "POST", "/payments", r#"{"amount":100,"currency":"JPY"}"#, 400),
            (
                "createPayment",
                "POST",
                "/payments",
                r#"{"amount":100,"currency":"USD","method":"sepa_debit"}"#,
                400,
            ),
            ("createPayment", "POST", "/payments", r#"{"amount":100,"currency":"EUR","capture":"yes"}"#, 400),
            (
                "createPayment",
                "POST",
                "/payments",
                r#"{"amount":100,"currency":"EUR","card_number":"4242"}"#,
                400,
            ),
            ("getPayment", "GET", "/payments/pay_9999", "", 404),
            ("capturePayment", "POST", "/payments/pay_0001/capture", "", 409),
            ("capturePayment", "POST", "/payments/pay_0007/capture", r#"{"amount":90000}"#, 400),
            ("cancelPayment", "POST", "/payments/pay_0001/cancel", "", 409),
            ("refundPayment", "POST", "/payments/pay_0001/refunds", r#"{"amount":13000}"#, 400),
            ("refundPayment", "POST", "/payments/pay_0001/refunds", r#"{"reason":"bored"}"#, 400),
            ("refundPayment", "POST", "/payments/pay_0003/refunds", "", 409),
            ("refundPayment", "POST", "/payments/pay_0004/refunds", "", 409),
            ("listRefunds", "GET", "/payments/pay_9999/refunds", "", 404),
        ];
        for (operation, method, path, body, want) in bad {
            let mut store = seed(t);
            let (status, answer) = call(&mut store, method, path, body, t);
            assert_eq!(status, *want, "{method} {path} {body}: {answer}");
            check::against(&doc, operation, status, &answer);
            assert!(store.changes().is_empty(), "{operation}: nothing half-done");
        }
        assert_eq!(call(&mut seed(t), "DELETE", "/payments/pay_0001", "", t).0, 405);
    }

    #[test]
    fn payments_follow_their_life_cycle_and_the_balance_follows_them() {
        let t = example_time();
        let mut store = seed(t);
        let eur = |store: &mut Store, kind: &str| {
            let (_, b) = call(store, "GET", "/balance", "", t);
            b[kind]
                .as_array()
                .and_then(|l| l.iter().find(|m| m["currency"] == "EUR"))
                .map_or(0, |m| m["amount"].as_i64().unwrap_or(0))
        };
        let available = eur(&mut store, "available");
        // Captured at once.
        let (s, p) = call(&mut store, "POST", "/payments", r#"{"amount":2000,"currency":"EUR"}"#, t);
        assert_eq!((s, p["status"].as_str(), p["id"].as_str()), (201, Some("succeeded"), Some("pay_0009")));
        assert_eq!(eur(&mut store, "available"), available + 2000);
        // Declined test amount.
        let (_, p) = call(&mut store, "POST", "/payments", r#"{"amount":4002,"currency":"EUR"}"#, t);
        assert_eq!(
            (p["status"].as_str(), p["failure_code"].as_str()),
            (Some("failed"), Some("card_declined"))
        );
        // Authorised, captured for less, refunded in two parts.
        let (_, p) =
            call(&mut store, "POST", "/payments", r#"{"amount":10000,"currency":"EUR","capture":false}"#, t);
        assert_eq!(p["status"], "requires_capture");
        let pending = eur(&mut store, "pending");
        let (s, p) = call(&mut store, "POST", "/payments/pay_0011/capture", r#"{"amount":8000}"#, t);
        assert_eq!((s, p["status"].as_str(), p["amount"].as_i64()), (200, Some("succeeded"), Some(8000)));
        assert_eq!(eur(&mut store, "pending"), pending - 10000);
        let (s, r) = call(&mut store, "POST", "/payments/pay_0011/refunds", r#"{"amount":3000}"#, t);
        assert_eq!((s, r["amount"].as_i64()), (201, Some(3000)));
        let (_, p) = call(&mut store, "GET", "/payments/pay_0011", "", t);
        assert_eq!(
            (p["status"].as_str(), p["amount_refunded"].as_i64()),
            (Some("partially_refunded"), Some(3000))
        );
        let (_, r) = call(&mut store, "POST", "/payments/pay_0011/refunds", "", t);
        assert_eq!(r["amount"], 5000, "the rest");
        let (_, p) = call(&mut store, "GET", "/payments/pay_0011", "", t);
        assert_eq!(p["status"], "refunded");
        let (_, list) = call(&mut store, "GET", "/payments/pay_0011/refunds", "", t);
        assert_eq!(list["items"].as_array().map(Vec::len), Some(2));
        // SEPA: processing for a minute, then succeeded (and counted as available).
        let (_, p) = call(
            &mut store,
            "POST",
            "/payments",
            r#"{"amount":5000,"currency":"EUR","method":"sepa_debit"}"#,
            t,
        );
        assert_eq!(p["status"], "processing");
        let id = p["id"].as_str().unwrap_or_default().to_owned();
        let later = t + Duration::seconds(61);
        assert_eq!(call(&mut store, "GET", &format!("/payments/{id}"), "", later).1["status"], "succeeded");
        assert_eq!(call(&mut store, "POST", &format!("/payments/{id}/cancel"), "", later).0, 409);
    }
}

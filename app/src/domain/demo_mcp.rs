//! The demo tenant's three MCP servers (weather, CRM, payments) as live backends, served
//! in-process at `/demo-backends/mcp/{server}`: MCP over streamable HTTP, one JSON-RPC
//! 2.0 message per POST answered with one JSON message. `initialize`, `ping`,
//! `tools/list` and `tools/call` — a call's arguments checked against the tool's input
//! schema (JSON-RPC error -32602 otherwise), then answered by the demo REST backend the
//! tool stands for, whose answer becomes the tool's result (`isError` when it refused).

use super::demo_backend::Reply;
use super::mcp::McpTool;
use super::{demo_crm, demo_payments, demo_weather};
use chrono::{Duration, NaiveDate};
use serde_json::{json, Value};

/// Where the MCP servers are served, relative to the portal (their remotes).
pub const BASE: &str = "/demo-backends/mcp/";

/// The MCP protocol versions the servers speak, newest first.
const VERSIONS: &[&str] = &["2025-06-18", "2025-03-26", "2024-11-05"];

/// The three servers' names.
pub const SERVERS: &[&str] = &["weather", "crm", "payments"];

fn tool(name: &str, description: &str, input_schema: Value) -> McpTool {
    McpTool { name: name.into(), description: description.into(), input_schema }
}

/// A server's tools (none for an unknown server).
pub fn tools(server: &str) -> Vec<McpTool> {
    match server {
        "weather" => vec![
            tool(
                "get_forecast",
                "Daily forecast for a place, from today for a number of days.",
                json!({ "type": "object", "required": ["location"], "additionalProperties": false, "properties": {
                    "location": { "type": "string", "minLength": 1, "description": "A place's name or id (see search_places).", "examples": ["Paris"] },
                    "days": { "type": "integer", "minimum": 1, "maximum": demo_weather::MAX_DAYS, "default": 3 },
                    "units": { "type": "string", "enum": ["metric", "imperial"], "default": "metric" } } }),
            ),
            tool(
                "get_alerts",
                "Severe-weather alerts in force today for a region.",
                json!({ "type": "object", "required": ["region"], "additionalProperties": false, "properties": {
                    "region": { "type": "string", "minLength": 1, "description": "A country code (FR) or a place id.", "examples": ["FR"] } } }),
            ),
            tool(
                "search_places",
                "Places whose name holds the query.",
                json!({ "type": "object", "required": ["query"], "additionalProperties": false, "properties": {
                    "query": { "type": "string", "minLength": 1, "examples": ["par"] } } }),
            ),
        ],
        "crm" => vec![
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
        ],
        "payments" => vec![
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
        ],
        _ => vec![],
    }
}

/// A REST call a tool stands for: method, path (`/demo-backends/…`), query, body.
#[derive(Debug, PartialEq)]
pub struct RestCall {
    pub method: &'static str,
    pub path: String,
    pub query: Option<String>,
    pub body: Vec<u8>,
}

/// What a message asks for: an answer now, or a tool's REST call whose answer
/// [`tool_result`] turns into the message's answer.
#[derive(Debug, PartialEq)]
pub enum Step {
    /// An HTTP status and a JSON-RPC message (`Null`: no body, 202 for a notification).
    Answer(u16, Value),
    Call {
        id: Value,
        call: RestCall,
    },
}

fn rpc_error(id: &Value, code: i64, message: impl Into<String>) -> Value {
    json!({ "jsonrpc": "2.0", "id": id, "error": { "code": code, "message": message.into() } })
}

fn rpc_result(id: &Value, result: Value) -> Value {
    json!({ "jsonrpc": "2.0", "id": id, "result": result })
}

/// The step for one message `body` POSTed to `server` on `today` (none: no such server).
pub fn step(server: &str, body: &[u8], today: NaiveDate) -> Option<Step> {
    if !SERVERS.contains(&server) {
        return None;
    }
    let message: Value = match serde_json::from_slice(body) {
        Ok(v) => v,
        Err(e) => {
            return Some(Step::Answer(400, rpc_error(&Value::Null, -32700, format!("Parse error: {e}"))))
        }
    };
    let Some(object) = message.as_object() else {
        return Some(Step::Answer(
            400,
            rpc_error(&Value::Null, -32600, "Send one JSON-RPC 2.0 message (batches are not accepted)."),
        ));
    };
    let id = object.get("id").cloned().unwrap_or(Value::Null);
    if object.get("jsonrpc") != Some(&json!("2.0")) {
        return Some(Step::Answer(400, rpc_error(&id, -32600, "The message must say \"jsonrpc\": \"2.0\".")));
    }
    let Some(method) = object.get("method").and_then(Value::as_str) else {
        // A client's response to the server: nothing to answer.
        return Some(Step::Answer(202, Value::Null));
    };
    if !object.contains_key("id") {
        return Some(Step::Answer(202, Value::Null)); // a notification
    }
    let params = object.get("params").cloned().unwrap_or(json!({}));
    Some(match method {
        "initialize" => {
            let asked = params["protocolVersion"].as_str().unwrap_or_default();
            let version = VERSIONS.iter().find(|v| **v == asked).unwrap_or(&VERSIONS[0]);
            Step::Answer(
                200,
                rpc_result(
                    &id,
                    json!({
                        "protocolVersion": version,
                        "capabilities": { "tools": { "listChanged": false } },
                        "serverInfo": { "name": format!("stoa-demo-{server}"), "version": "1.0.0" },
                        "instructions": "STOA's demo data: reset every day.",
                    }),
                ),
            )
        }
        "ping" => Step::Answer(200, rpc_result(&id, json!({}))),
        "tools/list" => {
            let tools: Vec<Value> = tools(server)
                .into_iter()
                .map(|t| json!({ "name": t.name, "description": t.description, "inputSchema": t.input_schema }))
                .collect();
            Step::Answer(200, rpc_result(&id, json!({ "tools": tools })))
        }
        "tools/call" => call(server, &id, &params, today),
        other => Step::Answer(200, rpc_error(&id, -32601, format!("Method not found: {other}."))),
    })
}

/// A `tools/call`: the tool found, its arguments checked, the REST call it stands for.
fn call(server: &str, id: &Value, params: &Value, today: NaiveDate) -> Step {
    let name = params["name"].as_str().unwrap_or_default();
    let Some(tool) = tools(server).into_iter().find(|t| t.name == name) else {
        return Step::Answer(200, rpc_error(id, -32602, format!("Unknown tool: {name:?}.")));
    };
    let args = match params.get("arguments") {
        None | Some(Value::Null) => json!({}),
        Some(v) => v.clone(),
    };
    let invalid: Vec<String> = match jsonschema::validator_for(&tool.input_schema) {
        Ok(v) => v
            .iter_errors(&args)
            .map(|e| {
                let at = e.instance_path().to_string();
                if at.is_empty() {
                    e.to_string()
                } else {
                    format!("{at}: {e}")
                }
            })
            .collect(),
        Err(e) => vec![e.to_string()],
    };
    if !invalid.is_empty() {
        return Step::Answer(
            200,
            rpc_error(id, -32602, format!("Invalid arguments for {name}: {}.", invalid.join("; "))),
        );
    }
    let s = |k: &str| args[k].as_str().unwrap_or_default().to_owned();
    let query = |pairs: &[(&str, String)]| {
        Some(url::form_urlencoded::Serializer::new(String::new()).extend_pairs(pairs).finish())
    };
    let get = |path: String, q: Option<String>| RestCall { method: "GET", path, query: q, body: vec![] };
    let post = |path: String, body: Value| RestCall {
        method: "POST",
        path,
        query: None,
        body: body.to_string().into_bytes(),
    };
    let (w, c, p) = (demo_weather::BASE, demo_crm::BASE, demo_payments::BASE);
    let rest = match name {
        "get_forecast" => {
            let days = args["days"].as_i64().unwrap_or(3);
            let to = today + Duration::days(days - 1);
            let units = args["units"].as_str().unwrap_or("metric").to_owned();
            get(
                format!("{w}/forecast"),
                query(&[
                    ("place", s("location")),
                    ("from", today.to_string()),
                    ("to", to.to_string()),
                    ("units", units),
                ]),
            )
        }
        "get_alerts" => get(format!("{w}/alerts"), query(&[("region", s("region"))])),
        "search_places" => get(format!("{w}/places"), query(&[("q", s("query"))])),
        "search_customers" => {
            let limit = args["limit"].as_i64().unwrap_or(10).to_string();
            get(format!("{c}/customers"), query(&[("q", s("query")), ("limit", limit)]))
        }
        "get_customer" => get(format!("{c}/customers/{}", s("customer_id")), None),
        "create_lead" => post(format!("{c}/leads"), args.clone()),
        "create_payment" => post(format!("{p}/payments"), args.clone()),
        "refund_payment" => {
            let mut body = args.clone();
            if let Some(o) = body.as_object_mut() {
                o.remove("payment_id");
            }
            post(format!("{p}/payments/{}/refunds", s("payment_id")), body)
        }
        "get_balance" => get(format!("{p}/balance"), None),
        _ => return Step::Answer(200, rpc_error(id, -32602, format!("Unknown tool: {name:?}."))),
    };
    Step::Call { id: id.clone(), call: rest }
}

/// A tool's result from its REST call's answer: the JSON as text and as structured
/// content, an error result when the backend refused.
pub fn tool_result(id: &Value, (status, body): Reply) -> Value {
    let text = serde_json::to_string_pretty(&body).unwrap_or_default();
    let mut result = json!({ "content": [{ "type": "text", "text": text }], "isError": status >= 400 });
    if body.is_object() {
        result["structuredContent"] = body;
    }
    rpc_result(id, result)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 6, 1).unwrap_or_default()
    }

    fn send(server: &str, message: Value) -> Step {
        step(server, message.to_string().as_bytes(), day()).expect("a server")
    }

    #[test]
    fn the_servers_speak_mcp_and_check_arguments_against_the_input_schemas() {
        assert!(step("nowhere", b"{}", day()).is_none());
        let init = send(
            "weather",
            json!({ "jsonrpc": "2.0", "id": 1, "method": "initialize",
            "params": { "protocolVersion": "2025-03-26", "capabilities": {}, "clientInfo": { "name": "t", "version": "1" } } }),
        );
        let Step::Answer(200, m) = init else { panic!("{init:?}") };
        assert_eq!(m["result"]["protocolVersion"], "2025-03-26");
        assert!(m["result"]["capabilities"]["tools"].is_object());
        assert_eq!(
            send("crm", json!({ "jsonrpc": "2.0", "method": "notifications/initialized" })),
            Step::Answer(202, Value::Null)
        );
        for server in SERVERS {
            let Step::Answer(200, m) =
                send(server, json!({ "jsonrpc": "2.0", "id": "l", "method": "tools/list" }))
            else {
                panic!("tools/list")
            };
            assert_eq!(m["result"]["tools"].as_array().map(Vec::len), Some(3), "{server}");
            for t in tools(server) {
                assert!(super::super::mcp::parse_tools(
                    &json!([{ "name": t.name, "description": t.description, "inputSchema": t.input_schema }])
                        .to_string()
                )
                .is_ok());
            }
        }
        // Arguments are checked: a missing required one, a wrong type, an unknown one.
        for args in [
            json!({}),
            json!({ "location": 3 }),
            json!({ "location": "Paris", "hours": 3 }),
            json!({ "location": "Paris", "days": 40 }),
        ] {
            let s = send(
                "weather",
                json!({ "jsonrpc": "2.0", "id": 7, "method": "tools/call", "params": { "name": "get_forecast", "arguments": args } }),
            );
            let Step::Answer(200, m) = s else { panic!("{s:?}") };
            assert_eq!((m["id"].as_i64(), m["error"]["code"].as_i64()), (Some(7), Some(-32602)), "{m}");
        }
        let s = send(
            "payments",
            json!({ "jsonrpc": "2.0", "id": 2, "method": "tools/call", "params": { "name": "steal", "arguments": {} } }),
        );
        assert!(matches!(s, Step::Answer(200, ref m) if m["error"]["code"] == -32602), "{s:?}");
        assert!(matches!(step("crm", b"[{}]", day()), Some(Step::Answer(400, _))));
        assert!(
            matches!(step("crm", b"{nope", day()), Some(Step::Answer(400, ref m)) if m["error"]["code"] == -32700)
        );
        let s = send("crm", json!({ "jsonrpc": "2.0", "id": 3, "method": "resources/list" }));
        assert!(matches!(s, Step::Answer(200, ref m) if m["error"]["code"] == -32601), "{s:?}");
        // A valid call becomes its REST call.
        let s = send(
            "weather",
            json!({ "jsonrpc": "2.0", "id": 4, "method": "tools/call", "params": { "name": "get_forecast", "arguments": { "location": "Paris", "days": 2 } } }),
        );
        let Step::Call { id, call } = s else { panic!("{s:?}") };
        assert_eq!(id, 4);
        assert_eq!(call.path, "/demo-backends/weather/v1/forecast");
        assert_eq!(call.query.as_deref(), Some("place=Paris&from=2026-06-01&to=2026-06-02&units=metric"));
        let s = send(
            "payments",
            json!({ "jsonrpc": "2.0", "id": 5, "method": "tools/call", "params": { "name": "refund_payment", "arguments": { "payment_id": "pay_0001", "amount": 100 } } }),
        );
        let Step::Call { call, .. } = s else { panic!("{s:?}") };
        assert_eq!(
            (call.method, call.path.as_str(), call.body.as_slice()),
            ("POST", "/demo-backends/payments/v1/payments/pay_0001/refunds", br#"{"amount":100}"#.as_slice())
        );
        // A refusal of the backend is a tool error, not a protocol error.
        let r = tool_result(&json!(9), (404, json!({ "code": "unknown_place", "message": "No place." })));
        assert_eq!(
            (r["result"]["isError"].as_bool(), r["result"]["structuredContent"]["code"].as_str()),
            (Some(true), Some("unknown_place"))
        );
    }
}

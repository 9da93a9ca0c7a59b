//! The demo backends' MCP servers (those of [`super::BACKENDS`] with an [`McpServer`]),
//! served in-process at `/demo-backends/mcp/{server}`: MCP over streamable HTTP, one JSON-RPC
//! 2.0 message per POST answered with one JSON message. `initialize`, `ping`,
//! `tools/list` and `tools/call` — a call's arguments checked against the tool's input
//! schema (JSON-RPC error -32602 otherwise), then answered by the demo REST backend the
//! tool stands for, whose answer becomes the tool's result (`isError` when it refused).

use super::kit::Reply;
use super::{McpServer, BACKENDS};
use crate::domain::mcp::McpTool;
use chrono::NaiveDate;
use serde_json::{json, Value};

/// The MCP protocol versions the servers speak, newest first.
const VERSIONS: &[&str] = &["2025-06-18", "2025-03-26", "2024-11-05"];

/// A tool, from its name, description and input schema.
pub fn tool(name: &str, description: &str, input_schema: Value) -> McpTool {
    McpTool { name: name.into(), description: description.into(), input_schema }
}

/// The MCP servers' names.
pub fn servers() -> impl Iterator<Item = &'static str> {
    BACKENDS.iter().filter(|b| b.mcp.is_some()).map(|b| b.name)
}

/// A server's tools (none for an unknown server).
pub fn tools(server: &str) -> Vec<McpTool> {
    server_named(server).map(|m| (m.tools)()).unwrap_or_default()
}

fn server_named(name: &str) -> Option<&'static McpServer> {
    BACKENDS.iter().find(|b| b.name == name).and_then(|b| b.mcp.as_ref())
}

/// A REST call a tool stands for: method, path (`/demo-backends/…`), query, body.
#[derive(Debug, PartialEq)]
pub struct RestCall {
    pub method: &'static str,
    pub path: String,
    pub query: Option<String>,
    pub body: Vec<u8>,
}

impl RestCall {
    /// A `GET` of `path` with the `query` pairs (none: no query).
    pub fn get(path: String, query: &[(&str, String)]) -> RestCall {
        let query = (!query.is_empty())
            .then(|| url::form_urlencoded::Serializer::new(String::new()).extend_pairs(query).finish());
        RestCall { method: "GET", path, query, body: vec![] }
    }

    /// A `POST` of `body` to `path`.
    pub fn post(path: String, body: &Value) -> RestCall {
        RestCall { method: "POST", path, query: None, body: body.to_string().into_bytes() }
    }
}

/// A string argument (empty when absent: the input schema said whether it may be).
pub fn arg(args: &Value, name: &str) -> String {
    args[name].as_str().unwrap_or_default().to_owned()
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
    let mcp = server_named(server)?;
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
        "tools/call" => call(mcp, &id, &params, today),
        other => Step::Answer(200, rpc_error(&id, -32601, format!("Method not found: {other}."))),
    })
}

/// A `tools/call`: the tool found, its arguments checked, the REST call it stands for.
fn call(server: &McpServer, id: &Value, params: &Value, today: NaiveDate) -> Step {
    let name = params["name"].as_str().unwrap_or_default();
    let Some(tool) = (server.tools)().into_iter().find(|t| t.name == name) else {
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
    match (server.call)(name, &args, today) {
        Some(call) => Step::Call { id: id.clone(), call },
        None => Step::Answer(200, rpc_error(id, -32602, format!("Unknown tool: {name:?}."))),
    }
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
        for server in servers() {
            let Step::Answer(200, m) =
                send(server, json!({ "jsonrpc": "2.0", "id": "l", "method": "tools/list" }))
            else {
                panic!("tools/list")
            };
            assert_eq!(m["result"]["tools"].as_array().map(Vec::len), Some(3), "{server}");
            for t in tools(server) {
                assert!(crate::domain::mcp::parse_tools(
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

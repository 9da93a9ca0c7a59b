//! An MCP server's tools as a publisher sends them: the `tools` array of MCP's
//! `tools/list` result (or that result whole), each tool with a name, a description and an
//! `inputSchema` that must be a valid JSON Schema describing an object.

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Most tools one server may declare.
pub const MAX_TOOLS: usize = 200;

/// One tool.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
pub struct McpTool {
    pub name: String,
    pub description: String,
    pub input_schema: Value,
}

/// What is wrong with the tools text, and where: a line and column for JSON syntax, a
/// JSON pointer (`/2/inputSchema/properties/days/type`) for everything else.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ToolsError {
    #[error("line {line}, column {column}: {message}")]
    Syntax { line: usize, column: usize, message: String },
    #[error("{pointer}: {message}")]
    At { pointer: String, message: String },
}

fn at(pointer: impl Into<String>, message: impl Into<String>) -> ToolsError {
    ToolsError::At { pointer: pointer.into(), message: message.into() }
}

/// A tool name as MCP clients accept it: 1–64 of `A-Z a-z 0-9 _ - .`.
pub fn valid_tool_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 64
        && name.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
}

/// Arguments a tool's input schema accepts: each required property filled with its
/// example (`examples`' first or `example`), else its default, its first allowed value,
/// or a value of its type (the minimum for a number).
pub fn example_arguments(schema: &Value) -> Value {
    let mut out = serde_json::Map::new();
    let required = schema.get("required").and_then(Value::as_array).into_iter().flatten();
    for name in required.filter_map(Value::as_str) {
        let p = &schema["properties"][name];
        let picked = p
            .get("examples")
            .and_then(|e| e.get(0))
            .or_else(|| p.get("example"))
            .or_else(|| p.get("default"))
            .or_else(|| p.get("enum").and_then(|e| e.get(0)))
            .cloned()
            .unwrap_or_else(|| match p["type"].as_str() {
                Some("integer" | "number") => p.get("minimum").cloned().unwrap_or(Value::from(1)),
                Some("boolean") => Value::Bool(true),
                Some("object") => Value::Object(serde_json::Map::new()),
                Some("array") => Value::Array(vec![]),
                _ => Value::from("example"),
            });
        out.insert(name.to_owned(), picked);
    }
    Value::Object(out)
}

/// Parses and checks `text`. An empty text is no tools.
pub fn parse_tools(text: &str) -> Result<Vec<McpTool>, ToolsError> {
    if text.trim().is_empty() {
        return Ok(vec![]);
    }
    let value: Value = serde_json::from_str(text).map_err(|e| ToolsError::Syntax {
        line: e.line(),
        column: e.column(),
        message: e.to_string().split(" at line").next().unwrap_or_default().to_owned(),
    })?;
    let (list, base) = match &value {
        Value::Array(list) => (list, ""),
        Value::Object(o) => match o.get("tools") {
            Some(Value::Array(list)) => (list, "/tools"),
            _ => return Err(at("", "expected an array of tools, or an object with a `tools` array")),
        },
        _ => return Err(at("", "expected an array of tools")),
    };
    if list.len() > MAX_TOOLS {
        return Err(at(base, format!("at most {MAX_TOOLS} tools")));
    }
    let mut tools: Vec<McpTool> = Vec::with_capacity(list.len());
    for (i, entry) in list.iter().enumerate() {
        let here = format!("{base}/{i}");
        let Some(o) = entry.as_object() else {
            return Err(at(here, "a tool is an object"));
        };
        let name = match o.get("name") {
            Some(Value::String(n)) if valid_tool_name(n) => n.clone(),
            Some(_) => return Err(at(format!("{here}/name"), "1 to 64 letters, digits, `_`, `-` or `.`")),
            None => return Err(at(here, "`name` is required")),
        };
        if tools.iter().any(|t| t.name == name) {
            return Err(at(format!("{here}/name"), format!("`{name}` is declared twice")));
        }
        let description = match o.get("description") {
            None | Some(Value::Null) => String::new(),
            Some(Value::String(d)) if d.len() <= 2_000 => d.clone(),
            Some(_) => return Err(at(format!("{here}/description"), "a text of at most 2000 characters")),
        };
        let schema = o
            .get("inputSchema")
            .or_else(|| o.get("input_schema"))
            .cloned()
            .unwrap_or_else(|| serde_json::json!({ "type": "object", "properties": {} }));
        check_schema(&schema)
            .map_err(|(pointer, message)| at(format!("{here}/inputSchema{pointer}"), message))?;
        tools.push(McpTool { name, description, input_schema: schema });
    }
    Ok(tools)
}

/// An input schema: a JSON Schema (checked against its meta-schema, the draft it names
/// or 2020-12) whose instances are objects, as MCP requires.
fn check_schema(schema: &Value) -> Result<(), (String, String)> {
    let Some(o) = schema.as_object() else {
        return Err((String::new(), "an input schema is a JSON object".into()));
    };
    if o.get("type").and_then(Value::as_str) != Some("object") {
        return Err(("/type".into(), "an input schema has `\"type\": \"object\"`".into()));
    }
    #[cfg(feature = "ssr")]
    if let Err(e) = jsonschema::meta::validate(schema) {
        let pointer = e.instance_path().to_string();
        let message = e.to_string();
        return Err((pointer, message));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn example_arguments_fill_each_required_property() {
        let schema = serde_json::json!({ "type": "object", "required": ["a", "b", "c", "d", "e"], "properties": {
            "a": { "type": "string", "examples": ["Paris"] }, "b": { "type": "integer", "default": 3 },
            "c": { "type": "string", "enum": ["EUR", "USD"] }, "d": { "type": "integer", "minimum": 5 },
            "e": { "type": "string" }, "f": { "type": "string", "examples": ["not required"] } } });
        assert_eq!(
            example_arguments(&schema),
            serde_json::json!({ "a": "Paris", "b": 3, "c": "EUR", "d": 5, "e": "example" })
        );
        assert_eq!(example_arguments(&serde_json::json!({ "type": "object" })), serde_json::json!({}));
    }

    #[test]
    fn accepts_a_tools_list_result_and_a_bare_array() {
        let list = r#"{"tools":[{"name":"get_forecast","description":"Forecast","inputSchema":{"type":"object","required":["location"],"properties":{"location":{"type":"string"}}}}]}"#;
        let tools = parse_tools(list).expect("valid");
        assert_eq!(tools.len(), 1);
        assert_eq!(tools[0].name, "get_forecast");
        let bare = r#"[{"name":"ping"}]"#;
        assert_eq!(parse_tools(bare).expect("valid")[0].input_schema["type"], "object");
        assert_eq!(parse_tools("  ").expect("empty"), vec![]);
    }

    #[test]
    fn syntax_errors_name_line_and_column() {
        let e = parse_tools("[\n  {\"name\": \"a\",}\n]").expect_err("refused");
        assert!(matches!(e, ToolsError::Syntax { line: 2, .. }), "{e:?}");
    }

    #[test]
    fn an_invalid_schema_is_refused_with_its_pointer() {
        let bad_type =
            r#"[{"name":"a","inputSchema":{"type":"object","properties":{"days":{"type":"integr"}}}}]"#;
        let e = parse_tools(bad_type).expect_err("refused").to_string();
        assert!(e.starts_with("/0/inputSchema/properties/days/type"), "{e}");
        let bad_min = r#"{"tools":[{"name":"a"},{"name":"b","inputSchema":{"type":"object","properties":{"n":{"minimum":"one"}}}}]}"#;
        let e = parse_tools(bad_min).expect_err("refused").to_string();
        assert!(e.starts_with("/tools/1/inputSchema/properties/n/minimum"), "{e}");
        let not_object = r#"[{"name":"a","inputSchema":{"type":"string"}}]"#;
        assert!(parse_tools(not_object).expect_err("refused").to_string().starts_with("/0/inputSchema/type"));
    }

    #[test]
    fn names_are_checked_and_unique() {
        assert!(parse_tools(r#"[{"name":"has space"}]"#)
            .expect_err("refused")
            .to_string()
            .starts_with("/0/name"));
        assert!(parse_tools(r#"[{"name":"a"},{"name":"a"}]"#)
            .expect_err("refused")
            .to_string()
            .starts_with("/1/name"));
        assert!(parse_tools(r#"[{"description":"x"}]"#).expect_err("refused").to_string().starts_with("/0:"));
    }
}

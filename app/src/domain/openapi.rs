//! OpenAPI documents as publishers upload them: JSON or YAML, OpenAPI 3.0 or 3.1.
//! `parse` reads and validates a document and says what is wrong and where (line and
//! column for syntax, JSON pointer for structure); the catalog keeps the raw text and the
//! parsed tree, and pages render operations from the tree.

// Parsing runs on the server only (YAML support is server-side); the browser build keeps
// the types and `resolve`, and the validation helpers go unused there.
#![cfg_attr(not(feature = "ssr"), allow(dead_code))]

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// The largest document accepted.
pub const MAX_DOCUMENT_BYTES: usize = 10 * 1024 * 1024;

/// HTTP methods an OpenAPI path item may hold, in display order.
pub const METHODS: [&str; 8] = ["get", "post", "put", "patch", "delete", "head", "options", "trace"];

/// How the document was written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Format {
    Json,
    Yaml,
}

impl Format {
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Json => "json",
            Format::Yaml => "yaml",
        }
    }
}

/// One operation, as the catalog lists and searches it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Operation {
    pub method: String,
    pub path: String,
    pub operation_id: Option<String>,
    pub summary: Option<String>,
    pub tags: Vec<String>,
    pub deprecated: bool,
}

/// A valid document and what the catalog needs from it.
#[derive(Clone, Debug, PartialEq)]
pub struct Document {
    pub format: Format,
    pub spec: Value,
    pub openapi: String,
    pub title: String,
    pub version: String,
    pub description: Option<String>,
    pub servers: Vec<String>,
    pub operations: Vec<Operation>,
}

/// What is wrong with a document, and where.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
#[error("{location}: {problem}")]
pub struct DocumentError {
    /// `line 12, column 3` for syntax errors, a JSON pointer (`/paths/~1pets/get`) for
    /// structural ones.
    pub location: String,
    pub problem: String,
}

fn at(pointer: &str, problem: impl Into<String>) -> DocumentError {
    DocumentError {
        location: if pointer.is_empty() { "/".into() } else { pointer.into() },
        problem: problem.into(),
    }
}

/// Every operation of a stored (already validated) document: its method in lower case,
/// its path template and its object, in the document's order.
pub fn each_operation(spec: &Value) -> Vec<(&'static str, &str, &Value)> {
    let Some(paths) = spec.get("paths").and_then(Value::as_object) else { return vec![] };
    paths
        .iter()
        .flat_map(|(template, item)| {
            METHODS.into_iter().filter_map(move |m| item.get(m).map(|op| (m, template.as_str(), op)))
        })
        .collect()
}

/// Escapes one JSON-pointer segment (`~` → `~0`, `/` → `~1`).
pub fn escape(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}

/// Reads and validates an OpenAPI 3.0 / 3.1 document.
#[cfg(feature = "ssr")]
pub fn parse(bytes: &[u8]) -> Result<Document, DocumentError> {
    if bytes.len() > MAX_DOCUMENT_BYTES {
        return Err(at("", format!("the document is larger than {} MB", MAX_DOCUMENT_BYTES / 1024 / 1024)));
    }
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let line = bytes[..e.valid_up_to()].iter().filter(|b| **b == b'\n').count() + 1;
        DocumentError { location: format!("line {line}"), problem: "the document is not UTF-8 text".into() }
    })?;
    let trimmed = text.trim_start_matches('\u{feff}').trim_start();
    if trimmed.is_empty() {
        return Err(at("", "the document is empty"));
    }
    let (format, spec) = if trimmed.starts_with('{') {
        let v = serde_json::from_str::<Value>(trimmed).map_err(|e| DocumentError {
            location: format!("line {}, column {}", e.line(), e.column()),
            problem: format!("invalid JSON: {}", strip_position(&e.to_string())),
        })?;
        (Format::Json, v)
    } else {
        let v = serde_norway::from_str::<Value>(trimmed).map_err(|e| DocumentError {
            location: e
                .location()
                .map(|l| format!("line {}, column {}", l.line(), l.column()))
                .unwrap_or_else(|| "/".into()),
            problem: format!("invalid YAML: {}", strip_position(&e.to_string())),
        })?;
        (Format::Yaml, v)
    };
    validate(format, spec)
}

#[cfg(feature = "ssr")]
/// Library messages end with their own " at line X column Y"; we report it separately.
fn strip_position(message: &str) -> String {
    match message.find(" at line ") {
        Some(i) => message[..i].to_owned(),
        None => message.to_owned(),
    }
}

fn validate(format: Format, spec: Value) -> Result<Document, DocumentError> {
    let root = spec.as_object().ok_or_else(|| at("", "the document must be an object"))?;
    let openapi = root
        .get("openapi")
        .and_then(Value::as_str)
        .ok_or_else(|| at("/openapi", "required: the OpenAPI version, e.g. \"3.1.0\""))?
        .to_owned();
    let v31 = openapi.starts_with("3.1.");
    if !(openapi.starts_with("3.0.") || v31) {
        return Err(at("/openapi", format!("unsupported version \"{openapi}\" (3.0.x or 3.1.x)")));
    }
    let info =
        root.get("info").and_then(Value::as_object).ok_or_else(|| at("/info", "required: an object"))?;
    let title = text_field(info, "/info", "title")?;
    let version = text_field(info, "/info", "version")?;
    let description = info.get("description").and_then(Value::as_str).map(str::to_owned);
    let servers = match root.get("servers") {
        None => Vec::new(),
        Some(Value::Array(list)) => list
            .iter()
            .enumerate()
            .map(|(i, s)| {
                s.get("url")
                    .and_then(Value::as_str)
                    .map(str::to_owned)
                    .ok_or_else(|| at(&format!("/servers/{i}/url"), "required: the server URL"))
            })
            .collect::<Result<_, _>>()?,
        Some(_) => return Err(at("/servers", "must be an array")),
    };
    let mut operations = Vec::new();
    match root.get("paths") {
        None if v31 && (root.contains_key("webhooks") || root.contains_key("components")) => {}
        None => return Err(at("/paths", "required: an object of paths")),
        Some(Value::Object(paths)) => {
            for (path, item) in paths {
                let pointer = format!("/paths/{}", escape(path));
                if !path.starts_with('/') {
                    return Err(at(&pointer, format!("path \"{path}\" must start with /")));
                }
                let item = item.as_object().ok_or_else(|| at(&pointer, "a path item must be an object"))?;
                for method in METHODS {
                    let Some(op) = item.get(method) else { continue };
                    let op_pointer = format!("{pointer}/{method}");
                    operations.push(operation(path, method, op, &op_pointer, v31)?);
                }
            }
        }
        Some(_) => return Err(at("/paths", "must be an object")),
    }
    check_refs(&spec, &spec, &mut String::new())?;
    Ok(Document { format, openapi, title, version, description, servers, operations, spec })
}

fn text_field(obj: &Map<String, Value>, pointer: &str, key: &str) -> Result<String, DocumentError> {
    match obj.get(key) {
        Some(Value::String(s)) if !s.trim().is_empty() => Ok(s.clone()),
        Some(Value::Number(n)) if key == "version" => Ok(n.to_string()),
        _ => Err(at(&format!("{pointer}/{key}"), "required: a non-empty string")),
    }
}

fn operation(
    path: &str,
    method: &str,
    op: &Value,
    pointer: &str,
    v31: bool,
) -> Result<Operation, DocumentError> {
    let obj = op.as_object().ok_or_else(|| at(pointer, "an operation must be an object"))?;
    match obj.get("responses") {
        Some(Value::Object(_)) => {}
        None if v31 => {}
        None => return Err(at(&format!("{pointer}/responses"), "required: the operation's responses")),
        Some(_) => return Err(at(&format!("{pointer}/responses"), "must be an object")),
    }
    if let Some(params) = obj.get("parameters") {
        let list =
            params.as_array().ok_or_else(|| at(&format!("{pointer}/parameters"), "must be an array"))?;
        for (i, p) in list.iter().enumerate() {
            if p.get("$ref").is_some() {
                continue;
            }
            let pp = format!("{pointer}/parameters/{i}");
            if p.get("name").and_then(Value::as_str).is_none() {
                return Err(at(&format!("{pp}/name"), "required: the parameter name"));
            }
            match p.get("in").and_then(Value::as_str) {
                Some("query" | "header" | "path" | "cookie") => {}
                _ => return Err(at(&format!("{pp}/in"), "must be one of query, header, path, cookie")),
            }
        }
    }
    let tags = obj
        .get("tags")
        .and_then(Value::as_array)
        .map(|t| t.iter().filter_map(Value::as_str).map(str::to_owned).collect())
        .unwrap_or_default();
    let text = |k: &str| obj.get(k).and_then(Value::as_str).map(str::to_owned);
    Ok(Operation {
        method: method.to_owned(),
        path: path.to_owned(),
        operation_id: text("operationId"),
        summary: text("summary"),
        tags,
        deprecated: obj.get("deprecated").and_then(Value::as_bool).unwrap_or(false),
    })
}

/// Every `$ref` must point inside the document, at something that exists.
fn check_refs(root: &Value, node: &Value, pointer: &mut String) -> Result<(), DocumentError> {
    match node {
        Value::Object(map) => {
            if let Some(Value::String(target)) = map.get("$ref") {
                let here = format!("{pointer}/$ref");
                let Some(local) = target.strip_prefix('#') else {
                    return Err(at(&here, format!("external reference \"{target}\" is not supported")));
                };
                if root.pointer(local).is_none() {
                    return Err(at(&here, format!("\"{target}\" does not exist in this document")));
                }
            }
            for (k, v) in map {
                let len = pointer.len();
                pointer.push('/');
                pointer.push_str(&escape(k));
                check_refs(root, v, pointer)?;
                pointer.truncate(len);
            }
        }
        Value::Array(list) => {
            for (i, v) in list.iter().enumerate() {
                let len = pointer.len();
                pointer.push_str(&format!("/{i}"));
                check_refs(root, v, pointer)?;
                pointer.truncate(len);
            }
        }
        _ => {}
    }
    Ok(())
}

/// Follows `$ref` (internal, up to `depth` hops) to the value it names.
pub fn resolve<'a>(root: &'a Value, mut node: &'a Value, depth: usize) -> &'a Value {
    for _ in 0..depth {
        match node.get("$ref").and_then(Value::as_str).and_then(|r| r.strip_prefix('#')) {
            Some(p) => match root.pointer(p) {
                Some(target) => node = target,
                None => return node,
            },
            None => return node,
        }
    }
    node
}

/// The server of `servers` for an environment: the one whose host starts with `dev.` or
/// `staging.` for those, else the first that names neither (production).
pub fn server_for<'a>(servers: &'a [String], environment: &str) -> Option<&'a str> {
    servers
        .iter()
        .find(|s| match environment {
            // A server relative to the portal (STOA's demo backends) serves every environment.
            _ if s.starts_with('/') => true,
            "prod" => !s.contains("://staging.") && !s.contains("://dev."),
            other => s.contains(&format!("://{other}.")),
        })
        .map(String::as_str)
}

/// Where an API expects its key: the first `apiKey` security scheme of its document
/// (`in`, `name`), else the `X-API-Key` header.
pub fn api_key_slot(spec: &Value) -> (String, String) {
    spec.pointer("/components/securitySchemes")
        .and_then(Value::as_object)
        .and_then(|schemes| {
            schemes.values().find(|s| s.get("type").and_then(Value::as_str) == Some("apiKey"))
        })
        .and_then(|s| {
            let location = s.get("in")?.as_str()?;
            let name = s.get("name")?.as_str()?;
            matches!(location, "header" | "query").then(|| (location.to_owned(), name.to_owned()))
        })
        .unwrap_or_else(|| ("header".to_owned(), "X-API-Key".to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    const PETS_YAML: &str = r#"openapi: 3.0.3
info:
  title: Pets
  version: 1.2.0
servers:
  - url: https://pets.example/v1
paths:
  /pets:
    get:
      summary: List pets
      tags: [pets]
      parameters:
        - name: limit
          in: query
          schema: { type: integer }
      responses:
        200:
          description: OK
          content:
            application/json:
              schema: { $ref: '#/components/schemas/Pets' }
components:
  schemas:
    Pets: { type: array, items: { type: string } }
"#;

    #[test]
    fn a_yaml_document_yields_its_operations() {
        let doc = parse(PETS_YAML.as_bytes()).expect("valid");
        assert_eq!((doc.format, doc.title.as_str(), doc.version.as_str()), (Format::Yaml, "Pets", "1.2.0"));
        assert_eq!(doc.servers, ["https://pets.example/v1"]);
        assert_eq!(doc.operations.len(), 1);
        assert_eq!(doc.operations[0].summary.as_deref(), Some("List pets"));
        // Integer response codes became string keys; the $ref resolves.
        let schema =
            &doc.spec["paths"]["/pets"]["get"]["responses"]["200"]["content"]["application/json"]["schema"];
        assert_eq!(resolve(&doc.spec, schema, 8)["type"], "array");
    }

    #[test]
    fn syntax_errors_name_the_line() {
        let err = parse(b"openapi: 3.0.0\ninfo:\n  title: Pets\n    bad: indent\n").expect_err("invalid");
        assert!(err.location.starts_with("line 4"), "{err}");
        assert!(err.problem.starts_with("invalid YAML"), "{err}");
        let err = parse(b"{\n  \"openapi\": \"3.1.0\",\n  \"info\": {,}\n}").expect_err("invalid");
        assert!(err.location.starts_with("line 3"), "{err}");
        assert!(err.problem.starts_with("invalid JSON"), "{err}");
    }

    #[test]
    fn structural_errors_name_the_json_pointer() {
        let cases = [
            (PETS_YAML.replace("openapi: 3.0.3", "openapi: 2.0"), "/openapi"),
            (PETS_YAML.replace("  title: Pets\n", ""), "/info/title"),
            (PETS_YAML.replace("in: query", "in: body"), "/paths/~1pets/get/parameters/0/in"),
            (
                PETS_YAML.replace("#/components/schemas/Pets", "#/components/schemas/Cats"),
                "/paths/~1pets/get/responses/200/content/application~1json/schema/$ref",
            ),
            (
                PETS_YAML.replace("#/components/schemas/Pets", "other.yaml#/Pets"),
                "/paths/~1pets/get/responses/200/content/application~1json/schema/$ref",
            ),
            (PETS_YAML.replace("  /pets:", "  pets:"), "/paths/pets"),
        ];
        for (doc, pointer) in cases {
            let err = parse(doc.as_bytes()).expect_err(pointer);
            assert_eq!(err.location, pointer, "{err}");
        }
        assert_eq!(parse(b"  ").expect_err("empty").problem, "the document is empty");
        assert_eq!(parse(b"- a\n- b\n").expect_err("list").location, "/");
    }
}

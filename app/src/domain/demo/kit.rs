//! What STOA's demo backends share: the shape of an answer and of an error, query and
//! body readers that say what is wrong in a sentence, cursor pagination, a hash that
//! stays the same across builds, and the [`Store`] the stateful backends (CRM, payments)
//! work on — records by kind and id, loaded from Postgres for a call, changed in memory
//! by the backend, written back by the service. Pure: no I/O here.

use serde_json::{json, Map, Value};
use std::collections::{BTreeMap, BTreeSet};

/// What an operation answers: an HTTP status and a JSON body (`Null`: no body, 204).
pub type Reply = (u16, Value);

/// The most records one stateful backend keeps until the next reset.
pub const MAX_RECORDS: usize = 2_000;

/// An error answer in the demo backends' shape (`Error` in their documents).
pub fn error(status: u16, code: &str, message: impl Into<String>) -> Reply {
    (status, json!({ "code": code, "message": message.into() }))
}

/// The query's value of `name` (the last one), if any.
pub fn param<'a>(query: &'a [(String, String)], name: &str) -> Option<&'a str> {
    query.iter().rev().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
}

/// The query's `limit`: 1 to `max`, `default` when absent.
pub fn limit(query: &[(String, String)], default: usize, max: usize) -> Result<usize, Reply> {
    match param(query, "limit") {
        None => Ok(default),
        Some(v) => match v.parse::<usize>() {
            Ok(n) if (1..=max).contains(&n) => Ok(n),
            _ => {
                Err(error(400, "invalid_parameter", format!("limit must be a whole number from 1 to {max}")))
            }
        },
    }
}

/// FNV-1a: a hash that stays the same across builds and machines.
pub fn fnv(parts: &[&str]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for p in parts {
        for b in p.bytes().chain(std::iter::once(0)) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    h
}

/// A number in 0..1 from `parts`.
pub fn unit(parts: &[&str]) -> f64 {
    (fnv(parts) % 10_000) as f64 / 10_000.0
}

/// The request body as a JSON object (400 otherwise).
pub fn object(body: &[u8]) -> Result<Map<String, Value>, Reply> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(error(400, "invalid_body", "The request needs a JSON object as its body."));
    }
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(m)) => Ok(m),
        Ok(_) => Err(error(400, "invalid_body", "The body must be a JSON object.")),
        Err(e) => Err(error(400, "invalid_body", format!("The body is not valid JSON: {e}."))),
    }
}

/// The request body as a JSON object, or an empty one when there is no body.
pub fn object_or_empty(body: &[u8]) -> Result<Map<String, Value>, Reply> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(Map::new());
    }
    object(body)
}

/// Refuses the fields of `body` that are not in `known`.
pub fn only(body: &Map<String, Value>, known: &[&str]) -> Result<(), Reply> {
    match body.keys().find(|k| !known.contains(&k.as_str())) {
        Some(k) => Err(error(
            400,
            "unknown_field",
            format!("{k} is not a field here; the fields are {}.", known.join(", ")),
        )),
        None => Ok(()),
    }
}

/// A string field: trimmed, 1 to `max` characters; none when absent (or null) and not
/// `required`.
pub fn text(
    body: &Map<String, Value>,
    name: &str,
    required: bool,
    max: usize,
) -> Result<Option<String>, Reply> {
    match body.get(name) {
        None | Some(Value::Null) if required => {
            Err(error(400, "missing_field", format!("{name} is required.")))
        }
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => {
            let s = s.trim();
            if s.is_empty() || s.chars().count() > max {
                Err(error(400, "invalid_field", format!("{name} must be 1 to {max} characters.")))
            } else {
                Ok(Some(s.to_owned()))
            }
        }
        Some(_) => Err(error(400, "invalid_field", format!("{name} must be a string."))),
    }
}

/// One of `allowed`, or none when absent and not `required`.
pub fn choice(
    body: &Map<String, Value>,
    name: &str,
    required: bool,
    allowed: &[&str],
) -> Result<Option<String>, Reply> {
    let v = text(body, name, required, 64)?;
    match v {
        Some(v) if !allowed.contains(&v.as_str()) => {
            Err(error(400, "invalid_field", format!("{name} must be one of {}.", allowed.join(", "))))
        }
        v => Ok(v),
    }
}

/// A whole number from `min` to `max`, or none when absent and not `required`.
pub fn integer(
    body: &Map<String, Value>,
    name: &str,
    required: bool,
    min: i64,
    max: i64,
) -> Result<Option<i64>, Reply> {
    match body.get(name) {
        None | Some(Value::Null) if required => {
            Err(error(400, "missing_field", format!("{name} is required.")))
        }
        None | Some(Value::Null) => Ok(None),
        Some(v) => match v.as_i64() {
            Some(n) if (min..=max).contains(&n) => Ok(Some(n)),
            _ => Err(error(
                400,
                "invalid_field",
                format!("{name} must be a whole number from {min} to {max}."),
            )),
        },
    }
}

/// An e-mail address (a plausible one: something@something.tld, no spaces).
pub fn email(body: &Map<String, Value>, name: &str, required: bool) -> Result<Option<String>, Reply> {
    let v = text(body, name, required, 254)?;
    if let Some(v) = &v {
        if !crate::domain::invitation::plausible_email(v) {
            return Err(error(400, "invalid_field", format!("{name} must be an e-mail address.")));
        }
    }
    Ok(v.map(|v| v.to_lowercase()))
}

/// One page of `items` (already filtered and in order) after the record whose id is the
/// query's `starting_after`: `{ "items": [...], "has_more": bool }`.
pub fn page(items: Vec<Value>, query: &[(String, String)]) -> Reply {
    let n = match limit(query, 20, 100) {
        Ok(n) => n,
        Err(e) => return e,
    };
    let start = match param(query, "starting_after").filter(|s| !s.is_empty()) {
        None => 0,
        Some(after) => match items.iter().position(|r| r["id"] == after) {
            Some(i) => i + 1,
            None => {
                return error(400, "invalid_parameter", format!("starting_after names no record: {after:?}."))
            }
        },
    };
    let has_more = items.len() > start + n;
    let items: Vec<Value> = items.into_iter().skip(start).take(n).collect();
    (200, json!({ "items": items, "has_more": has_more }))
}

/// A record's time as the backends write it (RFC 3339, seconds, `Z`).
pub fn stamp(t: chrono::DateTime<chrono::Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// The time the documents' examples are computed at (a backend answers the same for the
/// same store and time).
pub fn example_time() -> chrono::DateTime<chrono::Utc> {
    use chrono::TimeZone;
    chrono::Utc.with_ymd_and_hms(2026, 6, 1, 9, 0, 0).single().unwrap_or_default()
}

/// How a stateful backend answers a request from its records (which the call may
/// change), at a time.
pub type StoreAnswer = fn(&Request, &mut Store, chrono::DateTime<chrono::Utc>) -> Reply;

/// A stateful backend's records as a reset at a time leaves them.
pub type Seed = fn(chrono::DateTime<chrono::Utc>) -> Store;

/// A stateful backend: how it answers, and its records as a reset leaves them.
pub type Stateful = (StoreAnswer, Seed);

/// What `backend` answers to a request on its freshly seeded store at the examples' time:
/// a document's example.
pub fn example(
    (answer, seed): Stateful,
    method: &str,
    path: &str,
    query: &[(&str, &str)],
    body: &Value,
) -> Value {
    let query: Vec<(String, String)> =
        query.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect();
    let body = if body.is_null() { String::new() } else { body.to_string() };
    let req = Request { method, path, query: &query, body: body.as_bytes() };
    answer(&req, &mut seed(example_time()), example_time()).1
}

/// A record's key: its kind (`customer`, `payment`…) and its id.
pub type Key = (String, String);

/// The records of one stateful backend, and which of them a call changed.
#[derive(Clone, Debug, Default)]
pub struct Store {
    records: BTreeMap<Key, Value>,
    changed: BTreeSet<Key>,
}

impl Store {
    /// A store holding `records` (kind, id, data), none of them changed.
    pub fn new(records: impl IntoIterator<Item = (String, String, Value)>) -> Store {
        Store {
            records: records.into_iter().map(|(k, id, v)| ((k, id), v)).collect(),
            changed: BTreeSet::new(),
        }
    }

    pub fn get(&self, kind: &str, id: &str) -> Option<&Value> {
        self.records.get(&(kind.to_owned(), id.to_owned()))
    }

    /// The records of `kind`, newest first (ids grow with time).
    pub fn list(&self, kind: &str) -> Vec<&Value> {
        let mut out: Vec<&Value> =
            self.records.iter().filter(|((k, _), _)| k == kind).map(|(_, v)| v).collect();
        out.reverse();
        out
    }

    pub fn put(&mut self, kind: &str, id: &str, value: Value) {
        let key = (kind.to_owned(), id.to_owned());
        self.records.insert(key.clone(), value);
        self.changed.insert(key);
    }

    pub fn remove(&mut self, kind: &str, id: &str) {
        let key = (kind.to_owned(), id.to_owned());
        self.records.remove(&key);
        self.changed.insert(key);
    }

    /// A new record's id: `prefix_` and the next number of its kind, four digits at least
    /// (ids sort by age).
    pub fn next_id(&self, kind: &str, prefix: &str) -> Result<String, Reply> {
        if self.records.len() >= MAX_RECORDS {
            return Err(error(
                507,
                "store_full",
                format!("The demo keeps at most {MAX_RECORDS} records until its next reset."),
            ));
        }
        let last = self
            .records
            .keys()
            .filter(|(k, _)| k == kind)
            .filter_map(|(_, id)| id.rsplit('_').next()?.parse::<u32>().ok())
            .max()
            .unwrap_or(0);
        Ok(format!("{prefix}_{:04}", last + 1))
    }

    /// What the call changed: each key with its new data, none when removed.
    pub fn changes(&self) -> Vec<(Key, Option<&Value>)> {
        self.changed.iter().map(|k| (k.clone(), self.records.get(k))).collect()
    }

    /// Every record (kind, id, data), in key order.
    pub fn records(&self) -> impl Iterator<Item = (&str, &str, &Value)> {
        self.records.iter().map(|((k, id), v)| (k.as_str(), id.as_str(), v))
    }
}

/// A stateful backend's request.
pub struct Request<'a> {
    pub method: &'a str,
    /// The path below the backend's base, e.g. `/customers/cus_0001`.
    pub path: &'a str,
    pub query: &'a [(String, String)],
    pub body: &'a [u8],
}

impl Request<'_> {
    /// The path's segments (`/a/b/` → `["a", "b"]`).
    pub fn segments(&self) -> Vec<&str> {
        self.path.trim_matches('/').split('/').filter(|s| !s.is_empty()).collect()
    }

    /// Whether the method may change the store.
    pub fn writes(&self) -> bool {
        !matches!(self.method, "GET" | "HEAD" | "OPTIONS")
    }
}

/// The `Error` schema every demo document declares.
pub fn error_schema() -> Value {
    json!({ "type": "object", "required": ["code", "message"], "properties": {
        "code": { "type": "string", "example": "missing_field" }, "message": { "type": "string" } } })
}

/// A documented error answer.
pub fn documented_error(description: &str) -> Value {
    json!({ "description": description, "content": { "application/json": {
        "schema": { "$ref": "#/components/schemas/Error" } } } })
}

/// A documented answer of `schema` with its example.
pub fn documented(description: &str, schema: &str, example: Value) -> Value {
    json!({ "description": description, "content": { "application/json": {
        "schema": { "$ref": format!("#/components/schemas/{schema}") }, "example": example } } })
}

/// A documented JSON request body of `schema` with its example.
pub fn documented_body(schema: &str, example: Value) -> Value {
    json!({ "required": true, "content": { "application/json": {
        "schema": { "$ref": format!("#/components/schemas/{schema}") }, "example": example } } })
}

/// The paging parameters of a list operation.
pub fn paging_parameters() -> Vec<Value> {
    vec![
        json!({ "name": "limit", "in": "query", "description": "How many items, 1 to 100.",
                "schema": { "type": "integer", "minimum": 1, "maximum": 100, "default": 20 } }),
        json!({ "name": "starting_after", "in": "query", "description": "The id of the last item of the previous page.",
                "schema": { "type": "string" } }),
    ]
}

/// A page of `item` (a schema name).
pub fn page_schema(item: &str) -> Value {
    json!({ "type": "object", "required": ["items", "has_more"], "properties": {
        "items": { "type": "array", "items": { "$ref": format!("#/components/schemas/{item}") } },
        "has_more": { "type": "boolean" } } })
}

#[cfg(all(test, feature = "ssr"))]
pub(crate) mod check {
    //! Test support: each operation of a demo document, called with what its document
    //! shows, must answer as the document says.

    use super::*;

    /// `body` against the schema the document gives for `operation`'s `status` answer.
    pub fn against(doc: &Value, operation: &str, status: u16, body: &Value) {
        let op = crate::domain::openapi::each_operation(doc)
            .into_iter()
            .find(|(_, _, op)| op["operationId"] == operation)
            .map(|(_, _, op)| op.clone())
            .unwrap_or_else(|| panic!("{operation} is in the document"));
        let answer = &op["responses"][status.to_string()];
        assert!(answer.is_object(), "{operation} documents its {status} answer: {body}");
        if status == 204 {
            assert!(body.is_null(), "{operation} 204 has no body");
            return;
        }
        let schema = answer["content"]["application/json"]["schema"].clone();
        assert!(schema.is_object(), "{operation} documents its {status} answer's body");
        let mut root = json!({ "components": doc["components"].clone() });
        root["$ref"] = schema["$ref"].clone();
        let validator = jsonschema::validator_for(&root).expect("the document's schema compiles");
        let errors: Vec<String> =
            validator.iter_errors(body).map(|e| format!("{} at {}", e, e.instance_path())).collect();
        assert!(errors.is_empty(), "{operation} {status}: {errors:?} in {body}");
        // The request body's example, if any, satisfies its own schema.
        let example = &op["requestBody"]["content"]["application/json"];
        if example["example"].is_object() {
            let mut root = json!({ "components": doc["components"].clone() });
            root["$ref"] = example["schema"]["$ref"].clone();
            let v = jsonschema::validator_for(&root).expect("the body schema compiles");
            assert!(v.is_valid(&example["example"]), "{operation}'s body example fits its schema");
        }
    }

    /// An operation's id, method, path, query and body.
    pub type Shown = (String, String, String, Vec<(String, String)>, Vec<u8>);

    /// The call a document shows for each operation: id, method, path (parameters from
    /// their examples), query (every parameter with an example), body (its example).
    pub fn shown_calls(doc: &Value) -> Vec<Shown> {
        crate::domain::openapi::each_operation(doc)
            .into_iter()
            .map(|(method, path, op)| {
                let mut path = path.to_owned();
                let mut query = Vec::new();
                for p in op["parameters"].as_array().into_iter().flatten() {
                    let example = match &p["example"] {
                        Value::String(s) => s.clone(),
                        Value::Null => continue,
                        v => v.to_string(),
                    };
                    let name = p["name"].as_str().unwrap_or_default();
                    match p["in"].as_str() {
                        Some("path") => path = path.replace(&format!("{{{name}}}"), &example),
                        Some("query") => query.push((name.to_owned(), example)),
                        _ => {}
                    }
                }
                let body = &op["requestBody"]["content"]["application/json"]["example"];
                let body = if body.is_null() { Vec::new() } else { body.to_string().into_bytes() };
                (
                    op["operationId"].as_str().unwrap_or_default().to_owned(),
                    method.to_ascii_uppercase(),
                    path,
                    query,
                    body,
                )
            })
            .collect()
    }
}

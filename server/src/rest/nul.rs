//! U+0000 in text: Postgres cannot store it, so the API refuses it wherever it reads text
//! — in a body's declared fields, in the query string, in path parameters — with a 422
//! naming the field, and the document says so (`openapi::NoNul`). Fields a body type
//! does not declare are ignored like any unknown field, NUL or not.

use super::*;
use std::any::TypeId;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

/// The JSON Schema of each body type, generated once.
fn schema_of<T: JsonSchema + 'static>() -> Arc<Value> {
    static SCHEMAS: OnceLock<Mutex<HashMap<TypeId, Arc<Value>>>> = OnceLock::new();
    let schemas = SCHEMAS.get_or_init(Default::default);
    let mut schemas = schemas.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    schemas
        .entry(TypeId::of::<T>())
        .or_insert_with(|| {
            let generator = schemars::generate::SchemaSettings::draft2020_12().into_generator();
            Arc::new(generator.into_root_schema_for::<T>().to_value())
        })
        .clone()
}

/// The path (`a.b[2]`) of the first string holding U+0000 among the fields `T` declares.
pub(super) fn find<T: JsonSchema + 'static>(value: &Value) -> Option<String> {
    let root = schema_of::<T>();
    walk(value, &root, &root, String::new())
}

fn walk(value: &Value, schema: &Value, root: &Value, path: String) -> Option<String> {
    let schema = resolve(schema, root);
    match value {
        Value::String(s) => s.contains('\0').then(|| if path.is_empty() { "body".to_owned() } else { path }),
        Value::Object(map) => map.iter().find_map(|(key, v)| {
            let declared = declared(schema, root, key)?;
            let path = if path.is_empty() { key.clone() } else { format!("{path}.{key}") };
            walk(v, declared, root, path)
        }),
        Value::Array(items) => {
            let item_schema = branches(schema, root).find_map(|s| s.get("items"))?;
            items.iter().enumerate().find_map(|(i, v)| walk(v, item_schema, root, format!("{path}[{i}]")))
        }
        _ => None,
    }
}

/// The schema of property `key`, looking through `allOf` / `anyOf` / `oneOf` branches.
fn declared<'a>(schema: &'a Value, root: &'a Value, key: &str) -> Option<&'a Value> {
    branches(schema, root).find_map(|s| s.get("properties").and_then(|p| p.get(key)))
}

/// A schema and the branches it combines, `$ref`s resolved.
fn branches<'a>(schema: &'a Value, root: &'a Value) -> impl Iterator<Item = &'a Value> {
    let schema = resolve(schema, root);
    let nested = ["allOf", "anyOf", "oneOf"]
        .into_iter()
        .filter_map(move |k| schema.get(k).and_then(Value::as_array))
        .flatten()
        .map(move |s| resolve(s, root));
    std::iter::once(schema).chain(nested)
}

/// Follows a local `$ref` (`#/$defs/Name`).
fn resolve<'a>(schema: &'a Value, root: &'a Value) -> &'a Value {
    match schema.get("$ref").and_then(Value::as_str).and_then(|r| r.strip_prefix('#')) {
        Some(pointer) => root.pointer(pointer).unwrap_or(schema),
        None => schema,
    }
}

/// Refuses a query string holding U+0000 (`%00`) with a 422 naming the parameter.
pub(super) async fn refuse_in_query(req: Request, next: Next) -> Response {
    let bad = req.uri().query().and_then(|q| {
        url::form_urlencoded::parse(q.as_bytes())
            .find(|(k, v)| k.contains('\0') || v.contains('\0'))
            .map(|(k, _)| k)
    });
    match bad {
        Some(name) => AppError::field(&name.replace('\0', ""), "nul-character").into_response(),
        None => next.run(req).await,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Deserialize, JsonSchema)]
    #[expect(dead_code, reason = "only its schema is read")]
    struct Outer {
        name: String,
        inner: Option<Inner>,
        tags: Vec<String>,
    }

    #[derive(Deserialize, JsonSchema)]
    #[expect(dead_code, reason = "only its schema is read")]
    struct Inner {
        note: String,
    }

    #[test]
    fn nul_is_found_in_declared_fields_only() {
        let found = |v: Value| find::<Outer>(&v);
        assert_eq!(found(json!({ "name": "a\u{0}b", "tags": [] })), Some("name".into()));
        assert_eq!(
            found(json!({ "name": "a", "inner": { "note": "\u{0}" }, "tags": [] })),
            Some("inner.note".into())
        );
        assert_eq!(found(json!({ "name": "a", "tags": ["x", "y\u{0}"] })), Some("tags[1]".into()));
        assert_eq!(
            found(json!({ "name": "a", "tags": [], "extra": "\u{0}" })),
            None,
            "undeclared fields are ignored"
        );
        assert_eq!(found(json!({ "name": "fine", "tags": ["ok"] })), None);
    }
}

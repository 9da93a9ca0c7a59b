//! `GET /v1/openapi.json`: the OpenAPI 3.1 document, written from the route table alone.
//! Each route's declaration names its query, body and answer types; their JSON Schemas
//! (draft 2020-12, the dialect of OpenAPI 3.1) are generated from the Rust types with
//! `schemars`, so the document cannot drift from what the handlers read and write.

use super::*;
use schemars::generate::SchemaSettings;

/// This resource's routes, in the order the document lists them.
pub(super) fn routes() -> Vec<(RestRoute, MethodRouter<AppState>)> {
    vec![(
        RestRoute::get("/v1/openapi.json", Access::Public, "getOpenApiDocument")
            .summary("This document")
            .document(&["application/json"]),
        get(openapi),
    )]
}

async fn openapi() -> Json<Value> {
    Json(openapi_document())
}

/// The OpenAPI 3.1 document of every declared route.
pub fn openapi_document() -> Value {
    let mut generator = SchemaSettings::draft2020_12()
        .with(|s| {
            s.definitions_path = "/components/schemas".into();
            s.meta_schema = None;
        })
        .with_transform(NoNul)
        .with_transform(ForClients)
        .into_generator();
    let error = generator.subschema_for::<app::error::ErrorBody>();
    let mut paths = serde_json::Map::new();
    for r in declared() {
        let entry = paths.entry(r.path).or_insert_with(|| json!({}));
        entry[r.method.to_ascii_lowercase()] = operation(&r, &mut generator);
    }
    let mut schemas = generator.take_definitions(true);
    referenced_only(&[&Value::Object(paths.clone()), error.as_value()], &mut schemas);
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "STOA Portal & Console API",
            "version": "1",
            "description": "Errors are `{code, message, fields?}`; `fields` names each invalid field with a code.",
        },
        // Relative: the origin this document is served from.
        "servers": [{ "url": "/", "description": "This portal" }],
        "paths": paths,
        "components": {
            "schemas": schemas,
            "securitySchemes": {
                "bearer": { "type": "http", "scheme": "bearer", "bearerFormat": "JWT" },
                "session": { "type": "apiKey", "in": "cookie", "name": crate::session::COOKIE },
            },
            "responses": {
                "Error": {
                    "description": "An error: `{code, message, fields?}`",
                    "content": { "application/json": { "schema": error } },
                },
            },
        },
    })
}

/// Leaves out the definitions nothing refers to (a query type's, whose properties the
/// operations list as parameters), until none is left.
fn referenced_only(roots: &[&Value], schemas: &mut serde_json::Map<String, Value>) {
    loop {
        let text: String =
            roots.iter().map(|r| r.to_string()).chain(schemas.values().map(Value::to_string)).collect();
        let unused: Vec<String> = schemas
            .keys()
            .filter(|name| !text.contains(&format!("\"#/components/schemas/{name}\"")))
            .cloned()
            .collect();
        if unused.is_empty() {
            return;
        }
        for name in unused {
            schemas.remove(&name);
        }
    }
}

/// Gives every string that says nothing more precise (no pattern, format, enum or
/// constant) the pattern [`app::model::NO_NUL`]: the server refuses U+0000 in any text it
/// reads ([`super::JsonBody`], [`super::Params`], the query guard).
#[derive(Clone)]
pub struct NoNul;

impl schemars::transform::Transform for NoNul {
    fn transform(&mut self, schema: &mut schemars::Schema) {
        let is_string = match schema.get("type") {
            Some(Value::String(t)) => t == "string",
            Some(Value::Array(types)) => types.iter().any(|t| t == "string"),
            _ => false,
        };
        let precise = ["pattern", "format", "enum", "const"].into_iter().any(|k| schema.get(k).is_some());
        if is_string && !precise {
            schema.insert("pattern".into(), json!(app::model::NO_NUL));
        }
        schemars::transform::transform_subschemas(self, schema);
    }
}

/// Shapes schemas for the generators and linters that read them (openapi-python-client,
/// Redocly, openapi-spec-validator): a schema that allows anything is `{}`, not `true`;
/// and a string's default `""` (serde's, for a field left out) is not shown where the
/// string's own constraints refuse it (a `minLength`, a pattern beyond
/// [`app::model::NO_NUL`], an `enum` without it) — the server reads the absent field and
/// says what is wrong.
#[derive(Clone)]
pub struct ForClients;

impl schemars::transform::Transform for ForClients {
    fn transform(&mut self, schema: &mut schemars::Schema) {
        if schema.as_bool() == Some(true) {
            *schema = schemars::json_schema!({});
        }
        if let Some(object) = schema.as_object_mut() {
            let constrained = object.get("minLength").and_then(Value::as_u64).is_some_and(|n| n > 0)
                || object.get("pattern").and_then(Value::as_str).is_some_and(|p| p != app::model::NO_NUL)
                || object.get("enum").and_then(Value::as_array).is_some_and(|e| !e.contains(&json!("")));
            if constrained && object.get("default") == Some(&json!("")) {
                object.remove("default");
            }
        }
        schemars::transform::transform_subschemas(self, schema);
    }
}

/// A route's schema, shaped as [`ForClients`] says (the generator's transforms reach its
/// definitions, not the schemas it inlines).
fn for_clients(schema: SchemaFn, generator: &mut schemars::SchemaGenerator) -> Value {
    let mut schema = schema(generator);
    schemars::transform::Transform::transform(&mut ForClients, &mut schema);
    schema.to_value()
}

/// One operation: parameters, body, answers and who may call it.
fn operation(r: &RestRoute, generator: &mut schemars::SchemaGenerator) -> Value {
    let mut parameters: Vec<Value> = path_parameters(r.path)
        .map(|name| json!({ "name": name, "in": "path", "required": true, "schema": path_schema(r.path, name) }))
        .collect();
    if let Some(query) = r.query {
        parameters.extend(query_parameters(query, generator));
    }
    let mut op = json!({
        "operationId": r.operation_id,
        "summary": r.summary,
        "tags": [tag(r.path)],
        "parameters": parameters,
        "responses": responses(r, generator),
    });
    op["security"] = match r.access {
        Access::Public => json!([]),
        _ => json!([{ "bearer": [] }, { "session": [] }]),
    };
    if let Access::Granted(p) = r.access {
        op["x-stoa-permission"] = json!(format!("{p:?}"));
    }
    if let Some(body) = r.body {
        op["requestBody"] = json!({
            "required": !body.optional,
            "content": { "application/json": { "schema": for_clients(body.schema, generator), "example": (body.example)() } },
        });
    }
    op
}

fn responses(r: &RestRoute, generator: &mut schemars::SchemaGenerator) -> Value {
    let mut out = serde_json::Map::new();
    let success = match r.answer.schema {
        Some(schema) => {
            let schema = for_clients(schema, generator);
            let mut content: serde_json::Map<String, Value> = r
                .answer
                .content_types
                .iter()
                .map(|t| ((*t).to_owned(), json!({ "schema": schema })))
                .collect();
            for t in r.answer.text_types {
                content.insert((*t).to_owned(), json!({ "schema": { "type": "string" } }));
            }
            json!({ "description": "Success", "content": content })
        }
        None => json!({ "description": "Done; no content" }),
    };
    for status in std::iter::once(r.answer.status).chain(r.answer.also.iter().copied()) {
        out.insert(status.to_string(), success.clone());
    }
    for status in error_statuses(r) {
        out.insert(status.to_string(), json!({ "$ref": "#/components/responses/Error" }));
    }
    Value::Object(out)
}

/// The error statuses a route can answer: 401 always (an invalid bearer token is refused
/// on every route), 403 where a permission is needed, 404 where the path names something,
/// 400 and 422 where there is input to refuse, and what the route declares.
fn error_statuses(r: &RestRoute) -> Vec<u16> {
    let mut statuses = vec![401];
    if matches!(r.access, Access::Granted(_)) {
        statuses.push(403);
    }
    let has_params = path_parameters(r.path).next().is_some();
    if has_params {
        statuses.push(404);
    }
    if r.body.is_some() || r.query.is_some() || has_params {
        statuses.extend([400, 422]);
    }
    statuses.extend(r.errors);
    statuses.sort_unstable();
    statuses.dedup();
    statuses
}

/// The `{name}` parameters of a path template.
fn path_parameters(path: &'static str) -> impl Iterator<Item = &'static str> {
    path.split('/').filter_map(|s| s.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
}

/// Ids of applications, keys and subscriptions are UUIDs; request ids (`PR-2026-0001`),
/// tenants, API names and versions are text.
fn path_schema(path: &str, name: &str) -> Value {
    let uuid = matches!(name, "id" | "key") && !path.starts_with("/v1/requests/");
    if uuid {
        json!({ "type": "string", "format": "uuid" })
    } else {
        json!({ "type": "string", "minLength": 1, "pattern": app::model::NO_NUL })
    }
}

/// The properties of a query type as query parameters (a missing value is left out of
/// the query string, so `null` is not one of its values).
fn query_parameters(query: SchemaFn, generator: &mut schemars::SchemaGenerator) -> Vec<Value> {
    let schema = query(generator).to_value();
    let resolved = match schema.get("$ref").and_then(Value::as_str) {
        Some(r) => {
            let name = r.rsplit('/').next().unwrap_or_default();
            generator.definitions().get(name).cloned().unwrap_or(Value::Null)
        }
        None => schema,
    };
    let required: Vec<&str> = resolved["required"]
        .as_array()
        .map(|r| r.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let Some(properties) = resolved["properties"].as_object() else { return vec![] };
    properties
        .iter()
        .map(|(name, schema)| {
            let mut param_schema =
                schemars::Schema::try_from(without_null(schema.clone())).unwrap_or_default();
            schemars::transform::Transform::transform(&mut NoNul, &mut param_schema);
            let mut param = json!({
                "name": name,
                "in": "query",
                "required": required.contains(&name.as_str()),
                "schema": param_schema,
            });
            if let Some(description) = schema.get("description") {
                param["description"] = description.clone();
            }
            param
        })
        .collect()
}

/// A schema that admits `null` as one of its types, without it.
fn without_null(mut schema: Value) -> Value {
    if let Some(types) = schema.get_mut("type").and_then(Value::as_array_mut) {
        types.retain(|t| t != "null");
        if types.len() == 1 {
            schema["type"] = types[0].clone();
        }
    }
    for key in ["anyOf", "oneOf"] {
        if let Some(branches) = schema.get_mut(key).and_then(Value::as_array_mut) {
            branches.retain(|b| b.get("type").and_then(Value::as_str) != Some("null"));
            if branches.len() == 1 {
                let only = branches[0].clone();
                let mut rest = schema.clone();
                if let Some(obj) = rest.as_object_mut() {
                    obj.remove(key);
                }
                return merge(rest, only);
            }
        }
    }
    schema
}

fn merge(mut base: Value, extra: Value) -> Value {
    if let (Some(b), Value::Object(e)) = (base.as_object_mut(), extra) {
        for (k, v) in e {
            b.entry(k).or_insert(v);
        }
    }
    base
}

/// The tag of a path: its resource.
fn tag(path: &str) -> &'static str {
    match path {
        p if p.starts_with("/v1/catalog") => "catalog",
        p if p.starts_with("/v1/mcp/servers") || p.starts_with("/v0/") => "mcp-servers",
        p if p.starts_with("/v1/applications") || p.starts_with("/v1/keys") => "applications",
        p if p.starts_with("/v1/mcp/subscriptions") || p.starts_with("/v1/subscriptions") => "subscriptions",
        p if p.starts_with("/v1/requests") => "promotion-requests",
        p if p.starts_with("/v1/audit") => "audit",
        _ => "platform",
    }
}

//! REST: openapi.

use super::*;

/// This resource's routes, in the order the document lists them.
pub(super) fn routes() -> Vec<(RestRoute, MethodRouter<AppState>)> {
    vec![(
        RestRoute {
            method: "GET",
            path: "/v1/openapi.json",
            access: Access::Public,
            summary: "This document",
        },
        get(openapi),
    )]
}

async fn openapi() -> Json<Value> {
    Json(openapi_document())
}

/// The OpenAPI 3.1 document of every declared route.
pub fn openapi_document() -> Value {
    let mut paths = serde_json::Map::new();
    for r in declared() {
        let security = match r.access {
            Access::Public => json!([]),
            _ => json!([{ "bearer": [] }, { "session": [] }]),
        };
        let mut responses = json!({ "200": { "description": "OK" } });
        if r.access != Access::Public {
            responses["401"] = json!({ "$ref": "#/components/responses/Error" });
        }
        if let Access::Granted(p) = r.access {
            responses["403"] = json!({ "$ref": "#/components/responses/Error" });
            responses["200"]["x-stoa-permission"] = json!(format!("{p:?}"));
        }
        let entry = paths.entry(r.path).or_insert_with(|| json!({}));
        entry[r.method.to_ascii_lowercase()] =
            json!({ "summary": r.summary, "security": security, "responses": responses });
    }
    json!({
        "openapi": "3.1.0",
        "info": { "title": "STOA Portal & Console API", "version": "1" },
        "paths": paths,
        "components": {
            "securitySchemes": {
                "bearer": { "type": "http", "scheme": "bearer", "bearerFormat": "JWT" },
                "session": { "type": "apiKey", "in": "cookie", "name": crate::session::COOKIE },
            },
            "responses": {
                "Error": {
                    "description": "An error: `{code, message, fields?}`",
                    "content": { "application/json": { "schema": {
                        "type": "object",
                        "required": ["code", "message"],
                        "properties": {
                            "code": { "type": "string" },
                            "message": { "type": "string" },
                            "fields": { "type": "array", "items": { "type": "object" } },
                        },
                    } } },
                },
            },
        },
    })
}

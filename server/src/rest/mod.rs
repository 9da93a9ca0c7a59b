//! The versioned JSON API (`/v1`, DESIGN §6). Callers authenticate with the session
//! cookie or `Authorization: Bearer <access token>` from the identity provider.
//!
//! Every route is declared once, in its resource's file, with the access it needs; the
//! router applies the one guard (`app::auth::guard`) from that declaration, the OpenAPI
//! document (`openapi.rs`) lists the same table, and the permission-matrix test
//! enumerates it — a route cannot be mounted without saying who may call it. Handlers are
//! thin: extract, call `app::service::`, answer a typed body.

use app::auth::CurrentUser;
use app::db::scope::{self, Scope};
use app::domain::permission::{Access, Permission};
use app::error::AppError;
use app::state::AppState;
use axum::extract::{FromRequest, FromRequestParts, Path, Request, State};
use axum::http::header::{AUTHORIZATION, WWW_AUTHENTICATE};
use axum::http::{HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put, MethodRouter};
use axum::{Extension, Json, Router};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

mod applications;
mod audit;
mod catalog;
mod demo;
mod me;
mod members;
mod nul;
mod onboarding;
mod openapi;
mod plans;
mod promotions;
mod subscriptions;
mod usage;

pub use openapi::openapi_document;

/// Adds a type's JSON Schema to the document being built and returns it (a `$ref` into
/// `components.schemas` for named types).
pub type SchemaFn = fn(&mut schemars::SchemaGenerator) -> schemars::Schema;

/// The [`SchemaFn`] of `T`.
/// A document of any shape, as a JSON object.
fn any_document(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
    schemars::json_schema!({ "type": "object", "description": "The document as it was published." })
}

pub fn schema<T: schemars::JsonSchema>(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
    generator.subschema_for::<T>()
}

/// One REST route: what it is, who may call it, and what it takes and answers — the
/// OpenAPI document is written from these declarations alone.
#[derive(Clone, Copy, Debug)]
pub struct RestRoute {
    pub method: &'static str,
    pub path: &'static str,
    pub access: Access,
    pub summary: &'static str,
    /// The OpenAPI `operationId`.
    pub operation_id: &'static str,
    /// The query string's parameters: the properties of this object schema.
    pub query: Option<SchemaFn>,
    pub body: Option<BodyDoc>,
    pub answer: AnswerDoc,
    /// Error statuses the route returns beyond those its shape implies (401 always, 403
    /// for permissions, 404 for path parameters, 400 and 422 for input).
    pub errors: &'static [u16],
}

/// A request body: its schema and an example.
#[derive(Clone, Copy, Debug)]
pub struct BodyDoc {
    pub schema: SchemaFn,
    pub example: fn() -> Value,
    /// Whether the body may be left out (its fields all have defaults).
    pub optional: bool,
}

/// The successful answer: status, content types, and the schema of its body (none: no
/// content).
#[derive(Clone, Copy, Debug)]
pub struct AnswerDoc {
    pub status: u16,
    /// Other success statuses with the same body (an upsert: 201 created, 200 updated).
    pub also: &'static [u16],
    pub content_types: &'static [&'static str],
    pub schema: Option<SchemaFn>,
    /// Text forms of the same answer a client may ask for with `Accept` (CSV).
    pub text_types: &'static [&'static str],
}

impl RestRoute {
    fn new(
        method: &'static str,
        path: &'static str,
        access: Access,
        operation_id: &'static str,
    ) -> RestRoute {
        RestRoute {
            method,
            path,
            access,
            summary: "",
            operation_id,
            query: None,
            body: None,
            answer: AnswerDoc { status: 204, also: &[], content_types: &[], schema: None, text_types: &[] },
            errors: &[],
        }
    }

    /// A `GET` route.
    pub fn get(path: &'static str, access: Access, operation_id: &'static str) -> RestRoute {
        RestRoute::new("GET", path, access, operation_id)
    }

    /// A `POST` route.
    pub fn post(path: &'static str, access: Access, operation_id: &'static str) -> RestRoute {
        RestRoute::new("POST", path, access, operation_id)
    }

    /// A `PUT` route: replaces the resource.
    pub fn put(path: &'static str, access: Access, operation_id: &'static str) -> RestRoute {
        RestRoute::new("PUT", path, access, operation_id)
    }

    /// A `DELETE` route (answers 204 unless said otherwise).
    pub fn delete(path: &'static str, access: Access, operation_id: &'static str) -> RestRoute {
        RestRoute::new("DELETE", path, access, operation_id)
    }

    /// What the route does, in one sentence.
    pub fn summary(self, summary: &'static str) -> RestRoute {
        RestRoute { summary, ..self }
    }

    /// The query string, described by `T`'s fields.
    pub fn query<T: schemars::JsonSchema>(self) -> RestRoute {
        RestRoute { query: Some(schema::<T>), ..self }
    }

    /// A JSON body of type `T`, with an example.
    pub fn body<T: schemars::JsonSchema>(self, example: fn() -> Value) -> RestRoute {
        RestRoute { body: Some(BodyDoc { schema: schema::<T>, example, optional: false }), ..self }
    }

    /// A JSON body of type `T` that may be left out.
    pub fn optional_body<T: schemars::JsonSchema>(self, example: fn() -> Value) -> RestRoute {
        RestRoute { body: Some(BodyDoc { schema: schema::<T>, example, optional: true }), ..self }
    }

    /// Answers `status` with a JSON body of type `T`.
    pub fn answers<T: schemars::JsonSchema>(self, status: u16) -> RestRoute {
        let answer = AnswerDoc {
            status,
            also: &[],
            content_types: &["application/json"],
            schema: Some(schema::<T>),
            text_types: &[],
        };
        RestRoute { answer, ..self }
    }

    /// Answers 200 with a JSON body of type `T`.
    pub fn ok<T: schemars::JsonSchema>(self) -> RestRoute {
        self.answers::<T>(200)
    }

    /// Answers 201 with a JSON body of type `T`.
    pub fn created<T: schemars::JsonSchema>(self) -> RestRoute {
        self.answers::<T>(201)
    }

    /// Answers 200 with a document: as a JSON object, or as text in the other
    /// `content_types` (YAML).
    pub fn document(self, content_types: &'static [&'static str]) -> RestRoute {
        let (json, text) =
            content_types.split_at(content_types.iter().take_while(|t| t.ends_with("/json")).count());
        let answer = AnswerDoc {
            status: 200,
            also: &[],
            content_types: json,
            schema: Some(any_document),
            text_types: text,
        };
        RestRoute { answer, ..self }
    }

    /// Also answers these success statuses, with the same body.
    pub fn also(self, also: &'static [u16]) -> RestRoute {
        RestRoute { answer: AnswerDoc { also, ..self.answer }, ..self }
    }

    /// The answer also comes as text in these types, asked for with `Accept`.
    pub fn or_as(self, text_types: &'static [&'static str]) -> RestRoute {
        RestRoute { answer: AnswerDoc { text_types, ..self.answer }, ..self }
    }

    /// Further error statuses.
    pub fn errors(self, errors: &'static [u16]) -> RestRoute {
        RestRoute { errors, ..self }
    }
}

/// Whether a request's `Accept` header asks for `text_type` before JSON (a route
/// declared with [`RestRoute::or_as`]).
pub fn prefers(headers: &axum::http::HeaderMap, text_type: &str) -> bool {
    let accept = headers.get(axum::http::header::ACCEPT).and_then(|v| v.to_str().ok()).unwrap_or("");
    let position = |t: &str| accept.split(',').position(|m| m.split(';').next().unwrap_or("").trim() == t);
    match (position(text_type), position("application/json")) {
        (Some(t), Some(j)) => t < j,
        (Some(_), None) => true,
        _ => false,
    }
}

/// Every REST route with its handler, resource by resource.
pub fn routes() -> Vec<(RestRoute, MethodRouter<AppState>)> {
    [
        openapi::routes(),
        me::routes(),
        onboarding::routes(),
        catalog::routes(),
        applications::routes(),
        subscriptions::routes(),
        promotions::routes(),
        audit::routes(),
        usage::routes(),
        demo::routes(),
        members::routes(),
        plans::routes(),
    ]
    .into_iter()
    .flatten()
    .collect()
}

/// The declarations alone, for the OpenAPI document and the tests.
pub fn declared() -> Vec<RestRoute> {
    routes().into_iter().map(|(r, _)| r).collect()
}

/// The `/v1` router: bearer authentication, then the guard of each route.
pub fn router(state: &AppState) -> Router<AppState> {
    build(state, |path| !SESSIONLESS.contains(&path))
}

/// Routes machines call without a cookie (gateways verifying keys on every call): mounted
/// outside the session layers, like the operations endpoints.
pub const SESSIONLESS: &[&str] = &["/v1/keys/verify"];

/// The [`SESSIONLESS`] routes, guarded like every other.
pub fn sessionless_router(state: &AppState) -> Router<AppState> {
    build(state, |path| SESSIONLESS.contains(&path))
}

fn build(state: &AppState, wanted: impl Fn(&str) -> bool) -> Router<AppState> {
    let mut router = Router::new();
    for (route, handler) in routes().into_iter().filter(|(r, _)| wanted(r.path)) {
        let access = route.access;
        let guarded = handler.route_layer(axum::middleware::from_fn(nul::refuse_in_query)).route_layer(
            axum::middleware::from_fn(move |req: Request, next: Next| enforce(access, req, next)),
        );
        router = router.route(route.path, guarded);
    }
    router.layer(axum::middleware::from_fn_with_state(state.clone(), authenticate))
}

async fn enforce(access: Access, mut req: Request, next: Next) -> Response {
    let user = req.extensions().get::<CurrentUser>().cloned();
    match app::auth::guard(user.as_ref(), access) {
        Ok(Some(user)) => {
            req.extensions_mut().insert(user);
            next.run(req).await
        }
        Ok(None) => next.run(req).await,
        Err(AppError::Unauthorized) => {
            let mut res = AppError::Unauthorized.into_response();
            res.headers_mut().insert(WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
            res
        }
        Err(e) => e.into_response(),
    }
}

/// A bearer token, when present, decides who the caller is (it replaces any session
/// user); an invalid one is refused outright rather than treated as anonymous.
async fn authenticate(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let Some(header) = req.headers().get(AUTHORIZATION) else {
        return next.run(req).await;
    };
    let token =
        header.to_str().ok().and_then(|h| h.strip_prefix("Bearer ")).map(str::trim).map(str::to_owned);
    let refused = |why: &str| {
        tracing::info!(reason = why, "bearer token refused");
        let mut res = AppError::Unauthorized.into_response();
        res.headers_mut()
            .insert(WWW_AUTHENTICATE, HeaderValue::from_static("Bearer error=\"invalid_token\""));
        res
    };
    let Some(token) = token.filter(|t| !t.is_empty()) else {
        return refused("not a bearer token");
    };
    let claims = match state.identity.verify_bearer(&token).await {
        Ok(claims) => claims,
        Err(e) => return refused(&e.to_string()),
    };
    let user = async {
        let mut tx = scope::begin(&state.pool, Scope::Platform).await?;
        let user = app::db::users::upsert_from_provider(&mut tx, &claims).await?;
        tx.commit().await?;
        Ok::<_, app::db::users::UpsertError>(user)
    }
    .await;
    match user {
        Ok(user) => {
            req.extensions_mut().remove::<CurrentUser>();
            req.extensions_mut().insert(user);
            next.run(req).await
        }
        Err(app::db::users::UpsertError::Database(e)) => AppError::from(e).into_response(),
        Err(e) => refused(&e.to_string()),
    }
}

/// The signed-in caller on public routes, if any.
type Caller = Option<Extension<CurrentUser>>;

/// A JSON request body whose refusals are ours, in the `{code, message, fields}` shape:
/// a body that is not JSON, or not sent as `application/json`, is a 422 naming `body`; a
/// JSON body of the wrong shape (a missing field, an unknown enum value, a number out of
/// its type's range) is a 422 naming the field. Never axum's plain-text rejection.
pub struct JsonBody<T>(pub T);

impl<S, T> FromRequest<S> for JsonBody<T>
where
    S: Send + Sync,
    T: serde::de::DeserializeOwned + JsonSchema + 'static,
{
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, AppError> {
        use axum::extract::rejection::JsonRejection;
        let value = match Json::<Value>::from_request(req, state).await {
            Ok(Json(value)) => value,
            Err(JsonRejection::MissingJsonContentType(_)) => {
                return Err(AppError::field("body", "expected-application-json"));
            }
            Err(e) => {
                tracing::debug!(error = %e.body_text(), "unreadable JSON body");
                return Err(AppError::field("body", "malformed-json"));
            }
        };
        if let Some(field) = nul::find::<T>(&value) {
            return Err(AppError::field(&field, "nul-character"));
        }
        serde_path_to_error::deserialize(value).map(JsonBody).map_err(|e| shape_error(e, "body"))
    }
}

/// A JSON body that may be left out entirely (an empty body means the defaults); when
/// one is sent it is read like [`JsonBody`].
pub struct OptionalJsonBody<T>(pub Option<T>);

impl<S, T> FromRequest<S> for OptionalJsonBody<T>
where
    S: Send + Sync,
    T: serde::de::DeserializeOwned + JsonSchema + 'static,
{
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, AppError> {
        let empty = req.headers().get(axum::http::header::CONTENT_LENGTH).is_some_and(|l| l == "0")
            || (req.headers().get(axum::http::header::CONTENT_TYPE).is_none()
                && !req.headers().contains_key(axum::http::header::TRANSFER_ENCODING)
                && req.headers().get(axum::http::header::CONTENT_LENGTH).is_none());
        if empty {
            return Ok(OptionalJsonBody(None));
        }
        JsonBody::<T>::from_request(req, state).await.map(|JsonBody(v)| OptionalJsonBody(Some(v)))
    }
}

/// A query string read into `T`, whose refusals are ours: a value of the wrong type or
/// outside an enum is a 422 naming the parameter, never axum's plain-text rejection.
pub struct QueryParams<T>(pub T);

impl<S, T> FromRequestParts<S> for QueryParams<T>
where
    S: Send + Sync,
    T: serde::de::DeserializeOwned,
{
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut axum::http::request::Parts, _: &S) -> Result<Self, AppError> {
        let query = parts.uri.query().unwrap_or_default();
        let pairs = serde_urlencoded::Deserializer::new(url::form_urlencoded::parse(query.as_bytes()));
        serde_path_to_error::deserialize(pairs).map(QueryParams).map_err(|e| shape_error(e, "query"))
    }
}

/// Input of the wrong shape (a JSON body, a query string), as a field error naming the
/// path to the value serde could not read — or `whole` when it is the input itself.
fn shape_error<E: std::fmt::Display>(e: serde_path_to_error::Error<E>, whole: &str) -> AppError {
    let path = e.path().to_string();
    let path = if path == "." { String::new() } else { path };
    let why = e.into_inner().to_string();
    let (field, code) =
        if let Some(missing) = why.strip_prefix("missing field `").and_then(|r| r.split_once('`')) {
            let parent = if path.is_empty() { String::new() } else { format!("{path}.") };
            (format!("{parent}{}", missing.0), "required")
        } else if why.starts_with("unknown variant") {
            (path, "unknown-value")
        } else {
            (path, "invalid")
        };
    AppError::field(if field.is_empty() { whole } else { &field }, code)
}

/// The path parameters of a route, read as strings and parsed by the handler (`uuid`),
/// so that an error names its parameter.
pub struct Params(pub Vec<(String, String)>);

impl<S: Send + Sync> FromRequestParts<S> for Params {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut axum::http::request::Parts, state: &S) -> Result<Self, AppError> {
        let Path(params) = Path::<Vec<(String, String)>>::from_request_parts(parts, state)
            .await
            .map_err(|_| AppError::NotFound)?;
        Ok(Params(params))
    }
}

impl Params {
    /// The raw value of parameter `name` (text holds no U+0000: 422 naming it).
    pub fn text(&self, name: &str) -> Result<&str, AppError> {
        let value =
            self.0.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str()).ok_or(AppError::NotFound)?;
        if value.contains('\0') {
            return Err(AppError::field(name, "nul-character"));
        }
        Ok(value)
    }

    /// Parameter `name` as a UUID; a malformed one is a 422 naming the parameter.
    pub fn uuid(&self, name: &str) -> Result<uuid::Uuid, AppError> {
        uuid::Uuid::parse_str(self.text(name)?).map_err(|_| AppError::field(name, "malformed-id"))
    }
}

/// Unused methods on declared paths answer 405 through axum; anything else under `/v1`
/// is a JSON 404 rather than the HTML page.
pub async fn not_found(method: Method) -> Response {
    tracing::debug!(%method, "unknown REST route");
    AppError::NotFound.into_response()
}

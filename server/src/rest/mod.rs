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
use axum::extract::{FromRequest, FromRequestParts, Path, Query, Request, State};
use axum::http::header::{AUTHORIZATION, WWW_AUTHENTICATE};
use axum::http::{HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, MethodRouter};
use axum::{Extension, Json, Router};
use serde_json::{json, Value};

mod applications;
mod audit;
mod catalog;
mod me;
mod openapi;
mod promotions;
mod subscriptions;

pub use openapi::openapi_document;

/// One REST route: what it is and who may call it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RestRoute {
    pub method: &'static str,
    pub path: &'static str,
    pub access: Access,
    pub summary: &'static str,
}

/// Every REST route with its handler, resource by resource.
pub fn routes() -> Vec<(RestRoute, MethodRouter<AppState>)> {
    [
        openapi::routes(),
        me::routes(),
        catalog::routes(),
        applications::routes(),
        subscriptions::routes(),
        promotions::routes(),
        audit::routes(),
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
        let guarded = handler.route_layer(axum::middleware::from_fn(move |req: Request, next: Next| {
            enforce(access, req, next)
        }));
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

/// A JSON request body whose refusals are ours: a body that is not JSON, or not sent as
/// `application/json`, is a 400 in the `{code, message, fields}` shape; a JSON body of
/// the wrong shape (a missing field, an unknown enum value, a number out of its type's
/// range) is a 422 naming the field. Never axum's plain-text rejection.
pub struct JsonBody<T>(pub T);

impl<S, T> FromRequest<S> for JsonBody<T>
where
    S: Send + Sync,
    T: serde::de::DeserializeOwned,
{
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, AppError> {
        use axum::extract::rejection::JsonRejection;
        match Json::<T>::from_request(req, state).await {
            Ok(Json(value)) => Ok(JsonBody(value)),
            Err(JsonRejection::JsonDataError(e)) => Err(shape_error(&e.body_text())),
            Err(JsonRejection::MissingJsonContentType(_)) => {
                Err(AppError::field("body", "expected-application-json"))
            }
            Err(e) => {
                tracing::debug!(error = %e.body_text(), "unreadable JSON body");
                Err(AppError::field("body", "malformed-json"))
            }
        }
    }
}

/// A JSON body that may be left out entirely (an empty body means the defaults); when
/// one is sent it is read like [`JsonBody`].
pub struct OptionalJsonBody<T>(pub Option<T>);

impl<S, T> FromRequest<S> for OptionalJsonBody<T>
where
    S: Send + Sync,
    T: serde::de::DeserializeOwned,
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

/// axum reports a shape error as `Failed to deserialize the JSON body into the target
/// type: <path>: <why>`; the path names the field (`.` when the body itself is wrong).
fn shape_error(text: &str) -> AppError {
    let detail = text.split_once("target type: ").map(|(_, d)| d).unwrap_or(text);
    let (field, why) = match detail.split_once(": ") {
        Some((path, why)) if !path.contains(' ') => (path.to_owned(), why),
        _ => (missing_field(detail).unwrap_or_else(|| "body".to_owned()), detail),
    };
    let code = if why.starts_with("missing field") {
        "required"
    } else if why.starts_with("unknown variant") {
        "unknown-value"
    } else {
        "invalid"
    };
    let field = if why.starts_with("missing field") { missing_field(why).unwrap_or(field) } else { field };
    AppError::field(&field, code)
}

/// The name in serde's "missing field `name`".
fn missing_field(why: &str) -> Option<String> {
    let rest = why.split_once("missing field `")?.1;
    Some(rest.split_once('`')?.0.to_owned())
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
    /// The raw value of parameter `name`.
    pub fn text(&self, name: &str) -> Result<&str, AppError> {
        self.0.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str()).ok_or(AppError::NotFound)
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

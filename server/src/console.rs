//! Plain form routes that are not server functions, each declared with its access:
//!
//! - the console's publishing form (`/console/apis/new`, `/console/mcp/new`) posts as
//!   `multipart/form-data`, so that an OpenAPI document can be uploaded as a file with
//!   JavaScript off. Success goes to `/console/apis`; a refusal goes back to the form with
//!   what was typed and the errors (kept in the session), so nothing is lost;
//! - an API page's "Try it" form posts to the proxy (`app::tryit`), whose answer waits in
//!   the session and is shown next to the operation.

use app::api::publishing::{self, ConsoleForm, FormState, PublishRequest, FORM_STATE_KEY, UPLOAD_PATH};
use app::api::tryit::{TryForm, MAX_REQUEST_BYTES, RESULT_KEY, TRY_PATH};
use app::auth::CurrentUser;
use app::domain::catalog::Kind;
use app::domain::openapi::MAX_DOCUMENT_BYTES;
use app::domain::permission::{Access, Permission};
use app::error::{AppError, FieldError};
use app::state::AppState;
use axum::extract::{DefaultBodyLimit, Multipart, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{post, MethodRouter};
use axum::Extension;
use tower_sessions::Session;

/// The form routes outside `/v1` and server functions: (method, path, access).
pub const DECLARED: &[(&str, &str, Access)] =
    &[("POST", UPLOAD_PATH, Access::Granted(Permission::PublishApis)), ("POST", TRY_PATH, Access::SignedIn)];

/// The route, with a body limit that leaves room for a 10 MB document and the form.
pub fn routes() -> Vec<(&'static str, MethodRouter<AppState>)> {
    vec![
        (UPLOAD_PATH, post(upload).layer(DefaultBodyLimit::max(MAX_DOCUMENT_BYTES + 2 * 1024 * 1024))),
        (TRY_PATH, post(try_it).layer(DefaultBodyLimit::max(MAX_REQUEST_BYTES * 4))),
    ]
}

fn form_page(kind: &str) -> &'static str {
    if kind == "mcp" {
        "/console/mcp/new"
    } else {
        "/console/apis/new"
    }
}

async fn upload(
    State(state): State<AppState>,
    user: Option<Extension<CurrentUser>>,
    session: Session,
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Response {
    let user = match app::auth::guard(user.as_ref().map(|u| &u.0), DECLARED[0].2) {
        Ok(Some(user)) => user,
        Ok(None) | Err(AppError::Unauthorized) => {
            return Redirect::to("/login?next=/console/apis/new").into_response();
        }
        Err(e) => return e.into_response(),
    };
    let Ok(multipart) = multipart else {
        return AppError::BadRequest.into_response();
    };
    let (form, read_error) = read_form(multipart).await;
    let outcome = match read_error {
        Some(error) => Err(AppError::Validation(vec![error])),
        None if form.kind == "mcp" => {
            publishing::publish_mcp(&state.pool, &user, &form.metadata(), &form.tools).await
        }
        None => {
            let req = PublishRequest {
                meta: form.metadata(),
                document: form.document.clone(),
                publish: form.publish,
                environments: form.environments.clone(),
            };
            publishing::publish(&state.pool, &user, &req).await
        }
    };
    match outcome {
        Ok(done) => {
            if let Err(e) = app::flash::forget(&session, FORM_STATE_KEY).await {
                tracing::warn!(error = %e, "could not drop a refused form");
            }
            let status = if done.kind == Kind::Mcp { "mcp-stored" } else { done.status.as_str() };
            Redirect::to(&format!(
                "/console/apis?done={status}&api={}",
                app::auth::encode_query_value(&done.slug)
            ))
            .into_response()
        }
        Err(e) => {
            let errors = match e {
                AppError::Validation(errors) => errors,
                AppError::Conflict { code } => {
                    vec![FieldError { field: "document".into(), code, detail: None }]
                }
                other => vec![FieldError { field: "form".into(), code: other.code().into(), detail: None }],
            };
            let page = form_page(&form.kind);
            match app::flash::keep(&session, FORM_STATE_KEY, FormState { form, errors }).await {
                Ok(token) => Redirect::to(&format!("{page}?refused={token}")).into_response(),
                Err(e) => {
                    tracing::error!(error = %e, "could not keep the refused form");
                    AppError::Internal.into_response()
                }
            }
        }
    }
}

/// Reads the form's fields; a field that cannot be read (too large, not text) is reported
/// against the field, with what was read before it kept.
async fn read_form(mut multipart: Multipart) -> (ConsoleForm, Option<FieldError>) {
    let mut form = ConsoleForm { kind: "api".into(), ..Default::default() };
    let error =
        |field: &str, code: &str| Some(FieldError { field: field.into(), code: code.into(), detail: None });
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => return (form, None),
            Err(e) => {
                tracing::info!(error = %e, "publishing form unreadable");
                return (form, error("document", "too-large"));
            }
        };
        let name = field.name().unwrap_or_default().to_owned();
        let is_file = field.file_name().is_some();
        let bytes = match field.bytes().await {
            Ok(bytes) => bytes,
            Err(e) => {
                tracing::info!(error = %e, field = %name, "publishing form field unreadable");
                return (
                    form,
                    error(if name.starts_with("tools") { "tools" } else { "document" }, "too-large"),
                );
            }
        };
        if is_file && bytes.is_empty() {
            continue; // no file chosen
        }
        if bytes.len() > MAX_DOCUMENT_BYTES {
            let target = if name.starts_with("tools") { "tools" } else { "document" };
            return (form, error(target, "too-large"));
        }
        let Ok(text) = String::from_utf8(bytes.to_vec()) else {
            let target = if name.starts_with("tools") { "tools" } else { "document" };
            return (form, error(target, "not-text"));
        };
        match name.as_str() {
            "kind" => form.kind = if text == "mcp" { "mcp".into() } else { "api".into() },
            "name" => form.name = text,
            "slug" => form.slug = text,
            "description" => form.description = text,
            "category" => form.category = text,
            "tags" => form.tags = text,
            "audience" => form.audience = text,
            "auth_type" => form.auth_type = text,
            "requires_approval" => form.requires_approval = true,
            "publish" => form.publish = true,
            "environments" => form.environments.push(text),
            // A chosen file replaces what was pasted.
            "document" | "document_file" if !text.trim().is_empty() || form.document.is_empty() => {
                form.document = text
            }
            "tools" | "tools_file" if !text.trim().is_empty() || form.tools.is_empty() => form.tools = text,
            _ => {}
        }
    }
}

/// `POST /try-it`: sends the operation through the proxy, keeps the answer in the session
/// and goes back to the operation on the API page.
async fn try_it(
    State(state): State<AppState>,
    user: Option<Extension<CurrentUser>>,
    session: Session,
    fields: Result<axum::Form<Vec<(String, String)>>, axum::extract::rejection::FormRejection>,
) -> Response {
    let Ok(axum::Form(fields)) = fields else {
        return AppError::BadRequest.into_response();
    };
    let mut form = TryForm::default();
    for (name, value) in fields {
        match name.as_str() {
            "tenant" => form.tenant = value,
            "api" => form.api = value,
            "version" => form.version = value,
            "environment" => form.environment = value,
            "method" => form.method = value,
            "path" => form.path = value,
            "op" => form.op = value,
            "body" => form.body = value,
            "application" => form.application = value,
            other => {
                if let Some((location, param)) = other.strip_prefix("p.").and_then(|p| p.split_once('.')) {
                    form.params.push((location.to_owned(), param.to_owned(), value));
                }
            }
        }
    }
    let enc = app::auth::encode_query_value;
    let page = format!(
        "/apis/{}/{}?version={}&op={}",
        enc(&form.tenant),
        enc(&form.api),
        enc(&form.version),
        enc(&form.op)
    );
    let user = match app::auth::guard(user.as_ref().map(|u| &u.0), DECLARED[1].2) {
        Ok(Some(user)) => user,
        Ok(None) | Err(AppError::Unauthorized) => {
            return Redirect::to(&format!("/login?next={}", app::auth::encode_next(Some(&page))))
                .into_response();
        }
        Err(e) => return e.into_response(),
    };
    let result = app::tryit::send(&state.pool, &state.config.try_it_allowed_networks, &user, form).await;
    let anchor = enc(&result.form.op);
    match app::flash::keep(&session, RESULT_KEY, result).await {
        Ok(token) => Redirect::to(&format!("{page}&tried={token}#{anchor}")).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "could not keep the try-it answer");
            AppError::Internal.into_response()
        }
    }
}

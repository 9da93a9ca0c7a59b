//! Plain form routes that are not server functions, each declared with its access:
//!
//! - the console's publishing form (`/console/apis/new`, `/console/mcp/new`) posts as
//!   `multipart/form-data`, so that an OpenAPI document can be uploaded as a file with
//!   JavaScript off. Success goes to `/console/apis`; a refusal goes back to the form with
//!   what was typed and the errors (kept in the session), so nothing is lost;
//! - an API page's "Try it" form posts to the proxy (`app::tryit`), whose answer waits in
//!   the session and is shown next to the operation;
//! - an API or MCP page's subscribe form (an MCP server's tools are checkboxes, a
//!   repeated field) goes to the application's page, or back with the error;
//! - the approval queue's forms decide on one subscription or, with the checkboxes, on
//!   several at once;
//! - the console's plan form (`/console/plans`) creates or changes a plan; the roles that
//!   are approved at once and the entries that offer it are checkboxes.

use crate::plain::PlainRoute;
use app::auth::CurrentUser;
use app::domain::catalog::Kind;
use app::domain::openapi::MAX_DOCUMENT_BYTES;
use app::domain::permission::{Access, Permission};
use app::domain::subscription::Action;
use app::error::{AppError, FieldError};
use app::model::plans::{RefusedPlan, FORM_KEY as PLAN_FORM_KEY, SAVE_PATH as PLAN_SAVE_PATH};
use app::model::publishing::{ConsoleForm, FormState, PublishRequest, FORM_STATE_KEY, UPLOAD_PATH};
use app::model::subscriptions::{SubscribeForm, DECIDE_PATH, SUBSCRIBE_PATH};
use app::model::tryit::{TryForm, MAX_REQUEST_BYTES, RESULT_KEY, TRY_PATH};
use app::service::publishing;
use app::service::subscriptions::SubscribeRequest;
use app::state::AppState;
use axum::extract::{DefaultBodyLimit, Multipart, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{post, MethodRouter};
use axum::Extension;
use tower_sessions::Session;

/// The publishing form (multipart: the document may be a file).
pub const UPLOAD: PlainRoute = PlainRoute::post(UPLOAD_PATH, Access::Granted(Permission::PublishApis));
/// An API page's "Try it".
pub const TRY: PlainRoute = PlainRoute::post(TRY_PATH, Access::SignedIn);
/// An API or MCP page's subscribe form.
pub const SUBSCRIBE: PlainRoute = PlainRoute::post(SUBSCRIBE_PATH, Access::Granted(Permission::Subscribe));
/// The approval queue's decisions.
pub const DECIDE: PlainRoute =
    PlainRoute::post(DECIDE_PATH, Access::Granted(Permission::DecideSubscriptions));

/// The console's plan form.
pub const SAVE_PLAN: PlainRoute = PlainRoute::post(PLAN_SAVE_PATH, Access::Granted(Permission::ManagePlans));

/// The form routes and their handlers; the upload's body limit leaves room for a 10 MB
/// document and the form.
pub fn routes() -> Vec<(PlainRoute, MethodRouter<AppState>)> {
    vec![
        (UPLOAD, post(upload).layer(DefaultBodyLimit::max(MAX_DOCUMENT_BYTES + 2 * 1024 * 1024))),
        (TRY, post(try_it).layer(DefaultBodyLimit::max(MAX_REQUEST_BYTES * 4))),
        (SUBSCRIBE, post(subscribe)),
        (DECIDE, post(decide)),
        (SAVE_PLAN, post(save_plan)),
    ]
}

/// The form routes as [`routes`] mounts them.
pub fn declared() -> Vec<PlainRoute> {
    routes().into_iter().map(|(route, _)| route).collect()
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
    let user = match app::auth::guard(user.as_ref().map(|u| &u.0), UPLOAD.access) {
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
            publishing::publish_mcp(&state.pool, &user, &form.metadata(), &form.tools, Some(&form.remote_url))
                .await
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
            "remote_url" => form.remote_url = text,
            "tools" | "tools_file" if !text.trim().is_empty() || form.tools.is_empty() => form.tools = text,
            _ => {}
        }
    }
}

/// `POST /try-it`: sends the operation through the proxy, keeps the answer in the session
/// and goes back to the operation on the API page.
async fn try_it(
    State(state): State<AppState>,
    Extension(gateway): Extension<std::sync::Arc<gateway::Gateway>>,
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
    let user = match admitted(user, TRY.access, &page) {
        Ok(user) => user,
        Err(response) => return *response,
    };
    let result =
        gateway::tryit::send(&state.pool, &gateway, &state.config.try_it_allowed_networks, &user, form).await;
    let anchor = enc(&result.form.op);
    match app::flash::keep(&session, RESULT_KEY, result).await {
        Ok(token) => Redirect::to(&format!("{page}&tried={token}#{anchor}")).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "could not keep the try-it answer");
            AppError::Internal.into_response()
        }
    }
}

type FormFields = Result<axum::Form<Vec<(String, String)>>, axum::extract::rejection::FormRejection>;

/// The signed-in user the declared route admits; otherwise the response: sign in first
/// (then back to `page`), or the refusal.
fn admitted(
    user: Option<Extension<CurrentUser>>,
    access: Access,
    page: &str,
) -> Result<CurrentUser, Box<Response>> {
    match app::auth::guard(user.as_ref().map(|u| &u.0), access) {
        Ok(Some(user)) => Ok(user),
        Ok(None) | Err(AppError::Unauthorized) => Err(Box::new(
            Redirect::to(&format!("/login?next={}", app::auth::encode_next(Some(page)))).into_response(),
        )),
        Err(e) => Err(Box::new(e.into_response())),
    }
}

/// `POST /subscribe`: subscribes one of the user's applications; on to the application's
/// page, or back to the entry's page with the error next to the field and the choices kept.
async fn subscribe(
    State(state): State<AppState>,
    user: Option<Extension<CurrentUser>>,
    fields: FormFields,
) -> Response {
    let Ok(axum::Form(fields)) = fields else {
        return AppError::BadRequest.into_response();
    };
    let mut form = SubscribeForm::default();
    for (name, value) in fields {
        match name.as_str() {
            "kind" => form.kind = value,
            "tenant" => form.tenant = value,
            "slug" => form.slug = value,
            "application" => form.application = value,
            "plan" => form.plan = value,
            "tools" => form.tools.push(value),
            "ttl_days" => form.ttl_days = value,
            _ => {}
        }
    }
    let enc = app::auth::encode_query_value;
    let kind = if form.kind == "mcp" { Kind::Mcp } else { Kind::Api };
    let page = match kind {
        Kind::Mcp => format!("/mcp/{}", enc(&form.slug)),
        Kind::Api => format!("/apis/{}/{}", enc(&form.tenant), enc(&form.slug)),
    };
    let user = match admitted(user, SUBSCRIBE.access, &page) {
        Ok(user) => user,
        Err(response) => return *response,
    };
    let back = |code: &str, detail: Option<&str>| {
        let mut to = format!(
            "{page}?subscribe_error={}&application={}&plan={}",
            enc(code),
            enc(&form.application),
            enc(&form.plan)
        );
        for tool in &form.tools {
            to.push_str(&format!("&tool={}", enc(tool)));
        }
        if let Some(d) = detail {
            to.push_str(&format!("&detail={}", enc(d)));
        }
        Redirect::to(&format!("{to}#subscribe")).into_response()
    };
    let Ok(application) = uuid::Uuid::parse_str(form.application.trim()) else {
        return back("choose-application", None);
    };
    let ttl_days = match form.ttl_days.trim() {
        "" => None,
        d => match d.parse::<i64>() {
            Ok(d) => Some(d),
            Err(_) => return back("ttl-out-of-range", None),
        },
    };
    let req = SubscribeRequest {
        kind,
        tenant: (kind == Kind::Api).then_some(form.tenant.as_str()),
        slug: &form.slug,
        application,
        plan: Some(form.plan.as_str()),
        tools: &form.tools,
        ttl_days,
    };
    match app::service::subscriptions::subscribe(&state.pool, &user, &req).await {
        Ok(done) => Redirect::to(&format!(
            "/apps/{}?subscribed={}#sub-{}",
            done.application_id,
            done.state.as_str(),
            done.id
        ))
        .into_response(),
        Err(AppError::Validation(errors)) => match errors.first() {
            Some(e) => back(&e.code, e.detail.as_deref()),
            None => AppError::BadRequest.into_response(),
        },
        // The application was deleted meanwhile (another tab, a demo reset).
        Err(AppError::Conflict { code }) if code == "gone" => back("unknown-application", None),
        Err(e) => e.into_response(),
    }
}

/// `POST /console/subscriptions/decide`: an approver's decision on the subscriptions
/// ticked (`id`, repeated); back to the queue with what was done, or with the error next
/// to the reason field and the reason typed kept.
async fn decide(
    State(state): State<AppState>,
    user: Option<Extension<CurrentUser>>,
    fields: FormFields,
) -> Response {
    let Ok(axum::Form(fields)) = fields else {
        return AppError::BadRequest.into_response();
    };
    let (mut ids, mut action, mut reason, mut back_to, mut bulk) =
        (Vec::new(), String::new(), String::new(), String::new(), false);
    for (name, value) in fields {
        match name.as_str() {
            "id" => ids.push(value),
            "action" => action = value,
            "reason" => reason = value,
            "state" => back_to = value,
            "bulk" => bulk = true,
            _ => {}
        }
    }
    let enc = app::auth::encode_query_value;
    let state_filter = app::domain::subscription::State::parse(&back_to)
        .filter(|s| app::model::subscriptions::QUEUE_STATES.contains(s))
        .unwrap_or(app::domain::subscription::State::Pending)
        .as_str();
    let queue = format!("/console/subscriptions?state={state_filter}");
    let user = match admitted(user, DECIDE.access, &queue) {
        Ok(user) => user,
        Err(response) => return *response,
    };
    let Some(action) = Action::parse(&action) else {
        return AppError::BadRequest.into_response();
    };
    let Ok(ids) = ids.iter().map(|i| uuid::Uuid::parse_str(i)).collect::<Result<Vec<_>, _>>() else {
        return AppError::NotFound.into_response();
    };
    let target = match (bulk, ids.first()) {
        (false, Some(id)) if ids.len() == 1 => id.to_string(),
        _ => "bulk".into(),
    };
    let anchor = if target == "bulk" { "bulk".to_owned() } else { format!("sub-{target}") };
    match app::service::subscriptions::decide(&state.pool, &user, &ids, action, Some(&reason)).await {
        Ok(done) => Redirect::to(&format!(
            "{queue}&done={}&n={}&skipped={}",
            action.as_str(),
            done.done.len(),
            done.skipped
        ))
        .into_response(),
        Err(AppError::Validation(errors)) => {
            let code = errors.first().map(|e| e.code.clone()).unwrap_or_default();
            let mut to = format!("{queue}&error={}&for={target}&reason={}", enc(&code), enc(&reason));
            for id in &ids {
                to.push_str(&format!("&id={id}"));
            }
            Redirect::to(&format!("{to}#{anchor}")).into_response()
        }
        Err(AppError::Conflict { code }) => {
            Redirect::to(&format!("{queue}&error={}&for={target}#{anchor}", enc(&code))).into_response()
        }
        Err(e) => e.into_response(),
    }
}

/// A number field of the plan form: empty is none (no limit); anything else not a whole
/// number is refused next to the field.
fn number(name: &str, value: &str, errors: &mut Vec<FieldError>) -> Option<i64> {
    let value = value.trim();
    if value.is_empty() {
        return None;
    }
    match value.parse::<i64>() {
        Ok(n) => Some(n),
        Err(_) => {
            errors.push(FieldError::new(name, "not-a-number"));
            None
        }
    }
}

/// `POST /console/plans/save`: creates a plan (no `id`) or changes one; on to the plan's
/// page, or back to the form with the errors next to the fields and what was typed.
async fn save_plan(
    State(state): State<AppState>,
    user: Option<Extension<CurrentUser>>,
    session: Session,
    fields: FormFields,
) -> Response {
    let Ok(axum::Form(fields)) = fields else {
        return AppError::BadRequest.into_response();
    };
    let mut draft = app::domain::plan::PlanDraft { everywhere: false, ..Default::default() };
    let mut id = None;
    let mut tenant = None;
    let mut errors = Vec::new();
    for (name, value) in &fields {
        match name.as_str() {
            "id" if !value.is_empty() => id = uuid::Uuid::parse_str(value).ok(),
            "tenant" if !value.is_empty() => tenant = Some(value.clone()),
            "slug" => draft.slug = value.clone(),
            "name" => draft.name = value.clone(),
            "description" => draft.description = value.clone(),
            "rate_per_second" => draft.rate_per_second = number(name, value, &mut errors),
            "rate_per_minute" => draft.rate_per_minute = number(name, value, &mut errors),
            "daily_quota" => draft.daily_quota = number(name, value, &mut errors),
            "monthly_quota" => draft.monthly_quota = number(name, value, &mut errors),
            "max_ttl_days" => draft.max_ttl_days = number(name, value, &mut errors),
            "requires_approval" => draft.requires_approval = true,
            "auto_approve_roles" => draft.auto_approve_roles.push(value.clone()),
            "audience" => match app::domain::catalog::Audience::parse(value) {
                Some(a) => draft.audience = a,
                None => errors.push(FieldError::new("audience", "unknown-value")),
            },
            "everywhere" => draft.everywhere = value == "yes",
            "offered_on" => match app::domain::plan::EntryRef::from_form_value(value) {
                Some(e) => draft.offered_on.push(e),
                None => errors.push(FieldError::new("offered_on", "unknown-entry")),
            },
            _ => {}
        }
    }
    let page = match id {
        Some(id) => format!("/console/plans/{id}"),
        None => "/console/plans".to_owned(),
    };
    let user = match admitted(user, SAVE_PLAN.access, &page) {
        Ok(user) => user,
        Err(response) => return *response,
    };
    let outcome = if !errors.is_empty() {
        Err(AppError::Validation(errors))
    } else if let Some(id) = id {
        app::service::plans::update(&state.pool, &user, id, draft.clone()).await
    } else {
        app::service::plans::create(&state.pool, &user, tenant.as_deref(), draft.clone()).await
    };
    match outcome {
        Ok(plan) => Redirect::to(&format!("/console/plans/{}?saved=1", plan.id)).into_response(),
        Err(AppError::Validation(errors)) => {
            match app::flash::keep(&session, PLAN_FORM_KEY, RefusedPlan { id, draft, errors }).await {
                Ok(token) => Redirect::to(&format!("{page}?refused={token}#plan-form")).into_response(),
                Err(e) => {
                    tracing::error!(error = %e, "could not keep the refused plan form");
                    AppError::Internal.into_response()
                }
            }
        }
        Err(e) => e.into_response(),
    }
}

//! REST: applications, their keys, and key verification for gateways.

use super::*;
use app::model::applications::{
    AppDetail, AppForm, AppSummary, IssuedSecret, NewKey, Rotation, SecurityProfile, Verification,
};
use app::model::{NOT_BLANK, REDIRECT_URI};

const MANAGE: Access = Access::Granted(Permission::ManageOwnApplications);

/// This resource's routes, in the order the document lists them.
pub(super) fn routes() -> Vec<(RestRoute, MethodRouter<AppState>)> {
    vec![
        (
            RestRoute::get("/v1/applications", MANAGE, "listApplications")
                .summary("The caller's applications")
                .ok::<Vec<AppSummary>>(),
            get(applications),
        ),
        (
            RestRoute::post("/v1/applications", MANAGE, "createApplication")
                .summary("Create an application: name, description, security_profile (api_key | oauth2_confidential), redirect_uris")
                .body::<NewApplication>(|| json!({ "name": "Weather widget", "description": "Shows the forecast", "security_profile": "api_key", "redirect_uris": [] }))
                .created::<AppDetail>(),
            post(create_application),
        ),
        (
            RestRoute::get("/v1/applications/{id}", MANAGE, "getApplication")
                .summary("One of the caller's applications with its credentials (never their secrets)")
                .ok::<AppDetail>(),
            get(application),
        ),
        (
            RestRoute::delete("/v1/applications/{id}", MANAGE, "deleteApplication")
                .summary("Delete an application: its credentials stop working, its subscriptions are revoked"),
            axum::routing::delete(delete_application),
        ),
        (
            RestRoute::post("/v1/applications/{id}/keys", MANAGE, "issueKey")
                .summary("Issue an API key (or client secret) — the response is the only time it is shown; optional expires_in_days")
                .optional_body::<NewKey>(|| json!({ "expires_in_days": 90 }))
                .created::<IssuedSecret>(),
            post(issue_key),
        ),
        (
            RestRoute::post("/v1/applications/{id}/keys/{key}/rotate", MANAGE, "rotateKey")
                .summary("Rotate a key: a new one now (shown once), the old one valid for grace_period_hours (1-168, default 24)")
                .optional_body::<Rotation>(|| json!({ "grace_period_hours": 24 }))
                .created::<IssuedSecret>()
                .errors(&[409]),
            post(rotate_key),
        ),
        (
            RestRoute::delete("/v1/applications/{id}/keys/{key}", MANAGE, "revokeKey").summary("Revoke a key at once"),
            axum::routing::delete(revoke_key),
        ),
        (
            RestRoute::post("/v1/keys/verify", Access::Public, "verifyKey")
                .summary("For gateways: is this API key valid, for which application, with which active subscriptions and plan limits, and is it the previous key of a rotation")
                .body::<Presented>(|| json!({ "key": "stoa_sk_0123456789abcdefghijklmnopqrstuvwxyzABCDEFG" }))
                .ok::<Verification>()
                .errors(&[429]),
            post(verify_key),
        ),
    ]
}

async fn applications(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
) -> Result<Json<Vec<AppSummary>>, AppError> {
    Ok(Json(app::service::applications::list(&state.pool, &user).await?))
}

/// The REST shape of a new application: redirect URIs as a list.
#[derive(Deserialize, JsonSchema)]
#[schemars(extend(
    "if" = { "properties": { "security_profile": { "const": "oauth2_confidential" } }, "required": ["security_profile"] },
    "then" = { "properties": { "redirect_uris": { "minItems": 1 } }, "required": ["redirect_uris"] },
))]
struct NewApplication {
    /// 1–100 characters, not only spaces; unique among the caller's applications.
    #[schemars(length(min = 1, max = 100), pattern(NOT_BLANK))]
    name: String,
    /// Markdown, up to 2 000 characters.
    #[serde(default)]
    #[schemars(length(max = 2000))]
    description: String,
    security_profile: SecurityProfile,
    /// Where an authorization server may send codes: absolute `https://` URIs, or
    /// `http://` on the loopback interface; no fragment. Up to 10; at least one for
    /// `oauth2_confidential`.
    #[serde(default)]
    #[schemars(length(max = 10), inner(pattern(REDIRECT_URI)))]
    redirect_uris: Vec<String>,
}

async fn create_application(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    JsonBody(body): JsonBody<NewApplication>,
) -> Result<(StatusCode, Json<AppDetail>), AppError> {
    let form = AppForm {
        name: body.name,
        description: body.description,
        security_profile: body.security_profile.as_str().to_owned(),
        redirect_uris: body.redirect_uris.join("\n"),
    };
    let id = app::service::applications::save(&state.pool, &user, None, &form).await?;
    let detail = app::service::applications::get(&state.pool, &user, id).await?;
    Ok((StatusCode::CREATED, Json(detail)))
}

async fn application(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    params: Params,
) -> Result<Json<AppDetail>, AppError> {
    Ok(Json(app::service::applications::get(&state.pool, &user, params.uuid("id")?).await?))
}

async fn delete_application(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    params: Params,
) -> Result<StatusCode, AppError> {
    app::service::applications::delete(&state.pool, &user, params.uuid("id")?).await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn issue_key(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    params: Params,
    OptionalJsonBody(body): OptionalJsonBody<NewKey>,
) -> Result<(StatusCode, Json<IssuedSecret>), AppError> {
    let days = body.unwrap_or_default().days()?;
    let issued = app::service::applications::issue(&state.pool, &user, params.uuid("id")?, days).await?;
    Ok((StatusCode::CREATED, Json(issued)))
}

async fn rotate_key(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    params: Params,
    OptionalJsonBody(body): OptionalJsonBody<Rotation>,
) -> Result<(StatusCode, Json<IssuedSecret>), AppError> {
    let hours = body.unwrap_or_default().hours()?;
    let (app, key) = (params.uuid("id")?, params.uuid("key")?);
    let issued = app::service::applications::rotate(&state.pool, &user, Some(app), key, hours).await?;
    Ok((StatusCode::CREATED, Json(issued)))
}

async fn revoke_key(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    params: Params,
) -> Result<StatusCode, AppError> {
    let (app, key) = (params.uuid("id")?, params.uuid("key")?);
    let detail = app::service::applications::get(&state.pool, &user, app).await?;
    if !detail.credentials.iter().any(|c| c.id == key) {
        return Err(AppError::NotFound);
    }
    app::service::applications::revoke(&state.pool, &user, key).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A key a gateway was shown.
#[derive(Deserialize, JsonSchema)]
struct Presented {
    key: String,
}

async fn verify_key(
    State(state): State<AppState>,
    connect: Option<Extension<axum::extract::ConnectInfo<std::net::SocketAddr>>>,
    JsonBody(body): JsonBody<Presented>,
) -> Result<Response, AppError> {
    let address = connect.map(|c| c.0 .0.ip());
    let answer =
        app::service::applications::verify_from(&state.pool, &state.key_misses, address, &body.key).await?;
    Ok(([(axum::http::header::CONTENT_TYPE, "application/json")], answer.json.clone()).into_response())
}

//! REST: applications.

use super::*;

/// This resource's routes, in the order the document lists them.
pub(super) fn routes() -> Vec<(RestRoute, MethodRouter<AppState>)> {
    vec![
        (
            RestRoute {
                method: "GET",
                path: "/v1/applications",
                access: Access::Granted(Permission::ManageOwnApplications),
                summary: "The caller's applications",
            },
            get(applications),
        ),
        (
            RestRoute {
                method: "POST",
                path: "/v1/applications",
                access: Access::Granted(Permission::ManageOwnApplications),
                summary: "Create an application: name, description, security_profile (api_key | oauth2_confidential), redirect_uris",
            },
            post(create_application),
        ),
        (
            RestRoute {
                method: "GET",
                path: "/v1/applications/{id}",
                access: Access::Granted(Permission::ManageOwnApplications),
                summary: "One of the caller's applications with its credentials (never their secrets)",
            },
            get(application),
        ),
        (
            RestRoute {
                method: "DELETE",
                path: "/v1/applications/{id}",
                access: Access::Granted(Permission::ManageOwnApplications),
                summary: "Delete an application: its credentials stop working, its subscriptions are revoked",
            },
            axum::routing::delete(delete_application),
        ),
        (
            RestRoute {
                method: "POST",
                path: "/v1/applications/{id}/keys",
                access: Access::Granted(Permission::ManageOwnApplications),
                summary: "Issue an API key (or client secret) — the response is the only time it is shown; optional expires_in_days",
            },
            post(issue_key),
        ),
        (
            RestRoute {
                method: "POST",
                path: "/v1/applications/{id}/keys/{key}/rotate",
                access: Access::Granted(Permission::ManageOwnApplications),
                summary: "Rotate a key: a new one now (shown once), the old one valid for grace_period_hours (1-168, default 24)",
            },
            post(rotate_key),
        ),
        (
            RestRoute {
                method: "DELETE",
                path: "/v1/applications/{id}/keys/{key}",
                access: Access::Granted(Permission::ManageOwnApplications),
                summary: "Revoke a key at once",
            },
            axum::routing::delete(revoke_key),
        ),
        (
            RestRoute {
                method: "POST",
                path: "/v1/keys/verify",
                access: Access::Public,
                summary: "For gateways: is this API key valid, for which application, with which active subscriptions and plan limits, and is it the previous key of a rotation",
            },
            post(verify_key),
        ),
    ]
}

async fn applications(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
) -> Result<Json<Vec<app::model::applications::AppSummary>>, AppError> {
    Ok(Json(app::service::applications::list(&state.pool, &user).await?))
}

/// The REST shape of an application: redirect URIs as a list.
#[derive(serde::Deserialize)]
struct NewApplication {
    #[serde(default)]
    name: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    security_profile: String,
    #[serde(default)]
    redirect_uris: Vec<String>,
}

async fn create_application(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    JsonBody(body): JsonBody<NewApplication>,
) -> Result<(StatusCode, Json<app::model::applications::AppDetail>), AppError> {
    let form = app::model::applications::AppForm {
        name: body.name,
        description: body.description,
        security_profile: body.security_profile,
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
) -> Result<Json<app::model::applications::AppDetail>, AppError> {
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
    OptionalJsonBody(body): OptionalJsonBody<app::model::applications::NewKey>,
) -> Result<(StatusCode, Json<app::model::applications::IssuedSecret>), AppError> {
    let days = body.unwrap_or_default().days()?;
    let issued = app::service::applications::issue(&state.pool, &user, params.uuid("id")?, days).await?;
    Ok((StatusCode::CREATED, Json(issued)))
}

async fn rotate_key(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    params: Params,
    OptionalJsonBody(body): OptionalJsonBody<app::model::applications::Rotation>,
) -> Result<(StatusCode, Json<app::model::applications::IssuedSecret>), AppError> {
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

#[derive(serde::Deserialize)]
struct Presented {
    key: String,
}

async fn verify_key(
    State(state): State<AppState>,
    JsonBody(body): JsonBody<Presented>,
) -> Result<Response, AppError> {
    let answer = app::service::applications::verify(&state.pool, &body.key).await?;
    Ok(([(axum::http::header::CONTENT_TYPE, "application/json")], answer.json.clone()).into_response())
}

//! REST: the onboarding wizard for API-first users — the same steps as `/onboarding`,
//! each checked against the ones before it.

use super::*;
use app::model::applications::IssuedSecret;
use app::model::onboarding::{
    ChooseApplication, ChooseSubscription, ChooseUseCase, FunnelQuery, FunnelReport, OnboardingState,
};
use app::model::NOT_BLANK;

const WIZARD: Access = Access::Granted(Permission::ManageOwnApplications);

/// This resource's routes, in the order the document lists them.
pub(super) fn routes() -> Vec<(RestRoute, MethodRouter<AppState>)> {
    vec![
        (
            RestRoute::get("/v1/me/onboarding", WIZARD, "getOnboarding")
                .summary("Where the caller stands in the onboarding wizard: step, choices, each step's time, the first call through the gateway and the time to it")
                .ok::<OnboardingState>(),
            get(state),
        ),
        (
            RestRoute::post("/v1/me/onboarding", WIZARD, "startOnboarding")
                .summary("Start the onboarding wizard (again, after leaving it); nothing changes when it is started")
                .ok::<OnboardingState>(),
            post(start),
        ),
        (
            RestRoute::delete("/v1/me/onboarding", WIZARD, "restartOnboarding")
                .summary("Forget the wizard's progress (applications and subscriptions stay)"),
            axum::routing::delete(restart),
        ),
        (
            RestRoute::post("/v1/me/onboarding/use-case", WIZARD, "chooseOnboardingUseCase")
                .summary("Step 1: the use case (rest | mcp | both)")
                .body::<ChooseUseCase>(|| json!({ "use_case": "rest" }))
                .ok::<OnboardingState>(),
            post(use_case),
        ),
        (
            RestRoute::post("/v1/me/onboarding/application", WIZARD, "chooseOnboardingApplication")
                .summary("Step 2: one of the caller's applications (application_id) or a new one (name, description); a new API key, shown only in this answer")
                .body::<ApplicationChoice>(|| json!({ "name": "My first app", "description": "Trying STOA" }))
                .ok::<ChosenApplication>()
                .errors(&[404, 409]),
            post(application),
        ),
        (
            RestRoute::post("/v1/me/onboarding/subscription", WIZARD, "chooseOnboardingSubscription")
                .summary("Step 3: subscribe the wizard's application to an API or MCP server (kind, tenant, slug, plan): active at once or waiting for an approver")
                .body::<ChooseSubscription>(|| json!({ "kind": "api", "tenant": "demo", "slug": "weather-forecast", "plan": "free" }))
                .ok::<OnboardingState>()
                .errors(&[404, 409]),
            post(subscription),
        ),
        (
            RestRoute::get(
                "/v1/admin/onboarding/funnel",
                Access::Granted(Permission::ViewOnboardingFunnel),
                "onboardingFunnel",
            )
            .summary(
                "How users get through the onboarding wizard: of those who started in the last `days` days, how \
                 many got past each step, the share of the previous step, p50 / p90 time to first call, and the \
                 users stalled at a step for more than `stalled_hours` hours. A tenant admin sees their tenant's \
                 users, a platform admin every tenant's (by tenant) or one tenant's.",
            )
            .query::<FunnelQuery>()
            .ok::<FunnelReport>()
            .or_as(&["text/csv"]),
            get(funnel),
        ),
    ]
}

/// The funnel as JSON, or its stages as CSV (`Accept: text/csv`).
async fn funnel(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    headers: axum::http::HeaderMap,
    QueryParams(query): QueryParams<FunnelQuery>,
) -> Result<Response, AppError> {
    use app::service::onboarding::{funnel_csv, FunnelRows};
    let report = app::service::onboarding::funnel(&state.pool, &user, &query).await?;
    Ok(if prefers(&headers, "text/csv") {
        let csv = funnel_csv(&report, FunnelRows::Stages);
        ([(axum::http::header::CONTENT_TYPE, "text/csv; charset=utf-8")], csv).into_response()
    } else {
        Json(report).into_response()
    })
}

/// Step 2's choice: one of the caller's applications, or a new one.
#[derive(Deserialize, JsonSchema)]
#[serde(untagged)]
enum ApplicationChoice {
    Existing {
        application_id: uuid::Uuid,
        /// A new key even when this application is chosen already (its key was revoked
        /// or lost).
        #[serde(default)]
        new_key: bool,
    },
    New {
        /// 1–100 characters, not only spaces; not one of the caller's applications' names.
        #[schemars(length(min = 1, max = 100), pattern(NOT_BLANK))]
        name: String,
        /// Markdown, up to 2 000 characters.
        #[serde(default)]
        #[schemars(length(max = 2000))]
        description: Option<String>,
    },
}

/// The wizard after step 2, and the new API key (shown once) when one was issued.
#[derive(Serialize, JsonSchema)]
struct ChosenApplication {
    state: OnboardingState,
    issued: Option<IssuedSecret>,
}

async fn state(
    State(s): State<AppState>,
    Extension(user): Extension<CurrentUser>,
) -> Result<Json<OnboardingState>, AppError> {
    Ok(Json(app::service::onboarding::state(&s.pool, &user).await?))
}

async fn start(
    State(s): State<AppState>,
    Extension(user): Extension<CurrentUser>,
) -> Result<Json<OnboardingState>, AppError> {
    Ok(Json(app::service::onboarding::start(&s.pool, &user).await?))
}

async fn restart(
    State(s): State<AppState>,
    Extension(user): Extension<CurrentUser>,
) -> Result<StatusCode, AppError> {
    app::service::onboarding::restart(&s.pool, &user).await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn use_case(
    State(s): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    JsonBody(body): JsonBody<ChooseUseCase>,
) -> Result<Json<OnboardingState>, AppError> {
    Ok(Json(app::service::onboarding::choose_use_case(&s.pool, &user, body.use_case).await?))
}

async fn application(
    State(s): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    JsonBody(body): JsonBody<ApplicationChoice>,
) -> Result<Json<ChosenApplication>, AppError> {
    let choice = match body {
        ApplicationChoice::Existing { application_id, new_key } => {
            ChooseApplication { application_id: Some(application_id), new_key, ..Default::default() }
        }
        ApplicationChoice::New { name, description } => {
            ChooseApplication { application_id: None, name: Some(name), description, new_key: false }
        }
    };
    let (state, issued) = app::service::onboarding::choose_application(&s.pool, &user, &choice).await?;
    Ok(Json(ChosenApplication { state, issued }))
}

async fn subscription(
    State(s): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    JsonBody(body): JsonBody<ChooseSubscription>,
) -> Result<Json<OnboardingState>, AppError> {
    Ok(Json(app::service::onboarding::choose_subscription(&s.pool, &user, &body).await?))
}

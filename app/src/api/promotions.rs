//! Production promotion requests (ITSM, DESIGN §3): devops and tenant-admins ask to
//! promote an API version from staging to production; tenant-admins of the tenant (or
//! cpi-admins) decide — never the requester (four eyes: refused here and by the database);
//! the requester may cancel while pending. Every transition is a history entry, an event
//! on `stoa.promotion.requests` and an audit entry, in one transaction.

use crate::model::promotions::*;

/// Adds a comment to a request's thread; back to the thread, or to the form with the
/// error and the text kept.
#[leptos::server(endpoint = "comment_promotion_request")]
pub async fn comment_promotion_request(id: String, comment: String) -> Result<(), crate::error::AppError> {
    let user = crate::auth::require(crate::domain::permission::Permission::RequestPromotion)?;
    let pool = crate::state::app_state()?.pool;
    let enc = crate::auth::encode_query_value;
    match crate::service::promotions::comment(&pool, &user, &id, &comment).await {
        Ok(()) => leptos_axum::redirect(&format!("/console/requests/{}?done=comment#timeline", enc(&id))),
        Err(crate::error::AppError::Validation(_)) => leptos_axum::redirect(&format!(
            "/console/requests/{}?error=comment-length&comment={}#comment",
            enc(&id),
            enc(&comment.chars().take(MAX_COMMENT_CHARS + 1).collect::<String>())
        )),
        Err(e) => return Err(e.with_response_status()),
    }
    Ok(())
}

/// The requests of the user's tenant (every tenant for cpi-admins), newest first.
#[leptos::server(endpoint = "promotion_requests")]
pub async fn promotion_requests(
    filter: RequestFilter,
    page: Option<i64>,
) -> Result<RequestsPage, crate::error::AppError> {
    use crate::domain::permission::Permission;
    let user = crate::auth::require(Permission::RequestPromotion)?;
    let pool = crate::state::app_state()?.pool;
    let page = page.unwrap_or(1).clamp(1, 10_000);
    let mut items =
        crate::service::promotions::list(&pool, &user, &filter, PER_PAGE + 1, (page - 1) * PER_PAGE).await?;
    let more = items.len() as i64 > PER_PAGE;
    items.truncate(PER_PAGE as usize);
    let stats = crate::service::promotions::stats(&pool, &user).await?;
    Ok(RequestsPage {
        items,
        stats,
        filter,
        page,
        more,
        may_create: true,
        may_decide: user.may(Permission::DecidePromotions),
        every_tenant: user.may(Permission::ActAcrossTenants),
    })
}

/// One request: every field, the history, and the actions the viewer may take (never a
/// decision on their own request).
#[leptos::server(endpoint = "promotion_request")]
pub async fn promotion_request(id: String) -> Result<RequestPage, crate::error::AppError> {
    use crate::domain::permission::Permission;
    let user = crate::auth::require(Permission::RequestPromotion)?;
    let pool = crate::state::app_state()?.pool;
    let request = crate::service::promotions::get(&pool, &user, &id)
        .await
        .map_err(crate::error::AppError::with_response_status)?;
    let history = crate::service::promotions::history(&pool, &user, &id).await?;
    let pending = request.state == crate::domain::promotion::State::Pending;
    let own = request.requester_id == user.id;
    Ok(RequestPage {
        may_decide: pending && !own && user.may(Permission::DecidePromotions),
        may_cancel: pending && own,
        request,
        history,
    })
}

/// The new-request form: the tenant's API versions deployed in staging (name, version),
/// and a refused form when `refused` names one.
#[leptos::server(endpoint = "promotion_form")]
pub async fn promotion_form(
    refused: Option<String>,
) -> Result<(Vec<(String, String)>, Option<RefusedRequest>), crate::error::AppError> {
    let user = crate::auth::require(crate::domain::permission::Permission::RequestPromotion)?;
    let pool = crate::state::app_state()?.pool;
    let targets = crate::service::promotions::staging_targets(&pool, &user).await?;
    let refused = match refused {
        Some(token) => {
            let session: tower_sessions::Session = leptos_axum::extract()
                .await
                .map_err(|e| crate::error::AppError::internal("session extractor", e))?;
            crate::flash::read::<RefusedRequest>(&session, FORM_KEY, &token)
                .await
                .map_err(|e| crate::error::AppError::internal("session read", e))?
        }
        None => None,
    };
    Ok((targets, refused))
}

pub use form_post::*;

/// The form's server function takes one argument per field (a plain form posts them so):
/// more than clippy's limit, allowed here only.
#[allow(clippy::too_many_arguments)]
mod form_post {
    #[cfg(feature = "ssr")]
    use super::*;

    /// Creates a request from the form (`target` is `name@version`); on to its page, or back
    /// to the form with the errors and what was typed.
    #[leptos::server(endpoint = "create_promotion_request")]
    pub async fn create_promotion_request(
        target: String,
        justification: String,
        impact: String,
        release_notes: Option<String>,
        rollback_plan: Option<String>,
        scheduled_at: Option<String>,
        staging_tests_passed: Option<String>,
        security_scan_passed: Option<String>,
        performance_tests_passed: Option<String>,
        evidence_url: Option<String>,
    ) -> Result<(), crate::error::AppError> {
        let user = crate::auth::require(crate::domain::permission::Permission::RequestPromotion)?;
        let pool = crate::state::app_state()?.pool;
        let (name, version) = target.rsplit_once('@').unwrap_or((target.as_str(), ""));
        let form = RequestForm {
            target_type: "api".into(),
            target_name: name.to_owned(),
            target_version: version.to_owned(),
            justification,
            impact,
            release_notes: release_notes.unwrap_or_default(),
            rollback_plan: rollback_plan.unwrap_or_default(),
            scheduled_at: scheduled_at.unwrap_or_default(),
            staging_tests_passed: staging_tests_passed.is_some(),
            security_scan_passed: security_scan_passed.is_some(),
            performance_tests_passed: performance_tests_passed.is_some(),
            evidence_url: evidence_url.unwrap_or_default(),
        };
        match crate::service::promotions::create(&pool, &user, &form).await {
            Ok(id) => leptos_axum::redirect(&format!("/console/requests/{id}?created=1")),
            Err(crate::error::AppError::Validation(errors)) => {
                let session: tower_sessions::Session = leptos_axum::extract()
                    .await
                    .map_err(|e| crate::error::AppError::internal("session extractor", e))?;
                let token = crate::flash::keep(&session, FORM_KEY, RefusedRequest { form, errors })
                    .await
                    .map_err(|e| crate::error::AppError::internal("session write", e))?;
                leptos_axum::redirect(&format!("/console/requests/new?refused={token}"));
            }
            Err(e) => return Err(e.with_response_status()),
        }
        Ok(())
    }
}

/// Approves, rejects (with `reason`) or cancels a request; back to its page with what
/// happened, or with the error (a reason too short, someone decided first).
#[leptos::server(endpoint = "move_promotion_request")]
pub async fn move_promotion_request(
    id: String,
    action: String,
    reason: Option<String>,
) -> Result<(), crate::error::AppError> {
    use crate::domain::promotion::Action;
    let user = crate::auth::require(crate::domain::permission::Permission::RequestPromotion)?;
    let pool = crate::state::app_state()?.pool;
    let action = Action::parse(&action)
        .filter(|a| matches!(a, Action::Approve | Action::Reject | Action::Cancel))
        .ok_or_else(|| crate::error::AppError::BadRequest.with_response_status())?;
    let enc = crate::auth::encode_query_value;
    match crate::service::promotions::transition_request(&pool, &user, &id, action, reason.as_deref()).await {
        Ok(_) => leptos_axum::redirect(&format!("/console/requests/{}?done={}", enc(&id), action.as_str())),
        Err(crate::error::AppError::Validation(_)) => leptos_axum::redirect(&format!(
            "/console/requests/{}?error=reason-too-short&reason={}#decide",
            enc(&id),
            enc(reason.as_deref().unwrap_or_default())
        )),
        Err(crate::error::AppError::Conflict { .. }) => {
            leptos_axum::redirect(&format!("/console/requests/{}?error=already-decided", enc(&id)))
        }
        Err(e) => return Err(e.with_response_status()),
    }
    Ok(())
}

//! The onboarding wizard's operations: each step stored on the server (the wizard resumes
//! anywhere), each step's prerequisites checked before anything changes, and the first
//! successful gateway call found in metering. Pages, server functions and REST call these.

use crate::auth::CurrentUser;
use crate::db::onboarding as db;
use crate::db::scope::{self, Scope};
use crate::domain::catalog::Kind;
use crate::domain::demo::dataset::DEMO_TENANT;
use crate::domain::onboarding::{conversion, Access, Progress, Step, UseCase};
use crate::domain::subscription::State;
use crate::error::AppError;
use crate::model::applications::IssuedSecret;
use crate::model::onboarding::*;
use chrono::{DateTime, Utc};
use sqlx::PgConnection;
use uuid::Uuid;

/// What the wizard's subscription state means for it.
fn access_of(state: &str) -> Access {
    match State::parse(state) {
        Some(State::Active) => Access::Active,
        Some(State::Pending) => Access::Pending,
        _ => Access::Refused,
    }
}

/// The user's progress read (and the first call looked for in metering, recorded once
/// found): the state every step answers with. Inside the caller's transaction.
async fn read(
    tx: &mut PgConnection,
    user: &CurrentUser,
    row: Option<db::Row>,
) -> Result<OnboardingState, AppError> {
    let Some(row) = row else {
        return Ok(OnboardingState {
            started: false,
            step: Step::UseCase,
            use_case: None,
            application: None,
            subscription: None,
            first_call: None,
            last_call: None,
            first_answer: None,
            times: StepTimes::default(),
            time_to_first_call_seconds: None,
            dismissed: false,
        });
    };
    let application = match row.application_id {
        Some(id) => db::application(&mut *tx, user.id, id)
            .await?
            .map(|(name, client_id, has_key)| WizardApplication { id, name, client_id, has_key }),
        None => None,
    };
    let subscription = match (row.subscription_id, &application) {
        (Some(id), Some(app)) => db::subscription(&mut *tx, user.id, id)
            .await?
            .filter(|s| s.application_id == app.id)
            .map(|s| WizardSubscription {
                id: s.id,
                access: access_of(&s.state),
                kind: s.kind,
                tenant: s.tenant_id,
                slug: s.slug,
                name: s.name,
                plan: s.plan,
                reason: s.reason,
            }),
        _ => None,
    };
    // Calls count from the moment the application was chosen (a key of an application
    // picked again may have been used before the wizard).
    let mut first_call_at = row.first_call_at;
    let (mut first_call, mut last_call) = (None, None);
    if let (Some(app), Some(since)) = (&application, row.application_at) {
        let (first, last) = db::calls_since(&mut *tx, app.id, since).await?;
        if let (None, Some(f)) = (first_call_at, &first) {
            if db::set_first_call(&mut *tx, user.id, f.at).await? {
                first_call_at = Some(f.at);
            }
        }
        first_call = first.map(seen);
        last_call = last.map(seen).filter(|l| first_call.as_ref().is_none_or(|f| f.at != l.at));
    }
    let progress = Progress {
        use_case: row.use_case.as_deref().and_then(UseCase::parse),
        application: application.is_some(),
        access: subscription.as_ref().map(|s| s.access),
        first_call: first_call_at.is_some() && first_call.is_some(),
    };
    let step = progress.current();
    let now = Utc::now();
    if step.as_str() != row.step {
        db::set_step(&mut *tx, user.id, step, now).await?;
    }
    let completed_at = if step == Step::Done { row.completed_at.or(Some(now)) } else { row.completed_at };
    let rfc = |t: Option<DateTime<Utc>>| t.map(crate::db::rfc3339);
    Ok(OnboardingState {
        started: true,
        step,
        use_case: progress.use_case,
        application,
        subscription,
        first_answer: first_call.as_ref().and(row.first_call_answer),
        first_call,
        last_call,
        times: StepTimes {
            started_at: rfc(Some(row.started_at)),
            use_case_at: rfc(row.use_case_at),
            application_at: rfc(row.application_at),
            subscription_at: rfc(row.subscription_at),
            first_call_at: rfc(first_call_at),
            completed_at: rfc(completed_at),
        },
        time_to_first_call_seconds: first_call_at.map(|t| (t - row.started_at).num_seconds()),
        dismissed: row.dismissed_at.is_some(),
    })
}

fn seen(c: db::CallRow) -> SeenCall {
    SeenCall {
        at: crate::db::rfc3339(c.at),
        http_status: c.http_status.map(|s| s.max(0) as u16),
        status: c.status,
        latency_ms: c.latency_ms,
        operation: c.tool_name,
    }
}

/// Where `user` stands (without starting the wizard).
pub async fn state(pool: &sqlx::PgPool, user: &CurrentUser) -> Result<OnboardingState, AppError> {
    let mut tx = scope::begin(pool, Scope::Tenant(&user.tenant_id)).await?;
    let row = db::get(&mut tx, user.id).await?;
    let state = read(&mut tx, user, row).await?;
    tx.commit().await?;
    Ok(state)
}

/// Starts the wizard (nothing when started already), in a new transaction.
async fn begin(
    pool: &sqlx::PgPool,
    user: &CurrentUser,
) -> Result<(sqlx::Transaction<'static, sqlx::Postgres>, db::Row), AppError> {
    let mut tx = scope::begin(pool, Scope::Tenant(&user.tenant_id)).await?;
    let row = db::start(&mut tx, user.id, &user.tenant_id, Utc::now()).await?;
    Ok((tx, row))
}

/// [`begin`], then checks that `step` may be opened: otherwise a conflict naming the
/// step to do first (`needs-application`…).
async fn begin_step(
    pool: &sqlx::PgPool,
    user: &CurrentUser,
    step: Step,
) -> Result<(sqlx::Transaction<'static, sqlx::Postgres>, OnboardingState), AppError> {
    let (mut tx, row) = begin(pool, user).await?;
    let state = read(&mut tx, user, Some(row)).await?;
    if step > state.step {
        return Err(AppError::Conflict { code: format!("needs-{}", state.step.slug()) });
    }
    Ok((tx, state))
}

/// The user's progress read again after a step changed it.
async fn reread(tx: &mut PgConnection, user: &CurrentUser) -> Result<OnboardingState, AppError> {
    let row = db::get(&mut *tx, user.id).await?;
    read(tx, user, row).await
}

/// Starts the wizard; where the user stands.
pub async fn start(pool: &sqlx::PgPool, user: &CurrentUser) -> Result<OnboardingState, AppError> {
    let (mut tx, _) = begin(pool, user).await?;
    db::set_dismissed(&mut tx, user.id, None).await?;
    let state = reread(&mut tx, user).await?;
    tx.commit().await?;
    Ok(state)
}

/// Step 1: the use case (always open).
pub async fn choose_use_case(
    pool: &sqlx::PgPool,
    user: &CurrentUser,
    use_case: UseCase,
) -> Result<OnboardingState, AppError> {
    let (mut tx, _) = begin(pool, user).await?;
    db::set_use_case(&mut tx, user.id, use_case, Utc::now()).await?;
    let state = reread(&mut tx, user).await?;
    tx.commit().await?;
    Ok(state)
}

/// Step 2: an application of the user's, or a new one, with a new API key shown once.
/// Sent again with the application already chosen (the same id, or the same name), it
/// changes nothing and issues no key — unless a new key is asked for (the first was
/// revoked or lost).
pub async fn choose_application(
    pool: &sqlx::PgPool,
    user: &CurrentUser,
    choice: &ChooseApplication,
) -> Result<(OnboardingState, Option<IssuedSecret>), AppError> {
    let (mut tx, state) = begin_step(pool, user, Step::Application).await?;
    let name = choice.name.as_deref().map(str::trim).unwrap_or_default();
    let chosen = state.application.as_ref();
    let same = match choice.application_id {
        Some(id) => chosen.is_some_and(|a| a.id == id),
        None => chosen.is_some_and(|a| !name.is_empty() && a.name == name),
    };
    if same && !choice.new_key {
        tx.commit().await?;
        return Ok((state, None));
    }
    let id = match choice.application_id {
        Some(id) => {
            // Another user's application is not found, whatever its id.
            crate::db::applications::owned(&mut tx, user.id, id).await?.ok_or(AppError::NotFound)?;
            id
        }
        None => {
            // The applications page's own rules.
            let form = crate::model::applications::AppForm {
                name: choice.name.clone().unwrap_or_default(),
                description: choice.description.clone().unwrap_or_default(),
                security_profile: "api_key".into(),
                redirect_uris: String::new(),
            };
            crate::model::applications::check_form(&form).map_err(AppError::Validation)?;
            let app = crate::db::applications::NewApp {
                tenant_id: &user.tenant_id,
                owner_id: user.id,
                name,
                description: form.description.trim(),
                security_profile: "api_key",
                redirect_uris: &[],
            };
            crate::service::applications::save_in(&mut tx, user, None, &app).await?
        }
    };
    let issued = crate::service::applications::issue_in(&mut tx, user, id, None).await?;
    let now = Utc::now();
    db::set_application(&mut tx, user.id, id, now).await?;
    let state = reread(&mut tx, user).await?;
    crate::keycache::commit(tx).await?;
    Ok((state, Some(issued)))
}

/// Step 3: a subscription of the wizard's application (active at once, or waiting for
/// an approver). The same API and plan again changes nothing.
pub async fn choose_subscription(
    pool: &sqlx::PgPool,
    user: &CurrentUser,
    choice: &ChooseSubscription,
) -> Result<OnboardingState, AppError> {
    let (mut tx, state) = begin_step(pool, user, Step::Subscription).await?;
    let Some(app) = state.application.as_ref() else {
        return Err(AppError::Conflict { code: "needs-application".into() });
    };
    let kind = Kind::parse(&choice.kind).ok_or_else(|| AppError::field("kind", "unknown"))?;
    let plan = choice.plan.as_deref().map(str::trim).filter(|p| !p.is_empty());
    if let Some(s) = &state.subscription {
        if s.kind == kind.as_str()
            && s.tenant == choice.tenant
            && s.slug == choice.slug
            && s.plan.as_deref() == plan
            && s.access != Access::Refused
        {
            tx.commit().await?;
            return Ok(state);
        }
    }
    let tools: Vec<String> = if kind == Kind::Mcp {
        crate::db::catalog::tool_names(&mut tx, &choice.tenant, &choice.slug).await?
    } else {
        vec![]
    };
    let request = crate::service::subscriptions::SubscribeRequest {
        kind,
        tenant: Some(&choice.tenant),
        slug: &choice.slug,
        application: app.id,
        plan,
        tools: &tools,
        ttl_days: None,
    };
    let done = crate::service::subscriptions::subscribe_in(&mut tx, user, &request).await?;
    db::set_subscription(&mut tx, user.id, done.id, Utc::now()).await?;
    let state = reread(&mut tx, user).await?;
    crate::keycache::commit(tx).await?;
    Ok(state)
}

/// Leaves the wizard: the navigation stops offering it (it can be started again).
pub async fn dismiss(pool: &sqlx::PgPool, user: &CurrentUser) -> Result<(), AppError> {
    // Left before it was started (the home page's card): a row remembers it.
    let (mut tx, _) = begin(pool, user).await?;
    db::set_dismissed(&mut tx, user.id, Some(Utc::now())).await?;
    tx.commit().await?;
    Ok(())
}

/// Starts over: the progress is forgotten (applications and subscriptions stay).
pub async fn restart(pool: &sqlx::PgPool, user: &CurrentUser) -> Result<(), AppError> {
    let mut tx = scope::begin(pool, Scope::Tenant(&user.tenant_id)).await?;
    db::delete(&mut tx, user.id).await?;
    tx.commit().await?;
    Ok(())
}

/// Records the first successful call of an application whose owner waits for it, and
/// the first bytes of its answer (the gateway calls this, off the request's path).
pub async fn keep_first_answer(
    pool: &sqlx::PgPool,
    application: Uuid,
    answer: &[u8],
) -> Result<(), AppError> {
    let head: String = String::from_utf8_lossy(&answer[..answer.len().min(FIRST_ANSWER_BYTES)]).into_owned();
    let mut tx = scope::begin(pool, Scope::Platform).await?;
    db::keep_first_answer(&mut tx, application, &head, Utc::now()).await?;
    tx.commit().await?;
    Ok(())
}

/// The applications whose owners wait for a first call.
pub async fn awaited(pool: &sqlx::PgPool) -> Result<Vec<Uuid>, AppError> {
    let mut tx = scope::begin(pool, Scope::Platform).await?;
    let ids = db::awaited(&mut tx).await?;
    tx.commit().await?;
    Ok(ids)
}

/// How much of the first answer the wizard shows.
pub const FIRST_ANSWER_BYTES: usize = 512;

/// What a step of `/onboarding` shows: `shown` may be before the current step (going
/// back), never after it — the caller sends the user back to the current one.
pub async fn page(
    pool: &sqlx::PgPool,
    user: &CurrentUser,
    gateway_url: &str,
    shown: Step,
) -> Result<OnboardingPage, AppError> {
    let state = state(pool, user).await?;
    // The first call's step, once the call is made, shows what it was.
    let shown =
        if shown == Step::FirstCall && state.step == Step::Done { Step::Done } else { shown.min(state.step) };
    let applications = if shown == Step::Application {
        crate::service::applications::list(pool, user).await?.into_iter().map(|a| (a.id, a.name)).collect()
    } else {
        vec![]
    };
    let suggestions =
        if shown == Step::Subscription { suggestions(pool, user, state.use_case).await? } else { vec![] };
    let hint = match (&state.subscription, shown >= Step::FirstCall) {
        (Some(s), true) => hint(pool, user, gateway_url, s).await?,
        _ => None,
    };
    Ok(OnboardingPage { state, shown, applications, suggestions, hint, issued_key: None })
}

/// Published APIs (or MCP servers) of the user's tenant and of the demo tenant, with
/// their tenants' plans: the ones without approval first.
async fn suggestions(
    pool: &sqlx::PgPool,
    user: &CurrentUser,
    use_case: Option<UseCase>,
) -> Result<Vec<Suggestion>, AppError> {
    let kind = match use_case {
        Some(UseCase::Rest) => Some(Kind::Api),
        Some(UseCase::Mcp) => Some(Kind::Mcp),
        _ => None,
    };
    let query = crate::model::catalog::CatalogQuery { kind, ..Default::default() };
    let found = crate::service::catalog::search(pool, Some(user), &query).await?;
    let tenants = [user.tenant_id.as_str(), DEMO_TENANT];
    let viewer = crate::domain::catalog::Viewer::of(&user.tenant_id, &user.roles);
    let mut tx = scope::begin(pool, Scope::Tenant(&user.tenant_id)).await?;
    let mut suggestions = Vec::new();
    for e in found.entries.into_iter().filter(|e| tenants.contains(&e.tenant_id.as_str())) {
        let seen = crate::db::plans::Seen::by(&viewer, &e.tenant_id);
        let plans = match crate::db::catalog::id_of(&mut tx, &e.tenant_id, e.kind, &e.slug).await? {
            Some(item) => crate::db::plans::offered(&mut tx, item, seen).await?,
            None => Vec::new(),
        };
        suggestions.push(Suggestion {
            kind: e.kind.as_str().to_owned(),
            plans,
            tenant: e.tenant_id,
            slug: e.slug,
            name: e.name,
            excerpt: e.excerpt,
        });
    }
    tx.commit().await?;
    Ok(suggestions)
}

/// The path and query of a call of `op` (at `template`) that its document says is valid:
/// path parameters and required query parameters filled with their example (else their
/// default, their first allowed value, or `1`).
fn example_target(spec: &serde_json::Value, template: &str, op: &serde_json::Value) -> String {
    use crate::domain::openapi::resolve;
    use serde_json::Value;
    let listed = |v: Option<&Value>| v.and_then(|p| p.get("parameters")).and_then(Value::as_array).cloned();
    let item = spec.get("paths").and_then(|p| p.get(template));
    // The operation's own parameters win over the path item's.
    let params: Vec<Value> = listed(Some(op))
        .into_iter()
        .flatten()
        .chain(listed(item).into_iter().flatten())
        .map(|p| resolve(spec, &p, 8).clone())
        .collect();
    let find = |name: &str, location: &str| params.iter().find(|p| p["name"] == name && p["in"] == location);
    let sample = |p: Option<&Value>| -> String {
        let schema = p.and_then(|p| p.get("schema")).map(|s| resolve(spec, s, 8));
        let picked = p
            .and_then(|p| p.get("example"))
            .or_else(|| schema.and_then(|s| s.get("example")))
            .or_else(|| schema.and_then(|s| s.get("default")))
            .or_else(|| schema.and_then(|s| s.get("enum")).and_then(|e| e.get(0)));
        match picked {
            Some(Value::String(text)) => text.clone(),
            Some(v) if !v.is_null() => v.to_string(),
            _ => "1".to_owned(),
        }
    };
    let path: Vec<String> = template
        .split('/')
        .map(|seg| match seg.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
            Some(name) => crate::auth::encode_query_value(&sample(find(name, "path"))).replace('/', "%2F"),
            None => seg.to_owned(),
        })
        .collect();
    let mut seen = std::collections::HashSet::new();
    let query: Vec<String> = params
        .iter()
        .filter(|p| p["in"] == "query" && p["required"] == true)
        .filter_map(|p| p["name"].as_str().filter(|n| seen.insert(*n)).map(|n| (n, p)))
        .map(|(n, p)| {
            format!(
                "{}={}",
                crate::auth::encode_query_value(n),
                crate::auth::encode_query_value(&sample(Some(p)))
            )
        })
        .collect();
    if query.is_empty() {
        path.join("/")
    } else {
        format!("{}?{}", path.join("/"), query.join("&"))
    }
}

/// The first call to make for the wizard's subscription: an operation without a body
/// (a `GET`, its parameters filled as [`example_target`] does), or an MCP `tools/call`
/// of a tool that needs no arguments (else the first, its required arguments filled from
/// its input schema).
async fn hint(
    pool: &sqlx::PgPool,
    user: &CurrentUser,
    gateway_url: &str,
    s: &WizardSubscription,
) -> Result<Option<CallHint>, AppError> {
    if s.kind == Kind::Mcp.as_str() {
        let detail = crate::service::catalog::mcp_server(pool, Some(user), &s.slug).await?;
        // A tool that needs no arguments, so that `{}` is a valid call.
        let needs_nothing = |t: &&crate::domain::mcp::McpTool| {
            t.input_schema.get("required").and_then(serde_json::Value::as_array).is_none_or(|r| r.is_empty())
        };
        let chosen = detail.tools.iter().find(needs_nothing).or(detail.tools.first());
        let tool = chosen.map(|t| t.name.clone()).unwrap_or_default();
        let arguments = chosen
            .map(|t| crate::domain::mcp::example_arguments(&t.input_schema))
            .unwrap_or_else(|| serde_json::json!({}));
        let body = serde_json::json!({
            "jsonrpc": "2.0", "id": 1, "method": "tools/call",
            "params": { "name": tool, "arguments": arguments },
        });
        return Ok(Some(CallHint {
            method: "POST".into(),
            url: crate::domain::catalog::mcp_url(gateway_url, &s.slug),
            operation: tool,
            body: Some(body.to_string()),
            key_header: "X-API-Key".into(),
        }));
    }
    let (_, spec) =
        crate::service::catalog::item(pool, Some(user), &s.tenant, Kind::Api, &s.slug, None).await?;
    let Some((_, spec)) = spec else { return Ok(None) };
    let gets: Vec<(&str, &serde_json::Value)> = crate::domain::openapi::each_operation(&spec)
        .into_iter()
        .filter(|(m, _, op)| {
            *m == "get" && !op.get("deprecated").and_then(serde_json::Value::as_bool).unwrap_or(false)
        })
        .map(|(_, path, op)| (path, op))
        .collect();
    let Some(&(template, op)) = gets.iter().find(|(p, _)| !p.contains('{')).or_else(|| gets.first()) else {
        return Ok(None);
    };
    let (location, name) = crate::domain::openapi::api_key_slot(&spec);
    Ok(Some(CallHint {
        method: "GET".into(),
        url: format!(
            "{}{}",
            crate::domain::catalog::gateway_url(gateway_url, &s.tenant, &s.slug),
            example_target(&spec, template, op)
        ),
        operation: op
            .get("operationId")
            .and_then(serde_json::Value::as_str)
            .map_or_else(|| format!("GET {template}"), str::to_owned),
        body: None,
        key_header: if location == "header" { name } else { format!("?{name}=") },
    }))
}

/// How users get through the wizard: who started in the last `days` days (the asking
/// tenant-admin's tenant, or any tenant for a platform admin), how many got past each
/// step, the times to first call, and who has been stuck at a step too long.
pub async fn funnel(
    pool: &sqlx::PgPool,
    user: &CurrentUser,
    query: &FunnelQuery,
) -> Result<FunnelReport, AppError> {
    funnel_listing(pool, user, query, STALLED_ROWS).await
}

/// Stalled users a CSV download lists at most.
pub const STALLED_CSV_ROWS: usize = 10_000;

/// [`funnel`], listing up to `stalled_rows` stalled users.
pub async fn funnel_listing(
    pool: &sqlx::PgPool,
    user: &CurrentUser,
    query: &FunnelQuery,
    stalled_rows: usize,
) -> Result<FunnelReport, AppError> {
    use crate::domain::onboarding::funnel as count;
    use crate::domain::permission::Permission;
    if !user.may(Permission::ViewOnboardingFunnel) {
        return Err(AppError::Forbidden);
    }
    let across = user.may(Permission::ActAcrossTenants);
    if query.tenant.as_ref().is_some_and(|t| t.chars().count() > 64) {
        return Err(AppError::field("tenant", "too-long"));
    }
    let tenant = match query.tenant.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        Some(t) if across || t == user.tenant_id => Some(t.to_owned()),
        Some(_) => return Err(AppError::Forbidden),
        None if across => None,
        None => Some(user.tenant_id.clone()),
    };
    let days = query.days.unwrap_or(FUNNEL_DAYS);
    let stalled_hours = query.stalled_hours.unwrap_or(STALLED_HOURS);
    let mut errors = Vec::new();
    if !(1..=365).contains(&days) {
        errors.push(crate::error::FieldError {
            field: "days".into(),
            code: "out-of-range".into(),
            detail: None,
        });
    }
    if !(1..=720).contains(&stalled_hours) {
        errors.push(crate::error::FieldError {
            field: "stalled_hours".into(),
            code: "out-of-range".into(),
            detail: None,
        });
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let to = Utc::now();
    let from = to - chrono::Duration::days(i64::from(days));
    let before = to - chrono::Duration::hours(i64::from(stalled_hours));
    let mut tx = match (&tenant, across) {
        (_, true) => scope::begin(pool, Scope::Platform).await?,
        (Some(t), false) => scope::begin(pool, Scope::Tenant(t)).await?,
        (None, false) => return Err(AppError::Forbidden),
    };
    let reached = db::reached(&mut tx, tenant.as_deref(), from, to).await?;
    let (stalled, stalled_total) =
        db::stalled(&mut tx, tenant.as_deref(), from, to, before, stalled_rows as i64).await?;
    tx.commit().await?;

    let all: Vec<_> = reached.iter().map(|(_, r)| *r).collect();
    let funnel = count(&all);
    let mut previous = None;
    let stages = funnel
        .stages()
        .into_iter()
        .map(|(stage, users)| {
            let s = FunnelStage {
                stage,
                users,
                of_started_percent: conversion(users, funnel.started),
                of_previous_percent: previous.and_then(|p| conversion(users, p)),
            };
            previous = Some(users);
            s
        })
        .collect();
    let by_tenant = if tenant.is_none() {
        let mut groups: std::collections::BTreeMap<&str, Vec<_>> = Default::default();
        for (t, r) in &reached {
            groups.entry(t.as_str()).or_default().push(*r);
        }
        groups.into_iter().map(|(t, rs)| TenantFunnel { tenant: t.to_owned(), funnel: count(&rs) }).collect()
    } else {
        vec![]
    };
    let tenants = if across {
        let mut tx = crate::db::scope::begin(pool, crate::db::scope::Scope::Platform).await?;
        let all = crate::db::tenants::list(&mut *tx).await?;
        tx.commit().await?;
        all.into_iter().map(|t| crate::model::onboarding::TenantChoice { id: t.id, name: t.name }).collect()
    } else {
        vec![]
    };
    Ok(FunnelReport {
        tenants,
        from: crate::db::rfc3339(from),
        to: crate::db::rfc3339(to),
        days,
        stalled_hours,
        tenant,
        funnel,
        stages,
        by_tenant,
        stalled: stalled
            .into_iter()
            .map(|r| StalledUser {
                username: r.username,
                display_name: r.display_name,
                tenant: r.tenant_id,
                step: Step::parse(&r.step).unwrap_or(Step::UseCase),
                since: crate::db::rfc3339(r.step_since),
                hours: (to - r.step_since).num_hours(),
            })
            .collect(),
        stalled_total,
    })
}

/// Which rows a funnel CSV holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FunnelRows {
    /// One line per tenant and stage.
    Stages,
    /// One line per stalled user.
    Stalled,
}

impl FunnelRows {
    pub fn parse(rows: Option<&str>) -> Result<FunnelRows, AppError> {
        match rows.unwrap_or("stages") {
            "stages" => Ok(FunnelRows::Stages),
            "stalled" => Ok(FunnelRows::Stalled),
            _ => Err(AppError::field("rows", "unknown")),
        }
    }
}

/// The funnel as CSV: each tenant's stages (every tenant's summed first, as tenant `*`,
/// when there are several), or the stalled users.
pub fn funnel_csv(report: &FunnelReport, rows: FunnelRows) -> String {
    use crate::domain::csv::{push_line, text};
    let mut out = String::new();
    let pct = |p: Option<f64>| p.map(|p| format!("{p:.1}")).unwrap_or_default();
    match rows {
        FunnelRows::Stages => {
            push_line(&mut out, &["tenant", "stage", "users", "of_started_percent", "of_previous_percent"]);
            let all = report.tenant.clone().unwrap_or_else(|| "*".to_owned());
            let mut funnels = vec![(all, report.funnel.clone())];
            funnels.extend(report.by_tenant.iter().map(|t| (t.tenant.clone(), t.funnel.clone())));
            for (tenant, f) in funnels {
                let mut previous = None;
                for (stage, users) in f.stages() {
                    push_line(
                        &mut out,
                        &[
                            text(&tenant),
                            stage.as_str().to_owned(),
                            users.to_string(),
                            pct(conversion(users, f.started)),
                            pct(previous.and_then(|p| conversion(users, p))),
                        ],
                    );
                    previous = Some(users);
                }
            }
        }
        FunnelRows::Stalled => {
            push_line(&mut out, &["username", "display_name", "tenant", "step", "since", "hours"]);
            for s in &report.stalled {
                push_line(
                    &mut out,
                    &[
                        text(&s.username),
                        text(&s.display_name),
                        text(&s.tenant),
                        s.step.as_str().to_owned(),
                        s.since.clone(),
                        s.hours.to_string(),
                    ],
                );
            }
        }
    }
    out
}

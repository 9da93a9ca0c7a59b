//! Production promotion requests over REST, against the seeded demo tenant: validation,
//! four eyes (the server refuses a requester's own decision; the database refuses it too,
//! see `app::db::promotions`), one winner among fifty concurrent decisions, cancel.

use crate::util::{demo_cookie, json_call, TestApp};
use serde_json::{json, Value};
use sqlx::PgPool;

fn request(version: &str, justification: &str) -> Value {
    json!({
        "target_name": "weather-forecast", "target_version": version, "justification": justification,
        "impact": "medium", "release_notes": "Adds severe-weather alerts.", "rollback_plan": "Redeploy 1.0.0.",
        "staging_tests_passed": true, "security_scan_passed": true, "evidence_url": "https://ci.example/run/42",
    })
}

const WHY: &str = "Customers need the alerts endpoint in production.";

async fn create(app: &TestApp, cookie: &str) -> String {
    let (status, out) =
        json_call(app, "POST", "/v1/requests/prod", Some(cookie), request("1.2.0", WHY)).await;
    assert_eq!(status, 201, "{out}");
    out["id"].as_str().expect("id").to_owned()
}

async fn events_of(pool: &PgPool, id: &str) -> Vec<String> {
    sqlx::query_scalar(
        "SELECT replace(envelope->>'type', 'dev.gostoa.promotion.', '') FROM outbox
         WHERE envelope->'data'->>'request' = $1 ORDER BY created_at, id",
    )
    .bind(id)
    .fetch_all(pool)
    .await
    .expect("events")
}

#[sqlx::test(migrations = "../migrations")]
async fn a_request_is_validated_numbered_and_only_for_versions_in_staging_not_yet_in_prod(pool: PgPool) {
    app::service::demo::seed::run(&pool).await.expect("seed");
    let app = TestApp::new(pool.clone());
    let dave = demo_cookie(&app, "dave").await;
    let (status, out) =
        json_call(&app, "POST", "/v1/requests/prod", Some(&dave), request("1.2.0", "Because I can.")).await;
    assert_eq!(status, 422, "{out}");
    assert_eq!(out["fields"][0]["field"], "justification", "{out}");
    assert_eq!(out["fields"][0]["code"], "justification-too-short");
    // 1.0.0 runs in prod only: there is nothing in staging to promote.
    let (status, out) =
        json_call(&app, "POST", "/v1/requests/prod", Some(&dave), request("1.0.0", WHY)).await;
    assert_eq!((status, out["fields"][0]["code"].as_str()), (422, Some("not-in-staging")), "{out}");
    // 1.1.0 runs in staging and already in prod: nothing to promote either, and the form
    // offers only the candidate.
    let (status, out) =
        json_call(&app, "POST", "/v1/requests/prod", Some(&dave), request("1.1.0", WHY)).await;
    assert_eq!((status, out["fields"][0]["code"].as_str()), (422, Some("already-in-prod")), "{out}");
    let form = app.get("/console/requests/new", &[("cookie", dave.as_str())]).await.body;
    assert!(form.contains(">weather-forecast 1.2.0<"), "the candidate is offered");
    assert!(!form.contains(">weather-forecast 1.1.0<"), "a version in production is not");
    let count: i64 =
        sqlx::query_scalar("SELECT count(*) FROM promotion_requests").fetch_one(&pool).await.expect("n");
    assert_eq!(count, 0, "nothing half-written");
    let first = create(&app, &dave).await;
    let second = create(&app, &dave).await;
    let year = chrono::Utc::now().format("%Y").to_string();
    assert_eq!(
        (first.as_str(), second.as_str()),
        (format!("PR-{year}-0001").as_str(), format!("PR-{year}-0002").as_str())
    );
    let (status, detail) =
        json_call(&app, "GET", &format!("/v1/requests/prod/{first}"), Some(&dave), Value::Null).await;
    assert_eq!(status, 200);
    assert_eq!((detail["state"].as_str(), detail["impact"].as_str()), (Some("pending"), Some("medium")));
    assert_eq!(detail["history"][0]["action"], "create");
    assert_eq!(events_of(&pool, &first).await, ["request-created"]);
    // Viewers neither see nor create requests; another tenant does not see demo's.
    let alice = demo_cookie(&app, "alice").await;
    assert_eq!(json_call(&app, "GET", "/v1/requests/prod", Some(&alice), Value::Null).await.0, 403);
    let gina =
        crate::util::user_in(&app, &pool, "globex", "gina", &[app::domain::role::Role::TenantAdmin]).await;
    let (status, _) =
        json_call(&app, "GET", &format!("/v1/requests/prod/{first}"), Some(&gina), Value::Null).await;
    assert_eq!(status, 404);
    let (_, list) = json_call(&app, "GET", "/v1/requests/prod", Some(&gina), Value::Null).await;
    assert_eq!(list["items"], json!([]));
    assert_eq!(
        json_call(&app, "POST", &format!("/v1/requests/prod/{first}/approve"), Some(&gina), json!({}))
            .await
            .0,
        404
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn the_requester_never_decides_their_own_request(pool: PgPool) {
    app::service::demo::seed::run(&pool).await.expect("seed");
    let app = TestApp::new(pool.clone());
    let tara = demo_cookie(&app, "tara").await;
    let own = create(&app, &tara).await;
    for path in ["approve", "reject"] {
        let (status, out) = json_call(
            &app,
            "POST",
            &format!("/v1/requests/prod/{own}/{path}"),
            Some(&tara),
            json!({ "reason": "Looks fine to me, really" }),
        )
        .await;
        assert_eq!(status, 403, "{path}: {out}");
        // Said as it is (issue 31, item 9): four eyes, not a missing right.
        assert_eq!(out["reason"], "own-request", "{out}");
        assert!(out["message"].as_str().is_some_and(|m| m.contains("their own request")), "{out}");
    }
    let state: String = sqlx::query_scalar("SELECT state FROM promotion_requests WHERE id = $1")
        .bind(&own)
        .fetch_one(&pool)
        .await
        .expect("state");
    assert_eq!(state, "pending");
    // Rejection needs a reason; another approver decides; nobody else cancels.
    let carl = demo_cookie(&app, "carl").await;
    let (status, out) = json_call(
        &app,
        "POST",
        &format!("/v1/requests/prod/{own}/reject"),
        Some(&carl),
        json!({ "reason": "no" }),
    )
    .await;
    assert_eq!((status, out["fields"][0]["field"].as_str()), (422, Some("reason")), "{out}");
    let dave = demo_cookie(&app, "dave").await;
    assert_eq!(
        json_call(&app, "POST", &format!("/v1/requests/prod/{own}/cancel"), Some(&dave), json!({})).await.0,
        403
    );
    let (status, out) =
        json_call(&app, "POST", &format!("/v1/requests/prod/{own}/approve"), Some(&carl), json!({})).await;
    assert_eq!((status, out["state"].as_str()), (200, Some("approved")), "{out}");
    // Decided: the requester can no longer cancel, and sees who decided.
    let (status, out) =
        json_call(&app, "POST", &format!("/v1/requests/prod/{own}/cancel"), Some(&tara), json!({})).await;
    assert_eq!((status, out["state"].as_str()), (409, Some("approved")), "{out}");
    assert!(out["decided_by"].as_str().is_some_and(|d| !d.is_empty()), "{out}");
    // A pending request of one's own can be cancelled.
    let mine = create(&app, &dave).await;
    let (status, out) =
        json_call(&app, "POST", &format!("/v1/requests/prod/{mine}/cancel"), Some(&dave), json!({})).await;
    assert_eq!((status, out["state"].as_str()), (200, Some("cancelled")), "{out}");
    assert_eq!(events_of(&pool, &mine).await, ["request-created", "request-cancelled"]);
}

#[sqlx::test(migrations = "../migrations")]
async fn fifty_concurrent_decisions_on_one_request_make_one_transition(pool: PgPool) {
    app::service::demo::seed::run(&pool).await.expect("seed");
    let app = TestApp::new(pool.clone());
    let dave = demo_cookie(&app, "dave").await;
    let id = create(&app, &dave).await;
    let tara = demo_cookie(&app, "tara").await;
    let carl = demo_cookie(&app, "carl").await;
    let calls = (0..50).map(|i| {
        let (app, id) = (&app, id.clone());
        let cookie = if i % 2 == 0 { tara.clone() } else { carl.clone() };
        async move {
            let (path, body) = if i % 3 == 0 {
                ("reject", json!({ "reason": "Load tests are still red" }))
            } else {
                ("approve", json!({}))
            };
            json_call(app, "POST", &format!("/v1/requests/prod/{id}/{path}"), Some(&cookie), body).await
        }
    });
    let answers = futures::future::join_all(calls).await;
    let won: Vec<&Value> = answers.iter().filter(|(s, _)| *s == 200).map(|(_, b)| b).collect();
    let lost: Vec<&Value> = answers.iter().filter(|(s, _)| *s == 409).map(|(_, b)| b).collect();
    assert_eq!((won.len(), lost.len()), (1, 49), "{answers:?}");
    // The losers see who decided and how.
    let winner = won[0]["state"].as_str().expect("state");
    assert!(lost.iter().all(|l| l["state"] == winner && l["decided_by"] == won[0]["decided_by"]));
    let events = events_of(&pool, &id).await;
    assert_eq!(events.len(), 2, "{events:?}");
    let history: i64 = sqlx::query_scalar("SELECT count(*) FROM promotion_history WHERE request_id = $1")
        .bind(&id)
        .fetch_one(&pool)
        .await
        .expect("history");
    let commits: i64 = sqlx::query_scalar("SELECT count(*) FROM gitops_outbox WHERE request_id = $1")
        .bind(&id)
        .fetch_one(&pool)
        .await
        .expect("gitops");
    assert_eq!((history, commits), (2, 2), "created + one decision, each with one GitOps record");
    let dir = std::env::temp_dir().join(format!("stoa-gitops-{}", uuid::Uuid::new_v4()));
    let gitops = server::gitops::GitOps { dir: dir.clone(), remote: None };
    assert_eq!(gitops.drain_once(&pool).await.expect("pass"), 2);
    assert_eq!(git_log(&dir).await.len(), 2, "one commit for the creation, one for the decision");
    std::fs::remove_dir_all(&dir).ok();
}

async fn git_log(dir: &std::path::Path) -> Vec<String> {
    let out = std::process::Command::new("git")
        .current_dir(dir)
        .args(["log", "--reverse", "--format=%an|%s"])
        .output()
        .expect("git log");
    String::from_utf8_lossy(&out.stdout).lines().map(str::to_owned).collect()
}

#[sqlx::test(migrations = "../migrations")]
async fn every_transition_is_one_gitops_commit_and_a_failed_commit_is_retried(pool: PgPool) {
    app::service::demo::seed::run(&pool).await.expect("seed");
    let app = TestApp::new(pool.clone());
    let dave = demo_cookie(&app, "dave").await;
    let id = create(&app, &dave).await;
    let dir = std::env::temp_dir().join(format!("stoa-gitops-{}", uuid::Uuid::new_v4()));
    let gitops = server::gitops::GitOps { dir: dir.clone(), remote: None };
    assert_eq!(gitops.drain_once(&pool).await.expect("pass"), 1);

    // git refuses to work (a stale index lock): the decision stands, its record waits.
    std::fs::write(dir.join(".git/index.lock"), "").expect("lock");
    let carl = demo_cookie(&app, "carl").await;
    let (status, _) =
        json_call(&app, "POST", &format!("/v1/requests/prod/{id}/approve"), Some(&carl), json!({})).await;
    assert_eq!(status, 200);
    assert_eq!(gitops.drain_once(&pool).await.expect("pass"), 0);
    let (attempts, error): (i32, Option<String>) =
        sqlx::query_as("SELECT attempts, last_error FROM gitops_outbox")
            .fetch_one(&pool)
            .await
            .expect("queued");
    assert_eq!(attempts, 1);
    assert!(error.unwrap_or_default().contains("index.lock"));
    std::fs::remove_file(dir.join(".git/index.lock")).expect("unlock");
    assert_eq!(gitops.drain_once(&pool).await.expect("pass"), 1);

    let log = git_log(&dir).await;
    assert_eq!(log.len(), 2, "{log:?}");
    assert!(log[0].starts_with("dave|") && log[0].ends_with(": create"), "{log:?}");
    assert_eq!(log[1], format!("carl|{id}: approve (pending → approved)"));
    let year_month = chrono::Utc::now().format("%Y/%m").to_string();
    let yaml =
        std::fs::read_to_string(dir.join(format!("requests/prod/{year_month}/{id}.yaml"))).expect("record");
    let doc: serde_norway::Value = serde_norway::from_str(&yaml).expect("yaml");
    let state: String = sqlx::query_scalar("SELECT state FROM promotion_requests WHERE id = $1")
        .bind(&id)
        .fetch_one(&pool)
        .await
        .expect("state");
    assert_eq!(doc["status"]["state"].as_str(), Some(state.as_str()));
    assert_eq!(doc["kind"].as_str(), Some("PromotionRequest"));
    assert_eq!(doc["spec"]["target"]["version"].as_str(), Some("1.2.0"));
    std::fs::remove_dir_all(&dir).ok();
}

#[sqlx::test(migrations = "../migrations")]
async fn the_built_in_deployer_promotes_approved_requests_when_their_time_has_come(pool: PgPool) {
    app::service::demo::seed::run(&pool).await.expect("seed");
    // The demo candidate, 1.2.0, runs in staging only.
    let app = TestApp::new(pool.clone());
    let dave = demo_cookie(&app, "dave").await;
    let now_id = create(&app, &dave).await;
    let mut later = request("1.2.0", WHY);
    later["scheduled_at"] = json!("2999-01-01T09:00:00Z");
    let (_, later) = json_call(&app, "POST", "/v1/requests/prod", Some(&dave), later).await;
    let later_id = later["id"].as_str().expect("id").to_owned();
    let tara = demo_cookie(&app, "tara").await;
    for id in [&now_id, &later_id] {
        assert_eq!(
            json_call(&app, "POST", &format!("/v1/requests/prod/{id}/approve"), Some(&tara), json!({}))
                .await
                .0,
            200
        );
    }
    assert_eq!(server::deployer::run_once(&pool, None).await.expect("pass"), 1, "the scheduled one waits");
    let (_, detail) =
        json_call(&app, "GET", &format!("/v1/requests/prod/{now_id}"), Some(&dave), Value::Null).await;
    assert_eq!(detail["state"], "deployed", "{detail}");
    let actions: Vec<&str> =
        detail["history"].as_array().expect("history").iter().filter_map(|h| h["action"].as_str()).collect();
    assert_eq!(actions, ["create", "approve", "start", "succeed"]);
    assert_eq!(
        events_of(&pool, &now_id).await,
        ["request-created", "request-approved", "deployment-started", "deployment-succeeded"]
    );
    let (_, api) = json_call(&app, "GET", "/v1/catalog/apis/demo/weather-forecast", None, Value::Null).await;
    let v120 = api["versions"]
        .as_array()
        .expect("versions")
        .iter()
        .find(|v| v["version"] == "1.2.0")
        .expect("1.2.0")
        .clone();
    assert!(
        v120["deployments"].as_array().expect("deployments").iter().any(|d| d["environment"] == "prod"),
        "{v120}"
    );
    let (_, later) =
        json_call(&app, "GET", &format!("/v1/requests/prod/{later_id}"), Some(&dave), Value::Null).await;
    assert_eq!(later["state"], "approved");
    // A report that no longer applies changes nothing.
    let again = app::service::promotions::system_transition(
        &pool,
        &now_id,
        app::domain::promotion::Action::Fail,
        "awx",
        None,
        Some("late"),
    )
    .await
    .expect("ignored");
    assert_eq!(again, None);
}

async fn notified(pool: &PgPool, user: &str) -> Vec<String> {
    sqlx::query_scalar(
        "SELECT n.kind FROM notifications n JOIN users u ON u.id = n.user_id WHERE u.username = $1 ORDER BY n.created_at, n.id",
    )
    .bind(user)
    .fetch_all(pool)
    .await
    .expect("notifications")
}

async fn deliver(pool: &PgPool) {
    use server::events::relay::{Relay, Sink};
    let mut relay =
        Relay::new(pool.clone(), Sink::InProcess(server::events::Dispatcher::standard(pool.clone())));
    while relay.drain_once().await.expect("drain") > 0 {}
}

#[sqlx::test(migrations = "../migrations")]
async fn approvers_requesters_and_commenters_are_notified(pool: PgPool) {
    app::service::demo::seed::run(&pool).await.expect("seed");
    let app = TestApp::new(pool.clone());
    let dave = demo_cookie(&app, "dave").await;
    let id = create(&app, &dave).await;
    deliver(&pool).await;
    assert_eq!(notified(&pool, "tara").await, ["request-pending"], "the tenant's approvers hear of it");
    assert!(notified(&pool, "dave").await.is_empty(), "not the requester");
    // A comment with nothing in it is refused, naming the field.
    let tara = demo_cookie(&app, "tara").await;
    let (status, out) = json_call(
        &app,
        "POST",
        &format!("/v1/requests/prod/{id}/comments"),
        Some(&tara),
        json!({ "comment": "  " }),
    )
    .await;
    assert_eq!((status, out["fields"][0]["field"].as_str()), (422, Some("comment")), "{out}");
    let (status, out) = json_call(
        &app,
        "POST",
        &format!("/v1/requests/prod/{id}/comments"),
        Some(&tara),
        json!({ "comment": "Which rollback window do you plan?" }),
    )
    .await;
    assert_eq!(status, 201, "{out}");
    let (status, _) = json_call(
        &app,
        "POST",
        &format!("/v1/requests/prod/{id}/comments"),
        Some(&dave),
        json!({ "comment": "Fifteen minutes, Tuesday morning." }),
    )
    .await;
    assert_eq!(status, 201);
    assert_eq!(
        json_call(&app, "POST", &format!("/v1/requests/prod/{id}/approve"), Some(&tara), json!({})).await.0,
        200
    );
    server::deployer::run_once(&pool, None).await.expect("deploy");
    deliver(&pool).await;
    assert_eq!(
        notified(&pool, "dave").await,
        ["request-commented", "request-approved", "request-deployed"],
        "the requester hears of the reply, the decision and the result, not of their own comment"
    );
    assert_eq!(notified(&pool, "tara").await, ["request-pending", "request-commented"]);
    let page = app.get(&format!("/console/requests/{id}"), &[("cookie", &dave)]).await;
    assert!(page.body.contains("Which rollback window do you plan?"), "the thread is on the page");
    let notes = app.get("/notifications", &[("cookie", &dave)]).await;
    assert!(notes.body.contains("Your promotion was deployed to production") && notes.body.contains(&id));
}

#[sqlx::test(migrations = "../migrations")]
async fn the_list_filters_searches_sorts_and_counts(pool: PgPool) {
    app::service::demo::seed::run(&pool).await.expect("seed");
    let app = TestApp::new(pool.clone());
    let dave = demo_cookie(&app, "dave").await;
    let tara = demo_cookie(&app, "tara").await;
    let first = create(&app, &dave).await;
    let second = create(&app, &tara).await;
    let third = create(&app, &dave).await;
    let carl = demo_cookie(&app, "carl").await;
    assert_eq!(
        json_call(&app, "POST", &format!("/v1/requests/prod/{first}/approve"), Some(&tara), json!({}))
            .await
            .0,
        200
    );
    let reason = json!({ "reason": "Not during the freeze" });
    assert_eq!(
        json_call(&app, "POST", &format!("/v1/requests/prod/{second}/reject"), Some(&carl), reason).await.0,
        200
    );
    let ids = |out: &Value| -> Vec<String> {
        out["items"]
            .as_array()
            .expect("items")
            .iter()
            .map(|r| r["id"].as_str().unwrap_or_default().to_owned())
            .collect()
    };
    let list = |query: &'static str| {
        let (app, dave) = (&app, dave.clone());
        async move {
            json_call(app, "GET", &format!("/v1/requests/prod?{query}"), Some(&dave), Value::Null).await.1
        }
    };
    assert_eq!(ids(&list("").await), [third.clone(), second.clone(), first.clone()], "newest first");
    assert_eq!(ids(&list("sort=oldest").await), [first.clone(), second.clone(), third.clone()]);
    assert_eq!(ids(&list("state=pending").await), std::slice::from_ref(&third));
    assert_eq!(ids(&list("mine=true").await), [third.clone(), first.clone()]);
    assert_eq!(ids(&list("requester=tara").await), std::slice::from_ref(&second));
    assert_eq!(ids(&list("environment=prod").await).len(), 3);
    assert!(ids(&list("environment=dev").await).len() == 3, "an unknown environment filters nothing out");
    assert_eq!(ids(&list("q=0002").await), std::slice::from_ref(&second), "by id");
    assert_eq!(ids(&list("q=WEATHER").await).len(), 3, "by API name, any case");
    assert!(ids(&list("q=%25").await).is_empty(), "wildcards are literal");
    let (status, stats) = json_call(&app, "GET", "/v1/requests/prod/stats", Some(&dave), Value::Null).await;
    assert_eq!(status, 200);
    assert_eq!(
        stats,
        json!({ "pending": 1, "approved_today": 1, "rejected_today": 1, "deployed_this_week": 0 })
    );
    // The page shows the same, with JavaScript off.
    let page = app.get("/console/requests?state=pending", &[("cookie", &dave)]).await;
    assert!(
        page.body.contains(&format!("data-request=\"{third}\""))
            && !page.body.contains(&format!("data-request=\"{first}\""))
    );
    assert!(page.body.contains("data-stat=\"pending\""));
}

/// Two replicas' GitOps workers on one database and one remote: the remote gets every
/// transition once, in order, and a push that cannot happen loses nothing.
#[sqlx::test(migrations = "../migrations")]
async fn two_replicas_keep_one_gitops_record_with_every_transition_once(pool: PgPool) {
    app::service::demo::seed::run(&pool).await.expect("seed");
    let app = TestApp::new(pool.clone());
    let (dave, carl) = (demo_cookie(&app, "dave").await, demo_cookie(&app, "carl").await);
    let root = std::env::temp_dir().join(format!("stoa-gitops-{}", uuid::Uuid::new_v4()));
    let remote = root.join("record.git");
    let replica = |name: &str| server::gitops::GitOps {
        dir: root.join(name),
        remote: Some(remote.to_string_lossy().into_owned()),
    };
    let (a, b) = (replica("a"), replica("b"));
    let queued = |pool: PgPool| async move {
        sqlx::query_scalar::<_, i64>("SELECT count(*) FROM gitops_outbox")
            .fetch_one(&pool)
            .await
            .expect("queued")
    };

    // The remote is not there yet: the pass fails and the record waits in the queue.
    let first = create(&app, &dave).await;
    assert!(a.drain_once(&pool).await.is_err(), "no remote to push to");
    assert_eq!(queued(pool.clone()).await, 1, "the creation's record is still queued");
    std::fs::create_dir_all(&root).expect("root");
    let init = std::process::Command::new("git")
        .args(["init", "--quiet", "--bare", "--initial-branch=main"])
        .arg(&remote)
        .status()
        .expect("git init");
    assert!(init.success());

    // Both replicas drain every 10 ms while requests are made and decided.
    let stop = tokio_util::sync::CancellationToken::new();
    let workers: Vec<_> = [a, b]
        .into_iter()
        .map(|g| {
            tokio::spawn(server::every(std::time::Duration::from_millis(10), stop.clone(), {
                let pool = pool.clone();
                move || {
                    let (g, pool) = (g.clone(), pool.clone());
                    async move {
                        let _ = g.drain_once(&pool).await;
                    }
                }
            }))
        })
        .collect();
    let mut ids = vec![first];
    for i in 0..8 {
        let id = ids.last().expect("id").clone();
        let reason = json!({ "reason": format!("Not this week ({i}).") });
        let (status, out) =
            json_call(&app, "POST", &format!("/v1/requests/prod/{id}/reject"), Some(&carl), reason).await;
        assert_eq!(status, 200, "{out}");
        ids.push(create(&app, &dave).await);
    }
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(30);
    while queued(pool.clone()).await > 0 {
        assert!(tokio::time::Instant::now() < deadline, "the queue did not drain");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    stop.cancel();
    for w in workers {
        w.await.expect("worker");
    }

    let out = std::process::Command::new("git")
        .arg("--git-dir")
        .arg(&remote)
        .args(["log", "--reverse", "--format=%an|%s", "main"])
        .output()
        .expect("git log");
    let log: Vec<String> = String::from_utf8_lossy(&out.stdout).lines().map(str::to_owned).collect();
    let mut expected = Vec::new();
    for (i, id) in ids.iter().enumerate() {
        expected.push(format!("dave|{id}: create"));
        if i + 1 < ids.len() {
            expected.push(format!("carl|{id}: reject (pending → rejected)"));
        }
    }
    assert_eq!(log, expected, "every transition once, in the order it happened");
    std::fs::remove_dir_all(&root).ok();
}

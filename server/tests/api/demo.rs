//! STOA's demo backends: the demo weather API answers offline — directly under
//! `/demo-backends`, through the gateway with a subscribed key, and from try-it — with
//! nothing listening anywhere else, and not at all with `DEMO=off`.

use crate::gateway::{call, client};
use crate::helpers::{demo_cookie, TestApp};
use serde_json::Value;
use sqlx::PgPool;

#[sqlx::test(migrations = "../migrations")]
async fn the_demo_weather_api_answers_offline_directly_through_the_gateway_and_from_try_it(pool: PgPool) {
    app::db::seed::run(&pool).await.expect("seed");
    let app = TestApp::new(pool.clone());
    // Directly: a forecast for the place asked, a clear 400 for a missing parameter.
    let res =
        app.get("/demo-backends/weather/v1/forecast?place=paris&from=2026-06-01&to=2026-06-03", &[]).await;
    assert_eq!(res.status, 200, "{}", res.body);
    let body: Value = serde_json::from_str(&res.body).expect("json");
    assert_eq!(
        (body["place"]["name"].as_str(), body["days"].as_array().map(Vec::len)),
        (Some("Paris"), Some(3))
    );
    let res = app.get("/demo-backends/weather/v1/forecast", &[]).await;
    assert_eq!(res.status, 400);
    assert!(res.body.contains("place is required"), "{}", res.body);
    assert_eq!(app.get("/demo-backends/nothing/here", &[]).await.status, 404);

    // The demo API's document names the backend, and the API page shows its operations.
    let page = app.get("/apis/demo/weather-forecast", &[]).await;
    assert!(page.body.contains("Daily forecast for a place and a date range"), "{}", page.body);

    // Through the gateway with a subscribed key: the same answer, metered.
    let alice = demo_cookie(&app, "alice").await;
    let (_, key, _) = client(&app, &alice, "Weather watcher", "weather-forecast", Some("free")).await;
    let res = call(&app, "GET", "/gw/demo/weather-forecast/forecast?place=lyon", Some(&key)).await;
    assert_eq!(res.status, 200, "{}", res.body);
    assert!(res.body.contains("\"Lyon\""), "{}", res.body);
    let res = call(&app, "GET", "/gw/demo/weather-forecast/places?q=", Some(&key)).await;
    assert_eq!(res.status, 400, "{}", res.body);
    assert_eq!(call(&app, "GET", "/gw/demo/weather-forecast/forecast?place=lyon", None).await.status, 401);

    // Try-it without an application: answered in process (no private address reached).
    let form = "tenant=demo&api=weather-forecast&version=1.1.0&environment=prod&method=get&path=%2Fplaces%2F%7Bid%7D&op=op-get--places--id-&p.path.id=tokyo";
    let res = app.post_form("/try-it", form, &[("cookie", alice.as_str())]).await;
    let location = res.header("location").expect("to the page").to_owned();
    let page = app.get(&location, &[("cookie", alice.as_str())]).await.body;
    assert!(page.contains("HTTP 200") && page.contains("Asia/Tokyo"), "{page}");
}

#[sqlx::test(migrations = "../migrations")]
async fn with_demo_off_the_backends_do_not_answer(pool: PgPool) {
    app::db::seed::run(&pool).await.expect("seed");
    let app = TestApp::with_env(pool.clone(), &[("DEMO", "off")]);
    assert_eq!(app.get("/demo-backends/weather/v1/places?q=par", &[]).await.status, 404);
    let alice = demo_cookie(&app, "alice").await;
    let (_, key, _) = client(&app, &alice, "Weather watcher", "weather-forecast", Some("free")).await;
    let res = call(&app, "GET", "/gw/demo/weather-forecast/places?q=par", Some(&key)).await;
    assert_eq!(res.status, 502, "{}", res.body);
    assert!(res.body.contains("DEMO=off"), "{}", res.body);
}

/// The onboarding wizard on the demo's own weather API: the command it shows fills the
/// operation's required parameters from the document's examples, and that exact call
/// succeeds through the gateway and ends the wizard — with no upstream anywhere.
#[sqlx::test(migrations = "../migrations")]
async fn the_wizard_ends_with_a_real_call_of_the_demo_weather_api(pool: PgPool) {
    use crate::helpers::json_call;
    use serde_json::json;
    app::db::seed::run(&pool).await.expect("seed");
    let app = TestApp::new(pool.clone());
    let alice = demo_cookie(&app, "alice").await;
    json_call(&app, "POST", "/v1/me/onboarding/use-case", Some(&alice), json!({ "use_case": "rest" })).await;
    let (_, chosen) = json_call(
        &app,
        "POST",
        "/v1/me/onboarding/application",
        Some(&alice),
        json!({ "name": "Forecasts" }),
    )
    .await;
    let key = chosen["issued"]["secret"].as_str().expect("key").to_owned();
    let choice = json!({ "kind": "api", "tenant": "demo", "slug": "weather-forecast", "plan": "free" });
    let (status, state) =
        json_call(&app, "POST", "/v1/me/onboarding/subscription", Some(&alice), choice).await;
    assert_eq!((status, state["step"].as_str()), (200, Some("first_call")), "{state}");
    let page = app.get("/onboarding/first-call", &[("cookie", alice.as_str())]).await.body;
    let curl =
        page.split("<code data-command=\"\">").nth(1).expect("curl").split("</code>").next().expect("code");
    let path = curl.split("http://127.0.0.1:3000").nth(1).expect("path").split('\'').next().expect("path");
    // The first operation without path parameters (the stored document's paths are in
    // key order), its required `region` filled with the document's example.
    assert_eq!(path, "/gw/demo/weather-forecast/alerts?region=FR", "{curl}");
    let res = call(&app, "GET", path, Some(&key)).await;
    assert_eq!(res.status, 200, "{}", res.body);
    assert!(res.body.contains("\"region\":\"FR\""), "{}", res.body);
    let mut step = Value::Null;
    for _ in 0..100 {
        let (_, state) = json_call(&app, "GET", "/v1/me/onboarding", Some(&alice), Value::Null).await;
        step = state["step"].clone();
        if step == "done" {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(step, "done");
}

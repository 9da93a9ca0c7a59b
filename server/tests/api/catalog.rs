//! The catalog as visitors and personas see it: search page, API and MCP pages, raw
//! documents, the REST listing and the MCP registry shape.

use crate::util::{session_cookie, sign_in, TestApp};
use sqlx::PgPool;

async fn seeded(pool: PgPool) -> TestApp {
    app::service::demo::seed::run(&pool).await.expect("seed");
    TestApp::new(pool)
}

#[sqlx::test(migrations = "../migrations")]
async fn search_facets_and_empty_results_work_without_javascript(pool: PgPool) {
    let app = seeded(pool).await;
    let res = app.get("/catalog", &[("accept", "text/html")]).await;
    assert_eq!(res.status, 200);
    assert!(res.body.contains("9 results"), "visitors see the public entries only");
    assert!(!res.body.contains("Customer CRM API"), "internal");
    assert!(!res.body.contains("Payments API"), "partner");
    let res = app.get("/catalog?q=shipm&sort=relevance", &[]).await;
    assert!(res.body.contains("Shipment Tracking API"));
    assert!(res.body.contains(r#"value="shipm""#), "the search box keeps the text");
    let res = app.get("/catalog?type=mcp", &[]).await;
    assert!(res.body.contains("2 results") && res.body.contains("Weather MCP server"), "{}", res.body);
    assert!(res.body.contains(r#"aria-current="true""#), "the chosen facet is marked");
    let res = app.get("/catalog?tag=forecast", &[]).await;
    assert!(
        res.body.contains("Weather Forecast API") && res.body.contains("Carbon Intensity API"),
        "{}",
        res.body
    );
    let res = app.get("/catalog?q=qwertyuiop", &[]).await;
    assert!(res.body.contains("Nothing matches this search."));
    // Nonsense parameters are ignored, not an error.
    let res = app.get("/catalog?type=nope&page=-3&sort=%00", &[]).await;
    assert_eq!(res.status, 200);
    assert!(res.body.contains("9 results"));
}

#[sqlx::test(migrations = "../migrations")]
async fn the_api_page_renders_operations_from_the_document(pool: PgPool) {
    let app = seeded(pool).await;
    let res = app.get("/apis/demo/weather-forecast", &[]).await;
    assert_eq!(res.status, 200);
    assert!(res.body.contains("<strong>forecasts</strong>"), "Markdown description rendered");
    assert!(res.body.contains(">1.1.0<") && res.body.contains(">1.0.0<"), "both versions listed");
    assert!(res.body.contains("Deprecated"));
    assert!(res.body.contains("Daily forecast for a place and a date range"), "operation summary");
    assert!(res.body.contains("(see <code>/places</code>)"), "a parameter's Markdown rendered, no backticks");
    assert!(!res.body.contains("`/places`"));
    assert!(res.body.contains("precipitation_mm"), "$ref'd schema unfolded");
    assert!(
        res.body.contains("A place&#x27;s id or name") || res.body.contains("A place's id or name"),
        "query parameter listed"
    );
    assert!(
        res.body.contains(r#"data-plan="free""#) && res.body.contains(r#"data-plan="premium""#),
        "plans listed"
    );
    assert!(res.body.contains("A subscription is reviewed by the API team first."), "premium needs approval");
    assert!(res.body.contains(">1,000,000<") && !res.body.contains(">1000000<"), "limits written as numbers");
    let de = app.get("/apis/demo/weather-forecast", &[("accept-language", "de")]).await;
    assert!(de.body.contains(">1.000.000<"), "in the reader's language");
    let rest = app.get("/v1/catalog/apis/demo/weather-forecast", &[]).await;
    assert!(
        rest.body.contains(r#""slug":"premium""#) && rest.body.contains(r#""requires_approval":true"#),
        "{}",
        rest.body
    );
    let res = app.get("/apis/demo/weather-forecast?version=1.0.0", &[]).await;
    assert!(res.body.contains(r#"aria-current="page""#));
    let res = app.get("/apis/demo/weather-forecast?version=9.9.9", &[]).await;
    assert_eq!(res.status, 404);
    let res = app.get("/v1/catalog/apis/demo/weather-forecast/versions/1.1.0/document", &[]).await;
    assert_eq!(res.status, 200);
    assert_eq!(res.header("content-type"), Some("application/yaml"));
    assert!(res.body.starts_with("openapi: 3.1.0"), "the document as uploaded");
    assert!(res.header("content-disposition").is_some_and(|d| d.contains("weather-forecast-1.1.0.yaml")));
}

#[sqlx::test(migrations = "../migrations")]
async fn audiences_hold_on_pages_and_documents(pool: PgPool) {
    let app = seeded(pool).await;
    for path in [
        "/apis/demo/customer-crm",
        "/apis/demo/payments",
        "/v1/catalog/apis/demo/payments/versions/2.0.0/document",
        "/mcp/payments",
    ] {
        assert_eq!(app.get(path, &[]).await.status, 404, "{path} for a visitor");
    }
    let dave = session_cookie(&sign_in(&app, "dave", "stoa-demo", None).await).expect("dave");
    assert_eq!(
        app.get("/apis/demo/customer-crm", &[("cookie", &dave)]).await.status,
        200,
        "own internal API"
    );
    assert_eq!(
        app.get("/apis/oasis/fleet-telemetry", &[("cookie", &dave)]).await.status,
        404,
        "other's internal"
    );
    assert_eq!(app.get("/apis/demo/payments", &[("cookie", &dave)]).await.status, 404, "partner needs more");
    let tara = session_cookie(&sign_in(&app, "tara", "stoa-demo", None).await).expect("tara");
    assert_eq!(app.get("/apis/oasis/warehouse-inventory", &[("cookie", &tara)]).await.status, 200);
    assert_eq!(app.get("/mcp/payments", &[("cookie", &tara)]).await.status, 200);
}

#[sqlx::test(migrations = "../migrations")]
async fn a_script_in_a_description_is_shown_not_run(pool: PgPool) {
    app::service::demo::seed::run(&pool).await.expect("seed");
    sqlx::query(
        "UPDATE catalog_items SET description = 'Hi <script>alert(1)</script> [x](javascript:alert(2))'
         WHERE slug = 'grid-status'",
    )
    .execute(&pool)
    .await
    .expect("update");
    let app = TestApp::new(pool);
    let res = app.get("/apis/helios/grid-status", &[]).await;
    assert_eq!(res.status, 200);
    assert!(!res.body.contains("<script>alert(1)"), "{}", res.body);
    assert!(res.body.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(!res.body.contains("javascript:alert(2)"));
}

#[sqlx::test(migrations = "../migrations")]
async fn mcp_servers_show_their_tools_and_list_in_registry_shape(pool: PgPool) {
    let app = seeded(pool).await;
    let res = app.get("/mcp/weather", &[]).await;
    assert_eq!(res.status, 200);
    assert!(res.body.contains("get_forecast") && res.body.contains("get_alerts"));
    assert!(res.body.contains("name or id (see search_places)"), "input schema property described");
    assert!(
        res.body.contains(r#"dark:bg-slate-800">http://127.0.0.1:3000/gw/mcp/weather</code>"#),
        "the URL a client connects to: {}",
        res.body
    );
    let res = app.get("/v0/servers", &[]).await;
    let body: serde_json::Value = serde_json::from_str(&res.body).expect("json");
    let names: Vec<&str> =
        body["servers"].as_array().expect("servers").iter().filter_map(|s| s["name"].as_str()).collect();
    assert_eq!(names, ["dev.gostoa/crm", "dev.gostoa/weather"], "partner server hidden from visitors");
    assert_eq!(body["metadata"]["count"], 2);
    let res = app.get("/v1/catalog/apis?q=energy", &[]).await;
    let body: serde_json::Value = serde_json::from_str(&res.body).expect("json");
    assert!(body["entries"].as_array().expect("entries").iter().all(|e| e["kind"] == "Api"));
    assert!(body["total"].as_i64().expect("total") >= 1);
}

/// Issue 31, item 1: an active subscription opens its entry's page and puts it in the
/// catalog, marked, whatever the audience; nothing else of the audience rule changes.
#[sqlx::test(migrations = "../migrations")]
async fn a_subscriber_sees_what_they_are_subscribed_to_whatever_its_audience(pool: PgPool) {
    let app = seeded(pool.clone()).await;
    app::service::demo::seed::dataset(&pool).await.expect("dataset");
    let alice = crate::util::demo_cookie(&app, "alice").await;
    let cookie = [("cookie", alice.as_str())];
    for page in ["/apis/demo/payments", "/apis/demo/customer-crm"] {
        let res = app.get(page, &cookie).await;
        assert_eq!(res.status, 200, "{page}: Alice's Trip planner is subscribed to it");
    }
    let res = app.get("/catalog?q=payments", &cookie).await;
    assert!(res.body.contains("Payments API"), "{}", res.body);
    assert!(res.body.contains(r#"data-subscribed="true""#), "marked as subscribed");
    let res = app.get("/catalog?q=crm", &cookie).await;
    assert!(res.body.contains("Customer CRM API") && res.body.contains("Subscribed"));
    // Visitors and a viewer with no subscription still see neither.
    for cookie in [None, Some(crate::util::demo_cookie(&app, "bob").await)] {
        let headers: Vec<(&str, &str)> = cookie.iter().map(|c| ("cookie", c.as_str())).collect();
        assert_eq!(app.get("/apis/demo/payments", &headers).await.status, 404);
        let res = app.get("/catalog", &headers).await;
        assert!(!res.body.contains("Payments API") && !res.body.contains("Customer CRM API"));
        assert!(cookie.is_some() || !res.body.contains(r#"data-subscribed="true""#));
    }
    // Revoked, the subscription no longer opens anything.
    sqlx::query(
        "UPDATE subscriptions SET state = 'revoked' WHERE item_id IN (SELECT id FROM catalog_items WHERE slug = 'payments' AND kind = 'api')",
    )
    .execute(&pool)
    .await
    .expect("revoke");
    assert_eq!(app.get("/apis/demo/payments", &cookie).await.status, 404);
}

/// Issue 31, item 4: past the last page says so and links page 1; cards show the current
/// version, not a deprecated one; excerpts read as text; the tags past the first ones
/// stay reachable.
#[sqlx::test(migrations = "../migrations")]
async fn the_catalog_says_what_is_true(pool: PgPool) {
    let app = seeded(pool).await;
    let res = app.get("/catalog?page=2", &[]).await;
    assert_eq!(res.status, 200);
    assert!(!res.body.contains("The catalog is empty"), "{}", res.body);
    assert!(res.body.contains("There is no page 2: the results end on page 1."), "{}", res.body);
    assert!(res.body.contains(r#"href="/catalog""#) && res.body.contains("Go to page 1"));
    let res = app.get("/catalog?q=weather+forecast", &[]).await;
    let card = res.body.split("Weather Forecast API").nth(1).expect("the card");
    let card = &card[..card.find("</li>").unwrap_or(card.len())];
    assert!(card.contains("1.1.0</span>") && !card.contains("1.0.0</span>"), "the current version: {card}");
    assert!(
        res.body.contains("1 km resolution in Europe; Alerts from national services. See the guide"),
        "the list reads as a list: {}",
        res.body
    );
    assert!(!res.body.contains("**forecasts**"));
    let res = app.get("/catalog", &[]).await;
    let tags = res.body.split("<h2").find(|s| s.contains(">Tags<")).expect("tag facet");
    assert!(tags.contains("<details") && tags.contains(" more</summary>"), "{tags}");
    let all: usize = tags.matches("?tag=").count();
    assert!(all > 12, "every tag reachable, {all}");
}

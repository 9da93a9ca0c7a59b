//! Pages as a visitor sees them: language, status codes, translated errors.

use crate::util::TestApp;
use axum::http::StatusCode;
use sqlx::PgPool;

#[sqlx::test(migrations = "../migrations")]
async fn home_speaks_the_accept_language(pool: PgPool) {
    let app = TestApp::new(pool);
    let res = app.get("/", &[("accept-language", "fr-CH, fr;q=0.9, en;q=0.5")]).await;
    assert_eq!(res.status, StatusCode::OK);
    assert!(res.body.contains(r#"<html lang="fr""#), "{}", &res.body[..300.min(res.body.len())]);
    assert!(res.body.contains("Trouvez une API, obtenez une clé, livrez."));
    assert!(res.body.contains("Tenants actifs"));
}

#[sqlx::test(migrations = "../migrations")]
async fn home_defaults_to_english(pool: PgPool) {
    let app = TestApp::new(pool);
    let res = app.get("/", &[("accept-language", "it, pt;q=0.8")]).await;
    assert!(res.body.contains(r#"<html lang="en""#));
    assert!(res.body.contains("Find an API, get a key, ship."));
}

#[sqlx::test(migrations = "../migrations")]
async fn the_cookie_choice_beats_the_header(pool: PgPool) {
    let app = TestApp::new(pool);
    let res = app.get("/", &[("accept-language", "fr"), ("cookie", "other=1; stoa_lang=de")]).await;
    assert!(res.body.contains(r#"<html lang="de""#));
    assert!(res.body.contains("API finden, Schlüssel holen, loslegen."));
}

#[sqlx::test(migrations = "../migrations")]
async fn a_malformed_cookie_header_does_not_break_the_page(pool: PgPool) {
    let app = TestApp::new(pool);
    let res = app.get("/", &[("cookie", "stoa_lang; ;=;lf-lang")]).await;
    assert_eq!(res.status, StatusCode::OK);
    assert!(res.body.contains(r#"<html lang="en""#));
}

#[sqlx::test(migrations = "../migrations")]
async fn home_shows_the_seeded_tenant(pool: PgPool) {
    app::service::demo::seed::run(&pool).await.expect("seed");
    let app = TestApp::new(pool);
    let res = app.get("/", &[]).await;
    // One active tenant: the figure sits right after its label.
    let figure = res.body.split("Active tenants").nth(1).expect("tenants figure");
    assert!(figure.contains(">1<"), "{}", &figure[..200.min(figure.len())]);
}

#[sqlx::test(migrations = "../migrations")]
async fn an_unknown_path_is_a_translated_404(pool: PgPool) {
    let app = TestApp::new(pool);
    let res = app.get("/no/such/page", &[("accept-language", "es")]).await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
    assert!(res.body.contains(r#"<html lang="es""#));
    assert!(res.body.contains("Esta página no existe."));
    // A mistyped address is the reader's to fix: no "tell your platform team".
    let res = app.get("/no/such/page", &[("accept-language", "en")]).await;
    assert!(res.body.contains("Check the address for a typing mistake"), "{}", res.body);
    assert!(!res.body.contains("platform team"));
    assert!(res.body.contains(r#"href="/catalog""#));
}

#[tokio::test]
async fn a_database_outage_shows_a_translated_error_page_without_internals() {
    let app = TestApp::with_dead_database();
    let res = app.get("/", &[("accept-language", "de")]).await;
    assert_eq!(res.status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(
        res.body.contains("Ein Dienst, von dem wir abhängen, ist gerade nicht erreichbar."),
        "{}",
        res.body
    );
    for leak in ["sqlx", "Connection refused", "127.0.0.1:1", "pool timed out", "os error"] {
        assert!(!res.body.contains(leak), "response leaks `{leak}`");
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn the_language_form_works_without_javascript(pool: PgPool) {
    let app = TestApp::new(pool);
    let res = app
        .post_form("/api/set_language", "lang=es", &[("referer", "http://127.0.0.1:3000/some/page")])
        .await;
    assert_eq!(res.status, StatusCode::FOUND);
    // Back to the page the form was on (Leptos appends an empty query: no error).
    let location = res.header("location").expect("redirect");
    assert!(location.starts_with("http://127.0.0.1:3000/some/page"), "{location}");
    let cookie = res.header("set-cookie").expect("cookie set");
    assert!(cookie.starts_with("stoa_lang=es;"), "{cookie}");
    assert!(cookie.contains("SameSite=Lax") && cookie.contains("HttpOnly"));
}

#[sqlx::test(migrations = "../migrations")]
async fn an_unsupported_language_is_refused_and_nothing_is_set(pool: PgPool) {
    let app = TestApp::new(pool);
    let res = app.post_form("/api/set_language", "lang=xx", &[]).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.header("set-cookie").is_none());
    // A hand-made post without the field: not our failure, and still nothing set.
    let res = app.post_form("/api/set_language", "nothing=here", &[]).await;
    assert!(!res.status.is_success() && !res.status.is_server_error(), "{}", res.status);
    assert!(res.header("set-cookie").is_none());
}

/// Issue 31, item 13: every page says what the site is to search engines and link
/// previews, and links the built files by their content (`?v=` + digest), which the
/// server lets browsers keep for a year.
#[sqlx::test(migrations = "../migrations")]
async fn pages_describe_themselves_and_link_their_files_by_content(pool: PgPool) {
    app::service::demo::seed::run(&pool).await.expect("seed");
    let app = TestApp::new(pool);
    for path in ["/", "/catalog", "/login", "/apis/demo/weather-forecast", "/nothing-here"] {
        let page = app.get(path, &[("accept-language", "fr")]).await.body;
        assert!(
            page.contains(r#"<meta name="description" content="Parcourez"#),
            "{path}: {}",
            &page[..page.len().min(1500)]
        );
        for file in ["stoa.css", "stoa.js", "stoa"] {
            let at = page.find(&format!("/pkg/{file}")).unwrap_or_else(|| panic!("{path}: {file}"));
            let rest = &page[at..];
            let v = rest.split("?v=").nth(1).expect("versioned");
            assert!(v.len() >= 16 && v[..16].chars().all(|c| c.is_ascii_hexdigit()), "{path}: {rest:.80}");
        }
    }
}

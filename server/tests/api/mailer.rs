//! Notification e-mails against a real SMTP server (npm smtp-server, `end2end/smtp/sink.mjs`,
//! which writes what it receives to a file).

use crate::util::{demo_cookie, json_call, SmtpSink, TestApp};
use serde_json::json;
use server::events::relay::{Relay, Sink};
use server::events::Dispatcher;
use sqlx::PgPool;

#[sqlx::test(migrations = "../migrations")]
async fn notifications_are_mailed_once_to_users_with_an_address(pool: PgPool) {
    app::service::demo::seed::run(&pool).await.expect("seed");
    sqlx::query("UPDATE users SET email = 'tara@example.com' WHERE username = 'tara'")
        .execute(&pool)
        .await
        .expect("email");
    let sink = SmtpSink::start().await;
    let mailer =
        server::mailer::Mailer::new(&format!("smtp://127.0.0.1:{}", sink.port), "https://portal.example")
            .expect("mailer");
    let app = TestApp::new(pool.clone());
    let dave = demo_cookie(&app, "dave").await;
    let body = json!({
        "target_name": "weather-forecast", "target_version": "1.2.0", "impact": "low",
        "justification": "Customers need the alerts endpoint in production.",
    });
    let (status, created) = json_call(&app, "POST", "/v1/requests/prod", Some(&dave), body).await;
    assert_eq!(status, 201);
    let id = created["id"].as_str().expect("id").to_owned();
    let mut relay = Relay::new(pool.clone(), Sink::InProcess(Dispatcher::standard(pool.clone())));
    while relay.drain_once().await.expect("drain") > 0 {}
    assert_eq!(
        mailer.send_once(&pool).await.expect("pass"),
        1,
        "tara has an address; the other approvers none"
    );
    assert_eq!(mailer.send_once(&pool).await.expect("pass"), 0, "sent once");
    let mails = sink.received();
    assert_eq!(mails.len(), 1, "{mails:?}");
    assert_eq!(mails[0]["to"], json!(["tara@example.com"]));
    let data = mails[0]["data"].as_str().expect("data");
    assert!(data.contains("Subject: STOA: A promotion request waits for your decision"), "{data}");
    assert!(data.contains(&format!("https://portal.example/console/requests/{id}")), "{data}");
    // In the recipient's language (issue 31, item 6): Tara reads French.
    sqlx::query("UPDATE users SET preferred_language = 'fr' WHERE username = 'tara'")
        .execute(&pool)
        .await
        .expect("language");
    let body = json!({
        "target_name": "weather-forecast", "target_version": "1.2.0", "impact": "low",
        "justification": "The partners asked for the alerts in production too.",
    });
    assert_eq!(json_call(&app, "POST", "/v1/requests/prod", Some(&dave), body).await.0, 201);
    while relay.drain_once().await.expect("drain") > 0 {}
    assert_eq!(mailer.send_once(&pool).await.expect("pass"), 1);
    let mails = sink.received();
    let data = mails[1]["data"].as_str().expect("data");
    // As a mail reader decodes it (the sink's mailparser), not as we think it is encoded.
    assert_eq!(mails[1]["subject"], "STOA: Une demande de promotion attend votre décision", "{data}");
}

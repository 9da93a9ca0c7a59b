//! Beta users and tenants (issue 16): a tenant-admin invites by e-mail address, the
//! invited person opens the single-use link, chooses a username and a password and lands
//! in the wizard with the invitation's role — with and without JavaScript the same plain
//! forms. The e-mail goes through a real SMTP server; without one the console shows the
//! link. Platform admins create tenants and invite their first tenant-admin.

use crate::util::{demo_cookie, invite, location, session_cookie, token_in, SmtpSink, TestApp};
use sqlx::PgPool;

async fn count(pool: &PgPool, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(pool).await.expect(sql)
}

#[sqlx::test(migrations = "../migrations")]
async fn an_invited_person_chooses_a_password_once_and_lands_in_the_wizard_with_the_role(pool: PgPool) {
    app::service::demo::seed::run(&pool).await.expect("seed");
    let app = TestApp::new(pool.clone());
    let tara = demo_cookie(&app, "tara").await;

    // Without SMTP the console shows the link, once.
    let page = invite(&app, &tara, "Ann.Lee@Example.com", "devops").await;
    assert!(page.body.contains("ann.lee@example.com is invited. Give them this link"), "{}", page.body);
    let token = token_in(&page.body).expect("the link is shown");
    let again = app.get("/console/members", &[("cookie", &tara)]).await;
    assert!(token_in(&again.body).is_none(), "the link is shown only once");
    assert!(again.body.contains("data-status=\"pending\""), "listed as waiting");

    // The invited person, signed out, without JavaScript.
    let link = format!("/invitations/{token}");
    let view = app.get(&link, &[]).await;
    assert_eq!(view.status, 200);
    assert!(view.body.contains("invites you to Demo"), "{}", view.body);
    assert!(view.body.contains("API developer"), "the role is named");
    // A short password and a bad username: back to the form, with why next to each field.
    let refused = app
        .post_form(
            "/api/accept_invitation",
            &format!("token={token}&username=Ann+Lee&display_name=Ann+Lee&password=short"),
            &[],
        )
        .await;
    let back = location(&refused);
    assert!(back.starts_with(&format!("{link}?refused=")), "{back}");
    let cookie = session_cookie(&refused).expect("the refused form is kept in a session");
    let form = app.get(&back, &[("cookie", &cookie)]).await;
    assert!(form.body.contains("This password is too short"), "{}", form.body);
    assert!(form.body.contains("2 to 63 lower-case letters"), "{}", form.body);
    assert!(form.body.contains("value=\"Ann Lee\""), "what was typed stays");
    assert_eq!(count(&pool, "SELECT count(*) FROM users WHERE email = 'ann.lee@example.com'").await, 0);

    // Accepted: signed in, sent to the wizard, with the invitation's tenant, role, address.
    let accepted = app
        .post_form(
            "/api/accept_invitation",
            &format!("token={token}&username=ann&display_name=Ann+Lee&password=correct-horse-battery"),
            &[("cookie", &cookie)],
        )
        .await;
    assert_eq!(location(&accepted), "/onboarding");
    let ann = session_cookie(&accepted).expect("signed in");
    assert_ne!(ann, cookie, "a new session id at sign-in");
    let wizard = app.get("/onboarding", &[("cookie", &ann)]).await;
    assert_eq!(wizard.status, 200);
    assert!(wizard.body.contains("Ann Lee"), "signed in as Ann");
    let (tenant, roles, email): (String, Vec<String>, Option<String>) =
        sqlx::query_as("SELECT tenant_id, roles, email FROM users WHERE username = 'ann'")
            .fetch_one(&pool)
            .await
            .expect("ann");
    assert_eq!(
        (tenant.as_str(), roles, email.as_deref()),
        ("demo", vec!["devops".to_owned()], Some("ann.lee@example.com"))
    );
    // She can sign in again with her password.
    let again = crate::util::sign_in(&app, "ann", "correct-horse-battery", None).await;
    assert_eq!(location(&again), "/");

    // The link is used up: the page says so, and a second acceptance makes nothing.
    let used = app.get(&link, &[]).await;
    assert!(used.body.contains("This invitation link was already used."), "{}", used.body);
    let replay = app
        .post_form(
            "/api/accept_invitation",
            &format!("token={token}&username=ann2&display_name=Ann&password=correct-horse-battery"),
            &[],
        )
        .await;
    assert_eq!(location(&replay), format!("{link}?error=invitation-accepted"));
    assert_eq!(count(&pool, "SELECT count(*) FROM users WHERE username = 'ann2'").await, 0);
    let members = app.get("/console/members", &[("cookie", &tara)]).await;
    assert!(members.body.contains("data-status=\"accepted\""), "{}", members.body);
    assert!(members.body.contains("account ann"));
    // When each member last signed in, besides since when they are one (issue 31, item 10).
    assert!(members.body.contains("Last sign-in") && members.body.contains(">never<"), "{}", members.body);
    let tara_row =
        members.body.split(">tara<").nth(1).expect("tara's row").split("</tr>").next().expect("row");
    assert!(!tara_row.contains(">never<"), "tara signed in: {tara_row}");
    // No mailer here: the button says what it does (issue 31, item 9).
    assert!(
        members.body.contains("Create the invitation link") && !members.body.contains("Send the invitation<")
    );
    // A link that never existed.
    let unknown = app.get("/invitations/inv_not-a-real-link", &[]).await;
    assert!(unknown.body.contains("This invitation link is not valid."), "{}", unknown.body);
    // The audit trail tells it.
    let actions: Vec<String> =
        sqlx::query_scalar("SELECT action FROM audit_log WHERE action LIKE 'members.%' ORDER BY id")
            .fetch_all(&pool)
            .await
            .expect("audit");
    assert_eq!(actions, ["members.invited", "members.joined"]);
}

#[sqlx::test(migrations = "../migrations")]
async fn refused_invitations_say_why_and_expired_or_revoked_links_do_not_work(pool: PgPool) {
    app::service::demo::seed::run(&pool).await.expect("seed");
    let app = TestApp::new(pool.clone());
    let tara = demo_cookie(&app, "tara").await;
    sqlx::query("UPDATE users SET email = 'bob@example.com' WHERE username = 'bob'")
        .execute(&pool)
        .await
        .expect("bob's address");

    // An address with an account, a malformed one, a role above the inviter's.
    for (email, role, says) in [
        ("BOB@example.com", "viewer", "This address already has an account on this portal"),
        ("not-an-address", "viewer", "Enter an e-mail address"),
        ("sec@example.com", "cpi-admin", "Choose one of the roles offered."),
        ("sec@example.com", "stoa.security", "You can only invite with a role you hold yourself."),
    ] {
        let page = invite(&app, &tara, email, role).await;
        assert!(page.body.contains(says), "{email}: {}", page.body);
        assert!(page.body.contains("aria-invalid=\"true\""), "the field is marked");
    }
    assert_eq!(count(&pool, "SELECT count(*) FROM invitations").await, 0, "nothing half-made");

    let first = invite(&app, &tara, "cleo@example.com", "viewer").await;
    let old = token_in(&first.body).expect("link");
    let twice = invite(&app, &tara, "cleo@example.com", "devops").await;
    assert!(twice.body.contains("already has an invitation waiting"), "{}", twice.body);

    // Expired: the page says whom to ask; sending it again gives a new link, the old
    // one stops working.
    sqlx::query("UPDATE invitations SET expires_at = now() - interval '1 minute'")
        .execute(&pool)
        .await
        .expect("expire");
    let expired = app.get(&format!("/invitations/{old}"), &[]).await;
    assert!(expired.body.contains("This invitation link has expired"), "{}", expired.body);
    assert!(expired.body.contains("Ask Tara"), "names who invited");
    let refused = app
        .post_form(
            "/api/accept_invitation",
            &format!("token={old}&username=cleo&display_name=Cleo&password=correct-horse-battery"),
            &[],
        )
        .await;
    assert_eq!(location(&refused), format!("/invitations/{old}?error=invitation-expired"));
    let id: uuid::Uuid = sqlx::query_scalar("SELECT id FROM invitations").fetch_one(&pool).await.expect("id");
    let resent = app.post_form("/api/resend_invitation", &format!("id={id}"), &[("cookie", &tara)]).await;
    let page = app.get(&location(&resent), &[("cookie", &tara)]).await;
    let new = token_in(&page.body).expect("a new link");
    assert_ne!(new, old);
    assert!(app.get(&format!("/invitations/{old}"), &[]).await.body.contains("is not valid"));
    assert!(app.get(&format!("/invitations/{new}"), &[]).await.body.contains("Create my account"));

    // Revoked, after a confirmation.
    let unconfirmed =
        app.post_form("/api/revoke_invitation", &format!("id={id}"), &[("cookie", &tara)]).await;
    assert_eq!(unconfirmed.status, 422);
    let ask = app.get(&format!("/console/members?revoke={id}"), &[("cookie", &tara)]).await;
    assert!(ask.body.contains("Revoke the invitation of cleo@example.com? Its link stops working."));
    let revoked =
        app.post_form("/api/revoke_invitation", &format!("id={id}&confirm=yes"), &[("cookie", &tara)]).await;
    assert_eq!(location(&revoked), "/console/members?revoked=1#invitations");
    let gone = app.get(&format!("/invitations/{new}"), &[]).await;
    assert!(gone.body.contains("This invitation was revoked"), "{}", gone.body);
    let again =
        app.post_form("/api/revoke_invitation", &format!("id={id}&confirm=yes"), &[("cookie", &tara)]).await;
    assert_eq!(location(&again), "/console/members?error=closed#invitations");

    // Another tenant's admin cannot touch it.
    let gina =
        crate::util::user_in(&app, &pool, "globex", "gina", &[app::domain::role::Role::TenantAdmin]).await;
    let foreign = app.post_form("/api/resend_invitation", &format!("id={id}"), &[("cookie", &gina)]).await;
    assert_eq!(foreign.status, 404);
    let theirs = app.get("/console/members", &[("cookie", &gina)]).await;
    assert!(!theirs.body.contains("cleo@example.com"));
}

#[sqlx::test(migrations = "../migrations")]
async fn with_smtp_the_invitation_is_mailed_once_and_its_link_forgotten(pool: PgPool) {
    app::service::demo::seed::run(&pool).await.expect("seed");
    let sink = SmtpSink::start().await;
    let smtp = format!("smtp://127.0.0.1:{}", sink.port);
    let app =
        TestApp::with_env(pool.clone(), &[("SMTP_URL", &smtp), ("PUBLIC_URL", "https://portal.example")]);
    let mailer = server::mailer::Mailer::new(&smtp, "https://portal.example").expect("mailer");
    let tara = demo_cookie(&app, "tara").await;

    let page = invite(&app, &tara, "dan@example.com", "viewer").await;
    assert!(
        page.body.contains("dan@example.com is invited: the e-mail with the link is on its way."),
        "{}",
        page.body
    );
    assert!(token_in(&page.body).is_none(), "no link on the page when it is mailed");
    assert!(mailer.send_once(&pool).await.expect("send") >= 1);
    assert_eq!(mailer.send_once(&pool).await.expect("send"), 0, "sent once");
    let mails = sink.received();
    let mail = mails.iter().find(|m| m["to"][0] == "dan@example.com").expect("a mail to dan");
    let data = mail["data"].as_str().expect("data");
    assert!(data.contains("Tara") && data.contains("Demo"), "{data}");
    assert!(data.replace("=\r\n", "").contains("https://portal.example/invitations/inv_"), "{data}");
    let token = token_in(data).expect("the link");
    assert_eq!(count(&pool, "SELECT count(*) FROM invitations WHERE mail_token IS NOT NULL").await, 0);
    let view = app.get(&format!("/invitations/{token}"), &[]).await;
    assert!(view.body.contains("Create my account"), "{}", view.body);
    let members = app.get("/console/members", &[("cookie", &tara)]).await;
    assert!(members.body.contains("dan@example.com"));

    // The form offers the invitation's language, the inviter's page language chosen; a
    // French invitation is written in French, and the account it makes starts in French.
    let german = format!("{tara}; stoa_lang=de");
    let form = app.get("/console/members", &[("cookie", &german)]).await.body;
    assert!(form.contains(r#"<option value="de" lang="de" selected"#), "{form}");
    let res = app
        .post_form(
            "/api/invite_member",
            "email=fleur%40example.com&role=viewer&language=fr",
            &[("cookie", &tara)],
        )
        .await;
    assert_eq!(res.status, 302, "{}", res.body);
    assert!(mailer.send_once(&pool).await.expect("send") >= 1);
    let mails = sink.received();
    let mail = mails.iter().find(|m| m["to"][0] == "fleur@example.com").expect("a mail to fleur");
    assert_eq!(mail["subject"], "STOA : Tara Tenant-Admin vous invite dans Demo Tenant", "{mail}");
    let text = mail["text"].as_str().expect("text");
    assert!(
        text.contains("vous invite à rejoindre Demo Tenant sur STOA, avec le rôle Consommateur d’API."),
        "{text}"
    );
    let token = token_in(text).expect("the link");
    let res = app
        .post_form(
            "/api/accept_invitation",
            &format!("token={token}&username=fleur&display_name=Fleur&password=correct-horse-battery"),
            &[],
        )
        .await;
    assert_eq!(location(&res), "/onboarding");
    let language: Option<String> =
        sqlx::query_scalar("SELECT preferred_language FROM users WHERE username = 'fleur'")
            .fetch_one(&pool)
            .await
            .expect("fleur");
    assert_eq!(language.as_deref(), Some("fr"));
    // An invitation in a language we do not ship is refused next to the field.
    let res = app
        .post_form(
            "/api/invite_member",
            "email=gus%40example.com&role=viewer&language=xx",
            &[("cookie", &tara)],
        )
        .await;
    assert_eq!(res.status, 302);
    assert_eq!(count(&pool, "SELECT count(*) FROM invitations WHERE email = 'gus@example.com'").await, 0);
}

#[sqlx::test(migrations = "../migrations")]
async fn a_platform_admin_creates_a_tenant_and_its_first_admin_joins_it(pool: PgPool) {
    app::service::demo::seed::run(&pool).await.expect("seed");
    let app = TestApp::new(pool.clone());
    let carl = demo_cookie(&app, "carl").await;
    let tara = demo_cookie(&app, "tara").await;
    assert_eq!(app.get("/console/tenants", &[("cookie", &tara)]).await.status, 403);

    let refused = app
        .post_form("/api/create_tenant", "slug=Not+A+Slug&name=&admin_email=x", &[("cookie", &carl)])
        .await;
    let page = app.get(&location(&refused), &[("cookie", &carl)]).await;
    assert!(page.body.contains("2 to 63 lower-case letters, digits or hyphens"), "{}", page.body);
    assert!(page.body.contains("Fill this in."));
    let taken = app
        .post_form(
            "/api/create_tenant",
            "slug=demo&name=Again&admin_email=x%40example.com",
            &[("cookie", &carl)],
        )
        .await;
    let page = app.get(&location(&taken), &[("cookie", &carl)]).await;
    assert!(page.body.contains("This is already taken."), "{}", page.body);

    let created = app
        .post_form(
            "/api/create_tenant",
            "slug=acme&name=Acme+Corp&admin_email=olga%40acme.example",
            &[("cookie", &carl)],
        )
        .await;
    let page = app.get(&location(&created), &[("cookie", &carl)]).await;
    assert!(page.body.contains("The tenant was created."), "{}", page.body);
    assert!(page.body.contains("Acme Corp"));
    // Each tenant's row opens its page: members, what it publishes, its usage.
    let list = app.get("/console/tenants", &[("cookie", &carl)]).await.body;
    assert!(list.contains(r#"href="/console/tenants/demo""#), "{list}");
    let demo = app.get("/console/tenants/demo", &[("cookie", &carl)]).await;
    assert_eq!(demo.status, 200, "{}", demo.body);
    assert!(
        demo.body.contains("Demo Tenant")
            && demo.body.contains("tara")
            && demo.body.contains("Weather Forecast API")
    );
    assert!(demo.body.contains(r#"href="/console/usage?tenant=demo""#));
    assert_eq!(app.get("/console/tenants/demo", &[("cookie", &tara)]).await.status, 403);
    assert_eq!(app.get("/console/tenants/no-such", &[("cookie", &carl)]).await.status, 404);
    // Logged under the new tenant, not the admin's own (issue 31, item 10).
    let logged: Vec<String> =
        sqlx::query_scalar("SELECT tenant_id FROM audit_log WHERE action = 'tenants.created'")
            .fetch_all(&pool)
            .await
            .expect("audit");
    assert_eq!(logged, ["acme"]);
    // It starts with one plan, without limits or approval, so that its first API can be
    // subscribed (issue 33).
    type Limits = (String, Option<i32>, Option<i32>, Option<i32>, Option<i32>, bool, String);
    let plans: Vec<Limits> = sqlx::query_as(
        "SELECT slug, rate_per_second, rate_per_minute, daily_quota, monthly_quota, requires_approval, status
         FROM plans WHERE tenant_id = 'acme'",
    )
    .fetch_all(&pool)
    .await
    .expect("plans");
    assert_eq!(plans, [("default".to_owned(), None, None, None, None, false, "active".to_owned())]);
    let token = token_in(&page.body).expect("the first admin's link");
    let view = app.get(&format!("/invitations/{token}"), &[]).await;
    assert!(view.body.contains("to Acme Corp as Tenant administrator"), "{}", view.body);
    let accepted = app
        .post_form(
            "/api/accept_invitation",
            &format!("token={token}&username=olga&display_name=Olga&password=correct-horse-battery"),
            &[],
        )
        .await;
    let olga = session_cookie(&accepted).expect("signed in");
    // Olga administers Acme: she sees its members (herself), not Demo's.
    let members = app.get("/console/members", &[("cookie", &olga)]).await;
    assert_eq!(members.status, 200);
    assert!(members.body.contains("olga") && !members.body.contains(">tara<"), "{}", members.body);
    let events: i64 = count(
        &pool,
        "SELECT count(*) FROM outbox WHERE event_type IN ('dev.gostoa.platform.tenant-created', 'dev.gostoa.platform.member-invited', 'dev.gostoa.platform.member-joined')",
    )
    .await;
    assert_eq!(events, 3);
}

#[sqlx::test(migrations = "../migrations")]
async fn the_rest_api_invites_lists_resends_and_revokes(pool: PgPool) {
    use crate::util::json_call;
    use serde_json::json;
    app::service::demo::seed::run(&pool).await.expect("seed");
    let app = TestApp::new(pool.clone());
    let tara = demo_cookie(&app, "tara").await;
    let (status, invited) = json_call(
        &app,
        "POST",
        "/v1/invitations",
        Some(&tara),
        json!({ "email": "Rita@Example.com", "role": "viewer" }),
    )
    .await;
    assert_eq!(status, 201, "{invited}");
    assert_eq!(invited["invitation"]["email"], "rita@example.com");
    assert_eq!(invited["invitation"]["status"], "pending");
    let link = invited["link"].as_str().expect("the link, no SMTP");
    assert!(link.contains("/invitations/inv_"), "{link}");
    let id = invited["invitation"]["id"].as_str().expect("id").to_owned();
    let (status, twice) = json_call(
        &app,
        "POST",
        "/v1/invitations",
        Some(&tara),
        json!({ "email": "rita@example.com", "role": "viewer" }),
    )
    .await;
    assert_eq!(status, 409, "{twice}");
    assert!(twice.to_string().contains("already-invited"), "{twice}");
    let (status, list) = json_call(&app, "GET", "/v1/members", Some(&tara), serde_json::Value::Null).await;
    assert_eq!(status, 200);
    assert!(list["members"].as_array().expect("members").iter().any(|m| m["username"] == "tara"));
    assert_eq!(list["invitations"][0]["email"], "rita@example.com");
    let (status, resent) = json_call(
        &app,
        "POST",
        &format!("/v1/invitations/{id}/resend"),
        Some(&tara),
        serde_json::Value::Null,
    )
    .await;
    assert_eq!(status, 200, "{resent}");
    assert_ne!(resent["link"], invited["link"]);
    let (status, _) = json_call(
        &app,
        "POST",
        &format!("/v1/invitations/{id}/revoke"),
        Some(&tara),
        json!({ "confirm": false }),
    )
    .await;
    assert_eq!(status, 422);
    let (status, revoked) = json_call(
        &app,
        "POST",
        &format!("/v1/invitations/{id}/revoke"),
        Some(&tara),
        json!({ "confirm": true }),
    )
    .await;
    assert_eq!((status, revoked["status"].as_str()), (200, Some("revoked")), "{revoked}");
    let (status, _) = json_call(
        &app,
        "POST",
        &format!("/v1/invitations/{id}/revoke"),
        Some(&tara),
        json!({ "confirm": true }),
    )
    .await;
    assert_eq!(status, 409);

    let carl = demo_cookie(&app, "carl").await;
    let (status, created) = json_call(
        &app,
        "POST",
        "/v1/tenants",
        Some(&carl),
        json!({ "slug": "initech", "name": "Initech", "admin_email": "bill@initech.example" }),
    )
    .await;
    assert_eq!(status, 201, "{created}");
    assert_eq!(created["invitation"]["role"], "tenant-admin");
    let (_, tenants) = json_call(&app, "GET", "/v1/tenants", Some(&carl), serde_json::Value::Null).await;
    let initech =
        tenants["tenants"].as_array().expect("tenants").iter().find(|t| t["id"] == "initech").cloned();
    assert_eq!(initech.map(|t| (t["members"].clone(), t["invitations"].clone())), Some((json!(0), json!(1))));
    let (status, _) = json_call(&app, "GET", "/v1/tenants", Some(&tara), serde_json::Value::Null).await;
    assert_eq!(status, 403);
}

//! The people who use the app under test: the seeded demo users, new local users of a
//! tenant, invited members, and their session cookies.

use super::app::{location, TestApp, TestResponse};

/// The `stoa_session=…` pair a response sets, if any.
pub fn session_cookie(res: &TestResponse) -> Option<String> {
    res.headers
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with("stoa_session="))
        .map(|c| c.split(';').next().unwrap_or_default().to_owned())
}

/// Posts the sign-in form as a browser without JavaScript does.
pub async fn sign_in(app: &TestApp, user: &str, password: &str, cookie: Option<&str>) -> TestResponse {
    let form = format!("username={user}&password={password}&next=%2F");
    let headers: Vec<(&str, &str)> = cookie.map(|c| vec![("cookie", c)]).unwrap_or_default();
    app.post_form("/api/login", &form, &headers).await
}

/// Creates a local user (password `stoa-demo`) in `tenant`, creating the tenant if
/// needed, and returns their session cookie.
pub async fn user_in(
    app: &TestApp,
    pool: &sqlx::PgPool,
    tenant: &str,
    username: &str,
    roles: &[app::domain::role::Role],
) -> String {
    app::db::tenants::upsert(pool, tenant, tenant).await.expect("tenant");
    let hash =
        app::auth::password::hash(app::service::demo::seed::BETA_PASSWORD.to_owned()).await.expect("hash");
    let user = app::db::users::NewLocalUser {
        tenant_id: tenant,
        username,
        display_name: username,
        email: None,
        roles,
        password_hash: &hash,
    };
    app::db::users::create_local(pool, &user).await.expect("user");
    session_cookie(&sign_in(app, username, app::service::demo::seed::BETA_PASSWORD, None).await)
        .expect("signed in")
}

/// The session cookie of a seeded demo user.
pub async fn demo_cookie(app: &TestApp, user: &str) -> String {
    session_cookie(&sign_in(app, user, app::service::demo::seed::BETA_PASSWORD, None).await)
        .expect("signed in")
}

/// The invitation token in a page or an e-mail (quoted-printable soft breaks undone).
pub fn token_in(text: &str) -> Option<String> {
    let text = text.replace("=\r\n", "").replace("=\n", "");
    let at = text.find("/invitations/inv_")? + "/invitations/".len();
    Some(text[at..].chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-').collect())
}

/// Invites `email` with `role` as the holder of `cookie`; the members page it lands on.
pub async fn invite(app: &TestApp, cookie: &str, email: &str, role: &str) -> TestResponse {
    let form = format!("email={}&role={role}", email.replace('@', "%40"));
    let res = app.post_form("/api/invite_member", &form, &[("cookie", cookie)]).await;
    assert_eq!(res.status, 302, "{}", res.body);
    app.get(&location(&res), &[("cookie", cookie)]).await
}

/// Invites `email` into the tenant of the holder of `cookie` (without SMTP), and, with a
/// `username`, joins with the link: the invited person's session cookie.
pub async fn invite_and_join(
    app: &TestApp,
    cookie: &str,
    email: &str,
    username: Option<&str>,
) -> Option<String> {
    let page = invite(app, cookie, email, "viewer").await;
    let token = token_in(&page.body).unwrap_or_else(|| panic!("a link for {email}: {}", page.body));
    let username = username?;
    let form =
        format!("token={token}&username={username}&display_name={username}&password=correct-horse-battery");
    let res = app.post_form("/api/accept_invitation", &form, &[]).await;
    assert_eq!(location(&res), "/onboarding", "{username} joins");
    session_cookie(&res)
}

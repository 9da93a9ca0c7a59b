//! Invitations (`invitations`) and the members they make.

use crate::domain::invitation::{self, Status};
use crate::model::members::{InvitationInfo, Member};
use chrono::{DateTime, Utc};
use sqlx::{PgConnection, PgExecutor};
use uuid::Uuid;

/// A new invitation (or a new link for one).
pub struct NewInvitation<'a> {
    pub id: Uuid,
    pub tenant_id: &'a str,
    pub email: &'a str,
    pub role: &'a str,
    pub token_hash: &'a [u8],
    /// The link's secret, kept until the mailer sent it; none without SMTP.
    pub mail_token: Option<&'a str>,
    pub invited_by: &'a str,
    pub expires_at: DateTime<Utc>,
    /// The language of the e-mail and of the account it makes (`en`, `fr`, …).
    pub language: Option<&'a str>,
}

/// Stores an invitation; false when the address already has an open one in the tenant.
pub async fn insert(db: &mut PgConnection, new: &NewInvitation<'_>) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "INSERT INTO invitations (id, tenant_id, email, role, token_hash, mail_token, invited_by, expires_at, language)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
         ON CONFLICT (tenant_id, email) WHERE accepted_at IS NULL AND revoked_at IS NULL DO NOTHING",
    )
    .bind(new.id)
    .bind(new.tenant_id)
    .bind(new.email)
    .bind(new.role)
    .bind(new.token_hash)
    .bind(new.mail_token)
    .bind(new.invited_by)
    .bind(new.expires_at)
    .bind(new.language)
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Gives an open invitation a new link (the old one stops working) and a new expiry;
/// false when it is no longer open.
pub async fn renew(db: &mut PgConnection, new: &NewInvitation<'_>) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE invitations SET token_hash = $2, mail_token = $3, expires_at = $4, sent_at = now(),
                emailed_at = NULL, invited_by = $5
         WHERE id = $1 AND accepted_at IS NULL AND revoked_at IS NULL",
    )
    .bind(new.id)
    .bind(new.token_hash)
    .bind(new.mail_token)
    .bind(new.expires_at)
    .bind(new.invited_by)
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Takes an open invitation back; false when it is no longer open.
pub async fn revoke(db: &mut PgConnection, id: Uuid) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE invitations SET revoked_at = now(), mail_token = NULL
         WHERE id = $1 AND accepted_at IS NULL AND revoked_at IS NULL",
    )
    .bind(id)
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Marks an invitation used by the account `user`.
pub async fn accept(db: &mut PgConnection, id: Uuid, user: Uuid) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE invitations SET accepted_at = now(), accepted_by = $2, mail_token = NULL WHERE id = $1",
    )
    .bind(id)
    .bind(user)
    .execute(db)
    .await?;
    Ok(())
}

#[derive(sqlx::FromRow)]
struct Row {
    id: Uuid,
    tenant_id: String,
    email: String,
    role: String,
    invited_by: String,
    sent_at: DateTime<Utc>,
    expires_at: DateTime<Utc>,
    emailed: bool,
    accepted_at: Option<DateTime<Utc>>,
    revoked_at: Option<DateTime<Utc>>,
    accepted_by: Option<String>,
}

impl Row {
    fn info(self) -> (String, InvitationInfo) {
        let status = invitation::status(
            Utc::now().timestamp(),
            self.expires_at.timestamp(),
            self.accepted_at.is_some(),
            self.revoked_at.is_some(),
        );
        let info = InvitationInfo {
            id: self.id,
            email: self.email,
            role: self.role,
            status,
            invited_by: self.invited_by,
            sent_at: self.sent_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            expires_at: self.expires_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            emailed: self.emailed,
            accepted_by: self.accepted_by,
        };
        (self.tenant_id, info)
    }
}

const SELECT: &str = "SELECT i.id, i.tenant_id, i.email, i.role, i.invited_by, i.sent_at, i.expires_at,
        i.emailed_at IS NOT NULL AS emailed, i.accepted_at, i.revoked_at, u.username AS accepted_by
     FROM invitations i LEFT JOIN users u ON u.id = i.accepted_by";

/// A tenant's invitations, newest first (at most 200).
pub async fn list(db: impl PgExecutor<'_>, tenant: &str) -> Result<Vec<InvitationInfo>, sqlx::Error> {
    let rows: Vec<Row> = sqlx::query_as(&format!(
        "{SELECT} WHERE i.tenant_id = $1 ORDER BY i.created_at DESC, i.id LIMIT 200"
    ))
    .bind(tenant)
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(|r| r.info().1).collect())
}

/// One invitation and its tenant.
pub async fn get(db: impl PgExecutor<'_>, id: Uuid) -> Result<Option<(String, InvitationInfo)>, sqlx::Error> {
    let row: Option<Row> =
        sqlx::query_as(&format!("{SELECT} WHERE i.id = $1")).bind(id).fetch_optional(db).await?;
    Ok(row.map(Row::info))
}

/// An invitation found by its link, locked for the acceptance.
pub struct ByLink {
    pub id: Uuid,
    pub tenant_id: String,
    pub tenant_name: String,
    pub email: String,
    pub role: String,
    pub status: Status,
    /// The inviter's display name (their username if they are gone).
    pub invited_by: String,
    pub language: Option<String>,
}

/// The invitation whose link hashes to `hash`, locked until the transaction ends.
pub async fn by_link(db: &mut PgConnection, hash: &[u8]) -> Result<Option<ByLink>, sqlx::Error> {
    type Raw = (Uuid, String, String, String, String, DateTime<Utc>, bool, bool, String, Option<String>);
    let row: Option<Raw> = sqlx::query_as(
        "SELECT i.id, i.tenant_id, t.name, i.email, i.role, i.expires_at,
                i.accepted_at IS NOT NULL, i.revoked_at IS NOT NULL,
                coalesce((SELECT u.display_name FROM users u WHERE u.username = i.invited_by), i.invited_by),
                i.language
         FROM invitations i JOIN tenants t ON t.id = i.tenant_id
         WHERE i.token_hash = $1 FOR UPDATE OF i",
    )
    .bind(hash)
    .fetch_optional(db)
    .await?;
    Ok(row.map(
        |(id, tenant_id, tenant_name, email, role, expires_at, accepted, revoked, invited_by, language)| {
            ByLink {
                id,
                tenant_id,
                tenant_name,
                email,
                role,
                status: invitation::status(Utc::now().timestamp(), expires_at.timestamp(), accepted, revoked),
                invited_by,
                language,
            }
        },
    ))
}

/// The username of an account that already has this e-mail address (any tenant: run in
/// the platform's scope).
pub async fn account_with_email(db: impl PgExecutor<'_>, email: &str) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT username FROM users WHERE lower(email) = lower($1) ORDER BY created_at LIMIT 1",
    )
    .bind(email)
    .fetch_optional(db)
    .await
}

/// An invitation e-mail waiting for the mailer.
#[derive(sqlx::FromRow)]
pub struct Unmailed {
    pub id: Uuid,
    pub email: String,
    pub mail_token: String,
    pub role: String,
    pub tenant_name: String,
    pub invited_by: String,
    pub expires_at: DateTime<Utc>,
    pub language: Option<String>,
}

/// Invitation e-mails to send (locked; others skip them).
pub async fn unmailed(db: &mut PgConnection, limit: i64) -> Result<Vec<Unmailed>, sqlx::Error> {
    sqlx::query_as(
        "SELECT i.id, i.email, i.mail_token, i.role, t.name AS tenant_name,
                coalesce((SELECT u.display_name FROM users u WHERE u.username = i.invited_by), i.invited_by) AS invited_by,
                i.expires_at, i.language
         FROM invitations i JOIN tenants t ON t.id = i.tenant_id
         WHERE i.mail_token IS NOT NULL ORDER BY i.sent_at LIMIT $1 FOR UPDATE OF i SKIP LOCKED",
    )
    .bind(limit)
    .fetch_all(db)
    .await
}

/// The invitation's e-mail went out: its secret is forgotten.
pub async fn mark_emailed(db: &mut PgConnection, id: Uuid) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE invitations SET mail_token = NULL, emailed_at = now() WHERE id = $1")
        .bind(id)
        .execute(db)
        .await?;
    Ok(())
}

/// A tenant's members, by username.
pub async fn members(db: impl PgExecutor<'_>, tenant: &str) -> Result<Vec<Member>, sqlx::Error> {
    type Raw = (String, String, Option<String>, Vec<String>, bool, DateTime<Utc>, Option<DateTime<Utc>>);
    let rows: Vec<Raw> = sqlx::query_as(
        "SELECT u.username, u.display_name, u.email, u.roles, u.password_hash IS NULL, u.created_at,
                (SELECT max(a.at) FROM audit_log a
                  WHERE a.action = 'auth.sign-in' AND a.actor = u.username AND a.tenant_id = u.tenant_id)
         FROM users u WHERE u.tenant_id = $1 ORDER BY u.username LIMIT 500",
    )
    .bind(tenant)
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(username, display_name, email, roles, provider, created_at, last)| Member {
            last_sign_in: last.map(crate::db::rfc3339),
            username,
            display_name,
            email,
            roles: crate::domain::role::parse_roles(roles.iter().map(String::as_str))
                .iter()
                .map(|r| r.as_str().to_owned())
                .collect(),
            provider,
            created_at: created_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        })
        .collect())
}

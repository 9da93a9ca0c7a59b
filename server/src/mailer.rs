//! Optional e-mail copies of notifications (`SMTP_URL`, `smtp://` or `smtps://`): every
//! notification of a user with an e-mail address is sent once, from the outbox-like
//! `emailed_at` mark; a send that fails stops the pass and is retried on the next one.
//! Notifications older than a day are not mailed (a server that had no SMTP yesterday does
//! not flood anyone today). Invitations are sent the same way, once, and their link is
//! forgotten when sent. A notification's mail is in its recipient's language (their
//! profile's, else English); an invitation's, whose recipient has no profile yet, in the
//! language the inviter chose for it.

use app::db::invitations;
use app::db::scope::{self, Scope};
use app::domain::language::Language;
use app::i18n::message_in;
use lettre::message::header::ContentType;
use lettre::message::Mailbox;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use sqlx::PgPool;
use uuid::Uuid;

/// The SMTP side.
#[derive(Clone)]
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    public_url: String,
}

/// The subject line of a notification kind, in `language` (the page's sentence).
pub fn title(kind: &str, language: Language) -> String {
    let key = format!("notif-{kind}");
    if app::model::notifications::KINDS.contains(&key.trim_start_matches("notif-")) {
        message_in(language, &key, &[])
    } else {
        message_in(language, "notif-heading", &[])
    }
}

#[derive(sqlx::FromRow)]
struct Pending {
    id: Uuid,
    kind: String,
    subject: String,
    link: String,
    reason: Option<String>,
    email: String,
    display_name: String,
    /// The recipient's language (their profile's), else English.
    language: Option<String>,
}

impl Mailer {
    pub fn new(smtp_url: &str, public_url: &str) -> Result<Mailer, String> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(smtp_url)
            .map_err(|e| format!("SMTP_URL: {e}"))?
            .timeout(Some(std::time::Duration::from_secs(10)))
            .build();
        let from = "STOA <no-reply@stoa.local>".parse().map_err(|e| format!("sender: {e}"))?;
        Ok(Mailer { transport, from, public_url: public_url.trim_end_matches('/').to_owned() })
    }

    fn message(&self, p: &Pending) -> Result<Message, String> {
        let to = Mailbox::new(
            Some(p.display_name.clone()),
            p.email.parse().map_err(|e| format!("{}: {e}", p.email))?,
        );
        let language = p.language.as_deref().and_then(Language::parse).unwrap_or_default();
        let title = title(&p.kind, language);
        let mut body = format!("{title}\n\n{}\n", p.subject);
        if let Some(reason) = p.reason.as_deref().filter(|r| !r.is_empty()) {
            body.push_str(&format!("\n{} {reason}\n", message_in(language, "sub-reason", &[])));
        }
        body.push_str(&format!("\n{}{}\n", self.public_url, p.link));
        Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(format!("STOA: {title}"))
            .header(ContentType::TEXT_PLAIN)
            .body(body)
            .map_err(|e| e.to_string())
    }

    /// Sends what waits; returns how many were sent.
    pub async fn send_once(&self, pool: &PgPool) -> Result<usize, String> {
        let mut tx = scope::begin(pool, Scope::Platform).await.map_err(|e| e.to_string())?;
        let pending: Vec<Pending> = sqlx::query_as(
            "SELECT n.id, n.kind, n.subject, n.link, n.data->>'reason' AS reason, u.email, u.display_name,
                    u.preferred_language AS language
             FROM notifications n JOIN users u ON u.id = n.user_id
             WHERE n.emailed_at IS NULL AND u.email IS NOT NULL AND u.email <> ''
               AND n.created_at > now() - interval '1 day'
             ORDER BY n.created_at LIMIT 50 FOR UPDATE OF n SKIP LOCKED",
        )
        .fetch_all(&mut *tx)
        .await
        .map_err(|e| e.to_string())?;
        let mut sent = 0;
        for p in &pending {
            let outcome = match self.message(p) {
                Ok(message) => self.transport.send(message).await.map(|_| ()).map_err(|e| e.to_string()),
                Err(e) => {
                    // An address that cannot be written to: not retried.
                    tracing::warn!(notification = %p.id, error = %e, "notification e-mail skipped");
                    Ok(())
                }
            };
            if let Err(e) = outcome {
                tracing::warn!(error = %e, "notification e-mail failed; will retry");
                break;
            }
            sqlx::query("UPDATE notifications SET emailed_at = now() WHERE id = $1")
                .bind(p.id)
                .execute(&mut *tx)
                .await
                .map_err(|e| e.to_string())?;
            sent += 1;
        }
        tx.commit().await.map_err(|e| e.to_string())?;
        Ok(sent + self.send_invitations(pool).await?)
    }

    fn invitation(&self, i: &invitations::Unmailed) -> Result<Message, String> {
        let to: Mailbox = i.email.parse().map_err(|e| format!("{}: {e}", i.email))?;
        let language = i.language.as_deref().and_then(Language::parse).unwrap_or_default();
        let role = app::domain::role::Role::parse(&i.role).unwrap_or(app::domain::role::Role::Viewer);
        let role = message_in(language, role.label_key(), &[]);
        let args = [
            ("who", i.invited_by.clone().into()),
            ("tenant", i.tenant_name.clone().into()),
            ("role", role.into()),
            ("until", i.expires_at.format("%Y-%m-%d %H:%M").to_string().into()),
            ("link", format!("{}/invitations/{}", self.public_url, i.mail_token).into()),
        ];
        Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(message_in(language, "invite-mail-subject", &args))
            .header(ContentType::TEXT_PLAIN)
            .body(message_in(language, "invite-mail-body", &args) + "\n")
            .map_err(|e| e.to_string())
    }

    /// Sends the invitations that wait; their links are forgotten once sent.
    async fn send_invitations(&self, pool: &PgPool) -> Result<usize, String> {
        let mut tx = scope::begin(pool, Scope::Platform).await.map_err(|e| e.to_string())?;
        let pending = invitations::unmailed(&mut tx, 50).await.map_err(|e| e.to_string())?;
        let mut sent = 0;
        for i in &pending {
            let outcome = match self.invitation(i) {
                Ok(message) => self.transport.send(message).await.map(|_| ()).map_err(|e| e.to_string()),
                Err(e) => {
                    tracing::warn!(invitation = %i.id, error = %e, "invitation e-mail skipped");
                    Ok(())
                }
            };
            if let Err(e) = outcome {
                tracing::warn!(error = %e, "invitation e-mail failed; will retry");
                break;
            }
            invitations::mark_emailed(&mut tx, i.id).await.map_err(|e| e.to_string())?;
            sent += 1;
        }
        tx.commit().await.map_err(|e| e.to_string())?;
        Ok(sent)
    }

    /// Sends every `period` until shutdown.
    pub async fn run(
        self,
        pool: PgPool,
        period: std::time::Duration,
        shutdown: tokio_util::sync::CancellationToken,
    ) {
        crate::every(period, shutdown, || async {
            if let Err(e) = self.send_once(&pool).await {
                tracing::warn!(error = %e, "notification e-mail pass failed");
            }
        })
        .await
    }
}

//! The outbox sender: a background task that claims due mails (`FOR UPDATE SKIP LOCKED`, so any number of
//! instances can run it) and sends them over SMTP, retrying failures with backoff. Without an SMTP server
//! configured it moves pending mails to `held`, where administrators read them in the outbox.

use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use crewplots_domain::accounts::DueMail;
use crewplots_domain::ports::Outbox;
use lettre::message::{header::ContentType, Mailbox};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use secrecy::{ExposeSecret, SecretString};

/// A mail that failed this many times is given up (status `failed`).
const MAX_ATTEMPTS: i32 = 8;

/// Sends mails from the outbox.
pub struct Mailer {
    outbox: Arc<dyn Outbox>,
    transport: Option<AsyncSmtpTransport<Tokio1Executor>>,
    from: Mailbox,
    interval: Duration,
}

impl std::fmt::Debug for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Mailer")
            .field("smtp", &self.transport.is_some())
            .field("from", &self.from.to_string())
            .finish()
    }
}

impl Mailer {
    /// Prepares the sender; fails on a malformed SMTP URL or sender address.
    pub fn new(
        outbox: Arc<dyn Outbox>,
        smtp_url: Option<&SecretString>,
        from: &str,
        interval: Duration,
    ) -> anyhow::Result<Self> {
        let transport = smtp_url
            .map(|url| {
                AsyncSmtpTransport::<Tokio1Executor>::from_url(url.expose_secret())
                    .map(|b| b.timeout(Some(Duration::from_secs(20))).build())
                    .map_err(|_| anyhow::anyhow!("SMTP_URL is not a valid SMTP URL"))
            })
            .transpose()?;
        let from = from
            .parse::<Mailbox>()
            .map_err(|_| anyhow::anyhow!("MAIL_FROM is not a valid address"))?;
        Ok(Self {
            outbox,
            transport,
            from,
            interval,
        })
    }

    /// Runs forever (until the runtime stops).
    pub async fn run(self) {
        loop {
            if let Err(error) = self.tick().await {
                tracing::warn!(%error, "outbox round failed");
            }
            tokio::time::sleep(self.interval).await;
        }
    }

    /// One round: send (or hold) what is due. Returns how many mails were handled.
    pub async fn tick(&self) -> anyhow::Result<usize> {
        let Some(transport) = &self.transport else {
            let held = self.outbox.hold_pending().await?;
            return Ok(usize::try_from(held).unwrap_or(usize::MAX));
        };
        let due = self.outbox.claim_due(20).await?;
        for mail in &due {
            match self.send(transport, mail).await {
                Ok(()) => {
                    self.outbox.mark_sent(mail.id).await?;
                    tracing::info!(mail = %mail.id, "mail sent");
                }
                Err(error) => {
                    let retry_at = (mail.attempts < MAX_ATTEMPTS).then(|| {
                        let backoff = 30_i64.saturating_mul(1 << mail.attempts.clamp(0, 10));
                        Utc::now() + chrono::Duration::seconds(backoff)
                    });
                    tracing::warn!(mail = %mail.id, attempts = mail.attempts, %error, "mail not sent");
                    self.outbox.mark_failed(mail.id, &error, retry_at).await?;
                }
            }
        }
        Ok(due.len())
    }

    async fn send(
        &self,
        transport: &AsyncSmtpTransport<Tokio1Executor>,
        mail: &DueMail,
    ) -> Result<(), String> {
        let to = mail
            .to
            .parse::<Mailbox>()
            .map_err(|_| "recipient address is not valid".to_string())?;
        let message = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(mail.subject.clone())
            .header(ContentType::TEXT_PLAIN)
            .body(mail.body.clone())
            .map_err(|e| format!("cannot build the message: {e}"))?;
        transport
            .send(message)
            .await
            .map(|_| ())
            .map_err(|e| format!("SMTP: {e}"))
    }
}

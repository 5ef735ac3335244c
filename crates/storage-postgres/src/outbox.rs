use async_trait::async_trait;
use chrono::{DateTime, Utc};
use crewplots_domain::accounts::{DueMail, MailAttachment, OutboxMail, Page, PageRequest};
use crewplots_domain::ports::{Outbox, StoreResult};
use uuid::Uuid;

use crate::store::{db_error, PgStore};

/// How long a claimed mail is reserved for the sender that claimed it.
const CLAIM_LEASE: &str = "5 minutes";

#[async_trait]
impl Outbox for PgStore {
    async fn list(&self, page: PageRequest) -> StoreResult<Page<OutboxMail>> {
        let client = self.client().await?;
        let limit = i64::from(page.limit.clamp(1, 200));
        let (at, id) = page.after.map_or((None, None), |(a, i)| (Some(a), Some(i)));
        let rows = client
            .query(
                "SELECT id, to_address, subject, body_redacted, status, created_at, sent_at FROM email_outbox
                 WHERE $1::TIMESTAMPTZ IS NULL OR (created_at, id) < ($1, $2)
                 ORDER BY created_at DESC, id DESC LIMIT $3",
                &[&at, &id, &(limit + 1)],
            )
            .await
            .map_err(db_error)?;
        let mut items: Vec<OutboxMail> = rows
            .iter()
            .map(|r| OutboxMail {
                id: r.get(0),
                to: r.get(1),
                subject: r.get(2),
                body_redacted: r.get(3),
                status: r.get(4),
                created_at: r.get(5),
                sent_at: r.get(6),
            })
            .collect();
        let next = if items.len() as i64 > limit {
            items.truncate(limit as usize);
            items.last().map(|m| (m.created_at, m.id))
        } else {
            None
        };
        Ok(Page { items, next })
    }

    async fn claim_due(&self, limit: i64) -> StoreResult<Vec<DueMail>> {
        let client = self.client().await?;
        let rows = client
            .query(
                &format!(
                    "UPDATE email_outbox SET attempts = attempts + 1, next_attempt_at = now() + interval '{CLAIM_LEASE}'
                     WHERE id IN (SELECT id FROM email_outbox
                                  WHERE status = 'pending' AND next_attempt_at <= now()
                                  ORDER BY next_attempt_at LIMIT $1 FOR UPDATE SKIP LOCKED)
                     RETURNING id, to_address, subject, body_text, attempts, attachment_name, attachment_type, attachment"
                ),
                &[&limit],
            )
            .await
            .map_err(db_error)?;
        Ok(rows
            .iter()
            .map(|r| DueMail {
                id: r.get(0),
                to: r.get(1),
                subject: r.get(2),
                body: r.get(3),
                attempts: r.get(4),
                attachment: r
                    .get::<_, Option<String>>(5)
                    .map(|file_name| MailAttachment {
                        file_name,
                        content_type: r
                            .get::<_, Option<String>>(6)
                            .unwrap_or_else(|| "application/octet-stream".into()),
                        content: r.get::<_, Option<Vec<u8>>>(7).unwrap_or_default(),
                    }),
            })
            .collect())
    }

    async fn mark_sent(&self, id: Uuid) -> StoreResult<()> {
        let client = self.client().await?;
        // Once sent, the copy with live tokens is no longer needed.
        client
            .execute(
                "UPDATE email_outbox SET status = 'sent', sent_at = now(), body_text = body_redacted, last_error = NULL
                 WHERE id = $1",
                &[&id],
            )
            .await
            .map_err(db_error)?;
        Ok(())
    }

    async fn mark_failed(
        &self,
        id: Uuid,
        error: &str,
        retry_at: Option<DateTime<Utc>>,
    ) -> StoreResult<()> {
        let client = self.client().await?;
        client
            .execute(
                "UPDATE email_outbox SET last_error = $2,
                        status = CASE WHEN $3::TIMESTAMPTZ IS NULL THEN 'failed' ELSE 'pending' END,
                        next_attempt_at = COALESCE($3, next_attempt_at)
                 WHERE id = $1",
                &[&id, &error, &retry_at],
            )
            .await
            .map_err(db_error)?;
        Ok(())
    }

    async fn hold_pending(&self) -> StoreResult<u64> {
        let client = self.client().await?;
        client
            .execute(
                "UPDATE email_outbox SET status = 'held' WHERE status = 'pending'",
                &[],
            )
            .await
            .map_err(db_error)
    }
}

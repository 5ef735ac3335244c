//! Read confirmations of must-read articles ([`KnowledgeReading`]).

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use crewplots_domain::knowledge::ports::KnowledgeReading;
use crewplots_domain::knowledge::{ArticleSummary, Reader};
use crewplots_domain::policy::LocationScope;
use crewplots_domain::ports::StoreResult;
use uuid::Uuid;

use super::{scope_param, summary, SUMMARY_COLUMNS};
use crate::store::{db_error, CachedQuery, PgStore};

/// The audience of an article at `$2` (`NULL`: every location): active crew members and floor managers with
/// an active assignment there, limited to the viewer's scope `$3`.
const AUDIENCE: &str = "
    SELECT u.id, u.first_name || ' ' || u.last_name AS name, c.version, c.confirmed_at
    FROM users u
    LEFT JOIN kb_read_confirmations c ON c.user_id = u.id AND c.article_id = $1
    WHERE u.status = 'active' AND u.role IN ('crew_member', 'floor_manager')
      AND EXISTS (SELECT 1 FROM user_locations ul
                  WHERE ul.user_id = u.id AND ul.status <> 'inactive'
                    AND ($2::UUID IS NULL OR ul.location_id = $2)
                    AND ($3::UUID[] IS NULL OR ul.location_id = ANY($3)))
    ORDER BY lower(u.first_name), lower(u.last_name), u.id";

#[async_trait]
impl KnowledgeReading for PgStore {
    async fn confirm_read(
        &self,
        article: Uuid,
        user: Uuid,
        version: i32,
    ) -> StoreResult<DateTime<Utc>> {
        let client = self.client().await?;
        let row = client
            .query_one(
                "INSERT INTO kb_read_confirmations (article_id, user_id, version) VALUES ($1, $2, $3)
                 ON CONFLICT (article_id, user_id)
                 DO UPDATE SET version = EXCLUDED.version, confirmed_at = now()
                 RETURNING confirmed_at",
                &[&article, &user, &version],
            )
            .await
            .map_err(db_error)?;
        Ok(row.get(0))
    }

    async fn confirmation(
        &self,
        article: Uuid,
        user: Uuid,
    ) -> StoreResult<Option<(i32, DateTime<Utc>)>> {
        let client = self.client().await?;
        let row = client
            .q_opt(
                "SELECT version, confirmed_at FROM kb_read_confirmations WHERE article_id = $1 AND user_id = $2",
                &[&article, &user],
            )
            .await
            .map_err(db_error)?;
        Ok(row.map(|r| (r.get(0), r.get(1))))
    }

    async fn audience(
        &self,
        article: Uuid,
        location: Option<Uuid>,
        scope: &LocationScope,
    ) -> StoreResult<Vec<Reader>> {
        let client = self.client().await?;
        let rows = client
            .q(AUDIENCE, &[&article, &location, &scope_param(scope)])
            .await
            .map_err(db_error)?;
        Ok(rows
            .iter()
            .map(|row| Reader {
                id: row.get("id"),
                name: row.get("name"),
                confirmed: row
                    .get::<_, Option<i32>>("version")
                    .zip(row.get::<_, Option<DateTime<Utc>>>("confirmed_at")),
            })
            .collect())
    }

    async fn unconfirmed_must_read(
        &self,
        user: Uuid,
        locations: &[Uuid],
    ) -> StoreResult<Vec<ArticleSummary>> {
        let client = self.client().await?;
        let rows = client
            .q(
                &format!(
                    "SELECT {SUMMARY_COLUMNS} FROM kb_articles a LEFT JOIN users ub ON ub.id = a.updated_by
                     WHERE a.must_read AND a.state = 'published'
                       AND (a.location_id IS NULL OR a.location_id = ANY($2))
                       AND NOT EXISTS (SELECT 1 FROM kb_read_confirmations c
                                       WHERE c.article_id = a.id AND c.user_id = $1
                                         AND c.version >= COALESCE(a.confirm_from_version, 1))
                     ORDER BY a.published_at, a.id"
                ),
                &[&user, &locations],
            )
            .await
            .map_err(db_error)?;
        rows.iter().map(summary).collect()
    }
}

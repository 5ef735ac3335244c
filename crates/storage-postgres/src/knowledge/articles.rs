//! Articles and their versions ([`KnowledgeArticles`]).

use async_trait::async_trait;
use crewplots_domain::accounts::{AuditEvent, Page, PageRequest};
use crewplots_domain::knowledge::ports::{ArticleFilter, KnowledgeArticles};
use crewplots_domain::knowledge::{Article, ArticleContent, ArticleSummary, ArticleVersion, Named};
use crewplots_domain::ports::{StoreError, StoreResult};
use deadpool_postgres::GenericClient;
use tokio_postgres::Row;
use uuid::Uuid;

use super::{article, scope_param, summary, SUMMARY_COLUMNS};
use crate::store::{db_error, insert_audit, CachedQuery, PgStore};

fn article_sql() -> String {
    format!(
        "SELECT {SUMMARY_COLUMNS}, a.body_html, a.confirm_from_version
         FROM kb_articles a LEFT JOIN users ub ON ub.id = a.updated_by WHERE a.id = $1"
    )
}

async fn load(client: &impl GenericClient, id: Uuid) -> StoreResult<Option<Article>> {
    let row = client
        .q_opt(&article_sql(), &[&id])
        .await
        .map_err(db_error)?;
    row.as_ref().map(article).transpose()
}

async fn insert_version(
    client: &impl GenericClient,
    id: Uuid,
    version: i32,
    content: &ArticleContent,
    author: Uuid,
) -> StoreResult<()> {
    client
        .execute(
            "INSERT INTO kb_article_versions (article_id, version, title, body_html, category_id, must_read, saved_by)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
            &[
                &id,
                &version,
                &content.title,
                &content.body_html,
                &content.category,
                &content.must_read,
                &author,
            ],
        )
        .await
        .map_err(db_error)?;
    Ok(())
}

fn version_row(row: &Row) -> ArticleVersion {
    ArticleVersion {
        version: row.get("version"),
        title: row.get("title"),
        body_html: row.get("body_html"),
        category: row.get("category_id"),
        must_read: row.get("must_read"),
        saved_by: row.get::<_, Option<Uuid>>("saved_by").map(|id| Named {
            id,
            name: row.get("saved_by_name"),
        }),
        saved_at: row.get("saved_at"),
    }
}

const VERSION_COLUMNS: &str =
    "v.version, v.title, v.body_html, v.category_id, v.must_read, v.saved_by,
    u.first_name || ' ' || u.last_name AS saved_by_name, v.saved_at";

#[async_trait]
impl KnowledgeArticles for PgStore {
    async fn create_article(
        &self,
        id: Uuid,
        location: Option<Uuid>,
        content: ArticleContent,
        author: Uuid,
    ) -> StoreResult<Article> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(db_error)?;
        tx.execute(
            "INSERT INTO kb_articles (id, location_id, category_id, title, body_html, body_text, must_read,
                                      created_by, updated_by)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)",
            &[
                &id,
                &location,
                &content.category,
                &content.title,
                &content.body_html,
                &content.body_text,
                &content.must_read,
                &author,
            ],
        )
        .await
        .map_err(db_error)?;
        insert_version(&tx, id, 1, &content, author).await?;
        let created = load(&tx, id).await?.ok_or(StoreError::NotFound)?;
        tx.commit().await.map_err(db_error)?;
        Ok(created)
    }

    async fn article(&self, id: Uuid) -> StoreResult<Option<Article>> {
        let client = self.client().await?;
        load(&client, id).await
    }

    async fn articles(
        &self,
        filter: &ArticleFilter,
        page: PageRequest,
    ) -> StoreResult<Page<ArticleSummary>> {
        let client = self.client().await?;
        let sql = format!(
            "SELECT {SUMMARY_COLUMNS} FROM kb_articles a LEFT JOIN users ub ON ub.id = a.updated_by
             WHERE ((a.state = 'published' AND (a.location_id IS NULL OR $1::UUID[] IS NULL OR a.location_id = ANY($1)))
                    OR (a.state = 'draft' AND $2::BOOLEAN AND ($3::UUID[] IS NULL OR a.location_id = ANY($3))))
               AND ($4::UUID IS NULL OR a.location_id = $4 OR a.location_id IS NULL)
               AND ($5::UUID IS NULL OR a.category_id = $5)
               AND ($6::TEXT IS NULL OR a.state = $6)
               AND ($7::TIMESTAMPTZ IS NULL OR (a.updated_at, a.id) < ($7, $8))
             ORDER BY a.updated_at DESC, a.id DESC
             LIMIT $9"
        );
        let (after_at, after_id) = match page.after {
            Some((at, id)) => (Some(at), Some(id)),
            None => (None, None),
        };
        let drafts = filter.drafts.is_some();
        let draft_ids = filter.drafts.as_ref().map_or(Some(Vec::new()), scope_param);
        let limit = i64::from(page.limit) + 1;
        let rows = client
            .q(
                &sql,
                &[
                    &scope_param(&filter.read),
                    &drafts,
                    &draft_ids,
                    &filter.location,
                    &filter.category,
                    &filter.state.map(|s| s.as_str()),
                    &after_at,
                    &after_id,
                    &limit,
                ],
            )
            .await
            .map_err(db_error)?;
        let mut items = rows.iter().map(summary).collect::<StoreResult<Vec<_>>>()?;
        let next = if items.len() > page.limit as usize {
            items.truncate(page.limit as usize);
            items.last().map(|a| (a.updated_at, a.id))
        } else {
            None
        };
        Ok(Page { items, next })
    }

    async fn save_article(
        &self,
        id: Uuid,
        expected_version: i32,
        content: ArticleContent,
        author: Uuid,
        reconfirm: bool,
        audit: Option<AuditEvent>,
    ) -> StoreResult<Article> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(db_error)?;
        let updated = tx
            .query_opt(
                "UPDATE kb_articles
                 SET category_id = $3, title = $4, body_html = $5, body_text = $6, must_read = $7,
                     version = version + 1, updated_by = $8, updated_at = now(),
                     confirm_from_version = CASE WHEN $9 AND state = 'published' THEN version + 1
                                                 ELSE confirm_from_version END
                 WHERE id = $1 AND version = $2
                 RETURNING version",
                &[
                    &id,
                    &expected_version,
                    &content.category,
                    &content.title,
                    &content.body_html,
                    &content.body_text,
                    &content.must_read,
                    &author,
                    &reconfirm,
                ],
            )
            .await
            .map_err(db_error)?;
        let Some(row) = updated else {
            let exists = tx
                .query_opt("SELECT 1 FROM kb_articles WHERE id = $1", &[&id])
                .await
                .map_err(db_error)?
                .is_some();
            return Err(if exists {
                StoreError::Conflict("version")
            } else {
                StoreError::NotFound
            });
        };
        let version: i32 = row.get(0);
        insert_version(&tx, id, version, &content, author).await?;
        if let Some(audit) = audit {
            insert_audit(&tx, &audit).await?;
        }
        let saved = load(&tx, id).await?.ok_or(StoreError::NotFound)?;
        tx.commit().await.map_err(db_error)?;
        Ok(saved)
    }

    async fn publish_article(
        &self,
        id: Uuid,
        reconfirm: bool,
        actor: Uuid,
        audit: AuditEvent,
    ) -> StoreResult<Article> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(db_error)?;
        let changed = tx
            .execute(
                "UPDATE kb_articles
                 SET state = 'published', published_at = now(), updated_by = $3, updated_at = now(),
                     confirm_from_version = CASE WHEN $2 OR confirm_from_version IS NULL THEN version
                                                 ELSE confirm_from_version END
                 WHERE id = $1",
                &[&id, &reconfirm, &actor],
            )
            .await
            .map_err(db_error)?;
        if changed == 0 {
            return Err(StoreError::NotFound);
        }
        insert_audit(&tx, &audit).await?;
        let published = load(&tx, id).await?.ok_or(StoreError::NotFound)?;
        tx.commit().await.map_err(db_error)?;
        Ok(published)
    }

    async fn unpublish_article(
        &self,
        id: Uuid,
        actor: Uuid,
        audit: AuditEvent,
    ) -> StoreResult<Article> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(db_error)?;
        let changed = tx
            .execute(
                "UPDATE kb_articles SET state = 'draft', updated_by = $2, updated_at = now() WHERE id = $1",
                &[&id, &actor],
            )
            .await
            .map_err(db_error)?;
        if changed == 0 {
            return Err(StoreError::NotFound);
        }
        insert_audit(&tx, &audit).await?;
        let article = load(&tx, id).await?.ok_or(StoreError::NotFound)?;
        tx.commit().await.map_err(db_error)?;
        Ok(article)
    }

    async fn delete_article(&self, id: Uuid, audit: AuditEvent) -> StoreResult<()> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(db_error)?;
        let deleted = tx
            .execute("DELETE FROM kb_articles WHERE id = $1", &[&id])
            .await
            .map_err(db_error)?;
        if deleted == 0 {
            return Err(StoreError::NotFound);
        }
        insert_audit(&tx, &audit).await?;
        tx.commit().await.map_err(db_error)
    }

    async fn versions(&self, id: Uuid) -> StoreResult<Vec<ArticleVersion>> {
        let client = self.client().await?;
        let rows = client
            .q(
                &format!(
                    "SELECT {VERSION_COLUMNS} FROM kb_article_versions v LEFT JOIN users u ON u.id = v.saved_by
                     WHERE v.article_id = $1 ORDER BY v.version DESC"
                ),
                &[&id],
            )
            .await
            .map_err(db_error)?;
        Ok(rows.iter().map(version_row).collect())
    }

    async fn version(&self, id: Uuid, version: i32) -> StoreResult<Option<ArticleVersion>> {
        let client = self.client().await?;
        let row = client
            .q_opt(
                &format!(
                    "SELECT {VERSION_COLUMNS} FROM kb_article_versions v LEFT JOIN users u ON u.id = v.saved_by
                     WHERE v.article_id = $1 AND v.version = $2"
                ),
                &[&id, &version],
            )
            .await
            .map_err(db_error)?;
        Ok(row.as_ref().map(version_row))
    }
}

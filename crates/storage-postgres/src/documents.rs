use async_trait::async_trait;
use crewplots_domain::accounts::AuditEvent;
use crewplots_domain::documents::{Document, DocumentKind, ReviewState, SniffedType};
use crewplots_domain::policy::LocationScope;
use crewplots_domain::ports::{DocumentStore, StoreError, StoreResult};
use tokio_postgres::Row;
use uuid::Uuid;

use crate::store::{db_error, insert_audit, PgStore};

fn document(row: &Row) -> Result<Document, StoreError> {
    let kind: String = row.get("kind");
    let content_type: String = row.get("content_type");
    let state: String = row.get("review_state");
    Ok(Document {
        id: row.get("id"),
        owner_id: row.get("owner_id"),
        kind: DocumentKind::parse(&kind)
            .ok_or_else(|| StoreError::Other(format!("unknown kind {kind}")))?,
        content_type: SniffedType::from_mime(&content_type)
            .ok_or_else(|| StoreError::Other(format!("unknown type {content_type}")))?,
        size_bytes: row.get("size_bytes"),
        expires_on: row.get("expires_on"),
        review_state: ReviewState::parse(&state)
            .ok_or_else(|| StoreError::Other(format!("unknown state {state}")))?,
        reviewed_by: row.get("reviewed_by"),
        reviewed_at: row.get("reviewed_at"),
        review_reason: row.get("review_reason"),
        uploaded_by: row.get("uploaded_by"),
        uploaded_at: row.get("uploaded_at"),
        gridfs_id: row.get("gridfs_id"),
    })
}

/// The documents' owner `u` belongs to the scope `$1` (`NULL`: every location): signed up or works there, and
/// is not an administrator. The review queue, the expiring list and the dashboard's counts share it.
pub(crate) const OWNER_IN_SCOPE: &str = "($1::UUID[] IS NULL OR (u.role <> 'administrator' AND (
    u.signup_location_id = ANY($1)
    OR EXISTS (SELECT 1 FROM user_locations ul WHERE ul.user_id = u.id AND ul.location_id = ANY($1)))))";

/// The conditions of the expiring list (`$2`: days ahead) and the review queue.
pub(crate) const EXPIRING: &str = "d.expires_on <= current_date + $2::INTEGER";
pub(crate) const AWAITING_REVIEW: &str = "d.review_state = 'pending'";

impl PgStore {
    /// Documents matching `condition` (which may use `$2`, bound to `number`) of the people in `scope`.
    async fn queue(
        &self,
        condition: &str,
        order: &str,
        scope: &LocationScope,
        number: i32,
    ) -> StoreResult<Vec<(Document, String)>> {
        let client = self.client().await?;
        let locations: Option<Vec<Uuid>> = match scope {
            LocationScope::All => None,
            LocationScope::Only(ids) => Some(ids.clone()),
        };
        let rows = client
            .query(
                &format!(
                    "SELECT d.*, u.first_name || ' ' || u.last_name AS owner_name
                     FROM documents d JOIN users u ON u.id = d.owner_id
                     WHERE {condition} AND {OWNER_IN_SCOPE}
                     ORDER BY {order} LIMIT 500"
                ),
                &[&locations, &number],
            )
            .await
            .map_err(db_error)?;
        rows.iter()
            .map(|row| Ok((document(row)?, row.get("owner_name"))))
            .collect()
    }
}

#[async_trait]
impl DocumentStore for PgStore {
    async fn insert(&self, d: Document, audit: AuditEvent) -> StoreResult<Document> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(db_error)?;
        let row = tx
            .query_one(
                "INSERT INTO documents (id, owner_id, kind, content_type, size_bytes, expires_on, uploaded_by, gridfs_id)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING *",
                &[
                    &d.id,
                    &d.owner_id,
                    &d.kind.as_str(),
                    &d.content_type.mime(),
                    &d.size_bytes,
                    &d.expires_on,
                    &d.uploaded_by,
                    &d.gridfs_id,
                ],
            )
            .await
            .map_err(db_error)?;
        insert_audit(&tx, &audit).await?;
        tx.commit().await.map_err(db_error)?;
        document(&row)
    }

    async fn get(&self, id: Uuid) -> StoreResult<Option<Document>> {
        let client = self.client().await?;
        let row = client
            .query_opt("SELECT * FROM documents WHERE id = $1", &[&id])
            .await
            .map_err(db_error)?;
        row.as_ref().map(document).transpose()
    }

    async fn list_for_owner(&self, owner: Uuid) -> StoreResult<Vec<Document>> {
        let client = self.client().await?;
        let rows = client
            .query(
                "SELECT * FROM documents WHERE owner_id = $1 ORDER BY uploaded_at DESC, id",
                &[&owner],
            )
            .await
            .map_err(db_error)?;
        rows.iter().map(document).collect()
    }

    async fn delete(&self, id: Uuid, audit: AuditEvent) -> StoreResult<Option<Document>> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(db_error)?;
        let row = tx
            .query_opt("DELETE FROM documents WHERE id = $1 RETURNING *", &[&id])
            .await
            .map_err(db_error)?;
        if row.is_some() {
            insert_audit(&tx, &audit).await?;
        }
        tx.commit().await.map_err(db_error)?;
        row.as_ref().map(document).transpose()
    }

    async fn review(
        &self,
        id: Uuid,
        state: ReviewState,
        reviewer: Uuid,
        reason: Option<String>,
        audit: AuditEvent,
    ) -> StoreResult<Document> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(db_error)?;
        let row = tx
            .query_opt(
                "UPDATE documents SET review_state = $2, reviewed_by = $3, reviewed_at = now(), review_reason = $4
                 WHERE id = $1 RETURNING *",
                &[&id, &state.as_str(), &reviewer, &reason],
            )
            .await
            .map_err(db_error)?
            .ok_or(StoreError::NotFound)?;
        insert_audit(&tx, &audit).await?;
        tx.commit().await.map_err(db_error)?;
        document(&row)
    }

    async fn expiring(
        &self,
        days: u32,
        scope: &LocationScope,
    ) -> StoreResult<Vec<(Document, String)>> {
        let days = i32::try_from(days.min(3650)).unwrap_or(3650);
        self.queue(EXPIRING, "d.expires_on, d.id", scope, days)
            .await
    }

    async fn pending_review(&self, scope: &LocationScope) -> StoreResult<Vec<(Document, String)>> {
        self.queue(
            &format!("{AWAITING_REVIEW} AND $2::INTEGER IS NOT NULL"),
            "d.uploaded_at, d.id",
            scope,
            0,
        )
        .await
    }

    async fn known_content_ids(&self) -> StoreResult<Vec<String>> {
        let client = self.client().await?;
        let rows = client
            .query(
                // Till receipts of cash counts live in the same bucket.
                "SELECT gridfs_id FROM documents UNION ALL SELECT gridfs_id FROM cash_count_receipts",
                &[],
            )
            .await
            .map_err(db_error)?;
        Ok(rows.iter().map(|r| r.get(0)).collect())
    }
}

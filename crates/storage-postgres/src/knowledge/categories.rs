//! Categories ([`KnowledgeCategories`]).

use async_trait::async_trait;
use crewplots_domain::accounts::AuditEvent;
use crewplots_domain::knowledge::ports::KnowledgeCategories;
use crewplots_domain::knowledge::Category;
use crewplots_domain::policy::LocationScope;
use crewplots_domain::ports::{StoreError, StoreResult};
use tokio_postgres::error::SqlState;
use tokio_postgres::Row;
use uuid::Uuid;

use super::scope_param;
use crate::store::{db_error, insert_audit, CachedQuery, PgStore};

fn category(row: &Row) -> Category {
    Category {
        id: row.get("id"),
        location: row.get("location_id"),
        name: row.get("name"),
        sort_order: row.get("sort_order"),
    }
}

fn name_conflict(error: tokio_postgres::Error) -> StoreError {
    if error.code() == Some(&SqlState::UNIQUE_VIOLATION) {
        StoreError::Conflict("name")
    } else {
        db_error(error)
    }
}

#[async_trait]
impl KnowledgeCategories for PgStore {
    async fn categories(
        &self,
        read: &LocationScope,
        location: Option<Uuid>,
    ) -> StoreResult<Vec<Category>> {
        let client = self.client().await?;
        let rows = client
            .q(
                "SELECT id, location_id, name, sort_order FROM kb_categories
                 WHERE location_id IS NULL
                    OR (($1::UUID[] IS NULL OR location_id = ANY($1)) AND ($2::UUID IS NULL OR location_id = $2))
                 ORDER BY sort_order, lower(name), id",
                &[&scope_param(read), &location],
            )
            .await
            .map_err(db_error)?;
        Ok(rows.iter().map(category).collect())
    }

    async fn category(&self, id: Uuid) -> StoreResult<Option<Category>> {
        let client = self.client().await?;
        let row = client
            .q_opt(
                "SELECT id, location_id, name, sort_order FROM kb_categories WHERE id = $1",
                &[&id],
            )
            .await
            .map_err(db_error)?;
        Ok(row.as_ref().map(category))
    }

    async fn create_category(&self, new: Category) -> StoreResult<Category> {
        let client = self.client().await?;
        let row = client
            .query_one(
                "INSERT INTO kb_categories (id, location_id, name, sort_order) VALUES ($1, $2, $3, $4)
                 RETURNING id, location_id, name, sort_order",
                &[&new.id, &new.location, &new.name, &new.sort_order],
            )
            .await
            .map_err(name_conflict)?;
        Ok(category(&row))
    }

    async fn update_category(&self, changed: Category) -> StoreResult<Category> {
        let client = self.client().await?;
        let row = client
            .query_opt(
                "UPDATE kb_categories SET name = $2, sort_order = $3 WHERE id = $1
                 RETURNING id, location_id, name, sort_order",
                &[&changed.id, &changed.name, &changed.sort_order],
            )
            .await
            .map_err(name_conflict)?
            .ok_or(StoreError::NotFound)?;
        Ok(category(&row))
    }

    async fn delete_category(&self, id: Uuid, audit: AuditEvent) -> StoreResult<()> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(db_error)?;
        let deleted = tx
            .execute("DELETE FROM kb_categories WHERE id = $1", &[&id])
            .await
            .map_err(db_error)?;
        if deleted == 0 {
            return Err(StoreError::NotFound);
        }
        insert_audit(&tx, &audit).await?;
        tx.commit().await.map_err(db_error)
    }
}

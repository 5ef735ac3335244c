use async_trait::async_trait;
use crewplots_domain::accounts::{AuditEvent, Location};
use crewplots_domain::ports::{LocationStore, StoreResult};
use tokio_postgres::Row;
use uuid::Uuid;

use crate::store::{db_error, insert_audit, PgStore};

fn location(row: &Row) -> Location {
    Location {
        id: row.get("id"),
        name: row.get("name"),
        timezone: row.get("timezone"),
        active: row.get("active"),
        application_code: row.get("application_code"),
    }
}

#[async_trait]
impl LocationStore for PgStore {
    async fn list(&self, only: Option<&[Uuid]>) -> StoreResult<Vec<Location>> {
        let client = self.client().await?;
        let rows =
            match only {
                None => {
                    client
                        .query(
                            "SELECT * FROM locations ORDER BY active DESC, name, id",
                            &[],
                        )
                        .await
                }
                Some(ids) => client
                    .query(
                        "SELECT * FROM locations WHERE id = ANY($1) ORDER BY active DESC, name, id",
                        &[&ids],
                    )
                    .await,
            }
            .map_err(db_error)?;
        Ok(rows.iter().map(location).collect())
    }

    async fn by_code(&self, code: &str) -> StoreResult<Option<Location>> {
        let client = self.client().await?;
        let row = client
            .query_opt(
                "SELECT * FROM locations WHERE application_code = upper($1) AND active",
                &[&code],
            )
            .await
            .map_err(db_error)?;
        Ok(row.as_ref().map(location))
    }

    async fn create(&self, new: Location, audit: AuditEvent) -> StoreResult<Location> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(db_error)?;
        let row = tx
            .query_one(
                "INSERT INTO locations (id, name, timezone, active, application_code)
                 VALUES ($1, $2, $3, $4, $5) RETURNING *",
                &[
                    &new.id,
                    &new.name,
                    &new.timezone,
                    &new.active,
                    &new.application_code,
                ],
            )
            .await
            .map_err(db_error)?;
        insert_audit(&tx, &audit).await?;
        tx.commit().await.map_err(db_error)?;
        Ok(location(&row))
    }

    async fn existing(&self, ids: &[Uuid]) -> StoreResult<Vec<Uuid>> {
        let client = self.client().await?;
        let rows = client
            .query("SELECT id FROM locations WHERE id = ANY($1)", &[&ids])
            .await
            .map_err(db_error)?;
        Ok(rows.iter().map(|r| r.get(0)).collect())
    }
}

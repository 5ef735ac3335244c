use async_trait::async_trait;
use crewplots_domain::accounts::{AuditEvent, Location};
use crewplots_domain::hiring::PersonRef;
use crewplots_domain::ports::{LocationStore, StoreError, StoreResult};
use tokio_postgres::Row;
use uuid::Uuid;

use crate::store::{db_error, insert_audit, person_ref, PgStore};

fn location(row: &Row) -> Location {
    Location {
        id: row.get("id"),
        name: row.get("name"),
        timezone: row.get("timezone"),
        active: row.get("active"),
        application_code: row.get("application_code"),
        address: row.get("address"),
        contact_email: row.get("contact_email"),
        contact_phone: row.get("contact_phone"),
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
                "INSERT INTO locations (id, name, timezone, active, application_code, address, contact_email,
                                        contact_phone)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING *",
                &[
                    &new.id,
                    &new.name,
                    &new.timezone,
                    &new.active,
                    &new.application_code,
                    &new.address,
                    &new.contact_email,
                    &new.contact_phone,
                ],
            )
            .await
            .map_err(db_error)?;
        insert_audit(&tx, &audit).await?;
        tx.commit().await.map_err(db_error)?;
        Ok(location(&row))
    }

    async fn get(&self, id: Uuid) -> StoreResult<Option<Location>> {
        let client = self.client().await?;
        let row = client
            .query_opt("SELECT * FROM locations WHERE id = $1", &[&id])
            .await
            .map_err(db_error)?;
        Ok(row.as_ref().map(location))
    }

    async fn update(&self, changed: Location, audit: AuditEvent) -> StoreResult<Location> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(db_error)?;
        let row = tx
            .query_opt(
                "UPDATE locations SET name = $2, timezone = $3, active = $4, address = $5, contact_email = $6,
                                      contact_phone = $7, updated_at = now()
                 WHERE id = $1 RETURNING *",
                &[
                    &changed.id,
                    &changed.name,
                    &changed.timezone,
                    &changed.active,
                    &changed.address,
                    &changed.contact_email,
                    &changed.contact_phone,
                ],
            )
            .await
            .map_err(db_error)?
            .ok_or(StoreError::NotFound)?;
        insert_audit(&tx, &audit).await?;
        tx.commit().await.map_err(db_error)?;
        Ok(location(&row))
    }

    async fn staff(&self, id: Uuid) -> StoreResult<Vec<PersonRef>> {
        let client = self.client().await?;
        let rows = client
            .query(
                "SELECT u.id, u.first_name || ' ' || u.last_name AS name, u.role FROM users u
                 WHERE u.status = 'active'
                   AND (u.role = 'administrator'
                        OR (u.role IN ('manager', 'floor_manager') AND EXISTS (
                              SELECT 1 FROM user_locations ul
                              WHERE ul.user_id = u.id AND ul.location_id = $1 AND ul.status = 'active')))
                 ORDER BY u.role = 'administrator', u.first_name, u.last_name, u.id",
                &[&id],
            )
            .await
            .map_err(db_error)?;
        rows.iter().map(person_ref).collect()
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

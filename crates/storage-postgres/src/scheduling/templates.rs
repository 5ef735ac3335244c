//! Week templates: a name and weekday shifts in local wall-clock time.

use async_trait::async_trait;
use chrono::NaiveTime;
use crewplots_domain::accounts::AuditEvent;
use crewplots_domain::ports::{StoreError, StoreResult};
use crewplots_domain::scheduling::model::{TemplateShift, WeekTemplate};
use crewplots_domain::scheduling::ports::TemplateStore;
use crewplots_domain::scheduling::time::{weekday_from_number, weekday_number};
use deadpool_postgres::GenericClient;
use uuid::Uuid;

use super::{other, requirements_from_json, requirements_to_json, small};
use crate::store::{db_error, insert_audit, CachedQuery, PgStore};

/// Templates matching `filter` (`t.location_id` or `t.id`) with their shifts, in two queries.
async fn load(
    client: &impl GenericClient,
    filter: &str,
    id: Uuid,
) -> StoreResult<Vec<WeekTemplate>> {
    let templates_sql = format!(
        "SELECT t.id, t.location_id, t.name, t.updated_at FROM week_templates t WHERE {filter} = $1
         ORDER BY lower(t.name), t.id"
    );
    let shifts_sql = format!(
        "SELECT s.* FROM template_shifts s JOIN week_templates t ON t.id = s.template_id
         WHERE {filter} = $1 ORDER BY s.weekday, s.start_time, s.sort, s.id"
    );
    let templates = async { client.q(&templates_sql, &[&id]).await };
    let shifts = async { client.q(&shifts_sql, &[&id]).await };
    let (templates, shifts) = tokio::try_join!(templates, shifts).map_err(db_error)?;
    templates
        .iter()
        .map(|row| {
            let template_id: Uuid = row.get("id");
            let shifts = shifts
                .iter()
                .filter(|s| s.get::<_, Uuid>("template_id") == template_id)
                .map(|s| {
                    let weekday: i16 = s.get("weekday");
                    Ok(TemplateShift {
                        id: s.get("id"),
                        weekday: u8::try_from(weekday)
                            .ok()
                            .and_then(weekday_from_number)
                            .ok_or_else(|| other("weekday", weekday))?,
                        position_id: s.get("position_id"),
                        start: s.get::<_, NaiveTime>("start_time"),
                        end: s.get::<_, NaiveTime>("end_time"),
                        break_minutes: small(s.get("break_minutes")),
                        slots: small(s.get("slots")),
                        requirements: requirements_from_json(
                            &s.get::<_, serde_json::Value>("requirements"),
                        ),
                        note: s.get("note"),
                    })
                })
                .collect::<StoreResult<Vec<_>>>()?;
            Ok(WeekTemplate {
                id: template_id,
                location_id: row.get("location_id"),
                name: row.get("name"),
                shifts,
                updated_at: row.get("updated_at"),
            })
        })
        .collect()
}

#[async_trait]
impl TemplateStore for PgStore {
    async fn templates(&self, location: Uuid) -> StoreResult<Vec<WeekTemplate>> {
        load(&self.client().await?, "t.location_id", location).await
    }

    async fn template(&self, id: Uuid) -> StoreResult<Option<WeekTemplate>> {
        Ok(load(&self.client().await?, "t.id", id)
            .await?
            .into_iter()
            .next())
    }

    async fn save_template(
        &self,
        template: WeekTemplate,
        audit: AuditEvent,
    ) -> StoreResult<WeekTemplate> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(db_error)?;
        tx.execute(
            "INSERT INTO week_templates (id, location_id, name) VALUES ($1, $2, $3)
             ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, updated_at = now()",
            &[&template.id, &template.location_id, &template.name],
        )
        .await
        .map_err(db_error)?;
        tx.execute(
            "DELETE FROM template_shifts WHERE template_id = $1",
            &[&template.id],
        )
        .await
        .map_err(db_error)?;
        for (sort, shift) in template.shifts.iter().enumerate() {
            tx.execute(
                "INSERT INTO template_shifts (id, template_id, weekday, position_id, start_time, end_time,
                                              break_minutes, slots, requirements, note, sort)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
                &[
                    &shift.id,
                    &template.id,
                    &i16::from(weekday_number(shift.weekday)),
                    &shift.position_id,
                    &shift.start,
                    &shift.end,
                    &i16::try_from(shift.break_minutes).unwrap_or(i16::MAX),
                    &i16::try_from(shift.slots).unwrap_or(i16::MAX),
                    &requirements_to_json(&shift.requirements),
                    &shift.note,
                    &i16::try_from(sort).unwrap_or(i16::MAX),
                ],
            )
            .await
            .map_err(db_error)?;
        }
        insert_audit(&tx, &audit).await?;
        let saved = load(&tx, "t.id", template.id)
            .await?
            .into_iter()
            .next()
            .ok_or(StoreError::NotFound)?;
        tx.commit().await.map_err(db_error)?;
        Ok(saved)
    }

    async fn delete_template(&self, id: Uuid, audit: AuditEvent) -> StoreResult<()> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(db_error)?;
        let deleted = tx
            .execute("DELETE FROM week_templates WHERE id = $1", &[&id])
            .await
            .map_err(db_error)?;
        if deleted == 0 {
            return Err(StoreError::NotFound);
        }
        insert_audit(&tx, &audit).await?;
        tx.commit().await.map_err(db_error)
    }
}

//! Positions, competencies, the roster and competency levels.

use async_trait::async_trait;
use crewplots_domain::accounts::AuditEvent;
use crewplots_domain::hiring::PersonRef;
use crewplots_domain::ports::{StoreError, StoreResult};
use crewplots_domain::scheduling::model::{
    Assessment, Competency, CrewMember, Position, Requirement,
};
use crewplots_domain::scheduling::ports::{Assessments, CrewChange, CrewStore, RosterFilter};
use crewplots_domain::Role;
use deadpool_postgres::GenericClient;
use tokio_postgres::Row;
use uuid::Uuid;

use super::{crew_member, other, CREW_ROLES, CREW_SELECT};
use crate::store::{db_error, insert_audit, CachedQuery, PgStore};

pub(crate) async fn load_positions(
    client: &impl GenericClient,
    filter: &str,
    id: Uuid,
) -> StoreResult<Vec<Position>> {
    let rows = client
        .q(
            &format!(
                "SELECT p.id, p.location_id, p.name, p.archived,
                        COALESCE(array_agg(r.competency_id ORDER BY r.competency_id)
                                 FILTER (WHERE r.competency_id IS NOT NULL), '{{}}') AS req_ids,
                        COALESCE(array_agg(r.min_level ORDER BY r.competency_id)
                                 FILTER (WHERE r.competency_id IS NOT NULL), '{{}}') AS req_levels
                 FROM positions p LEFT JOIN position_requirements r ON r.position_id = p.id
                 WHERE {filter} = $1
                 GROUP BY p.id ORDER BY p.archived, lower(p.name), p.id"
            ),
            &[&id],
        )
        .await
        .map_err(db_error)?;
    Ok(rows.iter().map(position).collect())
}

pub(crate) fn position(row: &Row) -> Position {
    let ids: Vec<Uuid> = row.get("req_ids");
    let levels: Vec<i16> = row.get("req_levels");
    Position {
        id: row.get("id"),
        location_id: row.get("location_id"),
        name: row.get("name"),
        archived: row.get("archived"),
        requirements: ids
            .into_iter()
            .zip(levels)
            .map(|(competency_id, level)| Requirement {
                competency_id,
                min_level: u8::try_from(level).unwrap_or(0),
            })
            .collect(),
    }
}

pub(crate) fn competency(row: &Row) -> Competency {
    Competency {
        id: row.get("id"),
        location_id: row.get("location_id"),
        name: row.get("name"),
        archived: row.get("archived"),
    }
}

pub(crate) async fn load_competencies(
    client: &impl GenericClient,
    location: Uuid,
) -> StoreResult<Vec<Competency>> {
    let rows = client
        .q(
            "SELECT id, location_id, name, archived FROM competencies WHERE location_id = $1
             ORDER BY archived, lower(name), id",
            &[&location],
        )
        .await
        .map_err(db_error)?;
    Ok(rows.iter().map(competency).collect())
}

pub(crate) async fn load_roster(
    client: &impl GenericClient,
    location: Uuid,
    filter: &RosterFilter,
) -> StoreResult<Vec<CrewMember>> {
    let status = filter.status.map(|s| s.as_str());
    let rows = client
        .q(
            &format!(
                "{CREW_SELECT}
                 WHERE ul.location_id = $1 AND {CREW_ROLES}
                   AND ($2::TEXT IS NULL OR ul.status = $2)
                   AND ($3::UUID IS NULL OR EXISTS (SELECT 1 FROM crew_positions cp
                        WHERE cp.user_id = ul.user_id AND cp.location_id = ul.location_id AND cp.position_id = $3))
                 ORDER BY ul.status = 'inactive', u.first_name, u.last_name, u.id"
            ),
            &[&location, &status, &filter.position_id],
        )
        .await
        .map_err(db_error)?;
    rows.iter().map(crew_member).collect()
}

async fn load_member(
    client: &impl GenericClient,
    user: Uuid,
    location: Uuid,
) -> StoreResult<CrewMember> {
    let row = client
        .q_opt(
            &format!("{CREW_SELECT} WHERE ul.user_id = $1 AND ul.location_id = $2"),
            &[&user, &location],
        )
        .await
        .map_err(db_error)?
        .ok_or(StoreError::NotFound)?;
    crew_member(&row)
}

async fn set_positions(client: &impl GenericClient, change: &CrewChange) -> StoreResult<()> {
    client
        .execute(
            "DELETE FROM crew_positions WHERE user_id = $1 AND location_id = $2",
            &[&change.user_id, &change.location_id],
        )
        .await
        .map_err(db_error)?;
    client
        .execute(
            "INSERT INTO crew_positions (user_id, location_id, position_id)
             SELECT $1, $2, p FROM unnest($3::UUID[]) AS p ON CONFLICT DO NOTHING",
            &[&change.user_id, &change.location_id, &change.position_ids],
        )
        .await
        .map_err(db_error)?;
    Ok(())
}

fn hours_text(minutes: Option<u32>) -> Option<String> {
    minutes.map(|m| format!("{:.2}", f64::from(m) / 60.0))
}

fn assessment(row: &Row) -> StoreResult<Assessment> {
    let assessor = match row.get::<_, Option<Uuid>>("assessor_id") {
        None => None,
        Some(id) => {
            let role: String = row.get("assessor_role");
            Some(PersonRef {
                id,
                name: row.get("assessor_name"),
                role: Role::parse(&role).ok_or_else(|| other("role", &role))?,
            })
        }
    };
    Ok(Assessment {
        user_id: row.get("user_id"),
        competency_id: row.get("competency_id"),
        level: u8::try_from(row.get::<_, i16>("level")).unwrap_or(0),
        assessor,
        assessed_on: row.get("assessed_on"),
        note: row.get("note"),
        recorded_at: row.get("recorded_at"),
    })
}

#[async_trait]
impl CrewStore for PgStore {
    async fn positions(&self, location: Uuid) -> StoreResult<Vec<Position>> {
        load_positions(&self.client().await?, "p.location_id", location).await
    }

    async fn position(&self, id: Uuid) -> StoreResult<Option<Position>> {
        Ok(load_positions(&self.client().await?, "p.id", id)
            .await?
            .into_iter()
            .next())
    }

    async fn save_position(&self, position: Position, audit: AuditEvent) -> StoreResult<Position> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(db_error)?;
        tx.execute(
            "INSERT INTO positions (id, location_id, name, archived) VALUES ($1, $2, $3, $4)
             ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, archived = EXCLUDED.archived",
            &[
                &position.id,
                &position.location_id,
                &position.name,
                &position.archived,
            ],
        )
        .await
        .map_err(db_error)?;
        tx.execute(
            "DELETE FROM position_requirements WHERE position_id = $1",
            &[&position.id],
        )
        .await
        .map_err(db_error)?;
        let ids: Vec<Uuid> = position
            .requirements
            .iter()
            .map(|r| r.competency_id)
            .collect();
        let levels: Vec<i16> = position
            .requirements
            .iter()
            .map(|r| i16::from(r.min_level))
            .collect();
        tx.execute(
            "INSERT INTO position_requirements (position_id, competency_id, min_level)
             SELECT $1, c, l FROM unnest($2::UUID[], $3::SMALLINT[]) AS r (c, l)",
            &[&position.id, &ids, &levels],
        )
        .await
        .map_err(db_error)?;
        insert_audit(&tx, &audit).await?;
        let saved = load_positions(&tx, "p.id", position.id)
            .await?
            .into_iter()
            .next()
            .ok_or(StoreError::NotFound)?;
        tx.commit().await.map_err(db_error)?;
        Ok(saved)
    }

    async fn competencies(&self, location: Uuid) -> StoreResult<Vec<Competency>> {
        load_competencies(&self.client().await?, location).await
    }

    async fn competency(&self, id: Uuid) -> StoreResult<Option<Competency>> {
        let client = self.client().await?;
        let row = client
            .q_opt(
                "SELECT id, location_id, name, archived FROM competencies WHERE id = $1",
                &[&id],
            )
            .await
            .map_err(db_error)?;
        Ok(row.as_ref().map(competency))
    }

    async fn save_competency(
        &self,
        competency: Competency,
        audit: AuditEvent,
    ) -> StoreResult<Competency> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(db_error)?;
        let row = tx
            .q_one(
                "INSERT INTO competencies (id, location_id, name, archived) VALUES ($1, $2, $3, $4)
                 ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, archived = EXCLUDED.archived
                 RETURNING id, location_id, name, archived",
                &[
                    &competency.id,
                    &competency.location_id,
                    &competency.name,
                    &competency.archived,
                ],
            )
            .await
            .map_err(db_error)?;
        insert_audit(&tx, &audit).await?;
        tx.commit().await.map_err(db_error)?;
        Ok(self::competency(&row))
    }

    async fn roster(&self, location: Uuid, filter: &RosterFilter) -> StoreResult<Vec<CrewMember>> {
        load_roster(&self.client().await?, location, filter).await
    }

    async fn memberships(&self, user: Uuid) -> StoreResult<Vec<CrewMember>> {
        let client = self.client().await?;
        let rows = client
            .q(
                &format!(
                    "{CREW_SELECT} JOIN locations l ON l.id = ul.location_id
                     WHERE ul.user_id = $1 ORDER BY l.name, l.id"
                ),
                &[&user],
            )
            .await
            .map_err(db_error)?;
        rows.iter().map(crew_member).collect()
    }

    async fn add_crew(&self, change: CrewChange, audit: AuditEvent) -> StoreResult<CrewMember> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(db_error)?;
        let inserted = tx
            .execute(
                "INSERT INTO user_locations (user_id, location_id, contracted_hours, start_date, status)
                 VALUES ($1, $2, $3::TEXT::NUMERIC, $4, $5) ON CONFLICT DO NOTHING",
                &[
                    &change.user_id,
                    &change.location_id,
                    &hours_text(change.contracted_minutes),
                    &change.start_date,
                    &change.status.as_str(),
                ],
            )
            .await
            .map_err(db_error)?;
        if inserted == 0 {
            return Err(StoreError::Conflict("crew"));
        }
        set_positions(&tx, &change).await?;
        insert_audit(&tx, &audit).await?;
        let member = load_member(&tx, change.user_id, change.location_id).await?;
        tx.commit().await.map_err(db_error)?;
        Ok(member)
    }

    async fn update_crew(&self, change: CrewChange, audit: AuditEvent) -> StoreResult<CrewMember> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(db_error)?;
        let updated = tx
            .execute(
                "UPDATE user_locations SET contracted_hours = $3::TEXT::NUMERIC, start_date = $4, status = $5
                 WHERE user_id = $1 AND location_id = $2",
                &[
                    &change.user_id,
                    &change.location_id,
                    &hours_text(change.contracted_minutes),
                    &change.start_date,
                    &change.status.as_str(),
                ],
            )
            .await
            .map_err(db_error)?;
        if updated == 0 {
            return Err(StoreError::NotFound);
        }
        set_positions(&tx, &change).await?;
        insert_audit(&tx, &audit).await?;
        let member = load_member(&tx, change.user_id, change.location_id).await?;
        tx.commit().await.map_err(db_error)?;
        Ok(member)
    }

    async fn assess(&self, a: Assessment, audit: AuditEvent) -> StoreResult<Assessment> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(db_error)?;
        let assessor = a.assessor.as_ref().map(|p| p.id);
        let level = i16::from(a.level);
        tx.execute(
            "INSERT INTO competency_levels (user_id, competency_id, level, assessed_by, assessed_on, note, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, now())
             ON CONFLICT (user_id, competency_id) DO UPDATE
               SET level = EXCLUDED.level, assessed_by = EXCLUDED.assessed_by,
                   assessed_on = EXCLUDED.assessed_on, note = EXCLUDED.note, updated_at = now()",
            &[&a.user_id, &a.competency_id, &level, &assessor, &a.assessed_on, &a.note],
        )
        .await
        .map_err(db_error)?;
        let recorded = tx
            .q_one(
                "INSERT INTO competency_assessments (id, user_id, competency_id, level, assessed_by, assessed_on, note)
                 VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING recorded_at",
                &[&Uuid::new_v4(), &a.user_id, &a.competency_id, &level, &assessor, &a.assessed_on, &a.note],
            )
            .await
            .map_err(db_error)?;
        insert_audit(&tx, &audit).await?;
        tx.commit().await.map_err(db_error)?;
        Ok(Assessment {
            recorded_at: recorded.get(0),
            ..a
        })
    }

    async fn assessments(&self, user: Uuid) -> StoreResult<Assessments> {
        let client = self.client().await?;
        let columns = "x.user_id, x.competency_id, x.level, x.assessed_on, x.note,
                       p.id AS assessor_id, p.first_name || ' ' || p.last_name AS assessor_name,
                       p.role AS assessor_role";
        let current_sql = format!(
            "SELECT {columns}, x.updated_at AS recorded_at FROM competency_levels x
             LEFT JOIN users p ON p.id = x.assessed_by WHERE x.user_id = $1 ORDER BY x.competency_id"
        );
        let history_sql = format!(
            "SELECT {columns}, x.recorded_at FROM competency_assessments x
             LEFT JOIN users p ON p.id = x.assessed_by WHERE x.user_id = $1
             ORDER BY x.recorded_at DESC, x.id LIMIT 200"
        );
        let current = async { client.q(&current_sql, &[&user]).await };
        let history = async { client.q(&history_sql, &[&user]).await };
        let (current, history) = tokio::try_join!(current, history).map_err(db_error)?;
        Ok(Assessments {
            current: current.iter().map(assessment).collect::<StoreResult<_>>()?,
            history: history.iter().map(assessment).collect::<StoreResult<_>>()?,
        })
    }
}

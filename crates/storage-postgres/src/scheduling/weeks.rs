//! Schedule weeks: creation, the compiled grid's data, shift edits, publishing and the change history.

use async_trait::async_trait;
use chrono::{DateTime, Duration, Utc};
use crewplots_domain::accounts::{AuditEvent, LocationRef};
use crewplots_domain::hiring::PersonRef;
use crewplots_domain::ports::{StoreError, StoreResult};
use crewplots_domain::scheduling::hours::ShiftTimes;
use crewplots_domain::scheduling::model::{
    Assignment, Change, ChangeKind, LocationRules, NewChange, ScheduleWeek, Shift, TimeOff,
};
use crewplots_domain::scheduling::ports::{
    AssignRequest, Assigned, LockedPublish, NewWeek, PublishPlan, PublishedShift, PublishedWeek,
    RosterFilter, ScheduleStore, ShiftContext, UpcomingShift, WeekData, WeekRefusal, WeekSummary,
};
use crewplots_domain::scheduling::publish::{PublishedEntry, ShiftHours};
use crewplots_domain::scheduling::rules::BookedShift;
use crewplots_domain::scheduling::time::{zone, IsoWeek};
use crewplots_domain::Role;
use deadpool_postgres::GenericClient;
use tokio_postgres::error::SqlState;
use tokio_postgres::Row;
use uuid::Uuid;

use super::crew::{load_competencies, load_positions, load_roster};
use super::{
    assign, assignment, booked_of, bump_version, contracts_of, load_week, other, record_change,
    requirements_to_json, shift, week, ASSIGNMENT_COLUMNS, SHIFT_COLUMNS, WEEK_COLUMNS,
};
use crate::store::{db_error, insert_audit, CachedQuery, PgStore};

fn rules(row: &Row) -> LocationRules {
    let rest: i32 = row.get("min_rest_minutes");
    let max: i32 = row.get("weekly_max_minutes");
    LocationRules {
        min_rest_minutes: u32::try_from(rest).unwrap_or(0),
        weekly_max_minutes: u32::try_from(max).unwrap_or(0),
    }
}

pub(crate) async fn load_rules(
    client: &impl GenericClient,
    location: Uuid,
) -> StoreResult<Option<(LocationRules, String)>> {
    let row = client
        .q_opt(
            "SELECT min_rest_minutes, weekly_max_minutes, timezone FROM locations WHERE id = $1",
            &[&location],
        )
        .await
        .map_err(db_error)?;
    Ok(row.map(|row| (rules(&row), row.get("timezone"))))
}

pub(crate) async fn load_shift(
    client: &impl GenericClient,
    id: Uuid,
) -> StoreResult<Option<(Shift, ScheduleWeek)>> {
    let row = client
        .q_opt(
            &format!("SELECT {SHIFT_COLUMNS} FROM shifts s WHERE s.id = $1"),
            &[&id],
        )
        .await
        .map_err(db_error)?;
    let Some(row) = row else { return Ok(None) };
    let shift = shift(&row);
    let week = load_week(client, shift.week_id)
        .await?
        .ok_or(StoreError::NotFound)?;
    Ok(Some((shift, week)))
}

fn small(value: u16) -> i16 {
    i16::try_from(value).unwrap_or(i16::MAX)
}

async fn insert_shift(client: &impl GenericClient, shift: &Shift) -> StoreResult<()> {
    let s = &shift.spec;
    client
        .execute(
            "INSERT INTO shifts (id, week_id, location_id, position_id, local_date, starts_at, ends_at, break_minutes,
                                 slots, requirements, note)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
            &[
                &shift.id,
                &shift.week_id,
                &shift.location_id,
                &s.position_id,
                &s.local_date,
                &s.starts_at,
                &s.ends_at,
                &small(s.break_minutes),
                &small(s.slots),
                &requirements_to_json(&s.requirements),
                &s.note,
            ],
        )
        .await
        .map_err(db_error)?;
    Ok(())
}

fn is_exclusion(error: &tokio_postgres::Error) -> bool {
    error.code() == Some(&SqlState::EXCLUSION_VIOLATION)
}

/// Runs `body` inside a transaction that has raised the week's version; rolls back on a refusal.
macro_rules! week_change {
    ($self:ident, $week:expr, $expected:expr, |$tx:ident, $bumped:ident| $body:block) => {{
        let mut client = $self.client().await?;
        let $tx = client.transaction().await.map_err(db_error)?;
        let $bumped = match bump_version(&$tx, $week, $expected).await? {
            Ok(week) => week,
            Err(current) => return Ok(Err(WeekRefusal::VersionChanged { current })),
        };
        let outcome: StoreResult<Result<ScheduleWeek, WeekRefusal>> = async { $body }.await;
        match outcome? {
            Ok(week) => {
                $tx.commit().await.map_err(db_error)?;
                Ok(Ok(week))
            }
            Err(refusal) => Ok(Err(refusal)),
        }
    }};
}

const PUBLISH_CURRENT: &str = "
    SELECT a.id AS assignment_id, a.user_id, s.id AS shift_id, p.name AS position, s.starts_at, s.ends_at
    FROM assignments a JOIN shifts s ON s.id = a.shift_id JOIN positions p ON p.id = s.position_id
    WHERE s.week_id = $1";

fn entry(row: &Row) -> PublishedEntry {
    PublishedEntry {
        assignment_id: row.get("assignment_id"),
        user_id: row.get("user_id"),
        shift_id: row.get("shift_id"),
        position: row.get("position"),
        starts_at: row.get("starts_at"),
        ends_at: row.get("ends_at"),
    }
}

fn shift_hours_of(row: &Row) -> ShiftHours {
    ShiftHours {
        shift_id: row.get("shift_id"),
        local_date: row.get("local_date"),
        times: ShiftTimes {
            starts_at: row.get("starts_at"),
            ends_at: row.get("ends_at"),
            break_minutes: u16::try_from(row.get::<_, i16>("break_minutes")).unwrap_or(0),
        },
    }
}

fn person(row: &Row, id: &str, name: &str, role: &str) -> StoreResult<Option<PersonRef>> {
    match row.get::<_, Option<Uuid>>(id) {
        None => Ok(None),
        Some(id) => {
            let role: String = row.get(role);
            Ok(Some(PersonRef {
                id,
                name: row.get(name),
                role: Role::parse(&role).ok_or_else(|| other("role", &role))?,
            }))
        }
    }
}

#[async_trait]
impl ScheduleStore for PgStore {
    async fn location_rules(&self, location: Uuid) -> StoreResult<Option<(LocationRules, String)>> {
        load_rules(&self.client().await?, location).await
    }

    async fn set_location_rules(
        &self,
        location: Uuid,
        rules: LocationRules,
        audit: AuditEvent,
    ) -> StoreResult<()> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(db_error)?;
        let rest = i32::try_from(rules.min_rest_minutes).unwrap_or(i32::MAX);
        let max = i32::try_from(rules.weekly_max_minutes).unwrap_or(i32::MAX);
        let updated = tx
            .execute(
                "UPDATE locations SET min_rest_minutes = $2, weekly_max_minutes = $3, updated_at = now()
                 WHERE id = $1",
                &[&location, &rest, &max],
            )
            .await
            .map_err(db_error)?;
        if updated == 0 {
            return Err(StoreError::NotFound);
        }
        insert_audit(&tx, &audit).await?;
        tx.commit().await.map_err(db_error)
    }

    async fn weeks(
        &self,
        location: Uuid,
        from: IsoWeek,
        to: IsoWeek,
    ) -> StoreResult<Vec<WeekSummary>> {
        let client = self.client().await?;
        let from = i32::from(u16::try_from(from.year()).unwrap_or(0)) * 100 + from.week() as i32;
        let to = i32::from(u16::try_from(to.year()).unwrap_or(0)) * 100 + to.week() as i32;
        let rows = client
            .q(
                &format!(
                    "SELECT {WEEK_COLUMNS},
                            (SELECT count(*) FROM shifts s WHERE s.week_id = w.id) AS shift_count,
                            (SELECT COALESCE(sum(s.slots), 0)::BIGINT FROM shifts s WHERE s.week_id = w.id) AS slot_count,
                            (SELECT count(*) FROM assignments a JOIN shifts s ON s.id = a.shift_id
                             WHERE s.week_id = w.id) AS filled_count
                     FROM schedule_weeks w
                     WHERE w.location_id = $1 AND w.iso_year * 100 + w.iso_week BETWEEN $2 AND $3
                     ORDER BY w.iso_year, w.iso_week"
                ),
                &[&location, &from, &to],
            )
            .await
            .map_err(db_error)?;
        rows.iter()
            .map(|row| {
                Ok(WeekSummary {
                    week: week(row)?,
                    shifts: row.get("shift_count"),
                    slots: row.get("slot_count"),
                    filled: row.get("filled_count"),
                })
            })
            .collect()
    }

    async fn week(&self, location: Uuid, iso: IsoWeek) -> StoreResult<Option<ScheduleWeek>> {
        let client = self.client().await?;
        let year = i16::try_from(iso.year()).unwrap_or(0);
        let number = i16::try_from(iso.week()).unwrap_or(0);
        client
            .q_opt(
                &format!(
                    "SELECT {WEEK_COLUMNS} FROM schedule_weeks w
                     WHERE w.location_id = $1 AND w.iso_year = $2 AND w.iso_week = $3"
                ),
                &[&location, &year, &number],
            )
            .await
            .map_err(db_error)?
            .as_ref()
            .map(week)
            .transpose()
    }

    async fn week_by_id(&self, id: Uuid) -> StoreResult<Option<ScheduleWeek>> {
        load_week(&self.client().await?, id).await
    }

    async fn shifts(&self, week: Uuid) -> StoreResult<Vec<Shift>> {
        let client = self.client().await?;
        let rows = client
            .q(
                &format!(
                    "SELECT {SHIFT_COLUMNS} FROM shifts s WHERE s.week_id = $1 ORDER BY s.starts_at, s.id"
                ),
                &[&week],
            )
            .await
            .map_err(db_error)?;
        Ok(rows.iter().map(shift).collect())
    }

    async fn assignments(&self, week: Uuid) -> StoreResult<Vec<Assignment>> {
        let client = self.client().await?;
        let rows = client
            .q(
                &format!(
                    "SELECT {ASSIGNMENT_COLUMNS} FROM assignments a JOIN users u ON u.id = a.user_id
                     JOIN shifts s ON s.id = a.shift_id WHERE s.week_id = $1 ORDER BY a.created_at, a.id"
                ),
                &[&week],
            )
            .await
            .map_err(db_error)?;
        rows.iter().map(assignment).collect()
    }

    async fn create_week(&self, new: NewWeek, audit: AuditEvent) -> StoreResult<ScheduleWeek> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(db_error)?;
        let year = i16::try_from(new.week.year()).unwrap_or(0);
        let number = i16::try_from(new.week.week()).unwrap_or(0);
        let row = tx
            .q_one(
                &format!(
                    "INSERT INTO schedule_weeks AS w (id, location_id, iso_year, iso_week, created_by)
                     VALUES ($1, $2, $3, $4, $5) RETURNING {WEEK_COLUMNS}"
                ),
                &[&new.id, &new.location_id, &year, &number, &new.actor_id],
            )
            .await
            .map_err(db_error)?;
        let created = week(&row)?;
        for (id, spec) in &new.shifts {
            insert_shift(
                &tx,
                &Shift {
                    id: *id,
                    week_id: new.id,
                    location_id: new.location_id,
                    spec: spec.clone(),
                },
            )
            .await?;
        }
        let mut change = NewChange::new(ChangeKind::WeekCreated);
        change.new = Some(new.origin.clone());
        record_change(&tx, new.id, created.version, new.actor_id, &change).await?;
        insert_audit(&tx, &audit).await?;
        tx.commit().await.map_err(db_error)?;
        Ok(created)
    }

    async fn week_data(&self, id: Uuid) -> StoreResult<Option<WeekData>> {
        let client = self.client().await?;
        let Some(week) = load_week(&client, id).await? else {
            return Ok(None);
        };
        let (rules, timezone) = load_rules(&client, week.location_id)
            .await?
            .ok_or(StoreError::NotFound)?;
        let (start, end) = week.week.bounds(zone(&timezone));
        let (from, to) = (start - Duration::days(8), end + Duration::days(8));
        let people_sql = "SELECT ul.user_id FROM user_locations ul WHERE ul.location_id = $1
                          UNION SELECT a.user_id FROM assignments a JOIN shifts s ON s.id = a.shift_id
                          WHERE s.week_id = $2";
        let shifts_sql = format!(
            "SELECT {SHIFT_COLUMNS} FROM shifts s WHERE s.week_id = $1 ORDER BY s.starts_at, s.id"
        );
        let assignments_sql = format!(
            "SELECT {ASSIGNMENT_COLUMNS} FROM assignments a JOIN users u ON u.id = a.user_id
             JOIN shifts s ON s.id = a.shift_id WHERE s.week_id = $1 ORDER BY a.created_at, a.id"
        );
        let location = week.location_id;
        let roster_filter = RosterFilter::default();
        let (people_rows, shift_rows, assignment_rows, position_rows, changes, competencies, crew) =
            tokio::try_join!(
                async {
                    client
                        .q(people_sql, &[&location, &id])
                        .await
                        .map_err(db_error)
                },
                async { client.q(&shifts_sql, &[&id]).await.map_err(db_error) },
                async { client.q(&assignments_sql, &[&id]).await.map_err(db_error) },
                load_positions(&client, "p.location_id", location),
                async {
                    client
                        .q_one(
                            "SELECT count(*) FROM schedule_changes c JOIN schedule_weeks w ON w.id = c.week_id
                             WHERE c.week_id = $1 AND c.kind NOT IN ('published', 'request')
                               AND c.version > COALESCE(w.published_version, 0)",
                            &[&id],
                        )
                        .await
                        .map_err(db_error)
                },
                load_competencies(&client, location),
                load_roster(&client, location, &roster_filter),
            )?;
        let people: Vec<Uuid> = people_rows.iter().map(|r| r.get(0)).collect();
        let (contracts, booked, time_off) = tokio::try_join!(
            contracts_of(&client, &people),
            booked_of(&client, &people, from, to),
            async {
                client
                    .q(
                        "SELECT user_id, starts_at, ends_at FROM time_off_requests
                         WHERE status = 'approved' AND user_id IN (SELECT unnest($1::UUID[]))
                           AND starts_at < $3 AND ends_at > $2
                         ORDER BY user_id, starts_at",
                        &[&people, &start, &end],
                    )
                    .await
                    .map_err(db_error)
            }
        )?;
        Ok(Some(WeekData {
            week,
            rules,
            timezone,
            shifts: shift_rows.iter().map(shift).collect(),
            assignments: assignment_rows
                .iter()
                .map(assignment)
                .collect::<StoreResult<_>>()?,
            positions: position_rows,
            competencies,
            crew,
            contracts,
            booked,
            unpublished_changes: changes.get(0),
            time_off: time_off
                .iter()
                .map(|r| {
                    (
                        r.get(0),
                        TimeOff {
                            starts_at: r.get(1),
                            ends_at: r.get(2),
                        },
                    )
                })
                .collect(),
        }))
    }

    async fn shift(&self, id: Uuid) -> StoreResult<Option<(Shift, ScheduleWeek)>> {
        load_shift(&self.client().await?, id).await
    }

    async fn assignment(&self, id: Uuid) -> StoreResult<Option<(Assignment, Shift, ScheduleWeek)>> {
        let client = self.client().await?;
        let row = client
            .q_opt(
                &format!(
                    "SELECT {ASSIGNMENT_COLUMNS} FROM assignments a JOIN users u ON u.id = a.user_id
                     WHERE a.id = $1"
                ),
                &[&id],
            )
            .await
            .map_err(db_error)?;
        let Some(row) = row else { return Ok(None) };
        let assignment = assignment(&row)?;
        let (shift, week) = load_shift(&client, assignment.shift_id)
            .await?
            .ok_or(StoreError::NotFound)?;
        Ok(Some((assignment, shift, week)))
    }

    async fn add_shift(
        &self,
        new: Shift,
        expected_version: Option<i64>,
        mut change: NewChange,
        actor: Uuid,
    ) -> StoreResult<Result<ScheduleWeek, WeekRefusal>> {
        week_change!(self, new.week_id, expected_version, |tx, bumped| {
            insert_shift(&tx, &new).await?;
            change.shift_id = Some(new.id);
            record_change(&tx, new.week_id, bumped.version, actor, &change).await?;
            Ok(Ok(bumped))
        })
    }

    async fn update_shift(
        &self,
        changed: Shift,
        expected_version: Option<i64>,
        mut change: NewChange,
        actor: Uuid,
        audit: Option<AuditEvent>,
    ) -> StoreResult<Result<ScheduleWeek, WeekRefusal>> {
        week_change!(self, changed.week_id, expected_version, |tx, bumped| {
            let assigned: i64 = tx
                .q_one(
                    "SELECT count(*) FROM assignments WHERE shift_id = $1",
                    &[&changed.id],
                )
                .await
                .map_err(db_error)?
                .get(0);
            if assigned > i64::from(changed.spec.slots) {
                return Ok(Err(WeekRefusal::SlotsBelowAssigned {
                    assigned: u16::try_from(assigned).unwrap_or(u16::MAX),
                }));
            }
            let s = &changed.spec;
            let updated = tx
                .execute(
                    "UPDATE shifts SET position_id = $2, local_date = $3, starts_at = $4, ends_at = $5,
                                       break_minutes = $6, slots = $7, requirements = $8, note = $9,
                                       updated_at = now()
                     WHERE id = $1",
                    &[
                        &changed.id,
                        &s.position_id,
                        &s.local_date,
                        &s.starts_at,
                        &s.ends_at,
                        &small(s.break_minutes),
                        &small(s.slots),
                        &requirements_to_json(&s.requirements),
                        &s.note,
                    ],
                )
                .await
                .map_err(db_error)?;
            if updated == 0 {
                return Err(StoreError::NotFound);
            }
            let moved = tx
                .q(
                    "UPDATE assignments SET during = tstzrange($2, $3) WHERE shift_id = $1 RETURNING user_id",
                    &[&changed.id, &s.starts_at, &s.ends_at],
                )
                .await;
            if let Err(error) = &moved {
                if is_exclusion(error) {
                    return Ok(Err(WeekRefusal::Overlap { user_id: None }));
                }
            }
            moved.map_err(db_error)?;
            change.shift_id = Some(changed.id);
            record_change(&tx, changed.week_id, bumped.version, actor, &change).await?;
            if let Some(audit) = &audit {
                insert_audit(&tx, audit).await?;
            }
            Ok(Ok(bumped))
        })
    }

    async fn remove_shift(
        &self,
        id: Uuid,
        expected_version: Option<i64>,
        mut change: NewChange,
        actor: Uuid,
        audit: Option<AuditEvent>,
    ) -> StoreResult<Result<ScheduleWeek, WeekRefusal>> {
        let (current, _) = load_shift(&self.client().await?, id)
            .await?
            .ok_or(StoreError::NotFound)?;
        week_change!(self, current.week_id, expected_version, |tx, bumped| {
            let deleted = tx
                .execute("DELETE FROM shifts WHERE id = $1", &[&id])
                .await
                .map_err(db_error)?;
            if deleted == 0 {
                return Err(StoreError::NotFound);
            }
            change.shift_id = Some(id);
            record_change(&tx, current.week_id, bumped.version, actor, &change).await?;
            if let Some(audit) = &audit {
                insert_audit(&tx, audit).await?;
            }
            Ok(Ok(bumped))
        })
    }

    async fn shift_context(&self, shift: Uuid) -> StoreResult<Option<ShiftContext>> {
        assign::shift_context(&self.client().await?, shift, None).await
    }

    async fn assign(&self, request: AssignRequest) -> StoreResult<Result<Assigned, WeekRefusal>> {
        let mut client = self.client().await?;
        assign::assign(&mut client, request).await
    }

    async fn unassign(
        &self,
        id: Uuid,
        actor: Uuid,
        past_reason: Option<String>,
        audit: Option<AuditEvent>,
    ) -> StoreResult<Result<ScheduleWeek, WeekRefusal>> {
        let mut client = self.client().await?;
        assign::unassign(&mut client, id, actor, past_reason, audit).await
    }

    async fn publish_plan(&self, id: Uuid) -> StoreResult<Option<PublishPlan>> {
        let client = self.client().await?;
        let Some(week) = load_week(&client, id).await? else {
            return Ok(None);
        };
        let location = async {
            client
                .q_one(
                    "SELECT name, timezone FROM locations WHERE id = $1",
                    &[&week.location_id],
                )
                .await
        };
        let published = async {
            client.q(
            "SELECT assignment_id, user_id, shift_id, position_name AS position, starts_at, ends_at
             FROM published_assignments WHERE week_id = $1 AND cancelled_at IS NULL",
            &[&id],
        ).await
        };
        let current = async { client.q(PUBLISH_CURRENT, &[&id]).await };
        let people = async {
            client.q(
            "SELECT u.id, u.email, u.first_name, u.first_name || ' ' || u.last_name AS name FROM users u
             WHERE u.status <> 'deactivated' AND u.id IN (
                 SELECT user_id FROM published_assignments WHERE week_id = $1 AND cancelled_at IS NULL
                 UNION SELECT a.user_id FROM assignments a JOIN shifts s ON s.id = a.shift_id WHERE s.week_id = $1)",
            &[&id],
        ).await
        };
        let published_shifts = async {
            client
                .q(
                    "SELECT shift_id, local_date, starts_at, ends_at, break_minutes FROM published_shifts
                     WHERE week_id = $1",
                    &[&id],
                )
                .await
        };
        let current_shifts = async {
            client
                .q(
                    "SELECT id AS shift_id, local_date, starts_at, ends_at, break_minutes FROM shifts
                     WHERE week_id = $1",
                    &[&id],
                )
                .await
        };
        let (location, published, current, people, published_shifts, current_shifts) =
            tokio::try_join!(
                location,
                published,
                current,
                people,
                published_shifts,
                current_shifts
            )
            .map_err(db_error)?;
        let days = week.week.days();
        let locks =
            crate::exports::locks_overlapping(&client, week.location_id, days[0], days[6]).await?;
        Ok(Some(PublishPlan {
            published_shifts: published_shifts.iter().map(shift_hours_of).collect(),
            current_shifts: current_shifts.iter().map(shift_hours_of).collect(),
            locks,
            week,
            location_name: location.get("name"),
            timezone: location.get("timezone"),
            published: published.iter().map(entry).collect(),
            current: current.iter().map(entry).collect(),
            people: people
                .iter()
                .map(|r| {
                    (
                        r.get("id"),
                        r.get("email"),
                        r.get("first_name"),
                        r.get("name"),
                    )
                })
                .collect(),
        }))
    }

    async fn publish(
        &self,
        id: Uuid,
        expected_version: i64,
        actor: Uuid,
        notices: Vec<crewplots_domain::notifications::Notice>,
        locked: LockedPublish,
        audit: AuditEvent,
    ) -> StoreResult<Result<ScheduleWeek, WeekRefusal>> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(db_error)?;
        // The locks decided on must still be the locks: a lock made since would otherwise be changed
        // without its reason and corrections.
        let Some(before) = load_week(&tx, id).await? else {
            return Err(StoreError::NotFound);
        };
        crate::exports::hours_lock_guard(&tx, before.location_id, false).await?;
        let days = before.week.days();
        let mut locks_now: Vec<Uuid> =
            crate::exports::locks_overlapping(&tx, before.location_id, days[0], days[6])
                .await?
                .iter()
                .map(|l| l.id)
                .collect();
        let mut locks_seen = locked.locks_seen.clone();
        locks_now.sort();
        locks_seen.sort();
        if locks_now != locks_seen {
            return Ok(Err(WeekRefusal::PeriodLocked { dates: Vec::new() }));
        }
        let row = tx
            .q_opt(
                &format!(
                    "UPDATE schedule_weeks w SET status = 'published', published_version = w.version,
                            published_at = now(), published_by = $3
                     WHERE w.id = $1 AND w.version = $2 RETURNING {WEEK_COLUMNS}"
                ),
                &[&id, &expected_version, &actor],
            )
            .await
            .map_err(db_error)?;
        let Some(row) = row else {
            return match load_week(&tx, id).await? {
                None => Err(StoreError::NotFound),
                Some(current) => Ok(Err(WeekRefusal::VersionChanged {
                    current: current.version,
                })),
            };
        };
        let published = week(&row)?;
        tx.execute("DELETE FROM published_shifts WHERE week_id = $1", &[&id])
            .await
            .map_err(db_error)?;
        tx.execute(
            "INSERT INTO published_shifts (shift_id, week_id, location_id, position_id, position_name, local_date,
                                           starts_at, ends_at, break_minutes, slots, note)
             SELECT s.id, s.week_id, s.location_id, s.position_id, p.name, s.local_date, s.starts_at, s.ends_at,
                    s.break_minutes, s.slots, s.note
             FROM shifts s JOIN positions p ON p.id = s.position_id WHERE s.week_id = $1",
            &[&id],
        )
        .await
        .map_err(db_error)?;
        tx.execute(
            "UPDATE published_assignments SET cancelled_at = now(), sequence = sequence + 1, changed_at = now()
             WHERE week_id = $1 AND cancelled_at IS NULL AND assignment_id NOT IN (
                 SELECT a.id FROM assignments a JOIN shifts s ON s.id = a.shift_id WHERE s.week_id = $1)",
            &[&id],
        )
        .await
        .map_err(db_error)?;
        tx.execute(
            "INSERT INTO published_assignments AS pa (assignment_id, week_id, shift_id, user_id, location_id,
                                                      position_name, starts_at, ends_at)
             SELECT a.id, s.week_id, s.id, a.user_id, s.location_id, p.name, s.starts_at, s.ends_at
             FROM assignments a JOIN shifts s ON s.id = a.shift_id JOIN positions p ON p.id = s.position_id
             WHERE s.week_id = $1
             ON CONFLICT (assignment_id) DO UPDATE
               SET shift_id = EXCLUDED.shift_id, user_id = EXCLUDED.user_id, position_name = EXCLUDED.position_name,
                   starts_at = EXCLUDED.starts_at, ends_at = EXCLUDED.ends_at, cancelled_at = NULL,
                   sequence = pa.sequence + 1, changed_at = now()
               WHERE (pa.starts_at, pa.ends_at, pa.position_name, pa.user_id, pa.cancelled_at IS NULL)
                     IS DISTINCT FROM (EXCLUDED.starts_at, EXCLUDED.ends_at, EXCLUDED.position_name,
                                       EXCLUDED.user_id, true)",
            &[&id],
        )
        .await
        .map_err(db_error)?;
        let mut change = NewChange::new(ChangeKind::Published);
        change.new = Some(format!("{} notified", notices.len()));
        change.reason = locked.reason.clone();
        record_change(&tx, id, published.version, actor, &change).await?;
        if let Some(reason) = &locked.reason {
            for c in &locked.corrections {
                let small =
                    |v: i64| i32::try_from(v).unwrap_or(if v < 0 { i32::MIN } else { i32::MAX });
                tx.execute(
                    "INSERT INTO hours_corrections (id, location_id, week_id, user_id, shift_date, delta_shifts,
                                                   delta_planned_minutes, delta_night_minutes, delta_sunday_minutes,
                                                   reason, made_by, made_on)
                     SELECT $1, l.id, $3, $4, $5, $6, $7, $8, $9, $10, $11, (now() AT TIME ZONE l.timezone)::date
                     FROM locations l WHERE l.id = $2",
                    &[
                        &Uuid::new_v4(),
                        &before.location_id,
                        &id,
                        &c.user_id,
                        &c.shift_date,
                        &small(c.delta.shifts),
                        &small(c.delta.planned_minutes),
                        &small(c.delta.night_minutes),
                        &small(c.delta.sunday_minutes),
                        reason,
                        &actor,
                    ],
                )
                .await
                .map_err(db_error)?;
            }
        }
        crate::notifications::insert_notices(&tx, &notices).await?;
        insert_audit(&tx, &audit).await?;
        tx.commit().await.map_err(db_error)?;
        Ok(Ok(published))
    }

    async fn changes(&self, week: Uuid, limit: i64) -> StoreResult<Vec<Change>> {
        let client = self.client().await?;
        let rows = client
            .q(
                "SELECT c.id, c.kind, c.created_at, c.shift_id, c.old_value, c.new_value, c.reason, c.overridden,
                        a.id AS actor_id, a.first_name || ' ' || a.last_name AS actor_name, a.role AS actor_role,
                        p.id AS person_id, p.first_name || ' ' || p.last_name AS person_name, p.role AS person_role
                 FROM schedule_changes c
                 LEFT JOIN users a ON a.id = c.actor_id LEFT JOIN users p ON p.id = c.person_id
                 WHERE c.week_id = $1 ORDER BY c.created_at DESC, c.id LIMIT $2",
                &[&week, &limit],
            )
            .await
            .map_err(db_error)?;
        rows.iter()
            .map(|row| {
                let kind: String = row.get("kind");
                Ok(Change {
                    id: row.get("id"),
                    kind: ChangeKind::parse(&kind).ok_or_else(|| other("change kind", &kind))?,
                    actor: person(row, "actor_id", "actor_name", "actor_role")?,
                    at: row.get("created_at"),
                    shift_id: row.get("shift_id"),
                    person: person(row, "person_id", "person_name", "person_role")?,
                    old: row.get("old_value"),
                    new: row.get("new_value"),
                    reason: row.get("reason"),
                    overridden: row.get("overridden"),
                })
            })
            .collect()
    }

    async fn published_week(
        &self,
        location: Uuid,
        iso: IsoWeek,
    ) -> StoreResult<Option<PublishedWeek>> {
        let Some(week) = ScheduleStore::week(self, location, iso).await? else {
            return Ok(None);
        };
        if week.published_version.is_none() {
            return Ok(None);
        }
        let client = self.client().await?;
        let timezone = async {
            client
                .q_one("SELECT timezone FROM locations WHERE id = $1", &[&location])
                .await
        };
        let shifts = async {
            client.q(
            "SELECT * FROM published_shifts WHERE week_id = $1 ORDER BY starts_at, shift_id",
            &[&week.id],
        ).await
        };
        let people = async {
            client.q(
            "SELECT pa.shift_id, pa.user_id, u.first_name || ' ' || left(u.last_name, 1) || '.' AS short_name,
                    pa.assignment_id
             FROM published_assignments pa JOIN users u ON u.id = pa.user_id
             WHERE pa.week_id = $1 AND pa.cancelled_at IS NULL ORDER BY u.first_name, pa.user_id",
            &[&week.id],
        ).await
        };
        let (timezone, shifts, people) =
            tokio::try_join!(timezone, shifts, people).map_err(db_error)?;
        Ok(Some(PublishedWeek {
            week,
            timezone: timezone.get(0),
            shifts: shifts
                .iter()
                .map(|row| {
                    let shift_id: Uuid = row.get("shift_id");
                    PublishedShift {
                        shift_id,
                        position_name: row.get("position_name"),
                        local_date: row.get("local_date"),
                        starts_at: row.get("starts_at"),
                        ends_at: row.get("ends_at"),
                        break_minutes: u16::try_from(row.get::<_, i16>("break_minutes"))
                            .unwrap_or(0),
                        slots: u16::try_from(row.get::<_, i16>("slots")).unwrap_or(0),
                        note: row.get("note"),
                        people: people
                            .iter()
                            .filter(|p| p.get::<_, Uuid>("shift_id") == shift_id)
                            .map(|p| {
                                (
                                    p.get("user_id"),
                                    p.get("short_name"),
                                    p.get("assignment_id"),
                                )
                            })
                            .collect(),
                    }
                })
                .collect(),
        }))
    }

    async fn upcoming(
        &self,
        user: Uuid,
        from: DateTime<Utc>,
        limit: i64,
    ) -> StoreResult<Vec<UpcomingShift>> {
        let client = self.client().await?;
        let rows = client
            .q(
                "SELECT s.id, s.starts_at, s.ends_at, s.break_minutes, s.local_date, p.name AS position_name,
                        l.id AS location_id, l.name AS location_name, l.timezone AS location_tz,
                        EXISTS (SELECT 1 FROM published_assignments pa WHERE pa.assignment_id = a.id
                                AND pa.cancelled_at IS NULL AND pa.starts_at = s.starts_at
                                AND pa.ends_at = s.ends_at) AS published
                 FROM assignments a JOIN shifts s ON s.id = a.shift_id JOIN positions p ON p.id = s.position_id
                 JOIN locations l ON l.id = s.location_id
                 WHERE a.user_id = $1 AND a.during && tstzrange($2, NULL)
                 ORDER BY s.starts_at, s.id LIMIT $3",
                &[&user, &from, &limit],
            )
            .await
            .map_err(db_error)?;
        Ok(rows
            .iter()
            .map(|row| UpcomingShift {
                shift_id: row.get("id"),
                location: LocationRef {
                    id: row.get("location_id"),
                    name: row.get("location_name"),
                    timezone: row.get("location_tz"),
                },
                position_name: row.get("position_name"),
                starts_at: row.get("starts_at"),
                ends_at: row.get("ends_at"),
                break_minutes: u16::try_from(row.get::<_, i16>("break_minutes")).unwrap_or(0),
                local_date: row.get("local_date"),
                published: row.get("published"),
            })
            .collect())
    }

    async fn booked_between(
        &self,
        user: Uuid,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> StoreResult<Vec<BookedShift>> {
        let client = self.client().await?;
        Ok(booked_of(&client, &[user], from, to)
            .await?
            .into_iter()
            .map(|(_, b)| b)
            .collect())
    }
}

//! Scheduling stores: positions, competencies and the roster ([`crew`]), week templates ([`templates`]),
//! schedule weeks, shifts, publishing and the history ([`weeks`]), and the rule engine's inputs with the
//! assignment commands ([`assign`]), the crew's self-service ([`self_service`]), their requests about
//! shifts ([`requests`]) and suggest fill's snapshot and batch ([`autofill`]).
//!
//! Invariants kept here: every change to a week raises `schedule_weeks.version` in its own transaction (so
//! changes to one week are serialised on its row, and a publish knows exactly which state it publishes) and
//! writes its change-history row; `assignments.during` always equals its shift's time, so the exclusion
//! constraint `assignments_no_overlap` refuses two overlapping assignments of one person at any venues.

mod assign;
mod autofill;
mod crew;
mod requests;
mod self_service;
mod templates;
mod weeks;

pub(crate) use requests::INBOX_COUNTS;

use chrono::NaiveDate;
use crewplots_domain::hiring::PersonRef;
use crewplots_domain::ports::{StoreError, StoreResult};
use crewplots_domain::scheduling::model::{
    Assignment, CrewMember, CrewStatus, NewChange, Requirement, ScheduleWeek, Shift, ShiftSpec,
    WeekStatus,
};
use crewplots_domain::scheduling::rules::BookedShift;
use crewplots_domain::scheduling::time::IsoWeek;
use crewplots_domain::Role;
use deadpool_postgres::GenericClient;
use tokio_postgres::Row;
use uuid::Uuid;

use crate::store::{db_error, CachedQuery};

fn other(what: &str, value: impl std::fmt::Display) -> StoreError {
    StoreError::Other(format!("unexpected {what}: {value}"))
}

fn small(value: i16) -> u16 {
    u16::try_from(value).unwrap_or(0)
}

/// Requirements as stored in JSONB: `[{"competencyId": …, "minLevel": 1-5}]`.
pub(crate) fn requirements_from_json(value: &serde_json::Value) -> Vec<Requirement> {
    value
        .as_array()
        .map(|items| {
            items
                .iter()
                .filter_map(|item| {
                    Some(Requirement {
                        competency_id: item.get("competencyId")?.as_str()?.parse().ok()?,
                        min_level: u8::try_from(item.get("minLevel")?.as_u64()?).ok()?,
                    })
                })
                .collect()
        })
        .unwrap_or_default()
}

pub(crate) fn requirements_to_json(requirements: &[Requirement]) -> serde_json::Value {
    serde_json::Value::Array(
        requirements
            .iter()
            .map(|r| {
                serde_json::json!({"competencyId": r.competency_id.to_string(), "minLevel": r.min_level})
            })
            .collect(),
    )
}

pub(crate) const WEEK_COLUMNS: &str =
    "w.id, w.location_id, w.iso_year, w.iso_week, w.status, w.version,
    w.published_version, w.published_at, w.created_at";

pub(crate) fn week(row: &Row) -> StoreResult<ScheduleWeek> {
    let status: String = row.get("status");
    let year: i16 = row.get("iso_year");
    let number: i16 = row.get("iso_week");
    Ok(ScheduleWeek {
        id: row.get("id"),
        location_id: row.get("location_id"),
        week: IsoWeek::new(i32::from(year), u32::try_from(number).unwrap_or(0))
            .map_err(|_| other("week", format!("{year}-W{number}")))?,
        status: WeekStatus::parse(&status).ok_or_else(|| other("week status", &status))?,
        version: row.get("version"),
        published_version: row.get("published_version"),
        published_at: row.get("published_at"),
        created_at: row.get("created_at"),
    })
}

pub(crate) async fn load_week(
    client: &impl GenericClient,
    id: Uuid,
) -> StoreResult<Option<ScheduleWeek>> {
    client
        .q_opt(
            &format!("SELECT {WEEK_COLUMNS} FROM schedule_weeks w WHERE w.id = $1"),
            &[&id],
        )
        .await
        .map_err(db_error)?
        .as_ref()
        .map(week)
        .transpose()
}

pub(crate) const SHIFT_COLUMNS: &str =
    "s.id, s.week_id, s.location_id, s.position_id, s.local_date,
    s.starts_at, s.ends_at, s.break_minutes, s.slots, s.requirements, s.note";

pub(crate) fn shift(row: &Row) -> Shift {
    Shift {
        id: row.get("id"),
        week_id: row.get("week_id"),
        location_id: row.get("location_id"),
        spec: ShiftSpec {
            position_id: row.get("position_id"),
            local_date: row.get("local_date"),
            starts_at: row.get("starts_at"),
            ends_at: row.get("ends_at"),
            break_minutes: small(row.get("break_minutes")),
            slots: small(row.get("slots")),
            requirements: requirements_from_json(&row.get::<_, serde_json::Value>("requirements")),
            note: row.get("note"),
        },
    }
}

/// Assignment columns with the person's name (`a` = assignments, `u` = users).
pub(crate) const ASSIGNMENT_COLUMNS: &str =
    "a.id, a.shift_id, a.user_id, a.overridden, a.override_reason,
    a.created_at, u.first_name || ' ' || u.last_name AS person_name, u.role AS person_role";

pub(crate) fn assignment(row: &Row) -> StoreResult<Assignment> {
    let role: String = row.get("person_role");
    Ok(Assignment {
        id: row.get("id"),
        shift_id: row.get("shift_id"),
        person: PersonRef {
            id: row.get("user_id"),
            name: row.get("person_name"),
            role: Role::parse(&role).ok_or_else(|| other("role", &role))?,
        },
        overridden: row.get("overridden"),
        override_reason: row.get("override_reason"),
        created_at: row.get("created_at"),
    })
}

/// Crew membership columns (`ul` = user_locations, `u` = users), with the person's positions there.
pub(crate) const CREW_SELECT: &str = "
    SELECT ul.user_id, ul.location_id, (ul.contracted_hours * 60)::INTEGER AS contracted_minutes,
           ul.start_date, ul.status, u.first_name, u.first_name || ' ' || u.last_name AS name, u.role,
           ARRAY(SELECT cp.position_id FROM crew_positions cp
                 WHERE cp.user_id = ul.user_id AND cp.location_id = ul.location_id
                 ORDER BY cp.position_id) AS position_ids
    FROM user_locations ul JOIN users u ON u.id = ul.user_id";

/// Who counts as crew: crew members and floor managers (who work the floor), with an account that is not
/// deactivated.
pub(crate) const CREW_ROLES: &str =
    "u.role IN ('crew_member', 'floor_manager') AND u.status <> 'deactivated'";

pub(crate) fn crew_member(row: &Row) -> StoreResult<CrewMember> {
    let role: String = row.get("role");
    let status: String = row.get("status");
    Ok(CrewMember {
        person: PersonRef {
            id: row.get("user_id"),
            name: row.get("name"),
            role: Role::parse(&role).ok_or_else(|| other("role", &role))?,
        },
        first_name: row.get("first_name"),
        location_id: row.get("location_id"),
        position_ids: row.get("position_ids"),
        contracted_minutes: row
            .get::<_, Option<i32>>("contracted_minutes")
            .and_then(|m| u32::try_from(m).ok()),
        start_date: row.get::<_, Option<NaiveDate>>("start_date"),
        status: CrewStatus::parse(&status).ok_or_else(|| other("crew status", &status))?,
    })
}

/// The shifts of these people (every location) overlapping `[from, to)`, by person.
pub(crate) async fn booked_of(
    client: &impl GenericClient,
    people: &[Uuid],
    from: chrono::DateTime<chrono::Utc>,
    to: chrono::DateTime<chrono::Utc>,
) -> StoreResult<Vec<(Uuid, BookedShift)>> {
    let rows = client
        .q(
            // Shifts in the window first (by time, whatever the history's length), then their people among
            // the set (a hashed semi-join; `= ANY` over a long array compares every row with every id).
            "SELECT a.user_id, s.id, l.name AS location_name, s.starts_at, s.ends_at, s.break_minutes,
                    s.local_date
             FROM shifts s JOIN assignments a ON a.shift_id = s.id JOIN locations l ON l.id = s.location_id
             WHERE s.starts_at < $3 AND s.ends_at > $2 AND s.starts_at > $2 - interval '16 hours'
               AND a.user_id IN (SELECT unnest($1::UUID[]))
             ORDER BY a.user_id, s.starts_at",
            &[&people, &from, &to],
        )
        .await
        .map_err(db_error)?;
    Ok(rows
        .iter()
        .map(|row| (row.get("user_id"), booked(row)))
        .collect())
}

pub(crate) fn booked(row: &Row) -> BookedShift {
    BookedShift {
        shift_id: row.get("id"),
        location_name: row.get("location_name"),
        starts_at: row.get("starts_at"),
        ends_at: row.get("ends_at"),
        break_minutes: small(row.get("break_minutes")),
        local_date: row.get("local_date"),
    }
}

/// Total active contract minutes per person (every location); people without any contract are absent.
pub(crate) async fn contracts_of(
    client: &impl GenericClient,
    people: &[Uuid],
) -> StoreResult<Vec<(Uuid, u32)>> {
    let rows = client
        .q(
            "SELECT user_id, (sum(contracted_hours) * 60)::INTEGER AS minutes FROM user_locations
             WHERE user_id = ANY($1) AND status = 'active' AND contracted_hours IS NOT NULL
             GROUP BY user_id",
            &[&people],
        )
        .await
        .map_err(db_error)?;
    Ok(rows
        .iter()
        .map(|row| {
            let minutes: i32 = row.get("minutes");
            (row.get("user_id"), u32::try_from(minutes).unwrap_or(0))
        })
        .collect())
}

/// Raises the week's version (locking its row for this transaction). With `expected`, only when the week
/// is still at that version: `Ok(Err(current))` otherwise.
pub(crate) async fn bump_version(
    client: &impl GenericClient,
    week: Uuid,
    expected: Option<i64>,
) -> StoreResult<Result<ScheduleWeek, i64>> {
    let row = client
        .q_opt(
            &format!(
                "UPDATE schedule_weeks w SET version = w.version + 1
                 WHERE w.id = $1 AND ($2::BIGINT IS NULL OR w.version = $2) RETURNING {WEEK_COLUMNS}"
            ),
            &[&week, &expected],
        )
        .await
        .map_err(db_error)?;
    match row {
        Some(row) => Ok(Ok(self::week(&row)?)),
        None => match load_week(client, week).await? {
            None => Err(StoreError::NotFound),
            Some(current) => Ok(Err(current.version)),
        },
    }
}

/// Writes a change-history row for the week at `version`.
pub(crate) async fn record_change(
    client: &impl GenericClient,
    week: Uuid,
    version: i64,
    actor: Uuid,
    change: &NewChange,
) -> StoreResult<()> {
    client
        .execute(
            "INSERT INTO schedule_changes (id, week_id, actor_id, kind, shift_id, person_id, old_value, new_value,
                                           reason, overridden, version)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
            &[
                &Uuid::new_v4(),
                &week,
                &actor,
                &change.kind.as_str(),
                &change.shift_id,
                &change.person_id,
                &change.old,
                &change.new,
                &change.reason,
                &change.overridden,
                &version,
            ],
        )
        .await
        .map_err(db_error)?;
    Ok(())
}

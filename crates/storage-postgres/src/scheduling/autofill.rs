//! Suggest fill's snapshot, a location's auto-fill settings, and the batch that applies a reviewed proposal.
//!
//! The snapshot ([`load`]) is read in twelve queries whatever the number of weeks, shifts and people, in
//! three pipelined rounds: (1) the weeks with their locations' rules and settings; (2) the weeks' shifts
//! with their people and interest marks, the locations' positions and competencies, and the crew
//! memberships of the locations (and of the venues people may be borrowed from); (3) for everyone placed:
//! competency levels, contracts, booked shifts at every location from eight days before the weeks to eight
//! days after, approved time off, availability patterns and one-off days, and the late-night and weekend
//! shifts of the four weeks before. Everything comes out sorted, so one state of the database gives one
//! problem (the solver's determinism rests on it).
//!
//! The batch ([`apply`]) runs in one transaction: it takes the people's advisory locks in id order, then the
//! weeks' rows in id order — the order a single assignment takes them (person, then week), so batches and
//! single clicks never wait on each other in a circle — and then runs each item in a savepoint through
//! [`assign_in`], the manager's path. A refused item (rules, or PostgreSQL's overlap constraint) rolls back
//! its savepoint only.

use std::collections::{BTreeMap, BTreeSet};

use async_trait::async_trait;
use chrono::{Datelike, Duration, NaiveDate, NaiveTime, Utc, Weekday};
use crewplots_domain::accounts::{AuditEvent, LocationRef};
use crewplots_domain::hiring::PersonRef;
use crewplots_domain::policy::LocationScope;
use crewplots_domain::ports::{StoreError, StoreResult};
use crewplots_domain::scheduling::autofill::{
    FillPerson, FillProblem, FillSettings, FillShift, FillWeights, Placement, RecentLoad,
};
use crewplots_domain::scheduling::model::{
    effective_requirements, Availability, AvailabilityKind, CrewStatus, LocationRules, Position,
    ScheduleWeek, TimeOff, WeeklyWindow,
};
use crewplots_domain::scheduling::ports::{
    ApplyFill, AssignRequest, FillApplied, FillItem, FillRefusal, FillSnapshot, FillStore, FillWeek,
};
use crewplots_domain::scheduling::rules::{BookedShift, NeededLevel, PersonFacts, ShiftFacts};
use crewplots_domain::scheduling::time::{local, weekday_from_number, zone, IsoWeek};
use crewplots_domain::Role;
use deadpool_postgres::{GenericClient, Object};
use tokio_postgres::Row;
use uuid::Uuid;

use super::assign::{assign_in, lock_person};
use super::crew::position;
use super::{booked_of, contracts_of, other, week, CREW_ROLES, WEEK_COLUMNS};
use crate::store::{db_error, insert_audit, CachedQuery, PgStore};

const SETTINGS_COLUMNS: &str = "fill_allow_borrowing, fill_weight_contract_hours, fill_weight_preferred,
    fill_weight_interest, fill_weight_fair_spread, fill_weight_competency_margin, fill_weight_home_venue,
    fill_weight_few_split_days";

fn weight(row: &Row, column: &str) -> u8 {
    u8::try_from(row.get::<_, i16>(column)).unwrap_or(0)
}

pub(crate) fn settings(row: &Row) -> FillSettings {
    FillSettings {
        allow_borrowing: row.get("fill_allow_borrowing"),
        weights: FillWeights {
            contract_hours: weight(row, "fill_weight_contract_hours"),
            preferred: weight(row, "fill_weight_preferred"),
            interest: weight(row, "fill_weight_interest"),
            fair_spread: weight(row, "fill_weight_fair_spread"),
            competency_margin: weight(row, "fill_weight_competency_margin"),
            home_venue: weight(row, "fill_weight_home_venue"),
            few_split_days: weight(row, "fill_weight_few_split_days"),
        },
    }
}

pub(crate) async fn load_settings(
    client: &impl GenericClient,
    location: Uuid,
) -> StoreResult<Option<FillSettings>> {
    let row = client
        .q_opt(
            &format!("SELECT {SETTINGS_COLUMNS} FROM locations WHERE id = $1"),
            &[&location],
        )
        .await
        .map_err(db_error)?;
    Ok(row.as_ref().map(settings))
}

pub(crate) async fn save_settings(
    client: &mut Object,
    location: Uuid,
    s: FillSettings,
    audit: AuditEvent,
) -> StoreResult<()> {
    let tx = client.transaction().await.map_err(db_error)?;
    let w = s.weights;
    let values: [i16; 7] = [
        w.contract_hours,
        w.preferred,
        w.interest,
        w.fair_spread,
        w.competency_margin,
        w.home_venue,
        w.few_split_days,
    ]
    .map(i16::from);
    let changed = tx
        .execute(
            "UPDATE locations SET fill_allow_borrowing = $2, fill_weight_contract_hours = $3,
                    fill_weight_preferred = $4, fill_weight_interest = $5, fill_weight_fair_spread = $6,
                    fill_weight_competency_margin = $7, fill_weight_home_venue = $8,
                    fill_weight_few_split_days = $9, updated_at = now()
             WHERE id = $1",
            &[
                &location,
                &s.allow_borrowing,
                &values[0],
                &values[1],
                &values[2],
                &values[3],
                &values[4],
                &values[5],
                &values[6],
            ],
        )
        .await
        .map_err(db_error)?;
    if changed == 0 {
        return Err(StoreError::NotFound);
    }
    insert_audit(&tx, &audit).await?;
    tx.commit().await.map_err(db_error)
}

/// Each existing location of `locations` with its week `iso`, if created.
pub(crate) async fn weeks_at(
    client: &impl GenericClient,
    locations: &[Uuid],
    iso: IsoWeek,
) -> StoreResult<Vec<(LocationRef, Option<ScheduleWeek>)>> {
    let year = i16::try_from(iso.year()).unwrap_or(0);
    let number = i16::try_from(iso.week()).unwrap_or(0);
    let rows = client
        .q(
            &format!(
                "SELECT l.id AS l_id, l.name AS l_name, l.timezone AS l_timezone, {WEEK_COLUMNS}
                 FROM locations l LEFT JOIN schedule_weeks w
                   ON w.location_id = l.id AND w.iso_year = $2 AND w.iso_week = $3
                 WHERE l.id = ANY($1) ORDER BY l.name, l.id"
            ),
            &[&locations, &year, &number],
        )
        .await
        .map_err(db_error)?;
    rows.iter()
        .map(|row| {
            let location = LocationRef {
                id: row.get("l_id"),
                name: row.get("l_name"),
                timezone: row.get("l_timezone"),
            };
            let found = match row.get::<_, Option<Uuid>>("id") {
                Some(_) => Some(week(row)?),
                None => None,
            };
            Ok((location, found))
        })
        .collect()
}

/// The week and location of each of these shifts.
pub(crate) async fn shift_weeks(
    client: &impl GenericClient,
    shifts: &[Uuid],
) -> StoreResult<Vec<(Uuid, FillWeek)>> {
    let rows = client
        .q(
            &format!(
                "SELECT s.id AS shift_id, l.name AS location_name, l.timezone, {WEEK_COLUMNS}
                 FROM shifts s JOIN schedule_weeks w ON w.id = s.week_id JOIN locations l ON l.id = s.location_id
                 WHERE s.id = ANY($1) ORDER BY s.id"
            ),
            &[&shifts],
        )
        .await
        .map_err(db_error)?;
    rows.iter()
        .map(|row| {
            let week = week(row)?;
            Ok((
                row.get("shift_id"),
                FillWeek {
                    location: LocationRef {
                        id: week.location_id,
                        name: row.get("location_name"),
                        timezone: row.get("timezone"),
                    },
                    week,
                },
            ))
        })
        .collect()
}

/// A week being filled with what its location says.
struct LoadedWeek {
    fill: FillWeek,
    rules: LocationRules,
    settings: FillSettings,
}

/// A crew membership as the loader reads it.
struct Membership {
    user_id: Uuid,
    location: LocationRef,
    status: CrewStatus,
    position_ids: Vec<Uuid>,
    /// Lower-case names of the positions held there.
    position_names: Vec<String>,
    person: PersonRef,
}

fn membership(row: &Row) -> StoreResult<Membership> {
    let status: String = row.get("status");
    let role: String = row.get("role");
    Ok(Membership {
        user_id: row.get("user_id"),
        location: LocationRef {
            id: row.get("location_id"),
            name: row.get("location_name"),
            timezone: row.get("timezone"),
        },
        status: CrewStatus::parse(&status).ok_or_else(|| other("crew status", &status))?,
        position_ids: row.get("position_ids"),
        position_names: row.get("position_names"),
        person: PersonRef {
            id: row.get("user_id"),
            name: row.get("name"),
            role: Role::parse(&role).ok_or_else(|| other("role", &role))?,
        },
    })
}

/// A competency of a location being filled.
struct CompetencyRow {
    id: Uuid,
    location_id: Uuid,
    name: String,
    archived: bool,
}

/// A person's level, with the competency's location and lower-case name (borrowed people's levels are
/// matched by name).
struct LevelRow {
    user_id: Uuid,
    competency_id: Uuid,
    location_id: Uuid,
    name: String,
    level: u8,
}

/// Whether a shift works any time between 00:00 and 06:00 on its location's wall clock.
fn is_late_night(start: chrono::NaiveDateTime, end: chrono::NaiveDateTime) -> bool {
    let six = NaiveTime::from_hms_opt(6, 0, 0).unwrap_or(NaiveTime::MIN);
    let mut day = start.date();
    while day <= end.date() {
        let from = day.and_time(NaiveTime::MIN);
        let to = day.and_time(six);
        if start < to && from < end {
            return true;
        }
        match day.succ_opt() {
            Some(next) => day = next,
            None => break,
        }
    }
    false
}

fn weekly_window(row: &Row) -> Option<WeeklyWindow> {
    let weekday = u8::try_from(row.get::<_, i16>("weekday")).ok()?;
    let kind: String = row.get("kind");
    let start: Option<NaiveTime> = row.get("start_time");
    let end: Option<NaiveTime> = row.get("end_time");
    Some(WeeklyWindow {
        weekday: weekday_from_number(weekday)?,
        kind: AvailabilityKind::parse(&kind)?,
        window: start.zip(end),
    })
}

fn is_weekend(date: NaiveDate) -> bool {
    matches!(date.weekday(), Weekday::Sat | Weekday::Sun)
}

/// Reads everything suggest fill needs for the empty slots of `week_ids` (see the module doc).
pub(crate) async fn load(
    client: &impl GenericClient,
    week_ids: &[Uuid],
    borrow_from: &LocationScope,
) -> StoreResult<FillSnapshot> {
    // Round 1: the weeks, their locations' rules and settings.
    let rows = client
        .q(
            &format!(
                "SELECT {WEEK_COLUMNS}, l.name AS location_name, l.timezone, l.min_rest_minutes,
                        l.weekly_max_minutes, {SETTINGS_COLUMNS}
                 FROM schedule_weeks w JOIN locations l ON l.id = w.location_id
                 WHERE w.id = ANY($1) ORDER BY l.name, l.id"
            ),
            &[&week_ids],
        )
        .await
        .map_err(db_error)?;
    let mut weeks = Vec::new();
    for row in &rows {
        let found = week(row)?;
        weeks.push(LoadedWeek {
            fill: FillWeek {
                location: LocationRef {
                    id: found.location_id,
                    name: row.get("location_name"),
                    timezone: row.get("timezone"),
                },
                week: found,
            },
            rules: LocationRules {
                min_rest_minutes: u32::try_from(row.get::<_, i32>("min_rest_minutes")).unwrap_or(0),
                weekly_max_minutes: u32::try_from(row.get::<_, i32>("weekly_max_minutes"))
                    .unwrap_or(0),
            },
            settings: settings(row),
        });
    }
    let Some(iso) = weeks.first().map(|w| w.fill.week.week) else {
        return Ok(FillSnapshot {
            weeks: Vec::new(),
            problem: FillProblem::default(),
            shift_weeks: Vec::new(),
            people: Vec::new(),
            locations: Vec::new(),
        });
    };
    if weeks.iter().any(|w| w.fill.week.week != iso) {
        return Err(StoreError::Other(
            "suggest fill reads the weeks of one ISO week".into(),
        ));
    }
    let (all, scope): (bool, Vec<Uuid>) = match borrow_from {
        LocationScope::All => (true, Vec::new()),
        LocationScope::Only(ids) => (false, ids.clone()),
    };
    let in_scope = |location: Uuid| all || scope.contains(&location);
    let involved: Vec<Uuid> = weeks.iter().map(|w| w.fill.location.id).collect();
    // Locations that take borrowed crew: they allow it, and the caller manages the crew there.
    let borrowing: Vec<Uuid> = weeks
        .iter()
        .filter(|w| w.settings.allow_borrowing && in_scope(w.fill.location.id))
        .map(|w| w.fill.location.id)
        .collect();
    let with_homes = !borrowing.is_empty();

    // Round 2: shifts, positions, competencies, memberships.
    let shifts_sql = format!(
        "SELECT {}, p.name AS position_name,
                ARRAY(SELECT a.user_id FROM assignments a WHERE a.shift_id = s.id ORDER BY a.user_id) AS assigned,
                ARRAY(SELECT i.user_id FROM shift_interest i WHERE i.shift_id = s.id ORDER BY i.user_id)
                    AS interested
         FROM shifts s JOIN positions p ON p.id = s.position_id
         WHERE s.week_id = ANY($1) ORDER BY s.starts_at, s.id",
        super::SHIFT_COLUMNS
    );
    let positions_sql = "SELECT p.id, p.location_id, p.name, p.archived,
                COALESCE(array_agg(r.competency_id ORDER BY r.competency_id)
                         FILTER (WHERE r.competency_id IS NOT NULL), '{}') AS req_ids,
                COALESCE(array_agg(r.min_level ORDER BY r.competency_id)
                         FILTER (WHERE r.competency_id IS NOT NULL), '{}') AS req_levels
         FROM positions p LEFT JOIN position_requirements r ON r.position_id = p.id
         WHERE p.location_id = ANY($1) GROUP BY p.id ORDER BY p.location_id, lower(p.name), p.id";
    let competencies_sql = "SELECT id, location_id, name, archived FROM competencies
         WHERE location_id = ANY($1) ORDER BY location_id, lower(name), id";
    // Members of the locations being filled (every status: an inactive member is not borrowed there), and,
    // when a location takes borrowed crew, the active and on-leave crew of the venues they may come from.
    let members_sql = format!(
        "SELECT ul.user_id, ul.location_id, ul.status, l.name AS location_name, l.timezone,
                u.first_name || ' ' || u.last_name AS name, u.role,
                ARRAY(SELECT cp.position_id FROM crew_positions cp
                      WHERE cp.user_id = ul.user_id AND cp.location_id = ul.location_id
                      ORDER BY cp.position_id) AS position_ids,
                ARRAY(SELECT lower(p.name) FROM crew_positions cp JOIN positions p ON p.id = cp.position_id
                      WHERE cp.user_id = ul.user_id AND cp.location_id = ul.location_id
                      ORDER BY lower(p.name)) AS position_names
         FROM user_locations ul JOIN users u ON u.id = ul.user_id JOIN locations l ON l.id = ul.location_id
         WHERE {CREW_ROLES}
           AND (ul.location_id = ANY($1)
                OR ($2 AND ul.status <> 'inactive' AND l.active AND ($3 OR ul.location_id = ANY($4))))
         ORDER BY ul.user_id, ul.location_id"
    );
    let (shift_rows, position_rows, competency_rows, member_rows) = tokio::try_join!(
        async { client.q(&shifts_sql, &[&week_ids]).await },
        async { client.q(positions_sql, &[&involved]).await },
        async { client.q(competencies_sql, &[&involved]).await },
        async {
            client
                .q(&members_sql, &[&involved, &with_homes, &all, &scope])
                .await
        },
    )
    .map_err(db_error)?;
    let positions: Vec<Position> = position_rows.iter().map(position).collect();
    let competencies: Vec<CompetencyRow> = competency_rows
        .iter()
        .map(|row| CompetencyRow {
            id: row.get("id"),
            location_id: row.get("location_id"),
            name: row.get("name"),
            archived: row.get("archived"),
        })
        .collect();
    let members: Vec<Membership> = member_rows
        .iter()
        .map(membership)
        .collect::<StoreResult<_>>()?;

    // Who is placed where: members of a location being filled (active or on leave), and borrowed people.
    let mut by_person: BTreeMap<Uuid, Vec<&Membership>> = BTreeMap::new();
    for m in &members {
        by_person.entry(m.user_id).or_default().push(m);
    }
    // A borrowed placement: the person's home is their first venue in scope (active first, then by id),
    // other than the location; only when they hold a position of a name the location has.
    struct Draft<'a> {
        location_id: Uuid,
        status: CrewStatus,
        position_ids: Vec<Uuid>,
        home: Option<&'a Membership>,
    }
    let mut drafts: BTreeMap<Uuid, Vec<Draft<'_>>> = BTreeMap::new();
    for (user, list) in &by_person {
        let mut places = Vec::new();
        for location in &involved {
            match list.iter().find(|m| m.location.id == *location) {
                Some(m) if m.status != CrewStatus::Inactive => places.push(Draft {
                    location_id: *location,
                    status: m.status,
                    position_ids: m.position_ids.clone(),
                    home: None,
                }),
                Some(_) => {}
                None if borrowing.contains(location) => {
                    let mut homes: Vec<&&Membership> = list
                        .iter()
                        .filter(|m| {
                            m.location.id != *location
                                && m.status != CrewStatus::Inactive
                                && in_scope(m.location.id)
                        })
                        .collect();
                    homes.sort_by_key(|m| (m.status != CrewStatus::Active, m.location.id));
                    let Some(home) = homes.first().map(|m| **m) else {
                        continue;
                    };
                    let position_ids: Vec<Uuid> = positions
                        .iter()
                        .filter(|p| {
                            p.location_id == *location
                                && !p.archived
                                && home.position_names.contains(&p.name.to_lowercase())
                        })
                        .map(|p| p.id)
                        .collect();
                    if !position_ids.is_empty() {
                        places.push(Draft {
                            location_id: *location,
                            status: home.status,
                            position_ids,
                            home: Some(home),
                        });
                    }
                }
                None => {}
            }
        }
        if !places.is_empty() {
            drafts.insert(*user, places);
        }
    }
    let people: Vec<Uuid> = drafts.keys().copied().collect();

    // The time around the weeks.
    let bounds: Vec<_> = weeks
        .iter()
        .map(|w| w.fill.week.week.bounds(zone(&w.fill.location.timezone)))
        .collect();
    let first = bounds.iter().map(|b| b.0).min().unwrap_or_else(Utc::now);
    let last = bounds.iter().map(|b| b.1).max().unwrap_or_else(Utc::now);
    let (from, to) = (first - Duration::days(8), last + Duration::days(8));
    let recent_from = first - Duration::days(28);
    let days = iso.days();
    let (monday, sunday) = (days[0], days[6]);

    // Round 3: everything about the people placed.
    let levels_sql =
        "SELECT cl.user_id, cl.competency_id, c.location_id, lower(c.name) AS name, cl.level
         FROM competency_levels cl JOIN competencies c ON c.id = cl.competency_id
         WHERE cl.user_id = ANY($1) ORDER BY cl.user_id, c.location_id, cl.competency_id";
    let time_off_sql = "SELECT user_id, starts_at, ends_at FROM time_off_requests
         WHERE status = 'approved' AND user_id IN (SELECT unnest($1::UUID[]))
           AND starts_at < $3 AND ends_at > $2
         ORDER BY user_id, starts_at, ends_at";
    // The patterns in force during the week: the last one starting on or before Monday, and any starting
    // later in the week.
    let windows_sql = "SELECT w.user_id, w.effective_from, w.weekday, w.kind, w.start_time, w.end_time
         FROM availability_windows w
         WHERE w.user_id = ANY($1) AND w.effective_from <= $3
           AND w.effective_from >= COALESCE((SELECT max(x.effective_from) FROM availability_windows x
                                             WHERE x.user_id = w.user_id AND x.effective_from <= $2),
                                            '-infinity'::DATE)
         ORDER BY w.user_id, w.effective_from, w.weekday, w.kind, w.start_time NULLS FIRST, w.id";
    let days_sql = "SELECT user_id, day FROM unavailable_days
         WHERE user_id = ANY($1) AND day BETWEEN $2 AND $3 ORDER BY user_id, day";
    let recent_sql = "SELECT a.user_id, s.starts_at, s.ends_at, s.local_date, l.timezone
         FROM shifts s JOIN assignments a ON a.shift_id = s.id JOIN schedule_weeks w ON w.id = s.week_id
         JOIN locations l ON l.id = s.location_id
         WHERE w.status = 'published' AND s.starts_at >= $2 AND s.starts_at < $3
           AND a.user_id IN (SELECT unnest($1::UUID[]))
         ORDER BY a.user_id, s.starts_at";
    let (level_rows, contracts, booked, time_off_rows, window_rows, day_rows, recent_rows) = tokio::try_join!(
        async { client.q(levels_sql, &[&people]).await.map_err(db_error) },
        contracts_of(client, &people),
        booked_of(client, &people, from, to),
        async {
            client
                .q(time_off_sql, &[&people, &from, &to])
                .await
                .map_err(db_error)
        },
        async {
            client
                .q(windows_sql, &[&people, &monday, &sunday])
                .await
                .map_err(db_error)
        },
        async {
            client
                .q(days_sql, &[&people, &monday, &sunday])
                .await
                .map_err(db_error)
        },
        async {
            client
                .q(recent_sql, &[&people, &recent_from, &first])
                .await
                .map_err(db_error)
        },
    )?;
    let levels: Vec<LevelRow> = level_rows
        .iter()
        .map(|row| LevelRow {
            user_id: row.get("user_id"),
            competency_id: row.get("competency_id"),
            location_id: row.get("location_id"),
            name: row.get("name"),
            level: u8::try_from(row.get::<_, i16>("level")).unwrap_or(0),
        })
        .collect();
    let mut windows: BTreeMap<Uuid, Vec<(NaiveDate, WeeklyWindow)>> = BTreeMap::new();
    for row in &window_rows {
        let Some(window) = weekly_window(row) else {
            continue;
        };
        windows
            .entry(row.get("user_id"))
            .or_default()
            .push((row.get("effective_from"), window));
    }
    let mut recent: BTreeMap<Uuid, RecentLoad> = BTreeMap::new();
    for row in &recent_rows {
        let tz = zone(row.get("timezone"));
        let load = recent.entry(row.get("user_id")).or_default();
        if is_late_night(
            local(tz, row.get("starts_at")),
            local(tz, row.get("ends_at")),
        ) {
            load.late_nights += 1;
        }
        if is_weekend(row.get("local_date")) {
            load.weekends += 1;
        }
    }

    // The locations' shifts with an empty slot, as the rule engine sees them.
    let week_of_location: BTreeMap<Uuid, &LoadedWeek> =
        weeks.iter().map(|w| (w.fill.location.id, w)).collect();
    let mut shifts = Vec::new();
    let mut shift_weeks = Vec::new();
    for row in &shift_rows {
        let shift = super::shift(row);
        let assigned: Vec<Uuid> = row.get("assigned");
        if assigned.len() >= usize::from(shift.spec.slots) {
            continue;
        }
        let Some(loaded) = week_of_location.get(&shift.location_id) else {
            continue;
        };
        let tz = zone(&loaded.fill.location.timezone);
        let spec = &shift.spec;
        let own = positions.iter().find(|p| p.id == spec.position_id);
        let known = |id: Uuid| {
            competencies
                .iter()
                .find(|c| c.id == id && c.location_id == shift.location_id)
        };
        let requirements: Vec<NeededLevel> =
            effective_requirements(own.map_or(&[][..], |p| &p.requirements), &spec.requirements)
                .into_iter()
                .filter_map(|r| {
                    // An archived competency is no longer assessed, so it no longer holds anybody back.
                    let competency = known(r.competency_id).filter(|c| !c.archived)?;
                    Some(NeededLevel {
                        competency_id: r.competency_id,
                        name: competency.name.clone(),
                        min_level: r.min_level,
                    })
                })
                .collect();
        shift_weeks.push((shift.id, shift.week_id));
        shifts.push(FillShift {
            location_id: shift.location_id,
            position_id: spec.position_id,
            position_name: row.get("position_name"),
            facts: ShiftFacts {
                shift: BookedShift {
                    shift_id: shift.id,
                    location_name: loaded.fill.location.name.clone(),
                    starts_at: spec.starts_at,
                    ends_at: spec.ends_at,
                    break_minutes: spec.break_minutes,
                    local_date: spec.local_date,
                },
                local_start: local(tz, spec.starts_at),
                local_end: local(tz, spec.ends_at),
                slots: spec.slots,
                assigned,
                requirements,
            },
            interested: row.get("interested"),
        });
    }

    // The people, each with their facts and placements.
    let mut fill_people = Vec::new();
    let mut names = Vec::new();
    let mut locations: BTreeMap<Uuid, LocationRef> = weeks
        .iter()
        .map(|w| (w.fill.location.id, w.fill.location.clone()))
        .collect();
    for (user, places) in &drafts {
        let placements = places
            .iter()
            .map(|d| {
                let here: Vec<&CompetencyRow> = competencies
                    .iter()
                    .filter(|c| c.location_id == d.location_id)
                    .collect();
                let levels = match d.home {
                    None => levels
                        .iter()
                        .filter(|l| l.user_id == *user && l.location_id == d.location_id)
                        .map(|l| (l.competency_id, l.level))
                        .collect(),
                    Some(home) => here
                        .iter()
                        .filter_map(|c| {
                            let name = c.name.to_lowercase();
                            levels
                                .iter()
                                .find(|l| {
                                    l.user_id == *user
                                        && l.location_id == home.location.id
                                        && l.name == name
                                })
                                .map(|l| (c.id, l.level))
                        })
                        .collect(),
                };
                if let Some(home) = d.home {
                    locations
                        .entry(home.location.id)
                        .or_insert_with(|| home.location.clone());
                }
                Placement {
                    location_id: d.location_id,
                    status: d.status,
                    position_ids: d.position_ids.clone(),
                    levels,
                    borrowed_from: d.home.map(|h| h.location.id),
                }
            })
            .collect();
        let in_force = |date: NaiveDate| {
            windows.get(user).and_then(|list| {
                list.iter()
                    .map(|(from, _)| *from)
                    .filter(|from| *from <= date)
                    .max()
            })
        };
        // One week: each weekday reads the pattern in force on its own date.
        let weekly: Vec<WeeklyWindow> = days
            .iter()
            .flat_map(|date| {
                let from = in_force(*date);
                windows
                    .get(user)
                    .into_iter()
                    .flatten()
                    .filter(move |(f, w)| Some(*f) == from && w.weekday == date.weekday())
                    .map(|(_, w)| *w)
            })
            .collect();
        fill_people.push(FillPerson {
            user_id: *user,
            facts: PersonFacts {
                user_id: *user,
                status: None,
                contracted_minutes: contracts.iter().find(|(id, _)| id == user).map(|(_, m)| *m),
                levels: Vec::new(),
                booked: {
                    let mut own: Vec<BookedShift> = booked
                        .iter()
                        .filter(|(id, _)| id == user)
                        .map(|(_, b)| b.clone())
                        .collect();
                    own.sort_by_key(|b| (b.starts_at, b.shift_id));
                    own
                },
                time_off: time_off_rows
                    .iter()
                    .filter(|r| r.get::<_, Uuid>("user_id") == *user)
                    .map(|r| TimeOff {
                        starts_at: r.get("starts_at"),
                        ends_at: r.get("ends_at"),
                    })
                    .collect(),
                availability: Availability {
                    weekly,
                    unavailable_dates: day_rows
                        .iter()
                        .filter(|r| r.get::<_, Uuid>("user_id") == *user)
                        .map(|r| r.get("day"))
                        .collect(),
                },
            },
            places: placements,
            recent: recent.get(user).copied().unwrap_or_default(),
        });
        if let Some(m) = by_person.get(user).and_then(|list| list.first()) {
            names.push(m.person.clone());
        }
    }

    let problem = FillProblem {
        shifts,
        people: fill_people,
        locations: weeks
            .iter()
            .map(|w| (w.fill.location.id, (w.rules, w.settings)))
            .collect(),
    };
    Ok(FillSnapshot {
        weeks: weeks.into_iter().map(|w| w.fill).collect(),
        problem,
        shift_weeks,
        people: names,
        locations: locations.into_values().collect(),
    })
}

/// What an item needs to know of its shift, read after the locks.
struct ItemShift {
    week_id: Uuid,
    location_id: Uuid,
    position_id: Uuid,
    position_name: String,
    published: bool,
    allow_borrowing: bool,
}

/// Applies a reviewed proposal (see the module doc).
pub(crate) async fn apply(
    client: &mut Object,
    batch: ApplyFill,
) -> StoreResult<Vec<(FillItem, Result<FillApplied, FillRefusal>)>> {
    let mut items = batch.items.clone();
    items.sort();
    items.dedup();
    let users: BTreeSet<Uuid> = items.iter().map(|i| i.user_id).collect();
    let shift_ids: Vec<Uuid> = items
        .iter()
        .map(|i| i.shift_id)
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let mut tx = client.transaction().await.map_err(db_error)?;
    for user in &users {
        lock_person(&tx, *user).await?;
    }
    tx.q(
        "SELECT w.id FROM schedule_weeks w WHERE w.id IN (SELECT week_id FROM shifts WHERE id = ANY($1))
         ORDER BY w.id FOR UPDATE",
        &[&shift_ids],
    )
    .await
    .map_err(db_error)?;
    let rows = tx
        .q(
            "SELECT s.id, s.week_id, s.location_id, s.position_id, p.name AS position_name,
                    w.status = 'published' AS published, l.fill_allow_borrowing
             FROM shifts s JOIN schedule_weeks w ON w.id = s.week_id JOIN positions p ON p.id = s.position_id
             JOIN locations l ON l.id = s.location_id
             WHERE s.id = ANY($1)",
            &[&shift_ids],
        )
        .await
        .map_err(db_error)?;
    let shifts: BTreeMap<Uuid, ItemShift> = rows
        .iter()
        .map(|row| {
            (
                row.get("id"),
                ItemShift {
                    week_id: row.get("week_id"),
                    location_id: row.get("location_id"),
                    position_id: row.get("position_id"),
                    position_name: row.get("position_name"),
                    published: row.get("published"),
                    allow_borrowing: row.get("fill_allow_borrowing"),
                },
            )
        })
        .collect();
    let mut results = Vec::with_capacity(items.len());
    for item in items {
        let Some(shift) = shifts.get(&item.shift_id) else {
            results.push((item, Err(FillRefusal::ShiftGone)));
            continue;
        };
        if shift.published {
            results.push((item, Err(FillRefusal::WeekPublished)));
            continue;
        }
        let savepoint = tx.transaction().await.map_err(db_error)?;
        let outcome = apply_item(&savepoint, &batch, item, shift).await?;
        if outcome.is_ok() {
            savepoint.commit().await.map_err(db_error)?;
        } else {
            savepoint.rollback().await.map_err(db_error)?;
        }
        results.push((item, outcome));
    }
    tx.commit().await.map_err(db_error)?;
    Ok(results)
}

/// One item inside its savepoint: borrow the person if they are not crew here and may be borrowed, then
/// the manager's assignment path.
async fn apply_item(
    tx: &impl GenericClient,
    apply: &ApplyFill,
    item: FillItem,
    shift: &ItemShift,
) -> StoreResult<Result<FillApplied, FillRefusal>> {
    let scope_all = matches!(apply.borrow_from, LocationScope::All);
    let scope: Vec<Uuid> = match &apply.borrow_from {
        LocationScope::All => Vec::new(),
        LocationScope::Only(ids) => ids.clone(),
    };
    let borrowed_from =
        if shift.allow_borrowing && (scope_all || scope.contains(&shift.location_id)) {
            borrow(tx, apply, item, shift, scope_all, &scope).await?
        } else {
            None
        };
    let request = AssignRequest {
        id: Uuid::new_v4(),
        shift_id: item.shift_id,
        user_id: item.user_id,
        actor_id: apply.actor_id,
        override_reason: None,
        past_reason: None,
        source: "autofill",
        audit: apply.audit.clone(),
    };
    match assign_in(tx, &request).await? {
        Ok(assigned) => {
            let mut audit = apply
                .audit
                .clone()
                .subject("user", item.user_id)
                .location(shift.location_id)
                .detail("shift", item.shift_id.to_string())
                .detail("week", shift.week_id.to_string());
            if let Some(home) = borrowed_from {
                audit = audit.detail("borrowedFrom", home.to_string());
            }
            insert_audit(tx, &audit).await?;
            Ok(Ok(FillApplied {
                assigned,
                borrowed_from,
            }))
        }
        Err(refusal) => Ok(Err(FillRefusal::Week(refusal))),
    }
}

/// Makes a person crew at the shift's location when they are not (at any status) and one of their venues
/// in scope has them in a position of the shift's position's name: the membership (the home's status, no
/// contract of its own, the shift's position) and their levels carried over by competency name, audited.
/// Returns the home venue.
async fn borrow(
    tx: &impl GenericClient,
    apply: &ApplyFill,
    item: FillItem,
    shift: &ItemShift,
    scope_all: bool,
    scope: &[Uuid],
) -> StoreResult<Option<Uuid>> {
    let home = tx
        .q_opt(
            &format!(
                "SELECT ul.location_id, ul.status, l.name AS location_name FROM user_locations ul
                 JOIN users u ON u.id = ul.user_id JOIN locations l ON l.id = ul.location_id
                 WHERE ul.user_id = $1 AND ul.location_id <> $2 AND ul.status <> 'inactive' AND l.active
                   AND {CREW_ROLES} AND ($4 OR ul.location_id = ANY($5))
                   AND NOT EXISTS (SELECT 1 FROM user_locations x WHERE x.user_id = $1 AND x.location_id = $2)
                   AND EXISTS (SELECT 1 FROM crew_positions cp JOIN positions p ON p.id = cp.position_id
                               WHERE cp.user_id = ul.user_id AND cp.location_id = ul.location_id
                                 AND lower(p.name) = lower($3))
                 ORDER BY ul.status <> 'active', ul.location_id LIMIT 1"
            ),
            &[
                &item.user_id,
                &shift.location_id,
                &shift.position_name,
                &scope_all,
                &scope,
            ],
        )
        .await
        .map_err(db_error)?;
    let Some(home) = home else { return Ok(None) };
    let home_id: Uuid = home.get("location_id");
    let status: String = home.get("status");
    let home_name: String = home.get("location_name");
    tx.execute(
        "INSERT INTO user_locations (user_id, location_id, status, start_date) VALUES ($1, $2, $3, CURRENT_DATE)",
        &[&item.user_id, &shift.location_id, &status],
    )
    .await
    .map_err(db_error)?;
    tx.execute(
        "INSERT INTO crew_positions (user_id, location_id, position_id) VALUES ($1, $2, $3)",
        &[&item.user_id, &shift.location_id, &shift.position_id],
    )
    .await
    .map_err(db_error)?;
    // Levels at home carried over to the competencies of the same name here, where none is recorded yet,
    // with a history row saying where they came from.
    let note = format!("Carried over from {home_name} when borrowed for a shift");
    let note = note.chars().take(500).collect::<String>();
    tx.execute(
        "WITH carried AS (
             INSERT INTO competency_levels (user_id, competency_id, level, assessed_by, assessed_on, note)
             SELECT $1, here.id, cl.level, $4, CURRENT_DATE, $5
             FROM competencies here
             JOIN competencies there ON there.location_id = $3 AND lower(there.name) = lower(here.name)
             JOIN competency_levels cl ON cl.competency_id = there.id AND cl.user_id = $1
             WHERE here.location_id = $2 AND NOT here.archived
             ON CONFLICT (user_id, competency_id) DO NOTHING
             RETURNING competency_id, level)
         INSERT INTO competency_assessments (id, user_id, competency_id, level, assessed_by, assessed_on, note)
         SELECT gen_random_uuid(), $1, competency_id, level, $4, CURRENT_DATE, $5 FROM carried",
        &[
            &item.user_id,
            &shift.location_id,
            &home_id,
            &apply.actor_id,
            &note,
        ],
    )
    .await
    .map_err(db_error)?;
    let audit = AuditEvent {
        action: "crew.borrowed",
        ..apply.audit.clone()
    }
    .subject("user", item.user_id)
    .location(shift.location_id)
    .detail("from", home_id.to_string())
    .detail("position", shift.position_id.to_string());
    insert_audit(tx, &audit).await?;
    Ok(Some(home_id))
}

#[async_trait]
impl FillStore for PgStore {
    async fn fill_settings(&self, location: Uuid) -> StoreResult<Option<FillSettings>> {
        load_settings(&self.client().await?, location).await
    }

    async fn set_fill_settings(
        &self,
        location: Uuid,
        settings: FillSettings,
        audit: AuditEvent,
    ) -> StoreResult<()> {
        save_settings(&mut self.client().await?, location, settings, audit).await
    }

    async fn fill_weeks(
        &self,
        locations: &[Uuid],
        week: IsoWeek,
    ) -> StoreResult<Vec<(LocationRef, Option<ScheduleWeek>)>> {
        weeks_at(&self.client().await?, locations, week).await
    }

    async fn fill_problem(
        &self,
        weeks: &[Uuid],
        borrow_from: &LocationScope,
    ) -> StoreResult<FillSnapshot> {
        load(&self.client().await?, weeks, borrow_from).await
    }

    async fn shift_weeks(&self, shifts: &[Uuid]) -> StoreResult<Vec<(Uuid, FillWeek)>> {
        shift_weeks(&self.client().await?, shifts).await
    }

    async fn apply_fill(
        &self,
        batch: ApplyFill,
    ) -> StoreResult<Vec<(FillItem, Result<FillApplied, FillRefusal>)>> {
        apply(&mut self.client().await?, batch).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDateTime;

    fn at(text: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M").unwrap()
    }

    #[test]
    fn late_nights_are_shifts_working_between_midnight_and_six() {
        assert!(is_late_night(
            at("2026-12-04 22:00"),
            at("2026-12-05 03:00")
        ));
        assert!(is_late_night(
            at("2026-12-05 05:00"),
            at("2026-12-05 09:00")
        ));
        assert!(!is_late_night(
            at("2026-12-05 06:00"),
            at("2026-12-05 14:00")
        ));
        assert!(!is_late_night(
            at("2026-12-05 18:00"),
            at("2026-12-05 23:59")
        ));
        assert!(is_late_night(
            at("2026-12-05 18:00"),
            at("2026-12-06 00:30")
        ));
    }

    #[test]
    fn weekends_are_saturdays_and_sundays() {
        assert!(is_weekend(NaiveDate::from_ymd_opt(2026, 12, 5).unwrap()));
        assert!(is_weekend(NaiveDate::from_ymd_opt(2026, 12, 6).unwrap()));
        assert!(!is_weekend(NaiveDate::from_ymd_opt(2026, 12, 7).unwrap()));
    }
}

//! The rule engine's inputs and the assignment commands.
//!
//! `assign` takes a transaction-scoped advisory lock on the person, raises the week's version (locking its
//! row, so the slot count cannot change under it), loads the person's facts *inside* the transaction and
//! runs the domain's rule engine on them; only then does it insert. Two requests putting one person on
//! overlapping shifts at two venues therefore meet at the person's lock, and the second sees the first's
//! assignment; the exclusion constraint `assignments_no_overlap` stands behind that as the last word.
//! The steps live in [`assign_in`], which runs inside a caller's transaction: a single assignment commits
//! its own, auto-fill's batch runs each item in a savepoint of one transaction (`super::autofill`).

use chrono::{Duration, Utc};
use crewplots_domain::accounts::AuditEvent;
use crewplots_domain::ports::{StoreError, StoreResult};
use crewplots_domain::scheduling::model::{
    effective_requirements, shift_summary, Availability, AvailabilityKind, ChangeKind, CrewMember,
    NewChange, TimeOff, WeeklyWindow,
};
use crewplots_domain::scheduling::ports::{
    AssignRequest, Assigned, RosterFilter, ScheduleWeek, ShiftContext, WeekRefusal,
};
use crewplots_domain::scheduling::rules::{self, NeededLevel, PersonFacts, ShiftFacts};
use crewplots_domain::scheduling::time::{local, weekday_from_number, zone};
use deadpool_postgres::{GenericClient, Object};
use tokio_postgres::error::SqlState;
use uuid::Uuid;

use super::crew::{load_competencies, load_positions, load_roster};
use super::weeks::{load_rules, load_shift};
use super::{
    assignment, booked_of, bump_version, contracts_of, crew_member, record_change,
    ASSIGNMENT_COLUMNS, CREW_SELECT,
};
use crate::store::{db_error, insert_audit, CachedQuery};

/// The shift's facts and those of `only` (one person, inside a command) or of the location's whole crew.
pub(crate) async fn shift_context(
    client: &impl GenericClient,
    shift_id: Uuid,
    only: Option<Uuid>,
) -> StoreResult<Option<ShiftContext>> {
    let Some((shift, week)) = load_shift(client, shift_id).await? else {
        return Ok(None);
    };
    let (rules, timezone) = load_rules(client, shift.location_id)
        .await?
        .ok_or(StoreError::NotFound)?;
    let tz = zone(&timezone);
    let spec = &shift.spec;
    let (from, to) = (
        spec.starts_at - Duration::days(8),
        spec.ends_at + Duration::days(8),
    );

    let members = async {
        match only {
            None => load_roster(client, shift.location_id, &RosterFilter::default()).await,
            Some(user) => {
                let rows = client
                    .q(
                        &format!("{CREW_SELECT} WHERE ul.user_id = $1 AND ul.location_id = $2"),
                        &[&user, &shift.location_id],
                    )
                    .await
                    .map_err(db_error)?;
                rows.iter().map(crew_member).collect()
            }
        }
    };
    let assigned = async {
        client
            .q(
                "SELECT user_id FROM assignments WHERE shift_id = $1",
                &[&shift_id],
            )
            .await
            .map_err(db_error)
    };
    let (members, assigned, positions, competencies) = tokio::try_join!(
        members,
        assigned,
        load_positions(client, "p.id", spec.position_id),
        load_competencies(client, shift.location_id)
    )?;
    let position = positions.into_iter().next();
    // An archived competency is no longer assessed, so it no longer holds anybody back.
    let requirements: Vec<_> = effective_requirements(
        position.as_ref().map_or(&[][..], |p| &p.requirements),
        &spec.requirements,
    )
    .into_iter()
    .filter(|r| {
        competencies
            .iter()
            .any(|c| c.id == r.competency_id && !c.archived)
    })
    .collect();
    let needed: Vec<NeededLevel> = requirements
        .iter()
        .map(|r| NeededLevel {
            competency_id: r.competency_id,
            name: competencies
                .iter()
                .find(|c| c.id == r.competency_id)
                .map_or_else(|| "?".to_string(), |c| c.name.clone()),
            min_level: r.min_level,
        })
        .collect();
    let people: Vec<Uuid> = match only {
        Some(user) => vec![user],
        None => members.iter().map(|m| m.person.id).collect(),
    };
    let competency_ids: Vec<Uuid> = requirements.iter().map(|r| r.competency_id).collect();
    let levels = async {
        client
            .q(
                "SELECT user_id, competency_id, level FROM competency_levels
                 WHERE user_id = ANY($1) AND competency_id = ANY($2)",
                &[&people, &competency_ids],
            )
            .await
            .map_err(db_error)
    };
    let time_off = async {
        client
            .q(
                "SELECT user_id, starts_at, ends_at FROM time_off_requests
                 WHERE user_id = ANY($1) AND status = 'approved' AND starts_at < $3 AND ends_at > $2",
                &[&people, &spec.starts_at, &spec.ends_at],
            )
            .await
            .map_err(db_error)
    };
    let windows = async {
        client
            .q(
                "SELECT w.user_id, w.weekday, w.kind, w.start_time, w.end_time FROM availability_windows w
                 WHERE w.user_id = ANY($1) AND w.effective_from = (
                     SELECT max(x.effective_from) FROM availability_windows x
                     WHERE x.user_id = w.user_id AND x.effective_from <= $2)",
                &[&people, &spec.local_date],
            )
            .await
            .map_err(db_error)
    };
    let days = async {
        client
            .q(
                "SELECT user_id, day FROM unavailable_days WHERE user_id = ANY($1) AND day = $2",
                &[&people, &spec.local_date],
            )
            .await
            .map_err(db_error)
    };
    let (levels, time_off, windows, days, contracts, booked) = tokio::try_join!(
        levels,
        time_off,
        windows,
        days,
        contracts_of(client, &people),
        booked_of(client, &people, from, to)
    )?;

    let facts_of = |user: Uuid, member: Option<&CrewMember>| PersonFacts {
        user_id: user,
        status: member.map(|m| m.status),
        contracted_minutes: contracts
            .iter()
            .find(|(id, _)| *id == user)
            .map(|(_, m)| *m),
        levels: levels
            .iter()
            .filter(|r| r.get::<_, Uuid>("user_id") == user)
            .map(|r| {
                (
                    r.get("competency_id"),
                    u8::try_from(r.get::<_, i16>("level")).unwrap_or(0),
                )
            })
            .collect(),
        booked: booked
            .iter()
            .filter(|(id, _)| *id == user)
            .map(|(_, b)| b.clone())
            .collect(),
        time_off: time_off
            .iter()
            .filter(|r| r.get::<_, Uuid>("user_id") == user)
            .map(|r| TimeOff {
                starts_at: r.get("starts_at"),
                ends_at: r.get("ends_at"),
            })
            .collect(),
        availability: Availability {
            weekly: windows
                .iter()
                .filter(|r| r.get::<_, Uuid>("user_id") == user)
                .filter_map(|r| {
                    let weekday = u8::try_from(r.get::<_, i16>("weekday")).ok()?;
                    let kind: String = r.get("kind");
                    let start: Option<chrono::NaiveTime> = r.get("start_time");
                    let end: Option<chrono::NaiveTime> = r.get("end_time");
                    Some(WeeklyWindow {
                        weekday: weekday_from_number(weekday)?,
                        kind: AvailabilityKind::parse(&kind)?,
                        window: start.zip(end),
                    })
                })
                .collect(),
            unavailable_dates: days
                .iter()
                .filter(|r| r.get::<_, Uuid>("user_id") == user)
                .map(|r| r.get("day"))
                .collect(),
        },
    };
    let people: Vec<(CrewMember, PersonFacts)> = match only {
        Some(user) => {
            let member = members.into_iter().next();
            let facts = facts_of(user, member.as_ref());
            member.map(|m| (m, facts)).into_iter().collect()
        }
        None => members
            .into_iter()
            .map(|m| {
                let facts = facts_of(m.person.id, Some(&m));
                (m, facts)
            })
            .collect(),
    };
    let facts = ShiftFacts {
        shift: rules::BookedShift {
            shift_id: shift.id,
            location_name: String::new(),
            starts_at: spec.starts_at,
            ends_at: spec.ends_at,
            break_minutes: spec.break_minutes,
            local_date: spec.local_date,
        },
        local_start: local(tz, spec.starts_at),
        local_end: local(tz, spec.ends_at),
        slots: spec.slots,
        assigned: assigned.iter().map(|r| r.get(0)).collect(),
        requirements: needed,
    };
    Ok(Some(ShiftContext {
        position_name: position.map_or_else(String::new, |p| p.name),
        shift,
        week,
        timezone,
        rules,
        facts,
        people,
    }))
}

pub(crate) async fn lock_person(client: &impl GenericClient, user: Uuid) -> StoreResult<()> {
    client
        .execute(
            "SELECT pg_advisory_xact_lock(hashtextextended('crew-person:' || $1::UUID::TEXT, 0))",
            &[&user],
        )
        .await
        .map_err(db_error)?;
    Ok(())
}

/// A shift of a week that crew have seen, which has started: changing it needs a reason.
fn needs_past_reason(week: &ScheduleWeek, starts_at: chrono::DateTime<Utc>) -> bool {
    week.published_version.is_some() && starts_at <= Utc::now()
}

pub(crate) async fn assign(
    client: &mut Object,
    request: AssignRequest,
) -> StoreResult<Result<Assigned, WeekRefusal>> {
    let tx = client.transaction().await.map_err(db_error)?;
    let outcome = assign_in(&tx, &request).await?;
    if outcome.is_ok() {
        tx.commit().await.map_err(db_error)?;
    }
    Ok(outcome)
}

/// The one assignment path, inside the caller's transaction (a manager's click, a copied week, auto-fill's
/// batch): the person's lock, the week's version raised (its row locked), the facts loaded here and the
/// rule engine run on them, then the insert, the history row and the audit line of an override. On a
/// refusal the caller must roll back (the transaction, or the savepoint it runs this in): an overlap
/// refused by PostgreSQL leaves it aborted.
pub(crate) async fn assign_in(
    tx: &impl GenericClient,
    request: &AssignRequest,
) -> StoreResult<Result<Assigned, WeekRefusal>> {
    lock_person(tx, request.user_id).await?;
    let week_id: Uuid = tx
        .q_opt(
            "SELECT week_id FROM shifts WHERE id = $1",
            &[&request.shift_id],
        )
        .await
        .map_err(db_error)?
        .ok_or(StoreError::NotFound)?
        .get(0);
    let bumped = match bump_version(tx, week_id, None).await? {
        Ok(week) => week,
        Err(current) => return Ok(Err(WeekRefusal::VersionChanged { current })),
    };
    let context = shift_context(tx, request.shift_id, Some(request.user_id))
        .await?
        .ok_or(StoreError::NotFound)?;
    if needs_past_reason(&context.week, context.shift.spec.starts_at)
        && request.past_reason.is_none()
    {
        return Ok(Err(WeekRefusal::ShiftStarted));
    }
    let person = context
        .people
        .first()
        .map(|(_, facts)| facts.clone())
        .unwrap_or_else(|| PersonFacts {
            user_id: request.user_id,
            ..PersonFacts::default()
        });
    let verdict = rules::check(&context.facts, &person, &context.rules);
    let accepted = match verdict.decide(request.override_reason.as_deref()) {
        Ok(accepted) => accepted,
        Err(refusal) => return Ok(Err(WeekRefusal::Rules(refusal))),
    };
    let overridden: Vec<String> = accepted.overridden.iter().map(|c| c.to_string()).collect();
    let reason = if overridden.is_empty() {
        None
    } else {
        request.override_reason.clone()
    };
    let spec = &context.shift.spec;
    let inserted = tx
        .execute(
            "INSERT INTO assignments (id, shift_id, user_id, during, source, overridden, override_reason, created_by)
             VALUES ($1, $2, $3, tstzrange($4, $5), $6, $7, $8, $9)",
            &[
                &request.id,
                &request.shift_id,
                &request.user_id,
                &spec.starts_at,
                &spec.ends_at,
                &request.source,
                &overridden,
                &reason,
                &request.actor_id,
            ],
        )
        .await;
    if let Err(error) = &inserted {
        if matches!(
            error.code(),
            Some(&SqlState::EXCLUSION_VIOLATION) | Some(&SqlState::UNIQUE_VIOLATION)
        ) {
            return Ok(Err(WeekRefusal::Overlap {
                user_id: Some(request.user_id),
            }));
        }
    }
    inserted.map_err(db_error)?;
    let mut change = NewChange::new(ChangeKind::Assigned);
    change.shift_id = Some(request.shift_id);
    change.person_id = Some(request.user_id);
    change.new = Some(shift_summary(
        zone(&context.timezone),
        spec.starts_at,
        spec.ends_at,
        &context.position_name,
        spec.slots,
    ));
    change.reason = reason.clone().or(request.past_reason.clone());
    change.overridden = overridden.clone();
    record_change(tx, week_id, bumped.version, request.actor_id, &change).await?;
    if !overridden.is_empty() || request.past_reason.is_some() {
        let mut audit = request.audit.clone();
        if !overridden.is_empty() {
            audit = audit.detail("overridden", overridden.join(","));
        }
        insert_audit(tx, &audit).await?;
    }
    let row = tx
        .q_one(
            &format!(
                "SELECT {ASSIGNMENT_COLUMNS} FROM assignments a JOIN users u ON u.id = a.user_id WHERE a.id = $1"
            ),
            &[&request.id],
        )
        .await
        .map_err(db_error)?;
    let made = assignment(&row)?;
    Ok(Ok(Assigned {
        assignment: made,
        accepted,
        week: bumped,
    }))
}

pub(crate) async fn unassign(
    client: &mut Object,
    id: Uuid,
    actor: Uuid,
    past_reason: Option<String>,
    audit: Option<AuditEvent>,
) -> StoreResult<Result<ScheduleWeek, WeekRefusal>> {
    let tx = client.transaction().await.map_err(db_error)?;
    let row = tx
        .q_opt(
            "SELECT a.user_id, s.id AS shift_id, s.week_id, s.starts_at, s.ends_at, s.slots, p.name AS position,
                    l.timezone
             FROM assignments a JOIN shifts s ON s.id = a.shift_id JOIN positions p ON p.id = s.position_id
             JOIN locations l ON l.id = s.location_id WHERE a.id = $1",
            &[&id],
        )
        .await
        .map_err(db_error)?
        .ok_or(StoreError::NotFound)?;
    let week_id: Uuid = row.get("week_id");
    let bumped = match bump_version(&tx, week_id, None).await? {
        Ok(week) => week,
        Err(current) => return Ok(Err(WeekRefusal::VersionChanged { current })),
    };
    if needs_past_reason(&bumped, row.get("starts_at")) && past_reason.is_none() {
        return Ok(Err(WeekRefusal::ShiftStarted));
    }
    let deleted = tx
        .execute("DELETE FROM assignments WHERE id = $1", &[&id])
        .await
        .map_err(db_error)?;
    if deleted == 0 {
        return Err(StoreError::NotFound);
    }
    let mut change = NewChange::new(ChangeKind::Unassigned);
    change.shift_id = Some(row.get("shift_id"));
    change.person_id = Some(row.get("user_id"));
    change.old = Some(shift_summary(
        zone(row.get("timezone")),
        row.get("starts_at"),
        row.get("ends_at"),
        row.get("position"),
        u16::try_from(row.get::<_, i16>("slots")).unwrap_or(0),
    ));
    change.reason = past_reason;
    record_change(&tx, week_id, bumped.version, actor, &change).await?;
    if let Some(audit) = &audit {
        insert_audit(&tx, audit).await?;
    }
    tx.commit().await.map_err(db_error)?;
    Ok(Ok(bumped))
}

//! Shifts of a week and the people on them: add, change and remove shifts; who the rules allow on a shift;
//! assign and unassign. Every assignment goes through the domain's rule engine inside the store's
//! transaction; this file only parses, checks who may act, and maps the answer.

use actix_web::{delete, get, patch, post, web, HttpResponse};
use crewplots_domain::accounts::AuditEvent;
use crewplots_domain::policy::{self, Action};
use crewplots_domain::scheduling::model::{
    shift_summary, ChangeKind, CrewStatus, NewChange, Shift,
};
use crewplots_domain::scheduling::ports::AssignRequest as StoreAssign;
use crewplots_domain::scheduling::rules::{self, person_week};
use crewplots_domain::scheduling::time::{zone, IsoWeek};
use crewplots_domain::validation::FieldErrors;
use uuid::Uuid;

use super::{shift_spec, week_refused};
use crate::access;
use crate::auth::{ClientIp, CurrentUser};
use crate::dto::{
    AssignRequest, AssignResponse, EligibleList, EligiblePerson, ErrorBody, GridAssignment,
    PersonName, RemoveRequest, RuleReason, ScheduleWeek, ShiftRequest, WeekChanged,
};
use crate::error::ApiError;
use crate::state::AppState;

/// The history line of a shift: `2026-12-08 18:00–23:00 Bartender ×2`.
async fn summary(state: &AppState, tz: chrono_tz::Tz, shift: &Shift) -> Result<String, ApiError> {
    let name = state
        .crew
        .position(shift.spec.position_id)
        .await?
        .map_or_else(String::new, |p| p.name);
    Ok(shift_summary(
        tz,
        shift.spec.starts_at,
        shift.spec.ends_at,
        &name,
        shift.spec.slots,
    ))
}

async fn timezone(state: &AppState, location: Uuid) -> Result<chrono_tz::Tz, ApiError> {
    Ok(state
        .schedule
        .location_rules(location)
        .await?
        .map_or(chrono_tz::Europe::Amsterdam, |(_, tz)| zone(&tz)))
}

fn past_audit(
    current: &CurrentUser,
    ip: ClientIp,
    location: Uuid,
    shift: Uuid,
    reason: &str,
) -> AuditEvent {
    AuditEvent::new("schedule.past_changed")
        .actor(Some(current.user.id))
        .subject("shift", shift)
        .location(location)
        .ip(ip.0)
        .detail("reason", reason.to_string())
}

/// Adds a shift to a week (a one-off, or a second shift on the same day: split shifts are allowed).
#[utoipa::path(tag = "scheduling", params(("id" = Uuid, Path)), request_body = ShiftRequest, responses(
    (status = 201, body = WeekChanged),
    (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
    (status = 409, body = ErrorBody), (status = 422, body = ErrorBody),
))]
#[post("/api/weeks/{id}/shifts")]
pub(crate) async fn add(
    current: CurrentUser,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
    body: web::Json<ShiftRequest>,
) -> Result<HttpResponse, ApiError> {
    let week = access::week(&state, &current, *id, Action::EditSchedule).await?;
    let actor = current.actor();
    access::allow_at(&actor, access::shift_edit_action(&week), week.location_id)?;
    let tz = timezone(&state, week.location_id).await?;
    let (positions, competencies) = tokio::try_join!(
        state.crew.positions(week.location_id),
        state.crew.competencies(week.location_id)
    )?;
    let spec = shift_spec(&body, tz, week.week, &positions, &competencies)?;
    let past = access::past_reason(&actor, &week, spec.starts_at, body.reason.as_deref())?;
    let shift = Shift {
        id: Uuid::new_v4(),
        week_id: week.id,
        location_id: week.location_id,
        spec,
    };
    let mut change = NewChange::new(ChangeKind::ShiftAdded);
    change.new = Some(summary(&state, tz, &shift).await?);
    change.reason = past.clone();
    match state
        .schedule
        .add_shift(
            shift.clone(),
            body.expected_version,
            change,
            current.user.id,
        )
        .await?
    {
        Ok(week) => Ok(HttpResponse::Created().json(WeekChanged {
            week: ScheduleWeek::from(&week),
            shift_id: Some(shift.id),
        })),
        Err(refusal) => Err(week_refused(&refusal, tz)),
    }
}

/// Changes a shift: its day inside the week, times, position, break, slots, requirements or note. Its
/// people move with it; PostgreSQL refuses the move when one of them would overlap another shift.
#[utoipa::path(tag = "scheduling", params(("id" = Uuid, Path)), request_body = ShiftRequest, responses(
    (status = 200, body = WeekChanged),
    (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
    (status = 409, body = ErrorBody), (status = 422, body = ErrorBody),
))]
#[patch("/api/shifts/{id}")]
pub(crate) async fn update(
    current: CurrentUser,
    ip: ClientIp,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
    body: web::Json<ShiftRequest>,
) -> Result<HttpResponse, ApiError> {
    let (old, week) = access::shift(&state, &current, *id, access::shift_edit_action).await?;
    let actor = current.actor();
    let tz = timezone(&state, week.location_id).await?;
    let (positions, competencies) = tokio::try_join!(
        state.crew.positions(week.location_id),
        state.crew.competencies(week.location_id)
    )?;
    let spec = shift_spec(&body, tz, week.week, &positions, &competencies)?;
    let earliest = old.spec.starts_at.min(spec.starts_at);
    let past = access::past_reason(&actor, &week, earliest, body.reason.as_deref())?;
    let changed = Shift {
        spec,
        ..old.clone()
    };
    let mut change = NewChange::new(ChangeKind::ShiftChanged);
    change.old = Some(summary(&state, tz, &old).await?);
    change.new = Some(summary(&state, tz, &changed).await?);
    change.reason = past.clone();
    let audit = past
        .as_deref()
        .map(|reason| past_audit(&current, ip, week.location_id, old.id, reason));
    match state
        .schedule
        .update_shift(
            changed,
            body.expected_version,
            change,
            current.user.id,
            audit,
        )
        .await?
    {
        Ok(week) => Ok(HttpResponse::Ok().json(WeekChanged {
            week: ScheduleWeek::from(&week),
            shift_id: Some(old.id),
        })),
        Err(refusal) => Err(week_refused(&refusal, tz)),
    }
}

/// Removes a shift and its assignments (the history keeps who was on it).
#[utoipa::path(tag = "scheduling", params(("id" = Uuid, Path)), request_body(content = Option<RemoveRequest>,
    description = "Optional: the version the caller saw, and a reason for a started shift of a published week"),
    responses(
    (status = 200, body = WeekChanged),
    (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
))]
#[delete("/api/shifts/{id}")]
pub(crate) async fn remove(
    current: CurrentUser,
    ip: ClientIp,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
    body: Option<web::Json<RemoveRequest>>,
) -> Result<HttpResponse, ApiError> {
    let body = body.map(web::Json::into_inner).unwrap_or_default();
    let (old, week) = access::shift(&state, &current, *id, access::shift_edit_action).await?;
    let actor = current.actor();
    let tz = timezone(&state, week.location_id).await?;
    let past = access::past_reason(&actor, &week, old.spec.starts_at, body.reason.as_deref())?;
    let people: Vec<String> = state
        .schedule
        .assignments(week.id)
        .await?
        .into_iter()
        .filter(|a| a.shift_id == old.id)
        .map(|a| a.person.name)
        .collect();
    let mut change = NewChange::new(ChangeKind::ShiftRemoved);
    let mut line = summary(&state, tz, &old).await?;
    if !people.is_empty() {
        line = format!("{line} ({})", people.join(", "));
    }
    change.old = Some(line);
    change.reason = past.clone();
    let audit = past
        .as_deref()
        .map(|reason| past_audit(&current, ip, week.location_id, old.id, reason));
    match state
        .schedule
        .remove_shift(
            old.id,
            body.expected_version,
            change,
            current.user.id,
            audit,
        )
        .await?
    {
        Ok(week) => Ok(HttpResponse::Ok().json(WeekChanged {
            week: ScheduleWeek::from(&week),
            shift_id: Some(old.id),
        })),
        Err(refusal) => Err(week_refused(&refusal, tz)),
    }
}

/// Every active or on-leave crew member of the shift's location with what the rule engine says about
/// putting them on it: eligible first, then those a manager may override, then the refused; within each,
/// people holding the shift's position first, then those with fewer hours this week.
#[utoipa::path(tag = "scheduling", params(("id" = Uuid, Path)), responses(
    (status = 200, body = EligibleList),
    (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
))]
#[get("/api/shifts/{id}/eligible")]
pub(crate) async fn eligible(
    current: CurrentUser,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let (shift, week) = access::shift(&state, &current, *id, |_| Action::EditSchedule).await?;
    let (context, interested) = futures_util::try_join!(
        state.schedule.shift_context(shift.id),
        state.requests.interested(shift.id)
    )?;
    let context = context.ok_or(ApiError::NotFound)?;
    let tz = zone(&context.timezone);
    let iso = IsoWeek::of(shift.spec.local_date);
    let mut people: Vec<EligiblePerson> = context
        .people
        .iter()
        .filter(|(member, _)| member.status != CrewStatus::Inactive)
        .map(|(member, facts)| {
            let verdict = rules::check(&context.facts, facts, &context.rules);
            let minutes =
                person_week(&facts.booked, iso, facts.contracted_minutes, &context.rules).minutes;
            EligiblePerson {
                person: PersonName::from(&member.person),
                status: member.status.into(),
                has_position: member.position_ids.contains(&shift.spec.position_id),
                interested: interested.contains(&member.person.id),
                eligible: verdict.is_clear(),
                overridable: verdict.is_overridable(),
                week_minutes: minutes,
                reasons: verdict
                    .reasons
                    .iter()
                    .map(|r| RuleReason::new(r, tz))
                    .collect(),
            }
        })
        .collect();
    people.sort_by(|a, b| {
        // Among equals, people who marked interest in the open shift come first.
        let rank = |p: &EligiblePerson| {
            (
                !p.eligible,
                !p.overridable,
                !p.interested,
                !p.has_position,
                p.week_minutes,
            )
        };
        rank(a)
            .cmp(&rank(b))
            .then_with(|| a.person.name.cmp(&b.person.name))
    });
    Ok(HttpResponse::Ok().json(EligibleList {
        shift_id: shift.id,
        people,
        can_override: policy::allows_at(&current.actor(), Action::ManageSchedule, week.location_id),
    }))
}

/// Puts a person on a shift. The rule engine decides on the state at that moment (inside the store's
/// transaction, under a per-person lock): refusals answer 409 (`slots_full`, `overlap`) or 422 with every
/// reason; a manager may override the overridable ones with a reason, which is recorded and audited.
#[utoipa::path(tag = "scheduling", params(("id" = Uuid, Path)), request_body = AssignRequest, responses(
    (status = 201, body = AssignResponse),
    (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
    (status = 409, body = ErrorBody), (status = 422, body = ErrorBody),
))]
#[post("/api/shifts/{id}/assignments")]
pub(crate) async fn assign(
    current: CurrentUser,
    ip: ClientIp,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
    body: web::Json<AssignRequest>,
) -> Result<HttpResponse, ApiError> {
    let (shift, week) = access::shift(&state, &current, *id, |_| Action::EditSchedule).await?;
    let actor = current.actor();
    let tz = timezone(&state, week.location_id).await?;
    let override_reason = match &body.override_ {
        None => None,
        Some(o) => {
            if !policy::allows_at(&actor, Action::ManageSchedule, week.location_id) {
                return Err(ApiError::Refused {
                    status: actix_web::http::StatusCode::FORBIDDEN,
                    code: "override_not_allowed",
                    message: "Only a manager of this location can override the scheduling rules."
                        .into(),
                    fields: Default::default(),
                });
            }
            let mut errors = FieldErrors::default();
            let reason = crewplots_domain::validation::optional_note(
                Some(&o.reason),
                500,
                "override.reason",
                &mut errors,
            );
            if reason.is_none() {
                errors.add("override.reason", "required");
            }
            errors.into_result()?;
            reason
        }
    };
    let past = access::past_reason(&actor, &week, shift.spec.starts_at, body.reason.as_deref())?;
    let audit = AuditEvent::new("schedule.override")
        .actor(Some(current.user.id))
        .subject("user", body.user_id)
        .location(week.location_id)
        .ip(ip.0)
        .detail("shift", shift.id.to_string())
        .detail(
            "reason",
            override_reason.clone().or(past.clone()).unwrap_or_default(),
        );
    let request = StoreAssign {
        id: Uuid::new_v4(),
        shift_id: shift.id,
        user_id: body.user_id,
        actor_id: current.user.id,
        override_reason,
        past_reason: past,
        source: "manager",
        audit,
    };
    match state.schedule.assign(request).await? {
        Ok(done) => Ok(HttpResponse::Created().json(AssignResponse {
            assignment: GridAssignment::from(&done.assignment),
            warnings: done
                .accepted
                .warnings
                .iter()
                .map(|r| RuleReason::new(r, tz))
                .collect(),
            week: ScheduleWeek::from(&done.week),
        })),
        Err(refusal) => Err(week_refused(&refusal, tz)),
    }
}

/// Takes a person off a shift.
#[utoipa::path(tag = "scheduling", params(("id" = Uuid, Path)), request_body(content = Option<RemoveRequest>,
    description = "Optional: a reason for a started shift of a published week"), responses(
    (status = 200, body = WeekChanged),
    (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
))]
#[delete("/api/assignments/{id}")]
pub(crate) async fn unassign(
    current: CurrentUser,
    ip: ClientIp,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
    body: Option<web::Json<RemoveRequest>>,
) -> Result<HttpResponse, ApiError> {
    let body = body.map(web::Json::into_inner).unwrap_or_default();
    let actor = current.actor();
    if !policy::allows(actor.role, Action::EditSchedule) {
        return Err(ApiError::Forbidden);
    }
    let (assignment, shift, week) = state
        .schedule
        .assignment(*id)
        .await?
        .ok_or(ApiError::NotFound)?;
    access::allow_at(&actor, Action::EditSchedule, week.location_id)?;
    let tz = timezone(&state, week.location_id).await?;
    let past = access::past_reason(&actor, &week, shift.spec.starts_at, body.reason.as_deref())?;
    let audit = past
        .as_deref()
        .map(|reason| past_audit(&current, ip, week.location_id, shift.id, reason));
    match state
        .schedule
        .unassign(assignment.id, current.user.id, past, audit)
        .await?
    {
        Ok(week) => Ok(HttpResponse::Ok().json(WeekChanged {
            week: ScheduleWeek::from(&week),
            shift_id: Some(shift.id),
        })),
        Err(refusal) => Err(week_refused(&refusal, tz)),
    }
}

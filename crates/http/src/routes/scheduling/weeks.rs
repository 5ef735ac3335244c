//! Schedule weeks: the list, creation (empty, from a template, as a copy), the compiled grid, publishing
//! with its preview, the change history, the crew's published view and the location's rules.

use std::collections::{BTreeMap, HashMap};

use actix_web::{get, post, put, web, HttpResponse};
use chrono::Utc;
use crewplots_domain::accounts::AuditEvent;
use crewplots_domain::notifications::{Notice, NoticeKind};
use crewplots_domain::policy::Action;
use crewplots_domain::ports::StoreError;
use crewplots_domain::scheduling::model::{LocationRules, ScheduleWeek as DomainWeek};
use crewplots_domain::scheduling::plan;
use crewplots_domain::scheduling::ports::{
    AssignRequest, LockedPublish, NewWeek, PublishPlan, WeekData, WeekRefusal,
};
use crewplots_domain::scheduling::publish;
use crewplots_domain::scheduling::rules::{person_week, BookedShift};
use crewplots_domain::scheduling::time::{zone, IsoWeek};
use crewplots_domain::validation::FieldErrors;
use uuid::Uuid;

use super::{clock_at, grid_days, iso_week, week_not_found, week_refused};
use crate::access;
use crate::auth::{ClientIp, CurrentUser};
use crate::dto::{
    ChangesQuery, Competency, Coverage, CreateWeekRequest, CreatedWeek, ErrorBody, GridAssignment,
    GridPerson, GridShift, GridTimeOff, LocationRef, NotCopied, PersonName, Position,
    PublishNotice, PublishPreview, PublishRequest, Published, PublishedSchedule, PublishedShift,
    RuleReason, ScheduleWeek, SchedulingRules, ShiftColleague, WeekChange, WeekGrid, WeekSource,
    WeekSummary, WeeksQuery,
};
use crate::error::ApiError;
use crate::state::AppState;

/// The weeks of a location between two ISO weeks (default: four back, eight ahead).
#[utoipa::path(tag = "scheduling", params(("id" = Uuid, Path), ("from" = Option<String>, Query, pattern = r"^[0-9]{4}-W(0[1-9]|[1-4][0-9]|5[0-3])$"),
    ("to" = Option<String>, Query, pattern = r"^[0-9]{4}-W(0[1-9]|[1-4][0-9]|5[0-3])$")), responses(
    (status = 200, body = Vec<WeekSummary>),
    (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody),
))]
#[get("/api/locations/{id}/weeks")]
pub(crate) async fn list_weeks(
    current: CurrentUser,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
    query: web::Query<WeeksQuery>,
) -> Result<HttpResponse, ApiError> {
    let location = access::location(&state, &current, *id, Action::EditSchedule).await?;
    let today = IsoWeek::of(
        Utc::now()
            .with_timezone(&zone(&location.timezone))
            .date_naive(),
    );
    let from = match &query.from {
        Some(text) => iso_week(text, "from")?,
        None => today.plus(-4).unwrap_or(today),
    };
    let to = match &query.to {
        Some(text) => iso_week(text, "to")?,
        None => today.plus(8).unwrap_or(today),
    };
    let weeks = state.schedule.weeks(location.id, from, to).await?;
    Ok(HttpResponse::Ok().json(
        weeks
            .iter()
            .map(|w| WeekSummary {
                week: ScheduleWeek::from(&w.week),
                shifts: w.shifts,
                slots: w.slots,
                filled: w.filled,
            })
            .collect::<Vec<_>>(),
    ))
}

/// Creates a week: empty, from one of the location's templates, or as a copy of another week (shifts
/// re-resolved in local time; with `withAssignments`, each copied assignment goes through the rule engine
/// and the ones it refuses are listed).
#[utoipa::path(tag = "scheduling", params(("id" = Uuid, Path)), request_body = CreateWeekRequest, responses(
    (status = 201, body = CreatedWeek),
    (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
    (status = 409, body = ErrorBody), (status = 422, body = ErrorBody),
))]
#[post("/api/locations/{id}/weeks")]
pub(crate) async fn create(
    current: CurrentUser,
    ip: ClientIp,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
    body: web::Json<CreateWeekRequest>,
) -> Result<HttpResponse, ApiError> {
    let location = access::location(&state, &current, *id, Action::ManageSchedule).await?;
    let tz = zone(&location.timezone);
    let week = iso_week(&body.iso_week, "isoWeek")?;
    let mut errors = FieldErrors::default();
    let mut copy_source = None;
    let (shifts, origin) = match body.source {
        WeekSource::Empty => (Vec::new(), "empty".to_string()),
        WeekSource::Template => {
            let template = match body.template_id {
                Some(id) => state.templates.template(id).await?,
                None => None,
            };
            match template.filter(|t| t.location_id == location.id) {
                Some(template) => (
                    plan::expand_template(&template, tz, week)
                        .into_iter()
                        .map(|spec| (Uuid::new_v4(), spec))
                        .collect(),
                    format!("template {}", template.name),
                ),
                None => {
                    errors.add("templateId", "unknown_template");
                    (Vec::new(), String::new())
                }
            }
        }
        WeekSource::Copy => {
            let source = match body.copy_from.as_deref().map(IsoWeek::parse) {
                Some(Ok(from)) => state.schedule.week(location.id, from).await?,
                _ => None,
            };
            match source {
                Some(source) => {
                    let shifts = state.schedule.shifts(source.id).await?;
                    let copies = plan::copy_week(&shifts, tz, source.week, week);
                    let mapping: Vec<(Uuid, Uuid)> = copies
                        .iter()
                        .map(|(old, _)| (*old, Uuid::new_v4()))
                        .collect();
                    let specs = copies
                        .into_iter()
                        .zip(&mapping)
                        .map(|((_, spec), (_, new))| (*new, spec))
                        .collect();
                    let origin = format!("copy of {}", source.week);
                    copy_source = Some((source, mapping));
                    (specs, origin)
                }
                None => {
                    errors.add("copyFrom", "week_not_found");
                    (Vec::new(), String::new())
                }
            }
        }
    };
    if copy_source.as_ref().is_some_and(|(s, _)| s.week == week) {
        errors.add("copyFrom", "same_week");
    }
    errors.into_result()?;
    let audit = AuditEvent::new("schedule.week_created")
        .actor(Some(current.user.id))
        .subject("schedule_week", Uuid::nil())
        .location(location.id)
        .ip(ip.0)
        .detail("week", week.to_string())
        .detail("origin", origin.clone());
    let week_id = Uuid::new_v4();
    let shift_count = shifts.len();
    let created = match state
        .schedule
        .create_week(
            NewWeek {
                id: week_id,
                location_id: location.id,
                week,
                shifts,
                actor_id: current.user.id,
                origin,
            },
            AuditEvent {
                subject_id: Some(week_id),
                ..audit
            },
        )
        .await
    {
        Ok(created) => created,
        Err(StoreError::Conflict(_)) => {
            return Err(ApiError::Conflict {
                code: "week_exists",
                message: format!("Week {week} already exists at this location."),
            })
        }
        Err(other) => return Err(other.into()),
    };
    let mut copied = 0;
    let mut not_copied = Vec::new();
    let mut latest = created.clone();
    if let (true, Some((source, mapping))) = (body.with_assignments, copy_source) {
        let map: HashMap<Uuid, Uuid> = mapping.into_iter().collect();
        for assignment in state.schedule.assignments(source.id).await? {
            let Some(new_shift) = map.get(&assignment.shift_id) else {
                continue;
            };
            let request = AssignRequest {
                id: Uuid::new_v4(),
                shift_id: *new_shift,
                user_id: assignment.person.id,
                actor_id: current.user.id,
                override_reason: None,
                past_reason: None,
                source: "copy",
                audit: AuditEvent::new("schedule.assigned").actor(Some(current.user.id)),
            };
            match state.schedule.assign(request).await? {
                Ok(done) => {
                    copied += 1;
                    latest = done.week;
                }
                Err(WeekRefusal::Rules(refusal)) => not_copied.push(NotCopied {
                    person: PersonName::from(&assignment.person),
                    shift_id: *new_shift,
                    reasons: refusal
                        .reasons
                        .iter()
                        .map(|r| RuleReason::new(r, tz))
                        .collect(),
                }),
                Err(other) => not_copied.push(NotCopied {
                    person: PersonName::from(&assignment.person),
                    shift_id: *new_shift,
                    reasons: vec![RuleReason {
                        code: match other {
                            WeekRefusal::Overlap { .. } => "overlap".into(),
                            _ => "conflict".into(),
                        },
                        severity: crate::dto::Severity::Refuse,
                        message: week_refused(&other, tz).message().to_string(),
                        figures: Default::default(),
                    }],
                }),
            }
        }
    }
    Ok(HttpResponse::Created().json(CreatedWeek {
        week: ScheduleWeek::from(&latest),
        shifts: shift_count,
        assignments_copied: copied,
        not_copied,
    }))
}

/// Compiles the grid from what the store read: days × shifts with their people, each person's week
/// (hours at every location against the contract, and what the rules report), coverage per day and
/// position.
pub(crate) fn compile(data: WeekData, location: LocationRef) -> WeekGrid {
    let tz = zone(&data.timezone);
    let now = Utc::now();
    let mut by_shift: HashMap<Uuid, Vec<GridAssignment>> = HashMap::new();
    let mut shift_of_person: HashMap<Uuid, Vec<Uuid>> = HashMap::new();
    for a in &data.assignments {
        by_shift
            .entry(a.shift_id)
            .or_default()
            .push(GridAssignment::from(a));
        shift_of_person
            .entry(a.person.id)
            .or_default()
            .push(a.shift_id);
    }
    let mut coverage: BTreeMap<(chrono::NaiveDate, Uuid), (u32, u32)> = BTreeMap::new();
    let mut paid_here: HashMap<Uuid, i64> = HashMap::new();
    let shifts: Vec<GridShift> = data
        .shifts
        .iter()
        .map(|s| {
            let assignments = by_shift.remove(&s.id).unwrap_or_default();
            let filled = u16::try_from(assignments.len()).unwrap_or(u16::MAX);
            let entry = coverage
                .entry((s.spec.local_date, s.spec.position_id))
                .or_default();
            entry.0 += u32::from(s.spec.slots);
            entry.1 += u32::from(filled.min(s.spec.slots));
            for a in &assignments {
                *paid_here.entry(a.person.id).or_default() += s.spec.paid_minutes();
            }
            GridShift {
                id: s.id,
                date: s.spec.local_date,
                position_id: s.spec.position_id,
                starts_at: s.spec.starts_at,
                ends_at: s.spec.ends_at,
                local_start: clock_at(tz, s.spec.starts_at),
                local_end: clock_at(tz, s.spec.ends_at),
                break_minutes: s.spec.break_minutes,
                paid_minutes: s.spec.paid_minutes(),
                slots: s.spec.slots,
                open: s.spec.slots.saturating_sub(filled),
                requirements: s.spec.requirements.iter().map(Into::into).collect(),
                note: s.spec.note.clone(),
                started: s.spec.starts_at <= now,
                assignments,
            }
        })
        .collect();
    let mut booked: HashMap<Uuid, Vec<BookedShift>> = HashMap::new();
    for (user, shift) in data.booked {
        booked.entry(user).or_default().push(shift);
    }
    let contracts: HashMap<Uuid, u32> = data.contracts.into_iter().collect();
    let mut people: Vec<GridPerson> = data
        .crew
        .iter()
        .filter(|m| {
            m.status != crewplots_domain::scheduling::model::CrewStatus::Inactive
                || shift_of_person.contains_key(&m.person.id)
        })
        .map(|m| {
            (
                PersonName::from(&m.person),
                m.position_ids.clone(),
                Some(m.status.into()),
            )
        })
        .collect::<Vec<_>>()
        .into_iter()
        .chain(
            data.assignments
                .iter()
                .filter(|a| !data.crew.iter().any(|m| m.person.id == a.person.id))
                .map(|a| (PersonName::from(&a.person), Vec::new(), None)),
        )
        .fold(
            Vec::<GridPerson>::new(),
            |mut list, (person, position_ids, status)| {
                if !list.iter().any(|p| p.person.id == person.id) {
                    let shifts = booked.get(&person.id).map_or(&[][..], Vec::as_slice);
                    let contract = contracts.get(&person.id).copied();
                    let summary = person_week(shifts, data.week.week, contract, &data.rules);
                    let time_off = data
                        .time_off
                        .iter()
                        .filter(|(id, _)| *id == person.id)
                        .map(|(_, t)| GridTimeOff {
                            starts_at: t.starts_at,
                            ends_at: t.ends_at,
                        })
                        .collect();
                    list.push(GridPerson {
                        here_minutes: paid_here.get(&person.id).copied().unwrap_or(0),
                        person,
                        position_ids,
                        status,
                        week_minutes: summary.minutes,
                        contract_minutes: contract,
                        reasons: summary
                            .reasons
                            .iter()
                            .map(|r| RuleReason::new(r, tz))
                            .collect(),
                        time_off,
                    });
                }
                list
            },
        );
    people.sort_by(|a, b| a.person.name.cmp(&b.person.name));
    WeekGrid {
        week: ScheduleWeek::from(&data.week),
        location,
        rules: SchedulingRules {
            min_rest_minutes: data.rules.min_rest_minutes,
            weekly_max_minutes: data.rules.weekly_max_minutes,
        },
        days: grid_days(data.week.week),
        positions: data.positions.iter().map(Position::from).collect(),
        competencies: data.competencies.iter().map(Competency::from).collect(),
        shifts,
        people,
        coverage: coverage
            .into_iter()
            .map(|((date, position_id), (slots, filled))| Coverage {
                date,
                position_id,
                slots,
                filled,
                open: slots - filled,
            })
            .collect(),
        unpublished_changes: data.unpublished_changes,
    }
}

/// The compiled week of a location (staff who assign), in a fixed number of queries.
#[utoipa::path(tag = "scheduling", params(("id" = Uuid, Path), ("isoWeek" = String, Path, pattern = r"^[0-9]{4}-W(0[1-9]|[1-4][0-9]|5[0-3])$")), responses(
    (status = 200, body = WeekGrid),
    (status = 403, body = ErrorBody), (status = 404, body = ErrorBody, description = "`week_not_found`: not created yet"),
))]
#[get("/api/locations/{id}/weeks/{isoWeek}")]
pub(crate) async fn grid(
    current: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<(Uuid, String)>,
) -> Result<HttpResponse, ApiError> {
    let (id, week) = path.into_inner();
    let location = access::location(&state, &current, id, Action::EditSchedule).await?;
    let week = iso_week(&week, "isoWeek")?;
    let found = state
        .schedule
        .week(location.id, week)
        .await?
        .ok_or_else(|| week_not_found(week))?;
    let data = state
        .schedule
        .week_data(found.id)
        .await?
        .ok_or_else(|| week_not_found(week))?;
    let location = LocationRef {
        id: location.id,
        name: location.name,
        timezone: location.timezone,
    };
    Ok(HttpResponse::Ok().json(compile(data, location)))
}

/// The published copy of a week: what crew of the location see (their own shifts marked).
#[utoipa::path(tag = "scheduling", params(("id" = Uuid, Path), ("isoWeek" = String, Path, pattern = r"^[0-9]{4}-W(0[1-9]|[1-4][0-9]|5[0-3])$")), responses(
    (status = 200, body = PublishedSchedule),
    (status = 403, body = ErrorBody), (status = 404, body = ErrorBody, description = "`week_not_found`: not published"),
))]
#[get("/api/locations/{id}/schedule/{isoWeek}")]
pub(crate) async fn published_schedule(
    current: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<(Uuid, String)>,
) -> Result<HttpResponse, ApiError> {
    let (id, week) = path.into_inner();
    let location = access::location(&state, &current, id, Action::ViewSchedule).await?;
    let week = iso_week(&week, "isoWeek")?;
    let schedule = state
        .schedule
        .published_week(location.id, week)
        .await?
        .ok_or_else(|| week_not_found(week))?;
    let tz = zone(&schedule.timezone);
    let me = current.user.id;
    Ok(HttpResponse::Ok().json(PublishedSchedule {
        iso_week: week.to_string(),
        location: LocationRef {
            id: location.id,
            name: location.name,
            timezone: location.timezone,
        },
        published_at: schedule.week.published_at,
        days: grid_days(week),
        shifts: schedule
            .shifts
            .iter()
            .map(|s| PublishedShift {
                id: s.shift_id,
                date: s.local_date,
                position_name: s.position_name.clone(),
                starts_at: s.starts_at,
                ends_at: s.ends_at,
                local_start: clock_at(tz, s.starts_at),
                local_end: clock_at(tz, s.ends_at),
                break_minutes: s.break_minutes,
                slots: s.slots,
                open: s
                    .slots
                    .saturating_sub(u16::try_from(s.people.len()).unwrap_or(u16::MAX)),
                note: s.note.clone(),
                mine: s.people.iter().any(|(id, _, _)| *id == me),
                people: s
                    .people
                    .iter()
                    .map(|(id, name, assignment)| ShiftColleague {
                        id: *id,
                        name: name.clone(),
                        assignment_id: *assignment,
                    })
                    .collect(),
            })
            .collect(),
    }))
}

/// Sets a location's minimum rest between shifts and weekly maximum.
#[utoipa::path(tag = "scheduling", params(("id" = Uuid, Path)), request_body = SchedulingRules, responses(
    (status = 200, body = SchedulingRules),
    (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody),
))]
#[put("/api/locations/{id}/scheduling-rules")]
pub(crate) async fn set_rules(
    current: CurrentUser,
    ip: ClientIp,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
    body: web::Json<SchedulingRules>,
) -> Result<HttpResponse, ApiError> {
    let location = access::location(&state, &current, *id, Action::ManageSchedule).await?;
    let mut errors = FieldErrors::default();
    if body.min_rest_minutes > 1440 {
        errors.add("minRestMinutes", "out_of_range");
    }
    if !(60..=10080).contains(&body.weekly_max_minutes) {
        errors.add("weeklyMaxMinutes", "out_of_range");
    }
    errors.into_result()?;
    let rules = LocationRules {
        min_rest_minutes: body.min_rest_minutes,
        weekly_max_minutes: body.weekly_max_minutes,
    };
    let audit = AuditEvent::new("location.scheduling_rules")
        .actor(Some(current.user.id))
        .subject("location", location.id)
        .location(location.id)
        .ip(ip.0)
        .detail("minRestMinutes", rules.min_rest_minutes.to_string())
        .detail("weeklyMaxMinutes", rules.weekly_max_minutes.to_string());
    state
        .schedule
        .set_location_rules(location.id, rules, audit)
        .await?;
    Ok(HttpResponse::Ok().json(body.into_inner()))
}

/// The publish plan with each person's changes.
struct Planned {
    plan: PublishPlan,
    changes: BTreeMap<Uuid, Vec<publish::PersonChange>>,
}

/// Who a publish would notify now, each with their changes.
async fn notices(
    state: &AppState,
    week: &DomainWeek,
) -> Result<(Planned, Vec<PublishNotice>), ApiError> {
    let plan = state
        .schedule
        .publish_plan(week.id)
        .await?
        .ok_or(ApiError::NotFound)?;
    let tz = zone(&plan.timezone);
    let changes = publish::diff(&plan.published, &plan.current);
    let notices = changes
        .iter()
        .filter_map(|(user, list)| {
            let (_, _, _, name) = plan.people.iter().find(|p| p.0 == *user)?;
            Some(PublishNotice {
                person: PersonName {
                    id: *user,
                    name: name.clone(),
                    role: crate::dto::Role::CrewMember,
                },
                changes: publish::change_lines(tz, list),
            })
        })
        .collect();
    Ok((Planned { plan, changes }, notices))
}

/// The people publishing now would notify, with their old → new shifts.
#[utoipa::path(tag = "scheduling", params(("id" = Uuid, Path)), responses(
    (status = 200, body = PublishPreview),
    (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
))]
#[get("/api/weeks/{id}/publish-preview")]
pub(crate) async fn preview(
    current: CurrentUser,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let week = access::week(&state, &current, *id, Action::ManageSchedule).await?;
    let (planned, notify) = notices(&state, &week).await?;
    Ok(HttpResponse::Ok().json(PublishPreview {
        week: ScheduleWeek::from(&planned.plan.week),
        notify,
    }))
}

/// Publishes the week as of `expectedVersion`: crew see it, and only people whose own shifts changed get
/// a mail with their old → new times.
#[utoipa::path(tag = "scheduling", params(("id" = Uuid, Path)), request_body = PublishRequest, responses(
    (status = 200, body = Published),
    (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
    (status = 409, body = ErrorBody, description = "`week_changed`"),
))]
#[post("/api/weeks/{id}/publish")]
pub(crate) async fn publish_week(
    current: CurrentUser,
    ip: ClientIp,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
    body: web::Json<PublishRequest>,
) -> Result<HttpResponse, ApiError> {
    let week = access::week(&state, &current, *id, Action::ManageSchedule).await?;
    let (planned, _) = notices(&state, &week).await?;
    let plan = &planned.plan;
    let tz = zone(&plan.timezone);
    if plan.week.version != body.expected_version {
        return Err(week_refused(
            &WeekRefusal::VersionChanged {
                current: plan.week.version,
            },
            tz,
        ));
    }
    let locked = locked_publish(plan, tz, body.reason.as_deref())?;
    let label = plan.week.week.to_string();
    let notices: Vec<Notice> = planned
        .changes
        .iter()
        .filter_map(|(user, list)| {
            let (_, email, first_name, _) = plan.people.iter().find(|p| p.0 == *user)?;
            Some(Notice {
                user_id: *user,
                kind: NoticeKind::ScheduleChanged,
                params: vec![
                    ("location", plan.location_name.clone()),
                    ("isoWeek", label.clone()),
                    ("changes", list.len().to_string()),
                ],
                mail: Some(publish::schedule_mail(
                    email,
                    first_name,
                    &plan.location_name,
                    &label,
                    tz,
                    list,
                    &state.security.public_url,
                )),
            })
        })
        .collect();
    let notified = notices.len();
    let audit = AuditEvent::new("schedule.published")
        .actor(Some(current.user.id))
        .subject("schedule_week", week.id)
        .location(week.location_id)
        .ip(ip.0)
        .detail("week", label)
        .detail("version", body.expected_version.to_string())
        .detail("notified", notified.to_string())
        .detail("corrections", locked.corrections.len().to_string());
    match state
        .schedule
        .publish(
            week.id,
            body.expected_version,
            current.user.id,
            notices,
            locked,
            audit,
        )
        .await?
    {
        Ok(published) => Ok(HttpResponse::Ok().json(Published {
            week: ScheduleWeek::from(&published),
            notified,
        })),
        Err(refusal) => Err(week_refused(&refusal, tz)),
    }
}

/// What the publish does to locked hours periods: nothing to record when it changes no locked date;
/// otherwise 409 `period_locked` without a reason, or the reason with the corrections to record. Only
/// managers and administrators reach here (publishing is `ManageSchedule`).
fn locked_publish(
    plan: &PublishPlan,
    tz: chrono_tz::Tz,
    reason: Option<&str>,
) -> Result<LockedPublish, ApiError> {
    let impact = publish::locked_impact(
        tz,
        &plan.locks,
        &plan.published_shifts,
        &plan.published,
        &plan.current_shifts,
        &plan.current,
    );
    let locks_seen = plan.locks.iter().map(|l| l.id).collect();
    if impact.dates.is_empty() {
        return Ok(LockedPublish {
            locks_seen,
            ..LockedPublish::default()
        });
    }
    let reason = reason.map(str::trim).filter(|r| !r.is_empty());
    let Some(reason) = reason else {
        return Err(super::period_locked(
            &impact.dates.iter().copied().collect::<Vec<_>>(),
        ));
    };
    if let Err(code) = crewplots_domain::validation::free_text(Some(reason), 500) {
        let mut errors = FieldErrors::default();
        errors.add("reason", code);
        return Err(errors.into());
    }
    Ok(LockedPublish {
        locks_seen,
        reason: Some(reason.to_string()),
        corrections: impact.corrections,
    })
}

/// The week's change history, newest first: who, when, what, old → new, reasons and overrides.
#[utoipa::path(tag = "scheduling", params(("id" = Uuid, Path), ("limit" = Option<i64>, Query)), responses(
    (status = 200, body = Vec<WeekChange>),
    (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
))]
#[get("/api/weeks/{id}/changes")]
pub(crate) async fn week_changes(
    current: CurrentUser,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
    query: web::Query<ChangesQuery>,
) -> Result<HttpResponse, ApiError> {
    let week = access::week(&state, &current, *id, Action::EditSchedule).await?;
    let limit = query.limit.unwrap_or(200).clamp(1, 1000);
    let list = state.schedule.changes(week.id, limit).await?;
    Ok(HttpResponse::Ok().json(list.iter().map(WeekChange::from).collect::<Vec<_>>()))
}

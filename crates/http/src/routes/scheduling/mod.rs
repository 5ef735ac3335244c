//! Scheduling routes, one file per use case: the roster and crew pages ([`crew`]), positions and
//! competencies ([`catalog`]), week templates ([`templates`]), weeks with their grid, publishing and the
//! crew's published view ([`weeks`]), shifts and assignments ([`shifts`]); the crew's self-service: my
//! shifts and availability ([`mine`]), the calendar feed ([`feed`]), time off ([`time_off`]); suggest fill
//! and its settings ([`autofill`]).
//!
//! Handlers parse, call the domain and the stores, and map to DTOs. Decisions live in
//! `crewplots_domain::scheduling` (the rule engine, local time, week plans, publish diffs); guards in
//! [`crate::access`].

pub(crate) mod autofill;
pub(crate) mod catalog;
pub(crate) mod crew;
pub(crate) mod feed;
pub(crate) mod mine;
pub(crate) mod requests;
pub(crate) mod shifts;
pub(crate) mod templates;
pub(crate) mod time_off;
pub(crate) mod weeks;

use std::collections::BTreeMap;

use actix_web::http::StatusCode;
use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use crewplots_domain::scheduling::model::{
    check_requirements, check_shift_numbers, Competency, Position, Requirement, ShiftSpec,
};
use crewplots_domain::scheduling::ports::WeekRefusal;
use crewplots_domain::scheduling::rules::{Refusal, Severity};
use crewplots_domain::scheduling::time::{self, IsoWeek, LocalPolicy};
use crewplots_domain::validation::FieldErrors;

use crate::dto::{self, RuleReason};
use crate::error::ApiError;

/// `HH:MM` of an instant at the location.
pub(crate) fn clock_at(tz: Tz, at: DateTime<Utc>) -> String {
    at.with_timezone(&tz).format("%H:%M").to_string()
}

pub(crate) fn refused(
    status: StatusCode,
    code: &'static str,
    message: String,
    fields: &[(&str, String)],
) -> ApiError {
    ApiError::Refused {
        status,
        code,
        message,
        fields: fields
            .iter()
            .map(|(k, v)| ((*k).to_string(), v.clone()))
            .collect(),
    }
}

/// The API error for a refusal of the rule engine: 409 when a slot or overlap conflict stands in the way
/// (the state changed), 422 otherwise; the code is the most severe reason's, every reason is listed.
pub(crate) fn rules_refused(refusal: &Refusal, tz: Tz) -> ApiError {
    let blocking: Vec<_> = refusal
        .reasons
        .iter()
        .filter(|r| r.severity() != Severity::Warning)
        .collect();
    let conflict = blocking
        .iter()
        .find(|r| matches!(r.code(), "slots_full" | "overlap"));
    let lead = conflict.or(blocking.first()).copied();
    let code = lead.map_or("assignment_refused", |r| r.code());
    let status = if conflict.is_some() {
        StatusCode::CONFLICT
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let message = blocking
        .iter()
        .map(|r| r.message(tz))
        .collect::<Vec<_>>()
        .join(" ");
    let mut fields = BTreeMap::new();
    fields.insert(
        "reasons".to_string(),
        blocking
            .iter()
            .map(|r| r.code())
            .collect::<Vec<_>>()
            .join(","),
    );
    fields.insert("overridable".to_string(), refusal.overridable.to_string());
    ApiError::RulesRefused {
        status,
        code,
        message,
        fields,
        reasons: refusal
            .reasons
            .iter()
            .map(|r| RuleReason::new(r, tz))
            .collect(),
    }
}

/// The API error for a change to a week that was not made.
pub(crate) fn week_refused(refusal: &WeekRefusal, tz: Tz) -> ApiError {
    match refusal {
        WeekRefusal::Rules(refusal) => rules_refused(refusal, tz),
        WeekRefusal::ShiftStarted => refused(
            StatusCode::CONFLICT,
            "shift_in_past",
            "This shift of a published week has started; a manager can change it with a reason."
                .into(),
            &[("reason", "required".into())],
        ),
        WeekRefusal::VersionChanged { current } => refused(
            StatusCode::CONFLICT,
            "week_changed",
            "Someone else changed this week in the meantime. Reload it and try again.".into(),
            &[("currentVersion", current.to_string())],
        ),
        WeekRefusal::Overlap { user_id } => refused(
            StatusCode::CONFLICT,
            "overlap",
            "That person already works a shift at that time (at this or another location).".into(),
            &user_id
                .map(|id| vec![("userId", id.to_string())])
                .unwrap_or_default(),
        ),
        WeekRefusal::PeriodLocked { dates } => period_locked(dates),
        WeekRefusal::SlotsBelowAssigned { assigned } => refused(
            StatusCode::UNPROCESSABLE_ENTITY,
            "slots_below_assigned",
            format!("{assigned} people are on this shift; remove some before lowering its slots."),
            &[
                ("slots", "below_assigned".into()),
                ("assigned", assigned.to_string()),
            ],
        ),
    }
}

/// 409 `period_locked`: the change would alter a locked (exported) hours period. With dates, a manager may
/// still publish it with a reason; without, the locks changed meanwhile (reload and look again).
pub(crate) fn period_locked(dates: &[chrono::NaiveDate]) -> ApiError {
    let listed = dates
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(",");
    let mut fields = vec![("reason", "required".to_string())];
    if !dates.is_empty() {
        fields.push(("dates", listed));
    }
    refused(
        StatusCode::CONFLICT,
        "period_locked",
        "This changes hours of a locked (exported) period; a manager can publish it with a reason."
            .into(),
        &fields,
    )
}

/// 404 with a code the week screens tell apart from "not yours".
pub(crate) fn week_not_found(week: IsoWeek) -> ApiError {
    refused(
        StatusCode::NOT_FOUND,
        "week_not_found",
        format!("Week {week} has not been created at this location."),
        &[("isoWeek", week.to_string())],
    )
}

/// Parses `2026-W50` from a path or body field.
pub(crate) fn iso_week(text: &str, field: &str) -> Result<IsoWeek, ApiError> {
    IsoWeek::parse(text).map_err(|_| {
        let mut errors = FieldErrors::default();
        errors.add(field, "invalid_iso_week");
        errors.into()
    })
}

/// Requirement DTOs checked against the location's competencies.
pub(crate) fn requirements(
    input: &[dto::Requirement],
    competencies: &[Competency],
    field: &str,
    errors: &mut FieldErrors,
) -> Vec<Requirement> {
    let known: Vec<_> = competencies
        .iter()
        .filter(|c| !c.archived)
        .map(|c| c.id)
        .collect();
    let list: Vec<Requirement> = input.iter().map(Into::into).collect();
    check_requirements(&list, &known, field, errors);
    list
}

/// An optional note: trimmed, empty → none.
pub(crate) fn note(input: Option<&str>) -> Option<String> {
    input
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(str::to_string)
}

/// A shift typed by a person: its date inside `week`, a known position of the location, times that exist
/// (a time skipped by the clock change is refused with 422 `invalid_local_time`), sane numbers.
pub(crate) fn shift_spec(
    request: &dto::ShiftRequest,
    tz: Tz,
    week: IsoWeek,
    positions: &[Position],
    competencies: &[Competency],
) -> Result<ShiftSpec, ApiError> {
    let mut errors = FieldErrors::default();
    if !week.contains(request.date) {
        errors.add("date", "outside_week");
    }
    if !positions
        .iter()
        .any(|p| p.id == request.position_id && !p.archived)
    {
        errors.add("positionId", "unknown_position");
    }
    let start = time::parse_clock(&request.start);
    let end = time::parse_clock(&request.end);
    if start.is_none() {
        errors.add("start", "invalid_time");
    }
    if end.is_none() {
        errors.add("end", "invalid_time");
    }
    let requirements = requirements(
        &request.requirements,
        competencies,
        "requirements",
        &mut errors,
    );
    let note = note(request.note.as_deref());
    let instants = match (start, end) {
        (Some(start), Some(end)) if start == end => {
            errors.add("end", "end_equals_start");
            None
        }
        (Some(start), Some(end)) => {
            match time::shift_instants(tz, request.date, start, end, LocalPolicy::Strict) {
                Ok(instants) => Some(instants),
                Err(missing) => {
                    return Err(refused(
                        StatusCode::UNPROCESSABLE_ENTITY,
                        "invalid_local_time",
                        format!(
                            "{} does not exist in {} (the clocks move forward).",
                            missing.0.format("%Y-%m-%d %H:%M"),
                            tz.name()
                        ),
                        &[("start", "invalid_local_time".into())],
                    ))
                }
            }
        }
        _ => None,
    };
    if let Some((starts_at, ends_at)) = instants {
        check_shift_numbers(
            (ends_at - starts_at).num_minutes(),
            request.break_minutes,
            request.slots,
            note.as_deref(),
            &mut errors,
        );
    } else {
        check_shift_numbers(
            1,
            request.break_minutes.max(0),
            request.slots,
            note.as_deref(),
            &mut errors,
        );
    }
    errors.into_result()?;
    let (starts_at, ends_at) = instants.ok_or_else(|| {
        ApiError::internal(std::io::Error::other("validated shift without times"))
    })?;
    Ok(ShiftSpec {
        position_id: request.position_id,
        local_date: request.date,
        starts_at,
        ends_at,
        break_minutes: u16::try_from(request.break_minutes).unwrap_or(0),
        slots: u16::try_from(request.slots).unwrap_or(1),
        requirements,
        note,
    })
}

/// The seven days of a week for the grid.
pub(crate) fn grid_days(week: IsoWeek) -> Vec<dto::GridDay> {
    week.days()
        .into_iter()
        .map(|date: NaiveDate| dto::GridDay {
            date,
            weekday: time::weekday_number(chrono::Datelike::weekday(&date)),
        })
        .collect()
}

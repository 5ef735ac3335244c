//! A crew member's own schedule: my shifts across every location (published copies only), and the
//! availability I declare (a weekly pattern from a date on, one-off unavailable days). Everything here acts
//! on the caller only; nobody else's records are reachable through these routes.

use actix_web::{delete, get, put, web, HttpResponse};
use chrono::{Datelike, Duration, NaiveDate, Utc};
use crewplots_domain::scheduling::availability::{self, WeeklyPattern};
use crewplots_domain::scheduling::model::{paid_minutes, CrewStatus, WeeklyWindow};
use crewplots_domain::scheduling::ports::MyShift as DomainShift;
use crewplots_domain::scheduling::time::{
    self, weekday_from_number, weekday_number, zone, IsoWeek,
};
use crewplots_domain::validation::FieldErrors;

use super::clock_at;
use crate::access;
use crate::auth::CurrentUser;
use crate::dto::{
    Availability, AvailabilityPattern, AvailabilityWindow, ErrorBody, LocationRef, MyHours,
    MyShift, MyShifts, MyShiftsQuery,
};
use crate::error::ApiError;
use crate::state::AppState;

fn my_shift(s: &DomainShift) -> MyShift {
    let tz = zone(&s.location.timezone);
    MyShift {
        assignment_id: s.assignment_id,
        shift_id: s.shift_id,
        location: LocationRef::from(&s.location),
        position_name: s.position_name.clone(),
        date: s.local_date,
        starts_at: s.starts_at,
        ends_at: s.ends_at,
        local_start: clock_at(tz, s.starts_at),
        local_end: clock_at(tz, s.ends_at),
        break_minutes: s.break_minutes,
        paid_minutes: paid_minutes(s.starts_at, s.ends_at, s.break_minutes),
        note: s.note.clone(),
        colleagues: s.colleagues.clone(),
    }
}

/// My published shifts at every location: today's on top, the coming ones, the recent past, and my hours
/// this week and this month.
#[utoipa::path(tag = "self-service", params(MyShiftsQuery), responses(
    (status = 200, body = MyShifts),
    (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody),
))]
#[get("/api/me/shifts")]
pub(crate) async fn my_shifts(
    current: CurrentUser,
    state: web::Data<AppState>,
    query: web::Query<MyShiftsQuery>,
) -> Result<HttpResponse, ApiError> {
    access::self_service(&current)?;
    let past_days = query.past_days.unwrap_or(14);
    if past_days > 90 {
        let mut errors = FieldErrors::default();
        errors.add("pastDays", "out_of_range");
        return Err(errors.into());
    }
    let (tz, timezone) = access::home_zone(&current);
    let now = Utc::now();
    let today = now.with_timezone(&tz).date_naive();
    let week = IsoWeek::of(today);
    let month_start = today.with_day(1).unwrap_or(today);
    // Whole month and week are counted, so read from whichever began first.
    let earliest = [
        today - Duration::days(i64::from(past_days)),
        week.monday(),
        month_start,
    ]
    .into_iter()
    .min()
    .unwrap_or(today);
    let from = time::resolve(
        tz,
        earliest,
        chrono::NaiveTime::MIN,
        time::LocalPolicy::Expand,
    )
    .unwrap_or(now - Duration::days(62));
    let (shifts, memberships) = futures_util::try_join!(
        state.self_service.my_shifts(current.user.id, from, false),
        state.crew.memberships(current.user.id)
    )?;
    let in_month = |d: NaiveDate| d.year() == today.year() && d.month() == today.month();
    let hours = MyHours {
        iso_week: week.to_string(),
        week_minutes: shifts
            .iter()
            .filter(|s| week.contains(s.local_date))
            .map(|s| paid_minutes(s.starts_at, s.ends_at, s.break_minutes))
            .sum(),
        month: format!("{:04}-{:02}", today.year(), today.month()),
        month_minutes: shifts
            .iter()
            .filter(|s| in_month(s.local_date))
            .map(|s| paid_minutes(s.starts_at, s.ends_at, s.break_minutes))
            .sum(),
        contracted_minutes: {
            let active: Vec<u32> = memberships
                .iter()
                .filter(|m| m.status == CrewStatus::Active)
                .filter_map(|m| m.contracted_minutes)
                .collect();
            (!active.is_empty()).then(|| active.iter().sum())
        },
    };
    let past_from = today - Duration::days(i64::from(past_days));
    let mut response = MyShifts {
        today,
        timezone,
        today_shifts: Vec::new(),
        upcoming: Vec::new(),
        past: Vec::new(),
        hours,
    };
    for shift in &shifts {
        let local_today = now
            .with_timezone(&zone(&shift.location.timezone))
            .date_naive();
        if shift.ends_at > now && (shift.local_date == local_today || shift.starts_at <= now) {
            response.today_shifts.push(my_shift(shift));
        } else if shift.ends_at > now {
            response.upcoming.push(my_shift(shift));
        } else if shift.local_date >= past_from {
            response.past.push(my_shift(shift));
        }
    }
    response.past.reverse();
    Ok(HttpResponse::Ok().json(response))
}

fn window_dto(w: &WeeklyWindow) -> AvailabilityWindow {
    AvailabilityWindow {
        weekday: weekday_number(w.weekday),
        kind: w.kind.into(),
        start: w.window.map(|(s, _)| time::clock(s)),
        end: w.window.map(|(_, e)| time::clock(e)),
    }
}

async fn availability_of(
    state: &AppState,
    current: &CurrentUser,
    today: NaiveDate,
) -> Result<Availability, ApiError> {
    let declared = state
        .self_service
        .availability(current.user.id, today)
        .await?;
    Ok(Availability {
        patterns: declared
            .patterns
            .iter()
            .map(|p| AvailabilityPattern {
                effective_from: p.effective_from,
                windows: p.windows.iter().map(window_dto).collect(),
            })
            .collect(),
        unavailable_days: declared.unavailable_days,
    })
}

fn today_at_home(current: &CurrentUser) -> NaiveDate {
    let (tz, _) = access::home_zone(current);
    Utc::now().with_timezone(&tz).date_naive()
}

/// My availability: the weekly pattern in force today and any later ones, and my one-off unavailable days.
#[utoipa::path(tag = "self-service", responses(
    (status = 200, body = Availability),
    (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
))]
#[get("/api/me/availability")]
pub(crate) async fn get_availability(
    current: CurrentUser,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    access::self_service(&current)?;
    let today = today_at_home(&current);
    Ok(HttpResponse::Ok().json(availability_of(&state, &current, today).await?))
}

/// Sets my weekly pattern from a date on (today or later); patterns that would start on or after that date
/// are replaced. The rule engine reads it for shifts from that date (`unavailable`).
#[utoipa::path(tag = "self-service", request_body = AvailabilityPattern, responses(
    (status = 200, body = Availability),
    (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody),
))]
#[put("/api/me/availability")]
pub(crate) async fn put_availability(
    current: CurrentUser,
    state: web::Data<AppState>,
    body: web::Json<AvailabilityPattern>,
) -> Result<HttpResponse, ApiError> {
    access::self_service(&current)?;
    let today = today_at_home(&current);
    let mut errors = FieldErrors::default();
    let mut windows = Vec::new();
    for (i, w) in body.windows.iter().enumerate() {
        let weekday = weekday_from_number(w.weekday);
        if weekday.is_none() {
            errors.add(&format!("windows[{i}].weekday"), "invalid_weekday");
        }
        let parse = |text: &Option<String>, field: &str, errors: &mut FieldErrors| match text {
            None => None,
            Some(t) => {
                let parsed = time::parse_clock(t);
                if parsed.is_none() {
                    errors.add(&format!("windows[{i}].{field}"), "invalid_time");
                }
                parsed
            }
        };
        let start = parse(&w.start, "start", &mut errors);
        let end = parse(&w.end, "end", &mut errors);
        if w.start.is_some() != w.end.is_some() {
            errors.add(&format!("windows[{i}].end"), "start_and_end_together");
        }
        if let Some(weekday) = weekday {
            windows.push(WeeklyWindow {
                weekday,
                kind: w.kind.into(),
                window: start.zip(end),
            });
        }
    }
    errors.into_result()?;
    let pattern = WeeklyPattern {
        effective_from: body.effective_from,
        windows,
    };
    availability::check_pattern(&pattern, today)?;
    state
        .self_service
        .set_pattern(current.user.id, pattern)
        .await?;
    Ok(HttpResponse::Ok().json(availability_of(&state, &current, today).await?))
}

fn day_param(text: &str, today: NaiveDate) -> Result<NaiveDate, ApiError> {
    let mut errors = FieldErrors::default();
    let Ok(day) = NaiveDate::parse_from_str(text, "%Y-%m-%d") else {
        errors.add("date", "invalid_date");
        return Err(errors.into());
    };
    availability::check_day(day, today)?;
    Ok(day)
}

/// Marks one day unavailable (idempotent).
#[utoipa::path(tag = "self-service", params(("date" = NaiveDate, Path, description = "YYYY-MM-DD")),
    responses(
    (status = 200, body = Availability),
    (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody),
))]
#[put("/api/me/unavailable-days/{date}")]
pub(crate) async fn add_unavailable_day(
    current: CurrentUser,
    state: web::Data<AppState>,
    date: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    access::self_service(&current)?;
    let today = today_at_home(&current);
    let day = day_param(&date, today)?;
    state
        .self_service
        .set_unavailable_day(current.user.id, day, true)
        .await?;
    Ok(HttpResponse::Ok().json(availability_of(&state, &current, today).await?))
}

/// Removes a one-off unavailable day (idempotent).
#[utoipa::path(tag = "self-service", params(("date" = NaiveDate, Path, description = "YYYY-MM-DD")),
    responses(
    (status = 200, body = Availability),
    (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody),
))]
#[delete("/api/me/unavailable-days/{date}")]
pub(crate) async fn remove_unavailable_day(
    current: CurrentUser,
    state: web::Data<AppState>,
    date: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    access::self_service(&current)?;
    let today = today_at_home(&current);
    let day = day_param(&date, today)?;
    state
        .self_service
        .set_unavailable_day(current.user.id, day, false)
        .await?;
    Ok(HttpResponse::Ok().json(availability_of(&state, &current, today).await?))
}

/// Everything of the person's self-service for "download my data": every published shift (cancelled ones
/// too), every availability pattern and unavailable day ever declared, every time-off request.
pub(crate) async fn export(
    state: &AppState,
    user: uuid::Uuid,
) -> Result<serde_json::Value, ApiError> {
    // Nothing in Crew Plots predates 1970; PostgreSQL's own range is narrower than chrono's MIN.
    let (shifts, declared, time_off, feed) = futures_util::try_join!(
        state
            .self_service
            .my_shifts(user, chrono::DateTime::<Utc>::UNIX_EPOCH, true),
        state
            .self_service
            .availability(user, chrono::DateTime::<Utc>::UNIX_EPOCH.date_naive()),
        state.self_service.time_off_of(user),
        state.self_service.feed(user),
    )?;
    let shifts: Vec<serde_json::Value> = shifts
        .iter()
        .map(|s| {
            serde_json::json!({
                "shift": my_shift(s),
                "cancelled": s.cancelled,
                "sequence": s.sequence,
                "changedAt": s.changed_at,
            })
        })
        .collect();
    Ok(serde_json::json!({
        "shifts": shifts,
        "availability": {
            "patterns": declared.patterns.iter().map(|p| AvailabilityPattern {
                effective_from: p.effective_from,
                windows: p.windows.iter().map(window_dto).collect(),
            }).collect::<Vec<_>>(),
            "unavailableDays": declared.unavailable_days,
        },
        "timeOff": time_off.iter().map(super::time_off::time_off_dto).collect::<Vec<_>>(),
        "calendarFeed": feed.map(|f| serde_json::json!({"createdAt": f.created_at, "lastUsedAt": f.last_used_at})),
    }))
}

//! Time off: a crew member asks for days (whole or part) and may cancel while pending; managers of one of
//! the person's locations approve or deny with a reason, seeing which of the person's shifts the range
//! collides with. Approved time off makes the rule engine refuse assignments inside it (`time_off`).

use actix_web::{get, post, web, HttpResponse};
use chrono::Utc;
use crewplots_domain::accounts::AuditEvent;
use crewplots_domain::mails;
use crewplots_domain::notifications::{Notice, NoticeKind};
use crewplots_domain::policy::{self, Action};
use crewplots_domain::scheduling::time;
use crewplots_domain::scheduling::time_off::{
    TimeOffRange, TimeOffRequest, TimeOffStatus as DomainStatus, MAX_REASON_CHARS,
};
use crewplots_domain::validation::FieldErrors;
use uuid::Uuid;

use super::refused;
use crate::access;
use crate::auth::{ClientIp, CurrentUser};
use crate::dto::{
    CollidingShift, ErrorBody, TimeOff, TimeOffDecisionBody, TimeOffItem, TimeOffList,
    TimeOffQuery, TimeOffRequestBody, TimeOffVerdict,
};
use crate::error::ApiError;
use crate::state::AppState;

pub(crate) fn time_off_dto(r: &TimeOffRequest) -> TimeOff {
    TimeOff {
        id: r.id,
        person: (&r.person).into(),
        first_day: r.range.first_day,
        last_day: r.range.last_day,
        start_time: r.range.start_time.map(time::clock),
        end_time: r.range.end_time.map(time::clock),
        timezone: r.timezone.clone(),
        starts_at: r.starts_at,
        ends_at: r.ends_at,
        category: r.category.into(),
        status: r.status.into(),
        decided_by: r.decided_by.as_ref().map(Into::into),
        decided_at: r.decided_at,
        reason: r.reason.clone(),
        created_at: r.created_at,
    }
}

/// "11 Dec 2026 14:00 – 13 Dec 2026", as the person typed it.
fn range_text(r: &TimeOffRange) -> String {
    let side = |day: chrono::NaiveDate, at: Option<chrono::NaiveTime>| match at {
        Some(t) => format!("{} {}", day.format("%-d %b %Y"), time::clock(t)),
        None => day.format("%-d %b %Y").to_string(),
    };
    if r.first_day == r.last_day && r.start_time.is_none() && r.end_time.is_none() {
        side(r.first_day, None)
    } else {
        format!(
            "{} – {}",
            side(r.first_day, r.start_time),
            side(r.last_day, r.end_time)
        )
    }
}

fn not_pending(current: DomainStatus) -> ApiError {
    refused(
        actix_web::http::StatusCode::CONFLICT,
        "request_decided",
        format!(
            "This request is no longer pending (it is {}).",
            current.as_str()
        ),
        &[("status", current.as_str().into())],
    )
}

/// My time-off requests, newest range first.
#[utoipa::path(tag = "self-service", responses(
    (status = 200, body = Vec<TimeOff>),
    (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
))]
#[get("/api/me/time-off")]
pub(crate) async fn mine(
    current: CurrentUser,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    access::self_service(&current)?;
    let requests = state.self_service.time_off_of(current.user.id).await?;
    Ok(HttpResponse::Ok().json(requests.iter().map(time_off_dto).collect::<Vec<_>>()))
}

/// Asks for time off: whole days, or from a time on the first day and/or until a time on the last day, in
/// my home location's time zone. At most 365 days; not entirely in the past.
#[utoipa::path(tag = "self-service", request_body = TimeOffRequestBody, responses(
    (status = 201, body = TimeOff),
    (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody),
))]
#[post("/api/me/time-off")]
pub(crate) async fn ask(
    current: CurrentUser,
    state: web::Data<AppState>,
    body: web::Json<TimeOffRequestBody>,
) -> Result<HttpResponse, ApiError> {
    access::self_service(&current)?;
    let (tz, timezone) = access::home_zone(&current);
    let mut errors = FieldErrors::default();
    let clock = |text: &Option<String>, field: &str, errors: &mut FieldErrors| {
        text.as_deref().and_then(|t| {
            let parsed = time::parse_clock(t);
            if parsed.is_none() {
                errors.add(field, "invalid_time");
            }
            parsed
        })
    };
    let range = TimeOffRange {
        first_day: body.first_day,
        last_day: body.last_day,
        start_time: clock(&body.start_time, "startTime", &mut errors),
        end_time: clock(&body.end_time, "endTime", &mut errors),
    };
    errors.into_result()?;
    let today = Utc::now().with_timezone(&tz).date_naive();
    let (starts_at, ends_at) = range.instants(tz, today)?;
    let created = state
        .self_service
        .request_time_off(TimeOffRequest {
            id: Uuid::new_v4(),
            person: crewplots_domain::hiring::PersonRef {
                id: current.user.id,
                name: format!("{} {}", current.user.first_name, current.user.last_name),
                role: current.user.role,
            },
            range,
            timezone,
            starts_at,
            ends_at,
            category: body.category.into(),
            status: DomainStatus::Pending,
            decided_by: None,
            decided_at: None,
            reason: None,
            created_at: Utc::now(),
        })
        .await?;
    Ok(HttpResponse::Created().json(time_off_dto(&created)))
}

/// Cancels my pending request; 409 `request_decided` once it was approved or denied.
#[utoipa::path(tag = "self-service", params(("id" = Uuid, Path)), responses(
    (status = 200, body = TimeOff),
    (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
    (status = 409, body = ErrorBody),
))]
#[post("/api/me/time-off/{id}/cancel")]
pub(crate) async fn cancel(
    current: CurrentUser,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    access::self_service(&current)?;
    match state
        .self_service
        .cancel_time_off(*id, current.user.id)
        .await?
    {
        Ok(cancelled) => Ok(HttpResponse::Ok().json(time_off_dto(&cancelled))),
        Err(status) => Err(not_pending(status)),
    }
}

/// The time off of a location's crew that has not ended: pending first, with the shifts each collides
/// with. Floor managers see it; managers decide.
#[utoipa::path(tag = "requests", params(("id" = Uuid, Path), TimeOffQuery), responses(
    (status = 200, body = TimeOffList),
    (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
))]
#[get("/api/locations/{id}/time-off")]
pub(crate) async fn location_list(
    current: CurrentUser,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
    query: web::Query<TimeOffQuery>,
) -> Result<HttpResponse, ApiError> {
    let location = access::location(&state, &current, *id, Action::ViewRequests).await?;
    let can_decide = policy::allows_at(&current.actor(), Action::DecideTimeOff, location.id);
    let requests = state
        .self_service
        .location_time_off(location.id, Utc::now(), query.status.map(Into::into))
        .await?;
    let items: Vec<TimeOffItem> = requests
        .iter()
        .map(|case| TimeOffItem {
            request: time_off_dto(&case.request),
            collisions: case
                .collisions
                .iter()
                .map(|b| CollidingShift {
                    shift_id: b.shift_id,
                    location_name: b.location_name.clone(),
                    date: b.local_date,
                    starts_at: b.starts_at,
                    ends_at: b.ends_at,
                })
                .collect(),
            can_decide: can_decide && case.request.status == DomainStatus::Pending,
        })
        .collect();
    let pending = requests
        .iter()
        .filter(|c| c.request.status == DomainStatus::Pending)
        .count();
    Ok(HttpResponse::Ok().json(TimeOffList { items, pending }))
}

/// Approves or denies a pending request (a denial needs a reason) and mails the person. Allowed to managers
/// of any location where the person is crew; 409 `request_decided` when someone was first.
#[utoipa::path(tag = "requests", params(("id" = Uuid, Path)), request_body = TimeOffDecisionBody,
    responses(
    (status = 200, body = TimeOff),
    (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
    (status = 409, body = ErrorBody), (status = 422, body = ErrorBody),
))]
#[post("/api/time-off/{id}/decision")]
pub(crate) async fn decide(
    current: CurrentUser,
    ip: ClientIp,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
    body: web::Json<TimeOffDecisionBody>,
) -> Result<HttpResponse, ApiError> {
    let actor = current.actor();
    if !policy::allows(actor.role, Action::ViewRequests) {
        return Err(ApiError::Forbidden);
    }
    let request = state
        .self_service
        .time_off(*id)
        .await?
        .ok_or(ApiError::NotFound)?;
    let memberships = state.crew.memberships(request.person.id).await?;
    let visible: Vec<Uuid> = memberships
        .iter()
        .map(|m| m.location_id)
        .filter(|l| policy::allows_at(&actor, Action::ViewRequests, *l))
        .collect();
    if visible.is_empty() {
        return Err(ApiError::NotFound);
    }
    let Some(location) = visible
        .iter()
        .copied()
        .find(|l| policy::allows_at(&actor, Action::DecideTimeOff, *l))
    else {
        return Err(ApiError::Forbidden);
    };
    let mut errors = FieldErrors::default();
    let reason = crewplots_domain::validation::optional_note(
        body.reason.as_deref(),
        MAX_REASON_CHARS,
        "reason",
        &mut errors,
    );
    if body.decision == TimeOffVerdict::Denied && reason.is_none() {
        errors.add("reason", "required");
    }
    errors.into_result()?;
    if request.status != DomainStatus::Pending {
        return Err(not_pending(request.status));
    }
    let to = match body.decision {
        TimeOffVerdict::Approved => DomainStatus::Approved,
        TimeOffVerdict::Denied => DomainStatus::Denied,
    };
    let person = state.accounts.user(request.person.id).await?;
    let decider = format!("{} {}", current.user.first_name, current.user.last_name);
    let notices: Vec<Notice> = person
        .map(|p| Notice {
            user_id: p.id,
            kind: NoticeKind::RequestDecided,
            params: vec![
                ("kind", "time_off".into()),
                ("status", to.as_str().into()),
                ("by", decider.clone()),
                ("firstDay", request.range.first_day.to_string()),
                ("lastDay", request.range.last_day.to_string()),
                ("requestId", request.id.to_string()),
            ],
            mail: Some(mails::time_off_decided(
                &p.email,
                &p.first_name,
                &range_text(&request.range),
                to == DomainStatus::Approved,
                &decider,
                reason.as_deref(),
                &state.security.public_url,
            )),
        })
        .into_iter()
        .collect();
    let audit = AuditEvent::new("time_off.decided")
        .actor(Some(current.user.id))
        .subject("time_off", request.id)
        .location(location)
        .ip(ip.0)
        .detail("decision", to.as_str().to_string())
        .detail("person", request.person.id.to_string());
    match state
        .self_service
        .decide_time_off(crewplots_domain::scheduling::ports::TimeOffDecision {
            id: request.id,
            to,
            actor: current.user.id,
            reason,
            notices,
            audit,
        })
        .await?
    {
        Ok(decided) => Ok(HttpResponse::Ok().json(time_off_dto(&decided))),
        Err(status) => Err(not_pending(status)),
    }
}

#[cfg(test)]
mod tests {
    use chrono::{NaiveDate, NaiveTime};

    use super::*;

    #[test]
    fn ranges_read_as_typed() {
        let day = |d| NaiveDate::from_ymd_opt(2026, 12, d).unwrap_or_default();
        let whole = TimeOffRange {
            first_day: day(11),
            last_day: day(11),
            start_time: None,
            end_time: None,
        };
        assert_eq!(range_text(&whole), "11 Dec 2026");
        let part = TimeOffRange {
            last_day: day(13),
            start_time: NaiveTime::from_hms_opt(14, 0, 0),
            ..whole
        };
        assert_eq!(range_text(&part), "11 Dec 2026 14:00 – 13 Dec 2026");
    }
}

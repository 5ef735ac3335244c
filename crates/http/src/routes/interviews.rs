//! Interviews: book, move, cancel, record the outcome, and the `.ics` invitation.
//!
//! Dates and times come in and go out in the *location's* time zone (a manager in Amsterdam books 14:00
//! Amsterdam time whatever their browser says); storage is UTC. A local time that does not exist (the hour
//! skipped when summer time starts) is refused; an ambiguous one (the hour repeated in autumn) takes the
//! earlier instant.

use actix_web::http::{header, StatusCode};
use actix_web::{get, patch, post, web, HttpResponse};
use chrono::{DateTime, NaiveDate, NaiveTime, TimeZone as _, Utc};
use crewplots_domain::accounts::{AuditEvent, NewMail, User};
use crewplots_domain::calendar::{self, CalendarEvent};
use crewplots_domain::hiring::{Application, Interview, InterviewSlot, PersonRef, SlotRefused};
use crewplots_domain::mails::{self, InterviewMail};
use crewplots_domain::policy;
use crewplots_domain::ports::StoreError;
use crewplots_domain::validation::{self, FieldErrors};
use uuid::Uuid;

use crate::auth::{ClientIp, CurrentUser};
use crate::dto::{self, CancelInterviewRequest, ErrorBody, InterviewRequest, OutcomeRequest};
use crate::error::ApiError;
use crate::routes::applications::{applicant_of, managed_application};
use crate::state::AppState;

/// The API shape of an interview, with its local date and time in `timezone`.
pub(crate) fn interview_dto(interview: &Interview, timezone: &str) -> dto::Interview {
    let tz: chrono_tz::Tz = timezone.parse().unwrap_or(chrono_tz::Europe::Amsterdam);
    let local = interview.starts_at.with_timezone(&tz);
    dto::Interview {
        id: interview.id,
        application_id: interview.application_id,
        starts_at: interview.starts_at,
        ends_at: interview.ends_at,
        timezone: tz.name().to_string(),
        local_date: local.date_naive(),
        local_time: local.format("%H:%M").to_string(),
        duration_minutes: (interview.ends_at - interview.starts_at).num_minutes(),
        place: interview.place.clone(),
        interviewer: interview.interviewer.as_ref().map(Into::into),
        status: interview.status.into(),
        outcome: interview.outcome.map(Into::into),
        outcome_note: interview.outcome_note.clone(),
    }
}

fn unprocessable(code: &'static str, message: String, fields: Vec<(&str, String)>) -> ApiError {
    ApiError::Refused {
        status: StatusCode::UNPROCESSABLE_ENTITY,
        code,
        message,
        fields: fields
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect(),
    }
}

fn local_label(at: DateTime<Utc>, timezone: &str) -> String {
    let tz: chrono_tz::Tz = timezone.parse().unwrap_or(chrono_tz::Europe::Amsterdam);
    at.with_timezone(&tz)
        .format("%a %-d %b %Y %H:%M (%Z)")
        .to_string()
}

fn refused(refusal: SlotRefused, timezone: &str) -> ApiError {
    match refusal {
        SlotRefused::InThePast => unprocessable(
            "interview_in_past",
            "An interview cannot start in the past.".into(),
            vec![("date", "in_past".into())],
        ),
        SlotRefused::Overlap {
            other,
            starts_at,
            ends_at,
        } => unprocessable(
            "interview_overlap",
            format!(
                "The interviewer already has an interview from {} to {}.",
                local_label(starts_at, timezone),
                local_label(ends_at, timezone)
            ),
            vec![
                ("conflict", other.to_string()),
                ("conflictStartsAt", starts_at.to_rfc3339()),
                ("conflictEndsAt", ends_at.to_rfc3339()),
            ],
        ),
    }
}

/// Validates a booking request into a UTC slot, with the interviewer it names.
async fn slot(
    state: &AppState,
    application: &Application,
    request: &InterviewRequest,
) -> Result<(InterviewSlot, PersonRef), ApiError> {
    let mut errors = FieldErrors::default();
    let date = NaiveDate::parse_from_str(request.date.trim(), "%Y-%m-%d").ok();
    if date.is_none() {
        errors.add("date", "invalid_date");
    }
    let time = NaiveTime::parse_from_str(request.time.trim(), "%H:%M").ok();
    if time.is_none() {
        errors.add("time", "invalid_time");
    }
    let minutes = request.duration_minutes.unwrap_or(30);
    if !(15..=480).contains(&minutes) {
        errors.add("durationMinutes", "out_of_range");
    }
    let place = validation::text(&request.place, 200, "place", &mut errors);
    let interviewer = state
        .locations
        .staff(application.location.id)
        .await?
        .into_iter()
        .find(|s| s.id == request.interviewer_id);
    if interviewer.is_none() {
        errors.add("interviewerId", "not_allowed");
    }
    errors.into_result()?;
    let (Some(date), Some(time), Some(interviewer)) = (date, time, interviewer) else {
        return Err(ApiError::internal(std::io::Error::other(
            "validated slot missing",
        )));
    };
    let tz: chrono_tz::Tz = application
        .location
        .timezone
        .parse()
        .unwrap_or(chrono_tz::Europe::Amsterdam);
    let starts_at = tz
        .from_local_datetime(&date.and_time(time))
        .earliest()
        .ok_or_else(|| {
            unprocessable(
                "invalid_local_time",
                format!(
                    "{} {} does not exist in {} (the clocks move forward).",
                    request.date,
                    request.time,
                    tz.name()
                ),
                vec![("time", "invalid_local_time".into())],
            )
        })?
        .with_timezone(&Utc);
    Ok((
        InterviewSlot {
            starts_at,
            ends_at: starts_at + chrono::Duration::minutes(minutes),
            place,
            interviewer_id: interviewer.id,
        },
        interviewer,
    ))
}

/// The `.ics` text for an interview.
fn ics(
    state: &AppState,
    interview: &Interview,
    application: &Application,
    applicant: &User,
    cancelled: bool,
) -> String {
    let interviewer = interview
        .interviewer
        .as_ref()
        .map_or_else(|| application.location.name.clone(), |i| i.name.clone());
    calendar::invitation(&CalendarEvent {
        uid: interview.id,
        sequence: u32::try_from(interview.sequence).unwrap_or(0),
        starts_at: interview.starts_at,
        ends_at: interview.ends_at,
        summary: &format!(
            "Interview at {} ({})",
            application.location.name, application.position
        ),
        place: &interview.place,
        description: &format!(
            "Interview for the {} position at {} with {interviewer}.\n{}/portal",
            application.position, application.location.name, state.security.public_url
        ),
        organizer_name: &application.location.name,
        organizer_email: &state.mail_from,
        attendee_name: &applicant.display_name(),
        attendee_email: &applicant.email,
        cancelled,
        stamp: Utc::now(),
    })
}

fn interview_mail(
    state: &AppState,
    kind: InterviewMail,
    interview: &Interview,
    application: &Application,
    applicant: &User,
) -> NewMail {
    mails::interview(
        kind,
        &applicant.email,
        &applicant.first_name,
        &application.location.name,
        &local_label(interview.starts_at, &application.location.timezone),
        &interview.place,
        &interview
            .interviewer
            .as_ref()
            .map_or_else(String::new, |i| i.name.clone()),
        ics(
            state,
            interview,
            application,
            applicant,
            kind == InterviewMail::Cancelled,
        ),
    )
}

/// The interview, its application and the applicant, for staff who manage that application.
async fn managed_interview(
    state: &AppState,
    current: &CurrentUser,
    id: Uuid,
) -> Result<(Interview, Application, User), ApiError> {
    let interview = state
        .hiring
        .interview(id)
        .await?
        .ok_or(ApiError::NotFound)?;
    let (application, _) =
        managed_application(state, current, interview.application_id, None).await?;
    let applicant = applicant_of(state, &application).await?;
    Ok((interview, application, applicant))
}

fn interview_closed(error: StoreError) -> ApiError {
    match error {
        StoreError::Conflict(_) => ApiError::Conflict {
            code: "interview_closed",
            message: "This interview was cancelled or already took place.".into(),
        },
        other => other.into(),
    }
}

/// A mail whose `.ics` carries the booked interview: the interview row is written in the same transaction,
/// so the mail is built from what will be stored (the id and sequence are known up front).
fn preview(
    id: Uuid,
    application: &Application,
    slot: &InterviewSlot,
    interviewer: PersonRef,
    sequence: i32,
) -> Interview {
    Interview {
        id,
        application_id: application.id,
        starts_at: slot.starts_at,
        ends_at: slot.ends_at,
        place: slot.place.clone(),
        interviewer: Some(interviewer),
        status: crewplots_domain::hiring::InterviewStatus::Scheduled,
        outcome: None,
        outcome_note: None,
        sequence,
    }
}

/// Books an interview (date and time in the location's time zone) and mails the invitation with `.ics`.
#[utoipa::path(tag = "interviews", params(("id" = Uuid, Path, description = "Application")), request_body = InterviewRequest, responses(
    (status = 201, body = dto::Interview),
    (status = 403, body = ErrorBody),
    (status = 404, body = ErrorBody),
    (status = 409, body = ErrorBody, description = "`application_closed`"),
    (status = 422, body = ErrorBody, description = "`interview_in_past`, `interview_overlap` (fields.conflict), `validation_failed`"),
))]
#[post("/api/applications/{id}/interviews")]
pub(crate) async fn schedule(
    current: CurrentUser,
    ip: ClientIp,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
    body: web::Json<InterviewRequest>,
) -> Result<HttpResponse, ApiError> {
    let (application, _) = managed_application(&state, &current, *id, None).await?;
    if !application.status.is_open() {
        return Err(ApiError::Conflict {
            code: "application_closed",
            message: "Interviews can only be planned for open applications.".into(),
        });
    }
    let (slot, interviewer) = slot(&state, &application, &body).await?;
    let applicant = applicant_of(&state, &application).await?;
    let interview_id = Uuid::new_v4();
    let mail = interview_mail(
        &state,
        InterviewMail::Invitation,
        &preview(interview_id, &application, &slot, interviewer, 0),
        &application,
        &applicant,
    );
    let booked = state
        .hiring
        .schedule_interview(
            application.id,
            interview_id,
            slot,
            current.user.id,
            Some(mail),
            AuditEvent::new("interview.scheduled")
                .actor(Some(current.user.id))
                .subject("interview", interview_id)
                .ip(ip.0)
                .detail("application", application.id.to_string()),
        )
        .await?
        .map_err(|r| refused(r, &application.location.timezone))?;
    Ok(HttpResponse::Created().json(interview_dto(&booked, &application.location.timezone)))
}

/// Moves an interview; the applicant gets an updated invitation.
#[utoipa::path(tag = "interviews", params(("id" = Uuid, Path)), request_body = InterviewRequest, responses(
    (status = 200, body = dto::Interview),
    (status = 403, body = ErrorBody),
    (status = 404, body = ErrorBody),
    (status = 409, body = ErrorBody, description = "`interview_closed`"),
    (status = 422, body = ErrorBody),
))]
#[patch("/api/interviews/{id}")]
pub(crate) async fn reschedule(
    current: CurrentUser,
    ip: ClientIp,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
    body: web::Json<InterviewRequest>,
) -> Result<HttpResponse, ApiError> {
    let (interview, application, applicant) = managed_interview(&state, &current, *id).await?;
    let (slot, interviewer) = slot(&state, &application, &body).await?;
    let mail = interview_mail(
        &state,
        InterviewMail::Rescheduled,
        &preview(
            interview.id,
            &application,
            &slot,
            interviewer,
            interview.sequence + 1,
        ),
        &application,
        &applicant,
    );
    let moved = state
        .hiring
        .reschedule_interview(
            interview.id,
            slot,
            Some(mail),
            AuditEvent::new("interview.rescheduled")
                .actor(Some(current.user.id))
                .subject("interview", interview.id)
                .ip(ip.0),
        )
        .await
        .map_err(interview_closed)?
        .map_err(|r| refused(r, &application.location.timezone))?;
    Ok(HttpResponse::Ok().json(interview_dto(&moved, &application.location.timezone)))
}

/// Cancels an interview; the applicant gets a cancellation for their calendar.
#[utoipa::path(tag = "interviews", params(("id" = Uuid, Path)), request_body = CancelInterviewRequest, responses(
    (status = 200, body = dto::Interview),
    (status = 403, body = ErrorBody),
    (status = 404, body = ErrorBody),
    (status = 409, body = ErrorBody, description = "`interview_closed`"),
))]
#[post("/api/interviews/{id}/cancel")]
pub(crate) async fn cancel(
    current: CurrentUser,
    ip: ClientIp,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
    body: Option<web::Json<CancelInterviewRequest>>,
) -> Result<HttpResponse, ApiError> {
    let (interview, application, applicant) = managed_interview(&state, &current, *id).await?;
    let mut errors = FieldErrors::default();
    let reason = body
        .and_then(|b| b.into_inner().reason)
        .map(|r| r.trim().to_string())
        .filter(|r| !r.is_empty())
        .map(|r| validation::text(&r, 1000, "reason", &mut errors));
    errors.into_result()?;
    let cancelled_preview = Interview {
        sequence: interview.sequence + 1,
        ..interview.clone()
    };
    let mail = interview_mail(
        &state,
        InterviewMail::Cancelled,
        &cancelled_preview,
        &application,
        &applicant,
    );
    let mut audit = AuditEvent::new("interview.cancelled")
        .actor(Some(current.user.id))
        .subject("interview", interview.id)
        .ip(ip.0);
    if reason.is_some() {
        audit = audit.detail("reason_given", "true");
    }
    let cancelled = state
        .hiring
        .cancel_interview(interview.id, Some(mail), audit)
        .await
        .map_err(interview_closed)?;
    Ok(HttpResponse::Ok().json(interview_dto(&cancelled, &application.location.timezone)))
}

/// Records how an interview went (internal; the applicant does not see it).
#[utoipa::path(tag = "interviews", params(("id" = Uuid, Path)), request_body = OutcomeRequest, responses(
    (status = 200, body = dto::Interview),
    (status = 403, body = ErrorBody),
    (status = 404, body = ErrorBody),
    (status = 409, body = ErrorBody, description = "`interview_closed`"),
    (status = 422, body = ErrorBody),
))]
#[post("/api/interviews/{id}/outcome")]
pub(crate) async fn outcome(
    current: CurrentUser,
    ip: ClientIp,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
    body: web::Json<OutcomeRequest>,
) -> Result<HttpResponse, ApiError> {
    let (interview, application, _) = managed_interview(&state, &current, *id).await?;
    let mut errors = FieldErrors::default();
    let note = body
        .note
        .as_deref()
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(|n| validation::text(n, 1000, "note", &mut errors));
    errors.into_result()?;
    let recorded = state
        .hiring
        .record_outcome(
            interview.id,
            body.outcome.into(),
            note,
            AuditEvent::new("interview.outcome_recorded")
                .actor(Some(current.user.id))
                .subject("interview", interview.id)
                .ip(ip.0),
        )
        .await
        .map_err(interview_closed)?;
    Ok(HttpResponse::Ok().json(interview_dto(&recorded, &application.location.timezone)))
}

/// The interview as an `.ics` file (the applicant's own, or staff who can see the application).
#[utoipa::path(tag = "interviews", params(("id" = Uuid, Path)), responses(
    (status = 200, content_type = "text/calendar", description = "RFC 5545 invitation"),
    (status = 404, body = ErrorBody),
))]
#[get("/api/interviews/{id}/ics")]
pub(crate) async fn download_ics(
    current: CurrentUser,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let interview = state
        .hiring
        .interview(*id)
        .await?
        .ok_or(ApiError::NotFound)?;
    let application = state
        .hiring
        .application(interview.application_id)
        .await?
        .ok_or(ApiError::NotFound)?;
    let own = application.applicant_id == current.user.id;
    if !own && !policy::application_access(&current.actor(), application.location.id).visible {
        return Err(ApiError::NotFound);
    }
    let applicant = applicant_of(&state, &application).await?;
    let cancelled = interview.status == crewplots_domain::hiring::InterviewStatus::Cancelled;
    Ok(HttpResponse::Ok()
        .content_type("text/calendar; charset=utf-8")
        .insert_header((
            header::CONTENT_DISPOSITION,
            "attachment; filename=\"interview.ics\"",
        ))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(ics(&state, &interview, &application, &applicant, cancelled)))
}

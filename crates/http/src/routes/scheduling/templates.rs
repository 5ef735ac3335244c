//! Week templates of a location: named sets of weekday shifts in local wall-clock time.

use actix_web::{delete, get, post, put, web, HttpResponse};
use chrono::{Duration, Utc};
use crewplots_domain::accounts::{AuditEvent, Location};
use crewplots_domain::policy::{self, Action};
use crewplots_domain::ports::StoreError;
use crewplots_domain::scheduling::model::{self, check_shift_numbers};
use crewplots_domain::scheduling::time::{self, weekday_from_number, weekday_number};
use crewplots_domain::validation::{self, FieldErrors};
use uuid::Uuid;

use super::{note, requirements};
use crate::access;
use crate::auth::{ClientIp, CurrentUser};
use crate::dto::{ErrorBody, TemplateRequest, TemplateShift, WeekTemplate};
use crate::error::ApiError;
use crate::state::AppState;

impl From<&model::WeekTemplate> for WeekTemplate {
    fn from(t: &model::WeekTemplate) -> Self {
        Self {
            id: t.id,
            location_id: t.location_id,
            name: t.name.clone(),
            updated_at: t.updated_at,
            shifts: t
                .shifts
                .iter()
                .map(|s| TemplateShift {
                    id: s.id,
                    weekday: weekday_number(s.weekday),
                    position_id: s.position_id,
                    start: time::clock(s.start),
                    end: time::clock(s.end),
                    overnight: s.end <= s.start,
                    break_minutes: s.break_minutes,
                    slots: s.slots,
                    requirements: s.requirements.iter().map(Into::into).collect(),
                    note: s.note.clone(),
                })
                .collect(),
        }
    }
}

/// The template a request describes, checked field by field (`shifts[2].start`).
async fn template_from(
    state: &AppState,
    location: &Location,
    id: Uuid,
    request: &TemplateRequest,
) -> Result<model::WeekTemplate, ApiError> {
    let (positions, competencies) = tokio::try_join!(
        state.crew.positions(location.id),
        state.crew.competencies(location.id)
    )?;
    let mut errors = FieldErrors::default();
    let name = validation::text(&request.name, 80, "name", &mut errors);
    if request.shifts.len() > 300 {
        errors.add("shifts", "too_many");
    }
    let mut shifts = Vec::new();
    for (i, s) in request.shifts.iter().enumerate() {
        let field = |name: &str| format!("shifts[{i}].{name}");
        let mut own = FieldErrors::default();
        let weekday = weekday_from_number(s.weekday);
        if weekday.is_none() {
            own.add("weekday", "invalid_weekday");
        }
        if !positions
            .iter()
            .any(|p| p.id == s.position_id && !p.archived)
        {
            own.add("positionId", "unknown_position");
        }
        let start = time::parse_clock(&s.start);
        let end = time::parse_clock(&s.end);
        if start.is_none() {
            own.add("start", "invalid_time");
        }
        if end.is_none() {
            own.add("end", "invalid_time");
        }
        let needs = requirements(&s.requirements, &competencies, "requirements", &mut own);
        let text = note(s.note.as_deref());
        // The wall-clock length; the real one follows from the week it is expanded into.
        let minutes = match (start, end) {
            (Some(a), Some(b)) if b > a => (b - a).num_minutes(),
            (Some(a), Some(b)) if b < a => (Duration::days(1) - (a - b)).num_minutes(),
            (Some(_), Some(_)) => 0,
            _ => 1,
        };
        check_shift_numbers(minutes, s.break_minutes, s.slots, text.as_deref(), &mut own);
        for (key, code) in own.0 {
            errors.add(&field(&key), code);
        }
        if let (Some(weekday), Some(start), Some(end)) = (weekday, start, end) {
            shifts.push(model::TemplateShift {
                id: Uuid::new_v4(),
                weekday,
                position_id: s.position_id,
                start,
                end,
                break_minutes: u16::try_from(s.break_minutes).unwrap_or(0),
                slots: u16::try_from(s.slots).unwrap_or(1),
                requirements: needs,
                note: text,
            });
        }
    }
    errors.into_result()?;
    Ok(model::WeekTemplate {
        id,
        location_id: location.id,
        name,
        shifts,
        updated_at: Utc::now(),
    })
}

fn name_taken(error: StoreError) -> ApiError {
    match error {
        StoreError::Conflict("name") => ApiError::Refused {
            status: actix_web::http::StatusCode::CONFLICT,
            code: "name_taken",
            message: "This location already has a template with that name.".into(),
            fields: [("name".to_string(), "taken".to_string())].into(),
        },
        other => other.into(),
    }
}

/// The templates of a location.
#[utoipa::path(tag = "scheduling", params(("id" = Uuid, Path)), responses(
    (status = 200, body = Vec<WeekTemplate>),
    (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
))]
#[get("/api/locations/{id}/templates")]
pub(crate) async fn list(
    current: CurrentUser,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let location = access::location(&state, &current, *id, Action::EditSchedule).await?;
    let templates = state.templates.templates(location.id).await?;
    Ok(HttpResponse::Ok().json(templates.iter().map(WeekTemplate::from).collect::<Vec<_>>()))
}

/// Creates a template with its shifts (managers of the location).
#[utoipa::path(tag = "scheduling", params(("id" = Uuid, Path)), request_body = TemplateRequest, responses(
    (status = 201, body = WeekTemplate),
    (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
    (status = 409, body = ErrorBody), (status = 422, body = ErrorBody),
))]
#[post("/api/locations/{id}/templates")]
pub(crate) async fn create(
    current: CurrentUser,
    ip: ClientIp,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
    body: web::Json<TemplateRequest>,
) -> Result<HttpResponse, ApiError> {
    let location = access::location(&state, &current, *id, Action::ManageSchedule).await?;
    let template = template_from(&state, &location, Uuid::new_v4(), &body).await?;
    let audit = AuditEvent::new("template.created")
        .actor(Some(current.user.id))
        .subject("template", template.id)
        .location(location.id)
        .ip(ip.0);
    let saved = state
        .templates
        .save_template(template, audit)
        .await
        .map_err(name_taken)?;
    Ok(HttpResponse::Created().json(WeekTemplate::from(&saved)))
}

/// A template the caller may act on with `action`.
async fn template(
    state: &AppState,
    current: &CurrentUser,
    id: Uuid,
    action: Action,
) -> Result<model::WeekTemplate, ApiError> {
    if !policy::allows(current.user.role, action) {
        return Err(ApiError::Forbidden);
    }
    let template = state
        .templates
        .template(id)
        .await?
        .ok_or(ApiError::NotFound)?;
    access::allow_at(&current.actor(), action, template.location_id)?;
    Ok(template)
}

#[utoipa::path(tag = "scheduling", params(("id" = Uuid, Path)), responses(
    (status = 200, body = WeekTemplate),
    (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
))]
#[get("/api/templates/{id}")]
pub(crate) async fn get_one(
    current: CurrentUser,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let template = template(&state, &current, *id, Action::EditSchedule).await?;
    Ok(HttpResponse::Ok().json(WeekTemplate::from(&template)))
}

/// Replaces a template's name and all its shifts.
#[utoipa::path(tag = "scheduling", params(("id" = Uuid, Path)), request_body = TemplateRequest, responses(
    (status = 200, body = WeekTemplate),
    (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
    (status = 409, body = ErrorBody), (status = 422, body = ErrorBody),
))]
#[put("/api/templates/{id}")]
pub(crate) async fn replace(
    current: CurrentUser,
    ip: ClientIp,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
    body: web::Json<TemplateRequest>,
) -> Result<HttpResponse, ApiError> {
    let existing = template(&state, &current, *id, Action::ManageSchedule).await?;
    let location = state
        .locations
        .get(existing.location_id)
        .await?
        .ok_or(ApiError::NotFound)?;
    let template = template_from(&state, &location, existing.id, &body).await?;
    let audit = AuditEvent::new("template.updated")
        .actor(Some(current.user.id))
        .subject("template", template.id)
        .location(location.id)
        .ip(ip.0);
    let saved = state
        .templates
        .save_template(template, audit)
        .await
        .map_err(name_taken)?;
    Ok(HttpResponse::Ok().json(WeekTemplate::from(&saved)))
}

/// Deletes a template (weeks made from it keep their shifts).
#[utoipa::path(tag = "scheduling", params(("id" = Uuid, Path)), responses(
    (status = 204, description = "Deleted"),
    (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
))]
#[delete("/api/templates/{id}")]
pub(crate) async fn remove(
    current: CurrentUser,
    ip: ClientIp,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let existing = template(&state, &current, *id, Action::ManageSchedule).await?;
    let audit = AuditEvent::new("template.deleted")
        .actor(Some(current.user.id))
        .subject("template", existing.id)
        .location(existing.location_id)
        .ip(ip.0);
    state.templates.delete_template(existing.id, audit).await?;
    Ok(HttpResponse::NoContent().finish())
}

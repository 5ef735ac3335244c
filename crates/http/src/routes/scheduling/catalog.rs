//! Positions and competencies of a location.

use actix_web::{get, patch, post, web, HttpResponse};
use crewplots_domain::accounts::AuditEvent;
use crewplots_domain::policy::Action;
use crewplots_domain::ports::StoreError;
use crewplots_domain::scheduling::model;
use crewplots_domain::validation::{self, FieldErrors};
use uuid::Uuid;

use super::requirements;
use crate::access;
use crate::auth::{ClientIp, CurrentUser};
use crate::dto::{Competency, CompetencyRequest, ErrorBody, Position, PositionRequest};
use crate::error::ApiError;
use crate::state::AppState;

fn name_taken(error: StoreError) -> ApiError {
    match error {
        StoreError::Conflict("name") => ApiError::Refused {
            status: actix_web::http::StatusCode::CONFLICT,
            code: "name_taken",
            message: "This location already has one with that name.".into(),
            fields: [("name".to_string(), "taken".to_string())].into(),
        },
        other => other.into(),
    }
}

/// Positions of a location (archived ones last).
#[utoipa::path(tag = "scheduling", params(("id" = Uuid, Path)), responses(
    (status = 200, body = Vec<Position>),
    (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
))]
#[get("/api/locations/{id}/positions")]
pub(crate) async fn list_positions(
    current: CurrentUser,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let location = access::location(&state, &current, *id, Action::ViewCrew).await?;
    let positions = state.crew.positions(location.id).await?;
    Ok(HttpResponse::Ok().json(positions.iter().map(Position::from).collect::<Vec<_>>()))
}

async fn save_position(
    state: &AppState,
    current: &CurrentUser,
    ip: ClientIp,
    mut position: model::Position,
    body: PositionRequest,
    action: &'static str,
) -> Result<Position, ApiError> {
    let mut errors = FieldErrors::default();
    if let Some(name) = &body.name {
        position.name = validation::text(name, 60, "name", &mut errors);
    } else if position.name.is_empty() {
        errors.add("name", "required");
    }
    if let Some(archived) = body.archived {
        position.archived = archived;
    }
    if let Some(list) = &body.requirements {
        let competencies = state.crew.competencies(position.location_id).await?;
        position.requirements = requirements(list, &competencies, "requirements", &mut errors);
    }
    errors.into_result()?;
    let audit = AuditEvent::new(action)
        .actor(Some(current.user.id))
        .subject("position", position.id)
        .location(position.location_id)
        .ip(ip.0);
    let saved = state
        .crew
        .save_position(position, audit)
        .await
        .map_err(name_taken)?;
    Ok(Position::from(&saved))
}

/// Adds a position (managers of the location).
#[utoipa::path(tag = "scheduling", params(("id" = Uuid, Path)), request_body = PositionRequest, responses(
    (status = 201, body = Position),
    (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
    (status = 409, body = ErrorBody), (status = 422, body = ErrorBody),
))]
#[post("/api/locations/{id}/positions")]
pub(crate) async fn create_position(
    current: CurrentUser,
    ip: ClientIp,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
    body: web::Json<PositionRequest>,
) -> Result<HttpResponse, ApiError> {
    let location = access::location(&state, &current, *id, Action::ManageCrew).await?;
    let position = model::Position {
        id: Uuid::new_v4(),
        location_id: location.id,
        name: String::new(),
        archived: false,
        requirements: Vec::new(),
    };
    let saved = save_position(
        &state,
        &current,
        ip,
        position,
        body.into_inner(),
        "position.created",
    )
    .await?;
    Ok(HttpResponse::Created().json(saved))
}

/// Renames, archives or changes the minimum levels of a position.
#[utoipa::path(tag = "scheduling", params(("id" = Uuid, Path)), request_body = PositionRequest, responses(
    (status = 200, body = Position),
    (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
    (status = 409, body = ErrorBody), (status = 422, body = ErrorBody),
))]
#[patch("/api/positions/{id}")]
pub(crate) async fn update_position(
    current: CurrentUser,
    ip: ClientIp,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
    body: web::Json<PositionRequest>,
) -> Result<HttpResponse, ApiError> {
    if !crewplots_domain::policy::allows(current.user.role, Action::ManageCrew) {
        return Err(ApiError::Forbidden);
    }
    let position = state.crew.position(*id).await?.ok_or(ApiError::NotFound)?;
    access::allow_at(&current.actor(), Action::ManageCrew, position.location_id)?;
    let saved = save_position(
        &state,
        &current,
        ip,
        position,
        body.into_inner(),
        "position.updated",
    )
    .await?;
    Ok(HttpResponse::Ok().json(saved))
}

/// Competencies of a location.
#[utoipa::path(tag = "scheduling", params(("id" = Uuid, Path)), responses(
    (status = 200, body = Vec<Competency>),
    (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
))]
#[get("/api/locations/{id}/competencies")]
pub(crate) async fn list_competencies(
    current: CurrentUser,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let location = access::location(&state, &current, *id, Action::ViewCrew).await?;
    let list = state.crew.competencies(location.id).await?;
    Ok(HttpResponse::Ok().json(list.iter().map(Competency::from).collect::<Vec<_>>()))
}

async fn save_competency(
    state: &AppState,
    current: &CurrentUser,
    ip: ClientIp,
    mut competency: model::Competency,
    body: CompetencyRequest,
    action: &'static str,
) -> Result<Competency, ApiError> {
    let mut errors = FieldErrors::default();
    if let Some(name) = &body.name {
        competency.name = validation::text(name, 60, "name", &mut errors);
    } else if competency.name.is_empty() {
        errors.add("name", "required");
    }
    if let Some(archived) = body.archived {
        competency.archived = archived;
    }
    errors.into_result()?;
    let audit = AuditEvent::new(action)
        .actor(Some(current.user.id))
        .subject("competency", competency.id)
        .location(competency.location_id)
        .ip(ip.0);
    let saved = state
        .crew
        .save_competency(competency, audit)
        .await
        .map_err(name_taken)?;
    Ok(Competency::from(&saved))
}

/// Adds a competency (managers of the location).
#[utoipa::path(tag = "scheduling", params(("id" = Uuid, Path)), request_body = CompetencyRequest, responses(
    (status = 201, body = Competency),
    (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
    (status = 409, body = ErrorBody), (status = 422, body = ErrorBody),
))]
#[post("/api/locations/{id}/competencies")]
pub(crate) async fn create_competency(
    current: CurrentUser,
    ip: ClientIp,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
    body: web::Json<CompetencyRequest>,
) -> Result<HttpResponse, ApiError> {
    let location = access::location(&state, &current, *id, Action::ManageCrew).await?;
    let competency = model::Competency {
        id: Uuid::new_v4(),
        location_id: location.id,
        name: String::new(),
        archived: false,
    };
    let saved = save_competency(
        &state,
        &current,
        ip,
        competency,
        body.into_inner(),
        "competency.created",
    )
    .await?;
    Ok(HttpResponse::Created().json(saved))
}

/// Renames or archives a competency.
#[utoipa::path(tag = "scheduling", params(("id" = Uuid, Path)), request_body = CompetencyRequest, responses(
    (status = 200, body = Competency),
    (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
    (status = 409, body = ErrorBody), (status = 422, body = ErrorBody),
))]
#[patch("/api/competencies/{id}")]
pub(crate) async fn update_competency(
    current: CurrentUser,
    ip: ClientIp,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
    body: web::Json<CompetencyRequest>,
) -> Result<HttpResponse, ApiError> {
    if !crewplots_domain::policy::allows(current.user.role, Action::ManageCrew) {
        return Err(ApiError::Forbidden);
    }
    let competency = state
        .crew
        .competency(*id)
        .await?
        .ok_or(ApiError::NotFound)?;
    access::allow_at(&current.actor(), Action::ManageCrew, competency.location_id)?;
    let saved = save_competency(
        &state,
        &current,
        ip,
        competency,
        body.into_inner(),
        "competency.updated",
    )
    .await?;
    Ok(HttpResponse::Ok().json(saved))
}

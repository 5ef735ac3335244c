//! Retention holds (issue 14 E): read whether and when a person's data is erased, put the person on hold or
//! lift it. Allowed with `HoldRetention` at one of the locations the person applied at (administrators:
//! anyone); a person the caller cannot see that way is 404. The hold's reason never enters the audit log.

use actix_web::{delete, get, put, web, HttpResponse};
use crewplots_domain::accounts::AuditEvent;
use crewplots_domain::policy::{self, Action, LocationScope};
use crewplots_domain::retention::{RetentionFacts, HOLD_REASON_MAX};
use crewplots_domain::validation::FieldErrors;
use uuid::Uuid;

use crate::auth::{ClientIp, CurrentUser};
use crate::dto::{ErrorBody, RetentionHoldRequest, RetentionStatus};
use crate::error::ApiError;
use crate::state::AppState;

/// The person's facts and the location the caller acts at (for the audit line), when the caller may hold
/// retention for them.
async fn person(
    state: &AppState,
    current: &CurrentUser,
    id: Uuid,
) -> Result<(RetentionFacts, Option<Uuid>), ApiError> {
    let actor = current.actor();
    let scope = policy::scope(&actor, Action::HoldRetention).ok_or(ApiError::Forbidden)?;
    let facts = state
        .retention
        .retention_facts(id)
        .await?
        .ok_or(ApiError::NotFound)?;
    let location = match scope {
        LocationScope::All => facts.application_locations.first().copied(),
        LocationScope::Only(own) => Some(
            facts
                .application_locations
                .iter()
                .copied()
                .find(|l| own.contains(l))
                .ok_or(ApiError::NotFound)?,
        ),
    };
    Ok((facts, location))
}

async fn status(state: &AppState, id: Uuid) -> Result<HttpResponse, ApiError> {
    let facts = state
        .retention
        .retention_facts(id)
        .await?
        .ok_or(ApiError::NotFound)?;
    Ok(HttpResponse::Ok().json(RetentionStatus::new(&facts, state.retention_policy)))
}

/// Whether the person is on hold and when retention erases their data.
#[utoipa::path(tag = "people", params(("id" = Uuid, Path)), responses(
    (status = 200, body = RetentionStatus),
    (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
))]
#[get("/api/people/{id}/retention")]
pub(crate) async fn retention_status(
    current: CurrentUser,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let (facts, _) = person(&state, &current, *id).await?;
    Ok(HttpResponse::Ok().json(RetentionStatus::new(&facts, state.retention_policy)))
}

/// Puts the person on hold (or replaces the reason): retention keeps their data until the hold is lifted.
#[utoipa::path(tag = "people", params(("id" = Uuid, Path)), request_body = RetentionHoldRequest, responses(
    (status = 200, body = RetentionStatus),
    (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
    (status = 422, body = ErrorBody, description = "`reason`: `required`, `too_long` or `invalid_characters`"),
))]
#[put("/api/people/{id}/retention-hold")]
pub(crate) async fn put_retention_hold(
    current: CurrentUser,
    ip: ClientIp,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
    body: web::Json<RetentionHoldRequest>,
) -> Result<HttpResponse, ApiError> {
    let (facts, location) = person(&state, &current, *id).await?;
    let mut errors = FieldErrors::default();
    let reason = crewplots_domain::validation::optional_note(
        Some(&body.reason),
        HOLD_REASON_MAX,
        "reason",
        &mut errors,
    );
    let Some(reason) = reason.filter(|_| errors.is_empty()) else {
        errors.add("reason", "required");
        return Err(errors.into());
    };
    let mut audit = AuditEvent::new("retention.hold_set")
        .actor(Some(current.user.id))
        .subject("user", facts.person)
        .ip(ip.0);
    if let Some(location) = location {
        audit = audit.location(location);
    }
    state
        .retention
        .set_hold(facts.person, &reason, current.user.id, audit)
        .await?;
    status(&state, facts.person).await
}

/// Lifts the person's hold (nothing happens when there is none).
#[utoipa::path(tag = "people", params(("id" = Uuid, Path)), responses(
    (status = 200, body = RetentionStatus),
    (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
))]
#[delete("/api/people/{id}/retention-hold")]
pub(crate) async fn remove_retention_hold(
    current: CurrentUser,
    ip: ClientIp,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let (facts, location) = person(&state, &current, *id).await?;
    let mut audit = AuditEvent::new("retention.hold_removed")
        .actor(Some(current.user.id))
        .subject("user", facts.person)
        .ip(ip.0);
    if let Some(location) = location {
        audit = audit.location(location);
    }
    state.retention.remove_hold(facts.person, audit).await?;
    status(&state, facts.person).await
}

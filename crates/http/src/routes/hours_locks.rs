//! Locking an exported hours period (issue 14 D): a manager or administrator locks a location's dates once
//! their hours are exported; publishing a change into them then needs a reason and records corrections,
//! and claims, offers and swaps there are refused (see `routes/scheduling/weeks.rs` and the request store).

use actix_web::{get, post, web, HttpResponse};
use crewplots_domain::accounts::AuditEvent;
use crewplots_domain::policy::Action;
use crewplots_domain::ports::StoreError;
use crewplots_domain::scheduling::publish::LockedPeriod;
use crewplots_domain::validation::FieldErrors;
use uuid::Uuid;

use crate::access;
use crate::auth::{ClientIp, CurrentUser};
use crate::dto::{ErrorBody, HoursLock, NewHoursLock};
use crate::error::ApiError;
use crate::state::AppState;

/// Locks `from`–`to` (local dates, both included) at the location.
#[utoipa::path(tag = "exports", params(("id" = Uuid, Path)), request_body = NewHoursLock, responses(
    (status = 201, body = HoursLock),
    (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
    (status = 409, body = ErrorBody, description = "`period_overlaps`"), (status = 422, body = ErrorBody),
))]
#[post("/api/locations/{id}/hours-locks")]
pub(crate) async fn create(
    current: CurrentUser,
    ip: ClientIp,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
    body: web::Json<NewHoursLock>,
) -> Result<HttpResponse, ApiError> {
    let location = access::location(&state, &current, *id, Action::ExportData).await?;
    if body.from > body.to {
        let mut errors = FieldErrors::default();
        errors.add("from", "after_to");
        return Err(errors.into());
    }
    let period = LockedPeriod {
        id: Uuid::new_v4(),
        from: body.from,
        to: body.to,
    };
    let audit = AuditEvent::new("hours.locked")
        .actor(Some(current.user.id))
        .subject("hours_lock", period.id)
        .location(location.id)
        .ip(ip.0)
        .detail("from", period.from.to_string())
        .detail("to", period.to.to_string());
    match state
        .exports
        .lock_hours(location.id, period, current.user.id, audit)
        .await
    {
        Ok(lock) => Ok(HttpResponse::Created().json(HoursLock::from(&lock))),
        Err(StoreError::Conflict(_)) => Err(ApiError::Conflict {
            code: "period_overlaps",
            message: "This period overlaps a locked period of this location.".into(),
        }),
        Err(other) => Err(other.into()),
    }
}

/// The location's locked periods, newest first.
#[utoipa::path(tag = "exports", params(("id" = Uuid, Path)), responses(
    (status = 200, body = Vec<HoursLock>),
    (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
))]
#[get("/api/locations/{id}/hours-locks")]
pub(crate) async fn list(
    current: CurrentUser,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let location = access::location(&state, &current, *id, Action::ExportData).await?;
    let locks = state.exports.hours_locks(location.id).await?;
    Ok(HttpResponse::Ok().json(locks.iter().map(HoursLock::from).collect::<Vec<_>>()))
}

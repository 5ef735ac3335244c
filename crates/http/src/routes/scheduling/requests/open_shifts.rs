//! Open shifts for crew: the open slots of published weeks at my locations (and colleagues' offered
//! places), each judged for me by the rule engine; claiming one; marking interest.

use actix_web::{delete, get, post, put, web, HttpResponse};
use chrono::{Duration, Utc};
use crewplots_domain::accounts::AuditEvent;
use crewplots_domain::scheduling::ports::{NewShiftRequest, RequestRefusal};
use crewplots_domain::scheduling::requests::{closes_at, RequestKind};
use crewplots_domain::scheduling::rules::{self, Severity};
use crewplots_domain::scheduling::time::zone;
use uuid::Uuid;

use super::{refusal_error, request_dto, settings_of, shift_dto};
use crate::access;
use crate::auth::{ClientIp, CurrentUser};
use crate::dto::{
    ErrorBody, LocationRef, OfferRef, OpenShiftItem, OpenShifts, RuleReason, ShiftRequestItem,
};
use crate::error::ApiError;
use crate::routes::scheduling::refused;
use crate::state::AppState;

/// How far ahead open shifts are listed.
const OPEN_SHIFT_DAYS: i64 = 28;

/// Open slots of published weeks at my locations in the next four weeks, and colleagues' offered places,
/// each with the rule engine's verdict for me.
#[utoipa::path(tag = "self-service", responses(
    (status = 200, body = OpenShifts),
    (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
))]
#[get("/api/me/open-shifts")]
pub(crate) async fn list(
    current: CurrentUser,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    access::self_service(&current)?;
    let now = Utc::now();
    let open = state
        .requests
        .open_shifts(current.user.id, now, now + Duration::days(OPEN_SHIFT_DAYS))
        .await?;
    let items = open
        .iter()
        .filter_map(|o| {
            let closes = closes_at(o.shift.starts_at, o.settings.cutoff_minutes);
            if now >= closes {
                return None;
            }
            let tz = zone(&o.location.timezone);
            let verdict = rules::check(&o.facts, &o.person, &o.rules);
            let kind = if o.offer.is_some() {
                RequestKind::Offer
            } else {
                RequestKind::Claim
            };
            Some(OpenShiftItem {
                shift: shift_dto(&o.shift, tz),
                location: LocationRef::from(&o.location),
                open_slots: o.open_slots,
                note: o.note.clone(),
                eligible: verdict
                    .reasons
                    .iter()
                    .all(|r| r.severity() == Severity::Warning),
                reasons: verdict
                    .reasons
                    .iter()
                    .map(|r| RuleReason::new(r, tz))
                    .collect(),
                interested: o.interested,
                pending_claim_id: o.pending_claim,
                offer: o.offer.as_ref().map(|(id, by)| OfferRef {
                    request_id: *id,
                    by: by.clone(),
                }),
                needs_approval: o.settings.needs_approval(kind),
                closes_at: closes,
            })
        })
        .collect();
    Ok(HttpResponse::Ok().json(OpenShifts { items }))
}

/// The published, still open shift at one of my locations, or the error to answer.
async fn claimable(
    state: &AppState,
    current: &CurrentUser,
    shift: Uuid,
) -> Result<
    (
        crewplots_domain::scheduling::ports::ShiftContext,
        crewplots_domain::scheduling::rules::PersonFacts,
    ),
    ApiError,
> {
    access::self_service(current)?;
    let (context, person) = state
        .requests
        .person_on_shift(current.user.id, shift)
        .await?
        .ok_or(ApiError::NotFound)?;
    if !current
        .user
        .location_ids()
        .contains(&context.shift.location_id)
        || context.week.published_version.is_none()
    {
        return Err(ApiError::NotFound);
    }
    Ok((context, person))
}

/// Claims an open slot: applied at once where the location needs no approval, otherwise waiting in the
/// managers' inbox. The rule engine decides first (no overrides for crew).
#[utoipa::path(tag = "self-service", params(("id" = Uuid, Path)), responses(
    (status = 201, body = ShiftRequestItem),
    (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
    (status = 409, body = ErrorBody), (status = 422, body = ErrorBody),
))]
#[post("/api/shifts/{id}/claim")]
pub(crate) async fn claim(
    current: CurrentUser,
    ip: ClientIp,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let (context, person) = claimable(&state, &current, *id).await?;
    let tz = zone(&context.timezone);
    let settings = settings_of(&state, context.shift.location_id).await?;
    let now = Utc::now();
    if now >= closes_at(context.shift.spec.starts_at, settings.cutoff_minutes) {
        return Err(super::step_error(
            crewplots_domain::scheduling::requests::StepRefused::PastCutoff,
        ));
    }
    if let Err(refusal) = rules::check(&context.facts, &person, &context.rules).decide(None) {
        return Err(refusal_error(
            &RequestRefusal::Rules {
                user_id: current.user.id,
                shift_id: *id,
                refusal,
            },
            tz,
        ));
    }
    let request_id = Uuid::new_v4();
    let audit = AuditEvent::new("shift_request.claim")
        .actor(Some(current.user.id))
        .subject("shift_request", request_id)
        .location(context.shift.location_id)
        .ip(ip.0)
        .detail("shift", id.to_string());
    let created = match state
        .requests
        .create_request(
            NewShiftRequest {
                id: request_id,
                kind: RequestKind::Claim,
                shift_id: *id,
                requester_id: current.user.id,
                assignment_id: None,
                target_assignment_id: None,
                notices: Vec::new(),
                audit,
            },
            settings.claims_need_approval,
        )
        .await
    {
        Ok(Ok(created)) => created,
        Ok(Err(refusal)) => return Err(refusal_error(&refusal, tz)),
        Err(crewplots_domain::ports::StoreError::Conflict(_)) => {
            return Err(refused(
                actix_web::http::StatusCode::CONFLICT,
                "request_exists",
                "You already asked for this shift.".into(),
                &[],
            ))
        }
        Err(e) => return Err(e.into()),
    };
    let created = state
        .requests
        .shift_request(created.id)
        .await?
        .unwrap_or(created);
    Ok(HttpResponse::Created().json(request_dto(&created, &current, settings, now)))
}

/// Marks interest in an open shift (idempotent); managers see interested people first.
#[utoipa::path(tag = "self-service", params(("id" = Uuid, Path)), responses(
    (status = 204),
    (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
    (status = 409, body = ErrorBody),
))]
#[put("/api/shifts/{id}/interest")]
pub(crate) async fn mark_interest(
    current: CurrentUser,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let (context, _) = claimable(&state, &current, *id).await?;
    let settings = settings_of(&state, context.shift.location_id).await?;
    if Utc::now() >= closes_at(context.shift.spec.starts_at, settings.cutoff_minutes) {
        return Err(super::step_error(
            crewplots_domain::scheduling::requests::StepRefused::PastCutoff,
        ));
    }
    state
        .requests
        .set_interest(*id, current.user.id, true)
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Takes interest back (idempotent).
#[utoipa::path(tag = "self-service", params(("id" = Uuid, Path)), responses(
    (status = 204),
    (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
))]
#[delete("/api/shifts/{id}/interest")]
pub(crate) async fn unmark_interest(
    current: CurrentUser,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    claimable(&state, &current, *id).await?;
    state
        .requests
        .set_interest(*id, current.user.id, false)
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

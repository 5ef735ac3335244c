//! The managers' and floor managers' side of claims, offers and swaps: a location's requests, approving
//! (the rules re-checked on the state of that moment) and denying with a reason, bulk approval where safe,
//! the counts in the navigation, and the location's request settings.

use actix_web::{get, post, put, web, HttpResponse};
use chrono::Utc;
use crewplots_domain::accounts::AuditEvent;
use crewplots_domain::notifications::{Notice, NoticeKind};
use crewplots_domain::policy::{self, Action, LocationScope};
use crewplots_domain::scheduling::ports::RequestStep;
use crewplots_domain::scheduling::requests::{
    self, closes_at, RequestAction, RequestKind, RequestSettings, RequestStatus, ShiftRequest,
};
use crewplots_domain::scheduling::time::zone;
use crewplots_domain::validation::FieldErrors;
use uuid::Uuid;

use super::{notice, refusal_error, request_dto, settings_of, shift_words, step_error};
use crate::access;
use crate::auth::{ClientIp, CurrentUser};
use crate::dto::{
    self, BulkApproveBody, BulkApproveResult, ErrorBody, InboxCount, LocationRequestsQuery,
    NotApproved, ShiftRequestItem as RequestDto, StepBody,
};
use crate::error::ApiError;
use crate::state::AppState;

/// The requests at a location: undecided first (waiting for approval first), optionally the recent
/// decided ones.
#[utoipa::path(tag = "requests", params(("id" = Uuid, Path), LocationRequestsQuery), responses(
    (status = 200, body = Vec<RequestDto>),
    (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
))]
#[get("/api/locations/{id}/requests")]
pub(crate) async fn location_list(
    current: CurrentUser,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
    query: web::Query<LocationRequestsQuery>,
) -> Result<HttpResponse, ApiError> {
    let location = access::location(&state, &current, *id, Action::ViewRequests).await?;
    let settings = settings_of(&state, location.id).await?;
    let list = state
        .requests
        .location_requests(location.id, query.decided.unwrap_or(false))
        .await?;
    let now = Utc::now();
    Ok(HttpResponse::Ok().json(
        list.iter()
            .map(|r| request_dto(r, &current, settings, now))
            .collect::<Vec<_>>(),
    ))
}

/// The request, when the caller may decide it: 404 when its location is not theirs, 403 when they see it
/// but may not decide.
async fn decidable(
    state: &AppState,
    current: &CurrentUser,
    id: Uuid,
) -> Result<ShiftRequest, ApiError> {
    let actor = current.actor();
    if !policy::allows(actor.role, Action::ApproveShiftRequests) {
        return Err(ApiError::Forbidden);
    }
    let r = state
        .requests
        .shift_request(id)
        .await?
        .ok_or(ApiError::NotFound)?;
    access::allow_at(&actor, Action::ApproveShiftRequests, r.location.id)?;
    Ok(r)
}

/// The people a decision is told to: the requester and the colleague involved.
async fn decision_notices(
    state: &AppState,
    r: &ShiftRequest,
    approved: bool,
    decider: &str,
    reason: Option<&str>,
) -> Result<Vec<Notice>, ApiError> {
    let tz = zone(&r.location.timezone);
    let what = match r.kind {
        RequestKind::Claim => format!(
            "Your claim of {}",
            shift_words(&r.shift, &r.location.name, tz)
        ),
        RequestKind::Offer => format!(
            "The handover of {}",
            shift_words(&r.shift, &r.location.name, tz)
        ),
        RequestKind::Swap => format!(
            "The swap of {}",
            shift_words(&r.shift, &r.location.name, tz)
        ),
    };
    let verdict = if approved { "approved" } else { "not approved" };
    let news = match reason {
        Some(reason) => format!("{what} was {verdict} by {decider}: {reason}"),
        None => format!("{what} was {verdict} by {decider}."),
    };
    let subject = if approved {
        "Your shift request was approved"
    } else {
        "Your shift request was not approved"
    };
    let mut people = vec![r.requester.id];
    people.extend(r.target.as_ref().map(|t| t.id));
    people.extend(r.taker.as_ref().map(|t| t.id));
    let mut notices = Vec::new();
    for person in people {
        if let Some(n) = notice(
            state,
            person,
            NoticeKind::RequestDecided,
            vec![
                ("kind", r.kind.as_str().into()),
                (
                    "status",
                    if approved { "approved" } else { "denied" }.into(),
                ),
                ("by", decider.to_string()),
                ("requestId", r.id.to_string()),
            ],
            subject,
            &news,
        )
        .await?
        {
            notices.push(n);
        }
    }
    Ok(notices)
}

/// Approves or denies one request; shared by the single and bulk routes.
async fn decide(
    state: &AppState,
    current: &CurrentUser,
    ip: &ClientIp,
    r: ShiftRequest,
    action: RequestAction,
    reason: Option<String>,
) -> Result<ShiftRequest, ApiError> {
    let settings = settings_of(state, r.location.id).await?;
    let now = Utc::now();
    let to = requests::step(
        r.kind,
        r.status,
        action,
        settings.needs_approval(r.kind),
        closes_at(r.first_start(), settings.cutoff_minutes),
        now,
    )
    .map_err(step_error)?;
    let decider = format!("{} {}", current.user.first_name, current.user.last_name);
    let notices = decision_notices(
        state,
        &r,
        to == RequestStatus::Approved,
        &decider,
        reason.as_deref(),
    )
    .await?;
    let audit = AuditEvent::new(if to == RequestStatus::Approved {
        "shift_request.approved"
    } else {
        "shift_request.denied"
    })
    .actor(Some(current.user.id))
    .subject("shift_request", r.id)
    .location(r.location.id)
    .ip(ip.0)
    .detail("kind", r.kind.as_str().to_string());
    match state
        .requests
        .step_request(RequestStep {
            id: r.id,
            from: r.status,
            to,
            actor: current.user.id,
            taker: None,
            reason,
            notices,
            audit,
        })
        .await?
    {
        Ok(moved) => Ok(moved),
        Err(refusal) => Err(refusal_error(&refusal, zone(&r.location.timezone))),
    }
}

fn reason_of(body: Option<&StepBody>, required: bool) -> Result<Option<String>, ApiError> {
    let mut errors = FieldErrors::default();
    let reason = crewplots_domain::validation::optional_note(
        body.and_then(|b| b.reason.as_deref()),
        500,
        "reason",
        &mut errors,
    );
    if required && reason.is_none() {
        errors.add("reason", "required");
    }
    errors.into_result()?;
    Ok(reason)
}

/// Approves a request waiting for approval: the rule engine runs again on the state of this moment and the
/// shifts move in the same transaction (409 with the reasons when the rules no longer hold).
#[utoipa::path(tag = "requests", params(("id" = Uuid, Path)), request_body(content = Option<StepBody>),
    responses(
    (status = 200, body = RequestDto),
    (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
    (status = 409, body = ErrorBody), (status = 422, body = ErrorBody),
))]
#[post("/api/requests/{id}/approve")]
pub(crate) async fn approve(
    current: CurrentUser,
    ip: ClientIp,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
    body: Option<web::Json<StepBody>>,
) -> Result<HttpResponse, ApiError> {
    let reason = reason_of(body.as_deref(), false)?;
    let r = decidable(&state, &current, *id).await?;
    let moved = decide(&state, &current, &ip, r, RequestAction::Approve, reason).await?;
    let settings = settings_of(&state, moved.location.id).await?;
    Ok(HttpResponse::Ok().json(request_dto(&moved, &current, settings, Utc::now())))
}

/// Denies a request that is not decided yet; a reason is required.
#[utoipa::path(tag = "requests", params(("id" = Uuid, Path)), request_body = dto::DenyBody, responses(
    (status = 200, body = RequestDto),
    (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
    (status = 409, body = ErrorBody), (status = 422, body = ErrorBody),
))]
#[post("/api/requests/{id}/deny")]
pub(crate) async fn deny(
    current: CurrentUser,
    ip: ClientIp,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
    body: web::Json<StepBody>,
) -> Result<HttpResponse, ApiError> {
    let reason = reason_of(Some(&body), true)?;
    let r = decidable(&state, &current, *id).await?;
    let moved = decide(&state, &current, &ip, r, RequestAction::Deny, reason).await?;
    let settings = settings_of(&state, moved.location.id).await?;
    Ok(HttpResponse::Ok().json(request_dto(&moved, &current, settings, Utc::now())))
}

/// Approves several requests of the location, each in its own transaction with its own rule check; the
/// ones that cannot be approved now are listed with why, the others are approved.
#[utoipa::path(tag = "requests", params(("id" = Uuid, Path)), request_body = BulkApproveBody, responses(
    (status = 200, body = BulkApproveResult),
    (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
    (status = 422, body = ErrorBody),
))]
#[post("/api/locations/{id}/requests/approve")]
pub(crate) async fn approve_many(
    current: CurrentUser,
    ip: ClientIp,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
    body: web::Json<BulkApproveBody>,
) -> Result<HttpResponse, ApiError> {
    let location = access::location(&state, &current, *id, Action::ApproveShiftRequests).await?;
    if body.ids.is_empty() || body.ids.len() > 100 {
        let mut errors = FieldErrors::default();
        errors.add("ids", "between_1_and_100");
        return Err(errors.into());
    }
    let mut result = BulkApproveResult {
        approved: Vec::new(),
        not_approved: Vec::new(),
    };
    for request_id in &body.ids {
        let r = match state.requests.shift_request(*request_id).await? {
            Some(r) if r.location.id == location.id => r,
            _ => {
                result.not_approved.push(NotApproved {
                    id: *request_id,
                    code: "not_found".into(),
                    message: "No such request at this location.".into(),
                });
                continue;
            }
        };
        match decide(&state, &current, &ip, r, RequestAction::Approve, None).await {
            Ok(_) => result.approved.push(*request_id),
            Err(ApiError::Internal(cause)) => return Err(ApiError::Internal(cause)),
            Err(ApiError::ServiceUnavailable) => return Err(ApiError::ServiceUnavailable),
            Err(error) => result.not_approved.push(NotApproved {
                id: *request_id,
                code: error.code().to_string(),
                message: error.message().to_string(),
            }),
        }
    }
    Ok(HttpResponse::Ok().json(result))
}

/// Pending time off and shift requests per location the caller may see requests of.
#[utoipa::path(tag = "requests", responses(
    (status = 200, body = Vec<InboxCount>),
    (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
))]
#[get("/api/requests/counts")]
pub(crate) async fn counts(
    current: CurrentUser,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let scope = policy::scope(&current.actor(), Action::ViewRequests).ok_or(ApiError::Forbidden)?;
    let only = match &scope {
        LocationScope::All => None,
        LocationScope::Only(ids) => Some(ids.as_slice()),
    };
    let counts = state.requests.inbox_counts(only).await?;
    Ok(HttpResponse::Ok().json(
        counts
            .iter()
            .map(|c| InboxCount {
                location_id: c.location_id,
                time_off: c.time_off,
                shift_requests: c.shift_requests,
                total: c.time_off + c.shift_requests,
            })
            .collect::<Vec<_>>(),
    ))
}

/// A location's settings for claims, offers and swaps.
#[utoipa::path(tag = "requests", params(("id" = Uuid, Path)), responses(
    (status = 200, body = dto::RequestSettings),
    (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
))]
#[get("/api/locations/{id}/request-settings")]
pub(crate) async fn get_settings(
    current: CurrentUser,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let location = access::location(&state, &current, *id, Action::ViewRequests).await?;
    let s = settings_of(&state, location.id).await?;
    Ok(HttpResponse::Ok().json(dto::RequestSettings {
        claims_need_approval: s.claims_need_approval,
        swaps_need_approval: s.swaps_need_approval,
        cutoff_minutes: s.cutoff_minutes,
    }))
}

/// Changes a location's settings for claims, offers and swaps (managers).
#[utoipa::path(tag = "requests", params(("id" = Uuid, Path)), request_body = dto::RequestSettings, responses(
    (status = 200, body = dto::RequestSettings),
    (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
    (status = 422, body = ErrorBody),
))]
#[put("/api/locations/{id}/request-settings")]
pub(crate) async fn put_settings(
    current: CurrentUser,
    ip: ClientIp,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
    body: web::Json<dto::RequestSettings>,
) -> Result<HttpResponse, ApiError> {
    let location = access::location(&state, &current, *id, Action::ManageSchedule).await?;
    if body.cutoff_minutes > 10_080 {
        let mut errors = FieldErrors::default();
        errors.add("cutoffMinutes", "out_of_range");
        return Err(errors.into());
    }
    let settings = RequestSettings {
        claims_need_approval: body.claims_need_approval,
        swaps_need_approval: body.swaps_need_approval,
        cutoff_minutes: body.cutoff_minutes,
    };
    let audit = AuditEvent::new("location.request_settings")
        .actor(Some(current.user.id))
        .subject("location", location.id)
        .location(location.id)
        .ip(ip.0);
    state
        .requests
        .set_request_settings(location.id, settings, audit)
        .await?;
    Ok(HttpResponse::Ok().json(body.into_inner()))
}

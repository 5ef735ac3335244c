//! Crew giving shifts away: offering my shift to eligible colleagues, proposing a swap with a colleague's
//! shift, answering a swap or taking an offer, withdrawing my request, and the list of all of that.

use actix_web::{get, post, web, HttpResponse};
use chrono::Utc;
use crewplots_domain::accounts::AuditEvent;
use crewplots_domain::notifications::{Notice, NoticeKind};
use crewplots_domain::ports::StoreError;
use crewplots_domain::scheduling::ports::{NewShiftRequest, RequestRefusal, RequestStep};
use crewplots_domain::scheduling::requests::{
    self, closes_at, RequestAction, RequestKind, RequestShift, ShiftRequest, StepRefused,
};
use crewplots_domain::scheduling::rules::{self, Severity};
use crewplots_domain::scheduling::time::zone;
use uuid::Uuid;

use super::{notice, refusal_error, request_dto, settings_of, shift_words, step_error};
use crate::access;
use crate::auth::{ClientIp, CurrentUser};
use crate::dto::{ErrorBody, MyRequests, ShiftRequestItem as RequestDto, StepBody, SwapBody};
use crate::error::ApiError;
use crate::routes::scheduling::clock_at;
use crate::routes::scheduling::refused;
use crate::state::AppState;

/// My assignment on a published shift that has not closed for requests, with its shift.
async fn my_published_assignment(
    state: &AppState,
    current: &CurrentUser,
    assignment: Uuid,
) -> Result<
    (
        crewplots_domain::scheduling::model::Assignment,
        crewplots_domain::scheduling::model::Shift,
        crewplots_domain::scheduling::model::ScheduleWeek,
    ),
    ApiError,
> {
    access::self_service(current)?;
    let (a, shift, week) = state
        .schedule
        .assignment(assignment)
        .await?
        .ok_or(ApiError::NotFound)?;
    if a.person.id != current.user.id || week.published_version.is_none() {
        return Err(ApiError::NotFound);
    }
    Ok((a, shift, week))
}

fn past_cutoff() -> ApiError {
    step_error(StepRefused::PastCutoff)
}

fn request_exists() -> ApiError {
    refused(
        actix_web::http::StatusCode::CONFLICT,
        "request_exists",
        "This shift already has an open request.".into(),
        &[],
    )
}

/// Offers my shift to colleagues: eligible crew of the location are told and any of them may take it.
#[utoipa::path(tag = "self-service", params(("id" = Uuid, Path, description = "My assignment")),
    responses(
    (status = 201, body = RequestDto),
    (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
    (status = 409, body = ErrorBody),
))]
#[post("/api/assignments/{id}/offer")]
pub(crate) async fn offer(
    current: CurrentUser,
    ip: ClientIp,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let (_, shift, _) = my_published_assignment(&state, &current, *id).await?;
    let settings = settings_of(&state, shift.location_id).await?;
    let now = Utc::now();
    if now >= closes_at(shift.spec.starts_at, settings.cutoff_minutes) {
        return Err(past_cutoff());
    }
    // Everyone the rules would let take my place is told.
    let context = state
        .schedule
        .shift_context(shift.id)
        .await?
        .ok_or(ApiError::NotFound)?;
    let tz = zone(&context.timezone);
    let mut facts = context.facts.clone();
    facts.assigned.retain(|u| *u != current.user.id);
    let words = shift_words(
        &RequestShift {
            shift_id: shift.id,
            position_name: context.position_name.clone(),
            local_date: shift.spec.local_date,
            starts_at: shift.spec.starts_at,
            ends_at: shift.spec.ends_at,
        },
        current
            .user
            .locations
            .iter()
            .find(|l| l.id == shift.location_id)
            .map_or("", |l| l.name.as_str()),
        tz,
    );
    let request_id = Uuid::new_v4();
    let mut notices = Vec::new();
    for (member, person) in &context.people {
        if member.person.id == current.user.id {
            continue;
        }
        let verdict = rules::check(&facts, person, &context.rules);
        if verdict
            .reasons
            .iter()
            .all(|r| r.severity() == Severity::Warning)
        {
            if let Some(n) = notice(
                &state,
                member.person.id,
                NoticeKind::ShiftOffered,
                vec![
                    ("by", current.user.first_name.clone()),
                    ("shift", words.clone()),
                    ("position", context.position_name.clone()),
                    ("date", shift.spec.local_date.to_string()),
                    ("start", clock_at(tz, shift.spec.starts_at)),
                    ("end", clock_at(tz, shift.spec.ends_at)),
                    ("requestId", request_id.to_string()),
                ],
                &format!("{} offers a shift", current.user.first_name),
                &format!(
                    "{} can't work {} and offers it. Take it in Crew Plots if you can.",
                    current.user.first_name, words
                ),
            )
            .await?
            {
                notices.push(n);
            }
        }
    }
    let audit = AuditEvent::new("shift_request.offer")
        .actor(Some(current.user.id))
        .subject("shift_request", request_id)
        .location(shift.location_id)
        .ip(ip.0);
    let created = match state
        .requests
        .create_request(
            NewShiftRequest {
                id: request_id,
                kind: RequestKind::Offer,
                shift_id: shift.id,
                requester_id: current.user.id,
                assignment_id: Some(*id),
                target_assignment_id: None,
                notices,
                audit,
            },
            settings.swaps_need_approval,
        )
        .await
    {
        Ok(Ok(created)) => created,
        Ok(Err(refusal)) => return Err(refusal_error(&refusal, tz)),
        Err(StoreError::Conflict(_)) => return Err(request_exists()),
        Err(e) => return Err(e.into()),
    };
    Ok(HttpResponse::Created().json(request_dto(&created, &current, settings, now)))
}

/// Whether `user` could hold `shift` in place of `leaving` if they gave `giving_away` up: the rule engine on
/// the state now.
async fn could_take(
    state: &AppState,
    user: Uuid,
    shift: Uuid,
    giving_away: Uuid,
    leaving: Uuid,
) -> Result<Result<(), RequestRefusal>, ApiError> {
    let (context, mut person) = state
        .requests
        .person_on_shift(user, shift)
        .await?
        .ok_or(ApiError::NotFound)?;
    person.booked.retain(|b| b.shift_id != giving_away);
    let mut facts = context.facts.clone();
    facts.assigned.retain(|u| *u != leaving);
    Ok(
        match rules::check(&facts, &person, &context.rules).decide(None) {
            Ok(_) => Ok(()),
            Err(refusal) => Err(RequestRefusal::Rules {
                user_id: user,
                shift_id: shift,
                refusal,
            }),
        },
    )
}

/// Proposes to swap my shift for a colleague's shift at the same location. The rules must allow both
/// moves now; the colleague answers, then (where the location asks for it) a manager approves.
#[utoipa::path(tag = "self-service", params(("id" = Uuid, Path, description = "My assignment")),
    request_body = SwapBody, responses(
    (status = 201, body = RequestDto),
    (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
    (status = 409, body = ErrorBody), (status = 422, body = ErrorBody),
))]
#[post("/api/assignments/{id}/swap")]
pub(crate) async fn swap(
    current: CurrentUser,
    ip: ClientIp,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
    body: web::Json<SwapBody>,
) -> Result<HttpResponse, ApiError> {
    let (_, my_shift, _) = my_published_assignment(&state, &current, *id).await?;
    let (theirs, their_shift, their_week) = state
        .schedule
        .assignment(body.target_assignment_id)
        .await?
        .ok_or(ApiError::NotFound)?;
    // Only published shifts of colleagues at the same location are visible to a swap.
    if their_shift.location_id != my_shift.location_id || their_week.published_version.is_none() {
        return Err(ApiError::NotFound);
    }
    if theirs.person.id == current.user.id {
        let mut errors = crewplots_domain::validation::FieldErrors::default();
        errors.add("targetAssignmentId", "own_assignment");
        return Err(errors.into());
    }
    let settings = settings_of(&state, my_shift.location_id).await?;
    let now = Utc::now();
    let first = my_shift.spec.starts_at.min(their_shift.spec.starts_at);
    if now >= closes_at(first, settings.cutoff_minutes) {
        return Err(past_cutoff());
    }
    let tz = zone(
        current
            .user
            .locations
            .iter()
            .find(|l| l.id == my_shift.location_id)
            .map_or("Europe/Amsterdam", |l| l.timezone.as_str()),
    );
    if let Err(refusal) = could_take(
        &state,
        theirs.person.id,
        my_shift.id,
        their_shift.id,
        current.user.id,
    )
    .await?
    {
        return Err(refusal_error(&refusal, tz));
    }
    if let Err(refusal) = could_take(
        &state,
        current.user.id,
        their_shift.id,
        my_shift.id,
        theirs.person.id,
    )
    .await?
    {
        return Err(refusal_error(&refusal, tz));
    }
    let request_id = Uuid::new_v4();
    let notices: Vec<Notice> = notice(
        &state,
        theirs.person.id,
        NoticeKind::SwapProposed,
        vec![
            ("by", current.user.first_name.clone()),
            ("requestId", request_id.to_string()),
        ],
        &format!("{} proposes a shift swap", current.user.first_name),
        &format!(
            "{} would like to swap shifts with you. Answer in Crew Plots.",
            current.user.first_name
        ),
    )
    .await?
    .into_iter()
    .collect();
    let audit = AuditEvent::new("shift_request.swap")
        .actor(Some(current.user.id))
        .subject("shift_request", request_id)
        .location(my_shift.location_id)
        .ip(ip.0);
    let created = match state
        .requests
        .create_request(
            NewShiftRequest {
                id: request_id,
                kind: RequestKind::Swap,
                shift_id: my_shift.id,
                requester_id: current.user.id,
                assignment_id: Some(*id),
                target_assignment_id: Some(body.target_assignment_id),
                notices,
                audit,
            },
            settings.swaps_need_approval,
        )
        .await
    {
        Ok(Ok(created)) => created,
        Ok(Err(refusal)) => return Err(refusal_error(&refusal, tz)),
        Err(StoreError::Conflict(_)) => return Err(request_exists()),
        Err(e) => return Err(e.into()),
    };
    Ok(HttpResponse::Created().json(request_dto(&created, &current, settings, now)))
}

/// My requests, swaps waiting for my answer, and colleagues' open offers at my locations.
#[utoipa::path(tag = "self-service", responses(
    (status = 200, body = MyRequests),
    (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
))]
#[get("/api/me/requests")]
pub(crate) async fn my_requests(
    current: CurrentUser,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    access::self_service(&current)?;
    let all = state.requests.requests_for(current.user.id).await?;
    let now = Utc::now();
    let mut settings = std::collections::HashMap::new();
    let mut answer = MyRequests {
        mine: Vec::new(),
        to_answer: Vec::new(),
        offers: Vec::new(),
    };
    for r in &all {
        let s = match settings.get(&r.location.id) {
            Some(s) => *s,
            None => {
                let s = settings_of(&state, r.location.id).await?;
                settings.insert(r.location.id, s);
                s
            }
        };
        let dto = request_dto(r, &current, s, now);
        if r.requester.id == current.user.id {
            answer.mine.push(dto);
        } else if r.kind == RequestKind::Swap {
            answer.to_answer.push(dto);
        } else if dto.can_accept || r.taker.as_ref().is_some_and(|t| t.id == current.user.id) {
            answer.offers.push(dto);
        }
    }
    Ok(HttpResponse::Ok().json(answer))
}

/// Loads a request the caller is part of (requester, named colleague, taker, or a colleague who may take
/// an open offer); 404 otherwise.
async fn involved(
    state: &AppState,
    current: &CurrentUser,
    id: Uuid,
) -> Result<ShiftRequest, ApiError> {
    access::self_service(current)?;
    let r = state
        .requests
        .shift_request(id)
        .await?
        .ok_or(ApiError::NotFound)?;
    let me = current.user.id;
    let party = r.requester.id == me
        || r.target.as_ref().is_some_and(|t| t.id == me)
        || r.taker.as_ref().is_some_and(|t| t.id == me)
        || (r.kind == RequestKind::Offer && current.user.location_ids().contains(&r.location.id));
    if party {
        Ok(r)
    } else {
        Err(ApiError::NotFound)
    }
}

/// Runs one step by a crew member and answers with the request as it is now.
async fn crew_step(
    state: &AppState,
    current: &CurrentUser,
    ip: ClientIp,
    r: ShiftRequest,
    action: RequestAction,
    notices: Vec<Notice>,
) -> Result<HttpResponse, ApiError> {
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
    let audit = AuditEvent::new(match action {
        RequestAction::Accept => "shift_request.accepted",
        RequestAction::Decline => "shift_request.declined",
        _ => "shift_request.withdrawn",
    })
    .actor(Some(current.user.id))
    .subject("shift_request", r.id)
    .location(r.location.id)
    .ip(ip.0)
    .detail("status", to.as_str().to_string());
    let taken = state
        .requests
        .step_request(RequestStep {
            id: r.id,
            from: r.status,
            to,
            actor: current.user.id,
            taker: (r.kind == RequestKind::Offer && action == RequestAction::Accept)
                .then_some(current.user.id),
            reason: None,
            notices,
            audit,
        })
        .await?;
    match taken {
        Ok(moved) => Ok(HttpResponse::Ok().json(request_dto(&moved, current, settings, now))),
        Err(refusal) => Err(refusal_error(&refusal, zone(&r.location.timezone))),
    }
}

/// Takes an offer, or agrees to a swap proposed to me. The rules are checked again on the state of this
/// moment; without approval needed, the shifts move now.
#[utoipa::path(tag = "self-service", params(("id" = Uuid, Path)), responses(
    (status = 200, body = RequestDto),
    (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
    (status = 409, body = ErrorBody),
))]
#[post("/api/requests/{id}/accept")]
pub(crate) async fn accept(
    current: CurrentUser,
    ip: ClientIp,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let r = involved(&state, &current, *id).await?;
    let allowed = match r.kind {
        RequestKind::Swap => r.target.as_ref().is_some_and(|t| t.id == current.user.id),
        RequestKind::Offer => r.requester.id != current.user.id,
        RequestKind::Claim => false,
    };
    if !allowed {
        return Err(ApiError::Forbidden);
    }
    let tz = zone(&r.location.timezone);
    let news = format!(
        "{} {} your {}.",
        current.user.first_name,
        if r.kind == RequestKind::Swap {
            "agreed to swap for"
        } else {
            "will take"
        },
        shift_words(&r.shift, &r.location.name, tz)
    );
    let notices = notice(
        &state,
        r.requester.id,
        NoticeKind::RequestAnswered,
        vec![
            ("by", current.user.first_name.clone()),
            ("answer", "accepted".into()),
            ("kind", r.kind.as_str().into()),
            ("requestId", r.id.to_string()),
        ],
        "Your shift request was answered",
        &news,
    )
    .await?
    .into_iter()
    .collect();
    crew_step(&state, &current, ip, r, RequestAction::Accept, notices).await
}

/// Says no to a swap proposed to me.
#[utoipa::path(tag = "self-service", params(("id" = Uuid, Path)), responses(
    (status = 200, body = RequestDto),
    (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
    (status = 409, body = ErrorBody),
))]
#[post("/api/requests/{id}/decline")]
pub(crate) async fn decline(
    current: CurrentUser,
    ip: ClientIp,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let r = involved(&state, &current, *id).await?;
    if r.target.as_ref().is_none_or(|t| t.id != current.user.id) {
        return Err(ApiError::Forbidden);
    }
    let notices = notice(
        &state,
        r.requester.id,
        NoticeKind::RequestAnswered,
        vec![
            ("by", current.user.first_name.clone()),
            ("answer", "declined".into()),
            ("kind", r.kind.as_str().into()),
            ("requestId", r.id.to_string()),
        ],
        "Your shift request was answered",
        &format!("{} can't swap shifts with you.", current.user.first_name),
    )
    .await?
    .into_iter()
    .collect();
    crew_step(&state, &current, ip, r, RequestAction::Decline, notices).await
}

/// Takes my request back.
#[utoipa::path(tag = "self-service", params(("id" = Uuid, Path)), request_body(content = Option<StepBody>),
    responses(
    (status = 200, body = RequestDto),
    (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
    (status = 409, body = ErrorBody),
))]
#[post("/api/requests/{id}/withdraw")]
pub(crate) async fn withdraw(
    current: CurrentUser,
    ip: ClientIp,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let r = involved(&state, &current, *id).await?;
    if r.requester.id != current.user.id {
        return Err(ApiError::Forbidden);
    }
    crew_step(&state, &current, ip, r, RequestAction::Withdraw, Vec::new()).await
}

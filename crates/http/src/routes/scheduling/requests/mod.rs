//! Claims, offers and swaps (SCHEDULING.md §4), one file per side: crew finding and claiming open shifts
//! ([`open_shifts`]), crew offering and swapping their own shifts ([`swaps`]), and managers and floor
//! managers deciding them ([`inbox`]). The state machine is `crewplots_domain::scheduling::requests`; the
//! store applies an approved request and re-runs the rule engine in the same transaction.
//!
//! What crew see of colleagues is what a swap needs: first name and initial, and the shifts involved.

pub(crate) mod inbox;
pub(crate) mod open_shifts;
pub(crate) mod swaps;

use actix_web::http::StatusCode;
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use crewplots_domain::accounts::User;
use crewplots_domain::hiring::PersonRef;
use crewplots_domain::mails;
use crewplots_domain::notifications::{Notice, NoticeKind};
use crewplots_domain::policy::{self, Action};
use crewplots_domain::scheduling::ports::RequestRefusal;
use crewplots_domain::scheduling::requests::{
    closes_at, RequestKind, RequestSettings, RequestShift, RequestStatus, ShiftRequest, StepRefused,
};
use crewplots_domain::scheduling::time::zone;
use uuid::Uuid;

use super::{clock_at, refused, rules_refused};
use crate::auth::CurrentUser;
use crate::dto;
use crate::error::ApiError;
use crate::state::AppState;

/// "Ann T." from "Ann Tromp".
pub(crate) fn short_name(full: &str) -> String {
    let mut words = full.split_whitespace();
    let first = words.next().unwrap_or_default();
    match words.last().and_then(|w| w.chars().next()) {
        Some(initial) => format!("{first} {initial}."),
        None => first.to_string(),
    }
}

fn person(p: &PersonRef, staff: bool) -> dto::RequestPerson {
    dto::RequestPerson {
        id: p.id,
        name: if staff {
            p.name.clone()
        } else {
            short_name(&p.name)
        },
    }
}

pub(crate) fn shift_dto(s: &RequestShift, tz: Tz) -> dto::RequestShift {
    dto::RequestShift {
        shift_id: s.shift_id,
        position_name: s.position_name.clone(),
        date: s.local_date,
        starts_at: s.starts_at,
        ends_at: s.ends_at,
        local_start: clock_at(tz, s.starts_at),
        local_end: clock_at(tz, s.ends_at),
    }
}

/// The request as the caller sees it, with what they may do now.
pub(crate) fn request_dto(
    r: &ShiftRequest,
    viewer: &CurrentUser,
    settings: RequestSettings,
    now: DateTime<Utc>,
) -> dto::ShiftRequestItem {
    let tz = zone(&r.location.timezone);
    let me = viewer.user.id;
    let staff = policy::allows_at(&viewer.actor(), Action::ViewRequests, r.location.id);
    let closes = closes_at(r.first_start(), settings.cutoff_minutes);
    let open = now < closes;
    let is_target = r.target.as_ref().is_some_and(|t| t.id == me);
    let can_accept = open
        && r.requester.id != me
        && match (r.kind, r.status) {
            (RequestKind::Swap, RequestStatus::PendingColleague) => is_target,
            (RequestKind::Offer, RequestStatus::Open) => {
                policy::allows(viewer.user.role, Action::UseSelfService)
                    && viewer.user.location_ids().contains(&r.location.id)
            }
            _ => false,
        };
    dto::ShiftRequestItem {
        id: r.id,
        kind: r.kind.into(),
        status: r.status.into(),
        location: dto::LocationRef::from(&r.location),
        week_id: r.week_id,
        shift: shift_dto(&r.shift, tz),
        requester: person(&r.requester, staff),
        target: r.target.as_ref().map(|p| person(p, staff)),
        target_shift: r.target_shift.as_ref().map(|s| shift_dto(s, tz)),
        taker: r.taker.as_ref().map(|p| person(p, staff)),
        decided_by: r.decided_by.as_ref().map(|p| person(p, true)),
        decided_at: r.decided_at,
        reason: r.reason.clone(),
        created_at: r.created_at,
        closes_at: closes,
        can_accept,
        can_decline: r.kind == RequestKind::Swap
            && r.status == RequestStatus::PendingColleague
            && is_target,
        can_withdraw: r.requester.id == me && !r.status.is_final(),
        can_approve: open
            && r.status == RequestStatus::PendingApproval
            && policy::allows_at(&viewer.actor(), Action::ApproveShiftRequests, r.location.id),
    }
}

/// The API error for a request that could not move.
pub(crate) fn refusal_error(refusal: &RequestRefusal, tz: Tz) -> ApiError {
    match refusal {
        RequestRefusal::StatusChanged(status) => changed(*status),
        RequestRefusal::Stale => refused(
            StatusCode::CONFLICT,
            "request_stale",
            "The schedule changed since this request was made: a shift in it is no longer assigned as it was."
                .into(),
            &[],
        ),
        RequestRefusal::Rules { refusal, user_id, shift_id } => {
            let mut error = rules_refused(refusal, tz);
            if let ApiError::RulesRefused { status, fields, .. } = &mut error {
                // For a request the rules are a conflict with the state of this moment.
                *status = StatusCode::CONFLICT;
                fields.insert("userId".into(), user_id.to_string());
                fields.insert("shiftId".into(), shift_id.to_string());
            }
            error
        }
        RequestRefusal::Overlap { user_id } => refused(
            StatusCode::CONFLICT,
            "overlap",
            "That person already works a shift at that time.".into(),
            &[("userId", user_id.to_string())],
        ),
        RequestRefusal::PeriodLocked => refused(
            StatusCode::CONFLICT,
            "period_locked",
            "This shift lies in a locked (exported) hours period; it cannot change through a request.".into(),
            &[],
        ),
        RequestRefusal::SlotsFull => refused(
            StatusCode::CONFLICT,
            "slots_full",
            "Every slot of this shift is taken now.".into(),
            &[],
        ),
    }
}

pub(crate) fn changed(status: RequestStatus) -> ApiError {
    refused(
        StatusCode::CONFLICT,
        "request_changed",
        format!("This request is {} now.", status.as_str()),
        &[("status", status.as_str().into())],
    )
}

pub(crate) fn step_error(refusal: StepRefused) -> ApiError {
    match refusal {
        StepRefused::NotNow(status) => changed(status),
        StepRefused::PastCutoff => refused(
            StatusCode::CONFLICT,
            "past_cutoff",
            "Requests for this shift have closed: it starts too soon.".into(),
            &[],
        ),
    }
}

/// A notice to a person, with its mail (their address is read fresh).
pub(crate) async fn notice(
    state: &AppState,
    user: Uuid,
    kind: NoticeKind,
    params: Vec<(&'static str, String)>,
    subject: &str,
    news: &str,
) -> Result<Option<Notice>, ApiError> {
    let Some(person): Option<User> = state.accounts.user(user).await? else {
        return Ok(None);
    };
    Ok(Some(Notice {
        user_id: user,
        kind,
        params,
        mail: Some(mails::shift_notice(
            &person.email,
            &person.first_name,
            subject,
            news,
            &state.security.public_url,
        )),
    }))
}

/// "Runner, Tue 8 Dec 18:00–23:00 at Zuid" for notices.
pub(crate) fn shift_words(s: &RequestShift, location: &str, tz: Tz) -> String {
    format!(
        "{}, {} {}–{} at {}",
        s.position_name,
        s.local_date.format("%a %-d %b"),
        clock_at(tz, s.starts_at),
        clock_at(tz, s.ends_at),
        location
    )
}

/// The location's settings (defaults for a location that vanished).
pub(crate) async fn settings_of(
    state: &AppState,
    location: Uuid,
) -> Result<RequestSettings, ApiError> {
    Ok(state
        .requests
        .request_settings(location)
        .await?
        .unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colleagues_are_first_name_and_initial() {
        assert_eq!(short_name("Ann Tromp"), "Ann T.");
        assert_eq!(short_name("Jan van der Berg"), "Jan B.");
        assert_eq!(short_name("Cher"), "Cher");
    }
}

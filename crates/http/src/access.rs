//! Shared guards and loaders of the scheduling routes, answered the house way: a location, week or shift the
//! caller cannot see at all is 404; one they see but may not act on is 403. The actor is read fresh on
//! every request (`CurrentUser`), so a role or location change takes effect at once.

use chrono::{DateTime, Utc};
use crewplots_domain::accounts::Location;
use crewplots_domain::policy::{self, Action, Actor};
use crewplots_domain::scheduling::model::{ScheduleWeek, Shift};
use crewplots_domain::Role;
use uuid::Uuid;

use crate::auth::CurrentUser;
use crate::error::ApiError;
use crate::state::AppState;

/// Whether the location exists for the actor at all (administrators: every one; others: their own).
fn sees(actor: &Actor, location: Uuid) -> bool {
    actor.role == Role::Administrator || actor.locations.contains(&location)
}

/// `action` at `location`: 403 when the role never may, 404 when the location is not the caller's,
/// 403 when it is but the action is not allowed there.
pub(crate) fn allow_at(actor: &Actor, action: Action, location: Uuid) -> Result<(), ApiError> {
    if !policy::allows(actor.role, action) {
        return Err(ApiError::Forbidden);
    }
    if policy::allows_at(actor, action, location) {
        Ok(())
    } else if sees(actor, location) {
        Err(ApiError::Forbidden)
    } else {
        Err(ApiError::NotFound)
    }
}

/// The location, when the caller may perform `action` there.
pub(crate) async fn location(
    state: &AppState,
    current: &CurrentUser,
    id: Uuid,
    action: Action,
) -> Result<Location, ApiError> {
    let actor = current.actor();
    if !policy::allows(actor.role, action) {
        return Err(ApiError::Forbidden);
    }
    let location = state.locations.get(id).await?.ok_or(ApiError::NotFound)?;
    allow_at(&actor, action, location.id)?;
    Ok(location)
}

/// What editing a week's shifts needs: drafts are for floor managers too; a week crew have seen is for
/// managers.
pub(crate) fn shift_edit_action(week: &ScheduleWeek) -> Action {
    if week.published_version.is_some() {
        Action::ManageSchedule
    } else {
        Action::EditSchedule
    }
}

/// A week the caller may perform `action` on.
pub(crate) async fn week(
    state: &AppState,
    current: &CurrentUser,
    id: Uuid,
    action: Action,
) -> Result<ScheduleWeek, ApiError> {
    let actor = current.actor();
    if !policy::allows(actor.role, action) {
        return Err(ApiError::Forbidden);
    }
    let week = state
        .schedule
        .week_by_id(id)
        .await?
        .ok_or(ApiError::NotFound)?;
    allow_at(&actor, action, week.location_id)?;
    Ok(week)
}

/// A shift whose week the caller may perform the action `for_week` picks.
pub(crate) async fn shift(
    state: &AppState,
    current: &CurrentUser,
    id: Uuid,
    for_week: fn(&ScheduleWeek) -> Action,
) -> Result<(Shift, ScheduleWeek), ApiError> {
    let actor = current.actor();
    if !policy::allows(actor.role, Action::EditSchedule) {
        return Err(ApiError::Forbidden);
    }
    let (shift, week) = state.schedule.shift(id).await?.ok_or(ApiError::NotFound)?;
    allow_at(&actor, for_week(&week), week.location_id)?;
    Ok((shift, week))
}

/// A published week's shift that has started may change only with a manager's reason (409 `shift_in_past`
/// otherwise). Returns the reason to record.
pub(crate) fn past_reason(
    actor: &Actor,
    week: &ScheduleWeek,
    starts_at: DateTime<Utc>,
    reason: Option<&str>,
) -> Result<Option<String>, ApiError> {
    let reason = reason.map(str::trim).filter(|r| !r.is_empty());
    if week.published_version.is_none() || starts_at > Utc::now() {
        return Ok(None);
    }
    match reason {
        Some(reason) if policy::allows_at(actor, Action::ManageSchedule, week.location_id) => {
            match crewplots_domain::validation::free_text(Some(reason), 500) {
                Ok(reason) => Ok(reason),
                Err(code) => Err(crewplots_domain::validation::FieldErrors(
                    [("reason".to_string(), code)].into(),
                )
                .into()),
            }
        }
        _ => Err(ApiError::Refused {
            status: actix_web::http::StatusCode::CONFLICT,
            code: "shift_in_past",
            message:
                "This shift of a published week has started; a manager can change it with a reason."
                    .into(),
            fields: [("reason".to_string(), "required".to_string())].into(),
        }),
    }
}

/// The caller acts for themselves in the crew's self-service (crew members and floor managers): 403
/// otherwise.
pub(crate) fn self_service(current: &CurrentUser) -> Result<(), ApiError> {
    if policy::allows(current.user.role, Action::UseSelfService) {
        Ok(())
    } else {
        Err(ApiError::Forbidden)
    }
}

/// The time zone a person's own dates are typed and shown in: their first location's, or the product's
/// default.
pub(crate) fn home_zone(current: &CurrentUser) -> (chrono_tz::Tz, String) {
    let name = current
        .user
        .locations
        .first()
        .map_or("Europe/Amsterdam", |l| l.timezone.as_str());
    (
        crewplots_domain::scheduling::time::zone(name),
        name.to_string(),
    )
}

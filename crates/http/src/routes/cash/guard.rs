//! Who reaches which cash counts, answered the house way: a location or count the caller cannot see is 404;
//! one they see but may not act on is 403; a role that never may is 403.

use crewplots_domain::accounts::Location;
use crewplots_domain::cash::CashCount;
use crewplots_domain::policy::{self, Action, Actor, CashVisibility};
use uuid::Uuid;

use crate::access;
use crate::auth::CurrentUser;
use crate::error::ApiError;
use crate::state::AppState;

/// Whether the actor sees this count: all of a location's counts, or only their own submissions.
pub(crate) fn sees_count(actor: &Actor, count: &CashCount) -> bool {
    match policy::cash_visibility(actor, count.location_id) {
        Some(CashVisibility::All) => true,
        Some(CashVisibility::OwnSubmissions) => count.counted_by.id == actor.id,
        None => false,
    }
}

/// The location whose cash the caller sees, and how much of it.
pub(crate) async fn viewed_location(
    state: &AppState,
    current: &CurrentUser,
    id: Uuid,
) -> Result<(Location, CashVisibility), ApiError> {
    let actor = current.actor();
    if !policy::allows(actor.role, Action::ViewCash) {
        return Err(ApiError::Forbidden);
    }
    let location = state.locations.get(id).await?.ok_or(ApiError::NotFound)?;
    let visibility = policy::cash_visibility(&actor, location.id).ok_or(ApiError::NotFound)?;
    Ok((location, visibility))
}

/// The location where the caller may perform `action` (403 for a role that never may, 404 for a location
/// that is not theirs, 403 for one that is but where they may not).
pub(crate) async fn location(
    state: &AppState,
    current: &CurrentUser,
    id: Uuid,
    action: Action,
) -> Result<Location, ApiError> {
    access::location(state, current, id, action).await
}

/// A count the caller sees, with its location.
pub(crate) async fn count(
    state: &AppState,
    current: &CurrentUser,
    id: Uuid,
) -> Result<CashCount, ApiError> {
    let actor = current.actor();
    if !policy::allows(actor.role, Action::ViewCash) {
        return Err(ApiError::Forbidden);
    }
    let count = state.cash.count(id).await?.ok_or(ApiError::NotFound)?;
    if sees_count(&actor, &count) {
        Ok(count)
    } else {
        Err(ApiError::NotFound)
    }
}

/// A count the caller sees and may perform `action` on at its location (403 otherwise).
pub(crate) async fn count_for(
    state: &AppState,
    current: &CurrentUser,
    id: Uuid,
    action: Action,
) -> Result<CashCount, ApiError> {
    let count = count(state, current, id).await?;
    if policy::allows_at(&current.actor(), action, count.location_id) {
        Ok(count)
    } else {
        Err(ApiError::Forbidden)
    }
}

/// Whether the caller may approve counts at the location (for `canDecide`).
pub(crate) fn may_approve(current: &CurrentUser, location: Uuid) -> bool {
    policy::allows_at(&current.actor(), Action::ApproveCash, location)
}

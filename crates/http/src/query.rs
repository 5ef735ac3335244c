//! Query-string values of the export and audit routes, read as text and checked here, so a bad value is a
//! 422 naming its field (the house `fields`) instead of a generic 400; and the audit filter the viewer and
//! its export share (same scoping, same parameters).

use chrono::{DateTime, NaiveDate, Utc};
use crewplots_domain::exports::AuditFilter;
use crewplots_domain::policy::{self, Action};
use crewplots_domain::validation::FieldErrors;
use uuid::Uuid;

use crate::access;
use crate::auth::CurrentUser;
use crate::dto::AuditQuery;
use crate::error::ApiError;
use crate::state::AppState;

fn present(text: Option<&str>) -> Option<&str> {
    text.map(str::trim).filter(|t| !t.is_empty())
}

/// An optional id.
pub(crate) fn uuid(errors: &mut FieldErrors, field: &str, text: Option<&str>) -> Option<Uuid> {
    let text = present(text)?;
    text.parse()
        .map_err(|_| errors.add(field, "invalid_id"))
        .ok()
}

/// An optional `YYYY-MM-DD`.
pub(crate) fn date(errors: &mut FieldErrors, field: &str, text: Option<&str>) -> Option<NaiveDate> {
    let text = present(text)?;
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map_err(|_| errors.add(field, "invalid_date"))
        .ok()
}

/// An optional RFC 3339 instant.
pub(crate) fn instant(
    errors: &mut FieldErrors,
    field: &str,
    text: Option<&str>,
) -> Option<DateTime<Utc>> {
    let text = present(text)?;
    DateTime::parse_from_rfc3339(text)
        .map(|at| at.with_timezone(&Utc))
        .map_err(|_| errors.add(field, "invalid_instant"))
        .ok()
}

/// A value that must be there.
pub(crate) fn required<T>(
    errors: &mut FieldErrors,
    field: &str,
    value: Option<T>,
    text: Option<&str>,
) -> Option<T> {
    if present(text).is_none() {
        errors.add(field, "required");
    }
    value
}

/// `from` must not be after `to`.
pub(crate) fn ordered<T: PartialOrd>(errors: &mut FieldErrors, from: Option<T>, to: Option<T>) {
    if let (Some(from), Some(to)) = (from, to) {
        if from > to {
            errors.add("from", "after_to");
        }
    }
}

/// The audit filter of a query, scoped to what the caller may read: 403 for roles without `ViewAudit`,
/// 422 for malformed values, 404 for a `location` the caller cannot see.
pub(crate) async fn audit_filter(
    state: &AppState,
    current: &CurrentUser,
    query: &AuditQuery,
) -> Result<AuditFilter, ApiError> {
    let actor = current.actor();
    let scope = policy::scope(&actor, Action::ViewAudit).ok_or(ApiError::Forbidden)?;
    let mut errors = FieldErrors::default();
    let by = uuid(&mut errors, "actor", query.actor.as_deref());
    let subject = uuid(&mut errors, "subject", query.subject.as_deref());
    let location = uuid(&mut errors, "location", query.location.as_deref());
    let from = instant(&mut errors, "from", query.from.as_deref());
    let to = instant(&mut errors, "to", query.to.as_deref());
    ordered(&mut errors, from, to);
    let action = crewplots_domain::validation::optional_note(
        query.action.as_deref(),
        100,
        "action",
        &mut errors,
    );
    errors.into_result()?;
    if let Some(location) = location {
        access::location(state, current, location, Action::ViewAudit).await?;
    }
    Ok(AuditFilter {
        scope,
        actor: by,
        action,
        subject,
        location,
        from,
        to,
    })
}

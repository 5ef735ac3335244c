//! CSV exports (issue 14 B): crew hours of a location from the published weeks, the application list, and
//! the audit log. Each handler parses, authorizes, writes the `export.downloaded` audit line (kind and
//! filters, never personal content) and streams the store's rows through [`crate::csv_export`].

use actix_web::{get, web, HttpResponse};
use chrono::{SecondsFormat, Utc};
use crewplots_domain::accounts::AuditEvent;
use crewplots_domain::exports::{
    ApplicationLine, ApplicationsFilter, AuditEntry, HoursLine, NamedLocation, MAX_HOURS_RANGE_DAYS,
};
use crewplots_domain::hiring::{ApplicationSource, ApplicationStatus};
use crewplots_domain::policy::{self, Action};
use crewplots_domain::scheduling::hours::{format_hours, DecimalMark, HoursFigures};
use crewplots_domain::validation::FieldErrors;
use futures_util::StreamExt;

use crate::access;
use crate::auth::{ClientIp, CurrentUser};
use crate::csv_export::{self, Cell, Delimiter};
use crate::dto::{ApplicationsExportQuery, AuditQuery, ErrorBody, HoursExportQuery};
use crate::error::ApiError;
use crate::query;
use crate::state::AppState;

const HOURS_COLUMNS: &[&str] = &[
    "kind",
    "location",
    "person_id",
    "person_name",
    "from",
    "to",
    "shifts",
    "planned_hours",
    "night_hours",
    "sunday_hours",
    "reason",
];

const APPLICATION_COLUMNS: &[&str] = &[
    "application_id",
    "applicant_name",
    "email",
    "location",
    "position",
    "source",
    "status",
    "applied_at",
    "status_changed_at",
    "notes",
    "documents",
];

const AUDIT_COLUMNS: &[&str] = &[
    "occurred_at",
    "action",
    "actor_id",
    "actor_name",
    "subject_type",
    "subject_id",
    "location",
    "ip",
    "details",
];

fn instant(at: chrono::DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Secs, true)
}

pub(crate) fn export_audit(current: &CurrentUser, ip: &ClientIp, kind: &'static str) -> AuditEvent {
    AuditEvent::new("export.downloaded")
        .actor(Some(current.user.id))
        .ip(ip.0)
        .detail("kind", kind)
}

pub(crate) fn forbid_unless(current: &CurrentUser, action: Action) -> Result<(), ApiError> {
    if policy::allows(current.user.role, action) {
        Ok(())
    } else {
        Err(ApiError::Forbidden)
    }
}

fn figure_cells(figures: &HoursFigures, mark: DecimalMark) -> [Cell; 4] {
    [
        Cell::value(figures.shifts),
        Cell::value(format_hours(figures.planned_minutes, mark)),
        Cell::value(format_hours(figures.night_minutes, mark)),
        Cell::value(format_hours(figures.sunday_minutes, mark)),
    ]
}

fn hours_row(
    line: HoursLine,
    location: &str,
    from: &str,
    to: &str,
    mark: DecimalMark,
) -> Vec<Cell> {
    let (kind, person_id, person_name, from, to, figures, reason) = match line {
        HoursLine::Planned {
            person_id,
            person_name,
            figures,
        } => (
            "planned",
            person_id,
            person_name,
            from.to_string(),
            to.to_string(),
            figures,
            String::new(),
        ),
        HoursLine::Correction {
            person_id,
            person_name,
            shift_date,
            delta,
            reason,
        } => (
            "correction",
            person_id,
            person_name,
            shift_date.to_string(),
            shift_date.to_string(),
            delta,
            reason,
        ),
    };
    let mut row = vec![
        Cell::value(kind),
        Cell::text(location),
        Cell::value(person_id),
        Cell::text(person_name),
        Cell::value(from),
        Cell::value(to),
    ];
    row.extend(figure_cells(&figures, mark));
    row.push(Cell::text(reason));
    row
}

/// Crew hours of a location for a date range (at most 366 days), from the published weeks only: one
/// `planned` row per person (shifts counted on their local start date; planned = duration − break, night =
/// real hours within local 00:00–06:00, sunday = real hours on local Sundays), then one `correction` row per
/// correction made (local date) within the range to a locked period.
#[utoipa::path(tag = "exports", params(("location" = Uuid, Query), ("from" = NaiveDate, Query, description = "YYYY-MM-DD"),
    ("to" = NaiveDate, Query, description = "YYYY-MM-DD"), ("delimiter" = Option<String>, Query, pattern = r"^(comma|semicolon)$", description = "`comma` (default) or `semicolon`")),
    responses(
    (status = 200, content_type = "text/csv", body = String),
    (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody),
))]
#[get("/api/exports/hours")]
pub(crate) async fn hours(
    current: CurrentUser,
    ip: ClientIp,
    state: web::Data<AppState>,
    params: web::Query<HoursExportQuery>,
) -> Result<HttpResponse, ApiError> {
    forbid_unless(&current, Action::ExportData)?;
    let delimiter = Delimiter::parse(params.delimiter.as_deref())?;
    let mut errors = FieldErrors::default();
    let location = query::uuid(&mut errors, "location", params.location.as_deref());
    let location = query::required(
        &mut errors,
        "location",
        location,
        params.location.as_deref(),
    );
    let from = query::date(&mut errors, "from", params.from.as_deref());
    let from = query::required(&mut errors, "from", from, params.from.as_deref());
    let to = query::date(&mut errors, "to", params.to.as_deref());
    let to = query::required(&mut errors, "to", to, params.to.as_deref());
    query::ordered(&mut errors, from, to);
    if let (Some(from), Some(to)) = (from, to) {
        if from <= to && (to - from).num_days() + 1 > MAX_HOURS_RANGE_DAYS {
            errors.add("to", "range_too_long");
        }
    }
    let (location, from, to) = match (location, from, to) {
        (Some(location), Some(from), Some(to)) if errors.is_empty() => (location, from, to),
        _ => return Err(errors.into()),
    };
    let location = access::location(&state, &current, location, Action::ExportData).await?;
    let event = export_audit(&current, &ip, "hours")
        .location(location.id)
        .detail("location", location.id.to_string())
        .detail("from", from.to_string())
        .detail("to", to.to_string())
        .detail("delimiter", delimiter.as_str());
    let named = NamedLocation {
        id: location.id,
        name: location.name.clone(),
        timezone: location.timezone.clone(),
    };
    let lines = state.exports.hours(&named, from, to).await?;
    state.audit.record(event).await?;
    let (from_text, to_text) = (from.to_string(), to.to_string());
    let (name, f, t) = (location.name, from_text.clone(), to_text.clone());
    let mark = delimiter.decimal_mark();
    let rows = lines.map(move |line| line.map(|line| hours_row(line, &name, &f, &t, mark)));
    Ok(csv_export::download(
        "hours",
        &from_text,
        &to_text,
        delimiter,
        HOURS_COLUMNS,
        rows,
    ))
}

fn application_row(a: ApplicationLine) -> Vec<Cell> {
    vec![
        Cell::value(a.id),
        Cell::text(a.applicant_name),
        Cell::text(a.email),
        Cell::text(a.location),
        Cell::text(a.position),
        Cell::value(a.source),
        Cell::value(a.status),
        Cell::value(instant(a.applied_at)),
        Cell::value(instant(a.status_changed_at)),
        Cell::value(a.notes),
        Cell::value(a.documents),
    ]
}

/// The application list, newest first: at one location, or every location the caller may see; optionally
/// by status, source and creation date (local to the application's location). `notes` counts the internal
/// notes about the applicant the caller may read, `documents` their uploaded documents.
#[utoipa::path(tag = "exports", params(("location" = Option<Uuid>, Query), ("status" = Option<String>, Query),
    ("source" = Option<String>, Query), ("from" = Option<NaiveDate>, Query, description = "YYYY-MM-DD"),
    ("to" = Option<NaiveDate>, Query, description = "YYYY-MM-DD"), ("delimiter" = Option<String>, Query, pattern = r"^(comma|semicolon)$", description = "`comma` (default) or `semicolon`")),
    responses(
    (status = 200, content_type = "text/csv", body = String),
    (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody),
))]
#[get("/api/exports/applications")]
pub(crate) async fn applications(
    current: CurrentUser,
    ip: ClientIp,
    state: web::Data<AppState>,
    params: web::Query<ApplicationsExportQuery>,
) -> Result<HttpResponse, ApiError> {
    forbid_unless(&current, Action::ExportData)?;
    let actor = current.actor();
    let scope = policy::scope(&actor, Action::ExportData).ok_or(ApiError::Forbidden)?;
    let delimiter = Delimiter::parse(params.delimiter.as_deref())?;
    let mut errors = FieldErrors::default();
    let location = query::uuid(&mut errors, "location", params.location.as_deref());
    let status = params
        .status
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .and_then(|s| {
            let parsed = ApplicationStatus::parse(s);
            if parsed.is_none() {
                errors.add("status", "invalid");
            }
            parsed
        });
    let source = params
        .source
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .and_then(|s| {
            let parsed = ApplicationSource::parse(s);
            if parsed.is_none() {
                errors.add("source", "invalid");
            }
            parsed
        });
    let from = query::date(&mut errors, "from", params.from.as_deref());
    let to = query::date(&mut errors, "to", params.to.as_deref());
    query::ordered(&mut errors, from, to);
    errors.into_result()?;
    if let Some(location) = location {
        access::location(&state, &current, location, Action::ExportData).await?;
    }
    let mut event =
        export_audit(&current, &ip, "applications").detail("delimiter", delimiter.as_str());
    if let Some(location) = location {
        event = event
            .location(location)
            .detail("location", location.to_string());
    }
    if let Some(status) = status {
        event = event.detail("status", status.as_str());
    }
    if let Some(source) = source {
        event = event.detail("source", source.as_str());
    }
    if let Some(from) = from {
        event = event.detail("from", from.to_string());
    }
    if let Some(to) = to {
        event = event.detail("to", to.to_string());
    }
    let filter = ApplicationsFilter {
        scope,
        location,
        status,
        source,
        from,
        to,
        viewer: (current.user.id, current.user.role),
    };
    let lines = state.exports.applications(&filter).await?;
    state.audit.record(event).await?;
    let rows = lines.map(|line| line.map(application_row));
    Ok(csv_export::download(
        "applications",
        &from.map_or_else(|| "all".to_string(), |d| d.to_string()),
        &to.map_or_else(|| Utc::now().date_naive().to_string(), |d| d.to_string()),
        delimiter,
        APPLICATION_COLUMNS,
        rows,
    ))
}

fn audit_row(e: AuditEntry) -> Vec<Cell> {
    let details = serde_json::to_string(&e.details).unwrap_or_else(|_| "{}".into());
    vec![
        Cell::value(instant(e.occurred_at)),
        Cell::value(e.action),
        Cell::value(
            e.actor
                .as_ref()
                .map(|a| a.id.to_string())
                .unwrap_or_default(),
        ),
        Cell::text(e.actor.and_then(|a| a.name).unwrap_or_default()),
        Cell::value(
            e.subject
                .as_ref()
                .map(|(kind, _)| kind.clone())
                .unwrap_or_default(),
        ),
        Cell::value(e.subject.map(|(_, s)| s.id.to_string()).unwrap_or_default()),
        Cell::text(e.location.map(|(_, name)| name).unwrap_or_default()),
        Cell::value(e.ip.unwrap_or_default()),
        Cell::text(details),
    ]
}

/// The audit log with the viewer's filters and scoping (administrators every row, managers the rows of
/// their locations), newest first, streamed whatever its length.
#[utoipa::path(tag = "exports", params(("actor" = Option<Uuid>, Query), ("action" = Option<String>, Query),
    ("subject" = Option<Uuid>, Query), ("location" = Option<Uuid>, Query),
    ("from" = Option<String>, Query, description = "RFC 3339 instant, included"),
    ("to" = Option<String>, Query, description = "RFC 3339 instant, excluded"), ("delimiter" = Option<String>, Query, pattern = r"^(comma|semicolon)$", description = "`comma` (default) or `semicolon`")),
    responses(
    (status = 200, content_type = "text/csv", body = String),
    (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody),
))]
#[get("/api/exports/audit")]
pub(crate) async fn audit(
    current: CurrentUser,
    ip: ClientIp,
    state: web::Data<AppState>,
    params: web::Query<AuditQuery>,
) -> Result<HttpResponse, ApiError> {
    forbid_unless(&current, Action::ViewAudit)?;
    let delimiter = Delimiter::parse(params.delimiter.as_deref())?;
    let filter = query::audit_filter(&state, &current, &params).await?;
    let mut event = export_audit(&current, &ip, "audit").detail("delimiter", delimiter.as_str());
    if let Some(location) = filter.location {
        event = event
            .location(location)
            .detail("location", location.to_string());
    }
    if let Some(actor) = filter.actor {
        event = event.detail("actor", actor.to_string());
    }
    if let Some(action) = &filter.action {
        event = event.detail("action", action.clone());
    }
    if let Some(subject) = filter.subject {
        event = event.detail("subject", subject.to_string());
    }
    if let Some(from) = filter.from {
        event = event.detail("from", instant(from));
    }
    if let Some(to) = filter.to {
        event = event.detail("to", instant(to));
    }
    let lines = state.exports.audit_rows(&filter).await?;
    state.audit.record(event).await?;
    let rows = lines.map(|line| line.map(audit_row));
    Ok(csv_export::download(
        "audit",
        &filter
            .from
            .map_or_else(|| "all".to_string(), |d| d.date_naive().to_string()),
        &filter.to.unwrap_or_else(Utc::now).date_naive().to_string(),
        delimiter,
        AUDIT_COLUMNS,
        rows,
    ))
}

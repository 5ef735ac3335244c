//! The day and week overview of a location's cash (effective counts, totals, discrepancies over tolerance)
//! and its CSV export (every count, corrected ones marked, through [`crate::csv_export`]).

use actix_web::{get, web, HttpResponse};
use chrono::{Duration, NaiveDate, SecondsFormat};
use crewplots_domain::cash::money::format_amount;
use crewplots_domain::cash::rules::summarize;
use crewplots_domain::cash::CashCount;
use crewplots_domain::policy::{Action, CashVisibility};
use crewplots_domain::scheduling::hours::DecimalMark;
use crewplots_domain::scheduling::time::IsoWeek;
use crewplots_domain::validation::FieldErrors;
use futures_util::stream;

use super::guard;
use crate::auth::{ClientIp, CurrentUser};
use crate::csv_export::{self, Cell, Delimiter};
use crate::dto::{
    CashCountView, CashDayView, CashExportQuery, CashSummaryQuery, CashSummaryView, CashTotalsView,
    ErrorBody,
};
use crate::error::ApiError;
use crate::query;
use crate::routes::exports;
use crate::state::AppState;

/// The longest summary, in days.
const MAX_SUMMARY_DAYS: i64 = 62;
/// The longest export, in days.
const MAX_EXPORT_DAYS: i64 = 366;

fn range(
    errors: &mut FieldErrors,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    max_days: i64,
) -> Option<(NaiveDate, NaiveDate)> {
    query::ordered(errors, from, to);
    let (from, to) = (from?, to?);
    if from <= to && (to - from).num_days() + 1 > max_days {
        errors.add("to", "range_too_long");
    }
    (from <= to).then_some((from, to))
}

/// A location's counts day by day: per day the effective count of each type, the closing's cash takings and
/// card total, the day's discrepancy and whether a count is over tolerance; totals over the range. Either
/// `week` (`YYYY-Www`) or `from` and `to` (business dates, at most 62 days).
#[utoipa::path(tag = "cash", params(("id" = Uuid, Path), CashSummaryQuery), responses(
    (status = 200, body = CashSummaryView),
    (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody),
))]
#[get("/api/locations/{id}/cash-summary")]
pub(crate) async fn summary(
    current: CurrentUser,
    state: web::Data<AppState>,
    id: web::Path<uuid::Uuid>,
    params: web::Query<CashSummaryQuery>,
) -> Result<HttpResponse, ApiError> {
    let (location, visibility) = guard::viewed_location(&state, &current, *id).await?;
    if visibility != CashVisibility::All {
        return Err(ApiError::Forbidden);
    }
    let mut errors = FieldErrors::default();
    let bounds = match params
        .week
        .as_deref()
        .map(str::trim)
        .filter(|w| !w.is_empty())
    {
        Some(week) => match IsoWeek::parse(week) {
            Ok(week) => Some((week.monday(), week.monday() + Duration::days(6))),
            Err(_) => {
                errors.add("week", "invalid_week");
                None
            }
        },
        None => {
            let from = query::date(&mut errors, "from", params.from.as_deref());
            let from = query::required(&mut errors, "from", from, params.from.as_deref());
            let to = query::date(&mut errors, "to", params.to.as_deref());
            let to = query::required(&mut errors, "to", to, params.to.as_deref());
            range(&mut errors, from, to, MAX_SUMMARY_DAYS)
        }
    };
    errors.into_result()?;
    let Some((from, to)) = bounds else {
        return Err(FieldErrors::default().into());
    };
    let counts = state.cash.range(location.id, from, to).await?;
    let settings = state.cash.settings(location.id).await?;
    let can_approve = guard::may_approve(&current, location.id);
    let (days, totals) = summarize(from, to, &counts);
    Ok(HttpResponse::Ok().json(CashSummaryView {
        location_id: location.id,
        from,
        to,
        days: days
            .iter()
            .map(|day| CashDayView {
                date: day.date,
                counts: day
                    .counts
                    .iter()
                    .map(|c| CashCountView::new(c, can_approve))
                    .collect(),
                cash_takings_cents: day.cash_takings_cents,
                card_total_cents: day.card_total_cents,
                discrepancy_cents: day.discrepancy_cents,
                over_tolerance: day.over_tolerance,
                awaiting_decision: day.awaiting_decision,
            })
            .collect(),
        totals: CashTotalsView {
            cash_takings_cents: totals.cash_takings_cents,
            card_total_cents: totals.card_total_cents,
            discrepancy_cents: totals.discrepancy_cents,
            counts: totals.counts,
            over_tolerance: totals.over_tolerance,
            awaiting_decision: totals.awaiting_decision,
        },
        tolerance_cents: settings.tolerance_cents,
    }))
}

const CASH_COLUMNS: &[&str] = &[
    "count_id",
    "location",
    "business_date",
    "type",
    "state",
    "effective",
    "counted",
    "expected",
    "expected_source",
    "discrepancy",
    "tolerance",
    "over_tolerance",
    "card_total",
    "float",
    "cash_takings",
    "counted_by",
    "counted_at",
    "decided_by",
    "decided_at",
    "decision_reason",
    "corrects",
    "note",
];

fn cash_row(c: &CashCount, location: &str, mark: DecimalMark) -> Vec<Cell> {
    let amount = |cents: i64| Cell::value(format_amount(cents, mark));
    let optional =
        |cents: Option<i64>| Cell::value(cents.map(|c| format_amount(c, mark)).unwrap_or_default());
    let instant = |at: chrono::DateTime<chrono::Utc>| at.to_rfc3339_opts(SecondsFormat::Secs, true);
    vec![
        Cell::value(c.id),
        Cell::text(location),
        Cell::value(c.business_date),
        Cell::value(c.count_type.as_str()),
        Cell::value(c.state.as_str()),
        Cell::value(c.is_effective()),
        amount(c.counted_cents),
        amount(c.expected_cents),
        Cell::value(c.expected_source.as_str()),
        amount(c.discrepancy_cents),
        amount(c.tolerance_cents),
        Cell::value(c.over_tolerance()),
        optional(c.card_total_cents),
        optional(c.float_cents),
        optional(c.cash_takings_cents),
        Cell::text(c.counted_by.name.clone().unwrap_or_default()),
        Cell::value(instant(c.counted_at)),
        Cell::text(
            c.decided_by
                .as_ref()
                .and_then(|d| d.name.clone())
                .unwrap_or_default(),
        ),
        Cell::value(c.decided_at.map(instant).unwrap_or_default()),
        Cell::text(c.decision_reason.clone().unwrap_or_default()),
        Cell::value(c.corrects.map(|id| id.to_string()).unwrap_or_default()),
        Cell::text(c.note.clone().unwrap_or_default()),
    ]
}

/// Every cash count of a location with a business date in `from`–`to` (at most 366 days), corrected ones
/// too (`effective` false), by date. Amounts are decimal euros: `12.50` with `delimiter=comma` (default),
/// `12,50` with `semicolon`.
#[utoipa::path(tag = "exports", params(("location" = Uuid, Query), ("from" = NaiveDate, Query, description = "YYYY-MM-DD"),
    ("to" = NaiveDate, Query, description = "YYYY-MM-DD"), ("delimiter" = Option<String>, Query, pattern = r"^(comma|semicolon)$", description = "`comma` (default) or `semicolon`")),
    responses(
    (status = 200, content_type = "text/csv", body = String),
    (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody),
))]
#[get("/api/exports/cash")]
pub(crate) async fn export(
    current: CurrentUser,
    ip: ClientIp,
    state: web::Data<AppState>,
    params: web::Query<CashExportQuery>,
) -> Result<HttpResponse, ApiError> {
    exports::forbid_unless(&current, Action::ExportData)?;
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
    let bounds = range(&mut errors, from, to, MAX_EXPORT_DAYS);
    let (Some(location), Some((from, to))) = (location, bounds) else {
        return Err(errors.into());
    };
    errors.into_result()?;
    let location = guard::location(&state, &current, location, Action::ExportData).await?;
    // At most 366 days × a few counts a day: read at once, written as one stream.
    let counts = state.cash.range(location.id, from, to).await?;
    state
        .audit
        .record(
            exports::export_audit(&current, &ip, "cash")
                .location(location.id)
                .detail("location", location.id.to_string())
                .detail("from", from.to_string())
                .detail("to", to.to_string())
                .detail("delimiter", delimiter.as_str()),
        )
        .await?;
    let mark = delimiter.decimal_mark();
    let rows: Vec<Result<Vec<Cell>, crewplots_domain::ports::StoreError>> = counts
        .iter()
        .map(|c| Ok(cash_row(c, &location.name, mark)))
        .collect();
    Ok(csv_export::download(
        "cash",
        &from.to_string(),
        &to.to_string(),
        delimiter,
        CASH_COLUMNS,
        stream::iter(rows),
    ))
}

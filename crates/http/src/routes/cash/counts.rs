//! Counting the till: submit a count (or a correction), list and read counts, and ask what the server would
//! take as the expected amount. Handlers parse, call the domain, and map.

use actix_web::http::StatusCode;
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use chrono::Utc;
use crewplots_domain::accounts::AuditEvent;
use crewplots_domain::cash::money::format_amount;
use crewplots_domain::cash::ports::CountFilter;
use crewplots_domain::cash::rules::{self, CorrectionRefused};
use crewplots_domain::cash::service::{self, SubmitError, Submitted};
use crewplots_domain::policy::{Action, CashVisibility};
use crewplots_domain::scheduling::hours::DecimalMark;
use crewplots_domain::scheduling::time::zone;
use crewplots_domain::validation::FieldErrors;
use uuid::Uuid;

use super::{guard, parse};
use crate::auth::{ClientIp, CurrentUser};
use crate::dto::{
    CashCountPage, CashCountView, CashExpectedQuery, CashExpectedView, CashListQuery, ErrorBody,
    NewCashCountRequest,
};
use crate::error::ApiError;
use crate::query;
use crate::routes::{encode_cursor, page_request};
use crate::state::AppState;

fn refused(
    status: StatusCode,
    code: &'static str,
    message: &str,
    field: &str,
    value: String,
) -> ApiError {
    ApiError::Refused {
        status,
        code,
        message: message.into(),
        fields: [(field.to_string(), value)].into(),
    }
}

fn submit_failure(error: SubmitError) -> ApiError {
    match error {
        SubmitError::Store(error) => error.into(),
        SubmitError::KeyReused => refused(
            StatusCode::UNPROCESSABLE_ENTITY,
            "idempotency_key_reused",
            "This client key was used for a different count. Start a new form.",
            "clientKey",
            "reused".into(),
        ),
        SubmitError::ExpectedRequired => refused(
            StatusCode::UNPROCESSABLE_ENTITY,
            "expected_required",
            "There is nothing to compute the expected amount from; enter it.",
            "expected",
            "required".into(),
        ),
        SubmitError::CountExists(existing) => refused(
            StatusCode::CONFLICT,
            "count_exists",
            "This till was counted for this business day already; submit a correction of that count.",
            "existing",
            existing.to_string(),
        ),
        SubmitError::CorrectsNotFound => {
            let mut errors = FieldErrors::default();
            errors.add("corrects", "not_found");
            errors.into()
        }
        SubmitError::Correction(CorrectionRefused::DifferentCount) => {
            let mut errors = FieldErrors::default();
            errors.add("corrects", "different_count");
            errors.into()
        }
        SubmitError::Correction(CorrectionRefused::AlreadyCorrected) => refused(
            StatusCode::CONFLICT,
            "count_already_corrected",
            "This count was corrected already; correct the latest correction.",
            "corrects",
            "already_corrected".into(),
        ),
    }
}

/// Counts the till (crew members, floor managers, managers and administrators of the location). The total
/// is computed on the server from the lines; `expected` is computed when left out (see the expected route).
/// A repeat with the same `clientKey` (or `Idempotency-Key` header) and the same figures answers the first
/// count with 200; with other figures 422 `idempotency_key_reused`. A second count of the same type and
/// business day must name the count it corrects (`corrects`).
#[utoipa::path(tag = "cash", params(("id" = Uuid, Path)), request_body = NewCashCountRequest, responses(
    (status = 201, body = CashCountView, description = "Counted"),
    (status = 200, body = CashCountView, description = "A repeat of an earlier submission: the count it made"),
    (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
    (status = 409, body = ErrorBody, description = "`count_exists`, `count_already_corrected`"),
    (status = 422, body = ErrorBody, description = "`validation_failed`, `expected_required`, `idempotency_key_reused`"),
))]
#[post("/api/locations/{id}/cash-counts")]
pub(crate) async fn submit(
    request: HttpRequest,
    current: CurrentUser,
    ip: ClientIp,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
    body: web::Json<NewCashCountRequest>,
) -> Result<HttpResponse, ApiError> {
    let location = guard::location(&state, &current, *id, Action::CountCash).await?;
    let today = rules::business_date(Utc::now(), zone(&location.timezone));
    let header_key = request
        .headers()
        .get("idempotency-key")
        .and_then(|v| v.to_str().ok());
    let submission = parse::submission(
        body.into_inner(),
        header_key,
        location.id,
        today,
        current.user.id,
    )?;
    let actor = current.actor();
    let user = current.user.id;
    let audit = |count: &crewplots_domain::cash::NewCashCount| {
        let mut event = AuditEvent::new(if count.corrects.is_some() {
            "cash.corrected"
        } else {
            "cash.counted"
        })
        .actor(Some(user))
        .subject("cash_count", count.id)
        .location(count.location_id)
        .ip(ip.0)
        .detail("type", count.count_type.as_str())
        .detail("businessDate", count.business_date.to_string())
        .detail(
            "discrepancy",
            format_amount(count.discrepancy_cents, DecimalMark::Point),
        );
        if let Some(original) = count.corrects {
            event = event.detail("corrects", original.to_string());
        }
        event
    };
    let outcome = service::submit(
        state.cash.as_ref(),
        submission,
        |c| guard::sees_count(&actor, c),
        audit,
    )
    .await
    .map_err(submit_failure)?;
    let can_approve = guard::may_approve(&current, location.id);
    Ok(match outcome {
        Submitted::Created(count) => {
            HttpResponse::Created().json(CashCountView::new(&count, can_approve))
        }
        Submitted::Repeated(count) => {
            HttpResponse::Ok().json(CashCountView::new(&count, can_approve))
        }
    })
}

/// The location's counts, newest first: all of them for staff who see the location's cash, only their own
/// submissions for crew members. Filters: business dates `from`/`to`, `state`.
#[utoipa::path(tag = "cash", params(("id" = Uuid, Path), CashListQuery), responses(
    (status = 200, body = CashCountPage),
    (status = 400, body = ErrorBody, description = "`invalid_cursor`"),
    (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody),
))]
#[get("/api/locations/{id}/cash-counts")]
pub(crate) async fn list(
    current: CurrentUser,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
    params: web::Query<CashListQuery>,
) -> Result<HttpResponse, ApiError> {
    let (location, visibility) = guard::viewed_location(&state, &current, *id).await?;
    let mut errors = FieldErrors::default();
    let from = query::date(&mut errors, "from", params.from.as_deref());
    let to = query::date(&mut errors, "to", params.to.as_deref());
    query::ordered(&mut errors, from, to);
    let wanted = parse::state(&mut errors, params.state.as_deref());
    errors.into_result()?;
    let page = page_request(params.limit, params.cursor.as_deref())?;
    let filter = CountFilter {
        location: location.id,
        from,
        to,
        state: wanted,
        counted_by: match visibility {
            CashVisibility::All => None,
            CashVisibility::OwnSubmissions => Some(current.user.id),
        },
    };
    let found = state.cash.list(&filter, page).await?;
    let can_approve = guard::may_approve(&current, location.id);
    Ok(HttpResponse::Ok().json(CashCountPage {
        items: found
            .items
            .iter()
            .map(|c| CashCountView::new(c, can_approve))
            .collect(),
        next_cursor: encode_cursor(found.next),
    }))
}

/// One count with its lines, decision and receipt.
#[utoipa::path(tag = "cash", params(("id" = Uuid, Path)), responses(
    (status = 200, body = CashCountView),
    (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
))]
#[get("/api/cash-counts/{id}")]
pub(crate) async fn get_one(
    current: CurrentUser,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let count = guard::count(&state, &current, *id).await?;
    let can_approve = guard::may_approve(&current, count.location_id);
    Ok(HttpResponse::Ok().json(CashCountView::new(&count, can_approve)))
}

/// What the server would take as the expected amount of a count of `type` on `businessDate` (default: the
/// current business day), with `cashTakings` as it would be entered: an opening expects the float the
/// latest earlier closing left; midday and closing expect the day's opening cash plus the cash takings.
/// `expectedCents` is null when there is nothing to compute it from.
#[utoipa::path(tag = "cash", params(("id" = Uuid, Path), CashExpectedQuery), responses(
    (status = 200, body = CashExpectedView),
    (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody),
))]
#[get("/api/locations/{id}/cash-counts/expected")]
pub(crate) async fn expected(
    current: CurrentUser,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
    params: web::Query<CashExpectedQuery>,
) -> Result<HttpResponse, ApiError> {
    let location = guard::location(&state, &current, *id, Action::CountCash).await?;
    let today = rules::business_date(Utc::now(), zone(&location.timezone));
    let mut errors = FieldErrors::default();
    let count_type = parse::count_type(&mut errors, "type", params.count_type.as_deref(), true);
    let date = parse::business_date(&mut errors, params.business_date.as_deref(), today);
    let takings = parse::amount(&mut errors, "cashTakings", params.cash_takings.as_deref());
    let (Some(count_type), Some(date)) = (count_type, date) else {
        return Err(errors.into());
    };
    errors.into_result()?;
    let basis = state.cash.basis(location.id, count_type, date).await?;
    let settings = state.cash.settings(location.id).await?;
    let existing = state
        .cash
        .range(location.id, date, date)
        .await?
        .into_iter()
        .find(|c| c.count_type == count_type && c.is_effective())
        .map(|c| c.id);
    let computed = rules::computed_expected(count_type, &basis, takings);
    Ok(HttpResponse::Ok().json(CashExpectedView {
        business_date: date,
        expected_cents: computed.map(|(cents, _)| cents),
        source: computed.map(|(_, source)| source.into()),
        previous_closing_id: basis.previous_closing.map(|(id, _)| id),
        previous_float_cents: basis.previous_closing.and_then(|(_, float)| float),
        opening_id: basis.opening.map(|(id, _)| id),
        opening_cents: basis.opening.map(|(_, cents)| cents),
        tolerance_cents: settings.tolerance_cents,
        existing_id: existing,
    }))
}

//! A location's cash settings: the tolerance (managers set it), and the fixed facts the counting form needs
//! (the denominations, the limits, today's business date), served from here so the front end keeps no copy.

use actix_web::{get, put, web, HttpResponse};
use chrono::Utc;
use crewplots_domain::accounts::AuditEvent;
use crewplots_domain::cash::money::{self, format_amount, DENOMINATIONS, MAX_QUANTITY};
use crewplots_domain::cash::rules::{self, MAX_TOLERANCE_CENTS};
use crewplots_domain::cash::CashSettings;
use crewplots_domain::policy::{self, Action};
use crewplots_domain::scheduling::hours::DecimalMark;
use crewplots_domain::scheduling::time::zone;
use crewplots_domain::validation::FieldErrors;
use uuid::Uuid;

use super::guard;
use crate::auth::{ClientIp, CurrentUser};
use crate::dto::{CashSettingsView, ErrorBody, PutCashSettings};
use crate::error::ApiError;
use crate::state::AppState;

fn view(settings: &CashSettings, timezone: &str, receipt_max_bytes: u64) -> CashSettingsView {
    CashSettingsView {
        location_id: settings.location_id,
        tolerance_cents: settings.tolerance_cents,
        updated_by: settings.updated_by.as_ref().map(Into::into),
        updated_at: settings.updated_at,
        denominations: DENOMINATIONS.to_vec(),
        max_quantity: MAX_QUANTITY,
        receipt_max_bytes,
        business_date: rules::business_date(Utc::now(), zone(timezone)),
        timezone: timezone.to_string(),
    }
}

/// The location's cash settings, for everyone who counts or sees its cash.
#[utoipa::path(tag = "cash", params(("id" = Uuid, Path)), responses(
    (status = 200, body = CashSettingsView),
    (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
))]
#[get("/api/locations/{id}/cash-settings")]
pub(crate) async fn get_settings(
    current: CurrentUser,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let actor = current.actor();
    let counts = policy::allows(actor.role, Action::CountCash);
    let location = if counts {
        guard::location(&state, &current, *id, Action::CountCash).await?
    } else {
        guard::viewed_location(&state, &current, *id).await?.0
    };
    let settings = state.cash.settings(location.id).await?;
    Ok(HttpResponse::Ok().json(view(
        &settings,
        &location.timezone,
        state.document_max_bytes,
    )))
}

/// Sets the location's tolerance (decimal euros, 0–1000): a larger discrepancy is highlighted. Counts keep
/// the tolerance they were submitted with.
#[utoipa::path(tag = "cash", params(("id" = Uuid, Path)), request_body = PutCashSettings, responses(
    (status = 200, body = CashSettingsView),
    (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody),
))]
#[put("/api/locations/{id}/cash-settings")]
pub(crate) async fn put_settings(
    current: CurrentUser,
    ip: ClientIp,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
    body: web::Json<PutCashSettings>,
) -> Result<HttpResponse, ApiError> {
    let location = guard::location(&state, &current, *id, Action::ApproveCash).await?;
    let mut errors = FieldErrors::default();
    let tolerance = match body.tolerance.as_deref().map(str::trim) {
        None | Some("") => {
            errors.add("tolerance", "required");
            None
        }
        Some(text) => match money::parse_amount(text) {
            Ok(cents) if cents > MAX_TOLERANCE_CENTS => {
                errors.add("tolerance", "too_large");
                None
            }
            Ok(cents) => Some(cents),
            Err(error) => {
                errors.add("tolerance", error.code());
                None
            }
        },
    };
    let Some(tolerance) = tolerance else {
        return Err(errors.into());
    };
    let audit = AuditEvent::new("cash.settings_changed")
        .actor(Some(current.user.id))
        .subject("location", location.id)
        .location(location.id)
        .ip(ip.0)
        .detail("tolerance", format_amount(tolerance, DecimalMark::Point));
    let settings = state
        .cash
        .put_settings(location.id, tolerance, current.user.id, audit)
        .await?;
    Ok(HttpResponse::Ok().json(view(
        &settings,
        &location.timezone,
        state.document_max_bytes,
    )))
}

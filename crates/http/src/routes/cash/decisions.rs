//! Approving and disputing counts (managers of the location and administrators). The state machine is the
//! domain's; the store applies it under the count's row lock, so two managers deciding at once end in one
//! decision and a 409 for the other. Both decisions are written to the audit log with the count.

use actix_web::http::StatusCode;
use actix_web::{post, web, HttpResponse};
use crewplots_domain::accounts::AuditEvent;
use crewplots_domain::cash::money::format_amount;
use crewplots_domain::cash::rules::{self, Decision, DecisionRefused};
use crewplots_domain::policy::Action;
use crewplots_domain::scheduling::hours::DecimalMark;
use crewplots_domain::validation::FieldErrors;
use uuid::Uuid;

use super::guard;
use crate::auth::{ClientIp, CurrentUser};
use crate::dto::{ApproveCashRequest, CashCountView, DisputeCashRequest, ErrorBody};
use crate::error::ApiError;
use crate::state::AppState;

async fn apply(
    state: &AppState,
    current: &CurrentUser,
    ip: &ClientIp,
    id: Uuid,
    decision: Result<Decision, FieldErrors>,
) -> Result<HttpResponse, ApiError> {
    // Authorization first: a caller who may not decide learns nothing from the validation.
    let count = guard::count_for(state, current, id, Action::ApproveCash).await?;
    let decision = decision?;
    let action = match decision {
        Decision::Approve { .. } => "cash.approved",
        Decision::Dispute { .. } => "cash.disputed",
    };
    let mut audit = AuditEvent::new(action)
        .actor(Some(current.user.id))
        .subject("cash_count", count.id)
        .location(count.location_id)
        .ip(ip.0)
        .detail("type", count.count_type.as_str())
        .detail("businessDate", count.business_date.to_string())
        .detail(
            "discrepancy",
            format_amount(count.discrepancy_cents, DecimalMark::Point),
        );
    if let Some(reason) = decision.reason() {
        audit = audit.detail("reason", reason);
    }
    match state
        .cash
        .decide(count.id, &decision, current.user.id, audit)
        .await?
    {
        Ok(decided) => Ok(HttpResponse::Ok().json(CashCountView::new(&decided, true))),
        Err(DecisionRefused::AlreadyDecided(now)) => Err(ApiError::Refused {
            status: StatusCode::CONFLICT,
            code: "count_decided",
            message: "This count was decided already; decisions are final.".into(),
            fields: [("state".to_string(), now.as_str().to_string())].into(),
        }),
        Err(DecisionRefused::Superseded) => Err(ApiError::Refused {
            status: StatusCode::CONFLICT,
            code: "count_superseded",
            message: "A correction replaced this count; decide on the correction.".into(),
            fields: [(
                "correctedBy".to_string(),
                count
                    .corrected_by
                    .map(|c| c.to_string())
                    .unwrap_or_default(),
            )]
            .into(),
        }),
    }
}

/// Approves a submitted count, with an optional note.
#[utoipa::path(tag = "cash", params(("id" = Uuid, Path)), request_body = ApproveCashRequest, responses(
    (status = 200, body = CashCountView),
    (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
    (status = 409, body = ErrorBody, description = "`count_decided`, `count_superseded`"),
    (status = 422, body = ErrorBody),
))]
#[post("/api/cash-counts/{id}/approve")]
pub(crate) async fn approve(
    current: CurrentUser,
    ip: ClientIp,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
    body: web::Json<ApproveCashRequest>,
) -> Result<HttpResponse, ApiError> {
    let decision = rules::optional_text(body.note.as_deref())
        .map(|note| Decision::Approve { note })
        .map_err(|code| {
            let mut errors = FieldErrors::default();
            errors.add("note", code);
            errors
        });
    apply(&state, &current, &ip, *id, decision).await
}

/// Disputes a submitted count; the reason is required.
#[utoipa::path(tag = "cash", params(("id" = Uuid, Path)), request_body = DisputeCashRequest, responses(
    (status = 200, body = CashCountView),
    (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
    (status = 409, body = ErrorBody, description = "`count_decided`, `count_superseded`"),
    (status = 422, body = ErrorBody, description = "`reason` required"),
))]
#[post("/api/cash-counts/{id}/dispute")]
pub(crate) async fn dispute(
    current: CurrentUser,
    ip: ClientIp,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
    body: web::Json<DisputeCashRequest>,
) -> Result<HttpResponse, ApiError> {
    let decision = match rules::optional_text(body.reason.as_deref()) {
        Ok(Some(reason)) => Ok(Decision::Dispute { reason }),
        Ok(None) => Err("required"),
        Err(code) => Err(code),
    }
    .map_err(|code| {
        let mut errors = FieldErrors::default();
        errors.add("reason", code);
        errors
    });
    apply(&state, &current, &ip, *id, decision).await
}

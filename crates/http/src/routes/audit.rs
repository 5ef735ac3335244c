//! The audit viewer (issue 14 C): the append-only log, newest first, with filters and keyset pagination.
//! Administrators read every row; managers only rows whose location is one of theirs (rows without a
//! location are administrator-only) — the scope is part of the store's query, not a filter afterwards.

use actix_web::{get, web, HttpResponse};

use super::{encode_cursor, page_request};
use crate::auth::CurrentUser;
use crate::dto::{AuditEntry, AuditPage, AuditQuery, ErrorBody};
use crate::error::ApiError;
use crate::query;
use crate::state::AppState;

/// A page of the audit log. `action` matches exactly, or as a prefix when it ends in `.` (`schedule.`);
/// `from` is included and `to` excluded.
#[utoipa::path(tag = "audit", params(("actor" = Option<Uuid>, Query), ("action" = Option<String>, Query),
    ("subject" = Option<Uuid>, Query), ("location" = Option<Uuid>, Query),
    ("from" = Option<String>, Query, description = "RFC 3339 instant, included"),
    ("to" = Option<String>, Query, description = "RFC 3339 instant, excluded"),
    ("limit" = Option<u32>, Query), ("cursor" = Option<String>, Query)),
    responses(
    (status = 200, body = AuditPage),
    (status = 400, body = ErrorBody, description = "`invalid_cursor`"),
    (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody),
))]
#[get("/api/audit")]
pub(crate) async fn list(
    current: CurrentUser,
    state: web::Data<AppState>,
    params: web::Query<AuditQuery>,
) -> Result<HttpResponse, ApiError> {
    let filter = query::audit_filter(&state, &current, &params).await?;
    let page = page_request(params.limit, params.cursor.as_deref())?;
    let found = state.exports.audit_page(&filter, page).await?;
    Ok(HttpResponse::Ok().json(AuditPage {
        items: found.items.iter().map(AuditEntry::from).collect(),
        next_cursor: encode_cursor(found.next),
    }))
}

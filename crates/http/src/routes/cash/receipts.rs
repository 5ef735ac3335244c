//! The till receipt of a count: a photo or scan (PNG, JPEG or PDF by content), sealed into the document
//! vault with the location as its owner, its row written with an audit line. An upload that fails after
//! the content was stored takes the content back out; if that fails too, the orphan sweep removes it (it
//! knows receipts' content ids as well as documents').

use actix_multipart::Multipart;
use actix_web::http::header;
use actix_web::http::StatusCode;
use actix_web::{get, post, web, HttpResponse};
use chrono::Utc;
use crewplots_domain::accounts::AuditEvent;
use crewplots_domain::cash::ports::ReceiptRefused;
use crewplots_domain::cash::{CashCount, CashReceipt, CashState};
use crewplots_domain::policy::Action;
use crewplots_domain::ports::VaultError;
use futures_util::StreamExt as _;
use uuid::Uuid;

use super::guard;
use crate::auth::{ClientIp, CurrentUser};
use crate::dto::{CashReceiptInfo, ErrorBody};
use crate::error::ApiError;
use crate::state::AppState;
use crate::upload;

fn conflict(refused: ReceiptRefused) -> ApiError {
    match refused {
        ReceiptRefused::Exists => ApiError::Conflict {
            code: "receipt_exists",
            message: "This count has a receipt already.".into(),
        },
        ReceiptRefused::Decided => ApiError::Conflict {
            code: "count_decided",
            message: "This count was decided; it no longer changes.".into(),
        },
    }
}

fn early_refusal(count: &CashCount) -> Option<ReceiptRefused> {
    if count.state != CashState::Submitted {
        Some(ReceiptRefused::Decided)
    } else if count.receipt.is_some() {
        Some(ReceiptRefused::Exists)
    } else {
        None
    }
}

/// Attaches the till receipt to a submitted count (multipart, one part named `file`; PNG, JPEG or PDF by
/// content; at most the document size limit), for those who may count at the location and see the count.
#[utoipa::path(tag = "cash", params(("id" = Uuid, Path)), responses(
    (status = 201, body = CashReceiptInfo),
    (status = 400, body = ErrorBody, description = "`invalid_upload`"),
    (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
    (status = 409, body = ErrorBody, description = "`receipt_exists`, `count_decided`"),
    (status = 413, body = ErrorBody, description = "`too_large`"),
    (status = 415, body = ErrorBody, description = "`unsupported_type`"),
    (status = 503, body = ErrorBody, description = "`store_unavailable`"),
))]
#[post("/api/cash-counts/{id}/receipt")]
pub(crate) async fn upload_receipt(
    current: CurrentUser,
    ip: ClientIp,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
    mut payload: Multipart,
) -> Result<HttpResponse, ApiError> {
    let count = guard::count_for(&state, &current, *id, Action::CountCash).await?;
    if let Some(refused) = early_refusal(&count) {
        return Err(conflict(refused));
    }
    let (upload, content) = upload::read(&mut payload, state.document_max_bytes).await?;
    let receipt_id = Uuid::new_v4();
    let stored = state
        .vault
        .store(receipt_id, count.location_id, &upload.file_name, content)
        .await
        .map_err(|error| upload.store_failure(error))?;
    let receipt = CashReceipt {
        id: receipt_id,
        content_type: upload.sniffed,
        size_bytes: i64::try_from(stored.size).unwrap_or(i64::MAX),
        gridfs_id: stored.gridfs_id.clone(),
        uploaded_by: current.user.id,
        uploaded_at: Utc::now(),
    };
    let audit = AuditEvent::new("cash.receipt_uploaded")
        .actor(Some(current.user.id))
        .subject("cash_count", count.id)
        .location(count.location_id)
        .ip(ip.0)
        .detail("receipt", receipt_id.to_string());
    let outcome = state.cash.attach_receipt(count.id, receipt, audit).await;
    let failure = match outcome {
        Ok(Ok(receipt)) => {
            return Ok(HttpResponse::Created().json(CashReceiptInfo {
                id: receipt.id,
                content_type: receipt.content_type.mime().to_string(),
                size_bytes: receipt.size_bytes,
                uploaded_at: receipt.uploaded_at,
            }))
        }
        Ok(Err(refused)) => conflict(refused),
        Err(error) => error.into(),
    };
    // No content without a row.
    if let Err(cleanup) = state.vault.delete(&stored.gridfs_id).await {
        tracing::warn!(error = %cleanup, "could not remove the content of a refused receipt; the sweep will");
    }
    Err(failure)
}

/// The count's till receipt, decrypted, for those who see the count.
#[utoipa::path(tag = "cash", params(("id" = Uuid, Path)), responses(
    (status = 200, description = "The receipt's bytes", content_type = "application/octet-stream"),
    (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
    (status = 500, body = ErrorBody, description = "`document_corrupted`"),
    (status = 503, body = ErrorBody, description = "`store_unavailable`"),
))]
#[get("/api/cash-counts/{id}/receipt")]
pub(crate) async fn download_receipt(
    current: CurrentUser,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let count = guard::count(&state, &current, *id).await?;
    let receipt = count.receipt.ok_or(ApiError::NotFound)?;
    let corrupted = |error: &dyn std::fmt::Display| {
        tracing::error!(receipt = %receipt.id, %error, "a cash receipt failed its integrity check");
        ApiError::DocumentCorrupted
    };
    let mut content = match state
        .vault
        .open(receipt.id, count.location_id, &receipt.gridfs_id)
        .await
    {
        Ok(content) => content,
        Err(VaultError::Integrity(error)) => return Err(corrupted(&error)),
        Err(other) => return Err(upload::vault_failure(other)),
    };
    // The first segment is verified before the response starts; a later failure breaks the download.
    let first = match content.next().await {
        Some(Ok(bytes)) => bytes,
        Some(Err(error)) => return Err(corrupted(&error)),
        None => web::Bytes::new(),
    };
    let body = futures_util::stream::once(async move { Ok(first) }).chain(content.map(|item| {
        item.map_err(|error| {
            tracing::error!(%error, "a cash receipt failed its integrity check part-way");
            actix_web::error::InternalError::new(
                "document_corrupted",
                StatusCode::INTERNAL_SERVER_ERROR,
            )
            .into()
        })
    }));
    let name = format!(
        "receipt-{}-{}.{}",
        count.business_date,
        count.count_type.as_str(),
        receipt.content_type.extension()
    );
    Ok(HttpResponse::Ok()
        .content_type(receipt.content_type.mime())
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{name}\""),
        ))
        .insert_header((header::CONTENT_SECURITY_POLICY, "sandbox"))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .insert_header((header::CONTENT_LENGTH, receipt.size_bytes.to_string()))
        .streaming::<_, actix_web::Error>(body))
}

//! A person's sensitive profile and documents. Every route loads the person and asks the domain's
//! `person_access`: people the caller may not see answer 404 (no existence leak); visible people whose data
//! the caller may not touch answer 403.

use std::sync::Arc;

use actix_multipart::Multipart;
use actix_web::http::header;
use actix_web::{delete, get, post, put, web, HttpRequest, HttpResponse};
use chrono::Utc;
use crewplots_domain::accounts::{AuditEvent, SensitiveProfile as DomainProfile, User};
use crewplots_domain::documents::{Document, ReviewState};
use crewplots_domain::policy::{self, Action, PersonAccess, ProfileAccess};
use crewplots_domain::ports::{AuditLog, VaultError};
use crewplots_domain::validation::{self, FieldErrors};
use futures_util::StreamExt as _;
use uuid::Uuid;

use crate::auth::{client_ip, CurrentUser};
use crate::dto::QueuedDocument;
use crate::dto::{
    DocumentInfo, ErrorBody, ExpiringQuery, PersonProfile, ReviewDecision, ReviewRequest,
    SensitiveProfile, SensitiveStatus, UploadQuery,
};
use crate::error::ApiError;
use crate::state::AppState;
use crate::upload;

/// The person and what the caller may do with their data; 404 when the caller may not see them.
pub(crate) async fn person(
    state: &AppState,
    current: &CurrentUser,
    id: Uuid,
) -> Result<(User, PersonAccess), ApiError> {
    let user = state.accounts.user(id).await?.ok_or(ApiError::NotFound)?;
    let access = policy::person_access(&current.actor(), &user.subject());
    if access.visible {
        Ok((user, access))
    } else {
        Err(ApiError::NotFound)
    }
}

fn shown(profile: DomainProfile, access: ProfileAccess) -> Option<SensitiveProfile> {
    match access {
        ProfileAccess::None => None,
        ProfileAccess::PhoneOnly => Some(SensitiveProfile {
            phone: profile.phone,
            ..SensitiveProfile::default()
        }),
        ProfileAccess::Full => Some(SensitiveProfile {
            phone: profile.phone,
            address: profile.address,
            date_of_birth: profile.date_of_birth,
            nationality: profile.nationality,
            national_id_number: profile.national_id_number,
            bank_account: profile.bank_account,
            emergency_contact: profile.emergency_contact,
        }),
    }
}

pub(crate) async fn compile_profile(
    state: &AppState,
    user: &User,
    access: PersonAccess,
) -> PersonProfile {
    let (sensitive, status) = match state.profiles.load(user.id).await {
        Ok(Some(profile)) => (shown(profile, access.profile), SensitiveStatus::Ok),
        Ok(None) => (None, SensitiveStatus::Empty),
        Err(error) => {
            tracing::warn!(%error, "profile store unavailable; answering without the sensitive part");
            (None, SensitiveStatus::Unavailable)
        }
    };
    PersonProfile {
        id: user.id,
        username: user.username.clone(),
        email: user.email.clone(),
        first_name: user.first_name.clone(),
        last_name: user.last_name.clone(),
        display_name: user.display_name(),
        role: user.role.into(),
        locations: user.locations.iter().map(Into::into).collect(),
        sensitive,
        sensitive_status: status,
        can_edit: access.edit_profile,
    }
}

/// The person's profile, with the sensitive fields the caller may see decrypted.
#[utoipa::path(tag = "people", params(("id" = Uuid, Path)), responses(
    (status = 200, body = PersonProfile),
    (status = 404, body = ErrorBody),
))]
#[get("/api/people/{id}/profile")]
pub(crate) async fn get_profile(
    current: CurrentUser,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let (user, access) = person(&state, &current, *id).await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(compile_profile(&state, &user, access).await))
}

/// Replaces the person's sensitive fields (the person themselves and administrators).
#[utoipa::path(tag = "people", params(("id" = Uuid, Path)), request_body = SensitiveProfile, responses(
    (status = 200, body = PersonProfile),
    (status = 403, body = ErrorBody),
    (status = 404, body = ErrorBody),
    (status = 422, body = ErrorBody),
    (status = 503, body = ErrorBody, description = "`store_unavailable`"),
))]
#[put("/api/people/{id}/profile")]
pub(crate) async fn put_profile(
    request: HttpRequest,
    current: CurrentUser,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
    body: web::Json<SensitiveProfile>,
) -> Result<HttpResponse, ApiError> {
    let (user, access) = person(&state, &current, *id).await?;
    if !access.edit_profile {
        return Err(ApiError::Forbidden);
    }
    let body = body.into_inner();
    let mut errors = FieldErrors::default();
    let mut optional = |value: Option<String>, max: usize, field: &str| {
        value
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
            .map(|v| validation::text(&v, max, field, &mut errors))
    };
    let mut profile = DomainProfile {
        phone: None,
        address: optional(body.address, 300, "address"),
        date_of_birth: optional(body.date_of_birth, 10, "dateOfBirth"),
        nationality: optional(body.nationality, 100, "nationality"),
        national_id_number: optional(body.national_id_number, 50, "nationalIdNumber"),
        bank_account: optional(body.bank_account, 50, "bankAccount"),
        emergency_contact: optional(body.emergency_contact, 300, "emergencyContact"),
    };
    if let Some(date) = &profile.date_of_birth {
        if chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d").is_err() {
            errors.add("dateOfBirth", "invalid_date");
        }
    }
    profile.phone = body
        .phone
        .filter(|p| !p.trim().is_empty())
        .map(|p| validation::phone(&p, "phone", &mut errors));
    errors.into_result()?;
    state
        .profiles
        .save(user.id, &profile)
        .await
        .map_err(|error| {
            tracing::warn!(%error, "profile store failed");
            ApiError::StoreUnavailable
        })?;
    let ip = client_ip(&request, state.security.trust_forwarded_for);
    state
        .audit
        .record(
            AuditEvent::new("profile.updated")
                .actor(Some(current.user.id))
                .subject("user", user.id)
                .ip(ip),
        )
        .await?;
    Ok(HttpResponse::Ok().json(compile_profile(&state, &user, access).await))
}

/// The person's documents, newest first.
#[utoipa::path(tag = "documents", params(("id" = Uuid, Path)), responses(
    (status = 200, body = Vec<DocumentInfo>),
    (status = 403, body = ErrorBody),
    (status = 404, body = ErrorBody),
))]
#[get("/api/people/{id}/documents")]
pub(crate) async fn list_documents(
    current: CurrentUser,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let (user, access) = person(&state, &current, *id).await?;
    if !access.documents {
        return Err(ApiError::Forbidden);
    }
    let documents = state.documents.list_for_owner(user.id).await?;
    Ok(HttpResponse::Ok().json(
        documents
            .iter()
            .map(|d| DocumentInfo::new(d, access.review_documents))
            .collect::<Vec<_>>(),
    ))
}

/// Uploads a document: multipart with one part named `file`; PDF, JPEG or PNG by content. The content is
/// sealed on its way into GridFS and never touches the disk or memory whole.
#[utoipa::path(tag = "documents", params(("id" = Uuid, Path), UploadQuery), responses(
    (status = 201, body = DocumentInfo),
    (status = 413, body = ErrorBody, description = "`too_large`"),
    (status = 415, body = ErrorBody, description = "`unsupported_type`"),
    (status = 503, body = ErrorBody, description = "`store_unavailable`"),
))]
#[post("/api/people/{id}/documents")]
pub(crate) async fn upload_document(
    request: HttpRequest,
    current: CurrentUser,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
    query: web::Query<UploadQuery>,
    mut payload: Multipart,
) -> Result<HttpResponse, ApiError> {
    let (owner, access) = person(&state, &current, *id).await?;
    if !access.manage_documents {
        return Err(ApiError::Forbidden);
    }
    let (upload, content) = upload::read(&mut payload, state.document_max_bytes).await?;
    let document_id = Uuid::new_v4();
    let stored = state
        .vault
        .store(document_id, owner.id, &upload.file_name, content)
        .await
        .map_err(|error| upload.store_failure(error))?;
    let ip = client_ip(&request, state.security.trust_forwarded_for);
    let record = Document {
        id: document_id,
        owner_id: owner.id,
        kind: query.kind.into(),
        content_type: upload.sniffed,
        size_bytes: i64::try_from(stored.size).unwrap_or(i64::MAX),
        expires_on: query.expires_on,
        review_state: ReviewState::Pending,
        reviewed_by: None,
        reviewed_at: None,
        review_reason: None,
        uploaded_by: Some(current.user.id),
        uploaded_at: Utc::now(),
        gridfs_id: stored.gridfs_id.clone(),
    };
    let audit = AuditEvent::new("document.uploaded")
        .actor(Some(current.user.id))
        .subject("document", document_id)
        .ip(ip)
        .detail("owner", owner.id.to_string());
    match state.documents.insert(record, audit).await {
        Ok(document) => {
            Ok(HttpResponse::Created().json(DocumentInfo::new(&document, access.review_documents)))
        }
        Err(error) => {
            // No content without a row: take the content back out (the sweep catches it if this fails too).
            if let Err(cleanup) = state.vault.delete(&stored.gridfs_id).await {
                tracing::warn!(error = %cleanup, "could not remove the content of a failed upload");
            }
            Err(error.into())
        }
    }
}

/// The document, its owner and the caller's access to them; 404 unless the caller may see the owner.
async fn document_and_access(
    state: &AppState,
    current: &CurrentUser,
    id: Uuid,
) -> Result<(Document, PersonAccess), ApiError> {
    let document = state.documents.get(id).await?.ok_or(ApiError::NotFound)?;
    let (_, access) = person(state, current, document.owner_id).await?;
    Ok((document, access))
}

/// Logs a failed integrity check and records it in the audit log without holding up the response (the
/// failure may surface mid-stream, after the response has started).
fn report_integrity_failure(
    log: Arc<dyn AuditLog>,
    event: AuditEvent,
    error: &dyn std::fmt::Display,
) {
    tracing::error!(document = ?event.subject_id, %error, "stored document failed its integrity check");
    tokio::spawn(async move {
        if let Err(error) = log.record(event).await {
            tracing::error!(%error, "could not record an integrity failure");
        }
    });
}

/// Streams the decrypted document as an attachment with a server-made name.
#[utoipa::path(tag = "documents", params(("id" = Uuid, Path)), responses(
    (status = 200, description = "The document's bytes", content_type = "application/octet-stream"),
    (status = 404, body = ErrorBody),
    (status = 500, body = ErrorBody, description = "`document_corrupted`: the stored content failed its integrity check"),
    (status = 503, body = ErrorBody, description = "`store_unavailable`"),
))]
#[get("/api/documents/{id}/content")]
pub(crate) async fn download_document(
    request: HttpRequest,
    current: CurrentUser,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let (document, access) = document_and_access(&state, &current, *id).await?;
    if !access.documents {
        return Err(ApiError::Forbidden);
    }
    let ip = client_ip(&request, state.security.trust_forwarded_for);
    let audit = |action: &'static str| {
        AuditEvent::new(action)
            .actor(Some(current.user.id))
            .subject("document", document.id)
            .ip(ip)
            .detail("owner", document.owner_id.to_string())
    };
    let integrity_failure = |error: &dyn std::fmt::Display| {
        report_integrity_failure(
            state.audit.clone(),
            audit("document.integrity_failure"),
            error,
        );
    };
    let mut content = match state
        .vault
        .open(document.id, document.owner_id, &document.gridfs_id)
        .await
    {
        Ok(content) => content,
        Err(VaultError::Integrity(error)) => {
            integrity_failure(&error);
            return Err(ApiError::DocumentCorrupted);
        }
        Err(other) => return Err(upload::vault_failure(other)),
    };
    // The first segment is verified before the response starts, so the common failure is a clear error.
    let first = match content.next().await {
        Some(Ok(bytes)) => bytes,
        Some(Err(error)) => {
            integrity_failure(&error);
            return Err(ApiError::DocumentCorrupted);
        }
        None => web::Bytes::new(),
    };
    state.audit.record(audit("document.downloaded")).await?;
    // A later segment that fails ends the transfer with an error: the client sees a broken download, never
    // altered bytes.
    let failed = {
        let event = audit("document.integrity_failure");
        let log = state.audit.clone();
        move |error: &std::io::Error| report_integrity_failure(log.clone(), event.clone(), error)
    };
    let body =
        futures_util::stream::once(async move { Ok(first) }).chain(content.map(move |item| {
            item.map_err(|error| {
                failed(&error);
                actix_web::error::ErrorInternalServerError("document_corrupted")
            })
        }));
    Ok(HttpResponse::Ok()
        .content_type(document.content_type.mime())
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{}\"", document.download_name()),
        ))
        .insert_header((header::CONTENT_SECURITY_POLICY, "sandbox"))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .insert_header((header::CONTENT_LENGTH, document.size_bytes.to_string()))
        .streaming(body))
}

/// Deletes a document: its row, then its content.
#[utoipa::path(tag = "documents", params(("id" = Uuid, Path)), responses(
    (status = 204, description = "Deleted"),
    (status = 403, body = ErrorBody),
    (status = 404, body = ErrorBody),
))]
#[delete("/api/documents/{id}")]
pub(crate) async fn delete_document(
    request: HttpRequest,
    current: CurrentUser,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let (document, access) = document_and_access(&state, &current, *id).await?;
    if !access.manage_documents {
        return Err(ApiError::Forbidden);
    }
    let ip = client_ip(&request, state.security.trust_forwarded_for);
    let audit = AuditEvent::new("document.deleted")
        .actor(Some(current.user.id))
        .subject("document", document.id)
        .ip(ip)
        .detail("owner", document.owner_id.to_string());
    if let Some(deleted) = state.documents.delete(document.id, audit).await? {
        if let Err(error) = state.vault.delete(&deleted.gridfs_id).await {
            tracing::warn!(%error, "content of a deleted document stays until the sweep removes it");
        }
    }
    Ok(HttpResponse::NoContent().finish())
}

/// Approves or rejects a document (managers of the owner's locations and administrators).
#[utoipa::path(tag = "documents", params(("id" = Uuid, Path)), request_body = ReviewRequest, responses(
    (status = 200, body = DocumentInfo),
    (status = 403, body = ErrorBody),
    (status = 404, body = ErrorBody),
    (status = 422, body = ErrorBody),
))]
#[post("/api/documents/{id}/review")]
pub(crate) async fn review_document(
    request: HttpRequest,
    current: CurrentUser,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
    body: web::Json<ReviewRequest>,
) -> Result<HttpResponse, ApiError> {
    let (document, access) = document_and_access(&state, &current, *id).await?;
    if !access.review_documents {
        return Err(ApiError::Forbidden);
    }
    let body = body.into_inner();
    let mut errors = FieldErrors::default();
    let reason = body
        .reason
        .filter(|r| !r.trim().is_empty())
        .map(|r| validation::text(&r, 1000, "reason", &mut errors));
    let state_to = match body.decision {
        ReviewDecision::Approved => ReviewState::Approved,
        ReviewDecision::Rejected => {
            if reason.is_none() {
                errors.add("reason", "required");
            }
            ReviewState::Rejected
        }
    };
    errors.into_result()?;
    let ip = client_ip(&request, state.security.trust_forwarded_for);
    let audit = AuditEvent::new("document.reviewed")
        .actor(Some(current.user.id))
        .subject("document", document.id)
        .ip(ip)
        .detail("decision", state_to.as_str());
    let reviewed = state
        .documents
        .review(document.id, state_to, current.user.id, reason, audit)
        .await?;
    Ok(HttpResponse::Ok().json(DocumentInfo::new(&reviewed, true)))
}

fn queue(items: Vec<(Document, String)>) -> Vec<QueuedDocument> {
    items
        .iter()
        .map(|(document, owner_name)| QueuedDocument {
            document: DocumentInfo::new(document, true),
            owner_name: owner_name.clone(),
        })
        .collect()
}

/// Documents expiring within `days` (default 30), of the people the caller manages, soonest first.
#[utoipa::path(tag = "documents", params(ExpiringQuery), responses(
    (status = 200, body = Vec<QueuedDocument>),
    (status = 403, body = ErrorBody),
))]
#[get("/api/documents/expiring")]
pub(crate) async fn expiring_documents(
    current: CurrentUser,
    state: web::Data<AppState>,
    query: web::Query<ExpiringQuery>,
) -> Result<HttpResponse, ApiError> {
    let scope =
        policy::scope(&current.actor(), Action::ReviewDocuments).ok_or(ApiError::Forbidden)?;
    let days = query.days.unwrap_or(30).clamp(1, 365);
    Ok(HttpResponse::Ok().json(queue(state.documents.expiring(days, &scope).await?)))
}

/// Documents awaiting review, of the people the caller manages, oldest first.
#[utoipa::path(tag = "documents", responses(
    (status = 200, body = Vec<QueuedDocument>),
    (status = 403, body = ErrorBody),
))]
#[get("/api/documents/review-queue")]
pub(crate) async fn review_queue(
    current: CurrentUser,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let scope =
        policy::scope(&current.actor(), Action::ReviewDocuments).ok_or(ApiError::Forbidden)?;
    Ok(HttpResponse::Ok().json(queue(state.documents.pending_review(&scope).await?)))
}

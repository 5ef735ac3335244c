//! The caller's own data: "download my data" and "delete my account", and an administrator's erasure of a
//! person (SPEC §3 erasure, §4.3 applicant portal).

use std::io::Write as _;

use actix_session::Session;
use actix_web::http::header;
use actix_web::{delete, get, web, HttpRequest, HttpResponse};
use chrono::Utc;
use crewplots_domain::accounts::{AuditEvent, User};
use crewplots_domain::erasure::{self, ErasureError, ErasureStores};
use crewplots_domain::policy::{self, Action};
use crewplots_domain::Role;
use futures_util::TryStreamExt as _;
use serde_json::json;
use uuid::Uuid;

use crate::auth::{client_ip, CurrentUser};
use crate::dto::{ErrorBody, Me};
use crate::error::ApiError;
use crate::state::AppState;

/// The largest export assembled in memory; a person with more documents than this gets 413.
const EXPORT_LIMIT: usize = 256 * 1024 * 1024;

fn zip_error(error: impl std::fmt::Display) -> ApiError {
    ApiError::internal(std::io::Error::other(error.to_string()))
}

/// Everything stored about the caller, as a ZIP: `account.json` (PostgreSQL rows), `profile.json` (the
/// decrypted sensitive fields), `applications.json` (the applicant's view of each application with its
/// decrypted motivation letter), `documents.json` and the decrypted documents under `documents/`. Internal
/// notes by staff are not the person's own data in this sense and stay out (SPEC §4.4: never shown to them).
#[utoipa::path(tag = "me", responses(
    (status = 200, description = "A ZIP archive", content_type = "application/zip"),
    (status = 401, body = ErrorBody),
    (status = 503, body = ErrorBody, description = "`store_unavailable`"),
))]
#[get("/api/me/export")]
pub(crate) async fn export(
    request: HttpRequest,
    current: CurrentUser,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let user = &current.user;
    let profile = state
        .profiles
        .load(user.id)
        .await
        .map_err(|_| ApiError::StoreUnavailable)?;
    let documents = state.documents.list_for_owner(user.id).await?;
    let applications = state.hiring.applications_of(user.id).await?;
    let mut letters = Vec::new();
    for application in applications
        .iter()
        .filter(|a| a.letter_updated_at.is_some())
    {
        let letter = state
            .bodies
            .load(
                application.id,
                user.id,
                crate::routes::applications::LETTER_KIND,
            )
            .await
            .map_err(|_| ApiError::StoreUnavailable)?;
        letters.push((application.id, letter));
    }
    let summaries = crate::routes::applications::summaries(&state, applications).await?;
    let schedule = crate::routes::scheduling::mine::export(&state, user.id).await?;

    let mut archive = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    let mut add = |name: &str, bytes: &[u8]| -> Result<(), ApiError> {
        archive.start_file(name, options).map_err(zip_error)?;
        archive.write_all(bytes).map_err(zip_error)
    };
    let account = json!({
        "user": Me::from(user),
        "createdAt": user.created_at,
        "lastLoginAt": user.last_login_at,
        "signupLocationId": user.signup_location_id,
        "exportedAt": Utc::now(),
    });
    add(
        "account.json",
        &serde_json::to_vec_pretty(&account).map_err(zip_error)?,
    )?;
    add(
        "profile.json",
        &serde_json::to_vec_pretty(&profile).map_err(zip_error)?,
    )?;
    let applications: Vec<serde_json::Value> = summaries
        .iter()
        .map(|summary| {
            let letter = letters
                .iter()
                .find(|(id, _)| *id == summary.id)
                .and_then(|(_, letter)| letter.clone());
            json!({"application": summary, "motivationLetter": letter})
        })
        .collect();
    add(
        "applications.json",
        &serde_json::to_vec_pretty(&applications).map_err(zip_error)?,
    )?;
    add(
        "schedule.json",
        &serde_json::to_vec_pretty(&schedule).map_err(zip_error)?,
    )?;
    let mut listed = Vec::new();
    let mut total = 0usize;
    for document in &documents {
        let original = state
            .vault
            .original_name(document.id, user.id, &document.gridfs_id)
            .await
            .map_err(|_| ApiError::StoreUnavailable)?;
        let chunks: Vec<web::Bytes> = state
            .vault
            .open(document.id, user.id, &document.gridfs_id)
            .await
            .map_err(|_| ApiError::StoreUnavailable)?
            .try_collect()
            .await
            .map_err(|_| ApiError::DocumentCorrupted)?;
        let bytes = chunks.concat();
        total += bytes.len();
        if total > EXPORT_LIMIT {
            return Err(ApiError::TooLarge {
                message:
                    "Your documents are too large to export at once; download them one by one."
                        .into(),
            });
        }
        let name = format!("documents/{}", document.download_name());
        add(&name, &bytes)?;
        listed.push(json!({
            "id": document.id, "file": name, "originalName": original, "kind": document.kind.as_str(),
            "contentType": document.content_type.mime(), "sizeBytes": document.size_bytes,
            "expiresOn": document.expires_on, "reviewState": document.review_state.as_str(),
            "uploadedAt": document.uploaded_at,
        }));
    }
    add(
        "documents.json",
        &serde_json::to_vec_pretty(&listed).map_err(zip_error)?,
    )?;
    let bytes = archive.finish().map_err(zip_error)?.into_inner();

    let ip = client_ip(&request, state.security.trust_forwarded_for);
    state
        .audit
        .record(
            AuditEvent::new("data.exported")
                .actor(Some(user.id))
                .subject("user", user.id)
                .ip(ip),
        )
        .await?;
    Ok(HttpResponse::Ok()
        .content_type("application/zip")
        .insert_header((
            header::CONTENT_DISPOSITION,
            "attachment; filename=\"crewplots-my-data.zip\"",
        ))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(bytes))
}

/// Erases a person through the one erasure path (`crewplots_domain::erasure`: MongoDB content first, then
/// the account with its audit line), then ends their sessions.
async fn erase(
    state: &AppState,
    person: &User,
    actor: Uuid,
    ip: Option<std::net::IpAddr>,
) -> Result<(), ApiError> {
    let stores = ErasureStores {
        accounts: state.accounts.as_ref(),
        documents: state.documents.as_ref(),
        vault: state.vault.as_ref(),
        profiles: state.profiles.as_ref(),
        bodies: state.bodies.as_ref(),
    };
    let audit = AuditEvent::new("account.erased")
        .actor(Some(actor))
        .subject("user", person.id)
        .ip(ip);
    erasure::erase_person(stores, person.id, audit)
        .await
        .map_err(|error| match error {
            ErasureError::ContentUnavailable(cause) => {
                tracing::warn!(%cause, "erasure stopped: content store unavailable");
                ApiError::StoreUnavailable
            }
            ErasureError::Store(error) => error.into(),
        })?;
    state
        .sessions
        .revoke_all_except(&person.id.to_string(), None)
        .await
        .map_err(|_| ApiError::ServiceUnavailable)?;
    Ok(())
}

/// Deletes the caller's account and all their data ("delete my account"). Applicants and crew members only;
/// staff accounts are removed by an administrator.
#[utoipa::path(tag = "me", responses(
    (status = 204, description = "Erased; the session ends"),
    (status = 403, body = ErrorBody),
    (status = 503, body = ErrorBody, description = "`store_unavailable`: nothing was deleted"),
))]
#[delete("/api/me")]
pub(crate) async fn erase_me(
    request: HttpRequest,
    session: Session,
    current: CurrentUser,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    if !matches!(current.user.role, Role::Applicant | Role::CrewMember) {
        return Err(ApiError::Forbidden);
    }
    let ip = client_ip(&request, state.security.trust_forwarded_for);
    erase(&state, &current.user, current.user.id, ip).await?;
    session.purge();
    Ok(HttpResponse::NoContent().finish())
}

/// Erases a person and all their data (administrators; never oneself).
#[utoipa::path(tag = "people", params(("id" = Uuid, Path)), responses(
    (status = 204, description = "Erased"),
    (status = 403, body = ErrorBody),
    (status = 404, body = ErrorBody),
    (status = 503, body = ErrorBody, description = "`store_unavailable`: nothing was deleted"),
))]
#[delete("/api/people/{id}")]
pub(crate) async fn erase_person(
    request: HttpRequest,
    current: CurrentUser,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    if policy::scope(&current.actor(), Action::ErasePeople).is_none() {
        return Err(ApiError::Forbidden);
    }
    if *id == current.user.id {
        return Err(ApiError::Forbidden);
    }
    let person = state.accounts.user(*id).await?.ok_or(ApiError::NotFound)?;
    let ip = client_ip(&request, state.security.trust_forwarded_for);
    erase(&state, &person, current.user.id, ip).await?;
    Ok(HttpResponse::NoContent().finish())
}

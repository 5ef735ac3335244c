//! Images in articles: PNG or JPEG by their first bytes (the name and declared type do not count), at most
//! 5 MiB, stored in PostgreSQL (not personal data) and served with the stored type and `nosniff`.

use actix_multipart::Multipart;
use actix_web::http::header;
use actix_web::{get, post, web, HttpResponse};
use crewplots_domain::knowledge::{access, ImageType, KbImage};
use crewplots_domain::policy::Action;
use futures_util::TryStreamExt as _;
use uuid::Uuid;

use super::guard::{denied, may_create_at, role_may};
use crate::auth::CurrentUser;
use crate::dto::{ErrorBody, KnowledgeImage, KnowledgeImageQuery};
use crate::error::ApiError;
use crate::state::AppState;

fn bad_upload(message: &str) -> ApiError {
    ApiError::BadRequest {
        code: "invalid_upload",
        message: message.to_string(),
    }
}

/// Uploads an image for the articles of a location (leave `location` out for group-wide articles):
/// multipart with one part named `file`.
#[utoipa::path(tag = "knowledge", params(KnowledgeImageQuery), responses(
    (status = 201, body = KnowledgeImage),
    (status = 400, body = ErrorBody, description = "`invalid_upload`"),
    (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
    (status = 413, body = ErrorBody, description = "`too_large`: over 5 MiB"),
    (status = 415, body = ErrorBody, description = "`unsupported_type`: not PNG or JPEG"),
))]
#[post("/api/knowledge/images")]
pub(crate) async fn upload_image(
    current: CurrentUser,
    state: web::Data<AppState>,
    query: web::Query<KnowledgeImageQuery>,
    mut payload: Multipart,
) -> Result<HttpResponse, ApiError> {
    may_create_at(&state, &current, query.location).await?;
    let mut field = loop {
        match payload
            .try_next()
            .await
            .map_err(|_| bad_upload("The upload could not be read."))?
        {
            Some(field) if field.name() == Some("file") => break field,
            Some(_) => continue,
            None => {
                return Err(bad_upload(
                    "Send the image as a multipart part named `file`.",
                ))
            }
        }
    };
    let mut bytes = Vec::new();
    let mut checked = false;
    while let Some(chunk) = field
        .try_next()
        .await
        .map_err(|_| bad_upload("The upload was interrupted."))?
    {
        bytes.extend_from_slice(&chunk);
        // The type is decided as soon as there are enough bytes, so a large non-image stops early.
        if !checked && bytes.len() >= 8 {
            checked = true;
            if ImageType::sniff(&bytes).is_none() {
                return Err(ApiError::UnsupportedType {
                    message: "Upload a PNG or JPEG image.".into(),
                });
            }
        }
        if bytes.len() > ImageType::MAX_BYTES {
            return Err(ApiError::TooLarge {
                message: format!(
                    "Images may be at most {} MiB.",
                    ImageType::MAX_BYTES / (1024 * 1024)
                ),
            });
        }
    }
    let content_type = ImageType::sniff(&bytes).ok_or_else(|| ApiError::UnsupportedType {
        message: "Upload a PNG or JPEG image.".into(),
    })?;
    let id = Uuid::new_v4();
    let size = bytes.len();
    state
        .knowledge
        .insert_image(KbImage {
            id,
            location: query.location,
            content_type,
            bytes,
            uploaded_by: current.user.id,
        })
        .await?;
    Ok(HttpResponse::Created().json(KnowledgeImage {
        id,
        url: format!("/api/knowledge/images/{id}"),
        content_type: content_type.mime().to_string(),
        size_bytes: size,
    }))
}

/// An image, for those who read the knowledge base of its location (everyone who reads it, when
/// group-wide).
#[utoipa::path(tag = "knowledge", params(("id" = Uuid, Path)), responses(
    (status = 200, description = "The image (PNG or JPEG as stored)", content_type = "image/png"),
    (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
))]
#[get("/api/knowledge/images/{id}")]
pub(crate) async fn get_image(
    current: CurrentUser,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    role_may(&current, Action::ReadKnowledge)?;
    let image = state
        .knowledge
        .image(*id)
        .await?
        .ok_or(ApiError::NotFound)?;
    access::read(&current.actor(), image.location, true).map_err(denied)?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, image.content_type.mime()))
        .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        // An image never changes under its id; it stays out of shared caches (it is behind a login).
        .insert_header((header::CACHE_CONTROL, "private, max-age=86400"))
        .insert_header((header::CONTENT_DISPOSITION, "inline"))
        .insert_header((
            header::CONTENT_SECURITY_POLICY,
            "default-src 'none'; sandbox",
        ))
        .body(image.bytes))
}

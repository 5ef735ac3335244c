//! The one error type every handler returns, and how it becomes a response.
//!
//! Each variant has a stable snake_case `code` that the front end translates; the `message` is English for
//! people reading raw responses. Internal failures are logged with their cause and answered with an opaque
//! 500, so no driver message, SQL or stack ever reaches a client.

use std::collections::BTreeMap;
use std::time::Duration;

use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpResponse, ResponseError};
use crewplots_domain::ports::StoreError;
use crewplots_domain::validation::FieldErrors;
use serde::Serialize;

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("the request is malformed")]
    BadRequest { code: &'static str, message: String },
    #[error("authentication required")]
    Unauthorized,
    #[error("invalid credentials")]
    InvalidCredentials,
    #[error("the current password is wrong")]
    WrongPassword,
    #[error("not allowed")]
    Forbidden,
    #[error("cross-site request rejected")]
    CsrfRejected,
    #[error("not found")]
    NotFound,
    #[error("conflict")]
    Conflict { code: &'static str, message: String },
    /// A domain rule refused the request (409 for state conflicts, 422 for unacceptable values), with
    /// fields that say what would have been accepted or what it conflicts with.
    #[error("refused by a rule")]
    Refused {
        status: StatusCode,
        code: &'static str,
        message: String,
        fields: BTreeMap<String, String>,
    },
    /// The scheduling rule engine refused (409 for slot and overlap conflicts, 422 otherwise), with every
    /// reason it found.
    #[error("refused by the scheduling rules")]
    RulesRefused {
        status: StatusCode,
        code: &'static str,
        message: String,
        fields: BTreeMap<String, String>,
        reasons: Vec<crate::dto::RuleReason>,
    },
    #[error("payload too large")]
    TooLarge { message: String },
    #[error("unsupported media type")]
    UnsupportedType { message: String },
    #[error("validation failed")]
    Validation {
        message: String,
        fields: BTreeMap<String, String>,
    },
    #[error("too many requests")]
    TooManyRequests { retry_after: Duration },
    #[error("a backing store is unavailable")]
    StoreUnavailable,
    #[error("a stored document failed its integrity check")]
    DocumentCorrupted,
    #[error("a backing service is unavailable")]
    ServiceUnavailable,
    /// The server is at capacity for this kind of work (password hashing); the client tries again later.
    #[error("at capacity")]
    Busy { retry_after: Duration },
    #[error("internal error")]
    Internal(#[source] Box<dyn std::error::Error + Send + Sync>),
}

#[derive(Serialize)]
struct Body<'a> {
    error: Detail<'a>,
}

#[derive(Serialize)]
struct Detail<'a> {
    code: &'a str,
    message: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    fields: Option<&'a BTreeMap<String, String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    reasons: Option<&'a [crate::dto::RuleReason]>,
}

impl From<StoreError> for ApiError {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::Unavailable(cause) => {
                tracing::warn!(%cause, "store unavailable");
                Self::ServiceUnavailable
            }
            StoreError::Conflict(field) => Self::Conflict {
                code: match field {
                    "username" => "username_taken",
                    "email" => "email_taken",
                    _ => "conflict",
                },
                message: format!("This {field} is already taken."),
            },
            StoreError::NotFound => Self::NotFound,
            StoreError::UnstorableText => Self::BadRequest {
                code: "invalid_characters",
                message: "The request contains characters that cannot be stored, such as NUL."
                    .into(),
            },
            other @ StoreError::Other(_) => Self::internal(other),
        }
    }
}

impl From<FieldErrors> for ApiError {
    fn from(errors: FieldErrors) -> Self {
        Self::Validation {
            message: "Some fields need attention.".into(),
            fields: errors
                .0
                .into_iter()
                .map(|(k, v)| (k, v.to_string()))
                .collect(),
        }
    }
}

impl ApiError {
    /// Wraps an unexpected failure; its cause is logged, never sent.
    pub fn internal(error: impl std::error::Error + Send + Sync + 'static) -> Self {
        Self::Internal(Box::new(error))
    }

    /// Field details the client sees, if any.
    pub fn fields(&self) -> Option<&BTreeMap<String, String>> {
        match self {
            Self::Validation { fields, .. }
            | Self::Refused { fields, .. }
            | Self::RulesRefused { fields, .. } => Some(fields),
            _ => None,
        }
    }

    /// The stable code the client sees.
    pub fn code(&self) -> &str {
        match self {
            Self::BadRequest { code, .. }
            | Self::Conflict { code, .. }
            | Self::Refused { code, .. }
            | Self::RulesRefused { code, .. } => code,
            Self::Unauthorized => "unauthorized",
            Self::InvalidCredentials => "invalid_credentials",
            Self::WrongPassword => "wrong_password",
            Self::Forbidden => "forbidden",
            Self::CsrfRejected => "csrf_rejected",
            Self::NotFound => "not_found",
            Self::TooLarge { .. } => "too_large",
            Self::UnsupportedType { .. } => "unsupported_type",
            Self::Validation { .. } => "validation_failed",
            Self::TooManyRequests { .. } => "too_many_requests",
            Self::StoreUnavailable => "store_unavailable",
            Self::DocumentCorrupted => "document_corrupted",
            Self::ServiceUnavailable => "service_unavailable",
            Self::Busy { .. } => "busy",
            Self::Internal(_) => "internal_error",
        }
    }

    /// The human message the client sees.
    pub fn message(&self) -> &str {
        match self {
            Self::BadRequest { message, .. }
            | Self::Conflict { message, .. }
            | Self::Refused { message, .. }
            | Self::RulesRefused { message, .. }
            | Self::TooLarge { message }
            | Self::UnsupportedType { message }
            | Self::Validation { message, .. } => message,
            Self::Unauthorized => "You need to log in.",
            Self::InvalidCredentials => "The username or password is not correct.",
            Self::WrongPassword => "The current password is not correct.",
            Self::Forbidden => "You are not allowed to do this.",
            Self::CsrfRejected => "This request did not come from an allowed origin.",
            Self::NotFound => "Not found.",
            Self::TooManyRequests { .. } => "Too many attempts. Wait before trying again.",
            Self::StoreUnavailable => {
                "Secure storage is temporarily unavailable. Try again shortly."
            }
            Self::DocumentCorrupted => {
                "This document failed its integrity check and cannot be shown. It was reported."
            }
            Self::ServiceUnavailable => {
                "The service is temporarily unavailable. Try again shortly."
            }
            Self::Busy { .. } => "The server is busy. Try again in a moment.",
            Self::Internal(_) => "Something went wrong on our side.",
        }
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self {
            Self::BadRequest { .. } => StatusCode::BAD_REQUEST,
            Self::Unauthorized | Self::InvalidCredentials => StatusCode::UNAUTHORIZED,
            Self::WrongPassword => StatusCode::UNPROCESSABLE_ENTITY,
            Self::Forbidden | Self::CsrfRejected => StatusCode::FORBIDDEN,
            Self::NotFound => StatusCode::NOT_FOUND,
            Self::Conflict { .. } => StatusCode::CONFLICT,
            Self::Refused { status, .. } | Self::RulesRefused { status, .. } => *status,
            Self::TooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            Self::UnsupportedType { .. } => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Self::Validation { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            Self::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            Self::StoreUnavailable | Self::ServiceUnavailable | Self::Busy { .. } => {
                StatusCode::SERVICE_UNAVAILABLE
            }
            Self::Internal(_) | Self::DocumentCorrupted => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        if let Self::Internal(cause) = self {
            tracing::error!(error = %cause, "request failed");
        }
        let mut response = HttpResponse::build(self.status_code());
        // Also set here because errors raised by middleware skip the default-headers middleware.
        response.insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"));
        response.insert_header((header::CACHE_CONTROL, "no-store"));
        if let Self::TooManyRequests { retry_after } | Self::Busy { retry_after } = self {
            response.insert_header((
                header::RETRY_AFTER,
                retry_after.as_secs().max(1).to_string(),
            ));
        }
        let wrong_password: BTreeMap<String, String> =
            [("currentPassword".to_string(), "wrong_password".to_string())].into();
        let fields = match self {
            Self::Validation { fields, .. }
            | Self::Refused { fields, .. }
            | Self::RulesRefused { fields, .. } => Some(fields),
            Self::WrongPassword => Some(&wrong_password),
            _ => None,
        };
        response.json(Body {
            error: Detail {
                code: self.code(),
                message: self.message(),
                fields,
                reasons: match self {
                    Self::RulesRefused { reasons, .. } => Some(reasons),
                    _ => None,
                },
            },
        })
    }
}

fn bad_request(code: &'static str, message: impl Into<String>) -> actix_web::Error {
    ApiError::BadRequest {
        code,
        message: message.into(),
    }
    .into()
}

/// The largest JSON request body read.
pub(crate) const JSON_LIMIT_BYTES: usize = 256 * 1024;

/// JSON bodies: malformed → 400 `invalid_json`, over the limit → 413 `too_large`, wrong type → 415.
pub(crate) fn json_config() -> web::JsonConfig {
    web::JsonConfig::default()
        .limit(JSON_LIMIT_BYTES)
        .error_handler(|error, _req| {
            use actix_web::error::JsonPayloadError;
            match error {
                JsonPayloadError::OverflowKnownLength { .. }
                | JsonPayloadError::Overflow { .. } => ApiError::TooLarge {
                    message: "The request body is too large.".into(),
                }
                .into(),
                JsonPayloadError::ContentType => ApiError::UnsupportedType {
                    message: "Send the body as application/json.".into(),
                }
                .into(),
                JsonPayloadError::Deserialize(e) => {
                    bad_request("invalid_json", format!("The JSON body is not valid: {e}"))
                }
                _ => bad_request("invalid_json", "The JSON body could not be read."),
            }
        })
}

/// Query strings that do not parse → 400 `invalid_query`.
pub(crate) fn query_config() -> web::QueryConfig {
    web::QueryConfig::default().error_handler(|error, _req| {
        bad_request(
            "invalid_query",
            format!("The query string is not valid: {error}"),
        )
    })
}

/// Path segments that do not parse (a malformed id) are answered like a missing resource.
pub(crate) fn path_config() -> web::PathConfig {
    web::PathConfig::default().error_handler(|_error, _req| ApiError::NotFound.into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::body::to_bytes;

    async fn body_of(error: ApiError) -> (StatusCode, serde_json::Value, Option<String>) {
        let response = error.error_response();
        let status = response.status();
        let retry = response
            .headers()
            .get(header::RETRY_AFTER)
            .map(|v| v.to_str().unwrap_or_default().to_string());
        let bytes = to_bytes(response.into_body()).await.unwrap();
        (status, serde_json::from_slice(&bytes).unwrap(), retry)
    }

    #[actix_web::test]
    async fn internal_errors_never_reveal_their_cause() {
        let cause = std::io::Error::other("password=hunter2 at db:5432");
        let (status, body, _) = body_of(ApiError::internal(cause)).await;
        assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(body["error"]["code"], "internal_error");
        assert!(!body.to_string().contains("hunter2"));
    }

    #[actix_web::test]
    async fn rate_limited_answers_carry_retry_after() {
        let (status, body, retry) = body_of(ApiError::TooManyRequests {
            retry_after: Duration::from_secs(42),
        })
        .await;
        assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(body["error"]["code"], "too_many_requests");
        assert_eq!(retry.as_deref(), Some("42"));
    }

    #[actix_web::test]
    async fn validation_errors_list_their_fields() {
        let mut fields = BTreeMap::new();
        fields.insert("email".to_string(), "not an e-mail address".to_string());
        let (status, body, _) = body_of(ApiError::Validation {
            message: "Check the highlighted fields.".into(),
            fields,
        })
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(body["error"]["fields"]["email"], "not an e-mail address");
    }
}

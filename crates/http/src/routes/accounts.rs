//! `/api/auth/*`: registration, login, logout, the current user, password change and reset.

use std::time::Duration;

use actix_session::Session;
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use chrono::Utc;
use crewplots_crypto::{password, HashingError};
use crewplots_domain::accounts::{AuditEvent, NewToken, NewUser, SensitiveProfile, TokenPurpose};
use crewplots_domain::validation::{self, FieldErrors};
use crewplots_domain::{mails, Role, UserStatus};
use crewplots_session::Verdict;
use uuid::Uuid;

use crate::auth::{self, client_ip, CurrentUser};
use crate::dto::{
    AuthResponse, ChangePasswordRequest, ErrorBody, LoginRequest, Me, PasswordResetConfirmRequest,
    PasswordResetRequest, RegisterRequest,
};
use crate::error::ApiError;
use crate::state::AppState;

pub use crewplots_domain::accounts::PRIVACY_NOTICE_VERSION;
const RESET_TOKEN_LIFETIME: chrono::Duration = chrono::Duration::hours(1);

/// Runs bcrypt on the server's hashing threads; `busy` (503 with Retry-After) when they are at capacity.
async fn hash_password(state: &AppState, plain: String) -> Result<String, ApiError> {
    state
        .security
        .hasher
        .hash(plain)
        .await
        .map_err(hashing_failed)
}

async fn verify_password(state: &AppState, plain: String, hash: String) -> Result<bool, ApiError> {
    state
        .security
        .hasher
        .verify(plain, hash)
        .await
        .map_err(hashing_failed)
}

fn hashing_failed(error: HashingError) -> ApiError {
    match error {
        HashingError::Busy => ApiError::Busy {
            retry_after: std::time::Duration::from_secs(1),
        },
        other => ApiError::internal(other),
    }
}

fn throttle_unavailable<E>(_: E) -> ApiError {
    ApiError::ServiceUnavailable
}

/// Registers an applicant (from a venue's QR link when `locationCode` is given) and logs them in.
#[utoipa::path(tag = "auth", request_body = RegisterRequest, responses(
    (status = 201, body = AuthResponse, description = "Registered and logged in"),
    (status = 409, body = ErrorBody, description = "`username_taken` or `email_taken`"),
    (status = 422, body = ErrorBody, description = "`validation_failed` with field codes"),
    (status = 503, body = ErrorBody, description = "`busy`: password hashing is at capacity; try again after `Retry-After`"),
))]
#[post("/api/auth/register")]
pub(crate) async fn register(
    request: HttpRequest,
    session: Session,
    state: web::Data<AppState>,
    body: web::Json<RegisterRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    let mut errors = FieldErrors::default();
    let first_name = validation::text(&body.first_name, 100, "firstName", &mut errors);
    let last_name = validation::text(&body.last_name, 100, "lastName", &mut errors);
    let email = validation::email(&body.email, "email", &mut errors);
    let username = validation::username(&body.username, "username", &mut errors);
    validation::password(&body.password, "password", &mut errors);
    let phone = validation::phone(&body.phone, "phone", &mut errors);
    if !body.privacy_consent.accepted || body.privacy_consent.version != PRIVACY_NOTICE_VERSION {
        errors.add("privacyConsent", "consent_required");
    }
    let mut signup_location = None;
    if let Some(code) = body
        .location_code
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty())
    {
        let location = if crate::routes::locations::could_be_application_code(code) {
            state.locations.by_code(code).await?
        } else {
            None
        };
        match location {
            Some(location) => signup_location = Some(location.id),
            None => errors.add("locationCode", "unknown_location_code"),
        }
    }
    errors.into_result()?;

    let password_hash = hash_password(&state, body.password).await?;
    let id = Uuid::new_v4();
    // Sensitive fields first: if MongoDB is down nothing is written at all; if the account then cannot be
    // created, the profile is removed again.
    let profile = SensitiveProfile {
        phone: Some(phone),
        ..SensitiveProfile::default()
    };
    state.profiles.save(id, &profile).await.map_err(|e| {
        tracing::warn!(error = %e, "profile store failed during registration");
        ApiError::StoreUnavailable
    })?;
    let ip = client_ip(&request, state.security.trust_forwarded_for);
    let created = state
        .accounts
        .create_user(
            NewUser {
                id,
                username,
                email,
                first_name,
                last_name,
                role: Role::Applicant,
                status: UserStatus::Active,
                password_hash: Some(password_hash),
                location_ids: Vec::new(),
                signup_location_id: signup_location,
                privacy_consent_version: Some(body.privacy_consent.version),
            },
            None,
            None,
            AuditEvent::new("account.registered")
                .actor(Some(id))
                .subject("user", id)
                .ip(ip),
        )
        .await;
    let user = match created {
        Ok(user) => user,
        Err(error) => {
            if let Err(cleanup) = state.profiles.erase(id).await {
                tracing::error!(error = %cleanup, user = %id, "could not remove the profile of a failed registration");
            }
            return Err(error.into());
        }
    };
    auth::start_session(&session, &state, &user).await?;
    Ok(HttpResponse::Created().json(AuthResponse {
        user: Me::from(&user),
    }))
}

/// Logs in with username or e-mail. Failures are counted per account and per address; too many answer 429
/// with `Retry-After`, even for the right password.
#[utoipa::path(tag = "auth", request_body = LoginRequest, responses(
    (status = 200, body = AuthResponse, description = "Logged in; a new session cookie is set"),
    (status = 401, body = ErrorBody, description = "`invalid_credentials`"),
    (status = 429, body = ErrorBody, description = "`too_many_requests`; see `Retry-After`"),
    (status = 503, body = ErrorBody, description = "`busy`: password hashing is at capacity; try again after `Retry-After`"),
))]
#[post("/api/auth/login")]
pub(crate) async fn login(
    request: HttpRequest,
    session: Session,
    state: web::Data<AppState>,
    body: web::Json<LoginRequest>,
) -> Result<HttpResponse, ApiError> {
    // Refused before any other work when the hashing threads are at capacity: under a login storm the
    // refusals stay cheap for everybody else.
    if state.security.hasher.at_capacity() {
        return Err(hashing_failed(HashingError::Busy));
    }
    let body = body.into_inner();
    let account = body.login.trim().to_lowercase();
    if account.is_empty() || body.password.is_empty() || body.password.len() > 1024 {
        return Err(ApiError::InvalidCredentials);
    }
    let ip = client_ip(&request, state.security.trust_forwarded_for);
    let ip_key = ip.map_or_else(|| "unknown".to_string(), |ip| ip.to_string());
    if let Verdict::Wait(wait) = state
        .throttle
        .check(&account, &ip_key)
        .await
        .map_err(throttle_unavailable)?
    {
        return Err(ApiError::TooManyRequests {
            retry_after: wait.max(Duration::from_secs(1)),
        });
    }

    // No account name or e-mail address holds a control character (and PostgreSQL could not even look
    // one up with a NUL): such a login is an unknown account, answered the same way.
    let credentials = if account.chars().any(char::is_control) {
        None
    } else {
        state.accounts.credentials(&account).await?
    };
    let hash = credentials
        .as_ref()
        .and_then(|c| c.password_hash.clone())
        .unwrap_or_else(|| state.security.dummy_hash.as_str().to_string());
    // Unknown accounts are verified against a dummy hash so the answer takes as long either way.
    let matches = verify_password(&state, body.password.clone(), hash.clone()).await?;
    let user = match credentials {
        Some(c) if matches && c.password_hash.is_some() && c.user.status == UserStatus::Active => {
            c.user
        }
        other => {
            state
                .throttle
                .failed(&account, &ip_key)
                .await
                .map_err(throttle_unavailable)?;
            let mut event = AuditEvent::new("login.failure").ip(ip);
            if let Some(c) = other {
                event = event.subject("user", c.user.id);
            }
            state.audit.record(event).await?;
            return Err(ApiError::InvalidCredentials);
        }
    };

    state
        .throttle
        .succeeded(&account)
        .await
        .map_err(throttle_unavailable)?;
    if password::needs_rehash(&hash, state.security.bcrypt_cost) {
        // The upgrade waits for a quieter moment when the hashing threads are at capacity: the person has
        // proved who they are, and the next login tries again.
        match hash_password(&state, body.password).await {
            Ok(upgraded) => state.accounts.set_password(user.id, upgraded, None).await?,
            Err(ApiError::Busy { .. }) => {}
            Err(error) => return Err(error),
        }
    }
    auth::start_session(&session, &state, &user).await?;
    state.accounts.record_login(user.id).await?;
    state
        .audit
        .record(
            AuditEvent::new("login.success")
                .actor(Some(user.id))
                .subject("user", user.id)
                .ip(ip),
        )
        .await?;
    Ok(HttpResponse::Ok().json(AuthResponse {
        user: Me::from(&user),
    }))
}

/// Ends this session on the server. Always succeeds.
#[utoipa::path(tag = "auth", responses((status = 204, description = "Logged out")))]
#[post("/api/auth/logout")]
pub(crate) async fn logout(
    session: Session,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    auth::end_session(&session, &state).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// The logged-in person.
#[utoipa::path(tag = "auth", responses(
    (status = 200, body = Me),
    (status = 401, body = ErrorBody, description = "Not logged in"),
))]
#[get("/api/auth/me")]
pub(crate) async fn me(current: CurrentUser) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok()
        .insert_header(("Cache-Control", "no-store"))
        .json(Me::from(&current.user)))
}

/// Changes the caller's password and ends their other sessions.
#[utoipa::path(tag = "auth", request_body = ChangePasswordRequest, responses(
    (status = 204, description = "Changed; other sessions ended"),
    (status = 422, body = ErrorBody, description = "`wrong_password` or `validation_failed`"),
    (status = 503, body = ErrorBody, description = "`busy`: password hashing is at capacity; try again after `Retry-After`"),
))]
#[post("/api/auth/password")]
pub(crate) async fn change_password(
    request: HttpRequest,
    current: CurrentUser,
    state: web::Data<AppState>,
    body: web::Json<ChangePasswordRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    let mut errors = FieldErrors::default();
    validation::password(&body.new_password, "newPassword", &mut errors);
    errors.into_result()?;
    let id = current.user.id;
    let stored = state
        .accounts
        .password_hash(id)
        .await?
        .ok_or(ApiError::Unauthorized)?;
    if !verify_password(&state, body.current_password, stored).await? {
        return Err(ApiError::WrongPassword);
    }
    let hash = hash_password(&state, body.new_password).await?;
    let ip = client_ip(&request, state.security.trust_forwarded_for);
    state
        .accounts
        .set_password(
            id,
            hash,
            Some(
                AuditEvent::new("account.password_changed")
                    .actor(Some(id))
                    .subject("user", id)
                    .ip(ip),
            ),
        )
        .await?;
    state
        .sessions
        .revoke_all_except(&id.to_string(), Some(&current.sid))
        .await
        .map_err(throttle_unavailable)?;
    Ok(HttpResponse::NoContent().finish())
}

/// Sends a reset link when the address belongs to an account. Always 202, so nobody learns which addresses
/// have accounts.
#[utoipa::path(tag = "auth", request_body = PasswordResetRequest, responses(
    (status = 202, description = "If the address has an account, a mail is on its way"),
    (status = 422, body = ErrorBody, description = "Not an e-mail address"),
))]
#[post("/api/auth/password-reset")]
pub(crate) async fn request_password_reset(
    request: HttpRequest,
    state: web::Data<AppState>,
    body: web::Json<PasswordResetRequest>,
) -> Result<HttpResponse, ApiError> {
    let mut errors = FieldErrors::default();
    let email = validation::email(&body.email, "email", &mut errors);
    errors.into_result()?;
    if let Some(user) = state.accounts.user_by_email(&email).await? {
        if user.status != UserStatus::Deactivated {
            let token = auth::new_mail_token();
            let mail = mails::password_reset(
                &user.email,
                &user.first_name,
                &state.security.public_url,
                &token,
            );
            let ip = client_ip(&request, state.security.trust_forwarded_for);
            state
                .accounts
                .issue_token(
                    user.id,
                    NewToken {
                        hash: auth::token_hash(&token),
                        purpose: TokenPurpose::PasswordReset,
                        expires_at: Utc::now() + RESET_TOKEN_LIFETIME,
                    },
                    mail,
                    AuditEvent::new("account.password_reset_requested")
                        .subject("user", user.id)
                        .ip(ip),
                )
                .await?;
        }
    }
    Ok(HttpResponse::Accepted().finish())
}

/// Sets a new password with a reset or invitation token (single use) and ends every session of the account.
#[utoipa::path(tag = "auth", request_body = PasswordResetConfirmRequest, responses(
    (status = 204, description = "Password set"),
    (status = 400, body = ErrorBody, description = "`invalid_token`: unknown, used or expired"),
    (status = 422, body = ErrorBody, description = "`validation_failed`"),
    (status = 503, body = ErrorBody, description = "`busy`: password hashing is at capacity; try again after `Retry-After`"),
))]
#[post("/api/auth/password-reset/confirm")]
pub(crate) async fn confirm_password_reset(
    request: HttpRequest,
    state: web::Data<AppState>,
    body: web::Json<PasswordResetConfirmRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    let mut errors = FieldErrors::default();
    validation::password(&body.new_password, "newPassword", &mut errors);
    errors.into_result()?;
    let invalid = || ApiError::BadRequest {
        code: "invalid_token",
        message: "This link is not valid any more. Ask for a new one.".into(),
    };
    if body.token.is_empty() || body.token.len() > 200 {
        return Err(invalid());
    }
    let hash = hash_password(&state, body.new_password).await?;
    let ip = client_ip(&request, state.security.trust_forwarded_for);
    let user_id = state
        .accounts
        .redeem_token(&auth::token_hash(&body.token), hash, Utc::now(), ip)
        .await?
        .ok_or_else(invalid)?;
    state
        .sessions
        .revoke_all_except(&user_id.to_string(), None)
        .await
        .map_err(throttle_unavailable)?;
    Ok(HttpResponse::NoContent().finish())
}

//! `/api/admin/*`: accounts of staff and crew, session revocation, the outbox.

use std::collections::BTreeSet;

use actix_web::{get, patch, post, web, HttpRequest, HttpResponse};
use chrono::Utc;
use crewplots_domain::accounts::{
    AuditEvent, NewToken, NewUser, TokenPurpose, UserChange, UserFilter,
};
use crewplots_domain::policy::{self, Action, LocationScope, ManageDenied};
use crewplots_domain::validation::{self, FieldErrors};
use crewplots_domain::{mails, Role, UserStatus};
use uuid::Uuid;

use crate::auth::{self, client_ip, CurrentUser};
use crate::dto::{
    CreateUserRequest, ErrorBody, OutboxMail, OutboxPage, PageQuery, SettableStatus,
    UpdateUserRequest, UserListQuery, UserPage, UserSummary,
};
use crate::error::ApiError;
use crate::routes::{encode_cursor, page_request};
use crate::state::AppState;

pub(crate) const INVITATION_LIFETIME: chrono::Duration = chrono::Duration::days(7);

fn denied(reason: ManageDenied) -> ApiError {
    match reason {
        ManageDenied::Invisible => ApiError::NotFound,
        ManageDenied::NotAllowed | ManageDenied::OwnAccount => ApiError::Forbidden,
    }
}

/// De-duplicates location ids and checks that they exist.
async fn checked_locations(
    state: &AppState,
    ids: &[Uuid],
    errors: &mut FieldErrors,
) -> Result<Vec<Uuid>, ApiError> {
    let unique: Vec<Uuid> = ids
        .iter()
        .copied()
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    if unique.len() > 50 {
        errors.add("locationIds", "too_long");
        return Ok(unique);
    }
    let existing = state.locations.existing(&unique).await?;
    if existing.len() != unique.len() {
        errors.add("locationIds", "not_found");
    }
    Ok(unique)
}

/// Staff and crew accounts the caller may manage, newest first.
#[utoipa::path(tag = "admin", params(UserListQuery), responses(
    (status = 200, body = UserPage),
    (status = 403, body = ErrorBody),
))]
#[get("/api/admin/users")]
pub(crate) async fn list_users(
    current: CurrentUser,
    state: web::Data<AppState>,
    query: web::Query<UserListQuery>,
) -> Result<HttpResponse, ApiError> {
    let scope = policy::scope(&current.actor(), Action::ListUsers).ok_or(ApiError::Forbidden)?;
    let page = page_request(query.limit, query.cursor.as_deref())?;
    let filter = match scope {
        LocationScope::All => UserFilter {
            role: query.role.map(Into::into),
            query: query.q.clone(),
            ..UserFilter::default()
        },
        LocationScope::Only(ids) => UserFilter {
            locations: Some(ids),
            role: query.role.map(Into::into),
            query: query.q.clone(),
            exclude_administrators: true,
        },
    };
    let page = state.accounts.list_users(&filter, page).await?;
    Ok(HttpResponse::Ok().json(UserPage {
        items: page.items.iter().map(UserSummary::from).collect(),
        next_cursor: encode_cursor(page.next),
    }))
}

/// Creates a staff or crew account and mails an invitation to set a password.
#[utoipa::path(tag = "admin", request_body = CreateUserRequest, responses(
    (status = 201, body = UserSummary),
    (status = 403, body = ErrorBody),
    (status = 409, body = ErrorBody),
    (status = 422, body = ErrorBody),
))]
#[post("/api/admin/users")]
pub(crate) async fn create_user(
    request: HttpRequest,
    current: CurrentUser,
    state: web::Data<AppState>,
    body: web::Json<CreateUserRequest>,
) -> Result<HttpResponse, ApiError> {
    let actor = current.actor();
    if policy::scope(&actor, Action::ManageUsers).is_none() {
        return Err(ApiError::Forbidden);
    }
    let body = body.into_inner();
    let mut errors = FieldErrors::default();
    let first_name = validation::text(&body.first_name, 100, "firstName", &mut errors);
    let last_name = validation::text(&body.last_name, 100, "lastName", &mut errors);
    let email = validation::email(&body.email, "email", &mut errors);
    let username = validation::username(&body.username, "username", &mut errors);
    let role: Role = body.role.into();
    let locations = if policy::role_needs_locations(role) {
        let ids = checked_locations(&state, &body.location_ids, &mut errors).await?;
        if ids.is_empty() {
            errors.add("locationIds", "required");
        }
        ids
    } else {
        Vec::new()
    };
    if role == Role::Applicant {
        errors.add("role", "invalid_role");
    }
    policy::check_user_change(&actor, None, role, &locations, false).map_err(denied)?;
    errors.into_result()?;

    let id = Uuid::new_v4();
    let token = auth::new_mail_token();
    let mail = mails::invitation(
        &email,
        &first_name,
        &current.user.display_name(),
        &state.security.public_url,
        &token,
    );
    let ip = client_ip(&request, state.security.trust_forwarded_for);
    let user = state
        .accounts
        .create_user(
            NewUser {
                id,
                username,
                email,
                first_name,
                last_name,
                role,
                status: UserStatus::Invited,
                password_hash: None,
                location_ids: locations,
                signup_location_id: None,
                privacy_consent_version: None,
            },
            Some(NewToken {
                hash: auth::token_hash(&token),
                purpose: TokenPurpose::Invitation,
                expires_at: Utc::now() + INVITATION_LIFETIME,
            }),
            Some(mail),
            AuditEvent::new("user.created")
                .actor(Some(actor.id))
                .subject("user", id)
                .ip(ip)
                .detail("role", role.as_str()),
        )
        .await?;
    Ok(HttpResponse::Created().json(UserSummary::from(&user)))
}

/// Changes an account's role, status or locations.
#[utoipa::path(tag = "admin", params(("id" = Uuid, Path)), request_body = UpdateUserRequest, responses(
    (status = 200, body = UserSummary),
    (status = 403, body = ErrorBody),
    (status = 404, body = ErrorBody),
    (status = 422, body = ErrorBody),
))]
#[patch("/api/admin/users/{id}")]
pub(crate) async fn update_user(
    request: HttpRequest,
    current: CurrentUser,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
    body: web::Json<UpdateUserRequest>,
) -> Result<HttpResponse, ApiError> {
    let actor = current.actor();
    if policy::scope(&actor, Action::ManageUsers).is_none() {
        return Err(ApiError::Forbidden);
    }
    let target = state.accounts.user(*id).await?.ok_or(ApiError::NotFound)?;
    if !policy::can_see_user(&actor, &target.subject()) {
        return Err(ApiError::NotFound);
    }
    let body = body.into_inner();
    let mut errors = FieldErrors::default();
    let new_role: Role = body.role.map_or(target.role, Into::into);
    if new_role == Role::Applicant && target.role != Role::Applicant {
        errors.add("role", "invalid_role");
    }
    let new_locations = match &body.location_ids {
        Some(ids) => checked_locations(&state, ids, &mut errors).await?,
        None => target.location_ids(),
    };
    let new_locations = if policy::role_needs_locations(new_role) {
        if new_locations.is_empty() {
            errors.add("locationIds", "required");
        }
        new_locations
    } else {
        Vec::new()
    };
    let new_status = body.status.map(|s| match s {
        SettableStatus::Active => UserStatus::Active,
        SettableStatus::Deactivated => UserStatus::Deactivated,
    });
    let status_change = new_status.is_some_and(|s| s != target.status);
    if new_status == Some(UserStatus::Active) && target.status == UserStatus::Invited {
        errors.add("status", "not_allowed");
    }
    policy::check_user_change(
        &actor,
        Some(&target.subject()),
        new_role,
        &new_locations,
        status_change,
    )
    .map_err(denied)?;
    errors.into_result()?;

    let ip = client_ip(&request, state.security.trust_forwarded_for);
    let mut audit = AuditEvent::new("user.updated")
        .actor(Some(actor.id))
        .subject("user", target.id)
        .ip(ip);
    if new_role != target.role {
        audit = audit
            .detail("roleFrom", target.role.as_str())
            .detail("roleTo", new_role.as_str());
    }
    if let Some(status) = new_status.filter(|_| status_change) {
        audit = audit
            .detail("statusFrom", target.status.as_str())
            .detail("statusTo", status.as_str());
    }
    let locations_changed = {
        let mut before = target.location_ids();
        before.sort();
        let mut after = new_locations.clone();
        after.sort();
        before != after
    };
    if locations_changed {
        audit = audit.detail("locationsChanged", "true");
    }
    let updated = state
        .accounts
        .update_user(
            target.id,
            UserChange {
                role: (new_role != target.role).then_some(new_role),
                status: new_status.filter(|_| status_change),
                location_ids: locations_changed.then_some(new_locations),
            },
            audit,
        )
        .await?;
    if new_status == Some(UserStatus::Deactivated) {
        state
            .sessions
            .revoke_all_except(&target.id.to_string(), None)
            .await
            .map_err(|_| ApiError::ServiceUnavailable)?;
    }
    Ok(HttpResponse::Ok().json(UserSummary::from(&updated)))
}

/// Ends every session of an account at once.
#[utoipa::path(tag = "admin", params(("id" = Uuid, Path)), responses(
    (status = 204, description = "Sessions ended"),
    (status = 403, body = ErrorBody),
    (status = 404, body = ErrorBody),
))]
#[post("/api/admin/users/{id}/revoke-sessions")]
pub(crate) async fn revoke_sessions(
    request: HttpRequest,
    current: CurrentUser,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let actor = current.actor();
    if policy::scope(&actor, Action::ManageUsers).is_none() {
        return Err(ApiError::Forbidden);
    }
    let target = state.accounts.user(*id).await?.ok_or(ApiError::NotFound)?;
    let subject = target.subject();
    policy::check_user_change(
        &actor,
        Some(&subject),
        target.role,
        &subject.locations,
        false,
    )
    .map_err(denied)?;
    let ended = state
        .sessions
        .revoke_all_except(&target.id.to_string(), None)
        .await
        .map_err(|_| ApiError::ServiceUnavailable)?;
    let ip = client_ip(&request, state.security.trust_forwarded_for);
    state
        .audit
        .record(
            AuditEvent::new("user.sessions_revoked")
                .actor(Some(actor.id))
                .subject("user", target.id)
                .ip(ip)
                .detail("sessions", ended.to_string()),
        )
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Mails in the outbox, newest first (administrators). Tokens in links are redacted.
#[utoipa::path(tag = "admin", params(PageQuery), responses(
    (status = 200, body = OutboxPage),
    (status = 403, body = ErrorBody),
))]
#[get("/api/admin/outbox")]
pub(crate) async fn outbox(
    current: CurrentUser,
    state: web::Data<AppState>,
    query: web::Query<PageQuery>,
) -> Result<HttpResponse, ApiError> {
    policy::scope(&current.actor(), Action::ViewOutbox).ok_or(ApiError::Forbidden)?;
    let page = state
        .outbox
        .list(page_request(query.limit, query.cursor.as_deref())?)
        .await?;
    Ok(HttpResponse::Ok().json(OutboxPage {
        items: page.items.iter().map(OutboxMail::from).collect(),
        next_cursor: encode_cursor(page.next),
    }))
}

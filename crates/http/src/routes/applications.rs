//! Applications: applying and withdrawing (the applicant's portal), the staff board, the compiled detail,
//! status changes, hiring and motivation letters.
//!
//! Staff routes load the application and ask the domain's `application_access` with the caller's *current*
//! locations: an application at a venue the caller does not work at answers 404, as if it did not exist.
//! Crew members and applicants get 403 from every staff route whatever the id; an applicant's own view
//! (`/api/me/applications`) has no reasons, no notes and no interview outcomes.

use std::collections::HashMap;

use actix_web::{get, post, put, web, HttpResponse};
use chrono::Utc;
use crewplots_domain::accounts::{AuditEvent, NewToken, NewUser, TokenPurpose, User};
use crewplots_domain::hiring::{
    self as domain, Application, ApplicationSource, ApplicationStatus, ChangedBy, NewApplication,
    StatusUpdate,
};
use crewplots_domain::policy::{self, Action, ApplicationAccess, LocationScope};
use crewplots_domain::ports::StoreError;
use crewplots_domain::richtext::{self, RichTextError};
use crewplots_domain::validation::{self, FieldErrors};
use crewplots_domain::{mails, Role, UserStatus};
use uuid::Uuid;

use crate::auth::{self, ClientIp, CurrentUser};
use crate::dto::{
    ApplicantInterview, ApplicationDetail, ApplicationPermissions, ApplicationSummary,
    ApplyRequest, Board, BoardCard, BoardColumn, BoardQuery, BulkResult, BulkStatusRequest,
    BulkStatusResponse, DocumentInfo, ErrorBody, ErrorDetail, HireRequest, Letter, LetterRequest,
    LocationRef, ManualApplicationRequest, OtherApplication, StatusChange, StatusRequest,
    TimelineEntry,
};
use crate::error::ApiError;
use crate::routes::interviews::interview_dto;
use crate::routes::notes::compile_notes;
use crate::routes::people::compile_profile;
use crate::state::AppState;

pub(crate) use crewplots_domain::hiring::LETTER_BODY_KIND as LETTER_KIND;

/// The application and what the caller may do with it; 404 when the caller may not see it.
pub(crate) async fn staff_application(
    state: &AppState,
    current: &CurrentUser,
    id: Uuid,
) -> Result<(Application, ApplicationAccess), ApiError> {
    // Roles that never see applications are refused outright (the answer does not depend on the id);
    // staff get 404 for applications outside their locations.
    if !policy::allows(current.user.role, Action::ViewApplications) {
        return Err(ApiError::Forbidden);
    }
    let application = state
        .hiring
        .application(id)
        .await?
        .ok_or(ApiError::NotFound)?;
    let access = policy::application_access(&current.actor(), application.location.id);
    if access.visible {
        Ok((application, access))
    } else {
        Err(ApiError::NotFound)
    }
}

/// The application for staff who manage it (status, hire, interviews): 404 as in [`staff_application`],
/// 403 for those who may only look, 409 `status_conflict` when `expected` (the status the caller saw) is
/// not the current one.
pub(crate) async fn managed_application(
    state: &AppState,
    current: &CurrentUser,
    id: Uuid,
    expected: Option<crate::dto::ApplicationStatus>,
) -> Result<(Application, ApplicationAccess), ApiError> {
    let (application, access) = staff_application(state, current, id).await?;
    if !access.manage {
        return Err(ApiError::Forbidden);
    }
    if expected.is_some_and(|e| ApplicationStatus::from(e) != application.status) {
        return Err(status_conflict());
    }
    Ok((application, access))
}

/// The person an application belongs to.
pub(crate) async fn applicant_of(
    state: &AppState,
    application: &Application,
) -> Result<User, ApiError> {
    state
        .accounts
        .user(application.applicant_id)
        .await?
        .ok_or(ApiError::NotFound)
}

/// The caller's own application; 404 for anybody else's.
async fn own_application(
    state: &AppState,
    current: &CurrentUser,
    id: Uuid,
) -> Result<Application, ApiError> {
    match state.hiring.application(id).await? {
        Some(application) if application.applicant_id == current.user.id => Ok(application),
        _ => Err(ApiError::NotFound),
    }
}

/// 409 `invalid_transition`: `fields.allowed` lists the statuses the application could move to, plus any
/// `extra` fields.
fn invalid_transition(
    message: String,
    allowed: &[ApplicationStatus],
    extra: &[(&str, &str)],
) -> ApiError {
    let allowed: Vec<&str> = allowed.iter().map(|s| s.as_str()).collect();
    let mut fields: std::collections::BTreeMap<String, String> =
        [("allowed".to_string(), allowed.join(","))].into();
    fields.extend(
        extra
            .iter()
            .map(|(k, v)| ((*k).to_string(), (*v).to_string())),
    );
    ApiError::Refused {
        status: actix_web::http::StatusCode::CONFLICT,
        code: "invalid_transition",
        message,
        fields,
    }
}

fn transition_refused(refused: &domain::InvalidTransition) -> ApiError {
    let allowed: Vec<&str> = refused.allowed.iter().map(|s| s.as_str()).collect();
    let message = if allowed.is_empty() {
        format!(
            "An application that is {} cannot change any more.",
            refused.from.as_str()
        )
    } else if refused.to == ApplicationStatus::Hired {
        format!(
            "Use Hire to hire; from {} the status can move to: {}.",
            refused.from.as_str(),
            allowed.join(", ")
        )
    } else {
        format!(
            "An application cannot move from {} to {}; allowed: {}.",
            refused.from.as_str(),
            refused.to.as_str(),
            allowed.join(", ")
        )
    };
    invalid_transition(message, &refused.allowed, &[])
}

/// A target that is no status at all: refused like an illegal move, with the allowed targets.
fn unknown_status(from: ApplicationStatus, to: &str) -> ApiError {
    let allowed = domain::staff_transitions(from);
    let shown: String = to.chars().take(40).collect();
    let targets: Vec<&str> = allowed.iter().map(|s| s.as_str()).collect();
    invalid_transition(
        format!(
            "\"{shown}\" is not a status; from {} the application can move to: {}.",
            from.as_str(),
            if targets.is_empty() {
                "nothing (it is final)".to_string()
            } else {
                targets.join(", ")
            }
        ),
        allowed,
        &[],
    )
}

fn status_conflict() -> ApiError {
    ApiError::Conflict {
        code: "status_conflict",
        message: "Someone else changed this application first. Reload to see its current status."
            .into(),
    }
}

/// Maps a store conflict on the status to `status_conflict`.
fn on_status_conflict(error: StoreError) -> ApiError {
    match error {
        StoreError::Conflict("status") => status_conflict(),
        other => other.into(),
    }
}

fn rich_text_error(error: RichTextError, field: &str) -> ApiError {
    match error {
        RichTextError::TooLong => ApiError::TooLarge {
            message: format!(
                "The text is longer than {} characters.",
                richtext::MAX_CHARS
            ),
        },
        RichTextError::Empty => {
            let mut errors = FieldErrors::default();
            errors.add(field, "required");
            errors.into()
        }
    }
}

fn optional_text(
    value: Option<&str>,
    max: usize,
    field: &str,
    errors: &mut FieldErrors,
) -> Option<String> {
    value
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(|v| validation::text(v, max, field, errors))
}

/// A status mail for the applicant, when that status has one.
fn status_mail(
    state: &AppState,
    applicant: &User,
    application: &Application,
    to: ApplicationStatus,
) -> Option<crewplots_domain::accounts::NewMail> {
    mails::status_changed(
        &applicant.email,
        &applicant.first_name,
        &application.location.name,
        &application.position,
        to,
        &state.security.public_url,
    )
}

// ---- the applicant's side ------------------------------------------------------------------------------

pub(crate) async fn summaries(
    state: &AppState,
    applications: Vec<Application>,
) -> Result<Vec<ApplicationSummary>, ApiError> {
    let ids: Vec<Uuid> = applications.iter().map(|a| a.id).collect();
    let mut history: HashMap<Uuid, Vec<TimelineEntry>> = HashMap::new();
    for (application, change) in state.hiring.history(&ids).await? {
        history.entry(application).or_default().push(TimelineEntry {
            status: change.to.into(),
            at: change.at,
        });
    }
    let mut interviews: HashMap<Uuid, Vec<ApplicantInterview>> = HashMap::new();
    let timezones: HashMap<Uuid, String> = applications
        .iter()
        .map(|a| (a.id, a.location.timezone.clone()))
        .collect();
    for interview in state.hiring.interviews_of(&ids).await? {
        interviews
            .entry(interview.application_id)
            .or_default()
            .push(ApplicantInterview {
                id: interview.id,
                starts_at: interview.starts_at,
                ends_at: interview.ends_at,
                timezone: timezones
                    .get(&interview.application_id)
                    .cloned()
                    .unwrap_or_default(),
                place: interview.place,
                status: interview.status.into(),
            });
    }
    Ok(applications
        .into_iter()
        .map(|a| ApplicationSummary {
            id: a.id,
            location: LocationRef::from(&a.location),
            position: a.position.clone(),
            source: a.source.into(),
            status: a.status.into(),
            availability: a.availability.clone(),
            created_at: a.created_at,
            updated_at: a.updated_at,
            has_motivation_letter: a.letter_updated_at.is_some(),
            timeline: history.remove(&a.id).unwrap_or_default(),
            interviews: interviews.remove(&a.id).unwrap_or_default(),
            can_withdraw: a.status.is_open(),
        })
        .collect())
}

async fn summary(
    state: &AppState,
    application: Application,
) -> Result<ApplicationSummary, ApiError> {
    summaries(state, vec![application])
        .await?
        .pop()
        .ok_or(ApiError::NotFound)
}

/// The caller's own applications with their status timeline (no reasons, no internal notes).
#[utoipa::path(tag = "applications", responses(
    (status = 200, body = Vec<ApplicationSummary>),
    (status = 401, body = ErrorBody),
))]
#[get("/api/me/applications")]
pub(crate) async fn my_applications(
    current: CurrentUser,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let applications = state.hiring.applications_of(current.user.id).await?;
    Ok(HttpResponse::Ok().json(summaries(&state, applications).await?))
}

/// Applies at a venue: from a QR link (`locationCode`, source `qr`) or by choosing it (`locationId`, `web`).
#[utoipa::path(tag = "applications", request_body = ApplyRequest, responses(
    (status = 201, body = ApplicationSummary),
    (status = 403, body = ErrorBody, description = "Staff do not apply through the portal"),
    (status = 404, body = ErrorBody, description = "Unknown or archived location"),
    (status = 409, body = ErrorBody, description = "`already_applied`"),
    (status = 413, body = ErrorBody),
    (status = 422, body = ErrorBody),
    (status = 503, body = ErrorBody),
))]
#[post("/api/applications")]
pub(crate) async fn apply(
    current: CurrentUser,
    ip: ClientIp,
    state: web::Data<AppState>,
    body: web::Json<ApplyRequest>,
) -> Result<HttpResponse, ApiError> {
    if !matches!(current.user.role, Role::Applicant | Role::CrewMember) {
        return Err(ApiError::Forbidden);
    }
    let body = body.into_inner();
    let (location, source) = match (&body.location_code, body.location_id) {
        (Some(code), _) if code.len() <= 32 => {
            let found = if crate::routes::locations::could_be_application_code(code) {
                state.locations.by_code(code).await?
            } else {
                None
            };
            (found, ApplicationSource::Qr)
        }
        (None, Some(id)) => (state.locations.get(id).await?, ApplicationSource::Web),
        _ => {
            let mut errors = FieldErrors::default();
            errors.add("locationId", "required");
            return Err(errors.into());
        }
    };
    let location = location.filter(|l| l.active).ok_or(ApiError::NotFound)?;
    let mut errors = FieldErrors::default();
    let position = validation::text(&body.position, 100, "position", &mut errors);
    let availability = optional_text(
        body.availability.as_deref(),
        1000,
        "availability",
        &mut errors,
    );
    errors.into_result()?;
    let letter = match body
        .motivation_letter
        .as_deref()
        .map(str::trim)
        .filter(|l| !l.is_empty())
    {
        None => None,
        Some(html) => {
            Some(richtext::sanitize(html).map_err(|e| rich_text_error(e, "motivationLetter"))?)
        }
    };

    let id = Uuid::new_v4();
    // The sealed letter first: if MongoDB is down nothing is created; if PostgreSQL then fails the letter is
    // removed again.
    if let Some(letter) = &letter {
        state
            .bodies
            .save(id, current.user.id, LETTER_KIND, letter)
            .await
            .map_err(|_| ApiError::StoreUnavailable)?;
    }
    let mail = mails::application_received(
        &current.user.email,
        &current.user.first_name,
        &location.name,
        &position,
        &state.security.public_url,
    );
    let created = state
        .hiring
        .create_application(
            NewApplication {
                id,
                applicant_id: current.user.id,
                location_id: location.id,
                position,
                source,
                availability,
                created_by: current.user.id,
            },
            Some(mail),
            AuditEvent::new("application.created")
                .actor(Some(current.user.id))
                .subject("application", id)
                .ip(ip.0)
                .detail("source", source.as_str()),
        )
        .await;
    let created = match created {
        Ok(created) => created,
        Err(error) => {
            if letter.is_some() {
                if let Err(cleanup) = state.bodies.erase(id).await {
                    tracing::warn!(%cleanup, "could not remove the letter of a failed application");
                }
            }
            return Err(match error {
                StoreError::Conflict("application") => ApiError::Conflict {
                    code: "already_applied",
                    message: "You already have an open application at this location.".into(),
                },
                other => other.into(),
            });
        }
    };
    let created = if letter.is_some() {
        let at = state.hiring.letter_saved(id).await?;
        Application {
            letter_updated_at: Some(at),
            ..created
        }
    } else {
        created
    };
    Ok(HttpResponse::Created().json(summary(&state, created).await?))
}

/// Withdraws the caller's own open application.
#[utoipa::path(tag = "applications", params(("id" = Uuid, Path)), responses(
    (status = 200, body = ApplicationSummary),
    (status = 404, body = ErrorBody),
    (status = 409, body = ErrorBody, description = "`invalid_transition`"),
))]
#[post("/api/applications/{id}/withdraw")]
pub(crate) async fn withdraw(
    current: CurrentUser,
    ip: ClientIp,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let application = own_application(&state, &current, *id).await?;
    domain::check_transition(
        application.status,
        ApplicationStatus::Withdrawn,
        ChangedBy::Applicant,
    )
    .map_err(|e| transition_refused(&e))?;
    let changed = state
        .hiring
        .change_status(
            StatusUpdate {
                application_id: application.id,
                expected: application.status,
                to: ApplicationStatus::Withdrawn,
                actor_id: current.user.id,
                reason: None,
            },
            None,
            AuditEvent::new("application.status_changed")
                .actor(Some(current.user.id))
                .subject("application", application.id)
                .ip(ip.0)
                .detail("from", application.status.as_str())
                .detail("to", "withdrawn"),
        )
        .await
        .map_err(on_status_conflict)?;
    Ok(HttpResponse::Ok().json(summary(&state, changed).await?))
}

/// The motivation letter (the applicant's own, or for staff who can see the application).
#[utoipa::path(tag = "applications", params(("id" = Uuid, Path)), responses(
    (status = 200, body = Letter),
    (status = 404, body = ErrorBody),
    (status = 503, body = ErrorBody),
))]
#[get("/api/applications/{id}/letter")]
pub(crate) async fn get_letter(
    current: CurrentUser,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let application = state
        .hiring
        .application(*id)
        .await?
        .ok_or(ApiError::NotFound)?;
    let own = application.applicant_id == current.user.id;
    if !own && !policy::application_access(&current.actor(), application.location.id).visible {
        return Err(ApiError::NotFound);
    }
    let html = match application.letter_updated_at {
        None => String::new(),
        Some(_) => state
            .bodies
            .load(application.id, application.applicant_id, LETTER_KIND)
            .await
            .map_err(|_| ApiError::StoreUnavailable)?
            .unwrap_or_default(),
    };
    Ok(HttpResponse::Ok()
        .insert_header((actix_web::http::header::CACHE_CONTROL, "no-store"))
        .json(Letter {
            html,
            updated_at: application.letter_updated_at,
        }))
}

/// Saves the caller's motivation letter (sanitized; the editor autosaves through this).
#[utoipa::path(tag = "applications", params(("id" = Uuid, Path)), request_body = LetterRequest, responses(
    (status = 200, body = Letter),
    (status = 404, body = ErrorBody),
    (status = 409, body = ErrorBody, description = "`application_closed`"),
    (status = 413, body = ErrorBody),
    (status = 503, body = ErrorBody),
))]
#[put("/api/applications/{id}/letter")]
pub(crate) async fn put_letter(
    current: CurrentUser,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
    body: web::Json<LetterRequest>,
) -> Result<HttpResponse, ApiError> {
    let application = own_application(&state, &current, *id).await?;
    if !application.status.is_open() {
        return Err(ApiError::Conflict {
            code: "application_closed",
            message: "This application is closed; its letter can no longer change.".into(),
        });
    }
    let html = richtext::sanitize(&body.html).map_err(|e| rich_text_error(e, "html"))?;
    state
        .bodies
        .save(application.id, current.user.id, LETTER_KIND, &html)
        .await
        .map_err(|_| ApiError::StoreUnavailable)?;
    let at = state.hiring.letter_saved(application.id).await?;
    Ok(HttpResponse::Ok().json(Letter {
        html,
        updated_at: Some(at),
    }))
}

// ---- the staff side ------------------------------------------------------------------------------------

/// Adds an application for a walk-in: an invited applicant account and an application with source `manual`.
/// An e-mail address that already has an account is refused (409 `email_taken`).
#[utoipa::path(tag = "applications", request_body = ManualApplicationRequest, responses(
    (status = 201, body = ApplicationDetail),
    (status = 403, body = ErrorBody),
    (status = 404, body = ErrorBody),
    (status = 409, body = ErrorBody, description = "`email_taken`: the person has an account and applies themselves"),
    (status = 422, body = ErrorBody),
    (status = 503, body = ErrorBody),
))]
#[post("/api/applications/manual")]
pub(crate) async fn add_manual(
    current: CurrentUser,
    ip: ClientIp,
    state: web::Data<AppState>,
    body: web::Json<ManualApplicationRequest>,
) -> Result<HttpResponse, ApiError> {
    let actor = current.actor();
    if policy::scope(&actor, Action::ManageApplications).is_none() {
        return Err(ApiError::Forbidden);
    }
    let location = state
        .locations
        .get(body.location_id)
        .await?
        .filter(|l| l.active && policy::allows_at(&actor, Action::ManageApplications, l.id))
        .ok_or(ApiError::NotFound)?;
    let body = body.into_inner();
    let mut errors = FieldErrors::default();
    let first_name = validation::text(&body.first_name, 100, "firstName", &mut errors);
    let last_name = validation::text(&body.last_name, 100, "lastName", &mut errors);
    let email = validation::email(&body.email, "email", &mut errors);
    let phone = body
        .phone
        .as_deref()
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| validation::phone(p, "phone", &mut errors));
    let position = validation::text(&body.position, 100, "position", &mut errors);
    let availability = optional_text(
        body.availability.as_deref(),
        1000,
        "availability",
        &mut errors,
    );
    errors.into_result()?;

    // An existing account is never attached to this venue from here: an application makes its profile and
    // documents visible to the venue's managers, so only the person may create it (through the venue's link).
    let applicant = match state.accounts.user_by_email(&email).await? {
        Some(_) => {
            return Err(ApiError::Conflict {
                code: "email_taken",
                message:
                    "This person already has an account; ask them to apply through the venue's \
                          link or QR code."
                        .into(),
            })
        }
        None => {
            let id = Uuid::new_v4();
            // The phone number is sensitive: sealed in MongoDB before the account exists, so an outage
            // leaves nothing behind.
            if let Some(phone) = &phone {
                let profile = crewplots_domain::accounts::SensitiveProfile {
                    phone: Some(phone.clone()),
                    ..Default::default()
                };
                state
                    .profiles
                    .save(id, &profile)
                    .await
                    .map_err(|_| ApiError::StoreUnavailable)?;
            }
            let token = auth::new_mail_token();
            let mail = mails::invitation(
                &email,
                &first_name,
                &format!("{} of {}", current.user.display_name(), location.name),
                &state.security.public_url,
                &token,
            );
            let username = walk_in_username(&email);
            state
                .accounts
                .create_user(
                    NewUser {
                        id,
                        username,
                        email: email.clone(),
                        first_name,
                        last_name,
                        role: Role::Applicant,
                        status: UserStatus::Invited,
                        password_hash: None,
                        location_ids: Vec::new(),
                        signup_location_id: Some(location.id),
                        privacy_consent_version: None,
                    },
                    Some(NewToken {
                        hash: auth::token_hash(&token),
                        purpose: TokenPurpose::Invitation,
                        expires_at: Utc::now() + crate::routes::admin::INVITATION_LIFETIME,
                    }),
                    Some(mail),
                    AuditEvent::new("user.created")
                        .actor(Some(current.user.id))
                        .subject("user", id)
                        .ip(ip.0)
                        .detail("role", "applicant"),
                )
                .await?
        }
    };
    let id = Uuid::new_v4();
    let mail = mails::application_received(
        &applicant.email,
        &applicant.first_name,
        &location.name,
        &position,
        &state.security.public_url,
    );
    let created = state
        .hiring
        .create_application(
            NewApplication {
                id,
                applicant_id: applicant.id,
                location_id: location.id,
                position,
                source: ApplicationSource::Manual,
                availability,
                created_by: current.user.id,
            },
            Some(mail),
            AuditEvent::new("application.created")
                .actor(Some(current.user.id))
                .subject("application", id)
                .ip(ip.0)
                .detail("source", "manual"),
        )
        .await
        .map_err(|error| match error {
            StoreError::Conflict("application") => ApiError::Conflict {
                code: "already_applied",
                message: "This person already has an open application at this location.".into(),
            },
            other => other.into(),
        })?;
    let access = policy::application_access(&actor, created.location.id);
    Ok(HttpResponse::Created().json(detail(&state, &current, created, access).await?))
}

/// A username for a walk-in's account: the e-mail's local part, cleaned, with a random suffix.
fn walk_in_username(email: &str) -> String {
    let local: String = email
        .split('@')
        .next()
        .unwrap_or_default()
        .to_lowercase()
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
        .take(20)
        .collect();
    let suffix = &Uuid::new_v4().simple().to_string()[..6];
    if local.len() < 3 {
        format!("applicant-{suffix}")
    } else {
        format!("{local}-{suffix}")
    }
}

/// The board: every status column with its total and newest cards, compiled in a fixed number of queries.
#[utoipa::path(tag = "applications", params(BoardQuery), responses(
    (status = 200, body = Board),
    (status = 403, body = ErrorBody),
    (status = 404, body = ErrorBody, description = "A location the caller does not work at"),
))]
#[get("/api/applications/board")]
pub(crate) async fn board(
    current: CurrentUser,
    state: web::Data<AppState>,
    query: web::Query<BoardQuery>,
) -> Result<HttpResponse, ApiError> {
    let actor = current.actor();
    let scope = policy::scope(&actor, Action::ViewApplications).ok_or(ApiError::Forbidden)?;
    let locations = match (query.location, scope) {
        (Some(location), LocationScope::All) => Some(vec![location]),
        (Some(location), LocationScope::Only(ids)) if ids.contains(&location) => {
            Some(vec![location])
        }
        (Some(_), LocationScope::Only(_)) => return Err(ApiError::NotFound),
        (None, LocationScope::All) => None,
        (None, LocationScope::Only(ids)) => Some(ids),
    };
    let text = query
        .q
        .as_deref()
        .map(str::trim)
        .filter(|q| !q.is_empty())
        .map(|q| q.chars().take(100).collect());
    let filter = domain::BoardFilter {
        locations,
        position: query.position.clone().filter(|p| !p.is_empty()),
        source: query.source.map(Into::into),
        text,
        cards_per_column: query.per_column.unwrap_or(50).clamp(1, 200),
    };
    let compiled = state.hiring.board(&filter, (actor.id, actor.role)).await?;
    let now = Utc::now();
    let columns: Vec<BoardColumn> = compiled
        .columns
        .into_iter()
        .map(|(status, count, cards)| BoardColumn {
            status: status.into(),
            count,
            cards: cards
                .into_iter()
                .map(|c| BoardCard {
                    id: c.id,
                    applicant_id: c.applicant_id,
                    name: c.name,
                    position: c.position,
                    source: c.source.into(),
                    status: c.status.into(),
                    location: LocationRef::from(&c.location),
                    applied_at: c.applied_at,
                    days_since_applied: (now - c.applied_at).num_days().max(0),
                    notes_count: c.notes_count,
                    documents_count: c.documents_count,
                    documents_pending: c.documents_pending,
                    documents_rejected: c.documents_rejected,
                    next_interview: c.next_interview,
                })
                .collect(),
        })
        .collect();
    Ok(HttpResponse::Ok()
        .insert_header((actix_web::http::header::CACHE_CONTROL, "no-store"))
        .json(Board {
            total: columns.iter().map(|c| c.count).sum(),
            columns,
            positions: compiled.positions,
        }))
}

/// Compiles the staff view of one application.
pub(crate) async fn detail(
    state: &AppState,
    current: &CurrentUser,
    application: Application,
    access: ApplicationAccess,
) -> Result<ApplicationDetail, ApiError> {
    let actor = current.actor();
    let applicant = applicant_of(state, &application).await?;
    let person = policy::person_access(&actor, &applicant.subject());
    let profile = compile_profile(state, &applicant, person).await;
    let documents = if person.documents {
        state
            .documents
            .list_for_owner(applicant.id)
            .await?
            .iter()
            .map(|d| DocumentInfo::new(d, person.review_documents))
            .collect()
    } else {
        Vec::new()
    };
    let notes = compile_notes(state, current, &applicant, person.visible).await?;
    let history = state
        .hiring
        .history(&[application.id])
        .await?
        .iter()
        .map(|(_, change)| StatusChange::from(change))
        .collect();
    let interviews = state
        .hiring
        .interviews_of(&[application.id])
        .await?
        .iter()
        .map(|i| interview_dto(i, &application.location.timezone))
        .collect();
    let other_applications = state
        .hiring
        .applications_of(applicant.id)
        .await?
        .into_iter()
        .filter(|a| {
            a.id != application.id && policy::application_access(&actor, a.location.id).visible
        })
        .map(|a| OtherApplication {
            id: a.id,
            location: LocationRef::from(&a.location),
            status: a.status.into(),
        })
        .collect();
    let allowed_transitions = if access.manage {
        domain::staff_transitions(application.status)
            .iter()
            .map(|s| (*s).into())
            .collect()
    } else {
        Vec::new()
    };
    Ok(ApplicationDetail {
        id: application.id,
        status: application.status.into(),
        position: application.position.clone(),
        source: application.source.into(),
        availability: application.availability.clone(),
        created_at: application.created_at,
        updated_at: application.updated_at,
        location: LocationRef::from(&application.location),
        applicant: profile,
        has_motivation_letter: application.letter_updated_at.is_some(),
        documents,
        notes,
        history,
        interviews,
        other_applications,
        permissions: ApplicationPermissions {
            change_status: access.manage
                && !domain::staff_transitions(application.status).is_empty(),
            allowed_transitions,
            hire: access.manage && domain::can_hire_from(application.status),
            schedule_interview: access.manage && application.status.is_open(),
            add_note: access.comment,
            review_documents: person.review_documents,
        },
    })
}

/// One application compiled for staff: applicant, profile (as far as the caller may see it), documents,
/// notes, status history, interviews, other applications and what the caller may do.
#[utoipa::path(tag = "applications", params(("id" = Uuid, Path)), responses(
    (status = 200, body = ApplicationDetail),
    (status = 404, body = ErrorBody),
))]
#[get("/api/applications/{id}")]
pub(crate) async fn get_detail(
    current: CurrentUser,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let (application, access) = staff_application(&state, &current, *id).await?;
    Ok(HttpResponse::Ok()
        .insert_header((actix_web::http::header::CACHE_CONTROL, "no-store"))
        .json(detail(&state, &current, application, access).await?))
}

/// Applies one staff status change (checks, mail, audit); shared by the single and the bulk route.
async fn change_status(
    state: &AppState,
    current: &CurrentUser,
    ip: ClientIp,
    id: Uuid,
    request: &StatusRequest,
) -> Result<(Application, ApplicationAccess), ApiError> {
    let (application, access) =
        managed_application(state, current, id, request.expected_status).await?;
    let Some(to) = ApplicationStatus::parse(request.to.trim()) else {
        return Err(unknown_status(application.status, &request.to));
    };
    domain::check_transition(application.status, to, ChangedBy::Staff)
        .map_err(|e| transition_refused(&e))?;
    let mut errors = FieldErrors::default();
    let reason = optional_text(request.reason.as_deref(), 1000, "reason", &mut errors);
    if to == ApplicationStatus::Rejected && reason.is_none() {
        errors.add("reason", "required");
    }
    errors.into_result()?;
    let mail = if request.notify_applicant.unwrap_or(true) {
        match state.accounts.user(application.applicant_id).await? {
            Some(applicant) => status_mail(state, &applicant, &application, to),
            None => None,
        }
    } else {
        None
    };
    let changed = state
        .hiring
        .change_status(
            StatusUpdate {
                application_id: application.id,
                expected: application.status,
                to,
                actor_id: current.user.id,
                reason,
            },
            mail,
            AuditEvent::new("application.status_changed")
                .actor(Some(current.user.id))
                .subject("application", application.id)
                .ip(ip.0)
                .detail("from", application.status.as_str())
                .detail("to", to.as_str()),
        )
        .await
        .map_err(on_status_conflict)?;
    Ok((changed, access))
}

/// Moves an application to another status (reason required for `rejected`).
#[utoipa::path(tag = "applications", params(("id" = Uuid, Path)), request_body = StatusRequest, responses(
    (status = 200, body = ApplicationDetail),
    (status = 403, body = ErrorBody),
    (status = 404, body = ErrorBody),
    (status = 409, body = ErrorBody, description = "`invalid_transition` (fields.allowed) or `status_conflict`"),
    (status = 422, body = ErrorBody),
))]
#[post("/api/applications/{id}/status")]
pub(crate) async fn set_status(
    current: CurrentUser,
    ip: ClientIp,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
    body: web::Json<StatusRequest>,
) -> Result<HttpResponse, ApiError> {
    let (changed, access) = change_status(&state, &current, ip, *id, &body).await?;
    Ok(HttpResponse::Ok().json(detail(&state, &current, changed, access).await?))
}

/// Changes the status of several cards; each card in its own transaction, each with its own result.
#[utoipa::path(tag = "applications", request_body = BulkStatusRequest, responses(
    (status = 200, body = BulkStatusResponse),
    (status = 403, body = ErrorBody),
    (status = 422, body = ErrorBody),
))]
#[post("/api/applications/bulk-status")]
pub(crate) async fn bulk_status(
    current: CurrentUser,
    ip: ClientIp,
    state: web::Data<AppState>,
    body: web::Json<BulkStatusRequest>,
) -> Result<HttpResponse, ApiError> {
    if policy::scope(&current.actor(), Action::ManageApplications).is_none() {
        return Err(ApiError::Forbidden);
    }
    let body = body.into_inner();
    if body.ids.is_empty() || body.ids.len() > 200 {
        let mut errors = FieldErrors::default();
        errors.add(
            "ids",
            if body.ids.is_empty() {
                "required"
            } else {
                "too_long"
            },
        );
        return Err(errors.into());
    }
    let request = StatusRequest {
        to: body.to,
        reason: body.reason,
        expected_status: None,
        notify_applicant: Some(true),
    };
    let mut results = Vec::with_capacity(body.ids.len());
    for id in body.ids {
        let outcome = change_status(&state, &current, ip, id, &request).await;
        results.push(match outcome {
            Ok(_) => BulkResult {
                id,
                ok: true,
                error: None,
            },
            Err(error @ (ApiError::ServiceUnavailable | ApiError::Internal(_))) => {
                return Err(error)
            }
            Err(error) => BulkResult {
                id,
                ok: false,
                error: Some(ErrorDetail {
                    code: error.code().to_string(),
                    message: error.message().to_string(),
                    fields: error.fields().cloned(),
                    reasons: None,
                }),
            },
        });
    }
    Ok(HttpResponse::Ok().json(BulkStatusResponse { results }))
}

/// Hires: in one transaction the application becomes `hired`, the person `crew_member`, and they are
/// assigned to the venue with position, hours and start date.
#[utoipa::path(tag = "applications", params(("id" = Uuid, Path)), request_body = HireRequest, responses(
    (status = 200, body = ApplicationDetail),
    (status = 403, body = ErrorBody),
    (status = 404, body = ErrorBody),
    (status = 409, body = ErrorBody, description = "`invalid_transition` or `status_conflict`"),
    (status = 422, body = ErrorBody),
))]
#[post("/api/applications/{id}/hire")]
pub(crate) async fn hire(
    current: CurrentUser,
    ip: ClientIp,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
    body: web::Json<HireRequest>,
) -> Result<HttpResponse, ApiError> {
    let (application, access) =
        managed_application(&state, &current, *id, body.expected_status).await?;
    if !domain::can_hire_from(application.status) {
        return Err(invalid_transition(
            format!(
                "Only short-listed applications can be hired; this one is {}.",
                application.status.as_str()
            ),
            domain::staff_transitions(application.status),
            &[("hireFrom", ApplicationStatus::ShortListed.as_str())],
        ));
    }
    let mut errors = FieldErrors::default();
    let position = validation::text(&body.position, 100, "position", &mut errors);
    if let Some(hours) = body.contracted_hours {
        if !(0.0..=80.0).contains(&hours) || !hours.is_finite() {
            errors.add("contractedHours", "out_of_range");
        }
    }
    errors.into_result()?;
    let applicant = applicant_of(&state, &application).await?;
    let mail = status_mail(&state, &applicant, &application, ApplicationStatus::Hired);
    let hired = state
        .hiring
        .hire(
            StatusUpdate {
                application_id: application.id,
                expected: application.status,
                to: ApplicationStatus::Hired,
                actor_id: current.user.id,
                reason: None,
            },
            domain::Hire {
                position,
                contracted_hours: body.contracted_hours,
                start_date: body.start_date,
            },
            mail,
            AuditEvent::new("application.hired")
                .actor(Some(current.user.id))
                .subject("application", application.id)
                .ip(ip.0)
                .detail("from", application.status.as_str())
                .detail("person", applicant.id.to_string()),
        )
        .await
        .map_err(on_status_conflict)?;
    Ok(HttpResponse::Ok().json(detail(&state, &current, hired, access).await?))
}

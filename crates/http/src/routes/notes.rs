//! Internal notes about a person, written by staff (SPEC §4.4).
//!
//! Applicants and crew members never see notes: every route refuses them before anything is loaded, and no
//! response of theirs carries a note or a count of notes. Bodies are sanitized rich text sealed in MongoDB
//! under the note's id and bound to the person they are about; metadata lives in PostgreSQL. A note is
//! created body-first (MongoDB down → 503 and nothing written; PostgreSQL failing afterwards → the body is
//! removed again).

use actix_web::{delete, get, patch, post, web, HttpResponse};
use chrono::Utc;
use crewplots_domain::accounts::{AuditEvent, User};
use crewplots_domain::hiring::{self as domain, NoteAccess, NOTE_ROLES};
use crewplots_domain::policy::{self, Action};
use crewplots_domain::richtext::{self, RichTextError};
use crewplots_domain::validation::FieldErrors;
use crewplots_domain::Role;
use uuid::Uuid;

use crate::auth::{ClientIp, CurrentUser};
use crate::dto::{BodyStatus, ErrorBody, NewNoteRequest, Note, UpdateNoteRequest};
use crate::error::ApiError;
use crate::routes::people::person;
use crate::state::AppState;

use crewplots_domain::hiring::NOTE_BODY_KIND as NOTE_KIND;

fn access(current: &CurrentUser, note: &domain::Note) -> NoteAccess {
    // The caller's visibility of the subject was checked by the route (`person`), hence `true`.
    domain::note_access(current.user.id, current.user.role, true, note)
}

async fn note_dto(state: &AppState, note: &domain::Note, access: NoteAccess) -> Note {
    let (html, body_status) = match state.bodies.load(note.id, note.subject_id, NOTE_KIND).await {
        Ok(body) => (body.unwrap_or_default(), BodyStatus::Ok),
        Err(error) => {
            tracing::warn!(%error, "note body unavailable");
            (String::new(), BodyStatus::Unavailable)
        }
    };
    Note {
        id: note.id,
        subject_id: note.subject_id,
        application_id: note.application_id,
        workflow: note.workflow.into(),
        priority: note.priority.into(),
        visible_roles: note.visible_roles.iter().map(|r| (*r).into()).collect(),
        html,
        body_status,
        created_at: note.created_at,
        updated_at: note.updated_at,
        author: note.author.as_ref().map(Into::into),
        can_edit: access.edit,
        can_delete: access.delete,
    }
}

/// The notes about `subject` the caller may read, compiled (empty for anybody who may not read notes).
pub(crate) async fn compile_notes(
    state: &AppState,
    current: &CurrentUser,
    subject: &User,
    sees_subject: bool,
) -> Result<Vec<Note>, ApiError> {
    if !sees_subject || !policy::allows(current.user.role, Action::WriteNotes) {
        return Ok(Vec::new());
    }
    let mut compiled = Vec::new();
    for note in state.notes.notes_about(subject.id).await? {
        let access = domain::note_access(current.user.id, current.user.role, true, &note);
        if access.view {
            compiled.push(note_dto(state, &note, access).await);
        }
    }
    Ok(compiled)
}

/// The subject of a notes route: 404 if invisible, 403 for roles that never read notes.
async fn subject(state: &AppState, current: &CurrentUser, id: Uuid) -> Result<User, ApiError> {
    let (user, _) = person(state, current, id).await?;
    if !policy::allows(current.user.role, Action::WriteNotes) {
        return Err(ApiError::Forbidden);
    }
    Ok(user)
}

fn body(html: &str) -> Result<String, ApiError> {
    richtext::sanitize(html).map_err(|error| match error {
        RichTextError::TooLong => ApiError::TooLarge {
            message: format!(
                "A note can hold at most {} characters.",
                richtext::MAX_CHARS
            ),
        },
        RichTextError::Empty => {
            let mut errors = FieldErrors::default();
            errors.add("html", "required");
            errors.into()
        }
    })
}

fn visible_roles(requested: Option<Vec<crate::dto::Role>>) -> Result<Vec<Role>, ApiError> {
    let Some(requested) = requested else {
        return Ok(NOTE_ROLES.to_vec());
    };
    let mut roles: Vec<Role> = requested.into_iter().map(Into::into).collect();
    if roles.iter().any(|r| !NOTE_ROLES.contains(r)) {
        let mut errors = FieldErrors::default();
        errors.add("visibleRoles", "invalid_role");
        return Err(errors.into());
    }
    roles.sort();
    roles.dedup();
    Ok(roles)
}

/// Notes about a person that the caller may read, newest first.
#[utoipa::path(tag = "notes", params(("id" = Uuid, Path)), responses(
    (status = 200, body = Vec<Note>),
    (status = 403, body = ErrorBody),
    (status = 404, body = ErrorBody),
))]
#[get("/api/people/{id}/notes")]
pub(crate) async fn list(
    current: CurrentUser,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let user = subject(&state, &current, *id).await?;
    Ok(HttpResponse::Ok()
        .insert_header((actix_web::http::header::CACHE_CONTROL, "no-store"))
        .json(compile_notes(&state, &current, &user, true).await?))
}

/// Writes a note about a person (not about oneself).
#[utoipa::path(tag = "notes", params(("id" = Uuid, Path)), request_body = NewNoteRequest, responses(
    (status = 201, body = Note),
    (status = 403, body = ErrorBody),
    (status = 404, body = ErrorBody),
    (status = 413, body = ErrorBody, description = "More than 20 000 characters"),
    (status = 422, body = ErrorBody),
    (status = 503, body = ErrorBody, description = "`store_unavailable`: nothing was written"),
))]
#[post("/api/people/{id}/notes")]
pub(crate) async fn create(
    current: CurrentUser,
    ip: ClientIp,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
    request: web::Json<NewNoteRequest>,
) -> Result<HttpResponse, ApiError> {
    let user = subject(&state, &current, *id).await?;
    let request = request.into_inner();
    if user.id == current.user.id {
        let mut errors = FieldErrors::default();
        errors.add("subject", "own_account");
        return Err(errors.into());
    }
    let html = body(&request.html)?;
    let roles = visible_roles(request.visible_roles)?;
    if let Some(application) = request.application_id {
        let belongs = state
            .hiring
            .application(application)
            .await?
            .is_some_and(|a| a.applicant_id == user.id);
        if !belongs {
            let mut errors = FieldErrors::default();
            errors.add("applicationId", "not_found");
            return Err(errors.into());
        }
    }
    let note_id = Uuid::new_v4();
    state
        .bodies
        .save(note_id, user.id, NOTE_KIND, &html)
        .await
        .map_err(|_| ApiError::StoreUnavailable)?;
    let now = Utc::now();
    let workflow = request.workflow.map_or(
        if request.application_id.is_some() {
            domain::NoteWorkflow::Application
        } else {
            domain::NoteWorkflow::General
        },
        Into::into,
    );
    let note = domain::Note {
        id: note_id,
        subject_id: user.id,
        author: Some(domain::PersonRef {
            id: current.user.id,
            name: current.user.display_name(),
            role: current.user.role,
        }),
        application_id: request.application_id,
        workflow,
        priority: request
            .priority
            .map_or(domain::NotePriority::Normal, Into::into),
        visible_roles: roles,
        created_at: now,
        updated_at: now,
    };
    let audit = AuditEvent::new("note.created")
        .actor(Some(current.user.id))
        .subject("note", note_id)
        .ip(ip.0)
        .detail("person", user.id.to_string());
    let stored = match state.notes.insert_note(note, audit).await {
        Ok(stored) => stored,
        Err(error) => {
            if let Err(cleanup) = state.bodies.erase(note_id).await {
                tracing::warn!(%cleanup, "could not remove the body of a failed note");
            }
            return Err(error.into());
        }
    };
    let access = access(&current, &stored);
    Ok(HttpResponse::Created().json(note_dto(&state, &stored, access).await))
}

/// The note and its subject, if the caller may see both; 404 otherwise.
async fn visible_note(
    state: &AppState,
    current: &CurrentUser,
    id: Uuid,
) -> Result<(domain::Note, NoteAccess), ApiError> {
    let note = state.notes.note(id).await?.ok_or(ApiError::NotFound)?;
    subject(state, current, note.subject_id).await?;
    let access = access(current, &note);
    if !access.view {
        return Err(ApiError::NotFound);
    }
    Ok((note, access))
}

/// Changes a note's text, priority, workflow or visibility (its author, managers and administrators).
#[utoipa::path(tag = "notes", params(("id" = Uuid, Path)), request_body = UpdateNoteRequest, responses(
    (status = 200, body = Note),
    (status = 403, body = ErrorBody),
    (status = 404, body = ErrorBody),
    (status = 413, body = ErrorBody),
    (status = 422, body = ErrorBody),
    (status = 503, body = ErrorBody),
))]
#[patch("/api/notes/{id}")]
pub(crate) async fn update(
    current: CurrentUser,
    ip: ClientIp,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
    request: web::Json<UpdateNoteRequest>,
) -> Result<HttpResponse, ApiError> {
    let (note, access) = visible_note(&state, &current, *id).await?;
    if !access.edit {
        return Err(ApiError::Forbidden);
    }
    let request = request.into_inner();
    let html = request.html.as_deref().map(body).transpose()?;
    let roles = match request.visible_roles {
        None => note.visible_roles.clone(),
        some => visible_roles(some)?,
    };
    if let Some(html) = &html {
        state
            .bodies
            .save(note.id, note.subject_id, NOTE_KIND, html)
            .await
            .map_err(|_| ApiError::StoreUnavailable)?;
    }
    let updated = state
        .notes
        .update_note(
            note.id,
            request.workflow.map_or(note.workflow, Into::into),
            request.priority.map_or(note.priority, Into::into),
            roles,
            AuditEvent::new("note.updated")
                .actor(Some(current.user.id))
                .subject("note", note.id)
                .ip(ip.0),
        )
        .await?;
    let access = self::access(&current, &updated);
    Ok(HttpResponse::Ok().json(note_dto(&state, &updated, access).await))
}

/// Deletes a note (its author and administrators).
#[utoipa::path(tag = "notes", params(("id" = Uuid, Path)), responses(
    (status = 204),
    (status = 403, body = ErrorBody),
    (status = 404, body = ErrorBody),
    (status = 503, body = ErrorBody),
))]
#[delete("/api/notes/{id}")]
pub(crate) async fn remove(
    current: CurrentUser,
    ip: ClientIp,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let (note, access) = visible_note(&state, &current, *id).await?;
    if !access.delete {
        return Err(ApiError::Forbidden);
    }
    // Content first: if MongoDB is down the note stays whole.
    state
        .bodies
        .erase(note.id)
        .await
        .map_err(|_| ApiError::StoreUnavailable)?;
    state
        .notes
        .delete_note(
            note.id,
            AuditEvent::new("note.deleted")
                .actor(Some(current.user.id))
                .subject("note", note.id)
                .ip(ip.0),
        )
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

//! JSON shapes of hiring: applications, the board, notes and interviews.

use chrono::{DateTime, NaiveDate, Utc};
use crewplots_domain::hiring as domain;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::{DocumentInfo, ErrorDetail, LocationRef, PersonProfile, Role};

mirror!(
    /// Where an application is in the pipeline.
    ApplicationStatus = domain::ApplicationStatus {
        New, Contacted, Interviewed, ShortListed, Hired, Rejected, Withdrawn
    }
);
mirror!(
    /// How an application reached the venue.
    ApplicationSource = domain::ApplicationSource { Qr, Web, Manual }
);
mirror!(
    NoteWorkflow = domain::NoteWorkflow {
        Application,
        Crew,
        Scheduling,
        General
    }
);
mirror!(
    NotePriority = domain::NotePriority {
        Low,
        Normal,
        High,
        Urgent
    }
);
mirror!(
    InterviewStatus = domain::InterviewStatus {
        Scheduled,
        Cancelled,
        Completed
    }
);
mirror!(
    InterviewOutcome = domain::InterviewOutcome {
        Passed,
        Failed,
        NoShow
    }
);

/// Somebody named next to a change, a note or an interview.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PersonName {
    pub id: Uuid,
    pub name: String,
    pub role: Role,
}

impl From<&domain::PersonRef> for PersonName {
    fn from(p: &domain::PersonRef) -> Self {
        Self {
            id: p.id,
            name: p.name.clone(),
            role: p.role.into(),
        }
    }
}

/// A status the applicant's application reached, without who or why.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct TimelineEntry {
    pub status: ApplicationStatus,
    pub at: DateTime<Utc>,
}

/// An interview as the applicant sees it: when and where, not how it went.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ApplicantInterview {
    pub id: Uuid,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub timezone: String,
    pub place: String,
    pub status: InterviewStatus,
}

/// The applicant's own view of an application: no reasons, no notes, no outcome.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ApplicationSummary {
    pub id: Uuid,
    pub location: LocationRef,
    pub position: String,
    pub source: ApplicationSource,
    pub status: ApplicationStatus,
    pub availability: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub has_motivation_letter: bool,
    pub timeline: Vec<TimelineEntry>,
    pub interviews: Vec<ApplicantInterview>,
    pub can_withdraw: bool,
}

/// An applicant applies (from a QR link with `locationCode`, or choosing `locationId`).
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ApplyRequest {
    pub location_code: Option<String>,
    pub location_id: Option<Uuid>,
    #[schema(
        min_length = 1,
        max_length = 100,
        pattern = r"^[^\x00-\x1f\x7f-\x9f]+$"
    )]
    pub position: String,
    pub availability: Option<String>,
    /// Rich text, sanitized on the server.
    pub motivation_letter: Option<String>,
}

/// A manager adds an application for a walk-in.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ManualApplicationRequest {
    pub location_id: Uuid,
    #[schema(
        min_length = 1,
        max_length = 100,
        pattern = r"^[^\x00-\x1f\x7f-\x9f]+$"
    )]
    pub first_name: String,
    #[schema(
        min_length = 1,
        max_length = 100,
        pattern = r"^[^\x00-\x1f\x7f-\x9f]+$"
    )]
    pub last_name: String,
    #[schema(
        max_length = 254,
        pattern = r"^[^\s@\x00-\x1f\x7f-\x9f]{1,64}@[^\s@.\x00-\x1f\x7f-\x9f]+(\.[^\s@.\x00-\x1f\x7f-\x9f]+)+$"
    )]
    pub email: String,
    #[schema(max_length = 40, pattern = r"^\+?[ ().-]*([0-9][ ().-]*){6,15}$")]
    pub phone: Option<String>,
    #[schema(
        min_length = 1,
        max_length = 100,
        pattern = r"^[^\x00-\x1f\x7f-\x9f]+$"
    )]
    pub position: String,
    pub availability: Option<String>,
}

/// A motivation letter (sanitized HTML).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Letter {
    pub html: String,
    pub updated_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct LetterRequest {
    pub html: String,
}

/// Filters of the board.
#[derive(Debug, Clone, Deserialize, utoipa::IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct BoardQuery {
    /// One location; all locations in the caller's scope when omitted.
    pub location: Option<Uuid>,
    pub position: Option<String>,
    pub source: Option<ApplicationSource>,
    /// Case-insensitive part of a first name, last name or e-mail address.
    pub q: Option<String>,
    /// Cards per column (default 50, at most 200); `count` always tells the total.
    pub per_column: Option<u32>,
}

/// One card of the board.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct BoardCard {
    pub id: Uuid,
    pub applicant_id: Uuid,
    pub name: String,
    pub position: String,
    pub source: ApplicationSource,
    pub status: ApplicationStatus,
    pub location: LocationRef,
    pub applied_at: DateTime<Utc>,
    pub days_since_applied: i64,
    pub notes_count: i64,
    pub documents_count: i64,
    pub documents_pending: i64,
    pub documents_rejected: i64,
    pub next_interview: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct BoardColumn {
    pub status: ApplicationStatus,
    pub count: i64,
    pub cards: Vec<BoardCard>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Board {
    pub columns: Vec<BoardColumn>,
    pub total: i64,
    /// Positions in the chosen locations, for the filter.
    pub positions: Vec<String>,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct BulkStatusRequest {
    pub ids: Vec<Uuid>,
    /// As in [`StatusRequest::to`].
    #[schema(value_type = ApplicationStatus)]
    pub to: String,
    pub reason: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct BulkResult {
    pub id: Uuid,
    pub ok: bool,
    pub error: Option<ErrorDetail>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct BulkStatusResponse {
    pub results: Vec<BulkResult>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct StatusChange {
    pub id: Uuid,
    pub from: Option<ApplicationStatus>,
    pub to: ApplicationStatus,
    pub reason: Option<String>,
    pub at: DateTime<Utc>,
    pub actor: Option<PersonName>,
}

impl From<&domain::StatusChange> for StatusChange {
    fn from(c: &domain::StatusChange) -> Self {
        Self {
            id: c.id,
            from: c.from.map(Into::into),
            to: c.to.into(),
            reason: c.reason.clone(),
            at: c.at,
            actor: c.actor.as_ref().map(Into::into),
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Interview {
    pub id: Uuid,
    pub application_id: Uuid,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    /// The location's time zone; `localDate` and `localTime` are in it.
    pub timezone: String,
    pub local_date: NaiveDate,
    /// `HH:MM`
    pub local_time: String,
    pub duration_minutes: i64,
    pub place: String,
    pub interviewer: Option<PersonName>,
    pub status: InterviewStatus,
    pub outcome: Option<InterviewOutcome>,
    pub outcome_note: Option<String>,
}

/// Booking or moving an interview; date and time are in the location's time zone.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct InterviewRequest {
    /// `YYYY-MM-DD`
    #[schema(format = Date)]
    pub date: String,
    /// `HH:MM`
    #[schema(pattern = r"^([01][0-9]|2[0-3]):[0-5][0-9]$")]
    pub time: String,
    /// 15 to 480; 30 when omitted.
    #[schema(minimum = 15, maximum = 480)]
    pub duration_minutes: Option<i64>,
    #[schema(
        min_length = 1,
        max_length = 200,
        pattern = r"^[^\x00-\x1f\x7f-\x9f]+$"
    )]
    pub place: String,
    pub interviewer_id: Uuid,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CancelInterviewRequest {
    pub reason: Option<String>,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct OutcomeRequest {
    pub outcome: InterviewOutcome,
    pub note: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Note {
    pub id: Uuid,
    pub subject_id: Uuid,
    pub application_id: Option<Uuid>,
    pub workflow: NoteWorkflow,
    pub priority: NotePriority,
    pub visible_roles: Vec<Role>,
    /// Sanitized HTML; empty when the body store is unavailable.
    pub html: String,
    pub body_status: BodyStatus,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub author: Option<PersonName>,
    pub can_edit: bool,
    pub can_delete: bool,
}

/// Whether an encrypted body could be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum BodyStatus {
    Ok,
    Unavailable,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct NewNoteRequest {
    #[schema(min_length = 1)]
    pub html: String,
    pub workflow: Option<NoteWorkflow>,
    pub priority: Option<NotePriority>,
    pub visible_roles: Option<Vec<Role>>,
    pub application_id: Option<Uuid>,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct UpdateNoteRequest {
    pub html: Option<String>,
    pub workflow: Option<NoteWorkflow>,
    pub priority: Option<NotePriority>,
    pub visible_roles: Option<Vec<Role>>,
}

/// Another application of the same person (for staff who can see it).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct OtherApplication {
    pub id: Uuid,
    pub location: LocationRef,
    pub status: ApplicationStatus,
}

/// What the UI may offer on an application.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ApplicationPermissions {
    pub change_status: bool,
    pub allowed_transitions: Vec<ApplicationStatus>,
    pub hire: bool,
    pub schedule_interview: bool,
    pub add_note: bool,
    pub review_documents: bool,
}

/// An application compiled for staff in one response.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ApplicationDetail {
    pub id: Uuid,
    pub status: ApplicationStatus,
    pub position: String,
    pub source: ApplicationSource,
    pub availability: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub location: LocationRef,
    pub applicant: PersonProfile,
    pub has_motivation_letter: bool,
    pub documents: Vec<DocumentInfo>,
    pub notes: Vec<Note>,
    pub history: Vec<StatusChange>,
    pub interviews: Vec<Interview>,
    pub other_applications: Vec<OtherApplication>,
    pub permissions: ApplicationPermissions,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct StatusRequest {
    /// The target status. Read as text so that a name outside the machine is answered like any other
    /// illegal move (409 `invalid_transition` with the allowed targets) rather than as malformed JSON.
    #[schema(value_type = ApplicationStatus)]
    pub to: String,
    pub reason: Option<String>,
    /// The status the caller saw; a different current status answers 409 `status_conflict`.
    pub expected_status: Option<ApplicationStatus>,
    /// Send the applicant the status mail (default true).
    pub notify_applicant: Option<bool>,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct HireRequest {
    pub position: String,
    pub contracted_hours: Option<f64>,
    pub start_date: NaiveDate,
    pub expected_status: Option<ApplicationStatus>,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct UpdateLocationRequest {
    #[schema(
        min_length = 1,
        max_length = 120,
        pattern = r"^[^\x00-\x1f\x7f-\x9f]+$"
    )]
    pub name: Option<String>,
    /// IANA time zone.
    pub timezone: Option<String>,
    /// Empty text clears it.
    #[schema(max_length = 300, pattern = r"^[^\x00-\x1f\x7f-\x9f]*$")]
    pub address: Option<String>,
    /// Empty text clears it.
    #[schema(max_length = 254)]
    pub contact_email: Option<String>,
    /// Empty text clears it.
    #[schema(max_length = 40)]
    pub contact_phone: Option<String>,
    pub active: Option<bool>,
}

#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PosterFormat {
    Svg,
    Png,
}

#[derive(Debug, Clone, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PosterQuery {
    /// `svg` (default) or `png`.
    #[param(inline)]
    pub format: Option<PosterFormat>,
}

//! Hiring: applications and their status machine, interviews, internal notes and the board (SPEC §4.3–4.4).
//!
//! The allowed status transitions are defined here and nowhere else: handlers, the board's "move" menu (via
//! `allowedTransitions` in the detail response) and the tests all read [`staff_transitions`]. `hired` is
//! reached only through the hire command (one transaction that also makes the person crew), and `withdrawn`
//! only by the applicant.

use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

use crate::accounts::LocationRef;
use crate::roles::Role;

/// The body kind under which internal notes are sealed (bound into every envelope: it must never change).
pub const NOTE_BODY_KIND: &str = "note";
/// The body kind under which motivation letters are sealed, keyed by the application id.
pub const LETTER_BODY_KIND: &str = "motivation_letter";

/// Where an application is in the pipeline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ApplicationStatus {
    New,
    Contacted,
    Interviewed,
    ShortListed,
    Hired,
    Rejected,
    Withdrawn,
}

impl ApplicationStatus {
    /// Board column order.
    pub const ALL: [Self; 7] = [
        Self::New,
        Self::Contacted,
        Self::Interviewed,
        Self::ShortListed,
        Self::Hired,
        Self::Rejected,
        Self::Withdrawn,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::New => "new",
            Self::Contacted => "contacted",
            Self::Interviewed => "interviewed",
            Self::ShortListed => "short_listed",
            Self::Hired => "hired",
            Self::Rejected => "rejected",
            Self::Withdrawn => "withdrawn",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == text)
    }

    /// Still in the pipeline: the applicant may withdraw, staff may move it on.
    pub fn is_open(self) -> bool {
        matches!(
            self,
            Self::New | Self::Contacted | Self::Interviewed | Self::ShortListed
        )
    }
}

/// The statuses staff may move an application to from `from` with a plain status change. `hired` is not
/// among them: hiring is its own command.
pub fn staff_transitions(from: ApplicationStatus) -> &'static [ApplicationStatus] {
    use ApplicationStatus::*;
    match from {
        New => &[Contacted, Interviewed, Rejected],
        Contacted => &[Interviewed, ShortListed, Rejected],
        Interviewed => &[ShortListed, Rejected],
        ShortListed => &[Interviewed, Rejected],
        Rejected => &[New],
        Hired | Withdrawn => &[],
    }
}

/// Whether the hire command may run: only for short-listed applications (`short_listed → hired`).
pub fn can_hire_from(from: ApplicationStatus) -> bool {
    from == ApplicationStatus::ShortListed
}

/// A refused status change, naming what would have been allowed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("cannot move from {} to {}", from.as_str(), to.as_str())]
pub struct InvalidTransition {
    pub from: ApplicationStatus,
    pub to: ApplicationStatus,
    pub allowed: Vec<ApplicationStatus>,
}

/// Who asks for a status change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangedBy {
    Staff,
    Applicant,
}

/// Checks one transition of the status machine.
pub fn check_transition(
    from: ApplicationStatus,
    to: ApplicationStatus,
    by: ChangedBy,
) -> Result<(), InvalidTransition> {
    let allowed: Vec<ApplicationStatus> = match by {
        ChangedBy::Staff => staff_transitions(from).to_vec(),
        ChangedBy::Applicant if from.is_open() => vec![ApplicationStatus::Withdrawn],
        ChangedBy::Applicant => vec![],
    };
    if allowed.contains(&to) {
        Ok(())
    } else {
        Err(InvalidTransition { from, to, allowed })
    }
}

/// How an application reached us.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ApplicationSource {
    /// Through a venue's QR poster (the application code in the link).
    Qr,
    /// Through the web site, choosing the venue.
    Web,
    /// Added by a manager for a walk-in.
    Manual,
}

impl ApplicationSource {
    pub const ALL: [Self; 3] = [Self::Qr, Self::Web, Self::Manual];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Qr => "qr",
            Self::Web => "web",
            Self::Manual => "manual",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == text)
    }
}

/// An application of one person at one venue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Application {
    pub id: Uuid,
    pub applicant_id: Uuid,
    pub location: LocationRef,
    pub position: String,
    pub source: ApplicationSource,
    pub availability: Option<String>,
    pub status: ApplicationStatus,
    pub letter_updated_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// What creating an application needs.
#[derive(Debug, Clone)]
pub struct NewApplication {
    pub id: Uuid,
    pub applicant_id: Uuid,
    pub location_id: Uuid,
    pub position: String,
    pub source: ApplicationSource,
    pub availability: Option<String>,
    /// The person who created it (the applicant, or the manager for a walk-in).
    pub created_by: Uuid,
}

/// Somebody named next to a change, a note or an interview.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonRef {
    pub id: Uuid,
    pub name: String,
    pub role: Role,
}

/// One entry of an application's status history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusChange {
    pub id: Uuid,
    pub from: Option<ApplicationStatus>,
    pub to: ApplicationStatus,
    pub reason: Option<String>,
    pub at: DateTime<Utc>,
    pub actor: Option<PersonRef>,
}

/// A status change to apply: only when the application is still in `expected` (so two managers acting at
/// once cannot both win).
#[derive(Debug, Clone)]
pub struct StatusUpdate {
    pub application_id: Uuid,
    pub expected: ApplicationStatus,
    pub to: ApplicationStatus,
    pub actor_id: Uuid,
    pub reason: Option<String>,
}

/// The employment a hire creates.
#[derive(Debug, Clone, PartialEq)]
pub struct Hire {
    pub position: String,
    pub contracted_hours: Option<f64>,
    pub start_date: NaiveDate,
}

/// An interview's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InterviewStatus {
    Scheduled,
    Cancelled,
    Completed,
}

impl InterviewStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Scheduled => "scheduled",
            Self::Cancelled => "cancelled",
            Self::Completed => "completed",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        [Self::Scheduled, Self::Cancelled, Self::Completed]
            .into_iter()
            .find(|s| s.as_str() == text)
    }
}

/// How an interview went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InterviewOutcome {
    Passed,
    Failed,
    NoShow,
}

impl InterviewOutcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Passed => "passed",
            Self::Failed => "failed",
            Self::NoShow => "no_show",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        [Self::Passed, Self::Failed, Self::NoShow]
            .into_iter()
            .find(|s| s.as_str() == text)
    }
}

/// An interview appointment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Interview {
    pub id: Uuid,
    pub application_id: Uuid,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub place: String,
    pub interviewer: Option<PersonRef>,
    pub status: InterviewStatus,
    pub outcome: Option<InterviewOutcome>,
    pub outcome_note: Option<String>,
    pub sequence: i32,
}

/// A slot to book (new or rescheduled).
#[derive(Debug, Clone)]
pub struct InterviewSlot {
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub place: String,
    pub interviewer_id: Uuid,
}

/// Why an interview cannot be booked.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SlotRefused {
    #[error("the interview would start in the past")]
    InThePast,
    #[error("the interviewer has another interview at that time")]
    Overlap {
        other: Uuid,
        starts_at: DateTime<Utc>,
        ends_at: DateTime<Utc>,
    },
}

/// Whether two half-open time ranges share a moment (back-to-back interviews do not overlap).
pub fn overlaps(a: (DateTime<Utc>, DateTime<Utc>), b: (DateTime<Utc>, DateTime<Utc>)) -> bool {
    a.0 < b.1 && b.0 < a.1
}

/// The category a note belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoteWorkflow {
    Application,
    Crew,
    Scheduling,
    General,
}

impl NoteWorkflow {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Application => "application",
            Self::Crew => "crew",
            Self::Scheduling => "scheduling",
            Self::General => "general",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        [
            Self::Application,
            Self::Crew,
            Self::Scheduling,
            Self::General,
        ]
        .into_iter()
        .find(|s| s.as_str() == text)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotePriority {
    Low,
    Normal,
    High,
    Urgent,
}

impl NotePriority {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Low => "low",
            Self::Normal => "normal",
            Self::High => "high",
            Self::Urgent => "urgent",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        [Self::Low, Self::Normal, Self::High, Self::Urgent]
            .into_iter()
            .find(|s| s.as_str() == text)
    }
}

/// Roles a note may be shown to. Applicants and crew members are never among them.
pub const NOTE_ROLES: [Role; 3] = [Role::Administrator, Role::Manager, Role::FloorManager];

/// The metadata of an internal note; the body is sealed elsewhere.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    pub id: Uuid,
    pub subject_id: Uuid,
    pub author: Option<PersonRef>,
    pub application_id: Option<Uuid>,
    pub workflow: NoteWorkflow,
    pub priority: NotePriority,
    pub visible_roles: Vec<Role>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// What an actor may do with one note about a person they can see.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NoteAccess {
    pub view: bool,
    pub edit: bool,
    pub delete: bool,
}

/// Note rules (SPEC §4.4): staff see notes whose visible roles include theirs (administrators see all);
/// the author or a manager/administrator edits; the author or an administrator deletes. `sees_subject` is
/// whether the actor may see the person at all.
pub fn note_access(actor_id: Uuid, role: Role, sees_subject: bool, note: &Note) -> NoteAccess {
    if !sees_subject || !NOTE_ROLES.contains(&role) {
        return NoteAccess {
            view: false,
            edit: false,
            delete: false,
        };
    }
    let author = note.author.as_ref().is_some_and(|a| a.id == actor_id);
    let view = role == Role::Administrator || author || note.visible_roles.contains(&role);
    NoteAccess {
        view,
        edit: view && (author || matches!(role, Role::Administrator | Role::Manager)),
        delete: view && (author || role == Role::Administrator),
    }
}

/// Filters of the board.
#[derive(Debug, Clone, Default)]
pub struct BoardFilter {
    /// Locations to show (already narrowed to the actor's scope).
    pub locations: Option<Vec<Uuid>>,
    pub position: Option<String>,
    pub source: Option<ApplicationSource>,
    /// Case-insensitive substring of first name, last name or e-mail.
    pub text: Option<String>,
    /// Cards per column at most (`count` always tells the total).
    pub cards_per_column: u32,
}

/// One card of the board, compiled by the store in one query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BoardCard {
    pub id: Uuid,
    pub applicant_id: Uuid,
    pub name: String,
    pub position: String,
    pub source: ApplicationSource,
    pub status: ApplicationStatus,
    pub location: LocationRef,
    pub applied_at: DateTime<Utc>,
    pub notes_count: i64,
    pub documents_count: i64,
    pub documents_pending: i64,
    pub documents_rejected: i64,
    pub next_interview: Option<DateTime<Utc>>,
}

/// The whole board: every status with its total and its newest cards.
#[derive(Debug, Clone, Default)]
pub struct Board {
    pub columns: Vec<(ApplicationStatus, i64, Vec<BoardCard>)>,
    /// Positions that occur in the filtered locations (for the filter's choices).
    pub positions: Vec<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn status() -> impl Strategy<Value = ApplicationStatus> {
        prop::sample::select(ApplicationStatus::ALL.to_vec())
    }

    #[test]
    fn names_round_trip() {
        for s in ApplicationStatus::ALL {
            assert_eq!(ApplicationStatus::parse(s.as_str()), Some(s));
        }
        for s in ApplicationSource::ALL {
            assert_eq!(ApplicationSource::parse(s.as_str()), Some(s));
        }
        assert_eq!(ApplicationStatus::parse("hired "), None);
    }

    #[test]
    fn the_happy_path_is_allowed_and_hiring_is_a_separate_command() {
        use ApplicationStatus::*;
        for (from, to) in [
            (New, Contacted),
            (Contacted, Interviewed),
            (Interviewed, ShortListed),
        ] {
            assert_eq!(check_transition(from, to, ChangedBy::Staff), Ok(()));
        }
        let refused = check_transition(ShortListed, Hired, ChangedBy::Staff).unwrap_err();
        assert_eq!(refused.allowed, vec![Interviewed, Rejected]);
        assert!(can_hire_from(ShortListed) && !can_hire_from(New));
    }

    #[test]
    fn final_states_stay_final() {
        for to in ApplicationStatus::ALL {
            for by in [ChangedBy::Staff, ChangedBy::Applicant] {
                assert!(check_transition(ApplicationStatus::Hired, to, by).is_err());
                assert!(check_transition(ApplicationStatus::Withdrawn, to, by).is_err());
            }
        }
    }

    proptest! {
        /// Applicants can only withdraw, and only open applications; staff can never withdraw for them,
        /// never hire through a status change, and every refusal names exactly the allowed targets.
        #[test]
        fn the_machine_is_consistent(from in status(), to in status()) {
            let applicant = check_transition(from, to, ChangedBy::Applicant);
            prop_assert_eq!(applicant.is_ok(), from.is_open() && to == ApplicationStatus::Withdrawn);
            let staff = check_transition(from, to, ChangedBy::Staff);
            if to == ApplicationStatus::Withdrawn || to == ApplicationStatus::Hired || to == from {
                prop_assert!(staff.is_err());
            }
            if let Err(refused) = staff {
                prop_assert_eq!(refused.allowed, staff_transitions(from).to_vec());
            }
        }

        /// From every status the happy path to "hired" is reachable or the status is final.
        #[test]
        fn hired_is_reachable_from_every_open_status(from in status()) {
            let mut frontier = vec![from];
            let mut seen = vec![from];
            let mut reachable = false;
            while let Some(s) = frontier.pop() {
                if can_hire_from(s) { reachable = true; }
                for next in staff_transitions(s) {
                    if !seen.contains(next) { seen.push(*next); frontier.push(*next); }
                }
            }
            prop_assert_eq!(reachable, from != ApplicationStatus::Hired && from != ApplicationStatus::Withdrawn);
        }
    }

    fn note(author: u128, roles: &[Role]) -> Note {
        Note {
            id: Uuid::from_u128(9),
            subject_id: Uuid::from_u128(5),
            author: Some(PersonRef {
                id: Uuid::from_u128(author),
                name: "A".into(),
                role: Role::FloorManager,
            }),
            application_id: None,
            workflow: NoteWorkflow::General,
            priority: NotePriority::Normal,
            visible_roles: roles.to_vec(),
            created_at: DateTime::UNIX_EPOCH,
            updated_at: DateTime::UNIX_EPOCH,
        }
    }

    #[test]
    fn notes_follow_the_visibility_and_ownership_rules() {
        let managers_only = note(1, &[Role::Manager]);
        let me = Uuid::from_u128(1);
        let other = Uuid::from_u128(2);
        // The author always sees and may edit and delete their note.
        let author = note_access(me, Role::FloorManager, true, &managers_only);
        assert!(author.view && author.edit && author.delete);
        // Another floor manager does not see a managers-only note.
        assert!(!note_access(other, Role::FloorManager, true, &managers_only).view);
        let manager = note_access(other, Role::Manager, true, &managers_only);
        assert!(manager.view && manager.edit && !manager.delete);
        let admin = note_access(other, Role::Administrator, true, &note(1, &[]));
        assert!(admin.view && admin.edit && admin.delete);
        for role in [Role::CrewMember, Role::Applicant] {
            assert!(!note_access(other, role, true, &note(1, &NOTE_ROLES)).view);
        }
        assert!(!note_access(other, Role::Administrator, false, &managers_only).view);
    }

    #[test]
    fn back_to_back_interviews_do_not_overlap() {
        let t = |h: i64| DateTime::UNIX_EPOCH + chrono::Duration::hours(h);
        assert!(!overlaps((t(1), t(2)), (t(2), t(3))));
        assert!(overlaps((t(1), t(3)), (t(2), t(4))));
        assert!(overlaps((t(2), t(3)), (t(1), t(4))));
    }
}

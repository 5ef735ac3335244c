//! The storage ports of scheduling. Methods are whole commands: a change to a week bumps its version and
//! writes its change-history row (and audit line, when given) in one transaction; an assignment runs the
//! rule engine inside its transaction, under a per-person lock, on the state of that moment.

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

use crate::accounts::{AuditEvent, LocationRef};
use crate::hiring::PersonRef;
use crate::notifications::{Notice, NoticeKind, Notification};
use crate::policy::LocationScope;
use crate::ports::StoreResult;
use crate::scheduling::autofill::{FillProblem, FillSettings};
use crate::scheduling::availability::WeeklyPattern;
pub use crate::scheduling::model::ScheduleWeek;
use crate::scheduling::model::{
    Assessment, Assignment, Change, Competency, CrewMember, CrewStatus, LocationRules, NewChange,
    Position, Shift, ShiftSpec, TimeOff, WeekTemplate,
};
use crate::scheduling::publish::PublishedEntry;
use crate::scheduling::requests::{RequestKind, RequestSettings, RequestStatus, ShiftRequest};
use crate::scheduling::rules::{Accepted, BookedShift, PersonFacts, Refusal, ShiftFacts};
use crate::scheduling::time::IsoWeek;
use crate::scheduling::time_off::{TimeOffRequest, TimeOffStatus};

/// Roster filters.
#[derive(Debug, Clone, Default)]
pub struct RosterFilter {
    pub position_id: Option<Uuid>,
    pub status: Option<CrewStatus>,
}

/// A crew membership to create or change.
#[derive(Debug, Clone, PartialEq)]
pub struct CrewChange {
    pub user_id: Uuid,
    pub location_id: Uuid,
    pub position_ids: Vec<Uuid>,
    pub contracted_minutes: Option<u32>,
    pub start_date: Option<NaiveDate>,
    pub status: CrewStatus,
}

/// A person's assessments: the current level per competency, and the history (newest first).
#[derive(Debug, Clone, Default)]
pub struct Assessments {
    pub current: Vec<Assessment>,
    pub history: Vec<Assessment>,
}

/// Positions, competencies, the roster and competency levels.
#[async_trait]
pub trait CrewStore: Send + Sync {
    async fn positions(&self, location: Uuid) -> StoreResult<Vec<Position>>;
    async fn position(&self, id: Uuid) -> StoreResult<Option<Position>>;
    /// Creates or replaces (name, archived, requirements). `Conflict("name")` on a name the location has.
    async fn save_position(&self, position: Position, audit: AuditEvent) -> StoreResult<Position>;
    async fn competencies(&self, location: Uuid) -> StoreResult<Vec<Competency>>;
    async fn competency(&self, id: Uuid) -> StoreResult<Option<Competency>>;
    async fn save_competency(
        &self,
        competency: Competency,
        audit: AuditEvent,
    ) -> StoreResult<Competency>;
    async fn roster(&self, location: Uuid, filter: &RosterFilter) -> StoreResult<Vec<CrewMember>>;
    /// Every crew membership of the person (all locations, any status).
    async fn memberships(&self, user: Uuid) -> StoreResult<Vec<CrewMember>>;
    /// Adds an existing crew member to a location's crew. `Conflict("crew")` when already there.
    async fn add_crew(&self, change: CrewChange, audit: AuditEvent) -> StoreResult<CrewMember>;
    async fn update_crew(&self, change: CrewChange, audit: AuditEvent) -> StoreResult<CrewMember>;
    /// Records an assessment: the current level and a history row.
    async fn assess(&self, assessment: Assessment, audit: AuditEvent) -> StoreResult<Assessment>;
    async fn assessments(&self, user: Uuid) -> StoreResult<Assessments>;
}

/// Week templates.
#[async_trait]
pub trait TemplateStore: Send + Sync {
    async fn templates(&self, location: Uuid) -> StoreResult<Vec<WeekTemplate>>;
    async fn template(&self, id: Uuid) -> StoreResult<Option<WeekTemplate>>;
    /// Creates or replaces a template with all its shifts. `Conflict("name")` on a name the location has.
    async fn save_template(
        &self,
        template: WeekTemplate,
        audit: AuditEvent,
    ) -> StoreResult<WeekTemplate>;
    async fn delete_template(&self, id: Uuid, audit: AuditEvent) -> StoreResult<()>;
}

/// A week in a list, with its numbers.
#[derive(Debug, Clone)]
pub struct WeekSummary {
    pub week: ScheduleWeek,
    pub shifts: i64,
    pub slots: i64,
    pub filled: i64,
}

/// Everything the week grid is compiled from, read in a fixed number of queries.
#[derive(Debug, Clone)]
pub struct WeekData {
    pub week: ScheduleWeek,
    pub rules: LocationRules,
    pub timezone: String,
    pub shifts: Vec<Shift>,
    pub assignments: Vec<Assignment>,
    pub positions: Vec<Position>,
    pub competencies: Vec<Competency>,
    /// The location's crew (every status).
    pub crew: Vec<CrewMember>,
    /// Total active contract per crew member (every location), in minutes.
    pub contracts: Vec<(Uuid, u32)>,
    /// Shifts of the location's crew and of the week's assignees at every location, from a week before
    /// to a week after, by person.
    pub booked: Vec<(Uuid, BookedShift)>,
    /// Changes since the last publish (all changes of a week never published).
    pub unpublished_changes: i64,
    /// Approved time off of those people overlapping the week, by person.
    pub time_off: Vec<(Uuid, TimeOff)>,
}

/// What the rule engine needs to decide who may take a shift.
#[derive(Debug, Clone)]
pub struct ShiftContext {
    pub shift: Shift,
    pub position_name: String,
    pub week: ScheduleWeek,
    pub timezone: String,
    pub rules: LocationRules,
    pub facts: ShiftFacts,
    /// Every crew member of the location (any status) with their facts.
    pub people: Vec<(CrewMember, PersonFacts)>,
}

/// A request to put a person on a shift.
#[derive(Debug, Clone)]
pub struct AssignRequest {
    pub id: Uuid,
    pub shift_id: Uuid,
    pub user_id: Uuid,
    pub actor_id: Uuid,
    /// A manager's reason to override the overridable refusals.
    pub override_reason: Option<String>,
    /// Why a change to a shift that already started is made (`None`: refused with `ShiftStarted`).
    pub past_reason: Option<String>,
    pub source: &'static str,
    pub audit: AuditEvent,
}

/// Why a change to a week was not made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WeekRefusal {
    /// The rule engine refused.
    Rules(Refusal),
    /// The shift has started and no reason for changing the past was given.
    ShiftStarted,
    /// The week changed since the version the caller saw.
    VersionChanged { current: i64 },
    /// PostgreSQL refused an overlap (a concurrent assignment elsewhere won, or a moved shift would make
    /// one of its people overlap another of their shifts).
    Overlap { user_id: Option<Uuid> },
    /// A shift cannot have fewer slots than people on it.
    SlotsBelowAssigned { assigned: u16 },
    /// The change would alter a locked (exported) hours period: these dates, without a manager's reason,
    /// or the locks changed since the caller looked.
    PeriodLocked { dates: Vec<chrono::NaiveDate> },
}

/// An assignment that was made, with what the engine said.
#[derive(Debug, Clone)]
pub struct Assigned {
    pub assignment: Assignment,
    pub accepted: Accepted,
    pub week: ScheduleWeek,
}

/// A new week with its shifts.
#[derive(Debug, Clone)]
pub struct NewWeek {
    pub id: Uuid,
    pub location_id: Uuid,
    pub week: IsoWeek,
    pub shifts: Vec<(Uuid, ShiftSpec)>,
    pub actor_id: Uuid,
    /// How it was made, for the history (`empty`, `template <name>`, `copy of 2026-W49`).
    pub origin: String,
}

/// What publishing needs to tell people: the published copy and the current state, with the people.
#[derive(Debug, Clone)]
pub struct PublishPlan {
    pub week: ScheduleWeek,
    pub location_name: String,
    pub timezone: String,
    pub published: Vec<PublishedEntry>,
    pub current: Vec<PublishedEntry>,
    /// Id, e-mail, first name and display name of everyone in either list who can log in.
    pub people: Vec<(Uuid, String, String, String)>,
    /// The shifts of the published copy and of the week now, for the hours of locked periods.
    pub published_shifts: Vec<crate::scheduling::publish::ShiftHours>,
    pub current_shifts: Vec<crate::scheduling::publish::ShiftHours>,
    /// The location's hours locks that overlap the week's dates.
    pub locks: Vec<crate::scheduling::publish::LockedPeriod>,
}

/// What a publish into locked hours periods carries: the locks the caller decided on (the publish is
/// refused with `PeriodLocked` when the locks overlapping the week are no longer exactly these), and, when
/// it changes a locked date, the manager's reason and the corrections to record in the same transaction.
#[derive(Debug, Clone, Default)]
pub struct LockedPublish {
    pub locks_seen: Vec<Uuid>,
    pub reason: Option<String>,
    pub corrections: Vec<crate::scheduling::publish::HoursCorrection>,
}

/// The published copy of a week, as crew see it.
#[derive(Debug, Clone)]
pub struct PublishedWeek {
    pub week: ScheduleWeek,
    pub timezone: String,
    pub shifts: Vec<PublishedShift>,
}

/// A shift as published, with the people on it.
#[derive(Debug, Clone)]
pub struct PublishedShift {
    pub shift_id: Uuid,
    pub position_name: String,
    pub local_date: NaiveDate,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub break_minutes: u16,
    pub slots: u16,
    pub note: Option<String>,
    /// Id, short name (first name and initial) and assignment id of each person on it (the assignment id is
    /// what a colleague proposing a swap names).
    pub people: Vec<(Uuid, String, Uuid)>,
}

/// A person's upcoming shift at any location (working copy), for the crew page.
#[derive(Debug, Clone)]
pub struct UpcomingShift {
    pub shift_id: Uuid,
    pub location: LocationRef,
    pub position_name: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub break_minutes: u16,
    pub local_date: NaiveDate,
    pub published: bool,
}

/// Schedule weeks, shifts, assignments, publishing and the change history.
#[async_trait]
pub trait ScheduleStore: Send + Sync {
    /// The location's rules and time zone.
    async fn location_rules(&self, location: Uuid) -> StoreResult<Option<(LocationRules, String)>>;
    async fn set_location_rules(
        &self,
        location: Uuid,
        rules: LocationRules,
        audit: AuditEvent,
    ) -> StoreResult<()>;
    async fn weeks(
        &self,
        location: Uuid,
        from: IsoWeek,
        to: IsoWeek,
    ) -> StoreResult<Vec<WeekSummary>>;
    async fn week(&self, location: Uuid, week: IsoWeek) -> StoreResult<Option<ScheduleWeek>>;
    async fn week_by_id(&self, id: Uuid) -> StoreResult<Option<ScheduleWeek>>;
    /// Shifts of a week, by start.
    async fn shifts(&self, week: Uuid) -> StoreResult<Vec<Shift>>;
    /// Assignments of a week's shifts.
    async fn assignments(&self, week: Uuid) -> StoreResult<Vec<Assignment>>;
    /// Creates the week with its shifts. `Conflict("week")` when the location has that week.
    async fn create_week(&self, week: NewWeek, audit: AuditEvent) -> StoreResult<ScheduleWeek>;
    /// Everything the grid shows, in a fixed number of queries.
    async fn week_data(&self, week: Uuid) -> StoreResult<Option<WeekData>>;
    async fn shift(&self, id: Uuid) -> StoreResult<Option<(Shift, ScheduleWeek)>>;
    async fn assignment(&self, id: Uuid) -> StoreResult<Option<(Assignment, Shift, ScheduleWeek)>>;
    /// Adds a shift; `expected_version`, when given, must match.
    async fn add_shift(
        &self,
        shift: Shift,
        expected_version: Option<i64>,
        change: NewChange,
        actor: Uuid,
    ) -> StoreResult<Result<ScheduleWeek, WeekRefusal>>;
    /// Replaces a shift's spec (its assignments move with it; an overlap that creates is refused).
    async fn update_shift(
        &self,
        shift: Shift,
        expected_version: Option<i64>,
        change: NewChange,
        actor: Uuid,
        audit: Option<AuditEvent>,
    ) -> StoreResult<Result<ScheduleWeek, WeekRefusal>>;
    async fn remove_shift(
        &self,
        id: Uuid,
        expected_version: Option<i64>,
        change: NewChange,
        actor: Uuid,
        audit: Option<AuditEvent>,
    ) -> StoreResult<Result<ScheduleWeek, WeekRefusal>>;
    /// The rule engine's inputs for a shift and every crew member of its location, in a fixed number of
    /// queries.
    async fn shift_context(&self, shift: Uuid) -> StoreResult<Option<ShiftContext>>;
    /// Puts a person on a shift if the rule engine (run inside the transaction) allows it.
    async fn assign(&self, request: AssignRequest) -> StoreResult<Result<Assigned, WeekRefusal>>;
    async fn unassign(
        &self,
        id: Uuid,
        actor: Uuid,
        past_reason: Option<String>,
        audit: Option<AuditEvent>,
    ) -> StoreResult<Result<ScheduleWeek, WeekRefusal>>;
    async fn publish_plan(&self, week: Uuid) -> StoreResult<Option<PublishPlan>>;
    /// Publishes the week as of `expected_version` (refused when it changed since), replacing the published
    /// copy, giving the notices (in-app, and mails unless muted) and writing the audit line.
    async fn publish(
        &self,
        week: Uuid,
        expected_version: i64,
        actor: Uuid,
        notices: Vec<Notice>,
        locked: LockedPublish,
        audit: AuditEvent,
    ) -> StoreResult<Result<ScheduleWeek, WeekRefusal>>;
    /// The week's change history, newest first.
    async fn changes(&self, week: Uuid, limit: i64) -> StoreResult<Vec<Change>>;
    async fn published_week(
        &self,
        location: Uuid,
        week: IsoWeek,
    ) -> StoreResult<Option<PublishedWeek>>;
    /// A person's shifts from `from` on (every location, working copy), soonest first.
    async fn upcoming(
        &self,
        user: Uuid,
        from: DateTime<Utc>,
        limit: i64,
    ) -> StoreResult<Vec<UpcomingShift>>;
    /// A person's shifts (every location) whose time lies in `[from, to)`.
    async fn booked_between(
        &self,
        user: Uuid,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> StoreResult<Vec<BookedShift>>;
}

/// A shift of the person from the published copy: what "my shifts" and the calendar feed show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MyShift {
    /// The assignment's id: stable across publishes (the feed's UID).
    pub assignment_id: Uuid,
    pub shift_id: Uuid,
    pub location: LocationRef,
    pub location_address: Option<String>,
    pub position_name: String,
    pub local_date: NaiveDate,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub break_minutes: u16,
    pub note: Option<String>,
    /// Rises with every change of time, place or status.
    pub sequence: u32,
    pub changed_at: DateTime<Utc>,
    /// Taken away at a later publish.
    pub cancelled: bool,
    /// First names of the others on the same published shift.
    pub colleagues: Vec<String>,
}

/// A person's calendar feed, without its secret.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FeedInfo {
    pub created_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
}

/// The owner of a feed token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedOwner {
    pub user_id: Uuid,
    pub first_name: String,
}

/// A person's declared availability: the weekly patterns from the one in force on `today` on, and the
/// one-off unavailable days from `today` on.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DeclaredAvailability {
    pub patterns: Vec<WeeklyPattern>,
    pub unavailable_days: Vec<NaiveDate>,
}

/// A time-off request with the person's shifts it collides with.
#[derive(Debug, Clone)]
pub struct TimeOffCase {
    pub request: TimeOffRequest,
    pub collisions: Vec<BookedShift>,
}

/// A manager's decision on a time-off request.
#[derive(Debug, Clone)]
pub struct TimeOffDecision {
    pub id: Uuid,
    pub to: TimeOffStatus,
    pub actor: Uuid,
    pub reason: Option<String>,
    /// Telling the person (in-app, and by mail unless they muted decisions).
    pub notices: Vec<Notice>,
    pub audit: AuditEvent,
}

/// The crew's self-service: their published shifts, calendar feed, availability and time off.
#[async_trait]
pub trait SelfServiceStore: Send + Sync {
    /// The person's published shifts that end at or after `from` (every location), soonest first, with the
    /// colleagues on each; cancelled ones only when `with_cancelled`. Two queries whatever the count.
    async fn my_shifts(
        &self,
        user: Uuid,
        from: DateTime<Utc>,
        with_cancelled: bool,
    ) -> StoreResult<Vec<MyShift>>;
    async fn feed(&self, user: Uuid) -> StoreResult<Option<FeedInfo>>;
    /// Creates the person's feed or replaces its token (the old one stops working in the same statement).
    async fn set_feed_token(
        &self,
        user: Uuid,
        token_hash: Vec<u8>,
        audit: AuditEvent,
    ) -> StoreResult<FeedInfo>;
    /// Removes the feed; `false` when there was none.
    async fn delete_feed(&self, user: Uuid, audit: AuditEvent) -> StoreResult<bool>;
    /// Whose feed a token hash opens (an active account's only); notes the use at most once an hour.
    async fn feed_owner(&self, token_hash: &[u8]) -> StoreResult<Option<FeedOwner>>;
    async fn availability(&self, user: Uuid, today: NaiveDate)
        -> StoreResult<DeclaredAvailability>;
    /// Sets the pattern in force from its date; patterns that would have taken effect on or after that
    /// date are replaced by it.
    async fn set_pattern(&self, user: Uuid, pattern: WeeklyPattern) -> StoreResult<()>;
    /// Marks a day unavailable (`true`) or not (`false`).
    async fn set_unavailable_day(
        &self,
        user: Uuid,
        day: NaiveDate,
        unavailable: bool,
    ) -> StoreResult<()>;
    /// The person's requests, newest range first.
    async fn time_off_of(&self, user: Uuid) -> StoreResult<Vec<TimeOffRequest>>;
    async fn time_off(&self, id: Uuid) -> StoreResult<Option<TimeOffRequest>>;
    async fn request_time_off(&self, request: TimeOffRequest) -> StoreResult<TimeOffRequest>;
    /// Cancels the person's own pending request; `Err(current status)` when it is no longer pending.
    async fn cancel_time_off(
        &self,
        id: Uuid,
        user: Uuid,
    ) -> StoreResult<Result<TimeOffRequest, TimeOffStatus>>;
    /// Approves or denies a pending request, with the mail and audit line, in one transaction;
    /// `Err(current status)` when someone decided (or the person cancelled) first.
    async fn decide_time_off(
        &self,
        decision: TimeOffDecision,
    ) -> StoreResult<Result<TimeOffRequest, TimeOffStatus>>;
    /// Requests of the people who are crew at the location whose range ends after `from`, pending first
    /// (then by start), optionally of one status only; pending and approved ones with the person's shifts
    /// (every location) inside the range. Two queries whatever the count.
    async fn location_time_off(
        &self,
        location: Uuid,
        from: DateTime<Utc>,
        status: Option<TimeOffStatus>,
    ) -> StoreResult<Vec<TimeOffCase>>;
}

/// An open slot of a published week that a person might claim, with everything the rule engine needs to
/// judge them for it.
#[derive(Debug, Clone)]
pub struct OpenShift {
    pub shift: crate::scheduling::requests::RequestShift,
    pub location: LocationRef,
    pub week_id: Uuid,
    /// Published slots minus people on it now.
    pub open_slots: u16,
    pub note: Option<String>,
    pub rules: LocationRules,
    pub settings: RequestSettings,
    pub facts: ShiftFacts,
    pub person: PersonFacts,
    /// The person marked interest.
    pub interested: bool,
    /// The person's claim waiting for approval, if any.
    pub pending_claim: Option<Uuid>,
    /// A colleague's open offer of their place on it (request id, their first name): taking it is
    /// accepting the offer, not claiming a slot.
    pub offer: Option<(Uuid, String)>,
}

/// A new claim, offer or swap.
#[derive(Debug, Clone)]
pub struct NewShiftRequest {
    pub id: Uuid,
    pub kind: RequestKind,
    pub shift_id: Uuid,
    pub requester_id: Uuid,
    /// Offer and swap: the requester's assignment.
    pub assignment_id: Option<Uuid>,
    /// Swap: the colleague's assignment asked for in return.
    pub target_assignment_id: Option<Uuid>,
    pub notices: Vec<Notice>,
    pub audit: AuditEvent,
}

/// A step on a request: from the status the caller saw to the next one, by `actor`.
#[derive(Debug, Clone)]
pub struct RequestStep {
    pub id: Uuid,
    pub from: RequestStatus,
    pub to: RequestStatus,
    pub actor: Uuid,
    /// Offer accepted: who takes it.
    pub taker: Option<Uuid>,
    /// A manager's reason (deny, approve).
    pub reason: Option<String>,
    pub notices: Vec<Notice>,
    pub audit: AuditEvent,
}

/// Why a request could not move.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RequestRefusal {
    /// Someone else moved it first; this is its status now.
    StatusChanged(RequestStatus),
    /// An assignment it gives away no longer exists as it was (a manager changed the schedule).
    Stale,
    /// The rule engine refused one of the people on one of the shifts, on the state of this moment.
    Rules {
        user_id: Uuid,
        shift_id: Uuid,
        refusal: Refusal,
    },
    /// PostgreSQL refused an overlap.
    Overlap { user_id: Uuid },
    /// Every slot is taken.
    SlotsFull,
    /// A shift of the request lies in a locked (exported) hours period.
    PeriodLocked,
}

/// Pending requests per location, for the navigation's counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InboxCount {
    pub location_id: Uuid,
    pub time_off: i64,
    pub shift_requests: i64,
}

/// Claims, offers, swaps, interest and notifications.
#[async_trait]
pub trait RequestStore: Send + Sync {
    async fn request_settings(&self, location: Uuid) -> StoreResult<Option<RequestSettings>>;
    async fn set_request_settings(
        &self,
        location: Uuid,
        settings: RequestSettings,
        audit: AuditEvent,
    ) -> StoreResult<()>;
    /// Open slots of published weeks at the person's active locations starting in `[from, to)`, with the
    /// rule engine's inputs for the person; a fixed number of queries.
    async fn open_shifts(
        &self,
        user: Uuid,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> StoreResult<Vec<OpenShift>>;
    /// The rule engine's inputs for one person on one shift (the person's facts at the shift's location).
    async fn person_on_shift(
        &self,
        user: Uuid,
        shift: Uuid,
    ) -> StoreResult<Option<(ShiftContext, PersonFacts)>>;
    async fn set_interest(&self, shift: Uuid, user: Uuid, interested: bool) -> StoreResult<()>;
    /// People who marked interest in the shift.
    async fn interested(&self, shift: Uuid) -> StoreResult<Vec<Uuid>>;
    /// Creates a request; a claim that needs no approval is applied at once (rules re-checked inside).
    async fn create_request(
        &self,
        request: NewShiftRequest,
        needs_approval: bool,
    ) -> StoreResult<Result<ShiftRequest, RequestRefusal>>;
    async fn shift_request(&self, id: Uuid) -> StoreResult<Option<ShiftRequest>>;
    /// Moves a request from `step.from` to `step.to` (refused when it is no longer in `step.from`); reaching
    /// `approved` applies it, and reaching `pending_approval` checks that it could be applied now; both run
    /// the rule engine in the transaction, under the people's locks.
    async fn step_request(
        &self,
        step: RequestStep,
    ) -> StoreResult<Result<ShiftRequest, RequestRefusal>>;
    /// Requests at the location: the undecided ones (and, with `decided`, the last 100 decided).
    async fn location_requests(
        &self,
        location: Uuid,
        decided: bool,
    ) -> StoreResult<Vec<ShiftRequest>>;
    /// The person's own requests, swaps proposed to them, and open offers at their locations.
    async fn requests_for(&self, user: Uuid) -> StoreResult<Vec<ShiftRequest>>;
    /// Pending time off and shift requests per location.
    async fn inbox_counts(&self, locations: Option<&[Uuid]>) -> StoreResult<Vec<InboxCount>>;
    async fn notifications(
        &self,
        user: Uuid,
        page: crate::accounts::PageRequest,
    ) -> StoreResult<(Vec<Notification>, i64)>;
    /// Marks the person's notifications read (`None`: all).
    async fn mark_read(&self, user: Uuid, ids: Option<&[Uuid]>) -> StoreResult<i64>;
    async fn email_settings(&self, user: Uuid) -> StoreResult<Vec<(NoticeKind, bool)>>;
    async fn set_email_setting(&self, user: Uuid, kind: NoticeKind, email: bool)
        -> StoreResult<()>;
    /// Gives notices outside any other command (publishing's in-app entries).
    async fn notify(&self, notices: Vec<Notice>) -> StoreResult<()>;
}

/// A draft week being filled, with its location.
#[derive(Debug, Clone)]
pub struct FillWeek {
    pub week: ScheduleWeek,
    pub location: LocationRef,
}

/// What suggest fill reads, in a fixed number of queries whatever the number of shifts and people: the
/// solver's problem and the labels its answer is shown with.
#[derive(Debug, Clone)]
pub struct FillSnapshot {
    pub weeks: Vec<FillWeek>,
    pub problem: FillProblem,
    /// The week of each shift of `problem.shifts`, by shift id.
    pub shift_weeks: Vec<(Uuid, Uuid)>,
    /// Every person of `problem.people`, with their display name.
    pub people: Vec<PersonRef>,
    /// The weeks' locations and the home venues people may be borrowed from.
    pub locations: Vec<LocationRef>,
}

/// One suggestion to apply: a person on a shift. Ordered by person, then shift: the order in which a batch
/// takes the people's locks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FillItem {
    pub user_id: Uuid,
    pub shift_id: Uuid,
}

/// Applying suggestions: each item as a manager's assignment without override, all in one transaction.
#[derive(Debug, Clone)]
pub struct ApplyFill {
    pub items: Vec<FillItem>,
    pub actor_id: Uuid,
    /// The venues whose crew the caller may borrow (where they manage the crew); an item whose person is not
    /// crew at the shift's location is borrowed from one of them when that location allows borrowing and is
    /// itself in this scope.
    pub borrow_from: LocationScope,
    /// The audit line of each applied item (subject, location and shift are filled in per item).
    pub audit: AuditEvent,
}

/// Why one item of a batch was not applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FillRefusal {
    /// The shift no longer exists.
    ShiftGone,
    /// The shift's week has been published: auto-fill fills drafts only.
    WeekPublished,
    /// The normal assignment path refused (the rules on the state of this moment, or PostgreSQL's overlap).
    Week(WeekRefusal),
}

/// An applied item.
#[derive(Debug, Clone)]
pub struct FillApplied {
    pub assigned: Assigned,
    /// The home venue, when the person was made crew at the shift's location for this.
    pub borrowed_from: Option<Uuid>,
}

/// Suggest fill's reads and the batch that applies a reviewed proposal.
#[async_trait]
pub trait FillStore: Send + Sync {
    async fn fill_settings(&self, location: Uuid) -> StoreResult<Option<FillSettings>>;
    async fn set_fill_settings(
        &self,
        location: Uuid,
        settings: FillSettings,
        audit: AuditEvent,
    ) -> StoreResult<()>;
    /// Each existing location of `locations` with its week `week` (`None`: not created); unknown ids are
    /// absent. One query.
    async fn fill_weeks(
        &self,
        locations: &[Uuid],
        week: IsoWeek,
    ) -> StoreResult<Vec<(LocationRef, Option<ScheduleWeek>)>>;
    /// Everything the solver needs to fill the empty slots of `weeks` (all of one ISO week), borrowing crew
    /// of `borrow_from` into the weeks' locations that allow it and are themselves in `borrow_from`. A fixed
    /// number of queries (see the loader's module doc).
    async fn fill_problem(
        &self,
        weeks: &[Uuid],
        borrow_from: &LocationScope,
    ) -> StoreResult<FillSnapshot>;
    /// The week and location of each of these shifts (absent: no such shift). One query.
    async fn shift_weeks(&self, shifts: &[Uuid]) -> StoreResult<Vec<(Uuid, FillWeek)>>;
    /// Applies the items in one transaction: the people's locks in id order, then the weeks' rows; each item
    /// in a savepoint through the same path as a manager's assignment (rules re-checked on the state of that
    /// moment, no override), a borrowed person first made crew at the venue. A refused item leaves the
    /// others alone. Results in item order (person, then shift).
    async fn apply_fill(
        &self,
        apply: ApplyFill,
    ) -> StoreResult<Vec<(FillItem, Result<FillApplied, FillRefusal>)>>;
}

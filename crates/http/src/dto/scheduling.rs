//! JSON shapes of scheduling: positions and competencies, the roster and crew pages, templates, weeks and
//! their grid, assignments with the rule engine's reasons, publishing and the change history.
//!
//! Times go out twice: as UTC instants (`startsAt`) and as the location's wall clock (`localStart`,
//! `HH:MM`), so no client has to know the time-zone database to draw a grid.

use chrono::{DateTime, NaiveDate, Utc};
use crewplots_domain::scheduling::{model, rules};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::{LocationRef, PersonName};

mirror!(
    /// A crew member's state at one location.
    CrewStatus = model::CrewStatus { Active, OnLeave, Inactive }
);
mirror!(
    /// A schedule week's state.
    WeekStatus = model::WeekStatus { Draft, Published }
);
mirror!(
    /// What an entry of a week's change history records.
    ChangeKind = model::ChangeKind {
        WeekCreated,
        ShiftAdded,
        ShiftChanged,
        ShiftRemoved,
        Assigned,
        Unassigned,
        Published,
        Request
    }
);

/// How a reason of the rule engine weighs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Never allowed.
    Refuse,
    /// Refused unless a manager overrides it with a reason.
    Overridable,
    /// Allowed, and shown.
    Warning,
}

impl From<rules::Severity> for Severity {
    fn from(s: rules::Severity) -> Self {
        match s {
            rules::Severity::Refuse => Self::Refuse,
            rules::Severity::Overridable => Self::Overridable,
            rules::Severity::Warning => Self::Warning,
        }
    }
}

/// The numbers behind a reason, for the UI's own sentence.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ReasonFigures {
    /// Rest, or the week's paid time, in minutes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub minutes: Option<i64>,
    /// The minimum rest, contract or weekly maximum, in minutes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limit_minutes: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub level: Option<u8>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub minimum_level: Option<u8>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub competency_id: Option<Uuid>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub competency: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub slots: Option<u16>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub days: Option<u32>,
    /// The other shift (overlap, rest).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub other_shift_id: Option<Uuid>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub other_starts_at: Option<DateTime<Utc>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub other_ends_at: Option<DateTime<Utc>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub other_location: Option<String>,
    /// Time off (start and end), or a one-off unavailable day.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub starts_at: Option<DateTime<Utc>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ends_at: Option<DateTime<Utc>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<NaiveDate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub crew_status: Option<CrewStatus>,
}

/// One reason of the rule engine, with a stable code, its weight, an English sentence and the figures.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RuleReason {
    /// `not_crew_here`, `slots_full`, `overlap`, `time_off`, `rest_too_short`, `competency_below_minimum`,
    /// `unavailable`, `over_contract_hours`, `over_weekly_max` or `seventh_day`.
    pub code: String,
    pub severity: Severity,
    pub message: String,
    pub figures: ReasonFigures,
}

impl RuleReason {
    pub fn new(reason: &rules::Reason, tz: chrono_tz::Tz) -> Self {
        use rules::Reason as R;
        let mut f = ReasonFigures::default();
        let other = |f: &mut ReasonFigures, b: &rules::BookedShift| {
            f.other_shift_id = Some(b.shift_id);
            f.other_starts_at = Some(b.starts_at);
            f.other_ends_at = Some(b.ends_at);
            f.other_location = Some(b.location_name.clone());
        };
        match reason {
            R::NotCrewHere { status } => f.crew_status = status.map(Into::into),
            R::SlotsFull { slots } => f.slots = Some(*slots),
            R::Overlap { other: b } => other(&mut f, b),
            R::TimeOff { starts_at, ends_at } => {
                f.starts_at = Some(*starts_at);
                f.ends_at = Some(*ends_at);
            }
            R::RestTooShort {
                rest_minutes,
                minimum_minutes,
                other: b,
            } => {
                f.minutes = Some(*rest_minutes);
                f.limit_minutes = Some(i64::from(*minimum_minutes));
                other(&mut f, b);
            }
            R::CompetencyBelowMinimum {
                competency_id,
                name,
                level,
                minimum,
            } => {
                f.competency_id = Some(*competency_id);
                f.competency = Some(name.clone());
                f.level = Some(*level);
                f.minimum_level = Some(*minimum);
            }
            R::Unavailable { declared } => {
                if let rules::Unavailability::Date(date) = declared {
                    f.date = Some(*date);
                }
            }
            R::OverContractHours {
                week_minutes,
                contract_minutes,
            } => {
                f.minutes = Some(*week_minutes);
                f.limit_minutes = Some(i64::from(*contract_minutes));
            }
            R::OverWeeklyMax {
                week_minutes,
                max_minutes,
            } => {
                f.minutes = Some(*week_minutes);
                f.limit_minutes = Some(i64::from(*max_minutes));
            }
            R::SeventhDay { consecutive_days } => f.days = Some(*consecutive_days),
        }
        Self {
            code: reason.code().to_string(),
            severity: reason.severity().into(),
            message: reason.message(tz),
            figures: f,
        }
    }
}

/// A competency a shift or position needs, at a minimum level (1–5).
#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Requirement {
    pub competency_id: Uuid,
    #[schema(minimum = 1, maximum = 5)]
    pub min_level: u8,
}

impl From<&model::Requirement> for Requirement {
    fn from(r: &model::Requirement) -> Self {
        Self {
            competency_id: r.competency_id,
            min_level: r.min_level,
        }
    }
}

impl From<&Requirement> for model::Requirement {
    fn from(r: &Requirement) -> Self {
        Self {
            competency_id: r.competency_id,
            min_level: r.min_level,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Position {
    pub id: Uuid,
    pub location_id: Uuid,
    pub name: String,
    pub archived: bool,
    pub requirements: Vec<Requirement>,
}

impl From<&model::Position> for Position {
    fn from(p: &model::Position) -> Self {
        Self {
            id: p.id,
            location_id: p.location_id,
            name: p.name.clone(),
            archived: p.archived,
            requirements: p.requirements.iter().map(Into::into).collect(),
        }
    }
}

/// A new position, or a change (fields left out stay as they are).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PositionRequest {
    #[schema(min_length = 1, max_length = 60)]
    pub name: Option<String>,
    pub archived: Option<bool>,
    pub requirements: Option<Vec<Requirement>>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Competency {
    pub id: Uuid,
    pub location_id: Uuid,
    pub name: String,
    pub archived: bool,
}

impl From<&model::Competency> for Competency {
    fn from(c: &model::Competency) -> Self {
        Self {
            id: c.id,
            location_id: c.location_id,
            name: c.name.clone(),
            archived: c.archived,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CompetencyRequest {
    #[schema(min_length = 1, max_length = 60)]
    pub name: Option<String>,
    pub archived: Option<bool>,
}

/// A person on a location's crew.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CrewMember {
    pub person: PersonName,
    pub location_id: Uuid,
    pub position_ids: Vec<Uuid>,
    /// Contracted hours per week at this location (decimal).
    pub contracted_hours: Option<f64>,
    pub start_date: Option<NaiveDate>,
    pub status: CrewStatus,
}

impl From<&model::CrewMember> for CrewMember {
    fn from(m: &model::CrewMember) -> Self {
        Self {
            person: (&m.person).into(),
            location_id: m.location_id,
            position_ids: m.position_ids.clone(),
            contracted_hours: m.contracted_minutes.map(|m| f64::from(m) / 60.0),
            start_date: m.start_date,
            status: m.status.into(),
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RosterQuery {
    pub position: Option<Uuid>,
    pub status: Option<CrewStatus>,
}

/// Adds a crew member of another of the caller's venues to this venue's crew.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AddCrewRequest {
    pub user_id: Uuid,
    #[serde(default)]
    pub position_ids: Vec<Uuid>,
    #[schema(minimum = 0, maximum = 80)]
    pub contracted_hours: Option<f64>,
    pub start_date: Option<NaiveDate>,
}

/// Changes a crew membership; fields left out stay as they are.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct UpdateCrewRequest {
    pub position_ids: Option<Vec<Uuid>>,
    #[schema(minimum = 0, maximum = 80)]
    pub contracted_hours: Option<f64>,
    pub start_date: Option<NaiveDate>,
    pub status: Option<CrewStatus>,
}

/// A person's assessed level of a competency.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Assessment {
    pub competency_id: Uuid,
    pub level: u8,
    pub assessor: Option<PersonName>,
    pub assessed_on: NaiveDate,
    pub note: Option<String>,
    pub recorded_at: DateTime<Utc>,
}

impl From<&model::Assessment> for Assessment {
    fn from(a: &model::Assessment) -> Self {
        Self {
            competency_id: a.competency_id,
            level: a.level,
            assessor: a.assessor.as_ref().map(Into::into),
            assessed_on: a.assessed_on,
            note: a.note.clone(),
            recorded_at: a.recorded_at,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AssessRequest {
    #[schema(minimum = 0, maximum = 5)]
    pub level: u8,
    #[schema(max_length = 500)]
    pub note: Option<String>,
    /// Defaults to today.
    pub assessed_on: Option<NaiveDate>,
}

/// A crew membership on the crew page, with its location.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Membership {
    pub location: LocationRef,
    pub member: CrewMember,
    /// Positions of that location, for naming `member.positionIds`.
    pub positions: Vec<Position>,
    pub competencies: Vec<Competency>,
    /// May the caller change this membership and assess at this location.
    pub can_manage: bool,
}

/// A person's shift at any location.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct UpcomingShift {
    pub shift_id: Uuid,
    pub location: LocationRef,
    pub position_name: String,
    pub date: NaiveDate,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub local_start: String,
    pub local_end: String,
    pub paid_minutes: i64,
    /// Crew see it (the published copy has it at these times).
    pub published: bool,
}

/// A person's hours this week against their contract.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct WeekHours {
    pub iso_week: String,
    pub minutes: i64,
    pub contract_minutes: Option<u32>,
    pub reasons: Vec<RuleReason>,
}

/// Approved time off in the week grid (no category: that stays between the person and the managers who
/// decide it).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct GridTimeOff {
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
}

/// The crew page of one person: where they work, their levels and history, upcoming shifts, this week.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CrewPage {
    pub person: PersonName,
    pub memberships: Vec<Membership>,
    pub levels: Vec<Assessment>,
    pub history: Vec<Assessment>,
    pub upcoming: Vec<UpcomingShift>,
    pub this_week: WeekHours,
}

/// A shift of a week template (weekday 1 = Monday … 7 = Sunday; an end at or before the start is the next
/// day).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct TemplateShift {
    pub id: Uuid,
    #[schema(minimum = 1, maximum = 7)]
    pub weekday: u8,
    pub position_id: Uuid,
    /// `HH:MM`
    pub start: String,
    pub end: String,
    pub overnight: bool,
    pub break_minutes: u16,
    pub slots: u16,
    pub requirements: Vec<Requirement>,
    pub note: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct WeekTemplate {
    pub id: Uuid,
    pub location_id: Uuid,
    pub name: String,
    pub shifts: Vec<TemplateShift>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct TemplateShiftRequest {
    #[schema(minimum = 1, maximum = 7)]
    pub weekday: u8,
    pub position_id: Uuid,
    /// `HH:MM`
    #[schema(pattern = "^([01][0-9]|2[0-3]):[0-5][0-9]$")]
    pub start: String,
    #[schema(pattern = "^([01][0-9]|2[0-3]):[0-5][0-9]$")]
    pub end: String,
    #[serde(default)]
    pub break_minutes: i64,
    #[schema(minimum = 1, maximum = 50)]
    pub slots: i64,
    #[serde(default)]
    pub requirements: Vec<Requirement>,
    #[schema(max_length = 500)]
    pub note: Option<String>,
}

/// A whole template: its name and every shift (saving replaces all shifts).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct TemplateRequest {
    #[schema(min_length = 1, max_length = 80)]
    pub name: String,
    #[schema(max_items = 300)]
    pub shifts: Vec<TemplateShiftRequest>,
}

/// A schedule week's state and version.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ScheduleWeek {
    pub id: Uuid,
    pub location_id: Uuid,
    /// `2026-W50`
    pub iso_week: String,
    pub status: WeekStatus,
    /// Send it back as `expectedVersion` to make sure nothing changed in between.
    pub version: i64,
    pub published_version: Option<i64>,
    pub published_at: Option<DateTime<Utc>>,
    pub has_unpublished_changes: bool,
}

impl From<&model::ScheduleWeek> for ScheduleWeek {
    fn from(w: &model::ScheduleWeek) -> Self {
        Self {
            id: w.id,
            location_id: w.location_id,
            iso_week: w.week.to_string(),
            status: w.status.into(),
            version: w.version,
            published_version: w.published_version,
            published_at: w.published_at,
            has_unpublished_changes: w.has_unpublished_changes(),
        }
    }
}

/// A week in the list of a location's weeks.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct WeekSummary {
    pub week: ScheduleWeek,
    pub shifts: i64,
    pub slots: i64,
    pub filled: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct WeeksQuery {
    /// First week (`2026-W45`); default four weeks back.
    pub from: Option<String>,
    /// Last week; default eight weeks ahead.
    pub to: Option<String>,
}

/// How a new week starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum WeekSource {
    Empty,
    Template,
    Copy,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CreateWeekRequest {
    /// `2026-W50`
    #[schema(pattern = r"^[0-9]{4}-W(0[1-9]|[1-4][0-9]|5[0-3])$")]
    pub iso_week: String,
    pub source: WeekSource,
    /// With `source: template`.
    pub template_id: Option<Uuid>,
    /// With `source: copy`: the week to copy (`2026-W49`).
    #[schema(pattern = r"^[0-9]{4}-W(0[1-9]|[1-4][0-9]|5[0-3])$")]
    pub copy_from: Option<String>,
    /// With `source: copy`: also copy who works which shift (each through the rule engine).
    #[serde(default)]
    pub with_assignments: bool,
}

/// An assignment a copy could not make, and why.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct NotCopied {
    pub person: PersonName,
    pub shift_id: Uuid,
    pub reasons: Vec<RuleReason>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CreatedWeek {
    pub week: ScheduleWeek,
    pub shifts: usize,
    pub assignments_copied: usize,
    pub not_copied: Vec<NotCopied>,
}

/// A day of the grid.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct GridDay {
    pub date: NaiveDate,
    /// 1 = Monday … 7 = Sunday.
    pub weekday: u8,
}

/// A person on a shift in the grid.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct GridAssignment {
    pub id: Uuid,
    pub person: PersonName,
    /// Rule codes a manager overrode for this assignment.
    pub overridden: Vec<String>,
    pub override_reason: Option<String>,
}

impl From<&model::Assignment> for GridAssignment {
    fn from(a: &model::Assignment) -> Self {
        Self {
            id: a.id,
            person: (&a.person).into(),
            overridden: a.overridden.clone(),
            override_reason: a.override_reason.clone(),
        }
    }
}

/// A shift of the grid, with its people.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct GridShift {
    pub id: Uuid,
    /// The local start date (the day the shift is drawn on).
    pub date: NaiveDate,
    pub position_id: Uuid,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub local_start: String,
    pub local_end: String,
    pub break_minutes: u16,
    pub paid_minutes: i64,
    pub slots: u16,
    pub open: u16,
    /// The shift's own requirements (its position's come on top).
    pub requirements: Vec<Requirement>,
    pub note: Option<String>,
    pub started: bool,
    pub assignments: Vec<GridAssignment>,
}

/// A crew member's week in the grid: hours at every location against the contract, and what the rules say.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct GridPerson {
    pub person: PersonName,
    pub position_ids: Vec<Uuid>,
    pub status: Option<CrewStatus>,
    /// Paid minutes this week at every location.
    pub week_minutes: i64,
    /// Paid minutes this week at this location.
    pub here_minutes: i64,
    /// Total active contract, minutes a week.
    pub contract_minutes: Option<u32>,
    pub reasons: Vec<RuleReason>,
    /// Approved time off overlapping the week.
    pub time_off: Vec<GridTimeOff>,
}

/// Open slots per day and position.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Coverage {
    pub date: NaiveDate,
    pub position_id: Uuid,
    pub slots: u32,
    pub filled: u32,
    pub open: u32,
}

/// The scheduling rules of a location.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SchedulingRules {
    #[schema(minimum = 0, maximum = 1440)]
    pub min_rest_minutes: u32,
    #[schema(minimum = 60, maximum = 10080)]
    pub weekly_max_minutes: u32,
}

/// The compiled week of a location.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct WeekGrid {
    pub week: ScheduleWeek,
    pub location: LocationRef,
    pub rules: SchedulingRules,
    pub days: Vec<GridDay>,
    pub positions: Vec<Position>,
    pub competencies: Vec<Competency>,
    pub shifts: Vec<GridShift>,
    pub people: Vec<GridPerson>,
    pub coverage: Vec<Coverage>,
    /// Changes since the last publish (all of a week never published).
    pub unpublished_changes: i64,
}

/// A shift to add, or its new shape.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ShiftRequest {
    /// The local start date, inside the week.
    pub date: NaiveDate,
    pub position_id: Uuid,
    #[schema(pattern = "^([01][0-9]|2[0-3]):[0-5][0-9]$")]
    pub start: String,
    /// At or before `start`: the next day.
    #[schema(pattern = "^([01][0-9]|2[0-3]):[0-5][0-9]$")]
    pub end: String,
    #[serde(default)]
    pub break_minutes: i64,
    #[schema(minimum = 1, maximum = 50)]
    pub slots: i64,
    #[serde(default)]
    pub requirements: Vec<Requirement>,
    #[schema(max_length = 500)]
    pub note: Option<String>,
    pub expected_version: Option<i64>,
    /// Needed to change a published week's shift that has started.
    #[schema(max_length = 500)]
    pub reason: Option<String>,
}

/// Optional details of a removal.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RemoveRequest {
    pub expected_version: Option<i64>,
    /// Needed to change a published week's shift that has started.
    #[schema(max_length = 500)]
    pub reason: Option<String>,
}

/// The week after a change.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct WeekChanged {
    pub week: ScheduleWeek,
    pub shift_id: Option<Uuid>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct OverrideRequest {
    #[schema(min_length = 1, max_length = 500)]
    pub reason: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AssignRequest {
    pub user_id: Uuid,
    /// A manager's override of the overridable refusals, with the reason.
    #[serde(rename = "override")]
    pub override_: Option<OverrideRequest>,
    /// Needed to change a published week's shift that has started.
    #[schema(max_length = 500)]
    pub reason: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AssignResponse {
    pub assignment: GridAssignment,
    pub warnings: Vec<RuleReason>,
    pub week: ScheduleWeek,
}

/// A crew member and what the rules say about putting them on the shift.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct EligiblePerson {
    pub person: PersonName,
    pub status: CrewStatus,
    /// They hold the shift's position at this location.
    pub has_position: bool,
    /// They marked interest in this (open) shift.
    pub interested: bool,
    /// No refusal (warnings may apply).
    pub eligible: bool,
    /// Only overridable refusals stand in the way.
    pub overridable: bool,
    pub week_minutes: i64,
    pub reasons: Vec<RuleReason>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct EligibleList {
    pub shift_id: Uuid,
    pub people: Vec<EligiblePerson>,
    /// May the caller override.
    pub can_override: bool,
}

/// Who a publish will notify, with their changes (old → new).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PublishNotice {
    pub person: PersonName,
    /// `new: Mon 7 Dec 18:00–23:00 (Bartender)`, `moved: … → …`, `cancelled: …`
    pub changes: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PublishPreview {
    pub week: ScheduleWeek,
    pub notify: Vec<PublishNotice>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PublishRequest {
    pub expected_version: i64,
    /// Required (≤ 500 characters, from a manager or administrator) when the publish changes a shift in a
    /// locked hours period: kept in the week's change history and on each correction it records.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Published {
    pub week: ScheduleWeek,
    pub notified: usize,
}

/// One entry of a week's change history.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct WeekChange {
    pub id: Uuid,
    pub kind: ChangeKind,
    pub actor: Option<PersonName>,
    pub at: DateTime<Utc>,
    pub shift_id: Option<Uuid>,
    pub person: Option<PersonName>,
    pub old: Option<String>,
    pub new: Option<String>,
    pub reason: Option<String>,
    pub overridden: Vec<String>,
}

impl From<&model::Change> for WeekChange {
    fn from(c: &model::Change) -> Self {
        Self {
            id: c.id,
            kind: c.kind.into(),
            actor: c.actor.as_ref().map(Into::into),
            at: c.at,
            shift_id: c.shift_id,
            person: c.person.as_ref().map(Into::into),
            old: c.old.clone(),
            new: c.new.clone(),
            reason: c.reason.clone(),
            overridden: c.overridden.clone(),
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ChangesQuery {
    pub limit: Option<i64>,
}

/// A colleague on a published shift: first name and initial only.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ShiftColleague {
    pub id: Uuid,
    pub name: String,
    /// What a swap proposal names (`POST /api/assignments/{mine}/swap`).
    pub assignment_id: Uuid,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PublishedShift {
    pub id: Uuid,
    pub date: NaiveDate,
    pub position_name: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub local_start: String,
    pub local_end: String,
    pub break_minutes: u16,
    pub slots: u16,
    pub open: u16,
    pub note: Option<String>,
    pub people: Vec<ShiftColleague>,
    /// The caller works this shift.
    pub mine: bool,
}

/// A week as published: what crew see.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PublishedSchedule {
    pub iso_week: String,
    pub location: LocationRef,
    pub published_at: Option<DateTime<Utc>>,
    pub days: Vec<GridDay>,
    pub shifts: Vec<PublishedShift>,
}

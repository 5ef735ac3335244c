//! The scheduling model in the product's words (SCHEDULING.md §1): crew memberships, positions and
//! competencies, week templates, schedule weeks with dated shifts, assignments, and the inputs the crew's
//! self-service fills (availability, time off).
//!
//! Invariants: shifts are instants (`starts_at < ends_at`, UTC) plus the local start date that decides the
//! ISO week they belong to; a shift's paid time is its length minus its unpaid break; competency levels are
//! 0–5.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, NaiveTime, Utc, Weekday};
use uuid::Uuid;

use crate::hiring::PersonRef;
use crate::scheduling::time::IsoWeek;
use crate::validation::FieldErrors;

/// Highest competency level.
pub const MAX_LEVEL: u8 = 5;
/// Most slots one shift may have.
pub const MAX_SLOTS: u16 = 50;
/// Longest shift accepted, in minutes (16 h).
pub const MAX_SHIFT_MINUTES: i64 = 16 * 60;
/// Longest note on a shift, template shift or assessment.
pub const MAX_NOTE_CHARS: usize = 500;
/// Default minimum rest between shifts of different days.
pub const DEFAULT_MIN_REST_MINUTES: u32 = 11 * 60;
/// Default weekly maximum.
pub const DEFAULT_WEEKLY_MAX_MINUTES: u32 = 48 * 60;

/// A crew member's state at one location.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CrewStatus {
    Active,
    OnLeave,
    Inactive,
}

impl CrewStatus {
    pub const ALL: [Self; 3] = [Self::Active, Self::OnLeave, Self::Inactive];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Active => "active",
            Self::OnLeave => "on_leave",
            Self::Inactive => "inactive",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == text)
    }
}

/// A competency a shift or position needs, at a minimum level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Requirement {
    pub competency_id: Uuid,
    pub min_level: u8,
}

/// The requirements that apply to a shift: its own and its position's, the higher minimum winning.
pub fn effective_requirements(position: &[Requirement], shift: &[Requirement]) -> Vec<Requirement> {
    let mut merged: BTreeMap<Uuid, u8> = BTreeMap::new();
    for r in position.iter().chain(shift) {
        let level = merged.entry(r.competency_id).or_insert(0);
        *level = (*level).max(r.min_level);
    }
    merged
        .into_iter()
        .map(|(competency_id, min_level)| Requirement {
            competency_id,
            min_level,
        })
        .collect()
}

/// Checks a list of requirements: levels 1–5, each competency once, every competency one of `known`.
pub fn check_requirements(
    requirements: &[Requirement],
    known: &[Uuid],
    field: &str,
    errors: &mut FieldErrors,
) {
    let mut seen = Vec::new();
    for r in requirements {
        if !(1..=MAX_LEVEL).contains(&r.min_level) {
            errors.add(field, "invalid_level");
        } else if !known.contains(&r.competency_id) {
            errors.add(field, "unknown_competency");
        } else if seen.contains(&r.competency_id) {
            errors.add(field, "duplicate_competency");
        }
        seen.push(r.competency_id);
    }
}

/// A job at a location (bartender, runner …).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Position {
    pub id: Uuid,
    pub location_id: Uuid,
    pub name: String,
    pub archived: bool,
    /// Minimum competency levels anyone on a shift of this position needs.
    pub requirements: Vec<Requirement>,
}

/// A skill at a location (cocktails, cash register, first aid …).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Competency {
    pub id: Uuid,
    pub location_id: Uuid,
    pub name: String,
    pub archived: bool,
}

/// A person's membership of a location's crew.
#[derive(Debug, Clone, PartialEq)]
pub struct CrewMember {
    pub person: PersonRef,
    pub first_name: String,
    pub location_id: Uuid,
    pub position_ids: Vec<Uuid>,
    pub contracted_minutes: Option<u32>,
    pub start_date: Option<NaiveDate>,
    pub status: CrewStatus,
}

/// A person's assessed level of a competency.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assessment {
    pub user_id: Uuid,
    pub competency_id: Uuid,
    pub level: u8,
    pub assessor: Option<PersonRef>,
    pub assessed_on: NaiveDate,
    pub note: Option<String>,
    pub recorded_at: DateTime<Utc>,
}

/// A shift of a week template: a weekday and local wall-clock times.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateShift {
    pub id: Uuid,
    pub weekday: Weekday,
    pub position_id: Uuid,
    pub start: NaiveTime,
    /// At or before `start`: the next day.
    pub end: NaiveTime,
    pub break_minutes: u16,
    pub slots: u16,
    pub requirements: Vec<Requirement>,
    pub note: Option<String>,
}

/// A named week template of a location ("Summer week").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WeekTemplate {
    pub id: Uuid,
    pub location_id: Uuid,
    pub name: String,
    pub shifts: Vec<TemplateShift>,
    pub updated_at: DateTime<Utc>,
}

/// A schedule week's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WeekStatus {
    Draft,
    Published,
}

impl WeekStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Published => "published",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "draft" => Some(Self::Draft),
            "published" => Some(Self::Published),
            _ => None,
        }
    }
}

/// One location's week.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScheduleWeek {
    pub id: Uuid,
    pub location_id: Uuid,
    pub week: IsoWeek,
    pub status: WeekStatus,
    /// Grows with every change; commands that depend on what a person saw take it as `expected_version`.
    pub version: i64,
    /// The version last published (`None`: never published).
    pub published_version: Option<i64>,
    pub published_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

impl ScheduleWeek {
    /// Changes were made since the last publish (or it was never published).
    pub fn has_unpublished_changes(&self) -> bool {
        self.published_version != Some(self.version)
    }
}

/// The shape of a shift, whether typed by a person or expanded from a template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShiftSpec {
    pub position_id: Uuid,
    pub local_date: NaiveDate,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub break_minutes: u16,
    pub slots: u16,
    pub requirements: Vec<Requirement>,
    pub note: Option<String>,
}

/// A dated shift of a schedule week.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shift {
    pub id: Uuid,
    pub week_id: Uuid,
    pub location_id: Uuid,
    pub spec: ShiftSpec,
}

impl ShiftSpec {
    /// Paid minutes: the length minus the unpaid break.
    pub fn paid_minutes(&self) -> i64 {
        paid_minutes(self.starts_at, self.ends_at, self.break_minutes)
    }
}

pub fn paid_minutes(starts_at: DateTime<Utc>, ends_at: DateTime<Utc>, break_minutes: u16) -> i64 {
    ((ends_at - starts_at).num_minutes() - i64::from(break_minutes)).max(0)
}

/// Checks the numbers of a shift (or template shift): a length of 1 minute to 16 hours, a break shorter than
/// the shift, 1–50 slots, a short note. `minutes` is the shift's real length (instants, so DST counts).
pub fn check_shift_numbers(
    minutes: i64,
    break_minutes: i64,
    slots: i64,
    note: Option<&str>,
    errors: &mut FieldErrors,
) {
    if minutes <= 0 {
        errors.add("end", "end_equals_start");
    } else if minutes > MAX_SHIFT_MINUTES {
        errors.add("end", "too_long");
    }
    if break_minutes < 0 {
        errors.add("breakMinutes", "negative");
    } else if minutes > 0 && break_minutes >= minutes {
        errors.add("breakMinutes", "longer_than_shift");
    }
    if slots < 1 {
        errors.add("slots", "at_least_one");
    } else if slots > i64::from(MAX_SLOTS) {
        errors.add("slots", "too_many");
    }
    if let Err(code) = crate::validation::free_text(note, MAX_NOTE_CHARS) {
        errors.add("note", code);
    }
}

/// One person in one slot of a shift.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assignment {
    pub id: Uuid,
    pub shift_id: Uuid,
    pub person: PersonRef,
    /// The rule-engine codes a manager overrode, with the reason given.
    pub overridden: Vec<String>,
    pub override_reason: Option<String>,
    pub created_at: DateTime<Utc>,
}

/// What the crew's self-service declared about when a person can work (SCHEDULING.md §4), as the rule
/// engine reads it: the weekly windows in force on the shift's date and one-off unavailable days.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Availability {
    pub weekly: Vec<WeeklyWindow>,
    pub unavailable_dates: Vec<NaiveDate>,
}

/// What a weekly window says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AvailabilityKind {
    Available,
    Unavailable,
    /// Available, and preferred (a soft goal for auto-fill).
    Preferred,
}

impl AvailabilityKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Available => "available",
            Self::Unavailable => "unavailable",
            Self::Preferred => "preferred",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "available" => Some(Self::Available),
            "unavailable" => Some(Self::Unavailable),
            "preferred" => Some(Self::Preferred),
            _ => None,
        }
    }
}

/// A window on a weekday; `None` times mean the whole day; an end at or before the start runs into the next
/// day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WeeklyWindow {
    pub weekday: Weekday,
    pub kind: AvailabilityKind,
    pub window: Option<(NaiveTime, NaiveTime)>,
}

/// Approved time off, as instants.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimeOff {
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
}

/// The kinds of entries in a week's change history.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeKind {
    WeekCreated,
    ShiftAdded,
    ShiftChanged,
    ShiftRemoved,
    Assigned,
    Unassigned,
    Published,
    /// A step of a claim, offer or swap (applied to the published copy directly).
    Request,
}

impl ChangeKind {
    pub const ALL: [Self; 8] = [
        Self::WeekCreated,
        Self::ShiftAdded,
        Self::ShiftChanged,
        Self::ShiftRemoved,
        Self::Assigned,
        Self::Unassigned,
        Self::Published,
        Self::Request,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::WeekCreated => "week_created",
            Self::ShiftAdded => "shift_added",
            Self::ShiftChanged => "shift_changed",
            Self::ShiftRemoved => "shift_removed",
            Self::Assigned => "assigned",
            Self::Unassigned => "unassigned",
            Self::Published => "published",
            Self::Request => "request",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == text)
    }
}

/// One entry of a week's change history: who, when, what, old → new (language-neutral summaries such as
/// `2026-12-08 18:00–23:00 Bartender ×2`), and the reason given for an override or a change in the past.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub id: Uuid,
    pub kind: ChangeKind,
    pub actor: Option<PersonRef>,
    pub at: DateTime<Utc>,
    pub shift_id: Option<Uuid>,
    pub person: Option<PersonRef>,
    pub old: Option<String>,
    pub new: Option<String>,
    pub reason: Option<String>,
    /// Rule-engine codes overridden by this change.
    pub overridden: Vec<String>,
}

/// A change to record (the store adds id, time and names).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewChange {
    pub kind: ChangeKind,
    pub shift_id: Option<Uuid>,
    pub person_id: Option<Uuid>,
    pub old: Option<String>,
    pub new: Option<String>,
    pub reason: Option<String>,
    pub overridden: Vec<String>,
}

impl NewChange {
    pub fn new(kind: ChangeKind) -> Self {
        Self {
            kind,
            shift_id: None,
            person_id: None,
            old: None,
            new: None,
            reason: None,
            overridden: Vec::new(),
        }
    }
}

/// The language-neutral one-line summary of a shift used in the change history.
pub fn shift_summary(
    tz: chrono_tz::Tz,
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
    position: &str,
    slots: u16,
) -> String {
    let start = starts_at.with_timezone(&tz);
    let end = ends_at.with_timezone(&tz);
    format!(
        "{} {}–{} {position} ×{slots}",
        start.format("%Y-%m-%d"),
        start.format("%H:%M"),
        end.format("%H:%M")
    )
}

/// Per-location scheduling settings the rules read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LocationRules {
    pub min_rest_minutes: u32,
    pub weekly_max_minutes: u32,
}

impl Default for LocationRules {
    fn default() -> Self {
        Self {
            min_rest_minutes: DEFAULT_MIN_REST_MINUTES,
            weekly_max_minutes: DEFAULT_WEEKLY_MAX_MINUTES,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_higher_minimum_of_position_and_shift_wins() {
        let a = Uuid::from_u128(1);
        let b = Uuid::from_u128(2);
        let merged = effective_requirements(
            &[Requirement {
                competency_id: a,
                min_level: 2,
            }],
            &[
                Requirement {
                    competency_id: a,
                    min_level: 4,
                },
                Requirement {
                    competency_id: b,
                    min_level: 1,
                },
            ],
        );
        assert_eq!(
            merged,
            vec![
                Requirement {
                    competency_id: a,
                    min_level: 4
                },
                Requirement {
                    competency_id: b,
                    min_level: 1
                }
            ]
        );
    }

    #[test]
    fn shift_numbers_are_checked_field_by_field() {
        let mut errors = FieldErrors::default();
        check_shift_numbers(0, -5, 0, Some(&"x".repeat(501)), &mut errors);
        assert_eq!(errors.0["end"], "end_equals_start");
        assert_eq!(errors.0["breakMinutes"], "negative");
        assert_eq!(errors.0["slots"], "at_least_one");
        assert_eq!(errors.0["note"], "too_long");
        let mut errors = FieldErrors::default();
        check_shift_numbers(300, 300, 51, None, &mut errors);
        assert_eq!(errors.0["breakMinutes"], "longer_than_shift");
        assert_eq!(errors.0["slots"], "too_many");
        let mut errors = FieldErrors::default();
        check_shift_numbers(300, 30, 2, Some("Bring the keys"), &mut errors);
        assert!(errors.is_empty());
    }

    #[test]
    fn requirement_lists_are_checked() {
        let known = [Uuid::from_u128(1)];
        let mut errors = FieldErrors::default();
        check_requirements(
            &[Requirement {
                competency_id: Uuid::from_u128(9),
                min_level: 2,
            }],
            &known,
            "requirements",
            &mut errors,
        );
        assert_eq!(errors.0["requirements"], "unknown_competency");
        let mut errors = FieldErrors::default();
        check_requirements(
            &[Requirement {
                competency_id: known[0],
                min_level: 6,
            }],
            &known,
            "requirements",
            &mut errors,
        );
        assert_eq!(errors.0["requirements"], "invalid_level");
    }
}

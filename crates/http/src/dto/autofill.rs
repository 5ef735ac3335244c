//! JSON shapes of suggest fill (SCHEDULING.md §5): the request, the proposal as a diff to review (each
//! suggestion with why, each slot left open with why nobody fits), applying some of it, and a location's
//! auto-fill settings.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::{ErrorDetail, LocationRef, PersonName, RuleReason};

/// What to fill. `{}`: this week only, with the default time budget.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SuggestFillRequest {
    /// Other venues whose draft week of the same ISO week to fill too (the caller must be able to edit
    /// their schedules).
    #[serde(default)]
    #[schema(max_items = 20)]
    pub location_ids: Vec<Uuid>,
    /// How long the search may run, in milliseconds (default 2000).
    #[schema(minimum = 100, maximum = 10000)]
    pub time_budget_ms: Option<i64>,
}

/// A week being filled.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct FillWeek {
    pub week_id: Uuid,
    pub location: LocationRef,
    /// The week's version the proposal was made on.
    pub version: i64,
}

/// A soft goal that counted for a suggestion, with its weighted points and figures.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct FillWhy {
    /// `contract_hours`, `preferred`, `interested`, `fair_spread`, `competency_margin`, `home_venue`,
    /// `borrowed` or `split_day`.
    pub code: String,
    /// Positive helps, negative hurts.
    pub points: i64,
    /// `contract_hours`: the week's paid minutes with this shift.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub week_minutes_after: Option<i64>,
    /// `contract_hours`: the contract, minutes a week.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub contract_minutes: Option<u32>,
    /// `fair_spread`: late-night shifts in the last four weeks and this one so far.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub late_nights: Option<u32>,
    /// `fair_spread`: weekend shifts in the last four weeks and this one so far.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub weekends: Option<u32>,
    /// `competency_margin`: the lowest level above the shift's minimum.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub margin: Option<u8>,
    /// `borrowed`: the person's home venue.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from_location_id: Option<Uuid>,
}

/// A proposed assignment.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct FillSuggestionItem {
    pub shift_id: Uuid,
    pub week_id: Uuid,
    pub location: LocationRef,
    pub position_name: String,
    /// The shift's local start date.
    pub date: NaiveDate,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    /// `HH:MM` at the location.
    pub local_start: String,
    pub local_end: String,
    pub person: PersonName,
    /// The person's home venue when they would be borrowed (applying makes them crew here).
    pub borrowed_from: Option<LocationRef>,
    /// Why this person: the soft goals that decided it, largest first.
    pub why: Vec<FillWhy>,
    /// What the rule engine warns about this assignment (e.g. `over_contract_hours`).
    pub warnings: Vec<RuleReason>,
}

/// How many candidates a refusal applied to.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ReasonCount {
    /// A rule-engine code (`time_off`, `overlap`, …) or `position` (people of the location who do not
    /// hold the shift's position).
    pub code: String,
    pub count: u32,
}

/// A shift whose slots stay open, and why nobody fits.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct FillOpenShift {
    pub shift_id: Uuid,
    pub week_id: Uuid,
    pub location: LocationRef,
    pub position_name: String,
    pub date: NaiveDate,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub local_start: String,
    pub local_end: String,
    /// Slots still empty after the proposal.
    pub open_slots: u16,
    /// People considered (placed at the location and holding the position).
    pub candidates: u32,
    /// Most frequent first; one person may count under several codes.
    pub reasons: Vec<ReasonCount>,
}

/// A proposal: a diff to review and apply all, some or none of. Nothing is saved by making it.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct FillProposal {
    /// `2026-W50`
    pub iso_week: String,
    pub weeks: Vec<FillWeek>,
    pub suggestions: Vec<FillSuggestionItem>,
    pub open: Vec<FillOpenShift>,
    /// The weighted soft score of the whole proposal (higher is better).
    pub score: i64,
    /// The time budget ended the search early.
    pub stopped_early: bool,
    pub solve_ms: u64,
    /// Empty slots before the proposal.
    pub open_before: u32,
    /// Slots the proposal fills.
    pub filled: u32,
}

/// A suggestion to apply.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ApplyItem {
    pub shift_id: Uuid,
    pub user_id: Uuid,
}

/// The suggestions the manager keeps.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ApplySuggestionsRequest {
    #[schema(min_items = 1, max_items = 2000)]
    pub items: Vec<ApplyItem>,
}

/// An applied suggestion.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AppliedItem {
    pub shift_id: Uuid,
    pub user_id: Uuid,
    pub assignment_id: Uuid,
    /// The home venue when the person was made crew at the shift's location for this.
    pub borrowed_from: Option<Uuid>,
}

/// A suggestion that could not be applied on the state of now, and why.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ApplyConflict {
    pub shift_id: Uuid,
    pub user_id: Uuid,
    /// `shift_not_found`, `week_published`, `overlap`, `slots_full`, another rule-engine code, or
    /// `week_changed`.
    pub code: String,
    pub message: String,
}

/// A week's version after applying.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct WeekVersion {
    pub week_id: Uuid,
    pub version: i64,
}

/// What applying did.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ApplySuggestionsResult {
    pub applied: Vec<AppliedItem>,
    pub conflicts: Vec<ApplyConflict>,
    pub weeks: Vec<WeekVersion>,
}

/// 409 `suggestions_stale`: nothing could be applied. The error, and the conflicts item by item.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SuggestionsStale {
    pub error: ErrorDetail,
    /// Always empty.
    pub applied: Vec<AppliedItem>,
    pub conflicts: Vec<ApplyConflict>,
    /// Always empty.
    pub weeks: Vec<WeekVersion>,
}

/// How much each soft goal counts at a location, 0 (ignored) to 10.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct FillWeights {
    /// Reach the contracted hours without exceeding them.
    #[schema(minimum = 0, maximum = 10)]
    pub contract_hours: i64,
    /// Shifts inside windows the person marked preferred.
    #[schema(minimum = 0, maximum = 10)]
    pub preferred: i64,
    /// Open shifts the person marked interest in.
    #[schema(minimum = 0, maximum = 10)]
    pub interest: i64,
    /// Late-night and weekend shifts spread fairly.
    #[schema(minimum = 0, maximum = 10)]
    pub fair_spread: i64,
    /// Competency levels above the shift's minimum.
    #[schema(minimum = 0, maximum = 10)]
    pub competency_margin: i64,
    /// People working at their home venue rather than borrowed.
    #[schema(minimum = 0, maximum = 10)]
    pub home_venue: i64,
    /// Few days with two shifts.
    #[schema(minimum = 0, maximum = 10)]
    pub few_split_days: i64,
}

/// A location's auto-fill settings.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AutofillSettings {
    /// Open slots here may be filled by crew of the manager's other venues.
    pub allow_borrowing: bool,
    pub weights: FillWeights,
}

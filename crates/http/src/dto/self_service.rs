//! JSON shapes of the crew's self-service: my shifts, the calendar feed, availability and time off, and
//! the time-off part of the managers' inbox.

use chrono::{DateTime, NaiveDate, Utc};
use crewplots_domain::scheduling::{model, time_off};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::{LocationRef, PersonName};

mirror!(
    /// What a weekly availability window says.
    AvailabilityKind = model::AvailabilityKind { Available, Unavailable, Preferred }
);
mirror!(
    /// Why someone is away (no medical detail).
    TimeOffCategory = time_off::TimeOffCategory { Vacation, Sick, Personal, Other }
);
mirror!(
    /// Where a time-off request stands.
    TimeOffStatus = time_off::TimeOffStatus { Pending, Approved, Denied, Cancelled }
);

/// One of my published shifts.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MyShift {
    pub assignment_id: Uuid,
    pub shift_id: Uuid,
    pub location: LocationRef,
    pub position_name: String,
    /// The local start date at the location.
    pub date: NaiveDate,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    /// `HH:MM` at the location.
    pub local_start: String,
    pub local_end: String,
    pub break_minutes: u16,
    /// Length minus the unpaid break.
    pub paid_minutes: i64,
    pub note: Option<String>,
    /// First names of the others on the same shift.
    pub colleagues: Vec<String>,
}

/// My hours from published shifts.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MyHours {
    /// `2026-W49`, the current ISO week in my home time zone.
    pub iso_week: String,
    pub week_minutes: i64,
    /// `2026-12`.
    pub month: String,
    pub month_minutes: i64,
    /// The sum of my active contracts, per week.
    pub contracted_minutes: Option<u32>,
}

/// My shifts across all my locations: today's first, then the coming ones, then the recent past (newest
/// first).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MyShifts {
    /// My local date (home time zone).
    pub today: NaiveDate,
    pub timezone: String,
    pub today_shifts: Vec<MyShift>,
    pub upcoming: Vec<MyShift>,
    pub past: Vec<MyShift>,
    pub hours: MyHours,
}

#[derive(Debug, Clone, Deserialize, IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct MyShiftsQuery {
    /// How many days of past shifts to include (0–90, default 14).
    #[param(minimum = 0, maximum = 90)]
    pub past_days: Option<u32>,
}

/// My calendar feed, without its secret (shown once, when made).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CalendarFeed {
    pub active: bool,
    pub created_at: Option<DateTime<Utc>>,
    pub last_used_at: Option<DateTime<Utc>>,
}

/// A new feed address. The token is in the URL only; the server keeps its hash and cannot show it again.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CalendarFeedCreated {
    /// `https://…/api/calendar/<token>.ics`
    pub url: String,
    /// The same address with the `webcal://` scheme, which opens the subscribe dialog of calendar apps.
    pub webcal_url: String,
    pub created_at: DateTime<Utc>,
}

/// A weekly window: the whole day when `start` and `end` are absent; an end at or before the start runs into
/// the next day.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AvailabilityWindow {
    /// 1 = Monday … 7 = Sunday.
    #[schema(minimum = 1, maximum = 7)]
    pub weekday: u8,
    pub kind: AvailabilityKind,
    /// `HH:MM`
    #[schema(pattern = r"^([01][0-9]|2[0-3]):[0-5][0-9]$")]
    pub start: Option<String>,
    #[schema(pattern = r"^([01][0-9]|2[0-3]):[0-5][0-9]$")]
    pub end: Option<String>,
}

/// A weekly pattern in force from `effectiveFrom` until the next one.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AvailabilityPattern {
    pub effective_from: NaiveDate,
    #[schema(max_items = 28)]
    pub windows: Vec<AvailabilityWindow>,
}

/// My declared availability: the pattern in force today and any later ones, and one-off unavailable days.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Availability {
    pub patterns: Vec<AvailabilityPattern>,
    pub unavailable_days: Vec<NaiveDate>,
}

/// Asking for time off: whole days unless a start time (on the first day) or an end time (on the last day)
/// is given.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct TimeOffRequestBody {
    pub first_day: NaiveDate,
    pub last_day: NaiveDate,
    #[schema(pattern = r"^([01][0-9]|2[0-3]):[0-5][0-9]$")]
    pub start_time: Option<String>,
    #[schema(pattern = r"^([01][0-9]|2[0-3]):[0-5][0-9]$")]
    pub end_time: Option<String>,
    pub category: TimeOffCategory,
}

/// A time-off request.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct TimeOff {
    pub id: Uuid,
    pub person: PersonName,
    pub first_day: NaiveDate,
    pub last_day: NaiveDate,
    pub start_time: Option<String>,
    pub end_time: Option<String>,
    /// The time zone the days were typed in.
    pub timezone: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub category: TimeOffCategory,
    pub status: TimeOffStatus,
    pub decided_by: Option<PersonName>,
    pub decided_at: Option<DateTime<Utc>>,
    /// The manager's reason.
    pub reason: Option<String>,
    pub created_at: DateTime<Utc>,
}

/// A shift of the person that falls inside a time-off request.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CollidingShift {
    pub shift_id: Uuid,
    pub location_name: String,
    pub date: NaiveDate,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
}

/// A time-off request in a location's inbox, with the shifts it collides with.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct TimeOffItem {
    pub request: TimeOff,
    pub collisions: Vec<CollidingShift>,
    /// The caller may approve or deny it.
    pub can_decide: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct TimeOffList {
    pub items: Vec<TimeOffItem>,
    pub pending: usize,
}

#[derive(Debug, Clone, Deserialize, IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct TimeOffQuery {
    pub status: Option<TimeOffStatus>,
}

/// A decision on a pending request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TimeOffVerdict {
    Approved,
    Denied,
}

/// Approve or deny; a denial needs a reason.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct TimeOffDecisionBody {
    pub decision: TimeOffVerdict,
    #[schema(max_length = 500)]
    pub reason: Option<String>,
}

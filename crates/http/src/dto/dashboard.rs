//! The dashboard (issue 14 A), retention status (E) and public settings (F) as the API shows them. Hours are
//! decimal numbers rounded to 2 decimals; ISO weeks are `2026-W49`; dates are local calendar dates.

use chrono::{DateTime, NaiveDate, Utc};
use crewplots_domain::dashboard as domain;
use crewplots_domain::retention as retention_domain;
use crewplots_domain::scheduling::hours::hours;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::ApplicationStatus;

#[derive(Debug, Clone, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DashboardParams {
    /// One location; absent: every location the caller may see.
    pub location: Option<Uuid>,
}

/// A location the figures cover.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct DashboardLocation {
    pub id: Uuid,
    pub name: String,
    pub timezone: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PipelineCount {
    pub status: ApplicationStatus,
    pub count: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct HiringFigures {
    /// Applications in status `new`.
    pub new_applications: i64,
    pub received_last_7_days: i64,
    /// All seven statuses in board order, zeros included.
    pub pipeline: Vec<PipelineCount>,
    /// Interviews not cancelled that start in the current ISO week.
    pub interviews_this_week: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CrewFigures {
    pub active: i64,
    pub on_leave: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct DashboardWeekHours {
    #[schema(example = "2026-W49")]
    pub iso_week: String,
    pub scheduled_hours: f64,
    pub contracted_hours: f64,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct DashboardDayCoverage {
    pub date: NaiveDate,
    pub slots: i64,
    pub filled: i64,
    pub open: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ScheduleFigures {
    /// Shifts of the current ISO week (draft and published weeks).
    pub shifts: i64,
    /// Paid hours (duration − break) of this week's assignments.
    pub scheduled_hours: f64,
    /// Contracted hours of the active crew at these locations.
    pub contracted_hours: f64,
    /// Slots minus assignments this week, never negative per shift.
    pub open_slots: i64,
    /// Locations whose current week exists and is still a draft.
    pub draft_weeks: i64,
    /// The last 8 ISO weeks, oldest first, the current one last.
    pub hours_by_week: Vec<DashboardWeekHours>,
    /// The next 7 local dates, today first.
    pub coverage: Vec<DashboardDayCoverage>,
}

/// Requests waiting for a decision (the inbox's numbers).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RequestFigures {
    pub claims: i64,
    pub offers: i64,
    pub swaps: i64,
    pub time_off: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct DocumentFigures {
    pub awaiting_review: i64,
    pub expiring_within_30_days: i64,
}

/// The compiled dashboard: one request, a fixed number of queries.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct DashboardView {
    pub generated_at: DateTime<Utc>,
    /// What the figures cover.
    pub locations: Vec<DashboardLocation>,
    /// The current ISO week, in the first location's time zone (Europe/Amsterdam without locations).
    #[schema(example = "2026-W49")]
    pub iso_week: String,
    /// `null` when the caller may not view applications.
    pub hiring: Option<HiringFigures>,
    pub crew: CrewFigures,
    /// `null` when the caller may not view the schedule.
    pub schedule: Option<ScheduleFigures>,
    /// `null` when the caller may not view requests.
    pub requests: Option<RequestFigures>,
    /// `null` unless the caller reviews documents.
    pub documents: Option<DocumentFigures>,
}

impl From<domain::Dashboard> for DashboardView {
    fn from(d: domain::Dashboard) -> Self {
        let f = d.figures;
        Self {
            generated_at: d.generated_at,
            locations: d
                .locations
                .into_iter()
                .map(|l| DashboardLocation {
                    id: l.id,
                    name: l.name,
                    timezone: l.timezone,
                })
                .collect(),
            iso_week: d.window.week.to_string(),
            hiring: f.hiring.map(|h| HiringFigures {
                new_applications: h.new_applications,
                received_last_7_days: h.received_last_7_days,
                pipeline: h
                    .pipeline
                    .into_iter()
                    .map(|(status, count)| PipelineCount {
                        status: status.into(),
                        count,
                    })
                    .collect(),
                interviews_this_week: h.interviews_this_week,
            }),
            crew: CrewFigures {
                active: f.crew.active,
                on_leave: f.crew.on_leave,
            },
            schedule: f.schedule.map(|s| ScheduleFigures {
                shifts: s.shifts,
                scheduled_hours: hours(s.scheduled_minutes),
                contracted_hours: hours(s.contracted_minutes),
                open_slots: s.open_slots,
                draft_weeks: s.draft_weeks,
                hours_by_week: s
                    .hours_by_week
                    .iter()
                    .map(|w| DashboardWeekHours {
                        iso_week: w.week.to_string(),
                        scheduled_hours: hours(w.scheduled_minutes),
                        contracted_hours: hours(w.contracted_minutes),
                    })
                    .collect(),
                coverage: s
                    .coverage
                    .iter()
                    .map(|c| DashboardDayCoverage {
                        date: c.date,
                        slots: c.slots,
                        filled: c.filled,
                        open: c.open(),
                    })
                    .collect(),
            }),
            requests: f.requests.map(|r| RequestFigures {
                claims: r.claims,
                offers: r.offers,
                swaps: r.swaps,
                time_off: r.time_off,
            }),
            documents: f.documents.map(|d| DocumentFigures {
                awaiting_review: d.awaiting_review,
                expiring_within_30_days: d.expiring_within_30_days,
            }),
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RetentionHold {
    pub reason: String,
    pub since: DateTime<Utc>,
    pub by: super::NamedPerson,
}

/// Whether and when a person's data is erased by retention.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RetentionStatus {
    pub hold: Option<RetentionHold>,
    /// `null` when no rule applies: an application still open, retention off, or on hold.
    pub erases_after: Option<NaiveDate>,
}

impl RetentionStatus {
    pub fn new(
        facts: &retention_domain::RetentionFacts,
        policy: retention_domain::RetentionPolicy,
    ) -> Self {
        Self {
            hold: facts.hold.as_ref().map(|h| RetentionHold {
                reason: h.reason.clone(),
                since: h.since,
                by: (&h.by).into(),
            }),
            erases_after: facts.erases_after(policy),
        }
    }
}

/// Putting a person on hold.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RetentionHoldRequest {
    #[schema(min_length = 1, max_length = 300)]
    pub reason: String,
}

/// Values the front end needs before anyone logs in.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PublicSettings {
    /// The privacy notice version registration must consent to.
    pub privacy_notice_version: String,
    /// Days a closed applicant's data is kept; 0: retention is off.
    pub retention_days: u32,
    /// Largest document upload accepted, in bytes.
    pub max_upload_bytes: u64,
}

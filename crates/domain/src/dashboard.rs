//! The compiled dashboard (SPEC §4.8): what a manager sees first — hiring, crew, this week's schedule,
//! pending requests and documents — for one location or every location the caller may see.
//!
//! What lives here: the time [`Window`] the figures are counted in (pure, in the reference time zone), the
//! decision which parts a caller gets ([`plan`]), the figures themselves, the [`DashboardStore`] port that
//! reads them, and the use case [`compile`].
//!
//! Invariants:
//! - The figures cover exactly the locations in [`Dashboard::locations`]; a manager's or floor manager's
//!   request never reaches past their own locations (a foreign location is "not found").
//! - A part the caller's role may not see is `None`, never zeros (e.g. documents for floor managers).
//! - The store reads everything in a fixed number of queries whatever the number of locations.
//! - Dates are local calendar dates of the reference time zone (the first location's, else
//!   Europe/Amsterdam); "the next day" is the next calendar date resolved again in the zone, never + 24 h.

use async_trait::async_trait;
use chrono::{DateTime, Days, NaiveDate, NaiveTime, Utc};
use chrono_tz::Tz;
use uuid::Uuid;

use crate::accounts::Location;
use crate::hiring::ApplicationStatus;
use crate::policy::{self, Action, Actor, LocationScope};
use crate::ports::{LocationStore, StoreError, StoreResult};
use crate::scheduling::time::{local, resolve, zone, IsoWeek, LocalPolicy};

/// ISO weeks in the hours chart, the current one last.
pub const HOURS_WEEKS: usize = 8;
/// Days of the coverage strip, today first.
pub const COVERAGE_DAYS: usize = 7;
/// "Expiring" documents: within this many days (or already expired), as the expiring list counts them.
pub const EXPIRING_WITHIN_DAYS: u32 = 30;

/// The time frame of one dashboard, in the reference time zone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Window {
    /// The local date now.
    pub today: NaiveDate,
    /// The ISO week `today` belongs to.
    pub week: IsoWeek,
    /// The week's first and last instant (Monday 00:00 to the next Monday 00:00, local).
    pub week_starts: DateTime<Utc>,
    pub week_ends: DateTime<Utc>,
    /// Local midnight six calendar days ago: "the last 7 days" are today and the six dates before it.
    pub received_since: DateTime<Utc>,
    /// The last [`HOURS_WEEKS`] ISO weeks, oldest first, the current one last.
    pub weeks: Vec<IsoWeek>,
    /// [`COVERAGE_DAYS`] consecutive local dates starting today.
    pub days: Vec<NaiveDate>,
}

impl Window {
    /// The window at `now` in `tz`.
    pub fn at(now: DateTime<Utc>, tz: Tz) -> Self {
        let today = local(tz, now).date();
        let week = IsoWeek::of(today);
        let (week_starts, week_ends) = week.bounds(tz);
        let first_day = today.checked_sub_days(Days::new(6)).unwrap_or(today);
        let received_since = resolve(tz, first_day, NaiveTime::MIN, LocalPolicy::Expand)
            .unwrap_or_else(|_| first_day.and_time(NaiveTime::MIN).and_utc());
        let weeks = (0..HOURS_WEEKS as i64)
            .rev()
            .filter_map(|back| week.plus(-back))
            .collect();
        let days = (0..COVERAGE_DAYS as u64)
            .filter_map(|ahead| today.checked_add_days(Days::new(ahead)))
            .collect();
        Self {
            today,
            week,
            week_starts,
            week_ends,
            received_since,
            weeks,
            days,
        }
    }
}

/// What the store is asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DashboardQuery {
    pub locations: Vec<Uuid>,
    pub window: Window,
    /// Hiring figures (the caller may view applications).
    pub hiring: bool,
    /// Schedule figures (the caller may view the schedule).
    pub schedule: bool,
    /// Pending request counts (the caller may view requests).
    pub requests: bool,
    /// Document counts over the people in this scope (the caller may review documents).
    pub documents: Option<LocationScope>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HiringFigures {
    pub new_applications: i64,
    pub received_last_7_days: i64,
    /// Every status in board order, zeros included.
    pub pipeline: Vec<(ApplicationStatus, i64)>,
    /// Interviews not cancelled starting in the current ISO week.
    pub interviews_this_week: i64,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CrewFigures {
    pub active: i64,
    pub on_leave: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WeekHours {
    pub week: IsoWeek,
    /// Paid minutes (length − break) of the assignments of the week's shifts.
    pub scheduled_minutes: i64,
    /// Contracted minutes of the active crew (today's contracts: there is no history of contracts).
    pub contracted_minutes: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DayCoverage {
    pub date: NaiveDate,
    pub slots: i64,
    /// Assignments, at most the slots per shift.
    pub filled: i64,
}

impl DayCoverage {
    pub fn open(&self) -> i64 {
        (self.slots - self.filled).max(0)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScheduleFigures {
    /// Shifts of the current ISO week (draft and published weeks).
    pub shifts: i64,
    pub scheduled_minutes: i64,
    pub contracted_minutes: i64,
    /// Slots minus assignments of this week's shifts, never negative per shift.
    pub open_slots: i64,
    /// Locations whose current week exists and is still a draft.
    pub draft_weeks: i64,
    /// One entry per week of [`Window::weeks`], in that order.
    pub hours_by_week: Vec<WeekHours>,
    /// One entry per date of [`Window::days`], in that order.
    pub coverage: Vec<DayCoverage>,
}

/// Pending requests waiting for a decision, as the inbox counts them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RequestFigures {
    pub claims: i64,
    pub offers: i64,
    pub swaps: i64,
    pub time_off: i64,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DocumentFigures {
    pub awaiting_review: i64,
    pub expiring_within_30_days: i64,
}

/// Everything the store compiled; a part not asked for is `None`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DashboardFigures {
    pub hiring: Option<HiringFigures>,
    pub crew: CrewFigures,
    pub schedule: Option<ScheduleFigures>,
    pub requests: Option<RequestFigures>,
    pub documents: Option<DocumentFigures>,
}

/// The compiled dashboard.
#[derive(Debug, Clone, PartialEq)]
pub struct Dashboard {
    pub generated_at: DateTime<Utc>,
    pub locations: Vec<Location>,
    pub window: Window,
    pub figures: DashboardFigures,
}

/// Reads the dashboard's figures.
#[async_trait]
pub trait DashboardStore: Send + Sync {
    /// Every figure the query asks for, in a fixed number of queries whatever the number of locations.
    async fn dashboard(&self, query: &DashboardQuery) -> StoreResult<DashboardFigures>;
}

/// Why a dashboard is refused.
#[derive(Debug, thiserror::Error)]
pub enum DashboardError {
    #[error("not allowed")]
    Forbidden,
    /// The location does not exist for the caller.
    #[error("not found")]
    NotFound,
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Which locations and parts a caller's dashboard has.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    /// `None`: every location (administrators without a chosen location).
    pub only: Option<Vec<Uuid>>,
    pub hiring: bool,
    pub schedule: bool,
    pub requests: bool,
    pub documents: bool,
}

/// Decides the dashboard of `actor` for the `requested` location (or all they may see).
pub fn plan(actor: &Actor, requested: Option<Uuid>) -> Result<Plan, DashboardError> {
    let scope = policy::scope(actor, Action::ViewDashboard).ok_or(DashboardError::Forbidden)?;
    let only = match (requested, scope) {
        (Some(location), LocationScope::All) => Some(vec![location]),
        (Some(location), LocationScope::Only(ids)) if ids.contains(&location) => {
            Some(vec![location])
        }
        (Some(_), LocationScope::Only(_)) => return Err(DashboardError::NotFound),
        (None, LocationScope::All) => None,
        (None, LocationScope::Only(ids)) => Some(ids),
    };
    // Every part is location-scoped the same way as the dashboard itself (the policy gives managers and
    // floor managers their own locations for each), so a part is either whole or absent.
    let may = |action| policy::allows(actor.role, action);
    Ok(Plan {
        only,
        hiring: may(Action::ViewApplications),
        schedule: may(Action::ViewSchedule),
        requests: may(Action::ViewRequests),
        documents: may(Action::ReviewDocuments),
    })
}

/// The use case: decide, read the locations, compute the window in the reference zone, read the figures.
pub async fn compile(
    locations: &dyn LocationStore,
    store: &dyn DashboardStore,
    actor: &Actor,
    requested: Option<Uuid>,
    now: DateTime<Utc>,
) -> Result<Dashboard, DashboardError> {
    let plan = plan(actor, requested)?;
    let covered = locations.list(plan.only.as_deref()).await?;
    if requested.is_some() && covered.is_empty() {
        return Err(DashboardError::NotFound);
    }
    let tz = covered
        .first()
        .map_or(chrono_tz::Europe::Amsterdam, |l| zone(&l.timezone));
    let window = Window::at(now, tz);
    let ids: Vec<Uuid> = covered.iter().map(|l| l.id).collect();
    let documents = plan.documents.then(|| match &plan.only {
        None => LocationScope::All,
        Some(_) => LocationScope::Only(ids.clone()),
    });
    let figures = store
        .dashboard(&DashboardQuery {
            locations: ids,
            window: window.clone(),
            hiring: plan.hiring,
            schedule: plan.schedule,
            requests: plan.requests,
            documents,
        })
        .await?;
    Ok(Dashboard {
        generated_at: now,
        locations: covered,
        window,
        figures,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Role;
    use chrono::TimeZone;
    use chrono_tz::Europe::Amsterdam;

    fn actor(role: Role, locations: &[u128]) -> Actor {
        Actor {
            id: Uuid::from_u128(99),
            role,
            locations: locations.iter().copied().map(Uuid::from_u128).collect(),
        }
    }

    #[test]
    fn the_window_uses_the_local_date_not_the_utc_one() {
        // Sunday 29 March 2026, 23:30 UTC is already Monday 01:30 in Amsterdam (after the spring change).
        let now = Utc.with_ymd_and_hms(2026, 3, 29, 23, 30, 0).unwrap();
        let window = Window::at(now, Amsterdam);
        assert_eq!(window.today, NaiveDate::from_ymd_opt(2026, 3, 30).unwrap());
        assert_eq!(window.week.to_string(), "2026-W14");
        assert_eq!(
            window.week_starts,
            Utc.with_ymd_and_hms(2026, 3, 29, 22, 0, 0).unwrap()
        );
    }

    #[test]
    fn the_last_seven_days_start_at_local_midnight_across_a_clock_change() {
        // Friday 3 April 2026, noon in Amsterdam (summer time): six dates back is Saturday 28 March, whose
        // midnight was still winter time (UTC+1).
        let now = Utc.with_ymd_and_hms(2026, 4, 3, 10, 0, 0).unwrap();
        let window = Window::at(now, Amsterdam);
        assert_eq!(
            window.received_since,
            Utc.with_ymd_and_hms(2026, 3, 27, 23, 0, 0).unwrap()
        );
        // The coverage strip crosses nothing odd: seven consecutive calendar dates from today.
        assert_eq!(window.days.len(), COVERAGE_DAYS);
        assert_eq!(window.days[0], window.today);
        assert!(window
            .days
            .windows(2)
            .all(|pair| pair[0].succ_opt() == Some(pair[1])));
    }

    #[test]
    fn hours_cover_eight_weeks_oldest_first_across_a_year_boundary() {
        let now = Utc.with_ymd_and_hms(2026, 1, 7, 12, 0, 0).unwrap();
        let window = Window::at(now, Amsterdam);
        let names: Vec<String> = window.weeks.iter().map(ToString::to_string).collect();
        assert_eq!(names.len(), HOURS_WEEKS);
        assert_eq!(names.first().unwrap(), "2025-W47");
        assert_eq!(names.last().unwrap(), "2026-W02");
        assert_eq!(*window.weeks.last().unwrap(), window.week);
    }

    #[test]
    fn plans_follow_the_policy_and_never_reach_past_the_callers_locations() {
        let one = Uuid::from_u128(1);
        let manager = plan(&actor(Role::Manager, &[1, 2]), None).unwrap();
        assert_eq!(
            manager.only,
            Some(vec![Uuid::from_u128(1), Uuid::from_u128(2)])
        );
        assert!(manager.hiring && manager.schedule && manager.requests && manager.documents);
        assert!(matches!(
            plan(&actor(Role::Manager, &[1]), Some(Uuid::from_u128(3))),
            Err(DashboardError::NotFound)
        ));
        let floor = plan(&actor(Role::FloorManager, &[1]), Some(one)).unwrap();
        assert_eq!(floor.only, Some(vec![one]));
        assert!(floor.hiring, "floor managers may view the board");
        assert!(!floor.documents, "floor managers do not review documents");
        let admin = plan(&actor(Role::Administrator, &[]), None).unwrap();
        assert_eq!(admin.only, None);
        for role in [Role::CrewMember, Role::Applicant] {
            assert!(matches!(
                plan(&actor(role, &[1]), Some(one)),
                Err(DashboardError::Forbidden)
            ));
        }
    }
}

//! The one rule engine (SCHEDULING.md §2). Every path that puts a person on a shift — a manager's click, a
//! claim, a swap, an approval, auto-fill — calls [`check`] on plain data and gets *every* reason that applies,
//! each with a stable code and the figures a person needs.
//!
//! Invariants:
//! - Hours, rest and overlap are computed on instants, never on wall-clock times.
//! - Minimum rest applies between shifts of different local start dates; two shifts on one day (a split
//!   shift, 06–10 and 16–21) are allowed however close.
//! - A week's hours are the paid minutes (length minus break) of the person's shifts whose local start date
//!   lies in that ISO week, at every location; the contract is the sum of the person's active contracts.
//! - [`Verdict::decide`] never lets a hard refusal through; overridable ones pass only with a reason.

use std::collections::BTreeSet;

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, Utc};
use uuid::Uuid;

use crate::scheduling::model::{
    paid_minutes, Availability, AvailabilityKind, CrewStatus, LocationRules, TimeOff,
};
use crate::scheduling::time::IsoWeek;

/// How a reason weighs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// Never allowed.
    Refuse,
    /// Refused unless a manager overrides with a reason.
    Overridable,
    /// Allowed; shown.
    Warning,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Refuse => "refuse",
            Self::Overridable => "overridable",
            Self::Warning => "warning",
        }
    }
}

/// A shift the person already holds (at any location), or the one being checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BookedShift {
    pub shift_id: Uuid,
    pub location_name: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub break_minutes: u16,
    /// The local start date at its own location (decides its ISO week and its day).
    pub local_date: NaiveDate,
}

impl BookedShift {
    pub fn paid_minutes(&self) -> i64 {
        paid_minutes(self.starts_at, self.ends_at, self.break_minutes)
    }
}

/// A competency the shift needs, with its name for messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NeededLevel {
    pub competency_id: Uuid,
    pub name: String,
    pub min_level: u8,
}

/// What the engine knows of the shift.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShiftFacts {
    pub shift: BookedShift,
    /// Wall-clock start and end at the shift's location (availability is declared in wall-clock time).
    pub local_start: NaiveDateTime,
    pub local_end: NaiveDateTime,
    pub slots: u16,
    /// People on the shift now.
    pub assigned: Vec<Uuid>,
    pub requirements: Vec<NeededLevel>,
}

/// What the engine knows of the person.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PersonFacts {
    pub user_id: Uuid,
    /// Their crew status at the shift's location (`None`: not crew there).
    pub status: Option<CrewStatus>,
    /// The sum of their active contracts, in minutes a week (`None`: no contract).
    pub contracted_minutes: Option<u32>,
    /// Levels by competency id (missing = 0).
    pub levels: Vec<(Uuid, u8)>,
    /// Their other shifts near this one (at least a week either side), at every location.
    pub booked: Vec<BookedShift>,
    pub time_off: Vec<TimeOff>,
    pub availability: Availability,
}

impl PersonFacts {
    fn level(&self, competency: Uuid) -> u8 {
        self.levels
            .iter()
            .find(|(id, _)| *id == competency)
            .map_or(0, |(_, level)| *level)
    }
}

/// One reason, with its figures.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reason {
    NotCrewHere {
        status: Option<CrewStatus>,
    },
    SlotsFull {
        slots: u16,
    },
    Overlap {
        other: BookedShift,
    },
    TimeOff {
        starts_at: DateTime<Utc>,
        ends_at: DateTime<Utc>,
    },
    RestTooShort {
        rest_minutes: i64,
        minimum_minutes: u32,
        other: BookedShift,
    },
    CompetencyBelowMinimum {
        competency_id: Uuid,
        name: String,
        level: u8,
        minimum: u8,
    },
    Unavailable {
        /// The declared window the shift falls outside of, or the one-off day.
        declared: Unavailability,
    },
    OverContractHours {
        week_minutes: i64,
        contract_minutes: u32,
    },
    OverWeeklyMax {
        week_minutes: i64,
        max_minutes: u32,
    },
    SeventhDay {
        consecutive_days: u32,
    },
}

/// What makes a person unavailable for a shift.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unavailability {
    /// A one-off day marked unavailable.
    Date(NaiveDate),
    /// A weekly window marked unavailable overlaps the shift (`None`: the whole day).
    Window(Option<(chrono::NaiveTime, chrono::NaiveTime)>),
    /// The person is available that weekday only in windows the shift does not fit.
    OutsideWindows,
}

impl Reason {
    /// The stable code.
    pub fn code(&self) -> &'static str {
        match self {
            Self::NotCrewHere { .. } => "not_crew_here",
            Self::SlotsFull { .. } => "slots_full",
            Self::Overlap { .. } => "overlap",
            Self::TimeOff { .. } => "time_off",
            Self::RestTooShort { .. } => "rest_too_short",
            Self::CompetencyBelowMinimum { .. } => "competency_below_minimum",
            Self::Unavailable { .. } => "unavailable",
            Self::OverContractHours { .. } => "over_contract_hours",
            Self::OverWeeklyMax { .. } => "over_weekly_max",
            Self::SeventhDay { .. } => "seventh_day",
        }
    }

    pub fn severity(&self) -> Severity {
        match self {
            Self::NotCrewHere { .. }
            | Self::SlotsFull { .. }
            | Self::Overlap { .. }
            | Self::TimeOff { .. } => Severity::Refuse,
            Self::RestTooShort { .. }
            | Self::CompetencyBelowMinimum { .. }
            | Self::Unavailable { .. } => Severity::Overridable,
            Self::OverContractHours { .. }
            | Self::OverWeeklyMax { .. }
            | Self::SeventhDay { .. } => Severity::Warning,
        }
    }

    /// The English sentence with the figures ("Rest 10 h, minimum 11 h."), times in `tz`.
    pub fn message(&self, tz: chrono_tz::Tz) -> String {
        let when = |at: DateTime<Utc>| at.with_timezone(&tz).format("%a %-d %b %H:%M").to_string();
        match self {
            Self::NotCrewHere { status: None } => "Not crew at this location.".into(),
            Self::NotCrewHere { status: Some(s) } => {
                format!(
                    "Not active crew at this location ({}).",
                    s.as_str().replace('_', " ")
                )
            }
            Self::SlotsFull { slots } => format!("Every slot is taken ({slots} of {slots})."),
            Self::Overlap { other } => format!(
                "Already working {}–{} at {}.",
                when(other.starts_at),
                when(other.ends_at),
                other.location_name
            ),
            Self::TimeOff { starts_at, ends_at } => {
                format!(
                    "On approved time off {} – {}.",
                    when(*starts_at),
                    when(*ends_at)
                )
            }
            Self::RestTooShort {
                rest_minutes,
                minimum_minutes,
                other,
            } => format!(
                "Rest {}, minimum {} (next to the shift {}–{} at {}).",
                hours(*rest_minutes),
                hours(i64::from(*minimum_minutes)),
                when(other.starts_at),
                when(other.ends_at),
                other.location_name
            ),
            Self::CompetencyBelowMinimum {
                name,
                level,
                minimum,
                ..
            } => format!("{name}: level {level}, minimum {minimum}."),
            Self::Unavailable { declared } => match declared {
                Unavailability::Date(date) => format!("Marked unavailable on {date}."),
                Unavailability::Window(None) => "Unavailable that whole day.".into(),
                Unavailability::Window(Some((from, to))) => format!(
                    "Unavailable {}–{} that day.",
                    from.format("%H:%M"),
                    to.format("%H:%M")
                ),
                Unavailability::OutsideWindows => {
                    "Outside the times declared available that day.".into()
                }
            },
            Self::OverContractHours {
                week_minutes,
                contract_minutes,
            } => format!(
                "{} this week, contract {}.",
                hours(*week_minutes),
                hours(i64::from(*contract_minutes))
            ),
            Self::OverWeeklyMax {
                week_minutes,
                max_minutes,
            } => format!(
                "{} this week, maximum {}.",
                hours(*week_minutes),
                hours(i64::from(*max_minutes))
            ),
            Self::SeventhDay { consecutive_days } => {
                format!("{consecutive_days} days in a row without a day off.")
            }
        }
    }
}

/// Minutes as decimal hours: `10 h`, `10.5 h`, `7.75 h`.
pub fn hours(minutes: i64) -> String {
    let whole = minutes / 60;
    let rest = minutes.rem_euclid(60);
    if rest == 0 {
        format!("{whole} h")
    } else {
        let decimal = format!("{:.2}", minutes as f64 / 60.0);
        format!("{} h", decimal.trim_end_matches('0'))
    }
}

/// Every reason that applies, most severe first.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Verdict {
    pub reasons: Vec<Reason>,
}

/// Why the engine said no.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    /// Every reason (warnings included), most severe first.
    pub reasons: Vec<Reason>,
    /// Only overridable reasons stand in the way; an override with a reason would pass.
    pub overridable: bool,
}

/// What passed: the codes that were overridden and the warnings to show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Accepted {
    pub overridden: Vec<&'static str>,
    pub warnings: Vec<Reason>,
}

impl Verdict {
    /// No refusal of any kind (warnings allowed).
    pub fn is_clear(&self) -> bool {
        self.reasons
            .iter()
            .all(|r| r.severity() == Severity::Warning)
    }

    /// Only overridable refusals (and warnings).
    pub fn is_overridable(&self) -> bool {
        !self.is_clear()
            && self
                .reasons
                .iter()
                .all(|r| r.severity() != Severity::Refuse)
    }

    pub fn codes(&self) -> Vec<&'static str> {
        self.reasons.iter().map(Reason::code).collect()
    }

    /// The decision, given the reason of a manager's override if there is one. Hard refusals always stand.
    pub fn decide(self, override_reason: Option<&str>) -> Result<Accepted, Refusal> {
        let overriding = override_reason.is_some_and(|r| !r.trim().is_empty());
        let hard = self
            .reasons
            .iter()
            .any(|r| r.severity() == Severity::Refuse);
        let soft = self
            .reasons
            .iter()
            .any(|r| r.severity() == Severity::Overridable);
        if hard || (soft && !overriding) {
            return Err(Refusal {
                overridable: !hard,
                reasons: self.reasons,
            });
        }
        let overridden = self
            .reasons
            .iter()
            .filter(|r| r.severity() == Severity::Overridable)
            .map(Reason::code)
            .collect();
        Ok(Accepted {
            overridden,
            warnings: self
                .reasons
                .into_iter()
                .filter(|r| r.severity() == Severity::Warning)
                .collect(),
        })
    }
}

fn overlaps(a: &BookedShift, b_start: DateTime<Utc>, b_end: DateTime<Utc>) -> bool {
    a.starts_at < b_end && b_start < a.ends_at
}

/// Time between two non-overlapping shifts.
fn gap(a: &BookedShift, b: &BookedShift) -> Duration {
    if a.ends_at <= b.starts_at {
        b.starts_at - a.ends_at
    } else {
        a.starts_at - b.ends_at
    }
}

/// Checks putting `person` on `shift` under `rules`. Pure: the same facts give the same verdict.
pub fn check(shift: &ShiftFacts, person: &PersonFacts, rules: &LocationRules) -> Verdict {
    let target = &shift.shift;
    let mut reasons = Vec::new();

    if person.status != Some(CrewStatus::Active) {
        reasons.push(Reason::NotCrewHere {
            status: person.status,
        });
    }
    let others_here = shift
        .assigned
        .iter()
        .filter(|id| **id != person.user_id)
        .count();
    if others_here >= usize::from(shift.slots) {
        reasons.push(Reason::SlotsFull { slots: shift.slots });
    }
    // The person's other shifts; being on this very shift already counts as an overlap with it.
    let mut booked: Vec<&BookedShift> = person
        .booked
        .iter()
        .filter(|b| b.shift_id != target.shift_id)
        .collect();
    booked.sort_by_key(|b| (b.starts_at, b.shift_id));
    if shift.assigned.contains(&person.user_id) {
        reasons.push(Reason::Overlap {
            other: target.clone(),
        });
    }
    for other in booked
        .iter()
        .filter(|b| overlaps(b, target.starts_at, target.ends_at))
    {
        reasons.push(Reason::Overlap {
            other: (*other).clone(),
        });
    }
    for off in &person.time_off {
        if off.starts_at < target.ends_at && target.starts_at < off.ends_at {
            reasons.push(Reason::TimeOff {
                starts_at: off.starts_at,
                ends_at: off.ends_at,
            });
        }
    }
    let minimum = Duration::minutes(i64::from(rules.min_rest_minutes));
    for other in &booked {
        if overlaps(other, target.starts_at, target.ends_at)
            || other.local_date == target.local_date
        {
            continue;
        }
        let rest = gap(other, target);
        if rest < minimum {
            reasons.push(Reason::RestTooShort {
                rest_minutes: rest.num_minutes(),
                minimum_minutes: rules.min_rest_minutes,
                other: (*other).clone(),
            });
        }
    }
    for need in &shift.requirements {
        let level = person.level(need.competency_id);
        if level < need.min_level {
            reasons.push(Reason::CompetencyBelowMinimum {
                competency_id: need.competency_id,
                name: need.name.clone(),
                level,
                minimum: need.min_level,
            });
        }
    }
    if let Some(declared) = unavailability(&person.availability, shift.local_start, shift.local_end)
    {
        reasons.push(Reason::Unavailable { declared });
    }

    // Warnings over the week with this shift added.
    let week = IsoWeek::of(target.local_date);
    let mut week_minutes = target.paid_minutes();
    for other in &booked {
        if IsoWeek::of(other.local_date) == week
            && !overlaps(other, target.starts_at, target.ends_at)
        {
            week_minutes += other.paid_minutes();
        }
    }
    if let Some(contract) = person.contracted_minutes {
        if week_minutes > i64::from(contract) {
            reasons.push(Reason::OverContractHours {
                week_minutes,
                contract_minutes: contract,
            });
        }
    }
    if week_minutes > i64::from(rules.weekly_max_minutes) {
        reasons.push(Reason::OverWeeklyMax {
            week_minutes,
            max_minutes: rules.weekly_max_minutes,
        });
    }
    let days: BTreeSet<NaiveDate> = booked
        .iter()
        .map(|b| b.local_date)
        .chain(std::iter::once(target.local_date))
        .collect();
    let run = consecutive_run(&days, target.local_date);
    if run >= 7 {
        reasons.push(Reason::SeventhDay {
            consecutive_days: run,
        });
    }

    reasons.sort_by_key(Reason::severity);
    Verdict { reasons }
}

/// The length of the run of consecutive dates in `days` that contains `day`.
fn consecutive_run(days: &BTreeSet<NaiveDate>, day: NaiveDate) -> u32 {
    if !days.contains(&day) {
        return 0;
    }
    let mut run = 1;
    let mut back = day;
    while let Some(previous) = back.pred_opt().filter(|d| days.contains(d)) {
        run += 1;
        back = previous;
    }
    let mut forward = day;
    while let Some(next) = forward.succ_opt().filter(|d| days.contains(d)) {
        run += 1;
        forward = next;
    }
    run
}

/// Whether the declared availability rules out a shift from `start` to `end` (wall clock at its location).
pub fn unavailability(
    availability: &Availability,
    start: NaiveDateTime,
    end: NaiveDateTime,
) -> Option<Unavailability> {
    let date = start.date();
    if availability.unavailable_dates.contains(&date) {
        return Some(Unavailability::Date(date));
    }
    let weekday = date.weekday();
    let windows: Vec<_> = availability
        .weekly
        .iter()
        .filter(|w| w.weekday == weekday)
        .collect();
    let span = |window: Option<(chrono::NaiveTime, chrono::NaiveTime)>| match window {
        None => (
            date.and_time(chrono::NaiveTime::MIN),
            date.succ_opt().map(|d| d.and_time(chrono::NaiveTime::MIN)),
        ),
        Some((from, to)) => {
            let end_date = if to <= from {
                date.succ_opt()
            } else {
                Some(date)
            };
            (date.and_time(from), end_date.map(|d| d.and_time(to)))
        }
    };
    for w in windows
        .iter()
        .filter(|w| w.kind == AvailabilityKind::Unavailable)
    {
        let (from, to) = span(w.window);
        if to.is_none_or(|to| start < to) && from < end {
            return Some(Unavailability::Window(w.window));
        }
    }
    let open: Vec<_> = windows
        .iter()
        .filter(|w| w.kind != AvailabilityKind::Unavailable)
        .collect();
    if open.is_empty() {
        return None;
    }
    let fits = open.iter().any(|w| match w.window {
        // Available the whole day: any shift starting that day.
        None => true,
        Some(_) => {
            let (from, to) = span(w.window);
            start >= from && to.is_none_or(|to| end <= to)
        }
    });
    (!fits).then_some(Unavailability::OutsideWindows)
}

/// Whether the shift falls in a window the person marked preferred (a soft goal for auto-fill).
pub fn is_preferred(availability: &Availability, start: NaiveDateTime, end: NaiveDateTime) -> bool {
    let preferred = Availability {
        weekly: availability
            .weekly
            .iter()
            .filter(|w| w.kind == AvailabilityKind::Preferred)
            .copied()
            .collect(),
        unavailable_dates: Vec::new(),
    };
    !preferred.weekly.is_empty() && unavailability(&preferred, start, end).is_none()
}

/// A person's week as the grid shows it: paid minutes and the warnings and reported rule breaches
/// (rest, overlap) among their shifts touching the week.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PersonWeek {
    pub minutes: i64,
    pub reasons: Vec<Reason>,
}

/// Sums up a person's shifts (every location, at least the week and a week either side) for `week`.
pub fn person_week(
    shifts: &[BookedShift],
    week: IsoWeek,
    contracted_minutes: Option<u32>,
    rules: &LocationRules,
) -> PersonWeek {
    let mut sorted: Vec<&BookedShift> = shifts.iter().collect();
    sorted.sort_by_key(|s| (s.starts_at, s.shift_id));
    sorted.dedup_by_key(|s| s.shift_id);
    let in_week: Vec<&&BookedShift> = sorted
        .iter()
        .filter(|s| week.contains(s.local_date))
        .collect();
    let minutes: i64 = in_week.iter().map(|s| s.paid_minutes()).sum();
    let mut reasons = Vec::new();
    let minimum = Duration::minutes(i64::from(rules.min_rest_minutes));
    for pair in sorted.windows(2) {
        let (a, b) = (pair[0], pair[1]);
        if !(week.contains(a.local_date) || week.contains(b.local_date)) {
            continue;
        }
        if overlaps(a, b.starts_at, b.ends_at) {
            reasons.push(Reason::Overlap { other: b.clone() });
        } else if a.local_date != b.local_date && gap(a, b) < minimum {
            reasons.push(Reason::RestTooShort {
                rest_minutes: gap(a, b).num_minutes(),
                minimum_minutes: rules.min_rest_minutes,
                other: b.clone(),
            });
        }
    }
    if let Some(contract) = contracted_minutes {
        if minutes > i64::from(contract) {
            reasons.push(Reason::OverContractHours {
                week_minutes: minutes,
                contract_minutes: contract,
            });
        }
    }
    if minutes > i64::from(rules.weekly_max_minutes) {
        reasons.push(Reason::OverWeeklyMax {
            week_minutes: minutes,
            max_minutes: rules.weekly_max_minutes,
        });
    }
    let days: BTreeSet<NaiveDate> = sorted.iter().map(|s| s.local_date).collect();
    let longest = week
        .days()
        .iter()
        .map(|d| consecutive_run(&days, *d))
        .max()
        .unwrap_or(0);
    if longest >= 7 {
        reasons.push(Reason::SeventhDay {
            consecutive_days: longest,
        });
    }
    reasons.sort_by_key(Reason::severity);
    PersonWeek { minutes, reasons }
}

#[cfg(test)]
mod tests;

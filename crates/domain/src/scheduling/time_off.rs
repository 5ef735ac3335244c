//! Time off (SCHEDULING.md §4): a person asks for a range of whole or part days, a manager of one of their
//! locations approves or denies it with a reason, the person may cancel it while it is pending. Approved
//! time off is what the rule engine refuses assignments with (`time_off`).
//!
//! Invariants:
//! - the range is typed in the person's home time zone and stored both as typed (days, optional times) and
//!   as instants; the instants are what the engine compares, so the clock change is accounted for;
//! - a range ends after it starts, spans at most [`MAX_DAYS`] days and has not entirely passed;
//! - a request is decided once: `pending → approved | denied | cancelled`, nothing leaves those three.

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use chrono_tz::Tz;
use uuid::Uuid;

use crate::hiring::PersonRef;
use crate::scheduling::time::{resolve, LocalPolicy};
use crate::validation::FieldErrors;

/// The longest range one request may cover, in days.
pub const MAX_DAYS: i64 = 365;
/// Longest reason a manager may give.
pub const MAX_REASON_CHARS: usize = 500;

/// Why someone is away. No medical detail is ever asked for or stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeOffCategory {
    Vacation,
    Sick,
    Personal,
    Other,
}

impl TimeOffCategory {
    pub const ALL: [Self; 4] = [Self::Vacation, Self::Sick, Self::Personal, Self::Other];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Vacation => "vacation",
            Self::Sick => "sick",
            Self::Personal => "personal",
            Self::Other => "other",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == text)
    }
}

/// Where a request stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeOffStatus {
    Pending,
    Approved,
    Denied,
    Cancelled,
}

impl TimeOffStatus {
    pub const ALL: [Self; 4] = [Self::Pending, Self::Approved, Self::Denied, Self::Cancelled];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Approved => "approved",
            Self::Denied => "denied",
            Self::Cancelled => "cancelled",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == text)
    }

    /// Whether a request in this state may move to `to` (only pending requests move, and only once).
    pub fn may_become(self, to: Self) -> bool {
        self == Self::Pending && to != Self::Pending
    }
}

/// A range as the person typed it: from `first_day` (at `start_time`, or its start) to `last_day` (at
/// `end_time`, or its end).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimeOffRange {
    pub first_day: NaiveDate,
    pub last_day: NaiveDate,
    pub start_time: Option<NaiveTime>,
    pub end_time: Option<NaiveTime>,
}

impl TimeOffRange {
    /// The range's instants in `tz`, checked against `today` (the person's local date). Field codes:
    /// `lastDay: before_first_day | range_too_long | in_past`, `endTime: not_after_start`,
    /// `startTime | endTime: invalid_local_time` (a time the clock change skips).
    pub fn instants(
        &self,
        tz: Tz,
        today: NaiveDate,
    ) -> Result<(DateTime<Utc>, DateTime<Utc>), FieldErrors> {
        let mut errors = FieldErrors::default();
        if self.last_day < self.first_day {
            errors.add("lastDay", "before_first_day");
        } else if (self.last_day - self.first_day).num_days() + 1 > MAX_DAYS {
            errors.add("lastDay", "range_too_long");
        } else if self.last_day < today {
            errors.add("lastDay", "in_past");
        }
        // Midnight can be skipped in a few zones; the default boundaries move forward over such a gap.
        let starts_at = match self.start_time {
            Some(time) => resolve(tz, self.first_day, time, LocalPolicy::Strict).map_err(|_| {
                errors.add("startTime", "invalid_local_time");
            }),
            None => resolve(tz, self.first_day, NaiveTime::MIN, LocalPolicy::Expand)
                .map_err(|_| errors.add("firstDay", "invalid_date")),
        };
        let ends_at = match self.end_time {
            Some(time) => resolve(tz, self.last_day, time, LocalPolicy::Strict).map_err(|_| {
                errors.add("endTime", "invalid_local_time");
            }),
            None => match self.last_day.succ_opt() {
                Some(next) => resolve(tz, next, NaiveTime::MIN, LocalPolicy::Expand)
                    .map_err(|_| errors.add("lastDay", "invalid_date")),
                None => {
                    errors.add("lastDay", "invalid_date");
                    Err(())
                }
            },
        };
        if let (Ok(start), Ok(end)) = (starts_at, ends_at) {
            if end <= start && errors.is_empty() {
                errors.add("endTime", "not_after_start");
            }
            errors.into_result()?;
            return Ok((start, end));
        }
        Err(errors)
    }
}

/// A request as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimeOffRequest {
    pub id: Uuid,
    pub person: PersonRef,
    pub range: TimeOffRange,
    pub timezone: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub category: TimeOffCategory,
    pub status: TimeOffStatus,
    pub decided_by: Option<PersonRef>,
    pub decided_at: Option<DateTime<Utc>>,
    /// The manager's reason for the decision.
    pub reason: Option<String>,
    pub created_at: DateTime<Utc>,
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use chrono::TimeZone;
    use chrono_tz::Europe::Amsterdam;
    use proptest::prelude::*;

    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn range(first: NaiveDate, last: NaiveDate) -> TimeOffRange {
        TimeOffRange {
            first_day: first,
            last_day: last,
            start_time: None,
            end_time: None,
        }
    }

    #[test]
    fn whole_days_over_the_spring_change_last_an_hour_less() {
        let today = day(2026, 3, 1);
        let (start, end) = range(day(2026, 3, 28), day(2026, 3, 29))
            .instants(Amsterdam, today)
            .unwrap();
        assert_eq!(start, Utc.with_ymd_and_hms(2026, 3, 27, 23, 0, 0).unwrap());
        assert_eq!(end, Utc.with_ymd_and_hms(2026, 3, 29, 22, 0, 0).unwrap());
        assert_eq!((end - start).num_hours(), 47);
    }

    #[test]
    fn part_days_use_the_times_on_the_first_and_last_day() {
        let r = TimeOffRange {
            start_time: NaiveTime::from_hms_opt(14, 0, 0),
            end_time: NaiveTime::from_hms_opt(12, 0, 0),
            ..range(day(2026, 12, 11), day(2026, 12, 13))
        };
        let (start, end) = r.instants(Amsterdam, day(2026, 12, 4)).unwrap();
        assert_eq!(start, Utc.with_ymd_and_hms(2026, 12, 11, 13, 0, 0).unwrap());
        assert_eq!(end, Utc.with_ymd_and_hms(2026, 12, 13, 11, 0, 0).unwrap());
    }

    #[test]
    fn bad_ranges_name_their_field() {
        let today = day(2026, 12, 4);
        let code = |r: TimeOffRange, field: &str| {
            r.instants(Amsterdam, today)
                .unwrap_err()
                .0
                .get(field)
                .copied()
        };
        assert_eq!(
            code(range(day(2026, 12, 10), day(2026, 12, 9)), "lastDay"),
            Some("before_first_day")
        );
        assert_eq!(
            code(range(day(2026, 12, 10), day(2027, 12, 10)), "lastDay"),
            Some("range_too_long")
        );
        assert_eq!(
            code(range(day(2026, 11, 1), day(2026, 12, 3)), "lastDay"),
            Some("in_past")
        );
        let same_day_backwards = TimeOffRange {
            start_time: NaiveTime::from_hms_opt(15, 0, 0),
            end_time: NaiveTime::from_hms_opt(9, 0, 0),
            ..range(day(2026, 12, 10), day(2026, 12, 10))
        };
        assert_eq!(code(same_day_backwards, "endTime"), Some("not_after_start"));
        let skipped = TimeOffRange {
            start_time: NaiveTime::from_hms_opt(2, 30, 0),
            ..range(day(2027, 3, 28), day(2027, 3, 28))
        };
        assert_eq!(code(skipped, "startTime"), Some("invalid_local_time"));
        // A range that started but has not ended is fine (sick since yesterday).
        assert!(range(day(2026, 12, 3), day(2026, 12, 5))
            .instants(Amsterdam, today)
            .is_ok());
        // Exactly 365 days is the limit.
        assert!(range(day(2026, 12, 10), day(2027, 12, 9))
            .instants(Amsterdam, today)
            .is_ok());
    }

    proptest! {
        #[test]
        fn accepted_ranges_are_ordered_and_bounded(
            offset in -400i64..400, len in 0i64..400,
            start in proptest::option::of(0u32..24 * 60), end in proptest::option::of(0u32..24 * 60),
        ) {
            let today = day(2026, 10, 20);
            let first = today + chrono::Duration::days(offset);
            let r = TimeOffRange {
                first_day: first,
                last_day: first + chrono::Duration::days(len),
                start_time: start.and_then(|m| NaiveTime::from_num_seconds_from_midnight_opt(m * 60, 0)),
                end_time: end.and_then(|m| NaiveTime::from_num_seconds_from_midnight_opt(m * 60, 0)),
            };
            if let Ok((s, e)) = r.instants(Amsterdam, today) {
                prop_assert!(s < e);
                prop_assert!(len < MAX_DAYS);
                prop_assert!(r.last_day >= today);
                prop_assert!((e - s).num_hours() <= MAX_DAYS * 24 + 1);
            }
        }

        #[test]
        fn only_pending_requests_move(from in 0usize..4, to in 0usize..4) {
            let (from, to) = (TimeOffStatus::ALL[from], TimeOffStatus::ALL[to]);
            prop_assert_eq!(from.may_become(to), from == TimeOffStatus::Pending && to != TimeOffStatus::Pending);
        }
    }
}

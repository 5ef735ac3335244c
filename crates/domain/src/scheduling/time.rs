//! Local wall-clock time ↔ instants, ISO weeks, and the one place where a local date and time become an
//! instant (SCHEDULING.md §3).
//!
//! Invariants:
//! - Every conversion from a location's wall clock to an instant goes through [`resolve`] with an explicit
//!   [`LocalPolicy`]: a person's input refuses a time that does not exist (the hour skipped in spring) and
//!   takes the first occurrence of a repeated one (autumn); expanding a template or copying a week moves a
//!   non-existent time forward by the gap and also takes the first occurrence (RFC 5545 §3.3.5).
//! - "Tomorrow" is the next *calendar date* resolved again in the time zone, never "+ 24 h"; date arithmetic
//!   uses the checked forms, so no input can panic.

use chrono::{
    DateTime, Datelike, Duration, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, Offset,
    TimeZone, Utc, Weekday,
};
use chrono_tz::Tz;

/// How to treat local times that do not exist or happen twice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LocalPolicy {
    /// A person typed it: a non-existent time is refused; a repeated one takes its first occurrence.
    Strict,
    /// A template or a copied week is expanded: a non-existent time moves forward by the gap (it is read
    /// with the offset in force before the gap); a repeated one takes its first occurrence.
    Expand,
}

/// The local time does not exist in the time zone (the clocks jump over it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("{0} does not exist in this time zone")]
pub struct NonExistentTime(pub NaiveDateTime);

/// The instant a location's wall clock shows `date time`, by `policy`.
pub fn resolve(
    tz: Tz,
    date: NaiveDate,
    time: NaiveTime,
    policy: LocalPolicy,
) -> Result<DateTime<Utc>, NonExistentTime> {
    let local = date.and_time(time);
    match tz.from_local_datetime(&local) {
        LocalResult::Single(at) => Ok(at.with_timezone(&Utc)),
        LocalResult::Ambiguous(first, _) => Ok(first.with_timezone(&Utc)),
        LocalResult::None => match policy {
            LocalPolicy::Strict => Err(NonExistentTime(local)),
            LocalPolicy::Expand => forward_over_gap(tz, local).ok_or(NonExistentTime(local)),
        },
    }
}

/// Reads a time inside a gap with the UTC offset in force before the gap (RFC 5545 §3.3.5): 02:30 on the
/// spring night in Amsterdam becomes 01:30 UTC, i.e. 03:30 summer time.
fn forward_over_gap(tz: Tz, local: NaiveDateTime) -> Option<DateTime<Utc>> {
    // Gaps last minutes to hours; find the first wall-clock minute after it that exists.
    let mut probe = local;
    for _ in 0..(24 * 60) {
        probe = probe.checked_add_signed(Duration::minutes(1))?;
        if let Some(after) = tz.from_local_datetime(&probe).earliest() {
            let transition = after.with_timezone(&Utc) - Duration::seconds(1);
            let before = tz.offset_from_utc_datetime(&transition.naive_utc()).fix();
            let seconds = i64::from(before.local_minus_utc());
            return local
                .checked_sub_signed(Duration::seconds(seconds))
                .map(|utc| utc.and_utc());
        }
    }
    None
}

/// A shift's start and end instants from its local start date and wall-clock times. An end at or before
/// the start means the next calendar day (an overnight shift), resolved again in the time zone.
pub fn shift_instants(
    tz: Tz,
    date: NaiveDate,
    start: NaiveTime,
    end: NaiveTime,
    policy: LocalPolicy,
) -> Result<(DateTime<Utc>, DateTime<Utc>), NonExistentTime> {
    let starts_at = resolve(tz, date, start, policy)?;
    let end_date = if end <= start {
        date.succ_opt().ok_or(NonExistentTime(date.and_time(end)))?
    } else {
        date
    };
    let ends_at = resolve(tz, end_date, end, policy)?;
    Ok((starts_at, ends_at))
}

/// The wall-clock date and time of an instant in a time zone.
pub fn local(tz: Tz, at: DateTime<Utc>) -> NaiveDateTime {
    at.with_timezone(&tz).naive_local()
}

/// A location's time zone by name; the product's default when the stored name is unknown.
pub fn zone(name: &str) -> Tz {
    name.parse().unwrap_or(chrono_tz::Europe::Amsterdam)
}

/// An ISO 8601 week (`2026-W13`): Monday to Sunday, week 1 holds the year's first Thursday.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct IsoWeek {
    year: i32,
    week: u32,
}

/// Why a week name was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("not an ISO week (expected e.g. 2026-W13)")]
pub struct InvalidIsoWeek;

impl IsoWeek {
    /// The week, if it exists (week 53 only in years that have one; years 2000–2100).
    pub fn new(year: i32, week: u32) -> Result<Self, InvalidIsoWeek> {
        if !(2000..=2100).contains(&year) {
            return Err(InvalidIsoWeek);
        }
        NaiveDate::from_isoywd_opt(year, week, Weekday::Mon)
            .map(|_| Self { year, week })
            .ok_or(InvalidIsoWeek)
    }

    /// Parses `2026-W13` (also `2026-w13`).
    pub fn parse(text: &str) -> Result<Self, InvalidIsoWeek> {
        let (year, week) = text.trim().split_once(['W', 'w']).ok_or(InvalidIsoWeek)?;
        let year = year.strip_suffix('-').ok_or(InvalidIsoWeek)?;
        if year.len() != 4 || week.len() != 2 {
            return Err(InvalidIsoWeek);
        }
        let year: i32 = year.parse().map_err(|_| InvalidIsoWeek)?;
        let week: u32 = week.parse().map_err(|_| InvalidIsoWeek)?;
        Self::new(year, week)
    }

    /// The week a date belongs to.
    pub fn of(date: NaiveDate) -> Self {
        let iso = date.iso_week();
        Self {
            year: iso.year(),
            week: iso.week(),
        }
    }

    pub fn year(self) -> i32 {
        self.year
    }

    pub fn week(self) -> u32 {
        self.week
    }

    /// The week's Monday.
    pub fn monday(self) -> NaiveDate {
        // `new` checked that the Monday exists.
        NaiveDate::from_isoywd_opt(self.year, self.week, Weekday::Mon).unwrap_or_default()
    }

    /// Its seven dates, Monday first.
    pub fn days(self) -> [NaiveDate; 7] {
        let monday = self.monday();
        std::array::from_fn(|i| monday + chrono::Days::new(i as u64))
    }

    pub fn contains(self, date: NaiveDate) -> bool {
        Self::of(date) == self
    }

    /// The week `weeks` later (negative: earlier), when it is inside the supported range.
    pub fn plus(self, weeks: i64) -> Option<Self> {
        let date = self.monday().checked_add_signed(Duration::weeks(weeks))?;
        let week = Self::of(date);
        Self::new(week.year, week.week).ok()
    }

    /// The instants the week starts and ends at in `tz` (Monday 00:00 to the next Monday 00:00, local).
    pub fn bounds(self, tz: Tz) -> (DateTime<Utc>, DateTime<Utc>) {
        let start = resolve(tz, self.monday(), NaiveTime::MIN, LocalPolicy::Expand)
            .unwrap_or_else(|_| self.monday().and_time(NaiveTime::MIN).and_utc());
        let next = self.monday() + chrono::Days::new(7);
        let end = resolve(tz, next, NaiveTime::MIN, LocalPolicy::Expand)
            .unwrap_or_else(|_| next.and_time(NaiveTime::MIN).and_utc());
        (start, end)
    }
}

impl std::fmt::Display for IsoWeek {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-W{:02}", self.year, self.week)
    }
}

/// ISO weekday number: Monday 1 … Sunday 7.
pub fn weekday_number(weekday: Weekday) -> u8 {
    weekday.number_from_monday() as u8
}

/// The weekday of an ISO number 1–7.
pub fn weekday_from_number(number: u8) -> Option<Weekday> {
    match number {
        1 => Some(Weekday::Mon),
        2 => Some(Weekday::Tue),
        3 => Some(Weekday::Wed),
        4 => Some(Weekday::Thu),
        5 => Some(Weekday::Fri),
        6 => Some(Weekday::Sat),
        7 => Some(Weekday::Sun),
        _ => None,
    }
}

/// Parses `HH:MM` (24-hour clock).
pub fn parse_clock(text: &str) -> Option<NaiveTime> {
    let text = text.trim();
    if text.len() != 5 {
        return None;
    }
    NaiveTime::parse_from_str(text, "%H:%M").ok()
}

/// `HH:MM` of a wall-clock time.
pub fn clock(time: NaiveTime) -> String {
    time.format("%H:%M").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono_tz::Europe::Amsterdam;
    use proptest::prelude::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn t(h: u32, m: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(h, m, 0).unwrap()
    }

    #[test]
    fn the_dst_nights_of_2026_and_2027_last_four_and_six_hours() {
        for (date, hours) in [
            (d(2026, 3, 28), 4),
            (d(2026, 10, 24), 6),
            (d(2027, 3, 27), 4),
            (d(2027, 10, 30), 6),
            (d(2026, 6, 13), 5),
        ] {
            let (start, end) =
                shift_instants(Amsterdam, date, t(22, 0), t(3, 0), LocalPolicy::Strict).unwrap();
            assert_eq!((end - start).num_hours(), hours, "{date}");
        }
    }

    #[test]
    fn a_time_in_the_spring_gap_is_refused_for_people_and_moved_forward_for_templates() {
        let date = d(2026, 3, 29);
        assert_eq!(
            resolve(Amsterdam, date, t(2, 30), LocalPolicy::Strict),
            Err(NonExistentTime(date.and_time(t(2, 30))))
        );
        let moved = resolve(Amsterdam, date, t(2, 30), LocalPolicy::Expand).unwrap();
        assert_eq!(local(Amsterdam, moved), date.and_time(t(3, 30)));
        assert_eq!(moved, Utc.with_ymd_and_hms(2026, 3, 29, 1, 30, 0).unwrap());
    }

    #[test]
    fn a_repeated_autumn_time_takes_its_first_occurrence() {
        for policy in [LocalPolicy::Strict, LocalPolicy::Expand] {
            let at = resolve(Amsterdam, d(2026, 10, 25), t(2, 30), policy).unwrap();
            // First occurrence: still summer time (UTC+2).
            assert_eq!(at, Utc.with_ymd_and_hms(2026, 10, 25, 0, 30, 0).unwrap());
        }
    }

    #[test]
    fn iso_weeks_parse_and_know_their_days() {
        let w13 = IsoWeek::parse("2026-W13").unwrap();
        assert_eq!(w13.monday(), d(2026, 3, 23));
        assert_eq!(w13.days()[6], d(2026, 3, 29));
        assert_eq!(w13.to_string(), "2026-W13");
        let (start, end) = w13.bounds(Amsterdam);
        assert_eq!((end - start).num_hours(), 167);
        let (start, end) = IsoWeek::parse("2026-W43").unwrap().bounds(Amsterdam);
        assert_eq!((end - start).num_hours(), 169);
        // 2026 starts on a Thursday, so it has 53 weeks; 2025 has 52.
        assert!(IsoWeek::parse("2026-W53").is_ok());
        assert!(IsoWeek::parse("2025-W53").is_err());
        for bad in [
            "2026-13", "2026W1", "26-W13", "2026-W00", "x", "", "2026-W1x",
        ] {
            assert!(IsoWeek::parse(bad).is_err(), "{bad}");
        }
        assert_eq!(IsoWeek::of(d(2027, 1, 1)).to_string(), "2026-W53");
        assert_eq!(w13.plus(1).unwrap().to_string(), "2026-W14");
        assert_eq!(
            IsoWeek::parse("2027-W01")
                .unwrap()
                .plus(-1)
                .unwrap()
                .to_string(),
            "2026-W53"
        );
    }

    #[test]
    fn clocks_parse_strictly() {
        assert_eq!(parse_clock("09:05"), Some(t(9, 5)));
        for bad in ["9:05", "24:00", "12:60", "1200", "", "12:00:00"] {
            assert_eq!(parse_clock(bad), None, "{bad}");
        }
    }

    fn any_date() -> impl Strategy<Value = NaiveDate> {
        (2026i32..=2027, 1u32..=366)
            .prop_filter_map("a date", |(y, ord)| NaiveDate::from_yo_opt(y, ord))
    }

    fn any_time() -> impl Strategy<Value = NaiveTime> {
        (0u32..24, 0u32..60).prop_map(|(h, m)| NaiveTime::from_hms_opt(h, m, 0).unwrap())
    }

    proptest! {
        /// Whatever the wall-clock time, expanding never fails, lands on a time that exists no earlier than
        /// asked, and moves it by at most the gap (one hour in Amsterdam); strict resolution agrees wherever
        /// the time exists, and both read back as the asked local time then.
        #[test]
        fn local_to_instant_policy(date in any_date(), time in any_time()) {
            let expanded = resolve(Amsterdam, date, time, LocalPolicy::Expand).unwrap();
            let shown = local(Amsterdam, expanded);
            let asked = date.and_time(time);
            prop_assert!(shown >= asked);
            prop_assert!(shown - asked <= Duration::hours(1));
            match resolve(Amsterdam, date, time, LocalPolicy::Strict) {
                Ok(strict) => {
                    prop_assert_eq!(strict, expanded);
                    prop_assert_eq!(shown, asked);
                }
                Err(_) => prop_assert_eq!(shown - asked, Duration::hours(1)),
            }
        }

        /// A shift lasts its wall-clock length, except on the two changeover nights, when it is an hour
        /// shorter (spring) or longer (autumn) if it spans the change.
        #[test]
        fn shift_length_follows_the_clock_change(date in any_date(), start in any_time(), end in any_time()) {
            prop_assume!(resolve(Amsterdam, date, start, LocalPolicy::Strict).is_ok());
            let end_date = if end <= start { date.succ_opt().unwrap() } else { date };
            prop_assume!(resolve(Amsterdam, end_date, end, LocalPolicy::Strict).is_ok());
            let (s, e) = shift_instants(Amsterdam, date, start, end, LocalPolicy::Strict).unwrap();
            prop_assert!(e > s);
            let wall = end_date.and_time(end) - date.and_time(start);
            let offset = |at: DateTime<Utc>| i64::from(at.with_timezone(&Amsterdam).offset().fix().local_minus_utc());
            let drift = Duration::seconds(offset(e) - offset(s));
            prop_assert_eq!(e - s, wall - drift);
        }

        #[test]
        fn iso_weeks_round_trip(date in any_date()) {
            let week = IsoWeek::of(date);
            prop_assert!(week.days().contains(&date));
            prop_assert_eq!(IsoWeek::parse(&week.to_string()).unwrap(), week);
            prop_assert_eq!(week.plus(1).unwrap().plus(-1).unwrap(), week);
        }
    }
}

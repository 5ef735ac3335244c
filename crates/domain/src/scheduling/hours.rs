//! Hours arithmetic for exports and locked periods: how many minutes of a shift are paid, at night and on a
//! Sunday, and how minutes are written as decimal hours.
//!
//! Invariants:
//! - Everything is measured in *real elapsed* minutes between instants (SCHEDULING.md §3): the local
//!   windows (00:00–06:00 of every night, the whole of every local Sunday) are resolved to instants in the
//!   location's time zone through [`time::resolve`], so the spring night's 00:00–06:00 lasts 5 real hours
//!   and the autumn night's 7, and a shift is credited with exactly the part of each window it covers.
//! - Paid minutes are the duration less the unpaid break, never negative. Night and Sunday minutes are clock
//!   minutes inside their windows, breaks not deducted (the break's position in the shift is unknown).
//! - Night ≤ duration, Sunday ≤ duration, and all figures are additive: a shift split at any minute gives the
//!   same night and Sunday minutes in its two parts as whole.
//! - A shift belongs to its local start date (the date of the published copy), whatever nights and days
//!   it touches.

use std::ops::{Add, AddAssign, Neg, Sub};

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, Utc, Weekday};
use chrono_tz::Tz;

use super::time::{self, LocalPolicy};

/// The local hour at which a night's window ends (it starts at local midnight).
const NIGHT_ENDS_AT_HOUR: u32 = 6;

/// Summed figures of shifts: counts and minutes. Signed, so a correction can be a difference of two.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct HoursFigures {
    pub shifts: i64,
    pub planned_minutes: i64,
    pub night_minutes: i64,
    pub sunday_minutes: i64,
}

impl HoursFigures {
    pub fn is_zero(&self) -> bool {
        *self == Self::default()
    }
}

impl Add for HoursFigures {
    type Output = Self;
    fn add(self, other: Self) -> Self {
        Self {
            shifts: self.shifts + other.shifts,
            planned_minutes: self.planned_minutes + other.planned_minutes,
            night_minutes: self.night_minutes + other.night_minutes,
            sunday_minutes: self.sunday_minutes + other.sunday_minutes,
        }
    }
}

impl AddAssign for HoursFigures {
    fn add_assign(&mut self, other: Self) {
        *self = *self + other;
    }
}

impl Neg for HoursFigures {
    type Output = Self;
    fn neg(self) -> Self {
        Self {
            shifts: -self.shifts,
            planned_minutes: -self.planned_minutes,
            night_minutes: -self.night_minutes,
            sunday_minutes: -self.sunday_minutes,
        }
    }
}

impl Sub for HoursFigures {
    type Output = Self;
    fn sub(self, other: Self) -> Self {
        self + (-other)
    }
}

/// One worked shift: its instants and unpaid break.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ShiftTimes {
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub break_minutes: u16,
}

impl ShiftTimes {
    /// The figures of this one shift in `tz`.
    pub fn figures(&self, tz: Tz) -> HoursFigures {
        HoursFigures {
            shifts: 1,
            planned_minutes: paid_minutes(self.starts_at, self.ends_at, self.break_minutes),
            night_minutes: night_minutes(tz, self.starts_at, self.ends_at),
            sunday_minutes: sunday_minutes(tz, self.starts_at, self.ends_at),
        }
    }
}

/// Whole minutes of a span of real time (an end before the start counts as nothing).
fn minutes(duration: Duration) -> i64 {
    duration.num_minutes().max(0)
}

/// Real elapsed minutes between the instants, less the break; never negative.
pub fn paid_minutes(starts_at: DateTime<Utc>, ends_at: DateTime<Utc>, break_minutes: u16) -> i64 {
    (minutes(ends_at - starts_at) - i64::from(break_minutes)).max(0)
}

/// The instant local midnight starts `date` in `tz` (a midnight inside a gap moves forward by it).
fn start_of(tz: Tz, date: NaiveDate, at: NaiveTime) -> DateTime<Utc> {
    // `Expand` never fails for a date in chrono's range; the fallback reads the wall clock as UTC.
    time::resolve(tz, date, at, LocalPolicy::Expand).unwrap_or_else(|_| date.and_time(at).and_utc())
}

/// The overlap of `[a0, a1)` and `[b0, b1)` as a duration (zero when they do not meet).
fn overlap(a0: DateTime<Utc>, a1: DateTime<Utc>, b0: DateTime<Utc>, b1: DateTime<Utc>) -> Duration {
    let start = a0.max(b0);
    let end = a1.min(b1);
    if end > start {
        end - start
    } else {
        Duration::zero()
    }
}

/// Every local date the span touches, from the day before its start (whose window may still be open —
/// not for a night, but it is cheap and keeps the loops simple) to the day of its end.
fn dates_touched(tz: Tz, starts_at: DateTime<Utc>, ends_at: DateTime<Utc>) -> Vec<NaiveDate> {
    let first = time::local(tz, starts_at).date();
    let last = time::local(tz, ends_at).date();
    let mut dates = Vec::new();
    let mut day = first.pred_opt().unwrap_or(first);
    while day <= last {
        dates.push(day);
        match day.succ_opt() {
            Some(next) => day = next,
            None => break,
        }
    }
    dates
}

/// The summed duration the span spends inside the given local windows; seconds are summed before being
/// turned into minutes so that a split at a whole minute adds up exactly.
fn inside(
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
    windows: impl Iterator<Item = (DateTime<Utc>, DateTime<Utc>)>,
) -> i64 {
    if ends_at <= starts_at {
        return 0;
    }
    let total = windows
        .map(|(from, to)| overlap(starts_at, ends_at, from, to))
        .fold(Duration::zero(), |sum, d| sum + d);
    minutes(total)
}

/// Real minutes of `[starts_at, ends_at)` inside local 00:00–06:00 of any night it touches.
pub fn night_minutes(tz: Tz, starts_at: DateTime<Utc>, ends_at: DateTime<Utc>) -> i64 {
    let end_of_night = NaiveTime::from_hms_opt(NIGHT_ENDS_AT_HOUR, 0, 0).unwrap_or(NaiveTime::MIN);
    inside(
        starts_at,
        ends_at,
        dates_touched(tz, starts_at, ends_at)
            .into_iter()
            .map(|day| {
                (
                    start_of(tz, day, NaiveTime::MIN),
                    start_of(tz, day, end_of_night),
                )
            }),
    )
}

/// Real minutes of `[starts_at, ends_at)` on a local Sunday.
pub fn sunday_minutes(tz: Tz, starts_at: DateTime<Utc>, ends_at: DateTime<Utc>) -> i64 {
    inside(
        starts_at,
        ends_at,
        dates_touched(tz, starts_at, ends_at)
            .into_iter()
            .filter(|day| day.weekday() == Weekday::Sun)
            .filter_map(|day| {
                let next = day.succ_opt()?;
                Some((
                    start_of(tz, day, NaiveTime::MIN),
                    start_of(tz, next, NaiveTime::MIN),
                ))
            }),
    )
}

/// How a decimal number is written: `1.50` (comma-separated files) or `1,50` (semicolon-separated files,
/// as Dutch Excel reads them).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DecimalMark {
    Point,
    Comma,
}

/// Minutes as hours with two decimals, rounded half away from zero: 90 → `1.50`, 50 → `0.83`, −45 → `-0.75`.
pub fn format_hours(minutes: i64, mark: DecimalMark) -> String {
    let hundredths = (u128::from(minutes.unsigned_abs()) * 100 + 30) / 60;
    let sign = if minutes < 0 && hundredths > 0 {
        "-"
    } else {
        ""
    };
    let separator = match mark {
        DecimalMark::Point => '.',
        DecimalMark::Comma => ',',
    };
    format!(
        "{sign}{}{separator}{:02}",
        hundredths / 100,
        hundredths % 100
    )
}

/// Minutes as hours rounded to two decimals, for JSON (the dashboard's figures).
pub fn hours(minutes: i64) -> f64 {
    (minutes as f64 / 60.0 * 100.0).round() / 100.0
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use chrono_tz::Europe::Amsterdam;
    use proptest::prelude::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn t(h: u32, m: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(h, m, 0).unwrap()
    }

    fn shift(date: NaiveDate, start: NaiveTime, end: NaiveTime, break_minutes: u16) -> ShiftTimes {
        let (starts_at, ends_at) =
            time::shift_instants(Amsterdam, date, start, end, LocalPolicy::Strict).unwrap();
        ShiftTimes {
            starts_at,
            ends_at,
            break_minutes,
        }
    }

    #[test]
    fn an_ordinary_overnight_shift_into_a_sunday() {
        // Sat 13 Jun 2026 22:00 → Sun 03:00 (summer time, no change), 30 min break.
        let figures = shift(d(2026, 6, 13), t(22, 0), t(3, 0), 30).figures(Amsterdam);
        assert_eq!(
            figures,
            HoursFigures {
                shifts: 1,
                planned_minutes: 270,
                night_minutes: 180,
                sunday_minutes: 180,
            }
        );
    }

    #[test]
    fn the_spring_night_has_an_hour_less() {
        // Sat 28 Mar 2026 22:00 → Sun 03:00 lasts 4 h; 00:00–03:00 local is 2 real hours.
        let figures = shift(d(2026, 3, 28), t(22, 0), t(3, 0), 0).figures(Amsterdam);
        assert_eq!(figures.planned_minutes, 240);
        assert_eq!(figures.night_minutes, 120);
        assert_eq!(figures.sunday_minutes, 120);
        // The whole window 00:00–06:00 of that night lasts 5 real hours.
        let night = shift(d(2026, 3, 29), t(0, 0), t(6, 0), 0).figures(Amsterdam);
        assert_eq!(night.planned_minutes, 300);
        assert_eq!(night.night_minutes, 300);
        // And that Sunday has 23 hours.
        let sunday = shift(d(2026, 3, 28), t(23, 0), t(23, 0), 0);
        let whole = sunday_minutes(
            Amsterdam,
            sunday.starts_at,
            sunday.ends_at + Duration::hours(2),
        );
        assert_eq!(whole, 23 * 60);
    }

    #[test]
    fn the_autumn_night_has_an_hour_more() {
        // Sat 24 Oct 2026 22:00 → Sun 03:00 lasts 6 h; 00:00–03:00 local is 4 real hours.
        let figures = shift(d(2026, 10, 24), t(22, 0), t(3, 0), 15).figures(Amsterdam);
        assert_eq!(figures.planned_minutes, 345);
        assert_eq!(figures.night_minutes, 240);
        assert_eq!(figures.sunday_minutes, 240);
        let night = shift(d(2026, 10, 25), t(0, 0), t(6, 0), 0).figures(Amsterdam);
        assert_eq!(night.night_minutes, 420);
        // 2027's changes behave the same.
        assert_eq!(
            shift(d(2027, 3, 27), t(22, 0), t(3, 0), 0)
                .figures(Amsterdam)
                .night_minutes,
            120
        );
        assert_eq!(
            shift(d(2027, 10, 30), t(22, 0), t(3, 0), 0)
                .figures(Amsterdam)
                .night_minutes,
            240
        );
    }

    #[test]
    fn a_day_shift_has_no_night_and_a_weekday_no_sunday() {
        let figures = shift(d(2026, 12, 9), t(9, 0), t(17, 30), 30).figures(Amsterdam);
        assert_eq!(figures.planned_minutes, 480);
        assert_eq!(figures.night_minutes, 0);
        assert_eq!(figures.sunday_minutes, 0);
        // Early morning counts as night; Sunday evening into Monday counts until midnight.
        let early = shift(d(2026, 12, 9), t(5, 0), t(9, 0), 0).figures(Amsterdam);
        assert_eq!(early.night_minutes, 60);
        let sunday = shift(d(2026, 12, 13), t(20, 0), t(2, 0), 0).figures(Amsterdam);
        assert_eq!(sunday.sunday_minutes, 240);
        assert_eq!(sunday.night_minutes, 120);
    }

    #[test]
    fn a_break_longer_than_the_shift_pays_nothing() {
        let s = shift(d(2026, 12, 9), t(9, 0), t(9, 30), 45);
        assert_eq!(s.figures(Amsterdam).planned_minutes, 0);
    }

    #[test]
    fn hours_are_written_with_two_decimals_and_either_mark() {
        assert_eq!(format_hours(90, DecimalMark::Point), "1.50");
        assert_eq!(format_hours(90, DecimalMark::Comma), "1,50");
        assert_eq!(format_hours(50, DecimalMark::Point), "0.83");
        assert_eq!(format_hours(0, DecimalMark::Point), "0.00");
        assert_eq!(format_hours(-45, DecimalMark::Comma), "-0,75");
        assert_eq!(format_hours(1, DecimalMark::Point), "0.02");
        assert_eq!(format_hours(-0, DecimalMark::Point), "0.00");
        assert_eq!(format_hours(2400, DecimalMark::Point), "40.00");
        assert_eq!(hours(50), 0.83);
        assert_eq!(hours(-90), -1.5);
        assert_eq!(hours(90), 1.5);
        assert_eq!(hours(0), 0.0);
        assert_eq!(
            (HoursFigures {
                shifts: 1,
                planned_minutes: 60,
                night_minutes: 0,
                sunday_minutes: 5
            }) - HoursFigures {
                shifts: 1,
                planned_minutes: 90,
                night_minutes: 0,
                sunday_minutes: 5
            },
            HoursFigures {
                shifts: 0,
                planned_minutes: -30,
                night_minutes: 0,
                sunday_minutes: 0
            }
        );
    }

    fn any_start() -> impl Strategy<Value = DateTime<Utc>> {
        // 2026-01-01 … 2028-01-01, on whole minutes: covers the four changeover nights of SCHEDULING.md.
        let from = Utc
            .with_ymd_and_hms(2026, 1, 1, 0, 0, 0)
            .unwrap()
            .timestamp()
            / 60;
        let to = Utc
            .with_ymd_and_hms(2028, 1, 1, 0, 0, 0)
            .unwrap()
            .timestamp()
            / 60;
        (from..to).prop_map(|m| DateTime::from_timestamp(m * 60, 0).unwrap())
    }

    /// Shifts that straddle a changeover night often, so the properties see DST.
    fn near_a_change() -> impl Strategy<Value = DateTime<Utc>> {
        let changes = [
            Utc.with_ymd_and_hms(2026, 3, 29, 1, 0, 0).unwrap(),
            Utc.with_ymd_and_hms(2026, 10, 25, 1, 0, 0).unwrap(),
            Utc.with_ymd_and_hms(2027, 3, 28, 1, 0, 0).unwrap(),
            Utc.with_ymd_and_hms(2027, 10, 31, 1, 0, 0).unwrap(),
        ];
        (0usize..4, -16 * 60i64..16 * 60).prop_map(move |(i, m)| changes[i] + Duration::minutes(m))
    }

    fn any_shift_start() -> impl Strategy<Value = DateTime<Utc>> {
        prop_oneof![any_start(), near_a_change()]
    }

    proptest! {
        /// Night and Sunday minutes never exceed the shift's duration, paid never exceeds it either, and
        /// nothing is negative.
        #[test]
        fn figures_are_bounded_by_the_duration(
            start in any_shift_start(), length in 1i64..=16 * 60, break_minutes in 0u16..=120,
        ) {
            let s = ShiftTimes { starts_at: start, ends_at: start + Duration::minutes(length), break_minutes };
            let f = s.figures(Amsterdam);
            prop_assert!(f.night_minutes >= 0 && f.night_minutes <= length);
            prop_assert!(f.sunday_minutes >= 0 && f.sunday_minutes <= length);
            prop_assert!(f.planned_minutes >= 0 && f.planned_minutes <= length);
            prop_assert_eq!(f.planned_minutes, (length - i64::from(break_minutes)).max(0));
        }

        /// Splitting a shift at any whole minute splits its night and Sunday minutes exactly.
        #[test]
        fn figures_add_up_over_a_split(
            start in any_shift_start(), length in 2i64..=16 * 60, cut in 1i64..16 * 60,
        ) {
            prop_assume!(cut < length);
            let end = start + Duration::minutes(length);
            let middle = start + Duration::minutes(cut);
            prop_assert_eq!(
                night_minutes(Amsterdam, start, end),
                night_minutes(Amsterdam, start, middle) + night_minutes(Amsterdam, middle, end)
            );
            prop_assert_eq!(
                sunday_minutes(Amsterdam, start, end),
                sunday_minutes(Amsterdam, start, middle) + sunday_minutes(Amsterdam, middle, end)
            );
            prop_assert_eq!(
                paid_minutes(start, end, 0),
                paid_minutes(start, middle, 0) + paid_minutes(middle, end, 0)
            );
        }

        /// Minute by minute: a minute is night exactly when the wall clock shows 00:00–05:59, and Sunday
        /// exactly when the local date is a Sunday (checked on one-minute shifts).
        #[test]
        fn each_minute_is_classified_by_the_wall_clock(start in any_shift_start()) {
            let end = start + Duration::minutes(1);
            let local = time::local(Amsterdam, start);
            let night = i64::from(local.time() < t(NIGHT_ENDS_AT_HOUR, 0));
            let sunday = i64::from(local.date().weekday() == Weekday::Sun);
            prop_assert_eq!(night_minutes(Amsterdam, start, end), night);
            prop_assert_eq!(sunday_minutes(Amsterdam, start, end), sunday);
        }

        /// Written hours read back as the minutes to within rounding, in both notations.
        #[test]
        fn written_hours_read_back(minutes in -100_000i64..100_000) {
            let point = format_hours(minutes, DecimalMark::Point);
            let comma = format_hours(minutes, DecimalMark::Comma);
            prop_assert_eq!(point.replace('.', ","), comma);
            let value: f64 = point.parse().unwrap();
            prop_assert!((value * 60.0 - minutes as f64).abs() <= 0.3 + 1e-9);
            prop_assert_eq!(value, hours(minutes));
        }
    }
}

//! Declared availability (SCHEDULING.md §4): a weekly pattern of available / unavailable / preferred
//! windows that takes effect from a date, and one-off unavailable days. The rule engine reads the pattern in
//! force on a shift's date ([`crate::scheduling::rules`], reason `unavailable`).
//!
//! Invariants of an accepted pattern: at most [`MAX_WINDOWS_PER_DAY`] windows a weekday; a window is the
//! whole day or has a start and an end that differ (an end before the start runs into the next day); two
//! windows of one weekday never overlap; a pattern takes effect today or later, so how past assignments were
//! judged never changes after the fact.

use chrono::{NaiveDate, NaiveTime, Weekday};

use crate::scheduling::model::{AvailabilityKind, WeeklyWindow};
use crate::scheduling::time::weekday_number;
use crate::validation::FieldErrors;

pub const MAX_WINDOWS_PER_DAY: usize = 4;
/// How far ahead one-off days and patterns may be declared.
pub const MAX_DAYS_AHEAD: i64 = 366;

/// A weekly pattern in force from `effective_from` until the next one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WeeklyPattern {
    pub effective_from: NaiveDate,
    pub windows: Vec<WeeklyWindow>,
}

/// Minutes since Monday 00:00 that a window covers, as one or two half-open intervals within the week
/// (an overnight window on Sunday wraps to Monday).
fn week_minutes(window: &WeeklyWindow) -> Vec<(u32, u32)> {
    let day = (u32::from(weekday_number(window.weekday)) - 1) * 24 * 60;
    let (start, end) = match window.window {
        None => (0, 24 * 60),
        Some((s, e)) => {
            let s = minutes(s);
            let e = minutes(e);
            (s, if e <= s { e + 24 * 60 } else { e })
        }
    };
    let (a, b) = (day + start, day + end);
    const WEEK: u32 = 7 * 24 * 60;
    if b > WEEK {
        vec![(a, WEEK), (0, b - WEEK)]
    } else {
        vec![(a, b)]
    }
}

fn minutes(t: NaiveTime) -> u32 {
    use chrono::Timelike;
    t.hour() * 60 + t.minute()
}

/// Checks a pattern; field names are `windows[i].…` and `effectiveFrom`.
pub fn check_pattern(pattern: &WeeklyPattern, today: NaiveDate) -> Result<(), FieldErrors> {
    let mut errors = FieldErrors::default();
    if pattern.effective_from < today {
        errors.add("effectiveFrom", "in_past");
    } else if (pattern.effective_from - today).num_days() > MAX_DAYS_AHEAD {
        errors.add("effectiveFrom", "too_far_ahead");
    }
    for day in [
        Weekday::Mon,
        Weekday::Tue,
        Weekday::Wed,
        Weekday::Thu,
        Weekday::Fri,
        Weekday::Sat,
        Weekday::Sun,
    ] {
        if pattern.windows.iter().filter(|w| w.weekday == day).count() > MAX_WINDOWS_PER_DAY {
            errors.add("windows", "too_many_windows");
        }
    }
    for (i, window) in pattern.windows.iter().enumerate() {
        if let Some((s, e)) = window.window {
            if s == e {
                errors.add(&format!("windows[{i}].end"), "end_equals_start");
                continue;
            }
        }
        let mine = week_minutes(window);
        let clash = pattern.windows[..i].iter().any(|other| {
            week_minutes(other)
                .iter()
                .any(|(a, b)| mine.iter().any(|(c, d)| a < d && c < b))
        });
        if clash {
            errors.add(&format!("windows[{i}].start"), "overlaps_other_window");
        }
    }
    errors.into_result()
}

/// Checks a one-off unavailable day.
pub fn check_day(day: NaiveDate, today: NaiveDate) -> Result<(), FieldErrors> {
    let mut errors = FieldErrors::default();
    if day < today {
        errors.add("date", "in_past");
    } else if (day - today).num_days() > MAX_DAYS_AHEAD {
        errors.add("date", "too_far_ahead");
    }
    errors.into_result()
}

/// Whether any window of the pattern says `preferred` (auto-fill reads it; the UI shows it).
pub fn prefers(pattern: &WeeklyPattern) -> bool {
    pattern
        .windows
        .iter()
        .any(|w| w.kind == AvailabilityKind::Preferred)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn t(h: u32, m: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(h, m, 0).unwrap()
    }

    fn w(
        day: Weekday,
        kind: AvailabilityKind,
        window: Option<(NaiveTime, NaiveTime)>,
    ) -> WeeklyWindow {
        WeeklyWindow {
            weekday: day,
            kind,
            window,
        }
    }

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, 4).unwrap()
    }

    #[test]
    fn a_sensible_week_passes() {
        let pattern = WeeklyPattern {
            effective_from: today(),
            windows: vec![
                w(Weekday::Tue, AvailabilityKind::Unavailable, None),
                w(
                    Weekday::Fri,
                    AvailabilityKind::Preferred,
                    Some((t(18, 0), t(2, 0))),
                ),
                w(
                    Weekday::Sat,
                    AvailabilityKind::Available,
                    Some((t(10, 0), t(16, 0))),
                ),
                w(
                    Weekday::Sun,
                    AvailabilityKind::Available,
                    Some((t(20, 0), t(1, 0))),
                ),
            ],
        };
        assert!(check_pattern(&pattern, today()).is_ok());
        assert!(prefers(&pattern));
    }

    #[test]
    fn overlaps_including_overnight_ones_are_refused() {
        let pattern = WeeklyPattern {
            effective_from: today(),
            windows: vec![
                w(
                    Weekday::Fri,
                    AvailabilityKind::Available,
                    Some((t(18, 0), t(3, 0))),
                ),
                w(
                    Weekday::Sat,
                    AvailabilityKind::Unavailable,
                    Some((t(1, 0), t(9, 0))),
                ),
            ],
        };
        let errors = check_pattern(&pattern, today()).unwrap_err();
        assert_eq!(
            errors.0.get("windows[1].start"),
            Some(&"overlaps_other_window")
        );
        // Sunday night wraps into Monday morning.
        let wrap = WeeklyPattern {
            effective_from: today(),
            windows: vec![
                w(
                    Weekday::Sun,
                    AvailabilityKind::Available,
                    Some((t(22, 0), t(4, 0))),
                ),
                w(Weekday::Mon, AvailabilityKind::Unavailable, None),
            ],
        };
        assert!(check_pattern(&wrap, today()).is_err());
    }

    #[test]
    fn dates_are_bounded() {
        let past = WeeklyPattern {
            effective_from: today().pred_opt().unwrap(),
            windows: vec![],
        };
        assert_eq!(
            check_pattern(&past, today())
                .unwrap_err()
                .0
                .get("effectiveFrom"),
            Some(&"in_past")
        );
        assert!(check_day(today(), today()).is_ok());
        assert!(check_day(today().pred_opt().unwrap(), today()).is_err());
        assert!(check_day(today() + chrono::Duration::days(400), today()).is_err());
    }

    proptest! {
        #[test]
        fn accepted_patterns_never_overlap(raw in proptest::collection::vec((1u8..=7, 0u32..48, 0u32..48, any::<bool>()), 0..8)) {
            let windows: Vec<WeeklyWindow> = raw.iter().map(|(d, s, e, whole)| WeeklyWindow {
                weekday: crate::scheduling::time::weekday_from_number(*d).unwrap(),
                kind: AvailabilityKind::Available,
                window: if *whole { None } else { Some((t(s / 2, (s % 2) * 30), t(e / 2, (e % 2) * 30))) },
            }).collect();
            let pattern = WeeklyPattern { effective_from: today(), windows: windows.clone() };
            if check_pattern(&pattern, today()).is_ok() {
                let mut covered = vec![false; 7 * 24 * 60];
                for window in &windows {
                    for (a, b) in week_minutes(window) {
                        for m in a..b {
                            prop_assert!(!covered[m as usize]);
                            covered[m as usize] = true;
                        }
                    }
                }
            }
        }
    }
}

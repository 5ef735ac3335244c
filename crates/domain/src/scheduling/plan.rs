//! Building a week's shifts: from a template, or as a copy of another week. Both re-resolve each shift's
//! *local* date and wall-clock times in the target week (SCHEDULING.md §3), so a copy across a clock change
//! keeps 18:00–23:00 at 18:00–23:00 instead of moving it by an hour, as adding 7 × 24 h would.

use chrono::{Datelike, Days, NaiveDate, NaiveTime};
use chrono_tz::Tz;

use crate::scheduling::model::{Shift, ShiftSpec, WeekTemplate};
use crate::scheduling::time::{local, shift_instants, IsoWeek, LocalPolicy};

/// The shifts a template gives in `week` at a location in `tz`.
pub fn expand_template(template: &WeekTemplate, tz: Tz, week: IsoWeek) -> Vec<ShiftSpec> {
    let mut specs: Vec<ShiftSpec> = template
        .shifts
        .iter()
        .filter_map(|t| {
            let date = week.days()[usize::from(t.weekday.num_days_from_monday() as u8)];
            let (starts_at, ends_at) =
                shift_instants(tz, date, t.start, t.end, LocalPolicy::Expand).ok()?;
            Some(ShiftSpec {
                position_id: t.position_id,
                local_date: date,
                starts_at,
                ends_at,
                break_minutes: t.break_minutes,
                slots: t.slots,
                requirements: t.requirements.clone(),
                note: t.note.clone(),
            })
        })
        .collect();
    specs.sort_by_key(|s| (s.starts_at, s.position_id));
    specs
}

/// A source shift's place in its week: the day offset from Monday and the wall-clock start and end.
fn wall_clock(shift: &ShiftSpec, tz: Tz, source: IsoWeek) -> (u64, NaiveTime, NaiveTime) {
    let offset = (shift.local_date - source.monday()).num_days().clamp(0, 6) as u64;
    (
        offset,
        local(tz, shift.starts_at).time(),
        local(tz, shift.ends_at).time(),
    )
}

/// The target-week twin of each source shift (same weekday and wall-clock times), in source order.
pub fn copy_week(
    source: &[Shift],
    tz: Tz,
    from: IsoWeek,
    to: IsoWeek,
) -> Vec<(uuid::Uuid, ShiftSpec)> {
    source
        .iter()
        .filter_map(|shift| {
            let (offset, start, end) = wall_clock(&shift.spec, tz, from);
            let date: NaiveDate = to.monday().checked_add_days(Days::new(offset))?;
            let (starts_at, ends_at) =
                shift_instants(tz, date, start, end, LocalPolicy::Expand).ok()?;
            Some((
                shift.id,
                ShiftSpec {
                    local_date: date,
                    starts_at,
                    ends_at,
                    ..shift.spec.clone()
                },
            ))
        })
        .collect()
}

/// The weekday number (1 = Monday) of a date, for grouping.
pub fn weekday_index(date: NaiveDate) -> usize {
    date.weekday().num_days_from_monday() as usize
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scheduling::model::TemplateShift;
    use chrono::{NaiveTime, Utc, Weekday};
    use chrono_tz::Europe::Amsterdam;
    use proptest::prelude::*;
    use uuid::Uuid;

    fn t(h: u32, m: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(h, m, 0).unwrap()
    }

    fn weekdays() -> [Weekday; 7] {
        [
            Weekday::Mon,
            Weekday::Tue,
            Weekday::Wed,
            Weekday::Thu,
            Weekday::Fri,
            Weekday::Sat,
            Weekday::Sun,
        ]
    }

    fn template(shifts: Vec<(Weekday, NaiveTime, NaiveTime)>) -> WeekTemplate {
        WeekTemplate {
            id: Uuid::from_u128(1),
            location_id: Uuid::from_u128(2),
            name: "Week".into(),
            shifts: shifts
                .into_iter()
                .enumerate()
                .map(|(i, (weekday, start, end))| TemplateShift {
                    id: Uuid::from_u128(100 + i as u128),
                    weekday,
                    position_id: Uuid::from_u128(3),
                    start,
                    end,
                    break_minutes: 0,
                    slots: 1,
                    requirements: vec![],
                    note: None,
                })
                .collect(),
            updated_at: Utc::now(),
        }
    }

    #[test]
    fn the_saturday_night_shift_of_the_dst_weeks_lasts_four_and_six_hours() {
        let tpl = template(vec![(Weekday::Sat, t(22, 0), t(3, 0))]);
        for (week, hours) in [
            ("2026-W13", 4),
            ("2026-W43", 6),
            ("2027-W12", 4),
            ("2027-W43", 6),
            ("2026-W20", 5),
        ] {
            let specs = expand_template(&tpl, Amsterdam, IsoWeek::parse(week).unwrap());
            assert_eq!(specs.len(), 1);
            assert_eq!(
                (specs[0].ends_at - specs[0].starts_at).num_hours(),
                hours,
                "{week}"
            );
        }
    }

    #[test]
    fn a_template_time_in_the_gap_moves_forward() {
        let tpl = template(vec![(Weekday::Sun, t(2, 30), t(6, 0))]);
        let specs = expand_template(&tpl, Amsterdam, IsoWeek::parse("2026-W13").unwrap());
        assert_eq!(local(Amsterdam, specs[0].starts_at).time(), t(3, 30));
    }

    fn shifts_of(specs: Vec<ShiftSpec>) -> Vec<Shift> {
        specs
            .into_iter()
            .enumerate()
            .map(|(i, spec)| Shift {
                id: Uuid::from_u128(i as u128),
                week_id: Uuid::from_u128(9),
                location_id: Uuid::from_u128(2),
                spec,
            })
            .collect()
    }

    proptest! {
        /// Copying any week to any other week of 2026–2027 keeps every shift's weekday and wall-clock times
        /// (unless the target time does not exist, when it moves forward by the gap), and never adds 7 × 24 h.
        #[test]
        fn copying_a_week_keeps_wall_clock_times(
            from in 1u32..=52,
            to in 1u32..=52,
            year in 2026i32..=2027,
            raw in prop::collection::vec((0usize..7, 0u32..24, 0u32..4, 1u32..12), 1..8),
        ) {
            let from = IsoWeek::new(year, from).unwrap();
            let to = IsoWeek::new(year, to).unwrap();
            let tpl = template(raw.iter().map(|(d, h, q, len)| {
                let start = t(*h, q * 15);
                let end = t((h + len) % 24, q * 15);
                (weekdays()[*d], start, end)
            }).collect());
            let source = shifts_of(expand_template(&tpl, Amsterdam, from));
            let copies = copy_week(&source, Amsterdam, from, to);
            prop_assert_eq!(copies.len(), source.len());
            for (id, copy) in &copies {
                let original = source.iter().find(|s| s.id == *id).unwrap();
                prop_assert!(to.contains(copy.local_date));
                prop_assert_eq!(copy.local_date.weekday(), original.spec.local_date.weekday());
                let (_, start, end) = wall_clock(&original.spec, Amsterdam, from);
                let copied_start = local(Amsterdam, copy.starts_at);
                let copied_end = local(Amsterdam, copy.ends_at);
                prop_assert_eq!(copied_start.date(), copy.local_date);
                let drift = |shown: NaiveTime, wanted: NaiveTime| (shown - wanted).num_minutes();
                prop_assert!(matches!(drift(copied_start.time(), start), 0 | 60), "start {} vs {}", copied_start, start);
                prop_assert!(matches!(drift(copied_end.time(), end), 0 | 60), "end {} vs {}", copied_end, end);
                if from == to {
                    prop_assert_eq!(copy.starts_at, original.spec.starts_at);
                }
            }
        }
    }

    #[test]
    fn a_copy_into_the_dst_week_keeps_evening_times() {
        let tpl = template(vec![
            (Weekday::Sun, t(18, 0), t(23, 0)),
            (Weekday::Sat, t(22, 0), t(3, 0)),
        ]);
        let from = IsoWeek::parse("2026-W12").unwrap();
        let to = IsoWeek::parse("2026-W13").unwrap();
        let source = shifts_of(expand_template(&tpl, Amsterdam, from));
        let copies = copy_week(&source, Amsterdam, from, to);
        for (id, copy) in copies {
            let original = source.iter().find(|s| s.id == id).unwrap();
            assert_eq!(
                local(Amsterdam, copy.starts_at).time(),
                local(Amsterdam, original.spec.starts_at).time()
            );
            assert_eq!(
                local(Amsterdam, copy.ends_at).time(),
                local(Amsterdam, original.spec.ends_at).time()
            );
            // Exactly 7 × 24 h later would be an hour off for the Sunday evening shift.
            if copy.local_date.weekday() == Weekday::Sun {
                assert_eq!(
                    (copy.starts_at - original.spec.starts_at).num_hours(),
                    7 * 24 - 1
                );
            }
        }
    }
}

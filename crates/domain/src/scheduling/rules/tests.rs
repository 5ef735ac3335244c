use super::*;
use crate::scheduling::model::WeeklyWindow;
use crate::scheduling::time::{local, shift_instants, LocalPolicy};
use chrono::{NaiveTime, Weekday};
use chrono_tz::Europe::Amsterdam;
use proptest::prelude::*;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn t(h: u32, m: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(h, m, 0).unwrap()
}

fn booked(id: u128, date: NaiveDate, start: NaiveTime, end: NaiveTime) -> BookedShift {
    let (starts_at, ends_at) =
        shift_instants(Amsterdam, date, start, end, LocalPolicy::Strict).unwrap();
    BookedShift {
        shift_id: Uuid::from_u128(id),
        location_name: "Venue".into(),
        starts_at,
        ends_at,
        break_minutes: 0,
        local_date: date,
    }
}

fn facts(shift: BookedShift, slots: u16, assigned: Vec<Uuid>) -> ShiftFacts {
    ShiftFacts {
        local_start: local(Amsterdam, shift.starts_at),
        local_end: local(Amsterdam, shift.ends_at),
        shift,
        slots,
        assigned,
        requirements: vec![],
    }
}

fn person(booked: Vec<BookedShift>) -> PersonFacts {
    PersonFacts {
        user_id: Uuid::from_u128(7),
        status: Some(CrewStatus::Active),
        booked,
        ..PersonFacts::default()
    }
}

fn rules() -> LocationRules {
    LocationRules::default()
}

fn codes(verdict: &Verdict) -> Vec<&'static str> {
    verdict.codes()
}

#[test]
fn the_ten_hour_rest_trap_of_the_spring_night_is_caught() {
    // Sat 28 Mar 2026 ends 23:00; Sun 10:00 looks 11 h later on the clock but is 10 h later.
    let saturday = booked(1, d(2026, 3, 28), t(18, 0), t(23, 0));
    let sunday = booked(2, d(2026, 3, 29), t(10, 0), t(16, 0));
    let verdict = check(&facts(sunday, 1, vec![]), &person(vec![saturday]), &rules());
    assert_eq!(codes(&verdict), vec!["rest_too_short"]);
    match &verdict.reasons[0] {
        Reason::RestTooShort {
            rest_minutes,
            minimum_minutes,
            ..
        } => {
            assert_eq!((*rest_minutes, *minimum_minutes), (600, 660));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        verdict.reasons[0].message(Amsterdam),
        "Rest 10 h, minimum 11 h (next to the shift Sat 28 Mar 18:00–Sat 28 Mar 23:00 at Venue)."
    );
    // The same clock times a week earlier are 11 h apart: fine.
    let before = booked(1, d(2026, 3, 21), t(18, 0), t(23, 0));
    let after = booked(2, d(2026, 3, 22), t(10, 0), t(16, 0));
    assert!(
        check(&facts(after, 1, vec![]), &person(vec![before]), &rules())
            .reasons
            .is_empty()
    );
}

#[test]
fn in_autumn_the_same_clock_gap_is_twelve_hours() {
    let saturday = booked(1, d(2026, 10, 24), t(18, 0), t(23, 0));
    let sunday = booked(2, d(2026, 10, 25), t(10, 0), t(16, 0));
    assert!(
        check(&facts(sunday, 1, vec![]), &person(vec![saturday]), &rules())
            .reasons
            .is_empty()
    );
}

#[test]
fn split_shifts_on_one_day_are_allowed_and_an_overnight_shift_needs_its_rest() {
    let morning = booked(1, d(2026, 6, 10), t(6, 0), t(10, 0));
    let evening = booked(2, d(2026, 6, 10), t(16, 0), t(21, 0));
    assert!(
        check(&facts(evening, 1, vec![]), &person(vec![morning]), &rules())
            .reasons
            .is_empty()
    );
    let night = booked(3, d(2026, 6, 10), t(22, 0), t(3, 0));
    let next_morning = booked(4, d(2026, 6, 11), t(10, 0), t(14, 0));
    let verdict = check(
        &facts(next_morning, 1, vec![]),
        &person(vec![night]),
        &rules(),
    );
    assert_eq!(codes(&verdict), vec!["rest_too_short"]);
}

#[test]
fn overlap_across_midnight_is_refused() {
    let night = booked(1, d(2026, 6, 10), t(22, 0), t(3, 0));
    let early = booked(2, d(2026, 6, 11), t(2, 0), t(6, 0));
    let verdict = check(&facts(early, 1, vec![]), &person(vec![night]), &rules());
    assert_eq!(codes(&verdict), vec!["overlap"]);
    assert!(!verdict.is_overridable());
    assert!(verdict.clone().decide(Some("short staffed")).is_err());
}

#[test]
fn every_reason_is_reported_with_its_severity() {
    let shift = booked(10, d(2026, 6, 14), t(10, 0), t(20, 0));
    let competency = Uuid::from_u128(50);
    let mut shift_facts = facts(shift.clone(), 1, vec![Uuid::from_u128(8)]);
    shift_facts.requirements = vec![NeededLevel {
        competency_id: competency,
        name: "Cocktails".into(),
        min_level: 3,
    }];
    let mut who = person(
        (8..14)
            .map(|day| booked(100 + day, d(2026, 6, day as u32), t(10, 0), t(20, 0)))
            .collect(),
    );
    who.status = Some(CrewStatus::OnLeave);
    who.contracted_minutes = Some(24 * 60);
    who.levels = vec![(competency, 2)];
    who.time_off = vec![TimeOff {
        starts_at: shift.starts_at,
        ends_at: shift.ends_at,
    }];
    who.availability = Availability {
        weekly: vec![],
        unavailable_dates: vec![d(2026, 6, 14)],
    };
    let verdict = check(&shift_facts, &who, &rules());
    assert_eq!(
        codes(&verdict),
        vec![
            "not_crew_here",
            "slots_full",
            "time_off",
            "competency_below_minimum",
            "unavailable",
            "over_contract_hours",
            "over_weekly_max",
            "seventh_day"
        ]
    );
    let messages: Vec<String> = verdict
        .reasons
        .iter()
        .map(|r| r.message(Amsterdam))
        .collect();
    assert!(
        messages.contains(&"Cocktails: level 2, minimum 3.".to_string()),
        "{messages:?}"
    );
    // Mon 8 – Sun 14 June: 7 shifts of 10 h.
    assert!(
        messages.contains(&"70 h this week, contract 24 h.".to_string()),
        "{messages:?}"
    );
    assert!(
        messages.contains(&"7 days in a row without a day off.".to_string()),
        "{messages:?}"
    );
}

#[test]
fn overridable_reasons_pass_only_with_a_reason() {
    let shift = booked(1, d(2026, 6, 10), t(10, 0), t(14, 0));
    let mut who = person(vec![]);
    who.availability.unavailable_dates = vec![d(2026, 6, 10)];
    let verdict = check(&facts(shift, 1, vec![]), &who, &rules());
    assert!(verdict.is_overridable());
    let refused = verdict.clone().decide(None).unwrap_err();
    assert!(refused.overridable);
    assert!(verdict.clone().decide(Some("  ")).is_err());
    let accepted = verdict.decide(Some("Agreed by phone")).unwrap();
    assert_eq!(accepted.overridden, vec!["unavailable"]);
}

#[test]
fn weekly_windows_decide_availability() {
    let wednesday = d(2026, 6, 10);
    let at = |h: u32| wednesday.and_time(t(h, 0));
    let window = |kind, from: u32, to: u32| WeeklyWindow {
        weekday: Weekday::Wed,
        kind,
        window: Some((t(from, 0), t(to, 0))),
    };
    let only_days = Availability {
        weekly: vec![window(AvailabilityKind::Available, 9, 17)],
        unavailable_dates: vec![],
    };
    assert_eq!(unavailability(&only_days, at(10), at(16)), None);
    assert_eq!(
        unavailability(&only_days, at(16), at(22)),
        Some(Unavailability::OutsideWindows)
    );
    let evening_off = Availability {
        weekly: vec![window(AvailabilityKind::Unavailable, 18, 23)],
        unavailable_dates: vec![],
    };
    assert_eq!(unavailability(&evening_off, at(10), at(16)), None);
    assert!(matches!(
        unavailability(&evening_off, at(16), at(20)),
        Some(Unavailability::Window(_))
    ));
    let nights = Availability {
        weekly: vec![window(AvailabilityKind::Preferred, 20, 4)],
        unavailable_dates: vec![],
    };
    let next = |h: u32| wednesday.succ_opt().unwrap().and_time(t(h, 0));
    assert_eq!(unavailability(&nights, at(22), next(3)), None);
    assert!(is_preferred(&nights, at(22), next(3)));
    assert!(!is_preferred(&nights, at(10), at(14)));
    // Other weekdays are not constrained.
    let thursday = d(2026, 6, 11).and_time(t(10, 0));
    assert_eq!(
        unavailability(&only_days, thursday, thursday + Duration::hours(4)),
        None
    );
}

#[test]
fn hours_are_written_as_decimals() {
    assert_eq!(hours(600), "10 h");
    assert_eq!(hours(630), "10.5 h");
    assert_eq!(hours(465), "7.75 h");
    assert_eq!(hours(20), "0.33 h");
}

#[test]
fn a_week_report_finds_rest_breaches_and_sums_paid_hours() {
    let week = IsoWeek::parse("2026-W13").unwrap();
    let mut saturday = booked(1, d(2026, 3, 28), t(18, 0), t(23, 0));
    saturday.break_minutes = 30;
    let sunday = booked(2, d(2026, 3, 29), t(10, 0), t(16, 0));
    let next_week = booked(3, d(2026, 3, 30), t(10, 0), t(16, 0));
    let report = person_week(&[saturday, sunday, next_week], week, Some(600), &rules());
    assert_eq!(report.minutes, 270 + 360);
    assert_eq!(
        report.reasons.iter().map(Reason::code).collect::<Vec<_>>(),
        vec!["rest_too_short", "over_contract_hours"]
    );
}

/// Dates around the four DST nights of 2026–2027 and an ordinary one.
fn near_dst_nights() -> impl Strategy<Value = NaiveDate> {
    let nights = [
        d(2026, 3, 28),
        d(2026, 10, 24),
        d(2027, 3, 27),
        d(2027, 10, 30),
        d(2026, 7, 4),
    ];
    (prop::sample::select(nights.to_vec()), -1i64..=2)
        .prop_map(|(night, offset)| night + Duration::days(offset))
}

fn any_clock() -> impl Strategy<Value = NaiveTime> {
    (0u32..24, prop::sample::select(vec![0u32, 15, 30, 45])).prop_map(|(h, m)| t(h, m))
}

fn expanded(id: u128, date: NaiveDate, start: NaiveTime, end: NaiveTime) -> Option<BookedShift> {
    if start == end {
        return None;
    }
    let (starts_at, ends_at) =
        shift_instants(Amsterdam, date, start, end, LocalPolicy::Expand).ok()?;
    Some(BookedShift {
        shift_id: Uuid::from_u128(id),
        location_name: "Venue".into(),
        starts_at,
        ends_at,
        break_minutes: 0,
        local_date: date,
    })
}

proptest! {
    /// Overlap is decided on instants, across midnight and the DST nights: reported exactly when the two
    /// shifts share a moment, whichever of the two is being added.
    #[test]
    fn overlap_is_instant_intersection(
        d1 in near_dst_nights(), s1 in any_clock(), e1 in any_clock(),
        d2 in near_dst_nights(), s2 in any_clock(), e2 in any_clock(),
    ) {
        let (Some(a), Some(b)) = (expanded(1, d1, s1, e1), expanded(2, d2, s2, e2)) else { return Ok(()); };
        let intersect = a.starts_at < b.ends_at && b.starts_at < a.ends_at;
        let one = check(&facts(b.clone(), 1, vec![]), &person(vec![a.clone()]), &rules());
        let other = check(&facts(a, 1, vec![]), &person(vec![b]), &rules());
        prop_assert_eq!(one.codes().contains(&"overlap"), intersect);
        prop_assert_eq!(other.codes().contains(&"overlap"), intersect);
    }

    /// Rest is the real time between two shifts of different days: `rest_too_short` exactly when it is
    /// under the minimum, with the real figure, symmetrically; never between two shifts of one day.
    #[test]
    fn rest_is_measured_on_instants(
        d1 in near_dst_nights(), s1 in any_clock(), e1 in any_clock(),
        d2 in near_dst_nights(), s2 in any_clock(), e2 in any_clock(),
        minimum_hours in 8u32..=12,
    ) {
        let (Some(a), Some(b)) = (expanded(1, d1, s1, e1), expanded(2, d2, s2, e2)) else { return Ok(()); };
        prop_assume!(!(a.starts_at < b.ends_at && b.starts_at < a.ends_at));
        let rules = LocationRules { min_rest_minutes: minimum_hours * 60, ..LocationRules::default() };
        let real = if a.ends_at <= b.starts_at { b.starts_at - a.ends_at } else { a.starts_at - b.ends_at };
        let expected = d1 != d2 && real < Duration::hours(i64::from(minimum_hours));
        for (new, old) in [(b.clone(), a.clone()), (a.clone(), b.clone())] {
            let verdict = check(&facts(new, 1, vec![]), &person(vec![old]), &rules);
            let rest = verdict.reasons.iter().find_map(|r| match r {
                Reason::RestTooShort { rest_minutes, .. } => Some(*rest_minutes),
                _ => None,
            });
            prop_assert_eq!(rest.is_some(), expected);
            if let Some(minutes) = rest {
                prop_assert_eq!(minutes, real.num_minutes());
            }
        }
    }

    /// Slots: a person can be added exactly while fewer people than slots are on the shift; filling a
    /// shift by asking the engine each time never puts more people on it than it has slots.
    #[test]
    fn slot_counting(slots in 1u16..6, candidates in 0u128..12) {
        let shift = booked(1, d(2026, 6, 10), t(10, 0), t(14, 0));
        let mut assigned: Vec<Uuid> = Vec::new();
        for n in 0..candidates {
            let mut who = person(vec![]);
            who.user_id = Uuid::from_u128(1000 + n);
            let verdict = check(&facts(shift.clone(), slots, assigned.clone()), &who, &rules());
            prop_assert_eq!(verdict.codes().contains(&"slots_full"), assigned.len() >= usize::from(slots));
            if verdict.decide(None).is_ok() {
                assigned.push(who.user_id);
            }
        }
        prop_assert_eq!(assigned.len(), (candidates as usize).min(usize::from(slots)));
    }

    /// Whatever the facts, a hard refusal never passes `decide`, even with an override; a verdict with
    /// only overridable refusals passes exactly when a reason is given.
    #[test]
    fn decide_never_lets_a_hard_refusal_through(
        status in prop::option::of(prop::sample::select(CrewStatus::ALL.to_vec())),
        slots in 1u16..3, others in 0u128..4,
        level in 0u8..=5, minimum in 1u8..=5,
        off in any::<bool>(), unavailable in any::<bool>(),
        with_reason in any::<bool>(),
    ) {
        let shift = booked(1, d(2026, 6, 10), t(10, 0), t(14, 0));
        let competency = Uuid::from_u128(5);
        let mut shift_facts = facts(shift.clone(), slots, (0..others).map(|n| Uuid::from_u128(500 + n)).collect());
        shift_facts.requirements = vec![NeededLevel { competency_id: competency, name: "C".into(), min_level: minimum }];
        let mut who = person(vec![]);
        who.status = status;
        who.levels = vec![(competency, level)];
        if off {
            who.time_off = vec![TimeOff { starts_at: shift.starts_at, ends_at: shift.ends_at }];
        }
        if unavailable {
            who.availability.unavailable_dates = vec![d(2026, 6, 10)];
        }
        let verdict = check(&shift_facts, &who, &rules());
        let hard = verdict.reasons.iter().any(|r| r.severity() == Severity::Refuse);
        let soft = verdict.reasons.iter().any(|r| r.severity() == Severity::Overridable);
        let decided = verdict.decide(with_reason.then_some("agreed"));
        prop_assert_eq!(decided.is_ok(), !hard && (!soft || with_reason));
    }
}

//! The auto-fill quality yardstick (SCHEDULING.md §5): solve time, fill rate, hard violations and soft
//! score on generated weeks, and the gap to an exact optimum on small ones.
//!
//! Run with `cargo bench -p crewplots-domain --bench autofill`. Prints a line per solved week, a table, and
//! writes the figures to `<target>/bench/autofill.json`.
//!
//! - The generator is deterministic (ChaCha8 seeded per week): venues with Amsterdam wall-clock shifts
//!   stored as UTC instants (weeks with and without a DST night), positions, competencies with levels,
//!   contracts of 8–38 h, availability with unavailable and preferred windows, time off, interest, a recent
//!   load, last week's shifts, pinned assignments, borrowing at some venues and people crewing two venues.
//! - Hard violations are counted independently of the solver: every suggestion is re-checked with
//!   `rules::check` against the final state (pinned people and every other suggestion), and a refusal, an
//!   `over_weekly_max` / `seventh_day` warning, a person twice on a shift or a shift over its slots counts.
//! - Each week is also solved by the greedy construction alone (no local search), to show what the search
//!   adds, and the fill rate is set against an upper bound: the open slots that someone could take with
//!   nothing else suggested.
//! - The exact optimum (small weeks only) is an exhaustive branch over every slot — each candidate the
//!   solver's own `Scorer` accepts, or the slot left empty — maximising (filled slots, soft score). It lives
//!   here, not in the shipped crate.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use chrono::{NaiveDate, NaiveTime, Weekday};
use chrono_tz::Europe::Amsterdam;
use crewplots_domain::scheduling::autofill::{
    score_of, suggest, FillOptions, FillPerson, FillProblem, FillProposal, FillSettings, FillShift,
    FillWeights, Placement, RecentLoad, Scorer,
};
use crewplots_domain::scheduling::model::{
    Availability, AvailabilityKind, CrewStatus, LocationRules, TimeOff, WeeklyWindow,
};
use crewplots_domain::scheduling::rules::{
    self, BookedShift, NeededLevel, PersonFacts, ShiftFacts,
};
use crewplots_domain::scheduling::time::{local, shift_instants, IsoWeek, LocalPolicy};
use rand_chacha::rand_core::{RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;
use uuid::Uuid;

const SEEDS: u64 = 10;
const SMALL_SEEDS: u64 = 30;
/// The time budget the product would give; the figures say whether it was ever reached.
const BUDGET: Duration = Duration::from_secs(10);

// ----- a tiny deterministic random helper -----

struct Dice(ChaCha8Rng);

impl Dice {
    fn new(seed: u64) -> Self {
        Self(ChaCha8Rng::seed_from_u64(seed))
    }
    /// Uniform in `0..n` (n > 0).
    fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.0.next_u64()) * u128::from(n)) >> 64) as u64
    }
    fn range(&mut self, from: u64, to: u64) -> u64 {
        from + self.below(to - from + 1)
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
}

// ----- the generator -----

/// The positions every venue has, by name, and the competencies, by name.
const POSITIONS: [&str; 6] = [
    "bartender",
    "waiter",
    "runner",
    "kitchen",
    "host",
    "security",
];
const COMPETENCIES: [&str; 5] = [
    "cocktails",
    "cash register",
    "beer tap",
    "first aid",
    "food hygiene",
];

/// One template line: position, weekdays (Mon = 0), start, end, slots on weekdays and Fri/Sat, required
/// competency and level.
type Line = (
    usize,
    &'static [u32],
    (u32, u32),
    (u32, u32),
    u16,
    u16,
    Option<(usize, u8)>,
);

const ALL: &[u32] = &[0, 1, 2, 3, 4, 5, 6];
const LATE: &[u32] = &[3, 4, 5];
const WEEKEND: &[u32] = &[4, 5];

/// A bar's week: roughly a hundred slots, evening-heavy, late on Thursday to Saturday.
const TEMPLATE: [Line; 12] = [
    (0, ALL, (12, 0), (18, 0), 1, 1, None),
    (0, ALL, (16, 0), (0, 0), 2, 3, Some((0, 2))),
    (0, LATE, (20, 0), (3, 0), 1, 2, Some((0, 3))),
    (1, ALL, (10, 0), (16, 0), 1, 2, Some((1, 1))),
    (1, ALL, (17, 0), (23, 0), 2, 3, None),
    (1, &[4, 5, 6], (12, 0), (17, 0), 1, 1, None),
    (2, &[2, 3, 4, 5, 6], (18, 0), (23, 30), 1, 2, None),
    (3, ALL, (11, 0), (16, 0), 1, 1, Some((4, 2))),
    (3, ALL, (16, 0), (22, 0), 1, 2, Some((4, 2))),
    (4, WEEKEND, (18, 0), (23, 0), 1, 1, None),
    (5, WEEKEND, (22, 0), (4, 0), 1, 1, Some((3, 1))),
    (0, &[6], (14, 0), (22, 0), 2, 2, Some((2, 1))),
];

#[derive(Debug, Clone, Copy)]
struct Scale {
    venues: usize,
    crew: usize,
    /// Percent of slots pinned by hand before auto-fill runs.
    pinned: u64,
}

/// Ids: venue v = 0x1_0000 + v, position = 0x2_0000 + 16 v + n, competency = 0x3_0000 + 16 v + n,
/// person = 0x4_0000 + k, shift = 0x5_0000 + running number.
fn venue_id(v: usize) -> Uuid {
    Uuid::from_u128(0x1_0000 + v as u128)
}
fn position_id(v: usize, n: usize) -> Uuid {
    Uuid::from_u128(0x2_0000 + 16 * v as u128 + n as u128)
}
fn competency_id(v: usize, n: usize) -> Uuid {
    Uuid::from_u128(0x3_0000 + 16 * v as u128 + n as u128)
}

fn t(h: u32, m: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(h, m, 0).unwrap_or(NaiveTime::MIN)
}

fn booked_at(
    id: Uuid,
    venue: usize,
    date: NaiveDate,
    start: NaiveTime,
    end: NaiveTime,
    brk: u16,
) -> Option<BookedShift> {
    let (starts_at, ends_at) =
        shift_instants(Amsterdam, date, start, end, LocalPolicy::Expand).ok()?;
    Some(BookedShift {
        shift_id: id,
        location_name: format!("Venue {venue}"),
        starts_at,
        ends_at,
        break_minutes: brk,
        local_date: date,
    })
}

/// The weeks cycled through: the spring DST night, an ordinary June week, the autumn DST night.
fn week_of(seed: u64) -> IsoWeek {
    let (year, week) = [(2026, 13), (2026, 24), (2026, 43)][(seed % 3) as usize];
    IsoWeek::new(year, week).unwrap_or_else(|_| IsoWeek::of(NaiveDate::MIN))
}

struct Person {
    home: usize,
    second_home: Option<usize>,
    positions: Vec<usize>,
    levels: [u8; 5],
    status: CrewStatus,
}

fn generate(scale: Scale, seed: u64) -> FillProblem {
    let mut dice = Dice::new(seed);
    let week = week_of(seed);
    let days = week.days();
    let mut problem = FillProblem::default();

    for v in 0..scale.venues {
        let rules = LocationRules {
            min_rest_minutes: 11 * 60,
            // One venue in four caps the week at 40 h: people working there and elsewhere meet two limits.
            weekly_max_minutes: if v % 4 == 3 { 40 * 60 } else { 48 * 60 },
        };
        let weights = FillWeights {
            interest: if v % 2 == 0 { 6 } else { 8 },
            fair_spread: if v % 3 == 0 { 6 } else { 4 },
            ..FillWeights::default()
        };
        problem.locations.insert(
            venue_id(v),
            (
                rules,
                FillSettings {
                    allow_borrowing: v % 2 == 0,
                    weights,
                },
            ),
        );
    }

    // The crew: home venues round robin, one or two positions, levels, contracts, availability.
    let mut people: Vec<Person> = Vec::new();
    for k in 0..scale.crew {
        let home = k % scale.venues;
        let first = *dice.pick(&[0, 0, 0, 1, 1, 1, 2, 3, 3, 4, 5]);
        let mut positions = vec![first];
        if dice.chance(35) {
            let second = *dice.pick(&[0, 1, 2, 4]);
            if second != first {
                positions.push(second);
            }
        }
        let mut levels = [0u8; 5];
        for level in &mut levels {
            *level = dice.range(0, 5) as u8;
        }
        // Bartenders mostly know cocktails; kitchen staff their hygiene.
        if positions.contains(&0) {
            levels[0] = levels[0].max(dice.range(2, 5) as u8);
        }
        if positions.contains(&3) {
            levels[4] = levels[4].max(2);
        }
        let status = if dice.chance(4) {
            CrewStatus::OnLeave
        } else {
            CrewStatus::Active
        };
        let second_home = (scale.venues > 1 && dice.chance(10))
            .then(|| (home + 1 + dice.below(scale.venues as u64 - 1) as usize) % scale.venues);
        people.push(Person {
            home,
            second_home,
            positions,
            levels,
            status,
        });
        let user_id = Uuid::from_u128(0x4_0000 + k as u128);
        let contract = if dice.chance(10) {
            None
        } else {
            Some(dice.range(4, 19) as u32 * 120)
        };
        let mut weekly = Vec::new();
        let weekday = |n: u64| {
            [
                Weekday::Mon,
                Weekday::Tue,
                Weekday::Wed,
                Weekday::Thu,
                Weekday::Fri,
                Weekday::Sat,
                Weekday::Sun,
            ][n as usize]
        };
        match dice.below(6) {
            // A student: one weekday off, evenings preferred on two days.
            0 | 1 => {
                weekly.push(WeeklyWindow {
                    weekday: weekday(dice.below(5)),
                    kind: AvailabilityKind::Unavailable,
                    window: None,
                });
                for _ in 0..2 {
                    weekly.push(WeeklyWindow {
                        weekday: weekday(dice.below(7)),
                        kind: AvailabilityKind::Preferred,
                        window: Some((t(17, 0), t(4, 0))),
                    });
                }
            }
            // A day job: weekday evenings only.
            2 => {
                for n in 0..5 {
                    weekly.push(WeeklyWindow {
                        weekday: weekday(n),
                        kind: AvailabilityKind::Available,
                        window: Some((t(17, 0), t(4, 0))),
                    });
                }
            }
            // Prefers days.
            3 => {
                for n in 0..7 {
                    weekly.push(WeeklyWindow {
                        weekday: weekday(n),
                        kind: AvailabilityKind::Preferred,
                        window: Some((t(9, 0), t(18, 0))),
                    });
                    weekly.push(WeeklyWindow {
                        weekday: weekday(n),
                        kind: AvailabilityKind::Available,
                        window: None,
                    });
                }
            }
            _ => {}
        }
        let mut unavailable_dates = Vec::new();
        if dice.chance(10) {
            unavailable_dates.push(days[dice.below(7) as usize]);
        }
        let mut time_off = Vec::new();
        if dice.chance(10) {
            let from = dice.below(6) as usize;
            let to = (from + dice.range(1, 3) as usize).min(6);
            if let (Ok(start), Ok(end)) = (
                shift_instants(Amsterdam, days[from], t(0, 0), t(0, 0), LocalPolicy::Expand),
                shift_instants(Amsterdam, days[to], t(0, 0), t(0, 0), LocalPolicy::Expand),
            ) {
                time_off.push(TimeOff {
                    starts_at: start.0,
                    ends_at: end.1,
                });
            }
        }
        // Last week's closing shifts (rest, weekly runs) and next Monday's.
        let mut booked = Vec::new();
        for (n, back) in [3u64, 2, 1].into_iter().enumerate() {
            if dice.chance(45) {
                let date = days[0] - chrono::Days::new(back);
                let (start, end) =
                    *dice.pick(&[((16, 0), (0, 0)), ((20, 0), (3, 0)), ((12, 0), (18, 0))]);
                if let Some(b) = booked_at(
                    Uuid::from_u128(0x6_0000 + 16 * k as u128 + n as u128),
                    home,
                    date,
                    t(start.0, start.1),
                    t(end.0, end.1),
                    0,
                ) {
                    booked.push(b);
                }
            }
        }
        problem.people.push(FillPerson {
            user_id,
            facts: PersonFacts {
                user_id,
                status: None,
                contracted_minutes: contract,
                levels: Vec::new(),
                booked,
                time_off,
                availability: Availability {
                    weekly,
                    unavailable_dates,
                },
            },
            places: Vec::new(),
            recent: RecentLoad {
                late_nights: dice.range(0, 10) as u32,
                weekends: dice.range(0, 8) as u32,
            },
        });
    }

    // Placements: home venues, second homes, borrowing within a manager's group of four venues.
    for (k, person) in people.iter().enumerate() {
        let place = |v: usize, borrowed_from: Option<usize>| Placement {
            location_id: venue_id(v),
            status: person.status,
            position_ids: person
                .positions
                .iter()
                .map(|&n| position_id(v, n))
                .collect(),
            levels: person
                .levels
                .iter()
                .enumerate()
                .map(|(n, &level)| (competency_id(v, n), level))
                .collect(),
            borrowed_from: borrowed_from.map(venue_id),
        };
        let mut places = vec![place(person.home, None)];
        if let Some(second) = person.second_home {
            places.push(place(second, None));
        }
        for v in 0..scale.venues {
            let same_group = v / 4 == person.home / 4;
            if v != person.home && Some(v) != person.second_home && same_group && v % 2 == 0 {
                places.push(place(v, Some(person.home)));
            }
        }
        problem.people[k].places = places;
    }

    // The shifts, expanded from the template in Amsterdam time.
    let mut running = 0u128;
    for v in 0..scale.venues {
        for line in &TEMPLATE {
            let (position, weekdays, start, end, slots, busy_slots, need) = *line;
            for &day in weekdays {
                let date = days[day as usize];
                running += 1;
                let id = Uuid::from_u128(0x5_0000 + running);
                let Some(shift) = booked_at(
                    id,
                    v,
                    date,
                    t(start.0, start.1),
                    t(end.0, end.1),
                    if end.0 >= start.0 && end.0 - start.0 < 6 {
                        0
                    } else {
                        30
                    },
                ) else {
                    continue;
                };
                let mut slots = if WEEKEND.contains(&day) {
                    busy_slots
                } else {
                    slots
                };
                // Venues differ a little.
                if dice.chance(15) {
                    slots += 1;
                }
                let requirements = need
                    .map(|(n, min_level)| NeededLevel {
                        competency_id: competency_id(v, n),
                        name: COMPETENCIES[n].into(),
                        min_level,
                    })
                    .into_iter()
                    .collect();
                problem.shifts.push(FillShift {
                    location_id: venue_id(v),
                    position_id: position_id(v, position),
                    position_name: POSITIONS[position].into(),
                    facts: ShiftFacts {
                        local_start: local(Amsterdam, shift.starts_at),
                        local_end: local(Amsterdam, shift.ends_at),
                        shift,
                        slots,
                        assigned: Vec::new(),
                        requirements,
                    },
                    interested: Vec::new(),
                });
            }
        }
    }

    // Interest, and the pinned assignments a manager made by hand (legal ones, as the engine would allow).
    for s in 0..problem.shifts.len() {
        let shift = problem.shifts[s].clone();
        let (rules, _) = problem
            .locations
            .get(&shift.location_id)
            .copied()
            .unwrap_or_default();
        let mut pool: Vec<usize> = (0..problem.people.len())
            .filter(|&k| {
                problem.people[k].places.iter().any(|p| {
                    p.location_id == shift.location_id
                        && p.borrowed_from.is_none()
                        && p.position_ids.contains(&shift.position_id)
                })
            })
            .collect();
        for &k in &pool {
            if dice.chance(8) {
                problem.shifts[s].interested.push(problem.people[k].user_id);
            }
        }
        for _ in 0..shift.facts.slots {
            if pool.is_empty() || !dice.chance(scale.pinned) {
                continue;
            }
            let at = dice.below(pool.len() as u64) as usize;
            let k = pool.swap_remove(at);
            let person = &problem.people[k];
            let Some(place) = person
                .places
                .iter()
                .find(|p| p.location_id == shift.location_id)
            else {
                continue;
            };
            let facts = PersonFacts {
                status: Some(place.status),
                levels: place.levels.clone(),
                ..person.facts.clone()
            };
            let verdict = rules::check(&problem.shifts[s].facts, &facts, &rules);
            if verdict.is_clear() && verdict.reasons.is_empty() {
                let user = person.user_id;
                problem.shifts[s].facts.assigned.push(user);
                let booked = problem.shifts[s].facts.shift.clone();
                problem.people[k].facts.booked.push(booked);
            }
        }
    }
    // Only shifts with an empty slot are auto-fill's business (the loader leaves full ones out).
    problem
        .shifts
        .retain(|s| s.facts.assigned.len() < usize::from(s.facts.slots));
    problem
}

/// A small week for the exact comparison: five people of one venue (one of them borrowed from a second),
/// six to eight slots over three days that compete for the same people.
fn generate_small(seed: u64) -> FillProblem {
    let mut dice = Dice::new(0x5eed_0000 + seed);
    let week = week_of(seed);
    let days = week.days();
    let mut problem = FillProblem::default();
    let weights = FillWeights::default();
    for v in 0..2 {
        problem.locations.insert(
            venue_id(v),
            (
                LocationRules {
                    min_rest_minutes: 11 * 60,
                    weekly_max_minutes: 20 * 60,
                },
                FillSettings {
                    allow_borrowing: true,
                    weights,
                },
            ),
        );
    }
    let target = dice.range(6, 8) as u16;
    let mut slots_total = 0u16;
    let mut running = 0u128;
    let options: [((u32, u32), (u32, u32)); 5] = [
        ((10, 0), (16, 0)),
        ((14, 0), (20, 0)),
        ((17, 0), (23, 0)),
        ((20, 0), (2, 0)),
        ((12, 0), (17, 0)),
    ];
    while slots_total < target {
        let day = 3 + dice.below(3) as usize;
        let (start, end) = *dice.pick(&options);
        let slots = (dice.range(1, 2) as u16).min(target - slots_total);
        slots_total += slots;
        running += 1;
        let id = Uuid::from_u128(0x5_0000 + running);
        let Some(shift) = booked_at(id, 0, days[day], t(start.0, start.1), t(end.0, end.1), 0)
        else {
            continue;
        };
        let requirements = dice
            .chance(40)
            .then(|| NeededLevel {
                competency_id: competency_id(0, 0),
                name: "cocktails".into(),
                min_level: dice.range(1, 3) as u8,
            })
            .into_iter()
            .collect();
        problem.shifts.push(FillShift {
            location_id: venue_id(0),
            position_id: position_id(0, 0),
            position_name: "bartender".into(),
            facts: ShiftFacts {
                local_start: local(Amsterdam, shift.starts_at),
                local_end: local(Amsterdam, shift.ends_at),
                shift,
                slots,
                assigned: Vec::new(),
                requirements,
            },
            interested: Vec::new(),
        });
    }
    for k in 0..5u128 {
        let user_id = Uuid::from_u128(0x4_0000 + k);
        let borrowed = k == 4;
        let level = dice.range(0, 5) as u8;
        let mut weekly = Vec::new();
        if dice.chance(50) {
            weekly.push(WeeklyWindow {
                weekday: *dice.pick(&[Weekday::Thu, Weekday::Fri, Weekday::Sat]),
                kind: AvailabilityKind::Preferred,
                window: Some((t(16, 0), t(3, 0))),
            });
        }
        if dice.chance(30) {
            weekly.push(WeeklyWindow {
                weekday: *dice.pick(&[Weekday::Thu, Weekday::Fri, Weekday::Sat]),
                kind: AvailabilityKind::Unavailable,
                window: Some((t(9, 0), t(15, 0))),
            });
        }
        let mut booked = Vec::new();
        if dice.chance(40) {
            if let Some(b) = booked_at(
                Uuid::from_u128(0x6_0000 + k),
                1,
                days[dice.range(2, 5) as usize],
                t(8, 0),
                t(12, 0),
                0,
            ) {
                booked.push(b);
            }
        }
        let home = if borrowed { 1 } else { 0 };
        problem.people.push(FillPerson {
            user_id,
            facts: PersonFacts {
                user_id,
                status: None,
                contracted_minutes: Some(dice.range(4, 10) as u32 * 120),
                levels: Vec::new(),
                booked,
                time_off: Vec::new(),
                availability: Availability {
                    weekly,
                    unavailable_dates: Vec::new(),
                },
            },
            places: vec![Placement {
                location_id: venue_id(0),
                status: CrewStatus::Active,
                position_ids: vec![position_id(0, 0)],
                levels: vec![(competency_id(0, 0), level)],
                borrowed_from: borrowed.then(|| venue_id(home)),
            }],
            recent: RecentLoad {
                late_nights: dice.range(0, 6) as u32,
                weekends: dice.range(0, 6) as u32,
            },
        });
    }
    for s in 0..problem.shifts.len() {
        for k in 0..5 {
            if dice.chance(20) {
                let user = problem.people[k].user_id;
                problem.shifts[s].interested.push(user);
            }
        }
    }
    problem
}

// ----- the independent re-check -----

/// Hard violations of a proposal, counted with the rule engine against the final state.
fn violations(problem: &FillProblem, proposal: &FillProposal) -> usize {
    let mut count = 0;
    let mut seen = std::collections::BTreeSet::new();
    for s in &proposal.suggestions {
        if !seen.insert((s.shift_id, s.user_id)) {
            count += 1;
            continue;
        }
        let shift = problem
            .shifts
            .iter()
            .find(|f| f.facts.shift.shift_id == s.shift_id);
        let person = problem.people.iter().find(|p| p.user_id == s.user_id);
        let (Some(shift), Some(person)) = (shift, person) else {
            count += 1;
            continue;
        };
        let (rules, settings) = problem
            .locations
            .get(&shift.location_id)
            .copied()
            .unwrap_or_default();
        let Some(place) = person.places.iter().find(|p| {
            p.location_id == shift.location_id
                && p.position_ids.contains(&shift.position_id)
                && (p.borrowed_from.is_none() || settings.allow_borrowing)
        }) else {
            count += 1;
            continue;
        };
        let mut facts = PersonFacts {
            status: Some(place.status),
            levels: place.levels.clone(),
            ..person.facts.clone()
        };
        let mut target = shift.facts.clone();
        for other in &proposal.suggestions {
            if other.user_id == s.user_id && other.shift_id != s.shift_id {
                if let Some(elsewhere) = problem
                    .shifts
                    .iter()
                    .find(|f| f.facts.shift.shift_id == other.shift_id)
                {
                    facts.booked.push(elsewhere.facts.shift.clone());
                }
            }
            if other.shift_id == s.shift_id && other.user_id != s.user_id {
                target.assigned.push(other.user_id);
            }
        }
        let verdict = rules::check(&target, &facts, &rules);
        let guarded = verdict
            .codes()
            .iter()
            .any(|c| *c == "over_weekly_max" || *c == "seventh_day");
        if !verdict.is_clear() || guarded {
            count += 1;
        }
    }
    count
}

fn open_slots(problem: &FillProblem) -> usize {
    problem
        .shifts
        .iter()
        .map(|s| usize::from(s.facts.slots).saturating_sub(s.facts.assigned.len()))
        .sum()
}

// ----- the exact optimum -----

/// Every empty slot of the problem as (shift id, its candidates), slots of one shift next to each other.
fn slots_of(problem: &FillProblem) -> Vec<(Uuid, Vec<Uuid>)> {
    let mut slots = Vec::new();
    for s in &problem.shifts {
        let candidates: Vec<Uuid> = problem
            .people
            .iter()
            .filter(|p| {
                p.places.iter().any(|q| {
                    q.location_id == s.location_id && q.position_ids.contains(&s.position_id)
                })
            })
            .map(|p| p.user_id)
            .collect();
        for _ in 0..usize::from(s.facts.slots).saturating_sub(s.facts.assigned.len()) {
            slots.push((s.facts.shift.shift_id, candidates.clone()));
        }
    }
    slots
}

struct Exact<'a> {
    slots: Vec<(Uuid, Vec<Uuid>)>,
    scorer: Scorer<'a>,
    chosen: Vec<Option<Uuid>>,
    best: (usize, i64),
    best_set: Vec<(Uuid, Uuid)>,
    nodes: u64,
}

impl Exact<'_> {
    fn branch(&mut self, n: usize) {
        self.nodes += 1;
        let filled = self.scorer.filled();
        if filled + (self.slots.len() - n) < self.best.0 {
            return;
        }
        if n == self.slots.len() {
            let here = (filled, self.scorer.score());
            if here > self.best {
                self.best = here;
                self.best_set = self
                    .slots
                    .iter()
                    .zip(&self.chosen)
                    .filter_map(|((shift, _), who)| who.map(|u| (*shift, u)))
                    .collect();
            }
            return;
        }
        let shift = self.slots[n].0;
        // Slots of one shift are interchangeable: take people in increasing id order within a shift.
        let floor = (n > 0 && self.slots[n - 1].0 == shift)
            .then(|| self.chosen[n - 1])
            .flatten();
        let candidates = self.slots[n].1.clone();
        for user in candidates {
            if floor.is_some_and(|f| user <= f) {
                continue;
            }
            if self.scorer.try_assign(shift, user) {
                self.chosen[n] = Some(user);
                self.branch(n + 1);
                self.chosen[n] = None;
                self.scorer.unassign(shift, user);
            }
        }
        // Left empty: later slots of the same shift stay empty too (the symmetric cases are covered).
        let mut next = n + 1;
        while next < self.slots.len() && self.slots[next].0 == shift {
            next += 1;
        }
        self.branch(next);
    }
}

fn optimum(problem: &FillProblem) -> ((usize, i64), u64) {
    let slots = slots_of(problem);
    let count = slots.len();
    let mut exact = Exact {
        slots,
        scorer: Scorer::new(problem),
        chosen: vec![None; count],
        best: (0, i64::MIN),
        best_set: Vec::new(),
        nodes: 0,
    };
    exact.branch(0);
    // The optimum is re-scored by the public function the tests use: the two must agree.
    let again = score_of(problem, &exact.best_set);
    assert_eq!(
        again,
        Some(exact.best.1),
        "score_of disagrees with the search"
    );
    (exact.best, exact.nodes)
}

// ----- running and reporting -----

struct Run {
    seconds: f64,
    open: usize,
    /// Open slots at least one person could take with nothing else suggested: an upper bound on filling.
    fillable: usize,
    filled: usize,
    violations: usize,
    score: i64,
    stopped: bool,
    /// The greedy construction alone (no local search), for what the search adds.
    greedy: (usize, i64),
}

/// Open slots someone could take alone, shift by shift (a shift's slots count up to the number of such
/// people).
fn fillable(problem: &FillProblem) -> usize {
    let mut scorer = Scorer::new(problem);
    problem
        .shifts
        .iter()
        .map(|s| {
            let id = s.facts.shift.shift_id;
            let able = problem
                .people
                .iter()
                .filter(|p| {
                    let ok = scorer.try_assign(id, p.user_id);
                    if ok {
                        scorer.unassign(id, p.user_id);
                    }
                    ok
                })
                .count();
            able.min(usize::from(s.facts.slots).saturating_sub(s.facts.assigned.len()))
        })
        .sum()
}

fn solve(problem: &FillProblem) -> Run {
    let started = Instant::now();
    let stop = || started.elapsed() > BUDGET;
    let proposal = suggest(problem, &FillOptions::default(), &stop);
    let seconds = started.elapsed().as_secs_f64();
    let greedy = suggest(
        problem,
        &FillOptions {
            max_moves: 0,
            ..FillOptions::default()
        },
        &|| false,
    );
    Run {
        seconds,
        open: open_slots(problem),
        fillable: fillable(problem),
        filled: proposal.suggestions.len(),
        violations: violations(problem, &proposal) + violations(problem, &greedy),
        score: proposal.score,
        stopped: proposal.stopped_early,
        greedy: (greedy.suggestions.len(), greedy.score),
    }
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let at = ((sorted.len() - 1) as f64 * p).round() as usize;
    sorted[at]
}

fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target"))
}

fn main() {
    // `cargo bench` passes `--bench`; a filter argument is not supported (the whole yardstick runs).
    let scenarios = [
        (
            "50 crew × 4 venues × 1 week",
            Scale {
                venues: 4,
                crew: 50,
                pinned: 20,
            },
        ),
        (
            "200 crew × 16 venues × 1 week",
            Scale {
                venues: 16,
                crew: 200,
                pinned: 20,
            },
        ),
    ];
    let mut table = Vec::new();
    let mut json_scenarios = Vec::new();
    for (name, scale) in scenarios {
        let mut runs = Vec::new();
        for seed in 0..SEEDS {
            let problem = generate(scale, seed);
            let run = solve(&problem);
            eprintln!(
                "{name} seed {seed} ({}): {} shifts, {} open slots ({} fillable alone), filled {} (greedy alone {}), {:.3} s, score {} (greedy alone {}), violations {}{}",
                week_of(seed),
                problem.shifts.len(),
                run.open,
                run.fillable,
                run.filled,
                run.greedy.0,
                run.seconds,
                run.score,
                run.greedy.1,
                run.violations,
                if run.stopped { ", stopped by the budget" } else { "" }
            );
            runs.push(run);
        }
        let mut times: Vec<f64> = runs.iter().map(|r| r.seconds).collect();
        times.sort_by(f64::total_cmp);
        let open: usize = runs.iter().map(|r| r.open).sum();
        let filled: usize = runs.iter().map(|r| r.filled).sum();
        let violations: usize = runs.iter().map(|r| r.violations).sum();
        let mean_score = runs.iter().map(|r| r.score as f64).sum::<f64>() / runs.len() as f64;
        let mean_open = open as f64 / runs.len() as f64;
        let weeks = runs.len() as f64;
        let fillable: usize = runs.iter().map(|r| r.fillable).sum();
        let greedy_filled: usize = runs.iter().map(|r| r.greedy.0).sum();
        let greedy_score = runs.iter().map(|r| r.greedy.1 as f64).sum::<f64>() / weeks;
        let rate = |n: usize| {
            if open == 0 {
                1.0
            } else {
                n as f64 / open as f64
            }
        };
        let fill_rate = if open == 0 {
            1.0
        } else {
            filled as f64 / open as f64
        };
        let stopped = runs.iter().filter(|r| r.stopped).count();
        table.push(format!(
            "| {name} | {} | {mean_open:.0} | {:.3} | {:.3} | {:.1} % (greedy {:.1} %, bound {:.1} %) | {violations} | {mean_score:.0} (greedy {greedy_score:.0}) |",
            runs.len(),
            percentile(&times, 0.5),
            times.last().copied().unwrap_or(0.0),
            100.0 * fill_rate,
            100.0 * rate(greedy_filled),
            100.0 * rate(fillable),
        ));
        json_scenarios.push(serde_json::json!({
            "name": name,
            "venues": scale.venues,
            "crew": scale.crew,
            "weeks": runs.len(),
            "mean_open_slots": mean_open,
            "solve_seconds_p50": percentile(&times, 0.5),
            "solve_seconds_max": times.last().copied().unwrap_or(0.0),
            "fill_rate": fill_rate,
            "fill_rate_greedy_alone": rate(greedy_filled),
            "fill_rate_bound_fillable_alone": rate(fillable),
            "mean_soft_score_greedy_alone": greedy_score,
            "hard_violations": violations,
            "mean_soft_score": mean_score,
            "stopped_by_budget": stopped,
        }));
    }

    // Small weeks against the exact optimum.
    let mut gaps = Vec::new();
    let mut fill_misses = 0;
    let mut small_violations = 0;
    let mut small_json = Vec::new();
    for seed in 0..SMALL_SEEDS {
        let problem = generate_small(seed);
        let proposal = suggest(&problem, &FillOptions::default(), &|| false);
        small_violations += violations(&problem, &proposal);
        let started = Instant::now();
        let ((best_filled, best_score), nodes) = optimum(&problem);
        let exact_seconds = started.elapsed().as_secs_f64();
        let solver = (proposal.suggestions.len(), proposal.score);
        let gap = if solver.0 < best_filled {
            fill_misses += 1;
            None
        } else {
            Some(100.0 * (best_score - solver.1) as f64 / (best_score.abs().max(1)) as f64)
        };
        eprintln!(
            "small seed {seed}: {} slots, solver ({}, {}), optimum ({best_filled}, {best_score}) after {nodes} nodes in {exact_seconds:.2} s, gap {}",
            open_slots(&problem),
            solver.0,
            solver.1,
            gap.map_or("fewer slots filled".to_string(), |g| format!("{g:.2} %"))
        );
        if let Some(g) = gap {
            gaps.push(g);
        }
        small_json.push(serde_json::json!({
            "seed": seed,
            "slots": open_slots(&problem),
            "solver": { "filled": solver.0, "score": solver.1 },
            "optimum": { "filled": best_filled, "score": best_score },
            "gap_percent": gap,
            "nodes": nodes,
        }));
    }
    let mean_gap = if gaps.is_empty() {
        0.0
    } else {
        gaps.iter().sum::<f64>() / gaps.len() as f64
    };
    let worst_gap = gaps.iter().copied().fold(0.0, f64::max);
    let at_optimum = gaps.iter().filter(|g| **g <= 0.0).count();

    println!();
    println!("| scenario | weeks | open slots (mean) | solve p50 (s) | solve max (s) | fill rate (greedy alone, upper bound) | hard violations | soft score (mean) |");
    println!("|---|---|---|---|---|---|---|---|");
    for line in &table {
        println!("{line}");
    }
    println!();
    println!(
        "small weeks (5 people, 6–8 slots) against the exact optimum: {} weeks, {at_optimum} at the optimum, mean gap {mean_gap:.2} %, worst gap {worst_gap:.2} %, fewer slots filled in {fill_misses}, hard violations {small_violations}",
        SMALL_SEEDS
    );

    let report = serde_json::json!({
        "scenarios": json_scenarios,
        "small": {
            "weeks": SMALL_SEEDS,
            "at_optimum": at_optimum,
            "mean_gap_percent": mean_gap,
            "worst_gap_percent": worst_gap,
            "fewer_slots_filled": fill_misses,
            "hard_violations": small_violations,
            "instances": small_json,
        },
    });
    let dir = target_dir().join("bench");
    let path = dir.join("autofill.json");
    let written = std::fs::create_dir_all(&dir).and_then(|()| {
        std::fs::write(
            &path,
            serde_json::to_string_pretty(&report).unwrap_or_default(),
        )
    });
    match written {
        Ok(()) => eprintln!("wrote {}", path.display()),
        Err(e) => eprintln!("could not write {}: {e}", path.display()),
    }
}

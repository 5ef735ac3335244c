//! The solver's working copy of a [`FillProblem`]: what never changes while solving (each shift's rules and
//! weights, each slot's candidates and what the rule engine says of them before anything is placed) and
//! what does (who the solver placed where, every person's booked shifts, the running score).
//!
//! Invariants:
//! - Person indices follow `user_id` order and each shift's candidates are sorted by person index, so every
//!   tie broken by "first candidate" is broken by user id.
//! - `shift_facts[i].assigned` is the pinned people plus the solver's; every person's `facts[..].booked`
//!   is their booked shifts plus the solver's. The rule engine is always asked about this state.
//! - A placement is legal when [`rules::check`] is clear, carries no `over_weekly_max` or `seventh_day`
//!   warning, and keeps every other solver placement of the person legal (locations may differ in their
//!   minimum rest and weekly maximum, and the engine checks only the shift being added). Each of these
//!   conditions can only get worse as shifts are added, so a set of placements is legal in any order, and a
//!   candidate refused before anything is placed stays refused.
//! - `score` is the sum of `person_score`, each a function of the person's placed set (see `score.rs`).

use std::collections::BTreeMap;

use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, NaiveTime, Timelike, Utc, Weekday};
use uuid::Uuid;

use super::model::{FillProblem, FillSettings, FillWeights, RecentLoad};
use super::score;
use crate::scheduling::model::LocationRules;
use crate::scheduling::rules::{self, PersonFacts, Reason, ShiftFacts, Verdict};
use crate::scheduling::time::IsoWeek;

/// What never changes about a shift while solving.
#[derive(Debug, Clone)]
pub(super) struct ShiftInfo {
    pub id: Uuid,
    pub location_id: Uuid,
    pub position_id: Uuid,
    pub starts_at: DateTime<Utc>,
    pub rules: LocationRules,
    pub weights: FillWeights,
    /// Slots the pinned people leave empty.
    pub open: usize,
    pub late_night: bool,
    pub weekend: bool,
    pub date: NaiveDate,
    pub week: IsoWeek,
    pub paid: i64,
}

/// What never changes about a person.
#[derive(Debug, Clone)]
pub(super) struct PersonInfo {
    pub user_id: Uuid,
    /// Index into `FillProblem::people`.
    pub source: usize,
    pub contract: Option<u32>,
    pub recent: RecentLoad,
    /// Paid minutes of the booked shifts by ISO week of their local start date (as the engine counts them).
    pub week_base: BTreeMap<IsoWeek, i64>,
    /// The indices into `FillPerson::places` the solver may use; `facts` follows the same order.
    pub places: Vec<usize>,
}

/// A person who may take a slot of a shift, with what the soft terms read of the pair.
#[derive(Debug, Clone)]
pub(super) struct Cand {
    pub person: usize,
    /// Index into `PersonInfo::places`.
    pub place: usize,
    /// The engine allows the pair with nothing placed by the solver (otherwise it never will).
    pub statically_ok: bool,
    pub preferred: bool,
    pub interested: bool,
    /// Lowest level above the requirements (`None`: the shift requires nothing).
    pub margin: Option<u8>,
    pub borrowed_from: Option<Uuid>,
    /// The person already has another booked shift on the shift's local date.
    pub same_day_booked: bool,
}

/// Why a placement is not allowed, as the open-slot explanation counts it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Blocked {
    /// The engine's refusal codes (each once).
    Refused(Vec<&'static str>),
    /// Only warnings the solver will not create itself (`over_weekly_max`, `seventh_day`).
    Guard(Vec<&'static str>),
}

#[derive(Debug)]
pub(super) struct Board<'p> {
    pub problem: &'p FillProblem,
    pub shifts: Vec<ShiftInfo>,
    pub people: Vec<PersonInfo>,
    /// Per shift, its candidates sorted by person.
    pub cands: Vec<Vec<Cand>>,
    /// Per shift, the candidates not refused for good (`statically_ok`).
    pub usable: Vec<Vec<usize>>,
    /// Per person, the `(shift, candidate index)` pairs they appear in.
    pub by_person: Vec<Vec<(usize, usize)>>,
    /// Shift indices by (start, shift id): the order of ties and of the output.
    pub order: Vec<usize>,
    pub rank: Vec<usize>,
    shift_index: BTreeMap<Uuid, usize>,
    shift_facts: Vec<ShiftFacts>,
    /// Per person, per usable placement: the facts with their booked shifts and the solver's.
    facts: Vec<Vec<PersonFacts>>,
    /// Per shift, the candidate indices the solver placed.
    pub placed: Vec<Vec<usize>>,
    /// Per person, their solver placements `(shift, candidate index)` sorted by shift rank.
    pub mine: Vec<Vec<(usize, usize)>>,
    person_score: Vec<i64>,
    pub filled: usize,
    pub score: i64,
}

/// Whether a shift works any time between 00:00 and 06:00 on the location's clock. The wall clock only
/// classifies the shift; lengths and rest are always taken from instants.
pub(super) fn is_late_night(start: NaiveDateTime, end: NaiveDateTime) -> bool {
    let next_midnight = start.date().succ_opt().map(|d| d.and_time(NaiveTime::MIN));
    start.hour() < 6 || next_midnight.is_some_and(|midnight| midnight < end)
}

/// Whether a shift starts on a Saturday or Sunday (its local start date).
pub(super) fn is_weekend(date: NaiveDate) -> bool {
    matches!(date.weekday(), Weekday::Sat | Weekday::Sun)
}

/// Warnings the solver never creates by itself: a manager decides those by hand.
fn is_guarded(reason: &Reason) -> bool {
    matches!(
        reason,
        Reason::OverWeeklyMax { .. } | Reason::SeventhDay { .. }
    )
}

/// The verdict read the solver's way.
fn blocked_by(verdict: &Verdict) -> Option<Blocked> {
    let mut refused: Vec<&'static str> = Vec::new();
    let mut guard: Vec<&'static str> = Vec::new();
    for reason in &verdict.reasons {
        let into = if reason.severity() != rules::Severity::Warning {
            &mut refused
        } else if is_guarded(reason) {
            &mut guard
        } else {
            continue;
        };
        if !into.contains(&reason.code()) {
            into.push(reason.code());
        }
    }
    if !refused.is_empty() {
        Some(Blocked::Refused(refused))
    } else if !guard.is_empty() {
        Some(Blocked::Guard(guard))
    } else {
        None
    }
}

impl<'p> Board<'p> {
    pub fn new(problem: &'p FillProblem) -> Self {
        let settings = |location: Uuid| -> (LocationRules, FillSettings) {
            problem
                .locations
                .get(&location)
                .copied()
                .unwrap_or_default()
        };

        let shifts: Vec<ShiftInfo> = problem
            .shifts
            .iter()
            .map(|s| {
                let (rules, fill) = settings(s.location_id);
                let booked = &s.facts.shift;
                ShiftInfo {
                    id: booked.shift_id,
                    location_id: s.location_id,
                    position_id: s.position_id,
                    starts_at: booked.starts_at,
                    rules,
                    weights: fill.weights,
                    open: usize::from(s.facts.slots).saturating_sub(s.facts.assigned.len()),
                    late_night: is_late_night(s.facts.local_start, s.facts.local_end),
                    weekend: is_weekend(booked.local_date),
                    date: booked.local_date,
                    week: IsoWeek::of(booked.local_date),
                    paid: booked.paid_minutes(),
                }
            })
            .collect();
        let mut order: Vec<usize> = (0..shifts.len()).collect();
        order.sort_by_key(|&i| (shifts[i].starts_at, shifts[i].id, i));
        let mut rank = vec![0; shifts.len()];
        for (r, &i) in order.iter().enumerate() {
            rank[i] = r;
        }
        let mut shift_index = BTreeMap::new();
        for (i, s) in shifts.iter().enumerate() {
            shift_index.entry(s.id).or_insert(i);
        }

        // People in user-id order; a repeated user id keeps its first entry.
        let mut sources: Vec<usize> = (0..problem.people.len()).collect();
        sources.sort_by_key(|&k| (problem.people[k].user_id, k));
        sources.dedup_by_key(|k| problem.people[*k].user_id);

        let mut people = Vec::with_capacity(sources.len());
        let mut facts = Vec::with_capacity(sources.len());
        for &source in &sources {
            let person = &problem.people[source];
            let places: Vec<usize> = person
                .places
                .iter()
                .enumerate()
                .filter(|(_, place)| {
                    place.borrowed_from.is_none() || settings(place.location_id).1.allow_borrowing
                })
                .map(|(q, _)| q)
                .collect();
            facts.push(
                places
                    .iter()
                    .map(|&q| {
                        let place = &person.places[q];
                        PersonFacts {
                            status: Some(place.status),
                            levels: place.levels.clone(),
                            ..person.facts.clone()
                        }
                    })
                    .collect::<Vec<_>>(),
            );
            let mut week_base: BTreeMap<IsoWeek, i64> = BTreeMap::new();
            let mut seen: Vec<Uuid> = Vec::new();
            for b in &person.facts.booked {
                if !seen.contains(&b.shift_id) {
                    seen.push(b.shift_id);
                    *week_base.entry(IsoWeek::of(b.local_date)).or_insert(0) += b.paid_minutes();
                }
            }
            people.push(PersonInfo {
                user_id: person.user_id,
                source,
                contract: person.facts.contracted_minutes,
                recent: person.recent,
                week_base,
                places,
            });
        }

        let mut cands: Vec<Vec<Cand>> = Vec::with_capacity(shifts.len());
        let mut by_person: Vec<Vec<(usize, usize)>> = vec![Vec::new(); people.len()];
        for (i, fill) in problem.shifts.iter().enumerate() {
            let info = &shifts[i];
            let mut here = Vec::new();
            for (p, person) in people.iter().enumerate() {
                let source = &problem.people[person.source];
                let Some(place) = person.places.iter().position(|&q| {
                    let placement = &source.places[q];
                    placement.location_id == info.location_id
                        && placement.position_ids.contains(&info.position_id)
                }) else {
                    continue;
                };
                let placement = &source.places[person.places[place]];
                let base = &facts[p][place];
                let verdict = rules::check(&fill.facts, base, &info.rules);
                let margin = fill
                    .facts
                    .requirements
                    .iter()
                    .map(|need| {
                        let level = base
                            .levels
                            .iter()
                            .find(|(id, _)| *id == need.competency_id)
                            .map_or(0, |(_, level)| *level);
                        level.saturating_sub(need.min_level)
                    })
                    .min();
                by_person[p].push((i, here.len()));
                here.push(Cand {
                    person: p,
                    place,
                    statically_ok: blocked_by(&verdict).is_none(),
                    preferred: rules::is_preferred(
                        &source.facts.availability,
                        fill.facts.local_start,
                        fill.facts.local_end,
                    ),
                    interested: fill.interested.contains(&person.user_id),
                    margin,
                    borrowed_from: placement.borrowed_from,
                    same_day_booked: source
                        .facts
                        .booked
                        .iter()
                        .any(|b| b.local_date == info.date && b.shift_id != info.id),
                });
            }
            cands.push(here);
        }

        let people_count = people.len();
        let usable = cands
            .iter()
            .map(|here| {
                (0..here.len())
                    .filter(|&ci| here[ci].statically_ok)
                    .collect()
            })
            .collect();
        Self {
            usable,
            problem,
            shift_facts: problem.shifts.iter().map(|s| s.facts.clone()).collect(),
            placed: vec![Vec::new(); shifts.len()],
            shifts,
            people,
            cands,
            by_person,
            order,
            rank,
            shift_index,
            facts,
            mine: vec![Vec::new(); people_count],
            person_score: vec![0; people_count],
            filled: 0,
            score: 0,
        }
    }

    pub fn shift_of(&self, shift_id: Uuid) -> Option<usize> {
        self.shift_index.get(&shift_id).copied()
    }

    pub fn person_of(&self, user_id: Uuid) -> Option<usize> {
        self.people
            .binary_search_by_key(&user_id, |p| p.user_id)
            .ok()
    }

    /// The candidate index of person `p` on shift `i`.
    pub fn cand_of(&self, i: usize, p: usize) -> Option<usize> {
        self.cands[i].binary_search_by_key(&p, |c| c.person).ok()
    }

    /// Slots of shift `i` still empty.
    pub fn remaining(&self, i: usize) -> usize {
        self.shifts[i].open.saturating_sub(self.placed[i].len())
    }

    pub fn user(&self, p: usize) -> Uuid {
        self.people[p].user_id
    }

    /// Whether the solver may place candidate `ci` on shift `i` now (see the module invariants).
    pub fn allowed(&mut self, i: usize, ci: usize) -> bool {
        let cand = &self.cands[i][ci];
        if !cand.statically_ok || self.remaining(i) == 0 || self.placed[i].contains(&ci) {
            return false;
        }
        self.blocked(i, ci).is_none()
    }

    /// What stands in the way of placing candidate `ci` (not on the shift) on shift `i` now (`None`:
    /// nothing). Takes `&mut self` only to try the placement and take it back.
    pub fn blocked(&mut self, i: usize, ci: usize) -> Option<Blocked> {
        let cand = &self.cands[i][ci];
        let (p, place) = (cand.person, cand.place);
        let verdict = rules::check(
            &self.shift_facts[i],
            &self.facts[p][place],
            &self.shifts[i].rules,
        );
        if let Some(blocked) = blocked_by(&verdict) {
            return Some(blocked);
        }
        // The engine judged only shift `i`; a person's other solver shifts at a location with other limits
        // must still pass their own rules once `i` is added.
        let differ: Vec<(usize, usize)> = self.mine[p]
            .iter()
            .copied()
            .filter(|&(k, _)| self.shifts[k].rules != self.shifts[i].rules)
            .collect();
        if differ.is_empty() {
            return None;
        }
        self.push_facts(i, ci);
        let mut found = None;
        for (k, ck) in differ {
            let cand = &self.cands[k][ck];
            let user = self.people[p].user_id;
            let assigned = &mut self.shift_facts[k].assigned;
            let at = assigned.iter().position(|u| *u == user);
            if let Some(at) = at {
                assigned.remove(at);
            }
            let verdict = rules::check(
                &self.shift_facts[k],
                &self.facts[p][cand.place],
                &self.shifts[k].rules,
            );
            if let Some(at) = at {
                self.shift_facts[k].assigned.insert(at, user);
            }
            if let Some(blocked) = blocked_by(&verdict) {
                found = Some(blocked);
                break;
            }
        }
        self.pop_facts(i, ci);
        found
    }

    /// The engine's verdict on a solver placement in the current state (the person counted off the shift).
    pub fn verdict_of_placed(&self, i: usize, ci: usize) -> Verdict {
        let cand = &self.cands[i][ci];
        let user = self.people[cand.person].user_id;
        let mut shift = self.shift_facts[i].clone();
        shift.assigned.retain(|u| *u != user);
        rules::check(
            &shift,
            &self.facts[cand.person][cand.place],
            &self.shifts[i].rules,
        )
    }

    fn push_facts(&mut self, i: usize, ci: usize) {
        let p = self.cands[i][ci].person;
        let booked = &self.problem.shifts[i].facts.shift;
        for facts in &mut self.facts[p] {
            facts.booked.push(booked.clone());
        }
        self.shift_facts[i].assigned.push(self.people[p].user_id);
    }

    fn pop_facts(&mut self, i: usize, ci: usize) {
        let p = self.cands[i][ci].person;
        let id = self.shifts[i].id;
        for facts in &mut self.facts[p] {
            if let Some(at) = facts.booked.iter().rposition(|b| b.shift_id == id) {
                facts.booked.remove(at);
            }
        }
        let user = self.people[p].user_id;
        let assigned = &mut self.shift_facts[i].assigned;
        if let Some(at) = assigned.iter().rposition(|u| *u == user) {
            assigned.remove(at);
        }
    }

    /// Puts candidate `ci` on shift `i` (the caller checked [`Self::allowed`]).
    pub fn place(&mut self, i: usize, ci: usize) {
        let p = self.cands[i][ci].person;
        self.push_facts(i, ci);
        self.placed[i].push(ci);
        let rank = &self.rank;
        let at = self.mine[p].partition_point(|&(k, _)| rank[k] < rank[i]);
        self.mine[p].insert(at, (i, ci));
        self.filled += 1;
        self.rescore(p);
    }

    /// Takes candidate `ci` off shift `i` (a no-op when the solver did not place them there).
    pub fn unplace(&mut self, i: usize, ci: usize) {
        let Some(at) = self.placed[i].iter().position(|&c| c == ci) else {
            return;
        };
        let p = self.cands[i][ci].person;
        self.placed[i].remove(at);
        self.pop_facts(i, ci);
        self.mine[p].retain(|&(k, _)| k != i);
        self.filled -= 1;
        self.rescore(p);
    }

    fn rescore(&mut self, p: usize) {
        let new = score::person_points(self, p, &self.mine[p], |_, _, _| {});
        self.score += new - self.person_score[p];
        self.person_score[p] = new;
    }

    /// Every solver placement `(shift, candidate index)`, in shift-index then candidate order.
    pub fn placements(&self) -> Vec<(usize, usize)> {
        let mut all = Vec::with_capacity(self.filled);
        for (i, placed) in self.placed.iter().enumerate() {
            let mut here = placed.clone();
            here.sort_unstable();
            all.extend(here.into_iter().map(|ci| (i, ci)));
        }
        all
    }

    /// Puts the board back to a set of placements taken with [`Self::placements`]. The set was legal as a
    /// whole, and legality does not depend on the order placements are made in (module invariants).
    pub fn restore(&mut self, set: &[(usize, usize)]) {
        for (i, ci) in self.placements() {
            self.unplace(i, ci);
        }
        for &(i, ci) in set {
            self.place(i, ci);
        }
    }

    /// How much the score would change by placing candidate `ci` on shift `i` (legality not asked).
    pub fn gain(&self, i: usize, ci: usize) -> i64 {
        let p = self.cands[i][ci].person;
        let mut with: Vec<(usize, usize)> = Vec::with_capacity(self.mine[p].len() + 1);
        let at = self.mine[p].partition_point(|&(k, _)| self.rank[k] < self.rank[i]);
        with.extend_from_slice(&self.mine[p][..at]);
        with.push((i, ci));
        with.extend_from_slice(&self.mine[p][at..]);
        score::person_points(self, p, &with, |_, _, _| {}) - self.person_score[p]
    }
}

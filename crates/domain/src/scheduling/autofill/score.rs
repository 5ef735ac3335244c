//! The soft score: integer points per suggested assignment, each term multiplied by the weight (0–10) the
//! shift's location gives it. The formula is written out in the module doc of `autofill`; the constants
//! below are its unit sizes.
//!
//! Invariant: a person's points depend only on the *set* of shifts the solver gave them. Terms that depend on
//! the person's other shifts (contract hours, fair spread, split days) are read in one fixed order — by
//! start instant, then shift id — each shift seeing only the ones before it, so the sum is the same however
//! the set was built, and the per-suggestion points shown to a manager add up to the proposal's score.

use super::board::Board;
use super::model::SoftTerm;

/// Penalty per paid minute beyond the contract, against a reward of 1 per minute towards it.
pub(super) const BEYOND_CONTRACT_FACTOR: i64 = 2;
/// Points of a shift inside a preferred window.
pub(super) const PREFERRED_POINTS: i64 = 6;
/// Points of a shift the person marked interest in.
pub(super) const INTEREST_POINTS: i64 = 6;
/// Penalty per late-night (or weekend) shift the person already has, for another one.
pub(super) const FAIR_SPREAD_POINTS: i64 = 2;
/// Points per competency level above the shift's minimum.
pub(super) const MARGIN_POINTS: i64 = 2;
/// Bonus for working at one's home venue, and the same as a penalty for being borrowed.
pub(super) const VENUE_POINTS: i64 = 4;
/// Penalty for a second shift on the same local date.
pub(super) const SPLIT_DAY_POINTS: i64 = 6;

/// The reward, in minute-points, for a week's hours going from `before` to `after` minutes under a contract of
/// `limit`: each minute counts by the share of the contract still missing when it is worked — twice the area
/// under `1 − x / limit` — so the first hours of someone far from their contract weigh more than the last
/// hours of someone nearly there, and work spreads over the crew instead of filling one person up first. At
/// zero hours a minute is worth 2, at the contract 0. Depends only on `before` and `after`, so a person's sum
/// telescopes and stays independent of the order shifts were added in.
pub(super) fn towards_contract(before: i64, after: i64, limit: i64) -> i64 {
    if limit <= 0 {
        return 0;
    }
    let missing = |x: i64| (limit - x.clamp(0, limit)).pow(2);
    (missing(before) - missing(after)) / limit
}

/// The points of person `p` holding the solver shifts `mine` (sorted by shift rank), term by term: `emit`
/// gets the position in `mine`, the term and its weighted points. Returns the sum.
pub(super) fn person_points<F>(
    board: &Board<'_>,
    p: usize,
    mine: &[(usize, usize)],
    mut emit: F,
) -> i64
where
    F: FnMut(usize, SoftTerm, i64),
{
    let person = &board.people[p];
    let mut total = 0;
    let mut add = |m: usize, term: SoftTerm, points: i64| {
        total += points;
        emit(m, term, points);
    };
    for (m, &(i, ci)) in mine.iter().enumerate() {
        let shift = &board.shifts[i];
        let cand = &board.cands[i][ci];
        let w = shift.weights;
        let earlier = || mine[..m].iter().map(|&(k, _)| &board.shifts[k]);

        if let Some(contract) = person.contract {
            let before = person.week_base.get(&shift.week).copied().unwrap_or(0)
                + earlier()
                    .filter(|k| k.week == shift.week)
                    .map(|k| k.paid)
                    .sum::<i64>();
            let after = before + shift.paid;
            let limit = i64::from(contract);
            let towards = towards_contract(before, after, limit);
            let beyond = (after - before.max(limit)).max(0);
            add(
                m,
                SoftTerm::ContractHours {
                    week_minutes_after: after,
                    contract_minutes: contract,
                },
                i64::from(w.contract_hours) * (towards - BEYOND_CONTRACT_FACTOR * beyond) / 60,
            );
        }
        if cand.preferred {
            add(
                m,
                SoftTerm::Preferred,
                i64::from(w.preferred) * PREFERRED_POINTS,
            );
        }
        if cand.interested {
            add(
                m,
                SoftTerm::Interested,
                i64::from(w.interest) * INTEREST_POINTS,
            );
        }
        if shift.late_night || shift.weekend {
            let late_nights =
                person.recent.late_nights + earlier().filter(|k| k.late_night).count() as u32;
            let weekends = person.recent.weekends + earlier().filter(|k| k.weekend).count() as u32;
            let mut load = 0;
            if shift.late_night {
                load += i64::from(late_nights);
            }
            if shift.weekend {
                load += i64::from(weekends);
            }
            add(
                m,
                SoftTerm::FairSpread {
                    late_nights,
                    weekends,
                },
                -i64::from(w.fair_spread) * FAIR_SPREAD_POINTS * load,
            );
        }
        if let Some(margin) = cand.margin {
            add(
                m,
                SoftTerm::CompetencyMargin { margin },
                i64::from(w.competency_margin) * MARGIN_POINTS * i64::from(margin),
            );
        }
        let venue = i64::from(w.home_venue) * VENUE_POINTS;
        match cand.borrowed_from {
            None => add(m, SoftTerm::HomeVenue, venue),
            Some(from) => add(m, SoftTerm::Borrowed { from }, -venue),
        }
        if cand.same_day_booked || earlier().any(|k| k.date == shift.date) {
            add(
                m,
                SoftTerm::SplitDay,
                -i64::from(w.few_split_days) * SPLIT_DAY_POINTS,
            );
        }
    }
    total
}

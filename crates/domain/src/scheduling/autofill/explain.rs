//! The answer a manager reads: each suggestion with the soft terms that decided it and the rule engine's
//! warnings, each slot left open with what stopped every candidate — all read from the final state, so the
//! points shown add up to the proposal's score and the warnings are the ones applying the proposal shows.

use std::cmp::Reverse;
use std::collections::BTreeMap;

use super::board::{Blocked, Board};
use super::model::{FillProposal, OpenSlots, SoftTerm, Suggestion};
use super::score;
use crate::scheduling::rules::Severity;

/// The code under which people of the location without the shift's position are counted.
pub(super) const POSITION: &str = "position";

/// The proposal of the board as it stands.
pub(super) fn proposal(board: &mut Board<'_>, stopped_early: bool) -> FillProposal {
    let mut why: BTreeMap<(usize, usize), Vec<(SoftTerm, i64)>> = BTreeMap::new();
    for p in 0..board.people.len() {
        let mine = &board.mine[p];
        score::person_points(board, p, mine, |m, term, points| {
            // A borrowed person is always flagged, whatever the home-venue weight.
            if points != 0 || matches!(term, SoftTerm::Borrowed { .. }) {
                why.entry(mine[m]).or_default().push((term, points));
            }
        });
    }

    let mut suggestions = Vec::new();
    let mut open = Vec::new();
    for n in 0..board.order.len() {
        let i = board.order[n];
        let mut placed = board.placed[i].clone();
        // Candidate indices follow user ids.
        placed.sort_unstable();
        for ci in placed {
            let mut terms = why.remove(&(i, ci)).unwrap_or_default();
            terms.sort_by_key(|(term, points)| (Reverse(points.abs()), term.code()));
            let cand = &board.cands[i][ci];
            suggestions.push(Suggestion {
                shift_id: board.shifts[i].id,
                user_id: board.user(cand.person),
                borrowed_from: cand.borrowed_from,
                why: terms,
                warnings: board
                    .verdict_of_placed(i, ci)
                    .reasons
                    .into_iter()
                    .filter(|r| r.severity() == Severity::Warning)
                    .collect(),
            });
        }
        if board.remaining(i) > 0 {
            open.push(open_slots(board, i));
        }
    }
    FillProposal {
        suggestions,
        open,
        score: board.score,
        stopped_early,
    }
}

/// Why the rest of shift `i` stays empty: per code, how many of the people who could have been asked it
/// stopped (people already on the shift are not asked again).
fn open_slots(board: &mut Board<'_>, i: usize) -> OpenSlots {
    let pinned = &board.problem.shifts[i].facts.assigned;
    let mut counts: BTreeMap<&'static str, u32> = BTreeMap::new();
    let mut candidates = 0u32;
    for ci in 0..board.cands[i].len() {
        let p = board.cands[i][ci].person;
        if pinned.contains(&board.user(p)) || board.placed[i].contains(&ci) {
            continue;
        }
        candidates += 1;
        let codes = match board.blocked(i, ci) {
            Some(Blocked::Refused(codes) | Blocked::Guard(codes)) => codes,
            None => Vec::new(),
        };
        for code in codes {
            *counts.entry(code).or_insert(0) += 1;
        }
    }
    let shift = &board.shifts[i];
    let without_position = board
        .people
        .iter()
        .enumerate()
        .filter(|&(p, person)| {
            let source = &board.problem.people[person.source];
            board.cand_of(i, p).is_none()
                && !pinned.contains(&person.user_id)
                && person
                    .places
                    .iter()
                    .any(|&q| source.places[q].location_id == shift.location_id)
        })
        .count();
    if without_position > 0 {
        counts.insert(
            POSITION,
            u32::try_from(without_position).unwrap_or(u32::MAX),
        );
    }
    let mut refusals: Vec<(&'static str, u32)> = counts.into_iter().collect();
    refusals.sort_by_key(|&(code, count)| (Reverse(count), code));
    OpenSlots {
        shift_id: shift.id,
        open: u16::try_from(board.remaining(i)).unwrap_or(u16::MAX),
        candidates,
        refusals,
    }
}

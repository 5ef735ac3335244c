//! Suggest fill (SCHEDULING.md §5): an explainable proposal for the empty slots of draft weeks. Pure: the
//! rule engine decides legality, this module decides who among the legal candidates.
//!
//! # Who may take a slot
//! A person is a candidate for a shift when one of their placements is at the shift's location and holds
//! its position (a borrowed placement counts only where the location allows borrowing). The rule engine
//! ([`rules::check`](crate::scheduling::rules::check)) is asked with the placement's status and levels, the
//! person's booked shifts plus every shift the solver gave them, and the shift's pinned people plus the
//! solver's. A suggestion is made only when the verdict is clear — no refusal, overridable or not, is ever
//! taken — and it carries no `over_weekly_max` or `seventh_day` warning (a manager decides those by hand),
//! and the person's other suggested shifts stay legal under their own location's rules.
//! `over_contract_hours` is allowed; the contract term below makes it costly.
//!
//! # The objective
//! Lexicographic: more filled slots first, then a higher soft score. The soft score is a sum of integer
//! points per suggestion; each term is multiplied by the weight `w` (0–10) that the shift's location gives
//! it ([`FillWeights`]). A person's suggestions are read in order of start (then shift id), each seeing the
//! ones before it, so the points depend only on who got which shifts, and the points a suggestion shows
//! add up to the proposal's score.
//!
//! | term | points |
//! |---|---|
//! | contract hours | `w × (towards − 2 × beyond) / 60` (integer division): `towards` = the paid minutes of the shift that bring the ISO week's hours (booked shifts plus earlier suggestions) up to the contract, each counted by the share of the contract still missing (`((C − before)² − (C − after)²) / C`, hours capped at the contract `C`: 2 per minute at zero hours, 0 at the contract — so work spreads over the crew), `beyond` = minutes past it; nothing without a contract |
//! | preferred | `w × 6` when the shift lies in a window the person marked preferred ([`rules::is_preferred`](crate::scheduling::rules::is_preferred)) |
//! | interest | `w × 6` when the person marked interest in the shift |
//! | fair spread | `−w × 2 × (L + W)` for a late-night shift (working any time 00:00–06:00 local) and/or a weekend shift (local start date Saturday or Sunday): `L` = the person's late nights of the last four weeks plus their earlier suggested ones, counted when the shift is a late night; `W` likewise for weekends |
//! | competency margin | `w × 2 × m`, `m` = the lowest level above a requirement's minimum; nothing when the shift requires nothing |
//! | home venue | `+w × 4` at the person's home venue, `−w × 4` when borrowed |
//! | split day | `−w × 6` when the person already has a shift (booked, or an earlier suggestion) on the same local date |
//!
//! # The search
//! A greedy construction fills the most constrained slot first (fewest feasible candidates left for it;
//! ties: earliest start, then shift id) with the candidate who adds the most points (ties: user id). A local
//! search then tries up to `FillOptions::max_moves` seeded random moves — replace a suggested person, swap two,
//! fill an empty slot by moving someone — never emptying a slot, and keeping a move that fills more slots
//! or lowers the score by at most a threshold falling from 25 points to 0 over the first 70 % of the moves
//! (threshold accepting, a deterministic annealing, in integers). `stop` is asked every 256 moves. The
//! best state seen is kept (the earliest of equals, so ties stay with the greedy's pick), and a last greedy
//! pass fills whatever the moves made possible. Same problem and options, same proposal: no hash-map order,
//! no clock, no floating point, a portable seeded generator.
//!
//! # The explanations
//! Each suggestion lists its non-zero terms, largest first (`Borrowed` always, to flag the person), and the
//! engine's warnings in the final state. Each shift left short lists, over the candidates not already on it,
//! how many each refusal code stopped (`over_weekly_max` / `seventh_day` when only those stopped the
//! solver), and under `position` the people of the location without the shift's position.

mod board;
mod explain;
pub mod model;
mod score;
mod search;

use uuid::Uuid;

pub use model::*;

use board::Board;

/// Proposes people for the empty slots of `problem`. `stop` is asked now and then (a time budget); when it
/// says yes the search ends with the best proposal so far and `stopped_early` set.
pub fn suggest(
    problem: &FillProblem,
    options: &FillOptions,
    stop: &dyn Fn() -> bool,
) -> FillProposal {
    let mut board = Board::new(problem);
    search::greedy(&mut board);
    let stopped_early = search::improve(&mut board, options, stop);
    search::greedy(&mut board);
    explain::proposal(&mut board, stopped_early)
}

/// The soft score of a set of `(shift_id, user_id)` assignments made on top of the pinned ones, by the
/// solver's own rules and formula; `None` when one of them is not a legal suggestion given the others
/// (unknown shift or person, not a candidate, refused, full, or a guarded warning).
pub fn score_of(problem: &FillProblem, assignments: &[(Uuid, Uuid)]) -> Option<i64> {
    let mut scorer = Scorer::new(problem);
    assignments
        .iter()
        .all(|&(shift_id, user_id)| scorer.try_assign(shift_id, user_id))
        .then(|| scorer.score())
}

/// Builds a set of assignments step by step and scores it exactly as [`suggest`] does; used by the tests
/// and by the benchmark's exhaustive search, which adds and removes one assignment at a time.
#[derive(Debug)]
pub struct Scorer<'p> {
    board: Board<'p>,
}

impl<'p> Scorer<'p> {
    /// Nothing assigned beyond the pinned people.
    pub fn new(problem: &'p FillProblem) -> Self {
        Self {
            board: Board::new(problem),
        }
    }

    /// Adds the assignment when it is a legal suggestion in the current set; says whether it did.
    pub fn try_assign(&mut self, shift_id: Uuid, user_id: Uuid) -> bool {
        let board = &mut self.board;
        let (Some(i), Some(p)) = (board.shift_of(shift_id), board.person_of(user_id)) else {
            return false;
        };
        let Some(ci) = board.cand_of(i, p) else {
            return false;
        };
        if !board.allowed(i, ci) {
            return false;
        }
        board.place(i, ci);
        true
    }

    /// Takes an assignment made with [`Self::try_assign`] away; says whether there was one.
    pub fn unassign(&mut self, shift_id: Uuid, user_id: Uuid) -> bool {
        let board = &mut self.board;
        let (Some(i), Some(p)) = (board.shift_of(shift_id), board.person_of(user_id)) else {
            return false;
        };
        let Some(ci) = board.cand_of(i, p) else {
            return false;
        };
        if !board.placed[i].contains(&ci) {
            return false;
        }
        board.unplace(i, ci);
        true
    }

    /// The soft score of the current set.
    pub fn score(&self) -> i64 {
        self.board.score
    }

    /// How many assignments the current set holds.
    pub fn filled(&self) -> usize {
        self.board.filled
    }
}

#[cfg(test)]
mod tests;

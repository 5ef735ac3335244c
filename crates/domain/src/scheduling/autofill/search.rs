//! How the solver searches: a greedy construction, then a bounded local search.
//!
//! Invariants:
//! - The objective is lexicographic: more filled slots first, then a higher soft score. No kept move ever
//!   leaves fewer slots filled; the score may dip by the falling threshold while searching, but the board
//!   ends on the best state seen, so the result is never below the greedy construction's.
//! - Every placement goes through [`Board::allowed`], so the proposal is legal at every step.
//! - Randomness comes only from a ChaCha8 generator seeded with `FillOptions::seed`, and every choice it
//!   does not make is taken in a fixed order (slot rank, user id): the same input gives the same proposal.

use rand_chacha::rand_core::{RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::board::Board;
use super::model::FillOptions;

/// How often the local search asks whether to stop.
const STOP_EVERY: u32 = 256;
/// How far (in points) a move may lower the score at the start of the search. Threshold accepting, a
/// deterministic annealing: the allowance falls linearly to 0 over the first [`COOLING_PERCENT`] of the
/// moves, then only moves that do not lower the score are kept. 25 points is about one preferred window at
/// its default weight: enough to leave the greedy's local optimum on the benchmark's small weeks, small
/// enough that the big ones still end better than pure hill climbing.
const THRESHOLD_POINTS: i64 = 25;
const COOLING_PERCENT: i64 = 70;

/// Fills open slots one at a time: the slot with the fewest feasible candidates left for it first (ties:
/// earliest start, then shift id), given to the candidate who adds the most points (ties: user id). Slots
/// nobody can take stay open. Only adds to the board.
pub(super) fn greedy(board: &mut Board<'_>) {
    let shifts = board.shifts.len();
    let mut feasible: Vec<Vec<bool>> = vec![Vec::new(); shifts];
    let mut count = vec![0usize; shifts];
    for i in 0..shifts {
        if board.remaining(i) == 0 {
            continue;
        }
        feasible[i] = (0..board.cands[i].len())
            .map(|ci| board.allowed(i, ci))
            .collect();
        count[i] = feasible[i].iter().filter(|f| **f).count();
    }
    loop {
        // A shift's other open slots will take some of its candidates; what is left is this slot's choice.
        let next = board
            .order
            .iter()
            .copied()
            .filter(|&i| board.remaining(i) > 0 && count[i] > 0)
            .min_by_key(|&i| (count[i] + 1).saturating_sub(board.remaining(i)));
        let Some(i) = next else { break };
        let mut best: Option<(i64, usize)> = None;
        for (ci, _) in feasible[i].iter().enumerate().filter(|(_, ok)| **ok) {
            let gain = board.gain(i, ci);
            if best.is_none_or(|(g, _)| gain > g) {
                best = Some((gain, ci));
            }
        }
        let Some((_, ci)) = best else { break };
        board.place(i, ci);
        let p = board.cands[i][ci].person;
        // Adding a shift only ever takes feasibility away, and only from the person placed (the shift's
        // own slots are counted by `remaining`).
        for n in 0..board.by_person[p].len() {
            let (k, ck) = board.by_person[p][n];
            if feasible[k].get(ck).copied().unwrap_or(false) && !board.allowed(k, ck) {
                feasible[k][ck] = false;
                count[k] -= 1;
            }
        }
    }
}

/// A uniform index below `n` (> 0) from the generator.
fn below(rng: &mut ChaCha8Rng, n: usize) -> usize {
    ((u128::from(rng.next_u64()) * n as u128) >> 64) as usize
}

/// The objective as a comparable pair.
fn objective(board: &Board<'_>) -> (usize, i64) {
    (board.filled, board.score)
}

/// One step of the board, to undo a rejected move.
#[derive(Debug, Clone, Copy)]
enum Step {
    Placed(usize, usize),
    Unplaced(usize, usize),
}

/// Applies steps and undoes them all at once when the move is rejected.
#[derive(Debug, Default)]
struct Journal {
    steps: Vec<Step>,
}

impl Journal {
    fn place(&mut self, board: &mut Board<'_>, i: usize, ci: usize) {
        board.place(i, ci);
        self.steps.push(Step::Placed(i, ci));
    }

    fn unplace(&mut self, board: &mut Board<'_>, i: usize, ci: usize) {
        board.unplace(i, ci);
        self.steps.push(Step::Unplaced(i, ci));
    }

    fn undo(&mut self, board: &mut Board<'_>) {
        while let Some(step) = self.steps.pop() {
            match step {
                Step::Placed(i, ci) => board.unplace(i, ci),
                Step::Unplaced(i, ci) => board.place(i, ci),
            }
        }
    }

    fn keep(&mut self) {
        self.steps.clear();
    }
}

/// Bounded local search after the greedy construction: up to `options.max_moves` tried moves, each a
/// replacement (another candidate takes a suggested slot), a swap (two suggested people exchange slots) or
/// a fill (an empty slot taken by a candidate, moving them off one of their suggested shifts if needed, that
/// shift then refilled if anyone can take it). A move is kept when it fills more slots, or as many with a
/// score at most the falling threshold below (threshold accepting; sideways moves cross plateaus). The board
/// ends on the best state seen, the earliest of equals, so the greedy's choice among equally good people
/// (by user id) stands unless something strictly better was found. Returns whether `stop` ended the search
/// early.
pub(super) fn improve(
    board: &mut Board<'_>,
    options: &FillOptions,
    stop: &dyn Fn() -> bool,
) -> bool {
    // The slots worth touching: shifts with empty slots at the start and someone who might take them.
    let fillable: Vec<usize> = board
        .order
        .iter()
        .copied()
        .filter(|&i| board.shifts[i].open > 0 && board.cands[i].iter().any(|c| c.statically_ok))
        .collect();
    let mut rng = ChaCha8Rng::seed_from_u64(options.seed);
    let mut journal = Journal::default();
    let mut best = objective(board);
    let mut best_set = board.placements();
    let mut stopped = false;
    let cooling = i64::from(options.max_moves) * COOLING_PERCENT / 100 + 1;
    for moves in 0..options.max_moves {
        if moves % STOP_EVERY == 0 && stop() {
            stopped = true;
            break;
        }
        if fillable.is_empty() {
            break;
        }
        let i = fillable[below(&mut rng, fillable.len())];
        let before = objective(board);
        let tried = match below(&mut rng, 3) {
            0 => fill(board, &mut journal, &mut rng, i),
            1 => replace(board, &mut journal, &mut rng, i),
            _ => swap(board, &mut journal, &mut rng, i),
        };
        let allowance = THRESHOLD_POINTS * (cooling - i64::from(moves).min(cooling)) / cooling;
        let after = objective(board);
        // Never fewer filled slots; a fuller board is always kept.
        let kept = after.0 > before.0 || (after.0 == before.0 && after.1 >= before.1 - allowance);
        if tried && kept {
            journal.keep();
            if objective(board) > best {
                best = objective(board);
                best_set = board.placements();
            }
        } else {
            journal.undo(board);
        }
    }
    if objective(board) != best || board.placements() != best_set {
        board.restore(&best_set);
    }
    stopped
}

/// A random candidate of shift `i` who might take it (not already there, not refused for good).
fn pick_candidate(board: &Board<'_>, rng: &mut ChaCha8Rng, i: usize) -> Option<usize> {
    let usable = &board.usable[i];
    if usable.is_empty() {
        return None;
    }
    let ci = usable[below(rng, usable.len())];
    (!board.placed[i].contains(&ci)).then_some(ci)
}

/// Another candidate takes one of the solver's people's place on shift `i`.
fn replace(board: &mut Board<'_>, journal: &mut Journal, rng: &mut ChaCha8Rng, i: usize) -> bool {
    if board.placed[i].is_empty() {
        return false;
    }
    let out = board.placed[i][below(rng, board.placed[i].len())];
    let Some(into) = pick_candidate(board, rng, i) else {
        return false;
    };
    journal.unplace(board, i, out);
    if !board.allowed(i, into) {
        return false;
    }
    journal.place(board, i, into);
    true
}

/// Someone the solver put on shift `i` and someone the solver put on another shift of the first one's
/// candidacies exchange places.
fn swap(board: &mut Board<'_>, journal: &mut Journal, rng: &mut ChaCha8Rng, i: usize) -> bool {
    if board.placed[i].is_empty() {
        return false;
    }
    let a_at_i = board.placed[i][below(rng, board.placed[i].len())];
    let a = board.cands[i][a_at_i].person;
    let options = &board.by_person[a];
    let (k, a_at_k) = options[below(rng, options.len())];
    if k == i || board.placed[k].is_empty() {
        return false;
    }
    let b_at_k = board.placed[k][below(rng, board.placed[k].len())];
    let b = board.cands[k][b_at_k].person;
    let Some(b_at_i) = board.cand_of(i, b) else {
        return false;
    };
    if a == b
        || !board.cands[k][a_at_k].statically_ok
        || !board.cands[i][b_at_i].statically_ok
        || board.placed[k].contains(&a_at_k)
        || board.placed[i].contains(&b_at_i)
    {
        return false;
    }
    journal.unplace(board, i, a_at_i);
    journal.unplace(board, k, b_at_k);
    if !board.allowed(k, a_at_k) {
        return false;
    }
    journal.place(board, k, a_at_k);
    if !board.allowed(i, b_at_i) {
        return false;
    }
    journal.place(board, i, b_at_i);
    true
}

/// An empty slot of shift `i` gets a candidate, who leaves one of their solver shifts if they must; that
/// shift is then given to the best candidate who can take it, if any.
fn fill(board: &mut Board<'_>, journal: &mut Journal, rng: &mut ChaCha8Rng, i: usize) -> bool {
    // The first shift from `i` on (in rank order, wrapping) that has an empty slot.
    let count = board.order.len();
    let from = board.rank[i];
    let Some(i) = (0..count)
        .map(|n| board.order[(from + n) % count])
        .find(|&k| board.remaining(k) > 0 && !board.usable[k].is_empty())
    else {
        return false;
    };
    let Some(ci) = pick_candidate(board, rng, i) else {
        return false;
    };
    if board.allowed(i, ci) {
        journal.place(board, i, ci);
        return true;
    }
    let p = board.cands[i][ci].person;
    if board.mine[p].is_empty() {
        return false;
    }
    let (k, ck) = board.mine[p][below(rng, board.mine[p].len())];
    journal.unplace(board, k, ck);
    if !board.allowed(i, ci) {
        return false;
    }
    journal.place(board, i, ci);
    let mut best: Option<(i64, usize)> = None;
    for other in 0..board.cands[k].len() {
        if board.allowed(k, other) {
            let gain = board.gain(k, other);
            if best.is_none_or(|(g, _)| gain > g) {
                best = Some((gain, other));
            }
        }
    }
    if let Some((_, other)) = best {
        journal.place(board, k, other);
    }
    true
}

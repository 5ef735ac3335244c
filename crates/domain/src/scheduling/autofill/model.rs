//! What "suggest fill" reads and what it answers (SCHEDULING.md §5). Plain data, built by the storage layer
//! from one snapshot and read by the solver; nothing here does I/O.
//!
//! Invariants the loader keeps:
//! - `FillShift::facts.assigned` holds the people already on the shift: they are pinned, the solver never
//!   moves them and fills only the remaining slots.
//! - `FillPerson::booked` holds every shift the person already has (all locations, published or draft,
//!   pinned ones in the weeks being filled included) from eight days before the first shift to eight days
//!   after the last, so the rule engine sees rest, overlap, weekly hours and the seventh day.
//! - A person appears at a location in `FillPerson::places` only if they may work there: as its crew, or
//!   borrowed from another venue of the same manager when the location allows borrowing.

use std::collections::BTreeMap;

use uuid::Uuid;

use crate::scheduling::model::{CrewStatus, LocationRules};
use crate::scheduling::rules::{BookedShift, PersonFacts, Reason, ShiftFacts};

/// How much each soft goal counts at a location, 0 (ignored) to 10. The solver maximises the weighted sum.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FillWeights {
    /// Reach the contracted hours of the week without exceeding them.
    pub contract_hours: u8,
    /// Shifts inside windows the person marked preferred.
    pub preferred: u8,
    /// Open shifts the person marked interest in.
    pub interest: u8,
    /// Late-night and weekend shifts spread fairly over the last four weeks and this one.
    pub fair_spread: u8,
    /// Competency levels above the shift's minimum (a safer pair of hands).
    pub competency_margin: u8,
    /// People working at their home venue rather than borrowed.
    pub home_venue: u8,
    /// Few split days (two shifts on one day).
    pub few_split_days: u8,
}

impl Default for FillWeights {
    fn default() -> Self {
        Self {
            contract_hours: 8,
            preferred: 5,
            interest: 6,
            fair_spread: 4,
            competency_margin: 2,
            home_venue: 5,
            few_split_days: 3,
        }
    }
}

/// A location's auto-fill settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct FillSettings {
    /// Open slots here may be filled by crew of the manager's other venues.
    pub allow_borrowing: bool,
    pub weights: FillWeights,
}

/// A shift with at least one empty slot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FillShift {
    pub location_id: Uuid,
    pub position_id: Uuid,
    /// The position's name (borrowed crew qualify by holding a position of the same name at home).
    pub position_name: String,
    /// As the rule engine sees the shift now; `assigned` are the pinned people.
    pub facts: ShiftFacts,
    /// People who marked interest in this shift.
    pub interested: Vec<Uuid>,
}

/// Where a person may be placed, with what they are there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placement {
    pub location_id: Uuid,
    /// Their status at that location (a borrowed person carries their home status).
    pub status: CrewStatus,
    /// The positions they hold there (borrowed: the location's positions whose names match their home ones).
    pub position_ids: Vec<Uuid>,
    /// Levels by the location's competency ids (borrowed: their home levels matched by competency name).
    pub levels: Vec<(Uuid, u8)>,
    /// `Some(home location)` when the person would be borrowed from another venue.
    pub borrowed_from: Option<Uuid>,
}

/// How many late-night and weekend shifts a person worked in the four weeks before the ones being filled.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RecentLoad {
    /// Shifts working any time between 00:00 and 06:00 local.
    pub late_nights: u32,
    /// Shifts starting on a Saturday or Sunday (local).
    pub weekends: u32,
}

/// A candidate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FillPerson {
    pub user_id: Uuid,
    /// Everything the rule engine needs except what depends on the location (`status`, `levels`: taken from
    /// the placement). `booked` is the person's existing shifts (see the module invariants).
    pub facts: PersonFacts,
    pub places: Vec<Placement>,
    pub recent: RecentLoad,
}

/// Everything the solver reads.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FillProblem {
    pub shifts: Vec<FillShift>,
    pub people: Vec<FillPerson>,
    /// Each location's rules (rest, weekly maximum) and settings.
    pub locations: BTreeMap<Uuid, (LocationRules, FillSettings)>,
}

/// How long the solver may search.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FillOptions {
    /// Seeds the local search; the same problem, seed and budget give the same proposal.
    pub seed: u64,
    /// Local-search moves to try after the greedy construction.
    pub max_moves: u32,
}

impl Default for FillOptions {
    fn default() -> Self {
        Self {
            seed: 0x00c0_ffee,
            max_moves: 20_000,
        }
    }
}

/// A soft goal that counted for a suggestion, with its weighted points (positive helps, negative hurts).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SoftTerm {
    /// The shift brings the week's hours closer to the contract (`after` ≤ `contract`), or past it.
    ContractHours {
        week_minutes_after: i64,
        contract_minutes: u32,
    },
    /// Inside a window the person marked preferred.
    Preferred,
    /// The person marked interest in the shift.
    Interested,
    /// Late-night or weekend shifts so far (last four weeks and this week, before this shift).
    FairSpread { late_nights: u32, weekends: u32 },
    /// Lowest margin over the shift's required levels.
    CompetencyMargin { margin: u8 },
    /// Works at their home venue.
    HomeVenue,
    /// Borrowed from another venue.
    Borrowed { from: Uuid },
    /// A second shift on the same day.
    SplitDay,
}

impl SoftTerm {
    /// The stable code the API and the UI use.
    pub fn code(&self) -> &'static str {
        match self {
            Self::ContractHours { .. } => "contract_hours",
            Self::Preferred => "preferred",
            Self::Interested => "interested",
            Self::FairSpread { .. } => "fair_spread",
            Self::CompetencyMargin { .. } => "competency_margin",
            Self::HomeVenue => "home_venue",
            Self::Borrowed { .. } => "borrowed",
            Self::SplitDay => "split_day",
        }
    }
}

/// One proposed assignment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suggestion {
    pub shift_id: Uuid,
    pub user_id: Uuid,
    /// `Some(home location)` when the person is borrowed.
    pub borrowed_from: Option<Uuid>,
    /// Why this person: the soft terms that decided it, with their points, largest first.
    pub why: Vec<(SoftTerm, i64)>,
    /// The rule engine's warnings for this assignment (e.g. `over_contract_hours`), in the final proposal.
    pub warnings: Vec<Reason>,
}

/// A slot nobody could fill, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenSlots {
    pub shift_id: Uuid,
    /// Slots still empty after the proposal.
    pub open: u16,
    /// People considered (placed at the shift's location and holding its position; people already on
    /// the shift, pinned or suggested, are not counted).
    pub candidates: u32,
    /// How many candidates each refusal code applied to (one person may count under several codes),
    /// most frequent first; `position` counts people of the location who do not hold the shift's position.
    pub refusals: Vec<(&'static str, u32)>,
}

/// The answer: a diff to review.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FillProposal {
    pub suggestions: Vec<Suggestion>,
    pub open: Vec<OpenSlots>,
    /// The weighted soft score of the whole proposal (higher is better).
    pub score: i64,
    /// The caller's stop condition (a time budget) ended the search before `max_moves`.
    pub stopped_early: bool,
}

/// A booked shift made from a fill shift (for the person's booked list once placed).
pub fn booked_of(shift: &FillShift) -> BookedShift {
    shift.facts.shift.clone()
}

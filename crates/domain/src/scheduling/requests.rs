//! Requests about shifts of published weeks (SCHEDULING.md §4): claiming an open shift, offering one's
//! shift to colleagues, proposing a swap with a colleague's shift — each with the colleague's answer where
//! one is needed and a manager's or floor manager's approval where the location asks for it.
//!
//! The state machine is [`step`]; nothing else changes a request's status. Invariants:
//! - a request is decided once: `approved`, `denied`, `declined` and `withdrawn` are final;
//! - only a swap waits for a named colleague (`pending_colleague`); only an offer waits for any colleague
//!   (`open`); a claim goes straight to `pending_approval` or `approved`;
//! - `approved` is the only status with effects, and reaching it re-runs the rule engine on the state of
//!   that moment (the store's job, in the transaction that applies it);
//! - after the location's cut-off before the shift starts (or once it started), nothing moves any more.

use chrono::{DateTime, Duration, Utc};
use uuid::Uuid;

use crate::hiring::PersonRef;

/// What is asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RequestKind {
    Claim,
    Offer,
    Swap,
}

impl RequestKind {
    pub const ALL: [Self; 3] = [Self::Claim, Self::Offer, Self::Swap];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Claim => "claim",
            Self::Offer => "offer",
            Self::Swap => "swap",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == text)
    }
}

/// Where a request stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RequestStatus {
    /// An offer any eligible colleague may take.
    Open,
    /// A swap waiting for the named colleague.
    PendingColleague,
    /// Waiting for a manager or floor manager of the location.
    PendingApproval,
    Approved,
    Denied,
    /// The colleague said no to the swap.
    Declined,
    /// The requester took it back.
    Withdrawn,
}

impl RequestStatus {
    pub const ALL: [Self; 7] = [
        Self::Open,
        Self::PendingColleague,
        Self::PendingApproval,
        Self::Approved,
        Self::Denied,
        Self::Declined,
        Self::Withdrawn,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::PendingColleague => "pending_colleague",
            Self::PendingApproval => "pending_approval",
            Self::Approved => "approved",
            Self::Denied => "denied",
            Self::Declined => "declined",
            Self::Withdrawn => "withdrawn",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == text)
    }

    pub fn is_final(self) -> bool {
        matches!(
            self,
            Self::Approved | Self::Denied | Self::Declined | Self::Withdrawn
        )
    }
}

/// Something a person does to a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RequestAction {
    /// The colleague takes the offer or agrees to the swap.
    Accept,
    /// The named colleague says no to a swap.
    Decline,
    /// The requester takes it back.
    Withdraw,
    /// A manager or floor manager approves.
    Approve,
    /// A manager or floor manager denies.
    Deny,
}

/// Why a step is not possible.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepRefused {
    /// The request is in a state where this action does not apply (it was decided, withdrawn, or is
    /// waiting for someone else).
    NotNow(RequestStatus),
    /// The location's cut-off before the shift has passed.
    PastCutoff,
}

/// The status a new request starts in.
pub fn initial(kind: RequestKind, needs_approval: bool) -> RequestStatus {
    match kind {
        RequestKind::Claim if needs_approval => RequestStatus::PendingApproval,
        RequestKind::Claim => RequestStatus::Approved,
        RequestKind::Offer => RequestStatus::Open,
        RequestKind::Swap => RequestStatus::PendingColleague,
    }
}

/// The status after `action`. `needs_approval` is the location's setting for this kind; `closes_at` is the
/// moment the location's cut-off passes for the shifts involved, `now` the time of the action. Withdrawing
/// and denying stay possible after the cut-off (they change nothing on the schedule).
pub fn step(
    kind: RequestKind,
    status: RequestStatus,
    action: RequestAction,
    needs_approval: bool,
    closes_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<RequestStatus, StepRefused> {
    use RequestAction as A;
    use RequestStatus as S;
    let next = match (kind, status, action) {
        (_, s, A::Withdraw) if !s.is_final() => S::Withdrawn,
        (_, s, A::Deny) if !s.is_final() => S::Denied,
        (RequestKind::Offer, S::Open, A::Accept)
        | (RequestKind::Swap, S::PendingColleague, A::Accept) => {
            if needs_approval {
                S::PendingApproval
            } else {
                S::Approved
            }
        }
        (RequestKind::Swap, S::PendingColleague, A::Decline) => S::Declined,
        (_, S::PendingApproval, A::Approve) => S::Approved,
        (_, status, _) => return Err(StepRefused::NotNow(status)),
    };
    if matches!(next, S::PendingApproval | S::Approved) && now >= closes_at {
        return Err(StepRefused::PastCutoff);
    }
    Ok(next)
}

/// When requests about a shift starting at `starts_at` close.
pub fn closes_at(starts_at: DateTime<Utc>, cutoff_minutes: u32) -> DateTime<Utc> {
    starts_at - Duration::minutes(i64::from(cutoff_minutes))
}

/// A location's settings for requests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RequestSettings {
    pub claims_need_approval: bool,
    pub swaps_need_approval: bool,
    pub cutoff_minutes: u32,
}

impl Default for RequestSettings {
    fn default() -> Self {
        Self {
            claims_need_approval: true,
            swaps_need_approval: true,
            cutoff_minutes: 12 * 60,
        }
    }
}

impl RequestSettings {
    pub fn needs_approval(&self, kind: RequestKind) -> bool {
        match kind {
            RequestKind::Claim => self.claims_need_approval,
            RequestKind::Offer | RequestKind::Swap => self.swaps_need_approval,
        }
    }
}

/// A shift as a request shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestShift {
    pub shift_id: Uuid,
    pub position_name: String,
    pub local_date: chrono::NaiveDate,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
}

/// A request as stored, with the people and shifts named.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShiftRequest {
    pub id: Uuid,
    pub kind: RequestKind,
    pub status: RequestStatus,
    pub location: crate::accounts::LocationRef,
    pub week_id: Uuid,
    pub shift: RequestShift,
    pub requester: PersonRef,
    pub assignment_id: Option<Uuid>,
    pub target: Option<PersonRef>,
    pub target_shift: Option<RequestShift>,
    pub target_assignment_id: Option<Uuid>,
    pub taker: Option<PersonRef>,
    pub decided_by: Option<PersonRef>,
    pub decided_at: Option<DateTime<Utc>>,
    pub reason: Option<String>,
    pub created_at: DateTime<Utc>,
}

impl ShiftRequest {
    /// The earliest start among the shifts involved: the cut-off counts from it.
    pub fn first_start(&self) -> DateTime<Utc> {
        self.target_shift
            .as_ref()
            .map_or(self.shift.starts_at, |t| {
                t.starts_at.min(self.shift.starts_at)
            })
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use chrono::TimeZone;
    use proptest::prelude::*;

    use super::*;

    const ACTIONS: [RequestAction; 5] = [
        RequestAction::Accept,
        RequestAction::Decline,
        RequestAction::Withdraw,
        RequestAction::Approve,
        RequestAction::Deny,
    ];

    fn at(h: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, 10, h, 0, 0).unwrap()
    }

    #[test]
    fn a_swap_waits_for_the_colleague_then_the_manager() {
        let (kind, open) = (RequestKind::Swap, initial(RequestKind::Swap, true));
        assert_eq!(open, RequestStatus::PendingColleague);
        let accepted = step(kind, open, RequestAction::Accept, true, at(20), at(8)).unwrap();
        assert_eq!(accepted, RequestStatus::PendingApproval);
        // The requester cannot approve their own swap's colleague step twice, nor decline after accepting.
        assert_eq!(
            step(kind, accepted, RequestAction::Decline, true, at(20), at(8)),
            Err(StepRefused::NotNow(RequestStatus::PendingApproval))
        );
        assert_eq!(
            step(kind, accepted, RequestAction::Approve, true, at(20), at(9)),
            Ok(RequestStatus::Approved)
        );
        // Without approval, accepting applies it at once.
        assert_eq!(
            step(kind, open, RequestAction::Accept, false, at(20), at(8)),
            Ok(RequestStatus::Approved)
        );
    }

    #[test]
    fn the_cutoff_stops_everything_that_would_move_a_shift() {
        let kind = RequestKind::Offer;
        assert_eq!(
            step(
                kind,
                RequestStatus::Open,
                RequestAction::Accept,
                true,
                at(8),
                at(8)
            ),
            Err(StepRefused::PastCutoff)
        );
        assert_eq!(
            step(
                kind,
                RequestStatus::Open,
                RequestAction::Withdraw,
                true,
                at(8),
                at(9)
            ),
            Ok(RequestStatus::Withdrawn)
        );
        assert_eq!(
            step(
                kind,
                RequestStatus::PendingApproval,
                RequestAction::Deny,
                true,
                at(8),
                at(9)
            ),
            Ok(RequestStatus::Denied)
        );
        assert_eq!(closes_at(at(20), 12 * 60), at(8));
    }

    proptest! {
        #[test]
        fn final_states_never_move_and_approval_happens_only_once(
            kind in 0usize..3, status in 0usize..7, action in 0usize..5, approval: bool, early: bool,
        ) {
            let (kind, status, action) = (RequestKind::ALL[kind], RequestStatus::ALL[status], ACTIONS[action]);
            let now = if early { at(1) } else { at(12) };
            let result = step(kind, status, action, approval, at(10), now);
            if status.is_final() {
                prop_assert!(result.is_err());
            }
            if let Ok(next) = result {
                prop_assert_ne!(next, status);
                if next == RequestStatus::Approved {
                    prop_assert!(early, "never approved after the cut-off");
                    prop_assert!(action == RequestAction::Approve || !approval);
                }
                if next == RequestStatus::PendingColleague || next == RequestStatus::Open {
                    prop_assert!(false, "no step leads back to waiting for a colleague");
                }
            }
        }

        #[test]
        fn every_path_of_actions_ends_in_a_final_state_within_three_steps(
            kind in 0usize..3, approval: bool, path in proptest::collection::vec(0usize..5, 0..8),
        ) {
            let kind = RequestKind::ALL[kind];
            let mut status = initial(kind, approval);
            let mut moves = 0;
            for a in path {
                if let Ok(next) = step(kind, status, ACTIONS[a], approval, at(10), at(1)) {
                    status = next;
                    moves += 1;
                }
            }
            prop_assert!(moves <= 2);
        }
    }
}

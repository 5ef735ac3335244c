//! The entities of cash counting: a count with its lines and figures, its decision, its receipt, and a
//! location's cash settings.

use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

use super::money::CashLine;
use crate::documents::SniffedType;
use crate::exports::NamedRef;

/// When in the business day the till was counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum CountType {
    Opening,
    Midday,
    Closing,
}

impl CountType {
    pub const ALL: [CountType; 3] = [Self::Opening, Self::Midday, Self::Closing];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Opening => "opening",
            Self::Midday => "midday",
            Self::Closing => "closing",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.as_str() == text)
    }
}

/// `submitted → approved | disputed`; both decisions are final (a correction is a new count).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CashState {
    Submitted,
    Approved,
    Disputed,
}

impl CashState {
    pub const ALL: [CashState; 3] = [Self::Submitted, Self::Approved, Self::Disputed];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Submitted => "submitted",
            Self::Approved => "approved",
            Self::Disputed => "disputed",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == text)
    }
}

/// Where a count's expected amount came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ExpectedSource {
    /// Typed by the person counting.
    Entered,
    /// Opening: the float the previous closing left in the till.
    PreviousClosing,
    /// Midday and closing: the day's opening count plus the cash takings entered with this count.
    OpeningPlusTakings,
}

impl ExpectedSource {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Entered => "entered",
            Self::PreviousClosing => "previous_closing",
            Self::OpeningPlusTakings => "opening_plus_takings",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        [
            Self::Entered,
            Self::PreviousClosing,
            Self::OpeningPlusTakings,
        ]
        .into_iter()
        .find(|s| s.as_str() == text)
    }
}

/// A count as the person counting submits it, checked and with the server's figures computed
/// ([`super::rules::prepare`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCashCount {
    pub id: Uuid,
    pub location_id: Uuid,
    pub count_type: CountType,
    pub business_date: NaiveDate,
    pub lines: Vec<CashLine>,
    pub counted_cents: i64,
    pub card_total_cents: Option<i64>,
    pub float_cents: Option<i64>,
    pub cash_takings_cents: Option<i64>,
    pub expected_cents: i64,
    pub expected_source: ExpectedSource,
    pub discrepancy_cents: i64,
    /// The location's tolerance when the count was submitted (kept, so later changes do not rewrite history).
    pub tolerance_cents: i64,
    pub note: Option<String>,
    pub corrects: Option<Uuid>,
    pub counted_by: Uuid,
    /// The submitter's idempotency key: a repeat with the same key is the same submission.
    pub client_key: Uuid,
}

/// The photo or scan of the till receipt, sealed in the document vault (owner: the location).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CashReceipt {
    pub id: Uuid,
    pub content_type: SniffedType,
    pub size_bytes: i64,
    pub gridfs_id: String,
    pub uploaded_by: Uuid,
    pub uploaded_at: DateTime<Utc>,
}

/// A stored count.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CashCount {
    pub id: Uuid,
    pub location_id: Uuid,
    pub count_type: CountType,
    pub business_date: NaiveDate,
    pub lines: Vec<CashLine>,
    pub counted_cents: i64,
    pub card_total_cents: Option<i64>,
    pub float_cents: Option<i64>,
    pub cash_takings_cents: Option<i64>,
    pub expected_cents: i64,
    pub expected_source: ExpectedSource,
    pub discrepancy_cents: i64,
    pub tolerance_cents: i64,
    pub note: Option<String>,
    pub state: CashState,
    pub corrects: Option<Uuid>,
    /// The count that corrects this one, if any (this one is then no longer effective).
    pub corrected_by: Option<Uuid>,
    pub counted_by: NamedRef,
    pub counted_at: DateTime<Utc>,
    pub client_key: Uuid,
    pub decided_by: Option<NamedRef>,
    pub decided_at: Option<DateTime<Utc>>,
    /// The approver's note or the dispute's reason.
    pub decision_reason: Option<String>,
    pub receipt: Option<CashReceipt>,
}

impl CashCount {
    /// `|discrepancy| > tolerance`.
    pub fn over_tolerance(&self) -> bool {
        super::rules::over_tolerance(self.discrepancy_cents, self.tolerance_cents)
    }

    /// Not corrected by another count.
    pub fn is_effective(&self) -> bool {
        self.corrected_by.is_none()
    }
}

/// A location's cash settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CashSettings {
    pub location_id: Uuid,
    /// A discrepancy larger than this (either way) is highlighted.
    pub tolerance_cents: i64,
    pub updated_by: Option<NamedRef>,
    pub updated_at: Option<DateTime<Utc>>,
}

/// The figures the server takes the expected amount from (effective counts only).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ExpectedBasis {
    /// The float of the latest closing before the business date, and that closing's id.
    pub previous_closing: Option<(Uuid, Option<i64>)>,
    /// The counted cash of the same day's opening, and that opening's id.
    pub opening: Option<(Uuid, i64)>,
}

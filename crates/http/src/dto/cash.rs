//! Shapes of the cash-count routes (issue 15). Amounts go out as integer cents; amounts typed by people come
//! in as text (`"12.50"` or `"12,50"`) and are parsed by the domain, so a bad amount answers 422 naming its
//! field instead of being rounded.

use chrono::{DateTime, NaiveDate, Utc};
use crewplots_domain::cash as domain;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::NamedPerson;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CashCountType {
    Opening,
    Midday,
    Closing,
}

impl From<domain::CountType> for CashCountType {
    fn from(t: domain::CountType) -> Self {
        match t {
            domain::CountType::Opening => Self::Opening,
            domain::CountType::Midday => Self::Midday,
            domain::CountType::Closing => Self::Closing,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CashCountState {
    Submitted,
    Approved,
    Disputed,
}

impl From<domain::CashState> for CashCountState {
    fn from(s: domain::CashState) -> Self {
        match s {
            domain::CashState::Submitted => Self::Submitted,
            domain::CashState::Approved => Self::Approved,
            domain::CashState::Disputed => Self::Disputed,
        }
    }
}

/// Where the expected amount came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CashExpectedSource {
    Entered,
    PreviousClosing,
    OpeningPlusTakings,
}

impl From<domain::ExpectedSource> for CashExpectedSource {
    fn from(s: domain::ExpectedSource) -> Self {
        match s {
            domain::ExpectedSource::Entered => Self::Entered,
            domain::ExpectedSource::PreviousClosing => Self::PreviousClosing,
            domain::ExpectedSource::OpeningPlusTakings => Self::OpeningPlusTakings,
        }
    }
}

/// One counted line as sent: `denomination` in cents (one of the euro notes and coins), `quantity` pieces.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CashLineInput {
    pub denomination: i64,
    pub quantity: i64,
}

/// `POST /api/locations/{id}/cash-counts`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct NewCashCountRequest {
    /// A UUID the client makes once per form: a repeat with the same key is the same submission (or the
    /// `Idempotency-Key` header).
    #[schema(format = Uuid)]
    pub client_key: Option<String>,
    /// `opening`, `midday` or `closing`.
    #[serde(rename = "type")]
    #[schema(pattern = r"^(opening|midday|closing)$")]
    pub count_type: Option<String>,
    /// `YYYY-MM-DD`, the day the business day started; default: the current business day at the location
    /// (a day starts at 06:00 local time).
    #[schema(format = Date)]
    pub business_date: Option<String>,
    #[serde(default)]
    pub lines: Vec<CashLineInput>,
    /// Decimal euros (`"123.45"` or `"123,45"`), at most two decimals.
    #[schema(pattern = r"^[0-9]{1,9}([.,][0-9]{1,2})?$")]
    pub card_total: Option<String>,
    /// The cash left in the till for the next opening, decimal euros.
    #[schema(pattern = r"^[0-9]{1,9}([.,][0-9]{1,2})?$")]
    pub float: Option<String>,
    /// The day's cash takings per the register, decimal euros.
    #[schema(pattern = r"^[0-9]{1,9}([.,][0-9]{1,2})?$")]
    pub cash_takings: Option<String>,
    /// Decimal euros; leave out to have the server compute it (see the expected route).
    #[schema(pattern = r"^[0-9]{1,9}([.,][0-9]{1,2})?$")]
    pub expected: Option<String>,
    /// The count this one corrects.
    pub corrects: Option<Uuid>,
    pub note: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CashLineView {
    pub denomination: i64,
    pub quantity: i64,
    pub subtotal_cents: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CashReceiptInfo {
    pub id: Uuid,
    pub content_type: String,
    pub size_bytes: i64,
    pub uploaded_at: DateTime<Utc>,
}

/// A cash count with its figures in cents.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CashCountView {
    pub id: Uuid,
    pub location_id: Uuid,
    #[serde(rename = "type")]
    pub count_type: CashCountType,
    pub business_date: NaiveDate,
    pub lines: Vec<CashLineView>,
    pub counted_cents: i64,
    pub card_total_cents: Option<i64>,
    pub float_cents: Option<i64>,
    pub cash_takings_cents: Option<i64>,
    pub expected_cents: i64,
    pub expected_source: CashExpectedSource,
    /// counted − expected: negative is short, positive is over.
    pub discrepancy_cents: i64,
    /// The location's tolerance when the count was submitted.
    pub tolerance_cents: i64,
    pub over_tolerance: bool,
    pub note: Option<String>,
    pub state: CashCountState,
    pub corrects: Option<Uuid>,
    pub corrected_by: Option<Uuid>,
    /// Not replaced by a correction.
    pub effective: bool,
    pub counted_by: NamedPerson,
    pub counted_at: DateTime<Utc>,
    pub decided_by: Option<NamedPerson>,
    pub decided_at: Option<DateTime<Utc>>,
    /// The dispute's reason or the approver's note.
    pub decision_reason: Option<String>,
    pub receipt: Option<CashReceiptInfo>,
    /// Whether the caller may approve or dispute it now.
    pub can_decide: bool,
}

impl CashCountView {
    pub fn new(count: &domain::CashCount, can_approve: bool) -> Self {
        Self {
            id: count.id,
            location_id: count.location_id,
            count_type: count.count_type.into(),
            business_date: count.business_date,
            lines: count
                .lines
                .iter()
                .map(|l| CashLineView {
                    denomination: l.denomination,
                    quantity: l.quantity,
                    subtotal_cents: l.denomination.saturating_mul(l.quantity),
                })
                .collect(),
            counted_cents: count.counted_cents,
            card_total_cents: count.card_total_cents,
            float_cents: count.float_cents,
            cash_takings_cents: count.cash_takings_cents,
            expected_cents: count.expected_cents,
            expected_source: count.expected_source.into(),
            discrepancy_cents: count.discrepancy_cents,
            tolerance_cents: count.tolerance_cents,
            over_tolerance: count.over_tolerance(),
            note: count.note.clone(),
            state: count.state.into(),
            corrects: count.corrects,
            corrected_by: count.corrected_by,
            effective: count.is_effective(),
            counted_by: (&count.counted_by).into(),
            counted_at: count.counted_at,
            decided_by: count.decided_by.as_ref().map(Into::into),
            decided_at: count.decided_at,
            decision_reason: count.decision_reason.clone(),
            receipt: count.receipt.as_ref().map(|r| CashReceiptInfo {
                id: r.id,
                content_type: r.content_type.mime().to_string(),
                size_bytes: r.size_bytes,
                uploaded_at: r.uploaded_at,
            }),
            can_decide: can_approve
                && count.state == domain::CashState::Submitted
                && count.is_effective(),
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CashCountPage {
    pub items: Vec<CashCountView>,
    pub next_cursor: Option<String>,
}

/// `GET /api/locations/{id}/cash-counts`; read as text, checked by the handler (422 naming the field).
#[derive(Debug, Clone, Deserialize, utoipa::IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct CashListQuery {
    /// Business date `YYYY-MM-DD`, included.
    pub from: Option<String>,
    /// Business date `YYYY-MM-DD`, included.
    pub to: Option<String>,
    /// `submitted`, `approved` or `disputed`.
    pub state: Option<String>,
    pub cursor: Option<String>,
    pub limit: Option<u32>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ApproveCashRequest {
    pub note: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct DisputeCashRequest {
    /// Required.
    pub reason: Option<String>,
}

/// A location's cash settings and the fixed facts the counting form needs.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CashSettingsView {
    pub location_id: Uuid,
    pub tolerance_cents: i64,
    pub updated_by: Option<NamedPerson>,
    pub updated_at: Option<DateTime<Utc>>,
    /// The euro notes and coins, in cents, largest first.
    pub denominations: Vec<i64>,
    pub max_quantity: i64,
    /// Largest receipt accepted, in bytes.
    pub receipt_max_bytes: u64,
    /// The current business date at the location.
    pub business_date: NaiveDate,
    /// The location's time zone.
    pub timezone: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PutCashSettings {
    /// Decimal euros, 0–1000.
    #[schema(required = true, pattern = r"^(1000|[0-9]{1,3})([.,][0-9]{1,2})?$")]
    pub tolerance: Option<String>,
}

/// `GET /api/locations/{id}/cash-counts/expected`.
#[derive(Debug, Clone, Deserialize, utoipa::IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct CashExpectedQuery {
    /// `opening`, `midday` or `closing`.
    #[serde(rename = "type")]
    #[param(required = true, pattern = r"^(opening|midday|closing)$")]
    pub count_type: Option<String>,
    /// `YYYY-MM-DD`; default: the current business date.
    #[param(format = Date)]
    pub business_date: Option<String>,
    /// Decimal euros: the cash takings that would be entered (midday, closing).
    #[param(pattern = r"^[0-9]{1,9}([.,][0-9]{1,2})?$")]
    pub cash_takings: Option<String>,
}

/// What the server would take as the expected amount.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CashExpectedView {
    pub business_date: NaiveDate,
    /// `null` when there is nothing to compute it from: the person counting enters it.
    pub expected_cents: Option<i64>,
    pub source: Option<CashExpectedSource>,
    /// The float the latest earlier closing left (opening's basis), and that closing.
    pub previous_closing_id: Option<Uuid>,
    pub previous_float_cents: Option<i64>,
    /// The day's opening cash (midday's and closing's basis), and that opening.
    pub opening_id: Option<Uuid>,
    pub opening_cents: Option<i64>,
    pub tolerance_cents: i64,
    /// The effective count of this type and date, if one exists (a new one must correct it).
    pub existing_id: Option<Uuid>,
}

/// `GET /api/locations/{id}/cash-summary`: `week` (`YYYY-Www`) or `from`/`to` (at most 62 days).
#[derive(Debug, Clone, Deserialize, utoipa::IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct CashSummaryQuery {
    /// `YYYY-Www`
    #[param(pattern = r"^[0-9]{4}-W(0[1-9]|[1-4][0-9]|5[0-3])$")]
    pub week: Option<String>,
    #[param(format = Date)]
    pub from: Option<String>,
    #[param(format = Date)]
    pub to: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CashDayView {
    pub date: NaiveDate,
    /// The effective count of each type that exists, opening → midday → closing.
    pub counts: Vec<CashCountView>,
    /// From the day's closing count.
    pub cash_takings_cents: Option<i64>,
    pub card_total_cents: Option<i64>,
    pub discrepancy_cents: i64,
    pub over_tolerance: bool,
    pub awaiting_decision: usize,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CashTotalsView {
    pub cash_takings_cents: i64,
    pub card_total_cents: i64,
    pub discrepancy_cents: i64,
    pub counts: usize,
    pub over_tolerance: usize,
    pub awaiting_decision: usize,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CashSummaryView {
    pub location_id: Uuid,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub days: Vec<CashDayView>,
    pub totals: CashTotalsView,
    /// The location's current tolerance.
    pub tolerance_cents: i64,
}

/// `GET /api/exports/cash`.
#[derive(Debug, Clone, Deserialize)]
pub struct CashExportQuery {
    pub location: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub delimiter: Option<String>,
}

//! The storage port of cash counting. Commands are whole: a count with its lines and audit line, a decision
//! with its audit line, a receipt's row with its audit line — each in one transaction, and each conflict
//! decided by the database (unique keys, the locked row's state), never by a check first.

use async_trait::async_trait;
use chrono::NaiveDate;
use uuid::Uuid;

use super::model::{
    CashCount, CashReceipt, CashSettings, CashState, CountType, ExpectedBasis, NewCashCount,
};
use super::rules::{Decision, DecisionRefused};
use crate::accounts::{AuditEvent, Page, PageRequest};
use crate::ports::StoreResult;

/// Why a count was not inserted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InsertConflict {
    /// The submitter already used this idempotency key (a repeat raced the first request).
    ClientKey,
    /// The location already has a count of this type for this business date (its id): correct it instead.
    CountExists(Uuid),
    /// The count to correct has been corrected already.
    AlreadyCorrected,
}

/// Why a receipt was not attached.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReceiptRefused {
    /// The count has a receipt already.
    Exists,
    /// The count was approved or disputed: it no longer changes.
    Decided,
}

/// Which counts a listing shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CountFilter {
    pub location: Uuid,
    /// Business dates, both included.
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub state: Option<CashState>,
    /// Only this person's submissions (crew members see their own).
    pub counted_by: Option<Uuid>,
}

#[async_trait]
pub trait CashStore: Send + Sync {
    /// The location's settings (defaults when never set).
    async fn settings(&self, location: Uuid) -> StoreResult<CashSettings>;
    /// Sets the tolerance, with its audit line.
    async fn put_settings(
        &self,
        location: Uuid,
        tolerance_cents: i64,
        actor: Uuid,
        audit: AuditEvent,
    ) -> StoreResult<CashSettings>;
    async fn count(&self, id: Uuid) -> StoreResult<Option<CashCount>>;
    /// The count `counted_by` submitted with idempotency key `key`.
    async fn by_client_key(&self, counted_by: Uuid, key: Uuid) -> StoreResult<Option<CashCount>>;
    /// What the expected amount of a count of `count_type` on `date` is computed from (effective counts).
    async fn basis(
        &self,
        location: Uuid,
        count_type: CountType,
        date: NaiveDate,
    ) -> StoreResult<ExpectedBasis>;
    /// Stores the count, its lines and its audit line. A correction locks the count it corrects first.
    async fn insert(
        &self,
        count: NewCashCount,
        audit: AuditEvent,
    ) -> StoreResult<Result<CashCount, InsertConflict>>;
    /// Decides a count under its row lock ([`super::rules::decide`] on the locked state), with the audit
    /// line.
    async fn decide(
        &self,
        id: Uuid,
        decision: &Decision,
        actor: Uuid,
        audit: AuditEvent,
    ) -> StoreResult<Result<CashCount, DecisionRefused>>;
    /// One page of counts, newest submission first.
    async fn list(&self, filter: &CountFilter, page: PageRequest) -> StoreResult<Page<CashCount>>;
    /// Every count of the location with a business date in `[from, to]` (corrected ones too), by date.
    async fn range(
        &self,
        location: Uuid,
        from: NaiveDate,
        to: NaiveDate,
    ) -> StoreResult<Vec<CashCount>>;
    /// Records the receipt of a submitted count that has none, with its audit line.
    async fn attach_receipt(
        &self,
        count: Uuid,
        receipt: CashReceipt,
        audit: AuditEvent,
    ) -> StoreResult<Result<CashReceipt, ReceiptRefused>>;
}

//! Exports (SPEC §4.8), the audit viewer (§4.9) and locked hours periods: their filters, rows and the
//! storage ports that serve them.
//!
//! Invariants:
//! - Export rows come as a [`RowStream`]: the store hands rows over as the database yields them, so an
//!   export of any size is written with bounded memory; nothing collects a whole export.
//! - Hours come from the *published* copy of weeks only (what crew were told), one shift counted on its
//!   local start date; figures are computed by [`crate::scheduling::hours`].
//! - Scoping is part of every filter ([`LocationScope`]): a manager's query can only reach the rows of their
//!   own locations; audit rows without a location are reached only with `LocationScope::All`.
//! - No row carries sensitive content: names, e-mail addresses, counts, statuses and audit details (which are
//!   themselves free of it).

use std::collections::BTreeMap;
use std::pin::Pin;

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use futures_core::Stream;
use uuid::Uuid;

use crate::accounts::{AuditEvent, Page, PageRequest};
use crate::hiring::{ApplicationSource, ApplicationStatus};
use crate::policy::LocationScope;
use crate::ports::StoreResult;
use crate::scheduling::hours::HoursFigures;
use crate::scheduling::publish::LockedPeriod;

/// Rows of an export as the store reads them; an error item ends the export.
pub type RowStream<T> = Pin<Box<dyn Stream<Item = StoreResult<T>> + Send>>;

/// The longest hours export, in days (both ends included).
pub const MAX_HOURS_RANGE_DAYS: i64 = 366;

/// A location named in an export.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NamedLocation {
    pub id: Uuid,
    pub name: String,
    pub timezone: String,
}

/// One line of the hours export.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HoursLine {
    /// One person's published shifts at the location whose local date is in the range, summed.
    Planned {
        person_id: Uuid,
        person_name: String,
        figures: HoursFigures,
    },
    /// A correction made (local date) within the range to a locked period.
    Correction {
        person_id: Uuid,
        person_name: String,
        shift_date: NaiveDate,
        delta: HoursFigures,
        reason: String,
    },
}

/// Filters of the applications export.
#[derive(Debug, Clone)]
pub struct ApplicationsFilter {
    pub scope: LocationScope,
    /// One location (already checked to be in the scope).
    pub location: Option<Uuid>,
    pub status: Option<ApplicationStatus>,
    pub source: Option<ApplicationSource>,
    /// Creation date at the application's location, both ends included.
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    /// Who reads: note counts include only notes this role (or author) may see.
    pub viewer: (Uuid, crate::Role),
}

/// One application in the export.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApplicationLine {
    pub id: Uuid,
    pub applicant_name: String,
    pub email: String,
    pub location: String,
    pub position: String,
    pub source: String,
    pub status: String,
    pub applied_at: DateTime<Utc>,
    pub status_changed_at: DateTime<Utc>,
    pub notes: i64,
    pub documents: i64,
}

/// Filters of the audit viewer and its export.
#[derive(Debug, Clone)]
pub struct AuditFilter {
    pub scope: LocationScope,
    pub actor: Option<Uuid>,
    /// Exact, or a prefix when it ends in `.`.
    pub action: Option<String>,
    pub subject: Option<Uuid>,
    pub location: Option<Uuid>,
    /// `from` included, `to` excluded.
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
}

/// A person named in the audit log, on a lock or on a hold; the name is gone when the person was erased.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NamedRef {
    pub id: Uuid,
    pub name: Option<String>,
}

/// One row of the audit log as the viewer shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    pub id: Uuid,
    pub occurred_at: DateTime<Utc>,
    pub action: String,
    pub actor: Option<NamedRef>,
    /// Type, id and (for people) name.
    pub subject: Option<(String, NamedRef)>,
    pub location: Option<(Uuid, String)>,
    pub ip: Option<String>,
    pub details: BTreeMap<String, String>,
}

/// A locked hours period as listed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HoursLock {
    pub period: LockedPeriod,
    pub locked_at: DateTime<Utc>,
    pub locked_by: NamedRef,
}

/// Exports and locked hours periods.
#[async_trait]
pub trait ExportStore: Send + Sync {
    /// The hours export of a location: `Planned` lines (one per person, by name) for the published shifts
    /// with a local date in `[from, to]`, then `Correction` lines made within the range (local dates).
    async fn hours(
        &self,
        location: &NamedLocation,
        from: NaiveDate,
        to: NaiveDate,
    ) -> StoreResult<RowStream<HoursLine>>;
    /// Applications matching the filter, newest first.
    async fn applications(
        &self,
        filter: &ApplicationsFilter,
    ) -> StoreResult<RowStream<ApplicationLine>>;
    /// Audit rows matching the filter, newest first.
    async fn audit_rows(&self, filter: &AuditFilter) -> StoreResult<RowStream<AuditEntry>>;
    /// One page of the audit viewer, newest first.
    async fn audit_page(
        &self,
        filter: &AuditFilter,
        page: PageRequest,
    ) -> StoreResult<Page<AuditEntry>>;
    /// Locks `[from, to]` at the location, with its audit line; `Conflict("period")` when it overlaps an
    /// existing lock of the location.
    async fn lock_hours(
        &self,
        location: Uuid,
        period: LockedPeriod,
        actor: Uuid,
        audit: AuditEvent,
    ) -> StoreResult<HoursLock>;
    /// The location's locks, newest first.
    async fn hours_locks(&self, location: Uuid) -> StoreResult<Vec<HoursLock>>;
}

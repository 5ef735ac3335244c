//! Retention of rejected applicants' data (SPEC §3 erasure, issue 14 E): who is erased when, holds that stop
//! it, and the [`RetentionStore`] port.
//!
//! The rule: an *applicant* (the role) with at least one application, every one of them `rejected` or
//! `withdrawn`, whose last change — the latest of the applications' changes, their status history and the
//! account's own update — lies more than [`RetentionPolicy::days`] in the past, and who is not on hold, is
//! erased (through [`crate::erasure`]). Days `0` switch retention off.
//!
//! Invariants: the store's candidate query and [`RetentionFacts::is_candidate`] state the same rule; the
//! background job re-decides with `is_candidate` on freshly read facts just before erasing each person, so a
//! hold or a new application placed since the candidate list was read saves the person.

use async_trait::async_trait;
use chrono::{DateTime, Days, NaiveDate, Utc};
use uuid::Uuid;

use crate::accounts::AuditEvent;
use crate::exports::NamedRef;
use crate::ports::StoreResult;
use crate::Role;

/// Longest hold reason, in characters.
pub const HOLD_REASON_MAX: usize = 300;

/// How long closed applicants are kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetentionPolicy {
    /// Days after the last change; `0`: retention is off.
    pub days: u32,
}

impl RetentionPolicy {
    pub fn is_off(self) -> bool {
        self.days == 0
    }

    /// People whose last change is before this instant are due at `now`; `None` when retention is off.
    pub fn cutoff(self, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        if self.is_off() {
            return None;
        }
        // UTC has no clock changes: a day is a day here.
        now.checked_sub_days(Days::new(u64::from(self.days)))
    }
}

/// A legal reason to keep a person's data past the retention period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetentionHold {
    pub reason: String,
    pub since: DateTime<Utc>,
    pub by: NamedRef,
}

/// What retention needs to know about one person, as stored now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetentionFacts {
    pub person: Uuid,
    pub role: Role,
    /// The locations the person applied at, the latest application's first.
    pub application_locations: Vec<Uuid>,
    pub applications: usize,
    /// Every application is `rejected` or `withdrawn`.
    pub all_closed: bool,
    /// The latest change of applications, status history and the account.
    pub last_change: DateTime<Utc>,
    pub hold: Option<RetentionHold>,
}

impl RetentionFacts {
    /// Whether any retention rule applies to the person at all (hold aside).
    fn rule_applies(&self, policy: RetentionPolicy) -> bool {
        !policy.is_off()
            && self.role == Role::Applicant
            && self.applications > 0
            && self.all_closed
            && self.hold.is_none()
    }

    /// The date after which the person is erased; `None` when no rule applies (retention off, an
    /// application still open, not an applicant, or on hold).
    pub fn erases_after(&self, policy: RetentionPolicy) -> Option<NaiveDate> {
        if !self.rule_applies(policy) {
            return None;
        }
        self.last_change
            .checked_add_days(Days::new(u64::from(policy.days)))
            .map(|at| at.date_naive())
    }

    /// Whether the job erases the person at `now`.
    pub fn is_candidate(&self, policy: RetentionPolicy, now: DateTime<Utc>) -> bool {
        self.rule_applies(policy) && policy.cutoff(now).is_some_and(|cut| self.last_change < cut)
    }
}

/// Holds and the facts retention decides on.
#[async_trait]
pub trait RetentionStore: Send + Sync {
    /// The person's facts, `None` when the account does not exist.
    async fn retention_facts(&self, person: Uuid) -> StoreResult<Option<RetentionFacts>>;
    /// Puts the person on hold (or replaces the hold's reason) with its audit line, atomically.
    async fn set_hold(
        &self,
        person: Uuid,
        reason: &str,
        by: Uuid,
        audit: AuditEvent,
    ) -> StoreResult<()>;
    /// Lifts the hold; writes the audit line only when there was one. Returns whether there was.
    async fn remove_hold(&self, person: Uuid, audit: AuditEvent) -> StoreResult<bool>;
    /// Up to `limit` people the rule selects for erasure with this cutoff, oldest change first.
    async fn retention_candidates(
        &self,
        cutoff: DateTime<Utc>,
        limit: i64,
    ) -> StoreResult<Vec<Uuid>>;
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn facts() -> RetentionFacts {
        RetentionFacts {
            person: Uuid::from_u128(1),
            role: Role::Applicant,
            application_locations: vec![Uuid::from_u128(2)],
            applications: 2,
            all_closed: true,
            last_change: Utc.with_ymd_and_hms(2026, 1, 10, 22, 30, 0).unwrap(),
            hold: None,
        }
    }

    const DAYS: RetentionPolicy = RetentionPolicy { days: 180 };

    #[test]
    fn a_closed_applicant_is_erased_after_the_period_and_not_before() {
        let f = facts();
        assert_eq!(
            f.erases_after(DAYS),
            Some(NaiveDate::from_ymd_opt(2026, 7, 9).unwrap())
        );
        let just_before =
            f.last_change + chrono::Duration::days(180) - chrono::Duration::seconds(1);
        let just_after = f.last_change + chrono::Duration::days(180) + chrono::Duration::seconds(1);
        assert!(!f.is_candidate(DAYS, just_before));
        assert!(f.is_candidate(DAYS, just_after));
    }

    #[test]
    fn holds_open_applications_other_roles_and_off_keep_everyone() {
        let late = Utc.with_ymd_and_hms(2030, 1, 1, 0, 0, 0).unwrap();
        let held = RetentionFacts {
            hold: Some(RetentionHold {
                reason: "dispute".into(),
                since: late,
                by: NamedRef {
                    id: Uuid::from_u128(5),
                    name: None,
                },
            }),
            ..facts()
        };
        let open = RetentionFacts {
            all_closed: false,
            ..facts()
        };
        let crew = RetentionFacts {
            role: Role::CrewMember,
            ..facts()
        };
        let never_applied = RetentionFacts {
            applications: 0,
            application_locations: vec![],
            ..facts()
        };
        for kept in [&held, &open, &crew, &never_applied] {
            assert!(!kept.is_candidate(DAYS, late), "{kept:?}");
            assert_eq!(kept.erases_after(DAYS), None, "{kept:?}");
        }
        let off = RetentionPolicy { days: 0 };
        assert!(!facts().is_candidate(off, late));
        assert_eq!(facts().erases_after(off), None);
        assert_eq!(off.cutoff(late), None);
    }
}

//! The retention job (issue 14 E, SPEC §3): erases applicants whose applications are all closed and whose
//! last change is older than `RETENTION_DAYS`, unless on hold. Runs in the background of every instance
//! (started from `startup.rs`) and once from `crewplots-server retention`.
//!
//! Invariants:
//! - One run at a time across all instances: a run holds the PostgreSQL advisory lock [`LOCK_KEY`] on a
//!   connection of its own and skips when another instance holds it (scale-out rule, ARCHITECTURE.md).
//! - People are erased one by one through the one erasure path (`crewplots_domain::erasure`: MongoDB
//!   content first). If MongoDB fails the run stops; the person keeps their PostgreSQL rows and is found
//!   again next run.
//! - Each person is re-decided on fresh facts just before the erasure (a hold or a new application placed
//!   since the candidates were read saves them); an erasure that lost a race to another one (`NotFound`)
//!   writes nothing, so every erased person has exactly one `retention.erased` audit line.
//! - `now` is a parameter, so tests (and an operator) decide what "past the period" means.

use std::collections::HashSet;
use std::time::Duration;

use chrono::{DateTime, Utc};
use crewplots_domain::accounts::AuditEvent;
use crewplots_domain::erasure::{self, ErasureError, ErasureStores};
use crewplots_domain::ports::StoreError;
use crewplots_domain::retention::{RetentionPolicy, RetentionStore};
use crewplots_session::SessionIndex;
use crewplots_storage_mongo::{GridFsDocumentVault, MongoBodyVault, MongoProfileVault, MongoStore};
use crewplots_storage_postgres::{PgStore, PoolOptions};
use secrecy::ExposeSecret;

use crate::settings::Settings;

/// The advisory lock key of the retention job ("retentio" in ASCII), distinct from the migrations' lock.
pub const LOCK_KEY: i64 = 0x7265_7465_6e74_696f;

/// Candidates read per query; the job reads again until none are left.
const BATCH: i64 = 200;

/// What one run did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RetentionReport {
    /// Retention is off (`RETENTION_DAYS=0`): nothing was looked at.
    pub off: bool,
    /// Another instance was running the job: this run did nothing.
    pub skipped_locked: bool,
    pub candidates: usize,
    pub erased: usize,
    /// Candidates whose fresh facts no longer qualify (a hold or a new application came in between).
    pub kept: usize,
    /// The run stopped early because MongoDB failed; the rest waits for the next run.
    pub stopped_content_unavailable: bool,
}

impl std::fmt::Display for RetentionReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.off {
            return f.write_str("retention is off (RETENTION_DAYS=0)");
        }
        if self.skipped_locked {
            return f.write_str("another instance is running retention; nothing done");
        }
        write!(
            f,
            "retention: {} candidates, {} erased, {} kept",
            self.candidates, self.erased, self.kept
        )?;
        if self.stopped_content_unavailable {
            f.write_str("; stopped: MongoDB unavailable, the rest waits for the next run")?;
        }
        Ok(())
    }
}

/// The job with its stores.
pub struct RetentionJob {
    pg: PgStore,
    documents: GridFsDocumentVault,
    profiles: MongoProfileVault,
    bodies: MongoBodyVault,
    policy: RetentionPolicy,
    /// Ends the erased people's sessions when Redis is at hand (the server); without it (the command) a
    /// session of an erased account still ends at its next request, which finds no account.
    sessions: Option<SessionIndex>,
}

impl std::fmt::Debug for RetentionJob {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RetentionJob")
            .field("policy", &self.policy)
            .finish_non_exhaustive()
    }
}

impl RetentionJob {
    pub fn new(
        pg: PgStore,
        mongo: &MongoStore,
        settings: &Settings,
        sessions: Option<SessionIndex>,
    ) -> Self {
        Self {
            pg,
            documents: GridFsDocumentVault::new(mongo.clone(), settings.keyring.clone()),
            profiles: MongoProfileVault::new(mongo.clone(), settings.keyring.clone()),
            bodies: MongoBodyVault::new(mongo.clone(), settings.keyring.clone()),
            policy: RetentionPolicy {
                days: settings.retention_days,
            },
            sessions,
        }
    }

    /// The job on stores of its own, built from the settings (the command, tests).
    pub async fn connect(settings: &Settings) -> anyhow::Result<Self> {
        let pool = crewplots_storage_postgres::build_pool(
            settings.database_url.expose_secret(),
            PoolOptions::default(),
        )?;
        let mongo = MongoStore::connect(
            settings.mongodb_url.expose_secret(),
            &settings.mongodb_db_name,
            settings.mongodb_timeout,
        )
        .await?;
        Ok(Self::new(PgStore::new(pool), &mongo, settings, None))
    }

    /// Runs forever: one run now, then one every `interval`.
    pub async fn run(self, interval: Duration) {
        loop {
            match self.run_once(Utc::now()).await {
                Ok(report) if report.off || report.skipped_locked => {
                    tracing::debug!(%report, "retention run")
                }
                Ok(report) => tracing::info!(
                    candidates = report.candidates,
                    erased = report.erased,
                    kept = report.kept,
                    stopped = report.stopped_content_unavailable,
                    "retention run done"
                ),
                Err(error) => {
                    tracing::warn!(%error, "retention run failed; retrying next interval")
                }
            }
            tokio::time::sleep(interval).await;
        }
    }

    /// One run at `now`: under the advisory lock, erase every person the rule selects.
    pub async fn run_once(&self, now: DateTime<Utc>) -> anyhow::Result<RetentionReport> {
        let mut report = RetentionReport::default();
        let Some(cutoff) = self.policy.cutoff(now) else {
            report.off = true;
            return Ok(report);
        };
        let Some(_lock) = self.pg.try_advisory_lock(LOCK_KEY).await? else {
            report.skipped_locked = true;
            return Ok(report);
        };
        let stores = ErasureStores {
            accounts: &self.pg,
            documents: &self.pg,
            vault: &self.documents,
            profiles: &self.profiles,
            bodies: &self.bodies,
        };
        // Erased people leave the candidate list; `seen` stops the loop should a person stay on it.
        let mut seen = HashSet::new();
        loop {
            let batch: Vec<_> = self
                .pg
                .retention_candidates(cutoff, BATCH)
                .await?
                .into_iter()
                .filter(|id| seen.insert(*id))
                .collect();
            if batch.is_empty() {
                break;
            }
            report.candidates += batch.len();
            for person in batch {
                let Some(facts) = self.pg.retention_facts(person).await? else {
                    continue;
                };
                if !facts.is_candidate(self.policy, now) {
                    report.kept += 1;
                    continue;
                }
                let mut audit = AuditEvent::new("retention.erased")
                    .subject("user", person)
                    .detail("retentionDays", self.policy.days.to_string());
                if let Some(location) = facts.application_locations.first() {
                    audit = audit.location(*location);
                }
                match erasure::erase_person(stores, person, audit).await {
                    Ok(_) => {
                        report.erased += 1;
                        if let Some(sessions) = &self.sessions {
                            if let Err(error) =
                                sessions.revoke_all_except(&person.to_string(), None).await
                            {
                                tracing::warn!(%error, "sessions of an erased person not revoked; they end at their next request");
                            }
                        }
                    }
                    // Erased by someone else in the meantime: nothing left to do, no second audit line.
                    Err(ErasureError::Store(StoreError::NotFound)) => {}
                    Err(ErasureError::ContentUnavailable(error)) => {
                        tracing::warn!(%error, "retention stopped: content store unavailable");
                        report.stopped_content_unavailable = true;
                        return Ok(report);
                    }
                    Err(ErasureError::Store(error)) => return Err(error.into()),
                }
            }
        }
        Ok(report)
    }
}

//! Retention holds, the facts the retention rule decides on, its candidate query, and the advisory lock that
//! lets one instance at a time run the retention job.
//!
//! Invariants: the candidate query states the rule of `crewplots_domain::retention` (applicants only, at
//! least one application, all `rejected`/`withdrawn`, last change before the cutoff, no hold); the facts
//! query computes the same "last change" so the job's re-check agrees with the selection. A hold and its
//! audit line are written in one transaction; the audit line never carries the reason.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use crewplots_domain::accounts::AuditEvent;
use crewplots_domain::exports::NamedRef;
use crewplots_domain::ports::{StoreError, StoreResult};
use crewplots_domain::retention::{RetentionFacts, RetentionHold, RetentionStore};
use crewplots_domain::Role;
use uuid::Uuid;

use crate::store::{db_error, insert_audit, CachedQuery, PgStore};

/// A PostgreSQL session-level advisory lock, held on a connection taken out of the pool. Dropping it closes
/// that connection, which releases the lock — also when the holder panics or is cancelled, so a lock can
/// never stay behind on a pooled connection.
pub struct AdvisoryLock {
    _client: deadpool_postgres::ClientWrapper,
}

impl std::fmt::Debug for AdvisoryLock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("AdvisoryLock")
    }
}

impl PgStore {
    /// Takes the advisory lock `key` if nobody holds it (`pg_try_advisory_lock`); `None` when another
    /// session does.
    pub async fn try_advisory_lock(&self, key: i64) -> StoreResult<Option<AdvisoryLock>> {
        let client = deadpool_postgres::Object::take(self.client().await?);
        let row = client
            .query_one("SELECT pg_try_advisory_lock($1)", &[&key])
            .await
            .map_err(db_error)?;
        Ok(row
            .get::<_, bool>(0)
            .then_some(AdvisoryLock { _client: client }))
    }
}

/// The latest change of a person's applications, their status history and the account (`u` = users).
const LAST_CHANGE: &str = "greatest(u.updated_at,
    (SELECT max(greatest(a.updated_at, a.letter_updated_at)) FROM applications a WHERE a.applicant_id = u.id),
    (SELECT max(h.created_at) FROM application_status_history h
       JOIN applications a ON a.id = h.application_id WHERE a.applicant_id = u.id))";

/// Statuses after which an application is closed for retention.
const CLOSED: &str = "('rejected', 'withdrawn')";

#[async_trait]
impl RetentionStore for PgStore {
    async fn retention_facts(&self, person: Uuid) -> StoreResult<Option<RetentionFacts>> {
        let client = self.client().await?;
        let Some(row) = client
            .q_opt(
                &format!(
                    "SELECT u.id, u.role, {LAST_CHANGE} AS last_change,
                        ARRAY(SELECT a.location_id FROM applications a WHERE a.applicant_id = u.id
                              ORDER BY a.created_at DESC, a.id) AS locations,
                        (SELECT count(*) FROM applications a WHERE a.applicant_id = u.id) AS applications,
                        NOT EXISTS (SELECT 1 FROM applications a WHERE a.applicant_id = u.id
                                    AND a.status NOT IN {CLOSED}) AS all_closed,
                        r.reason, r.created_at AS hold_since, r.created_by AS hold_by,
                        (SELECT b.first_name || ' ' || b.last_name FROM users b WHERE b.id = r.created_by)
                            AS hold_by_name
                     FROM users u LEFT JOIN retention_holds r ON r.user_id = u.id
                     WHERE u.id = $1"
                ),
                &[&person],
            )
            .await
            .map_err(db_error)?
        else {
            return Ok(None);
        };
        let role: String = row.get("role");
        let mut locations: Vec<Uuid> = Vec::new();
        for location in row.get::<_, Vec<Uuid>>("locations") {
            if !locations.contains(&location) {
                locations.push(location);
            }
        }
        let hold = row
            .get::<_, Option<String>>("reason")
            .map(|reason| RetentionHold {
                reason,
                since: row.get("hold_since"),
                by: NamedRef {
                    id: row.get("hold_by"),
                    name: row.get("hold_by_name"),
                },
            });
        let applications: i64 = row.get("applications");
        Ok(Some(RetentionFacts {
            person: row.get("id"),
            role: Role::parse(&role)
                .ok_or_else(|| StoreError::Other(format!("unknown role {role}")))?,
            application_locations: locations,
            applications: usize::try_from(applications).unwrap_or(0),
            all_closed: row.get("all_closed"),
            last_change: row.get("last_change"),
            hold,
        }))
    }

    async fn set_hold(
        &self,
        person: Uuid,
        reason: &str,
        by: Uuid,
        audit: AuditEvent,
    ) -> StoreResult<()> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(db_error)?;
        tx.execute(
            "INSERT INTO retention_holds (user_id, reason, created_by) VALUES ($1, $2, $3)
             ON CONFLICT (user_id) DO UPDATE
                SET reason = EXCLUDED.reason, created_by = EXCLUDED.created_by, created_at = now()",
            &[&person, &reason, &by],
        )
        .await
        .map_err(db_error)?;
        insert_audit(&tx, &audit).await?;
        tx.commit().await.map_err(db_error)
    }

    async fn remove_hold(&self, person: Uuid, audit: AuditEvent) -> StoreResult<bool> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(db_error)?;
        let removed = tx
            .execute("DELETE FROM retention_holds WHERE user_id = $1", &[&person])
            .await
            .map_err(db_error)?;
        if removed > 0 {
            insert_audit(&tx, &audit).await?;
        }
        tx.commit().await.map_err(db_error)?;
        Ok(removed > 0)
    }

    async fn retention_candidates(
        &self,
        cutoff: DateTime<Utc>,
        limit: i64,
    ) -> StoreResult<Vec<Uuid>> {
        let client = self.client().await?;
        let rows = client
            .q(
                &format!(
                    "SELECT id FROM (
                        SELECT u.id, {LAST_CHANGE} AS last_change FROM users u
                        WHERE u.role = 'applicant'
                          AND EXISTS (SELECT 1 FROM applications a WHERE a.applicant_id = u.id)
                          AND NOT EXISTS (SELECT 1 FROM applications a WHERE a.applicant_id = u.id
                                          AND a.status NOT IN {CLOSED})
                          AND NOT EXISTS (SELECT 1 FROM retention_holds r WHERE r.user_id = u.id)) c
                     WHERE c.last_change < $1
                     ORDER BY c.last_change, c.id LIMIT $2"
                ),
                &[&cutoff, &limit],
            )
            .await
            .map_err(db_error)?;
        Ok(rows.iter().map(|r| r.get(0)).collect())
    }
}

//! Exports, the audit viewer and hours locks ([`ExportStore`]).
//!
//! Invariants:
//! - Exports stream: each holds one pooled connection while the client downloads and reads rows through
//!   `query_raw`, whose response channel holds one batch of backend messages at a time — the connection
//!   stops reading the socket until the body has written what it has, so memory stays bounded whatever the
//!   export's size. The hours export reads its corrections only after the planned rows, on a fresh
//!   connection once the first is closed. An export's connection leaves the pool and runs its statement
//!   under [`EXPORT_STATEMENT_TIMEOUT`] instead of the pool's statement deadline (it lasts as long as the
//!   download); the client's watch for a stalled server still applies to it.
//! - Every query takes its scope as a parameter (`NULL` = every location), so one prepared statement
//!   serves administrators and managers, and a manager's scope can never be left out.
//! - Hours locks of one location never overlap (exclusion constraint). Creating a lock takes the location's
//!   hours-lock advisory lock exclusively; publishing and applying requests take it shared before they look
//!   at the locks, so a lock is never created between their check and their commit.

use std::collections::BTreeMap;

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use crewplots_domain::accounts::{AuditEvent, Page, PageRequest};
use crewplots_domain::exports::{
    ApplicationLine, ApplicationsFilter, AuditEntry, AuditFilter, ExportStore, HoursLine,
    HoursLock, NamedLocation, NamedRef, RowStream,
};
use crewplots_domain::policy::LocationScope;
use crewplots_domain::ports::{StoreError, StoreResult};
use crewplots_domain::scheduling::hours::{HoursFigures, ShiftTimes};
use crewplots_domain::scheduling::publish::LockedPeriod;
use crewplots_domain::scheduling::time::zone;
use deadpool_postgres::{GenericClient, Object};
use futures_util::{stream, StreamExt};
use tokio_postgres::error::SqlState;
use tokio_postgres::types::ToSql;
use tokio_postgres::Row;
use uuid::Uuid;

use crate::store::{db_error, insert_audit, CachedQuery, PgStore};

type Param = Box<dyn ToSql + Sync + Send>;

/// The longest an export's statement may run, download included (the pool's statement deadline is for
/// requests).
const EXPORT_STATEMENT_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(30 * 60);

/// Runs `sql` on `client` and streams its rows through `map`, keeping the connection until the stream is
/// dropped. Errors before the first row (a lost connection, a bad statement) are returned here, so the
/// caller can still answer with a status.
async fn stream_query<T: Send + 'static>(
    client: Object,
    sql: &str,
    params: Vec<Param>,
    map: fn(&Row) -> StoreResult<T>,
) -> StoreResult<RowStream<T>> {
    // An export's one statement lasts as long as the download, so it gets the export bound instead of the
    // pool's statement deadline; the connection leaves the pool (and closes after the export) so that the
    // longer bound never reaches an ordinary request.
    let client = Object::take(client);
    client
        .batch_execute(&format!(
            "SET statement_timeout = {}",
            EXPORT_STATEMENT_TIMEOUT.as_millis()
        ))
        .await
        .map_err(db_error)?;
    let statement = client.prepare(sql).await.map_err(db_error)?;
    let rows = client
        .query_raw(
            &statement,
            params.iter().map(|p| &**p as &(dyn ToSql + Sync)),
        )
        .await
        .map_err(db_error)?;
    Ok(Box::pin(rows.map(move |row| {
        // The connection lives as long as the rows are read.
        let _connection = &client;
        row.map_err(db_error).and_then(|row| map(&row))
    })))
}

/// `NULL` for every location, or the ids of a manager's scope.
fn scope_param(scope: &LocationScope) -> Option<Vec<Uuid>> {
    match scope {
        LocationScope::All => None,
        LocationScope::Only(ids) => Some(ids.clone()),
    }
}

fn minutes(value: i32) -> i64 {
    i64::from(value)
}

fn figures(row: &Row) -> HoursFigures {
    HoursFigures {
        shifts: minutes(row.get("delta_shifts")),
        planned_minutes: minutes(row.get("delta_planned_minutes")),
        night_minutes: minutes(row.get("delta_night_minutes")),
        sunday_minutes: minutes(row.get("delta_sunday_minutes")),
    }
}

/// One published assignment of the hours export.
struct WorkedShift {
    person_id: Uuid,
    person_name: String,
    times: ShiftTimes,
}

fn worked_shift(row: &Row) -> StoreResult<WorkedShift> {
    Ok(WorkedShift {
        person_id: row.get("user_id"),
        person_name: row.get("name"),
        times: ShiftTimes {
            starts_at: row.get("starts_at"),
            ends_at: row.get("ends_at"),
            break_minutes: u16::try_from(row.get::<_, i16>("break_minutes")).unwrap_or(0),
        },
    })
}

const HOURS_SHIFTS: &str = "
    SELECT pa.user_id, u.first_name || ' ' || u.last_name AS name, pa.starts_at, pa.ends_at, ps.break_minutes
    FROM published_assignments pa
    JOIN published_shifts ps ON ps.shift_id = pa.shift_id AND ps.week_id = pa.week_id
    JOIN schedule_weeks w ON w.id = ps.week_id AND w.status = 'published'
    JOIN users u ON u.id = pa.user_id
    WHERE ps.location_id = $1 AND ps.local_date BETWEEN $2 AND $3 AND pa.cancelled_at IS NULL
    ORDER BY name, pa.user_id, pa.starts_at";

const HOURS_CORRECTIONS: &str = "
    SELECT c.user_id, u.first_name || ' ' || u.last_name AS name, c.shift_date, c.delta_shifts,
           c.delta_planned_minutes, c.delta_night_minutes, c.delta_sunday_minutes, c.reason
    FROM hours_corrections c JOIN users u ON u.id = c.user_id
    WHERE c.location_id = $1 AND c.made_on BETWEEN $2 AND $3
    ORDER BY c.made_at, name, c.shift_date, c.id";

/// Sums consecutive shifts of one person (the rows come ordered by person) into one `Planned` line.
fn planned_lines(rows: RowStream<WorkedShift>, tz: chrono_tz::Tz) -> RowStream<HoursLine> {
    struct State {
        rows: RowStream<WorkedShift>,
        current: Option<(Uuid, String, HoursFigures)>,
        done: bool,
    }
    let line =
        |(person_id, person_name, figures): (Uuid, String, HoursFigures)| HoursLine::Planned {
            person_id,
            person_name,
            figures,
        };
    let state = State {
        rows,
        current: None,
        done: false,
    };
    Box::pin(stream::unfold(state, move |mut state| async move {
        if state.done {
            return None;
        }
        loop {
            match state.rows.next().await {
                Some(Ok(shift)) => {
                    let figures = shift.times.figures(tz);
                    match &mut state.current {
                        Some((id, _, sum)) if *id == shift.person_id => *sum += figures,
                        _ => {
                            let finished = state.current.replace((
                                shift.person_id,
                                shift.person_name,
                                figures,
                            ));
                            if let Some(finished) = finished {
                                return Some((Ok(line(finished)), state));
                            }
                        }
                    }
                }
                Some(Err(error)) => {
                    state.done = true;
                    return Some((Err(error), state));
                }
                None => {
                    state.done = true;
                    let last = state.current.take()?;
                    return Some((Ok(line(last)), state));
                }
            }
        }
    }))
}

fn audit_entry(row: &Row) -> StoreResult<AuditEntry> {
    let details: serde_json::Value = row.get("details");
    let details: BTreeMap<String, String> = match details {
        serde_json::Value::Object(map) => map
            .into_iter()
            .map(|(k, v)| match v {
                serde_json::Value::String(s) => (k, s),
                other => (k, other.to_string()),
            })
            .collect(),
        _ => BTreeMap::new(),
    };
    let subject = match (
        row.get::<_, Option<String>>("subject_type"),
        row.get::<_, Option<Uuid>>("subject_id"),
    ) {
        (Some(kind), Some(id)) => Some((
            kind,
            NamedRef {
                id,
                name: row.get("subject_name"),
            },
        )),
        _ => None,
    };
    Ok(AuditEntry {
        id: row.get("event_id"),
        occurred_at: row.get("occurred_at"),
        action: row.get("action"),
        actor: row.get::<_, Option<Uuid>>("actor_id").map(|id| NamedRef {
            id,
            name: row.get("actor_name"),
        }),
        subject,
        location: row.get::<_, Option<Uuid>>("location_id").map(|id| {
            (
                id,
                row.get::<_, Option<String>>("location_name")
                    .unwrap_or_default(),
            )
        }),
        ip: row.get("ip"),
        details,
    })
}

/// The audit rows of a filter, newest first; `$8`/`$9` the keyset position, `$10` the limit (`NULL`: all).
const AUDIT_ROWS: &str = "
    SELECT a.event_id, a.occurred_at, a.action, a.actor_id, au.first_name || ' ' || au.last_name AS actor_name,
           a.subject_type, a.subject_id, su.first_name || ' ' || su.last_name AS subject_name,
           a.location_id, l.name AS location_name, host(a.ip) AS ip, a.details
    FROM audit_log a
    LEFT JOIN users au ON au.id = a.actor_id
    LEFT JOIN users su ON su.id = a.subject_id
    LEFT JOIN locations l ON l.id = a.location_id
    WHERE ($1::uuid[] IS NULL OR a.location_id = ANY($1))
      AND ($2::uuid IS NULL OR a.actor_id = $2)
      AND ($3::text IS NULL OR a.action = $3 OR (right($3, 1) = '.' AND starts_with(a.action, $3)))
      AND ($4::uuid IS NULL OR a.subject_id = $4)
      AND ($5::uuid IS NULL OR a.location_id = $5)
      AND ($6::timestamptz IS NULL OR a.occurred_at >= $6)
      AND ($7::timestamptz IS NULL OR a.occurred_at < $7)
      AND ($8::timestamptz IS NULL OR (a.occurred_at, a.event_id) < ($8, $9::uuid))
    ORDER BY a.occurred_at DESC, a.event_id DESC
    LIMIT $10";

fn audit_params(
    filter: &AuditFilter,
    after: Option<(DateTime<Utc>, Uuid)>,
    limit: Option<i64>,
) -> Vec<Param> {
    vec![
        Box::new(scope_param(&filter.scope)),
        Box::new(filter.actor),
        Box::new(filter.action.clone()),
        Box::new(filter.subject),
        Box::new(filter.location),
        Box::new(filter.from),
        Box::new(filter.to),
        Box::new(after.map(|(at, _)| at)),
        Box::new(after.map(|(_, id)| id)),
        Box::new(limit),
    ]
}

const APPLICATIONS: &str = "
    SELECT a.id, u.first_name || ' ' || u.last_name AS applicant_name, u.email, l.name AS location,
           a.position, a.source, a.status, a.created_at,
           COALESCE((SELECT max(h.created_at) FROM application_status_history h WHERE h.application_id = a.id),
                    a.created_at) AS status_changed_at,
           (SELECT count(*) FROM notes n
             WHERE n.subject_id = a.applicant_id
               AND ($7::text = 'administrator' OR n.author_id = $8 OR $7::text = ANY(n.visible_roles))) AS notes,
           (SELECT count(*) FROM documents d WHERE d.owner_id = a.applicant_id) AS documents
    FROM applications a JOIN users u ON u.id = a.applicant_id JOIN locations l ON l.id = a.location_id
    WHERE ($1::uuid[] IS NULL OR a.location_id = ANY($1))
      AND ($2::uuid IS NULL OR a.location_id = $2)
      AND ($3::text IS NULL OR a.status = $3)
      AND ($4::text IS NULL OR a.source = $4)
      AND ($5::date IS NULL OR (a.created_at AT TIME ZONE l.timezone)::date >= $5)
      AND ($6::date IS NULL OR (a.created_at AT TIME ZONE l.timezone)::date <= $6)
    ORDER BY a.created_at DESC, a.id";

fn application_line(row: &Row) -> StoreResult<ApplicationLine> {
    Ok(ApplicationLine {
        id: row.get("id"),
        applicant_name: row.get("applicant_name"),
        email: row.get("email"),
        location: row.get("location"),
        position: row.get("position"),
        source: row.get("source"),
        status: row.get("status"),
        applied_at: row.get("created_at"),
        status_changed_at: row.get("status_changed_at"),
        notes: row.get("notes"),
        documents: row.get("documents"),
    })
}

fn hours_lock(row: &Row) -> HoursLock {
    HoursLock {
        period: LockedPeriod {
            id: row.get("id"),
            from: row.get("first_day"),
            to: row.get("last_day"),
        },
        locked_at: row.get("locked_at"),
        locked_by: NamedRef {
            id: row.get("locked_by"),
            name: row.get("locked_by_name"),
        },
    }
}

const LOCK_COLUMNS: &str = "h.id, h.first_day, h.last_day, h.locked_at, h.locked_by,
    u.first_name || ' ' || u.last_name AS locked_by_name";

/// Takes the location's hours-lock advisory lock for the transaction: exclusively to create a lock, shared
/// to act on the strength of the locks read after it.
pub(crate) async fn hours_lock_guard(
    tx: &impl GenericClient,
    location: Uuid,
    exclusive: bool,
) -> StoreResult<()> {
    let sql = if exclusive {
        "SELECT pg_advisory_xact_lock(hashtextextended('hours_lock:' || $1::uuid::text, 0))"
    } else {
        "SELECT pg_advisory_xact_lock_shared(hashtextextended('hours_lock:' || $1::uuid::text, 0))"
    };
    tx.execute(sql, &[&location]).await.map_err(db_error)?;
    Ok(())
}

/// The location's locks that overlap `[from, to]`.
pub(crate) async fn locks_overlapping(
    client: &impl GenericClient,
    location: Uuid,
    from: NaiveDate,
    to: NaiveDate,
) -> StoreResult<Vec<LockedPeriod>> {
    let rows = client
        .q(
            "SELECT id, first_day, last_day FROM hours_locks
             WHERE location_id = $1 AND daterange(first_day, last_day, '[]') && daterange($2, $3, '[]')
             ORDER BY first_day",
            &[&location, &from, &to],
        )
        .await
        .map_err(db_error)?;
    Ok(rows
        .iter()
        .map(|r| LockedPeriod {
            id: r.get("id"),
            from: r.get("first_day"),
            to: r.get("last_day"),
        })
        .collect())
}

#[async_trait]
impl ExportStore for PgStore {
    async fn hours(
        &self,
        location: &NamedLocation,
        from: NaiveDate,
        to: NaiveDate,
    ) -> StoreResult<RowStream<HoursLine>> {
        let tz = zone(&location.timezone);
        let shifts = stream_query(
            self.client().await?,
            HOURS_SHIFTS,
            vec![Box::new(location.id), Box::new(from), Box::new(to)],
            worked_shift,
        )
        .await?;
        let store = self.clone();
        let location = location.id;
        let corrections = stream::once(async move {
            let client = store.client().await?;
            let rows = client
                .q(HOURS_CORRECTIONS, &[&location, &from, &to])
                .await
                .map_err(db_error)?;
            Ok::<_, StoreError>(
                rows.iter()
                    .map(|row| HoursLine::Correction {
                        person_id: row.get("user_id"),
                        person_name: row.get("name"),
                        shift_date: row.get("shift_date"),
                        delta: figures(row),
                        reason: row.get("reason"),
                    })
                    .collect::<Vec<_>>(),
            )
        })
        .flat_map(|loaded| {
            stream::iter(match loaded {
                Ok(lines) => lines.into_iter().map(Ok).collect::<Vec<_>>(),
                Err(error) => vec![Err(error)],
            })
        });
        Ok(Box::pin(planned_lines(shifts, tz).chain(corrections)))
    }

    async fn applications(
        &self,
        filter: &ApplicationsFilter,
    ) -> StoreResult<RowStream<ApplicationLine>> {
        stream_query(
            self.client().await?,
            APPLICATIONS,
            vec![
                Box::new(scope_param(&filter.scope)),
                Box::new(filter.location),
                Box::new(filter.status.map(|s| s.as_str().to_string())),
                Box::new(filter.source.map(|s| s.as_str().to_string())),
                Box::new(filter.from),
                Box::new(filter.to),
                Box::new(filter.viewer.1.as_str().to_string()),
                Box::new(filter.viewer.0),
            ],
            application_line,
        )
        .await
    }

    async fn audit_rows(&self, filter: &AuditFilter) -> StoreResult<RowStream<AuditEntry>> {
        stream_query(
            self.client().await?,
            AUDIT_ROWS,
            audit_params(filter, None, None),
            audit_entry,
        )
        .await
    }

    async fn audit_page(
        &self,
        filter: &AuditFilter,
        page: PageRequest,
    ) -> StoreResult<Page<AuditEntry>> {
        let client = self.client().await?;
        let limit = i64::from(page.limit);
        let params = audit_params(filter, page.after, Some(limit + 1));
        let refs: Vec<&(dyn ToSql + Sync)> =
            params.iter().map(|p| &**p as &(dyn ToSql + Sync)).collect();
        let rows = client.q(AUDIT_ROWS, &refs).await.map_err(db_error)?;
        let mut items = rows
            .iter()
            .map(audit_entry)
            .collect::<StoreResult<Vec<_>>>()?;
        let next = if items.len() > page.limit as usize {
            items.truncate(page.limit as usize);
            items.last().map(|e| (e.occurred_at, e.id))
        } else {
            None
        };
        Ok(Page { items, next })
    }

    async fn lock_hours(
        &self,
        location: Uuid,
        period: LockedPeriod,
        actor: Uuid,
        audit: AuditEvent,
    ) -> StoreResult<HoursLock> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(db_error)?;
        hours_lock_guard(&tx, location, true).await?;
        let inserted = tx
            .execute(
                "INSERT INTO hours_locks (id, location_id, first_day, last_day, locked_by)
                 VALUES ($1, $2, $3, $4, $5)",
                &[&period.id, &location, &period.from, &period.to, &actor],
            )
            .await;
        match inserted {
            Ok(_) => {}
            Err(e) if e.code() == Some(&SqlState::EXCLUSION_VIOLATION) => {
                return Err(StoreError::Conflict("period"))
            }
            Err(e) => return Err(db_error(e)),
        }
        let row = tx
            .q_one(
                &format!(
                    "SELECT {LOCK_COLUMNS} FROM hours_locks h LEFT JOIN users u ON u.id = h.locked_by
                     WHERE h.id = $1"
                ),
                &[&period.id],
            )
            .await
            .map_err(db_error)?;
        insert_audit(&tx, &audit).await?;
        tx.commit().await.map_err(db_error)?;
        Ok(hours_lock(&row))
    }

    async fn hours_locks(&self, location: Uuid) -> StoreResult<Vec<HoursLock>> {
        let client = self.client().await?;
        let rows = client
            .q(
                &format!(
                    "SELECT {LOCK_COLUMNS} FROM hours_locks h LEFT JOIN users u ON u.id = h.locked_by
                     WHERE h.location_id = $1 ORDER BY h.locked_at DESC, h.id"
                ),
                &[&location],
            )
            .await
            .map_err(db_error)?;
        Ok(rows.iter().map(hours_lock).collect())
    }
}

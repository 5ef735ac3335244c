//! The PostgreSQL store: one pool, implementing every relational port, plus the error mapping they share.

use std::sync::Arc;

use crewplots_domain::accounts::AuditEvent;
use crewplots_domain::hiring::PersonRef;
use crewplots_domain::ports::StoreError;
use crewplots_domain::Role;
use deadpool_postgres::GenericClient;
use deadpool_postgres::{Object, Pool};
use tokio_postgres::error::SqlState;

use crate::shared::SharedConnection;

/// Implements the relational ports of `crewplots_domain::ports` on a connection pool.
#[derive(Debug, Clone)]
pub struct PgStore {
    pool: Pool,
    /// Where the per-request user read runs, for a store of one HTTP worker.
    user_reads: Option<Arc<SharedConnection>>,
}

impl PgStore {
    pub fn new(pool: Pool) -> Self {
        Self {
            pool,
            user_reads: None,
        }
    }

    /// The store of one HTTP worker: its per-request user reads share one pipelined connection (see
    /// [`crate::shared`]), which stays out of the pool while the store lives, so size the pool one larger.
    pub fn for_requests(pool: Pool) -> Self {
        Self {
            user_reads: Some(Arc::new(SharedConnection::new(pool.clone()))),
            pool,
        }
    }

    pub(crate) async fn client(&self) -> Result<Object, StoreError> {
        pooled(&self.pool).await
    }

    /// A connection for the user read of a request: the shared one of a worker's store, else a pooled one.
    pub(crate) async fn user_reader(&self) -> Result<Arc<Object>, StoreError> {
        match &self.user_reads {
            Some(shared) => shared.get().await,
            None => Ok(Arc::new(self.client().await?)),
        }
    }
}

pub(crate) async fn pooled(pool: &Pool) -> Result<Object, StoreError> {
    pool.get()
        .await
        .map_err(|e| StoreError::Unavailable(format!("no PostgreSQL connection: {e}")))
}

/// Maps a driver error: lost connections, terminated backends and statements stopped at their deadline (by
/// the server's `statement_timeout`, or by the client's watch closing the connection) become
/// `Unavailable`, unique violations a `Conflict` naming the field, everything else `Other`.
pub(crate) fn db_error(error: tokio_postgres::Error) -> StoreError {
    if let Some(db) = error.as_db_error() {
        if db.code() == &SqlState::UNIQUE_VIOLATION {
            let field = match db.constraint() {
                Some("users_username_key") => "username",
                Some("users_email_key") => "email",
                Some("locations_application_code_key") => "applicationCode",
                Some("applications_open_key") => "application",
                Some("positions_name_key")
                | Some("competencies_name_key")
                | Some("week_templates_name_key") => "name",
                Some("schedule_weeks_location_id_iso_year_iso_week_key") => "week",
                Some("user_locations_pkey") => "crew",
                _ => "value",
            };
            return StoreError::Conflict(field);
        }
        if db.code() == &SqlState::EXCLUSION_VIOLATION {
            return StoreError::Conflict("overlap");
        }
        if db.code() == &SqlState::FOREIGN_KEY_VIOLATION {
            return StoreError::NotFound;
        }
        if db.code() == &SqlState::CHARACTER_NOT_IN_REPERTOIRE
            || db.code() == &SqlState::UNTRANSLATABLE_CHARACTER
        {
            return StoreError::UnstorableText;
        }
        // Class 57 (operator intervention: a statement cancelled at its deadline, a server shutting down or
        // restarting, a backend terminated) and class 08 (connection exceptions) are the store being
        // unavailable, not a fault of the request.
        let code = db.code().code();
        if code.starts_with("57") || code.starts_with("08") {
            return StoreError::Unavailable(format!("statement stopped: {}", db.message()));
        }
        return StoreError::Other(format!("{}: {}", db.code().code(), db.message()));
    }
    if error.is_closed() || error.to_string().contains("connection") {
        return StoreError::Unavailable(error.to_string());
    }
    StoreError::Other(error.to_string())
}

/// Writes an audit line through any client (pool connection or open transaction).
pub(crate) async fn insert_audit(
    client: &impl GenericClient,
    event: &AuditEvent,
) -> Result<(), StoreError> {
    let details: serde_json::Map<String, serde_json::Value> = event
        .details
        .iter()
        .map(|(k, v)| ((*k).to_string(), serde_json::Value::String(v.clone())))
        .collect();
    let ip = event.ip.map(|ip| ip.to_string());
    client
        .execute(
            "INSERT INTO audit_log (actor_id, action, subject_type, subject_id, location_id, ip, details)
             VALUES ($1, $2, $3, $4, $5, $6::TEXT::INET, $7)",
            &[
                &event.actor_id,
                &event.action,
                &event.subject_type,
                &event.subject_id,
                &event.location_id,
                &ip,
                &serde_json::Value::Object(details),
            ],
        )
        .await
        .map_err(db_error)?;
    Ok(())
}

/// A person named next to something, from the columns `id`, `name` and `role` (as aliased by the query).
pub(crate) fn person_ref(row: &tokio_postgres::Row) -> Result<PersonRef, StoreError> {
    let role: String = row.get("role");
    Ok(PersonRef {
        id: row.get("id"),
        name: row.get("name"),
        role: Role::parse(&role)
            .ok_or_else(|| StoreError::Other(format!("unknown role {role}")))?,
    })
}

/// Queries through the connection's statement cache: hot, fixed-shape statements (the week grid, the
/// eligible list, assignments) are parsed and planned once per connection instead of on every request —
/// measured on the grid, planning took longer than executing.
pub(crate) trait CachedQuery: GenericClient {
    async fn q(
        &self,
        sql: &str,
        params: &[&(dyn tokio_postgres::types::ToSql + Sync)],
    ) -> Result<Vec<tokio_postgres::Row>, tokio_postgres::Error> {
        let statement = self.prepare_cached(sql).await?;
        self.query(&statement, params).await
    }

    async fn q_opt(
        &self,
        sql: &str,
        params: &[&(dyn tokio_postgres::types::ToSql + Sync)],
    ) -> Result<Option<tokio_postgres::Row>, tokio_postgres::Error> {
        let statement = self.prepare_cached(sql).await?;
        self.query_opt(&statement, params).await
    }

    async fn q_one(
        &self,
        sql: &str,
        params: &[&(dyn tokio_postgres::types::ToSql + Sync)],
    ) -> Result<tokio_postgres::Row, tokio_postgres::Error> {
        let statement = self.prepare_cached(sql).await?;
        self.query_one(&statement, params).await
    }
}

impl<T: GenericClient> CachedQuery for T {}

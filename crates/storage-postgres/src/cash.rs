//! Cash counts, their lines, receipts and the locations' cash settings ([`CashStore`]).
//!
//! Invariants:
//! - Conflicts are decided by the database: the submitter's idempotency key, one original count per
//!   location/date/type and one correction per count are unique keys; a decision and a receipt take the
//!   count's row lock and act on the state read under it, and a correction locks the count it corrects, so
//!   a count is never approved while a correction replaces it.
//! - A decided count never changes (trigger `cash_counts_frozen`); lines never change.
//! - A count and its lines are read in a fixed number of queries whatever the number of counts (one for
//!   the counts, one for all their lines).

use std::collections::HashMap;

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use crewplots_domain::accounts::{AuditEvent, Page, PageRequest};
use crewplots_domain::cash::ports::{CashStore, CountFilter, InsertConflict, ReceiptRefused};
use crewplots_domain::cash::rules::{self, Decision, DecisionRefused, DEFAULT_TOLERANCE_CENTS};
use crewplots_domain::cash::{
    CashCount, CashLine, CashReceipt, CashSettings, CashState, CountType, ExpectedBasis,
    ExpectedSource, NewCashCount,
};
use crewplots_domain::documents::SniffedType;
use crewplots_domain::exports::NamedRef;
use crewplots_domain::ports::{StoreError, StoreResult};
use deadpool_postgres::GenericClient;
use tokio_postgres::error::SqlState;
use tokio_postgres::Row;
use uuid::Uuid;

use crate::store::{db_error, insert_audit, CachedQuery, PgStore};

const COUNT_COLUMNS: &str = "
    c.id, c.location_id, c.count_type, c.business_date, c.counted_cents, c.card_total_cents, c.float_cents,
    c.cash_takings_cents, c.expected_cents, c.expected_source, c.discrepancy_cents, c.tolerance_cents, c.note,
    c.state, c.corrects, c.counted_by, c.counted_at, c.client_key, c.decided_by, c.decided_at,
    c.decision_reason,
    (SELECT n.id FROM cash_counts n WHERE n.corrects = c.id) AS corrected_by,
    cu.first_name || ' ' || cu.last_name AS counted_by_name,
    du.first_name || ' ' || du.last_name AS decided_by_name,
    r.id AS receipt_id, r.content_type AS receipt_type, r.size_bytes AS receipt_size,
    r.gridfs_id AS receipt_gridfs_id, r.uploaded_by AS receipt_uploaded_by,
    r.uploaded_at AS receipt_uploaded_at";

const COUNT_FROM: &str = "
    FROM cash_counts c
    LEFT JOIN users cu ON cu.id = c.counted_by
    LEFT JOIN users du ON du.id = c.decided_by
    LEFT JOIN cash_count_receipts r ON r.count_id = c.id";

/// Effective (not corrected) counts only.
const EFFECTIVE: &str = "NOT EXISTS (SELECT 1 FROM cash_counts n WHERE n.corrects = c.id)";

fn unknown(what: &str, value: &str) -> StoreError {
    StoreError::Other(format!("unknown {what} {value}"))
}

fn count_row(row: &Row, lines: Vec<CashLine>) -> StoreResult<CashCount> {
    let count_type: String = row.get("count_type");
    let state: String = row.get("state");
    let source: String = row.get("expected_source");
    let receipt = match row.get::<_, Option<Uuid>>("receipt_id") {
        None => None,
        Some(id) => {
            let mime: String = row.get("receipt_type");
            Some(CashReceipt {
                id,
                content_type: SniffedType::from_mime(&mime)
                    .ok_or_else(|| unknown("content type", &mime))?,
                size_bytes: row.get("receipt_size"),
                gridfs_id: row.get("receipt_gridfs_id"),
                uploaded_by: row.get("receipt_uploaded_by"),
                uploaded_at: row.get("receipt_uploaded_at"),
            })
        }
    };
    Ok(CashCount {
        id: row.get("id"),
        location_id: row.get("location_id"),
        count_type: CountType::parse(&count_type)
            .ok_or_else(|| unknown("count type", &count_type))?,
        business_date: row.get("business_date"),
        lines,
        counted_cents: row.get("counted_cents"),
        card_total_cents: row.get("card_total_cents"),
        float_cents: row.get("float_cents"),
        cash_takings_cents: row.get("cash_takings_cents"),
        expected_cents: row.get("expected_cents"),
        expected_source: ExpectedSource::parse(&source)
            .ok_or_else(|| unknown("expected source", &source))?,
        discrepancy_cents: row.get("discrepancy_cents"),
        tolerance_cents: row.get("tolerance_cents"),
        note: row.get("note"),
        state: CashState::parse(&state).ok_or_else(|| unknown("state", &state))?,
        corrects: row.get("corrects"),
        corrected_by: row.get("corrected_by"),
        counted_by: NamedRef {
            id: row.get("counted_by"),
            name: row.get("counted_by_name"),
        },
        counted_at: row.get("counted_at"),
        client_key: row.get("client_key"),
        decided_by: row.get::<_, Option<Uuid>>("decided_by").map(|id| NamedRef {
            id,
            name: row.get("decided_by_name"),
        }),
        decided_at: row.get("decided_at"),
        decision_reason: row.get("decision_reason"),
        receipt,
    })
}

/// The counts of these rows with their lines (one query for all lines).
async fn with_lines(client: &impl GenericClient, rows: &[Row]) -> StoreResult<Vec<CashCount>> {
    let ids: Vec<Uuid> = rows.iter().map(|r| r.get("id")).collect();
    let mut lines: HashMap<Uuid, Vec<CashLine>> = HashMap::new();
    if !ids.is_empty() {
        let line_rows = client
            .q(
                "SELECT count_id, denomination, quantity FROM cash_count_lines
                 WHERE count_id = ANY($1) ORDER BY count_id, denomination DESC",
                &[&ids],
            )
            .await
            .map_err(db_error)?;
        for row in line_rows {
            lines
                .entry(row.get("count_id"))
                .or_default()
                .push(CashLine {
                    denomination: row.get("denomination"),
                    quantity: row.get("quantity"),
                });
        }
    }
    rows.iter()
        .map(|row| {
            count_row(
                row,
                lines.remove(&row.get::<_, Uuid>("id")).unwrap_or_default(),
            )
        })
        .collect()
}

async fn one_count(client: &impl GenericClient, id: Uuid) -> StoreResult<Option<CashCount>> {
    let rows = client
        .q(
            &format!("SELECT {COUNT_COLUMNS} {COUNT_FROM} WHERE c.id = $1"),
            &[&id],
        )
        .await
        .map_err(db_error)?;
    Ok(with_lines(client, &rows).await?.into_iter().next())
}

fn settings_row(location: Uuid, row: Option<&Row>) -> CashSettings {
    match row {
        Some(row) => CashSettings {
            location_id: location,
            tolerance_cents: row.get("tolerance_cents"),
            updated_by: Some(NamedRef {
                id: row.get("updated_by"),
                name: row.get("updated_by_name"),
            }),
            updated_at: row.get("updated_at"),
        },
        None => CashSettings {
            location_id: location,
            tolerance_cents: DEFAULT_TOLERANCE_CENTS,
            updated_by: None,
            updated_at: None,
        },
    }
}

const SETTINGS: &str = "
    SELECT s.tolerance_cents, s.updated_by, s.updated_at, u.first_name || ' ' || u.last_name AS updated_by_name
    FROM cash_settings s LEFT JOIN users u ON u.id = s.updated_by WHERE s.location_id = $1";

#[async_trait]
impl CashStore for PgStore {
    async fn settings(&self, location: Uuid) -> StoreResult<CashSettings> {
        let client = self.client().await?;
        let row = client
            .q_opt(SETTINGS, &[&location])
            .await
            .map_err(db_error)?;
        Ok(settings_row(location, row.as_ref()))
    }

    async fn put_settings(
        &self,
        location: Uuid,
        tolerance_cents: i64,
        actor: Uuid,
        audit: AuditEvent,
    ) -> StoreResult<CashSettings> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(db_error)?;
        tx.execute(
            "INSERT INTO cash_settings (location_id, tolerance_cents, updated_by) VALUES ($1, $2, $3)
             ON CONFLICT (location_id) DO UPDATE
             SET tolerance_cents = EXCLUDED.tolerance_cents, updated_by = EXCLUDED.updated_by, updated_at = now()",
            &[&location, &tolerance_cents, &actor],
        )
        .await
        .map_err(db_error)?;
        insert_audit(&tx, &audit).await?;
        let row = tx.q_opt(SETTINGS, &[&location]).await.map_err(db_error)?;
        tx.commit().await.map_err(db_error)?;
        Ok(settings_row(location, row.as_ref()))
    }

    async fn count(&self, id: Uuid) -> StoreResult<Option<CashCount>> {
        let client = self.client().await?;
        one_count(&client, id).await
    }

    async fn by_client_key(&self, counted_by: Uuid, key: Uuid) -> StoreResult<Option<CashCount>> {
        let client = self.client().await?;
        let rows = client
            .q(
                &format!(
                    "SELECT {COUNT_COLUMNS} {COUNT_FROM} WHERE c.counted_by = $1 AND c.client_key = $2"
                ),
                &[&counted_by, &key],
            )
            .await
            .map_err(db_error)?;
        Ok(with_lines(&client, &rows).await?.into_iter().next())
    }

    async fn basis(
        &self,
        location: Uuid,
        count_type: CountType,
        date: NaiveDate,
    ) -> StoreResult<ExpectedBasis> {
        let client = self.client().await?;
        let previous = client
            .q_opt(
                &format!(
                    "SELECT c.id, c.float_cents FROM cash_counts c
                     WHERE c.location_id = $1 AND c.count_type = 'closing' AND c.business_date < $2
                       AND {EFFECTIVE}
                     ORDER BY c.business_date DESC, c.counted_at DESC LIMIT 1"
                ),
                &[&location, &date],
            )
            .await
            .map_err(db_error)?;
        let opening = if count_type == CountType::Opening {
            None
        } else {
            client
                .q_opt(
                    &format!(
                        "SELECT c.id, c.counted_cents FROM cash_counts c
                         WHERE c.location_id = $1 AND c.count_type = 'opening' AND c.business_date = $2
                           AND {EFFECTIVE}
                         ORDER BY c.counted_at DESC LIMIT 1"
                    ),
                    &[&location, &date],
                )
                .await
                .map_err(db_error)?
        };
        Ok(ExpectedBasis {
            previous_closing: previous.map(|r| (r.get("id"), r.get("float_cents"))),
            opening: opening.map(|r| (r.get("id"), r.get("counted_cents"))),
        })
    }

    async fn insert(
        &self,
        count: NewCashCount,
        audit: AuditEvent,
    ) -> StoreResult<Result<CashCount, InsertConflict>> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(db_error)?;
        if let Some(original) = count.corrects {
            // The lock a decision takes too: a count is never decided while a correction replaces it.
            tx.q_opt(
                "SELECT id FROM cash_counts WHERE id = $1 FOR UPDATE",
                &[&original],
            )
            .await
            .map_err(db_error)?
            .ok_or(StoreError::NotFound)?;
        }
        let inserted = tx
            .execute(
                "INSERT INTO cash_counts (id, location_id, count_type, business_date, counted_cents,
                    card_total_cents, float_cents, cash_takings_cents, expected_cents, expected_source,
                    discrepancy_cents, tolerance_cents, note, corrects, counted_by, client_key)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)",
                &[
                    &count.id,
                    &count.location_id,
                    &count.count_type.as_str(),
                    &count.business_date,
                    &count.counted_cents,
                    &count.card_total_cents,
                    &count.float_cents,
                    &count.cash_takings_cents,
                    &count.expected_cents,
                    &count.expected_source.as_str(),
                    &count.discrepancy_cents,
                    &count.tolerance_cents,
                    &count.note,
                    &count.corrects,
                    &count.counted_by,
                    &count.client_key,
                ],
            )
            .await;
        if let Err(error) = inserted {
            let constraint = error
                .as_db_error()
                .filter(|db| db.code() == &SqlState::UNIQUE_VIOLATION)
                .and_then(|db| db.constraint().map(str::to_string));
            drop(tx);
            return match constraint.as_deref() {
                Some("cash_counts_client_key") => Ok(Err(InsertConflict::ClientKey)),
                Some("cash_counts_corrects_key") => Ok(Err(InsertConflict::AlreadyCorrected)),
                Some("cash_counts_original_key") => {
                    let row = client
                        .q_opt(
                            "SELECT id FROM cash_counts WHERE location_id = $1 AND business_date = $2
                               AND count_type = $3 AND corrects IS NULL",
                            &[
                                &count.location_id,
                                &count.business_date,
                                &count.count_type.as_str(),
                            ],
                        )
                        .await
                        .map_err(db_error)?;
                    Ok(Err(InsertConflict::CountExists(
                        row.map_or(Uuid::nil(), |r| r.get("id")),
                    )))
                }
                _ => Err(db_error(error)),
            };
        }
        let (denominations, quantities): (Vec<i64>, Vec<i64>) = count
            .lines
            .iter()
            .map(|l| (l.denomination, l.quantity))
            .unzip();
        tx.execute(
            "INSERT INTO cash_count_lines (count_id, denomination, quantity)
             SELECT $1, d, q FROM UNNEST($2::BIGINT[], $3::BIGINT[]) AS t (d, q)",
            &[&count.id, &denominations, &quantities],
        )
        .await
        .map_err(db_error)?;
        insert_audit(&tx, &audit).await?;
        let stored = one_count(&tx, count.id)
            .await?
            .ok_or(StoreError::NotFound)?;
        tx.commit().await.map_err(db_error)?;
        Ok(Ok(stored))
    }

    async fn decide(
        &self,
        id: Uuid,
        decision: &Decision,
        actor: Uuid,
        audit: AuditEvent,
    ) -> StoreResult<Result<CashCount, DecisionRefused>> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(db_error)?;
        let row = tx
            .q_opt(
                "SELECT state FROM cash_counts WHERE id = $1 FOR UPDATE",
                &[&id],
            )
            .await
            .map_err(db_error)?
            .ok_or(StoreError::NotFound)?;
        let state: String = row.get("state");
        let state = CashState::parse(&state).ok_or_else(|| unknown("state", &state))?;
        // A statement of its own after the lock: it sees a correction committed while we waited.
        let corrected_by: Option<Uuid> = tx
            .q_opt("SELECT id FROM cash_counts WHERE corrects = $1", &[&id])
            .await
            .map_err(db_error)?
            .map(|r| r.get("id"));
        let target = match rules::decide(state, corrected_by, decision) {
            Ok(target) => target,
            Err(refused) => return Ok(Err(refused)),
        };
        tx.execute(
            "UPDATE cash_counts SET state = $2, decided_by = $3, decided_at = now(), decision_reason = $4
             WHERE id = $1 AND state = 'submitted'",
            &[&id, &target.as_str(), &actor, &decision.reason()],
        )
        .await
        .map_err(db_error)?;
        insert_audit(&tx, &audit).await?;
        let stored = one_count(&tx, id).await?.ok_or(StoreError::NotFound)?;
        tx.commit().await.map_err(db_error)?;
        Ok(Ok(stored))
    }

    async fn list(&self, filter: &CountFilter, page: PageRequest) -> StoreResult<Page<CashCount>> {
        let client = self.client().await?;
        let limit = i64::from(page.limit.clamp(1, 200));
        let (after_at, after_id): (Option<DateTime<Utc>>, Option<Uuid>) = match page.after {
            Some((at, id)) => (Some(at), Some(id)),
            None => (None, None),
        };
        let state = filter.state.map(CashState::as_str);
        let rows = client
            .q(
                &format!(
                    "SELECT {COUNT_COLUMNS} {COUNT_FROM}
                     WHERE c.location_id = $1
                       AND ($2::DATE IS NULL OR c.business_date >= $2)
                       AND ($3::DATE IS NULL OR c.business_date <= $3)
                       AND ($4::TEXT IS NULL OR c.state = $4)
                       AND ($5::UUID IS NULL OR c.counted_by = $5)
                       AND ($6::TIMESTAMPTZ IS NULL OR (c.counted_at, c.id) < ($6, $7::UUID))
                     ORDER BY c.counted_at DESC, c.id DESC
                     LIMIT $8"
                ),
                &[
                    &filter.location,
                    &filter.from,
                    &filter.to,
                    &state,
                    &filter.counted_by,
                    &after_at,
                    &after_id,
                    &(limit + 1),
                ],
            )
            .await
            .map_err(db_error)?;
        let more = rows.len() as i64 > limit;
        let rows = &rows[..rows.len().min(limit as usize)];
        let items = with_lines(&client, rows).await?;
        let next = if more {
            items.last().map(|c| (c.counted_at, c.id))
        } else {
            None
        };
        Ok(Page { items, next })
    }

    async fn range(
        &self,
        location: Uuid,
        from: NaiveDate,
        to: NaiveDate,
    ) -> StoreResult<Vec<CashCount>> {
        let client = self.client().await?;
        let rows = client
            .q(
                &format!(
                    "SELECT {COUNT_COLUMNS} {COUNT_FROM}
                     WHERE c.location_id = $1 AND c.business_date BETWEEN $2 AND $3
                     ORDER BY c.business_date, c.counted_at, c.id"
                ),
                &[&location, &from, &to],
            )
            .await
            .map_err(db_error)?;
        with_lines(&client, &rows).await
    }

    async fn attach_receipt(
        &self,
        count: Uuid,
        receipt: CashReceipt,
        audit: AuditEvent,
    ) -> StoreResult<Result<CashReceipt, ReceiptRefused>> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(db_error)?;
        let row = tx
            .q_opt(
                "SELECT state, EXISTS (SELECT 1 FROM cash_count_receipts r WHERE r.count_id = c.id) AS has
                 FROM cash_counts c WHERE c.id = $1 FOR SHARE",
                &[&count],
            )
            .await
            .map_err(db_error)?
            .ok_or(StoreError::NotFound)?;
        if row.get::<_, String>("state") != CashState::Submitted.as_str() {
            return Ok(Err(ReceiptRefused::Decided));
        }
        if row.get::<_, bool>("has") {
            return Ok(Err(ReceiptRefused::Exists));
        }
        let inserted = tx
            .execute(
                "INSERT INTO cash_count_receipts (count_id, id, content_type, size_bytes, gridfs_id, uploaded_by,
                    uploaded_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7)",
                &[
                    &count,
                    &receipt.id,
                    &receipt.content_type.mime(),
                    &receipt.size_bytes,
                    &receipt.gridfs_id,
                    &receipt.uploaded_by,
                    &receipt.uploaded_at,
                ],
            )
            .await;
        match inserted {
            Ok(_) => {}
            Err(e) if e.code() == Some(&SqlState::UNIQUE_VIOLATION) => {
                return Ok(Err(ReceiptRefused::Exists))
            }
            Err(e) => return Err(db_error(e)),
        }
        insert_audit(&tx, &audit).await?;
        tx.commit().await.map_err(db_error)?;
        Ok(Ok(receipt))
    }
}

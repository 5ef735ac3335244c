//! Applications, status history, interviews and the board.
//!
//! Invariants kept here: every status change writes its history row in the same transaction; a change only
//! applies when the application is still in the status the caller read (`WHERE status = expected`), so of two
//! concurrent changes exactly one wins and the other sees `Conflict("status")`; interviews of one interviewer
//! are checked for overlap under a transaction-scoped advisory lock on the interviewer, so two bookings at
//! once cannot both pass the check.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use crewplots_domain::accounts::{AuditEvent, LocationRef, NewMail};
use crewplots_domain::hiring::{
    Application, ApplicationSource, ApplicationStatus, Board, BoardCard, BoardFilter, Hire,
    Interview, InterviewOutcome, InterviewSlot, InterviewStatus, NewApplication, PersonRef,
    SlotRefused, StatusChange, StatusUpdate,
};
use crewplots_domain::ports::{HiringStore, StoreError, StoreResult};
use crewplots_domain::Role;
use deadpool_postgres::GenericClient;
use tokio_postgres::types::ToSql;
use tokio_postgres::Row;
use uuid::Uuid;

use crate::accounts::insert_mail;
use crate::store::{db_error, insert_audit, PgStore};

const APPLICATION_SELECT: &str = "
    SELECT a.id, a.applicant_id, a.position, a.source, a.availability, a.status, a.letter_updated_at,
           a.created_at, a.updated_at, l.id AS loc_id, l.name AS loc_name, l.timezone AS loc_tz
    FROM applications a JOIN locations l ON l.id = a.location_id";

fn unknown(what: &str, value: &str) -> StoreError {
    StoreError::Other(format!("unknown {what} {value}"))
}

fn status(text: &str) -> StoreResult<ApplicationStatus> {
    ApplicationStatus::parse(text).ok_or_else(|| unknown("status", text))
}

fn application(row: &Row) -> StoreResult<Application> {
    let source: String = row.get("source");
    Ok(Application {
        id: row.get("id"),
        applicant_id: row.get("applicant_id"),
        location: LocationRef {
            id: row.get("loc_id"),
            name: row.get("loc_name"),
            timezone: row.get("loc_tz"),
        },
        position: row.get("position"),
        source: ApplicationSource::parse(&source).ok_or_else(|| unknown("source", &source))?,
        availability: row.get("availability"),
        status: status(row.get("status"))?,
        letter_updated_at: row.get("letter_updated_at"),
        created_at: row.get("created_at"),
        updated_at: row.get("updated_at"),
    })
}

async fn load_application(
    client: &impl GenericClient,
    id: Uuid,
) -> StoreResult<Option<Application>> {
    let row = client
        .query_opt(&format!("{APPLICATION_SELECT} WHERE a.id = $1"), &[&id])
        .await
        .map_err(db_error)?;
    row.as_ref().map(application).transpose()
}

async fn insert_history(
    client: &impl GenericClient,
    application: Uuid,
    actor: Option<Uuid>,
    from: Option<ApplicationStatus>,
    to: ApplicationStatus,
    reason: Option<&str>,
) -> StoreResult<()> {
    client
        .execute(
            "INSERT INTO application_status_history (id, application_id, actor_id, from_status, to_status, reason)
             VALUES ($1, $2, $3, $4, $5, $6)",
            &[&Uuid::new_v4(), &application, &actor, &from.map(ApplicationStatus::as_str), &to.as_str(), &reason],
        )
        .await
        .map_err(db_error)?;
    Ok(())
}

/// Applies `update` inside `tx` when the application is still in `update.expected`.
async fn apply_status(tx: &impl GenericClient, update: &StatusUpdate) -> StoreResult<Application> {
    let changed = tx
        .execute(
            "UPDATE applications SET status = $3, updated_at = now() WHERE id = $1 AND status = $2",
            &[
                &update.application_id,
                &update.expected.as_str(),
                &update.to.as_str(),
            ],
        )
        .await
        .map_err(db_error)?;
    if changed == 0 {
        return Err(match load_application(tx, update.application_id).await? {
            None => StoreError::NotFound,
            Some(_) => StoreError::Conflict("status"),
        });
    }
    insert_history(
        tx,
        update.application_id,
        Some(update.actor_id),
        Some(update.expected),
        update.to,
        update.reason.as_deref(),
    )
    .await?;
    load_application(tx, update.application_id)
        .await?
        .ok_or(StoreError::NotFound)
}

const INTERVIEW_SELECT: &str = "
    SELECT i.id, i.application_id, i.starts_at, i.ends_at, i.place, i.status, i.outcome, i.outcome_note,
           i.sequence, p.id AS interviewer_id, p.first_name || ' ' || p.last_name AS interviewer_name,
           p.role AS interviewer_role
    FROM interviews i LEFT JOIN users p ON p.id = i.interviewer_id";

fn interview(row: &Row) -> StoreResult<Interview> {
    let state: String = row.get("status");
    let interviewer = match row.get::<_, Option<Uuid>>("interviewer_id") {
        None => None,
        Some(id) => {
            let role: String = row.get("interviewer_role");
            Some(PersonRef {
                id,
                name: row.get("interviewer_name"),
                role: Role::parse(&role).ok_or_else(|| unknown("role", &role))?,
            })
        }
    };
    Ok(Interview {
        id: row.get("id"),
        application_id: row.get("application_id"),
        starts_at: row.get("starts_at"),
        ends_at: row.get("ends_at"),
        place: row.get("place"),
        interviewer,
        status: InterviewStatus::parse(&state)
            .ok_or_else(|| unknown("interview status", &state))?,
        outcome: row
            .get::<_, Option<String>>("outcome")
            .map(|o| InterviewOutcome::parse(&o).ok_or_else(|| unknown("outcome", &o)))
            .transpose()?,
        outcome_note: row.get("outcome_note"),
        sequence: row.get("sequence"),
    })
}

async fn load_interview(client: &impl GenericClient, id: Uuid) -> StoreResult<Option<Interview>> {
    let row = client
        .query_opt(&format!("{INTERVIEW_SELECT} WHERE i.id = $1"), &[&id])
        .await
        .map_err(db_error)?;
    row.as_ref().map(interview).transpose()
}

/// Locks the interviewer's calendar for this transaction and looks for a scheduled interview (other than
/// `except`) that overlaps the slot.
async fn check_slot(
    tx: &impl GenericClient,
    slot: &InterviewSlot,
    except: Option<Uuid>,
) -> StoreResult<Result<(), SlotRefused>> {
    if slot.starts_at <= Utc::now() {
        return Ok(Err(SlotRefused::InThePast));
    }
    tx.execute(
        "SELECT pg_advisory_xact_lock(hashtextextended('interviewer:' || $1::UUID::TEXT, 0))",
        &[&slot.interviewer_id],
    )
    .await
    .map_err(db_error)?;
    let clash = tx
        .query_opt(
            "SELECT id, starts_at, ends_at FROM interviews
             WHERE interviewer_id = $1 AND status = 'scheduled' AND starts_at < $3 AND ends_at > $2
               AND ($4::UUID IS NULL OR id <> $4)
             ORDER BY starts_at LIMIT 1",
            &[
                &slot.interviewer_id,
                &slot.starts_at,
                &slot.ends_at,
                &except,
            ],
        )
        .await
        .map_err(db_error)?;
    Ok(match clash {
        None => Ok(()),
        Some(row) => Err(SlotRefused::Overlap {
            other: row.get(0),
            starts_at: row.get(1),
            ends_at: row.get(2),
        }),
    })
}

/// A prepared statement from the connection's cache (planned once per connection and statement shape).
async fn cached(
    client: &deadpool_postgres::Object,
    sql: &str,
) -> StoreResult<tokio_postgres::Statement> {
    client.prepare_cached(sql).await.map_err(db_error)
}

/// The side effects every hiring command writes in its transaction: the mail (if any) and the audit line.
async fn record(
    tx: &impl GenericClient,
    mail: Option<&NewMail>,
    audit: &AuditEvent,
) -> StoreResult<()> {
    if let Some(mail) = mail {
        insert_mail(tx, mail).await?;
    }
    insert_audit(tx, audit).await
}

/// After a conditional update of interview `id` changed nothing: `NotFound`, or `Conflict("interview")` when
/// it exists but is no longer in a state the update applies to.
async fn unchanged_interview(tx: &impl GenericClient, id: Uuid) -> StoreError {
    match load_interview(tx, id).await {
        Ok(None) => StoreError::NotFound,
        Ok(Some(_)) => StoreError::Conflict("interview"),
        Err(error) => error,
    }
}

#[async_trait]
impl HiringStore for PgStore {
    async fn create_application(
        &self,
        new: NewApplication,
        mail: Option<NewMail>,
        audit: AuditEvent,
    ) -> StoreResult<Application> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(db_error)?;
        tx.execute(
            "INSERT INTO applications (id, applicant_id, location_id, position, source, availability, created_by)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
            &[
                &new.id,
                &new.applicant_id,
                &new.location_id,
                &new.position,
                &new.source.as_str(),
                &new.availability,
                &new.created_by,
            ],
        )
        .await
        .map_err(db_error)?;
        insert_history(
            &tx,
            new.id,
            Some(new.created_by),
            None,
            ApplicationStatus::New,
            None,
        )
        .await?;
        record(&tx, mail.as_ref(), &audit).await?;
        let created = load_application(&tx, new.id)
            .await?
            .ok_or(StoreError::NotFound)?;
        tx.commit().await.map_err(db_error)?;
        Ok(created)
    }

    async fn application(&self, id: Uuid) -> StoreResult<Option<Application>> {
        load_application(&self.client().await?, id).await
    }

    async fn applications_of(&self, applicant: Uuid) -> StoreResult<Vec<Application>> {
        let client = self.client().await?;
        let rows = client
            .query(
                &format!(
                    "{APPLICATION_SELECT} WHERE a.applicant_id = $1 ORDER BY a.created_at, a.id"
                ),
                &[&applicant],
            )
            .await
            .map_err(db_error)?;
        rows.iter().map(application).collect()
    }

    async fn change_status(
        &self,
        update: StatusUpdate,
        mail: Option<NewMail>,
        audit: AuditEvent,
    ) -> StoreResult<Application> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(db_error)?;
        let changed = apply_status(&tx, &update).await?;
        record(&tx, mail.as_ref(), &audit).await?;
        tx.commit().await.map_err(db_error)?;
        Ok(changed)
    }

    async fn hire(
        &self,
        update: StatusUpdate,
        hire: Hire,
        mail: Option<NewMail>,
        audit: AuditEvent,
    ) -> StoreResult<Application> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(db_error)?;
        let hired = apply_status(&tx, &update).await?;
        // Staff who applied keep their role; an applicant becomes crew.
        tx.execute(
            "UPDATE users SET role = 'crew_member', updated_at = now() WHERE id = $1 AND role = 'applicant'",
            &[&hired.applicant_id],
        )
        .await
        .map_err(db_error)?;
        let hours = hire.contracted_hours.map(|h| h.to_string());
        tx.execute(
            "INSERT INTO user_locations (user_id, location_id, position, contracted_hours, start_date, status)
             VALUES ($1, $2, $3, $4::TEXT::NUMERIC, $5, 'active')
             ON CONFLICT (user_id, location_id) DO UPDATE
               SET position = EXCLUDED.position, contracted_hours = EXCLUDED.contracted_hours,
                   start_date = EXCLUDED.start_date, status = 'active'",
            &[
                &hired.applicant_id,
                &hired.location.id,
                &hire.position,
                &hours,
                &hire.start_date,
            ],
        )
        .await
        .map_err(db_error)?;
        // The hire's position, when the venue has a position of that name, is the crew member's position
        // there for scheduling.
        tx.execute(
            "INSERT INTO crew_positions (user_id, location_id, position_id)
             SELECT $1, $2, p.id FROM positions p
             WHERE p.location_id = $2 AND lower(p.name) = lower(btrim($3)) AND NOT p.archived
             ON CONFLICT DO NOTHING",
            &[&hired.applicant_id, &hired.location.id, &hire.position],
        )
        .await
        .map_err(db_error)?;
        record(&tx, mail.as_ref(), &audit).await?;
        tx.commit().await.map_err(db_error)?;
        Ok(hired)
    }

    async fn history(&self, applications: &[Uuid]) -> StoreResult<Vec<(Uuid, StatusChange)>> {
        let client = self.client().await?;
        let rows = client
            .query(
                "SELECT h.id, h.application_id, h.from_status, h.to_status, h.reason, h.created_at,
                        u.id AS actor_id, u.first_name || ' ' || u.last_name AS actor_name, u.role AS actor_role
                 FROM application_status_history h LEFT JOIN users u ON u.id = h.actor_id
                 WHERE h.application_id = ANY($1)
                 ORDER BY h.application_id, h.created_at, h.id",
                &[&applications],
            )
            .await
            .map_err(db_error)?;
        rows.iter()
            .map(|row| {
                let actor = match row.get::<_, Option<Uuid>>("actor_id") {
                    None => None,
                    Some(id) => {
                        let role: String = row.get("actor_role");
                        Some(PersonRef {
                            id,
                            name: row.get("actor_name"),
                            role: Role::parse(&role).ok_or_else(|| unknown("role", &role))?,
                        })
                    }
                };
                Ok((
                    row.get("application_id"),
                    StatusChange {
                        id: row.get("id"),
                        from: row
                            .get::<_, Option<&str>>("from_status")
                            .map(status)
                            .transpose()?,
                        to: status(row.get("to_status"))?,
                        reason: row.get("reason"),
                        at: row.get("created_at"),
                        actor,
                    },
                ))
            })
            .collect()
    }

    async fn letter_saved(&self, application: Uuid) -> StoreResult<DateTime<Utc>> {
        let client = self.client().await?;
        let row = client
            .query_opt(
                "UPDATE applications SET letter_updated_at = now() WHERE id = $1 RETURNING letter_updated_at",
                &[&application],
            )
            .await
            .map_err(db_error)?
            .ok_or(StoreError::NotFound)?;
        Ok(row.get(0))
    }

    async fn board(&self, filter: &BoardFilter, viewer: (Uuid, Role)) -> StoreResult<Board> {
        let client = self.client().await?;
        let text = filter.text.as_deref().map(|t| {
            format!(
                "%{}%",
                t.replace('\\', "\\\\")
                    .replace('%', "\\%")
                    .replace('_', "\\_")
            )
        });
        let source = filter.source.map(ApplicationSource::as_str);
        let per_column = i64::from(filter.cards_per_column);
        let (viewer_id, viewer_role) = (viewer.0, viewer.1.as_str());
        let statuses = ApplicationStatus::ALL
            .map(ApplicationStatus::as_str)
            .to_vec();

        // The WHERE clause holds only the filters given, so each combination is one cached statement whose
        // plan fits it (a catch-all `$1 IS NULL OR …` defeats the indexes under a generic plan). The users
        // table is joined only for a text search; cards get their names after the LIMIT.
        let mut params: Vec<&(dyn ToSql + Sync)> = Vec::new();
        let mut conditions: Vec<String> = Vec::new();
        // One location (the usual board) as a plain equality, so the (location, status, created_at) index
        // delivers each column already in order and the LIMIT stops the scan.
        let single_location = match filter.locations.as_deref() {
            Some([only]) => Some(*only),
            _ => None,
        };
        if let Some(only) = &single_location {
            params.push(only);
            conditions.push(format!("a.location_id = ${}", params.len()));
        } else if let Some(locations) = &filter.locations {
            params.push(locations);
            conditions.push(format!("a.location_id = ANY(${})", params.len()));
        }
        if let Some(position) = &filter.position {
            params.push(position);
            conditions.push(format!("a.position = ${}", params.len()));
        }
        if let Some(source) = &source {
            params.push(source);
            conditions.push(format!("a.source = ${}", params.len()));
        }
        let join_users = if let Some(text) = &text {
            params.push(text);
            let n = params.len();
            conditions.push(format!(
                "(u.first_name ILIKE ${n} OR u.last_name ILIKE ${n} OR u.email ILIKE ${n}
                  OR (u.first_name || ' ' || u.last_name) ILIKE ${n})"
            ));
            "JOIN users u ON u.id = a.applicant_id"
        } else {
            ""
        };
        let location_condition = conditions
            .first()
            .filter(|_| filter.locations.is_some())
            .cloned()
            .unwrap_or_else(|| "true".into());
        let filtered = if conditions.is_empty() {
            "true".to_string()
        } else {
            conditions.join(" AND ")
        };
        let shared = params.len();

        // Query 1: every column's total.
        let totals_sql = format!(
            "SELECT a.status, count(*) FROM applications a {join_users} WHERE {filtered} GROUP BY a.status"
        );

        // Query 2: the newest `per_column` cards of each status, each status read down its own index range
        // (location, status, created_at), then names, locations and the per-card figures by index lookups:
        // at most `per_column` × 7 rows whatever the number of applications.
        let mut card_params = params.clone();
        card_params.extend([
            &per_column as &(dyn ToSql + Sync),
            &viewer_id,
            &viewer_role,
            &statuses,
        ]);
        let (limit, viewer_n, role_n, statuses_n) =
            (shared + 1, shared + 2, shared + 3, shared + 4);
        let cards_sql = format!(
            "SELECT c.*, l.name AS loc_name, l.timezone AS loc_tz,
                (SELECT p.first_name || ' ' || p.last_name FROM users p WHERE p.id = c.applicant_id) AS name,
                (SELECT count(*) FROM notes n
                  WHERE n.subject_id = c.applicant_id
                    AND (${role_n} = 'administrator' OR n.author_id = ${viewer_n}
                         OR ${role_n} = ANY(n.visible_roles))) AS notes_count,
                d.documents_count, d.documents_pending, d.documents_rejected,
                (SELECT min(i.starts_at) FROM interviews i
                  WHERE i.application_id = c.id AND i.status = 'scheduled' AND i.starts_at > now()) AS next_interview
             FROM unnest(${statuses_n}::TEXT[]) AS s(status)
             CROSS JOIN LATERAL (
               SELECT a.id, a.applicant_id, a.position, a.source, a.status, a.created_at, a.location_id
               FROM applications a {join_users}
               WHERE a.status = s.status AND {filtered}
               ORDER BY a.created_at DESC, a.id DESC
               LIMIT ${limit}) c
             JOIN locations l ON l.id = c.location_id
             CROSS JOIN LATERAL (
               SELECT count(*) AS documents_count,
                      count(*) FILTER (WHERE review_state = 'pending') AS documents_pending,
                      count(*) FILTER (WHERE review_state = 'rejected') AS documents_rejected
               FROM documents WHERE owner_id = c.applicant_id) d
             ORDER BY c.created_at DESC, c.id DESC"
        );
        // Query 3: the positions applied for in these locations, for the filter's choices.
        let positions_sql = format!(
            "SELECT DISTINCT a.position FROM applications a WHERE {location_condition} ORDER BY a.position"
        );
        let location_params: Vec<&(dyn ToSql + Sync)> = params
            .iter()
            .take(usize::from(filter.locations.is_some()))
            .copied()
            .collect();

        // The three go out together on the one connection (tokio-postgres pipelines concurrent queries), so
        // the board costs one round trip, not three.
        let (totals_statement, cards_statement, positions_statement) = tokio::try_join!(
            cached(&client, &totals_sql),
            cached(&client, &cards_sql),
            cached(&client, &positions_sql),
        )?;
        let (totals, rows, positions) = tokio::try_join!(
            client.query(&totals_statement, &params),
            client.query(&cards_statement, &card_params),
            client.query(&positions_statement, &location_params),
        )
        .map_err(db_error)?;
        let mut columns: Vec<(ApplicationStatus, i64, Vec<BoardCard>)> = ApplicationStatus::ALL
            .into_iter()
            .map(|s| (s, 0, Vec::new()))
            .collect();
        for row in &rows {
            let card_status = status(row.get("status"))?;
            let source: String = row.get("source");
            let card = BoardCard {
                id: row.get("id"),
                applicant_id: row.get("applicant_id"),
                name: row.get("name"),
                position: row.get("position"),
                source: ApplicationSource::parse(&source)
                    .ok_or_else(|| unknown("source", &source))?,
                status: card_status,
                location: LocationRef {
                    id: row.get("location_id"),
                    name: row.get("loc_name"),
                    timezone: row.get("loc_tz"),
                },
                applied_at: row.get("created_at"),
                notes_count: row.get("notes_count"),
                documents_count: row.get("documents_count"),
                documents_pending: row.get("documents_pending"),
                documents_rejected: row.get("documents_rejected"),
                next_interview: row.get("next_interview"),
            };
            if let Some(column) = columns.iter_mut().find(|c| c.0 == card_status) {
                column.2.push(card);
            }
        }
        for row in &totals {
            let total_status = status(row.get(0))?;
            if let Some(column) = columns.iter_mut().find(|c| c.0 == total_status) {
                column.1 = row.get(1);
            }
        }
        let positions = positions.iter().map(|r| r.get(0)).collect();
        Ok(Board { columns, positions })
    }

    async fn schedule_interview(
        &self,
        application: Uuid,
        id: Uuid,
        slot: InterviewSlot,
        actor: Uuid,
        mail: Option<NewMail>,
        audit: AuditEvent,
    ) -> StoreResult<Result<Interview, SlotRefused>> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(db_error)?;
        if let Err(refused) = check_slot(&tx, &slot, None).await? {
            return Ok(Err(refused));
        }
        tx.execute(
            "INSERT INTO interviews (id, application_id, starts_at, ends_at, place, interviewer_id, created_by)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
            &[
                &id,
                &application,
                &slot.starts_at,
                &slot.ends_at,
                &slot.place,
                &slot.interviewer_id,
                &actor,
            ],
        )
        .await
        .map_err(db_error)?;
        record(&tx, mail.as_ref(), &audit).await?;
        let booked = load_interview(&tx, id).await?.ok_or(StoreError::NotFound)?;
        tx.commit().await.map_err(db_error)?;
        Ok(Ok(booked))
    }

    async fn reschedule_interview(
        &self,
        id: Uuid,
        slot: InterviewSlot,
        mail: Option<NewMail>,
        audit: AuditEvent,
    ) -> StoreResult<Result<Interview, SlotRefused>> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(db_error)?;
        if let Err(refused) = check_slot(&tx, &slot, Some(id)).await? {
            return Ok(Err(refused));
        }
        let changed = tx
            .execute(
                "UPDATE interviews SET starts_at = $2, ends_at = $3, place = $4, interviewer_id = $5,
                                       sequence = sequence + 1, updated_at = now()
                 WHERE id = $1 AND status = 'scheduled'",
                &[
                    &id,
                    &slot.starts_at,
                    &slot.ends_at,
                    &slot.place,
                    &slot.interviewer_id,
                ],
            )
            .await
            .map_err(db_error)?;
        if changed == 0 {
            return Err(unchanged_interview(&tx, id).await);
        }
        record(&tx, mail.as_ref(), &audit).await?;
        let moved = load_interview(&tx, id).await?.ok_or(StoreError::NotFound)?;
        tx.commit().await.map_err(db_error)?;
        Ok(Ok(moved))
    }

    async fn cancel_interview(
        &self,
        id: Uuid,
        mail: Option<NewMail>,
        audit: AuditEvent,
    ) -> StoreResult<Interview> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(db_error)?;
        let changed = tx
            .execute(
                "UPDATE interviews SET status = 'cancelled', sequence = sequence + 1, updated_at = now()
                 WHERE id = $1 AND status = 'scheduled'",
                &[&id],
            )
            .await
            .map_err(db_error)?;
        if changed == 0 {
            return Err(unchanged_interview(&tx, id).await);
        }
        record(&tx, mail.as_ref(), &audit).await?;
        let cancelled = load_interview(&tx, id).await?.ok_or(StoreError::NotFound)?;
        tx.commit().await.map_err(db_error)?;
        Ok(cancelled)
    }

    async fn record_outcome(
        &self,
        id: Uuid,
        outcome: InterviewOutcome,
        note: Option<String>,
        audit: AuditEvent,
    ) -> StoreResult<Interview> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(db_error)?;
        let changed = tx
            .execute(
                "UPDATE interviews SET status = 'completed', outcome = $2, outcome_note = $3, updated_at = now()
                 WHERE id = $1 AND status <> 'cancelled'",
                &[&id, &outcome.as_str(), &note],
            )
            .await
            .map_err(db_error)?;
        if changed == 0 {
            return Err(unchanged_interview(&tx, id).await);
        }
        insert_audit(&tx, &audit).await?;
        let recorded = load_interview(&tx, id).await?.ok_or(StoreError::NotFound)?;
        tx.commit().await.map_err(db_error)?;
        Ok(recorded)
    }

    async fn interview(&self, id: Uuid) -> StoreResult<Option<Interview>> {
        load_interview(&self.client().await?, id).await
    }

    async fn interviews_of(&self, applications: &[Uuid]) -> StoreResult<Vec<Interview>> {
        let client = self.client().await?;
        let rows = client
            .query(
                &format!("{INTERVIEW_SELECT} WHERE i.application_id = ANY($1) ORDER BY i.starts_at, i.id"),
                &[&applications],
            )
            .await
            .map_err(db_error)?;
        rows.iter().map(interview).collect()
    }
}

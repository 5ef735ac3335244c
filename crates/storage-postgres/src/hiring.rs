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
        if let Some(mail) = &mail {
            insert_mail(&tx, mail).await?;
        }
        insert_audit(&tx, &audit).await?;
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
        if let Some(mail) = &mail {
            insert_mail(&tx, mail).await?;
        }
        insert_audit(&tx, &audit).await?;
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
        if let Some(mail) = &mail {
            insert_mail(&tx, mail).await?;
        }
        insert_audit(&tx, &audit).await?;
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
        // One query for every card and every column's total: the window numbers the cards per status and
        // counts them; the per-card figures come from index lookups on at most `per_column` × 7 rows.
        let rows = client
            .query(
                "WITH filtered AS (
                   SELECT a.id, a.applicant_id, a.position, a.source, a.status, a.created_at, a.location_id,
                          u.first_name || ' ' || u.last_name AS name,
                          row_number() OVER (PARTITION BY a.status ORDER BY a.created_at DESC, a.id DESC) AS rank,
                          count(*) OVER (PARTITION BY a.status) AS total
                   FROM applications a JOIN users u ON u.id = a.applicant_id
                   WHERE ($1::UUID[] IS NULL OR a.location_id = ANY($1))
                     AND ($2::TEXT IS NULL OR a.position = $2)
                     AND ($3::TEXT IS NULL OR a.source = $3)
                     AND ($4::TEXT IS NULL OR u.first_name ILIKE $4 OR u.last_name ILIKE $4 OR u.email ILIKE $4
                          OR (u.first_name || ' ' || u.last_name) ILIKE $4))
                 SELECT f.*, l.name AS loc_name, l.timezone AS loc_tz,
                        (SELECT count(*) FROM notes n
                          WHERE n.subject_id = f.applicant_id
                            AND ($7 = 'administrator' OR n.author_id = $6 OR $7 = ANY(n.visible_roles))) AS notes_count,
                        d.documents_count, d.documents_pending, d.documents_rejected,
                        (SELECT min(i.starts_at) FROM interviews i
                          WHERE i.application_id = f.id AND i.status = 'scheduled' AND i.starts_at > now()) AS next_interview
                 FROM filtered f
                 JOIN locations l ON l.id = f.location_id
                 CROSS JOIN LATERAL (
                   SELECT count(*) AS documents_count,
                          count(*) FILTER (WHERE review_state = 'pending') AS documents_pending,
                          count(*) FILTER (WHERE review_state = 'rejected') AS documents_rejected
                   FROM documents WHERE owner_id = f.applicant_id) d
                 WHERE f.rank <= $5
                 ORDER BY f.created_at DESC, f.id DESC",
                &[&filter.locations, &filter.position, &source, &text, &per_column, &viewer_id, &viewer_role],
            )
            .await
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
                column.1 = row.get("total");
                column.2.push(card);
            }
        }
        let positions = client
            .query(
                "SELECT DISTINCT position FROM applications
                 WHERE ($1::UUID[] IS NULL OR location_id = ANY($1)) ORDER BY position",
                &[&filter.locations],
            )
            .await
            .map_err(db_error)?
            .iter()
            .map(|r| r.get(0))
            .collect();
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
        if let Some(mail) = &mail {
            insert_mail(&tx, mail).await?;
        }
        insert_audit(&tx, &audit).await?;
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
            return Err(match load_interview(&tx, id).await? {
                None => StoreError::NotFound,
                Some(_) => StoreError::Conflict("interview"),
            });
        }
        if let Some(mail) = &mail {
            insert_mail(&tx, mail).await?;
        }
        insert_audit(&tx, &audit).await?;
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
            return Err(match load_interview(&tx, id).await? {
                None => StoreError::NotFound,
                Some(_) => StoreError::Conflict("interview"),
            });
        }
        if let Some(mail) = &mail {
            insert_mail(&tx, mail).await?;
        }
        insert_audit(&tx, &audit).await?;
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
            return Err(match load_interview(&tx, id).await? {
                None => StoreError::NotFound,
                Some(_) => StoreError::Conflict("interview"),
            });
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

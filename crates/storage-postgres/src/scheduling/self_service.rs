//! The crew's self-service: published shifts as the person sees them, the calendar feed's token, declared
//! availability and time-off requests.
//!
//! Feed tokens are looked up by their SHA-256 only; the statement does the same work whether the token
//! exists or not. Deciding a request is `UPDATE … WHERE status = 'pending'`: of two managers deciding at
//! once (or a manager and the person cancelling), exactly one changes it; the other learns the state.

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use crewplots_domain::accounts::{AuditEvent, LocationRef};
use crewplots_domain::hiring::PersonRef;
use crewplots_domain::ports::{StoreError, StoreResult};
use crewplots_domain::scheduling::availability::WeeklyPattern;
use crewplots_domain::scheduling::model::{AvailabilityKind, WeeklyWindow};
use crewplots_domain::scheduling::ports::{
    DeclaredAvailability, FeedInfo, FeedOwner, MyShift, SelfServiceStore, TimeOffCase,
    TimeOffDecision,
};
use crewplots_domain::scheduling::time::{weekday_from_number, weekday_number};
use crewplots_domain::scheduling::time_off::{
    TimeOffCategory, TimeOffRange, TimeOffRequest, TimeOffStatus,
};
use crewplots_domain::Role;
use deadpool_postgres::GenericClient;
use tokio_postgres::Row;
use uuid::Uuid;

use super::{booked, other, small};
use crate::store::{db_error, insert_audit, CachedQuery, PgStore};

const TIME_OFF_SELECT: &str = "
    SELECT t.id, t.first_day, t.last_day, t.start_time, t.end_time, t.timezone, t.starts_at, t.ends_at,
           t.category, t.status, t.decided_at, t.reason, t.created_at,
           t.user_id, u.first_name || ' ' || u.last_name AS user_name, u.role AS user_role,
           t.decided_by, d.first_name || ' ' || d.last_name AS decider_name, d.role AS decider_role
    FROM time_off_requests t JOIN users u ON u.id = t.user_id LEFT JOIN users d ON d.id = t.decided_by";

fn person(row: &Row, id: &str, name: &str, role: &str) -> StoreResult<Option<PersonRef>> {
    let Some(id) = row.get::<_, Option<Uuid>>(id) else {
        return Ok(None);
    };
    let role: String = row.get(role);
    Ok(Some(PersonRef {
        id,
        name: row.get(name),
        role: Role::parse(&role).ok_or_else(|| other("role", &role))?,
    }))
}

fn time_off(row: &Row) -> StoreResult<TimeOffRequest> {
    let category: String = row.get("category");
    let status: String = row.get("status");
    Ok(TimeOffRequest {
        id: row.get("id"),
        person: person(row, "user_id", "user_name", "user_role")?
            .ok_or_else(|| other("time off", "without person"))?,
        range: TimeOffRange {
            first_day: row.get("first_day"),
            last_day: row.get("last_day"),
            start_time: row.get("start_time"),
            end_time: row.get("end_time"),
        },
        timezone: row.get("timezone"),
        starts_at: row.get("starts_at"),
        ends_at: row.get("ends_at"),
        category: TimeOffCategory::parse(&category).ok_or_else(|| other("category", &category))?,
        status: TimeOffStatus::parse(&status).ok_or_else(|| other("status", &status))?,
        decided_by: person(row, "decided_by", "decider_name", "decider_role")?,
        decided_at: row.get("decided_at"),
        reason: row.get("reason"),
        created_at: row.get("created_at"),
    })
}

async fn load_time_off(
    client: &impl GenericClient,
    id: Uuid,
) -> StoreResult<Option<TimeOffRequest>> {
    client
        .q_opt(&format!("{TIME_OFF_SELECT} WHERE t.id = $1"), &[&id])
        .await
        .map_err(db_error)?
        .as_ref()
        .map(time_off)
        .transpose()
}

fn window(row: &Row) -> Option<WeeklyWindow> {
    let weekday = u8::try_from(row.get::<_, i16>("weekday")).ok()?;
    let kind: String = row.get("kind");
    let start: Option<NaiveTime> = row.get("start_time");
    let end: Option<NaiveTime> = row.get("end_time");
    Some(WeeklyWindow {
        weekday: weekday_from_number(weekday)?,
        kind: AvailabilityKind::parse(&kind)?,
        window: start.zip(end),
    })
}

#[async_trait]
impl SelfServiceStore for PgStore {
    async fn my_shifts(
        &self,
        user: Uuid,
        from: DateTime<Utc>,
        with_cancelled: bool,
    ) -> StoreResult<Vec<MyShift>> {
        let client = self.client().await?;
        let mine = async {
            client
                .q(
                    "SELECT pa.assignment_id, pa.shift_id, pa.position_name, pa.starts_at, pa.ends_at,
                            pa.sequence, pa.changed_at, pa.cancelled_at IS NOT NULL AS cancelled,
                            COALESCE(ps.local_date, (pa.starts_at AT TIME ZONE l.timezone)::date) AS local_date,
                            COALESCE(ps.break_minutes, 0::smallint) AS break_minutes, ps.note,
                            l.id AS location_id, l.name AS location_name, l.timezone, l.address
                     FROM published_assignments pa
                     JOIN locations l ON l.id = pa.location_id
                     LEFT JOIN published_shifts ps ON ps.shift_id = pa.shift_id
                     WHERE pa.user_id = $1 AND pa.ends_at >= $2 AND ($3 OR pa.cancelled_at IS NULL)
                     ORDER BY pa.starts_at, pa.assignment_id",
                    &[&user, &from, &with_cancelled],
                )
                .await
                .map_err(db_error)
        };
        // The others on the same published shifts: first names only.
        let colleagues = async {
            client
                .q(
                    "SELECT other.shift_id, u.first_name
                     FROM published_assignments pa
                     JOIN published_assignments other ON other.shift_id = pa.shift_id
                          AND other.user_id <> pa.user_id AND other.cancelled_at IS NULL
                     JOIN users u ON u.id = other.user_id
                     WHERE pa.user_id = $1 AND pa.ends_at >= $2 AND pa.cancelled_at IS NULL
                     ORDER BY u.first_name, other.user_id",
                    &[&user, &from],
                )
                .await
                .map_err(db_error)
        };
        let (mine, colleagues) = tokio::try_join!(mine, colleagues)?;
        Ok(mine
            .iter()
            .map(|row| {
                let shift_id: Uuid = row.get("shift_id");
                let cancelled: bool = row.get("cancelled");
                MyShift {
                    assignment_id: row.get("assignment_id"),
                    shift_id,
                    location: LocationRef {
                        id: row.get("location_id"),
                        name: row.get("location_name"),
                        timezone: row.get("timezone"),
                    },
                    location_address: row.get("address"),
                    position_name: row.get("position_name"),
                    local_date: row.get("local_date"),
                    starts_at: row.get("starts_at"),
                    ends_at: row.get("ends_at"),
                    break_minutes: small(row.get("break_minutes")),
                    note: row.get("note"),
                    sequence: u32::try_from(row.get::<_, i32>("sequence")).unwrap_or(0),
                    changed_at: row.get("changed_at"),
                    cancelled,
                    colleagues: if cancelled {
                        Vec::new()
                    } else {
                        colleagues
                            .iter()
                            .filter(|c| c.get::<_, Uuid>("shift_id") == shift_id)
                            .map(|c| c.get("first_name"))
                            .collect()
                    },
                }
            })
            .collect())
    }

    async fn feed(&self, user: Uuid) -> StoreResult<Option<FeedInfo>> {
        let client = self.client().await?;
        Ok(client
            .q_opt(
                "SELECT created_at, last_used_at FROM calendar_feeds WHERE user_id = $1",
                &[&user],
            )
            .await
            .map_err(db_error)?
            .map(|row| FeedInfo {
                created_at: row.get(0),
                last_used_at: row.get(1),
            }))
    }

    async fn set_feed_token(
        &self,
        user: Uuid,
        token_hash: Vec<u8>,
        audit: AuditEvent,
    ) -> StoreResult<FeedInfo> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(db_error)?;
        let row = tx
            .query_one(
                "INSERT INTO calendar_feeds (user_id, token_hash) VALUES ($1, $2)
                 ON CONFLICT (user_id) DO UPDATE
                   SET token_hash = EXCLUDED.token_hash, created_at = now(), last_used_at = NULL
                 RETURNING created_at, last_used_at",
                &[&user, &token_hash],
            )
            .await
            .map_err(db_error)?;
        insert_audit(&tx, &audit).await?;
        tx.commit().await.map_err(db_error)?;
        Ok(FeedInfo {
            created_at: row.get(0),
            last_used_at: row.get(1),
        })
    }

    async fn delete_feed(&self, user: Uuid, audit: AuditEvent) -> StoreResult<bool> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(db_error)?;
        let deleted = tx
            .execute("DELETE FROM calendar_feeds WHERE user_id = $1", &[&user])
            .await
            .map_err(db_error)?;
        if deleted > 0 {
            insert_audit(&tx, &audit).await?;
        }
        tx.commit().await.map_err(db_error)?;
        Ok(deleted > 0)
    }

    async fn feed_owner(&self, token_hash: &[u8]) -> StoreResult<Option<FeedOwner>> {
        let client = self.client().await?;
        // One statement: find the feed of an active account and note the use when the last note is more
        // than an hour old (a CTE's UPDATE runs whether or not its rows are read).
        let row = client
            .q_opt(
                "WITH found AS (
                     SELECT f.user_id, u.first_name, f.last_used_at FROM calendar_feeds f
                     JOIN users u ON u.id = f.user_id
                     WHERE f.token_hash = $1 AND u.status = 'active'),
                 noted AS (
                     UPDATE calendar_feeds f SET last_used_at = now() FROM found
                     WHERE f.user_id = found.user_id
                       AND (found.last_used_at IS NULL OR found.last_used_at < now() - interval '1 hour'))
                 SELECT user_id, first_name FROM found",
                &[&token_hash],
            )
            .await
            .map_err(db_error)?;
        Ok(row.map(|row| FeedOwner {
            user_id: row.get(0),
            first_name: row.get(1),
        }))
    }

    async fn availability(
        &self,
        user: Uuid,
        today: NaiveDate,
    ) -> StoreResult<DeclaredAvailability> {
        let client = self.client().await?;
        let windows = async {
            client
                .q(
                    "SELECT effective_from, weekday, kind, start_time, end_time FROM availability_windows
                     WHERE user_id = $1 AND effective_from >= COALESCE(
                         (SELECT max(effective_from) FROM availability_windows
                          WHERE user_id = $1 AND effective_from <= $2), '-infinity'::date)
                     ORDER BY effective_from, weekday, start_time NULLS FIRST, id",
                    &[&user, &today],
                )
                .await
                .map_err(db_error)
        };
        let days = async {
            client
                .q(
                    "SELECT day FROM unavailable_days WHERE user_id = $1 AND day >= $2 ORDER BY day",
                    &[&user, &today],
                )
                .await
                .map_err(db_error)
        };
        let (windows, days) = tokio::try_join!(windows, days)?;
        let mut patterns: Vec<WeeklyPattern> = Vec::new();
        for row in &windows {
            let from: NaiveDate = row.get("effective_from");
            let Some(window) = window(row) else {
                continue;
            };
            match patterns.last_mut() {
                Some(last) if last.effective_from == from => last.windows.push(window),
                _ => patterns.push(WeeklyPattern {
                    effective_from: from,
                    windows: vec![window],
                }),
            }
        }
        Ok(DeclaredAvailability {
            patterns,
            unavailable_days: days.iter().map(|r| r.get(0)).collect(),
        })
    }

    async fn set_pattern(&self, user: Uuid, pattern: WeeklyPattern) -> StoreResult<()> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(db_error)?;
        // Serialise one person's edits, so two tabs saving at once leave one whole pattern.
        tx.execute(
            "SELECT pg_advisory_xact_lock(hashtextextended('availability:' || $1::uuid::text, 0))",
            &[&user],
        )
        .await
        .map_err(db_error)?;
        tx.execute(
            "DELETE FROM availability_windows WHERE user_id = $1 AND effective_from >= $2",
            &[&user, &pattern.effective_from],
        )
        .await
        .map_err(db_error)?;
        for w in &pattern.windows {
            let (start, end) = w.window.unzip();
            tx.execute(
                "INSERT INTO availability_windows (id, user_id, effective_from, weekday, kind, start_time, end_time)
                 VALUES ($1, $2, $3, $4, $5, $6, $7)",
                &[
                    &Uuid::new_v4(),
                    &user,
                    &pattern.effective_from,
                    &i16::from(weekday_number(w.weekday)),
                    &w.kind.as_str(),
                    &start,
                    &end,
                ],
            )
            .await
            .map_err(db_error)?;
        }
        if pattern.windows.is_empty() {
            // Nothing declared from this date on still has to end the pattern before it: a whole-day
            // `available` entry for Monday records the date, and "available" is what no declaration means.
            tx.execute(
                "INSERT INTO availability_windows (id, user_id, effective_from, weekday, kind)
                 VALUES ($1, $2, $3, 1, 'available')",
                &[&Uuid::new_v4(), &user, &pattern.effective_from],
            )
            .await
            .map_err(db_error)?;
        }
        tx.commit().await.map_err(db_error)
    }

    async fn set_unavailable_day(
        &self,
        user: Uuid,
        day: NaiveDate,
        unavailable: bool,
    ) -> StoreResult<()> {
        let client = self.client().await?;
        let sql = if unavailable {
            "INSERT INTO unavailable_days (user_id, day) VALUES ($1, $2) ON CONFLICT DO NOTHING"
        } else {
            "DELETE FROM unavailable_days WHERE user_id = $1 AND day = $2"
        };
        client
            .execute(sql, &[&user, &day])
            .await
            .map_err(db_error)?;
        Ok(())
    }

    async fn time_off_of(&self, user: Uuid) -> StoreResult<Vec<TimeOffRequest>> {
        let client = self.client().await?;
        client
            .q(
                &format!("{TIME_OFF_SELECT} WHERE t.user_id = $1 ORDER BY t.starts_at DESC, t.id LIMIT 200"),
                &[&user],
            )
            .await
            .map_err(db_error)?
            .iter()
            .map(time_off)
            .collect()
    }

    async fn time_off(&self, id: Uuid) -> StoreResult<Option<TimeOffRequest>> {
        let client = self.client().await?;
        load_time_off(&client, id).await
    }

    async fn request_time_off(&self, request: TimeOffRequest) -> StoreResult<TimeOffRequest> {
        let client = self.client().await?;
        client
            .execute(
                "INSERT INTO time_off_requests (id, user_id, first_day, last_day, start_time, end_time, timezone,
                                                starts_at, ends_at, category)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
                &[
                    &request.id,
                    &request.person.id,
                    &request.range.first_day,
                    &request.range.last_day,
                    &request.range.start_time,
                    &request.range.end_time,
                    &request.timezone,
                    &request.starts_at,
                    &request.ends_at,
                    &request.category.as_str(),
                ],
            )
            .await
            .map_err(db_error)?;
        load_time_off(&client, request.id)
            .await?
            .ok_or(StoreError::NotFound)
    }

    async fn cancel_time_off(
        &self,
        id: Uuid,
        user: Uuid,
    ) -> StoreResult<Result<TimeOffRequest, TimeOffStatus>> {
        let client = self.client().await?;
        let changed = client
            .execute(
                "UPDATE time_off_requests SET status = 'cancelled'
                 WHERE id = $1 AND user_id = $2 AND status = 'pending'",
                &[&id, &user],
            )
            .await
            .map_err(db_error)?;
        let current = load_time_off(&client, id)
            .await?
            .filter(|r| r.person.id == user)
            .ok_or(StoreError::NotFound)?;
        Ok(if changed == 1 {
            Ok(current)
        } else {
            Err(current.status)
        })
    }

    async fn decide_time_off(
        &self,
        decision: TimeOffDecision,
    ) -> StoreResult<Result<TimeOffRequest, TimeOffStatus>> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(db_error)?;
        let changed = tx
            .execute(
                "UPDATE time_off_requests SET status = $2, decided_by = $3, decided_at = now(), reason = $4
                 WHERE id = $1 AND status = 'pending'",
                &[
                    &decision.id,
                    &decision.to.as_str(),
                    &decision.actor,
                    &decision.reason,
                ],
            )
            .await
            .map_err(db_error)?;
        let current = load_time_off(&tx, decision.id)
            .await?
            .ok_or(StoreError::NotFound)?;
        if changed == 0 {
            return Ok(Err(current.status));
        }
        crate::notifications::insert_notices(&tx, &decision.notices).await?;
        insert_audit(&tx, &decision.audit).await?;
        tx.commit().await.map_err(db_error)?;
        Ok(Ok(current))
    }

    async fn location_time_off(
        &self,
        location: Uuid,
        from: DateTime<Utc>,
        status: Option<TimeOffStatus>,
    ) -> StoreResult<Vec<TimeOffCase>> {
        let client = self.client().await?;
        let status = status.map(TimeOffStatus::as_str);
        let requests: Vec<TimeOffRequest> = client
            .q(
                &format!(
                    "{TIME_OFF_SELECT}
                     WHERE t.user_id IN (SELECT user_id FROM user_locations WHERE location_id = $1)
                       AND t.ends_at > $2 AND ($3::text IS NULL OR t.status = $3)
                     ORDER BY t.status <> 'pending', t.starts_at, t.id LIMIT 500"
                ),
                &[&location, &from, &status],
            )
            .await
            .map_err(db_error)?
            .iter()
            .map(time_off)
            .collect::<StoreResult<_>>()?;
        let open: Vec<&TimeOffRequest> = requests
            .iter()
            .filter(|r| matches!(r.status, TimeOffStatus::Pending | TimeOffStatus::Approved))
            .collect();
        let ids: Vec<Uuid> = open.iter().map(|r| r.id).collect();
        let users: Vec<Uuid> = open.iter().map(|r| r.person.id).collect();
        let starts: Vec<DateTime<Utc>> = open.iter().map(|r| r.starts_at).collect();
        let ends: Vec<DateTime<Utc>> = open.iter().map(|r| r.ends_at).collect();
        let rows = if ids.is_empty() {
            Vec::new()
        } else {
            client
                .q(
                    "SELECT r.request_id, s.id, l.name AS location_name, s.starts_at, s.ends_at,
                            s.break_minutes, s.local_date
                     FROM unnest($1::UUID[], $2::UUID[], $3::TIMESTAMPTZ[], $4::TIMESTAMPTZ[])
                          AS r(request_id, user_id, starts_at, ends_at)
                     JOIN assignments a ON a.user_id = r.user_id AND a.during && tstzrange(r.starts_at, r.ends_at)
                     JOIN shifts s ON s.id = a.shift_id JOIN locations l ON l.id = s.location_id
                     ORDER BY s.starts_at, s.id",
                    &[&ids, &users, &starts, &ends],
                )
                .await
                .map_err(db_error)?
        };
        Ok(requests
            .into_iter()
            .map(|request| {
                let collisions = rows
                    .iter()
                    .filter(|row| row.get::<_, Uuid>("request_id") == request.id)
                    .map(booked)
                    .collect();
                TimeOffCase {
                    request,
                    collisions,
                }
            })
            .collect())
    }
}

//! Claims, offers and swaps of published shifts, interest in open shifts, the inbox counts, and the
//! notification list.
//!
//! A request moves with `UPDATE … WHERE status = <the status the caller saw>`: of two people acting at once
//! exactly one moves it. Reaching `approved` applies it in the same transaction: the people involved are
//! locked (advisory locks in a fixed order, the same ones manual assignment takes), the assignments given
//! away are deleted, and each new assignment passes the rule engine on the state of that moment before it
//! is inserted — so a swap moves both assignments or neither. The published copy is updated in the same
//! transaction (the old assignment's event cancelled with a higher sequence, the new one added), so crew
//! and calendar feeds see the result at once without a new publish.

use std::collections::BTreeSet;

use async_trait::async_trait;
use chrono::{DateTime, Duration, NaiveDate, NaiveTime, Utc};
use crewplots_domain::accounts::{AuditEvent, LocationRef, PageRequest};
use crewplots_domain::hiring::PersonRef;
use crewplots_domain::notifications::{Notice, NoticeKind, Notification};
use crewplots_domain::ports::{StoreError, StoreResult};
use crewplots_domain::scheduling::model::{
    effective_requirements, shift_summary, Availability, AvailabilityKind, ChangeKind, CrewStatus,
    LocationRules, NewChange, TimeOff, WeeklyWindow,
};
use crewplots_domain::scheduling::ports::{
    InboxCount, NewShiftRequest, OpenShift, RequestRefusal, RequestStep, RequestStore, ShiftContext,
};
use crewplots_domain::scheduling::requests::{
    RequestKind, RequestSettings, RequestShift, RequestStatus, ShiftRequest,
};
use crewplots_domain::scheduling::rules::{
    self, BookedShift, NeededLevel, PersonFacts, ShiftFacts,
};
use crewplots_domain::scheduling::time::{local, weekday_from_number, zone};
use crewplots_domain::Role;
use deadpool_postgres::GenericClient;
use tokio_postgres::error::SqlState;
use tokio_postgres::Row;
use uuid::Uuid;

use super::assign::{lock_person, shift_context};
use super::{booked_of, contracts_of, other, record_change, requirements_from_json, small};
use crate::notifications::{self, insert_notices};
use crate::store::{db_error, insert_audit, CachedQuery, PgStore};

const REQUEST_SELECT: &str = "
    SELECT r.id, r.kind, r.status, r.week_id, r.assignment_id, r.target_assignment_id, r.reason,
           r.created_at, r.decided_at,
           l.id AS location_id, l.name AS location_name, l.timezone,
           s.id AS shift_id, p.name AS position_name, s.local_date, s.starts_at, s.ends_at,
           ts.id AS t_shift_id, tp.name AS t_position_name, ts.local_date AS t_local_date,
           ts.starts_at AS t_starts_at, ts.ends_at AS t_ends_at,
           rq.id AS rq_id, rq.first_name || ' ' || rq.last_name AS rq_name, rq.role AS rq_role,
           tu.id AS tu_id, tu.first_name || ' ' || tu.last_name AS tu_name, tu.role AS tu_role,
           tk.id AS tk_id, tk.first_name || ' ' || tk.last_name AS tk_name, tk.role AS tk_role,
           d.id AS d_id, d.first_name || ' ' || d.last_name AS d_name, d.role AS d_role
    FROM shift_requests r
    JOIN locations l ON l.id = r.location_id
    JOIN shifts s ON s.id = r.shift_id JOIN positions p ON p.id = s.position_id
    LEFT JOIN shifts ts ON ts.id = r.target_shift_id LEFT JOIN positions tp ON tp.id = ts.position_id
    JOIN users rq ON rq.id = r.requester_id
    LEFT JOIN users tu ON tu.id = r.target_user_id
    LEFT JOIN users tk ON tk.id = r.taker_id
    LEFT JOIN users d ON d.id = r.decided_by";

/// Requests waiting for a decision per active location of `$1` (`NULL`: every one): the inbox counts, and
/// the dashboard's.
pub(crate) const INBOX_COUNTS: &str = "
    SELECT l.id,
           (SELECT count(*) FROM time_off_requests t WHERE t.status = 'pending' AND t.ends_at > now()
              AND t.user_id IN (SELECT user_id FROM user_locations ul WHERE ul.location_id = l.id)) AS time_off,
           r.claims, r.offers, r.swaps
    FROM locations l
    CROSS JOIN LATERAL (
        SELECT count(*) FILTER (WHERE kind = 'claim') AS claims,
               count(*) FILTER (WHERE kind = 'offer') AS offers,
               count(*) FILTER (WHERE kind = 'swap') AS swaps
        FROM shift_requests WHERE location_id = l.id AND status = 'pending_approval') r
    WHERE l.active AND ($1::UUID[] IS NULL OR l.id = ANY($1))
    ORDER BY l.name, l.id";

fn person(row: &Row, prefix: &str) -> StoreResult<Option<PersonRef>> {
    let Some(id) = row.get::<_, Option<Uuid>>(format!("{prefix}_id").as_str()) else {
        return Ok(None);
    };
    let role: String = row.get(format!("{prefix}_role").as_str());
    Ok(Some(PersonRef {
        id,
        name: row.get(format!("{prefix}_name").as_str()),
        role: Role::parse(&role).ok_or_else(|| other("role", &role))?,
    }))
}

fn shift_request(row: &Row) -> StoreResult<ShiftRequest> {
    let kind: String = row.get("kind");
    let status: String = row.get("status");
    let target_shift = row
        .get::<_, Option<Uuid>>("t_shift_id")
        .map(|shift_id| RequestShift {
            shift_id,
            position_name: row.get("t_position_name"),
            local_date: row.get("t_local_date"),
            starts_at: row.get("t_starts_at"),
            ends_at: row.get("t_ends_at"),
        });
    Ok(ShiftRequest {
        id: row.get("id"),
        kind: RequestKind::parse(&kind).ok_or_else(|| other("request kind", &kind))?,
        status: RequestStatus::parse(&status).ok_or_else(|| other("request status", &status))?,
        location: LocationRef {
            id: row.get("location_id"),
            name: row.get("location_name"),
            timezone: row.get("timezone"),
        },
        week_id: row.get("week_id"),
        shift: RequestShift {
            shift_id: row.get("shift_id"),
            position_name: row.get("position_name"),
            local_date: row.get("local_date"),
            starts_at: row.get("starts_at"),
            ends_at: row.get("ends_at"),
        },
        requester: person(row, "rq")?.ok_or_else(|| other("request", "without requester"))?,
        assignment_id: row.get("assignment_id"),
        target: person(row, "tu")?,
        target_shift,
        target_assignment_id: row.get("target_assignment_id"),
        taker: person(row, "tk")?,
        decided_by: person(row, "d")?,
        decided_at: row.get("decided_at"),
        reason: row.get("reason"),
        created_at: row.get("created_at"),
    })
}

async fn load_request(client: &impl GenericClient, id: Uuid) -> StoreResult<Option<ShiftRequest>> {
    client
        .q_opt(&format!("{REQUEST_SELECT} WHERE r.id = $1"), &[&id])
        .await
        .map_err(db_error)?
        .as_ref()
        .map(shift_request)
        .transpose()
}

fn settings(row: &Row) -> RequestSettings {
    RequestSettings {
        claims_need_approval: row.get("claims_need_approval"),
        swaps_need_approval: row.get("swaps_need_approval"),
        cutoff_minutes: u32::try_from(row.get::<_, i32>("request_cutoff_minutes")).unwrap_or(0),
    }
}

/// The moves a request makes once approved: assignments deleted, and (shift, person) pairs added.
struct Moves {
    removals: Vec<Uuid>,
    additions: Vec<(Uuid, Uuid)>,
}

fn moves(request: &ShiftRequest) -> Result<Moves, RequestRefusal> {
    match request.kind {
        RequestKind::Claim => Ok(Moves {
            removals: vec![],
            additions: vec![(request.shift.shift_id, request.requester.id)],
        }),
        RequestKind::Offer => {
            let given = request.assignment_id.ok_or(RequestRefusal::Stale)?;
            let taker = request.taker.as_ref().ok_or(RequestRefusal::Stale)?;
            Ok(Moves {
                removals: vec![given],
                additions: vec![(request.shift.shift_id, taker.id)],
            })
        }
        RequestKind::Swap => {
            let given = request.assignment_id.ok_or(RequestRefusal::Stale)?;
            let wanted = request.target_assignment_id.ok_or(RequestRefusal::Stale)?;
            let target = request.target.as_ref().ok_or(RequestRefusal::Stale)?;
            let target_shift = request.target_shift.as_ref().ok_or(RequestRefusal::Stale)?;
            Ok(Moves {
                removals: vec![given, wanted],
                additions: vec![
                    (request.shift.shift_id, target.id),
                    (target_shift.shift_id, request.requester.id),
                ],
            })
        }
    }
}

/// Applies an approved request inside `tx`: see the module doc. `Ok(Err(_))` leaves the caller to roll
/// back.
async fn apply(
    tx: &impl GenericClient,
    request: &ShiftRequest,
    actor: Uuid,
) -> StoreResult<Result<(), RequestRefusal>> {
    let Moves {
        removals,
        additions,
    } = match moves(request) {
        Ok(m) => m,
        Err(refusal) => return Ok(Err(refusal)),
    };
    // Nothing may move in a locked (exported) hours period; the shared lock keeps a lock from being made
    // between this look and the commit.
    let shifts: Vec<Uuid> = std::iter::once(request.shift.shift_id)
        .chain(request.target_shift.as_ref().map(|t| t.shift_id))
        .collect();
    let locations: Vec<Uuid> = tx
        .q(
            "SELECT DISTINCT location_id FROM shifts WHERE id = ANY($1) ORDER BY location_id",
            &[&shifts],
        )
        .await
        .map_err(db_error)?
        .iter()
        .map(|r| r.get(0))
        .collect();
    for location in locations {
        crate::exports::hours_lock_guard(tx, location, false).await?;
    }
    let locked = tx
        .q_one(
            "SELECT EXISTS (SELECT 1 FROM shifts s JOIN hours_locks h ON h.location_id = s.location_id
                            AND s.local_date BETWEEN h.first_day AND h.last_day WHERE s.id = ANY($1))",
            &[&shifts],
        )
        .await
        .map_err(db_error)?
        .get::<_, bool>(0);
    if locked {
        return Ok(Err(RequestRefusal::PeriodLocked));
    }
    let people: BTreeSet<Uuid> = additions.iter().map(|(_, u)| *u).collect();
    for person in &people {
        lock_person(tx, *person).await?;
    }
    // The assignments given away must still be the ones the request was made about.
    let expected_owner = |id: Uuid| {
        if Some(id) == request.assignment_id {
            (request.requester.id, request.shift.shift_id)
        } else {
            (
                request.target.as_ref().map_or(Uuid::nil(), |t| t.id),
                request
                    .target_shift
                    .as_ref()
                    .map_or(Uuid::nil(), |t| t.shift_id),
            )
        }
    };
    for id in &removals {
        let row = tx
            .q_opt(
                "SELECT user_id, shift_id FROM assignments WHERE id = $1 FOR UPDATE",
                &[id],
            )
            .await
            .map_err(db_error)?;
        match row {
            Some(row) if (row.get::<_, Uuid>(0), row.get::<_, Uuid>(1)) == expected_owner(*id) => {}
            _ => return Ok(Err(RequestRefusal::Stale)),
        }
    }
    tx.execute("DELETE FROM assignments WHERE id = ANY($1)", &[&removals])
        .await
        .map_err(db_error)?;
    tx.execute(
        "UPDATE published_assignments SET cancelled_at = now(), sequence = sequence + 1, changed_at = now()
         WHERE assignment_id = ANY($1) AND cancelled_at IS NULL",
        &[&removals],
    )
    .await
    .map_err(db_error)?;
    let source = match request.kind {
        RequestKind::Claim => "claim",
        RequestKind::Offer | RequestKind::Swap => "swap",
    };
    // Lock the weeks' rows before counting slots (as manual assignment does), so two people taking the last
    // slot at once are serialised and the second sees the first. A week whose published copy was current
    // stays current: the copy changes in this transaction too.
    let shift_ids: Vec<Uuid> = additions.iter().map(|(s, _)| *s).collect();
    tx.execute(
        "UPDATE schedule_weeks SET version = version + 1,
                published_version = CASE WHEN published_version = version THEN version + 1
                                         ELSE published_version END
         WHERE id IN (SELECT week_id FROM shifts WHERE id = ANY($1))",
        &[&shift_ids],
    )
    .await
    .map_err(db_error)?;
    for (shift_id, user_id) in &additions {
        let context = shift_context(tx, *shift_id, Some(*user_id))
            .await?
            .ok_or(StoreError::NotFound)?;
        let person = context
            .people
            .first()
            .map(|(_, facts)| facts.clone())
            .unwrap_or_else(|| PersonFacts {
                user_id: *user_id,
                ..PersonFacts::default()
            });
        if let Err(refusal) = rules::check(&context.facts, &person, &context.rules).decide(None) {
            let full = refusal.reasons.iter().any(|r| r.code() == "slots_full");
            return Ok(Err(if full {
                RequestRefusal::SlotsFull
            } else {
                RequestRefusal::Rules {
                    user_id: *user_id,
                    shift_id: *shift_id,
                    refusal,
                }
            }));
        }
        let id = Uuid::new_v4();
        let spec = &context.shift.spec;
        let inserted = tx
            .execute(
                "INSERT INTO assignments (id, shift_id, user_id, during, source, created_by)
                 VALUES ($1, $2, $3, tstzrange($4, $5), $6, $7)",
                &[
                    &id,
                    shift_id,
                    user_id,
                    &spec.starts_at,
                    &spec.ends_at,
                    &source,
                    &actor,
                ],
            )
            .await;
        if let Err(error) = &inserted {
            if matches!(
                error.code(),
                Some(&SqlState::EXCLUSION_VIOLATION) | Some(&SqlState::UNIQUE_VIOLATION)
            ) {
                return Ok(Err(RequestRefusal::Overlap { user_id: *user_id }));
            }
        }
        inserted.map_err(db_error)?;
        // The published copy gets the new assignment at once, with the published shift's times.
        tx.execute(
            "INSERT INTO published_assignments (assignment_id, week_id, shift_id, user_id, location_id,
                                                position_name, starts_at, ends_at)
             SELECT $1, ps.week_id, ps.shift_id, $2, ps.location_id, ps.position_name, ps.starts_at, ps.ends_at
             FROM published_shifts ps WHERE ps.shift_id = $3",
            &[&id, user_id, shift_id],
        )
        .await
        .map_err(db_error)?;
        let mut change = NewChange::new(ChangeKind::Request);
        change.shift_id = Some(*shift_id);
        change.person_id = Some(*user_id);
        change.new = Some(format!(
            "{} {}",
            request.kind.as_str(),
            shift_summary(
                zone(&context.timezone),
                spec.starts_at,
                spec.ends_at,
                &context.position_name,
                spec.slots
            )
        ));
        let version = current_version(tx, context.shift.week_id).await?;
        record_change(tx, context.shift.week_id, version, actor, &change).await?;
    }
    Ok(Ok(()))
}

async fn current_version(client: &impl GenericClient, week: Uuid) -> StoreResult<i64> {
    Ok(client
        .q_one("SELECT version FROM schedule_weeks WHERE id = $1", &[&week])
        .await
        .map_err(db_error)?
        .get(0))
}

/// Records a step that moves nothing (made, accepted, declined, withdrawn, denied) in the week's history.
async fn record_step(
    tx: &impl GenericClient,
    request: &ShiftRequest,
    actor: Uuid,
    reason: Option<String>,
) -> StoreResult<()> {
    let mut change = NewChange::new(ChangeKind::Request);
    change.shift_id = Some(request.shift.shift_id);
    change.person_id = Some(request.requester.id);
    change.new = Some(format!(
        "{} {}",
        request.kind.as_str(),
        request.status.as_str()
    ));
    change.reason = reason;
    let version = current_version(tx, request.week_id).await?;
    record_change(tx, request.week_id, version, actor, &change).await
}

/// A person's facts for several shifts at once (the open-shifts list), for shifts between `first` and
/// `last`: a fixed number of queries.
async fn facts_for(
    client: &impl GenericClient,
    user: Uuid,
    first: DateTime<Utc>,
    last: DateTime<Utc>,
) -> StoreResult<PersonFactsSource> {
    let from = first - Duration::days(8);
    let to = last + Duration::days(8);
    let people = [user];
    let levels = async {
        client
            .q(
                "SELECT competency_id, level FROM competency_levels WHERE user_id = $1",
                &[&user],
            )
            .await
            .map_err(db_error)
    };
    let memberships = async {
        client
            .q(
                "SELECT location_id, status FROM user_locations WHERE user_id = $1",
                &[&user],
            )
            .await
            .map_err(db_error)
    };
    let time_off = async {
        client
            .q(
                "SELECT starts_at, ends_at FROM time_off_requests
                 WHERE user_id = $1 AND status = 'approved' AND starts_at < $3 AND ends_at > $2",
                &[&user, &from, &to],
            )
            .await
            .map_err(db_error)
    };
    let windows = async {
        client
            .q(
                "SELECT effective_from, weekday, kind, start_time, end_time FROM availability_windows
                 WHERE user_id = $1 ORDER BY effective_from",
                &[&user],
            )
            .await
            .map_err(db_error)
    };
    let days = async {
        client
            .q(
                "SELECT day FROM unavailable_days WHERE user_id = $1
                   AND day >= ($2::TIMESTAMPTZ)::DATE - 1 AND day <= ($3::TIMESTAMPTZ)::DATE + 1",
                &[&user, &from, &to],
            )
            .await
            .map_err(db_error)
    };
    let (levels, memberships, time_off, windows, days, contracts, booked) = tokio::try_join!(
        levels,
        memberships,
        time_off,
        windows,
        days,
        contracts_of(client, &people),
        booked_of(client, &people, from, to)
    )?;
    Ok(PersonFactsSource {
        user,
        levels: levels
            .iter()
            .map(|r| (r.get(0), u8::try_from(r.get::<_, i16>(1)).unwrap_or(0)))
            .collect(),
        memberships: memberships
            .iter()
            .filter_map(|r| {
                let status: String = r.get(1);
                Some((r.get(0), CrewStatus::parse(&status)?))
            })
            .collect(),
        contract: contracts.first().map(|(_, m)| *m),
        booked: booked.into_iter().map(|(_, b)| b).collect(),
        time_off: time_off
            .iter()
            .map(|r| TimeOff {
                starts_at: r.get(0),
                ends_at: r.get(1),
            })
            .collect(),
        windows: windows
            .iter()
            .filter_map(|r| {
                let weekday = u8::try_from(r.get::<_, i16>("weekday")).ok()?;
                let kind: String = r.get("kind");
                let start: Option<NaiveTime> = r.get("start_time");
                let end: Option<NaiveTime> = r.get("end_time");
                Some((
                    r.get::<_, NaiveDate>("effective_from"),
                    WeeklyWindow {
                        weekday: weekday_from_number(weekday)?,
                        kind: AvailabilityKind::parse(&kind)?,
                        window: start.zip(end),
                    },
                ))
            })
            .collect(),
        unavailable: days.iter().map(|r| r.get(0)).collect(),
    })
}

/// One person's facts, loaded once, cut to each shift.
struct PersonFactsSource {
    user: Uuid,
    levels: Vec<(Uuid, u8)>,
    memberships: Vec<(Uuid, CrewStatus)>,
    contract: Option<u32>,
    booked: Vec<BookedShift>,
    time_off: Vec<TimeOff>,
    windows: Vec<(NaiveDate, WeeklyWindow)>,
    unavailable: Vec<NaiveDate>,
}

impl PersonFactsSource {
    fn at(&self, location: Uuid, shift: Uuid, date: NaiveDate, without: &[Uuid]) -> PersonFacts {
        let in_force = self
            .windows
            .iter()
            .map(|(from, _)| *from)
            .filter(|from| *from <= date)
            .max();
        PersonFacts {
            user_id: self.user,
            status: self
                .memberships
                .iter()
                .find(|(l, _)| *l == location)
                .map(|(_, s)| *s),
            contracted_minutes: self.contract,
            levels: self.levels.clone(),
            booked: self
                .booked
                .iter()
                .filter(|b| b.shift_id != shift && !without.contains(&b.shift_id))
                .cloned()
                .collect(),
            time_off: self.time_off.clone(),
            availability: Availability {
                weekly: self
                    .windows
                    .iter()
                    .filter(|(from, _)| Some(*from) == in_force)
                    .map(|(_, w)| *w)
                    .collect(),
                unavailable_dates: self
                    .unavailable
                    .iter()
                    .copied()
                    .filter(|d| *d == date)
                    .collect(),
            },
        }
    }
}

#[async_trait]
impl RequestStore for PgStore {
    async fn request_settings(&self, location: Uuid) -> StoreResult<Option<RequestSettings>> {
        let client = self.client().await?;
        Ok(client
            .q_opt(
                "SELECT claims_need_approval, swaps_need_approval, request_cutoff_minutes
                 FROM locations WHERE id = $1",
                &[&location],
            )
            .await
            .map_err(db_error)?
            .as_ref()
            .map(settings))
    }

    async fn set_request_settings(
        &self,
        location: Uuid,
        settings: RequestSettings,
        audit: AuditEvent,
    ) -> StoreResult<()> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(db_error)?;
        let cutoff = i32::try_from(settings.cutoff_minutes).unwrap_or(i32::MAX);
        let changed = tx
            .execute(
                "UPDATE locations SET claims_need_approval = $2, swaps_need_approval = $3,
                        request_cutoff_minutes = $4, updated_at = now() WHERE id = $1",
                &[
                    &location,
                    &settings.claims_need_approval,
                    &settings.swaps_need_approval,
                    &cutoff,
                ],
            )
            .await
            .map_err(db_error)?;
        if changed == 0 {
            return Err(StoreError::NotFound);
        }
        insert_audit(&tx, &audit).await?;
        tx.commit().await.map_err(db_error)
    }

    async fn open_shifts(
        &self,
        user: Uuid,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> StoreResult<Vec<OpenShift>> {
        let client = self.client().await?;
        // Published shifts at the person's active locations with a free slot, or with an open offer of a
        // colleague; the working copy's times (what an assignment would get).
        let rows = client
            .q(
                "SELECT s.id, s.week_id, s.location_id, s.position_id, s.local_date, s.starts_at, s.ends_at,
                        s.break_minutes, s.slots, s.requirements, s.note, p.name AS position_name,
                        l.name AS location_name, l.timezone, l.min_rest_minutes, l.weekly_max_minutes,
                        l.claims_need_approval, l.swaps_need_approval, l.request_cutoff_minutes,
                        ARRAY(SELECT a.user_id FROM assignments a WHERE a.shift_id = s.id) AS assigned,
                        EXISTS (SELECT 1 FROM shift_interest i WHERE i.shift_id = s.id AND i.user_id = $1)
                            AS interested,
                        (SELECT r.id FROM shift_requests r WHERE r.shift_id = s.id AND r.requester_id = $1
                           AND r.kind = 'claim' AND r.status = 'pending_approval') AS pending_claim,
                        o.id AS offer_id, o.requester_id AS offer_by, ou.first_name AS offer_by_name
                 FROM shifts s
                 LEFT JOIN LATERAL (
                     SELECT r.id, r.requester_id FROM shift_requests r
                     WHERE r.shift_id = s.id AND r.kind = 'offer' AND r.status = 'open' AND r.requester_id <> $1
                     ORDER BY r.created_at, r.id LIMIT 1) o ON true
                 LEFT JOIN users ou ON ou.id = o.requester_id
                 JOIN published_shifts ps ON ps.shift_id = s.id
                 JOIN positions p ON p.id = s.position_id
                 JOIN locations l ON l.id = s.location_id
                 JOIN user_locations ul ON ul.location_id = s.location_id AND ul.user_id = $1
                      AND ul.status = 'active'
                 WHERE s.starts_at >= $2 AND s.starts_at < $3
                   AND NOT EXISTS (SELECT 1 FROM assignments a WHERE a.shift_id = s.id AND a.user_id = $1)
                   AND (s.slots > (SELECT count(*) FROM assignments a WHERE a.shift_id = s.id)
                        OR o.id IS NOT NULL)
                 ORDER BY s.starts_at, s.id LIMIT 200",
                &[&user, &from, &to],
            )
            .await
            .map_err(db_error)?;
        if rows.is_empty() {
            return Ok(Vec::new());
        }
        let locations: Vec<Uuid> = rows.iter().map(|r| r.get("location_id")).collect();
        let positions: Vec<Uuid> = rows.iter().map(|r| r.get("position_id")).collect();
        let requirements = async {
            client
                .q(
                    "SELECT position_id, competency_id, min_level FROM position_requirements
                     WHERE position_id = ANY($1)",
                    &[&positions],
                )
                .await
                .map_err(db_error)
        };
        let competencies = async {
            client
                .q(
                    "SELECT id, name, archived FROM competencies WHERE location_id = ANY($1)",
                    &[&locations],
                )
                .await
                .map_err(db_error)
        };
        let first = rows
            .iter()
            .map(|r| r.get::<_, DateTime<Utc>>("starts_at"))
            .min()
            .unwrap_or(from);
        let last = rows
            .iter()
            .map(|r| r.get::<_, DateTime<Utc>>("ends_at"))
            .max()
            .unwrap_or(to);
        let (requirements, competencies, source) = tokio::try_join!(
            requirements,
            competencies,
            facts_for(&client, user, first, last)
        )?;
        Ok(rows
            .iter()
            .map(|row| {
                let tz = zone(row.get::<_, &str>("timezone"));
                let shift_id: Uuid = row.get("id");
                let position_id: Uuid = row.get("position_id");
                let starts_at: DateTime<Utc> = row.get("starts_at");
                let ends_at: DateTime<Utc> = row.get("ends_at");
                let local_date: NaiveDate = row.get("local_date");
                let position_reqs: Vec<_> = requirements
                    .iter()
                    .filter(|r| r.get::<_, Uuid>(0) == position_id)
                    .map(|r| crewplots_domain::scheduling::model::Requirement {
                        competency_id: r.get(1),
                        min_level: u8::try_from(r.get::<_, i16>(2)).unwrap_or(0),
                    })
                    .collect();
                let shift_reqs =
                    requirements_from_json(&row.get::<_, serde_json::Value>("requirements"));
                let needed: Vec<NeededLevel> = effective_requirements(&position_reqs, &shift_reqs)
                    .into_iter()
                    .filter_map(|r| {
                        let c = competencies
                            .iter()
                            .find(|c| c.get::<_, Uuid>(0) == r.competency_id)?;
                        (!c.get::<_, bool>(2)).then(|| NeededLevel {
                            competency_id: r.competency_id,
                            name: c.get(1),
                            min_level: r.min_level,
                        })
                    })
                    .collect();
                let slots = small(row.get("slots"));
                let offer_by: Option<Uuid> = row.get("offer_by");
                // An offered slot is the offerer's: judged as if they had left it.
                let assigned: Vec<Uuid> = row
                    .get::<_, Vec<Uuid>>("assigned")
                    .into_iter()
                    .filter(|id| Some(*id) != offer_by)
                    .collect();
                let location = LocationRef {
                    id: row.get("location_id"),
                    name: row.get("location_name"),
                    timezone: row.get("timezone"),
                };
                OpenShift {
                    shift: RequestShift {
                        shift_id,
                        position_name: row.get("position_name"),
                        local_date,
                        starts_at,
                        ends_at,
                    },
                    week_id: row.get("week_id"),
                    open_slots: slots
                        .saturating_sub(u16::try_from(assigned.len()).unwrap_or(u16::MAX)),
                    note: row.get("note"),
                    rules: LocationRules {
                        min_rest_minutes: u32::try_from(row.get::<_, i32>("min_rest_minutes"))
                            .unwrap_or(0),
                        weekly_max_minutes: u32::try_from(row.get::<_, i32>("weekly_max_minutes"))
                            .unwrap_or(0),
                    },
                    settings: settings(row),
                    facts: ShiftFacts {
                        shift: BookedShift {
                            shift_id,
                            location_name: location.name.clone(),
                            starts_at,
                            ends_at,
                            break_minutes: small(row.get("break_minutes")),
                            local_date,
                        },
                        local_start: local(tz, starts_at),
                        local_end: local(tz, ends_at),
                        slots,
                        assigned,
                        requirements: needed,
                    },
                    person: source.at(location.id, shift_id, local_date, &[]),
                    location,
                    interested: row.get("interested"),
                    pending_claim: row.get("pending_claim"),
                    offer: row.get::<_, Option<Uuid>>("offer_id").map(|id| {
                        (
                            id,
                            row.get::<_, Option<String>>("offer_by_name")
                                .unwrap_or_default(),
                        )
                    }),
                }
            })
            .collect())
    }

    async fn person_on_shift(
        &self,
        user: Uuid,
        shift: Uuid,
    ) -> StoreResult<Option<(ShiftContext, PersonFacts)>> {
        let client = self.client().await?;
        let Some(context) = shift_context(&client, shift, Some(user)).await? else {
            return Ok(None);
        };
        let person = context
            .people
            .first()
            .map(|(_, facts)| facts.clone())
            .unwrap_or_else(|| PersonFacts {
                user_id: user,
                ..PersonFacts::default()
            });
        Ok(Some((context, person)))
    }

    async fn set_interest(&self, shift: Uuid, user: Uuid, interested: bool) -> StoreResult<()> {
        let client = self.client().await?;
        let sql = if interested {
            "INSERT INTO shift_interest (shift_id, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING"
        } else {
            "DELETE FROM shift_interest WHERE shift_id = $1 AND user_id = $2"
        };
        client
            .execute(sql, &[&shift, &user])
            .await
            .map_err(db_error)?;
        Ok(())
    }

    async fn interested(&self, shift: Uuid) -> StoreResult<Vec<Uuid>> {
        let client = self.client().await?;
        Ok(client
            .q(
                "SELECT user_id FROM shift_interest WHERE shift_id = $1 ORDER BY created_at",
                &[&shift],
            )
            .await
            .map_err(db_error)?
            .iter()
            .map(|r| r.get(0))
            .collect())
    }

    async fn create_request(
        &self,
        new: NewShiftRequest,
        needs_approval: bool,
    ) -> StoreResult<Result<ShiftRequest, RequestRefusal>> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(db_error)?;
        let status = crewplots_domain::scheduling::requests::initial(new.kind, needs_approval);
        let inserted = tx
            .execute(
                "INSERT INTO shift_requests (id, kind, location_id, week_id, shift_id, requester_id, assignment_id,
                                             target_user_id, target_assignment_id, target_shift_id, status,
                                             decided_at)
                 SELECT $1, $2, s.location_id, s.week_id, s.id, $4, $5, t.user_id, t.id, t.shift_id, $6,
                        CASE WHEN $6 = 'approved' THEN now() END
                 FROM shifts s LEFT JOIN assignments t ON t.id = $7
                 WHERE s.id = $3",
                &[
                    &new.id,
                    &new.kind.as_str(),
                    &new.shift_id,
                    &new.requester_id,
                    &new.assignment_id,
                    &status.as_str(),
                    &new.target_assignment_id,
                ],
            )
            .await;
        match inserted {
            Ok(0) => return Err(StoreError::NotFound),
            Ok(_) => {}
            Err(e) if e.code() == Some(&SqlState::UNIQUE_VIOLATION) => {
                return Err(StoreError::Conflict("request"))
            }
            Err(e) => return Err(db_error(e)),
        }
        let request = load_request(&tx, new.id)
            .await?
            .ok_or(StoreError::NotFound)?;
        if status == RequestStatus::Approved {
            if let Err(refusal) = apply(&tx, &request, new.requester_id).await? {
                return Ok(Err(refusal));
            }
        } else {
            record_step(&tx, &request, new.requester_id, None).await?;
        }
        insert_notices(&tx, &new.notices).await?;
        insert_audit(&tx, &new.audit).await?;
        tx.commit().await.map_err(db_error)?;
        Ok(Ok(request))
    }

    async fn shift_request(&self, id: Uuid) -> StoreResult<Option<ShiftRequest>> {
        let client = self.client().await?;
        load_request(&client, id).await
    }

    async fn step_request(
        &self,
        step: RequestStep,
    ) -> StoreResult<Result<ShiftRequest, RequestRefusal>> {
        let mut client = self.client().await?;
        let mut tx = client.transaction().await.map_err(db_error)?;
        let decided = matches!(step.to, RequestStatus::Approved | RequestStatus::Denied);
        let changed = tx
            .execute(
                "UPDATE shift_requests
                 SET status = $3, taker_id = COALESCE($4, taker_id), updated_at = now(),
                     decided_by = CASE WHEN $5 THEN $6 ELSE decided_by END,
                     decided_at = CASE WHEN $5 THEN now() ELSE decided_at END,
                     reason = COALESCE($7, reason)
                 WHERE id = $1 AND status = $2",
                &[
                    &step.id,
                    &step.from.as_str(),
                    &step.to.as_str(),
                    &step.taker,
                    &decided,
                    &step.actor,
                    &step.reason,
                ],
            )
            .await
            .map_err(db_error)?;
        let request = load_request(&tx, step.id)
            .await?
            .ok_or(StoreError::NotFound)?;
        if changed == 0 {
            return Ok(Err(RequestRefusal::StatusChanged(request.status)));
        }
        match step.to {
            RequestStatus::Approved => {
                if let Err(refusal) = apply(&tx, &request, step.actor).await? {
                    return Ok(Err(refusal));
                }
            }
            RequestStatus::PendingApproval if request.kind != RequestKind::Claim => {
                // Would it apply now? Try inside a savepoint and roll that back.
                let check = tx.transaction().await.map_err(db_error)?;
                let outcome = apply(&check, &request, step.actor).await?;
                check.rollback().await.map_err(db_error)?;
                if let Err(refusal) = outcome {
                    return Ok(Err(refusal));
                }
                record_step(&tx, &request, step.actor, step.reason.clone()).await?;
            }
            _ => record_step(&tx, &request, step.actor, step.reason.clone()).await?,
        }
        insert_notices(&tx, &step.notices).await?;
        insert_audit(&tx, &step.audit).await?;
        tx.commit().await.map_err(db_error)?;
        Ok(Ok(request))
    }

    async fn location_requests(
        &self,
        location: Uuid,
        decided: bool,
    ) -> StoreResult<Vec<ShiftRequest>> {
        let client = self.client().await?;
        let pending = async {
            client
                .q(
                    &format!(
                        "{REQUEST_SELECT} WHERE r.location_id = $1
                         AND r.status IN ('open', 'pending_colleague', 'pending_approval')
                         ORDER BY r.status <> 'pending_approval', s.starts_at, r.id"
                    ),
                    &[&location],
                )
                .await
        };
        let done = async {
            if decided {
                client
                    .q(
                        &format!(
                            "{REQUEST_SELECT} WHERE r.location_id = $1
                             AND r.status NOT IN ('open', 'pending_colleague', 'pending_approval')
                             ORDER BY r.updated_at DESC, r.id LIMIT 100"
                        ),
                        &[&location],
                    )
                    .await
            } else {
                Ok(Vec::new())
            }
        };
        let (pending, done) = tokio::try_join!(pending, done).map_err(db_error)?;
        pending
            .iter()
            .chain(done.iter())
            .map(shift_request)
            .collect()
    }

    async fn requests_for(&self, user: Uuid) -> StoreResult<Vec<ShiftRequest>> {
        let client = self.client().await?;
        client
            .q(
                &format!(
                    "{REQUEST_SELECT}
                     WHERE r.requester_id = $1 OR r.target_user_id = $1 OR r.taker_id = $1
                        OR (r.kind = 'offer' AND r.status = 'open' AND r.requester_id <> $1
                            AND r.location_id IN (SELECT location_id FROM user_locations
                                                  WHERE user_id = $1 AND status = 'active'))
                     ORDER BY r.created_at DESC, r.id LIMIT 200"
                ),
                &[&user],
            )
            .await
            .map_err(db_error)?
            .iter()
            .map(shift_request)
            .collect()
    }

    async fn inbox_counts(&self, locations: Option<&[Uuid]>) -> StoreResult<Vec<InboxCount>> {
        let client = self.client().await?;
        let only = locations.map(<[Uuid]>::to_vec);
        let rows = client.q(INBOX_COUNTS, &[&only]).await.map_err(db_error)?;
        Ok(rows
            .iter()
            .map(|r| InboxCount {
                location_id: r.get("id"),
                time_off: r.get("time_off"),
                shift_requests: r.get::<_, i64>("claims")
                    + r.get::<_, i64>("offers")
                    + r.get::<_, i64>("swaps"),
            })
            .collect())
    }

    async fn notifications(
        &self,
        user: Uuid,
        page: PageRequest,
    ) -> StoreResult<(Vec<Notification>, i64)> {
        let client = self.client().await?;
        notifications::list(&client, user, page).await
    }

    async fn mark_read(&self, user: Uuid, ids: Option<&[Uuid]>) -> StoreResult<i64> {
        let client = self.client().await?;
        notifications::mark_read(&client, user, ids).await
    }

    async fn email_settings(&self, user: Uuid) -> StoreResult<Vec<(NoticeKind, bool)>> {
        let client = self.client().await?;
        notifications::settings(&client, user).await
    }

    async fn set_email_setting(
        &self,
        user: Uuid,
        kind: NoticeKind,
        email: bool,
    ) -> StoreResult<()> {
        let client = self.client().await?;
        notifications::set_setting(&client, user, kind, email).await
    }

    async fn notify(&self, notices: Vec<Notice>) -> StoreResult<()> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(db_error)?;
        insert_notices(&tx, &notices).await?;
        tx.commit().await.map_err(db_error)
    }
}

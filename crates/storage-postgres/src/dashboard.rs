//! The dashboard's figures (SPEC §4.8) in at most seven statements, whatever the number of locations, sent
//! together on one connection (tokio-postgres pipelines concurrent queries): one round trip.
//!
//! The counts share their conditions with the screens they summarise, so the numbers agree: the inbox's
//! [`INBOX_COUNTS`], the review queue's and expiring list's document conditions, the roster's
//! [`CREW_ROLES`]. Every statement is limited to the query's locations.

use std::collections::HashMap;

use async_trait::async_trait;
use chrono::NaiveDate;
use crewplots_domain::dashboard::{
    CrewFigures, DashboardFigures, DashboardQuery, DashboardStore, DayCoverage, DocumentFigures,
    HiringFigures, RequestFigures, ScheduleFigures, WeekHours, EXPIRING_WITHIN_DAYS,
};
use crewplots_domain::hiring::ApplicationStatus;
use crewplots_domain::policy::LocationScope;
use crewplots_domain::ports::StoreResult;
use tokio_postgres::Row;
use uuid::Uuid;

use crate::documents::{AWAITING_REVIEW, EXPIRING, OWNER_IN_SCOPE};
use crate::scheduling::{CREW_ROLES, INBOX_COUNTS};
use crate::store::{db_error, CachedQuery, PgStore};

/// A shift's paid minutes (`sh` = shifts): its length minus the unpaid break, never negative — the SQL form
/// of `crewplots_domain::scheduling::model::paid_minutes`.
const PAID_MINUTES: &str =
    "GREATEST(floor(extract(epoch FROM sh.ends_at - sh.starts_at) / 60)::BIGINT - sh.break_minutes, 0)";

/// Applications per status, and those received since `$2`.
const PIPELINE: &str = "
    SELECT a.status, count(*) AS total, count(*) FILTER (WHERE a.created_at >= $2) AS recent
    FROM applications a WHERE a.location_id = ANY($1) GROUP BY a.status";

/// Interviews not cancelled starting in [`$2`, `$3`).
const INTERVIEWS: &str = "
    SELECT count(*) FROM interviews i JOIN applications a ON a.id = i.application_id
    WHERE a.location_id = ANY($1) AND i.status <> 'cancelled' AND i.starts_at >= $2 AND i.starts_at < $3";

fn crew_sql() -> String {
    format!(
        "SELECT count(*) FILTER (WHERE ul.status = 'active') AS active,
                count(*) FILTER (WHERE ul.status = 'on_leave') AS on_leave,
                round(coalesce(sum(ul.contracted_hours) FILTER (WHERE ul.status = 'active'), 0) * 60)::BIGINT
                    AS contracted_minutes
         FROM user_locations ul JOIN users u ON u.id = ul.user_id
         WHERE ul.location_id = ANY($1) AND {CREW_ROLES}"
    )
}

/// Per ISO week of (`$2` years, `$3` weeks): the weeks that are drafts, shifts, paid minutes of assignments
/// and open slots (never negative per shift).
fn weeks_sql() -> String {
    format!(
        "SELECT wk.iso_year, wk.iso_week,
                count(DISTINCT w.id) FILTER (WHERE w.status = 'draft') AS draft_weeks,
                count(s.id) AS shifts,
                coalesce(sum(s.assigned * s.paid), 0)::BIGINT AS scheduled_minutes,
                coalesce(sum(GREATEST(s.slots - s.assigned, 0)), 0)::BIGINT AS open_slots
         FROM unnest($2::SMALLINT[], $3::SMALLINT[]) AS wk(iso_year, iso_week)
         JOIN schedule_weeks w
           ON w.location_id = ANY($1) AND w.iso_year = wk.iso_year AND w.iso_week = wk.iso_week
         LEFT JOIN LATERAL (
             SELECT sh.id, sh.slots, {PAID_MINUTES} AS paid,
                    (SELECT count(*) FROM assignments x WHERE x.shift_id = sh.id) AS assigned
             FROM shifts sh WHERE sh.week_id = w.id) s ON true
         GROUP BY wk.iso_year, wk.iso_week"
    )
}

/// Slots and filled slots (at most the slots per shift) per local date of `$2`.
const COVERAGE: &str = "
    SELECT sh.local_date, sum(sh.slots)::BIGINT AS slots, sum(LEAST(c.assigned, sh.slots))::BIGINT AS filled
    FROM shifts sh
    CROSS JOIN LATERAL (SELECT count(*) AS assigned FROM assignments x WHERE x.shift_id = sh.id) c
    WHERE sh.location_id = ANY($1) AND sh.local_date = ANY($2::DATE[])
    GROUP BY sh.local_date";

fn documents_sql() -> String {
    format!(
        "SELECT count(*) FILTER (WHERE {AWAITING_REVIEW}) AS awaiting,
                count(*) FILTER (WHERE {EXPIRING}) AS expiring
         FROM documents d JOIN users u ON u.id = d.owner_id
         WHERE {OWNER_IN_SCOPE}"
    )
}

fn hiring(rows: &[Row], interviews: &Row) -> HiringFigures {
    let mut totals: HashMap<String, (i64, i64)> = HashMap::new();
    for row in rows {
        totals.insert(row.get("status"), (row.get("total"), row.get("recent")));
    }
    let pipeline: Vec<(ApplicationStatus, i64)> = ApplicationStatus::ALL
        .into_iter()
        .map(|status| (status, totals.get(status.as_str()).map_or(0, |t| t.0)))
        .collect();
    HiringFigures {
        new_applications: totals
            .get(ApplicationStatus::New.as_str())
            .map_or(0, |t| t.0),
        received_last_7_days: totals.values().map(|t| t.1).sum(),
        pipeline,
        interviews_this_week: interviews.get(0),
    }
}

fn schedule(
    query: &DashboardQuery,
    weeks: &[Row],
    coverage: &[Row],
    contracted_minutes: i64,
) -> ScheduleFigures {
    let by_week: HashMap<(i16, i16), &Row> = weeks
        .iter()
        .map(|row| ((row.get("iso_year"), row.get("iso_week")), row))
        .collect();
    let week_row = |week: crewplots_domain::scheduling::time::IsoWeek| {
        let key = (
            i16::try_from(week.year()).unwrap_or_default(),
            i16::try_from(week.week()).unwrap_or_default(),
        );
        by_week.get(&key).copied()
    };
    let figure = |row: Option<&Row>, column: &str| row.map_or(0, |r| r.get::<_, i64>(column));
    let current = week_row(query.window.week);
    let by_date: HashMap<NaiveDate, (i64, i64)> = coverage
        .iter()
        .map(|row| (row.get("local_date"), (row.get("slots"), row.get("filled"))))
        .collect();
    ScheduleFigures {
        shifts: figure(current, "shifts"),
        scheduled_minutes: figure(current, "scheduled_minutes"),
        contracted_minutes,
        open_slots: figure(current, "open_slots"),
        draft_weeks: figure(current, "draft_weeks"),
        hours_by_week: query
            .window
            .weeks
            .iter()
            .map(|&week| WeekHours {
                week,
                scheduled_minutes: figure(week_row(week), "scheduled_minutes"),
                contracted_minutes,
            })
            .collect(),
        coverage: query
            .window
            .days
            .iter()
            .map(|&date| {
                let (slots, filled) = by_date.get(&date).copied().unwrap_or((0, 0));
                DayCoverage {
                    date,
                    slots,
                    filled,
                }
            })
            .collect(),
    }
}

#[async_trait]
impl DashboardStore for PgStore {
    async fn dashboard(&self, query: &DashboardQuery) -> StoreResult<DashboardFigures> {
        let client = self.client().await?;
        let client = &client;
        let locations: &Vec<Uuid> = &query.locations;
        let only: Option<Vec<Uuid>> = Some(locations.clone());
        let window = &query.window;
        let years: Vec<i16> = window
            .weeks
            .iter()
            .map(|w| i16::try_from(w.year()).unwrap_or_default())
            .collect();
        let numbers: Vec<i16> = window
            .weeks
            .iter()
            .map(|w| i16::try_from(w.week()).unwrap_or_default())
            .collect();
        let document_scope: Option<Vec<Uuid>> = match &query.documents {
            Some(LocationScope::Only(ids)) => Some(ids.clone()),
            _ => None,
        };
        let expiring_days = i32::try_from(EXPIRING_WITHIN_DAYS).unwrap_or(30);
        let (crew_sql, weeks_sql, documents_sql) = (crew_sql(), weeks_sql(), documents_sql());

        // Each part only when asked for; all of them go out together.
        let (pipeline, interviews, crew, weeks, coverage, requests, documents) = tokio::try_join!(
            async {
                if query.hiring {
                    client
                        .q(PIPELINE, &[locations, &window.received_since])
                        .await
                        .map(Some)
                } else {
                    Ok(None)
                }
            },
            async {
                if query.hiring {
                    client
                        .q_one(
                            INTERVIEWS,
                            &[locations, &window.week_starts, &window.week_ends],
                        )
                        .await
                        .map(Some)
                } else {
                    Ok(None)
                }
            },
            async { client.q_one(&crew_sql, &[locations]).await },
            async {
                if query.schedule {
                    client
                        .q(&weeks_sql, &[locations, &years, &numbers])
                        .await
                        .map(Some)
                } else {
                    Ok(None)
                }
            },
            async {
                if query.schedule {
                    client
                        .q(COVERAGE, &[locations, &window.days])
                        .await
                        .map(Some)
                } else {
                    Ok(None)
                }
            },
            async {
                if query.requests {
                    client.q(INBOX_COUNTS, &[&only]).await.map(Some)
                } else {
                    Ok(None)
                }
            },
            async {
                if query.documents.is_some() {
                    client
                        .q_one(&documents_sql, &[&document_scope, &expiring_days])
                        .await
                        .map(Some)
                } else {
                    Ok(None)
                }
            },
        )
        .map_err(db_error)?;

        let contracted_minutes: i64 = crew.get("contracted_minutes");
        Ok(DashboardFigures {
            hiring: pipeline
                .zip(interviews)
                .map(|(rows, interviews)| hiring(&rows, &interviews)),
            crew: CrewFigures {
                active: crew.get("active"),
                on_leave: crew.get("on_leave"),
            },
            schedule: weeks
                .zip(coverage)
                .map(|(weeks, coverage)| schedule(query, &weeks, &coverage, contracted_minutes)),
            requests: requests.map(|rows| {
                rows.iter()
                    .fold(RequestFigures::default(), |sum, row| RequestFigures {
                        claims: sum.claims + row.get::<_, i64>("claims"),
                        offers: sum.offers + row.get::<_, i64>("offers"),
                        swaps: sum.swaps + row.get::<_, i64>("swaps"),
                        time_off: sum.time_off + row.get::<_, i64>("time_off"),
                    })
            }),
            documents: documents.map(|row| DocumentFigures {
                awaiting_review: row.get("awaiting"),
                expiring_within_30_days: row.get("expiring"),
            }),
        })
    }
}

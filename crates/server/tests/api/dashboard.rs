//! The dashboard (issue 14 A) against the real stores: every figure equals what the screen it summarises
//! lists (the board, the week grids, the roster, the inbox counts, the review queue and the expiring list),
//! each caller sees only their own venues (404 for another's), floor managers get no document figures.

use chrono::Duration;
use crewplots_domain::scheduling::time::{zone, IsoWeek};
use crewplots_domain::Role;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use uuid::Uuid;

use crate::scheduling::{add_shift, assign, crew, expect, grid, uuid, venue, Venue};
use crate::support::{spawn_app, venue_today, TestApp, PASSWORD};

async fn dashboard(app: &TestApp, client: &reqwest::Client, query: &str) -> (StatusCode, Value) {
    crate::scheduling::call(
        app,
        client,
        Method::GET,
        &format!("/api/dashboard{query}"),
        None,
    )
    .await
}

async fn upload(app: &TestApp, client: &reqwest::Client, owner: Uuid, expires: Option<&str>) {
    let expires = expires.map_or(String::new(), |e| format!("&expiresOn={e}"));
    app.upload_pdf(client, owner, &format!("kind=other{expires}"))
        .await;
}

async fn sql(
    app: &TestApp,
    statement: &str,
    params: &[&(dyn tokio_postgres::types::ToSql + Sync)],
) {
    app.pg
        .get()
        .await
        .unwrap()
        .execute(statement, params)
        .await
        .unwrap();
}

/// A venue with applications in several statuses (one received 10 days ago), interviews this week, next
/// week and cancelled, crew with contracts, shifts on the next seven days with some assignments, a pending
/// time-off request and documents awaiting review / expiring.
async fn busy_venue(app: &TestApp, name: &str, applicants: usize) -> Venue {
    let at = venue(app, name).await;
    let mut applications = Vec::new();
    for _ in 0..applicants {
        let person = app.seed_user(Role::Applicant, &[]).await;
        applications.push(app.seed_application(person.id, at.id).await);
    }
    sql(
        app,
        "UPDATE applications SET status = 'contacted' WHERE id = $1",
        &[&applications[0]],
    )
    .await;
    sql(
        app,
        "UPDATE applications SET status = 'rejected' WHERE id = $1",
        &[&applications[1]],
    )
    .await;
    sql(
        app,
        "UPDATE applications SET created_at = now() - interval '10 days' WHERE id = $1",
        &[&applications[2]],
    )
    .await;
    let (week_starts, week_ends) = IsoWeek::of(venue_today()).bounds(zone("Europe/Amsterdam"));
    for (starts_at, status) in [
        (week_starts + Duration::hours(12), "scheduled"),
        (week_starts + Duration::hours(36), "completed"),
        (week_starts + Duration::hours(14), "cancelled"),
        (week_ends + Duration::hours(12), "scheduled"),
    ] {
        sql(
            app,
            "INSERT INTO interviews (id, application_id, starts_at, ends_at, place, status)
             VALUES ($1, $2, $3::TIMESTAMPTZ, $3::TIMESTAMPTZ + interval '30 minutes', 'Bar', $4)",
            &[&Uuid::new_v4(), &applications[0], &starts_at, &status],
        )
        .await;
    }

    let ana = crew(app, &at, &[at.runner], 32.0, None).await;
    let ben = crew(app, &at, &[at.runner], 12.5, None).await;
    let on_leave = crew(app, &at, &[at.runner], 20.0, None).await;
    sql(
        app,
        "UPDATE user_locations SET status = 'on_leave' WHERE user_id = $1",
        &[&on_leave.id],
    )
    .await;

    // Shifts on the next seven local dates (this week and maybe next), assignments from tomorrow on.
    let mut weeks = std::collections::HashMap::new();
    for offset in 0..7 {
        let date = venue_today() + Duration::days(offset);
        let iso = IsoWeek::of(date);
        if let std::collections::hash_map::Entry::Vacant(slot) = weeks.entry(iso) {
            let created = expect(
                app,
                &at.manager,
                Method::POST,
                &format!("/api/locations/{}/weeks", at.id),
                Some(json!({"isoWeek": iso.to_string(), "source": "empty"})),
                StatusCode::CREATED,
            )
            .await;
            slot.insert(uuid(&created["week"]["id"]));
        }
        let shift = add_shift(
            app,
            &at,
            weeks[&iso],
            json!({"date": date, "positionId": at.runner, "start": "18:00", "end": "23:30",
                   "breakMinutes": 30, "slots": 2}),
        )
        .await;
        if offset > 0 && offset % 2 == 1 {
            assign(app, &at, shift, ana.id).await;
        }
        if offset == 3 {
            assign(app, &at, shift, ben.id).await;
        }
    }

    let ana_client = app.login(&ana.username, PASSWORD).await;
    let day = (venue_today() + Duration::days(20)).to_string();
    expect(
        app,
        &ana_client,
        Method::POST,
        "/api/me/time-off",
        Some(json!({"firstDay": day, "lastDay": day, "category": "personal"})),
        StatusCode::CREATED,
    )
    .await;
    upload(app, &ana_client, ana.id, None).await;
    let soon = (venue_today() + Duration::days(10)).to_string();
    upload(app, &ana_client, ana.id, Some(&soon)).await;
    let later = (venue_today() + Duration::days(200)).to_string();
    upload(app, &at.manager, ben.id, Some(&later)).await;
    at
}

async fn get(app: &TestApp, client: &reqwest::Client, path: &str) -> Value {
    expect(app, client, Method::GET, path, None, StatusCode::OK).await
}

#[tokio::test]
async fn the_dashboard_counts_what_the_screens_list_and_stays_inside_the_callers_venues() {
    let app = spawn_app().await;
    let a = busy_venue(&app, "Dashboard A", 5).await;
    let b = busy_venue(&app, "Dashboard B", 3).await;
    let (status, view) = dashboard(&app, &a.manager, &format!("?location={}", a.id)).await;
    assert_eq!(status, 200, "{view}");
    assert_eq!(view["locations"].as_array().unwrap().len(), 1);
    assert_eq!(uuid(&view["locations"][0]["id"]), a.id);
    assert_eq!(view["isoWeek"], IsoWeek::of(venue_today()).to_string());

    // Hiring: the board's column totals, in board order with zeros.
    let board = get(
        &app,
        &a.manager,
        &format!("/api/applications/board?location={}", a.id),
    )
    .await;
    let columns = board["columns"].as_array().unwrap();
    let pipeline = view["hiring"]["pipeline"].as_array().unwrap();
    assert_eq!(pipeline.len(), 7);
    for (column, counted) in columns.iter().zip(pipeline) {
        assert_eq!(column["status"], counted["status"]);
        assert_eq!(column["count"], counted["count"]);
    }
    assert_eq!(view["hiring"]["newApplications"], columns[0]["count"]);
    assert_eq!(view["hiring"]["newApplications"], 3);
    assert_eq!(
        view["hiring"]["receivedLast7Days"], 4,
        "one came 10 days ago"
    );
    assert_eq!(
        view["hiring"]["interviewsThisWeek"], 2,
        "not cancelled, this week"
    );

    // Crew: the roster.
    let roster = get(&app, &a.manager, &format!("/api/locations/{}/crew", a.id)).await;
    let roster = roster.as_array().unwrap();
    let with = |status: &str| roster.iter().filter(|m| m["status"] == status).count();
    assert_eq!(view["crew"]["active"], with("active"));
    assert_eq!(view["crew"]["onLeave"], with("on_leave"));
    let contracted: f64 = roster
        .iter()
        .filter(|m| m["status"] == "active")
        .filter_map(|m| m["contractedHours"].as_f64())
        .sum();
    assert_eq!(
        view["schedule"]["contractedHours"].as_f64().unwrap(),
        contracted
    );
    assert_eq!(contracted, 44.5);

    // Schedule: the week grids.
    let this_week = IsoWeek::of(venue_today()).to_string();
    let current = grid(&app, &a, &this_week).await;
    let shifts = current["shifts"].as_array().unwrap();
    assert_eq!(view["schedule"]["shifts"], shifts.len());
    let open: i64 = shifts.iter().map(|s| s["open"].as_i64().unwrap()).sum();
    assert_eq!(view["schedule"]["openSlots"], open);
    let paid: i64 = shifts
        .iter()
        .map(|s| {
            s["paidMinutes"].as_i64().unwrap() * s["assignments"].as_array().unwrap().len() as i64
        })
        .sum();
    let scheduled = view["schedule"]["scheduledHours"].as_f64().unwrap();
    assert!(
        (scheduled - paid as f64 / 60.0).abs() < 0.006,
        "{scheduled} vs {paid} min"
    );
    assert_eq!(view["schedule"]["draftWeeks"], 1);
    let by_week = view["schedule"]["hoursByWeek"].as_array().unwrap();
    assert_eq!(by_week.len(), 8);
    assert_eq!(by_week[7]["isoWeek"], this_week.as_str());
    assert_eq!(
        by_week[7]["scheduledHours"],
        view["schedule"]["scheduledHours"]
    );
    assert_eq!(by_week[0]["scheduledHours"].as_f64(), Some(0.0));
    let coverage = view["schedule"]["coverage"].as_array().unwrap();
    assert_eq!(coverage.len(), 7);
    for (offset, day) in coverage.iter().enumerate() {
        let date = venue_today() + Duration::days(offset as i64);
        assert_eq!(day["date"], date.to_string());
        let week = grid(&app, &a, &IsoWeek::of(date).to_string()).await;
        let listed: Vec<&Value> = week["coverage"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|c| c["date"] == date.to_string())
            .collect();
        let sum = |field: &str| {
            listed
                .iter()
                .map(|c| c[field].as_i64().unwrap())
                .sum::<i64>()
        };
        assert_eq!(day["slots"], sum("slots"), "{date}");
        assert_eq!(day["filled"], sum("filled"), "{date}");
        assert_eq!(day["open"], sum("open"), "{date}");
    }

    // Requests: the inbox counts.
    let counts = get(&app, &a.manager, "/api/requests/counts").await;
    let here = counts
        .as_array()
        .unwrap()
        .iter()
        .find(|c| uuid(&c["locationId"]) == a.id)
        .unwrap();
    assert_eq!(view["requests"]["timeOff"], here["timeOff"]);
    assert_eq!(view["requests"]["timeOff"], 1);
    let shift_requests = ["claims", "offers", "swaps"]
        .iter()
        .map(|k| view["requests"][k].as_i64().unwrap())
        .sum::<i64>();
    assert_eq!(shift_requests, here["shiftRequests"].as_i64().unwrap());

    // Documents: the review queue and the expiring list of this manager (venue A only).
    let queue = get(&app, &a.manager, "/api/documents/review-queue").await;
    let expiring = get(&app, &a.manager, "/api/documents/expiring").await;
    assert_eq!(
        view["documents"]["awaitingReview"],
        queue.as_array().unwrap().len()
    );
    assert_eq!(
        view["documents"]["expiringWithin30Days"],
        expiring.as_array().unwrap().len()
    );
    assert!(view["documents"]["awaitingReview"].as_i64().unwrap() >= 2);
    assert_eq!(view["documents"]["expiringWithin30Days"], 1);

    // Scoping: B's manager sees B's figures only, and A does not exist for them.
    let (status, of_b) = dashboard(&app, &b.manager, "").await;
    assert_eq!(status, 200);
    assert_eq!(of_b["locations"].as_array().unwrap().len(), 1);
    assert_eq!(uuid(&of_b["locations"][0]["id"]), b.id);
    assert_eq!(of_b["hiring"]["newApplications"], 1);
    let (status, refused) = dashboard(&app, &b.manager, &format!("?location={}", a.id)).await;
    assert_eq!(status, 404);
    assert_eq!(refused["error"]["code"], "not_found");

    // Floor managers: hiring (they see the board) but no documents.
    let (status, floor) = dashboard(&app, &a.floor, &format!("?location={}", a.id)).await;
    assert_eq!(status, 200);
    assert!(floor["documents"].is_null());
    assert_eq!(floor["hiring"], view["hiring"]);
    assert_eq!(floor["schedule"]["shifts"], view["schedule"]["shifts"]);

    // Administrators: every venue; the unfiltered board's totals.
    let admin = app.seed_user(Role::Administrator, &[]).await;
    let admin = app.login(&admin.username, PASSWORD).await;
    let (status, all) = dashboard(&app, &admin, "").await;
    assert_eq!(status, 200);
    assert_eq!(all["locations"].as_array().unwrap().len(), 2);
    let board = get(&app, &admin, "/api/applications/board").await;
    for (column, counted) in board["columns"]
        .as_array()
        .unwrap()
        .iter()
        .zip(all["hiring"]["pipeline"].as_array().unwrap())
    {
        assert_eq!(column["count"], counted["count"]);
    }
    assert_eq!(all["schedule"]["draftWeeks"], 2);
    assert_eq!(
        all["crew"]["active"].as_i64().unwrap(),
        2 * view["crew"]["active"].as_i64().unwrap()
    );
    let (status, _) = dashboard(&app, &admin, &format!("?location={}", Uuid::new_v4())).await;
    assert_eq!(status, 404, "an unknown venue");

    // Crew members have no dashboard; anonymous callers must log in.
    let crew_member = app.seed_user(Role::CrewMember, &[a.id]).await;
    let crew_member = app.login(&crew_member.username, PASSWORD).await;
    assert_eq!(dashboard(&app, &crew_member, "").await.0, 403);
    assert_eq!(dashboard(&app, &reqwest::Client::new(), "").await.0, 401);
}

//! Claims, offers and swaps through the HTTP API against the real stores: the colleague's answer, approval
//! from the inbox with the rules re-checked on the state of that moment, both assignments moving in one
//! transaction or neither, the published copy following at once, the change history, notifications with
//! per-kind e-mail settings, the cut-off, and two crew claiming the last slot at once.

use chrono::{Duration, Utc};
use crewplots_domain::scheduling::time::IsoWeek;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use uuid::Uuid;

use crate::scheduling::{
    add_shift, assign, call, crew, empty_week, expect, grid, people_on, publish, rename, uuid,
    venue, Venue,
};
use crate::support::{spawn_app, Seeded, TestApp, PASSWORD};

fn shift_body(at: &Venue, date: chrono::NaiveDate, start: &str, end: &str, slots: u32) -> Value {
    json!({"date": date, "positionId": at.runner, "start": start, "end": end, "slots": slots})
}

async fn outbox_subjects(app: &TestApp, who: &Seeded) -> Vec<String> {
    app.pg
        .get()
        .await
        .unwrap()
        .query(
            "SELECT subject FROM email_outbox WHERE to_address = $1 ORDER BY created_at",
            &[&format!("{}@example.test", who.username)],
        )
        .await
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect()
}

#[tokio::test]
async fn a_swap_is_answered_approved_from_the_inbox_and_moves_both_shifts_at_once() {
    let app = spawn_app().await;
    let at = venue(&app, "Swapbar").await;
    let ann = crew(&app, &at, &[at.runner], 20.0, None).await;
    let bram = crew(&app, &at, &[at.runner], 20.0, None).await;
    rename(&app, &ann, "Ann", "Tromp").await;
    rename(&app, &bram, "Bram", "Visser").await;
    let iso = IsoWeek::of(crate::support::venue_today()).plus(2).unwrap();
    let week = empty_week(&app, &at, iso).await;
    let tuesday = add_shift(
        &app,
        &at,
        week,
        shift_body(&at, iso.days()[1], "18:00", "23:00", 1),
    )
    .await;
    let wednesday = add_shift(
        &app,
        &at,
        week,
        shift_body(&at, iso.days()[2], "12:00", "18:00", 1),
    )
    .await;
    let ann_on_tuesday = assign(&app, &at, tuesday, ann.id).await;
    let bram_on_wednesday = assign(&app, &at, wednesday, bram.id).await;
    publish(&app, &at, week, iso).await;
    let ann_client = app.login(&ann.username, PASSWORD).await;
    let bram_client = app.login(&bram.username, PASSWORD).await;

    let proposed = expect(
        &app,
        &ann_client,
        Method::POST,
        &format!("/api/assignments/{ann_on_tuesday}/swap"),
        Some(json!({"targetAssignmentId": bram_on_wednesday})),
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(proposed["status"], "pending_colleague");
    assert_eq!(proposed["canWithdraw"], true);
    let request = uuid(&proposed["id"]);
    // A second request for the same assignment is refused.
    let (status, body) = call(
        &app,
        &ann_client,
        Method::POST,
        &format!("/api/assignments/{ann_on_tuesday}/offer"),
        None,
    )
    .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (StatusCode::CONFLICT, Some("request_exists"))
    );

    // Bram sees it to answer, with Ann as first name and initial only.
    let bram_view = expect(
        &app,
        &bram_client,
        Method::GET,
        "/api/me/requests",
        None,
        StatusCode::OK,
    )
    .await;
    let item = &bram_view["toAnswer"][0];
    assert_eq!(item["id"], json!(request));
    assert_eq!(item["requester"]["name"], "Ann T.");
    assert_eq!(item["canAccept"], true);
    assert_eq!(item["canApprove"], false);
    assert_eq!(item["targetShift"]["localStart"], "12:00");
    // The floor manager cannot approve before Bram answered; Ann cannot accept her own.
    let (status, body) = call(
        &app,
        &at.floor,
        Method::POST,
        &format!("/api/requests/{request}/approve"),
        None,
    )
    .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (StatusCode::CONFLICT, Some("request_changed"))
    );
    let (status, _) = call(
        &app,
        &ann_client,
        Method::POST,
        &format!("/api/requests/{request}/accept"),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    let accepted = expect(
        &app,
        &bram_client,
        Method::POST,
        &format!("/api/requests/{request}/accept"),
        None,
        StatusCode::OK,
    )
    .await;
    assert_eq!(accepted["status"], "pending_approval");
    // Nothing moved yet.
    assert_eq!(people_on(&app, tuesday).await, vec![ann.id]);

    // The inbox: counts and the request, with full names for staff.
    let counts = expect(
        &app,
        &at.floor,
        Method::GET,
        "/api/requests/counts",
        None,
        StatusCode::OK,
    )
    .await;
    let here = counts
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["locationId"] == json!(at.id))
        .unwrap()
        .clone();
    assert_eq!(here["shiftRequests"], 1);
    let inbox = expect(
        &app,
        &at.floor,
        Method::GET,
        &format!("/api/locations/{}/requests", at.id),
        None,
        StatusCode::OK,
    )
    .await;
    assert_eq!(inbox[0]["requester"]["name"], "Ann Tromp");
    assert_eq!(inbox[0]["canApprove"], true);
    let (status, _) = call(
        &app,
        &bram_client,
        Method::POST,
        &format!("/api/requests/{request}/approve"),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    let approved = expect(
        &app,
        &at.floor,
        Method::POST,
        &format!("/api/requests/{request}/approve"),
        Some(json!({"reason": "Fine by me"})),
        StatusCode::OK,
    )
    .await;
    assert_eq!(approved["status"], "approved");
    assert_eq!(people_on(&app, tuesday).await, vec![bram.id]);
    assert_eq!(people_on(&app, wednesday).await, vec![ann.id]);
    // Approving twice is a conflict with the state, not a second move.
    let (status, body) = call(
        &app,
        &at.manager,
        Method::POST,
        &format!("/api/requests/{request}/approve"),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(body["error"]["fields"]["status"], "approved");

    // The published copy followed: Ann's old assignment is cancelled with a higher sequence, both see
    // their new shift, and the week does not look changed-since-publish.
    let db = app.pg.get().await.unwrap();
    let old: (i32, bool) = db
        .query_one(
            "SELECT sequence, cancelled_at IS NOT NULL FROM published_assignments WHERE assignment_id = $1",
            &[&ann_on_tuesday],
        )
        .await
        .map(|r| (r.get(0), r.get(1)))
        .unwrap();
    assert!(old.0 >= 1 && old.1, "{old:?}");
    let mine = expect(
        &app,
        &ann_client,
        Method::GET,
        "/api/me/shifts",
        None,
        StatusCode::OK,
    )
    .await;
    let upcoming = mine["upcoming"].as_array().unwrap();
    assert_eq!(upcoming.len(), 1);
    assert_eq!(upcoming[0]["shiftId"], json!(wednesday));
    let g = grid(&app, &at, &iso.to_string()).await;
    assert_eq!(g["week"]["hasUnpublishedChanges"], false, "{}", g["week"]);
    // The history has every step.
    let history = expect(
        &app,
        &at.manager,
        Method::GET,
        &format!("/api/weeks/{week}/changes"),
        None,
        StatusCode::OK,
    )
    .await;
    let steps = history
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["kind"] == "request")
        .count();
    assert!(
        steps >= 4,
        "made, accepted, and one row per moved person: {history}"
    );

    // Notifications and mails: Bram was asked, Ann heard the answer and the decision.
    let bram_notes = expect(
        &app,
        &bram_client,
        Method::GET,
        "/api/me/notifications",
        None,
        StatusCode::OK,
    )
    .await;
    let kinds: Vec<&str> = bram_notes["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["kind"].as_str().unwrap())
        .collect();
    assert!(
        kinds.contains(&"swap_proposed") && kinds.contains(&"request_decided"),
        "{kinds:?}"
    );
    let ann_notes = expect(
        &app,
        &ann_client,
        Method::GET,
        "/api/me/notifications",
        None,
        StatusCode::OK,
    )
    .await;
    // Publishing told her of her shift; then the answer and the decision.
    assert_eq!(ann_notes["unread"], 3);
    assert_eq!(ann_notes["items"][2]["kind"], "schedule_changed");
    let subjects = outbox_subjects(&app, &ann).await;
    assert!(
        subjects
            .iter()
            .any(|s| s == "Your shift request was approved"),
        "{subjects:?}"
    );
    assert!(subjects
        .iter()
        .any(|s| s == "Your shift request was answered"));
    let marked = expect(
        &app,
        &ann_client,
        Method::POST,
        "/api/me/notifications/read",
        Some(json!({})),
        StatusCode::OK,
    )
    .await;
    assert_eq!(marked["marked"], 3);
    assert_eq!(marked["unread"], 0);
    assert_eq!(app.audit_count("shift_request.approved").await, 1);
}

#[tokio::test]
async fn approval_rechecks_the_rules_and_applies_nothing_when_they_no_longer_hold() {
    let app = spawn_app().await;
    let at = venue(&app, "Recheck").await;
    let ann = crew(&app, &at, &[at.runner], 20.0, None).await;
    let bram = crew(&app, &at, &[at.runner], 20.0, None).await;
    let iso = IsoWeek::of(crate::support::venue_today()).plus(2).unwrap();
    let week = empty_week(&app, &at, iso).await;
    let tuesday = add_shift(
        &app,
        &at,
        week,
        shift_body(&at, iso.days()[1], "18:00", "23:00", 1),
    )
    .await;
    let thursday = add_shift(
        &app,
        &at,
        week,
        shift_body(&at, iso.days()[3], "12:00", "18:00", 1),
    )
    .await;
    let ann_a = assign(&app, &at, tuesday, ann.id).await;
    let bram_a = assign(&app, &at, thursday, bram.id).await;
    publish(&app, &at, week, iso).await;
    let ann_client = app.login(&ann.username, PASSWORD).await;
    let bram_client = app.login(&bram.username, PASSWORD).await;
    let proposed = expect(
        &app,
        &ann_client,
        Method::POST,
        &format!("/api/assignments/{ann_a}/swap"),
        Some(json!({"targetAssignmentId": bram_a})),
        StatusCode::CREATED,
    )
    .await;
    let request = uuid(&proposed["id"]);
    expect(
        &app,
        &bram_client,
        Method::POST,
        &format!("/api/requests/{request}/accept"),
        None,
        StatusCode::OK,
    )
    .await;

    // Meanwhile Ann gets approved time off on Thursday.
    let asked = expect(
        &app,
        &ann_client,
        Method::POST,
        "/api/me/time-off",
        Some(json!({"firstDay": iso.days()[3], "lastDay": iso.days()[3], "category": "personal"})),
        StatusCode::CREATED,
    )
    .await;
    expect(
        &app,
        &at.manager,
        Method::POST,
        &format!("/api/time-off/{}/decision", asked["id"].as_str().unwrap()),
        Some(json!({"decision": "approved"})),
        StatusCode::OK,
    )
    .await;
    let (status, body) = call(
        &app,
        &at.manager,
        Method::POST,
        &format!("/api/requests/{request}/approve"),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(body["error"]["code"], "time_off");
    assert_eq!(body["error"]["fields"]["userId"], json!(ann.id));
    // Neither assignment moved; the request still waits (a manager can deny it).
    assert_eq!(people_on(&app, tuesday).await, vec![ann.id]);
    assert_eq!(people_on(&app, thursday).await, vec![bram.id]);
    let denied = expect(
        &app,
        &at.manager,
        Method::POST,
        &format!("/api/requests/{request}/deny"),
        Some(json!({"reason": "Ann is off on Thursday"})),
        StatusCode::OK,
    )
    .await;
    assert_eq!(denied["status"], "denied");
    let (status, body) = call(
        &app,
        &at.manager,
        Method::POST,
        &format!("/api/requests/{request}/deny"),
        Some(json!({})),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["error"]["fields"]["reason"], "required");

    // A withdrawn offer cannot be taken; a colleague's taking of an open one is checked too.
    let offered = expect(
        &app,
        &bram_client,
        Method::POST,
        &format!("/api/assignments/{bram_a}/offer"),
        None,
        StatusCode::CREATED,
    )
    .await;
    let offer = uuid(&offered["id"]);
    expect(
        &app,
        &bram_client,
        Method::POST,
        &format!("/api/requests/{offer}/withdraw"),
        None,
        StatusCode::OK,
    )
    .await;
    let (status, body) = call(
        &app,
        &ann_client,
        Method::POST,
        &format!("/api/requests/{offer}/accept"),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(body["error"]["code"], "request_changed");
    assert_eq!(body["error"]["fields"]["status"], "withdrawn");
}

#[tokio::test]
async fn open_shifts_are_judged_by_the_rules_claimed_with_or_without_approval_and_offers_taken() {
    let app = spawn_app().await;
    let at = venue(&app, "Claims").await;
    let ann = crew(&app, &at, &[at.runner], 20.0, None).await;
    let bram = crew(&app, &at, &[at.runner], 20.0, None).await;
    let cas = crew(&app, &at, &[at.runner], 20.0, None).await;
    let iso = IsoWeek::of(crate::support::venue_today()).plus(1).unwrap();
    let week = empty_week(&app, &at, iso).await;
    let friday = add_shift(
        &app,
        &at,
        week,
        shift_body(&at, iso.days()[4], "17:00", "23:00", 2),
    )
    .await;
    let saturday = add_shift(
        &app,
        &at,
        week,
        shift_body(&at, iso.days()[5], "17:00", "23:00", 1),
    )
    .await;
    let bram_sat = assign(&app, &at, saturday, bram.id).await;
    publish(&app, &at, week, iso).await;
    let ann_client = app.login(&ann.username, PASSWORD).await;
    let bram_client = app.login(&bram.username, PASSWORD).await;
    let cas_client = app.login(&cas.username, PASSWORD).await;

    // Cas is unavailable on Fridays: the open Friday shows, refused for her.
    expect(
        &app,
        &cas_client,
        Method::PUT,
        "/api/me/availability",
        Some(json!({"effectiveFrom": crate::support::venue_today(), "windows": [{"weekday": 5, "kind": "unavailable"}]})),
        StatusCode::OK,
    )
    .await;
    let open = expect(
        &app,
        &cas_client,
        Method::GET,
        "/api/me/open-shifts",
        None,
        StatusCode::OK,
    )
    .await;
    let fri = open["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["shift"]["shiftId"] == json!(friday))
        .unwrap()
        .clone();
    assert_eq!(fri["eligible"], false);
    assert_eq!(fri["reasons"][0]["code"], "unavailable");
    assert_eq!(fri["openSlots"], 2);
    assert_eq!(fri["needsApproval"], true);
    let (status, body) = call(
        &app,
        &cas_client,
        Method::POST,
        &format!("/api/shifts/{friday}/claim"),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(body["error"]["code"], "unavailable");

    // Ann marks interest, then claims; the claim waits for approval; the eligible list puts her first.
    expect(
        &app,
        &ann_client,
        Method::PUT,
        &format!("/api/shifts/{friday}/interest"),
        None,
        StatusCode::NO_CONTENT,
    )
    .await;
    let eligible = expect(
        &app,
        &at.floor,
        Method::GET,
        &format!("/api/shifts/{friday}/eligible"),
        None,
        StatusCode::OK,
    )
    .await;
    assert_eq!(eligible["people"][0]["person"]["id"], json!(ann.id));
    assert_eq!(eligible["people"][0]["interested"], true);
    let claim = expect(
        &app,
        &ann_client,
        Method::POST,
        &format!("/api/shifts/{friday}/claim"),
        None,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(claim["status"], "pending_approval");
    let (status, body) = call(
        &app,
        &ann_client,
        Method::POST,
        &format!("/api/shifts/{friday}/claim"),
        None,
    )
    .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (StatusCode::CONFLICT, Some("request_exists"))
    );
    let open = expect(
        &app,
        &ann_client,
        Method::GET,
        "/api/me/open-shifts",
        None,
        StatusCode::OK,
    )
    .await;
    let fri = open["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["shift"]["shiftId"] == json!(friday))
        .unwrap()
        .clone();
    assert_eq!(fri["interested"], true);
    assert_eq!(fri["pendingClaimId"], claim["id"]);
    let approved = expect(
        &app,
        &at.floor,
        Method::POST,
        &format!("/api/locations/{}/requests/approve", at.id),
        Some(json!({"ids": [claim["id"], Uuid::new_v4()]})),
        StatusCode::OK,
    )
    .await;
    assert_eq!(approved["approved"], json!([claim["id"]]));
    assert_eq!(approved["notApproved"][0]["code"], "not_found");
    assert_eq!(people_on(&app, friday).await, vec![ann.id]);

    // Without approval a claim applies at once.
    expect(
        &app,
        &at.manager,
        Method::PUT,
        &format!("/api/locations/{}/request-settings", at.id),
        Some(json!({"claimsNeedApproval": false, "swapsNeedApproval": true, "cutoffMinutes": 60})),
        StatusCode::OK,
    )
    .await;
    let (status, _) = call(
        &app,
        &at.floor,
        Method::PUT,
        &format!("/api/locations/{}/request-settings", at.id),
        Some(json!({"claimsNeedApproval": true, "swapsNeedApproval": true, "cutoffMinutes": 60})),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "settings are for managers");
    let claimed = expect(
        &app,
        &bram_client,
        Method::POST,
        &format!("/api/shifts/{friday}/claim"),
        None,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(claimed["status"], "approved");
    let mut both = vec![ann.id, bram.id];
    both.sort();
    assert_eq!(people_on(&app, friday).await, both);
    // Full now: no longer open, and a claim is a conflict.
    let (status, body) = call(
        &app,
        &cas_client,
        Method::POST,
        &format!("/api/shifts/{friday}/claim"),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");

    // Bram offers his Saturday: Ann and Cas are told; Cas takes it; after approval she works it.
    let offered = expect(
        &app,
        &bram_client,
        Method::POST,
        &format!("/api/assignments/{bram_sat}/offer"),
        None,
        StatusCode::CREATED,
    )
    .await;
    let offer = uuid(&offered["id"]);
    let cas_notes = expect(
        &app,
        &cas_client,
        Method::GET,
        "/api/me/notifications",
        None,
        StatusCode::OK,
    )
    .await;
    assert_eq!(cas_notes["items"][0]["kind"], "shift_offered");
    let open = expect(
        &app,
        &cas_client,
        Method::GET,
        "/api/me/open-shifts",
        None,
        StatusCode::OK,
    )
    .await;
    let sat = open["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["shift"]["shiftId"] == json!(saturday))
        .unwrap()
        .clone();
    assert_eq!(sat["offer"]["requestId"], json!(offer));
    assert_eq!(sat["eligible"], true);
    let taken = expect(
        &app,
        &cas_client,
        Method::POST,
        &format!("/api/requests/{offer}/accept"),
        None,
        StatusCode::OK,
    )
    .await;
    assert_eq!(taken["status"], "pending_approval");
    assert_eq!(taken["taker"]["id"], json!(cas.id));
    expect(
        &app,
        &at.manager,
        Method::POST,
        &format!("/api/requests/{offer}/approve"),
        None,
        StatusCode::OK,
    )
    .await;
    assert_eq!(people_on(&app, saturday).await, vec![cas.id]);

    // Muting a kind by e-mail keeps the in-app notice but sends no mail.
    expect(
        &app,
        &ann_client,
        Method::PUT,
        "/api/me/notification-settings",
        Some(json!({"kind": "shift_offered", "email": false})),
        StatusCode::OK,
    )
    .await;
    let settings = expect(
        &app,
        &ann_client,
        Method::GET,
        "/api/me/notification-settings",
        None,
        StatusCode::OK,
    )
    .await;
    assert_eq!(settings.as_array().unwrap().len(), 5);
    let before = outbox_subjects(&app, &ann).await.len();
    let cas_sat = people_on(&app, saturday).await;
    assert_eq!(cas_sat, vec![cas.id]);
    let cas_assignment: Uuid = app
        .pg
        .get()
        .await
        .unwrap()
        .query_one(
            "SELECT id FROM assignments WHERE shift_id = $1",
            &[&saturday],
        )
        .await
        .unwrap()
        .get(0);
    expect(
        &app,
        &cas_client,
        Method::POST,
        &format!("/api/assignments/{cas_assignment}/offer"),
        None,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(
        outbox_subjects(&app, &ann).await.len(),
        before,
        "muted by e-mail"
    );
    let ann_notes = expect(
        &app,
        &ann_client,
        Method::GET,
        "/api/me/notifications?limit=1",
        None,
        StatusCode::OK,
    )
    .await;
    assert_eq!(ann_notes["items"][0]["kind"], "shift_offered");
    assert!(ann_notes["nextCursor"].is_string());
}

#[tokio::test]
async fn requests_close_at_the_cutoff() {
    let app = spawn_app().await;
    let at = venue(&app, "Cutoff").await;
    let ann = crew(&app, &at, &[at.runner], 20.0, None).await;
    let now = Utc::now();
    // A shift starting in about three hours, in whatever week that is; the default cut-off is 12 hours.
    let tz = crewplots_domain::scheduling::time::zone("Europe/Amsterdam");
    let soon = (now + Duration::hours(3)).with_timezone(&tz);
    let date = soon.date_naive();
    let iso = IsoWeek::of(date);
    let start = soon.format("%H:00").to_string();
    let end = (soon + Duration::hours(2)).format("%H:00").to_string();
    let week = empty_week(&app, &at, iso).await;
    let shift = add_shift(&app, &at, week, shift_body(&at, date, &start, &end, 1)).await;
    publish(&app, &at, week, iso).await;
    let ann_client = app.login(&ann.username, PASSWORD).await;
    let (status, body) = call(
        &app,
        &ann_client,
        Method::POST,
        &format!("/api/shifts/{shift}/claim"),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(body["error"]["code"], "past_cutoff");
    let open = expect(
        &app,
        &ann_client,
        Method::GET,
        "/api/me/open-shifts",
        None,
        StatusCode::OK,
    )
    .await;
    assert!(open["items"]
        .as_array()
        .unwrap()
        .iter()
        .all(|i| i["shift"]["shiftId"] != json!(shift)));
}

#[tokio::test]
async fn two_crew_claiming_the_last_slot_at_once_exactly_one_wins_ten_rounds() {
    let app = spawn_app().await;
    let at = venue(&app, "Race").await;
    expect(
        &app,
        &at.manager,
        Method::PUT,
        &format!("/api/locations/{}/request-settings", at.id),
        Some(json!({"claimsNeedApproval": false, "swapsNeedApproval": true, "cutoffMinutes": 0})),
        StatusCode::OK,
    )
    .await;
    let ann = crew(&app, &at, &[at.runner], 20.0, None).await;
    let bram = crew(&app, &at, &[at.runner], 20.0, None).await;
    let ann_client = app.login(&ann.username, PASSWORD).await;
    let bram_client = app.login(&bram.username, PASSWORD).await;
    let iso = IsoWeek::of(crate::support::venue_today()).plus(1).unwrap();
    let week = empty_week(&app, &at, iso).await;
    let mut shifts = Vec::new();
    for round in 0..10u32 {
        let day = iso.days()[(round % 7) as usize];
        let hour = 6 + (round / 7) * 8;
        shifts.push(
            add_shift(
                &app,
                &at,
                week,
                shift_body(
                    &at,
                    day,
                    &format!("{hour:02}:00"),
                    &format!("{:02}:00", hour + 1),
                    1,
                ),
            )
            .await,
        );
    }
    publish(&app, &at, week, iso).await;
    for shift in shifts {
        let path = format!("/api/shifts/{shift}/claim");
        let (a, b) = tokio::join!(
            call(&app, &ann_client, Method::POST, &path, None),
            call(&app, &bram_client, Method::POST, &path, None)
        );
        let mut statuses = [a.0, b.0];
        statuses.sort();
        assert_eq!(
            statuses,
            [StatusCode::CREATED, StatusCode::CONFLICT],
            "{a:?} {b:?}"
        );
        let loser = if a.0 == StatusCode::CONFLICT {
            &a.1
        } else {
            &b.1
        };
        assert_eq!(loser["error"]["code"], "slots_full", "{loser}");
        assert_eq!(people_on(&app, shift).await.len(), 1);
    }
}

//! The crew's self-service through the HTTP API against the real stores: my shifts, the calendar feed
//! (parsed by the `icalendar` library from PyPI, not by our code), availability read by the rule engine,
//! time off from request to decision, the inbox's view of it, the feed's rate limit, and the data export.

use std::io::Write as _;
use std::process::{Command, Stdio};

use chrono::{Duration, NaiveDate};
use crewplots_domain::scheduling::time::IsoWeek;
use crewplots_domain::Role;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use uuid::Uuid;

use crate::scheduling::{
    add_shift, assign, call, crew, empty_week, expect, grid, publish, rename, uuid, venue, Venue,
};
use crate::support::{browser, spawn_app, Seeded, TestApp, PASSWORD};

/// Parses a feed with the `icalendar` package and prints what a calendar client would see.
const PARSE_FEED: &str = r#"
import sys, json, icalendar
cal = icalendar.Calendar.from_ical(sys.stdin.buffer.read())
events = []
for ev in cal.walk('VEVENT'):
    start, end = ev.decoded('DTSTART'), ev.decoded('DTEND')
    events.append({
        "uid": str(ev['UID']), "sequence": int(ev.get('SEQUENCE', 0)),
        "start": start.isoformat(), "end": end.isoformat(),
        "minutes": (end - start).total_seconds() / 60,
        "utc": start.utcoffset().total_seconds() == 0 and end.utcoffset().total_seconds() == 0,
        "status": str(ev.get('STATUS', '')), "summary": str(ev['SUMMARY']),
        "description": str(ev.get('DESCRIPTION', '')),
        "lastModified": ev.decoded('LAST-MODIFIED').isoformat(),
        "stamp": ev.decoded('DTSTAMP').isoformat(),
    })
print(json.dumps({"name": str(cal.get('X-WR-CALNAME')), "refresh": str(cal['REFRESH-INTERVAL'].dt),
                  "events": events}))
"#;

fn parse_feed(body: &str) -> Value {
    let python = std::env::var("CREWPLOTS_TEST_PYTHON").unwrap_or_else(|_| "python3".into());
    let mut child = Command::new(python)
        .args(["-c", PARSE_FEED])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("python with icalendar (the test stack's venv)");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(body.as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(
        output.status.success(),
        "icalendar refused the feed: {}\n{body}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

fn runner_shift(at: &Venue, date: NaiveDate, start: &str, end: &str, slots: u32) -> Value {
    json!({"date": date, "positionId": at.runner, "start": start, "end": end, "slots": slots,
           "breakMinutes": 30, "note": "Terrace"})
}

/// Fetches a feed: status, ETag and body.
async fn fetch_feed(url: &str, etag: Option<&str>) -> (StatusCode, Option<String>, String) {
    let mut request = browser().get(url);
    if let Some(etag) = etag {
        request = request.header("If-None-Match", etag);
    }
    let response = request.send().await.unwrap();
    let status = response.status();
    let etag = response
        .headers()
        .get("etag")
        .map(|v| v.to_str().unwrap().to_string());
    if status == StatusCode::OK {
        assert_eq!(
            response.headers()["content-type"],
            "text/calendar; charset=utf-8"
        );
    }
    (status, etag, response.text().await.unwrap())
}

/// The feed URL as the server's public address gives it, pointed at the test server.
fn local(app: &TestApp, url: &str) -> String {
    let path = &url[url.find("/api/calendar/").unwrap()..];
    app.url(path)
}

#[tokio::test]
async fn my_shifts_list_published_shifts_with_first_names_and_hours() {
    let app = spawn_app().await;
    let at = venue(&app, "Café Noord").await;
    let ann = crew(&app, &at, &[at.runner], 20.0, None).await;
    let bram = crew(&app, &at, &[at.runner], 10.0, None).await;
    rename(&app, &ann, "Ann", "Tromp").await;
    rename(&app, &bram, "Bram", "Visser").await;
    let this_week = IsoWeek::of(crate::support::venue_today());
    let week_id = empty_week(&app, &at, this_week).await;
    // Monday 10:00–14:30 with a 30 minute break: 4 paid hours, whichever day today is.
    let monday = add_shift(
        &app,
        &at,
        week_id,
        runner_shift(&at, this_week.days()[0], "10:00", "14:30", 2),
    )
    .await;
    assign(&app, &at, monday, ann.id).await;
    assign(&app, &at, monday, bram.id).await;
    let next = this_week.plus(1).unwrap();
    let next_id = empty_week(&app, &at, next).await;
    let friday = add_shift(
        &app,
        &at,
        next_id,
        runner_shift(&at, next.days()[4], "22:00", "03:00", 1),
    )
    .await;
    assign(&app, &at, friday, ann.id).await;
    let ann_client = app.login(&ann.username, PASSWORD).await;

    // Nothing is published yet: crew see nothing of drafts.
    let mine = expect(
        &app,
        &ann_client,
        Method::GET,
        "/api/me/shifts",
        None,
        StatusCode::OK,
    )
    .await;
    assert_eq!(mine["upcoming"], json!([]));
    assert_eq!(mine["todayShifts"], json!([]));
    assert_eq!(mine["past"], json!([]));
    assert_eq!(mine["hours"]["weekMinutes"], 0);

    publish(&app, &at, week_id, this_week).await;
    publish(&app, &at, next_id, next).await;
    let mine = expect(
        &app,
        &ann_client,
        Method::GET,
        "/api/me/shifts?pastDays=14",
        None,
        StatusCode::OK,
    )
    .await;
    assert_eq!(mine["hours"]["weekMinutes"], 240, "{mine}");
    assert_eq!(mine["hours"]["contractedMinutes"], 1200);
    assert_eq!(mine["hours"]["isoWeek"], this_week.to_string());
    let all: Vec<&Value> = ["todayShifts", "upcoming", "past"]
        .iter()
        .flat_map(|k| mine[*k].as_array().unwrap())
        .collect();
    assert_eq!(all.len(), 2, "{mine}");
    let on_monday = all.iter().find(|s| s["shiftId"] == json!(monday)).unwrap();
    assert_eq!(on_monday["colleagues"], json!(["Bram"]));
    assert_eq!(on_monday["paidMinutes"], 240);
    assert_eq!(on_monday["localStart"], "10:00");
    assert_eq!(on_monday["location"]["name"], "Café Noord");
    let overnight = mine["upcoming"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["shiftId"] == json!(friday))
        .expect("next week's Friday is upcoming");
    assert_eq!(overnight["localEnd"], "03:00");
    assert_eq!(overnight["colleagues"], json!([]));
    assert_eq!(overnight["paidMinutes"], 270);

    // Bad input and the wrong people.
    let (status, body) = call(
        &app,
        &ann_client,
        Method::GET,
        "/api/me/shifts?pastDays=400",
        None,
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["error"]["fields"]["pastDays"], "out_of_range");
    let (status, _) = call(&app, &at.manager, Method::GET, "/api/me/shifts", None).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = call(&app, &browser(), Method::GET, "/api/me/shifts", None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn the_calendar_feed_keeps_uids_raises_sequence_cancels_and_dies_when_regenerated() {
    let app = spawn_app().await;
    let at = venue(&app, "De Kade").await;
    let ann = crew(&app, &at, &[at.runner], 20.0, None).await;
    let bram = crew(&app, &at, &[at.runner], 20.0, None).await;
    rename(&app, &ann, "Ann", "Tromp").await;
    rename(&app, &bram, "Bram", "Visser").await;
    let ann_client = app.login(&ann.username, PASSWORD).await;

    // The two 2027 clock-change nights (SCHEDULING.md §3), and a normal week.
    let spring = IsoWeek::parse("2027-W12").unwrap();
    let autumn = IsoWeek::parse("2027-W43").unwrap();
    let spring_id = empty_week(&app, &at, spring).await;
    let autumn_id = empty_week(&app, &at, autumn).await;
    let spring_shift = add_shift(
        &app,
        &at,
        spring_id,
        runner_shift(
            &at,
            NaiveDate::from_ymd_opt(2027, 3, 27).unwrap(),
            "22:00",
            "03:00",
            2,
        ),
    )
    .await;
    let autumn_shift = add_shift(
        &app,
        &at,
        autumn_id,
        runner_shift(
            &at,
            NaiveDate::from_ymd_opt(2027, 10, 30).unwrap(),
            "22:00",
            "03:00",
            2,
        ),
    )
    .await;
    let spring_assignment = assign(&app, &at, spring_shift, ann.id).await;
    assign(&app, &at, spring_shift, bram.id).await;
    let autumn_assignment = assign(&app, &at, autumn_shift, ann.id).await;
    let week = IsoWeek::of(crate::support::venue_today()).plus(2).unwrap();
    let week_id = empty_week(&app, &at, week).await;
    let tuesday = add_shift(
        &app,
        &at,
        week_id,
        runner_shift(&at, week.days()[1], "17:00", "23:00", 1),
    )
    .await;
    let tuesday_assignment = assign(&app, &at, tuesday, ann.id).await;
    for (id, iso) in [(spring_id, spring), (autumn_id, autumn), (week_id, week)] {
        publish(&app, &at, id, iso).await;
    }

    // No feed yet; making one shows the address once.
    let status = expect(
        &app,
        &ann_client,
        Method::GET,
        "/api/me/calendar-feed",
        None,
        StatusCode::OK,
    )
    .await;
    assert_eq!(status["active"], false);
    let created = expect(
        &app,
        &ann_client,
        Method::POST,
        "/api/me/calendar-feed",
        None,
        StatusCode::CREATED,
    )
    .await;
    let url = created["url"].as_str().unwrap().to_string();
    assert!(url.ends_with(".ics"));
    assert!(created["webcalUrl"]
        .as_str()
        .unwrap()
        .starts_with("webcal://"));
    let token = url
        .rsplit('/')
        .next()
        .unwrap()
        .trim_end_matches(".ics")
        .to_string();
    assert!(token.len() >= 43, "at least 256 bits, base64url");
    // Only the hash is stored.
    let stored: Vec<u8> = app
        .pg
        .get()
        .await
        .unwrap()
        .query_one(
            "SELECT token_hash FROM calendar_feeds WHERE user_id = $1",
            &[&ann.id],
        )
        .await
        .unwrap()
        .get(0);
    assert_ne!(stored, token.as_bytes());
    assert_eq!(stored.len(), 32);

    let feed_url = local(&app, &url);
    let (status, etag, body) = fetch_feed(&feed_url, None).await;
    assert_eq!(status, StatusCode::OK);
    let etag = etag.expect("an ETag");
    let first = parse_feed(&body);
    assert_eq!(first["name"], "Crew Plots — Ann");
    assert_eq!(first["refresh"], "1:00:00");
    let events = first["events"].as_array().unwrap();
    assert_eq!(events.len(), 3, "{body}");
    let event = |feed: &Value, assignment: Uuid| -> Value {
        feed["events"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["uid"] == json!(format!("{assignment}@crewplots")))
            .cloned()
            .unwrap_or_else(|| panic!("no event for {assignment} in {feed}"))
    };
    // The clock-change nights last 4 and 6 hours; every time is UTC.
    let spring_event = event(&first, spring_assignment);
    assert_eq!(spring_event["minutes"], 240.0);
    assert_eq!(spring_event["start"], "2027-03-27T21:00:00+00:00");
    assert_eq!(event(&first, autumn_assignment)["minutes"], 360.0);
    assert!(events.iter().all(|e| e["utc"] == true));
    assert!(spring_event["description"]
        .as_str()
        .unwrap()
        .contains("Bram"));
    assert!(
        !spring_event["description"]
            .as_str()
            .unwrap()
            .contains("runner"),
        "no last names"
    );
    assert_eq!(spring_event["summary"], "Runner · De Kade");
    assert_eq!(spring_event["status"], "CONFIRMED");
    let tuesday_before = event(&first, tuesday_assignment);

    // Unchanged: same ETag, 304 on a conditional fetch, same UIDs.
    let (status, again, body2) = fetch_feed(&feed_url, None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(again.as_deref(), Some(etag.as_str()));
    let second = parse_feed(&body2);
    let uids = |feed: &Value| -> Vec<String> {
        let mut v: Vec<String> = feed["events"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["uid"].as_str().unwrap().to_string())
            .collect();
        v.sort();
        v
    };
    assert_eq!(uids(&first), uids(&second));
    let (status, _, body) = fetch_feed(&feed_url, Some(&etag)).await;
    assert_eq!(status, StatusCode::NOT_MODIFIED);
    assert!(body.is_empty());

    // The Tuesday shift moves an hour and Ann comes off the autumn night: after publishing, the moved
    // event has a higher SEQUENCE and the removed one is CANCELLED with a higher SEQUENCE.
    expect(
        &app,
        &at.manager,
        Method::PATCH,
        &format!("/api/shifts/{tuesday}"),
        Some(runner_shift(&at, week.days()[1], "18:00", "23:30", 1)),
        StatusCode::OK,
    )
    .await;
    expect(
        &app,
        &at.manager,
        Method::DELETE,
        &format!("/api/assignments/{autumn_assignment}"),
        None,
        StatusCode::OK,
    )
    .await;
    // Before publishing, the feed still shows what was published.
    let (status, unchanged, _) = fetch_feed(&feed_url, Some(&etag)).await;
    assert_eq!(status, StatusCode::NOT_MODIFIED);
    assert_eq!(unchanged.as_deref(), Some(etag.as_str()));
    publish(&app, &at, week_id, week).await;
    publish(&app, &at, autumn_id, autumn).await;
    let (status, new_etag, body) = fetch_feed(&feed_url, Some(&etag)).await;
    assert_eq!(status, StatusCode::OK);
    assert_ne!(new_etag.as_deref(), Some(etag.as_str()));
    let third = parse_feed(&body);
    let tuesday_after = event(&third, tuesday_assignment);
    assert!(
        tuesday_after["sequence"].as_i64() > tuesday_before["sequence"].as_i64(),
        "{tuesday_before} → {tuesday_after}"
    );
    // LAST-MODIFIED has whole seconds: it never goes back, and rises unless both fell in one second.
    assert!(tuesday_after["lastModified"].as_str() >= tuesday_before["lastModified"].as_str());
    assert_eq!(tuesday_after["minutes"], 330.0);
    let cancelled = event(&third, autumn_assignment);
    assert_eq!(cancelled["status"], "CANCELLED");
    assert!(cancelled["sequence"].as_i64() > event(&first, autumn_assignment)["sequence"].as_i64());
    assert_eq!(uids(&first), uids(&third), "UIDs never change");

    // Regenerating kills the old address; removing kills the new one. Unknown tokens are 404 too.
    let regenerated = expect(
        &app,
        &ann_client,
        Method::POST,
        "/api/me/calendar-feed",
        None,
        StatusCode::CREATED,
    )
    .await;
    let (status, _, _) = fetch_feed(&feed_url, None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let new_url = local(&app, regenerated["url"].as_str().unwrap());
    assert_eq!(fetch_feed(&new_url, None).await.0, StatusCode::OK);
    let without_suffix = new_url.trim_end_matches(".ics").to_string();
    assert_eq!(fetch_feed(&without_suffix, None).await.0, StatusCode::OK);
    let status = expect(
        &app,
        &ann_client,
        Method::GET,
        "/api/me/calendar-feed",
        None,
        StatusCode::OK,
    )
    .await;
    assert_eq!(status["active"], true);
    assert!(status["lastUsedAt"].is_string());
    expect(
        &app,
        &ann_client,
        Method::DELETE,
        "/api/me/calendar-feed",
        None,
        StatusCode::NO_CONTENT,
    )
    .await;
    assert_eq!(fetch_feed(&new_url, None).await.0, StatusCode::NOT_FOUND);
    let (status, _, body) = fetch_feed(&app.url("/api/calendar/nonsense.ics"), None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(body.contains("not_found"));
    // A deactivated person's feed stops as well.
    let again = expect(
        &app,
        &ann_client,
        Method::POST,
        "/api/me/calendar-feed",
        None,
        StatusCode::CREATED,
    )
    .await;
    app.pg
        .get()
        .await
        .unwrap()
        .execute(
            "UPDATE users SET status = 'deactivated' WHERE id = $1",
            &[&ann.id],
        )
        .await
        .unwrap();
    let again = local(&app, again["url"].as_str().unwrap());
    assert_eq!(fetch_feed(&again, None).await.0, StatusCode::NOT_FOUND);
    // Creating and removing feeds are audited; the token is in no audit line.
    assert_eq!(app.audit_count("calendar_feed.created").await, 3);
    let details: Vec<String> = app
        .pg
        .get()
        .await
        .unwrap()
        .query("SELECT details::text FROM audit_log", &[])
        .await
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert!(details.iter().all(|d| !d.contains(&token)));
}

#[tokio::test]
async fn a_flood_of_feed_requests_from_one_address_is_throttled() {
    let app = spawn_app().await;
    let client = browser();
    let mut limited = None;
    for n in 0..200 {
        let response = client
            .get(app.url(&format!("/api/calendar/flood{n}.ics")))
            .send()
            .await
            .unwrap();
        if response.status() == StatusCode::TOO_MANY_REQUESTS {
            let retry: u64 = response.headers()["retry-after"]
                .to_str()
                .unwrap()
                .parse()
                .unwrap();
            assert!((1..=60).contains(&retry));
            let body: Value = response.json().await.unwrap();
            assert_eq!(body["error"]["code"], "too_many_requests");
            limited = Some(n);
            break;
        }
        assert_eq!(response.status(), StatusCode::NOT_FOUND);
    }
    assert_eq!(
        limited,
        Some(120),
        "the 121st request in a minute is refused"
    );
}

#[tokio::test]
async fn availability_is_declared_by_crew_and_read_by_the_rule_engine() {
    let app = spawn_app().await;
    let at = venue(&app, "Het Plein").await;
    let ann = crew(&app, &at, &[at.runner], 20.0, None).await;
    let ann_client = app.login(&ann.username, PASSWORD).await;
    let today = crate::support::venue_today();
    let week = IsoWeek::of(today).plus(2).unwrap();

    let empty = expect(
        &app,
        &ann_client,
        Method::GET,
        "/api/me/availability",
        None,
        StatusCode::OK,
    )
    .await;
    assert_eq!(empty, json!({"patterns": [], "unavailableDays": []}));
    // Unavailable on Mondays, preferring Friday nights, from today on.
    let saved = expect(
        &app,
        &ann_client,
        Method::PUT,
        "/api/me/availability",
        Some(json!({"effectiveFrom": today, "windows": [
            {"weekday": 1, "kind": "unavailable"},
            {"weekday": 5, "kind": "preferred", "start": "18:00", "end": "02:00"},
            {"weekday": 3, "kind": "unavailable", "start": "08:00", "end": "12:00"}]})),
        StatusCode::OK,
    )
    .await;
    assert_eq!(saved["patterns"][0]["windows"].as_array().unwrap().len(), 3);
    assert_eq!(saved["patterns"][0]["windows"][0]["start"], Value::Null);
    let thursday = week.days()[3];
    let saved = expect(
        &app,
        &ann_client,
        Method::PUT,
        &format!("/api/me/unavailable-days/{thursday}"),
        None,
        StatusCode::OK,
    )
    .await;
    assert_eq!(saved["unavailableDays"], json!([thursday]));

    let week_id = empty_week(&app, &at, week).await;
    let monday = add_shift(
        &app,
        &at,
        week_id,
        runner_shift(&at, week.days()[0], "10:00", "16:00", 1),
    )
    .await;
    let wednesday_late = add_shift(
        &app,
        &at,
        week_id,
        runner_shift(&at, week.days()[2], "13:00", "18:00", 1),
    )
    .await;
    let on_thursday = add_shift(
        &app,
        &at,
        week_id,
        runner_shift(&at, thursday, "13:00", "18:00", 1),
    )
    .await;
    let reasons = |eligible: &Value| -> Vec<String> {
        eligible["people"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["person"]["id"] == json!(ann.id))
            .unwrap()["reasons"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["code"].as_str().unwrap().to_string())
            .collect()
    };
    for (shift, expected) in [
        (monday, vec!["unavailable"]),
        (wednesday_late, vec![]),
        (on_thursday, vec!["unavailable"]),
    ] {
        let eligible = expect(
            &app,
            &at.floor,
            Method::GET,
            &format!("/api/shifts/{shift}/eligible"),
            None,
            StatusCode::OK,
        )
        .await;
        assert_eq!(reasons(&eligible), expected, "{eligible}");
    }
    // Refused (overridable); the Wednesday afternoon, outside the morning window, is no problem.
    let (status, body) = call(
        &app,
        &at.floor,
        Method::POST,
        &format!("/api/shifts/{monday}/assignments"),
        Some(json!({"userId": ann.id})),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["error"]["code"], "unavailable");
    assert_eq!(body["error"]["fields"]["overridable"], "true");
    let afternoon = expect(
        &app,
        &at.manager,
        Method::POST,
        &format!("/api/shifts/{wednesday_late}/assignments"),
        Some(json!({"userId": ann.id})),
        StatusCode::CREATED,
    )
    .await;
    expect(
        &app,
        &at.manager,
        Method::DELETE,
        &format!(
            "/api/assignments/{}",
            afternoon["assignment"]["id"].as_str().unwrap()
        ),
        None,
        StatusCode::OK,
    )
    .await;

    // Removing the day lifts the refusal; a new pattern from next week replaces nothing before it.
    expect(
        &app,
        &ann_client,
        Method::DELETE,
        &format!("/api/me/unavailable-days/{thursday}"),
        None,
        StatusCode::OK,
    )
    .await;
    let eligible = expect(
        &app,
        &at.floor,
        Method::GET,
        &format!("/api/shifts/{on_thursday}/eligible"),
        None,
        StatusCode::OK,
    )
    .await;
    assert!(reasons(&eligible).is_empty());
    let later = week.days()[0];
    let saved = expect(
        &app,
        &ann_client,
        Method::PUT,
        "/api/me/availability",
        Some(json!({"effectiveFrom": later, "windows": []})),
        StatusCode::OK,
    )
    .await;
    assert_eq!(saved["patterns"].as_array().unwrap().len(), 2);
    let eligible = expect(
        &app,
        &at.floor,
        Method::GET,
        &format!("/api/shifts/{monday}/eligible"),
        None,
        StatusCode::OK,
    )
    .await;
    assert!(
        reasons(&eligible).is_empty(),
        "the later pattern frees Mondays"
    );

    // Bad input: stable codes per field.
    for (body, field, code) in [
        (
            json!({"effectiveFrom": today - Duration::days(1), "windows": []}),
            "effectiveFrom",
            "in_past",
        ),
        (
            json!({"effectiveFrom": today, "windows": [{"weekday": 8, "kind": "available"}]}),
            "windows[0].weekday",
            "invalid_weekday",
        ),
        (
            json!({"effectiveFrom": today, "windows": [{"weekday": 2, "kind": "available", "start": "25:00", "end": "10:00"}]}),
            "windows[0].start",
            "invalid_time",
        ),
        (
            json!({"effectiveFrom": today, "windows": [{"weekday": 2, "kind": "available", "start": "10:00"}]}),
            "windows[0].end",
            "start_and_end_together",
        ),
        (
            json!({"effectiveFrom": today, "windows": [
                {"weekday": 5, "kind": "available", "start": "18:00", "end": "03:00"},
                {"weekday": 6, "kind": "unavailable", "start": "01:00", "end": "09:00"}]}),
            "windows[1].start",
            "overlaps_other_window",
        ),
    ] {
        let (status, answer) = call(
            &app,
            &ann_client,
            Method::PUT,
            "/api/me/availability",
            Some(body),
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
        assert_eq!(answer["error"]["fields"][field], code, "{answer}");
    }
    let (status, answer) = call(
        &app,
        &ann_client,
        Method::PUT,
        "/api/me/unavailable-days/2020-01-01",
        None,
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(answer["error"]["fields"]["date"], "in_past");
    let (status, answer) = call(
        &app,
        &ann_client,
        Method::PUT,
        "/api/me/unavailable-days/not-a-date",
        None,
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(answer["error"]["fields"]["date"], "invalid_date");
    let (status, _) = call(&app, &at.manager, Method::GET, "/api/me/availability", None).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

async fn time_off_mails(app: &TestApp, who: &Seeded) -> Vec<(String, String)> {
    app.pg
        .get()
        .await
        .unwrap()
        .query(
            "SELECT subject, body_text FROM email_outbox WHERE to_address = $1 AND subject LIKE 'Your time off%'
             ORDER BY created_at",
            &[&format!("{}@example.test", who.username)],
        )
        .await
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect()
}

#[tokio::test]
async fn time_off_is_requested_decided_once_and_blocks_assignment() {
    let app = spawn_app().await;
    let at = venue(&app, "Zuid").await;
    let elsewhere = venue(&app, "Noord").await;
    let ann = crew(&app, &at, &[at.runner], 20.0, None).await;
    let ann_client = app.login(&ann.username, PASSWORD).await;
    let today = crate::support::venue_today();
    let week = IsoWeek::of(today).plus(3).unwrap();
    let week_id = empty_week(&app, &at, week).await;
    let wednesday = add_shift(
        &app,
        &at,
        week_id,
        runner_shift(&at, week.days()[2], "12:00", "18:00", 2),
    )
    .await;
    assign(&app, &at, wednesday, ann.id).await;
    let thursday = add_shift(
        &app,
        &at,
        week_id,
        runner_shift(&at, week.days()[3], "12:00", "18:00", 1),
    )
    .await;

    // Bad ranges.
    for (body, field, code) in [
        (
            json!({"firstDay": week.days()[3], "lastDay": week.days()[2], "category": "vacation"}),
            "lastDay",
            "before_first_day",
        ),
        (
            json!({"firstDay": week.days()[0], "lastDay": week.days()[0] + Duration::days(365), "category": "vacation"}),
            "lastDay",
            "range_too_long",
        ),
        (
            json!({"firstDay": today - Duration::days(10), "lastDay": today - Duration::days(5), "category": "sick"}),
            "lastDay",
            "in_past",
        ),
        (
            json!({"firstDay": week.days()[2], "lastDay": week.days()[2], "startTime": "15:00", "endTime": "09:00", "category": "other"}),
            "endTime",
            "not_after_start",
        ),
        (
            json!({"firstDay": week.days()[2], "lastDay": week.days()[2], "startTime": "7pm", "category": "other"}),
            "startTime",
            "invalid_time",
        ),
    ] {
        let (status, answer) = call(
            &app,
            &ann_client,
            Method::POST,
            "/api/me/time-off",
            Some(body),
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
        assert_eq!(answer["error"]["fields"][field], code, "{answer}");
    }
    let (status, answer) = call(
        &app,
        &ann_client,
        Method::POST,
        "/api/me/time-off",
        Some(
            json!({"firstDay": week.days()[2], "lastDay": week.days()[3], "category": "migraine"}),
        ),
    )
    .await;
    assert!(status.is_client_error(), "{answer}");
    assert!(answer["error"]["code"].is_string());

    // Wednesday and Thursday off; another request Ann will cancel.
    let asked = expect(
        &app,
        &ann_client,
        Method::POST,
        "/api/me/time-off",
        Some(
            json!({"firstDay": week.days()[2], "lastDay": week.days()[3], "category": "vacation"}),
        ),
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(asked["status"], "pending");
    assert_eq!(asked["timezone"], "Europe/Amsterdam");
    let request_id = uuid(&asked["id"]);
    let other = expect(
        &app,
        &ann_client,
        Method::POST,
        "/api/me/time-off",
        Some(json!({"firstDay": week.days()[5], "lastDay": week.days()[5], "startTime": "14:00", "category": "personal"})),
        StatusCode::CREATED,
    )
    .await;
    let cancelled = expect(
        &app,
        &ann_client,
        Method::POST,
        &format!("/api/me/time-off/{}/cancel", other["id"].as_str().unwrap()),
        None,
        StatusCode::OK,
    )
    .await;
    assert_eq!(cancelled["status"], "cancelled");

    // The inbox: the pending one first, with the shift it collides with; floor managers see, not decide.
    let inbox = expect(
        &app,
        &at.floor,
        Method::GET,
        &format!("/api/locations/{}/time-off", at.id),
        None,
        StatusCode::OK,
    )
    .await;
    assert_eq!(inbox["pending"], 1);
    let item = &inbox["items"][0];
    assert_eq!(item["request"]["id"], json!(request_id));
    assert_eq!(item["canDecide"], false);
    assert_eq!(item["collisions"].as_array().unwrap().len(), 1, "{inbox}");
    assert_eq!(item["collisions"][0]["shiftId"], json!(wednesday));
    let (status, _) = call(
        &app,
        &at.floor,
        Method::POST,
        &format!("/api/time-off/{request_id}/decision"),
        Some(json!({"decision": "approved"})),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = call(
        &app,
        &elsewhere.manager,
        Method::POST,
        &format!("/api/time-off/{request_id}/decision"),
        Some(json!({"decision": "approved"})),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "another venue's manager");
    let (status, _) = call(
        &app,
        &elsewhere.manager,
        Method::GET,
        &format!("/api/locations/{}/time-off", at.id),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, answer) = call(
        &app,
        &at.manager,
        Method::POST,
        &format!("/api/time-off/{request_id}/decision"),
        Some(json!({"decision": "denied"})),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(answer["error"]["fields"]["reason"], "required");
    let manager_inbox = expect(
        &app,
        &at.manager,
        Method::GET,
        &format!("/api/locations/{}/time-off?status=pending", at.id),
        None,
        StatusCode::OK,
    )
    .await;
    assert_eq!(manager_inbox["items"][0]["canDecide"], true);
    assert_eq!(manager_inbox["items"].as_array().unwrap().len(), 1);

    let approved = expect(
        &app,
        &at.manager,
        Method::POST,
        &format!("/api/time-off/{request_id}/decision"),
        Some(json!({"decision": "approved", "reason": "Enjoy!"})),
        StatusCode::OK,
    )
    .await;
    assert_eq!(approved["status"], "approved");
    assert!(approved["decidedBy"]["name"].is_string());
    let mails = time_off_mails(&app, &ann).await;
    assert_eq!(mails.len(), 1);
    assert_eq!(mails[0].0, "Your time off was approved");
    assert!(mails[0].1.contains("Enjoy!"));
    // Decided once: a second decision and a late cancel are 409 with the state.
    let (status, answer) = call(
        &app,
        &at.manager,
        Method::POST,
        &format!("/api/time-off/{request_id}/decision"),
        Some(json!({"decision": "denied", "reason": "Changed my mind"})),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(answer["error"]["code"], "request_decided");
    assert_eq!(answer["error"]["fields"]["status"], "approved");
    let (status, answer) = call(
        &app,
        &ann_client,
        Method::POST,
        &format!("/api/me/time-off/{request_id}/cancel"),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(answer["error"]["code"], "request_decided");
    // Nobody else cancels Ann's requests.
    let (status, _) = call(
        &app,
        &app.login(
            &crew(&app, &at, &[at.runner], 10.0, None).await.username,
            PASSWORD,
        )
        .await,
        Method::POST,
        &format!("/api/me/time-off/{request_id}/cancel"),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // Approved time off refuses assignment inside it (not overridable) and shows in the grid.
    let (status, answer) = call(
        &app,
        &at.manager,
        Method::POST,
        &format!("/api/shifts/{thursday}/assignments"),
        Some(json!({"userId": ann.id, "override": {"reason": "We need her"}})),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
    assert_eq!(answer["error"]["code"], "time_off");
    let grid = grid(&app, &at, &week.to_string()).await;
    let row = grid["people"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["person"]["id"] == json!(ann.id))
        .unwrap()
        .clone();
    assert_eq!(row["timeOff"].as_array().unwrap().len(), 1, "{row}");
    assert!(row["timeOff"][0].get("category").is_none());

    let mine = expect(
        &app,
        &ann_client,
        Method::GET,
        "/api/me/time-off",
        None,
        StatusCode::OK,
    )
    .await;
    assert_eq!(mine.as_array().unwrap().len(), 2);
    assert_eq!(app.audit_count("time_off.decided").await, 1);
}

#[tokio::test]
async fn download_my_data_carries_the_self_service_and_erasure_removes_it() {
    let app = spawn_app().await;
    let at = venue(&app, "Export").await;
    let ann = crew(&app, &at, &[at.runner], 20.0, None).await;
    let ann_client = app.login(&ann.username, PASSWORD).await;
    let today = crate::support::venue_today();
    let week = IsoWeek::of(today).plus(1).unwrap();
    let week_id = empty_week(&app, &at, week).await;
    let shift = add_shift(
        &app,
        &at,
        week_id,
        runner_shift(&at, week.days()[1], "09:00", "17:00", 1),
    )
    .await;
    assign(&app, &at, shift, ann.id).await;
    publish(&app, &at, week_id, week).await;
    expect(
        &app,
        &ann_client,
        Method::PUT,
        "/api/me/availability",
        Some(json!({"effectiveFrom": today, "windows": [{"weekday": 7, "kind": "unavailable"}]})),
        StatusCode::OK,
    )
    .await;
    expect(
        &app,
        &ann_client,
        Method::POST,
        "/api/me/time-off",
        Some(json!({"firstDay": week.days()[4], "lastDay": week.days()[4], "category": "sick"})),
        StatusCode::CREATED,
    )
    .await;
    expect(
        &app,
        &ann_client,
        Method::POST,
        "/api/me/calendar-feed",
        None,
        StatusCode::CREATED,
    )
    .await;

    let response = ann_client
        .get(app.url("/api/me/export"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let bytes = response.bytes().await.unwrap();
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let mut text = String::new();
    std::io::Read::read_to_string(&mut archive.by_name("schedule.json").unwrap(), &mut text)
        .unwrap();
    let schedule: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(schedule["shifts"].as_array().unwrap().len(), 1);
    assert_eq!(schedule["shifts"][0]["shift"]["shiftId"], json!(shift));
    assert_eq!(
        schedule["availability"]["patterns"][0]["windows"][0]["weekday"],
        7
    );
    assert_eq!(schedule["timeOff"][0]["category"], "sick");
    assert!(schedule["calendarFeed"]["createdAt"].is_string());

    // Erasure (as an administrator) leaves nothing of it behind.
    let admin = app.seed_user(Role::Administrator, &[]).await;
    let admin_client = app.login(&admin.username, PASSWORD).await;
    let (status, body) = call(
        &app,
        &admin_client,
        Method::DELETE,
        &format!("/api/people/{}", ann.id),
        None,
    )
    .await;
    assert!(status.is_success(), "{status} {body}");
    let db = app.pg.get().await.unwrap();
    for table in [
        "time_off_requests",
        "availability_windows",
        "unavailable_days",
        "calendar_feeds",
        "published_assignments",
        "assignments",
    ] {
        let left: i64 = db
            .query_one(
                &format!("SELECT count(*) FROM {table} WHERE user_id = $1"),
                &[&ann.id],
            )
            .await
            .unwrap()
            .get(0);
        assert_eq!(left, 0, "{table}");
    }
}

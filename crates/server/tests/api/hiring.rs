//! Hiring end to end through the HTTP API: applying, the board, notes, interviews, status changes (also two
//! managers at once), hiring, and what the applicant can and cannot see.

use chrono::{Duration, Utc};
use crewplots_domain::Role;
use reqwest::StatusCode;
use serde_json::{json, Value};
use uuid::Uuid;

use crate::support::{spawn_app, TestApp, PASSWORD};

struct Venue {
    id: Uuid,
    code: String,
}

async fn venue(app: &TestApp, name: &str) -> Venue {
    let location = app.seed_location(name).await;
    Venue {
        id: location.id,
        code: location.application_code,
    }
}

async fn json(response: reqwest::Response, status: StatusCode) -> Value {
    let actual = response.status();
    let text = response.text().await.unwrap();
    assert_eq!(actual, status, "{text}");
    serde_json::from_str(&text).unwrap_or(Value::Null)
}

/// An applicant who applied at the venue through its QR code; returns (client, applicant id, application id).
async fn applicant(app: &TestApp, at: &Venue) -> (reqwest::Client, Uuid, Uuid) {
    let person = app.seed_user(Role::Applicant, &[]).await;
    let client = app.login(&person.username, PASSWORD).await;
    let created = json(
        app.post_json(
            &client,
            "/api/applications",
            &json!({"locationCode": at.code, "position": "Bartender", "availability": "Weekends",
                    "motivationLetter": "<p>I <strong>love</strong> bars</p><script>alert(1)</script>"}),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(created["source"], "qr");
    assert_eq!(created["status"], "new");
    assert_eq!(created["hasMotivationLetter"], true);
    (
        client,
        person.id,
        created["id"].as_str().unwrap().parse().unwrap(),
    )
}

async fn set_status(
    app: &TestApp,
    client: &reqwest::Client,
    application: Uuid,
    body: Value,
) -> reqwest::Response {
    app.post_json(
        client,
        &format!("/api/applications/{application}/status"),
        &body,
    )
    .await
}

fn slot(interviewer: Uuid, days: i64, time: &str) -> Value {
    let date = crate::support::venue_today() + Duration::days(days);
    json!({"date": date.to_string(), "time": time, "durationMinutes": 45, "place": "Back office",
           "interviewerId": interviewer})
}

#[tokio::test]
async fn an_applicant_is_found_on_the_board_commented_interviewed_and_hired() {
    let app = spawn_app().await;
    let bar = venue(&app, "Bar Centraal").await;
    let manager = app.seed_user(Role::Manager, &[bar.id]).await;
    let staff = app.login(&manager.username, PASSWORD).await;
    let (own, person, application) = applicant(&app, &bar).await;

    // The board shows the card in "new", with its figures.
    let board = json(
        staff
            .get(app.url(&format!("/api/applications/board?location={}", bar.id)))
            .send()
            .await
            .unwrap(),
        StatusCode::OK,
    )
    .await;
    let statuses: Vec<&str> = board["columns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["status"].as_str().unwrap())
        .collect();
    assert_eq!(
        statuses,
        [
            "new",
            "contacted",
            "interviewed",
            "short_listed",
            "hired",
            "rejected",
            "withdrawn"
        ]
    );
    assert_eq!(board["columns"][0]["count"], 1);
    let card = &board["columns"][0]["cards"][0];
    assert_eq!(card["id"], application.to_string());
    assert_eq!(card["source"], "qr");
    assert_eq!(card["notesCount"], 0);
    assert_eq!(board["positions"], json!(["Bartender"]));

    // A note with a script and an event handler comes back clean.
    let note = json(
        app.post_json(
            &staff,
            &format!("/api/people/{person}/notes"),
            &json!({"html": "<p>Great energy</p><img src=x onerror=alert(1)>", "priority": "high",
                    "applicationId": application}),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(note["html"], "<p>Great energy</p>");
    assert_eq!(note["workflow"], "application");
    assert_eq!(note["canEdit"], true);
    assert_eq!(note["author"]["role"], "manager");

    // The letter was sanitized on the way in; staff can read it.
    let letter = json(
        staff
            .get(app.url(&format!("/api/applications/{application}/letter")))
            .send()
            .await
            .unwrap(),
        StatusCode::OK,
    )
    .await;
    assert_eq!(letter["html"], "<p>I <strong>love</strong> bars</p>");

    // An interview; the mail to the applicant carries the .ics.
    let interview = json(
        app.post_json(
            &staff,
            &format!("/api/applications/{application}/interviews"),
            &slot(manager.id, 3, "14:30"),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(interview["localTime"], "14:30");
    assert_eq!(interview["timezone"], "Europe/Amsterdam");
    let pg = app.pg.get().await.unwrap();
    let row = pg
        .query_one(
            "SELECT subject, attachment_name, convert_from(attachment, 'UTF8') FROM email_outbox
             WHERE attachment IS NOT NULL",
            &[],
        )
        .await
        .unwrap();
    let subject: String = row.get(0);
    let ics: String = row.get(2);
    assert!(
        subject.starts_with("Interview at Bar Centraal"),
        "{subject}"
    );
    assert_eq!(row.get::<_, String>(1), "interview.ics");
    assert!(
        ics.contains("BEGIN:VEVENT") && ics.contains("METHOD:REQUEST"),
        "{ics}"
    );
    let ics_download = own
        .get(app.url(&format!(
            "/api/interviews/{}/ics",
            interview["id"].as_str().unwrap()
        )))
        .send()
        .await
        .unwrap();
    assert_eq!(ics_download.status(), 200);
    assert!(ics_download.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/calendar"));

    let board = json(
        staff
            .get(app.url("/api/applications/board"))
            .send()
            .await
            .unwrap(),
        StatusCode::OK,
    )
    .await;
    let card = &board["columns"][0]["cards"][0];
    assert_eq!(card["notesCount"], 1);
    assert_eq!(card["nextInterview"], interview["startsAt"]);

    // Through the pipeline with reasons, then hire.
    for (to, reason) in [
        ("contacted", "Called"),
        ("interviewed", "Went well"),
        ("short_listed", "Top 3"),
    ] {
        json(
            set_status(
                &app,
                &staff,
                application,
                json!({"to": to, "reason": reason}),
            )
            .await,
            StatusCode::OK,
        )
        .await;
    }
    let start = (Utc::now() + Duration::days(14)).date_naive();
    let hired = json(
        app.post_json(
            &staff,
            &format!("/api/applications/{application}/hire"),
            &json!({"position": "Bartender", "contractedHours": 24, "startDate": start.to_string(),
                    "expectedStatus": "short_listed"}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(hired["status"], "hired");
    // Every transition with its actor and reason (the first by the applicant, who is crew by now).
    let history: Vec<(Value, Value, Value, Value)> = hired["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| {
            (
                h["from"].clone(),
                h["to"].clone(),
                h["reason"].clone(),
                h["actor"]["id"].clone(),
            )
        })
        .collect();
    let (by_applicant, by_manager) = (json!(person), json!(manager.id));
    assert_eq!(
        history,
        vec![
            (Value::Null, json!("new"), Value::Null, by_applicant),
            (
                json!("new"),
                json!("contacted"),
                json!("Called"),
                by_manager.clone()
            ),
            (
                json!("contacted"),
                json!("interviewed"),
                json!("Went well"),
                by_manager.clone()
            ),
            (
                json!("interviewed"),
                json!("short_listed"),
                json!("Top 3"),
                by_manager.clone()
            ),
            (
                json!("short_listed"),
                json!("hired"),
                Value::Null,
                by_manager
            ),
        ]
    );
    assert!(hired["history"]
        .as_array()
        .unwrap()
        .iter()
        .all(|h| h["at"].is_string()));

    // The person is crew at the venue now, at the next request, in the same session.
    let me = json(
        own.get(app.url("/api/auth/me")).send().await.unwrap(),
        StatusCode::OK,
    )
    .await;
    assert_eq!(me["role"], "crew_member");
    assert_eq!(me["locations"][0]["id"], bar.id.to_string());
    let row = pg
        .query_one(
            "SELECT position, contracted_hours::TEXT, start_date FROM user_locations WHERE user_id = $1",
            &[&person],
        )
        .await
        .unwrap();
    assert_eq!(row.get::<_, String>(0), "Bartender");
    assert_eq!(row.get::<_, String>(1), "24.00");
    assert_eq!(row.get::<_, chrono::NaiveDate>(2), start);

    // What the applicant saw all along: statuses and times, never a note, a reason or an outcome.
    let mine = own
        .get(app.url("/api/me/applications"))
        .send()
        .await
        .unwrap();
    let text = mine.text().await.unwrap();
    for secret in [
        "Great energy",
        "Called",
        "Went well",
        "Top 3",
        "notes",
        "reason",
        "outcome",
    ] {
        assert!(
            !text.contains(secret),
            "{secret} leaked to the applicant: {text}"
        );
    }
    let mine: Value = serde_json::from_str(&text).unwrap();
    let timeline: Vec<&str> = mine[0]["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["status"].as_str().unwrap())
        .collect();
    assert_eq!(
        timeline,
        ["new", "contacted", "interviewed", "short_listed", "hired"]
    );
    assert_eq!(mine[0]["interviews"][0]["place"], "Back office");
    for path in [
        format!("/api/people/{person}/notes"),
        format!("/api/applications/{application}"),
        "/api/applications/board".to_string(),
    ] {
        let status = own.get(app.url(&path)).send().await.unwrap().status();
        assert_eq!(status, 403, "{path}");
    }
    assert_eq!(app.audit_count("application.hired").await, 1);

    // "Download my data" carries the applications and the decrypted letter, not the notes.
    let export = own.get(app.url("/api/me/export")).send().await.unwrap();
    assert_eq!(export.status(), 200);
    let bytes = export.bytes().await.unwrap();
    let contains = |needle: &[u8]| bytes.windows(needle.len()).any(|w| w == needle);
    assert!(contains(b"applications.json"));
    assert!(contains(b"I <strong>love</strong> bars"));
    assert!(!contains(b"Great energy"));
}

#[tokio::test]
async fn two_managers_changing_one_application_at_once_leave_one_consistent_result() {
    let app = spawn_app().await;
    let bar = venue(&app, "Bar").await;
    let first = app.seed_user(Role::Manager, &[bar.id]).await;
    let second = app.seed_user(Role::Manager, &[bar.id]).await;
    let first = app.login(&first.username, PASSWORD).await;
    let second = app.login(&second.username, PASSWORD).await;
    for round in 0..10 {
        let (_, _, application) = applicant(&app, &bar).await;
        // Both saw the card in "new" (the board sends the status it showed as `expectedStatus`).
        let (a, b) = tokio::join!(
            set_status(
                &app,
                &first,
                application,
                json!({"to": "contacted", "expectedStatus": "new"})
            ),
            set_status(
                &app,
                &second,
                application,
                json!({"to": "rejected", "reason": "Not now", "expectedStatus": "new"})
            ),
        );
        let mut outcomes = [a.status().as_u16(), b.status().as_u16()];
        outcomes.sort_unstable();
        assert_eq!(outcomes, [200, 409], "round {round}");
        for response in [a, b] {
            if response.status() == 409 {
                let body: Value = response.json().await.unwrap();
                assert_eq!(body["error"]["code"], "status_conflict", "{body}");
            }
        }
        let detail = json(
            first
                .get(app.url(&format!("/api/applications/{application}")))
                .send()
                .await
                .unwrap(),
            StatusCode::OK,
        )
        .await;
        let history = detail["history"].as_array().unwrap();
        assert_eq!(
            history.len(),
            2,
            "exactly one change is recorded: {history:?}"
        );
        assert_eq!(history[1]["to"], detail["status"]);
    }
}

#[tokio::test]
async fn illegal_transitions_name_the_allowed_ones_and_rejecting_needs_a_reason() {
    let app = spawn_app().await;
    let bar = venue(&app, "Bar").await;
    let manager = app.seed_user(Role::Manager, &[bar.id]).await;
    let staff = app.login(&manager.username, PASSWORD).await;
    let (own, _, application) = applicant(&app, &bar).await;

    let refused = json(
        set_status(&app, &staff, application, json!({"to": "short_listed"})).await,
        StatusCode::CONFLICT,
    )
    .await;
    assert_eq!(refused["error"]["code"], "invalid_transition");
    assert_eq!(
        refused["error"]["fields"]["allowed"],
        "contacted,interviewed,rejected"
    );
    let refused = json(
        set_status(&app, &staff, application, json!({"to": "hired"})).await,
        StatusCode::CONFLICT,
    )
    .await;
    assert!(refused["error"]["message"]
        .as_str()
        .unwrap()
        .contains("Hire"));
    let missing = json(
        set_status(&app, &staff, application, json!({"to": "rejected"})).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(missing["error"]["fields"]["reason"], "required");
    let stale = json(
        set_status(
            &app,
            &staff,
            application,
            json!({"to": "contacted", "expectedStatus": "contacted"}),
        )
        .await,
        StatusCode::CONFLICT,
    )
    .await;
    assert_eq!(stale["error"]["code"], "status_conflict");
    let unknown = json(
        set_status(&app, &staff, application, json!({"to": "promoted"})).await,
        StatusCode::CONFLICT,
    )
    .await;
    assert_eq!(unknown["error"]["code"], "invalid_transition");
    assert_eq!(
        unknown["error"]["fields"]["allowed"],
        "contacted,interviewed,rejected"
    );

    // The applicant withdraws; nobody can move it after that.
    json(
        app.post_json(
            &own,
            &format!("/api/applications/{application}/withdraw"),
            &json!({}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    let closed = json(
        set_status(&app, &staff, application, json!({"to": "contacted"})).await,
        StatusCode::CONFLICT,
    )
    .await;
    assert_eq!(closed["error"]["code"], "invalid_transition");
    let again = json(
        app.post_json(
            &own,
            &format!("/api/applications/{application}/withdraw"),
            &json!({}),
        )
        .await,
        StatusCode::CONFLICT,
    )
    .await;
    assert_eq!(again["error"]["code"], "invalid_transition");
}

#[tokio::test]
async fn a_manager_of_location_a_gets_404_for_everything_at_location_b() {
    let app = spawn_app().await;
    let a = venue(&app, "A").await;
    let b = venue(&app, "B").await;
    let manager_a = app.seed_user(Role::Manager, &[a.id]).await;
    let client = app.login(&manager_a.username, PASSWORD).await;
    let (_, person, application) = applicant(&app, &b).await;
    for path in [
        format!("/api/applications/{application}"),
        format!("/api/applications/{application}/letter"),
        format!("/api/applications/board?location={}", b.id),
        format!("/api/people/{person}/notes"),
        format!("/api/people/{person}/profile"),
        format!("/api/locations/{}", b.id),
        format!("/api/locations/{}/poster", b.id),
    ] {
        let status = client.get(app.url(&path)).send().await.unwrap().status();
        assert_eq!(status, 404, "GET {path}");
    }
    for (path, body) in [
        (
            format!("/api/applications/{application}/status"),
            json!({"to": "contacted"}),
        ),
        (
            format!("/api/applications/{application}/hire"),
            json!({"position": "X", "startDate": "2030-01-01"}),
        ),
        (
            format!("/api/applications/{application}/interviews"),
            slot(manager_a.id, 2, "10:00"),
        ),
        (format!("/api/people/{person}/notes"), json!({"html": "x"})),
    ] {
        let status = app.post_json(&client, &path, &body).await.status();
        assert_eq!(status, 404, "POST {path}");
    }
    // The board without a location shows only A's applications.
    let board = json(
        client
            .get(app.url("/api/applications/board"))
            .send()
            .await
            .unwrap(),
        StatusCode::OK,
    )
    .await;
    assert_eq!(board["total"], 0);
}

#[tokio::test]
async fn interviews_in_the_past_or_overlapping_the_interviewer_are_refused_with_the_conflict() {
    let app = spawn_app().await;
    let bar = venue(&app, "Bar").await;
    let manager = app.seed_user(Role::Manager, &[bar.id]).await;
    let staff = app.login(&manager.username, PASSWORD).await;
    let (_, _, first) = applicant(&app, &bar).await;
    let (_, _, second) = applicant(&app, &bar).await;

    let past = json(
        app.post_json(
            &staff,
            &format!("/api/applications/{first}/interviews"),
            &slot(manager.id, -1, "10:00"),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(past["error"]["code"], "interview_in_past");
    let booked = json(
        app.post_json(
            &staff,
            &format!("/api/applications/{first}/interviews"),
            &slot(manager.id, 5, "10:00"),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    let overlap = json(
        app.post_json(
            &staff,
            &format!("/api/applications/{second}/interviews"),
            &slot(manager.id, 5, "10:30"),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(overlap["error"]["code"], "interview_overlap");
    assert_eq!(overlap["error"]["fields"]["conflict"], booked["id"]);
    assert!(overlap["error"]["message"]
        .as_str()
        .unwrap()
        .contains("10:00"));
    // Back to back is fine; an interviewer from elsewhere is not.
    json(
        app.post_json(
            &staff,
            &format!("/api/applications/{second}/interviews"),
            &slot(manager.id, 5, "10:45"),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    let stranger = app
        .seed_user(Role::Manager, &[venue(&app, "Elsewhere").await.id])
        .await;
    let refused = json(
        app.post_json(
            &staff,
            &format!("/api/applications/{second}/interviews"),
            &slot(stranger.id, 6, "10:00"),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(refused["error"]["fields"]["interviewerId"], "not_allowed");
    // Reschedule onto itself is no overlap; cancel then outcome is refused.
    let id = booked["id"].as_str().unwrap();
    let moved = json(
        staff
            .patch(app.url(&format!("/api/interviews/{id}")))
            .json(&slot(manager.id, 5, "09:30"))
            .send()
            .await
            .unwrap(),
        StatusCode::OK,
    )
    .await;
    assert_eq!(moved["localTime"], "09:30");
    json(
        app.post_json(&staff, &format!("/api/interviews/{id}/cancel"), &json!({}))
            .await,
        StatusCode::OK,
    )
    .await;
    let closed = json(
        app.post_json(
            &staff,
            &format!("/api/interviews/{id}/outcome"),
            &json!({"outcome": "passed"}),
        )
        .await,
        StatusCode::CONFLICT,
    )
    .await;
    assert_eq!(closed["error"]["code"], "interview_closed");
}

#[tokio::test]
async fn notes_are_limited_sanitized_and_kept_from_people_who_may_not_read_them() {
    let app = spawn_app().await;
    let bar = venue(&app, "Bar").await;
    let manager = app.seed_user(Role::Manager, &[bar.id]).await;
    let floor = app.seed_user(Role::FloorManager, &[bar.id]).await;
    let staff = app.login(&manager.username, PASSWORD).await;
    let floor = app.login(&floor.username, PASSWORD).await;
    let (own, person, _) = applicant(&app, &bar).await;
    let path = format!("/api/people/{person}/notes");

    let too_long = app
        .post_json(&staff, &path, &json!({"html": "a".repeat(20_001)}))
        .await;
    assert_eq!(too_long.status(), 413);
    let stored = json(
        app.post_json(
            &staff,
            &path,
            &json!({"html": "<img src=x onerror=alert(1)>Kind <b>and</b> quick"}),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(stored["html"], "Kind <b>and</b> quick");
    let managers_only = json(
        app.post_json(
            &staff,
            &path,
            &json!({"html": "Salary wish", "visibleRoles": ["manager"]}),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    let bad_roles = app
        .post_json(
            &staff,
            &path,
            &json!({"html": "x", "visibleRoles": ["applicant"]}),
        )
        .await;
    assert_eq!(bad_roles.status(), 422);

    // The floor manager sees the first note only and may not edit it.
    let seen = json(
        floor.get(app.url(&path)).send().await.unwrap(),
        StatusCode::OK,
    )
    .await;
    assert_eq!(seen.as_array().unwrap().len(), 1);
    assert_eq!(seen[0]["canEdit"], false);
    let hidden = floor
        .patch(app.url(&format!(
            "/api/notes/{}",
            managers_only["id"].as_str().unwrap()
        )))
        .json(&json!({"priority": "low"}))
        .send()
        .await
        .unwrap();
    assert_eq!(hidden.status(), 404);

    // The applicant: refused everywhere, and no count or body anywhere in their own data.
    assert_eq!(own.get(app.url(&path)).send().await.unwrap().status(), 403);
    let export = own.get(app.url("/api/me/export")).send().await.unwrap();
    assert_eq!(export.status(), 200);
    let bytes = export.bytes().await.unwrap();
    assert!(
        !bytes.windows(5).any(|w| w == b"Kind "),
        "a note leaked into the export"
    );

    // Edit by the author, delete by the author.
    let id = stored["id"].as_str().unwrap();
    let edited = json(
        staff
            .patch(app.url(&format!("/api/notes/{id}")))
            .json(&json!({"html": "<p>Kind</p>", "priority": "urgent"}))
            .send()
            .await
            .unwrap(),
        StatusCode::OK,
    )
    .await;
    assert_eq!(edited["priority"], "urgent");
    assert_eq!(edited["html"], "<p>Kind</p>");
    let deleted = staff
        .delete(app.url(&format!("/api/notes/{id}")))
        .send()
        .await
        .unwrap();
    assert_eq!(deleted.status(), 204);
    assert_eq!(app.audit_count("note.deleted").await, 1);
}

#[tokio::test]
async fn hiring_keeps_other_applications_visible_to_their_venues() {
    let app = spawn_app().await;
    let a = venue(&app, "A").await;
    let b = venue(&app, "B").await;
    let manager_a = app.seed_user(Role::Manager, &[a.id]).await;
    let manager_b = app.seed_user(Role::Manager, &[b.id]).await;
    let manager_a = app.login(&manager_a.username, PASSWORD).await;
    let manager_b = app.login(&manager_b.username, PASSWORD).await;
    let (own, _, at_a) = applicant(&app, &a).await;
    let at_b = json(
        app.post_json(
            &own,
            "/api/applications",
            &json!({"locationId": b.id, "position": "Cook"}),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(at_b["source"], "web");
    let duplicate = json(
        app.post_json(
            &own,
            "/api/applications",
            &json!({"locationId": b.id, "position": "Cook"}),
        )
        .await,
        StatusCode::CONFLICT,
    )
    .await;
    assert_eq!(duplicate["error"]["code"], "already_applied");

    for to in ["interviewed", "short_listed"] {
        json(
            set_status(&app, &manager_a, at_a, json!({"to": to})).await,
            StatusCode::OK,
        )
        .await;
    }
    json(
        app.post_json(
            &manager_a,
            &format!("/api/applications/{at_a}/hire"),
            &json!({"position": "Bartender", "startDate": "2031-02-03"}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    let still_open = json(
        manager_b
            .get(app.url(&format!(
                "/api/applications/{}",
                at_b["id"].as_str().unwrap()
            )))
            .send()
            .await
            .unwrap(),
        StatusCode::OK,
    )
    .await;
    assert_eq!(still_open["status"], "new");
    assert_eq!(still_open["applicant"]["role"], "crew_member");
    // Manager B does not learn about the hire at A.
    assert_eq!(still_open["otherApplications"], json!([]));
}

#[tokio::test]
async fn locations_are_edited_by_their_managers_and_print_a_poster() {
    let app = spawn_app().await;
    let bar = venue(&app, "Café 't Hoekje").await;
    let manager = app.seed_user(Role::Manager, &[bar.id]).await;
    let staff = app.login(&manager.username, PASSWORD).await;
    let edited = json(
        staff
            .patch(app.url(&format!("/api/locations/{}", bar.id)))
            .json(&json!({"address": "Dorpsstraat 1, Utrecht", "contactPhone": "030 123 4567"}))
            .send()
            .await
            .unwrap(),
        StatusCode::OK,
    )
    .await;
    assert_eq!(edited["address"], "Dorpsstraat 1, Utrecht");
    // A valid number padded with separators past the column's 40 characters: 422, not a 500 from the store.
    let padded = staff
        .patch(app.url(&format!("/api/locations/{}", bar.id)))
        .json(&json!({"contactPhone": format!("030{}1234567", " -".repeat(20))}))
        .send()
        .await
        .unwrap();
    let padded = json(padded, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(padded["error"]["fields"]["contactPhone"], "too_long");
    assert!(edited["applicationUrl"]
        .as_str()
        .unwrap()
        .ends_with(&format!("/apply/{}", bar.code)));
    let archive = staff
        .patch(app.url(&format!("/api/locations/{}", bar.id)))
        .json(&json!({"active": false}))
        .send()
        .await
        .unwrap();
    assert_eq!(archive.status(), 403);

    let svg = staff
        .get(app.url(&format!("/api/locations/{}/poster?format=svg", bar.id)))
        .send()
        .await
        .unwrap();
    assert_eq!(svg.headers()["content-type"], "image/svg+xml");
    let svg = svg.text().await.unwrap();
    assert!(
        svg.contains("Café &apos;t Hoekje") || svg.contains("Café 't Hoekje"),
        "{svg:.400}"
    );
    let png = staff
        .get(app.url(&format!("/api/locations/{}/poster?format=png", bar.id)))
        .send()
        .await
        .unwrap();
    assert_eq!(png.headers()["content-type"], "image/png");
    assert!(png.bytes().await.unwrap().starts_with(b"\x89PNG"));

    // Archived by an administrator: the QR link stops working.
    let admin = app.seed_user(Role::Administrator, &[]).await;
    let admin = app.login(&admin.username, PASSWORD).await;
    json(
        admin
            .patch(app.url(&format!("/api/locations/{}", bar.id)))
            .json(&json!({"active": false}))
            .send()
            .await
            .unwrap(),
        StatusCode::OK,
    )
    .await;
    let public = app
        .get(&format!("/api/public/locations/{}", bar.code))
        .await;
    assert_eq!(public.status(), 404);
}

#[tokio::test]
async fn a_walk_in_is_added_by_a_manager_and_invited() {
    let app = spawn_app().await;
    let bar = venue(&app, "Bar").await;
    let manager = app.seed_user(Role::Manager, &[bar.id]).await;
    let staff = app.login(&manager.username, PASSWORD).await;
    let detail = json(
        app.post_json(
            &staff,
            "/api/applications/manual",
            &json!({"locationId": bar.id, "firstName": "Walk", "lastName": "In",
                    "email": "walk.in@example.test", "phone": "06 12345678", "position": "Runner"}),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(detail["source"], "manual");
    assert_eq!(detail["applicant"]["sensitive"]["phone"], "06 12345678");
    assert_eq!(
        detail["permissions"]["allowedTransitions"],
        json!(["contacted", "interviewed", "rejected"])
    );
    let pg = app.pg.get().await.unwrap();
    let mails: i64 = pg
        .query_one(
            "SELECT count(*) FROM email_outbox WHERE to_address = 'walk.in@example.test'",
            &[],
        )
        .await
        .unwrap()
        .get(0);
    assert_eq!(mails, 2, "an invitation and the application confirmation");

    // Someone with an account elsewhere cannot be pulled into this venue's view by typing their address.
    let elsewhere = venue(&app, "Elsewhere").await;
    let (_, other, _) = applicant(&app, &elsewhere).await;
    let email: String = pg
        .query_one("SELECT email FROM users WHERE id = $1", &[&other])
        .await
        .unwrap()
        .get(0);
    let refused = json(
        app.post_json(
            &staff,
            "/api/applications/manual",
            &json!({"locationId": bar.id, "firstName": "X", "lastName": "Y", "email": email,
                    "position": "Runner"}),
        )
        .await,
        StatusCode::CONFLICT,
    )
    .await;
    assert_eq!(refused["error"]["code"], "email_taken");
    let profile = staff
        .get(app.url(&format!("/api/people/{other}/profile")))
        .send()
        .await
        .unwrap();
    assert_eq!(profile.status(), 404);
}

#[tokio::test]
async fn with_mongodb_down_the_board_and_detail_answer_and_notes_say_store_unavailable() {
    let mut vars = crate::support::test_vars().await;
    vars.insert(
        "MONGODB_URL".into(),
        format!(
            "mongodb://127.0.0.1:{}/?directConnection=true",
            crate::support::free_port()
        ),
    );
    vars.insert("CREWPLOTS__MONGODB__TIMEOUT_MS".into(), "500".into());
    let app = crate::support::spawn_app_with(vars).await;
    let bar = venue(&app, "Bar").await;
    let manager = app.seed_user(Role::Manager, &[bar.id]).await;
    let staff = app.login(&manager.username, PASSWORD).await;
    let person = app.seed_user(Role::Applicant, &[]).await;
    let application = app.seed_application(person.id, bar.id).await;

    let board = json(
        staff
            .get(app.url("/api/applications/board"))
            .send()
            .await
            .unwrap(),
        StatusCode::OK,
    )
    .await;
    assert_eq!(board["total"], 1);
    let detail = json(
        staff
            .get(app.url(&format!("/api/applications/{application}")))
            .send()
            .await
            .unwrap(),
        StatusCode::OK,
    )
    .await;
    assert_eq!(detail["applicant"]["sensitiveStatus"], "unavailable");
    assert!(detail["applicant"]["sensitive"].is_null());

    let refused = json(
        app.post_json(
            &staff,
            &format!("/api/people/{}/notes", person.id),
            &json!({"html": "Hi"}),
        )
        .await,
        StatusCode::SERVICE_UNAVAILABLE,
    )
    .await;
    assert_eq!(refused["error"]["code"], "store_unavailable");
    let pg = app.pg.get().await.unwrap();
    let notes: i64 = pg
        .query_one("SELECT count(*) FROM notes", &[])
        .await
        .unwrap()
        .get(0);
    assert_eq!(notes, 0, "no note row without its body");
    // Moving the card needs no MongoDB.
    json(
        set_status(&app, &staff, application, json!({"to": "contacted"})).await,
        StatusCode::OK,
    )
    .await;
}

#[tokio::test]
async fn the_sweep_removes_sealed_bodies_without_a_note_or_application_and_keeps_the_rest() {
    use crewplots_domain::ports::BodyVault;
    let app = spawn_app().await;
    let bar = venue(&app, "Bar").await;
    let manager = app.seed_user(Role::Manager, &[bar.id]).await;
    let staff = app.login(&manager.username, PASSWORD).await;
    let (_, person, application) = applicant(&app, &bar).await;
    let note = json(
        app.post_json(
            &staff,
            &format!("/api/people/{person}/notes"),
            &json!({"html": "Kept"}),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    let settings = crewplots_server::settings::Settings::load_from(&app.vars, None).unwrap();
    let bodies =
        crewplots_storage_mongo::MongoBodyVault::new(app.mongo.clone(), settings.keyring.clone());
    // A note whose row was never written (PostgreSQL failed after the body was sealed).
    let orphan = Uuid::new_v4();
    bodies
        .save(orphan, person, "note", "<p>lost</p>")
        .await
        .unwrap();

    let report = crewplots_server::startup::sweep_once(&settings, std::time::Duration::ZERO)
        .await
        .unwrap();
    assert_eq!(report.bodies_removed, 1, "{report:?}");
    assert_eq!(bodies.load(orphan, person, "note").await.unwrap(), None);
    let note_id: Uuid = note["id"].as_str().unwrap().parse().unwrap();
    assert!(bodies
        .load(note_id, person, "note")
        .await
        .unwrap()
        .is_some());
    assert!(bodies
        .load(application, person, "motivation_letter")
        .await
        .unwrap()
        .is_some());
}

#[tokio::test]
async fn the_board_filters_by_position_source_and_text_and_counts_every_column() {
    let app = spawn_app().await;
    let bar = venue(&app, "Bar").await;
    let manager = app.seed_user(Role::Manager, &[bar.id]).await;
    let staff = app.login(&manager.username, PASSWORD).await;
    let mut ids = Vec::new();
    for _ in 0..3 {
        ids.push(applicant(&app, &bar).await.2);
    }
    json(
        set_status(&app, &staff, ids[0], json!({"to": "contacted"})).await,
        StatusCode::OK,
    )
    .await;
    let cook = app.seed_user(Role::Applicant, &[]).await;
    let cook_client = app.login(&cook.username, PASSWORD).await;
    json(
        app.post_json(
            &cook_client,
            "/api/applications",
            &json!({"locationId": bar.id, "position": "Cook"}),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    let board = |query: String| {
        let staff = staff.clone();
        let url = app.url(&format!(
            "/api/applications/board?location={}{query}",
            bar.id
        ));
        async move { json(staff.get(url).send().await.unwrap(), StatusCode::OK).await }
    };
    let all = board(String::new()).await;
    assert_eq!(all["total"], 4);
    assert_eq!(all["columns"][0]["count"], 3);
    assert_eq!(all["columns"][1]["count"], 1);
    assert_eq!(all["positions"], json!(["Bartender", "Cook"]));
    assert_eq!(board("&position=Cook".into()).await["total"], 1);
    assert_eq!(board("&source=web".into()).await["total"], 1);
    assert_eq!(
        board("&source=qr&position=Bartender".into()).await["total"],
        3
    );
    // Seeded applicants are called "Test applicant" with a unique username in their e-mail address.
    let by_email = board(format!("&q={}", &cook.username[..8])).await;
    assert_eq!(by_email["total"], 1);
    assert_eq!(by_email["columns"][0]["cards"][0]["position"], "Cook");
    assert_eq!(
        board("&q=%25".into()).await["total"],
        0,
        "a % is a character, not a wildcard"
    );
    let one_per_column = board("&perColumn=1".into()).await;
    assert_eq!(
        one_per_column["columns"][0]["cards"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert_eq!(one_per_column["columns"][0]["count"], 3);
}

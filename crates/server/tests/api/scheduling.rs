//! Scheduling through the HTTP API against the real stores: positions, competencies and the roster,
//! templates, weeks (empty, from a template, copied across a clock change), the grid, the rule engine's
//! refusals and overrides, publishing (and who is mailed), the crew's published view, the change history,
//! the past-shift rule, bad input, and two venues assigning one person at the same moment.

use chrono::{Datelike, Duration, NaiveDate, Utc};
use crewplots_domain::scheduling::time::IsoWeek;
use crewplots_domain::Role;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use uuid::Uuid;

use crate::support::{send_json, spawn_app, Seeded, TestApp, PASSWORD};

pub(crate) async fn call(
    app: &TestApp,
    client: &reqwest::Client,
    method: Method,
    path: &str,
    body: Option<Value>,
) -> (StatusCode, Value) {
    let mut request = client.request(method, app.url(path));
    if let Some(body) = body {
        request = request.json(&body);
    }
    send_json(request).await
}

pub(crate) async fn expect(
    app: &TestApp,
    client: &reqwest::Client,
    method: Method,
    path: &str,
    body: Option<Value>,
    status: StatusCode,
) -> Value {
    let (actual, value) = call(app, client, method.clone(), path, body).await;
    assert_eq!(actual, status, "{method} {path}: {value}");
    value
}

pub(crate) fn id(value: &Value) -> Uuid {
    value["id"].as_str().unwrap().parse().unwrap()
}

/// A venue with a manager, a floor manager, positions Bartender and Runner, competency Cocktails
/// (Bartender needs level 2), and crew.
pub(crate) struct Venue {
    pub(crate) id: Uuid,
    pub(crate) manager: reqwest::Client,
    pub(crate) floor: reqwest::Client,
    pub(crate) bartender: Uuid,
    pub(crate) runner: Uuid,
    pub(crate) cocktails: Uuid,
}

pub(crate) async fn venue(app: &TestApp, name: &str) -> Venue {
    let location = app.seed_location(name).await;
    let manager = app.seed_user(Role::Manager, &[location.id]).await;
    let floor = app.seed_user(Role::FloorManager, &[location.id]).await;
    let manager = app.login(&manager.username, PASSWORD).await;
    let floor = app.login(&floor.username, PASSWORD).await;
    let base = format!("/api/locations/{}", location.id);
    let cocktails = expect(
        app,
        &manager,
        Method::POST,
        &format!("{base}/competencies"),
        Some(json!({"name": "Cocktails"})),
        StatusCode::CREATED,
    )
    .await;
    let cocktails = id(&cocktails);
    let bartender = expect(
        app,
        &manager,
        Method::POST,
        &format!("{base}/positions"),
        Some(json!({"name": "Bartender", "requirements": [{"competencyId": cocktails, "minLevel": 2}]})),
        StatusCode::CREATED,
    )
    .await;
    let runner = expect(
        app,
        &manager,
        Method::POST,
        &format!("{base}/positions"),
        Some(json!({"name": "Runner"})),
        StatusCode::CREATED,
    )
    .await;
    Venue {
        id: location.id,
        manager,
        floor,
        bartender: id(&bartender),
        runner: id(&runner),
        cocktails,
    }
}

/// A crew member of the venue with positions, hours and a Cocktails level.
pub(crate) async fn crew(
    app: &TestApp,
    at: &Venue,
    positions: &[Uuid],
    hours: f64,
    level: Option<u8>,
) -> Seeded {
    let person = app.seed_user(Role::CrewMember, &[at.id]).await;
    expect(
        app,
        &at.manager,
        Method::PATCH,
        &format!("/api/locations/{}/crew/{}", at.id, person.id),
        Some(
            json!({"positionIds": positions, "contractedHours": hours, "startDate": "2026-01-01"}),
        ),
        StatusCode::OK,
    )
    .await;
    if let Some(level) = level {
        expect(
            app,
            &at.manager,
            Method::PUT,
            &format!("/api/crew/{}/competencies/{}", person.id, at.cocktails),
            Some(json!({"level": level, "note": "Assessed on shift"})),
            StatusCode::OK,
        )
        .await;
    }
    person
}

pub(crate) fn next_week() -> IsoWeek {
    IsoWeek::of(crate::support::venue_today()).plus(1).unwrap()
}

pub(crate) async fn create_week(app: &TestApp, at: &Venue, body: Value) -> Value {
    expect(
        app,
        &at.manager,
        Method::POST,
        &format!("/api/locations/{}/weeks", at.id),
        Some(body),
        StatusCode::CREATED,
    )
    .await
}

pub(crate) async fn grid(app: &TestApp, at: &Venue, week: &str) -> Value {
    expect(
        app,
        &at.manager,
        Method::GET,
        &format!("/api/locations/{}/weeks/{week}", at.id),
        None,
        StatusCode::OK,
    )
    .await
}

pub(crate) async fn add_shift(app: &TestApp, at: &Venue, week: Uuid, body: Value) -> Uuid {
    let added = expect(
        app,
        &at.manager,
        Method::POST,
        &format!("/api/weeks/{week}/shifts"),
        Some(body),
        StatusCode::CREATED,
    )
    .await;
    added["shiftId"].as_str().unwrap().parse().unwrap()
}

/// Who is on a shift now (working copy).
pub(crate) async fn people_on(app: &TestApp, shift: Uuid) -> Vec<Uuid> {
    app.pg
        .get()
        .await
        .unwrap()
        .query(
            "SELECT user_id FROM assignments WHERE shift_id = $1 ORDER BY user_id",
            &[&shift],
        )
        .await
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect()
}

/// A UUID given as a JSON string.
pub(crate) fn uuid(value: &Value) -> Uuid {
    value.as_str().unwrap().parse().unwrap()
}

/// Renames a seeded person (they are all "Test <role>").
pub(crate) async fn rename(app: &TestApp, who: &Seeded, first: &str, last: &str) {
    app.pg
        .get()
        .await
        .unwrap()
        .execute(
            "UPDATE users SET first_name = $2, last_name = $3 WHERE id = $1",
            &[&who.id, &first, &last],
        )
        .await
        .unwrap();
}

/// Creates an empty week and returns its id.
pub(crate) async fn empty_week(app: &TestApp, at: &Venue, iso: IsoWeek) -> Uuid {
    let created = create_week(
        app,
        at,
        json!({"isoWeek": iso.to_string(), "source": "empty"}),
    )
    .await;
    uuid(&created["week"]["id"])
}

pub(crate) async fn publish(app: &TestApp, at: &Venue, week: Uuid, iso: IsoWeek) {
    let version = grid(app, at, &iso.to_string()).await["week"]["version"].clone();
    expect(
        app,
        &at.manager,
        Method::POST,
        &format!("/api/weeks/{week}/publish"),
        Some(json!({"expectedVersion": version})),
        StatusCode::OK,
    )
    .await;
}

pub(crate) async fn assign(app: &TestApp, at: &Venue, shift: Uuid, who: Uuid) -> Uuid {
    let made = expect(
        app,
        &at.manager,
        Method::POST,
        &format!("/api/shifts/{shift}/assignments"),
        Some(json!({"userId": who})),
        StatusCode::CREATED,
    )
    .await;
    uuid(&made["assignment"]["id"])
}

async fn mails_to(app: &TestApp, who: &Seeded) -> Vec<String> {
    let client = app.pg.get().await.unwrap();
    client
        .query(
            "SELECT body_text FROM email_outbox WHERE to_address = $1 AND subject LIKE 'Your shifts%'
             ORDER BY created_at",
            &[&format!("{}@example.test", who.username)],
        )
        .await
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect()
}

#[tokio::test]
async fn a_manager_builds_a_week_from_a_template_assigns_with_the_rules_and_publishes() {
    let app = spawn_app().await;
    let at = venue(&app, "De Gouden Leeuw").await;
    let ann = crew(&app, &at, &[at.bartender], 24.0, Some(3)).await;
    let bob = crew(&app, &at, &[at.bartender, at.runner], 8.0, Some(1)).await;
    let cas = crew(&app, &at, &[at.runner], 16.0, None).await;

    // Roster filters.
    let runners = expect(
        &app,
        &at.floor,
        Method::GET,
        &format!("/api/locations/{}/crew?position={}", at.id, at.runner),
        None,
        StatusCode::OK,
    )
    .await;
    assert_eq!(runners.as_array().unwrap().len(), 2);

    // A template with an overnight bar shift and a runner shift.
    let template = expect(
        &app,
        &at.manager,
        Method::POST,
        &format!("/api/locations/{}/templates", at.id),
        Some(json!({"name": "Standard week", "shifts": [
            {"weekday": 5, "positionId": at.bartender, "start": "22:00", "end": "03:00", "breakMinutes": 30, "slots": 2},
            {"weekday": 6, "positionId": at.runner, "start": "12:00", "end": "18:00", "slots": 1,
             "note": "Terrace"},
        ]})),
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(template["shifts"][0]["overnight"], true);
    let week = next_week();
    let created = create_week(
        &app,
        &at,
        json!({"isoWeek": week.to_string(), "source": "template", "templateId": template["id"]}),
    )
    .await;
    assert_eq!(created["shifts"], 2);
    let week_id: Uuid = created["week"]["id"].as_str().unwrap().parse().unwrap();
    // The same week twice: 409.
    let (status, body) = call(
        &app,
        &at.manager,
        Method::POST,
        &format!("/api/locations/{}/weeks", at.id),
        Some(json!({"isoWeek": week.to_string(), "source": "empty"})),
    )
    .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (StatusCode::CONFLICT, Some("week_exists"))
    );

    let grid1 = grid(&app, &at, &week.to_string()).await;
    assert_eq!(grid1["week"]["status"], "draft");
    let shifts = grid1["shifts"].as_array().unwrap();
    let bar = shifts
        .iter()
        .find(|s| s["positionId"] == json!(at.bartender))
        .unwrap();
    assert_eq!(bar["localStart"], "22:00");
    assert_eq!(bar["localEnd"], "03:00");
    assert_eq!(bar["paidMinutes"], 270);
    assert_eq!(bar["date"], week.days()[4].to_string());
    let bar_id: Uuid = bar["id"].as_str().unwrap().parse().unwrap();
    let runner_shift: Uuid = shifts
        .iter()
        .find(|s| s["positionId"] == json!(at.runner))
        .map(|s| s["id"].as_str().unwrap().parse().unwrap())
        .unwrap();
    assert_eq!(grid1["coverage"].as_array().unwrap().len(), 2);
    assert_eq!(
        grid1["people"].as_array().unwrap().len(),
        4,
        "three crew and the floor manager"
    );

    // The eligible list says why Bob is greyed out.
    let eligible = expect(
        &app,
        &at.floor,
        Method::GET,
        &format!("/api/shifts/{bar_id}/eligible"),
        None,
        StatusCode::OK,
    )
    .await;
    let row = |who: Uuid| {
        eligible["people"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["person"]["id"] == json!(who))
            .cloned()
            .unwrap()
    };
    assert_eq!(row(ann.id)["eligible"], true);
    assert_eq!(
        eligible["people"][0]["person"]["id"],
        json!(ann.id),
        "eligible first"
    );
    let bob_row = row(bob.id);
    assert_eq!(bob_row["eligible"], false);
    assert_eq!(bob_row["overridable"], true);
    assert_eq!(bob_row["reasons"][0]["code"], "competency_below_minimum");
    assert_eq!(bob_row["reasons"][0]["figures"]["level"], 1);
    assert_eq!(bob_row["reasons"][0]["figures"]["minimumLevel"], 2);
    assert_eq!(
        eligible["canOverride"], false,
        "floor managers cannot override"
    );

    // Floor managers assign; the refusal carries every reason.
    let assign = |who: Uuid| json!({"userId": who});
    let made = expect(
        &app,
        &at.floor,
        Method::POST,
        &format!("/api/shifts/{bar_id}/assignments"),
        Some(assign(ann.id)),
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(made["assignment"]["person"]["id"], json!(ann.id));
    let (status, refused) = call(
        &app,
        &at.floor,
        Method::POST,
        &format!("/api/shifts/{bar_id}/assignments"),
        Some(assign(bob.id)),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{refused}");
    assert_eq!(refused["error"]["code"], "competency_below_minimum");
    assert_eq!(refused["error"]["fields"]["overridable"], "true");
    assert_eq!(
        refused["error"]["reasons"][0]["figures"]["competency"],
        "Cocktails"
    );
    let (status, body) = call(
        &app,
        &at.floor,
        Method::POST,
        &format!("/api/shifts/{bar_id}/assignments"),
        Some(json!({"userId": bob.id, "override": {"reason": "Training night"}})),
    )
    .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (StatusCode::FORBIDDEN, Some("override_not_allowed"))
    );
    // A manager overrides with a reason: recorded on the assignment, in the history and the audit log.
    let (status, body) = call(
        &app,
        &at.manager,
        Method::POST,
        &format!("/api/shifts/{bar_id}/assignments"),
        Some(json!({"userId": bob.id, "override": {"reason": " "}})),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let overridden = expect(
        &app,
        &at.manager,
        Method::POST,
        &format!("/api/shifts/{bar_id}/assignments"),
        Some(json!({"userId": bob.id, "override": {"reason": "Training night with Ann"}})),
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(
        overridden["assignment"]["overridden"],
        json!(["competency_below_minimum"])
    );
    assert_eq!(app.audit_count("schedule.override").await, 1);
    // The shift is full now: 409 with the code.
    let (status, full) = call(
        &app,
        &at.manager,
        Method::POST,
        &format!("/api/shifts/{bar_id}/assignments"),
        Some(assign(cas.id)),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(full["error"]["code"], "slots_full");
    expect(
        &app,
        &at.manager,
        Method::POST,
        &format!("/api/shifts/{runner_shift}/assignments"),
        Some(assign(cas.id)),
        StatusCode::CREATED,
    )
    .await;

    // Crew see nothing before publishing.
    let ann_client = app.login(&ann.username, PASSWORD).await;
    let schedule_path = format!("/api/locations/{}/schedule/{week}", at.id);
    let (status, body) = call(&app, &ann_client, Method::GET, &schedule_path, None).await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (StatusCode::NOT_FOUND, Some("week_not_found"))
    );
    // Crew never see the working grid.
    let (status, _) = call(
        &app,
        &ann_client,
        Method::GET,
        &format!("/api/locations/{}/weeks/{week}", at.id),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // Publish: the preview names the three people; everyone assigned gets one mail.
    let preview = expect(
        &app,
        &at.manager,
        Method::GET,
        &format!("/api/weeks/{week_id}/publish-preview"),
        None,
        StatusCode::OK,
    )
    .await;
    assert_eq!(preview["notify"].as_array().unwrap().len(), 3);
    let version = preview["week"]["version"].as_i64().unwrap();
    let (status, body) = call(
        &app,
        &at.floor,
        Method::POST,
        &format!("/api/weeks/{week_id}/publish"),
        Some(json!({"expectedVersion": version})),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    let (status, body) = call(
        &app,
        &at.manager,
        Method::POST,
        &format!("/api/weeks/{week_id}/publish"),
        Some(json!({"expectedVersion": version - 1})),
    )
    .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (StatusCode::CONFLICT, Some("week_changed"))
    );
    let published = expect(
        &app,
        &at.manager,
        Method::POST,
        &format!("/api/weeks/{week_id}/publish"),
        Some(json!({"expectedVersion": version})),
        StatusCode::OK,
    )
    .await;
    assert_eq!(published["notified"], 3);
    assert_eq!(published["week"]["hasUnpublishedChanges"], false);
    assert_eq!(app.audit_count("schedule.published").await, 1);
    for who in [&ann, &bob, &cas] {
        assert_eq!(mails_to(&app, who).await.len(), 1, "{}", who.username);
    }
    assert!(mails_to(&app, &ann).await[0].contains("new: "));

    let view = expect(
        &app,
        &ann_client,
        Method::GET,
        &schedule_path,
        None,
        StatusCode::OK,
    )
    .await;
    let mine: Vec<&Value> = view["shifts"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["mine"] == true)
        .collect();
    assert_eq!(mine.len(), 1);
    assert_eq!(mine[0]["localStart"], "22:00");
    assert_eq!(mine[0]["people"].as_array().unwrap().len(), 2);
    assert!(
        mine[0]["people"][0]["name"]
            .as_str()
            .unwrap()
            .ends_with('.'),
        "first name and initial only"
    );

    // A change after publishing stays invisible to crew until published again; only Cas hears of it.
    let runner_date = week.days()[5];
    expect(
        &app,
        &at.manager,
        Method::PATCH,
        &format!("/api/shifts/{runner_shift}"),
        Some(json!({"date": runner_date, "positionId": at.runner, "start": "13:00", "end": "19:00", "slots": 1})),
        StatusCode::OK,
    )
    .await;
    // Floor managers may not change a published week's shifts.
    let (status, _) = call(
        &app,
        &at.floor,
        Method::PATCH,
        &format!("/api/shifts/{runner_shift}"),
        Some(json!({"date": runner_date, "positionId": at.runner, "start": "14:00", "end": "19:00", "slots": 1})),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let cas_client = app.login(&cas.username, PASSWORD).await;
    let view = expect(
        &app,
        &cas_client,
        Method::GET,
        &schedule_path,
        None,
        StatusCode::OK,
    )
    .await;
    let theirs = view["shifts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["mine"] == true)
        .unwrap()
        .clone();
    assert_eq!(
        theirs["localStart"], "12:00",
        "the published copy still shows the old time"
    );
    let grid2 = grid(&app, &at, &week.to_string()).await;
    assert_eq!(grid2["week"]["hasUnpublishedChanges"], true);
    assert_eq!(grid2["unpublishedChanges"], 1);
    let preview = expect(
        &app,
        &at.manager,
        Method::GET,
        &format!("/api/weeks/{week_id}/publish-preview"),
        None,
        StatusCode::OK,
    )
    .await;
    assert_eq!(preview["notify"].as_array().unwrap().len(), 1);
    assert_eq!(preview["notify"][0]["person"]["id"], json!(cas.id));
    assert!(preview["notify"][0]["changes"][0]
        .as_str()
        .unwrap()
        .starts_with("moved: "));
    let version = preview["week"]["version"].as_i64().unwrap();
    expect(
        &app,
        &at.manager,
        Method::POST,
        &format!("/api/weeks/{week_id}/publish"),
        Some(json!({"expectedVersion": version})),
        StatusCode::OK,
    )
    .await;
    assert_eq!(mails_to(&app, &cas).await.len(), 2);
    assert_eq!(mails_to(&app, &ann).await.len(), 1);
    assert_eq!(mails_to(&app, &bob).await.len(), 1);
    let view = expect(
        &app,
        &cas_client,
        Method::GET,
        &schedule_path,
        None,
        StatusCode::OK,
    )
    .await;
    let theirs = view["shifts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["mine"] == true)
        .unwrap()
        .clone();
    assert_eq!(theirs["localStart"], "13:00");

    // The history: who, what, old → new, override reasons.
    let history = expect(
        &app,
        &at.manager,
        Method::GET,
        &format!("/api/weeks/{week_id}/changes"),
        None,
        StatusCode::OK,
    )
    .await;
    let kinds: Vec<&str> = history
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds[0], "published");
    assert!(kinds.contains(&"shift_changed") && kinds.contains(&"week_created"));
    let moved = history
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["kind"] == "shift_changed")
        .unwrap();
    assert!(
        moved["old"]
            .as_str()
            .unwrap()
            .contains("12:00–18:00 Runner ×1"),
        "{moved}"
    );
    assert!(
        moved["new"]
            .as_str()
            .unwrap()
            .contains("13:00–19:00 Runner ×1"),
        "{moved}"
    );
    let override_row = history
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["overridden"] == json!(["competency_below_minimum"]))
        .unwrap();
    assert_eq!(override_row["reason"], "Training night with Ann");
    assert_eq!(override_row["person"]["id"], json!(bob.id));

    // Hours vs contract: Bob (8 h contract) is at 4.5 h; the grid shows every person's week.
    let grid3 = grid(&app, &at, &week.to_string()).await;
    let bob_week = grid3["people"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["person"]["id"] == json!(bob.id))
        .unwrap();
    assert_eq!(bob_week["weekMinutes"], 270);
    assert_eq!(bob_week["contractMinutes"], 480);

    // The week list.
    let weeks = expect(
        &app,
        &at.floor,
        Method::GET,
        &format!("/api/locations/{}/weeks", at.id),
        None,
        StatusCode::OK,
    )
    .await;
    assert_eq!(weeks[0]["filled"], 3);
    assert_eq!(weeks[0]["slots"], 3);

    // Unassign, and the crew page of Ann shows the upcoming shift and her levels.
    let page = expect(
        &app,
        &at.floor,
        Method::GET,
        &format!("/api/crew/{}", ann.id),
        None,
        StatusCode::OK,
    )
    .await;
    assert_eq!(page["upcoming"].as_array().unwrap().len(), 1);
    assert_eq!(page["upcoming"][0]["published"], true);
    assert_eq!(page["levels"][0]["level"], 3);
    assert_eq!(page["history"].as_array().unwrap().len(), 1);
    let assignment = made["assignment"]["id"].as_str().unwrap();
    expect(
        &app,
        &at.floor,
        Method::DELETE,
        &format!("/api/assignments/{assignment}"),
        None,
        StatusCode::OK,
    )
    .await;
}

#[tokio::test]
async fn two_venues_putting_one_person_on_overlapping_shifts_at_once_exactly_one_wins() {
    let app = spawn_app().await;
    let a = venue(&app, "Venue A").await;
    let b = venue(&app, "Venue B").await;
    let week = next_week();
    let week_a = create_week(
        &app,
        &a,
        json!({"isoWeek": week.to_string(), "source": "empty"}),
    )
    .await;
    let week_b = create_week(
        &app,
        &b,
        json!({"isoWeek": week.to_string(), "source": "empty"}),
    )
    .await;
    let week_a: Uuid = week_a["week"]["id"].as_str().unwrap().parse().unwrap();
    let week_b: Uuid = week_b["week"]["id"].as_str().unwrap().parse().unwrap();
    for round in 0..10u32 {
        let person = app.seed_user(Role::CrewMember, &[a.id, b.id]).await;
        let date = week.days()[(round % 7) as usize];
        let shift = |at: &Venue, start: &str, end: &str| json!({"date": date, "positionId": at.runner, "start": start, "end": end, "slots": 3});
        let sa = add_shift(&app, &a, week_a, shift(&a, "10:00", "16:00")).await;
        let sb = add_shift(&app, &b, week_b, shift(&b, "14:00", "20:00")).await;
        let body = json!({"userId": person.id});
        let (path_a, path_b) = (
            format!("/api/shifts/{sa}/assignments"),
            format!("/api/shifts/{sb}/assignments"),
        );
        let (one, other) = tokio::join!(
            call(&app, &a.manager, Method::POST, &path_a, Some(body.clone())),
            call(&app, &b.manager, Method::POST, &path_b, Some(body.clone())),
        );
        let mut statuses = [one.0, other.0];
        statuses.sort();
        assert_eq!(
            statuses,
            [StatusCode::CREATED, StatusCode::CONFLICT],
            "round {round}: {one:?} {other:?}"
        );
        let loser = if one.0 == StatusCode::CONFLICT {
            &one.1
        } else {
            &other.1
        };
        assert_eq!(loser["error"]["code"], "overlap", "{loser}");
        let held: i64 = app
            .pg
            .get()
            .await
            .unwrap()
            .query_one(
                "SELECT count(*) FROM assignments WHERE user_id = $1",
                &[&person.id],
            )
            .await
            .unwrap()
            .get(0);
        assert_eq!(held, 1);
    }
}

#[tokio::test]
async fn rest_across_venues_and_the_spring_night_are_measured_on_instants() {
    let app = spawn_app().await;
    let a = venue(&app, "Venue A").await;
    let b = venue(&app, "Venue B").await;
    let person = app.seed_user(Role::CrewMember, &[a.id, b.id]).await;
    // 2026-W13: Saturday 28 March to Sunday 29 March is the night the clocks move forward.
    let w13 = json!({"isoWeek": "2026-W13", "source": "empty"});
    let wa: Uuid = create_week(&app, &a, w13.clone()).await["week"]["id"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    let wb: Uuid = create_week(&app, &b, w13).await["week"]["id"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    let saturday = add_shift(
        &app,
        &a,
        wa,
        json!({"date": "2026-03-28", "positionId": a.runner, "start": "18:00", "end": "23:00", "slots": 1}),
    )
    .await;
    let sunday = add_shift(
        &app,
        &b,
        wb,
        json!({"date": "2026-03-29", "positionId": b.runner, "start": "10:00", "end": "16:00", "slots": 1}),
    )
    .await;
    let night = add_shift(
        &app,
        &a,
        wa,
        json!({"date": "2026-03-28", "positionId": a.runner, "start": "22:00", "end": "03:00", "slots": 1}),
    )
    .await;
    let grid_a = grid(&app, &a, "2026-W13").await;
    let night_row = grid_a["shifts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == json!(night))
        .unwrap();
    assert_eq!(
        night_row["paidMinutes"], 240,
        "22:00–03:00 lasts 4 h that night"
    );
    let body = json!({"userId": person.id});
    expect(
        &app,
        &a.manager,
        Method::POST,
        &format!("/api/shifts/{saturday}/assignments"),
        Some(body.clone()),
        StatusCode::CREATED,
    )
    .await;
    let (status, refused) = call(
        &app,
        &b.manager,
        Method::POST,
        &format!("/api/shifts/{sunday}/assignments"),
        Some(body.clone()),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{refused}");
    assert_eq!(refused["error"]["code"], "rest_too_short");
    let rest = &refused["error"]["reasons"][0];
    assert_eq!(rest["figures"]["minutes"], 600, "{rest}");
    assert_eq!(rest["figures"]["limitMinutes"], 660);
    assert_eq!(rest["figures"]["otherLocation"], "Venue A");
    // The night shift overlaps the Saturday shift at the same venue.
    let (status, overlap) = call(
        &app,
        &a.manager,
        Method::POST,
        &format!("/api/shifts/{night}/assignments"),
        Some(body.clone()),
    )
    .await;
    assert_eq!(
        (status, overlap["error"]["code"].as_str()),
        (StatusCode::CONFLICT, Some("overlap"))
    );
    // A manager may override the rest rule with a reason.
    expect(
        &app,
        &b.manager,
        Method::POST,
        &format!("/api/shifts/{sunday}/assignments"),
        Some(json!({"userId": person.id, "override": {"reason": "Asked for it"}})),
        StatusCode::CREATED,
    )
    .await;
    // The grid reports the short rest for the person.
    let grid_b = grid(&app, &b, "2026-W13").await;
    let row = grid_b["people"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["person"]["id"] == json!(person.id))
        .unwrap();
    assert!(
        row["reasons"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["code"] == "rest_too_short"),
        "{row}"
    );
    assert_eq!(row["weekMinutes"], 300 + 360, "both venues");
    assert_eq!(row["hereMinutes"], 360);
}

#[tokio::test]
async fn copying_a_week_across_the_clock_change_keeps_wall_clock_times_and_rechecks_people() {
    let app = spawn_app().await;
    let at = venue(&app, "Copy venue").await;
    let person = crew(&app, &at, &[at.runner], 20.0, None).await;
    let w12: Uuid = create_week(&app, &at, json!({"isoWeek": "2026-W12", "source": "empty"})).await
        ["week"]["id"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    let sunday = add_shift(
        &app,
        &at,
        w12,
        json!({"date": "2026-03-22", "positionId": at.runner, "start": "18:00", "end": "23:00", "slots": 1}),
    )
    .await;
    add_shift(
        &app,
        &at,
        w12,
        json!({"date": "2026-03-21", "positionId": at.runner, "start": "22:00", "end": "03:00", "slots": 1}),
    )
    .await;
    expect(
        &app,
        &at.manager,
        Method::POST,
        &format!("/api/shifts/{sunday}/assignments"),
        Some(json!({"userId": person.id})),
        StatusCode::CREATED,
    )
    .await;
    // The person is unavailable on the target Sunday: the copy leaves that assignment out and says why.
    app.pg
        .get()
        .await
        .unwrap()
        .execute(
            "INSERT INTO unavailable_days (user_id, day) VALUES ($1, '2026-03-29')",
            &[&person.id],
        )
        .await
        .unwrap();
    let copied = create_week(
        &app,
        &at,
        json!({"isoWeek": "2026-W13", "source": "copy", "copyFrom": "2026-W12", "withAssignments": true}),
    )
    .await;
    assert_eq!(copied["shifts"], 2);
    assert_eq!(copied["assignmentsCopied"], 0);
    assert_eq!(copied["notCopied"][0]["reasons"][0]["code"], "unavailable");
    let grid13 = grid(&app, &at, "2026-W13").await;
    for shift in grid13["shifts"].as_array().unwrap() {
        match shift["date"].as_str().unwrap() {
            "2026-03-29" => {
                assert_eq!(
                    (shift["localStart"].as_str(), shift["localEnd"].as_str()),
                    (Some("18:00"), Some("23:00"))
                );
            }
            "2026-03-28" => {
                assert_eq!(
                    (shift["localStart"].as_str(), shift["localEnd"].as_str()),
                    (Some("22:00"), Some("03:00"))
                );
                assert_eq!(shift["paidMinutes"], 240);
            }
            other => panic!("unexpected date {other}"),
        }
    }
    // Copying without assignments, into the autumn week.
    let autumn = create_week(
        &app,
        &at,
        json!({"isoWeek": "2026-W43", "source": "copy", "copyFrom": "2026-W12"}),
    )
    .await;
    assert_eq!(autumn["assignmentsCopied"], 0);
    assert!(autumn["notCopied"].as_array().unwrap().is_empty());
    let grid43 = grid(&app, &at, "2026-W43").await;
    let night = grid43["shifts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["date"] == "2026-10-24")
        .unwrap();
    assert_eq!(
        night["paidMinutes"], 360,
        "22:00–03:00 lasts 6 h that night"
    );
}

#[tokio::test]
async fn bad_input_answers_with_stable_codes_and_fields() {
    let app = spawn_app().await;
    let at = venue(&app, "Strict venue").await;
    let other = venue(&app, "Other venue").await;
    let week = next_week();
    let week_id: Uuid = create_week(
        &app,
        &at,
        json!({"isoWeek": week.to_string(), "source": "empty"}),
    )
    .await["week"]["id"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    let date = week.days()[1];
    let shift = |start: &str, end: &str, brk: i64, slots: i64, position: Uuid| json!({"date": date, "positionId": position, "start": start, "end": end, "breakMinutes": brk, "slots": slots});
    let path = format!("/api/weeks/{week_id}/shifts");
    for (body, field, code) in [
        (
            shift("10:00", "10:00", 0, 1, at.runner),
            "end",
            "end_equals_start",
        ),
        (
            shift("10:00", "14:00", -5, 1, at.runner),
            "breakMinutes",
            "negative",
        ),
        (
            shift("10:00", "14:00", 240, 1, at.runner),
            "breakMinutes",
            "longer_than_shift",
        ),
        (
            shift("10:00", "14:00", 0, 0, at.runner),
            "slots",
            "at_least_one",
        ),
        (
            shift("10:00", "14:00", 0, 1, other.runner),
            "positionId",
            "unknown_position",
        ),
        (
            shift("25:00", "14:00", 0, 1, at.runner),
            "start",
            "invalid_time",
        ),
        (
            json!({"date": week.days()[0] - Duration::days(1), "positionId": at.runner, "start": "10:00", "end": "12:00", "slots": 1}),
            "date",
            "outside_week",
        ),
        (
            json!({"date": date, "positionId": at.runner, "start": "10:00", "end": "12:00", "slots": 1,
                   "requirements": [{"competencyId": other.cocktails, "minLevel": 2}]}),
            "requirements",
            "unknown_competency",
        ),
    ] {
        let (status, error) =
            call(&app, &at.manager, Method::POST, &path, Some(body.clone())).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}: {error}");
        assert_eq!(error["error"]["fields"][field], code, "{body}: {error}");
    }
    // A time the spring clock change skips.
    let w14: Uuid = create_week(&app, &at, json!({"isoWeek": "2026-W13", "source": "empty"})).await
        ["week"]["id"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    let (status, error) = call(
        &app,
        &at.manager,
        Method::POST,
        &format!("/api/weeks/{w14}/shifts"),
        Some(json!({"date": "2026-03-29", "positionId": at.runner, "start": "02:30", "end": "06:00", "slots": 1})),
    )
    .await;
    assert_eq!(
        (status, error["error"]["code"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("invalid_local_time"))
    );
    // A week that does not exist; a malformed week; a template of another location; an unknown copy source.
    let (status, error) = call(
        &app,
        &at.manager,
        Method::GET,
        &format!("/api/locations/{}/weeks/2030-W01", at.id),
        None,
    )
    .await;
    assert_eq!(
        (status, error["error"]["code"].as_str()),
        (StatusCode::NOT_FOUND, Some("week_not_found"))
    );
    let (status, error) = call(
        &app,
        &at.manager,
        Method::GET,
        &format!("/api/locations/{}/weeks/2030-W99", at.id),
        None,
    )
    .await;
    assert_eq!(
        (status, error["error"]["fields"]["isoWeek"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("invalid_iso_week"))
    );
    let foreign = expect(
        &app,
        &other.manager,
        Method::POST,
        &format!("/api/locations/{}/templates", other.id),
        Some(json!({"name": "Theirs", "shifts": []})),
        StatusCode::CREATED,
    )
    .await;
    let (status, error) = call(
        &app,
        &at.manager,
        Method::POST,
        &format!("/api/locations/{}/weeks", at.id),
        Some(json!({"isoWeek": "2030-W02", "source": "template", "templateId": foreign["id"]})),
    )
    .await;
    assert_eq!(
        (status, error["error"]["fields"]["templateId"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("unknown_template"))
    );
    let (status, error) = call(
        &app,
        &at.manager,
        Method::POST,
        &format!("/api/locations/{}/weeks", at.id),
        Some(json!({"isoWeek": "2030-W02", "source": "copy", "copyFrom": "2030-W01"})),
    )
    .await;
    assert_eq!(
        (status, error["error"]["fields"]["copyFrom"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("week_not_found"))
    );
    // Template shifts are checked field by field.
    let (status, error) = call(
        &app,
        &at.manager,
        Method::POST,
        &format!("/api/locations/{}/templates", at.id),
        Some(json!({"name": "Bad", "shifts": [
            {"weekday": 8, "positionId": at.runner, "start": "10:00", "end": "10:00", "slots": 0, "breakMinutes": -1}]})),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields = &error["error"]["fields"];
    assert_eq!(fields["shifts[0].weekday"], "invalid_weekday");
    assert_eq!(fields["shifts[0].end"], "end_equals_start");
    assert_eq!(fields["shifts[0].slots"], "at_least_one");
    assert_eq!(fields["shifts[0].breakMinutes"], "negative");
    // A manager of another venue sees nothing of this one.
    for path in [
        format!("/api/locations/{}/weeks/{week}", at.id),
        format!("/api/weeks/{week_id}/changes"),
        format!("/api/locations/{}/crew", at.id),
    ] {
        let (status, _) = call(&app, &other.manager, Method::GET, &path, None).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
    }
    // Names are unique per location.
    let (status, error) = call(
        &app,
        &at.manager,
        Method::POST,
        &format!("/api/locations/{}/positions", at.id),
        Some(json!({"name": "runner"})),
    )
    .await;
    assert_eq!(
        (status, error["error"]["code"].as_str()),
        (StatusCode::CONFLICT, Some("name_taken"))
    );
    // Lowering slots below the people on the shift.
    let person = crew(&app, &at, &[at.runner], 10.0, None).await;
    let s = add_shift(&app, &at, week_id, shift("10:00", "14:00", 0, 2, at.runner)).await;
    let p2 = crew(&app, &at, &[at.runner], 10.0, None).await;
    for who in [person.id, p2.id] {
        expect(
            &app,
            &at.manager,
            Method::POST,
            &format!("/api/shifts/{s}/assignments"),
            Some(json!({"userId": who})),
            StatusCode::CREATED,
        )
        .await;
    }
    let (status, error) = call(
        &app,
        &at.manager,
        Method::PATCH,
        &format!("/api/shifts/{s}"),
        Some(shift("10:00", "14:00", 0, 1, at.runner)),
    )
    .await;
    assert_eq!(
        (status, error["error"]["code"].as_str()),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("slots_below_assigned")
        )
    );
    // Someone who is not crew here.
    let stranger = app.seed_user(Role::CrewMember, &[other.id]).await;
    let s2 = add_shift(&app, &at, week_id, shift("16:00", "20:00", 0, 2, at.runner)).await;
    let (status, error) = call(
        &app,
        &at.manager,
        Method::POST,
        &format!("/api/shifts/{s2}/assignments"),
        Some(json!({"userId": stranger.id})),
    )
    .await;
    assert_eq!(
        (status, error["error"]["code"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("not_crew_here"))
    );
    // A stale version.
    let (status, error) = call(
        &app,
        &at.manager,
        Method::POST,
        &path,
        Some(json!({"date": date, "positionId": at.runner, "start": "06:00", "end": "08:00", "slots": 1, "expectedVersion": 1})),
    )
    .await;
    assert_eq!(
        (status, error["error"]["code"].as_str()),
        (StatusCode::CONFLICT, Some("week_changed"))
    );
}

#[tokio::test]
async fn a_started_shift_of_a_published_week_changes_only_with_a_managers_reason() {
    let app = spawn_app().await;
    let at = venue(&app, "Past venue").await;
    let person = crew(&app, &at, &[at.runner], 10.0, None).await;
    let this_week = IsoWeek::of(crate::support::venue_today());
    let last_week = this_week.plus(-1).unwrap();
    let week_id: Uuid = create_week(
        &app,
        &at,
        json!({"isoWeek": last_week.to_string(), "source": "empty"}),
    )
    .await["week"]["id"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    let date: NaiveDate = last_week.days()[2];
    let body = json!({"date": date, "positionId": at.runner, "start": "10:00", "end": "14:00", "slots": 2});
    let shift = add_shift(&app, &at, week_id, body.clone()).await;
    // Drafts in the past can still be edited (nobody has seen them).
    expect(
        &app,
        &at.floor,
        Method::POST,
        &format!("/api/shifts/{shift}/assignments"),
        Some(json!({"userId": person.id})),
        StatusCode::CREATED,
    )
    .await;
    let version = grid(&app, &at, &last_week.to_string()).await["week"]["version"]
        .as_i64()
        .unwrap();
    expect(
        &app,
        &at.manager,
        Method::POST,
        &format!("/api/weeks/{week_id}/publish"),
        Some(json!({"expectedVersion": version})),
        StatusCode::OK,
    )
    .await;
    let moved = json!({"date": date, "positionId": at.runner, "start": "11:00", "end": "14:00", "slots": 2});
    let (status, error) = call(
        &app,
        &at.manager,
        Method::PATCH,
        &format!("/api/shifts/{shift}"),
        Some(moved.clone()),
    )
    .await;
    assert_eq!(
        (status, error["error"]["code"].as_str()),
        (StatusCode::CONFLICT, Some("shift_in_past"))
    );
    let other = crew(&app, &at, &[at.runner], 10.0, None).await;
    let (status, error) = call(
        &app,
        &at.floor,
        Method::POST,
        &format!("/api/shifts/{shift}/assignments"),
        Some(json!({"userId": other.id, "reason": "Came in"})),
    )
    .await;
    assert_eq!(
        (status, error["error"]["code"].as_str()),
        (StatusCode::CONFLICT, Some("shift_in_past")),
        "only a manager's reason counts"
    );
    let mut with_reason = moved.clone();
    with_reason["reason"] = json!("Started an hour late: power cut");
    expect(
        &app,
        &at.manager,
        Method::PATCH,
        &format!("/api/shifts/{shift}"),
        Some(with_reason),
        StatusCode::OK,
    )
    .await;
    assert_eq!(app.audit_count("schedule.past_changed").await, 1);
    let history = expect(
        &app,
        &at.manager,
        Method::GET,
        &format!("/api/weeks/{week_id}/changes"),
        None,
        StatusCode::OK,
    )
    .await;
    assert_eq!(history[0]["reason"], "Started an hour late: power cut");
}

#[tokio::test]
async fn managers_add_crew_from_their_other_venues_and_assess_competencies() {
    let app = spawn_app().await;
    let a = app.seed_location("A").await;
    let b = app.seed_location("B").await;
    let c = app.seed_location("C").await;
    let manager = app.seed_user(Role::Manager, &[a.id, b.id]).await;
    let manager = app.login(&manager.username, PASSWORD).await;
    let from_a = app.seed_user(Role::CrewMember, &[a.id]).await;
    let from_c = app.seed_user(Role::CrewMember, &[c.id]).await;
    let candidates = expect(
        &app,
        &manager,
        Method::GET,
        &format!("/api/locations/{}/crew/candidates", b.id),
        None,
        StatusCode::OK,
    )
    .await;
    let ids: Vec<&str> = candidates
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["person"]["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, vec![from_a.id.to_string()]);
    let added = expect(
        &app,
        &manager,
        Method::POST,
        &format!("/api/locations/{}/crew", b.id),
        Some(json!({"userId": from_a.id, "contractedHours": 12.5})),
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(added["contractedHours"], 12.5);
    assert_eq!(added["status"], "active");
    let (status, error) = call(
        &app,
        &manager,
        Method::POST,
        &format!("/api/locations/{}/crew", b.id),
        Some(json!({"userId": from_a.id})),
    )
    .await;
    assert_eq!(
        (status, error["error"]["code"].as_str()),
        (StatusCode::CONFLICT, Some("already_crew"))
    );
    let (status, error) = call(
        &app,
        &manager,
        Method::POST,
        &format!("/api/locations/{}/crew", b.id),
        Some(json!({"userId": from_c.id})),
    )
    .await;
    assert_eq!(
        (status, error["error"]["fields"]["userId"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("not_crew_elsewhere"))
    );
    // Status changes: on leave makes the person ineligible.
    let changed = expect(
        &app,
        &manager,
        Method::PATCH,
        &format!("/api/locations/{}/crew/{}", b.id, from_a.id),
        Some(json!({"status": "on_leave"})),
        StatusCode::OK,
    )
    .await;
    assert_eq!(changed["status"], "on_leave");
    let (status, _) = call(
        &app,
        &manager,
        Method::PATCH,
        &format!("/api/locations/{}/crew/{}", b.id, from_a.id),
        Some(json!({"contractedHours": 100})),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    // Assessments: levels 0–5, history kept.
    let skill = expect(
        &app,
        &manager,
        Method::POST,
        &format!("/api/locations/{}/competencies", b.id),
        Some(json!({"name": "Beer tap"})),
        StatusCode::CREATED,
    )
    .await;
    let path = format!(
        "/api/crew/{}/competencies/{}",
        from_a.id,
        skill["id"].as_str().unwrap()
    );
    expect(
        &app,
        &manager,
        Method::PUT,
        &path,
        Some(json!({"level": 2})),
        StatusCode::OK,
    )
    .await;
    let assessed = expect(
        &app,
        &manager,
        Method::PUT,
        &path,
        Some(json!({"level": 4, "note": "Fast"})),
        StatusCode::OK,
    )
    .await;
    assert_eq!(assessed["assessor"]["role"], "manager");
    // A note PostgreSQL could not store (NUL) or with other control characters is the person's error
    // (found by the API fuzzer as a 500).
    for note in ["Fast\u{0}", "Fast\tand tidy"] {
        let refused = expect(
            &app,
            &manager,
            Method::PUT,
            &path,
            Some(json!({"level": 4, "note": note})),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
        assert_eq!(refused["error"]["fields"]["note"], "invalid_characters");
    }
    let with_lines = expect(
        &app,
        &manager,
        Method::PUT,
        &path,
        Some(json!({"level": 4, "note": "Fast\nand tidy"})),
        StatusCode::OK,
    )
    .await;
    assert_eq!(with_lines["note"], "Fast\nand tidy");
    let (status, _) = call(
        &app,
        &manager,
        Method::PUT,
        &path,
        Some(json!({"level": 6})),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let tomorrow = (Utc::now() + Duration::days(2)).date_naive();
    let (status, error) = call(
        &app,
        &manager,
        Method::PUT,
        &path,
        Some(json!({"level": 3, "assessedOn": tomorrow})),
    )
    .await;
    assert_eq!(
        (status, error["error"]["fields"]["assessedOn"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("in_future"))
    );
    let page = expect(
        &app,
        &manager,
        Method::GET,
        &format!("/api/crew/{}", from_a.id),
        None,
        StatusCode::OK,
    )
    .await;
    assert_eq!(page["memberships"].as_array().unwrap().len(), 2);
    assert_eq!(page["levels"][0]["level"], 4);
    assert_eq!(page["history"].as_array().unwrap().len(), 3);
    assert_eq!(page["history"][0]["level"], 4, "newest first");
    assert_eq!(app.audit_count("crew.assessed").await, 3);
    // A crew member of C alone is invisible to this manager.
    let (status, _) = call(
        &app,
        &manager,
        Method::GET,
        &format!("/api/crew/{}", from_c.id),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let weekday = crate::support::venue_today().weekday();
    assert!(weekday.number_from_monday() >= 1);
}

#[tokio::test]
async fn scheduling_needs_no_mongodb_and_answers_503_quickly_without_postgresql() {
    let mut vars = crate::support::test_vars().await;
    vars.insert(
        "MONGODB_URL".into(),
        format!(
            "mongodb://127.0.0.1:{}/?directConnection=true",
            crate::support::free_port()
        ),
    );
    vars.insert("CREWPLOTS__MONGODB__TIMEOUT_MS".into(), "500".into());
    let app = crate::support::spawn_app_with(vars.clone()).await;
    let at = venue(&app, "No Mongo").await;
    let person = crew(&app, &at, &[at.runner], 20.0, None).await;
    let week = next_week();
    let week_id: Uuid = create_week(
        &app,
        &at,
        json!({"isoWeek": week.to_string(), "source": "empty"}),
    )
    .await["week"]["id"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    let shift = add_shift(
        &app,
        &at,
        week_id,
        json!({"date": week.days()[0], "positionId": at.runner, "start": "10:00", "end": "15:00", "slots": 1}),
    )
    .await;
    expect(
        &app,
        &at.manager,
        Method::POST,
        &format!("/api/shifts/{shift}/assignments"),
        Some(json!({"userId": person.id})),
        StatusCode::CREATED,
    )
    .await;
    let version = grid(&app, &at, &week.to_string()).await["week"]["version"]
        .as_i64()
        .unwrap();
    expect(
        &app,
        &at.manager,
        Method::POST,
        &format!("/api/weeks/{week_id}/publish"),
        Some(json!({"expectedVersion": version})),
        StatusCode::OK,
    )
    .await;

    // A second instance on the same Redis (sessions) whose PostgreSQL cannot be reached: the manager's
    // session is valid there, and every scheduling request answers 503 at once instead of hanging.
    let mut broken = vars.clone();
    broken.insert(
        "DATABASE_URL".into(),
        crate::support::database_url(
            &format!(
                "postgres://crewplots:x@127.0.0.1:{}/postgres",
                crate::support::free_port()
            ),
            "nowhere",
        ),
    );
    broken.insert("CREWPLOTS__DATABASE__TIMEOUT_MS".into(), "500".into());
    let down = crate::support::spawn_app_with(broken).await;
    for path in [
        format!("/api/locations/{}/weeks/{week}", at.id),
        format!("/api/shifts/{shift}/eligible"),
    ] {
        let started = std::time::Instant::now();
        let response = at.manager.get(down.url(&path)).send().await.unwrap();
        let status = response.status();
        let body: Value = response.json().await.unwrap_or(Value::Null);
        assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{path}: {body}");
        assert_eq!(body["error"]["code"], "service_unavailable");
        assert!(
            started.elapsed() < std::time::Duration::from_secs(3),
            "{:?}",
            started.elapsed()
        );
    }
}

#[tokio::test]
async fn catalogue_templates_rules_and_shift_removal_round_trip() {
    let app = spawn_app().await;
    let at = venue(&app, "Catalogue venue").await;
    let base = format!("/api/locations/{}", at.id);
    // Positions and competencies: list, rename, archive, minimum levels.
    let positions = expect(
        &app,
        &at.floor,
        Method::GET,
        &format!("{base}/positions"),
        None,
        StatusCode::OK,
    )
    .await;
    assert_eq!(positions.as_array().unwrap().len(), 2);
    let bartender = positions
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "Bartender")
        .unwrap();
    assert_eq!(bartender["requirements"][0]["minLevel"], 2);
    let renamed = expect(
        &app,
        &at.manager,
        Method::PATCH,
        &format!("/api/positions/{}", at.runner),
        Some(json!({"name": "Food runner", "requirements": [{"competencyId": at.cocktails, "minLevel": 1}]})),
        StatusCode::OK,
    )
    .await;
    assert_eq!(renamed["name"], "Food runner");
    assert_eq!(renamed["requirements"][0]["minLevel"], 1);
    let (status, _) = call(
        &app,
        &at.floor,
        Method::PATCH,
        &format!("/api/positions/{}", at.runner),
        Some(json!({"archived": true})),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let archived = expect(
        &app,
        &at.manager,
        Method::PATCH,
        &format!("/api/competencies/{}", at.cocktails),
        Some(json!({"name": "Cocktails & mixing", "archived": true})),
        StatusCode::OK,
    )
    .await;
    assert_eq!(archived["archived"], true);
    let competencies = expect(
        &app,
        &at.floor,
        Method::GET,
        &format!("{base}/competencies"),
        None,
        StatusCode::OK,
    )
    .await;
    assert_eq!(competencies[0]["name"], "Cocktails & mixing");
    // An archived competency can no longer be required.
    let (status, error) = call(
        &app,
        &at.manager,
        Method::POST,
        &format!("{base}/positions"),
        Some(json!({"name": "Mixologist", "requirements": [{"competencyId": at.cocktails, "minLevel": 3}]})),
    )
    .await;
    assert_eq!(
        (status, error["error"]["fields"]["requirements"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("unknown_competency"))
    );

    // Templates: create, read, replace, list, delete.
    let created = expect(
        &app,
        &at.manager,
        Method::POST,
        &format!("{base}/templates"),
        Some(json!({"name": "Summer week", "shifts": [
            {"weekday": 1, "positionId": at.runner, "start": "12:00", "end": "16:00", "slots": 1},
            {"weekday": 1, "positionId": at.runner, "start": "18:00", "end": "22:00", "slots": 1}]})),
        StatusCode::CREATED,
    )
    .await;
    let template = created["id"].as_str().unwrap();
    let read = expect(
        &app,
        &at.floor,
        Method::GET,
        &format!("/api/templates/{template}"),
        None,
        StatusCode::OK,
    )
    .await;
    assert_eq!(read["shifts"].as_array().unwrap().len(), 2, "a split day");
    let replaced = expect(
        &app,
        &at.manager,
        Method::PUT,
        &format!("/api/templates/{template}"),
        Some(json!({"name": "Summer week (late)", "shifts": [
            {"weekday": 7, "positionId": at.bartender, "start": "20:00", "end": "02:00", "breakMinutes": 15, "slots": 3,
             "requirements": [], "note": "Terrace bar"}]})),
        StatusCode::OK,
    )
    .await;
    assert_eq!(replaced["shifts"][0]["overnight"], true);
    assert_eq!(replaced["shifts"][0]["weekday"], 7);
    let (status, error) = call(
        &app,
        &at.manager,
        Method::POST,
        &format!("{base}/templates"),
        Some(json!({"name": "summer week (LATE)", "shifts": []})),
    )
    .await;
    assert_eq!(
        (status, error["error"]["code"].as_str()),
        (StatusCode::CONFLICT, Some("name_taken"))
    );
    let (status, _) = call(
        &app,
        &at.floor,
        Method::DELETE,
        &format!("/api/templates/{template}"),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let list = expect(
        &app,
        &at.floor,
        Method::GET,
        &format!("{base}/templates"),
        None,
        StatusCode::OK,
    )
    .await;
    assert_eq!(list.as_array().unwrap().len(), 1);
    expect(
        &app,
        &at.manager,
        Method::DELETE,
        &format!("/api/templates/{template}"),
        None,
        StatusCode::NO_CONTENT,
    )
    .await;
    let (status, _) = call(
        &app,
        &at.manager,
        Method::GET,
        &format!("/api/templates/{template}"),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // The location's rules drive the engine: with a 13 h minimum rest a 12 h gap is too short.
    expect(
        &app,
        &at.manager,
        Method::PUT,
        &format!("{base}/scheduling-rules"),
        Some(json!({"minRestMinutes": 780, "weeklyMaxMinutes": 2400})),
        StatusCode::OK,
    )
    .await;
    let (status, _) = call(
        &app,
        &at.manager,
        Method::PUT,
        &format!("{base}/scheduling-rules"),
        Some(json!({"minRestMinutes": 5000, "weeklyMaxMinutes": 2400})),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let person = crew(&app, &at, &[at.bartender], 20.0, None).await;
    let week = next_week();
    let week_id: Uuid = create_week(
        &app,
        &at,
        json!({"isoWeek": week.to_string(), "source": "empty"}),
    )
    .await["week"]["id"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    let day = |n: usize| week.days()[n];
    let first = add_shift(&app, &at, week_id, json!({"date": day(0), "positionId": at.bartender, "start": "10:00", "end": "18:00", "slots": 1})).await;
    let second = add_shift(&app, &at, week_id, json!({"date": day(1), "positionId": at.bartender, "start": "06:00", "end": "12:00", "slots": 1})).await;
    let grid1 = grid(&app, &at, &week.to_string()).await;
    assert_eq!(grid1["rules"]["minRestMinutes"], 780);
    expect(
        &app,
        &at.manager,
        Method::POST,
        &format!("/api/shifts/{first}/assignments"),
        Some(json!({"userId": person.id})),
        StatusCode::CREATED,
    )
    .await;
    let (status, error) = call(
        &app,
        &at.manager,
        Method::POST,
        &format!("/api/shifts/{second}/assignments"),
        Some(json!({"userId": person.id})),
    )
    .await;
    assert_eq!(
        (status, error["error"]["code"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("rest_too_short")),
        "{error}"
    );
    assert_eq!(error["error"]["reasons"][0]["figures"]["minutes"], 720);

    // Removing a shift removes its people; the history keeps who was on it.
    let removed = expect(
        &app,
        &at.manager,
        Method::DELETE,
        &format!("/api/shifts/{first}"),
        None,
        StatusCode::OK,
    )
    .await;
    assert_eq!(removed["shiftId"], json!(first));
    let (status, _) = call(
        &app,
        &at.manager,
        Method::GET,
        &format!("/api/shifts/{first}/eligible"),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let history = expect(
        &app,
        &at.manager,
        Method::GET,
        &format!("/api/weeks/{week_id}/changes"),
        None,
        StatusCode::OK,
    )
    .await;
    assert_eq!(history[0]["kind"], "shift_removed");
    assert!(
        history[0]["old"]
            .as_str()
            .unwrap()
            .ends_with(&format!("(Test {})", "crew_member")),
        "{}",
        history[0]
    );
    expect(
        &app,
        &at.manager,
        Method::POST,
        &format!("/api/shifts/{second}/assignments"),
        Some(json!({"userId": person.id})),
        StatusCode::CREATED,
    )
    .await;
}

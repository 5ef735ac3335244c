//! Suggest fill through the HTTP API against the real stores: a proposal that fills open slots with people
//! the rules allow and says why (contract hours, interest), pinned people untouched, slots nobody can take
//! left open with their reasons, the same answer twice, bad input and access, borrowing crew from another
//! venue of the manager's, applying all or some in one transaction with stale items as conflicts, two
//! managers applying overlapping proposals at once, and the loader's snapshot read straight from the store.

use chrono::NaiveDate;
use crewplots_domain::policy::LocationScope;
use crewplots_domain::scheduling::model::{AvailabilityKind, CrewStatus};
use crewplots_domain::scheduling::ports::FillStore;
use crewplots_domain::scheduling::time::IsoWeek;
use crewplots_domain::Role;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use uuid::Uuid;

use crate::scheduling::{
    add_shift, assign, call, crew, empty_week, expect, grid, people_on, publish, rename, uuid,
    venue, Venue,
};
use crate::support::{browser, spawn_app, Seeded, TestApp, PASSWORD};

fn shift_body(position: Uuid, date: NaiveDate, start: &str, end: &str, slots: u32) -> Value {
    json!({"date": date, "positionId": position, "start": start, "end": end, "slots": slots})
}

/// Two weeks ahead: every day is in the future (time off can be asked), and the week before it can be
/// published as "recent".
fn target_week() -> IsoWeek {
    IsoWeek::of(crate::support::venue_today()).plus(2).unwrap()
}

async fn suggest(app: &TestApp, client: &reqwest::Client, week: Uuid, body: Value) -> Value {
    expect(
        app,
        client,
        Method::POST,
        &format!("/api/weeks/{week}/suggest-fill"),
        Some(body),
        StatusCode::OK,
    )
    .await
}

async fn apply(
    app: &TestApp,
    client: &reqwest::Client,
    week: Uuid,
    items: &[(Uuid, Uuid)],
) -> (StatusCode, Value) {
    let items: Vec<Value> = items
        .iter()
        .map(|(shift, user)| json!({"shiftId": shift, "userId": user}))
        .collect();
    call(
        app,
        client,
        Method::POST,
        &format!("/api/weeks/{week}/suggestions/apply"),
        Some(json!({ "items": items })),
    )
    .await
}

/// The (shift, person) pairs of a proposal.
fn pairs(proposal: &Value) -> Vec<(Uuid, Uuid)> {
    proposal["suggestions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (uuid(&s["shiftId"]), uuid(&s["person"]["id"])))
        .collect()
}

fn suggestions_for(proposal: &Value, shift: Uuid) -> Vec<&Value> {
    proposal["suggestions"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["shiftId"] == json!(shift))
        .collect()
}

fn open_of(proposal: &Value, shift: Uuid) -> Option<&Value> {
    proposal["open"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["shiftId"] == json!(shift))
}

fn count_of(open: &Value, code: &str) -> Option<u64> {
    open["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["code"] == code)
        .and_then(|r| r["count"].as_u64())
}

fn why<'a>(suggestion: &'a Value, code: &str) -> Option<&'a Value> {
    suggestion["why"]
        .as_array()
        .unwrap()
        .iter()
        .find(|w| w["code"] == code)
}

async fn approved_time_off(app: &TestApp, at: &Venue, who: &Seeded, day: NaiveDate) {
    let client = app.login(&who.username, PASSWORD).await;
    let asked = expect(
        app,
        &client,
        Method::POST,
        "/api/me/time-off",
        Some(json!({"firstDay": day, "lastDay": day, "category": "personal"})),
        StatusCode::CREATED,
    )
    .await;
    expect(
        app,
        &at.manager,
        Method::POST,
        &format!("/api/time-off/{}/decision", asked["id"].as_str().unwrap()),
        Some(json!({"decision": "approved"})),
        StatusCode::OK,
    )
    .await;
}

/// Interest can only be marked on published open shifts through the API; a draft's is set directly.
async fn mark_interest(app: &TestApp, shift: Uuid, who: Uuid) {
    app.pg
        .get()
        .await
        .unwrap()
        .execute(
            "INSERT INTO shift_interest (shift_id, user_id) VALUES ($1, $2)",
            &[&shift, &who],
        )
        .await
        .unwrap();
}

async fn set_status(app: &TestApp, at: &Venue, who: Uuid, status: &str) {
    expect(
        app,
        &at.manager,
        Method::PATCH,
        &format!("/api/locations/{}/crew/{who}", at.id),
        Some(json!({ "status": status })),
        StatusCode::OK,
    )
    .await;
}

const DEFAULT_SETTINGS: &str = r#"{"allowBorrowing": false, "weights": {"contractHours": 8, "preferred": 5,
    "interest": 6, "fairSpread": 4, "competencyMargin": 2, "homeVenue": 5, "fewSplitDays": 3}}"#;

fn settings(allow_borrowing: bool) -> Value {
    let mut value: Value = serde_json::from_str(DEFAULT_SETTINGS).unwrap();
    value["allowBorrowing"] = json!(allow_borrowing);
    value
}

#[tokio::test]
async fn suggest_fill_proposes_legal_people_says_why_and_leaves_what_nobody_can_take_open() {
    let app = spawn_app().await;
    let at = venue(&app, "Fill bar").await;
    let ann = crew(&app, &at, &[at.runner], 8.0, None).await;
    let bob = crew(&app, &at, &[at.runner], 40.0, None).await;
    let cas = crew(&app, &at, &[at.runner], 40.0, None).await;
    let dan = crew(&app, &at, &[at.bartender], 20.0, Some(3)).await;
    for (who, first) in [(&ann, "Ann"), (&bob, "Bob"), (&cas, "Cas"), (&dan, "Dan")] {
        rename(&app, who, first, "Fill").await;
    }
    let iso = target_week();
    let days = iso.days();
    let week = empty_week(&app, &at, iso).await;
    // Ann's 8 contracted hours are taken by a shift she is already on (pinned).
    let tuesday = add_shift(
        &app,
        &at,
        week,
        shift_body(at.runner, days[1], "10:00", "18:00", 1),
    )
    .await;
    assign(&app, &at, tuesday, ann.id).await;
    let monday = add_shift(
        &app,
        &at,
        week,
        shift_body(at.runner, days[0], "10:00", "18:00", 1),
    )
    .await;
    // Cas marked interest in Wednesday's shift.
    let wednesday = add_shift(
        &app,
        &at,
        week,
        shift_body(at.runner, days[2], "12:00", "18:00", 1),
    )
    .await;
    mark_interest(&app, wednesday, cas.id).await;
    // The only bartender is on approved time off on Thursday.
    let thursday = add_shift(
        &app,
        &at,
        week,
        shift_body(at.bartender, days[3], "18:00", "23:00", 1),
    )
    .await;
    approved_time_off(&app, &at, &dan, days[3]).await;

    let proposal = suggest(&app, &at.manager, week, json!({})).await;
    assert_eq!(proposal["isoWeek"], iso.to_string());
    assert_eq!(proposal["weeks"].as_array().unwrap().len(), 1);
    assert_eq!(proposal["weeks"][0]["weekId"], json!(week));
    assert_eq!(proposal["weeks"][0]["location"]["id"], json!(at.id));
    assert_eq!(proposal["openBefore"], 3, "{proposal}");
    assert_eq!(proposal["filled"], 2, "{proposal}");
    assert_eq!(proposal["stoppedEarly"], false);

    // Monday: someone under their contract, never Ann (she would go past hers).
    let on_monday = suggestions_for(&proposal, monday);
    assert_eq!(on_monday.len(), 1, "{proposal}");
    let mon = on_monday[0];
    let person = uuid(&mon["person"]["id"]);
    assert!(person == bob.id || person == cas.id, "{mon}");
    assert!(mon["person"]["name"].as_str().unwrap().ends_with(" Fill"));
    assert_eq!(mon["localStart"], "10:00");
    assert_eq!(mon["localEnd"], "18:00");
    assert_eq!(mon["date"], days[0].to_string());
    assert_eq!(mon["positionName"], "Runner");
    assert_eq!(mon["weekId"], json!(week));
    assert_eq!(mon["borrowedFrom"], Value::Null);
    let contract = why(mon, "contract_hours").expect("contract hours counted");
    assert_eq!(contract["weekMinutesAfter"], 480);
    assert_eq!(contract["contractMinutes"], 2400);
    assert!(contract["points"].as_i64().unwrap() > 0);
    assert!(why(mon, "home_venue").is_some(), "{mon}");
    assert_eq!(mon["warnings"], json!([]));
    // Wednesday: Cas, who marked interest.
    let on_wednesday = suggestions_for(&proposal, wednesday);
    assert_eq!(on_wednesday.len(), 1, "{proposal}");
    assert_eq!(on_wednesday[0]["person"]["id"], json!(cas.id));
    assert!(
        why(on_wednesday[0], "interested").unwrap()["points"]
            .as_i64()
            .unwrap()
            > 0
    );
    // Ann's pinned shift is neither suggested nor open; nobody is suggested twice for a slot.
    assert!(suggestions_for(&proposal, tuesday).is_empty());
    assert!(open_of(&proposal, tuesday).is_none());
    assert!(pairs(&proposal).iter().all(|(_, p)| *p != ann.id));
    // Thursday stays open, and says why.
    let open = open_of(&proposal, thursday).expect("Thursday stays open");
    assert_eq!(open["openSlots"], 1);
    assert_eq!(open["candidates"], 1);
    assert_eq!(count_of(open, "time_off"), Some(1), "{open}");
    assert!(count_of(open, "position").unwrap() >= 3, "{open}");
    assert_eq!(open["positionName"], "Bartender");
    assert_eq!(open["localStart"], "18:00");

    // The same state gives the same proposal — also to the floor manager.
    let again = suggest(&app, &at.floor, week, json!({"timeBudgetMs": 2000})).await;
    assert_eq!(again["suggestions"], proposal["suggestions"]);
    assert_eq!(again["open"], proposal["open"]);
    assert_eq!(again["score"], proposal["score"]);
    // Nothing was saved by suggesting.
    assert_eq!(people_on(&app, monday).await, Vec::<Uuid>::new());

    // Applying all of it: one go, through the rules, visible in the grid.
    let (status, done) = apply(&app, &at.manager, week, &pairs(&proposal)).await;
    assert_eq!(status, StatusCode::OK, "{done}");
    assert_eq!(done["applied"].as_array().unwrap().len(), 2, "{done}");
    assert_eq!(done["conflicts"], json!([]));
    let grid = grid(&app, &at, &iso.to_string()).await;
    assert_eq!(done["weeks"][0]["weekId"], json!(week));
    assert_eq!(done["weeks"][0]["version"], grid["week"]["version"]);
    let on = |shift: Uuid| -> Vec<Uuid> {
        grid["shifts"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["id"] == json!(shift))
            .unwrap()["assignments"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| uuid(&a["person"]["id"]))
            .collect()
    };
    assert_eq!(on(monday), vec![person]);
    assert_eq!(on(wednesday), vec![cas.id]);
    assert_eq!(on(tuesday), vec![ann.id]);
    assert_eq!(app.audit_count("schedule.autofill_applied").await, 2);
    // The history says who was assigned, as for a manager's click.
    let changes = expect(
        &app,
        &at.manager,
        Method::GET,
        &format!("/api/weeks/{week}/changes"),
        None,
        StatusCode::OK,
    )
    .await;
    let assigned = changes
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["kind"] == "assigned")
        .count();
    assert_eq!(assigned, 3, "Ann by hand, two applied");
    // Everything filled that can be: a new proposal has nothing more to suggest.
    let after = suggest(&app, &at.manager, week, json!({})).await;
    assert_eq!(after["suggestions"], json!([]));
    assert_eq!(after["openBefore"], 1);
}

#[tokio::test]
async fn bad_input_and_access_answer_with_stable_codes() {
    let app = spawn_app().await;
    let at = venue(&app, "Rules bar").await;
    let other = venue(&app, "Someone else's bar").await;
    let second = venue(&app, "Second bar").await;
    let third = venue(&app, "Third bar").await;
    let boss = app
        .seed_user(Role::Manager, &[at.id, second.id, third.id])
        .await;
    let boss = app.login(&boss.username, PASSWORD).await;
    let runner = crew(&app, &at, &[at.runner], 20.0, None).await;
    let crew_client = app.login(&runner.username, PASSWORD).await;
    let iso = target_week();
    let week = empty_week(&app, &at, iso).await;
    let shift = add_shift(
        &app,
        &at,
        week,
        shift_body(at.runner, iso.days()[0], "10:00", "16:00", 1),
    )
    .await;
    let path = format!("/api/weeks/{week}/suggest-fill");

    // `{}`: this week, default budget; a body is required.
    let (status, body) = call(&app, &at.manager, Method::POST, &path, Some(json!({}))).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, body) = call(&app, &at.manager, Method::POST, &path, None).await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (StatusCode::UNSUPPORTED_MEDIA_TYPE, Some("unsupported_type"))
    );
    for budget in [0, 99, 10_001, -5] {
        let (status, body) = call(
            &app,
            &at.manager,
            Method::POST,
            &path,
            Some(json!({ "timeBudgetMs": budget })),
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{budget}: {body}");
        assert_eq!(body["error"]["fields"]["timeBudgetMs"], "out_of_range");
    }
    let (status, body) = call(
        &app,
        &at.manager,
        Method::POST,
        &path,
        Some(json!({"timeBudgetMs": "soon"})),
    )
    .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (StatusCode::BAD_REQUEST, Some("invalid_json"))
    );
    let many: Vec<Uuid> = (0..21).map(|_| Uuid::new_v4()).collect();
    let (status, body) = call(
        &app,
        &at.manager,
        Method::POST,
        &path,
        Some(json!({ "locationIds": many })),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["error"]["fields"]["locationIds"], "too_many");
    // A venue that is not the caller's, or does not exist: 404.
    for foreign in [other.id, Uuid::new_v4()] {
        let (status, body) = call(
            &app,
            &at.manager,
            Method::POST,
            &path,
            Some(json!({ "locationIds": [foreign] })),
        )
        .await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
    }
    // A venue of the caller's without that week: 422; with it published: 409.
    let (status, body) = call(
        &app,
        &boss,
        Method::POST,
        &path,
        Some(json!({ "locationIds": [second.id] })),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["error"]["fields"]["locationIds"], "no_draft_week");
    let published = empty_week(&app, &third, iso).await;
    publish(&app, &third, published, iso).await;
    let (status, body) = call(
        &app,
        &boss,
        Method::POST,
        &path,
        Some(json!({ "locationIds": [third.id] })),
    )
    .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (StatusCode::CONFLICT, Some("week_published")),
        "{body}"
    );
    // Both venues' drafts at once.
    let second_week = empty_week(&app, &second, iso).await;
    let both = suggest(
        &app,
        &boss,
        week,
        json!({"locationIds": [second.id, at.id], "timeBudgetMs": 100}),
    )
    .await;
    let mut ids: Vec<Uuid> = both["weeks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| uuid(&w["weekId"]))
        .collect();
    ids.sort();
    let mut expected = vec![week, second_week];
    expected.sort();
    assert_eq!(ids, expected);
    // The published week itself: 409.
    let (status, body) = call(
        &app,
        &third.manager,
        Method::POST,
        &format!("/api/weeks/{published}/suggest-fill"),
        Some(json!({})),
    )
    .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (StatusCode::CONFLICT, Some("week_published"))
    );
    // Another venue's manager: 404; crew: 403; nobody logged in: 401.
    let empty = || Some(json!({}));
    let (status, _) = call(&app, &other.manager, Method::POST, &path, empty()).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = call(&app, &crew_client, Method::POST, &path, empty()).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = call(&app, &browser(), Method::POST, &path, empty()).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);

    // Applying: 1–2000 distinct items of this ISO week at venues the caller edits.
    let apply_path = format!("/api/weeks/{week}/suggestions/apply");
    for items in [
        json!([]),
        json!([{"shiftId": shift, "userId": runner.id}, {"shiftId": shift, "userId": runner.id}]),
    ] {
        let (status, body) = call(
            &app,
            &at.manager,
            Method::POST,
            &apply_path,
            Some(json!({ "items": items })),
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert!(body["error"]["fields"]["items"].is_string(), "{body}");
    }
    let too_many: Vec<Value> = (0..2001)
        .map(|_| json!({"shiftId": Uuid::new_v4(), "userId": runner.id}))
        .collect();
    let (status, body) = call(
        &app,
        &at.manager,
        Method::POST,
        &apply_path,
        Some(json!({ "items": too_many })),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["error"]["fields"]["items"], "between_1_and_2000");
    let later = empty_week(&app, &at, iso.plus(1).unwrap()).await;
    let later_shift = add_shift(
        &app,
        &at,
        later,
        shift_body(
            at.runner,
            iso.plus(1).unwrap().days()[0],
            "10:00",
            "16:00",
            1,
        ),
    )
    .await;
    let (status, body) = apply(&app, &at.manager, week, &[(later_shift, runner.id)]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["error"]["fields"]["items"], "other_week");
    let other_week = empty_week(&app, &other, iso).await;
    let other_shift = add_shift(
        &app,
        &other,
        other_week,
        shift_body(other.runner, iso.days()[0], "10:00", "16:00", 1),
    )
    .await;
    let (status, _) = apply(&app, &at.manager, week, &[(other_shift, runner.id)]).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = apply(&app, &crew_client, week, &[(shift, runner.id)]).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    // A shift in a published week of this ISO week: a conflict, not an error of the request.
    let published_shift = add_shift(
        &app,
        &third,
        published,
        shift_body(third.runner, iso.days()[0], "10:00", "16:00", 1),
    )
    .await;
    let (status, body) = apply(&app, &boss, week, &[(published_shift, runner.id)]).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(body["error"]["code"], "suggestions_stale");
    assert_eq!(body["conflicts"][0]["code"], "week_published");
    assert_eq!(body["applied"], json!([]));

    // Settings: read by those who edit schedules, changed by managers, 0–10 each.
    let settings_path = format!("/api/locations/{}/autofill-settings", at.id);
    let read = expect(
        &app,
        &at.floor,
        Method::GET,
        &settings_path,
        None,
        StatusCode::OK,
    )
    .await;
    assert_eq!(read, settings(false));
    let (status, _) = call(
        &app,
        &at.floor,
        Method::PUT,
        &settings_path,
        Some(settings(true)),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = call(&app, &crew_client, Method::GET, &settings_path, None).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = call(&app, &other.manager, Method::GET, &settings_path, None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    for (field, value) in [
        ("contractHours", 11),
        ("fewSplitDays", -1),
        ("interest", 300),
    ] {
        let mut body = settings(true);
        body["weights"][field] = json!(value);
        let (status, answer) =
            call(&app, &at.manager, Method::PUT, &settings_path, Some(body)).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
        assert_eq!(
            answer["error"]["fields"][format!("weights.{field}")],
            "out_of_range"
        );
    }
    let mut changed = settings(true);
    changed["weights"]["interest"] = json!(10);
    changed["weights"]["homeVenue"] = json!(0);
    let saved = expect(
        &app,
        &at.manager,
        Method::PUT,
        &settings_path,
        Some(changed.clone()),
        StatusCode::OK,
    )
    .await;
    assert_eq!(saved, changed);
    let read = expect(
        &app,
        &at.floor,
        Method::GET,
        &settings_path,
        None,
        StatusCode::OK,
    )
    .await;
    assert_eq!(read, changed);
    assert_eq!(app.audit_count("location.autofill_settings").await, 1);
}

#[tokio::test]
async fn crew_of_the_managers_other_venue_are_borrowed_when_the_venue_allows_it() {
    let app = spawn_app().await;
    let home = venue(&app, "Home bar").await;
    let short = venue(&app, "Short-handed bar").await;
    let boss = app.seed_user(Role::Manager, &[home.id, short.id]).await;
    let boss = app.login(&boss.username, PASSWORD).await;
    let eva = crew(&app, &home, &[home.bartender], 30.0, Some(3)).await;
    rename(&app, &eva, "Eva", "Home").await;
    let iso = target_week();
    let week = empty_week(&app, &short, iso).await;
    let shift = add_shift(
        &app,
        &short,
        week,
        shift_body(short.bartender, iso.days()[1], "18:00", "23:00", 1),
    )
    .await;

    // Borrowing is off: nobody to suggest.
    let proposal = suggest(&app, &boss, week, json!({})).await;
    assert_eq!(proposal["suggestions"], json!([]));
    assert_eq!(open_of(&proposal, shift).unwrap()["candidates"], 0);
    expect(
        &app,
        &boss,
        Method::PUT,
        &format!("/api/locations/{}/autofill-settings", short.id),
        Some(settings(true)),
        StatusCode::OK,
    )
    .await;
    // The floor manager does not manage crew anywhere: no borrowing on their behalf.
    let proposal = suggest(&app, &short.floor, week, json!({})).await;
    assert_eq!(proposal["suggestions"], json!([]));
    // The venue's own manager does not manage the home venue: nobody to borrow from.
    let proposal = suggest(&app, &short.manager, week, json!({})).await;
    assert_eq!(proposal["suggestions"], json!([]));

    let proposal = suggest(&app, &boss, week, json!({})).await;
    let found = suggestions_for(&proposal, shift);
    assert_eq!(found.len(), 1, "{proposal}");
    let suggestion = found[0];
    assert_eq!(suggestion["person"]["id"], json!(eva.id));
    assert_eq!(suggestion["person"]["name"], "Eva Home");
    assert_eq!(suggestion["borrowedFrom"]["id"], json!(home.id));
    assert_eq!(suggestion["borrowedFrom"]["name"], "Home bar");
    assert_eq!(
        why(suggestion, "borrowed").expect("says so")["fromLocationId"],
        json!(home.id)
    );

    let (status, done) = apply(&app, &boss, week, &pairs(&proposal)).await;
    assert_eq!(status, StatusCode::OK, "{done}");
    assert_eq!(done["applied"][0]["borrowedFrom"], json!(home.id));
    assert_eq!(people_on(&app, shift).await, vec![eva.id]);
    // Eva is crew of the short-handed bar now: its bartender, her level carried over, no contract of
    // her own there; all audited.
    let roster = expect(
        &app,
        &boss,
        Method::GET,
        &format!("/api/locations/{}/crew", short.id),
        None,
        StatusCode::OK,
    )
    .await;
    let member = roster
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["person"]["id"] == json!(eva.id))
        .expect("Eva is crew there");
    assert_eq!(member["positionIds"], json!([short.bartender]));
    assert_eq!(member["status"], "active");
    let level: i16 = app
        .pg
        .get()
        .await
        .unwrap()
        .query_one(
            "SELECT level FROM competency_levels WHERE user_id = $1 AND competency_id = $2",
            &[&eva.id, &short.cocktails],
        )
        .await
        .unwrap()
        .get(0);
    assert_eq!(level, 3);
    assert_eq!(app.audit_count("crew.borrowed").await, 1);
    // Her home contract is unchanged: the grid counts 30 h.
    let grid = expect(
        &app,
        &boss,
        Method::GET,
        &format!("/api/locations/{}/weeks/{iso}", short.id),
        None,
        StatusCode::OK,
    )
    .await;
    let person = grid["people"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["person"]["id"] == json!(eva.id))
        .unwrap();
    assert_eq!(person["contractMinutes"], 1800);
}

#[tokio::test]
async fn stale_items_come_back_as_conflicts_while_the_rest_applies() {
    let app = spawn_app().await;
    let at = venue(&app, "Stale bar").await;
    let ann = crew(&app, &at, &[at.runner], 30.0, None).await;
    let bob = crew(&app, &at, &[at.runner], 30.0, None).await;
    let cas = crew(&app, &at, &[at.runner], 30.0, None).await;
    let iso = target_week();
    let days = iso.days();
    let week = empty_week(&app, &at, iso).await;
    let mon = add_shift(
        &app,
        &at,
        week,
        shift_body(at.runner, days[0], "10:00", "16:00", 1),
    )
    .await;
    let tue = add_shift(
        &app,
        &at,
        week,
        shift_body(at.runner, days[1], "10:00", "16:00", 1),
    )
    .await;
    let wed = add_shift(
        &app,
        &at,
        week,
        shift_body(at.runner, days[2], "10:00", "16:00", 1),
    )
    .await;
    let gone = add_shift(
        &app,
        &at,
        week,
        shift_body(at.runner, days[3], "10:00", "16:00", 1),
    )
    .await;
    // Meanwhile: Tuesday filled by hand, Thursday's shift removed.
    assign(&app, &at, tue, cas.id).await;
    expect(
        &app,
        &at.manager,
        Method::DELETE,
        &format!("/api/shifts/{gone}"),
        None,
        StatusCode::OK,
    )
    .await;

    let items = [(mon, ann.id), (tue, bob.id), (wed, ann.id), (gone, bob.id)];
    let (status, done) = apply(&app, &at.floor, week, &items).await;
    assert_eq!(status, StatusCode::OK, "{done}");
    let applied: Vec<(Uuid, Uuid)> = done["applied"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| (uuid(&a["shiftId"]), uuid(&a["userId"])))
        .collect();
    assert_eq!(applied.len(), 2, "{done}");
    assert!(applied.contains(&(mon, ann.id)) && applied.contains(&(wed, ann.id)));
    let conflicts = done["conflicts"].as_array().unwrap();
    assert_eq!(conflicts.len(), 2, "{done}");
    let code_of = |shift: Uuid| {
        conflicts
            .iter()
            .find(|c| c["shiftId"] == json!(shift))
            .map(|c| c["code"].as_str().unwrap().to_string())
    };
    assert_eq!(code_of(tue).as_deref(), Some("slots_full"));
    assert_eq!(code_of(gone).as_deref(), Some("shift_not_found"));
    assert!(conflicts
        .iter()
        .all(|c| !c["message"].as_str().unwrap().is_empty()));
    assert_eq!(people_on(&app, mon).await, vec![ann.id]);
    assert_eq!(people_on(&app, tue).await, vec![cas.id]);
    assert_eq!(people_on(&app, wed).await, vec![ann.id]);

    // All of it again: nothing fits any more.
    let (status, body) = apply(&app, &at.manager, week, &items).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(body["error"]["code"], "suggestions_stale");
    assert_eq!(body["applied"], json!([]));
    assert_eq!(body["conflicts"].as_array().unwrap().len(), 4);
    assert_eq!(people_on(&app, mon).await, vec![ann.id]);
}

#[tokio::test]
async fn two_managers_applying_overlapping_proposals_fill_each_slot_once() {
    let app = spawn_app().await;
    let at = venue(&app, "Busy bar").await;
    let second = app.seed_user(Role::Manager, &[at.id]).await;
    let second = app.login(&second.username, PASSWORD).await;
    let iso = target_week();
    let week = empty_week(&app, &at, iso).await;
    for round in 0..3u32 {
        let mut people = Vec::new();
        let mut shifts = Vec::new();
        for day in 0..4usize {
            people.push(crew(&app, &at, &[at.runner], 30.0, None).await.id);
            let start = format!("{:02}:00", 8 + 4 * round);
            let end = format!("{:02}:00", 11 + 4 * round);
            shifts.push(
                add_shift(
                    &app,
                    &at,
                    week,
                    shift_body(at.runner, iso.days()[day], &start, &end, 1),
                )
                .await,
            );
        }
        let pair = |i: usize| (shifts[i], people[i]);
        let first_items = [pair(0), pair(1), pair(2)];
        let second_items = [pair(1), pair(2), pair(3)];
        let (one, two) = tokio::join!(
            apply(&app, &at.manager, week, &first_items),
            apply(&app, &second, week, &second_items),
        );
        assert_eq!(one.0, StatusCode::OK, "round {round}: {}", one.1);
        assert_eq!(two.0, StatusCode::OK, "round {round}: {}", two.1);
        for (i, shift) in shifts.iter().enumerate() {
            assert_eq!(
                people_on(&app, *shift).await,
                vec![people[i]],
                "round {round}"
            );
        }
        let applied =
            one.1["applied"].as_array().unwrap().len() + two.1["applied"].as_array().unwrap().len();
        assert_eq!(applied, 4, "round {round}: {} {}", one.1, two.1);
        // The overlapping items (Tuesday and Wednesday) went to one manager; the other has them as
        // conflicts.
        let conflicted = |answer: &Value| -> Vec<Uuid> {
            let mut ids: Vec<Uuid> = answer["conflicts"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| uuid(&c["shiftId"]))
                .collect();
            ids.sort();
            ids
        };
        let mut overlapping = vec![shifts[1], shifts[2]];
        overlapping.sort();
        let (a, b) = (conflicted(&one.1), conflicted(&two.1));
        assert!(
            (a == overlapping && b.is_empty()) || (b == overlapping && a.is_empty()),
            "round {round}: {} {}",
            one.1,
            two.1
        );
    }
}

#[tokio::test]
async fn the_loader_reads_the_weeks_open_slots_their_people_and_borrowable_crew() {
    let app = spawn_app().await;
    let home = venue(&app, "Loader home").await;
    let at = venue(&app, "Loader bar").await;
    let boss = app.seed_user(Role::Manager, &[home.id, at.id]).await;
    let boss = app.login(&boss.username, PASSWORD).await;
    expect(
        &app,
        &boss,
        Method::PUT,
        &format!("/api/locations/{}/autofill-settings", at.id),
        Some(settings(true)),
        StatusCode::OK,
    )
    .await;
    let ann = crew(&app, &at, &[at.runner], 20.0, None).await;
    let cas = crew(&app, &at, &[at.runner], 10.0, None).await;
    set_status(&app, &at, cas.id, "on_leave").await;
    let bob = crew(&app, &home, &[home.runner], 16.0, Some(3)).await;
    // Dan is crew at both, inactive here: not placed here, and not borrowed either.
    let dan = app.seed_user(Role::CrewMember, &[home.id, at.id]).await;
    for v in [&home, &at] {
        expect(
            &app,
            &v.manager,
            Method::PATCH,
            &format!("/api/locations/{}/crew/{}", v.id, dan.id),
            Some(json!({"positionIds": [v.runner]})),
            StatusCode::OK,
        )
        .await;
    }
    set_status(&app, &at, dan.id, "inactive").await;

    let iso = target_week();
    let days = iso.days();
    // The week before, published: Ann worked a Saturday night.
    let before = iso.plus(-1).unwrap();
    let before_week = empty_week(&app, &at, before).await;
    let saturday = add_shift(
        &app,
        &at,
        before_week,
        shift_body(at.runner, before.days()[5], "22:00", "03:00", 1),
    )
    .await;
    assign(&app, &at, saturday, ann.id).await;
    publish(&app, &at, before_week, before).await;

    let week = empty_week(&app, &at, iso).await;
    let full = add_shift(
        &app,
        &at,
        week,
        shift_body(at.runner, days[0], "10:00", "16:00", 1),
    )
    .await;
    assign(&app, &at, full, ann.id).await;
    let half = add_shift(
        &app,
        &at,
        week,
        shift_body(at.runner, days[1], "10:00", "16:00", 2),
    )
    .await;
    assign(&app, &at, half, ann.id).await;
    let bar = add_shift(
        &app,
        &at,
        week,
        shift_body(at.bartender, days[2], "18:00", "23:00", 1),
    )
    .await;
    mark_interest(&app, bar, ann.id).await;
    approved_time_off(&app, &at, &ann, days[4]).await;
    let ann_client = app.login(&ann.username, PASSWORD).await;
    expect(
        &app,
        &ann_client,
        Method::PUT,
        "/api/me/availability",
        Some(
            json!({"effectiveFrom": crate::support::venue_today(), "windows": [
            {"weekday": 3, "kind": "preferred", "start": "17:00", "end": "23:30"}]}),
        ),
        StatusCode::OK,
    )
    .await;
    expect(
        &app,
        &ann_client,
        Method::PUT,
        &format!("/api/me/unavailable-days/{}", days[6]),
        None,
        StatusCode::OK,
    )
    .await;
    // Bob works at home that week.
    let home_week = empty_week(&app, &home, iso).await;
    let home_shift = add_shift(
        &app,
        &home,
        home_week,
        shift_body(home.runner, days[3], "10:00", "16:00", 1),
    )
    .await;
    assign(&app, &home, home_shift, bob.id).await;

    let store = app.store();
    let snapshot = store
        .fill_problem(&[week], &LocationScope::Only(vec![home.id, at.id]))
        .await
        .unwrap();
    let problem = &snapshot.problem;
    assert_eq!(snapshot.weeks.len(), 1);
    assert_eq!(snapshot.weeks[0].week.id, week);
    assert_eq!(snapshot.weeks[0].location.name, "Loader bar");
    // Only shifts with an empty slot, by start; pinned people on them.
    let ids: Vec<Uuid> = problem
        .shifts
        .iter()
        .map(|s| s.facts.shift.shift_id)
        .collect();
    assert_eq!(ids, vec![half, bar]);
    assert_eq!(snapshot.shift_weeks, vec![(half, week), (bar, week)]);
    assert_eq!(problem.shifts[0].facts.assigned, vec![ann.id]);
    assert_eq!(problem.shifts[0].facts.slots, 2);
    assert_eq!(problem.shifts[0].position_name, "Runner");
    assert_eq!(
        problem.shifts[0]
            .facts
            .local_start
            .format("%H:%M")
            .to_string(),
        "10:00"
    );
    assert_eq!(problem.shifts[0].facts.shift.location_name, "Loader bar");
    let needs = &problem.shifts[1].facts.requirements;
    assert_eq!(needs.len(), 1);
    assert_eq!(
        (
            needs[0].competency_id,
            needs[0].name.as_str(),
            needs[0].min_level
        ),
        (at.cocktails, "Cocktails", 2)
    );
    assert_eq!(problem.shifts[1].interested, vec![ann.id]);
    let (rules, fill) = problem.locations[&at.id];
    assert!(fill.allow_borrowing);
    assert_eq!(rules.min_rest_minutes, 660);

    let person = |id: Uuid| problem.people.iter().find(|p| p.user_id == id);
    assert!(
        person(dan.id).is_none(),
        "inactive here and crew here: neither placed nor borrowed"
    );
    let a = person(ann.id).expect("Ann");
    assert_eq!(a.places.len(), 1);
    assert_eq!(a.places[0].location_id, at.id);
    assert_eq!(a.places[0].status, CrewStatus::Active);
    assert_eq!(a.places[0].position_ids, vec![at.runner]);
    assert_eq!(a.places[0].borrowed_from, None);
    assert_eq!(a.facts.contracted_minutes, Some(1200));
    let booked: Vec<Uuid> = a.facts.booked.iter().map(|b| b.shift_id).collect();
    assert_eq!(booked, vec![saturday, full, half]);
    assert_eq!(a.facts.time_off.len(), 1);
    assert_eq!(a.recent.late_nights, 1);
    assert_eq!(a.recent.weekends, 1);
    assert_eq!(a.facts.availability.weekly.len(), 1);
    assert_eq!(
        a.facts.availability.weekly[0].kind,
        AvailabilityKind::Preferred
    );
    assert_eq!(a.facts.availability.unavailable_dates, vec![days[6]]);
    let c = person(cas.id).expect("Cas, on leave, comes in as he is");
    assert_eq!(c.places[0].status, CrewStatus::OnLeave);
    let b = person(bob.id).expect("Bob, borrowable");
    assert_eq!(b.places.len(), 1);
    assert_eq!(b.places[0].location_id, at.id);
    assert_eq!(b.places[0].borrowed_from, Some(home.id));
    assert_eq!(b.places[0].status, CrewStatus::Active);
    assert_eq!(b.places[0].position_ids, vec![at.runner]);
    assert_eq!(b.places[0].levels, vec![(at.cocktails, 3)]);
    assert_eq!(
        b.facts
            .booked
            .iter()
            .map(|s| s.shift_id)
            .collect::<Vec<_>>(),
        vec![home_shift]
    );
    assert!(snapshot.locations.iter().any(|l| l.id == home.id));
    assert!(snapshot.people.iter().any(|p| p.id == bob.id));
    // Every person placed is placed here.
    assert!(problem
        .people
        .iter()
        .all(|p| !p.places.is_empty() && p.places.iter().all(|pl| pl.location_id == at.id)));
    // The same state reads the same problem.
    let again = store
        .fill_problem(&[week], &LocationScope::Only(vec![home.id, at.id]))
        .await
        .unwrap();
    assert_eq!(again.problem, snapshot.problem);
    // Without the home venue in scope, nobody is borrowed.
    let narrow = store
        .fill_problem(&[week], &LocationScope::Only(vec![at.id]))
        .await
        .unwrap();
    assert!(narrow.problem.people.iter().all(|p| p.user_id != bob.id));
}

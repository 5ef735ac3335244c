//! Cash counts (issue 15): counting, idempotency, bad input, scoping, decisions and their audit lines,
//! corrections of final counts, receipts through the vault, the summary, the settings and the CSV export.

use chrono::{Datelike, Duration, NaiveDate};
use crewplots_domain::Role;
use reqwest::Client;
use serde_json::{json, Value};
use uuid::Uuid;

use crate::support::{spawn_app, TestApp, PASSWORD};

/// A venue with one person of each staff role, logged in.
struct Venue {
    id: Uuid,
    admin: Client,
    manager: Client,
    floor: Client,
    crew: Client,
    crew_id: Uuid,
    other_crew: Client,
    applicant: Client,
    /// Today's business date at the venue, as the server sees it.
    today: NaiveDate,
}

async fn venue(app: &TestApp) -> Venue {
    let location = app.seed_location("Cash venue").await;
    let login = |role: Role, locations: Vec<Uuid>| async move {
        let seeded = app.seed_user(role, &locations).await;
        (app.login(&seeded.username, PASSWORD).await, seeded.id)
    };
    let (admin, _) = login(Role::Administrator, vec![]).await;
    let (manager, _) = login(Role::Manager, vec![location.id]).await;
    let (floor, _) = login(Role::FloorManager, vec![location.id]).await;
    let (crew, crew_id) = login(Role::CrewMember, vec![location.id]).await;
    let (other_crew, _) = login(Role::CrewMember, vec![location.id]).await;
    let (applicant, _) = login(Role::Applicant, vec![]).await;
    let settings: Value = crew
        .get(app.url(&format!("/api/locations/{}/cash-settings", location.id)))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    Venue {
        id: location.id,
        admin,
        manager,
        floor,
        crew,
        crew_id,
        other_crew,
        applicant,
        today: settings["businessDate"].as_str().unwrap().parse().unwrap(),
    }
}

async fn send(request: reqwest::RequestBuilder) -> (u16, Value) {
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let text = response.text().await.unwrap();
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

async fn post(app: &TestApp, client: &Client, path: &str, body: Value) -> (u16, Value) {
    send(client.post(app.url(path)).json(&body)).await
}

async fn get(app: &TestApp, client: &Client, path: &str) -> (u16, Value) {
    send(client.get(app.url(path))).await
}

/// A count body with a fresh client key.
fn count(kind: &str, date: NaiveDate, lines: Value, extra: Value) -> Value {
    let mut body = json!({
        "clientKey": Uuid::new_v4(),
        "type": kind,
        "businessDate": date.to_string(),
        "lines": lines,
    });
    for (k, v) in extra.as_object().unwrap() {
        body[k] = v.clone();
    }
    body
}

fn counts_path(venue: &Venue) -> String {
    format!("/api/locations/{}/cash-counts", venue.id)
}

fn id_of(body: &Value) -> Uuid {
    body["id"].as_str().unwrap().parse().unwrap()
}

#[tokio::test]
async fn a_crew_member_counts_and_a_manager_sees_the_discrepancy_and_approves() {
    let app = spawn_app().await;
    let v = venue(&app).await;
    let day = v.today - Duration::days(1);

    // The first opening has nothing to compute from: the expected amount must be entered.
    let opening_lines =
        json!([{"denomination": 5000, "quantity": 2}, {"denomination": 200, "quantity": 25}]);
    let (status, body) = post(
        &app,
        &v.crew,
        &counts_path(&v),
        count("opening", day, opening_lines.clone(), json!({})),
    )
    .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (422, Some("expected_required")),
        "{body}"
    );
    assert_eq!(body["error"]["fields"]["expected"], "required");
    let (status, opening) = post(
        &app,
        &v.crew,
        &counts_path(&v),
        count("opening", day, opening_lines, json!({"expected": "150,00"})),
    )
    .await;
    assert_eq!(status, 201, "{opening}");
    assert_eq!(opening["countedCents"], 15_000);
    assert_eq!(opening["expectedSource"], "entered");
    assert_eq!(opening["discrepancyCents"], 0);
    assert_eq!(opening["state"], "submitted");
    assert_eq!(opening["canDecide"], false, "crew do not decide");

    // The form asks what the server would expect: the opening's cash plus the takings.
    let (status, expected) = get(
        &app,
        &v.crew,
        &format!(
            "{}/expected?type=closing&businessDate={day}&cashTakings=400.10",
            counts_path(&v)
        ),
    )
    .await;
    assert_eq!(status, 200, "{expected}");
    assert_eq!(expected["expectedCents"], 55_010);
    assert_eq!(expected["source"], "opening_plus_takings");
    assert_eq!(expected["openingId"], opening["id"]);
    assert_eq!(expected["toleranceCents"], 500);

    // The closing: 2 × 200 € + 3 × 20 € + 7 × 2 € + 3 × 1 ct = 474.03; 80.07 short.
    let closing_lines = json!([
        {"denomination": 20000, "quantity": 2}, {"denomination": 2000, "quantity": 3},
        {"denomination": 200, "quantity": 7}, {"denomination": 1, "quantity": 3},
        {"denomination": 50, "quantity": 0}
    ]);
    let (status, closing) = post(
        &app,
        &v.crew,
        &counts_path(&v),
        count(
            "closing",
            day,
            closing_lines,
            json!({"cashTakings": "400.10", "cardTotal": "1234.56", "float": "150"}),
        ),
    )
    .await;
    assert_eq!(status, 201, "{closing}");
    assert_eq!(closing["countedCents"], 47_403);
    assert_eq!(closing["expectedCents"], 55_010);
    assert_eq!(closing["discrepancyCents"], -7_607);
    assert_eq!(closing["overTolerance"], true);
    assert_eq!(
        closing["lines"].as_array().unwrap().len(),
        4,
        "zero lines are dropped"
    );
    assert_eq!(closing["lines"][0]["subtotalCents"], 40_000);

    // The next opening expects the float the closing left.
    let (_, next) = get(
        &app,
        &v.crew,
        &format!(
            "{}/expected?type=opening&businessDate={}",
            counts_path(&v),
            v.today
        ),
    )
    .await;
    assert_eq!(
        (next["expectedCents"].as_i64(), next["source"].as_str()),
        (Some(15_000), Some("previous_closing"))
    );

    // The manager's approval list shows the discrepancy; crew and floor managers may not decide.
    let (status, list) = get(
        &app,
        &v.manager,
        &format!("{}?state=submitted", counts_path(&v)),
    )
    .await;
    assert_eq!(status, 200, "{list}");
    let items = list["items"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    assert_eq!(items[0]["id"], closing["id"], "newest first");
    assert_eq!(items[0]["overTolerance"], true);
    assert_eq!(items[0]["canDecide"], true);
    let approve = format!(
        "/api/cash-counts/{}/approve",
        closing["id"].as_str().unwrap()
    );
    for client in [&v.crew, &v.floor, &v.applicant] {
        let (status, body) = post(&app, client, &approve, json!({})).await;
        assert_eq!(status, 403, "{body}");
    }
    let (status, approved) = post(
        &app,
        &v.manager,
        &approve,
        json!({"note": "Tip jar counted apart"}),
    )
    .await;
    assert_eq!(status, 200, "{approved}");
    assert_eq!(approved["state"], "approved");
    assert_eq!(approved["decisionReason"], "Tip jar counted apart");
    assert!(approved["decidedBy"]["name"].is_string());
    assert_eq!(app.audit_count("cash.approved").await, 1);
    assert_eq!(app.audit_count("cash.counted").await, 2);
    // Decisions are final.
    let (status, body) = post(&app, &v.manager, &approve, json!({})).await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (409, Some("count_decided"))
    );
    let dispute = format!(
        "/api/cash-counts/{}/dispute",
        closing["id"].as_str().unwrap()
    );
    let (status, _) = post(&app, &v.admin, &dispute, json!({"reason": "late"})).await;
    assert_eq!(status, 409);
    assert_eq!(app.audit_count("cash.approved").await, 1);
}

#[tokio::test]
async fn a_double_tap_is_one_count_and_a_reused_key_with_other_figures_is_refused() {
    let app = spawn_app().await;
    let v = venue(&app).await;
    let body = count(
        "closing",
        v.today,
        json!([{"denomination": 1000, "quantity": 4}]),
        json!({"expected": "40"}),
    );
    let path = counts_path(&v);
    let (first, second) = tokio::join!(
        post(&app, &v.crew, &path, body.clone()),
        post(&app, &v.crew, &path, body.clone())
    );
    let mut statuses = [first.0, second.0];
    statuses.sort();
    assert_eq!(statuses, [200, 201], "{first:?} {second:?}");
    assert_eq!(first.1["id"], second.1["id"]);
    let (status, again) = post(&app, &v.crew, &counts_path(&v), body.clone()).await;
    assert_eq!((status, &again["id"]), (200, &first.1["id"]));

    let mut other = body.clone();
    other["lines"] = json!([{"denomination": 1000, "quantity": 5}]);
    let (status, refused) = post(&app, &v.crew, &counts_path(&v), other).await;
    assert_eq!(
        (status, refused["error"]["code"].as_str()),
        (422, Some("idempotency_key_reused")),
        "{refused}"
    );
    assert_eq!(refused["error"]["fields"]["clientKey"], "reused");

    // The header works as the key too.
    let mut headless = count(
        "midday",
        v.today,
        json!([{"denomination": 100, "quantity": 1}]),
        json!({"expected": "1"}),
    );
    headless.as_object_mut().unwrap().remove("clientKey");
    let key = Uuid::new_v4().to_string();
    let send_with_key = || {
        v.crew
            .post(app.url(&counts_path(&v)))
            .header("Idempotency-Key", key.clone())
            .json(&headless)
    };
    let (s1, b1) = send(send_with_key()).await;
    let (s2, b2) = send(send_with_key()).await;
    assert_eq!((s1, s2), (201, 200), "{b1} {b2}");
    assert_eq!(b1["id"], b2["id"]);

    let rows: i64 = app
        .pg
        .get()
        .await
        .unwrap()
        .query_one("SELECT count(*) FROM cash_counts", &[])
        .await
        .unwrap()
        .get(0);
    assert_eq!(rows, 2);
    assert_eq!(app.audit_count("cash.counted").await, 2);
}

#[tokio::test]
async fn bad_input_is_refused_with_its_fields() {
    let app = spawn_app().await;
    let v = venue(&app).await;
    let (status, body) = post(
        &app,
        &v.crew,
        &counts_path(&v),
        json!({
            "clientKey": "not-a-uuid",
            "type": "evening",
            "businessDate": (v.today + Duration::days(1)).to_string(),
            "lines": [
                {"denomination": 5000, "quantity": -1},
                {"denomination": 300, "quantity": 1},
                {"denomination": 100, "quantity": 100001},
                {"denomination": 200, "quantity": 1},
                {"denomination": 200, "quantity": 2}
            ],
            "cardTotal": "12.505",
            "float": "-3",
            "cashTakings": "1.000,00",
            "note": "x".repeat(501),
        }),
    )
    .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (422, Some("validation_failed")),
        "{body}"
    );
    let fields = &body["error"]["fields"];
    assert_eq!(fields["clientKey"], "invalid_id");
    assert_eq!(fields["type"], "invalid");
    assert_eq!(fields["businessDate"], "in_future");
    assert_eq!(fields["lines[0].quantity"], "negative");
    assert_eq!(fields["lines[1].denomination"], "unknown_denomination");
    assert_eq!(fields["lines[2].quantity"], "too_large");
    assert_eq!(fields["lines[4].denomination"], "duplicate");
    assert_eq!(fields["cardTotal"], "too_many_decimals");
    assert_eq!(fields["float"], "negative");
    assert_eq!(fields["cashTakings"], "invalid_amount");
    assert_eq!(fields["note"], "too_long");

    let (status, body) = post(&app, &v.crew, &counts_path(&v), json!({"lines": []})).await;
    assert_eq!(status, 422);
    assert_eq!(body["error"]["fields"]["clientKey"], "required");
    assert_eq!(body["error"]["fields"]["type"], "required");
    let old = count(
        "opening",
        v.today - Duration::days(63),
        json!([]),
        json!({"expected": "0"}),
    );
    let (status, body) = post(&app, &v.crew, &counts_path(&v), old).await;
    assert_eq!(
        (status, &body["error"]["fields"]["businessDate"]),
        (422, &json!("too_old"))
    );
    // A fraction of a piece is not a count: the JSON itself is refused.
    let (status, body) = post(
        &app,
        &v.crew,
        &counts_path(&v),
        count(
            "opening",
            v.today,
            json!([{"denomination": 100, "quantity": 1.5}]),
            json!({}),
        ),
    )
    .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (400, Some("invalid_json"))
    );
    for query in [
        "type=noon",
        "type=closing&cashTakings=1.234",
        "type=closing&businessDate=2026-13-01",
    ] {
        let (status, _) = get(
            &app,
            &v.crew,
            &format!("{}/expected?{query}", counts_path(&v)),
        )
        .await;
        assert_eq!(status, 422, "{query}");
    }
    let (status, _) = get(&app, &v.manager, &format!("{}?state=lost", counts_path(&v))).await;
    assert_eq!(status, 422);
    let rows: i64 = app
        .pg
        .get()
        .await
        .unwrap()
        .query_one("SELECT count(*) FROM cash_counts", &[])
        .await
        .unwrap()
        .get(0);
    assert_eq!(rows, 0);
}

#[tokio::test]
async fn counts_are_scoped_to_the_callers_locations_and_crew_see_their_own() {
    let app = spawn_app().await;
    let v = venue(&app).await;
    let elsewhere = app.seed_location("Other venue").await;
    let stranger = app.seed_user(Role::CrewMember, &[elsewhere.id]).await;
    let stranger = app.login(&stranger.username, PASSWORD).await;
    let other_manager = app.seed_user(Role::Manager, &[elsewhere.id]).await;
    let other_manager = app.login(&other_manager.username, PASSWORD).await;

    let (status, mine) = post(
        &app,
        &v.crew,
        &counts_path(&v),
        count(
            "opening",
            v.today,
            json!([{"denomination": 500, "quantity": 2}]),
            json!({"expected": "10"}),
        ),
    )
    .await;
    assert_eq!(status, 201);
    let one = format!("/api/cash-counts/{}", mine["id"].as_str().unwrap());

    // Not crew at the venue: as if it did not exist.
    let body = count("midday", v.today, json!([]), json!({"expected": "0"}));
    let (status, refused) = post(&app, &stranger, &counts_path(&v), body.clone()).await;
    assert_eq!(
        (status, refused["error"]["code"].as_str()),
        (404, Some("not_found"))
    );
    for client in [&stranger, &other_manager] {
        assert_eq!(get(&app, client, &counts_path(&v)).await.0, 404);
        assert_eq!(get(&app, client, &one).await.0, 404);
        assert_eq!(
            get(
                &app,
                client,
                &format!("/api/locations/{}/cash-summary?week=2026-W10", v.id)
            )
            .await
            .0,
            404
        );
        assert_eq!(
            get(
                &app,
                client,
                &format!("/api/locations/{}/cash-settings", v.id)
            )
            .await
            .0,
            404
        );
        assert_eq!(
            get(
                &app,
                client,
                &format!("{}/expected?type=opening", counts_path(&v))
            )
            .await
            .0,
            404
        );
    }
    assert_eq!(
        post(&app, &other_manager, &format!("{one}/approve"), json!({}))
            .await
            .0,
        404
    );
    // Applicants never count nor see cash.
    assert_eq!(
        post(&app, &v.applicant, &counts_path(&v), body).await.0,
        403
    );
    assert_eq!(get(&app, &v.applicant, &one).await.0, 403);

    // Crew see their own submissions only; staff see all.
    assert_eq!(get(&app, &v.crew, &one).await.0, 200);
    assert_eq!(get(&app, &v.other_crew, &one).await.0, 404);
    let (_, theirs) = get(&app, &v.other_crew, &counts_path(&v)).await;
    assert_eq!(theirs["items"], json!([]));
    let (_, own) = get(&app, &v.crew, &counts_path(&v)).await;
    assert_eq!(own["items"].as_array().unwrap().len(), 1);
    assert_eq!(own["items"][0]["countedBy"]["id"], v.crew_id.to_string());
    for client in [&v.floor, &v.manager, &v.admin] {
        let (status, all) = get(&app, client, &counts_path(&v)).await;
        assert_eq!((status, all["items"].as_array().unwrap().len()), (200, 1));
    }
    // Crew do not see the venue's totals; floor managers do.
    assert_eq!(
        get(
            &app,
            &v.crew,
            &format!("/api/locations/{}/cash-summary?week=2026-W10", v.id)
        )
        .await
        .0,
        403
    );
    assert_eq!(
        get(
            &app,
            &v.floor,
            &format!("/api/locations/{}/cash-summary?week=2026-W10", v.id)
        )
        .await
        .0,
        200
    );
    // Another crew member cannot correct (or even name) my count.
    let (status, body) = post(
        &app,
        &v.other_crew,
        &counts_path(&v),
        count(
            "opening",
            v.today,
            json!([]),
            json!({"expected": "0", "corrects": mine["id"]}),
        ),
    )
    .await;
    assert_eq!(
        (status, &body["error"]["fields"]["corrects"]),
        (422, &json!("not_found"))
    );
}

#[tokio::test]
async fn a_final_count_never_changes_and_a_correction_replaces_it() {
    let app = spawn_app().await;
    let v = venue(&app).await;
    let day = v.today - Duration::days(2);
    let (_, original) = post(
        &app,
        &v.crew,
        &counts_path(&v),
        count(
            "closing",
            day,
            json!([{"denomination": 5000, "quantity": 9}]),
            json!({"expected": "500", "cashTakings": "500"}),
        ),
    )
    .await;
    let original_id = original["id"].as_str().unwrap().to_string();
    let (status, _) = post(
        &app,
        &v.manager,
        &format!("/api/cash-counts/{original_id}/dispute"),
        json!({"reason": "Short 50, recount"}),
    )
    .await;
    assert_eq!(status, 200);

    // A second count of the same till and day without naming the first is refused.
    let again = count(
        "closing",
        day,
        json!([{"denomination": 5000, "quantity": 10}]),
        json!({"expected": "500"}),
    );
    let (status, body) = post(&app, &v.crew, &counts_path(&v), again.clone()).await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (409, Some("count_exists")),
        "{body}"
    );
    assert_eq!(body["error"]["fields"]["existing"], original_id);
    // Nor does a correction change type or day.
    let mut wrong = again.clone();
    wrong["corrects"] = json!(original_id);
    wrong["type"] = json!("midday");
    let (status, body) = post(&app, &v.crew, &counts_path(&v), wrong).await;
    assert_eq!(
        (status, &body["error"]["fields"]["corrects"]),
        (422, &json!("different_count"))
    );

    let mut fix = again.clone();
    fix["corrects"] = json!(original_id);
    let (status, correction) = post(&app, &v.crew, &counts_path(&v), fix).await;
    assert_eq!(status, 201, "{correction}");
    assert_eq!(correction["corrects"], original_id);
    assert_eq!(correction["discrepancyCents"], 0);
    assert_eq!(app.audit_count("cash.corrected").await, 1);

    // The original stays as it was, no longer effective.
    let (_, kept) = get(&app, &v.manager, &format!("/api/cash-counts/{original_id}")).await;
    assert_eq!(kept["state"], "disputed");
    assert_eq!(kept["countedCents"], 45_000);
    assert_eq!(kept["effective"], false);
    assert_eq!(kept["correctedBy"], correction["id"]);
    // The database refuses to change it, whoever asks.
    let client = app.pg.get().await.unwrap();
    let changed = client
        .execute(
            "UPDATE cash_counts SET state = 'approved' WHERE id = $1",
            &[&original_id.parse::<Uuid>().unwrap()],
        )
        .await;
    assert!(changed.is_err(), "a decided count is final");
    let changed = client
        .execute(
            "UPDATE cash_counts SET counted_cents = 1, discrepancy_cents = 1 - expected_cents WHERE id = $1",
            &[&id_of(&correction)],
        )
        .await;
    assert!(changed.is_err(), "figures never change");

    // A corrected count is corrected once; the chain goes on from the latest.
    let mut twice = count("closing", day, json!([]), json!({"expected": "0"}));
    twice["corrects"] = json!(original_id);
    let (status, body) = post(&app, &v.crew, &counts_path(&v), twice).await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (409, Some("count_already_corrected"))
    );
    let mut next = count(
        "closing",
        day,
        json!([{"denomination": 5000, "quantity": 10}]),
        json!({"expected": "500"}),
    );
    next["corrects"] = correction["id"].clone();
    let (status, latest) = post(&app, &v.crew, &counts_path(&v), next).await;
    assert_eq!(status, 201);
    // A submitted count that a correction replaced is not decided any more.
    let (status, body) = post(
        &app,
        &v.manager,
        &format!(
            "/api/cash-counts/{}/approve",
            correction["id"].as_str().unwrap()
        ),
        json!({}),
    )
    .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (409, Some("count_superseded"))
    );

    // The overview shows the effective count only.
    let (status, summary) = get(
        &app,
        &v.manager,
        &format!("/api/locations/{}/cash-summary?from={day}&to={day}", v.id),
    )
    .await;
    assert_eq!(status, 200, "{summary}");
    assert_eq!(summary["days"][0]["counts"].as_array().unwrap().len(), 1);
    assert_eq!(summary["days"][0]["counts"][0]["id"], latest["id"]);
    assert_eq!(summary["totals"]["counts"], 1);
}

#[tokio::test]
async fn a_dispute_needs_a_reason_and_is_audited() {
    let app = spawn_app().await;
    let v = venue(&app).await;
    let (_, counted) = post(
        &app,
        &v.floor,
        &counts_path(&v),
        count(
            "midday",
            v.today,
            json!([{"denomination": 2000, "quantity": 1}]),
            json!({"expected": "25"}),
        ),
    )
    .await;
    let dispute = format!(
        "/api/cash-counts/{}/dispute",
        counted["id"].as_str().unwrap()
    );
    for body in [json!({}), json!({"reason": "   "})] {
        let (status, refused) = post(&app, &v.manager, &dispute, body).await;
        assert_eq!(
            (status, &refused["error"]["fields"]["reason"]),
            (422, &json!("required"))
        );
    }
    let (status, refused) = post(
        &app,
        &v.manager,
        &dispute,
        json!({"reason": "x".repeat(501)}),
    )
    .await;
    assert_eq!(
        (status, &refused["error"]["fields"]["reason"]),
        (422, &json!("too_long"))
    );
    assert_eq!(app.audit_count("cash.disputed").await, 0);
    let (status, disputed) = post(
        &app,
        &v.admin,
        &dispute,
        json!({"reason": "5 € short, ask Sam"}),
    )
    .await;
    assert_eq!(status, 200, "{disputed}");
    assert_eq!(
        (
            disputed["state"].as_str(),
            disputed["decisionReason"].as_str()
        ),
        (Some("disputed"), Some("5 € short, ask Sam"))
    );
    let row = app
        .pg
        .get()
        .await
        .unwrap()
        .query_one(
            "SELECT details->>'reason', subject_id, location_id FROM audit_log WHERE action = 'cash.disputed'",
            &[],
        )
        .await
        .unwrap();
    assert_eq!(row.get::<_, String>(0), "5 € short, ask Sam");
    assert_eq!(row.get::<_, Uuid>(1), id_of(&counted));
    assert_eq!(row.get::<_, Uuid>(2), v.id);
}

fn png(size: usize) -> Vec<u8> {
    let mut bytes = vec![0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A];
    bytes.extend((0..size).map(|i| (i * 31 % 251) as u8));
    bytes
}

async fn upload(app: &TestApp, client: &Client, count: &str, bytes: Vec<u8>) -> (u16, Value) {
    let form = reqwest::multipart::Form::new().part(
        "file",
        reqwest::multipart::Part::bytes(bytes).file_name("till.png"),
    );
    send(
        client
            .post(app.url(&format!("/api/cash-counts/{count}/receipt")))
            .multipart(form),
    )
    .await
}

#[tokio::test]
async fn a_receipt_goes_through_the_vault_and_comes_back_byte_for_byte() {
    let app = spawn_app().await;
    let v = venue(&app).await;
    let (_, counted) = post(
        &app,
        &v.crew,
        &counts_path(&v),
        count(
            "closing",
            v.today,
            json!([{"denomination": 1000, "quantity": 3}]),
            json!({"expected": "30"}),
        ),
    )
    .await;
    let id = counted["id"].as_str().unwrap();
    let (status, _) = get(&app, &v.crew, &format!("/api/cash-counts/{id}/receipt")).await;
    assert_eq!(status, 404, "no receipt yet");
    let (status, body) = upload(&app, &v.crew, id, b"just text".to_vec()).await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (415, Some("unsupported_type"))
    );
    assert_eq!(
        upload(&app, &v.other_crew, id, png(10)).await.0,
        404,
        "not theirs"
    );
    let content = png(200_000);
    let (status, receipt) = upload(&app, &v.crew, id, content.clone()).await;
    assert_eq!(status, 201, "{receipt}");
    assert_eq!(receipt["contentType"], "image/png");
    assert_eq!(receipt["sizeBytes"], content.len());
    let (status, body) = upload(&app, &v.crew, id, png(10)).await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (409, Some("receipt_exists"))
    );
    assert_eq!(app.audit_count("cash.receipt_uploaded").await, 1);

    for client in [&v.crew, &v.manager, &v.floor] {
        let response = client
            .get(app.url(&format!("/api/cash-counts/{id}/receipt")))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        assert_eq!(response.headers()["content-type"], "image/png");
        assert_eq!(response.bytes().await.unwrap().as_ref(), content.as_slice());
    }
    assert_eq!(
        get(
            &app,
            &v.other_crew,
            &format!("/api/cash-counts/{id}/receipt")
        )
        .await
        .0,
        404
    );
    let (_, detail) = get(&app, &v.manager, &format!("/api/cash-counts/{id}")).await;
    assert_eq!(detail["receipt"]["id"], receipt["id"]);

    // The receipt's content is known to the orphan sweep, and stays.
    let settings = crewplots_server::settings::Settings::load_from(&app.vars, None).unwrap();
    let report = crewplots_server::startup::sweep_once(&settings, std::time::Duration::ZERO)
        .await
        .unwrap();
    assert_eq!(report.documents_removed, 0, "{report:?}");
    let kept = v
        .manager
        .get(app.url(&format!("/api/cash-counts/{id}/receipt")))
        .send()
        .await
        .unwrap();
    assert_eq!(kept.bytes().await.unwrap().as_ref(), content.as_slice());

    // A decided count takes no receipt.
    let (_, other) = post(
        &app,
        &v.crew,
        &counts_path(&v),
        count("opening", v.today, json!([]), json!({"expected": "0"})),
    )
    .await;
    let other = other["id"].as_str().unwrap();
    post(
        &app,
        &v.manager,
        &format!("/api/cash-counts/{other}/approve"),
        json!({}),
    )
    .await;
    let (status, body) = upload(&app, &v.crew, other, png(10)).await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (409, Some("count_decided"))
    );
}

#[tokio::test]
async fn the_week_summary_totals_effective_counts_and_flags_discrepancies() {
    let app = spawn_app().await;
    let v = venue(&app).await;
    let (_, settings) = send(
        v.manager
            .put(app.url(&format!("/api/locations/{}/cash-settings", v.id)))
            .json(&json!({"tolerance": "2,50"})),
    )
    .await;
    assert_eq!(settings["toleranceCents"], 250);
    let monday = v.today - Duration::days(v.today.weekday().num_days_from_monday().into());
    let day1 = if monday == v.today { v.today } else { monday };
    let day2 = v.today;
    // Day 1: closing 3 € short (over 2.50); day 2 (maybe the same day: then a midday): 1 € over.
    let (s1, first) = post(
        &app,
        &v.crew,
        &counts_path(&v),
        count(
            "closing",
            day1,
            json!([{"denomination": 10000, "quantity": 2}]),
            json!({"expected": "203", "cashTakings": "180", "cardTotal": "99.95"}),
        ),
    )
    .await;
    assert_eq!(s1, 201, "{first}");
    assert_eq!(
        (
            first["toleranceCents"].as_i64(),
            first["overTolerance"].as_bool()
        ),
        (Some(250), Some(true))
    );
    let (s2, second) = post(
        &app,
        &v.crew,
        &counts_path(&v),
        count(
            "midday",
            day2,
            json!([{"denomination": 500, "quantity": 1}]),
            json!({"expected": "4"}),
        ),
    )
    .await;
    assert_eq!(s2, 201, "{second}");
    let week = crewplots_domain::scheduling::time::IsoWeek::of(v.today);
    let (status, summary) = get(
        &app,
        &v.manager,
        &format!("/api/locations/{}/cash-summary?week={week}", v.id),
    )
    .await;
    assert_eq!(status, 200, "{summary}");
    let days = summary["days"].as_array().unwrap();
    assert_eq!(days.len(), 7);
    assert_eq!(summary["from"], monday.to_string());
    let totals = &summary["totals"];
    assert_eq!(totals["counts"], 2);
    assert_eq!(totals["overTolerance"], 1);
    assert_eq!(totals["discrepancyCents"], -300 + 100);
    assert_eq!(totals["cashTakingsCents"], 18_000);
    assert_eq!(totals["cardTotalCents"], 9_995);
    assert_eq!(totals["awaitingDecision"], 2);
    let first_day = days.iter().find(|d| d["date"] == day1.to_string()).unwrap();
    assert_eq!(first_day["overTolerance"], true);
    assert_eq!(summary["toleranceCents"], 250);
    for bad in [
        "week=2026-W60",
        "from=2026-01-10&to=2026-01-01",
        "from=2026-01-01&to=2026-06-01",
        "from=2026-01-01",
    ] {
        let (status, _) = get(
            &app,
            &v.manager,
            &format!("/api/locations/{}/cash-summary?{bad}", v.id),
        )
        .await;
        assert_eq!(status, 422, "{bad}");
    }
}

#[tokio::test]
async fn managers_set_the_tolerance_and_it_is_audited() {
    let app = spawn_app().await;
    let v = venue(&app).await;
    let path = format!("/api/locations/{}/cash-settings", v.id);
    let (status, settings) = get(&app, &v.crew, &path).await;
    assert_eq!(status, 200);
    assert_eq!(settings["toleranceCents"], 500);
    assert_eq!(settings["denominations"].as_array().unwrap().len(), 15);
    assert_eq!(settings["denominations"][0], 50_000);
    assert_eq!(settings["denominations"][14], 1);
    for client in [&v.crew, &v.floor] {
        let (status, _) = send(client.put(app.url(&path)).json(&json!({"tolerance": "1"}))).await;
        assert_eq!(status, 403);
    }
    for (bad, code) in [
        ("-1", "negative"),
        ("1.001", "too_many_decimals"),
        ("1000.01", "too_large"),
        ("", "required"),
    ] {
        let (status, body) = send(
            v.manager
                .put(app.url(&path))
                .json(&json!({"tolerance": bad})),
        )
        .await;
        assert_eq!(
            (status, &body["error"]["fields"]["tolerance"]),
            (422, &json!(code)),
            "{bad}"
        );
    }
    let (status, changed) = send(
        v.manager
            .put(app.url(&path))
            .json(&json!({"tolerance": "7.5"})),
    )
    .await;
    assert_eq!(status, 200, "{changed}");
    assert_eq!(changed["toleranceCents"], 750);
    assert!(changed["updatedBy"]["name"].is_string());
    assert_eq!(app.audit_count("cash.settings_changed").await, 1);
    assert_eq!(get(&app, &v.floor, &path).await.1["toleranceCents"], 750);
}

#[tokio::test]
async fn counts_page_newest_first_with_a_cursor() {
    let app = spawn_app().await;
    let v = venue(&app).await;
    let mut ids = Vec::new();
    for days in 0..3 {
        let (_, body) = post(
            &app,
            &v.crew,
            &counts_path(&v),
            count(
                "opening",
                v.today - Duration::days(days),
                json!([]),
                json!({"expected": "0"}),
            ),
        )
        .await;
        ids.push(body["id"].clone());
    }
    let (_, first) = get(&app, &v.manager, &format!("{}?limit=2", counts_path(&v))).await;
    assert_eq!(
        first["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["id"].clone())
            .collect::<Vec<_>>(),
        vec![ids[2].clone(), ids[1].clone()]
    );
    let cursor = first["nextCursor"].as_str().unwrap();
    let (_, second) = get(
        &app,
        &v.manager,
        &format!("{}?limit=2&cursor={cursor}", counts_path(&v)),
    )
    .await;
    assert_eq!(second["items"][0]["id"], ids[0]);
    assert!(second["nextCursor"].is_null());
    let from = v.today - Duration::days(1);
    let (_, ranged) = get(
        &app,
        &v.manager,
        &format!("{}?from={from}&to={}", counts_path(&v), v.today),
    )
    .await;
    assert_eq!(ranged["items"].as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn the_cash_export_reads_back_with_decimal_amounts_and_is_audited() {
    let app = spawn_app().await;
    let v = venue(&app).await;
    let day = v.today - Duration::days(1);
    let (_, original) = post(
        &app,
        &v.crew,
        &counts_path(&v),
        count(
            "closing",
            day,
            json!([{"denomination": 5000, "quantity": 1}, {"denomination": 5, "quantity": 3}]),
            json!({"expected": "50.20", "cardTotal": "1234.5", "note": "=cmd|' /C calc'!A0"}),
        ),
    )
    .await;
    let mut fix = count(
        "closing",
        day,
        json!([{"denomination": 5000, "quantity": 1}]),
        json!({"expected": "50"}),
    );
    fix["corrects"] = original["id"].clone();
    let (status, _) = post(&app, &v.crew, &counts_path(&v), fix).await;
    assert_eq!(status, 201);
    let path = format!(
        "/api/exports/cash?location={}&from={day}&to={}&delimiter=semicolon",
        v.id, v.today
    );
    assert_eq!(get(&app, &v.floor, &path).await.0, 403);
    assert_eq!(get(&app, &v.crew, &path).await.0, 403);
    let response = v.manager.get(app.url(&path)).send().await.unwrap();
    assert_eq!(response.status(), 200);
    assert!(response.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/csv"));
    let bytes = response.bytes().await.unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"));
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b';')
        .from_reader(&bytes[3..]);
    let header: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_string)
        .collect();
    let column = |name: &str| header.iter().position(|h| h == name).unwrap();
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 2);
    let first = &rows[0];
    assert_eq!(&first[column("count_id")], original["id"].as_str().unwrap());
    assert_eq!(&first[column("counted")], "50,15");
    assert_eq!(&first[column("expected")], "50,20");
    assert_eq!(&first[column("discrepancy")], "-0,05");
    assert_eq!(&first[column("card_total")], "1234,50");
    assert_eq!(&first[column("effective")], "false");
    assert_eq!(
        &first[column("note")],
        "'=cmd|' /C calc'!A0",
        "formulas are neutralised"
    );
    assert_eq!(&rows[1][column("effective")], "true");
    assert_eq!(
        &rows[1][column("corrects")],
        original["id"].as_str().unwrap()
    );
    let audit = app
        .pg
        .get()
        .await
        .unwrap()
        .query_one(
            "SELECT details->>'kind', location_id FROM audit_log WHERE action = 'export.downloaded'",
            &[],
        )
        .await
        .unwrap();
    assert_eq!(audit.get::<_, String>(0), "cash");
    assert_eq!(audit.get::<_, Uuid>(1), v.id);
    for bad in [
        format!("/api/exports/cash?location={}&from={day}", v.id),
        format!("/api/exports/cash?location=x&from={day}&to={day}"),
        format!(
            "/api/exports/cash?location={}&from=2025-01-01&to=2026-06-01",
            v.id
        ),
    ] {
        assert_eq!(get(&app, &v.manager, &bad).await.0, 422, "{bad}");
    }
}

#[tokio::test]
async fn two_managers_deciding_at_once_end_in_one_decision() {
    let app = spawn_app().await;
    let v = venue(&app).await;
    let second = app.seed_user(Role::Manager, &[v.id]).await;
    let second = app.login(&second.username, PASSWORD).await;
    for round in 0..3 {
        let (_, counted) = post(
            &app,
            &v.crew,
            &counts_path(&v),
            count(
                "opening",
                v.today - Duration::days(round),
                json!([]),
                json!({"expected": "0"}),
            ),
        )
        .await;
        let id = counted["id"].as_str().unwrap();
        let approve = format!("/api/cash-counts/{id}/approve");
        let dispute = format!("/api/cash-counts/{id}/dispute");
        let (a, b) = tokio::join!(
            post(&app, &v.manager, &approve, json!({})),
            post(&app, &second, &dispute, json!({"reason": "Recount"}))
        );
        let mut statuses = [a.0, b.0];
        statuses.sort();
        assert_eq!(statuses, [200, 409], "{a:?} {b:?}");
        let (_, now) = get(&app, &v.manager, &format!("/api/cash-counts/{id}")).await;
        let winner = if a.0 == 200 { &a.1 } else { &b.1 };
        assert_eq!(now["state"], winner["state"]);
    }
    assert_eq!(
        app.audit_count("cash.approved").await + app.audit_count("cash.disputed").await,
        3
    );
}

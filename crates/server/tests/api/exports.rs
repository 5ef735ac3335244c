//! CSV exports and locked hours periods through the HTTP API (issue 14 B and D), each file read back with
//! the `csv` crate: the BOM, the contract's header, both delimiters with their decimal marks; hours from the
//! published copy only (an overnight shift into a Sunday with a break, a draft week and unpublished edits
//! ignored); the applications export's filters and location scoping; locks, `period_locked` refusals of
//! publishes and requests, and the correction rows a publish with a reason adds.

use chrono::{Datelike, NaiveDate};
use crewplots_domain::scheduling::time::IsoWeek;
use crewplots_domain::Role;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use uuid::Uuid;

use crate::scheduling::{
    add_shift, assign, call, crew, empty_week, expect, grid, publish, rename, uuid, venue, Venue,
};
use crate::support::{spawn_app, TestApp, PASSWORD};

pub(crate) const BOM: &[u8] = b"\xEF\xBB\xBF";

pub(crate) const HOURS_HEADER: &[&str] = &[
    "kind",
    "location",
    "person_id",
    "person_name",
    "from",
    "to",
    "shifts",
    "planned_hours",
    "night_hours",
    "sunday_hours",
    "reason",
];

const APPLICATIONS_HEADER: &[&str] = &[
    "application_id",
    "applicant_name",
    "email",
    "location",
    "position",
    "source",
    "status",
    "applied_at",
    "status_changed_at",
    "notes",
    "documents",
];

/// A downloaded CSV file: its header and records, read by the `csv` crate.
#[derive(Debug)]
pub(crate) struct Csv {
    pub(crate) header: Vec<String>,
    pub(crate) rows: Vec<Vec<String>>,
}

impl Csv {
    pub(crate) fn column(&self, name: &str) -> usize {
        self.header.iter().position(|h| h == name).unwrap()
    }

    /// The rows whose `column` is `value`.
    pub(crate) fn rows_where(&self, column: &str, value: &str) -> Vec<&Vec<String>> {
        let i = self.column(column);
        self.rows.iter().filter(|r| r[i] == value).collect()
    }
}

/// GETs an export, checks the download headers and the BOM, and reads it back with `delimiter`.
pub(crate) async fn download(
    app: &TestApp,
    client: &reqwest::Client,
    path: &str,
    delimiter: u8,
    kind: &str,
) -> Csv {
    let response = client.get(app.url(path)).send().await.unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = response.bytes().await.unwrap();
    assert_eq!(
        status,
        StatusCode::OK,
        "{path}: {}",
        String::from_utf8_lossy(&bytes)
    );
    assert_eq!(headers["content-type"], "text/csv; charset=utf-8");
    let disposition = headers["content-disposition"].to_str().unwrap();
    assert!(
        disposition.starts_with(&format!("attachment; filename=\"crewplots-{kind}-"))
            && disposition.ends_with(".csv\""),
        "{disposition}"
    );
    assert!(bytes.starts_with(BOM), "no BOM in {path}");
    let text = std::str::from_utf8(&bytes[BOM.len()..]).unwrap();
    assert!(text.ends_with("\r\n"), "records end in CRLF");
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .from_reader(&bytes[BOM.len()..]);
    let header = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_string)
        .collect();
    let rows = reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect();
    Csv { header, rows }
}

/// Two weeks ahead, or three when that week holds a clock change (the figures below are for ordinary nights).
fn ordinary_week() -> IsoWeek {
    let mut iso = IsoWeek::of(crate::support::venue_today()).plus(2).unwrap();
    let changes = |w: IsoWeek| {
        let sunday = w.days()[6];
        matches!(sunday.month(), 3 | 10) && sunday.day() + 7 > 31
    };
    while changes(iso) {
        iso = iso.plus(1).unwrap();
    }
    iso
}

fn shift(
    at: &Venue,
    date: NaiveDate,
    start: &str,
    end: &str,
    slots: u32,
    break_minutes: u32,
) -> Value {
    json!({"date": date, "positionId": at.runner, "start": start, "end": end, "slots": slots,
           "breakMinutes": break_minutes})
}

fn hours_path(location: Uuid, from: NaiveDate, to: NaiveDate, delimiter: &str) -> String {
    format!("/api/exports/hours?location={location}&from={from}&to={to}&delimiter={delimiter}")
}

#[tokio::test]
async fn the_hours_export_sums_the_published_copy_with_nights_sundays_and_breaks() {
    let app = spawn_app().await;
    let at = venue(&app, "Hours bar").await;
    let ann = crew(&app, &at, &[at.runner], 20.0, None).await;
    let bram = crew(&app, &at, &[at.runner], 20.0, None).await;
    rename(&app, &ann, "Ann", "Tromp").await;
    rename(&app, &bram, "=Bram", "Visser").await;
    let iso = ordinary_week();
    let week = empty_week(&app, &at, iso).await;
    // Saturday 22:00 → Sunday 04:00 with a 30-minute break: 5.5 paid, 4 at night, 4 on Sunday.
    let saturday = add_shift(
        &app,
        &at,
        week,
        shift(&at, iso.days()[5], "22:00", "04:00", 1, 30),
    )
    .await;
    // Tuesday 12:00–18:00 for both.
    let tuesday = add_shift(
        &app,
        &at,
        week,
        shift(&at, iso.days()[1], "12:00", "18:00", 3, 0),
    )
    .await;
    assign(&app, &at, saturday, ann.id).await;
    assign(&app, &at, tuesday, ann.id).await;
    assign(&app, &at, tuesday, bram.id).await;
    publish(&app, &at, week, iso).await;
    // After publishing: an unpublished assignment and a draft week in the range count for nothing.
    let cas = crew(&app, &at, &[at.runner], 20.0, None).await;
    assign(&app, &at, tuesday, cas.id).await;
    let next = iso.plus(1).unwrap();
    let draft = empty_week(&app, &at, next).await;
    let draft_shift = add_shift(
        &app,
        &at,
        draft,
        shift(&at, next.days()[0], "09:00", "17:00", 1, 0),
    )
    .await;
    assign(&app, &at, draft_shift, ann.id).await;

    let from = iso.monday();
    let to = next.days()[6];
    let csv = download(
        &app,
        &at.manager,
        &hours_path(at.id, from, to, "comma"),
        b',',
        "hours",
    )
    .await;
    assert_eq!(csv.header, HOURS_HEADER);
    assert_eq!(csv.rows.len(), 2, "{csv:?}");
    let row = |who: Uuid| {
        csv.rows_where("person_id", &who.to_string())
            .first()
            .copied()
            .cloned()
            .unwrap()
    };
    let ann_row = row(ann.id);
    assert_eq!(
        ann_row,
        vec![
            "planned".to_string(),
            "Hours bar".into(),
            ann.id.to_string(),
            "Ann Tromp".into(),
            from.to_string(),
            to.to_string(),
            "2".into(),
            "11.50".into(),
            "4.00".into(),
            "4.00".into(),
            "".into(),
        ]
    );
    let bram_row = row(bram.id);
    // A name that starts like a formula is neutralised.
    assert_eq!(bram_row[csv.column("person_name")], "'=Bram Visser");
    assert_eq!(&bram_row[6..10], ["1", "6.00", "0.00", "0.00"]);
    assert_eq!(csv.rows_where("kind", "planned").len(), 2);

    // The semicolon variant writes decimal commas.
    let csv = download(
        &app,
        &at.manager,
        &hours_path(at.id, from, to, "semicolon"),
        b';',
        "hours",
    )
    .await;
    assert_eq!(csv.header, HOURS_HEADER);
    let ann_row = csv.rows_where("person_id", &ann.id.to_string())[0].clone();
    assert_eq!(&ann_row[6..10], ["2", "11,50", "4,00", "4,00"]);

    // A range without the Saturday leaves it out.
    let csv = download(
        &app,
        &at.manager,
        &hours_path(at.id, from, iso.days()[4], "comma"),
        b',',
        "hours",
    )
    .await;
    let ann_row = csv.rows_where("person_id", &ann.id.to_string())[0].clone();
    assert_eq!(&ann_row[6..10], ["1", "6.00", "0.00", "0.00"]);

    // Bad input is 422 with the fields named; other roles and venues are refused.
    for (path, field) in [
        (hours_path(at.id, to, from, "comma"), "from"),
        (
            hours_path(at.id, from, from + chrono::Days::new(366), "comma"),
            "to",
        ),
        (
            format!("/api/exports/hours?from={from}&to={to}"),
            "location",
        ),
        (hours_path(at.id, from, to, "tab"), "delimiter"),
        (
            format!(
                "/api/exports/hours?location={}&from=2026-13-01&to={to}",
                at.id
            ),
            "from",
        ),
    ] {
        let (status, body) = call(&app, &at.manager, Method::GET, &path, None).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{path}: {body}");
        assert!(body["error"]["fields"][field].is_string(), "{path}: {body}");
    }
    let (status, _) = call(
        &app,
        &at.floor,
        Method::GET,
        &hours_path(at.id, from, to, "comma"),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let other = venue(&app, "Elsewhere").await;
    let (status, _) = call(
        &app,
        &other.manager,
        Method::GET,
        &hours_path(at.id, from, to, "comma"),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // Every download is audited with its kind and filters.
    let client = app.pg.get().await.unwrap();
    let details: Vec<Value> = client
        .query(
            "SELECT details FROM audit_log WHERE action = 'export.downloaded' ORDER BY occurred_at",
            &[],
        )
        .await
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(details.len(), 3);
    assert_eq!(details[0]["kind"], "hours");
    assert_eq!(details[0]["location"], json!(at.id));
    assert_eq!(details[1]["delimiter"], "semicolon");
}

#[tokio::test]
async fn the_applications_export_respects_filters_and_location_scoping() {
    let app = spawn_app().await;
    let a = app.seed_location("Venue A").await;
    let b = app.seed_location("Venue B").await;
    let manager = app.seed_user(Role::Manager, &[a.id]).await;
    let admin = app.seed_user(Role::Administrator, &[]).await;
    let ann = app.seed_user(Role::Applicant, &[]).await;
    let bob = app.seed_user(Role::Applicant, &[]).await;
    let cyd = app.seed_user(Role::Applicant, &[]).await;
    rename(&app, &bob, "@SUM(A1)", "Bob").await;
    let ann_a = app.seed_application(ann.id, a.id).await;
    let bob_a = app.seed_application(bob.id, a.id).await;
    let cyd_b = app.seed_application(cyd.id, b.id).await;
    app.pg
        .get()
        .await
        .unwrap()
        .execute(
            "UPDATE applications SET status = 'rejected' WHERE id = $1",
            &[&bob_a],
        )
        .await
        .unwrap();
    let manager = app.login(&manager.username, PASSWORD).await;
    let admin = app.login(&admin.username, PASSWORD).await;
    let ids = |csv: &Csv| {
        let mut ids: Vec<String> = csv
            .rows
            .iter()
            .map(|r| r[csv.column("application_id")].clone())
            .collect();
        ids.sort();
        ids
    };
    let sorted = |list: &[Uuid]| {
        let mut ids: Vec<String> = list.iter().map(Uuid::to_string).collect();
        ids.sort();
        ids
    };

    let csv = download(
        &app,
        &manager,
        "/api/exports/applications",
        b',',
        "applications",
    )
    .await;
    assert_eq!(csv.header, APPLICATIONS_HEADER);
    assert_eq!(
        ids(&csv),
        sorted(&[ann_a, bob_a]),
        "a manager sees only their venues"
    );
    let bob_row = csv.rows_where("application_id", &bob_a.to_string())[0].clone();
    assert_eq!(bob_row[csv.column("applicant_name")], "'@SUM(A1) Bob");
    assert_eq!(
        bob_row[csv.column("email")],
        format!("{}@example.test", bob.username)
    );
    assert_eq!(bob_row[csv.column("location")], "Venue A");
    assert_eq!(bob_row[csv.column("position")], "Bartender");
    assert_eq!(bob_row[csv.column("source")], "web");
    assert_eq!(bob_row[csv.column("status")], "rejected");
    assert_eq!(bob_row[csv.column("notes")], "0");
    assert_eq!(bob_row[csv.column("documents")], "0");
    assert!(bob_row[csv.column("applied_at")].ends_with('Z'));
    chrono::DateTime::parse_from_rfc3339(&bob_row[csv.column("status_changed_at")]).unwrap();

    let csv = download(
        &app,
        &admin,
        "/api/exports/applications?delimiter=semicolon",
        b';',
        "applications",
    )
    .await;
    assert_eq!(csv.header, APPLICATIONS_HEADER);
    assert_eq!(ids(&csv), sorted(&[ann_a, bob_a, cyd_b]));
    let csv = download(
        &app,
        &admin,
        &format!("/api/exports/applications?location={}", b.id),
        b',',
        "applications",
    )
    .await;
    assert_eq!(ids(&csv), sorted(&[cyd_b]));

    let csv = download(
        &app,
        &manager,
        "/api/exports/applications?status=rejected",
        b',',
        "applications",
    )
    .await;
    assert_eq!(ids(&csv), sorted(&[bob_a]));
    let csv = download(
        &app,
        &manager,
        "/api/exports/applications?status=new&source=web",
        b',',
        "applications",
    )
    .await;
    assert_eq!(ids(&csv), sorted(&[ann_a]));
    let csv = download(
        &app,
        &manager,
        "/api/exports/applications?source=manual",
        b',',
        "applications",
    )
    .await;
    assert!(csv.rows.is_empty());
    let today = crate::support::venue_today();
    let tomorrow = today.succ_opt().unwrap();
    let yesterday = today.pred_opt().unwrap();
    let csv = download(
        &app,
        &manager,
        &format!("/api/exports/applications?from={tomorrow}"),
        b',',
        "applications",
    )
    .await;
    assert!(csv.rows.is_empty());
    let csv = download(
        &app,
        &manager,
        &format!("/api/exports/applications?from={yesterday}&to={tomorrow}"),
        b',',
        "applications",
    )
    .await;
    assert_eq!(csv.rows.len(), 2);

    let (status, _) = call(
        &app,
        &manager,
        Method::GET,
        &format!("/api/exports/applications?location={}", b.id),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "another venue is invisible");
    for (query, field) in [
        ("status=hired_maybe", "status"),
        ("source=fax", "source"),
        ("from=soon", "from"),
    ] {
        let (status, body) = call(
            &app,
            &manager,
            Method::GET,
            &format!("/api/exports/applications?{query}"),
            None,
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{query}");
        assert!(body["error"]["fields"][field].is_string(), "{body}");
    }
}

async fn lock(
    app: &TestApp,
    client: &reqwest::Client,
    at: Uuid,
    from: NaiveDate,
    to: NaiveDate,
) -> (StatusCode, Value) {
    call(
        app,
        client,
        Method::POST,
        &format!("/api/locations/{at}/hours-locks"),
        Some(json!({"from": from, "to": to})),
    )
    .await
}

#[tokio::test]
async fn locked_periods_refuse_silent_changes_and_a_reasoned_publish_adds_correction_rows() {
    let app = spawn_app().await;
    let at = venue(&app, "Locked bar").await;
    let ann = crew(&app, &at, &[at.runner], 20.0, None).await;
    let bram = crew(&app, &at, &[at.runner], 20.0, None).await;
    let cas = crew(&app, &at, &[at.runner], 20.0, None).await;
    rename(&app, &ann, "Ann", "Tromp").await;
    rename(&app, &bram, "Bram", "Visser").await;
    let iso = ordinary_week();
    let days = iso.days();
    let week = empty_week(&app, &at, iso).await;
    let tuesday = add_shift(&app, &at, week, shift(&at, days[1], "18:00", "23:00", 2, 0)).await;
    let wednesday = add_shift(&app, &at, week, shift(&at, days[2], "12:00", "18:00", 1, 0)).await;
    let thursday = add_shift(&app, &at, week, shift(&at, days[3], "12:00", "18:00", 1, 0)).await;
    let ann_tuesday = assign(&app, &at, tuesday, ann.id).await;
    let ann_wednesday = assign(&app, &at, wednesday, ann.id).await;
    let bram_thursday = assign(&app, &at, thursday, bram.id).await;
    publish(&app, &at, week, iso).await;

    // A swap agreed between colleagues, waiting for the manager.
    let ann_client = app.login(&ann.username, PASSWORD).await;
    let bram_client = app.login(&bram.username, PASSWORD).await;
    let swap = expect(
        &app,
        &ann_client,
        Method::POST,
        &format!("/api/assignments/{ann_wednesday}/swap"),
        Some(json!({"targetAssignmentId": bram_thursday})),
        StatusCode::CREATED,
    )
    .await;
    let swap = uuid(&swap["id"]);
    expect(
        &app,
        &bram_client,
        Method::POST,
        &format!("/api/requests/{swap}/accept"),
        None,
        StatusCode::OK,
    )
    .await;

    // Floor managers cannot lock; a manager can; overlaps and reversed ranges are refused.
    let (status, _) = lock(&app, &at.floor, at.id, days[0], days[6]).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, locked) = lock(&app, &at.manager, at.id, days[0], days[6]).await;
    assert_eq!(status, StatusCode::CREATED, "{locked}");
    assert_eq!(locked["from"], json!(days[0]));
    assert_eq!(locked["to"], json!(days[6]));
    assert_eq!(locked["lockedBy"]["name"], "Test manager");
    assert!(locked["lockedAt"].is_string());
    let (status, body) = lock(
        &app,
        &at.manager,
        at.id,
        days[3],
        days[6] + chrono::Days::new(3),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(body["error"]["code"], "period_overlaps");
    let (status, body) = lock(&app, &at.manager, at.id, days[6], days[0]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let next_week = days[6] + chrono::Days::new(1);
    let (status, _) = lock(&app, &at.manager, at.id, next_week, next_week).await;
    assert_eq!(status, StatusCode::CREATED, "an adjacent period is fine");
    let locks = expect(
        &app,
        &at.manager,
        Method::GET,
        &format!("/api/locations/{}/hours-locks", at.id),
        None,
        StatusCode::OK,
    )
    .await;
    assert_eq!(locks.as_array().unwrap().len(), 2);
    assert_eq!(locks[0]["from"], json!(next_week), "newest first");
    let (status, _) = call(
        &app,
        &at.floor,
        Method::GET,
        &format!("/api/locations/{}/hours-locks", at.id),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // Approving the swap in the locked period is refused.
    let (status, body) = call(
        &app,
        &at.manager,
        Method::POST,
        &format!("/api/requests/{swap}/approve"),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(body["error"]["code"], "period_locked");

    // Ann leaves Tuesday, Bram takes it: publishing needs a reason.
    expect(
        &app,
        &at.manager,
        Method::DELETE,
        &format!("/api/assignments/{ann_tuesday}"),
        None,
        StatusCode::OK,
    )
    .await;
    assign(&app, &at, tuesday, bram.id).await;
    let version = grid(&app, &at, &iso.to_string()).await["week"]["version"].clone();
    let path = format!("/api/weeks/{week}/publish");
    let (status, body) = call(
        &app,
        &at.manager,
        Method::POST,
        &path,
        Some(json!({"expectedVersion": version})),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(body["error"]["code"], "period_locked");
    assert_eq!(body["error"]["fields"]["reason"], "required");
    assert_eq!(body["error"]["fields"]["dates"], json!(days[1].to_string()));
    let (status, body) = call(
        &app,
        &at.manager,
        Method::POST,
        &path,
        Some(json!({"expectedVersion": version, "reason": "x".repeat(501)})),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    expect(
        &app,
        &at.manager,
        Method::POST,
        &path,
        Some(json!({"expectedVersion": version, "reason": "Ann was ill; Bram worked"})),
        StatusCode::OK,
    )
    .await;
    let changes = expect(
        &app,
        &at.manager,
        Method::GET,
        &format!("/api/weeks/{week}/changes"),
        None,
        StatusCode::OK,
    )
    .await;
    assert!(
        changes
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["reason"] == "Ann was ill; Bram worked"),
        "{changes}"
    );

    // Cas claims Tuesday's open slot; approving it is refused too.
    let cas_client = app.login(&cas.username, PASSWORD).await;
    let claim = expect(
        &app,
        &cas_client,
        Method::POST,
        &format!("/api/shifts/{tuesday}/claim"),
        None,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(claim["status"], "pending_approval");
    let (status, body) = call(
        &app,
        &at.manager,
        Method::POST,
        &format!("/api/requests/{}/approve", uuid(&claim["id"])),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(body["error"]["code"], "period_locked");

    // The export of a range holding today lists the planned rows, then the corrections made today.
    let today = crate::support::venue_today();
    let csv = download(
        &app,
        &at.manager,
        &hours_path(at.id, today, days[6], "semicolon"),
        b';',
        "hours",
    )
    .await;
    assert_eq!(csv.header, HOURS_HEADER);
    let kinds: Vec<&str> = csv.rows.iter().map(|r| r[0].as_str()).collect();
    assert_eq!(
        kinds,
        ["planned", "planned", "correction", "correction"],
        "{csv:?}"
    );
    let planned = |who: Uuid| {
        csv.rows
            .iter()
            .find(|r| r[0] == "planned" && r[2] == who.to_string())
            .unwrap()
            .clone()
    };
    assert_eq!(&planned(ann.id)[6..10], ["1", "6,00", "0,00", "0,00"]);
    assert_eq!(&planned(bram.id)[6..10], ["2", "11,00", "0,00", "0,00"]);
    let correction = |who: Uuid| {
        csv.rows
            .iter()
            .find(|r| r[0] == "correction" && r[2] == who.to_string())
            .unwrap()
            .clone()
    };
    let tuesday_date = days[1].to_string();
    assert_eq!(
        correction(ann.id),
        vec![
            "correction".to_string(),
            "Locked bar".into(),
            ann.id.to_string(),
            "Ann Tromp".into(),
            tuesday_date.clone(),
            tuesday_date.clone(),
            "-1".into(),
            "-5,00".into(),
            "0,00".into(),
            "0,00".into(),
            "Ann was ill; Bram worked".into(),
        ]
    );
    assert_eq!(
        &correction(bram.id)[4..11],
        [
            tuesday_date.as_str(),
            tuesday_date.as_str(),
            "1",
            "5,00",
            "0,00",
            "0,00",
            "Ann was ill; Bram worked"
        ]
    );
    // A range that starts after today has no correction rows (they count on the day they were made).
    let csv = download(
        &app,
        &at.manager,
        &hours_path(at.id, days[0], days[6], "comma"),
        b',',
        "hours",
    )
    .await;
    assert_eq!(csv.rows.len(), 2);
    assert!(csv.rows.iter().all(|r| r[0] == "planned"));
}

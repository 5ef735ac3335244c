//! Retention (issue 14 E) and the public settings (F) against the real stores: the job erases closed
//! applicants past the period from PostgreSQL and MongoDB (profile, GridFS documents, letters and note
//! bodies) and keeps those on hold, with an open application or inside the period; two jobs at once erase
//! each person exactly once; the hold endpoints; the settings anybody may read.

use chrono::{Duration, Utc};
use crewplots_domain::Role;
use crewplots_server::retention::RetentionJob;
use crewplots_server::settings::Settings;
use crewplots_storage_mongo::mongodb::bson::{doc, Document};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use uuid::Uuid;

use crate::scheduling::{call, expect};
use crate::support::{spawn_app, spawn_app_with, test_vars, TestApp, PASSWORD};

/// An applicant who applied at `venue` with a profile, a document, a motivation letter and a staff note
/// about them; their application ends in `status` and everything about them is `age_days` old.
async fn applicant(
    app: &TestApp,
    venue: Uuid,
    staff: &reqwest::Client,
    status: &str,
    age_days: i64,
) -> Uuid {
    let person = app.seed_user(Role::Applicant, &[]).await;
    let application = app.seed_application(person.id, venue).await;
    let own = app.login(&person.username, PASSWORD).await;
    for (path, body) in [
        (
            format!("/api/people/{}/profile", person.id),
            json!({"phone": "+31 6 1111 2222", "bankAccount": "NL55RETAIN000111222"}),
        ),
        (
            format!("/api/applications/{application}/letter"),
            json!({"html": "<p>Please hire me.</p>"}),
        ),
    ] {
        let response = own.put(app.url(&path)).json(&body).send().await.unwrap();
        assert_eq!(response.status(), 200, "PUT {path}");
    }
    app.upload_pdf(&own, person.id, "kind=resume").await;
    expect(
        app,
        staff,
        Method::POST,
        &format!("/api/people/{}/notes", person.id),
        Some(json!({"html": "<p>Not this season.</p>"})),
        StatusCode::CREATED,
    )
    .await;
    age(app, person.id, status, age_days).await;
    person.id
}

/// Sets every application of the person to `status` and dates every change `days` back.
async fn age(app: &TestApp, person: Uuid, status: &str, days: i64) {
    let at = Utc::now() - Duration::days(days);
    let client = app.pg.get().await.unwrap();
    client
        .execute(
            "UPDATE applications SET status = $2, updated_at = $3, created_at = $3,
                    letter_updated_at = CASE WHEN letter_updated_at IS NULL THEN NULL ELSE $3::TIMESTAMPTZ END
             WHERE applicant_id = $1",
            &[&person, &status, &at],
        )
        .await
        .unwrap();
    client
        .execute(
            "UPDATE application_status_history SET created_at = $2
             WHERE application_id IN (SELECT id FROM applications WHERE applicant_id = $1)",
            &[&person, &at],
        )
        .await
        .unwrap();
    client
        .execute(
            "UPDATE users SET updated_at = $2 WHERE id = $1",
            &[&person, &at],
        )
        .await
        .unwrap();
}

async fn count(app: &TestApp, collection: &str, filter: Document) -> u64 {
    app.mongo
        .database()
        .collection::<Document>(collection)
        .count_documents(filter)
        .await
        .unwrap()
}

/// What is left of a person: (account rows, MongoDB objects: profile + documents + bodies).
async fn left_of(app: &TestApp, person: Uuid) -> (i64, u64) {
    let rows: i64 = app
        .pg
        .get()
        .await
        .unwrap()
        .query_one("SELECT count(*) FROM users WHERE id = $1", &[&person])
        .await
        .unwrap()
        .get(0);
    let id = person.to_string();
    let content = count(app, "profiles", doc! {"_id": &id}).await
        + count(app, "sealed_bodies", doc! {"owner": &id}).await
        + count(
            app,
            "sensitive_documents.files",
            doc! {"metadata.owner": &id},
        )
        .await;
    (rows, content)
}

async fn erased_lines(app: &TestApp, person: Uuid) -> i64 {
    app.pg
        .get()
        .await
        .unwrap()
        .query_one(
            "SELECT count(*) FROM audit_log WHERE action = 'retention.erased' AND subject_id = $1",
            &[&person],
        )
        .await
        .unwrap()
        .get(0)
}

/// A server whose own background job is off (`RETENTION_DAYS=0`), so only the test's jobs erase.
async fn quiet_app() -> TestApp {
    let mut vars = test_vars().await;
    vars.insert("RETENTION_DAYS".into(), "0".into());
    let app = spawn_app_with(vars).await;
    app.wait_until_ready(std::time::Duration::from_secs(20))
        .await;
    app
}

async fn job(app: &TestApp, days: u32) -> RetentionJob {
    let mut vars = app.vars.clone();
    vars.insert("RETENTION_DAYS".into(), days.to_string());
    let settings = Settings::load_from(&vars, None).unwrap();
    RetentionJob::connect(&settings).await.unwrap()
}

#[tokio::test]
async fn two_jobs_at_once_erase_closed_applicants_past_the_period_once_and_keep_everyone_else() {
    let app = quiet_app().await;
    let venue = app.seed_location("Retention venue").await;
    let manager = app.seed_user(Role::Manager, &[venue.id]).await;
    let staff = app.login(&manager.username, PASSWORD).await;

    let rejected = applicant(&app, venue.id, &staff, "rejected", 200).await;
    let withdrawn = applicant(&app, venue.id, &staff, "withdrawn", 400).await;
    let held = applicant(&app, venue.id, &staff, "rejected", 200).await;
    let recent = applicant(&app, venue.id, &staff, "rejected", 100).await;
    let open = applicant(&app, venue.id, &staff, "rejected", 200).await;
    // A second application, still open (and old too): the person stays.
    let other = app.seed_location("Other venue").await;
    app.seed_application(open, other.id).await;
    age(&app, open, "rejected", 200).await;
    app.pg
        .get()
        .await
        .unwrap()
        .execute(
            "UPDATE applications SET status = 'new' WHERE applicant_id = $1 AND location_id = $2",
            &[&open, &other.id],
        )
        .await
        .unwrap();
    // Crew members are never retention's business, whatever their applications say.
    let crew = app.seed_user(Role::CrewMember, &[venue.id]).await;
    app.seed_application(crew.id, other.id).await;
    age(&app, crew.id, "rejected", 300).await;

    let hold = expect(
        &app,
        &staff,
        Method::PUT,
        &format!("/api/people/{held}/retention-hold"),
        Some(json!({"reason": "Labour court case pending"})),
        StatusCode::OK,
    )
    .await;
    assert_eq!(hold["hold"]["reason"], "Labour court case pending");
    assert_eq!(
        hold["erasesAfter"],
        Value::Null,
        "on hold (and off on this server)"
    );

    for person in [rejected, withdrawn, held, recent, open] {
        let (rows, content) = left_of(&app, person).await;
        assert_eq!(rows, 1);
        assert_eq!(
            content, 4,
            "profile, document, letter and note body of {person}"
        );
    }

    let (first, second) = (job(&app, 180).await, job(&app, 180).await);
    let now = Utc::now();
    let (a, b) = tokio::join!(
        tokio::spawn(async move { first.run_once(now).await.unwrap() }),
        tokio::spawn(async move { second.run_once(now).await.unwrap() }),
    );
    let (a, b) = (a.unwrap(), b.unwrap());
    assert_eq!(a.erased + b.erased, 2, "{a:?} {b:?}");
    assert!(!a.stopped_content_unavailable && !b.stopped_content_unavailable);

    for person in [rejected, withdrawn] {
        assert_eq!(left_of(&app, person).await, (0, 0), "{person} is gone");
        assert_eq!(erased_lines(&app, person).await, 1, "exactly once");
    }
    for person in [held, recent, open, crew.id] {
        assert_eq!(left_of(&app, person).await.0, 1, "{person} stays");
        assert_eq!(erased_lines(&app, person).await, 0);
    }
    assert!(
        left_of(&app, held).await.1 > 0,
        "the held person's content stays"
    );
    assert_eq!(app.audit_count("retention.erased").await, 2);

    // Another run finds nothing; retention off does nothing at all.
    let again = job(&app, 180).await.run_once(Utc::now()).await.unwrap();
    assert_eq!((again.candidates, again.erased), (0, 0));
    let off = job(&app, 0).await.run_once(Utc::now()).await.unwrap();
    assert!(off.off);
    // Once the hold is lifted the next run erases the person.
    expect(
        &app,
        &staff,
        Method::DELETE,
        &format!("/api/people/{held}/retention-hold"),
        None,
        StatusCode::OK,
    )
    .await;
    let last = job(&app, 180).await.run_once(Utc::now()).await.unwrap();
    assert_eq!(last.erased, 1);
    assert_eq!(left_of(&app, held).await, (0, 0));
}

#[tokio::test]
async fn a_run_skips_while_another_instance_holds_the_lock_and_stops_while_mongodb_is_down() {
    let app = quiet_app().await;
    let venue = app.seed_location("Lock venue").await;
    let manager = app.seed_user(Role::Manager, &[venue.id]).await;
    let staff = app.login(&manager.username, PASSWORD).await;
    let person = applicant(&app, venue.id, &staff, "rejected", 200).await;

    let holder = crewplots_storage_postgres::PgStore::new(app.pg.clone());
    let lock = holder
        .try_advisory_lock(crewplots_server::retention::LOCK_KEY)
        .await
        .unwrap()
        .expect("nobody holds the lock yet");
    let skipped = job(&app, 180).await.run_once(Utc::now()).await.unwrap();
    assert!(skipped.skipped_locked);
    assert_eq!(left_of(&app, person).await.0, 1);
    drop(lock);

    let mut vars = app.vars.clone();
    vars.insert("RETENTION_DAYS".into(), "180".into());
    vars.insert(
        "MONGODB_URL".into(),
        format!(
            "mongodb://127.0.0.1:{}/?directConnection=true",
            crate::support::free_port()
        ),
    );
    vars.insert("CREWPLOTS__MONGODB__TIMEOUT_MS".into(), "300".into());
    let down = RetentionJob::connect(&Settings::load_from(&vars, None).unwrap())
        .await
        .unwrap();
    let report = down.run_once(Utc::now()).await.unwrap();
    assert!(report.stopped_content_unavailable, "{report:?}");
    assert_eq!(report.erased, 0);
    assert_eq!(left_of(&app, person).await, (1, 4), "nothing deleted");
    assert_eq!(erased_lines(&app, person).await, 0);

    let report = job(&app, 180).await.run_once(Utc::now()).await.unwrap();
    assert_eq!(report.erased, 1, "the next run finishes");
    assert_eq!(left_of(&app, person).await, (0, 0));
}

#[tokio::test]
async fn holds_are_for_managers_of_the_persons_venues_and_show_when_retention_erases() {
    let app = spawn_app().await;
    let venue = app.seed_location("Hold venue").await;
    let elsewhere = app.seed_location("Hold elsewhere").await;
    let manager = app.seed_user(Role::Manager, &[venue.id]).await;
    let foreign = app.seed_user(Role::Manager, &[elsewhere.id]).await;
    let floor = app.seed_user(Role::FloorManager, &[venue.id]).await;
    let staff = app.login(&manager.username, PASSWORD).await;
    let person = applicant(&app, venue.id, &staff, "rejected", 20).await;
    let path = format!("/api/people/{person}/retention");
    let hold_path = format!("/api/people/{person}/retention-hold");

    let status = expect(&app, &staff, Method::GET, &path, None, StatusCode::OK).await;
    assert_eq!(status["hold"], Value::Null);
    let last_change = (Utc::now() - Duration::days(20)).date_naive();
    let erases = status["erasesAfter"].as_str().unwrap();
    let expected = last_change + Duration::days(180);
    assert!(
        erases == expected.to_string() || erases == (expected + Duration::days(1)).to_string(),
        "{erases} vs {expected}"
    );

    let foreign = app.login(&foreign.username, PASSWORD).await;
    let (code, body) = call(&app, &foreign, Method::GET, &path, None).await;
    assert_eq!(code, 404, "{body}");
    let floor = app.login(&floor.username, PASSWORD).await;
    assert_eq!(call(&app, &floor, Method::GET, &path, None).await.0, 403);
    let missing = format!("/api/people/{}/retention", Uuid::new_v4());
    assert_eq!(call(&app, &staff, Method::GET, &missing, None).await.0, 404);

    for (reason, field) in [
        ("   ", "required"),
        (&*"x".repeat(301), "too_long"),
        ("kept for\u{0} a claim", "invalid_characters"),
    ] {
        let refused = expect(
            &app,
            &staff,
            Method::PUT,
            &hold_path,
            Some(json!({ "reason": reason })),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
        assert_eq!(refused["error"]["fields"]["reason"], field);
    }
    let held = expect(
        &app,
        &staff,
        Method::PUT,
        &hold_path,
        Some(json!({"reason": "  Insurance claim  "})),
        StatusCode::OK,
    )
    .await;
    assert_eq!(held["hold"]["reason"], "Insurance claim");
    assert_eq!(held["hold"]["by"]["id"], manager.id.to_string());
    assert_eq!(held["hold"]["by"]["name"], "Test manager");
    assert!(held["hold"]["since"].is_string());
    assert_eq!(held["erasesAfter"], Value::Null);
    let lifted = expect(
        &app,
        &staff,
        Method::DELETE,
        &hold_path,
        None,
        StatusCode::OK,
    )
    .await;
    assert_eq!(lifted["hold"], Value::Null);
    assert_eq!(lifted["erasesAfter"], status["erasesAfter"]);
    // Lifting nothing changes nothing and writes no audit line.
    expect(
        &app,
        &staff,
        Method::DELETE,
        &hold_path,
        None,
        StatusCode::OK,
    )
    .await;
    assert_eq!(app.audit_count("retention.hold_set").await, 1);
    assert_eq!(app.audit_count("retention.hold_removed").await, 1);
    let trail: String = app
        .pg
        .get()
        .await
        .unwrap()
        .query_one(
            "SELECT string_agg(details::text, ' ') FROM audit_log WHERE action LIKE 'retention.%'",
            &[],
        )
        .await
        .unwrap()
        .get(0);
    assert!(
        !trail.contains("Insurance"),
        "the reason stays out of the audit log"
    );

    // An open application: no rule applies.
    app.seed_application(person, elsewhere.id).await;
    let open = expect(&app, &staff, Method::GET, &path, None, StatusCode::OK).await;
    assert_eq!(open["erasesAfter"], Value::Null);
}

#[tokio::test]
async fn public_settings_are_anonymous_cacheable_and_come_from_the_configuration() {
    let mut vars = test_vars().await;
    vars.insert("RETENTION_DAYS".into(), "90".into());
    vars.insert("CREWPLOTS__DOCUMENTS__MAX_BYTES".into(), "5242880".into());
    let app = spawn_app_with(vars).await;
    app.wait_until_ready(std::time::Duration::from_secs(20))
        .await;
    let response = reqwest::get(app.url("/api/settings/public")).await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["cache-control"], "public, max-age=300");
    let settings: Value = response.json().await.unwrap();
    assert_eq!(
        settings,
        json!({
            "privacyNoticeVersion": crewplots_domain::accounts::PRIVACY_NOTICE_VERSION,
            "retentionDays": 90,
            "maxUploadBytes": 5_242_880,
        })
    );
}

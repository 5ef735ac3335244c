//! `seed-demo`: the seeded organisation is what the API shows — a board with every kind of card, sealed
//! profiles, notes, letters and CVs that open — the printed passwords log in, and a second run leaves an
//! installation with locations alone.

use crewplots_domain::Role;
use crewplots_server::seed::{self, SeedOptions};
use crewplots_server::settings::Settings;
use secrecy::ExposeSecret;
use serde_json::Value;

use crate::support::spawn_app;

async fn json(response: reqwest::Response) -> Value {
    let status = response.status();
    let text = response.text().await.unwrap();
    assert_eq!(status, 200, "{text}");
    serde_json::from_str(&text).unwrap()
}

#[tokio::test]
async fn the_demo_organisation_is_seeded_once_and_readable_through_the_api() {
    let app = spawn_app().await;
    let settings = Settings::load_from(&app.vars, None).unwrap();

    let report = seed::run(&settings, SeedOptions::default()).await.unwrap();
    assert!(!report.skipped);
    assert_eq!((report.locations, report.applications), (2, 20));
    assert!(report.notes > 0 && report.documents > 0 && report.letters > 0);
    let account = |role: Role| {
        report
            .accounts
            .iter()
            .find(|a| a.role == role)
            .unwrap_or_else(|| panic!("no demo {role:?}"))
    };
    let manager = account(Role::Manager);
    assert_eq!(report.accounts.len(), 4);
    // The report's Debug never shows a password.
    assert!(!format!("{report:?}").contains(manager.password.expose_secret()));

    // Every printed password logs in.
    for demo in &report.accounts {
        app.login(&demo.username, demo.password.expose_secret())
            .await;
    }
    let client = app
        .login(&manager.username, manager.password.expose_secret())
        .await;

    let board = json(
        client
            .get(app.url("/api/applications/board"))
            .send()
            .await
            .unwrap(),
    )
    .await;
    // Every seeded crew member was hired through an application too.
    let total = (report.applications + report.crew) as i64;
    assert_eq!(board["total"], total, "{board}");
    let columns = board["columns"].as_array().unwrap();
    let filled: Vec<&str> = columns
        .iter()
        .filter(|c| c["count"].as_i64().unwrap() > 0)
        .map(|c| c["status"].as_str().unwrap())
        .collect();
    for status in [
        "new",
        "contacted",
        "interviewed",
        "short_listed",
        "hired",
        "rejected",
        "withdrawn",
    ] {
        assert!(filled.contains(&status), "no {status} card: {filled:?}");
    }
    let cards: Vec<&Value> = columns
        .iter()
        .flat_map(|c| c["cards"].as_array().unwrap())
        .collect();
    assert_eq!(cards.len() as i64, total);
    let locations: std::collections::HashSet<&str> = cards
        .iter()
        .map(|c| c["location"]["name"].as_str().unwrap())
        .collect();
    assert_eq!(locations.len(), 2, "{locations:?}");
    assert!(cards.iter().any(|c| c["notesCount"].as_i64().unwrap() > 0));
    assert!(cards
        .iter()
        .any(|c| c["documentsCount"].as_i64().unwrap() > 0));
    assert!(cards.iter().any(|c| !c["nextInterview"].is_null()));

    // A hired applicant's card: its whole path is in the history, its note, CV and letter open.
    let mut detail = Value::Null;
    for hired in cards.iter().filter(|c| c["status"] == "hired") {
        let candidate = json(
            client
                .get(app.url(&format!(
                    "/api/applications/{}",
                    hired["id"].as_str().unwrap()
                )))
                .send()
                .await
                .unwrap(),
        )
        .await;
        if !candidate["interviews"].as_array().unwrap().is_empty() {
            detail = candidate;
            break;
        }
    }
    let phone = detail["applicant"]["sensitive"]["phone"].as_str().unwrap();
    assert!(phone.starts_with("+31 6 "), "{detail}");
    assert!(!detail["applicant"]["sensitive"]["address"].is_null());
    assert_eq!(detail["applicant"]["role"], "crew_member");
    let path: Vec<&str> = detail["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["to"].as_str().unwrap())
        .collect();
    assert_eq!(
        path,
        ["new", "contacted", "interviewed", "short_listed", "hired"]
    );
    let interviews = detail["interviews"].as_array().unwrap();
    assert_eq!(interviews[0]["outcome"], "passed", "{detail}");

    // Every seeded note body and letter decrypts; the CVs download as PDFs.
    let mut notes_seen = 0;
    let mut letters_seen = 0;
    let mut documents_seen = 0;
    for card in &cards {
        let id = card["id"].as_str().unwrap();
        let detail = json(
            client
                .get(app.url(&format!("/api/applications/{id}")))
                .send()
                .await
                .unwrap(),
        )
        .await;
        for note in detail["notes"].as_array().unwrap() {
            assert_eq!(note["bodyStatus"], "ok", "{note}");
            assert!(note["html"].as_str().unwrap().starts_with("<p>"));
            notes_seen += 1;
        }
        if detail["hasMotivationLetter"] == true {
            let letter = json(
                client
                    .get(app.url(&format!("/api/applications/{id}/letter")))
                    .send()
                    .await
                    .unwrap(),
            )
            .await;
            assert!(letter["html"].as_str().unwrap().contains("Dear team"));
            letters_seen += 1;
        }
        for document in detail["documents"].as_array().unwrap() {
            let response = client
                .get(app.url(&format!(
                    "/api/documents/{}/content",
                    document["id"].as_str().unwrap()
                )))
                .send()
                .await
                .unwrap();
            assert_eq!(response.status(), 200);
            assert!(response.bytes().await.unwrap().starts_with(b"%PDF-1.4"));
            documents_seen += 1;
        }
    }
    assert_eq!(notes_seen, report.notes);
    assert_eq!(letters_seen, report.letters);
    assert_eq!(documents_seen, report.documents);

    // The database now has locations: a second run writes nothing.
    let again = seed::run(&settings, SeedOptions::default()).await.unwrap();
    assert!(again.skipped);
    assert!(again.accounts.is_empty());
    let board = json(
        client
            .get(app.url("/api/applications/board"))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(board["total"], total);
}

#[tokio::test]
async fn the_demo_schedules_are_published_filled_through_the_rules_and_visible_to_crew() {
    let app = spawn_app().await;
    let settings = Settings::load_from(&app.vars, None).unwrap();
    let report = seed::run(&settings, SeedOptions::default()).await.unwrap();
    assert_eq!(report.crew, 16);
    assert_eq!(report.weeks, 6);
    assert!(report.assignments > 100, "{report:?}");
    let manager = report
        .accounts
        .iter()
        .find(|a| a.role == Role::Manager)
        .unwrap();
    let client = app
        .login(&manager.username, manager.password.expose_secret())
        .await;
    let locations = json(client.get(app.url("/api/locations")).send().await.unwrap()).await;
    let location = locations[0]["id"].as_str().unwrap();
    let weeks = json(
        client
            .get(app.url(&format!("/api/locations/{location}/weeks")))
            .send()
            .await
            .unwrap(),
    )
    .await;
    let weeks = weeks.as_array().unwrap();
    assert_eq!(weeks.len(), 3, "{weeks:?}");
    let states: Vec<&str> = weeks
        .iter()
        .map(|w| w["week"]["status"].as_str().unwrap())
        .collect();
    assert_eq!(states, ["published", "published", "draft"]);
    let this_week = &weeks[1];
    assert!(
        this_week["filled"].as_i64().unwrap() < this_week["slots"].as_i64().unwrap(),
        "open slots"
    );
    let iso = this_week["week"]["isoWeek"].as_str().unwrap();
    let grid = json(
        client
            .get(app.url(&format!("/api/locations/{location}/weeks/{iso}")))
            .send()
            .await
            .unwrap(),
    )
    .await;
    let overnight = grid["shifts"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["localEnd"].as_str() < s["localStart"].as_str())
        .count();
    assert!(overnight >= 7, "an overnight bar shift every day");
    assert!(grid["coverage"]
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c["open"].as_i64().unwrap() > 0));
    // No seeded assignment needed an override: the rules allowed every one.
    assert!(grid["shifts"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["assignments"].as_array().unwrap())
        .all(|a| a["overridden"].as_array().unwrap().is_empty()));
    // The crew member's printed password logs in and shows the published week.
    let crew = report
        .accounts
        .iter()
        .find(|a| a.role == Role::CrewMember)
        .unwrap();
    let crew_client = app
        .login(&crew.username, crew.password.expose_secret())
        .await;
    let me = json(
        crew_client
            .get(app.url("/api/auth/me"))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(me["role"], "crew_member");
    let schedule = json(
        crew_client
            .get(app.url(&format!("/api/locations/{location}/schedule/{iso}")))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert!(!schedule["shifts"].as_array().unwrap().is_empty());
}

//! The audit viewer and its export through the HTTP API (issue 14 C): who sees which rows (a manager never
//! another venue's rows nor location-less ones; administrators everything), the filters, keyset pagination
//! without gaps or repeats, names joined from users (null once erased), and the CSV export of the same.

use std::collections::HashSet;

use crewplots_domain::accounts::AuditEvent;
use crewplots_domain::ports::AuditLog;
use crewplots_domain::Role;
use reqwest::{Method, StatusCode};
use serde_json::Value;
use uuid::Uuid;

use crate::exports::download;
use crate::scheduling::call;
use crate::support::{spawn_app, TestApp, PASSWORD};

const AUDIT_HEADER: &[&str] = &[
    "occurred_at",
    "action",
    "actor_id",
    "actor_name",
    "subject_type",
    "subject_id",
    "location",
    "ip",
    "details",
];

async fn record(app: &TestApp, event: AuditEvent) {
    app.store().record(event).await.unwrap();
}

/// Every item of the viewer for `query`, following the cursor `limit` at a time.
async fn all_pages(app: &TestApp, client: &reqwest::Client, query: &str, limit: u32) -> Vec<Value> {
    let mut items = Vec::new();
    let mut cursor: Option<String> = None;
    for _ in 0..100 {
        let mut path = format!("/api/audit?limit={limit}&{query}");
        if let Some(cursor) = &cursor {
            path.push_str(&format!("&cursor={cursor}"));
        }
        let (status, page) = call(app, client, Method::GET, &path, None).await;
        assert_eq!(status, StatusCode::OK, "{path}: {page}");
        let batch = page["items"].as_array().unwrap();
        assert!(batch.len() <= limit as usize);
        items.extend(batch.iter().cloned());
        match page["nextCursor"].as_str() {
            Some(next) => cursor = Some(next.to_string()),
            None => return items,
        }
    }
    panic!("the cursor never ended");
}

#[tokio::test]
async fn the_audit_viewer_scopes_filters_and_pages() {
    let app = spawn_app().await;
    let a = app.seed_location("Venue A").await;
    let b = app.seed_location("Venue B").await;
    let manager = app.seed_user(Role::Manager, &[a.id]).await;
    let admin = app.seed_user(Role::Administrator, &[]).await;
    let floor = app.seed_user(Role::FloorManager, &[a.id]).await;
    let crew = app.seed_user(Role::CrewMember, &[a.id]).await;
    let erased = Uuid::new_v4();
    for n in 0..7 {
        record(
            &app,
            AuditEvent::new(if n % 2 == 0 {
                "schedule.published"
            } else {
                "schedule.assigned"
            })
            .actor(Some(if n == 0 { erased } else { manager.id }))
            .subject("user", crew.id)
            .location(a.id)
            .ip(Some("203.0.113.7".parse().unwrap()))
            .detail("week", format!("2026-W{:02}", 10 + n)),
        )
        .await;
    }
    for _ in 0..2 {
        record(
            &app,
            AuditEvent::new("schedule.published")
                .actor(Some(admin.id))
                .location(b.id),
        )
        .await;
    }
    record(&app, AuditEvent::new("key.rotated").actor(Some(admin.id))).await;
    let manager_client = app.login(&manager.username, PASSWORD).await;
    let admin_client = app.login(&admin.username, PASSWORD).await;

    // The manager pages through exactly the seven rows of venue A, newest first, without repeats.
    let items = all_pages(&app, &manager_client, "", 3).await;
    assert!(
        items
            .iter()
            .all(|i| i["location"]["id"] == a.id.to_string()),
        "only venue A: {items:?}"
    );
    let at_a: Vec<&Value> = items
        .iter()
        .filter(|i| i["action"].as_str().unwrap().starts_with("schedule."))
        .collect();
    assert_eq!(at_a.len(), 7);
    let ids: HashSet<&str> = items.iter().map(|i| i["id"].as_str().unwrap()).collect();
    assert_eq!(ids.len(), items.len(), "no row twice");
    let times: Vec<&str> = items
        .iter()
        .map(|i| i["occurredAt"].as_str().unwrap())
        .collect();
    let mut sorted = times.clone();
    sorted.sort_by(|x, y| y.cmp(x));
    assert_eq!(times, sorted, "newest first");

    // The shape: names joined from users, null for an erased actor.
    let newest = &at_a[0];
    assert_eq!(newest["actor"]["id"], manager.id.to_string());
    assert_eq!(newest["actor"]["name"], "Test manager");
    assert_eq!(newest["subject"]["type"], "user");
    assert_eq!(newest["subject"]["id"], crew.id.to_string());
    assert_eq!(newest["subject"]["name"], "Test crew_member");
    assert_eq!(newest["location"]["name"], "Venue A");
    assert_eq!(newest["ip"], "203.0.113.7");
    assert_eq!(newest["details"]["week"], "2026-W16");
    let oldest = at_a.last().unwrap();
    assert_eq!(oldest["actor"]["id"], erased.to_string());
    assert!(oldest["actor"]["name"].is_null());

    // Administrators see every venue and rows without a location.
    let everything = all_pages(&app, &admin_client, "", 50).await;
    assert!(everything
        .iter()
        .any(|i| i["location"]["id"] == b.id.to_string()));
    assert!(everything
        .iter()
        .any(|i| i["location"].is_null() && i["action"] == "key.rotated"));

    // Filters.
    let count = |client: &reqwest::Client, query: &'static str| {
        let app = &app;
        let client = client.clone();
        async move { all_pages(app, &client, query, 200).await.len() }
    };
    assert_eq!(count(&manager_client, "action=schedule.").await, 7);
    assert_eq!(count(&manager_client, "action=schedule.published").await, 4);
    assert_eq!(
        count(&manager_client, "action=schedule").await,
        0,
        "no dot: exact"
    );
    assert_eq!(count(&admin_client, "action=schedule.published").await, 6);
    assert_eq!(
        all_pages(&app, &manager_client, &format!("actor={erased}"), 10)
            .await
            .len(),
        1
    );
    assert_eq!(
        all_pages(&app, &manager_client, &format!("subject={}", crew.id), 10)
            .await
            .len(),
        7
    );
    assert_eq!(
        all_pages(
            &app,
            &admin_client,
            &format!("location={}&action=schedule.", b.id),
            10
        )
        .await
        .len(),
        2
    );
    let now = chrono::Utc::now();
    let before =
        (now - chrono::Duration::hours(1)).to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let after =
        (now + chrono::Duration::hours(1)).to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    assert_eq!(
        all_pages(
            &app,
            &manager_client,
            &format!("action=schedule.&from={before}&to={after}"),
            10
        )
        .await
        .len(),
        7
    );
    assert!(
        all_pages(&app, &manager_client, &format!("to={before}"), 10)
            .await
            .is_empty()
    );
    assert!(
        all_pages(&app, &manager_client, &format!("from={after}"), 10)
            .await
            .is_empty()
    );

    // Refusals: another venue is invisible, bad values are named, other roles are forbidden.
    let (status, _) = call(
        &app,
        &manager_client,
        Method::GET,
        &format!("/api/audit?location={}", b.id),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, body) = call(
        &app,
        &manager_client,
        Method::GET,
        "/api/audit?from=yesterday",
        None,
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body["error"]["fields"]["from"].is_string());
    let (status, body) = call(
        &app,
        &manager_client,
        Method::GET,
        "/api/audit?cursor=%25%25",
        None,
    )
    .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (StatusCode::BAD_REQUEST, Some("invalid_cursor"))
    );
    for who in [&floor, &crew] {
        let client = app.login(&who.username, PASSWORD).await;
        let (status, _) = call(&app, &client, Method::GET, "/api/audit", None).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (status, _) = call(&app, &client, Method::GET, "/api/exports/audit", None).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
    }

    // The export: same scoping and filters, as CSV.
    let csv = download(
        &app,
        &manager_client,
        "/api/exports/audit?action=schedule.",
        b',',
        "audit",
    )
    .await;
    assert_eq!(csv.header, AUDIT_HEADER);
    assert_eq!(csv.rows.len(), 7);
    assert!(csv
        .rows
        .iter()
        .all(|r| r[csv.column("location")] == "Venue A"));
    let newest = &csv.rows[0];
    assert_eq!(newest[csv.column("action")], "schedule.published");
    assert_eq!(newest[csv.column("actor_id")], manager.id.to_string());
    assert_eq!(newest[csv.column("actor_name")], "Test manager");
    assert_eq!(newest[csv.column("subject_type")], "user");
    assert_eq!(newest[csv.column("subject_id")], crew.id.to_string());
    assert_eq!(newest[csv.column("ip")], "203.0.113.7");
    let details: Value = serde_json::from_str(&newest[csv.column("details")]).unwrap();
    assert_eq!(details["week"], "2026-W16");
    chrono::DateTime::parse_from_rfc3339(&newest[csv.column("occurred_at")]).unwrap();
    let csv = download(
        &app,
        &admin_client,
        "/api/exports/audit?delimiter=semicolon",
        b';',
        "audit",
    )
    .await;
    assert_eq!(csv.header, AUDIT_HEADER);
    assert!(csv
        .rows
        .iter()
        .any(|r| r[csv.column("action")] == "key.rotated"));
    assert!(csv
        .rows
        .iter()
        .any(|r| r[csv.column("location")] == "Venue B"));
    // The manager's export was audited at no location (it had no location filter): they cannot see it.
    let exports = all_pages(&app, &manager_client, "action=export.downloaded", 10).await;
    assert!(exports.is_empty());
    assert_eq!(app.audit_count("export.downloaded").await, 2);
}

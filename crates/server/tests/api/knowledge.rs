//! The knowledge base (issue 15): scoping by location, drafts, group-wide articles, versions and conflicts,
//! publication audit lines, the must-read flow, Dutch and English search, hostile queries, images and the
//! article sanitizer, categories.

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use uuid::Uuid;

use crate::scheduling::call;
use crate::support::{send_json, spawn_app, TestApp, PASSWORD};
use crewplots_domain::Role;

async fn get(app: &TestApp, client: &reqwest::Client, path: &str) -> (StatusCode, Value) {
    call(app, client, Method::GET, path, None).await
}

async fn post(
    app: &TestApp,
    client: &reqwest::Client,
    path: &str,
    body: Value,
) -> (StatusCode, Value) {
    call(app, client, Method::POST, path, Some(body)).await
}

async fn put(
    app: &TestApp,
    client: &reqwest::Client,
    path: &str,
    body: Value,
) -> (StatusCode, Value) {
    call(app, client, Method::PUT, path, Some(body)).await
}

/// Writes an article and returns its id; `publish` publishes it too.
async fn article(
    app: &TestApp,
    client: &reqwest::Client,
    location: Option<Uuid>,
    title: &str,
    body: &str,
    must_read: bool,
    publish: bool,
) -> Uuid {
    let (status, created) = post(
        app,
        client,
        "/api/knowledge/articles",
        json!({"locationId": location, "title": title, "bodyHtml": body, "mustRead": must_read}),
    )
    .await;
    assert_eq!(status, 201, "{created}");
    let id: Uuid = created["article"]["id"].as_str().unwrap().parse().unwrap();
    if publish {
        let (status, body) = post(
            app,
            client,
            &format!("/api/knowledge/articles/{id}/publish"),
            json!({}),
        )
        .await;
        assert_eq!(status, 200, "{body}");
    }
    id
}

fn ids(list: &Value) -> Vec<String> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_str().unwrap().to_string())
        .collect()
}

struct World {
    app: TestApp,
    a: Uuid,
    b: Uuid,
    admin: reqwest::Client,
    manager_a: reqwest::Client,
    crew_a: reqwest::Client,
    crew_a_id: Uuid,
    crew_b: reqwest::Client,
}

async fn world() -> World {
    let app = spawn_app().await;
    let a = app.seed_location("Venue A").await.id;
    let b = app.seed_location("Venue B").await.id;
    let admin = app.seed_user(Role::Administrator, &[]).await;
    let manager_a = app.seed_user(Role::Manager, &[a]).await;
    let crew_a = app.seed_user(Role::CrewMember, &[a]).await;
    let crew_b = app.seed_user(Role::CrewMember, &[b]).await;
    World {
        admin: app.login(&admin.username, PASSWORD).await,
        manager_a: app.login(&manager_a.username, PASSWORD).await,
        crew_a: app.login(&crew_a.username, PASSWORD).await,
        crew_a_id: crew_a.id,
        crew_b: app.login(&crew_b.username, PASSWORD).await,
        app,
        a,
        b,
    }
}

#[tokio::test]
async fn crew_see_published_articles_of_their_venue_and_group_wide_ones_only() {
    let w = world().await;
    let app = &w.app;
    let draft = article(
        app,
        &w.manager_a,
        Some(w.a),
        "Draft at A",
        "<p>Secret plan</p>",
        false,
        false,
    )
    .await;
    let published = article(
        app,
        &w.manager_a,
        Some(w.a),
        "Open at A",
        "<p>Bar rules</p>",
        false,
        true,
    )
    .await;
    let at_b = article(
        app,
        &w.admin,
        Some(w.b),
        "Open at B",
        "<p>B rules</p>",
        false,
        true,
    )
    .await;
    let group = article(
        app,
        &w.admin,
        None,
        "House rules",
        "<p>For everyone</p>",
        false,
        true,
    )
    .await;

    // Drafts and other venues' articles do not exist for crew.
    assert_eq!(
        get(app, &w.crew_a, &format!("/api/knowledge/articles/{draft}"))
            .await
            .0,
        404
    );
    assert_eq!(
        get(app, &w.crew_a, &format!("/api/knowledge/articles/{at_b}"))
            .await
            .0,
        404
    );
    assert_eq!(
        get(
            app,
            &w.manager_a,
            &format!("/api/knowledge/articles/{at_b}")
        )
        .await
        .0,
        404
    );
    assert_eq!(
        get(
            app,
            &w.crew_a,
            &format!("/api/knowledge/articles/{published}")
        )
        .await
        .0,
        200
    );
    let (status, body) = get(app, &w.crew_b, &format!("/api/knowledge/articles/{group}")).await;
    assert_eq!(status, 200);
    assert_eq!(body["canEdit"], false);

    let (_, list) = get(app, &w.crew_a, "/api/knowledge/articles").await;
    let seen = ids(&list["items"]);
    assert!(seen.contains(&published.to_string()) && seen.contains(&group.to_string()));
    assert!(!seen.contains(&draft.to_string()) && !seen.contains(&at_b.to_string()));
    let (_, list) = get(app, &w.crew_a, "/api/knowledge/articles?state=draft").await;
    assert_eq!(list["items"], json!([]));
    let (_, list) = get(app, &w.manager_a, "/api/knowledge/articles?state=draft").await;
    assert_eq!(ids(&list["items"]), vec![draft.to_string()]);
    let (_, list) = get(app, &w.crew_b, "/api/knowledge/articles").await;
    let seen = ids(&list["items"]);
    assert!(seen.contains(&at_b.to_string()) && seen.contains(&group.to_string()));
    assert_eq!(seen.len(), 2);
    assert_eq!(
        get(
            app,
            &w.crew_a,
            &format!("/api/knowledge/articles?location={}", w.b)
        )
        .await
        .0,
        404
    );
    // Pages follow the cursor without repeating.
    let (_, first) = get(app, &w.admin, "/api/knowledge/articles?limit=2").await;
    let cursor = first["nextCursor"].as_str().unwrap();
    let (_, second) = get(
        app,
        &w.admin,
        &format!("/api/knowledge/articles?limit=2&cursor={cursor}"),
    )
    .await;
    let mut all = ids(&first["items"]);
    all.extend(ids(&second["items"]));
    all.sort();
    all.dedup();
    assert_eq!(all.len(), 4);

    // Crew never write; managers not group-wide; applicants never read.
    let body = json!({"expectedVersion": 1, "title": "X", "bodyHtml": "<p>x</p>"});
    assert_eq!(
        put(
            app,
            &w.crew_a,
            &format!("/api/knowledge/articles/{published}"),
            body.clone()
        )
        .await
        .0,
        403
    );
    assert_eq!(
        put(
            app,
            &w.manager_a,
            &format!("/api/knowledge/articles/{group}"),
            body
        )
        .await
        .0,
        403
    );
    let (status, _) = post(
        app,
        &w.manager_a,
        "/api/knowledge/articles",
        json!({"title": "Group", "bodyHtml": "<p>x</p>"}),
    )
    .await;
    assert_eq!(status, 403);
    let (status, _) = post(
        app,
        &w.manager_a,
        "/api/knowledge/articles",
        json!({"locationId": w.b, "title": "Elsewhere", "bodyHtml": "<p>x</p>"}),
    )
    .await;
    assert_eq!(status, 404);
    let (status, body) = post(
        app,
        &w.admin,
        "/api/knowledge/articles",
        json!({"locationId": Uuid::new_v4(), "title": "Nowhere", "bodyHtml": "<p>x</p>"}),
    )
    .await;
    assert_eq!(
        (status, body["error"]["fields"]["locationId"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("unknown_location"))
    );
    let applicant = app.seed_user(Role::Applicant, &[]).await;
    let applicant = app.login(&applicant.username, PASSWORD).await;
    assert_eq!(get(app, &applicant, "/api/knowledge/articles").await.0, 403);
    assert_eq!(
        get(app, &applicant, &format!("/api/knowledge/articles/{group}"))
            .await
            .0,
        403
    );
    // Bad input answers 422 with fields.
    let (status, body) = post(
        app,
        &w.manager_a,
        "/api/knowledge/articles",
        json!({"locationId": w.a, "title": " ", "bodyHtml": "<script>x</script>"}),
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(body["error"]["fields"]["title"], "required");
    assert_eq!(body["error"]["fields"]["bodyHtml"], "required");
}

#[tokio::test]
async fn every_save_is_a_version_and_a_stale_save_conflicts() {
    let w = world().await;
    let app = &w.app;
    let id = article(
        app,
        &w.manager_a,
        Some(w.a),
        "Opening",
        "<p>Lights on</p>",
        false,
        false,
    )
    .await;
    let path = format!("/api/knowledge/articles/{id}");
    let (status, saved) = put(app, &w.manager_a, &path,
        json!({"expectedVersion": 1, "title": "Opening the bar", "bodyHtml": "<p>Lights on, music on</p>"})).await;
    assert_eq!(status, 200, "{saved}");
    assert_eq!(saved["article"]["version"], 2);
    let (status, stale) = put(
        app,
        &w.admin,
        &path,
        json!({"expectedVersion": 1, "title": "Lost", "bodyHtml": "<p>Lost</p>"}),
    )
    .await;
    assert_eq!(status, 409);
    assert_eq!(stale["error"]["code"], "version_conflict");
    assert_eq!(stale["error"]["fields"]["currentVersion"], "2");

    let (status, versions) = get(app, &w.manager_a, &format!("{path}/versions")).await;
    assert_eq!(status, 200);
    let versions = versions.as_array().unwrap();
    assert_eq!(versions.len(), 2);
    assert_eq!(versions[0]["version"], 2);
    assert_eq!(versions[0]["title"], "Opening the bar");
    assert_eq!(versions[1]["savedBy"]["name"], "Test manager");
    let (status, first) = get(app, &w.manager_a, &format!("{path}/versions/1")).await;
    assert_eq!(status, 200);
    assert_eq!(first["title"], "Opening");
    assert_eq!(first["bodyHtml"], "<p>Lights on</p>");
    assert_eq!(
        get(app, &w.manager_a, &format!("{path}/versions/9"))
            .await
            .0,
        404
    );
    // Crew never see the history, not even of a published article.
    post(app, &w.manager_a, &format!("{path}/publish"), json!({})).await;
    assert_eq!(
        get(app, &w.crew_a, &format!("{path}/versions")).await.0,
        403
    );
    assert_eq!(
        get(app, &w.crew_b, &format!("{path}/versions/1")).await.0,
        403
    );
}

#[tokio::test]
async fn publishing_unpublishing_and_deleting_are_audited_with_the_location() {
    let w = world().await;
    let app = &w.app;
    let id = article(
        app,
        &w.manager_a,
        Some(w.a),
        "Fire exits",
        "<p>Keep free</p>",
        true,
        true,
    )
    .await;
    assert_eq!(app.audit_count("knowledge.must_read_published").await, 1);
    let plain = article(
        app,
        &w.manager_a,
        Some(w.a),
        "Menu",
        "<p>Soup</p>",
        false,
        true,
    )
    .await;
    assert_eq!(app.audit_count("knowledge.article.published").await, 1);
    let client = app.pg.get().await.unwrap();
    let row = client
        .query_one(
            "SELECT location_id, details->>'mustRead', details->>'title' FROM audit_log
             WHERE action = 'knowledge.must_read_published' AND subject_id = $1",
            &[&id],
        )
        .await
        .unwrap();
    assert_eq!(row.get::<_, Option<Uuid>>(0), Some(w.a));
    assert_eq!(row.get::<_, String>(1), "true");
    assert_eq!(row.get::<_, String>(2), "Fire exits");

    let (status, body) = post(
        app,
        &w.manager_a,
        &format!("/api/knowledge/articles/{plain}/unpublish"),
        json!({}),
    )
    .await;
    assert_eq!(
        (status, body["article"]["state"].as_str()),
        (StatusCode::OK, Some("draft"))
    );
    assert_eq!(app.audit_count("knowledge.article.unpublished").await, 1);
    assert_eq!(
        get(app, &w.crew_a, &format!("/api/knowledge/articles/{plain}"))
            .await
            .0,
        404
    );
    let response = w
        .manager_a
        .delete(app.url(&format!("/api/knowledge/articles/{plain}")))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 204);
    assert_eq!(app.audit_count("knowledge.article.deleted").await, 1);
    assert_eq!(
        get(
            app,
            &w.manager_a,
            &format!("/api/knowledge/articles/{plain}")
        )
        .await
        .0,
        404
    );
    // The audit viewer finds them by prefix.
    let (_, page) = get(app, &w.manager_a, "/api/audit?action=knowledge.").await;
    assert_eq!(page["items"].as_array().unwrap().len(), 4, "{page}");
}

#[tokio::test]
async fn crew_confirm_must_read_articles_and_the_managers_list_follows() {
    let w = world().await;
    let app = &w.app;
    let floor = app.seed_user(Role::FloorManager, &[w.a]).await;
    let floor = app.login(&floor.username, PASSWORD).await;
    let other = app.seed_user(Role::CrewMember, &[w.a]).await;
    let id = article(
        app,
        &w.manager_a,
        Some(w.a),
        "Allergens",
        "<p>Ask every guest</p>",
        true,
        true,
    )
    .await;
    let status_path = format!("/api/knowledge/articles/{id}/read-status");

    let (status, read) = get(app, &w.manager_a, &status_path).await;
    assert_eq!(status, 200, "{read}");
    assert_eq!(
        read["pendingCount"], 3,
        "two crew members and the floor manager: {read}"
    );
    assert_eq!(read["confirmedCount"], 0);

    let (_, mine) = get(app, &w.crew_a, "/api/knowledge/must-read").await;
    assert_eq!(ids(&mine), vec![id.to_string()]);
    let (_, viewed) = get(app, &w.crew_a, &format!("/api/knowledge/articles/{id}")).await;
    assert_eq!(viewed["needsMyConfirmation"], true);
    let confirm = format!("/api/knowledge/articles/{id}/confirm-read");
    let (status, body) = post(app, &w.crew_a, &confirm, json!({"version": 7})).await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (StatusCode::CONFLICT, Some("version_conflict"))
    );
    let (status, body) = post(app, &w.crew_a, &confirm, json!({"version": 1})).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["version"], 1);
    let (_, mine) = get(app, &w.crew_a, "/api/knowledge/must-read").await;
    assert_eq!(mine, json!([]));
    let (_, read) = get(app, &w.manager_a, &status_path).await;
    assert_eq!(read["pendingCount"], 2);
    assert_eq!(read["confirmed"][0]["id"], w.crew_a_id.to_string());
    assert!(read["pending"]
        .as_array()
        .unwrap()
        .iter()
        .any(|p| p["id"] == other.id.to_string()));

    // A material change asks everybody again.
    let (status, saved) = put(app, &w.manager_a, &format!("/api/knowledge/articles/{id}"),
        json!({"expectedVersion": 1, "title": "Allergens", "bodyHtml": "<p>Ask every guest, and note it</p>",
               "mustRead": true, "requireReconfirmation": true})).await;
    assert_eq!(status, 200, "{saved}");
    assert_eq!(saved["confirmFromVersion"], 2);
    assert_eq!(
        app.audit_count("knowledge.must_read_reconfirmation").await,
        1
    );
    let (_, mine) = get(app, &w.crew_a, "/api/knowledge/must-read").await;
    assert_eq!(ids(&mine), vec![id.to_string()]);
    let (_, read) = get(app, &w.manager_a, &status_path).await;
    assert_eq!(read["pendingCount"], 3);
    let earlier = read["pending"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == w.crew_a_id.to_string())
        .unwrap();
    assert_eq!(
        earlier["confirmation"]["version"], 1,
        "the older confirmation is shown: {read}"
    );
    // A small fix keeps confirmations.
    post(app, &w.crew_a, &confirm, json!({})).await;
    put(app, &w.manager_a, &format!("/api/knowledge/articles/{id}"),
        json!({"expectedVersion": 2, "title": "Allergens", "bodyHtml": "<p>Ask every guest, and note it.</p>",
               "mustRead": true})).await;
    let (_, read) = get(app, &w.manager_a, &status_path).await;
    assert_eq!(read["confirmedCount"], 1);

    // Who may do what.
    assert_eq!(get(app, &floor, &status_path).await.0, 403);
    assert_eq!(get(app, &w.crew_a, &status_path).await.0, 403);
    assert_eq!(post(app, &w.crew_b, &confirm, json!({})).await.0, 404);
    let (_, manager_list) = get(app, &w.manager_a, "/api/knowledge/must-read").await;
    assert_eq!(manager_list, json!([]));
    let plain = article(
        app,
        &w.manager_a,
        Some(w.a),
        "Menu",
        "<p>Soup</p>",
        false,
        true,
    )
    .await;
    let (status, body) = post(
        app,
        &w.crew_a,
        &format!("/api/knowledge/articles/{plain}/confirm-read"),
        json!({}),
    )
    .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (StatusCode::CONFLICT, Some("not_must_read"))
    );
    // A group-wide must-read reaches crew of every venue; a manager sees only their own people.
    let group = article(
        app,
        &w.admin,
        None,
        "Code of conduct",
        "<p>Be kind</p>",
        true,
        true,
    )
    .await;
    let (_, mine) = get(app, &w.crew_b, "/api/knowledge/must-read").await;
    assert_eq!(ids(&mine), vec![group.to_string()]);
    let (_, read) = get(
        app,
        &w.manager_a,
        &format!("/api/knowledge/articles/{group}/read-status"),
    )
    .await;
    assert_eq!(read["pendingCount"], 3, "only venue A's people: {read}");
    let (_, read) = get(
        app,
        &w.admin,
        &format!("/api/knowledge/articles/{group}/read-status"),
    )
    .await;
    assert_eq!(read["pendingCount"], 4);
}

#[tokio::test]
async fn search_finds_dutch_and_english_words_by_their_stem_and_survives_hostile_queries() {
    let w = world().await;
    let app = &w.app;
    let dutch = article(
        app,
        &w.manager_a,
        Some(w.a),
        "Fietsen stallen",
        "<p>Zet je <strong>fietsen</strong> in het rek achter de keuken.</p>",
        false,
        true,
    )
    .await;
    let english = article(
        app,
        &w.manager_a,
        Some(w.a),
        "Coffee machine",
        "<p>Cleaning the steam wand after every shift keeps the milk fresh.</p>",
        false,
        true,
    )
    .await;
    let draft = article(
        app,
        &w.manager_a,
        Some(w.a),
        "Fiets draft",
        "<p>fiets</p>",
        false,
        false,
    )
    .await;
    let at_b = article(
        app,
        &w.admin,
        Some(w.b),
        "Fiets bij B",
        "<p>fietsen</p>",
        false,
        true,
    )
    .await;

    let found = |body: &Value| -> Vec<String> {
        body["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| h["article"]["id"].as_str().unwrap().to_string())
            .collect()
    };
    for (query, expected) in [
        ("fiets", dutch),
        ("fietsen", dutch),
        ("clean", english),
        ("cleaning", english),
        ("cleaned", english),
        ("keuken", dutch),
    ] {
        let (status, body) = get(app, &w.crew_a, &format!("/api/knowledge/search?q={query}")).await;
        assert_eq!(status, 200, "{query}: {body}");
        let hits = found(&body);
        assert_eq!(hits, vec![expected.to_string()], "{query}: {body}");
    }
    let (_, body) = get(app, &w.crew_a, "/api/knowledge/search?q=fiets").await;
    let snippet = body["items"][0]["snippet"].as_str().unwrap();
    assert!(
        snippet.contains('\u{2}') && !snippet.contains('<'),
        "{snippet}"
    );
    // English matches are highlighted too.
    let (_, body) = get(app, &w.crew_a, "/api/knowledge/search?q=cleaned").await;
    let snippet = body["items"][0]["snippet"].as_str().unwrap();
    assert!(snippet.contains("\u{2}Cleaning\u{3}"), "{snippet}");
    assert!(
        !found(&body).contains(&draft.to_string()) && !found(&body).contains(&at_b.to_string())
    );
    let (_, body) = get(app, &w.crew_b, "/api/knowledge/search?q=fiets").await;
    assert_eq!(found(&body), vec![at_b.to_string()]);
    assert_eq!(
        get(
            app,
            &w.crew_a,
            &format!("/api/knowledge/search?q=fiets&location={}", w.b)
        )
        .await
        .0,
        404
    );

    // Operators, quotes, stray tsquery syntax, NUL and other control characters: never an error.
    for query in [
        r#""fiets" OR -clean"#,
        "!!&|():*<->",
        "'",
        "\\",
        "%00fiets",
        "a:*B & !c",
        "or or or",
        "-",
        "\"\"\"",
        "%E2%80%AE",
    ] {
        let response = w
            .crew_a
            .get(app.url("/api/knowledge/search"))
            .query(&[("q", query)])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200, "{query}");
    }
    let (status, body) = get(app, &w.crew_a, "/api/knowledge/search?q=").await;
    assert_eq!((status, body["items"].clone()), (StatusCode::OK, json!([])));
    let long = "fiets ".repeat(2000);
    let response = w
        .crew_a
        .get(app.url("/api/knowledge/search"))
        .query(&[("q", &long[..10_000])])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 422);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"]["code"], "query_too_long");
    assert_eq!(body["error"]["fields"]["q"], "too_long");
    let response = w
        .crew_a
        .get(app.url("/api/knowledge/search"))
        .query(&[("q", &"x".repeat(200))])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
}

fn png() -> Vec<u8> {
    let mut bytes = vec![0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A];
    bytes.extend(std::iter::repeat_n(7u8, 500));
    bytes
}

async fn upload(
    app: &TestApp,
    client: &reqwest::Client,
    location: Option<Uuid>,
    bytes: Vec<u8>,
    name: &str,
) -> (StatusCode, Value) {
    let part = reqwest::multipart::Part::bytes(bytes)
        .file_name(name.to_string())
        .mime_str("image/png")
        .unwrap();
    let mut request = client
        .post(app.url("/api/knowledge/images"))
        .multipart(reqwest::multipart::Form::new().part("file", part));
    if let Some(location) = location {
        request = request.query(&[("location", location.to_string())]);
    }
    send_json(request).await
}

#[tokio::test]
async fn images_are_sniffed_scoped_and_the_only_images_articles_show() {
    let w = world().await;
    let app = &w.app;
    let (status, image) = upload(app, &w.manager_a, Some(w.a), png(), "till.png").await;
    assert_eq!(status, 201, "{image}");
    let url = image["url"].as_str().unwrap().to_string();
    let response = w.crew_a.get(app.url(&url)).send().await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "image/png");
    assert_eq!(response.headers()["x-content-type-options"], "nosniff");
    assert!(response.headers()["cache-control"]
        .to_str()
        .unwrap()
        .starts_with("private"));
    assert_eq!(response.bytes().await.unwrap().to_vec(), png());
    assert_eq!(
        w.crew_b.get(app.url(&url)).send().await.unwrap().status(),
        404
    );

    let (status, body) = upload(
        app,
        &w.manager_a,
        Some(w.a),
        b"GIF89a\x01\x00\x01\x00".to_vec(),
        "x.png",
    )
    .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (StatusCode::UNSUPPORTED_MEDIA_TYPE, Some("unsupported_type"))
    );
    let (status, _) = upload(
        app,
        &w.manager_a,
        Some(w.a),
        b"<html><script>alert(1)</script></html>".to_vec(),
        "x.png",
    )
    .await;
    assert_eq!(status, 415);
    let mut huge = png();
    huge.resize(5 * 1024 * 1024 + 10, 0);
    let (status, body) = upload(app, &w.manager_a, Some(w.a), huge, "big.png").await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (StatusCode::PAYLOAD_TOO_LARGE, Some("too_large"))
    );
    assert_eq!(
        upload(app, &w.crew_a, Some(w.a), png(), "x.png").await.0,
        403
    );
    assert_eq!(upload(app, &w.manager_a, None, png(), "x.png").await.0, 403);
    assert_eq!(
        upload(app, &w.manager_a, Some(w.b), png(), "x.png").await.0,
        404
    );
    let jpeg = [0xFF, 0xD8, 0xFF, 0xE0, 0, 16, b'J', b'F', b'I', b'F'].to_vec();
    let (status, image) = upload(app, &w.admin, None, jpeg, "x.jpg").await;
    assert_eq!(
        (status, image["contentType"].as_str()),
        (StatusCode::CREATED, Some("image/jpeg"))
    );
    assert_eq!(
        w.crew_b
            .get(app.url(image["url"].as_str().unwrap()))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );

    // The article keeps its own image and loses script, handlers and foreign images.
    let body = format!(
        r#"<h2>Till</h2><p onclick="steal()">Count <b>twice</b>.<script>alert(1)</script></p><p><img src="{url}" alt="Till"><img src="https://evil.example/t.png"><img src="data:image/png;base64,AAAA"></p><p><a href="javascript:alert(1)">x</a></p>"#
    );
    let id = article(app, &w.manager_a, Some(w.a), "Till", &body, false, true).await;
    let (_, shown) = get(app, &w.crew_a, &format!("/api/knowledge/articles/{id}")).await;
    let html = shown["bodyHtml"].as_str().unwrap();
    assert!(
        html.contains(&format!(r#"<img src="{url}" alt="Till">"#)),
        "{html}"
    );
    for banned in ["script", "onclick", "evil", "data:", "javascript"] {
        assert!(!html.contains(banned), "{banned} in {html}");
    }
    assert!(html.contains("<b>twice</b>"), "{html}");
}

#[tokio::test]
async fn categories_are_kept_per_venue_and_group_wide_by_administrators() {
    let w = world().await;
    let app = &w.app;
    let (status, bar) = post(
        app,
        &w.manager_a,
        "/api/knowledge/categories",
        json!({"locationId": w.a, "name": "Bar", "sortOrder": 2}),
    )
    .await;
    assert_eq!(status, 201, "{bar}");
    let bar_id = bar["id"].as_str().unwrap().to_string();
    let (status, body) = post(
        app,
        &w.manager_a,
        "/api/knowledge/categories",
        json!({"locationId": w.a, "name": "bar"}),
    )
    .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (StatusCode::CONFLICT, Some("category_exists"))
    );
    assert_eq!(
        post(
            app,
            &w.manager_a,
            "/api/knowledge/categories",
            json!({"name": "All"})
        )
        .await
        .0,
        403
    );
    assert_eq!(
        post(
            app,
            &w.crew_a,
            "/api/knowledge/categories",
            json!({"locationId": w.a, "name": "C"})
        )
        .await
        .0,
        403
    );
    let (status, all) = post(
        app,
        &w.admin,
        "/api/knowledge/categories",
        json!({"name": "Safety", "sortOrder": 1}),
    )
    .await;
    assert_eq!(status, 201);
    let (status, body) = post(
        app,
        &w.manager_a,
        "/api/knowledge/categories",
        json!({"locationId": w.a, "name": ""}),
    )
    .await;
    assert_eq!(
        (status, body["error"]["fields"]["name"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("required"))
    );

    let (_, list) = get(app, &w.crew_a, "/api/knowledge/categories").await;
    let names: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, vec!["Safety", "Bar"]);
    let (_, list) = get(app, &w.crew_b, "/api/knowledge/categories").await;
    assert_eq!(list.as_array().unwrap().len(), 1);
    assert_eq!(
        get(
            app,
            &w.crew_b,
            &format!("/api/knowledge/categories?location={}", w.a)
        )
        .await
        .0,
        404
    );

    let response = w
        .manager_a
        .patch(app.url(&format!("/api/knowledge/categories/{bar_id}")))
        .json(&json!({"name": "Bar & cellar"}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let response = w
        .manager_a
        .patch(app.url(&format!(
            "/api/knowledge/categories/{}",
            all["id"].as_str().unwrap()
        )))
        .json(&json!({"name": "Mine now"}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 403);

    // An article is filed under its venue's or a group-wide category only.
    let (status, body) = post(
        app,
        &w.admin,
        "/api/knowledge/articles",
        json!({"locationId": w.b, "categoryId": bar_id, "title": "T", "bodyHtml": "<p>x</p>"}),
    )
    .await;
    assert_eq!(
        (status, body["error"]["fields"]["categoryId"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("unknown_category"))
    );
    let (status, filed) = post(
        app,
        &w.manager_a,
        "/api/knowledge/articles",
        json!({"locationId": w.a, "categoryId": bar_id, "title": "T", "bodyHtml": "<p>x</p>"}),
    )
    .await;
    assert_eq!(status, 201);
    let (_, list) = get(
        app,
        &w.manager_a,
        &format!("/api/knowledge/articles?category={bar_id}"),
    )
    .await;
    assert_eq!(list["items"][0]["id"], filed["article"]["id"]);

    let response = w
        .manager_a
        .delete(app.url(&format!("/api/knowledge/categories/{bar_id}")))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 204);
    assert_eq!(app.audit_count("knowledge.category.deleted").await, 1);
    let (_, kept) = get(
        app,
        &w.manager_a,
        &format!(
            "/api/knowledge/articles/{}",
            filed["article"]["id"].as_str().unwrap()
        ),
    )
    .await;
    assert_eq!(kept["article"]["categoryId"], Value::Null);
}

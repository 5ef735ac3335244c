//! Accounts and sessions through the HTTP API, against real PostgreSQL, Redis and the MongoDB-compatible
//! server.

use std::time::{Duration, Instant};

use crewplots_domain::Role;
use crewplots_storage_mongo::mongodb::bson::{doc, Document};
use serde_json::{json, Value};

use crate::support::{
    browser, cookie_pair, spawn_app, spawn_app_with, test_vars, TestApp, PASSWORD,
};

fn registration(username: &str) -> Value {
    json!({
        "firstName": "Anna",
        "lastName": "de Vries",
        "email": format!("{username}@example.test"),
        "username": username,
        "password": "a long enough password",
        "phone": "+31 6 1234 5678",
        "privacyConsent": {"version": "2026-11", "accepted": true}
    })
}

#[tokio::test]
async fn registering_creates_a_logged_in_applicant_with_a_safe_cookie() {
    let app = spawn_app().await;
    let client = browser();
    let response = app
        .post_json(&client, "/api/auth/register", &registration("anna.dv"))
        .await;
    assert_eq!(response.status(), 201);
    let cookie = TestApp::session_cookie(&response).expect("a session cookie");
    assert!(cookie.contains("HttpOnly"), "{cookie}");
    assert!(cookie.contains("SameSite=Lax"), "{cookie}");
    assert!(cookie.contains("Path=/"), "{cookie}");
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["user"]["role"], "applicant");
    assert_eq!(body["user"]["displayName"], "Anna de Vries");
    assert!(!body.to_string().contains("$2b$"));

    let me: Value = client
        .get(app.url("/api/auth/me"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(me["username"], "anna.dv");
    assert_eq!(me["permissions"], json!([]));
    assert_eq!(app.audit_count("account.registered").await, 1);
}

#[tokio::test]
async fn the_phone_number_is_stored_only_encrypted_in_mongodb() {
    let app = spawn_app().await;
    let mut body = registration("phone.check");
    body["phone"] = json!("+31 6 9876 5432");
    let response = app.post_json(&browser(), "/api/auth/register", &body).await;
    assert_eq!(response.status(), 201);
    let profiles: Vec<Document> = {
        use futures_util::TryStreamExt;
        app.mongo
            .database()
            .collection::<Document>("profiles")
            .find(doc! {})
            .await
            .unwrap()
            .try_collect()
            .await
            .unwrap()
    };
    assert_eq!(profiles.len(), 1);
    let raw = crewplots_storage_mongo::mongodb::bson::to_vec(&profiles[0]).unwrap();
    for needle in ["9876".as_bytes(), b"5432", b"phone"] {
        assert!(
            !raw.windows(needle.len()).any(|w| w == needle),
            "plaintext in MongoDB"
        );
    }
    // And PostgreSQL holds no phone at all.
    let client = app.pg.get().await.unwrap();
    let dump: String = client
        .query_one(
            "SELECT string_agg(row_to_json(u)::text, '') FROM users u",
            &[],
        )
        .await
        .unwrap()
        .get(0);
    assert!(!dump.contains("9876"));
}

#[tokio::test]
async fn registration_errors_name_their_fields_and_taken_names_conflict() {
    let app = spawn_app().await;
    let response = app
        .post_json(
            &browser(),
            "/api/auth/register",
            &json!({
                "firstName": "", "lastName": "X", "email": "nope", "username": "a b",
                "password": "short", "phone": "12", "locationCode": "NOSUCH",
                "privacyConsent": {"version": "2026-11", "accepted": false}
            }),
        )
        .await;
    assert_eq!(response.status(), 422);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"]["code"], "validation_failed");
    let fields = &body["error"]["fields"];
    assert_eq!(fields["firstName"], "required");
    assert_eq!(fields["email"], "invalid_email");
    assert_eq!(fields["username"], "invalid_username");
    assert_eq!(fields["password"], "password_too_short");
    assert_eq!(fields["phone"], "invalid_phone");
    assert_eq!(fields["locationCode"], "unknown_location_code");
    assert_eq!(fields["privacyConsent"], "consent_required");

    assert_eq!(
        app.post_json(&browser(), "/api/auth/register", &registration("taken"))
            .await
            .status(),
        201
    );
    let mut again = registration("taken");
    again["email"] = json!("other@example.test");
    let response = app
        .post_json(&browser(), "/api/auth/register", &again)
        .await;
    assert_eq!(response.status(), 409);
    assert_eq!(
        response.json::<Value>().await.unwrap()["error"]["code"],
        "username_taken"
    );
    let mut again = registration("other");
    again["email"] = json!("TAKEN@example.test");
    let response = app
        .post_json(&browser(), "/api/auth/register", &again)
        .await;
    assert_eq!(
        response.json::<Value>().await.unwrap()["error"]["code"],
        "email_taken"
    );

    let bad_json = browser()
        .post(app.url("/api/auth/register"))
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(bad_json.status(), 400);
    assert_eq!(
        bad_json.json::<Value>().await.unwrap()["error"]["code"],
        "invalid_json"
    );
}

#[tokio::test]
async fn a_qr_code_registration_records_the_venue() {
    let app = spawn_app().await;
    let venue = app.seed_location("Café Zuid").await;
    let public: Value = app
        .get(&format!(
            "/api/public/locations/{}",
            venue.application_code.to_lowercase()
        ))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(public["name"], "Café Zuid");
    let mut body = registration("qr.user");
    body["locationCode"] = json!(venue.application_code);
    assert_eq!(
        app.post_json(&browser(), "/api/auth/register", &body)
            .await
            .status(),
        201
    );
    let client = app.pg.get().await.unwrap();
    let signup: Option<uuid::Uuid> = client
        .query_one(
            "SELECT signup_location_id FROM users WHERE username = 'qr.user'",
            &[],
        )
        .await
        .unwrap()
        .get(0);
    assert_eq!(signup, Some(venue.id));
    assert_eq!(
        app.get("/api/public/locations/NOPE1234").await.status(),
        404
    );
}

#[tokio::test]
async fn login_renews_the_session_id_and_logout_makes_the_old_cookie_worthless() {
    let app = spawn_app().await;
    let user = app.seed_user(Role::CrewMember, &[]).await;
    let login = json!({"login": user.username, "password": PASSWORD});

    let first = app.post_json(&browser(), "/api/auth/login", &login).await;
    let first_cookie = cookie_pair(&TestApp::session_cookie(&first).unwrap());
    // Logging in again from a browser that already has a session gives a different session id.
    let second = app
        .client
        .post(app.url("/api/auth/login"))
        .header("x-crewplots-csrf", "1")
        .header("cookie", &first_cookie)
        .json(&login)
        .send()
        .await
        .unwrap();
    assert_eq!(second.status(), 200);
    let second_cookie = cookie_pair(&TestApp::session_cookie(&second).unwrap());
    assert_ne!(first_cookie, second_cookie);

    let me = |cookie: String| {
        let app = &app;
        async move {
            app.client
                .get(app.url("/api/auth/me"))
                .header("cookie", cookie)
                .send()
                .await
                .unwrap()
                .status()
        }
    };
    assert_eq!(
        me(first_cookie.clone()).await,
        401,
        "the pre-login session must not survive"
    );
    assert_eq!(me(second_cookie.clone()).await, 200);

    let logout = app
        .client
        .post(app.url("/api/auth/logout"))
        .header("x-crewplots-csrf", "1")
        .header("cookie", &second_cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(logout.status(), 204);
    assert_eq!(
        me(second_cookie).await,
        401,
        "a replayed cookie after logout"
    );
    assert_eq!(app.audit_count("login.success").await, 2);
}

#[tokio::test]
async fn me_answers_401_as_json_when_anonymous() {
    let app = spawn_app().await;
    let response = app.get("/api/auth/me").await;
    assert_eq!(response.status(), 401);
    assert_eq!(
        response.json::<Value>().await.unwrap()["error"]["code"],
        "unauthorized"
    );
}

#[tokio::test]
async fn wrong_passwords_and_unknown_users_get_the_same_answer() {
    let app = spawn_app().await;
    let user = app.seed_user(Role::CrewMember, &[]).await;
    // A login with a NUL (found by the API fuzzer as a 500) is an unknown account like any other.
    for login in [user.username.as_str(), "nobody-at-all", "no\u{0}body"] {
        let response = app
            .post_json(
                &browser(),
                "/api/auth/login",
                &json!({"login": login, "password": "wrong password!"}),
            )
            .await;
        assert_eq!(response.status(), 401);
        assert_eq!(
            response.json::<Value>().await.unwrap()["error"]["code"],
            "invalid_credentials"
        );
    }
    assert_eq!(app.audit_count("login.failure").await, 3);
}

#[tokio::test]
async fn changing_the_password_ends_the_other_sessions_only() {
    let app = spawn_app().await;
    let user = app.seed_user(Role::CrewMember, &[]).await;
    let here = app.login(&user.username, PASSWORD).await;
    let elsewhere = app.login(&user.username, PASSWORD).await;

    let wrong = app
        .post_json(
            &here,
            "/api/auth/password",
            &json!({"currentPassword": "not it at all", "newPassword": "a brand new password"}),
        )
        .await;
    assert_eq!(wrong.status(), 422);
    assert_eq!(
        wrong.json::<Value>().await.unwrap()["error"]["code"],
        "wrong_password"
    );

    let changed = app
        .post_json(
            &here,
            "/api/auth/password",
            &json!({"currentPassword": PASSWORD, "newPassword": "a brand new password"}),
        )
        .await;
    assert_eq!(changed.status(), 204);
    assert_eq!(
        here.get(app.url("/api/auth/me"))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    assert_eq!(
        elsewhere
            .get(app.url("/api/auth/me"))
            .send()
            .await
            .unwrap()
            .status(),
        401
    );
    app.login(&user.username, "a brand new password").await;
}

#[tokio::test]
async fn the_hundred_and_first_failure_in_an_hour_is_refused_even_with_the_right_password() {
    let mut vars = test_vars().await;
    // No growing delay here, so the hourly maximum is reached at full speed.
    vars.insert("CREWPLOTS__THROTTLE__DELAY_BASE_MS".into(), "0".into());
    let app = spawn_app_with(vars).await;
    app.wait_until_ready(Duration::from_secs(20)).await;
    let user = app.seed_user(Role::CrewMember, &[]).await;
    let client = browser();
    let wrong = json!({"login": user.username, "password": "wrong password!"});
    for attempt in 1..=100 {
        let status = app
            .post_json(&client, "/api/auth/login", &wrong)
            .await
            .status();
        assert_eq!(status, 401, "attempt {attempt}");
    }
    let refused = app.post_json(&client, "/api/auth/login", &wrong).await;
    assert_eq!(refused.status(), 429);
    let retry: u64 = refused.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((3000..=3600).contains(&retry), "Retry-After {retry}");
    assert_eq!(
        refused.json::<Value>().await.unwrap()["error"]["code"],
        "too_many_requests"
    );

    let right = app
        .post_json(
            &client,
            "/api/auth/login",
            &json!({"login": user.username, "password": PASSWORD}),
        )
        .await;
    assert_eq!(
        right.status(),
        429,
        "the right password waits for the window too"
    );
}

#[tokio::test]
async fn failures_beyond_the_free_ones_impose_a_growing_delay() {
    let app = spawn_app().await;
    let user = app.seed_user(Role::CrewMember, &[]).await;
    let client = browser();
    let wrong = json!({"login": user.username, "password": "wrong password!"});
    for _ in 0..6 {
        assert_eq!(
            app.post_json(&client, "/api/auth/login", &wrong)
                .await
                .status(),
            401
        );
    }
    let waiting = app.post_json(&client, "/api/auth/login", &wrong).await;
    assert_eq!(waiting.status(), 429);
    let retry: u64 = waiting.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=2).contains(&retry), "Retry-After {retry}");
}

#[tokio::test]
async fn a_successful_login_clears_the_account_failures() {
    let app = spawn_app().await;
    let user = app.seed_user(Role::CrewMember, &[]).await;
    let client = browser();
    for _ in 0..5 {
        let wrong = json!({"login": user.username, "password": "wrong password!"});
        assert_eq!(
            app.post_json(&client, "/api/auth/login", &wrong)
                .await
                .status(),
            401
        );
    }
    app.login(&user.username, PASSWORD).await;
    let key = format!("login-failures:account:{}", user.username);
    assert_eq!(app.redis.get(&key).await.unwrap(), None);
}

#[tokio::test]
async fn cross_site_posts_are_rejected() {
    let app = spawn_app().await;
    let body = json!({"login": "x", "password": "y"});
    let evil = app
        .client
        .post(app.url("/api/auth/login"))
        .header("origin", "https://evil.example")
        .header("x-crewplots-csrf", "1")
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(evil.status(), 403);
    assert_eq!(
        evil.json::<Value>().await.unwrap()["error"]["code"],
        "csrf_rejected"
    );

    let bare = app
        .client
        .post(app.url("/api/auth/login"))
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(bare.status(), 403, "no Origin and no custom header");

    let same_origin = app
        .client
        .post(app.url("/api/auth/login"))
        .header("origin", "http://127.0.0.1")
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(
        same_origin.status(),
        401,
        "the configured origin passes CSRF and reaches login"
    );
}

#[tokio::test]
async fn password_reset_is_single_use_and_never_reveals_the_token() {
    let app = spawn_app().await;
    let user = app.seed_user(Role::CrewMember, &[]).await;
    let admin = app.seed_user(Role::Administrator, &[]).await;
    let email = format!("{}@example.test", user.username);

    let unknown = app
        .post_json(
            &browser(),
            "/api/auth/password-reset",
            &json!({"email": "nobody@example.test"}),
        )
        .await;
    assert_eq!(unknown.status(), 202);
    let known = app
        .post_json(
            &browser(),
            "/api/auth/password-reset",
            &json!({"email": email}),
        )
        .await;
    assert_eq!(known.status(), 202);

    // The mail (read straight from the outbox table, as the SMTP sender would) carries the token.
    let client = app.pg.get().await.unwrap();
    let rows = client
        .query(
            "SELECT body_text FROM email_outbox WHERE to_address = $1",
            &[&email],
        )
        .await
        .unwrap();
    assert_eq!(rows.len(), 1, "one mail, for the known address only");
    let body: String = rows[0].get(0);
    let token = body
        .split("token=")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .unwrap()
        .to_string();
    let stored: i64 = client
        .query_one(
            "SELECT count(*) FROM account_tokens WHERE token_hash = sha256(convert_to($1, 'UTF8'))",
            &[&token],
        )
        .await
        .unwrap()
        .get(0);
    assert_eq!(stored, 1, "only the token's hash is stored");

    // Administrators see the mail with the token redacted.
    let admin_client = app.login(&admin.username, PASSWORD).await;
    let outbox = admin_client
        .get(app.url("/api/admin/outbox"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(outbox.contains("[redacted]"), "{outbox}");
    assert!(!outbox.contains(&token));

    let session = app.login(&user.username, PASSWORD).await;
    let confirm = json!({"token": token, "newPassword": "reset to something new"});
    assert_eq!(
        app.post_json(&browser(), "/api/auth/password-reset/confirm", &confirm)
            .await
            .status(),
        204
    );
    let reused = app
        .post_json(&browser(), "/api/auth/password-reset/confirm", &confirm)
        .await;
    assert_eq!(reused.status(), 400);
    assert_eq!(
        reused.json::<Value>().await.unwrap()["error"]["code"],
        "invalid_token"
    );
    assert_eq!(
        session
            .get(app.url("/api/auth/me"))
            .send()
            .await
            .unwrap()
            .status(),
        401,
        "sessions end after a reset"
    );
    app.login(&user.username, "reset to something new").await;
}

#[tokio::test]
async fn an_invited_staff_member_sets_a_password_through_the_invitation() {
    let app = spawn_app().await;
    let venue = app.seed_location("Bar Noord").await;
    let admin = app.seed_user(Role::Administrator, &[]).await;
    let admin_client = app.login(&admin.username, PASSWORD).await;
    let created = app
        .post_json(
            &admin_client,
            "/api/admin/users",
            &json!({"firstName": "Bram", "lastName": "Bakker", "email": "bram@example.test",
                    "username": "bram", "role": "floor_manager", "locationIds": [venue.id]}),
        )
        .await;
    assert_eq!(created.status(), 201);
    let created: Value = created.json().await.unwrap();
    assert_eq!(created["status"], "invited");
    assert_eq!(created["locations"][0]["name"], "Bar Noord");

    let client = app.pg.get().await.unwrap();
    let body: String = client
        .query_one(
            "SELECT body_text FROM email_outbox WHERE to_address = 'bram@example.test'",
            &[],
        )
        .await
        .unwrap()
        .get(0);
    let token = body
        .split("token=")
        .nth(1)
        .unwrap()
        .split_whitespace()
        .next()
        .unwrap()
        .to_string();
    let not_yet = app
        .post_json(
            &browser(),
            "/api/auth/login",
            &json!({"login": "bram", "password": "anything at all"}),
        )
        .await;
    assert_eq!(
        not_yet.status(),
        401,
        "an invited account has no password yet"
    );
    let accepted = app
        .post_json(
            &browser(),
            "/api/auth/password-reset/confirm",
            &json!({"token": token, "newPassword": "bram's own password"}),
        )
        .await;
    assert_eq!(accepted.status(), 204);
    let bram = app.login("bram", "bram's own password").await;
    let me: Value = bram
        .get(app.url("/api/auth/me"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(me["status"], "active");
    assert_eq!(me["role"], "floor_manager");
}

#[tokio::test]
async fn role_changes_and_deactivation_take_effect_at_the_next_request() {
    let app = spawn_app().await;
    let venue = app.seed_location("Grand Café").await;
    let admin = app.seed_user(Role::Administrator, &[]).await;
    let crew = app.seed_user(Role::CrewMember, &[venue.id]).await;
    let admin_client = app.login(&admin.username, PASSWORD).await;
    let crew_client = app.login(&crew.username, PASSWORD).await;
    assert_eq!(
        crew_client
            .get(app.url("/api/locations"))
            .send()
            .await
            .unwrap()
            .status(),
        403
    );

    let promoted = admin_client
        .patch(app.url(&format!("/api/admin/users/{}", crew.id)))
        .json(&json!({"role": "manager"}))
        .send()
        .await
        .unwrap();
    assert_eq!(promoted.status(), 200);
    assert_eq!(promoted.json::<Value>().await.unwrap()["role"], "manager");
    // The same session now has the manager's rights: authorization reads current state.
    assert_eq!(
        crew_client
            .get(app.url("/api/locations"))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );

    let deactivated = admin_client
        .patch(app.url(&format!("/api/admin/users/{}", crew.id)))
        .json(&json!({"status": "deactivated"}))
        .send()
        .await
        .unwrap();
    assert_eq!(deactivated.status(), 200);
    assert_eq!(
        crew_client
            .get(app.url("/api/auth/me"))
            .send()
            .await
            .unwrap()
            .status(),
        401
    );
    let again = app
        .post_json(
            &browser(),
            "/api/auth/login",
            &json!({"login": crew.username, "password": PASSWORD}),
        )
        .await;
    assert_eq!(again.status(), 401);
    assert!(app.audit_count("user.updated").await >= 2);
}

#[tokio::test]
async fn nobody_changes_their_own_role_and_managers_stay_within_their_locations() {
    let app = spawn_app().await;
    let a = app.seed_location("A").await;
    let b = app.seed_location("B").await;
    let admin = app.seed_user(Role::Administrator, &[]).await;
    let manager = app.seed_user(Role::Manager, &[a.id]).await;
    let crew_a = app.seed_user(Role::CrewMember, &[a.id]).await;
    let crew_b = app.seed_user(Role::CrewMember, &[b.id]).await;

    let admin_client = app.login(&admin.username, PASSWORD).await;
    let own = admin_client
        .patch(app.url(&format!("/api/admin/users/{}", admin.id)))
        .json(&json!({"role": "manager", "locationIds": [a.id]}))
        .send()
        .await
        .unwrap();
    assert_eq!(own.status(), 403);

    let manager_client = app.login(&manager.username, PASSWORD).await;
    let patch = |id: uuid::Uuid, body: Value| {
        let client = manager_client.clone();
        let url = app.url(&format!("/api/admin/users/{id}"));
        async move { client.patch(url).json(&body).send().await.unwrap().status() }
    };
    assert_eq!(
        patch(manager.id, json!({"role": "administrator"})).await,
        403,
        "raise own role"
    );
    assert_eq!(
        patch(crew_a.id, json!({"role": "manager"})).await,
        403,
        "hand out a manager role"
    );
    assert_eq!(
        patch(crew_a.id, json!({"locationIds": [b.id]})).await,
        403,
        "move to a foreign location"
    );
    assert_eq!(
        patch(crew_b.id, json!({"role": "floor_manager"})).await,
        404,
        "a user elsewhere does not exist"
    );
    assert_eq!(
        patch(crew_a.id, json!({"role": "floor_manager"})).await,
        200
    );

    let listed: Value = manager_client
        .get(app.url("/api/admin/users?limit=50"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let names: Vec<&str> = listed["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["username"].as_str().unwrap())
        .collect();
    assert!(names.contains(&crew_a.username.as_str()));
    assert!(!names.contains(&crew_b.username.as_str()));
    assert!(!names.contains(&admin.username.as_str()));
}

#[tokio::test]
async fn the_user_list_pages_with_an_opaque_cursor() {
    let app = spawn_app().await;
    let admin = app.seed_user(Role::Administrator, &[]).await;
    for _ in 0..5 {
        app.seed_user(Role::Applicant, &[]).await;
    }
    let client = app.login(&admin.username, PASSWORD).await;
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let url = match &cursor {
            Some(c) => app.url(&format!("/api/admin/users?limit=2&cursor={c}")),
            None => app.url("/api/admin/users?limit=2"),
        };
        let page: Value = client.get(url).send().await.unwrap().json().await.unwrap();
        for item in page["items"].as_array().unwrap() {
            seen.push(item["id"].as_str().unwrap().to_string());
        }
        match page["nextCursor"].as_str() {
            Some(next) => cursor = Some(next.to_string()),
            None => break,
        }
    }
    assert_eq!(seen.len(), 6);
    seen.sort();
    seen.dedup();
    assert_eq!(seen.len(), 6, "no user twice");
    let bad = client
        .get(app.url("/api/admin/users?cursor=garbage!"))
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), 400);
}

#[tokio::test]
async fn revoking_sessions_ends_every_session_of_that_user() {
    let app = spawn_app().await;
    let admin = app.seed_user(Role::Administrator, &[]).await;
    let crew = app.seed_user(Role::CrewMember, &[]).await;
    let phone = app.login(&crew.username, PASSWORD).await;
    let laptop = app.login(&crew.username, PASSWORD).await;
    let admin_client = app.login(&admin.username, PASSWORD).await;
    let revoked = admin_client
        .post(app.url(&format!("/api/admin/users/{}/revoke-sessions", crew.id)))
        .send()
        .await
        .unwrap();
    assert_eq!(revoked.status(), 204);
    for client in [phone, laptop] {
        assert_eq!(
            client
                .get(app.url("/api/auth/me"))
                .send()
                .await
                .unwrap()
                .status(),
            401
        );
    }
    assert_eq!(app.audit_count("user.sessions_revoked").await, 1);
}

#[tokio::test]
async fn a_weaker_stored_hash_is_upgraded_at_the_next_login() {
    let mut vars = test_vars().await;
    vars.insert("CREWPLOTS__PASSWORD__BCRYPT_COST".into(), "5".into());
    let app = spawn_app_with(vars).await;
    app.wait_until_ready(Duration::from_secs(20)).await;
    let user = app.seed_user(Role::CrewMember, &[]).await; // seeded at cost 4
    app.login(&user.username, PASSWORD).await;
    let client = app.pg.get().await.unwrap();
    let hash: String = client
        .query_one("SELECT password_hash FROM users WHERE id = $1", &[&user.id])
        .await
        .unwrap()
        .get(0);
    assert!(hash.starts_with("$2b$05$"), "{}", &hash[..7]);
}

#[tokio::test]
async fn the_first_administrator_comes_from_the_command_and_can_log_in() {
    let app = spawn_app().await;
    let settings = crewplots_server::settings::Settings::load_from(&app.vars, None).unwrap();
    let request = crewplots_server::accounts::AdminRequest {
        username: "Root.Admin".into(),
        email: "root@example.test".into(),
        first_name: "Root".into(),
        last_name: "Admin".into(),
    };
    let short =
        crewplots_server::accounts::create_admin(&settings, request.clone(), "short".into()).await;
    assert!(short
        .unwrap_err()
        .to_string()
        .contains("password_too_short"));
    crewplots_server::accounts::create_admin(
        &settings,
        request.clone(),
        "an administrator password".into(),
    )
    .await
    .unwrap();
    let twice = crewplots_server::accounts::create_admin(
        &settings,
        request,
        "an administrator password".into(),
    )
    .await;
    assert!(twice.unwrap_err().to_string().contains("already exists"));
    let client = app.login("root.admin", "an administrator password").await;
    let me: Value = client
        .get(app.url("/api/auth/me"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(me["role"], "administrator");
    assert_eq!(
        me["permissions"],
        json!([
            "users.manage",
            "outbox.view",
            "locations.manage",
            "documents.review",
            "applications.view",
            "applications.manage",
            "notes.write",
            "locations.edit",
            "schedule.view",
            "schedule.edit",
            "schedule.manage",
            "crew.view",
            "crew.manage",
            "requests.view",
            "timeoff.decide",
            "requests.approve",
            "dashboard.view",
            "exports.download",
            "audit.view",
            "retention.hold",
            "cash.count",
            "cash.view",
            "cash.approve",
            "knowledge.read",
            "knowledge.edit",
            "knowledge.confirmations"
        ])
    );
}

#[tokio::test]
async fn session_requests_answer_503_quickly_while_redis_is_down_and_recover_after() {
    use crate::outage::{app_with_private_redis, PrivateRedis};
    let (app, mut redis) = app_with_private_redis().await;
    let user = app.seed_user(Role::CrewMember, &[]).await;
    let client = app.login(&user.username, PASSWORD).await;
    redis.stop();

    let started = Instant::now();
    let response = client.get(app.url("/api/auth/me")).send().await.unwrap();
    assert_eq!(response.status(), 503);
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "took {:?}",
        started.elapsed()
    );
    assert_eq!(
        response.json::<Value>().await.unwrap()["error"]["code"],
        "service_unavailable"
    );
    let login = app
        .post_json(
            &browser(),
            "/api/auth/login",
            &json!({"login": user.username, "password": PASSWORD}),
        )
        .await;
    assert_eq!(login.status(), 503);

    let _back = PrivateRedis::start_on(redis.port);
    // Sessions were lost with Redis: log in again, without restarting the server.
    log_in_within(&app, &user.username, Duration::from_secs(10)).await;
}

#[tokio::test]
async fn a_login_storm_past_the_hashing_queue_is_refused_at_once_with_busy_and_retry_after() {
    // One hashing thread, no queue, and a cost that keeps the thread busy for a while: of many logins at
    // once, the ones that find the thread busy are refused at once; the others log in.
    let mut vars = test_vars().await;
    vars.insert("CREWPLOTS__PASSWORD__HASH_THREADS".into(), "1".into());
    vars.insert("CREWPLOTS__PASSWORD__HASH_QUEUE".into(), "0".into());
    vars.insert("CREWPLOTS__PASSWORD__BCRYPT_COST".into(), "10".into());
    let app = spawn_app_with(vars).await;
    let user = app.seed_user(Role::CrewMember, &[]).await;
    let watcher = app.login(&user.username, PASSWORD).await;

    let attempts = (0..12).map(|_| {
        let app = &app;
        let username = user.username.clone();
        async move {
            let started = Instant::now();
            let response = app
                .post_json(
                    &browser(),
                    "/api/auth/login",
                    &json!({"login": username, "password": PASSWORD}),
                )
                .await;
            let status = response.status().as_u16();
            let retry_after = response
                .headers()
                .get("retry-after")
                .and_then(|v| v.to_str().ok())
                .map(str::to_string);
            let body: Value = response.json().await.unwrap();
            (status, retry_after, body, started.elapsed())
        }
    });
    let answers = futures_util::future::join_all(attempts).await;
    let busy: Vec<_> = answers.iter().filter(|a| a.0 == 503).collect();
    let ok = answers.iter().filter(|a| a.0 == 200).count();
    assert_eq!(busy.len() + ok, answers.len(), "{answers:?}");
    assert!(!busy.is_empty(), "{answers:?}");
    for (_, retry_after, body, took) in busy {
        assert_eq!(body["error"]["code"], "busy");
        assert_eq!(retry_after.as_deref(), Some("1"));
        // Refused without waiting for the hashing thread.
        assert!(*took < Duration::from_secs(5), "{took:?}");
    }
    // Everything else keeps working meanwhile and afterwards.
    let me = watcher.get(app.url("/api/auth/me")).send().await.unwrap();
    assert_eq!(me.status(), 200);
    // Logins go through again. (Usually one of the storm's already did; on a machine saturated by other
    // work the idle-priority hashing thread may not start the accepted one within `MAX_QUEUE_WAIT`, and
    // then it too was answered `busy`.)
    if ok == 0 {
        log_in_within(&app, &user.username, Duration::from_secs(30)).await;
    }
}

/// Logs in with [`PASSWORD`] again and again (503s expected meanwhile) until it succeeds within `limit`.
async fn log_in_within(app: &TestApp, username: &str, limit: Duration) {
    let deadline = Instant::now() + limit;
    loop {
        let login = app
            .post_json(
                &browser(),
                "/api/auth/login",
                &json!({"login": username, "password": PASSWORD}),
            )
            .await;
        if login.status() == 200 {
            return;
        }
        assert_eq!(login.status(), 503, "only a 503 may refuse the login here");
        assert!(Instant::now() < deadline, "logins did not come back");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

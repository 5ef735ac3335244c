//! The authorization matrix: every route the router has (read from the generated OpenAPI document, which is
//! built from the same registrations as the router) is called as every role and anonymously, and the
//! outcome is checked against the domain's policy table. A route without an entry here fails the test.

use crewplots_domain::policy::{self, Action};
use crewplots_domain::Role;
use reqwest::Method;
use serde_json::{json, Value};
use uuid::Uuid;

use crate::support::{browser, spawn_app, spawn_app_with, test_vars, TestApp, PASSWORD};

/// Who may call a route.
#[derive(Debug, Clone, Copy)]
enum Access {
    /// Anybody, logged in or not.
    Public,
    /// Any logged-in person.
    LoggedIn,
    /// Those the policy table allows the action.
    Policy(Action),
}

/// What one matrix call sends.
struct Case {
    access: Access,
    path: String,
    body: Option<Value>,
}

/// The fixture every call runs against.
struct Fixture {
    venue: Uuid,
    target: Uuid,
}

fn case_for(method: &str, route: &str, f: &Fixture) -> Option<Case> {
    let unique = Uuid::new_v4().simple().to_string();
    let (access, path, body) = match (method, route) {
        ("GET", "/health") | ("GET", "/health/ready") | ("GET", "/api/openapi.json") => {
            (Access::Public, route.to_string(), None)
        }
        // Without a configured token the endpoint does not exist for anybody.
        ("GET", "/metrics") => (Access::Public, route.to_string(), None),
        ("GET", "/api/public/locations/{code}") => (
            Access::Public,
            "/api/public/locations/NOSUCHCODE".into(),
            None,
        ),
        ("POST", "/api/auth/register") => (
            Access::Public,
            route.into(),
            Some(
                json!({"firstName": "M", "lastName": "X", "email": format!("{unique}@example.test"),
                        "username": format!("m{}", &unique[..12]), "password": "matrix password",
                        "phone": "0612345678", "privacyConsent": {"version": "2026-11", "accepted": true}}),
            ),
        ),
        ("POST", "/api/auth/login") => (
            Access::Public,
            route.into(),
            Some(json!({"login": "nobody", "password": "nothing here"})),
        ),
        ("POST", "/api/auth/logout") => (Access::Public, route.into(), None),
        ("POST", "/api/auth/password-reset") => (
            Access::Public,
            route.into(),
            Some(json!({"email": "x@example.test"})),
        ),
        ("POST", "/api/auth/password-reset/confirm") => (
            Access::Public,
            route.into(),
            Some(json!({"token": "not-a-token", "newPassword": "a new password"})),
        ),
        ("GET", "/api/auth/me") => (Access::LoggedIn, route.into(), None),
        ("POST", "/api/auth/password") => (
            Access::LoggedIn,
            route.into(),
            Some(json!({"currentPassword": "not the password", "newPassword": "a new password"})),
        ),
        ("GET", "/api/locations") => (Access::Policy(Action::ViewLocations), route.into(), None),
        ("POST", "/api/locations") => (
            Access::Policy(Action::CreateLocation),
            route.into(),
            Some(json!({"name": "Matrix"})),
        ),
        ("GET", "/api/admin/users") => (Access::Policy(Action::ListUsers), route.into(), None),
        ("POST", "/api/admin/users") => (
            Access::Policy(Action::ManageUsers),
            route.into(),
            Some(
                json!({"firstName": "N", "lastName": "Y", "email": format!("{unique}@example.test"),
                        "username": format!("n{}", &unique[..12]), "role": "crew_member", "locationIds": [f.venue]}),
            ),
        ),
        ("PATCH", "/api/admin/users/{id}") => (
            Access::Policy(Action::ManageUsers),
            format!("/api/admin/users/{}", f.target),
            Some(json!({"role": "floor_manager"})),
        ),
        ("POST", "/api/admin/users/{id}/revoke-sessions") => (
            Access::Policy(Action::ManageUsers),
            format!("/api/admin/users/{}/revoke-sessions", f.target),
            None,
        ),
        ("GET", "/api/admin/outbox") => (Access::Policy(Action::ViewOutbox), route.into(), None),
        _ => return None,
    };
    Some(Case { access, path, body })
}

fn allowed(access: Access, role: Option<Role>) -> bool {
    match (access, role) {
        (Access::Public, _) => true,
        (_, None) => false,
        (Access::LoggedIn, Some(_)) => true,
        (Access::Policy(action), Some(role)) => policy::allows(role, action),
    }
}

/// Every (method, path) of the OpenAPI document.
async fn routes(app: &TestApp) -> Vec<(String, String)> {
    let document: Value = app.get("/api/openapi.json").await.json().await.unwrap();
    let mut routes = Vec::new();
    for (path, item) in document["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            routes.push((method.to_uppercase(), path.clone()));
        }
    }
    routes.sort();
    routes
}

#[tokio::test]
async fn every_route_is_covered_and_answers_every_role_as_the_policy_says() {
    // Every call comes from 127.0.0.1 and the login row fails on purpose: without this the per-address
    // throttle (rightly) starts delaying the matrix's own logins.
    let mut vars = test_vars().await;
    vars.insert("CREWPLOTS__THROTTLE__DELAY_BASE_MS".into(), "0".into());
    let app = spawn_app_with(vars).await;
    app.wait_until_ready(std::time::Duration::from_secs(20))
        .await;
    let venue = app.seed_location("Matrix venue").await;
    let target = app.seed_user(Role::CrewMember, &[venue.id]).await;
    let fixture = Fixture {
        venue: venue.id,
        target: target.id,
    };
    let mut accounts = Vec::new();
    for role in Role::ALL {
        let locations = if policy::role_needs_locations(role) {
            vec![venue.id]
        } else {
            vec![]
        };
        accounts.push((role, app.seed_user(role, &locations).await));
    }

    let routes = routes(&app).await;
    assert!(routes.len() >= 19, "{routes:?}");
    let missing: Vec<String> = routes
        .iter()
        .filter(|(m, p)| case_for(m, p, &fixture).is_none())
        .map(|(m, p)| format!("{m} {p}"))
        .collect();
    assert!(
        missing.is_empty(),
        "routes without a matrix entry: {missing:?}"
    );

    let mut checked = 0;
    for (method, route) in &routes {
        let callers: Vec<Option<(Role, &str)>> = std::iter::once(None)
            .chain(
                accounts
                    .iter()
                    .map(|(r, s)| Some((*r, s.username.as_str()))),
            )
            .collect();
        for caller in callers {
            let case = case_for(method, route, &fixture).unwrap();
            // A fresh login per call: some routes (login, register, logout) replace or end the session.
            let client = match caller {
                Some((_, username)) => app.login(username, PASSWORD).await,
                None => browser(),
            };
            let mut request = client.request(
                Method::from_bytes(method.as_bytes()).unwrap(),
                app.url(&case.path),
            );
            if let Some(body) = &case.body {
                request = request.json(body);
            }
            let response = request.send().await.unwrap();
            let status = response.status().as_u16();
            let text = response.text().await.unwrap_or_default();
            assert!(
                !text.contains("$2b$"),
                "{method} {route} returned a password hash"
            );
            let code = serde_json::from_str::<Value>(&text)
                .ok()
                .and_then(|v| v["error"]["code"].as_str().map(str::to_string))
                .unwrap_or_default();
            let role = caller.map(|(r, _)| r);
            let who = role.map_or("anonymous", Role::as_str);
            if allowed(case.access, role) {
                assert!(
                    status != 403 && !(status == 401 && code == "unauthorized") && status < 500,
                    "{method} {route} as {who}: expected access, got {status} {text}"
                );
            } else if role.is_none() {
                assert_eq!(
                    (status, code.as_str()),
                    (401, "unauthorized"),
                    "{method} {route} as {who}: {text}"
                );
            } else {
                assert_eq!(
                    (status, code.as_str()),
                    (403, "forbidden"),
                    "{method} {route} as {who}: {text}"
                );
            }
            checked += 1;
        }
    }
    assert_eq!(checked, routes.len() * 6);
}

#[tokio::test]
async fn a_manager_of_another_location_gets_404_for_its_people() {
    let app = spawn_app().await;
    let a = app.seed_location("A").await;
    let b = app.seed_location("B").await;
    let at_b = app.seed_user(Role::CrewMember, &[b.id]).await;
    let manager_a = app.seed_user(Role::Manager, &[a.id]).await;
    let client = app.login(&manager_a.username, PASSWORD).await;
    for (method, path) in [
        (Method::PATCH, format!("/api/admin/users/{}", at_b.id)),
        (
            Method::POST,
            format!("/api/admin/users/{}/revoke-sessions", at_b.id),
        ),
        (
            Method::PATCH,
            format!("/api/admin/users/{}", Uuid::new_v4()),
        ),
    ] {
        let response = client
            .request(method.clone(), app.url(&path))
            .json(&json!({"role": "floor_manager"}))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 404, "{method} {path}");
    }
}

//! The front-end files, HSTS, and the session lifetimes.

use std::time::Duration;

use crewplots_domain::Role;
use serde_json::Value;

use crate::support::{spawn_app, spawn_app_with, test_vars, TestApp, PASSWORD};

#[tokio::test]
async fn the_front_end_is_served_with_an_spa_fallback_and_immutable_hashed_assets() {
    let dir =
        std::env::temp_dir().join(format!("crewplots-dist-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(dir.join("assets")).unwrap();
    std::fs::write(
        dir.join("index.html"),
        "<!doctype html><title>Crew Plots</title>",
    )
    .unwrap();
    std::fs::write(dir.join("assets/app-1a2b3c.js"), "console.log('hi')").unwrap();
    let mut vars = test_vars().await;
    vars.insert("STATIC_DIR".into(), dir.display().to_string());
    let app = spawn_app_with(vars).await;
    app.wait_until_ready(Duration::from_secs(20)).await;

    let asset = app.get("/assets/app-1a2b3c.js").await;
    assert_eq!(asset.status(), 200);
    assert_eq!(
        asset.headers()["cache-control"],
        "public, max-age=31536000, immutable"
    );
    assert!(asset.headers()["content-type"]
        .to_str()
        .unwrap()
        .contains("javascript"));

    for route in ["/", "/login", "/admin/users", "/reset-password?token=abc"] {
        let page = app.get(route).await;
        assert_eq!(page.status(), 200, "{route}");
        assert_eq!(page.headers()["cache-control"], "no-cache", "{route}");
        assert!(page
            .text()
            .await
            .unwrap()
            .contains("<title>Crew Plots</title>"));
    }
    assert_eq!(app.get("/assets/missing.js").await.status(), 404);
    let api = app.get("/api/nothing-here").await;
    assert_eq!(api.status(), 404);
    assert_eq!(
        api.json::<Value>().await.unwrap()["error"]["code"],
        "not_found"
    );
    assert_eq!(
        app.get("/../../etc/passwd").await.status(),
        200,
        "normalised to an SPA route, never a file outside"
    );
    std::fs::remove_dir_all(dir).unwrap();
}

#[tokio::test]
async fn hsts_is_sent_when_the_public_url_is_https() {
    let mut vars = test_vars().await;
    vars.insert("PUBLIC_URL".into(), "https://crew.example.test".into());
    let app = spawn_app_with(vars).await;
    let response = app.get("/health").await;
    assert!(response.headers()["strict-transport-security"]
        .to_str()
        .unwrap()
        .starts_with("max-age="));
    let plain = spawn_app().await;
    assert!(!plain
        .get("/health")
        .await
        .headers()
        .contains_key("strict-transport-security"));
}

/// Finds the Redis key of the only session in this test's key space.
async fn session_key(app: &TestApp) -> String {
    use crewplots_session::deadpool_redis::redis::AsyncCommands;
    let pattern = app.redis.key("session:*");
    app.redis
        .run(|mut conn| async move {
            let keys: Vec<String> = conn.keys(pattern).await?;
            Ok(keys.into_iter().next().expect("one session"))
        })
        .await
        .unwrap()
}

#[tokio::test]
async fn sessions_expire_after_the_idle_timeout_and_the_activity_extends_them() {
    use crewplots_session::deadpool_redis::redis::AsyncCommands;
    let app = spawn_app().await;
    let user = app.seed_user(Role::CrewMember, &[]).await;
    let client = app.login(&user.username, PASSWORD).await;
    let key = session_key(&app).await;
    let redis = app.redis.clone();
    let ttl = |key: String| {
        let redis = redis.clone();
        async move {
            redis
                .run(|mut conn| async move { Ok(conn.ttl::<_, i64>(key).await?) })
                .await
                .unwrap()
        }
    };
    let first = ttl(key.clone()).await;
    assert!(
        (1700..=1800).contains(&first),
        "idle timeout of 30 minutes, got {first}"
    );
    app.redis
        .run({
            let key = key.clone();
            |mut conn| async move { Ok(conn.expire::<_, ()>(key, 60).await?) }
        })
        .await
        .unwrap();
    assert_eq!(
        client
            .get(app.url("/api/auth/me"))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    assert!(
        ttl(key.clone()).await > 1700,
        "a request extends the idle timeout"
    );
    // The server-side state vanishing (idle expiry) ends the session.
    app.redis
        .run(|mut conn| async move { Ok(conn.del::<_, ()>(key).await?) })
        .await
        .unwrap();
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

#[tokio::test]
async fn sessions_end_at_the_absolute_lifetime_however_active() {
    use crewplots_session::deadpool_redis::redis::AsyncCommands;
    let app = spawn_app().await;
    let user = app.seed_user(Role::CrewMember, &[]).await;
    let client = app.login(&user.username, PASSWORD).await;
    assert_eq!(
        client
            .get(app.url("/api/auth/me"))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    // Move the session's issue time 13 hours back (the absolute lifetime is 12 hours).
    let key = session_key(&app).await;
    let state: String = app
        .redis
        .run({
            let key = key.clone();
            |mut conn| async move { Ok(conn.get(key).await?) }
        })
        .await
        .unwrap();
    let mut map: std::collections::HashMap<String, String> = serde_json::from_str(&state).unwrap();
    let issued: i64 = map["iat"].parse().unwrap();
    map.insert("iat".into(), (issued - 13 * 3600).to_string());
    let rewritten = serde_json::to_string(&map).unwrap();
    app.redis
        .run(|mut conn| async move { Ok(conn.set_ex::<_, _, ()>(key, rewritten, 1800).await?) })
        .await
        .unwrap();
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

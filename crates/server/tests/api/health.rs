use serde_json::Value;

use crate::support::{spawn_app, spawn_app_with, test_vars};

#[tokio::test]
async fn health_answers_while_the_process_is_alive() {
    let app = spawn_app().await;
    let response = app.get("/health").await;
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["status"], "ok");
}

#[tokio::test]
async fn readiness_reports_every_dependency_with_its_latency() {
    let app = spawn_app().await;
    let response = app.get("/health/ready").await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["cache-control"], "no-store");
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["status"], "ok");
    for dependency in ["postgres", "mongodb", "redis"] {
        let check = &body["checks"][dependency];
        assert_eq!(check["status"], "ok", "{dependency}: {check}");
        assert!(
            check["latencyMs"].as_f64().is_some(),
            "{dependency} has a latency"
        );
    }
    assert_eq!(body["checks"]["schema"]["status"], "ok");
}

#[tokio::test]
async fn unknown_routes_get_a_json_404_with_security_headers_and_a_request_id() {
    let app = spawn_app().await;
    let response = app.get("/api/does-not-exist").await;
    assert_eq!(response.status(), 404);
    let headers = response.headers().clone();
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert!(headers["content-security-policy"]
        .to_str()
        .unwrap()
        .contains("frame-ancestors 'none'"));
    assert!(headers.contains_key("referrer-policy"));
    assert_eq!(headers["x-request-id"].to_str().unwrap().len(), 36);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"]["code"], "not_found");
    assert!(body["error"]["message"].is_string());
}

#[tokio::test]
async fn metrics_do_not_exist_unless_a_token_is_configured() {
    let app = spawn_app().await;
    assert_eq!(app.get("/metrics").await.status(), 404);
}

#[tokio::test]
async fn metrics_need_the_token_and_count_requests_by_route_and_status() {
    let mut vars = test_vars().await;
    let token = "metrics-token-for-this-test-only";
    vars.insert("METRICS_TOKEN".into(), token.into());
    let app = spawn_app_with(vars).await;
    app.wait_until_ready(std::time::Duration::from_secs(20))
        .await;

    assert_eq!(app.get("/metrics").await.status(), 401);
    let wrong = app
        .client
        .get(app.url("/metrics"))
        .bearer_auth("metrics-token-for-this-test-wrong")
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), 401);

    app.get("/health").await;
    app.get("/api/unknown/123").await;
    let response = app
        .client
        .get(app.url("/metrics"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let text = response.text().await.unwrap();
    assert!(
        text.contains(
            r#"crewplots_http_requests_total{method="GET",route="/health",status="200"} 1"#
        ),
        "{text}"
    );
    // Unmatched paths are one label value, never the raw path.
    assert!(text.contains(r#"route="unmatched",status="404""#), "{text}");
    assert!(!text.contains("/api/unknown/123"));
    assert!(
        text.contains(r#"crewplots_dependency_up{dependency="redis"} 1"#),
        "{text}"
    );
    assert!(
        text.contains(r#"crewplots_pool_connections{dependency="postgres",state="max"}"#),
        "{text}"
    );
    assert!(
        text.contains("crewplots_http_request_duration_seconds_bucket"),
        "{text}"
    );
}

//! Dependencies failing under a running server: readiness names the culprit quickly, and the server recovers
//! by itself when the dependency comes back. Each test runs its own Redis so the shared one is never
//! disturbed.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::support::{free_port, spawn_app_with, test_vars, TestApp};

/// A Redis server of this test alone.
pub struct PrivateRedis {
    pub port: u16,
    child: Child,
}

impl PrivateRedis {
    pub fn start_on(port: u16) -> Self {
        let program =
            std::env::var("CREWPLOTS_TEST_REDIS_SERVER").unwrap_or_else(|_| "redis-server".into());
        let child = Command::new(program)
            .args(["--bind", "127.0.0.1", "--port", &port.to_string()])
            .args(["--save", "", "--appendonly", "no"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start a private redis-server");
        let deadline = Instant::now() + Duration::from_secs(10);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "private Redis did not start");
            std::thread::sleep(Duration::from_millis(20));
        }
        Self { port, child }
    }

    pub fn stop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    fn signal(&self, name: &str) {
        Command::new("kill")
            .arg(format!("-{name}"))
            .arg(self.child.id().to_string())
            .stderr(Stdio::null())
            .status()
            .expect("send a signal");
    }
}

impl Drop for PrivateRedis {
    fn drop(&mut self) {
        self.signal("CONT");
        self.stop();
    }
}

/// A ready server whose Redis is a private one the test may stop.
pub async fn app_with_private_redis() -> (TestApp, PrivateRedis) {
    let redis = PrivateRedis::start_on(free_port());
    let mut vars = test_vars().await;
    vars.insert(
        "REDIS_URL".into(),
        format!("redis://127.0.0.1:{}/0", redis.port),
    );
    let app = spawn_app_with(vars).await;
    app.wait_until_ready(Duration::from_secs(20)).await;
    (app, redis)
}

async fn readiness(app: &TestApp) -> (u16, Value, Duration) {
    let started = Instant::now();
    let response = app.get("/health/ready").await;
    let status = response.status().as_u16();
    let body = response.json().await.unwrap();
    (status, body, started.elapsed())
}

#[tokio::test]
async fn a_stopped_redis_makes_readiness_fail_quickly_naming_redis_then_recovers_without_restart() {
    let (app, mut redis) = app_with_private_redis().await;
    redis.stop();

    let (status, body, took) = readiness(&app).await;
    assert_eq!(status, 503);
    assert_eq!(body["status"], "unavailable");
    assert_eq!(body["checks"]["redis"]["status"], "down");
    assert_eq!(body["checks"]["postgres"]["status"], "ok");
    assert!(took < Duration::from_secs(2), "took {took:?}");
    assert_eq!(app.get("/health").await.status(), 200);

    let _restarted = PrivateRedis::start_on(redis.port);
    app.wait_until_ready(Duration::from_secs(10)).await;
}

#[tokio::test]
async fn a_redis_that_stops_answering_is_reported_within_the_readiness_timeout() {
    let (app, redis) = app_with_private_redis().await;
    redis.signal("STOP");

    let (status, body, took) = readiness(&app).await;
    assert_eq!(status, 503);
    assert_eq!(body["checks"]["redis"]["status"], "down");
    assert!(took < Duration::from_secs(2), "took {took:?}");

    redis.signal("CONT");
    app.wait_until_ready(Duration::from_secs(10)).await;
}

#[tokio::test]
async fn a_database_that_is_down_at_start_up_does_not_stop_the_server() {
    let mut vars = test_vars().await;
    let closed = free_port();
    vars.insert(
        "DATABASE_URL".into(),
        format!("postgres://nobody:x@127.0.0.1:{closed}/nothing"),
    );
    let app = spawn_app_with(vars).await;

    assert_eq!(app.get("/health").await.status(), 200);
    let (status, body, took) = readiness(&app).await;
    assert_eq!(status, 503);
    assert_eq!(body["checks"]["postgres"]["status"], "down");
    assert_eq!(body["checks"]["schema"]["status"], "pending");
    assert_eq!(body["checks"]["redis"]["status"], "ok");
    assert!(took < Duration::from_secs(2), "took {took:?}");
    assert!(
        !body.to_string().contains("nobody:x"),
        "credentials leak: {body}"
    );
}

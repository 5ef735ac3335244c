//! The outbox sender against a real SMTP server on loopback (aiosmtpd from the test stack's venv).

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use crewplots_domain::Role;
use serde_json::json;

use crate::support::{browser, free_port, spawn_app, spawn_app_with, test_vars};

/// aiosmtpd printing every message it receives to its standard output.
struct SmtpServer {
    port: u16,
    child: Child,
    lines: mpsc::Receiver<String>,
}

impl SmtpServer {
    fn start() -> Self {
        let python = std::env::var("CREWPLOTS_TEST_PYTHON").unwrap_or_else(|_| "python3".into());
        let port = free_port();
        let mut child = Command::new(python)
            .args([
                "-u",
                "-m",
                "aiosmtpd",
                "-n",
                "-l",
                &format!("127.0.0.1:{port}"),
            ])
            .args(["-c", "aiosmtpd.handlers.Debugging"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start aiosmtpd (installed by `cargo xtask test`)");
        let stdout = child.stdout.take().expect("stdout");
        let (sender, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if sender.send(line).is_err() {
                    break;
                }
            }
        });
        let deadline = Instant::now() + Duration::from_secs(15);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "aiosmtpd did not start");
            std::thread::sleep(Duration::from_millis(50));
        }
        Self { port, child, lines }
    }

    /// Everything printed until a line contains `needle` (or the time is up).
    fn wait_for(&self, needle: &str, limit: Duration) -> String {
        let deadline = Instant::now() + limit;
        let mut seen = String::new();
        while Instant::now() < deadline {
            if let Ok(line) = self.lines.recv_timeout(Duration::from_millis(100)) {
                seen.push_str(&line);
                seen.push('\n');
                if line.contains(needle) {
                    return seen;
                }
            }
        }
        panic!("the SMTP server never saw {needle:?}; it printed:\n{seen}");
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[tokio::test]
async fn queued_mails_are_delivered_over_smtp_and_their_tokens_cleared_from_the_outbox() {
    let smtp = SmtpServer::start();
    let mut vars = test_vars().await;
    vars.insert("SMTP_URL".into(), format!("smtp://127.0.0.1:{}", smtp.port));
    vars.insert("MAIL_FROM".into(), "Crew Plots <crew@example.test>".into());
    vars.insert("CREWPLOTS__MAIL__POLL_INTERVAL_MS".into(), "100".into());
    let app = spawn_app_with(vars).await;
    app.wait_until_ready(Duration::from_secs(20)).await;
    let user = app.seed_user(Role::CrewMember, &[]).await;
    let email = format!("{}@example.test", user.username);

    let response = app
        .post_json(
            &browser(),
            "/api/auth/password-reset",
            &json!({"email": email}),
        )
        .await;
    assert_eq!(response.status(), 202);

    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        let client = app.pg.get().await.unwrap();
        let row = client
            .query_one(
                "SELECT status, body_text, sent_at IS NOT NULL, last_error FROM email_outbox WHERE to_address = $1",
                &[&email],
            )
            .await
            .unwrap();
        let (status, body, sent, error): (String, String, bool, Option<String>) =
            (row.get(0), row.get(1), row.get(2), row.get(3));
        if status == "sent" {
            assert!(sent);
            assert!(
                body.contains("token=[redacted]"),
                "the sent copy keeps no live token"
            );
            break;
        }
        assert!(Instant::now() < deadline, "mail still {status}: {error:?}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let printed = smtp.wait_for("reset-password?token=", Duration::from_secs(10));
    assert!(
        printed.contains("Reset your Crew Plots password"),
        "{printed}"
    );
    assert!(printed.contains(&email), "{printed}");
}

#[tokio::test]
async fn without_smtp_mails_are_held_for_administrators() {
    let app = spawn_app().await;
    let user = app.seed_user(Role::CrewMember, &[]).await;
    let email = format!("{}@example.test", user.username);
    app.post_json(
        &browser(),
        "/api/auth/password-reset",
        &json!({"email": email}),
    )
    .await;
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let client = app.pg.get().await.unwrap();
        let status: String = client
            .query_one(
                "SELECT status FROM email_outbox WHERE to_address = $1",
                &[&email],
            )
            .await
            .unwrap()
            .get(0);
        if status == "held" {
            break;
        }
        assert!(Instant::now() < deadline, "mail still {status}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

//! The outbox sender against a real SMTP server on loopback (aiosmtpd from the test stack's venv).

use std::time::{Duration, Instant};

use crewplots_domain::Role;
use serde_json::json;

use crate::support::{browser, spawn_app, spawn_app_with, test_vars, SmtpServer};

#[tokio::test]
async fn queued_mails_are_delivered_over_smtp_and_their_tokens_cleared_from_the_outbox() {
    let mut smtp = SmtpServer::start();
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

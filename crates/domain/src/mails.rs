//! Texts of the e-mails the product sends. Links carrying a token get a redacted twin for the outbox view.

use crate::accounts::NewMail;

/// Replaces the token in a link, for the copy administrators may read.
fn redact(body: &str, token: &str) -> String {
    body.replace(token, "[redacted]")
}

/// Mail for a password reset.
pub fn password_reset(to: &str, first_name: &str, public_url: &str, token: &str) -> NewMail {
    let link = format!("{public_url}/reset-password?token={token}");
    let body = format!(
        "Hello {first_name},\n\n\
         Someone asked to reset the password of your Crew Plots account. If that was you, choose a new \
         password within one hour:\n\n{link}\n\n\
         If it was not you, ignore this mail; your password stays as it is.\n\n\
         — Crew Plots"
    );
    NewMail {
        to: to.to_string(),
        subject: "Reset your Crew Plots password".to_string(),
        body_redacted: redact(&body, token),
        body,
    }
}

/// Mail inviting new staff to set their password.
pub fn invitation(
    to: &str,
    first_name: &str,
    inviter: &str,
    public_url: &str,
    token: &str,
) -> NewMail {
    let link = format!("{public_url}/reset-password?token={token}");
    let body = format!(
        "Hello {first_name},\n\n\
         {inviter} created a Crew Plots account for you. Choose your password within seven days to start:\n\n\
         {link}\n\n\
         — Crew Plots"
    );
    NewMail {
        to: to.to_string(),
        subject: "Your Crew Plots account".to_string(),
        body_redacted: redact(&body, token),
        body,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_outbox_copy_never_contains_the_token() {
        let token = "tok_0123456789abcdef";
        for mail in [
            password_reset("a@example.nl", "Anna", "https://crew.example", token),
            invitation(
                "a@example.nl",
                "Anna",
                "Bram Manager",
                "https://crew.example",
                token,
            ),
        ] {
            assert!(mail.body.contains(token));
            assert!(!mail.body_redacted.contains(token));
            assert!(mail
                .body_redacted
                .contains("/reset-password?token=[redacted]"));
        }
    }
}

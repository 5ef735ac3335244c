//! Texts of the e-mails the product sends. Links carrying a token get a redacted twin for the outbox view.

use crate::accounts::{MailAttachment, NewMail};
use crate::hiring::ApplicationStatus;

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
        attachment: None,
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
        attachment: None,
    }
}

/// Mail confirming a new application.
pub fn application_received(
    to: &str,
    first_name: &str,
    venue: &str,
    position: &str,
    public_url: &str,
) -> NewMail {
    plain(
        to,
        format!("We received your application at {venue}"),
        format!(
            "Hello {first_name},\n\n\
             Thank you for applying as {position} at {venue}. The team will look at your application and \
             contact you. You can follow its status, add your CV and edit your motivation letter here:\n\n\
             {public_url}/portal\n\n\
             — {venue}, through Crew Plots"
        ),
    )
}

/// Mail telling an applicant their application moved on, for the statuses an applicant hears about
/// (contacted, interviewed, hired, rejected); `None` for the others.
pub fn status_changed(
    to: &str,
    first_name: &str,
    venue: &str,
    position: &str,
    status: ApplicationStatus,
    public_url: &str,
) -> Option<NewMail> {
    let (subject, text) = match status {
        ApplicationStatus::Contacted => (
            format!("{venue} is looking at your application"),
            format!(
                "The team of {venue} is reviewing your application as {position} and will be in touch \
                 soon about the next step."
            ),
        ),
        ApplicationStatus::Interviewed => (
            format!("Thank you for the interview at {venue}"),
            format!(
                "Thank you for talking with the team of {venue} about the {position} position. You will hear \
                 from us about the outcome."
            ),
        ),
        ApplicationStatus::Hired => (
            format!("Welcome to the crew of {venue}"),
            format!(
                "Good news: {venue} has hired you as {position}. Log in to see your location; your schedule \
                 will appear there once it is published."
            ),
        ),
        ApplicationStatus::Rejected => (
            format!("Your application at {venue}"),
            format!(
                "Thank you for your interest in working as {position} at {venue}. After careful \
                 consideration the team has decided not to continue with your application. We wish you all \
                 the best."
            ),
        ),
        ApplicationStatus::New
        | ApplicationStatus::ShortListed
        | ApplicationStatus::Withdrawn => return None,
    };
    Some(plain(
        to,
        subject,
        format!(
            "Hello {first_name},\n\n{text}\n\nYour applications: {public_url}/portal\n\n— {venue}, through \
             Crew Plots"
        ),
    ))
}

/// What an interview mail says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InterviewMail {
    Invitation,
    Rescheduled,
    Cancelled,
}

/// Mail with an interview's date, time and place and its `.ics` invitation attached.
#[allow(clippy::too_many_arguments)]
pub fn interview(
    kind: InterviewMail,
    to: &str,
    first_name: &str,
    venue: &str,
    when_local: &str,
    place: &str,
    interviewer: &str,
    ics: String,
) -> NewMail {
    let (subject, lead) = match kind {
        InterviewMail::Invitation => (
            format!("Interview at {venue}: {when_local}"),
            format!("{venue} invites you for an interview."),
        ),
        InterviewMail::Rescheduled => (
            format!("New time for your interview at {venue}: {when_local}"),
            format!("Your interview at {venue} has moved."),
        ),
        InterviewMail::Cancelled => (
            format!("Interview at {venue} cancelled"),
            format!("Your interview at {venue} on {when_local} is cancelled. The team will contact you."),
        ),
    };
    let details = match kind {
        InterviewMail::Cancelled => String::new(),
        _ => format!("\n\nWhen: {when_local}\nWhere: {place}\nWith: {interviewer}\n\nThe attached invitation adds it to your calendar."),
    };
    let mut mail = plain(
        to,
        subject,
        format!("Hello {first_name},\n\n{lead}{details}\n\n— {venue}, through Crew Plots"),
    );
    mail.attachment = Some(MailAttachment {
        file_name: "interview.ics".to_string(),
        content_type: match kind {
            InterviewMail::Cancelled => "text/calendar; charset=utf-8; method=CANCEL",
            _ => "text/calendar; charset=utf-8; method=REQUEST",
        }
        .to_string(),
        content: ics.into_bytes(),
    });
    mail
}

/// A mail without secrets: the administrators' copy is the mail itself.
fn plain(to: &str, subject: String, body: String) -> NewMail {
    NewMail {
        to: to.to_string(),
        subject,
        body_redacted: body.clone(),
        body,
        attachment: None,
    }
}

/// Mail telling a person how their time-off request was decided. `range` is the request as they typed it
/// ("11 Dec 2026 14:00 – 13 Dec 2026").
pub fn time_off_decided(
    to: &str,
    first_name: &str,
    range: &str,
    approved: bool,
    decided_by: &str,
    reason: Option<&str>,
    public_url: &str,
) -> NewMail {
    let (subject, verdict) = if approved {
        ("Your time off was approved", "approved")
    } else {
        ("Your time off was not approved", "not approved")
    };
    let reason = reason
        .map(|r| format!("\n\n{decided_by} wrote: {r}"))
        .unwrap_or_default();
    let body = format!(
        "Hello {first_name},\n\n\
         Your time off {range} was {verdict} by {decided_by}.{reason}\n\n\
         Your requests: {public_url}/me/time-off\n\n\
         — Crew Plots"
    );
    NewMail {
        to: to.to_string(),
        subject: subject.to_string(),
        body_redacted: body.clone(),
        body,
        attachment: None,
    }
}

/// A short mail about a shift request or the schedule: one line of news and where to look.
pub fn shift_notice(
    to: &str,
    first_name: &str,
    subject: &str,
    news: &str,
    public_url: &str,
) -> NewMail {
    let body = format!(
        "Hello {first_name},\n\n{news}\n\nYour shifts and requests: {public_url}/me/shifts\n\n— Crew Plots"
    );
    NewMail {
        to: to.to_string(),
        subject: subject.to_string(),
        body_redacted: body.clone(),
        body,
        attachment: None,
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn applicants_hear_about_the_statuses_that_concern_them() {
        let mail = |s| status_changed("a@x.nl", "Anna", "Bar", "Bartender", s, "https://c");
        for status in ApplicationStatus::ALL {
            let expected = matches!(
                status,
                ApplicationStatus::Contacted
                    | ApplicationStatus::Interviewed
                    | ApplicationStatus::Hired
                    | ApplicationStatus::Rejected
            );
            assert_eq!(mail(status).is_some(), expected, "{status:?}");
        }
        let texts: std::collections::HashSet<String> = ApplicationStatus::ALL
            .into_iter()
            .filter_map(mail)
            .map(|m| m.body)
            .collect();
        assert_eq!(texts.len(), 4, "each status has its own text");
    }

    #[test]
    fn interview_mails_carry_the_calendar_file() {
        let mail = interview(
            InterviewMail::Invitation,
            "a@x.nl",
            "Anna",
            "Bar",
            "Mon 1 Dec 2026 14:00",
            "Back office",
            "Max",
            "BEGIN:VCALENDAR\r\n".into(),
        );
        let attachment = mail.attachment.unwrap();
        assert_eq!(attachment.file_name, "interview.ics");
        assert!(attachment.content_type.starts_with("text/calendar"));
        assert!(mail.body.contains("Back office"));
    }
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

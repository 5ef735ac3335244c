//! What a person is told, in the app and by e-mail. Every notice has a kind a person can mute by e-mail
//! (the in-app list always has it) and plain parameters the UI words in the person's language; nothing
//! sensitive goes into them (names, times, ids).

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::accounts::NewMail;

/// The kinds of notices.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoticeKind {
    /// A week was published with my shifts, or my published shifts changed.
    ScheduleChanged,
    /// A request of mine (time off, claim, offer, swap) was approved or denied.
    RequestDecided,
    /// A colleague offers a shift I may take.
    ShiftOffered,
    /// A colleague proposes to swap shifts with me.
    SwapProposed,
    /// The colleague answered my swap or took my offer.
    RequestAnswered,
}

impl NoticeKind {
    pub const ALL: [Self; 5] = [
        Self::ScheduleChanged,
        Self::RequestDecided,
        Self::ShiftOffered,
        Self::SwapProposed,
        Self::RequestAnswered,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::ScheduleChanged => "schedule_changed",
            Self::RequestDecided => "request_decided",
            Self::ShiftOffered => "shift_offered",
            Self::SwapProposed => "swap_proposed",
            Self::RequestAnswered => "request_answered",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == text)
    }
}

/// A notice to give: the in-app entry, and the mail unless the person muted this kind by e-mail.
#[derive(Debug, Clone)]
pub struct Notice {
    pub user_id: Uuid,
    pub kind: NoticeKind,
    /// Flat string parameters for the UI's sentence (`shift`, `by`, `status`, `requestId`, …).
    pub params: Vec<(&'static str, String)>,
    pub mail: Option<NewMail>,
}

/// A notice as listed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notification {
    pub id: Uuid,
    pub kind: NoticeKind,
    pub params: Vec<(String, String)>,
    pub created_at: DateTime<Utc>,
    pub read_at: Option<DateTime<Utc>>,
}

/// Whether each kind is mailed (absent from the store = yes).
pub fn email_settings(stored: &[(NoticeKind, bool)]) -> Vec<(NoticeKind, bool)> {
    NoticeKind::ALL
        .into_iter()
        .map(|kind| {
            let on = stored
                .iter()
                .find(|(k, _)| *k == kind)
                .is_none_or(|(_, on)| *on);
            (kind, on)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_is_mailed_unless_muted() {
        let settings = email_settings(&[(NoticeKind::ShiftOffered, false)]);
        assert_eq!(settings.len(), NoticeKind::ALL.len());
        for (kind, on) in settings {
            assert_eq!(on, kind != NoticeKind::ShiftOffered);
            assert_eq!(NoticeKind::parse(kind.as_str()), Some(kind));
        }
    }
}

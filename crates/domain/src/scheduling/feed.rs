//! A person's calendar feed (SCHEDULING.md §3): their published shifts as one iCalendar object that
//! calendar apps subscribe to and poll.
//!
//! Invariants of [`render`], on top of the line discipline of [`crate::calendar`] (CRLF, 75-octet folding
//! between UTF-8 characters, TEXT escaping, UTC times):
//! - one VEVENT per published assignment, with a UID that is the assignment's id and never changes;
//! - SEQUENCE and LAST-MODIFIED are the caller's (they rise with every change of time, place or status);
//! - a shift taken away is still listed, with `STATUS:CANCELLED`;
//! - DTSTAMP is the generation time the caller passes (never the shift's start); nothing reads the clock.
//!
//! [`canonical`] is the object without its generation time; a digest of it answers a poll that finds
//! nothing changed with `304 Not Modified`.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::calendar::{escape_text, push_folded, utc};

pub const FEED_PRODID: &str = "-//Crew Plots//Schedule//EN";
/// How often clients are asked to poll (a hint; Google Calendar decides for itself).
pub const REFRESH_HINT: &str = "PT1H";

/// One published assignment as the person's calendar shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedEvent {
    /// The assignment's id: the event's UID for its whole life.
    pub uid: Uuid,
    pub sequence: u32,
    pub last_modified: DateTime<Utc>,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    /// "Bartender · Café Noord".
    pub summary: String,
    /// The location's name and address.
    pub place: String,
    /// Break, the first names of colleagues on the same shift, the shift's note.
    pub description: String,
    pub cancelled: bool,
}

/// The calendar object with `events` (in the order given), stamped `stamp`.
pub fn render(calendar_name: &str, events: &[FeedEvent], stamp: DateTime<Utc>) -> String {
    let mut out = String::with_capacity(512 + events.len() * 400);
    let mut line = |content: &str| push_folded(&mut out, content);
    line("BEGIN:VCALENDAR");
    line(&format!("PRODID:{FEED_PRODID}"));
    line("VERSION:2.0");
    line("CALSCALE:GREGORIAN");
    line("METHOD:PUBLISH");
    line(&format!("NAME:{}", escape_text(calendar_name)));
    line(&format!("X-WR-CALNAME:{}", escape_text(calendar_name)));
    line(&format!("REFRESH-INTERVAL;VALUE=DURATION:{REFRESH_HINT}"));
    line(&format!("X-PUBLISHED-TTL:{REFRESH_HINT}"));
    for event in events {
        line("BEGIN:VEVENT");
        line(&format!("UID:{}@crewplots", event.uid.hyphenated()));
        line(&format!("SEQUENCE:{}", event.sequence));
        line(&format!("DTSTAMP:{}", utc(stamp)));
        line(&format!("LAST-MODIFIED:{}", utc(event.last_modified)));
        line(&format!("DTSTART:{}", utc(event.starts_at)));
        line(&format!("DTEND:{}", utc(event.ends_at)));
        line(&format!("SUMMARY:{}", escape_text(&event.summary)));
        if !event.place.is_empty() {
            line(&format!("LOCATION:{}", escape_text(&event.place)));
        }
        if !event.description.is_empty() {
            line(&format!("DESCRIPTION:{}", escape_text(&event.description)));
        }
        line(if event.cancelled {
            "STATUS:CANCELLED"
        } else {
            "STATUS:CONFIRMED"
        });
        line("TRANSP:OPAQUE");
        line("END:VEVENT");
    }
    line("END:VCALENDAR");
    out
}

/// The object with a fixed stamp: equal for two feeds that differ only in when they were generated, so a
/// digest of it is the feed's strong validator (ETag).
pub fn canonical(calendar_name: &str, events: &[FeedEvent]) -> String {
    render(calendar_name, events, DateTime::<Utc>::UNIX_EPOCH)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use chrono::TimeZone;
    use proptest::prelude::*;

    use super::*;
    use crate::calendar::MAX_LINE_OCTETS;

    fn event(n: u128, text: &str) -> FeedEvent {
        FeedEvent {
            uid: Uuid::from_u128(n),
            sequence: 2,
            last_modified: Utc.with_ymd_and_hms(2026, 12, 1, 9, 0, 0).unwrap(),
            starts_at: Utc.with_ymd_and_hms(2026, 3, 28, 21, 0, 0).unwrap(),
            ends_at: Utc.with_ymd_and_hms(2026, 3, 29, 1, 0, 0).unwrap(),
            summary: format!("Bartender · {text}"),
            place: "Café Noord, Kade 1".into(),
            description: text.into(),
            cancelled: n.is_multiple_of(2),
        }
    }

    #[test]
    fn the_feed_carries_the_hints_and_one_event_per_assignment() {
        let stamp = Utc.with_ymd_and_hms(2026, 12, 4, 10, 0, 0).unwrap();
        let body = render("Crew Plots — Ann", &[event(1, "x"), event(2, "y")], stamp);
        assert!(body.starts_with("BEGIN:VCALENDAR\r\n"));
        assert!(body.ends_with("END:VCALENDAR\r\n"));
        assert!(body.contains("METHOD:PUBLISH\r\n"));
        assert!(body.contains("REFRESH-INTERVAL;VALUE=DURATION:PT1H\r\n"));
        assert!(body.contains("X-PUBLISHED-TTL:PT1H\r\n"));
        assert_eq!(body.matches("BEGIN:VEVENT").count(), 2);
        assert!(body.contains("UID:00000000-0000-0000-0000-000000000001@crewplots\r\n"));
        assert!(body.contains("DTSTAMP:20261204T100000Z\r\n"));
        assert!(body.contains("DTSTART:20260328T210000Z\r\n"));
        assert!(body.contains("SEQUENCE:2\r\n"));
        assert!(body.contains("LOCATION:Café Noord\\, Kade 1\r\n"));
        assert_eq!(body.matches("STATUS:CANCELLED").count(), 1);
        assert_eq!(body.matches("STATUS:CONFIRMED").count(), 1);
    }

    #[test]
    fn the_canonical_form_ignores_the_stamp_and_follows_the_content() {
        let events = vec![event(1, "x")];
        let a = canonical("n", &events);
        assert_eq!(a, canonical("n", &events));
        let mut changed = events.clone();
        changed[0].sequence += 1;
        assert_ne!(a, canonical("n", &changed));
    }

    proptest! {
        #[test]
        fn any_text_keeps_the_line_discipline(text in "\\PC{0,200}", raw in "[\\x00-\\x7f]{0,80}") {
            let stamp = Utc.with_ymd_and_hms(2026, 12, 4, 10, 0, 0).unwrap();
            let body = render(&raw, &[event(1, &text), event(3, &raw)], stamp);
            for line in body.split_terminator("\r\n") {
                prop_assert!(line.len() <= MAX_LINE_OCTETS);
                prop_assert!(!line.contains('\r') && !line.contains('\n'));
            }
            prop_assert_eq!(body.matches("BEGIN:VEVENT\r\n").count(), 2);
            prop_assert_eq!(body.matches("\r\nEND:VEVENT\r\n").count(), 2);
        }
    }
}

//! Interview invitations as iCalendar (RFC 5545) objects, sent with iTIP (RFC 5546) methods: `REQUEST` to
//! invite or reschedule, `CANCEL` to call the interview off.
//!
//! Invariants of every object [`invitation`] returns, whatever the input strings hold:
//! - lines end in CRLF, no other CR or LF occurs, and no line is longer than 75 octets: longer content lines
//!   are folded (CRLF + one space) between UTF-8 characters, never inside one;
//! - TEXT values (SUMMARY, LOCATION, DESCRIPTION) are escaped (`\\`, `\;`, `\,`, `\n`); a line break in the
//!   input (LF, CRLF or a lone CR) becomes `\n`, and the other control characters, which TEXT cannot carry,
//!   are dropped, so unfolding and unescaping gives back the input with those two normalisations;
//! - names in `CN=` parameters are always quoted and use RFC 6868's `^n`, `^'`, `^^` escapes, so a name can
//!   neither end the parameter nor start a new property line;
//! - e-mail addresses are percent-encoded into the `mailto:` URI, for the same reason;
//! - all times are UTC in the `Z` form, and the object does not read the clock: DTSTAMP is the caller's.
//!
//! The caller keeps the rules that need history or validation: the UID stays the same for the life of an
//! interview, SEQUENCE goes up with every reschedule and with the cancellation, `ends_at` is after
//! `starts_at` (RFC 5545 §3.8.2.2), and the e-mail addresses have been validated (here they are only made
//! harmless).
//!
//! Written here instead of with the `icalendar` crate: its 0.17 serializer folds a 150-octet line into a
//! 76-octet continuation line, writes a CR inside a TEXT value unescaped, and copies parameter values such
//! as `CN` verbatim, so a name holding CRLF injects arbitrary properties. It also stamps events with the
//! system clock, which the domain crate does not read.

use chrono::{DateTime, Utc};
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

/// One interview as the candidate's calendar will show it.
#[derive(Debug, Clone, Copy)]
pub struct CalendarEvent<'a> {
    pub uid: uuid::Uuid,
    pub sequence: u32,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub summary: &'a str,
    pub place: &'a str,
    pub description: &'a str,
    pub organizer_name: &'a str,
    pub organizer_email: &'a str,
    pub attendee_name: &'a str,
    pub attendee_email: &'a str,
    pub cancelled: bool,
    pub stamp: DateTime<Utc>,
}

pub const PRODID: &str = "-//Crew Plots//Hiring//EN";
/// Longest content line RFC 5545 §3.1 allows, in octets, not counting the CRLF.
pub const MAX_LINE_OCTETS: usize = 75;

/// The `text/calendar` body inviting the attendee to the event, or cancelling it when `event.cancelled`.
pub fn invitation(event: &CalendarEvent) -> String {
    let (method, status) = if event.cancelled {
        ("CANCEL", "CANCELLED")
    } else {
        ("REQUEST", "CONFIRMED")
    };
    let mut out = String::with_capacity(1024);
    let mut line = |content: &str| push_folded(&mut out, content);

    line("BEGIN:VCALENDAR");
    line(&format!("PRODID:{PRODID}"));
    line("VERSION:2.0");
    line("CALSCALE:GREGORIAN");
    line(&format!("METHOD:{method}"));
    line("BEGIN:VEVENT");
    line(&format!("UID:{}@crewplots", event.uid.hyphenated()));
    line(&format!("SEQUENCE:{}", event.sequence));
    line(&format!("DTSTAMP:{}", utc(event.stamp)));
    line(&format!("DTSTART:{}", utc(event.starts_at)));
    line(&format!("DTEND:{}", utc(event.ends_at)));
    line(&format!("SUMMARY:{}", escape_text(event.summary)));
    line(&format!("LOCATION:{}", escape_text(event.place)));
    line(&format!("DESCRIPTION:{}", escape_text(event.description)));
    line(&format!(
        "ORGANIZER;CN={}:{}",
        param_value(event.organizer_name),
        mailto(event.organizer_email)
    ));
    line(&format!(
        "ATTENDEE;CN={};ROLE=REQ-PARTICIPANT:{}",
        param_value(event.attendee_name),
        mailto(event.attendee_email)
    ));
    line(&format!("STATUS:{status}"));
    line("END:VEVENT");
    line("END:VCALENDAR");
    out
}

/// RFC 5545 DATE-TIME in UTC ("form #2"): `19980119T070000Z`. Sub-second precision is dropped; the format
/// has none.
pub(crate) fn utc(at: DateTime<Utc>) -> String {
    at.format("%Y%m%dT%H%M%SZ").to_string()
}

/// Escapes a TEXT value (RFC 5545 §3.3.11). Line breaks of any convention become `\n`; other control
/// characters except HTAB are not allowed in TEXT at all and are dropped.
pub(crate) fn escape_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {
                // CRLF is one line break, not two.
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push_str("\\n");
            }
            '\t' => out.push('\t'),
            c if is_ical_control(c) => {}
            c => out.push(c),
        }
    }
    out
}

/// A parameter value as an always-quoted string (RFC 5545 §3.1 `quoted-string`), with RFC 6868's
/// caret escapes for the characters a quoted string cannot hold.
fn param_value(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    let mut chars = value.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '^' => out.push_str("^^"),
            '"' => out.push_str("^'"),
            '\n' => out.push_str("^n"),
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push_str("^n");
            }
            '\t' => out.push('\t'),
            c if is_ical_control(c) => {}
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// RFC 5545's CONTROL: %x00-08 / %x0A-1F / %x7F.
fn is_ical_control(c: char) -> bool {
    matches!(c, '\u{0}'..='\u{8}' | '\u{a}'..='\u{1f}' | '\u{7f}')
}

/// Characters left as they are in the address part of a `mailto:` URI: the dot-atom characters of an
/// e-mail address and `@` (RFC 6068 §2). Everything else, including controls, spaces, `:`, `;`, `"` and
/// non-ASCII, is percent-encoded as UTF-8.
const MAILTO_ADDR: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'@')
    .remove(b'.')
    .remove(b'!')
    .remove(b'$')
    .remove(b'&')
    .remove(b'\'')
    .remove(b'*')
    .remove(b'+')
    .remove(b'-')
    .remove(b'=')
    .remove(b'^')
    .remove(b'_')
    .remove(b'`')
    .remove(b'{')
    .remove(b'|')
    .remove(b'}')
    .remove(b'~');

fn mailto(email: &str) -> String {
    format!("mailto:{}", utf8_percent_encode(email.trim(), MAILTO_ADDR))
}

/// Appends one content line, folded so that no physical line exceeds [`MAX_LINE_OCTETS`] octets, and its
/// CRLF. Folds fall between characters, so a multi-octet UTF-8 sequence is never split.
pub(crate) fn push_folded(out: &mut String, line: &str) {
    // The first physical line holds 75 octets; each continuation starts with one space and holds 74 more.
    let mut budget = MAX_LINE_OCTETS;
    let mut used = 0;
    for c in line.chars() {
        let octets = c.len_utf8();
        if used + octets > budget {
            out.push_str("\r\n ");
            budget = MAX_LINE_OCTETS - 1;
            used = 0;
        }
        out.push(c);
        used += octets;
    }
    out.push_str("\r\n");
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use proptest::prelude::*;

    fn event<'a>(summary: &'a str, place: &'a str, description: &'a str) -> CalendarEvent<'a> {
        CalendarEvent {
            uid: uuid::Uuid::from_u128(0x6f1b_2c3d_4e5f_4a6b_8c7d_9e0f_1a2b_3c4d),
            sequence: 2,
            starts_at: Utc.with_ymd_and_hms(2026, 12, 3, 14, 30, 0).unwrap(),
            ends_at: Utc.with_ymd_and_hms(2026, 12, 3, 15, 0, 0).unwrap(),
            summary,
            place,
            description,
            organizer_name: "Maria Rossi",
            organizer_email: "hiring@crooked-fork.example",
            attendee_name: "Jean-Luc Dupont",
            attendee_email: "jl.dupont@example.org",
            cancelled: false,
            stamp: Utc.with_ymd_and_hms(2026, 11, 26, 9, 15, 42).unwrap(),
        }
    }

    /// RFC 5545 §3.1 unfolding: a CRLF followed by one space or tab is removed.
    fn unfold(ics: &str) -> String {
        ics.replace("\r\n ", "").replace("\r\n\t", "")
    }

    fn unescape_text(value: &str) -> String {
        let mut out = String::new();
        let mut chars = value.chars();
        while let Some(c) = chars.next() {
            if c != '\\' {
                out.push(c);
                continue;
            }
            match chars.next() {
                Some('n' | 'N') => out.push('\n'),
                Some(other) => out.push(other),
                None => panic!("dangling backslash in {value:?}"),
            }
        }
        out
    }

    /// The unescaped value of the first property named `name` (parameters skipped).
    fn property(ics: &str, name: &str) -> String {
        let unfolded = unfold(ics);
        let line = unfolded
            .split("\r\n")
            .find(|l| l.starts_with(&format!("{name}:")) || l.starts_with(&format!("{name};")))
            .unwrap();
        let value = &line[line.find(':').unwrap() + 1..];
        unescape_text(value)
    }

    fn assert_well_formed(ics: &str) {
        assert!(ics.ends_with("\r\n"));
        for l in ics.strip_suffix("\r\n").unwrap().split("\r\n") {
            assert!(l.len() <= MAX_LINE_OCTETS, "{} octets: {l:?}", l.len());
            assert!(
                !l.contains('\r') && !l.contains('\n'),
                "bare CR or LF in {l:?}"
            );
        }
    }

    #[test]
    fn request_has_the_expected_shape() {
        let ics = invitation(&event(
            "Interview: bartender",
            "The Crooked Fork, 12 Quay St",
            "Bring ID.",
        ));
        let expected = "BEGIN:VCALENDAR\r\n\
            PRODID:-//Crew Plots//Hiring//EN\r\n\
            VERSION:2.0\r\n\
            CALSCALE:GREGORIAN\r\n\
            METHOD:REQUEST\r\n\
            BEGIN:VEVENT\r\n\
            UID:6f1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d@crewplots\r\n\
            SEQUENCE:2\r\n\
            DTSTAMP:20261126T091542Z\r\n\
            DTSTART:20261203T143000Z\r\n\
            DTEND:20261203T150000Z\r\n\
            SUMMARY:Interview: bartender\r\n\
            LOCATION:The Crooked Fork\\, 12 Quay St\r\n\
            DESCRIPTION:Bring ID.\r\n\
            ORGANIZER;CN=\"Maria Rossi\":mailto:hiring@crooked-fork.example\r\n\
            ATTENDEE;CN=\"Jean-Luc Dupont\";ROLE=REQ-PARTICIPANT:mailto:jl.dupont@example\r\n \
            .org\r\n\
            STATUS:CONFIRMED\r\n\
            END:VEVENT\r\n\
            END:VCALENDAR\r\n";
        assert_eq!(ics, expected);
        assert_well_formed(&ics);
    }

    #[test]
    fn cancelled_event_carries_cancel_method_and_status() {
        let mut cancelled = event("Interview", "Bar", "");
        cancelled.cancelled = true;
        cancelled.sequence = 3;
        let ics = invitation(&cancelled);
        assert!(ics.contains("\r\nMETHOD:CANCEL\r\n"));
        assert!(ics.contains("\r\nSTATUS:CANCELLED\r\n"));
        assert!(ics.contains("\r\nSEQUENCE:3\r\n"));
        assert!(!ics.contains("REQUEST"));
        assert!(!ics.contains("CONFIRMED"));
        assert_well_formed(&ics);
    }

    #[test]
    fn text_escaping() {
        assert_eq!(escape_text(r"a\b;c,d"), r"a\\b\;c\,d");
        assert_eq!(
            escape_text("one\ntwo\r\nthree\rfour"),
            r"one\ntwo\nthree\nfour"
        );
        assert_eq!(escape_text("tab\there"), "tab\there");
        assert_eq!(escape_text("bell\u{7}del\u{7f}nul\u{0}"), "belldelnul");
        assert_eq!(
            escape_text("colon: \"quotes\" stay"),
            "colon: \"quotes\" stay"
        );
        assert_eq!(escape_text("crème brûlée 老虎 🍸"), "crème brûlée 老虎 🍸");
        assert_eq!(escape_text(r"\n is not a newline"), r"\\n is not a newline");
    }

    #[test]
    fn parameter_values_are_quoted_and_caret_escaped() {
        assert_eq!(param_value("Doe, John"), "\"Doe, John\"");
        assert_eq!(param_value("a:b;c"), "\"a:b;c\"");
        assert_eq!(
            param_value("Eve \"the\" ^ one\r\nX-EVIL:1"),
            "\"Eve ^'the^' ^^ one^nX-EVIL:1\""
        );
        assert_eq!(param_value("nul\u{0}"), "\"nul\"");
    }

    #[test]
    fn hostile_names_and_emails_cannot_inject_properties() {
        let mut e = event("Interview", "Bar", "");
        e.attendee_name = "Eve\r\nATTENDEE:mailto:spy@evil.example\r\n";
        e.attendee_email = "eve@example.org\r\nX-EVIL:1";
        e.organizer_name = "\"quoted\":mailto:x";
        let ics = invitation(&e);
        assert_well_formed(&ics);
        let unfolded = unfold(&ics);
        let attendee_lines: Vec<_> = unfolded
            .split("\r\n")
            .filter(|l| l.starts_with("ATTENDEE"))
            .collect();
        assert_eq!(attendee_lines.len(), 1);
        assert!(!unfolded.contains("\r\nX-EVIL"));
        assert!(attendee_lines[0].ends_with(":mailto:eve@example.org%0D%0AX-EVIL%3A1"));
        assert!(unfolded.contains("ORGANIZER;CN=\"^'quoted^':mailto:x\":mailto:"));
    }

    #[test]
    fn mailto_keeps_ordinary_addresses_readable() {
        assert_eq!(mailto("a.b+tag@example.com"), "mailto:a.b+tag@example.com");
        assert_eq!(mailto(" jo@x.example "), "mailto:jo@x.example");
        assert_eq!(
            mailto("josé@exämple.org"),
            "mailto:jos%C3%A9@ex%C3%A4mple.org"
        );
    }

    #[test]
    fn folding_at_exactly_75_octets() {
        let mut out = String::new();
        push_folded(&mut out, &"a".repeat(75));
        assert_eq!(out, format!("{}\r\n", "a".repeat(75)));

        let mut out = String::new();
        push_folded(&mut out, &"a".repeat(76));
        assert_eq!(out, format!("{}\r\n a\r\n", "a".repeat(75)));

        // 75 + 74 + 1: the second physical line is a space and 74 octets, never 76.
        let mut out = String::new();
        push_folded(&mut out, &"a".repeat(150));
        assert_eq!(
            out,
            format!("{}\r\n {}\r\n a\r\n", "a".repeat(75), "a".repeat(74))
        );
    }

    #[test]
    fn folding_never_splits_a_utf8_character() {
        // 74 ASCII octets then a 3-octet character: it does not fit in the 75th octet, so it moves down.
        let line = format!("{}老虎", "x".repeat(74));
        let mut out = String::new();
        push_folded(&mut out, &line);
        assert_eq!(out, format!("{}\r\n 老虎\r\n", "x".repeat(74)));

        let emoji = "🍸".repeat(60);
        let mut out = String::new();
        push_folded(&mut out, &emoji);
        for l in out.strip_suffix("\r\n").unwrap().split("\r\n") {
            assert!(l.len() <= MAX_LINE_OCTETS);
        }
        assert_eq!(unfold(&out), format!("{emoji}\r\n"));
    }

    #[test]
    fn long_multilingual_description_round_trips() {
        let description = "Bitte bringen Sie Ihren Ausweis mit; Parken: Hof, Tor 2.\n\
            Приходите за 10 минут до начала. 面试大约需要三十分钟。\\ Bis bald! 🍸";
        let ics = invitation(&event("Vorstellungsgespräch", "Café Müller", description));
        assert_well_formed(&ics);
        assert_eq!(property(&ics, "DESCRIPTION"), description);
        assert_eq!(property(&ics, "SUMMARY"), "Vorstellungsgespräch");
    }

    /// What a TEXT value reads as after the round trip: line breaks as LF, other controls gone.
    fn normalised(text: &str) -> String {
        let text = text.replace("\r\n", "\n").replace('\r', "\n");
        text.chars()
            .filter(|&c| c == '\n' || !is_ical_control(c))
            .collect()
    }

    /// Text that TEXT can carry exactly, weighted towards the characters that need escaping or are wide.
    fn representable_text() -> impl Strategy<Value = String> {
        let ch = prop_oneof![
            4 => any::<char>().prop_filter("TEXT has no CONTROL", |c| !is_ical_control(*c) && *c != '\r'),
            1 => prop::sample::select(vec!['\\', ';', ',', '\n', '\t', ':', '"', ' ', 'é', '老', '🍸']),
        ];
        prop::collection::vec(ch, 0..400).prop_map(|cs| cs.into_iter().collect())
    }

    proptest! {
        #[test]
        fn lines_are_short_crlf_terminated_and_text_round_trips(
            summary in representable_text(),
            place in representable_text(),
            description in representable_text(),
        ) {
            let ics = invitation(&event(&summary, &place, &description));
            prop_assert!(ics.ends_with("\r\n"));
            for l in ics.strip_suffix("\r\n").unwrap().split("\r\n") {
                prop_assert!(l.len() <= MAX_LINE_OCTETS, "{} octets: {:?}", l.len(), l);
                prop_assert!(!l.contains('\r') && !l.contains('\n'));
            }
            prop_assert_eq!(property(&ics, "SUMMARY"), summary);
            prop_assert_eq!(property(&ics, "LOCATION"), place);
            prop_assert_eq!(property(&ics, "DESCRIPTION"), description);
        }

        #[test]
        fn arbitrary_strings_stay_well_formed_and_round_trip_normalised(
            summary in any::<String>(),
            place in ".*",
            description in any::<String>(),
            name in any::<String>(),
            email in any::<String>(),
        ) {
            let mut e = event(&summary, &place, &description);
            e.attendee_name = &name;
            e.attendee_email = &email;
            let ics = invitation(&e);
            prop_assert!(ics.ends_with("\r\n"));
            let lines: Vec<_> = ics.strip_suffix("\r\n").unwrap().split("\r\n").collect();
            for l in &lines {
                prop_assert!(l.len() <= MAX_LINE_OCTETS, "{} octets: {:?}", l.len(), l);
                prop_assert!(!l.contains('\r') && !l.contains('\n'));
            }
            // Exactly the 19 content lines, however hostile the input: nothing was injected.
            let logical = lines.iter().filter(|l| !l.starts_with(' ')).count();
            prop_assert_eq!(logical, 19);
            prop_assert_eq!(property(&ics, "SUMMARY"), normalised(&summary));
            prop_assert_eq!(property(&ics, "LOCATION"), normalised(&place));
            prop_assert_eq!(property(&ics, "DESCRIPTION"), normalised(&description));
        }
    }
}

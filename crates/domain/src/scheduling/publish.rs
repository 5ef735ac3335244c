//! What publishing a week tells each person: the difference between the assignments crew last saw (the
//! published copy) and the assignments now, per person, as old → new times. Publishing again notifies only
//! the people whose own shifts changed (SCHEDULING.md §1).

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use uuid::Uuid;

use crate::accounts::NewMail;

/// One assignment as published (or as it would be published now).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublishedEntry {
    pub assignment_id: Uuid,
    pub user_id: Uuid,
    pub shift_id: Uuid,
    pub position: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
}

/// A change to one person's shifts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PersonChange {
    Added(PublishedEntry),
    Removed(PublishedEntry),
    Moved {
        old: PublishedEntry,
        new: PublishedEntry,
    },
}

impl PersonChange {
    fn sort_key(&self) -> (DateTime<Utc>, Uuid) {
        match self {
            Self::Added(e) | Self::Removed(e) => (e.starts_at, e.assignment_id),
            Self::Moved { new, .. } => (new.starts_at, new.assignment_id),
        }
    }
}

/// Per person (by id), what changed between `published` and `current`, in time order. People whose
/// shifts are the same are absent.
pub fn diff(
    published: &[PublishedEntry],
    current: &[PublishedEntry],
) -> BTreeMap<Uuid, Vec<PersonChange>> {
    let mut changes: BTreeMap<Uuid, Vec<PersonChange>> = BTreeMap::new();
    for old in published {
        match current
            .iter()
            .find(|c| c.assignment_id == old.assignment_id)
        {
            None => changes
                .entry(old.user_id)
                .or_default()
                .push(PersonChange::Removed(old.clone())),
            Some(new) if new.user_id != old.user_id => {
                changes
                    .entry(old.user_id)
                    .or_default()
                    .push(PersonChange::Removed(old.clone()));
                changes
                    .entry(new.user_id)
                    .or_default()
                    .push(PersonChange::Added(new.clone()));
            }
            Some(new)
                if new.starts_at != old.starts_at
                    || new.ends_at != old.ends_at
                    || new.position != old.position =>
            {
                changes
                    .entry(new.user_id)
                    .or_default()
                    .push(PersonChange::Moved {
                        old: old.clone(),
                        new: new.clone(),
                    })
            }
            Some(_) => {}
        }
    }
    for new in current {
        if !published
            .iter()
            .any(|p| p.assignment_id == new.assignment_id)
        {
            changes
                .entry(new.user_id)
                .or_default()
                .push(PersonChange::Added(new.clone()));
        }
    }
    for list in changes.values_mut() {
        list.sort_by_key(PersonChange::sort_key);
    }
    changes
}

fn span(tz: Tz, entry: &PublishedEntry) -> String {
    let start = entry.starts_at.with_timezone(&tz);
    let end = entry.ends_at.with_timezone(&tz);
    format!(
        "{} {}–{} ({})",
        start.format("%a %-d %b"),
        start.format("%H:%M"),
        end.format("%H:%M"),
        entry.position
    )
}

/// One line per change: `new: Mon 8 Dec 18:00–23:00 (Bartender)`, `moved: … → …`, `cancelled: …`.
pub fn change_lines(tz: Tz, changes: &[PersonChange]) -> Vec<String> {
    changes
        .iter()
        .map(|c| match c {
            PersonChange::Added(e) => format!("new: {}", span(tz, e)),
            PersonChange::Removed(e) => format!("cancelled: {}", span(tz, e)),
            PersonChange::Moved { old, new } => {
                format!("moved: {} → {}", span(tz, old), span(tz, new))
            }
        })
        .collect()
}

/// The mail a person gets when a publish changes their shifts.
pub fn schedule_mail(
    to: &str,
    first_name: &str,
    venue: &str,
    week: &str,
    tz: Tz,
    changes: &[PersonChange],
    public_url: &str,
) -> NewMail {
    let lines = change_lines(tz, changes)
        .into_iter()
        .map(|l| format!("  • {l}"))
        .collect::<Vec<_>>()
        .join("\n");
    let body = format!(
        "Hello {first_name},\n\n\
         The schedule of {venue} for week {week} was published, and your shifts changed:\n\n{lines}\n\n\
         Times are local to {venue} ({}). See the whole week here:\n\n{public_url}/schedule\n\n\
         — {venue}, through Crew Plots",
        tz.name()
    );
    NewMail {
        to: to.to_string(),
        subject: format!("Your shifts at {venue}, week {week}"),
        body_redacted: body.clone(),
        body,
        attachment: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use chrono_tz::Europe::Amsterdam;
    use proptest::prelude::*;

    fn entry(assignment: u128, user: u128, hour: u32) -> PublishedEntry {
        PublishedEntry {
            assignment_id: Uuid::from_u128(assignment),
            user_id: Uuid::from_u128(user),
            shift_id: Uuid::from_u128(assignment + 100),
            position: "Bartender".into(),
            starts_at: Utc.with_ymd_and_hms(2026, 12, 7, hour, 0, 0).unwrap(),
            ends_at: Utc.with_ymd_and_hms(2026, 12, 7, hour + 5, 0, 0).unwrap(),
        }
    }

    #[test]
    fn only_people_whose_own_shifts_changed_are_listed() {
        let published = vec![entry(1, 10, 9), entry(2, 20, 9), entry(3, 30, 9)];
        let current = vec![entry(1, 10, 9), entry(2, 20, 11), entry(4, 40, 12)];
        let changes = diff(&published, &current);
        assert_eq!(
            changes.keys().copied().collect::<Vec<_>>(),
            vec![
                Uuid::from_u128(20),
                Uuid::from_u128(30),
                Uuid::from_u128(40)
            ]
        );
        let lines = change_lines(Amsterdam, &changes[&Uuid::from_u128(20)]);
        assert_eq!(
            lines,
            vec!["moved: Mon 7 Dec 10:00–15:00 (Bartender) → Mon 7 Dec 12:00–17:00 (Bartender)"]
        );
        assert!(
            change_lines(Amsterdam, &changes[&Uuid::from_u128(30)])[0].starts_with("cancelled:")
        );
        let mail = schedule_mail(
            "a@example.test",
            "Ann",
            "De Gouden Leeuw",
            "2026-W50",
            Amsterdam,
            &changes[&Uuid::from_u128(40)],
            "https://crew.example",
        );
        assert!(
            mail.body.contains("new: Mon 7 Dec 13:00–18:00 (Bartender)"),
            "{}",
            mail.body
        );
        assert!(mail.subject.contains("2026-W50"));
    }

    proptest! {
        /// Nobody is told of a change when nothing changed, and applying the diff's view to the published
        /// list gives the current list's people.
        #[test]
        fn the_diff_is_empty_exactly_when_nothing_changed(
            old in prop::collection::vec((0u128..6, 0u128..4, 6u32..12), 0..6),
            new in prop::collection::vec((0u128..6, 0u128..4, 6u32..12), 0..6),
        ) {
            let dedup = |raw: Vec<(u128, u128, u32)>| {
                let mut seen = Vec::new();
                raw.into_iter().filter(|(a, _, _)| { let fresh = !seen.contains(a); seen.push(*a); fresh })
                    .map(|(a, u, h)| entry(a, u, h)).collect::<Vec<_>>()
            };
            let old = dedup(old);
            let new = dedup(new);
            let changes = diff(&old, &new);
            let same = old.len() == new.len() && old.iter().all(|o| new.contains(o));
            prop_assert_eq!(changes.is_empty(), same);
            prop_assert!(diff(&new, &new).is_empty());
            for (user, list) in &changes {
                for change in list {
                    match change {
                        PersonChange::Added(e) | PersonChange::Removed(e) => prop_assert_eq!(e.user_id, *user),
                        PersonChange::Moved { old, new } => {
                            prop_assert_eq!(old.user_id, *user);
                            prop_assert_eq!(new.user_id, *user);
                        }
                    }
                }
            }
        }
    }
}

//! What publishing a week tells each person: the difference between the assignments crew last saw (the
//! published copy) and the assignments now, per person, as old → new times. Publishing again notifies only
//! the people whose own shifts changed (SCHEDULING.md §1).
//!
//! Also what publishing does to a locked (exported) hours period ([`locked_impact`]): which locked dates a
//! publish would change, and per person and date the signed difference it makes to the exported figures.
//! Invariant: applying the corrections to the figures of the old published copy gives exactly the figures
//! of the new one, for every locked date.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use uuid::Uuid;

use crate::accounts::NewMail;
use crate::scheduling::hours::{HoursFigures, ShiftTimes};

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

/// A shift of a week as its hours need it: its local start date (the date it counts on) and its times.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ShiftHours {
    pub shift_id: Uuid,
    pub local_date: NaiveDate,
    pub times: ShiftTimes,
}

/// A locked hours period of a location: its dates, both ends included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LockedPeriod {
    pub id: Uuid,
    pub from: NaiveDate,
    pub to: NaiveDate,
}

impl LockedPeriod {
    pub fn contains(&self, date: NaiveDate) -> bool {
        self.from <= date && date <= self.to
    }
}

/// The signed difference a publish makes to one person's figures on one locked date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HoursCorrection {
    pub user_id: Uuid,
    /// The corrected shifts' local date.
    pub shift_date: NaiveDate,
    pub delta: HoursFigures,
}

/// What a publish would do to locked periods.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LockedImpact {
    /// Locked dates on which the published copy of a shift would change (its times, its break or who is
    /// on it). Empty: the publish leaves every locked period as exported.
    pub dates: BTreeSet<NaiveDate>,
    /// Per person and locked date, the non-zero differences, by person then date.
    pub corrections: Vec<HoursCorrection>,
}

/// Compares the published copy (`published_shifts` with the `published` assignments) with the week now
/// (`current_shifts`, `current`) on the dates of `locks`. A shift "changes" when it appears, disappears, or
/// its start, end, break or set of people differ; a note, slot count or position change alters no exported
/// figure and does not count.
pub fn locked_impact(
    tz: Tz,
    locks: &[LockedPeriod],
    published_shifts: &[ShiftHours],
    published: &[PublishedEntry],
    current_shifts: &[ShiftHours],
    current: &[PublishedEntry],
) -> LockedImpact {
    let locked = |date: NaiveDate| locks.iter().any(|l| l.contains(date));
    let people = |entries: &[PublishedEntry], shift: Uuid| {
        entries
            .iter()
            .filter(|e| e.shift_id == shift)
            .map(|e| e.user_id)
            .collect::<BTreeSet<_>>()
    };
    let mut dates = BTreeSet::new();
    for old in published_shifts {
        let new = current_shifts.iter().find(|s| s.shift_id == old.shift_id);
        let same = new.is_some_and(|new| {
            new.local_date == old.local_date
                && new.times == old.times
                && people(published, old.shift_id) == people(current, old.shift_id)
        });
        if !same {
            dates.extend(
                std::iter::once(old.local_date)
                    .chain(new.map(|n| n.local_date))
                    .filter(|d| locked(*d)),
            );
        }
    }
    for new in current_shifts {
        if !published_shifts.iter().any(|s| s.shift_id == new.shift_id) && locked(new.local_date) {
            dates.insert(new.local_date);
        }
    }
    let totals = |shifts: &[ShiftHours], entries: &[PublishedEntry]| {
        let mut sums: BTreeMap<(Uuid, NaiveDate), HoursFigures> = BTreeMap::new();
        for entry in entries {
            if let Some(shift) = shifts.iter().find(|s| s.shift_id == entry.shift_id) {
                if dates.contains(&shift.local_date) {
                    *sums.entry((entry.user_id, shift.local_date)).or_default() +=
                        shift.times.figures(tz);
                }
            }
        }
        sums
    };
    let before = totals(published_shifts, published);
    let after = totals(current_shifts, current);
    let keys: BTreeSet<(Uuid, NaiveDate)> = before.keys().chain(after.keys()).copied().collect();
    let corrections = keys
        .into_iter()
        .filter_map(|key| {
            let delta = after.get(&key).copied().unwrap_or_default()
                - before.get(&key).copied().unwrap_or_default();
            (!delta.is_zero()).then_some(HoursCorrection {
                user_id: key.0,
                shift_date: key.1,
                delta,
            })
        })
        .collect();
    LockedImpact { dates, corrections }
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

    fn shift_hours(
        id: u128,
        date: (i32, u32, u32),
        start: (u32, u32),
        end: (u32, u32),
    ) -> ShiftHours {
        use crate::scheduling::time::{shift_instants, LocalPolicy};
        let day = NaiveDate::from_ymd_opt(date.0, date.1, date.2).unwrap();
        let at = |(h, m): (u32, u32)| chrono::NaiveTime::from_hms_opt(h, m, 0).unwrap();
        let (starts_at, ends_at) =
            shift_instants(Amsterdam, day, at(start), at(end), LocalPolicy::Strict).unwrap();
        ShiftHours {
            shift_id: Uuid::from_u128(id),
            local_date: day,
            times: ShiftTimes {
                starts_at,
                ends_at,
                break_minutes: 30,
            },
        }
    }

    fn on(assignment: u128, user: u128, shift: &ShiftHours) -> PublishedEntry {
        PublishedEntry {
            assignment_id: Uuid::from_u128(assignment),
            user_id: Uuid::from_u128(user),
            shift_id: shift.shift_id,
            position: "Bartender".into(),
            starts_at: shift.times.starts_at,
            ends_at: shift.times.ends_at,
        }
    }

    #[test]
    fn a_publish_into_a_locked_period_yields_signed_corrections_per_person_and_date() {
        let lock = LockedPeriod {
            id: Uuid::from_u128(9),
            from: NaiveDate::from_ymd_opt(2026, 12, 7).unwrap(),
            to: NaiveDate::from_ymd_opt(2026, 12, 9).unwrap(),
        };
        // Tue 8 Dec 18:00–23:00 (Ann), Thu 10 Dec 18:00–23:00 (Bob, outside the lock).
        let tuesday = shift_hours(1, (2026, 12, 8), (18, 0), (23, 0));
        let thursday = shift_hours(2, (2026, 12, 10), (18, 0), (23, 0));
        let published = vec![on(11, 100, &tuesday), on(12, 200, &thursday)];
        // Nothing changed: no impact.
        let same = locked_impact(
            Amsterdam,
            &[lock],
            &[tuesday, thursday],
            &published,
            &[tuesday, thursday],
            &published,
        );
        assert_eq!(same, LockedImpact::default());
        // Only the unlocked Thursday changes: no impact either.
        let later = shift_hours(2, (2026, 12, 10), (19, 0), (23, 0));
        let outside = locked_impact(
            Amsterdam,
            &[lock],
            &[tuesday, thursday],
            &published,
            &[tuesday, later],
            &[on(11, 100, &tuesday), on(12, 200, &later)],
        );
        assert!(outside.dates.is_empty());
        // Tuesday now ends at 02:00 (Wed) and Bob joins it: Ann +3 h planned, +2 h night; Bob +1 shift.
        let longer = shift_hours(1, (2026, 12, 8), (18, 0), (2, 0));
        let impact = locked_impact(
            Amsterdam,
            &[lock],
            &[tuesday, thursday],
            &published,
            &[longer, thursday],
            &[
                on(11, 100, &longer),
                on(13, 200, &longer),
                on(12, 200, &thursday),
            ],
        );
        let tuesday_date = NaiveDate::from_ymd_opt(2026, 12, 8).unwrap();
        assert_eq!(
            impact.dates.iter().copied().collect::<Vec<_>>(),
            vec![tuesday_date]
        );
        assert_eq!(
            impact.corrections,
            vec![
                HoursCorrection {
                    user_id: Uuid::from_u128(100),
                    shift_date: tuesday_date,
                    delta: HoursFigures {
                        shifts: 0,
                        planned_minutes: 180,
                        night_minutes: 120,
                        sunday_minutes: 0
                    },
                },
                HoursCorrection {
                    user_id: Uuid::from_u128(200),
                    shift_date: tuesday_date,
                    delta: HoursFigures {
                        shifts: 1,
                        planned_minutes: 450,
                        night_minutes: 120,
                        sunday_minutes: 0
                    },
                },
            ]
        );
        // Removing the shift takes everything back.
        let removed = locked_impact(
            Amsterdam,
            &[lock],
            &[tuesday],
            &[on(11, 100, &tuesday)],
            &[],
            &[],
        );
        assert_eq!(removed.corrections.len(), 1);
        assert_eq!(
            removed.corrections[0].delta,
            -tuesday.times.figures(Amsterdam)
        );
    }

    proptest! {
        /// Applying the corrections to the old published figures gives the new ones on every locked date.
        #[test]
        fn corrections_turn_the_old_figures_into_the_new(
            old in prop::collection::vec((0u128..4, 0u128..3, 7u32..14, 10u32..20, 1u32..8), 0..6),
            new in prop::collection::vec((0u128..4, 0u128..3, 7u32..14, 10u32..20, 1u32..8), 0..6),
        ) {
            let lock = LockedPeriod {
                id: Uuid::from_u128(1),
                from: NaiveDate::from_ymd_opt(2026, 12, 8).unwrap(),
                to: NaiveDate::from_ymd_opt(2026, 12, 11).unwrap(),
            };
            let build = |raw: &[(u128, u128, u32, u32, u32)]| {
                let mut shifts: Vec<ShiftHours> = Vec::new();
                let mut entries = Vec::new();
                for (n, (shift, user, day, hour, length)) in raw.iter().enumerate() {
                    if !shifts.iter().any(|s| s.shift_id == Uuid::from_u128(*shift)) {
                        shifts.push(shift_hours(*shift, (2026, 12, *day), (*hour, 0), ((*hour + *length) % 24, 0)));
                    }
                    let s = *shifts.iter().find(|s| s.shift_id == Uuid::from_u128(*shift)).unwrap();
                    if !entries.iter().any(|e: &PublishedEntry| e.shift_id == s.shift_id && e.user_id == Uuid::from_u128(*user)) {
                        entries.push(on(1000 + n as u128, *user, &s));
                    }
                }
                (shifts, entries)
            };
            let (old_shifts, old_entries) = build(&old);
            let (new_shifts, new_entries) = build(&new);
            let impact = locked_impact(Amsterdam, &[lock], &old_shifts, &old_entries, &new_shifts, &new_entries);
            let sums = |shifts: &[ShiftHours], entries: &[PublishedEntry]| {
                let mut sums: BTreeMap<(Uuid, NaiveDate), HoursFigures> = BTreeMap::new();
                for e in entries {
                    let s = shifts.iter().find(|s| s.shift_id == e.shift_id).unwrap();
                    if lock.contains(s.local_date) {
                        *sums.entry((e.user_id, s.local_date)).or_default() += s.times.figures(Amsterdam);
                    }
                }
                sums
            };
            let mut corrected = sums(&old_shifts, &old_entries);
            for c in &impact.corrections {
                prop_assert!(impact.dates.contains(&c.shift_date));
                *corrected.entry((c.user_id, c.shift_date)).or_default() += c.delta;
            }
            corrected.retain(|_, f| !f.is_zero());
            let mut expected = sums(&new_shifts, &new_entries);
            expected.retain(|_, f| !f.is_zero());
            prop_assert_eq!(corrected, expected);
            prop_assert!(impact.dates.iter().all(|d| lock.contains(*d)));
        }

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

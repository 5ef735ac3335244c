//! Seeding scheduling: per venue, positions and competencies (with minimum levels), crew hired through the
//! hiring commands (applicant → … → short-listed → hired) with positions, contracts and assessed levels, a
//! "Standard week" template with overnight shifts, and schedule weeks made from it.
//!
//! Invariants: every assignment goes through `ScheduleStore::assign`, so the seeded weeks obey the same
//! rule engine as a manager's click (a refused candidate is skipped, never overridden); weeks before next
//! week are published through the publish command (no mails: demo addresses are made up); this week keeps
//! a few open slots, next week stays a draft.

use chrono::{NaiveTime, Weekday};
use crewplots_domain::scheduling::model::{
    Assessment, Competency, CrewStatus, Position, Requirement, TemplateShift, WeekTemplate,
};
use crewplots_domain::scheduling::plan;
use crewplots_domain::scheduling::ports::{
    AssignRequest, CrewChange, CrewStore, NewWeek, ScheduleStore, TemplateStore, WeekRefusal,
};
use crewplots_domain::scheduling::time::{zone, IsoWeek};

use super::*;

const POSITION_NAMES: [&str; 5] = ["Bartender", "Waiter", "Runner", "Kitchen", "Host"];
const COMPETENCY_NAMES: [&str; 5] = [
    "Cocktails",
    "Cash register",
    "Beer tap",
    "First aid",
    "HACCP",
];

/// One venue's catalogue: positions and competencies by index of the name lists above.
struct Catalogue {
    positions: Vec<Position>,
    competencies: Vec<Competency>,
}

/// A seeded crew member: who, and which positions (indexes) they hold.
struct CrewSeed {
    id: Uuid,
    positions: Vec<usize>,
}

fn clock(h: u32, m: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(h, m, 0).unwrap_or(NaiveTime::MIN)
}

impl Seeder {
    pub(super) async fn seed_scheduling(
        &self,
        options: &SeedOptions,
        locations: &[Location],
        staff: &Staff,
        tag: &str,
        report: &mut SeedReport,
    ) -> anyhow::Result<()> {
        if options.crew == 0 {
            return Ok(());
        }
        let mut catalogues = Vec::new();
        for location in locations {
            catalogues.push(self.catalogue(location, &staff.manager).await?);
        }
        // Crew per venue; every fifth member also joins the next venue (bars share people).
        let mut crews: Vec<Vec<CrewSeed>> = Vec::new();
        for (n, location) in locations.iter().enumerate() {
            let mut crew = Vec::new();
            for i in 0..options.crew {
                let seeded = self
                    .hire_crew(location, &catalogues[n], &staff.manager, n, i, tag, report)
                    .await?;
                crew.push(seeded);
                report.crew += 1;
            }
            println!(
                "seeding crew {}/{}: {}",
                n + 1,
                locations.len(),
                location.name
            );
            crews.push(crew);
        }
        if locations.len() > 1 {
            for n in 0..locations.len() {
                let next = (n + 1) % locations.len();
                let shared: Vec<(Uuid, Vec<usize>)> = crews[n]
                    .iter()
                    .step_by(5)
                    .map(|c| (c.id, c.positions.clone()))
                    .collect();
                for (id, positions) in shared {
                    let change = CrewChange {
                        user_id: id,
                        location_id: locations[next].id,
                        position_ids: positions
                            .iter()
                            .map(|p| catalogues[next].positions[*p].id)
                            .collect(),
                        contracted_minutes: Some(8 * 60),
                        start_date: None,
                        status: CrewStatus::Active,
                    };
                    let audit = seeded(
                        AuditEvent::new("crew.added")
                            .actor(Some(staff.manager.id))
                            .subject("user", id)
                            .location(locations[next].id),
                    );
                    CrewStore::add_crew(&self.pg, change, audit).await?;
                    crews[next].push(CrewSeed { id, positions });
                }
            }
        }
        for (n, location) in locations.iter().enumerate() {
            let template = self
                .template(location, &catalogues[n], &staff.manager)
                .await?;
            self.weeks(
                options.weeks,
                location,
                &template,
                &crews[n],
                &catalogues[n],
                staff,
                report,
            )
            .await?;
            println!(
                "seeding weeks {}/{}: {}",
                n + 1,
                locations.len(),
                location.name
            );
        }
        Ok(())
    }

    async fn catalogue(
        &self,
        location: &Location,
        manager: &PersonRef,
    ) -> anyhow::Result<Catalogue> {
        let mut competencies = Vec::new();
        for name in COMPETENCY_NAMES {
            let id = Uuid::new_v4();
            let audit = seeded(
                AuditEvent::new("competency.created")
                    .actor(Some(manager.id))
                    .subject("competency", id)
                    .location(location.id),
            );
            competencies.push(
                self.pg
                    .save_competency(
                        Competency {
                            id,
                            location_id: location.id,
                            name: name.into(),
                            archived: false,
                        },
                        audit,
                    )
                    .await?,
            );
        }
        let need = |competency: usize, level: u8| Requirement {
            competency_id: competencies[competency].id,
            min_level: level,
        };
        let mut positions = Vec::new();
        for (i, name) in POSITION_NAMES.iter().enumerate() {
            let requirements = match i {
                0 => vec![need(0, 2)],
                3 => vec![need(4, 2)],
                _ => Vec::new(),
            };
            let id = Uuid::new_v4();
            let audit = seeded(
                AuditEvent::new("position.created")
                    .actor(Some(manager.id))
                    .subject("position", id)
                    .location(location.id),
            );
            positions.push(
                self.pg
                    .save_position(
                        Position {
                            id,
                            location_id: location.id,
                            name: (*name).into(),
                            archived: false,
                            requirements,
                        },
                        audit,
                    )
                    .await?,
            );
        }
        Ok(Catalogue {
            positions,
            competencies,
        })
    }

    /// One crew member, hired the way the API hires: a walk-in application moved through the status machine
    /// to `hired`, then positions and assessed levels. The first of the first venue can log in.
    #[allow(clippy::too_many_arguments)]
    async fn hire_crew(
        &self,
        location: &Location,
        catalogue: &Catalogue,
        manager: &PersonRef,
        venue: usize,
        index: usize,
        tag: &str,
        report: &mut SeedReport,
    ) -> anyhow::Result<CrewSeed> {
        let first = FIRST_NAMES[(venue * 7 + index * 3) % FIRST_NAMES.len()];
        let last = LAST_NAMES[(venue * 5 + index * 11) % LAST_NAMES.len()];
        let username = format!(
            "{}.{}.c{}{}{tag}",
            slug(first),
            slug(last),
            venue + 1,
            index + 1
        );
        let password = (venue == 0 && index == 0).then(readable_password);
        let id = Uuid::new_v4();
        let hash = match &password {
            Some(p) => Some(self.hash(p).await?),
            None => None,
        };
        self.pg
            .create_user(
                NewUser {
                    id,
                    username: username.clone(),
                    email: format!("{username}@example.com"),
                    first_name: first.into(),
                    last_name: last.into(),
                    role: Role::Applicant,
                    status: if hash.is_some() {
                        UserStatus::Active
                    } else {
                        UserStatus::Invited
                    },
                    password_hash: hash,
                    location_ids: Vec::new(),
                    signup_location_id: Some(location.id),
                    privacy_consent_version: None,
                },
                None,
                None,
                seeded(
                    AuditEvent::new("user.created")
                        .actor(Some(manager.id))
                        .subject("user", id)
                        .detail("role", "applicant"),
                ),
            )
            .await
            .with_context(|| format!("creating crew member {username}"))?;
        if let Some(password) = password {
            report.accounts.push(DemoAccount {
                role: Role::CrewMember,
                name: format!("{first} {last}"),
                username: username.clone(),
                password,
            });
        }
        // Mostly one position, some two; bartenders and kitchen crew get the level their position needs.
        let main = index % POSITION_NAMES.len();
        let mut positions = vec![main];
        if index.is_multiple_of(3) {
            positions.push((main + 2) % POSITION_NAMES.len());
        }
        let application = self
            .pg
            .create_application(
                NewApplication {
                    id: Uuid::new_v4(),
                    applicant_id: id,
                    location_id: location.id,
                    position: POSITION_NAMES[main].into(),
                    source: ApplicationSource::Manual,
                    availability: None,
                    created_by: manager.id,
                },
                None,
                seeded(
                    AuditEvent::new("application.created")
                        .actor(Some(manager.id))
                        .subject("user", id),
                ),
            )
            .await?;
        let mut application = application;
        for to in [
            ApplicationStatus::Contacted,
            ApplicationStatus::Interviewed,
            ApplicationStatus::ShortListed,
        ] {
            application = self.change(&application, to, manager, None).await?;
        }
        let hours = [32.0, 24.0, 16.0, 12.0][index % 4];
        self.pg
            .hire(
                StatusUpdate {
                    application_id: application.id,
                    expected: application.status,
                    to: ApplicationStatus::Hired,
                    actor_id: manager.id,
                    reason: None,
                },
                Hire {
                    position: POSITION_NAMES[main].into(),
                    contracted_hours: Some(hours),
                    start_date: (Utc::now() - chrono::Duration::days(120)).date_naive(),
                },
                None,
                seeded(
                    AuditEvent::new("application.hired")
                        .actor(Some(manager.id))
                        .subject("application", application.id),
                ),
            )
            .await
            .context("hiring crew")?;
        let change = CrewChange {
            user_id: id,
            location_id: location.id,
            position_ids: positions
                .iter()
                .map(|p| catalogue.positions[*p].id)
                .collect(),
            contracted_minutes: Some((hours * 60.0) as u32),
            start_date: Some((Utc::now() - chrono::Duration::days(120)).date_naive()),
            status: if index % 17 == 16 {
                CrewStatus::OnLeave
            } else {
                CrewStatus::Active
            },
        };
        CrewStore::update_crew(
            &self.pg,
            change,
            seeded(
                AuditEvent::new("crew.updated")
                    .actor(Some(manager.id))
                    .subject("user", id)
                    .location(location.id),
            ),
        )
        .await?;
        let today = Utc::now().date_naive();
        for (c, competency) in catalogue.competencies.iter().enumerate() {
            let level = ((index + c * 2) % 6) as u8;
            let level = match (c, positions.contains(&0), positions.contains(&3)) {
                (0, true, _) | (4, _, true) => level.max(2),
                _ => level,
            };
            if level == 0 {
                continue;
            }
            self.pg
                .assess(
                    Assessment {
                        user_id: id,
                        competency_id: competency.id,
                        level,
                        assessor: Some(manager.clone()),
                        assessed_on: today - chrono::Duration::days(30),
                        note: (level >= 4).then(|| "Can train others".to_string()),
                        recorded_at: Utc::now(),
                    },
                    seeded(
                        AuditEvent::new("crew.assessed")
                            .actor(Some(manager.id))
                            .subject("user", id)
                            .location(location.id),
                    ),
                )
                .await?;
        }
        Ok(CrewSeed { id, positions })
    }

    /// "Standard week": lunch and evening service, a bar shift that ends after midnight every day and a late
    /// bar on Friday and Saturday (22:00–03:00), a split kitchen day.
    async fn template(
        &self,
        location: &Location,
        catalogue: &Catalogue,
        manager: &PersonRef,
    ) -> anyhow::Result<WeekTemplate> {
        let days = [
            Weekday::Mon,
            Weekday::Tue,
            Weekday::Wed,
            Weekday::Thu,
            Weekday::Fri,
            Weekday::Sat,
            Weekday::Sun,
        ];
        let mut shifts = Vec::new();
        let position = |i: usize| catalogue.positions[i].id;
        for day in days {
            let weekend = matches!(day, Weekday::Fri | Weekday::Sat);
            for (p, start, end, brk, slots) in [
                (1, clock(11, 0), clock(17, 0), 30, 2),
                (
                    1,
                    clock(17, 0),
                    clock(23, 0),
                    30,
                    if weekend { 3 } else { 2 },
                ),
                (0, clock(17, 0), clock(1, 0), 30, 2),
                (2, clock(18, 0), clock(23, 0), 0, 1),
                (3, clock(10, 0), clock(14, 30), 0, 1),
                (3, clock(16, 30), clock(22, 0), 30, 1),
                (4, clock(17, 30), clock(22, 30), 0, 1),
            ] {
                shifts.push(TemplateShift {
                    id: Uuid::new_v4(),
                    weekday: day,
                    position_id: position(p),
                    start,
                    end,
                    break_minutes: brk,
                    slots,
                    requirements: Vec::new(),
                    note: None,
                });
            }
            if weekend {
                shifts.push(TemplateShift {
                    id: Uuid::new_v4(),
                    weekday: day,
                    position_id: position(0),
                    start: clock(22, 0),
                    end: clock(3, 0),
                    break_minutes: 0,
                    slots: 2,
                    requirements: Vec::new(),
                    note: Some("Late bar: count the till at close".into()),
                });
            }
        }
        let id = Uuid::new_v4();
        Ok(self
            .pg
            .save_template(
                WeekTemplate {
                    id,
                    location_id: location.id,
                    name: "Standard week".into(),
                    shifts,
                    updated_at: Utc::now(),
                },
                seeded(
                    AuditEvent::new("template.created")
                        .actor(Some(manager.id))
                        .subject("template", id)
                        .location(location.id),
                ),
            )
            .await?)
    }

    /// `count` weeks ending with next week; each filled through the rule engine, then published except the
    /// last. This week keeps every seventh slot open.
    #[allow(clippy::too_many_arguments)]
    async fn weeks(
        &self,
        count: usize,
        location: &Location,
        template: &WeekTemplate,
        crew: &[CrewSeed],
        catalogue: &Catalogue,
        staff: &Staff,
        report: &mut SeedReport,
    ) -> anyhow::Result<()> {
        let tz = zone(&location.timezone);
        let this_week = IsoWeek::of(Utc::now().with_timezone(&tz).date_naive());
        let manager = &staff.manager;
        let mut cursor = 0usize;
        for offset in (0..count).rev() {
            let Some(week) = this_week.plus(1 - offset as i64) else {
                continue;
            };
            let shifts: Vec<_> = plan::expand_template(template, tz, week)
                .into_iter()
                .map(|spec| (Uuid::new_v4(), spec))
                .collect();
            let week_id = Uuid::new_v4();
            let created = self
                .pg
                .create_week(
                    NewWeek {
                        id: week_id,
                        location_id: location.id,
                        week,
                        shifts: shifts.clone(),
                        actor_id: manager.id,
                        origin: format!("template {}", template.name),
                    },
                    seeded(
                        AuditEvent::new("schedule.week_created")
                            .actor(Some(manager.id))
                            .subject("schedule_week", week_id)
                            .location(location.id),
                    ),
                )
                .await?;
            report.weeks += 1;
            report.shifts += shifts.len();
            let current = week == this_week;
            let mut slot_number = 0usize;
            for (shift_id, spec) in &shifts {
                let position = catalogue
                    .positions
                    .iter()
                    .position(|p| p.id == spec.position_id)
                    .unwrap_or(0);
                let candidates: Vec<Uuid> = crew
                    .iter()
                    .filter(|c| c.positions.contains(&position))
                    .map(|c| c.id)
                    .collect();
                for _ in 0..spec.slots {
                    slot_number += 1;
                    if current && slot_number.is_multiple_of(7) {
                        continue;
                    }
                    for attempt in 0..candidates.len().min(12) {
                        let user = candidates[(cursor + attempt) % candidates.len()];
                        let request = AssignRequest {
                            id: Uuid::new_v4(),
                            shift_id: *shift_id,
                            user_id: user,
                            actor_id: manager.id,
                            override_reason: None,
                            past_reason: None,
                            source: "manager",
                            audit: seeded(
                                AuditEvent::new("schedule.override").actor(Some(manager.id)),
                            ),
                        };
                        match self.pg.assign(request).await? {
                            Ok(_) => {
                                report.assignments += 1;
                                cursor = (cursor + attempt + 1) % candidates.len().max(1);
                                break;
                            }
                            Err(WeekRefusal::Rules(_) | WeekRefusal::Overlap { .. }) => continue,
                            Err(other) => bail!("seeding an assignment: {other:?}"),
                        }
                    }
                }
            }
            if offset > 0 {
                let plan = self
                    .pg
                    .publish_plan(created.id)
                    .await?
                    .context("the seeded week vanished")?;
                let published = self
                    .pg
                    .publish(
                        created.id,
                        plan.week.version,
                        manager.id,
                        Vec::new(),
                        Default::default(),
                        seeded(
                            AuditEvent::new("schedule.published")
                                .actor(Some(manager.id))
                                .subject("schedule_week", created.id)
                                .location(location.id)
                                .detail("week", week.to_string()),
                        ),
                    )
                    .await?;
                if let Err(refusal) = published {
                    bail!("publishing a seeded week: {refusal:?}");
                }
            }
        }
        Ok(())
    }
}

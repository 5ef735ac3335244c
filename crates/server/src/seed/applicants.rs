//! Seeding the hiring pipeline: applicants in every status, with sealed profiles, letters, notes, CVs and
//! interviews, each written through the same store commands and status machine as the API.

use super::*;

/// Above this many applications the run is a load test: letters, CVs and notes only for every tenth one.
const FULL_DETAIL_UP_TO: usize = 100;
/// Interview slots of 30 minutes per day for the demo manager's calendar (07:00–19:00 UTC).
const SLOTS_PER_DAY: usize = 24;

/// How an applicant's story ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fate {
    New,
    /// Phoned; an interview is booked.
    Contacted,
    Interviewed,
    /// Interviewed, short-listed, and a trial shift is booked.
    ShortListed,
    Hired,
    RejectedEarly,
    RejectedAfterInterview(InterviewOutcome),
    Withdrawn,
}

impl Fate {
    /// A fixed pattern, so every run (and the test) has every column of the board.
    fn of(index: usize) -> Self {
        match index % 10 {
            0 | 4 => Self::New,
            1 | 7 => Self::Contacted,
            2 | 9 => Self::Interviewed,
            3 => Self::ShortListed,
            5 => Self::Hired,
            6 if index % 20 == 6 => Self::RejectedEarly,
            6 if index % 40 == 16 => Self::RejectedAfterInterview(InterviewOutcome::Failed),
            6 => Self::RejectedAfterInterview(InterviewOutcome::NoShow),
            _ => Self::Withdrawn,
        }
    }
}

/// One applicant to create, decided up front (all randomness happens before any I/O).
struct ApplicantPlan {
    index: usize,
    first_name: &'static str,
    last_name: &'static str,
    username: String,
    email: String,
    phone: String,
    address: String,
    location: usize,
    position: &'static str,
    availability: Option<&'static str>,
    fate: Fate,
    /// Registered through the venue's QR link with a password (the one applicant who can log in).
    password: Option<SecretString>,
    letter: bool,
    cv: bool,
    notes: bool,
}

/// What seeding one applicant wrote.
#[derive(Debug, Default, Clone, Copy)]
struct Counts {
    letters: usize,
    notes: usize,
    documents: usize,
    interviews: usize,
}
impl Seeder {
    /// Every applicant of the plan, a few at a time, counted into `report`.
    pub(super) async fn seed_applicants(
        &self,
        count: usize,
        locations: &[Location],
        staff: &Staff,
        tag: &str,
        report: &mut SeedReport,
    ) -> anyhow::Result<()> {
        let plans = plan_applicants(count, locations.len(), tag);
        for plan in &plans {
            if let Some(password) = &plan.password {
                report.accounts.push(DemoAccount {
                    role: Role::Applicant,
                    name: format!("{} {}", plan.first_name, plan.last_name),
                    username: plan.username.clone(),
                    password: password.clone(),
                });
            }
        }
        let total = plans.len();
        let step = if total >= 200 {
            total / 20
        } else {
            total.max(1)
        };
        let mut seeded = futures_util::stream::iter(&plans)
            .map(|plan| self.seed_applicant(plan, locations, staff))
            .buffer_unordered(CONCURRENCY);
        while let Some(counts) = seeded.next().await {
            let counts = counts?;
            report.applications += 1;
            report.letters += counts.letters;
            report.notes += counts.notes;
            report.documents += counts.documents;
            report.interviews += counts.interviews;
            if report.applications.is_multiple_of(step) || report.applications == total {
                println!("seeding applications {}/{total}", report.applications);
            }
        }
        Ok(())
    }

    /// One applicant's whole story, in the order the API would have written it.
    async fn seed_applicant(
        &self,
        plan: &ApplicantPlan,
        locations: &[Location],
        staff: &Staff,
    ) -> anyhow::Result<Counts> {
        let mut counts = Counts::default();
        let location = locations
            .get(plan.location)
            .context("an applicant planned for a location that does not exist")?;
        let manager = &staff.manager;
        let applicant_id = self.create_applicant(plan, location, manager).await?;

        let (source, created_by, audit_actor) = if plan.password.is_some() {
            (ApplicationSource::Qr, applicant_id, applicant_id)
        } else {
            (ApplicationSource::Manual, manager.id, manager.id)
        };
        let application_id = Uuid::new_v4();
        // As when applying: the sealed letter first, then the row, then the letter's timestamp.
        if plan.letter {
            let letter = richtext::sanitize(&motivation_letter(plan, location))
                .map_err(|e| anyhow::anyhow!("demo letter refused: {e}"))?;
            self.bodies
                .save(application_id, applicant_id, LETTER_KIND, &letter)
                .await
                .context("sealing a motivation letter")?;
        }
        let mut application = self
            .pg
            .create_application(
                NewApplication {
                    id: application_id,
                    applicant_id,
                    location_id: location.id,
                    position: plan.position.into(),
                    source,
                    availability: plan.availability.map(Into::into),
                    created_by,
                },
                None,
                seeded(
                    AuditEvent::new("application.created")
                        .actor(Some(audit_actor))
                        .subject("application", application_id)
                        .detail("source", source.as_str()),
                ),
            )
            .await
            .context("creating an application")?;
        if plan.letter {
            self.pg.letter_saved(application_id).await?;
            counts.letters += 1;
        }
        if plan.cv {
            let approved = plan.index.is_multiple_of(4);
            self.upload_cv(plan, applicant_id, manager, approved)
                .await?;
            counts.documents += 1;
        }

        let notes = plan.notes;
        // The floor manager works at the first venue only, so writes only about applicants there.
        let floor_manager = (plan.location == 0).then_some(&staff.floor_manager);
        match plan.fate {
            Fate::New => {
                if notes && plan.index.is_multiple_of(4) {
                    let html = format!(
                        "<p>Came in on a busy Friday. Friendly; call {} back next week.</p>",
                        plan.first_name
                    );
                    self.note(
                        &application,
                        manager,
                        NotePriority::Normal,
                        NOTE_ROLES.to_vec(),
                        &html,
                    )
                    .await?;
                    counts.notes += 1;
                }
            }
            Fate::Withdrawn => {
                let contacted = self
                    .change(&application, ApplicationStatus::Contacted, manager, None)
                    .await?;
                self.withdraw(&contacted, applicant_id).await?;
            }
            Fate::RejectedEarly => {
                application = self
                    .change(
                        &application,
                        ApplicationStatus::Rejected,
                        manager,
                        Some("Not available on weekends, when we need people most."),
                    )
                    .await?;
                if notes {
                    let managers_only = vec![Role::Administrator, Role::Manager];
                    self.note(
                        &application,
                        manager,
                        NotePriority::Low,
                        managers_only,
                        NOTE_WEEKDAYS_ONLY,
                    )
                    .await?;
                    counts.notes += 1;
                }
            }
            Fate::Contacted
            | Fate::Interviewed
            | Fate::ShortListed
            | Fate::Hired
            | Fate::RejectedAfterInterview(_) => {
                application = self
                    .change(&application, ApplicationStatus::Contacted, manager, None)
                    .await?;
                if notes {
                    self.note(
                        &application,
                        manager,
                        NotePriority::Normal,
                        NOTE_ROLES.to_vec(),
                        &format!(
                            "<p>Phoned {}: enthusiastic, {} Invited for an interview.</p>",
                            plan.first_name,
                            experience(plan.index)
                        ),
                    )
                    .await?;
                    counts.notes += 1;
                }
                let interview = self
                    .book_interview(&application, location, manager, "Interview")
                    .await?;
                counts.interviews += 1;
                if plan.fate == Fate::Contacted {
                    return Ok(counts);
                }
                let outcome = match plan.fate {
                    Fate::RejectedAfterInterview(outcome) => outcome,
                    _ => InterviewOutcome::Passed,
                };
                self.pg
                    .record_outcome(
                        interview,
                        outcome,
                        Some(outcome_note(outcome).into()),
                        seeded(
                            AuditEvent::new("interview.outcome_recorded")
                                .actor(Some(manager.id))
                                .subject("interview", interview),
                        ),
                    )
                    .await
                    .context("recording an interview outcome")?;
                if let Fate::RejectedAfterInterview(outcome) = plan.fate {
                    let reason = match outcome {
                        InterviewOutcome::NoShow => {
                            "Did not come to the interview and did not answer the phone."
                        }
                        _ => "Another candidate fitted the team better.",
                    };
                    if outcome != InterviewOutcome::NoShow {
                        application = self
                            .change(&application, ApplicationStatus::Interviewed, manager, None)
                            .await?;
                    }
                    self.change(
                        &application,
                        ApplicationStatus::Rejected,
                        manager,
                        Some(reason),
                    )
                    .await?;
                    return Ok(counts);
                }
                application = self
                    .change(&application, ApplicationStatus::Interviewed, manager, None)
                    .await?;
                if notes {
                    let (author, text) = match floor_manager {
                        Some(floor_manager) => (floor_manager, NOTE_FLOOR_INTERVIEW),
                        None => (manager, NOTE_MANAGER_INTERVIEW),
                    };
                    self.note(
                        &application,
                        author,
                        NotePriority::Normal,
                        NOTE_ROLES.to_vec(),
                        text,
                    )
                    .await?;
                    counts.notes += 1;
                }
                if plan.fate == Fate::Interviewed {
                    return Ok(counts);
                }
                application = self
                    .change(&application, ApplicationStatus::ShortListed, manager, None)
                    .await?;
                if plan.fate == Fate::ShortListed {
                    self.book_interview(&application, location, manager, "Trial shift")
                        .await?;
                    counts.interviews += 1;
                    if notes {
                        let managers_only = vec![Role::Administrator, Role::Manager];
                        self.note(
                            &application,
                            manager,
                            NotePriority::High,
                            managers_only,
                            NOTE_DECIDE_SOON,
                        )
                        .await?;
                        counts.notes += 1;
                    }
                    return Ok(counts);
                }
                self.hire(&application, manager, plan).await?;
            }
        }
        Ok(counts)
    }

    /// The applicant's account and sealed profile. A walk-in is created by the manager as an invited
    /// account; the one applicant with a password registered through the venue's QR link.
    async fn create_applicant(
        &self,
        plan: &ApplicantPlan,
        location: &Location,
        manager: &PersonRef,
    ) -> anyhow::Result<Uuid> {
        let id = Uuid::new_v4();
        let (status, hash, consent, audit) = match &plan.password {
            Some(password) => (
                UserStatus::Active,
                Some(self.hash(password).await?),
                Some(PRIVACY_NOTICE_VERSION.to_string()),
                AuditEvent::new("account.registered")
                    .actor(Some(id))
                    .subject("user", id),
            ),
            None => (
                UserStatus::Invited,
                None,
                None,
                AuditEvent::new("user.created")
                    .actor(Some(manager.id))
                    .subject("user", id)
                    .detail("role", "applicant"),
            ),
        };
        // Sensitive fields first, as in registration: if the account then fails, the orphan sweep removes
        // the profile.
        self.profiles
            .save(
                id,
                &SensitiveProfile {
                    phone: Some(plan.phone.clone()),
                    address: Some(plan.address.clone()),
                    ..SensitiveProfile::default()
                },
            )
            .await
            .context("sealing a profile")?;
        self.pg
            .create_user(
                NewUser {
                    id,
                    username: plan.username.clone(),
                    email: plan.email.clone(),
                    first_name: plan.first_name.into(),
                    last_name: plan.last_name.into(),
                    role: Role::Applicant,
                    status,
                    password_hash: hash,
                    location_ids: Vec::new(),
                    signup_location_id: Some(location.id),
                    privacy_consent_version: consent,
                },
                None,
                None,
                seeded(audit),
            )
            .await
            .with_context(|| format!("creating applicant {}", plan.username))?;
        Ok(id)
    }

    /// A staff status change, checked against the status machine first.
    pub(super) async fn change(
        &self,
        application: &Application,
        to: ApplicationStatus,
        actor: &PersonRef,
        reason: Option<&str>,
    ) -> anyhow::Result<Application> {
        hiring::check_transition(application.status, to, ChangedBy::Staff)?;
        self.apply(application, to, actor.id, reason).await
    }

    /// The applicant withdraws their own application.
    async fn withdraw(
        &self,
        application: &Application,
        applicant: Uuid,
    ) -> anyhow::Result<Application> {
        let to = ApplicationStatus::Withdrawn;
        hiring::check_transition(application.status, to, ChangedBy::Applicant)?;
        self.apply(application, to, applicant, None).await
    }

    async fn apply(
        &self,
        application: &Application,
        to: ApplicationStatus,
        actor: Uuid,
        reason: Option<&str>,
    ) -> anyhow::Result<Application> {
        self.pg
            .change_status(
                StatusUpdate {
                    application_id: application.id,
                    expected: application.status,
                    to,
                    actor_id: actor,
                    reason: reason.map(Into::into),
                },
                None,
                seeded(
                    AuditEvent::new("application.status_changed")
                        .actor(Some(actor))
                        .subject("application", application.id)
                        .detail("from", application.status.as_str())
                        .detail("to", to.as_str()),
                ),
            )
            .await
            .with_context(|| format!("moving an application to {}", to.as_str()))
    }

    async fn hire(
        &self,
        application: &Application,
        manager: &PersonRef,
        plan: &ApplicantPlan,
    ) -> anyhow::Result<()> {
        if !hiring::can_hire_from(application.status) {
            bail!(
                "cannot hire from {} (status machine)",
                application.status.as_str()
            );
        }
        let start_date = (Utc::now() + chrono::Duration::days(14)).date_naive();
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
                    position: plan.position.into(),
                    contracted_hours: Some(if plan.index % 20 < 10 { 24.0 } else { 32.0 }),
                    start_date,
                },
                None,
                seeded(
                    AuditEvent::new("application.hired")
                        .actor(Some(manager.id))
                        .subject("application", application.id)
                        .detail("from", application.status.as_str())
                        .detail("person", application.applicant_id.to_string()),
                ),
            )
            .await
            .context("hiring")?;
        Ok(())
    }

    /// Books the next free slot of the manager's calendar; returns the interview id.
    async fn book_interview(
        &self,
        application: &Application,
        location: &Location,
        interviewer: &PersonRef,
        what: &str,
    ) -> anyhow::Result<Uuid> {
        let slot = self.next_slot.fetch_add(1, Ordering::Relaxed);
        let day = i64::try_from(slot / SLOTS_PER_DAY)?;
        let minutes = i64::try_from((slot % SLOTS_PER_DAY) * 30)?;
        let starts_at =
            self.first_day + chrono::Duration::days(day) + chrono::Duration::minutes(minutes);
        let place = match &location.address {
            Some(address) => format!("{what} at {}, {address}", location.name),
            None => format!("{what} at {}", location.name),
        };
        let id = Uuid::new_v4();
        let booked = self
            .pg
            .schedule_interview(
                application.id,
                id,
                InterviewSlot {
                    starts_at,
                    ends_at: starts_at + chrono::Duration::minutes(30),
                    place,
                    interviewer_id: interviewer.id,
                },
                interviewer.id,
                None,
                seeded(
                    AuditEvent::new("interview.scheduled")
                        .actor(Some(interviewer.id))
                        .subject("interview", id)
                        .detail("application", application.id.to_string()),
                ),
            )
            .await
            .context("booking an interview")?;
        match booked {
            Ok(interview) => Ok(interview.id),
            Err(refused) => bail!("the demo interview slot was refused: {refused}"),
        }
    }

    /// A note about the applicant: the sealed body first, then the metadata (as the notes route does).
    async fn note(
        &self,
        application: &Application,
        author: &PersonRef,
        priority: NotePriority,
        visible_roles: Vec<Role>,
        html: &str,
    ) -> anyhow::Result<()> {
        let html =
            richtext::sanitize(html).map_err(|e| anyhow::anyhow!("demo note refused: {e}"))?;
        let id = Uuid::new_v4();
        let subject = application.applicant_id;
        self.bodies
            .save(id, subject, NOTE_KIND, &html)
            .await
            .context("sealing a note body")?;
        let now = Utc::now();
        self.pg
            .insert_note(
                Note {
                    id,
                    subject_id: subject,
                    author: Some(author.clone()),
                    application_id: Some(application.id),
                    workflow: NoteWorkflow::Application,
                    priority,
                    visible_roles,
                    created_at: now,
                    updated_at: now,
                },
                seeded(
                    AuditEvent::new("note.created")
                        .actor(Some(author.id))
                        .subject("note", id)
                        .detail("person", subject.to_string()),
                ),
            )
            .await
            .context("writing a note")?;
        Ok(())
    }

    /// A one-page PDF CV, sealed into GridFS, then its row (as an upload by the manager).
    async fn upload_cv(
        &self,
        plan: &ApplicantPlan,
        owner: Uuid,
        manager: &PersonRef,
        approved: bool,
    ) -> anyhow::Result<()> {
        let pdf = cv_pdf(plan);
        let content_type = SniffedType::sniff(&pdf).context("the demo CV is not a PDF")?;
        let id = Uuid::new_v4();
        let content: ByteStream = Box::pin(futures_util::stream::iter([Ok::<_, std::io::Error>(
            pdf.into(),
        )]));
        let file_name = format!("CV {} {}.pdf", plan.first_name, plan.last_name);
        let stored = self
            .vault
            .store(id, owner, &file_name, content)
            .await
            .context("sealing a CV")?;
        let document = Document {
            id,
            owner_id: owner,
            kind: DocumentKind::Resume,
            content_type,
            size_bytes: i64::try_from(stored.size)?,
            expires_on: None,
            review_state: ReviewState::Pending,
            reviewed_by: None,
            reviewed_at: None,
            review_reason: None,
            uploaded_by: Some(manager.id),
            uploaded_at: Utc::now(),
            gridfs_id: stored.gridfs_id.clone(),
        };
        let audit = seeded(
            AuditEvent::new("document.uploaded")
                .actor(Some(manager.id))
                .subject("document", id)
                .detail("owner", owner.to_string()),
        );
        if let Err(error) = self.pg.insert(document, audit).await {
            // No content without a row, as in the upload route.
            if let Err(cleanup) = self.vault.delete(&stored.gridfs_id).await {
                tracing::warn!(error = %cleanup, "could not remove the content of a failed demo upload");
            }
            return Err(error).context("recording a CV");
        }
        if approved {
            self.pg
                .review(
                    id,
                    ReviewState::Approved,
                    manager.id,
                    None,
                    seeded(
                        AuditEvent::new("document.reviewed")
                            .actor(Some(manager.id))
                            .subject("document", id)
                            .detail("decision", ReviewState::Approved.as_str()),
                    ),
                )
                .await
                .context("approving a CV")?;
        }
        Ok(())
    }
}

const NOTE_WEEKDAYS_ONLY: &str =
    "<p>Only free on weekdays before 15:00. Keep in mind for the lunch team if we ever open one.</p>";
const NOTE_FLOOR_INTERVIEW: &str = "<p>Sat in on the interview. Good with guests, \
    <strong>knows the cocktail menu</strong> already. Would fit the Saturday team.</p>";
const NOTE_MANAGER_INTERVIEW: &str =
    "<p>Good interview: calm, clear about hours, asks the right questions. Check one reference.</p>";
const NOTE_DECIDE_SOON: &str =
    "<p>Wants to start before the summer season. Decide after the trial shift, this week.</p>";

/// Tomorrow 07:00 UTC: the first interview slot (interviews cannot be booked in the past).
pub(super) fn tomorrow_at_seven() -> DateTime<Utc> {
    let day = (Utc::now() + chrono::Duration::days(1)).date_naive();
    day.and_time(NaiveTime::MIN).and_utc() + chrono::Duration::hours(7)
}

fn plan_applicants(count: usize, locations: usize, tag: &str) -> Vec<ApplicantPlan> {
    let mut rng = rand::rng();
    (0..count)
        .map(|index| {
            let first_name = *FIRST_NAMES.choose(&mut rng).unwrap_or(&"Sam");
            let last_name = *LAST_NAMES.choose(&mut rng).unwrap_or(&"Jansen");
            let mut name: String = format!("{}.{}", slug(first_name), slug(last_name));
            name.truncate(20);
            let username = format!("{name}.{}{tag}", index + 1);
            let (street, postcode, city) =
                *STREETS
                    .choose(&mut rng)
                    .unwrap_or(&("Dorpsstraat", "1234 AB", "Utrecht"));
            let detailed = count <= FULL_DETAIL_UP_TO || index.is_multiple_of(10);
            ApplicantPlan {
                index,
                first_name,
                last_name,
                email: format!("{username}@example.com"),
                username,
                phone: format!(
                    "+31 6 {:04} {:04}",
                    rng.random_range(1000..10000),
                    rng.random_range(0..10000)
                ),
                address: format!("{street} {}, {postcode} {city}", rng.random_range(1..250)),
                location: index % locations,
                position: POSITIONS[index % POSITIONS.len()],
                availability: AVAILABILITY[index % AVAILABILITY.len()],
                fate: Fate::of(index),
                // The second applicant (contacted, interview booked) can log in to see the portal.
                password: (index == 1).then(readable_password),
                letter: detailed && index.is_multiple_of(3),
                cv: detailed && index.is_multiple_of(2),
                notes: detailed,
            }
        })
        .collect()
}

fn experience(index: usize) -> &'static str {
    [
        "two summers behind the bar of a beach club.",
        "worked as a runner at a festival, wants more hours.",
        "a student at the hotel school, free most evenings.",
        "five years of restaurant experience, recently moved here.",
    ][index % 4]
}

fn outcome_note(outcome: InterviewOutcome) -> &'static str {
    match outcome {
        InterviewOutcome::Passed => "Friendly, quick, good questions about the team.",
        InterviewOutcome::Failed => "Not enough experience for the evening rush.",
        InterviewOutcome::NoShow => "Did not show up.",
    }
}

fn motivation_letter(plan: &ApplicantPlan, location: &Location) -> String {
    format!(
        "<p>Dear team of {location},</p>\
         <p>I would love to join you as <strong>{position}</strong>. I enjoy busy evenings, working with \
         people and making guests feel at home. I am available {availability}.</p>\
         <ul><li>Reliable and on time</li><li>Happy to learn</li></ul>\
         <p>Kind regards,<br>{first} {last}</p>",
        location = location.name,
        position = plan.position.to_lowercase(),
        availability = plan
            .availability
            .map_or("flexibly".to_string(), |a| a.to_lowercase()),
        first = plan.first_name,
        last = plan.last_name,
    )
}

/// A minimal valid one-page PDF naming the applicant (Helvetica, so only ASCII text).
fn cv_pdf(plan: &ApplicantPlan) -> Vec<u8> {
    let text = |s: &str| -> String {
        s.chars()
            .filter_map(|c| {
                if c == ' ' {
                    Some(' ')
                } else {
                    let folded = ascii_letter(c.to_lowercase().next().unwrap_or(c))?;
                    Some(if c.is_uppercase() {
                        folded.to_ascii_uppercase()
                    } else {
                        folded
                    })
                }
            })
            .collect()
    };
    let stream = format!(
        "BT /F1 20 Tf 72 760 Td (Curriculum vitae) Tj ET\n\
         BT /F1 14 Tf 72 730 Td ({} {}) Tj ET\n\
         BT /F1 11 Tf 72 700 Td (Applying as {}. Demo document made by crewplots-server seed-demo.) Tj ET\n",
        text(plan.first_name),
        text(plan.last_name),
        text(plan.position),
    );
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_string(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R \
         /Resources << /Font << /F1 5 0 R >> >> >>"
            .to_string(),
        format!("<< /Length {} >>\nstream\n{stream}endstream", stream.len()),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_string(),
    ];
    let mut pdf = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::with_capacity(objects.len());
    for (n, object) in objects.iter().enumerate() {
        offsets.push(pdf.len());
        pdf.extend_from_slice(format!("{} 0 obj\n{object}\nendobj\n", n + 1).as_bytes());
    }
    let xref = pdf.len();
    let mut tail = format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1);
    for offset in offsets {
        tail.push_str(&format!("{offset:010} 00000 n \n"));
    }
    tail.push_str(&format!(
        "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
        objects.len() + 1
    ));
    pdf.extend_from_slice(tail.as_bytes());
    pdf
}
const STREETS: [(&str, &str, &str); 10] = [
    ("Kinkerstraat", "1053 DZ", "Amsterdam"),
    ("Javastraat", "1094 HE", "Amsterdam"),
    ("Ferdinand Bolstraat", "1072 LJ", "Amsterdam"),
    ("Witte de Withstraat", "3012 BP", "Rotterdam"),
    ("Nieuwe Binnenweg", "3014 GH", "Rotterdam"),
    ("Zwart Janstraat", "3035 AP", "Rotterdam"),
    ("Amsterdamsestraatweg", "3551 CE", "Utrecht"),
    ("Twijnstraat", "3511 ZK", "Utrecht"),
    ("Zijlstraat", "2011 TN", "Haarlem"),
    ("Korreweg", "9715 AB", "Groningen"),
];

const POSITIONS: [&str; 6] = [
    "Bartender",
    "Floor staff",
    "Line cook",
    "Barista",
    "Dishwasher",
    "Host",
];

const AVAILABILITY: [Option<&str>; 5] = [
    Some("Weekends and Friday evenings"),
    Some("Weekdays after 16:00"),
    None,
    Some("Full-time from June"),
    Some("Summer holidays only"),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fates_cover_every_status_in_twenty_applications() {
        let fates: Vec<Fate> = (0..20).map(Fate::of).collect();
        for wanted in [
            Fate::New,
            Fate::Contacted,
            Fate::Interviewed,
            Fate::ShortListed,
            Fate::Hired,
            Fate::RejectedEarly,
            Fate::Withdrawn,
        ] {
            assert!(fates.contains(&wanted), "{wanted:?} missing");
        }
        assert!(fates
            .iter()
            .any(|f| matches!(f, Fate::RejectedAfterInterview(_))));
    }

    #[test]
    fn demo_names_make_valid_usernames_and_addresses() {
        let mut errors = crewplots_domain::validation::FieldErrors::default();
        for plan in plan_applicants(200, 3, "-ab12") {
            crewplots_domain::validation::username(&plan.username, "username", &mut errors);
            crewplots_domain::validation::email(&plan.email, "email", &mut errors);
            crewplots_domain::validation::phone(&plan.phone, "phone", &mut errors);
        }
        for venue in &VENUES {
            crewplots_domain::validation::phone(venue.phone, "phone", &mut errors);
            crewplots_domain::validation::email(venue.email, "email", &mut errors);
        }
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(slug("Öztürk"), "ozturk");
        assert_eq!(slug("van den Berg"), "vandenberg");
    }

    #[test]
    fn the_demo_cv_is_a_pdf() {
        let plan = &plan_applicants(1, 1, "")[0];
        let pdf = cv_pdf(plan);
        assert_eq!(SniffedType::sniff(&pdf), Some(SniffedType::Pdf));
        assert!(pdf.ends_with(b"%%EOF\n"));
    }
}

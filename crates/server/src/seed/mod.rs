//! `crewplots-server seed-demo`: fills an empty installation with a demo organisation — venues, a manager
//! for all of them, a floor manager for the first, and applicants in every status of the hiring pipeline,
//! with encrypted profiles, motivation letters, internal notes, CVs and interviews.
//!
//! Invariants:
//! - It seeds only a database without locations (a fresh installation), unless forced; so `cargo xtask dev`
//!   can run it on every start and it acts once per database.
//! - Everything goes through the same ports the HTTP handlers call, in the same order and with the same
//!   audit actions: every status change is a real transition of the domain's status machine (checked with
//!   [`hiring::check_transition`] first) and writes its history row; hiring goes through
//!   [`HiringStore::hire`]; sensitive content is sealed by the vaults before it reaches MongoDB. No mails
//!   are queued (demo people have made-up addresses). Audit lines carry `via: seed-demo`, so the trail
//!   tells seeded rows from real work.
//! - Only three accounts can log in: the manager, the floor manager and one registered applicant. Their
//!   random passwords are returned once in the [`SeedReport`] (as secrets) and stored only as bcrypt hashes.
//!   Every other applicant is an invited walk-in without a password, exactly as "add a walk-in" creates one.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use anyhow::{bail, Context as _};
use chrono::{DateTime, NaiveTime, Utc};
use crewplots_domain::accounts::{AuditEvent, Location, NewUser, SensitiveProfile};
use crewplots_domain::documents::{ByteStream, Document, DocumentKind, ReviewState, SniffedType};
use crewplots_domain::hiring::{
    self, Application, ApplicationSource, ApplicationStatus, ChangedBy, Hire, InterviewOutcome,
    InterviewSlot, NewApplication, Note, NotePriority, NoteWorkflow, PersonRef, StatusUpdate,
    NOTE_ROLES,
};
use crewplots_domain::ports::{
    AccountStore, BodyVault, DocumentStore, DocumentVault, HiringStore, LocationStore, NoteStore,
    ProfileVault, StoreError,
};
use crewplots_domain::{richtext, Role, UserStatus};
use crewplots_storage_mongo::{GridFsDocumentVault, MongoBodyVault, MongoProfileVault, MongoStore};
use crewplots_storage_postgres::{PgStore, PoolOptions};
use futures_util::StreamExt as _;
use rand::seq::IndexedRandom as _;
use rand::Rng as _;
use secrecy::{ExposeSecret, SecretString};
use uuid::Uuid;

use crate::settings::Settings;

use crewplots_domain::accounts::{PRIVACY_NOTICE_VERSION, UNAMBIGUOUS_ALPHABET as CODE_ALPHABET};
use crewplots_domain::hiring::{LETTER_BODY_KIND as LETTER_KIND, NOTE_BODY_KIND as NOTE_KIND};

mod applicants;
mod scheduling;

use applicants::tomorrow_at_seven;

/// Applicants seeded at once: enough to overlap the round trips to both databases, well below the pool size.
const CONCURRENCY: usize = 8;

/// What to seed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SeedOptions {
    pub applications: usize,
    pub locations: usize,
    /// Crew members per location, hired through the hiring commands.
    pub crew: usize,
    /// Schedule weeks per location: the ones before this week are published, this week is published with
    /// open slots, next week is a draft.
    pub weeks: usize,
    /// Seed even though the database already has locations.
    pub force: bool,
}

impl Default for SeedOptions {
    fn default() -> Self {
        Self {
            applications: 20,
            locations: 2,
            crew: 8,
            weeks: 3,
            force: false,
        }
    }
}

/// An account that can log in, with its password (shown to the operator once, never stored in clear).
#[derive(Debug, Clone)]
pub struct DemoAccount {
    pub role: Role,
    pub name: String,
    pub username: String,
    pub password: SecretString,
}

/// What a run did.
#[derive(Debug, Clone, Default)]
pub struct SeedReport {
    /// The database already had locations and the run was not forced: nothing was written.
    pub skipped: bool,
    pub locations: usize,
    pub applications: usize,
    pub letters: usize,
    pub notes: usize,
    pub documents: usize,
    pub interviews: usize,
    pub crew: usize,
    pub weeks: usize,
    pub shifts: usize,
    pub assignments: usize,
    pub accounts: Vec<DemoAccount>,
}

/// Connects with the configured settings (after applying migrations) and seeds.
pub async fn run(settings: &Settings, options: SeedOptions) -> anyhow::Result<SeedReport> {
    if options.locations == 0 {
        bail!("--locations must be at least 1");
    }
    let url = settings.database_url.expose_secret();
    crewplots_storage_postgres::migrate(url)
        .await
        .context("migrations")?;
    let pool = crewplots_storage_postgres::build_pool(
        url,
        PoolOptions {
            max_size: CONCURRENCY * 2,
            timeout: Duration::from_secs(10),
        },
    )?;
    let mongo = MongoStore::connect(
        settings.mongodb_url.expose_secret(),
        &settings.mongodb_db_name,
        Duration::from_secs(10),
    )
    .await?;
    // The server creates them at start too; seeding may run before the first start (`cargo xtask dev`).
    mongo.ensure_indexes().await.context("MongoDB indexes")?;
    let seeder = Seeder {
        pg: PgStore::new(pool),
        profiles: MongoProfileVault::new(mongo.clone(), settings.keyring.clone()),
        bodies: MongoBodyVault::new(mongo.clone(), settings.keyring.clone()),
        vault: GridFsDocumentVault::new(mongo, settings.keyring.clone()),
        bcrypt_cost: settings.bcrypt_cost,
        next_slot: AtomicUsize::new(0),
        first_day: tomorrow_at_seven(),
    };
    seeder.seed(options).await
}

/// The concrete stores, as `startup` wires them into the HTTP layer.
struct Seeder {
    pg: PgStore,
    profiles: MongoProfileVault,
    bodies: MongoBodyVault,
    vault: GridFsDocumentVault,
    bcrypt_cost: u32,
    /// The next free interview slot of the manager's calendar, so bookings never overlap.
    next_slot: AtomicUsize,
    first_day: DateTime<Utc>,
}

/// The staff everything is done as.
struct Staff {
    manager: PersonRef,
    floor_manager: PersonRef,
}
impl Seeder {
    async fn seed(&self, options: SeedOptions) -> anyhow::Result<SeedReport> {
        let existing = self.pg.list(None).await?;
        if !existing.is_empty() && !options.force {
            return Ok(SeedReport {
                skipped: true,
                ..SeedReport::default()
            });
        }
        // A forced run beside earlier data suffixes usernames and e-mail addresses, which must be unique.
        let tag = if existing.is_empty() {
            String::new()
        } else {
            format!("-{}", random_code(4).to_lowercase())
        };

        let locations = self.create_locations(options.locations).await?;
        println!("seeding: {} locations", locations.len());
        let (staff, accounts) = self.create_staff(&locations, &tag).await?;
        let mut report = SeedReport {
            locations: locations.len(),
            accounts,
            ..SeedReport::default()
        };
        self.seed_applicants(options.applications, &locations, &staff, &tag, &mut report)
            .await?;
        self.seed_scheduling(&options, &locations, &staff, &tag, &mut report)
            .await?;
        Ok(report)
    }

    async fn create_locations(&self, count: usize) -> anyhow::Result<Vec<Location>> {
        let mut created = Vec::with_capacity(count);
        for n in 0..count {
            let venue = &VENUES[n % VENUES.len()];
            let round = n / VENUES.len();
            let name = if round == 0 {
                venue.name.to_string()
            } else {
                format!("{} {}", venue.name, round + 1)
            };
            created.push(self.create_location(&name, venue).await?);
        }
        Ok(created)
    }

    async fn create_location(&self, name: &str, venue: &Venue) -> anyhow::Result<Location> {
        // Codes are random like the API's; a clash is rare, so a few attempts suffice.
        for _ in 0..5 {
            let id = Uuid::new_v4();
            let location = Location {
                id,
                name: name.to_string(),
                timezone: "Europe/Amsterdam".into(),
                active: true,
                application_code: random_code(8),
                address: Some(venue.address.to_string()),
                contact_email: Some(venue.email.to_string()),
                contact_phone: Some(venue.phone.to_string()),
            };
            let audit = seeded(AuditEvent::new("location.created").subject("location", id));
            match self.pg.create(location, audit).await {
                Ok(location) => return Ok(location),
                Err(StoreError::Conflict(_)) => continue,
                Err(other) => return Err(other).context("creating a location"),
            }
        }
        bail!("could not find a free application code for {name}")
    }

    async fn create_staff(
        &self,
        locations: &[Location],
        tag: &str,
    ) -> anyhow::Result<(Staff, Vec<DemoAccount>)> {
        let all: Vec<Uuid> = locations.iter().map(|l| l.id).collect();
        let first: Vec<Uuid> = all.iter().take(1).copied().collect();
        let mut accounts = Vec::new();
        let mut people = Vec::new();
        for (role, first_name, last_name, assigned) in [
            (Role::Manager, "Eva", "Bakker", all),
            (Role::FloorManager, "Daan", "Visser", first),
        ] {
            let username = format!("{}.{}{tag}", slug(first_name), slug(last_name));
            let password = readable_password();
            let hash = self.hash(&password).await?;
            let id = Uuid::new_v4();
            let user = NewUser {
                id,
                username: username.clone(),
                email: format!("{username}@demo.crewplots.example"),
                first_name: first_name.into(),
                last_name: last_name.into(),
                role,
                status: UserStatus::Active,
                password_hash: Some(hash),
                location_ids: assigned,
                signup_location_id: None,
                privacy_consent_version: None,
            };
            let audit = seeded(
                AuditEvent::new("user.created_by_command")
                    .subject("user", id)
                    .detail("role", role.as_str()),
            );
            self.pg
                .create_user(user, None, None, audit)
                .await
                .with_context(|| format!("creating the demo {}", role.as_str()))?;
            people.push(PersonRef {
                id,
                name: format!("{first_name} {last_name}"),
                role,
            });
            accounts.push(DemoAccount {
                role,
                name: format!("{first_name} {last_name}"),
                username,
                password,
            });
        }
        let mut people = people.into_iter();
        let (Some(manager), Some(floor_manager)) = (people.next(), people.next()) else {
            bail!("the demo staff were not created");
        };
        Ok((
            Staff {
                manager,
                floor_manager,
            },
            accounts,
        ))
    }

    async fn hash(&self, password: &SecretString) -> anyhow::Result<String> {
        let password = password.clone();
        let cost = self.bcrypt_cost;
        // bcrypt is deliberately slow: off the async workers, like every password hash in the server.
        Ok(tokio::task::spawn_blocking(move || {
            crewplots_crypto::password::hash(password.expose_secret(), cost)
        })
        .await??)
    }
}

/// Marks an audit line as written by this command.
fn seeded(event: AuditEvent) -> AuditEvent {
    event.detail("via", "seed-demo")
}

/// Twelve letters and digits in three groups (about 60 bits), easy to read and type.
fn readable_password() -> SecretString {
    let raw = random_code(12).to_lowercase();
    SecretString::from([&raw[0..4], &raw[4..8], &raw[8..12]].join("-"))
}

fn random_code(length: usize) -> String {
    let mut rng = rand::rng();
    (0..length)
        .map(|_| char::from(CODE_ALPHABET[rng.random_range(0..CODE_ALPHABET.len())]))
        .collect()
}

/// Folds a name to the letters usernames allow ("Öztürk" → "ozturk", "van den Berg" → "vandenberg").
fn slug(text: &str) -> String {
    text.to_lowercase()
        .chars()
        .filter_map(ascii_letter)
        .collect()
}

fn ascii_letter(c: char) -> Option<char> {
    match c {
        'á' | 'à' | 'ä' | 'â' | 'ã' => Some('a'),
        'é' | 'è' | 'ë' | 'ê' => Some('e'),
        'í' | 'ï' | 'ı' | 'î' => Some('i'),
        'ó' | 'ö' | 'ô' | 'ø' => Some('o'),
        'ú' | 'ü' | 'û' => Some('u'),
        'ç' => Some('c'),
        'ş' => Some('s'),
        'ğ' => Some('g'),
        c if c.is_ascii_alphanumeric() => Some(c),
        _ => None,
    }
}

struct Venue {
    name: &'static str,
    address: &'static str,
    email: &'static str,
    phone: &'static str,
}

const VENUES: [Venue; 6] = [
    Venue {
        name: "Café De Gouden Leeuw",
        address: "Prinsengracht 112, 1015 EA Amsterdam",
        email: "info@degoudenleeuw.example",
        phone: "+31 20 555 0142",
    },
    Venue {
        name: "Strandbar Zuid",
        address: "Maasboulevard 5, 3011 TX Rotterdam",
        email: "hallo@strandbarzuid.example",
        phone: "+31 10 555 0187",
    },
    Venue {
        name: "Brasserie Het Hoekje",
        address: "Oudegracht 201, 3511 NH Utrecht",
        email: "team@hethoekje.example",
        phone: "+31 30 555 0123",
    },
    Venue {
        name: "Eetcafé De Zwaan",
        address: "Grote Markt 18, 2011 RD Haarlem",
        email: "info@dezwaan.example",
        phone: "+31 23 555 0165",
    },
    Venue {
        name: "Festivalbar Noorderlicht",
        address: "Vismarkt 3, 9711 KR Groningen",
        email: "crew@noorderlicht.example",
        phone: "+31 50 555 0109",
    },
    Venue {
        name: "Grand Café Centraal",
        address: "Spui 30, 2511 BT Den Haag",
        email: "werken@grandcafecentraal.example",
        phone: "+31 70 555 0133",
    },
];

const FIRST_NAMES: [&str; 40] = [
    "Sanne", "Daan", "Lotte", "Jesse", "Fleur", "Bram", "Emma", "Lucas", "Julia", "Thijs", "Anouk",
    "Sem", "Iris", "Ruben", "Noa", "Milan", "Femke", "Stijn", "Lieke", "Jasper", "Mila", "Finn",
    "Sophie", "Tim", "Yara", "Mohammed", "Fatima", "Ayoub", "Elif", "Mehmet", "Priya", "James",
    "Olivia", "Liam", "Chloé", "Oliver", "Grace", "Kwame", "Ana", "Mateo",
];

const LAST_NAMES: [&str; 34] = [
    "de Vries",
    "Jansen",
    "van den Berg",
    "Bakker",
    "Visser",
    "Smit",
    "Meijer",
    "de Boer",
    "Mulder",
    "de Groot",
    "Bos",
    "Vos",
    "Peters",
    "Hendriks",
    "van Leeuwen",
    "Dekker",
    "Brouwer",
    "de Wit",
    "Dijkstra",
    "Smits",
    "El Amrani",
    "Yılmaz",
    "Öztürk",
    "Kaya",
    "Pinas",
    "Martens",
    "Murphy",
    "Walsh",
    "Clarke",
    "Taylor",
    "Bennett",
    "Silva",
    "Santos",
    "van Dijk",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_readable_and_long_enough() {
        let password = readable_password();
        let text = password.expose_secret();
        assert_eq!(text.len(), 14);
        let mut errors = crewplots_domain::validation::FieldErrors::default();
        crewplots_domain::validation::password(text, "password", &mut errors);
        assert!(errors.is_empty());
    }
}

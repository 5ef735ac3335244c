use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::Arc;
use std::time::Duration;

use crewplots_domain::dashboard::DashboardStore;
use crewplots_domain::health::DependencyProbe;
use crewplots_domain::ports::{
    AccountStore, AuditLog, BodyVault, DocumentStore, DocumentVault, HiringStore, LocationStore,
    NoteStore, Outbox, ProfileVault,
};
use crewplots_domain::retention::{RetentionPolicy, RetentionStore};
use crewplots_domain::scheduling::ports::{
    CrewStore, FillStore, RequestStore, ScheduleStore, SelfServiceStore, TemplateStore,
};
use crewplots_session::{LoginThrottle, RateLimit, SessionIndex};
use secrecy::SecretString;

use crate::metrics::Metrics;

/// Everything handlers share. Cheap to clone; built once by the server binary.
#[derive(Clone)]
pub struct AppState {
    pub probes: Vec<Arc<dyn DependencyProbe>>,
    /// How long readiness waits for one dependency before calling it down.
    pub readiness_timeout: Duration,
    pub bootstrap: Arc<Bootstrap>,
    pub metrics: Arc<Metrics>,
    pub metrics_access: MetricsAccess,
    pub accounts: Arc<dyn AccountStore>,
    pub locations: Arc<dyn LocationStore>,
    pub audit: Arc<dyn AuditLog>,
    pub outbox: Arc<dyn Outbox>,
    pub profiles: Arc<dyn ProfileVault>,
    /// Encrypted rich-text bodies (notes, motivation letters).
    pub bodies: Arc<dyn BodyVault>,
    pub documents: Arc<dyn DocumentStore>,
    /// Applications, status history, interviews, the board.
    pub hiring: Arc<dyn HiringStore>,
    /// Metadata of internal notes (bodies in `bodies`).
    pub notes: Arc<dyn NoteStore>,
    pub vault: Arc<dyn DocumentVault>,
    /// Positions, competencies, the roster and levels.
    pub crew: Arc<dyn CrewStore>,
    pub templates: Arc<dyn TemplateStore>,
    /// Schedule weeks, shifts, assignments, publishing.
    pub schedule: Arc<dyn ScheduleStore>,
    /// The crew's own shifts, calendar feed, availability and time off.
    pub self_service: Arc<dyn SelfServiceStore>,
    /// Claims, offers, swaps, interest and notifications.
    pub requests: Arc<dyn RequestStore>,
    /// Suggest fill: its snapshot, the locations' settings, applying a reviewed proposal.
    pub fill: Arc<dyn FillStore>,
    /// The dashboard's figures.
    pub dashboard: Arc<dyn DashboardStore>,
    /// Retention holds and the facts retention decides on.
    pub retention: Arc<dyn RetentionStore>,
    /// How long closed applicants are kept (`days: 0`: retention off).
    pub retention_policy: RetentionPolicy,
    /// CSV exports, the audit viewer and hours locks.
    pub exports: Arc<dyn crewplots_domain::exports::ExportStore>,
    /// Cash counts, their receipts' rows and the locations' cash settings.
    pub cash: Arc<dyn crewplots_domain::cash::ports::CashStore>,
    /// The knowledge base: categories, articles, versions, confirmations, search, images.
    pub knowledge: Arc<dyn crewplots_domain::knowledge::ports::KnowledgeStore>,
    /// The sender's address (without display name), the organizer of calendar invitations.
    pub mail_from: String,
    /// Largest document accepted, in bytes.
    pub document_max_bytes: u64,
    pub sessions: SessionIndex,
    pub throttle: LoginThrottle,
    /// Requests per client address to the public calendar feeds.
    pub feed_rate: RateLimit,
    pub security: SecurityPolicy,
}

/// Security settings handlers and middleware need.
#[derive(Clone)]
pub struct SecurityPolicy {
    /// `https://crew.example.com` — links in mails start with it.
    pub public_url: String,
    /// Origins allowed on state-changing requests (the public URL's origin, plus the Vite dev server in
    /// development).
    pub allowed_origins: Vec<String>,
    /// Behind Traefik: take the client address from the last `X-Forwarded-For` entry.
    pub trust_forwarded_for: bool,
    /// Send HSTS (the public URL is https).
    pub hsts: bool,
    pub bcrypt_cost: u32,
    /// Runs bcrypt on a bounded set of threads; answers `Busy` past its queue bound.
    pub hasher: crewplots_crypto::PasswordHasher,
    /// A hash to verify unknown usernames against, so timing does not reveal which accounts exist.
    pub dummy_hash: Arc<String>,
    pub session_absolute_timeout: Duration,
}

impl std::fmt::Debug for SecurityPolicy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SecurityPolicy")
            .field("public_url", &self.public_url)
            .field("allowed_origins", &self.allowed_origins)
            .field("trust_forwarded_for", &self.trust_forwarded_for)
            .field("bcrypt_cost", &self.bcrypt_cost)
            .finish_non_exhaustive()
    }
}

impl std::fmt::Debug for AppState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppState")
            .field(
                "probes",
                &self.probes.iter().map(|p| p.name()).collect::<Vec<_>>(),
            )
            .field("readiness_timeout", &self.readiness_timeout)
            .field("metrics_access", &self.metrics_access)
            .field("security", &self.security)
            .finish_non_exhaustive()
    }
}

/// Who may read `/metrics`.
#[derive(Clone, Default)]
pub enum MetricsAccess {
    /// The endpoint answers 404, as if it did not exist.
    #[default]
    Disabled,
    /// `Authorization: Bearer <token>` is required.
    Token(SecretString),
}

impl std::fmt::Debug for MetricsAccess {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Disabled => f.write_str("Disabled"),
            Self::Token(_) => f.write_str("Token([redacted])"),
        }
    }
}

/// Progress of the start-up work that needs the databases (migrations, MongoDB indexes). The server answers
/// health checks while this is still retrying, so an outage at start-up is visible instead of a crash loop.
#[derive(Debug, Default)]
pub struct Bootstrap(AtomicU8);

impl Bootstrap {
    const PENDING: u8 = 0;
    const DONE: u8 = 1;

    pub fn done() -> Self {
        Self(AtomicU8::new(Self::DONE))
    }

    pub fn pending() -> Self {
        Self(AtomicU8::new(Self::PENDING))
    }

    pub fn mark_done(&self) {
        self.0.store(Self::DONE, Ordering::Release);
    }

    pub fn is_done(&self) -> bool {
        self.0.load(Ordering::Acquire) == Self::DONE
    }
}

//! Accounts, locations, tokens, mails and audit events as the services see them.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::roles::{Role, UserStatus};

/// The privacy notice version registration asks consent to.
pub const PRIVACY_NOTICE_VERSION: &str = "2026-11";

/// Letters and digits of application codes and generated passwords: none that can be confused on a poster
/// (no 0/O, 1/I/L).
pub const UNAMBIGUOUS_ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";

/// A location a person is assigned to, as shown next to them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocationRef {
    pub id: Uuid,
    pub name: String,
    pub timezone: String,
}

/// An account without its password hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub id: Uuid,
    pub username: String,
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    pub role: Role,
    pub status: UserStatus,
    pub locations: Vec<LocationRef>,
    /// The venue whose QR link the person registered through, if any.
    pub signup_location_id: Option<Uuid>,
    /// Venues the person has applied at (any status): their managers may see the person.
    pub applied_locations: Vec<Uuid>,
    pub created_at: DateTime<Utc>,
    pub last_login_at: Option<DateTime<Utc>>,
}

impl User {
    /// The policy's view of this person: their role and every location they belong to (where they work,
    /// and the venue they applied at).
    pub fn subject(&self) -> crate::policy::Subject {
        let mut locations = self.location_ids();
        for applied in self
            .signup_location_id
            .iter()
            .chain(&self.applied_locations)
        {
            if !locations.contains(applied) {
                locations.push(*applied);
            }
        }
        crate::policy::Subject {
            id: self.id,
            role: self.role,
            locations,
        }
    }

    pub fn display_name(&self) -> String {
        format!("{} {}", self.first_name, self.last_name)
    }

    pub fn location_ids(&self) -> Vec<Uuid> {
        self.locations.iter().map(|l| l.id).collect()
    }
}

/// What login needs: the account and its hash. Never leaves the service layer.
#[derive(Clone)]
pub struct Credentials {
    pub user: User,
    pub password_hash: Option<String>,
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Credentials")
            .field("user", &self.user.id)
            .field("password_hash", &"[redacted]")
            .finish()
    }
}

/// A new account.
#[derive(Debug, Clone)]
pub struct NewUser {
    pub id: Uuid,
    pub username: String,
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    pub role: Role,
    pub status: UserStatus,
    /// `None` for invited staff until they set a password.
    pub password_hash: Option<String>,
    pub location_ids: Vec<Uuid>,
    pub signup_location_id: Option<Uuid>,
    pub privacy_consent_version: Option<String>,
}

/// A change to an account by an administrator or manager; `None` leaves a part unchanged.
#[derive(Debug, Clone, Default)]
pub struct UserChange {
    pub role: Option<Role>,
    pub status: Option<UserStatus>,
    pub location_ids: Option<Vec<Uuid>>,
}

/// A location with its details.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    pub id: Uuid,
    pub name: String,
    pub timezone: String,
    pub active: bool,
    pub application_code: String,
    /// The venue's street address (business data, not personal).
    pub address: Option<String>,
    pub contact_email: Option<String>,
    pub contact_phone: Option<String>,
}

/// Why a single-use token exists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenPurpose {
    PasswordReset,
    Invitation,
}

impl TokenPurpose {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::PasswordReset => "password_reset",
            Self::Invitation => "invitation",
        }
    }
}

/// A token to store: only its SHA-256 is kept.
#[derive(Clone)]
pub struct NewToken {
    pub hash: Vec<u8>,
    pub purpose: TokenPurpose,
    pub expires_at: DateTime<Utc>,
}

impl std::fmt::Debug for NewToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewToken")
            .field("purpose", &self.purpose)
            .finish_non_exhaustive()
    }
}

/// A mail to queue.
#[derive(Clone)]
pub struct NewMail {
    pub to: String,
    pub subject: String,
    pub body: String,
    /// The body as administrators may see it (tokens replaced).
    pub body_redacted: String,
    /// One file sent with the mail (an interview's `.ics`).
    pub attachment: Option<MailAttachment>,
}

/// A file attached to a mail.
#[derive(Clone, PartialEq, Eq)]
pub struct MailAttachment {
    pub file_name: String,
    pub content_type: String,
    pub content: Vec<u8>,
}

impl std::fmt::Debug for MailAttachment {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MailAttachment")
            .field("file_name", &self.file_name)
            .field("bytes", &self.content.len())
            .finish()
    }
}

impl std::fmt::Debug for NewMail {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewMail")
            .field("subject", &self.subject)
            .finish_non_exhaustive()
    }
}

/// A mail in the outbox, as administrators see it.
#[derive(Debug, Clone)]
pub struct OutboxMail {
    pub id: Uuid,
    pub to: String,
    pub subject: String,
    pub body_redacted: String,
    pub status: String,
    pub created_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
}

/// A mail claimed for sending.
#[derive(Clone)]
pub struct DueMail {
    pub id: Uuid,
    pub to: String,
    pub subject: String,
    pub body: String,
    pub attachment: Option<MailAttachment>,
    pub attempts: i32,
}

impl std::fmt::Debug for DueMail {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DueMail")
            .field("id", &self.id)
            .finish_non_exhaustive()
    }
}

/// One line of the audit log. Never carries sensitive content.
#[derive(Debug, Clone)]
pub struct AuditEvent {
    pub actor_id: Option<Uuid>,
    pub action: &'static str,
    pub subject_type: Option<&'static str>,
    pub subject_id: Option<Uuid>,
    pub location_id: Option<Uuid>,
    pub ip: Option<std::net::IpAddr>,
    pub details: serde_json_lite::Details,
}

/// Small structured details for audit events, kept free of a JSON dependency in the domain.
pub mod serde_json_lite {
    /// Key/value pairs of plain strings.
    pub type Details = Vec<(&'static str, String)>;
}

impl AuditEvent {
    pub fn new(action: &'static str) -> Self {
        Self {
            actor_id: None,
            action,
            subject_type: None,
            subject_id: None,
            location_id: None,
            ip: None,
            details: Vec::new(),
        }
    }

    pub fn actor(mut self, actor: Option<Uuid>) -> Self {
        self.actor_id = actor;
        self
    }

    pub fn subject(mut self, kind: &'static str, id: Uuid) -> Self {
        self.subject_type = Some(kind);
        self.subject_id = Some(id);
        self
    }

    pub fn location(mut self, id: Uuid) -> Self {
        self.location_id = Some(id);
        self
    }

    pub fn ip(mut self, ip: Option<std::net::IpAddr>) -> Self {
        self.ip = ip;
        self
    }

    pub fn detail(mut self, key: &'static str, value: impl Into<String>) -> Self {
        self.details.push((key, value.into()));
        self
    }
}

/// Filters for the user list.
#[derive(Debug, Clone, Default)]
pub struct UserFilter {
    /// `None`: every location (administrators); `Some`: users assigned to one of these.
    pub locations: Option<Vec<Uuid>>,
    pub role: Option<Role>,
    /// Case-insensitive substring of username, e-mail or name.
    pub query: Option<String>,
    /// Hide administrators (managers never see them).
    pub exclude_administrators: bool,
}

/// Keyset pagination: newest first, continuing after `after`.
#[derive(Debug, Clone, Copy)]
pub struct PageRequest {
    pub limit: u32,
    pub after: Option<(DateTime<Utc>, Uuid)>,
}

/// One page and where the next starts.
#[derive(Debug, Clone)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub next: Option<(DateTime<Utc>, Uuid)>,
}

/// The sensitive fields of a person's profile (SPEC §2). Stored only encrypted, as one object.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SensitiveProfile {
    pub phone: Option<String>,
    pub address: Option<String>,
    pub date_of_birth: Option<String>,
    pub nationality: Option<String>,
    pub national_id_number: Option<String>,
    pub bank_account: Option<String>,
    pub emergency_contact: Option<String>,
}

impl std::fmt::Debug for SensitiveProfile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SensitiveProfile([redacted])")
    }
}

//! The storage ports the services call. `storage-postgres` implements them; the HTTP layer receives them as
//! `Arc<dyn …>` from the server binary. Methods are whole commands (e.g. "create staff account with its
//! invitation, mail and audit line") so each runs in one transaction.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::accounts::{
    AuditEvent, Credentials, DueMail, Location, NewMail, NewToken, NewUser, OutboxMail, Page,
    PageRequest, SensitiveProfile, User, UserChange, UserFilter,
};

/// Why a store operation failed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The backing service cannot be reached (answer 503).
    #[error("store unavailable: {0}")]
    Unavailable(String),
    /// A unique value is taken; the field name says which (`username`, `email`, …).
    #[error("{0} is already taken")]
    Conflict(&'static str),
    /// A referenced row does not exist.
    #[error("not found")]
    NotFound,
    #[error("store error: {0}")]
    Other(String),
}

pub type StoreResult<T> = Result<T, StoreError>;

#[async_trait]
pub trait AccountStore: Send + Sync {
    /// Creates an account (and, when given, a token and a mail) and writes the audit line, atomically.
    async fn create_user(
        &self,
        user: NewUser,
        token: Option<NewToken>,
        mail: Option<NewMail>,
        audit: AuditEvent,
    ) -> StoreResult<User>;
    /// The account whose username or e-mail (case-insensitive) is `login`.
    async fn credentials(&self, login: &str) -> StoreResult<Option<Credentials>>;
    async fn user(&self, id: Uuid) -> StoreResult<Option<User>>;
    async fn user_by_email(&self, email: &str) -> StoreResult<Option<User>>;
    async fn password_hash(&self, id: Uuid) -> StoreResult<Option<String>>;
    async fn list_users(&self, filter: &UserFilter, page: PageRequest) -> StoreResult<Page<User>>;
    async fn update_user(
        &self,
        id: Uuid,
        change: UserChange,
        audit: AuditEvent,
    ) -> StoreResult<User>;
    async fn set_password(
        &self,
        id: Uuid,
        hash: String,
        audit: Option<AuditEvent>,
    ) -> StoreResult<()>;
    async fn record_login(&self, id: Uuid) -> StoreResult<()>;
    /// Stores a token and queues its mail, atomically.
    async fn issue_token(
        &self,
        user_id: Uuid,
        token: NewToken,
        mail: NewMail,
        audit: AuditEvent,
    ) -> StoreResult<()>;
    /// Uses a token once: when it exists, is unused and unexpired, sets the password, activates an invited
    /// account, marks the token used and returns the user id. `None` otherwise.
    async fn redeem_token(
        &self,
        hash: &[u8],
        new_password_hash: String,
        now: DateTime<Utc>,
        ip: Option<std::net::IpAddr>,
    ) -> StoreResult<Option<Uuid>>;
}

#[async_trait]
pub trait LocationStore: Send + Sync {
    /// Every location, or only those with the given ids.
    async fn list(&self, only: Option<&[Uuid]>) -> StoreResult<Vec<Location>>;
    async fn by_code(&self, code: &str) -> StoreResult<Option<Location>>;
    async fn create(&self, location: Location, audit: AuditEvent) -> StoreResult<Location>;
    /// Which of these ids exist.
    async fn existing(&self, ids: &[Uuid]) -> StoreResult<Vec<Uuid>>;
}

#[async_trait]
pub trait AuditLog: Send + Sync {
    async fn record(&self, event: AuditEvent) -> StoreResult<()>;
}

#[async_trait]
pub trait Outbox: Send + Sync {
    async fn list(&self, page: PageRequest) -> StoreResult<Page<OutboxMail>>;
    /// Claims up to `limit` due mails for this sender (`FOR UPDATE SKIP LOCKED`, so several instances can
    /// send at once without sending a mail twice).
    async fn claim_due(&self, limit: i64) -> StoreResult<Vec<DueMail>>;
    async fn mark_sent(&self, id: Uuid) -> StoreResult<()>;
    async fn mark_failed(
        &self,
        id: Uuid,
        error: &str,
        retry_at: Option<DateTime<Utc>>,
    ) -> StoreResult<()>;
    /// Moves pending mails to `held` (no SMTP configured): they stay visible to administrators.
    async fn hold_pending(&self) -> StoreResult<u64>;
}

/// A person's sensitive profile fields, kept encrypted outside PostgreSQL.
#[async_trait]
pub trait ProfileVault: Send + Sync {
    /// Replaces the person's profile.
    async fn save(&self, owner: Uuid, profile: &SensitiveProfile) -> StoreResult<()>;
    async fn load(&self, owner: Uuid) -> StoreResult<Option<SensitiveProfile>>;
    /// Deletes the profile and its wrapped key.
    async fn erase(&self, owner: Uuid) -> StoreResult<()>;
}

//! The storage ports the services call. `storage-postgres` implements them; the HTTP layer receives them as
//! `Arc<dyn …>` from the server binary. Methods are whole commands (e.g. "create staff account with its
//! invitation, mail and audit line") so each runs in one transaction.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::documents::{ByteStream, Document, ReviewState, StoredContent};
use crate::hiring::{
    Application, Board, BoardFilter, Hire, Interview, InterviewOutcome, InterviewSlot,
    NewApplication, Note, NotePriority, NoteWorkflow, PersonRef, SlotRefused, StatusChange,
    StatusUpdate,
};
use crate::policy::LocationScope;
use crate::roles::Role;

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
    /// The store cannot hold a text it was given (PostgreSQL refuses NUL characters). Input rules refuse
    /// such text per field first; this is the answer for any text that slips past them (400, never 500).
    #[error("text the store cannot hold")]
    UnstorableText,
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
    /// Deletes the account and everything of it in PostgreSQL (assignments, tokens, document rows), keeping
    /// the audit trail, whose rows refer to the person only by an opaque id. Writes `audit` in the same
    /// transaction.
    async fn erase_user(&self, id: Uuid, audit: AuditEvent) -> StoreResult<()>;
    /// Ids of accounts that exist among `ids` (for the orphan sweep).
    async fn existing_users(&self, ids: &[Uuid]) -> StoreResult<Vec<Uuid>>;
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
    async fn get(&self, id: Uuid) -> StoreResult<Option<Location>>;
    /// Replaces the editable details (name, timezone, address, contact, active) with its audit line.
    async fn update(&self, location: Location, audit: AuditEvent) -> StoreResult<Location>;
    /// Which of these ids exist.
    async fn existing(&self, ids: &[Uuid]) -> StoreResult<Vec<Uuid>>;
    /// Administrators, and the active managers and floor managers of the location (interviewers).
    async fn staff(&self, id: Uuid) -> StoreResult<Vec<PersonRef>>;
}

/// Applications, their status history and interviews. Commands that change status take the status they
/// expect to find and fail with `StoreError::Conflict("status")` when another change came first, so two
/// managers acting at once end in one consistent state.
#[async_trait]
pub trait HiringStore: Send + Sync {
    /// Creates the application with its first history entry (→ `new`), its mail and audit line.
    /// `Conflict("application")` when the person already has an open application at that venue.
    async fn create_application(
        &self,
        application: NewApplication,
        mail: Option<NewMail>,
        audit: AuditEvent,
    ) -> StoreResult<Application>;
    async fn application(&self, id: Uuid) -> StoreResult<Option<Application>>;
    /// The person's applications, oldest first.
    async fn applications_of(&self, applicant: Uuid) -> StoreResult<Vec<Application>>;
    async fn change_status(
        &self,
        update: StatusUpdate,
        mail: Option<NewMail>,
        audit: AuditEvent,
    ) -> StoreResult<Application>;
    /// In one transaction: the application becomes `hired`, an applicant becomes `crew_member`, and the
    /// person is assigned to the application's location with the given position, hours and start date.
    async fn hire(
        &self,
        update: StatusUpdate,
        hire: Hire,
        mail: Option<NewMail>,
        audit: AuditEvent,
    ) -> StoreResult<Application>;
    /// Status history of these applications, oldest first per application.
    async fn history(&self, applications: &[Uuid]) -> StoreResult<Vec<(Uuid, StatusChange)>>;
    /// Records that the sealed motivation letter was saved now.
    async fn letter_saved(&self, application: Uuid) -> StoreResult<DateTime<Utc>>;
    /// The board, compiled in a fixed number of queries whatever the number of cards. Note counts include
    /// only notes `viewer` may see.
    async fn board(&self, filter: &BoardFilter, viewer: (Uuid, Role)) -> StoreResult<Board>;

    /// Books an interview unless the interviewer is busy then (checked under a per-interviewer lock).
    async fn schedule_interview(
        &self,
        application: Uuid,
        id: Uuid,
        slot: InterviewSlot,
        actor: Uuid,
        mail: Option<NewMail>,
        audit: AuditEvent,
    ) -> StoreResult<Result<Interview, SlotRefused>>;
    /// Moves a scheduled interview, raising its calendar sequence.
    async fn reschedule_interview(
        &self,
        id: Uuid,
        slot: InterviewSlot,
        mail: Option<NewMail>,
        audit: AuditEvent,
    ) -> StoreResult<Result<Interview, SlotRefused>>;
    async fn cancel_interview(
        &self,
        id: Uuid,
        mail: Option<NewMail>,
        audit: AuditEvent,
    ) -> StoreResult<Interview>;
    async fn record_outcome(
        &self,
        id: Uuid,
        outcome: InterviewOutcome,
        note: Option<String>,
        audit: AuditEvent,
    ) -> StoreResult<Interview>;
    async fn interview(&self, id: Uuid) -> StoreResult<Option<Interview>>;
    /// Interviews of these applications, by start time.
    async fn interviews_of(&self, applications: &[Uuid]) -> StoreResult<Vec<Interview>>;
}

/// Metadata of internal notes; bodies are sealed in the [`BodyVault`] under the note's id.
#[async_trait]
pub trait NoteStore: Send + Sync {
    async fn insert_note(&self, note: Note, audit: AuditEvent) -> StoreResult<Note>;
    async fn note(&self, id: Uuid) -> StoreResult<Option<Note>>;
    /// Notes about the person, newest first.
    async fn notes_about(&self, subject: Uuid) -> StoreResult<Vec<Note>>;
    async fn update_note(
        &self,
        id: Uuid,
        workflow: NoteWorkflow,
        priority: NotePriority,
        visible_roles: Vec<Role>,
        audit: AuditEvent,
    ) -> StoreResult<Note>;
    async fn delete_note(&self, id: Uuid, audit: AuditEvent) -> StoreResult<Option<Note>>;
    /// Ids among `ids` that are notes or applications (for the sealed-body orphan sweep).
    async fn known_body_ids(&self, ids: &[Uuid]) -> StoreResult<Vec<Uuid>>;
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
    /// Owners of profiles last written before `older_than` (for the orphan sweep).
    async fn owners_before(&self, older_than: DateTime<Utc>) -> StoreResult<Vec<Uuid>>;
}

/// Metadata of documents, in PostgreSQL.
#[async_trait]
pub trait DocumentStore: Send + Sync {
    /// Records a stored document and its audit line, atomically.
    async fn insert(&self, document: Document, audit: AuditEvent) -> StoreResult<Document>;
    async fn get(&self, id: Uuid) -> StoreResult<Option<Document>>;
    async fn list_for_owner(&self, owner: Uuid) -> StoreResult<Vec<Document>>;
    /// Removes the row (with its audit line) and returns it, so the caller can remove the content.
    async fn delete(&self, id: Uuid, audit: AuditEvent) -> StoreResult<Option<Document>>;
    async fn review(
        &self,
        id: Uuid,
        state: ReviewState,
        reviewer: Uuid,
        reason: Option<String>,
        audit: AuditEvent,
    ) -> StoreResult<Document>;
    /// Documents expiring within `days` (or already expired), of people in the scope, soonest first, with
    /// their owner's display name.
    async fn expiring(
        &self,
        days: u32,
        scope: &LocationScope,
    ) -> StoreResult<Vec<(Document, String)>>;
    /// Documents awaiting review, of people in the scope, oldest first, with their owner's display name.
    async fn pending_review(&self, scope: &LocationScope) -> StoreResult<Vec<(Document, String)>>;
    /// Every GridFS id a row refers to, documents' and cash receipts' (for the orphan sweep).
    async fn known_content_ids(&self) -> StoreResult<Vec<String>>;
}

/// Why the vault failed.
#[derive(Debug, thiserror::Error)]
pub enum VaultError {
    #[error("the content store is unavailable: {0}")]
    Unavailable(String),
    /// The content failed authentication: altered, truncated, or not this document's.
    #[error("the content failed its integrity check: {0}")]
    Integrity(String),
    #[error("not found")]
    NotFound,
    /// Reading the input failed (the caller knows why, e.g. its size limit).
    #[error("the upload was interrupted: {0}")]
    Input(std::io::Error),
    #[error("vault error: {0}")]
    Other(String),
}

/// A boxed future that may move between threads.
pub type SendFuture<'a, T> = std::pin::Pin<Box<dyn std::future::Future<Output = T> + Send + 'a>>;

/// Sealed document content in GridFS. Streams in and out with memory bounded by the envelope's segment size.
#[async_trait(?Send)]
pub trait DocumentVault: Send + Sync {
    /// Seals and stores `content` as document `id` of `owner`; the original file name is sealed beside it.
    /// On any failure nothing stays behind.
    async fn store(
        &self,
        id: Uuid,
        owner: Uuid,
        file_name: &str,
        content: ByteStream,
    ) -> Result<StoredContent, VaultError>;
    /// Opens the content: the stream yields only verified plaintext and ends with an error item when the
    /// content fails authentication part-way.
    async fn open(&self, id: Uuid, owner: Uuid, gridfs_id: &str) -> Result<ByteStream, VaultError>;
    /// The sealed original file name.
    async fn original_name(
        &self,
        id: Uuid,
        owner: Uuid,
        gridfs_id: &str,
    ) -> Result<Option<String>, VaultError>;
    /// Deletes the content. Unlike the other methods its future is `Send` (written out instead of through
    /// `async_trait(?Send)`, which only uploads need), so background jobs on any thread can erase.
    fn delete<'a>(&'a self, gridfs_id: &'a str) -> SendFuture<'a, Result<(), VaultError>>;
    /// Content ids uploaded before `older_than`, for the orphan sweep.
    async fn content_ids_before(
        &self,
        older_than: DateTime<Utc>,
    ) -> Result<Vec<String>, VaultError>;
}

/// Encrypted rich-text bodies (internal note bodies, motivation letters): each body is one sealed object,
/// bound to its id, its owner (the person it is about) and its kind.
#[async_trait]
pub trait BodyVault: Send + Sync {
    /// Stores or replaces the body `id` of `kind` about `owner`.
    async fn save(&self, id: Uuid, owner: Uuid, kind: &str, body: &str) -> StoreResult<()>;
    async fn load(&self, id: Uuid, owner: Uuid, kind: &str) -> StoreResult<Option<String>>;
    async fn erase(&self, id: Uuid) -> StoreResult<()>;
    /// Deletes every body about `owner` (erasure of a person).
    async fn erase_owner(&self, owner: Uuid) -> StoreResult<u64>;
}

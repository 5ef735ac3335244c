//! The JSON shapes of the API (camelCase), with their OpenAPI schemas. Names match the product's words and
//! the generated TypeScript types.

use chrono::{DateTime, Utc};
use crewplots_domain::accounts;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

/// Declares an API enum with the same variants as a domain enum, and the conversions both ways.
macro_rules! mirror {
    ($(#[$meta:meta])* $name:ident = $domain:path { $($variant:ident),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),+ }

        impl From<$domain> for $name {
            fn from(value: $domain) -> Self {
                use $domain as D;
                match value { $(D::$variant => Self::$variant),+ }
            }
        }

        impl From<$name> for $domain {
            fn from(value: $name) -> Self {
                use $domain as D;
                match value { $($name::$variant => D::$variant),+ }
            }
        }
    };
}

mod autofill;
mod cash;
mod dashboard;
mod exports;
mod hiring;
mod knowledge;
mod requests;
mod scheduling;
mod self_service;
pub use autofill::*;
pub use cash::*;
pub use dashboard::*;
pub use exports::*;
pub use hiring::*;
pub use knowledge::*;
pub use requests::*;
pub use scheduling::*;
pub use self_service::*;

/// A global role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Administrator,
    Manager,
    FloorManager,
    CrewMember,
    Applicant,
}

impl From<crewplots_domain::Role> for Role {
    fn from(role: crewplots_domain::Role) -> Self {
        use crewplots_domain::Role as R;
        match role {
            R::Administrator => Self::Administrator,
            R::Manager => Self::Manager,
            R::FloorManager => Self::FloorManager,
            R::CrewMember => Self::CrewMember,
            R::Applicant => Self::Applicant,
        }
    }
}

impl From<Role> for crewplots_domain::Role {
    fn from(role: Role) -> Self {
        use crewplots_domain::Role as R;
        match role {
            Role::Administrator => R::Administrator,
            Role::Manager => R::Manager,
            Role::FloorManager => R::FloorManager,
            Role::CrewMember => R::CrewMember,
            Role::Applicant => R::Applicant,
        }
    }
}

/// Whether an account may log in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum UserStatus {
    Active,
    Invited,
    Deactivated,
}

impl From<crewplots_domain::UserStatus> for UserStatus {
    fn from(status: crewplots_domain::UserStatus) -> Self {
        use crewplots_domain::UserStatus as S;
        match status {
            S::Active => Self::Active,
            S::Invited => Self::Invited,
            S::Deactivated => Self::Deactivated,
        }
    }
}

/// A capability the UI may offer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub enum Permission {
    #[serde(rename = "users.manage")]
    UsersManage,
    #[serde(rename = "outbox.view")]
    OutboxView,
    #[serde(rename = "locations.manage")]
    LocationsManage,
    #[serde(rename = "documents.review")]
    DocumentsReview,
    #[serde(rename = "applications.view")]
    ApplicationsView,
    #[serde(rename = "applications.manage")]
    ApplicationsManage,
    #[serde(rename = "notes.write")]
    NotesWrite,
    #[serde(rename = "locations.edit")]
    LocationsEdit,
    #[serde(rename = "schedule.view")]
    ScheduleView,
    #[serde(rename = "schedule.edit")]
    ScheduleEdit,
    #[serde(rename = "schedule.manage")]
    ScheduleManage,
    #[serde(rename = "crew.view")]
    CrewView,
    #[serde(rename = "crew.manage")]
    CrewManage,
    #[serde(rename = "self.service")]
    SelfService,
    #[serde(rename = "requests.view")]
    RequestsView,
    #[serde(rename = "timeoff.decide")]
    TimeoffDecide,
    #[serde(rename = "requests.approve")]
    RequestsApprove,
    #[serde(rename = "dashboard.view")]
    DashboardView,
    #[serde(rename = "exports.download")]
    ExportsDownload,
    #[serde(rename = "audit.view")]
    AuditView,
    #[serde(rename = "retention.hold")]
    RetentionHold,
    #[serde(rename = "cash.count")]
    CashCount,
    #[serde(rename = "cash.view")]
    CashView,
    #[serde(rename = "cash.approve")]
    CashApprove,
    #[serde(rename = "knowledge.read")]
    KnowledgeRead,
    #[serde(rename = "knowledge.edit")]
    KnowledgeEdit,
    #[serde(rename = "knowledge.confirmations")]
    KnowledgeConfirmations,
}

impl Permission {
    fn from_name(name: &str) -> Option<Self> {
        match name {
            "users.manage" => Some(Self::UsersManage),
            "outbox.view" => Some(Self::OutboxView),
            "locations.manage" => Some(Self::LocationsManage),
            "documents.review" => Some(Self::DocumentsReview),
            "applications.view" => Some(Self::ApplicationsView),
            "applications.manage" => Some(Self::ApplicationsManage),
            "notes.write" => Some(Self::NotesWrite),
            "locations.edit" => Some(Self::LocationsEdit),
            "schedule.view" => Some(Self::ScheduleView),
            "schedule.edit" => Some(Self::ScheduleEdit),
            "schedule.manage" => Some(Self::ScheduleManage),
            "crew.view" => Some(Self::CrewView),
            "crew.manage" => Some(Self::CrewManage),
            "self.service" => Some(Self::SelfService),
            "requests.view" => Some(Self::RequestsView),
            "timeoff.decide" => Some(Self::TimeoffDecide),
            "requests.approve" => Some(Self::RequestsApprove),
            "dashboard.view" => Some(Self::DashboardView),
            "exports.download" => Some(Self::ExportsDownload),
            "audit.view" => Some(Self::AuditView),
            "retention.hold" => Some(Self::RetentionHold),
            "cash.count" => Some(Self::CashCount),
            "cash.view" => Some(Self::CashView),
            "cash.approve" => Some(Self::CashApprove),
            "knowledge.read" => Some(Self::KnowledgeRead),
            "knowledge.edit" => Some(Self::KnowledgeEdit),
            "knowledge.confirmations" => Some(Self::KnowledgeConfirmations),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct LocationRef {
    pub id: Uuid,
    pub name: String,
    pub timezone: String,
}

impl From<&accounts::LocationRef> for LocationRef {
    fn from(l: &accounts::LocationRef) -> Self {
        Self {
            id: l.id,
            name: l.name.clone(),
            timezone: l.timezone.clone(),
        }
    }
}

/// The logged-in person, with what the UI may offer them.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Me {
    pub id: Uuid,
    pub username: String,
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    pub display_name: String,
    pub role: Role,
    pub status: UserStatus,
    pub locations: Vec<LocationRef>,
    pub permissions: Vec<Permission>,
}

impl From<&accounts::User> for Me {
    fn from(user: &accounts::User) -> Self {
        Self {
            id: user.id,
            username: user.username.clone(),
            email: user.email.clone(),
            first_name: user.first_name.clone(),
            last_name: user.last_name.clone(),
            display_name: user.display_name(),
            role: user.role.into(),
            status: user.status.into(),
            locations: user.locations.iter().map(Into::into).collect(),
            permissions: crewplots_domain::policy::permissions(user.role)
                .into_iter()
                .filter_map(Permission::from_name)
                .collect(),
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AuthResponse {
    pub user: Me,
}

/// An account in administration lists.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct UserSummary {
    pub id: Uuid,
    pub username: String,
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    pub display_name: String,
    pub role: Role,
    pub status: UserStatus,
    pub locations: Vec<LocationRef>,
    pub created_at: DateTime<Utc>,
    pub last_login_at: Option<DateTime<Utc>>,
}

impl From<&accounts::User> for UserSummary {
    fn from(user: &accounts::User) -> Self {
        Self {
            id: user.id,
            username: user.username.clone(),
            email: user.email.clone(),
            first_name: user.first_name.clone(),
            last_name: user.last_name.clone(),
            display_name: user.display_name(),
            role: user.role.into(),
            status: user.status.into(),
            locations: user.locations.iter().map(Into::into).collect(),
            created_at: user.created_at,
            last_login_at: user.last_login_at,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct UserPage {
    pub items: Vec<UserSummary>,
    pub next_cursor: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Location {
    pub id: Uuid,
    pub name: String,
    pub timezone: String,
    pub active: bool,
    pub application_code: String,
    pub address: Option<String>,
    pub contact_email: Option<String>,
    pub contact_phone: Option<String>,
    /// The public application link behind the venue's QR poster.
    pub application_url: String,
}

impl Location {
    pub fn new(l: &accounts::Location, public_url: &str) -> Self {
        Self {
            id: l.id,
            name: l.name.clone(),
            timezone: l.timezone.clone(),
            active: l.active,
            application_code: l.application_code.clone(),
            address: l.address.clone(),
            contact_email: l.contact_email.clone(),
            contact_phone: l.contact_phone.clone(),
            application_url: application_url(public_url, &l.application_code),
        }
    }
}

/// The link a venue's QR code points to.
pub fn application_url(public_url: &str, code: &str) -> String {
    format!("{}/apply/{code}", public_url.trim_end_matches('/'))
}

/// What anybody may learn from a location's application code.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PublicLocation {
    pub name: String,
    pub application_code: String,
    pub location_id: Uuid,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum MailStatus {
    Pending,
    Sent,
    Failed,
    Held,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct OutboxMail {
    pub id: Uuid,
    pub to: String,
    pub subject: String,
    /// Plain text; tokens in links are shown as `[redacted]`.
    pub body: String,
    pub status: MailStatus,
    pub created_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
}

impl From<&accounts::OutboxMail> for OutboxMail {
    fn from(m: &accounts::OutboxMail) -> Self {
        Self {
            id: m.id,
            to: m.to.clone(),
            subject: m.subject.clone(),
            body: m.body_redacted.clone(),
            status: match m.status.as_str() {
                "sent" => MailStatus::Sent,
                "failed" => MailStatus::Failed,
                "held" => MailStatus::Held,
                _ => MailStatus::Pending,
            },
            created_at: m.created_at,
            sent_at: m.sent_at,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct OutboxPage {
    pub items: Vec<OutboxMail>,
    pub next_cursor: Option<String>,
}

/// The body of every error response.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ErrorDetail {
    /// Stable snake_case code the UI translates.
    pub code: String,
    pub message: String,
    /// Field name → error code, for validation errors.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fields: Option<std::collections::BTreeMap<String, String>>,
    /// Every reason of the scheduling rule engine, when it refused.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reasons: Option<Vec<RuleReason>>,
}

// ---- requests -----------------------------------------------------------------------------------------

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PrivacyConsent {
    /// The privacy notice version the person accepted: the current one (`GET /api/settings/public`).
    #[schema(schema_with = current_privacy_notice_version)]
    pub version: String,
    pub accepted: bool,
}

/// The schema of [`PrivacyConsent::version`]: the current notice version and nothing else (the value's one
/// home is the domain; a pattern keeps the generated TypeScript type a plain string).
fn current_privacy_notice_version() -> utoipa::openapi::Object {
    let version = crewplots_domain::accounts::PRIVACY_NOTICE_VERSION;
    let escaped: String = version
        .chars()
        .flat_map(|c| {
            let special = !(c.is_ascii_alphanumeric() || c == '-' || c == '_');
            special.then_some('\\').into_iter().chain([c])
        })
        .collect();
    utoipa::openapi::ObjectBuilder::new()
        .schema_type(utoipa::openapi::schema::Type::String)
        .pattern(Some(format!("^{escaped}$")))
        .build()
}

#[derive(Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RegisterRequest {
    #[schema(
        min_length = 1,
        max_length = 100,
        pattern = r"^[^\x00-\x1f\x7f-\x9f]+$"
    )]
    pub first_name: String,
    #[schema(
        min_length = 1,
        max_length = 100,
        pattern = r"^[^\x00-\x1f\x7f-\x9f]+$"
    )]
    pub last_name: String,
    #[schema(
        max_length = 254,
        pattern = r"^[^\s@\x00-\x1f\x7f-\x9f]{1,64}@[^\s@.\x00-\x1f\x7f-\x9f]+(\.[^\s@.\x00-\x1f\x7f-\x9f]+)+$"
    )]
    pub email: String,
    /// 3–32 of `a-z 0-9 . _ -` (upper case is lowered).
    #[schema(min_length = 3, max_length = 32, pattern = r"^[A-Za-z0-9._-]{3,32}$")]
    pub username: String,
    /// 10–72 bytes (UTF-8).
    #[schema(min_length = 10, max_length = 72)]
    pub password: String,
    /// 6–15 digits, optionally `+` first and spaces, dashes, dots or parentheses between.
    #[schema(max_length = 40, pattern = r"^\+?[ ().-]*([0-9][ ().-]*){6,15}$")]
    pub phone: String,
    #[schema(max_length = 32)]
    pub location_code: Option<String>,
    pub privacy_consent: PrivacyConsent,
}

#[derive(Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct LoginRequest {
    /// Username or e-mail address.
    pub login: String,
    pub password: String,
}

#[derive(Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ChangePasswordRequest {
    pub current_password: String,
    /// 10–72 bytes (UTF-8).
    #[schema(min_length = 10, max_length = 72)]
    pub new_password: String,
}

#[derive(Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PasswordResetRequest {
    #[schema(
        max_length = 254,
        pattern = r"^[^\s@\x00-\x1f\x7f-\x9f]{1,64}@[^\s@.\x00-\x1f\x7f-\x9f]+(\.[^\s@.\x00-\x1f\x7f-\x9f]+)+$"
    )]
    pub email: String,
}

#[derive(Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PasswordResetConfirmRequest {
    #[schema(min_length = 1, max_length = 200)]
    pub token: String,
    /// 10–72 bytes (UTF-8).
    #[schema(min_length = 10, max_length = 72)]
    pub new_password: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CreateUserRequest {
    #[schema(
        min_length = 1,
        max_length = 100,
        pattern = r"^[^\x00-\x1f\x7f-\x9f]+$"
    )]
    pub first_name: String,
    #[schema(
        min_length = 1,
        max_length = 100,
        pattern = r"^[^\x00-\x1f\x7f-\x9f]+$"
    )]
    pub last_name: String,
    #[schema(
        max_length = 254,
        pattern = r"^[^\s@\x00-\x1f\x7f-\x9f]{1,64}@[^\s@.\x00-\x1f\x7f-\x9f]+(\.[^\s@.\x00-\x1f\x7f-\x9f]+)+$"
    )]
    pub email: String,
    #[schema(min_length = 3, max_length = 32, pattern = r"^[A-Za-z0-9._-]{3,32}$")]
    pub username: String,
    pub role: Role,
    #[serde(default)]
    pub location_ids: Vec<Uuid>,
}

/// Only `active` and `deactivated` may be set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SettableStatus {
    Active,
    Deactivated,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct UpdateUserRequest {
    pub role: Option<Role>,
    pub status: Option<SettableStatus>,
    pub location_ids: Option<Vec<Uuid>>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CreateLocationRequest {
    #[schema(
        min_length = 1,
        max_length = 120,
        pattern = r"^[^\x00-\x1f\x7f-\x9f]+$"
    )]
    pub name: String,
    /// IANA time zone; `Europe/Amsterdam` when omitted.
    pub timezone: Option<String>,
    #[schema(max_length = 300, pattern = r"^[^\x00-\x1f\x7f-\x9f]+$")]
    pub address: Option<String>,
    #[schema(
        max_length = 254,
        pattern = r"^[^\s@\x00-\x1f\x7f-\x9f]{1,64}@[^\s@.\x00-\x1f\x7f-\x9f]+(\.[^\s@.\x00-\x1f\x7f-\x9f]+)+$"
    )]
    pub contact_email: Option<String>,
    #[schema(max_length = 40, pattern = r"^\+?[ ().-]*([0-9][ ().-]*){6,15}$")]
    pub contact_phone: Option<String>,
}

/// Page parameters of list endpoints.
#[derive(Debug, Clone, Deserialize, utoipa::IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    /// 1–200, default 50.
    pub limit: Option<u32>,
    /// `nextCursor` of the previous page.
    pub cursor: Option<String>,
}

#[derive(Debug, Clone, Deserialize, utoipa::IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct UserListQuery {
    pub limit: Option<u32>,
    pub cursor: Option<String>,
    /// Search in username, e-mail and name.
    pub q: Option<String>,
    pub role: Option<Role>,
}

// ---- people and documents ---------------------------------------------------------------------------

/// A person's sensitive profile fields. Each is `null` when unknown — or, for floor managers, when it is not
/// theirs to see (they get the phone only).
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
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

/// Whether the encrypted part of a response could be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SensitiveStatus {
    /// Decrypted and included (as far as the caller may see it).
    Ok,
    /// Nothing stored yet.
    Empty,
    /// The encrypted store is down; the rest of the response is still accurate.
    Unavailable,
}

/// A person's profile: account fields from PostgreSQL plus the decrypted sensitive fields the caller may see.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PersonProfile {
    pub id: Uuid,
    pub username: String,
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    pub display_name: String,
    pub role: Role,
    pub locations: Vec<LocationRef>,
    pub sensitive: Option<SensitiveProfile>,
    pub sensitive_status: SensitiveStatus,
    /// Whether the caller may change the sensitive fields.
    pub can_edit: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DocumentKind {
    IdCard,
    Passport,
    Resume,
    Reference,
    Contract,
    WorkPermit,
    Other,
}

impl From<DocumentKind> for crewplots_domain::documents::DocumentKind {
    fn from(kind: DocumentKind) -> Self {
        use crewplots_domain::documents::DocumentKind as K;
        match kind {
            DocumentKind::IdCard => K::IdCard,
            DocumentKind::Passport => K::Passport,
            DocumentKind::Resume => K::Resume,
            DocumentKind::Reference => K::Reference,
            DocumentKind::Contract => K::Contract,
            DocumentKind::WorkPermit => K::WorkPermit,
            DocumentKind::Other => K::Other,
        }
    }
}

impl From<crewplots_domain::documents::DocumentKind> for DocumentKind {
    fn from(kind: crewplots_domain::documents::DocumentKind) -> Self {
        use crewplots_domain::documents::DocumentKind as K;
        match kind {
            K::IdCard => Self::IdCard,
            K::Passport => Self::Passport,
            K::Resume => Self::Resume,
            K::Reference => Self::Reference,
            K::Contract => Self::Contract,
            K::WorkPermit => Self::WorkPermit,
            K::Other => Self::Other,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ReviewState {
    Pending,
    Approved,
    Rejected,
}

impl From<crewplots_domain::documents::ReviewState> for ReviewState {
    fn from(state: crewplots_domain::documents::ReviewState) -> Self {
        use crewplots_domain::documents::ReviewState as S;
        match state {
            S::Pending => Self::Pending,
            S::Approved => Self::Approved,
            S::Rejected => Self::Rejected,
        }
    }
}

/// A document's metadata. No file name: the uploader's is stored encrypted; downloads get a server-made one.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct DocumentInfo {
    pub id: Uuid,
    pub owner_id: Uuid,
    pub kind: DocumentKind,
    pub content_type: String,
    pub size_bytes: i64,
    pub expires_on: Option<chrono::NaiveDate>,
    pub review_state: ReviewState,
    pub reviewed_by: Option<Uuid>,
    pub reviewed_at: Option<DateTime<Utc>>,
    /// Only for those who may review.
    pub review_reason: Option<String>,
    pub uploaded_at: DateTime<Utc>,
}

impl DocumentInfo {
    pub fn new(d: &crewplots_domain::documents::Document, show_reason: bool) -> Self {
        Self {
            id: d.id,
            owner_id: d.owner_id,
            kind: d.kind.into(),
            content_type: d.content_type.mime().to_string(),
            size_bytes: d.size_bytes,
            expires_on: d.expires_on,
            review_state: d.review_state.into(),
            reviewed_by: d.reviewed_by,
            reviewed_at: d.reviewed_at,
            review_reason: if show_reason {
                d.review_reason.clone()
            } else {
                None
            },
            uploaded_at: d.uploaded_at,
        }
    }
}

/// Where an upload goes; the file itself is the multipart part named `file`.
#[derive(Debug, Clone, Deserialize, utoipa::IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct UploadQuery {
    pub kind: DocumentKind,
    /// `YYYY-MM-DD`
    pub expires_on: Option<chrono::NaiveDate>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ReviewDecision {
    Approved,
    Rejected,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ReviewRequest {
    pub decision: ReviewDecision,
    /// Required when rejecting.
    pub reason: Option<String>,
}

#[derive(Debug, Clone, Deserialize, utoipa::IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct ExpiringQuery {
    /// 1–365, default 30.
    pub days: Option<u32>,
}

/// A document in a manager's queue (awaiting review or expiring), with whose it is.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct QueuedDocument {
    pub document: DocumentInfo,
    pub owner_name: String,
}

#[cfg(test)]
mod tests {
    use super::Permission;
    use crewplots_domain::policy;
    use crewplots_domain::Role;

    /// A capability the policy grants but this enum does not name would vanish from `/api/auth/me`
    /// silently, and the UI would hide the screen behind it.
    #[test]
    fn every_permission_the_policy_grants_has_a_name_in_the_api() {
        for role in [
            Role::Administrator,
            Role::Manager,
            Role::FloorManager,
            Role::CrewMember,
            Role::Applicant,
        ] {
            for name in policy::permissions(role) {
                assert!(Permission::from_name(name).is_some(), "{name} ({role:?})");
            }
        }
    }
}

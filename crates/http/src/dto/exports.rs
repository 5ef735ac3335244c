//! Shapes of the exports' queries, the audit viewer and hours locks (issue 14 B–D).

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use crewplots_domain::exports as domain;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

/// `GET /api/exports/hours`. Every field is read as text and checked by the handler, so a bad value answers
/// 422 with the field named.
#[derive(Debug, Clone, Deserialize)]
pub struct HoursExportQuery {
    pub location: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub delimiter: Option<String>,
}

/// `GET /api/exports/applications`.
#[derive(Debug, Clone, Deserialize)]
pub struct ApplicationsExportQuery {
    pub location: Option<String>,
    pub status: Option<String>,
    pub source: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub delimiter: Option<String>,
}

/// `GET /api/audit` and `GET /api/exports/audit`.
#[derive(Debug, Clone, Deserialize)]
pub struct AuditQuery {
    pub actor: Option<String>,
    pub action: Option<String>,
    pub subject: Option<String>,
    pub location: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub limit: Option<u32>,
    pub cursor: Option<String>,
    pub delimiter: Option<String>,
}

/// A person named in the audit log or on a lock; `name` is null once the person was erased.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct NamedPerson {
    pub id: Uuid,
    pub name: Option<String>,
}

impl From<&domain::NamedRef> for NamedPerson {
    fn from(r: &domain::NamedRef) -> Self {
        Self {
            id: r.id,
            name: r.name.clone(),
        }
    }
}

/// What an audit row is about.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AuditSubject {
    #[serde(rename = "type")]
    pub kind: String,
    pub id: Uuid,
    /// The person's name when the subject is a person who still exists.
    pub name: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AuditLocation {
    pub id: Uuid,
    pub name: String,
}

/// One row of the audit log.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AuditEntry {
    pub id: Uuid,
    pub occurred_at: DateTime<Utc>,
    pub action: String,
    pub actor: Option<NamedPerson>,
    pub subject: Option<AuditSubject>,
    pub location: Option<AuditLocation>,
    pub ip: Option<String>,
    pub details: BTreeMap<String, String>,
}

impl From<&domain::AuditEntry> for AuditEntry {
    fn from(e: &domain::AuditEntry) -> Self {
        Self {
            id: e.id,
            occurred_at: e.occurred_at,
            action: e.action.clone(),
            actor: e.actor.as_ref().map(NamedPerson::from),
            subject: e.subject.as_ref().map(|(kind, r)| AuditSubject {
                kind: kind.clone(),
                id: r.id,
                name: r.name.clone(),
            }),
            location: e.location.as_ref().map(|(id, name)| AuditLocation {
                id: *id,
                name: name.clone(),
            }),
            ip: e.ip.clone(),
            details: e.details.clone(),
        }
    }
}

/// A page of the audit log, newest first.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AuditPage {
    pub items: Vec<AuditEntry>,
    pub next_cursor: Option<String>,
}

/// `POST /api/locations/{id}/hours-locks`: local dates, both included.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct NewHoursLock {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

/// A locked hours period.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct HoursLock {
    pub id: Uuid,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub locked_at: DateTime<Utc>,
    pub locked_by: NamedPerson,
}

impl From<&domain::HoursLock> for HoursLock {
    fn from(l: &domain::HoursLock) -> Self {
        Self {
            id: l.period.id,
            from: l.period.from,
            to: l.period.to,
            locked_at: l.locked_at,
            locked_by: NamedPerson::from(&l.locked_by),
        }
    }
}

//! JSON shapes of claims, offers and swaps, open shifts, the inbox counts, per-location request settings
//! and the notification list.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use crewplots_domain::notifications;
use crewplots_domain::scheduling::requests;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::{LocationRef, RuleReason};

mirror!(
    /// What a request asks.
    RequestKind = requests::RequestKind { Claim, Offer, Swap }
);
mirror!(
    /// Where a request stands: `open` (an offer any eligible colleague may take), `pending_colleague` (a swap
    /// waiting for the named colleague), `pending_approval`, then one of the final states.
    RequestStatus = requests::RequestStatus {
        Open,
        PendingColleague,
        PendingApproval,
        Approved,
        Denied,
        Declined,
        Withdrawn
    }
);
mirror!(
    /// The kinds of notifications (each can be muted by e-mail).
    NoticeKind = notifications::NoticeKind {
        ScheduleChanged,
        RequestDecided,
        ShiftOffered,
        SwapProposed,
        RequestAnswered
    }
);

/// A shift as requests show it; times also as the location's wall clock.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RequestShift {
    pub shift_id: Uuid,
    pub position_name: String,
    pub date: NaiveDate,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub local_start: String,
    pub local_end: String,
}

/// A person in a request: crew see colleagues as first name and initial.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RequestPerson {
    pub id: Uuid,
    pub name: String,
}

/// A claim, offer or swap, with what the caller may do with it.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ShiftRequestItem {
    pub id: Uuid,
    pub kind: RequestKind,
    pub status: RequestStatus,
    pub location: LocationRef,
    pub week_id: Uuid,
    /// The open shift (claim) or the requester's shift (offer, swap).
    pub shift: RequestShift,
    pub requester: RequestPerson,
    /// Swap: the colleague asked.
    pub target: Option<RequestPerson>,
    /// Swap: the colleague's shift asked for in return.
    pub target_shift: Option<RequestShift>,
    /// Offer: who took it.
    pub taker: Option<RequestPerson>,
    pub decided_by: Option<RequestPerson>,
    pub decided_at: Option<DateTime<Utc>>,
    pub reason: Option<String>,
    pub created_at: DateTime<Utc>,
    /// After this moment the request can no longer be accepted or approved.
    pub closes_at: DateTime<Utc>,
    pub can_accept: bool,
    pub can_decline: bool,
    pub can_withdraw: bool,
    pub can_approve: bool,
}

/// My requests, swaps waiting for my answer, and colleagues' open offers at my locations.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MyRequests {
    pub mine: Vec<ShiftRequestItem>,
    pub to_answer: Vec<ShiftRequestItem>,
    pub offers: Vec<ShiftRequestItem>,
}

/// A colleague's open offer on an open shift.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct OfferRef {
    pub request_id: Uuid,
    /// The colleague's first name.
    pub by: String,
}

/// An open slot of a published week (or a colleague's offered place) and what the rules say about me.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct OpenShiftItem {
    pub shift: RequestShift,
    pub location: LocationRef,
    pub open_slots: u16,
    pub note: Option<String>,
    /// The rule engine lets me take it (warnings aside).
    pub eligible: bool,
    /// Every reason, warnings included.
    pub reasons: Vec<RuleReason>,
    pub interested: bool,
    pub pending_claim_id: Option<Uuid>,
    pub offer: Option<OfferRef>,
    pub needs_approval: bool,
    pub closes_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct OpenShifts {
    pub items: Vec<OpenShiftItem>,
}

/// Propose to swap my assignment for a colleague's.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SwapBody {
    pub target_assignment_id: Uuid,
}

/// A reason for a step (required to deny).
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct StepBody {
    #[schema(max_length = 500)]
    pub reason: Option<String>,
}

/// Denying a request: the reason is required (the handler reads the body like a step's and answers 422
/// `required` without one).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct DenyBody {
    #[schema(min_length = 1, max_length = 500, pattern = r"\S")]
    pub reason: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct BulkApproveBody {
    #[schema(max_items = 100)]
    pub ids: Vec<Uuid>,
}

/// A request bulk approval left alone, with why.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct NotApproved {
    pub id: Uuid,
    pub code: String,
    pub message: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct BulkApproveResult {
    pub approved: Vec<Uuid>,
    pub not_approved: Vec<NotApproved>,
}

#[derive(Debug, Clone, Deserialize, IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct LocationRequestsQuery {
    /// Also the last 100 decided ones.
    pub decided: Option<bool>,
}

/// A location's settings for claims, offers and swaps.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RequestSettings {
    pub claims_need_approval: bool,
    pub swaps_need_approval: bool,
    /// Requests close this many minutes before the shift starts (0–10080).
    #[schema(minimum = 0, maximum = 10080)]
    pub cutoff_minutes: u32,
}

/// Pending requests per location.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct InboxCount {
    pub location_id: Uuid,
    pub time_off: i64,
    pub shift_requests: i64,
    pub total: i64,
}

/// One notification; the UI words it from `kind` and `params`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct NotificationItem {
    pub id: Uuid,
    pub kind: NoticeKind,
    pub params: BTreeMap<String, String>,
    pub created_at: DateTime<Utc>,
    pub read_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct NotificationPage {
    pub items: Vec<NotificationItem>,
    pub next_cursor: Option<String>,
    pub unread: i64,
}

#[derive(Debug, Clone, Deserialize, IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct NotificationsQuery {
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u32>,
    pub cursor: Option<String>,
}

/// Mark some (`ids`) or all (no `ids`) of my notifications read.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MarkReadBody {
    #[schema(max_items = 200)]
    pub ids: Option<Vec<Uuid>>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MarkedRead {
    pub marked: i64,
    pub unread: i64,
}

/// Whether a kind of notification is also e-mailed to me.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct EmailSetting {
    pub kind: NoticeKind,
    pub email: bool,
}

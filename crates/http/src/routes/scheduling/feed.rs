//! The personal calendar feed (SCHEDULING.md §3): the person makes, replaces or removes their secret
//! address; calendar apps fetch it without a session.
//!
//! The token is 32 random bytes, shown once in the address and stored only as its SHA-256. The public
//! route is rate-limited per client address in Redis before anything touches PostgreSQL; a wrong, replaced
//! or removed token is 404 after the same single lookup by hash, whether or not the person exists. The
//! route pattern, never the path, is what the request log records, so tokens stay out of logs.

use actix_web::http::header::{self, HeaderValue};
use actix_web::{delete, get, post, web, HttpRequest, HttpResponse};
use chrono::{Duration, Utc};
use crewplots_domain::accounts::AuditEvent;
use crewplots_domain::scheduling::feed::{self, FeedEvent};
use crewplots_domain::scheduling::ports::MyShift;
use crewplots_domain::scheduling::time::zone;
use crewplots_session::RateVerdict;

use super::clock_at;
use crate::access;
use crate::auth::{new_mail_token, token_hash, ClientIp, CurrentUser};
use crate::dto::{CalendarFeed, CalendarFeedCreated, ErrorBody};
use crate::error::ApiError;
use crate::state::AppState;

/// How far back the feed reaches (and how long a cancelled shift stays in it).
const FEED_DAYS_BACK: i64 = 30;

fn urls(state: &AppState, token: &str) -> (String, String) {
    let url = format!(
        "{}/api/calendar/{token}.ics",
        state.security.public_url.trim_end_matches('/')
    );
    let webcal = match url.split_once("://") {
        Some((_, rest)) => format!("webcal://{rest}"),
        None => url.clone(),
    };
    (url, webcal)
}

/// Whether I have a feed, since when, and when a calendar last fetched it.
#[utoipa::path(tag = "self-service", responses(
    (status = 200, body = CalendarFeed),
    (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
))]
#[get("/api/me/calendar-feed")]
pub(crate) async fn status(
    current: CurrentUser,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    access::self_service(&current)?;
    let info = state.self_service.feed(current.user.id).await?;
    Ok(HttpResponse::Ok().json(CalendarFeed {
        active: info.is_some(),
        created_at: info.map(|i| i.created_at),
        last_used_at: info.and_then(|i| i.last_used_at),
    }))
}

/// Makes my feed address, or a new one: the previous address stops working at once. The address is in
/// this answer only.
#[utoipa::path(tag = "self-service", responses(
    (status = 201, body = CalendarFeedCreated),
    (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
))]
#[post("/api/me/calendar-feed")]
pub(crate) async fn create(
    current: CurrentUser,
    ip: ClientIp,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    access::self_service(&current)?;
    let token = new_mail_token();
    let audit = AuditEvent::new("calendar_feed.created")
        .actor(Some(current.user.id))
        .subject("user", current.user.id)
        .ip(ip.0);
    let info = state
        .self_service
        .set_feed_token(current.user.id, token_hash(&token), audit)
        .await?;
    let (url, webcal_url) = urls(&state, &token);
    Ok(HttpResponse::Created()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(CalendarFeedCreated {
            url,
            webcal_url,
            created_at: info.created_at,
        }))
}

/// Removes my feed: its address stops working. Removing a feed that does not exist is not an error.
#[utoipa::path(tag = "self-service", responses(
    (status = 204),
    (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
))]
#[delete("/api/me/calendar-feed")]
pub(crate) async fn remove(
    current: CurrentUser,
    ip: ClientIp,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    access::self_service(&current)?;
    let audit = AuditEvent::new("calendar_feed.removed")
        .actor(Some(current.user.id))
        .subject("user", current.user.id)
        .ip(ip.0);
    state
        .self_service
        .delete_feed(current.user.id, audit)
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

fn event(shift: &MyShift) -> FeedEvent {
    let tz = zone(&shift.location.timezone);
    let mut description = Vec::new();
    description.push(format!(
        "{} {}–{}",
        shift.local_date.format("%a %d %b"),
        clock_at(tz, shift.starts_at),
        clock_at(tz, shift.ends_at)
    ));
    if shift.break_minutes > 0 {
        description.push(format!("Break: {} min", shift.break_minutes));
    }
    if !shift.colleagues.is_empty() {
        description.push(format!("With: {}", shift.colleagues.join(", ")));
    }
    if let Some(note) = &shift.note {
        description.push(note.clone());
    }
    FeedEvent {
        uid: shift.assignment_id,
        sequence: shift.sequence,
        last_modified: shift.changed_at,
        starts_at: shift.starts_at,
        ends_at: shift.ends_at,
        summary: format!("{} · {}", shift.position_name, shift.location.name),
        place: match &shift.location_address {
            Some(address) if !address.trim().is_empty() => {
                format!("{}, {}", shift.location.name, address.trim())
            }
            _ => shift.location.name.clone(),
        },
        description: description.join("\n"),
        cancelled: shift.cancelled,
    }
}

/// The calendar behind a feed address: my published shifts from 30 days back on, at every location, with
/// shifts taken away as cancelled. `If-None-Match` with the last ETag answers 304.
#[utoipa::path(tag = "self-service", params(("token" = String, Path, description = "The secret of the address, with or without `.ics`")),
    security(()),
    responses(
    (status = 200, description = "text/calendar", content_type = "text/calendar", body = String),
    (status = 304, description = "Not modified"),
    (status = 404, body = ErrorBody), (status = 429, body = ErrorBody),
))]
#[get("/api/calendar/{token}")]
pub(crate) async fn calendar(
    request: HttpRequest,
    ip: ClientIp,
    state: web::Data<AppState>,
    token: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let who =
        ip.0.map_or_else(|| "unknown".to_string(), |ip| ip.to_string());
    match state
        .feed_rate
        .hit(&who)
        .await
        .map_err(|_| ApiError::ServiceUnavailable)?
    {
        RateVerdict::Allowed => {}
        RateVerdict::Limited { retry_after } => {
            return Err(ApiError::TooManyRequests { retry_after })
        }
    }
    let token = token.strip_suffix(".ics").unwrap_or(&token);
    // Whatever was sent is hashed and looked up once: a wrong, replaced or removed token, or one of a
    // person who no longer exists, takes the same path to the same 404.
    let owner = state
        .self_service
        .feed_owner(&token_hash(token))
        .await?
        .ok_or(ApiError::NotFound)?;
    let now = Utc::now();
    let shifts = state
        .self_service
        .my_shifts(owner.user_id, now - Duration::days(FEED_DAYS_BACK), true)
        .await?;
    let events: Vec<FeedEvent> = shifts.iter().map(event).collect();
    let name = format!("Crew Plots — {}", owner.first_name);
    let digest = ring::digest::digest(
        &ring::digest::SHA256,
        feed::canonical(&name, &events).as_bytes(),
    );
    let etag: String = digest.as_ref()[..16]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let etag = format!("\"{etag}\"");
    let matches = request
        .headers()
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag || t.trim() == "*"));
    let etag_header = HeaderValue::from_str(&etag).map_err(ApiError::internal)?;
    if matches {
        return Ok(HttpResponse::NotModified()
            .insert_header((header::ETAG, etag_header))
            .insert_header((header::CACHE_CONTROL, "private, max-age=0, must-revalidate"))
            .finish());
    }
    Ok(HttpResponse::Ok()
        .content_type("text/calendar; charset=utf-8")
        .insert_header((header::ETAG, etag_header))
        .insert_header((header::CACHE_CONTROL, "private, max-age=0, must-revalidate"))
        .insert_header((
            header::CONTENT_DISPOSITION,
            "inline; filename=\"crewplots-shifts.ics\"",
        ))
        .body(feed::render(&name, &events, now)))
}

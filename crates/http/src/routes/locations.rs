//! Locations: the public look-up behind a QR link, the staff list and creation.

use actix_web::{get, post, web, HttpRequest, HttpResponse};
use crewplots_domain::accounts::{AuditEvent, Location as DomainLocation};
use crewplots_domain::policy::{self, Action, LocationScope};
use crewplots_domain::ports::StoreError;
use crewplots_domain::validation::{self, FieldErrors};
use rand::Rng;
use uuid::Uuid;

use crate::auth::{client_ip, CurrentUser};
use crate::dto::{CreateLocationRequest, ErrorBody, Location, PublicLocation};
use crate::error::ApiError;
use crate::state::AppState;

/// Letters and digits that cannot be confused on a poster (no 0/O, 1/I/L).
const CODE_ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";

fn application_code() -> String {
    let mut rng = rand::rng();
    (0..8)
        .map(|_| char::from(CODE_ALPHABET[rng.random_range(0..CODE_ALPHABET.len())]))
        .collect()
}

/// The venue behind an application code (from a QR poster), for the registration page.
#[utoipa::path(tag = "locations", params(("code" = String, Path, description = "Application code")), responses(
    (status = 200, body = PublicLocation),
    (status = 404, body = ErrorBody, description = "No active location has this code"),
))]
#[get("/api/public/locations/{code}")]
pub(crate) async fn public_location(
    state: web::Data<AppState>,
    code: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let code = code.into_inner();
    if code.len() > 32 {
        return Err(ApiError::NotFound);
    }
    let location = state
        .locations
        .by_code(&code)
        .await?
        .ok_or(ApiError::NotFound)?;
    Ok(HttpResponse::Ok().json(PublicLocation {
        name: location.name,
        application_code: location.application_code,
    }))
}

/// Locations the caller works with: all for administrators, their own for managers and floor managers.
#[utoipa::path(tag = "locations", responses(
    (status = 200, body = Vec<Location>),
    (status = 401, body = ErrorBody),
    (status = 403, body = ErrorBody),
))]
#[get("/api/locations")]
pub(crate) async fn list(
    current: CurrentUser,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let locations = match policy::scope(&current.actor(), Action::ViewLocations) {
        None => return Err(ApiError::Forbidden),
        Some(LocationScope::All) => state.locations.list(None).await?,
        Some(LocationScope::Only(ids)) => state.locations.list(Some(&ids)).await?,
    };
    Ok(HttpResponse::Ok().json(locations.iter().map(Location::from).collect::<Vec<_>>()))
}

/// Creates a location with a fresh application code (administrators).
#[utoipa::path(tag = "locations", request_body = CreateLocationRequest, responses(
    (status = 201, body = Location),
    (status = 403, body = ErrorBody),
    (status = 422, body = ErrorBody),
))]
#[post("/api/locations")]
pub(crate) async fn create(
    request: HttpRequest,
    current: CurrentUser,
    state: web::Data<AppState>,
    body: web::Json<CreateLocationRequest>,
) -> Result<HttpResponse, ApiError> {
    if policy::scope(&current.actor(), Action::CreateLocation).is_none() {
        return Err(ApiError::Forbidden);
    }
    let mut errors = FieldErrors::default();
    let name = validation::text(&body.name, 120, "name", &mut errors);
    let timezone = validation::timezone(
        body.timezone.as_deref().unwrap_or("Europe/Amsterdam"),
        "timezone",
        &mut errors,
    );
    errors.into_result()?;
    let ip = client_ip(&request, state.security.trust_forwarded_for);
    // A clash of random codes is rare; try a few before giving up.
    for _ in 0..5 {
        let id = Uuid::new_v4();
        let location = DomainLocation {
            id,
            name: name.clone(),
            timezone: timezone.clone(),
            active: true,
            application_code: application_code(),
        };
        let audit = AuditEvent::new("location.created")
            .actor(Some(current.user.id))
            .subject("location", id)
            .ip(ip);
        match state.locations.create(location, audit).await {
            Ok(created) => return Ok(HttpResponse::Created().json(Location::from(&created))),
            Err(StoreError::Conflict(_)) => continue,
            Err(other) => return Err(other.into()),
        }
    }
    Err(ApiError::ServiceUnavailable)
}
